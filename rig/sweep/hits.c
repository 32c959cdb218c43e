/*
 * hits.c -- how many times each instruction of a function executes in an
 * iteration, learnt once per worker and function (issue 16 item 2), so
 * that a case whose PC does not execute `hit` times is known unreached
 * without an iteration of its own (worker.h).
 *
 * INVARIANTS (cited as "HIT-n"):
 * HIT-1 The counts are learnt in one iteration with no action, which
 *       executes exactly as the baseline's and every case's up to its stop
 *       (iterations are deterministic, STK-3, RIG-5; breakpoints change
 *       nothing in the guest): a breakpoint on every instruction of the
 *       function, each stop counted as worker_run_to_pc counts one (any
 *       goroutine), each breakpoint removed once its count reaches the
 *       largest hit a case of the function asks for (ev_case.maxhit). So
 *       learning costs one iteration and at most maxhit stops per
 *       instruction.
 * HIT-2 A case whose count is known and below its hit is unreached: its
 *       record is the one a run to iter_end gave (verdict unreached, no
 *       check), without the run. Every other case runs as before.
 * HIT-3 Persistent mode only (an isolated case has a QEMU of its own, and
 *       replay runs its case as recorded). A learning iteration that does
 *       not end at iter_end leaves the counts unknown (its cases run) and
 *       the worker down, to be launched afresh.
 * HIT-4 Learnt only for a function one of whose cases was run and found
 *       unreached: a function all of whose instructions execute often
 *       enough (most of them) pays nothing, and one with unreached cases
 *       pays its learning once that shows.
 */
#include "worker.h"

#include <stdlib.h>
#include <string.h>

static void forget(struct hitcounts *h)
{
	free(h->count);
	h->count = NULL;
	h->t = NULL;
	h->f = NULL;
	h->known = 0;
	h->first = h->n = 0;
}

void hits_reset(struct worker *w)
{
	forget(&w->hits);
	w->hits.seen_t = NULL;
	w->hits.seen_f = NULL;
}

void hits_seen_unreached(struct worker *w, const struct ev_case *c)
{
	w->hits.seen_t = c->t;
	w->hits.seen_f = c->f;
}

int hits_unreached(const struct worker *w, const struct ev_case *c)
{
	const struct hitcounts *h = &w->hits;
	size_t i;

	if (!h->known || h->t != c->t || h->f != c->f)
		return 0;
	i = (size_t)(c->insn - c->t->insns);
	return i >= h->first && i - h->first < h->n &&
	       h->count[i - h->first] < (uint32_t)c->hit;
}

int hits_wanted(const struct worker *w, const struct ev_case *c)
{
	const struct hitcounts *h = &w->hits;
	return w->run.persistent && h->seen_t == c->t && h->seen_f == c->f &&
	       (h->t != c->t || h->f != c->f) && c->maxhit > 0;
}

/* The index in [first, first + n) of pc, or n. */
static size_t index_of(const struct ev_target *t, size_t first, size_t n,
		       uint64_t pc)
{
	size_t lo = first, hi = first + n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->insns[mid].pc < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < first + n && t->insns[lo].pc == pc ? lo - first : n;
}

static int learn(struct worker *w, const struct ev_case *c, struct hitcounts *h)
{
	const struct ev_target *t = c->t;
	struct rsp_stop st;
	uint64_t pc;
	size_t i;

	if (!w->run.at_start &&
	    (worker_to_iter_start(w, &pc, &st) != ST_BREAK ||
	     pc != t->hook_start))
		return -1;
	w->run.at_start = 0;
	if (worker_judge_copies(w, 0) < 0) /* SCP-1: as the baseline's */
		return -1;
	for (i = 0; i < h->n; i++)
		if (ev_session_break(&w->s, t->insns[h->first + i].pc) < 0)
			return -1;
	for (;;) {
		enum stopkind k = worker_resume(w, 0, &pc, &st);
		if (k == ST_BREAK && pc == t->hook_end)
			return 0;
		if (k != ST_BREAK ||
		    (i = index_of(t, h->first, h->n, pc)) == h->n)
			return -1;
		if (++h->count[i] == (uint32_t)c->maxhit &&
		    ev_session_unbreak(&w->s, pc) < 0)
			return -1;
	}
}

int hits_learn(struct worker *w, const struct ev_case *c)
{
	struct hitcounts *h = &w->hits;
	size_t i;
	int rc;

	forget(h);
	h->t = c->t;
	h->f = c->f;
	ev_target_func_insns(c->t, c->f, &h->first, &h->n);
	/* learn() arms iter_start too when BRK-2 took it away */
	if (h->n + !worker_has_break(w, c->t->hook_start) >
	    (size_t)(EV_MAXBREAKS - w->s.nbreaks))
		return 0; /* more than the breakpoints left: the cases run */
	if (!(h->count = calloc(h->n ? h->n : 1, sizeof *h->count)))
		return -1;
	rc = learn(w, c, h);
	for (i = 0; rc == 0 && i < h->n; i++)
		if (h->count[i] < (uint32_t)c->maxhit &&
		    ev_session_unbreak(&w->s, c->t->insns[h->first + i].pc) < 0)
			rc = -1;
	h->known = rc == 0;
	if (rc < 0)
		worker_down(w); /* HIT-3: in doubt */
	return rc;
}
