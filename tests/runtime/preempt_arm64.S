/*
 * preempt_arm64.S -- asynchronous preemption test (arm64). main.main
 * starts main.spoiler, loads a distinct pattern into every register it
 * may use and spins on a global flag without ever calling the runtime:
 * only an asynchronous preemption (EVERYPC_DEBUG=stress=N) lets the spoiler
 * run; the spoiler clobbers every register and sets the flag. main then
 * checks that asyncPreempt restored every register (x27 excepted, ABI-6). Expected output:
 * preempt.out. (Generated once by hand from a small script; registers
 * listed explicitly so a failure names nothing implicit.)
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
.macro PRINT msg, len
	adr x0, \msg
	mov x1, #\len
	stp x0, x1, [sp]
	CALLM runtime.printstr, 0x0
	CALLM runtime.printnl, 0x0
.endm

	.text
FUNC_BEGIN main.main
	PROLOGUE main.main
	adr x0, main.spoiler
	stp x0, xzr, [sp]
	CALLM runtime.newproc, 0x0
	ldr x0, =0x1032547698badcfe
	ldr x1, =0x23016745ab89efcc
	ldr x2, =0x32107654ba98fede
	ldr x3, =0x45670123cdef89a8
	ldr x4, =0x54761032dcfe98be
	ldr x5, =0x67452301efcdab8c
	ldr x6, =0x76543210fedcba9e
	ldr x7, =0x89abcdef01234560
	ldr x8, =0x98badcfe1032547e
	ldr x9, =0xab89efcd2301674c
	ldr x10, =0xba98fedc3210765e
	ldr x11, =0xcdef89ab45670128
	ldr x12, =0xdcfe98ba5476103e
	ldr x13, =0xefcdab896745230c
	ldr x14, =0xfedcba987654321e
	ldr x15, =0x1032547698badcf1
	ldr x19, =0x23016745ab89efdd
	ldr x20, =0x32107654ba98fecd
	ldr x21, =0x45670123cdef89b9
	ldr x22, =0x54761032dcfe98a9
	ldr x23, =0x67452301efcdab9d
	ldr x24, =0x76543210fedcba8d
	ldr x25, =0x89abcdef01234571
	ldr x26, =0x98badcfe10325461
	ldr x30, =0xab89efcd2301675d
	adrp x16, flag
	add x16, x16, :lo12:flag
1:	ldr x17, [x16]
	cbz x17, 1b
	ldr x16, =0x1032547698badcfe
	cmp x0, x16
	b.ne 9f
	ldr x16, =0x23016745ab89efcc
	cmp x1, x16
	b.ne 9f
	ldr x16, =0x32107654ba98fede
	cmp x2, x16
	b.ne 9f
	ldr x16, =0x45670123cdef89a8
	cmp x3, x16
	b.ne 9f
	ldr x16, =0x54761032dcfe98be
	cmp x4, x16
	b.ne 9f
	ldr x16, =0x67452301efcdab8c
	cmp x5, x16
	b.ne 9f
	ldr x16, =0x76543210fedcba9e
	cmp x6, x16
	b.ne 9f
	ldr x16, =0x89abcdef01234560
	cmp x7, x16
	b.ne 9f
	ldr x16, =0x98badcfe1032547e
	cmp x8, x16
	b.ne 9f
	ldr x16, =0xab89efcd2301674c
	cmp x9, x16
	b.ne 9f
	ldr x16, =0xba98fedc3210765e
	cmp x10, x16
	b.ne 9f
	ldr x16, =0xcdef89ab45670128
	cmp x11, x16
	b.ne 9f
	ldr x16, =0xdcfe98ba5476103e
	cmp x12, x16
	b.ne 9f
	ldr x16, =0xefcdab896745230c
	cmp x13, x16
	b.ne 9f
	ldr x16, =0xfedcba987654321e
	cmp x14, x16
	b.ne 9f
	ldr x16, =0x1032547698badcf1
	cmp x15, x16
	b.ne 9f
	ldr x16, =0x23016745ab89efdd
	cmp x19, x16
	b.ne 9f
	ldr x16, =0x32107654ba98fecd
	cmp x20, x16
	b.ne 9f
	ldr x16, =0x45670123cdef89b9
	cmp x21, x16
	b.ne 9f
	ldr x16, =0x54761032dcfe98a9
	cmp x22, x16
	b.ne 9f
	ldr x16, =0x67452301efcdab9d
	cmp x23, x16
	b.ne 9f
	ldr x16, =0x76543210fedcba8d
	cmp x24, x16
	b.ne 9f
	ldr x16, =0x89abcdef01234571
	cmp x25, x16
	b.ne 9f
	ldr x16, =0x98badcfe10325461
	cmp x26, x16
	b.ne 9f
	ldr x16, =0xab89efcd2301675d
	cmp x30, x16
	b.ne 9f
	PRINT okmsg, 10
	EPILOGUE
9:	PRINT badmsg, 11
	EPILOGUE
	.ltorg
FUNC_END main.main

FUNC_BEGIN main.spoiler
	PROLOGUE main.spoiler
	ldr x0, =0xefcdab8967452301
	ldr x1, =0xdcfe98ba54761033
	ldr x2, =0xcdef89ab45670121
	ldr x3, =0xba98fedc32107657
	ldr x4, =0xab89efcd23016741
	ldr x5, =0x98badcfe10325473
	ldr x6, =0x89abcdef01234561
	ldr x7, =0x76543210fedcba9f
	ldr x8, =0x67452301efcdab81
	ldr x9, =0x54761032dcfe98b3
	ldr x10, =0x45670123cdef89a1
	ldr x11, =0x32107654ba98fed7
	ldr x12, =0x23016745ab89efc1
	ldr x13, =0x1032547698badcf3
	ldr x14, =0x123456789abcde1
	ldr x15, =0xefcdab896745230e
	ldr x19, =0xdcfe98ba54761022
	ldr x20, =0xcdef89ab45670132
	ldr x21, =0xba98fedc32107646
	ldr x22, =0xab89efcd23016756
	ldr x23, =0x98badcfe10325462
	ldr x24, =0x89abcdef01234572
	ldr x25, =0x76543210fedcba8e
	ldr x26, =0x67452301efcdab9e
	adrp x16, flag
	add x16, x16, :lo12:flag
	mov x17, #1
	str x17, [x16]
	EPILOGUE
	.ltorg
FUNC_END main.spoiler

okmsg:	.ascii "preempt ok"
badmsg:	.ascii "preempt BAD"
	.balign 4
	.data
	.balign 8
flag:	.quad 0

MODULE_BEGIN EP_ARCH_ARM64, 2
	FUNC_REC main.main, 64, 0
	FUNC_REC main.spoiler, 64, 0
MODULE_END
