/* SPDX-License-Identifier: MIT */
/*
 * Decoding what the mxsys module sends back for a service request. Pure:
 * a received datagram in, a verdict out, so that every case is unit tested.
 */
#ifndef MINIX_SERVICE_REPLY_H
#define MINIX_SERVICE_REPLY_H

#include <stdbool.h>
#include <stdint.h>
#include <minix/rs.h>
#include "parse.h"

/*
 * Look through one datagram (one or more netlink messages, len bytes) for
 * the answer to the request sent with sequence number seq to generic
 * netlink family id family. Messages with another sequence number, type
 * or command are skipped.
 *
 * Returns 0 with *answered false when the datagram holds no answer; 0 with
 * *answered true and *reply filled when rs-daemon replied; otherwise a
 * positive error number (with *answered true unless the datagram was
 * malformed), and err says why, or is empty when the module refused the
 * request itself (report it as the request's error).
 */
int rs_reply_decode(const void *datagram, int len, uint32_t seq, int family,
		    struct rs_reply *reply, bool *answered,
		    char err[SERVICE_ERRLEN]);

/*
 * rs-daemon's verdict as an error number: 0 for success, else the
 * positive error (EPROTO for a positive result, which RS never sends).
 */
int rs_reply_error(const struct rs_reply *reply);

/*
 * The exit status for rs-daemon's reply: 1 when RS says the request's
 * system.conf entry is wrong (RS_REPLY_CONFIG_ERROR, as MINIX's CLI exits
 * 1 for a configuration error), else rs_reply_error() as an exit status.
 */
int rs_reply_exit_status(const struct rs_reply *reply);

/* RS's explanation, NUL-terminated even if RS sent none; "" if none. */
#define RS_REPLY_MESSAGE_LEN	(sizeof(((struct rs_reply *)0)->message) + 1)
void rs_reply_message(const struct rs_reply *reply,
		      char text[RS_REPLY_MESSAGE_LEN]);

#endif /* MINIX_SERVICE_REPLY_H */
