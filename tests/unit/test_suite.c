/* test_suite.c -- suite and scenario files: loading, errors naming file,
   line and field, and the scenario round trip. */
/* cmocka needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "states.h"
#include "suite.h"
#include "tmpdir.h"

static void expect_suite_error(const char *text, const char *want);

static const char *write_file(const char *name, const char *text)
{
	static char path[1024];
	FILE *f;
	assert_true((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) <
		    sizeof path);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static int setup(void **state)
{
	char sub[1024];
	(void)state;
	if (tmpdir_make("suite") < 0)
		return -1;
	/* the workloads the suites below name (they must exist) */
	if ((size_t)snprintf(sub, sizeof sub, "%s/workloads", dir) >=
		sizeof sub ||
	    mkdir(sub, 0700) < 0)
		return -1;
	write_file("w.go", "package main\n");
	write_file("w", "");
	write_file("workloads/list.go", "package main\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove();
}

static void test_suite_ok(void **state)
{
	struct ev_suite s;
	char err[512];
	const char *p = write_file(
	    "s.json",
	    "{\"name\": \"t\", \"arches\": [\"arm64\", \"riscv64\"],\n"
	    " \"sweeps\": [{\"workload\": \"workloads/list.go\",\n"
	    "   \"funcs\": [\"main.push\", \"main.sum\"],\n"
	    "   \"actions\": [\"preempt\", \"preempt-gc-shrink\"],\n"
	    "   \"hits\": [1, 3]}]}\n");
	(void)state;
	assert_int_equal(ev_suite_load(p, &s, err, sizeof err), 0);
	assert_string_equal(s.name, "t");
	assert_int_equal(s.narches, 2);
	assert_int_equal(s.arches[0], EV_ARM64);
	assert_int_equal(s.nsweeps, 1);
	assert_non_null(strstr(s.sweeps[0].workload, "/workloads/list.go"));
	assert_int_equal(strncmp(s.sweeps[0].workload, dir, strlen(dir)), 0);
	assert_int_equal(s.sweeps[0].nfuncs, 2);
	assert_int_equal(s.sweeps[0].actions[1], EV_PREEMPT_GC_SHRINK);
	assert_int_equal(s.sweeps[0].nhits, 2);
	assert_int_equal(s.sweeps[0].hits[1], 3);
	assert_int_equal(s.isolated, 0);
	assert_int_equal(s.sweeps[0].arch_mask, 0);
	assert_null(s.require);
	ev_suite_free(&s);
}

/* A sweep's own "arches" and the suite's "require_states" (STA-5). */
static void test_suite_arches_require(void **state)
{
	struct ev_suite s;
	char err[512];
	const char *p = write_file(
	    "s.json",
	    "{\"require_states\": [\"all\", \"riscv64 reg-only.a5\"],\n"
	    " \"sweeps\": [{\"workload\": \"workloads/list.go\",\n"
	    "   \"arches\": [\"riscv64\", \"arm64\"],\n"
	    "   \"funcs\": [\"main.push\"], \"actions\": [\"preempt\"]}]}\n");
	(void)state;
	assert_int_equal(ev_suite_load(p, &s, err, sizeof err), 0);
	assert_int_equal(s.sweeps[0].arch_mask,
			 1u << EV_ARM64 | 1u << EV_RISCV64);
	assert_non_null(s.require);
	assert_int_equal(s.require->any, 1);
	assert_true(s.require->each[EV_AMD64] != 0);
	assert_true(s.require->named[EV_RISCV64] != 0);
	assert_true(s.require->named[EV_AMD64] == 0);
	ev_suite_free(&s);
	expect_suite_error(
	    "{\"sweeps\": [{\"workload\": \"w.go\", \"funcs\": "
	    "[\"main.f\"], \"actions\": [\"preempt\"],\n \"arches\": "
	    "[\"arm64\", \"arm64\"]}]}",
	    "bad.json:2:22: field sweeps[0].arches[1]: \"arm64\" listed twice");
	expect_suite_error(
	    "{\"sweeps\": [{\"workload\": \"w.go\", \"funcs\": "
	    "[\"main.f\"], \"actions\": [\"preempt\"], \"arches\": []}]}",
	    "field sweeps[0].arches: must not be empty");
	expect_suite_error(
	    "{\"require_states\": [\"interior-only\",\n 7], \"sweeps\": []}",
	    "bad.json:2:2: field require_states[1]: expected string");
	expect_suite_error(
	    "{\"require_states\": [\"arm64 reg-only.rbx\"], \"sweeps\": []}",
	    "bad.json:1:21: field state: 'reg-only.rbx' is not a state of "
	    "arm64's catalogue");
}

