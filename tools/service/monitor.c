// SPDX-License-Identifier: MIT
/*
 * The event stream of `minix-service monitor`.
 *
 * Two sockets: one joined to the module's multicast group, which only
 * ever receives events, and one for MXSYS_CMD_SLOT_GET queries, so that
 * the answer to a query never has to be told apart from an event. Events
 * carry no names; the query socket puts a name to each event's endpoint.
 * A dead slot still has its name, a cleared one has not, so names are
 * also remembered per slot (seeded by a dump of the table when the
 * monitor starts) for the CLEARED event and for slots that changed again
 * before the query.
 *
 * SIGINT and SIGTERM stay blocked except while waiting for the next
 * datagram, so a signal never cuts a line in half; it ends the monitor
 * with status 0.
 */
#include "monitor.h"
#include "event.h"
#include "nl.h"
#include "print.h"
#include "slots.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#define PROG	"minix-service"

/*
 * Big enough for any datagram the module sends: an event is about 100
 * bytes, and a dump's datagram is at most 32 KiB.
 */
#define DATAGRAM_MAX	(64 * 1024)

/* Events may come in bursts (a crash recovery is several); room for many. */
#define EVENT_RCVBUF	(1024 * 1024)

struct slot_name {
	int32_t endpoint;
	char name[MXSYS_NAME_LEN];
};

struct monitor {
	struct nl_sock *events;
	struct nl_sock *query;
	int family;
	uint64_t last_seq;
	unsigned char datagram[DATAGRAM_MAX];
	struct slot_name names[MXSYS_MAX_SLOTS];
};

static volatile sig_atomic_t stop_requested;

static void request_stop(int signo)
{
	(void)signo;
	stop_requested = 1;
}

/*
 * Catch SIGINT and SIGTERM but keep them blocked; *wait_mask is the mask
 * to wait with, which lets them in.
 */
static int catch_stop_signals(sigset_t *wait_mask, char err[SERVICE_ERRLEN])
{
	struct sigaction sa;
	sigset_t stop;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = request_stop;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &stop, wait_mask) < 0 ||
	    sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		return service_fail(errno, err, "signals: %s",
				    strerror(errno));
	sigdelset(wait_mask, SIGINT);
	sigdelset(wait_mask, SIGTERM);
	return 0;
}

/* One datagram from the kernel; *len 0 when another sender's was dropped. */
static int receive_datagram(struct nl_sock *sock, struct monitor *m,
			    int *len, char err[SERVICE_ERRLEN])
{
	struct sockaddr_nl peer;
	socklen_t peer_len = sizeof(peer);
	ssize_t n;

	n = recvfrom(nl_socket_get_fd(sock), m->datagram, sizeof(m->datagram),
		     MSG_TRUNC, (struct sockaddr *)&peer, &peer_len);
	if (n < 0)
		return service_fail(errno, err, "netlink receive: %s",
				    strerror(errno));
	if ((size_t)n > sizeof(m->datagram))
		return service_fail(EPROTO, err,
				    "netlink datagram of %zd bytes, more than %zu",
				    n, sizeof(m->datagram));
	*len = peer.nl_pid == 0 ? (int)n : 0;
	return 0;
}

