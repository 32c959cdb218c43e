/*
 * list.c -- everypc list (list.h): a workload's managed functions, per
 * instruction its PC, source, disassembly, safety and live pointers.
 */
#include "list.h"

#include "checkmeta.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "didyoumean.h"
#include "paths.h"
#include "regs.h"
#include "source.h"
#include "suite.h"
#include "target.h"

/* ==== the workload's source text ========================================= */

/* The workload's source as the listing shows it: the file found (path[0]
   0 when none could be read), the base name its DWARF line entries carry,
   and the set that reads it (source.h). */
struct src {
	struct ev_sources *set;
	char path[4096];
	char base[256];
};

/* Take path when it can be read: 0, else -1 (the listing then shows
   file:line without the text). */
static int src_load(struct src *s, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!ev_source_readable(s->set, path))
		return -1;
	snprintf(s->path, sizeof s->path, "%s", path);
	snprintf(s->base, sizeof s->base, "%s", slash ? slash + 1 : path);
	return 0;
}

/* Line l of file (a DWARF base name), or NULL when it is not s's. */
static const char *src_text(const struct src *s, const char *file, int l)
{
	if (!s->path[0] || !file || strcmp(file, s->base) != 0)
		return NULL;
	return ev_source_text(s->set, s->path, l);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The workload's source: the .go listed, else the file the ELF was built
   from (its metadata names it as given to gosub): as named, in the source
   tree (paths.h), or beside the ELF. */
static void src_find(struct src *s, const struct ev_target *t)
{
	const char *given = t->m->source_file, *slash, *base;
	char buf[4096];

	s->set = ev_sources_new();
	s->path[0] = 0;
	if (ends_with(t->workload, ".go")) {
		src_load(s, t->workload);
		return;
	}
	if (!given || !*given || src_load(s, given) == 0)
		return;
	if (given[0] != '/' && ev_path_source()) { /* named from the tree */
		snprintf(buf, sizeof buf, "%s/%s", ev_path_source(), given);
		if (src_load(s, buf) == 0)
			return;
	}
	slash = strrchr(t->elf, '/');
	base = strrchr(given, '/');
	snprintf(buf, sizeof buf, "%.*s%s",
		 slash ? (int)(slash - t->elf + 1) : 0, t->elf,
		 base ? base + 1 : given);
	src_load(s, buf);
}

/* ==== one instruction ===================================================== */

/* One row of the listing, its columns as text. */
struct row {
	char pc[24], where[256], safe[32], live[512], insn[512];
};

/* "safe", or "unsafe KIND" (META-5). */
static void safety(const struct ev_target *t, uint64_t pc, char *buf, size_t n)
{
	const struct elfmeta_unsafe *u = elfmeta_unsafe_at(t->m, pc);
	if (u)
		snprintf(buf, n, "unsafe %s",
			 elfmeta_unsafe_kind_name(u->kind));
	else
		snprintf(buf, n, "safe");
}

/* The live pointers at pc (META-6): registers by name, then frame words
   as sp+N; "-" when none, "?" when no record covers pc. */
static void live(const struct ev_target *t, uint64_t pc, char *buf, size_t n)
{
	const struct elfmeta_oracle *o = elfmeta_oracle_at(t->m, pc);
	size_t len = 0, k;
	unsigned r;

	snprintf(buf, n, "%s", o ? "-" : "?");
	for (r = 0; o && r < 64 && len < n; r++)
		if ((o->regmask >> r) & 1)
			len += (size_t)snprintf(
			    buf + len, n - len, "%s%s", len ? " " : "",
			    r < t->rr->ngpr ? t->rr->gpr[r] : "?");
	for (k = 0; o && k < o->nslots && len < n; k++)
		len += (size_t)snprintf(buf + len, n - len, "%ssp+%d",
					len ? " " : "", o->slots[k]);
}

static void row_of(const struct ev_target *t, const struct elfmeta_func *f,
		   const struct ev_insn *in, struct row *r)
{
	snprintf(r->pc, sizeof r->pc, "0x%llx", (unsigned long long)in->pc);
	snprintf(r->where, sizeof r->where, "%s+%llu", f->name,
		 (unsigned long long)(in->pc - f->entry));
	safety(t, in->pc, r->safe, sizeof r->safe);
	live(t, in->pc, r->live, sizeof r->live);
	snprintf(r->insn, sizeof r->insn, "%s", in->text);
}

/* ==== one function ======================================================== */

/* Widths that align a function's columns. */
struct cols {
	int pc, where, live;
};

#define LIVE_COL_MAX 32

static struct cols widths(const struct ev_target *t,
			  const struct elfmeta_func *f, size_t first, size_t n)
{
	struct cols c = {2, 11, 13}; /* "PC", "FUNC+OFFSET", "LIVE POINTERS" */
	struct row r;
	size_t i;

	for (i = first; i < first + n; i++) {
		int w;
		row_of(t, f, &t->insns[i], &r);
		w = (int)strlen(r.pc);
		c.pc = w > c.pc ? w : c.pc;
		w = (int)strlen(r.where);
		c.where = w > c.where ? w : c.where;
		w = (int)strlen(r.live);
		c.live = w > c.live ? w : c.live;
	}
	c.live = c.live > LIVE_COL_MAX ? LIVE_COL_MAX : c.live;
	return c;
}

/* Before pc's row: its source line, when that is not the one shown last
   (file, line), as objdump -S shows it. */
static void source_line(const struct ev_target *t, const struct src *s,
			uint64_t pc, const char **file, int *line, FILE *out)
{
	const char *nf, *text;
	int nl;

	if (ev_lines_lookup(t->lines, pc, &nf, &nl) < 0 || nl < 1) {
		*file = NULL;
		*line = 0;
		return;
	}
	if (*file && !strcmp(*file, nf) && *line == nl)
		return;
	*file = nf;
	*line = nl;
	text = src_text(s, nf, nl);
	fprintf(out, "%s:%d%s%s\n", nf, nl, text ? "\t" : "", text ? text : "");
}

static void list_func(const struct ev_target *t, const struct src *s,
		      const struct elfmeta_func *f, FILE *out)
{
	size_t first, n, i;
	const char *file = NULL;
	int line = 0;
	struct cols c;
	struct row r;

	ev_target_func_insns(t, f, &first, &n);
	c = widths(t, f, first, n);
	fprintf(
	    out, "%s  entry 0x%llx  end 0x%llx  frame %u  args %u  line %u\n",
	    f->name, (unsigned long long)f->entry, (unsigned long long)f->end,
	    f->frame_size, f->args_size, f->line);
	fprintf(out, "  %-*s  %-*s  %-16s  %-*s  %s\n", c.pc, "PC", c.where,
		"FUNC+OFFSET", "SAFETY", c.live, "LIVE POINTERS",
		"INSTRUCTION");
	for (i = first; i < first + n; i++) {
		const struct ev_insn *in = &t->insns[i];
		source_line(t, s, in->pc, &file, &line, out);
		row_of(t, f, in, &r);
		fprintf(out, "  %-*s  %-*s  %-16s  %-*s  %s\n", c.pc, r.pc,
			c.where, r.where, r.safe, c.live, r.live, r.insn);
	}
}

/* ==== the request ========================================================= */

/* Is name one of the comma list funcs (NULL: every function)? */
static int listed(const char *funcs, const char *name)
{
	size_t n = strlen(name);
	const char *p;
	if (!funcs)
		return 1;
	for (p = funcs;; p++) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return 1;
		if (!(p = strchr(p, ',')))
			return 0;
	}
}

