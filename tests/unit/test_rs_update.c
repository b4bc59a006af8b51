// SPDX-License-Identifier: MIT
/*
 * Live updates on the fake module: one service and batches, commit and
 * every way to roll back (refusal, init failure, deaths, timeouts, stop),
 * what may run beside an update, and what the services hear meanwhile.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minix/sef.h>

#include "test_rs_fake.h"

#define STATE	FAKE_LU_STATE

static void boot(void)
{
	fake_boot(NULL);
}

/* The endpoint of the update instance, from the RS_INIT(LU) it names. */
static endpoint_t old_slot(endpoint_t ep)
{
	const struct fake_sent *init = fake_last(ep, RS_INIT);

	ck_assert_int_eq(init->m.m_rs_init.type, SEF_INIT_LU);
	return init->m.m_rs_init.old_endpoint;
}

/* The spare slot of the new version (the update's third process). */
static endpoint_t new_version_slot(void)
{
	for (int i = 0; i < FAKE_SLOTS; i++)
		if (fake.slots[i].used && fake.slots[i].pid == fake.procs[2].pid)
			return fake.slots[i].endpoint;
	ck_abort_msg("no slot for the new version");
	return NONE;
}

/*
 * "svc" runs as *ep, with pid *old; an update self of it with RSS_* flags
 * is requested: the request's id.
 */
static uint32_t update_svc(uint32_t flags, endpoint_t *ep, pid_t *old)
{
	struct rs_request rq = fake_rq_update("svc", flags);

	*ep = fake_up_running("svc", 0, 0);
	*old = fake_status("svc").pid;
	return fake_request(0, &rq);
}

/*
 * The preparation of ep was called off by an event (it was not blocked in
 * a sendrec), and the service serves on.
 */
static void prepare_cancelled(endpoint_t ep)
{
	const struct fake_sent *cancel = fake_last(ep, RS_LU_PREPARE);

	ck_assert_int_eq(cancel->call, MXSYS_CALL_SENDA);
	ck_assert_int_eq(cancel->m.m_rs_lu_prepare.state, SEF_LU_STATE_NULL);
	ck_assert_uint_eq(fake_status("svc").flags, RS_STATUS_ACTIVE);
}

/* An update nobody waits for runs to its commit without an answer. */
static void commits_unanswered(const char *label, endpoint_t ep)
{
	int replies = fake.nreplies;

	fake_update_steps(ep, STATE);
	/* The fake fails on a second answer to one request, too. */
	ck_assert_int_eq(fake.nreplies, replies);
	ck_assert_uint_eq(fake_status(label).flags, RS_STATUS_ACTIVE);
}

/* ---- one service -------------------------------------------------------------- */

START_TEST(update_commits)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id = update_svc(0, &ep, &old);
	const struct fake_sent *prepare = fake_last(ep, RS_LU_PREPARE);
	int slots;

	/* The new version waits, prepared and not allowed to run. */
	ck_assert_int_eq(fake.nprocs, 3);
	ck_assert(fake.procs[2].alive);
	ck_assert(fake_status("svc").flags & RS_STATUS_UPDATING);
	ck_assert_int_eq(prepare->call, MXSYS_CALL_SENDA);
	ck_assert_int_eq(prepare->m.m_rs_lu_prepare.state, STATE);
	ck_assert(prepare->m.m_rs_lu_prepare.flags & SEF_LU_SELF);
	ck_assert_ptr_null(fake_reply(id));

	fake_prepare_answer(ep, STATE, OK);
	/* Swapped: the new version serves the endpoint and initialises. */
	ck_assert_int_eq(fake.update_calls, 1);
	ck_assert_int_eq(fake_proc_of(ep)->pid, fake.procs[2].pid);
	ck_assert(fake_slot(ep)->allowed);
	ck_assert_int_eq(fake_proc_of(old_slot(ep))->pid, old);
	ck_assert_int_eq(fake_last(ep, RS_INIT)->m.m_rs_init.prepare_state,
			 STATE);
	/* The old process waits in its prepare sendrec, unanswered. */
	ck_assert(fake_slot(old_slot(ep))->in_sendrec);

	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert_int_eq(fake_last(ep, OK)->call, MXSYS_CALL_SENDNB);
	ck_assert(fake_proc(old)->killed);
	ck_assert_uint_eq(fake_status("svc").flags, RS_STATUS_ACTIVE);
	ck_assert_int_eq(fake_status("svc").endpoint, ep);
	ck_assert_uint_eq(fake_status("svc").restarts, 0);
	/* The old process's death frees its spare slot. */
	slots = fake_slots_used();
	fake_reap_kills();
	ck_assert_int_eq(fake_slots_used(), slots - 1);
}
END_TEST

