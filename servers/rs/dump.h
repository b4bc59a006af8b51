/* SPDX-License-Identifier: MIT */
/*
 * `minix-service dump LABEL` (RS_DUMP): MINIX's SEF debug dump, asked of
 * the service without blocking RS.
 *
 * RS grants the service a page of its memory to write to and sends
 * RS_DEBUG_DUMP by senda; the service's SEF runs its debug dump callback,
 * copies the text into the grant and answers RS_DEBUG_DUMP by senda,
 * matched here by its sequence number. The requester's struct caller is
 * held here until then and answered with the text, or, when the service
 * did not answer within RS_DUMP_TIMEOUT_MS (stuck, busy, not receiving
 * through sef_receive()), with -ETIMEDOUT and a message saying so, or,
 * when it died first, at once with -EDEADEPT.
 */
#ifndef RS_DUMP_H
#define RS_DUMP_H

#include <stdint.h>

#include <minix/ipc.h>
#include <minix/rs.h>

#include "policy.h"

/* Dumps under way at once (each holds a page). */
#define DUMP_MAX	8

/*
 * Ask label's process ep for its dump, for request_id. Returns
 * -EDONTREPLY (the answer comes later) or a negative error, with
 * reply->message saying why.
 */
int dump_start(uint32_t request_id, const char *label, endpoint_t ep,
	       struct rs_reply *reply);

/* RS_DEBUG_DUMP from a service: its answer. */
void dump_reply(const message *m);

/* Answer the dumps whose service did not answer in time. */
void dump_timeout(rs_time_t now);
/* The process asked at ep died: its requests fail now (EDEADEPT). */
void dump_service_died(endpoint_t ep);
rs_time_t dump_next_deadline(void);

#endif /* RS_DUMP_H */
