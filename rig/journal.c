/*
 * journal.c -- the JSONL journal, resume, summary and JUnit (journal.h).
 * Every finished case is kept in memory as an owned record so that the
 * summary and JUnit cover resumed cases too; a hash index over the JRN-3
 * key makes ev_journal_find O(1), so resuming and the canonical rewrite
 * stay linear in the number of cases.
 */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "suite.h"

struct rec { /* an owned ev_result */
	struct ev_result r;
	char *strs[6];
};

struct ev_journal {
	int fd;
	int batch; /* ev_journal_batch: no fsync per record */
	char *path;
	struct rec *recs;
	size_t n, cap;
	size_t *index; /* open addressing: record number + 1, 0 empty */
	size_t icap;   /* a power of two, at least twice n */
};

static char *dup_or_null(const char *s)
{
	char *d;
	if (!s)
		return NULL;
	d = malloc(strlen(s) + 1);
	if (d)
		strcpy(d, s);
	return d;
}

static int same_key(const struct ev_result *a, const struct ev_result *b);

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull; /* FNV-1a */
	return h;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
	return s ? mix(h, s, strlen(s) + 1) : mix(h, "", 1) * 31;
}

/* The hash of r's JRN-3 key. */
static uint64_t key_hash(const struct ev_result *r)
{
	uint64_t h = 0xcbf29ce484222325ull;
	int ints[3] = {r->arch, r->hit, r->action};
	h = mix(h, ints, sizeof ints);
	h = mix(h, &r->pc, sizeof r->pc);
	h = mix_str(h, r->mutant);
	h = mix_str(h, r->workload);
	return mix_str(h, r->func);
}

/* The slot holding r's key, or the empty slot where it would go. */
static size_t slot_of(const struct ev_journal *j, const struct ev_result *r)
{
	size_t m = j->icap - 1, i = (size_t)key_hash(r) & m;
	while (j->index[i] && !same_key(&j->recs[j->index[i] - 1].r, r))
		i = (i + 1) & m;
	return i;
}

/* Index record number i (the first record of a key wins). */
static int index_rec(struct ev_journal *j, size_t i)
{
	size_t s;
	if (2 * (j->n + 1) > j->icap) {
		size_t cap = j->icap ? 2 * j->icap : 1024, k;
		size_t *old = j->index, oldcap = j->icap;
		if (!(j->index = calloc(cap, sizeof *j->index))) {
			j->index = old;
			return -1;
		}
		j->icap = cap;
		for (k = 0; k < oldcap; k++)
			if (old[k])
				j->index[slot_of(j, &j->recs[old[k] - 1].r)] =
				    old[k];
		free(old);
	}
	s = slot_of(j, &j->recs[i].r);
	if (!j->index[s])
		j->index[s] = i + 1;
	return 0;
}

static int keep(struct ev_journal *j, const struct ev_result *r)
{
	struct rec *k;
	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 256;
		struct rec *nr = realloc(j->recs, cap * sizeof *nr);
		if (!nr)
			return -1;
		j->recs = nr;
		j->cap = cap;
	}
	k = &j->recs[j->n++];
	k->r = *r;
	k->r.workload = k->strs[0] = dup_or_null(r->workload);
	k->r.mutant = k->strs[1] = dup_or_null(r->mutant);
	k->r.func = k->strs[2] = dup_or_null(r->func);
	k->r.file = k->strs[3] = dup_or_null(r->file);
	k->r.check = k->strs[4] = dup_or_null(r->check);
	k->r.detail = k->strs[5] = dup_or_null(r->detail);
	return index_rec(j, j->n - 1);
}

char *ev_result_line(const struct ev_result *r)
{
	struct jw w;
	char *out;

	jw_init(&w);
	jw_obj_begin(&w);
	jw_int(&w, "schema", EV_JOURNAL_SCHEMA);
	jw_str(&w, "arch", ev_arch_name(r->arch));
	jw_str(&w, "workload", r->workload);
	if (r->mutant)
		jw_str(&w, "mutant", r->mutant);
	else
		jw_null(&w, "mutant");
	jw_str(&w, "func", r->func);
	jw_hex(&w, "pc", r->pc);
	jw_int(&w, "offset", (int64_t)r->offset);
	if (r->file)
		jw_str(&w, "file", r->file);
	jw_int(&w, "line", r->line);
	jw_int(&w, "hit", r->hit);
	jw_str(&w, "action", ev_action_name(r->action));
	jw_str(&w, "verdict", ev_verdict_name(r->verdict));
	jw_str(&w, "expected", ev_verdict_name(r->expected));
	jw_str(&w, "result", r->pass ? "pass" : "fail");
	if (r->check)
		jw_str(&w, "check", r->check);
	else
		jw_null(&w, "check");
	jw_str(&w, "detail", r->detail ? r->detail : "");
	jw_obj_end(&w);
	if (w.oom) {
		jw_free(&w);
		return NULL;
	}
	out = malloc(w.len + 2);
	if (out) {
		memcpy(out, w.buf, w.len);
		strcpy(out + w.len, "\n");
	}
	jw_free(&w);
	return out;
}

