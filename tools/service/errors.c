// SPDX-License-Identifier: MIT
#include "errors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <minix/errors.h>
#include <mxsys.h>

const char *service_failure_reason(int error, bool names_service)
{
	if (error == ESRCH && names_service)
		return "no such service";
	return sef_strerror(error);
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
