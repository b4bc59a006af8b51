/* SPDX-License-Identifier: MIT */
/*
 * Per-service logs. Each label has a pipe: its processes (every instance,
 * replica and new version of the service) get the write end as stdout and
 * stderr; rs-daemon reads the other end in its poll loop and writes each
 * line twice: prefixed with the label to rs-daemon's own log (stderr, or
 * the journal under systemd, with the line's <N> priority kept), and with
 * a time stamp to DIR/LABEL.log, which is rotated to DIR/LABEL.log.1 at
 * SVCLOG_FILE_MAX bytes (`minix-service logs LABEL` reads both).
 *
 * The pipe belongs to the label, not to a process, and rs-daemon holds
 * both ends: a restart does not lose what the dying process wrote, and
 * the new process writes to the same log. Beside the stack, like log.c:
 * it knows labels, not services.
 */
#ifndef RS_SVCLOG_H
#define RS_SVCLOG_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#define SVCLOG_CHANNELS_MAX	64
#define SVCLOG_LINE_MAX		1024	/* longer lines are split */
#define SVCLOG_FILE_MAX		(1024 * 1024)

/*
 * Start capturing, with the files in dir (created 0755 if missing; the
 * files are 0640, readable by the group adm as on Debian). Until this is
 * called every function below does nothing, so the host tests of RS's
 * state machine run without pipes. Returns 0 or a negative error; on
 * error, services keep RS's stdout and stderr.
 */
int svclog_enable(const char *dir);
bool svclog_enabled(void);
/*
 * What svclog_enable looks up outside RS's slot, done ahead: a standby
 * calls it before RS dies, so that the takeover does not wait for it.
 */
void svclog_prepare(void);

/*
 * Around a fork: point stdout and stderr at label's pipe (made on first
 * use), so that the child inherits them, then back at rs-daemon's own.
 * svclog_redirect returns whether it redirected; give that to restore.
 */
bool svclog_redirect(const char *label);
void svclog_restore(bool redirected);

/*
 * The poll loop: svclog_pollfds fills at most max entries (one per label)
 * and returns how many; svclog_dispatch reads those that are readable.
 * in_use(label) tells whether a service still has the label; a channel
 * whose label is gone is drained and closed.
 */
int svclog_pollfds(struct pollfd *fds, int max,
		   bool (*in_use)(const char *label));
void svclog_dispatch(const struct pollfd *fds, int n);
/* At exit: drain and close every channel. */
void svclog_close_all(void);

/* ---- the pure parts, for the host tests ---- */

/* A line being assembled from a pipe's bytes. */
struct svclog_buf {
	char data[SVCLOG_LINE_MAX];
	size_t len;
};

typedef void svclog_emit_fn(const char *line, size_t len, void *arg);

/*
 * Add bytes read from the pipe; each complete line (without its '\n')
 * goes to emit; a line longer than SVCLOG_LINE_MAX goes in pieces. What
 * is left waits for more, or for svclog_flush (at the channel's end).
 */
void svclog_feed(struct svclog_buf *buf, const char *bytes, size_t len,
		 svclog_emit_fn *emit, void *arg);
void svclog_flush(struct svclog_buf *buf, svclog_emit_fn *emit, void *arg);

/*
 * sd-daemon(3)'s "<N>" prefix (N 0 to 7): returns the text after it and
 * sets *priority, or returns line and sets *priority to -1.
 */
const char *svclog_priority(const char *line, int *priority);

#endif /* RS_SVCLOG_H */
