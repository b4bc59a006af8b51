/* SPDX-License-Identifier: MIT */
/* SEF ping: RS's heartbeat is a notify; any notify back is the answer. */
#include <minix/sef.h>

#include "sef_internal.h"

static struct {
	sef_cb_ping_reply_t reply;
} sef_ping = {
	.reply = sef_cb_ping_reply_pong,
};

void sef_setcb_ping_reply(sef_cb_ping_reply_t cb)
{
	if (!cb)
		sef_panic("sef_setcb_ping_reply: NULL callback");
	sef_ping.reply = cb;
}

void sef_ping_handle(endpoint_t src)
{
	sef_ping.reply(src);
}

void sef_cb_ping_reply_pong(endpoint_t src)
{
	/* A lost pong only costs a missed heartbeat; RS decides what follows. */
	(void)ipc_notify(src);
}

void sef_cb_ping_reply_null(endpoint_t src)
{
	(void)src;
}
