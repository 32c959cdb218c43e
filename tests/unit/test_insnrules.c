/* test_insnrules.c -- check-meta's per-arch machine-code rules (regs.h:
   insn_rules) on objdump's renderings, as the rig sees them (binutils
   2.40, the notation of target.c's TGT-1), for each arch. */
/* cmocka needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "regs.h"

/* What text does to reg: kind, and base and offset when it has them. */
static void want_def(const struct rig_regs *rr, const char *text,
		     const char *reg, enum insn_def kind, const char *base,
		     long long off)
{
	struct insn_def_of d;
	enum insn_def got;

	memset(&d, 0, sizeof d);
	got = rr->insn.defines(text, reg, &d);
	if (got != kind)
		fail_msg("%s: `%s` for %s: kind %d, want %d", rr->arch, text,
			 reg, got, kind);
	if (base && (strcmp(d.base, base) || d.off != off))
		fail_msg("%s: `%s` for %s: base %s%+lld, want %s%+lld",
			 rr->arch, text, reg, d.base, d.off, base, off);
}

/* Whether text writes reg (the end of CM-1's gc-atomic window). */
static void want_writes(const struct rig_regs *rr, const char *text,
			const char *reg, int yes)
{
	if (!rr->insn.writes(text, reg) != !yes)
		fail_msg("%s: `%s` for %s: writes %d, want %d", rr->arch, text,
			 reg, !yes, yes);
}

/* text writes the frame at sp + off, nwords words, storing src. */
static void want_store(const struct rig_regs *rr, const char *text, int yes,
		       long long off, int nwords, const char *src)
{
	long long o = -1;
	int nw = 0;
	char s[16] = "?";

	if (rr->insn.frame_store(text, &o, &nw, s, sizeof s) != yes)
		fail_msg("%s: `%s`: frame store %d, want %d", rr->arch, text,
			 !yes, yes);
	if (yes && (o != off || nw != nwords || strcmp(s, src)))
		fail_msg("%s: `%s`: sp%+lld x%d from '%s', want sp%+lld x%d "
			 "from '%s'",
			 rr->arch, text, o, nw, s, off, nwords, src);
}

