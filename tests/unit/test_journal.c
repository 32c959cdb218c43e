/* test_journal.c -- journal append, resume (with a torn last line),
   determinism, summary and JUnit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "states.h"
#include "suite.h"
#include "tmpdir.h"

static int setup(void **state)
{
	(void)state;
	return tmpdir_make("journal");
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove();
}

static struct ev_result mk(uint64_t pc, int verdict, int pass)
{
	struct ev_result r = {0};
	r.arch = EV_ARM64;
	r.workload = "list.go";
	r.func = "main.push";
	r.pc = pc;
	r.offset = pc - 0x1000;
	r.file = "list.go";
	r.line = 17;
	r.hit = 1;
	r.action = EV_PREEMPT_GC;
	r.verdict = verdict;
	r.expected = verdict;
	r.pass = pass;
	r.check = pass ? NULL : "liveness";
	r.detail = pass ? "" : "x3 = 0x2000000010 <freed> \"q\"";
	return r;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[8192];
	size_t n;
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void test_append_resume_torn(void **state)
{
	char err[256], path[600];
	struct ev_journal *j;
	struct ev_result a = mk(0x1000, EV_ACCEPTED, 1),
			 b = mk(0x1004, EV_REJECTED, 1),
			 c = mk(0x1008, EV_ACCEPTED, 0);
	int fd;
	(void)state;
	j = ev_journal_open(dir, 0, err, sizeof err);
	assert_non_null(j);
	assert_int_equal(ev_journal_append(j, &a), 0);
	assert_int_equal(ev_journal_append(j, &b), 0);
	ev_journal_close(j);
	snprintf(path, sizeof path, "%s/journal.jsonl", dir);
	fd = open(path, O_WRONLY | O_APPEND);
	assert_true(write(fd, "{\"arch\":\"arm", 12) == 12); /* torn line */
	close(fd);
	j = ev_journal_open(dir, 1, err, sizeof err);
	assert_non_null(j);
	assert_int_equal(ev_journal_count(j), 2);
	assert_true(ev_journal_done(j, &a));
	assert_true(ev_journal_done(j, &b));
	assert_false(ev_journal_done(j, &c));
	assert_int_equal(ev_journal_append(j, &c), 0);
	assert_int_equal(ev_journal_failures(j), 1);
	ev_journal_close(j);
	assert_null(strstr(slurp(path), "{\"arch\":\"arm{"));
	j = ev_journal_open(dir, 1, err, sizeof err);
	assert_int_equal(ev_journal_count(j), 3);
	ev_journal_close(j);
	/* without resume the journal starts over */
	j = ev_journal_open(dir, 0, err, sizeof err);
	assert_int_equal(ev_journal_count(j), 0);
	ev_journal_close(j);
}

static void test_line_is_deterministic(void **state)
{
	struct ev_result a = mk(0x1008, EV_ACCEPTED, 0);
	char *l1 = ev_result_line(&a), *l2 = ev_result_line(&a);
	(void)state;
	assert_string_equal(l1, l2);
	assert_string_equal(
	    l1, "{\"schema\":1,\"arch\":\"arm64\",\"workload\":\"list.go\","
		"\"mutant\":null,"
		"\"func\":\"main.push\",\"pc\":\"0x1008\",\"offset\":8,"
		"\"file\":\"list.go\",\"line\":17,\"hit\":1,\"action\":"
		"\"preempt-gc\",\"clobber\":false,\"verdict\":\"accepted\","
		"\"expected\":"
		"\"accepted\",\"result\":\"fail\",\"check\":\"liveness\","
		"\"detail\":\"x3 = 0x2000000010 <freed> \\\"q\\\"\"}\n");
	free(l1);
	free(l2);
}

static void test_malformed_journal(void **state)
{
	char err[256], path[600];
	FILE *f;
	(void)state;
	snprintf(path, sizeof path, "%s/journal.jsonl", dir);
	f = fopen(path, "w");
	fputs("{\"schema\": 1, \"arch\": \"arm64\"}\n", f);
	fclose(f);
	assert_null(ev_journal_open(dir, 1, err, sizeof err));
	assert_non_null(strstr(err, "journal.jsonl:1: not a journal record"));
	/* JRN-4: a record of another schema (or none) is refused */
	f = fopen(path, "w");
	fputs("{\"arch\": \"arm64\"}\n", f);
	fclose(f);
	assert_null(ev_journal_open(dir, 1, err, sizeof err));
	assert_non_null(strstr(err,
			       "journal.jsonl:1: field \"schema\": journal "
			       "schema 0, this everypc reads 1"));
}

/* "clobber" (CLB-1) is written as a boolean and read back; a record
   without it (a journal older than clobbering) reads as false. */
