/*
 * journal.c -- the JSONL journal and resume (journal.h).
 * Every finished case is kept in memory as an owned record so that the
 * summary and JUnit (summary.c) cover resumed cases too; a hash index over the
 * JRN-3 key makes ev_journal_find O(1), so resuming and the canonical rewrite
 * stay linear in the number of cases.
 */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "states.h"
#include "suite.h"

struct rec { /* an owned ev_result */
	struct ev_result r;
	char *strs[6];
};

struct ev_journal {
	int fd;
	int batch;	/* ev_journal_batch: no fsync per record */
	int64_t synced; /* when it was last fsync'ed, ms (monotonic) */
	int dirty;	/* appended to since */
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
	while (j->index[i] &&
	       !ev_result_same_key(&j->recs[j->index[i] - 1].r, r))
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
	jw_bool(&w, "clobber", r->clobber);
	jw_str(&w, "verdict", ev_verdict_name(r->verdict));
	jw_str(&w, "expected", ev_verdict_name(r->expected));
	jw_str(&w, "result", r->pass ? "pass" : "fail");
	if (r->check)
		jw_str(&w, "check", r->check);
	else
		jw_null(&w, "check");
	jw_str(&w, "detail", r->detail ? r->detail : "");
	if (r->states) { /* STA-1: names, in catalogue order */
		char name[64];
		jw_arr_begin(&w, "states");
		for (size_t i = 0; i < ev_states_ncat(r->arch); i++)
			if (r->states >> i & 1) {
				ev_states_cat_name(r->arch, i, name,
						   sizeof name);
				jw_str(&w, NULL, name);
			}
		jw_arr_end(&w);
	}
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

/* A boolean field; absent (journals written before it existed) is false. */
static int bool_of(const struct jv *o, const char *key)
{
	const struct jv *v = jv_get(o, key);
	return v && v->kind == JV_BOOL ? (int)v->i : 0;
}

/* The "states" array (absent: none) into r->states; -1 with the file, line
   and field on a name r's arch does not catalogue. */
static int states_of(const struct jv *o, struct ev_result *r, const char *path,
		     int lineno, char *err, size_t errlen)
{
	const struct jv *a = jv_get(o, "states");
	int bit;

	if (!a)
		return 0;
	for (size_t i = 0; a->kind == JV_ARR && i < a->n; i++)
		if (a->items[i]->kind != JV_STR ||
		    (bit = ev_states_lookup(r->arch, a->items[i]->s)) < 0) {
			snprintf(err, errlen,
				 "%s:%d: field \"states\": %s is not a state "
				 "of the %s catalogue (docs/states.md)",
				 path, lineno,
				 a->items[i]->kind == JV_STR ? a->items[i]->s
							     : "a non-string",
				 ev_arch_name(r->arch));
			return -1;
		} else
			r->states |= 1ull << bit;
	if (a->kind != JV_ARR) {
		snprintf(err, errlen, "%s:%d: field \"states\": not an array",
			 path, lineno);
		return -1;
	}
	return 0;
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
	r.clobber = bool_of(o, "clobber");
	r.pass = strcmp(res, "pass") == 0;
	r.check = str_of(o, "check");
	r.detail = str_of(o, "detail");
	if (states_of(o, &r, j->path, lineno, err, errlen) < 0)
		goto out;
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
		ev_journal_close(j); /* with the records before the bad line */
		return NULL;
	}
	return j;
fail:
	free(j->path);
	free(j->recs);
	free(j);
	return NULL;
}

int ev_result_same_key(const struct ev_result *a, const struct ev_result *b)
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

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* JRN-1: an fsync (about 0.1 ms of CPU and 0.3 ms of waiting here) is due
   when the last is JRN_SYNC_MS old; the time decides durability only,
   never what is written. */
static int sync_due(const struct ev_journal *j)
{
	return now_ms() - j->synced >= JRN_SYNC_MS;
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
	j->dirty = 1;
	if (!j->batch && sync_due(j) && ev_journal_sync(j) < 0)
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
	j->synced = now_ms();
	j->dirty = 0;
	return fsync(j->fd) < 0 && errno != EINVAL ? -1 : 0;
}

size_t ev_journal_count(const struct ev_journal *j) { return j->n; }

void ev_journal_close(struct ev_journal *j)
{
	size_t i, k;
	if (!j)
		return;
	if (j->dirty && !j->batch)
		(void)ev_journal_sync(j); /* JRN-1; a failure was seen by
					     the appends' own writes */
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
