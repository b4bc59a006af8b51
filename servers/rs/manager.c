// SPDX-License-Identifier: MIT
/*
 * The service life cycle (MINIX RS's manager.c and the init/period parts
 * of request.c, reshaped as an explicit state machine).
 *
 *            start_process()          RS_INIT OK
 *   (new) ------------------> STARTING ----------> RUNNING
 *                               |  init failed,        |  died
 *                               |  timeout, died       v
 *                               |              backoff == 0 ? restart now
 *                               v              : RESTART_WAIT --deadline--+
 *          down/shutdown --> STOPPING                    ^                |
 *                               | died (or gave up)      +-- STARTING <---+
 *                               v
 *                         finish_exit(): clear slot, drop label,
 *                         late reply, forget
 *
 * RS never blocks on IPC here: requests to services go by senda, replies
 * to a service blocked in sendrec by sendnb, pings by notify.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <minix/ds.h>
#include <minix/sef.h>
#include <minix/syslib.h>

#include "cmdline.h"
#include "exec.h"
#include "log.h"
#include "manager.h"
#include "request.h"
#include "timer.h"

static struct {
	bool booted;		/* ds initialised once */
	bool shutting_down;
	int exit_code;
} rs;

static void set_deadline_in(struct service *svc, rs_time_t delay_ms)
{
	svc->deadline = now_ms() + delay_ms;
}

static void kill_process(struct service *svc)
{
	/* A reaped pid may belong to someone else by now. */
	if (svc->pid > 0 && !svc->reaped && kill(svc->pid, SIGKILL) < 0 &&
	    errno != ESRCH)
		rs_log("%s (ep %d): cannot kill pid %d: %s", svc->label,
		       svc->endpoint, svc->pid, strerror(errno));
	svc->killed = true;
}

/* The service must go; once its death is reported it is forgotten. */
static void stop_now(struct service *svc, int result)
{
	svc->stop_result = result;
	svc->state = SERVICE_STOPPING;
	kill_process(svc);
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
	r = ipc_senda(DS_PROC_NR, &m);
	if (r < 0)
		rs_log("%s: cannot %s its label in ds: %s", svc->label,
		       type == DS_PUBLISH ? "publish" : "delete",
		       rs_strerror(r));
}

static void publish_label(struct service *svc)
{
	send_label_message(svc, DS_PUBLISH, DSF_TYPE_LABEL | DSF_OVERWRITE);
}

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
		       svc->endpoint, rs_strerror(r));
}

