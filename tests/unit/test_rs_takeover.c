// SPDX-License-Identifier: MIT
/*
 * RS's own death on the fake module: RS commits its state after every
 * loop turn; a new RS (fake_rs_dies) restores it and resumes. Nothing is
 * restarted because RS died, deaths RS missed are recovered, requests in
 * flight get their answer once or a clear error.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <minix/sef.h>
#include <minix/syslib.h>

#include "../../servers/rs/manager.h"
#include "../../servers/rs/recovery.h"
#include "../../servers/rs/service.h"
#include "../../servers/rs/snapshot.h"
#include "../../servers/rs/standby.h"
#include "test_rs_fake.h"

#define NR_SVC	5

static const char *const labels[NR_SVC] = { "a", "b", "c", "d", "e" };

struct seen {
	struct rs_status st[NR_SVC];
	int nprocs, slots, sent;
};

static void look(struct seen *s)
{
	for (int i = 0; i < NR_SVC; i++)
		s->st[i] = fake_status(labels[i]);
	s->nprocs = fake.nprocs;
	s->slots = fake_slots_used();
	s->sent = fake.nsent;
}

static void up_all(void)
{
	fake_boot(NULL);
	for (int i = 0; i < NR_SVC; i++)
		fake_up_running(labels[i], i % 2 ? RSS_REPLICA : 0,
				i == 2 ? 500 : 0);
}

static bool pinged(int from, endpoint_t ep)
{
	for (int i = from; i < fake.nsent; i++)
		if (fake.sent[i].dst == ep &&
		    fake.sent[i].call == MXSYS_CALL_NOTIFY)
			return true;
	return false;
}

static bool any_killed(void)
{
	for (int i = 0; i < fake.nprocs; i++)
		if (fake.procs[i].killed)
			return true;
	return false;
}

START_TEST(idle_state_is_carried_over)
{
	struct seen before, after;

	up_all();
	/* One restart before, so that a count is carried. */
	fake_die(fake_status("a").endpoint, KILLED_BY(SIGSEGV));
	fake_restarted("a", 1);
	ck_assert(fake_fd_stored(SNAPSHOT_NAME));
	look(&before);
	fake_rs_dies();
	look(&after);
	for (int i = 0; i < NR_SVC; i++) {
		ck_assert_int_eq(after.st[i].endpoint, before.st[i].endpoint);
		ck_assert_int_eq(after.st[i].pid, before.st[i].pid);
		ck_assert_int_eq(after.st[i].replica_pid, before.st[i].replica_pid);
		ck_assert_uint_eq(after.st[i].restarts, before.st[i].restarts);
		ck_assert_uint_eq(after.st[i].flags, before.st[i].flags);
	}
	ck_assert_uint_eq(after.st[0].restarts, 1);
	ck_assert_int_eq(after.nprocs, before.nprocs);	/* nothing spawned */
	ck_assert_int_eq(after.slots, before.slots);
	ck_assert(!any_killed());
	/* Supervision goes on: a crash after the takeover is restarted. */
	fake_die(after.st[4].endpoint, KILLED_BY(SIGKILL));
	fake_restarted("e", 1);
	/* And the heartbeat of c too: pinged within its period. */
	fake_advance(600);
	ck_assert(pinged(after.sent, after.st[2].endpoint));
}
END_TEST

START_TEST(takeover_is_counted)
{
	unsigned int n;
	rs_time_t when;
	const char *why;

	up_all();
	manager_takeover_count(&n, &when, &why);
	ck_assert_uint_eq(n, 0);
	fake_rs_dies();
	fake_rs_dies();
	manager_takeover_count(&n, &when, &why);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(why, "test: RS killed");
}
END_TEST

/* A long time without RS is no missed heartbeat: nobody pinged. */
START_TEST(heartbeat_counts_from_the_takeover)
{
	endpoint_t ep;

	up_all();
	ep = fake_status("c").endpoint;
	fake_advance(400);
	fake_notify(ep);
	fake.now += 5000;	/* RS is dead meanwhile */
	fake_rs_dies();
	fake_advance(600);
	ck_assert(!fake_proc_of(ep)->killed);
	ck_assert(pinged(0, ep));
	fake_notify(ep);
	/* Silent for good now: killed after two whole periods, as ever. */
	fake_advance(1600);
	ck_assert(fake_proc_of(ep)->killed);
}
END_TEST

