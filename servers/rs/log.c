// SPDX-License-Identifier: MIT
/* rs-daemon logging. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "log.h"

static bool verbose_logging;

void log_set_verbose(bool verbose)
{
	verbose_logging = verbose;
}

bool log_verbose(void)
{
	return verbose_logging;
}

static void vlog(const char *fmt, va_list ap)
{
	/* One fprintf per line so lines from services sharing stderr do
	 * not interleave within ours.
	 */
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "rs: %s\n", line);
}

void rs_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void rs_debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose_logging)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

const char *rs_describe_status(int wait_status)
{
	static char text[64];

	if (WIFSIGNALED(wait_status))
		snprintf(text, sizeof(text), "killed by signal %d%s",
			 WTERMSIG(wait_status),
			 WCOREDUMP(wait_status) ? " (core dumped)" : "");
	else if (WIFEXITED(wait_status))
		snprintf(text, sizeof(text), "exited with status %d",
			 WEXITSTATUS(wait_status));
	else
		snprintf(text, sizeof(text), "wait status %#x", wait_status);
	return text;
}
