/*
 * arch/amd64/back.c -- gosub back end for x86-64 (AT&T syntax): the expansion
 * of every IR op, the prologue/epilogue/morestack block of abi.h ABI-2/ABI-3,
 * and the target table.
 *
 * Registers (ABI-4): temps rbx rsi rdi r8, vars r9 r10 r12 r13 r15; private
 * scratch rax rcx rdx r11; reserved rsp, rbp (frame pointer), r14 (g).
 * IR-1: dst is written by the last instruction of an expansion whenever dst
 * is also a source; otherwise dst may serve as scratch. Frame (ABI-2):
 * [SP+F] return address, [SP+F-8] saved RBP, parameter i at SP+F+8+8i.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "everypc/abi.h"
#include "mlive.h"

#define R(r) (be_amd64.regname[(r)])

static int fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

static long param_off(const struct ir_func *f, int64_t i)
{
	return be_frame_size(f) + 8 + 8 * i;
}

/* dst = constant v (one instruction). */
static void load_const(struct emit *e, const char *dst, int64_t v)
{
	if (fits32(v))
		be_ins(e, "movq $%lld, %s", (long long)v, dst);
	else
		be_ins(e, "movabsq $%lld, %s", (long long)v, dst);
}

/* The b operand as an assembler operand: a register, "$imm", or %r11
   loaded with a large immediate. */
static const char *operand_b(struct emit *e, const struct ir_insn *in,
			     char *buf, size_t n)
{
	if (!in->bimm)
		return R(in->b);
	if (fits32(in->imm)) {
		snprintf(buf, n, "$%lld", (long long)in->imm);
		return buf;
	}
	load_const(e, "%r11", in->imm);
	return "%r11";
}

/* dst = a OP b for two-operand ALU instructions. */
static void alu(struct emit *e, const struct ir_insn *in, const char *op)
{
	char buf[32];
	const char *b = operand_b(e, in, buf, sizeof buf);
	if (in->dst == in->a) {
		be_ins(e, "%s %s, %s", op, b, R(in->dst));
	} else if (!in->bimm && in->dst == in->b) {
		be_ins(e, "movq %s, %%rax", R(in->a));
		be_ins(e, "%s %s, %%rax", op, b);
		be_ins(e, "movq %%rax, %s", R(in->dst));
	} else {
		be_ins(e, "movq %s, %s", R(in->a), R(in->dst));
		be_ins(e, "%s %s, %s", op, b, R(in->dst));
	}
}

static void andnot(struct emit *e, const struct ir_insn *in)
{
	if (in->bimm) {
		struct ir_insn inv = *in;
		inv.imm = ~in->imm;
		alu(e, &inv, "andq");
		return;
	}
	be_ins(e, "movq %s, %%rax", R(in->b));
	be_ins(e, "notq %%rax");
	be_ins(e, "andq %s, %%rax", R(in->a));
	be_ins(e, "movq %%rax, %s", R(in->dst));
}

/* Go division: MinInt64 / -1 = MinInt64 and % = 0, where idiv traps. */
static void divmod(struct emit *e, const struct ir_insn *in, int mod)
{
	be_ins(e, "movq %s, %%rax", R(in->a));
	if (in->bimm)
		load_const(e, "%rcx", in->imm);
	else
		be_ins(e, "movq %s, %%rcx", R(in->b));
	be_ins(e, "cmpq $-1, %%rcx");
	be_ins(e, "je 1f");
	be_ins(e, "cqto");
	be_ins(e, "idivq %%rcx");
	be_ins(e, "jmp 2f");
	be_raw(e, "1:");
	if (mod)
		be_ins(e, "xorl %%edx, %%edx");
	else
		be_ins(e, "negq %%rax");
	be_raw(e, "2:");
	be_ins(e, "movq %s, %s", mod ? "%rdx" : "%rax", R(in->dst));
}

static void shift_imm(struct emit *e, const struct ir_insn *in, int left)
{
	int64_t n = in->imm;
	if (left && (uint64_t)n >= 64) {
		be_ins(e, "movq $0, %s", R(in->dst));
		return;
	}
	if ((uint64_t)n > 63)
		n = 63;
	if (in->dst != in->a)
		be_ins(e, "movq %s, %s", R(in->a), R(in->dst));
	be_ins(e, "%s $%lld, %s", left ? "shlq" : "sarq", (long long)n,
	       R(in->dst));
}