/* A service dies while no RS is there: the next one recovers it. */
START_TEST(death_while_rs_dead_is_recovered)
{
	endpoint_t ep;

	up_all();
	ep = fake_status("a").endpoint;
	fake_die_unseen(ep, KILLED_BY(SIGKILL));
	fake_rs_dies();
	ck_assert_int_eq(fake_status("a").endpoint, ep);
	fake_restarted("a", 1);
}
END_TEST

/* The old RS pulled the death (GETKSIG) and died before handling it. */
START_TEST(death_pulled_and_lost_is_recovered)
{
	endpoint_t ep;

	up_all();
	ep = fake_status("c").endpoint;
	fake_die_unseen(ep, KILLED_BY(SIGKILL));
	fake.next_ksig = fake.nksig;	/* pulled, never handled */
	fake_rs_dies();
	fake_restarted("c", 1);
}
END_TEST

/*
 * The old RS restarted a service (a new process behind its endpoint) and
 * died before committing: the new RS does not know that process, kills
 * it, and its death restarts the service by the rules.
 */
START_TEST(unknown_pid_is_killed_and_restarted)
{
	endpoint_t ep;
	pid_t old, stray;

	up_all();
	ep = fake_status("a").endpoint;
	old = fake_status("a").pid;
	fake.hold_turns = true;
	fake_die(ep, KILLED_BY(SIGSEGV));
	stray = fake_slot(ep)->pid;
	ck_assert_int_ne(stray, old);
	fake_rs_dies();
	ck_assert(fake_proc(stray)->killed);
	fake_reap_kills();
	ck_assert_int_eq(fake_status("a").endpoint, ep);
	/* The restart RS died in is not counted: it never happened. */
	fake_restarted("a", 1);
	ck_assert_int_ne(fake_status("a").pid, stray);
}
END_TEST

/*
 * The same, the new process killed before it opened /dev/mxsys (its slot
 * still PREPARED): the module never reports that death, so the new RS
 * handles it at once, and the service is restarted all the same.
 */
START_TEST(unbound_unknown_pid_is_restarted)
{
	endpoint_t ep;
	pid_t stray;

	up_all();
	ep = fake_status("a").endpoint;
	fake.processes_load_slowly = true;
	fake.hold_turns = true;
	fake_die(ep, KILLED_BY(SIGSEGV));
	stray = fake_slot(ep)->pid;
	fake_rs_dies();
	ck_assert(fake_proc(stray)->killed);
	ck_assert_int_eq(fake_status("a").endpoint, ep);
	fake_restarted("a", 1);
	ck_assert_int_ne(fake_status("a").pid, stray);
}
END_TEST

/*
 * An `up` in hand, its process not yet bound: killed, and its slot freed
 * at once (no death will come for it).
 */
START_TEST(unbound_process_in_hand_frees_its_slot)
{
	struct rs_request rq = fake_rq_up("late", "", 0, 0);
	uint32_t id;
	int slots;

	up_all();
	slots = fake_slots_used();
	fake.processes_load_slowly = true;
	fake.hold_turns = true;
	id = fake_request(0, &rq);
	ck_assert_int_eq(fake_slots_used(), slots + 1);
	fake_rs_dies();
	ck_assert_int_eq(fake_reply(id)->result, -ESRCH);
	ck_assert(fake_gone("late"));
	ck_assert_int_eq(fake_slots_used(), slots);
}
END_TEST

/* A replica swapped in and not committed: the swap is taken over. */
START_TEST(uncommitted_replica_swap_is_taken_over)
{
	endpoint_t ep;
	pid_t replica;

	up_all();
	ep = fake_status("b").endpoint;
	replica = fake_status("b").replica_pid;
	fake.hold_turns = true;
	fake_die(ep, KILLED_BY(SIGSEGV));
	ck_assert_int_eq(fake_slot(ep)->pid, replica);
	fake_rs_dies();
	/* The swapped-in process was never told to init by a committed RS. */
	ck_assert(fake_proc(replica)->killed);
	fake_reap_kills();
	ck_assert_int_eq(fake_status("b").endpoint, ep);
	ck_assert_int_eq(fake_last(ep, RS_INIT)->m.m_rs_init.type,
			 SEF_INIT_RESTART);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_uint_eq(fake_status("b").flags & RS_STATUS_ACTIVE,
			  RS_STATUS_ACTIVE);
}
END_TEST

