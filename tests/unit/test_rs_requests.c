// SPDX-License-Identifier: MIT
/*
 * rs-daemon's requests on the fake module: down, refresh, clone, unclone,
 * edit, fi, status, sysctl; who may make them; malformed ones; and
 * messages RS does not expect.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minix/ds.h>
#include <minix/sef.h>

#include "../../servers/rs/dispatch.h"
#include "../../servers/rs/request.h"
#include "../../servers/rs/dump.h"
#include "test_rs_fake.h"

/* Programs with control rights: boss may act on target, not on others. */
#define CONTROL_CONF	"service boss { };\n" \
			"service target { control boss; };\n"

static void boot(void)
{
	fake_boot(CONTROL_CONF);
}

static int result_of(uint32_t uid, struct rs_request rq)
{
	const struct rs_reply *reply = fake_reply(fake_request(uid, &rq));

	ck_assert_msg(reply, "request %#x got no answer", rq.rq_type);
	return reply->result;
}

/* ---- down and refresh ------------------------------------------------------ */

/* SIGTERM as a message, SIGKILL after the grace; answered once it is gone. */
START_TEST(down_asks_then_kills)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	struct rs_request rq = fake_rq(RS_DOWN, "svc");
	uint32_t id = fake_request(0, &rq);
	const struct fake_sent *sig = fake_last(ep, SIGS_SIGNAL_RECEIVED);
	int slots = fake_slots_used();

	ck_assert_int_eq(sig->call, MXSYS_CALL_SENDA);
	ck_assert_int_eq(sig->m.m_sigcalls.num, SIGTERM);
	ck_assert(fake_status("svc").flags & RS_STATUS_EXITING);
	ck_assert_ptr_null(fake_reply(id));
	fake_advance(RS_STOP_GRACE_MS - 1);
	ck_assert(!fake_proc_of(ep)->killed);
	fake_advance(1);
	ck_assert(fake_proc_of(ep)->killed);
	fake_reap_kills();
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert(fake_gone("svc"));
	ck_assert_int_eq(fake_slots_used(), slots - 1);
	ck_assert_str_eq(fake_last(DS_PROC_NR, DS_DELETE)->m.m_ds.key, "svc");
}
END_TEST

START_TEST(down_answered_when_the_service_exits)
{
	endpoint_t ep = fake_up_running("svc", RSS_REPLICA, 0);
	pid_t replica = fake_status("svc").replica_pid;
	struct rs_request rq = fake_rq(RS_DOWN, "svc");
	uint32_t id = fake_request(0, &rq);

	fake_die(ep, EXITED(0));
	ck_assert_int_eq(fake_reply(id)->result, OK);
	/* No restart, and its standby goes with it. */
	ck_assert(fake_gone("svc"));
	ck_assert(fake_proc(replica)->killed);
	ck_assert_int_eq(fake.update_calls, 0);
}
END_TEST

/* refresh: the same SIGTERM, then a restart on the same endpoint. */
START_TEST(refresh_restarts_on_the_same_endpoint)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	pid_t old = fake_status("svc").pid;
	struct rs_request rq = fake_rq(RS_REFRESH, "svc");
	uint32_t id = fake_request(0, &rq);

	ck_assert_int_eq(fake_last(ep, SIGS_SIGNAL_RECEIVED)->m.m_sigcalls.num,
			 SIGTERM);
	fake_die(ep, EXITED(1));
	/* Answered as the restart begins, as MINIX does. */
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert_int_eq(fake_status("svc").endpoint, ep);
	ck_assert_int_ne(fake_status("svc").pid, old);
	fake_restarted("svc", 1);
}
END_TEST

