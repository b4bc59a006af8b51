/* SPDX-License-Identifier: MIT */
/*
 * system.conf: the privileges and limits of each service (MINIX's grammar,
 * reference §5, plus Linux keywords). Pure: a file's text in, a struct
 * rs_config out, so every rule is unit-tested. See system.conf(5).
 */
#ifndef RS_CONFIG_H
#define RS_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <minix/rs.h>

#define RS_NR_CONTROL		8	/* MINIX's RS_NR_CONTROL */
#define RS_CONFIG_MAX_IPC	64	/* names in one ipc list */
#define RS_CONFIG_MAX_LIMITS	16
#define RS_CONFIG_ERRLEN	256
/* The uid and gid of `uid SELF` until RS knows the requester: nobody. */
#define RS_CONFIG_UID_UNRESOLVED	65534

/* The whole ipc keyword: a list of names, or one of these. */
enum rs_ipc_kind {
	RS_IPC_ALL,		/* every slot */
	RS_IPC_ALL_SYS,		/* every system service (the default) */
	RS_IPC_NONE,
	RS_IPC_LIST,		/* the names below */
};

struct rs_config_limit {
	int resource;		/* RLIMIT_* */
	struct rlimit limit;
};

struct rs_config {
	char progname[RS_MAX_LABEL_LEN];	/* the entry's name */
	bool found;		/* false: built-in defaults, no entry */

	uid_t uid;		/* default 0 */
	gid_t gid;		/* the uid's primary group; 0 for uid 0 */
	bool uid_self;		/* `uid SELF`: see rs_config_resolve_self() */
	uint64_t call_mask;	/* MXSYS_KC_*; default the basic calls */

	enum rs_ipc_kind ipc_kind;
	unsigned int nr_ipc;
	char ipc[RS_CONFIG_MAX_IPC][RS_MAX_LABEL_LEN];	/* program names */

	unsigned int nr_control;
	char control[RS_NR_CONTROL][RS_MAX_LABEL_LEN];	/* program names */

	char sigmgr[RS_MAX_LABEL_LEN];	/* "" = RS; "SELF"; else a label */

	/* Linux keywords. */
	/*
	 * false: uid 0 keeps RS's capabilities, another uid has none.
	 * true: exactly caps (all ones for ALL: whatever RS has).
	 */
	bool caps_set;
	uint64_t caps;		/* bit n = capability n */
	unsigned int nr_limits;
	struct rs_config_limit limits[RS_CONFIG_MAX_LIMITS];
	bool nice_set;
	int nice;		/* from MINIX priority: see system.conf(5) */
	int cpu;		/* -1 = any */

	/* Boot services (rs-daemon starts them after ds, in file order). */
	bool boot;
	char binary[RS_MAX_COMMAND_LEN];
	char args[RS_MAX_COMMAND_LEN];
	uint32_t period_ms;
	char script[RS_MAX_SCRIPT_LEN];
	bool standby;		/* keep a standby replica, as `up -p` */
};

/* The defaults of a service that has no entry. */
void rs_config_defaults(struct rs_config *cfg, const char *progname);

/*
 * Find the entry for progname in the file at path (following include and
 * class). Returns 0 with cfg filled; -ENOENT (err: "service 'x' not found
 * in 'path'") when the file has no such entry; -errno when the file cannot
 * be read (err: "cannot read 'path': reason"; -ENOENT too if it does not
 * exist); -EINVAL with err "path:line: message" on a syntax or value
 * error. Every failure fills err and leaves cfg at the defaults. Warnings
 * (MINIX kernel calls without a Linux meaning) go to RS's log.
 */
int rs_config_load(const char *path, const char *progname,
		   struct rs_config *cfg, char err[RS_CONFIG_ERRLEN]);

/*
 * As MINIX's CLI without -config: RS_SYSTEM_CONF_D/<progname>, then
 * RS_SYSTEM_CONF. A missing file, or no entry in RS_SYSTEM_CONF, is not
 * an error: cfg then holds the defaults (found false). Syntax and value
 * errors are, and so is a RS_SYSTEM_CONF_D/<progname> without the entry
 * (-ENOENT, as MINIX); a progname that is no file name (empty, '/', ".",
 * "..", 16 characters or more) is -EINVAL.
 */
