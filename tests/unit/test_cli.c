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
	assert_int_equal(c.cmd, EV_CMD_SWEEP); /* Try 'everypc sweep --help' */
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

/* Issue 15: getopt_long. --opt=value, short options, "--", any order. */
static void test_getopt(void **state)
{
	struct ev_cli c;
	char err[256];
	(void)state;
	assert_int_equal(PARSE(&c, err, "sweep", "--jobs=2", "-o", "/tmp/o",
			       "--arch=amd64,arm64", "--hits=1"),
			 0);
	assert_int_equal(c.jobs, 2);
	assert_string_equal(c.out, "/tmp/o");
	assert_int_equal(c.out_given, 1);
	assert_int_equal(c.narches, 2);
	assert_int_equal(c.nhits, 1);
	assert_int_equal(PARSE(&c, err, "sweep", "-j", "3", "-oDIR", "-j4"),
			 -1);
	assert_string_equal(err, "option '--jobs' given twice");
	assert_int_equal(PARSE(&c, err, "sweep", "-j3", "--out=D"), 0);
	assert_int_equal(c.jobs, 3);
	assert_string_equal(c.out, "D");
	/* options anywhere; the suite file between them */
	assert_int_equal(PARSE(&c, err, "sweep", "-j", "2", "s.json",
			       "--no-progress", "--resume"),
			 0);
	assert_string_equal(c.file, "s.json");
	assert_int_equal(c.no_progress, 1);
	assert_int_equal(c.resume, 1);
	/* "--" ends the options */
	assert_int_equal(
	    PARSE(&c, err, "replay", "--timeout", "5", "--", "-odd.json"), 0);
	assert_string_equal(c.file, "-odd.json");
	assert_int_equal(c.timeout_s, 5);
	assert_int_equal(PARSE(&c, err, "merge", "-o", "all", "--", "-a", "b"),
			 0);
	assert_int_equal(c.ndirs, 2);
	assert_string_equal(c.dirs[0], "-a");
	/* a unique prefix of a long option */
	assert_int_equal(
	    PARSE(&c, err, "sweep", "--work", "w.go", "--func", "main.f"), 0);
	assert_string_equal(c.workload, "w.go");
	/* called again and again: getopt starts afresh each time */
	assert_int_equal(PARSE(&c, err, "list", "w.go", "--arch", "arm64"), 0);
	assert_string_equal(c.file, "w.go");
	assert_int_equal(c.arches[0], EV_ARM64);
	assert_int_equal(PARSE(&c, err, "sweep", "--", "a", "b"), -1);
	assert_string_equal(err, "unexpected argument 'b'");
}

static void test_getopt_errors(void **state)
{
	struct ev_cli c;
	char err[256];
	(void)state;
	expect_err(PARSE(&c, err, "sweep", "--bogus"), err,
		   "unknown option '--bogus'");
	expect_err(PARSE(&c, err, "sweep", "--jbos", "2"), err,
		   "unknown option '--jbos'; did you mean '--jobs'?");
	expect_err(PARSE(&c, err, "sweep", "--timout=3"), err,
		   "unknown option '--timout'; did you mean '--timeout'?");
	expect_err(PARSE(&c, err, "sweep", "--t", "3"), err,
		   "option '--t' is ambiguous");
	expect_err(PARSE(&c, err, "sweep", "-x"), err, "unknown option '-x'");
	expect_err(PARSE(&c, err, "sweep", "-j"), err,
		   "option '--jobs' needs a value");
	expect_err(PARSE(&c, err, "sweep", "--out"), err,
		   "option '--out' needs a value");
	expect_err(PARSE(&c, err, "sweep", "--jobs="), err,
		   "--jobs '': empty value");
	expect_err(PARSE(&c, err, "sweep", "--jobs=x"), err,
		   "--jobs 'x': expected an integer");
	expect_err(PARSE(&c, err, "sweep", "--resume=1"), err,
		   "option '--resume' takes no value");
	expect_err(PARSE(&c, err, "replay", "f", "-j", "2"), err,
		   "option '--jobs' does not apply to 'replay'");
	expect_err(PARSE(&c, err, "list", "f", "--resume"), err,
		   "option '--resume' does not apply to 'list'");
	expect_err(PARSE(&c, err, "swep"), err,
		   "unknown command 'swep'; did you mean 'sweep'?");
	assert_int_equal(c.cmd, EV_CMD_HELP); /* Try 'everypc --help' */
	expect_err(PARSE(&c, err, "frobnicate"), err,
		   "unknown command 'frobnicate' (sweep, replay");
	expect_err(PARSE(&c, err, "--bogus"), err, "unknown option '--bogus'");
	expect_err(PARSE(&c, err, "sweep", "--arch", "amd46"), err,
		   "--arch: unknown value 'amd46'; did you mean 'amd64'?");
	expect_err(PARSE(&c, err, "sweep", "--arch", "x86"), err,
		   "--arch: unknown value 'x86' (amd64, arm64, riscv64)");
	expect_err(PARSE(&c, err, "sweep", "--action", "preemt"), err,
		   "--action: unknown value 'preemt'; did you mean 'preempt'?");
	expect_err(PARSE(&c, err, "help", "swep"), err,
		   "did you mean 'sweep'?");
	expect_err(PARSE(&c, err, "help", "sweep", "x"), err,
		   "unexpected argument 'x'");
	expect_err(PARSE(&c, err, "version", "x"), err,
		   "unexpected argument 'x'");
}

static void test_help_requests(void **state)
{
	struct ev_cli c;
	char err[256];
	(void)state;
	assert_int_equal(PARSE(&c, err, "help"), 0);
	assert_int_equal(c.cmd, EV_CMD_HELP);
	assert_int_equal(c.topic, EV_CMD_HELP);
	assert_int_equal(PARSE(&c, err, "-h"), 0);
	assert_int_equal(c.topic, EV_CMD_HELP);
	assert_int_equal(PARSE(&c, err, "help", "sweep"), 0);
	assert_int_equal(c.cmd, EV_CMD_HELP);
	assert_int_equal(c.topic, EV_CMD_SWEEP);
	assert_int_equal(PARSE(&c, err, "sweep", "--help"), 0);
	assert_int_equal(c.topic, EV_CMD_SWEEP);
	assert_int_equal(PARSE(&c, err, "replay", "-h"), 0);
	assert_int_equal(c.cmd, EV_CMD_HELP);
	assert_int_equal(c.topic, EV_CMD_REPLAY);
	/* --help wins over a missing FILE, like git */
	assert_int_equal(PARSE(&c, err, "chance", "--he"), 0);
	assert_int_equal(c.topic, EV_CMD_CHANCE);
	assert_int_equal(PARSE(&c, err, "--version"), 0);
	assert_int_equal(c.cmd, EV_CMD_VERSION);
	assert_int_equal(PARSE(&c, err, "version"), 0);
	assert_int_equal(c.cmd, EV_CMD_VERSION);
	assert_int_equal(PARSE(&c, err, "version", "--help"), 0);
	assert_int_equal(c.cmd, EV_CMD_HELP);
	assert_int_equal(c.topic, EV_CMD_VERSION);
	assert_string_equal(ev_cli_command_name(EV_CMD_MERGE), "merge");
	assert_string_equal(ev_cli_command_name(EV_CMD_HELP), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_getopt),
	    cmocka_unit_test(test_getopt_errors),
	    cmocka_unit_test(test_help_requests),
	    cmocka_unit_test(test_sweep_full),
	    cmocka_unit_test(test_defaults_and_help),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_chance),
	    cmocka_unit_test(test_errors_issue11),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