/* A request RS died with: ESRCH, with a message; its `up` left nothing. */
START_TEST(request_in_hand_gets_esrch)
{
	struct rs_request rq = fake_rq_up("late", "", 0, 0);
	const struct rs_reply *reply;
	uint32_t id;
	int slots;

	up_all();
	slots = fake_slots_used();
	fake.hold_turns = true;
	id = fake_request(0, &rq);
	ck_assert_int_eq(fake_slots_used(), slots + 1);
	ck_assert_ptr_null(fake_reply(id));
	fake_rs_dies();
	reply = fake_reply(id);
	ck_assert_ptr_nonnull(reply);
	ck_assert_int_eq(reply->result, -ESRCH);
	ck_assert_ptr_nonnull(strstr(reply->message, "ask again"));
	ck_assert(fake_gone("late"));
	/* Its process is killed; its slot goes once it is dead. */
	fake_reap_kills();
	ck_assert_int_eq(fake_slots_used(), slots);
}
END_TEST

/* A reply committed and not yet sent when RS died is sent, once. */
START_TEST(committed_reply_is_sent_once)
{
	struct rs_request rq = fake_rq(RS_STATUS, "c");
	uint32_t id;

	up_all();
	fake.hold_turns = true;
	id = fake_request(1000, &rq);
	recovery_commit();
	ck_assert_ptr_null(fake_reply(id));
	fake_rs_dies();	/* relay_reply fails the test on a second answer */
	ck_assert_ptr_nonnull(fake_reply(id));
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert_int_eq(fake_reply(id)->status.endpoint,
			 fake_status("c").endpoint);
	fake_rs_dies();
}
END_TEST

/* A late reply the old RS owed is given by the new one. */
START_TEST(late_reply_survives)
{
	struct rs_request rq = fake_rq_up("slow", "", 0, 0);
	uint32_t id;
	endpoint_t ep;

	up_all();
	id = fake_request(0, &rq);
	ep = fake_status("slow").endpoint;
	fake_rs_dies();
	ck_assert_ptr_null(fake_reply(id));
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_ptr_nonnull(fake_reply(id));
	ck_assert_int_eq(fake_reply(id)->result, OK);
}
END_TEST

/*
 * The services up, an update self of "d" requested: its id; d's endpoint
 * and pid in *ep and *old.
 */
static uint32_t update_d(endpoint_t *ep, pid_t *old)
{
	struct rs_request rq = fake_rq_update("d", 0);

	up_all();
	*ep = fake_status("d").endpoint;
	*old = fake_status("d").pid;
	return fake_request(0, &rq);
}

/* A live update waiting for the prepare answer goes on by its rules. */
START_TEST(update_in_progress_continues)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id = update_d(&ep, &old);

	ck_assert_ptr_null(fake_reply(id));
	fake_rs_dies();
	fake_update_steps(ep, FAKE_LU_STATE);
	ck_assert_ptr_nonnull(fake_reply(id));
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert_int_ne(fake_status("d").pid, old);
	ck_assert_int_eq(fake_status("d").endpoint, ep);
}
END_TEST

/* The same, RS dying after the new version was swapped in. */
START_TEST(update_after_swap_continues)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id = update_d(&ep, &old);

	fake_prepare_answer(ep, FAKE_LU_STATE, OK);
	fake_rs_dies();
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_ptr_nonnull(fake_reply(id));
	ck_assert_int_eq(fake_reply(id)->result, OK);
}
END_TEST

