// SPDX-License-Identifier: MIT
/* Watching patched addresses with the debug registers while the target runs. */
#include "activation.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "window.h"

struct watch_state {
	struct tracee *tracee;
	struct watch *watches;
	size_t count;
	uint64_t control;	/* DR7 with every unresolved watch armed */
	size_t resolved;
};

static int arm(const struct watch_state *state, pid_t tid)
{
	int r = 0;

	for (size_t i = 0; i < state->count && r == 0; i++)
		r = tracee_set_debugreg(tid, (int)i, state->watches[i].address);
	if (r == 0)
		r = tracee_set_debugreg(tid, DEBUGREG_CONTROL, state->control);
	return r;
}

static void arm_new_thread(void *arg, pid_t tid)
{
	arm(arg, tid);
}

/* A trap: ours if DR6 names a watch; else a SIGTRAP for the target. */
static bool on_trap(void *arg, struct tracee_thread *thread)
{
	struct watch_state *state = arg;
	uint64_t status = 0;
	unsigned int hits;

	if (tracee_get_debugreg(thread->tid, DEBUGREG_STATUS, &status) != 0)
		return false;
	hits = debugreg_hits(status);
	if (!hits)
		return false;
	for (size_t i = 0; i < state->count; i++) {
		struct watch *watch = &state->watches[i];
		uint64_t now;

		if (!(hits & (1u << i)) || watch->result != ACTIVATION_NOT_REACHED)
			continue;
		watch->result = ACTIVATION_REACHED;
		/* A data watchpoint traps after the access: a write shows. */
		if (watch->kind == DEBUGREG_ACCESS_8 &&
		    tracee_read(state->tracee, watch->address, &now, sizeof(now)) == 0 &&
		    now != watch->written_value)
			watch->result = ACTIVATION_OVERWRITTEN;
		state->resolved++;
	}
	tracee_set_debugreg(thread->tid, DEBUGREG_STATUS, 0);
	return true;
}

static bool all_resolved(void *arg)
{
	const struct watch_state *state = arg;

	return state->resolved == state->count;
}

int activation_watch(struct tracee *tracee, struct watch *watches,
		     size_t count, unsigned int timeout_ms, char *err,
		     size_t errlen)
{
	enum debugreg_kind kinds[DEBUGREG_SLOTS];
	struct watch_state state = {
		.tracee = tracee, .watches = watches, .count = count,
	};
	const struct window_ops ops = {
		.on_trap = on_trap, .prepare_thread = arm_new_thread,
		.done = all_resolved, .arg = &state,
	};
	int r = 0;

	if (count > DEBUGREG_SLOTS) {
		snprintf(err, errlen, "at most %d faults can be watched at once",
			 DEBUGREG_SLOTS);
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		kinds[i] = watches[i].kind;
		watches[i].result = ACTIVATION_NOT_REACHED;
	}
	state.control = debugreg_control(kinds, count);

	for (size_t i = 0; i < tracee->count && r == 0; i++)
		r = arm(&state, tracee->threads[i].tid);
	if (r) {
		snprintf(err, errlen, "cannot set debug registers: %s", strerror(r));
	} else {
		r = window_run(tracee, &ops, timeout_ms);
		if (r)
			snprintf(err, errlen, "watching for activation: %s",
				 strerror(r));
	}
	for (size_t i = 0; i < tracee->count; i++)
		tracee_set_debugreg(tracee->threads[i].tid, DEBUGREG_CONTROL, 0);
	if (tracee->count == 0)
		for (size_t i = 0; i < count; i++)
			if (watches[i].result == ACTIVATION_NOT_REACHED)
				watches[i].result = ACTIVATION_TARGET_GONE;
	return r ? -1 : 0;
}
