// SPDX-License-Identifier: MIT
/* Choosing the golden run's breakpoints (coverage_plan.h). */
#include "coverage_plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool named(const char *name, const char *const *only, size_t count)
{
	if (count == 0)
		return true;
	for (size_t i = 0; i < count; i++)
		if (strcmp(name, only[i]) == 0)
			return true;
	return false;
}

static int by_address(const void *a, const void *b)
{
	const struct coverage_site *x = a, *y = b;

	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	return strcmp(x->name, y->name);
}

int coverage_plan_make(struct coverage_plan *plan,
		       const struct symbol_table *symbols, uint64_t bias,
		       const char *const *only, size_t only_count)
{
	size_t n = 0;

	memset(plan, 0, sizeof(*plan));
	if (symbols->count == 0)
		return 0;
	plan->sites = calloc(symbols->count, sizeof(*plan->sites));
	if (!plan->sites)
		return ENOMEM;
	for (size_t i = 0; i < symbols->count; i++) {
		const struct symbol *s = &symbols->symbols[i];

		if (!s->is_function || s->size == 0 ||
		    !named(s->name, only, only_count))
			continue;
		plan->sites[n++] = (struct coverage_site){
			.address = s->address + bias, .name = s->name,
		};
	}
	qsort(plan->sites, n, sizeof(*plan->sites), by_address);
	/* One site per address: the first name sorts first. */
	plan->count = 0;
	for (size_t i = 0; i < n; i++)
		if (plan->count == 0 ||
		    plan->sites[plan->count - 1].address != plan->sites[i].address)
			plan->sites[plan->count++] = plan->sites[i];
	return 0;
}

void coverage_plan_free(struct coverage_plan *plan)
{
	free(plan->sites);
	memset(plan, 0, sizeof(*plan));
}

struct coverage_site *coverage_plan_find(const struct coverage_plan *plan,
					 uint64_t address)
{
	size_t low = 0, high = plan->count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (plan->sites[mid].address == address)
			return &plan->sites[mid];
		if (plan->sites[mid].address < address)
			low = mid + 1;
		else
			high = mid;
	}
	return NULL;
}

bool coverage_plan_reach(struct coverage_plan *plan,
			 struct coverage_site *site)
{
	if (site->reached)
		return false;
	site->reached = true;
	plan->reached++;
	return true;
}
