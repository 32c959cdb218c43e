/*
 * worker.c -- a QEMU session on one target and the action-independent
 * steps of the per-case protocol (worker.h).
 */
#include "worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int worker_mailbox(struct worker *w, size_t off, uint32_t v)
{
	return ev_session_write_u32(&w->s, w->t->sym_rig + off, v);
}

int worker_has_break(const struct worker *w, uint64_t pc)
{
	int i;
	for (i = 0; i < w->s.nbreaks; i++)
		if (w->s.breaks[i] == pc)
			return 1;
	return 0;
}

/* QEMU stops again at once when continued from a breakpoint's PC, so a
   plain continue from one first steps past it (as GDB does); a continue
   with a signal does not (the handler runs, and returning to the PC stops
   there again, which is what the verdict oracle observes).

   BRK-1: a step is a stop, and QEMU 7.2 throws away its translated code at
   every stop (README, "Where a case's time goes"), so the two iteration
   hooks are not stepped past: the one the guest stands at is lifted (z0)
   and armed again (Z0) at the very next stop. The guest cannot come back
   to it unseen, since the runtime calls the other hook, whose breakpoint
   is set, in between (iter_start, the iteration, iter_end, the reset:
   proc.c), or ends. The guest executes exactly what a step and a continue
   would make it execute, so every verdict and journal record is the
   same. */
static int liftable(const struct worker *w, uint64_t pc)
{
	uint64_t other = pc == w->t->hook_start ? w->t->hook_end
			 : pc == w->t->hook_end ? w->t->hook_start
						: 0;
	return other && worker_has_break(w, other);
}

enum stopkind worker_resume(struct worker *w, unsigned sig, uint64_t *pc,
			    struct rsp_stop *st)
{
	struct stopstate *r = &w->run;
	/* BRK-1's promise with BRK-2: the guest never leaves iter_end for
	   the next iteration unseen. A path that resumes from iter_end
	   without making the hook's return itself gets the stop at
	   iter_start, as before BRK-2. */
	if (r->stopped && r->stop_pc == w->t->hook_end &&
	    !worker_has_break(w, w->t->hook_start) &&
	    ev_session_break(&w->s, w->t->hook_start) < 0)
		return ST_ERROR;
	for (;;) {
		int stepping =
		    !sig && r->stopped && worker_has_break(w, r->stop_pc);
		int rc;
		if (stepping && liftable(w, r->stop_pc)) {
			if (ev_session_unbreak(&w->s, r->stop_pc) < 0)
				return ST_ERROR;
			r->lifted = r->stop_pc;
			stepping = 0;
		}
		rc = stepping ? ev_session_step(&w->s, st)
			      : ev_session_cont(&w->s, sig, st);
		r->stopped = 0;
		sig = 0;
		if (rc < 0)
			return ST_ERROR;
		if (st->kind == RSP_STOP_EXITED ||
		    st->kind == RSP_STOP_TERMINATED) {
			r->lifted = 0;
			return ST_EXIT;
		}
		if (r->lifted && ev_session_break(&w->s, r->lifted) < 0)
			return ST_ERROR;
		r->lifted = 0;
		if (ev_session_stop_pc(&w->s, st, pc) < 0)
			return ST_ERROR;
		r->stopped = 1;
		r->stop_pc = *pc;
		if (st->code == RSP_GDB_SIGTRAP) {
			if (stepping && !worker_has_break(w, *pc))
				continue; /* past the breakpoint: now continue
					   */
			if (*pc != w->t->hook_stack_copied)
				return ST_BREAK;
			switch (stackcopy_judge(w)) {
			case 1:
				continue; /* SCP-1: judged, on we go */
			case 0:
				return ST_ORACLE;
			default:
				snprintf(w->s.err, sizeof w->s.err, "%.400s",
					 r->fail_detail);
				return ST_ERROR;
			}
		}
		sig = st->code;
		snprintf(r->passed_signals + strlen(r->passed_signals),
			 sizeof r->passed_signals - strlen(r->passed_signals),
			 " sig%u@0x%llx", sig, (unsigned long long)*pc);
	}
}

int worker_judge_copies(struct worker *w, int on)
{
	if (!on == !w->run.judging_copies)
		return 0;
	w->run.judging_copies = on;
	return on ? ev_session_break(&w->s, w->t->hook_stack_copied)
		  : ev_session_unbreak(&w->s, w->t->hook_stack_copied);
}

int worker_read_g(struct worker *w, uint64_t *g)
{
	return ev_session_read_u64(&w->s, w->L.curg_addr, g);
}

