/*
 * arch/amd64.c -- what the rig knows of amd64 (regs.h): its registers and,
 * for injected calls, its debug-call facts (debugcall.h: RDC). Names as
 * in QEMU 7.2's i386-64bit.xml; CALL pushes the return address, so there
 * is no link register, and ABI-6 needs no resume register.
 */
#include "regs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <everypc/abi.h>
#include <everypc/debugcall.h>

static const char *const gpr[] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};
_Static_assert(sizeof gpr / sizeof gpr[0] == 16, "META-6: rax..r15 = 0..15");

/* gosub ABI-4: temps and variables (runtime/compiler/arch/amd64/back.c) */
static const char *const alloc[] = {
    "rbx", "rsi", "rdi", "r8", "r9", "r10", "r12", "r13", "r15",
};

static const char *const compare[] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8",
    "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rip", "eflags",
};

/* ---- machine-code rules of check-meta (regs.h: insn_rules) ---- */

static enum insn_class classify(const char *t)
{
	if (insn_starts(t, "push %rbp") || insn_starts(t, "mov %rsp,%rbp") ||
	    (insn_starts(t, "sub $") && strstr(t, ",%rsp")))
		return INSN_SETUP;
	if (insn_starts(t, "pop %rbp") || insn_starts(t, "leave") ||
	    (insn_starts(t, "add $") && strstr(t, ",%rsp")))
		return INSN_TEARDOWN;
	if (insn_starts(t, "ret"))
		return INSN_RET;
	if (insn_starts(t, "call"))
		return INSN_CALL;
	if (insn_starts(t, "jmp *"))
		return INSN_IJUMP;
	return INSN_OTHER;
}

/* mov 0xN(%rip),%REG  # ADDR <sym+k> */
static int loads_from(const char *prev, uint64_t prev_pc, const char *t,
		      uint64_t lo, uint64_t hi, char *reg, size_t n)
{
	uint64_t a = insn_comment_addr(t);
	char ops[128];
	const char *comma;

	(void)prev, (void)prev_pc;
	if (!insn_starts(t, "mov ") || a < lo || a >= hi)
		return 0;
	insn_operands(t, ops, sizeof ops);
	comma = strrchr(ops, ',');
	if (!strstr(ops, "(%rip),") || !comma || comma[1] != '%')
		return 0;
	snprintf(reg, n, "%s", comma + 1);
	return 1;
}

/* mov... SRC,[OFF](%REG) */
static int stores_via(const char *t, const char *reg)
{
	return insn_starts(t, "mov") && insn_based_on(t, reg);
}

/* an instruction whose last operand is %REG: mov/lea/add/... into it */
static int writes_last(const char *t, const char *reg)
{
	char ops[128];
	const char *comma;

	if (insn_starts(t, "cmp") || insn_starts(t, "test") ||
	    insn_starts(t, "j") || insn_starts(t, "call"))
		return 0;
	insn_operands(t, ops, sizeof ops);
	comma = strrchr(ops, ',');
	return comma && !strcmp(comma + 1, reg);
}

/* "%eax", "%ax", "%al", "%r9d", ... -> "%rax", "%r9" (in buf for r8..r15);
   NULL when not a general register. *full: the name is the whole
   register. */
static const char *canonical(const char *r, char buf[8], int *full)
{
	static const char *const part[][4] = {
	    {"%rax", "%eax", "%ax", "%al"},  {"%rbx", "%ebx", "%bx", "%bl"},
	    {"%rcx", "%ecx", "%cx", "%cl"},  {"%rdx", "%edx", "%dx", "%dl"},
	    {"%rsi", "%esi", "%si", "%sil"}, {"%rdi", "%edi", "%di", "%dil"},
	    {"%rbp", "%ebp", "%bp", "%bpl"}, {"%rsp", "%esp", "%sp", "%spl"},
	    {"%rax", "%ah", "%ah", "%ah"},   {"%rbx", "%bh", "%bh", "%bh"},
	    {"%rcx", "%ch", "%ch", "%ch"},   {"%rdx", "%dh", "%dh", "%dh"},
	};
	size_t i, k;
	char *end;
	long n;

	for (i = 0; i < sizeof part / sizeof part[0]; i++)
		for (k = 0; k < 4; k++)
			if (!strcmp(r, part[i][k])) {
				*full = k == 0;
				return part[i][0];
			}
	if (strncmp(r, "%r", 2) || (n = strtol(r + 2, &end, 10)) < 8 ||
	    n > 15 || end == r + 2)
		return NULL;
	*full = !*end;
	if (*end && strcmp(end, "d") && strcmp(end, "w") && strcmp(end, "b"))
		return NULL;
	snprintf(buf, 8, "%%r%ld", n);
	return buf;
}

