/*
 * digest.c -- failures grouped and spelt out (digest.h).
 */
#include "digest.h"

#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "suite.h"

static int same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Same arch, workload, mutant, function and failing oracle. */
static int same_group(const struct ev_result *a, const struct ev_result *b)
{
	return a->arch == b->arch && same_str(a->workload, b->workload) &&
	       same_str(a->mutant, b->mutant) && same_str(a->func, b->func) &&
	       same_str(a->check, b->check);
}

size_t ev_fail_groups(const struct ev_report_row *rows, size_t n,
		      struct ev_fail_group *g, size_t *group_of)
{
	size_t i, k, ng = 0;

	for (i = 0; i < n; i++) {
		if (group_of)
			group_of[i] = (size_t)-1;
		if (rows[i].res.pass)
			continue;
		for (k = ng; k > 0; k--) /* the latest group is the likeliest */
			if (same_group(&rows[g[k - 1].first].res, &rows[i].res))
				break;
		if (k == 0) {
			g[ng].first = i;
			g[ng].count = 0;
			k = ++ng;
		}
		g[k - 1].count++;
		if (group_of)
			group_of[i] = k - 1;
	}
	return ng;
}

/* s, single-quoted for a POSIX shell when it holds anything but
   [A-Za-z0-9_./+@%:,=-]. */
static size_t put_word(char *buf, size_t n, const char *s)
{
	static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				    "opqrstuvwxyz0123456789_./+@%:,=-";
	size_t len = 0;
	const char *p;

	if (*s && strspn(s, plain) == strlen(s))
		return (size_t)snprintf(buf, n, "%s", s);
	len += (size_t)snprintf(buf, n, "'");
	for (p = s; *p; p++)
		len += (size_t)snprintf(
		    buf + (len < n ? len : n), len < n ? n - len : 0, "%s",
		    *p == '\'' ? "'\\''" : (char[2]){*p, 0});
	len += (size_t)snprintf(buf + (len < n ? len : n),
				len < n ? n - len : 0, "'");
	return len;
}

void ev_replay_command(const struct ev_report_row *r, const char *dir,
		       char *buf, size_t n)
{
	char path[2048];
	size_t len;

	if (dir)
		snprintf(path, sizeof path, "%s/%s", dir,
			 r->scenario ? r->scenario : "?");
	else
		snprintf(path, sizeof path, "%s",
			 r->scenario ? r->scenario : "?");
	len = (size_t)snprintf(buf, n, "everypc replay ");
	if (len < n)
		put_word(buf + len, n - len, path);
}

static void put_group(FILE *f, const struct ev_report_row *r, size_t count,
		      const char *dir)
{
	const struct ev_result *e = &r->res;
	char cmd[2300];

	fprintf(f, "  %s %s%s%s %s: %s, %zu case%s\n", ev_arch_name(e->arch),
		e->workload, e->mutant ? " mutant " : "",
		e->mutant ? e->mutant : "", e->func,
		e->check ? e->check : "failed", count, count == 1 ? "" : "s");
	fprintf(f, "      at     %s+%llu (pc 0x%llx) %s hit %d\n", e->func,
		(unsigned long long)e->offset, (unsigned long long)e->pc,
		ev_action_name(e->action), e->hit);
	if (e->line > 0)
		fprintf(f, "      line   %s:%d%s%s\n", e->file ? e->file : "?",
			e->line, r->source && *r->source ? "  " : "",
			r->source ? r->source : "");
	if (e->detail && *e->detail)
		fprintf(f, "      detail %s\n", e->detail);
	if (r->scenario) {
		ev_replay_command(r, dir, cmd, sizeof cmd);
		fprintf(f, "      replay %s\n", cmd);
	}
}

void ev_digest_print(FILE *f, const struct ev_report_row *rows, size_t n,
		     const char *dir, size_t max_groups)
{
	struct ev_fail_group *g = calloc(n ? n : 1, sizeof *g);
	size_t ng, k, nfail = 0, rest = 0;

	if (!g)
		return;
	ng = ev_fail_groups(rows, n, g, NULL);
	for (k = 0; k < ng; k++)
		nfail += g[k].count;
	if (nfail)
		fprintf(f,
			"%zu failing case%s in %zu group%s (arch, workload, "
			"function, oracle):\n",
			nfail, nfail == 1 ? "" : "s", ng, ng == 1 ? "" : "s");
	for (k = 0; k < ng && k < max_groups; k++)
		put_group(f, &rows[g[k].first], g[k].count, dir);
	for (k = max_groups; k < ng; k++)
		rest += g[k].count;
	if (ng > max_groups)
		fprintf(f, "  ... and %zu more group%s (%zu case%s)%s%s%s\n",
			ng - max_groups, ng - max_groups == 1 ? "" : "s", rest,
			rest == 1 ? "" : "s", dir ? ": all in " : "",
			dir ? dir : "", dir ? "/report.html" : "");
	free(g);
}

void ev_digest_one(FILE *f, const struct ev_result *r, const char *scenario,
		   const char *workload)
{
	struct ev_report_row row = {.res = *r, .scenario = scenario};
	struct ev_sources *srcs = ev_sources_new();
	const char *base = workload ? strrchr(workload, '/') : NULL;

	base = base ? base + 1 : workload;
	if (r->file && base && !strcmp(r->file, base))
		row.source = ev_source_line(srcs, workload, r->line);
	ev_digest_print(f, &row, 1, NULL, 1);
	ev_sources_free(srcs);
}
