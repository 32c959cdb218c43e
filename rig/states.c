/*
 * states.c -- the state catalogue and the stop states (states.h).
 */
#include "states.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regs.h"

static const char *const names[EV_NUM_STATES] = {
    [EV_ST_INTERIOR_ONLY] = "interior-only",
    [EV_ST_STACKOBJ_REG_ONLY] = "stackobj-reg-only",
    [EV_ST_STACKOBJ_CONSERVATIVE] = "stackobj-conservative",
    [EV_ST_STACKOBJ_STACKPTR] = "stackobj-stackptr",
    [EV_ST_GROW_STACKPTR] = "grow-stackptr",
    [EV_ST_SHRINK_DEFERRED] = "shrink-deferred",
    [EV_ST_INJECT_GROWS] = "inject-grows",
    [EV_ST_INJECT_WAKES] = "inject-wakes",
};

const char *ev_state_name(int s)
{
	return s >= 0 && s < EV_NUM_STATES ? names[s] : "?";
}

static const struct rig_regs *regs_of(int arch)
{
	return rig_regs_find(ev_arch_name(arch));
}

size_t ev_states_ncat(int arch)
{
	const struct rig_regs *rr = regs_of(arch);
	size_t n = rr ? EV_NUM_STATES + rr->nalloc : 0;
	return n <= 64 ? n : 0; /* STA-1: one word */
}

void ev_states_cat_name(int arch, size_t i, char *buf, size_t n)
{
	const struct rig_regs *rr = regs_of(arch);
	if (i < EV_NUM_STATES)
		snprintf(buf, n, "%s", names[i]);
	else if (rr && i - EV_NUM_STATES < rr->nalloc)
		snprintf(buf, n, EV_STATE_REG_PREFIX "%s",
			 rr->alloc[i - EV_NUM_STATES]);
	else
		snprintf(buf, n, "?");
}

int ev_states_lookup(int arch, const char *name)
{
	size_t i, n = ev_states_ncat(arch);
	char buf[64];
	for (i = 0; i < n; i++) {
		ev_states_cat_name(arch, i, buf, sizeof buf);
		if (!strcmp(buf, name))
			return (int)i;
	}
	return -1;
}

int ev_states_reg(int arch, int gdbnum)
{
	const struct rig_regs *rr = regs_of(arch);
	size_t i;
	if (!rr || gdbnum < 0 || (size_t)gdbnum >= rr->ngpr)
		return -1;
	for (i = 0; i < rr->nalloc; i++)
		if (!strcmp(rr->alloc[i], rr->gpr[gdbnum]))
			return (int)(EV_NUM_STATES + i);
	return -1;
}

int ev_states_woken(const struct ev_gstate *before, size_t nb,
		    const struct ev_gstate *after, size_t na)
{
	for (size_t i = 0; i < nb; i++)
		for (size_t j = 0; j < na; j++)
			if (after[j].addr == before[i].addr &&
			    after[j].id == before[i].id &&
			    before[i].status == 3 && after[j].status == 1)
				return 1;
	return 0;
}

/* ---- guest memory through a small line cache: the stop states classify
   every root, and neighbouring roots share span entries and headers ---- */

#define LINE 256
#define NLINES 32

struct line_cache {
	const struct ev_mem *inner;
	uint64_t addr[NLINES];
	unsigned char valid[NLINES];
	unsigned char data[NLINES][LINE];
	unsigned next;
};

static int cached_read(void *ctx, uint64_t addr, void *buf, size_t n)
{
	struct line_cache *lc = ctx;
	unsigned char *out = buf;

	while (n) {
		uint64_t base = addr & ~(uint64_t)(LINE - 1);
		size_t off = (size_t)(addr - base), k = LINE - off;
		unsigned i;
		if (k > n)
			k = n;
		for (i = 0; i < NLINES; i++)
			if (lc->valid[i] && lc->addr[i] == base)
				break;
		if (i == NLINES) {
			i = lc->next++ % NLINES;
			lc->valid[i] = 0;
			if (lc->inner->read(lc->inner->ctx, base, lc->data[i],
					    LINE) <
			    0) /* a line's end unmapped */
				return lc->inner->read(lc->inner->ctx, addr,
						       out, n);
			lc->addr[i] = base;
			lc->valid[i] = 1;
		}
		memcpy(out, lc->data[i] + off, k);
		out += k, addr += k, n -= k;
	}
	return 0;
}

