// SPDX-License-Identifier: MIT
/*
 * The run: the I/O around the pure choosers. The target is stopped (every
 * thread) from attach to detach, so the bytes chosen from are the bytes
 * overwritten.
 */
#include "inject.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "activation.h"
#include "coverage.h"
#include "decoder.h"
#include "describe.h"
#include "select_code.h"
#include "select_memory.h"
#include "select_thread.h"
#include "target.h"
#include "tracee.h"

/* The most regions one run reads: one per --function or --range match. */
#define MAX_REGIONS	(SWIFI_MAX_FUNCTIONS * 4 + SWIFI_MAX_RANGES + 4)
/* Static functions sharing one name, per object. */
#define MAX_NAMESAKES	8

struct run {
	const struct swifi_options *options;
	uint64_t seed;
	struct target target;
	bool target_open;
	struct tracee tracee;
	bool attached;
	struct decoder decoder;
	bool decoder_open;
	struct code_region code[MAX_REGIONS];
	struct memory_region memory[MAX_REGIONS];
	uint8_t *bytes[MAX_REGIONS];	/* what code[] or memory[] point to */
	size_t region_count;
	struct fault *faults;
	struct coverage_plan plan;	/* --coverage */
	char err[768];
};

__attribute__((format(printf, 3, 4)))
static int fail(struct run *run, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(run->err, sizeof(run->err), fmt, ap);
	va_end(ap);
	return status;
}

/* Copy [start, end) of the target; the copy's index, or -1 (run->err set). */
static int read_region(struct run *run, uint64_t start, uint64_t end)
{
	size_t n = run->region_count;
	uint8_t *bytes;
	int r;

	if (n == MAX_REGIONS) {
		fail(run, 0, "too many regions");
		return -1;
	}
	bytes = malloc(end - start);
	if (!bytes) {
		fail(run, 0, "out of memory for %" PRIu64 " bytes", end - start);
		return -1;
	}
	r = tracee_read(&run->tracee, start, bytes, end - start);
	if (r) {
		free(bytes);
		fail(run, 0, "cannot read 0x%" PRIx64 "-0x%" PRIx64 " of pid %d: %s",
		     start, end, (int)run->options->pid, strerror(r));
		return -1;
	}
	run->bytes[n] = bytes;
	run->region_count++;
	return (int)n;
}

static int add_code(struct run *run, uint64_t decode_from, uint64_t start,
		    uint64_t end)
{
	int n = read_region(run, decode_from, end);

	if (n < 0)
		return SWIFI_EXIT_TARGET;
	run->code[n] = (struct code_region){
		.address = decode_from, .bytes = run->bytes[n],
		.size = end - decode_from, .start = start,
	};
	return 0;
}

/* [start, end), cut to the --range options if there are any. */
static int add_memory(struct run *run, uint64_t start, uint64_t end)
{
	const struct swifi_options *options = run->options;

	for (size_t i = 0; i < options->range_count || i == 0; i++) {
		uint64_t s = start, e = end;
		int n;

		if (options->range_count) {
			const struct address_range *range = &options->ranges[i];

			s = range->start > start ? range->start : start;
			e = range->end < end ? range->end : end;
		}
		if (s >= e)
			continue;
		n = read_region(run, s, e);
		if (n < 0)
			return SWIFI_EXIT_FAILED;
		run->memory[n] = (struct memory_region){
			.address = s, .bytes = run->bytes[n], .size = e - s,
		};
	}
	return 0;
}

static struct target_object *chosen_object(struct run *run, int *status)
{
	struct target_object *object = run->target.main;

	if (run->options->object) {
		object = target_object_named(&run->target, run->options->object);
		if (!object) {
			*status = fail(run, SWIFI_EXIT_TARGET, "pid %d has no "
				       "object named %s* mapped",
				       (int)run->options->pid,
				       run->options->object);
			return NULL;
		}
	}
	if (!target_image(&run->target, object, run->err, sizeof(run->err))) {
		*status = SWIFI_EXIT_TARGET;
		return NULL;
	}
	return object;
}