/* Counts >= 64 give 0 (SHL) or the sign fill (SHR); shl/sar mask to 6. */
static void shift(struct emit *e, const struct ir_insn *in, int left)
{
	if (in->bimm) {
		shift_imm(e, in, left);
		return;
	}
	be_ins(e, "movq %s, %%rcx", R(in->b));
	if (left) {
		be_ins(e, "movq %s, %%rax", R(in->a));
		be_ins(e, "shlq %%cl, %%rax");
		be_ins(e, "xorl %%edx, %%edx");
		be_ins(e, "cmpq $64, %%rcx");
		be_ins(e, "cmovaeq %%rdx, %%rax");
	} else {
		be_ins(e, "movl $63, %%edx");
		be_ins(e, "cmpq %%rdx, %%rcx");
		be_ins(e, "cmovaq %%rdx, %%rcx");
		be_ins(e, "movq %s, %%rax", R(in->a));
		be_ins(e, "sarq %%cl, %%rax");
	}
	be_ins(e, "movq %%rax, %s", R(in->dst));
}

static void compare(struct emit *e, const struct ir_insn *in, const char *cc)
{
	char buf[32];
	const char *b = operand_b(e, in, buf, sizeof buf);
	be_ins(e, "xorl %%eax, %%eax");
	be_ins(e, "cmpq %s, %s", b, R(in->a));
	be_ins(e, "set%s %%al", cc);
	be_ins(e, "movq %%rax, %s", R(in->dst));
}

static void unary(struct emit *e, const struct ir_insn *in, const char *op)
{
	if (in->dst != in->a)
		be_ins(e, "movq %s, %s", R(in->a), R(in->dst));
	be_ins(e, "%s", op);
}

static void mem(struct emit *e, const struct ir_insn *in, int store)
{
	char addr[48];
	if (fits32(in->imm)) {
		snprintf(addr, sizeof addr, "%lld(%s)", (long long)in->imm,
			 R(in->a));
	} else {
		load_const(e, "%rax", in->imm);
		snprintf(addr, sizeof addr, "(%s,%%rax)", R(in->a));
	}
	if (store)
		be_ins(e, "movq %s, %s", R(in->b), addr);
	else
		be_ins(e, "movq %s, %s", addr, R(in->dst));
}

/* IR-7, ABI-8: a pointer store behind the write barrier. The flag test
   opens the write-barrier range, the store closes it; rax = the slot,
   rcx = the new value for runtime.gcWriteBarrier. */
static void wbstore(struct emit *e, const struct ir_insn *in)
{
	be_ins(e, "movl runtime.writeBarrier(%%rip), %%eax");
	be_ins(e, "testl %%eax, %%eax");
	be_ins(e, "je 1f");
	if (fits32(in->imm)) {
		be_ins(e, "leaq %lld(%s), %%rax", (long long)in->imm, R(in->a));
	} else {
		load_const(e, "%rax", in->imm);
		be_ins(e, "addq %s, %%rax", R(in->a));
	}
	be_ins(e, "movq %s, %%rcx", R(in->b));
	be_ins(e, "call runtime.gcWriteBarrier");
	be_raw(e, "1:");
	mem(e, in, 1);
}

/* Zero n words at disp(base); a loop when long. Uses rax, rcx. */
static void zero_words(struct emit *e, const char *base, long disp, long n)
{
	if (n <= 8) {
		for (long i = 0; i < n; i++)
			be_ins(e, "movq $0, %ld(%s)", disp + 8 * i, base);
		return;
	}
	be_ins(e, "leaq %ld(%s), %%rax", disp, base);
	be_ins(e, "movl $%ld, %%ecx", n);
	be_raw(e, "1:");
	be_ins(e, "movq $0, (%%rax)");
	be_ins(e, "addq $8, %%rax");
	be_ins(e, "subq $1, %%rcx");
	be_ins(e, "jnz 1b");
}

