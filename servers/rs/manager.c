// SPDX-License-Identifier: MIT
/*
 * The service life cycle (MINIX RS's manager.c and the init/period parts
 * of request.c, reshaped as an explicit state machine).
 *
 *            start_fresh()           RS_INIT OK
 *   (new) ------------------> STARTING ----------> RUNNING <-----------+
 *                               |  init failed,        |  died         |
 *                               |  timeout, died       v               |
 *                               |                  crashed():          |
 *                               |     script? --> TERMINATED --restart-+
 *                               |     backoff? -> RESTART_WAIT --------+
 *                               |     else restart_service() ----------+
 *                               v                (replica swapped in,
 *          down/shutdown --> STOPPING             RS_INIT(RESTART))
 *                               | died (or gave up)
 *                               v
 *                         finish_exit(): clear slot, drop label,
 *                         late reply, forget
 *
 * A restart returning ERESTART (reset policy) sets `reincarnate`: the
 * instance is killed, the label unpublished (ds purges the service's
 * data) and a fresh instance starts on a new endpoint. A live update
 * (update.c) owns a service in UPDATING and hands it back RUNNING.
 *
 * RS never blocks on IPC here: requests to services go by senda, replies
 * to a service blocked in sendrec by sendnb, pings by notify.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <minix/ds.h>
#include <minix/sef.h>
#include <minix/syslib.h>

#include "instance.h"
#include "log.h"
#include "manager.h"
#include "request.h"
#include "script.h"
#include "timer.h"
#include "update.h"

/* More than the module's default table has slots. */
#define BOOT_SERVICES_MAX	64

static struct {
	bool booted;		/* ds initialised once */
	bool boot_services_started;
	bool shutting_down;
	int exit_code;
	rs_time_t backoff_period_ms;
	const char *config_path;	/* boot services */
} rs = {
	.backoff_period_ms = RS_BACKOFF_PERIOD_MS,
	.config_path = RS_SYSTEM_CONF,
};

static void set_deadline_in(struct service *svc, rs_time_t delay_ms)
{
	svc->deadline = now_ms() + delay_ms;
}

void manager_kill(struct service *svc)
{
	process_kill(svc->pid, svc->reaped, &svc->killed);
}

/* The service must go; once its death is reported it is forgotten. */
static void stop_now(struct service *svc, int result)
{
	svc->stop_result = result;
	svc->state = SERVICE_STOPPING;
	manager_kill(svc);
	set_deadline_in(svc, RS_KILL_WAIT_MS);
}

static void send_label_message(struct service *svc, int type, int flags)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_ds.flags = (uint32_t)flags;
	m.m_ds.val_u32 = (uint32_t)svc->endpoint;
	m.m_ds.owner = RS_PROC_NR;
	strncpy(m.m_ds.key, svc->label, sizeof(m.m_ds.key) - 1);
	r = asynsend3(DS_PROC_NR, &m, AMF_NOREPLY);
	if (r < 0)
		rs_log("%s: cannot %s its label in ds: %s", svc->label,
		       type == DS_PUBLISH ? "publish" : "delete",
		       sef_strerror(r));
}

static void publish_label(struct service *svc)
{
	send_label_message(svc, DS_PUBLISH, DSF_TYPE_LABEL | DSF_OVERWRITE);
}

/* ds deletes the label's data and subscriptions with it. */
static void unpublish_label(struct service *svc)
{
	send_label_message(svc, DS_DELETE, DSF_TYPE_LABEL);
}

/* After ds restarted with an empty store, tell it every label again. */
static void republish_labels(void)
{
	struct service *svc;

	for (unsigned int i = 0; (svc = service_at(i)); i++)
		if (!svc->core && svc->endpoint != NONE &&
		    svc->state != SERVICE_STOPPING)
			publish_label(svc);
}

static void clear_slot(struct service *svc)
{
	int r;

	if (svc->endpoint == NONE)
		return;
	r = sys_clear(svc->endpoint);
	if (r < 0)
		rs_log("%s (ep %d): cannot clear its slot: %s", svc->label,
		       svc->endpoint, sef_strerror(r));
}

