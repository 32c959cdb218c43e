/*
 * grow_riscv64.S -- stack growth by copying (riscv64): main.rec(n) recurses n
 * deep through a real ABI-3 prologue (stack check, morestack block), so a
 * 4 KiB goroutine stack grows past 1 MiB; runtime.GC() may then shrink it,
 * and a second, shallow recursion runs on the result. Expected: grow.out.
 */
#define EP_CALL call
#include "module.h"

.macro PROLOGUE name
	addi sp, sp, -64
	sd ra, 56(sp)
	sd s0, 48(sp)
	addi s0, sp, 48
.Lpro\@:
	UNSAFE_RANGE \name, .Lpro\@, 1
.endm
.macro EPILOGUE
.Lepi\@:
	ld ra, 56(sp)
	ld s0, 48(sp)
	addi sp, sp, 64
	ret
.Lepiend\@:
	UNSAFE_RANGE .Lepi\@, .Lepiend\@, 2
.endm

	.text
FUNC_BEGIN main.main
	PROLOGUE main.main
	li a0, 20000
	sd a0, 0(sp)
	CALLM main.rec, 0
	ld a0, 8(sp)
	sd a0, 0(sp)
	CALLM runtime.printint, 0
	CALLM runtime.printnl, 0
	CALLM runtime.GC, 0
	li a0, 100
	sd a0, 0(sp)
	CALLM main.rec, 0
	ld a0, 8(sp)
	sd a0, 0(sp)
	CALLM runtime.printint, 0
	CALLM runtime.printnl, 0
	EPILOGUE
FUNC_END main.main

/* rec(n) = n + rec(n-1), rec(0) = 0; F = 64, n at SP+64, result at SP+72 */
FUNC_BEGIN main.rec
	addi t0, sp, -64
	ld t1, 16(s11)
	bltu t0, t1, 3f
	addi sp, sp, -64
	sd ra, 56(sp)
	sd s0, 48(sp)
	addi s0, sp, 48
1:	UNSAFE_RANGE main.rec, 1b, 1
	ld a0, 64(sp)
	beqz a0, 2f
	addi a0, a0, -1
	sd a0, 0(sp)
	CALLM main.rec, 0
	ld a0, 8(sp)
	ld a1, 64(sp)
	add a0, a0, a1
	sd a0, 72(sp)
	EPILOGUE
2:	sd zero, 72(sp)
	EPILOGUE
3:	mv t2, ra
	call runtime.morestack
	j main.rec
	UNSAFE_RANGE 3b, main.rec_end, 1
FUNC_END main.rec

MODULE_BEGIN EP_ARCH_RISCV64, 2
	FUNC_REC main.main, 64, 0
	FUNC_REC main.rec, 64, 16
MODULE_END
