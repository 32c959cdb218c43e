/*
 * results.c -- results, scenarios and the canonical journal and report
 * (results.h).
 */
#include "results.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "paths.h"
#include "report.h"
#include "source.h"
#include "states.h"
#include "suite.h"
#include "target.h"
#include "version.h"

void fill_result(const struct ev_case *c, const struct verdictbox *v,
		 struct ev_result *r, char *file, size_t filelen)
{
	const char *src = NULL;
	int line = 0;

	memset(r, 0, sizeof *r);
	r->arch = c->t->arch;
	r->workload = c->t->name;
	r->mutant = c->t->mutant;
	r->func = c->f->name;
	r->pc = c->insn->pc;
	r->offset = c->insn->pc - c->f->entry;
	if (ev_lines_lookup(c->t->lines, c->insn->pc, &src, &line) == 0) {
		snprintf(file, filelen, "%s", src);
		r->file = file;
	}
	r->line = line;
	r->hit = c->hit;
	r->action = c->action;
	r->clobber = c->clobber;
	r->verdict = v->verdict;
	r->expected = v->verdict == EV_UNREACHED		? EV_UNREACHED
		      : elfmeta_unsafe_at(c->t->m, c->insn->pc) ? EV_REJECTED
								: EV_ACCEPTED;
	r->pass = !v->failed;
	r->check = v->failed ? v->check : NULL;
	r->detail = v->detail;
	r->states = v->states;
}

void write_scenario(const struct ev_case *c, const struct ev_result *r,
		    const struct ev_sweep_opts *o)
{
	struct ev_scenario sc = {0};
	char dir[1024], name[512], path[1600], *text;
	FILE *f;

	snprintf(dir, sizeof dir, "%s/scenarios", o->out);
	mkdir(dir, 0755);
	ev_result_scenario_name(r, name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", o->out, name);
	sc.arch = r->arch;
	sc.workload = (char *)ev_path_under(c->t->workload, o->scenario_base);
	sc.mutant = (char *)r->mutant;
	sc.build_id = c->t->build_id;
	sc.func = (char *)r->func;
	sc.pc = r->pc;
	sc.offset = r->offset;
	sc.line = r->line;
	sc.hit = r->hit;
	sc.action = r->action;
	sc.clobber = r->clobber;
	sc.inject = c->inj ? (char *)c->inj->text : NULL;
	sc.expected_verdict = r->expected;
	sc.observed_verdict = r->verdict;
	sc.observed_pass = r->pass;
	sc.check = (char *)r->check;
	sc.detail = (char *)r->detail;
	text = ev_scenario_dump(&sc);
	if (text && (f = fopen(path, "w"))) {
		fputs(text, f);
		fclose(f);
	}
	free(text);
}

long missing_cases(const struct caselist *cl, const char *out, size_t *idx,
		   char *err, size_t errlen)
{
	struct ev_journal *all = ev_journal_open(out, 1, err, errlen);
	size_t i, n = 0;

	if (!all)
		return -1;
	for (i = 0; i < cl->n; i++) {
		struct ev_result key;
		char file[256];
		fill_result(&cl->v[i],
			    &(struct verdictbox){.verdict = EV_NOVERDICT}, &key,
			    file, sizeof file);
		const struct ev_result *had = ev_journal_find(all, &key);
		if (!had) {
			idx[n++] = i;
		} else if (had->clobber != key.clobber) {
			snprintf(err, errlen,
				 "%s: cases journalled %s clobbering; this "
				 "sweep runs %s it (--resume needs the same "
				 "--no-clobber setting)",
				 ev_journal_path(all),
				 had->clobber ? "with" : "without",
				 key.clobber ? "with" : "without");
			ev_journal_close(all);
			return -1;
		}
	}
	ev_journal_close(all);
	return (long)n;
}

/* The text of c's source line when it is a line of the workload itself
   (the runtime's files are not at hand after an install). */
static const char *case_source(const struct ev_case *c,
			       const struct ev_result *key, const char *file,
			       struct ev_sources *srcs)
{
	if (!key->file || strcmp(file, c->t->name) != 0)
		return NULL;
	return ev_source_line(srcs, c->t->workload, key->line);
}

struct planned *plan_of(const struct caselist *cl, struct ev_sources *srcs)
{
	struct planned *p = calloc(cl->n ? cl->n : 1, sizeof *p);
	size_t i;
	char file[256];

	for (i = 0; p && i < cl->n; i++) {
		const struct ev_case *c = &cl->v[i];
		const struct elfmeta_unsafe *u =
		    elfmeta_unsafe_at(c->t->m, c->insn->pc);
		fill_result(c, &(struct verdictbox){.verdict = EV_NOVERDICT},
			    &p[i].key, file, sizeof file);
		p[i].source = case_source(c, &p[i].key, file, srcs);
		p[i].key.file = NULL;
		p[i].key.detail = NULL;
		p[i].disasm = c->insn->text;
		p[i].safety = u ? elfmeta_unsafe_kind_name(u->kind) : "safe";
	}
	return p;
}

/* One report row for planned case p, whose journalled result is r (RPT). */
static void report_row(const struct planned *p, const struct ev_result *r,
		       struct ev_report_row *row, char **scenario)
{
	char name[512];

	memset(row, 0, sizeof *row);
	row->res = *r;
	row->disasm = p->disasm;
	row->safety = p->safety;
	row->source = p->source;
	*scenario = NULL;
	if (!r->pass) {
		ev_result_scenario_name(r, name, sizeof name);
		if ((*scenario = malloc(strlen(name) + 1)))
			strcpy(*scenario, name);
		row->scenario = *scenario;
	}
}

/* The canonical journal into f: each case's record in plan order, and its
   report row. -1 when a record cannot be written (the rewrite never drops
   a case). */
static int put_records(FILE *f, const struct planned *p, size_t n,
		       const struct ev_journal *all, struct ev_report_row *rows,
		       char **names, size_t *nrows, size_t *missing)
{
	size_t i;
	for (i = 0; i < n; i++) {
		const struct ev_result *r = ev_journal_find(all, &p[i].key);
		char *line;
		if (!r) {
			char what[256];
			if (++*missing <= 5) {
				ev_result_describe(&p[i].key, what,
						   sizeof what);
				fprintf(stderr, "everypc: no result for %s\n",
					what);
			}
			continue;
		}
		if (!(line = ev_result_line(r)) || fputs(line, f) < 0) {
			free(line);
			return -1;
		}
		free(line);
		report_row(&p[i], r, &rows[*nrows], &names[*nrows]);
		(*nrows)++;
	}
	return 0;
}

/* The digest of rows[0..n) (DIG), malloc'ed; NULL without failures. */
static char *digest_of(const struct ev_report_row *rows, size_t n,
		       const char *out)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	ev_digest_print(f, rows, n, out, 20);
	fclose(f);
	if (text && !*text) {
		free(text);
		text = NULL;
	}
	return text;
}

