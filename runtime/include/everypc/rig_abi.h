/*
 * everypc/rig_abi.h -- the contract between the runtime and the rig (the
 * controller that drives QEMU's gdbstub). Version EVERYPC_RIG_VERSION.
 *
 * The rig finds everything by symbol name in the guest ELF and reads/writes
 * guest memory through the gdbstub; the runtime never trusts the rig to be
 * present (all requests default to 0 = "behave like a normal program").
 *
 * INVARIANTS (cited as "RIG-n"):
 *
 * RIG-1  Mailbox: `everypc_rig` (struct everypc_rig) in writable data. The
 *        rig writes the req_* fields, the runtime writes the rep_* fields.
 *        The runtime reads a request at the moment it acts on it, so the rig
 *        may change requests whenever the guest is stopped (typically at a
 *        hook). magic/version/size are set statically and never change.
 *
 * RIG-2  Layout: `everypc_layout` (struct everypc_layout) is filled in
 *        before the first call of everypc_hook_iter_start and constant after
 *        that; with it the rig reads goroutines, stack bounds, the async
 *        state and heap object headers on its own, never through a runtime
 *        function.
 *
 * RIG-3  Hooks: the functions below are real, distinct, never-inlined
 *        functions the runtime calls; the rig sets breakpoints on them.
 *          everypc_hook_iter_start(iteration)  before main.main starts, after
 *              the reset of heap, goroutines, globals and output hash
 *          everypc_hook_iter_end(iteration)    after the iteration ended (main
 *              returned, panic, deadlock); rep_* describe it
 *          everypc_hook_parked(g)  a goroutine was asynchronously preempted:
 *              all its registers are saved in its asyncPreempt frame
 *              (g->async_regs ..), it is parked, nothing else ran yet; any GC
 *              the rig asked for (req_gc_after_preempt) runs right after
 *          everypc_hook_gc_done(ngc)  at the end of every collection
 *              (mark, sweep, stack shrinks done), ngc = collections so far;
 *              the rig checks liveness here, before anything else runs
 *          everypc_hook_stack_copied(g, old_lo, old_hi)  goroutine g's
 *              stack was moved from [old_lo, old_hi) (freed and poisoned
 *              now) to its current bounds, every word adjusted; g is
 *              stopped synchronously (sched describes its innermost frame,
 *              RT-5), or asynchronously only in a runtime that moves a
 *              stack holding a conservative frame (a bug); the rig checks
 *              the stack's precise pointers here
 *          everypc_hook_mark_slice(n, left)  a slice of the rig's marking
 *              cycle ended (RIG-9); the rig judges the colours here
 *          everypc_hook_throw(msg)  a fatal runtime error, before the
 *              message is printed and the process exits (rep_throw_msg set)
 *
 * RIG-4  Preemption requests: the rig stops the guest at a PC, sets
 *        req_preempt = 1 and resumes it with SIGURG. The runtime's handler
 *        accepts when the PC is an asynchronous safe point (then clears
 *        req_preempt, increments rep_preempt_accepted and the next
 *        instruction executed is asyncPreempt's entry), otherwise it returns
 *        leaving the context untouched (rep_preempt_rejected += 1,
 *        req_preempt stays 1 so a later SIGURG retries). With stress mode
 *        (EVERYPC_DEBUG=stress=N) the timer requests preemption by itself.
 *
 * RIG-5  Persistent mode: when req_persistent != 0 at the end of an
 *        iteration, the runtime starts the next one (reset, hooks) instead of
 *        exiting; req_stop != 0 at that point exits with the last
 *        iteration's status. A panic or deadlock ends the iteration with
 *        status 2; a throw always exits the process (after the hook).
 *
 * RIG-6  Outcome: rep_outcome is the 64-bit FNV-1a hash (offset basis
 *        0xcbf29ce484222325, prime 0x100000001b3) of every byte the
 *        iteration wrote (fd 1 and 2 in order), also when req_quiet
 *        suppresses the actual writes.
 *
 * RIG-7  Goroutine status values and the async frame (rt_g fields named in
 *        the layout): status 0 idle (free slot), 1 runnable, 2 running,
 *        3 waiting, 4 dead. preempt_async != 0: parked in asyncPreempt;
 *        the asyncPreempt frame is [async_regs, async_sp), async_sp being
 *        the interrupted SP and async_regs_size = async_sp - async_regs;
 *        it starts with the saved registers, one word each, interrupted
 *        values, in the per-arch order given below (the rest of the frame
 *        is the pushCall slot and padding). async_pc is the interrupted PC.
 *        While preempt_async is set, sched_* describe only how the
 *        runtime resumes asyncPreempt's restore path, not a managed frame.
 *
 * RIG-8  Marking while parked: when req_mark_slices = N != 0 as a goroutine
 *        is parked asynchronously (after everypc_hook_parked, or as an
 *        accepted debug call parks the interrupted goroutine), the runtime
 *        clears the request, starts a collection cycle's marking unless
 *        one is in progress (barrier on), scans that goroutine's stack at
 *        once (conservatively for its interrupted frame and saved
 *        registers, as any async frame) unless this cycle already did, and
 *        runs up to N mark slices of one mark step each (a root job or one
 *        grey object) before anything else runs. The cycle then goes on
 *        at that pace, one step at each goroutine switch and allocation
 *        (runtime.GC finishes it at once), and ends, at the latest, before
 *        the iteration does: everypc_hook_gc_done marks its termination.
 *        A cycle never spans iterations.
 *
 * RIG-9  The colours, for the rig's tri-colour oracle: in the cycle RIG-8
 *        started, the runtime calls everypc_hook_mark_slice(n, left) at the
 *        end of its n-th mark slice when n is a power of two (left = 1:
 *        mark work remains), and once more when no mark work is left, just
 *        before mark termination (left = 0); nothing is marked between a
 *        slice's end and the next slice. There the layout's marking fields
 *        describe the colours exactly: an allocated object is black when
 *        its mark bit is set and it is not in the grey set, grey when it is
 *        in the grey set (or any marked object, while gray_overflow is
 *        set), white otherwise; the globals are black once the root job
 *        roots_globals is done (roots_next != roots_globals); a goroutine's
 *        stack is black when its gcscandone is set; the extra roots and
 *        every waitchan are written without a barrier and count as grey
 *        (GCI-8: scanned again at termination).
 */
