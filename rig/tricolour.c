/*
 * tricolour.c -- the tri-colour oracle (oracle.h, RIG-9): the colours of a
 * marking cycle read from guest memory through the layout descriptor, and
 * the weak tri-colour invariant Go's hybrid write barrier keeps while a
 * cycle marks: every white object that a black object or a scanned global
 * points to is still reachable from a grey object, an unscanned stack or an
 * unbarriered root through white objects (Go proposal 17503). A white
 * object that fails it is lost: nothing left to mark will reach it, and
 * the sweep frees it while a black object still points to it.
 *
 * Nothing here trusts the runtime's word beyond RIG-9's description of
 * where the colours are (ORC-1): objects and their pointer words come from
 * span headers, object headers and the ELF's type table; the conservative
 * part (an unscanned stack counts word by word, as more than the collector
 * will scan of it) only makes more objects count as reachable, so it can
 * hide a violation but never invent one.
 */
#include "oracle.h"

#include "rsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum colour { WHITE, GREY, BLACK };

struct tobj {
	uint64_t slot; /* header address */
	uint64_t size; /* slot size, header included */
	uint32_t type; /* header's type index */
	uint8_t colour;
	uint8_t reached;      /* white, reached from a grey source */
	const uint8_t *words; /* the slot as read (header first) */
};

struct tri {
	const struct everypc_layout *L;
	const struct ev_mem *m;
	const struct ev_tri_in *in;
	struct tobj *objs;
	size_t nobjs, cap;
	uint8_t **bufs; /* one per span read */
	size_t nbufs;
	size_t *work; /* white objects reached, not yet scanned */
	size_t nwork;
	char *err;
	size_t errlen;
};

static uint64_t le64(const uint8_t *b) { return rsp_le_load(b, 8); }
static uint32_t le32(const uint8_t *b) { return (uint32_t)rsp_le_load(b, 4); }

static int rd(struct tri *t, uint64_t addr, void *buf, size_t n,
	      const char *what)
{
	if (n == 0 || t->m->read(t->m->ctx, addr, buf, n) == 0)
		return 0;
	snprintf(t->err, t->errlen,
		 "tricolour: cannot read %s (%zu bytes at 0x%llx)", what, n,
		 (unsigned long long)addr);
	return -1;
}

static int rd32(struct tri *t, uint64_t addr, uint32_t *v, const char *what)
{
	uint8_t b[4];
	if (rd(t, addr, b, 4, what) < 0)
		return -1;
	*v = le32(b);
	return 0;
}

static int rd64(struct tri *t, uint64_t addr, uint64_t *v, const char *what)
{
	uint8_t b[8];
	if (rd(t, addr, b, 8, what) < 0)
		return -1;
	*v = le64(b);
	return 0;
}

/* A guest range read into a buffer the tri keeps until the end. */
static uint8_t *rd_keep(struct tri *t, uint64_t addr, size_t n,
			const char *what)
{
	uint8_t *b = malloc(n ? n : 1), **nb;
	if (!b || !(nb = realloc(t->bufs, (t->nbufs + 1) * sizeof *nb))) {
		free(b);
		snprintf(t->err, t->errlen, "tricolour: out of memory");
		return NULL;
	}
	t->bufs = nb;
	t->bufs[t->nbufs++] = b;
	return rd(t, addr, b, n, what) < 0 ? NULL : b;
}

static int add_obj(struct tri *t, const struct tobj *o)
{
	if (t->nobjs == t->cap) {
		size_t nc = t->cap ? 2 * t->cap : 1024;
		struct tobj *no = realloc(t->objs, nc * sizeof *no);
		if (!no) {
			snprintf(t->err, t->errlen, "tricolour: out of memory");
			return -1;
		}
		t->objs = no;
		t->cap = nc;
	}
	t->objs[t->nobjs++] = *o;
	return 0;
}

