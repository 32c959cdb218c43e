/*
 * arch/arm64/back.c -- gosub back end for AArch64: the expansion of every IR
 * op, the prologue/epilogue/morestack block of abi.h ABI-2/ABI-3, and the
 * target table.
 *
 * Registers (ABI-4): temps x9..x14, vars x0..x8 x19 x20 x21; private scratch
 * x16 x17; never touched: x18, x27 (resume), x28 (g, read in the prologue
 * only), x29 (FP), x30 (LR, saved by the prologue). Every expansion is
 * three-operand, so dst is written by its last instruction whenever it is
 * also a source (IR-1). Frame (ABI-2): [SP+F-8] saved LR, [SP+F-16] saved
 * FP, parameter i at SP+F+8i. Immediates that do not encode (add/sub: 12
 * bits, ldr/str: scaled 12 bits, stp: scaled signed 7 bits) go through x16.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "everypc/abi.h"
#include "mlive.h"

#define R(r) (be_arm64.regname[(r)])

/* reg = v with movz/movn/movk. */
static void load_const(struct emit *e, const char *reg, int64_t v)
{
	uint64_t u = (uint64_t)v;
	if (v >= -65536 && v < 65536) {
		be_ins(e, "mov %s, #%lld", reg, (long long)v);
		return;
	}
	be_ins(e, "movz %s, #%llu", reg, (unsigned long long)(u & 0xffff));
	for (int s = 16; s < 64; s += 16)
		if ((u >> s) & 0xffff)
			be_ins(e, "movk %s, #%llu, lsl #%d", reg,
			       (unsigned long long)((u >> s) & 0xffff), s);
}

/* dst = base + off, for any off (dst may be base). */
static void add_const(struct emit *e, const char *dst, const char *base,
		      int64_t off)
{
	if (off >= 0 && off < 4096) {
		be_ins(e, "add %s, %s, #%lld", dst, base, (long long)off);
	} else if (off < 0 && off > -4096) {
		be_ins(e, "sub %s, %s, #%lld", dst, base, -(long long)off);
	} else {
		load_const(e, "x17", off);
		be_ins(e, "add %s, %s, x17", dst, base);
	}
}

/* Load (store) a word at base + off into (from) reg. */
static void mem_word(struct emit *e, const char *insn, const char *reg,
		     const char *base, int64_t off)
{
	if (off >= 0 && off <= 32760 && off % 8 == 0) {
		be_ins(e, "%s %s, [%s, #%lld]", insn, reg, base,
		       (long long)off);
	} else if (off >= -256 && off < 256) { /* ldur / stur */
		be_ins(e, "%s %s, [%s, #%lld]",
		       insn[0] == 'l' ? "ldur" : "stur", reg, base,
		       (long long)off);
	} else {
		load_const(e, "x16", off);
		be_ins(e, "%s %s, [%s, x16]", insn, reg, base);
	}
}

/* The b operand: a register, or x16 loaded with the immediate. */
static const char *reg_b(struct emit *e, const struct ir_insn *in)
{
	if (!in->bimm)
		return R(in->b);
	load_const(e, "x16", in->imm);
	return "x16";
}

static void addsub(struct emit *e, const struct ir_insn *in, int sub)
{
	int64_t v = in->imm;
	if (in->bimm && v > -4096 && v < 4096) {
		if (sub)
			v = -v;
		be_ins(e, "%s %s, %s, #%lld", v < 0 ? "sub" : "add", R(in->dst),
		       R(in->a), v < 0 ? -(long long)v : (long long)v);
		return;
	}
	const char *b = reg_b(e, in);
	be_ins(e, "%s %s, %s, %s", sub ? "sub" : "add", R(in->dst), R(in->a),
	       b);
}

static void alu(struct emit *e, const struct ir_insn *in, const char *op)
{
	const char *b = reg_b(e, in);
	be_ins(e, "%s %s, %s, %s", op, R(in->dst), R(in->a), b);
}

/* sdiv gives MinInt64 for MinInt64 / -1 and never traps; msub then
   gives 0 for the remainder, as Go wants. */