/* The inline allocation fast path of abi.h (GC-atomic). */
static void alloc(struct emit *e, const struct ir_insn *in)
{
	long cs = be_class_size((int)in->imm2), c8 = 8 * in->imm2;
	be_ins(e, "movq runtime.alloc_next+%ld(%%rip), %%rax", c8);
	be_ins(e, "leaq %ld(%%rax), %%rcx", cs);
	be_ins(e, "cmpq runtime.alloc_limit+%ld(%%rip), %%rcx", c8);
	be_ins(e, "ja %s", be_label(e, in->label));
	be_ins(e, "movq %%rcx, runtime.alloc_next+%ld(%%rip)", c8);
	load_const(e, "%rdx",
		   (int64_t)EP_OBJ_HEADER(in->imm, EP_OBJ_ALLOCATED));
	be_ins(e, "movq %%rdx, (%%rax)");
	if (cs / 8 - 1 <= 8) {
		for (long i = 1; i < cs / 8; i++)
			be_ins(e, "movq $0, %ld(%%rax)", 8 * i);
	} else {
		be_ins(e, "leaq 8(%%rax), %%rdx");
		be_raw(e, "1:");
		be_ins(e, "movq $0, (%%rdx)");
		be_ins(e, "addq $8, %%rdx");
		be_ins(e, "cmpq %%rcx, %%rdx");
		be_ins(e, "jb 1b");
	}
	be_ins(e, "leaq 8(%%rax), %s", R(in->dst));
}

static void addrsym(struct emit *e, const struct ir_insn *in)
{
	if (fits32(in->imm)) {
		be_ins(e, "leaq %s%+lld(%%rip), %s", in->sym,
		       (long long)in->imm, R(in->dst));
		return;
	}
	be_ins(e, "leaq %s(%%rip), %s", in->sym, R(in->dst));
	load_const(e, "%rax", in->imm);
	be_ins(e, "addq %%rax, %s", R(in->dst));
}

static void branch(struct emit *e, const struct ir_insn *in, const char *cc)
{
	be_ins(e, "testq %s, %s", R(in->a), R(in->a));
	be_ins(e, "j%s %s", cc, be_label(e, (int)in->imm));
}

static const char *const cmpcc[] = {
    [IR_CMPEQ - IR_CMPEQ] = "e",  [IR_CMPNE - IR_CMPEQ] = "ne",
    [IR_CMPLT - IR_CMPEQ] = "l",  [IR_CMPLE - IR_CMPEQ] = "le",
    [IR_CMPGT - IR_CMPEQ] = "g",  [IR_CMPGE - IR_CMPEQ] = "ge",
    [IR_CMPULT - IR_CMPEQ] = "b",
};
_Static_assert(sizeof cmpcc / sizeof cmpcc[0] == IR_NUM_CMP,
	       "a condition for every comparison");

static void frame_op(struct emit *e, const struct ir_func *f,
		     const struct ir_insn *in)
{
	switch (in->op) {
	case IR_ADDRFRAME:
		be_ins(e, "leaq %lld(%%rsp), %s", 8 * (long long)in->imm,
		       R(in->dst));
		break;
	case IR_LDFRAME:
		be_ins(e, "movq %lld(%%rsp), %s", 8 * (long long)in->imm,
		       R(in->dst));
		break;
	case IR_STFRAME:
		be_ins(e, "movq %s, %lld(%%rsp)", R(in->a),
		       8 * (long long)in->imm);
		break;
	case IR_LDPARAM:
		be_ins(e, "movq %ld(%%rsp), %s", param_off(f, in->imm),
		       R(in->dst));
		break;
	case IR_STPARAM:
		be_ins(e, "movq %s, %ld(%%rsp)", R(in->a),
		       param_off(f, in->imm));
		break;
	case IR_ZERO:
		zero_words(e, "%rsp", 8 * (long)in->imm, (long)in->imm2);
		break;
	}
}

/* The arithmetic group: IR_ADD..IR_SHR but the comparisons, IR_NEG,
   IR_NOT, IR_COM; 0 for any other op. */
static int arith(struct emit *e, const struct ir_insn *in)
{
	char buf[48];
	switch (in->op) {
	case IR_ADD:
		alu(e, in, "addq");
		return 1;
	case IR_SUB:
		alu(e, in, "subq");
		return 1;
	case IR_MUL:
		alu(e, in, "imulq");
		return 1;
	case IR_AND:
		alu(e, in, "andq");
		return 1;
	case IR_OR:
		alu(e, in, "orq");
		return 1;
	case IR_XOR:
		alu(e, in, "xorq");
		return 1;
	case IR_ANDNOT:
		andnot(e, in);
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
	case IR_NOT:
	case IR_COM:
		snprintf(buf, sizeof buf, "%s %s",
			 in->op == IR_NEG   ? "negq"
			 : in->op == IR_COM ? "notq"
					    : "xorq $1,",
			 R(in->dst));
		unary(e, in, buf);
		return 1;
	}
	return 0;
}

