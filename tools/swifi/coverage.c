// SPDX-License-Identifier: MIT
/* The golden run: one-shot breakpoints on function entries (coverage.h). */
#include "coverage.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/user.h>

#include "json.h"
#include "window.h"

#define INT3	0xcc

static int put_byte(struct tracee *tracee, uint64_t address, uint8_t byte)
{
	return tracee_write(tracee, address, &byte, 1);
}

struct coverage_state {
	struct coverage_plan *plan;
	struct tracee *tracee;
};

/* A trap one byte past a planted entry is ours: undo it and go on. */
static bool on_trap(void *arg, struct tracee_thread *thread)
{
	struct coverage_state *state = arg;
	struct user_regs_struct regs;
	struct coverage_site *site;

	if (tracee_get_regs(thread->tid, &regs) != 0)
		return false;
	site = coverage_plan_find(state->plan, regs.rip - 1);
	/* Reached already: planted once, taken out since by us. */
	if (!site || (!site->planted && !site->reached))
		return false;
	coverage_plan_reach(state->plan, site);
	if (site->planted && put_byte(state->tracee, site->address,
				      site->original) == 0)
		site->planted = false;
	regs.rip--;
	return tracee_set_regs(thread->tid, &regs) == 0;
}

static bool all_reached(void *arg)
{
	const struct coverage_state *state = arg;

	return state->plan->reached == state->plan->count;
}

int coverage_run(struct coverage_plan *plan, struct tracee *tracee,
		 unsigned int timeout_ms, char *err, size_t errlen)
{
	struct coverage_state state = { .plan = plan, .tracee = tracee };
	const struct window_ops ops = {
		.on_trap = on_trap, .done = all_reached, .arg = &state,
	};
	int r = 0;

	for (size_t i = 0; i < plan->count && r == 0; i++) {
		struct coverage_site *site = &plan->sites[i];

		/* An int3 of the program's own stays the program's. */
		if (tracee_read(tracee, site->address, &site->original, 1) != 0 ||
		    site->original == INT3)
			continue;
		r = put_byte(tracee, site->address, INT3);
		if (r == 0)
			site->planted = true;
		else
			snprintf(err, errlen, "cannot plant a breakpoint at "
				 "%s (0x%llx): %s", site->name,
				 (unsigned long long)site->address, strerror(r));
	}
	if (r == 0) {
		r = window_run(tracee, &ops, timeout_ms);
		if (r)
			snprintf(err, errlen, "running the golden window: %s",
				 strerror(r));
	}
	/* Every thread is stopped: nothing runs through what goes back. */
	for (size_t i = 0; i < plan->count; i++) {
		struct coverage_site *site = &plan->sites[i];

		if (site->planted && tracee->count > 0 &&
		    put_byte(tracee, site->address, site->original) == 0)
			site->planted = false;
	}
	return r ? -1 : 0;
}

void coverage_describe_text(FILE *out, const struct coverage_info *info,
			    const struct coverage_plan *plan)
{
	fprintf(out, "coverage pid %d object %s window %ums: %zu of %zu "
		"functions reached\n", (int)info->pid, info->object,
		info->window_ms, plan->reached, plan->count);
	for (size_t i = 0; i < plan->count; i++)
		if (plan->sites[i].reached)
			fprintf(out, "reached %s\n", plan->sites[i].name);
}

void coverage_describe_json(FILE *out, const struct coverage_info *info,
			    const struct coverage_plan *plan)
{
	bool first = true;

	fprintf(out, "{\"pid\":%d,\"object\":", (int)info->pid);
	json_print_string(out, info->object);
	fprintf(out, ",\"window_ms\":%u,\"functions\":%zu,\"reached\":%zu,"
		"\"reached_functions\":[", info->window_ms, plan->count,
		plan->reached);
	for (size_t i = 0; i < plan->count; i++) {
		if (!plan->sites[i].reached)
			continue;
		if (!first)
			fputc(',', out);
		json_print_string(out, plan->sites[i].name);
		first = false;
	}
	fputs("]}\n", out);
}
