/*
 * sys_arm64.S -- arm64 start-up, context switches, runtime entry stubs,
 * goexit, asyncPreempt and the signal return trampoline.
 *
 * Registers: x28 = g (ABI-4/5), x29 = FP, x30 = LR, x27 = resume register
 * (ABI-6), x16/x17 scratch. At a call from managed code every other
 * register is dead (ABI-1), so stubs use any scratch. Invariants SCHED-1
 * (sched.h), RT-1/RT-2 (rt.h), ABI-3/ABI-6 (abi.h), RIG-7 (rig_abi.h).
 */
#include "rt_asm.h"

	.text

.macro LOAD_G0 reg
	adrp \reg, rt_g0
	add \reg, \reg, :lo12:rt_g0
.endm

/* Process entry: SP points at argc. */
	.globl _start
	.type _start, %function
_start:
	mov x29, #0
	mov x30, #0
	mov x0, sp
	bl rt_start
	brk #0
	.size _start, .-_start

/* rt_g0_run(fn): call fn on an empty g0 stack (never returns). */
	.globl rt_g0_run
	.type rt_g0_run, %function
rt_g0_run:
	LOAD_G0 x28
	ldr x16, [x28, #RTG_SCHED_SP]
	mov sp, x16
	mov x29, #0
	blr x0
	brk #0
	.size rt_g0_run, .-rt_g0_run

/* rt_gogo(g): resume g at g->sched (SP, FP, LR, PC; g register). */
	.globl rt_gogo
	.type rt_gogo, %function
rt_gogo:
	mov x28, x0
	ldr x16, [x0, #RTG_SCHED_SP]
	mov sp, x16
	ldr x29, [x0, #RTG_SCHED_FP]
	ldr x30, [x0, #RTG_SCHED_LR]
	ldr x16, [x0, #RTG_SCHED_PC]
	ret x16 /* RET, not BR: managed code never sees PSTATE.BTYPE != 0 */
	.size rt_gogo, .-rt_gogo

/* Caller's synchronous context: LR is the return address, SP the caller's
   SP (ABI-1/2). morestack (kind 1): LR returns into the morestack block,
   SP is f's SP at entry, x17 holds f's own return address (ABI-3). */
.macro SAVE_SYNC kind
	str x30, [x28, #RTG_SCHED_PC]
	mov x16, sp
	str x16, [x28, #RTG_SCHED_SP]
	str x29, [x28, #RTG_SCHED_FP]
	.if \kind == RT_SCHED_KIND_MORESTACK
	str x17, [x28, #RTG_SCHED_LR]
	.else
	str x30, [x28, #RTG_SCHED_LR]
	.endif
	mov w16, #\kind
	str w16, [x28, #RTG_SCHED_KIND]
.endm

/* Switch to g0 and call cfunc(g); resume the g it returns (SCHED-1). */
.macro CALL_ON_G0 cfunc
	mov x0, x28
	LOAD_G0 x28
	ldr x16, [x28, #RTG_SCHED_SP]
	mov sp, x16
	mov x29, #0
	bl \cfunc
	b rt_gogo
.endm

.macro ENTRY name, cfunc, kind=0
	.globl runtime.\name
	.type runtime.\name, %function
runtime.\name:
	SAVE_SYNC \kind
	CALL_ON_G0 \cfunc
	.size runtime.\name, .-runtime.\name
.endm

	ENTRY newobject, rt_e_newobject
	ENTRY makechan, rt_e_makechan
	ENTRY chansend, rt_e_chansend
	ENTRY chanrecv, rt_e_chanrecv
	ENTRY newproc, rt_e_newproc
	ENTRY Gosched, rt_e_gosched
	ENTRY GC, rt_e_gc
	ENTRY printint, rt_e_printint
	ENTRY printbool, rt_e_printbool
	ENTRY printstr, rt_e_printstr
	ENTRY printsp, rt_e_printsp
	ENTRY printnl, rt_e_printnl
	ENTRY panicstr, rt_e_panicstr
	ENTRY panicindex, rt_e_panicindex
	ENTRY panicdivide, rt_e_panicdivide
	ENTRY panicnil, rt_e_panicnil
	ENTRY panicshift, rt_e_panicshift
	ENTRY morestack, rt_e_morestack, RT_SCHED_KIND_MORESTACK

/* A goroutine's function returns here (PROC-3). */
	.globl rt_goexit
	.type rt_goexit_fn, %function
rt_goexit_fn:
	nop
rt_goexit:
	CALL_ON_G0 rt_e_goexit
	.size rt_goexit_fn, .-rt_goexit_fn

/* asyncPreempt: entered by pushCall (ABI-6): SP = interrupted SP - 16,
   [SP] = interrupted LR, LR = interrupted PC. Frame (RIG-7), 288 bytes:
     [0..248)  x0..x30 (slot 30 = the interrupted LR)
     [248] interrupted SP  [256] interrupted PC  [264] NZCV
     [272] pushCall slot (interrupted LR)  [280] 0 */
	.globl asyncPreempt
	.type asyncPreempt, %function
asyncPreempt:
	sub sp, sp, #272
	stp x0, x1, [sp, #0]
	stp x2, x3, [sp, #16]
	stp x4, x5, [sp, #32]
	stp x6, x7, [sp, #48]
	stp x8, x9, [sp, #64]
	stp x10, x11, [sp, #80]
	stp x12, x13, [sp, #96]
	stp x14, x15, [sp, #112]
	stp x16, x17, [sp, #128]
	stp x18, x19, [sp, #144]
	stp x20, x21, [sp, #160]
	stp x22, x23, [sp, #176]
	stp x24, x25, [sp, #192]
	stp x26, x27, [sp, #208]
	stp x28, x29, [sp, #224]
	ldr x0, [sp, #272]
	str x0, [sp, #240]
	add x0, sp, #RT_ASYNC_FRAME_ARM64
	str x0, [sp, #248]
	str x30, [sp, #256]
	mrs x1, nzcv
	str x1, [sp, #264]
	str x30, [x28, #RTG_ASYNC_PC]
	str x0, [x28, #RTG_ASYNC_SP]
	mov x1, sp
	str x1, [x28, #RTG_ASYNC_REGS]
	str x1, [x28, #RTG_SCHED_SP]
	mov x1, #RT_ASYNC_FRAME_ARM64
	str x1, [x28, #RTG_ASYNC_REGS_SIZE]
	adr x1, asyncPreempt_resume
	str x1, [x28, #RTG_SCHED_PC]
	str x29, [x28, #RTG_SCHED_FP]
	mov w1, #1
	str w1, [x28, #RTG_PREEMPT_ASYNC]
	CALL_ON_G0 rt_e_async_park
/* rt_gogo lands here with SP = the frame above, x28 = g. Everything but
   x27 is restored; x27 carries the resume PC (ABI-6). */
asyncPreempt_resume:
	ldr x0, [sp, #264]
	msr nzcv, x0
	ldp x0, x1, [sp, #0]
	ldp x2, x3, [sp, #16]
	ldp x4, x5, [sp, #32]
	ldp x6, x7, [sp, #48]
	ldp x8, x9, [sp, #64]
	ldp x10, x11, [sp, #80]
	ldp x12, x13, [sp, #96]
	ldp x14, x15, [sp, #112]
	ldp x16, x17, [sp, #128]
	ldp x18, x19, [sp, #144]
	ldp x20, x21, [sp, #160]
	ldp x22, x23, [sp, #176]
	ldp x24, x25, [sp, #192]
	ldr x26, [sp, #208]
	ldp x28, x29, [sp, #224]
	ldr x30, [sp, #240]
	ldr x27, [sp, #256]
	add sp, sp, #RT_ASYNC_FRAME_ARM64
	ret x27 /* not br: RET leaves PSTATE.BTYPE 0, as it was at the interrupted PC */
	.size asyncPreempt, .-asyncPreempt

/* sa_restorer: return from a signal handler. */
	.globl rt_sigreturn_tramp
	.type rt_sigreturn_tramp, %function
rt_sigreturn_tramp:
	mov x8, #139
	svc #0
	brk #0
	.size rt_sigreturn_tramp, .-rt_sigreturn_tramp

	.section .note.GNU-stack, "", %progbits