static void test_amd64(void **state)
{
	const struct rig_regs *rr = &rig_regs_amd64;
	(void)state;
	assert_string_equal(rr->insn.sp, "%rsp");
	assert_string_equal(rr->insn.wb_slot, "%rax");
	want_def(rr, "lea    (%rbx),%rax", "%rax", DEF_ADDR, "%rbx", 0);
	want_def(rr, "lea    0x10(%rsp),%rbx", "%rbx", DEF_ADDR, "%rsp", 16);
	want_def(rr, "mov    %rbx,%r10", "%r10", DEF_ADDR, "%rbx", 0);
	want_def(rr, "mov    0x20(%rsp),%rbx", "%rbx", DEF_LOAD, "%rsp", 32);
	want_def(rr, "mov    (%rsp),%rbx", "%rbx", DEF_LOAD, "%rsp", 0);
	/* a part of the register, rip-relative, indexed, implicit */
	want_def(rr,
		 "mov    0x7b1e(%rip),%eax        # 40a0c0 "
		 "<runtime.writeBarrier>",
		 "%rax", DEF_OTHER, NULL, 0);
	want_def(rr, "lea    0x7b1e(%rip),%rbx        # 40a0c0 <main.g>",
		 "%rbx", DEF_OTHER, NULL, 0);
	want_def(rr, "lea    (%rbx,%rcx,8),%rax", "%rax", DEF_OTHER, NULL, 0);
	want_def(rr, "setl   %al", "%rax", DEF_OTHER, NULL, 0);
	want_def(rr, "mov    %r9d,%r9d", "%r9", DEF_OTHER, NULL, 0);
	want_def(rr, "cqto", "%rdx", DEF_OTHER, NULL, 0);
	want_def(rr, "idiv   %rbx", "%rax", DEF_OTHER, NULL, 0);
	want_def(rr, "idiv   %rbx", "%rbx", DEF_NONE, NULL, 0);
	want_def(rr, "xchg   %rbx,%rcx", "%rbx", DEF_OTHER, NULL, 0);
	/* registers written without being named last */
	want_def(rr, "cqto", "%rax", DEF_NONE, NULL, 0);
	want_def(rr, "cltd", "%rdx", DEF_OTHER, NULL, 0);
	want_def(rr, "cwtl", "%rax", DEF_OTHER, NULL, 0);
	want_def(rr, "cmpxchg %rcx,(%rdx)", "%rax", DEF_OTHER, NULL, 0);
	want_def(rr, "cmpxchg %rcx,(%rdx)", "%rcx", DEF_NONE, NULL, 0);
	want_def(rr, "lock cmpxchg %rcx,%rbx", "%rbx", DEF_OTHER, NULL, 0);
	want_def(rr, "xadd   %rax,(%rbx)", "%rax", DEF_OTHER, NULL, 0);
	want_def(rr, "leave", "%rbp", DEF_OTHER, NULL, 0);
	want_def(rr, "rep stos %rax,%es:(%rdi)", "%rdi", DEF_OTHER, NULL, 0);
	want_def(rr, "rep stos %rax,%es:(%rdi)", "%rcx", DEF_OTHER, NULL, 0);
	want_def(rr, "rep stos %rax,%es:(%rdi)", "%rax", DEF_NONE, NULL, 0);
	want_def(rr, "movsq  %ds:(%rsi),%es:(%rdi)", "%rsi", DEF_OTHER, NULL,
		 0);
	want_def(rr, "movslq %eax,%rdx", "%rdi", DEF_NONE, NULL, 0);
	want_def(rr, "movslq %eax,%rdx", "%rdx", DEF_OTHER, NULL, 0);
	want_def(rr, "lock cmpxchg %rcx,(%rdi)", "%rax", DEF_OTHER, NULL, 0);
	want_def(rr, "lock xadd %rax,(%rdi)", "%rax", DEF_OTHER, NULL, 0);
	want_def(rr, "idivq  0x8(%rsp,%rcx,8)", "%rax", DEF_OTHER, NULL, 0);
	want_def(rr, "idivq  0x8(%rsp,%rcx,8)", "%rcx", DEF_NONE, NULL, 0);
	want_def(rr, "cmpxchg16b (%rdi)", "%rdx", DEF_OTHER, NULL, 0);
	want_def(rr, "rdtscp", "%rcx", DEF_OTHER, NULL, 0);
	want_writes(rr, "cltq", "%rax", 1);
	want_writes(rr, "mov    %rbx,%rax", "%rax", 1);
	want_writes(rr, "mov    %rax,0x8(%rbx)", "%rax", 0);
	want_def(rr, "mov    $0x5,%rbx", "%rbx", DEF_OTHER, NULL, 0);
	/* reads and stores define nothing */
	want_def(rr, "mov    %rbx,0x20(%rsp)", "%rbx", DEF_NONE, NULL, 0);
	want_def(rr, "cmp    %rbx,%rax", "%rax", DEF_NONE, NULL, 0);
	want_def(rr, "test   %eax,%eax", "%rax", DEF_NONE, NULL, 0);
	want_def(rr, "je     4012a0 <main.leak+108>", "%rax", DEF_NONE, NULL,
		 0);
	want_store(rr, "mov    %rbx,0x20(%rsp)", 1, 32, 1, "%rbx");
	want_store(rr, "movq   $0x0,0x10(%rsp)", 1, 16, 1, "");
	want_store(rr, "mov    %ebx,0x8(%rsp)", 1, 8, 1, "");
	want_store(rr, "mov    %rbx,(%rsp)", 1, 0, 1, "%rbx");
	want_store(rr, "mov    %rbx,0x20(%rcx)", 0, 0, 0, "");
	want_store(rr, "cmp    %rbx,0x20(%rsp)", 0, 0, 0, "");
	assert_int_equal(rr->insn.classify("jmp    *%rax"), INSN_IJUMP);
	assert_int_equal(rr->insn.classify("jmp    401000 <main.f+16>"),
			 INSN_OTHER);
}

