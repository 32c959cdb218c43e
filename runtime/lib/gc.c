/*
 * gc.c -- the mark-sweep collector, stop-the-world or incremental with Go's
 * hybrid write barrier, and its stack scanning. EVERYPC_DEBUG=gc=incremental
 * (the default) or gc=stw picks which runs when the allocation trigger
 * fires; rt_gc is always "a complete collection now".
 *
 * Stop-the-world (rt_gc in stw mode, on g0 with every goroutine stopped,
 * RT-5):
 *   1. fold the fast path's runs into the alloc bits (HEAP-1);
 *   2. mark from the roots: workload globals (everypc_module's pointer
 *      map), words the scheduler half registered, every goroutine's stack
 *      and its waitchan; heap objects are traced with their type's ptrmask;
 *   3. sweep (poison the dead), recompute the trigger, shrink stacks
 *      (deferred for async-stopped goroutines, RT-3), verify if asked.
 *
 * Incremental (one OS thread still; GCI-4..11 in gcinternal.h). A cycle has
 * two phases, rt_gcphase OFF and MARK:
 *   start        (the allocation trigger, rt_gc, the rig) commit the runs,
 *                clear the marks and every g's gcscandone, queue the root
 *                jobs, set runtime.writeBarrier: phase MARK;
 *   mark slices  bounded by bytes of scan work, run only where every
 *                goroutine is stopped: an assist in each allocation (work
 *                proportional to its size), one slice at each switch of
 *                goroutines in the scheduler, and the rig's calls. A slice
 *                does root jobs first -- the globals, the extra roots, then
 *                each goroutine's stack and waitchan, one goroutine a job,
 *                in pool order -- then greys objects. Objects allocated
 *                meanwhile are black (the runs stay empty so every
 *                allocation takes the slow path, which marks it);
 *                goroutines created by newproc are born scanned;
 *   termination  when no root job is left, no goroutine with a stack is
 *                unscanned and the grey set is empty: the roots runtime C
 *                code writes without a barrier (extra roots, waitchans)
 *                again, a last drain, the tri-colour check (verify), the
 *                barrier off, phase OFF, then sweep, trigger, ngc, stack
 *                shrinks, verifier and the rig's hook exactly as above.
 * Between slices the managed code runs and calls rt_gc_wbarrier before each
 * pointer store into the heap or a global (ABI-8): it shades the value
 * overwritten and, while the writer's stack is unscanned, the value stored
 * (GCI-6), so no stack needs scanning twice. Stacks shrink at termination
 * only; a stack that grows mid-cycle keeps its g's gcscandone (GCI-7).
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

#include "everypc/rig_abi.h"

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
static int rig_cycle;	    /* GCI-11: this cycle is the rig's (RIG-8) */
static uint64_t rig_slices; /* RIG-9: slices of the rig's cycle so far */

uint32_t rt_writebarrier;		      /* GCI-4 */
uint32_t rt_gcphase;			      /* enum rt_gcphase */
uint64_t rt_gc_slice_work = RT_GC_SLICE_WORK; /* GCI-11 */
uint64_t rt_gc_assist_ratio = RT_GC_ASSIST_RATIO;

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

/* Scan a grey object; returns the bytes of scan work it took (GCI-11). */
static uint64_t scan_object(uint64_t obj)
{
	uint32_t t = EP_OBJ_TYPE(*(const uint64_t *)(obj - EP_WORD));
	if (t == EP_TYPE_NONE)
		return EP_WORD;
	if (t >= rt_meta->ntypes)
		rt_throw("GC: object header with bad type index");
	const struct ep_type *ty = &rt_meta->types[t];
	struct where w = {"object", ty->name, obj};
	for (uint64_t i = 0; i < ty->size / EP_WORD; i++)
		if (ep_bit(ty->ptrmask, i))
			precise_heap_word(
			    *(const uint64_t *)(obj + i * EP_WORD), &w,
			    i * EP_WORD);
	return EP_WORD + ty->size;
}

