// SPDX-License-Identifier: MIT
/* The campaign summary: rows, table, CSV and plots. */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool row_matches(const struct report_row *row, const struct run *run)
{
	return !strcmp(row->target, run->target) &&
	       (!strcmp(row->type, "all") || !strcmp(row->type, run->type));
}

static size_t find_key(const struct report_row *rows, size_t count,
		       const char *target, const char *type)
{
	for (size_t i = 0; i < count; i++)
		if (!strcmp(rows[i].target, target) && !strcmp(rows[i].type, type))
			return i;
	return count;
}

static void add_key(struct report_row *rows, size_t *count,
		    const char *target, const char *type)
{
	if (find_key(rows, *count, target, type) < *count)
		return;
	strcpy(rows[*count].target, target);
	strcpy(rows[*count].type, type);
	(*count)++;
}

/* The intervals and percentiles of a filled-in row. */
static int finish_row(struct report_row *row)
{
	row->have_manifested_ci = !stats_wilson(row->manifested, row->injected,
						STATS_Z_95, &row->manifested_ci);
	row->have_recovered_ci = !stats_wilson(row->recovered, row->manifested,
					       STATS_Z_95, &row->recovered_ci);
	if (!row->latencies)
		return 0;
	stats_sort(row->recovery_ms, row->latencies);
	row->median_ms = stats_median(row->recovery_ms, row->latencies);
	row->p99_ms = stats_percentile(row->recovery_ms, row->latencies, 0.99);
	row->max_ms = row->recovery_ms[row->latencies - 1];
	int err = stats_bootstrap_percentile(row->recovery_ms, row->latencies,
			0.5, REPORT_RESAMPLES, 0.95, REPORT_BOOTSTRAP_SEED,
			&row->median_ci);
	if (!err)
		err = stats_bootstrap_percentile(row->recovery_ms,
			row->latencies, 0.99, REPORT_RESAMPLES, 0.95,
			REPORT_BOOTSTRAP_SEED, &row->p99_ci);
	return err;
}

int report_build(const struct run *runs, size_t count, struct report *report)
{
	struct report_row *keys, *rows;
	size_t nkeys = 0, nrows = 0;
	int err = 0;

	report->rows = NULL;
	report->count = 0;
	/* At most one key per run, and one "all" per target. */
	keys = calloc(count ? count : 1, sizeof(*keys));
	rows = calloc(count ? 2 * count : 1, sizeof(*rows));
	if (!keys || !rows) {
		free(keys);
		free(rows);
		return ENOMEM;
	}
	for (size_t i = 0; i < count; i++)
		add_key(keys, &nkeys, runs[i].target, runs[i].type);
	/* Per target (first appearance): its types, then its total. */
	for (size_t i = 0; i < nkeys; i++) {
		if (find_key(rows, nrows, keys[i].target, "all") < nrows)
			continue;
		for (size_t j = i; j < nkeys; j++)
			if (!strcmp(keys[j].target, keys[i].target))
				add_key(rows, &nrows, keys[j].target, keys[j].type);
		add_key(rows, &nrows, keys[i].target, "all");
	}
	free(keys);

	for (size_t r = 0; r < nrows && !err; r++) {
		struct report_row *row = &rows[r];

		row->recovery_ms = malloc((count ? count : 1) * sizeof(double));
		if (!row->recovery_ms) {
			err = ENOMEM;
			break;
		}
		for (size_t i = 0; i < count; i++) {
			const struct run *run = &runs[i];

			if (!row_matches(row, run))
				continue;
			row->runs++;
			row->count[run->class]++;
			if (run->class == RUN_NOT_INJECTED)
				continue;
			row->injected++;
			row->faults += run->faults;
			if (run->activated >= 0) {
				row->watched++;
				if (run->activated > 0)
					row->activated++;
			}
			if (run_class_manifested(run->class))
				row->manifested++;
			if (run_class_recovered(run->class)) {
				row->recovered++;
				if (run->recovery_us >= 0)
					row->recovery_ms[row->latencies++] =
						(double)run->recovery_us / 1000.0;
			}
			uint64_t errors = run->client_failed +
					  run->client_wrong + run->client_lost;
			row->client_errors += errors;
			if (errors)
				row->client_error_runs++;
		}
		err = finish_row(row);
	}
	report->rows = rows;
	report->count = nrows;
	if (err)
		report_free(report);
	return err;
}

