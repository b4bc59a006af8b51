/* SPDX-License-Identifier: MIT */
/* The kv line protocol: see proto.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

static const char *const op_names[] = {
	[KV_GET] = "GET", [KV_SET] = "SET", [KV_INCR] = "INCR",
	[KV_DEL] = "DEL",
};

const char *kv_op_name(enum kv_op op)
{
	return op >= KV_GET && op <= KV_DEL ? op_names[op] : "?";
}

size_t kv_line_length(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);

	return nl ? (size_t)(nl - buf) + 1 : 0;
}

static int key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

int kv_valid_key(const char *key)
{
	size_t n = strlen(key);

	if (n == 0 || n > KV_KEY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!key_char(key[i]))
			return 0;
	return 1;
}

int kv_valid_value(const char *value)
{
	size_t n = strlen(value);

	if (n == 0 || n > KV_VALUE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (value[i] < 0x20 || value[i] > 0x7e)
			return 0;
	return 1;
}

int kv_parse_i64(const char *text, int64_t *out)
{
	char *end;
	long long v;

	if (!*text || !(*text == '-' || *text == '+' ||
			(*text >= '0' && *text <= '9')))
		return -1;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* A decimal id 1 .. INT64_MAX, all of text. */
static int parse_id(const char *text, uint64_t *id)
{
	int64_t v;

	if (*text < '0' || *text > '9' || kv_parse_i64(text, &v) || v <= 0)
		return -1;
	*id = (uint64_t)v;
	return 0;
}

/*
 * Split off the next word of *rest (words are separated by one space);
 * returns it NUL-terminated in word (of size), or -1 if it does not fit
 * or is empty.
 */
static int next_word(const char **rest, const char *end, char *word,
		     size_t size)
{
	const char *p = *rest, *sp;
	size_t n;

	sp = memchr(p, ' ', (size_t)(end - p));
	n = (size_t)((sp ? sp : end) - p);
	if (n == 0 || n >= size)
		return -1;
	memcpy(word, p, n);
	word[n] = '\0';
	*rest = sp ? sp + 1 : end;
	return 0;
}

int kv_parse_request(const char *line, size_t len, struct kv_request *req,
		     const char **why)
{
	const char *p = line, *end = line + len;
	char word[24];

	memset(req, 0, sizeof(*req));
	if (len && end[-1] == '\r')
		end--;
	if (memchr(line, '\0', len)) {
		*why = "NUL byte in request";
		return -1;
	}
	if (next_word(&p, end, word, sizeof(word)) || parse_id(word, &req->id)) {
		req->id = 0;
		*why = "bad id (want a decimal 1 .. 2^63-1)";
		return -1;
	}
	if (next_word(&p, end, word, sizeof(word))) {
		*why = "missing command";
		return -1;
	}
	for (int op = KV_GET; op <= KV_DEL; op++)
		if (!strcmp(word, op_names[op]))
			req->op = (enum kv_op)op;
	if (!req->op) {
		*why = "unknown command (GET, SET, INCR, DEL)";
		return -1;
	}
	if (p >= end || next_word(&p, end, req->key, sizeof(req->key)) ||
	    !kv_valid_key(req->key)) {
		*why = "bad key (1-64 of A-Z a-z 0-9 . _ -)";
		return -1;
	}
	switch (req->op) {
	case KV_SET:
		if ((size_t)(end - p) > KV_VALUE_MAX || p >= end) {
			*why = "bad value (1-200 printable characters)";
			return -1;
		}
		memcpy(req->value, p, (size_t)(end - p));
		req->value[end - p] = '\0';
		if (!kv_valid_value(req->value)) {
			*why = "bad value (1-200 printable characters)";
			return -1;
		}
		return 0;
	case KV_INCR:
		req->delta = 1;
		if (p < end && (next_word(&p, end, word, sizeof(word)) ||
				kv_parse_i64(word, &req->delta))) {
			*why = "bad delta (a 64-bit decimal)";
			return -1;
		}
		break;
	default:
		break;
	}
	if (p < end) {
		*why = "too many arguments";
		return -1;
	}
	return 0;
}

size_t kv_format_request(const struct kv_request *req, char *buf, size_t size)
{
	int n;

	switch (req->op) {
	case KV_SET:
		n = snprintf(buf, size, "%" PRIu64 " SET %s %s\n", req->id,
			     req->key, req->value);
		break;
	case KV_INCR:
		n = snprintf(buf, size, "%" PRIu64 " INCR %s %" PRId64 "\n",
			     req->id, req->key, req->delta);
		break;
	default:
		n = snprintf(buf, size, "%" PRIu64 " %s %s\n", req->id,
			     kv_op_name(req->op), req->key);
		break;
	}
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

size_t kv_format_reply(const struct kv_reply *rep, char *buf, size_t size)
{
	static const char *const words[] = {
		[KV_R_OK] = "OK", [KV_R_VALUE] = "VALUE",
		[KV_R_NOTFOUND] = "NOTFOUND", [KV_R_DELETED] = "DELETED",
		[KV_R_ERR] = "ERR",
	};
	int n;

	if (rep->status == KV_R_VALUE || rep->status == KV_R_ERR)
		n = snprintf(buf, size, "%" PRIu64 " %s %s\n", rep->id,
			     words[rep->status], rep->text);
	else
		n = snprintf(buf, size, "%" PRIu64 " %s\n", rep->id,
			     words[rep->status]);
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

int kv_parse_reply(const char *line, size_t len, struct kv_reply *rep)
{
	const char *p = line, *end = line + len;
	char word[24];
	size_t n;

	memset(rep, 0, sizeof(*rep));
	if (len && end[-1] == '\r')
		end--;
	if (next_word(&p, end, word, sizeof(word)))
		return -1;
	if (!strcmp(word, "0"))
		rep->id = 0;
	else if (parse_id(word, &rep->id))
		return -1;
	if (next_word(&p, end, word, sizeof(word)))
		return -1;
	if (!strcmp(word, "OK"))
		rep->status = KV_R_OK;
	else if (!strcmp(word, "VALUE"))
		rep->status = KV_R_VALUE;
	else if (!strcmp(word, "NOTFOUND"))
		rep->status = KV_R_NOTFOUND;
	else if (!strcmp(word, "DELETED"))
		rep->status = KV_R_DELETED;
	else if (!strcmp(word, "ERR"))
		rep->status = KV_R_ERR;
	else
		return -1;
	n = (size_t)(end - p);
	if (rep->status == KV_R_VALUE || rep->status == KV_R_ERR) {
		if (n == 0 || n > KV_VALUE_MAX)
			return -1;
		memcpy(rep->text, p, n);
		rep->text[n] = '\0';
	} else if (n) {
		return -1;
	}
	return 0;
}
