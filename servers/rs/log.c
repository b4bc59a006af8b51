// SPDX-License-Identifier: MIT
/* rs-daemon logging (see log.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"

static bool verbose_logging;
static bool journal;
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

void log_set_journal(bool on)
{
	journal = on;
}

bool log_journal_stream_is(const char *env, unsigned long long dev,
			   unsigned long long ino)
{
	unsigned long long d, i;
	int end = 0;

	return env && sscanf(env, "%llu:%llu%n", &d, &i, &end) == 2 &&
	       env[end] == '\0' && d == dev && i == ino;
}

bool log_stderr_is_journal(void)
{
	struct stat st;

	return fstat(STDERR_FILENO, &st) == 0 &&
	       log_journal_stream_is(getenv("JOURNAL_STREAM"),
				     (unsigned long long)st.st_dev,
				     (unsigned long long)st.st_ino);
}

size_t log_format_line(char *line, size_t size, bool to_journal,
		       int priority, const char *fmt, va_list ap)
{
	int n, m;

	if (priority < 0 || priority > 7)
		priority = RS_LOG_ERR;
	n = to_journal ? snprintf(line, size, "<%d>", priority) :
			 snprintf(line, size, "rs-daemon: ");
	m = vsnprintf(line + n, size - (size_t)n - 1, fmt, ap);
	if (m < 0)
		m = 0;
	n += m;
	if (n > (int)size - 2)
		n = (int)size - 2;
	line[n++] = '\n';
	line[n] = '\0';
	return (size_t)n;
}

static void vlog(int priority, const char *fmt, va_list ap)
{
	/*
	 * One write per line, so that the lines of services writing to the
	 * same place never cut into ours.
	 */
	char line[1024];
	size_t n = log_format_line(line, sizeof(line), journal, priority,
				   fmt, ap);

	if (write(log_fd, line, n) < 0) {
		/* Nowhere left to say it. */
	}
}

void rs_logp(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(priority, fmt, ap);
	va_end(ap);
}

void rs_debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose_logging)
		return;
	va_start(ap, fmt);
	vlog(RS_LOG_DEBUG, fmt, ap);
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
