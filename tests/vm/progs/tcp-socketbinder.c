// SPDX-License-Identifier: MIT
/*
 * tcp-socketbinder: a listening TCP socket on stdin for another program,
 * as s6-networking's s6-tcpserver4-socketbinder does (which Debian's s6
 * lacks). bench.sh stores the socket in s6-fdholder this way, for the
 * kv-server baseline under s6-supervise.
 *
 *   tcp-socketbinder IP:PORT PROG [ARG...]
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../../examples/kv/net.h"

int main(int argc, char *argv[])
{
	char addr[80], err[200];
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: tcp-socketbinder IP:PORT PROG [ARG...]\n");
		return 2;
	}
	snprintf(addr, sizeof(addr), "tcp:%s", argv[1]);
	fd = kv_listen(addr, err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "tcp-socketbinder: %s\n", err);
		return 1;
	}
	if (dup2(fd, 0) < 0) {
		perror("tcp-socketbinder: dup2");
		return 1;
	}
	execvp(argv[2], argv + 2);
	perror("tcp-socketbinder: exec");
	return 127;
}