/* ---- the stop states ---- */

/* One reference found by the walk: holder -> target. */
struct ref {
	uint64_t target; /* heap: the object's slot; stack: object index */
	uint32_t holder; /* root index, or nroots + stack-object word index */
	unsigned char stack;	/* target is a stack object */
	unsigned char interior; /* heap: not at the object's first field */
};

struct walk {
	const struct everypc_layout *L;
	const struct ev_mem *m;
	const struct ev_stop_view *sv;
	const struct ev_stackobj_view **objs; /* every frame's, in order */
	size_t *objframe, *wordbase, nobjs;
	unsigned char *seen;
	size_t *queue, nq;
	struct ref *refs;
	size_t nrefs, caprefs;
	uint64_t states;
	char *detail;
	size_t dlen;
};

static long object_at(const struct walk *k, uint64_t v)
{
	for (size_t g = 0; g < k->nobjs; g++) {
		const struct ev_frame_view *fr =
		    &k->sv->r->frames[k->objframe[g]];
		uint64_t lo = fr->sp + (uint64_t)k->objs[g]->off;
		if (v >= lo && v - lo < k->objs[g]->size)
			return (long)g;
	}
	return -1;
}

static int add_ref(struct walk *k, struct ref r)
{
	if (!k->refs) /* the precise-only pass counts nothing */
		return 0;
	if (k->nrefs == k->caprefs) {
		size_t cap = k->caprefs ? 2 * k->caprefs : 64;
		struct ref *n = realloc(k->refs, cap * sizeof *n);
		if (!n) {
			snprintf(k->detail, k->dlen, "out of memory");
			return -1;
		}
		k->refs = n, k->caprefs = cap;
	}
	k->refs[k->nrefs++] = r;
	return 0;
}

/* The word v held by holder (from_obj: a stack object's word). */
static int visit(struct walk *k, uint64_t v, uint32_t holder, int from_obj)
{
	const struct everypc_layout *L = k->L;
	const struct ev_reach *r = k->sv->r;
	enum ev_ptr_kind kind;
	struct ev_objinfo oi;

	if (v - L->stack_base < L->stack_area) {
		long g;
		if (v - r->stack_lo >= r->stack_hi - r->stack_lo)
			return 0; /* not its stack: the stackptr oracle's */
		if (from_obj)
			k->states |= 1ull << EV_ST_STACKOBJ_STACKPTR;
		if ((g = object_at(k, v)) < 0)
			return 0;
		if (!k->seen[g]) {
			k->seen[g] = 1;
			k->queue[k->nq++] = (size_t)g;
		}
		return add_ref(k, (struct ref){(uint64_t)g, holder, 1, 0});
	}
	if (!k->refs)
		return 0;
	if (ev_classify(L, k->m, v, &kind, &oi) < 0) {
		snprintf(k->detail, k->dlen,
			 "states: cannot classify 0x%llx (reading its span or "
			 "header)",
			 (unsigned long long)v);
		return -1;
	}
	if (kind != EV_PTR_HEAP_LIVE)
		return 0;
	return add_ref(
	    k, (struct ref){oi.base, holder, 0, v != oi.base + L->header_size});
}

/* From roots [from, to), through the stack objects they reach. */
static int walk_from(struct walk *k, size_t from, size_t to)
{
	const struct ev_reach *r = k->sv->r;
	size_t i;

	k->nq = 0;
	for (i = from; i < to; i++)
		if (visit(k, r->roots[i].value, (uint32_t)i, 0) < 0)
			return -1;
	while (k->nq) {
		size_t g = k->queue[--k->nq];
		const struct ev_stackobj_view *o = k->objs[g];
		uint64_t at = r->frames[k->objframe[g]].sp + (uint64_t)o->off;
		for (uint32_t w = 0; w < o->size / 8; w++) {
			uint64_t v;
			if (!((o->ptrmask[w / 8] >> (w % 8)) & 1))
				continue;
			if (k->m->read(k->m->ctx, at + 8ull * w, &v, 8) < 0) {
				snprintf(k->detail, k->dlen,
					 "states: cannot read the stack "
					 "object at 0x%llx",
					 (unsigned long long)at);
				return -1;
			}
			if (visit(k, v,
				  (uint32_t)(r->nroots + k->wordbase[g] + w),
				  1) < 0)
				return -1;
		}
	}
	return 0;
}

