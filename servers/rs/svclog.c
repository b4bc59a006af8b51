// SPDX-License-Identifier: MIT
/* Per-service logs (see svclog.h). */
#include "svclog.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <minix/rs.h>
#include <minix/sef.h>
#include <systemd/sd-journal.h>

#include "log.h"

struct channel {
	char label[RS_MAX_LABEL_LEN];
	int read_fd;		/* -1: the entry is free */
	int write_fd;		/* what the label's processes get as 1 and 2 */
	int file_fd;		/* DIR/LABEL.log, -1 if it cannot be written */
	int journal_fd;		/* the label's own journal stream, or -1 */
	struct svclog_buf buf;
};

static struct {
	bool enabled;
	bool journal;		/* stderr is systemd's journal stream */
	char dir[256];
	int own_out, own_err;	/* rs-daemon's stdout and stderr */
	gid_t group;		/* of the files: adm, else root's */
	struct channel channels[SVCLOG_CHANNELS_MAX];
} logs = { .own_out = -1, .own_err = -1 };

/* ---- pure parts ---- */

void svclog_feed(struct svclog_buf *buf, const char *bytes, size_t len,
		 svclog_emit_fn *emit, void *arg)
{
	for (size_t i = 0; i < len; i++) {
		if (bytes[i] == '\n') {
			emit(buf->data, buf->len, arg);
			buf->len = 0;
			continue;
		}
		if (buf->len == sizeof(buf->data)) {
			emit(buf->data, buf->len, arg);
			buf->len = 0;
		}
		buf->data[buf->len++] = bytes[i];
	}
}

void svclog_flush(struct svclog_buf *buf, svclog_emit_fn *emit, void *arg)
{
	if (buf->len)
		emit(buf->data, buf->len, arg);
	buf->len = 0;
}

const char *svclog_priority(const char *line, int *priority)
{
	if (line[0] == '<' && line[1] >= '0' && line[1] <= '7' &&
	    line[2] == '>') {
		*priority = line[1] - '0';
		return line + 3;
	}
	*priority = -1;
	return line;
}

/* ---- the files ---- */

static void write_all(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;		/* a log must never stop RS */
		text += n;
		len -= (size_t)n;
	}
}

static int open_file(const char *label)
{
	char path[320];
	int fd;

	snprintf(path, sizeof(path), "%s/%s.log", logs.dir, label);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (fd < 0) {
		rs_err("%s: cannot open %s: %s; its output goes to rs-daemon's log only",
		       label, path, strerror(errno));
		return -1;
	}
	/* Debian's adm group reads logs; a failure leaves them root's. */
	if (fchown(fd, 0, logs.group) < 0)
		rs_debug("%s: chown %s: %s", label, path, strerror(errno));
	return fd;
}

/* At SVCLOG_FILE_MAX bytes LABEL.log becomes LABEL.log.1, replacing it. */
static void rotate_if_full(struct channel *ch, size_t adding)
{
	char path[320], old[330];
	struct stat st;

	if (ch->file_fd < 0 || fstat(ch->file_fd, &st) < 0 ||
	    (size_t)st.st_size + adding <= SVCLOG_FILE_MAX)
		return;
	snprintf(path, sizeof(path), "%s/%s.log", logs.dir, ch->label);
	snprintf(old, sizeof(old), "%s.1", path);
	if (rename(path, old) < 0)
		rs_err("%s: cannot rotate %s: %s", ch->label, path,
		       strerror(errno));
	close(ch->file_fd);
	ch->file_fd = open_file(ch->label);
}

/* snprintf's length, as much as it wrote (the buffers fit a line). */
static size_t clamp(int n, size_t size)
{
	return n < 0 ? 0 : (size_t)n >= size ? size - 1 : (size_t)n;
}

/*
 * Under systemd, each label gets a stream of its own in the journal, with
 * the label as its identifier (journalctl -t LABEL) and the <N> prefixes
 * read as priorities, as a unit's own output would be. -1 (and the lines
 * go into rs-daemon's stream, "LABEL: " first) without a journal or when
 * journald refuses.
 */
