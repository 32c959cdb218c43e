/*
 * arch/riscv64/sys.S -- riscv64 start-up, context switches, runtime entry stubs,
 * goexit, asyncPreempt and the signal return trampoline.
 *
 * Registers: s11/x27 = g (ABI-4/5), s0 = FP, ra = return address, t6/x31 =
 * resume register (ABI-6), t0..t2 scratch, gp = __global_pointer$ (set at
 * start for the linker's gp relaxation of C code; managed code never
 * touches it). At a call from managed code every other register is dead
 * (ABI-1). Invariants SCHED-1 (sched.h), RT-1/RT-2 (rt.h), ABI-3/ABI-6
 * (abi.h), RIG-7 (rig_abi.h).
 */
#include "rt_asm.h"
#include "dcall.h"

	.text

/* Process entry: SP points at argc. */
	.globl _start
	.type _start, @function
_start:
	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	li s0, 0
	li ra, 0
	mv a0, sp
	call rt_start
	ebreak
	.size _start, .-_start

/* rt_g0_run(fn): call fn on an empty g0 stack (never returns). */
	.globl rt_g0_run
	.type rt_g0_run, @function
rt_g0_run:
	la s11, rt_g0
	ld sp, RTG_SCHED_SP(s11)
	li s0, 0
	jalr a0
	ebreak
	.size rt_g0_run, .-rt_g0_run

/* rt_gogo(g): resume g at g->sched (SP, FP, RA, PC; g register). */
	.globl rt_gogo
	.type rt_gogo, @function
rt_gogo:
	mv s11, a0
	ld sp, RTG_SCHED_SP(a0)
	ld s0, RTG_SCHED_FP(a0)
	ld ra, RTG_SCHED_LR(a0)
	ld t0, RTG_SCHED_PC(a0)
	jr t0
	.size rt_gogo, .-rt_gogo

/* Caller's synchronous context: ra is the return address, sp the caller's
   SP (ABI-1/2). morestack (kind 1): ra returns into the morestack block,
   sp is f's SP at entry, t2 holds f's own return address (ABI-3). */
/* Register block runs shared by asyncPreempt and the debug-call entry
   (RIG-7 order): one definition of the layout. */
.macro RESTORE_X3_X29
	ld x3, 24(sp)
	ld x4, 32(sp)
	ld x5, 40(sp)
	ld x6, 48(sp)
	ld x7, 56(sp)
	ld x8, 64(sp)
	ld x9, 72(sp)
	ld x10, 80(sp)
	ld x11, 88(sp)
	ld x12, 96(sp)
	ld x13, 104(sp)
	ld x14, 112(sp)
	ld x15, 120(sp)
	ld x16, 128(sp)
	ld x17, 136(sp)
	ld x18, 144(sp)
	ld x19, 152(sp)
	ld x20, 160(sp)
	ld x21, 168(sp)
	ld x22, 176(sp)
	ld x23, 184(sp)
	ld x24, 192(sp)
	ld x25, 200(sp)
	ld x26, 208(sp)
	ld x27, 216(sp)
	ld x28, 224(sp)
	ld x29, 232(sp)
.endm

.macro SAVE_X3_X29
	sd x3, 24(sp)
	sd x4, 32(sp)
	sd x5, 40(sp)
	sd x6, 48(sp)
	sd x7, 56(sp)
	sd x8, 64(sp)
	sd x9, 72(sp)
	sd x10, 80(sp)
	sd x11, 88(sp)
	sd x12, 96(sp)
	sd x13, 104(sp)
	sd x14, 112(sp)
	sd x15, 120(sp)
	sd x16, 128(sp)
	sd x17, 136(sp)
	sd x18, 144(sp)
	sd x19, 152(sp)
	sd x20, 160(sp)
	sd x21, 168(sp)
	sd x22, 176(sp)
	sd x23, 184(sp)
	sd x24, 192(sp)
	sd x25, 200(sp)
	sd x26, 208(sp)
	sd x27, 216(sp)
	sd x28, 224(sp)
	sd x29, 232(sp)
.endm

.macro SAVE_SYNC kind
	sd ra, RTG_SCHED_PC(s11)
	sd sp, RTG_SCHED_SP(s11)
	sd s0, RTG_SCHED_FP(s11)
	.if \kind == RT_SCHED_KIND_MORESTACK
	sd t2, RTG_SCHED_LR(s11)
	.else
	sd ra, RTG_SCHED_LR(s11)
	.endif
	li t0, \kind
	sw t0, RTG_SCHED_KIND(s11)
.endm

/* Switch to g0 and call cfunc(g); resume the g it returns (SCHED-1). */
.macro CALL_ON_G0 cfunc
	mv a0, s11
	la s11, rt_g0
	ld sp, RTG_SCHED_SP(s11)
	li s0, 0
	call \cfunc
	j rt_gogo
