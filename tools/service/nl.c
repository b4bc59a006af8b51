// SPDX-License-Identifier: MIT
/*
 * Generic netlink transport of minix-service.
 *
 * The request is sent without NLM_F_ACK: the module answers only on
 * failure (an NLMSG_ERROR, e.g. -ESRCH when no rs-daemon is registered),
 * and otherwise relays rs-daemon's reply, possibly much later (an `up`
 * waits for the service's init), as a MXSYS_CMD_SERVICE_REPLY carrying our
 * sequence number. Messages are read raw so that nothing else (libnl's
 * sequence checks and ACK handling) decides what a stray message means;
 * reply.c decodes them.
 */
#include "nl.h"
#include "slots.h"
#include "reply.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <mxsys.h>

struct rs_link {
	struct nl_sock *sock;
	int family;
	unsigned int limit_ms;	/* rs_link_set_limit; 0: none */
	unsigned int waited_ms;	/* silence so far in this call */
};

int mxsys_genl_open(struct nl_sock **sockp, char err[SERVICE_ERRLEN])
{
	struct nl_sock *sock;
	int r;

	*sockp = NULL;
	sock = nl_socket_alloc();
	if (!sock)
		return -service_fail(ENOMEM, err,
				     "cannot allocate a netlink socket");
	r = genl_connect(sock);
	if (r < 0) {
		nl_socket_free(sock);
		return -service_fail(EIO, err, "generic netlink: %s",
				     nl_geterror(r));
	}
	r = genl_ctrl_resolve(sock, MXSYS_GENL_NAME);
	if (r < 0) {
		nl_socket_free(sock);
		return -service_fail(ENOENT, err,
				     "mxsys module not loaded (no generic netlink family \"%s\"): "
				     "load it with modprobe mxsys, as root",
				     MXSYS_GENL_NAME);
	}
	*sockp = sock;
	return r;
}

int rs_link_open(struct rs_link **linkp, char err[SERVICE_ERRLEN])
{
	struct rs_link *link;
	int family;

	*linkp = NULL;
	link = calloc(1, sizeof(*link));
	if (!link)
		return service_fail(ENOMEM, err, "out of memory");
	family = mxsys_genl_open(&link->sock, err);
	if (family < 0) {
		free(link);
		return -family;
	}
	link->family = family;
	nl_socket_disable_auto_ack(link->sock);
	/* Read each datagram whole, however big. */
	nl_socket_enable_msg_peek(link->sock);
	*linkp = link;
	return 0;
}

void rs_link_close(struct rs_link *link)
{
	if (!link)
		return;
	nl_socket_free(link->sock);
	free(link);
}

bool mxsys_family_still_there(int family)
{
	char ignored[SERVICE_ERRLEN];
	struct nl_sock *sock;
	int now;

	now = mxsys_genl_open(&sock, ignored);
	if (now < 0)
		return now != -ENOENT;	/* only "not found" is proof */
	nl_socket_free(sock);
	return now == family;
}

int mxsys_wait_readable(int fd, int family, const sigset_t *sigmask,
			const char *waiting_for, char err[SERVICE_ERRLEN])
{
	struct timespec check = {
		.tv_sec = MXSYS_FAMILY_CHECK_MS / 1000,
		.tv_nsec = MXSYS_FAMILY_CHECK_MS % 1000 * 1000000L,
	};
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int r;

	for (;;) {
		r = ppoll(&pfd, 1, &check, sigmask);
		if (r > 0)
			return 0;
		if (r < 0 && errno == EINTR && sigmask) {
			err[0] = '\0';
			return EINTR;
		}
		if (r < 0 && errno != EINTR)
			return service_fail(errno, err, "poll: %s",
					    strerror(errno));
		if (r == 0 && !mxsys_family_still_there(family))
			return service_fail(ENOENT, err,
					    "the mxsys module went away before %s",
					    waiting_for);
	}
}

/*
 * RS's slot is dead (no standby took it over) for good: a request waits
 * in RS's kept socket for a successor, which may never come. Asked each
 * RS_CHECK_MS without an answer; RS_DEAD_CHECKS in a row is for good.
 */
#define RS_CHECK_MS	1000
#define RS_DEAD_CHECKS	3

static bool rs_slot_dead(void)
{
	char ignored[SERVICE_ERRLEN];
	struct slot_info slot = { 0 };

	return slot_query_one(MXSYS_RS_ENDPOINT, &slot, ignored) == 0 &&
	       slot.state == MXSYS_SLOT_STATE_DEAD;
}

/*
 * Readable: 0 (the module gone too: mxsys_wait_readable says so then);
 * RS dead and not taken over: ESRCH, with err.
 */
static int wait_for_rs(struct rs_link *link, int fd, int family,
		       char err[SERVICE_ERRLEN])
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int dead = 0;

	for (;;) {
		int r = poll(&pfd, 1, RS_CHECK_MS);

		if (r != 0 || !mxsys_family_still_there(family))
			return 0;	/* readable, or an error the next wait sees */
		link->waited_ms += RS_CHECK_MS;
		if (link->limit_ms && link->waited_ms >= link->limit_ms)
			return service_fail(ETIMEDOUT, err,
					    "rs-daemon did not answer in %u s",
					    link->limit_ms / 1000);
		dead = rs_slot_dead() ? dead + 1 : 0;
		if (dead >= RS_DEAD_CHECKS)
			return service_fail(ESRCH, err,
					    "rs-daemon is not running (it died and nobody took over)");
	}
}

static int receive_reply(struct rs_link *link, uint32_t seq,
			 struct rs_reply *reply, char err[SERVICE_ERRLEN])
{
	bool answered = false;
	int r = 0;

	while (!answered && r == 0) {
		struct sockaddr_nl peer;
		unsigned char *buf = NULL;
		int len;

		r = wait_for_rs(link, nl_socket_get_fd(link->sock),
				link->family, err);
		if (r)
			return r;
		r = mxsys_wait_readable(nl_socket_get_fd(link->sock),
					link->family, NULL,
					"rs-daemon replied", err);
		if (r)
			return r;
		len = nl_recv(link->sock, &peer, &buf, NULL);
		if (len <= 0) {
			free(buf);
			if (len == 0)
				return service_fail(EPROTO, err,
						    "netlink socket closed");
			return service_fail(EIO, err, "netlink receive: %s",
					    nl_geterror(len));
		}
		/* Only the kernel speaks for rs-daemon. */
		if (peer.nl_pid == 0)
			r = rs_reply_decode(buf, len, seq, link->family, reply,
					    &answered, err);
		free(buf);
	}
	return r;
}

int rs_link_call(struct rs_link *link, const struct rs_request *req,
		 struct rs_reply *reply, char err[SERVICE_ERRLEN])
{
	struct nl_msg *msg;
	uint32_t seq;
	int r;

	msg = nlmsg_alloc();
	if (!msg)
		return service_fail(ENOMEM, err, "out of memory");
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, link->family, 0, 0,
			 MXSYS_CMD_SERVICE_REQUEST, MXSYS_GENL_VERSION) ||
	    nla_put(msg, MXSYS_A_PAYLOAD, sizeof(*req), req) < 0) {
		nlmsg_free(msg);
		return service_fail(ENOMEM, err,
				    "cannot build the netlink request");
	}
	r = nl_send_auto(link->sock, msg);
	link->waited_ms = 0;
	seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (r < 0)
		return service_fail(EIO, err, "netlink send: %s",
				    nl_geterror(r));
	return receive_reply(link, seq, reply, err);
}

void rs_link_set_limit(struct rs_link *link, unsigned int ms)
{
	link->limit_ms = ms;
}
