/* SPDX-License-Identifier: MIT */
/* Addresses of kv-server: see net.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "net.h"

int kv_addr_parse(const char *text, struct sockaddr_storage *ss,
		  socklen_t *len, char *err, size_t errlen)
{
	memset(ss, 0, sizeof(*ss));
	if (!strncmp(text, "unix:", 5)) {
		struct sockaddr_un *un = (struct sockaddr_un *)ss;
		const char *path = text + 5;

		if (!*path || strlen(path) >= sizeof(un->sun_path)) {
			snprintf(err, errlen, "'%s': a UNIX socket path of 1 to "
				 "%zu characters", text,
				 sizeof(un->sun_path) - 1);
			return -1;
		}
		un->sun_family = AF_UNIX;
		strcpy(un->sun_path, path);
		*len = sizeof(*un);
		return 0;
	}
	if (!strncmp(text, "tcp:", 4)) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;
		char host[64];
		const char *colon = strrchr(text + 4, ':');
		char *end;
		long port;

		if (colon && (size_t)(colon - text - 4) < sizeof(host)) {
			memcpy(host, text + 4, (size_t)(colon - text - 4));
			host[colon - text - 4] = '\0';
			port = strtol(colon + 1, &end, 10);
			if (!*end && port > 0 && port < 65536 &&
			    inet_pton(AF_INET, host, &in->sin_addr) == 1) {
				in->sin_family = AF_INET;
				in->sin_port = htons((uint16_t)port);
				*len = sizeof(*in);
				return 0;
			}
		}
	}
	snprintf(err, errlen, "'%s': not an address (tcp:IPV4:PORT or "
		 "unix:PATH)", text);
	return -1;
}

int kv_connect(const char *addr, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	if (kv_addr_parse(addr, &ss, &len, err, errlen))
		return -1;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		snprintf(err, errlen, "cannot connect to %s: %s", addr,
			 strerror(errno));
		close(fd);
		return -1;
	}
	/* One small request at a time: do not wait to fill a segment. */
	if (ss.ss_family == AF_INET)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int kv_listen(const char *addr, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	if (kv_addr_parse(addr, &ss, &len, err, errlen))
		return -1;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (ss.ss_family == AF_UNIX)
		unlink(((struct sockaddr_un *)&ss)->sun_path);
	else
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 128) < 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", addr,
			 strerror(errno));
		close(fd);
		return -1;
	}
	if (ss.ss_family == AF_UNIX)
		chmod(((struct sockaddr_un *)&ss)->sun_path, 0666);
	return fd;
}
