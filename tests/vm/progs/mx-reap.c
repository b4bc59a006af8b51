// SPDX-License-Identifier: MIT
/*
 * mx-reap: after a suite killed rs-daemon and its services the hard way,
 * clear every slot they left (lib.sh's rs_stop runs it then). Their fd
 * stores would otherwise keep files open and the module loaded, and the
 * next suite could not load it afresh.
 *
 *   mx-reap          claim the (dead) RS slot, pull every death report,
 *                    CLEAR every other slot in use, empty RS's own store
 *
 * Exit status 0 when nothing is left; 1 with a line on stderr otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mxsys.h>

#include "mxtest.h"

#define TRIES	50	/* 10 ms apart: a death is reaped by a workqueue */

/* Every slot in use, from a dump of the slot table: their number. */
static int slots_in_use(int32_t *eps_out, int max)
{
	struct nl_msg m;
	int fd = nl_open(), n = 0, ret;

	if (fd < 0 || nl_resolve(fd))
		return -1;
	nl_init(&m, (uint16_t)nl_family, MXSYS_CMD_SLOT_GET, NLM_F_DUMP, 1);
	if (nl_send(fd, &m))
		return -1;
	while ((ret = nl_recv(fd, &m)) == 0 && m.n.nlmsg_type != NLMSG_DONE) {
		struct nlattr *a = nl_attr(&m, MXSYS_A_ENDPOINT);

		if (a && n < max)
			eps_out[n++] = *(int32_t *)NLA_DATA(a);
	}
	close(fd);
	return ret ? -1 : n;
}

static void pull_all_deaths(void)
{
	struct mxsys_ksig k;

	while (mx(rs_fd, MXSYS_IOC_GETKSIG, &k) == 0 && k.endpoint != MXSYS_NONE)
		;
}

int main(void)
{
	int32_t in_use[MXSYS_MAX_SLOTS];
	struct mxsys_whoami who;
	struct mxsys_fd_list list;
	int n, left = 0;

	rs_fd = open("/dev/" MXSYS_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (rs_fd < 0 || mx(rs_fd, MXSYS_IOC_RS_CLAIM, &who)) {
		fprintf(stderr, "mx-reap: cannot claim the RS slot (is rs-daemon still running?)\n");
		return 1;
	}
	n = slots_in_use(in_use, MXSYS_MAX_SLOTS);
	if (n < 0) {
		fprintf(stderr, "mx-reap: cannot read the slot table\n");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		struct mxsys_endpoint_arg arg = { .endpoint = in_use[i] };
		int ret = -EBUSY;

		if (in_use[i] == MXSYS_RS_ENDPOINT)
			continue;
		for (int t = 0; t < TRIES && ret == -EBUSY; t++) {
			pull_all_deaths();
			ret = mx(rs_fd, MXSYS_IOC_CLEAR, &arg);
			if (ret == -EBUSY)
				usleep(10 * 1000);
		}
		if (ret && ret != -MXSYS_EDEADEPT) {
			fprintf(stderr, "mx-reap: CLEAR %d: %s\n", in_use[i],
				err_name(ret));
			left++;
		}
	}
	/* RS's own store: the files the dead RS kept. */
	for (;;) {
		struct mxsys_fd arg;

		memset(&list, 0, sizeof(list));
		if (mx(rs_fd, MXSYS_IOC_FD_LIST, &list))
			break;
		memset(&arg, 0, sizeof(arg));
		memcpy(arg.name, list.name, sizeof(arg.name));
		if (mx(rs_fd, MXSYS_IOC_FD_REMOVE, &arg)) {
			left++;
			break;
		}
	}
	return left ? 1 : 0;
}
