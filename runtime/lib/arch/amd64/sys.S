/*
 * arch/amd64/sys.S -- amd64 start-up, context switches, runtime entry stubs,
 * goexit, asyncPreempt and the signal return trampoline.
 *
 * Registers: R14 = g (ABI-4/5), RBP = frame pointer, RSP. At a call from
 * managed code every other register is dead (ABI-1: caller-saved), so the
 * stubs use any scratch they like. Invariants SCHED-1 (sched.h), RT-1/RT-2
 * (rt.h), ABI-3/ABI-6 (abi.h), RIG-7 (rig_abi.h).
 */
#include "rt_asm.h"
#include "dcall.h"

	.text

/* Process entry: RSP points at argc. C start-up runs on the process stack
   and switches to g0's own stack for good (rt_g0_run). */
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp
	mov %rsp, %rdi
	and $-16, %rsp
	call rt_start
	ud2
	.size _start, .-_start

/* rt_g0_run(fn): call fn on an empty g0 stack (never returns). */
	.globl rt_g0_run
	.type rt_g0_run, @function
rt_g0_run:
	lea rt_g0(%rip), %r14
	mov RTG_SCHED_SP(%r14), %rsp
	xor %ebp, %ebp
	call *%rdi
	ud2
	.size rt_g0_run, .-rt_g0_run

/* rt_gogo(g): resume g at g->sched (SP, FP, PC; g register). */
	.globl rt_gogo
	.type rt_gogo, @function
rt_gogo:
	mov %rdi, %r14
	mov RTG_SCHED_SP(%rdi), %rsp
	mov RTG_SCHED_FP(%rdi), %rbp
	jmp *RTG_SCHED_PC(%rdi)
	.size rt_gogo, .-rt_gogo

/* The register block of asyncPreempt's frame and of the debug-call entry
   frame: every GPR but RSP, one word each from RSP + 0 (rax rbx rcx rdx rsi
   rdi rbp, then r8..r15 from RSP + 64); slot 56 is the caller's. */
.macro SAVE_GPRS
	mov %rax, 0(%rsp)
	mov %rbx, 8(%rsp)
	mov %rcx, 16(%rsp)
	mov %rdx, 24(%rsp)
	mov %rsi, 32(%rsp)
	mov %rdi, 40(%rsp)
	mov %rbp, 48(%rsp)
	mov %r8, 64(%rsp)
	mov %r9, 72(%rsp)
	mov %r10, 80(%rsp)
	mov %r11, 88(%rsp)
	mov %r12, 96(%rsp)
	mov %r13, 104(%rsp)
	mov %r14, 112(%rsp)
	mov %r15, 120(%rsp)
.endm
.macro RESTORE_GPRS
	mov 0(%rsp), %rax
	mov 8(%rsp), %rbx
	mov 16(%rsp), %rcx
	mov 24(%rsp), %rdx
	mov 32(%rsp), %rsi
	mov 40(%rsp), %rdi
	mov 48(%rsp), %rbp
	mov 64(%rsp), %r8
	mov 72(%rsp), %r9
	mov 80(%rsp), %r10
	mov 88(%rsp), %r11
	mov 96(%rsp), %r12
	mov 104(%rsp), %r13
	mov 112(%rsp), %r14
	mov 120(%rsp), %r15
.endm

/* Save the caller's synchronous context: [RSP] is the return address,
   the caller's SP is RSP+8 (ABI-1/2). For morestack (kind 1) this is the
   morestack block's return address and f's SP at entry (ABI-3). */
.macro SAVE_SYNC kind
	mov (%rsp), %rax
	mov %rax, RTG_SCHED_PC(%r14)
	lea 8(%rsp), %rax
	mov %rax, RTG_SCHED_SP(%r14)
	mov %rbp, RTG_SCHED_FP(%r14)
	movq $0, RTG_SCHED_LR(%r14)
	movl $\kind, RTG_SCHED_KIND(%r14)
.endm

