/* SPDX-License-Identifier: MIT */
/*
 * Root's Data Store requests (`minix-service ds`, RS_DS), relayed to DS.
 *
 * RS never waits for DS: the request goes by senda with a grant of a
 * page holding a struct ds_admin, and DS's DS_ADMIN_REPLY, matched by its
 * sequence number, is answered to the requester as a late reply. A
 * request DS did not answer in time (it died, or is restarting) is sent
 * again, a few times; then the requester is told DS did not answer. So
 * the requester always gets the answer or a clear error.
 */
#ifndef RS_DS_RELAY_H
#define RS_DS_RELAY_H

#include <stdint.h>

#include <minix/ipc.h>
#include <minix/rs.h>

#include "policy.h"

/* How long one try waits for DS, and how many tries a request gets. */
#define DS_RELAY_TRY_MS		2000
#define DS_RELAY_TRIES		3
/* Requests relayed at once (each holds a page). */
#define DS_RELAY_MAX		16

/*
 * Start relaying rq for request_id. Returns -EDONTREPLY (the answer comes
 * later) or a negative error, with reply->message saying why.
 */
int ds_relay_start(uint32_t request_id, const struct ds_admin *rq,
		   struct rs_reply *reply);

/* DS_ADMIN_REPLY from DS. */
void ds_relay_reply(const message *m);

/* Resend or fail the requests whose try is over. */
void ds_relay_timeout(rs_time_t now);
rs_time_t ds_relay_next_deadline(void);

#endif /* RS_DS_RELAY_H */
