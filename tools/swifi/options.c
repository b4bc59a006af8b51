// SPDX-License-Identifier: MIT
/* Parsing and checking mxsys-swifi's options. */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "select_thread.h"
#include "debugreg.h"

/* A whole unsigned number in C notation; no sign, no space, no junk. */
static bool parse_u64(const char *text, uint64_t *value, const char **end)
{
	char *stop;

	if (!isdigit((unsigned char)text[0]))
		return false;
	errno = 0;
	*value = strtoull(text, &stop, 0);
	if (errno == ERANGE || stop == text)
		return false;
	if (end)
		*end = stop;
	else if (*stop)
		return false;
	return true;
}

bool parse_address_range(const char *text, struct address_range *range)
{
	uint64_t start, second;
	const char *rest;

	if (!parse_u64(text, &start, &rest) || (*rest != '-' && *rest != '+'))
		return false;
	if (!parse_u64(rest + 1, &second, NULL))
		return false;
	if (*rest == '+') {
		if (second == 0 || start + second < start)
			return false;
		second += start;
	}
	if (second <= start)
		return false;
	range->start = start;
	range->end = second;
	return true;
}

bool parse_window_ms(const char *text, unsigned int *ms)
{
	uint32_t window;

	if (duration_parse_ms(text, DURATION_BARE_SECONDS, 0, &window) != 0 ||
	    window == 0 || window > SWIFI_MAX_ACTIVATION_MS)
		return false;
	*ms = window;
	return true;
}

static const struct option long_options[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "type", required_argument, NULL, 't' },
	{ "seed", required_argument, NULL, 's' },
	{ "count", required_argument, NULL, 'n' },
	{ "function", required_argument, NULL, 'f' },
	{ "range", required_argument, NULL, 'r' },
	{ "object", required_argument, NULL, 'o' },
	{ "register", required_argument, NULL, 'R' },
	{ "signal", required_argument, NULL, 'S' },
	{ "activation", required_argument, NULL, 'a' },
	{ "coverage", required_argument, NULL, 'C' },
	{ "dry-run", no_argument, NULL, 'd' },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int fail(char *err, size_t errlen, const char *what, const char *value)
{
	snprintf(err, errlen, "%s: '%s'", what, value);
	return -1;
}

/* --activation and --coverage: a time window, and the option is on. */
static int take_window(const char *option, const char *arg, unsigned int *ms,
		       bool *on, char *err, size_t errlen)
{
	if (!parse_window_ms(arg, ms)) {
		snprintf(err, errlen, "%s wants a time window (N, Ns or Nms; "
			 "at most 3600s): '%s'", option, arg);
		return -1;
	}
	*on = true;
	return 0;
}

static int take_option(int opt, const char *arg, struct swifi_options *options,
		       char *err, size_t errlen)
{
	uint64_t number;

	switch (opt) {
	case 'p':
		if (!parse_u64(arg, &number, NULL) || number == 0 ||
		    number > INT_MAX)
			return fail(err, errlen, "--pid wants a process id", arg);
		options->pid = (pid_t)number;
		return 0;
	case 't':
		if (!fault_type_parse(arg, &options->type))
			return fail(err, errlen, "unknown fault type (see --help)",
				    arg);
		options->type_given = true;
		return 0;
	case 's':
		if (!parse_u64(arg, &options->seed, NULL))
			return fail(err, errlen, "--seed wants a number", arg);
		options->seed_given = true;
		return 0;
	case 'n':
		if (!parse_u64(arg, &number, NULL) || number == 0 ||
		    number > SWIFI_MAX_FAULTS)
			return fail(err, errlen, "--count wants 1 to 1000", arg);
		options->count = (unsigned int)number;
		return 0;
	case 'f':
		if (!arg[0])
			return fail(err, errlen, "--function wants a name", arg);
		if (options->function_count == SWIFI_MAX_FUNCTIONS)
			return fail(err, errlen, "too many --function options",
				    arg);
		options->functions[options->function_count++] = arg;
		return 0;
	case 'r':
		if (options->range_count == SWIFI_MAX_RANGES)
			return fail(err, errlen, "too many --range options", arg);
		if (!parse_address_range(arg, &options->ranges[options->range_count]))
			return fail(err, errlen, "--range wants START-END or "
				    "START+LENGTH (END above START)", arg);
		options->range_count++;
		return 0;
	case 'o':
		if (!arg[0])
			return fail(err, errlen, "--object wants a file name", arg);
		options->object = arg;
		return 0;
	case 'R':
		if (!register_name_valid(arg)) {
			snprintf(err, errlen, "unknown register '%s' (one of: %s)",
				 arg, register_names());
			return -1;
		}
		options->reg = arg;
		return 0;
	case 'S':
		options->signal = crash_signal_parse(arg);
		if (!options->signal)
			return fail(err, errlen, "--signal is SEGV, BUS, ILL or FPE",
				    arg);
		return 0;
	case 'a':
		return take_window("--activation", arg, &options->activation_ms,
				   &options->watch_activation, err, errlen);
	case 'C':
		return take_window("--coverage", arg, &options->coverage_ms,
				   &options->coverage, err, errlen);
	case 'd':
		options->dry_run = true;
		return 0;
	case 'j':
		options->json = true;
		return 0;
	default:
		return -1;
	}
}

