/* SPDX-License-Identifier: MIT */
/*
 * SEF signals on the fake mxsys: SIGS_SIGNAL_RECEIVED from RS or the
 * slot's own manager, the signal set of a notify from SYSTEM, the manager
 * side (sys_getksig records to the manager callback, EDEADEPT, endksig,
 * deaths), the predefined handlers, and sys_exit() on every exit.
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
#include "test_sef_fake.h"

#define MANAGER		MXSYS_ENDPOINT(0, 20)
#define STRANGER	MXSYS_ENDPOINT(0, 21)
#define TARGET_A	MXSYS_ENDPOINT(0, 30)
#define TARGET_B	MXSYS_ENDPOINT(2, 31)
#define TARGET_C	MXSYS_ENDPOINT(0, 32)
#define SIGS(a, b)	(MXSYS_SIGBIT(a) | MXSYS_SIGBIT(b))

static struct {
	int signals[16];
	int nsignals;
	endpoint_t targets[16];
	int managed[16];
	int nmanaged;
	endpoint_t dead_after;	/* the manager callback's EDEADEPT target */
	int fail_signo;		/* ... and the signal it fails with -EIO */
} seen;

static void record_signal(int signo)
{
	ck_assert_int_lt(seen.nsignals, 16);
	seen.signals[seen.nsignals++] = signo;
}

static int record_managed(endpoint_t target, int signo)
{
	ck_assert_int_lt(seen.nmanaged, 16);
	seen.targets[seen.nmanaged] = target;
	seen.managed[seen.nmanaged++] = signo;
	if (target == seen.dead_after)
		return -EDEADEPT;
	if (signo == seen.fail_signo)
		return -EIO;
	return OK;
}

static void setup(void)
{
	memset(&seen, 0, sizeof(seen));
	seen.dead_after = NONE;
	fake_reset();
	fake_start_service();
	sef_setcb_signal_handler(record_signal);
	sef_setcb_signal_manager(record_managed);
}

static void expect_drained(void)
{
	message m;

	ck_assert_int_eq(sef_receive(ANY, &m), FAKE_NO_MESSAGE);
}

static void push_signal_message(endpoint_t src, int signo)
{
	fake_push(src, SIGS_SIGNAL_RECEIVED, MXSYS_CALL_SENDA)->m_sigcalls.num =
		signo;
}

/* ---- the service's own signals ---------------------------------------- */

START_TEST(signal_message_from_rs_calls_the_handler)
{
	push_signal_message(RS_PROC_NR, SIGTERM);
	push_signal_message(RS_PROC_NR, SIGHUP);
	expect_drained();
	ck_assert_int_eq(seen.nsignals, 2);
	ck_assert_int_eq(seen.signals[0], SIGTERM);
	ck_assert_int_eq(seen.signals[1], SIGHUP);
	/* RS is always allowed: the module is not asked. */
	ck_assert_int_eq(fake.sig_mgr_calls, 0);
}
END_TEST

START_TEST(signal_message_from_the_slots_manager)
{
	message m;

	fake.sig_mgr = MANAGER;
	push_signal_message(MANAGER, SIGUSR1);
	push_signal_message(STRANGER, SIGUSR2);
	/* The manager's is a signal; a stranger's is an ordinary message. */
	ck_assert_int_eq(sef_receive(ANY, &m), OK);
	ck_assert_int_eq(m.m_source, STRANGER);
	ck_assert_int_eq(m.m_type, SIGS_SIGNAL_RECEIVED);
	ck_assert_int_eq(seen.nsignals, 1);
	ck_assert_int_eq(seen.signals[0], SIGUSR1);
	ck_assert_int_eq(fake.sig_mgr_calls, 2);
}
END_TEST

START_TEST(unknown_manager_means_not_a_signal)
{
	message m;

	fake.sig_mgr_result = -ENOENT;	/* no module, or the query failed */
	push_signal_message(MANAGER, SIGUSR1);
	ck_assert_int_eq(sef_receive(ANY, &m), OK);
	ck_assert_int_eq(m.m_source, MANAGER);
	ck_assert_int_eq(seen.nsignals, 0);
}
END_TEST

START_TEST(signal_number_out_of_range_is_dropped)
{
	push_signal_message(RS_PROC_NR, 0);
	push_signal_message(RS_PROC_NR, MXSYS_NSIG + 1);
	push_signal_message(RS_PROC_NR, -SIGTERM);
	push_signal_message(RS_PROC_NR, MXSYS_NSIG);
	expect_drained();
	ck_assert_int_eq(seen.nsignals, 1);
	ck_assert_int_eq(seen.signals[0], MXSYS_NSIG);
}
END_TEST

