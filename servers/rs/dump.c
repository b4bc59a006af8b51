// SPDX-License-Identifier: MIT
/* Debug dumps of services, asked without blocking RS (see dump.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minix/safecopies.h>

#include "caller.h"
#include "dump.h"
#include "granted_page.h"
#include "log.h"
#include "message.h"
#include "timer.h"

_Static_assert(RS_DUMP_LEN <= GRANTED_PAGE_SIZE, "a dump fits its page");

struct dump {
	bool used;
	uint32_t seq;
	endpoint_t endpoint;
	char label[RS_MAX_LABEL_LEN];
	rs_time_t deadline;
	struct caller caller;
	struct granted_page buf;	/* the service writes its text here */
};

static struct dump dumps[DUMP_MAX];
static uint32_t next_seq = 1;

/* Answer the requester and free the slot. */
static void finish(struct dump *d, struct rs_reply *reply)
{
	caller_answer(&d->caller, reply);
	granted_page_put(&d->buf);
	memset(d, 0, sizeof(*d));
}

__attribute__((format(printf, 3, 4)))
static void fail(struct dump *d, int result, const char *fmt, ...)
{
	struct rs_reply reply;
	va_list ap;

	memset(&reply, 0, sizeof(reply));
	reply.result = result;
	va_start(ap, fmt);
	vsnprintf(reply.message, sizeof(reply.message), fmt, ap);
	va_end(ap);
	finish(d, &reply);
}

int dump_start(uint32_t request_id, const char *label, endpoint_t ep,
	       struct rs_reply *reply)
{
	struct dump *d = NULL;
	int r;

	for (unsigned int i = 0; i < DUMP_MAX && !d; i++)
		if (!dumps[i].used)
			d = &dumps[i];
	if (!d) {
		snprintf(reply->message, sizeof(reply->message),
			 "%d dumps are already under way", DUMP_MAX);
		return -EBUSY;
	}
	r = granted_page_get(&d->buf, ep, RS_DUMP_LEN, CPF_WRITE);
	if (r != OK) {
		snprintf(reply->message, sizeof(reply->message),
			 "cannot grant %s a buffer: %s", label,
			 sef_strerror(r));
		return r;
	}
	d->used = true;
	d->seq = next_seq++;
	d->endpoint = ep;
	snprintf(d->label, sizeof(d->label), "%s", label);
	d->caller = caller_of(request_id);
	d->deadline = now_ms() + RS_DUMP_TIMEOUT_MS;
	r = message_dump(ep, d->buf.grant, RS_DUMP_LEN, d->seq);
	if (r != OK) {
		/* Nothing will come back: answer at once, with the reason. */
		snprintf(reply->message, sizeof(reply->message),
			 "cannot ask %s for its dump: %s", label,
			 sef_strerror(r));
		granted_page_put(&d->buf);
		memset(d, 0, sizeof(*d));
		return r;
	}
	return -EDONTREPLY;
}

void dump_reply(const message *m)
{
	const mess_rs_dump *a = &m->m_rs_dump;
	struct rs_reply reply;

	for (unsigned int i = 0; i < DUMP_MAX; i++) {
		struct dump *d = &dumps[i];

		if (!d->used || d->seq != a->seq)
			continue;
		if (m->m_source != d->endpoint) {
			rs_warn("dump answer %u from %d, asked of %d: ignored",
			       a->seq, m->m_source, d->endpoint);
			return;
		}
		if (a->result != OK) {
			fail(d, a->result, "%s could not dump its state: %s",
			     d->label, sef_strerror(a->result));
			return;
		}
		if (a->size >= RS_DUMP_LEN) {
			fail(d, -EPROTO, "%s answered with a dump of %u bytes, "
			     "more than the %d it was given", d->label,
			     a->size, RS_DUMP_LEN - 1);
			return;
		}
		memset(&reply, 0, sizeof(reply));
		/* The service wrote the page: trust its length, not its NUL. */
		memcpy(reply.dump, d->buf.page, a->size);
		reply.dump[a->size] = '\0';
		if (a->flags & RS_DUMP_CUT)
			reply.flags |= RS_REPLY_DUMP_CUT;
		finish(d, &reply);
		return;
	}
	/* The answer of a dump already given up. */
	rs_debug("dump answer %u from %d: nobody waits for it", a->seq,
		 m->m_source);
}

void dump_service_died(endpoint_t ep)
{
	for (unsigned int i = 0; i < DUMP_MAX; i++) {
		struct dump *d = &dumps[i];

		/* Its successor never saw the request: nobody will answer. */
		if (d->used && d->endpoint == ep)
			fail(d, -EDEADEPT, "%s died before it answered",
			     d->label);
	}
}

void dump_timeout(rs_time_t now)
{
	for (unsigned int i = 0; i < DUMP_MAX; i++) {
		struct dump *d = &dumps[i];

		if (!d->used || now < d->deadline)
			continue;
		rs_warn("%s did not answer its dump request in %d ms",
		       d->label, RS_DUMP_TIMEOUT_MS);
		fail(d, -ETIMEDOUT,
		     "%s did not answer within %d s: it may be busy, stuck, "
		     "or not receiving through sef_receive()", d->label,
		     RS_DUMP_TIMEOUT_MS / 1000);
	}
}

rs_time_t dump_next_deadline(void)
{
	rs_time_t next = RS_TIME_NEVER;

	for (unsigned int i = 0; i < DUMP_MAX; i++)
		if (dumps[i].used && dumps[i].deadline < next)
			next = dumps[i].deadline;
	return next;
}
