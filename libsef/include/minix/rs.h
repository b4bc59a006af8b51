/* SPDX-License-Identifier: MIT */
/*
 * <minix/rs.h>: requests to the Reincarnation Server.
 *
 * minix-service sends a struct rs_request as the payload of an mxsys
 * netlink MXSYS_CMD_SERVICE_REQUEST; the module relays it to rs-daemon
 * with the requester's credentials, and relays rs-daemon's struct
 * rs_reply back. Both are fixed-size, native-endian, little structs.
 */
#ifndef _MINIX_RS_H
#define _MINIX_RS_H

#include <stdint.h>
#include <minix/com.h>
#include <minix/ds_admin.h>

#define RS_UP			(RS_RQ_BASE + 0)
#define RS_DOWN			(RS_RQ_BASE + 1)
#define RS_REFRESH		(RS_RQ_BASE + 2)
#define RS_RESTART		(RS_RQ_BASE + 3)
#define RS_SHUTDOWN		(RS_RQ_BASE + 4)
#define RS_UPDATE		(RS_RQ_BASE + 5)
#define RS_CLONE		(RS_RQ_BASE + 6)
#define RS_UNCLONE		(RS_RQ_BASE + 7)
#define RS_LOOKUP		(RS_RQ_BASE + 8)
#define RS_EDIT			(RS_RQ_BASE + 22)
#define RS_SYSCTL		(RS_RQ_BASE + 23)
#define RS_FI			(RS_RQ_BASE + 24)
/* Linux addition: one service's status; by label, or the index-th one. */
#define RS_STATUS		(RS_RQ_BASE + 64)
/* Linux addition: root's Data Store request (rss_ds), relayed to DS. */
#define RS_DS			(RS_RQ_BASE + 65)
/* Linux addition: read system.conf's boot entries again (as SIGHUP). */
#define RS_RELOAD		(RS_RQ_BASE + 66)
/*
 * Linux addition: MINIX's SEF debug dump of the service rss_label. RS
 * asks the service (RS_DEBUG_DUMP, <minix/com.h>) and answers when it
 * answers, with its text in rs_reply.dump; -ETIMEDOUT (and a message) when
 * it did not answer within RS_DUMP_TIMEOUT_MS, -EBUSY when it is not
 * running, -ESRCH for an unknown label.
 */
#define RS_DUMP			(RS_RQ_BASE + 67)

#define RS_MAX_LABEL_LEN	16
#define RS_MAX_COMMAND_LEN	512
#define RS_MAX_SCRIPT_LEN	256
#define MAX_NR_ARGS		10

/* rss_flags: MINIX's RSS_* values, set by minix-service's flags. */
#define RSS_COPY		0x00001	/* -c: keep the binary open for restarts */
#define RSS_REUSE		0x00004	/* -r: implies -c */
#define RSS_NOBLOCK		0x00008	/* -n: reply at once, not at the end */
#define RSS_REPLICA		0x00010	/* -p: keep a standby replica */
#define RSS_BATCH		0x00020	/* -q: update: schedule, do not run */
#define RSS_SELF_LU		0x00040	/* update self */
#define RSS_ASR_LU		0x00080	/* -a (no meaning on Linux) */
#define RSS_FORCE_SELF_LU	0x00100	/* -s */
#define RSS_PREPARE_ONLY_LU	0x00200	/* -o */
#define RSS_FORCE_INIT_CRASH	0x00400	/* -x */
#define RSS_FORCE_INIT_FAIL	0x00800	/* -y */
#define RSS_FORCE_INIT_TIMEOUT	0x01000	/* -z */
#define RSS_FORCE_INIT_DEFCB	0x02000	/* -d */
#define RSS_SYS_BASIC_CALLS	0x04000
#define RSS_VM_BASIC_CALLS	0x08000
#define RSS_NOMMAP_LU		0x10000	/* -m (no meaning on Linux) */
#define RSS_DETACH		0x20000	/* -e */
#define RSS_NORESTART		0x40000	/* -f */
#define RSS_FORCE_INIT_ST	0x80000	/* -t */
#define RSS_NO_BIN_EXP		0x100000	/* -b */
/* Linux addition: -period was given (edit changes only what is given). */
#define RSS_PERIOD_SET		0x80000000u

/* RS_SYSCTL subtypes (rq_subtype). */
#define RS_SYSCTL_SRV_STATUS	1	/* log the service table */
#define RS_SYSCTL_UPD_START	2	/* start the batched update, reply now */
#define RS_SYSCTL_UPD_RUN	3	/* start it, reply with its result */
#define RS_SYSCTL_UPD_STOP	4	/* abort it: EINTR */
#define RS_SYSCTL_UPD_STATUS	5	/* OK if one is scheduled or running */

