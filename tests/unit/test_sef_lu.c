/* SPDX-License-Identifier: MIT */
/*
 * SEF live update, driven through sef_receive() on the fake mxsys: the
 * prepare request and its validity rules, the readiness check at the top
 * of every receive, state_save, the blocking ready reply, cancel, EBUSY,
 * and going on serving after an aborted update.
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
#define CUSTOM_STATE	(SEF_LU_STATE_CUSTOM_BASE + 2)

static struct {
	int changes;
	int old_state[8];
	int new_state[8];
	int saves;
	int save_state, save_flags;
	int save_result;
	int prepares;
	int prepare_state;
	int prepare_results[8];	/* consumed in order; then ENOTREADY */
	int nprepare_results;
} seen;

static void record_change(int old_state, int state)
{
	if (seen.changes < 8) {
		seen.old_state[seen.changes] = old_state;
		seen.new_state[seen.changes] = state;
	}
	seen.changes++;
}

static int record_save(int state, int flags)
{
	seen.saves++;
	seen.save_state = state;
	seen.save_flags = flags;
	return seen.save_result;
}

static int scripted_prepare(int state)
{
	int i = seen.prepares++;

	seen.prepare_state = state;
	return i < seen.nprepare_results ? seen.prepare_results[i] : -ENOTREADY;
}

static void setup(void)
{
	memset(&seen, 0, sizeof(seen));
	fake_reset();
	sef_setcb_lu_state_changed(record_change);
	sef_setcb_lu_state_save(record_save);
}

static void push_prepare(int state, int flags)
{
	message *m = fake_push(RS_PROC_NR, RS_LU_PREPARE, MXSYS_CALL_SENDA);

	m->m_rs_lu_prepare.state = state;
	m->m_rs_lu_prepare.flags = (uint32_t)flags;
}

static void push_client(void)
{
	fake_push(CLIENT, CLIENT_REQUEST, MXSYS_CALL_SENDREC);
}

/* sef_receive() must hand the service the client's request. */
static void expect_client_request(void)
{
	message m;

	ck_assert_int_eq(sef_receive(ANY, &m), OK);
	ck_assert_int_eq(m.m_source, CLIENT);
	ck_assert_int_eq(m.m_type, CLIENT_REQUEST);
}

/* Everything scripted was consumed and nothing more is returned. */
static void expect_drained(void)
{
	message m;

	ck_assert_int_eq(sef_receive(ANY, &m), FAKE_NO_MESSAGE);
}

/* The i-th thing sent is the readiness reply RS_LU_PREPARE{state, result}. */
static void expect_ready_reply(int i, int state, int result)
{
	const struct fake_sent *s = fake_sent_at(i);

	ck_assert_int_eq(s->call, MXSYS_CALL_SENDREC);
	ck_assert_int_eq(s->dst, RS_PROC_NR);
	ck_assert_int_eq(s->m.m_type, RS_LU_PREPARE);
	ck_assert_int_eq(s->m.m_rs_lu_prepare.state, state);
	ck_assert_int_eq(s->m.m_rs_lu_prepare.result, result);
}

/* ---- validity -------------------------------------------------------- */

START_TEST(default_isvalid_refuses_with_enosys)
{
	/* Generic (the default) knows WORK_FREE and EVAL only. */
	push_prepare(SEF_LU_STATE_REQUEST_FREE, 0);
	push_client();
	expect_client_request();
	ck_assert_int_eq(fake.nsent, 1);
	expect_ready_reply(0, SEF_LU_STATE_REQUEST_FREE, -ENOSYS);
	ck_assert_int_eq(seen.saves, 0);
	ck_assert_int_eq(seen.changes, 0);
	ck_assert_int_eq(sef_lu_state(), SEF_LU_STATE_NULL);
}
END_TEST

START_TEST(own_isvalid_refuses_with_einval)
{
	sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_standard);
	push_prepare(CUSTOM_STATE, 0);
	push_client();
	expect_client_request();
	expect_ready_reply(0, CUSTOM_STATE, -EINVAL);

	/* The null callback is not the default either: EINVAL. */
	fake_reset();
	sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_null);
	push_prepare(SEF_LU_STATE_WORK_FREE, 0);
	expect_drained();
	expect_ready_reply(0, SEF_LU_STATE_WORK_FREE, -EINVAL);
}
END_TEST

