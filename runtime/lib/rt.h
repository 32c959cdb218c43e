/*
 * rt.h -- the runtime's internal contract between its two halves:
 *   the scheduler half (start-up, syscalls, per-arch assembly and context,
 *   goroutines, channels, printing, panics, signals and async preemption,
 *   persistent mode, rig ABI) -- files proc.c, chan.c, print.c, signal.c,
 *   preempt.c, rig.c, arch/<arch>/sys.S, arch/<arch>/arch.c;
 *   the memory half (heap, size classes, allocation slow path, findObject,
 *   mark-sweep GC, stack objects, stack walking, stack copy/grow/shrink,
 *   heap verifier) -- files heap.c, gc.c, stack.c, unwind.c.
 *
 * The runtime is freestanding (no libc): one OS thread, no clocks, no
 * randomness, fixed addresses (RT_HEAP_BASE, RT_STACK_BASE), so the same
 * program produces the same addresses and trace on every run.
 *
 * INVARIANTS (cited as "RT-n"):
 * RT-1  All runtime C code runs on g0's stack (the system stack); goroutine
 *       stacks hold only managed frames plus the assembly frames of
 *       asyncPreempt and the debug-call entry, whose layouts are
 *       described by struct g's async_* fields.
 * RT-2  A goroutine not running is stopped either synchronously -- at a call
 *       into a runtime entry point, sched.sp/pc describe the managed frame
 *       that made the call, which is scanned precisely -- or asynchronously
 *       (preempt_async != 0): parked inside asyncPreempt; the saved registers
 *       [async_regs, async_regs + async_regs_size) and the interrupted frame
 *       (SP async_sp, PC async_pc) are scanned conservatively.
 * RT-3  A stack holding a conservative frame is never copied or shrunk;
 *       the GC sets shrink_pending and the goroutine shrinks at its next
 *       synchronous safe point (its next call into the runtime).
 * RT-4  Every struct g starts with struct ep_g_head (abi.h) and carries
 *       RT_G_SIG while alive; rt_g_check() validates it.
 */
#ifndef EVERYPC_RT_H
#define EVERYPC_RT_H

#include <stddef.h>
#include <stdint.h>

#include "everypc/abi.h"
#include "everypc/meta.h"

#define RT_G_SIG 0x6f72756f47ull /* "Gourou" */
#define RT_G_DEAD_SIG 0xdeadull

/* Fixed guest address layout (identical on every arch; below 2^38 so that
   riscv64 Sv39 user space holds it). */
#define RT_HEAP_BASE 0x2000000000ull  /* GC heap arena */
#define RT_HEAP_SIZE 0x40000000ull    /* 1 GiB reserved */
#define RT_STACK_BASE 0x3000000000ull /* goroutine stacks */
#define RT_STACK_AREA 0x40000000ull
#define RT_PAGE_SIZE 8192

/* Saved managed context of a goroutine stopped synchronously. */
struct rt_gobuf {
	uint64_t
	    sp; /* managed SP after the call returns (the caller's frame) */
	uint64_t pc; /* return address into the managed caller */
	uint64_t fp; /* managed frame pointer */
	uint64_t lr; /* arm64/riscv64: LR/RA to restore (morestack: the
			function's own return address, ABI-3) */
};

/* How sched describes a synchronously stopped goroutine. */
enum rt_schedkind {
	RT_SCHED_CALL = 0,	/* stopped in a call to a runtime entry point:
				   sp is the calling frame's SP, pc the return
				   address into it */
	RT_SCHED_MORESTACK = 1, /* stopped in a prologue's morestack block: pc
				   lies in that block of function f, sp is f's
				   SP at entry (ABI-3), f has no frame yet */
	RT_SCHED_START = 2,	/* never ran: pc is the entry, sp/args as
				   newproc laid them out */
};

enum rt_gstatus {
	RT_G_IDLE = 0,	   /* free struct */
	RT_G_RUNNABLE = 1, /* on the run queue */
	RT_G_RUNNING = 2,
	RT_G_WAITING = 3, /* blocked on a channel */
	RT_G_DEAD = 4,
};

struct rt_g {
	struct ep_g_head head;	/* ABI: stack_lo, stack_hi, stackguard */
	uint64_t sig;		/* RT_G_SIG */
	uint64_t id;		/* 1 = main goroutine, deterministic order */
	uint32_t status;	/* enum rt_gstatus */
	uint32_t preempt_async; /* RT-2: parked in asyncPreempt */
	struct rt_gobuf sched;	/* RT-2: synchronous stop context */
	uint32_t sched_kind;	/* enum rt_schedkind */
	uint32_t pad0;
	uint64_t async_pc, async_sp;	      /* interrupted PC and SP */
	uint64_t async_regs, async_regs_size; /* saved register block */
	uint32_t shrink_pending;	      /* RT-3 */
	uint32_t waiting_reason;
	struct rt_g *schedlink; /* run queue / wait queue link */
	void *waitchan;		/* channel blocked on */
	int64_t waitval;	/* value sent / received */
	uint64_t entry;		/* function the goroutine started at */
	/* --- scheduler-half additions (after the original fields) --- */
	int64_t ret_val;      /* result word written at resume (see below) */
	uint32_t ret_pending; /* 1: store ret_val at sched.sp + ret_off when the
				 goroutine next resumes -- AFTER anything that
				 may have moved its stack */
	uint32_t ret_off;
	struct rt_g *freelink; /* free g structs (FIFO, deterministic reuse) */
	/* --- incremental collector (after the fields above, gc.c GCI-7) --- */
	uint32_t gcscandone; /* while a cycle marks: this stack was scanned
				(or the g was born during the cycle) */
	uint32_t pad1;
};

