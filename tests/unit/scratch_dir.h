/* SPDX-License-Identifier: MIT */
/* A scratch directory under /tmp for unit tests that need files. */
#ifndef TESTS_UNIT_SCRATCH_DIR_H
#define TESTS_UNIT_SCRATCH_DIR_H

#include <stddef.h>

/* Create /tmp/<prefix>.XXXXXX into dir (len >= strlen(prefix) + 13). */
void scratch_dir_create(char *dir, size_t len, const char *prefix);
/* Remove it with everything in it. */
void scratch_dir_remove(const char *dir);

#endif /* TESTS_UNIT_SCRATCH_DIR_H */
