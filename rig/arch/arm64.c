/*
 * arch/arm64.c -- what the rig knows of arm64 (regs.h): its registers and,
 * for injected calls, its debug-call facts (debugcall.h: RDC). Names as
 * in QEMU 7.2's aarch64-core.xml (x30 is the link register, cpsr 32 bits).
 * x27 is the ABI-6 resume register and is not compared.
 */
#include "regs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <everypc/abi.h>
#include <everypc/debugcall.h>

static const char *const gpr[] = {
    "x0",  "x1",  "x2",	 "x3",	"x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10",
    "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",
    "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30",
};
_Static_assert(sizeof gpr / sizeof gpr[0] == 31, "META-6: x0..x30 = 0..30");

/* gosub ABI-4: temps and variables (runtime/compiler/arch/arm64/back.c) */
static const char *const alloc[] = {
    "x0", "x1",	 "x2",	"x3",  "x4",  "x5",  "x6",  "x7",  "x8",
    "x9", "x10", "x11", "x12", "x13", "x14", "x19", "x20", "x21",
};

static const char *const compare[] = {
    "x0",  "x1",  "x2",	 "x3",	"x4",  "x5",   "x6",  "x7",  "x8",
    "x9",  "x10", "x11", "x12", "x13", "x14",  "x15", "x16", "x17",
    "x18", "x19", "x20", "x21", "x22", "x23",  "x24", "x25", "x26",
    "x28", "x29", "x30", "sp",	"pc",  "cpsr",
};

/* ---- machine-code rules of check-meta (regs.h: insn_rules) ---- */

static enum insn_class classify(const char *t)
{
	if (insn_starts(t, "mov sp, x29") || insn_starts(t, "add sp, sp,") ||
	    insn_starts(t, "ldp x29, x30, [sp") ||
	    insn_starts(t, "ldr x30, [sp"))
		return INSN_TEARDOWN;
	if (insn_starts(t, "mov sp, ") || insn_starts(t, "sub sp, sp,") ||
	    insn_starts(t, "stp x29, x30, [sp") ||
	    insn_starts(t, "str x30, [sp") || insn_starts(t, "add x29, sp"))
		return INSN_SETUP;
	if (insn_starts(t, "ret"))
		return INSN_RET;
	if (insn_starts(t, "bl ") || insn_starts(t, "blr "))
		return INSN_CALL;
	if (insn_starts(t, "br "))
		return INSN_IJUMP;
	return INSN_OTHER;
}

/* adrp xB, PAGE <...> then ldr xR, [xB, #OFF] */
static int loads_from(const char *prev, uint64_t prev_pc, const char *t,
		      uint64_t lo, uint64_t hi, char *reg, size_t n)
{
	char pops[128], ops[128], base[16], r[16];
	unsigned long long page, off = 0;

	(void)prev_pc;
	if (!prev || !insn_starts(prev, "adrp ") ||
	    !(insn_starts(t, "ldr x") || insn_starts(t, "ldr w")))
		return 0;
	insn_operands(prev, pops, sizeof pops);
	insn_operands(t, ops, sizeof ops);
	if (sscanf(pops, "%15[^,], %llx", base, &page) != 2 ||
	    sscanf(ops, "%15[^,], [%15[^],]", r, pops) != 2 ||
	    strcmp(pops, base))
		return 0;
	if (strchr(ops, '#'))
		off = strtoull(strchr(ops, '#') + 1, NULL, 0);
	if (page + off < lo || page + off >= hi)
		return 0;
	snprintf(reg, n, "%s", r);
	return 1;
}

/* str/stp ..., [xR] or [xR, #OFF] */
static int stores_via(const char *t, const char *reg)
{
	char ops[128], a[32], b[32];

	if (!insn_starts(t, "str") && !insn_starts(t, "stp"))
		return 0;
	insn_operands(t, ops, sizeof ops);
	snprintf(a, sizeof a, "[%s]", reg);
	snprintf(b, sizeof b, "[%s,", reg);
	return strstr(ops, a) || strstr(ops, b);
}

/* "x9", "w9" -> 9 (*full: the x form); "sp" -> 31 (full); else -1. */
static int regno(const char *r, int *full)
{
	char *end;
	long n;

	*full = 1;
	if (!strcmp(r, "sp"))
		return 31;
	if ((r[0] != 'x' && r[0] != 'w') || r[1] < '0' || r[1] > '9')
		return -1;
	n = strtol(r + 1, &end, 10);
	if (*end || n > 30)
		return -1;
	*full = r[0] == 'x';
	return (int)n;
}

/* The register number of reg ("x9", "w9", "sp"), or -1. */
static int want_of(const char *reg)
{
	int full;
	return regno(reg, &full);
}

/* 1 when text is a load or store with writeback ("[x1], #8" post-index,
   "[x1, #8]!" pre-index) whose base register is number want: the base is
   written, even by a store. */
static int writeback_base(const char *t, int want)
{
	const char *lb = strchr(t, '['), *rb;
	char base[16];
	size_t k;
	int full;

	if (want < 0 || !lb || !(rb = strchr(lb, ']')) ||
	    !(rb[1] == '!' || (rb[1] == ',' && !strchr(rb, '['))))
		return 0;
	for (k = 0; lb[1 + k] && lb[1 + k] != ',' && lb[1 + k] != ']' &&
		    k + 1 < sizeof base;
	     k++)
		base[k] = lb[1 + k];
	base[k] = 0;
	return regno(base, &full) == want;
}

