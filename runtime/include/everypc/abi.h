/*
 * everypc/abi.h -- the managed-code ABI: how gosub-compiled code, the runtime
 * and the rig agree on registers, frames, calls and the goroutine header.
 * Contract version EP_ABI_VERSION; every party reads it from this file.
 *
 * INVARIANTS (each numbered so assertions can cite them as "ABI-n"):
 *
 * ABI-1  Stack-based calls (Go ABI0 style). The caller writes argument i at
 *        callerSP + 8*i and reserves the result slot at callerSP + 8*nparams.
 *        Parameters and results are single words (int, bool, pointer, chan).
 *        Every managed register is caller-saved: the caller spills what it
 *        still needs to its frame before a call and reloads afterwards, so at
 *        a call site the frame is precisely described by the call-site map.
 *
 * ABI-2  Frame layout. After the prologue SP is the frame base and stays fixed
 *        until the epilogue; F = ep_func.frame_size (a multiple of 16, also on
 *        amd64 where F excludes the return address pushed by CALL):
 *
 *          amd64:  [SP+F]   return address    [SP+F-8]  saved RBP
 *                  callerSP = SP + F + 8
 *          arm64,  [SP+F-8] saved LR (return address)
 *          riscv64:[SP+F-16] saved FP (x29 / s0)   callerSP = SP + F
 *
 *        [SP, SP+outargs) is the outgoing-argument area, locals and spill
 *        slots sit above it. The frame pointer register points at the saved
 *        FP slot, so FP links form a chain (they are adjusted by stack copy).
 *        Every managed function has a frame (no frameless leaves).
 *
 * ABI-3  Prologue: compare SP - F against g->stackguard (unsigned); when below
 *        jump to a block at the function's end that calls runtime.morestack
 *        and then jumps back to the entry. The prologue, that block and the
 *        epilogue are unsafe ranges (ep_unsafe kinds in meta.h). At
 *        runtime.morestack entry the interrupted function's own return
 *        address is: amd64 at [SP+8]; arm64 in x17; riscv64 in t2 (x7).
 *        It returns into the block (after its call instruction) with that
 *        return address back in place: on the stack top (amd64), in LR
 *        (arm64) or RA (riscv64); the block then jumps to the entry.
 *
 * ABI-4  Reserved registers, never allocated by gosub:
 *          amd64  : RSP, RBP (frame pointer), R14 (g)
 *          arm64  : SP, x29 (FP), x30 (LR), x28 (g), x18 (platform),
 *                   x27 (resume register, see ABI-6)
 *          riscv64: zero, ra, sp, gp, tp, s0 (FP), s11/x27 (g),
 *                   t6/x31 (resume register)
 *        Backend-private scratch (live only inside the expansion of one IR
 *        instruction, never across an instruction boundary of the IR):
 *          amd64 rax rcx rdx r11; arm64 x16 x17; riscv64 t0 t1 t2.
 *
 * ABI-5  The g register always holds the current goroutine's struct ep_g
 *        while managed code runs (also on g0 while the runtime runs C code).
 *
 * ABI-6  Async preemption (pushCall): amd64 pushes the interrupted PC and
 *        jumps to asyncPreempt, which returns with RET. arm64 and riscv64
 *        push the interrupted LR/RA on the stack, set LR/RA to the
 *        interrupted PC and jump to asyncPreempt; asyncPreempt restores every
 *        register but the resume register, loads the resume PC into it and
 *        branches through it. The resume register is therefore the only
 *        register the rig's register oracle does not compare.
 *
 * ABI-7  Runtime entry points callable from managed code follow ABI-1 and
 *        are named "runtime.<name>"; they switch to g0 for C code. Each is
 *        a call site of the caller and may run a GC, so the caller's
 *        call-site map covers the outgoing arguments of that call too.
 *
 * ABI-8  Write barrier (Go's hybrid barrier, mbarrier.go). A store of a
 *        pointer into the heap or a global -- anything but the storing
 *        function's own frame and its stack objects -- is
 *          if (uint32)runtime.writeBarrier != 0:
 *              call runtime.gcWriteBarrier   (slot, new value in scratch)
 *          *slot = new value
 *        runtime.gcWriteBarrier takes the slot's address in the first
 *        scratch register and the new value in the second (amd64 rax, rcx;
 *        arm64 x16, x17; riscv64 t0, t1) and preserves every other register
 *        but the link register (arm64 x30, riscv64 ra, which the frame has
 *        saved); it is not a safe point and has no call-site map. From the
 *        load of the flag to the store is an unsafe range of kind
 *        write-barrier (meta.h META-5): a goroutine stopped inside it could
 *        see the collector change phase between the test and the store.
 */
#ifndef EVERYPC_ABI_H
#define EVERYPC_ABI_H

#include <stdint.h>

#define EP_ABI_VERSION 1

