/* SPDX-License-Identifier: MIT */
/* JSON output shared by the tools that print JSON (minix-service, mxsys-swifi). */
#ifndef MXSYS_COMMON_JSON_H
#define MXSYS_COMMON_JSON_H

#include <stdio.h>

/*
 * text as a JSON string, quotes included, valid JSON whatever its bytes:
 * well-formed UTF-8 is copied, control characters become \uXXXX, and each
 * byte that is not part of well-formed UTF-8 (labels and paths are bytes,
 * not text) becomes \u00XX, its value as a code point, so the output is
 * always valid UTF-8 too.
 */
void json_print_string(FILE *out, const char *text);

#endif /* MXSYS_COMMON_JSON_H */
