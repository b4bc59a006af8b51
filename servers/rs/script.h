/* SPDX-License-Identifier: MIT */
/*
 * Recovery scripts (minix-service -script): instead of restarting a dead
 * service, RS runs `/bin/sh <script> <label> <reason> <incarnation>` and
 * lets it decide (typically `minix-service restart <label>` or `down`).
 */
#ifndef RS_SCRIPT_H
#define RS_SCRIPT_H

/*
 * Start the script in the background; RS reaps it with its other
 * children. reason is "restart", "no-heartbeat" or "terminated".
 * Returns the child's pid, or a negative error (logged).
 */
int script_run(const char *script, const char *label, const char *reason,
	       unsigned int incarnation);

#endif /* RS_SCRIPT_H */