/* The services up, "d" and "e" scheduled as a batch: their endpoints. */
static void batch_scheduled(endpoint_t *d, endpoint_t *e)
{
	struct rs_request qd = fake_rq_update("d", RSS_BATCH);
	struct rs_request qe = fake_rq_update("e", RSS_BATCH);

	up_all();
	*d = fake_status("d").endpoint;
	*e = fake_status("e").endpoint;
	ck_assert_int_eq(fake_reply(fake_request(0, &qd))->result, OK);
	ck_assert_int_eq(fake_reply(fake_request(0, &qe))->result, OK);
}

/*
 * upd_run in hand when RS died (the first prepare already sent): undone,
 * as every operation begun in that turn. The requester is told ESRCH, the
 * service asked to prepare is answered EINVAL and serves on, the batch is
 * still scheduled, and upd_run asked again runs it.
 */
START_TEST(upd_run_in_hand_leaves_the_batch_scheduled)
{
	struct rs_request run = fake_rq_sysctl(RS_SYSCTL_UPD_RUN);
	struct rs_request status = fake_rq_sysctl(RS_SYSCTL_UPD_STATUS);
	endpoint_t d, e;
	uint32_t id;

	batch_scheduled(&d, &e);
	fake.hold_turns = true;
	id = fake_request(0, &run);
	ck_assert_int_eq(fake_count(0, d, RS_LU_PREPARE), 1);
	fake_rs_dies();
	ck_assert_int_eq(fake_reply(id)->result, -ESRCH);
	ck_assert_ptr_nonnull(strstr(fake_reply(id)->message, "ask again"));
	fake_prepare_answer(d, FAKE_LU_STATE, OK);
	ck_assert(!fake_slot(d)->in_sendrec);
	ck_assert_ptr_nonnull(fake_last(d, -EINVAL));
	ck_assert_uint_eq(fake_status("d").flags & RS_STATUS_UPDATING, 0);
	ck_assert_int_eq(fake_reply(fake_request(0, &status))->result, OK);

	id = fake_request(0, &run);
	fake_prepare_answer(d, FAKE_LU_STATE, OK);
	fake_prepare_answer(e, FAKE_LU_STATE, OK);
	fake_init_answer(d, OK, RS_POLICY_RESTART);
	fake_init_answer(e, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert_int_eq(fake_reply(fake_request(0, &status))->result, -ESRCH);
}
END_TEST

/*
 * RS died in the turn it committed an update: it answered the new version
 * and killed the old process, but its state still waits for the init
 * answer. The new RS sees the old process die, which only a commit does,
 * and commits too; the new version serves on, untouched. Had the dead RS
 * not answered it, its answer comes again: it is answered, not refused.
 */
START_TEST(update_committed_as_rs_died_stays_committed)
{
	endpoint_t ep;
	pid_t old, new_version;
	uint32_t id = update_d(&ep, &old);

	fake_prepare_answer(ep, FAKE_LU_STATE, OK);
	new_version = fake_slot(ep)->pid;
	fake.hold_turns = true;
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert(fake_proc(old)->killed);
	ck_assert(!fake_slot(ep)->in_sendrec);	/* answered OK */
	fake_rs_dies();
	ck_assert_ptr_null(fake_reply(id));
	fake_reap_kills();
	ck_assert_ptr_nonnull(fake_reply(id));
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert_uint_eq(fake_status("d").flags,
			  RS_STATUS_ACTIVE | RS_STATUS_USE_REPL);
	ck_assert_int_eq(fake_status("d").pid, new_version);
	ck_assert_int_eq(fake_status("d").endpoint, ep);
	ck_assert_int_eq(fake_status("d").restarts, 0);
	ck_assert(!fake_proc(new_version)->killed);

	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert(!fake_slot(ep)->in_sendrec);
	ck_assert_int_eq(fake_count(0, ep, -EINVAL), 0);
	/* Once only: another is out of turn. */
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_count(0, ep, -EINVAL), 1);
}
END_TEST

/*
 * A batch: one new version initialised and waits for the commit when RS
 * dies. The module ends its sendrec and libsef sends the answer again; the
 * new RS takes it as the same answer, and the batch commits.
 */