/* "[xB]" or "[xB, #OFF]" (no writeback, no index): base, off. */
static int mem_base(const char *op, char *base, size_t n, long long *off)
{
	char b[16], rest[32];
	int k;

	*off = 0;
	k = sscanf(op, "[%15[^],]%31[^\n]", b, rest);
	if (k < 1 || strchr(op, '!'))
		return 0;
	if (k == 2 && strcmp(rest, "]")) {
		char *end;
		if (strncmp(rest, ", #", 3))
			return 0;
		*off = strtoll(rest + 3, &end, 0);
		if (strcmp(end, "]"))
			return 0;
	}
	snprintf(base, n, "%s", b);
	return 1;
}

static enum insn_def defines(const char *t, const char *reg,
			     struct insn_def_of *d)
{
	char ops[128], *op[8];
	int n, want, full, full2;

	if (writeback_base(t, want_of(reg)))
		return DEF_OTHER;
	if (insn_starts(t, "str") || insn_starts(t, "stp") ||
	    insn_starts(t, "stur") || insn_starts(t, "stlr ") ||
	    insn_starts(t, "stnp") || insn_starts(t, "cmp") ||
	    insn_starts(t, "cmn") || insn_starts(t, "tst") ||
	    insn_starts(t, "cb") || insn_starts(t, "tb") ||
	    insn_starts(t, "b ") || insn_starts(t, "b.") ||
	    insn_starts(t, "bl ") || insn_starts(t, "blr ") ||
	    insn_starts(t, "br ") || insn_starts(t, "ret") ||
	    insn_starts(t, "nop"))
		return DEF_NONE;
	want = regno(reg, &full);
	insn_operands(t, ops, sizeof ops);
	if (want < 0 || (n = insn_split(ops, op, 8, "[]")) == 0)
		return DEF_NONE;
	if (n < 0) /* more operands than any instruction here: unknown */
		return DEF_OTHER;
	/* a second register written: the pair loads and casp */
	if ((insn_starts(t, "ldp") || insn_starts(t, "ldnp") ||
	     insn_starts(t, "ldxp") || insn_starts(t, "ldaxp") ||
	     insn_starts(t, "casp")) &&
	    n >= 2 && regno(op[1], &full) == want)
		return DEF_OTHER;
	/* swp and the LSE load-and-operate atomics write only their second
	   register (ldadd xs, xt, [xn] loads xt; xs is the operand) */
	if (insn_starts(t, "swp") || insn_starts(t, "ldadd") ||
	    insn_starts(t, "ldclr") || insn_starts(t, "ldeor") ||
	    insn_starts(t, "ldset") || insn_starts(t, "ldsmax") ||
	    insn_starts(t, "ldsmin") || insn_starts(t, "ldumax") ||
	    insn_starts(t, "ldumin"))
		return n >= 2 && regno(op[1], &full) == want ? DEF_OTHER
							     : DEF_NONE;
	if (regno(op[0], &full) != want)
		return DEF_NONE;
	if (!full)
		return DEF_OTHER;
	if (insn_starts(t, "mov ") && n == 2 && regno(op[1], &full2) >= 0 &&
	    full2) {
		snprintf(d->base, sizeof d->base, "%s", op[1]);
		d->off = 0;
		return DEF_ADDR;
	}
	if ((insn_starts(t, "add ") || insn_starts(t, "sub ")) && n == 3 &&
	    op[2][0] == '#' && regno(op[1], &full2) >= 0 && full2) {
		snprintf(d->base, sizeof d->base, "%s", op[1]);
		d->off = strtoll(op[2] + 1, NULL, 0);
		if (insn_starts(t, "sub "))
			d->off = -d->off;
		return DEF_ADDR;
	}
	if (insn_starts(t, "ldr ") && n == 2 &&
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

/* str/stp/stur ..., [sp...]: a write of the frame */
static int frame_store(const char *t, long long *off, int *nwords, char *src,
		       size_t n)
{
	char ops[128], *op[8], base[16], b[16];
	int k, full;

	if (!insn_starts(t, "str") && !insn_starts(t, "stp") &&
	    !insn_starts(t, "stur"))
		return 0;
	insn_operands(t, ops, sizeof ops);
	if ((k = insn_split(ops, op, 8, "[]")) < 2 ||
	    sscanf(op[k - 1], "[%15[^],]", b) != 1 || strcmp(b, "sp"))
		return 0;
	if (!mem_base(op[k - 1], base, sizeof base, off)) {
		/* pre-index writeback, [sp, #OFF]!: the word at sp + OFF (a
		   post-index store, [sp], #OFF, is not recognised: gosub
		   emits none) */
		const char *h = strchr(op[k - 1], '#');
		*off = h && strchr(op[k - 1], ']') > h ? strtoll(h + 1, NULL, 0)
						       : 0;
	}
	*nwords = insn_starts(t, "stp") ? 2 : 1;
	src[0] = 0;
	if (insn_starts(t, "str ") && k == 2 && regno(op[0], &full) >= 0 &&
	    full && strcmp(op[0], "sp"))
		snprintf(src, n, "%s", op[0]);
	return 1;
}

const struct rig_regs rig_regs_arm64 = {
    .arch = "arm64",
    .ep_arch = EP_ARCH_ARM64,
    .qemu = "qemu-aarch64",
    .tdesc_arch = "aarch64",
    .pc = "pc",
    .sp = "sp",
    .fp = "x29",
    .lr = "x30",
    .g = "x28",
    .resume = "x27",
    .cargs = {"x0", "x1", "x2"},
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
    .dc = {.name = "arm64",
	   .pc = 32,
	   .sp = 31,
	   .lr = 30,
	   .status = EP_DC_STATUS_REG_ARM64,
	   .trap = EP_DC_TRAP_ARM64,
	   .trap_len = 4,
	   .stop_after = 0,
	   .advance = 4},
    .insn = {classify, loads_from, stores_via, writes, defines, frame_store,
	     "sp", "x16"},
};
