// SPDX-License-Identifier: MIT
/* The target process's objects, load biases and address names. */
#include "target.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static bool same_file(const struct target_object *object,
		      const struct map_entry *entry)
{
	return object->inode == entry->inode &&
	       object->dev_major == entry->dev_major &&
	       object->dev_minor == entry->dev_minor &&
	       strcmp(object->path, entry->path) == 0;
}

static int collect_objects(struct target *target, const struct stat *exe)
{
	target->objects = calloc(target->map_count ? target->map_count : 1,
				 sizeof(*target->objects));
	if (!target->objects)
		return ENOMEM;
	for (size_t i = 0; i < target->map_count; i++) {
		const struct map_entry *entry = &target->maps[i];
		struct target_object *object = NULL;

		if (entry->inode == 0 || entry->path[0] != '/')
			continue;
		for (size_t j = 0; j < target->object_count; j++)
			if (same_file(&target->objects[j], entry))
				object = &target->objects[j];
		if (object)
			continue;
		object = &target->objects[target->object_count++];
		snprintf(object->path, sizeof(object->path), "%s", entry->path);
		object->dev_major = entry->dev_major;
		object->dev_minor = entry->dev_minor;
		object->inode = entry->inode;
		object->is_main = entry->inode == exe->st_ino &&
				  entry->dev_major == major(exe->st_dev) &&
				  entry->dev_minor == minor(exe->st_dev);
		if (object->is_main && !target->main)
			target->main = object;
	}
	return 0;
}

/* Why /proc/PID is not a process we can look at, in words. */
static void explain_unreadable(pid_t pid, int error, char *err, size_t errlen)
{
	char dir[64];

	snprintf(dir, sizeof(dir), "/proc/%d", (int)pid);
	if (access(dir, F_OK) != 0)
		snprintf(err, errlen, "no process with pid %d", (int)pid);
	else if (error == EACCES || error == EPERM)
		snprintf(err, errlen, "not permitted to inspect pid %d (run as "
			 "root or as its owner)", (int)pid);
	else
		snprintf(err, errlen, "pid %d has no program (a kernel thread "
			 "or a zombie): %s", (int)pid, strerror(error));
}

int target_open(struct target *target, pid_t pid, char *err, size_t errlen)
{
	char exe[64];
	struct stat st;
	int r;

	memset(target, 0, sizeof(*target));
	target->pid = pid;
	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)pid);
	if (stat(exe, &st) != 0) {
		explain_unreadable(pid, errno, err, errlen);
		return -1;
	}
	r = maps_read(pid, &target->maps, &target->map_count);
	if (r) {
		explain_unreadable(pid, r, err, errlen);
		return -1;
	}
	if (collect_objects(target, &st) != 0) {
		snprintf(err, errlen, "out of memory");
		target_close(target);
		return -1;
	}
	if (!target->main) {
		snprintf(err, errlen, "pid %d: its executable is not among its "
			 "mappings", (int)pid);
		target_close(target);
		return -1;
	}
	if (!target_image(target, target->main, err, errlen)) {
		target_close(target);
		return -1;
	}
	return 0;
}

void target_close(struct target *target)
{
	for (size_t i = 0; i < target->object_count; i++)
		if (target->objects[i].loaded)
			elf_image_free(&target->objects[i].image);
	free(target->objects);
	free(target->maps);
	memset(target, 0, sizeof(*target));
}

/*
 * The bias is where the first loadable segment's page was mapped, less the
 * page's link-time address: the mapping of this file at that file offset.
 */
static bool find_bias(const struct target *target,
		      struct target_object *object)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t offset = object->image.first_load_offset & ~(page - 1);
	uint64_t address = object->image.first_load_address & ~(page - 1);

	for (size_t i = 0; i < target->map_count; i++) {
		const struct map_entry *entry = &target->maps[i];

		if (same_file(object, entry) && entry->offset == offset) {
			object->bias = entry->start - address;
			return true;
		}
	}
	return false;
}

/*
 * The file to read an object from: the main executable through
 * /proc/PID/exe and a deleted library through /proc/PID/map_files, so
 * that a binary replaced on disk (a live update) is still the one read.
 */