int canonical_journal(const struct planned *p, size_t n, const char *title,
		      const char *out, size_t *missing, char **digest,
		      char *err, size_t errlen)
{
	struct ev_journal *all = ev_journal_open(out, 1, err, errlen);
	struct ev_report_row *rows = calloc(n ? n : 1, sizeof *rows);
	char **names = calloc(n ? n : 1, sizeof *names);
	char path[1024], tmp[1100];
	FILE *f = NULL;
	size_t i, nrows = 0;
	int rc = -1, bad;

	if (!all || !rows || !names) {
		if (all)
			snprintf(err, errlen, "out of memory");
		goto out;
	}
	snprintf(path, sizeof path, "%s/journal.jsonl", out);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (!(f = fopen(tmp, "w"))) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	bad = put_records(f, p, n, all, rows, names, &nrows, missing) < 0;
	bad |= ferror(f);
	if ((fclose(f) != 0) | bad || rename(tmp, path) < 0) {
		snprintf(err, errlen, "%s: cannot rewrite: %s", path,
			 strerror(errno));
		unlink(tmp);
		goto out;
	}
	snprintf(path, sizeof path, "%s/report.html", out);
	if (ev_report_write_html(path, title, rows, nrows, err, errlen) < 0)
		goto out;
	if (digest)
		*digest = digest_of(rows, nrows, out);
	rc = 0;
out:
	for (i = 0; i < nrows; i++)
		free(names[i]);
	free(names);
	free(rows);
	ev_journal_close(all);
	return rc;
}

/* secs[i] for record i of j, from OUT/timing.tsv (the last line of a case
   wins: a case run again after a worker died). */
