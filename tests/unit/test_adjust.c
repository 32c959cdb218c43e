/*
 * test_adjust.c -- stack copying (stack.c) on a synthetic three-frame stack
 * with stack objects, an FP chain and first-frame arguments: every pointer
 * into the old stack is adjusted and nothing else is touched; growth from a
 * morestack entry; shrinking in GC; RT-3's deferral for an async-stopped
 * goroutine; deterministic placement. Built for amd64's frame layout here
 * and for a link-register layout as test_adjust_lr; also against the
 * shrink-while-async mutant, where it must fail (tests.cmake: WILL_FAIL).
 */
#include "test_heap_support.h"

#include <string.h>

#define MAIN_PC 0x1000
#define F_PC 0x1100
#define G_PC 0x1200
#define BIG_PC 0x1300

static struct ep_func *fm, *ff, *fg;
static uint64_t sps[3];
static struct rt_g *g;
static uint64_t heapobj;

#define M_OBJ (sps[0] + 16)
#define F_OBJ (sps[1] + 16)

/* main.main(p *T, n int) { M } -> main.f { F } -> main.g, stopped at a
   runtime call. Maps: main word 1 = &M; f words 1 = &F, 4 = heap;
   g words 0 = &M+8 (interior), 1 = &F; g word 2 is an int that happens
   to hold a stack address. */
static void build(uint64_t stacksize)
{
	fm = th_func("main.main", MAIN_PC, 64, 16, 0x1);
	ff = th_func("main.f", F_PC, 64, 0, 0);
	fg = th_func("main.g", G_PC, 48, 0, 0);
	th_stackobj(fm, 16, 16, 0x1);
	th_stackobj(ff, 16, 16, 0x1);
	th_callsite(fm, MAIN_PC + 0x20, 0x2);
	th_callsite(ff, F_PC + 0x20, 0x12);
	th_callsite(fg, G_PC + 0x20, 0x3);
	g = th_new_g(stacksize);
	const struct ep_func *fns[] = {fm, ff, fg};
	const uint64_t rets[] = {MAIN_PC + 0x20, F_PC + 0x20, G_PC + 0x20};
	th_build_stack(g, 3, fns, rets, 2, sps);
	heapobj = (uint64_t)rt_heap_alloc_nogc(8, EP_TYPE_NONE);
	uint64_t argp = sps[0] + 64 + rt_arch.ra_push;
	*th_w(argp) = M_OBJ;	 /* pointer argument */
	*th_w(argp + 8) = M_OBJ; /* int argument */
	*th_w(sps[0] + 8) = M_OBJ;
	*th_w(M_OBJ) = F_OBJ;	  /* M's pointer word */
	*th_w(M_OBJ + 8) = F_OBJ; /* M's int word */
	*th_w(sps[1] + 8) = F_OBJ;
	*th_w(sps[1] + 32) = heapobj;
	*th_w(F_OBJ) = heapobj;
	*th_w(sps[2]) = M_OBJ + 8;
	*th_w(sps[2] + 8) = F_OBJ;
	*th_w(sps[2] + 16) = sps[1];
}

static uint64_t size_of(const struct rt_g *gg)
{
	return gg->head.stack_hi - gg->head.stack_lo;
}

