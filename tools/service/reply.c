// SPDX-License-Identifier: MIT
/*
 * The module answers a MXSYS_CMD_SERVICE_REQUEST in one of three ways,
 * all carrying the request's sequence number: an NLMSG_ERROR when it
 * refuses the request (-ESRCH: no rs-daemon registered), or later a
 * MXSYS_CMD_SERVICE_REPLY with either rs-daemon's struct rs_reply
 * (MXSYS_A_PAYLOAD) or the module's own error (MXSYS_A_ERROR, -ESRCH when
 * rs-daemon went away before replying).
 */
#include "reply.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <mxsys.h>

static const struct nla_policy reply_policy[MXSYS_A_MAX + 1] = {
	[MXSYS_A_REQUEST_ID] = { .type = NLA_U32 },
	[MXSYS_A_PAYLOAD] = { .type = NLA_UNSPEC, .maxlen = MXSYS_PAYLOAD_MAX },
	[MXSYS_A_ERROR] = { .type = NLA_S32 },
};

/* error: positive, as carried (negated) by the module. */
static int module_error(int error, char err[SERVICE_ERRLEN])
{
	if (error <= 0)
		return service_fail(EPROTO, err,
				    "bad error %d from the mxsys module",
				    -error);
	if (error == ESRCH)
		return service_fail(ESRCH, err, "rs-daemon is not running");
	err[0] = '\0';
	return error;
}

static int decode_error(const struct nlmsghdr *nlh, bool *answered,
			char err[SERVICE_ERRLEN])
{
	const struct nlmsgerr *nle = nlmsg_data(nlh);

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*nle)))
		return service_fail(EPROTO, err, "truncated netlink error");
	if (nle->error == 0)
		return 0;	/* an ACK nobody asked for: harmless */
	*answered = true;
	return module_error(-nle->error, err);
}

static int decode_service_reply(struct nlmsghdr *nlh, struct rs_reply *reply,
				bool *answered, char err[SERVICE_ERRLEN])
{
	struct nlattr *attrs[MXSYS_A_MAX + 1];
	const struct genlmsghdr *genl;
	int r;

	if (!genlmsg_valid_hdr(nlh, 0))
		return service_fail(EPROTO, err,
				    "truncated generic netlink message");
	genl = nlmsg_data(nlh);
	if (genl->cmd != MXSYS_CMD_SERVICE_REPLY)
		return 0;
	r = genlmsg_parse(nlh, 0, attrs, MXSYS_A_MAX, reply_policy);
	if (r < 0)
		return service_fail(EPROTO, err, "malformed reply: %s",
				    nl_geterror(r));

	*answered = true;
	if (attrs[MXSYS_A_ERROR]) {
		int error = -nla_get_s32(attrs[MXSYS_A_ERROR]);

		if (error == ESRCH)
			return service_fail(ESRCH, err,
					    "rs-daemon went away before replying");
		return module_error(error, err);
	}
	if (!attrs[MXSYS_A_PAYLOAD])
		return service_fail(EPROTO, err, "reply without payload");
	if (nla_len(attrs[MXSYS_A_PAYLOAD]) != (int)sizeof(*reply))
		return service_fail(EPROTO, err,
				    "reply of %d bytes, expected %zu (rs-daemon built from other headers?)",
				    nla_len(attrs[MXSYS_A_PAYLOAD]),
				    sizeof(*reply));
	memcpy(reply, nla_data(attrs[MXSYS_A_PAYLOAD]), sizeof(*reply));
	return 0;
}

int rs_reply_decode(const void *datagram, int len, uint32_t seq, int family,
		    struct rs_reply *reply, bool *answered,
		    char err[SERVICE_ERRLEN])
{
	/* libnl's iterators take a non-const header; nothing is written. */
	struct nlmsghdr *nlh = (struct nlmsghdr *)datagram;
	int r;

	*answered = false;
	err[0] = '\0';
	for (; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_seq != seq)
			continue;
		if (nlh->nlmsg_type == NLMSG_ERROR)
			r = decode_error(nlh, answered, err);
		else if (nlh->nlmsg_type == family)
			r = decode_service_reply(nlh, reply, answered, err);
		else
			r = 0;
		if (r || *answered)
			return r;
	}
	return 0;
}

int rs_reply_error(const struct rs_reply *reply)
{
	if (reply->result > 0)
		return EPROTO;
	/* INT32_MIN cannot be negated; it is no error number either. */
	if (reply->result < -4095)
		return EPROTO;
	return -reply->result;
}

int rs_reply_exit_status(const struct rs_reply *reply)
{
	if (reply->flags & RS_REPLY_CONFIG_ERROR)
		return 1;
	if (rs_reply_error(reply) == 0)
		return 0;
	return service_exit_status(rs_reply_error(reply));
}

void rs_reply_message(const struct rs_reply *reply,
		      char text[RS_REPLY_MESSAGE_LEN])
{
	size_t n = strnlen(reply->message, sizeof(reply->message));

	memcpy(text, reply->message, n);
	text[n] = '\0';
}