int worker_read_stack(struct worker *w, uint64_t g, struct ev_stack *st)
{
	return ev_session_read_u64(&w->s, g + w->L.off_stack_lo, &st->lo) < 0 ||
		       ev_session_read_u64(&w->s, g + w->L.off_stack_hi,
					   &st->hi) < 0
		   ? -1
		   : 0;
}

static int read_layout(struct worker *w)
{
	char err[256];
	if (ev_session_read(&w->s, w->t->sym_layout, &w->L, sizeof w->L) < 0)
		return -1;
	if (ev_layout_check(&w->L, err, sizeof err) < 0) {
		snprintf(w->s.err, sizeof w->s.err, "%s", err);
		return -1;
	}
	return 0;
}

/* The register oracle's set: the arch's compared registers that this
   QEMU's target description has. */
static void compare_set(struct worker *w)
{
	size_t i;
	w->ncmp = 0;
	for (i = 0; i < w->t->rr->ncompare; i++) {
		const struct tdesc_reg *r =
		    tdesc_find(&w->s.td, w->t->rr->compare[i]);
		if (r && r->regnum < EV_MAXREGS) {
			w->cmp[w->ncmp].num = (int)r->regnum;
			w->cmp[w->ncmp].name =
			    ev_session_regname(&w->s, (int)r->regnum);
			w->ncmp++;
		}
	}
}

void worker_down(struct worker *w)
{
	w->run.stopped = 0;
	w->run.judging_copies = 0;
	w->run.lifted = 0;
	if (w->s.c || w->s.launched)
		ev_session_close(&w->s);
	w->run.up = 0;
}

int worker_launch(struct worker *w, int persistent, char *err, size_t errlen)
{
	static const char *const envp[] = {"EVERYPC_DEBUG=", NULL};
	struct ev_session_opts so = {0};
	struct rsp_stop st;
	uint64_t pc;

	so.qemu = w->t->qemu;
	so.elf = w->t->elf;
	so.envp = envp;
	so.stdout_fd = so.stderr_fd = -1;
	so.timeout_ms = 5000;
	so.resume_timeout_ms = 1000 * (w->o->timeout_s ? w->o->timeout_s : 20);
	so.trace = w->o->trace;
	if (ev_session_start(&w->s, w->t->rr, &so) < 0)
		goto fail;
	compare_set(w);
	if (worker_mailbox(w, MAILBOX(req_persistent), (uint32_t)persistent) <
		0 ||
	    worker_mailbox(w, MAILBOX(req_quiet), 1) < 0 ||
	    ev_session_break(&w->s, w->t->hook_start) < 0 ||
	    ev_session_break(&w->s, w->t->hook_end) < 0 ||
	    ev_session_break(&w->s, w->t->hook_throw) < 0)
		goto fail;
	w->run.persistent = persistent;
	w->run.passed_signals[0] = 0;
	if (worker_resume(w, 0, &pc, &st) != ST_BREAK ||
	    pc != w->t->hook_start) {
		snprintf(w->s.err, sizeof w->s.err,
			 "the guest did not reach everypc_hook_iter_start");
		goto fail;
	}
	if (read_layout(w) < 0 ||
	    worker_read_stack(w, w->L.g0_addr, &w->run.g0) < 0) /* BRK-2 */
		goto fail;
	w->run.up = 1;
	w->run.at_start = 1;
	return 0;
fail:
	snprintf(err, errlen, "%s (%s): %s", w->t->name,
		 ev_arch_name(w->t->arch), w->s.err);
	worker_down(w);
	return -1;
}

/* At iter_end: read the iteration's report. */
static int read_report(struct worker *w, struct ev_outcome *out)
{
	struct everypc_rig rig;
	if (ev_session_read(&w->s, w->t->sym_rig, &rig, sizeof rig) < 0)
		return -1;
	out->hash = rig.rep_outcome;
	out->exit_status = rig.rep_exit_status;
	out->heap = rig.rep_heap_check;
	w->run.out_bytes = rig.rep_output_bytes;
	return 0;
}

/* REF-3: what a plain run of the ELF prints, against the reference (the
   iteration's own output is only hashed). The same words whether the
   baseline ran in persistent mode or not, so a replay matches its
   sweep. */
