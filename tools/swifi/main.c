// SPDX-License-Identifier: MIT
/*
 * mxsys-swifi: software-implemented fault injection into a running process
 * through ptrace, MINIX swifi's fault types on x86-64. See mxsys-swifi(8).
 */
#include <stdio.h>

#include "inject.h"
#include "options.h"
#include "version.h"

#define PROG	"mxsys-swifi"

static void usage(FILE *out)
{
	fputs("usage: " PROG " --pid PID [--type TYPE] [--seed N] [--count N]\n"
	      "         [--function NAME]... | [--range START-END|START+LEN]...\n"
	      "         [--object FILE] [--register REG] [--signal SIG]\n"
	      "         [--activation WINDOW] [--dry-run] [--json]\n"
	      "       " PROG " --pid PID --coverage WINDOW [--function NAME]...\n"
	      "         [--object FILE] [--json]\n"
	      "TYPE, code (MINIX swifi's): text nop dst src branch ptr loop\n"
	      "      interface init stop, or random (the default: one of them);\n"
	      "      data: data bss heap stack pointer; thread: reg while1;\n"
	      "      process: hang signal.\n"
	      "--coverage: no fault; the functions the process enters in\n"
	      "WINDOW (a golden run), to give back as --function.\n"
	      "The same seed on the same binary gives the same fault; fault i of\n"
	      "--count uses seed+i. Exit status: 0 injected, 1 injection failed,\n"
	      "2 usage, 3 bad target, 4 nothing qualifies. See " PROG "(8).\n",
	      out);
}

int main(int argc, char **argv)
{
	struct swifi_options options;
	char err[256];

	/* --help stays getopt's, which also takes it after other options. */
	version_help_options(argc, argv, PROG, NULL);
	if (options_parse(argc, argv, &options, err, sizeof(err)) != 0) {
		fprintf(stderr, PROG ": %s\n", err);
		fputs("Try '" PROG " --help'.\n", stderr);
		return SWIFI_EXIT_USAGE;
	}
	if (options.help) {
		usage(stdout);
		return SWIFI_EXIT_OK;
	}
	return swifi_run(&options, stdout, stderr);
}
