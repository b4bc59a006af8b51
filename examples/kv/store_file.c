/* SPDX-License-Identifier: MIT */
/*
 * The keys in a directory, for kv-server run bare (the baselines under
 * runsv and s6): one file per key, replaced by rename so that a crash
 * leaves the old value or the new one, never half of one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto.h"
#include "store.h"

static int path_of(struct kv_store *s, const char *key, const char *suffix,
		   char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/%s%s", (const char *)s->priv, key,
			 suffix);

	return n > 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

static int file_get(struct kv_store *s, const char *key, char *value,
		    size_t size)
{
	char path[4096];
	ssize_t n;
	int fd, r = path_of(s, key, "", path, sizeof(path));

	if (r)
		return r;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, value, size - 1);
	r = n < 0 ? -errno : 0;
	close(fd);
	if (r)
		return r;
	value[n] = '\0';
	return 0;
}

static int file_set(struct kv_store *s, const char *key, const char *value)
{
	char path[4096], tmp[4096];
	size_t len = strlen(value);
	int fd, r;

	if ((r = path_of(s, key, "", path, sizeof(path))) ||
	    (r = path_of(s, key, ".new", tmp, sizeof(tmp))))
		return r;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	r = write(fd, value, len) == (ssize_t)len ? 0 : -EIO;
	close(fd);
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	return r;
}

static int file_del(struct kv_store *s, const char *key)
{
	char path[4096];
	int r = path_of(s, key, "", path, sizeof(path));

	if (r)
		return r;
	return unlink(path) < 0 ? -errno : 0;
}

struct kv_store *kv_store_file(const char *dir)
{
	static struct kv_store store = {
		.get = file_get, .set = file_set, .del = file_del,
	};

	store.priv = (void *)dir;
	return &store;
}
