/*
 * test_rigabi.c -- the runtime side of the rig ABI on the host: the output
 * stream and its FNV-1a outcome hash (RIG-6, PRINT-1/2), quiet mode, Go's
 * number and panic formats (print.c), the layout descriptor (RIG-2, rig.c),
 * and pins on the mailbox layout the rig reads by offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rt_asm.h"
#include "sched.h"

/* ---- mocks ---- */
static char written[4096];
static size_t nwritten;
static int nwrites;
static jmp_buf finish_jmp;
static int finish_status = -1;

long rt_sys_write(int fd, const void *p, uint64_t n)
{
	assert_int_equal(fd, 2);
	assert_true(nwritten + n < sizeof written);
	memcpy(written + nwritten, p, n);
	nwritten += n;
	nwrites++;
	return (long)n;
}
void rt_sys_exit(int status)
{
	fail_msg("exit %d", status);
	abort();
}
void rt_iter_finish(int status)
{
	finish_status = status;
	longjmp(finish_jmp, 1);
}
const struct ep_func *rt_findfunc(uint64_t pc)
{
	(void)pc;
	return NULL;
}
uint64_t *rt_args(struct rt_g *g) { return (uint64_t *)g->sched.sp; }
struct rt_g *rt_run(struct rt_g *g) { return g; }
void rt_g_check(const struct rt_g *g) { (void)g; }
void rt_debugcall_panic(struct rt_g *g, const char *msg, uint64_t len)
{
	(void)g;
	(void)msg;
	(void)len; /* no injected call on the host */
}
uint64_t rt_strlen(const char *s) { return strlen(s); }
void rt_memset(void *dst, int c, uint64_t n) { memset(dst, c, n); }
void rt_heap_describe(struct rt_heap_desc *d)
{
	d->arena_base = RT_HEAP_BASE;
	d->page_size = RT_PAGE_SIZE;
	d->spans_addr = 0x1234;
	d->span_off_slot_size = 24;
	d->pages_used_addr = 0x5678;
	d->span_off_markbits = 96;
}
void rt_gc_describe(struct everypc_layout *l) { l->gray_addr = 0x9abc; }
uint64_t rt_fault_addr, rt_fault_pc;
void rt_sync_point(struct rt_g *g) { (void)g; }
struct rt_g rt_g0, *rt_curg, rt_allg[RT_MAX_G];
uint64_t rt_nallg;
const struct rt_archinfo rt_arch = {8, 0, 8, EP_ARCH_AMD64};
const uint32_t rt_arch_async_frame = RT_ASYNC_FRAME_AMD64;
char test_async_preempt[16] __asm__("asyncPreempt");

struct rt_g *rt_e_printint(struct rt_g *g);
struct rt_g *rt_e_printbool(struct rt_g *g);
struct rt_g *rt_e_printstr(struct rt_g *g);
struct rt_g *rt_e_printsp(struct rt_g *g);
struct rt_g *rt_e_printnl(struct rt_g *g);
struct rt_g *rt_e_panicindex(struct rt_g *g);

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 0x100000001b3ull;
	return h;
}

static int setup(void **state)
{
	(void)state;
	nwritten = 0;
	nwrites = 0;
	finish_status = -1;
	everypc_rig.req_quiet = 0;
	rt_out_reset();
	return 0;
}

static void test_hash_and_write(void **state)
{
	(void)state;
	assert_int_equal(everypc_rig.rep_outcome, fnv1a("", 0));
	rt_out_str("hello ");
	assert_int_equal(nwritten, 0); /* buffered until the newline */
	rt_out_str("world\n");
	assert_int_equal(nwritten, 12);
	assert_memory_equal(written, "hello world\n", 12);
	assert_int_equal(everypc_rig.rep_outcome, fnv1a("hello world\n", 12));
	assert_int_equal(everypc_rig.rep_output_bytes, 12);
}

static void test_quiet_hashes_same(void **state)
{
	(void)state;
	everypc_rig.req_quiet = 1;
	rt_out_str("hello world\n");
	rt_out_flush();
	assert_int_equal(nwritten, 0);
	assert_int_equal(everypc_rig.rep_outcome, fnv1a("hello world\n", 12));
}

static void test_long_line_flushes_in_pieces(void **state)
{
	char line[2000];

	(void)state;
	memset(line, 'x', sizeof line);
	rt_out_bytes(line, sizeof line);
	rt_out_flush();
	assert_int_equal(nwritten, sizeof line);
	assert_true(nwrites > 1);
	assert_int_equal(everypc_rig.rep_outcome, fnv1a(line, sizeof line));
}

static void test_int_formats(void **state)
{
	const char *want = "0 -1 -9223372036854775808 9223372036854775807 "
			   "1234567890 0x0 0xdeadbeef\n";

	(void)state;
	rt_out_int(0);
	rt_out_str(" ");
	rt_out_int(-1);
	rt_out_str(" ");
	rt_out_int(INT64_MIN);
	rt_out_str(" ");
	rt_out_int(INT64_MAX);
	rt_out_str(" ");
	rt_out_int(1234567890);
	rt_out_str(" ");
	rt_out_hex(0);
	rt_out_str(" ");
	rt_out_hex(0xdeadbeef);
	rt_out_str("\n");
	assert_int_equal(nwritten, strlen(want));
	assert_memory_equal(written, want, strlen(want));
}

