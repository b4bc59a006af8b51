// SPDX-License-Identifier: MIT
/*
 * The service life cycle (MINIX RS's manager.c and the init/period parts
 * of request.c, reshaped as an explicit state machine, s6-supervise
 * style). A service's state changes here and only here, through the
 * transitions named enter_*, hand_to_update, back_from_update and forget;
 * each sets the state, its deadline, and what a death in it leads to
 * (svc->after_death).
 *
 *              start_fresh()          RS_INIT OK
 *    (new) -----------------> STARTING ---------> RUNNING <------------+
 *                               |                  |  |  |             |
 *    init failed or timed out,  |    down, refresh,|  |  | update      |
 *    restart refused            |    shutdown      |  |  v             |
 *                               v                  |  | UPDATING ------+
 *                            STOPPING <------------+  |   its outcome:
 *                               | died                | died  back_from_update
 *                               v                     v
 *                          after_death:            crashed():
 *    EXIT -> forget()                              script -> TERMINATED
 *    RESET -> start_fresh() on a new endpoint      backoff -> RESTART_WAIT
 *    REFRESH -> recover()                          else -> restart_service()
 *    RETRY_INIT -> RESTART_WAIT
 *
 * A death in STARTING follows after_death at once (EXIT, or RETRY_INIT
 * with -b). restart_service() swaps a standby replica in behind the same
 * endpoint and sends it RS_INIT(RESTART): STARTING again. TERMINATED
 * waits for a restart or down request, RESTART_WAIT for its deadline.
 *
 * forget(): clear the slot, drop the label, late reply, remove.
 *
 * RS never blocks on IPC here: requests to services go by senda, replies
 * to a service blocked in sendrec by sendnb, pings by notify (message.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <minix/sef.h>
#include <minix/syslib.h>

#include "binary.h"
#include "dump.h"
#include "launch.h"
#include "log.h"
#include "manager.h"
#include "message.h"
#include "nl.h"
#include "script.h"
#include "timer.h"
#include "update.h"

/* More than the module's default table has slots. */
#define BOOT_SERVICES_MAX	RS_CONFIG_BOOT_MAX

/* How RS was started (rs-daemon's options). */
static struct {
	rs_time_t backoff_period_ms;
	const char *config_path;	/* boot services */
} settings = {
	.backoff_period_ms = RS_BACKOFF_PERIOD_MS,
	.config_path = RS_SYSTEM_CONF,
};

/* RS's own state, beside the service table and the live update. */
static struct {
	bool booted;		/* ds initialised once */
	bool boot_services_started;
	bool shutting_down;
	int exit_code;
	/* RS's own history, kept across takeovers (status rs). */
	unsigned int takeovers;	/* times a new RS resumed this state */
	rs_time_t last_takeover;	/* when, CLOCK_MONOTONIC ms */
	char last_reason[64];		/* why (which RS died how) */
} rs;

static void enter_stopping(struct service *svc, enum after_death then,
			   int result, bool ask_first);
static void forget(struct service *svc, int result);
static void follow_update(struct update_outcome *out);

static rs_time_t in_ms(rs_time_t delay_ms)
{
	return now_ms() + delay_ms;
}

/* The one writer of svc->state, for the transitions below. */
static void set_state(struct service *svc, enum service_state state,
		      rs_time_t deadline)
{
	svc->state = state;
	svc->deadline = deadline;
}

/* Answer the requester waiting for svc's operation, if any. */
static void answer(struct service *svc, int result)
{
	struct rs_reply reply;

	if (!svc->caller.waiting)
		return;
	memset(&reply, 0, sizeof(reply));
	reply.result = result;
	service_status(svc, &reply.status);
	caller_answer(&svc->caller, &reply);
}

/* Tell ds that the label names the service's endpoint, or no more. */
static void tell_ds(struct service *svc, bool publish)
{
	const char *label = svc->label;
	endpoint_t ep = svc->active.endpoint;
	int r = publish ? message_label_publish(label, ep) :
			  message_label_delete(label, ep);

	if (r < 0)
		rs_err("%s: cannot %s its label in ds: %s", label,
		       publish ? "publish" : "delete", sef_strerror(r));
}

/* After ds restarted with an empty store, tell it every label again. */
static void republish_labels(void)
{
	struct service *svc;

	for (unsigned int i = 0; (svc = service_at(i)); i++)
		if (!svc->core && svc->active.endpoint != NONE &&
		    svc->state != SERVICE_STOPPING)
			tell_ds(svc, true);
}

static void clear_slot(struct service *svc)
{
	int r;

	if (svc->active.endpoint == NONE)
		return;
	r = instance_clear(&svc->active);
	if (r < 0)
		rs_err("%s (ep %d): cannot clear its slot: %s", svc->label,
		       svc->active.endpoint, sef_strerror(r));
}

static void forward_signal(struct service *svc, int sig)
{
	int r = message_signal(svc->active.endpoint, sig);

	if (r < 0)
		rs_err("%s (ep %d): cannot forward signal %d: %s", svc->label,
		       svc->active.endpoint, sig, sef_strerror(r));
}

/*
 * The service runs again after an init or a live update: hand it the
 * signals that arrived while it was blocked in a sendrec to RS.
 */
static void resume(struct service *svc)
{
	uint64_t held = svc->held_signals;

	svc->held_signals = 0;
	for (int sig = 1; sig <= 64; sig++)
		if (held & (1ULL << (sig - 1)))
			forward_signal(svc, sig);
}

static void start_replica_if_wanted(struct service *svc)
{
	int r;

	if (!(svc->rss_flags & RSS_REPLICA) || svc->replica.endpoint != NONE ||
	    rs.shutting_down)
		return;
	r = launch_process(svc, svc->binary, svc->args, MXSYS_RST_SYS_PROC,
			   MXSYS_SLOT_DYNAMIC, &svc->replica);
	if (r < 0)
		rs_err("%s: cannot start a standby replica: %s", svc->label,
		       sef_strerror(r));
}

/*
 * -c: the kept copy is of the binary the service runs now (after an
 * update or an edit to another one), copied at once, while it is good.
 */
static void renew_copy(struct service *svc)
{
	int fd;

	binary_drop(svc->label);
	if (!(svc->rss_flags & RSS_COPY))
		return;
	fd = binary_copy_fd(svc->label, svc->binary);
	if (fd >= 0)
		close(fd);
}

/* After an edit or an update: the standby replica runs the new settings. */
static void replace_replica(struct service *svc)
{
	if (svc->replica.endpoint == NONE || svc->state != SERVICE_RUNNING)
		return;
	instance_destroy(&svc->replica);
	start_replica_if_wanted(svc);
}

/*
 * -> STARTING. The process behind the service's endpoint is prepared but
 * not yet allowed to run: let it run and initialise. A death during the
 * init is final, unless -b retries it a period later.
 */