START_TEST(refresh_with_a_script_runs_it)
{
	struct rs_request up = fake_rq_up("svc", "", 0, 0);
	struct rs_request rq = fake_rq(RS_REFRESH, "svc");
	endpoint_t ep;
	uint32_t id;

	snprintf(up.rss_script, sizeof(up.rss_script), "/bin/script");
	fake_request(0, &up);
	ep = fake_status("svc").endpoint;
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	id = fake_request(0, &rq);
	fake_die(ep, EXITED(1));
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert_int_eq(fake.nscripts, 1);
	ck_assert_str_eq(fake.scripts[0].reason, "restart");
	ck_assert(fake_status("svc").flags & RS_STATUS_TERMINATED);
}
END_TEST

/* ---- who may do what -------------------------------------------------------- */

START_TEST(only_root_changes_services)
{
	fake_up_running("svc", 0, 0);
	ck_assert_int_eq(result_of(1000, fake_rq(RS_DOWN, "svc")), -EPERM);
	ck_assert_int_eq(result_of(1000, fake_rq(RS_REFRESH, "svc")), -EPERM);
	ck_assert_int_eq(result_of(1000, fake_rq_up("new", "", 0, 0)), -EPERM);
	ck_assert_int_eq(result_of(1000, fake_rq(RS_SHUTDOWN, NULL)), -EPERM);
	ck_assert_int_eq(result_of(1000, fake_rq(RS_RELOAD, NULL)), -EPERM);
	ck_assert_int_eq(result_of(0, fake_rq(RS_RELOAD, NULL)), OK);
	/* A stranger learns nothing of who runs: EPERM, not ESRCH. */
	ck_assert_int_eq(result_of(1000, fake_rq(RS_DOWN, "nosuch")), -EPERM);
	ck_assert_int_eq(result_of(0, fake_rq(RS_DOWN, "nosuch")), -ESRCH);
	/* status and lookup are everyone's. */
	ck_assert_int_eq(result_of(1000, fake_rq(RS_STATUS, "svc")), OK);
	ck_assert_int_eq(result_of(1000, fake_rq(RS_LOOKUP, "svc")), OK);
	/* ds is core: never taken down. */
	ck_assert_int_eq(result_of(0, fake_rq(RS_DOWN, "ds")), -EPERM);
	ck_assert_uint_eq(fake_status("svc").flags, RS_STATUS_ACTIVE);
}
END_TEST

/* A service named in the target's control list may act on it. */
START_TEST(control_list_grants_requests)
{
	struct rs_request boss = fake_rq_up("boss", "", 0, 0);
	struct rs_request target = fake_rq_up("target", "", 0, 0);
	struct rs_request other = fake_rq_up("other", "", 0, 0);
	struct rs_request refresh = fake_rq(RS_REFRESH, "target");
	struct rs_request down = fake_rq(RS_DOWN, "other");
	pid_t boss_pid;

	snprintf(boss.rss_progname, sizeof(boss.rss_progname), "boss");
	snprintf(target.rss_progname, sizeof(target.rss_progname), "target");
	fake_request(0, &boss);
	fake_request(0, &target);
	fake_request(0, &other);
	fake_init_answer(fake_status("boss").endpoint, OK, RS_POLICY_RESTART);
	fake_init_answer(fake_status("target").endpoint, OK, RS_POLICY_RESTART);
	fake_init_answer(fake_status("other").endpoint, OK, RS_POLICY_RESTART);
	boss_pid = fake_status("boss").pid;

	ck_assert_int_eq(fake_reply(fake_request_as(1000, boss_pid, &down))->result,
			 -EPERM);
	ck_assert_ptr_null(fake_reply(fake_request_as(1000, boss_pid,
						      &refresh)));
	ck_assert(fake_status("target").flags & RS_STATUS_EXITING);
	ck_assert_int_eq(fake_reply(fake_request_as(1000, 1, &refresh))->result,
			 -EPERM);
}
END_TEST