/* The allocated objects of one span, in slot order. */
static int read_span_objs(struct tri *t, uint64_t span)
{
	const struct everypc_layout *L = t->L;
	uint64_t base, slot, nwords;
	uint32_t slot32, nslots;
	uint8_t *marks, *mem;

	if (rd64(t, span + L->span_off_base, &base, "a span's base") < 0 ||
	    rd32(t, span + L->span_off_slot_size, &slot32,
		 "a span's slot size") < 0 ||
	    rd32(t, span + L->span_off_nslots, &nslots, "a span's slots") < 0)
		return -1;
	slot = slot32;
	if (slot < L->header_size + 8 || slot % 8 || nslots == 0 ||
	    base < L->arena_base ||
	    (uint64_t)nslots * slot > L->arena_size - (base - L->arena_base)) {
		snprintf(t->err, t->errlen,
			 "tricolour: span at 0x%llx: base 0x%llx, %u slots of "
			 "%llu bytes outside the arena",
			 (unsigned long long)span, (unsigned long long)base,
			 nslots, (unsigned long long)slot);
		return -1;
	}
	nwords = (nslots + 63) / 64;
	if (!(marks = rd_keep(t, span + L->span_off_markbits, nwords * 8,
			      "a span's mark bits")) ||
	    !(mem =
		  rd_keep(t, base, (size_t)(nslots * slot), "a span's slots")))
		return -1;
	for (uint32_t i = 0; i < nslots; i++) {
		const uint8_t *w = mem + (size_t)i * slot;
		uint64_t h = le64(w);
		struct tobj o = {.slot = base + i * slot,
				 .size = slot,
				 .type = (uint32_t)(h >> L->header_type_shift),
				 .words = w};
		if ((h & L->header_state_mask) != L->header_allocated)
			continue;
		o.colour =
		    (le64(marks + i / 64 * 8) >> (i % 64)) & 1 ? BLACK : WHITE;
		if (add_obj(t, &o) < 0)
			return -1;
	}
	return 0;
}

/* Every allocated object of the arena's used pages, in address order. */
static int read_heap(struct tri *t)
{
	const struct everypc_layout *L = t->L;
	uint64_t used, last = 0;
	uint8_t *tab;

	if (rd64(t, L->pages_used_addr, &used, "the arena's used pages") < 0)
		return -1;
	if (used > L->nspans)
		used = L->nspans;
	if (!(tab =
		  rd_keep(t, L->spans_addr, (size_t)(used * L->span_entry_size),
			  "the span table")))
		return -1;
	for (uint64_t pg = 0; pg < used; pg++) {
		uint64_t e = L->spans_addr + pg * L->span_entry_size;
		if (L->span_entry_is_ptr) {
			e = le64(tab + pg * L->span_entry_size);
			if (e == 0 || e == last)
				continue; /* no span, or the span's next page */
			last = e;
		} else if (le32(tab + pg * L->span_entry_size +
				L->span_off_slot_size) == 0 ||
			   le64(tab + pg * L->span_entry_size +
				L->span_off_base) !=
			       L->arena_base + pg * L->page_size) {
			continue; /* no span here, or not its first page */
		}
		if (read_span_objs(t, e) < 0)
			return -1;
	}
	return 0;
}

/* The object whose slot holds v past its header, or NULL. */
static struct tobj *find(struct tri *t, uint64_t v)
{
	size_t lo = 0, hi = t->nobjs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->objs[mid].slot <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	struct tobj *o = &t->objs[lo - 1];
	return v - o->slot < o->size && v - o->slot >= t->L->header_size ? o
									 : NULL;
}

static const char *type_name(const struct tri *t, uint32_t ty)
{
	return ty < t->in->ntypes && t->in->types[ty].name
		   ? t->in->types[ty].name
		   : "(untyped)";
}

/* Calls fn for each pointer word of o (its type's ptrmask, as the ELF's
   type table gives it); stops at the first non-zero return. */
static int each_ptr(struct tri *t, const struct tobj *o,
		    int (*fn)(struct tri *, const struct tobj *, uint64_t off,
			      uint64_t v, void *),
		    void *arg)
{
	const struct ev_typeview *ty;
	uint64_t nwords;
	int r;

	if (o->type >= t->in->ntypes)
		return 0; /* EP_TYPE_NONE: no managed pointers */
	ty = &t->in->types[o->type];
	nwords = ty->size / 8;
	if (nwords > (o->size - t->L->header_size) / 8)
		nwords = (o->size - t->L->header_size) / 8;
	for (uint64_t i = 0; i < nwords; i++)
		if ((ty->ptrmask[i / 8] >> (i % 8)) & 1 &&
		    (r = fn(t, o, i * 8,
			    le64(o->words + t->L->header_size + i * 8), arg)))
			return r;
	return 0;
}

