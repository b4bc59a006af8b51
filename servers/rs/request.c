// SPDX-License-Identifier: MIT
/*
 * Requests of minix-service (MINIX RS's request.c): up, down, refresh,
 * restart, shutdown, update, clone, unclone, lookup, edit, sysctl, fi,
 * and the Linux status, ds, reload and dump. The module relays them with the requester's uid
 * and pid; every answer is a struct rs_reply, sent now or, when the
 * operation completes, as a late reply.
 *
 * Permission (MINIX's check_call_permission): root, or a service whose
 * program the target's system.conf `control` list names. A requester is
 * that service when it, or one of its ancestors, is the service's
 * process (scripts and children run minix-service for it).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "caller.h"
#include "cmdline.h"
#include "ds_relay.h"
#include "dump.h"
#include "log.h"
#include "manager.h"
#include "message.h"
#include "request.h"
#include "snapshot.h"
#include "standby.h"
#include "timer.h"
#include "update.h"

/* The reply is the late one, sent when the operation completes. */
#define REPLY_LATER	(-EDONTREPLY)

/* How far up the parent chain a requester is looked for. */
#define ANCESTORS_MAX	16

struct request {
	uint32_t id;
	uint32_t uid;
	int32_t pid;
	const struct rs_request *rq;
	struct rs_reply *reply;
};

__attribute__((format(printf, 2, 3)))
static void explain(struct request *req, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(req->reply->message, sizeof(req->reply->message), fmt, ap);
	va_end(ap);
}

static const char *request_name(uint32_t type)
{
	switch (type) {
	case RS_UP:		return "up";
	case RS_DOWN:		return "down";
	case RS_REFRESH:	return "refresh";
	case RS_RESTART:	return "restart";
	case RS_SHUTDOWN:	return "shutdown";
	case RS_UPDATE:		return "update";
	case RS_CLONE:		return "clone";
	case RS_UNCLONE:	return "unclone";
	case RS_LOOKUP:		return "lookup";
	case RS_EDIT:		return "edit";
	case RS_SYSCTL:		return "sysctl";
	case RS_FI:		return "fi";
	case RS_STATUS:		return "status";
	case RS_DS:		return "ds";
	case RS_RELOAD:		return "reload";
	case RS_DUMP:		return "dump";
	default:		return "unknown";
	}
}

/* Labels longer than 15 characters are truncated, as MINIX does. */
static int request_label(const struct rs_request *rq,
			 char label[RS_MAX_LABEL_LEN])
{
	size_t len = strnlen(rq->rss_label, sizeof(rq->rss_label));

	if (len >= RS_MAX_LABEL_LEN)
		len = RS_MAX_LABEL_LEN - 1;
	memcpy(label, rq->rss_label, len);
	label[len] = '\0';
	return cmdline_valid_label(label) ? 0 : -EINVAL;
}

static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512];
	const char *close_paren;
	FILE *f;
	int ppid;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return 0;
	}
	fclose(f);
	/* The command name may hold spaces and parentheses: skip past it. */
	close_paren = strrchr(buf, ')');
	if (!close_paren || sscanf(close_paren + 1, " %*c %d", &ppid) != 1)
		return 0;
	return ppid;
}

/* The service the requesting process belongs to, if any. */
static struct service *requesting_service(pid_t pid)
{
	for (int depth = 0; pid > 1 && depth < ANCESTORS_MAX; depth++) {
		struct service *svc = service_by_pid(pid);

		if (svc)
			return svc;
		pid = parent_of(pid);
	}
	return NULL;
}

static bool may_control(const struct request *req, const struct service *target)
{
	struct service *caller;

	if (req->uid == 0)
		return true;
	if (!target)
		return false;
	caller = requesting_service(req->pid);
	return caller && rs_config_controls(&target->config, caller->progname);
}

