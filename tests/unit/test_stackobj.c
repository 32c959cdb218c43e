/*
 * test_stackobj.c -- stack objects (META-4, GCI-2, GCI-3): the sorted index,
 * and how the GC traces them: precisely with their ptrmask when a precise
 * pointer reaches them, conservatively when only a conservative one does,
 * both when both do, not at all when nothing does, and through chains of
 * stack objects. Built also against the cbuf-as-precise mutant, where it
 * must fail (tests.cmake: WILL_FAIL).
 */
#include "test_heap_support.h"

#include <string.h>

#define MAIN_PC 0x1000
#define F_PC 0x1100

static struct ep_func *fmain, *ff;
static uint64_t sps[2];
static struct rt_g *g;

static uint64_t obj(void)
{
	return (uint64_t)rt_heap_alloc_nogc(16, EP_TYPE_NONE);
}

static int alive(uint64_t p)
{
	rt_heap_commit_runs();
	return rt_findobject(p) == p;
}

/* A freed object: a stale pointer value (its span kept by a live object;
   of another size class than obj(), so later obj() calls do not reuse it). */
static uint64_t stale(void)
{
	static uint64_t keepg[1];
	th_globals(keepg, 1, 0x1);
	keepg[0] = (uint64_t)rt_heap_alloc_nogc(40, EP_TYPE_NONE);
	uint64_t d = (uint64_t)rt_heap_alloc_nogc(40, EP_TYPE_NONE);
	rt_gc();
	assert_false(alive(d));
	return d;
}

/* main.main (stack object M at +16, 16 bytes, word 0 a pointer) calls
   main.f (stack object F, same shape); the maps are given per test. */
static void build(uint64_t mainmap, uint64_t fmap)
{
	fmain = th_func("main.main", MAIN_PC, 64, 0, 0);
	ff = th_func("main.f", F_PC, 64, 0, 0);
	th_stackobj(fmain, 16, 16, 0x1);
	th_stackobj(ff, 16, 16, 0x1);
	th_callsite(fmain, MAIN_PC + 0x20, mainmap);
	th_callsite(ff, F_PC + 0x20, fmap);
	g = th_new_g(EP_STACK_MIN);
	const struct ep_func *fns[] = {fmain, ff};
	const uint64_t rets[] = {MAIN_PC + 0x20, F_PC + 0x20};
	th_build_stack(g, 2, fns, rets, 0, sps);
}

static void make_async(void)
{
	g->preempt_async = 1;
	g->async_pc = F_PC + 0x30;
	g->async_sp = sps[1];
	g->async_regs = sps[1] - 512;
	g->async_regs_size = 128;
}

#define M_OBJ (sps[0] + 16)
#define F_OBJ (sps[1] + 16)

/* ---- the index ---- */

static struct rt_sobj store[4];

static void add_overlap(void *arg)
{
	struct rt_sobj_index *ix = arg;
	rt_sobj_add(ix, 0x1010, 16, NULL, NULL); /* overlaps [0x1008,0x1018) */
}

static void add_full(void *arg)
{
	struct rt_sobj_index *ix = arg;
	rt_sobj_add(ix, 0x9000, 8, NULL, NULL);
}

static void test_index(void **state)
{
	(void)state;
	struct rt_sobj_index ix = {store, 0, 4};
	rt_sobj_add(&ix, 0x1000, 8, NULL, NULL);
	rt_sobj_add(&ix, 0x1008, 16, NULL, NULL);
	rt_sobj_add(&ix, 0x1040, 24, NULL, NULL);
	assert_null(rt_sobj_find(&ix, 0xfff));
	assert_ptr_equal(rt_sobj_find(&ix, 0x1000), &store[0]);
	assert_ptr_equal(rt_sobj_find(&ix, 0x1007), &store[0]);
	assert_ptr_equal(rt_sobj_find(&ix, 0x1008), &store[1]);
	assert_ptr_equal(rt_sobj_find(&ix, 0x1017), &store[1]);
	assert_null(rt_sobj_find(&ix, 0x1018)); /* a gap */
	assert_null(rt_sobj_find(&ix, 0x103f));
	assert_ptr_equal(rt_sobj_find(&ix, 0x1057), &store[2]);
	assert_null(rt_sobj_find(&ix, 0x1058));
	assert_true(th_throws(add_overlap, &ix));
	assert_non_null(strstr(th_throw_msg, "GCI-2"));
	rt_sobj_add(&ix, 0x2000, 8, NULL, NULL);
	assert_true(th_throws(add_full, &ix));
	assert_non_null(strstr(th_throw_msg, "too many stack objects"));
}

