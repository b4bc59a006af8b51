// SPDX-License-Identifier: MIT
/* Unit tests of minix-service's command-line parser (tools/service/parse.c). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tools/service/parse.h"

#define CLK_TCK_FOR_TESTS	100

/* A regular file with a long basename, and a directory, both temporary. */
static char binary[128];
static char tmpdir[64];

static void setup(void)
{
	int fd;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/svcparse.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(binary, sizeof(binary), "%s/a-very-long-driver-name", tmpdir);
	fd = open(binary, O_CREAT | O_WRONLY, 0755);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static void teardown(void)
{
	unlink(binary);
	rmdir(tmpdir);
}

static struct service_cmd cmd;
static char err[SERVICE_ERRLEN];

/* parse("up", binary, "-label", "x", NULL) */
static int parse(const char *first, ...)
{
	char *argv[32] = { "minix-service" };
	int argc = 1;
	const char *word;
	va_list ap;

	va_start(ap, first);
	for (word = first; word; word = va_arg(ap, const char *)) {
		ck_assert_int_lt(argc, 31);
		argv[argc++] = (char *)word;
	}
	va_end(ap);
	argv[argc] = NULL;
	return service_parse(argc, argv, CLK_TCK_FOR_TESTS, &cmd, err);
}

START_TEST(up_defaults)
{
	ck_assert_int_eq(parse("up", binary, NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_UP);
	ck_assert_uint_eq(cmd.req.rq_type, RS_UP);
	ck_assert_str_eq(cmd.req.rss_cmd, binary);
	/* basename "a-very-long-driver-name" cut to 15 characters */
	ck_assert_str_eq(cmd.req.rss_label, "a-very-long-dri");
	ck_assert_uint_eq(cmd.req.rss_flags, 0);
	ck_assert_uint_eq(cmd.req.rss_period_ms, 0);
	ck_assert_int_eq(cmd.req.rss_maxtime_ms, 0);
	ck_assert_str_eq(cmd.req.rss_args, "");
	ck_assert_str_eq(cmd.req.rss_script, "");
}
END_TEST

START_TEST(up_all_options)
{
	ck_assert_int_eq(parse("up", binary, "-args", "hang-after 2",
			       "-label", "pinger", "-period", "200ms",
			       "-script", "/etc/rs.single", "-maxtime", "3HZ",
			       "-state", "4", NULL), 0);
	ck_assert_str_eq(cmd.req.rss_args, "hang-after 2");
	ck_assert_str_eq(cmd.req.rss_label, "pinger");
	ck_assert_uint_eq(cmd.req.rss_period_ms, 200);
	ck_assert_str_eq(cmd.req.rss_script, "/etc/rs.single");
	ck_assert_int_eq(cmd.req.rss_maxtime_ms, 3000);
	ck_assert_int_eq(cmd.req.rss_state, 4);
}
END_TEST

START_TEST(up_label_truncated_and_progname)
{
	ck_assert_int_eq(parse("up", binary, "-label",
			       "0123456789abcdefghij", NULL), 0);
	ck_assert_str_eq(cmd.req.rss_label, "0123456789abcde");
	ck_assert_int_eq(parse("up", binary, "-progname", "hello", NULL), 0);
	ck_assert_str_eq(cmd.req.rss_label, "hello");
	/* An explicit label wins over -progname, in either order. */
	ck_assert_int_eq(parse("up", binary, "-label", "x", "-progname", "y",
			       NULL), 0);
	ck_assert_str_eq(cmd.req.rss_label, "x");
}
END_TEST

START_TEST(maxtime_zero_means_none)
{
	ck_assert_int_eq(parse("up", binary, "-maxtime", "0", NULL), 0);
	ck_assert_int_eq(cmd.req.rss_maxtime_ms, -1);
}
END_TEST

START_TEST(flags_each)
{
	static const struct {
		const char *flag;
		uint32_t rss;
	} cases[] = {
		{ "-c", RSS_COPY },
		{ "-r", RSS_REUSE | RSS_COPY },
		{ "-n", RSS_NOBLOCK },
		{ "-p", RSS_REPLICA },
		{ "-b", RSS_NO_BIN_EXP },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(parse(cases[i].flag, "up", binary, NULL), 0);
		ck_assert_uint_eq(cmd.req.rss_flags, cases[i].rss);
	}
}
END_TEST

START_TEST(flags_combined_and_separate)
{
	ck_assert_int_eq(parse("-cn", "-b", "up", binary, NULL), 0);
	ck_assert_uint_eq(cmd.req.rss_flags,
			  RSS_COPY | RSS_NOBLOCK | RSS_NO_BIN_EXP);
}
END_TEST

START_TEST(flags_rejected)
{
	ck_assert_int_eq(parse("-k", "up", binary, NULL), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "unknown flag -k"));
	ck_assert_int_eq(parse("-x", "up", binary, NULL), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "not supported"));
	ck_assert_int_eq(parse("-", "up", binary, NULL), EINVAL);
	/* -q is for update only */
	ck_assert_int_eq(parse("-q", "up", binary, NULL), EINVAL);
	/* flags do not qualify down, status or lookup */
	ck_assert_int_eq(parse("-n", "down", "hello", NULL), EINVAL);
	ck_assert_int_eq(parse("-c", "status", NULL), EINVAL);
	ck_assert_int_eq(parse("-p", "lookup", "hello", NULL), EINVAL);
}
END_TEST

