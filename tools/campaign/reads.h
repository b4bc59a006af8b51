/* SPDX-License-Identifier: MIT */
/*
 * What a device client saw around an injection: the reader workload
 * (campaign-tool reader) keeps every open-read-close it did, and this
 * sums them up relative to the injection and the target's death. Pure.
 */
#ifndef MXSYS_CAMPAIGN_READS_H
#define MXSYS_CAMPAIGN_READS_H

#include <stddef.h>
#include <stdint.h>

enum read_result { READ_OK, READ_FAILED, READ_WRONG };

struct read_record {
	uint64_t start_us, end_us;	/* CLOCK_MONOTONIC */
	enum read_result result;
};

struct reads_summary {
	uint64_t ok;		/* good reads that ended after the injection */
	uint64_t failed;	/* failed reads that ended after it */
	uint64_t wrong;		/* wrong texts that ended after it */
	/* The longest time without a good read, over the stretches that
	 * end after the injection (from the previous good read's end, or
	 * the first record's start, to the next good read's end, or the
	 * last record's end). */
	uint64_t max_stall_us;
	/* died_us > 0: the end of the first good read that started at or
	 * after died_us (served by a new instance), minus inject_us; -1 if
	 * none. died_us 0: -1. */
	int64_t serving_us;
};

/* records in the order they were done. */
void reads_summarize(const struct read_record *records, size_t count,
		     uint64_t inject_us, uint64_t died_us,
		     struct reads_summary *summary);

#endif /* MXSYS_CAMPAIGN_READS_H */
