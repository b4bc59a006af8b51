/* SPDX-License-Identifier: MIT */
/*
 * The service life cycle: starting, init handshake, heartbeat, death,
 * restart, stop and shutdown. Every change of a service's state (enum
 * service_state, what follows a death, its deadlines) happens in
 * manager.c, through its named transitions, driven by the requests and
 * events below; live updates report to it what they did
 * (struct update_outcome) and it makes the transitions.
 */
#ifndef RS_MANAGER_H
#define RS_MANAGER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "caller.h"
#include "image.h"
#include "nl.h"
#include "policy.h"
#include "service.h"

/* RS's settings, before manager_boot(). */
void manager_set_config_path(const char *path);
/* The unit of the restart backoff (MINIX's RS_DELTA_T, 1 s). */
void manager_set_backoff_period(rs_time_t period_ms);

/*
 * Start the boot service ds; once it runs, the `boot` entries of the
 * system.conf set with manager_set_config_path(). Returns 0 or a
 * negative error.
 */
int manager_boot(const char *ds_path);
/* True once ds has initialised: RS may serve requests. */
bool manager_booted(void);
/*
 * True once ds and every boot entry of system.conf have ended their first
 * init (well or not): systemd hears READY=1 then.
 */
bool manager_boot_done(void);
/*
 * SIGHUP, `minix-service reload`: read system.conf's boot entries again.
 * New ones start; a changed one is taken at the service's next start
 * (binary, args, script, privileges); a removed one is left running.
 */
void manager_reload(void);

/* A new service, as `up` or a boot entry describes it. */
struct service_spec {
	const char *label;
	const char *progname;		/* its system.conf entry */
	const char *binary;
	const char *args;
	const char *script;		/* "": none */
	const struct rs_config *config;
	uint32_t rss_flags;
	uint32_t period_ms;		/* 0: never pinged */
};

/* New settings for a running service (edit). */
struct service_edit {
	const char *binary;		/* NULL: unchanged (and args too) */
	const char *args;
	const char *script;		/* "": unchanged */
	const struct rs_config *config;
	bool period_set;
	uint32_t period_ms;
	uint32_t rss_flags;		/* RSS_REPLICA: keep one from now on */
};

/*
 * Requests, once request.c has checked the requester's permission and
 * the arguments. caller is who waits for the late reply of an operation
 * that ends later (CALLER_NOBODY: nobody).
 */
/* Start a service: 0 (caller answered once its init ends), or an error. */
int manager_up(const struct service_spec *spec, struct caller caller);
/* Take it down for good; caller is answered once it is gone. */
void manager_down(struct service *svc, struct caller caller);
/* SIGTERM, then a restart once it died: 0 or -EBUSY. */
int manager_refresh(struct service *svc, struct caller caller);
/* Restart a TERMINATED service (its script asked): 0 or -EBUSY. */
int manager_restart(struct service *svc);
/* Keep a standby replica (-p): 0, -EEXIST, or a start error. */
int manager_clone(struct service *svc);
/* Stop keeping one: 0 or -ENOENT. */
int manager_unclone(struct service *svc);
/* New settings; the privileges apply at once: 0 or the module's error. */
int manager_edit(struct service *svc, const struct service_edit *edit);
/* RS_UPDATE and RS_SYSCTL UPD_*: update_request(), update_sysctl(). */
int manager_update(struct service *svc, const struct rs_request *rq,
		   struct caller caller);
int manager_update_sysctl(uint32_t subtype, struct caller caller);
/* Stop every service, newest first, then finish with exit_code. */
void manager_shutdown(int exit_code);
bool manager_shutting_down(void);

/* Events from /dev/mxsys (dispatch.c) and the event loop (main.c). */
/* RS_INIT{result, restart_policy} from endpoint (by sendrec). */
void manager_init_ready(endpoint_t endpoint, int result, unsigned int policy);
/* RS_LU_PREPARE{state, result} from endpoint (by sendrec). */
void manager_prepare_ready(endpoint_t endpoint, int state, int result);
/* A notify from endpoint, sent at `when`: a sign of life. */
void manager_alive(endpoint_t endpoint, rs_time_t when);
void manager_death(endpoint_t endpoint, int wait_status, pid_t pid);
void manager_signals(endpoint_t endpoint, uint64_t sigset);
void manager_reaped(pid_t pid);
void manager_timeout(rs_time_t now);
rs_time_t manager_next_deadline(void);

/*
 * RS's own death. The whole state (RS's, the service table, the update,
 * the outbox) goes into an image after every loop turn; a new RS
 * restores it and resumes: it checks every instance against the
 * module's slot table (a swap the old RS made and never committed is
 * taken over; a process it does not know in a known slot is killed, so
 * that its death restarts the service; a death pulled and never handled
 * is handled now; a slot nobody knows is freed) and counts a takeover.
 */
uint32_t manager_state_layout(void);
void manager_save(struct image *img);
/* 0, or -EINVAL for an image this build cannot take (state left empty). */
int manager_restore(const void *data, size_t len);
/* After manager_restore(): the number of lost deaths handled. */
int manager_resume(const struct slot_view *slots, unsigned int n,
		   const char *why);
/* The slot name of RS's standby (standby.c). */
#define RS_STANDBY_NAME		"rs.standby"
/* Slots RS keeps for itself (its standby), not a service's. */
bool manager_slot_is_own(const struct slot_view *slot);
/* RS's takeovers so far, the last one's time and reason. */
void manager_takeover_count(unsigned int *count, rs_time_t *last,
			    const char **why);

/* Bookkeeping after each event; true when RS should exit. */
bool manager_finished(int *exit_code);

#endif /* RS_MANAGER_H */