/* The service is gone for good: free its slot, answer, forget it. */
static void finish_exit(struct service *svc)
{
	bool core_lost = svc->core && !rs.shutting_down;

	clear_slot(svc);
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

/*
 * Fork and exec the service into its slot (a new one for a fresh start,
 * the same endpoint for a restart) and send it RS_INIT. Returns a negative
 * error if no process runs (the slot, if prepared, is left for the caller
 * to clear); after that point failures are handled by killing it.
 */
static int start_process(struct service *svc, int init_type)
{
	char arg_buffer[RS_MAX_COMMAND_LEN];
	char *argv[RS_ARGV_MAX];
	struct mxsys_priv priv;
	unsigned int flags;
	struct spawn sp;
	endpoint_t ep;
	message m;
	int r;

	r = cmdline_build_argv(svc->binary, svc->args, arg_buffer, argv);
	if (r < 0)
		return r;
	r = spawn_prepare(&sp, argv);
	if (r < 0) {
		rs_log("%s: cannot fork: %s", svc->label, rs_strerror(r));
		return r;
	}

	flags = MXSYS_SYS_PROC | MXSYS_PREEMPTIBLE | MXSYS_DYN_PRIV_ID;
	if (init_type == SEF_INIT_RESTART)
		flags |= MXSYS_RST_SYS_PROC;
	sys_priv_init(&priv, svc->label, flags, MXSYS_KC_BASIC);
	ep = init_type == SEF_INIT_RESTART ? svc->endpoint : NONE;
	r = sys_privctl_setsys(&ep, svc->slot, sp.pid, &priv);
	if (r == -EBUSY && ep == NONE && svc->slot != MXSYS_SLOT_DYNAMIC) {
		/*
		 * A static slot whose process died with an earlier RS keeps
		 * its well-known endpoint: take the slot over.
		 */
		ep = MXSYS_ENDPOINT(0, svc->slot);
		r = sys_privctl_setsys(&ep, svc->slot, sp.pid, &priv);
	}
	if (r < 0) {
		rs_log("%s: cannot prepare a slot: %s", svc->label,
		       rs_strerror(r));
		spawn_abort(&sp);
		return r;
	}
	svc->endpoint = ep;

	r = spawn_release(&sp);
	if (r < 0) {
		rs_log("%s: cannot execute %s: %s", svc->label, svc->binary,
		       rs_strerror(r));
		return r;
	}
	svc->pid = sp.pid;
	svc->reaped = false;
	svc->killed = false;
	svc->no_ping_reply = false;
	svc->init_type = init_type;
	svc->state = SERVICE_STARTING;
	set_deadline_in(svc, RS_INIT_TIMEOUT_MS);

	r = sys_privctl(ep, MXSYS_PRIV_ALLOW);
	if (r < 0) {
		rs_log("%s (ep %d): cannot allow it to run: %s", svc->label,
		       ep, rs_strerror(r));
		stop_now(svc, -EDEADEPT);
		return 0;
	}
	/* Before RS_INIT, so ds knows the service when its init asks. */
	if (!svc->core)
		publish_label(svc);

	memset(&m, 0, sizeof(m));
	m.m_type = RS_INIT;
	m.m_rs_init.type = init_type;
	m.m_rs_init.restarts = (int32_t)svc->restarts + 1;
	m.m_rs_init.old_endpoint = init_type == SEF_INIT_RESTART ? ep : NONE;
	r = ipc_senda(ep, &m);
	if (r < 0) {
		rs_log("%s (ep %d): cannot send RS_INIT: %s", svc->label, ep,
		       rs_strerror(r));
		stop_now(svc, -EDEADEPT);
		return 0;
	}
	rs_log("%s (ep %d, pid %d) %s", svc->label, ep, svc->pid,
	       init_type == SEF_INIT_RESTART ? "restarted, initialising"
					     : "started, initialising");
	return 0;
}

/* Drop a service that never ran (no reply owed, nothing published). */
static void discard_service(struct service *svc)
{
	clear_slot(svc);
	service_remove(svc);
}

static void restart_service(struct service *svc)
{
	int r = start_process(svc, SEF_INIT_RESTART);

	if (r < 0) {
		rs_log("%s (ep %d): restart failed: %s; giving up",
		       svc->label, svc->endpoint, rs_strerror(r));
		svc->stop_result = -EDEADEPT;
		finish_exit(svc);
	}
}

int manager_boot(const char *ds_path)
{
	struct service *svc = service_add("ds");
	int r;

	if (!svc)
		return -ENOMEM;
	strncpy(svc->binary, ds_path, sizeof(svc->binary) - 1);
	svc->slot = MXSYS_DS_SLOT;
	svc->core = true;
	r = start_process(svc, SEF_INIT_FRESH);
	if (r < 0) {
		discard_service(svc);
		return r;
	}
	if (svc->endpoint != DS_PROC_NR)
		rs_log("ds got endpoint %d, not %d: services will not find it",
		       svc->endpoint, DS_PROC_NR);
	return 0;
}

bool manager_booted(void)
{
	return rs.booted;
}

int manager_up(struct service *svc)
{
	int r = start_process(svc, SEF_INIT_FRESH);

	if (r < 0)
		discard_service(svc);
	return r;
}

void manager_stop(struct service *svc, int result)
{
	message m;
	int r;

	svc->stop_result = result;
	switch (svc->state) {
	case SERVICE_STOPPING:
		return;
	case SERVICE_RESTART_WAIT:
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
	case SERVICE_RUNNING:
		break;
	}
	if (svc->pid <= 0 || svc->reaped || svc->killed) {
		stop_now(svc, result);
		return;
	}
	/* As MINIX: the service hears SIGTERM and decides how to exit. */
	memset(&m, 0, sizeof(m));
	m.m_type = SIGS_SIGNAL_RECEIVED;
	m.m_sigcalls.num = SIGTERM;
	r = ipc_senda(svc->endpoint, &m);
	if (r < 0) {
		rs_log("%s (ep %d): cannot send SIGTERM: %s", svc->label,
		       svc->endpoint, rs_strerror(r));
		stop_now(svc, result);
		return;
	}
	svc->state = SERVICE_STOPPING;
	svc->killed = false;
	set_deadline_in(svc, RS_STOP_GRACE_MS);
	rs_log("%s (ep %d) stopping", svc->label, svc->endpoint);
}

static int reply_to_service(endpoint_t endpoint, int result)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = result;
	return ipc_sendnb(endpoint, &m);
}

