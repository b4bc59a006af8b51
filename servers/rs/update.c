// SPDX-License-Identifier: MIT
/*
 * Live update (MINIX RS's do_update, do_upd_ready and update.c): one
 * service, or a batch of them scheduled with -q and run by sysctl
 * upd_run/upd_start. All the services of an update commit together or
 * roll back together.
 *
 * The update as a whole (lu.stage):
 *
 *   IDLE --request--> SCHEDULED --(not -q) or upd_run/upd_start--> LOADING
 *                        | RS busy: EAGAIN                            |
 *                        | upd_stop, a service gone, shutdown         | all loaded
 *                        v                                            v
 *                      IDLE                                       PREPARING
 *                        ^                                            | all prepared
 *                        |                                            v
 *                        +<-------- commit (all inits OK) ------ INITIALIZING
 *                        ^                                            |
 *                        +-- end(error): cancel, answer, roll back ---+
 *                            (from LOADING and PREPARING too)
 *
 * After a takeover INITIALIZING also commits once an old process died
 * (update_death(): the dead RS committed in its last turn), and
 * PREPARING goes on to INITIALIZING when the dead RS had begun the swap
 * (update_swap_found(), update_resume()).
 *
 * Each service in it (entry->state), the old process's view:
 *
 *   WAITING    not yet asked (the services prepare one after the other)
 *   PREPARING  RS_LU_PREPARE{state, flags} sent by senda; its answer
 *              comes by sendrec when it reached the state (or refused)
 *   PREPARED   answered OK: blocked in that sendrec until the update ends
 *   SWAPPED    the new version owns the endpoint (a slot swap), the old
 *              process waits in svc->update; RS_INIT(LU) sent to the new
 *   INIT_DONE  the new version answered its init OK; blocked until the
 *              update commits
 *   CANCELLED  prepare-only (-o): released by a cancel when the others
 *              are swapped; it serves on as before
 *
 * The new version is made when the request comes (launch_process:
 * forked and exec'd in a spare slot, not allowed to run), so a bad binary
 * fails the request, not the update. LOADING waits until every new
 * version is loaded: it ran its exec, the dynamic linker and its main()
 * up to its first IPC call, where the module bound it to its slot and
 * holds it. Only then is the old version asked to prepare: from that
 * moment its clients wait, and they should wait for the new version's
 * init alone, not for a program to load (in the VM, loading is about two
 * thirds of a small service's cold start). RS looks at the slots every
 * LU_LOAD_CHECK_MS: the module's BOUND event would need a netlink socket
 * joined to the event group for this one moment of an update, and the
 * wait is not in the clients' blackout, so a few ms more cost them
 * nothing. A new version not loaded within its init maxtime ends the
 * update (EINTR), as one whose init takes too long does. The end:
 *
 *   commit     each new version is answered OK and serves; the old
 *              process is killed with its spare slot; the service keeps
 *              its endpoint, label and restart count
 *   end(r)     WAITING: nothing; PREPARING: cancel (RS_LU_PREPARE with
 *              state NULL); PREPARED: answered r, it resumes; SWAPPED,
 *              INIT_DONE: the new process is disallowed and swapped back
 *              out, the old one answered r (it resumes with its state);
 *              every new version is killed. The requester gets r: the
 *              refusal or init error itself, ERESTART for a death, EINTR
 *              for maxtime, upd_stop or shutdown.
 *
 * The services are the manager's again once the update is over
 * (struct update_outcome): it sets them running, recovers one whose
 * process died during the update as from any crash, and answers the
 * requester. RS never blocks: prepare requests and cancels go by senda,
 * answers to a process blocked in sendrec by sendnb (message.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minix/sef.h>

#include "cmdline.h"
#include "launch.h"
#include "log.h"
#include "message.h"
#include "nl.h"
#include "timer.h"
#include "update.h"
#include "update_params.h"

/* The values are in RS's state image: a new stage goes at the end. */
enum lu_stage {
	LU_IDLE,
	LU_SCHEDULED,
	LU_PREPARING,
	LU_INITIALIZING,
	LU_LOADING,
};

/* LOADING: how often RS looks whether the new versions are loaded. */
#define LU_LOAD_CHECK_MS	2

enum entry_state {
	ENTRY_WAITING,
	ENTRY_PREPARING,
	ENTRY_PREPARED,
	ENTRY_SWAPPED,
	ENTRY_INIT_DONE,
	ENTRY_CANCELLED,
};

