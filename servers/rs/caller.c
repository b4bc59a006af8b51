// SPDX-License-Identifier: MIT
/* Answers to requesters: the only sender of netlink replies. */
#include "caller.h"
#include "nl.h"

struct caller caller_of(uint32_t request_id)
{
	return (struct caller){ .waiting = true, .request_id = request_id };
}

void caller_answer(struct caller *caller, const struct rs_reply *reply)
{
	if (!caller->waiting)
		return;
	caller->waiting = false;
	/* A requester that went away is the module's business: it logs. */
	(void)relay_reply(caller->request_id, reply);
}
