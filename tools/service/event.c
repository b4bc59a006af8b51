// SPDX-License-Identifier: MIT
/*
 * Slot events and slot-table answers, as the uapi header describes them
 * ("GENERIC NETLINK FAMILY", MXSYS_CMD_SLOT_EVENT and MXSYS_CMD_SLOT_GET).
 * The attribute policies check what this program reads; attributes it
 * does not know are left alone, so a newer module still decodes.
 */
#include "event.h"

#include <errno.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>

static const struct nla_policy event_policy[MXSYS_A_MAX + 1] = {
	[MXSYS_A_EVENT] = { .type = NLA_U32 },
	[MXSYS_A_ENDPOINT] = { .type = NLA_S32 },
	[MXSYS_A_TIMESTAMP] = { .type = NLA_U64 },
	[MXSYS_A_SEQ] = { .type = NLA_U64 },
	[MXSYS_A_PID] = { .type = NLA_S32 },
	[MXSYS_A_STATUS] = { .type = NLA_S32 },
	[MXSYS_A_OTHER] = { .type = NLA_S32 },
	[MXSYS_A_FD_NAME] = { .type = NLA_STRING, .maxlen = MXSYS_FD_NAME_LEN },
};

static const struct nla_policy slot_policy[MXSYS_A_MAX + 1] = {
	[MXSYS_A_ENDPOINT] = { .type = NLA_S32 },
	[MXSYS_A_STATE] = { .type = NLA_U32 },
	[MXSYS_A_NAME] = { .type = NLA_STRING, .maxlen = MXSYS_NAME_LEN },
	[MXSYS_A_FD_COUNT] = { .type = NLA_U32 },
	[MXSYS_A_FD_NAME] = { .type = NLA_STRING, .maxlen = MXSYS_FD_NAME_LEN },
};

static const char *const event_names[] = {
	[MXSYS_EVENT_BOUND] = "bound",
	[MXSYS_EVENT_DIED] = "died",
	[MXSYS_EVENT_SWAPPED] = "swapped",
	[MXSYS_EVENT_CLEARED] = "cleared",
	[MXSYS_EVENT_FD_STORED] = "fd-stored",
	[MXSYS_EVENT_FD_CLOSED] = "fd-closed",
};

const char *slot_event_name(uint32_t type)
{
	if (type < sizeof(event_names) / sizeof(event_names[0]))
		return event_names[type];
	return NULL;
}

/*
 * The first message of the datagram, or NULL (with *used covering the
 * rest) when what is left is not a whole netlink message.
 */
static struct nlmsghdr *first_message(const void *datagram, int len,
				      int *used)
{
	/* libnl's accessors take a non-const header; nothing is written. */
	struct nlmsghdr *nlh = (struct nlmsghdr *)datagram;

	*used = len;
	if (len <= 0 || !nlmsg_ok(nlh, len))
		return NULL;
	if ((int)NLMSG_ALIGN(nlh->nlmsg_len) < len)
		*used = (int)NLMSG_ALIGN(nlh->nlmsg_len);
	return nlh;
}

/* Is it a generic netlink message of this family with command cmd? */
static int is_command(struct nlmsghdr *nlh, int family, uint8_t cmd,
		      bool *match, char err[SERVICE_ERRLEN])
{
	*match = false;
	if (nlh->nlmsg_type != family)
		return 0;
	if (!genlmsg_valid_hdr(nlh, 0))
		return service_fail(EPROTO, err,
				    "truncated generic netlink message");
	*match = ((const struct genlmsghdr *)nlmsg_data(nlh))->cmd == cmd;
	return 0;
}

int slot_event_next(const void *datagram, int len, int family,
		    struct slot_event *ev, bool *found, int *used,
		    char err[SERVICE_ERRLEN])
{
	static const int required[] = {
		MXSYS_A_EVENT, MXSYS_A_ENDPOINT, MXSYS_A_TIMESTAMP, MXSYS_A_SEQ,
	};
	struct nlattr *attrs[MXSYS_A_MAX + 1];
	struct nlmsghdr *nlh;
	size_t i;
	int r;

	*found = false;
	err[0] = '\0';
	nlh = first_message(datagram, len, used);
	if (!nlh)
		return 0;
	r = is_command(nlh, family, MXSYS_CMD_SLOT_EVENT, found, err);
	if (r || !*found)
		return r;
	*found = false;
	r = genlmsg_parse(nlh, 0, attrs, MXSYS_A_MAX,
			  event_policy);
	if (r < 0)
		return service_fail(EPROTO, err, "malformed slot event: %s",
				    nl_geterror(r));
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!attrs[required[i]])
			return service_fail(EPROTO, err,
					    "slot event without attribute %d",
					    required[i]);

	memset(ev, 0, sizeof(*ev));
	ev->type = nla_get_u32(attrs[MXSYS_A_EVENT]);
	ev->endpoint = nla_get_s32(attrs[MXSYS_A_ENDPOINT]);
	ev->timestamp_ns = nla_get_u64(attrs[MXSYS_A_TIMESTAMP]);
	ev->seq = nla_get_u64(attrs[MXSYS_A_SEQ]);
	if (attrs[MXSYS_A_PID])
		ev->pid = nla_get_s32(attrs[MXSYS_A_PID]);
	if (attrs[MXSYS_A_STATUS]) {
		ev->status = nla_get_s32(attrs[MXSYS_A_STATUS]);
		ev->has_status = true;
	}
	if (attrs[MXSYS_A_OTHER]) {
		ev->other = nla_get_s32(attrs[MXSYS_A_OTHER]);
		ev->has_other = true;
	}
	if (attrs[MXSYS_A_FD_NAME])
		nla_strlcpy(ev->fd_name, attrs[MXSYS_A_FD_NAME],
			    sizeof(ev->fd_name));
	*found = true;
	return 0;
}

