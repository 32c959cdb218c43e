/*
 * test_gcinc.c -- incremental marking (gc.c, gcinternal.h GCI-4..11) on the
 * host: a cycle marks what the stop-the-world mark does (also through an
 * overflow of the grey set); both halves of the hybrid write barrier, with
 * the mutator storing exactly as compiled code does (ABI-8: barrier, then
 * store); black allocation; newproc's born-scanned goroutines; a goroutine
 * that appears behind the root-job cursor; stacks that move mid-cycle;
 * assists, scheduler slices and rt_gc mid-cycle; the rig's cycle started
 * as a goroutine parks (RIG-8); the tri-colour check;
 * persistent-mode reset mid-cycle; determinism; stw stays the default.
 *
 * Most tests set rt_gc_slice_work to 1, so that each rt_gc_cycle_slices(1)
 * is exactly one mark step: root jobs (globals, extra roots, each stack in
 * pool order) first, then grey objects last in, first out.
 *
 * Built also against the mutants wb-insertion-only and alloc-white, where it
 * must fail (tests.cmake: WILL_FAIL).
 */
#include "test_heap_support.h"

#include <stdio.h>
#include <string.h>

#define W_PC 0x1000 /* main.worker */
#define S_PC 0x1100 /* main.spawned */

static uint32_t t_node; /* main.node {next *node; val int} */
static uint32_t t_pair; /* main.pair {a, b *node} */
static uint64_t globals[4];
static struct ep_func *fw;

static int setup(void **state)
{
	th_setup(state);
	t_node = th_type("main.node", 16, 0x1);
	t_pair = th_type("main.pair", 16, 0x3);
	memset(globals, 0, sizeof globals);
	th_globals(globals, 4, 0x5); /* words 0 and 2 are pointers */
	fw = th_func("main.worker", W_PC, 64, 0, 0);
	th_callsite(fw, W_PC + 0x20, 0xe); /* frame words 1..3: pointers */
	return 0;
}

/* A goroutine stopped in main.worker at a call; *sp = its frame. */
static struct rt_g *worker(uint64_t *sp)
{
	struct rt_g *g = th_new_g(EP_STACK_MIN);
	const struct ep_func *fns[] = {fw};
	const uint64_t rets[] = {W_PC + 0x20};
	th_build_stack(g, 1, fns, rets, 0, sp);
	return g;
}

static uint64_t *slot(uint64_t base, int word)
{
	return th_w(base + 8 * (uint64_t)word);
}

static uint64_t node(uint64_t next, uint64_t val)
{
	uint64_t p = (uint64_t)rt_heap_alloc_nogc(16, t_node);
	*th_w(p) = next;
	*th_w(p + 8) = val;
	return p;
}

static uint64_t pair(uint64_t a, uint64_t b)
{
	uint64_t p = (uint64_t)rt_heap_alloc_nogc(16, t_pair);
	*th_w(p) = a;
	*th_w(p + 8) = b;
	return p;
}

/* A pointer store into the heap or a global as compiled code does it
   (abi.h ABI-8): test the flag, call the barrier, then store. */
static void store(uint64_t *where, uint64_t val)
{
	if (rt_writebarrier)
		rt_gc_wbarrier((uint64_t)where, val);
	*where = val;
}

static int alive(uint64_t p)
{
	rt_heap_commit_runs();
	return rt_findobject(p) == p &&
	       EP_OBJ_STATE(*th_w(p - 8)) == EP_OBJ_ALLOCATED;
}

static int marked(uint64_t p) { return rt_heap_is_marked(p); }

/* One mark step (with rt_gc_slice_work = 1). */
static void step(void) { assert_int_equal(rt_gc_cycle_slices(1), 1); }

#define STEP_UNTIL(cond)                                                       \
	do {                                                                   \
		int n_ = 0;                                                    \
		while (!(cond)) {                                              \
			assert_true(n_++ < 100000);                            \
			step();                                                \
		}                                                              \
	} while (0)

/* ---- marked sets ---- */

#define MAXSET 100000
struct markset {
	uint64_t n;
	uint64_t v[MAXSET];
};
static struct markset set_stw, set_inc;

static void record_one(uint64_t obj, uint64_t header, void *arg)
{
	struct markset *m = arg;
	(void)header;
	if (!rt_heap_is_marked(obj))
		return;
	assert_true(m->n < MAXSET);
	m->v[m->n++] = obj;
}

static void record(struct markset *m)
{
	m->n = 0;
	rt_heap_foreach(record_one, m);
}

static void assert_same_set(const struct markset *a, const struct markset *b)
{
	assert_int_equal(a->n, b->n);
	for (uint64_t i = 0; i < a->n; i++)
		if (a->v[i] != b->v[i])
			fail_msg("marked sets differ at %llu: 0x%llx 0x%llx",
				 (unsigned long long)i,
				 (unsigned long long)a->v[i],
				 (unsigned long long)b->v[i]);
}

