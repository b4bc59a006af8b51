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
