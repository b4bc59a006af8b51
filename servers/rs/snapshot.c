// SPDX-License-Identifier: MIT
/* RS's state in a memfd of its fd store: two halves and a commit point. */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <minix/sef.h>

#include "log.h"
#include "snapshot.h"

#define SNAPSHOT_MAGIC		"MXRSSTAT"
#define SNAPSHOT_VERSION	1
#define HEADER_SIZE		4096
#define HALF_MIN		(64 * 1024)

struct in_hand {
	uint32_t id;
	uint32_t pad;
	uint64_t seq;		/* the commit the request saw */
};

struct header {
	char magic[8];
	uint32_t version;
	uint32_t layout;		/* of the state's structs */
	uint64_t half_size;
	_Atomic uint32_t active;	/* 0 or 1: the committed half */
	uint32_t pad;
	uint64_t len[2];
	uint64_t seq[2];		/* commit number of each half */
	_Atomic uint32_t nr_in_hand;
	uint32_t pad2;
	struct in_hand in_hand[SNAPSHOT_IN_HAND_MAX];
};

_Static_assert(sizeof(struct header) <= HEADER_SIZE, "header too large");

static struct {
	int fd;			/* -1: none yet */
	struct header *hdr;	/* the mapping */
	size_t size;
	bool warned_full;
} snap = { .fd = -1 };

static unsigned char *half(unsigned int index)
{
	return (unsigned char *)snap.hdr + HEADER_SIZE +
	       index * snap.hdr->half_size;
}

static void unmap(void)
{
	if (snap.hdr)
		munmap(snap.hdr, snap.size);
	if (snap.fd >= 0)
		close(snap.fd);
	snap.hdr = NULL;
	snap.fd = -1;
	snap.size = 0;
}

static int map(int fd, size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	unmap();
	snap.fd = fd;
	snap.hdr = p;
	snap.size = size;
	return 0;
}

static bool valid(uint32_t layout, size_t size)
{
	const struct header *h = snap.hdr;
	unsigned int a = atomic_load(&h->active);

	return memcmp(h->magic, SNAPSHOT_MAGIC, sizeof(h->magic)) == 0 &&
	       h->version == SNAPSHOT_VERSION && h->layout == layout &&
	       h->half_size >= HALF_MIN &&
	       h->half_size <= (size - HEADER_SIZE) / 2 && a <= 1 &&
	       h->len[a] <= h->half_size;
}

int snapshot_open(uint32_t layout)
{
	struct stat st;
	int fd = sef_fd_fetch(SNAPSHOT_NAME);
	int r;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || (size_t)st.st_size < HEADER_SIZE + 2 * HALF_MIN) {
		rs_warn("%s: too short to be a state, ignored", SNAPSHOT_NAME);
		close(fd);
		return 0;
	}
	r = map(fd, (size_t)st.st_size);
	if (r < 0) {
		close(fd);
		return r;
	}
	if (!valid(layout, (size_t)st.st_size)) {
		rs_warn("%s: not a state of this rs-daemon (another version?), ignored",
		       SNAPSHOT_NAME);
		unmap();
		return 0;
	}
	return 1;
}

const void *snapshot_state(size_t *len)
{
	unsigned int a;

	if (!snap.hdr) {
		*len = 0;
		return NULL;
	}
	a = atomic_load(&snap.hdr->active);
	*len = snap.hdr->len[a];
	return half(a);
}

unsigned int snapshot_in_hand(uint32_t ids[SNAPSHOT_IN_HAND_MAX])
{
	unsigned int n = 0, count;
	uint64_t seq;

	if (!snap.hdr)
		return 0;
	seq = snap.hdr->seq[atomic_load(&snap.hdr->active)];
	count = atomic_load(&snap.hdr->nr_in_hand);
	for (unsigned int i = 0; i < count && i < SNAPSHOT_IN_HAND_MAX; i++)
		if (snap.hdr->in_hand[i].seq == seq)
			ids[n++] = snap.hdr->in_hand[i].id;
	return n;
}

void snapshot_request_begin(uint32_t id)
{
	struct header *h = snap.hdr;
	unsigned int n;

	if (!h)
		return;
	n = atomic_load(&h->nr_in_hand);
	if (n >= SNAPSHOT_IN_HAND_MAX) {
		if (!snap.warned_full)
			rs_warn("more than %d requests in one turn: if RS dies now, some get no answer",
			       SNAPSHOT_IN_HAND_MAX);
		snap.warned_full = true;
		return;
	}
	h->in_hand[n] = (struct in_hand){
		.id = id, .seq = h->seq[atomic_load(&h->active)],
	};
	/* The entry is complete before the count shows it. */
	atomic_store(&h->nr_in_hand, n + 1);
}

/* A new memfd with halves of at least len bytes, data committed in it. */
static int commit_grown(const void *data, size_t len, uint32_t layout)
{
	uint64_t seq = snap.hdr ? snap.hdr->seq[atomic_load(&snap.hdr->active)] + 1 : 1;
	size_t half_size = HALF_MIN;
	struct header *h;
	size_t size;
	int fd, r;

	while (half_size < len)
		half_size *= 2;
	size = HEADER_SIZE + 2 * half_size;
	fd = memfd_create(SNAPSHOT_NAME, MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	h = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (h == MAP_FAILED) {
		r = -errno;
		close(fd);
		return r;
	}
	memcpy(h->magic, SNAPSHOT_MAGIC, sizeof(h->magic));
	h->version = SNAPSHOT_VERSION;
	h->layout = layout;
	h->half_size = half_size;
	h->len[0] = len;
	h->seq[0] = seq;
	memcpy((unsigned char *)h + HEADER_SIZE, data, len);
	atomic_store(&h->active, 0);
	/* The commit point: the store names the new file. */
	r = sef_fd_replace(SNAPSHOT_NAME, fd);
	if (r < 0) {
		munmap(h, size);
		close(fd);
		return r;
	}
	unmap();
	snap.fd = fd;
	snap.hdr = h;
	snap.size = size;
	return 0;
}

int snapshot_commit(const void *data, size_t len, uint32_t layout)
{
	struct header *h = snap.hdr;
	unsigned int a, next;
	int r;

	if (!h || len > h->half_size || h->layout != layout) {
		r = commit_grown(data, len, layout);
		if (r < 0)
			rs_err("cannot keep RS's state (%zu bytes) in %s: %s",
			       len, SNAPSHOT_NAME, sef_strerror(r));
		return r;
	}
	a = atomic_load(&h->active);
	if (h->len[a] == len && memcmp(half(a), data, len) == 0) {
		/* Nothing changed: the requests in hand are history all the same. */
		atomic_store(&h->nr_in_hand, 0);
		return 0;
	}
	next = !a;
	memcpy(half(next), data, len);
	h->len[next] = len;
	h->seq[next] = h->seq[a] + 1;
	/* The commit point: one store, after everything it publishes. */
	atomic_store(&h->active, next);
	atomic_store(&h->nr_in_hand, 0);
	return 0;
}

void snapshot_close(void)
{
	unmap();
}

void snapshot_remove(void)
{
	int r;

	unmap();
	r = sef_fd_remove(SNAPSHOT_NAME);
	if (r < 0 && r != -ENOENT)
		rs_err("cannot remove %s: %s", SNAPSHOT_NAME, sef_strerror(r));
}
