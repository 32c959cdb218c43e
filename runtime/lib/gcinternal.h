/*
 * gcinternal.h -- internals shared by the memory half's files: the frame
 * iterator (unwind.c), the stack-object index, stack scanning and
 * incremental marking (gc.c), stack copying (stack.c), a small message
 * builder for throws, and the seeded mutants of the memory half.
 *
 * Frames (ABI-2, RT-2). A goroutine's stack is walked from its innermost
 * managed frame outwards. Each frame is one of
 *   RT_FRAME_CALL   the function is stopped at a call; pc is the return
 *                   address, the call-site map (META-3) describes [sp, sp+F)
 *                   exactly;
 *   RT_FRAME_ASYNC  the innermost frame of a goroutine parked by
 *                   asyncPreempt at pc = async_pc: no map, scanned
 *                   conservatively;
 *   RT_FRAME_ENTRY  the function is at its entry without a frame (parked in
 *                   its morestack block, or never started); sp is its SP at
 *                   entry and nothing of the function's own is on the stack.
 * The walk ends at the frame whose return address is not in a managed
 * function (the goroutine's entry frame, "outermost"): its arguments sit
 * above it at argp and are described by its args_ptrmask. The arguments of
 * every other frame belong to its caller's outgoing area, which the caller's
 * call-site map describes (ABI-7, IR-5).
 *
 * INVARIANTS (cited as "GCI-n"):
 * GCI-1  Frames are produced with strictly increasing sp inside
 *        [stack_lo, stack_hi]; a violation is a throw naming the PC.
 * GCI-2  Stack objects are collected in walk order, which is ascending
 *        address order (frames ascend, ep_func.stackobjs is sorted by off),
 *        so the index is a sorted array searched by bisection; overlapping
 *        objects are a metadata error (throw).
 * GCI-3  Each stack object is scanned at most once precisely and at most
 *        once conservatively; precisely iff some precise pointer reached it
 *        (META-4), conservatively iff it was reached only conservatively
 *        before being reached precisely.
 *
 * Incremental marking (gc.c; Go's mgc.go, mgcmark.go, mbarrier.go):
 * GCI-4  rt_gcphase is OFF or MARK, and runtime.writeBarrier is non-zero
 *        iff it is MARK. A cycle enters MARK at its start (runs committed,
 *        marks and every live g's gcscandone cleared, root jobs queued)
 *        and leaves it at termination, just before its sweep; mark bits are
 *        set only while MARK or inside rt_gc (HEAP-4). rt_gc_init (heap
 *        reset: persistent mode, a host test's throw) abandons a cycle:
 *        barrier off, phase OFF, grey set empty, root jobs back to the
 *        start.
 * GCI-5  Black allocation: while MARK every class's run is empty (HEAP-2),
 *        so each allocation takes the slow path, which sets the new
 *        object's mark bit without queuing it (its words are zero; what is
 *        stored into it later passes the barrier).
 * GCI-6  Hybrid barrier: before managed code stores val at slot while
 *        MARK, rt_gc_wbarrier shades *slot (deletion, Yuasa) and, while the
 *        writer's (rt_curg's) stack is unscanned, val (insertion,
 *        Dijkstra). Stores into stacks have no barrier; with both halves a
 *        scanned stack never needs a rescan: every white object a black
 *        object, global or scanned stack points to stays reachable from a
 *        grey object through white objects whose pointers the deletion
 *        half protects (Go proposal 17503). Shading greys the allocated
 *        object a pointer points into and ignores anything else. The
 *        barrier runs while its goroutine is inside managed code: it never
 *        allocates, collects, runs a slice, switches goroutines or moves a
 *        stack.
 * GCI-7  Root jobs, each done whole inside one slice, in this order: the
 *        globals, the extra roots, then each goroutine with a stack whose
 *        gcscandone is 0, in pool order (its stack, then its waitchan;
 *        gcscandone = 1). So between slices the collector holds no address
 *        inside a stack, and a stack may move mid-cycle (rt_morestack, a
 *        deferred RT-3 shrink): gcscandone belongs to the g, not the stack.
 *        A goroutine newproc creates while MARK is born scanned: it starts
 *        without roots of its own, and what its arguments point to is
 *        shaded when they were copied from an unscanned stack (Go's newproc
 *        bulk barrier) and otherwise protected by the barrier like
 *        everything a black stack holds. Any other goroutine that appears
 *        mid-cycle (a debug call's, behind the job cursor) is unscanned and
 *        found by a last pass over all goroutines before termination.
 * GCI-8  Roots the runtime's C code writes without a barrier -- the extra
 *        roots and each g's waitchan -- are scanned at their job and again
 *        at termination, before the last drain.
 * GCI-9  Slices run only where RT-5 holds -- an allocation's slow path,
 *        the scheduler between two goroutines, rt_gc, the rig's calls --
 *        so every goroutine is stopped and any may be scanned, the current
 *        one (inside a runtime call) included.
 * GCI-10 Termination happens only when the root jobs are done, no live
 *        goroutine with a stack has gcscandone 0, the grey set is empty and
 *        has not overflowed. In checking mode (verify) the end state is
 *        checked before the sweep: no marked object and no global holds a
 *        pointer to an unmarked allocated object (a throw names both).
 * GCI-11 Pacing, deterministic: a slice does indivisible mark steps (a
 *        root job, one grey object, or the rescan after an overflow of the
 *        grey set) until its budget of scan work in bytes is reached (a
 *        stack costs its used bytes, an object its size with header, the
 *        globals their size); a scheduler or rig slice has
 *        rt_gc_slice_work, an assist rt_gc_assist_ratio times the bytes
 *        allocated, so a cycle ends at the latest after its scan work /
 *        ratio bytes of allocation. No clock, no randomness: the same
 *        allocations and switches give the same slices. With
 *        EVERYPC_DEBUG=markstress (incremental mode) every slice is one
 *        step and every allocation outside a cycle starts one, so the
 *        mutator runs with the barrier on almost always. A cycle the rig
 *        asked for (RIG-8, rt_gc_mark_parked) is paced the same way, one
 *        step a slice, to its termination: the goroutines run on between
 *        steps while most of the heap is still unmarked.
 *
 * Mutants (each planted by one #ifdef at the place it bends, see there):
 *   EP_MUTANT_NO_REGISTER_SCAN     gc.c: skip the saved-register block
 *   EP_MUTANT_PRECISE_INNER_FRAME  gc.c: innermost async frame scanned with
 *                                  the nearest call-site map
 *   EP_MUTANT_CBUF_AS_PRECISE      gc.c: conservatively reached stack
 *                                  objects scanned precisely
 *   EP_MUTANT_SHRINK_WHILE_ASYNC   stack.c: shrink an async-stopped stack now
 *   EP_MUTANT_NO_GLOBAL_SCAN       gc.c: no marking from the globals
 *   EP_MUTANT_WB_INSERTION_ONLY    gc.c: the write barrier shades only the
 *                                  new value (while the writer's stack is
 *                                  unscanned), never the overwritten one:
 *                                  GCI-6 without its deletion half, a
 *                                  Dijkstra barrier without stack rescans
 *   EP_MUTANT_ALLOC_WHITE          heap.c: objects allocated while a cycle
 *                                  marks are not marked (GCI-5 broken)
 */
