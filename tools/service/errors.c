// SPDX-License-Identifier: MIT
#include "errors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <minix/errors.h>
#include <mxsys.h>

/*
 * rs-daemon's errors in its own words. An entry applies when the request
 * had every context bit it asks for; the first match wins. minix-service(8)
 * EXIT STATUS says the same.
 */
static const struct {
	int error;
	unsigned int context;
	const char *text;
} rs_errors[] = {
	/* rs-daemon answers ESRCH only for an unknown label. */
	{ ESRCH, REASON_NAMES_SERVICE, "no such service" },
	{ ERESTART, 0, "the new version died in its init; rolled back" },
	{ EINTR, REASON_UPDATE,
	  "the update timed out (-maxtime) or was stopped; rolled back" },
	{ EAGAIN, REASON_UPDATE,
	  "rs-daemon is busy starting or restarting a service; try again" },
	{ EBUSY, REASON_UPDATE,
	  "busy: another update is running, or the service is initialising" },
	{ EBUSY, REASON_DUMP, "the service is not running" },
	{ ETIMEDOUT, REASON_DUMP, "the service did not answer in time" },
	{ EBUSY, 0,
	  "busy: the label is taken, or the service is initialising or has a request pending" },
};

const char *service_failure_reason(int error, unsigned int context)
{
	for (size_t i = 0; i < sizeof(rs_errors) / sizeof(rs_errors[0]); i++)
		if (rs_errors[i].error == error &&
		    (rs_errors[i].context & context) == rs_errors[i].context)
			return rs_errors[i].text;
	return sef_strerror(error);
}

int service_exit_status(int error)
{
	/* An exit status is 8 bits; anything else would wrap to 0 = success. */
	if (error <= 0 || error > 255)
		return MXSYS_EGENERIC;
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
