/* SPDX-License-Identifier: MIT */
/* rs-daemon logging: one line per event on stderr, prefixed "rs: ". */
#ifndef RS_LOG_H
#define RS_LOG_H

#include <stdbool.h>

#include <minix/errors.h>

void log_set_verbose(bool verbose);
/* Where rs-daemon's lines go: stderr until svclog.c takes stderr over. */
void log_set_fd(int fd);
bool log_verbose(void);

void rs_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only with -v: details that help debugging but flood a normal console. */
void rs_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "killed by signal 9", "exited with status 3" (static buffer). */
const char *rs_describe_status(int wait_status);

#endif /* RS_LOG_H */
