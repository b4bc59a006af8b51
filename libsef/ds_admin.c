// SPDX-License-Identifier: MIT
/* The Data Store's administration request: checks shared by RS and DS. */
#include <errno.h>
#include <string.h>

#include <minix/ds.h>
#include <minix/ds_admin.h>

_Static_assert(DS_ADMIN_KEYLEN == DS_MAX_KEYLEN, "a key as DS knows it");

const char *ds_admin_type_name(uint32_t type)
{
	switch (type) {
	case DSF_TYPE_U32:	return "u32";
	case DSF_TYPE_STR:	return "str";
	case DSF_TYPE_MEM:	return "mem";
	case DSF_TYPE_LABEL:	return "label";
	default:		return "?";
	}
}

int ds_admin_check(const struct ds_admin *rq)
{
	size_t keylen = strnlen(rq->key, sizeof(rq->key));

	if (keylen == sizeof(rq->key))
		return -EINVAL;
	switch (rq->op) {
	case DS_ADMIN_LIST:
		return OK;	/* the pattern may be empty; regcomp judges it */
	case DS_ADMIN_GET:
	case DS_ADMIN_DEL:
		if (!keylen)
			return -EINVAL;
		if (rq->type && !strcmp(ds_admin_type_name(rq->type), "?"))
			return -EINVAL;
		return OK;
	case DS_ADMIN_SET:
		if (!keylen)
			return -EINVAL;
		if (rq->type == DSF_TYPE_U32)
			return OK;
		/* A string: len bytes, the last one its only NUL. */
		if (rq->type != DSF_TYPE_STR || !rq->len ||
		    rq->len > sizeof(rq->data) ||
		    memchr(rq->data, '\0', rq->len) != rq->data + rq->len - 1)
			return -EINVAL;
		return OK;
	default:
		return -EINVAL;
	}
}
