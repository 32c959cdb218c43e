/*
 * basic_arm64.S -- the basic runtime test (see basic_amd64.S) for arm64.
 * Frames follow ABI-2 with F = 64: outargs [0,32), locals at 32 and 40,
 * saved FP at 48, saved LR at 56; parameters at SP + 64.
 */
#define EP_CALL bl
#include "module.h"

.macro PROLOGUE name
	sub sp, sp, #64
	stp x29, x30, [sp, #48]
	add x29, sp, #48
.Lpro\@:
	UNSAFE_RANGE \name, .Lpro\@, 1
.endm
.macro EPILOGUE
.Lepi\@:
	ldp x29, x30, [sp, #48]
	add sp, sp, #64
	ret
.Lepiend\@:
	UNSAFE_RANGE .Lepi\@, .Lepiend\@, 2
.endm

	.text
FUNC_BEGIN main.main
	PROLOGUE main.main
	mov x0, #42
	str x0, [sp]
	CALLM runtime.printint, 0x0
	CALLM runtime.printsp, 0x0
	mov x0, #1
	str x0, [sp]
	CALLM runtime.printbool, 0x0
	CALLM runtime.printsp, 0x0
	adr x0, hello
	mov x1, #5
	stp x0, x1, [sp]
	CALLM runtime.printstr, 0x0
	CALLM runtime.printnl, 0x0
	mov x0, #1
	lsl x0, x0, #63
	str x0, [sp]
	CALLM runtime.printint, 0x0
	CALLM runtime.printnl, 0x0
	str xzr, [sp]
	CALLM runtime.makechan, 0x0
	ldr x0, [sp, #8]
	str x0, [sp, #32]
	adr x0, main.child
	mov x1, #16
	stp x0, x1, [sp]
	ldr x0, [sp, #32]
	mov x1, #5
	stp x0, x1, [sp, #16]
	CALLM runtime.newproc, 0x14
	CALLM runtime.Gosched, 0x10
	mov x19, #5
1:	ldr x0, [sp, #32]
	str x0, [sp]
	str x19, [sp, #40]
	CALLM runtime.chanrecv, 0x11
	ldr x0, [sp, #8]
	str x0, [sp]
	CALLM runtime.printint, 0x10
	CALLM runtime.printnl, 0x10
	ldr x19, [sp, #40]
	subs x19, x19, #1
	b.ne 1b
	EPILOGUE
FUNC_END main.main

FUNC_BEGIN main.child
	PROLOGUE main.child
	mov x0, #1
	str x0, [sp, #32]
1:	ldr x0, [sp, #32]
	ldr x1, [sp, #72]
	cmp x0, x1
	b.gt 2f
	mul x0, x0, x0
	ldr x1, [sp, #64]
	stp x1, x0, [sp]
	CALLM runtime.chansend, 0x1
	ldr x0, [sp, #32]
	add x0, x0, #1
	str x0, [sp, #32]
	b 1b
2:	EPILOGUE
FUNC_END main.child

hello:	.ascii "hello"
	.balign 4

MODULE_BEGIN EP_ARCH_ARM64, 2
	FUNC_REC main.main, 64, 0
	FUNC_REC main.child, 64, 16, 1
MODULE_END
