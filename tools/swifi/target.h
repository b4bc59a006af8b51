/* SPDX-License-Identifier: MIT */
/*
 * The process to inject into, as files and mappings: its main executable
 * and the other ELF objects it has mapped (shared libraries), each with
 * its load bias, and names for addresses (symbol+offset).
 */
#ifndef MXSYS_SWIFI_TARGET_H
#define MXSYS_SWIFI_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "elf_image.h"
#include "maps.h"

struct target_object {
	char path[PATH_MAX];	/* as in the maps */
	unsigned int dev_major, dev_minor;
	uint64_t inode;
	bool is_main;
	bool loaded;		/* image read (lazily: most are never needed) */
	bool unreadable;	/* reading it failed once */
	uint64_t bias;		/* runtime address = link-time address + bias */
	struct elf_image image;
};

struct target {
	pid_t pid;
	struct map_entry *maps;
	size_t map_count;
	struct target_object *objects;
	size_t object_count;
	struct target_object *main;
};

/*
 * Look at process pid: its mappings and its main executable, which must be
 * an x86-64 ELF program. Returns 0, or -1 with the reason in err.
 */
int target_open(struct target *target, pid_t pid, char *err, size_t errlen);
void target_close(struct target *target);

/* The object's ELF image, read on first use; NULL (reason in err) if unreadable. */
const struct elf_image *target_image(struct target *target,
				     struct target_object *object,
				     char *err, size_t errlen);

/* The object mapped at address, or NULL (anonymous memory, [heap], ...). */
struct target_object *target_object_at(struct target *target, uint64_t address);

/*
 * The first object whose file name (after the last '/') starts with name,
 * e.g. "libsef.so" or "libc.so.6"; NULL if none.
 */
struct target_object *target_object_named(struct target *target,
					  const char *name);

/*
 * Name an address for people: "symbol+0xoff" from the symbols of the
 * object mapped there, "file+0xoff" (link-time address) without a symbol,
 * "[heap]+0xoff" in a named mapping. The object's path into object.
 */
void target_describe_address(struct target *target, uint64_t address,
			     char *location, size_t location_len,
			     char *object, size_t object_len);

/* Whether [start, end) lies in readable mappings without a gap. */
bool target_range_mapped(const struct target *target, uint64_t start,
			 uint64_t end, bool executable);

#endif /* MXSYS_SWIFI_TARGET_H */
