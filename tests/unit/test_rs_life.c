// SPDX-License-Identifier: MIT
/*
 * rs-daemon's service life cycle on the fake module: boot, up and the
 * init handshake, crashes and restarts (replica swap, backoff, reset
 * policy, scripts), heartbeats, signals, and deaths RS did not expect.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <minix/ds.h>
#include <minix/sef.h>
#include <minix/syslib.h>

#include "../../servers/rs/manager.h"
#include "../../servers/rs/service.h"
#include "test_rs_fake.h"

static void boot(void)
{
	fake_boot(NULL);
}

/* The `up` of "svc" failed (request id): EDEADEPT, and the label is free. */
static void up_failed(uint32_t id)
{
	ck_assert_int_eq(fake_reply(id)->result, -EDEADEPT);
	ck_assert(fake_gone("svc"));
}

/* ---- boot ---------------------------------------------------------------- */

START_TEST(ds_boots_in_its_static_slot)
{
	struct rs_status ds = fake_status("ds");
	const struct fake_sent *init = fake_last(DS_PROC_NR, RS_INIT);

	ck_assert_int_eq(ds.endpoint, DS_PROC_NR);
	ck_assert_uint_eq(ds.flags, RS_STATUS_ACTIVE | RS_STATUS_CORE);
	ck_assert_int_eq(init->call, MXSYS_CALL_SENDA);
	ck_assert_int_eq(init->m.m_rs_init.type, SEF_INIT_FRESH);
	ck_assert_int_eq(init->m.m_rs_init.restarts, 1);
	/* Its init was answered, as the reply of its sendrec. */
	ck_assert_int_eq(fake_last(DS_PROC_NR, OK)->call, MXSYS_CALL_SENDNB);
	ck_assert(!fake_slot(DS_PROC_NR)->in_sendrec);
	ck_assert_int_eq(fake_count(0, DS_PROC_NR, DS_PUBLISH), 0);
}
END_TEST

/*
 * ds's entry comes from the system.conf RS reads (rs-daemon -c, here the
 * fake's), period included: RS pings ds and restarts it when it hangs.
 */
START_TEST(ds_entry_period_pings_ds)
{
	int from;

	fake_boot("service ds\n{\n\tperiod 100ms;\n};\n");
	ck_assert_uint_eq(fake_status("ds").period_ms, 100);
	from = fake.nsent;
	fake_advance(100);
	ck_assert_int_gt(fake.nsent, from);
	ck_assert_int_eq(fake.sent[fake.nsent - 1].call, MXSYS_CALL_NOTIFY);
	ck_assert_int_eq(fake.sent[fake.nsent - 1].dst, DS_PROC_NR);
	/* Silent for two whole periods: killed, as any service. */
	fake_advance(101);
	ck_assert(fake_proc_of(DS_PROC_NR)->killed);
}
END_TEST

/* Requests wait for ds; the boot entries of system.conf start after it. */
START_TEST(boot_services_start_once_ds_runs)
{
	struct rs_request rq = fake_rq_up("early", "", 0, 0);

	fake_start("service bootsvc\n{\n\tboot;\n\tbinary /bin/true;\n"
		   "\targs -x;\n\tperiod 5HZ;\n};\n");
	ck_assert(!manager_booted());
	ck_assert_int_eq(fake_reply(fake_request(0, &rq))->result, -EBUSY);
	ck_assert_ptr_null(service_by_label("bootsvc"));

	fake_init_answer(DS_PROC_NR, OK, RS_POLICY_RESTART);
	ck_assert(manager_booted());
	ck_assert_uint_eq(fake_status("bootsvc").flags,
			  RS_STATUS_ACTIVE | RS_STATUS_INITIALIZING);
	ck_assert_uint_eq(fake_status("bootsvc").period_ms, 5000);
	ck_assert_str_eq(fake_proc_of(fake_status("bootsvc").endpoint)->args,
			 "-x");
}
END_TEST

