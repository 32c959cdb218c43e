/* test_cli.c -- everypc's argument parsing. */
/* cmocka needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "cli.h"

#define ARGV(...) ((char *[]){"everypc", __VA_ARGS__, NULL})
#define ARGC(...)                                                              \
	((int)(sizeof((char *[]){"everypc", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(c, err, ...)                                                     \
	ev_cli_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), c, err, sizeof err)

static void test_sweep_full(void **state)
{
	struct ev_cli c;
	char err[256];
	(void)state;
	assert_int_equal(PARSE(&c, err, "sweep", "--workload", "w.go", "--func",
			       "main.a,main.b", "--arch", "riscv64,amd64",
			       "--action", "preempt-gc", "--hits", "1,3",
			       "--mode", "isolated", "--jobs", "2", "--out",
			       "/tmp/o", "--junit", "j.xml", "--resume",
			       "--mutant", "no-register-scan"),
			 0);
	assert_int_equal(c.cmd, EV_CMD_SWEEP);
	assert_string_equal(c.workload, "w.go");
	assert_string_equal(c.funcs, "main.a,main.b");
	assert_int_equal(c.narches, 2);
	assert_int_equal(c.arches[0], EV_RISCV64);
	assert_int_equal(c.arches[1], EV_AMD64);
	assert_int_equal(c.nactions, 1);
	assert_int_equal(c.actions[0], EV_PREEMPT_GC);
	assert_int_equal(c.nhits, 2);
	assert_int_equal(c.hits[1], 3);
	assert_int_equal(c.mode, 1);
	assert_int_equal(c.jobs, 2);
	assert_int_equal(c.resume, 1);
	assert_string_equal(c.mutant, "no-register-scan");
}

static void test_defaults_and_help(void **state)
{
	struct ev_cli c;
	char err[256];
	(void)state;
	assert_int_equal(PARSE(&c, err, "sweep"), 0);
	assert_null(c.file);
	assert_int_equal(c.mode, -1);
	assert_string_equal(c.out, "everypc-out");
	assert_int_equal(PARSE(&c, err, "--help"), 0);
	assert_int_equal(c.cmd, EV_CMD_HELP);
	assert_int_equal(PARSE(&c, err, "replay", "s.json"), 0);
	assert_int_equal(c.cmd, EV_CMD_REPLAY);
	assert_string_equal(c.file, "s.json");
	assert_non_null(strstr(ev_cli_usage, "everypc sweep"));
}

static void test_chance(void **state)
{
	struct ev_cli c;
	char err[256];
	(void)state;
	assert_int_equal(PARSE(&c, err, "chance", "w.go", "--inject",
			       "main.f(1)", "--arch", "arm64", "--mutant",
			       "debugcall-no-freeze", "--runs", "7", "--seed",
			       "42", "--attempts", "3", "--timeout", "9"),
			 0);
	assert_int_equal(c.cmd, EV_CMD_CHANCE);
	assert_string_equal(c.file, "w.go");
	assert_string_equal(c.inject, "main.f(1)");
	assert_int_equal(c.narches, 1);
	assert_int_equal(c.arches[0], EV_ARM64);
	assert_string_equal(c.mutant, "debugcall-no-freeze");
	assert_int_equal(c.runs, 7);
	assert_int_equal(c.seed, 42);
	assert_int_equal(c.attempts, 3);
	assert_int_equal(c.timeout_s, 9);
	assert_non_null(strstr(ev_cli_usage, "everypc chance"));
}

static void expect_err(int rc, const char *err, const char *want)
{
	assert_int_equal(rc, -1);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
}

static void test_errors(void **state)
{
	struct ev_cli c;
	char err[256];
	(void)state;
	expect_err(PARSE(&c, err, "swep"), err, "unknown command 'swep'");
	expect_err(PARSE(&c, err, "sweep", "--arch", "x86"), err,
		   "--arch: unknown value 'x86'");
	expect_err(PARSE(&c, err, "sweep", "--arch", "arm64,arm64"), err,
		   "given twice");
	expect_err(PARSE(&c, err, "sweep", "--jobs", "0"), err,
		   "--jobs '0': expected an integer in 1..256");
	expect_err(PARSE(&c, err, "sweep", "--hits", "1,x"), err, "--hits 'x'");
	expect_err(PARSE(&c, err, "sweep", "--mode", "fast"), err,
		   "--mode 'fast': expected persistent or isolated");
	expect_err(PARSE(&c, err, "sweep", "--jobs"), err, "needs a value");
	expect_err(PARSE(&c, err, "sweep", "--workload", "w.go"), err,
		   "--workload needs --func");
	expect_err(
	    PARSE(&c, err, "sweep", "s.json", "--workload", "w", "--func", "f"),
	    err, "not both");
	expect_err(PARSE(&c, err, "replay"), err, "'replay' needs a FILE");
	expect_err(PARSE(&c, err, "replay", "f", "--jobs", "2"), err,
		   "option '--jobs' does not apply to 'replay'");
	expect_err(PARSE(&c, err, "sweep", "--frobnicate", "1"), err,
		   "unknown option '--frobnicate'");
	expect_err(PARSE(&c, err, "list", "a", "b"), err,
		   "unexpected argument 'b'");
	expect_err(PARSE(&c, err, "chance", "w.go"), err,
		   "chance needs --inject");
	expect_err(PARSE(&c, err, "chance", "w.go", "--inject", "main.f()",
			 "--arch", "amd64,arm64"),
		   err, "chance takes one --arch");
	expect_err(PARSE(&c, err, "chance", "w.go", "--inject", "main.f()",
			 "--runs", "0"),
		   err, "--runs '0': expected an integer");
	expect_err(PARSE(&c, err, "chance", "w.go", "--inject", "main.f()",
			 "--jobs", "2"),
		   err, "option '--jobs' does not apply to 'chance'");
	expect_err(PARSE(&c, err, "sweep", "--runs", "3"), err,
		   "option '--runs' does not apply to 'sweep'");
}

/* Issue 11: bad input that was accepted before. */
static void test_errors_issue11(void **state)
{
	struct ev_cli c;
	char err[256];
	(void)state;
	expect_err(
	    ev_cli_parse(1, (char *[]){"everypc", NULL}, &c, err, sizeof err),
	    err, "no command given");
	expect_err(PARSE(&c, err, "sweep", "--workload", "w.go", "--func", ""),
		   err, "--func '': empty value");
	expect_err(
	    PARSE(&c, err, "sweep", "--workload", "w.go", "--func", ",,"), err,
	    "--func ',,': empty item in the list");
	expect_err(
	    PARSE(&c, err, "sweep", "--workload", "w.go", "--func", "main.a,"),
	    err, "--func 'main.a,': empty item");
	expect_err(PARSE(&c, err, "sweep", "--workload", "w.go", "--func",
			 "main.a,main.b,main.a"),
		   err, "--func: 'main.a' given twice");
	expect_err(PARSE(&c, err, "sweep", "--hits", "1,1"), err,
		   "--hits: '1' given twice");
	expect_err(PARSE(&c, err, "sweep", "--hits", "0"), err,
		   "--hits '0': expected an integer in 1..1000000");
	expect_err(PARSE(&c, err, "sweep", "--hits", "-2"), err,
		   "--hits '-2': expected an integer");
	expect_err(PARSE(&c, err, "sweep", "--hits", "1,,2"), err,
		   "--hits '1,,2': empty item");
	expect_err(PARSE(&c, err, "sweep", "--action", "preempt,preempt"), err,
		   "--action: 'preempt' given twice");
	expect_err(PARSE(&c, err, "sweep", "--arch", "amd64,"), err,
		   "--arch 'amd64,': empty item");
	expect_err(
	    PARSE(&c, err, "sweep", "--arch", "amd64", "--arch", "arm64"), err,
	    "option '--arch' given twice");
	expect_err(PARSE(&c, err, "sweep", "--mutant", "../x"), err,
		   "--mutant '../x': expected a mutant name");
	expect_err(PARSE(&c, err, "chance", "w.go", "--inject", "main.f()",
			 "--mutant", "a/b"),
		   err, "--mutant 'a/b': expected a mutant name");
	expect_err(PARSE(&c, err, "sweep", "--mutant", ".hidden"), err,
		   "--mutant '.hidden'");
	expect_err(PARSE(&c, err, "sweep", "--out", ""), err,
		   "--out '': empty value");
	expect_err(PARSE(&c, err, "list", "w.go", "--func", "main.a,main.a"),
		   err, "given twice");
	/* still accepted */
	assert_int_equal(PARSE(&c, err, "sweep", "--mutant", "no-register-scan",
			       "--hits", "2,1"),
			 0);
	assert_int_equal(
	    PARSE(&c, err, "list", "w.go", "--func", "main.a,main.b"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sweep_full),
	    cmocka_unit_test(test_defaults_and_help),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_chance),
	    cmocka_unit_test(test_errors_issue11),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
