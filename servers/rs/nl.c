// SPDX-License-Identifier: MIT
/* Generic netlink with libnl-genl-3. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <mxsys.h>

#include "log.h"
#include "nl.h"

_Static_assert(sizeof(struct rs_reply) <= MXSYS_PAYLOAD_MAX,
	       "a reply fits the module's payload");

static relay_handler *handle_request;
static struct nl_sock *sock;
static struct nl_cb *callbacks;
static int family_id = -1;

/* The registration handshake waits for its ACK; afterwards ACKs are off. */
static bool registering;
static bool register_acked;
static int register_error;
/*
 * The registration's sequence number: a standby that took over adopts
 * RS's socket, where ACKs and errors of replies the dead RS sent may
 * still wait. Only the registration's own answer ends the wait; taking
 * an old error for it made a new RS give up and shut down.
 */
static uint32_t register_seq;

static struct nla_policy request_policy[MXSYS_A_MAX + 1] = {
	[MXSYS_A_REQUEST_ID]	= { .type = NLA_U32 },
	[MXSYS_A_UID]		= { .type = NLA_U32 },
	[MXSYS_A_PID]		= { .type = NLA_S32 },
	[MXSYS_A_PAYLOAD]	= { .type = NLA_UNSPEC,
				    .maxlen = MXSYS_PAYLOAD_MAX },
	[MXSYS_A_ERROR]		= { .type = NLA_S32 },
};

/* libnl error codes are positive NLE_*; map the few we expect. */
static int nlerr_to_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_NOMEM:		return -ENOMEM;
	case NLE_OBJ_NOTFOUND:	return -ENOENT;
	case NLE_PERM:		return -EPERM;
	case NLE_NOACCESS:	return -EACCES;
	case NLE_AGAIN:		return -EAGAIN;
	case NLE_BUSY:		return -EBUSY;
	case NLE_INVAL:		return -EINVAL;
	default:		return -EIO;
	}
}

static int on_request(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct genlmsghdr *ghdr;
	struct nlattr *attrs[MXSYS_A_MAX + 1];
	uint32_t request_id, uid = UINT32_MAX;
	int32_t pid = 0;
	int r;

	(void)arg;
	if (hdr->nlmsg_type != family_id || !genlmsg_valid_hdr(hdr, 0))
		return NL_SKIP;
	ghdr = genlmsg_hdr(hdr);
	if (ghdr->cmd != MXSYS_CMD_SERVICE_REQUEST) {
		rs_debug("netlink: ignoring command %u", ghdr->cmd);
		return NL_SKIP;
	}
	r = genlmsg_parse(hdr, 0, attrs, MXSYS_A_MAX, request_policy);
	if (r < 0) {
		rs_warn("netlink: malformed request: %s", nl_geterror(r));
		return NL_SKIP;
	}
	if (!attrs[MXSYS_A_REQUEST_ID]) {
		rs_warn("netlink: request without an id, dropped");
		return NL_SKIP;
	}
	request_id = nla_get_u32(attrs[MXSYS_A_REQUEST_ID]);
	/* A missing uid must never read as root. */
	if (attrs[MXSYS_A_UID])
		uid = nla_get_u32(attrs[MXSYS_A_UID]);
	if (attrs[MXSYS_A_PID])
		pid = nla_get_s32(attrs[MXSYS_A_PID]);
	if (attrs[MXSYS_A_PAYLOAD])
		handle_request(request_id, uid, pid,
			       nla_data(attrs[MXSYS_A_PAYLOAD]),
			       (size_t)nla_len(attrs[MXSYS_A_PAYLOAD]));
	else
		handle_request(request_id, uid, pid, NULL, 0);
	return NL_OK;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	(void)arg;
	if (!registering || nlmsg_hdr(msg)->nlmsg_seq != register_seq)
		return NL_OK;
	register_acked = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	(void)nla;
	(void)arg;
	if (registering && err->msg.nlmsg_seq == register_seq) {
		register_error = err->error;
		return NL_STOP;
	}
	/* The module refused a reply (e.g. its requester went away). */
	rs_warn("netlink: the module rejected a message: %s",
	       sef_strerror(err->error));
	return NL_SKIP;
}

/*
 * The family's id, asked once on a socket of its own: it stays while the
 * module is loaded, and RS's fds do not outlive the module. A standby
 * asks before RS dies (takeover.c), so that a takeover does not.
 */
static int resolve_family(void)
{
	static int resolved = -1;
	struct nl_sock *s;
	int r;

	if (resolved >= 0)
		return resolved;
	s = nl_socket_alloc();
	if (!s)
		return -NLE_NOMEM;
	r = genl_connect(s);
	if (r >= 0)
		r = genl_ctrl_resolve(s, MXSYS_GENL_NAME);
	nl_socket_free(s);
	if (r >= 0)
		resolved = r;
	return r;
}

/*
 * Family, callbacks and options on a connected socket. The family is
 * resolved on another socket: an adopted one may hold requests already,
 * which the answer must not be mixed with.
 */
