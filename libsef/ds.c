/* SPDX-License-Identifier: MIT */
/*
 * Data Store client: each call is one blocking request to DS. The key
 * travels inline; the reply's m_type is the result and m_ds its data.
 */
#include <errno.h>
#include <string.h>

#include <minix/ds.h>

static int ds_key_valid(const char *key)
{
	size_t len;

	if (!key)
		return 0;
	len = strnlen(key, DS_MAX_KEYLEN);
	return len >= 1 && len < DS_MAX_KEYLEN;
}

/* Send one request; on OK, m holds DS's reply. */
static int ds_request(int type, const char *key, uint32_t flags,
		      uint32_t value, message *m)
{
	int r;

	if (!ds_key_valid(key))
		return -EINVAL;

	memset(m, 0, sizeof(*m));
	m->m_type = type;
	m->m_ds.flags = flags;
	m->m_ds.val_u32 = value;
	m->m_ds.owner = NONE;
	strcpy(m->m_ds.key, key);

	r = ipc_sendrec(DS_PROC_NR, m);
	if (r != OK)
		return r;
	return m->m_type;
}

/* Callers name the type by function; only the other flags are theirs. */
static uint32_t ds_user_flags(int flags)
{
	return (uint32_t)flags & ~(uint32_t)DSF_MASK_TYPE;
}

int ds_publish_u32(const char *key, u32_t value, int flags)
{
	message m;

	return ds_request(DS_PUBLISH, key, ds_user_flags(flags) | DSF_TYPE_U32,
			  value, &m);
}

int ds_retrieve_u32(const char *key, u32_t *value)
{
	message m;
	int r;

	if (!value)
		return -EINVAL;
	r = ds_request(DS_RETRIEVE, key, DSF_TYPE_U32, 0, &m);
	if (r == OK)
		*value = m.m_ds.val_u32;
	return r;
}

int ds_delete_u32(const char *key)
{
	message m;

	return ds_request(DS_DELETE, key, DSF_TYPE_U32, 0, &m);
}

int ds_publish_label(const char *label, endpoint_t ep, int flags)
{
	message m;

	return ds_request(DS_PUBLISH, label,
			  ds_user_flags(flags) | DSF_TYPE_LABEL, (uint32_t)ep,
			  &m);
}

int ds_retrieve_label_endpt(const char *label, endpoint_t *ep)
{
	message m;
	int r;

	if (!ep)
		return -EINVAL;
	r = ds_request(DS_RETRIEVE, label, DSF_TYPE_LABEL, 0, &m);
	if (r == OK)
		*ep = (endpoint_t)m.m_ds.val_u32;
	return r;
}

int ds_delete_label(const char *label)
{
	message m;

	return ds_request(DS_DELETE, label, DSF_TYPE_LABEL, 0, &m);
}
