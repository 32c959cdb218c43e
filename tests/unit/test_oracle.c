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
#include "states.h"
#include "suite.h"

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
	ev_classify(&L, &M, ARENA + 96, &k,
		    &oi); /* never-used slot: header 0 */
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

/* Reachability (ev_check_reach): from a register root through an interior
   pointer into the stopped frame's stack object, on through an interior
   pointer into its caller's, to a heap object; a cycle; a pointer into the
   stack area outside the goroutine's stack. */
static void test_reach(void **state)
{
	char d[512];
	const char *check;
	uint8_t maskA[1] = {0x2}, maskB[1] = {0x1};
	struct ev_stackobj_view A = {32, 16, maskA}, B = {0, 16, maskB};
	struct ev_frame_view fr[2] = {{"main.f", STACK + 1024, &A, 1},
				      {"main.main", STACK + 2048, &B, 1}};
	struct ev_liveloc roots[] = {{"x3", STACK + 1024 + 32 + 8}};
	struct ev_reach r = {roots, 1, fr, 2, STACK, STACK + 4096};
	(void)state;
	memset(stack, 0, sizeof stack);
	put64(stack + 1024 + 32 + 8, STACK + 2048 + 8); /* A.1 -> inside B */
	put64(stack + 2048, ARENA + 40);		/* B.0 -> freed */
	assert_int_equal(ev_check_reach(&L, &M, &r, &check, d, sizeof d), 0);
	assert_string_equal(check, "liveness");
	assert_string_equal(
	    d, "x3 -> stack object of main.f at sp+32 word 1 -> stack object "
	       "of main.main at sp+0 word 0 = 0x2000000028: live pointer to an "
	       "object that is freed after the GC (header 0x100f1 at "
	       "0x2000000020)");
	put64(stack + 2048, ARENA + 8); /* B.0 -> a live object */
	assert_int_equal(ev_check_reach(&L, &M, &r, &check, d, sizeof d), 1);
	put64(stack + 2048, STACK + 1024 + 32); /* B.0 -> A: a cycle */
	assert_int_equal(ev_check_reach(&L, &M, &r, &check, d, sizeof d), 1);
	put64(stack + 2048, STACK + 8192); /* the stack area, not its stack */
	assert_int_equal(ev_check_reach(&L, &M, &r, &check, d, sizeof d), 0);
	assert_string_equal(check, "stackptr");
	assert_non_null(strstr(d, "main.main at sp+0 word 0 = 0x3000002000: "
				  "a pointer into the stack area, but not "
				  "into the goroutine's stack [0x3000000000, "
				  "0x3000001000)"));
	r.nframes =
	    1; /* without the caller, B is not an object: not followed */
	put64(stack + 2048, ARENA + 40);
	assert_int_equal(ev_check_reach(&L, &M, &r, &check, d, sizeof d), 1);
}

/* One frame: heap words checked, a nil word passed, a stack object's
   pointer word followed (ev_check_reach with the stopped frame only). */
static int live1(struct ev_liveloc *locs, size_t n,
		 const struct ev_stackobj_view *obj, char *d, size_t dlen)
{
	struct ev_frame_view fr = {"main.f", STACK + 1024, obj, obj ? 1 : 0};
	struct ev_reach r = {locs, n, &fr, 1, STACK, STACK + 4096};
	const char *check;
	int rc = ev_check_reach(&L, &M, &r, &check, d, dlen);
	if (rc == 0)
		assert_string_equal(check, "liveness");
	return rc;
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
	memset(stack, 0, sizeof stack);
	assert_int_equal(live1(ok, 2, NULL, d, sizeof d), 1);
	assert_int_equal(live1(bad, 2, NULL, d, sizeof d), 0);
	assert_string_equal(d, "x10 = 0x2000000028: live pointer to an object "
			       "that is freed after the GC (header 0x100f1 at "
			       "0x2000000020)");
	put64(stack + 1024 + 32 + 8, ARENA + 72);
	assert_int_equal(live1(viaobj, 1, &obj, d, sizeof d), 1);
	put64(stack + 1024 + 32 + 8, ARENA + 40);
	assert_int_equal(live1(viaobj, 1, &obj, d, sizeof d), 0);
	assert_non_null(strstr(d, "x3 -> stack object of main.f at sp+32 word "
				  "1 = 0x2000000028"));
}