START_TEST(eval_has_no_evaluator)
{
	/* Valid for the generic callback, but there is no expression. */
	push_prepare(SEF_LU_STATE_EVAL, 0);
	expect_drained();
	expect_ready_reply(0, SEF_LU_STATE_EVAL, -EINVAL);

	fake_reset();
	sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_standard);
	push_prepare(SEF_LU_STATE_EVAL, 0);
	expect_drained();
	expect_ready_reply(0, SEF_LU_STATE_EVAL, -EINVAL);
	ck_assert_int_eq(seen.changes, 0);
}
END_TEST

START_TEST(debug_states_are_always_valid)
{
	sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_null);
	push_prepare(SEF_LU_STATE_UNREACHABLE, 0);
	push_client();
	expect_client_request();
	ck_assert_int_eq(fake.nsent, 0);
	ck_assert_int_eq(sef_lu_state(), SEF_LU_STATE_UNREACHABLE);
	ck_assert_int_eq(seen.changes, 1);
	ck_assert_int_eq(seen.old_state[0], SEF_LU_STATE_NULL);
	ck_assert_int_eq(seen.new_state[0], SEF_LU_STATE_UNREACHABLE);
}
END_TEST

START_TEST(prepare_from_another_endpoint_is_a_plain_message)
{
	message *m = fake_push(CLIENT, RS_LU_PREPARE, MXSYS_CALL_SEND);
	message got;

	m->m_rs_lu_prepare.state = SEF_LU_STATE_WORK_FREE;
	ck_assert_int_eq(sef_receive(ANY, &got), OK);
	ck_assert_int_eq(got.m_type, RS_LU_PREPARE);
	ck_assert_int_eq(got.m_source, CLIENT);
	ck_assert_int_eq(sef_lu_state(), SEF_LU_STATE_NULL);
	ck_assert_int_eq(fake.nsent, 0);
}
END_TEST

/* ---- readiness ------------------------------------------------------- */

START_TEST(work_free_is_ready_before_the_next_receive)
{
	int flags = SEF_LU_SELF | SEF_LU_PREPARE_ONLY;

	push_prepare(SEF_LU_STATE_WORK_FREE, flags);
	/* RS ends a prepare-only update with a cancel as the reply. */
	fake_push_reply(RS_LU_PREPARE)->m_rs_lu_prepare.state =
		SEF_LU_STATE_NULL;
	push_client();

	expect_client_request();
	ck_assert_int_eq(fake.nsent, 1);
	expect_ready_reply(0, SEF_LU_STATE_WORK_FREE, OK);
	ck_assert_int_eq(seen.saves, 1);
	ck_assert_int_eq(seen.save_state, SEF_LU_STATE_WORK_FREE);
	ck_assert_int_eq(seen.save_flags, flags);
	/* Back to serving, in state NULL, with state_changed told both ways. */
	ck_assert_int_eq(sef_lu_state(), SEF_LU_STATE_NULL);
	ck_assert_int_eq(seen.changes, 2);
	ck_assert_int_eq(seen.new_state[0], SEF_LU_STATE_WORK_FREE);
	ck_assert_int_eq(seen.old_state[1], SEF_LU_STATE_WORK_FREE);
	ck_assert_int_eq(seen.new_state[1], SEF_LU_STATE_NULL);
}
END_TEST

/*
 * A service with threads of its own says through its prepare callback
 * whether they are idle: WORK_FREE waits for it too.
 */
START_TEST(work_free_asks_a_services_own_prepare)
{
	sef_setcb_lu_prepare(scripted_prepare);
	seen.prepare_results[0] = -ENOTREADY;
	seen.prepare_results[1] = OK;
	seen.nprepare_results = 2;
	fake_push_reply(-ERESTART);	/* the update rolled back */

	push_prepare(SEF_LU_STATE_WORK_FREE, SEF_LU_SELF);
	push_client();
	push_client();

	expect_client_request();
	ck_assert_int_eq(seen.prepares, 1);
	ck_assert_int_eq(seen.prepare_state, SEF_LU_STATE_WORK_FREE);
	ck_assert_int_eq(fake.nsent, 0);
	expect_client_request();
	ck_assert_int_eq(seen.prepares, 2);
	expect_ready_reply(0, SEF_LU_STATE_WORK_FREE, OK);
}
END_TEST

START_TEST(unreachable_is_never_ready)
{
	sef_setcb_lu_prepare(sef_cb_lu_prepare_always_ready);
	push_prepare(SEF_LU_STATE_UNREACHABLE, 0);
	for (int i = 0; i < 5; i++)
		push_client();
	for (int i = 0; i < 5; i++)
		expect_client_request();
	expect_drained();
	ck_assert_int_eq(fake.nsent, 0);
	ck_assert_int_eq(sef_lu_state(), SEF_LU_STATE_UNREACHABLE);
}
END_TEST