/* The service is gone for good: free its slots, answer, forget it. */
static void finish_exit(struct service *svc)
{
	bool core_lost = svc->core && !rs.shutting_down;

	update_service_gone(svc);
	clear_slot(svc);
	instance_destroy(&svc->replica);
	instance_destroy(&svc->update);
	if (!svc->core && svc->endpoint != NONE)
		unpublish_label(svc);
	request_late_reply(svc, svc->stop_result);
	rs_log("%s (ep %d) is down", svc->label, svc->endpoint);
	service_remove(svc);
	if (core_lost) {
		/* As MINIX: RS cannot go on without a core service. */
		rs_log("core service gone: shutting down");
		manager_shutdown(1);
	}
}

int manager_reply_to(endpoint_t endpoint, int result)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = result;
	return ipc_sendnb(endpoint, &m);
}

int manager_send_init(struct service *svc, int type, uint32_t flags,
		      endpoint_t old_endpoint, int prepare_state)
{
	message m;
	int r;

	r = sys_privctl(svc->endpoint, MXSYS_PRIV_ALLOW);
	if (r < 0) {
		rs_log("%s (ep %d): cannot allow it to run: %s", svc->label,
		       svc->endpoint, sef_strerror(r));
		return r;
	}
	memset(&m, 0, sizeof(m));
	m.m_type = RS_INIT;
	m.m_rs_init.type = type;
	m.m_rs_init.flags = flags;
	if (svc->script[0] != '\0')
		m.m_rs_init.flags |= SEF_INIT_SCRIPT_RESTART;
	m.m_rs_init.restarts = (int32_t)svc->restarts + 1;
	m.m_rs_init.old_endpoint = old_endpoint;
	m.m_rs_init.prepare_state = prepare_state;
	r = asynsend3(svc->endpoint, &m, AMF_NOREPLY);
	if (r < 0)
		rs_log("%s (ep %d): cannot send RS_INIT: %s", svc->label,
		       svc->endpoint, sef_strerror(r));
	return r;
}

/*
 * The service's endpoint has a process that is not yet allowed to run:
 * let it run and initialise. Failures are handled by killing it.
 */
static void begin_init(struct service *svc, int type, endpoint_t old_ep)
{
	svc->reaped = false;
	svc->killed = false;
	svc->no_ping_reply = false;
	svc->init_type = type;
	svc->state = SERVICE_STARTING;
	set_deadline_in(svc, RS_INIT_TIMEOUT_MS);

	/* Before RS_INIT, so ds knows the service when its init asks. */
	if (!svc->core)
		publish_label(svc);
	if (manager_send_init(svc, type, 0, old_ep, SEF_LU_STATE_NULL) < 0) {
		stop_now(svc, -EDEADEPT);
		return;
	}
	rs_log("%s (ep %d, pid %d) %s, initialising", svc->label,
	       svc->endpoint, svc->pid,
	       type == SEF_INIT_RESTART ? "restarted" : "started");
}

/*
 * Fork and exec the service into a new slot (its static one, or a
 * dynamic one) and initialise it. Returns a negative error if no process
 * runs; nothing is left behind then.
 */
