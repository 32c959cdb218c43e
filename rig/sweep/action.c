/*
 * action.c -- the action table and the SIGURG delivery (action.h):
 * steps 3-5 of the protocol for the preemption actions.
 */
#include "action.h"

#include "checkmeta.h"

#include <stdio.h>
#include <string.h>

#include "observe.h"
#include "rsp.h"
#include "states.h"

static void deliver_sigurg(struct worker *w, const struct ev_case *c,
			   const struct action_def *d, struct verdictbox *v);

enum {
	OR_PREEMPT = OR_VERDICT | OR_ASYNC_FRAME | OR_REGS | OR_OUTCOME,
	OR_INJECT = OR_ANSWER | OR_REGS | OR_STACK | OR_FREEZE | OR_OUTCOME,
};

/* Mark slices the mid-cycle actions ask for while the goroutine is parked
   (RIG-8): the cycle's root jobs and a little of its heap, so that the
   goroutine resumes with its own stack scanned and most of the heap not. */
#define MARK_SLICES 2

static const struct action_def table[EV_NUM_ACTIONS] = {
    [EV_PREEMPT] = {.action = EV_PREEMPT,
		    .how = BY_SIGURG,
		    .oracles = OR_PREEMPT,
		    .deliver = deliver_sigurg},
    [EV_PREEMPT_GC] = {.action = EV_PREEMPT_GC,
		       .how = BY_SIGURG,
		       .req_gc = 1,
		       .oracles = OR_PREEMPT | OR_LIVENESS | OR_STACK,
		       .deliver = deliver_sigurg},
    [EV_PREEMPT_GC_SHRINK] = {.action = EV_PREEMPT_GC_SHRINK,
			      .how = BY_SIGURG,
			      .req_gc = 1,
			      .req_shrink = 1,
			      .oracles = OR_PREEMPT | OR_LIVENESS | OR_STACK |
					 OR_DEFERRED_SHRINK,
			      .deliver = deliver_sigurg},
    /* a cycle starts at the park and ends after the goroutine resumed:
       liveness at its mark termination, the stack when it resumes */
    [EV_PREEMPT_MARK] = {.action = EV_PREEMPT_MARK,
			 .how = BY_SIGURG,
			 .req_mark = MARK_SLICES,
			 .oracles =
			     OR_PREEMPT | OR_LIVENESS | OR_STACK | OR_TRICOLOUR,
			 .deliver = deliver_sigurg},
    [EV_INJECT] = {.action = EV_INJECT,
		   .how = BY_CALL,
		   .oracles = OR_INJECT,
		   .deliver = deliver_call},
    /* liveness at the GC the called function runs */
    [EV_INJECT_GC] = {.action = EV_INJECT_GC,
		      .how = BY_CALL,
		      .oracles = OR_INJECT | OR_LIVENESS,
		      .deliver = deliver_call},
    /* the freeze oracle judges every injected call; this action names
       the sweeps that call into programs with other goroutines running */
    [EV_INJECT_FREEZE] = {.action = EV_INJECT_FREEZE,
			  .how = BY_CALL,
			  .oracles = OR_INJECT,
			  .deliver = deliver_call},
    /* the call runs while a cycle marks; liveness at its termination */
    [EV_INJECT_MARK] = {.action = EV_INJECT_MARK,
			.how = BY_CALL,
			.req_mark = MARK_SLICES,
			.oracles = OR_INJECT | OR_LIVENESS | OR_TRICOLOUR,
			.deliver = deliver_call},
};

const struct action_def *action_def(int action)
{
	return action >= 0 && action < EV_NUM_ACTIONS ? &table[action] : NULL;
}

int action_injects(int action)
{
	const struct action_def *d = action_def(action);
	return d && d->how == BY_CALL;
}

/* RIG-8, after the delivery (the goroutine parked, the cycle marking): on
   to the cycle's termination (everypc_hook_gc_done), where liveness is
   judged, and to the goroutine's return to the PC, where its stack and
   registers are; the two in whichever order they come. On the way, the
   colours at every everypc_hook_mark_slice (RIG-9). */
