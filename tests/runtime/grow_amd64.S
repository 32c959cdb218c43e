/*
 * grow_amd64.S -- stack growth by copying (amd64): main.rec(n) recurses n
 * deep through a real ABI-3 prologue (stack check, morestack block), so a
 * 4 KiB goroutine stack grows past 1 MiB; runtime.GC() may then shrink it,
 * and a second, shallow recursion runs on the result. Expected: grow.out.
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
	movq $20000, 0(%rsp)
	CALLM main.rec, 0
	mov 8(%rsp), %rax
	mov %rax, 0(%rsp)
	CALLM runtime.printint, 0
	CALLM runtime.printnl, 0
	CALLM runtime.GC, 0
	movq $100, 0(%rsp)
	CALLM main.rec, 0
	mov 8(%rsp), %rax
	mov %rax, 0(%rsp)
	CALLM runtime.printint, 0
	CALLM runtime.printnl, 0
	EPILOGUE
FUNC_END main.main

/* rec(n) = n + rec(n-1), rec(0) = 0; F = 48, n at SP+56, result at SP+64 */
FUNC_BEGIN main.rec
	lea -48(%rsp), %rax
	cmp 16(%r14), %rax
	jb 3f
	push %rbp
	mov %rsp, %rbp
	sub $40, %rsp
1:	UNSAFE_RANGE main.rec, 1b, 1
	mov 56(%rsp), %rax
	test %rax, %rax
	jz 2f
	sub $1, %rax
	mov %rax, 0(%rsp)
	CALLM main.rec, 0
	mov 8(%rsp), %rax
	add 56(%rsp), %rax
	mov %rax, 64(%rsp)
	EPILOGUE
2:	movq $0, 64(%rsp)
	EPILOGUE
3:	call runtime.morestack
	jmp main.rec
	UNSAFE_RANGE 3b, main.rec_end, 1
FUNC_END main.rec

MODULE_BEGIN EP_ARCH_AMD64, 2
	FUNC_REC main.main, 48, 0
	FUNC_REC main.rec, 48, 16
MODULE_END