static int start_fresh(struct service *svc)
{
	endpoint_t ep = NONE;
	pid_t pid;
	int r;

	r = instance_spawn(svc, svc->binary, svc->args, 0, svc->slot, &ep,
			   &pid);
	if (r < 0)
		return r;
	svc->endpoint = ep;
	svc->pid = pid;
	begin_init(svc, SEF_INIT_FRESH, NONE);
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

	svc->refreshing = false;
	/* A refresh answers as the restart begins (MINIX). */
	request_late_reply(svc, OK);
	/*
	 * A standby that is gone cannot take over; one reaped but never
	 * reported died before it bound its slot (the module cannot tell).
	 */
	if (svc->replica.endpoint == NONE || svc->replica.pid == 0 ||
	    svc->replica.reaped) {
		instance_destroy(&svc->replica);
		r = instance_create(svc, svc->binary, svc->args,
				    MXSYS_RST_SYS_PROC, &svc->replica);
		if (r < 0)
			goto fail;
	}
	r = instance_swap(svc, &svc->replica);
	if (r < 0) {
		instance_destroy(&svc->replica);
		goto fail;
	}
	/*
	 * A termination signal left the endpoint frozen for RS: the new
	 * process must not inherit that (-EINVAL when it was not frozen).
	 */
	(void)sys_endksig(svc->endpoint);
	/* svc->replica now holds the dead process until the init is done. */
	begin_init(svc, SEF_INIT_RESTART, svc->replica.endpoint);
	return;
fail:
	rs_log("%s (ep %d): restart failed: %s; giving up", svc->label,
	       svc->endpoint, sef_strerror(r));
	svc->stop_result = -EDEADEPT;
	finish_exit(svc);
}

/* Reset policy: the endpoint is given up and the service starts afresh. */
static void reincarnate_service(struct service *svc)
{
	int r;

	svc->reincarnate = false;
	instance_destroy(&svc->replica);
	clear_slot(svc);
	unpublish_label(svc);
	rs_log("%s (ep %d): reset: starting a fresh instance", svc->label,
	       svc->endpoint);
	svc->endpoint = NONE;
	svc->pid = 0;
	svc->restarts++;
	r = start_fresh(svc);
	if (r < 0) {
		rs_log("%s: reset failed: %s; giving up", svc->label,
		       sef_strerror(r));
		svc->stop_result = -EDEADEPT;
		finish_exit(svc);
	}
}

static void start_replica_if_wanted(struct service *svc)
{
	int r;

	if (!(svc->rss_flags & RSS_REPLICA) || svc->replica.endpoint != NONE ||
	    rs.shutting_down)
		return;
	r = instance_create(svc, svc->binary, svc->args, MXSYS_RST_SYS_PROC,
			    &svc->replica);
	if (r < 0)
		rs_log("%s: cannot start a standby replica: %s", svc->label,
		       sef_strerror(r));
}

void manager_set_backoff_period(rs_time_t period_ms)
{
	rs.backoff_period_ms = period_ms;
}

void manager_set_config_path(const char *path)
{
	rs.config_path = path;
}

int manager_boot(const char *ds_path)
{
	struct service *svc = service_add("ds");
	char err[RS_CONFIG_ERRLEN];
	int r;

	if (!svc)
		return -ENOMEM;
	strncpy(svc->binary, ds_path, sizeof(svc->binary) - 1);
	strcpy(svc->progname, "ds");
	/* Its system.conf entry if there is one; a bad one is not fatal. */
	if (rs_config_load_default("ds", &svc->config, err) < 0) {
		rs_log("ds: %s; using the defaults", err);
		rs_config_defaults(&svc->config, "ds");
	}
	rs_config_resolve_self(&svc->config, 0);
	svc->slot = MXSYS_DS_SLOT;
	svc->core = true;
	r = start_fresh(svc);
	if (r < 0) {
		discard_service(svc);
		return r;
	}
	if (svc->endpoint != DS_PROC_NR)
		rs_log("ds got endpoint %d, not %d: services will not find it",
		       svc->endpoint, DS_PROC_NR);
	return 0;
}

