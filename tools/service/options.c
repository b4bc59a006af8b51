// SPDX-License-Identifier: MIT
/*
 * The options of up, run, edit and update. MINIX's syntax: the binary (or
 * `self` for update) comes first, then words with one value each
 * ("-label hello"), in any order; a repeated option keeps the last value.
 *
 * The MINIX options that mean nothing on Linux are either refused with
 * ENOSYS and the reason, when ignoring them would silently change what the
 * user asked for, or accepted and ignored, when they only tune MINIX's
 * memory manager. minix-service(8) lists both under "LEFT OUT".
 */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

_Static_assert(sizeof(RS_SINGLE_SCRIPT) <= RS_MAX_SCRIPT_LEN,
	       "RS_SINGLE_SCRIPT does not fit in rss_script");

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* What one start action's options have said so far. */
struct start_parse {
	struct service_cmd *cmd;
	const char *action;		/* for messages */
	long clk_tck;
	const char *default_label;	/* -progname, else the basename */
	bool self;			/* update self */
	bool label_given;
	bool state_given;
	bool script_given;
};

typedef int option_parser(struct start_parse *p, const char *option,
			  const char *value, char err[SERVICE_ERRLEN]);

int service_copy_label(char label[RS_MAX_LABEL_LEN], const char *text,
		       const char *action, char err[SERVICE_ERRLEN])
{
	if (text[0] == '\0')
		return service_fail(EINVAL, err, "%s: empty label", action);
	if (strlen(text) >= RS_MAX_LABEL_LEN)
		return service_fail(EINVAL, err,
				    "%s: label %.40s%s: longer than %d bytes",
				    action, text, strlen(text) > 40 ? "..." : "",
				    RS_MAX_LABEL_LEN - 1);
	snprintf(label, RS_MAX_LABEL_LEN, "%s", text);
	return 0;
}

/* A decimal number made of digits only; false if empty or too big. */
static bool parse_decimal(const char *text, unsigned long long max,
			  unsigned long long *value)
{
	const char *c;
	char *end;

	if (text[0] == '\0')
		return false;
	for (c = text; *c; c++)
		if (!isdigit((unsigned char)*c))
			return false;
	errno = 0;
	*value = strtoull(text, &end, 10);
	return errno != ERANGE && *end == '\0' && *value <= max;
}

/* RS splits the arguments on spaces; count what it will see. */
static size_t count_words(const char *text)
{
	size_t words = 0;
	bool in_word = false;

	for (; *text; text++) {
		if (*text == ' ') {
			in_word = false;
		} else if (!in_word) {
			in_word = true;
			words++;
		}
	}
	return words;
}

