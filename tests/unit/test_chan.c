/*
 * test_chan.c -- the channel state machine of runtime/lib/chan.c, on the
 * host: hand-off to waiting receivers, blocking senders, buffer order and
 * wrap-around, refill from a blocked sender (CHAN-1..3), FIFO wake-up, nil
 * channels. The scheduler around it is mocked: rt_ready appends to rt_runq
 * as the real one does, allocation is calloc, and what a case allocated
 * is freed after it (the guest's collector would).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sched.h"

struct rt_gqueue rt_runq;
void rt_sync_point(struct rt_g *g) { (void)g; }

/* ---- mocks of the rest of the runtime ---- */
static void *allocated[16]; /* this case's allocations */
static int nallocated;

void *rt_alloc_raw(uint64_t size, uint32_t typeidx)
{
	void *p;
	assert_int_equal(typeidx, EP_TYPE_NONE);
	assert_true(nallocated < (int)(sizeof allocated / sizeof *allocated));
	p = calloc(1, size);
	assert_non_null(p);
	allocated[nallocated++] = p;
	return p;
}
void rt_throw(const char *msg)
{
	fail_msg("rt_throw: %s", msg);
	abort();
}
void rt_panic(struct rt_g *g, const char *msg, const char *extra)
{
	(void)g, (void)extra;
	fail_msg("rt_panic: %s", msg);
	abort();
}
void rt_park(struct rt_g *g, uint32_t reason)
{
	g->status = RT_G_WAITING;
	g->waiting_reason = reason;
}
void rt_ready(struct rt_g *g)
{
	g->status = RT_G_RUNNABLE;
	g->waitchan = NULL;
	rt_gq_put(&rt_runq, g);
}
void rt_set_result(struct rt_g *g, uint32_t slot, int64_t v)
{
	g->ret_val = v;
	g->ret_off = slot * 8;
	g->ret_pending = 1;
}
void rt_g_check(const struct rt_g *g) { (void)g; }
void rt_maybe_shrink_pending(struct rt_g *g) { (void)g; }
uint64_t *rt_args(struct rt_g *g) { return (uint64_t *)g->sched.sp; }
struct rt_g *rt_run(struct rt_g *g) { return g; }
struct rt_g *rt_schedule(void) { return rt_gq_get(&rt_runq); }

static struct rt_g g[4];

static int setup(void **state)
{
	(void)state;
	memset(g, 0, sizeof g);
	memset(&rt_runq, 0, sizeof rt_runq);
	for (int i = 0; i < 4; i++)
		g[i].status = RT_G_RUNNING;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	while (nallocated > 0)
		free(allocated[--nallocated]);
	return 0;
}

static void test_unbuffered_sender_blocks(void **state)
{
	struct rt_hchan *c = rt_chan_make(0);
	int64_t v = -1;

	(void)state;
	assert_int_equal(rt_chan_send(c, &g[0], 42), 1);
	assert_int_equal(g[0].status, RT_G_WAITING);
	assert_int_equal(g[0].waiting_reason, RT_WAIT_CHAN_SEND);
	assert_ptr_equal(g[0].waitchan, c);
	assert_int_equal(rt_chan_recv(c, &g[1], &v), 0);
	assert_int_equal(v, 42);
	assert_ptr_equal(rt_gq_get(&rt_runq), &g[0]); /* sender woken */
	assert_int_equal(g[0].status, RT_G_RUNNABLE);
	assert_int_equal(rt_chan_recv(c, &g[1], &v), 1); /* empty again */
}

static void test_unbuffered_receiver_gets_handoff(void **state)
{
	struct rt_hchan *c = rt_chan_make(0);
	int64_t v;

	(void)state;
	assert_int_equal(rt_chan_recv(c, &g[0], &v), 1);
	assert_int_equal(g[0].waiting_reason, RT_WAIT_CHAN_RECV);
	assert_int_equal(rt_chan_send(c, &g[1], 7), 0); /* sender goes on */
	assert_int_equal(g[1].status, RT_G_RUNNING);
	assert_int_equal(g[0].ret_pending, 1);
	assert_int_equal(g[0].ret_val, 7);
	assert_int_equal(g[0].ret_off, 8); /* result slot after the chan */
	assert_ptr_equal(rt_gq_get(&rt_runq), &g[0]);
	assert_null(rt_gq_get(&rt_runq));
}

static void test_receivers_woken_fifo(void **state)
{
	struct rt_hchan *c = rt_chan_make(0);
	int64_t v;

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(rt_chan_recv(c, &g[i], &v), 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(rt_chan_send(c, &g[3], 100 + i), 0);
	for (int i = 0; i < 3; i++) {
		assert_ptr_equal(rt_gq_get(&rt_runq), &g[i]);
		assert_int_equal(g[i].ret_val, 100 + i);
	}
}

static void test_buffered_full_then_refill(void **state)
{
	struct rt_hchan *c = rt_chan_make(2);
	int64_t v;

	(void)state;
	assert_int_equal(rt_chan_send(c, &g[0], 1), 0);
	assert_int_equal(rt_chan_send(c, &g[0], 2), 0);
	assert_int_equal(rt_chan_send(c, &g[0], 3), 1); /* full: blocks */
	assert_int_equal(rt_chan_recv(c, &g[1], &v), 0);
	assert_int_equal(v, 1);
	/* the blocked sender's 3 moved into the buffer, sender woken */
	assert_ptr_equal(rt_gq_get(&rt_runq), &g[0]);
	assert_int_equal(rt_chan_recv(c, &g[1], &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(rt_chan_recv(c, &g[1], &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(rt_chan_recv(c, &g[1], &v), 1); /* empty */
}

static void test_buffered_wraparound_order(void **state)
{
	struct rt_hchan *c = rt_chan_make(3);
	int64_t v, next_out = 0, next_in = 0;

	(void)state;
	for (int round = 0; round < 20; round++) {
		for (int k = 0; k < 1 + round % 2; k++) /* never over cap */
			assert_int_equal(rt_chan_send(c, &g[0], next_in++), 0);
		while (next_out < next_in - round % 2) {
			assert_int_equal(rt_chan_recv(c, &g[1], &v), 0);
			assert_int_equal(v, next_out++);
		}
	}
}

static void test_nil_channel_blocks_forever(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(rt_chan_send(NULL, &g[0], 1), 1);
	assert_int_equal(g[0].waiting_reason, RT_WAIT_CHAN_SEND_NIL);
	assert_int_equal(rt_chan_recv(NULL, &g[1], &v), 1);
	assert_int_equal(g[1].waiting_reason, RT_WAIT_CHAN_RECV_NIL);
	assert_null(rt_gq_get(&rt_runq));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_unbuffered_sender_blocks,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_unbuffered_receiver_gets_handoff, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_receivers_woken_fifo, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_buffered_full_then_refill,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_buffered_wraparound_order,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nil_channel_blocks_forever,
					    setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
