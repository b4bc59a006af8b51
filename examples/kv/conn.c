/* SPDX-License-Identifier: MIT */
/* One connection's protocol state and its crash-safe steps: see conn.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "conn.h"

void (*kv_conn_crash_point)(int point);

static void crash_point(int point)
{
	if (kv_conn_crash_point)
		kv_conn_crash_point(point);
}

void kv_conn_init(struct kv_conn *c)
{
	memset(c, 0, sizeof(*c));
}

size_t kv_conn_input_length(const struct kv_conn *c)
{
	return strnlen(c->in[c->cur & 1], KV_LINE_MAX);
}

size_t kv_conn_input_space(struct kv_conn *c, char **space)
{
	size_t len = kv_conn_input_length(c);

	*space = c->in[c->cur & 1] + len;
	return KV_LINE_MAX - len;
}

/* Drop the first n bytes of input: the rest goes to the other buffer. */
static void consume(struct kv_conn *c, size_t n)
{
	uint32_t from = c->cur & 1, to = from ^ 1;
	size_t len = kv_conn_input_length(c);

	memset(c->in[to], 0, sizeof(c->in[to]));
	memcpy(c->in[to], c->in[from] + n, len - n);
	c->cur = to;
}

static void set_reply(struct kv_reply *rep, enum kv_status st,
		      const char *text)
{
	rep->status = st;
	snprintf(rep->text, sizeof(rep->text), "%s", text);
}

static void store_error(struct kv_reply *rep, int err)
{
	char text[KV_VALUE_MAX + 1];

	snprintf(text, sizeof(text), "store: %s", strerror(-err));
	set_reply(rep, KV_R_ERR, text);
}

void kv_conn_evaluate(const struct kv_request *req, struct kv_store *s,
		      struct kv_reply *rep, enum kv_write *w, char *value)
{
	char old[KV_VALUE_MAX + 1];
	int64_t n = 0;
	int r;

	rep->id = req->id;
	*w = KV_W_NONE;
	switch (req->op) {
	case KV_GET:
		r = s->get(s, req->key, old, sizeof(old));
		if (r == 0)
			set_reply(rep, KV_R_VALUE, old);
		else if (r == -ENOENT)
			set_reply(rep, KV_R_NOTFOUND, "");
		else
			store_error(rep, r);
		break;
	case KV_SET:
		set_reply(rep, KV_R_OK, "");
		*w = KV_W_SET;
		strcpy(value, req->value);
		break;
	case KV_INCR:
		r = s->get(s, req->key, old, sizeof(old));
		if (r && r != -ENOENT) {
			store_error(rep, r);
			break;
		}
		if (r == 0 && kv_parse_i64(old, &n)) {
			set_reply(rep, KV_R_ERR, "not an integer");
			break;
		}
		if (__builtin_add_overflow(n, req->delta, &n)) {
			set_reply(rep, KV_R_ERR, "overflow");
			break;
		}
		snprintf(value, KV_VALUE_MAX + 1, "%" PRId64, n);
		set_reply(rep, KV_R_VALUE, value);
		*w = KV_W_SET;
		break;
	case KV_DEL:
		r = s->get(s, req->key, old, sizeof(old));
		if (r == -ENOENT) {
			set_reply(rep, KV_R_NOTFOUND, "");
		} else if (r) {
			store_error(rep, r);
		} else {
			set_reply(rep, KV_R_DELETED, "");
			*w = KV_W_DEL;
		}
		break;
	}
}

/* The apply step: the write pend holds (idempotent). 0 or -errno. */
static int apply(struct kv_conn *c, struct kv_store *s)
{
	int r = 0;

	if (c->pend.write == KV_W_SET)
		r = s->set(s, c->pend.key, c->pend.value);
	else if (c->pend.write == KV_W_DEL)
		r = s->del(s, c->pend.key);
	/* Redone after a crash, a delete finds the key gone: done. */
	return r == -ENOENT && c->pend.write == KV_W_DEL ? 0 : r;
}

/* The record step: pend becomes the last-reply record (idempotent). */
static void record(struct kv_conn *c)
{
	c->done.valid = 0;
	c->done.mark_valid = 0;
	c->done.id = c->pend.id;
	memcpy(c->done.reply, c->pend.reply, c->pend.reply_len);
	c->done.len = c->pend.reply_len;
	c->done.sent = 0;
	c->done.valid = 1;
}

/* The id of the first whole line of input, or 0. */
static uint64_t first_line_id(const struct kv_conn *c, size_t *len)
{
	const char *in = c->in[c->cur & 1];
	struct kv_request req;
	const char *why;

	*len = kv_line_length(in, kv_conn_input_length(c));
	if (!*len)
		return 0;
	kv_parse_request(in, *len - 1, &req, &why);
	return req.id;
}

