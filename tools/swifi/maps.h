/* SPDX-License-Identifier: MIT */
/* The mappings of a process, from /proc/PID/maps. */
#ifndef MXSYS_SWIFI_MAPS_H
#define MXSYS_SWIFI_MAPS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct map_entry {
	uint64_t start;
	uint64_t end;		/* exclusive */
	bool readable, writable, executable;
	uint64_t offset;	/* in the file */
	unsigned int dev_major, dev_minor;
	uint64_t inode;		/* 0 for anonymous memory */
	char path[PATH_MAX];	/* file, "[heap]", "[stack]", ... or "" */
};

/*
 * One line of /proc/PID/maps (without or with its newline). Returns 0, or
 * EINVAL for a line of another shape.
 */
int maps_parse_line(const char *line, struct map_entry *entry);

/* The mapping holding address, or NULL. */
const struct map_entry *maps_find(const struct map_entry *entries,
				  size_t count, uint64_t address);
/* The first mapping with this path ("[heap]", "[stack]"), or NULL. */
const struct map_entry *maps_find_named(const struct map_entry *entries,
					size_t count, const char *path);

/*
 * Read /proc/PID/maps into a malloc'ed array (in address order, as the
 * kernel lists it). Returns 0 or an errno value (ENOENT: no such process).
 */
int maps_read(pid_t pid, struct map_entry **entries, size_t *count);

#endif /* MXSYS_SWIFI_MAPS_H */
