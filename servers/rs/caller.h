/* SPDX-License-Identifier: MIT */
/*
 * Requesters waiting for an answer. A request is answered at once, or, when
 * it starts an operation that ends later (up, down, refresh, a restart
 * asked by a script, a live update), by a late reply once it ends. Either
 * way the answer goes through here: a struct caller, held by the service
 * or the update the requester waits for, is the one owner of a late reply,
 * so it is sent once and never lost.
 */
#ifndef RS_CALLER_H
#define RS_CALLER_H

#include <stdbool.h>
#include <stdint.h>

#include <minix/rs.h>

struct caller {
	bool waiting;		/* a requester waits for the answer */
	uint32_t request_id;	/* its netlink request */
};

/* Nobody waits (minix-service -n, or RS's own operations). */
#define CALLER_NOBODY	((struct caller){ .waiting = false })

/* The requester of request_id, waiting. */
struct caller caller_of(uint32_t request_id);

/* Send reply to the waiting requester, if any; afterwards nobody waits. */
void caller_answer(struct caller *caller, const struct rs_reply *reply);

#endif /* RS_CALLER_H */