/*
 * A service of the update. It is named by its label, the table's key, so
 * that the update's state, like the table, is plain data.
 */
struct update_entry {
	char label[RS_MAX_LABEL_LEN];
	enum entry_state state;
	struct update_params params;
	char binary[RS_MAX_COMMAND_LEN];	/* of the new version */
	char args[RS_MAX_COMMAND_LEN];
	rs_time_t init_deadline;	/* SWAPPED: its init answer is due */
	bool gone;			/* the service is being removed */
	/* Once the update ended: for update_given_back(). */
	bool given_back;
	bool replace_replica;
	/* After a takeover: the dead RS swapped it in (and let it run). */
	bool swapped_before;
	bool init_sent_before;
};

static struct {
	enum lu_stage stage;
	struct update_entry *entries;	/* in request order */
	unsigned int count;
	unsigned int capacity;
	unsigned int current;		/* PREPARING: the entry asked */
	/*
	 * PREPARING: for the current entry to prepare; LOADING: for every
	 * new version to be loaded.
	 */
	rs_time_t prepare_deadline;
	rs_time_t load_check;		/* LOADING: look again (not saved) */
	bool resumed;			/* taken over from a dead RS (not saved) */
	struct caller caller;		/* a requester waits for the end */
	char why[sizeof(((struct rs_reply *)0)->message)];
} lu;

static const char *stage_name(enum lu_stage stage)
{
	switch (stage) {
	case LU_IDLE:		return "idle";
	case LU_SCHEDULED:	return "scheduled";
	case LU_LOADING:	return "loading the new version";
	case LU_PREPARING:	return "preparing";
	case LU_INITIALIZING:	return "initialising";
	}
	return "?";
}

static bool started(void)
{
	return lu.stage == LU_LOADING || lu.stage == LU_PREPARING ||
	       lu.stage == LU_INITIALIZING;
}

static struct update_entry *entry_of(const struct service *svc)
{
	for (unsigned int i = 0; i < lu.count; i++)
		if (strcmp(lu.entries[i].label, svc->label) == 0)
			return &lu.entries[i];
	return NULL;
}

/* The service of an entry: in the table until the update ends. */
static struct service *service_of(const struct update_entry *e)
{
	return service_by_label(e->label);
}