static void explain_mismatch(struct worker *w, char *out, size_t n)
{
	static char *const envp[] = {"EVERYPC_DEBUG=", NULL};
	char *argv[] = {(char *)w->t->qemu, w->t->elf, NULL};
	const struct ev_reference *r = &w->t->ref;
	char *text, why[300];
	size_t len;
	int timeout = w->o->timeout_s ? w->o->timeout_s : 20;

	if (ev_capture_stderr(argv, NULL, envp, timeout, &text, &len, why,
			      sizeof why) < 0) {
		snprintf(out, n, "; a plain run to show the output failed: %s",
			 why);
		return;
	}
	if (len == r->len && !memcmp(text, r->text, len)) {
		snprintf(out, n,
			 ", although a plain run of the ELF prints it exactly: "
			 "only the persistent iteration differs");
	} else {
		ev_reference_diff(r, text, len, "a plain run of the ELF", why,
				  sizeof why);
		snprintf(out, n, ": %s", why);
	}
	free(text);
}

/* REF-2: the baseline iteration printed the reference. 0, or -1 with
   err. */
static int check_reference(struct worker *w, char *err, size_t errlen)
{
	const struct ev_reference *r = &w->t->ref;
	char why[600];

	if (!r->loaded && ev_reference_load(&w->t->ref, w->t->workload,
					    GO_RUN_TIMEOUT_S, err, errlen) < 0)
		return -1;
	if (w->base.out.hash == r->hash && w->base.bytes == r->len)
		return 0;
	explain_mismatch(w, why, sizeof why);
	snprintf(err, errlen,
		 "%s (%s): the baseline iteration did not print %s%s",
		 w->t->name, ev_arch_name(w->t->arch), r->origin, why);
	return -1;
}

const char *worker_baseline_check(const struct worker *w)
{
	return w->base.mismatch	 ? "baseline"
	       : *w->base.oracle ? w->base.oracle
				 : "setup";
}

int worker_baseline(struct worker *w, char *err, size_t errlen)
{
	struct rsp_stop st;
	uint64_t pc;
	enum stopkind k = worker_judge_copies(w, 1) < 0 /* SCP-1 */
			      ? ST_ERROR
			      : worker_resume(w, 0, &pc, &st);

	w->run.at_start = 0;
	w->base.oracle[0] = 0;
	if (k == ST_ORACLE)
		snprintf(w->base.oracle, sizeof w->base.oracle, "%s",
			 w->run.fail_check);
	if (k != ST_BREAK || pc != w->t->hook_end) {
		/* described as a case's failure is: a hang names where the
		   guest loops, a throw its message and backtrace */
		struct verdictbox v = {0};
		worker_unexpected(w, &v, k, pc, &st,
				  "the end of the baseline iteration");
		snprintf(err, errlen,
			 "%s (%s): the baseline iteration failed: %s: %.700s",
			 w->t->name, ev_arch_name(w->t->arch), v.check,
			 v.detail);
		worker_down(w);
		return -1;
	}
	w->base.mismatch = 0;
	if (read_report(w, &w->base.out) < 0) {
		snprintf(err, errlen, "%s", w->s.err);
		worker_down(w);
		return -1;
	}
	w->base.bytes = w->run.out_bytes;
	if (check_reference(w, err, errlen) < 0) {
		w->base.mismatch = 1;
		worker_down(w);
		return -1;
	}
	w->base.have = 1;
	return 0;
}

enum stopkind worker_to_iter_start(struct worker *w, uint64_t *pc,
				   struct rsp_stop *st)
{
	if (!worker_has_break(w, w->t->hook_start) &&
	    ev_session_break(&w->s, w->t->hook_start) < 0)
		return ST_ERROR;
	return worker_resume(w, 0, pc, st);
}

/* BRK-2: from everypc_hook_iter_end straight into the next iteration,
   without the stop at everypc_hook_iter_start (a stop costs QEMU a
   retranslation of everything the guest runs next: BRK-1). Between the two
   hooks only the runtime's own code runs, on g0 (proc.c: the reset); no
   managed function, so no case's PC: a case's hits are all the next
   iteration's. worker_run_to_pc checks it at the first hit: the guest is
   not on g0's stack.
   The guest stands at the entry of the iter_end hook, whose breakpoint
   stays armed for the next iteration's end: its return is made here, as
   the call's return would make it (PC = the return address, from the link
   register or popped from the stack), and the hook's body, one store to a
   variable nothing reads (rig.c's hook_sink), is not run. iter_start's
   breakpoint is taken away until a path that wants the stop
   (worker_to_iter_start) arms it again. */
struct hook_return {
	int pc, sp;
	uint64_t to, new_sp;
};

static int set_return(void *ctx, struct ev_regs *r)
{
	const struct hook_return *h = ctx;
	r->v[h->pc] = h->to;
	r->v[h->sp] = h->new_sp;
	return 1;
}

