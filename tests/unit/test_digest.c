/* test_digest.c -- the failure digest (digest.h): grouping by arch,
   workload, mutant, function and oracle in order of first case (DIG-1),
   each group spelt out with its first case (DIG-2's offsets), the cap on
   groups and the count of the rest, shell quoting of the replay command,
   one case's digest from its workload's source. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "source.h"
#include "suite.h"
#include "tmpdir.h"

static struct ev_report_row mk(const char *func, uint64_t off,
			       const char *check, const char *scenario)
{
	struct ev_report_row r = {0};

	r.res.arch = EV_ARM64;
	r.res.workload = "list.go";
	r.res.func = func;
	r.res.pc = 0x10000 + off;
	r.res.offset = off;
	r.res.file = "list.go";
	r.res.line = 17;
	r.res.hit = 1;
	r.res.action = EV_PREEMPT_GC;
	r.res.verdict = EV_ACCEPTED;
	r.res.pass = check == NULL;
	r.res.check = check;
	r.res.detail = check ? "x0 holds 0x4000a0, not scanned" : NULL;
	r.scenario = scenario;
	r.source = "l.items = append(l.items, v)";
	return r;
}

static char *digest(const struct ev_report_row *rows, size_t n, const char *dir,
		    size_t max)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ev_digest_print(f, rows, n, dir, max);
	fclose(f);
	return text;
}

static void test_groups(void **state)
{
	struct ev_report_row rows[] = {
	    mk("main.push", 4, NULL, NULL),
	    mk("main.push", 8, "liveness", "scenarios/a.json"),
	    mk("main.pop", 8, "liveness", "scenarios/b.json"),
	    mk("main.push", 12, "shrink", "scenarios/c.json"),
	    mk("main.push", 16, "liveness", "scenarios/d.json"),
	};
	struct ev_fail_group g[5];
	size_t of[5];
	char *t;
	(void)state;

	assert_int_equal(ev_fail_groups(rows, 5, g, of), 3);
	assert_int_equal(g[0].first, 1);
	assert_int_equal(g[0].count, 2);
	assert_int_equal(g[1].first, 2);
	assert_int_equal(g[2].first, 3);
	assert_int_equal(of[0], (size_t)-1);
	assert_int_equal(of[4], 0);
	rows[4].res.mutant = "no-scan"; /* another mutant: another group */
	assert_int_equal(ev_fail_groups(rows, 5, g, NULL), 4);
	rows[4].res.mutant = NULL;
	t = digest(rows, 5, "OUT", 20);
	assert_string_equal(
	    t, "4 failing cases in 3 groups (arch, workload, function, "
	       "oracle):\n"
	       "  arm64 list.go main.push: liveness, 2 cases\n"
	       "      at     main.push+8 (pc 0x10008) preempt-gc hit 1\n"
	       "      line   list.go:17  l.items = append(l.items, v)\n"
	       "      detail x0 holds 0x4000a0, not scanned\n"
	       "      replay everypc replay OUT/scenarios/a.json\n"
	       "  arm64 list.go main.pop: liveness, 1 case\n"
	       "      at     main.pop+8 (pc 0x10008) preempt-gc hit 1\n"
	       "      line   list.go:17  l.items = append(l.items, v)\n"
	       "      detail x0 holds 0x4000a0, not scanned\n"
	       "      replay everypc replay OUT/scenarios/b.json\n"
	       "  arm64 list.go main.push: shrink, 1 case\n"
	       "      at     main.push+12 (pc 0x1000c) preempt-gc hit 1\n"
	       "      line   list.go:17  l.items = append(l.items, v)\n"
	       "      detail x0 holds 0x4000a0, not scanned\n"
	       "      replay everypc replay OUT/scenarios/c.json\n");
	free(t);
	t = digest(rows, 5, "OUT", 1);
	assert_non_null(strstr(t, "  ... and 2 more groups (2 cases): all in "
				  "OUT/report.html\n"));
	assert_null(strstr(t, "main.pop"));
	free(t);
	t = digest(rows, 1, "OUT", 20); /* no failure: nothing */
	assert_string_equal(t, "");
	free(t);
}

static void test_replay_quoting(void **state)
{
	struct ev_report_row r =
	    mk("main.push", 8, "x", "scenarios/a b's.json");
	char cmd[256];
	(void)state;

	ev_replay_command(&r, "my out", cmd, sizeof cmd);
	assert_string_equal(cmd,
			    "everypc replay 'my out/scenarios/a b'\\''s.json'");
	r.scenario = "scenarios/amd64-list.go-main.push+8-preempt-h1.json";
	ev_replay_command(&r, NULL, cmd, sizeof cmd);
	assert_string_equal(
	    cmd, "everypc replay "
		 "scenarios/amd64-list.go-main.push+8-preempt-h1.json");
}

/* One case: the source line read from the workload, only for its own
   file. */
static void test_one(void **state)
{
	char *text = NULL, go[600];
	struct ev_report_row r = mk("main.push", 8, "liveness", NULL);
	size_t len = 0;
	FILE *f;
	(void)state;

	assert_int_equal(tmpdir_make("digest"), 0);
	snprintf(go, sizeof go, "%s/w.go", dir);
	f = fopen(go, "w");
	fputs("package main\n\n\tx := 1   \n", f);
	fclose(f);
	r.res.file = "w.go";
	r.res.line = 3;
	f = open_memstream(&text, &len);
	ev_digest_one(f, &r.res, "s.json", go);
	fclose(f);
	assert_non_null(strstr(text, "      line   w.go:3  x := 1\n"));
	assert_non_null(strstr(text, "      replay everypc replay s.json\n"));
	free(text);
	r.res.file = "other.go"; /* not the workload's: no text */
	f = open_memstream(&text, &len);
	ev_digest_one(f, &r.res, "s.json", go);
	fclose(f);
	assert_non_null(strstr(text, "      line   other.go:3\n"));
	free(text);
	tmpdir_remove();
}

static void test_sources(void **state)
{
	struct ev_sources *s = ev_sources_new();
	(void)state;

	assert_null(ev_source_line(s, "/nonexistent/x.go", 1));
	assert_null(ev_source_line(NULL, "/etc/hostname", 1));
	assert_null(ev_source_line(s, __FILE__, 0));
	assert_null(ev_source_line(s, __FILE__, 100000));
	assert_string_equal(
	    ev_source_line(s, __FILE__, 1),
	    "/* test_digest.c -- the failure digest (digest.h): "
	    "grouping by arch,");
	ev_sources_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_groups),
	    cmocka_unit_test(test_replay_quoting),
	    cmocka_unit_test(test_one),
	    cmocka_unit_test(test_sources),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
