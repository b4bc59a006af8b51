// SPDX-License-Identifier: MIT
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "scratch_dir.h"

void scratch_dir_create(char *dir, size_t len, const char *prefix)
{
	ck_assert_int_lt(snprintf(dir, len, "/tmp/%s.XXXXXX", prefix),
			 (int)len);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void scratch_dir_remove(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
