/*
 * test_gc.c -- the collector (gc.c) end to end on the host: roots (globals,
 * precise frames, first-frame arguments, waitchan), the conservative inner
 * frame and saved-register block of an async-stopped goroutine, bad-pointer
 * and missing-map detection, the heap-growth trigger and gcstress.
 *
 * Built also against the mutants no-register-scan and precise-inner-frame,
 * where it must fail (tests.cmake: WILL_FAIL).
 */
#include "test_heap_support.h"

#include <stdio.h>
#include <string.h>

#define MAIN_PC 0x1000
#define F_PC 0x1100
#define G_PC 0x1200

static uint32_t t_node; /* main.node {next *node; val int} */
static uint64_t globals[4];

static uint64_t node(uint64_t next)
{
	uint64_t p = (uint64_t)rt_heap_alloc_nogc(16, t_node);
	*th_w(p) = next;
	*th_w(p + 8) = 42;
	return p;
}

static int alive(uint64_t p)
{
	rt_heap_commit_runs();
	return rt_findobject(p) == p &&
	       EP_OBJ_STATE(*th_w(p - 8)) == EP_OBJ_ALLOCATED;
}

static int setup(void **state)
{
	th_setup(state);
	t_node = th_type("main.node", 16, 0x1);
	memset(globals, 0, sizeof globals);
	th_globals(globals, 4, 0x5); /* words 0 and 2 are pointers */
	return 0;
}

/* main.main -> main.f, f stopped at a call returning to F_PC+0x20; f's
   map at that call says word 1 is a pointer. */
static struct rt_g *two_frames(uint64_t *sps, uint64_t fmask)
{
	struct ep_func *m = th_func("main.main", MAIN_PC, 64, 0, 0);
	struct ep_func *f = th_func("main.f", F_PC, 64, 0, 0);
	th_callsite(m, MAIN_PC + 0x20, 0);
	th_callsite(f, F_PC + 0x20, fmask);
	struct rt_g *g = th_new_g(EP_STACK_MIN);
	const struct ep_func *fns[] = {m, f};
	const uint64_t rets[] = {MAIN_PC + 0x20, F_PC + 0x20};
	th_build_stack(g, 2, fns, rets, 0, sps);
	return g;
}

static void test_globals_and_heap_graph(void **state)
{
	(void)state;
	uint64_t n2 = node(0), n1 = node(n2), n3 = node(0), n4 = node(0);
	uint64_t cyc1 = node(0), cyc2 = node(cyc1);
	*th_w(cyc1) = cyc2; /* an unreachable cycle */
	globals[0] = n1;
	globals[1] = n4;     /* not a pointer word: n4 must die */
	globals[2] = n3 + 8; /* interior pointer keeps n3 */
	rt_gc();
	assert_true(alive(n1) && alive(n2) && alive(n3));
	assert_false(alive(n4));
	assert_false(alive(cyc1) || alive(cyc2));
	assert_int_equal(*th_w(n1), n2);
	assert_int_equal(*th_w(n4), RT_POISON);
	assert_int_equal(rt_memstats.ngc, 1);
	assert_int_equal(rt_heap_check(), 0);
}

static void test_precise_frame_uses_call_map(void **state)
{
	(void)state;
	uint64_t sps[2];
	struct rt_g *g = two_frames(sps, 0x2);
	uint64_t a = node(0), b = node(0);
	*th_w(sps[1] + 8) = a;	/* word 1: in the map */
	*th_w(sps[1] + 16) = b; /* word 2: dead slot */
	rt_gc();
	assert_true(alive(a));
	assert_false(alive(b));
	(void)g;
}

static void test_first_frame_arguments(void **state)
{
	(void)state;
	struct ep_func *m = th_func("main.worker", MAIN_PC, 64, 24, 0x5);
	th_callsite(m, MAIN_PC + 0x20, 0);
	struct rt_g *g = th_new_g(EP_STACK_MIN);
	uint64_t sp;
	const struct ep_func *fns[] = {m};
	const uint64_t rets[] = {MAIN_PC + 0x20};
	th_build_stack(g, 1, fns, rets, 3, &sp);
	uint64_t argp = sp + 64 + rt_arch.ra_push;
	uint64_t a = node(0), b = node(0), c = node(0);
	*th_w(argp) = a;
	*th_w(argp + 8) = b; /* not a pointer argument */
	*th_w(argp + 16) = c;
	rt_gc();
	assert_true(alive(a) && alive(c));
	assert_false(alive(b));
}

/* An async-stopped goroutine: main.f interrupted at F_PC+0x30, after its
   call at F_PC+0x20 (whose map has only word 1). */
static struct rt_g *async_g(uint64_t *sps)
{
	struct rt_g *g = two_frames(sps, 0x2);
	g->preempt_async = 1;
	g->async_pc = F_PC + 0x30;
	g->async_sp = sps[1];
	g->async_regs = sps[1] - 512;
	g->async_regs_size = 16 * 8;
	return g;
}