/* The new version fails its init: the old one is swapped back, resumes. */
START_TEST(update_rolls_back_on_init_failure)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id = update_svc(0, &ep, &old);
	pid_t new_version;

	fake_prepare_answer(ep, STATE, OK);
	new_version = fake_proc_of(ep)->pid;
	fake_init_answer(ep, -ENOSYS, RS_POLICY_RESTART);
	ck_assert_int_eq(fake.update_calls, 2);
	ck_assert_int_eq(fake_proc_of(ep)->pid, old);
	/* The old process gets the error as its prepare's answer. */
	ck_assert_int_eq(fake_last(ep, -ENOSYS)->call, MXSYS_CALL_SENDNB);
	ck_assert(!fake_slot(ep)->in_sendrec);
	ck_assert(fake_proc(new_version)->killed);
	ck_assert(!fake_proc(old)->killed);
	ck_assert_int_eq(fake_reply(id)->result, -ENOSYS);
	ck_assert_ptr_nonnull(strstr(fake_reply(id)->message, "failed its init"));
	ck_assert_uint_eq(fake_status("svc").flags, RS_STATUS_ACTIVE);
	ck_assert_int_eq(fake_status("svc").pid, old);
}
END_TEST

START_TEST(update_refused_by_the_service)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id = update_svc(0, &ep, &old);

	fake_prepare_answer(ep, STATE, -ENOSYS);
	ck_assert_int_eq(fake_reply(id)->result, -ENOSYS);
	ck_assert_int_eq(fake_last(ep, -ENOSYS)->call, MXSYS_CALL_SENDNB);
	ck_assert(fake.procs[2].killed);
	ck_assert_int_eq(fake.update_calls, 0);
	ck_assert_uint_eq(fake_status("svc").flags, RS_STATUS_ACTIVE);
}
END_TEST

/*
 * The old version is asked to prepare only once the new one is loaded
 * (bound to its slot): its clients wait for no exec.
 */
START_TEST(update_prepares_once_the_new_version_is_loaded)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	struct rs_request rq = fake_rq_update("svc", 0);
	int reads;
	uint32_t id;

	fake.processes_load_slowly = true;
	id = fake_request(0, &rq);
	ck_assert(fake_status("svc").flags & RS_STATUS_UPDATING);
	ck_assert_int_eq(fake_count(0, ep, RS_LU_PREPARE), 0);
	/* Still loading: RS looks again, and waits. */
	reads = fake.slot_state_reads;
	fake_advance(50);
	ck_assert_int_gt(fake.slot_state_reads, reads);
	ck_assert_int_eq(fake_count(0, ep, RS_LU_PREPARE), 0);
	ck_assert_ptr_null(fake_reply(id));

	fake_loaded(new_version_slot());
	fake_advance(2);
	ck_assert_int_eq(fake_count(0, ep, RS_LU_PREPARE), 1);
	/* Done looking: RS keeps no netlink socket for it. */
	ck_assert_int_gt(fake.slot_table_closes, 0);
	fake_update_steps(ep, STATE);
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert_int_eq(fake_status("svc").pid, fake.procs[2].pid);
	ck_assert_int_eq(fake_status("svc").endpoint, ep);
}
END_TEST

