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

#define RS_MAX_LABEL_LEN	16
#define RS_MAX_COMMAND_LEN	512
#define RS_MAX_SCRIPT_LEN	256
#define MAX_NR_ARGS		10

/* rss_flags */
#define RSS_COPY		0x00001
#define RSS_REUSE		0x00004
#define RSS_NOBLOCK		0x00008
#define RSS_REPLICA		0x00010
#define RSS_BATCH		0x00020
#define RSS_NO_BIN_EXP		0x100000

struct rs_request {
	uint32_t rq_type;			/* RS_UP, ... */
	uint32_t rss_flags;			/* RSS_* */
	uint32_t rss_period_ms;			/* heartbeat period, 0 = none */
	int32_t rss_maxtime_ms;			/* update: 0 default, -1 none */
	int32_t rss_state;			/* update: prepare state */
	uint32_t rq_index;			/* RS_STATUS without a label */
	char rss_label[RS_MAX_LABEL_LEN];
	char rss_cmd[RS_MAX_COMMAND_LEN];	/* absolute path of the binary */
	char rss_args[RS_MAX_COMMAND_LEN];	/* space-separated arguments */
	char rss_script[RS_MAX_SCRIPT_LEN];
};

/* Service flags as shown by `status` (MINIX procfs letters). */
#define RS_STATUS_ACTIVE	0x01	/* A */
#define RS_STATUS_UPDATING	0x02	/* U */
#define RS_STATUS_EXITING	0x04	/* E */
#define RS_STATUS_NOPINGREPLY	0x08	/* N */
#define RS_STATUS_INITIALIZING	0x10	/* I */
#define RS_STATUS_DEAD		0x20	/* D: waiting to be restarted */

struct rs_status {
	char label[RS_MAX_LABEL_LEN];
	int32_t endpoint;
	int32_t pid;
	uint32_t restarts;
	uint32_t flags;				/* RS_STATUS_* */
	uint32_t period_ms;
	char policy[16];			/* "restart" or "reset" */
	char binary[RS_MAX_COMMAND_LEN];
};

struct rs_reply {
	int32_t result;				/* OK or a negative error */
	uint32_t pad;
	struct rs_status status;		/* RS_STATUS, RS_LOOKUP */
};

#endif /* _MINIX_RS_H */
