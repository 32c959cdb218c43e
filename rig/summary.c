/*
 * summary.c -- what a journal tells people (journal.h): the summary table,
 * case names and descriptions, and JUnit XML. Reads
 * the journal only through its accessors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "states.h"
#include "suite.h"

/* Summary rows: one per (arch, workload, mutant, func, action), in order of
   first appearance in the journal (deterministic). */
struct row {
	const struct ev_result *key;
	int acc, rej, unr, fail;
};

static int row_match(const struct ev_result *a, const struct ev_result *b)
{
	struct ev_result x = *a;
	x.pc = b->pc;
	x.hit = b->hit;
	return ev_result_same_key(&x, b);
}

void ev_journal_summary(const struct ev_journal *j, FILE *out)
{
	size_t n = ev_journal_count(j), nrows = 0, i, k;
	struct row *rows = calloc(n ? n : 1, sizeof *rows);
	int tot[4] = {0};

	if (!rows)
		return;
	for (i = 0; i < n; i++) {
		const struct ev_result *r = ev_journal_record(j, i);
		for (k = 0; k < nrows && !row_match(rows[k].key, r); k++)
			;
		if (k == nrows)
			rows[nrows++].key = r;
		rows[k].acc += r->verdict == EV_ACCEPTED;
		rows[k].rej += r->verdict == EV_REJECTED;
		rows[k].unr += r->verdict == EV_UNREACHED;
		rows[k].fail += !r->pass;
	}
	fprintf(out, "%-8s %-12s %-18s %-24s %-18s %8s %8s %9s %6s\n", "arch",
		"workload", "mutant", "function", "action", "accepted",
		"rejected", "unreached", "failed");
	for (k = 0; k < nrows; k++) {
		const struct ev_result *r = rows[k].key;
		fprintf(out, "%-8s %-12s %-18s %-24s %-18s %8d %8d %9d %6d\n",
			ev_arch_name(r->arch), r->workload,
			r->mutant ? r->mutant : "-", r->func,
			ev_action_name(r->action), rows[k].acc, rows[k].rej,
			rows[k].unr, rows[k].fail);
		tot[0] += rows[k].acc;
		tot[1] += rows[k].rej;
		tot[2] += rows[k].unr;
		tot[3] += rows[k].fail;
	}
	fprintf(out, "%-8s %-12s %-18s %-24s %-18s %8d %8d %9d %6d\n", "total",
		"", "", "", "", tot[0], tot[1], tot[2], tot[3]);
	free(rows);
}

/* How many cases of each arch created each catalogued state (STA-1). */
void ev_journal_state_counts(const struct ev_journal *j, size_t counts[][64],
			     uint64_t *created, int *swept)
{
	memset(counts, 0, sizeof(size_t) * EV_NUM_ARCHES * 64);
	memset(created, 0, sizeof(uint64_t) * EV_NUM_ARCHES);
	memset(swept, 0, sizeof(int) * EV_NUM_ARCHES);
	for (size_t i = 0; i < ev_journal_count(j); i++) {
		const struct ev_result *r = ev_journal_record(j, i);
		if (r->arch < 0 || r->arch >= EV_NUM_ARCHES)
			continue;
		swept[r->arch] = 1;
		created[r->arch] |= r->states;
		for (size_t k = 0; k < 64; k++)
			counts[r->arch][k] += r->states >> k & 1;
	}
}

