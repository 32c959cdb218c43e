/*
 * worker.h -- one QEMU session on one target, and the steps of the per-case
 * protocol that do not depend on the action (sweep.h has the protocol):
 *   1-2. run_to_pc: from iter_start to the PC's hit-th execution;
 *   6.   finish_iteration: to iter_end, the outcome against the baseline.
 * Between them the action table (action.h) delivers the case's action.
 *
 * The worker keeps three kinds of state apart: where the guest stands
 * (struct stopstate), the uninterrupted iteration it is compared with
 * (struct baseline), and the injected call whose answer is known (struct
 * known_answer).
 */
#ifndef EVERYPC_SWEEP_WORKER_H
#define EVERYPC_SWEEP_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "everypc/rig_abi.h"
#include "oracle.h"
#include "session.h"
#include "sweep.h"

#define MAILBOX(field) offsetof(struct everypc_rig, field)

struct stopstate {    /* where the guest stands between requests */
	int up;	      /* the QEMU is usable (SWP-2: else replaced) */
	int at_start; /* stopped at iter_start, a case may begin */
	int stopped;  /* stopped at stop_pc (by a breakpoint or step) */
	uint64_t stop_pc;
	uint64_t cur_g;		 /* the goroutine under test, for backtraces */
	char passed_signals[64]; /* guest signals passed on, for details */
	uint64_t out_bytes;	 /* the last iteration's, from its report */
	/* ST_ORACLE: the failure an oracle judged on the way (stackcopy.c) */
	char fail_check[64];
	char fail_detail[1024];
	int judging_copies; /* the stack-copy hook's breakpoint is set */
	/* the case's event states so far (states.h, STA-3), and whether the
	   last stack copy judged grew the stack */
	uint64_t states;
	int copy_grew;
	int persistent; /* launched in persistent mode (RIG-5) */
	/* BRK-1: a hook's breakpoint lifted to continue from it without a
	   step, armed again at the next stop (0: none) */
	uint64_t lifted;
	struct ev_stack g0; /* BRK-2: g0's stack, read at launch */
};

struct baseline { /* one iteration with no action: oracle 6's reference */
	int have;
	int mismatch;	 /* it failed REF-2: its cases fail as `baseline` */
	char oracle[64]; /* an oracle failed in it (ST_ORACLE, e.g. a stack
			    copy of the program's own): its cases fail so */
	struct ev_outcome out;
	uint64_t bytes; /* how many it wrote (RIG-6) */
};

struct known_answer { /* the call whose expected answer is known (SWP-4) */
	const struct ev_inject *inj;
	struct dc_result answer;
};

struct hitcounts { /* HIT-1: executions of each instruction of f */
	const struct ev_target *t;
	const struct elfmeta_func *f;
	int known;
	const struct ev_target *seen_t;	   /* HIT-4: the function of the last */
	const struct elfmeta_func *seen_f; /* case run and found unreached */
	size_t first, n;		   /* f's instructions in t->insns */
	uint32_t *count;		   /* up to the largest hit asked for */
};

struct worker {
	struct ev_session s;
	struct ev_target *t;
	const struct ev_sweep_opts *o;
	struct everypc_layout L;
	struct ev_regcmp cmp[EV_MAXREGS]; /* the register oracle's set */
	int ncmp;
	struct stopstate run;
	struct baseline base;
	struct known_answer ans;
	struct hitcounts hits;
};

/* ST_ORACLE: an oracle judged at a stop on the way failed (run.fail_*). */
enum stopkind { ST_BREAK, ST_EXIT, ST_ERROR, ST_ORACLE };

/* Start QEMU and run to the first iter_start (persistent or not). */
int worker_launch(struct worker *w, int persistent, char *err, size_t errlen);
void worker_down(struct worker *w);
/* The baseline: one whole iteration with no action, from iter_start. */
const char *worker_baseline_check(const struct worker *w); /* as what its
	cases fail: "baseline", an oracle's name, or "setup" */
int worker_baseline(struct worker *w, char *err, size_t errlen);

/* Resume (with guest signal sig, or 0) until a breakpoint-like stop or the
   end; the guest's own signals are passed on and remembered, and every
   stack copy on the way is judged (SCP-1). */
enum stopkind worker_resume(struct worker *w, unsigned sig, uint64_t *pc,
			    struct rsp_stop *st);
int worker_has_break(const struct worker *w, uint64_t pc);
/* SCP-1: judge the stack copies from now on (on) or not; 0 or -1. */
int worker_judge_copies(struct worker *w, int on);
int worker_mailbox(struct worker *w, size_t off, uint32_t v);
int worker_read_g(struct worker *w, uint64_t *g);
int worker_read_stack(struct worker *w, uint64_t g, struct ev_stack *st);

/* From the previous iteration's end to everypc_hook_iter_start (its
   breakpoint armed first when BRK-2 took it away). */
enum stopkind worker_to_iter_start(struct worker *w, uint64_t *pc,
				   struct rsp_stop *st);
/* Steps 1-2: to the hit-th execution of the PC. 1 reached, 0 unreached,
   -1 failure (recorded in v). */
int worker_run_to_pc(struct worker *w, const struct ev_case *c,
		     struct verdictbox *v);
/* Step 6: to iter_end (unless at_end); with compare, the outcome must be
   the baseline's (oracle 6). */
void worker_finish_iteration(struct worker *w, struct verdictbox *v, int at_end,
			     int compare);

/* stackcopy.c: at everypc_hook_stack_copied, the moved goroutine's
   precise pointers (SCP-1..3): 1 pass, 0 failure, -1 protocol error (the
   oracle's name in run.fail_check, what failed in run.fail_detail). */
int stackcopy_judge(struct worker *w);

/* hits.c: executions per instruction, learnt once per function (HIT-1..4).
   hits_wanted: c's function has no counts yet and can have them;
   hits_learn: one iteration counting them (0, or -1 and the worker down);
   hits_unreached: c is known unreached; hits_seen_unreached: c was run
   and found unreached; hits_reset: forget them. */
void hits_seen_unreached(struct worker *w, const struct ev_case *c);
int hits_wanted(const struct worker *w, const struct ev_case *c);
int hits_learn(struct worker *w, const struct ev_case *c);
int hits_unreached(const struct worker *w, const struct ev_case *c);
void hits_reset(struct worker *w);

/* where.c: places and failures. "main.f+12 (line 3)", "rt_gc+40
   (runtime)" or "0x..."; with exact 0, the function only (a PC sampled at
   a random moment must not make journals differ: JRN-2). */
void worker_where_at(struct worker *w, uint64_t pc, int exact, char *buf,
		     size_t n);
void worker_where(struct worker *w, uint64_t pc, char *buf, size_t n);
/* Describe an unexpected stop (a throw, a crash, a hang with where the
   guest loops, a protocol error) as v's failure; the guest is in doubt. */
void worker_unexpected(struct worker *w, struct verdictbox *v, enum stopkind k,
		       uint64_t pc, const struct rsp_stop *st,
		       const char *waiting);

#endif
