/* SPDX-License-Identifier: MIT */
/* The Data Store's journal (see journal.h). */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "journal.h"

struct record_head {
	uint32_t len;
	uint32_t crc;
};

/*
 * CRC-32C (Castagnoli), eight bytes per step with eight tables ("slicing
 * by 8"), where the CPU has no crc32 instruction.
 */
static uint32_t crc_table[8][256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82F63B78u & -(c & 1));
		crc_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc_table[t][i] = (crc_table[t - 1][i] >> 8) ^
				crc_table[0][crc_table[t - 1][i] & 0xff];
}

static uint32_t crc_soft(uint32_t crc, const unsigned char *s, size_t len)
{
	while (len >= 8) {
		uint32_t lo = crc ^ ((uint32_t)s[0] | (uint32_t)s[1] << 8 |
				     (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24);
		uint32_t hi = (uint32_t)s[4] | (uint32_t)s[5] << 8 |
			      (uint32_t)s[6] << 16 | (uint32_t)s[7] << 24;

		crc = crc_table[7][lo & 0xff] ^ crc_table[6][(lo >> 8) & 0xff] ^
		      crc_table[5][(lo >> 16) & 0xff] ^ crc_table[4][lo >> 24] ^
		      crc_table[3][hi & 0xff] ^ crc_table[2][(hi >> 8) & 0xff] ^
		      crc_table[1][(hi >> 16) & 0xff] ^ crc_table[0][hi >> 24];
		s += 8;
		len -= 8;
	}
	while (len--)
		crc = crc_table[0][(crc ^ *s++) & 0xff] ^ (crc >> 8);
	return crc;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/*
 * SSE4.2's crc32 instruction computes the same CRC-32C eight bytes at a
 * time: a restart checks every byte of the journal, and this is several
 * times faster than the tables (also under QEMU's TCG, which runs the
 * instruction as one helper call instead of a dozen emulated loads).
 */
__attribute__((target("sse4.2")))
static uint32_t crc_sse42(uint32_t crc, const unsigned char *s, size_t len)
{
	uint64_t c = crc;

	while (len >= 8) {
		uint64_t v;

		memcpy(&v, s, 8);
		c = __builtin_ia32_crc32di(c, v);
		s += 8;
		len -= 8;
	}
	crc = (uint32_t)c;
	while (len--)
		crc = __builtin_ia32_crc32qi(crc, *s++);
	return crc;
}
#endif

static uint32_t (*crc_update)(uint32_t crc, const unsigned char *s,
			      size_t len) = crc_soft;

static void crc_pick(void)
{
	crc_init();
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	__builtin_cpu_init();
	if (__builtin_cpu_supports("sse4.2"))
		crc_update = crc_sse42;
#endif
}

uint32_t journal_crc32c(const void *p, size_t len)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, crc_pick);
	return ~crc_update(~0u, p, len);
}

uint32_t journal_crc32c_tables(const void *p, size_t len)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, crc_init);
	return ~crc_soft(~0u, p, len);
}

static struct journal_header *header(const struct journal *j)
{
	return (struct journal_header *)j->base;
}

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

size_t journal_record_size(size_t len)
{
	return sizeof(struct record_head) + pad8(len);
}

int journal_format(struct journal *j, uint64_t generation)
{
	struct journal_header h = {
		.magic = JOURNAL_MAGIC, .version = JOURNAL_VERSION,
		.header_size = sizeof(h), .committed = sizeof(h),
		.generation = generation,
	};
	int r;

	if (j->size < sizeof(h)) {
		r = j->grow ? j->grow(j, sizeof(h)) : -ENOSPC;
		if (r)
			return r;
	}
	memcpy(j->base, &h, sizeof(h));
	j->tail = sizeof(h);
	return 0;
}

int journal_append(struct journal *j, const void *rec, size_t len)
{
	struct record_head rh = { (uint32_t)len, journal_crc32c(rec, len) };
	size_t need;
	int r;

	if (len > JOURNAL_MAX_RECORD)
		return -E2BIG;
	need = j->tail + journal_record_size(len);
	if (need > j->size) {
		r = j->grow ? j->grow(j, need) : -ENOSPC;
		if (r)
			return r;
	}
	memcpy(j->base + j->tail, &rh, sizeof(rh));
	memcpy(j->base + j->tail + sizeof(rh), rec, len);
	memset(j->base + j->tail + sizeof(rh) + len, 0, pad8(len) - len);
	j->tail = need;
	return 0;
}

void journal_commit(struct journal *j)
{
	/* Records first, then the one aligned store that makes them count. */
	__atomic_store_n(&header(j)->committed, (uint64_t)j->tail,
			 __ATOMIC_RELEASE);
}

void journal_abort(struct journal *j)
{
	j->tail = (size_t)header(j)->committed;
}

size_t journal_committed(const struct journal *j)
{
	return (size_t)__atomic_load_n(&header(j)->committed,
				       __ATOMIC_ACQUIRE);
}

bool journal_header_valid(const struct journal_header *h, size_t size)
{
	return h->magic == JOURNAL_MAGIC && h->version == JOURNAL_VERSION &&
	       h->header_size == sizeof(*h) && h->committed >= sizeof(*h) &&
	       h->committed <= size;
}

long journal_replay(struct journal *j,
		    int (*fn)(void *arg, const void *rec, size_t len),
		    void *arg)
{
	struct journal_header h;
	size_t at;
	long n = 0;

	if (j->size < sizeof(h))
		return -EBADMSG;
	memcpy(&h, j->base, sizeof(h));
	h.committed = journal_committed(j);
	if (!journal_header_valid(&h, j->size))
		return -EBADMSG;
	at = j->tail > sizeof(h) ? j->tail : sizeof(h);
	if (at > h.committed)
		return -EBADMSG;
	for (; at < h.committed; n++) {
		struct record_head rh;
		int r;

		j->tail = at;	/* the first record not applied yet */
		if (h.committed - at < sizeof(rh))
			return -EBADMSG;
		memcpy(&rh, j->base + at, sizeof(rh));
		if (rh.len > JOURNAL_MAX_RECORD ||
		    journal_record_size(rh.len) > h.committed - at ||
		    journal_crc32c(j->base + at + sizeof(rh), rh.len) != rh.crc)
			return -EBADMSG;
		/* Padding is zero: every byte of a record is checked. */
		for (size_t i = rh.len; i < pad8(rh.len); i++)
			if (j->base[at + sizeof(rh) + i])
				return -EBADMSG;
		r = fn(arg, j->base + at + sizeof(rh), rh.len);
		if (r)
			return r;
		at += journal_record_size(rh.len);
	}
	j->tail = at;
	return n;
}
