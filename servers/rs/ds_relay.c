// SPDX-License-Identifier: MIT
/* Root's Data Store requests, relayed to DS without blocking RS. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minix/ds_admin.h>
#include <minix/safecopies.h>

#include "caller.h"
#include "ds_relay.h"
#include "granted_page.h"
#include "log.h"
#include "timer.h"

_Static_assert(sizeof(struct ds_admin) <= GRANTED_PAGE_SIZE,
	       "a request fits its page");

struct relay {
	bool used;
	uint32_t seq;
	unsigned int tries;
	rs_time_t deadline;
	struct caller caller;
	struct granted_page buf;	/* the request, and DS's answer */
};

static struct relay relays[DS_RELAY_MAX];
static uint32_t next_seq = 1;

/* The request going to DS, and DS's answer coming back. */
static struct ds_admin *admin_page(struct relay *rl)
{
	return rl->buf.page;
}

static void finish(struct relay *rl, int result, const char *why)
{
	struct rs_reply reply;

	memset(&reply, 0, sizeof(reply));
	reply.result = result;
	if (result == OK)
		reply.ds = *admin_page(rl);
	else if (why)
		snprintf(reply.message, sizeof(reply.message), "%s", why);
	caller_answer(&rl->caller, &reply);
	granted_page_put(&rl->buf);
	memset(rl, 0, sizeof(*rl));
}

/* One try: OK, or the error of the send. */
static int send_try(struct relay *rl)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = DS_ADMIN;
	m.m_ds.seq = rl->seq;
	m.m_ds.val_grant = rl->buf.grant;
	m.m_ds.val_u32 = sizeof(struct ds_admin);
	rl->tries++;
	rl->deadline = now_ms() + DS_RELAY_TRY_MS;
	return asynsend3(DS_PROC_NR, &m, AMF_NOREPLY);
}

int ds_relay_start(uint32_t request_id, const struct ds_admin *rq,
		   struct rs_reply *reply)
{
	struct relay *rl = NULL;
	int r;

	if (ds_admin_check(rq) != OK) {
		snprintf(reply->message, sizeof(reply->message),
			 "malformed ds request");
		return -EINVAL;
	}
	for (unsigned int i = 0; i < DS_RELAY_MAX && !rl; i++)
		if (!relays[i].used)
			rl = &relays[i];
	if (!rl) {
		snprintf(reply->message, sizeof(reply->message),
			 "%d ds requests are already under way", DS_RELAY_MAX);
		return -EBUSY;
	}
	r = granted_page_get(&rl->buf, DS_PROC_NR, sizeof(struct ds_admin),
			     CPF_READ | CPF_WRITE);
	if (r != OK) {
		snprintf(reply->message, sizeof(reply->message),
			 "cannot grant ds the request: %s", sef_strerror(r));
		return r;
	}
	*admin_page(rl) = *rq;
	rl->used = true;
	rl->seq = next_seq++;
	rl->caller = caller_of(request_id);
	/* A failed send is tried again at the deadline (ds may be restarting). */
	r = send_try(rl);
	if (r != OK)
		rs_debug("ds request %u: send: %s", rl->seq, sef_strerror(r));
	return -EDONTREPLY;
}

void ds_relay_reply(const message *m)
{
	if (m->m_source != DS_PROC_NR) {
		rs_warn("DS_ADMIN_REPLY from %d, not ds: ignored", m->m_source);
		return;
	}
	for (unsigned int i = 0; i < DS_RELAY_MAX; i++) {
		struct relay *rl = &relays[i];

		if (rl->used && rl->seq == m->m_ds.seq) {
			int result = (int)m->m_ds.val_u32;

			finish(rl, result, result == -EINVAL &&
			       admin_page(rl)->op == DS_ADMIN_LIST ?
			       "not a valid extended regular expression" :
			       NULL);
			return;
		}
	}
	/* The answer of a try that was already answered or given up. */
	rs_debug("ds answer %u: nobody waits for it", m->m_ds.seq);
}

void ds_relay_timeout(rs_time_t now)
{
	for (unsigned int i = 0; i < DS_RELAY_MAX; i++) {
		struct relay *rl = &relays[i];
		int r;

		if (!rl->used || now < rl->deadline)
			continue;
		if (rl->tries >= DS_RELAY_TRIES) {
			finish(rl, -ETIMEDOUT,
			       "ds did not answer (it may have died or be "
			       "restarting); a set or del may or may not have "
			       "taken effect: check with get");
			continue;
		}
		rs_warn("ds did not answer request %u in %d ms: sending it again",
		       rl->seq, DS_RELAY_TRY_MS);
		r = send_try(rl);
		if (r != OK)
			rs_debug("ds request %u: send: %s", rl->seq,
				 sef_strerror(r));
	}
}

rs_time_t ds_relay_next_deadline(void)
{
	rs_time_t next = RS_TIME_NEVER;

	for (unsigned int i = 0; i < DS_RELAY_MAX; i++)
		if (relays[i].used && relays[i].deadline < next)
			next = relays[i].deadline;
	return next;
}