.endm

.macro ENTRY name, cfunc, kind=0
	.globl runtime.\name
	.type runtime.\name, @function
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

/* runtime.gcWriteBarrier (ABI-8): t0 = the slot, t1 = the new value,
   ra = the return address into a write-barrier range. Not a safe point:
   every register but t0 and t1 is preserved (ra too: the caller's frame
   saved its own RA), on the goroutine's stack inside the EP_STACK_GUARD
   reserve; rt_gc_wbarrier runs on g0 with rt_curg unchanged. */
	.globl runtime.gcWriteBarrier
	.type runtime.gcWriteBarrier, @function
runtime.gcWriteBarrier:
	addi sp, sp, -144
	sd ra, 0(sp)
	sd a0, 8(sp)
	sd a1, 16(sp)
	sd a2, 24(sp)
	sd a3, 32(sp)
	sd a4, 40(sp)
	sd a5, 48(sp)
	sd a6, 56(sp)
	sd a7, 64(sp)
	sd t2, 72(sp)
	sd t3, 80(sp)
	sd t4, 88(sp)
	sd t5, 96(sp)
	sd t6, 104(sp)
	sd s0, 112(sp)
	sd s1, 120(sp)
	sd s11, 128(sp)
	mv s1, sp
	mv a0, t0
	mv a1, t1
	la s11, rt_g0
	ld sp, RTG_SCHED_SP(s11)
	li s0, 0
	call rt_gc_wbarrier
	mv sp, s1
	ld ra, 0(sp)
	ld a0, 8(sp)
	ld a1, 16(sp)
	ld a2, 24(sp)
	ld a3, 32(sp)
	ld a4, 40(sp)
	ld a5, 48(sp)
	ld a6, 56(sp)
	ld a7, 64(sp)
	ld t2, 72(sp)
	ld t3, 80(sp)
	ld t4, 88(sp)
	ld t5, 96(sp)
	ld t6, 104(sp)
	ld s0, 112(sp)
	ld s1, 120(sp)
	ld s11, 128(sp)
	addi sp, sp, 144
	ret
	.size runtime.gcWriteBarrier, .-runtime.gcWriteBarrier

/* A goroutine's function returns here (PROC-3). */
	.globl rt_goexit
	.type rt_goexit_fn, @function
rt_goexit_fn:
	nop
rt_goexit:
	CALL_ON_G0 rt_e_goexit
	.size rt_goexit_fn, .-rt_goexit_fn

/* asyncPreempt: entered by pushCall (ABI-6): sp = interrupted sp - 16,
   [sp] = interrupted ra, ra = interrupted PC. Frame (RIG-7), 288 bytes:
     [0] interrupted PC   [8*i] xi for i = 1..31 (x1 = interrupted ra,
     x2 = interrupted sp)   [256..272) 0   [272] pushCall slot   [280] 0 */
	.globl asyncPreempt
	.type asyncPreempt, @function
asyncPreempt:
	addi sp, sp, -272
	SAVE_X3_X29
	sd x30, 240(sp)
	sd x31, 248(sp)
	ld t0, 272(sp)
	sd t0, 8(sp)
	addi t0, sp, RT_ASYNC_FRAME_RISCV64
	sd t0, 16(sp)
	sd ra, 0(sp)
	sd zero, 256(sp)
	sd zero, 264(sp)
	sd ra, RTG_ASYNC_PC(s11)
	sd t0, RTG_ASYNC_SP(s11)
	sd sp, RTG_ASYNC_REGS(s11)
	sd sp, RTG_SCHED_SP(s11)
	li t1, RT_ASYNC_FRAME_RISCV64
	sd t1, RTG_ASYNC_REGS_SIZE(s11)
	la t1, asyncPreempt_resume
	sd t1, RTG_SCHED_PC(s11)
	sd s0, RTG_SCHED_FP(s11)
	li t1, 1
	sw t1, RTG_PREEMPT_ASYNC(s11)
	CALL_ON_G0 rt_e_async_park
/* rt_gogo lands here with sp = the frame above, s11 = g. Everything but
   t6 is restored; t6 carries the resume PC (ABI-6). */
asyncPreempt_resume:
	ld x1, 8(sp)
	RESTORE_X3_X29
	ld x30, 240(sp)
	ld x31, 0(sp)
	addi sp, sp, RT_ASYNC_FRAME_RISCV64
	jr x31
	.size asyncPreempt, .-asyncPreempt

/* ---- debug-call injection (everypc/debugcall.h DC-n, dcall.h) ---- */

/* The trap: t5 = status, then a 4-byte EBREAK (DC-2: never c.ebreak, the
   debugger adds 4 to continue). */
