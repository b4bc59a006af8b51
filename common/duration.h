/* SPDX-License-Identifier: MIT */
/*
 * MINIX's time formats, as minix-service and system.conf write them.
 * Shared by the CLI and rs-daemon (common/ is linked into both).
 */
#ifndef MXSYS_COMMON_DURATION_H
#define MXSYS_COMMON_DURATION_H

#include <stdint.h>

/*
 * A time as MINIX writes it: "N" (ticks of clk_tck, which is
 * sysconf(_SC_CLK_TCK)), "NHZ" (seconds) or "Nms". Ticks round up so that
 * a non-zero time never becomes 0 ms. Returns 0 or EINVAL (malformed, or
 * above INT32_MAX ms); *ms is left alone on EINVAL.
 */
int service_parse_time_ms(const char *text, long clk_tck, uint32_t *ms);

#endif /* MXSYS_COMMON_DURATION_H */
