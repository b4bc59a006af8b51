/* SPDX-License-Identifier: MIT */
/*
 * The fd store: files the module keeps open for this service's endpoint,
 * so that they outlive the process (a crash, a restart, a live update).
 * Each call is one kernel call on the slot's own store.
 */
#include <errno.h>
#include <string.h>

#include <minix/sef.h>

#include "sef_internal.h"

/* Fill @arg with @name; -EINVAL or -ENAMETOOLONG for one the module refuses. */
static int fd_arg(struct mxsys_fd *arg, const char *name)
{
	size_t len;

	memset(arg, 0, sizeof(*arg));
	if (!name)
		return -EINVAL;
	len = strnlen(name, SEF_FD_NAME_LEN);
	if (len == 0)
		return -EINVAL;
	if (len == SEF_FD_NAME_LEN)
		return -ENAMETOOLONG;
	memcpy(arg->name, name, len);
	return OK;
}

static int store(const char *name, int fd, unsigned int flags)
{
	struct mxsys_fd arg;
	int r = fd_arg(&arg, name);

	if (r != OK)
		return r;
	arg.fd = fd;
	arg.flags = flags;
	return kernel_call(MXSYS_IOC_FD_STORE, &arg);
}

int sef_fd_store(const char *name, int fd)
{
	return store(name, fd, 0);
}

int sef_fd_replace(const char *name, int fd)
{
	return store(name, fd, MXSYS_FD_REPLACE);
}

int sef_fd_fetch(const char *name)
{
	struct mxsys_fd arg;
	int r = fd_arg(&arg, name);

	if (r == OK)
		r = kernel_call(MXSYS_IOC_FD_FETCH, &arg);
	return r == OK ? arg.fd : r;
}

int sef_fd_remove(const char *name)
{
	struct mxsys_fd arg;
	int r = fd_arg(&arg, name);

	if (r == OK)
		r = kernel_call(MXSYS_IOC_FD_REMOVE, &arg);
	return r;
}

int sef_fd_list(char names[][SEF_FD_NAME_LEN], int max)
{
	struct mxsys_fd_list arg;

	if (max < 0 || (max > 0 && !names))
		return -EINVAL;
	for (int i = 0;; i++) {
		int r;

		memset(&arg, 0, sizeof(arg));
		arg.index = (uint32_t)i;
		r = kernel_call(MXSYS_IOC_FD_LIST, &arg);
		/* Past the last name, or past the room: count is the total. */
		if (r == -ENOENT || (r == OK && i >= max))
			return (int)arg.count;
		if (r != OK)
			return r;
		memcpy(names[i], arg.name, SEF_FD_NAME_LEN);
	}
}