void manager_init_ready(endpoint_t endpoint, int result)
{
	struct service *svc = service_by_endpoint(endpoint);
	int r;

	if (!svc || svc->state != SERVICE_STARTING) {
		rs_log("unexpected RS_INIT from %d", endpoint);
		reply_to_service(endpoint, -EINVAL);
		return;
	}
	if (result != OK) {
		/* Not restarted: MINIX takes a failed init as final. */
		rs_log("%s (ep %d): init failed: %s; not restarting",
		       svc->label, endpoint, rs_strerror(result));
		stop_now(svc, -EDEADEPT);
		return;
	}
	r = reply_to_service(endpoint, OK);
	if (r < 0) {
		/* It is not in its sendrec: it died or misbehaves. */
		rs_log("%s (ep %d): cannot answer its init: %s", svc->label,
		       endpoint, rs_strerror(r));
		stop_now(svc, -EDEADEPT);
		return;
	}
	svc->state = SERVICE_RUNNING;
	svc->deadline = RS_TIME_NEVER;
	heartbeat_reset(&svc->heartbeat, now_ms());
	if (svc->init_type == SEF_INIT_RESTART)
		svc->restarts++;
	rs_log("%s (ep %d, pid %d) is up (restarts %u)", svc->label, endpoint,
	       svc->pid, svc->restarts);
	request_late_reply(svc, OK);
	if (svc->core && !rs.booted)
		rs.booted = true;
	else if (svc->core)
		republish_labels();
}

void manager_alive(endpoint_t endpoint, rs_time_t when)
{
	struct service *svc = service_by_endpoint(endpoint);

	/* Any notify is a heartbeat, not only the answer to a ping. */
	if (svc && svc->state == SERVICE_RUNNING) {
		if (when > svc->heartbeat.alive_tm)
			svc->heartbeat.alive_tm = when;
	}
	else
		rs_debug("notify from %d ignored", endpoint);
}

static void handle_death(struct service *svc, int wait_status)
{
	endpoint_t endpoint = svc->endpoint;
	unsigned int periods;

	svc->pid = 0;
	svc->reaped = false;

	switch (svc->state) {
	case SERVICE_STOPPING:
		rs_log("%s (ep %d) died: %s", svc->label, endpoint,
		       rs_describe_status(wait_status));
		finish_exit(svc);
		return;
	case SERVICE_STARTING:
		rs_log("%s (ep %d) died during init: %s, not restarting",
		       svc->label, endpoint, rs_describe_status(wait_status));
		svc->stop_result = -EDEADEPT;
		finish_exit(svc);
		return;
	case SERVICE_RESTART_WAIT:
		rs_debug("%s: death while waiting to restart ignored",
			 svc->label);
		return;
	case SERVICE_RUNNING:
		break;
	}

	if (rs.shutting_down) {
		rs_log("%s (ep %d) died: %s", svc->label, endpoint,
		       rs_describe_status(wait_status));
		svc->stop_result = OK;
		finish_exit(svc);
		return;
	}
	periods = policy_backoff_periods(svc->restarts);
	if (periods == 0) {
		rs_log("%s (ep %d) died: %s%s, restarting", svc->label,
		       endpoint, rs_describe_status(wait_status),
		       svc->no_ping_reply ? " (no heartbeat)" : "");
		restart_service(svc);
		return;
	}
	rs_log("%s (ep %d) died: %s%s, restarting in %u ms", svc->label,
	       endpoint, rs_describe_status(wait_status),
	       svc->no_ping_reply ? " (no heartbeat)" : "",
	       periods * RS_BACKOFF_PERIOD_MS);
	svc->state = SERVICE_RESTART_WAIT;
	set_deadline_in(svc, (rs_time_t)periods * RS_BACKOFF_PERIOD_MS);
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
		       endpoint, pid, rs_strerror(r));
	else
		rs_log("death of unknown endpoint %d (pid %d): slot freed",
		       endpoint, pid);
}

