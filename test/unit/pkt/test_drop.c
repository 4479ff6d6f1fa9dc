/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/pkt/drop.c: every drop reason has a stats key that is a unique
 * lowercase identifier equal to its enum name in lower case, and a unique,
 * non-empty one-sentence description; out-of-range reasons read as "?".
 */
#include "unit.h"

#include <ctype.h>

#include "drop.h"

/* The enum names as strings, from the same X-macro list as the library. */
#define NAME_STR(n, k, d) #n,
static const char *const enum_names[] = { PKT_DROP_LIST(NAME_STR) };
#undef NAME_STR

static void
test_drop_list_matches_enum(void **state)
{
	(void)state;
	assert_int_equal(sizeof(enum_names) / sizeof(enum_names[0]),
			 PKT_DROP_MAX);
	assert_int_equal(PKT_DROP_NONE, 0);
	assert_string_equal(pkt_drop_name(PKT_DROP_NONE), "none");
}

static void
test_drop_names_are_lowercase_identifiers(void **state)
{
	unsigned int r;

	(void)state;
	for (r = 0; r < PKT_DROP_MAX; r++) {
		const char *n = pkt_drop_name(r);
		const char *c;

		assert_non_null(n);
		assert_true(n[0] >= 'a' && n[0] <= 'z');
		for (c = n; *c != '\0'; c++)
			assert_true((*c >= 'a' && *c <= 'z') ||
				    (*c >= '0' && *c <= '9') || *c == '_');
		assert_true(n[strlen(n) - 1] != '_');
	}
}

/* "ip4_csum" for PKT_DROP_IP4_CSUM: the key is the enum name, lowered. */
static void
test_drop_name_is_enum_name_in_lower_case(void **state)
{
	unsigned int r;

	(void)state;
	for (r = 0; r < PKT_DROP_MAX; r++) {
		char want[64];
		size_t i;

		assert_true(strlen(enum_names[r]) < sizeof(want));
		for (i = 0; enum_names[r][i] != '\0'; i++)
			want[i] = (char)tolower((unsigned char)enum_names[r][i]);
		want[i] = '\0';
		assert_string_equal(pkt_drop_name(r), want);
	}
}

static void
test_drop_names_are_unique(void **state)
{
	unsigned int a, b;

	(void)state;
	for (a = 0; a < PKT_DROP_MAX; a++)
		for (b = a + 1; b < PKT_DROP_MAX; b++)
			assert_string_not_equal(pkt_drop_name(a),
						pkt_drop_name(b));
}

static void
test_drop_descriptions_are_nonempty_and_unique(void **state)
{
	unsigned int a, b;

	(void)state;
	for (a = 0; a < PKT_DROP_MAX; a++) {
		const char *d = pkt_drop_desc(a);

		assert_non_null(d);
		assert_true(strlen(d) > 10);
		assert_string_not_equal(d, pkt_drop_name(a));
		for (b = a + 1; b < PKT_DROP_MAX; b++)
			assert_string_not_equal(d, pkt_drop_desc(b));
	}
}

static void
test_drop_out_of_range_reads_question_mark(void **state)
{
	(void)state;
	assert_string_equal(pkt_drop_name(PKT_DROP_MAX), "?");
	assert_string_equal(pkt_drop_desc(PKT_DROP_MAX), "?");
	assert_string_equal(pkt_drop_name(~0u), "?");
	assert_string_equal(pkt_drop_desc(~0u), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_list_matches_enum),
		cmocka_unit_test(test_drop_names_are_lowercase_identifiers),
		cmocka_unit_test(test_drop_name_is_enum_name_in_lower_case),
		cmocka_unit_test(test_drop_names_are_unique),
		cmocka_unit_test(test_drop_descriptions_are_nonempty_and_unique),
		cmocka_unit_test(test_drop_out_of_range_reads_question_mark),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