/* READY=1 waits for the boot entries' init, even a failed one. */
START_TEST(boot_done_once_boot_inits_end)
{
	fake_start("service b1\n{\n\tboot;\n\tbinary /bin/true;\n};\n"
		   "service b2\n{\n\tboot;\n\tbinary /bin/true;\n};\n");
	ck_assert(!manager_boot_done());
	fake_init_answer(DS_PROC_NR, OK, RS_POLICY_RESTART);
	ck_assert(manager_booted());
	ck_assert(!manager_boot_done());
	fake_init_answer(fake_status("b1").endpoint, OK, RS_POLICY_RESTART);
	ck_assert(!manager_boot_done());
	fake_die(fake_status("b2").endpoint, 1 << 8);
	ck_assert(manager_boot_done());
}
END_TEST

/* SIGHUP: new boot entries start, changed ones wait, removed ones stay. */
START_TEST(reload_boot_entries)
{
	fake_start("service b1\n{\n\tboot;\n\tbinary /bin/true;\n};\n"
		   "service b2\n{\n\tboot;\n\tbinary /bin/true;\n};\n");
	fake_init_answer(DS_PROC_NR, OK, RS_POLICY_RESTART);
	fake_init_answer(fake_status("b1").endpoint, OK, RS_POLICY_RESTART);
	fake_init_answer(fake_status("b2").endpoint, OK, RS_POLICY_RESTART);
	fake_rewrite_conf("service b1\n{\n\tboot;\n\tbinary /bin/true;\n"
			  "\targs -n;\n};\n"
			  "service b3\n{\n\tboot;\n\tbinary /bin/true;\n};\n");
	manager_reload();
	fake_turn_end();
	/* b3 new: started; b1 changed: same process, new args kept. */
	ck_assert_uint_eq(fake_status("b3").flags,
			  RS_STATUS_ACTIVE | RS_STATUS_INITIALIZING);
	ck_assert_str_eq(fake_status("b1").args, "-n");
	ck_assert_str_eq(fake_proc_of(fake_status("b1").endpoint)->args, "");
	ck_assert_uint_eq(fake_status("b1").flags, RS_STATUS_ACTIVE);
	/* b2 removed from the file: left running. */
	ck_assert_uint_eq(fake_status("b2").flags, RS_STATUS_ACTIVE);
	ck_assert(!manager_boot_done());
	fake_init_answer(fake_status("b3").endpoint, OK, RS_POLICY_RESTART);
	ck_assert(manager_boot_done());
	/* b1's next start runs its new entry. */
	fake_die(fake_status("b1").endpoint, SIGKILL);
	fake_reap_kills();
	fake_restarted("b1", 1);
	ck_assert_str_eq(fake_proc_of(fake_status("b1").endpoint)->args, "-n");
}
END_TEST

/* status: uptime while up, how the last process died. */
START_TEST(status_uptime_and_last_exit)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	struct rs_status st;

	st = fake_status("svc");
	ck_assert_uint_ge(st.uptime_ms, 1);
	ck_assert_str_eq(st.last_exit, "");
	fake_advance(2000);
	ck_assert_uint_ge(fake_status("svc").uptime_ms, 2000);
	fake_die(ep, SIGKILL);
	fake_reap_kills();
	st = fake_status("svc");
	ck_assert_str_eq(st.last_exit, "killed by signal 9");
	fake_restarted("svc", 1);
	st = fake_status("svc");
	ck_assert_uint_lt(st.uptime_ms, 2000);
	ck_assert_str_eq(st.last_exit, "killed by signal 9");
}
END_TEST

/* ---- up and the init handshake ------------------------------------------- */

