/*
 * test_front.c -- the front end as a whole: valid programs compile, every
 * unsupported construct and Go compile error is reported at its
 * file:line:col, and no input (every prefix of a real program, garbage
 * bytes, NUL bytes, deep nesting, huge literals) crashes or hangs it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front_util.h"

static const char *const valid_program =
    "package main\n"
    "\n"
    "import \"runtime\"\n"
    "\n"
    "type node struct {\n"
    "\tval  int\n"
    "\tnext *node\n"
    "\tarr  [3]int\n"
    "}\n"
    "\n"
    "const N = 1 << 4\n"
    "\n"
    "var head *node\n"
    "var count = N - 1\n"
    "var flag bool\n"
    "\n"
    "func push(v int) {\n"
    "\tn := new(node)\n"
    "\tn.val = v\n"
    "\tn.next = head\n"
    "\thead = n\n"
    "}\n"
    "\n"
    "func sum(p *[4]int) int {\n"
    "\ts := 0\n"
    "\tfor i := 0; i < len(p); i++ {\n"
    "\t\ts += p[i]\n"
    "\t}\n"
    "\treturn s\n"
    "}\n"
    "\n"
    "func worker(c chan int, n int) {\n"
    "\tfor i := 0; i < n; i++ {\n"
    "\t\tc <- i * 2\n"
    "\t}\n"
    "}\n"
    "\n"
    "func main() {\n"
    "\tvar a [4]int\n"
    "\tfor i := range2(); i < 4; i++ {\n"
    "\t\ta[i] = i\n"
    "\t}\n"
    "\tpush(1)\n"
    "\tpush(2)\n"
    "\tc := make(chan int, 1)\n"
    "\tgo worker(c, 3)\n"
    "\tt := 0\n"
    "\tfor {\n"
    "\t\tt += <-c\n"
    "\t\tif t > 3 {\n"
    "\t\t\tbreak\n"
    "\t\t}\n"
    "\t}\n"
    "\tx, y := 7, -3\n"
    "\tx, y = y, x\n"
    "\tx %= 5\n"
    "\ty <<= 2\n"
    "\tflag = !flag && x < y || x == 0\n"
    "\truntime.GC()\n"
    "\truntime.Gosched()\n"
    "\tprintln(\"sum\", sum(&a), head.val, t, x, y, flag, count)\n"
    "\tif count > 100 {\n"
    "\t\tpanic(\"too many\")\n"
    "\t}\n"
    "}\n"
    "\n"
    "func range2() int { return 0 }\n";

static void valid_compiles(void **state)
{
	(void)state;
	struct ir_program *p;
	const char *errs;
	int rc = fu_compile(valid_program, &p, &errs);
	if (rc)
		fprintf(stderr, "%s", errs);
	assert_int_equal(rc, 0);
	assert_string_equal(errs, "");
	assert_non_null(fu_func(p, "main.main"));
	assert_non_null(fu_func(p, "main.push"));
	assert_int_equal(p->nglobals, 3);
	assert_int_equal(p->globals[1].init[0], 15);
	assert_int_equal(p->globals[0].ptrmask[0], 1);
	/* IR sanity over every function */
	for (int i = 0; i < p->nfuncs; i++) {
		struct ir_func *f = &p->funcs[i];
		assert_int_equal(f->frame_words % 2, 0);
		assert_true(f->nout <= f->frame_words - 2);
		for (int k = 0; k < f->ncode; k++) {
			struct ir_insn *in = &f->code[k];
			if (in->op == IR_CALL)
				assert_non_null(in->callmap);
			assert_true(in->line > 0);
		}
	}
}

struct errcase {
	const char *src;    /* body, wrapped in package main */
	const char *expect; /* substring of the diagnostics */
};

