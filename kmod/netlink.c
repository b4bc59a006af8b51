// SPDX-License-Identifier: GPL-2.0
/*
 * The "mxsys" generic netlink family (protocol in the uapi header).
 *
 * Relay. Service requests are relayed to the socket that RS registered,
 * each remembered as a pending record until RS answers it or the socket
 * it was relayed to closes. This runs in process context (doit handlers,
 * the netlink release notifier) under relay_lock.
 *
 * Slot table. SLOT_GET answers from the table itself, so it works with no
 * RS at all. Each slot is copied under mx_lock into a local struct; the
 * message is built after the lock is dropped.
 *
 * Events. A slot event is queued under mx_lock where the state changes and
 * multicast later from process context by whoever holds event_send_lock,
 * oldest first (see netlink.h).
 *
 * Every command has its own attribute policy and resv_start_op is 0, so
 * the core validates strictly: an attribute the command does not take, an
 * unknown one, a wrong length, a string without its NUL, trailing bytes or
 * a non-zero reserved header byte fail with -EINVAL (-ERANGE for a value
 * or length out of range) and an extack message, before any handler runs.
 */
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "fdstore.h"
#include "netlink.h"
#include "proc.h"
#include "slot.h"

#define MX_MAX_PENDING_REQUESTS	256

struct mx_request {
	struct list_head link;
	u32 id;
	u32 portid;		/* requester's socket */
	u32 seq;		/* its request's sequence number */
	u32 rs_portid;		/* the RS socket it was relayed to */
};

/* relay_lock protects rs_portid, rs_registered, requests and counters. */
static DEFINE_MUTEX(relay_lock);
static bool rs_registered;
static u32 rs_portid;
static LIST_HEAD(requests);
static unsigned int nr_requests;
static u32 next_request_id = 1;

/*
 * Queued slot events, oldest first, under mx_lock. The queue only holds
 * events between their state change and the send that follows it, so it
 * is short; if it is full, an event is dropped and listeners see the gap
 * in MXSYS_A_SEQ.
 */
#define MX_EVENT_QUEUE_LEN	128
static struct mx_slot_event event_queue[MX_EVENT_QUEUE_LEN];
static unsigned int event_head;
static unsigned int event_count;
static u64 event_seq;
/* One sender at a time, so that events leave in queue order. */
static DEFINE_MUTEX(event_send_lock);

static struct genl_family mx_genl_family;

enum mx_mcgrp {
	MX_MCGRP_EVENTS,
};

/*
 * Per-command policies, each covering exactly the attributes its command
 * takes; the others are NLA_UNSPEC, which strict validation refuses
 * ("Unsupported attribute"). RS_REGISTER takes none: with no policy the
 * core rejects every attribute.
 */
static const struct nla_policy service_request_policy[MXSYS_A_MAX + 1] = {
	[MXSYS_A_PAYLOAD] = { .type = NLA_BINARY, .len = MXSYS_PAYLOAD_MAX },
};

static const struct nla_policy service_reply_policy[MXSYS_A_MAX + 1] = {
	[MXSYS_A_REQUEST_ID] = { .type = NLA_U32 },
	[MXSYS_A_PAYLOAD] = { .type = NLA_BINARY, .len = MXSYS_PAYLOAD_MAX },
	/* Relayed to the requester as an errno: a negative one. */
	[MXSYS_A_ERROR] = NLA_POLICY_RANGE(NLA_S32, -MAX_ERRNO, -1),
};

static const struct nla_policy slot_get_policy[MXSYS_A_MAX + 1] = {
	[MXSYS_A_ENDPOINT] = NLA_POLICY_MIN(NLA_S32, 0),
	/* .len excludes the NUL, which NLA_NUL_STRING requires. */
	[MXSYS_A_NAME] = { .type = NLA_NUL_STRING, .len = MXSYS_NAME_LEN - 1 },
};

/* ---- the relay ---- */

/* Is the caller the process bound to the RS slot? */
static bool current_is_rs(void)
{
	struct mx_slot *rs;
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&mx_lock, flags);
	rs = &mx_slots[MXSYS_RS_SLOT];
	ret = rs->state == MX_SLOT_BOUND && rs->proc->tgid == task_tgid(current);
	spin_unlock_irqrestore(&mx_lock, flags);
	return ret;
}

/*
 * A new registration (RS reopened its socket) takes over from the old
 * one; requests already relayed to the old socket stay pending until RS
 * answers them or that socket closes.
 */
