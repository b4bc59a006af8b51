/* SPDX-License-Identifier: MIT */
/*
 * Command-line parsing for minix-service: argv in, struct rs_request out.
 *
 * No I/O apart from stat() of the binary, so that every rule can be unit
 * tested. Errors come back as a positive error number (the exit status)
 * plus a one-line message without the "minix-service: " prefix.
 */
#ifndef MINIX_SERVICE_PARSE_H
#define MINIX_SERVICE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <minix/rs.h>

#include "errors.h"

enum service_action {
	SERVICE_UP,
	SERVICE_DOWN,
	SERVICE_STATUS,
	SERVICE_LOOKUP,
	SERVICE_HELP,
};

struct service_cmd {
	enum service_action action;
	bool json;		/* status -j */
	bool all;		/* status without a label */
	struct rs_request req;
};

/*
 * Parse argv[1..argc-1]. clk_tck is sysconf(_SC_CLK_TCK), the length of a
 * tick in the time formats. Returns 0, or EINVAL for bad usage and ENOSYS
 * for a MINIX action this release does not have; err then says why.
 */
int service_parse(int argc, char *const argv[], long clk_tck,
		  struct service_cmd *cmd, char err[SERVICE_ERRLEN]);

/*
 * A time as MINIX writes it: "N" (ticks of clk_tck), "NHZ" (seconds) or
 * "Nms". Ticks round up so that a non-zero time never becomes 0 ms.
 * Returns 0 or EINVAL (malformed, or above INT32_MAX ms).
 */
int service_parse_time_ms(const char *text, long clk_tck, uint32_t *ms);

/* The action names, for messages: "up", "down", ... */
const char *service_action_name(enum service_action action);

#endif /* MINIX_SERVICE_PARSE_H */
