/* SPDX-License-Identifier: MIT */
/*
 * A read cache in front of a store (store.h): one entry per hash slot,
 * the newest key in a slot wins. Under RS it saves kv-server a round trip
 * to DS for every GET, and for the read an INCR or a DEL makes first.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "store.h"

#define KV_CACHE_SLOTS	1024	/* a power of two */

enum { SLOT_EMPTY, SLOT_ABSENT, SLOT_PRESENT };

struct slot {
	uint8_t state;
	char key[KV_KEY_MAX + 1];
	char value[KV_VALUE_MAX + 1];
};

struct cache {
	struct kv_store self;
	struct kv_store *inner;
	struct slot slots[KV_CACHE_SLOTS];
};

static struct slot *slot_of(struct kv_store *s, const char *key)
{
	struct cache *c = s->priv;
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (const char *p = key; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return &c->slots[h & (KV_CACHE_SLOTS - 1)];
}

static void fill(struct slot *sl, const char *key, const char *value)
{
	size_t n = strlen(key);

	if (n > KV_KEY_MAX || (value && strlen(value) > KV_VALUE_MAX)) {
		sl->state = SLOT_EMPTY;
		return;
	}
	memcpy(sl->key, key, n + 1);
	if (value)
		strcpy(sl->value, value);
	sl->state = value ? SLOT_PRESENT : SLOT_ABSENT;
}

static void forget(struct slot *sl, const char *key)
{
	if (sl->state != SLOT_EMPTY && !strcmp(sl->key, key))
		sl->state = SLOT_EMPTY;
}

static int cache_get(struct kv_store *s, const char *key, char *value,
		     size_t size)
{
	struct cache *c = s->priv;
	struct slot *sl = slot_of(s, key);
	int r;

	if (sl->state != SLOT_EMPTY && !strcmp(sl->key, key)) {
		if (sl->state == SLOT_ABSENT)
			return -ENOENT;
		if (strlen(sl->value) < size) {
			strcpy(value, sl->value);
			return 0;
		}
	}
	r = c->inner->get(c->inner, key, value, size);
	if (r == 0)
		fill(sl, key, value);
	else if (r == -ENOENT)
		fill(sl, key, NULL);
	return r;
}

static int cache_set(struct kv_store *s, const char *key, const char *value)
{
	struct cache *c = s->priv;
	struct slot *sl = slot_of(s, key);
	int r = c->inner->set(c->inner, key, value);

	if (r == 0)
		fill(sl, key, value);
	else
		forget(sl, key);	/* the store may or may not have it */
	return r;
}

static int cache_del(struct kv_store *s, const char *key)
{
	struct cache *c = s->priv;
	struct slot *sl = slot_of(s, key);
	int r = c->inner->del(c->inner, key);

	if (r == 0 || r == -ENOENT)
		fill(sl, key, NULL);
	else
		forget(sl, key);
	return r;
}

struct kv_store *kv_store_cached(struct kv_store *inner)
{
	struct cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->inner = inner;
	c->self = (struct kv_store){ .get = cache_get, .set = cache_set,
				     .del = cache_del, .priv = c };
	return &c->self;
}
