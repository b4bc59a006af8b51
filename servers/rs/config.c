// SPDX-License-Identifier: MIT
/*
 * system.conf: MINIX's service entries (reference §5.2) and the Linux
 * keywords, from the tree that configfile.c reads. See system.conf(5).
 */
#include "config.h"
#include "duration.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/capability.h>
#include <unistd.h>

#include <mxsys.h>

#include "cmdline.h"
#include "configfile.h"
#include "log.h"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define MAX_CLASS_DEPTH		100	/* MINIX's limit on class nesting */
#define MAX_VALUES		128	/* values of one keyword */
/* MINIX's scheduling queue of user processes: nice 0. */
#define USER_Q			7

struct entry_ctx {
	const struct rs_config_env *env;
	const struct cf_tree *tree;
	char *err;
	unsigned int class_depth;
};

typedef int keyword_fn(struct entry_ctx *ec, struct rs_config *cfg,
		       const struct cf_node *keyword,
		       const struct cf_node *const *values, unsigned int n);

static int fail(struct entry_ctx *ec, const struct cf_node *at,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(struct entry_ctx *ec, const struct cf_node *at,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cf_vformat(ec->err, RS_CONFIG_ERRLEN, at, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

__attribute__((format(printf, 3, 4)))
static void warn(struct entry_ctx *ec, const struct cf_node *at,
		 const char *fmt, ...)
{
	char message[RS_CONFIG_ERRLEN];
	va_list ap;

	if (!ec->env->warn)
		return;
	va_start(ap, fmt);
	cf_vformat(message, sizeof(message), at, fmt, ap);
	va_end(ap);
	ec->env->warn(message);
}

/* A decimal number without sign or spaces, at most max. */
static bool parse_number(const char *text, unsigned long long max,
			 unsigned long long *value)
{
	unsigned long long v = 0;

	if (*text == '\0')
		return false;
	for (; *text; text++) {
		if (*text < '0' || *text > '9')
			return false;
		if (v > (max - (unsigned long long)(*text - '0')) / 10)
			return false;
		v = v * 10 + (unsigned long long)(*text - '0');
	}
	*value = v;
	return true;
}

/* A program name or label as the entries and lists use: 1..15 chars. */
static int check_name(struct entry_ctx *ec, const struct cf_node *keyword,
		      const struct cf_node *value)
{
	size_t len = strlen(value->text);

	if (len == 0)
		return fail(ec, value, "%s: empty name", keyword->text);
	if (len >= RS_MAX_LABEL_LEN)
		return fail(ec, value, "%s: name '%s' longer than %d characters",
			    keyword->text, value->text, RS_MAX_LABEL_LEN - 1);
	return 0;
}

static bool is(const struct cf_node *value, const char *word)
{
	return strcmp(value->text, word) == 0;
}

/* ---- MINIX keywords ------------------------------------------------------- */

static int do_uid(struct entry_ctx *ec, struct rs_config *cfg,
		  const struct cf_node *keyword,
		  const struct cf_node *const *values, unsigned int n)
{
	const struct cf_node *value = values[0];
	unsigned long long number;

	(void)n;
	cfg->uid_self = false;
	if (is(value, "SELF")) {
		/* Until rs_config_resolve_self: nobody, never root. */
		cfg->uid_self = true;
		cfg->uid = RS_CONFIG_UID_UNRESOLVED;
		cfg->gid = RS_CONFIG_UID_UNRESOLVED;
		return 0;
	}
	if (parse_number(value->text, (uid_t)-1 - 1, &number)) {
		cfg->uid = (uid_t)number;
		/* A uid without a passwd entry gets the group of its number. */
		if (ec->env->user_by_uid(cfg->uid, &cfg->gid) < 0)
			cfg->gid = (gid_t)number;
		return 0;
	}
	if (ec->env->user_by_name(value->text, &cfg->uid, &cfg->gid) < 0)
		return fail(ec, value, "%s: unknown user '%s'", keyword->text,
			    value->text);
	return 0;
}

static int do_ipc(struct entry_ctx *ec, struct rs_config *cfg,
		  const struct cf_node *keyword,
		  const struct cf_node *const *values, unsigned int n)
{
	static const struct {
		const char *word;
		enum rs_ipc_kind kind;
	} whole[] = {
		{ "ALL", RS_IPC_ALL },
		{ "ALL_SYS", RS_IPC_ALL_SYS },
		{ "NONE", RS_IPC_NONE },
	};

	cfg->nr_ipc = 0;
	cfg->ipc_kind = RS_IPC_LIST;
	for (unsigned int i = 0; i < n; i++) {
		const struct cf_node *value = values[i];
		bool known = false;
		int r;

		for (size_t w = 0; w < ARRAY_SIZE(whole); w++) {
			if (!is(value, whole[w].word))
				continue;
			if (n != 1)
				return fail(ec, value,
					    "%s: %s cannot be combined with other names",
					    keyword->text, value->text);
			cfg->ipc_kind = whole[w].kind;
			return 0;
		}
		/*
		 * SYSTEM (the kernel) and USER (user processes): every
		 * service makes module calls and user processes have no
		 * slot, so neither adds to the send mask.
		 */
		if (is(value, "SYSTEM") || is(value, "USER"))
			continue;
		r = check_name(ec, keyword, value);
		if (r < 0)
			return r;
		for (unsigned int j = 0; j < cfg->nr_ipc; j++)
			known = known || strcmp(cfg->ipc[j], value->text) == 0;
		if (known)
			continue;
		if (cfg->nr_ipc == RS_CONFIG_MAX_IPC)
			return fail(ec, value, "%s: more than %d names",
				    keyword->text, RS_CONFIG_MAX_IPC);
		strcpy(cfg->ipc[cfg->nr_ipc++], value->text);
	}
	return 0;
}

/* MINIX kernel calls that exist in the module, by their MINIX names. */
static const struct {
	const char *name;
	unsigned int bit;
} kernel_calls[] = {
	{ "PRIVCTL", MXSYS_KC_PRIVCTL },
	{ "GETKSIG", MXSYS_KC_GETKSIG },
	{ "ENDKSIG", MXSYS_KC_ENDKSIG },
	{ "CLEAR", MXSYS_KC_CLEAR },
	{ "KILL", MXSYS_KC_KILL },
	{ "UPDATE", MXSYS_KC_UPDATE },
	{ "SETALARM", MXSYS_KC_SETALARM },
	{ "SAFECOPYFROM", MXSYS_KC_SAFECOPYFROM },
	{ "SAFECOPYTO", MXSYS_KC_SAFECOPYTO },
	{ "SETGRANT", MXSYS_KC_SETGRANT },
	{ "EXIT", MXSYS_KC_EXIT },
	{ "FDSTORE", MXSYS_KC_FDSTORE },
};

/* MINIX kernel calls that Linux does the job of (or has no use for). */
static const char *const minix_only_calls[] = {
	"ABORT", "CPROF", "DEVIO", "DIAGCTL", "EXEC", "FORK", "GETINFO",
	"GETMCONTEXT", "IOPENABLE", "IRQCTL", "MEMSET", "PADCONF",
	"PHYSCOPY", "PRIVQUERY", "PROFBUF", "READBIOS", "RUNCTL",
	"SAFEMAP", "SAFEMEMSET", "SAFEREVMAP", "SAFEUNMAP", "SCHEDCTL",
	"SCHEDULE", "SDEVIO", "SETMCONTEXT", "SETTIME", "SIGRETURN",
	"SIGSEND", "SPROF", "STATECTL", "STIME", "SYSCTL", "TIMES", "TRACE",
	"UMAP", "UMAP_REMOTE", "VDEVIO", "VIRCOPY", "VMCTL", "VSAFECOPY",
	"VTIMER", "VUMAP",
};

static int do_system(struct entry_ctx *ec, struct rs_config *cfg,
		     const struct cf_node *keyword,
		     const struct cf_node *const *values, unsigned int n)
{
	uint64_t mask = 0;
	bool basic = true;

	for (unsigned int i = 0; i < n; i++) {
		const struct cf_node *value = values[i];
		bool known = false;
		size_t k;

		if (is(value, "ALL")) {
			mask |= MXSYS_KC_ALL;
			continue;
		}
		if (is(value, "BASIC"))
			continue;	/* added below anyway */
		if (is(value, "NONE")) {
			basic = false;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(kernel_calls); k++) {
			if (is(value, kernel_calls[k].name)) {
				mask |= 1ULL << kernel_calls[k].bit;
				break;
			}
		}
		if (k < ARRAY_SIZE(kernel_calls))
			continue;
		for (k = 0; k < ARRAY_SIZE(minix_only_calls); k++)
			known = known || is(value, minix_only_calls[k]);
		/* MINIX warns about unknown names and goes on: so do we. */
		if (known)
			warn(ec, value, "%s: %s has no meaning on Linux, ignored",
			     keyword->text, value->text);
		else
			warn(ec, value, "%s: unknown kernel call '%s', ignored",
			     keyword->text, value->text);
	}
	cfg->call_mask = mask | (basic ? MXSYS_KC_BASIC : 0);
	return 0;
}

static int do_sigmgr(struct entry_ctx *ec, struct rs_config *cfg,
		     const struct cf_node *keyword,
		     const struct cf_node *const *values, unsigned int n)
{
	int r = check_name(ec, keyword, values[0]);

	(void)n;
	if (r < 0)
		return r;
	strcpy(cfg->sigmgr, values[0]->text);
	return 0;
}

static int do_control(struct entry_ctx *ec, struct rs_config *cfg,
		      const struct cf_node *keyword,
		      const struct cf_node *const *values, unsigned int n)
{
	if (n > RS_NR_CONTROL)
		return fail(ec, values[RS_NR_CONTROL], "%s: more than %d names",
			    keyword->text, RS_NR_CONTROL);
	cfg->nr_control = 0;
	for (unsigned int i = 0; i < n; i++) {
		int r = check_name(ec, keyword, values[i]);

		if (r < 0)
			return r;
		strcpy(cfg->control[cfg->nr_control++], values[i]->text);
	}
	return 0;
}

static int do_priority(struct entry_ctx *ec, struct rs_config *cfg,
		       const struct cf_node *keyword,
		       const struct cf_node *const *values, unsigned int n)
{
	unsigned long long queue;
	int nice;

	(void)n;
	if (!parse_number(values[0]->text, 15, &queue))
		return fail(ec, values[0], "%s: '%s' is not a queue 0..15",
			    keyword->text, values[0]->text);
	/*
	 * MINIX's queues run from 0 (first) to 15; user processes sit in
	 * USER_Q (7). Spread them over nice -17..19 with USER_Q at 0: a
	 * queue is 2.5 nice steps.
	 */
	nice = ((int)queue - USER_Q) * 5 / 2;
	cfg->nice = nice > 19 ? 19 : nice;
	cfg->nice_set = true;
	return 0;
}

static int do_cpu(struct entry_ctx *ec, struct rs_config *cfg,
		  const struct cf_node *keyword,
		  const struct cf_node *const *values, unsigned int n)
{
	unsigned long long cpu;

	(void)n;
	if (is(values[0], "BSP")) {
		cfg->cpu = 0;	/* the boot processor */
		return 0;
	}
	if (is(values[0], "default")) {
		cfg->cpu = -1;
		return 0;
	}
	if (!parse_number(values[0]->text, CPU_SETSIZE - 1, &cpu))
		return fail(ec, values[0],
			    "%s: '%s' is not a CPU number, BSP or default",
			    keyword->text, values[0]->text);
	cfg->cpu = (int)cpu;
	return 0;
}

static const struct cf_node *find_entry(const struct cf_tree *tree,
					const char *name);
static int apply_entry(struct entry_ctx *ec, struct rs_config *cfg,
		       const struct cf_node *block);

static int do_class(struct entry_ctx *ec, struct rs_config *cfg,
		    const struct cf_node *keyword,
		    const struct cf_node *const *values, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct cf_node *block = find_entry(ec->tree,
							 values[i]->text);
		int r;

		if (!block)
			return fail(ec, values[i], "%s: no service entry '%s'",
				    keyword->text, values[i]->text);
		if (ec->class_depth >= MAX_CLASS_DEPTH)
			return fail(ec, keyword, "%s: nested more than %d deep",
				    keyword->text, MAX_CLASS_DEPTH);
		ec->class_depth++;
		r = apply_entry(ec, cfg, block);
		ec->class_depth--;
		if (r < 0)
			return r;
	}
	return 0;
}

/* MINIX keywords with no Linux meaning: values accepted, not used. */
static int do_ignored(struct entry_ctx *ec, struct rs_config *cfg,
		      const struct cf_node *keyword,
		      const struct cf_node *const *values, unsigned int n)
{
	(void)ec;
	(void)cfg;
	(void)keyword;
	(void)values;
	(void)n;
	return 0;
}

/* ---- Linux keywords ------------------------------------------------------- */

static int do_capabilities(struct entry_ctx *ec, struct rs_config *cfg,
			   const struct cf_node *keyword,
			   const struct cf_node *const *values, unsigned int n)
{
	uint64_t caps = 0;

	for (unsigned int i = 0; i < n; i++) {
		const struct cf_node *value = values[i];
		cap_value_t cap;

		if (is(value, "ALL") || is(value, "NONE")) {
			if (n != 1)
				return fail(ec, value,
					    "%s: %s cannot be combined with other names",
					    keyword->text, value->text);
			caps = is(value, "ALL") ? ~0ULL : 0;
			break;
		}
		if (cap_from_name(value->text, &cap) < 0 || cap < 0 || cap > 63)
			return fail(ec, value, "%s: unknown capability '%s'",
				    keyword->text, value->text);
		caps |= 1ULL << cap;
	}
	cfg->caps_set = true;
	cfg->caps = caps;
	return 0;
}

static const struct {
	const char *name;
	int resource;
} limit_names[] = {
	{ "nofile", RLIMIT_NOFILE },
	{ "nproc", RLIMIT_NPROC },
	{ "as", RLIMIT_AS },
	{ "data", RLIMIT_DATA },
	{ "stack", RLIMIT_STACK },
	{ "core", RLIMIT_CORE },
	{ "cpu", RLIMIT_CPU },
	{ "memlock", RLIMIT_MEMLOCK },
	{ "fsize", RLIMIT_FSIZE },
	{ "rss", RLIMIT_RSS },
};

/* "unlimited", or a number with an optional K, M or G (powers of 1024). */
static bool parse_limit_value(const char *text, rlim_t *value)
{
	char digits[32];
	unsigned long long number, scale = 1;
	size_t len = strlen(text);

	if (strcmp(text, "unlimited") == 0) {
		*value = RLIM_INFINITY;
		return true;
	}
	if (len == 0 || len >= sizeof(digits))
		return false;
	memcpy(digits, text, len + 1);
	switch (digits[len - 1]) {
	case 'K': scale = 1ULL << 10; break;
	case 'M': scale = 1ULL << 20; break;
	case 'G': scale = 1ULL << 30; break;
	}
	if (scale != 1)
		digits[len - 1] = '\0';
	/* RLIM_INFINITY itself is "unlimited", not a number. */
	if (!parse_number(digits, (RLIM_INFINITY - 1) / scale, &number))
		return false;
	*value = (rlim_t)(number * scale);
	return true;
}

static int do_limit(struct entry_ctx *ec, struct rs_config *cfg,
		    const struct cf_node *keyword,
		    const struct cf_node *const *values, unsigned int n)
{
	struct rs_config_limit limit;
	unsigned int i;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(limit_names); k++)
		if (is(values[0], limit_names[k].name))
			break;
	if (k == ARRAY_SIZE(limit_names))
		return fail(ec, values[0],
			    "%s: unknown limit '%s' (nofile nproc as data stack core cpu memlock fsize rss)",
			    keyword->text, values[0]->text);
	limit.resource = limit_names[k].resource;
	for (i = 1; i < n; i++) {
		rlim_t *v = i == 1 ? &limit.limit.rlim_cur
				   : &limit.limit.rlim_max;

		if (!parse_limit_value(values[i]->text, v))
			return fail(ec, values[i],
				    "%s %s: '%s' is not a number (with K, M or G) or unlimited",
				    keyword->text, values[0]->text,
				    values[i]->text);
	}
	if (n == 2)
		limit.limit.rlim_max = limit.limit.rlim_cur;
	/* RLIM_INFINITY is the largest rlim_t: the comparison holds. */
	if (limit.limit.rlim_cur > limit.limit.rlim_max)
		return fail(ec, values[1],
			    "%s %s: the soft limit is above the hard limit",
			    keyword->text, values[0]->text);
	for (i = 0; i < cfg->nr_limits; i++)
		if (cfg->limits[i].resource == limit.resource)
			break;
	if (i == RS_CONFIG_MAX_LIMITS)	/* cannot happen: 10 names */
		return fail(ec, keyword, "%s: too many limits", keyword->text);
	cfg->limits[i] = limit;
	if (i == cfg->nr_limits)
		cfg->nr_limits++;
	return 0;
}

/* The keywords that take no value and set one flag of the entry. */
static int do_flag(struct entry_ctx *ec, struct rs_config *cfg,
		   const struct cf_node *keyword,
		   const struct cf_node *const *values, unsigned int n)
{
	(void)ec;
	(void)values;
	(void)n;
	if (strcmp(keyword->text, "boot") == 0)
		cfg->boot = true;
	else
		cfg->standby = true;
	return 0;
}

static int copy_path(struct entry_ctx *ec, const struct cf_node *keyword,
		     const struct cf_node *value, char *dst, size_t len)
{
	if (value->text[0] != '/')
		return fail(ec, value, "%s: '%s' is not an absolute path",
			    keyword->text, value->text);
	if (strlen(value->text) >= len)
		return fail(ec, value, "%s: path longer than %zu characters",
			    keyword->text, len - 1);
	strcpy(dst, value->text);
	return 0;
}

static int do_binary(struct entry_ctx *ec, struct rs_config *cfg,
		     const struct cf_node *keyword,
		     const struct cf_node *const *values, unsigned int n)
{
	(void)n;
	return copy_path(ec, keyword, values[0], cfg->binary,
			 sizeof(cfg->binary));
}

static int do_script(struct entry_ctx *ec, struct rs_config *cfg,
		     const struct cf_node *keyword,
		     const struct cf_node *const *values, unsigned int n)
{
	(void)n;
	return copy_path(ec, keyword, values[0], cfg->script,
			 sizeof(cfg->script));
}

static int do_args(struct entry_ctx *ec, struct rs_config *cfg,
		   const struct cf_node *keyword,
		   const struct cf_node *const *values, unsigned int n)
{
	char buf[RS_MAX_COMMAND_LEN];
	char *argv[RS_ARGV_MAX];

	(void)n;
	if (strlen(values[0]->text) >= sizeof(cfg->args))
		return fail(ec, values[0], "%s: longer than %zu characters",
			    keyword->text, sizeof(cfg->args) - 1);
	/* Checked now, with a line number, rather than when RS starts it. */
	if (cmdline_build_argv("", values[0]->text, buf, argv) < 0)
		return fail(ec, values[0], "%s: more than %d arguments",
			    keyword->text, MAX_NR_ARGS);
	strcpy(cfg->args, values[0]->text);
	return 0;
}


static int do_period(struct entry_ctx *ec, struct rs_config *cfg,
		     const struct cf_node *keyword,
		     const struct cf_node *const *values, unsigned int n)
{
	long clk_tck = ec->env->clk_tck ? ec->env->clk_tck
					: sysconf(_SC_CLK_TCK);
	uint32_t ms;

	(void)n;
	if (service_parse_time_ms(values[0]->text, clk_tck, &ms) != 0)
		return fail(ec, values[0],
			    "%s: '%s' is not a time (N ticks, Ns or NHZ seconds, or Nms)",
			    keyword->text, values[0]->text);
	cfg->period_ms = ms;
	return 0;
}

/* ---- entries -------------------------------------------------------------- */

#define ANY	MAX_VALUES

static const struct keyword {
	const char *name;
	keyword_fn *apply;
	unsigned int min_values, max_values;
} keywords[] = {
	{ "uid", do_uid, 1, 1 },
	{ "ipc", do_ipc, 1, ANY },
	{ "system", do_system, 0, ANY },
	{ "sigmgr", do_sigmgr, 1, 1 },
	{ "control", do_control, 0, ANY },
	{ "priority", do_priority, 1, 1 },
	{ "cpu", do_cpu, 1, 1 },
	{ "class", do_class, 1, ANY },
	{ "scheduler", do_ignored, 0, ANY },
	{ "quantum", do_ignored, 0, ANY },
	{ "vm", do_ignored, 0, ANY },
	{ "io", do_ignored, 0, ANY },
	{ "irq", do_ignored, 0, ANY },
	{ "pci", do_ignored, 0, ANY },
	{ "type", do_ignored, 0, ANY },
	{ "descr", do_ignored, 0, ANY },
	{ "domain", do_ignored, 0, ANY },
	{ "capabilities", do_capabilities, 1, ANY },
	{ "limit", do_limit, 2, 3 },
	{ "boot", do_flag, 0, 0 },
	{ "binary", do_binary, 1, 1 },
	{ "args", do_args, 1, 1 },
	{ "period", do_period, 1, 1 },
	{ "script", do_script, 1, 1 },
	{ "standby", do_flag, 0, 0 },
};

static int check_count(struct entry_ctx *ec, const struct keyword *kw,
		       const struct cf_node *at, unsigned int n)
{
	if (n >= kw->min_values && n <= kw->max_values)
		return 0;
	if (kw->max_values == 0)
		return fail(ec, at, "%s: takes no value", kw->name);
	if (kw->min_values == kw->max_values && kw->min_values == 1)
		return fail(ec, at, "%s: expects one value, not %u", kw->name, n);
	if (kw->max_values == ANY)
		return fail(ec, at, n ? "%s: more than %u values"
				      : "%s: expects at least one value",
			    kw->name, MAX_VALUES);
	return fail(ec, at, "%s: expects %u to %u values, not %u", kw->name,
		    kw->min_values, kw->max_values, n);
}

/* One line of an entry: `keyword values...;`. */
static int apply_line(struct entry_ctx *ec, struct rs_config *cfg,
		      const struct cf_node *keyword)
{
	const struct cf_node *values[MAX_VALUES + 1];
	const struct keyword *kw = NULL;
	unsigned int n = 0;

	if (keyword->kind != CF_WORD)
		return fail(ec, keyword, "expected a keyword, not %s",
			    keyword->kind == CF_LIST ? "'{'" : "a string");
	for (size_t k = 0; k < ARRAY_SIZE(keywords); k++)
		if (strcmp(keyword->text, keywords[k].name) == 0)
			kw = &keywords[k];
	if (!kw)
		return fail(ec, keyword, "unknown keyword '%s'", keyword->text);
	for (const struct cf_node *v = keyword->next; v; v = v->next) {
		if (v->kind == CF_LIST)
			return fail(ec, v, "%s: unexpected '{'", kw->name);
		if (n == MAX_VALUES + 1)
			break;	/* check_count says too many */
		values[n++] = v;
	}
	/* The line of a missing value is the keyword's. */
	if (check_count(ec, kw, n > kw->max_values ? values[kw->max_values]
						    : keyword, n) < 0)
		return -EINVAL;
	return kw->apply(ec, cfg, keyword, values, n);
}

static int apply_entry(struct entry_ctx *ec, struct rs_config *cfg,
		       const struct cf_node *block)
{
	for (const struct cf_line *line = block->list; line; line = line->next) {
		int r = apply_line(ec, cfg, line->nodes);

		if (r < 0)
			return r;
	}
	return 0;
}

/* The nodes of an entry line: service, its name, its block. */
static bool entry_parts(const struct cf_line *line, const struct cf_node **name,
			const struct cf_node **block)
{
	const struct cf_node *kw = line->nodes;

	if (kw->kind != CF_WORD || strcmp(kw->text, "service") != 0 ||
	    !kw->next || kw->next->kind == CF_LIST || !kw->next->next ||
	    kw->next->next->kind != CF_LIST || kw->next->next->next)
		return false;
	*name = kw->next;
	*block = kw->next->next;
	return true;
}

static const struct cf_node *find_entry(const struct cf_tree *tree,
					const char *name)
{
	const struct cf_node *entry_name, *block;

	for (const struct cf_line *line = tree->lines; line; line = line->next)
		if (entry_parts(line, &entry_name, &block) &&
		    strcmp(entry_name->text, name) == 0)
			return block;
	return NULL;
}

/* The file's shape: only `service <name> { ... };` lines, names unique. */
static int check_entries(struct entry_ctx *ec)
{
	for (const struct cf_line *line = ec->tree->lines; line;
	     line = line->next) {
		const struct cf_node *name, *block;
		int r;

		if (!entry_parts(line, &name, &block))
			return fail(ec, line->nodes,
				    "expected 'service <name> { ... };'");
		r = check_name(ec, line->nodes, name);
		if (r < 0)
			return r;
		for (const struct cf_line *before = ec->tree->lines;
		     before != line; before = before->next) {
			if (strcmp(before->nodes->next->text, name->text) == 0)
				return fail(ec, name,
					    "service '%s' already defined at %s:%u",
					    name->text, before->nodes->file,
					    before->nodes->line);
		}
	}
	return 0;
}

/* ---- the API -------------------------------------------------------------- */

void rs_config_defaults(struct rs_config *cfg, const char *progname)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->progname, sizeof(cfg->progname), "%s", progname);
	cfg->uid = 0;
	cfg->gid = 0;
	cfg->call_mask = MXSYS_KC_BASIC;
	cfg->ipc_kind = RS_IPC_ALL_SYS;
	cfg->sigmgr[0] = '\0';	/* RS */
	cfg->cpu = -1;
}

