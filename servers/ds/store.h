/* SPDX-License-Identifier: MIT */
/*
 * The Data Store's typed key store: pure logic, no IPC.
 *
 * Keys are typed (the same string may exist once per type). Every entry
 * has an owner, the label of the service that published it; a caller is
 * known by the label whose LABEL entry holds its endpoint, RS by "rs".
 * Calls return OK or a negative error number, as the DS protocol does.
 *
 * Keys and subscriptions live in hash tables that double when they fill;
 * a cap on entries and on bytes (keys, values and patterns) gives
 * -ENOMEM. Every change is also described to a journal hook as a record
 * (ds_store_apply() replays one), so that the state can be rebuilt by a
 * successor process: see journal.h and ds-daemon(8).
 */
#ifndef DS_STORE_H
#define DS_STORE_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <minix/ds.h>

#define DS_RS_LABEL		"rs"
#define DS_DS_LABEL		"ds"

/* Defaults of ds-daemon -n and -b. */
#define DS_DEFAULT_MAX_ENTRIES	1000000u
#define DS_DEFAULT_MAX_BYTES	(256u << 20)

/* Retries of one client remembered (a slot's threads queue behind one). */
#define DS_SEEN_DEPTH		8

struct ds_entry {
	struct ds_entry *next;		/* hash chain by (type, key) */
	struct ds_entry *ep_next;	/* LABEL: hash chain by endpoint */
	uint32_t hash;
	uint32_t flags;			/* DSF_IN_USE | DSF_MASK_INTERNAL */
	uint32_t value;			/* u32, or the endpoint of a LABEL */
	uint32_t len;			/* STR/MEM: bytes in data */
	char *data;
	char *owner;			/* label of the publisher */
	char key[];
};

struct ds_sub {
	struct ds_sub *next;		/* hash chain by owner */
	uint32_t hash;
	uint32_t types;			/* DSF_TYPE_* bits; 0: all */
	regex_t re;
	char *pattern;			/* as given (unanchored) */
	char *prefix;			/* literal text every match starts with */
	size_t prefix_len;
	struct ds_entry **pending;	/* changed keys not yet checked */
	size_t npending, cap_pending;
	char owner[];
};

/* What the store remembers of one client's recent changing requests. */
struct ds_seen {
	struct ds_seen *next;
	endpoint_t ep;
	uint32_t nonce;
	unsigned int n;			/* used slots, newest last */
	struct { uint32_t seq; int32_t result; } last[DS_SEEN_DEPTH];
};

struct ds_table {
	void **buckets;
	size_t nbuckets, count;
};

/* Called for every change, with one journal record (journal.h). */
typedef int (*ds_journal_hook)(void *arg, const void *rec, size_t len);
/* Called when a subscriber has something new to ds_check. */
typedef void (*ds_notify_hook)(void *arg, endpoint_t ep);

struct ds_store {
	struct ds_table keys;		/* struct ds_entry by (type, key) */
	struct ds_table labels;		/* LABEL entries by endpoint */
	struct ds_table subs;		/* struct ds_sub by owner */
	struct ds_table seen;		/* struct ds_seen by endpoint */
	size_t max_entries, max_bytes;
	size_t entries, bytes;		/* keys + subscriptions, and their size */
	ds_journal_hook journal;
	ds_notify_hook notify;
	void *hook_arg;
	bool replaying;			/* in ds_store_apply: no pending lists */
	/*
	 * Entries a replay makes come from one mapping, faulted in at once
	 * (ds_store_presize): one allocation and one page fault per entry
	 * were most of a large restart's time under emulation. The mapping
	 * goes when the last of its entries is freed.
	 */
	struct {
		char *base;
		size_t size, used;
		size_t live;		/* its entries not freed yet */
	} arena;
};

/* A request as DS received it, with key and value already copied in. */
struct ds_request {
	endpoint_t caller;
	uint32_t flags;			/* DSF_TYPE_* | DSF_* */
	const char *key;		/* the key, or a subscription's pattern */
	uint32_t value;			/* U32, LABEL endpoint */
	const void *data;		/* STR (NUL-terminated), MEM */
	size_t len;			/* bytes in data */
};

