/* SPDX-License-Identifier: MIT */
/* Names for the error numbers minix-service reports and exits with. */
#ifndef MINIX_SERVICE_ERRORS_H
#define MINIX_SERVICE_ERRORS_H

/*
 * Text for a positive error number: strerror() for Linux's errors, and
 * "NAME (meaning)" for the MINIX-only ones numbered above 200 in the uapi
 * header, which strerror() does not know.
 */
const char *service_strerror(int error);

/* The exit status for a positive error number; always 1..255. */
int service_exit_status(int error);

#endif /* MINIX_SERVICE_ERRORS_H */