/* "OFF(%BASE)" or "(%BASE)", no index: the base into base, OFF into off. */
static int mem_base(const char *op, char *base, size_t n, long long *off)
{
	const char *lp = strchr(op, '('), *rp = lp ? strchr(lp, ')') : NULL;
	char *end;

	if (!lp || !rp || rp[1] || memchr(lp, ',', (size_t)(rp - lp)) ||
	    (size_t)(rp - lp - 1) >= n)
		return 0;
	*off = lp == op ? 0 : strtoll(op, &end, 0);
	if (lp != op && end != lp)
		return 0;
	memcpy(base, lp + 1, (size_t)(rp - lp - 1));
	base[rp - lp - 1] = 0;
	return 1;
}

/* 1 when r (any width) is part of reg. */
static int is_reg(const char *r, const char *reg, int *full)
{
	char buf[8];
	const char *c = canonical(r, buf, full);
	return c && !strcmp(c, reg);
}

/* text past its lock and rep (repz, repnz) prefixes: the mnemonic. */
static const char *past_prefixes(const char *t)
{
	while (insn_starts(t, "lock ") || insn_starts(t, "rep ") ||
	       insn_starts(t, "repz ") || insn_starts(t, "repnz ") ||
	       insn_starts(t, "repe ") || insn_starts(t, "repne ")) {
		while (*t && *t != ' ' && *t != '\t')
			t++;
		while (*t == ' ' || *t == '\t')
			t++;
	}
	return t;
}

/* Registers an instruction writes without naming them as its last
   operand: sign extensions, one-operand multiply and divide, cmpxchg's
   accumulator, leave, the string instructions (after any rep prefix),
   syscall, rdtsc, cpuid. 1 when text is one of them and writes reg. */
static int writes_implicitly(const char *t, const char *reg)
{
	static const struct {
		const char *m;
		const char *regs[4];
		int string; /* a string op: objdump shows %es:(%rdi) or
			       %ds:(%rsi) (movslq is no movs) */
	} w[] = {
	    {"cqto", {"%rdx"}, 0},
	    {"cltd", {"%rdx"}, 0},
	    {"cwtd", {"%rdx"}, 0},
	    {"cltq", {"%rax"}, 0},
	    {"cwtl", {"%rax"}, 0},
	    {"cbtw", {"%rax"}, 0},
	    {"cmpxchg", {"%rax"}, 0},
	    {"cmpxchg8b", {"%rdx"}, 0},
	    {"cmpxchg16b", {"%rdx"}, 0},
	    {"leave", {"%rbp", "%rsp"}, 0},
	    {"movs", {"%rdi", "%rsi", "%rcx"}, 1},
	    {"cmps", {"%rdi", "%rsi", "%rcx"}, 1},
	    {"stos", {"%rdi", "%rcx"}, 1},
	    {"scas", {"%rdi", "%rcx"}, 1},
	    {"lods", {"%rsi", "%rcx", "%rax"}, 1},
	    {"syscall", {"%rax", "%rcx", "%r11"}, 0},
	    {"rdtsc", {"%rax", "%rdx"}, 0},
	    {"rdtscp", {"%rcx"}, 0},
	    {"cpuid", {"%rax", "%rbx", "%rcx", "%rdx"}, 0},
	};
	size_t i, j;
	char ops[128], *op[8];

	t = past_prefixes(t);
	if ((insn_starts(t, "div") || insn_starts(t, "idiv") ||
	     insn_starts(t, "mul") || insn_starts(t, "imul")) &&
	    insn_split((char *)insn_operands(t, ops, sizeof ops), op, 8,
		       "()") == 1) /* one operand: rdx:rax */
		return !strcmp(reg, "%rax") || !strcmp(reg, "%rdx");
	for (i = 0; i < sizeof w / sizeof w[0]; i++)
		if (insn_starts(t, w[i].m) &&
		    (!w[i].string || strstr(t, "%es:(") || strstr(t, "%ds:(")))
			for (j = 0; j < 4 && w[i].regs[j]; j++)
				if (!strcmp(w[i].regs[j], reg))
					return 1;
	return 0;
}

static enum insn_def defines(const char *t, const char *reg,
			     struct insn_def_of *d)
{
	char ops[128], *op[8];
	int n, full, full2;

