/*
 * test_elfmeta.c -- tests of the metadata reader (runtime/meta) on the
 * guest ELF built by the back-end guest test (argument 1, the CTest fixture
 * gosub_elf_<arch>):
 *   - the decoded tables match what tests/guest/irprogs.c built (values,
 *     hand-written liveness, globals, stack objects, symbols, build-id);
 *   - consistency (EM-3, META-2/5/6): functions sorted and contiguous, every
 *     PC of every function covered by exactly one oracle record, unsafe
 *     ranges inside functions, function symbols agree with the table;
 *   - corrupted copies (bad magic/version/arch, out-of-range pointers and
 *     counts, unsorted tables, truncation, garbage, byte flips) are rejected
 *     with a message, never a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "elfmeta.h"
#include "emit.h"
#include "everypc/abi.h"
#include "everypc/meta.h"

static const char *elf_path;
static uint8_t *image;
static size_t image_len;

static int load_image(void **state)
{
	(void)state;
	FILE *f = fopen(elf_path, "rb");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	image_len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	image = malloc(image_len);
	if (!image || fread(image, 1, image_len, f) != image_len)
		return -1;
	fclose(f);
	return 0;
}

static int free_image(void **state)
{
	(void)state;
	free(image);
	return 0;
}

static struct elfmeta *open_good(void)
{
	char err[256];
	struct elfmeta *m = NULL;
	if (elfmeta_open(elf_path, &m, err, sizeof err))
		fail_msg("%s", err);
	return m;
}

static const struct elfmeta_func *func_named(const struct elfmeta *m,
					     const char *name)
{
	for (size_t i = 0; i < m->nfuncs; i++)
		if (!strcmp(m->funcs[i].name, name))
			return &m->funcs[i];
	fail_msg("no function %s", name);
	return NULL;
}

/* ---- decoded values ------------------------------------------------------ */

static void test_decodes_program(void **state)
{
	(void)state;
	struct elfmeta *m = open_good();
	const struct elfmeta_func *f = func_named(m, "main.main");
	assert_true(f->flags & EP_FUNC_MAIN_MAIN);
	assert_string_equal(m->source_file, "irprogs.go");
	assert_int_equal(m->build_id_len, 20);
	f = func_named(m, "main.sum3");
	assert_int_equal(f->args_size, 32);
	assert_int_equal(f->frame_size, 16);
	assert_false(func_named(m, "main.fib")->flags & EP_FUNC_MAIN_MAIN);
	assert_int_equal(func_named(m, "main.fib")->ncallsites, 2);
	assert_int_equal(func_named(m, "main.bigframe")->frame_size, 12000);
	f = func_named(m, "main.t_mem");
	assert_int_equal(f->nstackobjs, 1);
	assert_int_equal(f->stackobjs[0].off, 32);
	assert_int_equal(f->stackobjs[0].size, 32);
	/* globals: g1 = {42, 7, 0, 0}, g2 a pointer word */
	assert_int_equal(m->globals_size, 40);
	assert_int_equal(m->globals_init[0], 42);
	assert_int_equal(m->globals_init[8], 7);
	assert_true(ep_bit(m->globals_ptrmask, 4));
	assert_false(ep_bit(m->globals_ptrmask, 0));
	assert_int_equal(m->globals_start, elfmeta_symbol(m, "main.g1")->value);
	assert_int_equal(m->ntypes, 2);
	assert_string_equal(m->types[0].name, "main.pair");
	assert_int_equal(m->types[0].size, 16);
	assert_true(ep_bit(m->types[0].ptrmask, 1));
	assert_int_equal(m->types[1].size, 1600);
	elfmeta_close(m);
}

/* irprogs.c keeps the allocated pointer in abstract register 4 and spills
   it to word 2 around calls: the oracle and call-site maps must say so. */