/* ---- a cycle marks what stop-the-world marks ---- */

struct graph {
	uint64_t live[16], dead[8];
	int nlive, ndead;
};

/* Globals, a precise frame, a waitchan, an async-stopped goroutine's
   conservative frame and register block, garbage and a garbage cycle. */
static void build_graph(struct graph *gr)
{
	uint64_t sp1, sp2;
	struct rt_g *g1 = worker(&sp1), *g2 = worker(&sp2);
	uint64_t list = 0;
	for (int i = 0; i < 20; i++)
		list = node(list, (uint64_t)i);
	uint64_t c = node(0, 0), a = node(c, 0), b = node(0, 0);
	uint64_t x = node(0, 0), y = node(0, 0), z = node(0, 0);
	uint64_t r = node(0, 0), cons = node(0, 0);
	uint64_t ch = (uint64_t)rt_heap_alloc_nogc(48, EP_TYPE_NONE);
	uint64_t d1 = node(0, 0), d2 = node(0, 0), cyc1 = node(0, 0);
	uint64_t cyc2 = node(cyc1, 0);
	*th_w(cyc1) = cyc2;
	globals[0] = list;
	globals[1] = d1; /* not a pointer word */
	globals[2] = pair(a, b);
	*slot(sp1, 1) = pair(x, y);
	*slot(sp1, 2) = z + 8; /* interior */
	*slot(sp1, 5) = d2;    /* not in the map */
	g1->waitchan = (void *)ch;
	g1->status = RT_G_WAITING;
	g2->preempt_async = 1;
	g2->async_pc = W_PC + 0x30;
	g2->async_sp = sp2;
	g2->async_regs = sp2 - 512;
	g2->async_regs_size = 16 * 8;
	*th_w(g2->async_regs + 3 * 8) = r;
	*slot(sp2, 5) = cons + 4; /* conservative frame word */
	uint64_t live[] = {list, a, b, c, x, y, z, r, cons, ch};
	gr->nlive = (int)(sizeof live / sizeof live[0]);
	memcpy(gr->live, live, sizeof live);
	uint64_t dead[] = {d1, d2, cyc1, cyc2};
	gr->ndead = (int)(sizeof dead / sizeof dead[0]);
	memcpy(gr->dead, dead, sizeof dead);
}

static void test_cycle_marks_like_stw(void **state)
{
	(void)state;
	struct graph gr;
	build_graph(&gr);
	rt_gc_mark_all();
	record(&set_stw);
	rt_heap_clear_marks();
	assert_int_equal(set_stw.n, 20 + 4 + 3 + 1 + 1 + 1 + 1);

	/* big slices */
	rt_gc_cycle_start();
	assert_int_equal(rt_gcphase, RT_GCPHASE_MARK);
	assert_int_equal(rt_writebarrier, 1);
	assert_true(rt_gc_cycle_slices(1000) < 1000);
	record(&set_inc);
	assert_same_set(&set_stw, &set_inc);
	rt_gc_cycle_finish();
	assert_int_equal(rt_memstats.ngc, 1);

	/* one step a slice */
	rt_gc_slice_work = 1;
	uint64_t before = rt_memstats.nslices;
	rt_gc_cycle_start();
	/* 4 root jobs (globals, extra roots, 2 stacks), each object, and the
	   slice that finds nothing left */
	assert_int_equal(rt_gc_cycle_slices(1000), 4 + set_stw.n + 1);
	record(&set_inc);
	assert_same_set(&set_stw, &set_inc);
	rt_gc_cycle_finish();
	assert_true(rt_memstats.nslices - before > set_stw.n);
	assert_int_equal(rt_memstats.ngc, 2);
	assert_int_equal(rt_gcphase, RT_GCPHASE_OFF);
	assert_int_equal(rt_writebarrier, 0);
	for (int i = 0; i < gr.nlive; i++)
		assert_true(alive(gr.live[i]));
	for (int i = 0; i < gr.ndead; i++)
		assert_false(alive(gr.dead[i]));
	assert_int_equal(rt_heap_check(), 0);
}

/* More grey objects than the grey set holds: the overflow rescan, spread
   over slices, still marks exactly what stop-the-world marks. */
#define FAN 40000
static uint8_t fan_mask[FAN / 8];