static void test_conservative_inner_frame(void **state)
{
	(void)state;
	uint64_t sps[2];
	async_g(sps);
	uint64_t a = node(0), b = node(0), dead = node(0);
	rt_heap_commit_runs();
	/* free `dead` by a collection that cannot see it */
	rt_gc();
	assert_false(alive(dead));
	a = node(0);
	b = node(0);
	*th_w(sps[1] + 24) = a + 12; /* interior, in no map */
	*th_w(sps[1] + 8) = dead;    /* stale pointer to a free slot */
	*th_w(sps[1] + 32) = b ^ 1;  /* odd interior pointer */
	rt_gc(); /* no bad-pointer throw: the frame is conservative */
	assert_true(alive(a));
	assert_true(alive(b));
}

static void test_register_block_is_scanned(void **state)
{
	(void)state;
	uint64_t sps[2];
	struct rt_g *g = async_g(sps);
	uint64_t a = node(0);
	*th_w(g->async_regs + 5 * 8) = a; /* say, the saved RBX */
	rt_gc();
	assert_true(alive(a));
}

static void gc_arg(void *arg)
{
	(void)arg;
	rt_gc();
}

static void test_bad_pointer_in_frame(void **state)
{
	(void)state;
	uint64_t sps[2];
	two_frames(sps, 0x2);
	globals[0] = node(0); /* keeps the span alive */
	uint64_t dead = node(0);
	rt_gc(); /* frees dead */
	*th_w(sps[1] + 8) = dead;
	assert_true(th_throws(gc_arg, NULL));
	char want[128];
	snprintf(want, sizeof want,
		 "0x%llx (free slot) in frame main.f at 0x%llx+8",
		 (unsigned long long)dead, (unsigned long long)sps[1]);
	assert_non_null(strstr(th_throw_msg, "found bad pointer in Go heap"));
	if (!strstr(th_throw_msg, want))
		fail_msg("message '%s' lacks '%s'", th_throw_msg, want);
	/* a slot's header word is not inside any object */
	*th_w(sps[1] + 8) = globals[0] - 8;
	assert_true(th_throws(gc_arg, NULL));
	/* nor is a page of the arena that no span owns */
	*th_w(sps[1] + 8) = rt_heap_arena_base + 100 * RT_PAGE_SIZE;
	assert_true(th_throws(gc_arg, NULL));
	assert_non_null(strstr(th_throw_msg, "(unallocated page)"));
}

static void test_bad_pointer_in_object(void **state)
{
	(void)state;
	uint64_t n = node(0);
	uint64_t dead = node(0);
	globals[0] = n;
	rt_gc();
	*th_w(n) = dead;
	assert_true(th_throws(gc_arg, NULL));
	assert_non_null(strstr(th_throw_msg, "in object main.node"));
}

static void test_missing_stack_map(void **state)
{
	(void)state;
	uint64_t sps[2];
	struct rt_g *g = two_frames(sps, 0x2);
	g->sched.pc = F_PC + 0x28; /* not a call site */
	assert_true(th_throws(gc_arg, NULL));
	assert_string_equal(th_throw_msg,
			    "missing stack map at PC 0x1128 in main.f");
}

static void test_waitchan_root(void **state)
{
	(void)state;
	uint64_t sps[2];
	struct rt_g *g = two_frames(sps, 0);
	uint64_t ch = (uint64_t)rt_heap_alloc_nogc(48, EP_TYPE_NONE);
	g->waitchan = (void *)ch;
	g->status = RT_G_WAITING;
	rt_gc();
	assert_true(alive(ch));
	g->waitchan = 0;
	rt_gc();
	assert_false(alive(ch));
}

static void test_growth_trigger_and_reuse(void **state)
{
	(void)state;
	uint64_t hi = 0;
	for (int i = 0; i < 40000; i++) { /* 40000 * 256 B = 10 MiB */
		uint64_t p = (uint64_t)rt_alloc_raw(200, EP_TYPE_NONE);
		if (p > hi)
			hi = p;
	}
	assert_true(rt_memstats.ngc >= 2);
	assert_true(hi - rt_heap_arena_base < 6ull << 20); /* space reused */
	assert_int_equal(rt_memstats.next_gc, RT_GC_MIN_TRIGGER);
	assert_int_equal(rt_heap_check(), 0);
}

static void test_gcstress_collects_every_time(void **state)
{
	(void)state;
	rt_debug.gcstress = 1;
	rt_debug.verify = 1;
	uint64_t keep = (uint64_t)rt_alloc_raw(16, t_node);
	globals[0] = keep;
	for (int i = 0; i < 10; i++) {
		uint64_t n = (uint64_t)rt_alloc_raw(16, t_node);
		*th_w(n) = *th_w(keep);
		*th_w(keep) = n; /* a growing list off the global */
	}
	assert_int_equal(rt_memstats.ngc, 11);
	uint64_t n = *th_w(keep);
	int len = 0;
	for (; n; n = *th_w(n), len++)
		assert_true(alive(n));
	assert_int_equal(len, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_globals_and_heap_graph, setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_precise_frame_uses_call_map,
					    setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_first_frame_arguments, setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_conservative_inner_frame,
					    setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_register_block_is_scanned,
					    setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_pointer_in_frame, setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_pointer_in_object, setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_missing_stack_map, setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_waitchan_root, setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_growth_trigger_and_reuse,
					    setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_gcstress_collects_every_time,
					    setup, th_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