.macro DC_TRAP status
	li t5, \status
	.option push
	.option norvc
	ebreak
	.option pop
.endm

/* [sp] = rt_dcstate's message pointer, [sp+8] = its length (t0, t1). */
.macro DC_PUT_MSG
	la t1, rt_dcstate
	ld t0, DCS_MSG_PTR(t1)
	sd t0, 0(sp)
	ld t0, DCS_MSG_LEN(t1)
	sd t0, 8(sp)
.endm

/* runtime.debugCallV2: entered as DC-1 sets it up: sp = ISP - 16, [sp] =
   the interrupted ra, ra = the interrupted PC, [sp - 16] = the frame size.
   Saves every register in the 304-byte entry frame (dcall.h) before
   touching any; a user goroutine on its own stack goes to rt_e_debugcall
   on g0, anything else is refused here. A debugger may stop the program
   anywhere, even at _start before gp is set (found by `everypc chance`):
   no address here may be gp-relative, so the linker must not relax the
   la's into gp-relative loads. */
	.globl runtime.debugCallV2
	.type runtime.debugCallV2, @function
	.option push
	.option norelax
runtime.debugCallV2:
	addi sp, sp, -(DC_FRAME_RISCV64 - 16)
	SAVE_X3_X29
	sd x30, 240(sp)
	sd x31, 248(sp)
	ld t0, 288(sp)
	sd t0, 8(sp)
	addi t0, sp, DC_FRAME_RISCV64
	sd t0, 16(sp)
	sd ra, 0(sp)
	sd zero, 256(sp)
	sd zero, 264(sp)
	sd zero, 280(sp)
	la t1, rt_dcstate
	sd sp, DCS_ENTRY(t1)
	la t2, rt_curg
	ld t2, 0(t2)
	beqz t2, 1f
	bne t2, s11, 1f
	ld t3, RTG_STACK_LO(t2)
	bleu t0, t3, 1f
	ld t3, RTG_STACK_HI(t2)
	bgtu t0, t3, 1f
	CALL_ON_G0 rt_e_debugcall
1:	la t0, rt_dc_reason_runtime
	sd t0, DCS_MSG_PTR(t1)
	li t0, DC_REASON_RUNTIME_LEN
	sd t0, DCS_MSG_LEN(t1)
/* Refused (sp = the entry frame): ERROR with the reason at [sp], [sp+8],
   then RESTORE. */
	.globl rt_dc_refuse
rt_dc_refuse:
	addi sp, sp, -16
	DC_PUT_MSG
	DC_TRAP 8
	addi sp, sp, 16
/* sp = the entry frame. The debugger restores everything (DC-3); if it
   continues instead, restore all but t6, which carries the PC (ABI-6). */
	.globl rt_dc_restore
rt_dc_restore:
	DC_TRAP 16
	ld x1, 8(sp)
	RESTORE_X3_X29
	ld x30, 240(sp)
	ld x31, 0(sp)
	addi sp, sp, DC_FRAME_RISCV64
	jr x31
	.size runtime.debugCallV2, .-runtime.debugCallV2
	.option pop

/* rt_dc_resume(g, sp, pc): continue g at pc on sp (no managed frame). */
	.globl rt_dc_resume
	.type rt_dc_resume, @function
rt_dc_resume:
	mv s11, a0
	mv sp, a1
	li s0, 0
	jr a2
	.size rt_dc_resume, .-rt_dc_resume

/* The call goroutine's code (DCI-2). runtime.debugCallN opens a frame of
   16 + N bytes: [sp] the function, [sp+8] 0, [sp+16..] its arguments. */
	.globl rt_dc_text_start
rt_dc_text_start:
.macro DCALL n
	.globl runtime.debugCall\n
	.type runtime.debugCall\n, @function
runtime.debugCall\n:
	addi sp, sp, -(16 + \n)
	j rt_dc_run
	.size runtime.debugCall\n, .-runtime.debugCall\n
.endm
	DCALL 32
	DCALL 64
	DCALL 128
	DCALL 256
rt_dc_run:
	DC_TRAP 0
	ld t0, 0(sp)
	addi sp, sp, 16
	li s0, 0
	jalr t0
	addi sp, sp, -16
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
	ebreak

	.section .rodata
rt_dc_reason_runtime:
	.ascii "call from within the Go runtime"
	.text

/* Not used on riscv64 (no SA_RESTORER); defined for the common header. */
	.globl rt_sigreturn_tramp
	.type rt_sigreturn_tramp, @function
rt_sigreturn_tramp:
	li a7, 139
	ecall
	ebreak
	.size rt_sigreturn_tramp, .-rt_sigreturn_tramp

	.section .note.GNU-stack, "", @progbits