static int check_progname(const char *progname, char err[RS_CONFIG_ERRLEN])
{
	size_t len = strlen(progname);

	if (len == 0 || len >= RS_MAX_LABEL_LEN) {
		snprintf(err, RS_CONFIG_ERRLEN,
			 "invalid program name '%s': 1 to %d characters",
			 progname, RS_MAX_LABEL_LEN - 1);
		return -EINVAL;
	}
	return 0;
}

/* As rs_config_load_env; *no_file tells a missing file from the rest. */
static int load(const struct rs_config_env *env, const char *path,
		const char *progname, struct rs_config *cfg,
		char err[RS_CONFIG_ERRLEN], bool *no_file)
{
	struct cf_tree tree;
	struct entry_ctx ec = { .env = env, .tree = &tree, .err = err };
	const struct cf_node *block;
	int r;

	*no_file = false;
	err[0] = '\0';
	rs_config_defaults(cfg, progname);
	r = check_progname(progname, err);
	if (r < 0)
		return r;
	r = cf_read(path, &tree, err, RS_CONFIG_ERRLEN);
	if (r == -ENOENT)
		*no_file = true;
	if (r == 0)
		r = check_entries(&ec);
	if (r == 0) {
		block = find_entry(&tree, progname);
		if (block) {
			r = apply_entry(&ec, cfg, block);
		} else {
			snprintf(err, RS_CONFIG_ERRLEN,
				 "service '%s' not found in '%s'", progname,
				 path);
			r = -ENOENT;
		}
	}
	cf_free(&tree);
	if (r < 0) {
		rs_config_defaults(cfg, progname);
		return r;
	}
	cfg->found = true;
	return 0;
}

