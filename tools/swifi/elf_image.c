// SPDX-License-Identifier: MIT
/* Reading the few parts of an ELF file the injector needs, with libelf. */
#include "elf_image.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int load_symbols(Elf *elf, Elf_Scn *section, const GElf_Shdr *header,
			struct symbol_table *table)
{
	Elf_Data *data = elf_getdata(section, NULL);
	size_t count;

	if (!data || header->sh_entsize == 0)
		return 0;
	count = header->sh_size / header->sh_entsize;
	for (size_t i = 0; i < count; i++) {
		GElf_Sym sym;
		const char *name;
		int kind;

		if (!gelf_getsym(data, (int)i, &sym))
			continue;
		kind = GELF_ST_TYPE(sym.st_info);
		if (kind != STT_FUNC && kind != STT_OBJECT &&
		    kind != STT_GNU_IFUNC)
			continue;
		if (sym.st_shndx == SHN_UNDEF || sym.st_value == 0)
			continue;
		name = elf_strptr(elf, header->sh_link, sym.st_name);
		if (!name || !name[0])
			continue;
		if (symbol_table_add(table, name, sym.st_value, sym.st_size,
				     kind != STT_OBJECT))
			return ENOMEM;
	}
	return 0;
}

static int read_sections(Elf *elf, struct elf_image *image)
{
	Elf_Scn *section = NULL, *symtab = NULL, *dynsym = NULL;
	GElf_Shdr header, symtab_header, dynsym_header;
	size_t names;

	if (elf_getshdrstrndx(elf, &names) != 0)
		return 0;	/* no section headers: no sections, no symbols */
	while ((section = elf_nextscn(elf, section)) != NULL) {
		const char *name;
		struct elf_span *span = NULL;

		if (!gelf_getshdr(section, &header))
			continue;
		if (header.sh_type == SHT_SYMTAB) {
			symtab = section;
			symtab_header = header;
		} else if (header.sh_type == SHT_DYNSYM) {
			dynsym = section;
			dynsym_header = header;
		}
		name = elf_strptr(elf, names, header.sh_name);
		if (!name)
			continue;
		if (strcmp(name, ".text") == 0)
			span = &image->text;
		else if (strcmp(name, ".data") == 0)
			span = &image->data;
		else if (strcmp(name, ".bss") == 0)
			span = &image->bss;
		if (span) {
			span->address = header.sh_addr;
			span->size = header.sh_size;
		}
	}
	/* .symtab has the local functions too; a stripped file keeps .dynsym. */
	if (symtab)
		return load_symbols(elf, symtab, &symtab_header, &image->symbols);
	if (dynsym)
		return load_symbols(elf, dynsym, &dynsym_header, &image->symbols);
	return 0;
}

static bool find_first_load(Elf *elf, struct elf_image *image)
{
	size_t count;
	bool found = false;

	if (elf_getphdrnum(elf, &count) != 0)
		return false;
	for (size_t i = 0; i < count; i++) {
		GElf_Phdr phdr;

		if (!gelf_getphdr(elf, (int)i, &phdr) || phdr.p_type != PT_LOAD)
			continue;
		if (!found || phdr.p_vaddr < image->first_load_address) {
			image->first_load_address = phdr.p_vaddr;
			image->first_load_offset = phdr.p_offset;
			found = true;
		}
	}
	return found;
}

int elf_image_load(const char *path, struct elf_image *image, char *err,
		   size_t errlen)
{
	GElf_Ehdr ehdr;
	Elf *elf = NULL;
	int fd, r = -1;

	memset(image, 0, sizeof(*image));
	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr)) {
		snprintf(err, errlen, "%s is not an ELF file", path);
	} else if (gelf_getclass(elf) != ELFCLASS64 || ehdr.e_machine != EM_X86_64) {
		snprintf(err, errlen, "%s is not an x86-64 program (ELF class %d, "
			 "machine %d); only x86-64 is supported", path,
			 gelf_getclass(elf), ehdr.e_machine);
	} else if (!find_first_load(elf, image)) {
		snprintf(err, errlen, "%s has no loadable segment", path);
	} else if (read_sections(elf, image) != 0) {
		snprintf(err, errlen, "out of memory reading the symbols of %s",
			 path);
	} else {
		r = 0;
	}
	if (elf)
		elf_end(elf);
	close(fd);
	if (r)
		elf_image_free(image);
	return r;
}

void elf_image_free(struct elf_image *image)
{
	symbol_table_free(&image->symbols);
	memset(image, 0, sizeof(*image));
}