static void enter_starting(struct service *svc, int type, endpoint_t old_ep)
{
	svc->no_ping_reply = false;
	svc->init_type = type;
	svc->after_death = svc->rss_flags & RSS_NO_BIN_EXP ?
			   AFTER_DEATH_RETRY_INIT : AFTER_DEATH_EXIT;
	svc->stop_result = -EDEADEPT;
	set_state(svc, SERVICE_STARTING, in_ms(RS_INIT_TIMEOUT_MS));

	/* Before RS_INIT, so ds knows the service when its init asks. */
	if (!svc->core)
		tell_ds(svc, true);
	if (launch_init(svc, type, 0, old_ep, SEF_LU_STATE_NULL) < 0) {
		enter_stopping(svc, AFTER_DEATH_EXIT, -EDEADEPT, false);
		return;
	}
	rs_notice("%s (ep %d, pid %d) %s, initialising", svc->label,
	       svc->active.endpoint, svc->active.process.pid,
	       type == SEF_INIT_RESTART ? "restarted" : "started");
}

/* -> RUNNING: its init succeeded. */
static void enter_running(struct service *svc, unsigned int policy)
{
	set_state(svc, SERVICE_RUNNING, RS_TIME_NEVER);
	svc->after_death = AFTER_DEATH_CRASH;
	if (policy != RS_POLICY_UNKNOWN)
		svc->policy = policy;
	heartbeat_reset(&svc->heartbeat, now_ms());
	svc->running_since = now_ms();
	svc->boot_init_pending = false;
	if (svc->init_type == SEF_INIT_RESTART) {
		svc->restarts++;
		/* The crashed process's spare slot is no longer needed. */
		instance_destroy(&svc->replica);
	}
	rs_notice("%s (ep %d, pid %d) is up (restarts %u)", svc->label,
	       svc->active.endpoint, svc->active.process.pid, svc->restarts);
	resume(svc);
	answer(svc, OK);
	start_replica_if_wanted(svc);
}

/*
 * -> STOPPING: the process must die, and `then` follows its death, with
 * result for the requester if it is the end. ask_first: a SIGTERM
 * message first and SIGKILL after RS_STOP_GRACE_MS (MINIX's 2 s), when
 * the process can still read one; else SIGKILL now.
 */
static void enter_stopping(struct service *svc, enum after_death then,
			   int result, bool ask_first)
{
	struct instance *active = &svc->active;
	int r;

	svc->after_death = then;
	svc->stop_result = result;
	if (ask_first && instance_has_process(active) &&
	    !active->process.killed) {
		r = message_signal(active->endpoint, SIGTERM);
		if (r == OK) {
			set_state(svc, SERVICE_STOPPING,
				  in_ms(RS_STOP_GRACE_MS));
			rs_notice("%s (ep %d) stopping", svc->label,
			       active->endpoint);
			return;
		}
		rs_err("%s (ep %d): cannot send SIGTERM: %s", svc->label,
		       active->endpoint, sef_strerror(r));
	}
	set_state(svc, SERVICE_STOPPING, in_ms(RS_KILL_WAIT_MS));
	instance_kill(active);
}

/* -> RESTART_WAIT: no process; restart_service() once delay_ms is out. */
static void enter_restart_wait(struct service *svc, rs_time_t delay_ms)
{
	set_state(svc, SERVICE_RESTART_WAIT, in_ms(delay_ms));
}

/*
 * -> TERMINATED: no process; its recovery script decides (minix-service
 * restart or down).
 */
static void enter_terminated(struct service *svc, const char *reason)
{
	set_state(svc, SERVICE_TERMINATED, RS_TIME_NEVER);
	script_run(svc->script, svc->label, reason, svc->restarts);
}

/* RUNNING -> UPDATING: a live update holds it from now on. */
static void hand_to_update(struct service *svc)
{
	set_state(svc, SERVICE_UPDATING, RS_TIME_NEVER);
}

/* UPDATING -> RUNNING: the update is over; it serves (again). */
static void back_from_update(struct service *svc)
{
	set_state(svc, SERVICE_RUNNING, RS_TIME_NEVER);
	svc->after_death = AFTER_DEATH_CRASH;
	heartbeat_reset(&svc->heartbeat, now_ms());
	resume(svc);
}

/*
 * The end: the service is gone for good. Free its slots, answer its
 * requester with result, forget it. As MINIX, RS cannot go on without a
 * core service.
 */
static void forget(struct service *svc, int result)
{
	bool core_lost = svc->core && !rs.shutting_down;
	struct update_outcome out;

	update_service_gone(svc, &out);
	follow_update(&out);
	clear_slot(svc);
	instance_destroy(&svc->replica);
	instance_destroy(&svc->update);
	if (!svc->core && svc->active.endpoint != NONE)
		tell_ds(svc, false);	/* ds deletes its keys with it */
	answer(svc, result);
	rs_notice("%s (ep %d) is down", svc->label, svc->active.endpoint);
	binary_drop(svc->label);
	service_remove(svc);
	if (core_lost) {
		rs_warn("core service gone: shutting down");
		manager_shutdown(1);
	}
}

/*
 * Fork and exec the service into a new slot (its static one, or a
 * dynamic one) and initialise it. Returns a negative error if no process
 * runs; nothing is left behind then.
 */
static int start_fresh(struct service *svc)
{
	int r = launch_process(svc, svc->binary, svc->args, 0, svc->slot,
			       &svc->active);

	if (r < 0)
		return r;
	enter_starting(svc, SEF_INIT_FRESH, NONE);
	return 0;
}

/* Drop a service that never ran (no reply owed, nothing published). */
static void discard_service(struct service *svc)
{
	clear_slot(svc);
	service_remove(svc);
}

/*
 * Put a process back behind the service's (dead) endpoint: the standby
 * replica when there is one, else a new one made now, swapped in by the
 * module so that the endpoint and everything queued on it stay.
 */
static void restart_service(struct service *svc)
{
	int r;

	/*
	 * A standby that is gone cannot take over; one reaped but never
	 * reported died before it bound its slot (the module cannot tell).
	 */
	if (!instance_has_process(&svc->replica)) {
		instance_destroy(&svc->replica);
		r = launch_process(svc, svc->binary, svc->args,
				   MXSYS_RST_SYS_PROC, MXSYS_SLOT_DYNAMIC,
				   &svc->replica);
		if (r < 0)
			goto fail;
	}
	r = launch_swap(svc, &svc->replica);
	if (r < 0) {
		instance_destroy(&svc->replica);
		goto fail;
	}
	/*
	 * A termination signal left the endpoint frozen for RS: the new
	 * process must not inherit that (-EINVAL when it was not frozen).
	 */
	(void)sys_endksig(svc->active.endpoint);
	/* svc->replica now holds the dead process until the init is done. */
	enter_starting(svc, SEF_INIT_RESTART, svc->replica.endpoint);
	return;
fail:
	rs_err("%s (ep %d): restart failed: %s; giving up", svc->label,
	       svc->active.endpoint, sef_strerror(r));
	forget(svc, -EDEADEPT);
}