START_TEST(binary_rejected)
{
	char missing[128];

	ck_assert_int_eq(parse("up", NULL), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "missing binary"));
	ck_assert_int_eq(parse("up", "hello", NULL), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "not an absolute path"));
	ck_assert_int_eq(parse("up", "./hello", NULL), EINVAL);
	snprintf(missing, sizeof(missing), "%s/missing", tmpdir);
	ck_assert_int_eq(parse("up", missing, NULL), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	ck_assert_int_eq(parse("up", tmpdir, NULL), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
}
END_TEST

START_TEST(options_rejected)
{
	char long_args[RS_MAX_COMMAND_LEN + 8];
	char long_script[RS_MAX_SCRIPT_LEN + 8];

	ck_assert_int_eq(parse("up", binary, "-label", NULL), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "needs a value"));
	ck_assert_int_eq(parse("up", binary, "-label", "", NULL), EINVAL);
	ck_assert_int_eq(parse("up", binary, "-progname", "", NULL), EINVAL);
	ck_assert_int_eq(parse("up", binary, "-bogus", "1", NULL), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "unknown option -bogus"));
	ck_assert_int_eq(parse("up", binary, "stray", "1", NULL), EINVAL);
	ck_assert_int_eq(parse("up", binary, "-config", "/etc/x", NULL),
			 EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "not supported"));
	ck_assert_int_eq(parse("up", binary, "-dev", "/dev/x", NULL), EINVAL);
	ck_assert_int_eq(parse("up", binary, "-period", "fast", NULL), EINVAL);
	ck_assert_int_eq(parse("up", binary, "-maxtime", "-1", NULL), EINVAL);
	ck_assert_int_eq(parse("up", binary, "-state", "0", NULL), EINVAL);
	ck_assert_int_eq(parse("up", binary, "-state", "x", NULL), EINVAL);
	ck_assert_int_eq(parse("up", binary, "-state", "1x", NULL), EINVAL);
	ck_assert_int_eq(parse("up", binary, "-script", "rs.single", NULL),
			 EINVAL);

	memset(long_args, 'a', sizeof(long_args) - 1);
	long_args[sizeof(long_args) - 1] = '\0';
	ck_assert_int_eq(parse("up", binary, "-args", long_args, NULL),
			 EINVAL);
	memset(long_script, 'a', sizeof(long_script) - 1);
	long_script[0] = '/';
	long_script[sizeof(long_script) - 1] = '\0';
	ck_assert_int_eq(parse("up", binary, "-script", long_script, NULL),
			 EINVAL);
}
END_TEST

START_TEST(args_count_limit)
{
	/* RS splits on spaces; runs of spaces do not make empty arguments. */
	ck_assert_int_eq(parse("up", binary, "-args",
			       "1 2 3 4 5  6 7 8 9 10 ", NULL), 0);
	ck_assert_int_eq(parse("up", binary, "-args",
			       "1 2 3 4 5 6 7 8 9 10 11", NULL), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "at most 10"));
}
END_TEST