static void divmod(struct emit *e, const struct ir_insn *in, int mod)
{
	/* with an immediate, in->b is -1: never index R() with it */
	const char *b = in->bimm ? "x17" : R(in->b);
	if (in->bimm)
		load_const(e, "x17", in->imm);
	if (!mod) {
		be_ins(e, "sdiv %s, %s, %s", R(in->dst), R(in->a), b);
		return;
	}
	be_ins(e, "sdiv x16, %s, %s", R(in->a), b);
	be_ins(e, "msub %s, x16, %s, %s", R(in->dst), b, R(in->a));
}

/* lsl/asr take the count mod 64; Go wants 0 / the sign fill past 63. */
static void shift(struct emit *e, const struct ir_insn *in, int left)
{
	if (in->bimm) {
		uint64_t n = (uint64_t)in->imm;
		if (left && n >= 64)
			be_ins(e, "mov %s, #0", R(in->dst));
		else
			be_ins(e, "%s %s, %s, #%llu", left ? "lsl" : "asr",
			       R(in->dst), R(in->a),
			       (unsigned long long)(n > 63 ? 63 : n));
		return;
	}
	if (left) {
		be_ins(e, "lsl x16, %s, %s", R(in->a), R(in->b));
		be_ins(e, "cmp %s, #64", R(in->b));
		be_ins(e, "csel %s, x16, xzr, lo", R(in->dst));
		return;
	}
	be_ins(e, "mov x16, #63");
	be_ins(e, "cmp %s, #63", R(in->b));
	be_ins(e, "csel x16, %s, x16, ls", R(in->b));
	be_ins(e, "asr %s, %s, x16", R(in->dst), R(in->a));
}

static const char *const cmpcc[] = {
    [IR_CMPEQ - IR_CMPEQ] = "eq",  [IR_CMPNE - IR_CMPEQ] = "ne",
    [IR_CMPLT - IR_CMPEQ] = "lt",  [IR_CMPLE - IR_CMPEQ] = "le",
    [IR_CMPGT - IR_CMPEQ] = "gt",  [IR_CMPGE - IR_CMPEQ] = "ge",
    [IR_CMPULT - IR_CMPEQ] = "lo",
};
_Static_assert(sizeof cmpcc / sizeof cmpcc[0] == IR_NUM_CMP,
	       "a condition for every comparison");

static void compare(struct emit *e, const struct ir_insn *in)
{
	int64_t v = in->imm;
	if (in->bimm && v >= 0 && v < 4096)
		be_ins(e, "cmp %s, #%lld", R(in->a), (long long)v);
	else if (in->bimm && v < 0 && v > -4096)
		be_ins(e, "cmn %s, #%lld", R(in->a), -(long long)v);
	else
		be_ins(e, "cmp %s, %s", R(in->a), reg_b(e, in));
	be_ins(e, "cset %s, %s", R(in->dst), cmpcc[in->op - IR_CMPEQ]);
}

/* Zero n words from base + off (x16, x17 scratch). */
static void zero_words(struct emit *e, const char *base, int64_t off, long n)
{
	if (n == 0)
		return;
	if (n <= 8 && off >= 0 && off + 8 * n <= 32768) {
		for (long i = 0; i < n; i++)
			be_ins(e, "str xzr, [%s, #%lld]", base,
			       (long long)(off + 8 * i));
		return;
	}
	add_const(e, "x16", base, off);
	load_const(e, "x17", n);
	be_raw(e, "1:");
	be_ins(e, "str xzr, [x16], #8");
	be_ins(e, "subs x17, x17, #1");
	be_ins(e, "b.ne 1b");
}

/* The inline allocation fast path of abi.h (GC-atomic). dst is not a
   source, so it holds p until the final dst = p + 8. */
static void alloc(struct emit *e, const struct ir_insn *in)
{
	long cs = be_class_size((int)in->imm2), c8 = 8 * in->imm2;
	const char *d = R(in->dst);
	be_ins(e, "adrp x16, runtime.alloc_next+%ld", c8);
	be_ins(e, "ldr %s, [x16, :lo12:runtime.alloc_next+%ld]", d, c8);
	be_ins(e, "add x17, %s, #%ld", d, cs);
	be_ins(e, "adrp x16, runtime.alloc_limit+%ld", c8);
	be_ins(e, "ldr x16, [x16, :lo12:runtime.alloc_limit+%ld]", c8);
	be_ins(e, "cmp x17, x16");
	be_ins(e, "b.hi %s", be_label(e, in->label));
	be_ins(e, "adrp x16, runtime.alloc_next+%ld", c8);
	be_ins(e, "str x17, [x16, :lo12:runtime.alloc_next+%ld]", c8);
	load_const(e, "x16", (int64_t)EP_OBJ_HEADER(in->imm, EP_OBJ_ALLOCATED));
	be_ins(e, "str x16, [%s]", d);
	if (cs <= 128) {
		for (long off = 8; off < cs; off += 8)
			be_ins(e, "str xzr, [%s, #%ld]", d, off);
	} else {
		be_ins(e, "add x16, %s, #8", d);
		be_raw(e, "1:");
		be_ins(e, "str xzr, [x16], #8");
		be_ins(e, "cmp x16, x17");
		be_ins(e, "b.lo 1b");
	}
	be_ins(e, "add %s, %s, #8", d, d);
}

