// SPDX-License-Identifier: GPL-2.0
/*
 * The "mxsys" generic netlink family. Requests are relayed to the socket
 * that RS registered, each remembered as a pending record until RS
 * answers it or closes its socket. Everything runs in process context
 * (doit handlers, the netlink release notifier) under relay_lock.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "netlink.h"
#include "proc.h"
#include "slot.h"

#define MX_MAX_PENDING_REQUESTS	256

struct mx_request {
	struct list_head link;
	u32 id;
	u32 portid;		/* requester's socket */
	u32 seq;		/* its request's sequence number */
};

/* relay_lock protects rs_portid, rs_registered, requests and counters. */
static DEFINE_MUTEX(relay_lock);
static bool rs_registered;
static u32 rs_portid;
static LIST_HEAD(requests);
static unsigned int nr_requests;
static u32 next_request_id = 1;

static struct genl_family mx_genl_family;

static const struct nla_policy mx_nl_policy[MXSYS_A_MAX + 1] = {
	[MXSYS_A_REQUEST_ID] = { .type = NLA_U32 },
	[MXSYS_A_UID] = { .type = NLA_U32 },
	[MXSYS_A_PID] = { .type = NLA_S32 },
	[MXSYS_A_PAYLOAD] = { .type = NLA_BINARY, .len = MXSYS_PAYLOAD_MAX },
	[MXSYS_A_ERROR] = { .type = NLA_S32 },
};

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
	return genlmsg_unicast(&init_net, msg, rs_portid);
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
	if (!payload && !error) {
		GENL_SET_ERR_MSG(info, "a reply needs a payload or an error");
		return -EINVAL;
	}
	mutex_lock(&relay_lock);
	req = take_request_locked(nla_get_u32(info->attrs[MXSYS_A_REQUEST_ID]));
	mutex_unlock(&relay_lock);
	if (!req)
		return -ENOENT;
	send_reply(req, payload, error ? nla_get_s32(error) : 0);
	kfree(req);
	return 0;
}

/*
 * A generic netlink socket closed: if it was RS's, RS is unregistered and
 * every pending request is answered with -ESRCH; if it was a requester's,
 * its requests are forgotten.
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
	if (rs_registered && n->portid == rs_portid) {
		rs_registered = false;
		list_splice_init(&requests, &orphans);
		nr_requests = 0;
	} else {
		list_for_each_entry_safe(req, tmp, &requests, link) {
			if (req->portid != n->portid)
				continue;
			list_del(&req->link);
			nr_requests--;
			kfree(req);
		}
	}
	mutex_unlock(&relay_lock);

	list_for_each_entry_safe(req, tmp, &orphans, link) {
		send_reply(req, NULL, -ESRCH);
		kfree(req);
	}
	return NOTIFY_DONE;
}

static struct notifier_block mx_netlink_notifier = {
	.notifier_call = mx_netlink_release,
};

static const struct genl_ops mx_genl_ops[] = {
	{
		.cmd = MXSYS_CMD_RS_REGISTER,
		.doit = rs_register,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = MXSYS_CMD_SERVICE_REQUEST,
		.doit = service_request,
	},
	{
		.cmd = MXSYS_CMD_SERVICE_REPLY,
		.doit = service_reply,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family mx_genl_family __ro_after_init = {
	.name = MXSYS_GENL_NAME,
	.version = MXSYS_GENL_VERSION,
	.maxattr = MXSYS_A_MAX,
	.policy = mx_nl_policy,
	.netnsok = false,
	.resv_start_op = 0,
	.module = THIS_MODULE,
	.ops = mx_genl_ops,
	.n_ops = ARRAY_SIZE(mx_genl_ops),
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

void mx_nl_slot_event(const struct mx_slot_event *ev)
{
}
