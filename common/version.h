/* SPDX-License-Identifier: MIT */
/*
 * --version and --help, which every mxsys program answers, daemons
 * included, before it does anything else (a service would otherwise try to
 * reach RS first). The version is the one in the file VERSION at the top of
 * the source tree. Every program of the build is linked with version.o.
 */
#ifndef MXSYS_COMMON_VERSION_H
#define MXSYS_COMMON_VERSION_H

extern const char mxsys_version[];

/*
 * If argv[1] is --version, print "PROG (mxsys) VERSION" on stdout and exit
 * 0; if help is not NULL and argv[1] is -h or --help, print help on stdout
 * and exit 0. Otherwise return: the program parses its arguments as before.
 * Only argv[1] counts, so that an argument meant for something else (a
 * service's -args) is never taken for one of these.
 */
void version_help_options(int argc, char *argv[], const char *prog,
			  const char *help);

#endif /* MXSYS_COMMON_VERSION_H */
