/*
 * gc.c -- the stop-the-world mark-sweep collector and its stack scanning.
 *
 * A cycle (rt_gc, on g0 with every goroutine stopped, RT-5):
 *   1. fold the fast path's runs into the alloc bits (HEAP-1);
 *   2. mark from the roots: workload globals (everypc_module's pointer
 *      map), words the scheduler half registered, every goroutine's stack
 *      and its waitchan; heap objects are traced with their type's ptrmask;
 *   3. sweep (poison the dead), recompute the trigger, shrink stacks
 *      (deferred for async-stopped goroutines, RT-3), verify if asked.
 *
 * Stack scanning follows Go's mgcstack design. Frames stopped at calls are
 * scanned precisely with their call-site maps; the innermost frame of an
 * async-stopped goroutine and its saved-register block conservatively. A
 * goroutine's first frame's arguments are scanned with args_ptrmask. Stack
 * objects (META-4) are indexed first (GCI-2) and scanned only when a
 * pointer into them is found; GCI-3 says how.
 *
 * Precise pointers must be nil, outside the arena, into the goroutine's own
 * stack, or into an allocated object: anything else is fatal ("found bad
 * pointer in Go heap"), naming where the pointer was and its value.
 * Conservative words keep whatever allocated object they point into and are
 * otherwise ignored.
 */
#include "gcinternal.h"

struct rt_memstats rt_memstats = {.next_gc = RT_GC_MIN_TRIGGER};

#define GRAY_CAP 32768
static uint64_t gray[GRAY_CAP];
static uint32_t ngray;
static int gray_overflow; /* some marked objects were not pushed */

static struct {
	uint64_t *words;
	uint64_t n;
} extra_roots[RT_GC_MAX_ROOTS];
static int nextra_roots;
static int in_gc;

static struct rt_sobj sobj_store[RT_MAX_STACKOBJS];
static uint32_t sobj_queue[2 * RT_MAX_STACKOBJS]; /* index << 1 | precise */

/* Where a word was found, for bad-pointer messages. */
struct where {
	const char *what; /* "frame", "arguments of", "object", ... */
	const char *name; /* function or type name, or NULL */
	uint64_t base;	  /* frame SP, object or root address */
};

/* One goroutine's stack scan. */
struct stackscan {
	uint64_t lo, hi;
	struct rt_sobj_index ix;
	uint32_t nq;
};

/* ---- stack-object index (GCI-2) ---- */

void rt_sobj_add(struct rt_sobj_index *ix, uint64_t addr, uint32_t size,
		 const uint8_t *ptrmask, const struct ep_func *fn)
{
	if (ix->n == ix->cap)
		rt_throw("GC: too many stack objects on one stack");
	if (ix->n) {
		const struct rt_sobj *last = &ix->v[ix->n - 1];
		if (addr < last->addr + last->size)
			rt_throw("GC: stack objects overlap or are unsorted "
				 "(GCI-2)");
	}
	struct rt_sobj *o = &ix->v[ix->n++];
	o->addr = addr;
	o->size = size;
	o->ptrmask = ptrmask;
	o->fn = fn;
	o->state = 0;
}