/* Every name of the comma list funcs is a function of t (LIST-1). */
static int check_funcs(const struct ev_list_request *req,
		       const struct ev_target *t)
{
	const char *p = req->funcs, *end, **names, *meant;
	char name[256];
	size_t k;

	for (; p && *p; p = *end ? end + 1 : end) {
		end = p + strcspn(p, ",");
		snprintf(name, sizeof name, "%.*s", (int)(end - p), p);
		if (ev_target_func(t, name))
			continue;
		names = calloc(t->m->nfuncs + 1, sizeof *names);
		for (k = 0; names && k < t->m->nfuncs; k++)
			names[k] = t->m->funcs[k].name;
		meant =
		    names ? ev_did_you_mean(name, names, t->m->nfuncs) : NULL;
		fprintf(
		    stderr,
		    "everypc: --func %s: no such function in %s (%s)%s%s%s\n",
		    name, req->shown, ev_arch_name(t->arch),
		    meant ? "; did you mean '" : "", meant ? meant : "",
		    meant ? "'?" : "");
		free(names);
		return -1;
	}
	return 0;
}

/* The arches to list (list.h): as asked, else an ELF's own, else all. */
static size_t choose_arches(const struct ev_list_request *req, int *arches)
{
	struct elfmeta *m;
	char err[512];
	size_t i, n = 0;

	if (req->narches) {
		memcpy(arches, req->arches, req->narches * sizeof *arches);
		return req->narches;
	}
	if (!ends_with(req->path, ".go") &&
	    elfmeta_open(req->path, &m, err, sizeof err) == 0) {
		for (i = 0; i < EV_NUM_ARCHES; i++)
			if (rig_regs_find(ev_arch_name((int)i))->ep_arch ==
			    m->arch)
				arches[n++] = (int)i;
		elfmeta_close(m);
		if (n)
			return n;
	}
	for (i = 0; i < EV_NUM_ARCHES; i++)
		arches[n++] = (int)i;
	return n;
}