int kv_conn_recover(struct kv_conn *c, struct kv_store *s)
{
	size_t len;
	int r;

	/* A record from an incompatible build would index out of range. */
	c->cur &= 1;
	if (c->done.len > KV_REPLY_MAX || c->done.sent > c->done.len)
		c->done.valid = 0;
	if (c->pend.phase != KV_PEND_APPLYING)
		return 0;
	r = apply(c, s);
	if (r) {
		/* Not applied: the request is served again from its line. */
		c->pend.phase = KV_PEND_NONE;
		return 0;
	}
	record(c);
	if (first_line_id(c, &len) == c->pend.id)
		consume(c, len);
	c->pend.phase = KV_PEND_NONE;
	return 1;
}

/* A request we cannot read: answer it with ERR (under its id, if any). */
static void refuse(struct kv_conn *c, uint64_t id, const char *why,
		   int fatal)
{
	struct kv_reply rep = { .id = id };

	set_reply(&rep, KV_R_ERR, why);
	c->done.valid = 0;
	c->done.mark_valid = 0;
	c->done.id = id;
	c->done.len = (uint32_t)kv_format_reply(&rep, c->done.reply,
					       sizeof(c->done.reply));
	c->done.sent = 0;
	c->done.valid = 1;
	if (fatal)
		c->closing = 1;
}

enum kv_step kv_conn_step(struct kv_conn *c, struct kv_store *s)
{
	char *in = c->in[c->cur & 1];
	size_t inlen = kv_conn_input_length(c), len;
	struct kv_request req;
	struct kv_reply rep = { 0 };
	enum kv_write w;
	const char *why;

	if (c->done.valid && c->done.sent < c->done.len)
		return c->closing ? KV_STEP_CLOSE : KV_STEP_REPLY;
	if (c->closing)
		return KV_STEP_CLOSE;
	len = kv_line_length(in, inlen);
	if (!len) {
		if (inlen < KV_LINE_MAX)
			return KV_STEP_IDLE;
		refuse(c, 0, "line too long", 1);
		return KV_STEP_CLOSE;
	}
	if (kv_parse_request(in, len - 1, &req, &why)) {
		/* Recorded first: re-read after a crash, it is a retry. */
		refuse(c, req.id, why, 0);
		consume(c, len);
		return KV_STEP_REPLY;
	}
	if (c->done.valid && req.id == c->done.id) {
		/* A retry: the reply of its one application, again. */
		consume(c, len);
		c->done.mark_valid = 0;
		c->done.sent = 0;
		return KV_STEP_REPLY;
	}

	kv_conn_evaluate(&req, s, &rep, &w, c->pend.value);
	c->pend.write = w;
	c->pend.id = req.id;
	memcpy(c->pend.key, req.key, sizeof(c->pend.key));
	c->pend.reply_len = (uint32_t)kv_format_reply(&rep, c->pend.reply,
						     sizeof(c->pend.reply));
	crash_point(0);
	c->pend.phase = KV_PEND_APPLYING;		/* intent */
	crash_point(1);
	if (c->pend.write != KV_W_NONE) {
		int r = apply(c, s);			/* apply */

		if (r) {
			/* Not applied: say so, and do not redo it. */
			c->pend.phase = KV_PEND_NONE;
			store_error(&rep, r);
			rep.id = req.id;
			c->pend.write = KV_W_NONE;
			c->pend.reply_len = (uint32_t)kv_format_reply(&rep,
				c->pend.reply, sizeof(c->pend.reply));
			c->pend.phase = KV_PEND_APPLYING;
		}
	}
	crash_point(2);
	record(c);					/* record */
	crash_point(3);
	consume(c, len);				/* consume */
	crash_point(4);
	c->pend.phase = KV_PEND_NONE;			/* settle */
	crash_point(5);
	return KV_STEP_REPLY;
}

size_t kv_conn_output(const struct kv_conn *c, const char **out)
{
	if (!c->done.valid || c->done.sent >= c->done.len)
		return 0;
	*out = c->done.reply + c->done.sent;
	return c->done.len - c->done.sent;
}

void kv_conn_sending(struct kv_conn *c, int have_count, uint64_t count)
{
	c->done.mark_valid = 0;
	if (!have_count)
		return;
	c->done.mark_sent = c->done.sent;
	c->done.mark = count;
	c->done.mark_valid = 1;
}

void kv_conn_sent(struct kv_conn *c, size_t n)
{
	c->done.sent += (uint32_t)n;
}

void kv_conn_recover_output(struct kv_conn *c, int have_count,
			    uint64_t count)
{
	uint64_t went;

	if (!have_count || !c->done.mark_valid || !c->done.valid ||
	    count < c->done.mark)
		return;
	/* Idempotent: from the mark, whatever was noted since. */
	went = count - c->done.mark;
	if (went > c->done.len - c->done.mark_sent)
		went = c->done.len - c->done.mark_sent;
	if (c->done.mark_sent + went > c->done.sent)
		c->done.sent = c->done.mark_sent + (uint32_t)went;
}