static void test_grey_overflow_mid_cycle(void **state)
{
	(void)state;
	uint32_t t_fan = th_type("[40000]*main.node", FAN * 8, 0);
	memset(fan_mask, 0xff, sizeof fan_mask);
	((struct ep_type *)&th_module.types[t_fan])->ptrmask = fan_mask;
	uint64_t fan = (uint64_t)rt_heap_alloc_nogc(FAN * 8, t_fan);
	globals[0] = fan;
	for (int i = 0; i < FAN; i++)
		*th_w(fan + 8 * (uint64_t)i) = node(node(0, 1), 0);
	node(0, 2); /* garbage */
	rt_gc_mark_all();
	record(&set_stw);
	rt_heap_clear_marks();
	assert_int_equal(set_stw.n, 1 + 2 * FAN);

	rt_gc_slice_work = 4096;
	rt_gc_cycle_start();
	uint64_t n = rt_gc_cycle_slices(100000);
	assert_true(n > 10 && n < 100000);
	record(&set_inc);
	assert_same_set(&set_stw, &set_inc);
	rt_gc_cycle_finish();
	assert_int_equal(rt_memstats.heap_live,
			 2 * FAN * rt_class_size(rt_size_to_class(16)) +
			     rt_heap_spanof(fan)->slot_size);
}

/* ---- the hybrid barrier ---- */

/* globals[0] -> U -> W (W reachable only through U), globals[2] -> B ->
   Q. After the steps: G's stack is scanned, B is black (Q, which only B
   reaches, is marked), U is grey and W white. */
struct scene {
	struct rt_g *g;
	uint64_t sp, u, w, b, q;
};

static void scene_black_b(struct scene *s)
{
	s->g = worker(&s->sp);
	s->w = node(0, 7);
	s->u = node(s->w, 0);
	s->q = node(0, 0);
	s->b = pair(s->q, 0);
	globals[0] = s->u;
	globals[2] = s->b;
	rt_gc_slice_work = 1;
	rt_gc_cycle_start();
	rt_curg = s->g; /* the mutator */
	STEP_UNTIL(s->g->gcscandone && marked(s->q));
	assert_true(marked(s->u) && marked(s->b));
	assert_false(marked(s->w));
}

/* The brief's move: the only reference to white W goes from unscanned U
   into black B, then U's is deleted; the writer's stack is scanned, so the
   insertion half is off: the deletion half must keep W. */
static void test_barrier_move_into_black_object(void **state)
{
	(void)state;
	struct scene s;
	scene_black_b(&s);
	*slot(s.sp, 1) = *th_w(s.u);	      /* tmp := U.next (a frame word) */
	store(th_w(s.b + 8), *slot(s.sp, 1)); /* B.b = tmp */
	assert_false(marked(s.w));	      /* stack black: val not shaded */
	store(th_w(s.u), 0); /* U.next = nil: the deletion half shades W */
	*slot(s.sp, 1) = 0;  /* tmp dead */
	rt_gc_cycle_finish();
	assert_true(alive(s.w));
	assert_int_equal(*th_w(s.b + 8), s.w);
	assert_int_equal(*th_w(s.w + 8), 7);
	assert_int_equal(rt_heap_check(), 0);
}

/* The pointer moves into the scanned stack (no barrier there) and U's
   copy is deleted: only the deletion half sees it (a Dijkstra barrier
   would need a stack rescan). */
static void test_barrier_move_into_black_stack(void **state)
{
	(void)state;
	struct scene s;
	scene_black_b(&s);
	*slot(s.sp, 2) = *th_w(s.u); /* a local := U.next */
	store(th_w(s.u), 0);	     /* U.next = nil */
	rt_gc_cycle_finish();
	assert_true(alive(s.w));
	assert_int_equal(*th_w(s.w + 8), 7);
	assert_int_equal(rt_heap_check(), 0);
}

/* The insertion half: while the writer's stack is unscanned, W (only in
   its frame) is stored into an already scanned global, and the frame
   drops it before the stack is scanned. Once the stack is scanned the
   stored value is no longer shaded. */
static void test_barrier_insertion_while_stack_grey(void **state)
{
	(void)state;
	uint64_t sp;
	struct rt_g *g = worker(&sp);
	uint64_t w = node(0, 5), w2 = node(0, 6), u = node(w2, 0);
	*slot(sp, 1) = w;
	globals[2] = u;
	rt_gc_slice_work = 1;
	rt_gc_cycle_start();
	rt_curg = g;
	step(); /* the globals' job: globals[0] is scanned (nil) */
	assert_false(g->gcscandone);
	store(&globals[0], *slot(sp, 1));
	assert_true(marked(w));
	*slot(sp, 1) = 0;
	STEP_UNTIL(g->gcscandone);
	assert_false(marked(w2)); /* only in unscanned u */
	store(&globals[0], w2);	  /* stack black now: w2 not shaded */
	assert_false(marked(w2));
	assert_int_equal(rt_memstats.nwbarrier, 2);
	rt_gc_cycle_finish();
	assert_true(alive(w) && alive(w2));
	assert_int_equal(rt_heap_check(), 0);
}

