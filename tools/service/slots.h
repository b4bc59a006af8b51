/* SPDX-License-Identifier: MIT */
/*
 * Asking the mxsys module about its slot table (MXSYS_CMD_SLOT_GET), which
 * it answers itself, for any user, with or without RS: what `monitor`
 * puts names to events with, and what `status` shows of a slot's fd store.
 */
#ifndef MINIX_SERVICE_SLOTS_H
#define MINIX_SERVICE_SLOTS_H

#include <stdbool.h>
#include <stdint.h>

#include "errors.h"
#include "event.h"

struct nl_sock;

/*
 * Send MXSYS_CMD_SLOT_GET for endpoint (or, with dump, for every slot) on
 * sock to family; its sequence number in *seq. 0, or a positive error
 * number with err saying why.
 */
int slot_get_send(struct nl_sock *sock, int family, int32_t endpoint,
		  bool dump, uint32_t *seq, char err[SERVICE_ERRLEN]);

/*
 * Ask about one endpoint on a socket of its own and wait for the answer:
 * *slot filled in as slot_answer_next() says (set slot->fd_names and
 * fd_names_max for the fd store's names). 0; ENOENT when the module has
 * no such slot (or is not loaded); another positive error number with err
 * saying why.
 */
int slot_query_one(int32_t endpoint, struct slot_info *slot,
		   char err[SERVICE_ERRLEN]);

#endif /* MINIX_SERVICE_SLOTS_H */
