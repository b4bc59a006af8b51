// SPDX-License-Identifier: MIT
/*
 * The one table of MINIX's own error numbers in the tree; Linux's come
 * from glibc (strerrorname_np, strerror), so they cannot drift from the
 * C library's.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <minix/errors.h>
#include <minix/ipc.h>

struct minix_error {
	int number;
	const char *name;
	const char *meaning;
	const char *text;	/* "NAME (meaning)" */
};

#define MINIX_ERROR(e, meaning)	{ e, #e, meaning, #e " (" meaning ")" }

static const struct minix_error minix_errors[] = {
	MINIX_ERROR(ENOTREADY, "source or destination not ready"),
	MINIX_ERROR(EDEADSRCDST, "source or destination is dead"),
	MINIX_ERROR(EDONTREPLY, "no reply"),
	MINIX_ERROR(EGENERIC, "generic error"),
	MINIX_ERROR(EBADREQUEST, "bad request"),
	MINIX_ERROR(ELOCKED, "IPC deadlock"),
	MINIX_ERROR(EBADCALL, "illegal system call"),
	MINIX_ERROR(ECALLDENIED, "call not allowed"),
	MINIX_ERROR(ETRAPDENIED, "IPC trap not allowed"),
	MINIX_ERROR(EDEADEPT, "dead endpoint"),
};

static const struct minix_error *minix_error(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(minix_errors) / sizeof(minix_errors[0]);
	     i++)
		if (minix_errors[i].number == err)
			return &minix_errors[i];
	return NULL;
}

const char *sef_errname(int err)
{
	const struct minix_error *e = minix_error(err);

	if (err == OK)
		return "OK";
	return e ? e->name : strerrorname_np(err < 0 ? -err : err);
}

const char *sef_errmsg(int err)
{
	const struct minix_error *e = minix_error(err);

	return e ? e->meaning : strerror(err < 0 ? -err : err);
}

const char *sef_strerror(int err)
{
	const struct minix_error *e = minix_error(err);

	return e ? e->text : strerror(err < 0 ? -err : err);
}
