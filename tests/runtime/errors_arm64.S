/*
 * errors_arm64.S -- panics and fatal errors of the runtime (arm64).
 * TEST selects the error (compile with -DTEST=n; expected first lines in
 *   errors.out, one per TEST value, exit status 2 for all):
 *   1 panic("boom")   2 index out of range [5] with length 3
 *   3 nil dereference (a load from address 0: SIGSEGV)
 *   4 deadlock (receive on a channel nobody sends to)
 *   5 integer divide by zero   6 negative shift amount
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
#if TEST == 1
	adr x0, boom
	mov x1, #4
	stp x0, x1, [sp]
	CALLM runtime.panicstr, 0x0
#elif TEST == 2
	mov x0, #5
	mov x1, #3
	stp x0, x1, [sp]
	CALLM runtime.panicindex, 0x0
#elif TEST == 3
	mov x0, #0
	ldr x0, [x0, #8]
#elif TEST == 4
	str xzr, [sp]
	CALLM runtime.makechan, 0x0
	ldr x0, [sp, #8]
	str x0, [sp]
	CALLM runtime.chanrecv, 0x0
#elif TEST == 5
	CALLM runtime.panicdivide, 0x0
#elif TEST == 6
	CALLM runtime.panicshift, 0x0
#endif
	EPILOGUE
FUNC_END main.main

boom:	.ascii "boom"
	.balign 4

MODULE_BEGIN EP_ARCH_ARM64, 1
	FUNC_REC main.main, 64, 0
MODULE_END
