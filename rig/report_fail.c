/*
 * report_fail.c -- the report's failures: grouped as the digest groups
 * them (digest.h, DIG-1), each group's first case spelt out, then every
 * case of the group (report_int.h).
 */
#include <inttypes.h>
#include <stdlib.h>

#include "digest.h"
#include "report_int.h"
#include "suite.h"

/* "func+N", linked to the row of its PC (DIG-2). */
static void put_case_link(FILE *f, const struct ev_report_row *r, size_t at)
{
	fprintf(f, "<a href=\"#pc%zu\">", at);
	rpt_put_text(f, r->res.func);
	fprintf(f, "+%" PRIu64 "</a>", r->res.offset);
}

static void put_group_head(FILE *f, const struct ev_report_row *r, size_t count,
			   size_t k)
{
	fprintf(f, "<tr class=\"group\" id=\"g%zu\"><td class=\"n\">%zu</td>",
		k, k + 1);
	fputs("<td>", f);
	rpt_put_func(f, r, " ");
	fputs("</td><td class=\"check\">", f);
	rpt_put_text(f, r->res.check ? r->res.check : "failed");
	fprintf(f, "</td><td class=\"n\">%zu</td>", count);
}

/* The group's first case: where, what, why, and how to replay it. */
static void put_group_first(FILE *f, const struct ev_report_row *r, size_t at)
{
	char cmd[2300];

	fputs("<td>", f);
	put_case_link(f, r, at);
	fprintf(f, " <code>0x%" PRIx64 "</code><br>%s hit %d</td><td>",
		r->res.pc, ev_action_name(r->res.action), r->res.hit);
	if (r->res.line > 0) {
		rpt_put_text(f, r->res.file ? r->res.file : "?");
		fprintf(f, ":%d", r->res.line);
	}
	if (r->source) {
		fputs("<br><code>", f);
		rpt_put_text(f, r->source);
		fputs("</code>", f);
	}
	fputs("</td><td class=\"detail\">", f);
	rpt_put_text(f, r->res.detail);
	fputs("</td><td class=\"cmd\">", f);
	if (r->scenario) {
		ev_replay_command(r, NULL, cmd, sizeof cmd);
		fputs("<code>", f);
		rpt_put_text(f, cmd);
		fputs("</code>", f);
	}
	fputs("</td></tr>\n", f);
}

/* Every case of the group of rows[first]: a list that opens without
   script (<details>). */
static void put_group_cases(FILE *f, const struct ev_report_row *rows, size_t n,
			    size_t k, const struct ev_fail_group *g,
			    const size_t *group_of, const size_t *pc_row)
{
	size_t i, count = g[k].count;
	char what[64];

	fprintf(f,
		"<tr class=\"cases\"><td></td><td colspan=\"7\"><details>"
		"<summary>all %zu case%s</summary><ul>\n",
		count, count == 1 ? "" : "s");
	for (i = g[k].first; i < n; i++) {
		if (group_of[i] != k)
			continue;
		fputs("<li>", f);
		put_case_link(f, &rows[i], pc_row[i]);
		snprintf(what, sizeof what, " %s hit %d ",
			 ev_action_name(rows[i].res.action), rows[i].res.hit);
		rpt_put_text(f, what);
		if (rows[i].scenario)
			rpt_put_link(f, rows[i].scenario, rows[i].scenario);
		fputs("</li>\n", f);
	}
	fputs("</ul></details></td></tr>\n", f);
}

int rpt_put_failures(FILE *f, const struct ev_report_row *rows, size_t n,
		     const size_t *pc_row)
{
	struct ev_fail_group *g = calloc(n ? n : 1, sizeof *g);
	size_t *group_of = calloc(n ? n : 1, sizeof *group_of);
	size_t ng, k, nfail = 0;

	if (!g || !group_of) {
		free(g);
		free(group_of);
		return -1;
	}
	ng = ev_fail_groups(rows, n, g, group_of);
	for (k = 0; k < ng; k++)
		nfail += g[k].count;
	fprintf(f, "<h2 id=\"failures\">Failures (%zu)</h2>\n", nfail);
	if (nfail == 0) {
		fputs("<p>None.</p>\n", f);
		free(g);
		free(group_of);
		return 0;
	}
	fprintf(f,
		"<p>%zu group%s by arch, workload, function and oracle; "
		"each with its first case.</p>\n",
		ng, ng == 1 ? "" : "s");
	fputs("<table class=\"failures\">\n<thead><tr><th>#</th>"
	      "<th>function</th><th>oracle</th><th>cases</th>"
	      "<th>first case</th><th>line</th><th>detail</th>"
	      "<th>replay</th></tr></thead>\n<tbody>\n",
	      f);
	for (k = 0; k < ng; k++) {
		const struct ev_report_row *r = &rows[g[k].first];
		put_group_head(f, r, g[k].count, k);
		put_group_first(f, r, pc_row[g[k].first]);
		put_group_cases(f, rows, n, k, g, group_of, pc_row);
	}
	fputs("</tbody>\n</table>\n", f);
	free(g);
	free(group_of);
	return 0;
}
