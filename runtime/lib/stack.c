/*
 * stack.c -- goroutine stacks: deterministic placement in the stack area
 * (bump allocation from its base, then per-size LIFO free lists), growth by
 * copying (rt_morestack), shrinking during GC, and RT-3's shrink deferral.
 *
 * Moving a stack takes three steps: copy the used part [lowest, hi) to the
 * top of the new stack (so every address moves by delta = new_hi - old_hi);
 * adjust every word known to hold a pointer into the old stack -- the g's
 * own context, the precise slots of each frame (call-site maps), the
 * pointer words of every stack object, each frame's saved FP link and the
 * first frame's arguments; then poison and free the old stack, so a pointer
 * that was missed reads poison instead of plausible data.
 *
 * INVARIANTS (cited as "STK-n"):
 * STK-1  Stack sizes are EP_STACK_MIN << k; a stack is zeroed when handed
 *        out and filled with RT_STACK_POISON when freed.
 * STK-2  Only words whose value lies in [old_lo, old_hi) are adjusted; a
 *        conservative frame cannot be adjusted, so a stack holding one is
 *        never moved (RT-3): copying it is a throw.
 * STK-3  After rt_stack_reset() the same sequence of allocations returns
 *        the same addresses as the first time.
 * STK-4  In checking mode (EVERYPC_DEBUG=verify) every precise pointer word
 *        of the moved stack (call-site maps, stack objects, arguments) that
 *        points into the stack area points, once adjusted, into the new
 *        stack: anything else is a throw, "invalid pointer found on stack"
 *        (Go's adjustpointers); the rig checks the same at every liveness
 *        check (its oracle `stackptr`).
 * STK-5  A stack may move while an incremental cycle marks (growth, or a
 *        shrink RT-3 deferred to the goroutine's next safe point): between
 *        mark slices the collector holds no address inside a stack (a
 *        stack is scanned whole within one slice, gcinternal.h GCI-7) and
 *        the g's gcscandone is left alone, so the moved stack counts as
 *        scanned exactly when the old one did. The collector shrinks
 *        stacks only at the end of a collection, marking done.
 */
#include "gcinternal.h"

#define NORDERS 15 /* EP_STACK_MIN << 14 = 64 MiB = RT_STACK_MAX */
_Static_assert((uint64_t)EP_STACK_MIN << (NORDERS - 1) == RT_STACK_MAX,
	       "stack orders");

static uint64_t area_base, area_size, area_next, area_committed;
static uint64_t free_stacks[NORDERS]; /* link in each free stack's 1st word */

/* ---- allocation ---- */

void rt_stack_init_at(uint64_t base, uint64_t size)
{
	area_base = base;
	area_size = size;
	area_committed = base;
	area_next = base; /* nothing used yet: the reset clears nothing */
	rt_stack_reset();
}

void rt_stack_reset(void)
{
	/* Every iteration starts from the memory a fresh process has: stale
	   words left in a reused stack would be found by conservative scans
	   (and, addresses being deterministic, point exactly at the next
	   iteration's objects), so a persistent sweep would differ from an
	   isolated replay. */
	memset((void *)area_base, 0, area_next - area_base);
	area_next = area_base;
	for (int k = 0; k < NORDERS; k++)
		free_stacks[k] = 0;
}

static int order_of(uint64_t size)
{
	int k = 0;
	while (k < NORDERS && ((uint64_t)EP_STACK_MIN << k) < size)
		k++;
	return k;
}

static uint64_t stack_get(uint64_t size)
{
	int k = order_of(size);
	uint64_t lo = free_stacks[k];
	if (lo) {
		free_stacks[k] = *(const uint64_t *)lo;
	} else {
		if (area_next + size > area_base + area_size)
			rt_throw("out of memory: goroutine stack area "
				 "exhausted");
		lo = area_next;
		area_next += size;
		if (area_next > area_committed) {
			if (rt_sys_map_fixed(area_committed,
					     area_next - area_committed))
				rt_throw("out of memory: cannot map goroutine "
					 "stack pages");
			area_committed = area_next;
		}
	}
	rt_words_fill(lo, size, 0);
	return lo;
}

static void stack_put(uint64_t lo, uint64_t size)
{
	int k = order_of(size);
	rt_words_fill(lo, size, RT_STACK_POISON);
	*(uint64_t *)lo = free_stacks[k];
	free_stacks[k] = lo;
}

