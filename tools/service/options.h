/* SPDX-License-Identifier: MIT */
/*
 * The part of the command line after `up`, `run`, `edit` and `update`:
 * the binary (or `self`) and the options that follow it. Internal to
 * parse.c, which handles the flags and the action.
 */
#ifndef MINIX_SERVICE_OPTIONS_H
#define MINIX_SERVICE_OPTIONS_H

#include "parse.h"

/*
 * The recovery script of `run`: a script that takes the service down
 * instead of restarting it: etc/rs.single, installed under SYSCONFDIR,
 * which service.mk passes in as RS_SINGLE_SCRIPT.
 */
#ifndef RS_SINGLE_SCRIPT
#define RS_SINGLE_SCRIPT	"/etc/minix/rs.single"
#endif

/*
 * Parse argv[i..argc-1] for cmd->action (one of up, run, edit, update)
 * into cmd->req, whose rq_type and rss_flags are already set. Returns 0
 * or a positive error number with err saying why.
 */
int service_parse_start(int argc, char *const argv[], int i, long clk_tck,
			struct service_cmd *cmd, char err[SERVICE_ERRLEN]);

/*
 * Copy a label given on the command line. Empty, or longer than
 * RS_MAX_LABEL_LEN - 1, is EINVAL with a message: MINIX's copy_label cuts
 * it, which would name another service (or none) without a word. action
 * names the action in the message.
 */
int service_copy_label(char label[RS_MAX_LABEL_LEN], const char *text,
		       const char *action, char err[SERVICE_ERRLEN]);

#endif /* MINIX_SERVICE_OPTIONS_H */
