/* SPDX-License-Identifier: MIT */
/*
 * RS's side of the mxsys generic netlink family: register as the relay
 * target, receive the requests of minix-service, send (late) replies.
 */
#ifndef RS_NL_H
#define RS_NL_H

#include <stdint.h>

#include <minix/rs.h>

/* Connect and resolve the family. Returns 0 or a negative errno. */
int relay_open(void);
/* Become the relay target (MXSYS_CMD_RS_REGISTER, acknowledged). */
int relay_register(void);
/* The socket, for the event loop; requests arrive once registered. */
int relay_fd(void);
/* Read what is pending and hand every request to request_handle(). */
void relay_dispatch(void);
int relay_reply(uint32_t request_id, const struct rs_reply *reply);
void relay_close(void);

#endif /* RS_NL_H */
