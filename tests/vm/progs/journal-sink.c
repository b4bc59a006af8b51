// SPDX-License-Identifier: MIT
/*
 * journal-sink: journald's stdout socket, for suite 69: run CMD with its
 * stderr connected to a stream this program reads, JOURNAL_STREAM naming
 * that stream (as systemd starts a unit whose output goes to the journal),
 * and serve /run/systemd/journal/stdout, where sd_journal_stream_fd(3)
 * connects.
 *
 *   journal-sink DIR CMD [ARG...]
 *
 * The process becomes CMD (its pid is CMD's); the sink runs on in a
 * grandchild, bound before CMD starts. Each stream's lines go, as they
 * came (with their <N> prefixes), to DIR/IDENTIFIER.log; CMD's own
 * stream is DIR/cmd.log. A connected stream first sends journald's
 * header, seven lines (identifier, unit, priority, level prefix, and
 * three forwarding flags): DIR/IDENTIFIER.header gets it as
 * "identifier=I priority=P level_prefix=L". The sink ends when CMD's
 * stream closes; DIR/sink.pid has its pid. Exit status 2 on a usage or
 * socket error.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define SOCKET_DIR	"/run/systemd/journal"
#define SOCKET_PATH	SOCKET_DIR "/stdout"
#define STREAMS_MAX	64
#define HEADER_LINES	7

struct stream {
	int fd;			/* -1: free */
	int header_left;	/* header lines still to come */
	char header[HEADER_LINES][128];
	char ident[64];
	char line[4096];
	size_t len;
};

static struct stream streams[STREAMS_MAX];
static const char *dir;

static void append(const char *ident, const char *suffix, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, ident, suffix);
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "%s\n", text);
	fclose(f);
}

/* A whole line of stream s: a header line, or a log line. */
static void take_line(struct stream *s)
{
	char text[512];

	s->line[s->len] = '\0';
	s->len = 0;
	if (s->header_left > 0) {
		int i = HEADER_LINES - s->header_left--;

		/* Longer header lines are cut: they are no identifier. */
		snprintf(s->header[i], sizeof(s->header[i]), "%.127s", s->line);
		if (s->header_left > 0)
			return;
		/* An identifier that is no file name is recorded as such. */
		snprintf(s->ident, sizeof(s->ident), "%.63s",
			 s->header[0][0] && !strchr(s->header[0], '/') ?
			 s->header[0] : "bad-identifier");
		snprintf(text, sizeof(text), "identifier=%s priority=%s "
			 "level_prefix=%s", s->header[0], s->header[2],
			 s->header[3]);
		append(s->ident, "header", text);
		return;
	}
	append(s->ident, "log", s->line);
}

/* Read what stream s has; false at its end. */
static bool read_stream(struct stream *s)
{
	char bytes[4096];
	ssize_t n = read(s->fd, bytes, sizeof(bytes));

	if (n < 0 && errno == EINTR)
		return true;
	if (n <= 0) {
		if (s->len)
			take_line(s);
		close(s->fd);
		s->fd = -1;
		return false;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (bytes[i] == '\n' || s->len == sizeof(s->line) - 1) {
			take_line(s);
			if (bytes[i] == '\n')
				continue;
		}
		s->line[s->len++] = bytes[i];
	}
	return true;
}

static struct stream *add_stream(int fd, const char *ident, int header)
{
	for (int i = 0; i < STREAMS_MAX; i++) {
		if (streams[i].fd >= 0)
			continue;
		memset(&streams[i], 0, sizeof(streams[i]));
		streams[i].fd = fd;
		streams[i].header_left = header;
		snprintf(streams[i].ident, sizeof(streams[i].ident), "%s", ident);
		return &streams[i];
	}
	close(fd);
	return NULL;
}

static void serve(int listener, int cmd_stream)
{
	struct stream *cmd;
	char pid[32];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	append("sink", "pid", pid);
	for (int i = 0; i < STREAMS_MAX; i++)
		streams[i].fd = -1;
	cmd = add_stream(cmd_stream, "cmd", 0);
	while (cmd->fd >= 0) {
		struct pollfd fds[STREAMS_MAX + 1];
		struct stream *of[STREAMS_MAX + 1];
		int n = 0;

		fds[n] = (struct pollfd){ .fd = listener, .events = POLLIN };
		of[n++] = NULL;
		for (int i = 0; i < STREAMS_MAX; i++)
			if (streams[i].fd >= 0) {
				fds[n] = (struct pollfd){ .fd = streams[i].fd,
							  .events = POLLIN };
				of[n++] = &streams[i];
			}
		if (poll(fds, (nfds_t)n, -1) < 0)
			continue;
		for (int i = 0; i < n; i++) {
			if (!fds[i].revents)
				continue;
			if (!of[i]) {
				int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);

				if (fd >= 0)
					add_stream(fd, "", HEADER_LINES);
			} else {
				read_stream(of[i]);
			}
		}
	}
	unlink(SOCKET_PATH);
}

int main(int argc, char *argv[])
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int listener, pair[2];
	char stream_id[64];
	struct stat st;
	pid_t child;

	if (argc < 3) {
		fprintf(stderr, "usage: journal-sink DIR CMD [ARG...]\n");
		return 2;
	}
	dir = argv[1];
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", SOCKET_PATH);
	mkdir("/run/systemd", 0755);
	mkdir(SOCKET_DIR, 0755);
	unlink(SOCKET_PATH);
	listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listener < 0 ||
	    bind(listener, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(listener, 16) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
		perror("journal-sink: " SOCKET_PATH);
		return 2;
	}
	/* The sink in a grandchild: CMD is not its parent, init reaps it. */
	child = fork();
	if (child < 0) {
		perror("journal-sink: fork");
		return 2;
	}
	if (child == 0) {
		if (fork() == 0) {
			close(pair[1]);
			serve(listener, pair[0]);
		}
		_exit(0);
	}
	waitpid(child, NULL, 0);
	close(listener);
	close(pair[0]);
	if (dup2(pair[1], STDERR_FILENO) < 0 || fstat(STDERR_FILENO, &st) < 0) {
		perror("journal-sink: stderr");
		return 2;
	}
	snprintf(stream_id, sizeof(stream_id), "%lu:%lu",
		 (unsigned long)st.st_dev, (unsigned long)st.st_ino);
	setenv("JOURNAL_STREAM", stream_id, 1);
	execvp(argv[2], argv + 2);
	perror("journal-sink: exec");
	return 2;
}
