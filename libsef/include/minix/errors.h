/* SPDX-License-Identifier: MIT */
/*
 * <minix/errors.h>: names and meanings of error numbers, for messages.
 *
 * The module adds MINIX's own errors to Linux's, numbered above 200 in
 * the uapi header (MXSYS_EDEADSRCDST, ...; <minix/com.h> names them as
 * MINIX does: ENOTREADY, EDEADSRCDST, ECALLDENIED, EDEADEPT, ...);
 * strerror() knows nothing of them. These functions know both, and take
 * an error number of either sign, as MINIX code passes them around.
 */
#ifndef _MINIX_ERRORS_H
#define _MINIX_ERRORS_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The symbolic name: "OK" for 0, "EBUSY", "EDEADSRCDST"; NULL for a
 * number that has none.
 */
const char *sef_errname(int err);

/*
 * The meaning alone: "Device or resource busy", "source or destination
 * is dead"; "Unknown error N" for a number that has none.
 */
const char *sef_errmsg(int err);

/*
 * The text for a log line or a user: strerror()'s for Linux's errors,
 * "NAME (meaning)" for MINIX's, which no reader would otherwise recognise
 * ("EDEADEPT (dead endpoint)").
 */
const char *sef_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* _MINIX_ERRORS_H */
