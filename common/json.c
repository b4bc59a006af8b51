// SPDX-License-Identifier: MIT
/* Escaping a string for JSON. */
#include "json.h"

#include <stddef.h>

/*
 * The length of the well-formed UTF-8 sequence at c (1 to 4), or 0 if the
 * bytes there are not one: a stray continuation byte, a truncated
 * sequence, an overlong form, a surrogate or a code point above U+10FFFF
 * (RFC 3629).
 */
static size_t utf8_sequence(const unsigned char *c)
{
	size_t len, i;
	unsigned int cp;

	if (c[0] < 0x80)
		return 1;
	if (c[0] >= 0xc2 && c[0] <= 0xdf) {
		len = 2;
		cp = c[0] & 0x1f;
	} else if (c[0] >= 0xe0 && c[0] <= 0xef) {
		len = 3;
		cp = c[0] & 0x0f;
	} else if (c[0] >= 0xf0 && c[0] <= 0xf4) {
		len = 4;
		cp = c[0] & 0x07;
	} else {
		return 0;
	}
	/* A NUL is not a continuation byte, so this stops at the string's end. */
	for (i = 1; i < len; i++) {
		if ((c[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (c[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

void json_print_string(FILE *out, const char *text)
{
	const unsigned char *c = (const unsigned char *)text;
	size_t len;

	fputc('"', out);
	while (*c) {
		len = utf8_sequence(c);
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c < 0x20 || *c == 0x7f || len == 0)
			fprintf(out, "\\u%04x", *c);
		else
			fwrite(c, 1, len, out);
		c += len ? len : 1;
	}
	fputc('"', out);
}
