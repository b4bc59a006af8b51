/* SPDX-License-Identifier: MIT */
/* Output of `minix-service status`: key: value lines, or JSON. */
#ifndef MINIX_SERVICE_PRINT_H
#define MINIX_SERVICE_PRINT_H

#include <stdio.h>
#include <minix/rs.h>

/* MINIX's procfs letters for RS_STATUS_* flags ("A", "AN", ...), or "-". */
#define STATUS_FLAGS_LEN	8
void status_flags_text(uint32_t flags, char text[STATUS_FLAGS_LEN]);

/*
 * One "key: value" line per field, in the documented order: label,
 * endpoint, pid, restarts, flags, policy, period ("0" or "<N>ms"), binary.
 */
void status_print_text(FILE *out, const struct rs_status *status);

/* One JSON object, without a trailing newline. */
void status_print_json(FILE *out, const struct rs_status *status);

#endif /* MINIX_SERVICE_PRINT_H */
