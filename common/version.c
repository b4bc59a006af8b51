// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"

/* The Makefile passes the contents of VERSION. */
const char mxsys_version[] = MXSYS_VERSION;

/* Exit 0 once text is out, 1 if stdout could not take it (--version >/dev/full). */
static void print_and_exit(const char *text)
{
	fputs(text, stdout);
	exit(fflush(stdout) == 0 && !ferror(stdout) ? EXIT_SUCCESS : EXIT_FAILURE);
}

void version_help_options(int argc, char *argv[], const char *prog,
			  const char *help)
{
	char line[128];

	if (argc < 2)
		return;
	if (strcmp(argv[1], "--version") == 0) {
		snprintf(line, sizeof(line), "%s (mxsys) %s\n", prog,
			 mxsys_version);
		print_and_exit(line);
	}
	if (help && (strcmp(argv[1], "-h") == 0 ||
		     strcmp(argv[1], "--help") == 0))
		print_and_exit(help);
}