extern struct rt_g *rt_curg; /* the running goroutine (NULL on g0 only) */
extern struct rt_g rt_g0;

/* Per-arch frame facts (ABI-2), defined in arch/<arch>/arch.c. */
struct rt_archinfo {
	uint32_t ra_push;     /* bytes CALL pushes: amd64 8, else 0 */
	uint32_t ra_from_top; /* RA at SP + F - ra_from_top (amd64 0, else 8) */
	uint32_t fp_from_top; /* saved FP at SP + F - fp_from_top (8 / 16) */
	uint32_t arch;	      /* enum ep_arch */
};
extern const struct rt_archinfo rt_arch;

/* The module emitted by gosub (meta.h META-1). */
extern const struct ep_module everypc_module;

/* Metadata lookups (unwind.c). */
const struct ep_func *rt_findfunc(uint64_t pc);
const struct ep_callsite *rt_findcallsite(const struct ep_func *f,
					  uint64_t retpc);
const struct ep_unsafe *rt_findunsafe(uint64_t pc);

/* Memory half, used by the scheduler half. */
void rt_heap_init(void);
void *rt_alloc_raw(uint64_t size, uint32_t typeidx); /* managed object */
void rt_gc(void); /* a complete collection now, on g0 (see gc.c) */
void rt_stack_alloc(struct rt_g *g, uint64_t size);
void rt_stack_free(struct rt_g *g);
void rt_morestack(struct rt_g *g, uint64_t need); /* grow by copying */
void rt_maybe_shrink_pending(struct rt_g *g); /* RT-3 at a sync safe point */
void rt_heap_reset(void);		      /* persistent mode */

/* Memory-half additions, declared by the scheduler half (heap.c, stack.c). */
void rt_stack_reset(void); /* persistent mode: every goroutine stack is
			      free, the next allocations get the same
			      addresses as the first iteration's */
int rt_heap_verify(void);  /* 0 = heap sane, else number of problems found */
/* Heap geometry for the rig's layout descriptor (rig_abi.h): the span
   table is `nspans` entries of `span_entry_size` bytes, one per arena page;
   an entry (or, when span_entry_is_ptr, the struct it points to; NULL = no
   span) gives the first slot address and the slot size (header included)
   at the offsets below; slot_size 0 = page not in use. */
struct rt_heap_desc {
	uint64_t arena_base, arena_size, page_size;
	uint64_t spans_addr, nspans;
	uint32_t span_entry_size, span_entry_is_ptr;
	uint32_t span_off_base, span_off_slot_size;
	uint32_t span_off_nslots, span_off_class; /* ~0u when absent */
	uint64_t pages_used_addr;		  /* RIG-9 */
	uint32_t span_off_markbits;
};
void rt_heap_describe(struct rt_heap_desc *d);
/* RIG-9: the collector's half of the layout descriptor (gc.c). */
struct everypc_layout;
void rt_gc_describe(struct everypc_layout *l);
extern int rt_force_shrink; /* (defined in preempt.c) set by the scheduler
			       around a GC the rig asked to attempt a
			       shrink of every stack */

/* Run-time knobs, parsed from EVERYPC_DEBUG at start (proc.c). */
struct rt_debug {
	uint32_t gcstress;   /* GC at every allocation */
	uint32_t verify;     /* heap verifier after every GC */
	uint64_t stress;     /* async preemption timer period in us, 0 = off */
	uint64_t iters;	     /* >0: persistent mode for that many iterations */
	uint32_t report;     /* per-iteration counters on stdout */
	uint32_t gc;	     /* enum rt_gcmode: which collector runs when the
				allocation trigger fires and in rt_gc */
	uint32_t markstress; /* incremental: a cycle marks whenever one can,
				started at every allocation, one mark step
				a slice (GCI-11) */
};

/* EVERYPC_DEBUG=gc=incremental (the default: 0, so a zeroed rt_debug
   is the default) or gc=stw. */
enum rt_gcmode {
	RT_GC_INCREMENTAL = 0, /* cycles marked in slices, hybrid barrier */
	RT_GC_STW = 1, /* rt_gc: mark and sweep with the world stopped */
};
extern struct rt_debug rt_debug;

/* Runtime-internal area outside the heap and stack reservations: g0's
   stack, the signal stack (scheduler half). */
#define RT_SYS_BASE 0x3100000000ull
#define RT_SYS_SIZE 0x200000ull

/* Scheduler half, used by the memory half. Of the libc routines gcc may
   emit calls to, memset/memcpy/memmove are defined by heap.c (guest build)
   and memcmp by rtlib.c (scheduler half); each exactly once. */