/* Everything build() set up, seen after a move by d. */
static void check_moved(int64_t d)
{
	uint64_t n0 = sps[0] + d, n1 = sps[1] + d, n2 = sps[2] + d;
	uint64_t nargp = n0 + 64 + rt_arch.ra_push;
	assert_int_equal(g->sched.sp, n2);
	assert_int_equal(*th_w(nargp), M_OBJ + d);
	assert_int_equal(*th_w(nargp + 8), M_OBJ); /* int: untouched */
	assert_int_equal(*th_w(n0 + 8), M_OBJ + d);
	assert_int_equal(*th_w(n0 + 16), F_OBJ + d);
	assert_int_equal(*th_w(n0 + 24), F_OBJ); /* int word of M */
	assert_int_equal(*th_w(n1 + 8), F_OBJ + d);
	assert_int_equal(*th_w(n1 + 32), heapobj);
	assert_int_equal(*th_w(n1 + 16), heapobj);
	assert_int_equal(*th_w(n2), M_OBJ + 8 + d);
	assert_int_equal(*th_w(n2 + 8), F_OBJ + d);
	assert_int_equal(*th_w(n2 + 16), sps[1]); /* int: untouched */
	/* FP chain: each saved FP points at the caller's FP slot */
	uint64_t fp0 = n0 + 64 - rt_arch.fp_from_top;
	uint64_t fp1 = n1 + 64 - rt_arch.fp_from_top;
	assert_int_equal(*th_w(fp1), fp0);
	assert_int_equal(*th_w(n2 + 48 - rt_arch.fp_from_top), fp1);
	assert_int_equal(g->sched.fp, n2 + 48 - rt_arch.fp_from_top);
	/* return addresses are code addresses: untouched */
	assert_int_equal(*th_w(n2 + 48 - rt_arch.ra_from_top), F_PC + 0x20);
	/* the walk sees the same frames at the new places */
	struct rt_unwinder u;
	rt_unwind_start(&u, g);
	assert_ptr_equal(u.fr.fn, fg);
	assert_int_equal(u.fr.sp, n2);
	rt_unwind_next(&u);
	assert_ptr_equal(u.fr.fn, ff);
	rt_unwind_next(&u);
	assert_ptr_equal(u.fr.fn, fm);
	assert_int_equal(u.fr.sp, n0);
	assert_true(u.fr.outermost);
	rt_unwind_next(&u);
	assert_false(u.valid);
}

static void test_morestack_adjusts_everything(void **state)
{
	(void)state;
	build(EP_STACK_MIN);
	uint64_t olo = g->head.stack_lo, ohi = g->head.stack_hi;
	rt_morestack(g, 0);
	assert_int_equal(size_of(g), 2 * EP_STACK_MIN);
	assert_int_equal(g->head.stackguard, g->head.stack_lo + EP_STACK_GUARD);
	check_moved((int64_t)(g->head.stack_hi - ohi));
	assert_int_equal(*th_w(olo + 8), RT_STACK_POISON); /* old stack freed */
	assert_int_equal(rt_memstats.nmorestack, 1);
}

/* main.g parked in its morestack block: no frame yet, needs 8000 bytes. */
static void test_morestack_from_entry(void **state)
{
	(void)state;
	build(EP_STACK_MIN);
	struct ep_func *big = th_func("main.big", BIG_PC, 8000, 0, 0);
	uint64_t entry_sp = sps[2] - rt_arch.ra_push;
	(void)big;
	if (rt_arch.ra_push)
		*th_w(entry_sp) = G_PC + 0x20;
	g->sched.lr = G_PC + 0x20;
	g->sched_kind = RT_SCHED_MORESTACK;
	g->sched.pc = BIG_PC + 0xf0;
	g->sched.sp = entry_sp;
	g->sched.fp = sps[2] + 48 - rt_arch.fp_from_top;
	uint64_t ohi = g->head.stack_hi;
	rt_morestack(g, 0);
	int64_t d = (int64_t)(g->head.stack_hi - ohi);
	assert_int_equal(size_of(g), 4 * EP_STACK_MIN);
	assert_true(g->sched.sp - 8000 >= g->head.stack_lo + EP_STACK_GUARD);
	assert_int_equal(g->sched.sp, entry_sp + d);
	assert_int_equal(*th_w(sps[2] + d), M_OBJ + 8 + d);
	assert_int_equal(*th_w(sps[1] + d + 8), F_OBJ + d);
	if (rt_arch.ra_push)
		assert_int_equal(*th_w(g->sched.sp), G_PC + 0x20);
}

static void test_shrink_in_gc(void **state)
{
	(void)state;
	build(64 * 1024);
	uint64_t ohi = g->head.stack_hi;
	rt_gc();
	assert_int_equal(size_of(g), 32 * 1024);
	check_moved((int64_t)(g->head.stack_hi - ohi));
	assert_int_equal(rt_memstats.nshrink, 1);
}

/* main.main -> main.big (a 4 KiB frame) on a 16 KiB stack: more than a
   quarter used, less than half. */
