/*
 * inject.c -- the BY_CALL delivery (action.h): a call injected through
 * runtime.debugCallV2 at the case's PC (protocol: rig/debugcall.h), judged
 * by oracle 5, and the expected answer it is judged against (SWP-4).
 */
#include <stdio.h>
#include <string.h>

#include "action.h"
#include "everypc/debugcall.h"
#include "observe.h"
#include "states.h"

struct inject_ctx {
	struct worker *w;
	const struct ev_case *c;
	const struct snapshot *sn;
	struct verdictbox *v;
	int gc_checked;
};

/* Stops during the call that are ours: the end of the GC the injected
   function runs (liveness of the interrupted frame, stack not moved). */
static int inject_other_stop(void *arg, uint64_t pc, unsigned sig)
{
	struct inject_ctx *x = arg;
	struct worker *w = x->w;
	struct rsp_stop st;

	if (sig == RSP_GDB_SIGTRAP && pc == w->t->hook_stack_copied) {
		/* SCP-1, during the call: judged, then stepped past */
		if (stackcopy_judge(w) != 1)
			failf(x->v, w->run.fail_check, "%s",
			      w->run.fail_detail);
		else if (w->run.copy_grew)
			w->run.states |= 1ull << EV_ST_INJECT_GROWS;
		return ev_session_unbreak(&w->s, pc) == 0 &&
		       ev_session_step(&w->s, &st) == 0 &&
		       ev_session_break(&w->s, pc) == 0;
	}
	if (sig == RSP_GDB_SIGTRAP && pc == w->t->hook_mark_slice) {
		/* RIG-9, during the call: judged, then stepped past */
		if (judge_colours(w, x->v) < 0)
			return 0;
		return ev_session_unbreak(&w->s, pc) == 0 &&
		       ev_session_step(&w->s, &st) == 0 &&
		       ev_session_break(&w->s, pc) == 0;
	}
	if (sig != RSP_GDB_SIGTRAP || pc != x->w->t->hook_gc_done)
		return 0;
	if (!x->gc_checked)
		judge_liveness_and_stack(
		    x->w, x->c, x->sn, action_def(x->c->action)->oracles, x->v);
	x->gc_checked = 1;
	ev_session_unbreak(&x->w->s, pc); /* one check is enough */
	ev_session_unbreak(&x->w->s, w->t->hook_mark_slice); /* cycle over */
	x->w->run.stopped = 0;
	return 1;
}

/* RIG-8: the cycle the call started outlived it; on to its termination
   (the goroutine runs on from the PC), liveness judged there, the colours
   at every everypc_hook_mark_slice on the way (RIG-9). */
static void judge_mark_after_call(struct worker *w, const struct ev_case *c,
				  const struct snapshot *sn,
				  struct verdictbox *v)
{
	struct rsp_stop st;
	uint64_t pc;
	enum stopkind k = worker_resume(w, 0, &pc, &st);

	while (k == ST_BREAK && pc == w->t->hook_mark_slice) {
		if (judge_colours(w, v) < 0 || v->failed)
			return;
		k = worker_resume(w, 0, &pc, &st);
	}
	ev_session_unbreak(&w->s, w->t->hook_gc_done);
	ev_session_unbreak(&w->s, w->t->hook_mark_slice);
	if (k != ST_BREAK || pc != w->t->hook_gc_done) {
		worker_unexpected(w, v, k, pc, &st,
				  "the marking cycle to terminate (RIG-8)");
		return;
	}
	judge_liveness_and_stack(w, c, sn, OR_LIVENESS, v);
}

static int do_inject(struct worker *w, const struct ev_inject *inj,
		     struct inject_ctx *x, struct dc_result *res)
{
	struct dc_rsp_ctx rc = {.c = w->s.c};
	struct dc_call call = {0};
	const struct elfmeta_symbol *entry =
	    elfmeta_symbol(w->t->m, EP_DEBUGCALL_ENTRY);
	int rcode;

	memset(res, 0, sizeof *res);
	if (!entry) {
		snprintf(res->msg, sizeof res->msg, "%s has no %s", w->t->elf,
			 EP_DEBUGCALL_ENTRY);
		res->outcome = DC_PROTOCOL_ERROR;
		return -1;
	}
	call.entry = entry->value;
	call.fn = inj->fn;
	call.nargs = inj->nargs;
	memcpy(call.args, inj->args, sizeof call.args);
	call.other_stop = inject_other_stop;
	call.other_arg = x;
	rcode = dc_inject(dc_arch_find(w->t->rr->arch), &dc_rsp_ops, &rc, &call,
			  res);
	w->run.stopped =
	    0; /* at the original PC, but not by a breakpoint stop */
	return rcode;
}