/* A service that initialises, or has a request pending, is busy. */
START_TEST(busy_while_starting_or_pending)
{
	struct rs_request slow = fake_rq_up("slow", "", 0, 0);
	struct rs_request down = fake_rq(RS_DOWN, "svc");

	fake_up_running("svc", 0, 0);
	fake_request(0, &slow);
	ck_assert_int_eq(result_of(0, fake_rq(RS_DOWN, "slow")), -EBUSY);
	ck_assert_int_eq(result_of(0, fake_rq(RS_REFRESH, "slow")), -EBUSY);
	ck_assert_ptr_null(fake_reply(fake_request(0, &down)));
	ck_assert_int_eq(result_of(0, fake_rq(RS_REFRESH, "svc")), -EBUSY);
	ck_assert_int_eq(result_of(0, fake_rq(RS_CLONE, "svc")), -EBUSY);
	/* The label is taken until it is gone. */
	ck_assert_int_eq(result_of(0, fake_rq_up("svc", "", 0, 0)), -EBUSY);
}
END_TEST

/* ---- clone, unclone, edit, fi ---------------------------------------------- */

START_TEST(clone_and_unclone_a_replica)
{
	pid_t replica;

	fake_up_running("svc", 0, 0);
	ck_assert_int_eq(fake_status("svc").replica_pid, 0);
	ck_assert_int_eq(result_of(0, fake_rq(RS_CLONE, "svc")), OK);
	replica = fake_status("svc").replica_pid;
	ck_assert_int_ne(replica, 0);
	ck_assert(fake_status("svc").flags & RS_STATUS_USE_REPL);
	ck_assert_int_eq(result_of(0, fake_rq(RS_CLONE, "svc")), -EEXIST);
	ck_assert_int_eq(result_of(0, fake_rq(RS_UNCLONE, "svc")), OK);
	ck_assert(fake_proc(replica)->killed);
	ck_assert_int_eq(fake_status("svc").replica_pid, 0);
	ck_assert_int_eq(result_of(0, fake_rq(RS_UNCLONE, "svc")), -ENOENT);
	/* The killed replica's death frees its slot. */
	fake_reap_kills();
	ck_assert_int_eq(fake_slots_used(), 2);
}
END_TEST

START_TEST(edit_changes_settings_and_remakes_the_replica)
{
	endpoint_t ep = fake_up_running("svc", RSS_REPLICA, 100);
	pid_t replica = fake_status("svc").replica_pid;
	struct rs_request rq = fake_rq(RS_EDIT, "svc");
	struct rs_status st;

	snprintf(rq.rss_cmd, sizeof(rq.rss_cmd), "/bin/sh");
	snprintf(rq.rss_args, sizeof(rq.rss_args), "-c x");
	snprintf(rq.rss_config, sizeof(rq.rss_config), "%s", fake.conf);
	rq.rss_flags = RSS_PERIOD_SET;
	rq.rss_period_ms = 300;
	ck_assert_int_eq(result_of(0, rq), OK);
	st = fake_status("svc");
	ck_assert_uint_eq(st.period_ms, 300);
	ck_assert_str_eq(st.binary, "/bin/sh");
	ck_assert_str_eq(st.args, "-c x");
	/* The replica (kept: edit keeps -p) runs the new binary. */
	ck_assert(st.flags & RS_STATUS_USE_REPL);
	ck_assert(fake_proc(replica)->killed);
	ck_assert_str_eq(fake_proc(st.replica_pid)->binary, "/bin/sh");
	/* The running process is not restarted. */
	ck_assert(!fake_proc_of(ep)->killed);
}
END_TEST

START_TEST(edit_refused_by_the_module_changes_nothing)
{
	struct rs_request rq = fake_rq(RS_EDIT, "svc");
	const struct rs_reply *reply;

	fake_up_running("svc", 0, 100);
	snprintf(rq.rss_config, sizeof(rq.rss_config), "%s", fake.conf);
	rq.rss_flags = RSS_PERIOD_SET;
	rq.rss_period_ms = 300;
	fake.updatesys_error = -ECALLDENIED;
	reply = fake_reply(fake_request(0, &rq));
	ck_assert_int_eq(reply->result, -ECALLDENIED);
	ck_assert_ptr_nonnull(strstr(reply->message, "refused"));
	ck_assert_uint_eq(fake_status("svc").period_ms, 100);
}
END_TEST

