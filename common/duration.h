/* SPDX-License-Identifier: MIT */
/*
 * Times as the programs take them: MINIX's forms (ticks, NHZ, Nms) and the
 * ones people type elsewhere (5s, 500ms). Shared by minix-service,
 * rs-daemon (system.conf's `period`, -P) and mxsys-swifi (--activation),
 * so that every place that takes a time takes the same words.
 */
#ifndef MXSYS_COMMON_DURATION_H
#define MXSYS_COMMON_DURATION_H

#include <stdint.h>

/* What a bare number ("5", no unit) counts in: it differs by program. */
enum duration_bare {
	DURATION_BARE_TICKS,	/* MINIX: clock ticks of clk_tck */
	DURATION_BARE_SECONDS,
	DURATION_BARE_MS,
};

/*
 * text is N (see bare), "Ns" or "NHZ" (seconds) or "Nms" (milliseconds):
 * digits only, no sign, space or fraction. Ticks round up so that a
 * non-zero time never becomes 0 ms. Returns 0, or EINVAL (malformed, or
 * above INT32_MAX ms, or ticks with clk_tck <= 0); *ms is left alone on
 * EINVAL.
 */
int duration_parse_ms(const char *text, enum duration_bare bare,
		      long clk_tck, uint32_t *ms);

/* minix-service's and system.conf's times: a bare number is ticks. */
int service_parse_time_ms(const char *text, long clk_tck, uint32_t *ms);

#endif /* MXSYS_COMMON_DURATION_H */
