/* SPDX-License-Identifier: MIT */
/* Requests of minix-service (struct rs_request over netlink). */
#ifndef RS_REQUEST_H
#define RS_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "service.h"

/*
 * Handle one relayed request. uid is the requester's (UINT32_MAX when
 * unknown); payload may be NULL. Replies now, or records the request in
 * the service for a late reply.
 */
void request_handle(uint32_t request_id, uint32_t uid, int32_t pid,
		    const void *payload, size_t len);

/*
 * A service binary: an absolute path to an executable regular file.
 * Returns 0, -EINVAL, or the -errno of stat().
 */
int request_check_binary(const char *path);

/*
 * The binary and arguments of a request (up, edit, update to a binary):
 * both NUL-terminated, the binary executable by its absolute path, at
 * most MAX_NR_ARGS arguments. Returns 0, or a negative error with the
 * reason in why.
 */
int request_command(const struct rs_request *rq,
		    char binary[RS_MAX_COMMAND_LEN],
		    char args[RS_MAX_COMMAND_LEN], char *why, size_t why_len);

/* Answer the requester waiting on svc, if any. */
void request_late_reply(struct service *svc, int result);

#endif /* RS_REQUEST_H */
