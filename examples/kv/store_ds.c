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
	if (size < 2)
		return -EINVAL;
	/* DS writes up to len_str characters and a NUL. */
	return absent_as_enoent(ds_retrieve_str(k, value, size - 1));
}

static int ds_set(struct kv_store *s, const char *key, const char *value)
{
	char k[sizeof(KV_DS_PREFIX) + KV_KEY_MAX];
	int r = ds_key(key, k, sizeof(k));

	(void)s;
	return r ? r : ds_publish_str(k, value,
					DSF_OVERWRITE | DSF_PRIV_OVERWRITE);
}

static int ds_del(struct kv_store *s, const char *key)
{
	char k[sizeof(KV_DS_PREFIX) + KV_KEY_MAX];
	int r = ds_key(key, k, sizeof(k));

	(void)s;
	return r ? r : absent_as_enoent(ds_delete_str(k));
}

struct kv_store *kv_store_ds(void)
{
	static struct kv_store store = {
		.get = ds_get, .set = ds_set, .del = ds_del,
	};

	return &store;
}
