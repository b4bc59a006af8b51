/* SPDX-License-Identifier: MIT */
/*
 * Where rs-daemon keeps each service's output (LABEL.log, LABEL.log.1),
 * and where `minix-service logs` reads it.
 */
#ifndef MXSYS_COMMON_LOGDIR_H
#define MXSYS_COMMON_LOGDIR_H

#define MXSYS_LOG_DIR	"/var/log/mxsys"

#endif /* MXSYS_COMMON_LOGDIR_H */
