/* SPDX-License-Identifier: MIT */
/*
 * The service table: one entry per label, kept in start order (which is
 * also the order `status` lists them in and the reverse of the shutdown
 * order).
 */
#ifndef RS_SERVICE_H
#define RS_SERVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <minix/ipc.h>
#include <minix/rs.h>

#include "policy.h"

/*
 * Per-service state machine (see manager.c for the transitions):
 *
 *   STARTING      process started, RS_INIT sent, its answer pending
 *   RUNNING       initialised; pinged if it has a period
 *   STOPPING      down/shutdown/failed init: it must die and not come back
 *   RESTART_WAIT  crashed, no process, waiting out the backoff
 */
enum service_state {
	SERVICE_STARTING,
	SERVICE_RUNNING,
	SERVICE_STOPPING,
	SERVICE_RESTART_WAIT,
};

struct service {
	char label[RS_MAX_LABEL_LEN];
	char binary[RS_MAX_COMMAND_LEN];
	char args[RS_MAX_COMMAND_LEN];
	unsigned int slot;		/* static slot, or MXSYS_SLOT_DYNAMIC */
	bool core;			/* boot service: never taken down */

	enum service_state state;
	endpoint_t endpoint;		/* NONE until a slot is prepared */
	pid_t pid;			/* 0 when there is no process */
	bool reaped;			/* pid already waited for: never kill it */
	int init_type;			/* SEF_INIT_* of the pending init */
	unsigned int restarts;
	bool no_ping_reply;		/* killed for a missed heartbeat */
	bool killed;			/* SIGKILL already sent */
	struct heartbeat heartbeat;
	rs_time_t deadline;		/* of the current state; RS_TIME_NEVER */
	int stop_result;		/* late reply once a STOPPING one is gone */

	/* A requester waiting for the end of an operation (late reply). */
	bool has_caller;
	uint32_t caller_request_id;
};

/* Add a service (label must be unique); NULL when out of memory. */
struct service *service_add(const char *label);
/* Remove and free it; the pointer is invalid afterwards. */
void service_remove(struct service *svc);

struct service *service_by_label(const char *label);
struct service *service_by_endpoint(endpoint_t endpoint);
struct service *service_by_pid(pid_t pid);
/* The index-th service in start order, NULL past the end. */
struct service *service_at(unsigned int index);
unsigned int service_count(void);

/* Fill the public view of a service (RS_STATUS, RS_LOOKUP). */
void service_status(const struct service *svc, struct rs_status *status);

#endif /* RS_SERVICE_H */
