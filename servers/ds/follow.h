/* SPDX-License-Identifier: MIT */
/*
 * A standby's head start. A restarted DS must rebuild its store from the
 * whole journal before it can answer, which takes time in proportion to
 * the number of keys. A ds-daemon that waits to be swapped in (a standby
 * replica, `minix-service clone ds`, or a live update's new version) need
 * not wait idle: it follows the journal of the DS that serves, replaying
 * each record into its own store as soon as it is committed, so that
 * when it takes over only what was committed since its last look is left
 * to replay.
 *
 * Finding the journal: the serving DS writes a hint file, "PID FD\n",
 * naming its journal's descriptor, and the follower opens /proc/PID/fd/FD,
 * which is the same memfd. The hint is only that. The fd store stays the
 * one authority: at the swap the follower compares the file it followed
 * with the one the fd store hands over (device and inode, which cannot be
 * reused while the follower holds the file open) and its replay is thrown
 * away unless they are the same file. A stale, wrong or missing hint costs
 * the head start, never correctness.
 *
 * Threads: ds_follow_start runs the follower in a thread of its own, which
 * owns the store until ds_follow_end returns; the rest of ds-daemon does
 * not touch the store in between (it is waiting in sef_startup).
 */
#ifndef DS_FOLLOW_H
#define DS_FOLLOW_H

#include <stddef.h>

#include "store.h"

/* Where the serving DS says where its journal is, unless -H says. */
#define DS_FOLLOW_HINT		"/run/mxsys/ds-journal"
/* How often the follower looks for new records. */
#define DS_FOLLOW_PERIOD_MS	25

/*
 * Follow the journal hint names, into store (initialised and empty), in a
 * thread, every period_ms. 0, or -errno if the thread cannot start (a
 * hint that names nothing yet is not an error: the follower keeps
 * looking).
 */
int ds_follow_start(const char *hint, struct ds_store *store,
		    unsigned int period_ms);

/*
 * Stop following and give the store back. Returns the offset in the
 * journal of fd up to which the store holds every committed record (go on
 * replaying from there), with *records the number replayed; 0 when fd is
 * not the file followed (or fd < 0, or nothing was followed), and then the
 * store may hold anything: the caller empties it (ds_store_reset).
 */
size_t ds_follow_end(int fd, long *records);

/* Records replayed from the journal followed now (for tests and logs). */
long ds_follow_progress(void);

/*
 * The serving DS: tell standbys that its journal is fd. 0 or -errno
 * (the hint's directory is made if missing). The hint is replaced
 * atomically (a new file renamed over the old).
 */
int ds_follow_hint(const char *hint, int fd);

#endif /* DS_FOLLOW_H */
