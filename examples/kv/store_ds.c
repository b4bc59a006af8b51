/* SPDX-License-Identifier: MIT */
/*
 * The keys in DS: "kv.KEY" -> the value as a string. DS outlives
 * kv-server, so what was published before a crash is there for the next
 * instance; and DS applies a request retried across its own restart once.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <minix/ds.h>

#include "proto.h"
#include "store.h"

#define KV_DS_PREFIX	"kv."

/*
 * DS's string keys (issue 11) come with the rebuilt DS; until a libsef
 * has them these weak declarations leave them NULL, and the store says
 * ENOSYS (store=file:DIR works meanwhile).
 */
int ds_publish_str(const char *name, const char *value, int flags)
	__attribute__((weak));
int ds_retrieve_str(const char *name, char *value, size_t len_str)
	__attribute__((weak));
int ds_delete_str(const char *name) __attribute__((weak));

static int ds_key(const char *key, char *buf, size_t size)
{
	int n = snprintf(buf, size, KV_DS_PREFIX "%s", key);

	return n > 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

/* DS says ESRCH for an absent key; the interface says ENOENT. */
static int absent_as_enoent(int r)
{
	return r == -ESRCH ? -ENOENT : r;
}

static int ds_get(struct kv_store *s, const char *key, char *value,
		  size_t size)
{
	char k[sizeof(KV_DS_PREFIX) + KV_KEY_MAX];
	int r = ds_key(key, k, sizeof(k));

	(void)s;
	if (r)
		return r;
	if (!ds_retrieve_str)
		return -ENOSYS;
	return absent_as_enoent(ds_retrieve_str(k, value, size));
}

static int ds_set(struct kv_store *s, const char *key, const char *value)
{
	char k[sizeof(KV_DS_PREFIX) + KV_KEY_MAX];
	int r = ds_key(key, k, sizeof(k));

	(void)s;
	if (!ds_publish_str)
		return -ENOSYS;
	return r ? r : ds_publish_str(k, value, DSF_OVERWRITE);
}

static int ds_del(struct kv_store *s, const char *key)
{
	char k[sizeof(KV_DS_PREFIX) + KV_KEY_MAX];
	int r = ds_key(key, k, sizeof(k));

	(void)s;
	if (!ds_delete_str)
		return -ENOSYS;
	return r ? r : absent_as_enoent(ds_delete_str(k));
}

struct kv_store *kv_store_ds(void)
{
	static struct kv_store store = {
		.get = ds_get, .set = ds_set, .del = ds_del,
	};

	return &store;
}