static void rescan_marked(uint64_t obj, uint64_t header, void *arg)
{
	uint64_t *work = arg;
	(void)header;
	if (rt_heap_is_marked(obj))
		*work += scan_object(obj);
}

/* After an overflow of the grey set: scan every marked object again
   (marking is idempotent); returns the work it took. */
static uint64_t rescan_all_marked(void)
{
	uint64_t work = EP_WORD;
	gray_overflow = 0;
	rt_heap_foreach(rescan_marked, &work);
	return work;
}

void rt_gc_drain(void)
{
	for (;;) {
		while (ngray)
			scan_object(gray[--ngray]);
		if (!gray_overflow)
			return;
		rescan_all_marked();
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

/* ---- roots ---- */

/* The root jobs of an incremental cycle, in the order they run (GCI-7). */
enum root_job {
	ROOT_GLOBALS = 0,
	ROOT_EXTRA = 1,
	ROOT_STACKS = 2,
	ROOT_DONE = 3,
};

static struct {
	uint32_t next;	     /* enum root_job */
	struct rt_g *cursor; /* ROOT_STACKS: the goroutine scanned last */
} roots;

void rt_gc_init(void)
{
	in_gc = 0;
	ngray = 0;
	gray_overflow = 0;
	rt_writebarrier = 0;
	rt_gcphase = RT_GCPHASE_OFF;
	rig_cycle = 0;
	rig_slices = 0;
	roots.next = ROOT_GLOBALS;
	roots.cursor = 0;
}

_Static_assert(sizeof ngray == 4 && sizeof gray_overflow == 4 &&
		   sizeof roots.next == 4 && sizeof nextra_roots == 4 &&
		   sizeof rt_gcphase == 4 && sizeof extra_roots[0] == 16,
	       "RIG-9: the marking words the layout names are u32");

void rt_gc_describe(struct everypc_layout *l)
{
	l->gcphase_addr = (uint64_t)&rt_gcphase;
	l->gcphase_mark = RT_GCPHASE_MARK;
	l->gray_addr = (uint64_t)gray;
	l->ngray_addr = (uint64_t)&ngray;
	l->gray_overflow_addr = (uint64_t)&gray_overflow;
	l->roots_next_addr = (uint64_t)&roots.next;
	l->roots_globals = ROOT_GLOBALS;
	l->extra_roots_addr = (uint64_t)extra_roots;
	l->nextra_roots_addr = (uint64_t)&nextra_roots;
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

/* Returns the words scanned. */
static uint64_t scan_extra_roots(void)
{
	uint64_t n = 0;
	for (int r = 0; r < nextra_roots; r++) {
		struct where w = {"runtime root", 0,
				  (uint64_t)extra_roots[r].words};
		for (uint64_t i = 0; i < extra_roots[r].n; i++)
			precise_heap_word(extra_roots[r].words[i], &w,
					  i * EP_WORD);
		n += extra_roots[r].n;
	}
	return n;
}

static int g_has_stack(const struct rt_g *g)
{
	return g->status != RT_G_IDLE && g->status != RT_G_DEAD &&
	       g->head.stack_lo != 0;
}

static void scan_waitchan(const struct rt_g *g)
{
	struct where w = {"waitchan of goroutine", 0, g->id};
	precise_heap_word((uint64_t)g->waitchan, &w, 0);
}

/* A goroutine's roots: its stack and its waitchan. */
static void scan_goroutine(struct rt_g *g)
{
	rt_g_check(g);
	rt_gc_scan_stack(g);
	scan_waitchan(g);
}

/* ---- the stop-the-world collection ---- */

static void gc_enter(void)
{
	if (in_gc)
		rt_throw("GC: collection re-entered");
	in_gc = 1;
}

void rt_gc_mark_all(void)
{
	rt_heap_commit_runs();
	rt_heap_clear_marks();
	ngray = 0;
	gray_overflow = 0;
	scan_globals();
	scan_extra_roots();
	for (struct rt_g *g = rt_allg_first(); g; g = rt_allg_next(g))
		if (g_has_stack(g))
			scan_goroutine(g);
	rt_gc_drain();
}

/* The end of every collection, marking done (in_gc set): sweep, the next
   trigger, stack shrinks (RT-3), the verifier, the rig's hook. */
static void collection_done(void)
{
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

void rt_gc(void)
{
	rt_gc_cycle_finish(); /* a cycle in progress ends first */
	if (rt_debug.gc == RT_GC_INCREMENTAL) {
		rt_gc_cycle_start();
		rt_gc_cycle_finish();
		return;
	}
	gc_enter();
	rt_gc_mark_all();
	collection_done();
}

/* ---- incremental cycles ---- */

static int needs_scan(const struct rt_g *g)
{
	return g_has_stack(g) && !g->gcscandone;
}

/* The first goroutine after `from` (NULL: from the first) whose stack this
   cycle has not scanned, or NULL. */
static struct rt_g *unscanned_after(struct rt_g *from)
{
	struct rt_g *g = from ? rt_allg_next(from) : rt_allg_first();
	while (g && !needs_scan(g))
		g = rt_allg_next(g);
	return g;
}

/* The next root job (GCI-7); returns its work, 0 when none is left. */
static uint64_t root_step(void)
{
	struct rt_g *g;

	switch (roots.next) {
	case ROOT_GLOBALS:
		scan_globals();
		roots.next = ROOT_EXTRA;
		return EP_WORD + rt_meta->globals_size;
	case ROOT_EXTRA:
		roots.next = ROOT_STACKS;
		return EP_WORD + scan_extra_roots() * EP_WORD;
	case ROOT_STACKS:
		g = unscanned_after(roots.cursor);
		if (!g)
			break;
		scan_goroutine(g);
		g->gcscandone = 1;
		roots.cursor = g;
		return EP_WORD + g->head.stack_hi - rt_stack_lowest_used(g);
	}
	roots.next = ROOT_DONE;
	return 0;
}

/* One indivisible unit of mark work: a root job, one grey object, or the
   rescan after an overflow of the grey set. Returns its work in bytes, 0
   when no mark work is left (GCI-10). */
static uint64_t mark_step(void)
{
	uint64_t work;

	if (roots.next != ROOT_DONE && (work = root_step()) != 0)
		return work;
	if (ngray)
		return scan_object(gray[--ngray]);
	if (gray_overflow)
		return rescan_all_marked();
	if (unscanned_after(0)) { /* GCI-7: unscanned behind the cursor */
		roots.next = ROOT_STACKS;
		roots.cursor = 0;
		return root_step();
	}
	return 0;
}

/* A slice (GCI-11): mark steps until `budget` bytes of work are done.
   Returns 1 when it found no mark work left (termination is possible). */
static int mark_slice(uint64_t budget)
{
	uint64_t done = 0, work;

	rt_memstats.nslices++;
	do {
		work = mark_step();
		if (!work) {
			/* RIG-9: the colours just before termination */
			if (rig_cycle)
				everypc_hook_mark_slice(rig_slices + 1, 0);
			return 1;
		}
		done += work;
	} while (done < budget);
	if (rig_cycle) {
		rig_slices++;
		if ((rig_slices & (rig_slices - 1)) == 0)
			everypc_hook_mark_slice(rig_slices, 1); /* RIG-9 */
	}
	return 0;
}

/* GCI-10 (checking mode): at mark termination no marked object and no
   global holds a pointer to an unmarked allocated object. */
static void __attribute__((noreturn))
tricolour_fail(const char *what, const char *name, uint64_t at, uint64_t off,
	       uint64_t obj)
{
	static struct rt_msg m;
	m.len = 0;
	rt_msg_str(&m, "GC: tri-colour invariant violated at mark "
		       "termination: ");
	rt_msg_str(&m, what);
	rt_msg_str(&m, " ");
	if (name) {
		rt_msg_str(&m, name);
		rt_msg_str(&m, " ");
	}
	rt_msg_hex(&m, at);
	rt_msg_str(&m, "+");
	rt_msg_int(&m, (int64_t)off);
	rt_msg_str(&m, " points to unmarked object ");
	rt_msg_hex(&m, obj);
	rt_msg_str(&m, " (GCI-10)");
	rt_throw(m.buf);
}

/* The pointer word at base + off of a marked object or a global. */
static void check_black_word(const char *what, const char *name, uint64_t base,
			     uint64_t off)
{
	uint64_t obj = rt_findobject(*(const uint64_t *)(base + off));
	if (obj && !rt_heap_is_marked(obj))
		tricolour_fail(what, name, base, off, obj);
}

static void check_black_object(uint64_t obj, uint64_t header, void *arg)
{
	(void)arg;
	uint32_t t = EP_OBJ_TYPE(header);
	if (t == EP_TYPE_NONE || t >= rt_meta->ntypes ||
	    !rt_heap_is_marked(obj))
		return;
	const struct ep_type *ty = &rt_meta->types[t];
	for (uint64_t i = 0; i < ty->size / EP_WORD; i++)
		if (ep_bit(ty->ptrmask, i))
			check_black_word("marked object", ty->name, obj,
					 i * EP_WORD);
}

static void check_tricolour(void)
{
	const struct ep_module *m = rt_meta;
	rt_heap_foreach(check_black_object, 0);
	for (uint64_t i = 0; i < m->globals_size / EP_WORD; i++)
		if (ep_bit(m->globals_ptrmask, i))
			check_black_word("global", 0, m->globals_start,
					 i * EP_WORD);
}

/* Mark termination (in_gc set, no mark work left): GCI-8's roots again, a
   last drain, the tri-colour check, barrier off, then as rt_gc. */
static void cycle_terminate(void)
{
	scan_extra_roots();
	for (struct rt_g *g = rt_allg_first(); g; g = rt_allg_next(g))
		if (g_has_stack(g))
			scan_waitchan(g);
	rt_gc_drain();
	if (rt_debug.verify)
		check_tricolour();
	rt_writebarrier = 0;
	rt_gcphase = RT_GCPHASE_OFF;
	rig_cycle = 0;
	collection_done();
}

/* One slice of `budget`, terminating the cycle when no work is left. */
static void slice_or_terminate(uint64_t budget)
{
	gc_enter();
	if (mark_slice(budget))
		cycle_terminate();
	else
		in_gc = 0;
}

void rt_gc_cycle_start(void)
{
	if (rt_gcphase == RT_GCPHASE_MARK)
		return;
	gc_enter();
	rt_heap_commit_runs(); /* HEAP-1; empty until termination (GCI-5) */
	rt_heap_clear_marks();
	ngray = 0;
	gray_overflow = 0;
	for (struct rt_g *g = rt_allg_first(); g; g = rt_allg_next(g))
		g->gcscandone = 0;
	roots.next = ROOT_GLOBALS;
	roots.cursor = 0;
	rt_gcphase = RT_GCPHASE_MARK;
	rt_writebarrier = 1;
	in_gc = 0;
}

uint64_t rt_gc_cycle_slices(uint64_t n)
{
	uint64_t ran = 0;

	if (rt_gcphase != RT_GCPHASE_MARK)
		return 0;
	gc_enter();
	while (ran < n) {
		ran++;
		if (mark_slice(rt_gc_slice_work))
			break;
	}
	in_gc = 0;
	return ran;
}

/* GCI-11: a slice's budget, one step under markstress or in the rig's
   cycle. */
static uint64_t paced(uint64_t budget)
{
	return rt_debug.markstress || rig_cycle ? 0 : budget;
}

void rt_gc_mark_parked(struct rt_g *g, uint64_t n)
{
	if (!n)
		return;
	rt_gc_cycle_start();
	if (!rig_cycle)
		rig_slices = 0;
	rig_cycle = 1;
	gc_enter();
	if (needs_scan(g)) { /* before any slice: its async frame as parked */
		scan_goroutine(g);
		g->gcscandone = 1;
	}
	while (n-- && !mark_slice(0))
		;
	in_gc = 0;
}

void rt_gc_cycle_finish(void)
{
	if (rt_gcphase != RT_GCPHASE_MARK)
		return;
	gc_enter();
	while (!mark_slice(rt_gc_slice_work))
		;
	cycle_terminate();
}

void rt_gc_sched_slice(void)
{
	if (rt_gcphase == RT_GCPHASE_MARK)
		slice_or_terminate(paced(rt_gc_slice_work));
}

/* ---- shading and the write barrier (abi.h ABI-8, GCI-6) ---- */

/* Grey the allocated object p points into; nil, pointers outside the arena
   (stacks, globals, code) and pointers to free slots are ignored. */
static void shade(uint64_t p)
{
	uint64_t obj;
	if (rt_in_arena(p) && (obj = rt_findobject(p)) != 0)
		mark_obj(obj);
}

void rt_gc_shade(uint64_t p)
{
	if (rt_gcphase == RT_GCPHASE_MARK)
		shade(p);
}

void rt_gc_wbarrier(uint64_t slot, uint64_t val)
{
	if (rt_gcphase != RT_GCPHASE_MARK)
		return; /* robust against a stale flag: nothing to keep */
	rt_memstats.nwbarrier++;
#ifdef EP_MUTANT_WB_INSERTION_ONLY
	/* Mutant: the deletion half is gone; a pointer moved out of a grey or
	   white object after the writer's stack was scanned is lost. */
	(void)slot;
#else
	shade(*(const uint64_t *)slot);
#endif
	if (!rt_curg || !rt_curg->gcscandone)
		shade(val);
}

void rt_gc_newproc(struct rt_g *g, const struct rt_g *creator)
{
	if (rt_gcphase != RT_GCPHASE_MARK)
		return;
	g->gcscandone = 1; /* GCI-7: born without roots of its own */
	if (creator && creator->gcscandone)
		return; /* the arguments came from a black stack */
	/* Go's newproc bulk barrier: a stack-to-stack copy out of a grey
	   stack shades what it copies (RT-5: arguments at sched.sp +
	   ra_push). */
	const struct ep_func *f = rt_findfunc(g->entry);
	uint64_t argp = g->sched.sp + rt_arch.ra_push;
	for (uint64_t i = 0; f && i < f->args_size / EP_WORD; i++)
		if ((f->args_ptrmask >> i) & 1)
			shade(*(const uint64_t *)(argp + i * EP_WORD));
}

/* ---- allocation ---- */

/* GCI-11: work proportional to the bytes allocated. */
static void assist(uint64_t size)
{
	rt_memstats.nassists++;
	slice_or_terminate(paced(size * rt_gc_assist_ratio));
}

void *rt_alloc_raw(uint64_t size, uint32_t typeidx)
{
	if (rt_debug.gcstress)
		rt_gc();
	else if (rt_gcphase == RT_GCPHASE_MARK)
		assist(size);
	else if (rt_memstats.heap_live + rt_heap_allocated >=
		     rt_memstats.next_gc ||
		 (rt_debug.markstress && rt_debug.gc == RT_GC_INCREMENTAL)) {
		if (rt_debug.gc == RT_GC_INCREMENTAL)
			rt_gc_cycle_start();
		else
			rt_gc();
	}
	return rt_heap_alloc_nogc(size, typeidx);
}
