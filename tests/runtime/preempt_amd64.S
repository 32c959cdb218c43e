/*
 * preempt_amd64.S -- asynchronous preemption test (amd64). main.main
 * starts main.spoiler, loads a distinct pattern into every register it
 * may use and spins on a global flag without ever calling the runtime:
 * only an asynchronous preemption (EVERYPC_DEBUG=stress=N) lets the spoiler
 * run; the spoiler clobbers every register and sets the flag. main then
 * checks that asyncPreempt restored every register. Expected output:
 * preempt.out. (Generated once by hand from a small script; registers
 * listed explicitly so a failure names nothing implicit.)
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
	lea main.spoiler(%rip), %rax
	mov %rax, 0(%rsp)
	movq $0, 8(%rsp)
	CALLM runtime.newproc, 0x0
	movabs $0x1032547698badcfe, %rax
	movabs $0x23016745ab89efcc, %rbx
	movabs $0x32107654ba98fede, %rcx
	movabs $0x45670123cdef89a8, %rdx
	movabs $0x54761032dcfe98be, %rsi
	movabs $0x67452301efcdab8c, %rdi
	movabs $0x76543210fedcba9e, %r8
	movabs $0x89abcdef01234560, %r9
	movabs $0x98badcfe1032547e, %r10
	movabs $0xab89efcd2301674c, %r11
	movabs $0xba98fedc3210765e, %r12
	movabs $0xcdef89ab45670128, %r13
	movabs $0xdcfe98ba5476103e, %r15
1:	cmpq $0, flag(%rip)
	je 1b
	push %rax
	movabs $0x1032547698badcfe, %rax
	cmp %rax, (%rsp)
	pop %rax
	jne 9f
	push %rax
	movabs $0x23016745ab89efcc, %rax
	cmp %rax, %rbx
	pop %rax
	jne 9f
	push %rax
	movabs $0x32107654ba98fede, %rax
	cmp %rax, %rcx
	pop %rax
	jne 9f
	push %rax
	movabs $0x45670123cdef89a8, %rax
	cmp %rax, %rdx
	pop %rax
	jne 9f
	push %rax
	movabs $0x54761032dcfe98be, %rax
	cmp %rax, %rsi
	pop %rax
	jne 9f
	push %rax
	movabs $0x67452301efcdab8c, %rax
	cmp %rax, %rdi
	pop %rax
	jne 9f
	push %rax
	movabs $0x76543210fedcba9e, %rax
	cmp %rax, %r8
	pop %rax
	jne 9f
	push %rax
	movabs $0x89abcdef01234560, %rax
	cmp %rax, %r9
	pop %rax
	jne 9f
	push %rax
	movabs $0x98badcfe1032547e, %rax
	cmp %rax, %r10
	pop %rax
	jne 9f
	push %rax
	movabs $0xab89efcd2301674c, %rax
	cmp %rax, %r11
	pop %rax
	jne 9f
	push %rax
	movabs $0xba98fedc3210765e, %rax
	cmp %rax, %r12
	pop %rax
	jne 9f
	push %rax
	movabs $0xcdef89ab45670128, %rax
	cmp %rax, %r13
	pop %rax
	jne 9f
	push %rax
	movabs $0xdcfe98ba5476103e, %rax
	cmp %rax, %r15
	pop %rax
	jne 9f
	lea okmsg(%rip), %rax
	mov %rax, 0(%rsp)
	movq $10, 8(%rsp)
	CALLM runtime.printstr, 0x0
	CALLM runtime.printnl, 0x0
	EPILOGUE
9:	lea badmsg(%rip), %rax
	mov %rax, 0(%rsp)
	movq $11, 8(%rsp)
	CALLM runtime.printstr, 0x0
	CALLM runtime.printnl, 0x0
	EPILOGUE
FUNC_END main.main

FUNC_BEGIN main.spoiler
	PROLOGUE main.spoiler
	movabs $0xefcdab8967452301, %rax
	movabs $0xdcfe98ba54761033, %rbx
	movabs $0xcdef89ab45670121, %rcx
	movabs $0xba98fedc32107657, %rdx
	movabs $0xab89efcd23016741, %rsi
	movabs $0x98badcfe10325473, %rdi
	movabs $0x89abcdef01234561, %r8
	movabs $0x76543210fedcba9f, %r9
	movabs $0x67452301efcdab81, %r10
	movabs $0x54761032dcfe98b3, %r11
	movabs $0x45670123cdef89a1, %r12
	movabs $0x32107654ba98fed7, %r13
	movabs $0x23016745ab89efc1, %r15
	movq $1, flag(%rip)
	EPILOGUE
FUNC_END main.spoiler

	.data
	.balign 8
flag:	.quad 0
	.section .rodata
okmsg:	.ascii "preempt ok"
badmsg:	.ascii "preempt BAD"

MODULE_BEGIN EP_ARCH_AMD64, 2
	FUNC_REC main.main, 48, 0
	FUNC_REC main.spoiler, 48, 0
MODULE_END