/* Add the functions called name from one object; how many, or -1. */
static int add_functions_of(struct run *run, struct target_object *object,
			    const char *name, int *status)
{
	const struct symbol *found[MAX_NAMESAKES];
	const struct elf_image *image;
	size_t count;
	char ignored[256];

	image = target_image(&run->target, object, ignored, sizeof(ignored));
	if (!image)
		return 0;	/* not ELF (a locale archive) or unreadable */
	count = symbol_table_find_functions(&image->symbols, name, found,
					    MAX_NAMESAKES);
	if (count > MAX_NAMESAKES)
		count = MAX_NAMESAKES;
	for (size_t i = 0; i < count; i++) {
		uint64_t start = found[i]->address + object->bias;

		if (found[i]->size == 0) {
			*status = fail(run, SWIFI_EXIT_TARGET, "function %s has no "
				       "size in the symbols of %s", name,
				       object->path);
			return -1;
		}
		*status = add_code(run, start, start, start + found[i]->size);
		if (*status)
			return -1;
	}
	return (int)count;
}

/* --function: the main executable's (or --object's) first, then the libraries'. */
static int add_functions(struct run *run)
{
	const struct swifi_options *options = run->options;
	int status = 0;

	for (size_t f = 0; f < options->function_count; f++) {
		const char *name = options->functions[f];
		struct target_object *first = chosen_object(run, &status);
		int found;

		if (!first)
			return status;
		found = add_functions_of(run, first, name, &status);
		for (size_t i = 0; found == 0 && !options->object &&
		     i < run->target.object_count; i++)
			if (&run->target.objects[i] != first)
				found = add_functions_of(run, &run->target.objects[i],
							 name, &status);
		if (found < 0)
			return status;
		if (found == 0)
			return fail(run, SWIFI_EXIT_TARGET, "no function %s in %s%s",
				    name, first->path, options->object ? "" :
				    " or the libraries of its process");
	}
	return 0;
}

/* --range for code: decoding starts at the function the range starts in. */
static int add_code_ranges(struct run *run)
{
	const struct swifi_options *options = run->options;

	for (size_t i = 0; i < options->range_count; i++) {
		const struct address_range *range = &options->ranges[i];
		struct target_object *object;
		uint64_t decode_from = range->start;

		if (!target_range_mapped(&run->target, range->start, range->end,
					 true))
			return fail(run, SWIFI_EXIT_TARGET, "range 0x%" PRIx64
				    "-0x%" PRIx64 " is not wholly executable "
				    "code of pid %d", range->start, range->end,
				    (int)options->pid);
		object = target_object_at(&run->target, range->start);
		if (object) {
			char ignored[256];
			const struct elf_image *image = target_image(
				&run->target, object, ignored, sizeof(ignored));
			const struct symbol *symbol = image ? symbol_table_lookup(
				&image->symbols, range->start - object->bias) : NULL;

			if (symbol && symbol->is_function)
				decode_from = symbol->address + object->bias;
		}
		int status = add_code(run, decode_from, range->start, range->end);

		if (status)
			return status;
	}
	return 0;
}

static int gather_code(struct run *run)
{
	const struct swifi_options *options = run->options;
	struct target_object *object;
	int status = 0;
	uint64_t start;

	if (options->function_count)
		return add_functions(run);
	if (options->range_count)
		return add_code_ranges(run);
	object = chosen_object(run, &status);
	if (!object)
		return status;
	if (object->image.text.size == 0)
		return fail(run, SWIFI_EXIT_TARGET, "no .text section in %s",
			    object->path);
	start = object->image.text.address + object->bias;
	return add_code(run, start, start, start + object->image.text.size);
}

static int add_section(struct run *run, const struct target_object *object,
		       const struct elf_span *span)
{
	uint64_t start = span->address + object->bias;

	return span->size ? add_memory(run, start, start + span->size) : 0;
}

static int add_mapping(struct run *run, const char *name, uint64_t from)
{
	const struct map_entry *entry = maps_find_named(run->target.maps,
							run->target.map_count,
							name);

	if (!entry)
		return 0;
	return add_memory(run, from > entry->start ? from : entry->start,
			  entry->end);
}

