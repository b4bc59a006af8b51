// SPDX-License-Identifier: MIT
/*
 * hello-reader: open, read and close /dev/hello in a loop, checking every
 * read, until the file STOP exists (bench.sh: a client of hello through
 * its crashes).
 *
 *   hello-reader STOP
 *
 * Prints one line when it stops:
 *   reads=N failed=N max_stall_us=N
 * max_stall_us is the longest time one open-read-close took: how long a
 * client waited for hello at worst. A failed read (an error, or not
 * exactly "Hello, World!\n") counts in failed and never ends the loop.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MESSAGE		"Hello, World!\n"

static uint64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

/* One client's use of the device: true if it read the message. */
static int read_once(void)
{
	char buf[64];
	ssize_t n, got = 0;
	int fd = open("/dev/hello", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while ((n = read(fd, buf + got, sizeof(buf) - (size_t)got)) > 0)
		got += n;
	close(fd);
	return n == 0 && got == (ssize_t)strlen(MESSAGE) &&
	       !memcmp(buf, MESSAGE, (size_t)got);
}

int main(int argc, char **argv)
{
	uint64_t reads = 0, failed = 0, max_stall = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: hello-reader STOP\n");
		return 2;
	}
	while (access(argv[1], F_OK) != 0) {
		uint64_t start = now_us(), took;

		if (!read_once())
			failed++;
		reads++;
		took = now_us() - start;
		if (took > max_stall)
			max_stall = took;
	}
	printf("reads=%llu failed=%llu max_stall_us=%llu\n",
	       (unsigned long long)reads, (unsigned long long)failed,
	       (unsigned long long)max_stall);
	return 0;
}
