/*
 * basic_riscv64.S -- the basic runtime test (see basic_amd64.S) for
 * riscv64. Frames follow ABI-2 with F = 64: outargs [0,32), locals at 32
 * and 40, saved FP (s0) at 48, saved ra at 56; parameters at SP + 64.
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
	li a0, 42
	sd a0, 0(sp)
	CALLM runtime.printint, 0x0
	CALLM runtime.printsp, 0x0
	li a0, 1
	sd a0, 0(sp)
	CALLM runtime.printbool, 0x0
	CALLM runtime.printsp, 0x0
	lla a0, hello
	li a1, 5
	sd a0, 0(sp)
	sd a1, 8(sp)
	CALLM runtime.printstr, 0x0
	CALLM runtime.printnl, 0x0
	li a0, 1
	slli a0, a0, 63
	sd a0, 0(sp)
	CALLM runtime.printint, 0x0
	CALLM runtime.printnl, 0x0
	sd zero, 0(sp)
	CALLM runtime.makechan, 0x0
	ld a0, 8(sp)
	sd a0, 32(sp)
	lla a0, main.child
	li a1, 16
	sd a0, 0(sp)
	sd a1, 8(sp)
	ld a0, 32(sp)
	li a1, 5
	sd a0, 16(sp)
	sd a1, 24(sp)
	CALLM runtime.newproc, 0x14
	CALLM runtime.Gosched, 0x10
	li s1, 5
1:	ld a0, 32(sp)
	sd a0, 0(sp)
	sd s1, 40(sp)
	CALLM runtime.chanrecv, 0x11
	ld a0, 8(sp)
	sd a0, 0(sp)
	CALLM runtime.printint, 0x10
	CALLM runtime.printnl, 0x10
	ld s1, 40(sp)
	addi s1, s1, -1
	bnez s1, 1b
	EPILOGUE
FUNC_END main.main

FUNC_BEGIN main.child
	PROLOGUE main.child
	li a0, 1
	sd a0, 32(sp)
1:	ld a0, 32(sp)
	ld a1, 72(sp)
	bgt a0, a1, 2f
	mul a0, a0, a0
	ld a1, 64(sp)
	sd a1, 0(sp)
	sd a0, 8(sp)
	CALLM runtime.chansend, 0x1
	ld a0, 32(sp)
	addi a0, a0, 1
	sd a0, 32(sp)
	j 1b
2:	EPILOGUE
FUNC_END main.child

	.section .rodata
hello:	.ascii "hello"

MODULE_BEGIN EP_ARCH_RISCV64, 2
	FUNC_REC main.main, 64, 0
	FUNC_REC main.child, 64, 16, 1
MODULE_END
