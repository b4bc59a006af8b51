/* SPDX-License-Identifier: MIT */
/* Names for the error numbers minix-service reports and exits with. */
#ifndef MINIX_SERVICE_ERRORS_H
#define MINIX_SERVICE_ERRORS_H

#include <stdbool.h>

/* Room for one error message, terminating NUL included. */
#define SERVICE_ERRLEN	256

/*
 * Why a request failed, in words: "no such service" for ESRCH about a
 * request that names a service (rs-daemon answers ESRCH only for an
 * unknown label), else libsef's sef_strerror().
 */
const char *service_failure_reason(int error, bool names_service);

/* The exit status for a positive error number; always 1..255. */
int service_exit_status(int error);

/*
 * Write the message for a failure into err (truncated to fit) and return
 * error, so that a caller can report and fail in one statement.
 */
__attribute__((format(printf, 3, 4)))
int service_fail(int error, char err[SERVICE_ERRLEN], const char *fmt, ...);

#endif /* MINIX_SERVICE_ERRORS_H */