static void test_barrier_outside_marking_is_a_noop(void **state)
{
	(void)state;
	uint64_t a = node(0, 0), b = node(0, 0);
	globals[0] = a;
	assert_int_equal(rt_writebarrier, 0);
	rt_gc_wbarrier((uint64_t)&globals[0], b); /* a stale flag */
	rt_gc_shade(b);
	assert_false(marked(a) || marked(b));
	assert_int_equal(rt_memstats.nwbarrier, 0);
	assert_int_equal(rt_heap_check(), 0); /* HEAP-4: no mark bit */
	/* and shading ignores what is not an allocated object */
	rt_gc_cycle_start();
	rt_gc_shade(0);
	rt_gc_shade((uint64_t)&globals[0]);
	rt_gc_shade(rt_heap_arena_base + 1000 * RT_PAGE_SIZE);
	rt_gc_shade(a - 8); /* a header word */
	rt_gc_shade(b + 8);
	assert_false(marked(a));
	assert_true(marked(b));
	rt_gc_cycle_finish();
	assert_true(alive(a) && alive(b)); /* b: shaded, so kept this time */
}

/* ---- black allocation ---- */

static void test_alloc_black_during_marking(void **state)
{
	(void)state;
	uint64_t sp;
	struct rt_g *g = worker(&sp);
	uint64_t list = 0;
	for (int i = 0; i < 100; i++)
		list = node(list, 0);
	globals[0] = list; /* mark work left after the stack's job */
	rt_gc_slice_work = 1;
	rt_gc_cycle_start();
	rt_curg = g;
	STEP_UNTIL(g->gcscandone);
	uint64_t n = (uint64_t)rt_alloc_raw(16, t_node); /* assists */
	assert_int_equal(rt_gcphase, RT_GCPHASE_MARK);
	assert_int_equal(rt_memstats.nassists, 1);
	int c = rt_size_to_class(16);
	assert_int_equal(rt_alloc_next[c], rt_alloc_limit[c]); /* GCI-5 */
	*slot(sp, 3) = n; /* only a scanned stack holds it */
	rt_gc_cycle_finish();
	assert_true(alive(n));
	assert_int_equal(rt_heap_check(), 0);
	/* marking over: the fast path's runs are back */
	rt_alloc_raw(16, t_node);
	assert_true(rt_alloc_next[c] < rt_alloc_limit[c]);
}

/* ---- goroutines ---- */

static void test_newproc_born_scanned(void **state)
{
	(void)state;
	uint64_t csp;
	struct rt_g *creator = worker(&csp);
	struct ep_func *fs = th_func("main.spawned", S_PC, 64, 16, 0x1);
	uint64_t a = node(0, 0), b = node(0, 0);
	struct rt_g *n = th_new_g(EP_STACK_MIN);
	uint64_t sp = n->head.stack_hi - 16 - rt_arch.ra_push;
	*th_w(sp + rt_arch.ra_push) = a;     /* pointer argument */
	*th_w(sp + rt_arch.ra_push + 8) = b; /* int argument */
	n->sched.sp = sp;
	n->sched.pc = n->entry = fs->entry;
	n->sched_kind = RT_SCHED_START;

	rt_gc_newproc(n, creator); /* no cycle: nothing happens */
	assert_false(n->gcscandone);
	rt_gc_slice_work = 1;
	rt_gc_cycle_start();
	rt_gc_newproc(n, creator); /* creator's stack unscanned */
	assert_true(n->gcscandone);
	assert_true(marked(a));
	assert_false(marked(b));
	rt_gc_cycle_finish();
	assert_true(alive(a));
	assert_false(alive(b));

	/* copied from a scanned creator, the arguments are what a black
	   stack held: protected by the barrier (GCI-6), not shaded again */
	uint64_t a2 = node(0, 0), a3 = node(0, 0);
	*slot(csp, 1) = a2;
	*th_w(sp + rt_arch.ra_push) = a3;
	rt_gc_cycle_start();
	STEP_UNTIL(creator->gcscandone);
	assert_true(marked(a2));
	rt_gc_newproc(n, creator);
	assert_true(n->gcscandone);
	assert_false(marked(a3));
	rt_gc_cycle_finish();
	assert_true(alive(a2));
}

/* A goroutine that appears unscanned behind the job cursor (a debug
   call's goroutine reusing an early slot) is found before termination. */
