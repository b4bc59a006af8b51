/* SPDX-License-Identifier: MIT */
/*
 * The service table: one entry per label, kept in start order (which is
 * also the order `status` lists them in and the reverse of the shutdown
 * order). It is RS's whole state about services, and plain data: no
 * pointer leads out of a struct service, so that the table can be written
 * out and read back as it is.
 */
#ifndef RS_SERVICE_H
#define RS_SERVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <minix/ipc.h>
#include <minix/rs.h>

#include "caller.h"
#include "config.h"
#include "image.h"
#include "instance.h"
#include "policy.h"

/*
 * Per-service state machine (manager.c holds the transitions):
 *
 *   STARTING      process started, RS_INIT sent, its answer pending
 *   RUNNING       initialised; pinged if it has a period
 *   STOPPING      it must die (down, refresh, shutdown, a failed init, a
 *                 restart refused); after_death says what comes next
 *   RESTART_WAIT  crashed, no process, waiting out the backoff
 *   TERMINATED    crashed and it has a recovery script: the script decides
 *                 (minix-service restart or down)
 *   UPDATING      a live update holds it (update.c); the active process
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
 * What the death of the active process leads to. Set by the transition
 * into the state the process dies in: STARTING (EXIT, or RETRY_INIT with
 * -b), RUNNING (CRASH), STOPPING (whatever stopped it asked for).
 */
enum after_death {
	AFTER_DEATH_CRASH,	/* recover: restart, backoff or script */
	AFTER_DEATH_EXIT,	/* gone for good, answered stop_result */
	AFTER_DEATH_REFRESH,	/* refresh: recover at once */
	AFTER_DEATH_RESET,	/* reset policy: afresh on a new endpoint */
	AFTER_DEATH_RETRY_INIT,	/* -b: a failed init, retried a period later */
};

struct service {
	/* What it runs and may do (up, edit, a committed update). */
	char label[RS_MAX_LABEL_LEN];
	char progname[RS_MAX_LABEL_LEN];	/* system.conf entry name */
	char binary[RS_MAX_COMMAND_LEN];
	char args[RS_MAX_COMMAND_LEN];
	char script[RS_MAX_SCRIPT_LEN];		/* "" = none */
	struct rs_config config;		/* privileges, from system.conf */
	unsigned int slot;		/* static slot, or MXSYS_SLOT_DYNAMIC */
	bool core;			/* boot service: never taken down */
	uint32_t rss_flags;		/* RSS_* it was started with */

	/* Its life cycle: changed by manager.c's transitions alone. */
	enum service_state state;
	enum after_death after_death;
	rs_time_t deadline;		/* of the current state; RS_TIME_NEVER */
	int init_type;			/* SEF_INIT_* of the pending init */
	int stop_result;		/* late reply once a STOPPING one is gone */
	unsigned int restarts;
	unsigned int policy;		/* RS_POLICY_* its last init reported */
	bool no_ping_reply;		/* killed for a missed heartbeat */
	int death_status;		/* wait(2) status of the last death */
	/* For `status`: since when it runs, and how its last process died. */
	rs_time_t running_since;	/* now_ms() at init done; 0 = not up */
	char last_exit[64];		/* rs_status.last_exit; "" = none */
	/* A boot entry whose first init has not ended (READY=1 waits). */
	bool boot_init_pending;
	/* Started from a boot entry of system.conf (reload compares them). */
	bool boot_entry;
	struct heartbeat heartbeat;
	/*
	 * Signals for a service blocked in a sendrec to RS (its init, its
	 * live-update readiness): a message would be taken as RS's answer,
	 * so they wait until it runs again.
	 */
	uint64_t held_signals;
	/*
	 * A live update committed after a takeover that could not answer
	 * this new version (pid): its init answer, sent again once the dead
	 * RS's sendrec failed, is answered as it was (update.c).
	 */
	pid_t init_answer_owed;

	struct instance active;		/* serves the service's endpoint */
	struct instance replica;	/* standby replica (-p, clone, restart) */
	struct instance update;		/* new version during a live update */

	/* A requester waiting for the end of an operation (late reply). */
	struct caller caller;
};

/* Add a service (label must be unique); NULL when out of memory. */
struct service *service_add(const char *label);
/* Remove and free it; the pointer is invalid afterwards. */
void service_remove(struct service *svc);

struct service *service_by_label(const char *label);
/* The service whose active instance has this endpoint, or pid. */
struct service *service_by_endpoint(endpoint_t endpoint);
struct service *service_by_pid(pid_t pid);
/*
 * The service that has an instance (active, replica or update) with this
 * endpoint, or this pid; *inst is set to it.
 */
struct service *service_by_instance_endpoint(endpoint_t endpoint,
					     struct instance **inst);
struct service *service_by_instance_pid(pid_t pid, struct instance **inst);
/* The index-th service in start order, NULL past the end. */
struct service *service_at(unsigned int index);
unsigned int service_count(void);

/* Fill the public view of a service (RS_STATUS, RS_LOOKUP). */
void service_status(const struct service *svc, struct rs_status *status);

/*
 * The table in RS's state image, as it is (plain data); restoring
 * replaces the whole table (a bad image sets rd->failed).
 */
void service_save(struct image *img);
void service_restore(struct image_reader *rd);

#endif /* RS_SERVICE_H */