#define PKG "package main\n"
static const struct errcase errcases[] = {
    {PKG "func main() { f := func() {}; f() }",
     "t.go:2:20: function literal is not supported by gosub"},
    {PKG "func main() { var m map[int]int; _ = m }",
     "t.go:2:21: map type is not supported by gosub"},
    {PKG "func main() { var s []int; _ = s }",
     "t.go:2:21: slice type is not supported by gosub"},
    {PKG "type I interface{}\nfunc main() {}",
     "t.go:2:8: interface type is not supported by gosub"},
    {PKG "type T struct{}\nfunc (t T) m() {}\nfunc main() {}",
     "t.go:3:1: method is not supported by gosub"},
    {PKG "func f() (int, int) { return 1, 2 }\nfunc main() {}",
     "t.go:2:10: multiple result is not supported by gosub"},
    {PKG "func main() { switch { } }",
     "t.go:2:15: switch statement is not supported by gosub"},
    {PKG "func main() { for i := range 3 { _ = i } }",
     "range clause is not supported by gosub"},
    {PKG "func main() { defer main() }",
     "t.go:2:15: defer statement is not supported by gosub"},
    {PKG "func main() { select {} }",
     "t.go:2:15: select statement is not supported by gosub"},
    {PKG "func main() { goto L }",
     "t.go:2:15: goto statement is not supported by gosub"},
    {PKG "func main() {\nL:\n\tfor {}\n}",
     "t.go:3:1: label is not supported by gosub"},
    {PKG "func main() { x := 1.5; _ = x }",
     "t.go:2:20: floating-point number is not supported by gosub"},
    {PKG "func main() { x := 'a'; _ = x }",
     "t.go:2:20: rune literal is not supported by gosub"},
    {PKG "import \"fmt\"\nfunc main() { fmt.Println() }",
     "t.go:2:8: import of \"fmt\" is not supported by gosub"},
    {PKG "type T struct{ x int }\nfunc main() { t := T{1}; _ = t }",
     "t.go:3:21: composite literal is not supported by gosub"},
    {PKG "type T struct{ x int }\nfunc f(t T) {}\nfunc main() {}",
     "t.go:3:10: parameter of type T is not supported by gosub"},
    {PKG "func main() { var s string; _ = s }",
     "t.go:2:21: string is not supported by gosub"},
    {PKG "func main() { x := \"s\"; _ = x }",
     "t.go:2:20: string values are not supported by gosub"},
    {PKG "func main() { x := 1; println(&x) }",
     "t.go:2:31: println of *int is not supported by gosub"},
    {PKG "func main() { m := \"x\"; panic(m) }",
     "panic with anything but a string literal is not supported"},
    {PKG "import \"runtime\"\nfunc main() { runtime.KeepAlive(1) }",
     "t.go:3:15: runtime.KeepAlive is not supported by gosub"},
    {PKG "func main() { x := int(3); _ = x }",
     "t.go:2:23: conversion to int is not supported by gosub"},
    {PKG "func main() { var c chan bool; _ = c }",
     "chan bool is not supported by gosub"},
    /* Go's own errors */
    {PKG "func main() { x := 1 }", "t.go:2:15: x declared but not used"},
    {PKG "import \"runtime\"\nfunc main() {}",
     "t.go:2:8: \"runtime\" imported and not used"},
    {PKG "func f() int { if true { return 1 } }\nfunc main() {}",
     "t.go:2:37: missing return"},
    {PKG "func main() { println(y) }", "t.go:2:23: undefined: y"},
    {PKG "func main() { x := 1; x := 2; println(x) }",
     "t.go:2:25: no new variables on left side of :="},
    {PKG "func main() { var p *int = 5; _ = p }",
     "t.go:2:28: cannot use 5 (untyped int constant) as *int value"},
    {PKG "func main() { break }", "t.go:2:15: break is not in a loop"},
    {PKG "func main() { x := 1; println(x / 0) }",
     "t.go:2:35: invalid operation: division by zero"},
    {PKG "func main() { var a [3]int; a[5] = 1 }",
     "t.go:2:31: invalid argument: index 5 out of bounds [0:3]"},
    {PKG "func main() { x := 1 << 70; _ = x }", "constant shift overflows int"},
    {PKG "func main() { x := 99999999999999999999; _ = x }",
     "t.go:2:20: cannot use this constant as int value (overflows)"},
    {PKG "func g() {}\nfunc main() { g(1) }",
     "t.go:3:17: too many arguments in call to g"},
    {PKG "func g() {}\nfunc main() { x := g(); _ = x }",
     "(no value) used as value"},
    {PKG "func main() { x := 1; x == 2 }", "is not used"},
    {PKG "func main() { if 1 { } }",
     "t.go:2:18: non-boolean condition in if statement"},
    {PKG "type T struct { t T }\nfunc main() {}", "invalid recursive type"},
    {PKG "func main() { var x int; x = true; _ = x }", "cannot use"},
    {PKG "func f(x int) { x := 1; _ = x }\nfunc main() {}",
     "t.go:2:19: no new variables on left side of :="},
    {PKG "func main(x int) {}",
     "func main must have no arguments and no return values"},
    {PKG "func f() {}", "function main is undeclared in the main package"},
    {PKG "func main() { var x *int; println(*x + nil) }", "mismatched types"},
    /* syntax */
    {PKG "func main() { x := }",
     "t.go:2:20: syntax error: unexpected }, expected expression"},
    {"func main() {}",
     "t.go:1:1: syntax error: package statement must be first"},
    {PKG "func main() {\n\tx := \"abc\n}", "t.go:3:7: newline in string"},
    {PKG "func main() { /* never closed", "t.go:2:15: comment not terminated"},
    {PKG "func main() { x := 1\x01 }", "invalid character"},
};