static void test_clobber_round_trip(void **state)
{
	char err[256], path[600];
	struct ev_journal *j = ev_journal_open(dir, 0, err, sizeof err);
	struct ev_result a = mk(0x2000, EV_ACCEPTED, 1), q;
	const struct ev_result *got;
	char *line;
	int fd;
	(void)state;
	assert_non_null(j);
	a.clobber = 1;
	line = ev_result_line(&a);
	assert_non_null(
	    strstr(line, "\"action\":\"preempt-gc\",\"clobber\":true,"));
	free(line);
	assert_int_equal(ev_journal_append(j, &a), 0);
	ev_journal_close(j);
	snprintf(path, sizeof path, "%s/journal.jsonl", dir);
	fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	const char *old =
	    "{\"schema\":1,\"arch\":\"arm64\",\"workload\":\"list.go\","
	    "\"mutant\":null,\"func\":\"main.push\",\"pc\":\"0x2008\","
	    "\"offset\":8,\"line\":1,\"hit\":1,\"action\":\"preempt-gc\","
	    "\"verdict\":\"accepted\",\"expected\":\"accepted\","
	    "\"result\":\"pass\",\"check\":null,\"detail\":\"\"}\n";
	assert_true(write(fd, old, strlen(old)) == (ssize_t)strlen(old));
	close(fd);
	j = ev_journal_open(dir, 1, err, sizeof err);
	assert_non_null(j);
	q = mk(0x2000, EV_NOVERDICT, 0);
	got = ev_journal_find(j, &q);
	assert_non_null(got);
	assert_int_equal(got->clobber, 1);
	q = mk(0x2008, EV_NOVERDICT, 0);
	got = ev_journal_find(j, &q);
	assert_non_null(got);
	assert_int_equal(got->clobber, 0);
	ev_journal_close(j);
}

/* STA-1: states are journalled by name, in catalogue order, and read back;
   a name the arch does not catalogue is refused with file, line, field. */
static void test_states_round_trip(void **state)
{
	char err[512], path[600];
	struct ev_journal *j = ev_journal_open(dir, 0, err, sizeof err);
	struct ev_result a = mk(0x2000, EV_ACCEPTED, 1), q;
	const struct ev_result *got;
	char *line;
	FILE *f;
	(void)state;
	assert_non_null(j);
	a.states = 1ull << ev_states_lookup(a.arch, "reg-only.x21") |
		   1ull << EV_ST_INTERIOR_ONLY;
	line = ev_result_line(&a);
	assert_non_null(
	    strstr(line, "\"states\":[\"interior-only\",\"reg-only.x21\"]}"));
	free(line);
	assert_int_equal(ev_journal_append(j, &a), 0);
	ev_journal_close(j);
	j = ev_journal_open(dir, 1, err, sizeof err);
	assert_non_null(j);
	q = mk(0x2000, EV_NOVERDICT, 0);
	got = ev_journal_find(j, &q);
	assert_non_null(got);
	assert_true(got->states == a.states);
	ev_journal_close(j);
	snprintf(path, sizeof path, "%s/journal.jsonl", dir);
	f = fopen(path, "a");
	assert_non_null(f);
	fputs("{\"schema\":1,\"arch\":\"arm64\",\"workload\":\"list.go\","
	      "\"mutant\":null,\"func\":\"main.push\",\"pc\":\"0x2008\","
	      "\"offset\":8,\"line\":1,\"hit\":1,\"action\":\"preempt-gc\","
	      "\"verdict\":\"accepted\",\"expected\":\"accepted\","
	      "\"result\":\"pass\",\"check\":null,\"detail\":\"\","
	      "\"states\":[\"reg-only.rbx\"]}\n",
	      f);
	fclose(f);
	assert_null(ev_journal_open(dir, 1, err, sizeof err));
	assert_non_null(strstr(err, "journal.jsonl:2: field \"states\": "
				    "reg-only.rbx is not a state of the arm64 "
				    "catalogue"));
}

/* The JRN-3 key: every field of it tells cases apart (through the hash
   index), many cases stay findable, the first record of a key wins. */