void ev_journal_states(const struct ev_journal *j, FILE *out)
{
	size_t counts[EV_NUM_ARCHES][64];
	uint64_t created[EV_NUM_ARCHES];
	int swept[EV_NUM_ARCHES], a;
	size_t k, never = 0;
	char name[64];

	ev_journal_state_counts(j, counts, created, swept);
	fprintf(out, "\n%-24s", "states (cases)");
	for (a = 0; a < EV_NUM_ARCHES; a++)
		if (swept[a])
			fprintf(out, " %8s", ev_arch_name(a));
	fprintf(out, "   docs/states.md\n");
	for (k = 0; k < EV_NUM_STATES; k++) {
		fprintf(out, "%-24s", ev_state_name((int)k));
		for (a = 0; a < EV_NUM_ARCHES; a++)
			if (swept[a])
				fprintf(out, " %8zu", counts[a][k]);
		fputc('\n', out);
	}
	for (a = 0; a < EV_NUM_ARCHES; a++) {
		const char *sep = "";
		if (!swept[a])
			continue;
		fprintf(out, "%-9s", a == 0 || !swept[0] ? "reg-only" : "");
		fprintf(out, "%-8s ", ev_arch_name(a));
		for (k = EV_NUM_STATES; k < ev_states_ncat(a); k++) {
			ev_states_cat_name(a, k, name, sizeof name);
			fprintf(out, "%s%s %zu", sep,
				name + strlen(EV_STATE_REG_PREFIX),
				counts[a][k]);
			sep = ", ";
		}
		fputc('\n', out);
	}
	for (a = 0; a < EV_NUM_ARCHES; a++)
		for (k = 0; swept[a] && k < ev_states_ncat(a); k++)
			if (!(created[a] >> k & 1)) {
				ev_states_cat_name(a, k, name, sizeof name);
				fprintf(out, "%s%s %s",
					never++ ? ", " : "never created: ",
					ev_arch_name(a), name);
			}
	fprintf(out, "%s\n", never ? "" : "every catalogued state was created");
}

void ev_result_scenario_name(const struct ev_result *r, char *buf, size_t n)
{
	snprintf(buf, n, "scenarios/%s-%s%s%s-%s+%llu-%s-h%d.json",
		 ev_arch_name(r->arch), r->workload, r->mutant ? "-" : "",
		 r->mutant ? r->mutant : "", r->func,
		 (unsigned long long)r->offset, ev_action_name(r->action),
		 r->hit);
}

void ev_result_describe(const struct ev_result *r, char *buf, size_t n)
{
	snprintf(buf, n, "%s %s%s%s %s+%llu %s h%d", ev_arch_name(r->arch),
		 r->workload, r->mutant ? " " : "", r->mutant ? r->mutant : "",
		 r->func, (unsigned long long)r->offset,
		 ev_action_name(r->action), r->hit);
}

/* Same arch, workload, mutant and function. */
static int row_func_match(const struct ev_result *a, const struct ev_result *b)
{
	struct ev_result x = *a;
	x.action = b->action;
	return row_match(&x, b);
}

static void xml_textn(FILE *f, const char *s, size_t n);

static void xml_text(FILE *f, const char *s)
{
	xml_textn(f, s, s ? strlen(s) : 0);
}

static void xml_textn(FILE *f, const char *s, size_t n)
{
	for (; s && n && *s; s++, n--) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n')
				fputc(*s, f);
		}
	}
}

/* The suite of record i: the first record with its arch, workload, mutant
   and function. */
struct suite_tally {
	size_t first, tests, failures, skipped;
	double secs;
};

static void put_testcase(FILE *f, const struct ev_result *r, double secs,
			 const char *out_dir)
{
	char name[512];
	size_t stem = strlen(r->workload);

	if (stem > 3 && !strcmp(r->workload + stem - 3, ".go"))
		stem -= 3;
	fprintf(f, "    <testcase classname=\"%s.", ev_arch_name(r->arch));
	xml_textn(f, r->workload, stem);
	if (r->mutant) {
		fputc('.', f);
		xml_text(f, r->mutant);
	}
	fprintf(f, "\" name=\"");
	xml_text(f, r->func);
	fprintf(f, "+%llu %s h%d\" time=\"%.3f\">",
		(unsigned long long)r->offset, ev_action_name(r->action),
		r->hit, secs);
	if (r->verdict == EV_UNREACHED && r->pass)
		fprintf(f, "<skipped message=\"unreached\"/>");
	if (!r->pass) {
		ev_result_scenario_name(r, name, sizeof name);
		fprintf(f, "<failure type=\"");
		xml_text(f, r->check);
		fprintf(f, "\" message=\"");
		xml_text(f, r->check);
		fprintf(f, ": ");
		xml_text(f, r->detail);
		fprintf(f, "\">");
		xml_text(f, r->detail);
		fprintf(f, "\nscenario: %s/", out_dir ? out_dir : ".");
		xml_text(f, name);
		fprintf(f, "\nreplay: everypc replay %s/",
			out_dir ? out_dir : ".");
		xml_text(f, name);
		fprintf(f, "</failure>");
	}
	fprintf(f, "</testcase>\n");
}