static const char *str_of(const struct jv *o, const char *key)
{
	const struct jv *v = jv_get(o, key);
	return v && v->kind == JV_STR ? v->s : NULL;
}

static int64_t int_of(const struct jv *o, const char *key)
{
	const struct jv *v = jv_get(o, key);
	return v && v->kind == JV_INT ? v->i : 0;
}

/* Parse one journal line back into a record; -1 if it is not one. */
static int load_line(struct ev_journal *j, const char *line, size_t len,
		     int lineno, char *err, size_t errlen)
{
	struct jv *o;
	struct ev_result r = {0};
	const char *pc, *res;
	int rc = -1;

	o = jv_parse(line, len, j->path, err, errlen);
	if (!o) {
		snprintf(err, errlen, "%s:%d: malformed journal line", j->path,
			 lineno);
		return -1;
	}
	if (int_of(o, "schema") != EV_JOURNAL_SCHEMA) {
		snprintf(err, errlen,
			 "%s:%d: field \"schema\": journal schema %lld, this "
			 "everypc reads %d (start the sweep afresh)",
			 j->path, lineno, (long long)int_of(o, "schema"),
			 EV_JOURNAL_SCHEMA);
		goto out;
	}
	pc = str_of(o, "pc");
	res = str_of(o, "result");
	r.arch = ev_arch_parse(str_of(o, "arch"));
	r.action = ev_action_parse(str_of(o, "action"));
	r.verdict = ev_verdict_parse(str_of(o, "verdict"));
	r.expected = ev_verdict_parse(str_of(o, "expected"));
	r.workload = str_of(o, "workload");
	r.func = str_of(o, "func");
	if (r.arch < 0 || r.action < 0 || r.verdict < 0 || r.expected < 0 ||
	    !r.workload || !r.func || !pc || strncmp(pc, "0x", 2) != 0 ||
	    !res) {
		snprintf(err, errlen, "%s:%d: not a journal record", j->path,
			 lineno);
		goto out;
	}
	r.mutant = str_of(o, "mutant");
	r.pc = strtoull(pc + 2, NULL, 16);
	r.offset = (uint64_t)int_of(o, "offset");
	r.file = str_of(o, "file");
	r.line = (int)int_of(o, "line");
	r.hit = (int)int_of(o, "hit");
	r.pass = strcmp(res, "pass") == 0;
	r.check = str_of(o, "check");
	r.detail = str_of(o, "detail");
	rc = keep(j, &r);
out:
	jv_free(o);
	return rc;
}

/* Load existing lines; cut off a torn last line (JRN-1). */
static int load_existing(struct ev_journal *j, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	size_t off = 0, good = 0;
	ssize_t got;
	int lineno = 0;

	if (fstat(j->fd, &st) < 0 || st.st_size == 0)
		return 0;
	buf = malloc((size_t)st.st_size);
	if (!buf)
		return -1;
	got = pread(j->fd, buf, (size_t)st.st_size, 0);
	if (got != st.st_size) {
		snprintf(err, errlen, "%s: read error", j->path);
		free(buf);
		return -1;
	}
	while (off < (size_t)got) {
		char *nl = memchr(buf + off, '\n', (size_t)got - off);
		lineno++;
		if (!nl)
			break; /* torn last line */
		if (load_line(j, buf + off, (size_t)(nl - buf - off), lineno,
			      err, errlen) < 0) {
			free(buf);
			return -1;
		}
		off = (size_t)(nl - buf) + 1;
		good = off;
	}
	free(buf);
	if (good != (size_t)got && ftruncate(j->fd, (off_t)good) < 0) {
		snprintf(err, errlen, "%s: %s", j->path, strerror(errno));
		return -1;
	}
	return 0;
}

