/*
 * arch/riscv64.c -- what the rig knows of riscv64 (regs.h): its registers and,
 * for injected calls, its debug-call facts (debugcall.h: RDC). Names
 * as in QEMU 7.2's riscv-64bit-cpu.xml (ABI names: x8 is "fp", x27 "s11").
 * t6 (x31) is the ABI-6 resume register and is not compared; x0 is
 * hard-wired to zero and not compared either.
 */
#include "regs.h"

#include <everypc/abi.h>
#include <everypc/debugcall.h>

static const char *const gpr[] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};
_Static_assert(sizeof gpr / sizeof gpr[0] == 32, "META-6: x0..x31 = 0..31");

static const char *const compare[] = {
    "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0", "a1",
    "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5", "s6",
    "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "pc",
};

const struct rig_regs rig_regs_riscv64 = {
    .arch = "riscv64",
    .ep_arch = EP_ARCH_RISCV64,
    .qemu = "qemu-riscv64",
    .tdesc_arch = "riscv:rv64",
    .pc = "pc",
    .sp = "sp",
    .fp = "fp",
    .lr = "ra",
    .g = "s11",
    .resume = "t6",
    .break_kind = 4,
    .ra_from_top = 8,
    .ra_push = 0,
    .ngpr = sizeof gpr / sizeof gpr[0],
    .gpr = gpr,
    .ncompare = sizeof compare / sizeof compare[0],
    .compare = compare,
    /* debugCallV2 (everypc/debugcall.h): GDB numbers of PC, SP and the
       link register, the status register, the trap that reports */
    .dc = {.name = "riscv64",
	   .pc = 32,
	   .sp = 2,
	   .lr = 1,
	   .status = EP_DC_STATUS_REG_RISCV64,
	   .trap = EP_DC_TRAP_RISCV64,
	   .trap_len = 4,
	   .stop_after = 0,
	   .advance = 4},
};
