/*
 * chan.c -- `chan int`: unbuffered and buffered channels with blocking send
 * and receive, Go's hand-off semantics, deterministic FIFO wake-up.
 *
 * Where channels live (documented choice): an hchan and its ring buffer are
 * ONE object in the GC heap, allocated with rt_alloc_raw(size, EP_TYPE_NONE):
 * it holds no managed pointers (only ints and pointers to g structs, which
 * are not heap objects), so the GC never scans inside it. It stays alive
 * exactly while a managed pointer reaches it; a goroutine blocked on a
 * channel always does, through the argument slot of its chansend/chanrecv
 * call, which the caller's call-site map covers (ABI-7) -- so g->waitchan
 * never dangles, and no runtime-internal root is needed.
 *
 * INVARIANTS (cited as "CHAN-n"):
 * CHAN-1 0 <= count <= cap; the buffered values are buf[(recvx + i) % cap]
 *        for i < count; sendx == (recvx + count) % cap.
 * CHAN-2 recvq non-empty implies count == 0 and sendq empty; sendq non-empty
 *        implies count == cap (a full buffer, or an unbuffered channel) and
 *        recvq empty.
 * CHAN-3 A goroutine on a wait queue has status RT_G_WAITING and waitchan ==
 *        the channel; a blocked sender's value is in its waitval.
 */
#include "sched.h"

#define CHAN_SIG 0x6e616863ull /* "chan" */

struct rt_hchan {
	uint64_t sig; /* CHAN_SIG */
	int64_t cap, count, recvx, sendx;
	struct rt_gqueue recvq, sendq;
	int64_t buf[]; /* cap words */
};

static void chan_check(const struct rt_hchan *c)
{
	if (c->sig != CHAN_SIG || c->count < 0 || c->count > c->cap)
		rt_throw("chan: corrupted channel (CHAN-1)");
}

struct rt_hchan *rt_chan_make(int64_t cap)
{
	struct rt_hchan *c;

	c = rt_alloc_raw(sizeof *c + (uint64_t)cap * sizeof(int64_t),
			 EP_TYPE_NONE);
	c->sig = CHAN_SIG;
	c->cap = cap;
	c->count = c->recvx = c->sendx = 0;
	c->recvq.head = c->recvq.tail = NULL;
	c->sendq.head = c->sendq.tail = NULL;
	return c;
}

static void wait_on(struct rt_gqueue *q, struct rt_hchan *c, struct rt_g *g,
		    uint32_t reason)
{
	rt_park(g, reason);
	g->waitchan = c;
	rt_gq_put(q, g);
}

/* Send v; 1 when g must block (it is queued, CHAN-3). */
int rt_chan_send(struct rt_hchan *c, struct rt_g *g, int64_t v)
{
	struct rt_g *r;

	if (!c) {
		rt_park(g, RT_WAIT_CHAN_SEND_NIL); /* blocks forever */
		return 1;
	}
	chan_check(c);
	r = rt_gq_get(&c->recvq);
	if (r) { /* hand the value straight to the oldest receiver */
		rt_set_result(r, 1, v);
		rt_ready(r);
		return 0;
	}
	if (c->count < c->cap) {
		c->buf[c->sendx] = v;
		c->sendx = (c->sendx + 1) % c->cap;
		c->count++;
		return 0;
	}
	g->waitval = v;
	wait_on(&c->sendq, c, g, RT_WAIT_CHAN_SEND);
	return 1;
}

/* Receive into *v; 1 when g must block (the value then arrives as its
   pending result, rt_set_result slot 1). */
int rt_chan_recv(struct rt_hchan *c, struct rt_g *g, int64_t *v)
{
	struct rt_g *s;

	if (!c) {
		rt_park(g, RT_WAIT_CHAN_RECV_NIL); /* blocks forever */
		return 1;
	}
	chan_check(c);
	if (c->count > 0) {
		*v = c->buf[c->recvx];
		c->recvx = (c->recvx + 1) % c->cap;
		c->count--;
		s = rt_gq_get(&c->sendq);
		if (s) { /* CHAN-2: the buffer was full; refill the slot */
			c->buf[c->sendx] = s->waitval;
			c->sendx = (c->sendx + 1) % c->cap;
			c->count++;
			rt_ready(s);
		}
		return 0;
	}
	s = rt_gq_get(&c->sendq);
	if (s) { /* unbuffered: take the value from the oldest sender */
		*v = s->waitval;
		rt_ready(s);
		return 0;
	}
	wait_on(&c->recvq, c, g, RT_WAIT_CHAN_RECV);
	return 1;
}

/* ---- runtime entry points (SCHED-1) ---- */

struct rt_g *rt_e_makechan(struct rt_g *g);
struct rt_g *rt_e_makechan(struct rt_g *g)
{
	int64_t cap;

	rt_sync_point(g);
	cap = (int64_t)rt_args(g)[0];
	if (cap < 0 || cap > (1 << 24))
		rt_panic(g, "runtime error: makechan: size out of range", NULL);
	rt_set_result(g, 1, (int64_t)(uint64_t)rt_chan_make(cap));
	return rt_run(g);
}

struct rt_g *rt_e_chansend(struct rt_g *g);
struct rt_g *rt_e_chansend(struct rt_g *g)
{
	uint64_t *a;

	rt_sync_point(g);
	a = rt_args(g);
	if (rt_chan_send((struct rt_hchan *)a[0], g, (int64_t)a[1]))
		return rt_schedule();
	return rt_run(g);
}

struct rt_g *rt_e_chanrecv(struct rt_g *g);
struct rt_g *rt_e_chanrecv(struct rt_g *g)
{
	int64_t v = 0;

	rt_sync_point(g);
	if (rt_chan_recv((struct rt_hchan *)rt_args(g)[0], g, &v))
		return rt_schedule();
	rt_set_result(g, 1, v);
	return rt_run(g);
}