START_TEST(fi_asks_the_service_to_crash)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	const struct fake_sent *fi;

	ck_assert_int_eq(result_of(0, fake_rq(RS_FI, "svc")), OK);
	fi = fake_last(ep, COMMON_REQ_FI_CTL);
	ck_assert_int_eq(fi->call, MXSYS_CALL_SENDA);
	ck_assert_int_eq(fi->m.m_lsys_fi_ctl.subtype, RS_FI_CRASH);
}
END_TEST

/* ---- dump ---------------------------------------------------------------- */

/* RS asked ep for a dump: the request, its grant checked. */
static const mess_rs_dump *dump_asked(endpoint_t ep, char **page)
{
	const struct fake_sent *ask = fake_last(ep, RS_DEBUG_DUMP);
	size_t bytes;

	ck_assert_ptr_nonnull(ask);
	ck_assert_int_eq(ask->call, MXSYS_CALL_SENDA);
	ck_assert_uint_eq(ask->m.m_rs_dump.size, RS_DUMP_LEN);
	*page = fake_grant_memory(ask->m.m_rs_dump.grant, ep, &bytes);
	ck_assert_uint_eq(bytes, RS_DUMP_LEN);
	return &ask->m.m_rs_dump;
}

START_TEST(dump_is_answered_when_the_service_answers)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	struct rs_request rq = fake_rq(RS_DUMP, "svc");
	uint32_t id = fake_request(0, &rq);
	const mess_rs_dump *ask;
	const struct rs_reply *reply;
	char *page;

	ck_assert_ptr_null(fake_reply(id));
	ask = dump_asked(ep, &page);
	/* The service's text, without trusting its NUL. */
	memcpy(page, "init: fresh\nXXX", 16);
	fake_dump_answer(ep, ask->seq, OK, 12, RS_DUMP_CUT);
	reply = fake_reply(id);
	ck_assert_ptr_nonnull(reply);
	ck_assert_int_eq(reply->result, OK);
	ck_assert_str_eq(reply->dump, "init: fresh\n");
	ck_assert_uint_eq(reply->flags, RS_REPLY_DUMP_CUT);
}
END_TEST

START_TEST(dump_errors_reach_the_requester)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	struct rs_request rq = fake_rq(RS_DUMP, "svc");
	uint32_t id = fake_request(0, &rq), id2;
	const mess_rs_dump *ask;
	const struct rs_reply *reply;
	char *page;

	/* The callback failed. */
	ask = dump_asked(ep, &page);
	fake_dump_answer(ep, ask->seq, -EIO, 0, 0);
	reply = fake_reply(id);
	ck_assert_int_eq(reply->result, -EIO);
	ck_assert_ptr_nonnull(strstr(reply->message, "svc could not dump"));
	/* A length beyond the page is the service's lie. */
	id2 = fake_request(0, &rq);
	ask = dump_asked(ep, &page);
	fake_dump_answer(ep, ask->seq, OK, RS_DUMP_LEN, 0);
	ck_assert_int_eq(fake_reply(id2)->result, -EPROTO);
	/* An answer that comes again changes nothing. */
	fake_dump_answer(ep, ask->seq, OK, 1, 0);
	ck_assert_int_eq(fake_reply(id2)->result, -EPROTO);
}
END_TEST

START_TEST(dump_times_out)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	struct rs_request rq = fake_rq(RS_DUMP, "svc");
	uint32_t id = fake_request(0, &rq);
	const struct rs_reply *reply;
	rs_time_t due = dump_next_deadline();

	ck_assert_ptr_nonnull(fake_last(ep, RS_DEBUG_DUMP));
	ck_assert_uint_eq(due, fake.now + RS_DUMP_TIMEOUT_MS);
	dump_timeout(due - 1);
	fake_turn_end();
	ck_assert_ptr_null(fake_reply(id));
	dump_timeout(due);
	fake_turn_end();
	reply = fake_reply(id);
	ck_assert_ptr_nonnull(reply);
	ck_assert_int_eq(reply->result, -ETIMEDOUT);
	ck_assert_ptr_nonnull(strstr(reply->message, "svc did not answer"));
	ck_assert_uint_eq(dump_next_deadline(), RS_TIME_NEVER);
}
END_TEST

