/* SPDX-License-Identifier: MIT */
/*
 * MINIX message IPC over /dev/mxsys: each primitive is one ioctl on a
 * descriptor shared by the whole process.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <minix/ipc.h>

/*
 * The module binds the first open of a prepared process to its slot, so
 * every thread must share one descriptor. A failed open is not cached: the
 * slot may be prepared later (RS opens before it is prepared, for instance).
 */
static atomic_int mxsys_fd = -1;

int ipc_fd(void)
{
	int fd = atomic_load(&mxsys_fd);
	int expected = -1;

	if (fd >= 0)
		return fd;

	fd = open("/dev/" MXSYS_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!atomic_compare_exchange_strong(&mxsys_fd, &expected, fd)) {
		/* Another thread won the race; use its descriptor. */
		close(fd);
		fd = expected;
	}
	return fd;
}

/* Returns OK or -errno; receiving calls copy the message back into m. */
static int ipc_call(unsigned long request, endpoint_t endpoint, message *m,
		    bool copy_back, int *status)
{
	struct mxsys_ipc ipc;
	int fd;

	/* Only a notify carries no message. */
	if (!m && request != MXSYS_IOC_NOTIFY)
		return -EINVAL;
	fd = ipc_fd();
	if (fd < 0)
		return -errno;

	memset(&ipc, 0, sizeof(ipc));
	ipc.endpoint = endpoint;
	if (m)
		memcpy(&ipc.msg, m, sizeof(ipc.msg));

	if (ioctl(fd, request, &ipc) < 0)
		return -errno;

	if (copy_back)
		memcpy(m, &ipc.msg, sizeof(*m));
	if (status)
		*status = (int)ipc.status;
	return OK;
}

int ipc_send(endpoint_t dst, message *m)
{
	return ipc_call(MXSYS_IOC_SEND, dst, m, false, NULL);
}

int ipc_sendnb(endpoint_t dst, message *m)
{
	return ipc_call(MXSYS_IOC_SENDNB, dst, m, false, NULL);
}

int ipc_senda(endpoint_t dst, message *m)
{
	return ipc_call(MXSYS_IOC_SENDA, dst, m, false, NULL);
}

int asynsend3(endpoint_t dst, message *m, int flags)
{
	if (flags & ~AMF_NOREPLY)
		return -EINVAL;
	return ipc_call(flags & AMF_NOREPLY ? MXSYS_IOC_SENDA_NOREPLY :
					      MXSYS_IOC_SENDA,
			dst, m, false, NULL);
}

int ipc_receive(endpoint_t src, message *m, int *status)
{
	return ipc_call(MXSYS_IOC_RECEIVE, src, m, true, status);
}

int ipc_sendrec(endpoint_t dst, message *m)
{
	return ipc_call(MXSYS_IOC_SENDREC, dst, m, true, NULL);
}

int ipc_notify(endpoint_t dst)
{
	return ipc_call(MXSYS_IOC_NOTIFY, dst, NULL, false, NULL);
}