static void test_regs(void **state)
{
	uint64_t a[4] = {1, 2, 3, 9}, b[4] = {1, 2, 4, 8};
	uint8_t all[4] = {1, 1, 1, 1}, no3[4] = {1, 1, 1, 0};
	const struct ev_regcmp cmp[] = {{0, "x0"}, {1, "x1"}, {2, "x27"}};
	const struct ev_regcmp only3[] = {{3, "pc"}};
	char d[128];
	(void)state;
	assert_int_equal(
	    ev_check_regs(a, all, a, all, cmp, 3, "w", d, sizeof d), 1);
	/* x27 is not in the compared set */
	assert_int_equal(
	    ev_check_regs(a, all, b, all, cmp, 2, "w", d, sizeof d), 1);
	assert_int_equal(
	    ev_check_regs(a, all, b, all, cmp, 3, "rejected", d, sizeof d), 0);
	assert_string_equal(
	    d, "rejected: x27 was 0x3 before the action, 0x4 after");
	/* a register not read on one side is not compared */
	assert_int_equal(
	    ev_check_regs(a, all, b, no3, only3, 1, "w", d, sizeof d), 1);
	assert_int_equal(
	    ev_check_regs(a, all, b, all, only3, 1, "w", d, sizeof d), 0);
	assert_string_equal(d, "w: pc was 0x9 before the action, 0x8 after");
}

static void test_stacks(void **state)
{
	struct ev_stack s = {0x1000, 0x3000}, moved = {0x5000, 0x7000},
			small = {0x6000, 0x7000};
	char d[256];
	(void)state;
	assert_int_equal(ev_check_stack_same(s, s, "x", d, sizeof d), 1);
	assert_int_equal(ev_check_stack_same(s, moved, "it moved", d, sizeof d),
			 0);
	assert_string_equal(d,
			    "it moved: [0x1000,0x3000) became [0x5000,0x7000)");
	/* a deferred shrink: the stack must be smaller, not only elsewhere */
	assert_int_equal(ev_check_deferred_shrink(s, small, "f", d, sizeof d),
			 1);
	assert_int_equal(
	    ev_check_deferred_shrink(s, moved, "main.f+4", d, sizeof d), 0);
	assert_string_equal(
	    d, "a shrink deferred while stopped asynchronously did "
	       "not happen at the next synchronous safe point "
	       "(main.f+4): stack still [0x5000,0x7000)");
	assert_int_equal(ev_check_deferred_shrink(s, s, "f", d, sizeof d), 0);
}

static void test_verdict(void **state)
{
	char d[256];
	(void)state;
	assert_int_equal(ev_check_verdict(EV_ACCEPTED, NULL, d, sizeof d), 1);
	assert_int_equal(ev_check_verdict(EV_REJECTED, "prologue", d, sizeof d),
			 1);
	assert_int_equal(ev_check_verdict(EV_ACCEPTED, "prologue", d, sizeof d),
			 0);
	assert_string_equal(
	    d, "accepted at a PC the metadata calls unsafe: prologue");
	assert_int_equal(ev_check_verdict(EV_REJECTED, NULL, d, sizeof d), 0);
	assert_string_equal(
	    d, "rejected at a PC the metadata calls an asynchronous "
	       "safe point");
	assert_int_equal(
	    ev_check_async_frame(0x10, 0x20, 0x10, 0x20, d, sizeof d), 1);
	assert_int_equal(
	    ev_check_async_frame(0x10, 0x28, 0x10, 0x20, d, sizeof d), 0);
	assert_string_equal(d,
			    "parked with async pc 0x10 sp 0x28, interrupted at "
			    "pc 0x10 sp 0x20");
}

