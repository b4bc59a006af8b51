/* SPDX-License-Identifier: MIT */
/*
 * The one place a kernel call reaches the module: an ioctl on the shared
 * /dev/mxsys descriptor. Kept apart so that host unit tests can link
 * libsef with a fake kernel instead.
 */
#include <errno.h>
#include <sys/ioctl.h>

#include <minix/ipc.h>

#include "sef_internal.h"

int kernel_call(unsigned long request, void *arg)
{
	int fd = ipc_fd();

	if (fd < 0)
		return -errno;
	if (ioctl(fd, request, arg) < 0)
		return -errno;
	return OK;
}