static void test_arm64(void **state)
{
	const struct rig_regs *rr = &rig_regs_arm64;
	(void)state;
	assert_string_equal(rr->insn.sp, "sp");
	assert_string_equal(rr->insn.wb_slot, "x16");
	want_def(rr, "add\tx16, x9, #0x0", "x16", DEF_ADDR, "x9", 0);
	want_def(rr, "add\tx9, sp, #0x10", "x9", DEF_ADDR, "sp", 16);
	want_def(rr, "sub\tx9, x10, #0x8", "x9", DEF_ADDR, "x10", -8);
	want_def(rr, "mov\tx16, x9", "x16", DEF_ADDR, "x9", 0);
	want_def(rr, "mov\tx9, sp", "x9", DEF_ADDR, "sp", 0);
	want_def(rr, "ldr\tx9, [sp, #32]", "x9", DEF_LOAD, "sp", 32);
	want_def(rr, "ldr\tx9, [sp]", "x9", DEF_LOAD, "sp", 0);
	want_def(rr, "ldr\tw16, [x16, #192]", "x16", DEF_OTHER, NULL, 0);
	want_def(rr, "ldr\tx9, [sp, #16]!", "x9", DEF_OTHER, NULL, 0);
	want_def(rr, "ldp\tx29, x30, [sp, #32]", "x30", DEF_OTHER, NULL, 0);
	want_def(rr, "ldnp\tx1, x2, [sp]", "x2", DEF_OTHER, NULL, 0);
	want_def(rr, "ldadd\tx1, x2, [x0]", "x2", DEF_OTHER, NULL, 0);
	want_def(rr, "swpal\tx1, x2, [x0]", "x2", DEF_OTHER, NULL, 0);
	want_def(rr, "swpal\tx1, x2, [x0]", "x1", DEF_NONE, NULL, 0);
	want_def(rr, "stlr\tx0, [x1]", "x0", DEF_NONE, NULL, 0);
	want_def(rr, "stnp\tx0, x1, [sp]", "x1", DEF_NONE, NULL, 0);
	/* writeback: the base register is written, by a store too */
	want_def(rr, "ldr\tx0, [x1], #8", "x1", DEF_OTHER, NULL, 0);
	want_def(rr, "ldr\tx0, [x1, #8]!", "x1", DEF_OTHER, NULL, 0);
	want_def(rr, "str\txzr, [x16], #8", "x16", DEF_OTHER, NULL, 0);
	want_def(rr, "str\tx0, [x16, #8]", "x16", DEF_NONE, NULL, 0);
	want_def(rr, "mov\tx9, #0x5", "x9", DEF_OTHER, NULL, 0);
	want_def(rr, "add\tx9, x9, x10", "x9", DEF_OTHER, NULL, 0);
	want_def(rr, "adrp\tx9, 41f000 <main.g>", "x9", DEF_OTHER, NULL, 0);
	want_def(rr, "str\tx9, [sp, #32]", "x9", DEF_NONE, NULL, 0);
	want_def(rr, "cbz\tw16, 400410 <main.leak+120>", "x16", DEF_NONE, NULL,
		 0);
	want_def(rr, "b.lo\t400410 <main.leak+120>", "x16", DEF_NONE, NULL, 0);
	want_writes(rr, "ldr\tx0, [x0, #8]", "x0", 1);
	want_writes(rr, "mov\tw0, #0x1", "x0", 1);
	want_writes(rr, "bic\tx0, x0, #0x7", "x0", 1);
	want_writes(rr, "ldp\tx1, x0, [sp, #16]", "x0", 1);
	want_writes(rr, "tst\tx0, #0x7", "x0", 0);
	want_writes(rr, "cmp\tx0, x1", "x0", 0);
	want_writes(rr, "str\tx1, [x0, #8]", "x0", 0);
	want_writes(rr, "mov\tx1, x0", "x0", 0);
	want_store(rr, "str\tx9, [sp, #32]", 1, 32, 1, "x9");
	want_store(rr, "str\tx9, [sp]", 1, 0, 1, "x9");
	want_store(rr, "str\txzr, [sp, #16]", 1, 16, 1, "");
	want_store(rr, "stp\tx29, x30, [sp, #48]", 1, 48, 2, "");
	want_store(rr, "str\tw9, [sp, #8]", 1, 8, 1, "");
	want_store(rr, "str\tx9, [x10, #8]", 0, 0, 0, "");
	want_store(rr, "ldr\tx9, [sp, #8]", 0, 0, 0, "");
	assert_int_equal(rr->insn.classify("br\tx9"), INSN_IJUMP);
	assert_int_equal(rr->insn.classify("blr\tx9"), INSN_CALL);
}

