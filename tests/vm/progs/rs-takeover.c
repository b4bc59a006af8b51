// SPDX-License-Identifier: MIT
/*
 * rs-takeover: one kill -9 of rs-daemon, timed from the kill to the first
 * request the RS that took over answers (bench.sh, section rs_takeover).
 *
 *   rs-takeover [TIMEOUT_S]
 *
 * It asks `status rs` over the generic netlink path minix-service uses
 * (MXSYS_CMD_SERVICE_REQUEST, raw, lib/mxtest.h), kills the pid RS gave
 * with SIGKILL after taking CLOCK_MONOTONIC, and asks again at once. The
 * request waits in RS's relay socket, which RS keeps in its fd store, so
 * the answer comes the moment the new RS reads it: no polling interval is
 * in the number. An answer from the old RS (it read the request before
 * the signal took it) or an error (ESRCH, "ask again") is asked again.
 * Prints "takeover_us=N old_pid=P new_pid=Q"; exit 0, or 1 with why.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <minix/rs.h>

#include "mxtest.h"

static uint64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static int send_status(int fd, uint32_t seq)
{
	struct rs_request req;
	struct nl_msg m;

	memset(&req, 0, sizeof(req));
	req.rq_type = RS_STATUS;
	strcpy(req.rss_label, "rs");
	nl_init(&m, (uint16_t)nl_family, MXSYS_CMD_SERVICE_REQUEST, 0, seq);
	nl_put(&m, MXSYS_A_PAYLOAD, &req, sizeof(req));
	return nl_send(fd, &m);
}

/*
 * The reply to request @seq within @deadline (us): 0 and *reply, or
 * -errno (-ETIMEDOUT, or the module's own error).
 */
static int await_reply(int fd, uint32_t seq, uint64_t deadline,
		       struct rs_reply *reply)
{
	static struct nl_msg m;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t t = now_us();
		struct nlattr *a;
		int r;

		if (t >= deadline)
			return -ETIMEDOUT;
		r = poll(&p, 1, (int)((deadline - t) / 1000) + 1);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r <= 0)
			continue;
		r = nl_recv(fd, &m);
		if (m.n.nlmsg_seq != seq)
			continue;	/* an earlier request's late answer */
		if (r < 0)
			return r;
		a = nl_attr(&m, MXSYS_A_ERROR);
		if (a)
			return *(int32_t *)NLA_DATA(a);
		a = nl_attr(&m, MXSYS_A_PAYLOAD);
		if (!a || a->nla_len != NLA_HDRLEN + sizeof(*reply))
			return -EBADMSG;
		memcpy(reply, NLA_DATA(a), sizeof(*reply));
		return 0;
	}
}

int main(int argc, char **argv)
{
	uint64_t t0, t1, deadline;
	struct rs_reply reply;
	uint32_t seq = 1;
	pid_t old;
	int fd, r;

	deadline = (argc > 1 ? strtoull(argv[1], NULL, 10) : 30) * 1000000u;
	fd = nl_open();
	if (fd < 0 || nl_resolve(fd) < 0) {
		printf("rs-takeover: no mxsys netlink family\n");
		return 1;
	}
	r = send_status(fd, seq);
	if (r == 0)
		r = await_reply(fd, seq, now_us() + deadline, &reply);
	if (r == 0)
		r = reply.result;
	if (r < 0) {
		printf("rs-takeover: status rs: %s\n", strerror(-r));
		return 1;
	}
	old = reply.status.pid;
	if (reply.status.replica_pid == 0) {
		printf("rs-takeover: RS (pid %d) has no standby\n", old);
		return 1;
	}
	t0 = now_us();
	if (kill(old, SIGKILL) < 0) {
		printf("rs-takeover: kill %d: %s\n", old, strerror(errno));
		return 1;
	}
	deadline += t0;
	for (;;) {
		r = send_status(fd, ++seq);
		if (r == 0)
			r = await_reply(fd, seq, deadline, &reply);
		if (r == -ETIMEDOUT) {
			printf("rs-takeover: no answer from a new RS in %llu s\n",
			       (unsigned long long)(deadline - t0) / 1000000u);
			return 1;
		}
		if (r == 0 && reply.result == 0 && reply.status.pid != old)
			break;
		/* The old RS, or "ask again": ask again, a millisecond on. */
		usleep(1000);
	}
	t1 = now_us();
	printf("takeover_us=%llu old_pid=%d new_pid=%d\n",
	       (unsigned long long)(t1 - t0), old, reply.status.pid);
	return 0;
}
