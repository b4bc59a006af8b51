// SPDX-License-Identifier: MIT
/*
 * minix-service command-line parsing. MINIX's syntax is kept: flags are
 * single letters before the action (and may be combined, "-cn"); what
 * follows the action depends on it (options.c for up, run, edit, update).
 */
#include "parse.h"
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* What follows the action on the command line. */
enum action_syntax {
	SYNTAX_START,		/* binary|self, options: options.c */
	SYNTAX_LABEL,		/* exactly one label */
	SYNTAX_NONE,		/* nothing */
	SYNTAX_SYSCTL,		/* one sysctl request name */
	SYNTAX_STATUS,		/* [-j] [label] */
	SYNTAX_MONITOR,		/* [-j] [-n N] */
	SYNTAX_LOGS,		/* [-f] [-n N] label, in any order */
};

static const struct {
	const char *name;
	enum service_action action;
	uint32_t rq_type;	/* 0: answered without a request */
	enum action_syntax syntax;
} actions[] = {
	{ "up", SERVICE_UP, RS_UP, SYNTAX_START },
	{ "run", SERVICE_RUN, RS_UP, SYNTAX_START },
	{ "edit", SERVICE_EDIT, RS_EDIT, SYNTAX_START },
	{ "update", SERVICE_UPDATE, RS_UPDATE, SYNTAX_START },
	{ "down", SERVICE_DOWN, RS_DOWN, SYNTAX_LABEL },
	{ "refresh", SERVICE_REFRESH, RS_REFRESH, SYNTAX_LABEL },
	{ "restart", SERVICE_RESTART, RS_RESTART, SYNTAX_LABEL },
	{ "clone", SERVICE_CLONE, RS_CLONE, SYNTAX_LABEL },
	{ "unclone", SERVICE_UNCLONE, RS_UNCLONE, SYNTAX_LABEL },
	{ "fi", SERVICE_FI, RS_FI, SYNTAX_LABEL },
	{ "lookup", SERVICE_LOOKUP, RS_LOOKUP, SYNTAX_LABEL },
	{ "dump", SERVICE_DUMP, RS_DUMP, SYNTAX_LABEL },
	{ "shutdown", SERVICE_SHUTDOWN, RS_SHUTDOWN, SYNTAX_NONE },
	{ "reload", SERVICE_RELOAD, RS_RELOAD, SYNTAX_NONE },
	{ "sysctl", SERVICE_SYSCTL, RS_SYSCTL, SYNTAX_SYSCTL },
	{ "status", SERVICE_STATUS, RS_STATUS, SYNTAX_STATUS },
	{ "monitor", SERVICE_MONITOR, 0, SYNTAX_MONITOR },
	{ "logs", SERVICE_LOGS, 0, SYNTAX_LOGS },
};

static const struct {
	const char *name;
	uint32_t subtype;
} sysctls[] = {
	{ "srv_status", RS_SYSCTL_SRV_STATUS },
	{ "upd_start", RS_SYSCTL_UPD_START },
	{ "upd_run", RS_SYSCTL_UPD_RUN },
	{ "upd_stop", RS_SYSCTL_UPD_STOP },
	{ "upd_status", RS_SYSCTL_UPD_STATUS },
};

/*
 * MINIX's flags. The letters with no meaning on Linux are either ignored
 * (ignored = true: they only tune MINIX internals, nothing a user could
 * observe changes) or refused (left_out says why: ignoring them would
 * quietly run something other than what was asked for).
 */
static const struct {
	char letter;
	uint32_t rss_flags;
	bool ignored;
	const char *left_out;
} flags[] = {
	{ 'b', RSS_NO_BIN_EXP, false, NULL },
	{ 'c', RSS_COPY, false, NULL },
	{ 'r', RSS_REUSE | RSS_COPY, false, NULL },	/* reuse implies copy */
	{ 'n', RSS_NOBLOCK, false, NULL },
	{ 'p', RSS_REPLICA, false, NULL },
	{ 'q', RSS_BATCH, false, NULL },
	{ 'o', RSS_PREPARE_ONLY_LU, false, NULL },
	{ 's', RSS_FORCE_SELF_LU, false, NULL },
	{ 'x', RSS_FORCE_INIT_CRASH, false, NULL },
	{ 'y', RSS_FORCE_INIT_FAIL, false, NULL },
	{ 'z', RSS_FORCE_INIT_TIMEOUT, false, NULL },
	{ 'd', RSS_FORCE_INIT_DEFCB, false, NULL },
	{ 'e', RSS_DETACH, false, NULL },
	{ 'f', RSS_NORESTART, false, NULL },
	{ 't', RSS_FORCE_INIT_ST, false, NULL },
	{ 'm', 0, true, NULL },		/* NOMMAP_LU: a hint to MINIX's VM */
	{ 'u', 0, true, NULL },		/* MINIX parses it and does nothing */
	{ 'a', 0, false,
	  "live update with address space randomization (ASR) needs MINIX's LLVM-rewritten binaries" },
};

