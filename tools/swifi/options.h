/* SPDX-License-Identifier: MIT */
/* mxsys-swifi's command line: options, their checks, and the exit statuses. */
#ifndef MXSYS_SWIFI_OPTIONS_H
#define MXSYS_SWIFI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fault.h"
#include "select_memory.h"

/* Exit statuses, for a campaign runner to tell outcomes apart. */
enum swifi_exit {
	SWIFI_EXIT_OK = 0,		/* injected (or planned, with --dry-run) */
	SWIFI_EXIT_FAILED = 1,		/* attached, but injecting failed */
	SWIFI_EXIT_USAGE = 2,		/* bad command line */
	SWIFI_EXIT_TARGET = 3,		/* no such process, not permitted, not
					 * x86-64, no .text, no such function */
	SWIFI_EXIT_NO_CANDIDATE = 4,	/* nothing in the chosen code or memory
					 * qualifies for the fault type */
};

#define SWIFI_MAX_FAULTS	1000	/* as MINIX swifi */
/* A golden run's list of functions reached is given back as --function. */
#define SWIFI_MAX_FUNCTIONS	1024
#define SWIFI_MAX_RANGES	32
#define SWIFI_MAX_ACTIVATION_MS	3600000u

struct swifi_options {
	pid_t pid;
	enum fault_type type;
	bool type_given;
	bool seed_given;
	uint64_t seed;
	unsigned int count;
	const char *functions[SWIFI_MAX_FUNCTIONS];
	size_t function_count;
	struct address_range ranges[SWIFI_MAX_RANGES];
	size_t range_count;
	const char *object;		/* NULL: the main executable */
	const char *reg;		/* NULL: drawn */
	int signal;			/* 0: drawn */
	bool dry_run;
	bool json;
	bool help;
	bool watch_activation;
	unsigned int activation_ms;
	bool coverage;			/* --coverage: a golden run, no fault */
	unsigned int coverage_ms;
};

/*
 * Parse argv. Returns 0, or -1 with the reason in err. --help sets help
 * and stops there. Resets getopt, so it may be called again.
 */
int options_parse(int argc, char **argv, struct swifi_options *options,
		  char *err, size_t errlen);

/* "START-END" or "START+LENGTH", numbers in C notation (0x... for hex). */
bool parse_address_range(const char *text, struct address_range *range);
/* "N" seconds, "Ns" or "Nms", at most an hour, more than 0. */
bool parse_window_ms(const char *text, unsigned int *ms);

#endif /* MXSYS_SWIFI_OPTIONS_H */