/* Reset policy: the endpoint is given up and the service starts afresh. */
static void reset_service(struct service *svc)
{
	int r;

	instance_destroy(&svc->replica);
	clear_slot(svc);
	tell_ds(svc, false);
	rs_notice("%s (ep %d): reset: starting a fresh instance", svc->label,
	       svc->active.endpoint);
	svc->active = INSTANCE_NONE;
	svc->restarts++;
	r = start_fresh(svc);
	if (r < 0) {
		rs_err("%s: reset failed: %s; giving up", svc->label,
		       sef_strerror(r));
		forget(svc, -EDEADEPT);
	}
}

/* A dead service comes back: through its script if it has one. */
static void recover(struct service *svc, const char *reason)
{
	if (svc->script[0] == '\0')
		restart_service(svc);
	else
		enter_terminated(svc, reason);
}

/* The active process of a RUNNING service died. */
static void crashed(struct service *svc, int wait_status)
{
	unsigned int periods;

	rs_warn("%s (ep %d) died: %s%s", svc->label, svc->active.endpoint,
	       rs_describe_status(wait_status),
	       svc->no_ping_reply ? " (no heartbeat)" : "");

	if (rs.shutting_down) {
		forget(svc, OK);
		return;
	}
	if (svc->rss_flags & RSS_NORESTART) {
		forget(svc, -EDEADEPT);
		return;
	}
	if (svc->script[0] != '\0') {
		recover(svc, svc->no_ping_reply ? "no-heartbeat"
						: "terminated");
		return;
	}
	periods = policy_restart_periods(svc->restarts,
					 svc->rss_flags & RSS_NO_BIN_EXP,
					 svc->rss_flags & (RSS_COPY | RSS_REUSE));
	if (periods == 0) {
		restart_service(svc);
		return;
	}
	rs_notice("%s: restarting in %llu ms", svc->label,
	       (unsigned long long)(periods * settings.backoff_period_ms));
	enter_restart_wait(svc, periods * settings.backoff_period_ms);
}

/* The active process is gone: what its state said comes next. */
static void follow_death(struct service *svc, int wait_status)
{
	switch (svc->after_death) {
	case AFTER_DEATH_CRASH:
		crashed(svc, wait_status);
		return;
	case AFTER_DEATH_EXIT:
		forget(svc, svc->stop_result);
		return;
	case AFTER_DEATH_REFRESH:
		if (rs.shutting_down) {
			forget(svc, svc->stop_result);
			return;
		}
		/* A refresh is answered as the restart begins (MINIX). */
		answer(svc, OK);
		recover(svc, "restart");
		return;
	case AFTER_DEATH_RESET:
		reset_service(svc);
		return;
	case AFTER_DEATH_RETRY_INIT:
		if (rs.shutting_down)
			forget(svc, svc->stop_result);
		else
			enter_restart_wait(svc, settings.backoff_period_ms);
		return;
	}
}

/* The module reported the death of the service's active process. */
static void active_died(struct service *svc, int wait_status)
{
	struct update_outcome out;

	svc->death_status = wait_status;
	svc->running_since = 0;
	/* Ended, if badly: boot is over for it either way. */
	svc->boot_init_pending = false;
	snprintf(svc->last_exit, sizeof(svc->last_exit), "%s%s",
		 rs_describe_status(wait_status),
		 svc->no_ping_reply ? " (no heartbeat)" : "");
	svc->held_signals = 0;
	dump_service_died(svc->active.endpoint);
	switch (svc->state) {
	case SERVICE_RESTART_WAIT:
	case SERVICE_TERMINATED:
		rs_debug("%s: death while not running ignored", svc->label);
		return;
	case SERVICE_UPDATING:
		instance_process_died(&svc->active);
		update_death(svc, &svc->active, &out);
		follow_update(&out);
		return;
	case SERVICE_STOPPING:
		rs_warn("%s (ep %d) died: %s", svc->label, svc->active.endpoint,
		       rs_describe_status(wait_status));
		break;
	case SERVICE_STARTING:
		rs_warn("%s (ep %d) died during init: %s, %s", svc->label,
		       svc->active.endpoint, rs_describe_status(wait_status),
		       svc->after_death == AFTER_DEATH_RETRY_INIT ?
		       "retrying" : "not restarting");
		break;
	case SERVICE_RUNNING:
		break;
	}
	instance_process_died(&svc->active);
	follow_death(svc, wait_status);
}

/* A process of another instance of the service (replica, update) died. */
static void other_instance_died(struct service *svc, struct instance *inst,
				int wait_status, pid_t pid)
{
	struct update_outcome out;

	if (pid > 0 && inst->process.pid > 0 && pid != inst->process.pid)
		return;
	instance_process_died(inst);
	svc->death_status = wait_status;
	if (inst == &svc->update && update_holds(svc)) {
		update_death(svc, inst, &out);
		follow_update(&out);
		return;
	}
	/* While starting, the replica holds the crashed process: keep it. */
	if (inst == &svc->replica && svc->state == SERVICE_STARTING)
		return;
	rs_notice("%s: instance at ep %d died", svc->label, inst->endpoint);
	instance_destroy(inst);
}

/*
 * What an update call did: the services it now holds are handed over;
 * once it ended, those it gives back serve again (or recover, when their
 * process died meanwhile) and its requester gets the result.
 */
static void follow_update(struct update_outcome *out)
{
	struct service *svc;
	struct rs_reply reply;
	bool replace;

	if (out->started)
		for (unsigned int i = 0; (svc = service_at(i)); i++)
			if (update_holds(svc))
				hand_to_update(svc);
	if (!out->ended)
		return;
	for (unsigned int i = 0; i < out->count; i++)
		if ((svc = update_given_back(out, i, &replace)))
			back_from_update(svc);
	memset(&reply, 0, sizeof(reply));
	reply.result = out->result;
	memcpy(reply.message, out->why, sizeof(reply.message));
	if (out->status_of)
		service_status(out->status_of, &reply.status);
	caller_answer(&out->caller, &reply);
	for (unsigned int i = 0; i < out->count; i++) {
		svc = update_given_back(out, i, &replace);
		if (!svc)
			continue;
		if (svc->active.process.pid == 0) {
			rs_warn("%s (ep %d): its process died during the live update",
			       svc->label, svc->active.endpoint);
			crashed(svc, svc->death_status);
		} else if (replace) {
			renew_copy(svc);
			replace_replica(svc);
		}
	}
	update_outcome_release(out);
}

static void abort_update(int result)
{
	struct update_outcome out;

	update_abort(result, &out);
	follow_update(&out);
}

