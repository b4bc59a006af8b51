// SPDX-License-Identifier: MIT
/* The state image's writer and reader. */
#include <stdlib.h>
#include <string.h>

#include "image.h"

void image_reset(struct image *img)
{
	img->len = 0;
	img->failed = false;
}

void image_free(struct image *img)
{
	free(img->data);
	*img = (struct image){ 0 };
}

void image_put(struct image *img, const void *data, size_t len)
{
	if (img->failed || len == 0)
		return;
	if (img->len + len > img->capacity) {
		size_t capacity = img->capacity ? img->capacity : 4096;
		unsigned char *grown;

		while (capacity < img->len + len)
			capacity *= 2;
		grown = realloc(img->data, capacity);
		if (!grown) {
			img->failed = true;
			return;
		}
		img->data = grown;
		img->capacity = capacity;
	}
	memcpy(img->data + img->len, data, len);
	img->len += len;
}

void image_put_u32(struct image *img, uint32_t value)
{
	image_put(img, &value, sizeof(value));
}

void image_put_u64(struct image *img, uint64_t value)
{
	image_put(img, &value, sizeof(value));
}

void image_reader_init(struct image_reader *rd, const void *data, size_t len)
{
	*rd = (struct image_reader){ .data = data, .len = len };
}

void image_get(struct image_reader *rd, void *data, size_t len)
{
	if (rd->failed || len > rd->len - rd->pos) {
		rd->failed = true;
		memset(data, 0, len);
		return;
	}
	memcpy(data, rd->data + rd->pos, len);
	rd->pos += len;
}

uint32_t image_get_u32(struct image_reader *rd)
{
	uint32_t value;

	image_get(rd, &value, sizeof(value));
	return value;
}

uint64_t image_get_u64(struct image_reader *rd)
{
	uint64_t value;

	image_get(rd, &value, sizeof(value));
	return value;
}

uint32_t image_get_count(struct image_reader *rd, uint32_t max)
{
	uint32_t n = image_get_u32(rd);

	if (n > max) {
		rd->failed = true;
		return 0;
	}
	return n;
}

void image_fail(struct image_reader *rd)
{
	rd->failed = true;
}