START_TEST(up_is_answered_when_its_init_succeeds)
{
	struct rs_request rq = fake_rq_up("svc", "a  b", 0, 0);
	uint32_t id = fake_request(0, &rq);
	struct rs_status st = fake_status("svc");
	const struct fake_sent *publish, *init;
	const struct rs_reply *reply;

	ck_assert_ptr_null(fake_reply(id));
	ck_assert_uint_eq(st.flags, RS_STATUS_ACTIVE | RS_STATUS_INITIALIZING);
	ck_assert_str_eq(fake_proc_of(st.endpoint)->binary, "/bin/true");
	ck_assert_str_eq(fake_proc_of(st.endpoint)->args, "a b");
	ck_assert(fake_slot(st.endpoint)->allowed);
	/* ds knows the label before the service's init may ask for it. */
	publish = fake_last(DS_PROC_NR, DS_PUBLISH);
	ck_assert_str_eq(publish->m.m_ds.key, "svc");
	ck_assert_int_eq((endpoint_t)publish->m.m_ds.val_u32, st.endpoint);
	ck_assert_int_lt(fake_index(DS_PROC_NR, DS_PUBLISH),
			 fake_index(st.endpoint, RS_INIT));
	init = fake_last(st.endpoint, RS_INIT);
	ck_assert_int_eq(init->m.m_rs_init.type, SEF_INIT_FRESH);

	fake_init_answer(st.endpoint, OK, RS_POLICY_RESET);
	reply = fake_reply(id);
	ck_assert_ptr_nonnull(reply);
	ck_assert_int_eq(reply->result, OK);
	ck_assert_int_eq(reply->status.endpoint, st.endpoint);
	ck_assert_uint_eq(fake_status("svc").flags, RS_STATUS_ACTIVE);
	ck_assert_str_eq(fake_status("svc").policy, "reset");
}
END_TEST

START_TEST(up_noblock_is_answered_at_once)
{
	struct rs_request rq = fake_rq_up("svc", "", RSS_NOBLOCK, 0);
	uint32_t id = fake_request(0, &rq);

	ck_assert_ptr_nonnull(fake_reply(id));
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert(fake_status("svc").flags & RS_STATUS_INITIALIZING);
}
END_TEST

START_TEST(up_of_a_binary_that_cannot_run_fails_cleanly)
{
	struct rs_request rq = fake_rq_up("svc", "", 0, 0);
	int slots = fake_slots_used();

	fake.exec_error = -ENOEXEC;
	ck_assert_int_eq(fake_reply(fake_request(0, &rq))->result, -ENOEXEC);
	ck_assert(fake_gone("svc"));
	ck_assert_int_eq(fake_slots_used(), slots);
}
END_TEST

START_TEST(failed_init_is_final)
{
	struct rs_request rq = fake_rq_up("svc", "", 0, 0);
	uint32_t id = fake_request(0, &rq);
	endpoint_t ep = fake_status("svc").endpoint;
	int slots = fake_slots_used();

	fake_init_answer(ep, -ENOSYS, RS_POLICY_RESTART);
	ck_assert(fake_proc_of(ep)->killed);
	ck_assert_ptr_null(fake_reply(id));
	ck_assert(fake_status("svc").flags & RS_STATUS_EXITING);
	fake_reap_kills();
	up_failed(id);
	ck_assert_int_eq(fake_slots_used(), slots - 1);
	ck_assert_str_eq(fake_last(DS_PROC_NR, DS_DELETE)->m.m_ds.key, "svc");
}
END_TEST

/* -b: the failed init is tried again a backoff period later, on a swap. */
START_TEST(failed_init_with_b_is_retried)
{
	struct rs_request rq = fake_rq_up("svc", "", RSS_NO_BIN_EXP, 0);
	uint32_t id = fake_request(0, &rq);
	endpoint_t ep = fake_status("svc").endpoint;
	pid_t first = fake_status("svc").pid;

	fake_init_answer(ep, -EIO, RS_POLICY_RESTART);
	fake_reap_kills();
	ck_assert(fake_status("svc").flags & RS_STATUS_DEAD);
	fake_advance(FAKE_BACKOFF_MS - 1);
	ck_assert(fake_status("svc").flags & RS_STATUS_DEAD);
	fake_advance(1);
	ck_assert(fake_status("svc").flags & RS_STATUS_INITIALIZING);
	ck_assert_int_eq(fake_status("svc").endpoint, ep);
	ck_assert_int_ne(fake_status("svc").pid, first);
	ck_assert_ptr_null(fake_reply(id));
	fake_restarted("svc", 1);
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert_uint_eq(fake_reply(id)->status.restarts, 1);
}
END_TEST

