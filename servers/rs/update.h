/* SPDX-License-Identifier: MIT */
/*
 * Live update (MINIX RS's do_update/do_upd_ready/update.c): one service
 * or a batch (-q, then sysctl upd_run), prepare with maxtime, slot swap,
 * LU init of the new version, commit, or rollback to the old process.
 *
 * While an update owns a service, svc->state is SERVICE_UPDATING and
 * manager.c hands every event about the service, its svc->update
 * instance and the requests below to this module.
 */
#ifndef RS_UPDATE_H
#define RS_UPDATE_H

#include <stdbool.h>
#include <stdint.h>

#include <minix/rs.h>

#include "policy.h"
#include "service.h"

/*
 * RS_UPDATE for svc (permission already checked). Returns OK (-n, -q),
 * a negative error, or -EDONTREPLY when the late reply will come from
 * this module through relay_reply(request_id, ...).
 */
int update_request(struct service *svc, const struct rs_request *rq,
		   uint32_t request_id);
/* RS_SYSCTL UPD_START, UPD_RUN, UPD_STOP, UPD_STATUS (same returns). */
int update_sysctl(uint32_t subtype, uint32_t request_id);

/*
 * An update is running (preparing or initialising): other requests about
 * services get EBUSY, as MINIX's RUPDATE_IS_UPDATING(). A batch that is
 * only scheduled blocks nothing; a scheduled service that goes away ends
 * it (update_service_gone()).
 */
bool update_busy(void);

/* RS_LU_PREPARE{state, result} from endpoint, sent by sendrec. */
void update_prepare_ready(endpoint_t endpoint, int state, int result);
/* RS_INIT{result} from an UPDATING service (sent by sendrec). */
void update_init_ready(struct service *svc, int result);
/*
 * The module reported the death of svc's active process or of its
 * svc->update instance (inst says which: NULL = the active one).
 */
void update_death(struct service *svc, struct instance *inst);

void update_timeout(rs_time_t now);
rs_time_t update_next_deadline(void);

/*
 * RS is shutting down: abort whatever runs (EINTR), roll back. A service
 * whose process died during the update goes to manager_crash() (here as
 * at every end of an update), which may remove it.
 */
void update_abort_all(int result);

/*
 * svc is about to be removed (manager.c's finish_exit, before
 * service_remove): an update including it ends (EDEADSRCDST, as MINIX
 * aborts a scheduled update whose service exits).
 */
void update_service_gone(struct service *svc);

#endif /* RS_UPDATE_H */
