// SPDX-License-Identifier: MIT
/* rs-daemon logging. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"

static bool verbose_logging;
static int log_fd = STDERR_FILENO;

void log_set_fd(int fd)
{
	log_fd = fd;
}

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
	/*
	 * One write per line, so that the lines of services writing to the
	 * same place never cut into ours.
	 */
	char line[1024];
	int n;

	n = snprintf(line, sizeof(line), "rs: ");
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(log_fd, line, (size_t)n) < 0) {
		/* Nowhere left to say it. */
	}
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
