/* SPDX-License-Identifier: MIT */
/* <minix/ds.h>: the Data Store client. */
#ifndef _MINIX_DS_H
#define _MINIX_DS_H

#include <minix/ipc.h>

/* Keys: 1 .. DS_MAX_KEYLEN - 1 characters (inline in the message). */
#define DS_MAX_KEYLEN		DS_INLINE_KEYLEN

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

int ds_publish_u32(const char *key, u32_t value, int flags);
int ds_retrieve_u32(const char *key, u32_t *value);
int ds_delete_u32(const char *key);
int ds_publish_label(const char *label, endpoint_t ep, int flags);
int ds_retrieve_label_endpt(const char *label, endpoint_t *ep);
int ds_delete_label(const char *label);

#ifdef __cplusplus
}
#endif

#endif /* _MINIX_DS_H */
