/* SPDX-License-Identifier: MIT */
/*
 * sef_startup() and sef_receive() on the fake mxsys: what startup asks and
 * reports (restart policy included), which messages are SEF events and
 * which reach the service, pings, late RS_INIT, fault injection.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <minix/sef.h>

#include "../../libsef/sef_internal.h"
#include "test_sef_fake.h"

#define CLIENT		MXSYS_ENDPOINT(0, 12)
#define CLIENT_REQUEST	0x1234

static struct {
	int calls;
	int type;
	sef_init_info_t info;
} seen_init;

static int record_init(int type, sef_init_info_t *info)
{
	seen_init.calls++;
	seen_init.type = type;
	seen_init.info = *info;
	return OK;
}

static void setup(void)
{
	memset(&seen_init, 0, sizeof(seen_init));
	fake_reset();
}

static message *push_rs_init(int type, uint32_t flags)
{
	message *m = fake_push(RS_PROC_NR, RS_INIT, MXSYS_CALL_SENDA);

	m->m_rs_init.type = type;
	m->m_rs_init.flags = flags;
	return m;
}

/* The init reply startup sent: the only message, a sendrec to RS. */
static const message *init_reply(void)
{
	const struct fake_sent *s = fake_sent_at(0);

	ck_assert_int_eq(fake.nsent, 1);
	ck_assert_int_eq(s->call, MXSYS_CALL_SENDREC);
	ck_assert_int_eq(s->dst, RS_PROC_NR);
	ck_assert_int_eq(s->m.m_type, RS_INIT);
	return &s->m;
}

/* ---- startup ----------------------------------------------------------- */

START_TEST(startup_discards_until_rs_init)
{
	message *m;

	fake_push(RS_PROC_NR, CLIENT_REQUEST, MXSYS_CALL_SENDA);
	fake_push(RS_PROC_NR, RS_LU_PREPARE, MXSYS_CALL_SENDA);
	m = push_rs_init(SEF_INIT_RESTART, SEF_INIT_SCRIPT_RESTART);
	m->m_rs_init.restarts = 3;
	m->m_rs_init.old_endpoint = MXSYS_ENDPOINT(0, 40);
	m->m_rs_init.prepare_state = SEF_LU_STATE_WORK_FREE;
	fake.whoami.init_flags = SEF_INIT_ST;
	sef_setcb_init_restart(record_init);

	sef_startup();
	ck_assert_int_eq(fake.next_in, 3);
	ck_assert_int_eq(seen_init.calls, 1);
	ck_assert_int_eq(seen_init.type, SEF_INIT_RESTART);
	/* Flags from the message and from the slot. */
	ck_assert_int_eq(seen_init.info.flags,
			 SEF_INIT_SCRIPT_RESTART | SEF_INIT_ST);
	ck_assert_int_eq(seen_init.info.endpoint, fake.whoami.endpoint);
	ck_assert_int_eq(seen_init.info.old_endpoint, MXSYS_ENDPOINT(0, 40));
	ck_assert_int_eq(seen_init.info.restarts, 3);
	ck_assert_int_eq(seen_init.info.prepare_state, SEF_LU_STATE_WORK_FREE);
	ck_assert_int_eq(init_reply()->m_rs_init.result, OK);
	ck_assert_int_eq(init_reply()->m_rs_init.type, SEF_INIT_RESTART);
	ck_assert_int_eq(sef_self(), fake.whoami.endpoint);
}
END_TEST

START_TEST(startup_asks_again_after_a_swap)
{
	/* A standby replica, swapped into the service's slot before RS_INIT. */
	fake.swapped_to = MXSYS_ENDPOINT(3, 17);
	sef_setcb_init_restart(record_init);
	push_rs_init(SEF_INIT_RESTART, 0);
	sef_startup();
	ck_assert_int_eq(seen_init.info.endpoint, MXSYS_ENDPOINT(3, 17));
	ck_assert_int_eq(sef_self(), MXSYS_ENDPOINT(3, 17));
}
END_TEST

