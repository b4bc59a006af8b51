/* SPDX-License-Identifier: MIT */
/*
 * One run of mxsys-swifi: attach, choose the faults from the seed, write
 * them, optionally watch for their activation, detach, describe.
 */
#ifndef MXSYS_SWIFI_INJECT_H
#define MXSYS_SWIFI_INJECT_H

#include <stdio.h>

#include "options.h"

/* Returns an enum swifi_exit; errors go to errout as one line each. */
int swifi_run(const struct swifi_options *options, FILE *out, FILE *errout);

#endif /* MXSYS_SWIFI_INJECT_H */
