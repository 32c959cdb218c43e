/* test_report.c -- the HTML report: escaping (RPT-2), one table row per PC
   and the column set (RPT-3), the failure list and its scenario links,
   totals, determinism (RPT-1), the temporary file and errors (RPT-4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "suite.h"
#include "tmpdir.h"

static int setup(void **state)
{
	(void)state;
	return tmpdir_make("report");
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove();
}

static const char *in_dir(const char *name)
{
	static char path[2][600];
	static int k;

	k ^= 1;
	snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
	return path[k];
}

/* A passing case of main.push on arm64 at PC 0x1000 + off. */
static struct ev_report_row mk(uint64_t off, int action, int hit, int verdict)
{
	struct ev_report_row r = {0};

	r.res.arch = EV_ARM64;
	r.res.workload = "list.go";
	r.res.func = "main.push";
	r.res.pc = 0x1000 + off;
	r.res.offset = off;
	r.res.line = 17;
	r.disasm = "mov x0, x9";
	r.safety = "safe";
	r.res.hit = hit;
	r.res.action = action;
	r.res.verdict = verdict;
	r.res.expected = verdict;
	r.res.pass = 1;
	return r;
}

static void failed(struct ev_report_row *r, const char *check,
		   const char *detail, const char *scenario)
{
	r->res.pass = 0;
	r->res.expected =
	    r->res.verdict == EV_ACCEPTED ? EV_REJECTED : EV_ACCEPTED;
	r->res.check = check;
	r->res.detail = detail;
	r->scenario = scenario;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* Write rows to NAME in dir and return the page (malloc'ed). */
static char *page(const char *name, const struct ev_report_row *rows, size_t n)
{
	char err[256] = "";
	const char *path = in_dir(name);

	assert_int_equal(ev_report_write_html(path, "sweep <default>", rows, n,
					      err, sizeof err),
			 0);
	assert_string_equal(err, "");
	return slurp(path);
}

static size_t occurrences(const char *s, const char *end, const char *what)
{
	size_t k = 0, len = strlen(what);

	while ((s = strstr(s, what)) && (!end || s < end)) {
		k++;
		s += len;
	}
	return k;
}

/* The text of section ID, from its tag to its end tag. */
static const char *section(const char *html, int id, const char **end)
{
	char tag[32];
	const char *s;

	snprintf(tag, sizeof tag, "<section id=\"s%d\">", id);
	s = strstr(html, tag);
	assert_non_null(s);
	*end = strstr(s, "</section>");
	assert_non_null(*end);
	return s;
}

/* Every element the report opens is closed. */
static void assert_balanced(const char *html)
{
	static const char *tags[] = {"table", "thead",	 "tbody", "tr",	 "td",
				     "th",    "section", "a",	  "ul",	 "li",
				     "h1",    "h2",	 "h3",	  "code"};
	char open[16], close[16];
	size_t i;

	for (i = 0; i < sizeof tags / sizeof *tags; i++) {
		snprintf(open, sizeof open, "<%s>", tags[i]);
		snprintf(close, sizeof close, "</%s>", tags[i]);
		size_t plain = occurrences(html, NULL, open);
		snprintf(open, sizeof open, "<%s ", tags[i]);
		assert_int_equal(plain + occurrences(html, NULL, open),
				 occurrences(html, NULL, close));
	}
	assert_non_null(strstr(html, "<!DOCTYPE html>\n"));
	assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(html, "</html>\n"));
}

static void test_escaping(void **state)
{
	struct ev_report_row r[2] = {mk(4, EV_PREEMPT, 1, EV_ACCEPTED),
				     mk(8, EV_PREEMPT, 1, EV_REJECTED)};
	char *html;

	(void)state;
	r[0].disasm = "ldr x0, [x1] ; <main.f+8> & \"q\" 'r'";
	r[1].res.workload = "a&b.go";
	failed(&r[1], "liveness", "x3 = <freed> & \"q\"", NULL);
	html = page("esc.html", r, 2);
	assert_non_null(strstr(html, "<title>sweep &lt;default&gt;</title>"));
	assert_non_null(strstr(
	    html,
	    "ldr x0, [x1] ; &lt;main.f+8&gt; &amp; &quot;q&quot; &#39;r&#39;"));
	assert_null(strstr(html, "<main.f+8>"));
	/* the detail, in the failure list, in the row and in the cell's
	   title */
	assert_int_equal(
	    occurrences(html, NULL, "x3 = &lt;freed&gt; &amp; &quot;q&quot;"),
	    3);
	assert_non_null(strstr(html,
			       " title=\"liveness: x3 = &lt;freed&gt; "
			       "&amp; &quot;q&quot; (expected accepted)\""));
	assert_null(strstr(html, "<freed>"));
	assert_non_null(strstr(html, "a&amp;b.go"));
	assert_null(strstr(html, "a&b.go"));
	assert_balanced(html);
	free(html);
}

static void test_bad_bytes(void **state)
{
	struct ev_report_row r = mk(0, EV_PREEMPT, 1, EV_ACCEPTED);
	char *html;

	(void)state;
	/* a control character, a lone continuation byte, a surrogate, an
	   overlong '/', a truncated sequence; then valid two- and
	   three-byte characters that stay as they are */
	r.disasm = "a\x01"
		   "b\x80"
		   "c\xed\xa0\x80"
		   "d\xc0\xaf"
		   "e\xe2\x82"
		   "|\xc3\xa9\xe2\x82\xac";
	html = page("bytes.html", &r, 1);
	assert_non_null(strstr(html, "a&#xFFFD;b&#xFFFD;c&#xFFFD;&#xFFFD;"
				     "&#xFFFD;d&#xFFFD;&#xFFFD;e&#xFFFD;"
				     "&#xFFFD;|\xc3\xa9\xe2\x82\xac"));
	free(html);
}

/* test_one_row_per_pc's strips, in the contents: one cell per PC x
   column, each linking its row, PCs in order. */
static void assert_strips(const char *html)
{
	const char *s = strstr(html, "<div class=\"strip\" style=\"grid-"
				     "template-rows:repeat(4,10px)\">\n");

	assert_non_null(s);
	assert_int_equal(
	    occurrences(s, strstr(s, "</div>"), "<a class=\"acc\" href=\"#pc"),
	    12);
	assert_non_null(strstr(s, "<a class=\"acc\" href=\"#pc8\" title=\"+8 "
				  "preempt hit 1: accepted\"></a>"));
	assert_true(strstr(s, "#pc0") < strstr(s, "#pc4"));
	assert_true(strstr(s, "#pc4") < strstr(s, "#pc8"));
	s = strstr(s + 1, "<div class=\"strip\"");
	assert_non_null(s);
	assert_int_equal(occurrences(s, strstr(s, "</div>"), "href=\"#pc"), 1);
}

/* Section 0: 3 PCs x {preempt, preempt-gc} x hits {1, 2}, with PC 8's
   hits out of order; section 1: another function, one column. */
static void test_one_row_per_pc(void **state)
{
	static const int acts[2] = {EV_PREEMPT, EV_PREEMPT_GC};
	struct ev_report_row r[13];
	const char *s, *end;
	size_t n = 0;
	char *html;
	int pc, a, h;

	(void)state;
	for (pc = 0; pc < 3; pc++)
		for (a = 0; a < 2; a++)
			for (h = 1; h <= 2; h++) {
				r[n] = mk(4 * pc, acts[a], pc == 2 ? 3 - h : h,
					  EV_ACCEPTED);
				r[n].res.line = pc == 2 ? 18 : 17;
				r[n++].source = pc == 2 ? "b < c" : "a := b";
			}
	r[n] = mk(0, EV_INJECT, 1, EV_REJECTED);
	r[n++].res.func = "main.pop";
	html = page("rows.html", r, n);
	s = section(html, 0, &end);
	assert_int_equal(occurrences(s, end, "<tr id=\"pc"), 3);
	assert_int_equal(occurrences(s, end, "<tr"), 4); /* + the header */
	assert_int_equal(occurrences(s, end, "<br>hit "), 4);
	assert_non_null(strstr(s, "<th>preempt<br>hit 1</th><th>preempt<br>"
				  "hit 2</th><th>preempt-gc<br>hit 1</th>"));
	assert_int_equal(occurrences(s, end, "<td class=\"acc\">accepted</td>"),
			 12);
	/* the line and its text once per run of PCs on one line; offsets
	   in decimal (DIG-2) */
	assert_non_null(strstr(s, "<tr id=\"pc0\"><td class=\"mono\">+0</td>"
				  "<td class=\"mono\">0x1000</td>"
				  "<td class=\"n\">17</td><td class=\"src\">"
				  "a := b</td><td>safe</td>"
				  "<td class=\"mono\">mov x0, x9</td>"));
	assert_non_null(strstr(s, "<tr id=\"pc4\"><td class=\"mono\">+4</td>"
				  "<td class=\"mono\">0x1004</td>"
				  "<td></td><td></td><td>safe</td>"));
	assert_non_null(strstr(s, "<tr id=\"pc8\"><td class=\"mono\">+8</td>"
				  "<td class=\"mono\">0x1008</td>"
				  "<td class=\"n\">18</td><td class=\"src\">"
				  "b &lt; c</td><td>safe</td>"));
	assert_int_equal(occurrences(s, end, "a := b"), 1);
	assert_strips(html);
	s = section(html, 1, &end);
	assert_int_equal(occurrences(s, end, "<tr id=\"pc"), 1);
	assert_int_equal(occurrences(s, end, "<br>hit "), 1);
	assert_non_null(strstr(s, "<td class=\"rej\">rejected</td>"));
	assert_non_null(
	    strstr(html, "main.push</a>: 3 PCs, 12 cases, 0 failed"));
	assert_balanced(html);
	free(html);
}

static void test_failure_list(void **state)
{
	struct ev_report_row r[4] = {mk(0, EV_PREEMPT, 1, EV_ACCEPTED),
				     mk(0, EV_PREEMPT_GC, 1, EV_REJECTED),
				     mk(0x1c, EV_PREEMPT, 2, EV_ACCEPTED),
				     mk(0x1c, EV_INJECT, 1, EV_ACCEPTED)};
	const char *fail, *sec;
	char *html;

	(void)state;
	failed(&r[1], "stack-scan", "", "scenarios/arm64 push#1.json");
	r[2].res.mutant = "no-register-scan";
	failed(&r[2], "liveness", NULL, "javascript:alert(1)");
	failed(&r[3], "inject", "boom", NULL);
	r[3].res.mutant = "no-register-scan";
	html = page("fail.html", r, 4);
	fail = strstr(html, "<h2 id=\"failures\">Failures (3)</h2>");
	sec = strstr(html, "<section");
	assert_non_null(fail);
	assert_non_null(sec);
	assert_true(fail < sec); /* failures first */
	/* three groups: the oracle and the mutant tell them apart */
	assert_non_null(
	    strstr(fail, "<p>3 groups by arch, workload, function"));
	assert_int_equal(occurrences(fail, sec, "<tr class=\"group\""), 3);
	/* the scenario link, percent-encoded, in the list and in the cell */
	assert_int_equal(
	    occurrences(fail, sec,
			"<a href=\"scenarios/arm64%20push%231.json\">"
			"scenarios/arm64 push#1.json</a>"),
	    1);
	assert_non_null(strstr(sec,
			       "<a href=\"scenarios/arm64%20push%231.json\""
			       ">rejected</a>"));
	assert_non_null(strstr(fail, "href=\"javascript%3Aalert%281%29\""));
	assert_null(strstr(html, "href=\"javascript:"));
	/* a group: what, oracle, count; its first case linked to its PC row,
	   pc, action, hit, line, detail, replay command */
	assert_non_null(strstr(
	    fail,
	    "<tr class=\"group\" id=\"g1\"><td class=\"n\">2</td>"
	    "<td>arm64 list.go mutant no-register-scan main.push"
	    "</td><td class=\"check\">liveness</td><td class=\"n\">1"
	    "</td><td><a href=\"#pc2\">main.push+28</a> <code>0x101c"
	    "</code><br>preempt hit 2</td><td>?:17</td>"
	    "<td class=\"detail\"></td><td class=\"cmd\"><code>everypc replay "
	    "&#39;javascript:alert(1)&#39;</code></td></tr>\n"));
	assert_non_null(strstr(html, "<tr id=\"pc2\">"));
	assert_non_null(strstr(
	    fail,
	    "<td class=\"detail\">boom</td><td class=\"cmd\"></td></tr>"));
	/* the detail is visible in the PC's row too */
	assert_non_null(strstr(sec, "<td class=\"detail\">preempt h2: liveness"
				    "<br>inject h1: inject: boom</td>"));
	assert_int_equal(occurrences(sec, NULL, "<td class=\"fail\""), 3);
	/* the mutant's cases are a section of their own */
	assert_non_null(
	    strstr(html, "list.go &middot; mutant no-register-scan"));
	assert_balanced(html);
	free(html);
}

/* The title's first line is the title; the further "key: value" lines
   are the header's facts, after the arches and the case count. Two
   failures of one function and oracle make one group listing both. */
static void test_header(void **state)
{
	struct ev_report_row r[3] = {mk(0, EV_PREEMPT, 1, EV_ACCEPTED),
				     mk(4, EV_PREEMPT, 1, EV_ACCEPTED),
				     mk(8, EV_PREEMPT, 1, EV_ACCEPTED)};
	const char *path = in_dir("head.html");
	char err[256] = "", *html;

	(void)state;
	r[2].res.arch = EV_AMD64;
	failed(&r[0], "liveness", "x", "s0.json");
	failed(&r[1], "liveness", "y", "s1.json");
	assert_int_equal(
	    ev_report_write_html(path,
				 "everypc sweep: x\ncommand: everypc sweep "
				 "--inject 'main.f(1<2)'\ncommit: abc\nbad",
				 r, 3, err, sizeof err),
	    0);
	html = slurp(path);
	assert_non_null(strstr(html, "<title>everypc sweep: x</title>"));
	assert_non_null(strstr(
	    html, "<table class=\"about\">\n<tr><th>arches</th><td>amd64 "
		  "arm64</td></tr>\n<tr><th>cases</th><td>3</td></tr>\n"
		  "<tr><th>command</th><td>everypc sweep --inject "
		  "&#39;main.f(1&lt;2)&#39;</td></tr>\n<tr><th>commit</th>"
		  "<td>abc</td></tr>\n</table>\n"));
	assert_non_null(strstr(html, "<p>1 group by arch"));
	assert_non_null(strstr(html, "<summary>all 2 cases</summary>"));
	assert_non_null(strstr(html, ">s1.json</a>"));
	assert_balanced(html);
	free(html);
}

static void test_totals(void **state)
{
	struct ev_report_row r[6] = {mk(0, EV_PREEMPT, 1, EV_ACCEPTED),
				     mk(0, EV_PREEMPT_GC, 1, EV_REJECTED),
				     mk(4, EV_PREEMPT, 1, EV_UNREACHED),
				     mk(4, EV_PREEMPT_GC, 1, EV_NOVERDICT),
				     mk(0, EV_PREEMPT, 1, EV_ACCEPTED),
				     mk(0, EV_PREEMPT, 1, EV_REJECTED)};
	char *html;

	(void)state;
	failed(&r[1], "stack-scan", "x", NULL);
	r[4].res.arch = r[5].res.arch = EV_AMD64;
	failed(&r[5], "liveness", "y", NULL);
	html = page("totals.html", r, 6);
	/* arch, cases, passed, failed, accepted, rejected, unreached, none */
	assert_non_null(strstr(
	    html, "<tr class=\"bad\"><th>amd64</th><td class=\"n\">2</td>"
		  "<td class=\"n\">1</td><td class=\"n\">1</td>"
		  "<td class=\"n\">1</td><td class=\"n\">1</td>"
		  "<td class=\"n\">0</td><td class=\"n\">0</td></tr>\n"
		  "<tr class=\"bad\"><th>arm64</th><td class=\"n\">4</td>"
		  "<td class=\"n\">3</td><td class=\"n\">1</td>"
		  "<td class=\"n\">1</td><td class=\"n\">1</td>"
		  "<td class=\"n\">1</td><td class=\"n\">1</td></tr>\n"
		  "<tr class=\"bad\"><th>all</th><td class=\"n\">6</td>"
		  "<td class=\"n\">4</td><td class=\"n\">2</td>"
		  "<td class=\"n\">2</td><td class=\"n\">2</td>"
		  "<td class=\"n\">1</td><td class=\"n\">1</td></tr>\n"));
	assert_null(strstr(html, "<th>riscv64</th>"));
	/* passing cells: accepted green, rejected grey, unreached, none */
	assert_non_null(strstr(html, "<td class=\"acc\">accepted</td>"));
	assert_non_null(strstr(html, "<td class=\"unr\">unreached</td>"));
	assert_non_null(strstr(html, "<td class=\"none\">none</td>"));
	assert_non_null(strstr(html, ".acc{background:#cdeccd}"));
	assert_non_null(strstr(html, ".rej{background:#e2e2e2"));
	free(html);
}

/* Two cases with one (action, hit) at one PC share a cell: whichever
   comes first, the failure is the one shown. */
static void test_shared_cell(void **state)
{
	struct ev_report_row r[4] = {mk(0, EV_PREEMPT, 1, EV_ACCEPTED),
				     mk(0, EV_PREEMPT, 1, EV_REJECTED),
				     mk(0, EV_PREEMPT, 1, EV_REJECTED),
				     mk(0, EV_PREEMPT, 1, EV_ACCEPTED)};
	const char *s, *end;
	char *html;
	int id;

	(void)state;
	failed(&r[1], "liveness", "a", NULL);
	failed(&r[2], "liveness", "b", NULL);
	r[2].res.func = r[3].res.func = "main.pop";
	html = page("shared.html", r, 4);
	for (id = 0; id < 2; id++) {
		s = section(html, id, &end);
		assert_int_equal(occurrences(s, end, "<tr id=\"pc"), 1);
		assert_int_equal(occurrences(s, end, "<td class=\"fail\""), 1);
		assert_null(strstr(s, "<td class=\"acc\""));
	}
	free(html);
}

static void test_deterministic(void **state)
{
	struct ev_report_row r[3] = {mk(0, EV_PREEMPT, 1, EV_ACCEPTED),
				     mk(4, EV_PREEMPT, 1, EV_REJECTED),
				     mk(4, EV_PREEMPT, 2, EV_ACCEPTED)};
	char func[] = "main.push", *a, *b;

	(void)state;
	failed(&r[1], "liveness", "d", "s.json");
	a = page("one.html", r, 3);
	r[2].res.func = func; /* equal strings at other addresses */
	b = page("two.html", r, 3);
	assert_string_equal(a, b);
	assert_int_equal(occurrences(b, NULL, "<section "), 1);
	assert_null(strstr(a, dir)); /* no host path */
	assert_int_equal(access(in_dir("one.html.tmp"), F_OK), -1);
	free(a);
	free(b);
}

static void test_empty(void **state)
{
	char *html;

	(void)state;
	html = page("empty.html", NULL, 0);
	assert_non_null(strstr(html, "Failures (0)</h2>\n<p>None.</p>"));
	assert_non_null(strstr(html, "<th>all</th><td class=\"n\">0</td>"));
	assert_balanced(html);
	free(html);
}

static void test_unwritable(void **state)
{
	struct ev_report_row r = mk(0, EV_PREEMPT, 1, EV_ACCEPTED);
	char err[256] = "", path[600];

	(void)state;
	snprintf(path, sizeof path, "%s/no/such/dir/report.html", dir);
	assert_int_equal(
	    ev_report_write_html(path, "t", &r, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, strerror(ENOENT)));
	/* the rename fails (a directory is in the way): the temporary file
	   is gone and the error names the path */
	snprintf(path, sizeof path, "%s/isdir.html", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(
	    ev_report_write_html(path, "t", &r, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, path));
	assert_int_equal(access(in_dir("isdir.html.tmp"), F_OK), -1);
}

/* The default suite's size, every PC with three actions: one table row
   per PC, and no quadratic blow-up (the test's timeout). */
static void test_scale(void **state)
{
	size_t n = 3 * 20000, i;
	struct ev_report_row *r = calloc(n, sizeof *r);
	const char *s, *end;
	char *html;

	(void)state;
	assert_non_null(r);
	for (i = 0; i < n; i++)
		r[i] = mk(4 * (i / 3), (int)(i % 3), 1, EV_ACCEPTED);
	html = page("big.html", r, n);
	s = section(html, 0, &end);
	assert_int_equal(occurrences(s, end, "<tr id=\"pc"), 20000);
	free(html);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escaping),
	    cmocka_unit_test(test_bad_bytes),
	    cmocka_unit_test(test_one_row_per_pc),
	    cmocka_unit_test(test_failure_list),
	    cmocka_unit_test(test_header),
	    cmocka_unit_test(test_totals),
	    cmocka_unit_test(test_shared_cell),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_unwritable),
	    cmocka_unit_test(test_scale),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
