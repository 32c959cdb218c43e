/*
 * runq.c -- FIFO goroutine queues (the run queue and channel wait queues).
 * Pure list logic, host-testable (tests/unit/test_sched.c).
 *
 * Invariant SCHED-3 (sched.h): a g is on at most one queue, linked through
 * g->schedlink; head == NULL iff tail == NULL; tail->schedlink == NULL.
 */
#include "sched.h"

void rt_gq_put(struct rt_gqueue *q, struct rt_g *g)
{
	g->schedlink = NULL;
	if (q->tail)
		q->tail->schedlink = g;
	else
		q->head = g;
	q->tail = g;
}

struct rt_g *rt_gq_get(struct rt_gqueue *q)
{
	struct rt_g *g = q->head;

	if (!g)
		return NULL;
	q->head = g->schedlink;
	if (!q->head)
		q->tail = NULL;
	g->schedlink = NULL;
	return g;
}

/* Unlink g wherever it is in q; 1 when it was there. */
int rt_gq_remove(struct rt_gqueue *q, struct rt_g *g)
{
	struct rt_g *prev = NULL, *p;

	for (p = q->head; p; prev = p, p = p->schedlink) {
		if (p != g)
			continue;
		if (prev)
			prev->schedlink = p->schedlink;
		else
			q->head = p->schedlink;
		if (q->tail == p)
			q->tail = prev;
		p->schedlink = NULL;
		return 1;
	}
	return 0;
}
