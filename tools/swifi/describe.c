// SPDX-License-Identifier: MIT
/* Text and JSON descriptions of injected faults. */
#include "describe.h"

#include <inttypes.h>
#include <string.h>

#include "json.h"

static void print_hex_bytes(FILE *out, const uint8_t *bytes, size_t length,
			    const char *separator)
{
	for (size_t i = 0; i < length; i++)
		fprintf(out, "%s%02x", i ? separator : "", bytes[i]);
}

static const char *signal_name(int signal)
{
	const char *name = sigabbrev_np(signal);

	return name ? name : "?";
}

static void describe_text_fault(FILE *out, const struct fault *fault,
				size_t number)
{
	fprintf(out, "fault %zu: %s seed=%" PRIu64 "\n", number,
		fault_type_name(fault->type), fault->seed);
	if (fault->tid)
		fprintf(out, "  thread     %d\n", (int)fault->tid);
	if (fault->length) {
		fprintf(out, "  address    0x%" PRIx64 " %s", fault->address,
			fault->location);
		if (fault->object[0])
			fprintf(out, " (%s)", fault->object);
		fputs("\n  bytes      ", out);
		print_hex_bytes(out, fault->old_bytes, fault->length, " ");
		fputs(" -> ", out);
		print_hex_bytes(out, fault->new_bytes, fault->length, " ");
		fputc('\n', out);
	}
	if (fault->old_insn[0])
		fprintf(out, "  insn       %s -> %s\n", fault->old_insn,
			fault->new_insn);
	if (fault->reg[0])
		fprintf(out, "  register   %s\n", fault->reg);
	if (fault->bit >= 0)
		fprintf(out, "  bit        %d\n", fault->bit);
	if (fault->has_value)
		fprintf(out, "  value      0x%" PRIx64 " -> 0x%" PRIx64 "\n",
			fault->old_value, fault->new_value);
	if (fault->signal)
		fprintf(out, "  signal     SIG%s\n", signal_name(fault->signal));
	if (fault->activation != ACTIVATION_NOT_WATCHED)
		fprintf(out, "  activation %s (watched 0x%" PRIx64 ")\n",
			activation_name(fault->activation), fault->watch_address);
}

void describe_text(FILE *out, const struct run_info *run,
		   const struct fault *faults, size_t count)
{
	fprintf(out, "pid %d, type %s, seed %" PRIu64 ", %zu fault%s%s\n",
		(int)run->pid, fault_type_name(run->requested), run->seed,
		count, count == 1 ? "" : "s",
		run->dry_run ? " (dry run: nothing written)" : "");
	for (size_t i = 0; i < count; i++)
		describe_text_fault(out, &faults[i], i + 1);
}

/* A key with a string value, or null when the string is empty. */
static void json_text(FILE *out, const char *key, const char *text)
{
	fprintf(out, ",\"%s\":", key);
	if (text[0])
		json_print_string(out, text);
	else
		fputs("null", out);
}

static void json_hex(FILE *out, const char *key, bool present, uint64_t value)
{
	if (present)
		fprintf(out, ",\"%s\":\"0x%" PRIx64 "\"", key, value);
	else
		fprintf(out, ",\"%s\":null", key);
}

static void json_bytes(FILE *out, const char *key, const uint8_t *bytes,
		       size_t length)
{
	fprintf(out, ",\"%s\":", key);
	if (!length) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	print_hex_bytes(out, bytes, length, "");
	fputc('"', out);
}

static void describe_json_fault(FILE *out, const struct fault *fault)
{
	fprintf(out, "{\"type\":\"%s\",\"seed\":%" PRIu64,
		fault_type_name(fault->type), fault->seed);
	if (fault->tid)
		fprintf(out, ",\"tid\":%d", (int)fault->tid);
	else
		fputs(",\"tid\":null", out);
	json_hex(out, "address", fault->length != 0, fault->address);
	json_text(out, "location", fault->location);
	json_text(out, "object", fault->object);
	fprintf(out, ",\"length\":%zu", fault->length);
	json_bytes(out, "old_bytes", fault->old_bytes, fault->length);
	json_bytes(out, "new_bytes", fault->new_bytes, fault->length);
	json_text(out, "old_insn", fault->old_insn);
	json_text(out, "new_insn", fault->new_insn);
	json_text(out, "register", fault->reg);
	if (fault->bit >= 0)
		fprintf(out, ",\"bit\":%d", fault->bit);
	else
		fputs(",\"bit\":null", out);
	json_hex(out, "old_value", fault->has_value, fault->old_value);
	json_hex(out, "new_value", fault->has_value, fault->new_value);
	if (fault->signal)
		fprintf(out, ",\"signal\":\"SIG%s\"", signal_name(fault->signal));
	else
		fputs(",\"signal\":null", out);
	json_hex(out, "watch_address", fault->watch_address != 0,
		 fault->watch_address);
	fprintf(out, ",\"activation\":\"%s\"}", activation_name(fault->activation));
}

void describe_json(FILE *out, const struct run_info *run,
		   const struct fault *faults, size_t count)
{
	fprintf(out, "{\"pid\":%d,\"seed\":%" PRIu64 ",\"type\":\"%s\","
		"\"dry_run\":%s,\"faults\":[", (int)run->pid, run->seed,
		fault_type_name(run->requested), run->dry_run ? "true" : "false");
	for (size_t i = 0; i < count; i++) {
		if (i)
			fputc(',', out);
		describe_json_fault(out, &faults[i]);
	}
	fputs("]}\n", out);
}
