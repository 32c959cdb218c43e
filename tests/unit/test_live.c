/*
 * test_live.c -- lowering and liveness facts on small functions: where a
 * pointer is live in a register, what call-site maps hold, stack-object
 * anchors, composite locals, escape decisions, and call hoisting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "front_util.h"

static struct ir_program *compile_ok(const char *src)
{
	struct ir_program *p;
	const char *errs;
	int rc = fu_compile(src, &p, &errs);
	if (rc)
		fprintf(stderr, "%s", errs);
	assert_int_equal(rc, 0);
	return p;
}

static int find_call(const struct ir_func *f, const char *sym, int nth)
{
	for (int i = 0; i < f->ncode; i++)
		if (f->code[i].op == IR_CALL && !strcmp(f->code[i].sym, sym) &&
		    nth-- == 0)
			return i;
	return -1;
}

static int count_op(const struct ir_func *f, int op)
{
	int n = 0;
	for (int i = 0; i < f->ncode; i++)
		n += f->code[i].op == op;
	return n;
}

static int bit(const uint8_t *m, int i)
{
	return m && (m[i / 8] >> (i % 8) & 1);
}

static int nbits(const uint8_t *m, int n)
{
	int c = 0;
	for (int i = 0; i < n; i++)
		c += bit(m, i);
	return c;
}

#define TYPES                                                                  \
	"package main\n"                                                       \
	"type T struct { x int; p *T }\n"                                      \
	"var gl *int\n"                                                        \
	"func g() {}\n"                                                        \
	"func use(q *T) int { return q.x }\n"                                  \
	"func usei(q *int) int { return *q }\n"                                \
	"func leak(q *int) { gl = q }\n"                                       \
	"func main() {}\n"

/* p := new(T); p.x = 1; g(); p.x = 2: p's register holds the only
   pointer until the spill, the map has exactly p's home, the reload
   makes the register live again until the last store. */
static void register_pointer_and_spill(void **state)
{
	(void)state;
	struct ir_program *p = compile_ok(
	    TYPES
	    "func f() {\n\tp := new(T)\n\tp.x = 1\n\tg()\n\tp.x = 2\n}\n");
	struct ir_func *f = fu_func(p, "main.f");
	int c = find_call(f, "main.g", 0);
	assert_true(c > 0);
	struct ir_insn *spill = &f->code[c - 1];
	assert_int_equal(spill->op, IR_STFRAME);
	ir_reg v = spill->a;
	assert_true(v >= fu_target.ntemps);
	int home = (int)spill->imm;
	/* call map: exactly p's home */
	assert_int_equal(nbits(f->code[c].callmap, f->frame_words), 1);
	assert_true(bit(f->code[c].callmap, home));
	/* p's register is live from its definition to the spill */
	int def = -1;
	for (int i = 0; i < c; i++)
		if (f->code[i].dst == v && f->code[i].op != IR_LABEL)
			def = i;
	assert_true(def >= 0);
	for (int i = def + 1; i < c; i++)
		assert_true(f->code[i].live_ptr_regs >> v & 1);
	/* the allocation result register is live right after the alloc */
	int a = -1;
	for (int i = 0; i < f->ncode; i++)
		if (f->code[i].op == IR_ALLOC)
			a = i;
	assert_true(a >= 0 && a < def);
	assert_true(f->code[a + 1].live_ptr_regs >> f->code[a].dst & 1);
	assert_false(f->code[a].live_ptr_regs >> f->code[a].dst & 1);
	/* during the call, only the home word */
	assert_int_equal(f->code[c].live_ptr_regs, 0);
	assert_true(bit(f->code[c].live_ptr_words, home));
	/* reload, then live until the last store, then dead */
	struct ir_insn *reload = &f->code[c + 1];
	assert_int_equal(reload->op, IR_LDFRAME);
	assert_int_equal(reload->dst, v);
	int last = -1;
	for (int i = c + 1; i < f->ncode; i++)
		if (f->code[i].op == IR_STORE && f->code[i].a == v)
			last = i;
	assert_true(last > c);
	for (int i = c + 2; i <= last; i++)
		assert_true(f->code[i].live_ptr_regs >> v & 1);
	for (int i = last + 1; i < f->ncode; i++)
		if (f->code[i].op == IR_RET)
			assert_int_equal(f->code[i].live_ptr_regs, 0);
	assert_true(f->code[a].unsafe);
	assert_int_equal(p->types[f->code[a].imm].nwords, 2);
	assert_int_equal(p->types[f->code[a].imm].ptrmask[0], 2);
	assert_int_equal(f->code[a].imm2, 1); /* 16 + 8 bytes: class 1 (32) */
}

