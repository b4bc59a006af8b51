// SPDX-License-Identifier: MIT
/* Summing up a device client's reads around an injection. */
#include "reads.h"

#include <stdbool.h>

void reads_summarize(const struct read_record *records, size_t count,
		     uint64_t inject_us, uint64_t died_us,
		     struct reads_summary *summary)
{
	uint64_t last_good = count ? records[0].start_us : 0;
	bool open_stretch = false;

	*summary = (struct reads_summary){ .serving_us = -1 };
	for (size_t i = 0; i < count; i++) {
		const struct read_record *r = &records[i];
		bool after = r->end_us >= inject_us;

		if (after) {
			if (r->result == READ_OK)
				summary->ok++;
			else if (r->result == READ_FAILED)
				summary->failed++;
			else
				summary->wrong++;
		}
		if (r->result == READ_OK) {
			if (after && r->end_us - last_good > summary->max_stall_us)
				summary->max_stall_us = r->end_us - last_good;
			last_good = r->end_us;
			open_stretch = false;
			if (died_us && summary->serving_us < 0 &&
			    r->start_us >= died_us && r->end_us >= inject_us)
				summary->serving_us = (int64_t)(r->end_us - inject_us);
		} else {
			open_stretch = true;
		}
	}
	/* Still without a good read at the end: that stretch counts too. */
	if (count && (open_stretch || !summary->ok)) {
		uint64_t end = records[count - 1].end_us;

		if (end >= inject_us && end - last_good > summary->max_stall_us)
			summary->max_stall_us = end - last_good;
	}
}