/* The `boot` entries of system.conf, once ds runs, in file order. */
static void start_boot_services(void)
{
	static struct rs_config cfgs[BOOT_SERVICES_MAX];
	char err[RS_CONFIG_ERRLEN];
	int n;

	rs.boot_services_started = true;
	n = rs_config_boot_services(rs.config_path, cfgs, BOOT_SERVICES_MAX,
				    err);
	if (n < 0) {
		rs_log("%s", err);
		return;
	}
	for (int i = 0; i < n; i++) {
		struct service *svc;
		int r;

		if (service_by_label(cfgs[i].progname)) {
			rs_log("boot service %s: label in use, skipped",
			       cfgs[i].progname);
			continue;
		}
		svc = service_add(cfgs[i].progname);
		if (!svc) {
			rs_log("boot service %s: out of memory",
			       cfgs[i].progname);
			return;
		}
		svc->config = cfgs[i];
		rs_config_resolve_self(&svc->config, 0);
		memcpy(svc->progname, cfgs[i].progname, sizeof(svc->progname));
		memcpy(svc->binary, cfgs[i].binary, sizeof(svc->binary));
		memcpy(svc->args, cfgs[i].args, sizeof(svc->args));
		memcpy(svc->script, cfgs[i].script, sizeof(svc->script));
		svc->heartbeat.period_ms = cfgs[i].period_ms;
		r = manager_up(svc);
		if (r < 0)
			rs_log("boot service %s: %s", cfgs[i].progname,
			       sef_strerror(r));
	}
}

bool manager_booted(void)
{
	return rs.booted;
}

int manager_up(struct service *svc)
{
	int r = start_fresh(svc);

	if (r < 0)
		discard_service(svc);
	return r;
}

static int send_sigterm_message(struct service *svc)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = SIGS_SIGNAL_RECEIVED;
	m.m_sigcalls.num = SIGTERM;
	return asynsend3(svc->endpoint, &m, AMF_NOREPLY);
}

/* SIGTERM as a message; SIGKILL after RS_STOP_GRACE_MS (MINIX's 2 s). */
static void ask_to_exit(struct service *svc, int result)
{
	int r;

	svc->stop_result = result;
	if (svc->pid <= 0 || svc->reaped || svc->killed) {
		stop_now(svc, result);
		return;
	}
	r = send_sigterm_message(svc);
	if (r < 0) {
		rs_log("%s (ep %d): cannot send SIGTERM: %s", svc->label,
		       svc->endpoint, sef_strerror(r));
		stop_now(svc, result);
		return;
	}
	svc->state = SERVICE_STOPPING;
	svc->killed = false;
	set_deadline_in(svc, RS_STOP_GRACE_MS);
	rs_log("%s (ep %d) stopping", svc->label, svc->endpoint);
}

void manager_stop(struct service *svc, int result)
{
	svc->stop_result = result;
	svc->refreshing = false;
	switch (svc->state) {
	case SERVICE_STOPPING:
		return;
	case SERVICE_RESTART_WAIT:
	case SERVICE_TERMINATED:
		/* No process to stop. */
		svc->state = SERVICE_STOPPING;
		finish_exit(svc);
		return;
	case SERVICE_STARTING:
		/*
		 * Blocked in its init: it could not read a message. The only
		 * caller it can have is its `up`, which has failed.
		 */
		stop_now(svc, -EDEADEPT);
		return;
	case SERVICE_UPDATING:
		update_abort_all(-EINTR);
		break;
	case SERVICE_RUNNING:
		break;
	}
	ask_to_exit(svc, result);
}

