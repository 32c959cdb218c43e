/*
 * report.c -- the sweep's HTML report (report.h).
 *
 * The page is streamed to a FILE in three passes over the rows: the totals
 * per arch, the failures, then the sections (RPT-3). A section's columns
 * are gathered into a scratch array, sorted and made unique; each table row
 * then finds its cells by binary search, so the whole page is O(n log n).
 * Every string from the caller goes through rpt_put_text or rpt_put_url
 * (RPT-2); all other output is literal. Write errors are not checked at each
 * fprintf: the FILE's error flag is read once at the end (RPT-4).
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_int.h"
#include "states.h"
#include "suite.h"

/* ---- grouping (RPT-3) ---- */

static int same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static int same_section(const struct ev_report_row *a,
			const struct ev_report_row *b)
{
	return a->res.arch == b->res.arch &&
	       same_str(a->res.workload, b->res.workload) &&
	       same_str(a->res.mutant, b->res.mutant) &&
	       same_str(a->res.func, b->res.func);
}

static int same_pc(const struct ev_report_row *a, const struct ev_report_row *b)
{
	return same_section(a, b) && a->res.pc == b->res.pc;
}

/* End of the run of rows from lo that equal rows[lo] under same. */
static size_t run_end(const struct ev_report_row *rows, size_t lo, size_t hi,
		      int (*same)(const struct ev_report_row *,
				  const struct ev_report_row *))
{
	size_t i = lo + 1;

	while (i < hi && same(&rows[lo], &rows[i]))
		i++;
	return i;
}

/* ---- the page's head and totals ---- */

static const char style[] =
    "body{font:14px/1.4 sans-serif;margin:1em 2em;color:#222}\n"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}\n"
    "th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;"
    "vertical-align:top}\n"
    "th{background:#f0f0f0}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "code,td.mono{font-family:monospace;white-space:pre}\n"
    "td.src{font-family:monospace;white-space:pre;color:#035}\n"
    "table.about th{text-align:right;font-weight:normal;color:#555}\n"
    "table.about td{font-family:monospace}\n"
    ".acc{background:#cdeccd}\n"
    ".rej{background:#e2e2e2;color:#555}\n"
    ".unr{background:#fff;color:#888;font-style:italic}\n"
    ".none{background:#fafafa;color:#888}\n"
    ".fail{background:#f4b8b8;color:#900;font-weight:bold}\n"
    "td.unsafe{color:#a50}\n"
    "td.detail,td.check{color:#900}\n"
    "tr.bad td.n{color:#900;font-weight:bold}\n"
    "tr:target{outline:2px solid #36c}\n"
    ".strip{display:grid;grid-auto-flow:column;grid-auto-columns:10px;"
    "gap:1px;margin:.2em 0 .8em;padding-bottom:2px;overflow-x:auto}\n"
    ".strip a,.strip span{display:block;box-sizing:border-box;"
    "border:1px solid #bbb;text-decoration:none}\n"
    "td.cmd code{white-space:pre-wrap;word-break:break-all}\n"
    ".strip .fail{background:#d22;border-color:#900}\n"
    ".legend span{display:inline-block;padding:0 .5em;margin-right:.3em;"
    "border:1px solid #bbb}\n";

/* The title's first line is the page's title; each further line is one
   "key: value" fact of the header, shown after the facts counted here
   (arches, cases). */
