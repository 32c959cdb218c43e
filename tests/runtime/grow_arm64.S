/*
 * grow_arm64.S -- stack growth by copying (arm64): main.rec(n) recurses n
 * deep through a real ABI-3 prologue (stack check, morestack block), so a
 * 4 KiB goroutine stack grows past 1 MiB; runtime.GC() may then shrink it,
 * and a second, shallow recursion runs on the result. Expected: grow.out.
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
	mov x0, #20000
	str x0, [sp]
	CALLM main.rec, 0
	ldr x0, [sp, #8]
	str x0, [sp]
	CALLM runtime.printint, 0
	CALLM runtime.printnl, 0
	CALLM runtime.GC, 0
	mov x0, #100
	str x0, [sp]
	CALLM main.rec, 0
	ldr x0, [sp, #8]
	str x0, [sp]
	CALLM runtime.printint, 0
	CALLM runtime.printnl, 0
	EPILOGUE
FUNC_END main.main

/* rec(n) = n + rec(n-1), rec(0) = 0; F = 64, n at SP+64, result at SP+72 */
FUNC_BEGIN main.rec
	sub x16, sp, #64
	ldr x17, [x28, #16]
	cmp x16, x17
	b.lo 3f
	sub sp, sp, #64
	stp x29, x30, [sp, #48]
	add x29, sp, #48
1:	UNSAFE_RANGE main.rec, 1b, 1
	ldr x0, [sp, #64]
	cbz x0, 2f
	sub x0, x0, #1
	str x0, [sp]
	CALLM main.rec, 0
	ldr x0, [sp, #8]
	ldr x1, [sp, #64]
	add x0, x0, x1
	str x0, [sp, #72]
	EPILOGUE
2:	str xzr, [sp, #72]
	EPILOGUE
3:	mov x17, x30
	bl runtime.morestack
	b main.rec
	UNSAFE_RANGE 3b, main.rec_end, 1
FUNC_END main.rec

MODULE_BEGIN EP_ARCH_ARM64, 2
	FUNC_REC main.main, 64, 0
	FUNC_REC main.rec, 64, 16
MODULE_END