START_TEST(dump_fails_at_once_when_the_service_dies)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	struct rs_request rq = fake_rq(RS_DUMP, "svc");
	uint32_t id = fake_request(0, &rq);
	const struct rs_reply *reply;

	ck_assert_ptr_nonnull(fake_last(ep, RS_DEBUG_DUMP));
	fake_die(ep, KILLED_BY(9));
	fake_turn_end();
	reply = fake_reply(id);
	ck_assert_ptr_nonnull(reply);
	ck_assert_int_eq(reply->result, -EDEADEPT);
	ck_assert_ptr_nonnull(strstr(reply->message, "svc died before it answered"));
	ck_assert_uint_eq(dump_next_deadline(), RS_TIME_NEVER);
}
END_TEST

START_TEST(dump_refusals)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);

	ck_assert_int_eq(result_of(0, fake_rq(RS_DUMP, "nosuch")), -ESRCH);
	/* A user learns nothing of who runs, and may not read a state. */
	ck_assert_int_eq(result_of(1000, fake_rq(RS_DUMP, "nosuch")), -EPERM);
	ck_assert_int_eq(result_of(1000, fake_rq(RS_DUMP, "svc")), -EPERM);
	ck_assert_int_eq(result_of(0, fake_rq(RS_DUMP, "bad label")), -EINVAL);
	/* Dead, waiting for its restart: nobody to ask. */
	fake_die(ep, KILLED_BY(9));
	ck_assert_int_eq(result_of(0, fake_rq(RS_DUMP, "svc")), -EBUSY);
	ck_assert_int_eq(fake_count(0, ep, RS_DEBUG_DUMP), 0);
}
END_TEST

/* ---- status, sysctl, malformed requests ------------------------------------ */

START_TEST(status_by_index_in_start_order)
{
	struct rs_request rq = fake_rq(RS_STATUS, NULL);
	const struct rs_reply *reply;

	fake_up_running("svc", 0, 0);
	reply = fake_reply(fake_request(1000, &rq));
	ck_assert_str_eq(reply->status.label, "ds");
	rq.rq_index = 1;
	reply = fake_reply(fake_request(1000, &rq));
	ck_assert_str_eq(reply->status.label, "svc");
	rq.rq_index = 2;
	ck_assert_int_eq(fake_reply(fake_request(1000, &rq))->result,
			 -ENOENT);
}
END_TEST

START_TEST(sysctl_subtypes)
{
	struct rs_request rq = fake_rq(RS_SYSCTL, NULL);

	rq.rq_subtype = RS_SYSCTL_SRV_STATUS;
	ck_assert_int_eq(result_of(0, rq), OK);
	rq.rq_subtype = RS_SYSCTL_UPD_STATUS;
	ck_assert_int_eq(result_of(0, rq), -ESRCH);
	rq.rq_subtype = RS_SYSCTL_UPD_RUN;
	ck_assert_int_eq(result_of(0, rq), -ESRCH);
	ck_assert_int_eq(result_of(1000, rq), -EPERM);
	rq.rq_subtype = 99;
	ck_assert_int_eq(result_of(0, rq), -EINVAL);
}
END_TEST

