// SPDX-License-Identifier: MIT
/* Classification and the CSV form of one campaign run. */
#include "run.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const class_names[RUN_CLASSES] = {
	[RUN_NOT_INJECTED] = "not-injected",
	[RUN_NOT_MANIFESTED] = "not-manifested",
	[RUN_CRASH_RECOVERED] = "crash-recovered",
	[RUN_HANG_RECOVERED] = "hang-recovered",
	[RUN_CLIENT_FAILURE] = "client-failure",
	[RUN_NOT_RECOVERED] = "not-recovered",
	[RUN_OS_FAILURE] = "os-failure",
};

const char *run_class_name(enum run_class class)
{
	if ((unsigned int)class >= RUN_CLASSES)
		return NULL;
	return class_names[class];
}

int run_class_from_name(const char *name)
{
	for (int i = 0; i < RUN_CLASSES; i++)
		if (!strcmp(name, class_names[i]))
			return i;
	return -1;
}

bool run_class_manifested(enum run_class class)
{
	return class != RUN_NOT_INJECTED && class != RUN_NOT_MANIFESTED &&
	       (unsigned int)class < RUN_CLASSES;
}

bool run_class_recovered(enum run_class class)
{
	return class == RUN_CRASH_RECOVERED || class == RUN_HANG_RECOVERED;
}

enum run_class run_classify(const struct run *run)
{
	if (run->inject_status != 0)
		return RUN_NOT_INJECTED;
	/* The architecture's promise is that these survive every fault in
	 * a service: a loss is the worst outcome, whatever the target did. */
	if (!run->rs_up || !run->module_up || !run->ds_up)
		return RUN_OS_FAILURE;
	if (run->died) {
		if (!run->recovered)
			return RUN_NOT_RECOVERED;
		/* The runner never kills the target: a SIGKILL came from RS,
		 * which sends it only for a missed heartbeat. */
		return run->signal == 9 ? RUN_HANG_RECOVERED : RUN_CRASH_RECOVERED;
	}
	if (run->client_failed || run->client_wrong || run->client_lost ||
	    !run->client_ok)
		return RUN_CLIENT_FAILURE;
	return RUN_NOT_MANIFESTED;
}

const char run_csv_header[] =
	"run,target,type,seed,faults,inject_status,location,died,signal,"
	"exit_code,recovered,recovery_us,client_ok,client_failed,"
	"client_wrong,client_lost,max_stall_us,rs_up,module_up,ds_up,class,"
	"activated";

#define RUN_COLUMNS	22

int run_format_csv(const struct run *run, char *buf, size_t len)
{
	const char *class = run_class_name(run->class);
	int n = snprintf(buf, len,
		"%" PRIu64 ",%s,%s,%" PRIu64 ",%" PRIu64 ",%d,%s,%d,%d,%d,%d,"
		"%" PRId64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ","
		"%" PRIu64 ",%d,%d,%d,%s,%d",
		run->index, run->target, run->type, run->seed, run->faults,
		run->inject_status, run->location, run->died, run->signal,
		run->exit_code, run->recovered, run->recovery_us,
		run->client_ok, run->client_failed, run->client_wrong,
		run->client_lost, run->max_stall_us, run->rs_up,
		run->module_up, run->ds_up, class ? class : "?",
		run->activated);

	return n < 0 || (size_t)n >= len ? ENOSPC : 0;
}

void run_set_text(char *field, const char *text)
{
	size_t i;

	for (i = 0; text[i] && i < RUN_TEXT_MAX - 1; i++) {
		unsigned char c = (unsigned char)text[i];

		field[i] = c == ',' || c == '"' || c < 0x20 || c == 0x7f ?
			   '_' : (char)c;
	}
	field[i] = '\0';
	if (!i)
		strcpy(field, "-");
}

static bool parse_u64(const char *text, uint64_t *value)
{
	char *end;

	if (!*text || *text == '-' || *text == '+')
		return false;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || *end)
		return false;
	*value = v;
	return true;
}

static bool parse_i64(const char *text, int64_t *value)
{
	char *end;

	if (!*text)
		return false;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (errno || *end)
		return false;
	*value = v;
	return true;
}

static bool parse_int(const char *text, int *value)
{
	int64_t v;

	if (!parse_i64(text, &v) || v < INT_MIN || v > INT_MAX)
		return false;
	*value = (int)v;
	return true;
}

static bool parse_bool(const char *text, bool *value)
{
	if (strcmp(text, "0") && strcmp(text, "1"))
		return false;
	*value = text[0] == '1';
	return true;
}

static bool parse_text(const char *text, char *field)
{
	if (!*text || strlen(text) >= RUN_TEXT_MAX)
		return false;
	strcpy(field, text);
	return true;
}

int run_parse_csv(const char *line, struct run *run, int *column)
{
	char copy[1024], *fields[RUN_COLUMNS + 1];
	size_t len = strcspn(line, "\r\n");
	int count = 0;
	char *p;

	*column = 0;
	if (len >= sizeof(copy))
		return EINVAL;
	memcpy(copy, line, len);
	copy[len] = '\0';
	for (p = copy;;) {
		if (count == RUN_COLUMNS + 1)
			return EINVAL;
		fields[count++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (count != RUN_COLUMNS && count != RUN_COLUMNS - 1)
		return EINVAL;

	memset(run, 0, sizeof(*run));
	int c = 0;
#define FIELD(ok) do { bool ok_ = (ok); if (!ok_) { *column = c + 1; return EINVAL; } c++; } while (0)
	FIELD(parse_u64(fields[c], &run->index));
	FIELD(parse_text(fields[c], run->target));
	FIELD(parse_text(fields[c], run->type));
	FIELD(parse_u64(fields[c], &run->seed));
	FIELD(parse_u64(fields[c], &run->faults));
	FIELD(parse_int(fields[c], &run->inject_status));
	FIELD(parse_text(fields[c], run->location));
	FIELD(parse_bool(fields[c], &run->died));
	FIELD(parse_int(fields[c], &run->signal));
	FIELD(parse_int(fields[c], &run->exit_code));
	FIELD(parse_bool(fields[c], &run->recovered));
	FIELD(parse_i64(fields[c], &run->recovery_us));
	FIELD(parse_u64(fields[c], &run->client_ok));
	FIELD(parse_u64(fields[c], &run->client_failed));
	FIELD(parse_u64(fields[c], &run->client_wrong));
	FIELD(parse_u64(fields[c], &run->client_lost));
	FIELD(parse_u64(fields[c], &run->max_stall_us));
	FIELD(parse_bool(fields[c], &run->rs_up));
	FIELD(parse_bool(fields[c], &run->module_up));
	FIELD(parse_bool(fields[c], &run->ds_up));
	int class = run_class_from_name(fields[c]);
	FIELD(class >= 0);
	run->activated = -1;
	if (count == RUN_COLUMNS)
		FIELD(parse_int(fields[c], &run->activated) &&
		      run->activated >= -1);
#undef FIELD
	run->class = (enum run_class)class;
	return 0;
}
