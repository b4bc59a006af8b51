// SPDX-License-Identifier: MIT
/*
 * Shutting RS down on the fake module: one service at a time, in reverse
 * dependency order, ds last; what is in flight (a live update, a service
 * waiting out its backoff, one that ignores SIGTERM) ends on the way.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minix/sef.h>

#include "../../servers/rs/manager.h"
#include "test_rs_fake.h"

/*
 * sdtop's ipc list names sdmid's program: sdtop must stop first although
 * it is the older one.
 */
#define SHUTDOWN_CONF	"service sdtop { ipc ds sdmid; };\n" \
			"service sdmid { ipc ALL_SYS; };\n"

static void boot(void)
{
	fake_boot(SHUTDOWN_CONF);
}

static endpoint_t up_as(const char *label, const char *progname)
{
	struct rs_request rq = fake_rq_up(label, "", 0, 0);
	endpoint_t ep;

	snprintf(rq.rss_progname, sizeof(rq.rss_progname), "%s", progname);
	fake_request(0, &rq);
	ep = fake_status(label).endpoint;
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	return ep;
}

/* The one service RS asked to exit since message index from, or NONE. */
static endpoint_t asked_to_exit(int from)
{
	endpoint_t asked = NONE;

	for (int i = from; i < fake.nsent; i++) {
		if (fake.sent[i].m.m_type != SIGS_SIGNAL_RECEIVED)
			continue;
		ck_assert_msg(asked == NONE, "two services asked to exit at once");
		asked = fake.sent[i].dst;
	}
	return asked;
}

/* RS's loop after an event: true once it may exit. */
static bool finished(int *code)
{
	bool done = manager_finished(code);

	fake_turn_end();
	return done;
}

/* RS goes on: its next step is to ask ep to exit (SIGTERM). */
static void asks_next(endpoint_t ep)
{
	int code;

	ck_assert(!finished(&code));
	ck_assert_int_eq(fake_last(ep, SIGS_SIGNAL_RECEIVED)->m.m_sigcalls.num,
			 SIGTERM);
}

START_TEST(shutdown_in_reverse_dependency_order_ds_last)
{
	endpoint_t top = up_as("sd1", "sdtop");
	endpoint_t mid = up_as("sd2", "sdmid");
	endpoint_t plain = fake_up_running("sd3", 0, 0);
	struct rs_request rq = fake_rq(RS_SHUTDOWN, NULL);
	endpoint_t order[] = { plain, top, mid };
	int code = -1;
	int from;

	ck_assert_int_eq(fake_reply(fake_request(0, &rq))->result, OK);
	for (unsigned int i = 0; i < 3; i++) {
		from = fake.nsent;
		ck_assert(!finished(&code));
		ck_assert_int_eq(asked_to_exit(from), order[i]);
		fake_die(order[i], EXITED(0));
	}
	/* Requests for new services are refused meanwhile. */
	rq = fake_rq_up("late", "", 0, 0);
	ck_assert_int_eq(fake_reply(fake_request(0, &rq))->result, -EBUSY);
	from = fake.nsent;
	ck_assert(!finished(&code));
	ck_assert_int_eq(asked_to_exit(from), DS_PROC_NR);
	fake_die(DS_PROC_NR, EXITED(0));
	ck_assert(finished(&code));
	ck_assert_int_eq(code, 0);
	ck_assert_int_eq(fake_slots_used(), 0);
}
END_TEST

/* One that ignores its SIGTERM is killed after the grace; then the next. */
START_TEST(shutdown_kills_what_does_not_stop)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	int code;

	manager_shutdown(0);
	fake_turn_end();
	ck_assert(!finished(&code));
	fake_advance(RS_STOP_GRACE_MS);
	ck_assert(fake_proc_of(ep)->killed);
	ck_assert(!finished(&code));
	ck_assert(!fake_proc(fake.procs[0].pid)->killed);	/* not ds yet */
	fake_reap_kills();
	asks_next(DS_PROC_NR);
}
END_TEST

/* A live update in flight is rolled back (EINTR) before anything stops. */
START_TEST(shutdown_aborts_a_live_update)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	pid_t old = fake_status("svc").pid;
	struct rs_request rq = fake_rq_update("svc", 0);
	uint32_t id = fake_request(0, &rq);

	fake_prepare_answer(ep, FAKE_LU_STATE, OK);
	manager_shutdown(0);
	fake_turn_end();
	ck_assert_int_eq(fake_reply(id)->result, -EINTR);
	ck_assert_int_eq(fake_proc_of(ep)->pid, old);
	asks_next(ep);
}
END_TEST

/* A crash during shutdown is not restarted; one waiting its backoff goes. */
START_TEST(nothing_restarts_during_shutdown)
{
	endpoint_t a = fake_up_running("a", 0, 0);
	endpoint_t b = fake_up_running("b", 0, 0);
	endpoint_t c = fake_up_running("c", 0, 0);
	int swaps, code;

	/* b's second crash waits out a backoff. */
	fake_die(b, KILLED_BY(SIGKILL));
	fake_init_answer(b, OK, RS_POLICY_RESTART);
	fake_die(b, KILLED_BY(SIGKILL));
	ck_assert(fake_status("b").flags & RS_STATUS_DEAD);
	swaps = fake.update_calls;

	manager_shutdown(0);
	fake_turn_end();
	ck_assert(!finished(&code));
	ck_assert(fake_status("c").flags & RS_STATUS_EXITING);
	/* a crashes before its turn: gone, not restarted. */
	fake_die(a, KILLED_BY(SIGSEGV));
	ck_assert(fake_gone("a"));
	fake_die(c, EXITED(0));
	ck_assert(!finished(&code));
	ck_assert(fake_gone("b"));
	ck_assert_int_eq(fake.update_calls, swaps);
	fake_advance(10 * FAKE_BACKOFF_MS);
	fake_die(DS_PROC_NR, EXITED(0));
	ck_assert(finished(&code));
	ck_assert_int_eq(code, 0);
}
END_TEST

static Suite *shutdown_suite(void)
{
	Suite *s = suite_create("rs_shutdown");
	TCase *tc = tcase_create("shutdown");

	tcase_add_checked_fixture(tc, boot, fake_end);
	tcase_add_test(tc, shutdown_in_reverse_dependency_order_ds_last);
	tcase_add_test(tc, shutdown_kills_what_does_not_stop);
	tcase_add_test(tc, shutdown_aborts_a_live_update);
	tcase_add_test(tc, nothing_restarts_during_shutdown);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(shutdown_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