static int relay_setup(void)
{
	int r;

	family_id = resolve_family();
	if (family_id < 0) {
		rs_err("netlink: no generic netlink family \"%s\" (is the mxsys module loaded?)",
		       MXSYS_GENL_NAME);
		return -ENOENT;
	}
	/* Requests arrive unsolicited, with the kernel's sequence numbers. */
	nl_socket_disable_seq_check(sock);
	nl_socket_disable_auto_ack(sock);
	/* Bursts of requests must not be dropped for want of buffer. */
	r = nl_socket_set_buffer_size(sock, 1 << 18, 1 << 18);
	if (r < 0)
		rs_debug("netlink: buffer size: %s", nl_geterror(r));
	nl_cb_set(callbacks, NL_CB_VALID, NL_CB_CUSTOM, on_request, NULL);
	nl_cb_set(callbacks, NL_CB_ACK, NL_CB_CUSTOM, on_ack, NULL);
	nl_cb_err(callbacks, NL_CB_CUSTOM, on_error, NULL);
	return 0;
}

static int relay_alloc(relay_handler *handler)
{
	handle_request = handler;
	sock = nl_socket_alloc();
	callbacks = nl_cb_alloc(NL_CB_DEFAULT);
	if (!sock || !callbacks) {
		relay_close();
		return -ENOMEM;
	}
	return 0;
}

int relay_open(relay_handler *handler)
{
	int r = relay_alloc(handler);

	if (r < 0)
		return r;
	r = genl_connect(sock);
	if (r < 0) {
		rs_err("netlink: cannot connect: %s", nl_geterror(r));
		r = nlerr_to_errno(r);
		goto fail;
	}
	r = relay_setup();
	if (r < 0)
		goto fail;
	return 0;
fail:
	relay_close();
	return r;
}

int relay_adopt(relay_handler *handler, int fd)
{
	int r = relay_alloc(handler);

	if (r < 0) {
		close(fd);
		return r;
	}
	r = nl_socket_set_fd(sock, NETLINK_GENERIC, fd);
	if (r < 0) {
		rs_err("netlink: cannot adopt socket %d: %s", fd,
		       nl_geterror(r));
		close(fd);
		r = nlerr_to_errno(r);
		goto fail;
	}
	/* The previous RS left it non-blocking; registering waits for an ACK. */
	r = fcntl(fd, F_GETFL);
	if (r >= 0)
		(void)fcntl(fd, F_SETFL, r & ~O_NONBLOCK);
	r = relay_setup();
	if (r < 0)
		goto fail;
	return 0;
fail:
	relay_close();
	return r;
}

int relay_register(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	int r;

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family_id, 0,
			 NLM_F_ACK, MXSYS_CMD_RS_REGISTER, MXSYS_GENL_VERSION)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	r = nl_send_auto(sock, msg);
	/* nl_send_auto gave it its number. */
	register_seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (r < 0)
		return nlerr_to_errno(r);

	/*
	 * Requests relayed right after the registration may come before its
	 * ACK: on_request serves them while we wait.
	 */
	registering = true;
	register_acked = false;
	register_error = 0;
	while (!register_acked && register_error == 0) {
		r = nl_recvmsgs(sock, callbacks);
		if (r < 0 && register_error == 0) {
			register_error = nlerr_to_errno(r);
			break;
		}
	}
	registering = false;
	if (register_error < 0)
		return register_error;
	r = nl_socket_set_nonblocking(sock);
	return r < 0 ? nlerr_to_errno(r) : 0;
}

int relay_fd(void)
{
	return sock ? nl_socket_get_fd(sock) : -1;
}

void relay_dispatch(void)
{
	int r = nl_recvmsgs(sock, callbacks);

	if (r == -NLE_AGAIN || r >= 0)
		return;
	if (r == -NLE_NOMEM)
		rs_err("netlink: receive buffer overrun: requests were lost");
	else
		rs_err("netlink: receive failed: %s", nl_geterror(r));
}

int relay_reply(uint32_t request_id, const struct rs_reply *reply)
{
	struct nl_msg *msg = nlmsg_alloc();
	int r = -ENOMEM;

	if (!msg)
		return r;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family_id, 0, 0,
			 MXSYS_CMD_SERVICE_REPLY, MXSYS_GENL_VERSION) ||
	    nla_put_u32(msg, MXSYS_A_REQUEST_ID, request_id) < 0 ||
	    nla_put(msg, MXSYS_A_PAYLOAD, sizeof(*reply), reply) < 0)
		goto out;
	r = nl_send_auto(sock, msg);
	if (r < 0) {
		rs_err("netlink: cannot send reply %u: %s", request_id,
		       nl_geterror(r));
		r = nlerr_to_errno(r);
	} else {
		r = 0;
	}
out:
	nlmsg_free(msg);
	return r;
}