static void dead_pointer_not_in_map(void **state)
{
	(void)state;
	struct ir_program *p = compile_ok(
	    TYPES
	    "func f() int {\n\tp := new(T)\n\tp.x = 1\n\tg()\n\treturn 3\n}\n");
	struct ir_func *f = fu_func(p, "main.f");
	int c = find_call(f, "main.g", 0);
	assert_true(c > 0);
	assert_int_equal(nbits(f->code[c].callmap, f->frame_words), 0);
	assert_int_equal(f->code[c - 1].op == IR_STFRAME, 0);
	assert_int_equal(f->code[c].live_ptr_regs, 0);
}

/* A stack object's anchor is in a call map only while the object is used
   later; object words are never in any set. */
static void stack_object_anchor(void **state)
{
	(void)state;
	struct ir_program *p = compile_ok(
	    TYPES "func f() {\n\tvar s T\n\ts.x = 1\n\tprintln(use(&s))\n"
		  "\tg()\n\ts.x = 2\n\tg()\n}\n");
	struct ir_func *f = fu_func(p, "main.f");
	assert_int_equal(f->nstackobjs, 1);
	struct ir_stackobj *so = &f->stackobjs[0];
	assert_int_equal(so->nwords, 2);
	assert_int_equal(so->ptrmask[0], 2);
	assert_int_equal(count_op(f, IR_ALLOC), 0);
	/* entry: zero, then the anchor */
	assert_int_equal(f->code[0].op, IR_ZERO);
	assert_int_equal(f->code[1].op, IR_ADDRFRAME);
	assert_int_equal(f->code[1].imm, so->word);
	assert_int_equal(f->code[2].op, IR_STFRAME);
	int anchor = (int)f->code[2].imm;
	int c1 = find_call(f, "main.use", 0);
	int g1 = find_call(f, "main.g", 0), g2 = find_call(f, "main.g", 1);
	assert_true(c1 > 0 && g1 > c1 && g2 > g1);
	assert_true(bit(f->code[c1].callmap, anchor));
	assert_true(bit(f->code[c1].callmap, 0)); /* the &s argument */
	assert_true(bit(f->code[g1].callmap, anchor));
	assert_false(bit(f->code[g2].callmap, anchor));
	assert_int_equal(nbits(f->code[g2].callmap, f->frame_words), 0);
	for (int i = 0; i < f->ncode; i++)
		for (int w = so->word; w < so->word + so->nwords; w++) {
			assert_false(bit(f->code[i].live_ptr_words, w));
			assert_false(bit(f->code[i].callmap, w));
		}
}

static void composite_local_always_live(void **state)
{
	(void)state;
	struct ir_program *p = compile_ok(
	    TYPES "func f() {\n\tvar a [3]*T\n\tvar n [2]int\n\ta[1] = new(T)\n"
		  "\tn[0] = 1\n\tg()\n\tprintln(a[1].x, n[0])\n\tg()\n}\n");
	struct ir_func *f = fu_func(p, "main.f");
	assert_int_equal(f->nstackobjs, 0);
	assert_int_equal(f->code[0].op, IR_ZERO);
	int base = (int)f->code[0].imm;
	assert_int_equal(f->code[0].imm2, 5);
	int g2 = find_call(f, "main.g", 1);
	assert_true(g2 > 0);
	/* the three pointer words of a, not the ints of n, even after the
	   last use */
	for (int w = 0; w < 3; w++)
		assert_true(bit(f->code[g2].callmap, base + w));
	assert_false(bit(f->code[g2].callmap, base + 3));
	assert_false(bit(f->code[g2].callmap, base + 4));
	assert_int_equal(nbits(f->code[g2].callmap, f->frame_words), 3);
	/* not before the zeroing has run */
	assert_int_equal(nbits(f->code[0].live_ptr_words, f->frame_words), 0);
	assert_true(bit(f->code[1].live_ptr_words, base));
}