int rs_config_load_env(const struct rs_config_env *env, const char *path,
		       const char *progname, struct rs_config *cfg,
		       char err[RS_CONFIG_ERRLEN])
{
	bool no_file;

	return load(env, path, progname, cfg, err, &no_file);
}

int rs_config_load_default_env(const struct rs_config_env *env,
			       const char *progname, struct rs_config *cfg,
			       char err[RS_CONFIG_ERRLEN])
{
	char path[PATH_MAX];
	bool no_file;
	int r;

	rs_config_defaults(cfg, progname);
	r = check_progname(progname, err);
	if (r < 0)
		return r;
	/* The name becomes a file name: no way out of the directory. */
	if (strchr(progname, '/') || strcmp(progname, ".") == 0 ||
	    strcmp(progname, "..") == 0) {
		snprintf(err, RS_CONFIG_ERRLEN,
			 "invalid program name '%s'", progname);
		return -EINVAL;
	}
	if (snprintf(path, sizeof(path), "%s/%s", env->system_conf_d,
		     progname) >= (int)sizeof(path)) {
		snprintf(err, RS_CONFIG_ERRLEN, "%s: path too long",
			 env->system_conf_d);
		return -ENAMETOOLONG;
	}
	/* A file in system.conf.d must hold the entry (as MINIX). */
	r = load(env, path, progname, cfg, err, &no_file);
	if (r == 0 || !no_file)
		return r;
	r = load(env, env->system_conf, progname, cfg, err, &no_file);
	if (r == -ENOENT) {
		/* No file or no entry: the defaults. */
		rs_config_defaults(cfg, progname);
		err[0] = '\0';
		return 0;
	}
	return r;
}