void relay_close(void)
{
	if (sock)
		nl_socket_free(sock);
	if (callbacks)
		nl_cb_put(callbacks);
	sock = NULL;
	callbacks = NULL;
	family_id = -1;
}

/* ---- the slot table, on a socket of its own ---- */

struct slot_dump {
	struct slot_view *slots;
	unsigned int max, count;
	bool overflow;
};

static struct nla_policy slot_policy[MXSYS_A_MAX + 1] = {
	[MXSYS_A_SLOT]		= { .type = NLA_U32 },
	[MXSYS_A_ENDPOINT]	= { .type = NLA_S32 },
	[MXSYS_A_STATE]		= { .type = NLA_U32 },
	[MXSYS_A_PID]		= { .type = NLA_S32 },
	[MXSYS_A_STATUS]	= { .type = NLA_S32 },
	[MXSYS_A_DEATH_PENDING]	= { .type = NLA_U8 },
	[MXSYS_A_ALLOWED]	= { .type = NLA_U8 },
};

static int on_slot(struct nl_msg *msg, void *arg)
{
	struct slot_dump *dump = arg;
	struct nlattr *attrs[MXSYS_A_MAX + 1];
	struct slot_view *v;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, attrs, MXSYS_A_MAX,
			  slot_policy) < 0 ||
	    !attrs[MXSYS_A_ENDPOINT] || !attrs[MXSYS_A_STATE])
		return NL_SKIP;
	if (dump->count == dump->max) {
		dump->overflow = true;
		return NL_SKIP;
	}
	v = &dump->slots[dump->count++];
	memset(v, 0, sizeof(*v));
	v->endpoint = nla_get_s32(attrs[MXSYS_A_ENDPOINT]);
	v->state = nla_get_u32(attrs[MXSYS_A_STATE]);
	if (attrs[MXSYS_A_PID])
		v->pid = nla_get_s32(attrs[MXSYS_A_PID]);
	if (attrs[MXSYS_A_STATUS])
		v->exit_status = nla_get_s32(attrs[MXSYS_A_STATUS]);
	/*
	 * A module older than the attribute: a dead slot counts as pending,
	 * which loses a death pulled and never handled, never doubles one.
	 */
	v->death_pending = attrs[MXSYS_A_DEATH_PENDING] ?
		nla_get_u8(attrs[MXSYS_A_DEATH_PENDING]) != 0 :
		v->state == MXSYS_SLOT_STATE_DEAD;
	if (attrs[MXSYS_A_ALLOWED])
		v->allowed = nla_get_u8(attrs[MXSYS_A_ALLOWED]) != 0;
	if (attrs[MXSYS_A_NAME])
		nla_strlcpy(v->name, attrs[MXSYS_A_NAME], sizeof(v->name));
	return NL_OK;
}

/*
 * Kept open between dumps (a standby dumps before RS dies, so that the
 * takeover does not connect); closed after a failure, whatever it left.
 */
static struct nl_sock *table_sock;

int relay_slot_table(struct slot_view *slots, unsigned int max)
{
	struct slot_dump dump = { .slots = slots, .max = max };
	int family, r;

	family = resolve_family();
	if (family < 0) {
		r = family;
		goto out;
	}
	if (!table_sock) {
		table_sock = nl_socket_alloc();
		if (!table_sock)
			return -ENOMEM;
		r = genl_connect(table_sock);
		if (r < 0)
			goto out;
	}
	nl_socket_modify_cb(table_sock, NL_CB_VALID, NL_CB_CUSTOM, on_slot,
			    &dump);
	r = genl_send_simple(table_sock, family, MXSYS_CMD_SLOT_GET,
			     MXSYS_GENL_VERSION, NLM_F_DUMP);
	if (r >= 0)
		r = nl_recvmsgs_default(table_sock);
out:
	if (r < 0) {
		if (table_sock)
			nl_socket_free(table_sock);
		table_sock = NULL;
		rs_err("netlink: cannot read the slot table: %s",
		       nl_geterror(r));
		return nlerr_to_errno(r);
	}
	if (dump.overflow)
		return -EOVERFLOW;
	return (int)dump.count;
}

void relay_slot_table_close(void)
{
	if (table_sock)
		nl_socket_free(table_sock);
	table_sock = NULL;
}

/*
 * From a dump, as the takeover reads the table: a request for one slot
 * is answered and then acknowledged (libnl asks for ACKs), and the ACK
 * left behind would be the next query's first answer. One dump answers
 * for every endpoint.
 */
int relay_slot_states(const endpoint_t *endpoints, unsigned int *states,
		      unsigned int count)
{
	static struct slot_view slots[MXSYS_MAX_SLOTS];
	int n = relay_slot_table(slots, MXSYS_MAX_SLOTS);

	if (n < 0)
		return n;
	for (unsigned int e = 0; e < count; e++) {
		states[e] = MXSYS_SLOT_STATE_FREE;
		for (int i = 0; i < n; i++)
			if (slots[i].endpoint == endpoints[e])
				states[e] = slots[i].state;
	}
	return 0;
}
