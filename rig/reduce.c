/*
 * reduce.c -- hierarchical delta debugging of a failing case's workload
 * (reduce.h, RED-1..5).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "reduce.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cache.h"
#include "elfmeta.h"
#include "launch.h"
#include "paths.h"
#include "suite.h"
#include "sweep.h"
#include "target.h"

#define RED_MAX_REPAIRS 32 /* rounds of RED-3's repairs per candidate */
#define RED_MAX_TESTS 4000 /* candidates tried in all: then it stops */

/* ==== a program as lines ================================================ */

struct text {
	char **v;
	size_t n, cap;
};

static void text_free(struct text *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	memset(t, 0, sizeof *t);
}

/* Insert a copy of s[0..len) as line at; 0, or -1 out of memory. */
static int text_insert(struct text *t, size_t at, const char *s, size_t len)
{
	char *d;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		char **v = realloc(t->v, cap * sizeof *v);
		if (!v)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	if (!(d = malloc(len + 1)))
		return -1;
	memcpy(d, s, len);
	d[len] = 0;
	memmove(t->v + at + 1, t->v + at, (t->n - at) * sizeof *t->v);
	t->v[at] = d;
	t->n++;
	return 0;
}

static int text_push(struct text *t, const char *s)
{
	return text_insert(t, t->n, s, strlen(s));
}

static void text_delete(struct text *t, size_t at)
{
	free(t->v[at]);
	memmove(t->v + at, t->v + at + 1, (t->n - at - 1) * sizeof *t->v);
	t->n--;
}

static int text_read(const char *path, struct text *t, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;

	memset(t, 0, sizeof *t);
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((got = getline(&line, &cap, f)) >= 0) {
		if (got && line[got - 1] == '\n')
			line[--got] = 0;
		if (text_insert(t, t->n, line, (size_t)got) < 0) {
			snprintf(err, errlen, "out of memory");
			break;
		}
	}
	free(line);
	if (ferror(f) || got >= 0) {
		if (ferror(f))
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(f);
		text_free(t);
		return -1;
	}
	fclose(f);
	return 0;
}

/* header (may be NULL) then t's lines into path; 0 or -1 with err. */
static int text_write(const struct text *t, const struct text *header,
		      const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	int bad = !f;

	for (size_t i = 0; !bad && header && i < header->n; i++)
		bad = fprintf(f, "%s\n", header->v[i]) < 0;
	for (size_t i = 0; !bad && i < t->n; i++)
		bad = fprintf(f, "%s\n", t->v[i]) < 0;
	if (f && fclose(f) != 0)
		bad = 1;
	if (bad)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return bad ? -1 : 0;
}