static int has_alloc(struct ir_program *p, const char *fn)
{
	return count_op(fu_func(p, fn), IR_ALLOC) > 0;
}

static void escape_decisions(void **state)
{
	(void)state;
	struct ir_program *p = compile_ok(
	    TYPES
	    "func toglobal() { x := 1; gl = &x }\n"
	    "func noescape() { y := 2; println(usei(&y)) }\n"
	    "func viaparam() { z := 3; leak(&z) }\n"
	    "func returned() *int { r := 4; return &r }\n"
	    "func loop() {\n\tvar q *int\n\tfor i := 0; i < 2; i++ {\n"
	    "\t\tv := i\n\t\tq = &v\n\t}\n\tprintln(*q)\n}\n"
	    "func throughptr() {\n\tvar a, b T\n\tpa := &a\n\tpa.p = &b\n"
	    "\tprintln(a.x)\n}\n"
	    "func sent(c chan int) { w := 5; gl = nil; c <- usei(&w) }\n");
	assert_true(has_alloc(p, "main.toglobal"));
	assert_int_equal(fu_func(p, "main.toglobal")->nstackobjs, 0);
	assert_false(has_alloc(p, "main.noescape"));
	assert_int_equal(fu_func(p, "main.noescape")->nstackobjs, 1);
	assert_true(has_alloc(p, "main.viaparam"));
	assert_true(has_alloc(p, "main.returned"));
	assert_true(has_alloc(p, "main.loop"));
	/* a stays a stack object, b (stored through a pointer) escapes */
	struct ir_func *t = fu_func(p, "main.throughptr");
	assert_int_equal(t->nstackobjs, 1);
	assert_true(has_alloc(p, "main.throughptr"));
	assert_int_equal(fu_func(p, "main.sent")->nstackobjs, 1);
}

static int count_wb(struct ir_program *p, const char *fn)
{
	const struct ir_func *f = fu_func(p, fn);
	int n = 0;
	for (int i = 0; i < f->ncode; i++)
		n += f->code[i].op == IR_STORE && f->code[i].wb;
	return n;
}

/* IR-7: a pointer store takes the write barrier unless it is known to hit
   the function's own frame or one of its stack objects. */
static void write_barrier_decisions(void **state)
{
	(void)state;
	struct ir_program *p = compile_ok(
	    TYPES "func heap(q *T, r *T) { q.p = r }\n"
		  "func nilstore(q *T) { q.p = nil }\n"
		  "func global(q *int) { gl = q }\n"
		  "func intstore(q *T) { q.x = 1 }\n"
		  "func stackobj(r *T) { var a T; a.p = r; println(use(&a)) }\n"
		  "func frame(r *T) { var s T; s.p = r; println(s.p.x) }\n"
		  "func arr(r *T) {\n\tvar a [3]*T\n\ti := 1\n\ta[i] = r\n"
		  "\tprintln(use(a[1]))\n}\n"
		  "func escaped(r *T) *T { var e T; e.p = r; return &e }\n"
		  "func copied(q *T, r *T) { *q = *r }\n");
	assert_int_equal(count_wb(p, "main.heap"), 1);
	assert_int_equal(count_wb(p, "main.nilstore"), 1);
	assert_int_equal(count_wb(p, "main.global"), 1);
	assert_int_equal(count_wb(p, "main.intstore"), 0);
	assert_int_equal(fu_func(p, "main.stackobj")->nstackobjs, 1);
	assert_int_equal(count_wb(p, "main.stackobj"), 0);
	assert_int_equal(count_wb(p, "main.frame"), 0);
	assert_int_equal(count_wb(p, "main.arr"), 0);
	assert_int_equal(count_wb(p, "main.escaped"), 1);
	/* a struct copy: the barrier for its pointer word only */
	assert_int_equal(count_wb(p, "main.copied"), 1);
	/* the compiler mutant wb-escaped-skip: only the escaped local's
	   cell store loses its barrier */
	p->mutants = IR_MUTANT_WB_ESCAPED_SKIP;
	ir_plant_mutants(p);
	assert_int_equal(count_wb(p, "main.escaped"), 0);
	assert_int_equal(count_wb(p, "main.heap"), 1);
	assert_int_equal(count_wb(p, "main.global"), 1);
	assert_int_equal(count_wb(p, "main.copied"), 1);
}