static int gather_memory(struct run *run)
{
	enum fault_type type = run->options->type;
	struct target_object *object = NULL;
	struct user_regs_struct regs;
	int status = 0;

	if (type == FAULT_DATA || type == FAULT_BSS || type == FAULT_POINTER) {
		object = chosen_object(run, &status);
		if (!object)
			return status;
	}
	if (type == FAULT_DATA || type == FAULT_POINTER)
		status = add_section(run, object, &object->image.data);
	if (!status && (type == FAULT_BSS || type == FAULT_POINTER))
		status = add_section(run, object, &object->image.bss);
	if (!status && (type == FAULT_HEAP || type == FAULT_POINTER))
		status = add_mapping(run, "[heap]", 0);
	if (!status && type == FAULT_STACK) {
		/* Below the stack pointer is free stack: no live data there. */
		int r = tracee_get_regs(run->options->pid, &regs);

		if (r)
			return fail(run, SWIFI_EXIT_FAILED, "cannot read the "
				    "registers of pid %d: %s",
				    (int)run->options->pid, strerror(r));
		status = add_mapping(run, "[stack]", regs.rsp);
	}
	return status;
}

static int no_candidate(struct run *run)
{
	const struct swifi_options *options = run->options;
	const char *where = options->function_count ? "function" :
			    options->range_count ? "the ranges given" :
			    fault_type_is_code(options->type) ||
			    options->type == FAULT_RANDOM ? "the .text chosen" :
			    "the memory chosen";

	return fail(run, SWIFI_EXIT_NO_CANDIDATE, "nothing in %s%s%s qualifies "
		    "for a %s fault", where, options->function_count ? " " : "",
		    options->function_count ? options->functions[0] : "",
		    fault_type_name(options->type));
}

static int choose_code_faults(struct run *run)
{
	struct code_index index;
	int r, status = 0;

	if (decoder_open(&run->decoder, run->err, sizeof(run->err)) != 0)
		return SWIFI_EXIT_FAILED;
	run->decoder_open = true;
	if (code_index_build(&run->decoder, run->code, run->region_count,
			     &index) != 0)
		return fail(run, SWIFI_EXIT_FAILED, "out of memory decoding");
	for (unsigned int i = 0; i < run->options->count && !status; i++) {
		struct fault *fault = &run->faults[i];
		struct rng rng;

		rng_seed(&rng, fault->seed);
		r = select_code_fault(&run->decoder, &index, run->options->type,
				      &rng, fault);
		if (r == ENOENT)
			status = no_candidate(run);
		else if (r)
			status = fail(run, SWIFI_EXIT_FAILED, "choosing a fault: %s",
				      strerror(r));
	}
	code_index_free(&index);
	return status;
}

static int readable_mappings(struct run *run, struct address_range **ranges,
			     size_t *count)
{
	*count = 0;
	*ranges = malloc((run->target.map_count + 1) * sizeof(**ranges));
	if (!*ranges)
		return fail(run, SWIFI_EXIT_FAILED, "out of memory");
	for (size_t i = 0; i < run->target.map_count; i++)
		if (run->target.maps[i].readable)
			(*ranges)[(*count)++] = (struct address_range){
				run->target.maps[i].start, run->target.maps[i].end,
			};
	return 0;
}

static int choose_memory_faults(struct run *run)
{
	struct address_range *mapped = NULL;
	size_t mapped_count = 0;
	int status = 0;

	if (run->options->type == FAULT_POINTER)
		status = readable_mappings(run, &mapped, &mapped_count);
	for (unsigned int i = 0; i < run->options->count && !status; i++) {
		struct fault *fault = &run->faults[i];
		struct rng rng;
		int r;

		rng_seed(&rng, fault->seed);
		if (run->options->type == FAULT_POINTER)
			r = select_pointer_corruption(run->memory, run->region_count,
						      mapped, mapped_count, &rng,
						      fault);
		else
			r = select_word_flip(run->memory, run->region_count, &rng,
					     fault);
		if (r)
			status = no_candidate(run);
	}
	free(mapped);
	return status;
}

/* Register faults are chosen and written together: each flip sees the last. */
static int inject_register_faults(struct run *run)
{
	pid_t tid = run->options->pid;
	struct user_regs_struct regs;
	int r = tracee_get_regs(tid, &regs);

	if (r)
		return fail(run, SWIFI_EXIT_FAILED, "cannot read the registers "
			    "of pid %d: %s", (int)tid, strerror(r));
	for (unsigned int i = 0; i < run->options->count; i++) {
		struct rng rng;

		rng_seed(&rng, run->faults[i].seed);
		run->faults[i].tid = tid;
		select_register_flip(&regs, run->options->reg, &rng,
				     &run->faults[i]);
	}
	if (!run->options->dry_run && (r = tracee_set_regs(tid, &regs)) != 0)
		return fail(run, SWIFI_EXIT_FAILED, "cannot write the registers "
			    "of pid %d: %s", (int)tid, strerror(r));
	return 0;
}

