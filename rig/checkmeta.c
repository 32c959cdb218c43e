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
#define CM4_REACH 32	  /* instructions walked back for a value (CM-4) */
#define CM4_WORDS 4096	  /* frame words tracked for anchors (CM-4) */

struct cm_ctx {
	const struct ev_target *t;
	const struct elfmeta_func *f;
	const struct ev_insn *in; /* the function's instructions */
	size_t n;
	struct cm_bad *bad;
	size_t max, nbad;
	/* CM-4 */
	size_t body;	       /* the first instruction after the prologue */
	unsigned char *target; /* [n + 1]: a branch lands there */
	unsigned char *word;   /* [CM4_WORDS]: ANCHOR_* of each frame word */
	int anchors_known;
};

enum { ANCHOR_UNSEEN, ANCHOR_YES, ANCHOR_NO };

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

/* CM-1 prologue and morestack; the first instruction after the frame is
   built (c->n when CM-3 finds none). */
static size_t prologue(struct cm_ctx *c)
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
	return last < c->n ? last + 1 : c->n;
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

/* ---- CM-4: a barrier on a store into the function's own frame ---- */

static const struct insn_rules *rules(const struct cm_ctx *c)
{
	return &c->t->rr->insn;
}

/* The direct branch target in text ("je 4012a0 <main.f+108>", "cbz w16,
   400410 <...>"), or 0; a call's or a comment's address is none. */
static uint64_t branch_target(const char *text)
{
	const char *lt = strchr(text, '<'), *hash = strstr(text, "# "), *p;

	if (!lt || (hash && hash < lt) || lt == text)
		return 0;
	p = lt - 1;
	while (p > text && *p == ' ')
		p--;
	while (p > text && strchr("0123456789abcdef", p[-1]))
		p--;
	if (p == text || !strchr(" \t,", p[-1]))
		return 0;
	return strtoull(p, NULL, 16);
}

/* c->target: where branches inside f land; 0 when the function jumps
   through a register (its targets unknown: CM-4 proves nothing there). */
static int find_targets(struct cm_ctx *c)
{
	size_t i, lo, hi;

	if (!(c->target = calloc(c->n + 1, 1)))
		return 0;
	for (i = 0; i < c->n; i++) {
		uint64_t to;
		if (cls(c, i) == INSN_IJUMP)
			return 0;
		if (cls(c, i) == INSN_CALL ||
		    !(to = branch_target(c->in[i].text)) || to < c->f->entry ||
		    to >= c->f->end)
			continue;
		lo = 0, hi = c->n; /* in[] is sorted by PC */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (c->in[mid].pc < to)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < c->n && c->in[lo].pc == to)
			c->target[lo] = 1;
	}
	return 1;
}

static int is_anchor(const struct cm_ctx *c, long long off)
{
	return c->anchors_known && off >= 0 && !(off % 8) &&
	       off / 8 < CM4_WORDS && c->word[off / 8] == ANCHOR_YES;
}

/* 1 when reg holds an address in this frame just before instruction at,
   and why: set from SP plus a constant, or loaded from an anchor (a frame
   word that only ever holds such addresses), by the straight-line code
   before at -- through at most one copy (CM-4's evidence is what the
   compiler knew, not what a pointer happens to hold). */
static int frame_value(const struct cm_ctx *c, size_t at, const char *reg,
		       int depth, char *why, size_t n)
{
	const char *sp = rules(c)->sp;
	size_t k;

	for (k = at; k-- > c->body;) {
		struct insn_def_of d;
		enum insn_class kc = cls(c, k);

		if (c->target[k + 1] || at - k > CM4_REACH || kc == INSN_CALL ||
		    kc == INSN_RET || kc == INSN_IJUMP)
			return 0; /* reached another way, or too far */
		switch (rules(c)->defines(c->in[k].text, reg, &d)) {
		case DEF_NONE:
			continue;
		case DEF_ADDR:
			if (!strcmp(d.base, sp)) {
				snprintf(why, n, "%s+%llu `%s`", c->f->name,
					 (unsigned long long)(c->in[k].pc -
							      c->f->entry),
					 c->in[k].text);
				return 1;
			}
			return depth < 1 &&
			       frame_value(c, k, d.base, depth + 1, why, n);
		case DEF_LOAD:
			if (strcmp(d.base, sp) || !is_anchor(c, d.off))
				return 0;
			snprintf(
			    why, n,
			    "%s+%llu `%s` (sp+%lld holds only frame "
			    "addresses: a stack object's anchor)",
			    c->f->name,
			    (unsigned long long)(c->in[k].pc - c->f->entry),
			    c->in[k].text, d.off);
			return 1;
		default:
			return 0;
		}
	}
	return 0;
}

/* c->word: the frame words every write of which stores a frame address
   (frame_value without anchors). */
static int find_anchors(struct cm_ctx *c)
{
	size_t k;
	char why[8];

	if (!(c->word = calloc(CM4_WORDS, 1)))
		return 0;
	for (k = c->body; k < c->n; k++) {
		long long off, w;
		int nw, good;
		char src[16];

		if (!rules(c)->frame_store(c->in[k].text, &off, &nw, src,
					   sizeof src) ||
		    off < 0)
			continue;
		good = nw == 1 && src[0] && !(off % 8) &&
		       frame_value(c, k, src, 0, why, sizeof why);
		for (w = off / 8; w <= (off + 8 * nw - 1) / 8; w++)
			if (w < CM4_WORDS)
				c->word[w] = good && c->word[w] != ANCHOR_NO
						 ? ANCHOR_YES
						 : ANCHOR_NO;
	}
	c->anchors_known = 1;
	return 1;
}

/* CM-4 for the barrier call at j: its slot register (ABI-8) must not be
   evidently the function's own frame. */
static void frame_barrier(struct cm_ctx *c, size_t j)
{
	struct cm_bad *b;
	char why[128];

	if (c->body >= c->n || !c->anchors_known ||
	    !frame_value(c, j, rules(c)->wb_slot, 0, why, sizeof why))
		return;
	if (c->nbad++ >= c->max)
		return;
	b = &c->bad[c->nbad - 1];
	b->pc = c->in[j].pc;
	snprintf(b->detail, sizeof b->detail,
		 "%s+%llu (0x%llx) `%s`: a write barrier on a store into the "
		 "function's own frame: its slot %s comes from %s; "
		 "ABI-8 stores into the frame take no barrier",
		 c->f->name, (unsigned long long)(c->in[j].pc - c->f->entry),
		 (unsigned long long)c->in[j].pc, c->in[j].text,
		 rules(c)->wb_slot, why);
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
			if (strstr(c->in[j].text, "<runtime.gcWriteBarrier>")) {
				judge_window(c, i, j + 1, "write-barrier",
					     "the barrier's flag is tested but "
					     "the pointer not yet stored");
				frame_barrier(c, j);
			}
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
	struct cm_ctx c = {t, f, NULL, 0, bad, max, 0, 0, NULL, NULL, 0};
	size_t first;

	ev_target_func_insns(t, f, &first, &c.n);
	c.in = t->insns + first;
	c.body = prologue(&c);
	if (c.body < c.n && find_targets(&c))
		find_anchors(&c);
	epilogue(&c);
	if (s && s->size)
		gc_atomic(&c, s->value, s->value + s->size);
	if (wb && wb->size)
		write_barrier(&c, wb->value, wb->value + wb->size);
	free(c.target);
	free(c.word);
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