static int rs_register(struct sk_buff *skb, struct genl_info *info)
{
	if (!current_is_rs()) {
		GENL_SET_ERR_MSG(info, "caller is not bound to the RS slot");
		return -EPERM;
	}
	mutex_lock(&relay_lock);
	rs_portid = info->snd_portid;
	rs_registered = true;
	mutex_unlock(&relay_lock);
	return 0;
}

/*
 * Send a SERVICE_REPLY to a requester: RS's payload, or, without one, the
 * module's own error.
 */
static int send_reply(const struct mx_request *req, const struct nlattr *payload,
		      s32 error)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(nla_total_size(sizeof(u32)) +
			  (payload ? nla_total_size(nla_len(payload)) :
				     nla_total_size(sizeof(s32))),
			  GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, req->seq, &mx_genl_family, 0,
			  MXSYS_CMD_SERVICE_REPLY);
	if (!hdr)
		goto err_put;
	if (nla_put_u32(msg, MXSYS_A_REQUEST_ID, req->id))
		goto err_put;
	if (payload ? nla_put(msg, MXSYS_A_PAYLOAD, nla_len(payload),
			      nla_data(payload)) :
		      nla_put_s32(msg, MXSYS_A_ERROR, error))
		goto err_put;
	genlmsg_end(msg, hdr);
	return genlmsg_unicast(&init_net, msg, req->portid);

err_put:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int forward_request(struct sk_buff *skb, const struct mx_request *req,
			   const struct nlattr *payload)
{
	struct sk_buff *msg;
	void *hdr;

	lockdep_assert_held(&relay_lock);
	msg = genlmsg_new(3 * nla_total_size(sizeof(u32)) +
			  nla_total_size(nla_len(payload)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &mx_genl_family, 0,
			  MXSYS_CMD_SERVICE_REQUEST);
	if (!hdr ||
	    nla_put_u32(msg, MXSYS_A_REQUEST_ID, req->id) ||
	    nla_put_u32(msg, MXSYS_A_UID,
			from_kuid_munged(&init_user_ns,
					 NETLINK_CB(skb).creds.uid)) ||
	    nla_put_s32(msg, MXSYS_A_PID, NETLINK_CB(skb).creds.pid) ||
	    nla_put(msg, MXSYS_A_PAYLOAD, nla_len(payload), nla_data(payload))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_unicast(&init_net, msg, req->rs_portid);
}

/* Forwarded to RS; no reply now, the requester waits for RS's answer. */
static int service_request(struct sk_buff *skb, struct genl_info *info)
{
	struct mx_request *req;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, MXSYS_A_PAYLOAD))
		return -EINVAL;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	req->portid = info->snd_portid;
	req->seq = info->snd_seq;

	mutex_lock(&relay_lock);
	if (!rs_registered) {
		GENL_SET_ERR_MSG(info, "no RS registered");
		ret = -ESRCH;
		goto out_unlock;
	}
	if (nr_requests >= MX_MAX_PENDING_REQUESTS) {
		ret = -EBUSY;
		goto out_unlock;
	}
	req->id = next_request_id++;
	if (!next_request_id)
		next_request_id = 1;
	req->rs_portid = rs_portid;
	ret = forward_request(skb, req, info->attrs[MXSYS_A_PAYLOAD]);
	if (ret)
		goto out_unlock;
	list_add_tail(&req->link, &requests);
	nr_requests++;
	req = NULL;
out_unlock:
	mutex_unlock(&relay_lock);
	kfree(req);
	return ret;
}

static struct mx_request *take_request_locked(u32 id)
{
	struct mx_request *req;

	lockdep_assert_held(&relay_lock);
	list_for_each_entry(req, &requests, link) {
		if (req->id == id) {
			list_del(&req->link);
			nr_requests--;
			return req;
		}
	}
	return NULL;
}

/* A requester that went away does not make RS's reply fail. */
static int service_reply(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *payload, *error;
	struct mx_request *req;

	if (!current_is_rs()) {
		GENL_SET_ERR_MSG(info, "caller is not bound to the RS slot");
		return -EPERM;
	}
	if (GENL_REQ_ATTR_CHECK(info, MXSYS_A_REQUEST_ID))
		return -EINVAL;
	payload = info->attrs[MXSYS_A_PAYLOAD];
	error = info->attrs[MXSYS_A_ERROR];
	if (!payload == !error) {
		GENL_SET_ERR_MSG(info, "a reply carries a payload or an error");
		return -EINVAL;
	}
	mutex_lock(&relay_lock);
	req = take_request_locked(nla_get_u32(info->attrs[MXSYS_A_REQUEST_ID]));
	mutex_unlock(&relay_lock);
	if (!req) {
		GENL_SET_ERR_MSG(info, "no pending request with this id");
		return -ENOENT;
	}
	send_reply(req, payload, error ? nla_get_s32(error) : 0);
	kfree(req);
	return 0;
}

