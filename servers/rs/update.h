/* SPDX-License-Identifier: MIT */
/*
 * Live update (MINIX RS's do_update/do_upd_ready/update.c): one service
 * or a batch (-q, then sysctl upd_run), prepare with maxtime, slot swap,
 * LU init of the new version, commit, or rollback to the old process.
 *
 * The manager hands this module the events of the services an update
 * holds (their state is SERVICE_UPDATING). This module never changes a
 * service's state: every call that may start or end the update reports
 * what happened in a struct update_outcome, and the manager makes the
 * transitions (hands the services over, takes them back, recovers those
 * whose process died, answers the requester).
 */
#ifndef RS_UPDATE_H
#define RS_UPDATE_H

#include <stdbool.h>
#include <stdint.h>

#include <minix/rs.h>

#include "caller.h"
#include "policy.h"
#include "service.h"

struct update_entry;

/* What an update call did, for the manager to act on. */
struct update_outcome {
	/* The update started: update_holds() says which services it has. */
	bool started;
	/* The update is over; the fields below say how. */
	bool ended;
	int result;			/* OK: committed */
	struct caller caller;		/* who waits for the result */
	char why[sizeof(((struct rs_reply *)0)->message)];
	/* The service whose status the answer carries (NULL: none). */
	struct service *status_of;
	/* Its services, in request order: see update_given_back(). */
	struct update_entry *entries;
	unsigned int count;
};

/*
 * The index-th service an ended update gives back to the manager, NULL
 * when that one was never handed over or went away. *replace_replica:
 * it now runs another binary, so its standby replica must be remade.
 */
struct service *update_given_back(const struct update_outcome *out,
				  unsigned int index, bool *replace_replica);
/* Free what an outcome holds, once the manager acted on it. */
void update_outcome_release(struct update_outcome *out);

/*
 * RS_UPDATE for svc (permission already checked). Returns OK (-n, -q),
 * a negative error, or -EDONTREPLY when caller gets the result once the
 * update ends (out->caller then).
 */
int update_request(struct service *svc, const struct rs_request *rq,
		   struct caller caller, struct update_outcome *out);
/* RS_SYSCTL UPD_START, UPD_RUN, UPD_STOP, UPD_STATUS (same returns). */
int update_sysctl(uint32_t subtype, struct caller caller,
		  struct update_outcome *out);

/*
 * An update is running (preparing or initialising): other requests about
 * services get EBUSY, as MINIX's RUPDATE_IS_UPDATING(). A batch that is
 * only scheduled blocks nothing; a scheduled service that goes away ends
 * it (update_service_gone()).
 */
bool update_busy(void);
/* svc is part of the running update: its events belong here. */
bool update_holds(const struct service *svc);

/* RS_LU_PREPARE{state, result} from endpoint, sent by sendrec. */
void update_prepare_ready(endpoint_t endpoint, int state, int result,
			  struct update_outcome *out);
/* RS_INIT{result} from a service the update holds (sent by sendrec). */
void update_init_ready(struct service *svc, int result,
		       struct update_outcome *out);
/*
 * The module reported the death of the active process (inst ==
 * &svc->active) or of the update instance of a service the update holds.
 */
void update_death(struct service *svc, const struct instance *inst,
		  struct update_outcome *out);

void update_timeout(rs_time_t now, struct update_outcome *out);
rs_time_t update_next_deadline(void);

/* Abort whatever is scheduled or runs (a stop, a shutdown): result. */
void update_abort(int result, struct update_outcome *out);
/*
 * After a takeover: the dead RS swapped svc's new version in during the
 * turn it died in, and manager.c took the swap into the records; allowed:
 * the module lets the new version run (its RS_INIT went out). True when
 * the update goes on from there (update_resume()); false when it has no
 * such step, and the swapped-in process is to be killed.
 */
bool update_swap_found(struct service *svc, bool allowed);
/* After a takeover, once every service was checked: finish that swap. */
void update_resume(struct update_outcome *out);

/*
 * svc is about to be removed (before service_remove): an update
 * including it ends (EDEADSRCDST, as MINIX aborts a scheduled update
 * whose service exits).
 */
void update_service_gone(struct service *svc, struct update_outcome *out);

/* The update in RS's state image; restoring replaces it. */
void update_save(struct image *img);
void update_restore(struct image_reader *rd);

#endif /* RS_UPDATE_H */