/* A grey source points to v: the white object it is in is reached. */
static int reach(struct tri *t, uint64_t v)
{
	struct tobj *o = find(t, v);
	if (!o || o->colour != WHITE || o->reached)
		return 0;
	o->reached = 1;
	t->work[t->nwork++] = (size_t)(o - t->objs); /* each object once */
	return 0;
}

static int reach_word(struct tri *t, const struct tobj *o, uint64_t off,
		      uint64_t v, void *arg)
{
	(void)o, (void)off, (void)arg;
	return reach(t, v);
}

static void drain(struct tri *t)
{
	while (t->nwork) {
		const struct tobj *o = &t->objs[t->work[--t->nwork]];
		each_ptr(t, o, reach_word, NULL);
	}
}

/* n words at addr, each a possible pointer (conservative). */
static int reach_range(struct tri *t, uint64_t addr, uint64_t n,
		       const char *what)
{
	uint8_t *b;
	if (n == 0)
		return 0;
	if (!(b = rd_keep(t, addr, (size_t)(n * 8), what)))
		return -1;
	for (uint64_t i = 0; i < n; i++)
		reach(t, le64(b + i * 8));
	return 0;
}

/* The roots that are grey for the whole cycle (RIG-9): the extra roots and
   every goroutine's waitchan; and the stacks not scanned yet. Not the
   registers of the thread running the slice: the collector does not scan
   them (a managed caller's live values are in its frame at the call, ABI),
   so an object only they hold is lost as surely as one nothing holds. */
static int reach_roots(struct tri *t, int globals_grey, const uint8_t *globals)
{
	const struct everypc_layout *L = t->L;
	const struct ev_tri_in *in = t->in;
	uint32_t nextra;
	uint64_t nallg;
	uint8_t *ex, *gs;

	if (globals_grey)
		for (uint64_t i = 0; i < in->globals_size / 8; i++)
			if ((in->globals_ptrmask[i / 8] >> (i % 8)) & 1)
				reach(t, le64(globals + i * 8));
	if (rd32(t, L->nextra_roots_addr, &nextra, "the extra roots' count") <
	    0)
		return -1;
	if (nextra > 4096) {
		snprintf(t->err, t->errlen,
			 "tricolour: %u extra roots (more than 4096)", nextra);
		return -1;
	}
	if (!(ex = rd_keep(t, L->extra_roots_addr, nextra * 16u,
			   "the extra roots")))
		return -1;
	for (uint32_t r = 0; r < nextra; r++) {
		uint64_t n = le64(ex + r * 16 + 8);
		if (n > (1u << 20)) {
			snprintf(t->err, t->errlen,
				 "tricolour: extra root %u has %llu words", r,
				 (unsigned long long)n);
			return -1;
		}
		if (reach_range(t, le64(ex + r * 16), n, "an extra root") < 0)
			return -1;
	}
	if (rd64(t, L->nallg_addr, &nallg, "the goroutine count") < 0)
		return -1;
	if (nallg > L->nallg_max)
		nallg = L->nallg_max;
	if (!(gs = rd_keep(t, L->allg_addr, (size_t)(nallg * L->g_size),
			   "the goroutines")))
		return -1;
	for (uint64_t i = 0; i < nallg; i++) {
		const uint8_t *g = gs + i * L->g_size;
		uint32_t status = le32(g + L->off_status);
		uint64_t lo = le64(g + L->off_stack_lo);
		uint64_t hi = le64(g + L->off_stack_hi);
		if (status == 0 || status == 4 || lo == 0)
			continue; /* RIG-7: free slot or dead, no stack */
		reach(t, le64(g + L->off_waitchan));
		if (le32(g + L->off_gcscandone) == 0 && hi > lo &&
		    hi - lo <= L->stack_area &&
		    reach_range(t, lo, (hi - lo) / 8, "an unscanned stack") < 0)
			return -1;
	}
	return 0;
}

struct violation {
	char where[224]; /* the first black word pointing to a lost object */
	uint64_t to;
	const struct tobj *white;
	size_t count;
};

/* The black word v (described by fmt) points to a white object nothing
   grey reaches: counted, the first one kept. */
static void lost(struct tri *t, uint64_t v, struct violation *x,
		 const char *fmt, const char *a, uint64_t at, uint64_t off)
{
	const struct tobj *w = find(t, v);
	if (!w || w->colour != WHITE || w->reached)
		return;
	if (x->count++ == 0) {
		snprintf(x->where, sizeof x->where, fmt, a,
			 (unsigned long long)at, (unsigned long long)off);
		x->to = v;
		x->white = w;
	}
}