/*
 * A generic netlink socket closed. If it was RS's, RS is unregistered.
 * Requests relayed to it will never be answered: their requesters get
 * -ESRCH. Requests made from it are forgotten (a late reply from RS then
 * gets -ENOENT). One socket may be both.
 */
static int mx_netlink_release(struct notifier_block *nb, unsigned long state,
			      void *ptr)
{
	struct netlink_notify *n = ptr;
	struct mx_request *req, *tmp;
	LIST_HEAD(orphans);

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net))
		return NOTIFY_DONE;

	mutex_lock(&relay_lock);
	if (rs_registered && n->portid == rs_portid)
		rs_registered = false;
	list_for_each_entry_safe(req, tmp, &requests, link) {
		if (req->rs_portid != n->portid && req->portid != n->portid)
			continue;
		list_move_tail(&req->link, &orphans);
		nr_requests--;
	}
	mutex_unlock(&relay_lock);

	list_for_each_entry_safe(req, tmp, &orphans, link) {
		if (req->portid != n->portid)
			send_reply(req, NULL, -ESRCH);
		kfree(req);
	}
	return NOTIFY_DONE;
}

static struct notifier_block mx_netlink_notifier = {
	.notifier_call = mx_netlink_release,
};

/* ---- the slot table ---- */

/* What a SLOT_GET message tells about one slot, copied under mx_lock. */
struct mx_slot_info {
	u32 index;
	s32 endpoint;
	u32 state;
	u32 flags;
	s32 sig_mgr;
	s32 bak_sig_mgr;
	s32 pid;
	s32 exit_status;
	u64 call_mask;
	u64 sig_pending;
	bool allowed;
	bool death_pending;
	char name[MXSYS_NAME_LEN];
	u32 nr_fds;
	/* Single-slot answers only: the fd store's names, kmalloc'ed. */
	char (*fd_names)[MXSYS_FD_NAME_LEN];
};

/* Copy @slot into @info, pid as seen from @ns; false for a free slot. */
static bool slot_info_locked(const struct mx_slot *slot,
			     struct pid_namespace *ns, struct mx_slot_info *info)
{
	lockdep_assert_held(&mx_lock);
	if (slot->state == MX_SLOT_FREE)
		return false;
	info->index = slot->index;
	info->endpoint = mx_slot_endpoint(slot);
	info->state = slot->state;
	info->flags = slot->flags;
	info->sig_mgr = slot->sig_mgr;
	info->bak_sig_mgr = slot->bak_sig_mgr;
	/*
	 * A dead slot's process is gone and its pid may name another one by
	 * now. pid_nr_ns() gives 0 for a process not visible in @ns.
	 */
	info->pid = slot->state == MX_SLOT_DEAD ? 0 : pid_nr_ns(slot->pid, ns);
	info->exit_status = slot->exit_status;
	info->call_mask = slot->call_mask;
	info->sig_pending = slot->sig_pending;
	info->allowed = slot->allowed;
	info->death_pending = slot->death_pending;
	memcpy(info->name, slot->name, sizeof(info->name));
	info->name[sizeof(info->name) - 1] = '\0';
	info->nr_fds = slot->nr_fds;
	info->fd_names = NULL;
	return true;
}

/*
 * The names of @slot's fd store into @names (room for MXSYS_FD_MAX);
 * their number.
 */
static u32 fd_names_locked(const struct mx_slot *slot,
			   char (*names)[MXSYS_FD_NAME_LEN])
{
	const struct mx_fd_entry *e;
	u32 n = 0;

	lockdep_assert_held(&mx_lock);
	list_for_each_entry(e, &slot->fds, link)
		memcpy(names[n++], e->name, MXSYS_FD_NAME_LEN);
	return n;
}