static void test_goroutine_behind_the_cursor(void **state)
{
	(void)state;
	uint64_t sp0, sp1, sp2;
	struct rt_g *g0 = worker(&sp0);
	worker(&sp1);
	struct rt_g *g2 = worker(&sp2);
	uint64_t w = node(0, 0);
	rt_gc_slice_work = 1;
	rt_gc_cycle_start();
	STEP_UNTIL(g2->gcscandone);
	rt_stack_free(g0); /* g0 exits; its slot is reused */
	g0->status = RT_G_DEAD;
	memset(g0, 0, sizeof *g0);
	g0->sig = RT_G_SIG;
	g0->status = RT_G_RUNNABLE;
	rt_stack_alloc(g0, EP_STACK_MIN);
	const struct ep_func *fns[] = {fw};
	const uint64_t rets[] = {W_PC + 0x20};
	th_build_stack(g0, 1, fns, rets, 0, &sp0);
	*slot(sp0, 1) = w;
	rt_gc_cycle_finish();
	assert_true(alive(w));
}

/* GCI-8: the runtime's C code stores into an extra root and a waitchan
   without a barrier, after their jobs ran: termination scans them again. */
static uint64_t c_root[1];

static void test_runtime_roots_rescanned_at_termination(void **state)
{
	(void)state;
	static int registered;
	if (!registered++)
		rt_gc_add_root(c_root, 1);
	uint64_t sp;
	struct rt_g *g = worker(&sp);
	uint64_t w = node(0, 0);
	uint64_t ch = (uint64_t)rt_heap_alloc_nogc(48, EP_TYPE_NONE);
	rt_gc_slice_work = 1;
	rt_gc_cycle_start();
	STEP_UNTIL(g->gcscandone);
	c_root[0] = w;
	g->waitchan = (void *)ch;
	g->status = RT_G_WAITING;
	rt_gc_cycle_slices(100);
	assert_false(marked(w) || marked(ch)); /* the jobs ran before */
	rt_gc_cycle_finish();
	assert_true(alive(w) && alive(ch));
	c_root[0] = 0;
}

/* Stacks move mid-cycle: each keeps its scanned state, the unscanned one
   is scanned at its new place; shrinking waits for termination. */
static void test_stack_moves_mid_cycle(void **state)
{
	(void)state;
	uint64_t sp1, sp2;
	struct rt_g *g1 = worker(&sp1), *g2 = worker(&sp2);
	uint64_t w1 = node(0, 1), w2 = node(0, 2);
	*slot(sp1, 1) = w1;
	*slot(sp2, 1) = w2;
	rt_gc_slice_work = 1;
	rt_gc_cycle_start();
	STEP_UNTIL(g1->gcscandone);
	assert_false(g2->gcscandone);
	uint64_t lo1 = g1->head.stack_lo, lo2 = g2->head.stack_lo;
	rt_morestack(g1, 0);
	rt_morestack(g2, 0);
	assert_true(g1->head.stack_lo != lo1 && g2->head.stack_lo != lo2);
	assert_true(g1->gcscandone);
	assert_false(g2->gcscandone);
	assert_int_equal(*th_w(lo2 + 8), RT_STACK_POISON); /* old: freed */
	assert_int_equal(*slot(g2->sched.sp, 1), w2);
	rt_gc_cycle_slices(1000);
	assert_true(g2->gcscandone && marked(w2));
	assert_int_equal(rt_memstats.nshrink, 0);
	rt_gc_cycle_finish();
	assert_true(alive(w1) && alive(w2));
	assert_int_equal(rt_memstats.nshrink, 2); /* 8 KiB, almost unused */
	assert_int_equal(*slot(g1->sched.sp, 1), w1);
}

/* ---- pacing: assists, scheduler slices, rt_gc ---- */

static void test_assists_run_cycles(void **state)
{
	(void)state;
	rt_debug.gc = RT_GC_INCREMENTAL;
	rt_debug.verify = 1;
	uint64_t hi = 0, len = 0, sawmark = 0;
	for (uint64_t i = 0; i < 40000; i++) {
		uint64_t p = (uint64_t)rt_alloc_raw(200, EP_TYPE_NONE);
		uint64_t n = (uint64_t)rt_alloc_raw(16, t_node);
		/* allocated while marking (the phase is set before, and
		   cleared only by an assist before, an allocation): black */
		if (rt_gcphase == RT_GCPHASE_MARK)
			assert_true(marked(n));
		*th_w(n + 8) = len;
		store(th_w(n), globals[0]);
		store(&globals[0], n);
		len++;
		if (i % 1000 == 500) {
			store(&globals[0], 0); /* the list starts afresh */
			len = 0;
		}
		if (i % 10 == 0)
			rt_gc_sched_slice();
		sawmark += rt_gcphase == RT_GCPHASE_MARK;
		if (p > hi)
			hi = p;
	}
	assert_true(rt_memstats.ngc >= 2);
	assert_true(sawmark > 0);
	assert_true(rt_memstats.nassists > 0);
	assert_true(rt_memstats.nslices > rt_memstats.nassists);
	assert_true(rt_memstats.nwbarrier > 0);
	assert_true(hi - rt_heap_arena_base < 6ull << 20); /* space reused */
	rt_gc();
	assert_int_equal(rt_gcphase, RT_GCPHASE_OFF);
	uint64_t n = globals[0], k = len;
	for (; n; n = *th_w(n)) {
		assert_true(alive(n));
		assert_int_equal(*th_w(n + 8), --k);
	}
	assert_int_equal(k, 0);
	assert_int_equal(rt_heap_check(), 0);
}

