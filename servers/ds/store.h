/* SPDX-License-Identifier: MIT */
/*
 * The Data Store's typed key store: pure logic, no IPC.
 *
 * Keys are typed (the same string may exist once per type). Every entry
 * has an owner, the label of the service that published it; a caller is
 * known by the label whose LABEL entry holds its endpoint, RS by "rs".
 * Calls return OK or a negative error number, as the DS protocol does.
 */
#ifndef DS_STORE_H
#define DS_STORE_H

#include <stdint.h>

#include <minix/ds.h>

/* MINIX sizes the store at twice its number of system processes. */
#define DS_NR_KEYS		128

#define DS_RS_LABEL		"rs"
#define DS_DS_LABEL		"ds"

struct ds_entry {
	uint32_t flags;			/* DSF_IN_USE | DSF_MASK_INTERNAL bits */
	char key[DS_MAX_KEYLEN];
	char owner[DS_MAX_KEYLEN];	/* label of the publisher */
	uint32_t value;			/* u32, or the endpoint of a LABEL */
};

struct ds_store {
	struct ds_entry entries[DS_NR_KEYS];
};

/* What a retrieve hands back besides the value. */
struct ds_retrieved {
	uint32_t value;
	uint32_t flags;
	endpoint_t owner;		/* NONE when the owner has no label */
};

void ds_store_init(struct ds_store *store);

/* flags: exactly one DSF_TYPE_* plus DSF_OVERWRITE and DSF_PRIV_* bits. */
int ds_store_publish(struct ds_store *store, endpoint_t caller,
		     const char *key, uint32_t flags, uint32_t value);
int ds_store_retrieve(const struct ds_store *store, endpoint_t caller,
		      const char *key, uint32_t type,
		      struct ds_retrieved *out);
int ds_store_delete(struct ds_store *store, endpoint_t caller,
		    const char *key, uint32_t type);

/* Number of entries in use (for tests and diagnostics). */
unsigned int ds_store_count(const struct ds_store *store);

#endif /* DS_STORE_H */
