/* test_json.c -- the position-tracking JSON reader and deterministic writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "json.h"

static struct jv *parse(const char *s, char *err, size_t errlen)
{
	return jv_parse(s, strlen(s), "t.json", err, errlen);
}

static void test_values_and_positions(void **state)
{
	char err[256];
	struct jv *v =
	    parse("{\n  \"arch\": \"arm64\",\n  \"hits\": [1, -2, 3],\n"
		  "  \"ok\": true, \"none\": null\n}",
		  err, sizeof err);
	const struct jv *a, *h;
	(void)state;
	assert_non_null(v);
	a = jv_get(v, "arch");
	assert_non_null(a);
	assert_int_equal(a->kind, JV_STR);
	assert_string_equal(a->s, "arm64");
	assert_int_equal(a->line, 2);
	assert_int_equal(a->col, 11);
	h = jv_get(v, "hits");
	assert_int_equal(h->kind, JV_ARR);
	assert_int_equal(h->n, 3);
	assert_int_equal(h->items[1]->i, -2);
	assert_int_equal(h->items[2]->line, 3);
	assert_int_equal(jv_get(v, "ok")->i, 1);
	assert_int_equal(jv_get(v, "none")->kind, JV_NULL);
	assert_null(jv_get(v, "missing"));
	jv_free(v);
}

static void test_strings(void **state)
{
	char err[256];
	struct jv *v =
	    parse("\"a\\\"b\\\\c\\n\\u00e9\\u0041\"", err, sizeof err);
	(void)state;
	assert_non_null(v);
	assert_string_equal(v->s, "a\"b\\c\n\xc3\xa9"
				  "A");
	jv_free(v);
}

static void expect_error(const char *text, const char *want)
{
	char err[256];
	struct jv *v = parse(text, err, sizeof err);
	assert_null(v);
	if (!strstr(err, want))
		fail_msg("input %s: error '%s' lacks '%s'", text, err, want);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("", "t.json:1:1: unexpected end of input");
	expect_error("{\"a\": 1,}", "t.json:1:9: expected a \"key\"");
	expect_error("{\"a\": 1, \"b\": {\"a\": 2}, \"a\": 3}",
		     "t.json:1:25: duplicate key \"a\"");
	expect_error("{\"a\" 1}", "expected ':' after key \"a\"");
	expect_error("[1 2]", "t.json:1:4: expected ',' or ']'");
	expect_error("\n\n  [1.5]", "t.json:3:5: only integer numbers");
	expect_error("99999999999999999999", "out of 64-bit range");
	expect_error("\"abc", "unterminated string");
	expect_error("\"a\\qb\"", "bad escape");
	expect_error("\"\\u0000\"", "not allowed");
	expect_error("tru", "unexpected character 't'");
	expect_error("{} x", "trailing characters");
	expect_error("01", "leading zero");
}

static void test_nul_and_depth(void **state)
{
	char err[256];
	char deep[200];
	(void)state;
	assert_null(jv_parse("[1,\n\0]", 6, "t.json", err, sizeof err));
	assert_non_null(strstr(err, "t.json:2:1: NUL byte"));
	memset(deep, '[', sizeof deep);
	assert_null(jv_parse(deep, sizeof deep, "t.json", err, sizeof err));
	assert_non_null(strstr(err, "nesting deeper than"));
}

static void test_every_prefix_is_safe(void **state)
{
	const char *doc =
	    "{\"a\": [1, {\"b\": \"x\\u0041\"}, true, null], \"c\": -5}";
	size_t n = strlen(doc), i;
	char err[256];
	(void)state;
	for (i = 0; i < n; i++) {
		struct jv *v = jv_parse(doc, i, "t.json", err, sizeof err);
		assert_null(v);
		assert_true(strncmp(err, "t.json:1:", 9) == 0);
	}
	jv_free(jv_parse(doc, n, "t.json", err, sizeof err));
}

static void test_writer_round_trip(void **state)
{
	struct jw w;
	char err[256];
	struct jv *v;
	(void)state;
	jw_init(&w);
	jw_obj_begin(&w);
	jw_str(&w, "arch", "riscv64");
	jw_hex(&w, "pc", 0x10abcULL);
	jw_int(&w, "hit", 3);
	jw_bool(&w, "ok", 0);
	jw_arr_begin(&w, "list");
	jw_int(&w, NULL, 1);
	jw_str(&w, NULL, "q\"\n");
	jw_arr_end(&w);
	jw_key_obj(&w, "inner");
	jw_null(&w, "z");
	jw_obj_end(&w);
	jw_obj_end(&w);
	assert_string_equal(
	    w.buf, "{\"arch\":\"riscv64\",\"pc\":\"0x10abc\",\"hit\":3,"
		   "\"ok\":false,\"list\":[1,\"q\\\"\\u000a\"],"
		   "\"inner\":{\"z\":null}}");
	v = jv_parse(w.buf, w.len, "w", err, sizeof err);
	assert_non_null(v);
	assert_string_equal(jv_get(v, "list")->items[1]->s, "q\"\n");
	jv_free(v);
	jw_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_values_and_positions),
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_nul_and_depth),
	    cmocka_unit_test(test_every_prefix_is_safe),
	    cmocka_unit_test(test_writer_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
