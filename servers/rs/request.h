/* SPDX-License-Identifier: MIT */
/*
 * Requests of minix-service (struct rs_request over netlink): checked
 * here (permission, arguments), carried out by the manager.
 */
#ifndef RS_REQUEST_H
#define RS_REQUEST_H

#include <stddef.h>
#include <stdint.h>

/*
 * Handle one relayed request (a relay_handler, see nl.h). uid is the
 * requester's (UINT32_MAX when unknown); payload may be NULL. Answers now,
 * or leaves the answer to whoever holds the requester's struct caller.
 */
void request_handle(uint32_t request_id, uint32_t uid, int32_t pid,
		    const void *payload, size_t len);

#endif /* RS_REQUEST_H */