static void amd64_insn(struct emit *e, const struct ir_func *f,
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
			be_ins(e, "movq %s, %s", R(in->a), R(in->dst));
		break;
	case IR_ADDRSYM:
		addrsym(e, in);
		break;
	case IR_LOAD:
		mem(e, in, 0);
		break;
	case IR_STORE:
		if (in->wb)
			wbstore(e, in);
		else
			mem(e, in, 1);
		break;
	case IR_JMP:
		be_ins(e, "jmp %s", be_label(e, (int)in->imm));
		break;
	case IR_BRZ:
	case IR_BRNZ:
		branch(e, in, in->op == IR_BRZ ? "z" : "nz");
		break;
	case IR_CALL:
		be_ins(e, "call %s", in->sym); /* last: EMIT-2 */
		break;
	case IR_ALLOC:
		alloc(e, in);
		break;
	default:
		if (in->op >= IR_CMPEQ && in->op <= IR_CMPULT)
			compare(e, in, cmpcc[in->op - IR_CMPEQ]);
		else if (!arith(e, in))
			frame_op(e, f, in);
	}
}

/* ABI-3: check SP - F against g->stackguard, then build the frame. */
static void amd64_prologue(struct emit *e, const struct ir_func *f,
			   const char *morestack)
{
	long F = be_frame_size(f);
	be_ins(e, "leaq -%ld(%%rsp), %%rax", F);
	be_ins(e, "cmpq %d(%%r14), %%rax", EP_G_STACKGUARD);
	be_ins(e, "jb %s", morestack);
	be_ins(e, "pushq %%rbp");
	be_ins(e, "movq %%rsp, %%rbp");
	be_ins(e, "subq $%ld, %%rsp", F - 8);
}

static void amd64_epilogue(struct emit *e, const struct ir_func *f)
{
	be_ins(e, "addq $%ld, %%rsp", be_frame_size(f) - 8);
	be_ins(e, "popq %%rbp");
	be_ins(e, "ret");
}

/* runtime.morestack finds the function's return address at [SP+8]. */
static void amd64_morestack(struct emit *e, const struct ir_func *f,
			    const char *entry)
{
	(void)f;
	be_ins(e, "call runtime.morestack");
	be_ins(e, "jmp %s", entry);
}

/* ---- describing an instruction (EMIT-5) -------------------------------- */

/* GDB number of a register name with or without %, any width; or -1. */
static int amd64_regnum(const char *name)
{
	static const char *const n64[] = {"rax", "rbx", "rcx", "rdx",
					  "rsi", "rdi", "rbp", "rsp"};
	static const char *const n32[] = {"eax", "ebx", "ecx", "edx",
					  "esi", "edi", "ebp", "esp"};
	static const char *const n8[] = {"al", "bl", "cl", "dl"};
	char b[8];
	int r;
	if (*name == '%')
		name++;
	for (r = 0; r < 8; r++)
		if (!strcmp(name, n64[r]) || !strcmp(name, n32[r]) ||
		    (r < 4 && !strcmp(name, n8[r])))
			return r;
	for (r = 8; r < 16; r++) {
		snprintf(b, sizeof b, "r%d", r);
		if (!strncmp(name, b, strlen(b)) &&
		    (!name[strlen(b)] || !strcmp(name + strlen(b), "d")))
			return r;
	}
	return -1;
}

static int is_reg(const char *op) { return op[0] == '%'; }

