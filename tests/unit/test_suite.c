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
#include <unistd.h>

#include "suite.h"
#include "tmpdir.h"

static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static int setup(void **state)
{
	(void)state;
	return tmpdir_make("suite");
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
	ev_suite_free(&s);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_suite_ok),
	    cmocka_unit_test(test_suite_errors),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_scenario_round_trip),
	    cmocka_unit_test(test_scenario_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
