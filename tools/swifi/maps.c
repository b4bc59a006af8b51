// SPDX-License-Identifier: MIT
/* Parsing /proc/PID/maps. */
#include "maps.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int maps_parse_line(const char *line, struct map_entry *entry)
{
	char perms[5];
	int path_at = -1;
	size_t len;

	memset(entry, 0, sizeof(*entry));
	/* start-end perms offset major:minor inode [path] */
	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %x:%x %" SCNu64 " %n",
		   &entry->start, &entry->end, perms, &entry->offset,
		   &entry->dev_major, &entry->dev_minor, &entry->inode,
		   &path_at) != 7 || path_at < 0)
		return EINVAL;
	if (strlen(perms) != 4 || entry->end <= entry->start)
		return EINVAL;
	entry->readable = perms[0] == 'r';
	entry->writable = perms[1] == 'w';
	entry->executable = perms[2] == 'x';
	snprintf(entry->path, sizeof(entry->path), "%s", line + path_at);
	len = strlen(entry->path);
	while (len > 0 && entry->path[len - 1] == '\n')
		entry->path[--len] = '\0';
	return 0;
}

const struct map_entry *maps_find(const struct map_entry *entries,
				  size_t count, uint64_t address)
{
	for (size_t i = 0; i < count; i++)
		if (entries[i].start <= address && address < entries[i].end)
			return &entries[i];
	return NULL;
}

const struct map_entry *maps_find_named(const struct map_entry *entries,
					size_t count, const char *path)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(entries[i].path, path) == 0)
			return &entries[i];
	return NULL;
}

int maps_read(pid_t pid, struct map_entry **entries, size_t *count)
{
	char file[64], *line = NULL;
	size_t capacity = 0, linecap = 0;
	FILE *in;
	int r = 0;

	*entries = NULL;
	*count = 0;
	snprintf(file, sizeof(file), "/proc/%d/maps", (int)pid);
	in = fopen(file, "re");
	if (!in)
		return errno;
	while (getline(&line, &linecap, in) > 0) {
		if (*count == capacity) {
			size_t bigger = capacity ? capacity * 2 : 64;
			struct map_entry *more = realloc(*entries,
							 bigger * sizeof(*more));

			if (!more) {
				r = ENOMEM;
				break;
			}
			*entries = more;
			capacity = bigger;
		}
		if (maps_parse_line(line, &(*entries)[*count]) == 0)
			(*count)++;
	}
	if (ferror(in) && r == 0)
		r = EIO;
	free(line);
	fclose(in);
	if (r) {
		free(*entries);
		*entries = NULL;
		*count = 0;
	}
	return r;
}