static int has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* Two-operand forms "op src, dst" (AT&T). */
static int describe2(const char *m, char ops[][48], struct be_minfo *mi)
{
	uint64_t src = ml_regs_in(ops[0], amd64_regnum);
	uint64_t dstregs = ml_regs_in(ops[1], amd64_regnum);
	int dreg = is_reg(ops[1]) ? amd64_regnum(ops[1]) : -1;
	if (has_prefix(m, "cmp") || has_prefix(m, "test")) {
		mi->use = src | dstregs;
		return 0;
	}
	if (dreg < 0) { /* a store: every register is read */
		mi->use = src | dstregs;
		return has_prefix(m, "mov") ? 0 : -1;
	}
	mi->def = 1ull << dreg;
	if (has_prefix(m, "mov") || has_prefix(m, "lea")) {
		mi->use = src;
		if (ops[0][0] == '$')
			mi->kind = BE_M_CONST;
		else if (is_reg(ops[0]))
			mi->kind = BE_M_COPY, mi->src = amd64_regnum(ops[0]);
		else if (has_prefix(m, "lea"))
			mi->kind =
			    strstr(ops[0], "(%rip)") ? BE_M_CONST : BE_M_ADD;
		return 0;
	}
	if (!strcmp(m, "xorl") && is_reg(ops[0]) &&
	    amd64_regnum(ops[0]) == dreg) {
		mi->kind = BE_M_CONST; /* the zero idiom */
		return 0;
	}
	static const char *const alu[] = {"addq", "subq", "imulq", "andq",
					  "orq",  "xorq", "shlq",  "sarq"};
	if (has_prefix(m, "cmov")) {
		mi->use = src | mi->def;
		return 0;
	}
	for (size_t i = 0; i < sizeof alu / sizeof alu[0]; i++)
		if (!strcmp(m, alu[i])) {
			mi->use = src | mi->def;
			if (i < 2)
				mi->kind = BE_M_ADD;
			return 0;
		}
	return -1;
}

static int amd64_describe(const char *text, struct be_minfo *mi)
{
	char m[16], ops[3][48];
	int n, k = ml_describe_common(text, mi, m, sizeof m, ops, 3, &n, "call",
				      -1, 1u << 0 | 1u << 2 /* rax rcx */);
	if (k)
		return k < 0 ? -1 : 0;
	if (!strcmp(m, "cqto") && n == 0) {
		mi->use = 1u << 0, mi->def = 1u << 3;
		return 0;
	}
	if (n == 1 && m[0] == 'j') {
		mi->flow = !strcmp(m, "jmp") ? BE_F_JUMP : BE_F_BRANCH;
		snprintf(mi->target, sizeof mi->target, "%s", ops[0]);
		return 0;
	}
	if (n == 1 && (!strcmp(m, "pushq") || !strcmp(m, "popq"))) {
		int r = amd64_regnum(ops[0]);
		if (r < 0)
			return -1;
		if (m[1] == 'u')
			mi->use = 1ull << r;
		else
			mi->def = 1ull << r;
		return 0;
	}
	if (n == 1 && !strcmp(m, "idivq")) {
		mi->use = ml_regs_in(ops[0], amd64_regnum) | 1u << 0 | 1u << 3;
		mi->def = 1u << 0 | 1u << 3;
		return 0;
	}
	if (n == 1 && (has_prefix(m, "set") || !strcmp(m, "negq") ||
		       !strcmp(m, "notq"))) {
		int r = amd64_regnum(ops[0]);
		if (r < 0)
			return -1;
		mi->use = mi->def = 1ull << r; /* set: only the low byte */
		return 0;
	}
	if (n == 2)
		return describe2(m, ops, mi);
	return -1;
}

static int amd64_emit(const struct ir_program *prog, FILE *out)
{
	return emit_program(&be_amd64, prog, out);
}

const struct ir_target ir_target_amd64 = {
    .name = "amd64",
    .arch = EP_ARCH_AMD64,
    .ntemps = 4,
    .nvars = 5,
    /* rbx rsi rdi r8 | r9 r10 r12 r13 r15 in GDB numbering */
    .gdbreg = {1, 4, 5, 8, 9, 10, 12, 13, 15},
    .emit = amd64_emit,
};

#define NGDB 16 /* GDB registers (META-6) */
static const char *const amd64_gdbname[] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};
_Static_assert(sizeof amd64_gdbname / sizeof amd64_gdbname[0] == NGDB,
	       "every GDB register named");

const struct be_arch be_amd64 = {
    .target = &ir_target_amd64,
    .regname = {"%rbx", "%rsi", "%rdi", "%r8", "%r9", "%r10", "%r12", "%r13",
		"%r15"},
    .gdbname = amd64_gdbname,
    .ngdb = NGDB,
    .prologue = amd64_prologue,
    .insn = amd64_insn,
    .epilogue = amd64_epilogue,
    .morestack = amd64_morestack,
    .describe = amd64_describe,
    .scratch = 1u << 0 | 1u << 2 | 1u << 3 | 1u << 11, /* rax rcx rdx r11 */
};
