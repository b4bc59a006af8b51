/* SPDX-License-Identifier: MIT */
/*
 * A symbol table of one ELF object, by link-time address: what address a
 * function name means, and what symbol+offset an address is.
 */
#ifndef MXSYS_SWIFI_SYMBOLS_H
#define MXSYS_SWIFI_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct symbol {
	uint64_t address;
	uint64_t size;
	char *name;
	bool is_function;
};

struct symbol_table {
	struct symbol *symbols;
	size_t count;
	size_t capacity;
};

/* Returns 0 or ENOMEM. name is copied. */
int symbol_table_add(struct symbol_table *table, const char *name,
		     uint64_t address, uint64_t size, bool is_function);
void symbol_table_free(struct symbol_table *table);

/*
 * The symbol whose [address, address + size) holds address; among nested
 * ones the innermost (the one that starts last). NULL if none does.
 */
const struct symbol *symbol_table_lookup(const struct symbol_table *table,
					 uint64_t address);

/*
 * The functions called name (a static function may have several), up to
 * max of them into found. Returns how many there are.
 */
size_t symbol_table_find_functions(const struct symbol_table *table,
				   const char *name,
				   const struct symbol **found, size_t max);

/* "name+0x1c" (or "name" at offset 0) into out; false if no symbol holds it. */
bool symbol_table_format(const struct symbol_table *table, uint64_t address,
			 char *out, size_t outlen);

#endif /* MXSYS_SWIFI_SYMBOLS_H */