/* The explanation the requester gets with the result (first one wins). */
__attribute__((format(printf, 1, 2)))
static void explain(const char *fmt, ...)
{
	va_list ap;

	if (lu.why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(lu.why, sizeof(lu.why), fmt, ap);
	va_end(ap);
}

static int add_entry(struct service *svc, const struct update_params *params,
		     const char *binary, const char *args)
{
	struct update_entry *e;

	/* Each entry is a service with a slot: first_not_loaded's bound. */
	if (lu.count == MXSYS_MAX_SLOTS)
		return -ENOSPC;
	if (lu.count == lu.capacity) {
		unsigned int capacity = lu.capacity ? lu.capacity * 2 : 4;
		struct update_entry *grown;

		grown = realloc(lu.entries, capacity * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		lu.entries = grown;
		lu.capacity = capacity;
	}
	e = &lu.entries[lu.count++];
	memset(e, 0, sizeof(*e));
	memcpy(e->label, svc->label, sizeof(e->label));
	e->state = ENTRY_WAITING;
	e->params = *params;
	memcpy(e->binary, binary, sizeof(e->binary));
	memcpy(e->args, args, sizeof(e->args));
	e->init_deadline = RS_TIME_NEVER;
	return 0;
}

/*
 * The preparation is off: a process blocked in its readiness sendrec takes
 * the cancel as its reply; one still preparing finds it in its receive
 * loop.
 */
static void cancel_prepare(struct service *svc, bool blocked_in_sendrec)
{
	endpoint_t ep = svc->active.endpoint;
	int r = blocked_in_sendrec ? message_lu_cancel_reply(ep) :
				     message_lu_cancel(ep);

	if (r < 0)
		rs_err("%s (ep %d): cannot cancel its update preparation: %s",
		       svc->label, ep, sef_strerror(r));
}

/* The old process, blocked in its RS_LU_PREPARE sendrec, resumes. */
static void resume_old(struct service *svc, int result)
{
	int r;

	if (svc->active.process.pid == 0)
		return;		/* it died: the manager takes over */
	r = message_reply(svc->active.endpoint, result);
	if (r < 0) {
		rs_err("%s (ep %d, pid %d): cannot resume the old process: %s",
		       svc->label, svc->active.endpoint,
		       svc->active.process.pid, sef_strerror(r));
		/* Not in its sendrec: dying or lost. Its death recovers it. */
		instance_kill(&svc->active);
	}
}

/* The new version, blocked in its init sendrec, starts serving. */
static void commit_entry(struct update_entry *e)
{
	struct service *svc = service_of(e);
	int r;

	r = message_reply(svc->active.endpoint, OK);
	if (r < 0 && lu.resumed) {
		/*
		 * The dead RS answered it and it runs, or its sendrec failed
		 * with that RS and its answer comes again (update_death()).
		 */
		svc->init_answer_owed = svc->active.process.pid;
	} else if (r < 0)
		/* Its death, if that is why, reaches the manager next. */
		rs_err("%s (ep %d, pid %d): cannot answer the new version's init: %s",
		       svc->label, svc->active.endpoint,
		       svc->active.process.pid, sef_strerror(r));
	if (!e->params.self) {
		memcpy(svc->binary, e->binary, sizeof(svc->binary));
		memcpy(svc->args, e->args, sizeof(svc->args));
	}
	rs_notice("%s (ep %d): live update committed: pid %d serves, old pid %d goes",
	       svc->label, svc->active.endpoint, svc->active.process.pid,
	       svc->update.process.pid);
}

/* Put the old process back behind the endpoint and let it resume. */
static void roll_back_entry(struct update_entry *e, int result)
{
	struct service *svc = service_of(e);
	int r;

	/* Quiescent for the swap even if it is running its init. */
	r = instance_disallow(&svc->active);
	if (r < 0)
		rs_debug("%s (ep %d): disallow the new version: %s", svc->label,
			 svc->active.endpoint, sef_strerror(r));
	r = launch_swap(svc, &svc->update);
	if (r < 0) {
		/*
		 * The old process cannot have its endpoint back. Recover as
		 * from a crash: the new process dies, and so does the old one
		 * with its spare slot; the manager restarts the service.
		 */
		rs_err("%s (ep %d): rollback failed: %s; recovering as from a crash",
		       svc->label, svc->active.endpoint, sef_strerror(r));
		instance_kill(&svc->active);
		return;
	}
	resume_old(svc, result);
	if (svc->active.process.pid == 0)
		rs_warn("%s (ep %d): live update rolled back: %s; the old process is dead",
		       svc->label, svc->active.endpoint, sef_strerror(result));
	else
		rs_warn("%s (ep %d): live update rolled back: %s; pid %d serves again",
		       svc->label, svc->active.endpoint, sef_strerror(result),
		       svc->active.process.pid);
}

/* Bring one service of the update to its end. */
static void settle_entry(struct update_entry *e, int result)
{
	struct service *svc = service_of(e);

	switch (e->state) {
	case ENTRY_WAITING:
	case ENTRY_CANCELLED:
		break;
	case ENTRY_PREPARING:
		if (svc->active.process.pid != 0)
			cancel_prepare(svc, false);
		break;
	case ENTRY_PREPARED:
		resume_old(svc, result);
		break;
	case ENTRY_SWAPPED:
	case ENTRY_INIT_DONE:
		if (result == OK)
			commit_entry(e);
		else
			roll_back_entry(e, result);
		break;
	}
	/* The new version, or after a commit the old process. */
	instance_destroy(&svc->update);
}

/*
 * The update is over with result (OK: commit). Every service is settled;
 * out tells the manager which services it gets back, and who waits for
 * the result. From here on a new update may be requested.
 */
static void end_update(int result, struct update_outcome *out)
{
	bool was_started = started();

	/* LOADING's netlink socket, if it ended there. */
	relay_slot_table_close();

	if (result == OK)
		rs_notice("live update of %u service(s) committed", lu.count);
	else
		rs_notice("live update of %u service(s) ended: %s%s%s", lu.count,
		       sef_strerror(result), lu.why[0] ? ": " : "", lu.why);
	for (unsigned int i = 0; i < lu.count; i++) {
		struct update_entry *e = &lu.entries[i];

		settle_entry(e, result);
		e->given_back = was_started && !e->gone;
		/* A standby replica must be of the new binary. */
		e->replace_replica = e->given_back && result == OK &&
				     !e->params.self &&
				     e->state == ENTRY_INIT_DONE;
	}
	out->ended = true;
	out->result = result;
	out->caller = lu.caller;
	memcpy(out->why, lu.why, sizeof(out->why));
	if (lu.count > 0 && !lu.entries[lu.count - 1].gone)
		out->status_of = service_of(&lu.entries[lu.count - 1]);
	out->entries = lu.entries;
	out->count = lu.count;
	memset(&lu, 0, sizeof(lu));
	lu.stage = LU_IDLE;
}

struct service *update_given_back(const struct update_outcome *out,
				  unsigned int index, bool *replace_replica)
{
	const struct update_entry *e = &out->entries[index];

	*replace_replica = e->replace_replica;
	return e->given_back ? service_of(e) : NULL;
}

void update_outcome_release(struct update_outcome *out)
{
	free(out->entries);
	memset(out, 0, sizeof(*out));
}

static int ask_to_prepare(struct update_entry *e, struct update_outcome *out)
{
	struct service *svc = service_of(e);
	int r;

	r = message_lu_prepare(svc->active.endpoint, e->params.state,
			       e->params.lu_flags);
	if (r < 0) {
		explain("cannot ask %s to prepare: %s", svc->label,
			sef_strerror(r));
		end_update(r, out);
		return r;
	}
	e->state = ENTRY_PREPARING;
	lu.prepare_deadline = update_deadline(now_ms(),
					      e->params.prepare_maxtime_ms);
	rs_info("%s (ep %d): live update: preparing for state %d%s",
	       svc->label, svc->active.endpoint, e->params.state,
	       e->params.prepare_only ? " (prepare only)" : "");
	return 0;
}

static bool all_initialised(void)
{
	for (unsigned int i = 0; i < lu.count; i++)
		if (lu.entries[i].state == ENTRY_SWAPPED)
			return false;
	return true;
}

/*
 * Every service is prepared: swap the new versions in and start their
 * LU init (MINIX's start_update); release the prepare-only ones.
 */
static void start_update_phase(struct update_outcome *out)
{
	rs_time_t now = now_ms();
	int r;

	lu.stage = LU_INITIALIZING;
	lu.prepare_deadline = RS_TIME_NEVER;
	for (unsigned int i = 0; i < lu.count; i++) {
		struct update_entry *e = &lu.entries[i];
		struct service *svc = service_of(e);

		if (e->params.prepare_only) {
			cancel_prepare(svc, true);
			e->state = ENTRY_CANCELLED;
			rs_info("%s (ep %d): prepared; released (prepare only)",
			       svc->label, svc->active.endpoint);
			continue;
		}
		r = e->swapped_before ? 0 : launch_swap(svc, &svc->update);
		if (r < 0) {
			explain("cannot swap %s's new version in: %s",
				svc->label, sef_strerror(r));
			end_update(r, out);
			return;
		}
		e->state = ENTRY_SWAPPED;
		e->init_deadline = update_deadline(now,
						   2 * e->params.init_maxtime_ms);
		/* old_endpoint: where the old process and its state now are. */
		r = e->init_sent_before ? 0 :
		    launch_init(svc, SEF_INIT_LU,
				e->params.lu_flags | e->params.init_flags,
				svc->update.endpoint, e->params.state);
		if (r < 0) {
			explain("cannot start %s's new version: %s", svc->label,
				sef_strerror(r));
			end_update(r, out);
			return;
		}
		rs_notice("%s (ep %d): new version pid %d initialising (old pid %d at ep %d)",
		       svc->label, svc->active.endpoint,
		       svc->active.process.pid, svc->update.process.pid,
		       svc->update.endpoint);
	}
	if (all_initialised())
		end_update(OK, out);	/* prepare-only services alone */
}

/*
 * The first entry whose new version is not loaded yet (NULL: all are),
 * from one read of the slot table. Loaded is bound to its slot; a slot
 * RS cannot read counts as loaded, which waits no more than before this
 * check existed (the swap then fails and ends the update); a new version
 * that died is not, and its death, reported next, ends the update.
 */
static const struct update_entry *first_not_loaded(void)
{
	endpoint_t endpoints[MXSYS_MAX_SLOTS];
	unsigned int states[MXSYS_MAX_SLOTS];
	int r;

	for (unsigned int i = 0; i < lu.count; i++)
		endpoints[i] = service_of(&lu.entries[i])->update.endpoint;
	r = relay_slot_states(endpoints, states, lu.count);
	if (r < 0) {
		rs_debug("cannot tell whether the new versions are loaded: %s",
			 sef_strerror(r));
		return NULL;
	}
	for (unsigned int i = 0; i < lu.count; i++) {
		const struct update_entry *e = &lu.entries[i];

		if (e->params.prepare_only ||
		    states[i] == MXSYS_SLOT_STATE_BOUND)
			continue;
		if (states[i] == MXSYS_SLOT_STATE_FREE) {
			rs_debug("%s (ep %d): the new version has no slot",
				 e->label, endpoints[i]);
			continue;
		}
		return e;
	}
	return NULL;
}

/* LOADING has as long as the longest init maxtime of the update. */
static rs_time_t load_maxtime_ms(void)
{
	rs_time_t longest = 0;

	for (unsigned int i = 0; i < lu.count; i++)
		if (lu.entries[i].params.init_maxtime_ms > longest)
			longest = lu.entries[i].params.init_maxtime_ms;
	return longest;
}

/*
 * LOADING -> PREPARING once every new version is loaded; a negative error
 * when the update ended (its outcome in out).
 */
static int prepare_once_loaded(rs_time_t now, struct update_outcome *out)
{
	const struct update_entry *e = first_not_loaded();

	if (e && now >= lu.prepare_deadline) {
		explain("the new version of %s was not loaded within %llu ms",
			e->label, (unsigned long long)load_maxtime_ms());
		end_update(-EINTR, out);
		return -EINTR;
	}
	if (e) {
		lu.load_check = now + LU_LOAD_CHECK_MS;
		return 0;
	}
	relay_slot_table_close();
	lu.stage = LU_PREPARING;
	lu.current = 0;
	return ask_to_prepare(&lu.entries[0], out);
}

/* Nothing else is starting, stopping or waiting to restart. */
static bool rs_settled(void)
{
	struct service *svc;

	for (unsigned int i = 0; (svc = service_at(i)); i++)
		if (svc->state == SERVICE_STARTING ||
		    svc->state == SERVICE_STOPPING ||
		    svc->state == SERVICE_RESTART_WAIT)
			return false;
	return true;
}

static bool running_normally(const struct service *svc)
{
	return svc->state == SERVICE_RUNNING &&
	       svc->deadline == RS_TIME_NEVER && svc->active.process.pid > 0;
}

/*
 * SCHEDULED -> PREPARING (MINIX's start_update_prepare): the services are
 * the update's from now on (out->started).
 */
static int start_update(struct update_outcome *out)
{
	for (unsigned int i = 0; i < lu.count; i++) {
		struct update_entry *e = &lu.entries[i];
		struct service *svc = service_of(e);
		const struct instance *new_version = &svc->update;

		if (!rs_settled() || !running_normally(svc)) {
			explain("RS is busy (%s is not running normally, or a service is starting, stopping or restarting)",
				svc->label);
			end_update(-EAGAIN, out);
			return -EAGAIN;
		}
		if (!e->params.prepare_only &&
		    (new_version->endpoint == NONE ||
		     new_version->process.pid == 0)) {
			explain("the new version of %s died before the update",
				svc->label);
			end_update(-ERESTART, out);
			return -ERESTART;
		}
	}
	for (unsigned int i = 0; i < lu.count; i++)
		if (lu.count > 1)
			lu.entries[i].params.lu_flags |= SEF_LU_MULTI;
	lu.stage = LU_LOADING;
	lu.prepare_deadline = update_deadline(now_ms(), load_maxtime_ms());
	out->started = true;
	rs_notice("live update of %u service(s) starts", lu.count);
	return prepare_once_loaded(now_ms(), out);
}

/* The binary and arguments of the new version. */
static int new_version(const struct service *svc, const struct rs_request *rq,
		       const struct update_params *params,
		       char binary[RS_MAX_COMMAND_LEN],
		       char args[RS_MAX_COMMAND_LEN])
{
	char why[sizeof(lu.why)];
	int r;

	if (params->self) {
		memcpy(binary, svc->binary, RS_MAX_COMMAND_LEN);
		memcpy(args, svc->args, RS_MAX_COMMAND_LEN);
		return 0;
	}
	r = cmdline_command(rq, binary, args, why, sizeof(why));
	if (r < 0)
		rs_warn("%s: update refused: %s", svc->label, why);
	return r;
}

static enum update_stage admission_stage(void)
{
	switch (lu.stage) {
	case LU_IDLE:		return UPDATE_STAGE_IDLE;
	case LU_SCHEDULED:	return UPDATE_STAGE_SCHEDULED;
	default:		return UPDATE_STAGE_RUNNING;
	}
}

/* Run what is scheduled; the result goes to caller when it waits. */
static int run_scheduled(struct caller caller, struct update_outcome *out)
{
	int r = start_update(out);

	if (r < 0)
		return r;
	if (!caller.waiting)
		return OK;
	lu.caller = caller;
	return -EDONTREPLY;
}

int update_request(struct service *svc, const struct rs_request *rq,
		   struct caller caller, struct update_outcome *out)
{
	char binary[RS_MAX_COMMAND_LEN];
	char args[RS_MAX_COMMAND_LEN];
	struct update_params params;
	int r;

	memset(out, 0, sizeof(*out));
	if (!running_normally(svc))
		return -EBUSY;
	r = update_params_parse(rq, &params);
	if (r < 0)
		return r;
	r = update_admit(admission_stage(), params.batch,
			  entry_of(svc) != NULL);
	if (r < 0)
		return r;
	r = new_version(svc, rq, &params, binary, args);
	if (r < 0)
		return r;
	if (svc->update.endpoint != NONE)
		return -EBUSY;	/* a process of an earlier update lingers */
	/* start_update() would refuse it: spare the fork. */
	if (!params.batch && !rs_settled())
		return -EAGAIN;
	if (!params.prepare_only) {
		r = launch_process(svc, binary, args, MXSYS_LU_SYS_PROC,
				   MXSYS_SLOT_DYNAMIC, &svc->update);
		if (r < 0)
			return r;
	}
	r = add_entry(svc, &params, binary, args);
	if (r < 0) {
		instance_destroy(&svc->update);
		return r;
	}
	lu.stage = LU_SCHEDULED;
	if (params.batch) {
		rs_notice("%s (ep %d): live update to %s scheduled (%u in the batch)",
		       svc->label, svc->active.endpoint, binary, lu.count);
		return OK;
	}
	return run_scheduled(params.noblock ? CALLER_NOBODY : caller, out);
}

int update_sysctl(uint32_t subtype, struct caller caller,
		  struct update_outcome *out)
{
	memset(out, 0, sizeof(*out));
	switch (subtype) {
	case RS_SYSCTL_UPD_STATUS:
		return lu.stage == LU_IDLE ? -ESRCH : OK;
	case RS_SYSCTL_UPD_STOP:
		if (lu.stage == LU_IDLE)
			return -ESRCH;
		explain("stopped by sysctl upd_stop");
		end_update(-EINTR, out);
		return OK;
	case RS_SYSCTL_UPD_START:
	case RS_SYSCTL_UPD_RUN:
		if (lu.stage == LU_IDLE)
			return -ESRCH;
		if (lu.stage != LU_SCHEDULED)
			return -EBUSY;
		/* upd_start: the result only goes to the log. */
		return run_scheduled(subtype == RS_SYSCTL_UPD_RUN ?
				     caller : CALLER_NOBODY, out);
	default:
		return -EINVAL;
	}
}

bool update_busy(void)
{
	return started();
}

bool update_holds(const struct service *svc)
{
	return started() && entry_of(svc) != NULL;
}

void update_prepare_ready(endpoint_t endpoint, int state, int result,
			  struct update_outcome *out)
{
	struct update_entry *e = NULL;

	memset(out, 0, sizeof(*out));
	if (lu.stage == LU_PREPARING)
		e = &lu.entries[lu.current];
	if (!e || e->state != ENTRY_PREPARING ||
	    service_of(e)->active.endpoint != endpoint) {
		/* Late (after a cancel) or unasked: it resumes. */
		rs_warn("unexpected RS_LU_PREPARE from %d (state %d, %s) while %s: answered EINVAL",
		       endpoint, state, sef_strerror(result),
		       stage_name(lu.stage));
		message_reply(endpoint, -EINVAL);
		return;
	}
	/* It waits in its sendrec from now on. */
	e->state = ENTRY_PREPARED;
	if (result != OK) {
		if (result > 0)
			result = -EINVAL;	/* not an error number */
		explain("%s refused to prepare for state %d: %s",
			e->label, e->params.state, sef_strerror(result));
		end_update(result, out);
		return;
	}
	rs_info("%s (ep %d): prepared for state %d", e->label, endpoint,
	       state);
	if (++lu.current < lu.count)
		(void)ask_to_prepare(&lu.entries[lu.current], out);
	else
		start_update_phase(out);
}

void update_init_ready(struct service *svc, int result,
		       struct update_outcome *out)
{
	struct update_entry *e = entry_of(svc);

	memset(out, 0, sizeof(*out));
	if (lu.stage == LU_INITIALIZING && e && e->state == ENTRY_INIT_DONE &&
	    result == OK) {
		/*
		 * Sent again: RS died while it waited for the commit (the
		 * module ended its sendrec), and this RS took over. It waits
		 * for the commit again.
		 */
		rs_info("%s (ep %d): init answer sent again; waits for the commit",
			svc->label, svc->active.endpoint);
		return;
	}
	if (lu.stage != LU_INITIALIZING || !e || e->state != ENTRY_SWAPPED) {
		rs_warn("%s (ep %d): unexpected RS_INIT while %s: answered EINVAL",
		       svc->label, svc->active.endpoint, stage_name(lu.stage));
		message_reply(svc->active.endpoint, -EINVAL);
		return;
	}
	if (result != OK) {
		if (result > 0)
			result = -EINVAL;
		explain("the new version of %s failed its init: %s",
			svc->label, sef_strerror(result));
		end_update(result, out);
		return;
	}
	e->state = ENTRY_INIT_DONE;
	rs_notice("%s (ep %d): new version pid %d initialised", svc->label,
	       svc->active.endpoint, svc->active.process.pid);
	if (all_initialised())
		end_update(OK, out);
}

void update_death(struct service *svc, const struct instance *inst,
		  struct update_outcome *out)
{
	struct update_entry *e = entry_of(svc);
	bool new_version_died = inst == &svc->update;
	bool swapped;

	memset(out, 0, sizeof(*out));
	swapped = e->state == ENTRY_SWAPPED || e->state == ENTRY_INIT_DONE;
	if (new_version_died && swapped) {
		/*
		 * Since the swap the update instance holds the old process,
		 * waiting for the end: harmless if the update commits; a
		 * rollback hands the service to the manager.
		 */
		rs_warn("%s: the old process (ep %d) died during the new version's init",
		       svc->label, inst->endpoint);
		/*
		 * After a takeover this means the dead RS committed in the
		 * turn it died in: nothing else kills an old process during
		 * the new versions' init (RS kills them at a commit only,
		 * after every new version answered OK; a rollback keeps
		 * them). Its state still waits for the answers it took: this
		 * RS commits too, instead of rolling back to dead processes
		 * when the init time is up. Without a takeover the new
		 * version's init answer decides.
		 */
		if (lu.resumed) {
			rs_notice("the previous RS committed the update as it died");
			end_update(OK, out);
		}
		return;
	}
	if (swapped)
		explain("the new version of %s died during its init",
			svc->label);
	else if (new_version_died)
		explain("the new version of %s died before it ran",
			svc->label);
	else
		explain("%s died during the update", svc->label);
	end_update(-ERESTART, out);
}

/* The new version whose init answer is due first (NULL: none pending). */
static const struct update_entry *first_init_due(void)
{
	const struct update_entry *first = NULL;

	for (unsigned int i = 0; i < lu.count; i++) {
		const struct update_entry *e = &lu.entries[i];

		if (e->state == ENTRY_SWAPPED &&
		    (!first || e->init_deadline < first->init_deadline))
			first = e;
	}
	return first;
}

void update_timeout(rs_time_t now, struct update_outcome *out)
{
	memset(out, 0, sizeof(*out));
	if (lu.stage == LU_LOADING && now >= lu.load_check) {
		(void)prepare_once_loaded(now, out);
	} else if (lu.stage == LU_PREPARING && now >= lu.prepare_deadline) {
		struct update_entry *e = &lu.entries[lu.current];

		explain("%s did not prepare for state %d within %llu ms",
			e->label, e->params.state,
			(unsigned long long)e->params.prepare_maxtime_ms);
		end_update(-EINTR, out);
	} else if (lu.stage == LU_INITIALIZING &&
		   now >= update_next_deadline()) {
		const struct update_entry *e = first_init_due();

		explain("the new version of %s did not finish its init within %llu ms",
			e->label,
			(unsigned long long)(2 * e->params.init_maxtime_ms));
		end_update(-EINTR, out);
	}
}

rs_time_t update_next_deadline(void)
{
	const struct update_entry *e;

	switch (lu.stage) {
	case LU_LOADING:
		return lu.load_check < lu.prepare_deadline ?
		       lu.load_check : lu.prepare_deadline;
	case LU_PREPARING:
		return lu.prepare_deadline;
	case LU_INITIALIZING:
		e = first_init_due();
		return e ? e->init_deadline : RS_TIME_NEVER;
	default:
		return RS_TIME_NEVER;
	}
}

bool update_swap_found(struct service *svc, bool allowed)
{
	struct update_entry *e = entry_of(svc);

	if (lu.stage != LU_PREPARING || !e || e->params.prepare_only)
		return false;
	e->swapped_before = true;
	e->init_sent_before = allowed;
	return true;
}

void update_resume(struct update_outcome *out)
{
	bool swapped = false;

	memset(out, 0, sizeof(*out));
	for (unsigned int i = 0; i < lu.count; i++)
		swapped |= lu.entries[i].swapped_before;
	if (lu.stage != LU_PREPARING || !swapped)
		return;
	/*
	 * The dead RS swaps only once every service prepared: the last
	 * answer came in the turn it died in. That service's old process
	 * sends it again, and is answered EINVAL; it waits in its spare
	 * slot until the end, as the others do.
	 */
	rs_notice("the previous RS began the update's swap as it died: finished");
	start_update_phase(out);
	for (unsigned int i = 0; i < lu.count; i++)
		lu.entries[i].swapped_before = lu.entries[i].init_sent_before =
			false;
}

void update_abort(int result, struct update_outcome *out)
{
	memset(out, 0, sizeof(*out));
	if (lu.stage == LU_IDLE)
		return;
	explain("aborted: the service is stopped or RS shuts down");
	end_update(result, out);
}

void update_service_gone(struct service *svc, struct update_outcome *out)
{
	struct update_entry *e = entry_of(svc);

	memset(out, 0, sizeof(*out));
	if (!e)
		return;
	e->gone = true;
	explain("%s went away", svc->label);
	end_update(-EDEADSRCDST, out);
}

void update_save(struct image *img)
{
	image_put_u32(img, (uint32_t)lu.stage);
	image_put_u32(img, lu.count);
	image_put_u32(img, lu.current);
	image_put_u64(img, lu.prepare_deadline);
	image_put(img, &lu.caller, sizeof(lu.caller));
	image_put(img, lu.why, sizeof(lu.why));
	image_put(img, lu.entries, lu.count * sizeof(*lu.entries));
}

void update_restore(struct image_reader *rd)
{
	uint32_t stage = image_get_u32(rd);
	uint32_t count = image_get_count(rd, MXSYS_MAX_SLOTS);
	struct update_entry *entries = NULL;

	lu.current = image_get_u32(rd);
	lu.prepare_deadline = image_get_u64(rd);
	lu.load_check = 0;	/* LOADING: look at once */
	lu.resumed = false;
	image_get(rd, &lu.caller, sizeof(lu.caller));
	image_get(rd, lu.why, sizeof(lu.why));
	lu.why[sizeof(lu.why) - 1] = '\0';
	if (count > 0 && !rd->failed) {
		entries = calloc(count, sizeof(*entries));
		if (!entries)
			image_fail(rd);
		else
			image_get(rd, entries, count * sizeof(*entries));
	}
	if (stage > LU_LOADING || lu.current > count)
		image_fail(rd);
	free(lu.entries);
	lu.entries = NULL;
	lu.count = lu.capacity = 0;
	lu.stage = LU_IDLE;
	if (rd->failed) {
		free(entries);
		return;
	}
	lu.entries = entries;
	lu.count = lu.capacity = count;
	lu.stage = (enum lu_stage)stage;
	/* Its last turn may have committed it (update_death()). */
	lu.resumed = lu.stage == LU_INITIALIZING;
}