START_TEST(init_timeout_kills_without_restart)
{
	struct rs_request rq = fake_rq_up("svc", "", 0, 0);
	uint32_t id = fake_request(0, &rq);
	endpoint_t ep = fake_status("svc").endpoint;

	fake_advance(RS_INIT_TIMEOUT_MS - 1);
	ck_assert(!fake_proc_of(ep)->killed);
	fake_advance(1);
	ck_assert(fake_proc_of(ep)->killed);
	ck_assert(fake_status("svc").flags & RS_STATUS_NOPINGREPLY);
	fake_reap_kills();
	up_failed(id);
}
END_TEST

START_TEST(death_during_init_is_final)
{
	struct rs_request rq = fake_rq_up("svc", "", 0, 0);
	uint32_t id = fake_request(0, &rq);

	fake_die(fake_status("svc").endpoint, KILLED_BY(SIGSEGV));
	up_failed(id);
}
END_TEST

/*
 * A child that died before it bound its slot is never reported by the
 * module: once reaped, RS gives up on it within RS_UNBOUND_DEATH_MS.
 */
START_TEST(child_reaped_before_binding_is_given_up)
{
	struct rs_request rq = fake_rq_up("svc", "", 0, 0);
	uint32_t id = fake_request(0, &rq);
	endpoint_t ep = fake_status("svc").endpoint;
	struct fake_proc *p = fake_proc_of(ep);

	p->alive = false;
	fake_reaped(p->pid);
	ck_assert_int_eq(fake_status("svc").pid, 0);
	fake_advance(RS_UNBOUND_DEATH_MS);
	up_failed(id);
}
END_TEST

/* ---- crashes ---------------------------------------------------------------- */

START_TEST(crash_restarts_on_the_same_endpoint)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	pid_t old = fake_status("svc").pid;
	const struct fake_sent *init;
	int slots = fake_slots_used();
	endpoint_t spare;

	fake_die(ep, KILLED_BY(SIGKILL));
	/* A new process took the endpoint by a swap; the dead one waits in
	 * the spare slot the init names. */
	ck_assert_int_eq(fake.update_calls, 1);
	ck_assert_int_eq(fake_status("svc").endpoint, ep);
	ck_assert_int_ne(fake_status("svc").pid, old);
	init = fake_last(ep, RS_INIT);
	ck_assert_int_eq(init->m.m_rs_init.type, SEF_INIT_RESTART);
	ck_assert_int_eq(init->m.m_rs_init.restarts, 1);
	spare = init->m.m_rs_init.old_endpoint;
	ck_assert_int_eq(fake_proc_of(spare)->pid, old);
	ck_assert(fake_status("svc").flags & RS_STATUS_INITIALIZING);
	ck_assert_int_eq(fake.endksig_calls, 1);

	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_uint_eq(fake_status("svc").restarts, 1);
	ck_assert_uint_eq(fake_status("svc").flags, RS_STATUS_ACTIVE);
	/* The spare slot with the dead process is freed. */
	ck_assert_int_eq(fake_slots_used(), slots);
}
END_TEST

/* The second crash waits 2 backoff periods, the third 4 (flag D). */
START_TEST(later_crashes_back_off)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);

	fake_die(ep, KILLED_BY(SIGKILL));
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	fake_die(ep, KILLED_BY(SIGKILL));
	ck_assert(fake_status("svc").flags & RS_STATUS_DEAD);
	ck_assert_int_eq(fake_status("svc").pid, 0);
	fake_advance(2 * FAKE_BACKOFF_MS - 1);
	ck_assert(fake_status("svc").flags & RS_STATUS_DEAD);
	fake_advance(1);
	ck_assert(fake_status("svc").flags & RS_STATUS_INITIALIZING);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	fake_die(ep, KILLED_BY(SIGKILL));
	fake_advance(4 * FAKE_BACKOFF_MS - 1);
	ck_assert(fake_status("svc").flags & RS_STATUS_DEAD);
	fake_advance(1);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_uint_eq(fake_status("svc").restarts, 3);
}
END_TEST

