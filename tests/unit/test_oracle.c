/* test_oracle.c -- the rig's heap view and oracle checks against a fake
   guest memory laid out as the layout descriptor says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "everypc/abi.h"
#include "oracle.h"

#define ARENA 0x2000000000ull
#define PAGE 8192ull
#define SPANS 0x500000ull
#define STACK 0x3000000000ull

/* Fake guest: arena of 4 pages, a span table of 4 entries (base u64,
   slot u32, nslots u32), and one stack page. */
static uint8_t arena[4 * 8192], spans[4 * 16], stack[4096];

static int fake_read(void *ctx, uint64_t addr, void *buf, size_t n)
{
	(void)ctx;
	if (addr >= ARENA && addr + n <= ARENA + sizeof arena)
		memcpy(buf, arena + (addr - ARENA), n);
	else if (addr >= SPANS && addr + n <= SPANS + sizeof spans)
		memcpy(buf, spans + (addr - SPANS), n);
	else if (addr >= STACK && addr + n <= STACK + sizeof stack)
		memcpy(buf, stack + (addr - STACK), n);
	else
		return -1;
	return 0;
}

static void put64(uint8_t *p, uint64_t v)
{
	int i;
	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static struct everypc_layout L;
static struct ev_mem M = {fake_read, NULL};

static int setup(void **state)
{
	(void)state;
	memset(&L, 0, sizeof L);
	L.magic = EVERYPC_LAYOUT_MAGIC;
	L.version = EVERYPC_RIG_VERSION;
	L.arena_base = ARENA;
	L.arena_size = 4 * PAGE;
	L.page_size = PAGE;
	L.spans_addr = SPANS;
	L.nspans = 4;
	L.span_entry_size = 16;
	L.span_off_base = 0;
	L.span_off_slot_size = 8;
	L.span_off_nslots = 12;
	L.header_size = 8;
	L.header_state_mask = 0xff;
	L.header_allocated = EP_OBJ_ALLOCATED;
	L.header_free = EP_OBJ_FREE;
	L.stack_base = STACK;
	L.stack_area = 0x100000;
	memset(arena, 0, sizeof arena);
	memset(spans, 0, sizeof spans);
	/* page 0: 32-byte slots, 256 of them; page 1 unused (slot 0) */
	put64(spans + 0, ARENA);
	spans[8] = 32;
	spans[12] = 0;
	spans[13] = 1; /* nslots 256 */
	put64(arena + 0, EP_OBJ_HEADER(1, EP_OBJ_ALLOCATED));
	put64(arena + 32, EP_OBJ_HEADER(1, EP_OBJ_FREE));
	put64(arena + 64, EP_OBJ_HEADER(2, EP_OBJ_ALLOCATED));
	return 0;
}

static void test_layout_check(void **state)
{
	char err[128];
	struct everypc_layout bad = L;
	(void)state;
	assert_int_equal(ev_layout_check(&L, err, sizeof err), 0);
	bad.magic = 1;
	assert_int_equal(ev_layout_check(&bad, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad magic"));
	bad = L;
	bad.nspans = 3;
	assert_int_equal(ev_layout_check(&bad, err, sizeof err), -1);
}

static void test_classify(void **state)
{
	enum ev_ptr_kind k;
	struct ev_objinfo oi;
	(void)state;
	assert_int_equal(ev_classify(&L, &M, ARENA + 8, &k, &oi), 0);
	assert_int_equal(k, EV_PTR_HEAP_LIVE);
	assert_int_equal(oi.base, ARENA);
	assert_int_equal(ev_classify(&L, &M, ARENA + 64 + 8 + 16, &k, &oi), 0);
	assert_int_equal(k, EV_PTR_HEAP_LIVE); /* interior pointer */
	assert_int_equal(oi.base, ARENA + 64);
	ev_classify(&L, &M, ARENA + 40, &k, &oi);
	assert_int_equal(k, EV_PTR_HEAP_FREE);
	ev_classify(&L, &M, ARENA + 96, &k, &oi); /* never-used slot: header 0 */
	assert_int_equal(k, EV_PTR_HEAP_BAD);
	ev_classify(&L, &M, ARENA + 32, &k, &oi); /* the header word itself */
	assert_int_equal(k, EV_PTR_HEAP_BAD);
	ev_classify(&L, &M, ARENA + PAGE + 8, &k, &oi); /* page without span */
	assert_int_equal(k, EV_PTR_HEAP_NOSPAN);
	ev_classify(&L, &M, 0, &k, &oi);
	assert_int_equal(k, EV_PTR_NONE);
	ev_classify(&L, &M, 12345, &k, &oi);
	assert_int_equal(k, EV_PTR_NONE);
	ev_classify(&L, &M, STACK + 100, &k, &oi);
	assert_int_equal(k, EV_PTR_STACK);
}

static void test_liveness(void **state)
{
	char d[256];
	struct ev_liveloc ok[] = {{"x9", ARENA + 8}, {"sp+16", 0}};
	struct ev_liveloc bad[] = {{"x9", ARENA + 8}, {"x10", ARENA + 40}};
	uint8_t mask[1] = {0x2}; /* word 1 of the stack object is a pointer */
	struct ev_stackobj_view obj = {32, 16, mask};
	struct ev_liveloc viaobj[] = {{"x3", STACK + 1024 + 32}};
	(void)state;
	assert_int_equal(ev_check_liveness(&L, &M, ok, 2, STACK + 1024, NULL, 0,
					   d, sizeof d),
			 1);
	assert_int_equal(ev_check_liveness(&L, &M, bad, 2, STACK + 1024, NULL, 0,
					   d, sizeof d),
			 0);
	assert_string_equal(d, "x10 = 0x2000000028: live pointer to an object "
			       "that is freed after the GC (header 0x100f1 at "
			       "0x2000000020)");
	put64(stack + 1024 + 32 + 8, ARENA + 72);
	assert_int_equal(ev_check_liveness(&L, &M, viaobj, 1, STACK + 1024, &obj,
					   1, d, sizeof d),
			 1);
	put64(stack + 1024 + 32 + 8, ARENA + 40);
	assert_int_equal(ev_check_liveness(&L, &M, viaobj, 1, STACK + 1024, &obj,
					   1, d, sizeof d),
			 0);
	assert_non_null(strstr(d, "x3 -> stack object sp+32 word 1 = "
				  "0x2000000028"));
}

static void test_regs(void **state)
{
	uint64_t a[3] = {1, 2, 3}, b[3] = {1, 2, 4};
	uint8_t skip[3] = {0, 0, 1};
	const char *names[] = {"x0", "x1", "x27"};
	char d[128];
	(void)state;
	assert_int_equal(ev_check_regs(a, a, NULL, names, 3, d, sizeof d), 1);
	assert_int_equal(ev_check_regs(a, b, skip, names, 3, d, sizeof d), 1);
	assert_int_equal(ev_check_regs(a, b, NULL, names, 3, d, sizeof d), 0);
	assert_string_equal(d, "register x27 changed across the action: 0x3 "
			       "before, 0x4 after");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_layout_check, setup),
		cmocka_unit_test_setup(test_classify, setup),
		cmocka_unit_test_setup(test_liveness, setup),
		cmocka_unit_test_setup(test_regs, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
