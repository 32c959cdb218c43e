/*
 * support_arm64.S -- entry, syscalls, runtime.morestack and the ABI-1 shims
 * of the back-end test guest (see support.c). runtime.morestack returns
 * into the morestack block with LR = x17 (the function's return address,
 * ABI-3), uses x15 and x16, which gosub never keeps live there; it lowers
 * the guard by STACK_STEP instead of copying and gives up after 1000 calls
 * so a broken prologue cannot hang.
 */
	.text
	.globl _start
_start:
	mov x29, #0
	mov x0, sp
	bl sup_init
	mov x28, x0
	bl main.main
	mov x0, #0
	bl sup_exit

	.globl sup_write
sup_write:
	mov x8, #64
	svc #0
	ret

	.globl sup_exit
sup_exit:
	mov x8, #94
	svc #0
	b .

	.globl runtime.morestack
	.type runtime.morestack, %function
runtime.morestack:
	ldr x16, [x28, #16]
	sub x16, x16, #64, lsl #12
	str x16, [x28, #16]
	adrp x16, sup_morestacks
	ldr x15, [x16, :lo12:sup_morestacks]
	add x15, x15, #1
	str x15, [x16, :lo12:sup_morestacks]
	cmp x15, #1000
	b.hi 1f
	mov x16, x30
	mov x30, x17
	br x16
1:	mov x0, #93
	bl sup_exit

/* ABI-8 (support.c): count, poison the argument registers x16 and x17. */
	.globl runtime.gcWriteBarrier
	.type runtime.gcWriteBarrier, %function
runtime.gcWriteBarrier:
	adrp x16, sup_wb_calls
	ldr x17, [x16, :lo12:sup_wb_calls]
	add x17, x17, #1
	str x17, [x16, :lo12:sup_wb_calls]
	mov x16, #0x5a5a
	mov x17, x16
	ret

.macro SHIM name, cfunc, nargs, res
	.globl \name
	.type \name, %function
\name:
	stp x29, x30, [sp, #-16]!
	mov x29, sp
	ldr x0, [x29, #16]
	ldr x1, [x29, #24]
	bl \cfunc
	.if \res
	str x0, [x29, #16+8*\nargs]
	.endif
	ldp x29, x30, [sp], #16
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
