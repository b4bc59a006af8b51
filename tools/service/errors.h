/* SPDX-License-Identifier: MIT */
/* Names for the error numbers minix-service reports and exits with. */
#ifndef MINIX_SERVICE_ERRORS_H
#define MINIX_SERVICE_ERRORS_H

#include <stdbool.h>

/* Room for one error message, terminating NUL included. */
#define SERVICE_ERRLEN	256

/* What a failed request was, for the words that explain it. */
#define REASON_NAMES_SERVICE	0x1	/* it named a service by label */
#define REASON_UPDATE		0x2	/* a live update */
#define REASON_DUMP		0x4	/* a debug dump */

/*
 * Why a request failed, in words. The table in errors.c says what an
 * error means coming from rs-daemon where the C library's wording would
 * mislead (ERESTART is not "Interrupted system call should be
 * restarted", but a new version that died in its init); the rest is
 * libsef's sef_strerror(), which knows MINIX's own numbers. context is
 * REASON_* or'ed.
 */
const char *service_failure_reason(int error, unsigned int context);

/* The exit status for a positive error number; always 1..255. */
int service_exit_status(int error);

/*
 * Write the message for a failure into err (truncated to fit) and return
 * error, so that a caller can report and fail in one statement.
 */
__attribute__((format(printf, 3, 4)))
int service_fail(int error, char err[SERVICE_ERRLEN], const char *fmt, ...);

#endif /* MINIX_SERVICE_ERRORS_H */
