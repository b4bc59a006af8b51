// SPDX-License-Identifier: MIT
/* The instruction index and the draw of code faults. */
#include "select_code.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"

#define TEXT_WORD		4	/* MINIX swifi's word: 32 bits */
/*
 * How far an argument load may precede its call: further apart, the
 * register is rarely still meant for that call.
 */
#define INTERFACE_WINDOW	8

/* What INTERFACE needs of each instruction, kept while indexing. */
struct insn_context {
	int8_t arg_register;
	bool is_call;
	bool ends_block;
};

static int grow(struct code_index *index, struct insn_context **context,
		size_t *capacity)
{
	size_t bigger = *capacity ? *capacity * 2 : 1024;
	struct insn_record *insns;
	struct insn_context *more;

	insns = realloc(index->insns, bigger * sizeof(*insns));
	if (!insns)
		return ENOMEM;
	index->insns = insns;
	more = realloc(*context, bigger * sizeof(*more));
	if (!more)
		return ENOMEM;
	*context = more;
	*capacity = bigger;
	return 0;
}

/*
 * A load of an argument register qualifies for INTERFACE when a call
 * follows in the same straight run of code before the register is loaded
 * again: skipping it hands the callee a stale argument.
 */
static void mark_interface_faults(struct code_index *index,
				  const struct insn_context *context)
{
	for (size_t i = 0; i < index->count; i++) {
		int reg = context[i].arg_register;

		if (reg < 0)
			continue;
		for (size_t j = i + 1; j < index->count &&
		     j <= i + INTERFACE_WINDOW; j++) {
			const struct insn_record *prev = &index->insns[j - 1];

			if (index->insns[j].region != prev->region ||
			    index->insns[j].address != prev->address + prev->size)
				break;
			if (context[j].is_call) {
				index->insns[i].types |= 1u << FAULT_INTERFACE;
				break;
			}
			if (context[j].ends_block || context[j].arg_register == reg)
				break;
		}
	}
}

int code_index_build(struct decoder *decoder, const struct code_region *regions,
		     size_t region_count, struct code_index *index)
{
	struct insn_context *context = NULL;
	size_t capacity = 0;
	int r = 0;

	memset(index, 0, sizeof(*index));
	index->regions = regions;
	index->region_count = region_count;
	for (size_t n = 0; n < region_count && r == 0; n++) {
		const struct code_region *region = &regions[n];
		size_t at = 0;

		while (at < region->size) {
			uint64_t address = region->address + at;
			struct insn_traits traits;
			const cs_insn *insn;

			if (!decoder_decode(decoder, region->bytes + at,
					    region->size - at, address)) {
				at++;
				continue;
			}
			insn = decoder->insn;
			at += insn->size;
			if (address < region->start)
				continue;
			if (index->count == capacity &&
			    (r = grow(index, &context, &capacity)) != 0)
				break;
			insn_classify(insn, &traits);
			index->insns[index->count] = (struct insn_record){
				.address = address,
				.region = (uint32_t)n,
				.size = (uint8_t)insn->size,
				.types = (uint16_t)traits.types,
			};
			context[index->count] = (struct insn_context){
				.arg_register = (int8_t)traits.arg_register,
				.is_call = traits.is_call,
				.ends_block = traits.ends_block,
			};
			index->count++;
		}
	}
	if (r == 0)
		mark_interface_faults(index, context);
	free(context);
	if (r)
		code_index_free(index);
	return r;
}

void code_index_free(struct code_index *index)
{
	free(index->insns);
	memset(index, 0, sizeof(*index));
}

size_t code_index_count(const struct code_index *index, enum fault_type type)
{
	size_t count = 0;

	for (size_t i = 0; i < index->count; i++)
		if (index->insns[i].types & (1u << type))
			count++;
	return count;
}

static const uint8_t *record_bytes(const struct code_index *index,
				   const struct insn_record *record)
{
	const struct code_region *region = &index->regions[record->region];

	return region->bytes + (record->address - region->address);
}

static void describe_change(struct decoder *decoder, uint64_t address,
			    const uint8_t *old_bytes, const uint8_t *new_bytes,
			    size_t length, struct fault *fault)
{
	decoder_disassemble(decoder, old_bytes, length, address,
			    fault->old_insn, sizeof(fault->old_insn));
	decoder_disassemble(decoder, new_bytes, length, address,
			    fault->new_insn, sizeof(fault->new_insn));
}

/* The instruction that holds the byte at address, or NULL. */
static const struct insn_record *insn_at(const struct code_index *index,
					 uint32_t region, uint64_t address)
{
	for (size_t i = 0; i < index->count; i++) {
		const struct insn_record *record = &index->insns[i];

		if (record->region == region && record->address <= address &&
		    address < record->address + record->size)
			return record;
	}
	return NULL;
}

