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
	EV_PTR_NONE,      /* nil or not an address the oracle checks */
	EV_PTR_HEAP_LIVE, /* inside an allocated heap object */
	EV_PTR_HEAP_FREE, /* inside a freed slot */
	EV_PTR_HEAP_BAD,  /* in a span but not in any object / bad header */
	EV_PTR_HEAP_NOSPAN, /* in the arena, in a page with no span */
	EV_PTR_STACK,     /* into the goroutine stack area */
};

struct ev_objinfo {
	uint64_t base;   /* header address */
	uint64_t header; /* header word */
	uint64_t size;   /* slot size */
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
	uint64_t value;   /* the word observed there before the action */
};

/*
 * Liveness oracle: after the action (and its GC), every heap object that a
 * live location pointed to must still be allocated. Pointers into the stack
 * are checked one level deep through the stack objects of the frame at
 * [sp, sp+frame): each live stack object's pointer words must point to
 * allocated objects or nil. Returns 1 pass, 0 fail (detail written),
 * -1 read error (detail written).
 */
struct ev_stackobj_view {
	int64_t off;          /* from sp */
	uint32_t size;
	const uint8_t *ptrmask;
};
int ev_check_liveness(const struct everypc_layout *L, const struct ev_mem *m,
		      const struct ev_liveloc *locs, size_t nlocs, uint64_t sp,
		      const struct ev_stackobj_view *objs, size_t nobjs,
		      char *detail, size_t dlen);

/*
 * Register oracle: regs before and after, as arrays of n 64-bit values by
 * GDB number; skip[i] set for registers not compared (the resume register
 * of ABI-6). Returns 1 when equal, else 0 with the first difference.
 */
int ev_check_regs(const uint64_t *before, const uint64_t *after,
		  const uint8_t *skip, const char *const *names, size_t n,
		  char *detail, size_t dlen);

#endif