/* The service must go for good (down, shutdown), result for its caller. */
static void stop(struct service *svc, int result)
{
	char label[RS_MAX_LABEL_LEN];

	switch (svc->state) {
	case SERVICE_STOPPING:
		/* Dying already; for good now, not to be refreshed. */
		svc->stop_result = result;
		if (svc->after_death == AFTER_DEATH_REFRESH)
			svc->after_death = AFTER_DEATH_EXIT;
		return;
	case SERVICE_RESTART_WAIT:
	case SERVICE_TERMINATED:
		/* No process to stop. */
		forget(svc, result);
		return;
	case SERVICE_STARTING:
		/*
		 * Blocked in its init: it could not read a message. The only
		 * caller it can have is its `up`, which has failed.
		 */
		enter_stopping(svc, AFTER_DEATH_EXIT, -EDEADEPT, false);
		return;
	case SERVICE_UPDATING:
		/* The update ends first; then stop what the service became. */
		memcpy(label, svc->label, sizeof(label));
		abort_update(-EINTR);
		svc = service_by_label(label);
		if (svc)
			stop(svc, result);
		return;
	case SERVICE_RUNNING:
		enter_stopping(svc, AFTER_DEATH_EXIT, result, true);
		return;
	}
}

void manager_set_backoff_period(rs_time_t period_ms)
{
	settings.backoff_period_ms = period_ms;
}

void manager_set_config_path(const char *path)
{
	settings.config_path = path;
}

/* A new entry in the table, not started yet; NULL when out of memory. */
static struct service *add_service(const struct service_spec *spec)
{
	struct service *svc = service_add(spec->label);

	if (!svc)
		return NULL;
	strncpy(svc->progname, spec->progname, sizeof(svc->progname) - 1);
	strncpy(svc->binary, spec->binary, sizeof(svc->binary) - 1);
	strncpy(svc->args, spec->args, sizeof(svc->args) - 1);
	strncpy(svc->script, spec->script, sizeof(svc->script) - 1);
	svc->config = *spec->config;
	svc->rss_flags = spec->rss_flags;
	svc->heartbeat.period_ms = spec->period_ms;
	return svc;
}

int manager_boot(const char *ds_path)
{
	char err[RS_CONFIG_ERRLEN];
	struct rs_config config;
	struct service_spec spec = {
		.label = "ds", .progname = "ds", .binary = ds_path,
		.args = "", .script = "", .config = &config,
	};
	struct service *svc;
	int r;

	/*
	 * Its entry in the system.conf RS reads (rs-daemon -c), else in
	 * system.conf.d and system.conf; none: the defaults. A bad one is
	 * not fatal.
	 */
	if (strcmp(settings.config_path, RS_SYSTEM_CONF) != 0)
		r = rs_config_load(settings.config_path, "ds", &config, err);
	else
		r = rs_config_load_default("ds", &config, err);
	if (r == -ENOENT) {
		rs_config_defaults(&config, "ds");
	} else if (r < 0) {
		rs_warn("ds: %s; using the defaults", err);
		rs_config_defaults(&config, "ds");
	}
	rs_config_resolve_self(&config, 0);
	/* ds-daemon's caps (-n, -b) come from its entry's args. */
	spec.args = config.args;
	/* A period: RS pings ds like any service, and a hung ds is restarted. */
	spec.period_ms = config.period_ms;
	/* A standby follows the journal: a takeover replays only its tail. */
	spec.rss_flags = config.standby ? RSS_REPLICA : 0;
	svc = add_service(&spec);
	if (!svc)
		return -ENOMEM;
	svc->slot = MXSYS_DS_SLOT;
	svc->core = true;
	r = start_fresh(svc);
	if (r < 0) {
		discard_service(svc);
		return r;
	}
	if (svc->active.endpoint != DS_PROC_NR)
		rs_warn("ds got endpoint %d, not %d: services will not find it",
		       svc->active.endpoint, DS_PROC_NR);
	return 0;
}

/*
 * A changed boot entry of a service already in the table: what it runs
 * and may do is taken at its next start (restart, refresh), not now.
 */
static void take_boot_entry(struct service *svc, const struct rs_config *cfg)
{
	if (!svc->boot_entry) {
		rs_warn("boot service %s: label in use, skipped",
		       cfg->progname);
		return;
	}
	if (strcmp(svc->binary, cfg->binary) == 0 &&
	    strcmp(svc->args, cfg->args) == 0 &&
	    strcmp(svc->script, cfg->script) == 0 &&
	    memcmp(&svc->config, cfg, sizeof(*cfg)) == 0)
		return;
	snprintf(svc->binary, sizeof(svc->binary), "%s", cfg->binary);
	snprintf(svc->args, sizeof(svc->args), "%s", cfg->args);
	snprintf(svc->script, sizeof(svc->script), "%s", cfg->script);
	svc->config = *cfg;
	rs_info("boot service %s: changed entry taken at its next start",
	       cfg->progname);
}

/*
 * The `boot` entries of system.conf, in file order: once ds runs, and
 * again on reload (SIGHUP), when new ones start, changed ones are taken
 * at their next start and removed ones are left running.
 */
static void start_boot_services(void)
{
	static struct rs_config cfgs[BOOT_SERVICES_MAX];
	char err[RS_CONFIG_ERRLEN];
	int n;

	rs.boot_services_started = true;
	n = rs_config_boot_services(settings.config_path, cfgs, BOOT_SERVICES_MAX,
				    err);
	if (n < 0) {
		rs_warn("%s", err);
		return;
	}
	for (int i = 0; i < n; i++) {
		struct rs_config *cfg = &cfgs[i];
		const struct service_spec spec = {
			.label = cfg->progname, .progname = cfg->progname,
			.binary = cfg->binary, .args = cfg->args,
			.script = cfg->script, .config = cfg,
			.period_ms = cfg->period_ms,
			.rss_flags = cfg->standby ? RSS_REPLICA : 0,
		};
		struct service *svc;
		int r;

		rs_config_resolve_self(cfg, 0);
		svc = service_by_label(cfg->progname);
		if (svc) {
			take_boot_entry(svc, cfg);
			continue;
		}
		r = manager_up(&spec, CALLER_NOBODY);
		if (r < 0) {
			rs_info("boot service %s: %s", cfg->progname,
			       sef_strerror(r));
			continue;
		}
		svc = service_by_label(cfg->progname);
		svc->boot_init_pending = true;
		svc->boot_entry = true;
	}
	for (unsigned int i = 0; i < service_count(); i++) {
		struct service *svc = service_at(i);
		bool listed = false;

		for (int j = 0; j < n && !listed; j++)
			listed = strcmp(svc->label, cfgs[j].progname) == 0;
		if (svc->boot_entry && !listed) {
			svc->boot_entry = false;
			rs_info("%s: no longer a boot entry of %s; left running",
			       svc->label, settings.config_path);
		}
	}
}

