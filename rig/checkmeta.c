/*
 * checkmeta.c -- unsafe windows from the machine code, against the
 * metadata (checkmeta.h: CM-1..3).
 */
#include "checkmeta.h"

#include <stdlib.h>
#include <string.h>

#include "suite.h"

#define GC_ATOMIC_SPAN 32 /* instructions scanned after the load */
#define WB_SPAN 16	  /* instructions from the flag load to the call */

struct cm_ctx {
	const struct ev_target *t;
	const struct elfmeta_func *f;
	const struct ev_insn *in; /* the function's instructions */
	size_t n;
	struct cm_bad *bad;
	size_t max, nbad;
};

static uint64_t pc_after(const struct cm_ctx *c, size_t i)
{
	return i + 1 < c->n ? c->in[i + 1].pc : c->f->end;
}

/* CM-2 over [in[from], in[to]] (indices, inclusive). */
static void judge_window(struct cm_ctx *c, size_t from, size_t to,
			 const char *kind, const char *why)
{
	size_t i;
	for (i = from; i <= to && i < c->n; i++) {
		struct cm_bad *b;
		if (elfmeta_unsafe_at(c->t->m, c->in[i].pc))
			continue;
		if (c->nbad++ >= c->max)
			continue;
		b = &c->bad[c->nbad - 1];
		b->pc = c->in[i].pc;
		snprintf(
		    b->detail, sizeof b->detail,
		    "%s+%llu (0x%llx) `%s`: the metadata calls it safe, "
		    "but it is in the %s window %s+%llu..%s+%llu: %s",
		    c->f->name, (unsigned long long)(c->in[i].pc - c->f->entry),
		    (unsigned long long)c->in[i].pc, c->in[i].text, kind,
		    c->f->name,
		    (unsigned long long)(c->in[from].pc - c->f->entry),
		    c->f->name,
		    (unsigned long long)(pc_after(c, to) - c->f->entry), why);
	}
}

static enum insn_class cls(const struct cm_ctx *c, size_t i)
{
	return c->t->rr->insn.classify(c->in[i].text);
}

/* Instruction i loads a word from [lo, hi) (insn_rules.loads_from, with the
   instruction before it as the address formation). */
static int loads_from(const struct cm_ctx *c, size_t i, uint64_t lo,
		      uint64_t hi, char *reg, size_t n)
{
	return c->t->rr->insn.loads_from(i ? c->in[i - 1].text : NULL,
					 i ? c->in[i - 1].pc : 0, c->in[i].text,
					 lo, hi, reg, n);
}

/* CM-1 prologue and morestack. */
static void prologue(struct cm_ctx *c)
{
	size_t i, last = c->n;

	for (i = 0; i < c->n; i++) {
		enum insn_class k = cls(c, i);
		if (k == INSN_SETUP)
			last = i;
		else if (k != INSN_OTHER)
			break;
	}
	if (last < c->n) /* CM-3: otherwise no frame built: no window */
		judge_window(c, 0, last, "prologue",
			     "the frame is not built yet");
	for (i = 0; i < c->n; i++)
		if (cls(c, i) == INSN_CALL &&
		    strstr(c->in[i].text, "<runtime.morestack>")) {
			judge_window(c, i, c->n - 1, "morestack",
				     "the stack is being grown for a frame not "
				     "built yet");
			break;
		}
}

/* CM-1 epilogue: the frame-undoing run before each return. */
static void epilogue(struct cm_ctx *c)
{
	size_t i, j;
	for (i = 0; i < c->n; i++) {
		if (cls(c, i) != INSN_RET)
			continue;
		for (j = i; j > 0 && cls(c, j - 1) == INSN_TEARDOWN; j--)
			;
		judge_window(c, j, i, "epilogue",
			     "the frame is being torn down");
	}
}

/* CM-1 gc-atomic: from a load of runtime.alloc_next to the last store
   into the object it gives. */
static void gc_atomic(struct cm_ctx *c, uint64_t lo, uint64_t hi)
{
	size_t i, j, last;
	char reg[16];

	for (i = 0; i < c->n; i++) {
		if (!loads_from(c, i, lo, hi, reg, sizeof reg))
			continue;
		last = c->n;
		for (j = i + 1; j < c->n && j <= i + GC_ATOMIC_SPAN; j++) {
			enum insn_class k = cls(c, j);
			char next[16];
			if (k == INSN_CALL || k == INSN_RET ||
			    loads_from(c, j, lo, hi, next, sizeof next))
				break; /* the next allocation starts */
			if (c->t->rr->insn.stores_via(c->in[j].text, reg))
				last = j;
			else if (c->t->rr->insn.writes(c->in[j].text, reg))
				break; /* the base is gone: published */
		}
		if (last < c->n)
			judge_window(c, i, last, "gc-atomic",
				     "an object is allocated but not yet "
				     "initialised");
	}
}

/* CM-1 write-barrier: from a load of runtime.writeBarrier through the
   instruction after the barrier call it guards. */
static void write_barrier(struct cm_ctx *c, uint64_t lo, uint64_t hi)
{
	size_t i, j;
	char reg[16];

	for (i = 0; i < c->n; i++) {
		if (!loads_from(c, i, lo, hi, reg, sizeof reg))
			continue;
		for (j = i + 1; j + 1 < c->n && j <= i + WB_SPAN; j++) {
			enum insn_class k = cls(c, j);
			if (k == INSN_RET)
				break;
			if (k != INSN_CALL)
				continue;
			if (strstr(c->in[j].text, "<runtime.gcWriteBarrier>"))
				judge_window(c, i, j + 1, "write-barrier",
					     "the barrier's flag is tested but "
					     "the pointer not yet stored");
			break;
		}
	}
}

size_t ev_checkmeta_func(const struct ev_target *t,
			 const struct elfmeta_func *f, struct cm_bad *bad,
			 size_t max)
{
	const struct elfmeta_symbol *s =
	    elfmeta_symbol(t->m, "runtime.alloc_next");
	const struct elfmeta_symbol *wb =
	    elfmeta_symbol(t->m, "runtime.writeBarrier");
	struct cm_ctx c = {t, f, NULL, 0, bad, max, 0};
	size_t first;

	ev_target_func_insns(t, f, &first, &c.n);
	c.in = t->insns + first;
	prologue(&c);
	epilogue(&c);
	if (s && s->size)
		gc_atomic(&c, s->value, s->value + s->size);
	if (wb && wb->size)
		write_barrier(&c, wb->value, wb->value + wb->size);
	return c.nbad;
}

/* Every function of t, once: t->meta_bad. */
static void check_all(struct ev_target *t)
{
	size_t i, n, total = 0;

	t->meta_checked = 1;
	for (i = 0; i < t->m->nfuncs; i++)
		total += ev_checkmeta_func(t, &t->m->funcs[i], NULL, 0);
	if (!total || !(t->meta_bad = calloc(total, sizeof *t->meta_bad)))
		return;
	for (i = 0; i < t->m->nfuncs; i++) {
		n = ev_checkmeta_func(t, &t->m->funcs[i],
				      t->meta_bad + t->nmeta_bad,
				      total - t->nmeta_bad);
		t->nmeta_bad += n;
	}
}

int ev_checkmeta_pc(struct ev_target *t, uint64_t pc, char *detail, size_t n)
{
	size_t k;

	if (!t->meta_checked)
		check_all(t);
	for (k = 0; k < t->nmeta_bad; k++)
		if (t->meta_bad[k].pc == pc) {
			snprintf(detail, n, "%s", t->meta_bad[k].detail);
			return 1;
		}
	return 0;
}
