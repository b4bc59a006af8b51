/* SPDX-License-Identifier: MIT */
/*
 * What mxsys-swifi needs of an ELF file, read with libelf: that it is
 * x86-64, where its first loadable segment and its .text, .data and .bss
 * sections are (link-time addresses), and its function and object symbols.
 */
#ifndef MXSYS_SWIFI_ELF_IMAGE_H
#define MXSYS_SWIFI_ELF_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "symbols.h"

struct elf_span {
	uint64_t address;
	uint64_t size;		/* 0: the section is not there */
};

struct elf_image {
	uint64_t first_load_address;	/* p_vaddr of the first PT_LOAD */
	uint64_t first_load_offset;	/* its p_offset */
	struct elf_span text, data, bss;
	struct symbol_table symbols;	/* .symtab, or .dynsym when stripped */
};

/*
 * Read path. Returns 0, or -1 with the reason in err: unreadable, not ELF,
 * not a 64-bit x86-64 object, no loadable segment.
 */
int elf_image_load(const char *path, struct elf_image *image, char *err,
		   size_t errlen);
void elf_image_free(struct elf_image *image);

#endif /* MXSYS_SWIFI_ELF_IMAGE_H */