/* IR-7, ABI-8: a pointer store behind the write barrier. The flag load
   opens the write-barrier range, the store closes it; x16 = the slot
   (computed first: a large offset goes through x17), x17 = the new value
   for runtime.gcWriteBarrier. */
static void wbstore(struct emit *e, const struct ir_insn *in)
{
	be_ins(e, "adrp x16, runtime.writeBarrier");
	be_ins(e, "ldr w16, [x16, :lo12:runtime.writeBarrier]");
	be_ins(e, "cbz w16, 1f");
	add_const(e, "x16", R(in->a), in->imm);
	be_ins(e, "mov x17, %s", R(in->b));
	be_ins(e, "bl runtime.gcWriteBarrier");
	be_raw(e, "1:");
	mem_word(e, "str", R(in->b), R(in->a), in->imm);
}

static void addrsym(struct emit *e, const struct ir_insn *in)
{
	const char *d = R(in->dst);
	if (in->imm >= -(1 << 20) && in->imm < (1 << 20)) {
		be_ins(e, "adrp %s, %s%+lld", d, in->sym, (long long)in->imm);
		be_ins(e, "add %s, %s, :lo12:%s%+lld", d, d, in->sym,
		       (long long)in->imm);
		return;
	}
	be_ins(e, "adrp %s, %s", d, in->sym);
	be_ins(e, "add %s, %s, :lo12:%s", d, d, in->sym);
	add_const(e, d, d, in->imm);
}

static long param_off(const struct ir_func *f, int64_t i)
{
	return be_frame_size(f) + 8 * i;
}

static void frame_op(struct emit *e, const struct ir_func *f,
		     const struct ir_insn *in)
{
	switch (in->op) {
	case IR_ADDRFRAME:
		add_const(e, R(in->dst), "sp", 8 * in->imm);
		break;
	case IR_LDFRAME:
		mem_word(e, "ldr", R(in->dst), "sp", 8 * in->imm);
		break;
	case IR_STFRAME:
		mem_word(e, "str", R(in->a), "sp", 8 * in->imm);
		break;
	case IR_LDPARAM:
		mem_word(e, "ldr", R(in->dst), "sp", param_off(f, in->imm));
		break;
	case IR_STPARAM:
		mem_word(e, "str", R(in->a), "sp", param_off(f, in->imm));
		break;
	case IR_ZERO:
		zero_words(e, "sp", 8 * in->imm, (long)in->imm2);
		break;
	}
}

/* The arithmetic group: IR_ADD..IR_SHR but the comparisons, IR_NEG,
   IR_NOT, IR_COM; 0 for any other op. */
static int arith(struct emit *e, const struct ir_insn *in)
{
	switch (in->op) {
	case IR_ADD:
	case IR_SUB:
		addsub(e, in, in->op == IR_SUB);
		return 1;
	case IR_MUL:
		alu(e, in, "mul");
		return 1;
	case IR_AND:
		alu(e, in, "and");
		return 1;
	case IR_OR:
		alu(e, in, "orr");
		return 1;
	case IR_XOR:
		alu(e, in, "eor");
		return 1;
	case IR_ANDNOT:
		alu(e, in, "bic");
		return 1;
	case IR_DIV:
	case IR_MOD:
		divmod(e, in, in->op == IR_MOD);
		return 1;
	case IR_SHL:
	case IR_SHR:
		shift(e, in, in->op == IR_SHL);
		return 1;
	case IR_NEG:
		be_ins(e, "neg %s, %s", R(in->dst), R(in->a));
		return 1;
	case IR_NOT:
		be_ins(e, "eor %s, %s, #1", R(in->dst), R(in->a));
		return 1;
	case IR_COM:
		be_ins(e, "mvn %s, %s", R(in->dst), R(in->a));
		return 1;
	}
	return 0;
}