static void test_find_by_key(void **state)
{
	char err[256];
	struct ev_journal *j = ev_journal_open(dir, 0, err, sizeof err);
	struct ev_result r, q;
	const struct ev_result *got;
	uint64_t pc;
	(void)state;
	assert_non_null(j);
	for (pc = 0x1000; pc < 0x1000 + 3000; pc++) {
		r = mk(pc, EV_ACCEPTED, 1);
		r.line = (int)(pc & 0xff);
		assert_int_equal(ev_journal_append(j, &r), 0);
	}
	r = mk(0x1005, EV_REJECTED, 0); /* same key again: the first stays */
	assert_int_equal(ev_journal_append(j, &r), 0);
	for (pc = 0x1000; pc < 0x1000 + 3000; pc++) {
		q = mk(pc, EV_NOVERDICT, 0);
		got = ev_journal_find(j, &q);
		assert_non_null(got);
		assert_int_equal(got->pc, pc);
		assert_int_equal(got->line, (int)(pc & 0xff));
		assert_int_equal(got->verdict, EV_ACCEPTED);
	}
	q = mk(0x1005, EV_NOVERDICT, 0);
	q.mutant = "no-register-scan";
	assert_null(ev_journal_find(j, &q));
	q = mk(0x1005, EV_NOVERDICT, 0);
	q.arch = EV_RISCV64;
	assert_null(ev_journal_find(j, &q));
	q = mk(0x1005, EV_NOVERDICT, 0);
	q.hit = 2;
	assert_null(ev_journal_find(j, &q));
	q = mk(0x1005, EV_NOVERDICT, 0);
	q.action = EV_PREEMPT;
	assert_null(ev_journal_find(j, &q));
	q = mk(0x1005, EV_NOVERDICT, 0);
	q.func = "main.sum";
	assert_null(ev_journal_find(j, &q));
	q = mk(0x1005, EV_NOVERDICT, 0);
	q.workload = "regptr.go";
	assert_null(ev_journal_find(j, &q));
	q = mk(0x1000 + 3000, EV_NOVERDICT, 0);
	assert_null(ev_journal_find(j, &q));
	assert_int_equal(ev_journal_count(j), 3001);
	ev_journal_close(j);
}

static void test_summary_and_junit(void **state)
{
	char err[256], path[600];
	struct ev_journal *j = ev_journal_open(dir, 0, err, sizeof err);
	struct ev_result a = mk(0x1000, EV_ACCEPTED, 1),
			 b = mk(0x1004, EV_REJECTED, 1),
			 c = mk(0x1008, EV_ACCEPTED, 0),
			 d = mk(0x100c, EV_UNREACHED, 1);
	FILE *mem;
	char *buf = NULL;
	size_t len = 0;
	const char *x;
	(void)state;
	ev_journal_append(j, &a);
	ev_journal_append(j, &b);
	ev_journal_append(j, &c);
	ev_journal_append(j, &d);
	mem = open_memstream(&buf, &len);
	ev_journal_summary(j, mem);
	fclose(mem);
	assert_non_null(strstr(buf, "main.push"));
	assert_non_null(strstr(buf, "preempt-gc"));
	assert_non_null(strstr(buf, "       2        1         1      1\n"));
	free(buf);
	snprintf(path, sizeof path, "%s/junit.xml", dir);
	{
		const double secs[4] = {0.5, 0.25, 0.125, 0};
		const struct ev_junit_opts jo = {secs, "2026-12-01T19:00:00",
						 "OUT"};
		assert_int_equal(
		    ev_journal_write_junit(j, path, &jo, err, sizeof err), 0);
	}
	x = slurp(path);
	assert_non_null(strstr(x, "<testsuites name=\"everypc\" tests=\"4\" "
				  "failures=\"1\" errors=\"0\" skipped=\"1\" "
				  "time=\"0.875\">"));
	/* one suite per arch x workload x function, with its counts */
	assert_non_null(strstr(x, "<testsuite name=\"arm64 list.go main.push\" "
				  "tests=\"4\" failures=\"1\" errors=\"0\" "
				  "skipped=\"1\" time=\"0.875\" timestamp=\""
				  "2026-12-01T19:00:00\">"));
	/* no stray ".go." in the class name */
	assert_non_null(strstr(x,
			       "<testcase classname=\"arm64.list\" name=\""
			       "main.push+0 preempt-gc h1\" time=\"0.500\">"));
	assert_non_null(strstr(
	    x, "<failure type=\"liveness\" message=\"liveness: x3 = "
	       "0x2000000010 &lt;freed&gt; &quot;q&quot;\">x3 = 0x2000000010 "
	       "&lt;freed&gt; &quot;q&quot;\nscenario: OUT/scenarios/arm64-"
	       "list.go-main.push+8-preempt-gc-h1.json\nreplay: everypc "
	       "replay OUT/scenarios/arm64-list.go-main.push+8-preempt-gc-"
	       "h1.json</failure>"));
	assert_non_null(strstr(x, "<skipped message=\"unreached\"/>"));
	ev_journal_close(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_append_resume_torn),
	    cmocka_unit_test(test_clobber_round_trip),
	    cmocka_unit_test(test_states_round_trip),
	    cmocka_unit_test(test_line_is_deterministic),
	    cmocka_unit_test(test_malformed_journal),
	    cmocka_unit_test(test_summary_and_junit),
	    cmocka_unit_test(test_find_by_key),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
