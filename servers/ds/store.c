/* SPDX-License-Identifier: MIT */
/* The Data Store's typed key store (see store.h). */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "store.h"

static bool key_valid(const char *key)
{
	size_t len;

	if (!key)
		return false;
	len = strnlen(key, DS_MAX_KEYLEN);
	return len >= 1 && len < DS_MAX_KEYLEN;
}

/* OK for a type this store keeps; STR and MEM arrive in a later cut. */
static int type_check(uint32_t type)
{
	switch (type) {
	case DSF_TYPE_U32:
	case DSF_TYPE_LABEL:
		return OK;
	case DSF_TYPE_STR:
	case DSF_TYPE_MEM:
		return -ENOSYS;
	default:
		return -EINVAL;
	}
}

static bool in_use(const struct ds_entry *e)
{
	return e->flags & DSF_IN_USE;
}

static uint32_t type_of(const struct ds_entry *e)
{
	return e->flags & DSF_MASK_TYPE;
}

static struct ds_entry *find_entry(const struct ds_store *store,
				   const char *key, uint32_t type)
{
	for (unsigned int i = 0; i < DS_NR_KEYS; i++) {
		const struct ds_entry *e = &store->entries[i];

		if (in_use(e) && type_of(e) == type && !strcmp(e->key, key))
			return (struct ds_entry *)e;
	}
	return NULL;
}

static struct ds_entry *find_label_by_endpoint(const struct ds_store *store,
					       endpoint_t ep)
{
	for (unsigned int i = 0; i < DS_NR_KEYS; i++) {
		const struct ds_entry *e = &store->entries[i];

		if (in_use(e) && type_of(e) == DSF_TYPE_LABEL &&
		    e->value == (uint32_t)ep)
			return (struct ds_entry *)e;
	}
	return NULL;
}

static struct ds_entry *find_free(struct ds_store *store)
{
	for (unsigned int i = 0; i < DS_NR_KEYS; i++) {
		if (!in_use(&store->entries[i]))
			return &store->entries[i];
	}
	return NULL;
}

/*
 * The caller's identity: its label, copied into name. False for a caller
 * that has no label (it was not started by RS).
 */
static bool caller_label(const struct ds_store *store, endpoint_t caller,
			 char name[DS_MAX_KEYLEN])
{
	const struct ds_entry *label;

	if (caller == RS_PROC_NR) {
		strcpy(name, DS_RS_LABEL);
		return true;
	}
	if (caller == DS_PROC_NR) {
		strcpy(name, DS_DS_LABEL);
		return true;
	}
	label = find_label_by_endpoint(store, caller);
	if (!label)
		return false;
	strcpy(name, label->key);
	return true;
}

static endpoint_t owner_endpoint(const struct ds_store *store,
				 const char *owner)
{
	const struct ds_entry *label;

	if (!strcmp(owner, DS_RS_LABEL))
		return RS_PROC_NR;
	if (!strcmp(owner, DS_DS_LABEL))
		return DS_PROC_NR;
	label = find_entry(store, owner, DSF_TYPE_LABEL);
	return label ? (endpoint_t)label->value : NONE;
}

/*
 * What publishing and deleting check first: a well-formed key, a type this
 * store keeps, and a caller with a label (copied into caller_name).
 */
static int check_change(const struct ds_store *store, endpoint_t caller,
			const char *key, uint32_t type,
			char caller_name[DS_MAX_KEYLEN])
{
	int r;

	if (!key_valid(key))
		return -EINVAL;
	r = type_check(type);
	if (r != OK)
		return r;
	if (!caller_label(store, caller, caller_name))
		return -EPERM;
	return OK;
}

void ds_store_init(struct ds_store *store)
{
	memset(store, 0, sizeof(*store));
}

int ds_store_publish(struct ds_store *store, endpoint_t caller,
		     const char *key, uint32_t flags, uint32_t value)
{
	uint32_t type = flags & DSF_MASK_TYPE;
	char owner[DS_MAX_KEYLEN];
	struct ds_entry *e;
	int r;

	r = check_change(store, caller, key, type, owner);
	if (r != OK)
		return r;
	/* Labels are identities: only RS hands them out. */
	if (type == DSF_TYPE_LABEL && caller != RS_PROC_NR)
		return -EPERM;

	e = find_entry(store, key, type);
	/* Re-publishing an endpoint under a new label renames it. */
	if (!e && type == DSF_TYPE_LABEL)
		e = find_label_by_endpoint(store, (endpoint_t)value);

	if (!e) {
		e = find_free(store);
		if (!e)
			return -ENOMEM;
	} else {
		if (!(flags & DSF_OVERWRITE))
			return -EEXIST;
		if ((e->flags & DSF_PRIV_OVERWRITE) && strcmp(e->owner, owner))
			return -EPERM;
	}

	memset(e, 0, sizeof(*e));
	strcpy(e->key, key);
	strcpy(e->owner, owner);
	e->value = value;
	e->flags = DSF_IN_USE | (flags & DSF_MASK_INTERNAL);
	return OK;
}

int ds_store_retrieve(const struct ds_store *store, endpoint_t caller,
		      const char *key, uint32_t type,
		      struct ds_retrieved *out)
{
	char name[DS_MAX_KEYLEN];
	const struct ds_entry *e;
	int r;

	if (!key_valid(key) || !out)
		return -EINVAL;
	r = type_check(type);
	if (r != OK)
		return r;

	e = find_entry(store, key, type);
	if (!e)
		return -ESRCH;
	if ((e->flags & DSF_PRIV_RETRIEVE) &&
	    (!caller_label(store, caller, name) || strcmp(e->owner, name)))
		return -EPERM;

	out->value = e->value;
	out->flags = e->flags;
	out->owner = owner_endpoint(store, e->owner);
	return OK;
}

/* A service's data goes with its label (it was brought down). */
static void purge_owned_by(struct ds_store *store, const char *label,
			   const struct ds_entry *keep)
{
	for (unsigned int i = 0; i < DS_NR_KEYS; i++) {
		struct ds_entry *e = &store->entries[i];

		if (e != keep && in_use(e) && !strcmp(e->owner, label))
			memset(e, 0, sizeof(*e));
	}
}

int ds_store_delete(struct ds_store *store, endpoint_t caller,
		    const char *key, uint32_t type)
{
	char name[DS_MAX_KEYLEN];
	struct ds_entry *e;
	int r;

	r = check_change(store, caller, key, type, name);
	if (r != OK)
		return r;

	e = find_entry(store, key, type);
	if (!e)
		return -ESRCH;
	if (strcmp(e->owner, name))
		return -EPERM;

	if (type == DSF_TYPE_LABEL)
		purge_owned_by(store, e->key, e);
	memset(e, 0, sizeof(*e));
	return OK;
}

unsigned int ds_store_count(const struct ds_store *store)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < DS_NR_KEYS; i++)
		n += in_use(&store->entries[i]);
	return n;
}
