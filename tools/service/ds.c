// SPDX-License-Identifier: MIT
/* `minix-service ds`: its arguments and its output (no I/O but out). */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <minix/ds.h>

#include "ds.h"

static int type_of(const char *name, uint32_t *type)
{
	static const struct { const char *name; uint32_t type; } types[] = {
		{ "u32", DSF_TYPE_U32 }, { "str", DSF_TYPE_STR },
		{ "mem", DSF_TYPE_MEM }, { "label", DSF_TYPE_LABEL },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(name, types[i].name)) {
			*type = types[i].type;
			return 0;
		}
	return EINVAL;
}

/* A decimal or 0x number that fits 32 bits. */
static bool parse_u32(const char *text, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)text[0]))
		return false;
	errno = 0;
	v = strtoull(text, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int copy_key(struct ds_admin *rq, const char *key, bool pattern,
		    char err[SERVICE_ERRLEN])
{
	size_t len = strlen(key);

	if (!pattern && !len)
		return service_fail(EINVAL, err, "ds: empty key");
	if (len >= sizeof(rq->key))
		return service_fail(EINVAL, err,
				    "ds: %s of %zu characters: at most %zu",
				    pattern ? "pattern" : "key", len,
				    sizeof(rq->key) - 1);
	memcpy(rq->key, key, len + 1);
	return 0;
}

int ds_parse(int argc, char *const argv[], struct ds_admin *rq,
	     char err[SERVICE_ERRLEN])
{
	static const struct { const char *verb; uint32_t op; int args; } verbs[] = {
		{ "list", DS_ADMIN_LIST, 0 }, { "get", DS_ADMIN_GET, 1 },
		{ "set", DS_ADMIN_SET, 2 }, { "del", DS_ADMIN_DEL, 1 },
	};
	bool typed = false;
	int i = 2, nargs = -1;

	memset(rq, 0, sizeof(*rq));
	if (argc < 2)
		return service_fail(EINVAL, err,
				    "ds: missing verb (list, get, set or del)");
	for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++)
		if (!strcmp(argv[1], verbs[v].verb)) {
			rq->op = verbs[v].op;
			nargs = verbs[v].args;
		}
	if (nargs < 0)
		return service_fail(EINVAL, err, "ds: unknown verb %s", argv[1]);
	if (rq->op != DS_ADMIN_LIST && i < argc && !strcmp(argv[i], "-t")) {
		if (i + 1 >= argc)
			return service_fail(EINVAL, err, "ds: -t needs a type");
		if (type_of(argv[i + 1], &rq->type) ||
		    (rq->op == DS_ADMIN_SET && rq->type != DSF_TYPE_U32 &&
		     rq->type != DSF_TYPE_STR))
			return service_fail(EINVAL, err,
					    "ds %s: -t %s: the type is %s",
					    argv[1], argv[i + 1],
					    rq->op == DS_ADMIN_SET ?
					    "u32 or str" :
					    "u32, str, mem or label");
		typed = true;
		i += 2;
	}
	if (rq->op == DS_ADMIN_LIST) {
		if (argc - i > 1)
			return service_fail(EINVAL, err,
					    "ds list: one pattern at most");
		return copy_key(rq, i < argc ? argv[i] : "", true, err);
	}
	if (argc - i != nargs)
		return service_fail(EINVAL, err, "ds %s: expected %s", argv[1],
				    nargs == 2 ? "KEY VALUE" : "KEY");
	if (copy_key(rq, argv[i], false, err))
		return EINVAL;
	if (rq->op != DS_ADMIN_SET)
		return 0;

	const char *value = argv[i + 1];
	size_t len = strlen(value);

	if ((!typed || rq->type == DSF_TYPE_U32) &&
	    parse_u32(value, &rq->value)) {
		rq->type = DSF_TYPE_U32;
		return 0;
	}
	if (typed && rq->type == DSF_TYPE_U32)
		return service_fail(EINVAL, err,
				    "ds set: %s is not a u32 (0 to 4294967295)",
				    value);
	rq->type = DSF_TYPE_STR;
	if (len + 1 > sizeof(rq->data))
		return service_fail(EINVAL, err,
				    "ds set: a value of %zu bytes: at most %zu "
				    "through minix-service", len,
				    sizeof(rq->data) - 1);
	memcpy(rq->data, value, len + 1);
	rq->len = (uint32_t)len + 1;
	return 0;
}

static void print_str(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			fputs("\\\\", out);
		else if (c == '\n')
			fputs("\\n", out);
		else if (isprint(c))
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
}

bool ds_print_entry(FILE *out, const struct ds_admin *e)
{
	size_t n = e->len < sizeof(e->data) ? e->len : sizeof(e->data);

	fprintf(out, "%s %s %s ", e->key, ds_admin_type_name(e->type),
		e->owner[0] ? e->owner : "-");
	switch (e->type) {
	case DSF_TYPE_STR:
		/* The NUL that ends a whole string is no part of it. */
		print_str(out, e->data, n && n == e->len ? n - 1 : n);
		break;
	case DSF_TYPE_MEM:
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%02x", (unsigned char)e->data[i]);
		break;
	default:
		fprintf(out, "%u", e->value);
		break;
	}
	fputc('\n', out);
	return n < e->len;
}