static void test_answer(void **state)
{
	const struct ev_answer want = {1, "result", 0, 1, 42, ""};
	struct ev_answer got = want;
	const struct ev_answer refused = {
	    2, "refused", 1, 0, 0, "call not at safe point"};
	const struct ev_answer panicked = {3, "panicked", 0, 0, 0, "boom"};
	const char *r = "call not at safe point";
	char d[256];
	(void)state;
	assert_int_equal(
	    ev_check_answer("f(1)", NULL, r, &got, &want, d, sizeof d), 1);
	got.value = 41;
	assert_int_equal(
	    ev_check_answer("f(1)", NULL, r, &got, &want, d, sizeof d), 0);
	assert_string_equal(d, "call f(1) returned 41, the baseline call 42");
	assert_int_equal(
	    ev_check_answer("f(1)", NULL, r, &panicked, &want, d, sizeof d), 0);
	assert_string_equal(
	    d, "call f(1): panicked (boom), the baseline call gave result");
	assert_int_equal(ev_check_answer("f(1)", "epilogue", r, &refused, &want,
					 d, sizeof d),
			 1);
	assert_int_equal(
	    ev_check_answer("f(1)", "epilogue", r, &want, &want, d, sizeof d),
	    0);
	assert_string_equal(d, "call f(1) at a PC the metadata calls unsafe "
			       "(epilogue) was not refused: result 42");
	got = refused;
	got.msg = "call from within the Go runtime";
	assert_int_equal(
	    ev_check_answer("f(1)", "epilogue", r, &got, &want, d, sizeof d),
	    0);
	assert_string_equal(d,
			    "refused with \"call from within the Go runtime\", "
			    "expected \"call not at safe point\"");
}

static void test_freeze(void **state)
{
	const struct ev_gstate before[] = {{0x100, 1, 0x40, 0x900, 3},
					   {0x200, 2, 0x44, 0xa00, 3},
					   {0x300, 3, 0x48, 0xb00, 2}};
	struct ev_gstate after[3];
	char d[256];
	(void)state;
	memcpy(after, before, sizeof after);
	assert_int_equal(
	    ev_check_freeze(before, 3, after, 3, 0x300, d, sizeof d), 1);
	after[1].status = 1; /* woken by the call, not run: allowed */
	assert_int_equal(
	    ev_check_freeze(before, 3, after, 3, 0x300, d, sizeof d), 1);
	after[2].pc = 0x4c; /* the interrupted goroutine itself: skipped */
	assert_int_equal(
	    ev_check_freeze(before, 3, after, 3, 0x300, d, sizeof d), 1);
	after[0].pc = 0x50;
	assert_int_equal(
	    ev_check_freeze(before, 3, after, 3, 0x300, d, sizeof d), 0);
	assert_string_equal(d, "goroutine 1 advanced during the injected call "
			       "(status 3 pc 0x40 -> 3 0x50)");
	memcpy(after, before, sizeof after);
	after[1].status = 4; /* waiting -> anything but runnable: ran */
	assert_int_equal(
	    ev_check_freeze(before, 3, after, 3, 0x300, d, sizeof d), 0);
	/* a goroutine gone */
	assert_int_equal(
	    ev_check_freeze(before, 3, before, 1, 0x300, d, sizeof d), 0);
	assert_string_equal(d, "goroutine 2 advanced during the injected call "
			       "(status 3 pc 0x44 -> 0 0x0)");
}

static void test_outcome(void **state)
{
	const struct ev_outcome base = {0x1234, 0, 1};
	struct ev_outcome got = base;
	char d[256];
	(void)state;
	assert_int_equal(ev_check_outcome(got, base, "", d, sizeof d), 1);
	got.exit_status = 2;
	assert_int_equal(
	    ev_check_outcome(got, base, " sig11@0x40", d, sizeof d), 0);
	assert_string_equal(
	    d, "iteration ended with output hash 0000000000001234, "
	       "status 2, heap check 1; the baseline had "
	       "0000000000001234, 0, 1 sig11@0x40");
	got = base;
	got.heap = 0;
	assert_int_equal(ev_check_outcome(got, base, "", d, sizeof d), 0);
}

/* The stop states (STA-2): a register the only holder of an object, an
   object held only by an interior pointer, a caller's stack object held
   only by a register of the stopped frame, holding a pointer into the
   stack; then the same with callers' precise words holding them too. */
static uint64_t stop_states(const struct ev_liveloc *roots, size_t nroots,
			    size_t nstopped, const int *reg)
{
	uint8_t mask[1] = {0x1};
	struct ev_stackobj_view B = {0, 16, mask};
	struct ev_frame_view fr[2] = {{"main.f", STACK + 0x100, NULL, 0},
				      {"main.main", STACK + 0x200, &B, 1}};
	struct ev_reach r = {roots, nroots, fr, 2, STACK, STACK + 4096};
	struct ev_stop_view sv = {EV_AMD64, &r, nstopped, reg};
	uint64_t states = 0;
	char d[256];
	assert_int_equal(ev_stop_states(&L, &M, &sv, &states, d, sizeof d), 0);
	return states;
}

