/* SPDX-License-Identifier: MIT */
/*
 * A fake world for rs-daemon's state machine on the host. It stands in
 * for libsef's ipc.c and kernel_call.c (the module), and for rs-daemon's
 * exec.c (processes), script.c, timer.c (the clock) and nl.c (the
 * requesters' netlink socket), so that manager.c, update.c, request.c,
 * dispatch.c and instance.c run as they do in rs-daemon, driven by
 * scripted events.
 *
 * The module is modelled closely enough that RS's mistakes show, as in
 * the VM:
 *   - slots: SET_SYS takes a static or dynamic slot for a pid, ALLOW lets
 *     it run, UPDATE swaps the processes of two slots, CLEAR frees a slot
 *     (EBUSY while its process lives);
 *   - a process "waits in a sendrec to RS" once the test delivers its
 *     RS_INIT or RS_LU_PREPARE; a sendnb reaches only such a process (the
 *     module's ENOTREADY otherwise) and ends the wait;
 *   - every message RS sends is checked against message.h's rule: a
 *     request or event by senda with AMF_NOREPLY, a reply (m_type a
 *     result, or the cancel of a prepare) by sendnb, nothing by a
 *     blocking send; a break fails the test at once.
 * Processes die only when the test says so (fake_die, fake_reap_kills):
 * a SIGKILL from RS is recorded, as the kernel would deliver it later.
 *
 * RS keeps its state in static variables, as rs-daemon does: each test
 * needs a process of its own (Check's default fork mode; not CK_FORK=no).
 */
#ifndef TEST_RS_FAKE_H
#define TEST_RS_FAKE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <minix/ipc.h>
#include <minix/rs.h>
#include <minix/safecopies.h>
#include <minix/sef.h>

#include "../../servers/rs/policy.h"
#include "fake_module.h"

#define FAKE_SLOTS	64
#define FAKE_PROCS	64
#define FAKE_SENT	256
#define FAKE_REPLIES	256
#define FAKE_SCRIPTS	16
#define FAKE_FDS	8

/* The prepare state of fake_rq_update (MINIX's REQUEST_FREE). */
#define FAKE_LU_STATE	SEF_LU_STATE_REQUEST_FREE

/* The backoff period the tests run RS with (rs-daemon -P). */
#define FAKE_BACKOFF_MS	100

struct fake_slot {
	bool used;
	endpoint_t endpoint;
	pid_t pid;		/* the process behind it; 0 = none yet */
	bool allowed;
	bool in_sendrec;	/* its process waits in a sendrec to RS */
	/*
	 * Its process still loads (exec, main) and has made no IPC call:
	 * the slot is PREPARED, not yet BOUND (fake_loaded ends it).
	 */
	bool loading;
	struct mxsys_priv priv;	/* from SET_SYS or UPDATE_SYS */
};

struct fake_proc {
	pid_t pid;
	char binary[RS_MAX_COMMAND_LEN];
	char args[RS_MAX_COMMAND_LEN];	/* argv[1..] joined with blanks */
	int argc;		/* argv[1..]: tells "a b" from "a" "b" */
	bool alive;		/* no death reported yet */
	bool killed;		/* RS sent it SIGKILL */
	int exit_status;	/* once dead */
	long copy_size;		/* ran a kept copy of this size (-c); -1: the path */
};

struct fake_reply {
	uint32_t request_id;
	struct rs_reply reply;
};

struct fake_script {
	char label[RS_MAX_LABEL_LEN];
	char reason[16];
	unsigned int incarnation;
};

struct fake_world {
	rs_time_t now;
	struct fake_slot slots[FAKE_SLOTS];
	uint16_t generation[FAKE_SLOTS];
	struct fake_proc procs[FAKE_PROCS];
	int nprocs;

	/*
	 * Recorded: what RS sent to services (call MXSYS_CALL_SENDA, always
	 * with AMF_NOREPLY, _SENDNB or _NOTIFY), and to requesters.
	 */
	struct fake_sent sent[FAKE_SENT];
	int nsent;
	struct fake_reply replies[FAKE_REPLIES];
	int nreplies;
	struct fake_script scripts[FAKE_SCRIPTS];
	int nscripts;
	int update_calls;	/* sys_update */
	int slot_state_reads;	/* relay_slot_states */
	int slot_table_closes;	/* relay_slot_table_close */
	int endksig_calls;

	/* Scripted: kernel events for the next SYSTEM notify. */
	struct mxsys_ksig ksig[FAKE_PROCS];
	int nksig, next_ksig;

	/*
	 * Processes started from now on load until fake_loaded(); by
	 * default a process is loaded (bound to its slot) at once.
	 */
	bool processes_load_slowly;

	/* Scripted failures: the next exec of a service binary fails. */
	int exec_error;
	int update_error;	/* every sys_update fails with this */
	int updatesys_error;	/* every PRIVCTL UPDATE_SYS fails */

	uint32_t next_request_id;

	/* RS's fd store (its snapshot and relay socket). */
	struct {
		char name[SEF_FD_NAME_LEN];
		int fd;			/* 0: free entry */
	} fds[FAKE_FDS];
	/*
	 * Events are not followed by the end of RS's loop turn (commit, then
	 * answers): RS dies in the middle of a turn.
	 */
	bool hold_turns;
	int rs_deaths;
	struct mxsys_priv rs_priv;	/* RS's own, by UPDATE_SYS */
	/* The system.conf of the boot services and of every `up`. */
	char dir[64];
	char conf[96];
};

