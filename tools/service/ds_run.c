// SPDX-License-Identifier: MIT
/* `minix-service ds`: the requests, through rs-daemon. */
#include <errno.h>
#include <string.h>

#include "ds.h"
#include "nl.h"
#include "reply.h"

#define PROG	"minix-service"

/*
 * rs-daemon answers within its retries (ds_relay.h: 3 x 2 s); should it
 * lose the request (it died and was taken over meanwhile), give up.
 */
#define DS_LIMIT_MS	20000

/* One request; 0 with reply filled, or the exit status after a report. */
static int ds_call(struct rs_link *link, struct rs_request *req,
		   struct rs_reply *reply)
{
	char err[SERVICE_ERRLEN];
	int r = rs_link_call(link, req, reply, err);

	if (r) {
		fprintf(stderr, PROG ": ds: %s\n",
			err[0] ? err : strerror(r));
		return service_exit_status(r);
	}
	return 0;
}

static int ds_failed(const struct ds_admin *rq, const struct rs_reply *reply)
{
	char message[RS_REPLY_MESSAGE_LEN];
	int error = rs_reply_error(reply);

	rs_reply_message(reply, message);
	if (error == ESRCH && !message[0])
		fprintf(stderr, PROG ": ds: no such key: %s\n", rq->key);
	else
		fprintf(stderr, PROG ": ds: %s%s%s\n",
			message[0] ? message : strerror(error),
			rq->key[0] ? ": " : "", rq->key);
	return service_exit_status(error ? error : EPROTO);
}

static void tell_cut(const struct ds_admin *e)
{
	fprintf(stderr, PROG ": ds: %s: value of %u bytes, the first %zu "
		"shown\n", e->key, e->len, sizeof(e->data));
}

int ds_run(struct ds_admin *rq)
{
	char err[SERVICE_ERRLEN];
	struct rs_request req;
	struct rs_reply reply;
	struct rs_link *link;
	int r;

	r = rs_link_open(&link, err);
	if (r) {
		fprintf(stderr, PROG ": %s\n", err);
		return service_exit_status(r);
	}
	rs_link_set_limit(link, DS_LIMIT_MS);
	memset(&req, 0, sizeof(req));
	req.rq_type = RS_DS;
	for (;;) {
		req.rss_ds = *rq;
		r = ds_call(link, &req, &reply);
		if (r)
			break;
		if (rq->op == DS_ADMIN_LIST && rs_reply_error(&reply) == ENOENT)
			break;	/* no more keys */
		if (reply.result < 0) {
			r = ds_failed(rq, &reply);
			break;
		}
		if (rq->op == DS_ADMIN_GET || rq->op == DS_ADMIN_LIST) {
			if (ds_print_entry(stdout, &reply.ds))
				tell_cut(&reply.ds);
		}
		if (rq->op != DS_ADMIN_LIST)
			break;
		rq->cursor = reply.ds.cursor;
	}
	rs_link_close(link);
	return r;
}
