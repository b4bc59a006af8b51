/* SPDX-License-Identifier: MIT */
/* Addresses of kv-server: "tcp:HOST:PORT" (numeric) or "unix:PATH". */
#ifndef KV_NET_H
#define KV_NET_H

#include <stddef.h>
#include <sys/socket.h>

#define KV_DEFAULT_TCP		"tcp:127.0.0.1:7070"
#define KV_DEFAULT_UNIX		"unix:/run/kv.sock"

/* 0, or -1 with why in err. */
int kv_addr_parse(const char *text, struct sockaddr_storage *ss,
		  socklen_t *len, char *err, size_t errlen);
/* A connected, blocking socket, or -1 with why in err. */
int kv_connect(const char *addr, char *err, size_t errlen);
/* A listening, non-blocking socket (a UNIX path is replaced), or -1. */
int kv_listen(const char *addr, char *err, size_t errlen);

#endif /* KV_NET_H */
