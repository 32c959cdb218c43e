/*
 * action.h -- the action table: one entry per action (enum ev_action),
 * naming how it is delivered, the mailbox requests made before delivery,
 * and the oracles that judge it, in the spirit of QEMU gdbstub's command
 * table. Adding an action is one entry here plus its delivery function.
 *
 * Every action's case follows the same protocol (sweep.h): the worker runs
 * the guest to the case's PC (worker_run_to_pc), the entry's deliver()
 * acts and judges, the worker finishes the iteration and compares the
 * outcome (worker_finish_iteration).
 */
#ifndef EVERYPC_SWEEP_ACTION_H
#define EVERYPC_SWEEP_ACTION_H

#include "worker.h"

/* The oracles (README: "the oracles"), as the bits of action_def.oracles. */
enum {
	OR_VERDICT = 1 << 0,	 /* 1: accepted/rejected as the metadata says */
	OR_ASYNC_FRAME = 1 << 1, /* 1: parked with the interrupted pc and sp */
	OR_LIVENESS = 1 << 2,	 /* 2: live objects survive the action's GC */
	OR_STACK = 1 << 3,	 /* 4: the stack did not move */
	OR_DEFERRED_SHRINK = 1 << 4, /* 4: a deferred shrink happened later */
	OR_REGS = 1 << 5,	     /* 3: every register restored */
	OR_ANSWER = 1 << 6,  /* 5: refused where unsafe, else the answer */
	OR_FREEZE = 1 << 7,  /* 5: no other goroutine advanced */
	OR_OUTCOME = 1 << 8, /* 6: the iteration's outcome is the baseline's */
	OR_TRICOLOUR = 1 << 9, /* 7: the weak tri-colour invariant (RIG-9) */
};

enum delivery {
	BY_SIGURG, /* SIGURG through the gdbstub, preemption requested */
	BY_CALL,   /* a call injected through runtime.debugCallV2 */
};

struct action_def {
	int action; /* enum ev_action (the table's index) */
	enum delivery how;
	/* mailbox requests before a SIGURG delivery (rig_abi.h) */
	uint32_t req_gc;     /* req_gc_after_preempt: collect while parked */
	uint32_t req_shrink; /* req_shrink: that GC wants to shrink stacks */
	/* req_mark_slices (RIG-8): a cycle starts at the park (for a call: as
	   the call parks the interrupted goroutine) and runs this many slices;
	   liveness is judged at its termination */
	uint32_t req_mark;
	unsigned oracles; /* OR_* */
	void (*deliver)(struct worker *w, const struct ev_case *c,
			const struct action_def *d, struct verdictbox *v);
};

const struct action_def *action_def(int action);
/* The action injects a call (its cases carry an ev_inject). */
int action_injects(int action);

/* One case, start to end, on a worker that is up (SWP-2: a failed case
   leaves run.up clear or is followed by worker_down). */
void run_case(struct worker *w, const struct ev_case *c, struct verdictbox *v);

/* inject.c: the BY_CALL delivery, and the expected answer (SWP-4). */
void deliver_call(struct worker *w, const struct ev_case *c,
		  const struct action_def *d, struct verdictbox *v);
int inject_answer(struct worker *w, const struct ev_inject *inj, char *err,
		  size_t errlen);
int answer_in(struct ev_target *t, const struct ev_inject *inj,
	      const struct ev_sweep_opts *o, struct dc_result *res, char *err,
	      size_t errlen);

#endif
