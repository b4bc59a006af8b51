/* SPDX-License-Identifier: MIT */
/* kv-load's per-event accounting (events.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

void kv_events_init(struct kv_events *ev)
{
	memset(ev, 0, sizeof(*ev));
}

int kv_events_mark(struct kv_events *ev, long long t)
{
	if (ev->n == KV_EVENTS_MAX || (ev->n && t < ev->at[ev->n - 1]))
		return -1;
	ev->at[ev->n++] = t;
	return 0;
}

int kv_events_close(struct kv_events *ev, long long t)
{
	if (!ev->n || ev->end[ev->n - 1] || t < ev->at[ev->n - 1])
		return -1;
	/* 0 means open: a close at time 0 is one at the first instant after. */
	ev->end[ev->n - 1] = t ? t : 1;
	return 0;
}

struct kv_window *kv_events_window(struct kv_events *ev, long long t)
{
	size_t k = ev->n;

	/* Mostly the last window: search from the end. */
	while (k > 0 && ev->at[k - 1] > t)
		k--;
	if (k > 0 && ev->end[k - 1] && t >= ev->end[k - 1])
		return &ev->between;
	return &ev->w[k];
}

void kv_events_answer(struct kv_events *ev, long long t, long long stall)
{
	struct kv_window *w = kv_events_window(ev, t);

	w->answered++;
	if (stall > w->max_stall)
		w->max_stall = stall;
	/* Answers come in time order; one that does not ends no blackout. */
	if (ev->last_answer && t - ev->last_answer > w->max_blackout)
		w->max_blackout = t - ev->last_answer;
	if (t > ev->last_answer)
		ev->last_answer = t;
}

void kv_events_retry(struct kv_events *ev, long long t)
{
	kv_events_window(ev, t)->retried++;
}

void kv_events_conn_lost(struct kv_events *ev, long long t)
{
	kv_events_window(ev, t)->conns_lost++;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static long long measure(const struct kv_window *w, enum kv_measure m)
{
	return m == KV_STALL ? w->max_stall : w->max_blackout;
}

long long kv_events_median(const struct kv_events *ev, enum kv_measure m)
{
	long long s[KV_EVENTS_MAX];

	if (!ev->n)
		return 0;
	for (size_t k = 0; k < ev->n; k++)
		s[k] = measure(&ev->w[k + 1], m);
	qsort(s, ev->n, sizeof(s[0]), cmp_ll);
	return s[(ev->n - 1) / 2];
}

long long kv_events_max(const struct kv_events *ev, enum kv_measure m)
{
	long long v = 0;

	for (size_t k = 1; k <= ev->n; k++)
		if (measure(&ev->w[k], m) > v)
			v = measure(&ev->w[k], m);
	return v;
}

/* Append to buf as snprintf would, counting what does not fit. */
static void put(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*at < len ? buf + *at : NULL, *at < len ? len - *at : 0,
		      fmt, ap);
	va_end(ap);
	if (n > 0)
		*at += (size_t)n;
}

enum field { F_STALL, F_BLACKOUT, F_RETRIED, F_CONNS_LOST };

static unsigned long long field_of(const struct kv_window *w, enum field f)
{
	switch (f) {
	case F_STALL:		return (unsigned long long)w->max_stall;
	case F_BLACKOUT:	return (unsigned long long)w->max_blackout;
	case F_RETRIED:		return w->retried;
	default:		return w->conns_lost;
	}
}

static void put_list(const struct kv_events *ev, enum field f, char *buf,
		     size_t len, size_t *at)
{
	if (!ev->n)
		put(buf, len, at, "-");
	for (size_t k = 1; k <= ev->n; k++)
		put(buf, len, at, "%s%llu", k > 1 ? "," : "",
		    field_of(&ev->w[k], f));
}

size_t kv_events_format(const struct kv_events *ev, char *buf, size_t len)
{
	size_t at = 0;

	if (len)
		buf[0] = '\0';
	put(buf, len, &at, " events=%zu stall_median_us=%lld stall_max_us=%lld "
	    "stall_before_us=%lld stall_between_us=%lld "
	    "blackout_median_us=%lld blackout_max_us=%lld "
	    "blackout_before_us=%lld event_stalls_us=",
	    ev->n, kv_events_median(ev, KV_STALL), kv_events_max(ev, KV_STALL),
	    ev->w[0].max_stall, ev->between.max_stall,
	    kv_events_median(ev, KV_BLACKOUT), kv_events_max(ev, KV_BLACKOUT),
	    ev->w[0].max_blackout);
	put_list(ev, F_STALL, buf, len, &at);
	put(buf, len, &at, " event_blackouts_us=");
	put_list(ev, F_BLACKOUT, buf, len, &at);
	put(buf, len, &at, " event_retried=");
	put_list(ev, F_RETRIED, buf, len, &at);
	put(buf, len, &at, " event_conns_lost=");
	put_list(ev, F_CONNS_LOST, buf, len, &at);
	return at;
}