static void expect_suite_error(const char *text, const char *want)
{
	struct ev_suite s;
	char err[512];
	const char *p = write_file("bad.json", text);
	assert_int_equal(ev_suite_load(p, &s, err, sizeof err), -1);
	if (!strstr(err, want) || !strstr(err, "bad.json:"))
		fail_msg("error '%s' lacks '%s'", err, want);
}

static void test_suite_errors(void **state)
{
	(void)state;
	expect_suite_error(
	    "{\"sweeps\": [{\"workload\": \"w.go\", \"funcs\": "
	    "[\"main.f\"],\n \"actions\": [\"preempt\", \"prempt\"]}]}",
	    "bad.json:2:25: field sweeps[0].actions[1]: unknown "
	    "value \"prempt\"");
	expect_suite_error("{\"sweeps\": [{\"workload\": \"w.go\", \"funcs\": "
			   "[\"main.f\"], \"actions\": [\"inject\"]}]}",
			   "field sweeps[0].inject: required by action");
	expect_suite_error("{\"sweeps\": []}",
			   "field sweeps: must not be empty");
	expect_suite_error(
	    "{\"sweeps\": [{\"workload\": 3}]}",
	    "field sweeps[0].workload: expected a string, found an "
	    "integer");
	expect_suite_error(
	    "{\"arches\": [\"x86\"], \"sweeps\": [{}]}",
	    "field arches[0]: unknown value \"x86\" (one of: amd64, "
	    "arm64, riscv64)");
	expect_suite_error("{\"sweep\": []}", "field sweep: unknown field");
	expect_suite_error(
	    "{\"sweeps\": [{\"workload\": \"w\", \"funcs\": [\"f\"], "
	    "\"actions\": [\"preempt\"], \"hits\": [0]}]}",
	    "field sweeps[0].hits[0]: expected an integer");
	expect_suite_error("{\"sweeps\": [", "bad.json:1:13: unexpected end");
	expect_suite_error("{\"mode\": \"fast\", \"sweeps\": [{}]}",
			   "field mode: unknown value \"fast\"");
}

/* Issue 11: a missing workload, a function or hit listed twice and a
   mutant name with a '/' are errors naming the field. */
static void test_suite_errors_issue11(void **state)
{
	(void)state;
	expect_suite_error(
	    "{\"sweeps\": [{\"workload\": \"nosuch.go\", \"funcs\": "
	    "[\"main.f\"], \"actions\": [\"preempt\"]}]}",
	    "bad.json:1:26: field sweeps[0].workload: ");
	expect_suite_error(
	    "{\"sweeps\": [{\"workload\": \"nosuch.go\", \"funcs\": "
	    "[\"main.f\"], \"actions\": [\"preempt\"]}]}",
	    "nosuch.go: No such file or directory");
	expect_suite_error(
	    "{\"sweeps\": [{\"workload\": \"w.go\", \"funcs\": "
	    "[\"main.f\", \"main.f\"], \"actions\": [\"preempt\"]}]}",
	    "field sweeps[0].funcs[1]: \"main.f\" listed twice");
	expect_suite_error(
	    "{\"sweeps\": [{\"workload\": \"w.go\", \"funcs\": "
	    "[\"main.f\"], \"actions\": [\"preempt\"], \"hits\": [2, 2]}]}",
	    "field sweeps[0].hits[1]: 2 listed twice");
	expect_suite_error(
	    "{\"sweeps\": [{\"workload\": \"w.go\", \"funcs\": "
	    "[\"main.f\"], \"actions\": [\"preempt\"], \"mutant\": "
	    "\"../x\"}]}",
	    "field sweeps[0].mutant: \"../x\": expected a mutant name");
	expect_suite_error(
	    "{\"sweeps\": [{\"workload\": \"w.go\", \"funcs\": "
	    "[\"main.f\"], \"actions\": [\"preempt\"], \"clobber\": 0}]}",
	    "field sweeps[0].clobber: expected");
}