static uint64_t bit(const char *name)
{
	int b = ev_states_lookup(EV_AMD64, name);
	assert_true(b >= 0);
	return 1ull << b;
}

static void test_stop_states(void **state)
{
	/* rbx: object A's first field; sp+0: inside B; rsi: the caller's
	   stack object; then caller words to A and to the stack object */
	struct ev_liveloc roots[] = {{"rbx", ARENA + 8},
				     {"sp+0", ARENA + 64 + 16},
				     {"rsi", STACK + 0x200},
				     {"main.main sp+8", ARENA + 8},
				     {"main.main sp+16", STACK + 0x208}};
	int reg[] = {1, -1, 4};
	char name[64];
	(void)state;
	memset(stack, 0, sizeof stack);
	put64(stack + 0x200, STACK + 0x300); /* the object -> the stack */
	assert_int_equal(stop_states(roots, 3, 3, reg),
			 bit("reg-only.rbx") | bit("interior-only") |
			     bit("stackobj-reg-only") |
			     bit("stackobj-conservative") |
			     bit("stackobj-stackptr"));
	/* held by the callers too: no longer the only holders */
	assert_int_equal(stop_states(roots, 5, 3, reg),
			 bit("interior-only") | bit("stackobj-stackptr"));
	/* the object's word pointing to A: a second holder of A */
	put64(stack + 0x200, ARENA + 8);
	assert_int_equal(stop_states(roots, 3, 3, reg),
			 bit("interior-only") | bit("stackobj-reg-only") |
			     bit("stackobj-conservative"));
	/* a freed object counts for nothing; rax has no reg-only state of
	   its own (not allocatable), but it is a register */
	roots[0].value = ARENA + 40;
	reg[2] = 0;
	assert_int_equal(stop_states(roots, 3, 3, reg),
			 bit("interior-only") | bit("stackobj-reg-only") |
			     bit("stackobj-conservative"));
	/* held by a frame word instead: no register holds it */
	reg[2] = -1;
	assert_int_equal(stop_states(roots, 3, 3, reg),
			 bit("interior-only") | bit("stackobj-conservative"));
	/* the catalogue: fixed states, then amd64's allocatable registers */
	assert_int_equal(ev_states_ncat(EV_AMD64), EV_NUM_STATES + 9);
	assert_int_equal(ev_states_ncat(EV_ARM64), EV_NUM_STATES + 18);
	assert_int_equal(ev_states_ncat(EV_RISCV64), EV_NUM_STATES + 16);
	ev_states_cat_name(EV_RISCV64, EV_NUM_STATES, name, sizeof name);
	assert_string_equal(name, "reg-only.s1");
	assert_int_equal(ev_states_reg(EV_ARM64, 19),
			 ev_states_lookup(EV_ARM64, "reg-only.x19"));
	assert_int_equal(ev_states_reg(EV_ARM64, 16), -1); /* scratch */
	assert_int_equal(ev_states_lookup(EV_AMD64, "reg-only.x19"), -1);
}

