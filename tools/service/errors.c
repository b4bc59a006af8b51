// SPDX-License-Identifier: MIT
#include "errors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <mxsys.h>

static const struct {
	int error;
	const char *text;
} minix_errors[] = {
	{ ENOTREADY, "ENOTREADY (source or destination not ready)" },
	{ EDEADSRCDST, "EDEADSRCDST (source or destination is dead)" },
	{ EDONTREPLY, "EDONTREPLY (no reply)" },
	{ EGENERIC, "EGENERIC (generic error)" },
	{ EBADREQUEST, "EBADREQUEST (bad request)" },
	{ ELOCKED, "ELOCKED (IPC deadlock)" },
	{ EBADCALL, "EBADCALL (illegal system call)" },
	{ ECALLDENIED, "ECALLDENIED (call not allowed)" },
	{ ETRAPDENIED, "ETRAPDENIED (IPC trap not allowed)" },
	{ EDEADEPT, "EDEADEPT (dead endpoint)" },
};

const char *service_strerror(int error)
{
	size_t i;

	for (i = 0; i < sizeof(minix_errors) / sizeof(minix_errors[0]); i++)
		if (minix_errors[i].error == error)
			return minix_errors[i].text;
	return strerror(error);
}

const char *service_failure_reason(int error, bool names_service)
{
	if (error == ESRCH && names_service)
		return "no such service";
	return service_strerror(error);
}

int service_exit_status(int error)
{
	/* An exit status is 8 bits; anything else would wrap to 0 = success. */
	if (error <= 0 || error > 255)
		return EGENERIC;
	return error;
}

int service_fail(int error, char err[SERVICE_ERRLEN], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, SERVICE_ERRLEN, fmt, ap);
	va_end(ap);
	return error;
}