/* -p: the standby is already there; it takes over, and a new one follows. */
START_TEST(standby_replica_takes_over)
{
	endpoint_t ep = fake_up_running("svc", RSS_REPLICA, 0);
	pid_t standby = fake_status("svc").replica_pid;
	struct fake_proc *p = fake_proc(standby);
	int procs;

	ck_assert_int_ne(standby, 0);
	ck_assert(p->alive);
	/* Prepared as a replica, and never allowed to run. */
	for (int i = 0; i < FAKE_SLOTS; i++)
		if (fake.slots[i].used && fake.slots[i].pid == standby) {
			ck_assert(fake.slots[i].priv.flags &
				  MXSYS_RST_SYS_PROC);
			ck_assert(!fake.slots[i].allowed);
		}
	procs = fake.nprocs;
	fake_die(ep, KILLED_BY(SIGKILL));
	ck_assert_int_eq(fake.nprocs, procs);	/* no fork on the way */
	ck_assert_int_eq(fake_status("svc").pid, standby);
	ck_assert_int_eq(fake_status("svc").replica_pid, 0);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake.nprocs, procs + 1);
	ck_assert_int_ne(fake_status("svc").replica_pid, 0);
	ck_assert_int_ne(fake_status("svc").replica_pid, standby);
}
END_TEST

/*
 * The reset policy (the restart init answers ERESTART): the endpoint is
 * given up, ds forgets the label (and the service's keys), and a fresh
 * instance starts on a new endpoint.
 */
START_TEST(reset_policy_starts_afresh)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	endpoint_t fresh;

	fake_die(ep, KILLED_BY(SIGSEGV));
	fake_init_answer(ep, -ERESTART, RS_POLICY_RESET);
	ck_assert(fake_proc_of(ep)->killed);
	fake_reap_kills();
	ck_assert_str_eq(fake_last(DS_PROC_NR, DS_DELETE)->m.m_ds.key, "svc");
	fresh = fake_status("svc").endpoint;
	ck_assert_int_ne(fresh, ep);
	ck_assert_ptr_null(fake_proc_of(ep));	/* the old slot is free */
	ck_assert_int_eq(fake_last(fresh, RS_INIT)->m.m_rs_init.type,
			 SEF_INIT_FRESH);
	fake_init_answer(fresh, OK, RS_POLICY_RESET);
	ck_assert_uint_eq(fake_status("svc").restarts, 1);
	ck_assert_str_eq(fake_status("svc").policy, "reset");
}
END_TEST

START_TEST(no_restart_with_f)
{
	endpoint_t ep = fake_up_running("svc", RSS_NORESTART, 0);

	fake_die(ep, EXITED(1));
	ck_assert(fake_gone("svc"));
	ck_assert_int_eq(fake.update_calls, 0);
}
END_TEST