#ifndef EVERYPC_GCINTERNAL_H
#define EVERYPC_GCINTERNAL_H

#include "heap.h"

/* ---- metadata (unwind.c) ---- */

/* Throws unless rt_meta is a module of this EP_META_VERSION. */
void rt_meta_check(void);

/* ---- frames (unwind.c) ---- */

enum rt_frame_kind {
	RT_FRAME_CALL = 0,
	RT_FRAME_ASYNC = 1,
	RT_FRAME_ENTRY = 2,
};

struct rt_frame {
	const struct ep_func *fn;
	uint64_t pc;	/* return address (CALL), async_pc, or the entry
			   block PC (ENTRY) */
	uint64_t sp;	/* frame base; ENTRY: SP at entry */
	uint64_t argp;	/* the function's argument 0: callerSP (ABI-1), which
			   is also the caller's frame base */
	uint64_t retpc; /* where the function returns */
	uint32_t kind;	/* enum rt_frame_kind */
	uint32_t
	    outermost; /* retpc is not managed: the goroutine's first frame */
};

struct rt_unwinder {
	struct rt_frame fr;
	uint64_t lo, hi; /* stack bounds of the goroutine */
	int valid;	 /* fr describes a frame */
};

/* Start at g's innermost managed frame (RT-2); u->valid is 0 when g has no
   managed frame. rt_unwind_next moves outwards. */