/*
 * A new version that never gets loaded within the init maxtime: EINTR,
 * the old version was never paused and serves on, the new one is killed.
 */
START_TEST(update_ends_when_the_new_version_is_not_loaded)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id;

	fake.processes_load_slowly = true;
	id = update_svc(0, &ep, &old);
	fake_advance(RS_INIT_T_MS - 1);
	ck_assert_ptr_null(fake_reply(id));
	fake_advance(1);
	ck_assert_int_eq(fake_reply(id)->result, -EINTR);
	ck_assert_ptr_nonnull(strstr(fake_reply(id)->message, "not loaded"));
	ck_assert_int_eq(fake_count(0, ep, RS_LU_PREPARE), 0);
	ck_assert(fake.procs[2].killed);
	ck_assert(!fake_proc(old)->killed);
	ck_assert_uint_eq(fake_status("svc").flags, RS_STATUS_ACTIVE);
	ck_assert_int_eq(fake_status("svc").pid, old);
}
END_TEST

/* Not prepared within maxtime: cancelled by an event, EINTR. */
START_TEST(update_prepare_times_out)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	struct rs_request rq = fake_rq_update("svc", 0);
	uint32_t id;

	rq.rss_maxtime_ms = 500;
	id = fake_request(0, &rq);
	fake_advance(499);
	ck_assert_ptr_null(fake_reply(id));
	fake_advance(1);
	ck_assert_int_eq(fake_reply(id)->result, -EINTR);
	prepare_cancelled(ep);
}
END_TEST

START_TEST(update_init_times_out)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id = update_svc(0, &ep, &old);

	fake_prepare_answer(ep, STATE, OK);
	fake_advance(2 * RS_INIT_T_MS - 1);
	ck_assert_ptr_null(fake_reply(id));
	fake_advance(1);
	ck_assert_int_eq(fake_reply(id)->result, -EINTR);
	ck_assert_int_eq(fake_status("svc").pid, old);
}
END_TEST

/* The old process dies while it prepares: ERESTART, then a crash restart. */
START_TEST(update_ends_when_the_old_process_dies)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id = update_svc(0, &ep, &old);

	fake_die(ep, KILLED_BY(SIGSEGV));
	ck_assert_int_eq(fake_reply(id)->result, -ERESTART);
	ck_assert(fake.procs[2].killed);
	ck_assert(fake_status("svc").flags & RS_STATUS_INITIALIZING);
	fake_restarted("svc", 1);
}
END_TEST

START_TEST(update_ends_when_the_new_version_dies_before_it_ran)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id = update_svc(0, &ep, &old);

	fake_die(new_version_slot(), KILLED_BY(SIGKILL));
	ck_assert_int_eq(fake_reply(id)->result, -ERESTART);
	prepare_cancelled(ep);
}
END_TEST

START_TEST(update_rolls_back_when_the_new_version_dies_in_init)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id = update_svc(0, &ep, &old);
	int slots;

	fake_prepare_answer(ep, STATE, OK);
	fake_die(ep, KILLED_BY(SIGSEGV));
	ck_assert_int_eq(fake_reply(id)->result, -ERESTART);
	ck_assert_int_eq(fake_proc_of(ep)->pid, old);
	ck_assert_int_eq(fake_last(ep, -ERESTART)->call, MXSYS_CALL_SENDNB);
	ck_assert_uint_eq(fake_status("svc").flags, RS_STATUS_ACTIVE);
	ck_assert_uint_eq(fake_status("svc").restarts, 0);
	/* The dead new version's spare slot is freed at once. */
	slots = fake_slots_used();
	ck_assert_int_eq(slots, 2);
}
END_TEST