/* With a recovery script RS restarts nothing: the script decides. */
START_TEST(script_decides_after_a_crash)
{
	struct rs_request rq = fake_rq_up("svc", "", 0, 0);
	struct rs_request restart = fake_rq(RS_RESTART, "svc");
	struct rs_request refresh = fake_rq(RS_REFRESH, "svc");
	endpoint_t ep;

	snprintf(rq.rss_script, sizeof(rq.rss_script), "/bin/script");
	fake_request(0, &rq);
	ep = fake_status("svc").endpoint;
	ck_assert(fake_last(ep, RS_INIT)->m.m_rs_init.flags &
		  SEF_INIT_SCRIPT_RESTART);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	/* Not terminated: restart is refused. */
	ck_assert_int_eq(fake_reply(fake_request(0, &restart))->result,
			 -EBUSY);

	fake_die(ep, KILLED_BY(SIGSEGV));
	ck_assert_int_eq(fake.nscripts, 1);
	ck_assert_str_eq(fake.scripts[0].label, "svc");
	ck_assert_str_eq(fake.scripts[0].reason, "terminated");
	ck_assert_uint_eq(fake.scripts[0].incarnation, 0);
	ck_assert(fake_status("svc").flags & RS_STATUS_TERMINATED);
	ck_assert_int_eq(fake.update_calls, 0);
	fake_advance(60000);
	ck_assert(fake_status("svc").flags & RS_STATUS_TERMINATED);
	/* A terminated service takes only restart and down. */
	ck_assert_int_eq(fake_reply(fake_request(0, &refresh))->result, -EPERM);
	ck_assert_int_eq(fake_reply(fake_request(0, &restart))->result, OK);
	ck_assert_int_eq(fake_status("svc").endpoint, ep);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_uint_eq(fake_status("svc").restarts, 1);
}
END_TEST

/* ---- heartbeats --------------------------------------------------------------- */

START_TEST(heartbeat_pings_and_kills_a_silent_service)
{
	endpoint_t ep = fake_up_running("svc", 0, 100);
	int from = fake.nsent;

	fake_advance(99);
	ck_assert_int_eq(fake.nsent, from);
	fake_advance(1);
	ck_assert_int_eq(fake.sent[fake.nsent - 1].call, MXSYS_CALL_NOTIFY);
	ck_assert_int_eq(fake.sent[fake.nsent - 1].dst, ep);
	/* Late only after two whole periods without a sign of life. */
	fake_advance(100);
	ck_assert(!fake_proc_of(ep)->killed);
	fake_advance(1);
	ck_assert(fake_proc_of(ep)->killed);
	ck_assert(fake_status("svc").flags & RS_STATUS_NOPINGREPLY);
	fake_reap_kills();
	ck_assert(fake_status("svc").flags & RS_STATUS_INITIALIZING);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_uint_eq(fake_status("svc").flags, RS_STATUS_ACTIVE);
}
END_TEST

/*
 * Late means more than two whole periods: a timer that fires at exactly
 * 2P (here for another service's ping) must not kill.
 */
START_TEST(heartbeat_late_only_after_two_whole_periods)
{
	endpoint_t ep = fake_up_running("svc", 0, 100);
	endpoint_t other = fake_up_running("other", 0, 200);

	fake_advance(200);
	ck_assert_int_eq(fake.sent[fake.nsent - 1].dst, other);
	ck_assert(!fake_proc_of(ep)->killed);
	fake_advance(1);
	ck_assert(fake_proc_of(ep)->killed);
}
END_TEST

START_TEST(any_notify_is_a_sign_of_life)
{
	endpoint_t ep = fake_up_running("svc", 0, 100);

	int from = fake.nsent;
	int pings = 0;

	for (int i = 0; i < 20; i++) {
		fake_advance(150);
		fake_notify(ep);
	}
	ck_assert(!fake_proc_of(ep)->killed);
	for (int i = from; i < fake.nsent; i++)
		pings += fake.sent[i].call == MXSYS_CALL_NOTIFY &&
			 fake.sent[i].dst == ep;
	ck_assert_int_ge(pings, 10);
}
END_TEST

/* MINIX's free pass: a late service is spared while another initialises. */
START_TEST(no_heartbeat_kill_while_another_initialises)
{
	endpoint_t ep = fake_up_running("svc", 0, 100);
	struct rs_request rq = fake_rq_up("slow", "", 0, 0);

	fake_request(0, &rq);
	fake_advance(1000);
	ck_assert(!fake_proc_of(ep)->killed);
	fake_init_answer(fake_status("slow").endpoint, OK, RS_POLICY_RESTART);
	fake_advance(301);
	ck_assert(fake_proc_of(ep)->killed);
}
END_TEST

