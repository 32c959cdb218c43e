/*
 * observe.h -- what the rig reads of a stopped guest, as plain structs
 * that the oracles (oracle.h) judge: the snapshot taken at the case's PC
 * before the action, and the goroutines the freeze oracle compares; and
 * the judging itself: read what a check needs now, hand both to the pure
 * check, record its failure in the verdict box.
 */
#ifndef EVERYPC_SWEEP_OBSERVE_H
#define EVERYPC_SWEEP_OBSERVE_H

#include "worker.h"

#define SNAP_MAXLOCS 128

struct snapshot {
	uint64_t pc;
	struct ev_regs regs;
	uint64_t g;
	struct ev_stack stack;
	struct ev_liveloc locs[SNAP_MAXLOCS]; /* the oracle map's live words */
	char names[SNAP_MAXLOCS][16];
	int reg[SNAP_MAXLOCS]; /* each location's GDB register, or -1 */
	size_t nlocs;
	uint64_t img_base; /* the stack imaged from SP up (reach.c) */
	size_t img_len;
};

/* At the case's PC: registers, the goroutine and its stack bounds, and
   every location the oracle map says holds a live pointer. */
int take_snapshot(struct worker *w, const struct ev_case *c,
		  struct snapshot *sn);

/* reach.c: image the goroutine's stack [SP, hi) with the snapshot; then,
   after the action, oracles 2 (liveness as reachability from every
   frame's precise map through stack objects) and 2b (stackptr: no such
   word points into another stack) -- oracle.h, ev_check_reach. */
int reach_capture(struct worker *w, struct snapshot *sn);
/* A word of the image: 0, or -1 when addr is outside it. */
int reach_u64(const struct snapshot *sn, uint64_t addr, uint64_t *v);
void judge_reach(struct worker *w, const struct ev_case *c,
		 const struct snapshot *sn, struct verdictbox *v);
/* The stop states (states.h, STA-2) of the snapshot's goroutine, from the
   same roots and frames, into *states: 0, or -1 with the failure in v. */
int reach_states(struct worker *w, const struct ev_case *c,
		 const struct snapshot *sn, uint64_t *states,
		 struct verdictbox *v);

/* clobber.c: at the case's stop, before the action, overwrite every dead
   register and frame word of the goroutine (CLB-1..3). 0, or -1 with the
   failure in v (the guest is in doubt). */
int clobber_dead(struct worker *w, const struct ev_case *c,
		 struct verdictbox *v);
/* Every live user goroutine but `skip` and the debugger's call goroutines. */
int read_goroutines(struct worker *w, uint64_t skip, struct ev_gstate *gs,
		    int max, int *n);

/* Oracle 3: every compared register as in the snapshot. */
void judge_regs(struct worker *w, const struct snapshot *sn,
		struct verdictbox *v, const char *when);
/* Oracle 2 (judge_reach: liveness as reachability, and stackptr) and
   oracle 4's first half
   (the stack did not move while the goroutine held a conservative frame),
   each when its bit (action.h: OR_LIVENESS, OR_STACK) is in oracles. */
void judge_liveness_and_stack(struct worker *w, const struct ev_case *c,
			      const struct snapshot *sn, unsigned oracles,
			      struct verdictbox *v);
/* SCP-3's walk of goroutine g (its struct as read, stopped synchronously:
   sched describes its innermost frame, RT-5) from its saved context
   outwards: visit gets every word a call-site map (META-3) or the
   outermost frame's argument map says holds a live pointer, with the
   frame ("main.f+40") and the slot ("sp+16"); stack objects are left out.
   1 when walked (or visit returned 1 for every word), 0 when visit
   returned 0 or the walk failed (detail), -1 on a read error (detail). */
int stackwalk_precise(struct worker *w, const unsigned char *g,
		      int (*visit)(void *arg, uint64_t v, const char *frame,
				   const char *slot),
		      void *arg, char *detail, size_t dlen);
/* Oracle 7 ("tricolour"), stopped at everypc_hook_mark_slice (RIG-9): the
   weak tri-colour invariant of the marking cycle, read from guest memory.
   Fails v when it is broken; -1 on a protocol failure (v failed too). */
int judge_colours(struct worker *w, struct verdictbox *v);
/* The stack is where the snapshot saw it; what names the rule broken. */
void judge_stack_same(struct worker *w, const struct snapshot *sn,
		      struct verdictbox *v, const char *what);

#endif
