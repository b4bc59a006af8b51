/* SPDX-License-Identifier: MIT */
/*
 * Command-line parsing for minix-service: argv in, struct service_cmd out.
 *
 * No I/O apart from looking at the files named (stat() of the binary,
 * realpath() of -config), so that every rule can be unit tested. Errors
 * come back as a positive error number (the exit status) plus a one-line
 * message without the "minix-service: " prefix: EINVAL for bad usage,
 * ENOSYS for an unknown action and for what MINIX has but Linux cannot
 * mean (see minix-service(8), "LEFT OUT").
 */
#ifndef MINIX_SERVICE_PARSE_H
#define MINIX_SERVICE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <minix/rs.h>

#include "duration.h"
#include "errors.h"

enum service_action {
	SERVICE_UP,
	SERVICE_RUN,
	SERVICE_EDIT,
	SERVICE_UPDATE,
	SERVICE_DOWN,
	SERVICE_REFRESH,
	SERVICE_RESTART,
	SERVICE_CLONE,
	SERVICE_UNCLONE,
	SERVICE_FI,
	SERVICE_LOOKUP,
	SERVICE_SHUTDOWN,
	SERVICE_RELOAD,
	SERVICE_SYSCTL,
	SERVICE_STATUS,
	SERVICE_MONITOR,
	SERVICE_LOGS,
	SERVICE_DUMP,
	SERVICE_HELP,
};

struct service_cmd {
	enum service_action action;
	bool json;		/* status -j, monitor -j */
	bool all;		/* status without a label */
	uint64_t max_events;	/* monitor -n N; 0 = until SIGINT/SIGTERM */
	bool follow;		/* logs -f */
	bool last_given;	/* logs -n N: the last N lines, else all */
	uint64_t last_lines;
	struct rs_request req;
};

/*
 * Parse argv[1..argc-1]. clk_tck is sysconf(_SC_CLK_TCK), the length of a
 * tick in the time formats. Returns 0 or a positive error number; err
 * then says why.
 */
int service_parse(int argc, char *const argv[], long clk_tck,
		  struct service_cmd *cmd, char err[SERVICE_ERRLEN]);

/* The action's name, for messages: "up", "down", ... */
const char *service_action_name(enum service_action action);

/* The name of an RS_SYSCTL_* subtype ("upd_run"), or NULL. */
const char *service_sysctl_name(uint32_t subtype);

/*
 * What a message about the request names after the action: the label,
 * the sysctl subtype, or "" (shutdown, status of all services).
 */
const char *service_subject(const struct service_cmd *cmd);

#endif /* MINIX_SERVICE_PARSE_H */