void report_free(struct report *report)
{
	for (size_t i = 0; i < report->count; i++)
		free(report->rows[i].recovery_ms);
	free(report->rows);
	report->rows = NULL;
	report->count = 0;
}

static double percent(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* "p% [lo-hi]" or "-" into buf. */
static void rate_text(char *buf, size_t len, uint64_t part, uint64_t whole,
		      bool have_ci, const struct interval *ci)
{
	if (!have_ci) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(buf, len, "%.1f%% [%.1f-%.1f]", percent(part, whole),
		 100.0 * ci->low, 100.0 * ci->high);
}

static void latency_text(char *buf, size_t len, const struct report_row *row,
			 double value, const struct interval *ci)
{
	if (!row->latencies) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(buf, len, "%.1f [%.1f-%.1f]", value, ci->low, ci->high);
}

void report_print_table(const struct report *report, FILE *out)
{
	char act[48], man[48], rec[48], med[64], p99[64];

	fprintf(out, "%-8s %-9s %5s %6s %9s %-22s %-22s %5s %5s %5s %5s %4s "
		"%-22s %-22s %s\n", "target", "type", "runs", "inj", "act",
		"manifested [95% CI]", "recovered [95% CI]", "crash", "hang",
		"clnt", "lost", "os", "median ms [95% CI]", "p99 ms [95% CI]",
		"client errors (runs)");
	for (size_t i = 0; i < report->count; i++) {
		const struct report_row *row = &report->rows[i];

		if (row->watched)
			snprintf(act, sizeof(act), "%" PRIu64 "/%" PRIu64,
				 row->activated, row->watched);
		else
			snprintf(act, sizeof(act), "-");
		rate_text(man, sizeof(man), row->manifested, row->injected,
			  row->have_manifested_ci, &row->manifested_ci);
		rate_text(rec, sizeof(rec), row->recovered, row->manifested,
			  row->have_recovered_ci, &row->recovered_ci);
		latency_text(med, sizeof(med), row, row->median_ms, &row->median_ci);
		latency_text(p99, sizeof(p99), row, row->p99_ms, &row->p99_ci);
		fprintf(out, "%-8s %-9s %5" PRIu64 " %6" PRIu64 " %9s %-22s %-22s "
			"%5" PRIu64 " %5" PRIu64 " %5" PRIu64 " %5" PRIu64
			" %4" PRIu64 " %-22s %-22s %" PRIu64 " (%" PRIu64 ")\n",
			row->target, row->type, row->runs, row->injected, act, man,
			rec, row->count[RUN_CRASH_RECOVERED],
			row->count[RUN_HANG_RECOVERED],
			row->count[RUN_CLIENT_FAILURE],
			row->count[RUN_NOT_RECOVERED],
			row->count[RUN_OS_FAILURE], med, p99,
			row->client_errors, row->client_error_runs);
	}
	fprintf(out,
		"runs: injections (each a batch of faults into a fresh instance); "
		"inj: runs where mxsys-swifi injected; act: runs with a fault "
		"seen executed or read / runs watched (--activation)\n"
		"manifested: of inj; recovered: crash- and hang-recovered, of "
		"manifested (Wilson 95%% CI)\n"
		"crash/hang: recovered by RS after a crash / a missed heartbeat; "
		"clnt: the client saw a failure, the target did not die; "
		"lost: died, not recovered; os: module, RS or DS lost\n"
		"median/p99: injection to serving again, recovered runs "
		"(percentile bootstrap 95%% CI); client errors: failed + wrong + "
		"lost requests\n");
}

void report_print_csv(const struct report *report, FILE *out)
{
	fprintf(out, "target,type,runs,injected,faults,watched,activated,"
		"manifested,"
		"manifested_low,manifested_high,recovered,recovered_low,"
		"recovered_high");
	for (int c = 0; c < RUN_CLASSES; c++)
		fprintf(out, ",%s", run_class_name((enum run_class)c));
	fprintf(out, ",latencies,median_ms,median_low,median_high,p99_ms,"
		"p99_low,p99_high,max_ms,client_errors,client_error_runs\n");
	for (size_t i = 0; i < report->count; i++) {
		const struct report_row *row = &report->rows[i];

		fprintf(out, "%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64, row->target, row->type,
			row->runs, row->injected, row->faults, row->watched,
			row->activated, row->manifested);
		if (row->have_manifested_ci)
			fprintf(out, ",%.4f,%.4f", row->manifested_ci.low,
				row->manifested_ci.high);
		else
			fprintf(out, ",,");
		fprintf(out, ",%" PRIu64, row->recovered);
		if (row->have_recovered_ci)
			fprintf(out, ",%.4f,%.4f", row->recovered_ci.low,
				row->recovered_ci.high);
		else
			fprintf(out, ",,");
		for (int c = 0; c < RUN_CLASSES; c++)
			fprintf(out, ",%" PRIu64, row->count[c]);
		fprintf(out, ",%zu", row->latencies);
		if (row->latencies)
			fprintf(out, ",%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f",
				row->median_ms, row->median_ci.low,
				row->median_ci.high, row->p99_ms,
				row->p99_ci.low, row->p99_ci.high, row->max_ms);
		else
			fprintf(out, ",,,,,,,");
		fprintf(out, ",%" PRIu64 ",%" PRIu64 "\n", row->client_errors,
			row->client_error_runs);
	}
}

/* The classes in the outcome plot, in stacking order. */
static const enum run_class plotted[] = {
	RUN_NOT_MANIFESTED, RUN_CRASH_RECOVERED, RUN_HANG_RECOVERED,
	RUN_CLIENT_FAILURE, RUN_NOT_RECOVERED, RUN_OS_FAILURE,
};
#define PLOTTED	(sizeof(plotted) / sizeof(plotted[0]))

/* Whether row is drawn in the recovery plot: its type rows, or, when
 * there are more than REPORT_MAX_SERIES of those, the per-target totals
 * (the table has the per-type numbers). */
static bool recovery_series(const struct report_row *row, bool totals)
{
	return row->latencies && !strcmp(row->type, "all") == totals;
}

int report_write_plots(const struct report *report, FILE *outcomes_dat,
		       FILE *recovery_dat, FILE *script)
{
	size_t bars = 0, series = 0, type_series = 0;
	double max_ms = 0.0, min_ms = HUGE_VAL;
	bool totals, logscale;
	int plots = 0;

	fprintf(outcomes_dat, "# group");
	for (size_t c = 0; c < PLOTTED; c++)
		fprintf(outcomes_dat, " %s", run_class_name(plotted[c]));
	fprintf(outcomes_dat, "\n");
	for (size_t i = 0; i < report->count; i++) {
		const struct report_row *row = &report->rows[i];

		if (!strcmp(row->type, "all") || !row->injected)
			continue;
		fprintf(outcomes_dat, "\"%s/%s\"", row->target, row->type);
		for (size_t c = 0; c < PLOTTED; c++)
			fprintf(outcomes_dat, " %.3f",
				percent(row->count[plotted[c]], row->injected));
		fprintf(outcomes_dat, "\n");
		bars++;
		if (row->latencies)
			type_series++;
	}

	totals = type_series > REPORT_MAX_SERIES;
	for (size_t i = 0; i < report->count; i++) {
		const struct report_row *row = &report->rows[i];

		if (!recovery_series(row, totals))
			continue;
		for (size_t k = 0; k < row->latencies; k++)
			if (row->recovery_ms[k] > 0.0 &&
			    row->recovery_ms[k] < min_ms)
				min_ms = row->recovery_ms[k];
		if (row->max_ms > max_ms)
			max_ms = row->max_ms;
	}
	/* Times spread over orders of magnitude read better on a log axis;
	 * a time of 0 (a replica that served before the injector was done)
	 * is drawn at the axis's left end. */
	logscale = max_ms > 0.0 && max_ms / min_ms >= 20.0;
	for (size_t i = 0; i < report->count; i++) {
		const struct report_row *row = &report->rows[i];

		if (!recovery_series(row, totals))
			continue;
		/* One block per series; gnuplot's "index" counts blocks
		 * separated by two blank lines. The empirical CDF as
		 * explicit steps (each value twice: the fraction below it,
		 * then up to it), drawn with lines: a series of one value
		 * is still a visible step. */
		fprintf(recovery_dat, "%s# %s/%s\n", series ? "\n\n" : "",
			row->target, row->type);
		for (size_t k = 0; k < row->latencies; k++) {
			double ms = row->recovery_ms[k];

			if (logscale && ms < min_ms / 1.5)
				ms = min_ms / 1.5;
			fprintf(recovery_dat, "%.3f %.6f\n%.3f %.6f\n", ms,
				(double)k / (double)row->latencies, ms,
				(double)(k + 1) / (double)row->latencies);
		}
		series++;
	}

	fprintf(script, "# Written by mxsys-campaign report; run in this "
		"directory: gnuplot plots.gp\n"
		"set terminal svg size 900,540 dynamic enhanced font "
		"'sans,12'\nset key outside right top\nset grid ytics\n");
	if (bars) {
		fprintf(script, "set output 'outcomes.svg'\n"
			"set title 'Outcome of each injection, by fault type'\n"
			"set ylabel '%% of injections'\nset yrange [0:100]\n"
			"set xrange [-0.5:%zu.5]\n"
			"set style data histograms\n"
			"set style histogram rowstacked\n"
			"set style fill solid 0.8 border -1\nset boxwidth 0.7\n"
			"set xtics rotate by -30 noenhanced\n", bars - 1);
		for (size_t c = 0; c < PLOTTED; c++)
			fprintf(script, "%s'outcomes.dat' using %zu%s title '%s'",
				c ? ", \\\n     " : "plot ", c + 2,
				c ? "" : ":xtic(1)", run_class_name(plotted[c]));
		fprintf(script, "\nset xtics norotate\nset style data lines\n"
			"set style fill empty\n");
		plots++;
	}
	if (series) {
		fprintf(script, "set output 'recovery.svg'\n"
			"set title 'Recovery time: injection to serving again%s'\n"
			"set ylabel 'fraction of recovered runs'\n"
			"set yrange [0:1.05]\n",
			totals ? ", all types" : "");
		/* Every range explicit; a constant series still gets a
		 * visible span. */
		if (logscale)
			fprintf(script, "set logscale x\nset xlabel 'ms (log "
				"scale)'\nset xrange [%.3f:%.3f]\n",
				min_ms / 1.5, max_ms * 1.5);
		else
			fprintf(script, "set xlabel 'ms'\nset xrange "
				"[0:%.3f]\n", max_ms > 0.0 ? max_ms * 1.1 : 1.0);
		size_t k = 0;
		for (size_t i = 0; i < report->count; i++) {
			const struct report_row *row = &report->rows[i];

			if (!recovery_series(row, totals))
				continue;
			fprintf(script, "%s'recovery.dat' index %zu using 1:2 "
				"with lines lw 2 title '%s/%s' noenhanced",
				k ? ", \\\n     " : "plot ", k, row->target,
				row->type);
			k++;
		}
		fprintf(script, "\n");
		plots++;
	}
	return plots;
}
