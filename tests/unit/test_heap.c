/*
 * test_heap.c -- the heap (heap.c): size classes, slow-path allocation and
 * the fast path's runs (HEAP-1/2), gcstress runs, large objects, sweep
 * poisoning (HEAP-3), deterministic addresses after a reset (HEAP-5), the
 * verifier catching a write after free, and the rig's span-table view.
 */
#include "test_heap_support.h"

#include <string.h>

/* The inline fast path of abi.h, in C. Returns 0 when the run is empty. */
static uint64_t fast_alloc(int c, uint32_t type)
{
	uint64_t p = rt_alloc_next[c], e = p + rt_class_size(c);
	if (e > rt_alloc_limit[c])
		return 0;
	rt_alloc_next[c] = e;
	*th_w(p) = EP_OBJ_HEADER(type, EP_OBJ_ALLOCATED);
	memset((void *)(p + 8), 0, e - p - 8);
	return p + 8;
}

static void test_size_classes(void **state)
{
	(void)state;
	static const uint64_t want[] = {16,  32,  48,  64,  96,	  128,
					192, 256, 384, 512, 1024, 2048};
	for (int c = 0; c < EP_NUM_SIZE_CLASSES; c++)
		assert_int_equal(rt_class_size(c), want[c]);
	assert_int_equal(rt_size_to_class(0), 0);
	assert_int_equal(rt_size_to_class(8), 0);
	assert_int_equal(rt_size_to_class(16), 1);
	assert_int_equal(rt_size_to_class(24), 1);
	assert_int_equal(rt_size_to_class(40), 2);
	assert_int_equal(rt_size_to_class(88), 4);
	assert_int_equal(rt_size_to_class(2040), 11);
	assert_int_equal(rt_size_to_class(2048), -1);
}

static void test_small_alloc_header_and_zero(void **state)
{
	(void)state;
	uint64_t p = (uint64_t)rt_heap_alloc_nogc(24, EP_TYPE_NONE);
	assert_true(rt_in_arena(p));
	assert_int_equal(*th_w(p - 8),
			 EP_OBJ_HEADER(EP_TYPE_NONE, EP_OBJ_ALLOCATED));
	for (int i = 0; i < 3; i++)
		assert_int_equal(*th_w(p + 8 * i), 0);
	/* the run after it is poisoned free slots (HEAP-2) */
	int c = rt_size_to_class(24);
	assert_true(rt_alloc_limit[c] > rt_alloc_next[c]);
	assert_int_equal(EP_OBJ_STATE(*th_w(rt_alloc_next[c])), EP_OBJ_FREE);
	assert_int_equal(*th_w(rt_alloc_next[c] + 8), RT_POISON);
}

static void test_fast_path_run_commit(void **state)
{
	(void)state;
	int c = 2; /* 48-byte slots */
	uint64_t first = (uint64_t)rt_heap_alloc_nogc(40, EP_TYPE_NONE);
	uint64_t q1 = fast_alloc(c, EP_TYPE_NONE);
	uint64_t q2 = fast_alloc(c, EP_TYPE_NONE);
	assert_int_equal(q1, first + 48);
	assert_int_equal(q2, first + 96);
	/* before the commit the alloc bits do not know q1 (HEAP-1) */
	assert_int_equal(rt_findobject(q1), 0);
	rt_heap_commit_runs();
	assert_int_equal(rt_findobject(q1 + 16), q1);
	assert_int_equal(rt_findobject(q2), q2);
	assert_int_equal(rt_alloc_next[c], rt_alloc_limit[c]);
	/* the next slow-path object follows the committed ones */
	uint64_t r = (uint64_t)rt_heap_alloc_nogc(40, EP_TYPE_NONE);
	assert_int_equal(r, first + 144);
	assert_int_equal(rt_heap_check(), 0);
}

static void test_gcstress_empty_runs(void **state)
{
	(void)state;
	rt_debug.gcstress = 1;
	uint64_t a = (uint64_t)rt_heap_alloc_nogc(8, EP_TYPE_NONE);
	assert_int_equal(rt_alloc_next[0], rt_alloc_limit[0]);
	assert_int_equal(fast_alloc(0, EP_TYPE_NONE), 0);
	uint64_t b = (uint64_t)rt_heap_alloc_nogc(8, EP_TYPE_NONE);
	assert_int_equal(b, a + 16);
	assert_int_equal(rt_findobject(a), a); /* committed by the slow path */
}

static void test_large_object(void **state)
{
	(void)state;
	uint64_t p =
	    (uint64_t)rt_heap_alloc_nogc(3 * RT_PAGE_SIZE, EP_TYPE_NONE);
	assert_int_equal((p - 8) % RT_PAGE_SIZE, 0);
	struct rt_span *s = rt_heap_spanof(p);
	assert_int_equal(s->sizeclass, RT_CLASS_LARGE);
	assert_int_equal(s->npages, 4);
	assert_ptr_equal(rt_heap_spanof(p + 3 * RT_PAGE_SIZE), s);
	assert_int_equal(rt_findobject(p + 3 * RT_PAGE_SIZE - 1), p);
	assert_int_equal(*th_w(p + 3 * RT_PAGE_SIZE - 8), 0);
}