int manager_refresh(struct service *svc)
{
	if (svc->state != SERVICE_RUNNING)
		return -EBUSY;
	ask_to_exit(svc, OK);
	/* Not exiting for good: the death restarts it. */
	svc->refreshing = true;
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
	r = instance_create(svc, svc->binary, svc->args, MXSYS_RST_SYS_PROC,
			    &svc->replica);
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

void manager_replace_replica(struct service *svc)
{
	if (svc->replica.endpoint == NONE || svc->state != SERVICE_RUNNING)
		return;
	instance_destroy(&svc->replica);
	start_replica_if_wanted(svc);
}

void manager_init_ready(endpoint_t endpoint, int result, unsigned int policy)
{
	struct service *svc = service_by_endpoint(endpoint);
	int r;

	if (svc && svc->state == SERVICE_UPDATING) {
		update_init_ready(svc, result);
		return;
	}
	if (!svc || svc->state != SERVICE_STARTING) {
		rs_log("unexpected RS_INIT from %d", endpoint);
		manager_reply_to(endpoint, -EINVAL);
		return;
	}
	if (result == -ERESTART && svc->init_type == SEF_INIT_RESTART) {
		/* Reset policy: give up the endpoint once this one is dead. */
		rs_log("%s (ep %d): restart refused (reset policy): starting afresh",
		       svc->label, endpoint);
		svc->policy = RS_POLICY_RESET;
		svc->reincarnate = true;
		stop_now(svc, OK);
		return;
	}
	if (result != OK && (svc->rss_flags & RSS_NO_BIN_EXP)) {
		/* -b: a failed init is tried again a period later. */
		rs_log("%s (ep %d): init failed: %s; retrying", svc->label,
		       endpoint, sef_strerror(result));
		svc->retry_init = true;
		stop_now(svc, -EDEADEPT);
		return;
	}
	if (result != OK) {
		/* Not restarted: MINIX takes a failed init as final. */
		rs_log("%s (ep %d): init failed: %s; not restarting",
		       svc->label, endpoint, sef_strerror(result));
		stop_now(svc, -EDEADEPT);
		return;
	}
	r = manager_reply_to(endpoint, OK);
	if (r < 0) {
		/* It is not in its sendrec: it died or misbehaves. */
		rs_log("%s (ep %d): cannot answer its init: %s", svc->label,
		       endpoint, sef_strerror(r));
		stop_now(svc, -EDEADEPT);
		return;
	}
	svc->state = SERVICE_RUNNING;
	svc->deadline = RS_TIME_NEVER;
	if (policy != RS_POLICY_UNKNOWN)
		svc->policy = policy;
	heartbeat_reset(&svc->heartbeat, now_ms());
	if (svc->init_type == SEF_INIT_RESTART) {
		svc->restarts++;
		/* The crashed process's spare slot is no longer needed. */
		instance_destroy(&svc->replica);
	}
	rs_log("%s (ep %d, pid %d) is up (restarts %u)", svc->label, endpoint,
	       svc->pid, svc->restarts);
	manager_resumed(svc);
	request_late_reply(svc, OK);
	start_replica_if_wanted(svc);
	if (svc->core && !rs.booted) {
		rs.booted = true;
		if (!rs.boot_services_started)
			start_boot_services();
	} else if (svc->core) {
		republish_labels();
	}
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

/* A dead service comes back: through its script if it has one. */
static void recover(struct service *svc, const char *reason)
{
	if (svc->script[0] == '\0') {
		restart_service(svc);
		return;
	}
	/* The script decides: minix-service restart or down. */
	svc->refreshing = false;
	request_late_reply(svc, OK);
	svc->state = SERVICE_TERMINATED;
	svc->deadline = RS_TIME_NEVER;
	script_run(svc->script, svc->label, reason, svc->restarts);
}

void manager_crash(struct service *svc, int wait_status)
{
	unsigned int periods;

	rs_log("%s (ep %d) died: %s%s", svc->label, svc->endpoint,
	       rs_describe_status(wait_status),
	       svc->no_ping_reply ? " (no heartbeat)" : "");

	if (rs.shutting_down) {
		svc->stop_result = OK;
		finish_exit(svc);
		return;
	}
	if (svc->refreshing) {
		recover(svc, "restart");
		return;
	}
	if (svc->rss_flags & RSS_NORESTART) {
		svc->stop_result = -EDEADEPT;
		finish_exit(svc);
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
	rs_log("%s: restarting in %llu ms", svc->label,
	       (unsigned long long)(periods * rs.backoff_period_ms));
	svc->state = SERVICE_RESTART_WAIT;
	set_deadline_in(svc, periods * rs.backoff_period_ms);
}

/* A STOPPING service's process is gone. */
static void stopped(struct service *svc)
{
	if (svc->retry_init && !rs.shutting_down) {
		svc->retry_init = false;
		svc->state = SERVICE_RESTART_WAIT;
		set_deadline_in(svc, rs.backoff_period_ms);
		return;
	}
	svc->retry_init = false;
	if (svc->reincarnate)
		reincarnate_service(svc);
	else if (svc->refreshing && !rs.shutting_down)
		recover(svc, "restart");
	else
		finish_exit(svc);
}

static void handle_death(struct service *svc, int wait_status)
{
	svc->death_status = wait_status;
	svc->held_signals = 0;
	if (svc->state == SERVICE_RESTART_WAIT ||
	    svc->state == SERVICE_TERMINATED) {
		rs_debug("%s: death while not running ignored", svc->label);
		return;
	}
	/* The process is gone; so is what RS knew of it. */
	svc->pid = 0;
	svc->reaped = false;
	switch (svc->state) {
	case SERVICE_UPDATING:
		update_death(svc, NULL);
		return;
	case SERVICE_STOPPING:
		rs_log("%s (ep %d) died: %s", svc->label, svc->endpoint,
		       rs_describe_status(wait_status));
		stopped(svc);
		return;
	case SERVICE_STARTING:
		if (svc->rss_flags & RSS_NO_BIN_EXP) {
			/* -b: a failed init is tried again after a period. */
			rs_log("%s (ep %d) died during init: %s, retrying",
			       svc->label, svc->endpoint,
			       rs_describe_status(wait_status));
			svc->retry_init = true;
			stopped(svc);
			return;
		}
		rs_log("%s (ep %d) died during init: %s, not restarting",
		       svc->label, svc->endpoint,
		       rs_describe_status(wait_status));
		svc->stop_result = -EDEADEPT;
		finish_exit(svc);
		return;
	case SERVICE_RUNNING:
		manager_crash(svc, wait_status);
		return;
	case SERVICE_RESTART_WAIT:
	case SERVICE_TERMINATED:
		return;
	}
}

static void instance_died(struct service *svc, struct instance *inst,
			  int wait_status, pid_t pid)
{
	if (pid > 0 && inst->pid > 0 && pid != inst->pid)
		return;
	inst->pid = 0;
	svc->death_status = wait_status;
	if (inst == &svc->update && svc->state == SERVICE_UPDATING) {
		update_death(svc, inst);
		return;
	}
	/* A standby (or swapped-out) process died: free its slot. */
	if (!(inst == &svc->replica && svc->state == SERVICE_STARTING)) {
		rs_log("%s: instance at ep %d died", svc->label,
		       inst->endpoint);
		instance_destroy(inst);
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
		rs_log("death of endpoint %d (pid %d), not started by this RS",
		       endpoint, pid);
		return;
	}
	r = sys_clear(endpoint);
	if (r < 0)
		rs_log("death of unknown endpoint %d (pid %d): cannot free its slot: %s",
		       endpoint, pid, sef_strerror(r));
	else
		rs_log("death of unknown endpoint %d (pid %d): slot freed",
		       endpoint, pid);
}

void manager_death(endpoint_t endpoint, int wait_status, pid_t pid)
{
	struct service *svc = service_by_endpoint(endpoint);
	struct instance *inst;

	if (!svc) {
		svc = service_by_instance_endpoint(endpoint, &inst);
		if (svc)
			instance_died(svc, inst, wait_status, pid);
		else
			forget_orphan(endpoint, pid);
		return;
	}
	if (pid > 0 && svc->pid > 0 && pid != svc->pid) {
		rs_debug("%s: stale death of pid %d ignored", svc->label, pid);
		return;
	}
	handle_death(svc, wait_status);
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

static void forward_signal(struct service *svc, int sig)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = SIGS_SIGNAL_RECEIVED;
	m.m_sigcalls.num = sig;
	r = asynsend3(svc->endpoint, &m, AMF_NOREPLY);
	if (r < 0)
		rs_log("%s (ep %d): cannot forward signal %d: %s", svc->label,
		       svc->endpoint, sig, sef_strerror(r));
}

void manager_signals(endpoint_t endpoint, uint64_t sigset)
{
	struct service *svc = service_by_endpoint(endpoint);
	bool lethal = false;
	int r;

	if (!svc || svc->pid <= 0 || svc->state == SERVICE_STOPPING ||
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
		rs_log("%s (ep %d): termination signal (set %#llx)", svc->label,
		       endpoint, (unsigned long long)sigset);
		if (svc->state == SERVICE_RUNNING && !svc->killed)
			set_deadline_in(svc, RS_EXIT_GRACE_MS);
		else if (!svc->killed)
			manager_kill(svc);
		return;
	}
end:
	r = sys_endksig(endpoint);
	if (r < 0)
		rs_debug("endksig %d: %s", endpoint, sef_strerror(r));
}

void manager_resumed(struct service *svc)
{
	uint64_t held = svc->held_signals;

	svc->held_signals = 0;
	for (int sig = 1; sig <= 64; sig++)
		if (held & (1ULL << (sig - 1)))
			forward_signal(svc, sig);
}

void manager_reaped(pid_t pid)
{
	struct service *svc = service_by_pid(pid);
	struct instance *inst;
	rs_time_t fallback;

	if (!svc) {
		svc = service_by_instance_pid(pid, &inst);
		if (svc)
			inst->reaped = true;
		return;
	}
	svc->reaped = true;
	if (svc->state != SERVICE_STARTING && svc->state != SERVICE_STOPPING)
		return;
	/*
	 * A child that died before binding its slot is never reported by
	 * the module; do not wait the whole init or kill timeout for it.
	 */
	fallback = now_ms() + RS_UNBOUND_DEATH_MS;
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
		r = ipc_notify(svc->endpoint);
		if (r < 0)
			rs_log("%s (ep %d): ping failed: %s", svc->label,
			       svc->endpoint, sef_strerror(r));
		break;
	case HEARTBEAT_KILL:
		if (another_initialising(svc)) {
			heartbeat_reset(&svc->heartbeat, now);
			break;
		}
		rs_log("%s (ep %d, pid %d): no heartbeat for %llu ms, killing",
		       svc->label, svc->endpoint, svc->pid,
		       (unsigned long long)(now - svc->heartbeat.alive_tm));
		svc->no_ping_reply = true;
		manager_kill(svc);
		set_deadline_in(svc, RS_KILL_WAIT_MS);
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
	if (!svc->killed) {
		/* A termination signal's grace is over. */
		rs_log("%s (ep %d): still there after a termination signal, killing",
		       svc->label, svc->endpoint);
		manager_kill(svc);
		set_deadline_in(svc, RS_KILL_WAIT_MS);
		return;
	}
	rs_log("%s (ep %d): its death was never reported; assuming it",
	       svc->label, svc->endpoint);
	svc->deadline = RS_TIME_NEVER;
	handle_death(svc, SIGKILL);
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
		if (svc->reaped) {
			rs_log("%s (ep %d): exited before binding its slot",
			       svc->label, svc->endpoint);
			svc->pid = 0;
			svc->stop_result = -EDEADEPT;
			finish_exit(svc);
			return;
		}
		rs_log("%s (ep %d): init timed out, killing", svc->label,
		       svc->endpoint);
		svc->no_ping_reply = true;
		stop_now(svc, -EDEADEPT);
		return;
	case SERVICE_STOPPING:
		if (now < svc->deadline)
			return;
		if (!svc->killed && !svc->reaped) {
			rs_log("%s (ep %d) did not stop, killing", svc->label,
			       svc->endpoint);
			manager_kill(svc);
			set_deadline_in(svc, RS_KILL_WAIT_MS);
			return;
		}
		rs_log("%s (ep %d): its death was never reported; forgetting it",
		       svc->label, svc->endpoint);
		svc->pid = 0;
		stopped(svc);
		return;
	case SERVICE_RESTART_WAIT:
		if (now < svc->deadline)
			return;
		if (rs.shutting_down) {
			svc->stop_result = OK;
			finish_exit(svc);
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
	unsigned int i = 0;
	struct service *svc;

	update_timeout(now);
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
	update_abort_all(-EINTR);
	rs_log("shutting down %u service(s)", service_count());
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
		manager_stop(svc, OK);
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