static int ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	if (x->stack != y->stack)
		return x->stack < y->stack ? -1 : 1;
	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	return x->holder < y->holder ? -1 : x->holder > y->holder;
}

/* The states of the references to one target, refs[0, n). */
static void judge_target(struct walk *k, const struct ref *refs, size_t n)
{
	const struct ev_stop_view *sv = k->sv;
	int reg = -1, interior = 1;

	if (n == 1 && refs[0].holder < sv->nstopped)
		reg = sv->root_reg[refs[0].holder];
	for (size_t i = 0; i < n; i++)
		interior &= refs[i].interior;
	if (refs[0].stack) {
		if (reg >= 0)
			k->states |= 1ull << EV_ST_STACKOBJ_REG_ONLY;
		return;
	}
	if (interior)
		k->states |= 1ull << EV_ST_INTERIOR_ONLY;
	if (reg >= 0 && (reg = ev_states_reg(sv->arch, reg)) >= 0)
		k->states |= 1ull << reg;
}

int ev_stop_states(const struct everypc_layout *L, const struct ev_mem *m,
		   const struct ev_stop_view *sv, uint64_t *states,
		   char *detail, size_t dlen)
{
	const struct ev_reach *r = sv->r;
	struct line_cache *lc = calloc(1, sizeof *lc);
	struct ev_mem cm = {cached_read, lc};
	struct walk k = {L,    &cm, sv,	  NULL, NULL, NULL, 0,	    NULL,
			 NULL, 0,   NULL, 0,	0,    0,    detail, dlen};
	unsigned char *all = NULL;
	size_t f, i, g = 0, words = 0;
	int rc = -1;

	for (f = 0; f < r->nframes; f++)
		k.nobjs += r->frames[f].nobjs;
	k.objs = calloc(k.nobjs + 1, sizeof *k.objs);
	k.objframe = calloc(k.nobjs + 1, sizeof *k.objframe);
	k.wordbase = calloc(k.nobjs + 1, sizeof *k.wordbase);
	k.seen = calloc(k.nobjs + 1, 1);
	all = calloc(k.nobjs + 1, 1);
	k.queue = calloc(k.nobjs + 1, sizeof *k.queue);
	if (!lc || !k.objs || !k.objframe || !k.wordbase || !k.seen || !all ||
	    !k.queue) {
		snprintf(detail, dlen, "out of memory");
		goto out;
	}
	lc->inner = m;
	for (f = 0; f < r->nframes; f++)
		for (i = 0; i < r->frames[f].nobjs; i++, g++) {
			k.objs[g] = &r->frames[f].objs[i];
			k.objframe[g] = f;
			k.wordbase[g] = words;
			words += r->frames[f].objs[i].size / 8;
		}
	/* every root: what they hold, which stack objects they reach */
	k.refs = malloc(64 * sizeof *k.refs);
	k.caprefs = k.refs ? 64 : 0;
	if (!k.refs || walk_from(&k, 0, r->nroots) < 0)
		goto out;
	memcpy(all, k.seen, k.nobjs);
	qsort(k.refs, k.nrefs, sizeof *k.refs, ref_cmp);
	for (i = 0; i < k.nrefs;) {
		size_t j = i + 1;
		while (j < k.nrefs && k.refs[j].stack == k.refs[i].stack &&
		       k.refs[j].target == k.refs[i].target)
			j++;
		judge_target(&k, k.refs + i, j - i);
		i = j;
	}
	/* the callers' precise words only: what a precise scan finds */
	free(k.refs);
	k.refs = NULL;
	memset(k.seen, 0, k.nobjs);
	if (walk_from(&k, sv->nstopped < r->nroots ? sv->nstopped : r->nroots,
		      r->nroots) < 0)
		goto out;
	for (g = 0; g < k.nobjs; g++)
		if (all[g] && !k.seen[g] && k.objframe[g] > 0)
			k.states |= 1ull << EV_ST_STACKOBJ_CONSERVATIVE;
	rc = 0;
out:
	free(k.refs);
	free(all);
	free(k.objs), free(k.objframe), free(k.wordbase), free(k.seen);
	free(k.queue), free(lc);
	if (rc == 0)
		*states |= k.states;
	return rc;
}

