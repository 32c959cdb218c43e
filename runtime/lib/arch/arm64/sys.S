/*
 * arch/arm64/sys.S -- arm64 start-up, context switches, runtime entry stubs,
 * goexit, asyncPreempt and the signal return trampoline.
 *
 * Registers: x28 = g (ABI-4/5), x29 = FP, x30 = LR, x27 = resume register
 * (ABI-6), x16/x17 scratch. At a call from managed code every other
 * register is dead (ABI-1), so stubs use any scratch. Invariants SCHED-1
 * (sched.h), RT-1/RT-2 (rt.h), ABI-3/ABI-6 (abi.h), RIG-7 (rig_abi.h).
 */
#include "rt_asm.h"
#include "dcall.h"

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
/* The register block shared by asyncPreempt and the debug-call entry
   (RIG-7 order): one definition of its layout. */
.macro SAVE_GPRS
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
.endm

.macro RESTORE_GPRS_X0_X25
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
.endm

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

/* runtime.gcWriteBarrier (ABI-8): x16 = the slot, x17 = the new value,
   x30 = the return address into a write-barrier range. Not a safe point:
   every register but x16 and x17 is preserved (x30 too: the caller's
   frame saved its own LR), on the goroutine's stack inside the
   EP_STACK_GUARD reserve; rt_gc_wbarrier runs on g0 with rt_curg
   unchanged. */
	.globl runtime.gcWriteBarrier
	.type runtime.gcWriteBarrier, %function