/* The old process dies after the swap: the commit does not care. */
START_TEST(update_commits_when_the_old_process_dies_meanwhile)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id = update_svc(0, &ep, &old);

	fake_prepare_answer(ep, STATE, OK);
	fake_die(old_slot(ep), KILLED_BY(SIGKILL));
	ck_assert_ptr_null(fake_reply(id));
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert_int_eq(fake_slots_used(), 2);
}
END_TEST

/* -o: prepared, then released by a cancel as its sendrec's answer. */
START_TEST(prepare_only_update)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id = update_svc(RSS_PREPARE_ONLY_LU, &ep, &old);
	const struct fake_sent *cancel;

	ck_assert_int_eq(fake.nprocs, 2);	/* no new version */
	fake_prepare_answer(ep, STATE, OK);
	cancel = fake_last(ep, RS_LU_PREPARE);
	ck_assert_int_eq(cancel->call, MXSYS_CALL_SENDNB);
	ck_assert_int_eq(cancel->m.m_rs_lu_prepare.state, SEF_LU_STATE_NULL);
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert_int_eq(fake.update_calls, 0);
}
END_TEST

START_TEST(update_noblock_is_answered_once_started)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id = update_svc(RSS_NOBLOCK, &ep, &old);

	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert(fake_status("svc").flags & RS_STATUS_UPDATING);
	commits_unanswered("svc", ep);
}
END_TEST

/* Signals for a process blocked in its prepare wait for the update's end. */
START_TEST(signals_wait_for_the_end_of_an_update)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	struct rs_request rq = fake_rq_update("svc", 0);

	fake_request(0, &rq);
	fake_prepare_answer(ep, STATE, OK);
	fake_signals(ep, MXSYS_SIGBIT(SIGUSR1));
	ck_assert_int_eq(fake_count(0, ep, SIGS_SIGNAL_RECEIVED), 0);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_count(0, ep, SIGS_SIGNAL_RECEIVED), 1);
	ck_assert_int_lt(fake_index(ep, OK), fake_index(ep, SIGS_SIGNAL_RECEIVED));
}
END_TEST

/* To another binary: it is the service's from now on, replica included. */
START_TEST(update_to_a_new_binary_remakes_the_replica)
{
	endpoint_t ep = fake_up_running("svc", RSS_REPLICA, 0);
	pid_t replica = fake_status("svc").replica_pid;
	struct rs_request rq = fake_rq(RS_UPDATE, "svc");

	rq.rss_state = STATE;
	snprintf(rq.rss_cmd, sizeof(rq.rss_cmd), "/bin/sh");
	fake_request(0, &rq);
	fake_prepare_answer(ep, STATE, OK);
	ck_assert_str_eq(fake_proc_of(ep)->binary, "/bin/sh");
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_str_eq(fake_status("svc").binary, "/bin/sh");
	ck_assert(fake_proc(replica)->killed);
	ck_assert_str_eq(fake_proc(fake_status("svc").replica_pid)->binary,
			 "/bin/sh");
}
END_TEST

/* ---- what may run beside an update ------------------------------------------------ */

START_TEST(one_update_at_a_time)
{
	struct rs_request a = fake_rq_update("a", 0);
	struct rs_request b = fake_rq_update("b", 0);
	struct rs_request down = fake_rq(RS_DOWN, "b");
	struct rs_request status = fake_rq(RS_STATUS, "b");

	fake_up_running("a", 0, 0);
	fake_up_running("b", 0, 0);
	fake_request(0, &a);
	ck_assert_int_eq(fake_reply(fake_request(0, &b))->result, -EBUSY);
	ck_assert_int_eq(fake_reply(fake_request(0, &down))->result, -EBUSY);
	ck_assert_int_eq(fake_reply(fake_request(0, &status))->result, OK);
}
END_TEST