struct ev_journal *ev_journal_open(const char *dir, int resume, char *err,
				   size_t errlen)
{
	struct ev_journal *j = calloc(1, sizeof *j);
	size_t n = strlen(dir) + 32;

	if (!j || !(j->path = malloc(n))) {
		free(j);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	snprintf(j->path, n, "%s/journal.jsonl", dir);
	j->fd = open(j->path,
		     O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC |
			 (resume ? 0 : O_TRUNC),
		     0644);
	if (j->fd < 0) {
		snprintf(err, errlen, "%s: %s", j->path, strerror(errno));
		goto fail;
	}
	if (resume && load_existing(j, err, errlen) < 0) {
		close(j->fd);
		goto fail;
	}
	return j;
fail:
	free(j->path);
	free(j->recs);
	free(j);
	return NULL;
}

static int same_key(const struct ev_result *a, const struct ev_result *b)
{
	int same_mutant =
	    (!a->mutant && !b->mutant) ||
	    (a->mutant && b->mutant && !strcmp(a->mutant, b->mutant));
	return a->arch == b->arch && a->pc == b->pc && a->hit == b->hit &&
	       a->action == b->action && same_mutant &&
	       !strcmp(a->workload, b->workload) && !strcmp(a->func, b->func);
}

const struct ev_result *ev_journal_find(const struct ev_journal *j,
					const struct ev_result *r)
{
	size_t s;
	if (!j->icap)
		return NULL;
	s = slot_of(j, r);
	return j->index[s] ? &j->recs[j->index[s] - 1].r : NULL;
}

int ev_journal_done(const struct ev_journal *j, const struct ev_result *r)
{
	return ev_journal_find(j, r) != NULL;
}

int ev_journal_append(struct ev_journal *j, const struct ev_result *r)
{
	char *line = ev_result_line(r);
	size_t len;
	ssize_t w;

	if (!line)
		return -1;
	len = strlen(line);
	/* A short write (a full disk) is retried for the rest, so that the
	   failure comes back with the system's reason in errno; a torn line
	   left behind is cut off at the next open (JRN-1). */
	for (size_t off = 0; off < len; off += (size_t)w) {
		w = write(j->fd, line + off, len - off);
		if (w < 0 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0) {
			int e = w < 0 ? errno : EIO;
			free(line);
			errno = e;
			return -1;
		}
	}
	free(line);
	if (!j->batch && fsync(j->fd) < 0 && errno != EINVAL)
		return -1;
	if (keep(j, r) < 0) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

const char *ev_journal_path(const struct ev_journal *j) { return j->path; }

void ev_journal_batch(struct ev_journal *j) { j->batch = 1; }

int ev_journal_sync(struct ev_journal *j)
{
	return fsync(j->fd) < 0 && errno != EINVAL ? -1 : 0;
}

size_t ev_journal_count(const struct ev_journal *j) { return j->n; }

void ev_journal_close(struct ev_journal *j)
{
	size_t i, k;
	if (!j)
		return;
	close(j->fd);
	for (i = 0; i < j->n; i++)
		for (k = 0; k < 6; k++)
			free(j->recs[i].strs[k]);
	free(j->recs);
	free(j->index);
	free(j->path);
	free(j);
}

int ev_journal_failures(const struct ev_journal *j)
{
	size_t i;
	int n = 0;
	for (i = 0; i < j->n; i++)
		n += !j->recs[i].r.pass;
	return n;
}

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
	return same_key(&x, b);
}

void ev_journal_summary(const struct ev_journal *j, FILE *out)
{
	struct row *rows = calloc(j->n ? j->n : 1, sizeof *rows);
	size_t nrows = 0, i, k;
	int tot[4] = {0};

	if (!rows)
		return;
	for (i = 0; i < j->n; i++) {
		const struct ev_result *r = &j->recs[i].r;
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

void ev_result_scenario_name(const struct ev_result *r, char *buf, size_t n)
{
	snprintf(buf, n, "scenarios/%s-%s%s%s-%s+%llu-%s-h%d.json",
		 ev_arch_name(r->arch), r->workload, r->mutant ? "-" : "",
		 r->mutant ? r->mutant : "", r->func,
		 (unsigned long long)r->offset, ev_action_name(r->action),
		 r->hit);
}

/* Same arch, workload, mutant and function. */
static int row_func_match(const struct ev_result *a, const struct ev_result *b)
{
	struct ev_result x = *a;
	x.action = b->action;
	return row_match(&x, b);
}

/* Same arch, workload, mutant, function and failing oracle. */
static int same_group(const struct ev_result *a, const struct ev_result *b)
{
	return row_func_match(a, b) && a->check && b->check &&
	       !strcmp(a->check, b->check);
}

void ev_journal_digest(const struct ev_journal *j, const char *out_dir,
		       size_t max_groups, FILE *out)
{
	const struct ev_result **first = calloc(j->n ? j->n : 1, sizeof *first);
	size_t *count = calloc(j->n ? j->n : 1, sizeof *count);
	size_t ng = 0, i, k, nfail = 0;

	if (!first || !count)
		goto out;
	for (i = 0; i < j->n; i++) {
		const struct ev_result *r = &j->recs[i].r;
		if (r->pass)
			continue;
		nfail++;
		for (k = 0; k < ng && !same_group(first[k], r); k++)
			;
		if (k == ng)
			first[ng++] = r;
		count[k]++;
	}
	if (!nfail)
		goto out;
	fprintf(out,
		"%zu failing case%s in %zu group%s (arch, workload, function, "
		"oracle):\n",
		nfail, nfail == 1 ? "" : "s", ng, ng == 1 ? "" : "s");
	for (k = 0; k < ng && k < max_groups; k++) {
		const struct ev_result *r = first[k];
		char name[512];
		ev_result_scenario_name(r, name, sizeof name);
		fprintf(out,
			"  %s %s%s%s %s: %s, %zu case%s; first %s+%llu (pc "
			"0x%llx, %s:%d) %s hit %d\n",
			ev_arch_name(r->arch), r->workload,
			r->mutant ? " " : "", r->mutant ? r->mutant : "",
			r->func, r->check, count[k], count[k] == 1 ? "" : "s",
			r->func, (unsigned long long)r->offset,
			(unsigned long long)r->pc, r->file ? r->file : "?",
			r->line, ev_action_name(r->action), r->hit);
		fprintf(out, "      everypc replay %s/%s\n", out_dir, name);
	}
	if (ng > max_groups)
		fprintf(out,
			"  ... and %zu more group%s (all failures: "
			"%s/report.html)\n",
			ng - max_groups, ng - max_groups == 1 ? "" : "s",
			out_dir);
out:
	free(first);
	free(count);
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

long ev_journal_index(const struct ev_journal *j, const struct ev_result *r)
{
	size_t s;
	if (!j->icap)
		return -1;
	s = slot_of(j, r);
	return j->index[s] ? (long)(j->index[s] - 1) : -1;
}

const struct ev_result *ev_journal_record(const struct ev_journal *j, size_t i)
{
	return i < j->n ? &j->recs[i].r : NULL;
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
		const struct ev_result *r0 = &j->recs[t[k].first].r;
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
		for (i = t[k].first; i < j->n; i++)
			if (suite_of[i] == k)
				put_testcase(f, &j->recs[i].r,
					     jo && jo->secs ? jo->secs[i] : 0,
					     jo ? jo->out_dir : NULL);
		fprintf(f, "  </testsuite>\n");
	}
}

int ev_journal_write_junit(const struct ev_journal *j, const char *path,
			   const struct ev_junit_opts *jo, char *err,
			   size_t errlen)
{
	struct suite_tally *t = calloc(j->n ? j->n : 1, sizeof *t);
	size_t *suite_of = calloc(j->n ? j->n : 1, sizeof *suite_of);
	size_t nt = 0, i, k, skipped = 0;
	double total = 0;
	char tmp[4096];
	FILE *f = NULL;
	int rc = -1;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (!t || !suite_of) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < j->n; i++) {
		const struct ev_result *r = &j->recs[i].r;
		double secs = jo && jo->secs ? jo->secs[i] : 0;
		for (k = 0;
		     k < nt && !row_func_match(&j->recs[t[k].first].r, r); k++)
			;
		if (k == nt)
			t[nt++].first = i;
		suite_of[i] = k;
		t[k].tests++;
		t[k].failures += !r->pass;
		t[k].skipped += r->pass && r->verdict == EV_UNREACHED;
		t[k].secs += secs;
		skipped += r->pass && r->verdict == EV_UNREACHED;
		total += secs;
	}
	if (!(f = fopen(tmp, "w"))) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f,
		"<testsuites name=\"everypc\" tests=\"%zu\" failures=\"%d\" "
		"errors=\"0\" skipped=\"%zu\" time=\"%.3f\">\n",
		j->n, ev_journal_failures(j), skipped, total);
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
