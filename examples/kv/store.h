/* SPDX-License-Identifier: MIT */
/*
 * Where kv-server keeps its keys: the one interface between the protocol
 * and the storage. Under RS it is DS (store_ds.c): a write is in DS, which
 * outlives kv-server, before the reply goes out. Run bare (under runsv or
 * s6, the baselines) it is a directory (store_file.c). The host tests use
 * a table in memory.
 *
 * Every call returns 0 or a negative errno: get and del -ENOENT for an
 * absent key. set and del must be idempotent (applying one twice leaves
 * what applying it once does): kv-server redoes the write it was making
 * when it crashed.
 */
#ifndef KV_STORE_H
#define KV_STORE_H

#include <stddef.h>

struct kv_store {
	int (*get)(struct kv_store *s, const char *key, char *value,
		   size_t size);
	int (*set)(struct kv_store *s, const char *key, const char *value);
	int (*del)(struct kv_store *s, const char *key);
	void *priv;
};

/*
 * A cache of what another store holds, in front of it: reads it answers
 * itself, writes go through (to the store first, then the cache). It is
 * right as long as no one else writes the store's keys: DS keys are
 * published owner-only (DSF_PRIV_OVERWRITE), and a directory is the
 * server's own. It lives in the process: a new instance starts it empty.
 */
struct kv_store *kv_store_cached(struct kv_store *inner);

/*
 * DS: keys "kv.KEY" as strings, published with DSF_OVERWRITE and
 * DSF_PRIV_OVERWRITE (no other service may change them).
 */
struct kv_store *kv_store_ds(void);
/* A directory, one file per key, each written by rename (atomic). */
struct kv_store *kv_store_file(const char *dir);

#endif /* KV_STORE_H */