static int leave_iter_end(struct worker *w)
{
	const struct rig_regs *rr = w->t->rr;
	struct hook_return h = {w->s.pc_num, w->s.sp_num, 0, 0};
	struct ev_regs regs;

	if ((worker_has_break(w, w->t->hook_start) &&
	     ev_session_unbreak(&w->s, w->t->hook_start) < 0) ||
	    ev_session_regs(&w->s, &regs) < 0)
		return -1;
	h.new_sp = regs.v[h.sp];
	if (rr->lr) {
		const struct tdesc_reg *lr = tdesc_find(&w->s.td, rr->lr);
		if (!lr || lr->regnum >= EV_MAXREGS || !regs.have[lr->regnum]) {
			snprintf(w->s.err, sizeof w->s.err,
				 "BRK-2: no register %s to return from "
				 "everypc_hook_iter_end",
				 rr->lr);
			return -1;
		}
		h.to = regs.v[lr->regnum];
	} else {
		if (ev_session_read_u64(&w->s, h.new_sp, &h.to) < 0)
			return -1;
		h.new_sp += 8;
	}
	if (ev_session_edit_regs(&w->s, &regs, set_return, &h) < 0)
		return -1;
	w->run.stop_pc = h.to;
	return 0;
}

/* BRK-2's check at the first hit: the guest runs on a goroutine's stack,
   not on g0's, where the reset between iterations runs (its bounds read
   once at launch; the stop's registers are known: no request). */
static int off_g0(struct worker *w, struct verdictbox *v)
{
	struct ev_regs regs;
	uint64_t sp;
	if (ev_session_regs(&w->s, &regs) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		w->run.up = 0;
		return 0;
	}
	sp = regs.v[w->s.sp_num];
	if (sp < w->run.g0.lo || sp >= w->run.g0.hi)
		return 1;
	failf(v, "protocol",
	      "the PC was reached on g0's stack (sp 0x%llx), between two "
	      "iterations (BRK-2 assumes no managed code runs there)",
	      (unsigned long long)sp);
	return 0;
}

int worker_run_to_pc(struct worker *w, const struct ev_case *c,
		     struct verdictbox *v)
{
	struct rsp_stop st;
	uint64_t pc;
	int hits = 0, skipped = 0;
	enum stopkind k;

	if (!w->run.at_start && w->run.persistent && w->run.stopped &&
	    w->run.stop_pc == w->t->hook_end) { /* BRK-2 */
		if (leave_iter_end(w) < 0) {
			failf(v, "protocol", "%s", w->s.err);
			w->run.up = 0;
			return -1;
		}
		skipped = 1;
	} else if (!w->run.at_start) { /* at the previous iteration's end */
		k = worker_to_iter_start(w, &pc, &st);
		if (k != ST_BREAK || pc != w->t->hook_start) {
			worker_unexpected(w, v, k, pc, &st,
					  "everypc_hook_iter_start");
			return -1;
		}
	}
	w->run.at_start = 0;
	/* SCP-1: the iteration up to the stop is the baseline's */
	if (worker_judge_copies(w, 0) < 0 ||
	    ev_session_break(&w->s, c->insn->pc) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		w->run.up = 0;
		return -1;
	}
	for (;;) {
		k = worker_resume(w, 0, &pc, &st);
		if (k == ST_BREAK && pc == c->insn->pc) {
			if (skipped && !hits && !off_g0(w, v))
				return -1;
			if (++hits == c->hit)
				return 1;
			continue; /* worker_resume() steps past it */
		}
		if (k == ST_BREAK && pc == w->t->hook_end) {
			ev_session_unbreak(&w->s, c->insn->pc);
			return 0;
		}
		worker_unexpected(w, v, k, pc, &st, "the PC");
		return -1;
	}
}

void worker_finish_iteration(struct worker *w, struct verdictbox *v, int at_end,
			     int compare)
{
	struct rsp_stop st;
	uint64_t pc;
	struct ev_outcome got;
	char d[1024];

	if (!at_end) {
		enum stopkind k = worker_resume(w, 0, &pc, &st);
		if (k != ST_BREAK || pc != w->t->hook_end) {
			worker_unexpected(w, v, k, pc, &st,
					  "the end of the iteration");
			return;
		}
	}
	if (read_report(w, &got) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		w->run.up = 0;
		return;
	}
	if (compare && !ev_check_outcome(got, w->base.out,
					 w->run.passed_signals, d, sizeof d))
		failf(v, "outcome", "%s", d);
}