/* A key given twice (JSON-4) and an unknown field of "expected" are
   refused, naming file, line, column and key. */
static void test_duplicates_and_expected(void **state)
{
	struct ev_scenario sc;
	char err[512];
	const char *p;
	(void)state;
	expect_suite_error("{\"sweeps\": [{\"workload\": \"w.go\", \"funcs\": "
			   "[\"main.f\"], \"actions\": [\"preempt\"], "
			   "\"actions\": [\"inject\"]}]}",
			   "bad.json:1:79: duplicate key \"actions\"");
	p = write_file(
	    "sc.json",
	    "{\"everypc_scenario\": 1, \"arch\": \"arm64\", \"workload\": "
	    "\"w\",\n"
	    " \"build_id\": \"ab\", \"func\": \"main.f\", \"pc\": "
	    "\"0x1234\",\n"
	    " \"offset\": 0, \"line\": 1, \"hit\": 1, \"action\": "
	    "\"preempt\",\n"
	    " \"expected\": {\"verdict\": \"accepted\", \"z\": 1},\n"
	    " \"observed\": {\"verdict\": \"accepted\", \"result\": "
	    "\"pass\"}}");
	assert_int_equal(ev_scenario_load(p, &sc, err, sizeof err), -1);
	if (!strstr(err, "sc.json:4:") || !strstr(err, "field expected.z: "))
		fail_msg("%s", err);
}

