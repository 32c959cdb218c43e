/*
 * test_sched.c -- the goroutine queues of runtime/lib/runq.c (SCHED-3):
 * FIFO order, removal from any position, head/tail consistency.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "sched.h"

static struct rt_g gs[5];

static void check_queue(struct rt_gqueue *q, int n, const int *order)
{
	struct rt_g *g = q->head;

	for (int i = 0; i < n; i++, g = g->schedlink) {
		assert_non_null(g);
		assert_ptr_equal(g, &gs[order[i]]);
	}
	assert_null(g);
	if (n == 0) {
		assert_null(q->tail);
	} else {
		assert_ptr_equal(q->tail, &gs[order[n - 1]]);
		assert_null(q->tail->schedlink);
	}
}

static void test_fifo(void **state)
{
	struct rt_gqueue q = {0};
	const int order[] = {0, 1, 2};

	(void)state;
	assert_null(rt_gq_get(&q));
	for (int i = 0; i < 3; i++)
		rt_gq_put(&q, &gs[i]);
	check_queue(&q, 3, order);
	for (int i = 0; i < 3; i++)
		assert_ptr_equal(rt_gq_get(&q), &gs[i]);
	assert_null(rt_gq_get(&q));
	check_queue(&q, 0, NULL);
}

static void test_requeue_goes_to_tail(void **state)
{
	struct rt_gqueue q = {0};
	const int order[] = {1, 2, 0};

	(void)state;
	for (int i = 0; i < 3; i++)
		rt_gq_put(&q, &gs[i]);
	rt_gq_put(&q, rt_gq_get(&q)); /* Gosched: head to tail */
	check_queue(&q, 3, order);
}

static void test_remove(void **state)
{
	struct rt_gqueue q = {0};
	const int after_mid[] = {0, 2, 3, 4};
	const int after_tail[] = {0, 2, 3};
	const int after_head[] = {2, 3};

	(void)state;
	for (int i = 0; i < 5; i++)
		rt_gq_put(&q, &gs[i]);
	assert_int_equal(rt_gq_remove(&q, &gs[1]), 1);
	check_queue(&q, 4, after_mid);
	assert_int_equal(rt_gq_remove(&q, &gs[4]), 1);
	check_queue(&q, 3, after_tail);
	assert_int_equal(rt_gq_remove(&q, &gs[0]), 1);
	check_queue(&q, 2, after_head);
	assert_int_equal(rt_gq_remove(&q, &gs[0]), 0);
	rt_gq_put(&q, &gs[4]); /* the tail is still right after removals */
	assert_ptr_equal(q.tail, &gs[4]);
	assert_int_equal(rt_gq_remove(&q, &gs[2]), 1);
	assert_int_equal(rt_gq_remove(&q, &gs[3]), 1);
	assert_int_equal(rt_gq_remove(&q, &gs[4]), 1);
	check_queue(&q, 0, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fifo),
	    cmocka_unit_test(test_requeue_goes_to_tail),
	    cmocka_unit_test(test_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
