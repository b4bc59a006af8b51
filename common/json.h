/* SPDX-License-Identifier: MIT */
/* JSON output shared by the tools that print JSON (minix-service, mxsys-swifi). */
#ifndef MXSYS_COMMON_JSON_H
#define MXSYS_COMMON_JSON_H

#include <stdio.h>

/* text as a JSON string, quotes included; control characters as \uXXXX. */
void json_print_string(FILE *out, const char *text);

#endif /* MXSYS_COMMON_JSON_H */