/* MINIX's check_call_permission, for requests that name a service. */
static int check_permission(struct request *req, struct service *svc)
{
	uint32_t type = req->rq->rq_type;

	if (!may_control(req, svc)) {
		explain(req, "only root or a service in %s's control list may do this",
			svc->label);
		return -EPERM;
	}
	if (type != RS_UPDATE && update_busy())
		return -EBUSY;
	if (svc->caller.waiting || svc->state == SERVICE_STARTING ||
	    svc->state == SERVICE_STOPPING)
		return -EBUSY;
	if (svc->state == SERVICE_TERMINATED && type != RS_DOWN &&
	    type != RS_RESTART)
		return -EPERM;
	if (svc->core && type == RS_DOWN)
		return -EPERM;
	return OK;
}

/* The service a request names by label. */
static int named_service(struct request *req, struct service **svc)
{
	char label[RS_MAX_LABEL_LEN];

	if (request_label(req->rq, label) < 0) {
		explain(req, "bad label");
		return -EINVAL;
	}
	*svc = service_by_label(label);
	if (!*svc) {
		if (req->uid != 0)
			return -EPERM;	/* do not tell who runs */
		return -ESRCH;
	}
	return OK;
}

/* The service a request names by label, checked for permission. */
static int target_of(struct request *req, struct service **svc)
{
	int r = named_service(req, svc);

	return r < 0 ? r : check_permission(req, *svc);
}

/* A non-root requester may only name a file it could read itself. */
static bool may_read_config(uint32_t uid, const char *path)
{
	struct stat st;

	if (uid == 0)
		return true;
	if (stat(path, &st) < 0)
		return true;	/* the load reports it */
	return (st.st_mode & S_IROTH) || st.st_uid == uid;
}

static int load_config(struct request *req, const char *progname,
		       struct rs_config *cfg)
{
	char path[RS_MAX_CONFIG_LEN];
	char err[RS_CONFIG_ERRLEN];
	int r;

	r = cmdline_copy_field(path, sizeof(path), req->rq->rss_config,
			       sizeof(req->rq->rss_config));
	if (r < 0)
		return r;
	err[0] = '\0';
	if (path[0] == '\0') {
		r = rs_config_load_default(progname, cfg, err);
	} else if (path[0] != '/' || !may_read_config(req->uid, path)) {
		explain(req, "%s: not an absolute path readable by the requester",
			path);
		return -EINVAL;
	} else {
		r = rs_config_load(path, progname, cfg, err);
	}
	if (r == 0)
		rs_config_resolve_self(cfg, req->uid);
	if (r < 0) {
		if (err[0] == '\0')
			explain(req, "%s: %s", path[0] ? path : RS_SYSTEM_CONF,
				sef_strerror(r));
		else
			explain(req, "%s", err);
		req->reply->flags |= RS_REPLY_CONFIG_ERROR;
	}
	return r;
}

static int copy_script(struct request *req, char script[RS_MAX_SCRIPT_LEN])
{
	int r = cmdline_copy_field(script, RS_MAX_SCRIPT_LEN,
				   req->rq->rss_script,
				   sizeof(req->rq->rss_script));

	if (r < 0)
		return r;
	if (script[0] != '\0' && script[0] != '/') {
		explain(req, "the script must be an absolute path");
		return -EINVAL;
	}
	return 0;
}