int rs_config_boot_services_env(const struct rs_config_env *env,
				const char *path, struct rs_config *cfgs,
				unsigned int max, char err[RS_CONFIG_ERRLEN])
{
	struct cf_tree tree;
	struct entry_ctx ec = { .env = env, .tree = &tree, .err = err };
	unsigned int count = 0;
	int r;

	err[0] = '\0';
	r = cf_read(path, &tree, err, RS_CONFIG_ERRLEN);
	if (r == -ENOENT) {
		err[0] = '\0';
		return 0;
	}
	if (r == 0)
		r = check_entries(&ec);
	/* Every entry is checked, so that RS reports mistakes at start. */
	for (const struct cf_line *line = tree.lines; r == 0 && line;
	     line = line->next) {
		const struct cf_node *name = line->nodes->next;
		struct rs_config cfg;

		rs_config_defaults(&cfg, name->text);
		r = apply_entry(&ec, &cfg, name->next);
		if (r < 0 || !cfg.boot)
			continue;
		if (cfg.binary[0] == '\0') {
			r = fail(&ec, name, "boot service '%s' has no binary",
				 name->text);
		} else if (count == max) {
			r = fail(&ec, name, "more than %u boot services", max);
		} else {
			cfg.found = true;
			cfgs[count++] = cfg;
		}
	}
	cf_free(&tree);
	return r < 0 ? r : (int)count;
}