/* Every MXSYS_A_FD_NAME of the message, in order, into slot's room. */
static void decode_fd_names(struct nlmsghdr *nlh, struct slot_info *slot)
{
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(a) != MXSYS_A_FD_NAME ||
		    slot->nr_fd_names >= slot->fd_names_max)
			continue;
		nla_strlcpy(slot->fd_names[slot->nr_fd_names++], a,
			    MXSYS_FD_NAME_LEN);
	}
}

static int decode_slot(struct nlmsghdr *nlh, struct slot_info *slot,
		       char err[SERVICE_ERRLEN])
{
	char (*fd_names)[MXSYS_FD_NAME_LEN] = slot->fd_names;
	uint32_t fd_names_max = slot->fd_names_max;
	struct nlattr *attrs[MXSYS_A_MAX + 1];
	int r;

	r = genlmsg_parse(nlh, 0, attrs, MXSYS_A_MAX,
			  slot_policy);
	if (r < 0)
		return service_fail(EPROTO, err, "malformed slot: %s",
				    nl_geterror(r));
	if (!attrs[MXSYS_A_ENDPOINT])
		return service_fail(EPROTO, err, "slot without an endpoint");
	memset(slot, 0, sizeof(*slot));
	slot->fd_names = fd_names;
	slot->fd_names_max = fd_names_max;
	slot->endpoint = nla_get_s32(attrs[MXSYS_A_ENDPOINT]);
	if (attrs[MXSYS_A_NAME])
		nla_strlcpy(slot->name, attrs[MXSYS_A_NAME],
			    sizeof(slot->name));
	if (attrs[MXSYS_A_FD_COUNT])
		slot->fd_count = nla_get_u32(attrs[MXSYS_A_FD_COUNT]);
	if (attrs[MXSYS_A_STATE])
		slot->state = nla_get_u32(attrs[MXSYS_A_STATE]);
	if (fd_names)
		decode_fd_names(nlh, slot);
	return 0;
}

/* NLMSG_ERROR and NLMSG_DONE both carry an int error first. */
static int message_error(struct nlmsghdr *nlh, int *error,
			 char err[SERVICE_ERRLEN])
{
	int value;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(value)))
		return service_fail(EPROTO, err, "truncated netlink %s",
				    nlh->nlmsg_type == NLMSG_DONE ? "done" :
				    "error");
	memcpy(&value, nlmsg_data(nlh), sizeof(value));
	*error = value < 0 ? -value : 0;
	return 0;
}

int slot_answer_next(const void *datagram, int len, uint32_t seq,
		     int family, enum slot_answer *answer,
		     struct slot_info *slot, int *error, int *used,
		     char err[SERVICE_ERRLEN])
{
	struct nlmsghdr *nlh;
	bool match;
	int r;

	*answer = SLOT_ANSWER_OTHER;
	*error = 0;
	err[0] = '\0';
	nlh = first_message(datagram, len, used);
	if (!nlh || nlh->nlmsg_seq != seq)
		return 0;

	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
			return service_fail(EPROTO, err,
					    "truncated netlink error");
		r = message_error(nlh, error, err);
		if (r == 0 && *error)
			*answer = SLOT_ANSWER_ERROR;
		return r;	/* an ACK nobody asked for is not an answer */
	case NLMSG_DONE:
		r = message_error(nlh, error, err);
		if (r == 0)
			*answer = *error ? SLOT_ANSWER_ERROR : SLOT_ANSWER_DONE;
		return r;
	}
	r = is_command(nlh, family, MXSYS_CMD_SLOT_GET, &match, err);
	if (r || !match)
		return r;
	r = decode_slot(nlh, slot, err);
	if (r == 0)
		*answer = SLOT_ANSWER_SLOT;
	return r;
}