static int do_up(struct request *req)
{
	const struct rs_request *rq = req->rq;
	char binary[RS_MAX_COMMAND_LEN];
	char args[RS_MAX_COMMAND_LEN];
	char progname[RS_MAX_LABEL_LEN];
	char label[RS_MAX_LABEL_LEN];
	char script[RS_MAX_SCRIPT_LEN];
	struct rs_config cfg;
	const struct service_spec spec = {
		.label = label, .progname = progname, .binary = binary,
		.args = args, .script = script, .config = &cfg,
		.rss_flags = rq->rss_flags & ~RSS_PERIOD_SET,
		.period_ms = rq->rss_period_ms,
	};
	bool noblock = rq->rss_flags & RSS_NOBLOCK;
	int r;

	/* No service to be in the control list of yet: root only. */
	if (req->uid != 0)
		return -EPERM;
	if (manager_shutting_down() || !manager_booted())
		return -EBUSY;
	r = cmdline_command(rq, binary, args, req->reply->message,
			    sizeof(req->reply->message));
	if (r < 0)
		return r;
	if (rq->rss_progname[0] != '\0') {
		r = cmdline_copy_field(progname, sizeof(progname),
				       rq->rss_progname,
				       sizeof(rq->rss_progname));
		if (r < 0 || !cmdline_valid_label(progname))
			return -EINVAL;
	} else if (cmdline_default_label(binary, progname) < 0) {
		return -EINVAL;
	}
	if (rq->rss_label[0] != '\0')
		r = request_label(rq, label);
	else
		memcpy(label, progname, sizeof(label));
	if (r < 0 || !cmdline_valid_label(label))
		return -EINVAL;
	if (service_by_label(label))
		return -EBUSY;
	r = copy_script(req, script);
	if (r < 0)
		return r;
	r = load_config(req, progname, &cfg);
	if (r < 0)
		return r;
	r = manager_up(&spec, noblock ? CALLER_NOBODY : caller_of(req->id));
	if (r < 0) {
		explain(req, "cannot start %s: %s", binary, sef_strerror(r));
		return r;
	}
	return noblock ? OK : REPLY_LATER;
}

static int do_down(struct request *req)
{
	struct service *svc;
	int r = target_of(req, &svc);

	if (r < 0)
		return r;
	manager_down(svc, caller_of(req->id));
	return REPLY_LATER;
}

static int do_refresh(struct request *req)
{
	struct service *svc;
	int r = target_of(req, &svc);

	if (r < 0)
		return r;
	r = manager_refresh(svc, caller_of(req->id));
	return r < 0 ? r : REPLY_LATER;
}

static int do_restart(struct request *req)
{
	struct service *svc;
	int r = target_of(req, &svc);

	if (r < 0)
		return r;
	return manager_restart(svc);
}

static int do_clone(struct request *req)
{
	struct service *svc;
	int r = target_of(req, &svc);

	if (r < 0)
		return r;
	return manager_clone(svc);
}

static int do_unclone(struct request *req)
{
	struct service *svc;
	int r = target_of(req, &svc);

	if (r < 0)
		return r;
	return manager_unclone(svc);
}

static int do_update(struct request *req)
{
	struct service *svc;
	int r = target_of(req, &svc);

	if (r < 0)
		return r;
	return manager_update(svc, req->rq, caller_of(req->id));
}

static int do_fi(struct request *req)
{
	struct service *svc;
	int r = target_of(req, &svc);

	if (r < 0)
		return r;
	if (svc->state != SERVICE_RUNNING)
		return -EBUSY;
	return message_crash_request(svc->active.endpoint);
}

/*
 * dump: the service's SEF debug dump, answered when it answers. It
 * changes nothing, so an update under way does not stop it; but a
 * service's state is its owner's to read: root or its control list.
 */
static int do_dump(struct request *req)
{
	struct service *svc;
	int r = named_service(req, &svc);

	if (r < 0)
		return r;
	if (!may_control(req, svc)) {
		explain(req, "only root or a service in %s's control list may do this",
			svc->label);
		return -EPERM;
	}
	if (svc->state != SERVICE_RUNNING && svc->state != SERVICE_UPDATING) {
		explain(req, "%s is not running: ask again once it is",
			svc->label);
		return -EBUSY;
	}
	return dump_start(req->id, svc->label, svc->active.endpoint,
			  req->reply);
}

/*
 * edit: new settings for a running service (binary and arguments for its
 * next start, period, script, flags, and its system.conf privileges, which
 * the module applies at once). A standby replica is remade with them.
 */
