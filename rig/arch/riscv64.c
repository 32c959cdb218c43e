/*
 * arch/riscv64.c -- what the rig knows of riscv64 (regs.h): its registers and,
 * for injected calls, its debug-call facts (debugcall.h: RDC). Names
 * as in QEMU 7.2's riscv-64bit-cpu.xml (ABI names: x8 is "fp", x27 "s11").
 * t6 (x31) is the ABI-6 resume register and is not compared; x0 is
 * hard-wired to zero and not compared either.
 */
#include "regs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <everypc/abi.h>
#include <everypc/debugcall.h>

static const char *const gpr[] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};
_Static_assert(sizeof gpr / sizeof gpr[0] == 32, "META-6: x0..x31 = 0..31");

/* gosub ABI-4: temps and variables (runtime/compiler/arch/riscv64/back.c) */
static const char *const alloc[] = {
    "s1", "a0", "a1", "a2", "a3", "a4", "a5", "s2",
    "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10",
};

static const char *const compare[] = {
    "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0", "a1",
    "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5", "s6",
    "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "pc",
};

/* ---- machine-code rules of check-meta (regs.h: insn_rules) ---- */

static enum insn_class classify(const char *t)
{
	if (insn_starts(t, "ld ra,") || insn_starts(t, "ld s0,") ||
	    ((insn_starts(t, "add sp,sp,") || insn_starts(t, "addi sp,sp,")) &&
	     !strchr(t, '-')))
		return INSN_TEARDOWN;
	if (insn_starts(t, "mv sp,") || insn_starts(t, "add sp,sp,-") ||
	    insn_starts(t, "addi sp,sp,-") || insn_starts(t, "sd ra,") ||
	    insn_starts(t, "sd s0,") || insn_starts(t, "add s0,sp,") ||
	    insn_starts(t, "addi s0,sp,"))
		return INSN_SETUP;
	if (insn_starts(t, "ret"))
		return INSN_RET;
	if (insn_starts(t, "jal") || insn_starts(t, "call"))
		return INSN_CALL;
	return INSN_OTHER;
}

/* add[i] T,T,N # ADDR <sym+k> then ld R,OFF(T) */
static int loads_from(const char *prev, uint64_t prev_pc, const char *t,
		      uint64_t lo, uint64_t hi, char *reg, size_t n)
{
	char pops[128], ops[128], base[16], r[16], b2[16];
	uint64_t a = prev ? insn_comment_addr(prev) : 0;
	long long off;

	(void)prev_pc;
	if (!a || !(insn_starts(prev, "add ") || insn_starts(prev, "addi ")) ||
	    !(insn_starts(t, "ld ") || insn_starts(t, "lw ")))
		return 0;
	insn_operands(prev, pops, sizeof pops);
	insn_operands(t, ops, sizeof ops);
	if (sscanf(pops, "%15[^,]", base) != 1 ||
	    sscanf(ops, "%15[^,],%lld(%15[^)])", r, &off, b2) != 3 ||
	    strcmp(base, b2) || a + (uint64_t)off < lo ||
	    a + (uint64_t)off >= hi)
		return 0;
	snprintf(reg, n, "%s", r);
	return 1;
}

/* sd X,OFF(R) */
static int stores_via(const char *t, const char *reg)
{
	return insn_starts(t, "sd ") && insn_based_on(t, reg);
}

/* a non-store, non-branch whose first operand is REG */
static int writes(const char *t, const char *reg)
{
	char ops[128];
	size_t n = strlen(reg);

	if (insn_starts(t, "s") || insn_starts(t, "b") || insn_starts(t, "j"))
		return 0;
	insn_operands(t, ops, sizeof ops);
	return !strncmp(ops, reg, n) && ops[n] == ',';
}

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
    .cargs = {"a0", "a1", "a2"},
    .break_kind = 4,
    .ra_from_top = 8,
    .ra_push = 0,
    .ngpr = sizeof gpr / sizeof gpr[0],
    .gpr = gpr,
    .nalloc = sizeof alloc / sizeof alloc[0],
    .alloc = alloc,
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
    .insn = {classify, loads_from, stores_via, writes},
};
