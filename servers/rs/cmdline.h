/* SPDX-License-Identifier: MIT */
/*
 * A service's command line and label, from a request (up, edit, update):
 * pure but for the stat() of the binary.
 */
#ifndef RS_CMDLINE_H
#define RS_CMDLINE_H

#include <stddef.h>

#include <minix/rs.h>

/* argv[0] (the binary), up to MAX_NR_ARGS arguments, the NULL. */
#define RS_ARGV_MAX		(MAX_NR_ARGS + 2)

/*
 * Build argv from the binary path and the space-separated arguments.
 * `buf` (at least RS_MAX_COMMAND_LEN bytes) receives a copy of `args`
 * that argv points into. Returns argc, or -E2BIG when there are more than
 * MAX_NR_ARGS arguments, or -EINVAL when args is not a NUL-terminated
 * string of at most RS_MAX_COMMAND_LEN - 1 characters.
 */
int cmdline_build_argv(const char *binary, const char *args, char *buf,
		       char *argv[RS_ARGV_MAX]);

/*
 * The default label: the binary's basename, truncated to
 * RS_MAX_LABEL_LEN - 1 characters as MINIX does. Returns 0, or -EINVAL if
 * the basename is empty (the path ends in '/').
 */
int cmdline_default_label(const char *binary, char label[RS_MAX_LABEL_LEN]);

/*
 * Copy a fixed-size, possibly unterminated request field into a string.
 * Returns 0, or -EINVAL if the field has no NUL within field_len (which
 * must not exceed dst_len).
 */
int cmdline_copy_field(char *dst, size_t dst_len, const char *field,
		       size_t field_len);

/* A label: 1 .. RS_MAX_LABEL_LEN - 1 printable characters, no space or '/'. */
int cmdline_valid_label(const char *label);

/*
 * A service binary: an absolute path to an executable regular file.
 * Returns 0, -EINVAL, or the -errno of stat().
 */
int cmdline_check_binary(const char *path);

/*
 * The binary and arguments of a request (up, edit, update to a binary):
 * both NUL-terminated, the binary executable by its absolute path, at
 * most MAX_NR_ARGS arguments. Returns 0, or a negative error with the
 * reason in why.
 */
int cmdline_command(const struct rs_request *rq,
		    char binary[RS_MAX_COMMAND_LEN],
		    char args[RS_MAX_COMMAND_LEN], char *why, size_t why_len);

#endif /* RS_CMDLINE_H */
