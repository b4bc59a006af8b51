/* SPDX-License-Identifier: MIT */
/*
 * DS_ADMIN, root's requests relayed by RS (<minix/ds_admin.h>): list, get,
 * set and delete of any key, whoever owns it.
 */
#ifndef DS_ADMIN_H
#define DS_ADMIN_H

#include <stddef.h>

#include <minix/ds_admin.h>
#include <minix/ipc.h>

#include "store.h"

/*
 * Make room to journal a change of len value bytes (OK or an error), and
 * commit what was journaled: main.c's, so that a change is durable
 * before it is answered, as any other.
 */
struct ds_admin_journal {
	int (*reserve)(size_t len);
	void (*commit)(void);
};

/*
 * Serve m. From RS, the answer goes by senda and the result is OK; from
 * anyone else it is refused (-EPERM, for the caller's reply, if any).
 */
int ds_admin_request(struct ds_store *store, const message *m,
		     const struct ds_admin_journal *jnl);

/*
 * The answer to a LIST from cursor: the first key at or after position
 * cursor of the walk whose key re matches (NULL: any). Fills out (type,
 * value, owner, data, cursor past it) and returns OK, or -ENOENT.
 */
int ds_admin_list(const struct ds_store *store, const regex_t *re,
		  uint32_t cursor, struct ds_admin *out);

#endif /* DS_ADMIN_H */