static struct ev_answer answer_of(const struct dc_result *r)
{
	struct ev_answer a = {r->outcome,
			      dc_outcome_name(r->outcome),
			      r->outcome == DC_REFUSED,
			      r->outcome == DC_RESULT,
			      r->value,
			      r->msg};
	return a;
}

/* After the call: registers restored, the interrupted stack unmoved, no
   other goroutine advanced. */
static void judge_after_call(struct worker *w, unsigned oracles,
			     const struct snapshot *sn,
			     const struct ev_gstate *before, int nb,
			     struct verdictbox *v)
{
	struct ev_gstate after[256];
	int na = 0;
	char d[1024];

	if (oracles & OR_REGS)
		judge_regs(w, sn, v, "after the injected call");
	if (oracles & OR_STACK)
		judge_stack_same(w, sn, v,
				 "the interrupted goroutine's stack moved "
				 "during the injected call");
	if (!(oracles & OR_FREEZE))
		return;
	if (read_goroutines(w, 0, after, 256, &na) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	if (!ev_check_freeze(before, (size_t)nb, after, (size_t)na, sn->g, d,
			     sizeof d))
		failf(v, "freeze", "%s", d);
	if (ev_states_woken(before, (size_t)nb, after, (size_t)na))
		w->run.states |= 1ull << EV_ST_INJECT_WAKES;
}

void deliver_call(struct worker *w, const struct ev_case *c,
		  const struct action_def *d, struct verdictbox *v)
{
	struct snapshot sn;
	struct ev_gstate before[256];
	int nb = 0;
	struct dc_result res;
	struct inject_ctx x = {w, c, &sn, v, 0};
	const struct elfmeta_unsafe *u =
	    elfmeta_unsafe_at(w->t->m, c->insn->pc);
	int gc_in_call = (d->oracles & OR_LIVENESS) && w->t->hook_gc_done;
	struct ev_answer got, want;
	char detail[1024];
	uint64_t stop_states = 0;

	if (take_snapshot(w, c, &sn) < 0 ||
	    read_goroutines(w, 0, before, 256, &nb) < 0 ||
	    (d->req_mark &&
	     worker_mailbox(w, MAILBOX(req_mark_slices), d->req_mark) < 0) ||
	    ev_session_unbreak(&w->s, c->insn->pc) < 0 ||
	    (gc_in_call && ev_session_break(&w->s, w->t->hook_gc_done) < 0) ||
	    ((d->oracles & OR_TRICOLOUR) &&
	     ev_session_break(&w->s, w->t->hook_mark_slice) < 0)) {
		failf(v, "protocol", "%s", w->s.err);
		w->run.up = 0;
		return;
	}
	if (gc_in_call && !u &&
	    reach_states(w, c, &sn, &stop_states, v) < 0) { /* STA-2 */
		w->run.up = 0;
		return;
	}
	if (do_inject(w, c->inj, &x, &res) < 0) {
		failf(v, "inject", "protocol: %s", res.msg);
		w->run.up = 0;
		return;
	}
	if (!d->req_mark || x.gc_checked || res.outcome == DC_REFUSED) {
		ev_session_unbreak(&w->s, w->t->hook_gc_done);
		ev_session_unbreak(&w->s, w->t->hook_mark_slice);
	}
	if (d->req_mark && res.outcome == DC_REFUSED &&
	    worker_mailbox(w, MAILBOX(req_mark_slices), 0) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		w->run.up = 0;
		return;
	}
	v->verdict = res.outcome == DC_REFUSED ? EV_REJECTED : EV_ACCEPTED;
	if (v->verdict == EV_ACCEPTED)
		w->run.states |= stop_states;
	got = answer_of(&res);
	want = answer_of(&w->ans.answer);
	if ((d->oracles & OR_ANSWER) &&
	    !ev_check_answer(
		c->inj->text, u ? elfmeta_unsafe_kind_name(u->kind) : NULL,
		EP_DC_REASON_UNSAFE, &got, &want, detail, sizeof detail))
		failf(v, "inject", "%s", detail);
	if (v->failed)
		return;
	judge_after_call(w, d->oracles, &sn, before, nb, v);
	if (!v->failed && d->req_mark && !x.gc_checked &&
	    v->verdict == EV_ACCEPTED)
		judge_mark_after_call(w, c, &sn, v);
}

/* The answer of the injected function, learnt from a call at the first
   safe PC of main.main in an iteration of its own (not from the suite). */
static int inject_baseline(struct worker *w, const struct ev_inject *inj,
			   char *err, size_t errlen)
{
	const struct elfmeta_symbol *mm = elfmeta_symbol(w->t->m, "main.main");
	const struct elfmeta_func *f =
	    mm ? elfmeta_func_at(w->t->m, mm->value) : NULL;
	struct rsp_stop st;
	uint64_t pc, at = 0;
	size_t first, n, i;
	enum stopkind k;
	struct verdictbox bv = {0};
	struct inject_ctx bx = {w, NULL, NULL, &bv, 1}; /* copies judged */

	if (!f) {
		snprintf(err, errlen, "%s: no main.main", w->t->elf);
		return -1;
	}
	ev_target_func_insns(w->t, f, &first, &n);
	for (i = first; i < first + n && !at; i++)
		if (!elfmeta_unsafe_at(w->t->m, w->t->insns[i].pc))
			at = w->t->insns[i].pc;
	if (!at || ev_session_break(&w->s, at) < 0 ||
	    (!w->run.at_start &&
	     (worker_to_iter_start(w, &pc, &st) != ST_BREAK ||
	      pc != w->t->hook_start)) ||
	    worker_resume(w, 0, &pc, &st) != ST_BREAK || pc != at) {
		snprintf(err, errlen,
			 "%s: cannot reach a safe PC of main.main for "
			 "the baseline call",
			 w->t->elf);
		return -1;
	}
	w->run.at_start = 0;
	ev_session_unbreak(&w->s, at);
	if (worker_judge_copies(w, 1) < 0) { /* SCP-1: the call's copies */
		snprintf(err, errlen, "%s", w->s.err);
		return -1;
	}
	if (do_inject(w, inj, &bx, &w->ans.answer) < 0 || bv.failed ||
	    w->ans.answer.outcome == DC_REFUSED) {
		if (bv.failed)
			snprintf(w->ans.answer.msg, sizeof w->ans.answer.msg,
				 "%.60s: %.180s", bv.check, bv.detail);
		snprintf(err, errlen, "baseline call %s at main.main: %s %s",
			 inj->text, dc_outcome_name(w->ans.answer.outcome),
			 w->ans.answer.msg);
		return -1;
	}
	k = worker_resume(w, 0, &pc, &st);
	if (k != ST_BREAK || pc != w->t->hook_end) {
		struct verdictbox v = {0};
		worker_unexpected(w, &v, k, pc, &st,
				  "the end of the iteration");
		snprintf(err, errlen, "baseline call %s at main.main: %.700s",
			 inj->text, v.detail);
		return -1;
	}
	w->ans.inj = inj;
	return 0;
}

int answer_in(struct ev_target *t, const struct ev_inject *inj,
	      const struct ev_sweep_opts *o, struct dc_result *res, char *err,
	      size_t errlen)
{
	struct worker w;
	int rc;

	memset(&w, 0, sizeof w);
	w.o = o;
	w.t = t;
	rc = worker_launch(&w, 1, err, errlen) < 0 ||
		     inject_baseline(&w, inj, err, errlen) < 0
		 ? -1
		 : 0;
	worker_down(&w);
	*res = w.ans.answer;
	return rc;
}

/* The expected answer of the injected call (SWP-4): from the correct
   runtime's build when the target is a mutant's, so a mutant that breaks
   every call (or every answer) is caught by each case rather than taken
   for the truth; from the target itself otherwise. */
int inject_answer(struct worker *w, const struct ev_inject *inj, char *err,
		  size_t errlen)
{
	struct ev_inject ri;

	if (!inj->ref)
		return inject_baseline(w, inj, err, errlen);
	ri = *inj;
	ri.fn = inj->ref_fn;
	ri.ref = NULL;
	if (answer_in(inj->ref, &ri, w->o, &w->ans.answer, err, errlen) < 0)
		return -1;
	w->ans.inj = inj;
	return 0;
}