static int open_journal(const char *label)
{
	int fd;

	if (!logs.journal)
		return -1;
	fd = sd_journal_stream_fd(label, LOG_INFO, 1);
	if (fd < 0) {
		rs_warn("%s: no journal stream of its own (%s); its lines go into "
			"rs-daemon's", label, strerror(-fd));
		return -1;
	}
	/* Nothing is read from it; writes go out in emit_line. */
	shutdown(fd, SHUT_RD);
	return fd;
}

/* A line to the label's journal stream; false if it is gone (closed). */
static bool journal_line(struct channel *ch, int priority, const char *body)
{
	char out[SVCLOG_LINE_MAX + 8];
	const char *at = out;
	size_t len;
	int n;

	n = priority >= 0 ? snprintf(out, sizeof(out), "<%d>%s\n", priority, body)
			  : snprintf(out, sizeof(out), "%s\n", body);
	len = clamp(n, sizeof(out));
	while (len) {
		/* MSG_NOSIGNAL: a journald that went away is no SIGPIPE. */
		ssize_t sent = send(ch->journal_fd, at, len, MSG_NOSIGNAL);

		if (sent < 0 && errno == EINTR)
			continue;
		if (sent <= 0) {
			rs_warn("%s: its journal stream failed (%s); its lines "
				"go into rs-daemon's", ch->label,
				sent < 0 ? strerror(errno) : "closed");
			close(ch->journal_fd);
			ch->journal_fd = -1;
			return false;
		}
		at += sent;
		len -= (size_t)sent;
	}
	return true;
}

/*
 * The label RS puts before a line of the service in its own log: none for
 * a line that starts with it already (a service that names itself in its
 * messages, as hello and ds-daemon do, is not named twice).
 */
static const char *label_prefix(const struct channel *ch, const char *body,
				char *buf, size_t size)
{
	size_t n = strlen(ch->label);

	if (strncmp(body, ch->label, n) == 0 && body[n] == ':' &&
	    body[n + 1] == ' ')
		return "";
	snprintf(buf, size, "%s: ", ch->label);
	return buf;
}