static int do_edit(struct request *req)
{
	const struct rs_request *rq = req->rq;
	char binary[RS_MAX_COMMAND_LEN] = "";
	char args[RS_MAX_COMMAND_LEN];
	char script[RS_MAX_SCRIPT_LEN];
	bool new_command = rq->rss_cmd[0] != '\0';
	struct rs_config cfg;
	const struct service_edit edit = {
		.binary = new_command ? binary : NULL, .args = args,
		.script = script, .config = &cfg,
		.period_set = rq->rss_flags & RSS_PERIOD_SET,
		.period_ms = rq->rss_period_ms,
		.rss_flags = rq->rss_flags & ~RSS_PERIOD_SET,
	};
	struct service *svc;
	int r = target_of(req, &svc);

	if (r < 0)
		return r;
	if (svc->state != SERVICE_RUNNING)
		return -EBUSY;
	if (new_command) {
		r = cmdline_command(rq, binary, args, req->reply->message,
				    sizeof(req->reply->message));
		if (r < 0)
			return r;
	}
	r = copy_script(req, script);
	if (r < 0)
		return r;
	r = load_config(req, svc->progname, &cfg);
	if (r < 0)
		return r;
	r = manager_edit(svc, &edit);
	if (r < 0)
		explain(req, "the module refused the new privileges: %s",
			sef_strerror(r));
	return r;
}

static void log_service_table(void)
{
	struct service *svc;
	struct rs_status st;

	for (unsigned int i = 0; (svc = service_at(i)); i++) {
		service_status(svc, &st);
		rs_info("%-15s ep %-6d pid %-6d restarts %-3u flags %#05x period %u ms policy %s %s",
		       st.label, st.endpoint, st.pid, st.restarts, st.flags,
		       st.period_ms, st.policy[0] ? st.policy : "-", st.binary);
	}
}

static int do_sysctl(struct request *req)
{
	uint32_t subtype = req->rq->rq_subtype;

	switch (subtype) {
	case RS_SYSCTL_SRV_STATUS:
		log_service_table();
		return OK;
	case RS_SYSCTL_UPD_STATUS:
		return manager_update_sysctl(subtype, caller_of(req->id));
	case RS_SYSCTL_UPD_START:
	case RS_SYSCTL_UPD_RUN:
	case RS_SYSCTL_UPD_STOP:
		/* MINIX does not check; an update of everything is root's. */
		if (req->uid != 0)
			return -EPERM;
		return manager_update_sysctl(subtype, caller_of(req->id));
	default:
		explain(req, "unknown sysctl %u", subtype);
		return -EINVAL;
	}
}

static int do_reload(struct request *req)
{
	if (req->uid != 0)
		return -EPERM;
	manager_reload();
	return OK;
}

static int do_shutdown(struct request *req)
{
	if (req->uid != 0)
		return -EPERM;
	manager_shutdown(0);
	return OK;
}

/*
 * `status rs`: RS itself, which is no entry of the table: its endpoint
 * and pid, its standby as the replica, its takeovers as its restarts, the
 * last one's reason as the answer's message.
 */
static void rs_status(struct rs_reply *reply)
{
	struct rs_status *st = &reply->status;
	const char *why;
	unsigned int count;
	rs_time_t when;
	ssize_t n;

	memset(st, 0, sizeof(*st));
	snprintf(st->label, sizeof(st->label), "rs");
	st->endpoint = RS_PROC_NR;
	st->pid = getpid();
	manager_takeover_count(&count, &when, &why);
	st->restarts = count;
	st->flags = RS_STATUS_ACTIVE | RS_STATUS_CORE;
	st->replica_pid = standby_pid();
	if (st->replica_pid)
		st->flags |= RS_STATUS_USE_REPL;
	snprintf(st->policy, sizeof(st->policy), "takeover");
	n = readlink("/proc/self/exe", st->binary, sizeof(st->binary) - 1);
	st->binary[n > 0 ? n : 0] = '\0';
	if (count > 0)
		snprintf(reply->message, sizeof(reply->message),
			 "last takeover %llu.%llu s ago: %s",
			 (unsigned long long)((now_ms() - when) / 1000),
			 (unsigned long long)((now_ms() - when) % 1000 / 100),
			 why);
}

