/* SPDX-License-Identifier: MIT */
/*
 * The standby's side (`rs-daemon --standby`): wait until RS dies, then
 * take RS's slot (the module's swap, so RS's endpoint, queue and fd store
 * are ours) and return, to run as RS from its saved state.
 */
#ifndef RS_TAKEOVER_H
#define RS_TAKEOVER_H

#include <stddef.h>

/*
 * Block until RS is dead, then become RS. Returns 0 with why (what
 * happened to RS, for the log and status rs) filled, or a negative error
 * (the standby then exits: RS replaces it).
 */
int takeover_wait(char *why, size_t len);

#endif /* RS_TAKEOVER_H */
