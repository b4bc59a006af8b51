// SPDX-License-Identifier: MIT
/* libsef's error names: MINIX's own numbers and Linux's, either sign. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minix/errors.h>
#include <minix/ipc.h>

START_TEST(minix_errors_named)
{
	ck_assert_str_eq(sef_errname(EDEADSRCDST), "EDEADSRCDST");
	ck_assert_str_eq(sef_errname(-EDEADEPT), "EDEADEPT");
	ck_assert_str_eq(sef_errname(-ECALLDENIED), "ECALLDENIED");
	ck_assert_str_eq(sef_errmsg(-EDEADEPT), "dead endpoint");
	ck_assert_str_eq(sef_strerror(-EDEADEPT), "EDEADEPT (dead endpoint)");
	ck_assert_str_eq(sef_strerror(ENOTREADY),
			 "ENOTREADY (source or destination not ready)");
}
END_TEST

START_TEST(linux_errors_as_glibc)
{
	ck_assert_str_eq(sef_errname(-EBUSY), "EBUSY");
	ck_assert_str_eq(sef_errname(ERESTART), "ERESTART");
	ck_assert_str_eq(sef_errmsg(-EPERM), strerror(EPERM));
	/* A Linux error reads as strerror() says, with no name added. */
	ck_assert_str_eq(sef_strerror(-ESRCH), strerror(ESRCH));
}
END_TEST

START_TEST(ok_and_unknown)
{
	char unknown[64];

	ck_assert_str_eq(sef_errname(OK), "OK");
	ck_assert_ptr_null(sef_errname(-4000));
	/* strerror()'s buffer for an unknown number lasts until its next call. */
	snprintf(unknown, sizeof(unknown), "%s", strerror(4000));
	ck_assert_str_eq(sef_strerror(-4000), unknown);
}
END_TEST

/* Every MINIX number of the uapi header has a name and a meaning. */
START_TEST(every_minix_error_known)
{
	static const int numbers[] = {
		ENOTREADY, EDEADSRCDST, EDONTREPLY, EGENERIC, EBADREQUEST,
		ELOCKED, EBADCALL, ECALLDENIED, ETRAPDENIED, EDEADEPT,
	};

	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		const char *name = sef_errname(numbers[i]);

		ck_assert_ptr_nonnull(name);
		ck_assert_int_eq(name[0], 'E');
		ck_assert_ptr_nonnull(strstr(sef_strerror(numbers[i]), name));
	}
}
END_TEST

static Suite *errors_suite(void)
{
	Suite *s = suite_create("sef_errors");
	TCase *tc = tcase_create("errors");

	tcase_add_test(tc, minix_errors_named);
	tcase_add_test(tc, linux_errors_as_glibc);
	tcase_add_test(tc, ok_and_unknown);
	tcase_add_test(tc, every_minix_error_known);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(errors_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