void rs_config_resolve_self(struct rs_config *cfg, uid_t requester)
{
	if (!cfg->uid_self)
		return;
	cfg->uid = requester;
	if (rs_config_default_env.user_by_uid(requester, &cfg->gid) < 0)
		cfg->gid = (gid_t)requester;
}

bool rs_config_controls(const struct rs_config *target, const char *progname)
{
	for (unsigned int i = 0; i < target->nr_control; i++)
		if (strcmp(target->control[i], progname) == 0)
			return true;
	return false;
}

static void set_bit(uint64_t *mask, unsigned int words, int slot)
{
	if (slot >= 0 && (unsigned int)slot < words * 64)
		mask[slot / 64] |= 1ULL << (slot % 64);
}

void rs_config_send_mask(const struct rs_config *cfg,
			 int (*slot_of)(const char *progname, void *arg),
			 void *arg, uint64_t *mask, unsigned int words)
{
	memset(mask, 0, words * sizeof(*mask));
	switch (cfg->ipc_kind) {
	case RS_IPC_ALL:
	case RS_IPC_ALL_SYS:
		/* User processes have no slot: ALL_SYS is ALL on Linux. */
		memset(mask, 0xff, words * sizeof(*mask));
		return;
	case RS_IPC_LIST:
		for (unsigned int i = 0; i < cfg->nr_ipc; i++)
			set_bit(mask, words, slot_of(cfg->ipc[i], arg));
		break;
	case RS_IPC_NONE:
		break;
	}
	/* SEF cannot work without RS (the module allows it anyway). */
	set_bit(mask, words, MXSYS_RS_SLOT);
}

