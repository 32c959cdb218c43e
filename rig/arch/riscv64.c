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
	if (insn_starts(t, "jr "))
		return INSN_IJUMP;
	return INSN_OTHER;
}

/* add[i] T,T,N # ADDR <sym+k> then ld R,OFF(T); or, when the low part
   is 0 (objdump then shows "mv T,T"), ld R,0(T) # ADDR <sym+k> */
static int loads_from(const char *prev, uint64_t prev_pc, const char *t,
		      uint64_t lo, uint64_t hi, char *reg, size_t n)
{
	char pops[128], ops[128], base[16], r[16], b2[16];
	uint64_t a = insn_comment_addr(t);
	long long off;

	(void)prev_pc;
	if (!(insn_starts(t, "ld ") || insn_starts(t, "lw ")))
		return 0;
	insn_operands(t, ops, sizeof ops);
	if (sscanf(ops, "%15[^,],%lld(%15[^)])", r, &off, b2) != 3)
		return 0;
	if (a) { /* objdump resolved the address itself */
		if (a < lo || a >= hi)
			return 0;
		snprintf(reg, n, "%s", r);
		return 1;
	}
	a = prev ? insn_comment_addr(prev) : 0;
	if (!a || !(insn_starts(prev, "add ") || insn_starts(prev, "addi ")))
		return 0;
	insn_operands(prev, pops, sizeof pops);
	if (sscanf(pops, "%15[^,]", base) != 1 || strcmp(base, b2) ||
	    a + (uint64_t)off < lo || a + (uint64_t)off >= hi)
		return 0;
	snprintf(reg, n, "%s", r);
	return 1;
}

/* sd X,OFF(R) */
static int stores_via(const char *t, const char *reg)
{
	return insn_starts(t, "sd ") && insn_based_on(t, reg);
}

/* The mnemonics that write no general register here: stores, branches,
   jumps (calls end the walk as INSN_CALL before this is asked). */
static int writes_none(const char *t)
{
	static const char *const m[] = {
	    "sd ",   "sw ",   "sh ",   "sb ",	"fsd ",	 "fsw ",  "beq ",
	    "bne ",  "blt ",  "bge ",  "bltu ", "bgeu ", "beqz ", "bnez ",
	    "blez ", "bgez ", "bltz ", "bgtz ", "bgt ",	 "ble ",  "bgtu ",
	    "bleu ", "j ",    "jr ",   "ret",	"nop",	 "fence", "ecall",
	};
	size_t i;

	for (i = 0; i < sizeof m / sizeof m[0]; i++)
		if (insn_starts(t, m[i]))
			return 1;
	return 0;
}

/* "IMM(REG)": base, off. */
static int mem_base(const char *op, char *base, size_t n, long long *off)
{
	char *end;
	const char *rp;

	*off = strtoll(op, &end, 0);
	if (*end != '(' || !(rp = strchr(end, ')')) || rp[1] ||
	    (size_t)(rp - end - 1) >= n)
		return 0;
	memcpy(base, end + 1, (size_t)(rp - end - 1));
	base[rp - end - 1] = 0;
	return 1;
}

/* A number (riscv64 objdump prints addi's immediate bare). */
static int imm(const char *s, long long *v)
{
	char *end;
	*v = strtoll(s, &end, 0);
	return end != s && !*end;
}

static enum insn_def defines(const char *t, const char *reg,
			     struct insn_def_of *d)
{
	char ops[128], *op[8];
	int n;

	if (writes_none(t))
		return DEF_NONE;
	insn_operands(t, ops, sizeof ops);
	if ((n = insn_split(ops, op, 8, "()")) == 0)
		return DEF_NONE;
	if (n < 0) /* more operands than any instruction here: unknown */
		return DEF_OTHER;
	if (strcmp(op[0], reg))
		return DEF_NONE;
	if (insn_starts(t, "mv ") && n == 2) {
		snprintf(d->base, sizeof d->base, "%s", op[1]);
		d->off = 0;
		return DEF_ADDR;
	}
	if ((insn_starts(t, "addi ") || insn_starts(t, "add ")) && n == 3 &&
	    imm(op[2], &d->off)) {
		snprintf(d->base, sizeof d->base, "%s", op[1]);
		return DEF_ADDR;
	}
	if (insn_starts(t, "ld ") && n == 2 &&
	    mem_base(op[1], d->base, sizeof d->base, &d->off))
		return DEF_LOAD;
	return DEF_OTHER;
}

/* text writes reg (other than by the allocator's load): whatever defines
   says does, so that a shift, a subtraction or a compare-and-branch is
   judged as CM-4 judges it, not by its mnemonic's first letter */
static int writes(const char *t, const char *reg)
{
	struct insn_def_of d;
	return defines(t, reg, &d) != DEF_NONE;
}

/* sd/sw/sh/sb SRC,IMM(sp): a write of the frame */
static int frame_store(const char *t, long long *off, int *nwords, char *src,
		       size_t n)
{
	char ops[128], base[16], *comma;

	if (!insn_starts(t, "sd ") && !insn_starts(t, "sw ") &&
	    !insn_starts(t, "sh ") && !insn_starts(t, "sb "))
		return 0;
	insn_operands(t, ops, sizeof ops);
	if (!(comma = strchr(ops, ',')) ||
	    !mem_base(comma + 1, base, sizeof base, off) || strcmp(base, "sp"))
		return 0;
	*comma = 0;
	*nwords = 1;
	src[0] = 0;
	if (insn_starts(t, "sd ") && strcmp(ops, "zero"))
		snprintf(src, n, "%s", ops);
	return 1;
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
    .insn = {classify, loads_from, stores_via, writes, defines, frame_store,
	     "sp", "t0"},
};
