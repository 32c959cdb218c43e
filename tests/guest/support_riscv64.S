/*
 * support_riscv64.S -- entry, syscalls, runtime.morestack and the ABI-1
 * shims of the back-end test guest (see support.c). runtime.morestack
 * returns into the morestack block with RA = t2 (the function's return
 * address, ABI-3), uses t0/t1, lowers the guard by STACK_STEP instead of
 * copying and gives up after 1000 calls. No relaxation: gp is never set up.
 */
	.option norelax
	.text
	.globl _start
_start:
	li s0, 0
	mv a0, sp
	call sup_init
	mv s11, a0
	call main.main
	li a0, 0
	call sup_exit

	.globl sup_write
sup_write:
	li a7, 64
	ecall
	ret

	.globl sup_exit
sup_exit:
	li a7, 94
	ecall
	j .

	.globl runtime.morestack
	.type runtime.morestack, %function
runtime.morestack:
	ld t0, 16(s11)
	li t1, 262144
	sub t0, t0, t1
	sd t0, 16(s11)
	lla t0, sup_morestacks
	ld t1, 0(t0)
	addi t1, t1, 1
	sd t1, 0(t0)
	li t0, 1000
	bgtu t1, t0, 1f
	mv t0, ra
	mv ra, t2
	jr t0
1:	li a0, 93
	call sup_exit

/* ABI-8 (support.c): count, poison the argument registers t0 and t1. */
	.globl runtime.gcWriteBarrier
	.type runtime.gcWriteBarrier, @function
runtime.gcWriteBarrier:
	lla t0, sup_wb_calls
	ld t1, 0(t0)
	addi t1, t1, 1
	sd t1, 0(t0)
	li t0, 0x5a5a
	mv t1, t0
	ret

.macro SHIM name, cfunc, nargs, res
	.globl \name
	.type \name, %function
\name:
	addi sp, sp, -16
	sd ra, 8(sp)
	sd s0, 0(sp)
	addi s0, sp, 16
	ld a0, 0(s0)
	ld a1, 8(s0)
	call \cfunc
	.if \res
	sd a0, 8*\nargs(s0)
	.endif
	ld ra, 8(sp)
	ld s0, 0(sp)
	addi sp, sp, 16
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
	.section .note.GNU-stack,"",%progbits
