/*
 * arch/riscv64/back.c -- gosub back end for RV64GC: the expansion of every IR
 * op, the prologue/epilogue/morestack block of abi.h ABI-2/ABI-3, and the
 * target table.
 *
 * Registers (ABI-4): temps a0..a5, vars s1 s2..s10 (x9, x18..x26); private
 * scratch t0 t1 t2; never touched: gp, tp, t6 (resume), s11 (g, read in the
 * prologue only), s0 (FP), ra (saved by the prologue). Expansions are
 * three-operand, so dst is written by the last instruction whenever it is
 * also a source (IR-1). Frame (ABI-2): [SP+F-8] saved RA, [SP+F-16] saved
 * FP, parameter i at SP+F+8i. Immediates outside 12 bits go through t0/t1.
 * The file runs with `.option norelax`: the linker must not shrink code the
 * metadata already describes, and gp is not set up for gp-relative access.
 * Conditional branches out of +-4 KiB are widened by the assembler.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "everypc/abi.h"
#include "mlive.h"

#define R(r) (be_riscv64.regname[(r)])

static int fits12(int64_t v) { return v >= -2048 && v < 2048; }

static void load_const(struct emit *e, const char *reg, int64_t v)
{
	be_ins(e, "li %s, %lld", reg, (long long)v);
}

/* dst = base + off, for any off (t0 scratch when large). */
static void add_const(struct emit *e, const char *dst, const char *base,
		      int64_t off)
{
	if (fits12(off)) {
		be_ins(e, "addi %s, %s, %lld", dst, base, (long long)off);
		return;
	}
	load_const(e, "t0", off);
	be_ins(e, "add %s, %s, t0", dst, base);
}

/* insn reg, off(base) for any off. */
static void mem_word(struct emit *e, const char *insn, const char *reg,
		     const char *base, int64_t off)
{
	if (fits12(off)) {
		be_ins(e, "%s %s, %lld(%s)", insn, reg, (long long)off, base);
		return;
	}
	load_const(e, "t0", off);
	be_ins(e, "add t0, %s, t0", base);
	be_ins(e, "%s %s, 0(t0)", insn, reg);
}

/* The b operand: a register, or t1 loaded with the immediate. */
static const char *reg_b(struct emit *e, const struct ir_insn *in)
{
	if (!in->bimm)
		return R(in->b);
	load_const(e, "t1", in->imm);
	return "t1";
}

/* dst = a OP b; iop is the immediate form (NULL: none). */
static void alu(struct emit *e, const struct ir_insn *in, const char *op,
		const char *iop)
{
	if (in->bimm && iop && fits12(in->imm)) {
		be_ins(e, "%s %s, %s, %lld", iop, R(in->dst), R(in->a),
		       (long long)in->imm);
		return;
	}
	const char *b = reg_b(e, in);
	be_ins(e, "%s %s, %s, %s", op, R(in->dst), R(in->a), b);
}

static void sub(struct emit *e, const struct ir_insn *in)
{
	if (in->bimm && fits12(in->imm) && in->imm != -2048) {
		be_ins(e, "addi %s, %s, %lld", R(in->dst), R(in->a),
		       -(long long)in->imm);
		return;
	}
	alu(e, in, "sub", NULL);
}

static void andnot(struct emit *e, const struct ir_insn *in)
{
	if (in->bimm && fits12(~in->imm)) {
		be_ins(e, "andi %s, %s, %lld", R(in->dst), R(in->a),
		       (long long)~in->imm);
		return;
	}
	be_ins(e, "not t1, %s", reg_b(e, in));
	be_ins(e, "and %s, %s, t1", R(in->dst), R(in->a));
}