static void arm64_insn(struct emit *e, const struct ir_func *f,
		       const struct ir_insn *in)
{
	switch (in->op) {
	case IR_NOP:
		break;
	case IR_MOVI:
		load_const(e, R(in->dst), in->imm);
		break;
	case IR_MOV:
		if (in->dst != in->a)
			be_ins(e, "mov %s, %s", R(in->dst), R(in->a));
		break;
	case IR_ADDRSYM:
		addrsym(e, in);
		break;
	case IR_LOAD:
		mem_word(e, "ldr", R(in->dst), R(in->a), in->imm);
		break;
	case IR_STORE:
		if (in->wb)
			wbstore(e, in);
		else
			mem_word(e, "str", R(in->b), R(in->a), in->imm);
		break;
	case IR_JMP:
		be_ins(e, "b %s", be_label(e, (int)in->imm));
		break;
	case IR_BRZ:
	case IR_BRNZ:
		be_ins(e, "%s %s, %s", in->op == IR_BRZ ? "cbz" : "cbnz",
		       R(in->a), be_label(e, (int)in->imm));
		break;
	case IR_CALL:
		be_ins(e, "bl %s", in->sym); /* last: EMIT-2 */
		break;
	case IR_ALLOC:
		alloc(e, in);
		break;
	default:
		if (in->op >= IR_CMPEQ && in->op <= IR_CMPULT)
			compare(e, in);
		else if (!arith(e, in))
			frame_op(e, f, in);
	}
}

/* ABI-3: x16 = SP - F; below g->stackguard -> morestack; SP = x16. */
static void arm64_prologue(struct emit *e, const struct ir_func *f,
			   const char *morestack)
{
	long F = be_frame_size(f);
	if (F < 4096) {
		be_ins(e, "sub x16, sp, #%ld", F);
	} else {
		load_const(e, "x17", F);
		be_ins(e, "sub x16, sp, x17");
	}
	be_ins(e, "ldr x17, [x28, #%d]", EP_G_STACKGUARD);
	be_ins(e, "cmp x16, x17");
	be_ins(e, "b.lo %s", morestack);
	be_ins(e, "mov sp, x16");
	if (F - 16 <= 504) {
		be_ins(e, "stp x29, x30, [sp, #%ld]", F - 16);
		be_ins(e, "add x29, sp, #%ld", F - 16);
		return;
	}
	add_const(e, "x16", "sp", F - 16);
	be_ins(e, "stp x29, x30, [x16]");
	be_ins(e, "mov x29, x16");
}

static void arm64_epilogue(struct emit *e, const struct ir_func *f)
{
	long F = be_frame_size(f);
	if (F - 16 <= 504) {
		be_ins(e, "ldp x29, x30, [sp, #%ld]", F - 16);
		be_ins(e, "add sp, sp, #%ld", F);
	} else {
		add_const(e, "x16", "sp", F - 16);
		be_ins(e, "ldp x29, x30, [x16]");
		be_ins(e, "add sp, x16, #16");
	}
	be_ins(e, "ret");
}

/* runtime.morestack finds the function's return address in x17 and
   returns into the block with LR holding it again (ABI-3). */
static void arm64_morestack(struct emit *e, const struct ir_func *f,
			    const char *entry)
{
	(void)f;
	be_ins(e, "mov x17, x30");
	be_ins(e, "bl runtime.morestack");
	be_ins(e, "b %s", entry);
}

/* ---- describing an instruction (EMIT-5) -------------------------------- */

/* GDB number of xN / wN (0..30); -1 for sp, xzr, wzr and anything else. */
static int arm64_regnum(const char *name)
{
	char *end;
	long n;
	if (name[0] != 'x' && name[0] != 'w')
		return -1;
	if (name[1] < '0' || name[1] > '9')
		return -1;
	n = strtol(name + 1, &end, 10);
	return *end || n > 30 ? -1 : (int)n;
}

