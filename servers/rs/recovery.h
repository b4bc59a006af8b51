/* SPDX-License-Identifier: MIT */
/*
 * RS's state across RS's death, put together: after every loop turn the
 * state is committed to the snapshot and only then are the turn's
 * answers sent (recovery_turn_end); a new RS resumes from the snapshot
 * (recovery_resume) or, when there is none, boots.
 */
#ifndef RS_RECOVERY_H
#define RS_RECOVERY_H

#include <stdbool.h>

/* The fd store names RS keeps its state and its relay socket under. */
#define RECOVERY_NL_NAME	"rs.nl"

/*
 * Take the snapshot if one is stored: true when found (then
 * recovery_resume() must follow), false to boot afresh.
 */
bool recovery_found(void);
/*
 * Restore the snapshot and check it against the module's slot table;
 * why goes to the log and to `status rs`. Requests the old RS died with
 * are answered ESRCH. Returns 0 or a negative error (the state is not
 * usable: RS cannot resume).
 */
int recovery_resume(const char *why);
/* Commit the state as it is now (the first half of a turn's end). */
void recovery_commit(void);
/* Commit the turn's state, then send its answers. */
void recovery_turn_end(void);
/* A clean exit: nothing is left for a successor. */
void recovery_forget(void);

#endif /* RS_RECOVERY_H */
