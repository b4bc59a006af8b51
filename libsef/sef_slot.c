/* SPDX-License-Identifier: MIT */
/*
 * What the module says about a slot that WHOAMI does not: its current
 * signal manager and the signals waiting for it (the debug dump), read
 * with MXSYS_CMD_SLOT_GET on the generic netlink family "mxsys" (open to
 * any user, as /proc). Plain netlink sockets, so
 * that libsef needs no netlink library; one short-lived socket per query,
 * as queries are rare (a signal from a manager other than RS, a dump).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <minix/ipc.h>

#include "sef_internal.h"

#define NL_BUF_WORDS	2048	/* 8 KiB, aligned for the headers */

struct nl_request {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	uint32_t attrs[16];
};

static void request_init(struct nl_request *rq, uint16_t family, uint8_t cmd,
			 uint8_t version)
{
	memset(rq, 0, sizeof(*rq));
	rq->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	rq->nlh.nlmsg_type = family;
	rq->nlh.nlmsg_flags = NLM_F_REQUEST;
	rq->nlh.nlmsg_seq = 1;
	rq->genl.cmd = cmd;
	rq->genl.version = version;
}

static void request_put(struct nl_request *rq, uint16_t type, const void *data,
			uint16_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)rq +
					     NLMSG_ALIGN(rq->nlh.nlmsg_len));

	/* Callers put a few small attributes; rq->attrs holds them. */
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy((char *)a + NLA_HDRLEN, data, len);
	rq->nlh.nlmsg_len = NLMSG_ALIGN(rq->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/*
 * Send rq and take its answer into buf. Generic netlink answers in the
 * sender's own system call, so the reply is there when send() returns: a
 * non-blocking receive can never hang the service.
 */
static int transact(int fd, const struct nl_request *rq, uint32_t *buf,
		    const struct nlmsghdr **reply)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	ssize_t n;

	if (send(fd, rq, rq->nlh.nlmsg_len, 0) < 0)
		return -errno;
	n = recv(fd, buf, NL_BUF_WORDS * sizeof(*buf), MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	if (!NLMSG_OK(nlh, (size_t)n))
		return -EPROTO;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return -EPROTO;
		return e->error < 0 ? e->error : -EPROTO;
	}
	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return -EPROTO;
	*reply = nlh;
	return OK;
}

/* Attribute @type of a generic netlink message, exactly @len bytes long. */
static int reply_get(const struct nlmsghdr *nlh, uint16_t type, void *out,
		     size_t len)
{
	const char *p = (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	size_t rem = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	while (rem >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;

		size_t alen = a->nla_len;

		if (alen < NLA_HDRLEN || alen > rem)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == type) {
			if (alen - NLA_HDRLEN != len)
				return -EPROTO;
			memcpy(out, p + NLA_HDRLEN, len);
			return OK;
		}
		if (NLA_ALIGN(alen) >= rem)
			break;
		rem -= NLA_ALIGN(alen);
		p += NLA_ALIGN(alen);
	}
	return -ENOENT;
}

static int family_id(int fd, uint16_t *id, uint32_t *buf)
{
	static const char name[] = MXSYS_GENL_NAME;
	const struct nlmsghdr *reply;
	struct nl_request rq;
	int r;

	request_init(&rq, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	request_put(&rq, CTRL_ATTR_FAMILY_NAME, name, sizeof(name));
	r = transact(fd, &rq, buf, &reply);
	if (r != OK)
		return r;
	return reply_get(reply, CTRL_ATTR_FAMILY_ID, id, sizeof(*id));
}

/* Attribute type, len bytes, of slot ep's MXSYS_CMD_SLOT_GET answer. */
static int slot_get(endpoint_t ep, uint16_t type, void *out, size_t len)
{
	uint32_t buf[NL_BUF_WORDS];
	const struct nlmsghdr *reply;
	struct nl_request rq;
	uint16_t family;
	int32_t value = ep;
	int fd, r;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	r = family_id(fd, &family, buf);
	if (r == OK) {
		request_init(&rq, family, MXSYS_CMD_SLOT_GET, MXSYS_GENL_VERSION);
		request_put(&rq, MXSYS_A_ENDPOINT, &value, sizeof(value));
		r = transact(fd, &rq, buf, &reply);
	}
	if (r == OK)
		r = reply_get(reply, type, out, len);
	close(fd);
	return r;
}

int sef_slot_signal_manager(endpoint_t ep, endpoint_t *mgr)
{
	int32_t value;
	int r = slot_get(ep, MXSYS_A_SIG_MGR, &value, sizeof(value));

	if (r == OK)
		*mgr = value;
	return r;
}

int sef_slot_sig_pending(endpoint_t ep, uint64_t *pending)
{
	return slot_get(ep, MXSYS_A_SIG_PENDING, pending, sizeof(*pending));
}