/* Switch to g0 and call cfunc(g); resume the g it returns (SCHED-1). */
.macro CALL_ON_G0 cfunc
	mov %r14, %rdi
	lea rt_g0(%rip), %r14
	mov RTG_SCHED_SP(%r14), %rsp
	xor %ebp, %ebp
	call \cfunc
	mov %rax, %rdi
	jmp rt_gogo
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

/* runtime.gcWriteBarrier (ABI-8): RAX = the slot, RCX = the new value,
   [RSP] = the return address into a write-barrier range. Not a safe point:
   every register but RAX and RCX is preserved (on the goroutine's stack,
   inside the EP_STACK_GUARD reserve), and rt_gc_wbarrier runs on g0 with
   rt_curg unchanged. */
	.globl runtime.gcWriteBarrier
	.type runtime.gcWriteBarrier, @function
runtime.gcWriteBarrier:
	push %rbx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	push %r14
	pushfq
	mov %rsp, %rbx
	mov %rax, %rdi
	mov %rcx, %rsi
	lea rt_g0(%rip), %r14
	mov RTG_SCHED_SP(%r14), %rsp
	call rt_gc_wbarrier
	mov %rbx, %rsp
	popfq
	pop %r14
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rbx
	ret
	.size runtime.gcWriteBarrier, .-runtime.gcWriteBarrier

/* A goroutine's function returns here (PROC-3); RSP = its argument base.
   The nop keeps return-address-minus-one inside this symbol. */
	.globl rt_goexit
	.type rt_goexit_fn, @function
rt_goexit_fn:
	nop
rt_goexit:
	CALL_ON_G0 rt_e_goexit
	.size rt_goexit_fn, .-rt_goexit_fn

/* asyncPreempt: entered by the signal handler's pushCall (ABI-6) with the
   interrupted PC at [RSP] and every register as interrupted. Frame
   (RIG-7), 144 bytes below the interrupted SP:
     [0..128)  rax rbx rcx rdx rsi rdi rbp rsp r8..r15 (GDB order)
     [128]     rflags     [136] interrupted PC (pushed by pushCall) */
	.globl asyncPreempt
	.type asyncPreempt, @function
asyncPreempt:
	pushfq
	sub $128, %rsp
	SAVE_GPRS
	lea RT_ASYNC_FRAME_AMD64(%rsp), %rax
	mov %rax, 56(%rsp)
	mov %rax, RTG_ASYNC_SP(%r14)
	mov 136(%rsp), %rax
	mov %rax, RTG_ASYNC_PC(%r14)
	mov %rsp, RTG_ASYNC_REGS(%r14)
	movq $RT_ASYNC_FRAME_AMD64, RTG_ASYNC_REGS_SIZE(%r14)
	mov %rsp, RTG_SCHED_SP(%r14)
	lea asyncPreempt_resume(%rip), %rax
	mov %rax, RTG_SCHED_PC(%r14)
	mov %rbp, RTG_SCHED_FP(%r14)
	movl $1, RTG_PREEMPT_ASYNC(%r14)
	CALL_ON_G0 rt_e_async_park
/* rt_gogo lands here with RSP = the frame above, R14 = g. */
asyncPreempt_resume:
	RESTORE_GPRS
	add $128, %rsp
	popfq
	ret
	.size asyncPreempt, .-asyncPreempt

/* ---- debug-call injection (everypc/debugcall.h DC-n, dcall.h) ---- */

/* runtime.debugCallV2: entered as DC-1 sets it up: RSP = ISP - 8, [RSP] =
   the interrupted PC, [RSP - 16] = the argument-frame size. Saves every
   register in the 160-byte entry frame (dcall.h) before touching any.
   Then: a user goroutine on its own stack goes to rt_e_debugcall on g0;
   anything else (g0, the signal stack, C code) is refused right here. */
	.globl runtime.debugCallV2
	.type runtime.debugCallV2, @function