static int judge_mark_cycle(struct worker *w, const struct ev_case *c,
			    const struct action_def *d,
			    const struct snapshot *sn, struct verdictbox *v)
{
	struct rsp_stop st;
	uint64_t pc, g;
	int done = 0, resumed = 0, guard;
	enum stopkind k;

	if (ev_session_break(&w->s, w->t->hook_gc_done) < 0 ||
	    ((d->oracles & OR_TRICOLOUR) &&
	     ev_session_break(&w->s, w->t->hook_mark_slice) < 0)) {
		failf(v, "protocol", "%s", w->s.err);
		return -1;
	}
	for (guard = 0; guard < 100000 && !(done && resumed); guard++) {
		k = worker_resume(w, 0, &pc, &st);
		if (k == ST_BREAK && pc == w->t->hook_mark_slice && !done) {
			if (judge_colours(w, v) < 0 || v->failed)
				return -1;
			continue;
		}
		if (k == ST_BREAK && pc == w->t->hook_gc_done && !done) {
			done = 1;
			ev_session_unbreak(&w->s, pc);
			ev_session_unbreak(&w->s, w->t->hook_mark_slice);
			judge_liveness_and_stack(w, c, sn,
						 d->oracles & OR_LIVENESS, v);
			continue;
		}
		if (k == ST_BREAK && pc == c->insn->pc && !resumed) {
			if (worker_read_g(w, &g) < 0) {
				failf(v, "protocol", "%s", w->s.err);
				return -1;
			}
			if (g != sn->g)
				continue; /* another goroutine passing the PC */
			resumed = 1;
			ev_session_unbreak(&w->s, pc); /* not again */
			judge_liveness_and_stack(w, c, sn,
						 d->oracles & OR_STACK, v);
			if (d->oracles & OR_REGS)
				judge_regs(w, sn, v, "resumed at the PC");
			continue;
		}
		worker_unexpected(w, v, k, pc, &st,
				  done ? "the goroutine to resume at the PC"
				       : "the marking cycle to terminate "
					 "(RIG-8)");
		return -1;
	}
	if (!(done && resumed)) {
		failf(v, "protocol", "gave up waiting for %s",
		      done ? "the goroutine to resume" : "mark termination");
		return -1;
	}
	return v->failed ? -1 : 0;
}

/* Oracle 4, second half: a shrink deferred while the goroutine was stopped
   asynchronously happens at its next synchronous safe point, i.e. inside
   its next call of a runtime entry point. Observed by the rig: break at
   every runtime.* function, then at that call's return address, and
   compare the stack bounds. */
static int64_t run_g_to(struct worker *w, uint64_t g, const uint64_t *to,
			int nto, struct verdictbox *v, const char *waiting);

static int next_runtime_call(struct worker *w, const struct snapshot *sn,
			     struct verdictbox *v, int64_t *pc)
{
	const struct elfmeta *m = w->t->m;
	uint64_t set[EV_MAXBREAKS] = {0};
	int nset = 0, i;

	if (ev_session_unbreak(&w->s, sn->pc) < 0) { /* the case's own PC */
		failf(v, "protocol", "%s", w->s.err);
		return -1;
	}
	for (i = 0; (size_t)i < m->nsyms && w->s.nbreaks < EV_MAXBREAKS - 2;
	     i++)
		if (m->syms[i].is_func &&
		    !strncmp(m->syms[i].name, "runtime.", 8) &&
		    strcmp(m->syms[i].name, "runtime.goexit") != 0 &&
		    !worker_has_break(w, m->syms[i].value) &&
		    ev_session_break(&w->s, m->syms[i].value) == 0)
			set[nset++] = m->syms[i].value;
	*pc = run_g_to(w, sn->g, set, nset, v,
		       "the goroutine's next runtime call");
	for (i = 0; i < nset; i++)
		ev_session_unbreak(&w->s, set[i]);
	return 0;
}