static void test_liveness_tables(void **state)
{
	(void)state;
	struct elfmeta *m = open_good();
	const struct ir_target *t = be_by_arch(m->arch)->target;
	const struct elfmeta_func *f = func_named(m, "main.t_alloc");
	uint64_t reg = 1ull << t->gdbreg[4];
	int regrecs = 0, slotrecs = 0, maps = 0, gcatomic = 0;
	for (size_t i = 0; i < m->noracle; i++) {
		const struct elfmeta_oracle *o = &m->oracle[i];
		if (o->start < f->entry || o->start >= f->end)
			continue;
		assert_int_equal(o->regmask & ~reg, 0);
		regrecs += o->regmask == reg;
		slotrecs += o->nslots == 1 && o->slots[0] == 16;
	}
	for (uint32_t i = 0; i < f->ncallsites; i++)
		maps += ep_bit(f->callsites[i].ptrmask, 2);
	for (size_t i = 0; i < m->nunsafe; i++)
		gcatomic += m->unsafe[i].kind == EP_UNSAFE_GCATOMIC &&
			    m->unsafe[i].start >= f->entry &&
			    m->unsafe[i].end <= f->end;
	/* hand-built IR has no IR-6 liveness: nothing may be clobbered
	   (META-8) -- every register and word of the body counts as live */
	assert_true(m->clobber_regs != 0);
	assert_int_equal(m->clobber_regs & reg, reg);
	for (size_t i = 0; i < m->noracle; i++) {
		const struct elfmeta_oracle *o = &m->oracle[i];
		const struct elfmeta_unsafe *u = elfmeta_unsafe_at(m, o->start);
		if (o->start < f->entry || o->start >= f->end ||
		    (u && u->kind != EP_UNSAFE_GCATOMIC))
			continue;
		assert_int_equal(o->livemask, m->clobber_regs);
		assert_int_equal(o->nlive, f->frame_size / 8);
	}
	for (uint32_t i = 0; i < f->ncallsites; i++) {
		const struct elfmeta_oracle_call *oc =
		    elfmeta_oracle_call_at(m, f->callsites[i].retpc);
		assert_non_null(oc);
		assert_int_equal(oc->nlive, f->frame_size / 8);
	}
	assert_true(regrecs >= 5 * 2);
	assert_true(slotrecs >= 5 * 3);
	assert_true(maps >= 5 * 2 * 3);
	assert_int_equal(gcatomic, 5);
	elfmeta_close(m);
}

/* ---- consistency (c) ----------------------------------------------------- */

static void test_consistency(void **state)
{
	(void)state;
	char err[256];
	struct elfmeta *m = open_good();
	if (elfmeta_check(m, err, sizeof err))
		fail_msg("%s", err);
	for (size_t i = 0; i < m->nfuncs; i++) {
		const struct elfmeta_func *f = &m->funcs[i];
		const struct elfmeta_symbol *s = elfmeta_symbol(m, f->name);
		assert_non_null(s);
		assert_true(s->is_func);
		assert_int_equal(s->value, f->entry);
		assert_int_equal(s->size, f->end - f->entry);
		if (i + 1 < m->nfuncs)
			assert_int_equal(f->end, m->funcs[i + 1].entry);
		/* every byte of [entry, end) in exactly one record, by lookup
		 */
		const struct elfmeta_oracle *prev = NULL;
		for (uint64_t pc = f->entry; pc < f->end; pc++) {
			const struct elfmeta_oracle *o =
			    elfmeta_oracle_at(m, pc);
			assert_non_null(o);
			assert_true(o == prev || o->start == pc);
			prev = o;
		}
		assert_int_equal(prev->end, f->end);
		const struct elfmeta_unsafe *u = elfmeta_unsafe_at(m, f->entry);
		assert_non_null(u);
		assert_int_equal(u->kind, EP_UNSAFE_PROLOGUE);
		u = elfmeta_unsafe_at(m, f->end - 1); /* morestack block */
		assert_non_null(u);
		assert_int_equal(u->kind, EP_UNSAFE_PROLOGUE);
		assert_ptr_equal(elfmeta_func_at(m, f->end - 1), f);
	}
	for (size_t i = 0; i < m->nunsafe; i++) {
		const struct elfmeta_func *f =
		    elfmeta_func_at(m, m->unsafe[i].start);
		assert_non_null(f);
		assert_true(m->unsafe[i].end <= f->end);
	}
	elfmeta_close(m);
}

/* ---- corrupted inputs (a) ------------------------------------------------ */

/* The table headed by magic and its version (code may hold the magic as an
   immediate too). */
