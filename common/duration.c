// SPDX-License-Identifier: MIT
/*
 * MINIX's time formats, apart from the rest of the command line so that
 * rs-daemon (system.conf's `period`) can use them alone.
 */
#include "duration.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int service_parse_time_ms(const char *text, long clk_tck, uint32_t *ms)
{
	unsigned long long count, result;
	char *end;

	/* strtoull alone would accept " 5", "+5" and "-5". */
	if (!isdigit((unsigned char)text[0]))
		return EINVAL;
	errno = 0;
	count = strtoull(text, &end, 10);
	if (errno == ERANGE || count > INT32_MAX)
		return EINVAL;

	if (*end == '\0') {
		if (clk_tck <= 0)
			return EINVAL;
		result = (count * 1000 + (unsigned long long)clk_tck - 1) /
			 (unsigned long long)clk_tck;
	} else if (strcmp(end, "HZ") == 0) {
		result = count * 1000;
	} else if (strcmp(end, "ms") == 0) {
		result = count;
	} else {
		return EINVAL;
	}
	if (result > INT32_MAX)
		return EINVAL;
	*ms = (uint32_t)result;
	return 0;
}
