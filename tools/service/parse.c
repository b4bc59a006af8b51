// SPDX-License-Identifier: MIT
/*
 * minix-service command-line parsing. MINIX's syntax is kept: flags are
 * single letters before the action (and may be combined, "-cn"); options
 * after the binary are words with one value each ("-label hello").
 */
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct {
	char letter;
	uint32_t rss_flags;
} supported_flags[] = {
	{ 'c', RSS_COPY },
	{ 'r', RSS_REUSE | RSS_COPY },	/* MINIX: reuse implies copy */
	{ 'n', RSS_NOBLOCK },
	{ 'p', RSS_REPLICA },
	{ 'b', RSS_NO_BIN_EXP },
	{ 'q', RSS_BATCH },
};

/* MINIX flags that rs-daemon has no meaning for yet: refused by name. */
static const char unsupported_flags[] = "aosxyzdmeftu";

/* MINIX options of up/update that rs-daemon cannot honour yet. */
static const char *const unsupported_options[] = {
	"-config", "-dev", "-devstyle", "-major", "-devid", "-heap-prealloc",
	"-map-prealloc", "-trg-label", "-ipc_bl", "-ipc_wl", "-asr-count",
	"-restarts",
};

/* MINIX actions that are not in this release. */
static const char *const unsupported_actions[] = {
	"run", "edit", "update", "refresh", "restart", "clone", "unclone",
	"fi", "shutdown", "sysctl", "monitor",
};