START_TEST(default_restart_reports_the_reset_policy)
{
	push_rs_init(SEF_INIT_FRESH, 0);
	sef_startup();
	ck_assert_uint_eq(init_reply()->m_rs_init.restart_policy,
			  RS_POLICY_RESET);
}
END_TEST

START_TEST(own_restart_reports_the_restart_policy)
{
	sef_setcb_init_restart(record_init);
	push_rs_init(SEF_INIT_FRESH, 0);
	sef_startup();
	ck_assert_uint_eq(init_reply()->m_rs_init.restart_policy,
			  RS_POLICY_RESTART);
}
END_TEST

START_TEST(stateful_restart_reports_the_restart_policy)
{
	sef_setcb_init_restart(SEF_CB_INIT_RESTART_STATEFUL);
	push_rs_init(SEF_INIT_FRESH, 0);
	sef_startup();
	ck_assert_uint_eq(init_reply()->m_rs_init.restart_policy,
			  RS_POLICY_RESTART);
}
END_TEST

START_TEST(default_restart_is_a_reset)
{
	/* RS answers the failed init (it normally kills the instance). */
	push_rs_init(SEF_INIT_RESTART, 0);
	sef_startup();
}
END_TEST

START_TEST(rs_itself_does_not_wait_for_rs_init)
{
	fake.whoami.endpoint = RS_PROC_NR;
	fake.whoami.flags = MXSYS_SYS_PROC | MXSYS_ROOT_SYS_PROC;
	sef_startup();
	ck_assert_int_eq(fake.next_in, 0);
	ck_assert_int_eq(fake.nsent, 0);
	ck_assert_int_eq(sef_self(), RS_PROC_NR);
}
END_TEST

START_TEST(startup_without_a_slot_exits)
{
	fake.whoami_result = -EPERM;
	sef_startup();
}
END_TEST

START_TEST(self_before_startup_exits)
{
	sef_self();
}
END_TEST

START_TEST(startup_blocks_signals)
{
	sigset_t mask;

	push_rs_init(SEF_INIT_FRESH, 0);
	sef_startup();
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, NULL, &mask), 0);
	ck_assert(sigismember(&mask, SIGTERM));
	ck_assert(sigismember(&mask, SIGHUP));
	ck_assert(sigismember(&mask, SIGCHLD));
}
END_TEST

/* ---- the receive loop --------------------------------------------------- */

static void start(void)
{
	setup();
	fake_start_service();
}

START_TEST(ping_is_answered_and_not_returned)
{
	message m;

	fake_push_notify(RS_PROC_NR, 0);
	fake_push(CLIENT, CLIENT_REQUEST, MXSYS_CALL_SENDREC);
	ck_assert_int_eq(sef_receive(ANY, &m), OK);
	ck_assert_int_eq(m.m_source, CLIENT);
	ck_assert_int_eq(fake_sent_at(0)->call, MXSYS_CALL_NOTIFY);
	ck_assert_int_eq(fake_sent_at(0)->dst, RS_PROC_NR);
}
END_TEST

START_TEST(other_notifies_reach_the_service)
{
	message m;
	int status;

	fake_push_notify(CLOCK, 0);
	fake_push_notify(CLIENT, 0);
	ck_assert_int_eq(sef_receive_status(ANY, &m, &status), OK);
	ck_assert_int_eq(m.m_source, CLOCK);
	ck_assert(is_ipc_notify(status));
	ck_assert_int_eq(sef_receive(ANY, &m), OK);
	ck_assert_int_eq(m.m_source, CLIENT);
	ck_assert_int_eq(fake.nsent, 0);
}
END_TEST

START_TEST(late_rs_init_is_dropped)
{
	message m;

	push_rs_init(SEF_INIT_FRESH, 0);
	fake_push(CLIENT, RS_INIT, MXSYS_CALL_SEND);
	ck_assert_int_eq(sef_receive(ANY, &m), OK);
	ck_assert_int_eq(m.m_source, CLIENT);
	ck_assert_int_eq(m.m_type, RS_INIT);
	ck_assert_int_eq(fake.nsent, 0);
}
END_TEST

