// SPDX-License-Identifier: MIT
/*
 * notify-listen: systemd's side of sd_notify(3), for suite 76: bind an
 * AF_UNIX datagram socket at PATH, then print each datagram received, one
 * line per assignment ("READY=1"), until one of them is WANT or SECONDS
 * pass.
 *
 *   notify-listen PATH WANT SECONDS
 *
 * Exit status 0 once WANT came, 1 on timeout, 2 on a usage or socket
 * error. It says "listening" on stderr once bound, so that the suite can
 * start rs-daemon after it.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int main(int argc, char *argv[])
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	long deadline;
	int fd;

	if (argc != 4 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: notify-listen PATH WANT SECONDS\n");
		return 2;
	}
	strcpy(addr.sun_path, argv[1]);
	unlink(argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("notify-listen");
		return 2;
	}
	fprintf(stderr, "notify-listen: listening\n");
	deadline = now_ms() + atol(argv[3]) * 1000;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left = deadline - now_ms();
		char buf[4096];
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return 1;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* One datagram holds assignments separated by newlines. */
		for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
			printf("%s\n", line);
			fflush(stdout);
			if (strcmp(line, argv[2]) == 0)
				return 0;
		}
	}
}