static void error_cases(void **state)
{
	(void)state;
	int failed = 0;
	for (size_t i = 0; i < sizeof(errcases) / sizeof(errcases[0]); i++) {
		const char *errs;
		int rc = fu_compile(errcases[i].src, NULL, &errs);
		if (rc != 1 || !strstr(errs, errcases[i].expect)) {
			fprintf(stderr,
				"case %zu: rc %d\n  want: %s\n  got:  %s\n", i,
				rc, errcases[i].expect, errs);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void at_most_ten_errors(void **state)
{
	(void)state;
	char src[4096] = PKG "func main() {\n";
	for (int i = 0; i < 30; i++)
		strcat(src, "\tprintln(undefinedname)\n");
	strcat(src, "}\n");
	const char *errs;
	assert_int_equal(fu_compile(src, NULL, &errs), 1);
	int lines = 0;
	for (const char *p = errs; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 10);
	assert_non_null(strstr(errs, "t.go:3:10: undefined: undefinedname"));
}

static void every_prefix(void **state)
{
	(void)state;
	size_t n = strlen(valid_program);
	for (size_t k = 0; k <= n; k++) {
		int rc = fu_compile_n(valid_program, k, &fu_target, NULL, NULL);
		assert_true(rc == 0 || rc == 1);
		if (k < n - 40) /* main is incomplete before its last lines */
			assert_int_equal(rc, 1);
	}
}

static void garbage(void **state)
{
	(void)state;
	uint32_t seed = 12345;
	char buf[512];
	for (int round = 0; round < 300; round++) {
		size_t len = (size_t)(round * 7 % (int)sizeof(buf));
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (char)(seed >> 16);
		}
		/* half of the rounds start like a real file */
		if (round % 2 && len > 20)
			memcpy(buf, "package main\nfunc ", 18);
		int rc = fu_compile_n(buf, len, &fu_target, NULL, NULL);
		assert_true(rc == 0 || rc == 1);
	}
	/* NUL bytes */
	const char nul[] = "package main\nfunc main() {\x00}\n";
	assert_int_equal(
	    fu_compile_n(nul, sizeof(nul) - 1, &fu_target, NULL, NULL), 1);
}

static void deep_nesting(void **state)
{
	(void)state;
	size_t depth = 100000;
	char *src = malloc(depth * 2 + 100);
	strcpy(src, PKG "func main() { x := ");
	size_t n = strlen(src);
	for (size_t i = 0; i < depth; i++)
		src[n++] = '(';
	src[n++] = '1';
	for (size_t i = 0; i < depth; i++)
		src[n++] = ')';
	strcpy(src + n, "; _ = x }\n");
	const char *errs;
	assert_int_equal(fu_compile(src, NULL, &errs), 1);
	assert_non_null(strstr(errs, "nesting too deep"));
	/* deep blocks and unary chains too */
	strcpy(src, PKG "func main() ");
	n = strlen(src);
	for (size_t i = 0; i < 5000; i++)
		src[n++] = '{';
	src[n] = 0;
	assert_int_equal(fu_compile(src, NULL, &errs), 1);
	free(src);
}

static void too_complex_expression(void **state)
{
	(void)state;
	/* right-nested: needs one temp per level */
	const char *src =
	    PKG "func main() { a := 1\n"
		"println((a+1)*((a+1)*((a+1)*((a+1)*((a+1)*(a+1))))))\n}\n";
	const char *errs;
	assert_int_equal(fu_compile(src, NULL, &errs), 1);
	assert_non_null(strstr(errs, "expression too complex for gosub"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(valid_compiles),
	    cmocka_unit_test(error_cases),
	    cmocka_unit_test(at_most_ten_errors),
	    cmocka_unit_test(every_prefix),
	    cmocka_unit_test(garbage),
	    cmocka_unit_test(deep_nesting),
	    cmocka_unit_test(too_complex_expression),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