static uint64_t round_size(uint64_t size)
{
	uint64_t s = EP_STACK_MIN;
	while (s < size && s < RT_STACK_MAX)
		s <<= 1;
	return s;
}

static void set_bounds(struct rt_g *g, uint64_t lo, uint64_t hi)
{
	uint64_t old = g->head.stack_lo;
	int standard = g->head.stackguard == old + EP_STACK_GUARD || !old;
	g->head.stack_lo = lo;
	g->head.stack_hi = hi;
	if (standard) /* keep a preemption poison the scheduler set */
		g->head.stackguard = lo + EP_STACK_GUARD;
}

void rt_stack_alloc(struct rt_g *g, uint64_t size)
{
	if (size > RT_STACK_MAX)
		rt_throw("stack overflow: requested stack too large");
	size = round_size(size);
	uint64_t lo = stack_get(size);
	g->head.stack_lo = 0;
	set_bounds(g, lo, lo + size);
}

void rt_stack_free(struct rt_g *g)
{
	if (!g->head.stack_lo)
		return;
	stack_put(g->head.stack_lo, g->head.stack_hi - g->head.stack_lo);
	g->head.stack_lo = g->head.stack_hi = g->head.stackguard = 0;
}

/* ---- copying ---- */

static uint64_t min_in(uint64_t cur, uint64_t v, const struct rt_g *g)
{
	if (v >= g->head.stack_lo && v < g->head.stack_hi && v < cur)
		return v;
	return cur;
}

uint64_t rt_stack_lowest_used(const struct rt_g *g)
{
	uint64_t low = g->head.stack_hi;
	low = min_in(low, g->sched.sp, g);
	if (g->preempt_async) {
		low = min_in(low, g->async_sp, g);
		low = min_in(low, g->async_regs, g);
	}
	if (low - g->head.stack_lo > RT_BELOW_SP)
		low -= RT_BELOW_SP;
	else
		low = g->head.stack_lo;
	return low;
}

struct adjinfo {
	uint64_t lo, hi, delta; /* old bounds, new_hi - old_hi */
	uint64_t nlo, nhi;	/* new bounds */
};

static void adjust_word(const struct adjinfo *a, uint64_t *w)
{
	if (*w - a->lo < a->hi - a->lo)
		*w += a->delta;
}

/* STK-4 (checking mode): a precise pointer word, adjusted, that points
   into the stack area points into the goroutine's new stack. */
static void check_stackptr(const struct adjinfo *a, uint64_t v)
{
	if (rt_debug.verify && v - area_base < area_size &&
	    v - a->nlo >= a->nhi - a->nlo)
		rt_throw("invalid pointer found on stack");
}

static void adjust_masked(const struct adjinfo *a, uint64_t base,
			  uint64_t nwords, const uint8_t *mask)
{
	for (uint64_t i = 0; i < nwords; i++)
		if (ep_bit(mask, i)) {
			uint64_t *w = (uint64_t *)(base + i * EP_WORD);
			adjust_word(a, w);
			check_stackptr(a, *w);
		}
}

static void adjust_frame(const struct adjinfo *a, const struct rt_frame *fr)
{
	const struct ep_func *fn = fr->fn;
	if (fr->kind == RT_FRAME_CALL)
		adjust_masked(a, fr->sp, fn->frame_size / EP_WORD,
			      rt_frame_callmap(fr));
	/* An ASYNC frame (only under EP_MUTANT_SHRINK_WHILE_ASYNC) has no map:
	   its words are copied unadjusted. */
	if (fr->kind != RT_FRAME_ENTRY) {
		adjust_word(a, (uint64_t *)rt_frame_fpslot(fr));
		for (uint32_t i = 0; i < fn->nstackobjs; i++) {
			const struct ep_stackobj *so = &fn->stackobjs[i];
#ifdef EP_MUTANT_STACKOBJ_UNADJUSTED
			/* Mutant: a stack object's words are copied but not
			   adjusted (delta 0; STK-4's check still runs): a
			   pointer from one stack object to another is left
			   pointing into the old, freed stack. */
			struct adjinfo same = *a;
			same.delta = 0;
			adjust_masked(&same,
				      fr->sp + (uint64_t)(int64_t)so->off,
				      so->size / EP_WORD, so->ptrmask);
#else
			adjust_masked(a, fr->sp + (uint64_t)(int64_t)so->off,
				      so->size / EP_WORD, so->ptrmask);
#endif
		}
	}
	if (fr->outermost)
		for (uint64_t i = 0; i < fn->args_size / EP_WORD; i++)
			if ((fn->args_ptrmask >> i) & 1) {
				uint64_t *w =
				    (uint64_t *)(fr->argp + i * EP_WORD);
				adjust_word(a, w);
				check_stackptr(a, *w);
			}
}

