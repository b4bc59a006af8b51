/* SPDX-License-Identifier: MIT */
/*
 * minix-service logs LABEL [-f] [-n N]: a service's output, as rs-daemon
 * keeps it in DIR/LABEL.log and, once rotated, DIR/LABEL.log.1.
 */
#ifndef MINIX_SERVICE_LOGS_H
#define MINIX_SERVICE_LOGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"

/*
 * Where the last n lines of text[0..len) start: len for n = 0, 0 when
 * there are n lines or fewer. A last line without its newline counts.
 */
size_t logs_tail_start(const char *text, size_t len, uint64_t n);

/*
 * Print the log of cmd's label from dir on out (both files, older first;
 * with cmd->last_given only the last lines), then with cmd->follow keep
 * printing what is added, across rotations, until killed. Returns 0 or
 * the exit status after a message on stderr.
 */
int logs_run(const struct service_cmd *cmd, const char *dir, FILE *out);

#endif /* MINIX_SERVICE_LOGS_H */
