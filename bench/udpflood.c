// SPDX-License-Identifier: BSD-3-Clause
/*
 * udpflood: the sender and the receiver of bench/tayga.sh.
 *
 *   udpflood send ADDR PORT SECONDS [PAYLOAD]
 *       send UDP datagrams of PAYLOAD bytes (default 18: a 64-byte IPv4
 *       frame with FCS, an 84-byte IPv6 one) to ADDR as fast as sendmmsg
 *       takes them, for SECONDS; print "sent N" (datagrams the kernel
 *       accepted) and "send_errors E".
 *   udpflood recv ADDR PORT
 *       count datagrams on ADDR (0.0.0.0 or ::) until SIGINT/SIGTERM;
 *       print "received N".
 *
 * Built on the fly by bench/tayga.sh: cc -O2 -o udpflood udpflood.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
sockaddr_of(const char *a, int port, struct sockaddr_storage *ss,
	    socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		*len = sizeof(*s4);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
		return AF_INET6;
	}
	return -1;
}

static int
do_send(int fam, struct sockaddr_storage *ss, socklen_t len, double secs,
	int size)
{
	static char buf[1500];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned long long sent = 0, errs = 0;
	double end;
	int fd, i, n;

	fd = socket(fam, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)ss, len) != 0) {
		perror("udpflood: socket/connect");
		return 2;
	}
	memset(buf, 0x5a, sizeof(buf));
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = buf;
		iov[i].iov_len = (size_t)size;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	end = now() + secs;
	while (!stop) {
		for (i = 0; i < 16; i++) {
			n = sendmmsg(fd, msgs, BATCH, 0);
			if (n > 0)
				sent += (unsigned long long)n;
			else
				errs++;	/* ENOBUFS, ECONNREFUSED (ICMP), ... */
		}
		if (now() >= end)
			break;
	}
	printf("sent %llu\nsend_errors %llu\n", sent, errs);
	return 0;
}

static int
do_recv(int fam, struct sockaddr_storage *ss, socklen_t len)
{
	static char bufs[BATCH][2048];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct timeval tv = { 0, 100000 };
	unsigned long long got = 0;
	int fd, i, n, rcvbuf = 32 << 20;

	fd = socket(fam, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)ss, len) != 0) {
		perror("udpflood: socket/bind");
		return 2;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)) != 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		n = recvmmsg(fd, msgs, BATCH, 0, NULL);
		if (n > 0)
			got += (unsigned long long)n;
	}
	printf("received %llu\n", got);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct sigaction sa;
	socklen_t len;
	int fam;

	if (argc < 4 || (strcmp(argv[1], "send") == 0 && argc < 5)) {
		fprintf(stderr, "usage: udpflood send ADDR PORT SECONDS "
			"[PAYLOAD] | udpflood recv ADDR PORT\n");
		return 2;
	}
	fam = sockaddr_of(argv[2], atoi(argv[3]), &ss, &len);
	if (fam < 0) {
		fprintf(stderr, "udpflood: bad address %s\n", argv[2]);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: recvmmsg returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[1], "send") == 0) {
		int size = argc > 5 ? atoi(argv[5]) : 18;

		if (size < 0 || size > 1400)
			size = 18;
		return do_send(fam, &ss, len, atof(argv[4]), size);
	}
	if (strcmp(argv[1], "recv") == 0)
		return do_recv(fam, &ss, len);
	fprintf(stderr, "udpflood: send or recv\n");
	return 2;
}
