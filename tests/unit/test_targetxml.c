/*
 * test_targetxml.c -- unit tests of rig/targetxml.c and the register tables
 * (rig/regs*.c) against the target descriptions captured from QEMU 7.2 in
 * tests/rsp/<qemu arch>/, plus malformed descriptions held in memory.
 */
/* cmocka needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regs.h"
#include "targetxml.h"

static void load(struct tdesc *td, const char *qarch)
{
	struct rsp_error err;
	char dir[512];
	snprintf(dir, sizeof dir, "%s/%s", EVERYPC_RSP_DATA, qarch);
	if (tdesc_parse(td, "target.xml", tdesc_fetch_dir, dir, &err) < 0)
		fail_msg("%s", err.msg);
}

static void check_table(struct tdesc *td, const char *arch)
{
	struct rsp_error err;
	const struct rig_regs *rr = rig_regs_find(arch);
	assert_non_null(rr);
	if (rig_regs_check(rr, td, &err) < 0)
		fail_msg("%s", err.msg);
}

static void test_amd64(void **state)
{
	(void)state;
	struct tdesc td;
	load(&td, "x86_64");
	assert_string_equal(td.arch, "i386:x86-64");
	assert_int_equal(td.nregs, 66);
	const struct tdesc_reg *rip = tdesc_find(&td, "rip");
	assert_non_null(rip);
	assert_int_equal(rip->regnum, 16);
	assert_int_equal(rip->offset, 128);
	assert_int_equal(rip->size, 8);
	assert_string_equal(rip->type, "code_ptr");
	const struct tdesc_reg *ef = tdesc_find(&td, "eflags");
	assert_int_equal(ef->offset, 136);
	assert_int_equal(ef->size, 4);
	const struct tdesc_reg *st0 = tdesc_find(&td, "st0");
	assert_int_equal(st0->size, 10);
	assert_int_equal(td.g_size, 608); /* QEMU's g reply: all of them */
	assert_ptr_equal(tdesc_find_regnum(&td, 7), tdesc_find(&td, "rsp"));
	assert_null(tdesc_find(&td, "x0"));
	check_table(&td, "amd64");
	tdesc_free(&td);
}

static void test_arm64(void **state)
{
	(void)state;
	struct tdesc td;
	load(&td, "aarch64");
	assert_string_equal(td.arch, "aarch64");
	const struct tdesc_reg *pc = tdesc_find(&td, "pc");
	assert_int_equal(pc->regnum, 32);
	assert_int_equal(pc->offset, 256);
	const struct tdesc_reg *cpsr = tdesc_find(&td, "cpsr");
	assert_int_equal(cpsr->size, 4);
	assert_true(tdesc_in_g(cpsr, 268)); /* QEMU's g: core only */
	const struct tdesc_reg *z0 = tdesc_find(&td, "z0");
	assert_non_null(z0);
	assert_false(tdesc_in_g(z0, 268));
	assert_string_equal(z0->feature, "org.gnu.gdb.aarch64.sve");
	check_table(&td, "arm64");
	tdesc_free(&td);
}

static void test_riscv64(void **state)
{
	(void)state;
	struct tdesc td;
	load(&td, "riscv64");
	assert_string_equal(td.arch, "riscv:rv64");
	assert_int_equal(tdesc_find(&td, "pc")->regnum, 32);
	assert_int_equal(tdesc_find(&td, "pc")->offset, 256);
	assert_int_equal(tdesc_find(&td, "ra")->regnum, 1);
	assert_int_equal(tdesc_find(&td, "ft0")->regnum, 33);
	assert_false(tdesc_in_g(tdesc_find(&td, "ft0"), 264));
	check_table(&td, "riscv64");
	/* the wrong table is refused */
	struct rsp_error err;
	assert_int_equal(rig_regs_check(rig_regs_find("arm64"), &td, &err), -1);
	assert_non_null(strstr(err.msg, "riscv:rv64"));
	assert_null(rig_regs_find("mips"));
	tdesc_free(&td);
}

/* ---- in-memory descriptions ---------------------------------------------- */

struct memfile {
	const char *name, *text;
};
static const struct memfile *files;

static int fetch_mem(void *ctx, const char *name, char **data, size_t *len,
		     struct rsp_error *err)
{
	(void)ctx;
	for (const struct memfile *f = files; f->name; f++)
		if (strcmp(f->name, name) == 0) {
			*len = strlen(f->text);
			*data = malloc(*len + 1);
			memcpy(*data, f->text, *len + 1);
			return 0;
		}
	return rsp_fail(err, RSP_E_STUB, "no such file");
}

static int parse_mem(const struct memfile *fs, struct tdesc *td,
		     struct rsp_error *err)
{
	files = fs;
	return tdesc_parse(td, "target.xml", fetch_mem, NULL, err);
}

static void expect_error(const struct memfile *fs, const char *what)
{
	struct tdesc td;
	struct rsp_error err;
	assert_int_equal(parse_mem(fs, &td, &err), -1);
	if (!strstr(err.msg, what))
		fail_msg("error '%s' does not mention '%s'", err.msg, what);
	assert_null(td.regs);
}