/* sll/sra take the count mod 64; Go wants 0 / the sign fill past 63. */
static void shift(struct emit *e, const struct ir_insn *in, int left)
{
	if (in->bimm) {
		uint64_t n = (uint64_t)in->imm;
		if (left && n >= 64)
			be_ins(e, "li %s, 0", R(in->dst));
		else
			be_ins(e, "%s %s, %s, %llu", left ? "slli" : "srai",
			       R(in->dst), R(in->a),
			       (unsigned long long)(n > 63 ? 63 : n));
		return;
	}
	if (left) {
		be_ins(e, "sll t0, %s, %s", R(in->a), R(in->b));
		be_ins(e, "sltiu t1, %s, 64", R(in->b));
		be_ins(e, "neg t1, t1");
		be_ins(e, "and %s, t0, t1", R(in->dst));
		return;
	}
	be_ins(e, "mv t0, %s", R(in->b));
	be_ins(e, "sltiu t1, t0, 64");
	be_ins(e, "bnez t1, 1f");
	be_ins(e, "li t0, 63");
	be_raw(e, "1:");
	be_ins(e, "sra %s, %s, t0", R(in->dst), R(in->a));
}

static void compare(struct emit *e, const struct ir_insn *in)
{
	const char *d = R(in->dst), *a = R(in->a), *b = reg_b(e, in);
	switch (in->op) {
	case IR_CMPEQ:
	case IR_CMPNE:
		be_ins(e, "sub t0, %s, %s", a, b);
		be_ins(e, "%s %s, t0", in->op == IR_CMPEQ ? "seqz" : "snez", d);
		break;
	case IR_CMPLT:
		be_ins(e, "slt %s, %s, %s", d, a, b);
		break;
	case IR_CMPGT:
		be_ins(e, "slt %s, %s, %s", d, b, a);
		break;
	case IR_CMPLE:
		be_ins(e, "slt t0, %s, %s", b, a);
		be_ins(e, "xori %s, t0, 1", d);
		break;
	case IR_CMPGE:
		be_ins(e, "slt t0, %s, %s", a, b);
		be_ins(e, "xori %s, t0, 1", d);
		break;
	case IR_CMPULT:
		be_ins(e, "sltu %s, %s, %s", d, a, b);
		break;
	}
}

static void zero_words(struct emit *e, const char *base, int64_t off, long n)
{
	if (n == 0)
		return;
	if (n <= 8 && fits12(off) && fits12(off + 8 * n)) {
		for (long i = 0; i < n; i++)
			be_ins(e, "sd zero, %lld(%s)", (long long)(off + 8 * i),
			       base);
		return;
	}
	add_const(e, "t1", base, off);
	load_const(e, "t2", n);
	be_raw(e, "1:");
	be_ins(e, "sd zero, 0(t1)");
	be_ins(e, "addi t1, t1, 8");
	be_ins(e, "addi t2, t2, -1");
	be_ins(e, "bnez t2, 1b");
}

/* The inline allocation fast path of abi.h (GC-atomic). dst is not a
   source, so it holds p until the final dst = p + 8. */
/* IR-7, ABI-8: a pointer store behind the write barrier. The flag load
   opens the write-barrier range, the store closes it; t0 = the slot,
   t1 = the new value for runtime.gcWriteBarrier. */
static void wbstore(struct emit *e, const struct ir_insn *in)
{
	be_ins(e, "lla t0, runtime.writeBarrier");
	be_ins(e, "lw t0, 0(t0)");
	be_ins(e, "beqz t0, 1f");
	add_const(e, "t0", R(in->a), in->imm);
	be_ins(e, "mv t1, %s", R(in->b));
	be_ins(e, "call runtime.gcWriteBarrier");
	be_raw(e, "1:");
	mem_word(e, "sd", R(in->b), R(in->a), in->imm);
}

