/*
 * errors_amd64.S -- panics and fatal errors of the runtime (amd64).
 * TEST selects the error (compile with -DTEST=n; expected first lines in
 *   errors.out, one per TEST value, exit status 2 for all):
 *   1 panic("boom")   2 index out of range [5] with length 3
 *   3 nil dereference (a load from address 0: SIGSEGV)
 *   4 deadlock (receive on a channel nobody sends to)
 *   5 integer divide by zero   6 negative shift amount
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
#if TEST == 1
	lea boom(%rip), %rax
	mov %rax, 0(%rsp)
	movq $4, 8(%rsp)
	CALLM runtime.panicstr, 0x0
#elif TEST == 2
	movq $5, 0(%rsp)
	movq $3, 8(%rsp)
	CALLM runtime.panicindex, 0x0
#elif TEST == 3
	xor %eax, %eax
	mov 8(%rax), %rax
#elif TEST == 4
	movq $0, 0(%rsp)
	CALLM runtime.makechan, 0x0
	mov 8(%rsp), %rax
	mov %rax, 0(%rsp)
	CALLM runtime.chanrecv, 0x0
#elif TEST == 5
	CALLM runtime.panicdivide, 0x0
#elif TEST == 6
	CALLM runtime.panicshift, 0x0
#endif
	EPILOGUE
FUNC_END main.main

	.section .rodata
boom:	.ascii "boom"

MODULE_BEGIN EP_ARCH_AMD64, 1
	FUNC_REC main.main, 48, 0
MODULE_END