START_TEST(malformed_requests_are_refused)
{
	struct rs_request rq = fake_rq(RS_DOWN, "svc");
	uint32_t id = fake.next_request_id;

	fake.next_request_id += 2;
	request_handle(id, 0, 1, &rq, sizeof(rq) - 1);
	fake_turn_end();
	ck_assert_int_eq(fake_reply(id)->result, -EINVAL);
	request_handle(id + 1, 0, 1, NULL, 0);
	fake_turn_end();
	ck_assert_int_eq(fake_reply(id + 1)->result, -EINVAL);
	ck_assert_int_eq(result_of(0, fake_rq(0x7777, "svc")), -ENOSYS);
	ck_assert_int_eq(result_of(0, fake_rq(RS_DOWN, "bad label")), -EINVAL);
}
END_TEST

/* ---- messages RS does not expect --------------------------------------------- */

/* A sendrec RS cannot serve is answered, so that its sender never hangs. */
START_TEST(unknown_sendrec_is_answered_enosys)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	message m;

	memset(&m, 0, sizeof(m));
	m.m_source = ep;
	m.m_type = 0x4242;
	fake_slot(ep)->in_sendrec = true;
	dispatch_message(&m, MXSYS_CALL_SENDREC);
	ck_assert_int_eq(fake_last(ep, -ENOSYS)->call, MXSYS_CALL_SENDNB);
	ck_assert(!fake_slot(ep)->in_sendrec);
}
END_TEST

START_TEST(init_answer_out_of_turn_is_refused)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);

	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_last(ep, -EINVAL)->call, MXSYS_CALL_SENDNB);
	ck_assert_uint_eq(fake_status("svc").flags, RS_STATUS_ACTIVE);
}
END_TEST

/* An init answer not sent by sendrec has nobody waiting: ignored. */
START_TEST(init_answer_not_by_sendrec_is_ignored)
{
	struct rs_request rq = fake_rq_up("svc", "", 0, 0);
	uint32_t id = fake_request(0, &rq);
	endpoint_t ep = fake_status("svc").endpoint;
	message m;

	memset(&m, 0, sizeof(m));
	m.m_source = ep;
	m.m_type = RS_INIT;
	dispatch_message(&m, MXSYS_CALL_SENDA);
	ck_assert_ptr_null(fake_reply(id));
	ck_assert(!fake_proc_of(ep)->killed);
	ck_assert_uint_eq(fake_status("svc").flags,
			  RS_STATUS_ACTIVE | RS_STATUS_INITIALIZING);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_reply(id)->result, OK);
}
END_TEST

static Suite *requests_suite(void)
{
	Suite *s = suite_create("rs_requests");
	TCase *tc = tcase_create("requests");

	tcase_add_checked_fixture(tc, boot, fake_end);
	tcase_add_test(tc, down_asks_then_kills);
	tcase_add_test(tc, down_answered_when_the_service_exits);
	tcase_add_test(tc, refresh_restarts_on_the_same_endpoint);
	tcase_add_test(tc, refresh_with_a_script_runs_it);
	tcase_add_test(tc, only_root_changes_services);
	tcase_add_test(tc, control_list_grants_requests);
	tcase_add_test(tc, busy_while_starting_or_pending);
	tcase_add_test(tc, clone_and_unclone_a_replica);
	tcase_add_test(tc, edit_changes_settings_and_remakes_the_replica);
	tcase_add_test(tc, edit_refused_by_the_module_changes_nothing);
	tcase_add_test(tc, fi_asks_the_service_to_crash);
	tcase_add_test(tc, status_by_index_in_start_order);
	tcase_add_test(tc, sysctl_subtypes);
	tcase_add_test(tc, dump_is_answered_when_the_service_answers);
	tcase_add_test(tc, dump_errors_reach_the_requester);
	tcase_add_test(tc, dump_times_out);
	tcase_add_test(tc, dump_fails_at_once_when_the_service_dies);
	tcase_add_test(tc, dump_refusals);
	tcase_add_test(tc, malformed_requests_are_refused);
	tcase_add_test(tc, unknown_sendrec_is_answered_enosys);
	tcase_add_test(tc, init_answer_out_of_turn_is_refused);
	tcase_add_test(tc, init_answer_not_by_sendrec_is_ignored);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(requests_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
