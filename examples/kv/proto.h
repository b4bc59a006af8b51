/* SPDX-License-Identifier: MIT */
/*
 * The kv line protocol, shared by kv-server, kv and kv-load. Pure: no I/O.
 *
 * A request is one line, a reply is one line, each starting with the
 * request's id (a decimal 1 .. 2^63 - 1 the client picks):
 *
 *   ID GET KEY            ID VALUE V | ID NOTFOUND
 *   ID SET KEY VALUE      ID OK
 *   ID INCR KEY [DELTA]   ID VALUE N        (absent counts as 0)
 *   ID DEL KEY            ID DELETED | ID NOTFOUND
 *   any                   ID ERR TEXT       (ID 0 when it had none)
 *
 * KEY: 1 .. KV_KEY_MAX of [A-Za-z0-9._-]. VALUE: the rest of the line,
 * 1 .. KV_VALUE_MAX printable ASCII characters (spaces too). DELTA and N:
 * signed 64-bit decimals. Lines end with "\n" ("\r\n" is accepted).
 */
#ifndef KV_PROTO_H
#define KV_PROTO_H

#include <stddef.h>
#include <stdint.h>

/* DS keys are 1 .. 79 characters; ours are "kv." and the key. */
#define KV_KEY_MAX	64
#define KV_VALUE_MAX	200
/* The longest request line, "\n" included; longer ones are refused. */
#define KV_LINE_MAX	320
/* The longest reply line, "\n" included. */
#define KV_REPLY_MAX	256

enum kv_op { KV_GET = 1, KV_SET, KV_INCR, KV_DEL };

struct kv_request {
	uint64_t id;
	enum kv_op op;
	char key[KV_KEY_MAX + 1];
	char value[KV_VALUE_MAX + 1];	/* SET */
	int64_t delta;			/* INCR */
};

/*
 * Parse one line (without its "\n"). Returns 0, or -1 with a reason for
 * an ERR reply in *why; *id is the request's id when it could be read
 * (else 0), so that even a refused request is answered under its id.
 */
int kv_parse_request(const char *line, size_t len, struct kv_request *req,
		     const char **why);

/* Format a request line (with "\n") into buf; returns its length. */
size_t kv_format_request(const struct kv_request *req, char *buf,
			 size_t size);

enum kv_status { KV_R_OK = 1, KV_R_VALUE, KV_R_NOTFOUND, KV_R_DELETED,
		 KV_R_ERR };

struct kv_reply {
	uint64_t id;
	enum kv_status status;
	char text[KV_VALUE_MAX + 1];	/* VALUE's value, ERR's reason */
};

/* Format a reply line (with "\n"); returns its length. */
size_t kv_format_reply(const struct kv_reply *rep, char *buf, size_t size);
/* Parse a reply line (without "\n"); 0, or -1 when it is not one. */
int kv_parse_reply(const char *line, size_t len, struct kv_reply *rep);

/* The length of the first line in buf (up to and with its "\n"), or 0. */
size_t kv_line_length(const char *buf, size_t len);

int kv_valid_key(const char *key);
int kv_valid_value(const char *value);
/* A signed 64-bit decimal, all of text; 0 or -1. */
int kv_parse_i64(const char *text, int64_t *out);

const char *kv_op_name(enum kv_op op);

#endif /* KV_PROTO_H */