static void test_scheduler_slices_finish_a_cycle(void **state)
{
	(void)state;
	uint64_t list = 0;
	for (int i = 0; i < 1000; i++)
		list = node(list, 0);
	globals[0] = list;
	node(0, 0); /* garbage */
	rt_gc_slice_work = 1024;
	rt_gc_cycle_start();
	uint64_t calls = 0;
	while (rt_gcphase == RT_GCPHASE_MARK) {
		assert_true(calls++ < 1000);
		rt_gc_sched_slice();
	}
	/* globals 40 + extra roots 8 + 41 objects of 24 bytes, then 43
	   objects a slice: 22 full slices, the last one ends with 13 */
	assert_int_equal(calls, 24);
	assert_int_equal(rt_memstats.nslices, calls);
	assert_int_equal(rt_memstats.ngc, 1);
	assert_int_equal(rt_memstats.heap_live,
			 1000 * rt_class_size(rt_size_to_class(16)));
	rt_gc_sched_slice(); /* no cycle: nothing */
	assert_int_equal(rt_memstats.nslices, calls);
}

static void test_rt_gc_mid_cycle(void **state)
{
	(void)state;
	rt_debug.gc = RT_GC_INCREMENTAL;
	uint64_t keep = node(0, 0), dead = node(0, 0);
	globals[0] = keep;
	rt_gc_slice_work = 1;
	rt_gc_cycle_start();
	step();
	uint64_t late = node(0, 0); /* black in this cycle, dead for the next */
	rt_gc();
	assert_int_equal(rt_memstats.ngc, 2);
	assert_int_equal(rt_gcphase, RT_GCPHASE_OFF);
	assert_int_equal(rt_writebarrier, 0);
	assert_true(alive(keep));
	assert_false(alive(dead) || alive(late));
	/* the rig's entry points: nothing to do without a cycle */
	assert_int_equal(rt_gc_cycle_slices(10), 0);
	rt_gc_cycle_finish();
	assert_int_equal(rt_memstats.ngc, 2);
	rt_gc_cycle_start();
	rt_gc_cycle_start(); /* one cycle at a time */
	rt_gc_cycle_finish();
	assert_int_equal(rt_memstats.ngc, 3);
}

/* RIG-8: the rig's cycle, asked for as g2 parks: g2's stack is scanned
   before any slice, then exactly n one-step slices run (the globals' and
   the extra roots' jobs), and every later slice of that cycle is one step
   whatever rt_gc_slice_work says, until it terminates. */
static void test_mark_parked(void **state)
{
	(void)state;
	uint64_t sp1, sp2;
	struct rt_g *g1 = worker(&sp1), *g2 = worker(&sp2);
	uint64_t w1 = node(0, 1), w2 = node(0, 2), tail = node(0, 3);
	uint64_t head = node(tail, 4);
	*slot(sp1, 1) = w1;
	*slot(sp2, 1) = w2;
	globals[0] = head;
	th_nmark_hooks = 0;
	rt_gc_mark_parked(g2, 0); /* no request: nothing */
	assert_int_equal(rt_gcphase, RT_GCPHASE_OFF);
	rt_gc_mark_parked(g2, 2);
	assert_int_equal(rt_gcphase, RT_GCPHASE_MARK);
	assert_int_equal(rt_writebarrier, 1);
	assert_true(g2->gcscandone && marked(w2));
	assert_int_equal(rt_memstats.nslices, 2);
	assert_true(marked(head));  /* the globals' job */
	assert_false(marked(tail)); /* head is still grey */
	assert_false(g1->gcscandone || marked(w1));
	rt_gc_sched_slice(); /* one step, not 64 KiB of work */
	assert_int_equal(rt_memstats.nslices, 3);
	assert_int_equal(rt_gcphase, RT_GCPHASE_MARK);
	assert_true(g1->gcscandone && marked(w1)); /* the next root job */
	assert_false(marked(tail));
	rt_gc_mark_parked(g2, 1); /* already scanned this cycle: one step */
	assert_int_equal(rt_memstats.nslices, 4);
	assert_int_equal(rt_gcphase, RT_GCPHASE_MARK);
	/* RIG-9: the hook at the rig cycle's slices 1, 2 and 4 */
	assert_int_equal(th_nmark_hooks, 3);
	assert_int_equal(th_mark_hooks[0], 1 << 1 | 1);
	assert_int_equal(th_mark_hooks[1], 2 << 1 | 1);
	assert_int_equal(th_mark_hooks[2], 4 << 1 | 1);
	while (rt_gcphase == RT_GCPHASE_MARK)
		rt_gc_sched_slice();
	/* ... and once before termination, with no work left */
	uint64_t nhooks = th_nmark_hooks;
	assert_true(nhooks > 3);
	assert_int_equal(th_mark_hooks[nhooks - 1] & 1, 0);
	assert_int_equal(th_mark_hooks[nhooks - 2] & 1, 1);
	assert_int_equal(rt_memstats.ngc, 1);
	assert_true(alive(w1) && alive(w2) && alive(head) && alive(tail));
	/* the next cycle is paced as usual: one scheduler slice ends it */
	uint64_t slices = rt_memstats.nslices;
	rt_gc_cycle_start();
	rt_gc_sched_slice();
	assert_int_equal(rt_gcphase, RT_GCPHASE_OFF);
	assert_int_equal(rt_memstats.nslices, slices + 1);
	assert_int_equal(th_nmark_hooks, nhooks); /* not the rig's cycle */
	assert_int_equal(rt_heap_check(), 0);
}

