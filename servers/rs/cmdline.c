// SPDX-License-Identifier: MIT
/* Command lines and labels of requests. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdline.h"

int cmdline_copy_field(char *dst, size_t dst_len, const char *field,
		       size_t field_len)
{
	const char *nul = memchr(field, '\0', field_len);

	if (!nul || (size_t)(nul - field) >= dst_len)
		return -EINVAL;
	memcpy(dst, field, (size_t)(nul - field) + 1);
	return 0;
}

int cmdline_build_argv(const char *binary, const char *args, char *buf,
		       char *argv[RS_ARGV_MAX])
{
	int argc = 0;
	char *cursor;
	int r;

	r = cmdline_copy_field(buf, RS_MAX_COMMAND_LEN, args,
			       RS_MAX_COMMAND_LEN);
	if (r < 0)
		return r;
	argv[argc++] = (char *)binary;
	cursor = buf;
	for (;;) {
		while (*cursor == ' ')
			cursor++;
		if (*cursor == '\0')
			break;
		if (argc == RS_ARGV_MAX - 1)
			return -E2BIG;
		argv[argc++] = cursor;
		while (*cursor != ' ' && *cursor != '\0')
			cursor++;
		if (*cursor == ' ')
			*cursor++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

int cmdline_default_label(const char *binary, char label[RS_MAX_LABEL_LEN])
{
	const char *base = strrchr(binary, '/');

	base = base ? base + 1 : binary;
	if (*base == '\0')
		return -EINVAL;
	strncpy(label, base, RS_MAX_LABEL_LEN - 1);
	label[RS_MAX_LABEL_LEN - 1] = '\0';
	return 0;
}

int cmdline_valid_label(const char *label)
{
	size_t len = strnlen(label, RS_MAX_LABEL_LEN);

	if (len == 0 || len >= RS_MAX_LABEL_LEN)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)label[i];

		if (c <= ' ' || c >= 0x7f || c == '/')
			return 0;
	}
	return 1;
}

int cmdline_check_binary(const char *path)
{
	struct stat st;

	if (path[0] != '/')
		return -EINVAL;
	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0)
		return -EINVAL;
	return 0;
}

int cmdline_command(const struct rs_request *rq,
		    char binary[RS_MAX_COMMAND_LEN],
		    char args[RS_MAX_COMMAND_LEN], char *why, size_t why_len)
{
	char arg_buffer[RS_MAX_COMMAND_LEN];
	char *argv[RS_ARGV_MAX];
	int r;

	r = cmdline_copy_field(binary, RS_MAX_COMMAND_LEN, rq->rss_cmd,
			       sizeof(rq->rss_cmd));
	if (r == 0)
		r = cmdline_copy_field(args, RS_MAX_COMMAND_LEN, rq->rss_args,
				       sizeof(rq->rss_args));
	if (r < 0) {
		snprintf(why, why_len, "the command or arguments are not a string");
		return r;
	}
	r = cmdline_check_binary(binary);
	if (r < 0) {
		snprintf(why, why_len,
			 "%.200s: not an executable file given by its absolute path",
			 binary);
		return r;
	}
	/* Check the arguments now rather than fail at every restart. */
	r = cmdline_build_argv(binary, args, arg_buffer, argv);
	if (r < 0)
		snprintf(why, why_len, "more than %d arguments", MAX_NR_ARGS);
	return r;
}