/* The return address of the runtime call the goroutine is entering. */
static int call_return_address(struct worker *w, uint64_t *ra,
			       struct verdictbox *v)
{
	struct ev_regs r;
	if (w->t->rr->lr) {
		const struct tdesc_reg *lr = tdesc_find(&w->s.td, w->t->rr->lr);
		if (!lr || ev_session_regs(&w->s, &r) < 0) {
			failf(v, "protocol", "cannot read the link register");
			return -1;
		}
		*ra = r.v[lr->regnum];
		return 0;
	}
	if (ev_session_regs(&w->s, &r) < 0 ||
	    ev_session_read_u64(&w->s, r.v[w->s.sp_num], ra) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return -1;
	}
	return 0;
}

static void judge_deferred_shrink(struct worker *w, const struct snapshot *sn,
				  struct verdictbox *v)
{
	uint64_t ra = 0;
	int64_t pc;
	char at[256], d[1024];
	struct ev_stack now;

	if (next_runtime_call(w, sn, v, &pc) < 0 || pc <= 0)
		return; /* failure recorded, or no safe point before the end */
	worker_where(w, (uint64_t)pc, at, sizeof at);
	if (call_return_address(w, &ra, v) < 0)
		return;
	if (ev_session_break(&w->s, ra) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	pc = run_g_to(w, sn->g, &ra, 1, v, "the return from the runtime call");
	ev_session_unbreak(&w->s, ra);
	if (pc <= 0)
		return;
	if (worker_read_stack(w, sn->g, &now) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	if (!ev_check_deferred_shrink(sn->stack, now, at, d, sizeof d))
		failf(v, "shrink", "%s", d);
}

/* Continue until goroutine g stops at one of the breakpoints in to[]
   (others passing them are stepped over). Returns the PC, 0 when the
   iteration ended first, or -1 (failure recorded). */
static int64_t run_g_to(struct worker *w, uint64_t g, const uint64_t *to,
			int nto, struct verdictbox *v, const char *waiting)
{
	int j;
	struct rsp_stop st;
	uint64_t pc, cur;
	int guard;

	for (guard = 0; guard < 100000; guard++) {
		enum stopkind k = worker_resume(w, 0, &pc, &st);
		if (k == ST_BREAK && pc == w->t->hook_end)
			return 0;
		if (k != ST_BREAK || pc == w->t->hook_throw) {
			worker_unexpected(w, v, k, pc, &st, waiting);
			return -1;
		}
		if (worker_read_g(w, &cur) < 0) {
			failf(v, "protocol", "%s", w->s.err);
			return -1;
		}
		for (j = 0; j < nto && cur == g; j++)
			if (to[j] == pc)
				return (int64_t)pc;
	}
	failf(v, "protocol", "gave up waiting for %s", waiting);
	return -1;
}

/* Continue until our goroutine is back at the PC (others may pass it). */
static int wait_resumed(struct worker *w, const struct ev_case *c,
			const struct snapshot *sn, struct verdictbox *v)
{
	struct rsp_stop st;
	uint64_t pc, g;
	int guard;

	for (guard = 0; guard < 100000; guard++) {
		enum stopkind k = worker_resume(w, 0, &pc, &st);
		if (k != ST_BREAK || pc != c->insn->pc) {
			worker_unexpected(w, v, k, pc, &st,
					  "the goroutine to resume at the PC");
			return -1;
		}
		if (worker_read_g(w, &g) < 0) {
			failf(v, "protocol", "%s", w->s.err);
			return -1;
		}
		if (g == sn->g)
			return 0;
		/* another goroutine passing the PC: worker_resume steps past */
	}
	failf(v, "protocol",
	      "the PC was passed 100000 times by other goroutines");
	return -1;
}

/* Accepted: to everypc_hook_parked, the async frame (oracle 1). */
static int judge_parked(struct worker *w, const struct ev_case *c,
			const struct action_def *d, const struct snapshot *sn,
			struct verdictbox *v)
{
	struct rsp_stop st;
	uint64_t pc, async_pc = 0, async_sp = 0;
	enum stopkind k;
	char detail[1024];

	if (ev_session_unbreak(&w->s, w->t->async_preempt) < 0 ||
	    ev_session_break(&w->s, w->t->hook_parked) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return -1;
	}
	k = worker_resume(w, 0, &pc, &st);
	if (k != ST_BREAK || pc != w->t->hook_parked) {
		worker_unexpected(w, v, k, pc, &st, "everypc_hook_parked");
		return -1;
	}
	ev_session_unbreak(&w->s, w->t->hook_parked);
	if (ev_session_read_u64(&w->s, sn->g + w->L.off_async_pc, &async_pc) <
		0 ||
	    ev_session_read_u64(&w->s, sn->g + w->L.off_async_sp, &async_sp) <
		0) {
		failf(v, "protocol", "%s", w->s.err);
		return -1;
	}
	if ((d->oracles & OR_ASYNC_FRAME) &&
	    !ev_check_async_frame(async_pc, async_sp, c->insn->pc,
				  sn->regs.v[w->s.sp_num], detail,
				  sizeof detail))
		failf(v, "verdict", "%s", detail);
	return v->failed ? -1 : 0;
}

/* Accepted, GC requested: to the end of the GC (everypc_hook_gc_done) and
   judge liveness there. */
static int judge_after_gc(struct worker *w, const struct ev_case *c,
			  const struct action_def *d, const struct snapshot *sn,
			  struct verdictbox *v)
{
	struct rsp_stop st;
	uint64_t pc;
	enum stopkind k;

	ev_session_break(&w->s, w->t->hook_gc_done);
	k = worker_resume(w, 0, &pc, &st);
	ev_session_unbreak(&w->s, w->t->hook_gc_done);
	if (k != ST_BREAK || pc != w->t->hook_gc_done) {
		worker_unexpected(w, v, k, pc, &st, "the GC to finish");
		return -1;
	}
	judge_liveness_and_stack(w, c, sn, d->oracles, v);
	return v->failed ? -1 : 0;
}

static void act_accepted(struct worker *w, const struct ev_case *c,
			 const struct action_def *d, const struct snapshot *sn,
			 struct verdictbox *v)
{
	uint32_t pending = 0;
	int live = (d->oracles & OR_LIVENESS) != 0;

	if (judge_parked(w, c, d, sn, v) < 0)
		return;
	if (d->req_mark) {
		judge_mark_cycle(w, c, d, sn, v);
		return;
	}
	if (live && w->t->hook_gc_done && judge_after_gc(w, c, d, sn, v) < 0)
		return;
	if ((d->oracles & OR_DEFERRED_SHRINK) &&
	    ev_session_read(&w->s, sn->g + w->L.off_shrink_pending, &pending,
			    4) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	if (pending) /* STA-3 */
		w->run.states |= 1ull << EV_ST_SHRINK_DEFERRED;
	if (wait_resumed(w, c, sn, v) < 0)
		return;
	if (live && !w->t->hook_gc_done) /* judged when back at the PC */
		judge_liveness_and_stack(w, c, sn, d->oracles, v);
	if (d->oracles & OR_REGS)
		judge_regs(w, sn, v, "resumed at the PC");
	if (!v->failed && pending)
		judge_deferred_shrink(w, sn, v);
}

/* req_preempt, req_gc_after_preempt, req_shrink and req_mark_slices:
   adjacent in the mailbox, so one M writes the four (little-endian, as
   every target). */
_Static_assert(offsetof(struct everypc_rig, req_gc_after_preempt) ==
		       offsetof(struct everypc_rig, req_preempt) + 4 &&
		   offsetof(struct everypc_rig, req_shrink) ==
		       offsetof(struct everypc_rig, req_preempt) + 8 &&
		   offsetof(struct everypc_rig, req_mark_slices) ==
		       offsetof(struct everypc_rig, req_preempt) + 12,
	       "the preemption requests are four adjacent u32");

static int request_preempt(struct worker *w, const struct action_def *d)
{
	uint8_t b[16];
	rsp_le_store(b, 4, 1);
	rsp_le_store(b + 4, 4, d->req_gc);
	rsp_le_store(b + 8, 4, d->req_shrink);
	rsp_le_store(b + 12, 4, d->req_mark);
	return ev_session_write(&w->s, w->t->sym_rig + MAILBOX(req_preempt), b,
				sizeof b);
}

/* Steps 3-5 of the protocol for a SIGURG action, at the hit-th stop at
   the PC: request, deliver, the verdict (oracle 1), then as accepted or
   rejected. */
static void deliver_sigurg(struct worker *w, const struct ev_case *c,
			   const struct action_def *d, struct verdictbox *v)
{
	struct snapshot sn;
	struct rsp_stop st;
	uint64_t pc;
	const struct elfmeta_unsafe *u =
	    elfmeta_unsafe_at(w->t->m, c->insn->pc);
	char detail[1024];
	enum stopkind k;
	uint64_t stop_states = 0;

	if (take_snapshot(w, c, &sn) < 0 || request_preempt(w, d) < 0 ||
	    ev_session_break(&w->s, w->t->async_preempt) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		w->run.up = 0;
		return;
	}
	if ((d->oracles & OR_LIVENESS) && !u &&
	    reach_states(w, c, &sn, &stop_states, v) < 0) { /* STA-2 */
		w->run.up = 0;
		return;
	}
	k = worker_resume(w, RSP_GDB_SIGURG, &pc, &st);
	if (k == ST_BREAK && pc == w->t->async_preempt)
		v->verdict = EV_ACCEPTED;
	else if (k == ST_BREAK && pc == c->insn->pc)
		v->verdict = EV_REJECTED;
	else {
		worker_unexpected(w, v, k, pc, &st, "asyncPreempt or the PC");
		return;
	}
	if (v->verdict == EV_ACCEPTED)
		w->run.states |= stop_states;
	if ((d->oracles & OR_VERDICT) &&
	    !ev_check_verdict(v->verdict,
			      u ? elfmeta_unsafe_kind_name(u->kind) : NULL,
			      detail, sizeof detail)) {
		/* The first failure is the case's outcome; the guest is in
		   doubt from here on and will be replaced (SWP-2). */
		failf(v, "verdict", "%s", detail);
		return;
	}
	if (v->verdict == EV_REJECTED) {
		ev_session_unbreak(&w->s, w->t->async_preempt);
		if (d->oracles & OR_REGS)
			judge_regs(w, &sn, v, "rejected");
	} else {
		act_accepted(w, c, d, &sn, v);
	}
	if (w->run.up)
		worker_mailbox(w, MAILBOX(req_preempt), 0);
	if (w->run.up && d->req_mark) /* left set when rejected */
		worker_mailbox(w, MAILBOX(req_mark_slices), 0);
}

static void run_case_states(struct worker *w, const struct ev_case *c,
			    struct verdictbox *v);

void run_case(struct worker *w, const struct ev_case *c, struct verdictbox *v)
{
	w->run.states = 0;
	run_case_states(w, c, v);
	v->states = w->run.states; /* STA-2, STA-3: what it created */
}

static void run_case_states(struct worker *w, const struct ev_case *c,
			    struct verdictbox *v)
{
	const struct action_def *d = action_def(c->action);
	int reached;

	memset(v, 0, sizeof *v);
	v->verdict = EV_NOVERDICT;
	w->run.passed_signals[0] = 0;
	if (ev_checkmeta_pc(c->t, c->insn->pc, v->detail, sizeof v->detail)) {
		v->failed = 1; /* CM-2: judged before anything runs */
		snprintf(v->check, sizeof v->check, "metadata");
		return;
	}
	if (hits_unreached(w, c)) { /* HIT-2: known without a run */
		v->verdict = EV_UNREACHED;
		return;
	}
	reached = worker_run_to_pc(w, c, v);
	if (reached < 0)
		return;
	if (reached == 0) {
		v->verdict = EV_UNREACHED;
		hits_seen_unreached(w, c); /* HIT-4 */
		worker_finish_iteration(w, v, 1, 1);
		return;
	}
	if (worker_judge_copies(w, 1) < 0) { /* SCP-1: from the stop on */
		failf(v, "protocol", "%s", w->s.err);
		w->run.up = 0;
		return;
	}
	if (c->clobber && clobber_dead(w, c, v) < 0)
		return;
	d->deliver(w, c, d, v);
	if (v->failed)
		return; /* the guest is replaced before the next case */
	if (w->run.up && ev_session_unbreak(&w->s, c->insn->pc) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		w->run.up = 0;
	}
	if (w->run.up)
		worker_finish_iteration(w, v, 0,
					(d->oracles & OR_OUTCOME) != 0);
}