START_TEST(fi_crash_aborts)
{
	fake_push(CLIENT, COMMON_REQ_FI_CTL, MXSYS_CALL_SEND)
		->m_lsys_fi_ctl.subtype = RS_FI_CRASH;
	sef_receive(ANY, &(message){ 0 });
}
END_TEST

START_TEST(fi_other_subtypes_are_refused)
{
	message m;

	fake_push(CLIENT, COMMON_REQ_FI_CTL, MXSYS_CALL_SENDREC)
		->m_lsys_fi_ctl.subtype = 77;
	fake_push(CLIENT, COMMON_REQ_FI_CTL, MXSYS_CALL_SENDA)
		->m_lsys_fi_ctl.subtype = 78;
	ck_assert_int_eq(sef_receive(ANY, &m), FAKE_NO_MESSAGE);
	/* Only the caller waiting in sendrec is answered. */
	ck_assert_int_eq(fake.nsent, 1);
	ck_assert_int_eq(fake_sent_at(0)->call, MXSYS_CALL_SENDNB);
	ck_assert_int_eq(fake_sent_at(0)->dst, CLIENT);
	ck_assert_int_eq(fake_sent_at(0)->m.m_type, -ENOSYS);
}
END_TEST

START_TEST(receive_errors_are_returned)
{
	message m;

	ck_assert_int_eq(sef_receive(ANY, &m), FAKE_NO_MESSAGE);
	ck_assert_int_eq(sef_receive(ANY, NULL), -EINVAL);
}
END_TEST

START_TEST(cancel_interrupts_once)
{
	message m;

	fake_push(CLIENT, CLIENT_REQUEST, MXSYS_CALL_SEND);
	sef_cancel();
	ck_assert_int_eq(sef_receive(ANY, &m), -EINTR);
	ck_assert_int_eq(sef_receive(ANY, &m), OK);
	ck_assert_int_eq(m.m_type, CLIENT_REQUEST);
}
END_TEST

START_TEST(ping_reply_null_stays_silent)
{
	sef_setcb_ping_reply(sef_cb_ping_reply_null);
	fake_push_notify(RS_PROC_NR, 0);
	ck_assert_int_eq(sef_receive(ANY, &(message){ 0 }), FAKE_NO_MESSAGE);
	ck_assert_int_eq(fake.nsent, 0);
}
END_TEST

static Suite *sef_receive_suite(void)
{
	Suite *s = suite_create("sef_receive");
	TCase *st = tcase_create("startup");
	TCase *rx = tcase_create("receive");

	tcase_add_checked_fixture(st, setup, NULL);
	tcase_add_test(st, startup_discards_until_rs_init);
	tcase_add_test(st, startup_asks_again_after_a_swap);
	tcase_add_test(st, default_restart_reports_the_reset_policy);
	tcase_add_test(st, own_restart_reports_the_restart_policy);
	tcase_add_test(st, stateful_restart_reports_the_restart_policy);
	tcase_add_exit_test(st, default_restart_is_a_reset, 1);
	tcase_add_test(st, rs_itself_does_not_wait_for_rs_init);
	tcase_add_exit_test(st, startup_without_a_slot_exits, 1);
	tcase_add_exit_test(st, self_before_startup_exits, 1);
	tcase_add_test(st, startup_blocks_signals);
	suite_add_tcase(s, st);

	tcase_add_checked_fixture(rx, start, NULL);
	tcase_add_test(rx, ping_is_answered_and_not_returned);
	tcase_add_test(rx, other_notifies_reach_the_service);
	tcase_add_test(rx, late_rs_init_is_dropped);
	tcase_add_test_raise_signal(rx, fi_crash_aborts, SIGABRT);
	tcase_add_test(rx, fi_other_subtypes_are_refused);
	tcase_add_test(rx, receive_errors_are_returned);
	tcase_add_test(rx, cancel_interrupts_once);
	tcase_add_test(rx, ping_reply_null_stays_silent);
	suite_add_tcase(s, rx);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sef_receive_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
