// SPDX-License-Identifier: MIT
/* The campaign's throughput over time, injections marked (timeline.h). */
#include "timeline.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* A decimal number at text, all of it up to the end or a space. */
static bool number_at(const char *text, uint64_t *value, const char **end)
{
	char *stop;

	if (*text < '0' || *text > '9')
		return false;
	errno = 0;
	*value = strtoull(text, &stop, 10);
	if (errno || (*stop && *stop != ' ' && *stop != '\t' && *stop != '\n'))
		return false;
	if (end)
		*end = stop;
	return true;
}

bool timeline_progress_field(const char *text, const char *field,
			     uint64_t *value)
{
	size_t len = strlen(field);
	char *stop;
	unsigned long n;

	if (!len)
		return false;
	n = strtoul(field, &stop, 10);
	if (*stop == '\0' && n > 0) {
		const char *at = text;

		for (unsigned long i = 1;; i++) {
			at += strspn(at, " \t\n");
			if (!*at)
				return false;
			if (i == n)
				return number_at(at, value, NULL);
			at += strcspn(at, " \t\n");
		}
	}
	for (const char *line = text; *line; line += strcspn(line, "\n"),
	     line += *line == '\n') {
		if (!strncmp(line, field, len) && line[len] == '=')
			return number_at(line + len + 1, value, NULL);
	}
	return false;
}

struct sample {
	uint64_t t_us;
	unsigned long run;
	uint64_t count;
};

static int by_run_then_time(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return (x->t_us > y->t_us) - (x->t_us < y->t_us);
}

size_t timeline_write(FILE *samples, FILE *marks, FILE *throughput_dat,
		      FILE *script)
{
	struct sample *s = NULL, one;
	size_t n = 0, cap = 0, points = 0;
	uint64_t t0 = UINT64_MAX;
	char line[256];

	while (samples && fgets(line, sizeof(line), samples))
		if (sscanf(line, "%" SCNu64 " %lu %" SCNu64, &one.t_us,
			   &one.run, &one.count) == 3) {
			if (n == cap) {
				size_t more = cap ? 2 * cap : 256;
				struct sample *grown = realloc(s, more * sizeof(*s));

				if (!grown)
					break;
				s = grown;
				cap = more;
			}
			s[n++] = one;
			if (one.t_us < t0)
				t0 = one.t_us;
		}
	if (n)
		qsort(s, n, sizeof(*s), by_run_then_time);
	for (size_t i = 1; i < n; i++) {
		const struct sample *a = &s[i - 1], *b = &s[i];

		if (a->run != b->run) {
			if (points)
				fputs("\n", throughput_dat);
			continue;
		}
		if (b->t_us == a->t_us)
			continue;
		/* A count that went down (a client started anew): no rate. */
		fprintf(throughput_dat, "%.3f %.1f\n",
			(double)(b->t_us - t0) / 1e6,
			b->count >= a->count ?
			(double)(b->count - a->count) * 1e6 /
			(double)(b->t_us - a->t_us) : 0.0);
		points++;
	}
	free(s);
	if (!points)
		return 0;
	fprintf(script, "set output 'throughput.svg'\n"
		"set title 'Client answers per second; a line at each "
		"injection'\n"
		"unset logscale\nset autoscale\nset xrange [0:*]\n"
		"set yrange [0:*]\nset xlabel 's since the first run'\n"
		"set ylabel 'answers/s'\nunset arrow\n");
	while (marks && fgets(line, sizeof(line), marks)) {
		uint64_t t_us;

		if (sscanf(line, "%" SCNu64, &t_us) == 1 && t_us >= t0)
			fprintf(script, "set arrow from %.3f, graph 0 to %.3f, "
				"graph 1 nohead lc rgb 'red' dt 2\n",
				(double)(t_us - t0) / 1e6,
				(double)(t_us - t0) / 1e6);
	}
	fprintf(script, "plot 'throughput.dat' using 1:2 with lines lw 1.5 "
		"title 'answers/s', NaN with lines lc rgb 'red' dt 2 "
		"title 'injection'\nunset arrow\n");
	return points;
}