static size_t find(const char *magic)
{
	unsigned char v =
	    strcmp(magic, "EVPCORCL") ? EP_META_VERSION : EP_ORACLE_VERSION;
	for (size_t i = 0; i + 12 <= image_len; i += 8)
		if (!memcmp(image + i, magic, 8) && image[i + 8] == v &&
		    !memcmp(image + i + 9, "\0\0\0", 3))
			return i;
	fail_msg("magic %s not in the image", magic);
	return 0;
}

static uint64_t get64(const uint8_t *b)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static void put64(uint8_t *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> 8 * i);
}

/* Parse buf; expect failure with a message containing want. */
static void expect_reject(const uint8_t *buf, size_t len, const char *want)
{
	char err[256];
	struct elfmeta *m = NULL;
	int rc = elfmeta_from_memory(buf, len, "corrupt", &m, err, sizeof err);
	if (rc == 0)
		fail_msg("accepted a corrupt file (want '%s')", want);
	assert_null(m);
	if (!strstr(err, want))
		fail_msg("message '%s' lacks '%s'", err, want);
}

static uint8_t *copy(void)
{
	uint8_t *c = malloc(image_len);
	assert_non_null(c);
	memcpy(c, image, image_len);
	return c;
}

/* File offset of a module address (the tables share everypc_meta). */
static size_t meta_off(size_t mod, uint64_t addr)
{
	struct elfmeta *m = open_good();
	size_t off = mod + (size_t)(addr - m->module_addr);
	elfmeta_close(m);
	return off;
}

static void test_rejects_module(void **state)
{
	(void)state;
	size_t mod = find("EVPCMETA");
	uint8_t *c = copy();
	c[mod] ^= 1;
	expect_reject(c, image_len, "bad magic");
	memcpy(c, image, image_len);
	c[mod + 8] = 9;
	expect_reject(c, image_len, "version 9");
	memcpy(c, image, image_len);
	c[mod + 12] = c[mod + 12] == 1 ? 2 : 1;
	expect_reject(c, image_len, "does not match the ELF machine");
	memcpy(c, image, image_len);
	put64(c + mod + 16, 1ull << 40);
	expect_reject(c, image_len, "function count");
	memcpy(c, image, image_len);
	put64(c + mod + 24, 0x10);
	expect_reject(c, image_len, "function table");
	memcpy(c, image, image_len);
	put64(c + mod + 56, get64(c + mod + 56) + (1ull << 30));
	expect_reject(c, image_len, "unsafe table");
	memcpy(c, image, image_len);
	put64(c + mod + 72, 12); /* globals size not a word multiple */
	expect_reject(c, image_len, "globals size");
	free(c);
}

static void test_rejects_tables(void **state)
{
	(void)state;
	size_t mod = find("EVPCMETA");
	uint8_t *c = copy();
	size_t funcs = meta_off(mod, get64(image + mod + 24));
	size_t unsafe = meta_off(mod, get64(image + mod + 56));
	uint8_t rec[72];
	memcpy(rec, c + funcs, 72); /* swap functions 0 and 1 */
	memmove(c + funcs, c + funcs + 72, 72);
	memcpy(c + funcs + 72, rec, 72);
	expect_reject(c, image_len, "not sorted");
	memcpy(c, image, image_len);
	put64(c + funcs + 8, get64(c + funcs)); /* empty function */
	expect_reject(c, image_len, "empty range");
	memcpy(c, image, image_len);
	c[funcs + 24] = 24; /* frame size not a multiple of 16 */
	expect_reject(c, image_len, "bad frame size");
	memcpy(c, image, image_len);
	put64(c + funcs + 16, 0xdead0000); /* name pointer */
	expect_reject(c, image_len, "function name");
	memcpy(c, image, image_len);
	c[unsafe + 16] = 7; /* unsafe kind */
	expect_reject(c, image_len, "kind 7");
	memcpy(c, image, image_len);
	put64(c + unsafe + 24, get64(c + unsafe)); /* overlap range 0 */
	expect_reject(c, image_len, "unsafe ranges not sorted");
	free(c);
}