runtime.debugCallV2:
	lea -(DC_FRAME_AMD64 - 8)(%rsp), %rsp
	SAVE_GPRS
	pushfq
	pop %rax
	mov %rax, 128(%rsp)
	movq $0, 144(%rsp)
	lea DC_FRAME_AMD64(%rsp), %rax
	mov %rax, 56(%rsp)
	mov %rsp, rt_dcstate+DCS_ENTRY(%rip)
	mov rt_curg(%rip), %rcx
	test %rcx, %rcx
	jz 1f
	cmp %rcx, %r14
	jne 1f
	cmp RTG_STACK_LO(%rcx), %rax
	jbe 1f
	cmp RTG_STACK_HI(%rcx), %rax
	ja 1f
	CALL_ON_G0 rt_e_debugcall
1:	lea rt_dc_reason_runtime(%rip), %rax
	mov %rax, rt_dcstate+DCS_MSG_PTR(%rip)
	movq $DC_REASON_RUNTIME_LEN, rt_dcstate+DCS_MSG_LEN(%rip)
/* Refused (RSP = the entry frame): ERROR with the reason at [RSP],
   [RSP+8], then RESTORE. */
	.globl rt_dc_refuse
rt_dc_refuse:
	lea -16(%rsp), %rsp
	mov rt_dcstate+DCS_MSG_PTR(%rip), %rax
	mov %rax, 0(%rsp)
	mov rt_dcstate+DCS_MSG_LEN(%rip), %rax
	mov %rax, 8(%rsp)
	mov $8, %r12
	int3
	lea 16(%rsp), %rsp
/* RSP = the entry frame. The debugger restores everything (DC-3); if it
   continues instead, restore from the frame and return to the PC. */
	.globl rt_dc_restore
rt_dc_restore:
	mov $16, %r12
	int3
	RESTORE_GPRS
	lea 128(%rsp), %rsp
	popfq
	lea 16(%rsp), %rsp
	ret
	.size runtime.debugCallV2, .-runtime.debugCallV2

/* rt_dc_resume(g, sp, pc): continue g at pc on sp (no managed frame). */
	.globl rt_dc_resume
	.type rt_dc_resume, @function
rt_dc_resume:
	mov %rdi, %r14
	mov %rsi, %rsp
	xor %ebp, %ebp
	jmp *%rdx
	.size rt_dc_resume, .-rt_dc_resume

/* The call goroutine's code (DCI-2). runtime.debugCallN opens a frame of
   16 + N bytes: [RSP] the function, [RSP+8] 0, [RSP+16..] its arguments. */
	.globl rt_dc_text_start
rt_dc_text_start:
.macro DCALL n
	.globl runtime.debugCall\n
	.type runtime.debugCall\n, @function
runtime.debugCall\n:
	lea -(16 + \n)(%rsp), %rsp
	jmp rt_dc_run
	.size runtime.debugCall\n, .-runtime.debugCall\n
.endm
	DCALL 32
	DCALL 64
	DCALL 128
	DCALL 256
rt_dc_run:
	mov $0, %r12
	int3
	mov (%rsp), %rax
	lea 16(%rsp), %rsp
	xor %ebp, %ebp
	call *%rax
	lea -16(%rsp), %rsp
	mov $1, %r12
	int3
	CALL_ON_G0 rt_e_debugcall_done
/* The call panicked (rt_debugcall_panic): PANIC with the message. */
	.globl rt_dc_panicked
rt_dc_panicked:
	mov rt_dcstate+DCS_MSG_PTR(%rip), %rax
	mov %rax, 0(%rsp)
	mov rt_dcstate+DCS_MSG_LEN(%rip), %rax
	mov %rax, 8(%rsp)
	mov $2, %r12
	int3
	CALL_ON_G0 rt_e_debugcall_done
	.globl rt_dc_text_end
rt_dc_text_end:
	ud2

	.section .rodata
rt_dc_reason_runtime:
	.ascii "call from within the Go runtime"
	.text

/* sa_restorer: return from a signal handler. */
	.globl rt_sigreturn_tramp
	.type rt_sigreturn_tramp, @function
rt_sigreturn_tramp:
	mov $15, %eax
	syscall
	ud2
	.size rt_sigreturn_tramp, .-rt_sigreturn_tramp

	.section .note.GNU-stack, "", @progbits