static void alloc(struct emit *e, const struct ir_insn *in)
{
	long cs = be_class_size((int)in->imm2), c8 = 8 * in->imm2;
	const char *d = R(in->dst);
	be_ins(e, "lla t0, runtime.alloc_next+%ld", c8);
	be_ins(e, "ld %s, 0(t0)", d);
	if (fits12(cs)) {
		be_ins(e, "addi t1, %s, %ld", d, cs);
	} else {
		be_ins(e, "li t1, %ld", cs);
		be_ins(e, "add t1, %s, t1", d);
	}
	be_ins(e, "lla t2, runtime.alloc_limit+%ld", c8);
	be_ins(e, "ld t2, 0(t2)");
	be_ins(e, "bltu t2, t1, %s", be_label(e, in->label));
	be_ins(e, "sd t1, 0(t0)");
	load_const(e, "t2", (int64_t)EP_OBJ_HEADER(in->imm, EP_OBJ_ALLOCATED));
	be_ins(e, "sd t2, 0(%s)", d);
	if (cs <= 128) {
		for (long off = 8; off < cs; off += 8)
			be_ins(e, "sd zero, %ld(%s)", off, d);
	} else {
		be_ins(e, "addi t0, %s, 8", d);
		be_raw(e, "1:");
		be_ins(e, "sd zero, 0(t0)");
		be_ins(e, "addi t0, t0, 8");
		be_ins(e, "bltu t0, t1, 1b");
	}
	be_ins(e, "addi %s, %s, 8", d, d);
}

static void addrsym(struct emit *e, const struct ir_insn *in)
{
	const char *d = R(in->dst);
	if (in->imm >= INT32_MIN / 2 && in->imm <= INT32_MAX / 2) {
		be_ins(e, "lla %s, %s%+lld", d, in->sym, (long long)in->imm);
		return;
	}
	be_ins(e, "lla %s, %s", d, in->sym);
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
		mem_word(e, "ld", R(in->dst), "sp", 8 * in->imm);
		break;
	case IR_STFRAME:
		mem_word(e, "sd", R(in->a), "sp", 8 * in->imm);
		break;
	case IR_LDPARAM:
		mem_word(e, "ld", R(in->dst), "sp", param_off(f, in->imm));
		break;
	case IR_STPARAM:
		mem_word(e, "sd", R(in->a), "sp", param_off(f, in->imm));
		break;
	case IR_ZERO:
		zero_words(e, "sp", 8 * in->imm, (long)in->imm2);
		break;
	}
}

static void arith(struct emit *e, const struct ir_insn *in)
{
	switch (in->op) {
	case IR_ADD:
		alu(e, in, "add", "addi");
		break;
	case IR_SUB:
		sub(e, in);
		break;
	case IR_MUL:
		alu(e, in, "mul", NULL);
		break;
	case IR_DIV: /* div: MinInt64 / -1 = MinInt64, no trap */
		alu(e, in, "div", NULL);
		break;
	case IR_MOD: /* rem: MinInt64 % -1 = 0 */
		alu(e, in, "rem", NULL);
		break;
	case IR_AND:
		alu(e, in, "and", "andi");
		break;
	case IR_OR:
		alu(e, in, "or", "ori");
		break;
	case IR_XOR:
		alu(e, in, "xor", "xori");
		break;
	case IR_ANDNOT:
		andnot(e, in);
		break;
	case IR_SHL:
	case IR_SHR:
		shift(e, in, in->op == IR_SHL);
		break;
	default:
		compare(e, in);
	}
}

static void riscv64_insn(struct emit *e, const struct ir_func *f,
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
			be_ins(e, "mv %s, %s", R(in->dst), R(in->a));
		break;
	case IR_ADDRSYM:
		addrsym(e, in);
		break;
	case IR_LOAD:
		mem_word(e, "ld", R(in->dst), R(in->a), in->imm);
		break;
	case IR_STORE:
		if (in->wb)
			wbstore(e, in);
		else
			mem_word(e, "sd", R(in->b), R(in->a), in->imm);
		break;
	case IR_NEG:
		be_ins(e, "neg %s, %s", R(in->dst), R(in->a));
		break;
	case IR_NOT:
		be_ins(e, "xori %s, %s, 1", R(in->dst), R(in->a));
		break;
	case IR_COM:
		be_ins(e, "not %s, %s", R(in->dst), R(in->a));
		break;
	case IR_JMP:
		be_ins(e, "j %s", be_label(e, (int)in->imm));
		break;
	case IR_BRZ:
	case IR_BRNZ:
		be_ins(e, "%s %s, %s", in->op == IR_BRZ ? "beqz" : "bnez",
		       R(in->a), be_label(e, (int)in->imm));
		break;
	case IR_CALL:
		be_ins(e, "call %s", in->sym); /* last: EMIT-2 */
		break;
	case IR_ALLOC:
		alloc(e, in);
		break;
	default:
		if (in->op >= IR_ADD && in->op <= IR_CMPULT)
			arith(e, in);
		else
			frame_op(e, f, in);
	}
}

