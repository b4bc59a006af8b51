// SPDX-License-Identifier: MIT
/* Unit tests of `minix-service status` output and error naming. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mxsys.h>

#include "../../tools/service/errors.h"
#include "../../tools/service/print.h"

static char *output;
static size_t output_len;

static FILE *capture(void)
{
	FILE *f = open_memstream(&output, &output_len);

	ck_assert_ptr_nonnull(f);
	return f;
}

static void release(void)
{
	free(output);
	output = NULL;
}

static struct rs_status sample(void)
{
	struct rs_status st;

	memset(&st, 0, sizeof(st));
	strcpy(st.label, "hello");
	st.endpoint = 32776;
	st.pid = 123;
	st.restarts = 2;
	st.flags = RS_STATUS_ACTIVE;
	strcpy(st.policy, "restart");
	strcpy(st.binary, "/usr/libexec/mxsys/hello");
	return st;
}

START_TEST(flag_letters)
{
	char text[STATUS_FLAGS_LEN];

	status_flags_text(0, text);
	ck_assert_str_eq(text, "-");
	status_flags_text(RS_STATUS_ACTIVE | RS_STATUS_NOPINGREPLY, text);
	ck_assert_str_eq(text, "AN");
	status_flags_text(0x3f, text);
	ck_assert_str_eq(text, "AUENID");
	/* unknown bits are not shown */
	status_flags_text(0x40000000, text);
	ck_assert_str_eq(text, "-");
}
END_TEST

START_TEST(text_order_and_period)
{
	struct rs_status st = sample();
	FILE *f = capture();

	status_print_text(f, &st);
	st.period_ms = 500;
	st.flags = 0;
	status_print_text(f, &st);
	fclose(f);
	ck_assert_str_eq(output,
			 "label: hello\nendpoint: 32776\npid: 123\n"
			 "restarts: 2\nflags: A\npolicy: restart\n"
			 "period: 0\nbinary: /usr/libexec/mxsys/hello\n"
			 "label: hello\nendpoint: 32776\npid: 123\n"
			 "restarts: 2\nflags: -\npolicy: restart\n"
			 "period: 500ms\nbinary: /usr/libexec/mxsys/hello\n");
	release();
}
END_TEST

START_TEST(unterminated_fields_stay_inside)
{
	struct rs_status st = sample();
	FILE *f = capture();

	memset(st.label, 'L', sizeof(st.label));
	memset(st.policy, 'P', sizeof(st.policy));
	memset(st.binary, 'B', sizeof(st.binary));
	status_print_text(f, &st);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(output, "label: LLLLLLLLLLLLLLLL\n"));
	ck_assert_ptr_nonnull(strstr(output, "policy: PPPPPPPPPPPPPPPP\n"));
	ck_assert_uint_eq(strlen(strstr(output, "binary: ")),
			  strlen("binary: \n") + RS_MAX_COMMAND_LEN);
	release();
}
END_TEST

START_TEST(json_object_and_escaping)
{
	struct rs_status st = sample();
	FILE *f = capture();

	st.period_ms = 200;
	strcpy(st.binary, "/a\"b\\c\n");
	status_print_json(f, &st);
	fclose(f);
	ck_assert_str_eq(output,
			 "{\"label\": \"hello\", \"endpoint\": 32776, "
			 "\"pid\": 123, \"restarts\": 2, \"flags\": \"A\", "
			 "\"policy\": \"restart\", \"period_ms\": 200, "
			 "\"binary\": \"/a\\\"b\\\\c\\u000a\"}");
	release();
}
END_TEST

START_TEST(error_names)
{
	ck_assert_str_eq(service_strerror(EDEADEPT), "EDEADEPT (dead endpoint)");
	ck_assert_ptr_nonnull(strstr(service_strerror(ECALLDENIED),
				     "ECALLDENIED"));
	ck_assert_str_eq(service_strerror(EPERM), strerror(EPERM));
	ck_assert_int_eq(service_exit_status(EPERM), 1);
	ck_assert_int_eq(service_exit_status(EDEADEPT), 215);
	ck_assert_int_eq(service_exit_status(0), EGENERIC);
	ck_assert_int_eq(service_exit_status(256), EGENERIC);
	ck_assert_int_eq(service_exit_status(-3), EGENERIC);
}
END_TEST

static Suite *print_suite(void)
{
	Suite *s = suite_create("service_print");
	TCase *tc = tcase_create("print");

	tcase_add_test(tc, flag_letters);
	tcase_add_test(tc, text_order_and_period);
	tcase_add_test(tc, unterminated_fields_stay_inside);
	tcase_add_test(tc, json_object_and_escaping);
	tcase_add_test(tc, error_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(print_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
