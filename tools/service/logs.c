// SPDX-License-Identifier: MIT
/* minix-service logs (see logs.h). */
#include "logs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"

#define PROG	"minix-service"
/* How often -f looks for more; rs-daemon writes whole lines. */
#define FOLLOW_INTERVAL_MS	200

size_t logs_tail_start(const char *text, size_t len, uint64_t n)
{
	size_t i = len;

	if (n == 0)
		return len;
	/* A final newline ends the last line; it does not start another. */
	if (i > 0 && text[i - 1] == '\n')
		i--;
	while (i > 0) {
		if (text[i - 1] == '\n' && --n == 0)
			return i;
		i--;
	}
	return 0;
}

/* Append what fd holds from its position to *text. 0 or -errno. */
static int read_rest(int fd, char **text, size_t *len)
{
	size_t cap = *len + 65536;
	char *buf = realloc(*text, cap);
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	*text = buf;
	for (;;) {
		if (*len == cap) {
			cap *= 2;
			buf = realloc(*text, cap);
			if (!buf)
				return -ENOMEM;
			*text = buf;
		}
		n = read(fd, *text + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		*len += (size_t)n;
	}
}

static int fail(const char *label, const char *path, int error)
{
	if (error == ENOENT)
		fprintf(stderr, PROG ": logs %s: no log in %s (rs-daemon keeps one for each service it starts)\n",
			label, path);
	else if (error == EACCES || error == EPERM)
		fprintf(stderr, PROG ": logs %s: %s: %s (the logs are for root and the group adm)\n",
			label, path, strerror(error));
	else
		fprintf(stderr, PROG ": logs %s: %s: %s\n", label, path,
			strerror(error));
	return service_exit_status(error);
}

static void pause_a_little(void)
{
	const struct timespec interval = {
		.tv_nsec = FOLLOW_INTERVAL_MS * 1000000L,
	};

	nanosleep(&interval, NULL);
}

static int write_out(FILE *out, const char *text, size_t len)
{
	if ((len && fwrite(text, 1, len, out) != len) || fflush(out) != 0) {
		fprintf(stderr, PROG ": logs: write error\n");
		return service_exit_status(EIO);
	}
	return 0;
}

/* -f: print what comes after fd's position, also once LABEL.log is rotated. */
static int follow(int fd, const char *path, FILE *out)
{
	char buf[4096];
	struct stat now, ours;
	ssize_t n;
	int r;

	for (;;) {
		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf));
			if (n > 0) {
				r = write_out(out, buf, (size_t)n);
				if (r)
					return r;
				continue;
			}
		}
		/* Read to the end: a new file under the name is the next one. */
		if (stat(path, &now) == 0 &&
		    (fd < 0 || (fstat(fd, &ours) == 0 &&
				(now.st_ino != ours.st_ino ||
				 now.st_dev != ours.st_dev)))) {
			if (fd >= 0)
				close(fd);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			continue;
		}
		pause_a_little();
	}
}

int logs_run(const struct service_cmd *cmd, const char *dir, FILE *out)
{
	const char *label = cmd->req.rss_label;
	char path[512], old[520];
	char *text = NULL;
	size_t len = 0, start;
	int fd, old_fd, r = 0, error = 0;

	snprintf(path, sizeof(path), "%s/%s.log", dir, label);
	snprintf(old, sizeof(old), "%s.1", path);
	old_fd = open(old, O_RDONLY | O_CLOEXEC);
	if (old_fd < 0 && errno != ENOENT)
		return fail(label, old, errno);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error = errno;
		if (error != ENOENT || old_fd < 0) {
			if (old_fd >= 0)
				close(old_fd);
			/* -f on a service that has not written yet: wait. */
			if (!(error == ENOENT && cmd->follow))
				return fail(label, error == ENOENT ? dir : path,
					    error);
		}
	}
	if (old_fd >= 0) {
		r = read_rest(old_fd, &text, &len);
		close(old_fd);
	}
	if (r == 0 && fd >= 0)
		r = read_rest(fd, &text, &len);
	if (r < 0) {
		free(text);
		if (fd >= 0)
			close(fd);
		return fail(label, path, -r);
	}
	start = cmd->last_given ? logs_tail_start(text, len, cmd->last_lines) : 0;
	r = write_out(out, text ? text + start : "", len - start);
	free(text);
	if (r == 0 && cmd->follow)
		return follow(fd, path, out);
	if (fd >= 0)
		close(fd);
	return r;
}
