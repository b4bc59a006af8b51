/* SPDX-License-Identifier: MIT */
/*
 * ds-daemon: the Data Store. A boot service started by RS: it initialises
 * through SEF, then serves publish/retrieve/delete requests one at a time.
 *
 * A request that came by sendrec has a caller waiting for the reply; RS
 * publishes labels with senda and waits for nothing, so those get none.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minix/ds.h>
#include <minix/errors.h>
#include <minix/sef.h>

#include "store.h"
#include "version.h"

static struct ds_store store;

static int init_fresh(int type, sef_init_info_t *info)
{
	(void)type;
	(void)info;
	ds_store_init(&store);
	return OK;
}

/*
 * A restarted DS is a fresh process for now, so the store starts empty;
 * keeping it across a crash needs state transfer (a later issue).
 */
static int init_restart(int type, sef_init_info_t *info)
{
	(void)type;
	(void)info;
	ds_store_init(&store);
	return OK;
}

/* The key travels inline and must be NUL-terminated inside the message. */
static const char *request_key(const message *m)
{
	if (!memchr(m->m_ds.key, '\0', sizeof(m->m_ds.key)))
		return NULL;
	return m->m_ds.key;
}

static int do_publish(const message *m)
{
	const char *key = request_key(m);

	if (!key)
		return -EINVAL;
	return ds_store_publish(&store, m->m_source, key, m->m_ds.flags,
				m->m_ds.val_u32);
}

static int do_retrieve(const message *m, message *reply)
{
	const char *key = request_key(m);
	struct ds_retrieved got;
	int r;

	if (!key)
		return -EINVAL;
	r = ds_store_retrieve(&store, m->m_source, key,
			      m->m_ds.flags & DSF_MASK_TYPE, &got);
	if (r != OK)
		return r;
	reply->m_ds.val_u32 = got.value;
	reply->m_ds.flags = got.flags;
	reply->m_ds.owner = got.owner;
	return OK;
}

static int do_delete(const message *m)
{
	const char *key = request_key(m);

	if (!key)
		return -EINVAL;
	return ds_store_delete(&store, m->m_source, key,
			       m->m_ds.flags & DSF_MASK_TYPE);
}

static int handle_request(const message *m, message *reply)
{
	switch (m->m_type) {
	case DS_PUBLISH:
		return do_publish(m);
	case DS_RETRIEVE:
		return do_retrieve(m, reply);
	case DS_DELETE:
		return do_delete(m);
	case DS_SUBSCRIBE:
	case DS_CHECK:
		/* Subscriptions arrive in a later cut. */
		return -ENOSYS;
	default:
		fprintf(stderr, "ds: unexpected request 0x%x from endpoint %d\n",
			(unsigned int)m->m_type, m->m_source);
		return -EINVAL;
	}
}

static void send_reply(endpoint_t caller, message *reply)
{
	/* The caller sits in sendrec, so a non-blocking send cannot miss it. */
	int r = ipc_sendnb(caller, reply);

	if (r != OK)
		fprintf(stderr, "ds: reply to endpoint %d failed: %s\n",
			caller, sef_strerror(r));
}

int main(int argc, char *argv[])
{
	version_help_options(argc, argv, "ds-daemon",
		"usage: ds-daemon\n"
		"The mxsys Data Store. rs-daemon starts it as its first service;\n"
		"it cannot run on its own. See ds-daemon(8).\n");
	sef_setcb_init_fresh(init_fresh);
	sef_setcb_init_restart(init_restart);
	sef_setcb_signal_handler(sef_cb_signal_handler_term);
	sef_startup();

	for (;;) {
		message m, reply;
		int status;
		int r;

		r = sef_receive_status(ANY, &m, &status);
		if (r == -EINTR)
			continue;
		if (r != OK) {
			fprintf(stderr, "ds: receive failed: %s\n",
				sef_strerror(r));
			return 1;
		}
		/* Nobody is owed anything for a notification. */
		if (is_ipc_notify(status))
			continue;

		memset(&reply, 0, sizeof(reply));
		reply.m_type = handle_request(&m, &reply);
		if (IPC_STATUS_CALL(status) == MXSYS_CALL_SENDREC)
			send_reply(m.m_source, &reply);
		else if (reply.m_type != OK)
			fprintf(stderr, "ds: unanswered request 0x%x from "
				"endpoint %d failed: %s\n",
				(unsigned int)m.m_type, m.m_source,
				sef_strerror(reply.m_type));
	}
}
