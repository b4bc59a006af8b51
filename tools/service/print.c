// SPDX-License-Identifier: MIT
#include "print.h"

#include <string.h>

/*
 * The strings come from rs-daemon over netlink; a missing NUL must not
 * make us read past the field.
 */
#define FIELD_COPY(dst, src) \
	do { \
		size_t n_ = strnlen((src), sizeof(src)); \
		memcpy((dst), (src), n_); \
		(dst)[n_] = '\0'; \
	} while (0)

struct status_strings {
	char label[RS_MAX_LABEL_LEN + 1];
	char policy[sizeof(((struct rs_status *)0)->policy) + 1];
	char binary[RS_MAX_COMMAND_LEN + 1];
	char flags[STATUS_FLAGS_LEN];
};

void status_flags_text(uint32_t flags, char text[STATUS_FLAGS_LEN])
{
	static const struct {
		uint32_t flag;
		char letter;
	} letters[] = {
		{ RS_STATUS_ACTIVE, 'A' },
		{ RS_STATUS_UPDATING, 'U' },
		{ RS_STATUS_EXITING, 'E' },
		{ RS_STATUS_NOPINGREPLY, 'N' },
		{ RS_STATUS_INITIALIZING, 'I' },
		{ RS_STATUS_DEAD, 'D' },
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		if (flags & letters[i].flag)
			text[n++] = letters[i].letter;
	if (n == 0)
		text[n++] = '-';
	text[n] = '\0';
}

static void status_strings(const struct rs_status *status,
			   struct status_strings *s)
{
	FIELD_COPY(s->label, status->label);
	FIELD_COPY(s->policy, status->policy);
	FIELD_COPY(s->binary, status->binary);
	status_flags_text(status->flags, s->flags);
}

void status_print_text(FILE *out, const struct rs_status *status)
{
	struct status_strings s;

	status_strings(status, &s);
	fprintf(out, "label: %s\n", s.label);
	fprintf(out, "endpoint: %d\n", (int)status->endpoint);
	fprintf(out, "pid: %d\n", (int)status->pid);
	fprintf(out, "restarts: %u\n", (unsigned int)status->restarts);
	fprintf(out, "flags: %s\n", s.flags);
	fprintf(out, "policy: %s\n", s.policy);
	if (status->period_ms)
		fprintf(out, "period: %ums\n", (unsigned int)status->period_ms);
	else
		fprintf(out, "period: 0\n");
	fprintf(out, "binary: %s\n", s.binary);
}

static void json_string(FILE *out, const char *text)
{
	const unsigned char *c;

	fputc('"', out);
	for (c = (const unsigned char *)text; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

void status_print_json(FILE *out, const struct rs_status *status)
{
	struct status_strings s;

	status_strings(status, &s);
	fputs("{\"label\": ", out);
	json_string(out, s.label);
	fprintf(out, ", \"endpoint\": %d, \"pid\": %d, \"restarts\": %u",
		(int)status->endpoint, (int)status->pid,
		(unsigned int)status->restarts);
	fputs(", \"flags\": ", out);
	json_string(out, s.flags);
	fputs(", \"policy\": ", out);
	json_string(out, s.policy);
	fprintf(out, ", \"period_ms\": %u", (unsigned int)status->period_ms);
	fputs(", \"binary\": ", out);
	json_string(out, s.binary);
	fputc('}', out);
}
