/* SPDX-License-Identifier: MIT */
/*
 * A tiny binary image of RS's state: a writer that appends fixed-size
 * values and blobs to a growing buffer, and a reader that takes them back
 * in the same order and fails, never overruns, on a short or corrupt
 * image. The snapshot (snapshot.c) stores one; each module writes and
 * reads its own part (*_save, *_restore).
 *
 * Values are in the host's byte order and structs as they are in memory:
 * an image is read back only by the same build of rs-daemon (the standby
 * is /proc/self/exe; a hand-started one checks the layout tag first).
 */
#ifndef RS_IMAGE_H
#define RS_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct image {
	unsigned char *data;
	size_t len, capacity;
	bool failed;		/* out of memory: the image is unusable */
};

struct image_reader {
	const unsigned char *data;
	size_t len, pos;
	bool failed;		/* read past the end, or a bad value */
};

/* Empty the writer (its buffer is kept for the next image). */
void image_reset(struct image *img);
void image_free(struct image *img);
void image_put(struct image *img, const void *data, size_t len);
void image_put_u32(struct image *img, uint32_t value);
void image_put_u64(struct image *img, uint64_t value);

void image_reader_init(struct image_reader *rd, const void *data, size_t len);
/* Copy len bytes out; zeroes and sets failed past the end. */
void image_get(struct image_reader *rd, void *data, size_t len);
uint32_t image_get_u32(struct image_reader *rd);
uint64_t image_get_u64(struct image_reader *rd);
/* A count of at most max, else failed (and 0). */
uint32_t image_get_count(struct image_reader *rd, uint32_t max);
/* Mark the image bad (a module found a value it cannot take). */
void image_fail(struct image_reader *rd);

#endif /* RS_IMAGE_H */
