/* SPDX-License-Identifier: MIT */
/*
 * SEF init dispatch: which callback runs for which type and debug flag,
 * and what is reported to RS. The response callback stands in for RS.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <minix/sef.h>

#include "../../libsef/sef_internal.h"

static struct {
	int calls;
	int type;
	sef_init_info_t info;
} seen_init;

static struct {
	int calls;
	message m;
	int result;	/* what the fake RS returns */
} seen_response;

static int record_init(int type, sef_init_info_t *info)
{
	seen_init.calls++;
	seen_init.type = type;
	seen_init.info = *info;
	return OK;
}

static int failing_init(int type, sef_init_info_t *info)
{
	record_init(type, info);
	return -EGENERIC;
}

static int fake_rs(message *m)
{
	seen_response.calls++;
	seen_response.m = *m;
	return seen_response.result;
}

static void setup(void)
{
	memset(&seen_init, 0, sizeof(seen_init));
	memset(&seen_response, 0, sizeof(seen_response));
	sef_setcb_init_fresh(record_init);
	sef_setcb_init_lu(record_init);
	sef_setcb_init_restart(record_init);
	sef_setcb_init_response(fake_rs);
}

static sef_init_info_t info_with_flags(int flags)
{
	sef_init_info_t info = {
		.flags = flags,
		.endpoint = MXSYS_ENDPOINT(0, 9),
		.old_endpoint = NONE,
		.restarts = 0,
		.prepare_state = 0,
	};
	return info;
}

START_TEST(fresh_runs_the_fresh_callback_and_reports_ok)
{
	sef_init_info_t info = info_with_flags(0);

	ck_assert_int_eq(sef_init_process(SEF_INIT_FRESH, &info), OK);
	ck_assert_int_eq(seen_init.calls, 1);
	ck_assert_int_eq(seen_init.type, SEF_INIT_FRESH);
	ck_assert_int_eq(seen_init.info.endpoint, MXSYS_ENDPOINT(0, 9));
	ck_assert_int_eq(seen_response.calls, 1);
	ck_assert_int_eq(seen_response.m.m_type, RS_INIT);
	ck_assert_int_eq(seen_response.m.m_rs_init.result, OK);
}
END_TEST

START_TEST(each_type_has_its_callback)
{
	sef_init_info_t info = info_with_flags(0);

	sef_setcb_init_restart(failing_init);
	ck_assert_int_eq(sef_init_process(SEF_INIT_RESTART, &info), -EGENERIC);
	ck_assert_int_eq(seen_response.m.m_rs_init.result, -EGENERIC);
	ck_assert_int_eq(seen_init.type, SEF_INIT_RESTART);

	ck_assert_int_eq(sef_init_process(SEF_INIT_LU, &info), OK);
	ck_assert_int_eq(seen_init.type, SEF_INIT_LU);
	ck_assert_int_eq(seen_init.calls, 2);
}
END_TEST

START_TEST(unknown_type_is_einval)
{
	sef_init_info_t info = info_with_flags(0);

	ck_assert_int_eq(sef_init_process(7, &info), -EINVAL);
	ck_assert_int_eq(seen_init.calls, 0);
	ck_assert_int_eq(seen_response.calls, 1);
	ck_assert_int_eq(seen_response.m.m_rs_init.result, -EINVAL);
}
END_TEST

START_TEST(fail_flag_reports_enosys_without_the_callback)
{
	sef_init_info_t info = info_with_flags(SEF_INIT_FAIL);

	ck_assert_int_eq(sef_init_process(SEF_INIT_FRESH, &info), -ENOSYS);
	ck_assert_int_eq(seen_init.calls, 0);
	ck_assert_int_eq(seen_response.m.m_rs_init.result, -ENOSYS);
}
END_TEST

START_TEST(defcb_flag_forces_the_default_callback)
{
	sef_init_info_t info = info_with_flags(SEF_INIT_DEFCB);

	sef_setcb_init_fresh(failing_init);
	ck_assert_int_eq(sef_init_process(SEF_INIT_FRESH, &info), OK);
	ck_assert_int_eq(seen_init.calls, 0);
	ck_assert_int_eq(seen_response.m.m_rs_init.result, OK);
}
END_TEST

START_TEST(crash_flag_aborts)
{
	sef_init_info_t info = info_with_flags(SEF_INIT_CRASH);

	sef_init_process(SEF_INIT_FRESH, &info);
}
END_TEST