/* --require-states: lines, errors naming where and what, the missing. */
static void test_states_req(void **state)
{
	struct ev_states_req q = {0};
	uint64_t created[EV_NUM_ARCHES] = {0};
	int swept[EV_NUM_ARCHES] = {1, 0, 0};
	char err[512], buf[512];
	(void)state;
	assert_int_equal(
	    ev_states_req_add(&q, "# a comment", "f:1", err, sizeof err), 0);
	assert_int_equal(q.any, 0);
	assert_int_equal(
	    ev_states_req_add(&q, "interior-only", "f:2", err, sizeof err), 0);
	assert_int_equal(ev_states_req_add(&q, "riscv64 reg-only.a5  # t5",
					   "f:3", err, sizeof err),
			 0);
	assert_int_equal(
	    ev_states_req_add(&q, "amd64 reg-only.a5", "f:4", err, sizeof err),
	    -1);
	assert_string_equal(err, "f:4: field state: 'reg-only.a5' is not a "
				 "state of amd64's catalogue "
				 "(docs/states.md)");
	assert_int_equal(
	    ev_states_req_add(&q, "mips all", "f:5", err, sizeof err), -1);
	assert_string_equal(err, "f:5: field arch: 'mips' is not an arch "
				 "(amd64, arm64, riscv64)");
	assert_int_equal(
	    ev_states_req_add(&q, "amd64 all x", "f:6", err, sizeof err), -1);
	/* amd64 swept without interior-only; riscv64 named, not swept */
	assert_int_equal(
	    ev_states_req_missing(&q, created, swept, buf, sizeof buf), 2);
	assert_string_equal(buf, "amd64 interior-only, riscv64 reg-only.a5");
	created[EV_AMD64] = bit("interior-only");
	assert_int_equal(
	    ev_states_req_missing(&q, created, swept, buf, sizeof buf), 1);
	assert_int_equal(ev_states_req_add(&q, "all", "f:7", err, sizeof err),
			 0);
	created[EV_AMD64] = ~0ull;
	created[EV_RISCV64] = ~0ull;
	assert_int_equal(
	    ev_states_req_missing(&q, created, swept, buf, sizeof buf), 0);
}

/* ---- the tri-colour oracle (RIG-9) ---- */

/* A second fake guest, laid out as the runtime's (span table of pointers):
   one span of 32-byte slots (header + 3 words), the collector's words, two
   goroutines and two globals. */
#define T_ARENA 0x2000000000ull
#define T_TAB 0x600000ull
#define T_SPAN 0x700000ull
#define T_VARS 0x800000ull
#define T_ALLG 0x900000ull
#define T_GLOB 0xa00000ull
#define T_STACK 0x3000000000ull

static uint8_t t_arena[8192], t_tab[32], t_span[64], t_vars[1024], t_allg[128],
    t_glob[16], t_stack[256];

static int t_read(void *ctx, uint64_t addr, void *buf, size_t n)
{
	static const struct {
		uint64_t at;
		uint8_t *p;
		size_t n;
	} r[] = {
	    {T_ARENA, t_arena, sizeof t_arena}, {T_TAB, t_tab, sizeof t_tab},
	    {T_SPAN, t_span, sizeof t_span},	{T_VARS, t_vars, sizeof t_vars},
	    {T_ALLG, t_allg, sizeof t_allg},	{T_GLOB, t_glob, sizeof t_glob},
	    {T_STACK, t_stack, sizeof t_stack}};
	(void)ctx;
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
		if (addr >= r[i].at && addr + n <= r[i].at + r[i].n) {
			memcpy(buf, r[i].p + (addr - r[i].at), n);
			return 0;
		}
	return -1;
}

static struct everypc_layout TL;
static const uint8_t node_mask[1] = {0x3}; /* words 0 and 1 */
static const struct ev_typeview t_types[] = {{24, node_mask, "main.node"}};
static const uint8_t glob_mask[1] = {0x3};

/* Object i: slot T_ARENA + 32 i, pointers to it are + 8. */
#define OBJ(i) (T_ARENA + 32 * (i) + 8)

static void t_field(int i, int word, uint64_t v)
{
	put64(t_arena + 32 * i + 8 + 8 * word, v);
}

static void t_mark(int i) { t_span[16 + i / 8] |= (uint8_t)(1u << (i % 8)); }

static void t_grey(uint64_t obj)
{
	uint32_t n = t_vars[12];
	put64(t_vars + 0x100 + 8 * n, obj);
	t_vars[12] = (uint8_t)(n + 1);
}