/* ---- checking mode ---- */

static void finish_arg(void *arg)
{
	(void)arg;
	rt_gc_cycle_finish();
}

static void test_verify_catches_a_black_to_white_pointer(void **state)
{
	(void)state;
	rt_debug.verify = 1;
	uint64_t b = pair(0, 0), w = node(0, 0);
	globals[0] = b;
	rt_gc_cycle_start();
	rt_gc_cycle_slices(100); /* b scanned, no work left */
	*th_w(b + 8) = w;	 /* a store that skipped the barrier */
	assert_true(th_throws(finish_arg, NULL));
	char want[160];
	snprintf(want, sizeof want,
		 "marked object main.pair 0x%llx+8 points to unmarked object "
		 "0x%llx",
		 (unsigned long long)b, (unsigned long long)w);
	if (!strstr(th_throw_msg, want))
		fail_msg("message '%s' lacks '%s'", th_throw_msg, want);
	assert_int_equal(rt_gcphase, RT_GCPHASE_OFF); /* abandoned */

	/* a global is checked as a black root too */
	*th_w(b + 8) = 0;
	rt_gc_cycle_start();
	rt_gc_cycle_slices(100);
	globals[2] = w;
	assert_true(th_throws(finish_arg, NULL));
	assert_non_null(strstr(th_throw_msg, "global"));

	/* with the barrier the same store is fine */
	globals[2] = 0;
	rt_gc_cycle_start();
	rt_gc_cycle_slices(100);
	store(th_w(b + 8), w); /* rt_curg NULL: shaded as from a grey stack */
	rt_gc_cycle_finish();
	assert_true(alive(w));
}

/* ---- persistent mode ---- */

static void test_reset_mid_cycle(void **state)
{
	(void)state;
	uint64_t first = node(0, 0), list = first;
	for (int i = 1; i < 100; i++)
		list = node(list, 0);
	globals[0] = list;
	rt_gc_slice_work = 1;
	rt_gc_cycle_start();
	rt_gc_cycle_slices(10);
	assert_int_equal(rt_gcphase, RT_GCPHASE_MARK);
	uint64_t ngc = rt_memstats.ngc;

	rt_heap_reset(); /* the next iteration */
	rt_stack_reset();
	globals[0] = 0;
	assert_int_equal(rt_gcphase, RT_GCPHASE_OFF);
	assert_int_equal(rt_writebarrier, 0);
	assert_int_equal(rt_gc_cycle_slices(10), 0);
	rt_gc_cycle_finish();
	assert_int_equal(rt_memstats.ngc, ngc);
	uint64_t a = node(0, 0), b = node(0, 0);
	int c = rt_size_to_class(16);
	assert_true(rt_alloc_next[c] < rt_alloc_limit[c]); /* runs again */
	assert_int_equal(a, first); /* the same addresses (HEAP-5) */
	store(&globals[0], a);
	rt_gc_wbarrier((uint64_t)&globals[2], b);
	assert_int_equal(rt_heap_check(), 0); /* no mark bit anywhere */

	rt_gc_cycle_start(); /* a new cycle works as the first did */
	rt_gc_cycle_finish();
	assert_int_equal(rt_memstats.ngc, ngc + 1);
	assert_true(alive(a));
	assert_false(alive(b));
	assert_int_equal(rt_heap_check(), 0);
}

/* ---- determinism ---- */

struct outcome {
	uint64_t ngc, nslices, nassists, nwbarrier, hash, live;
};