void manager_death(endpoint_t endpoint, int wait_status, pid_t pid)
{
	struct service *svc = service_by_endpoint(endpoint);

	if (!svc) {
		forget_orphan(endpoint, pid);
		return;
	}
	if (pid > 0 && svc->pid > 0 && pid != svc->pid) {
		rs_debug("%s: stale death of pid %d ignored", svc->label, pid);
		return;
	}
	handle_death(svc, wait_status);
}

void manager_signals(endpoint_t endpoint, uint64_t sigset)
{
	struct service *svc = service_by_endpoint(endpoint);
	message m;
	int r;

	if (svc && svc->state == SERVICE_RUNNING) {
		/* The service's own SEF decides what a signal means. */
		for (int sig = 1; sig <= 64; sig++) {
			if (!(sigset & (1ULL << (sig - 1))))
				continue;
			memset(&m, 0, sizeof(m));
			m.m_type = SIGS_SIGNAL_RECEIVED;
			m.m_sigcalls.num = sig;
			r = ipc_senda(endpoint, &m);
			if (r < 0)
				rs_log("%s (ep %d): cannot forward signal %d: %s",
				       svc->label, endpoint, sig,
				       rs_strerror(r));
		}
	} else {
		rs_debug("signals %#llx for %d dropped",
			 (unsigned long long)sigset, endpoint);
	}
	r = sys_endksig(endpoint);
	if (r < 0)
		rs_debug("endksig %d: %s", endpoint, rs_strerror(r));
}

void manager_reaped(pid_t pid)
{
	struct service *svc = service_by_pid(pid);
	rs_time_t fallback;

	if (!svc)
		return;
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
			       svc->endpoint, rs_strerror(r));
		break;
	case HEARTBEAT_KILL:
		rs_log("%s (ep %d, pid %d): no heartbeat for %llu ms, killing",
		       svc->label, svc->endpoint, svc->pid,
		       (unsigned long long)(now - svc->heartbeat.alive_tm));
		svc->no_ping_reply = true;
		kill_process(svc);
		set_deadline_in(svc, RS_KILL_WAIT_MS);
		break;
	}
}

static void service_tick(struct service *svc, rs_time_t now)
{
	switch (svc->state) {
	case SERVICE_RUNNING:
		if (!svc->killed) {
			heartbeat_tick(svc, now);
		} else if (now >= svc->deadline) {
			rs_log("%s (ep %d): its death was never reported; assuming it",
			       svc->label, svc->endpoint);
			handle_death(svc, SIGKILL);
		}
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
			kill_process(svc);
			set_deadline_in(svc, RS_KILL_WAIT_MS);
			return;
		}
		rs_log("%s (ep %d): its death was never reported; forgetting it",
		       svc->label, svc->endpoint);
		finish_exit(svc);
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
	}
}

void manager_timeout(rs_time_t now)
{
	unsigned int i = 0;
	struct service *svc;

	while ((svc = service_at(i))) {
		service_tick(svc, now);
		/* A service that finished was removed: the next moved here. */
		if (service_at(i) == svc)
			i++;
	}
}

static rs_time_t service_deadline(const struct service *svc)
{
	if (svc->state != SERVICE_RUNNING || svc->killed)
		return svc->deadline;
	return heartbeat_deadline(&svc->heartbeat);
}

rs_time_t manager_next_deadline(void)
{
	rs_time_t next = RS_TIME_NEVER;
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
	rs_log("shutting down %u service(s)", service_count());
}

bool manager_shutting_down(void)
{
	return rs.shutting_down;
}

/* Stop the newest service still running; the older ones wait their turn. */
static void shutdown_step(void)
{
	unsigned int n;

	while ((n = service_count()) > 0) {
		struct service *svc = service_at(n - 1);

		if (svc->state == SERVICE_STOPPING)
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