static void test_sweep_poisons_unmarked(void **state)
{
	(void)state;
	uint64_t keep = (uint64_t)rt_heap_alloc_nogc(16, EP_TYPE_NONE);
	uint64_t dead = (uint64_t)rt_heap_alloc_nogc(16, EP_TYPE_NONE);
	uint64_t big = (uint64_t)rt_heap_alloc_nogc(5000, EP_TYPE_NONE);
	*th_w(keep) = 7;
	*th_w(dead) = 9;
	rt_heap_commit_runs();
	assert_true(rt_heap_mark(keep));
	assert_false(rt_heap_mark(keep)); /* already marked */
	uint64_t live = rt_heap_sweep();
	assert_int_equal(live, 32);
	assert_int_equal(*th_w(keep), 7);
	assert_int_equal(EP_OBJ_STATE(*th_w(dead - 8)), EP_OBJ_FREE);
	assert_int_equal(*th_w(dead), RT_POISON);
	assert_int_equal(*th_w(dead + 8), RT_POISON);
	assert_int_equal(rt_findobject(dead), 0);
	assert_int_equal(rt_findobject(big), 0);
	assert_null(rt_heap_spanof(big));      /* large span's pages returned */
	assert_false(rt_heap_is_marked(keep)); /* HEAP-4 */
	assert_int_equal(rt_heap_check(), 0);
	/* a write into the freed slot is caught by the verifier */
	*th_w(dead + 8) = 1;
	assert_true(rt_heap_check() > 0);
	assert_non_null(strstr(th_print_buf, "written after free"));
}

static void test_freed_slot_reused_lowest_first(void **state)
{
	(void)state;
	uint64_t a = (uint64_t)rt_heap_alloc_nogc(8, EP_TYPE_NONE);
	uint64_t b = (uint64_t)rt_heap_alloc_nogc(8, EP_TYPE_NONE);
	rt_heap_commit_runs();
	rt_heap_mark(b);
	rt_heap_sweep();
	uint64_t c = (uint64_t)rt_heap_alloc_nogc(8, EP_TYPE_NONE);
	assert_int_equal(c, a);
	assert_int_equal(*th_w(c), 0); /* zeroed again */
}

static void alloc_sequence(uint64_t *out)
{
	static const uint64_t sizes[] = {8, 100, 3000, 8, 20000, 500, 40};
	for (int i = 0; i < 7; i++)
		out[i] = (uint64_t)rt_heap_alloc_nogc(sizes[i], EP_TYPE_NONE);
}

static void test_reset_same_addresses(void **state)
{
	(void)state;
	uint64_t first[7], again[7];
	alloc_sequence(first);
	rt_heap_reset();
	alloc_sequence(again);
	assert_memory_equal(first, again, sizeof first);
}

static void test_bad_type_index_throws(void *arg)
{
	(void)arg;
	rt_heap_alloc_nogc(8, 3); /* th_module has no types */
}

static void test_type_index_checked(void **state)
{
	(void)state;
	assert_true(th_throws(test_bad_type_index_throws, NULL));
	assert_non_null(strstr(th_throw_msg, "type index"));
}

/* Find an object the way the rig does, from the described span table. */
static void test_describe_span_table(void **state)
{
	(void)state;
	struct rt_heap_desc d;
	uint64_t p = (uint64_t)rt_heap_alloc_nogc(40, EP_TYPE_NONE);
	p = (uint64_t)rt_heap_alloc_nogc(40, EP_TYPE_NONE);
	rt_heap_describe(&d);
	assert_int_equal(d.page_size, RT_PAGE_SIZE);
	assert_true(d.span_entry_is_ptr);
	uint64_t pg = (p + 20 - d.arena_base) / d.page_size;
	uint64_t sp = *th_w(d.spans_addr + pg * d.span_entry_size);
	uint64_t base = *th_w(sp + d.span_off_base);
	uint64_t ss = *th_w(sp + d.span_off_slot_size);
	uint64_t slot = base + (p + 20 - base) / ss * ss;
	assert_int_equal(slot + 8, p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_size_classes, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_small_alloc_header_and_zero,
					    th_setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_fast_path_run_commit, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_gcstress_empty_runs, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_large_object, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_sweep_poisons_unmarked,
					    th_setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_freed_slot_reused_lowest_first,
					    th_setup, th_teardown),
	    cmocka_unit_test_setup_teardown(test_reset_same_addresses, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_type_index_checked, th_setup,
					    th_teardown),
	    cmocka_unit_test_setup_teardown(test_describe_span_table, th_setup,
					    th_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
