/* SPDX-License-Identifier: MIT */
/*
 * <minix/ds.h>: the Data Store client, MINIX's API (libsef(3)).
 *
 * Every call is one blocking request to DS and returns OK or a negative
 * error number. Keys are 1 .. DS_MAX_KEYLEN - 1 characters; a longer or
 * empty key is -EINVAL, never truncated. A request that was in DS's hands
 * when DS died is sent again to its successor, which answers it with the
 * first result if the first try took effect (each takes effect once).
 */
#ifndef _MINIX_DS_H
#define _MINIX_DS_H

#include <stddef.h>

#include <minix/ipc.h>

#define DS_MAX_KEYLEN		80	/* with the NUL, as MINIX */

#define DSF_IN_USE		0x001
#define DSF_PRIV_RETRIEVE	0x002
#define DSF_PRIV_OVERWRITE	0x004
#define DSF_PRIV_SUBSCRIBE	0x008
#define DSF_TYPE_U32		0x010
#define DSF_TYPE_STR		0x020
#define DSF_TYPE_MEM		0x040
#define DSF_TYPE_LABEL		0x100
#define DSF_MASK_TYPE		0xFF0
#define DSF_MASK_INTERNAL	0xFFF
#define DSF_OVERWRITE		0x01000
#define DSF_INITIAL		0x02000

#ifdef __cplusplus
extern "C" {
#endif

int ds_publish_u32(const char *name, u32_t value, int flags);
int ds_publish_str(const char *name, const char *value, int flags);
int ds_publish_mem(const char *name, void *vaddr, size_t length, int flags);
int ds_publish_label(const char *name, endpoint_t endpoint, int flags);

int ds_retrieve_u32(const char *name, u32_t *value);
/* value has room for len_str + 1 bytes; a longer string is cut (MINIX). */
int ds_retrieve_str(const char *name, char *value, size_t len_str);
/* *length: in, the buffer's size; out, the bytes copied (min of both). */
int ds_retrieve_mem(const char *name, char *vaddr, size_t *length);
int ds_retrieve_label_endpt(const char *name, endpoint_t *endpoint);
/* name has room for DS_MAX_KEYLEN bytes. */
int ds_retrieve_label_name(char *name, endpoint_t endpoint);

int ds_delete_u32(const char *name);
int ds_delete_str(const char *name);
int ds_delete_mem(const char *name);
int ds_delete_label(const char *name);

/* regex: a POSIX ERE, anchored at both ends; flags: DSF_TYPE_*, ... */
int ds_subscribe(const char *regex, int flags);
/* name has room for DS_MAX_KEYLEN bytes; -ENOENT when nothing changed. */
int ds_check(char *name, int *type, endpoint_t *owner_e);

#ifdef __cplusplus
}
#endif

#endif /* _MINIX_DS_H */
