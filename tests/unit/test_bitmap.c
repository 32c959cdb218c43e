/*
 * test_bitmap.c -- pointer bitmaps as the GC decodes them (LSB first,
 * across byte boundaries): ep_bit itself, call-site maps of a frame, type
 * ptrmasks of heap objects, the globals map and a function's
 * args_ptrmask. Every word holds a live-looking heap pointer; exactly the
 * objects named by set bits must survive.
 */
#include "test_heap_support.h"

#include <string.h>

#define NW 20
static uint64_t objs[NW];
static uint64_t globals[12];

static void fill_objs(uint64_t *words, int n)
{
	for (int i = 0; i < n; i++) {
		objs[i] = (uint64_t)rt_heap_alloc_nogc(8, EP_TYPE_NONE);
		words[i] = objs[i];
	}
}

static void expect_alive_exactly(uint64_t mask, int n)
{
	rt_heap_commit_runs();
	for (int i = 0; i < n; i++)
		if ((rt_findobject(objs[i]) != 0) != (int)((mask >> i) & 1))
			fail_msg("word %d: alive=%d, mask bit=%d", i,
				 rt_findobject(objs[i]) != 0,
				 (int)((mask >> i) & 1));
}

static void test_ep_bit(void **state)
{
	(void)state;
	static const uint8_t m[] = {0x81, 0x02};
	for (int i = 0; i < 16; i++)
		assert_int_equal(ep_bit(m, (uint64_t)i),
				 i == 0 || i == 7 || i == 9);
}

static void test_call_site_map(void **state)
{
	(void)state;
	uint64_t mask = 1u << 0 | 1u << 7 | 1u << 8 | 1u << 15 | 1u << 19;
	struct ep_func *f = th_func("main.wide", 0x1000, 8 * (NW + 2), 0, 0);
	th_callsite(f, 0x1040, mask);
	struct rt_g *g = th_new_g(EP_STACK_MIN);
	uint64_t sp;
	const struct ep_func *fns[] = {f};
	const uint64_t rets[] = {0x1040};
	th_build_stack(g, 1, fns, rets, 0, &sp);
	fill_objs((uint64_t *)sp, NW);
	rt_gc();
	expect_alive_exactly(mask, NW);
}

static void test_type_ptrmask(void **state)
{
	(void)state;
	uint64_t mask = 1u << 1 | 1u << 8 | 1u << 11;
	uint32_t t = th_type("main.big", 12 * 8, mask);
	th_globals(globals, 1, 0x1);
	uint64_t o = (uint64_t)rt_heap_alloc_nogc(12 * 8, t);
	globals[0] = o;
	fill_objs((uint64_t *)o, 12);
	rt_gc();
	expect_alive_exactly(mask, 12);
}

static void test_globals_map(void **state)
{
	(void)state;
	uint64_t mask = 1u << 0 | 1u << 9;
	th_globals(globals, 12, mask);
	fill_objs(globals, 12);
	rt_gc();
	expect_alive_exactly(mask, 12);
}

static void test_args_ptrmask(void **state)
{
	(void)state;
	uint64_t mask = 1u << 0 | 1u << 9;
	struct ep_func *f = th_func("main.many", 0x1000, 32, 10 * 8, mask);
	th_callsite(f, 0x1040, 0);
	struct rt_g *g = th_new_g(EP_STACK_MIN);
	uint64_t sp;
	const struct ep_func *fns[] = {f};
	const uint64_t rets[] = {0x1040};
	th_build_stack(g, 1, fns, rets, 10, &sp);
	fill_objs((uint64_t *)(sp + 32 + rt_arch.ra_push), 10);
	rt_gc();
	expect_alive_exactly(mask, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ep_bit),
	    cmocka_unit_test_setup_teardown(test_call_site_map, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_type_ptrmask, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_globals_map, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_args_ptrmask, th_setup,
					    th_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