static void object_file(const struct target *target,
			const struct target_object *object,
			char *file, size_t len)
{
	static const char deleted[] = " (deleted)";
	size_t plen = strlen(object->path), dlen = sizeof(deleted) - 1;

	if (object->is_main) {
		snprintf(file, len, "/proc/%d/exe", (int)target->pid);
		return;
	}
	if (plen > dlen && strcmp(object->path + plen - dlen, deleted) == 0) {
		for (size_t i = 0; i < target->map_count; i++) {
			if (same_file(object, &target->maps[i])) {
				snprintf(file, len, "/proc/%d/map_files/%" PRIx64
					 "-%" PRIx64, (int)target->pid,
					 target->maps[i].start,
					 target->maps[i].end);
				return;
			}
		}
	}
	snprintf(file, len, "%s", object->path);
}

const struct elf_image *target_image(struct target *target,
				     struct target_object *object,
				     char *err, size_t errlen)
{
	char file[PATH_MAX + 64];

	if (object->loaded)
		return &object->image;
	if (object->unreadable) {
		snprintf(err, errlen, "%s could not be read", object->path);
		return NULL;
	}
	object_file(target, object, file, sizeof(file));
	if (elf_image_load(file, &object->image, err, errlen) != 0) {
		object->unreadable = true;
		return NULL;
	}
	if (!find_bias(target, object)) {
		snprintf(err, errlen, "%s: no mapping of its first loadable "
			 "segment", object->path);
		elf_image_free(&object->image);
		object->unreadable = true;
		return NULL;
	}
	object->loaded = true;
	return &object->image;
}

struct target_object *target_object_at(struct target *target, uint64_t address)
{
	const struct map_entry *entry = maps_find(target->maps,
						  target->map_count, address);

	if (!entry)
		return NULL;
	for (size_t i = 0; i < target->object_count; i++)
		if (same_file(&target->objects[i], entry))
			return &target->objects[i];
	return NULL;
}

struct target_object *target_object_named(struct target *target,
					  const char *name)
{
	for (size_t i = 0; i < target->object_count; i++) {
		const char *base = strrchr(target->objects[i].path, '/');

		base = base ? base + 1 : target->objects[i].path;
		if (strncmp(base, name, strlen(name)) == 0)
			return &target->objects[i];
	}
	return NULL;
}

void target_describe_address(struct target *target, uint64_t address,
			     char *location, size_t location_len,
			     char *object_path, size_t object_len)
{
	struct target_object *object = target_object_at(target, address);
	const struct map_entry *entry;
	char err[256];

	location[0] = '\0';
	object_path[0] = '\0';
	if (object) {
		const struct elf_image *image;
		const char *base = strrchr(object->path, '/');

		snprintf(object_path, object_len, "%s", object->path);
		image = target_image(target, object, err, sizeof(err));
		if (image && symbol_table_format(&image->symbols,
						 address - object->bias,
						 location, location_len))
			return;
		snprintf(location, location_len, "%s+0x%" PRIx64,
			 base ? base + 1 : object->path,
			 address - (image ? object->bias : 0));
		return;
	}
	/* .bss past the file's last page is anonymous memory. */
	for (size_t i = 0; i < target->object_count; i++) {
		object = &target->objects[i];
		if (!object->loaded || !object->image.bss.size ||
		    address - object->bias - object->image.bss.address >=
		    object->image.bss.size)
			continue;
		snprintf(object_path, object_len, "%s", object->path);
		if (!symbol_table_format(&object->image.symbols,
					 address - object->bias, location,
					 location_len))
			snprintf(location, location_len, ".bss+0x%" PRIx64,
				 address - object->bias -
				 object->image.bss.address);
		return;
	}
	entry = maps_find(target->maps, target->map_count, address);
	if (entry && entry->path[0])
		snprintf(location, location_len, "%s+0x%" PRIx64, entry->path,
			 address - entry->start);
	else if (entry)
		snprintf(location, location_len, "[anon:0x%" PRIx64 "]+0x%" PRIx64,
			 entry->start, address - entry->start);
}

bool target_range_mapped(const struct target *target, uint64_t start,
			 uint64_t end, bool executable)
{
	uint64_t at = start;

	while (at < end) {
		const struct map_entry *entry = maps_find(target->maps,
							  target->map_count, at);

		if (!entry || !entry->readable ||
		    (executable && !entry->executable))
			return false;
		at = entry->end;
	}
	return true;
}