static int join_events(struct monitor *m, char err[SERVICE_ERRLEN])
{
	int fd = nl_socket_get_fd(m->events);
	int group, rcvbuf = EVENT_RCVBUF;

	group = genl_ctrl_resolve_grp(m->events, MXSYS_GENL_NAME,
				      MXSYS_GENL_MCGRP_EVENTS);
	if (group < 0)
		return service_fail(EPROTO, err,
				    "the mxsys family has no \"%s\" group: %s",
				    MXSYS_GENL_MCGRP_EVENTS,
				    nl_geterror(group));
	/* Best effort: an unprivileged user gets what rmem_max allows. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group)) < 0) {
		if (errno == EPERM)
			return service_fail(EPERM, err,
					    "monitor: slot events carry pids and exit statuses; listening needs CAP_NET_ADMIN (run as root)");
		return service_fail(errno, err,
				    "monitor: joining the \"%s\" group: %s",
				    MXSYS_GENL_MCGRP_EVENTS, strerror(errno));
	}
	return 0;
}

static struct slot_name *cached(struct monitor *m, int32_t endpoint)
{
	if (endpoint < 0 || MXSYS_ENDPOINT_SLOT(endpoint) >= MXSYS_MAX_SLOTS)
		return NULL;
	return &m->names[MXSYS_ENDPOINT_SLOT(endpoint)];
}

static void remember(struct monitor *m, const struct slot_info *slot)
{
	struct slot_name *entry = cached(m, slot->endpoint);

	if (!entry)
		return;
	entry->endpoint = slot->endpoint;
	memcpy(entry->name, slot->name, sizeof(entry->name));
}

/*
 * Ask the module about one endpoint (remembering its name), or with dump
 * about every slot. Returns 0, also when the module has no such slot, or
 * a positive error number when the module cannot be asked any more.
 */
static int query_slots(struct monitor *m, int32_t endpoint, bool dump,
		       char err[SERVICE_ERRLEN])
{
	enum slot_answer answer = SLOT_ANSWER_OTHER;
	uint32_t seq = 0;
	int r;

	r = slot_get_send(m->query, m->family, endpoint, dump, &seq, err);
	while (r == 0) {
		const unsigned char *p = m->datagram;
		int len, used, error;
		struct slot_info slot = { 0 };

		r = mxsys_wait_readable(nl_socket_get_fd(m->query), m->family,
					NULL, "it answered a slot query", err);
		if (r == 0)
			r = receive_datagram(m->query, m, &len, err);
		for (; r == 0 && len > 0; p += used, len -= used) {
			r = slot_answer_next(p, len, seq, m->family, &answer,
					     &slot, &error, &used, err);
			if (r == 0 && answer == SLOT_ANSWER_SLOT)
				remember(m, &slot);
			/* A slot that is gone, or an endpoint that is stale. */
			if (answer == SLOT_ANSWER_ERROR ||
			    answer == SLOT_ANSWER_DONE ||
			    (answer == SLOT_ANSWER_SLOT && !dump))
				return r;
		}
	}
	return r;
}

/* The name of the event's slot, "" when it cannot be known. */
static int event_slot_name(struct monitor *m, const struct slot_event *ev,
			   const char **name, char err[SERVICE_ERRLEN])
{
	struct slot_name *entry = cached(m, ev->endpoint);
	int r = 0;

	/* A cleared slot has no name left to ask for. */
	if (ev->type != MXSYS_EVENT_CLEARED)
		r = query_slots(m, ev->endpoint, false, err);
	/*
	 * The other side of a swap (a replica's or new version's slot) often
	 * dies and is cleared before anyone could ask: remember it now.
	 */
	if (r == 0 && ev->has_other)
		r = query_slots(m, ev->other, false, err);
	*name = entry && entry->endpoint == ev->endpoint ? entry->name : "";
	return r;
}

static void note_lost_events(struct monitor *m, const struct slot_event *ev)
{
	if (m->last_seq && ev->seq > m->last_seq + 1)
		fprintf(stderr, PROG ": monitor: %llu events lost (the receive buffer overflowed)\n",
			(unsigned long long)(ev->seq - m->last_seq - 1));
	m->last_seq = ev->seq;
}

/* Print the events of one datagram; *seen counts them. */
static int print_events(struct monitor *m, int len,
			const struct service_cmd *cmd, FILE *out,
			uint64_t *seen, char err[SERVICE_ERRLEN])
{
	/* Queries reuse m->datagram: work on a copy of the events. */
	unsigned char *copy = malloc((size_t)len);
	const unsigned char *p = copy;
	int used, r = 0;

	if (!copy)
		return service_fail(ENOMEM, err, "out of memory");
	memcpy(copy, m->datagram, (size_t)len);
	for (; len > 0 && r == 0; p += used, len -= used) {
		struct slot_event ev;
		const char *name;
		bool found;

		r = slot_event_next(p, len, m->family, &ev, &found, &used,
				    err);
		if (r == EPROTO) {
			/* One bad message should not end the stream. */
			fprintf(stderr, PROG ": monitor: %s\n", err);
			r = 0;
			continue;
		}
		if (r || !found)
			continue;
		note_lost_events(m, &ev);
		r = event_slot_name(m, &ev, &name, err);
		if (r)
			break;
		if (cmd->json)
			event_print_json(out, &ev, name);
		else
			event_print_text(out, &ev, name);
		if (ev.type == MXSYS_EVENT_CLEARED && cached(m, ev.endpoint))
			cached(m, ev.endpoint)->endpoint = -1;
		if (fflush(out) != 0 || ferror(out)) {
			r = service_fail(EIO, err, "monitor: write error");
			break;
		}
		if (cmd->max_events && ++*seen >= cmd->max_events)
			break;
	}
	free(copy);
	return r;
}

static int open_sockets(struct monitor *m, char err[SERVICE_ERRLEN])
{
	int family;

	family = mxsys_genl_open(&m->events, err);
	if (family < 0)
		return -family;
	m->family = family;
	family = mxsys_genl_open(&m->query, err);
	if (family < 0)
		return -family;
	if (family != m->family)
		return service_fail(ENOENT, err,
				    "the mxsys module was reloaded while starting");
	nl_socket_disable_auto_ack(m->query);
	return 0;
}

static int stream(struct monitor *m, const struct service_cmd *cmd,
		  FILE *out, const sigset_t *wait_mask,
		  char err[SERVICE_ERRLEN])
{
	uint64_t seen = 0;
	int len, r;

	r = join_events(m, err);
	/* Joined first, so that no change falls between dump and events. */
	if (r == 0)
		r = query_slots(m, 0, true, err);
	/* From here on no event is missed: scripts may go on. */
	if (r == 0)
		fprintf(stderr, PROG ": monitor: listening\n");
	while (r == 0 && !stop_requested &&
	       !(cmd->max_events && seen >= cmd->max_events)) {
		r = mxsys_wait_readable(nl_socket_get_fd(m->events), m->family,
					wait_mask, "the monitor was stopped",
					err);
		if (r == EINTR)
			return 0;
		if (r == 0)
			r = receive_datagram(m->events, m, &len, err);
		if (r == ENOBUFS) {
			/* The next event's sequence number says how many. */
			fprintf(stderr, PROG ": monitor: events lost (the receive buffer overflowed)\n");
			r = 0;
			continue;
		}
		if (r == 0 && len > 0)
			r = print_events(m, len, cmd, out, &seen, err);
	}
	return r;
}

int monitor_run(const struct service_cmd *cmd, FILE *out)
{
	char err[SERVICE_ERRLEN] = "";
	struct monitor *m;
	sigset_t wait_mask;
	size_t i;
	int r;

	m = calloc(1, sizeof(*m));
	if (!m) {
		fputs(PROG ": out of memory\n", stderr);
		return ENOMEM;
	}
	for (i = 0; i < MXSYS_MAX_SLOTS; i++)
		m->names[i].endpoint = -1;	/* no endpoint is negative */
	r = catch_stop_signals(&wait_mask, err);
	if (r == 0)
		r = open_sockets(m, err);
	if (r == 0)
		r = stream(m, cmd, out, &wait_mask, err);
	nl_socket_free(m->events);
	nl_socket_free(m->query);
	free(m);
	if (r)
		fprintf(stderr, PROG ": %s\n", err);
	return r ? service_exit_status(r) : 0;
}