/* One line of a service: to RS's log with its label, to its file. */
static void emit_line(const char *line, size_t len, void *arg)
{
	struct channel *ch = arg;
	char text[SVCLOG_LINE_MAX + 1], out[SVCLOG_LINE_MAX + 96];
	char label[RS_MAX_LABEL_LEN + 3];
	const char *body, *named;
	struct timespec now;
	struct tm tm;
	int priority, n;

	memcpy(text, line, len);
	text[len] = '\0';
	body = svclog_priority(text, &priority);

	if (ch->journal_fd < 0 || !journal_line(ch, priority, body)) {
		named = label_prefix(ch, body, label, sizeof(label));
		/* The journal reads the <N> prefix itself; a console would show it. */
		if (logs.journal && priority >= 0)
			n = snprintf(out, sizeof(out), "<%d>%s%s\n", priority,
				     named, body);
		else
			n = snprintf(out, sizeof(out), "%s%s\n", named, body);
		write_all(logs.own_err, out, clamp(n, sizeof(out)));
	}

	if (ch->file_fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	localtime_r(&now.tv_sec, &tm);
	n = (int)strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%S", &tm);
	n += snprintf(out + n, sizeof(out) - (size_t)n, ".%03ld %s\n",
		      now.tv_nsec / 1000000, body);
	rotate_if_full(ch, clamp(n, sizeof(out)));
	if (ch->file_fd >= 0)
		write_all(ch->file_fd, out, clamp(n, sizeof(out)));
}

/* ---- channels ---- */

static struct channel *find_channel(const char *label)
{
	for (int i = 0; i < SVCLOG_CHANNELS_MAX; i++)
		if (logs.channels[i].read_fd >= 0 &&
		    strcmp(logs.channels[i].label, label) == 0)
			return &logs.channels[i];
	return NULL;
}

/*
 * Both ends of a label's pipe also go to RS's fd store ("log.LABEL" and
 * "logw.LABEL"): should RS die, its services' writes neither fail (EPIPE,
 * SIGPIPE) nor get lost, and the RS that takes over reads on
 * (svclog_enable adopts them).
 */
static void store_names(const char *label, char r[SEF_FD_NAME_LEN],
			char w[SEF_FD_NAME_LEN])
{
	snprintf(r, SEF_FD_NAME_LEN, "log.%s", label);
	snprintf(w, SEF_FD_NAME_LEN, "logw.%s", label);
}

static void keep_ends(const struct channel *ch)
{
	char r[SEF_FD_NAME_LEN], w[SEF_FD_NAME_LEN];

	store_names(ch->label, r, w);
	if (sef_fd_replace(r, ch->read_fd) < 0 ||
	    sef_fd_replace(w, ch->write_fd) < 0)
		rs_debug("%s: log pipe not kept across RS's death", ch->label);
}

static void drop_ends(const char *label)
{
	char r[SEF_FD_NAME_LEN], w[SEF_FD_NAME_LEN];

	store_names(label, r, w);
	(void)sef_fd_remove(r);
	(void)sef_fd_remove(w);
}

/* The pipes a previous RS kept: their channels again. */
static void adopt_channels(void)
{
	static char names[SEF_FD_MAX][SEF_FD_NAME_LEN];
	int n = sef_fd_list(names, SEF_FD_MAX);

	for (int i = 0, k = 0; i < n && k < SVCLOG_CHANNELS_MAX; i++) {
		char r[SEF_FD_NAME_LEN], w[SEF_FD_NAME_LEN];
		struct channel *ch = &logs.channels[k];
		const char *label;
		int rfd, wfd;

		if (strncmp(names[i], "log.", 4) != 0)
			continue;
		label = names[i] + 4;
		store_names(label, r, w);
		rfd = sef_fd_fetch(r);
		wfd = sef_fd_fetch(w);
		if (rfd < 0 || wfd < 0 || strlen(label) >= sizeof(ch->label)) {
			if (rfd >= 0)
				close(rfd);
			if (wfd >= 0)
				close(wfd);
			continue;
		}
		snprintf(ch->label, sizeof(ch->label), "%s", label);
		ch->read_fd = rfd;
		ch->write_fd = wfd;
		ch->buf.len = 0;
		ch->file_fd = open_file(label);
		ch->journal_fd = open_journal(label);
		k++;
	}
}

static struct channel *open_channel(const char *label)
{
	struct channel *ch = NULL;
	int fds[2];

	for (int i = 0; i < SVCLOG_CHANNELS_MAX && !ch; i++)
		if (logs.channels[i].read_fd < 0)
			ch = &logs.channels[i];
	if (!ch) {
		rs_warn("%s: more than %d logs; its output goes to rs-daemon's",
		       label, SVCLOG_CHANNELS_MAX);
		return NULL;
	}
	/* Close-on-exec both: a child gets the write end only as 1 and 2. */
	if (pipe2(fds, O_CLOEXEC) < 0) {
		rs_err("%s: log pipe: %s", label, strerror(errno));
		return NULL;
	}
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	snprintf(ch->label, sizeof(ch->label), "%s", label);
	ch->read_fd = fds[0];
	ch->write_fd = fds[1];
	ch->buf.len = 0;
	ch->file_fd = open_file(label);
	ch->journal_fd = open_journal(label);
	keep_ends(ch);
	return ch;
}

/* Read what is there; false once the pipe is empty. */
static bool read_channel(struct channel *ch)
{
	char bytes[4096];
	ssize_t n = read(ch->read_fd, bytes, sizeof(bytes));

	if (n <= 0)
		return false;
	svclog_feed(&ch->buf, bytes, (size_t)n, emit_line, ch);
	return true;
}

static void close_channel(struct channel *ch)
{
	/* The write end first: what is left in the pipe is all there is. */
	close(ch->write_fd);
	while (read_channel(ch))
		;
	svclog_flush(&ch->buf, emit_line, ch);
	drop_ends(ch->label);
	close(ch->read_fd);
	if (ch->file_fd >= 0)
		close(ch->file_fd);
	if (ch->journal_fd >= 0)
		close(ch->journal_fd);
	ch->read_fd = ch->write_fd = ch->file_fd = ch->journal_fd = -1;
}

/* mkdir -p, 0755. */
static int make_dirs(const char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s", dir);
	for (char *slash = path + 1; *slash; slash++) {
		if (*slash != '/')
			continue;
		*slash = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -1;
		*slash = '/';
	}
	return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* The group of the files: asked once (NSS may load modules). */
static gid_t log_group(void)
{
	static bool asked;
	static gid_t gid;

	if (!asked) {
		const struct group *adm = getgrnam("adm");

		gid = adm ? adm->gr_gid : 0;
		asked = true;
	}
	return gid;
}

void svclog_prepare(void)
{
	(void)log_group();
}

int svclog_enable(const char *dir)
{

	for (int i = 0; i < SVCLOG_CHANNELS_MAX; i++)
		logs.channels[i].read_fd = -1;
	if (strlen(dir) >= sizeof(logs.dir))
		return -ENAMETOOLONG;
	if (make_dirs(dir) < 0)
		return -errno;
	snprintf(logs.dir, sizeof(logs.dir), "%s", dir);
	logs.group = log_group();
	logs.journal = log_stderr_is_journal();
	logs.own_out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	logs.own_err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (logs.own_out < 0 || logs.own_err < 0)
		return -errno;
	/* rs-daemon's own lines keep going where they went. */
	log_set_fd(logs.own_err);
	logs.enabled = true;
	adopt_channels();
	return 0;
}

bool svclog_enabled(void)
{
	return logs.enabled;
}

bool svclog_redirect(const char *label)
{
	struct channel *ch;

	if (!logs.enabled)
		return false;
	ch = find_channel(label);
	if (!ch)
		ch = open_channel(label);
	if (!ch)
		return false;
	fflush(stdout);
	fflush(stderr);
	if (dup2(ch->write_fd, STDOUT_FILENO) < 0 ||
	    dup2(ch->write_fd, STDERR_FILENO) < 0) {
		svclog_restore(true);
		return false;
	}
	return true;
}

void svclog_restore(bool redirected)
{
	if (!redirected)
		return;
	dup2(logs.own_out, STDOUT_FILENO);
	dup2(logs.own_err, STDERR_FILENO);
}

int svclog_pollfds(struct pollfd *fds, int max,
		   bool (*in_use)(const char *label))
{
	int n = 0;

	if (!logs.enabled)
		return 0;
	for (int i = 0; i < SVCLOG_CHANNELS_MAX; i++) {
		struct channel *ch = &logs.channels[i];

		if (ch->read_fd < 0)
			continue;
		if (!in_use(ch->label)) {
			close_channel(ch);
			continue;
		}
		if (n < max)
			fds[n++] = (struct pollfd){ .fd = ch->read_fd,
						    .events = POLLIN };
	}
	return n;
}

void svclog_dispatch(const struct pollfd *fds, int n)
{
	for (int i = 0; i < n; i++) {
		if (!(fds[i].revents & POLLIN))
			continue;
		for (int c = 0; c < SVCLOG_CHANNELS_MAX; c++) {
			struct channel *ch = &logs.channels[c];

			/*
			 * A pipe's worth at most (16 reads of 4 KiB): a
			 * chatty service must not keep RS from its work.
			 */
			for (int reads = 0; ch->read_fd == fds[i].fd &&
			     reads < 16 && read_channel(ch); reads++)
				;
		}
	}
}

void svclog_close_all(void)
{
	if (!logs.enabled)
		return;
	for (int i = 0; i < SVCLOG_CHANNELS_MAX; i++)
		if (logs.channels[i].read_fd >= 0)
			close_channel(&logs.channels[i]);
}
