// SPDX-License-Identifier: MIT
/*
 * Parsing times, apart from the rest of any command line so that every
 * program links the same words for them.
 */
#include "duration.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int duration_parse_ms(const char *text, enum duration_bare bare,
		      long clk_tck, uint32_t *ms)
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

	if (*end == '\0' && bare == DURATION_BARE_TICKS) {
		if (clk_tck <= 0)
			return EINVAL;
		result = (count * 1000 + (unsigned long long)clk_tck - 1) /
			 (unsigned long long)clk_tck;
	} else if ((*end == '\0' && bare == DURATION_BARE_SECONDS) ||
		   strcmp(end, "HZ") == 0 || strcmp(end, "s") == 0) {
		result = count * 1000;
	} else if ((*end == '\0' && bare == DURATION_BARE_MS) ||
		   strcmp(end, "ms") == 0) {
		result = count;
	} else {
		return EINVAL;
	}
	if (result > INT32_MAX)
		return EINVAL;
	*ms = (uint32_t)result;
	return 0;
}

int service_parse_time_ms(const char *text, long clk_tck, uint32_t *ms)
{
	return duration_parse_ms(text, DURATION_BARE_TICKS, clk_tck, ms);
}