static void riscv64_preamble(struct emit *e) { be_raw(e, "\t.option norelax"); }

/* ABI-3: t0 = SP - F; below g->stackguard -> morestack; SP = t0. */
static void riscv64_prologue(struct emit *e, const struct ir_func *f,
			     const char *morestack)
{
	long F = be_frame_size(f);
	add_const(e, "t0", "sp", -F);
	be_ins(e, "ld t1, %d(s11)", EP_G_STACKGUARD);
	be_ins(e, "bltu t0, t1, %s", morestack);
	be_ins(e, "mv sp, t0");
	if (fits12(F)) {
		be_ins(e, "sd ra, %ld(sp)", F - 8);
		be_ins(e, "sd s0, %ld(sp)", F - 16);
		be_ins(e, "addi s0, sp, %ld", F - 16);
		return;
	}
	add_const(e, "t1", "sp", F - 16);
	be_ins(e, "sd ra, 8(t1)");
	be_ins(e, "sd s0, 0(t1)");
	be_ins(e, "mv s0, t1");
}

static void riscv64_epilogue(struct emit *e, const struct ir_func *f)
{
	long F = be_frame_size(f);
	if (fits12(F)) {
		be_ins(e, "ld ra, %ld(sp)", F - 8);
		be_ins(e, "ld s0, %ld(sp)", F - 16);
		be_ins(e, "addi sp, sp, %ld", F);
	} else {
		add_const(e, "t1", "sp", F - 16);
		be_ins(e, "ld ra, 8(t1)");
		be_ins(e, "ld s0, 0(t1)");
		be_ins(e, "addi sp, t1, 16");
	}
	be_ins(e, "ret");
}

/* runtime.morestack finds the function's return address in t2 and
   returns into the block with RA holding it again (ABI-3). */
static void riscv64_morestack(struct emit *e, const struct ir_func *f,
			      const char *entry)
{
	(void)f;
	be_ins(e, "mv t2, ra");
	be_ins(e, "call runtime.morestack");
	be_ins(e, "j %s", entry);
}

/* ---- describing an instruction (EMIT-5) -------------------------------- */

