/* SPDX-License-Identifier: MIT */
/* The Data Store's typed key store (see store.h). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "store.h"

/* ---- hash tables: chained, doubled at a load factor of 1 ---- */

#define TABLE_MIN	64

/* Each kind of node keeps its chain pointer at its own offset. */
#define NEXT(node, off)	(*(void **)((char *)(node) + (off)))

/*
 * A multiply-xorshift hash taking eight bytes a step: a restart hashes
 * every key of the journal, and a byte-at-a-time hash (FNV-1a) was a fifth
 * of its time. Keys are chosen by local services, so no defence against
 * crafted collisions is attempted (the caps bound the harm).
 */
static uint32_t hash_mix(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

static uint32_t hash_bytes(uint64_t h, const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t w;

	h ^= len;
	if (len < 8) {
		w = 0;
		memcpy(&w, s, len);
		return hash_mix((h ^ w) * 0x9e3779b97f4a7c15ULL);
	}
	for (size_t left = len; left > 8; s += 8, left -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	/* The last eight bytes, overlapping the previous word if need be. */
	memcpy(&w, (const unsigned char *)p + len - 8, 8);
	return hash_mix((h ^ w) * 0x9e3779b97f4a7c15ULL);
}

/* key_len: strlen(key), which callers usually know already. */
static uint32_t hash_key_len(const char *key, size_t key_len, uint32_t type)
{
	return hash_bytes((uint64_t)type << 32, key, key_len);
}

static uint32_t hash_key(const char *key, uint32_t type)
{
	return hash_key_len(key, strlen(key), type);
}

static uint32_t hash_ep(endpoint_t ep)
{
	return hash_mix((uint32_t)ep * 0x9e3779b97f4a7c15ULL);
}

static void table_fini(struct ds_table *t)
{
	free(t->buckets);
	memset(t, 0, sizeof(*t));
}

/* Double the table (or make it); false when there is no memory. */
static bool table_grow(struct ds_table *t, size_t off,
		       uint32_t (*hash)(const void *node))
{
	size_t n = t->nbuckets ? t->nbuckets * 2 : TABLE_MIN;
	void **b = calloc(n, sizeof(*b));

	if (!b)
		return false;
	for (size_t i = 0; i < t->nbuckets; i++) {
		void *node = t->buckets[i];

		while (node) {
			void *next = NEXT(node, off);
			size_t j = hash(node) & (n - 1);

			NEXT(node, off) = b[j];
			b[j] = node;
			node = next;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
	return true;
}

/* Make an empty table's bucket array fit n nodes. */
static void table_presize(struct ds_table *t, size_t n)
{
	size_t want = TABLE_MIN;

	if (t->nbuckets)
		return;
	while (want < n && want < ((size_t)1 << 30))
		want *= 2;
	t->buckets = calloc(want, sizeof(*t->buckets));
	if (t->buckets)
		t->nbuckets = want;
}

static bool table_insert(struct ds_table *t, void *node, uint32_t h,
			 size_t off, uint32_t (*hash)(const void *node))
{
	size_t i;

	if (t->count >= t->nbuckets && !table_grow(t, off, hash) &&
	    !t->nbuckets)
		return false;	/* a full table still works, just slower */
	i = h & (t->nbuckets - 1);
	NEXT(node, off) = t->buckets[i];
	t->buckets[i] = node;
	t->count++;
	return true;
}

static void table_remove(struct ds_table *t, void *node, uint32_t h,
			 size_t off)
{
	void **p;

	if (!t->nbuckets)
		return;
	for (p = &t->buckets[h & (t->nbuckets - 1)]; *p; p = &NEXT(*p, off)) {
		if (*p == node) {
			*p = NEXT(node, off);
			t->count--;
			return;
		}
	}
}

static void *table_first(const struct ds_table *t, uint32_t h)
{
	return t->nbuckets ? t->buckets[h & (t->nbuckets - 1)] : NULL;
}

static uint32_t entry_hash(const void *node)
{
	return ((const struct ds_entry *)node)->hash;
}

static uint32_t entry_ep_hash(const void *node)
{
	return hash_ep((endpoint_t)((const struct ds_entry *)node)->value);
}

static uint32_t sub_hash(const void *node)
{
	return ((const struct ds_sub *)node)->hash;
}

static uint32_t seen_hash(const void *node)
{
	return hash_ep(((const struct ds_seen *)node)->ep);
}

#define OFF_ENTRY	offsetof(struct ds_entry, next)
#define OFF_LABEL	offsetof(struct ds_entry, ep_next)
#define OFF_SUB		offsetof(struct ds_sub, next)
#define OFF_SEEN	offsetof(struct ds_seen, next)

/* ---- journal records ---- */

enum { REC_PUT = 1, REC_DEL, REC_SUB, REC_SEEN };

/* The fixed part of every record; strings and data follow. */
struct rec {
	uint32_t op;
	uint32_t flags;		/* PUT, SUB: flags; DEL: type | purge bit */
	uint32_t value;		/* PUT: value; SEEN: nonce */
	int32_t ep;		/* SEEN */
	uint32_t seq;		/* SEEN */
	int32_t result;		/* SEEN */
	uint32_t len[3];	/* bytes of the strings/data that follow */
};

#define DEL_PURGE	0x80000000u

static int emit(struct ds_store *s, struct rec *r, const void *p0,
		const void *p1, const void *p2)
{
	const void *parts[3] = { p0, p1, p2 };
	size_t total = sizeof(*r);
	char *buf;
	size_t at;
	int ret;

	if (!s->journal)
		return OK;
	for (int i = 0; i < 3; i++)
		total += r->len[i];
	buf = malloc(total);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, r, sizeof(*r));
	at = sizeof(*r);
	for (int i = 0; i < 3; i++) {
		if (r->len[i])
			memcpy(buf + at, parts[i], r->len[i]);
		at += r->len[i];
	}
	ret = s->journal(s->hook_arg, buf, total);
	free(buf);
	return ret;
}

/* ---- keys ---- */

static bool key_valid(const char *key)
{
	size_t len;

	if (!key)
		return false;
	len = strnlen(key, DS_MAX_KEYLEN);
	return len >= 1 && len < DS_MAX_KEYLEN;
}

static int type_check(uint32_t type)
{
	switch (type) {
	case DSF_TYPE_U32:
	case DSF_TYPE_STR:
	case DSF_TYPE_MEM:
	case DSF_TYPE_LABEL:
		return OK;
	default:
		return -EINVAL;
	}
}

static uint32_t type_of(const struct ds_entry *e)
{
	return e->flags & DSF_MASK_TYPE;
}

static size_t entry_bytes(const struct ds_entry *e)
{
	return strlen(e->key) + 1 + e->len;
}

/* find_entry with the key's hash h known. */
static struct ds_entry *find_hashed(const struct ds_store *s, const char *key,
				    uint32_t type, uint32_t h)
{
	for (struct ds_entry *e = table_first(&s->keys, h); e; e = e->next)
		if (e->hash == h && type_of(e) == type && !strcmp(e->key, key))
			return e;
	return NULL;
}

static struct ds_entry *find_entry(const struct ds_store *s, const char *key,
				   uint32_t type)
{
	return find_hashed(s, key, type, hash_key(key, type));
}

static struct ds_entry *find_label_by_ep(const struct ds_store *s,
					 endpoint_t ep)
{
	for (struct ds_entry *e = table_first(&s->labels, hash_ep(ep)); e;
	     e = e->ep_next)
		if ((endpoint_t)e->value == ep)
			return e;
	return NULL;
}

/* The caller's label: "rs", "ds", or its LABEL entry's key; else NULL. */
static const char *caller_label(const struct ds_store *s, endpoint_t caller)
{
	const struct ds_entry *label;

	if (caller == RS_PROC_NR)
		return DS_RS_LABEL;
	if (caller == DS_PROC_NR)
		return DS_DS_LABEL;
	label = find_label_by_ep(s, caller);
	return label ? label->key : NULL;
}

static endpoint_t label_endpoint(const struct ds_store *s, const char *label)
{
	const struct ds_entry *e;

	if (!strcmp(label, DS_RS_LABEL))
		return RS_PROC_NR;
	if (!strcmp(label, DS_DS_LABEL))
		return DS_PROC_NR;
	e = find_entry(s, label, DSF_TYPE_LABEL);
	return e ? (endpoint_t)e->value : NONE;
}

static void pending_drop(struct ds_sub *sub, const struct ds_entry *e)
{
	for (size_t i = 0; i < sub->npending; i++) {
		if (sub->pending[i] == e) {
			memmove(&sub->pending[i], &sub->pending[i + 1],
				(sub->npending - i - 1) * sizeof(*sub->pending));
			sub->npending--;
			return;
		}
	}
}

static bool pending_add(struct ds_sub *sub, struct ds_entry *e)
{
	for (size_t i = 0; i < sub->npending; i++)
		if (sub->pending[i] == e)
			return true;
	if (sub->npending == sub->cap_pending) {
		size_t n = sub->cap_pending ? sub->cap_pending * 2 : 8;
		struct ds_entry **p = realloc(sub->pending, n * sizeof(*p));

		if (!p)
			return false;
		sub->pending = p;
		sub->cap_pending = n;
	}
	sub->pending[sub->npending++] = e;
	return true;
}

static void foreach_sub(struct ds_store *s,
			void (*fn)(struct ds_store *s, struct ds_sub *sub,
				   void *arg), void *arg)
{
	for (size_t i = 0; i < s->subs.nbuckets; i++) {
		struct ds_sub *sub = s->subs.buckets[i], *next;

		for (; sub; sub = next) {
			next = sub->next;
			fn(s, sub, arg);
		}
	}
}

static bool sub_matches(const struct ds_store *s, const struct ds_sub *sub,
			const struct ds_entry *e)
{
	if (sub->types && !(sub->types & type_of(e)))
		return false;
	/* The cheap test first: most patterns name a prefix. */
	if (sub->prefix_len && strncmp(e->key, sub->prefix, sub->prefix_len))
		return false;
	if (regexec(&sub->re, e->key, 0, NULL, 0) != 0)
		return false;
	/* A private key's changes reach only its owner. */
	if ((e->flags & DSF_PRIV_SUBSCRIBE) && strcmp(e->owner, sub->owner))
		return false;
	(void)s;
	return true;
}

static void tell(struct ds_store *s, const struct ds_sub *sub)
{
	endpoint_t ep = label_endpoint(s, sub->owner);

	if (ep != NONE && s->notify)
		s->notify(s->hook_arg, ep);
}

static void update_one(struct ds_store *s, struct ds_sub *sub, void *arg)
{
	struct ds_entry *e = arg;

	if (sub_matches(s, sub, e) && pending_add(sub, e))
		tell(s, sub);
}

static void clear_one(struct ds_store *s, struct ds_sub *sub, void *arg)
{
	struct ds_entry *e = arg;
	size_t before = sub->npending;

	pending_drop(sub, e);
	/* MINIX notifies every matching subscriber of a delete. */
	if (before != sub->npending || sub_matches(s, sub, e))
		tell(s, sub);
}

/* One allocation holds the entry, its key, its owner and its data. */
static struct ds_entry *entry_alloc(struct ds_store *s, size_t size)
{
	struct ds_entry *e;

	size = (size + 7) & ~(size_t)7;
	if (s->replaying && s->arena.base &&
	    s->arena.size - s->arena.used >= size) {
		e = (struct ds_entry *)(s->arena.base + s->arena.used);
		s->arena.used += size;
		s->arena.live++;
		memset(e, 0, sizeof(*e));
		return e;
	}
	e = malloc(size);
	if (e)
		memset(e, 0, sizeof(*e));
	return e;
}

static void arena_unmap(struct ds_store *s)
{
	if (s->arena.base)
		munmap(s->arena.base, s->arena.size);
	memset(&s->arena, 0, sizeof(s->arena));
}

static void entry_free(struct ds_store *s, struct ds_entry *e)
{
	char *p = (char *)e;

	if (!s->arena.base || p < s->arena.base ||
	    p >= s->arena.base + s->arena.size) {
		free(e);
		return;
	}
	/* The arena's memory is not reused: it goes with its last entry. */
	if (--s->arena.live == 0)
		arena_unmap(s);
}

/* Take an entry out of every table and pending list, and free it. */
static void unlink_entry(struct ds_store *s, struct ds_entry *e)
{
	/* In a replay no list holds anything yet: renotify fills them after. */
	if (!s->replaying)
		foreach_sub(s, clear_one, e);
	table_remove(&s->keys, e, e->hash, OFF_ENTRY);
	if (type_of(e) == DSF_TYPE_LABEL)
		table_remove(&s->labels, e, entry_ep_hash(e), OFF_LABEL);
	s->entries--;
	s->bytes -= entry_bytes(e);
	entry_free(s, e);
}

static void sub_free(struct ds_store *s, struct ds_sub *sub)
{
	table_remove(&s->subs, sub, sub->hash, OFF_SUB);
	s->entries--;
	s->bytes -= strlen(sub->pattern) + 1;
	regfree(&sub->re);
	free(sub->prefix);
	free(sub->pattern);
	free(sub->pending);
	free(sub);
}

static struct ds_sub *find_sub(const struct ds_store *s, const char *owner)
{
	uint32_t h = hash_key(owner, 0);

	for (struct ds_sub *sub = table_first(&s->subs, h); sub;
	     sub = sub->next)
		if (sub->hash == h && !strcmp(sub->owner, owner))
			return sub;
	return NULL;
}

static void seen_forget(struct ds_store *s, endpoint_t ep)
{
	for (struct ds_seen *x = table_first(&s->seen, hash_ep(ep)); x;
	     x = x->next) {
		if (x->ep == ep) {
			table_remove(&s->seen, x, hash_ep(ep), OFF_SEEN);
			free(x);
			return;
		}
	}
}

/* A service's data goes with its label (it was brought down). */
static void purge_owned_by(struct ds_store *s, const char *label)
{
	struct ds_sub *sub = find_sub(s, label);

	if (sub)
		sub_free(s, sub);
	for (size_t i = 0; i < s->keys.nbuckets; i++) {
		struct ds_entry *e = s->keys.buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			if (!strcmp(e->owner, label) &&
			    type_of(e) != DSF_TYPE_LABEL)
				unlink_entry(s, e);
		}
	}
}

/* Journal first: a change the journal cannot take is not made. */
static int del_entry(struct ds_store *s, struct ds_entry *e, bool purge)
{
	struct rec r = { .op = REC_DEL, .flags = type_of(e) |
			 (purge ? DEL_PURGE : 0),
			 .len = { (uint32_t)strlen(e->key) + 1 } };
	int ret = emit(s, &r, e->key, NULL, NULL);

	if (ret != OK)
		return ret;
	if (purge && type_of(e) == DSF_TYPE_LABEL) {
		char *label = strdup(e->key);
		endpoint_t ep = (endpoint_t)e->value;

		if (!label)
			return -ENOMEM;
		unlink_entry(s, e);
		purge_owned_by(s, label);
		seen_forget(s, ep);
		free(label);
	} else {
		unlink_entry(s, e);
	}
	return OK;
}

/* Make or replace the entry (key, type): the primitive of publish. */
static int put_entry(struct ds_store *s, uint32_t flags, uint32_t value,
		     const char *key, const char *owner, const void *data,
		     size_t len)
{
	uint32_t type = flags & DSF_MASK_TYPE;
	size_t klen = strlen(key), olen = strlen(owner);
	uint32_t h = hash_key_len(key, klen, type);
	struct ds_entry *old = find_hashed(s, key, type, h);
	size_t need = klen + 1 + len;
	size_t have = old ? entry_bytes(old) : 0;
	struct rec r = { .op = REC_PUT, .flags = flags, .value = value,
			 .len = { (uint32_t)klen + 1,
				  (uint32_t)olen + 1,
				  (uint32_t)len } };
	struct ds_entry *e;
	int ret;

	if (len > s->max_bytes)
		return -E2BIG;
	/* Labels are identities, bounded by the slots: never capped. */
	if (type != DSF_TYPE_LABEL &&
	    ((!old && s->entries >= s->max_entries) ||
	     s->bytes - have + need > s->max_bytes))
		return -ENOMEM;

	/* A restart makes one entry per key: one allocation each, not three. */
	e = entry_alloc(s, sizeof(*e) + klen + 1 + olen + 1 + len);
	if (!e)
		return -ENOMEM;
	memcpy(e->key, key, klen + 1);
	e->owner = e->key + klen + 1;
	memcpy(e->owner, owner, olen + 1);
	if (len) {
		e->data = e->owner + olen + 1;
		memcpy(e->data, data, len);
	}
	e->len = (uint32_t)len;
	e->value = value;
	e->flags = DSF_IN_USE | (flags & DSF_MASK_INTERNAL);
	e->hash = h;

	ret = emit(s, &r, key, owner, data);
	if (ret != OK) {
		entry_free(s, e);
		return ret;
	}
	if (old) {
		/* The new entry takes the old one's place in pending lists. */
		for (size_t i = 0; i < s->subs.nbuckets && !s->replaying; i++)
			for (struct ds_sub *sub = s->subs.buckets[i]; sub;
			     sub = sub->next)
				for (size_t j = 0; j < sub->npending; j++)
					if (sub->pending[j] == old)
						sub->pending[j] = e;
		table_remove(&s->keys, old, old->hash, OFF_ENTRY);
		if (type == DSF_TYPE_LABEL)
			table_remove(&s->labels, old, entry_ep_hash(old),
				     OFF_LABEL);
		s->entries--;
		s->bytes -= have;
		entry_free(s, old);
	}
	table_insert(&s->keys, e, e->hash, OFF_ENTRY, entry_hash);
	if (type == DSF_TYPE_LABEL)
		table_insert(&s->labels, e, entry_ep_hash(e), OFF_LABEL,
			     entry_ep_hash);
	s->entries++;
	s->bytes += need;
	if (!s->replaying)
		foreach_sub(s, update_one, e);
	return OK;
}

void ds_store_init(struct ds_store *store, size_t max_entries,
		   size_t max_bytes)
{
	memset(store, 0, sizeof(*store));
	store->max_entries = max_entries;
	store->max_bytes = max_bytes;
}

void ds_store_fini(struct ds_store *s)
{
	for (size_t i = 0; i < s->subs.nbuckets; i++) {
		struct ds_sub *sub = s->subs.buckets[i], *next;

		for (; sub; sub = next) {
			next = sub->next;
			regfree(&sub->re);
			free(sub->prefix);
			free(sub->pattern);
			free(sub->pending);
			free(sub);
		}
	}
	for (size_t i = 0; i < s->keys.nbuckets; i++) {
		struct ds_entry *e = s->keys.buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			entry_free(s, e);
		}
	}
	for (size_t i = 0; i < s->seen.nbuckets; i++) {
		struct ds_seen *x = s->seen.buckets[i], *next;

		for (; x; x = next) {
			next = x->next;
			free(x);
		}
	}
	arena_unmap(s);
	table_fini(&s->keys);
	table_fini(&s->labels);
	table_fini(&s->subs);
	table_fini(&s->seen);
}

void ds_store_reset(struct ds_store *s)
{
	struct ds_store keep = *s;

	ds_store_fini(s);
	ds_store_init(s, keep.max_entries, keep.max_bytes);
	s->journal = keep.journal;
	s->notify = keep.notify;
	s->hook_arg = keep.hook_arg;
}

int ds_store_publish(struct ds_store *s, const struct ds_request *rq)
{
	uint32_t type = rq->flags & DSF_MASK_TYPE;
	const char *owner;
	struct ds_entry *e;
	int r;

	if (!key_valid(rq->key))
		return -EINVAL;
	r = type_check(type);
	if (r != OK)
		return r;
	owner = caller_label(s, rq->caller);
	if (!owner)
		return -EPERM;
	/* Labels are identities: only RS hands them out. */
	if (type == DSF_TYPE_LABEL && rq->caller != RS_PROC_NR)
		return -EPERM;
	if (type == DSF_TYPE_STR &&
	    (!rq->len || memchr(rq->data, '\0', rq->len) !=
			 (const char *)rq->data + rq->len - 1))
		return -EINVAL;

	e = find_entry(s, rq->key, type);
	if (e) {
		if (!(rq->flags & DSF_OVERWRITE))
			return -EEXIST;
		if ((e->flags & DSF_PRIV_OVERWRITE) && strcmp(e->owner, owner))
			return -EPERM;
	}
	if (type == DSF_TYPE_LABEL) {
		/* Re-publishing an endpoint under a new label renames it. */
		struct ds_entry *by_ep = find_label_by_ep(s,
						(endpoint_t)rq->value);

		if (by_ep && by_ep != e) {
			if (!e && !(rq->flags & DSF_OVERWRITE))
				return -EEXIST;
			r = del_entry(s, by_ep, false);
			if (r != OK)
				return r;
		}
	}
	return put_entry(s, rq->flags & ~(uint32_t)(DSF_OVERWRITE |
						   DSF_INITIAL),
			 rq->value, rq->key, owner,
			 type == DSF_TYPE_STR || type == DSF_TYPE_MEM ?
			 rq->data : NULL,
			 type == DSF_TYPE_STR || type == DSF_TYPE_MEM ?
			 rq->len : 0);
}

int ds_store_retrieve(struct ds_store *s, endpoint_t caller, const char *key,
		      uint32_t type, struct ds_retrieved *out)
{
	const struct ds_entry *e;
	const char *name;
	int r;

	if (!key_valid(key) || !out)
		return -EINVAL;
	r = type_check(type);
	if (r != OK)
		return r;
	e = find_entry(s, key, type);
	if (!e)
		return -ESRCH;
	if (e->flags & DSF_PRIV_RETRIEVE) {
		name = caller_label(s, caller);
		if (!name || strcmp(e->owner, name))
			return -EPERM;
	}
	out->value = e->value;
	out->flags = e->flags;
	out->owner = label_endpoint(s, e->owner);
	out->data = e->data;
	out->len = e->len;
	return OK;
}

int ds_store_delete(struct ds_store *s, endpoint_t caller, const char *key,
		    uint32_t type)
{
	const char *name;
	struct ds_entry *e;
	int r;

	if (!key_valid(key))
		return -EINVAL;
	r = type_check(type);
	if (r != OK)
		return r;
	name = caller_label(s, caller);
	if (!name)
		return -EPERM;
	e = find_entry(s, key, type);
	if (!e)
		return -ESRCH;
	if (strcmp(e->owner, name))
		return -EPERM;
	return del_entry(s, e, true);
}

const char *ds_store_label_name(const struct ds_store *s, endpoint_t ep)
{
	return caller_label(s, ep);
}

/*
 * The literal text every match of pattern (anchored at its start) begins
 * with, as far as a simple scan can tell: characters up to the first
 * operator, less the last one if a quantifier follows it. An alternation
 * anywhere may start with anything, so it gives no prefix.
 */
size_t ds_pattern_prefix(const char *pattern, char *out, size_t outlen)
{
	size_t n = 0;

	if (strchr(pattern, '|'))
		goto done;
	for (const char *p = pattern; *p && n + 1 < outlen; p++) {
		char c = *p;

		if (c == '\\') {
			if (!p[1] || !strchr(".[]()*+?{}|^$\\", p[1]))
				break;	/* \w and the like are classes */
			c = *++p;
		} else if (strchr(".[]()^$", c)) {
			break;
		} else if (strchr("*+?{", c)) {
			/* The atom before may repeat or vanish. */
			if (c != '+' && n)
				n--;
			break;
		}
		if (p[1] && strchr("*?{", p[1]))
			break;	/* this character is optional */
		out[n++] = c;
	}
done:
	if (outlen)
		out[n] = '\0';
	return n;
}

static int compile_sub(struct ds_sub *sub)
{
	size_t len = strlen(sub->pattern);
	char *anchored = malloc(len + 3);
	char prefix[DS_MAX_KEYLEN];
	int r;

	if (!anchored)
		return -ENOMEM;
	/* MINIX anchors the pattern at both ends. */
	anchored[0] = '^';
	memcpy(anchored + 1, sub->pattern, len);
	strcpy(anchored + 1 + len, "$");
	r = regcomp(&sub->re, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	if (r != 0)
		return r == REG_ESPACE ? -ENOMEM : -EINVAL;
	sub->prefix_len = ds_pattern_prefix(sub->pattern, prefix,
					    sizeof(prefix));
	sub->prefix = strdup(prefix);
	if (!sub->prefix) {
		regfree(&sub->re);
		return -ENOMEM;
	}
	return OK;
}

static void initial_one(struct ds_store *s, struct ds_sub *sub)
{
	bool any = false;

	for (size_t i = 0; i < s->keys.nbuckets; i++)
		for (struct ds_entry *e = s->keys.buckets[i]; e; e = e->next)
			if (sub_matches(s, sub, e) && pending_add(sub, e))
				any = true;
	if (any)
		tell(s, sub);
}

/* Make the subscription of owner: the primitive of subscribe. */
static int put_sub(struct ds_store *s, const char *owner, uint32_t flags,
		   const char *pattern)
{
	struct ds_sub *old = find_sub(s, owner);
	size_t olen = strlen(owner);
	size_t need = strlen(pattern) + 1;
	struct rec r = { .op = REC_SUB, .flags = flags,
			 .len = { (uint32_t)olen + 1, (uint32_t)need } };
	struct ds_sub *sub;
	int ret;

	if ((!old && s->entries >= s->max_entries) ||
	    s->bytes - (old ? strlen(old->pattern) + 1 : 0) + need >
	    s->max_bytes)
		return -ENOMEM;
	sub = calloc(1, sizeof(*sub) + olen + 1);
	if (!sub)
		return -ENOMEM;
	memcpy(sub->owner, owner, olen + 1);
	sub->pattern = strdup(pattern);
	if (!sub->pattern) {
		free(sub);
		return -ENOMEM;
	}
	ret = compile_sub(sub);
	if (ret != OK) {
		free(sub->pattern);
		free(sub);
		return ret;
	}
	ret = emit(s, &r, owner, pattern, NULL);
	if (ret != OK) {
		regfree(&sub->re);
		free(sub->prefix);
		free(sub->pattern);
		free(sub);
		return ret;
	}
	if (old)
		sub_free(s, old);
	sub->types = flags & DSF_MASK_TYPE;
	sub->hash = hash_key(owner, 0);
	table_insert(&s->subs, sub, sub->hash, OFF_SUB, sub_hash);
	s->entries++;
	s->bytes += need;
	if (flags & DSF_INITIAL)
		initial_one(s, sub);
	return OK;
}

int ds_store_subscribe(struct ds_store *s, endpoint_t caller,
		       const char *pattern, uint32_t flags)
{
	const char *owner = caller_label(s, caller);

	if (!pattern || !*pattern || strnlen(pattern, DS_MAX_KEYLEN) >=
	    DS_MAX_KEYLEN)
		return -EINVAL;
	if (!owner)
		return -ESRCH;
	if (find_sub(s, owner) && !(flags & DSF_OVERWRITE))
		return -EEXIST;
	return put_sub(s, owner, flags & (DSF_MASK_TYPE | DSF_INITIAL),
		       pattern);
}

int ds_store_check(struct ds_store *s, endpoint_t caller,
		   char key[DS_MAX_KEYLEN], uint32_t *type, endpoint_t *owner)
{
	const char *name = caller_label(s, caller);
	struct ds_sub *sub = name ? find_sub(s, name) : NULL;
	struct ds_entry *e;

	if (!sub)
		return -ESRCH;
	if (!sub->npending)
		return -ENOENT;
	e = sub->pending[0];
	memmove(&sub->pending[0], &sub->pending[1],
		(sub->npending - 1) * sizeof(*sub->pending));
	sub->npending--;
	strcpy(key, e->key);
	*type = type_of(e);
	*owner = label_endpoint(s, e->owner);
	return OK;
}

/* ---- exactly once ---- */

static struct ds_seen *find_seen(const struct ds_store *s, endpoint_t ep)
{
	for (struct ds_seen *x = table_first(&s->seen, hash_ep(ep)); x;
	     x = x->next)
		if (x->ep == ep)
			return x;
	return NULL;
}

bool ds_store_seen(const struct ds_store *s, endpoint_t ep, uint32_t nonce,
		   uint32_t seq, int *result)
{
	const struct ds_seen *x = find_seen(s, ep);

	if (!nonce || !x || x->nonce != nonce)
		return false;
	for (unsigned int i = 0; i < x->n; i++) {
		if (x->last[i].seq == seq) {
			*result = x->last[i].result;
			return true;
		}
	}
	return false;
}

/* The in-memory half of remember (replay uses it too). */
static int seen_put(struct ds_store *s, endpoint_t ep, uint32_t nonce,
		    uint32_t seq, int result)
{
	struct ds_seen *x = find_seen(s, ep);

	if (!x) {
		x = calloc(1, sizeof(*x));
		if (!x)
			return -ENOMEM;
		x->ep = ep;
		table_insert(&s->seen, x, hash_ep(ep), OFF_SEEN, seen_hash);
	}
	if (x->nonce != nonce) {
		/* A new process in the slot: its predecessor is done. */
		x->nonce = nonce;
		x->n = 0;
	}
	if (x->n == DS_SEEN_DEPTH) {
		memmove(&x->last[0], &x->last[1],
			(DS_SEEN_DEPTH - 1) * sizeof(x->last[0]));
		x->n--;
	}
	x->last[x->n].seq = seq;
	x->last[x->n].result = result;
	x->n++;
	return OK;
}

int ds_store_remember(struct ds_store *s, endpoint_t ep, uint32_t nonce,
		      uint32_t seq, int result)
{
	struct rec r = { .op = REC_SEEN, .ep = ep, .value = nonce,
			 .seq = seq, .result = result };
	int ret;

	if (!nonce)
		return OK;
	ret = emit(s, &r, NULL, NULL, NULL);
	if (ret != OK)
		return ret;
	return seen_put(s, ep, nonce, seq, result);
}

/* ---- replay, dump, restart ---- */

void ds_store_presize(struct ds_store *s, size_t n, size_t bytes)
{
	/* Each record's payload holds its entry's key, owner and data. */
	size_t size = bytes + n * (sizeof(struct ds_entry) + 8);
	void *p;

	table_presize(&s->keys, n < s->max_entries ? n : s->max_entries);
	if (s->arena.base || n == 0)
		return;
	/* All its pages at once: a replay touches them all. */
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		return;		/* the entries come from malloc then */
	s->arena.base = p;
	s->arena.size = size;
}

void ds_store_replayed(struct ds_store *s)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t keep = (s->arena.used + page - 1) & ~(page - 1);

	if (!s->arena.base)
		return;
	if (s->arena.live == 0) {
		arena_unmap(s);
		return;
	}
	/* The estimate was for every record making an entry: give back the rest. */
	if (keep < s->arena.size) {
		munmap(s->arena.base + keep, s->arena.size - keep);
		s->arena.size = keep;
	}
}

size_t ds_store_record_min(void)
{
	return sizeof(struct rec);
}

/* A string part of a record: NUL-terminated exactly at its end. */
static bool part_is_string(const char *p, uint32_t len)
{
	return len >= 1 && memchr(p, '\0', len) == p + len - 1;
}

int ds_store_apply(struct ds_store *s, const void *buf, size_t len)
{
	ds_journal_hook journal = s->journal;
	ds_notify_hook notify = s->notify;
	const char *parts[3];
	struct rec r;
	size_t at = sizeof(r);
	struct ds_entry *e;
	int ret = -EINVAL;

	if (len < sizeof(r))
		return -EINVAL;
	memcpy(&r, buf, sizeof(r));
	for (int i = 0; i < 3; i++) {
		if (r.len[i] > len - at)
			return -EINVAL;
		parts[i] = (const char *)buf + at;
		at += r.len[i];
	}
	if (at != len)
		return -EINVAL;

	s->journal = NULL;
	s->notify = NULL;
	s->replaying = true;
	switch (r.op) {
	case REC_PUT:
		if (part_is_string(parts[0], r.len[0]) &&
		    part_is_string(parts[1], r.len[1]) &&
		    type_check(r.flags & DSF_MASK_TYPE) == OK) {
			/* Replay must not fail on a cap lowered since. */
			size_t me = s->max_entries, mb = s->max_bytes;

			s->max_entries = s->max_bytes = SIZE_MAX;
			ret = put_entry(s, r.flags, r.value, parts[0], parts[1],
					parts[2], r.len[2]);
			s->max_entries = me;
			s->max_bytes = mb;
		}
		break;
	case REC_DEL:
		if (!part_is_string(parts[0], r.len[0]))
			break;
		e = find_entry(s, parts[0], r.flags & DSF_MASK_TYPE);
		ret = e ? del_entry(s, e, r.flags & DEL_PURGE) : OK;
		break;
	case REC_SUB:
		if (part_is_string(parts[0], r.len[0]) &&
		    part_is_string(parts[1], r.len[1])) {
			size_t me = s->max_entries, mb = s->max_bytes;

			s->max_entries = s->max_bytes = SIZE_MAX;
			/* No DSF_INITIAL: renotify covers every subscriber. */
			ret = put_sub(s, parts[0], r.flags & DSF_MASK_TYPE,
				      parts[1]);
			s->max_entries = me;
			s->max_bytes = mb;
		}
		break;
	case REC_SEEN:
		ret = seen_put(s, r.ep, r.value, r.seq, r.result);
		break;
	}
	s->journal = journal;
	s->notify = notify;
	s->replaying = false;
	return ret;
}

int ds_store_dump(struct ds_store *s)
{
	int ret;

	for (size_t i = 0; i < s->keys.nbuckets; i++) {
		for (struct ds_entry *e = s->keys.buckets[i]; e; e = e->next) {
			struct rec r = { .op = REC_PUT, .flags = e->flags,
					 .value = e->value,
					 .len = { (uint32_t)strlen(e->key) + 1,
						  (uint32_t)strlen(e->owner) + 1,
						  e->len } };

			ret = emit(s, &r, e->key, e->owner, e->data);
			if (ret != OK)
				return ret;
		}
	}
	for (size_t i = 0; i < s->subs.nbuckets; i++) {
		for (struct ds_sub *sub = s->subs.buckets[i]; sub;
		     sub = sub->next) {
			struct rec r = { .op = REC_SUB, .flags = sub->types,
					 .len = { (uint32_t)strlen(sub->owner) + 1,
						  (uint32_t)strlen(sub->pattern) + 1 } };

			ret = emit(s, &r, sub->owner, sub->pattern, NULL);
			if (ret != OK)
				return ret;
		}
	}
	for (size_t i = 0; i < s->seen.nbuckets; i++) {
		for (struct ds_seen *x = s->seen.buckets[i]; x; x = x->next) {
			for (unsigned int j = 0; j < x->n; j++) {
				struct rec r = { .op = REC_SEEN, .ep = x->ep,
						 .value = x->nonce,
						 .seq = x->last[j].seq,
						 .result = x->last[j].result };

				ret = emit(s, &r, NULL, NULL, NULL);
				if (ret != OK)
					return ret;
			}
		}
	}
	return OK;
}

static void renotify_one(struct ds_store *s, struct ds_sub *sub, void *arg)
{
	(void)arg;
	initial_one(s, sub);
}

void ds_store_renotify(struct ds_store *s)
{
	foreach_sub(s, renotify_one, NULL);
}

unsigned int ds_store_sweep(struct ds_store *s, bool (*alive)(endpoint_t ep))
{
	unsigned int gone = 0;
	bool again = true;

	/* Deleting changes the tables: start over after each one. */
	while (again) {
		again = false;
		for (size_t i = 0; i < s->labels.nbuckets && !again; i++) {
			for (struct ds_entry *e = s->labels.buckets[i]; e;
			     e = e->ep_next) {
				if (alive((endpoint_t)e->value))
					continue;
				if (del_entry(s, e, true) == OK) {
					gone++;
					again = true;
				}
				break;
			}
		}
	}
	return gone;
}

size_t ds_store_count(const struct ds_store *s)
{
	return s->entries;
}

size_t ds_store_bytes(const struct ds_store *s)
{
	return s->bytes;
}

void ds_store_foreach(const struct ds_store *s,
		      bool (*fn)(const struct ds_entry *e, void *arg),
		      void *arg)
{
	for (size_t i = 0; i < s->keys.nbuckets; i++)
		for (struct ds_entry *e = s->keys.buckets[i]; e; e = e->next)
			if (!fn(e, arg))
				return;
}

/*
 * Root's `minix-service ds set`, through RS: a U32 or STR value for key,
 * whoever owns it. An existing key keeps its owner and privilege flags;
 * a new one is RS's.
 */
int ds_store_admin_set(struct ds_store *s, const char *key, uint32_t type,
		       uint32_t value, const void *data, size_t len)
{
	const struct ds_entry *old;

	if (!key_valid(key) ||
	    (type != DSF_TYPE_U32 && type != DSF_TYPE_STR))
		return -EINVAL;
	if (type == DSF_TYPE_STR &&
	    (!len || memchr(data, '\0', len) != (const char *)data + len - 1))
		return -EINVAL;
	old = find_entry(s, key, type);
	return put_entry(s, type | (old ? old->flags & (DSF_PRIV_RETRIEVE |
				DSF_PRIV_OVERWRITE | DSF_PRIV_SUBSCRIBE) : 0),
			 value, key, old ? old->owner : DS_RS_LABEL,
			 type == DSF_TYPE_STR ? data : NULL,
			 type == DSF_TYPE_STR ? len : 0);
}

/* Root's `minix-service ds del`: key of type, whoever owns it. */
int ds_store_admin_delete(struct ds_store *s, const char *key, uint32_t type)
{
	struct ds_entry *e;

	if (!key_valid(key) || type_check(type) != OK)
		return -EINVAL;
	/* Labels are identities that only RS hands out and takes back. */
	if (type == DSF_TYPE_LABEL)
		return -EPERM;
	e = find_entry(s, key, type);
	if (!e)
		return -ESRCH;
	return del_entry(s, e, true);
}

/* The entry of key and type, whoever owns it (the ds tool's get). */
const struct ds_entry *ds_store_lookup(const struct ds_store *s,
				       const char *key, uint32_t type)
{
	return key_valid(key) ? find_entry(s, key, type) : NULL;
}