START_TEST(down_and_lookup)
{
	ck_assert_int_eq(parse("down", "hello", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_DOWN);
	ck_assert_uint_eq(cmd.req.rq_type, RS_DOWN);
	ck_assert_str_eq(cmd.req.rss_label, "hello");

	ck_assert_int_eq(parse("lookup", "hello", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_LOOKUP);
	ck_assert_uint_eq(cmd.req.rq_type, RS_LOOKUP);
	ck_assert_str_eq(cmd.req.rss_label, "hello");

	ck_assert_int_eq(parse("down", NULL), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "missing label"));
	ck_assert_int_eq(parse("down", "a", "b", NULL), EINVAL);
	ck_assert_int_eq(parse("lookup", "", NULL), EINVAL);
	ck_assert_int_eq(parse("lookup", NULL), EINVAL);
}
END_TEST

START_TEST(status_forms)
{
	ck_assert_int_eq(parse("status", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_STATUS);
	ck_assert_uint_eq(cmd.req.rq_type, RS_STATUS);
	ck_assert(cmd.all);
	ck_assert(!cmd.json);
	ck_assert_uint_eq(cmd.req.rq_index, 0);

	ck_assert_int_eq(parse("status", "-j", "hello", NULL), 0);
	ck_assert(!cmd.all);
	ck_assert(cmd.json);
	ck_assert_str_eq(cmd.req.rss_label, "hello");

	ck_assert_int_eq(parse("status", "hello", "-j", NULL), 0);
	ck_assert(cmd.json);

	ck_assert_int_eq(parse("status", "a", "b", NULL), EINVAL);
	ck_assert_int_eq(parse("status", "-x", NULL), EINVAL);
}
END_TEST

START_TEST(actions)
{
	ck_assert_int_eq(parse(NULL), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "missing action"));
	ck_assert_int_eq(parse("-c", NULL), EINVAL);
	ck_assert_int_eq(parse("frobnicate", NULL), EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "unknown action frobnicate"));
	ck_assert_int_eq(parse("update", binary, NULL), ENOSYS);
	ck_assert_int_eq(parse("refresh", "hello", NULL), ENOSYS);
	ck_assert_int_eq(parse("monitor", NULL), ENOSYS);
	ck_assert_int_eq(parse("--help", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_HELP);
	ck_assert_int_eq(parse("help", NULL), 0);
	ck_assert_int_eq(cmd.action, SERVICE_HELP);
}
END_TEST

START_TEST(time_formats)
{
	uint32_t ms = 12345;

	ck_assert_int_eq(service_parse_time_ms("0", 100, &ms), 0);
	ck_assert_uint_eq(ms, 0);
	ck_assert_int_eq(service_parse_time_ms("5", 100, &ms), 0);
	ck_assert_uint_eq(ms, 50);
	/* a tick that does not divide 1000 rounds up */
	ck_assert_int_eq(service_parse_time_ms("1", 60, &ms), 0);
	ck_assert_uint_eq(ms, 17);
	ck_assert_int_eq(service_parse_time_ms("5HZ", 100, &ms), 0);
	ck_assert_uint_eq(ms, 5000);
	ck_assert_int_eq(service_parse_time_ms("250ms", 100, &ms), 0);
	ck_assert_uint_eq(ms, 250);
	ck_assert_int_eq(service_parse_time_ms("2147483647ms", 100, &ms), 0);
	ck_assert_uint_eq(ms, 2147483647u);
}
END_TEST

START_TEST(time_rejected)
{
	static const char *const bad[] = {
		"", "ms", "HZ", "-5", "+5", " 5", "5 ", "5hz", "5Hz", "5s",
		"5MS", "1.5HZ", "0x10", "2147483648ms", "2147484HZ",
		"99999999999999999999", "2147483647",
	};
	uint32_t ms = 777;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(service_parse_time_ms(bad[i], 100, &ms) == EINVAL,
			      "accepted \"%s\"", bad[i]);
		ck_assert_uint_eq(ms, 777);
	}
	ck_assert_int_eq(service_parse_time_ms("5", 0, &ms), EINVAL);
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("service_parse");
	TCase *tc = tcase_create("parse");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, up_defaults);
	tcase_add_test(tc, up_all_options);
	tcase_add_test(tc, up_label_truncated_and_progname);
	tcase_add_test(tc, maxtime_zero_means_none);
	tcase_add_test(tc, flags_each);
	tcase_add_test(tc, flags_combined_and_separate);
	tcase_add_test(tc, flags_rejected);
	tcase_add_test(tc, binary_rejected);
	tcase_add_test(tc, options_rejected);
	tcase_add_test(tc, args_count_limit);
	tcase_add_test(tc, down_and_lookup);
	tcase_add_test(tc, status_forms);
	tcase_add_test(tc, actions);
	tcase_add_test(tc, time_formats);
	tcase_add_test(tc, time_rejected);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