/* What a retrieve hands back. data points into the store. */
struct ds_retrieved {
	uint32_t value;
	uint32_t flags;
	endpoint_t owner;		/* NONE when the owner has no label */
	const char *data;
	size_t len;
};

void ds_store_init(struct ds_store *store, size_t max_entries,
		   size_t max_bytes);
void ds_store_fini(struct ds_store *store);
/* Empty the store, keeping its caps and hooks. */
void ds_store_reset(struct ds_store *store);

int ds_store_publish(struct ds_store *store, const struct ds_request *rq);
int ds_store_retrieve(struct ds_store *store, endpoint_t caller,
		      const char *key, uint32_t type, struct ds_retrieved *out);
int ds_store_delete(struct ds_store *store, endpoint_t caller,
		    const char *key, uint32_t type);
/* DS_RETRIEVE_LABEL: the label of endpoint ep (NULL: none). */
const char *ds_store_label_name(const struct ds_store *store, endpoint_t ep);
/* key: the pattern; flags: DSF_TYPE_* set, DSF_INITIAL, DSF_OVERWRITE. */
int ds_store_subscribe(struct ds_store *store, endpoint_t caller,
		       const char *pattern, uint32_t flags);
/* One changed key of caller's subscription, copied into key. */
int ds_store_check(struct ds_store *store, endpoint_t caller,
		   char key[DS_MAX_KEYLEN], uint32_t *type, endpoint_t *owner);

/*
 * Exactly once. A client's changing request carries (nonce, seq); before
 * handling one, ds_store_seen() says whether it was already done (true,
 * with its result). ds_store_remember() records the result as part of the
 * same change (nonce 0: a client that does not take part, such as RS).
 */
bool ds_store_seen(const struct ds_store *store, endpoint_t ep,
		   uint32_t nonce, uint32_t seq, int *result);
int ds_store_remember(struct ds_store *store, endpoint_t ep, uint32_t nonce,
		      uint32_t seq, int result);

/*
 * Before a replay of at most n records of bytes in all: size the key
 * table for n keys at once, instead of doubling it (and rehashing every
 * key) as it fills, and map the arena the replay's entries come from.
 */
void ds_store_presize(struct ds_store *store, size_t n, size_t bytes);
/* After the replay: unmap what the arena did not use. */
void ds_store_replayed(struct ds_store *store);
/* Bytes of the smallest record (n for presize: a journal's size / this). */
size_t ds_store_record_min(void);
/* Replay one journal record (no hook is called): OK or -EINVAL. */
int ds_store_apply(struct ds_store *store, const void *rec, size_t len);
/* Emit the whole state as records to the journal hook. */
int ds_store_dump(struct ds_store *store);
/* After a restart: every subscriber hears of every key it matches. */
void ds_store_renotify(struct ds_store *store);
/*
 * Delete the labels whose endpoint alive() says is gone, with their
 * owners' keys and subscriptions. Returns how many went.
 */
unsigned int ds_store_sweep(struct ds_store *store,
			    bool (*alive)(endpoint_t ep));

/* Entries (keys and subscriptions) and bytes in use. */
size_t ds_store_count(const struct ds_store *store);
size_t ds_store_bytes(const struct ds_store *store);

/* Literal prefix of an ERE every match must start with (for tests). */
size_t ds_pattern_prefix(const char *pattern, char *out, size_t outlen);

/* Visit every key (for the ds tool's list); stop when fn returns false. */
void ds_store_foreach(const struct ds_store *store,
		      bool (*fn)(const struct ds_entry *e, void *arg),
		      void *arg);

/*
 * Root's changes through RS (the ds tool), whoever owns the key:
 * admin_set writes a U32 or STR (an existing key keeps its owner),
 * admin_delete deletes any key but a LABEL (-EPERM).
 */
int ds_store_admin_set(struct ds_store *store, const char *key, uint32_t type,
		       uint32_t value, const void *data, size_t len);
int ds_store_admin_delete(struct ds_store *store, const char *key,
			  uint32_t type);
/* The entry of key and type, whoever owns it; NULL if none. */
const struct ds_entry *ds_store_lookup(const struct ds_store *store,
				       const char *key, uint32_t type);

#endif /* DS_STORE_H */