START_TEST(failed_report_fails_the_init)
{
	sef_init_info_t info = info_with_flags(0);

	seen_response.result = -EDEADSRCDST;
	ck_assert_int_eq(sef_init_process(SEF_INIT_FRESH, &info),
			 -EDEADSRCDST);
	ck_assert_int_eq(seen_init.calls, 1);
}
END_TEST

START_TEST(predefined_callbacks)
{
	sef_init_info_t info = info_with_flags(0);

	ck_assert_int_eq(sef_cb_init_null(SEF_INIT_FRESH, &info), OK);
	ck_assert_int_eq(sef_cb_init_fail(SEF_INIT_FRESH, &info), -ENOSYS);
	ck_assert_int_eq(sef_cb_init_reset(SEF_INIT_RESTART, &info), -ERESTART);
	ck_assert_int_eq(sef_cb_init_response_null(&(message){ 0 }), -ENOSYS);
}
END_TEST

START_TEST(defcb_restart_is_a_reset)
{
	sef_init_info_t info = info_with_flags(SEF_INIT_DEFCB);

	ck_assert_int_eq(sef_init_process(SEF_INIT_RESTART, &info), -ERESTART);
	ck_assert_int_eq(seen_init.calls, 0);
	ck_assert_int_eq(seen_response.m.m_rs_init.result, -ERESTART);
	/* Linux's number, which minix-service exits with. */
	ck_assert_int_eq(ERESTART, 85);
}
END_TEST

START_TEST(defcb_lu_restarts_in_place)
{
	sef_init_info_t info = info_with_flags(SEF_INIT_DEFCB | SEF_LU_SELF);

	/* lu_generic -> identity as restart -> DEFCB: the stateful one. */
	ck_assert_int_eq(sef_init_process(SEF_INIT_LU, &info), OK);
	ck_assert_int_eq(seen_init.calls, 0);

	info = info_with_flags(SEF_INIT_DEFCB);
	ck_assert_int_eq(sef_init_process(SEF_INIT_LU, &info), -ENOSYS);
}
END_TEST

START_TEST(restart_policy_follows_the_restart_callback)
{
	sef_init_info_t info = info_with_flags(0);

	ck_assert_int_eq(sef_init_process(SEF_INIT_FRESH, &info), OK);
	ck_assert_uint_eq(seen_response.m.m_rs_init.restart_policy,
			  RS_POLICY_RESTART);

	sef_setcb_init_restart(sef_cb_init_reset);
	ck_assert_int_eq(sef_init_process(SEF_INIT_FRESH, &info), OK);
	ck_assert_uint_eq(seen_response.m.m_rs_init.restart_policy,
			  RS_POLICY_RESET);

	sef_setcb_init_restart(SEF_CB_INIT_RESTART_STATEFUL);
	ck_assert_int_eq(sef_init_process(SEF_INIT_FRESH, &info), OK);
	ck_assert_uint_eq(seen_response.m.m_rs_init.restart_policy,
			  RS_POLICY_RESTART);

	/* Even a failed init tells RS what a restart would do. */
	sef_setcb_init_restart(sef_cb_init_reset);
	info = info_with_flags(SEF_INIT_FAIL);
	ck_assert_int_eq(sef_init_process(SEF_INIT_FRESH, &info), -ENOSYS);
	ck_assert_uint_eq(seen_response.m.m_rs_init.restart_policy,
			  RS_POLICY_RESET);
}
END_TEST

static int response_fd = -1;

static int report_response(message *m)
{
	(void)m;
	ck_assert_int_eq(write(response_fd, "R", 1), 1);
	return OK;
}

START_TEST(timeout_flag_never_answers)
{
	sef_init_info_t info = info_with_flags(SEF_INIT_TIMEOUT);
	int fds[2], status;
	char c;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		response_fd = fds[1];
		sef_setcb_init_response(report_response);
		sef_init_process(SEF_INIT_FRESH, &info);
		_exit(0);
	}
	close(fds[1]);
	/* Still waiting after a while, without a word to RS. */
	usleep(200 * 1000);
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(read(fds[0], &c, 1), 0);
	close(fds[0]);
}
END_TEST

START_TEST(restart_generic_keeps_the_endpoint)
{
	sef_init_info_t info = info_with_flags(0);

	ck_assert_int_eq(sef_cb_init_restart_generic(SEF_INIT_RESTART, &info), OK);
	ck_assert_int_eq(sef_cb_init_restart_generic(SEF_INIT_FRESH, &info), -ENOSYS);
	ck_assert_int_eq(sef_cb_init_restart_generic(SEF_INIT_LU, &info), -ENOSYS);
	info.flags = SEF_LU_SELF;
	ck_assert_int_eq(sef_cb_init_restart_generic(SEF_INIT_LU, &info), OK);
	/* Asking for another kind of state transfer is not an identity update. */
	info.flags = SEF_LU_SELF | SEF_INIT_ST;
	ck_assert_int_eq(sef_cb_init_restart_generic(SEF_INIT_LU, &info), -ENOSYS);
	info.flags = SEF_LU_SELF | SEF_LU_ASR;
	ck_assert_int_eq(sef_cb_init_restart_generic(SEF_INIT_LU, &info), -ENOSYS);
}
END_TEST