static size_t slot_msg_size(u32 nr_fd_names)
{
	return nla_total_size(sizeof(u32)) * 4 +	/* SLOT, STATE, FLAGS, */
							/* FD_COUNT */
	       nla_total_size(MXSYS_FD_NAME_LEN) * nr_fd_names +
	       nla_total_size(sizeof(s32)) * 5 +	/* ENDPOINT, SIG_MGR, */
							/* BAK_SIG_MGR, PID, STATUS */
	       nla_total_size(sizeof(u8)) * 2 +	/* ALLOWED, */
							/* DEATH_PENDING */
	       nla_total_size(MXSYS_NAME_LEN) +		/* NAME */
	       nla_total_size_64bit(sizeof(u64)) * 2;	/* CALL_MASK, SIG_PENDING */
}

static int put_slot(struct sk_buff *skb, const struct mx_slot_info *info,
		    u32 portid, u32 seq, int flags)
{
	void *hdr;
	u32 i;

	hdr = genlmsg_put(skb, portid, seq, &mx_genl_family, flags,
			  MXSYS_CMD_SLOT_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MXSYS_A_SLOT, info->index) ||
	    nla_put_s32(skb, MXSYS_A_ENDPOINT, info->endpoint) ||
	    nla_put_u32(skb, MXSYS_A_STATE, info->state) ||
	    nla_put_string(skb, MXSYS_A_NAME, info->name) ||
	    nla_put_u32(skb, MXSYS_A_FLAGS, info->flags) ||
	    nla_put_u8(skb, MXSYS_A_ALLOWED, info->allowed) ||
	    nla_put_u8(skb, MXSYS_A_DEATH_PENDING, info->death_pending) ||
	    nla_put_s32(skb, MXSYS_A_SIG_MGR, info->sig_mgr) ||
	    nla_put_s32(skb, MXSYS_A_BAK_SIG_MGR, info->bak_sig_mgr) ||
	    nla_put_s32(skb, MXSYS_A_PID, info->pid) ||
	    nla_put_u64_64bit(skb, MXSYS_A_CALL_MASK, info->call_mask,
			      MXSYS_A_PAD) ||
	    nla_put_u64_64bit(skb, MXSYS_A_SIG_PENDING, info->sig_pending,
			      MXSYS_A_PAD) ||
	    nla_put_u32(skb, MXSYS_A_FD_COUNT, info->nr_fds) ||
	    (info->state == MX_SLOT_DEAD &&
	     nla_put_s32(skb, MXSYS_A_STATUS, info->exit_status)))
		goto err_cancel;
	for (i = 0; info->fd_names && i < info->nr_fds; i++)
		if (nla_put_string(skb, MXSYS_A_FD_NAME, info->fd_names[i]))
			goto err_cancel;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Lowest non-free slot named @name; mx_lock held. */
static struct mx_slot *slot_by_name_locked(const char *name)
{
	unsigned int i;

	lockdep_assert_held(&mx_lock);
	for (i = 0; i < mx_nr_slots; i++)
		if (mx_slots[i].state != MX_SLOT_FREE &&
		    !strncmp(mx_slots[i].name, name, MXSYS_NAME_LEN))
			return &mx_slots[i];
	return NULL;
}

/* SLOT_GET without NLM_F_DUMP: one slot, by endpoint or by name. */
static int slot_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *ep = info->attrs[MXSYS_A_ENDPOINT];
	struct nlattr *name = info->attrs[MXSYS_A_NAME];
	char (*fd_names)[MXSYS_FD_NAME_LEN];
	struct mx_slot_info si;
	struct mx_slot *slot;
	struct sk_buff *msg;
	unsigned long flags;
	int ret = 0;

	if (!ep == !name) {
		GENL_SET_ERR_MSG(info, "give MXSYS_A_ENDPOINT or MXSYS_A_NAME");
		return -EINVAL;
	}
	fd_names = kmalloc_array(MXSYS_FD_MAX, MXSYS_FD_NAME_LEN, GFP_KERNEL);
	if (!fd_names)
		return -ENOMEM;
	spin_lock_irqsave(&mx_lock, flags);
	if (ep) {
		ret = mx_slot_lookup_locked(nla_get_s32(ep), &slot);
		if (ret == -MXSYS_EDEADEPT)	/* free, or a stale generation */
			ret = -ENOENT;
	} else {
		slot = slot_by_name_locked(nla_data(name));
		ret = slot ? 0 : -ENOENT;
	}
	if (!ret) {
		slot_info_locked(slot, task_active_pid_ns(current), &si);
		si.nr_fds = fd_names_locked(slot, fd_names);
		si.fd_names = fd_names;
	}
	spin_unlock_irqrestore(&mx_lock, flags);
	if (ret == -EINVAL)
		GENL_SET_ERR_MSG(info, "endpoint out of range");
	else if (ret)
		GENL_SET_ERR_MSG(info, "no such slot");
	if (ret)
		goto out_free_names;

	msg = genlmsg_new(slot_msg_size(si.nr_fds), GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_free_names;
	}
	ret = put_slot(msg, &si, info->snd_portid, info->snd_seq, 0);
	if (ret) {
		nlmsg_free(msg);
		goto out_free_names;
	}
	ret = genlmsg_reply(msg, info);