/* Options that make no sense together, or with this fault type. */
static int check_combination(const struct swifi_options *options, char *err,
			     size_t errlen)
{
	enum fault_type type = options->type;
	bool code = fault_type_is_code(type) || type == FAULT_RANDOM;
	bool memory = fault_type_is_memory(type);
	bool single = type == FAULT_WHILE1 || type == FAULT_HANG ||
		      type == FAULT_SIGNAL;

	if (options->pid == 0)
		snprintf(err, errlen, "say which process: --pid PID");
	else if (options->coverage &&
		 (options->type_given || options->seed_given ||
		  options->count > 1 || options->range_count || options->reg ||
		  options->signal || options->watch_activation ||
		  options->dry_run))
		snprintf(err, errlen, "--coverage injects nothing: only "
			 "--function, --object and --json go with it");
	else if (options->function_count && !code)
		snprintf(err, errlen, "--function goes with the code fault types, "
			 "not %s", fault_type_name(type));
	else if (options->range_count && !code && !memory)
		snprintf(err, errlen, "--range goes with code and memory faults, "
			 "not %s", fault_type_name(type));
	else if (options->range_count && options->function_count)
		snprintf(err, errlen, "--range and --function exclude each other");
	else if (options->object && !code && type != FAULT_DATA &&
		 type != FAULT_BSS && type != FAULT_POINTER)
		snprintf(err, errlen, "--object goes with code, data, bss and "
			 "pointer faults, not %s", fault_type_name(type));
	else if (options->object && options->range_count)
		snprintf(err, errlen, "--range names addresses: no --object with it");
	else if (options->reg && type != FAULT_REGISTER)
		snprintf(err, errlen, "--register goes with --type reg");
	else if (options->signal && type != FAULT_SIGNAL)
		snprintf(err, errlen, "--signal goes with --type signal");
	else if (single && options->count > 1)
		snprintf(err, errlen, "a %s fault happens once: no --count",
			 fault_type_name(type));
	else if (options->watch_activation && options->dry_run)
		snprintf(err, errlen, "--activation runs the target: not with "
			 "--dry-run");
	else if (options->watch_activation && options->count > DEBUGREG_SLOTS)
		snprintf(err, errlen, "--activation watches at most %d faults "
			 "(x86 has %d debug registers)", DEBUGREG_SLOTS,
			 DEBUGREG_SLOTS);
	else
		return 0;
	return -1;
}

int options_parse(int argc, char **argv, struct swifi_options *options,
		  char *err, size_t errlen)
{
	int opt;

	memset(options, 0, sizeof(*options));
	options->type = FAULT_RANDOM;
	options->count = 1;
	err[0] = '\0';
	optind = 0;	/* glibc: start over, also for a second call */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":p:t:s:n:f:r:o:R:S:a:C:djh",
				  long_options, NULL)) != -1) {
		if (opt == 'h') {
			options->help = true;
			return 0;
		}
		if (opt == '?') {
			snprintf(err, errlen, "unknown option '%s'",
				 argv[optind - 1]);
			return -1;
		}
		if (opt == ':') {
			snprintf(err, errlen, "option '%s' needs a value",
				 argv[optind - 1]);
			return -1;
		}
		if (take_option(opt, optarg, options, err, errlen) != 0)
			return -1;
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return check_combination(options, err, errlen);
}