static void list_target(const struct ev_list_request *req,
			const struct ev_target *t, FILE *out)
{
	struct src s;
	size_t i, shown = 0;

	src_find(&s, t);
	fprintf(out, "%s (%s) build-id %s\n", req->shown, ev_arch_name(t->arch),
		t->build_id);
	for (i = 0; i < t->m->nfuncs; i++)
		if (listed(req->funcs, t->m->funcs[i].name)) {
			if (shown++)
				fputc('\n', out);
			list_func(t, &s, &t->m->funcs[i], out);
		}
	ev_sources_free(s.set);
}

/* check-meta of one target: CM-2 and CM-4 over the functions asked for. */
static void check_target(const struct ev_list_request *req,
			 const struct ev_target *t, FILE *out, size_t *bad)
{
	struct cm_bad b[64];
	size_t i, k, nb, nf = 0, total = 0;

	for (i = 0; i < t->m->nfuncs; i++) {
		const struct elfmeta_func *f = &t->m->funcs[i];
		if (req->funcs && !listed(req->funcs, f->name))
			continue;
		nf++;
		nb = ev_checkmeta_func(t, f, b, 64);
		for (k = 0; k < nb && k < 64; k++)
			fprintf(out, "%s: %s\n", ev_arch_name(t->arch),
				b[k].detail);
		total += nb;
	}
	fprintf(out,
		"%s: %zu functions, %zu PCs where the machine code "
		"contradicts the metadata (an unsafe window it calls safe) "
		"or ABI-8 (a barrier on the frame)\n",
		ev_arch_name(t->arch), nf, total);
	*bad += total;
}

int ev_list_run(const struct ev_list_request *req, FILE *out)
{
	struct ev_target t[EV_NUM_ARCHES];
	int arches[EV_NUM_ARCHES], rc = 0;
	size_t n = choose_arches(req, arches), open = 0, i, bad = 0;
	char err[2048];

	while (open < n && rc == 0) { /* LIST-1: all, before printing */
		if (ev_target_open(&t[open], arches[open], req->path, NULL,
				   req->builddir, err, sizeof err) < 0) {
			fprintf(stderr, "everypc: %s: %s\n",
				ev_arch_name(arches[open]), err);
			rc = 2;
			break;
		}
		if (check_funcs(req, &t[open++]) < 0)
			rc = 2;
	}
	for (i = 0; i < n && rc == 0; i++) {
		if (req->check_meta) {
			check_target(req, &t[i], out, &bad);
			continue;
		}
		if (i)
			fputc('\n', out);
		list_target(req, &t[i], out);
	}
	if (rc == 0 && bad)
		rc = 1;
	for (i = 0; i < open; i++)
		ev_target_close(&t[i]);
	return rc;
}
