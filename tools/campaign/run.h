/* SPDX-License-Identifier: MIT */
/*
 * One run of a fault-injection campaign: what the runner observed around
 * one injection (a batch of faults into one fresh instance of the target),
 * its classification, and its CSV form. Pure: no I/O.
 *
 * The classes, from the worst (the first that applies wins):
 *   not-injected    mxsys-swifi injected nothing (no candidate, target
 *                   gone, write failed): not counted as an injection
 *   os-failure      after the run the module, rs-daemon or ds was gone
 *   not-recovered   the target died (or was killed by RS for a missed
 *                   heartbeat) and no new instance served within the
 *                   runner's timeout
 *   hang-recovered  RS killed the target for a missed heartbeat (a death
 *                   by SIGKILL, which the runner never sends) and a new
 *                   instance served
 *   crash-recovered the target died by itself and a new instance served
 *   client-failure  the target did not die, but its client saw errors,
 *                   wrong answers, lost requests, or no answer at all
 *                   after the injection (an undetected failure)
 *   not-manifested  none of the above: the fault stayed latent or harmless
 */
#ifndef MXSYS_CAMPAIGN_RUN_H
#define MXSYS_CAMPAIGN_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum run_class {
	RUN_NOT_INJECTED,
	RUN_NOT_MANIFESTED,
	RUN_CRASH_RECOVERED,
	RUN_HANG_RECOVERED,
	RUN_CLIENT_FAILURE,
	RUN_NOT_RECOVERED,
	RUN_OS_FAILURE,
	RUN_CLASSES
};

#define RUN_TEXT_MAX	128

struct run {
	uint64_t index;			/* run number in the campaign, from 0 */
	char target[RUN_TEXT_MAX];	/* hello, testsvc, ... */
	char type[RUN_TEXT_MAX];	/* mxsys-swifi fault type */
	uint64_t seed;			/* fault i of the run: seed + i */
	uint64_t faults;		/* faults asked for (swifi --count) */
	int inject_status;		/* mxsys-swifi's exit status */
	char location[RUN_TEXT_MAX];	/* first fault's symbol+offset or - */
	bool died;			/* a died event for the injected pid */
	int signal;			/* its signal, 0 for an exit or none */
	int exit_code;			/* its exit code, -1 for none */
	bool recovered;			/* a new instance served in time */
	int64_t recovery_us;		/* injection to serving, -1 if none */
	uint64_t client_ok;		/* answers after the injection */
	uint64_t client_failed;		/* errors the client got */
	uint64_t client_wrong;		/* wrong answers */
	uint64_t client_lost;		/* requests never answered */
	uint64_t max_stall_us;		/* longest wait for one answer */
	bool rs_up, module_up, ds_up;	/* after the run */
	enum run_class class;
	/* Faults seen executed (code) or read (memory) within mxsys-swifi's
	 * activation window; -1 when not watched. */
	int activated;
};

/* The class's name ("crash-recovered"), or NULL out of range. */
const char *run_class_name(enum run_class class);
/* The class named name; -1 if none is. */
int run_class_from_name(const char *name);
/* Whether class counts as manifested (an injected fault with an effect). */
bool run_class_manifested(enum run_class class);
/* Whether class is a recovery by the system, with no person. */
bool run_class_recovered(enum run_class class);

/* The class of the observations in run (run->class is not read). */
enum run_class run_classify(const struct run *run);

/* The CSV header line, without a newline. activated is the last column,
 * after class; a line without it (older files) reads as -1. */
extern const char run_csv_header[];

/*
 * run as one CSV line (no newline) into buf of size len. Text fields are
 * written as they are: run_set_text keeps commas, quotes and control
 * characters out of them. Returns 0, or ENOSPC.
 */
int run_format_csv(const struct run *run, char *buf, size_t len);

/*
 * Parse one CSV line (as run_format_csv writes it, a trailing newline
 * allowed) into run. Returns 0, or EINVAL with *column set to the
 * 1-based column that is wrong (0: the number of columns).
 */
int run_parse_csv(const char *line, struct run *run, int *column);

/* Copy text into a RUN_TEXT_MAX field: truncated, with ',', '"' and
 * control characters replaced by '_', empty as "-". */
void run_set_text(char *field, const char *text);

#endif /* MXSYS_CAMPAIGN_RUN_H */
