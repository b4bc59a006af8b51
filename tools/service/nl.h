/* SPDX-License-Identifier: MIT */
/*
 * The request/reply exchange with rs-daemon, relayed by the mxsys module
 * over generic netlink (see the uapi header, "GENERIC NETLINK FAMILY").
 */
#ifndef MINIX_SERVICE_NL_H
#define MINIX_SERVICE_NL_H

#include <minix/rs.h>
#include "parse.h"

struct rs_link;

/*
 * Connect and resolve the "mxsys" family. Returns 0, or a positive error
 * number (ENOENT: the module is not loaded) with err saying what failed.
 */
int rs_link_open(struct rs_link **link, char err[SERVICE_ERRLEN]);

/*
 * Send one request and wait, as long as it takes, for rs-daemon's answer.
 * Returns 0 when a reply arrived (its verdict is reply->result), or a
 * positive error number when none can arrive (ESRCH: rs-daemon is not
 * running or went away) with err saying why. An empty err means the
 * module refused the request itself: report the error as the request's.
 */
int rs_link_call(struct rs_link *link, const struct rs_request *req,
		 struct rs_reply *reply, char err[SERVICE_ERRLEN]);

void rs_link_close(struct rs_link *link);

#endif /* MINIX_SERVICE_NL_H */