static int check_binary(const char *action, const char *path,
			char err[SERVICE_ERRLEN])
{
	struct stat st;

	if (path[0] != '/')
		return service_fail(EINVAL, err, "%s: %s: not an absolute path",
				    action, path);
	if (strlen(path) >= RS_MAX_COMMAND_LEN)
		return service_fail(EINVAL, err,
				    "%s: binary path longer than %d bytes",
				    action, RS_MAX_COMMAND_LEN - 1);
	if (stat(path, &st) < 0)
		return service_fail(EINVAL, err, "%s: %s: %s", action, path,
				    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return service_fail(EINVAL, err, "%s: %s: not a regular file",
				    action, path);
	return 0;
}

static int parse_args(struct start_parse *p, const char *option,
		      const char *value, char err[SERVICE_ERRLEN])
{
	struct rs_request *req = &p->cmd->req;

	if (strlen(value) >= sizeof(req->rss_args))
		return service_fail(EINVAL, err, "%s: %s longer than %zu bytes",
				    p->action, option,
				    sizeof(req->rss_args) - 1);
	if (count_words(value) > MAX_NR_ARGS)
		return service_fail(EINVAL, err,
				    "%s: %s: at most %d arguments",
				    p->action, option, MAX_NR_ARGS);
	snprintf(req->rss_args, sizeof(req->rss_args), "%s", value);
	return 0;
}

static int parse_label(struct start_parse *p, const char *option,
		       const char *value, char err[SERVICE_ERRLEN])
{
	(void)option;
	p->label_given = true;
	return service_copy_label(p->cmd->req.rss_label, value, p->action,
				  err);
}

/*
 * The program name selects the system.conf entry; cutting it would select
 * another one, so a long one is refused rather than cut like a label.
 */
static int parse_progname(struct start_parse *p, const char *option,
			  const char *value, char err[SERVICE_ERRLEN])
{
	struct rs_request *req = &p->cmd->req;

	if (value[0] == '\0')
		return service_fail(EINVAL, err, "%s: empty %s", p->action,
				    option);
	if (strlen(value) >= sizeof(req->rss_progname))
		return service_fail(EINVAL, err,
				    "%s: %s %s: longer than %zu bytes",
				    p->action, option, value,
				    sizeof(req->rss_progname) - 1);
	snprintf(req->rss_progname, sizeof(req->rss_progname), "%s", value);
	p->default_label = value;
	return 0;
}

static int parse_time(struct start_parse *p, const char *option,
		      const char *value, uint32_t *ms,
		      char err[SERVICE_ERRLEN])
{
	if (service_parse_time_ms(value, p->clk_tck, ms) != 0)
		return service_fail(EINVAL, err,
				    "%s: %s %s: not a time (N ticks, Ns or NHZ seconds, or Nms; at most %d ms)",
				    p->action, option, value, INT32_MAX);
	return 0;
}

static int parse_period(struct start_parse *p, const char *option,
			const char *value, char err[SERVICE_ERRLEN])
{
	struct rs_request *req = &p->cmd->req;
	uint32_t ms;
	int r;

	r = parse_time(p, option, value, &ms, err);
	if (r)
		return r;
	req->rss_period_ms = ms;
	/* edit changes only what is given, and 0 is a period too. */
	req->rss_flags |= RSS_PERIOD_SET;
	return 0;
}

static int parse_maxtime(struct start_parse *p, const char *option,
			 const char *value, char err[SERVICE_ERRLEN])
{
	uint32_t ms;
	int r;

	r = parse_time(p, option, value, &ms, err);
	if (r)
		return r;
	/* As MINIX: omitted = 0 = RS's default (2 s); an explicit 0 = none. */
	p->cmd->req.rss_maxtime_ms = ms ? (int32_t)ms : -1;
	return 0;
}

/*
 * MINIX takes a number or, for anything else, an expression that its
 * services evaluate against their own state (SEF_LU_STATE_EVAL). Linux
 * services have no evaluator, so an expression is refused.
 */
static int parse_state(struct start_parse *p, const char *option,
		       const char *value, char err[SERVICE_ERRLEN])
{
	const char *digits = value;
	unsigned long long state;

	if (parse_decimal(value, INT32_MAX, &state)) {
		if (state == 0)
			return service_fail(EINVAL, err,
					    "%s: %s 0: states are numbered from 1",
					    p->action, option);
		p->cmd->req.rss_state = (int32_t)state;
		p->state_given = true;
		return 0;
	}
	if (*digits == '-' || *digits == '+')
		digits++;
	if (isdigit((unsigned char)*digits) || value[0] == '\0')
		return service_fail(EINVAL, err,
				    "%s: %s %s: not a state number (1 to %d)",
				    p->action, option, value, INT32_MAX);
	return service_fail(ENOSYS, err,
			    "%s: %s %s: state expressions (MINIX's EVAL state) are not available on Linux, give a state number",
			    p->action, option, value);
}

static int parse_script(struct start_parse *p, const char *option,
			const char *value, char err[SERVICE_ERRLEN])
{
	struct rs_request *req = &p->cmd->req;

	if (value[0] != '/')
		return service_fail(EINVAL, err,
				    "%s: %s %s: not an absolute path",
				    p->action, option, value);
	if (strlen(value) >= sizeof(req->rss_script))
		return service_fail(EINVAL, err, "%s: %s longer than %zu bytes",
				    p->action, option,
				    sizeof(req->rss_script) - 1);
	snprintf(req->rss_script, sizeof(req->rss_script), "%s", value);
	p->script_given = true;
	return 0;
}

/* RS runs elsewhere: a relative path would name another file there. */
static int parse_config(struct start_parse *p, const char *option,
			const char *value, char err[SERVICE_ERRLEN])
{
	struct rs_request *req = &p->cmd->req;
	struct stat st;
	char *path;
	int r = 0;

	path = realpath(value, NULL);
	if (!path)
		return service_fail(EINVAL, err, "%s: %s %s: %s", p->action,
				    option, value, strerror(errno));
	if (stat(path, &st) < 0)
		r = service_fail(EINVAL, err, "%s: %s %s: %s", p->action,
				 option, value, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		r = service_fail(EINVAL, err, "%s: %s %s: not a regular file",
				 p->action, option, value);
	else if (strlen(path) >= sizeof(req->rss_config))
		r = service_fail(EINVAL, err,
				 "%s: %s %s: absolute path longer than %zu bytes",
				 p->action, option, value,
				 sizeof(req->rss_config) - 1);
	else
		snprintf(req->rss_config, sizeof(req->rss_config), "%s", path);
	free(path);
	return r;
}

/* MINIX's VM preallocates memory for a live update; Linux maps on demand. */
static int parse_ignored_bytes(struct start_parse *p, const char *option,
			       const char *value, char err[SERVICE_ERRLEN])
{
	unsigned long long bytes;

	if (!parse_decimal(value, ULLONG_MAX, &bytes))
		return service_fail(EINVAL, err,
				    "%s: %s %s: not a number of bytes",
				    p->action, option, value);
	return 0;
}

static const struct {
	const char *name;
	option_parser *parse;	/* NULL: refused with ENOSYS */
	const char *left_out;	/* why it is refused */
} start_options[] = {
	{ "-args", parse_args, NULL },
	{ "-label", parse_label, NULL },
	{ "-progname", parse_progname, NULL },
	{ "-period", parse_period, NULL },
	{ "-script", parse_script, NULL },
	{ "-config", parse_config, NULL },
	{ "-state", parse_state, NULL },
	{ "-maxtime", parse_maxtime, NULL },
	{ "-heap-prealloc", parse_ignored_bytes, NULL },
	{ "-map-prealloc", parse_ignored_bytes, NULL },
	{ "-dev", NULL,
	  "a Linux driver makes its own device node (hello uses CUSE); there is no major number to map" },
	{ "-devstyle", NULL,
	  "a Linux driver makes its own device node; there is no major number to map" },
	{ "-major", NULL,
	  "a Linux driver makes its own device node; there is no major number to map" },
	{ "-devid", NULL, "there is no device manager (devman)" },
	{ "-trg-label", NULL,
	  "a live update hands state only from a service to its own new instance" },
	{ "-ipc_bl", NULL,
	  "rs-daemon does not filter IPC while a service prepares for an update" },
	{ "-ipc_wl", NULL,
	  "rs-daemon does not filter IPC while a service prepares for an update" },
	{ "-asr-count", NULL,
	  "there is no address space randomization (ASR) of services" },
	{ "-restarts", NULL,
	  "the restart count only counts restarts that happened" },
};

static int parse_option(struct start_parse *p, const char *option,
			const char *value, char err[SERVICE_ERRLEN])
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(start_options); i++) {
		if (strcmp(option, start_options[i].name) != 0)
			continue;
		if (!start_options[i].parse)
			return service_fail(ENOSYS, err,
					    "%s: option %s is not available on Linux: %s",
					    p->action, option,
					    start_options[i].left_out);
		return start_options[i].parse(p, option, value, err);
	}
	return service_fail(EINVAL, err, "%s: unknown option %s", p->action,
			    option);
}