START_TEST(system_notify_delivers_its_set)
{
	fake_push_notify(SYSTEM, SIGS(SIGHUP, SIGTERM) | MXSYS_SIGBIT(64));
	expect_drained();
	ck_assert_int_eq(seen.nsignals, 3);
	ck_assert_int_eq(seen.signals[0], SIGHUP);
	ck_assert_int_eq(seen.signals[1], SIGTERM);
	ck_assert_int_eq(seen.signals[2], 64);
	/* Then managed slots are looked at: nothing there. */
	ck_assert_int_eq(fake.getksig_calls, 1);
	ck_assert_int_eq(seen.nmanaged, 0);
	ck_assert_int_eq(fake.nendksig, 0);
}
END_TEST

/* ---- the manager side ------------------------------------------------- */

START_TEST(manager_gets_each_signal_then_ends_it)
{
	fake_push_ksig(TARGET_A, 0, SIGS(SIGHUP, SIGTERM), 0);
	fake_push_ksig(TARGET_C, 0, MXSYS_SIGBIT(SIGUSR1), 0);
	fake_push_notify(SYSTEM, 0);
	expect_drained();

	ck_assert_int_eq(seen.nsignals, 0);
	ck_assert_int_eq(seen.nmanaged, 3);
	ck_assert_int_eq(seen.targets[0], TARGET_A);
	ck_assert_int_eq(seen.managed[0], SIGHUP);
	ck_assert_int_eq(seen.targets[1], TARGET_A);
	ck_assert_int_eq(seen.managed[1], SIGTERM);
	ck_assert_int_eq(seen.targets[2], TARGET_C);
	ck_assert_int_eq(seen.managed[2], SIGUSR1);
	ck_assert_int_eq(fake.nendksig, 2);
	ck_assert_int_eq(fake.endksig[0], TARGET_A);
	ck_assert_int_eq(fake.endksig[1], TARGET_C);
	/* Until NONE. */
	ck_assert_int_eq(fake.getksig_calls, 3);
}
END_TEST

START_TEST(manager_stops_at_edeadept)
{
	seen.dead_after = TARGET_A;
	fake_push_ksig(TARGET_A, 0, SIGS(SIGHUP, SIGTERM), 0);
	fake_push_ksig(TARGET_C, 0, MXSYS_SIGBIT(SIGUSR1), 0);
	fake_push_notify(SYSTEM, 0);
	expect_drained();

	/* SIGTERM is not offered for a dead target, nor is it ended. */
	ck_assert_int_eq(seen.nmanaged, 2);
	ck_assert_int_eq(seen.managed[0], SIGHUP);
	ck_assert_int_eq(seen.targets[1], TARGET_C);
	ck_assert_int_eq(fake.nendksig, 1);
	ck_assert_int_eq(fake.endksig[0], TARGET_C);
}
END_TEST

START_TEST(manager_error_leaves_the_target_frozen)
{
	/* MINIX ends the signals only when the last callback said OK. */
	seen.fail_signo = SIGTERM;
	fake_push_ksig(TARGET_A, 0, SIGS(SIGHUP, SIGTERM), 0);
	/* Signals go in number order: SIGCHLD's OK comes last. */
	fake_push_ksig(TARGET_C, 0, SIGS(SIGTERM, SIGCHLD), 0);
	fake_push_notify(SYSTEM, 0);
	expect_drained();

	ck_assert_int_eq(seen.nmanaged, 4);
	ck_assert_int_eq(seen.managed[3], SIGCHLD);
	ck_assert_int_eq(fake.nendksig, 1);
	ck_assert_int_eq(fake.endksig[0], TARGET_C);
}
END_TEST

START_TEST(death_is_a_termination_signal)
{
	fake_push_ksig(TARGET_A, MXSYS_KSIG_DEAD, 0, SIGSEGV);	/* killed */
	fake_push_ksig(TARGET_B, MXSYS_KSIG_DEAD, 0, 3 << 8);	/* exit(3) */
	fake_push_ksig(TARGET_C, MXSYS_KSIG_DEAD, 0, SIGKILL);
	fake_push_notify(SYSTEM, 0);
	expect_drained();

	ck_assert_int_eq(seen.nmanaged, 3);
	ck_assert_int_eq(seen.managed[0], SIGSEGV);
	/* A voluntary exit is MINIX's sys_exit(): SIGABRT. */
	ck_assert_int_eq(seen.targets[1], TARGET_B);
	ck_assert_int_eq(seen.managed[1], SIGABRT);
	ck_assert_int_eq(seen.managed[2], SIGKILL);
	/* Ending a dead slot is harmless, so every record is ended. */
	ck_assert_int_eq(fake.nendksig, 3);
}
END_TEST

