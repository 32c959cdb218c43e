/*
 * errors_riscv64.S -- panics and fatal errors of the runtime (riscv64).
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
#if TEST == 1
	lla a0, boom
	li a1, 4
	sd a0, 0(sp)
	sd a1, 8(sp)
	CALLM runtime.panicstr, 0x0
#elif TEST == 2
	li a0, 5
	li a1, 3
	sd a0, 0(sp)
	sd a1, 8(sp)
	CALLM runtime.panicindex, 0x0
#elif TEST == 3
	li a0, 0
	ld a0, 8(a0)
#elif TEST == 4
	sd zero, 0(sp)
	CALLM runtime.makechan, 0x0
	ld a0, 8(sp)
	sd a0, 0(sp)
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

MODULE_BEGIN EP_ARCH_RISCV64, 1
	FUNC_REC main.main, 64, 0
MODULE_END