START_TEST(prepare_crash_crashes_at_the_check)
{
	push_prepare(SEF_LU_STATE_PREPARE_CRASH, 0);
	push_client();
	sef_receive(ANY, &(message){ 0 });
}
END_TEST

START_TEST(prepare_callback_is_asked_at_each_receive)
{
	sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_standard);
	sef_setcb_lu_prepare(scripted_prepare);
	seen.prepare_results[0] = -ENOTREADY;
	seen.prepare_results[1] = OK;
	seen.nprepare_results = 2;
	fake_push_reply(-ERESTART);	/* the update rolled back */

	push_prepare(SEF_LU_STATE_REQUEST_FREE, 0);
	push_client();
	push_client();

	/* Request taken, checked once (not ready), client served. */
	expect_client_request();
	ck_assert_int_eq(seen.prepares, 1);
	ck_assert_int_eq(seen.prepare_state, SEF_LU_STATE_REQUEST_FREE);
	ck_assert_int_eq(fake.nsent, 0);
	/* Next receive: ready before it blocks, then the next client. */
	expect_client_request();
	ck_assert_int_eq(seen.prepares, 2);
	expect_ready_reply(0, SEF_LU_STATE_REQUEST_FREE, OK);
	ck_assert_int_eq(seen.saves, 1);
	/* Rolled back: no more checks. */
	expect_drained();
	ck_assert_int_eq(seen.prepares, 2);
	ck_assert_int_eq(sef_lu_state(), SEF_LU_STATE_NULL);
}
END_TEST

START_TEST(prepare_error_is_the_reply_without_a_save)
{
	sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_standard);
	sef_setcb_lu_prepare(scripted_prepare);
	seen.prepare_results[0] = -EIO;
	seen.nprepare_results = 1;

	push_prepare(SEF_LU_STATE_PROTOCOL_FREE, 0);
	expect_drained();
	expect_ready_reply(0, SEF_LU_STATE_PROTOCOL_FREE, -EIO);
	ck_assert_int_eq(seen.saves, 0);
	ck_assert_int_eq(sef_lu_state(), SEF_LU_STATE_NULL);
}
END_TEST

START_TEST(default_prepare_is_never_ready)
{
	sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_standard);
	push_prepare(SEF_LU_STATE_REQUEST_FREE, 0);
	push_client();
	expect_client_request();
	expect_drained();
	ck_assert_int_eq(fake.nsent, 0);
	ck_assert_int_eq(sef_lu_state(), SEF_LU_STATE_REQUEST_FREE);
}
END_TEST

/* A service with states of its own accepts them in its isvalid callback. */
static int accept_custom(int state, int flags)
{
	(void)flags;
	return state == CUSTOM_STATE;
}

START_TEST(custom_state_goes_to_prepare)
{
	sef_setcb_lu_state_isvalid(accept_custom);
	sef_setcb_lu_prepare(scripted_prepare);
	seen.prepare_results[0] = OK;
	seen.nprepare_results = 1;

	push_prepare(CUSTOM_STATE, SEF_LU_ASR);
	expect_drained();
	ck_assert_int_eq(seen.prepares, 1);
	ck_assert_int_eq(seen.prepare_state, CUSTOM_STATE);
	expect_ready_reply(0, CUSTOM_STATE, OK);
	ck_assert_int_eq(seen.save_flags, SEF_LU_ASR);
}
END_TEST

START_TEST(failed_state_save_replaces_the_result)
{
	seen.save_result = -ENOSPC;
	push_prepare(SEF_LU_STATE_WORK_FREE, SEF_LU_SELF);
	fake_push_reply(-ENOSPC);
	push_client();
	expect_client_request();
	expect_ready_reply(0, SEF_LU_STATE_WORK_FREE, -ENOSPC);
	ck_assert_int_eq(seen.saves, 1);
	ck_assert_int_eq(sef_lu_state(), SEF_LU_STATE_NULL);
}
END_TEST

/* ---- busy, cancel, abort --------------------------------------------- */

START_TEST(second_request_is_ebusy_and_ends_the_first)
{
	push_prepare(SEF_LU_STATE_UNREACHABLE, 0);
	push_prepare(SEF_LU_STATE_WORK_FREE, 0);
	push_client();
	expect_client_request();
	/* One reply: the refusal, carrying the refused request's state. */
	ck_assert_int_eq(fake.nsent, 1);
	expect_ready_reply(0, SEF_LU_STATE_WORK_FREE, -EBUSY);
	ck_assert_int_eq(seen.saves, 0);
	/* As in MINIX, replying ends the prepare that was pending. */
	ck_assert_int_eq(sef_lu_state(), SEF_LU_STATE_NULL);
	ck_assert_int_eq(seen.changes, 2);
	ck_assert_int_eq(seen.old_state[1], SEF_LU_STATE_UNREACHABLE);
	ck_assert_int_eq(seen.new_state[1], SEF_LU_STATE_NULL);
}
END_TEST