static void test_missing_file(void **state)
{
	struct ev_suite s;
	char err[512];
	(void)state;
	assert_int_equal(
	    ev_suite_load("/nonexistent/x.json", &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/x.json: "));
}

static void test_scenario_round_trip(void **state)
{
	struct ev_scenario a = {0}, b;
	char err[512], *text, *text2;
	const char *p;
	(void)state;
	a.arch = EV_RISCV64;
	a.workload = "workloads/list.go";
	a.mutant = "no-register-scan";
	a.build_id = "0123abcd";
	a.func = "main.push";
	a.pc = 0x10234;
	a.offset = 36;
	a.line = 17;
	a.hit = 2;
	a.action = EV_PREEMPT_GC;
	a.clobber = 1;
	a.expected_verdict = EV_ACCEPTED;
	a.observed_verdict = EV_ACCEPTED;
	a.observed_pass = 0;
	a.check = "liveness";
	a.detail = "x9 = 0x2000001008: object freed";
	text = ev_scenario_dump(&a);
	assert_non_null(text);
	p = write_file("sc.json", text);
	assert_int_equal(ev_scenario_load(p, &b, err, sizeof err), 0);
	assert_int_equal(b.arch, a.arch);
	assert_string_equal(b.workload, a.workload);
	assert_string_equal(b.mutant, a.mutant);
	assert_int_equal(b.pc, a.pc);
	assert_int_equal(b.offset, a.offset);
	assert_int_equal(b.hit, 2);
	assert_int_equal(b.action, EV_PREEMPT_GC);
	assert_int_equal(b.clobber, 1);
	assert_null(b.inject);
	assert_int_equal(b.observed_pass, 0);
	assert_string_equal(b.detail, a.detail);
	text2 = ev_scenario_dump(&b);
	assert_string_equal(text, text2);
	free(text);
	free(text2);
	ev_scenario_free(&b);
}

static void test_scenario_errors(void **state)
{
	struct ev_scenario sc;
	char err[512];
	const char *p = write_file(
	    "sc.json",
	    "{\"everypc_scenario\": 1, \"arch\": \"arm64\", \"workload\": "
	    "\"w\",\n"
	    " \"build_id\": \"ab\", \"func\": \"main.f\", \"pc\": \"1234\",\n"
	    " \"offset\": 0, \"line\": 1, \"hit\": 1, \"action\": "
	    "\"preempt\",\n"
	    " \"expected\": {\"verdict\": \"accepted\"},\n"
	    " \"observed\": {\"verdict\": \"accepted\", \"result\": "
	    "\"pass\"}}");
	(void)state;
	assert_int_equal(ev_scenario_load(p, &sc, err, sizeof err), -1);
	assert_non_null(strstr(err, "sc.json:2:44: field pc: expected a hex"));
}

static const char scenario_text[] =
    "{\"everypc_scenario\": 1, \"arch\": \"arm64\", \"workload\": \"w\",\n"
    " \"mutant\": %s, \"build_id\": \"ab\", \"func\": \"%s\",\n"
    " \"pc\": \"0x400190\", \"offset\": %d, \"line\": 1, \"hit\": 1,\n"
    " \"action\": \"preempt\", \"expected\": {\"verdict\": \"accepted\"},\n"
    " \"observed\": {\"verdict\": \"accepted\", \"result\": \"pass\"}}";

static const char *scenario(const char *mutant, const char *func, int offset)
{
	static char text[1024];
	snprintf(text, sizeof text, scenario_text, mutant, func, offset);
	return write_file("sc.json", text);
}

/* Issue 11: the scenario's mutant must be a plain name, its func not
   empty; its pc and offset are checked against the target's function and
   the error names file, line, column and field. */
static void test_scenario_errors_issue11(void **state)
{
	struct ev_scenario sc;
	char err[512];
	const char *p;
	(void)state;
	p = scenario("\"a/b\"", "main.f", 16);
	assert_int_equal(ev_scenario_load(p, &sc, err, sizeof err), -1);
	if (!strstr(err, "sc.json:2:12: field mutant: \"a/b\": expected a "
			 "mutant name"))
		fail_msg("%s", err);
	p = scenario("null", "", 16);
	assert_int_equal(ev_scenario_load(p, &sc, err, sizeof err), -1);
	if (!strstr(err, "sc.json:2:44: field func: must not be empty"))
		fail_msg("%s", err);

	p = scenario("null", "main.f", 12);
	assert_int_equal(ev_scenario_load(p, &sc, err, sizeof err), 0);
	assert_int_equal(ev_scenario_check_func(&sc, p, 1, 0x400180, 0x400200,
						err, sizeof err),
			 -1);
	if (!strstr(err, "sc.json:3:30: field offset: 12 disagrees with pc "
			 "0x400190 (function entry 0x400180 + 16)"))
		fail_msg("%s", err);
	assert_int_equal(ev_scenario_check_func(&sc, p, 1, 0x400194, 0x400200,
						err, sizeof err),
			 -1);
	if (!strstr(err, "sc.json:3:8: field pc: 0x400190 lies outside main.f"))
		fail_msg("%s", err);
	assert_int_equal(
	    ev_scenario_check_func(&sc, p, 0, 0, 0, err, sizeof err), -1);
	if (!strstr(err, "sc.json:2:44: field func: no function main.f"))
		fail_msg("%s", err);
	assert_int_equal(ev_scenario_check_func(&sc, p, 1, 0x400184, 0x400200,
						err, sizeof err),
			 0);
	ev_scenario_free(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_suite_ok),
	    cmocka_unit_test(test_suite_arches_require),
	    cmocka_unit_test(test_suite_errors),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_scenario_round_trip),
	    cmocka_unit_test(test_scenario_errors),
	    cmocka_unit_test(test_suite_errors_issue11),
	    cmocka_unit_test(test_scenario_errors_issue11),
	    cmocka_unit_test(test_duplicates_and_expected),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
