/* SPDX-License-Identifier: MIT */
/*
 * The request/reply exchange with rs-daemon, relayed by the mxsys module
 * over generic netlink (see the uapi header, "GENERIC NETLINK FAMILY").
 */
#ifndef MINIX_SERVICE_NL_H
#define MINIX_SERVICE_NL_H

#include <signal.h>
#include <stdbool.h>
#include <minix/rs.h>
#include "parse.h"

struct rs_link;
struct nl_sock;

/*
 * A generic netlink socket, connected, and the id of the "mxsys" family.
 * Returns the family id, or a negative error number (-ENOENT: the module
 * is not loaded) with err saying what failed.
 */
int mxsys_genl_open(struct nl_sock **sock, char err[SERVICE_ERRLEN]);

/*
 * Is family still the id of "mxsys"? False only when the family is gone
 * or was registered again (the module was reloaded): a waiting program
 * can then stop waiting for an answer that cannot come.
 */
bool mxsys_family_still_there(int family);

/*
 * How often a waiting program checks that the module is still there: an
 * unloaded module can no longer answer, and nothing else would tell us.
 */
#define MXSYS_FAMILY_CHECK_MS	2000

/*
 * Wait until fd can be read, checking every MXSYS_FAMILY_CHECK_MS that
 * family is still registered. With a sigmask (as ppoll's), a signal
 * caught while waiting ends the wait with EINTR; without one, the wait
 * goes on. Returns 0 when fd is readable, else a positive error number
 * with err saying why (ENOENT: "the mxsys module went away before
 * <waiting_for>").
 */
int mxsys_wait_readable(int fd, int family, const sigset_t *sigmask,
			const char *waiting_for, char err[SERVICE_ERRLEN]);

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

/*
 * Give up on an answer after ms of silence (0, the default: wait as long
 * as it takes): rs_link_call then fails with ETIMEDOUT.
 */
void rs_link_set_limit(struct rs_link *link, unsigned int ms);

void rs_link_close(struct rs_link *link);

#endif /* MINIX_SERVICE_NL_H */
