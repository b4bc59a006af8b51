// SPDX-License-Identifier: MIT
/* Commit after each turn, resume after a takeover. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <minix/sef.h>

#include "caller.h"
#include "dispatch.h"
#include "image.h"
#include "log.h"
#include "manager.h"
#include "nl.h"
#include "recovery.h"
#include "snapshot.h"
#include "standby.h"
#include "takeover.h"

static struct image img;

bool recovery_found(void)
{
	int r = snapshot_open(manager_state_layout());

	if (r < 0)
		rs_err("cannot read %s from the fd store: %s", SNAPSHOT_NAME,
		       sef_strerror(r));
	return r > 0;
}

/* The requests the old RS died with, unless its state answers them. */
static void answer_in_hand(const uint32_t *ids, unsigned int n)
{
	struct rs_reply reply;

	memset(&reply, 0, sizeof(reply));
	reply.result = -ESRCH;
	snprintf(reply.message, sizeof(reply.message),
		 "rs-daemon died while handling this request; ask again");
	for (unsigned int i = 0; i < n; i++) {
		struct caller c = caller_of(ids[i]);

		if (caller_queued(ids[i]))
			continue;
		rs_warn("request %u was in hand when RS died: answered ESRCH",
		       ids[i]);
		caller_answer(&c, &reply);
	}
}

int recovery_resume(const char *why)
{
	static struct slot_view slots[MXSYS_MAX_SLOTS];
	uint32_t ids[SNAPSHOT_IN_HAND_MAX];
	unsigned int nr_ids;
	const void *data;
	size_t len;
	int n, r;

	data = snapshot_state(&len);
	nr_ids = snapshot_in_hand(ids);
	r = manager_restore(data, len);
	if (r < 0) {
		rs_err("%s: cannot restore RS's state: %s", SNAPSHOT_NAME,
		       sef_strerror(r));
		return r;
	}
	takeover_mark(TAKEOVER_RESTORED);
	n = relay_slot_table(slots, MXSYS_MAX_SLOTS);
	if (n < 0)
		return n;
	rs_notice("resuming: %s; %u service(s) in the state, %d slot(s) in use",
	       why, service_count(), n);
	answer_in_hand(ids, nr_ids);
	standby_forget_old(slots, (unsigned int)n);
	r = manager_resume(slots, (unsigned int)n, why);
	if (r > 0)
		rs_warn("%d death(s) lost with the previous RS handled", r);
	dispatch_kernel_events();
	recovery_turn_end();
	takeover_mark(TAKEOVER_RESUMED);
	return 0;
}

void recovery_commit(void)
{
	image_reset(&img);
	manager_save(&img);
	if (img.failed) {
		rs_err("out of memory for RS's state: not committed");
		return;
	}
	(void)snapshot_commit(img.data, img.len, manager_state_layout());
}

void recovery_turn_end(void)
{
	recovery_commit();
	/* An empty outbox committed now spares the successor resending. */
	if (caller_flush() > 0)
		recovery_commit();
}

void recovery_forget(void)
{
	int r = sef_fd_remove(RECOVERY_NL_NAME);

	if (r < 0 && r != -ENOENT)
		rs_err("cannot remove %s: %s", RECOVERY_NL_NAME,
		       sef_strerror(r));
	snapshot_remove();
	image_free(&img);
}