START_TEST(identity_update_runs_the_restart_callback)
{
	sef_init_info_t info = info_with_flags(SEF_LU_SELF);

	ck_assert_int_eq(sef_cb_init_lu_identity_as_restart(SEF_INIT_LU, &info), OK);
	ck_assert_int_eq(seen_init.calls, 1);
	ck_assert_int_eq(seen_init.type, SEF_INIT_LU);

	sef_setcb_init_restart(failing_init);
	ck_assert_int_eq(sef_cb_init_lu_identity_as_restart(SEF_INIT_LU, &info),
			 -EGENERIC);
	ck_assert_int_eq(seen_init.calls, 2);

	/* Through the generic LU callback, the default. */
	ck_assert_int_eq(sef_cb_init_lu_generic(SEF_INIT_LU, &info), -EGENERIC);
	ck_assert_int_eq(seen_init.calls, 3);
}
END_TEST

START_TEST(identity_update_never_resets)
{
	sef_init_info_t info = info_with_flags(SEF_LU_SELF);

	sef_setcb_init_restart(sef_cb_init_reset);
	ck_assert_int_eq(sef_cb_init_lu_identity_as_restart(SEF_INIT_LU, &info), OK);

	/* Nor does it run a callback RS asked to bypass. */
	sef_setcb_init_restart(failing_init);
	info.flags = SEF_LU_SELF | SEF_INIT_SCRIPT_RESTART;
	ck_assert_int_eq(sef_cb_init_lu_identity_as_restart(SEF_INIT_LU, &info), OK);
	info.flags = SEF_LU_SELF | SEF_INIT_DEFCB;
	ck_assert_int_eq(sef_cb_init_lu_identity_as_restart(SEF_INIT_LU, &info), OK);
	ck_assert_int_eq(seen_init.calls, 0);
}
END_TEST

START_TEST(new_binary_update_has_no_state_transfer)
{
	sef_init_info_t info = info_with_flags(0);

	ck_assert_int_eq(sef_cb_init_lu_generic(SEF_INIT_LU, &info), -ENOSYS);
	ck_assert_int_eq(sef_cb_init_lu_identity_as_restart(SEF_INIT_LU, &info),
			 -ENOSYS);
	info.flags = SEF_LU_SELF | SEF_LU_NOMMAP;
	ck_assert_int_eq(sef_cb_init_lu_generic(SEF_INIT_LU, &info), -ENOSYS);
	ck_assert_int_eq(seen_init.calls, 0);

	/* The default LU callback is the generic one. */
	sef_setcb_init_lu(SEF_CB_INIT_LU_DEFAULT);
	info.flags = 0;
	ck_assert_int_eq(sef_init_process(SEF_INIT_LU, &info), -ENOSYS);
	ck_assert_int_eq(seen_response.m.m_rs_init.result, -ENOSYS);
}
END_TEST

static Suite *sef_init_suite(void)
{
	Suite *s = suite_create("sef_init");
	TCase *tc = tcase_create("dispatch");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, fresh_runs_the_fresh_callback_and_reports_ok);
	tcase_add_test(tc, each_type_has_its_callback);
	tcase_add_test(tc, unknown_type_is_einval);
	tcase_add_test(tc, fail_flag_reports_enosys_without_the_callback);
	tcase_add_test(tc, defcb_flag_forces_the_default_callback);
	tcase_add_test_raise_signal(tc, crash_flag_aborts, SIGABRT);
	tcase_add_test(tc, failed_report_fails_the_init);
	tcase_add_test(tc, predefined_callbacks);
	tcase_add_test(tc, defcb_restart_is_a_reset);
	tcase_add_test(tc, defcb_lu_restarts_in_place);
	tcase_add_test(tc, restart_policy_follows_the_restart_callback);
	tcase_add_test(tc, timeout_flag_never_answers);
	tcase_add_test(tc, restart_generic_keeps_the_endpoint);
	tcase_add_test(tc, identity_update_runs_the_restart_callback);
	tcase_add_test(tc, identity_update_never_resets);
	tcase_add_test(tc, new_binary_update_has_no_state_transfer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sef_init_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