/* GDB number of an ABI register name (fp is s0); -1 for anything else. */
static int riscv64_regnum(const char *name)
{
	static const char *const abi[32] = {
	    "zero", "ra", "sp",	 "gp",	"tp", "t0", "t1", "t2",
	    "s0",   "s1", "a0",	 "a1",	"a2", "a3", "a4", "a5",
	    "a6",   "a7", "s2",	 "s3",	"s4", "s5", "s6", "s7",
	    "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
	if (!strcmp(name, "fp"))
		return 8;
	for (int r = 1; r < 32; r++)
		if (!strcmp(name, abi[r]))
			return r;
	return -1; /* zero too: never live */
}

static int riscv64_describe(const char *text, struct be_minfo *mi)
{
	static const char *const stores[] = {"sd", "sw", "sh", "sb", NULL};
	static const char *const branch2[] = {"beq", "bne",  "blt", "bltu",
					      "bge", "bgeu", NULL};
	static const char *const defs[] = {
	    "li",   "lla", "la",   "lui",  "mv",    "neg",  "not",  "seqz",
	    "snez", "slt", "sltu", "slti", "sltiu", "add",  "addi", "sub",
	    "mul",  "div", "rem",  "and",  "andi",  "or",   "ori",  "xor",
	    "xori", "sll", "sra",  "srl",  "slli",  "srai", "srli", "ld",
	    "lw",   "lwu", "lbu",  NULL};
	char m[16], ops[4][48];
	int n, i, d,
	    k = ml_describe_common(text, mi, m, sizeof m, ops, 4, &n, "call",
				   7 /* t2, ABI-3 */,
				   1u << 5 | 1u << 6 /* t0 t1 */);
	if (k)
		return k < 0 ? -1 : 0;
	if (!strcmp(m, "j") && n == 1) {
		mi->flow = BE_F_JUMP;
		snprintf(mi->target, sizeof mi->target, "%s", ops[0]);
		return 0;
	}
	if (((!strcmp(m, "beqz") || !strcmp(m, "bnez")) && n == 2) ||
	    (ml_one_of(m, branch2) && n == 3)) {
		for (i = 0; i + 1 < n; i++)
			mi->use |= ml_regs_in(ops[i], riscv64_regnum);
		mi->flow = BE_F_BRANCH;
		snprintf(mi->target, sizeof mi->target, "%s", ops[n - 1]);
		return 0;
	}
	if (ml_one_of(m, stores) && n == 2) {
		mi->use = ml_regs_in(ops[0], riscv64_regnum) |
			  ml_regs_in(ops[1], riscv64_regnum);
		return 0;
	}
	if (!ml_one_of(m, defs) || n < 2)
		return -1;
	d = riscv64_regnum(ops[0]);
	mi->def = d >= 0 ? 1ull << d : 0;
	if (!strcmp(m, "lla") || !strcmp(m, "la") || !strcmp(m, "li") ||
	    !strcmp(m, "lui") || !strcmp(m, "auipc")) {
		char *end;
		long long v = strtoll(ops[1], &end, 0);
		mi->kind = BE_M_CONST; /* a symbol is no register */
		/* The assembler expands lla, la and a wide li into several
		   machine instructions under this one record, the later ones
		   reading what the earlier wrote: the destination counts as
		   live over all of them (EMIT-5's one over-approximation). */
		if (strcmp(m, "lui") && strcmp(m, "auipc") &&
		    (strcmp(m, "li") || *end || v < -2048 || v > 2047))
			mi->use = mi->def;
		return 0;
	}
	for (i = 1; i < n; i++)
		mi->use |= ml_regs_in(ops[i], riscv64_regnum);
	if (!strcmp(m, "mv"))
		mi->kind = BE_M_COPY, mi->src = riscv64_regnum(ops[1]);
	else if (!strcmp(m, "add") || !strcmp(m, "addi") || !strcmp(m, "sub"))
		mi->kind = BE_M_ADD;
	return 0;
}

static int riscv64_emit(const struct ir_program *prog, FILE *out)
{
	return emit_program(&be_riscv64, prog, out);
}

const struct ir_target ir_target_riscv64 = {
    .name = "riscv64",
    .arch = EP_ARCH_RISCV64,
    .ntemps = 6,
    .nvars = 10,
    .gdbreg = {10, 11, 12, 13, 14, 15, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26},
    .emit = riscv64_emit,
};

#define NGDB 32 /* GDB registers (META-6) */
static const char *const riscv64_gdbname[] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};
_Static_assert(sizeof riscv64_gdbname / sizeof riscv64_gdbname[0] == NGDB,
	       "every GDB register named");

const struct be_arch be_riscv64 = {
    .target = &ir_target_riscv64,
    .regname = {"a0", "a1", "a2", "a3", "a4", "a5", "s1", "s2", "s3", "s4",
		"s5", "s6", "s7", "s8", "s9", "s10"},
    .gdbname = riscv64_gdbname,
    .ngdb = NGDB,
    .preamble = riscv64_preamble,
    .prologue = riscv64_prologue,
    .insn = riscv64_insn,
    .epilogue = riscv64_epilogue,
    .morestack = riscv64_morestack,
    .describe = riscv64_describe,
    .scratch = 1u << 5 | 1u << 6 | 1u << 7, /* t0 t1 t2 */
};