void rt_unwind_start(struct rt_unwinder *u, const struct rt_g *g);
void rt_unwind_next(struct rt_unwinder *u);

/* The frame's extent [sp, sp + frame_bytes) (0 for ENTRY frames), the
   address of its saved-FP slot (0 for ENTRY frames) and of its call-site
   map (CALL frames; throws "missing stack map" naming the PC otherwise). */
uint64_t rt_frame_bytes(const struct rt_frame *fr);
uint64_t rt_frame_fpslot(const struct rt_frame *fr);
const uint8_t *rt_frame_callmap(const struct rt_frame *fr);

/* ---- messages ---- */

struct rt_msg {
	char buf[256];
	uint32_t len;
};
void rt_msg_str(struct rt_msg *m, const char *s);
void rt_msg_hex(struct rt_msg *m, uint64_t v);
void rt_msg_int(struct rt_msg *m, int64_t v);

/* ---- stack objects (gc.c) ---- */

#define RT_MAX_STACKOBJS 65536

enum {
	RT_SOBJ_PRECISE = 1, /* scanned (or queued) precisely */
	RT_SOBJ_CONSERV = 2, /* scanned (or queued) conservatively */
};

struct rt_sobj {
	uint64_t addr;		/* absolute address in the stack */
	const uint8_t *ptrmask; /* size/8 bits */
	const struct ep_func *fn;
	uint32_t size;
	uint32_t state; /* RT_SOBJ_* */
};

struct rt_sobj_index {
	struct rt_sobj *v;
	uint32_t n, cap;
};

/* GCI-2: append (ascending order required), find the object containing p
   (NULL when none). */
void rt_sobj_add(struct rt_sobj_index *ix, uint64_t addr, uint32_t size,
		 const uint8_t *ptrmask, const struct ep_func *fn);
struct rt_sobj *rt_sobj_find(const struct rt_sobj_index *ix, uint64_t p);

/* ---- GC (gc.c) ---- */

/* Scan one goroutine's stack and mark what it reaches (exported for the
   tests); the heap is drained by rt_gc_drain. */
void rt_gc_scan_stack(struct rt_g *g);
void rt_gc_drain(void);
/* Forget a collection abandoned by a throw (host tests) or by a heap
   reset (rt_heap_reset, persistent mode): GCI-4. */
void rt_gc_init(void);
/* Mark phase only (roots and drain, no sweep): for tests. */
void rt_gc_mark_all(void);

/* ---- incremental marking and the write barrier (gc.c, abi.h ABI-8) ---- */

/* runtime.writeBarrier: non-zero while a cycle marks (GCI-4); managed code
   tests it before every pointer store into the heap or a global. */
extern uint32_t rt_writebarrier __asm__("runtime.writeBarrier");
/* Called on g0 by runtime.gcWriteBarrier (arch/<arch>/sys.S) with rt_curg
   the writing goroutine, before managed code stores val at slot: shades
   what the barrier must keep (GCI-6; the store itself is the caller's).
   Returns at once while no cycle marks. Never allocates, collects, switches
   goroutines or moves a stack. */
void rt_gc_wbarrier(uint64_t slot, uint64_t val);
/* While a cycle marks: grey the allocated object p points into (anything
   else is ignored); otherwise nothing. For tests. */
void rt_gc_shade(uint64_t p);

/* GCI-11: bytes of scan work of a scheduler or rig slice, and of an assist
   per byte allocated; variables so that tests can make slices tiny (a
   budget of 1 is one mark step a slice). */
#define RT_GC_SLICE_WORK (64ull << 10)
#define RT_GC_ASSIST_RATIO 4
extern uint64_t rt_gc_slice_work;
extern uint64_t rt_gc_assist_ratio;

/* ---- stacks (stack.c) ---- */

#define RT_STACK_MAX (64ull << 20) /* "stack overflow" beyond this */
#define RT_STACK_POISON 0xdeadbeefdeadbeefull
#define RT_BELOW_SP 64 /* bytes below the lowest SP copied raw */

void rt_stack_init_at(uint64_t base, uint64_t size);
/* Lowest stack address g uses (RT-2 context), and the shrink pass of a GC. */
uint64_t rt_stack_lowest_used(const struct rt_g *g);
void rt_stack_shrink_all(void);
/* Move g's stack to a new one of newsize bytes (RT-3 checked). */
void rt_stack_copy(struct rt_g *g, uint64_t newsize);

#endif