static void test_riscv64(void **state)
{
	const struct rig_regs *rr = &rig_regs_riscv64;
	char reg[16];
	(void)state;
	assert_string_equal(rr->insn.sp, "sp");
	assert_string_equal(rr->insn.wb_slot, "t0");
	want_def(rr, "mv\tt0,a1", "t0", DEF_ADDR, "a1", 0);
	want_def(rr, "addi\tt0,a0,8", "t0", DEF_ADDR, "a0", 8);
	want_def(rr, "add\ta0,sp,312", "a0", DEF_ADDR, "sp", 312);
	want_def(rr, "ld\ta1,368(sp)", "a1", DEF_LOAD, "sp", 368);
	want_def(rr, "add\ta0,a0,a1", "a0", DEF_OTHER, NULL, 0);
	want_def(rr, "lw\tt0,0(t0)", "t0", DEF_OTHER, NULL, 0);
	want_def(rr, "auipc\tt0,0xc", "t0", DEF_OTHER, NULL, 0);
	want_def(rr, "sub\ta0,a0,a1", "a0", DEF_OTHER, NULL, 0);
	want_def(rr, "sll\ta0,a0,3", "a0", DEF_OTHER, NULL, 0);
	want_def(rr, "sd\ta0,368(sp)", "a0", DEF_NONE, NULL, 0);
	want_def(rr, "beqz\tt0,121e0 <main.stack1+748>", "t0", DEF_NONE, NULL,
		 0);
	want_def(rr, "mv\tt1,a0", "t0", DEF_NONE, NULL, 0);
	want_writes(rr, "sub\ta0,a0,a1", "a0", 1);
	want_writes(rr, "slli\ta0,a0,0x3", "a0", 1);
	want_writes(rr, "sext.w\ta0,a0", "a0", 1);
	want_writes(rr, "snez\ta0,a1", "a0", 1);
	want_writes(rr, "ld\ta0,8(a0)", "a0", 1);
	want_writes(rr, "sd\ta1,8(a0)", "a0", 0);
	want_writes(rr, "beqz\ta0,121e0 <main.stack1+748>", "a0", 0);
	want_writes(rr, "mv\ta1,a0", "a0", 0);
	want_store(rr, "sd\ta0,368(sp)", 1, 368, 1, "a0");
	want_store(rr, "sd\tzero,48(sp)", 1, 48, 1, "");
	want_store(rr, "sw\ta0,8(sp)", 1, 8, 1, "");
	want_store(rr, "sd\ts2,0(a0)", 0, 0, 0, "");
	assert_int_equal(rr->insn.classify("jr\ta5"), INSN_IJUMP);
	assert_int_equal(rr->insn.classify("jalr\t-844(ra) # 18e8c "
					   "<runtime.gcWriteBarrier>"),
			 INSN_CALL);
	/* the flag load: the low part in an add before it, or (when it is
	   0 and objdump shows "mv t0,t0") the address on the load */
	assert_true(rr->insn.loads_from(
	    "add\tt0,t0,-1312 # 1e1c4 <runtime.writeBarrier>", 0x121c8,
	    "lw\tt0,0(t0)", 0x1e1c4, 0x1e1c8, reg, sizeof reg));
	assert_string_equal(reg, "t0");
	assert_true(rr->insn.loads_from(
	    "mv\tt0,t0", 0x121c8, "lw\tt0,0(t0) # 1e1c4 <runtime.writeBarrier>",
	    0x1e1c4, 0x1e1c8, reg, sizeof reg));
	assert_false(rr->insn.loads_from("mv\tt0,t0", 0x121c8,
					 "lw\tt0,0(t0) # 1e1d0 <runtime.other>",
					 0x1e1c4, 0x1e1c8, reg, sizeof reg));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_amd64),
	    cmocka_unit_test(test_arm64),
	    cmocka_unit_test(test_riscv64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
