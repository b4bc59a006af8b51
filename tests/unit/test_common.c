// SPDX-License-Identifier: MIT
/* common/: time words and JSON strings, as every program takes and prints them. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "json.h"

START_TEST(duration_units)
{
	uint32_t ms = 1;

	ck_assert_int_eq(duration_parse_ms("5s", DURATION_BARE_TICKS, 100, &ms), 0);
	ck_assert_uint_eq(ms, 5000);
	ck_assert_int_eq(duration_parse_ms("5HZ", DURATION_BARE_MS, 0, &ms), 0);
	ck_assert_uint_eq(ms, 5000);
	ck_assert_int_eq(duration_parse_ms("500ms", DURATION_BARE_SECONDS, 0, &ms), 0);
	ck_assert_uint_eq(ms, 500);
	ck_assert_int_eq(duration_parse_ms("0s", DURATION_BARE_MS, 0, &ms), 0);
	ck_assert_uint_eq(ms, 0);
	ck_assert_int_eq(duration_parse_ms("2147483s", DURATION_BARE_MS, 0, &ms), 0);
	ck_assert_uint_eq(ms, 2147483000u);
}
END_TEST

/* A bare number means what the program says: ticks, seconds or ms. */
START_TEST(duration_bare_number)
{
	uint32_t ms = 1;

	ck_assert_int_eq(duration_parse_ms("7", DURATION_BARE_TICKS, 100, &ms), 0);
	ck_assert_uint_eq(ms, 70);
	ck_assert_int_eq(duration_parse_ms("7", DURATION_BARE_SECONDS, 0, &ms), 0);
	ck_assert_uint_eq(ms, 7000);
	ck_assert_int_eq(duration_parse_ms("7", DURATION_BARE_MS, 0, &ms), 0);
	ck_assert_uint_eq(ms, 7);
	/* Ticks need a clock; the others do not look at it. */
	ck_assert_int_eq(duration_parse_ms("7", DURATION_BARE_TICKS, 0, &ms), EINVAL);
	ck_assert_uint_eq(ms, 7);
	ck_assert_int_eq(service_parse_time_ms("3s", 100, &ms), 0);
	ck_assert_uint_eq(ms, 3000);
}
END_TEST

START_TEST(duration_rejected)
{
	static const char *const bad[] = {
		"", "s", "ms", "HZ", "-5s", "+5s", " 5s", "5s ", "5S", "5 s",
		"5sec", "5m", "5min", "1.5s", "0x10s", "5mss", "5hz",
		"2147484s", "2147484HZ", "2147483648ms", "99999999999999999999s",
	};
	uint32_t ms = 777;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(duration_parse_ms(bad[i], DURATION_BARE_MS, 0, &ms) == EINVAL,
			      "accepted \"%s\"", bad[i]);
		ck_assert_uint_eq(ms, 777);
	}
}
END_TEST

/* json_print_string(text) as one string. */
static char *json_of(const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(out);
	json_print_string(out, text);
	ck_assert_int_eq(fclose(out), 0);
	return buf;
}

static void check_json(const char *text, const char *expected)
{
	char *got = json_of(text);

	ck_assert_str_eq(got, expected);
	free(got);
}

START_TEST(json_ascii_and_controls)
{
	check_json("hello", "\"hello\"");
	check_json("", "\"\"");
	check_json("a\"b\\c", "\"a\\\"b\\\\c\"");
	check_json("tab\there\nline\x1f\x7f", "\"tab\\u0009here\\u000aline\\u001f\\u007f\"");
}
END_TEST

START_TEST(json_utf8_kept)
{
	/* é (2 bytes), € (3), 𝄞 (4) pass as they are. */
	check_json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e",
		   "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e\"");
}
END_TEST

START_TEST(json_bad_utf8_escaped)
{
	/* A lone byte above 0x7f, a stray continuation byte. */
	check_json("a\xff" "b", "\"a\\u00ffb\"");
	check_json("\x80", "\"\\u0080\"");
	/* Truncated: the lead byte is escaped, what follows is read anew. */
	check_json("\xe2\x82" "x", "\"\\u00e2\\u0082x\"");
	check_json("\xc3", "\"\\u00c3\"");
	/* Overlong '/', a surrogate, above U+10FFFF. */
	check_json("\xc0\xaf", "\"\\u00c0\\u00af\"");
	check_json("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"");
	check_json("\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\"");
	check_json("\xe0\x80\x80", "\"\\u00e0\\u0080\\u0080\"");
}
END_TEST

/*
 * Every byte followed by a byte of each class (end, ASCII, continuation,
 * lead bytes, invalid): no control byte comes out, and no lone high byte.
 */
START_TEST(json_every_byte_pair_is_ascii_or_utf8)
{
	static const int seconds[] = { 0x00, 0x41, 0x7f, 0x80, 0x9f, 0xa0,
				       0xbf, 0xc0, 0xc2, 0xe0, 0xf0, 0xff };
	char text[3] = { 0 };

	for (int a = 1; a < 256; a++) {
		for (size_t i = 0; i < sizeof(seconds) / sizeof(seconds[0]); i++) {
			int b = seconds[i];
			char *got;

			text[0] = (char)a;
			text[1] = (char)b;
			got = json_of(text);
			for (const unsigned char *c = (const unsigned char *)got; *c; c++)
				ck_assert_msg(*c >= 0x20 && *c != 0x7f,
					      "control byte 0x%02x out for 0x%02x 0x%02x",
					      *c, a, b);
			/* A lone high byte never reaches the output raw. */
			if (a >= 0x80 && (b < 0x80 || a < 0xc2 || a > 0xdf))
				ck_assert_msg(strncmp(got + 1, "\\u00", 4) == 0,
					      "0x%02x 0x%02x gave %s", a, b, got);
			free(got);
		}
	}
}
END_TEST

static Suite *common_suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("common");

	tcase_add_test(tc, duration_units);
	tcase_add_test(tc, duration_bare_number);
	tcase_add_test(tc, duration_rejected);
	tcase_add_test(tc, json_ascii_and_controls);
	tcase_add_test(tc, json_utf8_kept);
	tcase_add_test(tc, json_bad_utf8_escaped);
	tcase_add_test(tc, json_every_byte_pair_is_ascii_or_utf8);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(common_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? 1 : 0;
}