/* Another service starting: EAGAIN, before any process is made. */
START_TEST(no_update_while_another_service_starts)
{
	struct rs_request slow = fake_rq_up("slow", "", 0, 0);
	struct rs_request rq = fake_rq_update("svc", 0);
	int procs;

	fake_up_running("svc", 0, 0);
	fake_request(0, &slow);
	procs = fake.nprocs;
	ck_assert_int_eq(fake_reply(fake_request(0, &rq))->result, -EAGAIN);
	ck_assert_int_eq(fake.nprocs, procs);
}
END_TEST

/* ---- batches ----------------------------------------------------------------------------- */

START_TEST(batch_commits_together)
{
	endpoint_t a = fake_up_running("a", 0, 0);
	endpoint_t b = fake_up_running("b", 0, 0);
	struct rs_request qa = fake_rq_update("a", RSS_BATCH);
	struct rs_request qb = fake_rq_update("b", RSS_BATCH);
	struct rs_request run = fake_rq_sysctl(RS_SYSCTL_UPD_RUN);
	struct rs_request status = fake_rq_sysctl(RS_SYSCTL_UPD_STATUS);
	uint32_t id;

	ck_assert_int_eq(fake_reply(fake_request(0, &qa))->result, OK);
	ck_assert_int_eq(fake_reply(fake_request(0, &qb))->result, OK);
	/* Scheduled only: nobody was asked anything, nothing is busy. */
	ck_assert_int_eq(fake_count(0, a, RS_LU_PREPARE), 0);
	ck_assert_uint_eq(fake_status("a").flags, RS_STATUS_ACTIVE);
	ck_assert_int_eq(fake_reply(fake_request(0, &status))->result, OK);
	/* The same service twice, or a single update beside the batch. */
	ck_assert_int_eq(fake_reply(fake_request(0, &qa))->result, -EINVAL);
	qa.rss_flags &= ~RSS_BATCH;
	ck_assert_int_eq(fake_reply(fake_request(0, &qa))->result, -EBUSY);

	id = fake_request(0, &run);
	/* One prepares after the other. */
	ck_assert(fake_last(a, RS_LU_PREPARE)->m.m_rs_lu_prepare.flags &
		  SEF_LU_MULTI);
	ck_assert_int_eq(fake_count(0, b, RS_LU_PREPARE), 0);
	fake_prepare_answer(a, STATE, OK);
	ck_assert_int_eq(fake.update_calls, 0);
	fake_prepare_answer(b, STATE, OK);
	ck_assert_int_eq(fake.update_calls, 2);
	fake_init_answer(a, OK, RS_POLICY_RESTART);
	ck_assert_ptr_null(fake_reply(id));
	ck_assert(fake_slot(a)->in_sendrec);	/* waits for the commit */
	fake_init_answer(b, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert(!fake_slot(a)->in_sendrec);
	ck_assert_uint_eq(fake_status("a").flags, RS_STATUS_ACTIVE);
	ck_assert_uint_eq(fake_status("b").flags, RS_STATUS_ACTIVE);
	ck_assert_int_eq(fake_reply(fake_request(0, &status))->result, -ESRCH);
}
END_TEST

/*
 * A batch prepares once every new version is loaded; each look reads the
 * slot table once for the whole batch (every LU_LOAD_CHECK_MS, 2 ms).
 */
START_TEST(batch_prepares_once_every_new_version_is_loaded)
{
	endpoint_t a = fake_up_running("a", 0, 0);
	endpoint_t b = fake_up_running("b", 0, 0);
	struct rs_request qa = fake_rq_update("a", RSS_BATCH);
	struct rs_request qb = fake_rq_update("b", RSS_BATCH);
	struct rs_request run = fake_rq_sysctl(RS_SYSCTL_UPD_RUN);
	endpoint_t loading[2];
	int n = 0, reads;
	uint32_t id;

	fake.processes_load_slowly = true;
	ck_assert_int_eq(fake_reply(fake_request(0, &qa))->result, OK);
	ck_assert_int_eq(fake_reply(fake_request(0, &qb))->result, OK);
	id = fake_request(0, &run);
	for (int i = 0; i < FAKE_SLOTS; i++)
		if (fake.slots[i].used && fake.slots[i].loading) {
			ck_assert_int_lt(n, 2);
			loading[n++] = fake.slots[i].endpoint;
		}
	ck_assert_int_eq(n, 2);

	/* One loaded, the other not: nobody prepares yet. */
	fake_loaded(loading[0]);
	reads = fake.slot_state_reads;
	fake_advance(20);
	ck_assert_int_gt(fake.slot_state_reads, reads);
	ck_assert_int_le(fake.slot_state_reads - reads, 20 / 2);
	ck_assert_int_eq(fake_count(0, a, RS_LU_PREPARE), 0);
	ck_assert_int_eq(fake_count(0, b, RS_LU_PREPARE), 0);

	fake_loaded(loading[1]);
	fake_advance(2);
	ck_assert_int_eq(fake_count(0, a, RS_LU_PREPARE), 1);
	fake_prepare_answer(a, STATE, OK);
	fake_prepare_answer(b, STATE, OK);
	fake_init_answer(a, OK, RS_POLICY_RESTART);
	fake_init_answer(b, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_reply(id)->result, OK);
}
END_TEST

START_TEST(batch_rolls_back_together)
{
	endpoint_t a = fake_up_running("a", 0, 0);
	endpoint_t b = fake_up_running("b", 0, 0);
	pid_t old_a = fake_status("a").pid, old_b = fake_status("b").pid;
	struct rs_request qa = fake_rq_update("a", RSS_BATCH);
	struct rs_request qb = fake_rq_update("b", RSS_BATCH);
	struct rs_request run = fake_rq_sysctl(RS_SYSCTL_UPD_RUN);
	uint32_t id;

	fake_request(0, &qa);
	fake_request(0, &qb);
	id = fake_request(0, &run);
	fake_prepare_answer(a, STATE, OK);
	fake_prepare_answer(b, STATE, OK);
	fake_init_answer(a, OK, RS_POLICY_RESTART);
	fake_init_answer(b, -EIO, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_reply(id)->result, -EIO);
	ck_assert_int_eq(fake_status("a").pid, old_a);
	ck_assert_int_eq(fake_status("b").pid, old_b);
	ck_assert_int_eq(fake_last(a, -EIO)->call, MXSYS_CALL_SENDNB);
	ck_assert_int_eq(fake_last(b, -EIO)->call, MXSYS_CALL_SENDNB);
	ck_assert_uint_eq(fake_status("a").flags, RS_STATUS_ACTIVE);
}
END_TEST

START_TEST(batch_stopped_before_it_ran)
{
	struct rs_request qa = fake_rq_update("a", RSS_BATCH);
	struct rs_request stop = fake_rq_sysctl(RS_SYSCTL_UPD_STOP);
	struct rs_request run = fake_rq_sysctl(RS_SYSCTL_UPD_RUN);

	fake_up_running("a", 0, 0);
	fake_request(0, &qa);
	ck_assert_int_eq(fake_reply(fake_request(0, &stop))->result, OK);
	ck_assert(fake.procs[2].killed);
	ck_assert_int_eq(fake_reply(fake_request(0, &run))->result, -ESRCH);
}
END_TEST

/* upd_start: answered at once; the outcome only goes to the log. */
START_TEST(batch_started_without_waiting)
{
	endpoint_t a = fake_up_running("a", 0, 0);
	struct rs_request qa = fake_rq_update("a", RSS_BATCH);
	struct rs_request start = fake_rq_sysctl(RS_SYSCTL_UPD_START);

	fake_request(0, &qa);
	ck_assert_int_eq(fake_reply(fake_request(0, &start))->result, OK);
	commits_unanswered("a", a);
}
END_TEST

/* A scheduled service that goes away ends the batch (EDEADSRCDST). */
START_TEST(batch_ends_when_a_service_goes)
{
	endpoint_t b = fake_up_running("b", 0, 0);
	struct rs_request qa = fake_rq_update("a", RSS_BATCH);
	struct rs_request qb = fake_rq_update("b", RSS_BATCH);
	struct rs_request down = fake_rq(RS_DOWN, "b");
	struct rs_request status = fake_rq_sysctl(RS_SYSCTL_UPD_STATUS);

	fake_up_running("a", 0, 0);
	fake_request(0, &qa);
	fake_request(0, &qb);
	fake_request(0, &down);
	fake_die(b, EXITED(0));
	ck_assert(fake_gone("b"));
	ck_assert_int_eq(fake_reply(fake_request(0, &status))->result, -ESRCH);
	/* Both new versions are gone. */
	ck_assert(fake.procs[3].killed);
	ck_assert(fake.procs[4].killed);
}
END_TEST

/* A batch waits while RS is busy: EAGAIN, and nothing is left over. */
START_TEST(batch_refused_while_rs_is_busy)
{
	struct rs_request qa = fake_rq_update("a", RSS_BATCH);
	struct rs_request slow = fake_rq_up("slow", "", 0, 0);
	struct rs_request run = fake_rq_sysctl(RS_SYSCTL_UPD_RUN);
	struct rs_request status = fake_rq_sysctl(RS_SYSCTL_UPD_STATUS);

	fake_up_running("a", 0, 0);
	fake_request(0, &qa);
	fake_request(0, &slow);
	ck_assert_int_eq(fake_reply(fake_request(0, &run))->result, -EAGAIN);
	ck_assert(fake.procs[2].killed);
	ck_assert_int_eq(fake_reply(fake_request(0, &status))->result, -ESRCH);
}
END_TEST

static Suite *update_suite(void)
{
	Suite *s = suite_create("rs_update");
	TCase *one = tcase_create("one service");
	TCase *batch = tcase_create("batch");

	tcase_add_checked_fixture(one, boot, fake_end);
	tcase_add_test(one, update_commits);
	tcase_add_test(one, update_rolls_back_on_init_failure);
	tcase_add_test(one, update_refused_by_the_service);
	tcase_add_test(one, update_prepares_once_the_new_version_is_loaded);
	tcase_add_test(one, update_ends_when_the_new_version_is_not_loaded);
	tcase_add_test(one, update_prepare_times_out);
	tcase_add_test(one, update_init_times_out);
	tcase_add_test(one, update_ends_when_the_old_process_dies);
	tcase_add_test(one, update_ends_when_the_new_version_dies_before_it_ran);
	tcase_add_test(one, update_rolls_back_when_the_new_version_dies_in_init);
	tcase_add_test(one, update_commits_when_the_old_process_dies_meanwhile);
	tcase_add_test(one, prepare_only_update);
	tcase_add_test(one, update_noblock_is_answered_once_started);
	tcase_add_test(one, signals_wait_for_the_end_of_an_update);
	tcase_add_test(one, update_to_a_new_binary_remakes_the_replica);
	tcase_add_test(one, one_update_at_a_time);
	tcase_add_test(one, no_update_while_another_service_starts);
	suite_add_tcase(s, one);
	tcase_add_checked_fixture(batch, boot, fake_end);
	tcase_add_test(batch, batch_commits_together);
	tcase_add_test(batch, batch_prepares_once_every_new_version_is_loaded);
	tcase_add_test(batch, batch_rolls_back_together);
	tcase_add_test(batch, batch_stopped_before_it_ran);
	tcase_add_test(batch, batch_started_without_waiting);
	tcase_add_test(batch, batch_ends_when_a_service_goes);
	tcase_add_test(batch, batch_refused_while_rs_is_busy);
	suite_add_tcase(s, batch);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(update_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
