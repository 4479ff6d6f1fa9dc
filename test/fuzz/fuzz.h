/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the libFuzzer targets of test/fuzz: CHECK() stops the run on
 * a broken promise with a trap, which libFuzzer reports as a crash and
 * saves the input of.
 */
#ifndef FUZZ_H
#define FUZZ_H

#define CHECK(c)				\
	do {					\
		if (!(c))			\
			__builtin_trap();	\
	} while (0)

#endif /* FUZZ_H */