/* Calls are hoisted in lexical order; `a && f()` is control flow. */
static void hoisting_and_short_circuit(void **state)
{
	(void)state;
	struct ir_program *p =
	    compile_ok("package main\n"
		       "func a() int { return 1 }\n"
		       "func b() int { return 2 }\n"
		       "func t() bool { return true }\n"
		       "func main() {\n\tx := a() - b()\n"
		       "\tif x < 0 && t() {\n\t\tprintln(x)\n\t}\n}\n");
	struct ir_func *f = fu_func(p, "main.main");
	int ca = find_call(f, "main.a", 0), cb = find_call(f, "main.b", 0),
	    ct = find_call(f, "main.t", 0);
	assert_true(ca >= 0 && cb > ca && ct > cb);
	int brz = -1;
	for (int i = cb; i < ct; i++)
		if (f->code[i].op == IR_BRZ)
			brz = i;
	assert_true(brz > cb);
	/* no temp is live at any call */
	for (int i = 0; i < f->ncode; i++)
		if (f->code[i].op == IR_CALL)
			assert_int_equal(f->code[i].live_ptr_regs, 0);
	const char *d = fu_dump(f);
	assert_non_null(strstr(d, "call main.t args 0 result"));
	assert_non_null(strstr(d, "func main.main"));
}

/* Checks: divide, shift, bounds and nil panics go to out-of-line blocks
   that do not return. */
static void runtime_checks(void **state)
{
	(void)state;
	struct ir_program *p =
	    compile_ok("package main\n"
		       "type S struct { a [4]int }\n"
		       "func f(x int, y int, s *S) int {\n"
		       "\treturn x/y + x<<y + s.a[y] + x%7\n}\n"
		       "func main() { println(f(1, 2, new(S))) }\n");
	struct ir_func *f = fu_func(p, "main.f");
	assert_true(find_call(f, "runtime.panicdivide", 0) > 0);
	assert_true(find_call(f, "runtime.panicstr", 0) > 0);
	assert_true(find_call(f, "runtime.panicindex", 0) > 0);
	assert_true(find_call(f, "runtime.panicnil", 0) > 0);
	assert_true(count_op(f, IR_CMPULT) == 1);
	assert_true(f->params_ptrmask == 4);
	assert_int_equal(f->nparams, 3);
	assert_int_equal(f->has_result, 1);
	int nstr = 0;
	for (int i = 0; i < p->nstrings; i++)
		nstr += !strcmp(p->strings[i].bytes,
				"runtime error: negative shift amount");
	assert_int_equal(nstr, 1);
}

static void go_statement_frame(void **state)
{
	(void)state;
	struct ir_program *p = compile_ok(
	    "package main\n"
	    "func w(c chan int, n int) int { c <- n; return 0 }\n"
	    "func main() { c := make(chan int); go w(c, 3); println(<-c) }\n");
	struct ir_func *f = fu_func(p, "main.main");
	int c = find_call(f, "runtime.newproc", 0);
	assert_true(c > 0);
	assert_int_equal(f->code[c].imm, 5); /* fn, argbytes, c, n, result */
	assert_true(bit(f->code[c].callmap, 2));
	assert_false(bit(f->code[c].callmap, 3));
	int sawbytes = 0;
	for (int i = 0; i < c; i++)
		if (f->code[i].op == IR_MOVI && f->code[i].imm == 24)
			sawbytes = 1;
	assert_true(sawbytes);
	assert_true(f->nout >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(register_pointer_and_spill),
	    cmocka_unit_test(dead_pointer_not_in_map),
	    cmocka_unit_test(stack_object_anchor),
	    cmocka_unit_test(composite_local_always_live),
	    cmocka_unit_test(escape_decisions),
	    cmocka_unit_test(write_barrier_decisions),
	    cmocka_unit_test(hoisting_and_short_circuit),
	    cmocka_unit_test(runtime_checks),
	    cmocka_unit_test(go_statement_frame),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
