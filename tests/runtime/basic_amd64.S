/*
 * basic_amd64.S -- hand-written managed-ABI test program for the runtime
 * (before gosub can compile workloads): println pieces, goroutines, an
 * unbuffered channel, Gosched. Expected output: basic.out.
 * Frames follow ABI-2 (F = 48: outargs [0,32), local c at 32, saved RBP at
 * 40, RA at 48). No allocation beyond makechan and no GC, so the module has
 * no call-site maps.
 */
#define EP_CALL call
#include "module.h"

.macro PROLOGUE name
	push %rbp
	mov %rsp, %rbp
	sub $40, %rsp
.Lpro\@:
	UNSAFE_RANGE \name, .Lpro\@, 1
.endm
.macro EPILOGUE
.Lepi\@:
	add $40, %rsp
	pop %rbp
	ret
.Lepiend\@:
	UNSAFE_RANGE .Lepi\@, .Lepiend\@, 2
.endm

	.text
FUNC_BEGIN main.main
	PROLOGUE main.main
	movq $42, 0(%rsp)
	CALLM runtime.printint, 0x0
	CALLM runtime.printsp, 0x0
	movq $1, 0(%rsp)
	CALLM runtime.printbool, 0x0
	CALLM runtime.printsp, 0x0
	lea hello(%rip), %rax
	mov %rax, 0(%rsp)
	movq $5, 8(%rsp)
	CALLM runtime.printstr, 0x0
	CALLM runtime.printnl, 0x0
	movq $-9223372036854775807, %rax
	sub $1, %rax
	mov %rax, 0(%rsp)
	CALLM runtime.printint, 0x0
	CALLM runtime.printnl, 0x0
	movq $0, 0(%rsp)
	CALLM runtime.makechan, 0x0
	mov 8(%rsp), %rax
	mov %rax, 32(%rsp)
	lea main.child(%rip), %rax
	mov %rax, 0(%rsp)
	movq $16, 8(%rsp)
	mov 32(%rsp), %rax
	mov %rax, 16(%rsp)
	movq $5, 24(%rsp)
	CALLM runtime.newproc, 0x14
	CALLM runtime.Gosched, 0x10
	movq $5, %rbx
1:	mov 32(%rsp), %rax
	mov %rax, 0(%rsp)
	mov %rbx, 24(%rsp)     /* spill (frame is ours; not a pointer) */
	CALLM runtime.chanrecv, 0x11
	mov 8(%rsp), %rax
	mov %rax, 0(%rsp)
	CALLM runtime.printint, 0x10
	CALLM runtime.printnl, 0x10
	mov 24(%rsp), %rbx
	sub $1, %rbx
	jnz 1b
	EPILOGUE
FUNC_END main.main

/* child(c, n): for i := 1; i <= n; i++ { c <- i*i } */
FUNC_BEGIN main.child
	PROLOGUE main.child
	movq $1, 32(%rsp)
1:	mov 32(%rsp), %rax
	cmp 64(%rsp), %rax
	jg 2f
	imul %rax, %rax
	mov 56(%rsp), %rcx
	mov %rcx, 0(%rsp)
	mov %rax, 8(%rsp)
	CALLM runtime.chansend, 0x1
	addq $1, 32(%rsp)
	jmp 1b
2:	EPILOGUE
FUNC_END main.child

	.section .rodata
hello:	.ascii "hello"

MODULE_BEGIN EP_ARCH_AMD64, 2
	FUNC_REC main.main, 48, 0
	FUNC_REC main.child, 48, 16, 1
MODULE_END