runtime.gcWriteBarrier:
	sub sp, sp, #256
	SAVE_GPRS
	mrs x0, nzcv
	stp x30, x0, [sp, #240]
	mov x19, sp
	mov x0, x16
	mov x1, x17
	LOAD_G0 x28
	ldr x16, [x28, #RTG_SCHED_SP]
	mov sp, x16
	mov x29, #0
	bl rt_gc_wbarrier
	mov sp, x19
	ldp x30, x0, [sp, #240]
	msr nzcv, x0
	RESTORE_GPRS_X0_X25
	ldp x26, x27, [sp, #208]
	ldp x28, x29, [sp, #224]
	add sp, sp, #256
	ret
	.size runtime.gcWriteBarrier, .-runtime.gcWriteBarrier

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
	SAVE_GPRS
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
	RESTORE_GPRS_X0_X25
	ldr x26, [sp, #208]
	ldp x28, x29, [sp, #224]
	ldr x30, [sp, #240]
	ldr x27, [sp, #256]
	add sp, sp, #RT_ASYNC_FRAME_ARM64
	ret x27 /* not br: RET leaves PSTATE.BTYPE 0, as it was at the interrupted PC */
	.size asyncPreempt, .-asyncPreempt

/* ---- debug-call injection (everypc/debugcall.h DC-n, dcall.h) ---- */

.macro DC_TRAP status
	mov x20, #\status
	brk #0xdc0
.endm

/* [SP] = rt_dcstate's message pointer, [SP+8] = its length (x0, x1). */
.macro DC_PUT_MSG
	adrp x1, rt_dcstate
	add x1, x1, :lo12:rt_dcstate
	ldr x0, [x1, #DCS_MSG_PTR]
	str x0, [sp]
	ldr x0, [x1, #DCS_MSG_LEN]
	str x0, [sp, #8]
.endm

/* runtime.debugCallV2: entered as DC-1 sets it up: SP = ISP - 16, [SP] =
   the interrupted LR, LR = the interrupted PC, [SP - 16] = the frame size.
   Saves every register in the 304-byte entry frame (dcall.h) before
   touching any; a user goroutine on its own stack goes to rt_e_debugcall
   on g0, anything else is refused here. */
	.globl runtime.debugCallV2
	.type runtime.debugCallV2, %function
runtime.debugCallV2:
	sub sp, sp, #(DC_FRAME_ARM64 - 16)
	SAVE_GPRS
	ldr x0, [sp, #288]
	str x0, [sp, #240]
	add x0, sp, #DC_FRAME_ARM64
	str x0, [sp, #248]
	str x30, [sp, #256]
	mrs x1, nzcv
	str x1, [sp, #264]
	str xzr, [sp, #280]
	adrp x2, rt_dcstate
	add x2, x2, :lo12:rt_dcstate
	mov x1, sp
	str x1, [x2, #DCS_ENTRY]
	adrp x3, rt_curg
	ldr x3, [x3, :lo12:rt_curg]
	cbz x3, 1f
	cmp x3, x28
	b.ne 1f
	ldr x4, [x3, #RTG_STACK_LO]
	cmp x0, x4
	b.ls 1f
	ldr x4, [x3, #RTG_STACK_HI]
	cmp x0, x4
	b.hi 1f
	CALL_ON_G0 rt_e_debugcall
1:	adrp x0, rt_dc_reason_runtime
	add x0, x0, :lo12:rt_dc_reason_runtime
	str x0, [x2, #DCS_MSG_PTR]
	mov x0, #DC_REASON_RUNTIME_LEN
	str x0, [x2, #DCS_MSG_LEN]
/* Refused (SP = the entry frame): ERROR with the reason at [SP], [SP+8],
   then RESTORE. */
	.globl rt_dc_refuse
rt_dc_refuse:
	sub sp, sp, #16
	DC_PUT_MSG
	DC_TRAP 8
	add sp, sp, #16
/* SP = the entry frame. The debugger restores everything (DC-3); if it
   continues instead, restore all but x27, which carries the PC (ABI-6). */
	.globl rt_dc_restore
rt_dc_restore:
	DC_TRAP 16
	ldr x0, [sp, #264]
	msr nzcv, x0
	RESTORE_GPRS_X0_X25
	ldr x26, [sp, #208]
	ldp x28, x29, [sp, #224]
	ldr x30, [sp, #240]
	ldr x27, [sp, #256]
	add sp, sp, #DC_FRAME_ARM64
	ret x27
	.size runtime.debugCallV2, .-runtime.debugCallV2

/* rt_dc_resume(g, sp, pc): continue g at pc on sp (no managed frame). */
	.globl rt_dc_resume
	.type rt_dc_resume, %function
rt_dc_resume:
	mov x28, x0
	mov sp, x1
	mov x29, #0
	ret x2
	.size rt_dc_resume, .-rt_dc_resume

/* The call goroutine's code (DCI-2). runtime.debugCallN opens a frame of
   16 + N bytes: [SP] the function, [SP+8] 0, [SP+16..] its arguments. */
	.globl rt_dc_text_start
rt_dc_text_start:
.macro DCALL n
	.globl runtime.debugCall\n
	.type runtime.debugCall\n, %function
runtime.debugCall\n:
	sub sp, sp, #(16 + \n)
	b rt_dc_run
	.size runtime.debugCall\n, .-runtime.debugCall\n
.endm
	DCALL 32
	DCALL 64
	DCALL 128
	DCALL 256
rt_dc_run:
	DC_TRAP 0
	ldr x16, [sp]
	add sp, sp, #16
	mov x29, #0
	blr x16
	sub sp, sp, #16
	DC_TRAP 1
	CALL_ON_G0 rt_e_debugcall_done
/* The call panicked (rt_debugcall_panic): PANIC with the message. */
	.globl rt_dc_panicked
rt_dc_panicked:
	DC_PUT_MSG
	DC_TRAP 2
	CALL_ON_G0 rt_e_debugcall_done
	.globl rt_dc_text_end
rt_dc_text_end:
	brk #0

	.section .rodata
rt_dc_reason_runtime:
	.ascii "call from within the Go runtime"
	.text

/* sa_restorer: return from a signal handler. */
	.globl rt_sigreturn_tramp
	.type rt_sigreturn_tramp, %function
rt_sigreturn_tramp:
	mov x8, #139
	svc #0
	brk #0
	.size rt_sigreturn_tramp, .-rt_sigreturn_tramp

	.section .note.GNU-stack, "", %progbits