static void test_forced_shrink(void **state)
{
	(void)state;
	fm = th_func("main.main", MAIN_PC, 64, 0, 0);
	struct ep_func *big = th_func("main.big", BIG_PC, 4096, 0, 0);
	th_callsite(fm, MAIN_PC + 0x20, 0);
	th_callsite(big, BIG_PC + 0x20, 0);
	g = th_new_g(16 * 1024);
	const struct ep_func *fns[] = {fm, big};
	const uint64_t rets[] = {MAIN_PC + 0x20, BIG_PC + 0x20};
	th_build_stack(g, 2, fns, rets, 0, sps);
	rt_gc();
	assert_int_equal(size_of(g), 16 * 1024);
	rt_force_shrink = 1;
	rt_gc();
	assert_int_equal(size_of(g), 8 * 1024);
	rt_gc(); /* a quarter of 8 KiB would not fit: stays */
	assert_int_equal(size_of(g), 8 * 1024);
}

static void make_async(void)
{
	g->preempt_async = 1;
	g->async_pc = G_PC + 0x30;
	g->async_sp = sps[2];
	g->async_regs = sps[2] - 256;
	g->async_regs_size = 128;
	*th_w(g->async_regs) = F_OBJ; /* a register holding &F */
}

static void test_shrink_deferred_while_async(void **state)
{
	(void)state;
	build(64 * 1024);
	make_async();
	uint64_t lo = g->head.stack_lo, hi = g->head.stack_hi;
	rt_gc();
	assert_int_equal(g->head.stack_lo, lo); /* RT-3: not moved */
	assert_int_equal(g->head.stack_hi, hi);
	assert_int_equal(*th_w(g->async_regs), F_OBJ);
	assert_int_equal(g->shrink_pending, 1);
	assert_int_equal(rt_memstats.nshrink_deferred, 1);
	rt_maybe_shrink_pending(g); /* still async: nothing */
	assert_int_equal(g->head.stack_lo, lo);
	/* resumed, then stopped at its next runtime call: shrink now */
	g->preempt_async = 0;
	rt_maybe_shrink_pending(g);
	assert_int_equal(size_of(g), 32 * 1024);
	assert_int_equal(g->shrink_pending, 0);
	check_moved((int64_t)(g->head.stack_hi - hi));
}

static void copy_arg(void *arg)
{
	(void)arg;
	rt_stack_copy(g, 2 * size_of(g));
}

static void test_copy_with_conservative_frame_throws(void **state)
{
	(void)state;
	build(EP_STACK_MIN);
	make_async();
	assert_true(th_throws(copy_arg, NULL));
	assert_non_null(strstr(th_throw_msg, "RT-3"));
}

static void morestack_arg(void *arg)
{
	(void)arg;
	rt_morestack(g, 0);
}

static void test_stack_overflow(void **state)
{
	(void)state;
	build(RT_STACK_MAX);
	assert_true(th_throws(morestack_arg, NULL));
	assert_string_equal(th_throw_msg, "stack overflow");
}

static void test_placement_deterministic(void **state)
{
	(void)state;
	struct rt_g a = {0}, b = {0}, c = {0};
	uint64_t first[3];
	rt_stack_alloc(&a, 4096);
	rt_stack_alloc(&b, 10000); /* rounded to 16 KiB */
	assert_int_equal(size_of(&b), 16384);
	rt_stack_free(&a);
	rt_stack_alloc(&c, 4096); /* reuses a's stack */
	first[0] = c.head.stack_lo;
	first[1] = b.head.stack_lo;
	assert_int_equal(*th_w(first[0]), 0); /* zeroed again */
	rt_stack_reset();
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	rt_stack_alloc(&a, 4096);
	rt_stack_alloc(&b, 10000);
	assert_int_equal(a.head.stack_lo, first[0]);
	assert_int_equal(b.head.stack_lo, first[1]);
	first[2] = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_morestack_adjusts_everything,
					    th_setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_morestack_from_entry, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_shrink_in_gc, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_forced_shrink, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_shrink_deferred_while_async,
					    th_setup, th_teardown),
	    cmocka_unit_test_setup_teardown(
		test_copy_with_conservative_frame_throws, th_setup,
		th_teardown),
	    cmocka_unit_test_setup_teardown(test_stack_overflow, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_placement_deterministic,
					    th_setup, th_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