static int arm64_describe(const char *text, struct be_minfo *mi)
{
	static const char *const stores[] = {"str", "stur", "stp", NULL};
	static const char *const compares[] = {"cmp", "cmn", "tst", NULL};
	static const char *const defs[] = {
	    "mov", "movz", "movk", "add",  "sub",  "subs", "and",  "orr",
	    "bic", "eor",  "lsl",  "asr",  "sdiv", "mul",  "msub", "neg",
	    "mvn", "csel", "cset", "adrp", "ldr",  "ldur", "ldp",  NULL};
	char m[16], ops[4][48];
	int n, d, i,
	    k = ml_describe_common(text, mi, m, sizeof m, ops, 4, &n, "bl",
				   17 /* x17, ABI-3 */, 1u << 16 | 1u << 17);
	if (k)
		return k < 0 ? -1 : 0;
	if ((!strcmp(m, "b") || !strncmp(m, "b.", 2)) && n == 1) {
		mi->flow = m[1] ? BE_F_BRANCH : BE_F_JUMP;
		snprintf(mi->target, sizeof mi->target, "%s", ops[0]);
		return 0;
	}
	if ((!strcmp(m, "cbz") || !strcmp(m, "cbnz")) && n == 2) {
		mi->use = ml_regs_in(ops[0], arm64_regnum);
		mi->flow = BE_F_BRANCH;
		snprintf(mi->target, sizeof mi->target, "%s", ops[1]);
		return 0;
	}
	if (n < 2)
		return -1;
	for (i = 0; i < n; i++)
		mi->use |= ml_regs_in(ops[i], arm64_regnum);
	if (ml_one_of(m, compares))
		return 0;
	if (ml_one_of(m, stores)) {
		/* post-index "[xN], #imm" writes the base back */
		if (n == 3 && ops[1][0] == '[' && ops[2][0] == '#')
			mi->def = ml_regs_in(ops[1], arm64_regnum);
		return 0;
	}
	if (!ml_one_of(m, defs))
		return -1;
	d = arm64_regnum(ops[0]);
	mi->def = d >= 0 ? 1ull << d : 0;
	if (!strcmp(m, "ldp")) {
		mi->def |= ml_regs_in(ops[1], arm64_regnum);
		mi->use = ml_regs_in(ops[2], arm64_regnum);
		return 0;
	}
	/* the destination is written, and read only when it is also a
	   source operand or movk keeps its other bits */
	mi->use = 0;
	for (i = 1; i < n; i++)
		mi->use |= ml_regs_in(ops[i], arm64_regnum);
	if (!strcmp(m, "movk"))
		mi->use |= mi->def;
	if ((!strcmp(m, "mov") || !strcmp(m, "movz")) && ops[1][0] == '#')
		mi->kind = BE_M_CONST;
	else if (!strcmp(m, "mov"))
		mi->kind = BE_M_COPY, mi->src = arm64_regnum(ops[1]);
	else if (!strcmp(m, "adrp"))
		mi->kind = BE_M_CONST;
	else if (!strcmp(m, "add") || !strcmp(m, "sub"))
		mi->kind = BE_M_ADD;
	return 0;
}

static int arm64_emit(const struct ir_program *prog, FILE *out)
{
	return emit_program(&be_arm64, prog, out);
}

const struct ir_target ir_target_arm64 = {
    .name = "arm64",
    .arch = EP_ARCH_ARM64,
    .ntemps = 6,
    .nvars = 12,
    .gdbreg = {9, 10, 11, 12, 13, 14, 0, 1, 2, 3, 4, 5, 6, 7, 8, 19, 20, 21},
    .emit = arm64_emit,
};

#define NGDB 31 /* GDB registers (META-6) */
static const char *const arm64_gdbname[] = {
    "x0",  "x1",  "x2",	 "x3",	"x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10",
    "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",
    "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30",
};
_Static_assert(sizeof arm64_gdbname / sizeof arm64_gdbname[0] == NGDB,
	       "every GDB register named");

const struct be_arch be_arm64 = {
    .target = &ir_target_arm64,
    .regname = {"x9", "x10", "x11", "x12", "x13", "x14", "x0", "x1", "x2", "x3",
		"x4", "x5", "x6", "x7", "x8", "x19", "x20", "x21"},
    .gdbname = arm64_gdbname,
    .ngdb = NGDB,
    .prologue = arm64_prologue,
    .insn = arm64_insn,
    .epilogue = arm64_epilogue,
    .morestack = arm64_morestack,
    .describe = arm64_describe,
    .scratch = 1u << 16 | 1u << 17, /* x16 x17 */
};
