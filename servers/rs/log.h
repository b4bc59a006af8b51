/* SPDX-License-Identifier: MIT */
/*
 * rs-daemon logging: one line per event, each with a priority. On a
 * console or a file the line reads "rs-daemon: text"; when stderr is
 * systemd's journal (JOURNAL_STREAM names stderr's device and inode, as
 * systemd.exec(5) and sd_journal_stream_fd(3) document) it carries
 * sd-daemon(3)'s "<N>" prefix instead, which the journal takes for the
 * line's priority (and journalctl -p filters on).
 */
#ifndef RS_LOG_H
#define RS_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <minix/errors.h>

/* sd-daemon(3)'s priorities (syslog's LOG_ERR ... LOG_DEBUG). */
#define RS_LOG_ERR	3	/* RS cannot do what it should */
#define RS_LOG_WARNING	4	/* something went wrong, RS copes */
#define RS_LOG_NOTICE	5	/* a service's life: up, died, down, updated */
#define RS_LOG_INFO	6	/* what RS is doing */
#define RS_LOG_DEBUG	7	/* only with -v */

void log_set_verbose(bool verbose);
/* Where rs-daemon's lines go: stderr until svclog.c takes stderr over. */
void log_set_fd(int fd);
bool log_verbose(void);
/* Lines with "<N>" prefixes (the journal) or "rs-daemon: " (the rest). */
void log_set_journal(bool journal);
/* Whether stderr is the journal: JOURNAL_STREAM against fstat(2). */
bool log_stderr_is_journal(void);

void rs_logp(int priority, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define rs_err(...)	rs_logp(RS_LOG_ERR, __VA_ARGS__)
#define rs_warn(...)	rs_logp(RS_LOG_WARNING, __VA_ARGS__)
#define rs_notice(...)	rs_logp(RS_LOG_NOTICE, __VA_ARGS__)
#define rs_info(...)	rs_logp(RS_LOG_INFO, __VA_ARGS__)
/* Only with -v: details that help debugging but flood a normal console. */
void rs_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "killed by signal 9", "exited with status 3" (static buffer). */
const char *rs_describe_status(int wait_status);

/* ---- the pure parts, for the host tests ---- */

/*
 * Whether JOURNAL_STREAM's value env ("DEV:INO") names the file of device
 * dev and inode ino. NULL or malformed: false.
 */
bool log_journal_stream_is(const char *env, unsigned long long dev,
			   unsigned long long ino);
/*
 * One line into line (size bytes), newline included, however long the
 * text: "<N>text\n" for the journal, "rs-daemon: text\n" otherwise.
 * Returns its length.
 */
size_t log_format_line(char *line, size_t size, bool journal, int priority,
		       const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

#endif /* RS_LOG_H */