out_free_names:
	kfree(fd_names);
	return ret;
}

/* A dump's state between its parts, in cb->ctx. */
struct mx_dump_ctx {
	struct pid_namespace *pid_ns;	/* the requester's, for MXSYS_A_PID */
	unsigned int next;		/* the slot to go on from */
};

static struct mx_dump_ctx *dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct mx_dump_ctx) > sizeof(cb->ctx));
	return (struct mx_dump_ctx *)cb->ctx;
}

/*
 * Runs in the requester's sendmsg(); later parts of the dump may run in
 * whoever reads the socket, so the pid namespace is taken now.
 */
static int slot_dump_start(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct mx_dump_ctx *ctx = dump_ctx(cb);

	if (info->attrs[MXSYS_A_ENDPOINT] || info->attrs[MXSYS_A_NAME])
		return -EINVAL;		/* a dump is not filtered */
	ctx->pid_ns = get_pid_ns(task_active_pid_ns(current));
	ctx->next = 0;
	return 0;
}

/*
 * One message per non-free slot, as many as fit in @skb, from ctx->next.
 * Not a snapshot of the whole table: each message is one slot as it was
 * when it was copied.
 */
static int slot_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mx_dump_ctx *ctx = dump_ctx(cb);
	struct mx_slot_info si;
	unsigned long flags;
	bool used;

	for (; ctx->next < mx_nr_slots; ctx->next++) {
		spin_lock_irqsave(&mx_lock, flags);
		used = slot_info_locked(&mx_slots[ctx->next], ctx->pid_ns, &si);
		spin_unlock_irqrestore(&mx_lock, flags);
		if (!used)
			continue;
		if (put_slot(skb, &si, NETLINK_CB(cb->skb).portid,
			     cb->nlh->nlmsg_seq, NLM_F_MULTI)) {
			/* Full: the next part starts with this slot. */
			return skb->len ?: -EMSGSIZE;
		}
	}
	return skb->len;
}

static int slot_dump_done(struct netlink_callback *cb)
{
	put_pid_ns(dump_ctx(cb)->pid_ns);
	return 0;
}

/* ---- slot events ---- */

void mx_nl_slot_event_locked(struct mx_slot_event *ev)
{
	lockdep_assert_held(&mx_lock);
	ev->timestamp = ktime_get_ns();
	ev->seq = ++event_seq;
	if (event_count == MX_EVENT_QUEUE_LEN)
		return;
	event_queue[(event_head + event_count) % MX_EVENT_QUEUE_LEN] = *ev;
	event_count++;
}

static bool event_pop(struct mx_slot_event *ev)
{
	unsigned long flags;
	bool ret = false;

	spin_lock_irqsave(&mx_lock, flags);
	if (event_count) {
		*ev = event_queue[event_head];
		event_head = (event_head + 1) % MX_EVENT_QUEUE_LEN;
		event_count--;
		ret = true;
	}
	spin_unlock_irqrestore(&mx_lock, flags);
	return ret;
}

static size_t event_msg_size(void)
{
	return nla_total_size(MXSYS_FD_NAME_LEN) +	/* FD_NAME */
	       nla_total_size(sizeof(u32)) +		/* EVENT */
	       nla_total_size(sizeof(s32)) * 4 +	/* ENDPOINT, PID, */
							/* STATUS, OTHER */
	       nla_total_size_64bit(sizeof(u64)) * 2;	/* TIMESTAMP, SEQ */
}

/*
 * A lost event (no memory, or a listener's full receive buffer, which
 * also gets ENOBUFS) shows as a gap in MXSYS_A_SEQ.
 */