static const char *const action_names[] = {
	[SERVICE_UP] = "up",
	[SERVICE_DOWN] = "down",
	[SERVICE_STATUS] = "status",
	[SERVICE_LOOKUP] = "lookup",
	[SERVICE_HELP] = "help",
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const char *service_action_name(enum service_action action)
{
	if ((size_t)action < ARRAY_SIZE(action_names))
		return action_names[action];
	return "?";
}

int service_parse_time_ms(const char *text, long clk_tck, uint32_t *ms)
{
	unsigned long long count, result;
	char *end;

	/* strtoull alone would accept " 5", "+5" and "-5". */
	if (!isdigit((unsigned char)text[0]))
		return EINVAL;
	errno = 0;
	count = strtoull(text, &end, 10);
	if (errno == ERANGE || count > INT32_MAX)
		return EINVAL;

	if (*end == '\0') {
		if (clk_tck <= 0)
			return EINVAL;
		result = (count * 1000 + (unsigned long long)clk_tck - 1) /
			 (unsigned long long)clk_tck;
	} else if (strcmp(end, "HZ") == 0) {
		result = count * 1000;
	} else if (strcmp(end, "ms") == 0) {
		result = count;
	} else {
		return EINVAL;
	}
	if (result > INT32_MAX)
		return EINVAL;
	*ms = (uint32_t)result;
	return 0;
}

/* Labels longer than RS_MAX_LABEL_LEN - 1 are cut, as MINIX's copy_label. */
static int set_label(char label[RS_MAX_LABEL_LEN], const char *text,
		     const char *action, char err[SERVICE_ERRLEN])
{
	if (text[0] == '\0')
		return service_fail(EINVAL, err, "%s: empty label", action);
	snprintf(label, RS_MAX_LABEL_LEN, "%s", text);
	return 0;
}

static int parse_flags(const char *word, uint32_t *rss_flags,
		       char err[SERVICE_ERRLEN])
{
	const char *letter;
	size_t i;

	if (word[1] == '\0')
		return service_fail(EINVAL, err, "empty flag '-'");
	for (letter = word + 1; *letter; letter++) {
		for (i = 0; i < ARRAY_SIZE(supported_flags); i++) {
			if (supported_flags[i].letter == *letter) {
				*rss_flags |= supported_flags[i].rss_flags;
				break;
			}
		}
		if (i < ARRAY_SIZE(supported_flags))
			continue;
		if (strchr(unsupported_flags, *letter))
			return service_fail(EINVAL, err,
					    "flag -%c is not supported yet",
					    *letter);
		return service_fail(EINVAL, err, "unknown flag -%c", *letter);
	}
	return 0;
}

/* RS splits the arguments on single spaces; count what it will see. */
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

static int check_binary(const char *path, char err[SERVICE_ERRLEN])
{
	struct stat st;

	if (path[0] != '/')
		return service_fail(EINVAL, err, "up: %s: not an absolute path",
				    path);
	if (strlen(path) >= RS_MAX_COMMAND_LEN)
		return service_fail(EINVAL, err,
				    "up: binary path longer than %d bytes",
				    RS_MAX_COMMAND_LEN - 1);
	if (stat(path, &st) < 0)
		return service_fail(EINVAL, err, "up: %s: %s", path,
				    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return service_fail(EINVAL, err, "up: %s: not a regular file",
				    path);
	return 0;
}

static int parse_time_option(const char *option, const char *value,
			     long clk_tck, uint32_t *ms,
			     char err[SERVICE_ERRLEN])
{
	if (service_parse_time_ms(value, clk_tck, ms) != 0)
		return service_fail(EINVAL, err,
				    "up: %s %s: not a time (N ticks, NHZ seconds or Nms, at most %d ms)",
				    option, value, INT32_MAX);
	return 0;
}

static int parse_up_option(const char *option, const char *value,
			   long clk_tck, struct rs_request *req,
			   const char **progname, bool *label_given,
			   char err[SERVICE_ERRLEN])
{
	uint32_t ms;
	size_t i;
	int r;

	if (strcmp(option, "-args") == 0) {
		if (strlen(value) >= RS_MAX_COMMAND_LEN)
			return service_fail(EINVAL, err,
					    "up: -args longer than %d bytes",
					    RS_MAX_COMMAND_LEN - 1);
		if (count_words(value) > MAX_NR_ARGS)
			return service_fail(EINVAL, err,
					    "up: -args: at most %d arguments",
					    MAX_NR_ARGS);
		snprintf(req->rss_args, sizeof(req->rss_args), "%s", value);
	} else if (strcmp(option, "-label") == 0) {
		r = set_label(req->rss_label, value, "up", err);
		if (r)
			return r;
		*label_given = true;
	} else if (strcmp(option, "-progname") == 0) {
		if (value[0] == '\0')
			return service_fail(EINVAL, err, "up: empty -progname");
		*progname = value;
	} else if (strcmp(option, "-period") == 0) {
		r = parse_time_option(option, value, clk_tck, &ms, err);
		if (r)
			return r;
		req->rss_period_ms = ms;
	} else if (strcmp(option, "-maxtime") == 0) {
		r = parse_time_option(option, value, clk_tck, &ms, err);
		if (r)
			return r;
		/* As MINIX: omitted = 0 = RS default; an explicit 0 = none. */
		req->rss_maxtime_ms = ms ? (int32_t)ms : -1;
	} else if (strcmp(option, "-state") == 0) {
		char *end;
		long state;

		errno = 0;
		state = strtol(value, &end, 10);
		if (!isdigit((unsigned char)value[0]) || *end != '\0' ||
		    errno == ERANGE || state <= 0 || state > INT32_MAX)
			return service_fail(EINVAL, err,
					    "up: -state %s: not a positive number",
					    value);
		req->rss_state = (int32_t)state;
	} else if (strcmp(option, "-script") == 0) {
		if (value[0] != '/')
			return service_fail(EINVAL, err,
					    "up: -script %s: not an absolute path",
					    value);
		if (strlen(value) >= RS_MAX_SCRIPT_LEN)
			return service_fail(EINVAL, err,
					    "up: -script longer than %d bytes",
					    RS_MAX_SCRIPT_LEN - 1);
		snprintf(req->rss_script, sizeof(req->rss_script), "%s",
			 value);
	} else {
		for (i = 0; i < ARRAY_SIZE(unsupported_options); i++)
			if (strcmp(option, unsupported_options[i]) == 0)
				return service_fail(EINVAL, err,
						    "up: option %s is not supported yet",
						    option);
		return service_fail(EINVAL, err, "up: unknown option %s",
				    option);
	}
	return 0;
}

static int parse_up(int argc, char *const argv[], int i, long clk_tck,
		    struct service_cmd *cmd, char err[SERVICE_ERRLEN])
{
	struct rs_request *req = &cmd->req;
	const char *binary, *progname, *slash;
	bool label_given = false;
	int r;

	if (req->rss_flags & RSS_BATCH)
		return service_fail(EINVAL, err,
				    "flag -q only applies to update");
	if (i >= argc)
		return service_fail(EINVAL, err, "up: missing binary");
	binary = argv[i++];
	r = check_binary(binary, err);
	if (r)
		return r;
	snprintf(req->rss_cmd, sizeof(req->rss_cmd), "%s", binary);
	slash = strrchr(binary, '/');
	progname = slash + 1;

	for (; i < argc; i += 2) {
		if (i + 1 >= argc)
			return service_fail(EINVAL, err, "up: %s needs a value",
					    argv[i]);
		r = parse_up_option(argv[i], argv[i + 1], clk_tck, req,
				    &progname, &label_given, err);
		if (r)
			return r;
	}
	if (!label_given)
		return set_label(req->rss_label, progname, "up", err);
	return 0;
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
		return set_label(cmd->req.rss_label, label, "status", err);
	return 0;
}

/* down and lookup: exactly one label. */
static int parse_label_only(int argc, char *const argv[], int i,
			    struct service_cmd *cmd, char err[SERVICE_ERRLEN])
{
	const char *name = service_action_name(cmd->action);

	if (i >= argc)
		return service_fail(EINVAL, err, "%s: missing label", name);
	if (i + 1 < argc)
		return service_fail(EINVAL, err, "%s: unexpected argument %s",
				    name, argv[i + 1]);
	return set_label(cmd->req.rss_label, argv[i], name, err);
}

static bool is_help(const char *word)
{
	return strcmp(word, "-h") == 0 || strcmp(word, "--help") == 0 ||
	       strcmp(word, "help") == 0;
}

int service_parse(int argc, char *const argv[], long clk_tck,
		  struct service_cmd *cmd, char err[SERVICE_ERRLEN])
{
	const char *action;
	size_t k;
	int i, r;

	memset(cmd, 0, sizeof(*cmd));
	err[0] = '\0';

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (is_help(argv[i])) {
			cmd->action = SERVICE_HELP;
			return 0;
		}
		r = parse_flags(argv[i], &cmd->req.rss_flags, err);
		if (r)
			return r;
	}
	if (i >= argc)
		return service_fail(EINVAL, err, "missing action");
	action = argv[i++];

	if (is_help(action)) {
		cmd->action = SERVICE_HELP;
		return 0;
	}
	if (strcmp(action, "up") == 0) {
		cmd->action = SERVICE_UP;
		cmd->req.rq_type = RS_UP;
		return parse_up(argc, argv, i, clk_tck, cmd, err);
	}

	/* MINIX flags only qualify starting and updating a service. */
	if (cmd->req.rss_flags && (strcmp(action, "down") == 0 ||
				   strcmp(action, "status") == 0 ||
				   strcmp(action, "lookup") == 0))
		return service_fail(EINVAL, err, "%s: flags only apply to up",
				    action);

	if (strcmp(action, "down") == 0) {
		cmd->action = SERVICE_DOWN;
		cmd->req.rq_type = RS_DOWN;
		return parse_label_only(argc, argv, i, cmd, err);
	}
	if (strcmp(action, "lookup") == 0) {
		cmd->action = SERVICE_LOOKUP;
		cmd->req.rq_type = RS_LOOKUP;
		return parse_label_only(argc, argv, i, cmd, err);
	}
	if (strcmp(action, "status") == 0) {
		cmd->action = SERVICE_STATUS;
		cmd->req.rq_type = RS_STATUS;
		return parse_status(argc, argv, i, cmd, err);
	}
	for (k = 0; k < ARRAY_SIZE(unsupported_actions); k++)
		if (strcmp(action, unsupported_actions[k]) == 0)
			return service_fail(ENOSYS, err,
					    "action %s is not supported yet",
					    action);
	return service_fail(EINVAL, err, "unknown action %s", action);
}