int rs_config_load_default(const char *progname, struct rs_config *cfg,
			   char err[RS_CONFIG_ERRLEN]);

/*
 * Every entry with the `boot` keyword in the file, in file order:
 * fills at most max entries, returns how many (or a negative error, as
 * rs_config_load). A missing file is 0 entries. Every entry is checked,
 * so that RS reports mistakes when it starts; a boot entry needs a
 * binary, and more than max of them is an error.
 */
int rs_config_boot_services(const char *path, struct rs_config *cfgs,
			    unsigned int max, char err[RS_CONFIG_ERRLEN]);

/* At most this many boot entries in system.conf. */
#define RS_CONFIG_BOOT_MAX	64

/*
 * rs-daemon -t: the file at path (which must exist) with every entry,
 * then every file of system.conf.d (but hidden ones, in name order),
 * each of which must hold the entry named after it, as
 * rs_config_load_default reads them. Returns 0 with the counts, or the
 * first error (err as rs_config_load: "file:line: message" for a syntax
 * or value error).
 */
struct rs_config_check {
	unsigned int boot_services;
	unsigned int conf_d_files;
};
int rs_config_check(const char *path, struct rs_config_check *out,
		    char err[RS_CONFIG_ERRLEN]);

/* True when the entry's control list names the program `progname`. */
bool rs_config_controls(const struct rs_config *target, const char *progname);

/*
 * The send mask of a service with this config: bit n for slot n. ALL sets
 * every slot, ALL_SYS every slot but none for user processes (the same on
 * Linux), NONE only RS's (SEF cannot work without it), a list the slots
 * that slot_of() returns for each name (negative: not running, skipped)
 * plus RS's.
 */
void rs_config_send_mask(const struct rs_config *cfg,
			 int (*slot_of)(const char *progname, void *arg),
			 void *arg, uint64_t *mask, unsigned int words);

/*
 * `uid SELF` means the user who asked RS to start the service (MINIX: the
 * caller's real uid). The parser cannot know who that is; RS calls this
 * with the requester's uid once the config is loaded. Sets uid and gid
 * (the user's primary group, or gid = uid for a uid without a passwd
 * entry) when uid_self is set; does nothing otherwise.
 */
void rs_config_resolve_self(struct rs_config *cfg, uid_t requester);

/*
 * The same loaders with their environment injected, so that unit tests
 * depend neither on /etc/passwd nor on /etc/minix. The functions above
 * call these with rs_config_default_env.
 */
struct rs_config_env {
	/* getpwnam: 0 with the uid and its primary gid, or -ENOENT. */
	int (*user_by_name)(const char *name, uid_t *uid, gid_t *gid);
	/* getpwuid: 0 with the primary gid, or -ENOENT (no such user). */
	int (*user_by_uid)(uid_t uid, gid_t *gid);
	/* A warning ("file:line: message"), e.g. a MINIX kernel call that
	 * has no meaning on Linux. */
	void (*warn)(const char *message);
	const char *system_conf;	/* RS_SYSTEM_CONF */
	const char *system_conf_d;	/* RS_SYSTEM_CONF_D */
	long clk_tck;			/* period N: ticks; 0 = sysconf(_SC_CLK_TCK) */
};

extern const struct rs_config_env rs_config_default_env;

int rs_config_load_env(const struct rs_config_env *env, const char *path,
		       const char *progname, struct rs_config *cfg,
		       char err[RS_CONFIG_ERRLEN]);
int rs_config_load_default_env(const struct rs_config_env *env,
			       const char *progname, struct rs_config *cfg,
			       char err[RS_CONFIG_ERRLEN]);
int rs_config_boot_services_env(const struct rs_config_env *env,
				const char *path, struct rs_config *cfgs,
				unsigned int max, char err[RS_CONFIG_ERRLEN]);
int rs_config_check_env(const struct rs_config_env *env, const char *path,
			struct rs_config_check *out,
			char err[RS_CONFIG_ERRLEN]);

#endif /* RS_CONFIG_H */