START_TEST(init_answer_sent_again_waits_for_the_commit)
{
	struct rs_request run = fake_rq_sysctl(RS_SYSCTL_UPD_RUN);
	endpoint_t d, e;
	uint32_t id;

	batch_scheduled(&d, &e);
	id = fake_request(0, &run);
	fake_prepare_answer(d, FAKE_LU_STATE, OK);
	fake_prepare_answer(e, FAKE_LU_STATE, OK);
	fake_init_answer(d, OK, RS_POLICY_RESTART);
	fake_rs_dies();
	fake_slot(d)->in_sendrec = false;	/* EDEADSRCDST */
	fake_init_answer(d, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_count(0, d, -EINVAL), 0);
	ck_assert(fake_slot(d)->in_sendrec);
	fake_init_answer(e, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert(!fake_slot(d)->in_sendrec);
	ck_assert_uint_eq(fake_status("d").flags,
			  RS_STATUS_ACTIVE | RS_STATUS_USE_REPL);
	ck_assert_uint_eq(fake_status("e").flags, RS_STATUS_ACTIVE);
}
END_TEST

/*
 * RS died in the turn it swapped the new version in and sent its RS_INIT:
 * the new RS goes on from there instead of killing it. The new version's
 * init answer commits the update; the service is not restarted.
 */
START_TEST(update_swapped_as_rs_died_goes_on)
{
	endpoint_t ep;
	pid_t old, new_version;
	uint32_t id = update_d(&ep, &old);
	int inits;

	fake.hold_turns = true;
	fake_prepare_answer(ep, FAKE_LU_STATE, OK);
	new_version = fake_slot(ep)->pid;
	ck_assert_int_ne(new_version, old);
	inits = fake_count(0, ep, RS_INIT);
	fake_rs_dies();
	ck_assert(!fake_proc(new_version)->killed);
	ck_assert(!fake_proc(old)->killed);
	ck_assert_int_eq(fake_count(0, ep, RS_INIT), inits);	/* not again */
	ck_assert(fake_status("d").flags & RS_STATUS_UPDATING);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert_int_eq(fake_status("d").pid, new_version);
	ck_assert_int_eq(fake_status("d").restarts, 0);
	ck_assert(fake_proc(old)->killed);
}
END_TEST

/* The same, RS dead between the swap and the RS_INIT: it is sent now. */
START_TEST(update_swapped_uninitialised_as_rs_died_goes_on)
{
	endpoint_t ep;
	pid_t old;
	uint32_t id = update_d(&ep, &old);
	int inits;

	fake.hold_turns = true;
	fake_prepare_answer(ep, FAKE_LU_STATE, OK);
	/* Undo what launch_init did: not allowed, no RS_INIT. */
	fake_slot(ep)->allowed = false;
	inits = fake_count(0, ep, RS_INIT);
	fake.nsent--;
	ck_assert_int_eq(fake_count(0, ep, RS_INIT), inits - 1);
	fake_rs_dies();
	ck_assert_int_eq(fake_count(0, ep, RS_INIT), inits);
	ck_assert(fake_slot(ep)->allowed);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert_int_eq(fake_status("d").restarts, 0);
}
END_TEST

/* A state larger than the snapshot's halves moves to a larger one. */
START_TEST(large_state_is_carried_over)
{
	char label[16];
	pid_t pids[40];

	fake_boot(NULL);
	for (int i = 0; i < 40; i++) {
		snprintf(label, sizeof(label), "s%d", i);
		fake_up_running(label, 0, 0);
		pids[i] = fake_status(label).pid;
	}
	fake_rs_dies();
	for (int i = 0; i < 40; i++) {
		snprintf(label, sizeof(label), "s%d", i);
		ck_assert_int_eq(fake_status(label).pid, pids[i]);
	}
	ck_assert(!any_killed());
}
END_TEST

/* A file of that name that is no state of this build is not taken. */
START_TEST(foreign_state_is_ignored)
{
	int fd = memfd_create("junk", MFD_CLOEXEC);

	fake_boot(NULL);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
	ck_assert_int_eq(sef_fd_replace(SNAPSHOT_NAME, fd), OK);
	close(fd);
	snapshot_close();
	ck_assert(!recovery_found());
	/* The next commit replaces it with a good one. */
	recovery_commit();
	snapshot_close();
	ck_assert(recovery_found());
}
END_TEST

/* A corrupt snapshot is refused, never half taken. */
START_TEST(bad_state_is_refused)
{
	ck_assert_int_eq(manager_restore("junk", 4), -EINVAL);
	ck_assert_uint_eq(service_count(), 0);
}
END_TEST

/* The standby endpoint of the fake: the slot named rs.standby. */
static struct fake_slot *standby_slot(void)
{
	for (int i = 0; i < FAKE_SLOTS; i++)
		if (fake.slots[i].used &&
		    strcmp(fake.slots[i].priv.name, "rs.standby") == 0)
			return &fake.slots[i];
	return NULL;
}

static void standby_on(void)
{
	char *argv[] = { "rs-daemon", "-P", "100", NULL };

	standby_set_args(3, argv);
	standby_enable();
	standby_timeout(fake.now);
}

/* rs-daemon's arguments reach the standby as they were, blanks and all. */
START_TEST(standby_argv_intact)
{
	char *argv[] = { "rs-daemon", "-c", "/etc/my conf/system.conf",
			 "--standby", "-P", "100", NULL };
	struct fake_slot *sb;

	up_all();
	standby_set_args(6, argv);
	standby_enable();
	standby_timeout(fake.now);
	sb = standby_slot();
	ck_assert_ptr_nonnull(sb);
	ck_assert_str_eq(fake_proc(sb->pid)->args,
			 "--standby -c /etc/my conf/system.conf -P 100");
	/* --standby, -c, the path as one argument, -P, 100. */
	ck_assert_int_eq(fake_proc(sb->pid)->argc, 5);
}
END_TEST

START_TEST(standby_lifecycle)
{
	struct fake_slot *sb;
	endpoint_t ep;
	pid_t pid;

	up_all();
	standby_on();
	sb = standby_slot();
	ck_assert_ptr_nonnull(sb);
	ep = sb->endpoint;
	pid = sb->pid;
	/* It may take RS's place, and RS's death goes to it. */
	ck_assert(sb->priv.flags & MXSYS_ROOT_SYS_PROC);
	ck_assert(!sb->allowed);
	ck_assert_str_eq(fake_proc(pid)->args, "--standby -P 100");
	ck_assert_int_eq(fake_proc(pid)->argc, 3);
	ck_assert_int_eq(fake.rs_priv.bak_sig_mgr, ep);
	ck_assert_int_eq(fake.rs_priv.sig_mgr, RS_PROC_NR);
	ck_assert_int_eq(standby_pid(), pid);
	/* It dies: its slot goes, a new one comes a second later. */
	fake_die(ep, KILLED_BY(SIGKILL));
	ck_assert_ptr_null(standby_slot());
	ck_assert_int_eq(fake.rs_priv.bak_sig_mgr, NONE);
	ck_assert_int_eq(standby_next_deadline(), fake.now + 1000);
	standby_timeout(fake.now + 999);
	ck_assert_ptr_null(standby_slot());
	standby_timeout(fake.now + 1000);
	ck_assert_ptr_nonnull(standby_slot());
	ck_assert_int_ne(standby_slot()->pid, pid);
	/* No service noticed. */
	ck_assert_int_eq(fake_status("a").restarts, 0);
	/*
	 * Shutdown kills it, waits for it to exit and frees its slot (RS
	 * leaves nothing behind), and no new one comes.
	 */
	pid = standby_slot()->pid;
	standby_stop();
	ck_assert(fake_proc(pid)->killed);
	ck_assert(!fake_proc(pid)->alive);
	ck_assert_ptr_null(standby_slot());
	ck_assert_int_eq(fake.rs_priv.bak_sig_mgr, NONE);
	ck_assert_int_eq(standby_next_deadline(), RS_TIME_NEVER);
}
END_TEST

/* After a takeover, what is left of the old RS and its standby goes. */
START_TEST(old_standby_is_forgotten)
{
	pid_t pid;

	up_all();
	standby_on();
	pid = standby_slot()->pid;
	fake_rs_dies();
	ck_assert(fake_proc(pid)->killed);
	/* Not taken for a service's stray process. */
	ck_assert_int_eq(fake_status("a").restarts, 0);
}
END_TEST

/* -c: restarts run the copy kept at the start, whatever the file is now. */
START_TEST(copy_survives_garbage_and_rs)
{
	char path[128];
	struct rs_request rq;
	struct stat st;
	endpoint_t ep;
	uint32_t id;
	FILE *f;

	fake_boot(NULL);
	snprintf(path, sizeof(path), "%s/prog", fake.dir);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "cp /bin/true %s", path);
		ck_assert_int_eq(system(cmd), 0);
	}
	ck_assert_int_eq(stat(path, &st), 0);
	rq = fake_rq_up("cp", "", RSS_COPY, 0);
	snprintf(rq.rss_cmd, sizeof(rq.rss_cmd), "%s", path);
	snprintf(rq.rss_progname, sizeof(rq.rss_progname), "true");
	id = fake_request(0, &rq);
	ep = fake_status("cp").endpoint;
	ck_assert_int_eq(fake_proc_of(ep)->copy_size, st.st_size);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_int_eq(fake_reply(id)->result, OK);
	ck_assert(fake_fd_stored("bin.cp"));
	/* The file is now garbage; RS dies; the service crashes. */
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("garbage", f);
	ck_assert_int_eq(fclose(f), 0);
	fake_rs_dies();
	fake_die(ep, KILLED_BY(SIGSEGV));
	ck_assert_int_eq(fake_proc_of(ep)->copy_size, st.st_size);
	fake_init_answer(ep, OK, RS_POLICY_RESTART);
	ck_assert_uint_eq(fake_status("cp").restarts, 1);
	ck_assert_uint_eq(fake_status("cp").flags,
			  RS_STATUS_ACTIVE | RS_STATUS_USE_COPY);
	/* Down: the copy goes. */
	fake_request(0, &(struct rs_request){ .rq_type = RS_DOWN,
					     .rss_label = "cp" });
	fake_die(ep, EXITED(0));
	ck_assert(fake_gone("cp"));
	ck_assert(!fake_fd_stored("bin.cp"));
	/* Without -c, the path. */
	fake_up_running("plain", 0, 0);
	ck_assert_int_eq(fake_proc_of(fake_status("plain").endpoint)->copy_size, -1);
}
END_TEST

