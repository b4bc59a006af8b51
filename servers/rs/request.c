// SPDX-License-Identifier: MIT
/*
 * Requests of minix-service: RS_UP, RS_DOWN, RS_STATUS, RS_LOOKUP. The
 * module relays them with the requester's uid; every answer is a struct
 * rs_reply, sent now or, for up and down, when the operation completes.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdline.h"
#include "log.h"
#include "manager.h"
#include "nl.h"
#include "request.h"

/* The reply is the late one, sent when the operation completes. */
#define REPLY_LATER	(-EDONTREPLY)

static const char *request_name(uint32_t type)
{
	switch (type) {
	case RS_UP:	return "up";
	case RS_DOWN:	return "down";
	case RS_STATUS:	return "status";
	case RS_LOOKUP:	return "lookup";
	default:	return "unknown";
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

static int check_binary(const char *path)
{
	struct stat st;

	if (path[0] != '/')
		return -EINVAL;
	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0)
		return -EINVAL;
	return 0;
}

static int do_up(uint32_t request_id, uint32_t uid,
		 const struct rs_request *rq)
{
	char binary[RS_MAX_COMMAND_LEN];
	char label[RS_MAX_LABEL_LEN];
	char arg_buffer[RS_MAX_COMMAND_LEN];
	char *argv[RS_ARGV_MAX];
	struct service *svc;
	int r;

	if (uid != 0)
		return -EPERM;
	if (manager_shutting_down() || !manager_booted())
		return -EBUSY;
	r = cmdline_copy_field(binary, sizeof(binary), rq->rss_cmd,
			       sizeof(rq->rss_cmd));
	if (r < 0)
		return r;
	r = check_binary(binary);
	if (r < 0)
		return r;
	/* Check the arguments now rather than fail at every restart. */
	r = cmdline_build_argv(binary, rq->rss_args, arg_buffer, argv);
	if (r < 0)
		return r;
	if (rq->rss_label[0] != '\0')
		r = request_label(rq, label);
	else
		r = cmdline_default_label(binary, label);
	if (r < 0 || !cmdline_valid_label(label))
		return -EINVAL;
	if (service_by_label(label))
		return -EBUSY;

	svc = service_add(label);
	if (!svc)
		return -ENOMEM;
	memcpy(svc->binary, binary, sizeof(svc->binary));
	memcpy(svc->args, rq->rss_args, sizeof(svc->args));
	svc->args[sizeof(svc->args) - 1] = '\0';
	svc->heartbeat.period_ms = rq->rss_period_ms;
	r = manager_up(svc);
	if (r < 0)
		return r;
	if (rq->rss_flags & RSS_NOBLOCK)
		return OK;
	svc->has_caller = true;
	svc->caller_request_id = request_id;
	return REPLY_LATER;
}

static int do_down(uint32_t request_id, uint32_t uid,
		   const struct rs_request *rq)
{
	char label[RS_MAX_LABEL_LEN];
	struct service *svc;

	if (uid != 0)
		return -EPERM;
	if (request_label(rq, label) < 0)
		return -EINVAL;
	svc = service_by_label(label);
	if (!svc)
		return -ESRCH;
	if (svc->core)
		return -EPERM;
	/* As MINIX: one operation at a time, and not during init. */
	if (svc->has_caller || svc->state == SERVICE_STARTING ||
	    svc->state == SERVICE_STOPPING)
		return -EBUSY;
	svc->has_caller = true;
	svc->caller_request_id = request_id;
	manager_stop(svc, OK);
	return REPLY_LATER;
}

static int do_status(const struct rs_request *rq, struct rs_status *status)
{
	char label[RS_MAX_LABEL_LEN];
	struct service *svc;

	if (rq->rss_label[0] != '\0') {
		if (request_label(rq, label) < 0)
			return -EINVAL;
		svc = service_by_label(label);
		if (!svc)
			return -ESRCH;
	} else {
		svc = service_at(rq->rq_index);
		if (!svc)
			return -ENOENT;
	}
	service_status(svc, status);
	return OK;
}

static int do_lookup(const struct rs_request *rq, struct rs_status *status)
{
	char label[RS_MAX_LABEL_LEN];
	struct service *svc;

	if (request_label(rq, label) < 0)
		return -EINVAL;
	svc = service_by_label(label);
	if (!svc)
		return -ESRCH;
	service_status(svc, status);
	return OK;
}

void request_handle(uint32_t request_id, uint32_t uid, int32_t pid,
		    const void *payload, size_t len)
{
	struct rs_request rq;
	struct rs_reply reply;
	int r;

	memset(&reply, 0, sizeof(reply));
	if (!payload || len != sizeof(rq)) {
		rs_log("request %u from pid %d: payload of %zu bytes, expected %zu",
		       request_id, pid, len, sizeof(rq));
		reply.result = -EINVAL;
		relay_reply(request_id, &reply);
		return;
	}
	memcpy(&rq, payload, sizeof(rq));
	switch (rq.rq_type) {
	case RS_UP:
		r = do_up(request_id, uid, &rq);
		break;
	case RS_DOWN:
		r = do_down(request_id, uid, &rq);
		break;
	case RS_STATUS:
		r = do_status(&rq, &reply.status);
		break;
	case RS_LOOKUP:
		r = do_lookup(&rq, &reply.status);
		break;
	default:
		r = -ENOSYS;
		break;
	}
	rs_debug("request %u: %s (%#x) from uid %u pid %d: %s", request_id,
		 request_name(rq.rq_type), rq.rq_type, uid, pid,
		 r == REPLY_LATER ? "reply later" : rs_strerror(r));
	if (r == REPLY_LATER)
		return;
	if (r < 0 && rq.rq_type != RS_STATUS && rq.rq_type != RS_LOOKUP)
		rs_log("%s request from uid %u refused: %s",
		       request_name(rq.rq_type), uid, rs_strerror(r));
	reply.result = r;
	relay_reply(request_id, &reply);
}

void request_late_reply(struct service *svc, int result)
{
	struct rs_reply reply;

	if (!svc->has_caller)
		return;
	svc->has_caller = false;
	memset(&reply, 0, sizeof(reply));
	reply.result = result;
	service_status(svc, &reply.status);
	relay_reply(svc->caller_request_id, &reply);
}