	if (writes_implicitly(t, reg))
		return DEF_OTHER;
	t = past_prefixes(t);
	if ((insn_starts(t, "cmp") && !insn_starts(t, "cmpxchg")) ||
	    insn_starts(t, "test") || insn_starts(t, "j") ||
	    insn_starts(t, "push") || insn_starts(t, "nop") ||
	    insn_starts(t, "call") || insn_starts(t, "ret") ||
	    insn_starts(t, "cs "))
		return DEF_NONE;
	if (insn_starts(t, "cqto") || insn_starts(t, "cltd") ||
	    insn_starts(t, "cwtd") || insn_starts(t, "cltq") ||
	    insn_starts(t, "cwtl") || insn_starts(t, "cbtw") ||
	    insn_starts(t, "leave") || insn_starts(t, "syscall") ||
	    insn_starts(t, "rdtsc") || insn_starts(t, "cpuid") ||
	    ((insn_starts(t, "div") || insn_starts(t, "idiv") ||
	      insn_starts(t, "mul") || insn_starts(t, "imul")) &&
	     insn_split((char *)insn_operands(t, ops, sizeof ops), op, 8,
			"()") == 1))
		return DEF_NONE; /* their registers: writes_implicitly */
	insn_operands(t, ops, sizeof ops);
	if ((n = insn_split(ops, op, 8, "()")) == 0)
		return DEF_NONE;
	if (n < 0) /* more operands than any instruction here: unknown */
		return DEF_OTHER;
	if ((insn_starts(t, "xchg") || insn_starts(t, "xadd")) && n == 2 &&
	    is_reg(op[0], reg, &full))
		return DEF_OTHER; /* both operands written */
	if (!is_reg(op[n - 1], reg, &full))
		return DEF_NONE;
	if (!full || n != 2)
		return DEF_OTHER;
	if (insn_starts(t, "lea ") &&
	    mem_base(op[0], d->base, sizeof d->base, &d->off) &&
	    strcmp(d->base, "%rip"))
		return DEF_ADDR;
	if (!insn_starts(t, "mov ") && !insn_starts(t, "movq "))
		return DEF_OTHER;
	if (is_reg(op[0], op[0], &full2) && full2) {
		snprintf(d->base, sizeof d->base, "%s", op[0]);
		d->off = 0;
		return DEF_ADDR;
	}
	if (mem_base(op[0], d->base, sizeof d->base, &d->off) &&
	    strcmp(d->base, "%rip"))
		return DEF_LOAD;
	return DEF_OTHER;
}

/* text writes reg (other than by the allocator's load): named last, or
   as defines (CM-4) sees it, implicit writes included */
static int writes(const char *t, const char *reg)
{
	struct insn_def_of d;
	return writes_last(t, reg) || defines(t, reg, &d) != DEF_NONE;
}

/* ...,OFF(%rsp): a write of the frame unless it only reads (cmp, test) */
static int frame_store(const char *t, long long *off, int *nwords, char *src,
		       size_t n)
{
	char ops[128], *op[8], base[16];
	int k, full;

	if (insn_starts(t, "cmp") || insn_starts(t, "test") ||
	    insn_starts(t, "nop") || insn_starts(t, "j") ||
	    insn_starts(t, "call") || insn_starts(t, "push"))
		return 0;
	insn_operands(t, ops, sizeof ops);
	if ((k = insn_split(ops, op, 8, "()")) <= 0 ||
	    !mem_base(op[k - 1], base, sizeof base, off) ||
	    strcmp(base, "%rsp"))
		return 0;
	*nwords = 1;
	src[0] = 0;
	if (k == 2 && (insn_starts(t, "mov ") || insn_starts(t, "movq ")) &&
	    is_reg(op[0], op[0], &full) && full)
		snprintf(src, n, "%s", op[0]);
	return 1;
}

const struct rig_regs rig_regs_amd64 = {
    .arch = "amd64",
    .ep_arch = EP_ARCH_AMD64,
    .qemu = "qemu-x86_64",
    .tdesc_arch = "i386:x86-64",
    .pc = "rip",
    .sp = "rsp",
    .fp = "rbp",
    .lr = NULL,
    .g = "r14",
    .resume = NULL,
    .cargs = {"rdi", "rsi", "rdx"},
    .break_kind = 1,
    .ra_from_top = 0,
    .ra_push = 8,
    .ngpr = sizeof gpr / sizeof gpr[0],
    .gpr = gpr,
    .nalloc = sizeof alloc / sizeof alloc[0],
    .alloc = alloc,
    .ncompare = sizeof compare / sizeof compare[0],
    .compare = compare,
    /* debugCallV2 (everypc/debugcall.h): GDB numbers of PC, SP and the
       link register, the status register, the trap that reports */
    .dc = {.name = "amd64",
	   .pc = 16,
	   .sp = 7,
	   .lr = -1,
	   .status = EP_DC_STATUS_REG_AMD64,
	   .trap = EP_DC_TRAP_AMD64,
	   .trap_len = 1,
	   .stop_after = 1,
	   .advance = 0},
    .insn = {classify, loads_from, stores_via, writes, defines, frame_store,
	     "%rsp", "%rax"},
};