static void test_println_entries(void **state)
{
	uint64_t args[2];
	struct rt_g g = {0};
	const char *want = "-7 true false go\n";

	(void)state;
	g.sched.sp = (uint64_t)args;
	args[0] = (uint64_t)-7;
	rt_e_printint(&g);
	rt_e_printsp(&g);
	args[0] = 1;
	rt_e_printbool(&g);
	rt_e_printsp(&g);
	args[0] = 0;
	rt_e_printbool(&g);
	rt_e_printsp(&g);
	args[0] = (uint64_t) "gopher";
	args[1] = 2;
	rt_e_printstr(&g);
	rt_e_printnl(&g);
	assert_int_equal(nwritten, strlen(want));
	assert_memory_equal(written, want, strlen(want));
}

static void test_panicindex(void **state)
{
	uint64_t args[2] = {5, 3};
	struct rt_g g = {0};
	const char *want = "panic: runtime error: index out of range [5] "
			   "with length 3\n\ngoroutine 7 [running]:\n";

	(void)state;
	g.id = 7;
	g.status = RT_G_RUNNING;
	g.sched.sp = (uint64_t)args;
	if (!setjmp(finish_jmp))
		rt_e_panicindex(&g);
	assert_int_equal(finish_status, 2);
	rt_out_flush();
	assert_int_equal(nwritten, strlen(want));
	assert_memory_equal(written, want, strlen(want));
}

static void test_layout_descriptor(void **state)
{
	struct everypc_layout *l = &everypc_layout;

	(void)state;
	rt_rig_init();
	assert_int_equal(l->magic, EVERYPC_LAYOUT_MAGIC);
	assert_int_equal(l->version, EVERYPC_RIG_VERSION);
	assert_int_equal(l->arch, EP_ARCH_AMD64);
	assert_int_equal(l->allg_addr, (uint64_t)rt_allg);
	assert_int_equal(l->nallg_addr, (uint64_t)&rt_nallg);
	assert_int_equal(l->nallg_max, RT_MAX_G);
	assert_int_equal(l->g_size, sizeof(struct rt_g));
	assert_int_equal(l->off_stack_lo, EP_G_STACK_LO);
	assert_int_equal(l->off_stackguard, EP_G_STACKGUARD);
	assert_int_equal(l->off_sched_sp, RTG_SCHED_SP);
	assert_int_equal(l->off_async_regs, RTG_ASYNC_REGS);
	assert_int_equal(l->off_shrink_pending,
			 offsetof(struct rt_g, shrink_pending));
	assert_int_equal(l->async_preempt_entry, (uint64_t)test_async_preempt);
	assert_int_equal(l->async_frame_size, RT_ASYNC_FRAME_AMD64);
	assert_int_equal(l->arena_base, RT_HEAP_BASE);
	assert_int_equal(l->spans_addr, 0x1234);
	assert_int_equal(l->span_off_slot_size, 24);
	assert_int_equal(l->header_allocated, EP_OBJ_ALLOCATED);
	assert_int_equal(l->header_free, EP_OBJ_FREE);
	/* RIG-9: the heap's and the collector's halves are copied in */
	assert_int_equal(l->pages_used_addr, 0x5678);
	assert_int_equal(l->span_off_markbits, 96);
	assert_int_equal(l->gray_addr, 0x9abc);
	assert_int_equal(l->off_gcscandone, offsetof(struct rt_g, gcscandone));
	assert_int_equal(l->off_waitchan, offsetof(struct rt_g, waitchan));
}

/* The rig reads the mailbox by these offsets: changing them is an ABI
   change (bump EVERYPC_RIG_VERSION and this test together). */
static void test_mailbox_pins(void **state)
{
	(void)state;
	assert_int_equal(everypc_rig.magic, EVERYPC_RIG_MAGIC);
	assert_int_equal(everypc_rig.size, sizeof(struct everypc_rig));
	assert_int_equal(offsetof(struct everypc_rig, req_preempt), 16);
	assert_int_equal(offsetof(struct everypc_rig, req_mark_slices), 28);
	assert_int_equal(offsetof(struct everypc_rig, req_persistent), 32);
	assert_int_equal(offsetof(struct everypc_rig, req_stop), 40);
	assert_int_equal(offsetof(struct everypc_rig, rep_iteration), 48);
	assert_int_equal(offsetof(struct everypc_rig, rep_outcome), 56);
	assert_int_equal(offsetof(struct everypc_rig, rep_exit_status), 72);
	assert_int_equal(offsetof(struct everypc_rig, rep_throw_msg), 104);
	assert_int_equal(sizeof(struct everypc_rig), 104 + EVERYPC_RIG_MSG_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_hash_and_write, setup),
	    cmocka_unit_test_setup(test_quiet_hashes_same, setup),
	    cmocka_unit_test_setup(test_long_line_flushes_in_pieces, setup),
	    cmocka_unit_test_setup(test_int_formats, setup),
	    cmocka_unit_test_setup(test_println_entries, setup),
	    cmocka_unit_test_setup(test_panicindex, setup),
	    cmocka_unit_test_setup(test_layout_descriptor, setup),
	    cmocka_unit_test_setup(test_mailbox_pins, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
