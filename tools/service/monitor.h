/* SPDX-License-Identifier: MIT */
/*
 * `minix-service monitor`: print the mxsys module's slot events as they
 * happen. Needs the module, not rs-daemon.
 */
#ifndef MINIX_SERVICE_MONITOR_H
#define MINIX_SERVICE_MONITOR_H

#include <stdio.h>

#include "parse.h"

/*
 * Join the module's event group and print each event to out (a line, or
 * a JSON object with cmd->json), flushed, until SIGINT or SIGTERM, or
 * until cmd->max_events events when that is not 0. Returns the exit
 * status: 0, or the positive error number after the failure has been
 * reported on stderr (EPERM: joining needs CAP_NET_ADMIN).
 */
int monitor_run(const struct service_cmd *cmd, FILE *out);

#endif /* MINIX_SERVICE_MONITOR_H */