static int do_status(struct request *req)
{
	const struct rs_request *rq = req->rq;
	char label[RS_MAX_LABEL_LEN];
	struct service *svc;

	if (rq->rss_label[0] != '\0') {
		if (request_label(rq, label) < 0)
			return -EINVAL;
		if (strcmp(label, "rs") == 0 && !service_by_label(label)) {
			rs_status(req->reply);
			return OK;
		}
		svc = service_by_label(label);
		if (!svc)
			return -ESRCH;
	} else {
		svc = service_at(rq->rq_index);
		if (!svc)
			return -ENOENT;
	}
	service_status(svc, &req->reply->status);
	return OK;
}

static int do_lookup(struct request *req)
{
	char label[RS_MAX_LABEL_LEN];
	struct service *svc;

	if (request_label(req->rq, label) < 0)
		return -EINVAL;
	svc = service_by_label(label);
	if (!svc)
		return -ESRCH;
	service_status(svc, &req->reply->status);
	return OK;
}

/* Root's Data Store requests: relayed to ds, answered when it answers. */
static int do_ds(struct request *req)
{
	if (req->uid != 0) {
		explain(req, "only root may read or change the data store "
			"this way");
		return -EPERM;
	}
	return ds_relay_start(req->id, &req->rq->rss_ds, req->reply);
}

static int dispatch(struct request *req)
{
	switch (req->rq->rq_type) {
	case RS_UP:		return do_up(req);
	case RS_DOWN:		return do_down(req);
	case RS_REFRESH:	return do_refresh(req);
	case RS_RESTART:	return do_restart(req);
	case RS_SHUTDOWN:	return do_shutdown(req);
	case RS_RELOAD:		return do_reload(req);
	case RS_UPDATE:		return do_update(req);
	case RS_CLONE:		return do_clone(req);
	case RS_UNCLONE:	return do_unclone(req);
	case RS_LOOKUP:		return do_lookup(req);
	case RS_EDIT:		return do_edit(req);
	case RS_SYSCTL:		return do_sysctl(req);
	case RS_FI:		return do_fi(req);
	case RS_STATUS:		return do_status(req);
	case RS_DS:		return do_ds(req);
	case RS_DUMP:		return do_dump(req);
	default:		return -ENOSYS;
	}
}

void request_handle(uint32_t request_id, uint32_t uid, int32_t pid,
		    const void *payload, size_t len)
{
	struct caller caller = caller_of(request_id);
	struct rs_request rq;
	struct rs_reply reply;
	struct request req = {
		.id = request_id, .uid = uid, .pid = pid,
		.rq = &rq, .reply = &reply,
	};
	int r;

	/* Should RS die before this turn is committed, the next one answers. */
	snapshot_request_begin(request_id);
	memset(&reply, 0, sizeof(reply));
	if (!payload || len != sizeof(rq)) {
		rs_warn("request %u from pid %d: payload of %zu bytes, expected %zu",
		       request_id, pid, len, sizeof(rq));
		reply.result = -EINVAL;
		caller_answer(&caller, &reply);
		return;
	}
	memcpy(&rq, payload, sizeof(rq));
	r = dispatch(&req);
	rs_debug("request %u: %s (%#x) from uid %u pid %d: %s", request_id,
		 request_name(rq.rq_type), rq.rq_type, uid, pid,
		 r == REPLY_LATER ? "reply later" : sef_strerror(r));
	if (r == REPLY_LATER)
		return;
	if (r < 0 && rq.rq_type != RS_STATUS && rq.rq_type != RS_LOOKUP)
		rs_warn("%s request from uid %u refused: %s%s%s",
		       request_name(rq.rq_type), uid, sef_strerror(r),
		       reply.message[0] ? ": " : "", reply.message);
	reply.result = r;
	caller_answer(&caller, &reply);
}
