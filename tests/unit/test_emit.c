/*
 * test_emit.c -- unit tests of gosub's emitter (emit.c) and back-end tables:
 * the hand-built programs of tests/guest/irprogs.c emit for every arch with
 * the sections and directives META-1..6 require, malformed IR is refused
 * with an error instead of bad assembly (EMIT-4), and the target tables
 * agree with abi.h ABI-4.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emit.h"
#include "everypc/abi.h"
#include "irprogs.h"

static const int arches[] = {EP_ARCH_AMD64, EP_ARCH_ARM64, EP_ARCH_RISCV64};

/* Emit p for a into a string; returns emit's status. */
static int emit_to_string(const struct be_arch *a, const struct ir_program *p,
			  char **text)
{
	size_t len;
	FILE *f = open_memstream(text, &len);
	assert_non_null(f);
	int rc = a->target->emit(p, f);
	fclose(f);
	return rc;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *s = hay; (s = strstr(s, needle)); s++)
		n++;
	return n;
}

static void test_emits_every_arch(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		const struct be_arch *a = be_by_arch(arches[i]);
		struct irprog p;
		char *s = NULL;
		assert_int_equal(irprog_build("all", a->target, &p), 0);
		assert_int_equal(emit_to_string(a, p.prog, &s), 0);
		assert_non_null(strstr(s, "\t.section everypc_meta,\"a\""));
		assert_non_null(strstr(s, "\t.section .everypc_oracle,\"\""));
		assert_non_null(strstr(s, "everypc_module:\n"));
		assert_non_null(strstr(s, "\t.type main.fib, %function\n"));
		assert_non_null(strstr(s, "\t.size main.fib, .-main.fib\n"));
		assert_non_null(strstr(s, "\t.file 1 \"irprogs.go\""));
		assert_non_null(
		    strstr(s, "\t.ascii \"hello, \\\"gosub\\\"\\012\""));
		/* one morestack call per function (ABI-3) */
		assert_int_equal(count(s, "runtime.morestack\n"),
				 (size_t)p.prog->nfuncs);
		assert_true(count(s, "\t.loc 1 ") > 1000);
		free(s);
		irprog_free(&p);
	}
}

/* Emit after corrupting instruction k of function fn with mutate. */
static int emit_mutated(const char *fn, int k, void (*mutate)(struct ir_insn *))
{
	struct irprog p;
	char *s = NULL;
	const struct be_arch *a = &be_amd64;
	assert_int_equal(irprog_build("calls", a->target, &p), 0);
	for (int i = 0; i < p.prog->nfuncs; i++)
		if (!strcmp(p.prog->funcs[i].name, fn))
			mutate(&p.prog->funcs[i].code[k]);
	int rc = emit_to_string(a, p.prog, &s);
	free(s);
	irprog_free(&p);
	return rc;
}

static void bad_reg(struct ir_insn *in) { in->dst = 40; }
static void bad_areg(struct ir_insn *in) { in->a = -3; }
static void bad_label(struct ir_insn *in) { in->imm = 99; }
static void bad_op(struct ir_insn *in) { in->op = IR_NUM_OPS; }
static void bad_param(struct ir_insn *in) { in->imm = 2; }
static void no_ret(struct ir_insn *in) { in->op = IR_NOP; }
static void bad_frame(struct ir_insn *in)
{
	in->op = IR_STFRAME;
	in->a = 0;
	in->imm = 4; /* fib's link area */
}
static void bad_class(struct ir_insn *in)
{
	in->op = IR_ALLOC;
	in->bimm = 0;
	in->label = 0;
	in->dst = 0;
	in->imm = 0;
	in->imm2 = 12;
}

static void test_rejects_bad_ir(void **state)
{
	(void)state;
	/* main.fib: 0 LDPARAM, 1 CMPLT, 2 BRZ, 3 STPARAM, 4 RET */
	assert_int_equal(emit_mutated("main.fib", 0, bad_reg), -1);
	assert_int_equal(emit_mutated("main.fib", 1, bad_areg), -1);
	assert_int_equal(emit_mutated("main.fib", 2, bad_label), -1);
	assert_int_equal(emit_mutated("main.fib", 1, bad_op), -1);
	assert_int_equal(emit_mutated("main.fib", 0, bad_param), -1);
	assert_int_equal(emit_mutated("main.fib", 3, bad_frame), -1);
	assert_int_equal(emit_mutated("main.fib", 1, bad_class), -1);
	assert_int_equal(emit_mutated("main.main", 1, no_ret),
			 -1); /* its only RET */
	/* and the unmutated program is fine */
	assert_int_equal(emit_mutated("main.none", 0, bad_reg), 0);
}

static void test_bad_frame_size(void **state)
{
	(void)state;
	struct irprog p;
	char *s = NULL;
	assert_int_equal(irprog_build("branch", &ir_target_arm64, &p), 0);
	p.prog->funcs[0].frame_words = 3; /* odd: not a multiple of 16 bytes */
	assert_int_equal(emit_to_string(&be_arm64, p.prog, &s), -1);
	free(s);
	irprog_free(&p);
}

/* ABI-4: no abstract register maps to a reserved or scratch register, and
   the GDB numbers agree with the names. */
static void test_register_tables(void **state)
{
	(void)state;
	static const char *const reserved[3][8] = {
	    {"%rsp", "%rbp", "%r14", "%rax", "%rcx", "%rdx", "%r11", NULL},
	    {"sp", "x29", "x30", "x28", "x18", "x27", "x16", "x17"},
	    {"ra", "sp", "gp", "tp", "s0", "s11", "t6", "t0"},
	};
	for (int i = 0; i < 3; i++) {
		const struct be_arch *a = be_by_arch(arches[i]);
		const struct ir_target *t = a->target;
		assert_int_equal(t->arch, arches[i]);
		for (int r = 0; r < t->ntemps + t->nvars; r++) {
			const char *n = a->regname[r];
			const char *g = a->gdbname[t->gdbreg[r]];
			assert_non_null(n);
			for (int k = 0; k < 8 && reserved[i][k]; k++)
				assert_string_not_equal(n, reserved[i][k]);
			assert_string_equal(n[0] == '%' ? n + 1 : n, g);
			for (int q = 0; q < r; q++)
				assert_int_not_equal(t->gdbreg[q],
						     t->gdbreg[r]);
		}
	}
}

static void test_go_semantics(void **state)
{
	(void)state;
	assert_int_equal(irprog_go_eval(IR_DIV, INT64_MIN, -1), INT64_MIN);
	assert_int_equal(irprog_go_eval(IR_MOD, INT64_MIN, -1), 0);
	assert_int_equal(irprog_go_eval(IR_DIV, -7, 2), -3);
	assert_int_equal(irprog_go_eval(IR_MOD, -7, 2), -1);
	assert_int_equal(irprog_go_eval(IR_SHL, 1, 64), 0);
	assert_int_equal(irprog_go_eval(IR_SHR, -5, 100), -1);
	assert_int_equal(irprog_go_eval(IR_SHR, -5, 1), -3);
	assert_int_equal(irprog_go_eval(IR_CMPULT, -1, 1), 0);
	assert_int_equal(be_class_size(11), 2048);
	assert_int_equal(be_class_size(12), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_emits_every_arch),
	    cmocka_unit_test(test_rejects_bad_ir),
	    cmocka_unit_test(test_bad_frame_size),
	    cmocka_unit_test(test_register_tables),
	    cmocka_unit_test(test_go_semantics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
