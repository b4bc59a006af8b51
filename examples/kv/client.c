/* SPDX-License-Identifier: MIT */
/*
 * kv: the command-line client of kv-server (kv(8)).
 *
 *   kv [-a ADDR] [-t SECONDS] get KEY | set KEY VALUE | incr KEY [DELTA]
 *      | del KEY
 *
 * Each request carries an id of its own. When no reply comes within a
 * second, or the connection breaks, the request is sent again with the
 * same id (reconnecting if need be), until -t runs out: kv-server answers
 * a retried id from its last-reply record, so a retry is never applied
 * twice on the same connection.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "proto.h"
#include "version.h"

#define KV_RETRY_MS	1000
/* Exit codes. */
#define EXIT_NOTFOUND	1
#define EXIT_USAGE	2
#define EXIT_ERR	3
#define EXIT_DOWN	4

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void usage(void)
{
	fprintf(stderr, "usage: kv [-a ADDR] [-t SECONDS] get KEY | set KEY "
		"VALUE | incr KEY [DELTA] | del KEY\n"
		"ADDR: tcp:IP:PORT or unix:PATH (default $KV_ADDR, else "
		KV_DEFAULT_TCP ")\n");
	exit(EXIT_USAGE);
}

/* Read a reply to id from fd until deadline; 1 got, 0 timeout, -1 lost. */
static int await_reply(int fd, uint64_t id, long long deadline,
		       struct kv_reply *rep)
{
	static char buf[KV_REPLY_MAX * 4];
	static size_t have;
	size_t len;

	for (;;) {
		while ((len = kv_line_length(buf, have)) > 0) {
			int ok = kv_parse_reply(buf, len - 1, rep) == 0;

			memmove(buf, buf + len, have - len);
			have -= len;
			/* A reply to an earlier send of the same id is as good. */
			if (ok && (rep->id == id || rep->id == 0))
				return 1;
		}
		long long left = deadline - now_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (left <= 0)
			return 0;
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
			return -1;
		if (!p.revents)
			continue;
		if (have == sizeof(buf))
			have = 0;	/* garbage: no line fits */
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n <= 0) {
			have = 0;
			return -1;
		}
		have += (size_t)n;
	}
}

int main(int argc, char *argv[])
{
	const char *addr = getenv("KV_ADDR");
	struct kv_request req = { 0 };
	struct kv_reply rep;
	char line[KV_LINE_MAX + 8], err[256] = "";
	double timeout_s = 5;
	long long end;
	int fd = -1, opt, got = 0, sends = 0;
	size_t len;
	const char *why;

	version_help_options(argc, argv, "kv",
		"usage: kv [-a ADDR] [-t SECONDS] get KEY | set KEY VALUE | "
		"incr KEY [DELTA] | del KEY\n"
		"The client of kv-server, the example mxsys service (kv(8)).\n"
		"ADDR: tcp:IP:PORT or unix:PATH (default $KV_ADDR, else "
		KV_DEFAULT_TCP ").\n-t: give up after SECONDS (default 5).\n"
		"Exit: 0 done, 1 not found, 2 usage, 3 the server refused, "
		"4 no answer.\n");
	while ((opt = getopt(argc, argv, "+a:t:")) != -1) {
		if (opt == 'a')
			addr = optarg;
		else if (opt == 't' && (timeout_s = atof(optarg)) > 0)
			;
		else
			usage();
	}
	if (!addr)
		addr = KV_DEFAULT_TCP;
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();

	/* Build the line, then let the protocol's own parser check it. */
	if (!strcmp(argv[0], "set") && argc >= 3) {
		size_t n = (size_t)snprintf(line, sizeof(line), "1 SET %s ",
					    argv[1]);

		for (int i = 2; i < argc && n < sizeof(line); i++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s",
					      argv[i], i + 1 < argc ? " " : "");
	} else if (!strcmp(argv[0], "get") && argc == 2) {
		snprintf(line, sizeof(line), "1 GET %s", argv[1]);
	} else if (!strcmp(argv[0], "incr") && (argc == 2 || argc == 3)) {
		snprintf(line, sizeof(line), "1 INCR %s%s%s", argv[1],
			 argc == 3 ? " " : "", argc == 3 ? argv[2] : "");
	} else if (!strcmp(argv[0], "del") && argc == 2) {
		snprintf(line, sizeof(line), "1 DEL %s", argv[1]);
	} else {
		usage();
	}
	if (kv_parse_request(line, strlen(line), &req, &why)) {
		fprintf(stderr, "kv: %s\n", why);
		return EXIT_USAGE;
	}
	if (getrandom(&req.id, sizeof(req.id), 0) != sizeof(req.id))
		req.id = (uint64_t)now_ms() ^ ((uint64_t)getpid() << 32);
	req.id = (req.id >> 1) | 1;	/* 1 .. 2^63 - 1 */
	len = kv_format_request(&req, line, sizeof(line));

	end = now_ms() + (long long)(timeout_s * 1000);
	while (!got && now_ms() < end) {
		long long next;
		int r;

		if (fd < 0) {
			fd = kv_connect(addr, err, sizeof(err));
			if (fd < 0) {
				usleep(100000);
				continue;
			}
		}
		if (write(fd, line, len) != (ssize_t)len) {
			snprintf(err, sizeof(err), "connection to %s lost: %s",
				 addr, strerror(errno));
			close(fd);
			fd = -1;
			continue;
		}
		sends++;
		next = now_ms() + KV_RETRY_MS;
		r = await_reply(fd, req.id, next < end ? next : end, &rep);
		if (r > 0) {
			got = 1;
		} else if (r < 0) {
			snprintf(err, sizeof(err), "connection to %s lost", addr);
			close(fd);
			fd = -1;
		} else {
			snprintf(err, sizeof(err), "no answer from %s", addr);
		}
	}
	if (fd >= 0)
		close(fd);
	if (!got) {
		fprintf(stderr, "kv: %s (after %.1f s; is kv-server running? "
			"see kv(8))\n", err, timeout_s);
		return EXIT_DOWN;
	}
	switch (rep.status) {
	case KV_R_VALUE:
		printf("%s\n", rep.text);
		return 0;
	case KV_R_OK:
	case KV_R_DELETED:
		return 0;
	case KV_R_NOTFOUND:
		fprintf(stderr, "kv: %s: not found\n", req.key);
		return EXIT_NOTFOUND;
	default:
		fprintf(stderr, "kv: the server refused: %s\n", rep.text);
		return EXIT_ERR;
	}
}
