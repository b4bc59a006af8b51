/* SPDX-License-Identifier: MIT */
/*
 * Requesters waiting for an answer. A request is answered at once, or, when
 * it starts an operation that ends later (up, down, refresh, a restart
 * asked by a script, a live update), by a late reply once it ends. Either
 * way the answer goes through here: a struct caller, held by the service
 * or the update the requester waits for, is the one owner of a late reply,
 * so it is sent once and never lost.
 *
 * The outbox: an answer is queued, not sent, and goes out with
 * caller_flush() once the loop turn that produced it was committed to
 * RS's snapshot. So no requester hears of a state that a takeover would
 * not find; the outbox is part of the snapshot, so an answer committed
 * and not yet sent when RS died is sent by the next RS.
 */
#ifndef RS_CALLER_H
#define RS_CALLER_H

#include <stdbool.h>
#include <stdint.h>

#include <minix/rs.h>

#include "image.h"

struct caller {
	bool waiting;		/* a requester waits for the answer */
	uint32_t request_id;	/* its netlink request */
};

/* Nobody waits (minix-service -n, or RS's own operations). */
#define CALLER_NOBODY	((struct caller){ .waiting = false })

/* The requester of request_id, waiting. */
struct caller caller_of(uint32_t request_id);

/* Queue reply for the waiting requester, if any; afterwards nobody waits. */
void caller_answer(struct caller *caller, const struct rs_reply *reply);

/* Send the queued answers (after the commit); how many went out. */
unsigned int caller_flush(void);
/* An answer to request id is queued. */
bool caller_queued(uint32_t request_id);

/* The outbox in RS's state image. */
void caller_save(struct image *img);
void caller_restore(struct image_reader *rd);

#endif /* RS_CALLER_H */