const char *service_action_name(enum service_action action)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(actions); i++)
		if (actions[i].action == action)
			return actions[i].name;
	return action == SERVICE_HELP ? "help" : "?";
}

const char *service_sysctl_name(uint32_t subtype)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sysctls); i++)
		if (sysctls[i].subtype == subtype)
			return sysctls[i].name;
	return NULL;
}

const char *service_subject(const struct service_cmd *cmd)
{
	const char *name;

	if (cmd->action != SERVICE_SYSCTL)
		return cmd->req.rss_label;
	name = service_sysctl_name(cmd->req.rq_subtype);
	return name ? name : "";
}

static int parse_flags(const char *word, uint32_t *rss_flags,
		       bool *any, char err[SERVICE_ERRLEN])
{
	const char *letter;
	size_t i;

	if (word[1] == '\0')
		return service_fail(EINVAL, err, "empty flag '-'");
	for (letter = word + 1; *letter; letter++) {
		for (i = 0; i < ARRAY_SIZE(flags); i++)
			if (flags[i].letter == *letter)
				break;
		if (i == ARRAY_SIZE(flags))
			return service_fail(EINVAL, err, "unknown flag -%c",
					    *letter);
		if (flags[i].left_out)
			return service_fail(ENOSYS, err,
					    "flag -%c is not available on Linux: %s",
					    *letter, flags[i].left_out);
		*rss_flags |= flags[i].rss_flags;
		*any = true;
	}
	return 0;
}

static int parse_label_only(int argc, char *const argv[], int i,
			    struct service_cmd *cmd, char err[SERVICE_ERRLEN])
{
	const char *name = service_action_name(cmd->action);

	if (i >= argc)
		return service_fail(EINVAL, err, "%s: missing label", name);
	if (i + 1 < argc)
		return service_fail(EINVAL, err, "%s: unexpected argument %s",
				    name, argv[i + 1]);
	return service_copy_label(cmd->req.rss_label, argv[i], name, err);
}

static int parse_nothing(int argc, char *const argv[], int i,
			 struct service_cmd *cmd, char err[SERVICE_ERRLEN])
{
	if (i < argc)
		return service_fail(EINVAL, err, "%s: unexpected argument %s",
				    service_action_name(cmd->action), argv[i]);
	return 0;
}

static int parse_sysctl(int argc, char *const argv[], int i,
			struct service_cmd *cmd, char err[SERVICE_ERRLEN])
{
	static const char known[] =
		"srv_status, upd_start, upd_run, upd_stop or upd_status";
	size_t k;

	if (i >= argc)
		return service_fail(EINVAL, err, "sysctl: missing request (%s)",
				    known);
	if (i + 1 < argc)
		return service_fail(EINVAL, err,
				    "sysctl: unexpected argument %s",
				    argv[i + 1]);
	for (k = 0; k < ARRAY_SIZE(sysctls); k++) {
		if (strcmp(argv[i], sysctls[k].name) == 0) {
			cmd->req.rq_subtype = sysctls[k].subtype;
			return 0;
		}
	}
	return service_fail(EINVAL, err, "sysctl: unknown request %s (%s)",
			    argv[i], known);
}

static int parse_status(int argc, char *const argv[], int i,
			struct service_cmd *cmd, char err[SERVICE_ERRLEN])
{
	const char *label = NULL;

	for (; i < argc; i++) {
		if (strcmp(argv[i], "-j") == 0) {
			cmd->json = true;
		} else if (argv[i][0] == '-') {
			return service_fail(EINVAL, err,
					    "status: unknown option %s",
					    argv[i]);
		} else if (label) {
			return service_fail(EINVAL, err,
					    "status: more than one label");
		} else {
			label = argv[i];
		}
	}
	cmd->all = label == NULL;
	if (label)
		return service_copy_label(cmd->req.rss_label, label, "status",
					  err);
	return 0;
}