static int choose_while1(struct run *run)
{
	struct user_regs_struct regs;
	uint8_t old_bytes[WHILE1_LENGTH];
	int r = tracee_get_regs(run->options->pid, &regs);

	if (r == 0)
		r = tracee_read(&run->tracee, regs.rip, old_bytes, WHILE1_LENGTH);
	if (r)
		return fail(run, SWIFI_EXIT_FAILED, "cannot read where pid %d "
			    "runs: %s", (int)run->options->pid, strerror(r));
	run->faults[0].tid = run->options->pid;
	select_while1(regs.rip, old_bytes, &run->faults[0]);
	return 0;
}

static bool is_bit_flip(const struct fault *fault)
{
	return fault->bit >= 0 && (fault->type == FAULT_TEXT ||
				   fault_type_is_memory(fault->type));
}

/*
 * Write the faults in order. The old bytes are read again first: when two
 * faults of one run touch the same bytes, the second starts from the
 * first's result, and a bit flip flips what is there.
 */
static int write_faults(struct run *run)
{
	for (unsigned int i = 0; i < run->options->count; i++) {
		struct fault *fault = &run->faults[i];
		uint64_t value;
		int r;

		if (fault->length == 0)
			continue;
		r = tracee_read(&run->tracee, fault->address, fault->old_bytes,
				fault->length);
		if (r)
			return fail(run, SWIFI_EXIT_FAILED, "cannot read 0x%" PRIx64
				    ": %s", fault->address, strerror(r));
		if (is_bit_flip(fault)) {
			memcpy(fault->new_bytes, fault->old_bytes, fault->length);
			fault->new_bytes[fault->bit / 8] ^=
				(uint8_t)(1u << (fault->bit % 8));
		}
		if (fault->has_value) {
			memcpy(&value, fault->old_bytes, sizeof(value));
			fault->old_value = value;
			memcpy(&value, fault->new_bytes, sizeof(value));
			fault->new_value = value;
		}
		target_describe_address(&run->target, fault->address,
					fault->location, sizeof(fault->location),
					fault->object, sizeof(fault->object));
		if (run->options->dry_run)
			continue;
		r = tracee_write(&run->tracee, fault->address, fault->new_bytes,
				 fault->length);
		if (r)
			return fail(run, SWIFI_EXIT_FAILED, "cannot write 0x%" PRIx64
				    ": %s", fault->address, strerror(r));
	}
	return 0;
}

static int watch_activation(struct run *run)
{
	struct watch watches[DEBUGREG_SLOTS];
	struct fault *watched[DEBUGREG_SLOTS];
	size_t count = 0;

	for (unsigned int i = 0; i < run->options->count; i++) {
		struct fault *fault = &run->faults[i];

		if (!fault->watch_address)
			continue;
		watches[count] = (struct watch){
			.address = fault->watch_address,
			.kind = fault_type_is_memory(fault->type) ?
				DEBUGREG_ACCESS_8 : DEBUGREG_EXECUTE,
			.written_value = fault->new_value,
		};
		watched[count++] = fault;
	}
	if (count == 0)
		return 0;
	if (activation_watch(&run->tracee, watches, count,
			     run->options->activation_ms, run->err,
			     sizeof(run->err)) != 0)
		return SWIFI_EXIT_FAILED;
	for (size_t i = 0; i < count; i++)
		watched[i]->activation = watches[i].result;
	return 0;
}

static int inject(struct run *run)
{
	const struct swifi_options *options = run->options;
	enum fault_type type = options->type;
	int status = 0;

	if (fault_type_is_code(type) || type == FAULT_RANDOM) {
		status = gather_code(run);
		if (!status)
			status = choose_code_faults(run);
	} else if (fault_type_is_memory(type)) {
		status = gather_memory(run);
		if (!status)
			status = choose_memory_faults(run);
	} else if (type == FAULT_REGISTER) {
		status = inject_register_faults(run);
	} else if (type == FAULT_WHILE1) {
		status = choose_while1(run);
	} else if (type == FAULT_HANG) {
		run->faults[0].signal = SIGSTOP;
	} else if (type == FAULT_SIGNAL) {
		struct rng rng;

		rng_seed(&rng, run->faults[0].seed);
		select_signal(options->signal, &rng, &run->faults[0]);
	}
	if (!status)
		status = write_faults(run);
	if (!status && options->watch_activation)
		status = watch_activation(run);
	return status;
}

