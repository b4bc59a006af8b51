/* SPDX-License-Identifier: MIT */
/*
 * Decoding what the mxsys module sends to `minix-service monitor`: slot
 * events from its multicast group, and the answers to the slot-table
 * queries (MXSYS_CMD_SLOT_GET) that put a name to an endpoint. Pure: a
 * received datagram in, structs out, so that every case is unit tested.
 *
 * A datagram may hold several netlink messages. Each *_next() function
 * decodes the first message of what is left and says how many bytes it
 * used; the caller moves on by that much until nothing is left.
 */
#ifndef MINIX_SERVICE_EVENT_H
#define MINIX_SERVICE_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <mxsys.h>

#include "errors.h"

/* One MXSYS_CMD_SLOT_EVENT. */
struct slot_event {
	uint32_t type;		/* MXSYS_EVENT_* (others are shown by number) */
	int32_t endpoint;
	int32_t pid;		/* 0 when the module sent none */
	int32_t status;		/* DIED: wait(2) status */
	int32_t other;		/* SWAPPED: the other endpoint */
	uint64_t timestamp_ns;	/* CLOCK_MONOTONIC */
	uint64_t seq;		/* 1, 2, ... since the module was loaded */
	bool has_status;
	bool has_other;
	char fd_name[MXSYS_FD_NAME_LEN];	/* FD_STORED, FD_CLOSED */
};

/*
 * "bound", "died", "swapped", "cleared", "fd-stored", "fd-closed", or NULL
 * for another type.
 */
const char *slot_event_name(uint32_t type);

/*
 * Decode the first message of datagram[0..len). *used is set to the bytes
 * it took (the whole rest when it is not a complete netlink message).
 * Returns 0 with *found telling whether it was a slot event of generic
 * netlink family id family (anything else is skipped), or EPROTO with err
 * saying why for a slot event that lacks an attribute or has a wrong one.
 */
int slot_event_next(const void *datagram, int len, int family,
		    struct slot_event *ev, bool *found, int *used,
		    char err[SERVICE_ERRLEN]);

/* What one message of a MXSYS_CMD_SLOT_GET answer was. */
enum slot_answer {
	SLOT_ANSWER_OTHER,	/* not for us (other sequence number, ...) */
	SLOT_ANSWER_SLOT,	/* a slot: *slot is filled */
	SLOT_ANSWER_DONE,	/* end of a dump */
	SLOT_ANSWER_ERROR,	/* the module refused: *error is set */
};

struct slot_info {
	int32_t endpoint;
	char name[MXSYS_NAME_LEN];	/* NUL-terminated; "" if none */
	uint32_t state;			/* MXSYS_SLOT_STATE_* */
	uint32_t fd_count;		/* files in the slot's fd store */
	/*
	 * The caller's room for the store's names (an answer about one
	 * slot has them): fd_names_max of them, nr_fd_names filled in.
	 */
	char (*fd_names)[MXSYS_FD_NAME_LEN];
	uint32_t fd_names_max;
	uint32_t nr_fd_names;
};

/*
 * Decode the first message of datagram[0..len) as the answer to the
 * MXSYS_CMD_SLOT_GET sent with sequence number seq. *used as above.
 * slot->fd_names and fd_names_max say where the fd store's names go
 * (NULL, 0: nowhere); the rest of *slot is filled in.
 * Returns 0 with *answer set (and *slot or *error), or EPROTO with err
 * saying why for a malformed answer.
 */
int slot_answer_next(const void *datagram, int len, uint32_t seq,
		     int family, enum slot_answer *answer,
		     struct slot_info *slot, int *error, int *used,
		     char err[SERVICE_ERRLEN]);

#endif /* MINIX_SERVICE_EVENT_H */