static int setup_tri(void **state)
{
	(void)state;
	memset(&TL, 0, sizeof TL);
	TL.arena_base = T_ARENA;
	TL.arena_size = 4 * PAGE;
	TL.page_size = PAGE;
	TL.spans_addr = T_TAB;
	TL.nspans = 4;
	TL.span_entry_size = 8;
	TL.span_entry_is_ptr = 1;
	TL.span_off_base = 0;
	TL.span_off_slot_size = 8;
	TL.span_off_nslots = 12;
	TL.span_off_markbits = 16;
	TL.header_size = 8;
	TL.header_state_mask = 0xff;
	TL.header_allocated = EP_OBJ_ALLOCATED;
	TL.header_free = EP_OBJ_FREE;
	TL.header_type_shift = 16;
	TL.stack_base = T_STACK;
	TL.stack_area = 0x100000;
	TL.pages_used_addr = T_VARS;
	TL.gcphase_addr = T_VARS + 8;
	TL.gcphase_mark = 1;
	TL.ngray_addr = T_VARS + 12;
	TL.gray_overflow_addr = T_VARS + 16;
	TL.roots_next_addr = T_VARS + 20;
	TL.roots_globals = 0;
	TL.nextra_roots_addr = T_VARS + 24;
	TL.gray_addr = T_VARS + 0x100;
	TL.extra_roots_addr = T_VARS + 0x200;
	TL.allg_addr = T_ALLG;
	TL.nallg_addr = T_VARS + 32;
	TL.nallg_max = 2;
	TL.g_size = 64;
	TL.off_status = 0;
	TL.off_stack_lo = 8;
	TL.off_stack_hi = 16;
	TL.off_waitchan = 24;
	TL.off_gcscandone = 32;
	memset(t_arena, 0, sizeof t_arena);
	memset(t_tab, 0, sizeof t_tab);
	memset(t_span, 0, sizeof t_span);
	memset(t_vars, 0, sizeof t_vars);
	memset(t_allg, 0, sizeof t_allg);
	memset(t_glob, 0, sizeof t_glob);
	memset(t_stack, 0, sizeof t_stack);
	put64(t_tab, T_SPAN); /* page 0 */
	put64(t_span, T_ARENA);
	t_span[8] = 32;
	t_span[12] = 8; /* 8 slots */
	for (int i = 0; i < 5; i++)
		put64(t_arena + 32 * i, EP_OBJ_HEADER(0, EP_OBJ_ALLOCATED));
	put64(t_arena + 32 * 5, EP_OBJ_HEADER(0, EP_OBJ_FREE));
	t_vars[0] = 1;	/* one page used */
	t_vars[8] = 1;	/* marking */
	t_vars[20] = 3; /* the root jobs are done: the globals are black */
	t_vars[32] = 1; /* one goroutine: running, its stack scanned */
	t_allg[0] = 2;
	put64(t_allg + 8, T_STACK);
	put64(t_allg + 16, T_STACK + sizeof t_stack);
	t_allg[32] = 1;
	/* 0 black -> 1 white; 2 grey; 3 white; 4 black (allocated black) */
	t_mark(0);
	t_mark(2);
	t_mark(4);
	t_grey(OBJ(2));
	t_field(0, 0, OBJ(1) + 8); /* an interior pointer */
	return 0;
}

static int tri(char *d, size_t dlen, struct ev_tri_stats *st)
{
	struct ev_mem m = {t_read, NULL};
	struct ev_tri_in in = {t_types, 1, T_GLOB, 16, glob_mask, NULL, 0};
	return ev_check_tricolour(&TL, &m, &in, st, d, dlen);
}