/* Architectures, as stored in ep_module.arch and scenario files. */
enum ep_arch {
	EP_ARCH_AMD64 = 1,
	EP_ARCH_ARM64 = 2,
	EP_ARCH_RISCV64 = 3,
};

/* Words are 8 bytes on every target; all targets are little-endian. */
#define EP_WORD 8

/*
 * Goroutine stacks keep EP_STACK_GUARD bytes below stackguard free for the
 * assembly frames that may be pushed at any safe point (asyncPreempt's
 * register save area, the debug-call frame). The prologue check guarantees
 * SP >= stackguard at every PC outside unsafe ranges.
 */
#define EP_STACK_GUARD 1024
#define EP_STACK_MIN 4096 /* initial goroutine stack size */

/*
 * The head of every goroutine struct. Only these fields are part of the ABI
 * (gosub's prologue reads stackguard through the g register); the rest of
 * the runtime's g, and where the rig finds it, is described by the layout
 * descriptor in rig_abi.h.
 */
struct ep_g_head {
	uint64_t stack_lo;   /* lowest usable address of the stack */
	uint64_t stack_hi;   /* one past the highest address */
	uint64_t stackguard; /* stack_lo + EP_STACK_GUARD; or a poison to force
				the prologue into morestack */
};
#define EP_G_STACK_LO 0
#define EP_G_STACK_HI 8
#define EP_G_STACKGUARD 16

/*
 * Object headers: one word before every heap object. Managed pointers point
 * just past it (at the first field), so an object's header is at p - 8.
 *   bits 0..7   state: EP_OBJ_ALLOCATED or EP_OBJ_FREE
 *   bits 16..47 type index into ep_module.types (EP_TYPE_NONE for runtime
 *               objects without a managed type, e.g. channel buffers)
 */
#define EP_OBJ_FREE 0xF1u
#define EP_OBJ_ALLOCATED 0xA1u
#define EP_OBJ_STATE(h) ((uint32_t)((h)&0xFFu))
#define EP_OBJ_TYPE(h) ((uint32_t)(((h) >> 16) & 0xFFFFFFFFu))
#define EP_OBJ_HEADER(type, state)                                             \
	(((uint64_t)(type) << 16) | (uint64_t)(state))
#define EP_TYPE_NONE 0xFFFFFFFFu

/*
 * Size classes: shared by gosub (its inline allocation fast path indexes the
 * runtime's per-class bump cursors by class) and the runtime. Sizes include
 * the header word. Objects larger than the last class are "large" and always
 * take the slow path.
 */
#define EP_SIZE_CLASSES(X)                                                     \
	X(0, 16)                                                               \
	X(1, 32)                                                               \
	X(2, 48)                                                               \
	X(3, 64)                                                               \
	X(4, 96)                                                               \
	X(5, 128)                                                              \
	X(6, 192)                                                              \
	X(7, 256)                                                              \
	X(8, 384)                                                              \
	X(9, 512)                                                              \
	X(10, 1024)                                                            \
	X(11, 2048)
#define EP_NUM_SIZE_CLASSES 12
#define EP_MAX_SMALL_SIZE 2048

/*
 * The inline allocation fast path (a GC-atomic unsafe range), for an object
 * of type index T whose size with header fits class c:
 *     p = runtime.alloc_next[c]; e = p + classsize(c)
 *     if e > runtime.alloc_limit[c]: slow path (call runtime.newobject(T))
 *     runtime.alloc_next[c] = e
 *     *(uint64*)p = EP_OBJ_HEADER(T, EP_OBJ_ALLOCATED); zero p+8 .. e
 *     result = p + 8
 * runtime.alloc_next and runtime.alloc_limit are arrays of
 * EP_NUM_SIZE_CLASSES words exported by the runtime. The runtime keeps
 * [alloc_next[c], alloc_limit[c]) a run of free, zeroable slots.
 */

/*
 * Runtime entry points called by managed code (ABI-7). Arguments in order,
 * "-> r" marks a result word.
 *   runtime.newobject(typeidx) -> ptr          slow path of new(T)
 *   runtime.makechan(cap) -> chan
 *   runtime.chansend(chan, value)
 *   runtime.chanrecv(chan) -> value
 *   runtime.newproc(fnentry, argbytes, args...) go statement; copies args
 *   runtime.Gosched()
 *   runtime.GC()
 *   runtime.printint(v) runtime.printbool(v) runtime.printstr(ptr, len)
 *   runtime.printsp() runtime.printnl()       println pieces, to stderr
 *   runtime.panicstr(ptr, len)                 panic("literal")
 *   runtime.panicindex(index, length)          index out of range
 *   runtime.panicdivide()                      integer divide by zero
 *   runtime.panicnil()                         nil pointer dereference
 *   runtime.morestack                          prologue only (ABI-3)
 * Managed functions are named "main.<name>" (main.main is the program).
 */

#endif