static Suite *takeover_suite(void)
{
	Suite *s = suite_create("rs_takeover");
	TCase *tc = tcase_create("takeover");

	tcase_add_checked_fixture(tc, NULL, fake_end);
	tcase_add_test(tc, idle_state_is_carried_over);
	tcase_add_test(tc, takeover_is_counted);
	tcase_add_test(tc, heartbeat_counts_from_the_takeover);
	tcase_add_test(tc, death_while_rs_dead_is_recovered);
	tcase_add_test(tc, death_pulled_and_lost_is_recovered);
	tcase_add_test(tc, unknown_pid_is_killed_and_restarted);
	tcase_add_test(tc, unbound_unknown_pid_is_restarted);
	tcase_add_test(tc, unbound_process_in_hand_frees_its_slot);
	tcase_add_test(tc, uncommitted_replica_swap_is_taken_over);
	tcase_add_test(tc, request_in_hand_gets_esrch);
	tcase_add_test(tc, committed_reply_is_sent_once);
	tcase_add_test(tc, late_reply_survives);
	tcase_add_test(tc, update_in_progress_continues);
	tcase_add_test(tc, update_after_swap_continues);
	tcase_add_test(tc, upd_run_in_hand_leaves_the_batch_scheduled);
	tcase_add_test(tc, update_committed_as_rs_died_stays_committed);
	tcase_add_test(tc, update_swapped_as_rs_died_goes_on);
	tcase_add_test(tc, update_swapped_uninitialised_as_rs_died_goes_on);
	tcase_add_test(tc, init_answer_sent_again_waits_for_the_commit);
	tcase_add_test(tc, bad_state_is_refused);
	tcase_add_test(tc, large_state_is_carried_over);
	tcase_add_test(tc, foreign_state_is_ignored);
	tcase_add_test(tc, standby_lifecycle);
	tcase_add_test(tc, standby_argv_intact);
	tcase_add_test(tc, old_standby_is_forgotten);
	tcase_add_test(tc, copy_survives_garbage_and_rs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(takeover_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