static void test_rejects_oracle(void **state)
{
	(void)state;
	size_t o = find("EVPCORCL");
	uint8_t *c = copy();
	c[o + 7] ^= 1;
	expect_reject(c, image_len, ".everypc_oracle: bad magic");
	memcpy(c, image, image_len);
	c[o + 15] = 0x7f; /* nrecs */
	expect_reject(c, image_len, "do not fit");
	memcpy(c, image, image_len);
	c[o + 19] = 0x7f; /* ncalls */
	expect_reject(c, image_len, "do not fit");
	memcpy(c, image, image_len);
	const size_t H = EP_ORACLE_HEAD, R = EP_ORACLE_REC;
	put64(c + o + H + R, get64(c + o + H)); /* rec 1 starts at rec 0 */
	expect_reject(c, image_len, "oracle records not sorted");
	memcpy(c, image, image_len);
	uint32_t n = (uint32_t)(c[o + 12] | c[o + 13] << 8 | c[o + 14] << 16);
	/* a live register outside the clobber mask */
	put64(c + o + H + R * (n - 1) + 24, ~get64(c + o + 24));
	expect_reject(c, image_len, "outside the clobber mask");
	memcpy(c, image, image_len);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *r = c + o + H + R * i;
		if (r[36]) { /* a record with slots: point them away */
			r[32] = 0xf0;
			r[33] = r[34] = r[35] = 0xff;
			break;
		}
	}
	expect_reject(c, image_len, "outside the section");
	memcpy(c, image, image_len);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *r = c + o + H + R * i;
		if (r[44]) { /* a record with live slots: point them away */
			r[40] = 0xf0;
			r[41] = r[42] = r[43] = 0xff;
			break;
		}
	}
	expect_reject(c, image_len, "outside the section");
	memcpy(c, image, image_len);
	uint8_t *call0 = c + o + H + R * n;
	put64(call0 + EP_ORACLE_CALL, get64(call0)); /* call 1 at call 0's */
	expect_reject(c, image_len, "oracle call sites not sorted");
	free(c);
}

static void test_rejects_garbage(void **state)
{
	(void)state;
	uint8_t *c = copy();
	size_t lens[] = {0, 1, 16, 63, 64, 1000, image_len / 2, image_len - 1};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		char err[256];
		struct elfmeta *m = NULL;
		assert_int_equal(elfmeta_from_memory(image, lens[i], "trunc",
						     &m, err, sizeof err),
				 -1);
		assert_true(err[0] != 0);
	}
	for (size_t i = 0; i < image_len; i++)
		c[i] = (uint8_t)(i * 131 + 7);
	expect_reject(c, image_len, "ELF");
	free(c);
}

/* Flip every byte of the module header and the first function entries:
   each copy is either read (and then consistent lookups work) or
   rejected -- never a crash. */
static void test_byte_flips(void **state)
{
	(void)state;
	size_t mod = find("EVPCMETA");
	size_t funcs = meta_off(mod, get64(image + mod + 24));
	uint8_t *c = copy();
	size_t spans[2][2] = {{mod, 104}, {funcs, 3 * 72}};
	for (int s = 0; s < 2; s++)
		for (size_t i = spans[s][0]; i < spans[s][0] + spans[s][1];
		     i++) {
			char err[256];
			struct elfmeta *m = NULL;
			c[i] ^= 0xa5;
			if (!elfmeta_from_memory(c, image_len, "flip", &m, err,
						 sizeof err)) {
				(void)elfmeta_check(m, err, sizeof err);
				elfmeta_close(m);
			}
			c[i] = image[i];
		}
	free(c);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decodes_program),
	    cmocka_unit_test(test_liveness_tables),
	    cmocka_unit_test(test_consistency),
	    cmocka_unit_test(test_rejects_module),
	    cmocka_unit_test(test_rejects_tables),
	    cmocka_unit_test(test_rejects_oracle),
	    cmocka_unit_test(test_rejects_garbage),
	    cmocka_unit_test(test_byte_flips),
	};
	if (argc != 2) {
		fprintf(stderr, "usage: test_elfmeta GUEST.elf\n");
		return 1;
	}
	elf_path = argv[1];
	return cmocka_run_group_tests(tests, load_image, free_image);
}