/* --coverage: the golden run, into the chosen object's functions. */
static int golden_run(struct run *run)
{
	const struct swifi_options *options = run->options;
	struct target_object *object;
	int status = 0;

	object = chosen_object(run, &status);
	if (!object)
		return status;
	if (coverage_plan_make(&run->plan, &object->image.symbols, object->bias,
			       options->functions, options->function_count))
		return fail(run, SWIFI_EXIT_FAILED, "out of memory");
	if (run->plan.count == 0)
		return fail(run, SWIFI_EXIT_NO_CANDIDATE, "no function%s%s with "
			    "a size in the symbols of %s",
			    options->function_count ? " named " : "",
			    options->function_count ? options->functions[0] : "",
			    object->path);
	if (coverage_run(&run->plan, &run->tracee, options->coverage_ms,
			 run->err, sizeof(run->err)) != 0)
		return SWIFI_EXIT_FAILED;
	return 0;
}

static void describe(struct run *run, FILE *out)
{
	const struct swifi_options *options = run->options;

	if (options->coverage) {
		struct coverage_info info = {
			.pid = options->pid, .window_ms = options->coverage_ms,
			.object = options->object ? options->object :
				  run->target.main->path,
		};

		if (options->json)
			coverage_describe_json(out, &info, &run->plan);
		else
			coverage_describe_text(out, &info, &run->plan);
	} else {
		struct run_info info = {
			.pid = options->pid, .seed = run->seed,
			.requested = options->type, .dry_run = options->dry_run,
		};

		if (options->json)
			describe_json(out, &info, run->faults, options->count);
		else
			describe_text(out, &info, run->faults, options->count);
	}
	fflush(out);
}

static uint64_t default_seed(void)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return ((uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec) ^
	       ((uint64_t)getpid() << 32);
}

static void finish(struct run *run)
{
	if (run->decoder_open)
		decoder_close(&run->decoder);
	if (run->attached)
		tracee_detach(&run->tracee);
	if (run->target_open)
		target_close(&run->target);
	for (size_t i = 0; i < run->region_count; i++)
		free(run->bytes[i]);
	free(run->faults);
	coverage_plan_free(&run->plan);
}

int swifi_run(const struct swifi_options *options, FILE *out, FILE *errout)
{
	struct run *run = calloc(1, sizeof(*run));
	int status;

	if (!run) {
		fputs("mxsys-swifi: out of memory\n", errout);
		return SWIFI_EXIT_FAILED;
	}
	run->options = options;
	run->seed = options->seed_given ? options->seed : default_seed();
	run->faults = calloc(options->count, sizeof(*run->faults));
	for (unsigned int i = 0; run->faults && i < options->count; i++)
		fault_init(&run->faults[i], options->type, run->seed + i);

	if (!run->faults) {
		status = fail(run, SWIFI_EXIT_FAILED, "out of memory");
	} else if (target_open(&run->target, options->pid, run->err,
			       sizeof(run->err)) != 0) {
		status = SWIFI_EXIT_TARGET;
	} else {
		run->target_open = true;
		if (tracee_attach(&run->tracee, options->pid, run->err,
				  sizeof(run->err)) != 0) {
			status = SWIFI_EXIT_TARGET;
		} else {
			run->attached = true;
			status = options->coverage ? golden_run(run) : inject(run);
		}
	}
	if (run->attached) {
		tracee_detach(&run->tracee);
		run->attached = false;
		/* Delivered once the threads run again, not to the tracer. */
		if (!status && !options->dry_run && run->faults[0].signal &&
		    kill(options->pid, run->faults[0].signal) != 0)
			status = fail(run, SWIFI_EXIT_FAILED, "cannot signal pid "
				      "%d: %s", (int)options->pid, strerror(errno));
	}
	if (status)
		fprintf(errout, "mxsys-swifi: %s\n", run->err);
	else
		describe(run, out);
	finish(run);
	free(run);
	return status;
}