#ifndef EVERYPC_RIG_ABI_H
#define EVERYPC_RIG_ABI_H

#include <stdint.h>

#define EVERYPC_RIG_VERSION 3
#define EVERYPC_RIG_MAGIC 0x4749524350564545ull	   /* "EEVPCRIG" */
#define EVERYPC_LAYOUT_MAGIC 0x54594c4350564545ull /* "EEVPCLYT" */

#define EVERYPC_RIG_MSG_MAX 128

struct everypc_rig {
	uint64_t magic;	  /* EVERYPC_RIG_MAGIC */
	uint32_t version; /* EVERYPC_RIG_VERSION */
	uint32_t size;	  /* sizeof(struct everypc_rig) */

	/* Requests, written by the rig (RIG-1). */
	uint32_t req_preempt; /* RIG-4; cleared when accepted */
	/* run a GC right after the parked hook: */
	uint32_t req_gc_after_preempt;
	uint32_t req_shrink;	  /* that GC attempts to shrink every stack */
	uint32_t req_mark_slices; /* RIG-8; cleared when acted on */
	uint32_t req_persistent;  /* RIG-5 */
	uint32_t req_quiet;	  /* hash output but do not write it */
	uint32_t req_stop;	  /* RIG-5: exit after this iteration */
	uint32_t req_pad;

	/* Reports, written by the runtime. */
	uint64_t rep_iteration;	       /* 0, 1, 2, ... (persistent mode) */
	uint64_t rep_outcome;	       /* RIG-6 */
	uint64_t rep_output_bytes;     /* bytes hashed this iteration */
	int32_t rep_exit_status;       /* 0 main returned, 2 panic/deadlock */
	int32_t rep_heap_check;	       /* rt_heap_verify() at iteration end:
					  0 = sane, else number of problems */
	uint64_t rep_preempt_accepted; /* this iteration */
	uint64_t rep_preempt_rejected; /* this iteration */
	uint64_t rep_parked_g;	       /* id of the last goroutine parked */
	char rep_throw_msg[EVERYPC_RIG_MSG_MAX]; /* NUL-terminated */
};

/* Register order of the asyncPreempt save block (RIG-7), per arch:
 *   amd64  : rax rbx rcx rdx rsi rdi rbp rsp r8..r15, rflags
 *            (GDB g-packet numbers 0..15), then the interrupted PC
 *   arm64  : x0..x30 (x30 = the interrupted LR), sp, pc, nzcv
 *   riscv64: pc, x1..x31 (x1 = interrupted ra, x2 = sp)
 * (riscv64 slot 0 holds the PC where x0 would be.) */

