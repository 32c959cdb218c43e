/*
 * states.h -- the state catalogue (issue 13, item 1; docs/states.md): the
 * states a goroutine can be put in by a stop that a bug of the collector,
 * the stack copier or the debugger may mishandle, and which of them a case
 * created. A sweep that never created a state cannot have caught a bug
 * that needs it; the summary, journal and report say which states were
 * created and which never were, and --require-states fails a sweep that
 * missed a listed one.
 *
 * INVARIANTS (cited as "STA-n"):
 *
 * STA-1 A case's states are a bit set over its arch's catalogue: the fixed
 *       states (enum ev_state), then one "reg-only.<reg>" per allocatable
 *       register of the arch (regs.h: alloc, gosub's ABI-4 registers), in
 *       that table's order. Names, not bits, are what the journal holds.
 * STA-2 Stop states are judged at the case's stop after clobbering (CLB-2:
 *       no stale copy is left to count), from the precise maps only: the
 *       stopped instruction's oracle map, each caller's call-site map, and
 *       the pointer words of the stack objects reachable from them. They
 *       are computed for actions that scan the stack (OR_LIVENESS) at PCs
 *       outside unsafe ranges, and recorded only when the action was
 *       carried out (verdict accepted): a refused action scanned nothing.
 * STA-3 Event states are observed by the rig after the stop, during the
 *       case: a stack copy (everypc_hook_stack_copied), the deferred
 *       shrink's flag, the goroutine list before and after an injected call.
 * STA-4 Nothing in a state depends on the host: it is a function of the
 *       guest's registers and memory at fixed addresses (JRN-2).
 */
#ifndef EVERYPC_STATES_H
#define EVERYPC_STATES_H

#include <stddef.h>
#include <stdint.h>

#include "oracle.h"
#include "suite.h"

enum ev_state {
	/* stop states (STA-2) */
	EV_ST_INTERIOR_ONLY,	     /* a heap object held by interior
					pointers only */
	EV_ST_STACKOBJ_REG_ONLY,     /* a stack object held only by a
					register */
	EV_ST_STACKOBJ_CONSERVATIVE, /* a caller's stack object reachable only
					from the stopped frame */
	EV_ST_STACKOBJ_STACKPTR,     /* a stack object holds a pointer into
					the goroutine's stack */
	/* event states (STA-3) */
	EV_ST_GROW_STACKPTR,   /* the stack grew while a stack object held a
				  pointer into it */
	EV_ST_SHRINK_DEFERRED, /* a shrink was wanted while the goroutine was
				  stopped asynchronously */
	EV_ST_INJECT_GROWS,    /* an injected call grew its stack */
	EV_ST_INJECT_WAKES,    /* an injected call woke a goroutine */
	EV_NUM_STATES
};

#define EV_STATE_REG_PREFIX "reg-only."

/* Name of a fixed state. */
const char *ev_state_name(int s);
/* The catalogue of arch (enum ev_arch_id): its size (0 for an unknown
   arch), and entry i's name into buf ("interior-only", "reg-only.rbx"). */
size_t ev_states_ncat(int arch);
void ev_states_cat_name(int arch, size_t i, char *buf, size_t n);
/* Catalogue index of name for arch, or -1. */
int ev_states_lookup(int arch, const char *name);
/* Catalogue index of "reg-only.<GDB register gdbnum>", or -1 when that
   register is not allocatable. */
int ev_states_reg(int arch, int gdbnum);

/*
 * The stop states of a goroutine (STA-2). r: its precise roots and frames
 * (innermost first) and stack bounds, as ev_check_reach takes them;
 * roots[0, nstopped) are the stopped frame's (registers and frame words),
 * the rest its callers' call-site words; root_reg[i] is root i's GDB
 * register number, or -1 for a frame word. Sets the catalogue bits of the
 * states found in *states. Returns 0, or -1 when guest memory could not be
 * read (detail says where).
 */
struct ev_stop_view {
	int arch;
	const struct ev_reach *r;
	size_t nstopped;
	const int *root_reg;
};
int ev_stop_states(const struct everypc_layout *L, const struct ev_mem *m,
		   const struct ev_stop_view *sv, uint64_t *states,
		   char *detail, size_t dlen);

/*
 * Required states (--require-states FILE, a suite's "require_states"): one
 * requirement a line, '#' starts a comment: "STATE" (on every arch the
 * sweep ran), "ARCH STATE" (on that arch), "all" or "ARCH all" (every
 * state of the catalogue). A sweep that never created a required state
 * fails (STA-5 in docs/states.md).
 */
struct ev_states_req {
	uint64_t each[EV_NUM_ARCHES];  /* bare names: on each arch swept */
	uint64_t named[EV_NUM_ARCHES]; /* "ARCH STATE": that arch, swept or
					  not */
	int any;
};
/* One requirement (text without its newline) from where (file:line, for
   the message); 0, or -1 with "WHERE: field state: ..." in err. */
int ev_states_req_add(struct ev_states_req *q, const char *text,
		      const char *where, char *err, size_t errlen);
/* Every line of PATH; 0 or -1 with "PATH:LINE: ..." (or the read error). */
int ev_states_req_file(struct ev_states_req *q, const char *path, char *err,
		       size_t errlen);
/* What q requires on arch (swept: the sweep has cases there); q NULL:
   every state of arch's catalogue when swept. */
uint64_t ev_states_req_want(const struct ev_states_req *q, int arch, int swept);
/* The required states not in created[arch] (swept[arch]: the sweep has
   cases on arch), as "amd64 reg-only.r15, arm64 grow-stackptr" in buf;
   the number of them. */
size_t ev_states_req_missing(const struct ev_states_req *q,
			     const uint64_t *created, const int *swept,
			     char *buf, size_t n);

/* A goroutine went from waiting to runnable: the injected call woke it
   (EV_ST_INJECT_WAKES). */
int ev_states_woken(const struct ev_gstate *before, size_t nb,
		    const struct ev_gstate *after, size_t na);

#endif