static int black_word(struct tri *t, const struct tobj *o, uint64_t off,
		      uint64_t v, void *arg)
{
	lost(t, v, arg, "marked object %s 0x%llx+%llu", type_name(t, o->type),
	     o->slot + t->L->header_size, off);
	return 0;
}

static int check(struct tri *t, struct ev_tri_stats *st, char *detail,
		 size_t dlen)
{
	const struct everypc_layout *L = t->L;
	const struct ev_tri_in *in = t->in;
	uint32_t phase, overflow, ngray, next;
	uint8_t *gray, *globals;
	struct violation x = {0};
	int globals_black;

	if (rd32(t, L->gcphase_addr, &phase, "the GC phase") < 0)
		return -1;
	if (phase != L->gcphase_mark)
		return 1; /* no cycle marks: no colours to judge */
	if (rd32(t, L->gray_overflow_addr, &overflow, "the grey overflow") <
		0 ||
	    rd32(t, L->ngray_addr, &ngray, "the grey set's size") < 0 ||
	    rd32(t, L->roots_next_addr, &next, "the next root job") < 0)
		return -1;
	if (overflow)
		return 1; /* RIG-9: every marked object is grey */
	if (read_heap(t) < 0 ||
	    !(gray = rd_keep(t, L->gray_addr, ngray * 8u, "the grey set")) ||
	    !(globals = rd_keep(t, in->globals_start, (size_t)in->globals_size,
				"the globals")))
		return -1;
	if (!(t->work = malloc((t->nobjs + 1) * sizeof *t->work))) {
		snprintf(t->err, t->errlen, "tricolour: out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < ngray; i++) {
		struct tobj *o = find(t, le64(gray + i * 8));
		if (!o || o->colour == WHITE) {
			snprintf(detail, dlen,
				 "the grey set holds 0x%llx, which is no "
				 "marked object",
				 (unsigned long long)le64(gray + i * 8));
			return 0;
		}
		o->colour = GREY;
	}
	globals_black = next != L->roots_globals;
	for (size_t i = 0; i < t->nobjs; i++)
		if (t->objs[i].colour == GREY)
			each_ptr(t, &t->objs[i], reach_word, NULL);
	if (reach_roots(t, !globals_black, globals) < 0)
		return -1;
	drain(t);
	for (size_t i = 0; i < t->nobjs; i++) {
		const struct tobj *o = &t->objs[i];
		st->objects++;
		st->black += o->colour == BLACK;
		st->grey += o->colour == GREY;
		st->white += o->colour == WHITE;
		st->reached += o->reached;
		if (o->colour == BLACK)
			each_ptr(t, o, black_word, &x);
	}
	if (globals_black)
		for (uint64_t i = 0; i < in->globals_size / 8; i++)
			if ((in->globals_ptrmask[i / 8] >> (i % 8)) & 1)
				lost(t, le64(globals + i * 8), &x,
				     "global%s 0x%llx+%llu", "",
				     in->globals_start, i * 8);
	for (size_t i = 0; i < in->nblack; i++) /* scanned stacks */
		lost(t, in->black[i].value, &x, "%s", in->black[i].what, 0, 0);
	if (!x.count)
		return 1;
	snprintf(detail, dlen,
		 "%s points to unmarked object 0x%llx (%s) that no grey "
		 "object, unscanned stack or unbarriered root reaches (weak "
		 "tri-colour invariant, RIG-9; %zu such pointer%s; %zu black, "
		 "%zu grey, %zu white objects)",
		 x.where, (unsigned long long)(x.white->slot + L->header_size),
		 type_name(t, x.white->type), x.count, x.count == 1 ? "" : "s",
		 st->black, st->grey, st->white);
	return 0;
}

int ev_check_tricolour(const struct everypc_layout *L, const struct ev_mem *m,
		       const struct ev_tri_in *in, struct ev_tri_stats *st,
		       char *detail, size_t dlen)
{
	struct tri t = {
	    .L = L, .m = m, .in = in, .err = detail, .errlen = dlen};
	int r;

	memset(st, 0, sizeof *st);
	detail[0] = 0;
	r = check(&t, st, detail, dlen);
	for (size_t i = 0; i < t.nbufs; i++)
		free(t.bufs[i]);
	free(t.bufs);
	free(t.objs);
	free(t.work);
	return r;
}