static void put_about(FILE *f, const char *facts,
		      const struct ev_report_row *rows, size_t n)
{
	const char *p = facts, *nl, *colon;
	int a, seen[EV_NUM_ARCHES] = {0}, any = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].res.arch >= 0 && rows[i].res.arch < EV_NUM_ARCHES)
			seen[rows[i].res.arch] = 1;
	fputs("<table class=\"about\">\n<tr><th>arches</th><td>", f);
	for (a = 0; a < EV_NUM_ARCHES; a++)
		if (seen[a])
			fprintf(f, "%s%s", any++ ? " " : "", ev_arch_name(a));
	fprintf(f, "</td></tr>\n<tr><th>cases</th><td>%zu</td></tr>\n", n);
	for (; p && *p; p = nl ? nl + 1 : p + strlen(p)) {
		char key[64], val[2048];
		nl = strchr(p, '\n');
		colon = strchr(p, ':');
		if (!colon || (nl && colon > nl) ||
		    colon - p >= (long)sizeof key)
			continue;
		snprintf(key, sizeof key, "%.*s", (int)(colon - p), p);
		for (colon++; *colon == ' '; colon++)
			;
		snprintf(val, sizeof val, "%.*s",
			 (int)((nl ? nl : colon + strlen(colon)) - colon),
			 colon);
		fputs("<tr><th>", f);
		rpt_put_text(f, key);
		fputs("</th><td>", f);
		rpt_put_text(f, val);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void put_head(FILE *f, const char *title,
		     const struct ev_report_row *rows, size_t n)
{
	const char *nl = strchr(title ? title : "", '\n');
	int len = nl ? (int)(nl - title) : (int)strlen(title ? title : "");
	char *first = malloc((size_t)len + 1);

	if (first)
		snprintf(first, (size_t)len + 1, "%s", title ? title : "");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n<title>",
	      f);
	rpt_put_text(f, first);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>",
		style);
	rpt_put_text(f, first);
	fputs("</h1>\n", f);
	free(first);
	put_about(f, nl ? nl + 1 : NULL, rows, n);
}

struct tally {
	size_t cases, failed;
	size_t verdict[EV_NOVERDICT + 1];
};

static void count(struct tally *t, const struct ev_report_row *r)
{
	t->cases++;
	t->failed += !r->res.pass;
	if (r->res.verdict >= 0 && r->res.verdict <= EV_NOVERDICT)
		t->verdict[r->res.verdict]++;
}

static void put_tally(FILE *f, const char *name, const struct tally *t)
{
	int v;

	fprintf(f,
		"<tr%s><th>%s</th><td class=\"n\">%zu</td>"
		"<td class=\"n\">%zu</td><td class=\"n\">%zu</td>",
		t->failed ? " class=\"bad\"" : "", name, t->cases,
		t->cases - t->failed, t->failed);
	for (v = 0; v <= EV_NOVERDICT; v++)
		fprintf(f, "<td class=\"n\">%zu</td>", t->verdict[v]);
	fputs("</tr>\n", f);
}

/* One line per arch present (an arch out of range counts as "?"), then
   the total. */
static void put_totals(FILE *f, const struct ev_report_row *rows, size_t n)
{
	struct tally t[EV_NUM_ARCHES + 1], all;
	size_t i;
	int a, v;

	memset(t, 0, sizeof t);
	memset(&all, 0, sizeof all);
	for (i = 0; i < n; i++) {
		a = rows[i].res.arch >= 0 && rows[i].res.arch < EV_NUM_ARCHES
			? rows[i].res.arch
			: EV_NUM_ARCHES;
		count(&t[a], &rows[i]);
		count(&all, &rows[i]);
	}
	fputs("<table class=\"totals\">\n<thead><tr><th>arch</th><th>cases</th>"
	      "<th>passed</th><th>failed</th>",
	      f);
	for (v = 0; v <= EV_NOVERDICT; v++)
		fprintf(f, "<th>%s</th>", ev_verdict_name(v));
	fputs("</tr></thead>\n<tbody>\n", f);
	for (a = 0; a <= EV_NUM_ARCHES; a++)
		if (t[a].cases)
			put_tally(f, ev_arch_name(a), &t[a]);
	put_tally(f, "all", &all);
	fputs("</tbody>\n</table>\n", f);
}

/* The state coverage (states.h): how many cases created each catalogued
   state, per arch present; a state never created is marked. */