static void put_suites(FILE *f, const struct ev_journal *j,
		       const struct ev_junit_opts *jo, struct suite_tally *t,
		       size_t nt, const size_t *suite_of)
{
	size_t k, i;
	for (k = 0; k < nt; k++) {
		const struct ev_result *r0 = ev_journal_record(j, t[k].first);
		fprintf(f, "  <testsuite name=\"%s ", ev_arch_name(r0->arch));
		xml_text(f, r0->workload);
		if (r0->mutant) {
			fputc(' ', f);
			xml_text(f, r0->mutant);
		}
		fputc(' ', f);
		xml_text(f, r0->func);
		fprintf(f,
			"\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
			"skipped=\"%zu\" time=\"%.3f\"",
			t[k].tests, t[k].failures, t[k].skipped, t[k].secs);
		if (jo && jo->timestamp)
			fprintf(f, " timestamp=\"%s\"", jo->timestamp);
		fprintf(f, ">\n");
		for (i = t[k].first; i < ev_journal_count(j); i++)
			if (suite_of[i] == k)
				put_testcase(f, ev_journal_record(j, i),
					     jo && jo->secs ? jo->secs[i] : 0,
					     jo ? jo->out_dir : NULL);
		fprintf(f, "  </testsuite>\n");
	}
}

/* Each record's suite (suite_of) and each suite's counts and time (t);
   returns the number of suites. */
static size_t tally_suites(const struct ev_journal *j,
			   const struct ev_junit_opts *jo,
			   struct suite_tally *t, size_t *suite_of)
{
	size_t nt = 0, i, k;
	for (i = 0; i < ev_journal_count(j); i++) {
		const struct ev_result *r = ev_journal_record(j, i);
		for (k = 0; k < nt && !row_func_match(
					  ev_journal_record(j, t[k].first), r);
		     k++)
			;
		if (k == nt)
			t[nt++].first = i;
		suite_of[i] = k;
		t[k].tests++;
		t[k].failures += !r->pass;
		t[k].skipped += r->pass && r->verdict == EV_UNREACHED;
		t[k].secs += jo && jo->secs ? jo->secs[i] : 0;
	}
	return nt;
}

int ev_journal_write_junit(const struct ev_journal *j, const char *path,
			   const struct ev_junit_opts *jo, char *err,
			   size_t errlen)
{
	size_t n = ev_journal_count(j), nt, i, skipped = 0;
	struct suite_tally *t = calloc(n ? n : 1, sizeof *t);
	size_t *suite_of = calloc(n ? n : 1, sizeof *suite_of);
	double total = 0;
	char tmp[4096];
	FILE *f = NULL;
	int rc = -1;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (!t || !suite_of) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	nt = tally_suites(j, jo, t, suite_of);
	for (i = 0; i < nt; i++)
		skipped += t[i].skipped;
	for (i = 0; jo && jo->secs && i < n; i++)
		total += jo->secs[i]; /* in record order, as the suites' */
	if (!(f = fopen(tmp, "w"))) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f,
		"<testsuites name=\"everypc\" tests=\"%zu\" failures=\"%d\" "
		"errors=\"0\" skipped=\"%zu\" time=\"%.3f\">\n",
		ev_journal_count(j), ev_journal_failures(j), skipped, total);
	put_suites(f, j, jo, t, nt, suite_of);
	fprintf(f, "</testsuites>\n");
	if (ferror(f) | (fclose(f) != 0) || rename(tmp, path) < 0) {
		f = NULL;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	f = NULL;
	rc = 0;
out:
	if (f) {
		fclose(f);
		unlink(tmp);
	}
	free(t);
	free(suite_of);
	return rc;
}
