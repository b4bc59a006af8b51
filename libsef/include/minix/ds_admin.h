/* SPDX-License-Identifier: MIT */
/*
 * <minix/ds_admin.h>: the Data Store's administration request, for root's
 * `minix-service ds` (minix-service(8)). The tool sends a struct ds_admin
 * to RS inside its struct rs_request (RS_DS); RS checks that the requester
 * is root and relays it to DS: DS_ADMIN, sent by senda, with m_ds.seq RS's
 * number for it and m_ds.val_grant a read/write grant of a struct
 * ds_admin. DS accepts DS_ADMIN only from RS, works on any key whoever owns
 * it, writes the answer back through the grant and answers by senda with
 * DS_ADMIN_REPLY{m_ds.seq, m_ds.val_u32 = (uint32_t)result}. RS hands the
 * struct back to the tool inside its struct rs_reply.
 */
#ifndef _MINIX_DS_ADMIN_H
#define _MINIX_DS_ADMIN_H

#include <stdint.h>

#include <minix/com.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DS_ADMIN		(DS_RQ_BASE + 8)
#define DS_ADMIN_REPLY		(DS_RQ_BASE + 9)

/* op */
#define DS_ADMIN_LIST		1	/* the first key matching key (an ERE) at or after cursor */
#define DS_ADMIN_GET		2	/* key of type (0: any type, U32 then STR, MEM, LABEL) */
#define DS_ADMIN_SET		3	/* key of type U32 or STR, overwriting */
#define DS_ADMIN_DEL		4	/* key of type (0: every type) */

/*
 * Value bytes that travel (all the struct rs_request / rs_reply have room
 * for). A longer stored value is answered with its first bytes and its
 * full length in len, never cut silently.
 */
#define DS_ADMIN_VALUE_MAX	1024
#define DS_ADMIN_KEYLEN		80	/* DS_MAX_KEYLEN (rs.h does not include <minix/ds.h>) */
#define DS_ADMIN_OWNER_LEN	16

struct ds_admin {
	uint32_t op;			/* DS_ADMIN_* */
	uint32_t type;			/* DSF_TYPE_* of <minix/ds.h>; answer: the key's type */
	uint32_t cursor;		/* LIST: in, where to go on; out, past this key */
	uint32_t len;			/* STR/MEM bytes (the NUL of a STR included) */
	uint32_t value;			/* U32 value, LABEL endpoint */
	char key[DS_ADMIN_KEYLEN];	/* the key, or LIST's pattern ("" = all) */
	char owner[DS_ADMIN_OWNER_LEN];	/* answer: the owner's label */
	char data[DS_ADMIN_VALUE_MAX];	/* STR/MEM bytes, the first len of them */
};

/*
 * Is rq a well-formed request (NUL-terminated key, known op and type,
 * len within data)? 0 or -EINVAL. Both RS and DS check with it.
 */
int ds_admin_check(const struct ds_admin *rq);

/* "u32", "str", "mem", "label" or "?". */
const char *ds_admin_type_name(uint32_t type);

#ifdef __cplusplus
}
#endif

#endif /* _MINIX_DS_ADMIN_H */