void manager_reload(void)
{
	if (!rs.booted || rs.shutting_down) {
		rs_info("reload: nothing to do before boot or during shutdown");
		return;
	}
	rs_notice("reloading %s", settings.config_path);
	start_boot_services();
}

bool manager_booted(void)
{
	return rs.booted;
}

bool manager_boot_done(void)
{
	if (!rs.booted)
		return false;
	for (unsigned int i = 0; i < service_count(); i++)
		if (service_at(i)->boot_init_pending)
			return false;
	return true;
}

int manager_up(const struct service_spec *spec, struct caller caller)
{
	struct service *svc = add_service(spec);
	int r;

	if (!svc)
		return -ENOMEM;
	r = start_fresh(svc);
	if (r < 0) {
		discard_service(svc);
		return r;
	}
	svc->caller = caller;
	return OK;
}

void manager_down(struct service *svc, struct caller caller)
{
	svc->caller = caller;
	stop(svc, OK);
}

int manager_refresh(struct service *svc, struct caller caller)
{
	if (svc->state != SERVICE_RUNNING)
		return -EBUSY;
	/* Not exiting for good: the death restarts it. */
	enter_stopping(svc, AFTER_DEATH_REFRESH, OK, true);
	svc->caller = caller;
	return OK;
}

int manager_restart(struct service *svc)
{
	if (svc->state != SERVICE_TERMINATED)
		return -EBUSY;
	restart_service(svc);
	return OK;
}

int manager_clone(struct service *svc)
{
	int r;

	if (svc->rss_flags & RSS_REPLICA)
		return -EEXIST;
	svc->rss_flags |= RSS_REPLICA;
	if (svc->state != SERVICE_RUNNING)
		return OK;	/* made when it runs again */
	r = launch_process(svc, svc->binary, svc->args, MXSYS_RST_SYS_PROC,
			   MXSYS_SLOT_DYNAMIC, &svc->replica);
	if (r < 0) {
		svc->rss_flags &= ~RSS_REPLICA;
		return r;
	}
	return OK;
}

int manager_unclone(struct service *svc)
{
	if (!(svc->rss_flags & RSS_REPLICA))
		return -ENOENT;
	svc->rss_flags &= ~RSS_REPLICA;
	/* While starting, the replica slot holds the old process: keep it. */
	if (svc->state != SERVICE_STARTING)
		instance_destroy(&svc->replica);
	return OK;
}

int manager_edit(struct service *svc, const struct service_edit *edit)
{
	struct mxsys_priv priv;
	int r;

	launch_privileges(svc, edit->config, 0, &priv);
	r = instance_set_privileges(&svc->active, &priv);
	if (r < 0) {
		rs_err("%s (ep %d): cannot update its privileges: %s",
		       svc->label, svc->active.endpoint, sef_strerror(r));
		return r;
	}
	svc->config = *edit->config;
	if (edit->binary) {
		strncpy(svc->binary, edit->binary, sizeof(svc->binary) - 1);
		strncpy(svc->args, edit->args, sizeof(svc->args) - 1);
	}
	if (edit->script[0] != '\0')
		strncpy(svc->script, edit->script, sizeof(svc->script) - 1);
	if (edit->period_set)
		heartbeat_set_period(&svc->heartbeat, edit->period_ms,
				     now_ms());
	svc->rss_flags = (svc->rss_flags & RSS_REPLICA) |
			 (edit->rss_flags & ~RSS_REPLICA);
	if (edit->binary)
		renew_copy(svc);
	if ((edit->rss_flags & RSS_REPLICA) && !(svc->rss_flags & RSS_REPLICA))
		return manager_clone(svc);
	replace_replica(svc);
	return OK;
}

int manager_update(struct service *svc, const struct rs_request *rq,
		   struct caller caller)
{
	struct update_outcome out;
	int r = update_request(svc, rq, caller, &out);

	follow_update(&out);
	return r;
}

int manager_update_sysctl(uint32_t subtype, struct caller caller)
{
	struct update_outcome out;
	int r = update_sysctl(subtype, caller, &out);

	follow_update(&out);
	return r;
}

void manager_init_ready(endpoint_t endpoint, int result, unsigned int policy)
{
	struct service *svc = service_by_endpoint(endpoint);
	struct update_outcome out;
	int r;

	if (svc && svc->state == SERVICE_UPDATING) {
		update_init_ready(svc, result, &out);
		follow_update(&out);
		return;
	}
	if (svc && svc->state == SERVICE_RUNNING &&
	    svc->init_answer_owed == svc->active.process.pid &&
	    svc->init_answer_owed > 0) {
		/* Its update committed before this answer came (update.c). */
		rs_info("%s (ep %d): init answer after its update committed: %s",
			svc->label, endpoint, sef_strerror(result));
		svc->init_answer_owed = 0;
		message_reply(endpoint, result);
		return;
	}
	if (!svc || svc->state != SERVICE_STARTING) {
		rs_warn("unexpected RS_INIT from %d", endpoint);
		message_reply(endpoint, -EINVAL);
		return;
	}
	/*
	 * Every init answer is answered, also the ones RS refuses: the
	 * module keeps the endpoint's turn to send RS a SENDREC until RS
	 * answers the last one (even to a process it killed), so an
	 * unanswered one would hold back the next process's init.
	 */
	if (result == -ERESTART && svc->init_type == SEF_INIT_RESTART) {
		/* Reset policy: give up the endpoint once this one is dead. */
		rs_warn("%s (ep %d): restart refused (reset policy): starting afresh",
		       svc->label, endpoint);
		message_reply(endpoint, result);
		svc->policy = RS_POLICY_RESET;
		enter_stopping(svc, AFTER_DEATH_RESET, OK, false);
		return;
	}
	if (result != OK) {
		/* MINIX takes a failed init as final; -b tries again. */
		bool retry = svc->rss_flags & RSS_NO_BIN_EXP;

		rs_warn("%s (ep %d): init failed: %s; %s", svc->label, endpoint,
		       sef_strerror(result),
		       retry ? "retrying" : "not restarting");
		message_reply(endpoint, result);
		enter_stopping(svc, retry ? AFTER_DEATH_RETRY_INIT :
				      AFTER_DEATH_EXIT, -EDEADEPT, false);
		return;
	}
	r = message_reply(endpoint, OK);
	if (r < 0) {
		/* It is not in its sendrec: it died or misbehaves. */
		rs_err("%s (ep %d): cannot answer its init: %s", svc->label,
		       endpoint, sef_strerror(r));
		enter_stopping(svc, AFTER_DEATH_EXIT, -EDEADEPT, false);
		return;
	}
	enter_running(svc, policy);
	if (svc->core && !rs.booted) {
		rs.booted = true;
		if (!rs.boot_services_started)
			start_boot_services();
	} else if (svc->core) {
		republish_labels();
	}
}