START_TEST(own_signals_come_before_managed_ones)
{
	fake_push_ksig(TARGET_A, 0, MXSYS_SIGBIT(SIGINT), 0);
	fake_push_notify(SYSTEM, MXSYS_SIGBIT(SIGHUP));
	expect_drained();
	ck_assert_int_eq(seen.nsignals, 1);
	ck_assert_int_eq(seen.nmanaged, 1);
	ck_assert_int_eq(seen.managed[0], SIGINT);
}
END_TEST

START_TEST(non_manager_is_asked_once)
{
	fake.getksig_result = -ECALLDENIED;
	for (int i = 0; i < 3; i++)
		fake_push_notify(SYSTEM, MXSYS_SIGBIT(SIGHUP));
	expect_drained();
	ck_assert_int_eq(seen.nsignals, 3);
	ck_assert_int_eq(fake.getksig_calls, 1);

	/* A notify without own signals can only be for managed slots. */
	fake.getksig_result = OK;
	fake_push_ksig(TARGET_A, 0, MXSYS_SIGBIT(SIGINT), 0);
	fake_push_notify(SYSTEM, 0);
	fake_push_notify(SYSTEM, MXSYS_SIGBIT(SIGHUP));
	expect_drained();
	ck_assert_int_eq(seen.nmanaged, 1);
	/* Allowed again: asked at every notify. */
	ck_assert_int_eq(fake.getksig_calls, 1 + 2 + 1);
}
END_TEST

START_TEST(getksig_failure_is_not_fatal)
{
	fake.getksig_result = -EFAULT;
	fake_push_notify(SYSTEM, MXSYS_SIGBIT(SIGHUP));
	fake_push_notify(SYSTEM, MXSYS_SIGBIT(SIGHUP));
	expect_drained();
	ck_assert_int_eq(seen.nsignals, 2);
	/* Not a denial: still asked. */
	ck_assert_int_eq(fake.getksig_calls, 2);
}
END_TEST

START_TEST(null_manager_ends_every_record)
{
	sef_setcb_signal_manager(sef_cb_signal_manager_null);
	fake_push_ksig(TARGET_A, 0, SIGS(SIGHUP, SIGTERM), 0);
	fake_push_notify(SYSTEM, 0);
	expect_drained();
	ck_assert_int_eq(fake.nendksig, 1);
	ck_assert_int_eq(sef_cb_signal_manager_null(TARGET_A, SIGTERM), OK);
}
END_TEST

/* ---- predefined handlers ---------------------------------------------- */

static const int posix_ignored[] = {
	SIGCHLD, SIGWINCH, SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU,
};
static const int posix_fatal[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
	SIGABRT, SIGURG, 34, 64,
};

START_TEST(posix_default_ignores_job_control_and_children)
{
	for (size_t i = 0; i < sizeof(posix_ignored) / sizeof(*posix_ignored); i++)
		sef_cb_signal_handler_posix_default(posix_ignored[i]);
}
END_TEST

START_TEST(posix_default_exits_on_the_others)
{
	sef_cb_signal_handler_posix_default(posix_fatal[_i]);
}
END_TEST

START_TEST(term_and_null_handlers)
{
	sef_cb_signal_handler_null(SIGTERM);
	sef_cb_signal_handler_null(SIGKILL);
	sef_cb_signal_handler_term(SIGHUP);
	sef_cb_signal_handler_term(SIGCHLD);
}
END_TEST

START_TEST(term_handler_exits_through_sys_exit)
{
	int fds[2];
	pid_t pid;
	int status;
	char buf[8];

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		/* This process is the service now. */
		fake_reset();
		fake_start_service();
		fake.exit_fd = fds[1];
		sef_setcb_signal_handler(sef_cb_signal_handler_term);
		push_signal_message(RS_PROC_NR, SIGTERM);
		sef_receive(ANY, &(message){ 0 });
		_exit(99);	/* not reached */
	}
	close(fds[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 1);
	ck_assert_int_eq(read(fds[0], buf, sizeof(buf)), 1);
	close(fds[0]);
}
END_TEST

/* ---- every exit goes through sys_exit(), once --------------------------- */

