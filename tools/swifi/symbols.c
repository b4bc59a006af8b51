// SPDX-License-Identifier: MIT
/* Symbol lookup by address and by name. */
#include "symbols.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int symbol_table_add(struct symbol_table *table, const char *name,
		     uint64_t address, uint64_t size, bool is_function)
{
	struct symbol *symbol;

	if (table->count == table->capacity) {
		size_t bigger = table->capacity ? table->capacity * 2 : 256;
		struct symbol *more = realloc(table->symbols,
					      bigger * sizeof(*more));

		if (!more)
			return ENOMEM;
		table->symbols = more;
		table->capacity = bigger;
	}
	symbol = &table->symbols[table->count];
	symbol->name = strdup(name);
	if (!symbol->name)
		return ENOMEM;
	symbol->address = address;
	symbol->size = size;
	symbol->is_function = is_function;
	table->count++;
	return 0;
}

void symbol_table_free(struct symbol_table *table)
{
	for (size_t i = 0; i < table->count; i++)
		free(table->symbols[i].name);
	free(table->symbols);
	memset(table, 0, sizeof(*table));
}

const struct symbol *symbol_table_lookup(const struct symbol_table *table,
					 uint64_t address)
{
	const struct symbol *best = NULL;

	for (size_t i = 0; i < table->count; i++) {
		const struct symbol *s = &table->symbols[i];

		if (address < s->address || address - s->address >= s->size)
			continue;
		if (!best || s->address > best->address)
			best = s;
	}
	return best;
}

size_t symbol_table_find_functions(const struct symbol_table *table,
				   const char *name,
				   const struct symbol **found, size_t max)
{
	size_t count = 0;

	for (size_t i = 0; i < table->count; i++) {
		const struct symbol *s = &table->symbols[i];

		if (!s->is_function || strcmp(s->name, name) != 0)
			continue;
		/* The same function under one name twice (.symtab aliases). */
		bool again = false;

		for (size_t j = 0; j < count && j < max; j++)
			if (found[j]->address == s->address)
				again = true;
		if (again)
			continue;
		if (count < max)
			found[count] = s;
		count++;
	}
	return count;
}

bool symbol_table_format(const struct symbol_table *table, uint64_t address,
			 char *out, size_t outlen)
{
	const struct symbol *s = symbol_table_lookup(table, address);

	if (!s)
		return false;
	if (address == s->address)
		snprintf(out, outlen, "%s", s->name);
	else
		snprintf(out, outlen, "%s+0x%" PRIx64, s->name,
			 address - s->address);
	return true;
}
