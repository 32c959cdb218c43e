/*
 * test_findobject.c -- rt_findobject on interior pointers, header words,
 * free slots, span tails, large objects and addresses outside the arena.
 */
#include "test_heap_support.h"

static void test_every_interior_offset(void **state)
{
	(void)state;
	uint64_t p = (uint64_t)rt_heap_alloc_nogc(88, EP_TYPE_NONE); /* 96 */
	uint64_t q = (uint64_t)rt_heap_alloc_nogc(88, EP_TYPE_NONE);
	rt_heap_commit_runs();
	for (uint64_t off = 0; off < 88; off++)
		assert_int_equal(rt_findobject(p + off), p);
	/* the next slot's header word belongs to no object */
	for (uint64_t off = 88; off < 96; off++)
		assert_int_equal(rt_findobject(p + off), 0);
	assert_int_equal(rt_findobject(q), q);
	assert_int_equal(rt_findobject(p - 8), 0); /* own header */
}

static void test_free_slots_and_outside(void **state)
{
	(void)state;
	uint64_t p = (uint64_t)rt_heap_alloc_nogc(8, EP_TYPE_NONE);
	rt_heap_commit_runs();
	assert_int_equal(rt_findobject(p + 16), 0); /* next slot: free */
	assert_int_equal(rt_findobject(0), 0);
	assert_int_equal(rt_findobject(8), 0);
	assert_int_equal(rt_findobject(rt_heap_arena_base - 8), 0);
	assert_int_equal(rt_findobject(rt_heap_arena_base + rt_heap_arena_size),
			 0);
	/* a page of the arena no span owns */
	assert_int_equal(rt_findobject(rt_heap_arena_base + 40 * RT_PAGE_SIZE),
			 0);
}

static void test_span_tail_is_not_an_object(void **state)
{
	(void)state;
	/* class 48: 170 slots of 48 bytes leave 32 bytes unused at the end */
	uint64_t p = (uint64_t)rt_heap_alloc_nogc(40, EP_TYPE_NONE);
	struct rt_span *s = rt_heap_spanof(p);
	assert_int_equal(s->nslots, 170);
	for (uint32_t i = 1; i < 170; i++)
		rt_heap_alloc_nogc(40, EP_TYPE_NONE);
	rt_heap_commit_runs();
	assert_int_equal(s->nalloc, 170);
	uint64_t last = s->base + 169 * 48 + 8;
	assert_int_equal(rt_findobject(last + 39), last);
	assert_int_equal(rt_findobject(s->base + 8160), 0);
	assert_int_equal(rt_findobject(s->base + RT_PAGE_SIZE - 1), 0);
}

static void test_large_interior(void **state)
{
	(void)state;
	uint64_t p = (uint64_t)rt_heap_alloc_nogc(100000, EP_TYPE_NONE);
	rt_heap_commit_runs();
	assert_int_equal(rt_findobject(p + 99999), p);
	assert_int_equal(rt_findobject(p + 50000), p);
	assert_int_equal(rt_findobject(p - 8), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_every_interior_offset,
					    th_setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_free_slots_and_outside,
					    th_setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_span_tail_is_not_an_object,
					    th_setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_large_interior, th_setup,
					    th_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
