// SPDX-License-Identifier: MIT
/*
 * slot-events: print the module's slot events (the mxsys "events"
 * multicast group), one line each, for the recovery suites: how a service
 * process really ended (exit status or signal) and when, independent of
 * what RS logs. Run it in the background as root:
 *
 *   slot-events > /tmp/events.log &
 *
 * It prints `ready` once it listens, then for each event
 *   event=bound|died|swapped|cleared ep=E seq=N ts_ns=T [pid=P]
 *     [other=E2] [status=0xS how=exit code=C | how=signal sig=N]
 * (pid in our pid namespace; ts_ns on CLOCK_MONOTONIC), until killed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "mxtest.h"

static const char *event_name(uint32_t type)
{
	switch (type) {
	case MXSYS_EVENT_BOUND:
		return "bound";
	case MXSYS_EVENT_DIED:
		return "died";
	case MXSYS_EVENT_SWAPPED:
		return "swapped";
	case MXSYS_EVENT_CLEARED:
		return "cleared";
	default:
		return "unknown";
	}
}

/* Copy attribute @type of exactly @len bytes into @out: true if present. */
static bool get_attr(struct nl_msg *m, uint16_t type, void *out, size_t len)
{
	struct nlattr *a = nl_attr(m, type);

	if (!a || a->nla_len != NLA_HDRLEN + len)
		return false;
	memcpy(out, NLA_DATA(a), len);
	return true;
}

static void print_event(struct nl_msg *m)
{
	uint32_t type;
	int32_t ep, pid, other, status;
	uint64_t ts, seq;

	if (!get_attr(m, MXSYS_A_EVENT, &type, sizeof(type)) ||
	    !get_attr(m, MXSYS_A_ENDPOINT, &ep, sizeof(ep)) ||
	    !get_attr(m, MXSYS_A_TIMESTAMP, &ts, sizeof(ts)) ||
	    !get_attr(m, MXSYS_A_SEQ, &seq, sizeof(seq))) {
		printf("event=malformed\n");
		return;
	}
	printf("event=%s ep=%d seq=%llu ts_ns=%llu", event_name(type), (int)ep,
	       (unsigned long long)seq, (unsigned long long)ts);
	if (get_attr(m, MXSYS_A_PID, &pid, sizeof(pid)))
		printf(" pid=%d", (int)pid);
	if (get_attr(m, MXSYS_A_OTHER, &other, sizeof(other)))
		printf(" other=%d", (int)other);
	if (get_attr(m, MXSYS_A_STATUS, &status, sizeof(status))) {
		printf(" status=0x%x", (unsigned)status);
		if (WIFEXITED(status))
			printf(" how=exit code=%d", WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			printf(" how=signal sig=%d", WTERMSIG(status));
	}
	printf("\n");
}

int main(void)
{
	int fd, ret;

	test_name = "slot-events";
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = nl_open();
	if (fd < 0)
		return 1;
	ret = nl_resolve(fd);
	if (!ret)
		ret = nl_join_events(fd);
	if (ret) {
		fprintf(stderr, "slot-events: cannot listen: %s\n",
			strerror(-ret));
		return 1;
	}
	printf("ready\n");
	for (;;) {
		struct nl_msg m;
		ssize_t len = recv(fd, &m, sizeof(m), 0);

		if (len < 0) {
			if (errno == EINTR)
				continue;
			/* ENOBUFS: events were dropped; say so and go on. */
			printf("event=overrun error=%d\n", errno);
			if (errno == ENOBUFS)
				continue;
			return 1;
		}
		if (len < (ssize_t)NLMSG_LENGTH(GENL_HDRLEN) ||
		    m.n.nlmsg_len != (size_t)len ||
		    m.n.nlmsg_type != nl_family ||
		    m.g.cmd != MXSYS_CMD_SLOT_EVENT)
			continue;
		print_event(&m);
	}
}