/* ---- the real environment ------------------------------------------------- */

static int passwd_by_name(const char *name, uid_t *uid, gid_t *gid)
{
	const struct passwd *pw = getpwnam(name);

	if (!pw)
		return -ENOENT;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

static int passwd_by_uid(uid_t uid, gid_t *gid)
{
	const struct passwd *pw = getpwuid(uid);

	if (!pw)
		return -ENOENT;
	*gid = pw->pw_gid;
	return 0;
}

static void log_warning(const char *message)
{
	rs_warn("warning: %s", message);
}

const struct rs_config_env rs_config_default_env = {
	.user_by_name = passwd_by_name,
	.user_by_uid = passwd_by_uid,
	.warn = log_warning,
	.system_conf = RS_SYSTEM_CONF,
	.system_conf_d = RS_SYSTEM_CONF_D,
	.clk_tck = 0,
};

int rs_config_load(const char *path, const char *progname,
		   struct rs_config *cfg, char err[RS_CONFIG_ERRLEN])
{
	return rs_config_load_env(&rs_config_default_env, path, progname, cfg,
				  err);
}

int rs_config_load_default(const char *progname, struct rs_config *cfg,
			   char err[RS_CONFIG_ERRLEN])
{
	return rs_config_load_default_env(&rs_config_default_env, progname,
					  cfg, err);
}

int rs_config_boot_services(const char *path, struct rs_config *cfgs,
			    unsigned int max, char err[RS_CONFIG_ERRLEN])
{
	return rs_config_boot_services_env(&rs_config_default_env, path, cfgs,
					   max, err);
}

/* scandir: the files of system.conf.d, not ".", "..", or hidden ones. */
static int visible(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int rs_config_check_env(const struct rs_config_env *env, const char *path,
			struct rs_config_check *out,
			char err[RS_CONFIG_ERRLEN])
{
	struct rs_config *cfgs;
	struct dirent **names;
	struct stat st;
	int n, r = 0;

	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	/* RS runs without one; a check of a file that is not there fails. */
	if (stat(path, &st) < 0) {
		r = -errno;
		snprintf(err, RS_CONFIG_ERRLEN, "cannot read '%s': %s", path,
			 strerror(errno));
		return r;
	}
	cfgs = calloc(RS_CONFIG_BOOT_MAX, sizeof(*cfgs));
	if (!cfgs) {
		snprintf(err, RS_CONFIG_ERRLEN, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	r = rs_config_boot_services_env(env, path, cfgs, RS_CONFIG_BOOT_MAX,
					err);
	free(cfgs);
	if (r < 0)
		return r;
	out->boot_services = (unsigned int)r;

	/* Each file of system.conf.d holds the entry named after it. */
	n = scandir(env->system_conf_d, &names, visible, alphasort);
	if (n < 0 && errno == ENOENT)
		return 0;	/* no directory: nothing in it */
	if (n < 0) {
		r = -errno;
		snprintf(err, RS_CONFIG_ERRLEN, "cannot read '%s': %s",
			 env->system_conf_d, strerror(errno));
		return r;
	}
	for (int i = 0; i < n; i++) {
		char file[PATH_MAX];
		struct rs_config cfg;

		snprintf(file, sizeof(file), "%s/%s", env->system_conf_d,
			 names[i]->d_name);
		if (r == 0) {
			r = rs_config_load_env(env, file, names[i]->d_name,
					       &cfg, err);
			if (r == 0)
				out->conf_d_files++;
		}
		free(names[i]);
	}
	free(names);
	return r < 0 ? r : 0;
}

int rs_config_check(const char *path, struct rs_config_check *out,
		    char err[RS_CONFIG_ERRLEN])
{
	return rs_config_check_env(&rs_config_default_env, path, out, err);
}