static void adjust_context(const struct adjinfo *a, struct rt_g *g)
{
	adjust_word(a, &g->sched.sp);
	adjust_word(a, &g->sched.fp);
	if (g->preempt_async) {
		adjust_word(a, &g->async_sp);
		adjust_word(a, &g->async_regs);
	}
}

void rt_stack_copy(struct rt_g *g, uint64_t newsize)
{
#ifndef EP_MUTANT_SHRINK_WHILE_ASYNC
	if (g->preempt_async)
		rt_throw("copystack: goroutine holds a conservative frame "
			 "(RT-3)");
#endif
	uint64_t olo = g->head.stack_lo, ohi = g->head.stack_hi;
	uint64_t low = rt_stack_lowest_used(g), used = ohi - low;
	if (used + EP_STACK_GUARD > newsize)
		rt_throw("copystack: new stack too small for the used part");
	uint64_t nlo = stack_get(newsize), nhi = nlo + newsize;
	struct adjinfo a = {olo, ohi, nhi - ohi, nlo, nhi};
	rt_words_move(low + a.delta, low, used);
	adjust_context(&a, g);
	set_bounds(g, nlo, nhi);
	struct rt_unwinder u;
	for (rt_unwind_start(&u, g); u.valid; rt_unwind_next(&u))
		adjust_frame(&a, &u.fr);
	stack_put(olo, ohi - olo);
	everypc_hook_stack_copied(g, olo, ohi); /* RIG-3 */
}

void rt_morestack(struct rt_g *g, uint64_t need)
{
	rt_g_check(g);
	uint64_t size = g->head.stack_hi - g->head.stack_lo;
	uint64_t used = g->head.stack_hi - rt_stack_lowest_used(g);
	if (!need && g->sched_kind == RT_SCHED_MORESTACK) {
		const struct ep_func *f = rt_findfunc(g->sched.pc);
		need = f ? f->frame_size : 0;
	}
	uint64_t newsize = size * 2;
	while (newsize < used + need + EP_STACK_GUARD &&
	       newsize <= RT_STACK_MAX)
		newsize *= 2;
	if (newsize > RT_STACK_MAX) {
		rt_print_str("runtime: goroutine stack exceeds 67108864-byte "
			     "limit\n");
		rt_throw("stack overflow");
	}
	rt_stack_copy(g, newsize);
	rt_memstats.nmorestack++;
}

/* ---- shrinking ---- */

/* Would halving g's stack be wanted (forced: would it merely fit)? */
static int shrink_wanted(const struct rt_g *g, int forced)
{
	uint64_t size = g->head.stack_hi - g->head.stack_lo;
	uint64_t used =
	    g->head.stack_hi - rt_stack_lowest_used(g) + EP_STACK_GUARD;
	if (size <= EP_STACK_MIN)
		return 0;
	return forced ? used <= size / 2 : used < size / 4;
}

static void shrink(struct rt_g *g)
{
	rt_stack_copy(g, (g->head.stack_hi - g->head.stack_lo) / 2);
	rt_memstats.nshrink++;
}

static void shrink_in_gc(struct rt_g *g)
{
	if (!shrink_wanted(g, rt_force_shrink))
		return;
#ifndef EP_MUTANT_SHRINK_WHILE_ASYNC
	/* (Mutant SHRINK_WHILE_ASYNC: no deferral; the conservative frame
	   and the saved registers keep pointers into the old stack.) */
	if (g->preempt_async) {
		g->shrink_pending = 1;
		rt_memstats.nshrink_deferred++;
		return;
	}
#endif
	shrink(g);
}

void rt_stack_shrink_all(void)
{
	for (struct rt_g *g = rt_allg_first(); g; g = rt_allg_next(g))
		if (g->status != RT_G_IDLE && g->status != RT_G_DEAD &&
		    g->head.stack_lo)
			shrink_in_gc(g);
}

void rt_maybe_shrink_pending(struct rt_g *g)
{
	if (!g->shrink_pending || g->preempt_async)
		return;
	g->shrink_pending = 0;
	if (shrink_wanted(g, 1))
		shrink(g);
}
