/*
 * report.c -- the sweep's HTML report (report.h).
 *
 * The page is streamed to a FILE in three passes over the rows: the totals
 * per arch, the failures, then the sections (RPT-3). A section's columns
 * are gathered into a scratch array, sorted and made unique; each table row
 * then finds its cells by binary search, so the whole page is O(n log n).
 * Every string from the caller goes through put_text or put_url (RPT-2);
 * all other output is literal. Write errors are not checked at each
 * fprintf: the FILE's error flag is read once at the end (RPT-4).
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suite.h"

/* ---- escaping (RPT-2) ---- */

static const char *entity(int c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	}
	return NULL;
}

/* A code point HTML forbids in text: controls other than white space. */
static int forbidden(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return 0;
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* Decode the UTF-8 sequence at s: its length, or 0 when it is not a valid
   (shortest-form, non-surrogate) sequence. The NUL terminator is never a
   continuation byte, so decoding stops at the end of the string. */
static int utf8_decode(const unsigned char *s, uint32_t *cp)
{
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
	int n, i;

	if (s[0] < 0x80)
		n = 1, *cp = s[0];
	else if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, *cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, *cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, *cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if (*cp < min[n] || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* s as HTML text, fit for an element or a quoted attribute. */
static void put_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		uint32_t cp;
		int n = utf8_decode(p, &cp);

		if (n == 0 || forbidden(cp))
			fputs("&#xFFFD;", f);
		else if (entity(*p))
			fputs(entity(*p), f);
		else
			fwrite(p, 1, (size_t)n, f);
		p += n ? n : 1;
	}
}

/* s as a link target: every byte but [A-Za-z0-9-._~/] percent-encoded,
   so no scheme (':'), query or fragment can appear. */
static void put_url(FILE *f, const char *s)
{
	static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz0123456789-._~/";

	for (; *s; s++) {
		if (strchr(plain, *s))
			fputc(*s, f);
		else
			fprintf(f, "%%%02X", (unsigned char)*s);
	}
}

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
    "td.acc{background:#cdeccd}\n"
    "td.rej{background:#e2e2e2;color:#555}\n"
    "td.unr{color:#888;font-style:italic}\n"
    "td.none{color:#888}\n"
    "td.fail{background:#f4b8b8;color:#900;font-weight:bold}\n"
    "td.unsafe{color:#a50}\n"
    "tr.bad td.n{color:#900;font-weight:bold}\n";

static void put_head(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n<title>",
	      f);
	put_text(f, title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>",
		style);
	put_text(f, title);
	fputs("</h1>\n", f);
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

/* ---- the failures ---- */

static void put_cell(FILE *f, const char *s)
{
	fputs("<td>", f);
	put_text(f, s);
	fputs("</td>", f);
}

/* A source line, "?" when unknown. */
static void put_line(FILE *f, int line)
{
	if (line > 0)
		fprintf(f, "<td class=\"n\">%d</td>", line);
	else
		fputs("<td class=\"n\">?</td>", f);
}

static void put_scenario_link(FILE *f, const char *scenario, const char *label)
{
	fputs("<a href=\"", f);
	put_url(f, scenario);
	fputs("\">", f);
	put_text(f, label);
	fputs("</a>", f);
}

/* Failure r, whose PC's table row has the id "pc<at>". */
static void put_failure(FILE *f, const struct ev_report_row *r, size_t at)
{
	fprintf(f, "<tr><td>%s</td>", ev_arch_name(r->res.arch));
	put_cell(f, r->res.workload);
	put_cell(f, r->res.mutant ? r->res.mutant : "-");
	fprintf(f, "<td><a href=\"#pc%zu\">", at);
	put_text(f, r->res.func);
	fprintf(f,
		"+0x%" PRIx64 "</a></td><td class=\"mono\">0x%" PRIx64 "</td>",
		r->res.offset, r->res.pc);
	put_line(f, r->res.line);
	fprintf(f, "<td>%s</td><td class=\"n\">%d</td><td>%s</td><td>%s</td>",
		ev_action_name(r->res.action), r->res.hit,
		ev_verdict_name(r->res.expected),
		ev_verdict_name(r->res.verdict));
	put_cell(f, r->res.check);
	put_cell(f, r->res.detail);
	fputs("<td>", f);
	if (r->scenario)
		put_scenario_link(f, r->scenario, r->scenario);
	fputs("</td></tr>\n", f);
}

static size_t count_failed(const struct ev_report_row *rows, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += !rows[i].res.pass;
	return k;
}

static void put_failures(FILE *f, const struct ev_report_row *rows, size_t n)
{
	size_t i, at = 0, nfail = count_failed(rows, n);

	fprintf(f, "<h2 id=\"failures\">Failures (%zu)</h2>\n", nfail);
	if (nfail == 0) {
		fputs("<p>None.</p>\n", f);
		return;
	}
	fputs("<table class=\"failures\">\n<thead><tr><th>arch</th>"
	      "<th>workload</th><th>mutant</th><th>function</th><th>pc</th>"
	      "<th>line</th><th>action</th><th>hit</th><th>expected</th>"
	      "<th>observed</th><th>check</th><th>detail</th>"
	      "<th>scenario</th></tr></thead>\n<tbody>\n",
	      f);
	for (i = 0; i < n; i++) {
		if (i > 0 && !same_pc(&rows[at], &rows[i]))
			at = i;
		if (!rows[i].res.pass)
			put_failure(f, &rows[i], at);
	}
	fputs("</tbody>\n</table>\n", f);
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
	fprintf(f, "%s &middot; ", ev_arch_name(r->res.arch));
	put_text(f, r->res.workload);
	if (r->res.mutant) {
		fputs(" &middot; mutant ", f);
		put_text(f, r->res.mutant);
	}
	fputs(" &middot; ", f);
	put_text(f, r->res.func);
}

static void put_section_head(FILE *f, const struct scratch *s, size_t id,
			     const struct ev_report_row *r)
{
	size_t c;

	fprintf(f, "<section id=\"s%zu\">\n<h3>", id);
	section_title(f, r);
	fputs("</h3>\n<table class=\"pcs\">\n<thead><tr><th>offset</th>"
	      "<th>pc</th><th>line</th><th>safety</th><th>disassembly</th>",
	      f);
	for (c = 0; c < s->ncols; c++)
		fprintf(f, "<th>%s<br>hit %d</th>",
			ev_action_name(s->cols[c].action), s->cols[c].hit);
	fputs("</tr></thead>\n<tbody>\n", f);
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
		put_text(f, r->res.check ? r->res.check : "failed");
		if (r->res.detail && *r->res.detail) {
			fputs(": ", f);
			put_text(f, r->res.detail);
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
		put_scenario_link(f, r->scenario, name);
	else
		fputs(name, f);
	fputs("</td>", f);
}

static void put_pc_row(FILE *f, const struct scratch *s,
		       const struct ev_report_row *rows, size_t lo)
{
	const struct ev_report_row *r = &rows[lo];
	int safe = !r->safety || strcmp(r->safety, "safe") == 0;
	size_t c;

	fprintf(f,
		"<tr id=\"pc%zu\"><td class=\"mono\">+0x%" PRIx64
		"</td><td class=\"mono\">0x%" PRIx64 "</td>",
		lo, r->res.offset, r->res.pc);
	put_line(f, r->res.line);
	fprintf(f, "<td%s>", safe ? "" : " class=\"unsafe\"");
	put_text(f, r->safety);
	fputs("</td><td class=\"mono\">", f);
	put_text(f, r->disasm);
	fputs("</td>", f);
	for (c = 0; c < s->ncols; c++) {
		if (s->cell[c])
			put_verdict(f, &rows[s->cell[c] - 1]);
		else
			fputs("<td></td>", f);
	}
	fputs("</tr>\n", f);
}

static void put_section(FILE *f, struct scratch *s,
			const struct ev_report_row *rows, size_t lo, size_t hi,
			size_t id)
{
	size_t i, end;

	gather_cols(s, rows, lo, hi);
	put_section_head(f, s, id, &rows[lo]);
	for (i = lo; i < hi; i = end) {
		end = run_end(rows, i, hi, same_pc);
		place_cells(s, rows, i, end);
		put_pc_row(f, s, rows, i);
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
}

/* The contents: one line per section with its PCs, cases and failures. */
static void put_contents(FILE *f, const struct ev_report_row *rows, size_t n)
{
	size_t lo, hi, i, id = 0, npc, nfail;

	fputs("<h2 id=\"functions\">Functions</h2>\n<ul>\n", f);
	for (lo = 0; lo < n; lo = hi, id++) {
		hi = run_end(rows, lo, n, same_section);
		for (npc = 0, i = lo; i < hi; npc++)
			i = run_end(rows, i, hi, same_pc);
		nfail = count_failed(rows + lo, hi - lo);
		fprintf(f, "<li><a href=\"#s%zu\">", id);
		section_title(f, &rows[lo]);
		fprintf(f, "</a>: %zu PCs, %zu cases, %zu failed</li>\n", npc,
			hi - lo, nfail);
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
	put_head(f, title);
	put_totals(f, rows, n);
	put_failures(f, rows, n);
	put_contents(f, rows, n);
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