/* Aligned words of a region that lie wholly in its fault range. */
static uint64_t region_words(const struct code_region *region, uint64_t *first)
{
	uint64_t end = region->address + region->size;

	*first = (region->start + TEXT_WORD - 1) & ~(uint64_t)(TEXT_WORD - 1);
	return *first + TEXT_WORD <= end ? (end - *first) / TEXT_WORD : 0;
}

static int select_text_fault(struct decoder *decoder,
			     const struct code_index *index, struct rng *rng,
			     struct fault *fault)
{
	uint64_t total = 0, pick, first = 0, words = 0;
	const struct code_region *region = NULL;
	const struct insn_record *insn;
	uint32_t n;

	for (n = 0; n < index->region_count; n++)
		total += region_words(&index->regions[n], &first);
	if (total == 0)
		return ENOENT;
	pick = rng_below(rng, total);
	for (n = 0; n < index->region_count; n++) {
		region = &index->regions[n];
		words = region_words(region, &first);
		if (pick < words)
			break;
		pick -= words;
	}
	fault->address = first + pick * TEXT_WORD;
	fault->length = TEXT_WORD;
	fault->bit = (int)rng_below(rng, TEXT_WORD * 8);
	memcpy(fault->old_bytes, region->bytes + (fault->address - region->address),
	       TEXT_WORD);
	memcpy(fault->new_bytes, fault->old_bytes, TEXT_WORD);
	fault->new_bytes[fault->bit / 8] ^= (uint8_t)(1u << (fault->bit % 8));

	/* The instruction that the flipped bit lands in is what must run. */
	insn = insn_at(index, n, fault->address + (uint64_t)fault->bit / 8);
	fault->watch_address = insn ? insn->address : fault->address;
	if (insn) {
		uint8_t flipped[X86_MAX_INSN_LEN];
		const uint8_t *bytes = record_bytes(index, insn);
		uint64_t at = fault->address + (uint64_t)fault->bit / 8;

		memcpy(flipped, bytes, insn->size);
		flipped[at - insn->address] ^= (uint8_t)(1u << (fault->bit % 8));
		describe_change(decoder, insn->address, bytes, flipped,
				insn->size, fault);
	}
	return 0;
}

static int select_insn_fault(struct decoder *decoder,
			     const struct code_index *index,
			     enum fault_type type, struct rng *rng,
			     struct fault *fault)
{
	size_t count = 0, *candidates;
	int r = ENOENT;

	candidates = malloc((index->count ? index->count : 1) * sizeof(*candidates));
	if (!candidates)
		return ENOMEM;
	for (size_t i = 0; i < index->count; i++)
		if (index->insns[i].types & (1u << type))
			candidates[count++] = i;

	/*
	 * Draw among the candidates; one that the fault turns out not to
	 * apply to (no qualifying bit) leaves the pool and the draw is
	 * repeated, which keeps the choice uniform over those that qualify.
	 */
	while (count > 0) {
		size_t k = (size_t)rng_below(rng, count);
		const struct insn_record *record = &index->insns[candidates[k]];
		const uint8_t *bytes = record_bytes(index, record);
		uint8_t new_bytes[X86_MAX_INSN_LEN];
		int bit;

		if (decoder_decode(decoder, bytes, record->size, record->address) &&
		    insn_mutate(decoder, type, decoder->insn, rng, new_bytes, &bit)) {
			fault->address = record->address;
			fault->length = record->size;
			fault->bit = bit;
			memcpy(fault->old_bytes, bytes, record->size);
			memcpy(fault->new_bytes, new_bytes, record->size);
			fault->watch_address = record->address;
			describe_change(decoder, record->address, bytes,
					new_bytes, record->size, fault);
			r = 0;
			break;
		}
		candidates[k] = candidates[--count];
	}
	free(candidates);
	return r;
}

static int select_one_type(struct decoder *decoder,
			   const struct code_index *index,
			   enum fault_type type, struct rng *rng,
			   struct fault *fault)
{
	fault->type = type;
	if (type == FAULT_TEXT)
		return select_text_fault(decoder, index, rng, fault);
	return select_insn_fault(decoder, index, type, rng, fault);
}

int select_code_fault(struct decoder *decoder, const struct code_index *index,
		      enum fault_type type, struct rng *rng,
		      struct fault *fault)
{
	enum fault_type pool[FAULT_CODE_TYPES];
	size_t left = 0;
	int r;

	if (type != FAULT_RANDOM) {
		if (!fault_type_is_code(type))
			return EINVAL;
		return select_one_type(decoder, index, type, rng, fault);
	}
	/* RANDOM: uniform over the code types that have a candidate. */
	for (unsigned int t = 0; t < FAULT_CODE_TYPES; t++)
		pool[left++] = (enum fault_type)t;
	while (left > 0) {
		size_t k = (size_t)rng_below(rng, left);

		r = select_one_type(decoder, index, pool[k], rng, fault);
		if (r != ENOENT)
			return r;
		pool[k] = pool[--left];
	}
	return ENOENT;
}