struct rt_g *rt_allg_first(void);
struct rt_g *rt_allg_next(struct rt_g *g);
void rt_throw(const char *msg) __attribute__((noreturn)); /* fatal error */
void everypc_hook_gc_done(uint64_t ngc); /* rig.c: end of every GC (RIG-3) */
void everypc_hook_mark_slice(uint64_t n, uint64_t left); /* RIG-9 */
/* rig.c: g's stack moved from [old_lo, old_hi) (RIG-3) */
void everypc_hook_stack_copied(struct rt_g *g, uint64_t old_lo,
			       uint64_t old_hi);
void rt_g_check(const struct rt_g *g);
void rt_print_str(const char *s);
void rt_print_hex(uint64_t v);
void rt_print_int(int64_t v);

/* --- memory-half additions (rtmem) --- */

/*
 * RT-5  Everything in the memory half that may run a GC or move a stack
 *       (rt_alloc_raw, rt_gc, rt_morestack, rt_maybe_shrink_pending) is
 *       called on g0 with every goroutine's context saved: each goroutine
 *       other than a running one is stopped per RT-2, and rt_curg (if any)
 *       is stopped synchronously with sched describing its frame. Values
 *       the C caller holds in C locals are NOT roots: allocate a runtime
 *       object in one rt_alloc_raw call, store it before the next one. On
 *       return the goroutine is resumed from g->sched / g->async_* (which a
 *       stack move has updated), never from copies cached elsewhere.
 *       RT_SCHED_MORESTACK and RT_SCHED_START: sched.sp is the function's
 *       SP at entry (no frame yet); its return address is at [sched.sp]
 *       when rt_arch.ra_push is 8, else in sched.lr; its arguments start at
 *       sched.sp + rt_arch.ra_push.
 */

/* Address space for the memory half (scheduler half, proc.c; also in
   sched.h): map [addr, addr+len) read-write, zero-filled, at exactly addr;
   0 or -errno. The memory half maps each range of its areas once (heap
   arena and stack area grow by watermarks that persistent mode keeps). */
int rt_sys_map_fixed(uint64_t addr, uint64_t len);

/* Extra roots: the scheduler half registers words that may hold heap
   pointers the GC must see (e.g. a runtime-global list head); each word is
   scanned precisely at every GC. g->waitchan of every goroutine is scanned
   by the GC already. At most RT_GC_MAX_ROOTS ranges. */
#define RT_GC_MAX_ROOTS 16
void rt_gc_add_root(uint64_t *words, uint64_t nwords);

/* Statistics the memory half keeps (read by tests and the rig report). */
struct rt_memstats {
	uint64_t ngc;	     /* completed collections */
	uint64_t heap_live;  /* bytes in objects that survived the last GC */
	uint64_t next_gc;    /* heap-growth trigger, bytes */
	uint64_t nmorestack; /* stack growths */
	uint64_t nshrink;    /* stack shrinks done */
	uint64_t nshrink_deferred; /* shrinks deferred by RT-3 */
	uint64_t nscan_async;	   /* async-stopped stacks scanned (RT-2) */
	uint64_t nsobj_cons;	   /* stack objects scanned conservatively */
	uint64_t nsobj_precise;	   /* stack objects scanned precisely */
	/* --- incremental collector (appended) --- */
	uint64_t nslices;   /* mark slices run (assists, scheduler, rt_gc, the
			       rig's calls) */
	uint64_t nassists;  /* of which run by an allocation */
	uint64_t nwbarrier; /* write-barrier calls that found a cycle marking */
};
extern struct rt_memstats rt_memstats;

/* The collector's phase, readable by the rig (symbol rt_gcphase). */
enum rt_gcphase {
	RT_GCPHASE_OFF = 0,  /* no cycle, or between cycles */
	RT_GCPHASE_MARK = 1, /* a cycle marks; runtime.writeBarrier is set */
};
extern uint32_t rt_gcphase;

/* Incremental cycles (gc.c), callable wherever rt_gc is (RT-5), in either
   mode: start one unless one marks; run up to n slices, stopping early when
   no mark work is left (returns how many ran; it never terminates the
   cycle); run the cycle to termination (nothing when none marks). The
   scheduler half calls rt_gc_sched_slice whenever it switches goroutines
   (one slice while a cycle marks, terminating it when no work is left) and
   rt_gc_newproc when newproc has laid out g's stack (creator: the
   goroutine whose go statement it is, or NULL). */
void rt_gc_cycle_start(void);
uint64_t rt_gc_cycle_slices(uint64_t n);
void rt_gc_cycle_finish(void);
void rt_gc_sched_slice(void);
void rt_gc_newproc(struct rt_g *g, const struct rt_g *creator);
/* RIG-8, as g is parked asynchronously (its registers saved, preempt_async
   set): start a cycle unless one marks, scan g's stack now unless this
   cycle did, run up to n slices. Nothing when n is 0. */
void rt_gc_mark_parked(struct rt_g *g, uint64_t n);

/* memset/memcpy/memmove (the compiler may emit calls to them) are defined
   by the memory half in heap.c for the guest build. */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);

#endif