static void workload(struct outcome *o)
{
	uint64_t sp;
	struct rt_g *g = worker(&sp);
	rt_curg = g;
	rt_debug.gc = RT_GC_INCREMENTAL;
	uint64_t h = 0xcbf29ce484222325ull;
	memset(&rt_memstats, 0, sizeof rt_memstats);
	rt_memstats.next_gc = RT_GC_MIN_TRIGGER;
	for (uint64_t i = 0; i < 30000; i++) {
		uint64_t p = (uint64_t)rt_alloc_raw(16 * (i % 48 + 1), t_node);
		h = (h ^ p) * 0x100000001b3ull;
		if (i % 3 == 0)
			store(th_w(p), globals[0]);
		if (i % 3 == 0)
			store(&globals[0], p);
		if (i % 7 == 0)
			*slot(sp, 1 + i % 3) = p;
		if (i % 500 == 0)
			store(&globals[0], 0);
		if (i % 11 == 0)
			rt_gc_sched_slice();
	}
	rt_gc_cycle_finish();
	o->ngc = rt_memstats.ngc;
	o->nslices = rt_memstats.nslices;
	o->nassists = rt_memstats.nassists;
	o->nwbarrier = rt_memstats.nwbarrier;
	o->live = rt_memstats.heap_live;
	o->hash = h;
}

static void test_determinism(void **state)
{
	(void)state;
	struct outcome a, b;
	rt_gc_slice_work = 2048;
	workload(&a);
	/* persistent mode's reset, then the same program again */
	rt_heap_reset();
	rt_stack_reset();
	memset(globals, 0, sizeof globals);
	th_ng = 0;
	workload(&b);
	assert_true(a.ngc >= 2 && a.nslices > a.ngc && a.nassists > 0);
	assert_int_equal(a.ngc, b.ngc);
	assert_int_equal(a.nslices, b.nslices);
	assert_int_equal(a.nassists, b.nassists);
	assert_int_equal(a.nwbarrier, b.nwbarrier);
	assert_int_equal(a.live, b.live);
	assert_int_equal(a.hash, b.hash);
}

/* ---- the knob's default ---- */

/* A zeroed rt_debug, as the guest's before EVERYPC_DEBUG is read, is the
   incremental collector: the allocation trigger starts a cycle, which
   marks in assists with the barrier on and terminates by itself. */
static void test_default_is_incremental(void **state)
{
	int barrier_seen = 0;
	(void)state;
	assert_int_equal(rt_debug.gc, RT_GC_INCREMENTAL);
	globals[0] = node(0, 0);
	for (int i = 0; i < 30000; i++) { /* 30000 * 256 B > 4 MiB */
		rt_alloc_raw(200, EP_TYPE_NONE);
		barrier_seen |= rt_writebarrier != 0;
	}
	assert_true(barrier_seen);
	assert_true(rt_memstats.ngc >= 1);
	assert_true(rt_memstats.nslices > 0);
	assert_true(rt_memstats.nassists > 0);
	uint64_t ngc = rt_memstats.ngc;
	rt_gc(); /* a cycle in progress ends first, then a complete one */
	assert_true(rt_memstats.ngc >= ngc + 1);
	assert_int_equal(rt_gcphase, RT_GCPHASE_OFF);
	assert_int_equal(rt_writebarrier, 0);
	assert_true(alive(globals[0]));
	/* gc=stw: the same trigger collects at once, no slice, no barrier */
	rt_debug.gc = RT_GC_STW;
	uint64_t slices = rt_memstats.nslices;
	for (int i = 0; i < 30000; i++) {
		rt_alloc_raw(200, EP_TYPE_NONE);
		assert_int_equal(rt_writebarrier, 0);
	}
	assert_int_equal(rt_memstats.nslices, slices);
	assert_true(rt_memstats.ngc > ngc + 1);
	assert_true(alive(globals[0]));
	rt_debug.gc = RT_GC_INCREMENTAL;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, th_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_cycle_marks_like_stw),
	    T(test_grey_overflow_mid_cycle),
	    T(test_barrier_move_into_black_object),
	    T(test_barrier_move_into_black_stack),
	    T(test_barrier_insertion_while_stack_grey),
	    T(test_barrier_outside_marking_is_a_noop),
	    T(test_alloc_black_during_marking),
	    T(test_newproc_born_scanned),
	    T(test_goroutine_behind_the_cursor),
	    T(test_runtime_roots_rescanned_at_termination),
	    T(test_stack_moves_mid_cycle),
	    T(test_assists_run_cycles),
	    T(test_scheduler_slices_finish_a_cycle),
	    T(test_rt_gc_mid_cycle),
	    T(test_mark_parked),
	    T(test_verify_catches_a_black_to_white_pointer),
	    T(test_reset_mid_cycle),
	    T(test_determinism),
	    T(test_default_is_incremental),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
