// SPDX-License-Identifier: MIT
/*
 * rs-daemon's log lines: "<N>" priority prefixes when stderr is the
 * journal (JOURNAL_STREAM names it), "rs-daemon: " otherwise; long lines
 * cut, still one line.
 */
#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/rs/log.h"

static size_t format(char *line, size_t size, bool journal, int priority,
		     const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = log_format_line(line, size, journal, priority, fmt, ap);
	va_end(ap);
	return n;
}

START_TEST(journal_stream_matches_dev_and_ino)
{
	ck_assert(log_journal_stream_is("8:1234", 8, 1234));
	ck_assert(!log_journal_stream_is("8:1234", 8, 1235));
	ck_assert(!log_journal_stream_is("9:1234", 8, 1234));
	ck_assert(!log_journal_stream_is(NULL, 8, 1234));
	ck_assert(!log_journal_stream_is("", 8, 1234));
	ck_assert(!log_journal_stream_is("8", 8, 1234));
	ck_assert(!log_journal_stream_is("8:1234x", 8, 1234));
	ck_assert(!log_journal_stream_is("x8:1234", 8, 1234));
}
END_TEST

START_TEST(journal_lines_carry_priorities)
{
	char line[128];
	size_t n;

	n = format(line, sizeof(line), true, RS_LOG_ERR, "cannot %s", "fork");
	ck_assert_str_eq(line, "<3>cannot fork\n");
	ck_assert_uint_eq(n, strlen(line));
	format(line, sizeof(line), true, RS_LOG_WARNING, "w");
	ck_assert_str_eq(line, "<4>w\n");
	format(line, sizeof(line), true, RS_LOG_NOTICE, "hello is up");
	ck_assert_str_eq(line, "<5>hello is up\n");
	format(line, sizeof(line), true, RS_LOG_INFO, "i");
	ck_assert_str_eq(line, "<6>i\n");
	format(line, sizeof(line), true, RS_LOG_DEBUG, "d");
	ck_assert_str_eq(line, "<7>d\n");
	/* Out of range: no bad prefix for the journal to misread. */
	format(line, sizeof(line), true, 9, "x");
	ck_assert_str_eq(line, "<3>x\n");
}
END_TEST

START_TEST(console_lines_are_text)
{
	char line[128];

	format(line, sizeof(line), false, RS_LOG_ERR, "cannot %s", "fork");
	ck_assert_str_eq(line, "rs-daemon: cannot fork\n");
	format(line, sizeof(line), false, RS_LOG_DEBUG, "d");
	ck_assert_str_eq(line, "rs-daemon: d\n");
}
END_TEST

START_TEST(long_lines_are_cut_to_one_line)
{
	char line[16];
	size_t n;

	n = format(line, sizeof(line), false, RS_LOG_INFO, "%s",
		   "abcdefghijklmnopqrstuvwxyz");
	ck_assert_uint_eq(n, sizeof(line) - 1);
	ck_assert_uint_eq(strlen(line), n);
	ck_assert_int_eq(line[n - 1], '\n');
	ck_assert_ptr_null(memchr(line, '\n', n - 1));
	n = format(line, sizeof(line), true, RS_LOG_INFO, "%s",
		   "abcdefghijklmnopqrstuvwxyz");
	ck_assert_int_eq(strncmp(line, "<6>abc", 6), 0);
	ck_assert_int_eq(line[n - 1], '\n');
}
END_TEST

static Suite *rs_log_suite(void)
{
	Suite *s = suite_create("rs_log");
	TCase *tc = tcase_create("lines");

	tcase_add_test(tc, journal_stream_matches_dev_and_ino);
	tcase_add_test(tc, journal_lines_carry_priorities);
	tcase_add_test(tc, console_lines_are_text);
	tcase_add_test(tc, long_lines_are_cut_to_one_line);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rs_log_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