static void send_event(const struct mx_slot_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&mx_genl_family, &init_net, MX_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(event_msg_size(), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &mx_genl_family, 0, MXSYS_CMD_SLOT_EVENT);
	if (!hdr ||
	    nla_put_u32(msg, MXSYS_A_EVENT, ev->type) ||
	    nla_put_s32(msg, MXSYS_A_ENDPOINT, ev->endpoint) ||
	    nla_put_u64_64bit(msg, MXSYS_A_TIMESTAMP, ev->timestamp,
			      MXSYS_A_PAD) ||
	    nla_put_u64_64bit(msg, MXSYS_A_SEQ, ev->seq, MXSYS_A_PAD) ||
	    (ev->pid && nla_put_s32(msg, MXSYS_A_PID, ev->pid)) ||
	    (ev->type == MXSYS_EVENT_DIED &&
	     nla_put_s32(msg, MXSYS_A_STATUS, ev->status)) ||
	    (ev->type == MXSYS_EVENT_SWAPPED &&
	     nla_put_s32(msg, MXSYS_A_OTHER, ev->other)) ||
	    ((ev->type == MXSYS_EVENT_FD_STORED ||
	      ev->type == MXSYS_EVENT_FD_CLOSED) &&
	     nla_put_string(msg, MXSYS_A_FD_NAME, ev->fd_name))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	/* -ESRCH: the last listener has just left; nothing to do. */
	genlmsg_multicast(&mx_genl_family, msg, 0, MX_MCGRP_EVENTS, GFP_KERNEL);
}

void mx_nl_slot_events_send(void)
{
	struct mx_slot_event ev;

	lockdep_assert_not_held(&mx_lock);
	might_sleep();
	mutex_lock(&event_send_lock);
	while (event_pop(&ev))
		send_event(&ev);
	mutex_unlock(&event_send_lock);
}

/* ---- the family ---- */

static const struct genl_ops mx_genl_ops[] = {
	{
		.cmd = MXSYS_CMD_RS_REGISTER,
		.doit = rs_register,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MXSYS_CMD_SERVICE_REQUEST,
		.doit = service_request,
		.policy = service_request_policy,
		.maxattr = MXSYS_A_MAX,
	},
	{
		.cmd = MXSYS_CMD_SERVICE_REPLY,
		.doit = service_reply,
		.policy = service_reply_policy,
		.maxattr = MXSYS_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		/* Anyone, like /proc: pids are in the requester's namespace. */
		.cmd = MXSYS_CMD_SLOT_GET,
		.doit = slot_get,
		.start = slot_dump_start,
		.dumpit = slot_dump,
		.done = slot_dump_done,
		.policy = slot_get_policy,
		.maxattr = MXSYS_A_MAX,
	},
};

/*
 * Events carry pids (in the initial pid namespace) and exit statuses:
 * listening needs CAP_NET_ADMIN. A 6.1 release from before the flag was
 * backported cannot restrict a group; there it is open.
 */
static const struct genl_multicast_group mx_mcgrps[] = {
	[MX_MCGRP_EVENTS] = {
		.name = MXSYS_GENL_MCGRP_EVENTS,
#ifdef GENL_MCAST_CAP_NET_ADMIN
		.flags = GENL_MCAST_CAP_NET_ADMIN,
#endif
	},
};

static struct genl_family mx_genl_family __ro_after_init = {
	.name = MXSYS_GENL_NAME,
	.version = MXSYS_GENL_VERSION,
	.maxattr = MXSYS_A_MAX,
	.netnsok = false,
	.resv_start_op = 0,
	.module = THIS_MODULE,
	.ops = mx_genl_ops,
	.n_ops = ARRAY_SIZE(mx_genl_ops),
	.mcgrps = mx_mcgrps,
	.n_mcgrps = ARRAY_SIZE(mx_mcgrps),
};

int mx_netlink_init(void)
{
	int ret;

	ret = netlink_register_notifier(&mx_netlink_notifier);
	if (ret)
		return ret;
	ret = genl_register_family(&mx_genl_family);
	if (ret)
		goto err_family;
	return 0;

err_family:
	netlink_unregister_notifier(&mx_netlink_notifier);
	return ret;
}

void mx_netlink_uninit(void)
{
	struct mx_request *req, *tmp;

	genl_unregister_family(&mx_genl_family);
	netlink_unregister_notifier(&mx_netlink_notifier);
	list_for_each_entry_safe(req, tmp, &requests, link)
		kfree(req);
	INIT_LIST_HEAD(&requests);
	nr_requests = 0;
	rs_registered = false;
}
