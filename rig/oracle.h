/*
 * oracle.h -- the rig's own view of the guest heap and the oracle checks
 * that do not need a live connection: given the layout descriptor
 * (rig_abi.h), a way to read guest memory, and what was observed, decide
 * pass or fail with a deterministic explanation.
 *
 * Invariants:
 * ORC-1 Nothing here trusts the runtime's word: objects are found through
 *       the span table and headers read from guest memory, exactly as the
 *       layout descriptor describes them (RIG-2).
 * ORC-2 Every failure detail names registers by their GDB name, frame words
 *       by SP offset, and values as guest addresses (deterministic: fixed
 *       heap base), never host addresses.
 */
#ifndef EVERYPC_ORACLE_H
#define EVERYPC_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include "everypc/rig_abi.h"

/* Guest memory reader: returns 0 or -1. */
struct ev_mem {
	int (*read)(void *ctx, uint64_t addr, void *buf, size_t n);
	void *ctx;
};

/* Classification of a guest word (ORC-1). */
enum ev_ptr_kind {
	EV_PTR_NONE,	    /* nil or not an address the oracle checks */
	EV_PTR_HEAP_LIVE,   /* inside an allocated heap object */
	EV_PTR_HEAP_FREE,   /* inside a freed slot */
	EV_PTR_HEAP_BAD,    /* in a span but not in any object / bad header */
	EV_PTR_HEAP_NOSPAN, /* in the arena, in a page with no span */
	EV_PTR_STACK,	    /* into the goroutine stack area */
};

struct ev_objinfo {
	uint64_t base;	 /* header address */
	uint64_t header; /* header word */
	uint64_t size;	 /* slot size */
};

/* Decode a layout descriptor read from guest memory; -1 with a message when
   its magic, version or geometry is wrong. */
int ev_layout_check(const struct everypc_layout *L, char *err, size_t errlen);

/* Classify word v; info is filled for heap kinds. -1 on a read error. */
int ev_classify(const struct everypc_layout *L, const struct ev_mem *m,
		uint64_t v, enum ev_ptr_kind *kind, struct ev_objinfo *info);

/* One location the oracle map says holds a live pointer. */
struct ev_liveloc {
	const char *what; /* "x9" or "sp+24" */
	uint64_t value;	  /* the word observed there before the action */
};

/* A stack object of a frame: [sp+off, sp+off+size), its pointer words. */
struct ev_stackobj_view {
	int64_t off; /* from sp */
	uint32_t size;
	const uint8_t *ptrmask;
};
/*
 * Liveness as reachability, and the stack-pointer oracle (issue 12, items
 * 3 and 4). The roots are every word a precise map says holds a live
 * pointer: the stopped frame's oracle map (registers and slots) and each
 * caller's call-site map (META-3). From them, pointers are followed
 * transitively through the stack objects of every frame of the goroutine
 * (interior pointers included; each object once, by its ptrmask): every
 * heap object reached must still be allocated ("liveness"), and every word
 * reached that points into the stack area (the layout's stack_base, area)
 * must point into the goroutine's own current stack [lo, hi) ("stackptr",
 * the condition Go's adjustpointers throws "invalid pointer found on
 * stack" for). Returns 1 pass, 0 fail (*check and detail), -1 read error.
 */
struct ev_frame_view {
	const char *func;		     /* for messages */
	uint64_t sp;			     /* the frame's SP */
	const struct ev_stackobj_view *objs; /* its stack objects */
	size_t nobjs;
};
struct ev_reach {
	const struct ev_liveloc *roots;
	size_t nroots;
	const struct ev_frame_view *frames; /* innermost first */
	size_t nframes;
	uint64_t stack_lo, stack_hi; /* the goroutine's current stack */
};
int ev_check_reach(const struct everypc_layout *L, const struct ev_mem *m,
		   const struct ev_reach *r, const char **check, char *detail,
		   size_t dlen);

/*
 * Register oracle: every compared register (cmp, by GDB number, with its
 * name) holds the value it held before the action, where both were read.
 * Returns 1 when equal, else 0 with the first difference ("WHEN: x9 was
 * 0x.. before the action, 0x.. after").
 */
struct ev_regcmp {
	int num;
	const char *name;
};
int ev_check_regs(const uint64_t *before, const uint8_t *have_before,
		  const uint64_t *after, const uint8_t *have_after,
		  const struct ev_regcmp *cmp, size_t ncmp, const char *when,
		  char *detail, size_t dlen);