extern struct fake_world fake;

/*
 * A fresh world and RS started in it: ds started in its static slot, not
 * yet initialised. fake.conf holds the entry `service true` (the program
 * of every fake_rq_up) and then extra_conf (NULL: nothing); it is both
 * RS's system.conf, for the boot services, and the -config of every
 * fake_rq_up. The backoff period is FAKE_BACKOFF_MS.
 */
void fake_start(const char *extra_conf);
/* Write system.conf again ("service true" and extra_conf), for reload. */
void fake_rewrite_conf(const char *extra_conf);
/* fake_start(), then ds initialises: RS serves requests. */
void fake_boot(const char *extra_conf);
/* Remove fake.conf (a checked teardown). */
void fake_end(void);

/*
 * The end of RS's loop turn after an event a test drove by calling RS
 * directly (the fake's own events do it): commit, then the answers go.
 */
void fake_turn_end(void);

/* Time passes: RS's timer fires at each deadline up to now + ms. */
void fake_advance(rs_time_t ms);

/* A request from uid (pid 1: no service) relayed to RS; its id. */
uint32_t fake_request(uint32_t uid, const struct rs_request *rq);
/* The same from process pid (a service's, for its control rights). */
uint32_t fake_request_as(uint32_t uid, pid_t pid,
			 const struct rs_request *rq);
/* The answer to request id, or NULL while there is none. */
const struct rs_reply *fake_reply(uint32_t id);
/* Requests filled in for the common cases. */
struct rs_request fake_rq(uint32_t type, const char *label);
/* sysctl SUBTYPE (RS_SYSCTL_*). */
struct rs_request fake_rq_sysctl(uint32_t subtype);
/* up: /bin/true with args, label, flags (RSS_*), period (0: none). */
struct rs_request fake_rq_up(const char *label, const char *args,
			     uint32_t flags, uint32_t period_ms);

/* update self of label (RSS_* flags added), prepared in FAKE_LU_STATE. */
struct rs_request fake_rq_update(const char *label, uint32_t flags);

/* The service's process answers RS_INIT by sendrec with result. */
void fake_init_answer(endpoint_t ep, int result, unsigned int policy);
/* The service's process answers RS_LU_PREPARE by sendrec. */
void fake_prepare_answer(endpoint_t ep, int state, int result);
/* A notify from ep, now (a sign of life). */
void fake_notify(endpoint_t ep);
/* ep answers RS's dump request seq (by senda, as SEF does). */
void fake_dump_answer(endpoint_t ep, uint32_t seq, int result, uint32_t size,
		      uint32_t flags);
/* The memory grant gives who (which the test checks), bytes long. */
void *fake_grant_memory(cp_grant_id_t grant, endpoint_t who, size_t *bytes);
/* Signals for ep routed to RS, as the module does. */
void fake_signals(endpoint_t ep, uint64_t sigset);
/* The process behind ep dies with wait status; the module reports it. */
void fake_die(endpoint_t ep, int wait_status);
/*
 * The same while RS is dead: the module keeps the death for GETKSIG and
 * nobody reads the notify.
 */
void fake_die_unseen(endpoint_t ep, int wait_status);
/* The process behind endpoint is loaded: its slot is bound. */
void fake_loaded(endpoint_t endpoint);
/* Every process RS killed and that still lives dies of it. */
void fake_reap_kills(void);
/* RS's SIGCHLD: pid was reaped (no death report from the module). */
void fake_reaped(pid_t pid);

/*
 * label's new process got RS_INIT(RESTART) and answers OK; the service
 * then runs with `restarts` restarts.
 */
void fake_restarted(const char *label, unsigned int restarts);
/* A live update of ep: it prepares for state, its new version inits OK. */
void fake_update_steps(endpoint_t ep, int state);

/* up `label` and let it initialise: its endpoint. */
endpoint_t fake_up_running(const char *label, uint32_t flags,
			   uint32_t period_ms);

/* The slot of ep, which must be in use. */
struct fake_slot *fake_slot(endpoint_t ep);
/* The process behind ep (NULL: none). */
struct fake_proc *fake_proc_of(endpoint_t ep);
/* A process by pid (NULL: unknown). */
struct fake_proc *fake_proc(pid_t pid);
/* How many slots are in use. */
int fake_slots_used(void);

/* Recorded messages: how many of type went to dst since index `from`. */
int fake_count(int from, endpoint_t dst, int32_t type);
/* The last message of type to dst (the test fails if there is none). */
const struct fake_sent *fake_last(endpoint_t dst, int32_t type);

/* The index of the first message of type to dst, -1 when there is none. */
int fake_index(endpoint_t dst, int32_t type);

/* The service's status as `minix-service status` would show it. */
struct rs_status fake_status(const char *label);
/* RS knows no service of that label (any more). */
bool fake_gone(const char *label);

/*
 * RS dies (kill -9) and a new RS takes over: it restores the state RS
 * committed last and resumes against the fake module's slots. With
 * fake.hold_turns set before, the events since then were never
 * committed: RS died in the middle of its turn.
 */
void fake_rs_dies(void);
/* RS's fd store holds a file of that name. */
bool fake_fd_stored(const char *name);

/* wait(2) statuses: a death by signal, and exit(code). */
#define KILLED_BY(sig)	(sig)
#define EXITED(code)	((code) << 8)

#endif /* TEST_RS_FAKE_H */
