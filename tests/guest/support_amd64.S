/*
 * support_amd64.S -- entry, syscalls, runtime.morestack and the ABI-1 shims
 * of the back-end test guest (see support.c). The shims keep every register
 * the managed code reserves (rbp, r14); C may clobber the rest (ABI-1).
 * runtime.morestack lowers the guard by STACK_STEP (support.c) instead of
 * copying, and gives up after 1000 calls so a broken prologue cannot hang.
 */
	.text
	.globl _start
_start:
	xorl %ebp, %ebp
	movq %rsp, %rdi
	andq $-16, %rsp
	call sup_init
	movq %rax, %r14
	call main.main
	xorl %edi, %edi
	call sup_exit

	.globl sup_write
sup_write:
	movl $1, %eax
	syscall
	ret

	.globl sup_exit
sup_exit:
	movl $231, %eax
	syscall
	hlt

	.globl runtime.morestack
	.type runtime.morestack, @function
runtime.morestack:
	subq $262144, 16(%r14)
	addq $1, sup_morestacks(%rip)
	cmpq $1000, sup_morestacks(%rip)
	ja 1f
	ret
1:	movl $93, %edi
	call sup_exit

/* ABI-8 (support.c): count, poison the argument registers rax and rcx. */
	.globl runtime.gcWriteBarrier
	.type runtime.gcWriteBarrier, @function
runtime.gcWriteBarrier:
	addq $1, sup_wb_calls(%rip)
	movabsq $0x5a5a5a5a5a5a5a5a, %rax
	movq %rax, %rcx
	ret

.macro SHIM name, cfunc, nargs, res
	.globl \name
	.type \name, @function
\name:
	pushq %rbp
	movq %rsp, %rbp
	movq 16(%rbp), %rdi
	movq 24(%rbp), %rsi
	andq $-16, %rsp
	call \cfunc
	.if \res
	movq %rax, 16+8*\nargs(%rbp)
	.endif
	movq %rbp, %rsp
	popq %rbp
	ret
.endm

	SHIM runtime.printint, sup_printint, 1, 0
	SHIM runtime.printstr, sup_printstr, 2, 0
	SHIM runtime.printnl, sup_printnl, 0, 0
	SHIM runtime.printsp, sup_printsp, 0, 0
	SHIM runtime.newobject, sup_newobject, 1, 1
	SHIM runtime.morestackcount, sup_morestack_count, 0, 1
	SHIM runtime.printbool, sup_printbool, 1, 0
	SHIM runtime.GC, sup_nothing, 0, 0
	SHIM runtime.Gosched, sup_nothing, 0, 0
	SHIM runtime.panicstr, sup_panicstr, 2, 0
	SHIM runtime.panicindex, sup_panicindex, 2, 0
	SHIM runtime.panicdivide, sup_panicdivide, 0, 0
	SHIM runtime.panicnil, sup_panicnil, 0, 0
	.section .note.GNU-stack,"",@progbits