/* A goroutine's stack bounds [lo, hi). */
struct ev_stack {
	uint64_t lo, hi;
};

/* Oracle 4 (and the injected call's): the stack did not move. 1, or 0 with
   "WHAT: [lo,hi) became [lo',hi')". */
int ev_check_stack_same(struct ev_stack before, struct ev_stack after,
			const char *what, char *detail, size_t dlen);

/* Oracle 4, second half: a shrink deferred while the goroutine was stopped
   asynchronously has happened at its next synchronous safe point (AT names
   it): the stack is smaller than before. 1, or 0 with the detail. */
int ev_check_deferred_shrink(struct ev_stack before, struct ev_stack now,
			     const char *at, char *detail, size_t dlen);

/* Oracle 1: the observed verdict (enum ev_verdict) is the one the metadata
   gives; unsafe is the unsafe range's kind name, or NULL for a safe PC. */
int ev_check_verdict(int observed, const char *unsafe, char *detail,
		     size_t dlen);

/* Oracle 1, accepted: the goroutine parked with the interrupted PC and SP. */
int ev_check_async_frame(uint64_t async_pc, uint64_t async_sp, uint64_t pc,
			 uint64_t sp, char *detail, size_t dlen);

/* Oracle 5: an injected call's answer. At an unsafe PC (unsafe: its kind
   name) the call must be refused with reason; elsewhere the answer must be
   the expected one (outcome and, for a result, value). */
struct ev_answer {
	int outcome;	     /* enum dc_outcome */
	const char *name;    /* the outcome's name */
	int refused, result; /* outcome is a refusal / a result */
	int64_t value;
	const char *msg;
};
int ev_check_answer(const char *call, const char *unsafe, const char *reason,
		    const struct ev_answer *got, const struct ev_answer *want,
		    char *detail, size_t dlen);

/* Oracle 5, freeze: no goroutine but the interrupted one (skip) advanced
   during an injected call. A goroutine is the same when its id, pc and sp
   are and its status is unchanged, or waiting (3) became runnable (1):
   woken by the call, held until it ends, not run (DC-5). */
struct ev_gstate {
	uint64_t addr, id, pc, sp;
	uint32_t status;
};
int ev_check_freeze(const struct ev_gstate *before, size_t nb,
		    const struct ev_gstate *after, size_t na, uint64_t skip,
		    char *detail, size_t dlen);

/* Oracle 6: the iteration's outcome equals the baseline's; extra (may be
   "") is appended to the detail (the signals passed on to the guest). */
struct ev_outcome {
	uint64_t hash;
	int32_t exit_status, heap;
};
int ev_check_outcome(struct ev_outcome got, struct ev_outcome base,
		     const char *extra, char *detail, size_t dlen);

/*
 * The tri-colour oracle (tricolour.c; RIG-9), at a stop where the runtime
 * says the colours are exact (everypc_hook_mark_slice): while a cycle marks,
 * every white object that a black object, a scanned global or a live word
 * of a scanned stack (black, given by the caller) points to is
 * reachable from a grey object, an unscanned stack (conservatively), an
 * extra root or a waitchan through white objects -- Go's weak
 * tri-colour invariant. Types and globals come from the ELF's metadata.
 * Returns 1 (also when no cycle marks, or the grey set overflowed), 0 with
 * the first lost pointer in detail, -1 with a read error in detail.
 */
struct ev_typeview {
	uint64_t size;
	const uint8_t *ptrmask; /* size/8 bits */
	const char *name;
};
struct ev_tri_in {
	const struct ev_typeview *types; /* by header type index */
	size_t ntypes;
	uint64_t globals_start, globals_size;
	const uint8_t *globals_ptrmask;
	/* the words of scanned (black) stacks that precise maps call live
	   pointers, each described ("goroutine 1 main.f+40 sp+16") */
	const struct ev_liveloc *black;
	size_t nblack;
};
struct ev_tri_stats {
	size_t objects, black, grey, white, reached;
};
int ev_check_tricolour(const struct everypc_layout *L, const struct ev_mem *m,
		       const struct ev_tri_in *in, struct ev_tri_stats *st,
		       char *detail, size_t dlen);

#endif