/* Default configuration files, as MINIX's /etc/system.conf(.d). */
#define RS_SYSTEM_CONF		"/etc/minix/system.conf"
#define RS_SYSTEM_CONF_D	"/etc/minix/system.conf.d"
#define RS_MAX_CONFIG_LEN	256

struct rs_request {
	uint32_t rq_type;			/* RS_UP, ... */
	uint32_t rss_flags;			/* RSS_* */
	uint32_t rss_period_ms;			/* heartbeat period, 0 = none */
	int32_t rss_maxtime_ms;			/* update: 0 default, -1 none */
	int32_t rss_state;			/* update: prepare state (1..) */
	uint32_t rq_index;			/* RS_STATUS without a label */
	uint32_t rq_subtype;			/* RS_SYSCTL: RS_SYSCTL_* */
	uint32_t pad;				/* zero */
	char rss_label[RS_MAX_LABEL_LEN];
	char rss_progname[RS_MAX_LABEL_LEN];	/* config entry; "" = basename */
	/*
	 * __extension__: anonymous structs are C11, not C99 or C++, and
	 * the header must compile in all three (with -pedantic).
	 */
	__extension__ union {
		__extension__ struct {
			char rss_cmd[RS_MAX_COMMAND_LEN];	/* absolute path of the binary */
			char rss_args[RS_MAX_COMMAND_LEN];	/* space-separated arguments */
			char rss_script[RS_MAX_SCRIPT_LEN];	/* recovery script */
		};
		struct ds_admin rss_ds;			/* RS_DS */
	};
	char rss_config[RS_MAX_CONFIG_LEN];	/* "" = the default files */
};

/* Service flags as shown by `status` (MINIX procfs letters). */
#define RS_STATUS_ACTIVE	0x001	/* A */
#define RS_STATUS_UPDATING	0x002	/* U */
#define RS_STATUS_EXITING	0x004	/* E */
#define RS_STATUS_NOPINGREPLY	0x008	/* N */
#define RS_STATUS_INITIALIZING	0x010	/* I */
#define RS_STATUS_DEAD		0x020	/* D: waiting to be restarted */
#define RS_STATUS_USE_COPY	0x040	/* C */
#define RS_STATUS_USE_REPL	0x080	/* R: keeps a standby replica */
#define RS_STATUS_CORE		0x100	/* s: boot service */
#define RS_STATUS_TERMINATED	0x200	/* T: crashed, its script decides */

struct rs_status {
	char label[RS_MAX_LABEL_LEN];
	int32_t endpoint;
	int32_t pid;
	uint32_t restarts;
	uint32_t flags;				/* RS_STATUS_* */
	uint32_t period_ms;
	char policy[16];			/* "restart", "reset" or "" */
	char binary[RS_MAX_COMMAND_LEN];
	int32_t replica_pid;			/* 0 = no standby replica */
	uint32_t uid;
	char script[RS_MAX_SCRIPT_LEN];
	char args[RS_MAX_COMMAND_LEN];
	/*
	 * Appended fields (older ones keep their offsets). uptime_ms: since
	 * the active process finished its init, 0 while it has none that
	 * did. last_exit: how the service's last process died, in RS's
	 * words ("killed by signal 9", "exited with status 1", with
	 * " (no heartbeat)" when RS killed it for that), "" if none died.
	 */
	uint64_t uptime_ms;
	char last_exit[64];
};

/* rs_reply.flags */
#define RS_REPLY_CONFIG_ERROR	0x1	/* system.conf error: exit status 1 */
#define RS_REPLY_DUMP_CUT	0x2	/* RS_DUMP: the text was cut to fit */

/* RS_DUMP: the text's room (NUL included), and how long RS waits. */
#define RS_DUMP_LEN		3072
#define RS_DUMP_TIMEOUT_MS	5000

struct rs_reply {
	int32_t result;				/* OK or a negative error */
	uint32_t flags;				/* RS_REPLY_* */
	char message[160];			/* why it failed, or "" */
	__extension__ union {
		struct rs_status status;	/* RS_STATUS, RS_LOOKUP */
		struct ds_admin ds;		/* RS_DS: DS's answer */
		char dump[RS_DUMP_LEN];		/* RS_DUMP: NUL-terminated text */
	};
};

#endif /* _MINIX_RS_H */