/* A killed service with a script: the script hears "no-heartbeat". */
START_TEST(missed_heartbeat_reason_for_the_script)
{
	struct rs_request rq = fake_rq_up("svc", "", 0, 100);
	endpoint_t ep;

	snprintf(rq.rss_script, sizeof(rq.rss_script), "/bin/script");
	fake_request(0, &rq);
	ep = fake_status("svc").endpoint;
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	fake_advance(1000);
	fake_reap_kills();
	ck_assert_int_eq(fake.nscripts, 1);
	ck_assert_str_eq(fake.scripts[0].reason, "no-heartbeat");
}
END_TEST

/* ---- signals ------------------------------------------------------------------------- */

START_TEST(signals_reach_the_service_as_messages)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	const struct fake_sent *sig;

	fake_signals(ep, MXSYS_SIGBIT(SIGTERM) | MXSYS_SIGBIT(SIGUSR1));
	ck_assert_int_eq(fake_count(0, ep, SIGS_SIGNAL_RECEIVED), 2);
	sig = fake_last(ep, SIGS_SIGNAL_RECEIVED);
	ck_assert_int_eq(sig->call, MXSYS_CALL_SENDA);
	ck_assert_int_eq(sig->m.m_sigcalls.num, SIGTERM);
	ck_assert_int_eq(fake.endksig_calls, 1);
}
END_TEST

/* A service blocked in its init would take a message as RS's answer. */
START_TEST(signals_wait_while_the_service_initialises)
{
	struct rs_request rq = fake_rq_up("svc", "", 0, 0);
	endpoint_t ep;

	fake_request(0, &rq);
	ep = fake_status("svc").endpoint;
	fake_signals(ep, MXSYS_SIGBIT(SIGHUP));
	ck_assert_int_eq(fake_count(0, ep, SIGS_SIGNAL_RECEIVED), 0);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_count(0, ep, SIGS_SIGNAL_RECEIVED), 1);
	ck_assert_int_eq(fake_last(ep, SIGS_SIGNAL_RECEIVED)->m.m_sigcalls.num,
			 SIGHUP);
	/* Handed over after the init's answer, never before it. */
	ck_assert_int_lt(fake_index(ep, OK), fake_index(ep, SIGS_SIGNAL_RECEIVED));
}
END_TEST

/* A termination signal: frozen, killed unless it dies within a second. */
START_TEST(termination_signal_then_kill)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);

	fake_signals(ep, MXSYS_SIGBIT(SIGSEGV));
	ck_assert_int_eq(fake_count(0, ep, SIGS_SIGNAL_RECEIVED), 0);
	ck_assert_int_eq(fake.endksig_calls, 0);	/* stays frozen */
	fake_advance(RS_EXIT_GRACE_MS - 1);
	ck_assert(!fake_proc_of(ep)->killed);
	fake_advance(1);
	ck_assert(fake_proc_of(ep)->killed);
	fake_reap_kills();
	ck_assert(fake_status("svc").flags & RS_STATUS_INITIALIZING);
}
END_TEST

/* ---- deaths RS did not expect ------------------------------------------------------ */

/* A kill whose death report never comes: RS does not wait forever. */
START_TEST(death_never_reported_is_assumed)
{
	endpoint_t ep = fake_up_running("svc", 0, 100);

	fake_advance(1000);
	ck_assert(fake_proc_of(ep)->killed);
	fake_advance(RS_KILL_WAIT_MS);
	ck_assert(fake_status("svc").flags & RS_STATUS_INITIALIZING);
}
END_TEST

/* The death of a slot of an earlier RS: its dynamic slot is freed. */
START_TEST(orphan_death_frees_its_slot)
{
	struct fake_proc *orphan = &fake.procs[fake.nprocs++];
	struct mxsys_priv priv;
	endpoint_t ep = NONE;
	int slots = fake_slots_used();

	orphan->pid = 12345;
	orphan->alive = true;
	sys_priv_init(&priv, "orphan", MXSYS_SYS_PROC, 0);
	ck_assert_int_eq(sys_privctl_setsys(&ep, MXSYS_SLOT_DYNAMIC,
					    orphan->pid, &priv), OK);
	ck_assert_int_eq(fake_slots_used(), slots + 1);
	fake_die(ep, KILLED_BY(SIGKILL));
	ck_assert_int_eq(fake_slots_used(), slots);
}
END_TEST

