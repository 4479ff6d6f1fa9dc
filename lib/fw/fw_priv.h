/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the pure files of lib/fw: the name tables of the rule
 * language (rule.c owns them; rule_parse.c, rule_format.c and ruleset.c
 * read them) and the error helper. Nothing here is public API.
 */
#ifndef FW_PRIV_H
#define FW_PRIV_H

#include <stdint.h>

#include "fw.h"

/* An ICMPv6 type name: a type and the codes it covers. */
struct fw_icmp6_name {
	const char *name;
	uint8_t type;
	uint8_t code_lo, code_hi;
	uint8_t alias;			/* not the name fw_rule_format() writes */
};

extern const struct fw_icmp6_name fw_icmp6_names[];
extern const unsigned int fw_n_icmp6_names;

/*
 * Read "name", "type" or "type/code" into a type and a code range.
 * Returns 0 or -EINVAL with the reason in 'err' (field 'f').
 */
int fw_icmp6_parse(const char *text, enum fw_field f, uint8_t *type,
		   uint8_t *code_lo, uint8_t *code_hi, struct fw_err *err);

/* The primary name for a type and code range, or NULL. */
const char *fw_icmp6_name_of(uint8_t type, uint8_t code_lo, uint8_t code_hi);

/* A protocol's name for fw_rule_format() ("tcp"), or NULL: a number. */
const char *fw_proto_name(uint8_t proto);

/* "NEW,ESTABLISHED" for a state set, into 'buf' (at least 64 bytes). */
void fw_state_names(uint32_t state, char *buf, size_t size);

/*
 * Set 'err' (which may be NULL) to the reason built from 'fmt', column 0,
 * field 'f'. Returns -EINVAL, so a setter can 'return fw_fail(...)'.
 */
int fw_fail(struct fw_err *err, enum fw_field f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* True when 's' is one or more decimal digits and nothing else. */
static inline int
fw_all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* True when 'a' ANDed with 'mask' equals 'val' over 16 bytes. */
static inline int
fw_addr_hit(const uint8_t *a, const uint8_t *mask, const uint8_t *val)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		if ((a[i] & mask[i]) != val[i])
			return 0;
	return 1;
}

#endif /* FW_PRIV_H */
