/* SPDX-License-Identifier: MIT */
/*
 * Where RS's state survives RS: a memfd named "rs.state" in RS's own fd
 * store, which the module keeps when RS dies and hands to the next
 * process of RS's endpoint (the standby that takes over, or an rs-daemon
 * started by hand).
 *
 * Layout: a header (magic, layout tag, the size of a half, the index of
 * the active half, each half's length and commit number, the requests in
 * hand), then two halves. A commit writes the inactive half and then
 * flips `active` with one atomic store: that store is the commit point, so
 * a death at any instant leaves one complete state, the last committed.
 * A state larger than a half goes to a new memfd with larger halves,
 * which replaces the old one in the store (again one atomic step).
 *
 * Requests in hand: request.c records each request's id before handling
 * it, tagged with the commit it saw; a later commit makes it history. A
 * new RS finds the ids recorded since the last commit: requests the old
 * one took and died with, which it answers with an error (ESRCH).
 *
 * Storage only: what the state means is manager.c's (manager_save).
 */
#ifndef RS_SNAPSHOT_H
#define RS_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SNAPSHOT_NAME		"rs.state"
#define SNAPSHOT_IN_HAND_MAX	64

/*
 * Take the stored snapshot if there is one of this layout: 1 (found),
 * 0 (none, or unusable: logged, and replaced at the first commit), or a
 * negative error of the fd store.
 */
int snapshot_open(uint32_t layout);
/* The last committed state, valid until the next commit or close. */
const void *snapshot_state(size_t *len);
/* The requests in hand when the state was taken: their number. */
unsigned int snapshot_in_hand(uint32_t ids[SNAPSHOT_IN_HAND_MAX]);

/* Record that request id is being handled (see above). */
void snapshot_request_begin(uint32_t id);
/*
 * Commit data as the new state (a new snapshot, stored, the first time).
 * Returns 0 or a negative error (logged; the old state stays).
 */
int snapshot_commit(const void *data, size_t len, uint32_t layout);
/* Forget the mapping, leave the stored file (a test's RS "dies"). */
void snapshot_close(void);
/* A clean exit: the state goes with RS (nothing left to take over). */
void snapshot_remove(void);

#endif /* RS_SNAPSHOT_H */