void manager_prepare_ready(endpoint_t endpoint, int state, int result)
{
	struct update_outcome out;

	update_prepare_ready(endpoint, state, result, &out);
	follow_update(&out);
}

void manager_alive(endpoint_t endpoint, rs_time_t when)
{
	struct service *svc = service_by_endpoint(endpoint);

	/* Any notify is a heartbeat, not only the answer to a ping. */
	if (svc && svc->state == SERVICE_RUNNING) {
		if (when > svc->heartbeat.alive_tm)
			svc->heartbeat.alive_tm = when;
	} else {
		rs_debug("notify from %d ignored", endpoint);
	}
}

/*
 * A death RS knows nothing of: a service started by an earlier RS that
 * died. Free its dynamic slot so that it can be reused; static slots keep
 * their well-known endpoints and are taken over when RS starts them.
 */
static void forget_orphan(endpoint_t endpoint, pid_t pid)
{
	int r;

	if (_ENDPOINT_P(endpoint) < MXSYS_NR_STATIC_SLOTS) {
		rs_warn("death of endpoint %d (pid %d), not started by this RS",
		       endpoint, pid);
		return;
	}
	r = instance_clear(&(struct instance){ .endpoint = endpoint });
	if (r < 0)
		rs_err("death of unknown endpoint %d (pid %d): cannot free its slot: %s",
		       endpoint, pid, sef_strerror(r));
	else
		rs_warn("death of unknown endpoint %d (pid %d): slot freed",
		       endpoint, pid);
}

void manager_death(endpoint_t endpoint, int wait_status, pid_t pid)
{
	struct instance *inst;
	struct service *svc = service_by_instance_endpoint(endpoint, &inst);

	if (!svc) {
		forget_orphan(endpoint, pid);
		return;
	}
	if (inst != &svc->active) {
		other_instance_died(svc, inst, wait_status, pid);
		return;
	}
	if (pid > 0 && inst->process.pid > 0 && pid != inst->process.pid) {
		rs_debug("%s: stale death of pid %d ignored", svc->label, pid);
		return;
	}
	active_died(svc, wait_status);
}

/* Signals that end a process when they reach it (MINIX's termination set). */
static bool is_lethal(int sig)
{
	switch (sig) {
	case SIGKILL: case SIGPIPE: case SIGILL: case SIGBUS: case SIGFPE:
	case SIGSEGV: case SIGABRT: case SIGSYS: case SIGTRAP:
		return true;
	default:
		return false;
	}
}

void manager_signals(endpoint_t endpoint, uint64_t sigset)
{
	struct service *svc = service_by_endpoint(endpoint);
	bool lethal = false;
	int r;

	if (!svc || svc->active.process.pid <= 0 ||
	    svc->state == SERVICE_STOPPING ||
	    svc->state == SERVICE_TERMINATED) {
		/* A replica, a dying process, or nobody RS knows. */
		rs_debug("signals %#llx for %d dropped",
			 (unsigned long long)sigset, endpoint);
		goto end;
	}
	for (int sig = 1; sig <= 64; sig++) {
		if (!(sigset & (1ULL << (sig - 1))))
			continue;
		if (is_lethal(sig))
			lethal = true;
		else if (svc->state == SERVICE_STARTING ||
			 svc->state == SERVICE_UPDATING)
			svc->held_signals |= 1ULL << (sig - 1);
		else
			forward_signal(svc, sig);
	}
	if (lethal) {
		/*
		 * A termination: the process stays frozen and its death
		 * follows (sys_exit), or RS kills it when the grace ends. Not
		 * forwarded: the message would outlive the process.
		 */
		rs_warn("%s (ep %d): termination signal (set %#llx)", svc->label,
		       endpoint, (unsigned long long)sigset);
		if (svc->active.process.killed)
			return;
		if (svc->state == SERVICE_RUNNING)
			svc->deadline = in_ms(RS_EXIT_GRACE_MS);
		else
			instance_kill(&svc->active);
		return;
	}
end:
	r = sys_endksig(endpoint);
	if (r < 0)
		rs_debug("endksig %d: %s", endpoint, sef_strerror(r));
}

void manager_reaped(pid_t pid)
{
	struct instance *inst;
	struct service *svc = service_by_instance_pid(pid, &inst);
	rs_time_t fallback;

	if (!svc)
		return;
	inst->process.reaped = true;
	if (inst != &svc->active || (svc->state != SERVICE_STARTING &&
				     svc->state != SERVICE_STOPPING))
		return;
	/*
	 * A child that died before binding its slot is never reported by
	 * the module; do not wait the whole init or kill timeout for it.
	 */
	fallback = in_ms(RS_UNBOUND_DEATH_MS);
	if (fallback < svc->deadline)
		svc->deadline = fallback;
}

/* MINIX's free pass: a slow init elsewhere must not cost a heartbeat. */
static bool another_initialising(const struct service *self)
{
	struct service *svc;

	for (unsigned int i = 0; (svc = service_at(i)); i++)
		if (svc != self && svc->state == SERVICE_STARTING)
			return true;
	return false;
}

static void heartbeat_tick(struct service *svc, rs_time_t now)
{
	int r;

	switch (heartbeat_decide(&svc->heartbeat, now)) {
	case HEARTBEAT_NONE:
		break;
	case HEARTBEAT_PING:
		svc->heartbeat.check_tm = now;
		r = message_ping(svc->active.endpoint);
		if (r < 0)
			rs_warn("%s (ep %d): ping failed: %s", svc->label,
			       svc->active.endpoint, sef_strerror(r));
		break;
	case HEARTBEAT_KILL:
		if (another_initialising(svc)) {
			heartbeat_reset(&svc->heartbeat, now);
			break;
		}
		rs_warn("%s (ep %d, pid %d): no heartbeat for %llu ms, killing",
		       svc->label, svc->active.endpoint,
		       svc->active.process.pid,
		       (unsigned long long)(now - svc->heartbeat.alive_tm));
		svc->no_ping_reply = true;
		instance_kill(&svc->active);
		svc->deadline = in_ms(RS_KILL_WAIT_MS);
		break;
	}
}

static void running_tick(struct service *svc, rs_time_t now)
{
	if (svc->deadline == RS_TIME_NEVER) {
		heartbeat_tick(svc, now);
		return;
	}
	if (now < svc->deadline)
		return;
	if (!svc->active.process.killed) {
		/* A termination signal's grace is over. */
		rs_warn("%s (ep %d): still there after a termination signal, killing",
		       svc->label, svc->active.endpoint);
		instance_kill(&svc->active);
		svc->deadline = in_ms(RS_KILL_WAIT_MS);
		return;
	}
	rs_warn("%s (ep %d): its death was never reported; assuming it",
	       svc->label, svc->active.endpoint);
	svc->deadline = RS_TIME_NEVER;
	active_died(svc, SIGKILL);
}

