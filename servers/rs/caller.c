// SPDX-License-Identifier: MIT
/* Answers to requesters: the outbox, the only sender of netlink replies. */
#include <stdlib.h>
#include <string.h>

#include "caller.h"
#include "log.h"
#include "nl.h"

/* More than a turn queues; the snapshot refuses more. */
#define OUTBOX_MAX	4096

struct answer {
	uint32_t request_id;
	struct rs_reply reply;
};

static struct {
	struct answer *answers;
	unsigned int count, capacity;
} outbox;

struct caller caller_of(uint32_t request_id)
{
	return (struct caller){ .waiting = true, .request_id = request_id };
}

static void queue(uint32_t request_id, const struct rs_reply *reply)
{
	if (outbox.count == outbox.capacity) {
		unsigned int capacity = outbox.capacity ? 2 * outbox.capacity : 16;
		struct answer *grown;

		grown = capacity > OUTBOX_MAX ? NULL :
			realloc(outbox.answers, capacity * sizeof(*grown));
		if (!grown) {
			/* No room to wait for the commit: better late than never. */
			rs_warn("outbox full: answering request %u at once",
			       request_id);
			(void)relay_reply(request_id, reply);
			return;
		}
		outbox.answers = grown;
		outbox.capacity = capacity;
	}
	outbox.answers[outbox.count++] = (struct answer){
		.request_id = request_id, .reply = *reply,
	};
}

void caller_answer(struct caller *caller, const struct rs_reply *reply)
{
	if (!caller->waiting)
		return;
	caller->waiting = false;
	queue(caller->request_id, reply);
}

unsigned int caller_flush(void)
{
	unsigned int n = outbox.count;

	/* A requester that went away is the module's business: it logs. */
	for (unsigned int i = 0; i < n; i++)
		(void)relay_reply(outbox.answers[i].request_id,
				  &outbox.answers[i].reply);
	outbox.count = 0;
	return n;
}

bool caller_queued(uint32_t request_id)
{
	for (unsigned int i = 0; i < outbox.count; i++)
		if (outbox.answers[i].request_id == request_id)
			return true;
	return false;
}

void caller_save(struct image *img)
{
	image_put_u32(img, outbox.count);
	image_put(img, outbox.answers, outbox.count * sizeof(*outbox.answers));
}

void caller_restore(struct image_reader *rd)
{
	uint32_t n = image_get_count(rd, OUTBOX_MAX);

	outbox.count = 0;
	for (uint32_t i = 0; i < n && !rd->failed; i++) {
		struct answer a;

		image_get(rd, &a, sizeof(a));
		if (!rd->failed)
			queue(a.request_id, &a.reply);
	}
}