/* argv[*i] is -n: its value, a decimal number >= min, into *n. */
static int parse_count(int argc, char *const argv[], int *i,
		       const char *action, unsigned long long min,
		       uint64_t *n, char err[SERVICE_ERRLEN])
{
	unsigned long long value;
	char *end;

	if (++*i >= argc)
		return service_fail(EINVAL, err, "%s: -n needs a number",
				    action);
	errno = 0;
	value = strtoull(argv[*i], &end, 10);
	if (argv[*i][0] < '0' || argv[*i][0] > '9' || *end != '\0' ||
	    errno == ERANGE || value < min)
		return service_fail(EINVAL, err,
				    "%s: -n %s: not a %s number", action,
				    argv[*i], min ? "positive" : "non-negative");
	*n = value;
	return 0;
}

static int parse_monitor(int argc, char *const argv[], int i,
			 struct service_cmd *cmd, char err[SERVICE_ERRLEN])
{
	int r;

	for (; i < argc; i++) {
		if (strcmp(argv[i], "-j") == 0) {
			cmd->json = true;
		} else if (strcmp(argv[i], "-n") == 0) {
			r = parse_count(argc, argv, &i, "monitor", 1,
					&cmd->max_events, err);
			if (r)
				return r;
		} else {
			return service_fail(EINVAL, err,
					    "monitor: unexpected argument %s",
					    argv[i]);
		}
	}
	return 0;
}

static int parse_logs(int argc, char *const argv[], int i,
		      struct service_cmd *cmd, char err[SERVICE_ERRLEN])
{
	const char *label = NULL;
	int r;

	for (; i < argc; i++) {
		if (strcmp(argv[i], "-f") == 0) {
			cmd->follow = true;
		} else if (strcmp(argv[i], "-n") == 0) {
			r = parse_count(argc, argv, &i, "logs", 0,
					&cmd->last_lines, err);
			if (r)
				return r;
			cmd->last_given = true;
		} else if (argv[i][0] == '-') {
			return service_fail(EINVAL, err,
					    "logs: unknown option %s", argv[i]);
		} else if (label) {
			return service_fail(EINVAL, err,
					    "logs: more than one label");
		} else {
			label = argv[i];
		}
	}
	if (!label)
		return service_fail(EINVAL, err, "logs: missing label");
	return service_copy_label(cmd->req.rss_label, label, "logs", err);
}

static bool is_help(const char *word)
{
	return strcmp(word, "-h") == 0 || strcmp(word, "--help") == 0 ||
	       strcmp(word, "help") == 0;
}

int service_parse(int argc, char *const argv[], long clk_tck,
		  struct service_cmd *cmd, char err[SERVICE_ERRLEN])
{
	bool flags_given = false;
	const char *word;
	size_t k;
	int i, r;

	memset(cmd, 0, sizeof(*cmd));
	err[0] = '\0';

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (is_help(argv[i])) {
			cmd->action = SERVICE_HELP;
			return 0;
		}
		r = parse_flags(argv[i], &cmd->req.rss_flags, &flags_given,
				err);
		if (r)
			return r;
	}
	if (i >= argc)
		return service_fail(EINVAL, err, "missing action");
	word = argv[i++];
	if (is_help(word)) {
		cmd->action = SERVICE_HELP;
		return 0;
	}
	for (k = 0; k < ARRAY_SIZE(actions); k++)
		if (strcmp(word, actions[k].name) == 0)
			break;
	/* As MINIX: an unknown request type is ENOSYS, not a usage error. */
	if (k == ARRAY_SIZE(actions))
		return service_fail(ENOSYS, err, "unknown action %s", word);
	cmd->action = actions[k].action;
	cmd->req.rq_type = actions[k].rq_type;

	if ((cmd->req.rss_flags & RSS_BATCH) && cmd->action != SERVICE_UPDATE)
		return service_fail(EINVAL, err,
				    "flag -q only applies to update");
	if (flags_given && actions[k].syntax != SYNTAX_START)
		return service_fail(EINVAL, err,
				    "%s: flags only apply to up, run, edit and update",
				    word);

	switch (actions[k].syntax) {
	case SYNTAX_START:
		return service_parse_start(argc, argv, i, clk_tck, cmd, err);
	case SYNTAX_LABEL:
		return parse_label_only(argc, argv, i, cmd, err);
	case SYNTAX_NONE:
		return parse_nothing(argc, argv, i, cmd, err);
	case SYNTAX_SYSCTL:
		return parse_sysctl(argc, argv, i, cmd, err);
	case SYNTAX_STATUS:
		return parse_status(argc, argv, i, cmd, err);
	case SYNTAX_MONITOR:
		return parse_monitor(argc, argv, i, cmd, err);
	case SYNTAX_LOGS:
		return parse_logs(argc, argv, i, cmd, err);
	}
	return service_fail(EINVAL, err, "%s: not handled", word);
}