struct everypc_layout {
	uint64_t magic;	  /* EVERYPC_LAYOUT_MAGIC */
	uint32_t version; /* EVERYPC_RIG_VERSION */
	uint32_t arch;	  /* enum ep_arch (abi.h) */

	/* Goroutines: an array of nallg_max structs of g_size bytes at
	   allg_addr; the word at nallg_addr is how many leading slots were ever
	   used; a slot with status 0 is free. curg_addr holds the running g. */
	uint64_t allg_addr, nallg_addr, nallg_max, curg_addr, g0_addr;
	uint32_t g_size;
	uint32_t off_stack_lo, off_stack_hi, off_stackguard;
	uint32_t off_id, off_status, off_preempt_async;
	uint32_t off_sched_sp, off_sched_pc, off_sched_fp, off_sched_lr;
	uint32_t off_sched_kind;
	uint32_t off_async_pc, off_async_sp, off_async_regs;
	uint32_t off_async_regs_size, off_shrink_pending;
	uint32_t field_size_status; /* 4: status, preempt_async, sched_kind and
				       shrink_pending are uint32; the rest are
				       uint64 */
	/* asyncPreempt: entry address and the bytes its frame takes below the
	   interrupted SP (async_sp - async_regs). */
	uint64_t async_preempt_entry;
	uint32_t async_frame_size;
	uint32_t pad0;

	/* Heap: arena [arena_base, arena_base + arena_size), pages of
	   page_size; the span table (see rt_heap_desc in runtime/lib/rt.h,
	   copied here): entry i describes page i; the object containing p is at
	   slot = base + (p - base) / slot_size * slot_size, its header word at
	   slot, its first field at slot + header_size. */
	uint64_t arena_base, arena_size, page_size;
	uint64_t spans_addr, nspans;
	uint32_t span_entry_size, span_entry_is_ptr;
	uint32_t span_off_base, span_off_slot_size;
	uint32_t span_off_nslots, span_off_class; /* ~0u when absent */

	/* Object header (abi.h): state in bits [0,8), type in [16,48). */
	uint32_t header_size; /* 8 */
	uint32_t header_state_mask;
	uint32_t header_allocated; /* EP_OBJ_ALLOCATED */
	uint32_t header_free;	   /* EP_OBJ_FREE */
	uint32_t header_type_shift;
	uint32_t pad1;
	uint64_t stack_base, stack_area; /* goroutine stack reservation */

	/* Marking (RIG-9); the words at these addresses are u32 unless said
	   otherwise. pages_used_addr: u64, pages [0, n) of the arena were
	   ever used (no span beyond). gray_addr: ngray u64 object addresses
	   (first field, as pointers to the object are). extra_roots_addr:
	   nextra entries of {u64 address of the words, u64 count}. */
	uint64_t pages_used_addr;
	uint64_t gcphase_addr;
	uint64_t gray_addr, ngray_addr, gray_overflow_addr;
	uint64_t roots_next_addr;
	uint64_t extra_roots_addr, nextra_roots_addr;
	uint32_t gcphase_mark;	    /* the phase value while a cycle marks */
	uint32_t roots_globals;	    /* roots_next before the globals' job */
	uint32_t span_off_markbits; /* u64 words: bit i%64 of word i/64 is
				       slot i's mark */
	uint32_t off_gcscandone;    /* rt_g: u32 */
	uint32_t off_waitchan;	    /* rt_g: u64 */
	uint32_t pad2;
};

/* Symbols the rig looks up: */
#define EVERYPC_SYM_RIG "everypc_rig"
#define EVERYPC_SYM_LAYOUT "everypc_layout"
#define EVERYPC_SYM_HOOK_ITER_START "everypc_hook_iter_start"
#define EVERYPC_SYM_HOOK_ITER_END "everypc_hook_iter_end"
#define EVERYPC_SYM_HOOK_PARKED "everypc_hook_parked"
#define EVERYPC_SYM_HOOK_THROW "everypc_hook_throw"
#define EVERYPC_SYM_HOOK_GC_DONE "everypc_hook_gc_done"
#define EVERYPC_SYM_HOOK_STACK_COPIED "everypc_hook_stack_copied"
#define EVERYPC_SYM_HOOK_MARK_SLICE "everypc_hook_mark_slice"
#define EVERYPC_SYM_ASYNC_PREEMPT "asyncPreempt"

#endif
