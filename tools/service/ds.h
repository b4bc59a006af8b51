/* SPDX-License-Identifier: MIT */
/*
 * `minix-service ds (list|get|set|del)`: root's view of the Data Store,
 * through rs-daemon (RS_DS, <minix/ds_admin.h>). Parsing and printing are
 * pure (ds.c, unit-tested); ds_run (ds_run.c) does the requests.
 */
#ifndef MINIX_SERVICE_DS_H
#define MINIX_SERVICE_DS_H

#include <stdio.h>
#include <minix/ds_admin.h>

#include "errors.h"

/*
 * argv[0] is "ds". Fills rq (op, key or pattern, type, value). Returns 0,
 * or a positive error number (EINVAL) with err saying what is wrong.
 */
int ds_parse(int argc, char *const argv[], struct ds_admin *rq,
	     char err[SERVICE_ERRLEN]);

/*
 * One key as the tool shows it: KEY TYPE OWNER VALUE, the value of a
 * u32 or label in decimal, of a str with non-printable bytes escaped
 * (\n, \\, \xNN), of a mem in hex. Returns true if the value was longer
 * than what travelled (the caller says so).
 */
bool ds_print_entry(FILE *out, const struct ds_admin *e);

/* Run the parsed request; the exit status. */
int ds_run(struct ds_admin *rq);

#endif /* MINIX_SERVICE_DS_H */