static void test_tricolour(void **state)
{
	char d[512];
	struct ev_tri_stats st;
	(void)state;
	/* black 0 -> white 1, and nothing grey reaches 1: lost */
	assert_int_equal(tri(d, sizeof d, &st), 0);
	assert_non_null(strstr(d, "marked object main.node 0x2000000008+0 "
				  "points to unmarked object 0x2000000028"));
	assert_int_equal(st.black, 2);
	assert_int_equal(st.grey, 1);
	assert_int_equal(st.white, 2); /* the free slot is no object */
	/* the grey object reaches it through the white one: kept */
	t_field(2, 1, OBJ(3));
	t_field(3, 0, OBJ(1));
	assert_int_equal(tri(d, sizeof d, &st), 1);
	assert_int_equal(st.reached, 2);
	t_field(3, 0, 0);
	/* a word of a stack scanned already does not keep it ... */
	put64(t_stack + 64, OBJ(1));
	assert_int_equal(tri(d, sizeof d, &st), 0);
	/* ... one not scanned yet does, and so does a waitchan */
	t_allg[32] = 0;
	assert_int_equal(tri(d, sizeof d, &st), 1);
	t_allg[32] = 1;
	put64(t_allg + 24, OBJ(1));
	assert_int_equal(tri(d, sizeof d, &st), 1);
	put64(t_allg + 24, 0);
	/* an extra root (unbarriered: grey all cycle long) */
	t_vars[24] = 1;
	put64(t_vars + 0x200, T_GLOB + 8);
	put64(t_vars + 0x208, 1);
	put64(t_glob + 8, OBJ(1));
	assert_int_equal(tri(d, sizeof d, &st), 1);
	t_vars[24] = 0;
	/* ... but a global is black once its job is done */
	assert_int_equal(tri(d, sizeof d, &st), 0);
	t_field(0, 0, 0);
	assert_int_equal(tri(d, sizeof d, &st), 0);
	assert_non_null(strstr(d, "global 0xa00000+8 points to unmarked object "
				  "0x2000000028 (main.node)"));
	t_vars[20] = 0; /* the globals not scanned yet: grey */
	assert_int_equal(tri(d, sizeof d, &st), 1);
	/* a pointer into a free slot or a word the ptrmask excludes is not
	   judged */
	put64(t_glob + 8, 0);
	t_vars[20] = 3;
	t_field(4, 0, OBJ(5));
	t_field(4, 2, OBJ(1));
	assert_int_equal(tri(d, sizeof d, &st), 1);
	/* no cycle marking, or a grey set that overflowed: nothing judged */
	t_field(4, 1, OBJ(1));
	assert_int_equal(tri(d, sizeof d, &st), 0);
	t_vars[16] = 1;
	assert_int_equal(tri(d, sizeof d, &st), 1);
	t_vars[16] = 0;
	t_vars[8] = 0;
	assert_int_equal(tri(d, sizeof d, &st), 1);
	t_vars[8] = 1;
	/* a grey entry that is no marked object is reported */
	t_grey(OBJ(3));
	assert_int_equal(tri(d, sizeof d, &st), 0);
	assert_non_null(strstr(d, "the grey set holds 0x2000000068"));
	/* an unreadable span is a read error, not a verdict */
	put64(t_tab, T_SPAN + 0x10000);
	assert_int_equal(tri(d, sizeof d, &st), -1);
	assert_non_null(strstr(d, "tricolour: cannot read"));
}

/* A live word of a scanned stack is black: what it points to must be kept
   by something grey, exactly as for a black object. */
static void test_tricolour_black_stack(void **state)
{
	char d[512];
	struct ev_tri_stats st;
	struct ev_mem m = {t_read, NULL};
	struct ev_liveloc live[2] = {
	    {"goroutine 1's scanned stack: main.f+8 sp+16", OBJ(3) + 16},
	    {"goroutine 1's scanned stack: main.f+8 sp+24", 0}};
	struct ev_tri_in in = {.types = t_types,
			       .ntypes = 1,
			       .globals_start = T_GLOB,
			       .globals_size = 16,
			       .globals_ptrmask = glob_mask,
			       .black = live,
			       .nblack = 2};
	(void)state;
	t_field(0, 0, 0); /* no black object points anywhere */
	assert_int_equal(ev_check_tricolour(&TL, &m, &in, &st, d, sizeof d), 0);
	assert_non_null(strstr(d, "goroutine 1's scanned stack: main.f+8 sp+16 "
				  "points to unmarked object 0x2000000068 "
				  "(main.node)"));
	assert_non_null(strstr(d, "1 such pointer;"));
	t_field(2, 0, OBJ(3)); /* the grey object still reaches it */
	assert_int_equal(ev_check_tricolour(&TL, &m, &in, &st, d, sizeof d), 1);
	in.nblack = 0;
	t_field(2, 0, 0);
	assert_int_equal(ev_check_tricolour(&TL, &m, &in, &st, d, sizeof d), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_layout_check, setup),
	    cmocka_unit_test_setup(test_classify, setup),
	    cmocka_unit_test_setup(test_liveness, setup),
	    cmocka_unit_test_setup(test_reach, setup),
	    cmocka_unit_test_setup(test_regs, setup),
	    cmocka_unit_test(test_stacks),
	    cmocka_unit_test(test_verdict),
	    cmocka_unit_test(test_answer),
	    cmocka_unit_test(test_freeze),
	    cmocka_unit_test(test_outcome),
	    cmocka_unit_test_setup(test_stop_states, setup),
	    cmocka_unit_test(test_states_req),
	    cmocka_unit_test_setup(test_tricolour, setup_tri),
	    cmocka_unit_test_setup(test_tricolour_black_stack, setup_tri),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