/* ---- tracing ---- */

static void test_precise_reach_uses_ptrmask(void **state)
{
	(void)state;
	build(0, 0x2); /* f's word 1 is the anchor of F */
	uint64_t a = obj(), b = obj();
	*th_w(sps[1] + 8) = F_OBJ;
	*th_w(F_OBJ) = a;
	*th_w(F_OBJ + 8) = b; /* not a pointer word */
	rt_gc();
	assert_true(alive(a));
	assert_false(alive(b));
}

static void test_unreached_object_not_scanned(void **state)
{
	(void)state;
	build(0, 0);
	uint64_t a = obj();
	*th_w(F_OBJ) = a;
	rt_gc();
	assert_false(alive(a));
}

static void test_conservative_reach_scans_conservatively(void **state)
{
	(void)state;
	build(0, 0x2);
	uint64_t d = stale();
	make_async();
	uint64_t b = obj();
	*th_w(sps[1] + 32) = F_OBJ + 8; /* in no map: found conservatively */
	*th_w(F_OBJ) = d;		/* dead object's stale pointer */
	*th_w(F_OBJ + 8) = b;		/* a word the ptrmask does not name */
	rt_gc(); /* a precise scan of F would throw on d */
	assert_true(alive(b));
}

static void test_reached_both_ways(void **state)
{
	(void)state;
	build(0x2, 0x2); /* main's word 1 anchors M */
	make_async();
	uint64_t a = obj(), b = obj();
	*th_w(sps[0] + 8) = M_OBJ;
	*th_w(sps[1] + 32) = M_OBJ; /* f's conservative frame sees it first */
	*th_w(M_OBJ) = a;
	*th_w(M_OBJ + 8) = b;
	rt_gc();
	assert_true(alive(a));
	assert_true(alive(b)); /* the conservative scan happened */
}

static void gc_arg(void *arg)
{
	(void)arg;
	rt_gc();
}

static void test_reached_both_ways_also_precise(void **state)
{
	(void)state;
	build(0x2, 0x2);
	uint64_t d = stale();
	make_async();
	*th_w(sps[0] + 8) = M_OBJ;
	*th_w(sps[1] + 32) = M_OBJ;
	*th_w(M_OBJ) = d;
	assert_true(th_throws(gc_arg, NULL)); /* the precise scan happened */
	assert_non_null(strstr(th_throw_msg, "in stack object of main.main"));
}

static void test_chain_of_stack_objects(void **state)
{
	(void)state;
	build(0, 0x2);
	uint64_t c = obj();
	*th_w(sps[1] + 8) = F_OBJ;
	*th_w(F_OBJ) = M_OBJ; /* F points at M, nothing else does */
	*th_w(M_OBJ) = c;
	rt_gc();
	assert_true(alive(c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_index, th_setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_precise_reach_uses_ptrmask,
					    th_setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_unreached_object_not_scanned,
					    th_setup, th_teardown),
	    cmocka_unit_test_setup_teardown(
		test_conservative_reach_scans_conservatively, th_setup,
		th_teardown),
	    cmocka_unit_test_setup_teardown(test_reached_both_ways, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_reached_both_ways_also_precise,
					    th_setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_chain_of_stack_objects,
					    th_setup, th_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