static void read_times(const struct ev_journal *j, const char *out,
		       double *secs)
{
	char path[1100], line[700];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", out, TIMING_FILE);
	if (!(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof line, f)) {
		char *fld[8], *save = NULL, *end;
		struct ev_result key = {0};
		int n = 0;
		long i;
		/* every field is non-empty (a correct runtime's mutant is "-")
		 */
		for (fld[0] = strtok_r(line, "\t\n", &save); fld[n] && n < 7;)
			fld[++n] = strtok_r(NULL, "\t\n", &save);
		n += fld[n] != NULL;
		if (n < 8)
			continue;
		key.arch = ev_arch_parse(fld[0]);
		key.workload = fld[1];
		key.mutant = strcmp(fld[2], "-") ? fld[2] : NULL;
		key.func = fld[3];
		key.pc = strtoull(fld[4], &end, 16);
		key.hit = atoi(fld[5]);
		key.action = ev_action_parse(fld[6]);
		if ((i = ev_journal_index(j, &key)) >= 0)
			secs[i] = strtod(fld[7], NULL);
	}
	fclose(f);
}

int write_junit(const struct ev_journal *j, const struct ev_sweep_opts *o,
		long long started, char *err, size_t errlen)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	size_t n = ev_journal_count(j);
	double *secs = calloc(n ? n : 1, sizeof *secs);
	struct ev_junit_opts jo = {secs, NULL, o->out};
	char stamp[32];
	time_t t = (time_t)started;
	struct tm tm;
	int rc;

	if (!secs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (sde && *sde)
		t = (time_t)strtoll(sde, NULL, 10);
	else
		read_times(j, o->out, secs);
	if (gmtime_r(&t, &tm) &&
	    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm))
		jo.timestamp = stamp;
	rc = ev_journal_write_junit(j, o->junit, &jo, err, errlen);
	free(secs);
	return rc;
}

/* STA-5: the required states the journal's cases never created, named
   on stderr; their number. A shard is judged by everypc merge. */
static size_t required_states(const struct ev_journal *j,
			      const struct ev_sweep_opts *o)
{
	size_t counts[EV_NUM_ARCHES][64], n;
	uint64_t created[EV_NUM_ARCHES];
	int swept[EV_NUM_ARCHES];
	char buf[4096];

	if (o->shard_count > 1) {
		fprintf(stderr, "everypc: required states are judged by "
				"everypc merge, over every shard\n");
		return 0;
	}
	ev_journal_state_counts(j, counts, created, swept);
	n = ev_states_req_missing(o->require, created, swept, buf, sizeof buf);
	if (n)
		fprintf(stderr,
			"everypc: %zu required state%s never created: %s\n", n,
			n == 1 ? "" : "s", buf);
	return n;
}

int finish_results(const struct ev_sweep_opts *o, long long started,
		   const char *digest, char *err, size_t errlen)
{
	struct ev_journal *j = ev_journal_open(o->out, 1, err, errlen);
	int rc;

	if (!j)
		return 2;
	if (!o->quiet) {
		ev_journal_summary(j, stdout);
		ev_journal_states(j, stdout);
	}
	if (o->junit && write_junit(j, o, started, err, errlen) < 0) {
		ev_journal_close(j);
		return 2;
	}
	rc = ev_journal_failures(j) ? 1 : 0;
	if (!o->quiet && o->require && o->require->any &&
	    required_states(j, o) > 0)
		rc = 1;
	if (digest)
		fputs(digest, stdout);
	ev_journal_close(j);
	return rc;
}

void sweep_title(const char *suite, struct ev_target *const *ts, size_t nt,
		 const struct ev_sweep_opts *o, char *buf, size_t n)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	size_t len, i;
	time_t t;
	struct tm tm;
	char stamp[32];

#define PUT(...)                                                               \
	(len += (size_t)snprintf(buf + (len < n ? len : n),                    \
				 len < n ? n - len : 0, __VA_ARGS__))
	len = 0;
	PUT("everypc sweep: %s\n", suite);
	if (o->command)
		PUT("command: %s\n", o->command);
	PUT("commit: %s\n", ev_version_commit());
	for (i = 0; i < nt; i++)
		PUT("build-id: %s %s%s%s %s\n", ev_arch_name(ts[i]->arch),
		    ts[i]->name, ts[i]->mutant ? " mutant " : "",
		    ts[i]->mutant ? ts[i]->mutant : "", ts[i]->build_id);
	if (sde && *sde) {
		t = (time_t)strtoll(sde, NULL, 10);
		if (gmtime_r(&t, &tm) &&
		    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm))
			PUT("time: %s (SOURCE_DATE_EPOCH)\n", stamp);
	}
#undef PUT
	if (len > 0 && len <= n)
		buf[len - 1] = 0; /* no trailing newline */
}
