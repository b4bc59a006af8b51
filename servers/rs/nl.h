/* SPDX-License-Identifier: MIT */
/*
 * RS's side of the mxsys generic netlink family: register as the relay
 * target, receive the requests of minix-service, send (late) replies.
 * A leaf: it knows nothing of what a request means; main.c hands it the
 * function that does.
 */
#ifndef RS_NL_H
#define RS_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <minix/ipc.h>
#include <minix/rs.h>

/*
 * What becomes of each relayed request: uid is the requester's
 * (UINT32_MAX when the module did not say), payload may be NULL.
 */
typedef void relay_handler(uint32_t request_id, uint32_t uid, int32_t pid,
			   const void *payload, size_t len);

/*
 * Connect and resolve the family; requests will go to handler. Returns 0
 * or a negative errno.
 */
int relay_open(relay_handler *handler);
/*
 * The same on a socket the previous RS left in the fd store (its
 * requests not yet read are still queued there).
 */
int relay_adopt(relay_handler *handler, int fd);
/* Become the relay target (MXSYS_CMD_RS_REGISTER, acknowledged). */
int relay_register(void);
/* The socket, for the event loop; requests arrive once registered. */
int relay_fd(void);
/* Read what is pending and hand every request to the handler. */
void relay_dispatch(void);
int relay_reply(uint32_t request_id, const struct rs_reply *reply);
void relay_close(void);

/* One slot of the module's table (MXSYS_CMD_SLOT_GET), as RS resumes. */
struct slot_view {
	int32_t endpoint;
	unsigned int state;		/* MXSYS_SLOT_STATE_* */
	pid_t pid;			/* 0 for a dead slot */
	int exit_status;		/* a dead slot's wait(2) status */
	bool death_pending;		/* not yet pulled with GETKSIG */
	bool allowed;			/* its process may run its IPC */
	char name[16];
};

/* Read the slot table into slots: the number read, or a negative error. */
int relay_slot_table(struct slot_view *slots, unsigned int max);
/*
 * The state of each endpoint's slot (MXSYS_SLOT_STATE_*; FREE for a free
 * slot or a stale endpoint), from one read of the table: 0, or a
 * negative error.
 */
int relay_slot_states(const endpoint_t *endpoints, unsigned int *states,
		      unsigned int count);
/*
 * Close the socket those two keep between queries, when no more are
 * due for a while (RS holds no descriptor it does not need).
 */
void relay_slot_table_close(void);

#endif /* RS_NL_H */