START_TEST(cancel_clears_the_state_without_a_reply)
{
	push_prepare(SEF_LU_STATE_UNREACHABLE, 0);
	push_prepare(SEF_LU_STATE_NULL, 0);
	push_client();
	expect_client_request();
	ck_assert_int_eq(fake.nsent, 0);
	ck_assert_int_eq(sef_lu_state(), SEF_LU_STATE_NULL);
	ck_assert_int_eq(seen.changes, 2);
	ck_assert_int_eq(seen.new_state[1], SEF_LU_STATE_NULL);

	/* A cancel with nothing pending changes nothing. */
	push_prepare(SEF_LU_STATE_NULL, 0);
	expect_drained();
	ck_assert_int_eq(seen.changes, 2);
	ck_assert_int_eq(fake.nsent, 0);
}
END_TEST

START_TEST(aborted_update_goes_on_serving)
{
	push_prepare(SEF_LU_STATE_WORK_FREE, 0);
	fake_push_reply(-EINTR);	/* RS's prepare timeout */
	push_client();
	expect_client_request();
	ck_assert_int_eq(fake.nsent, 1);
	ck_assert_int_eq(sef_lu_state(), SEF_LU_STATE_NULL);

	/* A second update can follow. */
	push_prepare(SEF_LU_STATE_WORK_FREE, 0);
	push_client();
	expect_client_request();
	ck_assert_int_eq(fake.nsent, 2);
	expect_ready_reply(1, SEF_LU_STATE_WORK_FREE, OK);
}
END_TEST

START_TEST(response_null_does_not_block)
{
	sef_setcb_lu_response(sef_cb_lu_response_null);
	push_prepare(SEF_LU_STATE_WORK_FREE, 0);
	push_client();
	expect_client_request();
	ck_assert_int_eq(fake.nsent, 0);
	ck_assert_int_eq(seen.saves, 1);
	ck_assert_int_eq(sef_lu_state(), SEF_LU_STATE_NULL);
}
END_TEST

START_TEST(cancelled_receive_comes_first)
{
	push_prepare(SEF_LU_STATE_WORK_FREE, 0);
	push_client();
	sef_cancel();
	ck_assert_int_eq(sef_receive(ANY, &(message){ 0 }), -EINTR);
	ck_assert_int_eq(fake.next_in, 0);
	expect_client_request();
}
END_TEST

/* ---- the default response and the predefined callbacks ---------------- */

START_TEST(rs_reply_returns_the_outcome)
{
	message m = { .m_type = RS_LU_PREPARE };

	fake_push_reply(RS_LU_PREPARE);
	ck_assert_int_eq(sef_cb_lu_response_rs_reply(&m), -EINTR);

	m.m_type = RS_LU_PREPARE;
	fake_push_reply(-ERESTART);
	ck_assert_int_eq(sef_cb_lu_response_rs_reply(&m), -ERESTART);

	m.m_type = RS_LU_PREPARE;
	fake_push_reply(-EDEADEPT);	/* a detached old instance */
	ck_assert_int_eq(sef_cb_lu_response_rs_reply(&m), -EDEADEPT);

	m.m_type = RS_LU_PREPARE;
	/* RS dead and nobody taking over: sent again, a bounded number of times. */
	fake.sendrec_result = -EDEADSRCDST;
	ck_assert_int_eq(sef_cb_lu_response_rs_reply(&m), -EDEADSRCDST);
	ck_assert_int_eq(fake.nsent, 4 + SEF_RS_RESENDS);
	for (int i = 3; i < fake.nsent; i++) {
		ck_assert_int_eq(fake.sent[i].dst, RS_PROC_NR);
		ck_assert_int_eq(fake.sent[i].m.m_type, RS_LU_PREPARE);
	}

	ck_assert_int_eq(sef_cb_lu_response_null(&m), -ENOSYS);
}
END_TEST