/* ds restarted with an empty store: every label is published again. */
START_TEST(ds_restart_republishes_labels)
{
	endpoint_t ep = fake_up_running("svc", 0, 0);
	int from = fake.nsent;

	fake_die(DS_PROC_NR, KILLED_BY(SIGKILL));
	fake_init_answer(DS_PROC_NR, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_count(from, DS_PROC_NR, DS_PUBLISH), 1);
	ck_assert_int_eq((endpoint_t)fake_last(DS_PROC_NR, DS_PUBLISH)->m.m_ds.val_u32,
			 ep);
}
END_TEST

/* The core service lost for good: RS shuts down with status 1. */
START_TEST(core_service_lost_shuts_rs_down)
{
	int code = -1;

	fake.exec_error = -ENOEXEC;	/* no replica can start */
	fake_die(DS_PROC_NR, KILLED_BY(SIGKILL));
	ck_assert(fake_gone("ds"));
	ck_assert(manager_shutting_down());
	ck_assert(manager_finished(&code));
	ck_assert_int_eq(code, 1);
}
END_TEST

static Suite *life_suite(void)
{
	Suite *s = suite_create("rs_life");
	TCase *unbooted = tcase_create("unbooted");
	TCase *tc = tcase_create("life");

	tcase_add_checked_fixture(unbooted, NULL, fake_end);
	tcase_add_test(unbooted, ds_entry_period_pings_ds);
	tcase_add_test(unbooted, boot_services_start_once_ds_runs);
	tcase_add_test(unbooted, boot_done_once_boot_inits_end);
	tcase_add_test(unbooted, reload_boot_entries);
	suite_add_tcase(s, unbooted);
	tcase_add_checked_fixture(tc, boot, fake_end);
	tcase_add_test(tc, ds_boots_in_its_static_slot);
	tcase_add_test(tc, status_uptime_and_last_exit);
	tcase_add_test(tc, up_is_answered_when_its_init_succeeds);
	tcase_add_test(tc, up_noblock_is_answered_at_once);
	tcase_add_test(tc, up_of_a_binary_that_cannot_run_fails_cleanly);
	tcase_add_test(tc, failed_init_is_final);
	tcase_add_test(tc, failed_init_with_b_is_retried);
	tcase_add_test(tc, init_timeout_kills_without_restart);
	tcase_add_test(tc, death_during_init_is_final);
	tcase_add_test(tc, child_reaped_before_binding_is_given_up);
	tcase_add_test(tc, crash_restarts_on_the_same_endpoint);
	tcase_add_test(tc, later_crashes_back_off);
	tcase_add_test(tc, standby_replica_takes_over);
	tcase_add_test(tc, reset_policy_starts_afresh);
	tcase_add_test(tc, no_restart_with_f);
	tcase_add_test(tc, script_decides_after_a_crash);
	tcase_add_test(tc, heartbeat_pings_and_kills_a_silent_service);
	tcase_add_test(tc, heartbeat_late_only_after_two_whole_periods);
	tcase_add_test(tc, any_notify_is_a_sign_of_life);
	tcase_add_test(tc, no_heartbeat_kill_while_another_initialises);
	tcase_add_test(tc, missed_heartbeat_reason_for_the_script);
	tcase_add_test(tc, signals_reach_the_service_as_messages);
	tcase_add_test(tc, signals_wait_while_the_service_initialises);
	tcase_add_test(tc, termination_signal_then_kill);
	tcase_add_test(tc, death_never_reported_is_assumed);
	tcase_add_test(tc, orphan_death_frees_its_slot);
	tcase_add_test(tc, ds_restart_republishes_labels);
	tcase_add_test(tc, core_service_lost_shuts_rs_down);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(life_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