static int parse_target(struct start_parse *p, const char *target,
			char err[SERVICE_ERRLEN])
{
	struct rs_request *req = &p->cmd->req;

	if (p->cmd->action == SERVICE_UPDATE && strcmp(target, "self") == 0) {
		/* The service's own binary: RS knows it, none is sent. */
		p->self = true;
		req->rss_flags |= RSS_SELF_LU;
		return 0;
	}
	if (check_binary(p->action, target, err))
		return EINVAL;
	snprintf(req->rss_cmd, sizeof(req->rss_cmd), "%s", target);
	p->default_label = strrchr(target, '/') + 1;
	return 0;
}

int service_parse_start(int argc, char *const argv[], int i, long clk_tck,
			struct service_cmd *cmd, char err[SERVICE_ERRLEN])
{
	struct start_parse p = {
		.cmd = cmd,
		.action = service_action_name(cmd->action),
		.clk_tck = clk_tck,
	};
	struct rs_request *req = &cmd->req;
	int r;

	if (i >= argc)
		return service_fail(EINVAL, err, "%s: missing %s", p.action,
				    cmd->action == SERVICE_UPDATE ?
				    "binary or self" : "binary");
	r = parse_target(&p, argv[i++], err);
	if (r)
		return r;

	for (; i < argc; i += 2) {
		if (argv[i][0] != '-')
			return service_fail(EINVAL, err,
					    "%s: unexpected argument %s",
					    p.action, argv[i]);
		if (i + 1 >= argc)
			return service_fail(EINVAL, err, "%s: %s needs a value",
					    p.action, argv[i]);
		r = parse_option(&p, argv[i], argv[i + 1], err);
		if (r)
			return r;
	}

	if (!p.label_given) {
		/* Which service to change must be said, not guessed. */
		if (p.self)
			return service_fail(EINVAL, err,
					    "update self needs -label");
		if (cmd->action == SERVICE_EDIT)
			return service_fail(EINVAL, err, "edit needs -label");
		/*
		 * A label nobody typed: cut to fit, as MINIX does, rather
		 * than refuse a binary for its long name (minix-service(8)).
		 */
		if (p.default_label[0] == '\0')
			return service_fail(EINVAL, err, "%s: empty label",
					    p.action);
		snprintf(req->rss_label, RS_MAX_LABEL_LEN, "%s",
			 p.default_label);
	}
	/* MINIX's default state: ready when no work is in progress. */
	if (cmd->action == SERVICE_UPDATE && !p.state_given)
		req->rss_state = 1;
	if (cmd->action == SERVICE_RUN && !p.script_given)
		snprintf(req->rss_script, sizeof(req->rss_script), "%s",
			 RS_SINGLE_SCRIPT);
	return 0;
}