START_TEST(predefined_isvalid_callbacks)
{
	for (int s = -1; s <= CUSTOM_STATE; s++) {
		ck_assert_int_eq(!!sef_cb_lu_state_isvalid_null(s, SEF_LU_SELF), 0);
		ck_assert_int_eq(!!sef_cb_lu_state_isvalid_generic(s, 0),
				 s == SEF_LU_STATE_WORK_FREE || s == SEF_LU_STATE_EVAL);
		ck_assert_int_eq(!!sef_cb_lu_state_isvalid_standard(s, 0),
				 s >= SEF_LU_STATE_WORK_FREE &&
				 s <= SEF_LU_STATE_PREPARE_CRASH);
		ck_assert_int_eq(!!sef_cb_lu_state_isvalid_workfree(s, 0),
				 s == SEF_LU_STATE_WORK_FREE);
	}
	ck_assert(!sef_cb_lu_state_isvalid_workfree_self(SEF_LU_STATE_WORK_FREE, 0));
	ck_assert(sef_cb_lu_state_isvalid_workfree_self(SEF_LU_STATE_WORK_FREE,
							SEF_LU_SELF));
	ck_assert(sef_cb_lu_state_isvalid_workfree_self(SEF_LU_STATE_WORK_FREE,
							SEF_LU_ASR));
	ck_assert(!sef_cb_lu_state_isvalid_workfree_self(SEF_LU_STATE_REQUEST_FREE,
							 SEF_LU_SELF));
}
END_TEST

START_TEST(predefined_prepare_callbacks)
{
	ck_assert_int_eq(sef_cb_lu_prepare_null(SEF_LU_STATE_REQUEST_FREE), -ENOTREADY);
	ck_assert_int_eq(sef_cb_lu_prepare_never_ready(SEF_LU_STATE_REQUEST_FREE), -ENOTREADY);
	ck_assert_int_eq(sef_cb_lu_prepare_always_ready(SEF_LU_STATE_REQUEST_FREE), OK);
	ck_assert_int_eq(sef_cb_lu_state_save_null(SEF_LU_STATE_WORK_FREE, 0), OK);
	sef_cb_lu_state_changed_null(SEF_LU_STATE_NULL, SEF_LU_STATE_WORK_FREE);
	sef_cb_lu_state_dump_null(SEF_LU_STATE_WORK_FREE);
}
END_TEST

START_TEST(prepare_crash_callback_crashes)
{
	sef_cb_lu_prepare_crash(SEF_LU_STATE_REQUEST_FREE);
}
END_TEST

static Suite *sef_lu_suite(void)
{
	Suite *s = suite_create("sef_lu");
	TCase *valid = tcase_create("validity");
	TCase *ready = tcase_create("readiness");
	TCase *end = tcase_create("busy-cancel-abort");
	TCase *cbs = tcase_create("callbacks");

	tcase_add_checked_fixture(valid, setup, NULL);
	tcase_add_test(valid, default_isvalid_refuses_with_enosys);
	tcase_add_test(valid, own_isvalid_refuses_with_einval);
	tcase_add_test(valid, eval_has_no_evaluator);
	tcase_add_test(valid, debug_states_are_always_valid);
	tcase_add_test(valid, prepare_from_another_endpoint_is_a_plain_message);
	suite_add_tcase(s, valid);

	tcase_add_checked_fixture(ready, setup, NULL);
	tcase_add_test(ready, work_free_is_ready_before_the_next_receive);
	tcase_add_test(ready, work_free_asks_a_services_own_prepare);
	tcase_add_test(ready, unreachable_is_never_ready);
	tcase_add_test_raise_signal(ready, prepare_crash_crashes_at_the_check,
				    SIGABRT);
	tcase_add_test(ready, prepare_callback_is_asked_at_each_receive);
	tcase_add_test(ready, prepare_error_is_the_reply_without_a_save);
	tcase_add_test(ready, default_prepare_is_never_ready);
	tcase_add_test(ready, custom_state_goes_to_prepare);
	tcase_add_test(ready, failed_state_save_replaces_the_result);
	suite_add_tcase(s, ready);

	tcase_add_checked_fixture(end, setup, NULL);
	tcase_add_test(end, second_request_is_ebusy_and_ends_the_first);
	tcase_add_test(end, cancel_clears_the_state_without_a_reply);
	tcase_add_test(end, aborted_update_goes_on_serving);
	tcase_add_test(end, response_null_does_not_block);
	tcase_add_test(end, cancelled_receive_comes_first);
	suite_add_tcase(s, end);

	tcase_add_checked_fixture(cbs, setup, NULL);
	tcase_add_test(cbs, rs_reply_returns_the_outcome);
	tcase_add_test(cbs, predefined_isvalid_callbacks);
	tcase_add_test(cbs, predefined_prepare_callbacks);
	tcase_add_test_raise_signal(cbs, prepare_crash_callback_crashes, SIGABRT);
	suite_add_tcase(s, cbs);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sef_lu_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