static uint64_t text_hash(const struct text *t)
{
	uint64_t h = EV_FNV1A_BASIS;
	for (size_t i = 0; i < t->n; i++) {
		h = ev_fnv1a_more(h, t->v[i], strlen(t->v[i]));
		h = ev_fnv1a_more(h, "\n", 1);
	}
	return h;
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A line with nothing but a comment, or nothing: dropped first (RED-2);
   a //go: directive is kept. */
static int droppable(const char *s)
{
	s = skip_space(s);
	return !*s || (!strncmp(s, "//", 2) && strncmp(s, "//go:", 5));
}

/* How many brackets ({ and ( against } and )) line s leaves open, outside
   string and rune literals and comments. */
static int line_delta(const char *s)
{
	int d = 0;
	for (; *s; s++) {
		char q = *s;
		if (q == '/' && s[1] == '/')
			break;
		if (q == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");
			if (!e)
				break;
			s = e + 1;
		} else if (q == '"' || q == '\'' || q == '`') {
			for (s++; *s && *s != q; s++)
				if (*s == '\\' && q != '`' && s[1])
					s++;
			if (!*s)
				break;
		} else if (q == '{' || q == '(') {
			d++;
		} else if (q == '}' || q == ')') {
			d--;
		}
	}
	return d;
}

/* The last line of the statement starting at line i of t (i itself when
   it leaves no bracket open), below limit. */
static size_t stmt_end(const struct text *t, size_t i, size_t limit)
{
	size_t j = i;
	int open = line_delta(t->v[i]);
	while (open > 0 && j + 1 < limit)
		open += line_delta(t->v[++j]);
	return j;
}

/* ==== the syntax tree (RED-2) ============================================ */

struct node {
	size_t first, last; /* lines, inclusive */
	int depth;
	long parent; /* index of the node around it, -1 at the top */
	int pinned;  /* holds the anchor: never removed (RED-1) */
};

struct tree {
	struct node *v;
	size_t n, cap;
	int maxdepth;
};

/* The statements of lines [lo, hi) of t at depth, with their children; a
   line starting with a closing bracket ("}", "} else {") belongs to the
   node around it. */
static int parse(struct tree *tr, const struct text *t, size_t lo, size_t hi,
		 int depth, long parent, size_t anchor)
{
	for (size_t i = lo; i < hi;) {
		char c = *skip_space(t->v[i]);
		size_t j;
		if (c == '}' || c == ')') {
			i++;
			continue;
		}
		j = stmt_end(t, i, hi);
		if (tr->n == tr->cap) {
			size_t cap = tr->cap ? 2 * tr->cap : 256;
			struct node *v = realloc(tr->v, cap * sizeof *v);
			if (!v)
				return -1;
			tr->v = v;
			tr->cap = cap;
		}
		tr->v[tr->n++] = (struct node){i, j, depth, parent,
					       i <= anchor && anchor <= j};
		if (depth > tr->maxdepth)
			tr->maxdepth = depth;
		if (j > i && parse(tr, t, i + 1, j, depth + 1, (long)tr->n - 1,
				   anchor) < 0)
			return -1;
		i = j + 1;
	}
	return 0;
}

/* ==== one reduction ====================================================== */

struct red {
	const struct ev_reduce_opts *o;
	const struct ev_scenario *sc;
	char try_go[4200], try_s[4200], build[4200], run[4200];
	char *anchor_text; /* the anchor line, as the workload has it */
	/* RED-4: every text tested, with its outcome */
	struct memo {
		uint64_t hash;
		int keeps;
	} * memo;
	size_t nmemo, cap;
	size_t pref; /* index among the anchor line's PCs that failed last */
	/* counts for the summary */
	unsigned tests, by_gosub, by_go, lost;
	/* the last candidate that kept the failure: the repaired text and
	   the anchor's line index in it */
	struct text best;
	size_t best_anchor;
	char why[2200]; /* why the last candidate lost the failure */
};

/* What a candidate that kept the failure showed (filled by try_case). */
struct found {
	struct ev_case_out out;
	char build_id[2 * 64 + 1];
};

static void remember(struct red *R, uint64_t h, int keeps)
{
	if (R->nmemo == R->cap) {
		size_t cap = R->cap ? 2 * R->cap : 256;
		struct memo *v = realloc(R->memo, cap * sizeof *v);
		if (!v)
			return; /* only a lost shortcut */
		R->memo = v;
		R->cap = cap;
	}
	R->memo[R->nmemo++] = (struct memo){h, keeps};
}

static int recall(const struct red *R, uint64_t h)
{
	for (size_t i = 0; i < R->nmemo; i++)
		if (R->memo[i].hash == h)
			return R->memo[i].keeps;
	return -1;
}

/* RED-3: gosub's messages about path's lines, repaired in t where they say
   a declaration or an import went unused; 1 when t builds with gosub, 0
   when a message is of another kind (R->why), -1 on an error. */
static int repair(struct red *R, struct text *t, size_t *anchor, char *err,
		  size_t errlen)
{
	size_t plen = strlen(R->try_go);

	for (int round = 0; round < RED_MAX_REPAIRS; round++) {
		char *argv[] = {(char *)ev_tool_gosub(),
				"-arch",
				(char *)ev_arch_name(R->sc->arch),
				"-S",
				"-o",
				R->try_s,
				R->try_go,
				NULL};
		FILE *log = ev_scratch_file();
		char line[1024];
		/* the edits, applied from the bottom up: line index, and the
		   name to use (NULL: delete the line) */
		struct edit {
			size_t at;
			char name[128];
			int del;
		} ed[64];
		size_t ned = 0;
		int rc, other = 0;

		if (!log) {
			snprintf(err, errlen, "scratch file: %s",
				 strerror(errno));
			return -1;
		}
		if (text_write(t, NULL, R->try_go, err, errlen) < 0) {
			fclose(log);
			return -1;
		}
		rc = launch_run_tool(argv, NULL, -1, fileno(log));
		if (rc == 0) {
			fclose(log);
			return 1;
		}
		rewind(log);
		while (fgets(line, sizeof line, log)) {
			unsigned long ln, col;
			int at = 0;
			char *msg, *nl = strchr(line, '\n'), *q;
			if (nl)
				*nl = 0;
			if (strncmp(line, R->try_go, plen) ||
			    sscanf(line + plen, ":%lu:%lu: %n", &ln, &col,
				   &at) < 2 ||
			    !at || ln == 0 || ln > t->n || ned == 64) {
				other = 1;
				snprintf(R->why, sizeof R->why,
					 "gosub: %.1000s", line);
				break;
			}
			msg = line + plen + at;
			if ((q = strstr(msg, " declared but not used")) &&
			    !q[22] && (size_t)(q - msg) < sizeof ed[0].name) {
				ed[ned] = (struct edit){ln - 1, "", 0};
				memcpy(ed[ned].name, msg, (size_t)(q - msg));
				ed[ned++].name[q - msg] = 0;
			} else if (msg[0] == '"' &&
				   strstr(msg, "\" imported and not used")) {
				ed[ned++] = (struct edit){ln - 1, "", 1};
			} else {
				other = 1;
				snprintf(R->why, sizeof R->why,
					 "gosub: %.1000s", msg);
				break;
			}
		}
		fclose(log);
		if (other || !ned) {
			if (!other)
				snprintf(R->why, sizeof R->why,
					 "gosub: exit status %d", rc);
			return 0;
		}
		/* bottom up, so that earlier indices stay right */
		for (size_t k = 0; k < ned; k++)
			for (size_t m = k + 1; m < ned; m++)
				if (ed[m].at > ed[k].at) {
					struct edit x = ed[k];
					ed[k] = ed[m];
					ed[m] = x;
				}
		for (size_t k = 0; k < ned; k++) {
			size_t at = ed[k].at;
			if (ed[k].del) {
				if (at == *anchor)
					return 0;
				text_delete(t, at);
				if (at < *anchor)
					(*anchor)--;
			} else {
				/* after the whole statement, indented as it;
				   for a block's header (for, if, switch), as
				   the block's first statement */
				const char *s = t->v[at], *kw = skip_space(s);
				int head = !strncmp(kw, "for ", 4) ||
					   !strncmp(kw, "if ", 3) ||
					   !strncmp(kw, "switch ", 7) ||
					   !strncmp(kw, "} else if ", 10);
				size_t end = head ? at : stmt_end(t, at, t->n);
				size_t ind = (size_t)(kw - s);
				char buf[300];
				int n = snprintf(buf, sizeof buf,
						 "%.*s%s_ = %s", (int)ind, s,
						 head ? "\t" : "", ed[k].name);
				if (text_insert(t, end + 1, buf, (size_t)n) <
				    0) {
					snprintf(err, errlen, "out of memory");
					return -1;
				}
				if (end + 1 <= *anchor)
					(*anchor)++;
			}
		}
	}
	snprintf(R->why, sizeof R->why, "more than %d rounds of repairs",
		 RED_MAX_REPAIRS);
	return 0;
}

/* The PCs of the function on line (1-based) of t, into pcs (at most max);
   how many. */
static size_t line_pcs(const struct ev_target *t, const struct elfmeta_func *f,
		       int line, uint64_t *pcs, size_t max)
{
	size_t first, n, k = 0;
	ev_target_func_insns(t, f, &first, &n);
	for (size_t i = first; i < first + n && k < max; i++)
		if (ev_target_line(t, t->insns[i].pc) == line)
			pcs[k++] = t->insns[i].pc;
	return k;
}

/* RED-1: whether the program at path (anchor: its line index) keeps the
   failure: 1 with *fd filled, else 0 (R->why says why). */
static int try_case(struct red *R, const char *path, size_t anchor,
		    struct found *fd)
{
	const struct ev_scenario *sc = R->sc;
	struct ev_target t, ref;
	struct ev_sweep_opts so = {0};
	const struct elfmeta_func *f;
	uint64_t pcs[512];
	size_t npcs;
	char e[2048];
	int keeps = 0, have_ref = 0;

	if (ev_target_open(&t, sc->arch, path, sc->mutant, R->build, e,
			   sizeof e) < 0) {
		R->by_gosub++;
		snprintf(R->why, sizeof R->why, "%s", e);
		return 0;
	}
	if (!(f = ev_target_func(&t, sc->func))) {
		R->lost++;
		snprintf(R->why, sizeof R->why, "no function %s", sc->func);
		goto out;
	}
	if (ev_reference_load(&t.ref, path, R->o->timeout_s, e, sizeof e) < 0) {
		R->by_go++;
		snprintf(R->why, sizeof R->why, "%s", e);
		goto out;
	}
	if (sc->mutant && sc->inject) { /* SWP-4 */
		if (ev_target_open(&ref, sc->arch, path, NULL, R->build, e,
				   sizeof e) < 0) {
			R->by_gosub++;
			snprintf(R->why, sizeof R->why, "%s", e);
			goto out;
		}
		have_ref = 1;
	}
	npcs = line_pcs(&t, f, (int)anchor + 1, pcs, 512);
	so.out = R->run;
	so.timeout_s = R->o->timeout_s;
	so.no_clobber = !sc->clobber;
	snprintf(R->why, sizeof R->why, "no PC of %s on the anchor line %zu",
		 sc->func, anchor + 1);
	for (size_t k = 0; k < npcs && !keeps; k++) {
		size_t i = (R->pref + k) % npcs;
		if (ev_sweep_one(&t, have_ref ? &ref : NULL, sc->func, pcs[i],
				 sc->hit, sc->action, sc->inject, &so, &fd->out,
				 e, sizeof e) < 0) {
			snprintf(R->why, sizeof R->why, "%s", e);
			continue;
		}
		if (!fd->out.r.pass && fd->out.r.check &&
		    !strcmp(fd->out.r.check, sc->check)) {
			keeps = 1;
			R->pref = i;
			snprintf(fd->build_id, sizeof fd->build_id, "%s",
				 t.build_id);
		} else {
			snprintf(R->why, sizeof R->why, "%s+%llu %s%s%s",
				 sc->func, (unsigned long long)fd->out.r.offset,
				 fd->out.r.pass ? "passes" : "fails ",
				 fd->out.r.pass ? "" : "as ",
				 fd->out.r.pass ? "" : fd->out.r.check);
		}
	}
	if (!keeps)
		R->lost++;
out:
	if (have_ref)
		ev_target_close(&ref);
	ev_target_close(&t);
	return keeps;
}

/* Candidate cand (anchor: its line index) repaired and tried; 1 it keeps
   the failure (R->best becomes it), 0 not, -1 error. */
static int test(struct red *R, struct text *cand, size_t anchor, char *err,
		size_t errlen)
{
	uint64_t h0 = text_hash(cand), h;
	struct found fd;
	int k;

	/* a text seen before is no progress: if it kept the failure, it is
	   the current program or an earlier, larger one */
	if (recall(R, h0) >= 0)
		return 0;
	if (R->tests == RED_MAX_TESTS)
		return 0;
	R->tests++;
	k = repair(R, cand, &anchor, err, errlen);
	if (k < 0)
		return -1;
	if (k == 0) {
		R->by_gosub++;
		remember(R, h0, 0);
		return 0;
	}
	h = text_hash(cand);
	if (recall(R, h) >= 0) {
		remember(R, h0, 0);
		return 0;
	}
	k = try_case(R, R->try_go, anchor, &fd);
	remember(R, h, k);
	remember(R, h0, k);
	if (k == 1) {
		text_free(&R->best);
		R->best = *cand;
		memset(cand, 0, sizeof *cand);
		R->best_anchor = anchor;
	}
	return k;
}

/* The lines of base not under a node marked gone, into out; the anchor's
   index in out. */
static int render(const struct text *base, const struct tree *tr,
		  const unsigned char *gone, size_t anchor, struct text *out,
		  size_t *out_anchor)
{
	unsigned char *drop = calloc(base->n ? base->n : 1, 1);

	memset(out, 0, sizeof *out);
	if (!drop)
		return -1;
	for (size_t i = 0; i < tr->n; i++)
		if (gone[i])
			memset(drop + tr->v[i].first, 1,
			       tr->v[i].last - tr->v[i].first + 1);
	for (size_t i = 0; i < base->n; i++) {
		if (drop[i])
			continue;
		if (i == anchor)
			*out_anchor = out->n;
		if (text_push(out, base->v[i]) < 0) {
			free(drop);
			text_free(out);
			return -1;
		}
	}
	free(drop);
	return 0;
}

/* ddmin over the nodes items[0..n) of tr (RED-2): remove chunks while the
   failure is kept; gone[] marks what is removed. 1 when something was, 0
   when not, -1 on an error. */
static int ddmin(struct red *R, const struct text *base, size_t anchor,
		 const struct tree *tr, unsigned char *gone, size_t *items,
		 size_t n, char *err, size_t errlen)
{
	size_t parts = 2;
	int any = 0;

	while (n > 0) {
		size_t size = (n + parts - 1) / parts;
		int progress = 0;
		if (size == 0)
			size = 1;
		for (size_t start = 0; start < n; start += size) {
			size_t end = start + size < n ? start + size : n;
			struct text cand;
			size_t a = 0;
			int k;
			for (size_t i = start; i < end; i++)
				gone[items[i]] = 1;
			if (render(base, tr, gone, anchor, &cand, &a) < 0) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			k = test(R, &cand, a, err, errlen);
			text_free(&cand);
			if (k < 0)
				return -1;
			if (k == 1) {
				memmove(items + start, items + end,
					(n - end) * sizeof *items);
				n -= end - start;
				parts = parts > 2 ? parts - 1 : 2;
				progress = any = 1;
				break;
			}
			for (size_t i = start; i < end; i++)
				gone[items[i]] = 0;
		}
		if (!progress) {
			if (parts >= n)
				break;
			parts = parts * 2 < n ? parts * 2 : n;
		}
	}
	return any;
}

/* One pass of every level (RED-2) over R->best; 1 when it removed
   something, 0 when not, -1 on an error. */
static int pass(struct red *R, int number, char *err, size_t errlen)
{
	int any = 0;

	for (int depth = 0;; depth++) {
		struct text base = R->best;
		size_t anchor = R->best_anchor, before = base.n, *items, n = 0;
		struct tree tr = {0};
		unsigned char *gone;
		int k;

		memset(&R->best, 0, sizeof R->best);
		if (parse(&tr, &base, 0, base.n, 0, -1, anchor) < 0) {
			R->best = base;
			free(tr.v);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (depth > tr.maxdepth) {
			R->best = base;
			free(tr.v);
			return any;
		}
		gone = calloc(tr.n ? tr.n : 1, 1);
		items = calloc(tr.n ? tr.n : 1, sizeof *items);
		if (!gone || !items) {
			R->best = base;
			free(tr.v);
			free(gone);
			free(items);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		/* each block's statements apart: removing one block's does
		   not depend on another's (the list stays short) */
		k = 0;
		for (long p = -1; k >= 0 && p < (long)tr.n; p++) {
			int got;
			if (p < 0 ? depth != 0
				  : tr.v[p].depth != depth - 1 || gone[p])
				continue;
			n = 0;
			for (size_t i = 0; i < tr.n; i++)
				if (tr.v[i].parent == p && !tr.v[i].pinned)
					items[n++] = i;
			got = ddmin(R, &base, anchor, &tr, gone, items, n, err,
				    errlen);
			k = got < 0 ? -1 : k | got;
		}
		if (k == 1) {
			text_free(&base); /* R->best is the latest kept */
			any = 1;
			printf("  pass %d, depth %d: %zu -> %zu lines (%u "
			       "tests)\n",
			       number, depth, before, R->best.n, R->tests);
			fflush(stdout);
		} else {
			text_free(&R->best); /* nothing kept: base stays */
			R->best = base;
			R->best_anchor = anchor;
		}
		free(tr.v);
		free(gone);
		free(items);
		if (k < 0)
			return -1;
	}
}

/* ==== the result (RED-5) ================================================= */

static int write_result(struct red *R, const char *stem, char *err,
			size_t errlen)
{
	const struct ev_scenario *sc = R->sc;
	char go[4200], json[4300], *abs = NULL, *text = NULL;
	struct text header = {0};
	struct ev_scenario out = {0};
	struct found fd;
	char line[1024];
	FILE *f;
	int rc = -1;

	snprintf(go, sizeof go, "%s/%s.go", R->o->out, stem);
	snprintf(json, sizeof json, "%s/%s.json", R->o->out, stem);
	snprintf(line, sizeof line,
		 "// Reduced by everypc reduce from %s (scenario %s.json).",
		 sc->workload, stem);
	if (text_push(&header, line) < 0)
		goto oom;
	snprintf(line, sizeof line,
		 "// Keeps: %s %s %s hit %d%s%s%s%s, failing %s at: %s",
		 ev_arch_name(sc->arch), sc->func, ev_action_name(sc->action),
		 sc->hit, sc->mutant ? ", mutant " : "",
		 sc->mutant ? sc->mutant : "", sc->inject ? ", inject " : "",
		 sc->inject ? sc->inject : "", sc->check,
		 skip_space(R->best.v[R->best_anchor]));
	if (text_push(&header, line) < 0)
		goto oom;
	if (text_write(&R->best, &header, go, err, errlen) < 0)
		goto out;
	if (!try_case(R, go, R->best_anchor + header.n, &fd)) {
		snprintf(err, errlen,
			 "%s: the reduced program does not keep the failure "
			 "when built from its own path: %s",
			 go, R->why);
		goto out;
	}
	if (!(abs = realpath(go, NULL))) {
		snprintf(err, errlen, "%s: %s", go, strerror(errno));
		goto out;
	}
	out.arch = sc->arch;
	out.workload = (char *)ev_path_under(abs, ev_path_source());
	out.mutant = sc->mutant;
	out.build_id = fd.build_id;
	out.func = sc->func;
	out.pc = fd.out.r.pc;
	out.offset = fd.out.r.offset;
	out.line = fd.out.r.line;
	out.hit = sc->hit;
	out.action = sc->action;
	out.inject = sc->inject;
	out.clobber = sc->clobber;
	out.expected_verdict = fd.out.r.expected;
	out.observed_verdict = fd.out.r.verdict;
	out.observed_pass = 0;
	out.check = (char *)fd.out.r.check;
	out.detail = (char *)fd.out.r.detail;
	if (!(text = ev_scenario_dump(&out)))
		goto oom;
	if (!(f = fopen(json, "w")) || fputs(text, f) < 0 || fclose(f) != 0) {
		snprintf(err, errlen, "%s: %s", json, strerror(errno));
		goto out;
	}
	printf("wrote %s (%zu lines) and %s: %s+%llu, line %d\n"
	       "replay: everypc replay %s\n",
	       go, R->best.n + header.n, json, sc->func,
	       (unsigned long long)out.offset, out.line, json);
	rc = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	text_free(&header);
	free(abs);
	free(text);
	return rc;
}

/* ==== the command ======================================================== */

/* "DIR/x.json" -> "x" */
static void stem_of(const char *path, char *buf, size_t n)
{
	const char *b = strrchr(path, '/');
	size_t len;
	b = b ? b + 1 : path;
	len = strlen(b);
	if (len > 5 && !strcmp(b + len - 5, ".json"))
		len -= 5;
	snprintf(buf, n, "%.*s", (int)len, b);
}

/* Refuse to write over the scenario being reduced or its workload. */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int setup(struct red *R, const char *stem, char *err, size_t errlen)
{
	const struct ev_reduce_opts *o = R->o;
	char go[4200], json[4300];
	size_t n = strlen(o->workload);

	if (n < 3 || strcmp(o->workload + n - 3, ".go")) {
		snprintf(err, errlen,
			 "%s: workload %s: reduce needs the program's source "
			 "(.go), not an ELF",
			 o->scenario, o->workload);
		return -1;
	}
	if (R->sc->observed_pass || !R->sc->check) {
		snprintf(err, errlen,
			 "%s: the recorded case passed: nothing to reduce",
			 o->scenario);
		return -1;
	}
	if (R->sc->line <= 0) {
		snprintf(err, errlen,
			 "%s: field line: %d: the failing PC has no source "
			 "line to keep (RED-1)",
			 o->scenario, R->sc->line);
		return -1;
	}
	if (mkdir(o->out, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", o->out, strerror(errno));
		return -1;
	}
	snprintf(go, sizeof go, "%s/%s.go", o->out, stem);
	snprintf(json, sizeof json, "%s/%s.json", o->out, stem);
	if (same_file(json, o->scenario) || same_file(go, o->workload)) {
		snprintf(err, errlen,
			 "--out %s: the result would overwrite %s; give "
			 "another directory",
			 o->out,
			 same_file(json, o->scenario) ? o->scenario
						      : o->workload);
		return -1;
	}
	snprintf(R->try_go, sizeof R->try_go, "%s/try.go", o->scratch);
	snprintf(R->try_s, sizeof R->try_s, "%s/try.s", o->scratch);
	snprintf(R->build, sizeof R->build, "%s/build", o->scratch);
	snprintf(R->run, sizeof R->run, "%s/run", o->scratch);
	if ((mkdir(R->build, 0700) < 0 && errno != EEXIST) ||
	    (mkdir(R->run, 0700) < 0 && errno != EEXIST)) {
		snprintf(err, errlen, "%s: %s", o->scratch, strerror(errno));
		return -1;
	}
	return 0;
}

int ev_reduce_run(const struct ev_reduce_opts *o, char *err, size_t errlen)
{
	struct red R = {.o = o, .sc = o->sc};
	struct text orig = {0}, cand = {0};
	char stem[256];
	size_t anchor, a = 0, lines;
	int rc = 2, k, number = 1;

	stem_of(o->scenario, stem, sizeof stem);
	if (setup(&R, stem, err, errlen) < 0 ||
	    text_read(o->workload, &orig, err, errlen) < 0)
		goto out;
	anchor = (size_t)R.sc->line - 1;
	if (anchor >= orig.n) {
		snprintf(err, errlen,
			 "%s: field line: %d: %s has %zu lines (a changed "
			 "workload?)",
			 o->scenario, R.sc->line, o->workload, orig.n);
		goto out;
	}
	lines = orig.n;
	printf("reduce %s: %s %s %s hit %d%s%s: %s at line %d: %s\n",
	       o->scenario, ev_arch_name(R.sc->arch), R.sc->func,
	       ev_action_name(R.sc->action), R.sc->hit,
	       R.sc->mutant ? ", mutant " : "",
	       R.sc->mutant ? R.sc->mutant : "", R.sc->check, R.sc->line,
	       skip_space(orig.v[anchor]));
	fflush(stdout);
	/* the workload itself must fail so (RED-1) */
	for (size_t i = 0; i < orig.n; i++)
		if (text_push(&cand, orig.v[i]) < 0)
			goto oom;
	if ((k = test(&R, &cand, anchor, err, errlen)) < 0)
		goto out;
	text_free(&cand);
	if (k == 0) {
		printf("%s: %s does not fail with %s on line %d: %s\n",
		       o->scenario, o->workload, R.sc->check, R.sc->line,
		       R.why);
		rc = 1;
		goto out;
	}
	/* RED-2: comments and blank lines first */
	for (size_t i = 0; i < orig.n; i++) {
		if (i == anchor)
			a = cand.n;
		if (i != anchor && droppable(orig.v[i]))
			continue;
		if (text_push(&cand, orig.v[i]) < 0)
			goto oom;
	}
	if ((k = test(&R, &cand, a, err, errlen)) < 0)
		goto out;
	printf("  without comments and blank lines: %zu lines%s\n", R.best.n,
	       k ? "" : " (lost the failure: kept them)");
	for (;;) {
		k = pass(&R, number++, err, errlen);
		if (k < 0)
			goto out;
		if (!k)
			break;
	}
	printf("reduced %s: %zu -> %zu lines in %u tests (%u refused by "
	       "gosub, %u by go, %u lost the failure)\n",
	       o->workload, lines, R.best.n, R.tests, R.by_gosub, R.by_go,
	       R.lost);
	fflush(stdout);
	rc = write_result(&R, stem, err, errlen) < 0 ? 2 : 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	text_free(&orig);
	text_free(&cand);
	text_free(&R.best);
	free(R.memo);
	return rc;
}
