/* test_didyoumean.c -- edit distance and the nearest name. */
/* cmocka needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "didyoumean.h"

static void test_distance(void **state)
{
	char longer[80];
	(void)state;
	assert_int_equal(ev_edit_distance("", ""), 0);
	assert_int_equal(ev_edit_distance("sweep", "sweep"), 0);
	assert_int_equal(ev_edit_distance("swep", "sweep"), 1);	  /* insert */
	assert_int_equal(ev_edit_distance("sweeep", "sweep"), 1); /* delete */
	assert_int_equal(ev_edit_distance("swaep", "sweep"), 1);  /* change */
	assert_int_equal(ev_edit_distance("swepe", "sweep"), 1);  /* swap */
	assert_int_equal(ev_edit_distance("", "list"), 4);
	assert_int_equal(ev_edit_distance("kitten", "sitting"), 3);
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = 0;
	assert_true(ev_edit_distance(longer, "a") == SIZE_MAX);
}

static void test_meant(void **state)
{
	static const char *const cmds[] = {
	    "sweep", "replay", "list", "merge", "chance", "help", "version"};
	static const char *const opts[] = {"--timeout", "--trace-rsp", "--jobs",
					   "--junit"};
	(void)state;
	assert_string_equal(ev_did_you_mean("swep", cmds, 7), "sweep");
	assert_string_equal(ev_did_you_mean("replya", cmds, 7), "replay");
	assert_string_equal(ev_did_you_mean("vers", cmds, 7), "version");
	assert_string_equal(ev_did_you_mean("lsit", cmds, 7), "list");
	assert_null(ev_did_you_mean("frobnicate", cmds, 7));
	assert_null(ev_did_you_mean("x", cmds, 7)); /* too short to judge */
	assert_null(ev_did_you_mean("", cmds, 7));
	/* a prefix of two, and far from both: no guess */
	assert_null(ev_did_you_mean("--j", opts, 4));
	assert_string_equal(ev_did_you_mean("--job", opts, 4), "--jobs");
	assert_string_equal(ev_did_you_mean("--timout", opts, 4), "--timeout");
	assert_null(ev_did_you_mean("--t", opts, 4)); /* a prefix of two */
	assert_null(ev_did_you_mean("anything", NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_distance),
	    cmocka_unit_test(test_meant),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
