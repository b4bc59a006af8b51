/* SPDX-License-Identifier: MIT */
/*
 * The golden run's plan: which function entries get a one-shot
 * breakpoint, and which of them an address is. Pure (coverage.c plants,
 * runs and restores).
 */
#ifndef MXSYS_SWIFI_COVERAGE_PLAN_H
#define MXSYS_SWIFI_COVERAGE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "symbols.h"

struct coverage_site {
	uint64_t address;	/* the function's entry, at run time */
	const char *name;	/* the symbol's (the table's string) */
	uint8_t original;	/* the byte the breakpoint replaces */
	bool planted;		/* the breakpoint is there now */
	bool reached;
};

struct coverage_plan {
	struct coverage_site *sites;	/* by address, one per address */
	size_t count;
	size_t reached;
};

/*
 * A site at the entry of each function of symbols with a size (bias
 * added), or only of those named in only[0..only_count) if only_count
 * is not 0; aliases of one address make one site, under the first name
 * in address order. Returns 0 or ENOMEM.
 */
int coverage_plan_make(struct coverage_plan *plan,
		       const struct symbol_table *symbols, uint64_t bias,
		       const char *const *only, size_t only_count);
void coverage_plan_free(struct coverage_plan *plan);

/* The site at address, or NULL. */
struct coverage_site *coverage_plan_find(const struct coverage_plan *plan,
					 uint64_t address);

/* The site reached: true the first time. */
bool coverage_plan_reach(struct coverage_plan *plan,
			 struct coverage_site *site);

#endif /* MXSYS_SWIFI_COVERAGE_PLAN_H */
