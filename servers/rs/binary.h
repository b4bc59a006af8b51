/* SPDX-License-Identifier: MIT */
/*
 * -c (MINIX's use_copy): RS keeps a copy of the service's binary, so that
 * a restart or a replica runs what was started even after the file on
 * disk was replaced (with garbage) or deleted. The copy is a sealed memfd
 * in RS's fd store, "bin.<label>": it survives RS's own death with the
 * rest of RS's state, and is run with execveat(AT_EMPTY_PATH).
 *
 * A #! script is not copied (its interpreter would need the path of a
 * descriptor closed at exec): it runs from its path, as without -c.
 */
#ifndef RS_BINARY_H
#define RS_BINARY_H

/*
 * A descriptor of label's copy, made from path the first time: the
 * caller closes it. -1 when the binary is not to be copied (a script, or
 * no copy can be made: logged; the path is run then).
 */
int binary_copy_fd(const char *label, const char *path);
/* Forget label's copy (down, or an update to another binary). */
void binary_drop(const char *label);

#endif /* RS_BINARY_H */