static void service_tick(struct service *svc, rs_time_t now)
{
	switch (svc->state) {
	case SERVICE_RUNNING:
		running_tick(svc, now);
		return;
	case SERVICE_STARTING:
		if (now < svc->deadline)
			return;
		if (svc->active.process.reaped) {
			rs_info("%s (ep %d): exited before binding its slot",
			       svc->label, svc->active.endpoint);
			instance_process_died(&svc->active);
			forget(svc, -EDEADEPT);
			return;
		}
		rs_warn("%s (ep %d): init timed out, killing", svc->label,
		       svc->active.endpoint);
		svc->no_ping_reply = true;
		enter_stopping(svc, AFTER_DEATH_EXIT, -EDEADEPT, false);
		return;
	case SERVICE_STOPPING:
		if (now < svc->deadline)
			return;
		if (!svc->active.process.killed &&
		    !svc->active.process.reaped) {
			rs_warn("%s (ep %d) did not stop, killing", svc->label,
			       svc->active.endpoint);
			instance_kill(&svc->active);
			svc->deadline = in_ms(RS_KILL_WAIT_MS);
			return;
		}
		rs_warn("%s (ep %d): its death was never reported; forgetting it",
		       svc->label, svc->active.endpoint);
		instance_process_died(&svc->active);
		follow_death(svc, svc->death_status);
		return;
	case SERVICE_RESTART_WAIT:
		if (now < svc->deadline)
			return;
		if (rs.shutting_down) {
			forget(svc, OK);
			return;
		}
		restart_service(svc);
		return;
	case SERVICE_TERMINATED:
	case SERVICE_UPDATING:
		return;
	}
}

void manager_timeout(rs_time_t now)
{
	struct update_outcome out;
	unsigned int i = 0;
	struct service *svc;

	update_timeout(now, &out);
	follow_update(&out);
	while ((svc = service_at(i))) {
		service_tick(svc, now);
		/* A service that finished was removed: the next moved here. */
		if (service_at(i) == svc)
			i++;
	}
}

static rs_time_t service_deadline(const struct service *svc)
{
	if (svc->state == SERVICE_RUNNING && svc->deadline == RS_TIME_NEVER)
		return heartbeat_deadline(&svc->heartbeat);
	if (svc->state == SERVICE_UPDATING || svc->state == SERVICE_TERMINATED)
		return RS_TIME_NEVER;
	return svc->deadline;
}

rs_time_t manager_next_deadline(void)
{
	rs_time_t next = update_next_deadline();
	struct service *svc;

	for (unsigned int i = 0; (svc = service_at(i)); i++) {
		rs_time_t deadline = service_deadline(svc);

		if (deadline < next)
			next = deadline;
	}
	return next;
}

void manager_shutdown(int exit_code)
{
	if (exit_code > rs.exit_code)
		rs.exit_code = exit_code;
	if (rs.shutting_down)
		return;
	rs.shutting_down = true;
	abort_update(-EINTR);
	rs_notice("shutting down %u service(s)", service_count());
}

bool manager_shutting_down(void)
{
	return rs.shutting_down;
}

/* True when another remaining service's ipc list names svc's program. */
static bool has_dependents(const struct service *svc)
{
	struct service *other;

	for (unsigned int i = 0; (other = service_at(i)); i++) {
		if (other == svc || other->config.ipc_kind != RS_IPC_LIST)
			continue;
		for (unsigned int j = 0; j < other->config.nr_ipc; j++)
			if (strncmp(other->config.ipc[j], svc->progname,
				    RS_MAX_LABEL_LEN) == 0)
				return true;
	}
	return false;
}

/*
 * The next service to stop: the newest one nothing else depends on
 * (reverse dependency order); the newest one when dependencies form a
 * cycle. Core services (ds) go last.
 */
static struct service *next_to_stop(void)
{
	unsigned int n = service_count();
	struct service *fallback = NULL;

	for (unsigned int i = n; i-- > 0;) {
		struct service *svc = service_at(i);

		if (svc->core)
			continue;
		if (!has_dependents(svc))
			return svc;
		if (!fallback)
			fallback = svc;
	}
	return fallback ? fallback : service_at(n - 1);
}

/* Stop one service at a time; the next goes once it is gone. */
static void shutdown_step(void)
{
	unsigned int n;

	while ((n = service_count()) > 0) {
		struct service *svc = next_to_stop();

		if (svc->state == SERVICE_STOPPING)
			return;
		for (unsigned int i = 0; i < n; i++)
			if (service_at(i)->state == SERVICE_STOPPING)
				return;
		stop(svc, OK);
		if (service_count() == n)
			return;
	}
}

bool manager_finished(int *exit_code)
{
	if (!rs.shutting_down)
		return false;
	shutdown_step();
	if (service_count() > 0)
		return false;
	*exit_code = rs.exit_code;
	return true;
}

/* ---- RS's state across RS's own death (snapshot.c stores it) ---- */

/* Tag of the image's layout: a build with other structs refuses it. */
uint32_t manager_state_layout(void)
{
	return (uint32_t)(sizeof(struct service) * 131u + sizeof(rs) * 7u +
			  sizeof(struct rs_reply) + RS_MAX_COMMAND_LEN);
}

void manager_save(struct image *img)
{
	image_put(img, &rs, sizeof(rs));
	service_save(img);
	update_save(img);
	caller_save(img);
}

int manager_restore(const void *data, size_t len)
{
	struct image_reader rd;

	image_reader_init(&rd, data, len);
	image_get(&rd, &rs, sizeof(rs));
	rs.last_reason[sizeof(rs.last_reason) - 1] = '\0';
	service_restore(&rd);
	update_restore(&rd);
	caller_restore(&rd);
	if (rd.failed || rd.pos != rd.len) {
		memset(&rs, 0, sizeof(rs));
		service_restore(&(struct image_reader){ .failed = true });
		update_restore(&(struct image_reader){ .failed = true });
		caller_restore(&(struct image_reader){ .failed = true });
		return -EINVAL;
	}
	return 0;
}

void manager_takeover_count(unsigned int *count, rs_time_t *last,
			    const char **why)
{
	*count = rs.takeovers;
	*last = rs.last_takeover;
	*why = rs.last_reason;
}

static const struct slot_view *slot_of(const struct slot_view *slots,
				       unsigned int n, endpoint_t ep)
{
	for (unsigned int i = 0; i < n; i++)
		if (slots[i].endpoint == ep)
			return &slots[i];
	return NULL;
}

static bool slot_known(endpoint_t ep)
{
	struct instance *inst;

	return service_by_instance_endpoint(ep, &inst) != NULL;
}

/*
 * The old RS swapped two instances of svc (a restart, an update, a
 * rollback) and died before the swap was committed: the module's table
 * says so. Take the swap into the records, so that they describe the
 * processes where they are.
 */
