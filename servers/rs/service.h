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

#include "config.h"
#include "policy.h"

/*
 * Per-service state machine (see manager.c for the transitions):
 *
 *   STARTING      process started, RS_INIT sent, its answer pending
 *   RUNNING       initialised; pinged if it has a period
 *   STOPPING      down/shutdown/failed init: it must die and not come back
 *   RESTART_WAIT  crashed, no process, waiting out the backoff
 *   TERMINATED    crashed and it has a recovery script: the script decides
 *                 (minix-service restart or down)
 *   UPDATING      a live update owns it (update.c); the active process
 *                 is preparing or blocked until the update ends
 */
enum service_state {
	SERVICE_STARTING,
	SERVICE_RUNNING,
	SERVICE_STOPPING,
	SERVICE_RESTART_WAIT,
	SERVICE_TERMINATED,
	SERVICE_UPDATING,
};

/*
 * A process RS started for a service besides the active one: a standby
 * replica (prepared with RST_SYS_PROC, never allowed to run until it
 * takes over) or the new version of a live update (LU_SYS_PROC). Its
 * endpoint is a temporary dynamic slot; after a swap it holds whatever
 * process was swapped out of the service's endpoint.
 */
struct instance {
	endpoint_t endpoint;		/* NONE: no such instance */
	pid_t pid;			/* 0 once its death was reported */
	bool reaped;			/* pid already waited for */
	bool killed;			/* SIGKILL sent */
};

struct service {
	char label[RS_MAX_LABEL_LEN];
	char progname[RS_MAX_LABEL_LEN];	/* system.conf entry name */
	char binary[RS_MAX_COMMAND_LEN];
	char args[RS_MAX_COMMAND_LEN];
	char script[RS_MAX_SCRIPT_LEN];		/* "" = none */
	struct rs_config config;		/* privileges, from system.conf */
	unsigned int slot;		/* static slot, or MXSYS_SLOT_DYNAMIC */
	bool core;			/* boot service: never taken down */
	uint32_t rss_flags;		/* RSS_* it was started with */

	enum service_state state;
	endpoint_t endpoint;		/* NONE until a slot is prepared */
	pid_t pid;			/* 0 when there is no process */
	bool reaped;			/* pid already waited for: never kill it */
	int init_type;			/* SEF_INIT_* of the pending init */
	unsigned int restarts;
	unsigned int policy;		/* RS_POLICY_* its last init reported */
	bool no_ping_reply;		/* killed for a missed heartbeat */
	bool killed;			/* SIGKILL already sent */
	bool refreshing;		/* refresh: restart when it dies */
	bool reincarnate;		/* reset: start afresh once it is dead */
	bool retry_init;		/* -b: init failed, start again once dead */
	struct heartbeat heartbeat;
	rs_time_t deadline;		/* of the current state; RS_TIME_NEVER */
	int stop_result;		/* late reply once a STOPPING one is gone */
	int death_status;		/* wait(2) status of the last death */
	/*
	 * Signals for a service blocked in a sendrec to RS (its init, its
	 * live-update readiness): a message would be taken as RS's answer,
	 * so they wait until it runs again.
	 */
	uint64_t held_signals;

	struct instance replica;	/* standby replica (-p, clone, restart) */
	struct instance update;		/* new version during a live update */

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
/* The service whose replica or update instance has this endpoint. */
struct service *service_by_instance_endpoint(endpoint_t endpoint,
					     struct instance **inst);
struct service *service_by_instance_pid(pid_t pid, struct instance **inst);
/* The index-th service in start order, NULL past the end. */
struct service *service_at(unsigned int index);
unsigned int service_count(void);

/* Fill the public view of a service (RS_STATUS, RS_LOOKUP). */
void service_status(const struct service *svc, struct rs_status *status);

#endif /* RS_SERVICE_H */