static void test_sequential_and_explicit_regnums(void **state)
{
	(void)state;
	const struct memfile fs[] = {
	    {"target.xml",
	     "<target><architecture>toy</architecture>"
	     "<feature name='a'><reg name='r0' bitsize='32'/>"
	     "<reg name='r1' bitsize='64' group='general'/></feature>"
	     "<xi:include href='b.xml'/>"
	     "<feature name='c'><reg name='r9' bitsize='8'/></feature>"
	     "</target>"},
	    {"b.xml", "<feature name='b'><reg name='f5' bitsize='128' "
		      "regnum='5' type='vec'/><reg name='f6' "
		      "bitsize='16'/></feature>"},
	    {NULL, NULL},
	};
	struct tdesc td;
	struct rsp_error err;
	assert_int_equal(parse_mem(fs, &td, &err), 0);
	assert_string_equal(td.arch, "toy");
	assert_int_equal(td.nregs, 5);
	const char *order[] = {"r0", "r1", "f5", "f6", "r9"};
	unsigned nums[] = {0, 1, 5, 6, 7};
	size_t offs[] = {0, 4, 12, 28, 30};
	for (int i = 0; i < 5; i++) {
		assert_string_equal(td.regs[i].name, order[i]);
		assert_int_equal(td.regs[i].regnum, nums[i]);
		assert_int_equal(td.regs[i].offset, offs[i]);
	}
	assert_int_equal(td.g_size, 31);
	assert_string_equal(tdesc_find(&td, "f5")->feature, "b");
	assert_string_equal(tdesc_find(&td, "f5")->type, "vec");
	assert_string_equal(tdesc_find(&td, "r1")->group, "general");
	assert_null(tdesc_find_regnum(&td, 2));
	tdesc_free(&td);
}

static void test_malformed(void **state)
{
	(void)state;
	const struct memfile bad_xml[] = {
	    {"target.xml", "<target>\n  <reg name='a' bitsize='8'>\n</target>"},
	    {NULL, NULL}};
	expect_error(bad_xml, "target.xml:3:");
	const struct memfile no_name[] = {
	    {"target.xml", "<target><reg bitsize='8'/></target>"},
	    {NULL, NULL}};
	expect_error(no_name, "target.xml:1:9: <reg> needs name");
	const struct memfile bits[] = {
	    {"target.xml", "<target><reg name='a' bitsize='12'/></target>"},
	    {NULL, NULL}};
	expect_error(bits, "multiple of 8");
	const struct memfile bits2[] = {
	    {"target.xml", "<target><reg name='a' bitsize='-8'/></target>"},
	    {NULL, NULL}};
	expect_error(bits2, "multiple of 8");
	const struct memfile dup[] = {
	    {"target.xml", "<target><reg name='a' bitsize='8' regnum='3'/>"
			   "<reg name='b' bitsize='8' regnum='3'/></target>"},
	    {NULL, NULL}};
	expect_error(dup, "share regnum 3");
	const struct memfile missing[] = {
	    {"target.xml", "<target><xi:include href='nope.xml'/></target>"},
	    {NULL, NULL}};
	expect_error(missing, "nope.xml");
	const struct memfile cycle[] = {
	    {"target.xml", "<target><xi:include href='a.xml'/></target>"},
	    {"a.xml", "<feature><xi:include href='a.xml'/></feature>"},
	    {NULL, NULL}};
	expect_error(cycle, "a.xml:1:10: include cycle");
	const struct memfile bad_inc[] = {
	    {"target.xml", "<target><xi:include href='a.xml'/></target>"},
	    {"a.xml", "<feature><reg name='x' bitsize='8'></feature>"},
	    {NULL, NULL}};
	expect_error(bad_inc, "a.xml:1:");
	const struct memfile empty[] = {{"target.xml", ""}, {NULL, NULL}};
	expect_error(empty, "target.xml:");
	const struct memfile none[] = {{"target.xml", "<target/>"},
				       {NULL, NULL}};
	expect_error(none, "no registers");
	char longname[200];
	memset(longname, 'n', sizeof longname);
	snprintf(longname, sizeof longname,
		 "<target><reg name='%0120d' bitsize='8'/></target>", 0);
	const struct memfile lng[] = {{"target.xml", longname}, {NULL, NULL}};
	expect_error(lng, "too long");
}

static void test_dir_fetch_refuses_paths(void **state)
{
	(void)state;
	char *d;
	size_t n;
	struct rsp_error err;
	assert_int_equal(tdesc_fetch_dir((void *)EVERYPC_RSP_DATA,
					 "../x86_64/target.xml", &d, &n, &err),
			 -1);
	assert_non_null(strstr(err.msg, "refusing"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_amd64),
	    cmocka_unit_test(test_arm64),
	    cmocka_unit_test(test_riscv64),
	    cmocka_unit_test(test_sequential_and_explicit_regnums),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_dir_fetch_refuses_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