struct rt_sobj *rt_sobj_find(const struct rt_sobj_index *ix, uint64_t p)
{
	uint32_t lo = 0, hi = ix->n;
	while (lo < hi) { /* lo = number of objects starting at or below p */
		uint32_t mid = lo + (hi - lo) / 2;
		if (ix->v[mid].addr <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	struct rt_sobj *o = &ix->v[lo - 1];
	return p - o->addr < o->size ? o : 0;
}

/* ---- marking ---- */

static void __attribute__((noreturn))
bad_pointer(uint64_t v, const struct where *w, uint64_t off)
{
	static struct rt_msg m;
	struct rt_span *s = rt_heap_spanof(v);
	m.len = 0;
	rt_msg_str(&m, "found bad pointer in Go heap: ");
	rt_msg_hex(&m, v);
	rt_msg_str(&m, !s ? " (unallocated page)" : " (free slot)");
	rt_msg_str(&m, " in ");
	rt_msg_str(&m, w->what);
	if (w->name) {
		rt_msg_str(&m, " ");
		rt_msg_str(&m, w->name);
	}
	rt_msg_str(&m, " at ");
	rt_msg_hex(&m, w->base);
	rt_msg_str(&m, "+");
	rt_msg_int(&m, (int64_t)off);
	rt_throw(m.buf);
}

static void mark_obj(uint64_t obj)
{
	if (!rt_heap_mark(obj))
		return;
	if (ngray == GRAY_CAP) {
		gray_overflow = 1;
		return;
	}
	gray[ngray++] = obj;
}

/* A word known to be a pointer, outside any stack. */
static void precise_heap_word(uint64_t v, const struct where *w, uint64_t off)
{
	if (!rt_in_arena(v))
		return;
	uint64_t obj = rt_findobject(v);
	if (!obj)
		bad_pointer(v, w, off);
	mark_obj(obj);
}

static void scan_object(uint64_t obj)
{
	uint32_t t = EP_OBJ_TYPE(*(const uint64_t *)(obj - EP_WORD));
	if (t == EP_TYPE_NONE)
		return;
	if (t >= rt_meta->ntypes)
		rt_throw("GC: object header with bad type index");
	const struct ep_type *ty = &rt_meta->types[t];
	struct where w = {"object", ty->name, obj};
	for (uint64_t i = 0; i < ty->size / EP_WORD; i++)
		if (ep_bit(ty->ptrmask, i))
			precise_heap_word(
			    *(const uint64_t *)(obj + i * EP_WORD), &w,
			    i * EP_WORD);
}

static void rescan_marked(uint64_t obj, uint64_t header, void *arg)
{
	(void)header;
	(void)arg;
	if (rt_heap_is_marked(obj))
		scan_object(obj);
}

void rt_gc_drain(void)
{
	for (;;) {
		while (ngray)
			scan_object(gray[--ngray]);
		if (!gray_overflow)
			return;
		gray_overflow = 0; /* rescan: marking is idempotent */
		rt_heap_foreach(rescan_marked, 0);
	}
}

/* ---- stack scanning ---- */

static void found_stack_pointer(struct stackscan *s, uint64_t p, int precise)
{
	struct rt_sobj *o = rt_sobj_find(&s->ix, p);
	if (!o)
		return;
#ifdef EP_MUTANT_CBUF_AS_PRECISE
	/* Mutant: an object reached only conservatively is trusted as if a
	   precise pointer had reached it. */
	precise = 1;
#endif
	uint32_t want = precise ? RT_SOBJ_PRECISE : RT_SOBJ_CONSERV;
	if (precise ? (o->state & RT_SOBJ_PRECISE) : o->state)
		return;
	o->state |= want;
	sobj_queue[s->nq++] = (uint32_t)(o - s->ix.v) << 1 | (uint32_t)precise;
}

static void precise_word(struct stackscan *s, uint64_t v, const struct where *w,
			 uint64_t off)
{
	if (v == 0)
		return;
	if (v - s->lo < s->hi - s->lo) {
		found_stack_pointer(s, v, 1);
		return;
	}
	precise_heap_word(v, w, off);
}

static void conservative_range(struct stackscan *s, uint64_t lo, uint64_t hi)
{
	for (uint64_t a = lo; a + EP_WORD <= hi; a += EP_WORD) {
		uint64_t v = *(const uint64_t *)a;
		if (v - s->lo < s->hi - s->lo) {
			found_stack_pointer(s, v, 0);
			continue;
		}
		uint64_t obj = rt_findobject(v);
		if (obj)
			mark_obj(obj);
	}
}

static void precise_range(struct stackscan *s, uint64_t base, uint64_t nwords,
			  const uint8_t *mask, const struct where *w)
{
	for (uint64_t i = 0; i < nwords; i++)
		if (ep_bit(mask, i))
			precise_word(s, *(const uint64_t *)(base + i * EP_WORD),
				     w, i * EP_WORD);
}

static void collect_stackobjs(struct stackscan *s, const struct rt_g *g)
{
	struct rt_unwinder u;
	for (rt_unwind_start(&u, g); u.valid; rt_unwind_next(&u)) {
		const struct rt_frame *fr = &u.fr;
		if (fr->kind == RT_FRAME_ENTRY)
			continue;
		for (uint32_t i = 0; i < fr->fn->nstackobjs; i++) {
			const struct ep_stackobj *so = &fr->fn->stackobjs[i];
			rt_sobj_add(&s->ix, fr->sp + (uint64_t)(int64_t)so->off,
				    so->size, so->ptrmask, fr->fn);
		}
	}
}

#ifdef EP_MUTANT_PRECISE_INNER_FRAME
/* The call site nearest to pc: the last one before it, else the first. */
static const struct ep_callsite *nearest_callsite(const struct ep_func *f,
						  uint64_t pc)
{
	const struct ep_callsite *best = 0;
	for (uint32_t i = 0; i < f->ncallsites; i++)
		if (f->callsites[i].retpc <= pc || !best)
			best = &f->callsites[i];
	return best;
}
#endif

static void scan_async_frame(struct stackscan *s, const struct rt_frame *fr)
{
#ifdef EP_MUTANT_PRECISE_INNER_FRAME
	/* Mutant: the interrupted frame is trusted to look like the frame at
	   its nearest call instead of being scanned conservatively. */
	const struct ep_callsite *cs = nearest_callsite(fr->fn, fr->pc);
	struct where w = {"frame", fr->fn->name, fr->sp};
	if (cs)
		precise_range(s, fr->sp, fr->fn->frame_size / EP_WORD,
			      cs->ptrmask, &w);
#else
	conservative_range(s, fr->sp, fr->sp + fr->fn->frame_size);
#endif
}

static void scan_frame(struct stackscan *s, const struct rt_frame *fr)
{
	struct where w = {"frame", fr->fn->name, fr->sp};
	if (fr->kind == RT_FRAME_CALL)
		precise_range(s, fr->sp, fr->fn->frame_size / EP_WORD,
			      rt_frame_callmap(fr), &w);
	else if (fr->kind == RT_FRAME_ASYNC)
		scan_async_frame(s, fr);
	if (fr->outermost) {
		struct where wa = {"arguments of", fr->fn->name, fr->argp};
		for (uint64_t i = 0; i < fr->fn->args_size / EP_WORD; i++)
			if ((fr->fn->args_ptrmask >> i) & 1)
				precise_word(
				    s,
				    *(const uint64_t *)(fr->argp + i * EP_WORD),
				    &wa, i * EP_WORD);
	}
}

static void scan_stackobj(struct stackscan *s, uint32_t e)
{
	const struct rt_sobj *o = &s->ix.v[e >> 1];
#ifdef EP_MUTANT_STACKOBJ_NOT_TRANSITIVE
	/* Mutant: the object's words are scanned as if no stack were there
	   ([0, 0)): a pointer to another stack object is not followed, so
	   what only that object reaches is freed. */
	struct stackscan flat = {.lo = 0, .hi = 0};
	s = &flat;
#endif
	if (e & 1) {
		struct where w = {"stack object of", o->fn->name, o->addr};
		rt_memstats.nsobj_precise++;
		precise_range(s, o->addr, o->size / EP_WORD, o->ptrmask, &w);
	} else {
		rt_memstats.nsobj_cons++;
		conservative_range(s, o->addr, o->addr + o->size);
	}
}

void rt_gc_scan_stack(struct rt_g *g)
{
	struct stackscan s = {
	    .lo = g->head.stack_lo,
	    .hi = g->head.stack_hi,
	    .ix = {sobj_store, 0, RT_MAX_STACKOBJS},
	};
	struct rt_unwinder u;
	collect_stackobjs(&s, g);
	for (rt_unwind_start(&u, g); u.valid; rt_unwind_next(&u))
		scan_frame(&s, &u.fr);
	if (g->preempt_async) {
		rt_memstats.nscan_async++;
#ifndef EP_MUTANT_NO_REGISTER_SCAN
		/* (Mutant NO_REGISTER_SCAN: the registers asyncPreempt saved
		   are forgotten; a pointer live only in a register is lost.) */
		conservative_range(&s, g->async_regs,
				   g->async_regs + g->async_regs_size);
#endif
	}
	while (s.nq)
		scan_stackobj(&s, sobj_queue[--s.nq]);
}

/* ---- roots and the cycle ---- */

void rt_gc_init(void)
{
	in_gc = 0;
	ngray = 0;
	gray_overflow = 0;
}

void rt_gc_add_root(uint64_t *words, uint64_t nwords)
{
	if (nextra_roots == RT_GC_MAX_ROOTS)
		rt_throw("GC: too many registered roots");
	extra_roots[nextra_roots].words = words;
	extra_roots[nextra_roots].n = nwords;
	nextra_roots++;
}

static void scan_globals(void)
{
	const struct ep_module *m = rt_meta;
	struct where w = {"global", 0, m->globals_start};
#ifdef EP_MUTANT_NO_GLOBAL_SCAN /* the roots lose the workload's globals */
	return;
#endif
	for (uint64_t i = 0; i < m->globals_size / EP_WORD; i++)
		if (ep_bit(m->globals_ptrmask, i))
			precise_heap_word(
			    *(const uint64_t *)(m->globals_start + i * EP_WORD),
			    &w, i * EP_WORD);
}

static void scan_extra_roots(void)
{
	for (int r = 0; r < nextra_roots; r++) {
		struct where w = {"runtime root", 0,
				  (uint64_t)extra_roots[r].words};
		for (uint64_t i = 0; i < extra_roots[r].n; i++)
			precise_heap_word(extra_roots[r].words[i], &w,
					  i * EP_WORD);
	}
}

static int g_has_stack(const struct rt_g *g)
{
	return g->status != RT_G_IDLE && g->status != RT_G_DEAD &&
	       g->head.stack_lo != 0;
}

void rt_gc_mark_all(void)
{
	rt_heap_commit_runs();
	rt_heap_clear_marks();
	ngray = 0;
	gray_overflow = 0;
	scan_globals();
	scan_extra_roots();
	for (struct rt_g *g = rt_allg_first(); g; g = rt_allg_next(g)) {
		if (!g_has_stack(g))
			continue;
		rt_g_check(g);
		rt_gc_scan_stack(g);
		struct where w = {"waitchan of goroutine", 0, g->id};
		precise_heap_word((uint64_t)g->waitchan, &w, 0);
	}
	rt_gc_drain();
}

void rt_gc(void)
{
	if (in_gc)
		rt_throw("GC: collection re-entered");
	in_gc = 1;
	rt_gc_mark_all();
	uint64_t live = rt_heap_sweep();
	rt_memstats.heap_live = live;
	rt_memstats.next_gc =
	    live * 2 > RT_GC_MIN_TRIGGER ? live * 2 : RT_GC_MIN_TRIGGER;
	rt_memstats.ngc++;
	rt_stack_shrink_all();
	in_gc = 0;
	if (rt_debug.verify && rt_heap_check() != 0)
		rt_throw("heap verifier failed after GC");
	everypc_hook_gc_done(rt_memstats.ngc); /* RIG-3 */
}

/* ---- the write barrier (abi.h ABI-8) ---- */

uint32_t rt_writebarrier;

void rt_gc_wbarrier(uint64_t slot, uint64_t val)
{
	/* The stop-the-world collector never enables the barrier: managed
	   code calls this only while runtime.writeBarrier is non-zero. */
	(void)slot;
	(void)val;
	rt_throw("write barrier called while the collector is not marking");
}

void *rt_alloc_raw(uint64_t size, uint32_t typeidx)
{
	if (rt_debug.gcstress ||
	    rt_memstats.heap_live + rt_heap_allocated >= rt_memstats.next_gc)
		rt_gc();
	return rt_heap_alloc_nogc(size, typeidx);
}
