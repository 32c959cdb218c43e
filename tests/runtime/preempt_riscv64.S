/*
 * preempt_riscv64.S -- asynchronous preemption test (riscv64). main.main
 * starts main.spoiler, loads a distinct pattern into every register it
 * may use and spins on a global flag without ever calling the runtime:
 * only an asynchronous preemption (EVERYPC_DEBUG=stress=N) lets the spoiler
 * run; the spoiler clobbers every register and sets the flag. main then
 * checks that asyncPreempt restored every register (t6 excepted, ABI-6). Expected output:
 * preempt.out. (Generated once by hand from a small script; registers
 * listed explicitly so a failure names nothing implicit.)
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
.macro PRINT msg, len
	lla a0, \msg
	li a1, \len
	sd a0, 0(sp)
	sd a1, 8(sp)
	CALLM runtime.printstr, 0x0
	CALLM runtime.printnl, 0x0
.endm

	.text
FUNC_BEGIN main.main
	PROLOGUE main.main
	lla a0, main.spoiler
	sd a0, 0(sp)
	sd zero, 8(sp)
	CALLM runtime.newproc, 0x0
	li ra, 0x1032547698badcfe
	li a0, 0x23016745ab89efcc
	li a1, 0x32107654ba98fede
	li a2, 0x45670123cdef89a8
	li a3, 0x54761032dcfe98be
	li a4, 0x67452301efcdab8c
	li a5, 0x76543210fedcba9e
	li a6, 0x89abcdef01234560
	li a7, 0x98badcfe1032547e
	li s1, 0xab89efcd2301674c
	li s2, 0xba98fedc3210765e
	li s3, 0xcdef89ab45670128
	li s4, 0xdcfe98ba5476103e
	li s5, 0xefcdab896745230c
	li s6, 0xfedcba987654321e
	li s7, 0x1032547698badcf1
	li s8, 0x23016745ab89efdd
	li s9, 0x32107654ba98fecd
	li s10, 0x45670123cdef89b9
	li t3, 0x54761032dcfe98a9
	li t4, 0x67452301efcdab9d
	li t5, 0x76543210fedcba8d
	lla t0, flag
1:	ld t1, 0(t0)
	beqz t1, 1b
	li t0, 0x1032547698badcfe
	bne ra, t0, 9f
	li t0, 0x23016745ab89efcc
	bne a0, t0, 9f
	li t0, 0x32107654ba98fede
	bne a1, t0, 9f
	li t0, 0x45670123cdef89a8
	bne a2, t0, 9f
	li t0, 0x54761032dcfe98be
	bne a3, t0, 9f
	li t0, 0x67452301efcdab8c
	bne a4, t0, 9f
	li t0, 0x76543210fedcba9e
	bne a5, t0, 9f
	li t0, 0x89abcdef01234560
	bne a6, t0, 9f
	li t0, 0x98badcfe1032547e
	bne a7, t0, 9f
	li t0, 0xab89efcd2301674c
	bne s1, t0, 9f
	li t0, 0xba98fedc3210765e
	bne s2, t0, 9f
	li t0, 0xcdef89ab45670128
	bne s3, t0, 9f
	li t0, 0xdcfe98ba5476103e
	bne s4, t0, 9f
	li t0, 0xefcdab896745230c
	bne s5, t0, 9f
	li t0, 0xfedcba987654321e
	bne s6, t0, 9f
	li t0, 0x1032547698badcf1
	bne s7, t0, 9f
	li t0, 0x23016745ab89efdd
	bne s8, t0, 9f
	li t0, 0x32107654ba98fecd
	bne s9, t0, 9f
	li t0, 0x45670123cdef89b9
	bne s10, t0, 9f
	li t0, 0x54761032dcfe98a9
	bne t3, t0, 9f
	li t0, 0x67452301efcdab9d
	bne t4, t0, 9f
	li t0, 0x76543210fedcba8d
	bne t5, t0, 9f
	PRINT okmsg, 10
	EPILOGUE
9:	PRINT badmsg, 11
	EPILOGUE
FUNC_END main.main

FUNC_BEGIN main.spoiler
	PROLOGUE main.spoiler
	li a0, 0xdcfe98ba54761033
	li a1, 0xcdef89ab45670121
	li a2, 0xba98fedc32107657
	li a3, 0xab89efcd23016741
	li a4, 0x98badcfe10325473
	li a5, 0x89abcdef01234561
	li a6, 0x76543210fedcba9f
	li a7, 0x67452301efcdab81
	li s1, 0x54761032dcfe98b3
	li s2, 0x45670123cdef89a1
	li s3, 0x32107654ba98fed7
	li s4, 0x23016745ab89efc1
	li s5, 0x1032547698badcf3
	li s6, 0x123456789abcde1
	li s7, 0xefcdab896745230e
	li s8, 0xdcfe98ba54761022
	li s9, 0xcdef89ab45670132
	li s10, 0xba98fedc32107646
	li t3, 0xab89efcd23016756
	li t4, 0x98badcfe10325462
	li t5, 0x89abcdef01234572
	lla t0, flag
	li t1, 1
	sd t1, 0(t0)
	EPILOGUE
FUNC_END main.spoiler

	.section .rodata
okmsg:	.ascii "preempt ok"
badmsg:	.ascii "preempt BAD"
	.data
	.balign 8
flag:	.quad 0

MODULE_BEGIN EP_ARCH_RISCV64, 2
	FUNC_REC main.main, 64, 0
	FUNC_REC main.spoiler, 64, 0
MODULE_END
