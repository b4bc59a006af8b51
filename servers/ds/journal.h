/* SPDX-License-Identifier: MIT */
/*
 * The Data Store's journal: the durable form of the store, an append-only
 * sequence of checksummed records in one memory buffer (in ds-daemon, a
 * shared mapping of a memfd kept in DS's fd store, so that it outlives the
 * process). Pure logic: the buffer and its growth come from the caller.
 *
 * Layout: a header, then records. A record is a 32-bit payload length, a
 * CRC-32C of the payload, the payload, and padding to 8 bytes. The header's
 * `committed` is the end of the last whole request: records are written
 * past it first, and one aligned 8-byte store of the new end commits them
 * all at once. That store is the commit point. A process killed anywhere
 * before it leaves the records past `committed`, which recovery ignores
 * (the old state); killed after it, they are all there (the new state).
 * Nothing is ever torn: memory writes to a shared mapping outlive the
 * writer, so only the order of writes matters.
 */
#ifndef DS_JOURNAL_H
#define DS_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOURNAL_MAGIC		0x314c4a5344584d4dULL	/* "MMXDSJL1" */
#define JOURNAL_VERSION		1
#define JOURNAL_MAX_RECORD	(1u << 30)

struct journal_header {
	uint64_t magic;
	uint32_t version;
	uint32_t header_size;
	uint64_t committed;	/* end of the committed records, from 0 */
	uint64_t generation;	/* bumped by every compaction */
};

struct journal {
	unsigned char *base;	/* the buffer: a header and records */
	size_t size;		/* bytes of base usable */
	size_t tail;		/* end of appended records (maybe uncommitted) */
	/* Make base at least need bytes (base may move): OK or -errno. */
	int (*grow)(struct journal *j, size_t need);
	void *arg;
};

uint32_t journal_crc32c(const void *p, size_t len);
/* The same by tables alone, whatever the CPU has (for tests). */
uint32_t journal_crc32c_tables(const void *p, size_t len);

/* Write a fresh header (nothing committed) into j->base. */
int journal_format(struct journal *j, uint64_t generation);
/* Bytes a record of len takes in the journal. */
size_t journal_record_size(size_t len);
/* Append a record past the tail; not committed yet. */
int journal_append(struct journal *j, const void *rec, size_t len);
/* The commit point: everything appended so far becomes the state. */
void journal_commit(struct journal *j);
/* Forget what was appended since the last commit. */
void journal_abort(struct journal *j);
/* Bytes committed, header included. */
size_t journal_committed(const struct journal *j);

/* A header this code can read, whose committed end lies within size. */
bool journal_header_valid(const struct journal_header *h, size_t size);

/*
 * Check the header and call fn for every committed record from j->tail
 * on, in order (from the first record when j->tail lies in the header).
 * Returns the number of records this call applied, or -EBADMSG for a
 * buffer that is not a journal or whose committed part is damaged (a bad
 * checksum or length), or fn's first error. Either way j->tail is then
 * where the first record not applied starts (the committed end when all
 * were): a later call goes on from there, which is how a standby follows
 * a journal that another process keeps appending to.
 */
long journal_replay(struct journal *j,
		    int (*fn)(void *arg, const void *rec, size_t len),
		    void *arg);

#endif /* DS_JOURNAL_H */
