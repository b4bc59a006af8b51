/* SPDX-License-Identifier: MIT */
/*
 * What minix-service writes: `status` (key: value lines, or JSON),
 * `monitor` (one line or JSON object per slot event) and the report of a
 * failed request. Pure formatting onto a FILE, for unit tests.
 */
#ifndef MINIX_SERVICE_PRINT_H
#define MINIX_SERVICE_PRINT_H

#include <stdio.h>
#include <time.h>
#include <minix/rs.h>

#include "event.h"

/* Letters for RS_STATUS_* flags ("A", "AN", ...), or "-" for none. */
#define STATUS_FLAGS_LEN	16
void status_flags_text(uint32_t flags, char text[STATUS_FLAGS_LEN]);

/*
 * A word for the state the flags say: running, starting, stopping,
 * restarting (D), terminated (T) or updating.
 */
const char *status_state_name(uint32_t flags);

/* An uptime as "12.3s", "5m 3s", "2h 7m", "3d 4h"; "-" for 0 (not up). */
void status_format_uptime(uint64_t ms, char *buf, size_t len);

/*
 * One "key: value" line per field, in the documented order: label,
 * endpoint, pid, restarts, flags, policy, period ("0" or "<N>ms"),
 * binary, replica (pid or -), uid, script, args, then, when slot is not
 * NULL, fds (the names in the slot's fd store, space-separated, or "-").
 */
void status_print_text(FILE *out, const struct rs_status *status,
		       const struct slot_info *slot);

/*
 * After status_print_text for `status LABEL`: state, uptime, since (the
 * local time now - uptime, "-" when not up), last exit ("-" if none) and
 * "flag letters:" with the meaning of each letter set.
 */
void status_print_details(FILE *out, const struct rs_status *status,
			  time_t now);

/*
 * `status` of all services: a header, then one line per service: label,
 * state, flags, endpoint, pid ("-" for none), restarts, uptime, last exit.
 */
void status_print_table_header(FILE *out);
void status_print_table_row(FILE *out, const struct rs_status *status);

/* One JSON object, without a trailing newline ("fds": [...] with slot). */
void status_print_json(FILE *out, const struct rs_status *status,
		       const struct slot_info *slot);

/*
 * One slot event, with the name of its slot ("" if unknown), as one line:
 *   <seconds.micro> <seq> <event> endpoint=E pid=P name=N [other=E]
 *   [status=S exit=X|signal=N[ core]] [fd=NAME]
 */
void event_print_text(FILE *out, const struct slot_event *ev,
		      const char *name);

/* The same as one JSON object on one line, newline included. */
void event_print_json(FILE *out, const struct slot_event *ev,
		      const char *name);

/*
 * Report a failed request: "minix-service: <action>[ <subject>]: <reason>",
 * or, when rs-daemon explained it (message not empty), the same prefix
 * with the explanation instead, followed by what the reason says came of
 * it (its part from a ';' on, as "; rolled back"): one line either way.
 */
void print_failure(FILE *out, const char *action, const char *subject,
		   const char *reason, const char *message);

/*
 * A service's debug dump (`dump LABEL`) on out: the text up to its NUL or
 * the field's end, a control character other than newline and tab shown
 * as '?' (it comes from the service, and must not drive the terminal),
 * ending in a newline. A dump that was cut says so on err.
 */
void dump_print(FILE *out, FILE *err, const char *label,
		const struct rs_reply *reply);

#endif /* MINIX_SERVICE_PRINT_H */
