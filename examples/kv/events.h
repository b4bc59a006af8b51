/* SPDX-License-Identifier: MIT */
/*
 * kv-load's per-event accounting. Someone outside (a benchmark, a
 * campaign) marks the moment of each event (a crash, a live update) with
 * SIGUSR1; what the clients see is then split into windows: window 0 runs
 * from the start to the first mark (the load with no event: the host's
 * own noise), window k from mark k to mark k+1. A request's stall counts
 * in the window its answer came in, a retry or a broken connection in the
 * window it happened in: the longest client-visible stall per event is
 * the largest stall of its window.
 *
 * A stall is one request's wait, and on a loaded (or emulated) machine a
 * request can wait tens of milliseconds with no event at all: the
 * stall_before of window 0 says how long. The service's blackout is
 * measured too: the longest time in which no connection got any answer,
 * counted in the window of the answer that ends it, so that the gap from
 * the last answer before a crash to the first one after is the event's.
 * With many connections the blackout's own floor is low, and an event's
 * blackout is its client-visible downtime.
 *
 * SIGUSR2 may close the last event's
 * window early: what follows, up to the next mark, counts in the "between"
 * window instead, so that what the one who marks does after the event has
 * passed (checking that the service is back, say) is not blamed on it.
 * Pure: no I/O, no clock.
 */
#ifndef KV_EVENTS_H
#define KV_EVENTS_H

#include <stddef.h>

#define KV_EVENTS_MAX	1024

struct kv_window {
	long long max_stall;	/* us: the longest one request waited */
	long long max_blackout;	/* us: the longest with no answer at all */
	unsigned long long answered, retried, conns_lost;
};

/* What the medians, maxima and lists are of. */
enum kv_measure { KV_STALL, KV_BLACKOUT };

struct kv_events {
	size_t n;			/* marks */
	long long at[KV_EVENTS_MAX];	/* us, rising */
	long long end[KV_EVENTS_MAX];	/* us: window k+1 closed; 0: open */
	struct kv_window w[KV_EVENTS_MAX + 1];
	struct kv_window between;	/* after a close, before the next mark */
	long long last_answer;		/* us: the latest answer; 0: none */
};

void kv_events_init(struct kv_events *ev);
/* Mark an event at T (us): -1 when full, or T before the last mark. */
int kv_events_mark(struct kv_events *ev, long long t);
/* Close the last event's window at T (us): -1 with no mark, when it is
 * closed already, or T before the mark. */
int kv_events_close(struct kv_events *ev, long long t);
/* The window that time T falls in. */
struct kv_window *kv_events_window(struct kv_events *ev, long long t);
/* An answer at T (us) to a request that waited STALL (us). */
void kv_events_answer(struct kv_events *ev, long long t, long long stall);
void kv_events_retry(struct kv_events *ev, long long t);
void kv_events_conn_lost(struct kv_events *ev, long long t);
/* The median and the largest over the events (windows 1 to n) of their
 * longest stall or blackout: 0 with no event. The median of an even
 * count is the lower one. */
long long kv_events_median(const struct kv_events *ev, enum kv_measure m);
long long kv_events_max(const struct kv_events *ev, enum kv_measure m);
/*
 * The report's fields, appended to BUF (length LEN): " events=N
 * stall_median_us= stall_max_us= stall_before_us= stall_between_us=
 * blackout_median_us= blackout_max_us= blackout_before_us=
 * event_stalls_us=a,b,.. event_blackouts_us=.. event_retried=..
 * event_conns_lost=..", the lists one entry per event ("-" with none).
 * Returns the length it wanted, as snprintf; what does not fit is cut.
 */
size_t kv_events_format(const struct kv_events *ev, char *buf, size_t len);

#endif