static bool adopt_swap(struct service *svc, struct instance *other,
		       const struct slot_view *slots, unsigned int n)
{
	const struct slot_view *a = slot_of(slots, n, svc->active.endpoint);
	const struct process moved = svc->active.process;

	if (other->endpoint == NONE || !a || a->state == MXSYS_SLOT_STATE_DEAD ||
	    other->process.pid <= 0 || a->pid != other->process.pid)
		return false;
	svc->active.process = other->process;
	other->process = moved;
	rs_notice("%s: the previous RS swapped ep %d and ep %d before it died: taken over",
	       svc->label, svc->active.endpoint, other->endpoint);
	return true;
}

/* Deaths the old RS pulled and never handled, to handle now. */
struct lost_death {
	endpoint_t endpoint;
	int status;
	pid_t pid;
};

/*
 * inst's process was just killed. The module reports the death of a
 * bound process only: one killed before it opened /dev/mxsys (its slot
 * still PREPARED) would never be heard of, and the service would wait for
 * it for ever. Its death goes to *lost, to be handled now.
 */
static bool death_unreported(const struct slot_view *v,
			     const struct instance *inst,
			     struct lost_death *lost)
{
	if (v->state != MXSYS_SLOT_STATE_PREPARED)
		return false;
	*lost = (struct lost_death){ inst->endpoint, SIGKILL,
				     inst->process.pid };
	return true;
}

/* Check one instance against the table; a lost death goes to *lost. */
static bool check_instance(struct service *svc, struct instance *inst,
			   const struct slot_view *slots, unsigned int n,
			   bool kill_active, struct lost_death *lost)
{
	const struct slot_view *v;

	if (inst->endpoint == NONE)
		return false;
	v = slot_of(slots, n, inst->endpoint);
	if (!v) {
		/* Cleared by the old RS before it died: nothing behind it. */
		rs_warn("%s: slot of ep %d is gone", svc->label, inst->endpoint);
		if (inst != &svc->active) {
			*inst = INSTANCE_NONE;
			return false;
		}
		if (!instance_has_process(inst))
			return false;
		*lost = (struct lost_death){ inst->endpoint, SIGKILL,
					     inst->process.pid };
		return true;
	}
	if (v->state == MXSYS_SLOT_STATE_DEAD) {
		if (v->death_pending || inst->process.pid <= 0)
			return false;	/* GETKSIG will say, or it was handled */
		rs_warn("%s (ep %d): its death was taken by the previous RS, never handled",
		       svc->label, inst->endpoint);
		*lost = (struct lost_death){ inst->endpoint, v->exit_status,
					     inst->process.pid };
		return true;
	}
	if (v->pid > 0 && v->pid != inst->process.pid) {
		/* Started by the old RS after its last commit: not ours. */
		rs_warn("%s (ep %d): pid %d is not the process RS knows (%d): killed",
		       svc->label, inst->endpoint, v->pid, inst->process.pid);
		inst->process = (struct process){ .pid = v->pid };
		instance_kill(inst);
		return death_unreported(v, inst, lost);
	}
	if (kill_active && inst == &svc->active && v->pid > 0) {
		rs_warn("%s (ep %d): swapped in, never initialised by the previous RS: killed",
		       svc->label, inst->endpoint);
		instance_kill(inst);
		return death_unreported(v, inst, lost);
	}
	return false;
}

bool manager_slot_is_own(const struct slot_view *slot)
{
	/* A swap moves the name with the process: the old RS's is "rs". */
	return strcmp(slot->name, RS_STANDBY_NAME) == 0 ||
	       strcmp(slot->name, "rs") == 0;
}

/* Slots that the old RS prepared and died before it committed. */
static void free_unknown_slots(const struct slot_view *slots, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct slot_view *v = &slots[i];
		struct instance stray = { .endpoint = v->endpoint };
		bool bound;

		if (_ENDPOINT_P(v->endpoint) < MXSYS_NR_STATIC_SLOTS ||
		    v->state == MXSYS_SLOT_STATE_FREE || slot_known(v->endpoint) ||
		    manager_slot_is_own(v))
			continue;
		bound = v->state == MXSYS_SLOT_STATE_BOUND;
		rs_warn("slot of ep %d (%s, pid %d) unknown to RS's state: %s",
		       v->endpoint, v->name, v->pid,
		       v->pid <= 0 ? "freed" :
		       bound ? "killed, freed once dead" : "killed and freed");
		if (v->pid > 0) {
			stray.process.pid = v->pid;
			instance_kill(&stray);
		}
		/*
		 * A bound process's death comes from the module, and frees
		 * the slot then; a process that never bound has none to come
		 * (and once the slot is free it cannot bind).
		 */
		if (!bound)
			(void)instance_clear(&stray);
	}
}

int manager_resume(const struct slot_view *slots, unsigned int n,
		   const char *why)
{
	struct lost_death lost[MXSYS_MAX_SLOTS];
	struct update_outcome out;
	unsigned int nr_lost = 0;
	struct service *svc;

	rs.takeovers++;
	rs.last_takeover = now_ms();
	snprintf(rs.last_reason, sizeof(rs.last_reason), "%s", why);
	for (unsigned int i = 0; (svc = service_at(i)); i++) {
		bool swapped = adopt_swap(svc, &svc->replica, slots, n);
		const struct slot_view *active;

		/* An update's swap: the update may go on from it. */
		if (!swapped && adopt_swap(svc, &svc->update, slots, n)) {
			active = slot_of(slots, n, svc->active.endpoint);
			swapped = !update_swap_found(svc, active->allowed);
		}
		/*
		 * A swapped-in process the records did not expect was never
		 * told to init by a committed state: its death restarts it.
		 */
		bool kill_active = swapped && svc->state != SERVICE_STARTING;
		struct instance *insts[] = { &svc->active, &svc->replica,
					     &svc->update };

		for (unsigned int j = 0; j < 3; j++)
			if (nr_lost < MXSYS_MAX_SLOTS &&
			    check_instance(svc, insts[j], slots, n, kill_active,
					   &lost[nr_lost]))
				nr_lost++;
		/*
		 * Nobody pinged while no RS ran, and the answers wait in RS's
		 * queue: count the heartbeat from now, not from before.
		 */
		if (svc->state == SERVICE_RUNNING && svc->heartbeat.period_ms)
			heartbeat_reset(&svc->heartbeat, rs.last_takeover);
		/* Signals the old RS pulled and never ended: unfreeze. */
		if (svc->active.endpoint != NONE && svc->active.process.pid > 0)
			(void)sys_endksig(svc->active.endpoint);
	}
	free_unknown_slots(slots, n);
	update_resume(&out);
	follow_update(&out);
	for (unsigned int i = 0; i < nr_lost; i++)
		manager_death(lost[i].endpoint, lost[i].status, lost[i].pid);
	return (int)nr_lost;
}
