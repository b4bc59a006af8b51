/* SPDX-License-Identifier: MIT */
/* Fatal errors and error names for libsef's own messages. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sef_internal.h"

const char *sef_strerror(int err)
{
	if (err < 0)
		err = -err;
	/* strerror() knows nothing of the numbers the module adds above 200. */
	switch (err) {
	case ENOTREADY:		return "ENOTREADY (destination not ready)";
	case EDEADSRCDST:	return "EDEADSRCDST (source or destination is dead)";
	case EDONTREPLY:	return "EDONTREPLY";
	case EGENERIC:		return "EGENERIC (generic error)";
	case EBADREQUEST:	return "EBADREQUEST (bad request)";
	case ELOCKED:		return "ELOCKED (IPC deadlock)";
	case EBADCALL:		return "EBADCALL (illegal system call)";
	case ECALLDENIED:	return "ECALLDENIED (call not permitted)";
	case ETRAPDENIED:	return "ETRAPDENIED (IPC trap not permitted)";
	case EDEADEPT:		return "EDEADEPT (dead endpoint)";
	default:		return strerror(err);
	}
}

void sef_panic(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: panic: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}