/* ---- required states ---- */

static uint64_t all_of(int arch)
{
	size_t n = ev_states_ncat(arch);
	return n == 64 ? ~0ull : (1ull << n) - 1;
}

int ev_states_req_add(struct ev_states_req *q, const char *text,
		      const char *where, char *err, size_t errlen)
{
	char a[64] = "", b[64] = "", extra[8] = "";
	int n = sscanf(text, "%63s %63s %7s", a, b, extra), arch = -1, bit;
	const char *state = a;
	uint64_t found = 0;

	if (n <= 0 || a[0] == '#')
		return 0; /* blank or comment */
	if (n >= 2 && b[0] != '#') {
		if ((arch = ev_arch_parse(a)) < 0) {
			snprintf(err, errlen,
				 "%s: field arch: '%s' is not an arch "
				 "(amd64, arm64, riscv64)",
				 where, a);
			return -1;
		}
		state = b;
		if (n == 3 && extra[0] != '#') {
			snprintf(err, errlen,
				 "%s: '%s' after the state: one requirement "
				 "a line, \"[ARCH] STATE\"",
				 where, extra);
			return -1;
		}
	}
	for (int x = 0; x < EV_NUM_ARCHES; x++) {
		uint64_t m;
		if (arch >= 0 && x != arch)
			continue;
		if (!strcmp(state, "all"))
			m = all_of(x);
		else if ((bit = ev_states_lookup(x, state)) >= 0)
			m = 1ull << bit;
		else
			continue;
		found |= m;
		if (arch >= 0)
			q->named[x] |= m;
		else
			q->each[x] |= m;
	}
	if (!found) {
		snprintf(err, errlen,
			 "%s: field state: '%s' is not a state of %s%s "
			 "catalogue (docs/states.md)",
			 where, state, arch >= 0 ? ev_arch_name(arch) : "any",
			 arch >= 0 ? "'s" : "");
		return -1;
	}
	q->any = 1;
	return 0;
}

int ev_states_req_file(struct ev_states_req *q, const char *path, char *err,
		       size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[512], where[1200];
	int lineno = 0, rc = 0;

	if (!f) {
		snprintf(err, errlen, "--require-states %s: %s", path,
			 strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof line, f)) {
		size_t len = strlen(line);
		lineno++;
		if (len && line[len - 1] != '\n' && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path,
				 lineno);
			rc = -1;
			break;
		}
		for (char *c = line; *c; c++)
			if (!isprint((unsigned char)*c) &&
			    !isspace((unsigned char)*c)) {
				snprintf(err, errlen, "%s:%d: not a text line",
					 path, lineno);
				rc = -1;
				break;
			}
		snprintf(where, sizeof where, "%s:%d", path, lineno);
		if (rc == 0)
			rc = ev_states_req_add(q, line, where, err, errlen);
	}
	fclose(f);
	return rc;
}

uint64_t ev_states_req_want(const struct ev_states_req *q, int arch, int swept)
{
	if (!q)
		return swept ? all_of(arch) : 0;
	return q->named[arch] | (swept ? q->each[arch] : 0);
}

size_t ev_states_req_missing(const struct ev_states_req *q,
			     const uint64_t *created, const int *swept,
			     char *buf, size_t n)
{
	size_t count = 0, len = 0;
	char name[64];

	if (n)
		buf[0] = 0;
	for (int a = 0; a < EV_NUM_ARCHES; a++) {
		uint64_t miss =
		    ev_states_req_want(q, a, swept[a]) & ~created[a];
		for (size_t i = 0; i < ev_states_ncat(a); i++) {
			if (!(miss >> i & 1))
				continue;
			ev_states_cat_name(a, i, name, sizeof name);
			if (len < n)
				len += (size_t)snprintf(
				    buf + len, n - len, "%s%s %s",
				    count ? ", " : "", ev_arch_name(a), name);
			count++;
		}
	}
	return count;
}
