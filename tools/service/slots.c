// SPDX-License-Identifier: MIT
/* Queries of the module's slot table; see slots.h. */
#include "slots.h"
#include "nl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>

/* One slot's answer with every name its store can hold. */
#define ANSWER_MAX	(64 * 1024)

int slot_get_send(struct nl_sock *sock, int family, int32_t endpoint,
		  bool dump, uint32_t *seq, char err[SERVICE_ERRLEN])
{
	struct nl_msg *msg;
	int r;

	msg = nlmsg_alloc();
	if (!msg)
		return service_fail(ENOMEM, err, "out of memory");
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 dump ? NLM_F_DUMP : 0, MXSYS_CMD_SLOT_GET,
			 MXSYS_GENL_VERSION) ||
	    (!dump && nla_put_s32(msg, MXSYS_A_ENDPOINT, endpoint) < 0)) {
		nlmsg_free(msg);
		return service_fail(ENOMEM, err,
				    "cannot build the slot query");
	}
	r = nl_send_auto(sock, msg);
	*seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (r < 0)
		return service_fail(EIO, err, "netlink send: %s",
				    nl_geterror(r));
	return 0;
}

/* Receive until the answer to seq came; 0 or a positive error number. */
static int await_answer(struct nl_sock *sock, int family, uint32_t seq,
			unsigned char *buf, struct slot_info *slot,
			char err[SERVICE_ERRLEN])
{
	int fd = nl_socket_get_fd(sock);

	for (;;) {
		const unsigned char *p = buf;
		enum slot_answer answer;
		int used, error, r;
		ssize_t n;

		r = mxsys_wait_readable(fd, family, NULL,
					"it answered a slot query", err);
		if (r)
			return r;
		n = recv(fd, buf, ANSWER_MAX, MSG_TRUNC);
		if (n < 0)
			return service_fail(errno, err, "netlink receive: %s",
					    strerror(errno));
		if (n > ANSWER_MAX)
			return service_fail(EPROTO, err,
					    "slot answer of %zd bytes", n);
		for (int len = (int)n; len > 0; p += used, len -= used) {
			r = slot_answer_next(p, len, seq, family, &answer,
					     slot, &error, &used, err);
			if (r)
				return r;
			if (answer == SLOT_ANSWER_SLOT)
				return 0;
			if (answer == SLOT_ANSWER_ERROR)
				return error;
		}
	}
}

int slot_query_one(int32_t endpoint, struct slot_info *slot,
		   char err[SERVICE_ERRLEN])
{
	struct nl_sock *sock;
	unsigned char *buf;
	uint32_t seq;
	int family, r;

	family = mxsys_genl_open(&sock, err);
	if (family < 0)
		return -family;
	buf = malloc(ANSWER_MAX);
	if (!buf) {
		r = service_fail(ENOMEM, err, "out of memory");
	} else {
		r = slot_get_send(sock, family, endpoint, false, &seq, err);
		if (r == 0)
			r = await_answer(sock, family, seq, buf, slot, err);
	}
	free(buf);
	nl_socket_free(sock);
	return r;
}