enum exit_way { BY_EXIT, BY_SEF_EXIT, BY_RETURN_PATH, BEFORE_STARTUP, FORKED_CHILD };

/* The child's sys_exit() calls, as bytes in the pipe, and its status. */
static void run_exit_child(enum exit_way way, int *exit_calls, int *status)
{
	int fds[2];
	char buf[8];
	pid_t pid;
	ssize_t n;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		fake_reset();
		fake.exit_fd = fds[1];
		switch (way) {
		case BY_EXIT:
			fake_start_service();
			exit(7);
		case BY_SEF_EXIT:
			fake_start_service();
			sef_exit(5);
		case BY_RETURN_PATH:
			/* What main's return does: exit handlers, once. */
			fake_start_service();
			sef_exit_notify();
			sef_exit_notify();
			exit(0);
		case BEFORE_STARTUP:
			sef_exit(4);
		case FORKED_CHILD: {
			/* A helper process the service forks has no slot. */
			int st;
			pid_t helper;

			fake_start_service();
			helper = fork();
			if (helper == 0)
				exit(0);
			if (helper < 0 || waitpid(helper, &st, 0) != helper)
				_exit(98);
			exit(6);
		}
		}
		_exit(99);
	}
	close(fds[1]);
	ck_assert_int_eq(waitpid(pid, status, 0), pid);
	n = read(fds[0], buf, sizeof(buf));
	close(fds[0]);
	ck_assert_int_ge(n, 0);
	*exit_calls = (int)n;
}

START_TEST(exit_calls_sys_exit_once)
{
	int calls, status;

	run_exit_child(BY_EXIT, &calls, &status);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 7);
	ck_assert_int_eq(calls, 1);

	run_exit_child(BY_SEF_EXIT, &calls, &status);
	ck_assert_int_eq(WEXITSTATUS(status), 5);
	ck_assert_int_eq(calls, 1);

	run_exit_child(BY_RETURN_PATH, &calls, &status);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_int_eq(calls, 1);

	/* Only the service's own exit, not its forked helper's. */
	run_exit_child(FORKED_CHILD, &calls, &status);
	ck_assert_int_eq(WEXITSTATUS(status), 6);
	ck_assert_int_eq(calls, 1);

	/* Not a service yet: no slot to tell. */
	run_exit_child(BEFORE_STARTUP, &calls, &status);
	ck_assert_int_eq(WEXITSTATUS(status), 4);
	ck_assert_int_eq(calls, 0);
}
END_TEST

static Suite *sef_signal_suite(void)
{
	Suite *s = suite_create("sef_signal");
	TCase *own = tcase_create("own");
	TCase *mgr = tcase_create("manager");
	TCase *cbs = tcase_create("handlers");
	TCase *ex = tcase_create("exit");

	tcase_add_checked_fixture(own, setup, NULL);
	tcase_add_test(own, signal_message_from_rs_calls_the_handler);
	tcase_add_test(own, signal_message_from_the_slots_manager);
	tcase_add_test(own, unknown_manager_means_not_a_signal);
	tcase_add_test(own, signal_number_out_of_range_is_dropped);
	tcase_add_test(own, system_notify_delivers_its_set);
	suite_add_tcase(s, own);

	tcase_add_checked_fixture(mgr, setup, NULL);
	tcase_add_test(mgr, manager_gets_each_signal_then_ends_it);
	tcase_add_test(mgr, manager_stops_at_edeadept);
	tcase_add_test(mgr, manager_error_leaves_the_target_frozen);
	tcase_add_test(mgr, death_is_a_termination_signal);
	tcase_add_test(mgr, own_signals_come_before_managed_ones);
	tcase_add_test(mgr, non_manager_is_asked_once);
	tcase_add_test(mgr, getksig_failure_is_not_fatal);
	tcase_add_test(mgr, null_manager_ends_every_record);
	suite_add_tcase(s, mgr);

	tcase_add_checked_fixture(cbs, setup, NULL);
	tcase_add_test(cbs, posix_default_ignores_job_control_and_children);
	tcase_add_loop_exit_test(cbs, posix_default_exits_on_the_others, 1, 0,
				 (int)(sizeof(posix_fatal) / sizeof(*posix_fatal)));
	tcase_add_test(cbs, term_and_null_handlers);
	tcase_add_test(cbs, term_handler_exits_through_sys_exit);
	suite_add_tcase(s, cbs);

	tcase_add_test(ex, exit_calls_sys_exit_once);
	suite_add_tcase(s, ex);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sef_signal_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