static void put_states(FILE *f, const struct ev_report_row *rows, size_t n)
{
	size_t cnt[EV_NUM_ARCHES][64] = {{0}}, i, k, most = 0;
	uint64_t created[EV_NUM_ARCHES] = {0};
	int a, present[EV_NUM_ARCHES] = {0};
	char name[64];

	for (i = 0; i < n; i++) {
		a = rows[i].res.arch;
		if (a < 0 || a >= EV_NUM_ARCHES)
			continue;
		present[a] = 1;
		created[a] |= rows[i].res.states;
		for (k = 0; k < 64; k++)
			cnt[a][k] += rows[i].res.states >> k & 1;
	}
	for (a = 0; a < EV_NUM_ARCHES; a++)
		if (present[a] && ev_states_ncat(a) > most)
			most = ev_states_ncat(a);
	fputs("<h2 id=\"states\">States created</h2>\n<p>Cases whose stop "
	      "or action put the goroutine in each state of the catalogue "
	      "(docs/states.md); <span class=\"bad\">0</span>: never "
	      "created, so no bug that needs it can have been caught.</p>\n"
	      "<table class=\"totals\">\n<thead><tr>",
	      f);
	for (a = 0; a < EV_NUM_ARCHES; a++)
		if (present[a])
			fprintf(f, "<th>%s</th><th>cases</th>",
				ev_arch_name(a));
	fputs("</tr></thead>\n<tbody>\n", f);
	for (k = 0; k < most; k++) {
		fputs("<tr>", f);
		for (a = 0; a < EV_NUM_ARCHES; a++) {
			if (!present[a])
				continue;
			if (k >= ev_states_ncat(a)) {
				fputs("<td></td><td></td>", f);
				continue;
			}
			ev_states_cat_name(a, k, name, sizeof name);
			fprintf(f, "<td>%s</td><td class=\"n%s\">%zu</td>",
				name, created[a] >> k & 1 ? "" : " bad",
				cnt[a][k]);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
}

/* ---- the failures (report_fail.c) ---- */

static size_t count_failed(const struct ev_report_row *rows, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += !rows[i].res.pass;
	return k;
}

/* ---- the sections: one table row per PC ---- */

struct col {
	int action, hit;
};

static int col_cmp(const void *pa, const void *pb)
{
	const struct col *a = pa, *b = pb;

	if (a->action != b->action)
		return a->action < b->action ? -1 : 1;
	return (a->hit > b->hit) - (a->hit < b->hit);
}

/* Scratch space for one section, sized for the largest (n rows). */
struct scratch {
	struct col *cols; /* the section's columns, sorted and unique */
	size_t ncols;
	size_t *cell; /* per column: row index + 1, 0 when empty */
};

static void gather_cols(struct scratch *s, const struct ev_report_row *rows,
			size_t lo, size_t hi)
{
	size_t i, k = 0;

	for (i = lo; i < hi; i++) {
		s->cols[i - lo].action = rows[i].res.action;
		s->cols[i - lo].hit = rows[i].res.hit;
	}
	qsort(s->cols, hi - lo, sizeof *s->cols, col_cmp);
	for (i = 0; i < hi - lo; i++)
		if (k == 0 || col_cmp(&s->cols[k - 1], &s->cols[i]) != 0)
			s->cols[k++] = s->cols[i];
	s->ncols = k;
}

static void section_title(FILE *f, const struct ev_report_row *r)
{
	rpt_put_func(f, r, " &middot; ");
}

static void put_section_head(FILE *f, const struct scratch *s, size_t id,
			     const struct ev_report_row *r)
{
	size_t c;

	fprintf(f, "<section id=\"s%zu\">\n<h3>", id);
	section_title(f, r);
	fputs("</h3>\n<table class=\"pcs\">\n<thead><tr><th>offset</th>"
	      "<th>pc</th><th>line</th><th>source</th><th>safety</th>"
	      "<th>disassembly</th>",
	      f);
	for (c = 0; c < s->ncols; c++)
		fprintf(f, "<th>%s<br>hit %d</th>",
			ev_action_name(s->cols[c].action), s->cols[c].hit);
	fputs("<th>failure</th></tr></thead>\n<tbody>\n", f);
}

/* Fill s->cell for the rows [lo, hi) of one PC; where two rows share a
   column, a failure wins over a pass, else the first one stays. */
static void place_cells(struct scratch *s, const struct ev_report_row *rows,
			size_t lo, size_t hi)
{
	size_t i, c;
	struct col key;
	const struct col *hit;

	memset(s->cell, 0, s->ncols * sizeof *s->cell);
	for (i = lo; i < hi; i++) {
		key.action = rows[i].res.action;
		key.hit = rows[i].res.hit;
		hit = bsearch(&key, s->cols, s->ncols, sizeof key, col_cmp);
		c = (size_t)(hit - s->cols);
		if (!s->cell[c] ||
		    (rows[s->cell[c] - 1].res.pass && !rows[i].res.pass))
			s->cell[c] = i + 1;
	}
}

static const char *verdict_class(const struct ev_report_row *r)
{
	static const char *cls[] = {"acc", "rej", "unr", "none"};

	if (!r->res.pass)
		return "fail";
	return r->res.verdict >= 0 && r->res.verdict <= EV_NOVERDICT
		   ? cls[r->res.verdict]
		   : "none";
}

/* title="CHECK: DETAIL (expected V)" on a failure; "(expected V)" alone
   on a pass that differs from the expectation; nothing otherwise. */
static void put_verdict_title(FILE *f, const struct ev_report_row *r)
{
	if (r->res.pass && r->res.verdict == r->res.expected)
		return;
	fputs(" title=\"", f);
	if (!r->res.pass) {
		rpt_put_text(f, r->res.check ? r->res.check : "failed");
		if (r->res.detail && *r->res.detail) {
			fputs(": ", f);
			rpt_put_text(f, r->res.detail);
		}
		fputc(' ', f);
	}
	fprintf(f, "(expected %s)\"", ev_verdict_name(r->res.expected));
}

static void put_verdict(FILE *f, const struct ev_report_row *r)
{
	const char *name = ev_verdict_name(r->res.verdict);

	fprintf(f, "<td class=\"%s\"", verdict_class(r));
	put_verdict_title(f, r);
	fputc('>', f);
	if (!r->res.pass && r->scenario)
		rpt_put_link(f, r->scenario, name);
	else
		fputs(name, f);
	fputs("</td>", f);
}

/* The line and its text, shown once per run of PCs on the same line (the
   previous PC row's line: prev); "?" when unknown. */
static void put_line(FILE *f, const struct ev_report_row *r, int prev)
{
	if (r->res.line > 0 && r->res.line == prev)
		fputs("<td></td><td></td>", f);
	else if (r->res.line > 0)
		fprintf(f, "<td class=\"n\">%d</td>", r->res.line);
	else
		fputs("<td class=\"n\">?</td>", f);
	if (r->res.line <= 0 || r->res.line == prev)
		return;
	fputs("<td class=\"src\">", f);
	rpt_put_text(f, r->source);
	fputs("</td>", f);
}

/* Each failing cell's action, oracle and detail, visible in the row. */
static void put_row_failure(FILE *f, const struct scratch *s,
			    const struct ev_report_row *rows)
{
	size_t c;
	int k = 0;

	for (c = 0; c < s->ncols; c++) {
		const struct ev_report_row *r =
		    s->cell[c] ? &rows[s->cell[c] - 1] : NULL;
		if (!r || r->res.pass)
			continue;
		fprintf(f, "%s%s h%d: ", k++ ? "<br>" : "<td class=\"detail\">",
			ev_action_name(r->res.action), r->res.hit);
		rpt_put_text(f, r->res.check ? r->res.check : "failed");
		if (r->res.detail && *r->res.detail) {
			fputs(": ", f);
			rpt_put_text(f, r->res.detail);
		}
	}
	fputs(k ? "</td>" : "<td></td>", f);
}

static void put_pc_row(FILE *f, const struct scratch *s,
		       const struct ev_report_row *rows, size_t lo, int prev)
{
	const struct ev_report_row *r = &rows[lo];
	int safe = !r->safety || strcmp(r->safety, "safe") == 0;
	size_t c;

	fprintf(f,
		"<tr id=\"pc%zu\"><td class=\"mono\">+%" PRIu64
		"</td><td class=\"mono\">0x%" PRIx64 "</td>",
		lo, r->res.offset, r->res.pc);
	put_line(f, r, prev);
	fprintf(f, "<td%s>", safe ? "" : " class=\"unsafe\"");
	rpt_put_text(f, r->safety);
	fputs("</td><td class=\"mono\">", f);
	rpt_put_text(f, r->disasm);
	fputs("</td>", f);
	for (c = 0; c < s->ncols; c++) {
		if (s->cell[c])
			put_verdict(f, &rows[s->cell[c] - 1]);
		else
			fputs("<td></td>", f);
	}
	put_row_failure(f, s, rows);
	fputs("</tr>\n", f);
}

/* The section's overview: one cell per PC x column, coloured by verdict,
   each a link to its PC's row; PCs left to right, columns top to bottom. */
static void put_strip(FILE *f, struct scratch *s,
		      const struct ev_report_row *rows, size_t lo, size_t hi)
{
	size_t i, end, c;

	fprintf(f,
		"<div class=\"strip\" style=\"grid-template-rows:repeat(%zu,"
		"10px)\">\n",
		s->ncols);
	for (i = lo; i < hi; i = end) {
		end = run_end(rows, i, hi, same_pc);
		place_cells(s, rows, i, end);
		for (c = 0; c < s->ncols; c++) {
			const struct ev_report_row *r =
			    s->cell[c] ? &rows[s->cell[c] - 1] : NULL;
			if (!r) {
				fputs("<span class=\"none\"></span>", f);
				continue;
			}
			fprintf(
			    f,
			    "<a class=\"%s\" href=\"#pc%zu\" title=\"+%" PRIu64
			    " %s hit %d: %s\"></a>",
			    verdict_class(r), i, r->res.offset,
			    ev_action_name(r->res.action), r->res.hit,
			    r->res.pass ? ev_verdict_name(r->res.verdict)
					: "failed");
		}
		fputc('\n', f);
	}
	fputs("</div>\n", f);
}

static void put_section(FILE *f, struct scratch *s,
			const struct ev_report_row *rows, size_t lo, size_t hi,
			size_t id)
{
	size_t i, end;
	int prev = 0;

	gather_cols(s, rows, lo, hi);
	put_section_head(f, s, id, &rows[lo]);
	for (i = lo; i < hi; i = end) {
		end = run_end(rows, i, hi, same_pc);
		place_cells(s, rows, i, end);
		put_pc_row(f, s, rows, i, prev);
		prev = rows[i].res.line;
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
}

static const char legend[] =
    "<p class=\"legend\">Each function's strip: one cell per PC (left to "
    "right) and action (top to bottom), a link to the PC's row: "
    "<span class=\"acc\">accepted</span><span class=\"rej\">rejected"
    "</span><span class=\"unr\">unreached</span><span class=\"fail\">"
    "failed</span><span class=\"none\">no case</span></p>\n";

/* The contents: one line per section with its PCs, cases and failures,
   and its strip. */
static void put_contents(FILE *f, struct scratch *s,
			 const struct ev_report_row *rows, size_t n)
{
	size_t lo, hi, i, id = 0, npc, nfail;

	fputs("<h2 id=\"functions\">Functions</h2>\n", f);
	fputs(legend, f);
	fputs("<ul class=\"functions\">\n", f);
	for (lo = 0; lo < n; lo = hi, id++) {
		hi = run_end(rows, lo, n, same_section);
		for (npc = 0, i = lo; i < hi; npc++)
			i = run_end(rows, i, hi, same_pc);
		nfail = count_failed(rows + lo, hi - lo);
		fprintf(f, "<li><a href=\"#s%zu\">", id);
		section_title(f, &rows[lo]);
		fprintf(f, "</a>: %zu PCs, %zu cases, %zu failed\n", npc,
			hi - lo, nfail);
		gather_cols(s, rows, lo, hi);
		put_strip(f, s, rows, lo, hi);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

static int put_sections(FILE *f, const struct ev_report_row *rows, size_t n)
{
	struct scratch s;
	size_t lo, hi, id = 0;

	s.cols = malloc((n + 1) * sizeof *s.cols);
	s.cell = malloc((n + 1) * sizeof *s.cell);
	if (!s.cols || !s.cell) {
		free(s.cols);
		free(s.cell);
		return -1;
	}
	put_contents(f, &s, rows, n);
	for (lo = 0; lo < n; lo = hi, id++) {
		hi = run_end(rows, lo, n, same_section);
		put_section(f, &s, rows, lo, hi, id);
	}
	free(s.cols);
	free(s.cell);
	return 0;
}

static int put_page(FILE *f, const char *title,
		    const struct ev_report_row *rows, size_t n)
{
	size_t *pc_row = malloc((n + 1) * sizeof *pc_row), i, at = 0;

	if (!pc_row)
		return -1;
	for (i = 0; i < n; i++) { /* each row's PC row (RPT-3) */
		if (i > 0 && !same_pc(&rows[at], &rows[i]))
			at = i;
		pc_row[i] = at;
	}
	put_head(f, title, rows, n);
	put_totals(f, rows, n);
	put_states(f, rows, n);
	if (rpt_put_failures(f, rows, n, pc_row) < 0) {
		free(pc_row);
		return -1;
	}
	free(pc_row);
	if (put_sections(f, rows, n) < 0)
		return -1;
	fputs("</body>\n</html>\n", f);
	return 0;
}

/* ---- writing the file (RPT-4) ---- */

static int fail(char *err, size_t errlen, const char *what, int e)
{
	snprintf(err, errlen, "%s: %s", what, strerror(e));
	return -1;
}

/* Flush f to disk, close it and rename tmp over path. On error the
   temporary file is removed. */
static int commit(FILE *f, const char *tmp, const char *path, char *err,
		  size_t errlen)
{
	int e = 0;

	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
		e = errno ? errno : EIO;
	if (fclose(f) != 0 && !e)
		e = errno;
	if (e) {
		unlink(tmp);
		return fail(err, errlen, tmp, e);
	}
	if (rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		return fail(err, errlen, path, e);
	}
	return 0;
}

int ev_report_write_html(const char *path, const char *title,
			 const struct ev_report_row *rows, size_t n, char *err,
			 size_t errlen)
{
	char *tmp;
	FILE *f;
	int rc;

	if (!path || (n && !rows))
		return fail(err, errlen, "report", EINVAL);
	tmp = malloc(strlen(path) + sizeof ".tmp");
	if (!tmp)
		return fail(err, errlen, path, ENOMEM);
	strcpy(tmp, path);
	strcat(tmp, ".tmp");
	errno = 0;
	f = fopen(tmp, "w");
	if (!f)
		rc = fail(err, errlen, tmp, errno);
	else if (put_page(f, title, rows, n) < 0) {
		fclose(f);
		unlink(tmp);
		rc = fail(err, errlen, path, ENOMEM);
	} else
		rc = commit(f, tmp, path, err, errlen);
	free(tmp);
	return rc;
}
