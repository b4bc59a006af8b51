// SPDX-License-Identifier: MIT
/* rs-daemon: argv splitting, default labels, request field copies. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/rs/cmdline.h"

static char args[RS_MAX_COMMAND_LEN];
static char buf[RS_MAX_COMMAND_LEN];
static char *argv[RS_ARGV_MAX];

static int split(const char *text)
{
	memset(args, 0, sizeof(args));
	strncpy(args, text, sizeof(args) - 1);
	return cmdline_build_argv("/bin/svc", args, buf, argv);
}

START_TEST(no_arguments)
{
	ck_assert_int_eq(split(""), 1);
	ck_assert_str_eq(argv[0], "/bin/svc");
	ck_assert_ptr_null(argv[1]);
}
END_TEST

START_TEST(arguments_split_on_spaces)
{
	ck_assert_int_eq(split("  hang-after   2 "), 3);
	ck_assert_str_eq(argv[0], "/bin/svc");
	ck_assert_str_eq(argv[1], "hang-after");
	ck_assert_str_eq(argv[2], "2");
	ck_assert_ptr_null(argv[3]);
}
END_TEST

START_TEST(at_most_max_nr_args)
{
	ck_assert_int_eq(split("1 2 3 4 5 6 7 8 9 10"), MAX_NR_ARGS + 1);
	ck_assert_str_eq(argv[MAX_NR_ARGS], "10");
	ck_assert_ptr_null(argv[MAX_NR_ARGS + 1]);
	ck_assert_int_eq(split("1 2 3 4 5 6 7 8 9 10 11"), -E2BIG);
}
END_TEST

START_TEST(unterminated_args_rejected)
{
	memset(args, 'a', sizeof(args));
	ck_assert_int_eq(cmdline_build_argv("/bin/svc", args, buf, argv),
			 -EINVAL);
}
END_TEST

START_TEST(default_label_is_basename)
{
	char label[RS_MAX_LABEL_LEN];

	ck_assert_int_eq(cmdline_default_label("/usr/libexec/mxsys/hello",
					       label), 0);
	ck_assert_str_eq(label, "hello");
	ck_assert_int_eq(cmdline_default_label("hello", label), 0);
	ck_assert_str_eq(label, "hello");
}
END_TEST

START_TEST(default_label_truncated_to_15)
{
	char label[RS_MAX_LABEL_LEN];

	ck_assert_int_eq(cmdline_default_label("/x/abcdefghijklmnopqrstuvwxyz",
					       label), 0);
	ck_assert_str_eq(label, "abcdefghijklmno");
}
END_TEST

START_TEST(default_label_of_directory_rejected)
{
	char label[RS_MAX_LABEL_LEN];

	ck_assert_int_eq(cmdline_default_label("/usr/sbin/", label), -EINVAL);
}
END_TEST

START_TEST(copy_field_needs_nul)
{
	char field[8] = { 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h' };
	char dst[16];

	ck_assert_int_eq(cmdline_copy_field(dst, sizeof(dst), field,
					    sizeof(field)), -EINVAL);
	field[3] = '\0';
	ck_assert_int_eq(cmdline_copy_field(dst, sizeof(dst), field,
					    sizeof(field)), 0);
	ck_assert_str_eq(dst, "abc");
	/* Fits the field but not the destination. */
	ck_assert_int_eq(cmdline_copy_field(dst, 3, field, sizeof(field)),
			 -EINVAL);
}
END_TEST

START_TEST(label_validity)
{
	ck_assert(cmdline_valid_label("hello"));
	ck_assert(cmdline_valid_label("ds"));
	ck_assert(cmdline_valid_label("abcdefghijklmno"));
	ck_assert(!cmdline_valid_label(""));
	ck_assert(!cmdline_valid_label("a b"));
	ck_assert(!cmdline_valid_label("a/b"));
	ck_assert(!cmdline_valid_label("tab\there"));
	ck_assert(!cmdline_valid_label("abcdefghijklmnop"));
}
END_TEST

static int command(const char *binary, const char *arguments, char *why)
{
	struct rs_request rq;
	char bin[RS_MAX_COMMAND_LEN], out_args[RS_MAX_COMMAND_LEN];

	memset(&rq, 0, sizeof(rq));
	/* Up to the whole field: a binary as long as it has no NUL. */
	memcpy(rq.rss_cmd, binary, strnlen(binary, sizeof(rq.rss_cmd)));
	strncpy(rq.rss_args, arguments, sizeof(rq.rss_args) - 1);
	why[0] = '\0';
	return cmdline_command(&rq, bin, out_args, why, 160);
}

START_TEST(command_needs_an_executable_by_absolute_path)
{
	char why[160];

	ck_assert_int_eq(command("/bin/true", "a b", why), 3);
	ck_assert_int_eq(command("true", "", why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "absolute path"));
	ck_assert_int_eq(command("/nonexistent/svc", "", why), -ENOENT);
	/* A directory, and a file nobody may execute. */
	ck_assert_int_eq(command("/", "", why), -EINVAL);
	ck_assert_int_eq(cmdline_check_binary("/etc/passwd"), -EINVAL);
	ck_assert_int_eq(cmdline_check_binary("/bin/true"), 0);
}
END_TEST

START_TEST(command_fields_must_be_strings)
{
	char why[160];
	char unterminated[RS_MAX_COMMAND_LEN + 1];

	memset(unterminated, 'x', sizeof(unterminated) - 1);
	unterminated[sizeof(unterminated) - 1] = '\0';
	ck_assert_int_eq(command(unterminated, "", why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "not a string"));
}
END_TEST

START_TEST(command_arguments_checked_at_once)
{
	char why[160];

	ck_assert_int_eq(command("/bin/true", "1 2 3 4 5 6 7 8 9 10 11", why),
			 -E2BIG);
	ck_assert_ptr_nonnull(strstr(why, "more than"));
}
END_TEST

static Suite *cmdline_suite(void)
{
	Suite *s = suite_create("rs_cmdline");
	TCase *tc = tcase_create("cmdline");

	tcase_add_test(tc, no_arguments);
	tcase_add_test(tc, arguments_split_on_spaces);
	tcase_add_test(tc, at_most_max_nr_args);
	tcase_add_test(tc, unterminated_args_rejected);
	tcase_add_test(tc, default_label_is_basename);
	tcase_add_test(tc, default_label_truncated_to_15);
	tcase_add_test(tc, default_label_of_directory_rejected);
	tcase_add_test(tc, copy_field_needs_nul);
	tcase_add_test(tc, label_validity);
	tcase_add_test(tc, command_needs_an_executable_by_absolute_path);
	tcase_add_test(tc, command_fields_must_be_strings);
	tcase_add_test(tc, command_arguments_checked_at_once);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(cmdline_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
