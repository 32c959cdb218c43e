/*
 * test_debugcall.c -- the rig's debug-call state machine (rig/debugcall.c)
 * against the scripted fake stub (fakestub.h), through dc_rsp_ops exactly
 * as against QEMU: every status (READY, RESULT, PANIC, ERROR, RESTORE), a
 * refusal with its reason, a panic with its message, a stub that dies in
 * the middle of a call, a trap that is not the trap instruction, statuses
 * out of order, and the LR-machine set-up (arm64) with its PC advance.
 *
 * Scripts are built per test by small helpers that emit the packets
 * dc_inject must send (amd64: pc = GDB 16, sp = 7, status r12 = 12).
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

#include "debugcall.h"
#include "everypc/debugcall.h"
#include "fakestub.h"
#include "rspclient.h"

#define PC0 0x401000ull
#define SP0 0x3000001f00ull
#define LR0 0x401234ull
#define ENTRY 0x402000ull
#define FN 0x400800ull
#define CSP 0x3000100f00ull /* the call goroutine's SP at READY */
#define TRAP 0x402100ull    /* a trap instruction's address */
#define MSGP 0x404000ull

/* ---- script building ---- */

#define MAXSTEPS 128
static struct fs_step steps[MAXSTEPS];
static char pool[64 * 1024];
static size_t npool, nsteps;

static const char *keep(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = pool + npool;

	assert_true(npool + n <= sizeof pool);
	memcpy(p, s, n);
	npool += n;
	return p;
}

static void step(enum fs_op op, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	assert_true(nsteps < MAXSTEPS);
	steps[nsteps].op = op;
	steps[nsteps].data = keep(buf);
	steps[nsteps].len = 0;
	nsteps++;
}

static const char *le64(uint64_t v)
{
	static char b[8][17];
	static int k;
	char *s = b[k++ % 8];

	for (int i = 0; i < 8; i++)
		snprintf(s + 2 * i, 3, "%02x", (unsigned)(v >> (8 * i)) & 0xff);
	return s;
}

static void x_reply(const char *expect, const char *reply)
{
	step(FS_EXPECT, "%s", expect);
	step(FS_REPLY, "%s", reply);
}

static void get_reg(int n, uint64_t v)
{
	char e[16];
	snprintf(e, sizeof e, "p%x", n);
	x_reply(e, le64(v));
}

static void set_reg(int n, uint64_t v)
{
	char e[64];
	snprintf(e, sizeof e, "P%x=%s", n, le64(v));
	x_reply(e, "OK");
}

static void write64(uint64_t a, uint64_t v)
{
	char e[64];
	snprintf(e, sizeof e, "M%llx,8:%s", (unsigned long long)a, le64(v));
	x_reply(e, "OK");
}

static void read_mem(uint64_t a, size_t n, const char *hex)
{
	char e[64];
	snprintf(e, sizeof e, "m%llx,%zx", (unsigned long long)a, n);
	x_reply(e, hex);
}

static char zeros[2 * EP_DC_SCRATCH + 1];
static int r_pc = 16, r_sp = 7; /* GDB numbers of the arch under test */

/* save (g, pc, sp, scratch) for either arch */
static void script_save(int pcn, int spn)
{
	x_reply("g", "00112233445566778899aabbccddeeff");
	get_reg(pcn, PC0);
	get_reg(spn, SP0);
	read_mem(SP0 - EP_DC_SCRATCH, EP_DC_SCRATCH, zeros);
}

static void script_setup_amd64(uint64_t size)
{
	write64(SP0 - 8, PC0);
	write64(SP0 - 8 - 16, size);
	set_reg(7, SP0 - 8);
	set_reg(16, ENTRY);
}

/* A stop at a trap: continue, SIGTRAP, pc, instruction, status. */
static void script_trap_amd64(unsigned status)
{
	x_reply("c", "S05");
	get_reg(16, TRAP + 1);
	read_mem(TRAP, 1, "cc");
	get_reg(12, status);
}

static void script_restore(void)
{
	char e[2 * EP_DC_SCRATCH + 64];
	snprintf(e, sizeof e, "M%llx,%x:%s",
		 (unsigned long long)(SP0 - EP_DC_SCRATCH), EP_DC_SCRATCH,
		 zeros);
	x_reply(e, "OK");
	x_reply("G00112233445566778899aabbccddeeff", "OK");
}

/* ---- running ---- */

static struct dc_result res;
static int rc;
static dc_other_stop_fn other;
static uint64_t other_pc;
static unsigned nother;

/* The caller's breakpoint at BP (a GC hook, say) is claimed. */
#define BP 0x405000ull
static int claim_bp(void *arg, uint64_t pc, unsigned sig)
{
	(void)arg;
	other_pc = pc;
	nother++;
	return pc == BP && sig == 5;
}

static void run(const char *arch, unsigned nargs, const int64_t *args)
{
	struct dc_call call = {
	    .other_stop = other, .entry = ENTRY, .fn = FN, .nargs = nargs};
	struct rsp_client_opts o = {.timeout_ms = 2000,
				    .resume_timeout_ms = 2000};
	struct rsp_error err;
	struct dc_rsp_ctx x;
	struct fakestub *fs;
	const char *why;
	int fd;

	for (unsigned i = 0; i < nargs; i++)
		call.args[i] = args[i];
	fs = fakestub_start(steps, nsteps, &fd);
	assert_non_null(fs);
	x.c = rsp_client_new(fd, &o, &err);
	assert_non_null(x.c);
	/* every read asked as scripted (no RSPC-5 blocks): the script is
	   of the injection, not of the client's cache */
	rsp_client_no_cache(x.c);
	x.err[0] = 0;
	rc = dc_inject(dc_arch_find(arch), &dc_rsp_ops, &x, &call, &res);
	rsp_client_close(x.c);
	why = fakestub_finish(fs);
	if (why)
		fail_msg("stub: %s (dc: %s)", why, res.msg);
}

static int setup(void **state)
{
	(void)state;
	nsteps = npool = 0;
	other = NULL;
	nother = 0;
	r_pc = 16;
	r_sp = 7;
	memset(zeros, '0', 2 * EP_DC_SCRATCH);
	zeros[2 * EP_DC_SCRATCH] = 0;
	return 0;
}

/* READY -> RESULT -> RESTORE: args written at SP+16, result read after. */
static void test_result(void **state)
{
	(void)state;
	int64_t args[2] = {1, 2};

	script_save(16, 7);
	script_setup_amd64(24);
	script_trap_amd64(EP_DC_READY);
	get_reg(7, CSP);
	write64(CSP, FN);
	write64(CSP + 8, 0);
	write64(CSP + 16, 1);
	write64(CSP + 24, 2);
	script_trap_amd64(EP_DC_RESULT);
	get_reg(7, CSP);
	read_mem(CSP + 32, 8, le64(12));
	script_trap_amd64(EP_DC_RESTORE);
	script_restore();
	run("amd64", 2, args);
	assert_int_equal(rc, 0);
	assert_int_equal(res.outcome, DC_RESULT);
	assert_int_equal(res.value, 12);
	assert_int_equal(res.ntraps, 3);
	assert_int_equal(res.status[0], EP_DC_READY);
	assert_int_equal(res.status[2], EP_DC_RESTORE);
	assert_int_equal(res.call_sp, CSP);
	assert_true(res.restored);
}

static void script_msg(uint64_t sp, const char *text)
{
	char hex[512];
	size_t n = strlen(text);

	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)text[i]);
	get_reg(r_sp, sp);
	read_mem(sp, 8, le64(MSGP));
	read_mem(sp + 8, 8, le64(n));
	read_mem(MSGP, n, hex);
}

/* A breakpoint of the caller's during the call is handed to it and the
   call goes on; without the callback the same stop fails the call. */
static void test_other_stop(void **state)
{
	(void)state;
	script_save(16, 7);
	script_setup_amd64(8);
	script_trap_amd64(EP_DC_READY);
	get_reg(7, CSP);
	write64(CSP, FN);
	write64(CSP + 8, 0);
	x_reply("c", "T05swbreak:;");
	get_reg(16, BP);
	read_mem(BP - 1, 1, "55");
	script_trap_amd64(EP_DC_RESULT);
	get_reg(7, CSP);
	read_mem(CSP + 16, 8, le64(42));
	script_trap_amd64(EP_DC_RESTORE);
	script_restore();
	other = claim_bp;
	run("amd64", 0, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(res.value, 42);
	assert_int_equal(nother, 1);
	assert_int_equal(other_pc, BP);
	assert_int_equal(res.ntraps, 3);
}

/* ERROR -> RESTORE: the reason string comes back. */
static void test_refused(void **state)
{
	(void)state;
	script_save(16, 7);
	script_setup_amd64(8);
	script_trap_amd64(EP_DC_ERROR);
	script_msg(SP0 - 200, EP_DC_REASON_UNSAFE);
	script_trap_amd64(EP_DC_RESTORE);
	script_restore();
	run("amd64", 0, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(res.outcome, DC_REFUSED);
	assert_string_equal(res.msg, "call not at safe point");
	assert_true(res.restored);
}

/* READY -> PANIC -> RESTORE: the panic message comes back. */
static void test_panic(void **state)
{
	(void)state;
	int64_t args[1] = {7};

	script_save(16, 7);
	script_setup_amd64(16);
	script_trap_amd64(EP_DC_READY);
	get_reg(7, CSP);
	write64(CSP, FN);
	write64(CSP + 8, 0);
	write64(CSP + 16, 7);
	script_trap_amd64(EP_DC_PANIC);
	script_msg(CSP + 0x80, "boom");
	script_trap_amd64(EP_DC_RESTORE);
	script_restore();
	run("amd64", 1, args);
	assert_int_equal(rc, 0);
	assert_int_equal(res.outcome, DC_PANICKED);
	assert_string_equal(res.msg, "boom");
}

/* The stub closes the connection in the middle of the call. */
static void test_stub_dies(void **state)
{
	(void)state;
	script_save(16, 7);
	script_setup_amd64(8);
	script_trap_amd64(EP_DC_READY);
	get_reg(7, CSP);
	write64(CSP, FN);
	write64(CSP + 8, 0);
	step(FS_EXPECT, "c");
	step(FS_CLOSE, "");
	run("amd64", 0, NULL);
	assert_int_equal(rc, -1);
	assert_int_equal(res.outcome, DC_PROTOCOL_ERROR);
	assert_non_null(strstr(res.msg, "died"));
	assert_false(res.restored);
}

/* A SIGTRAP at something else than the trap instruction (a stray int3 or
   crash): a protocol error, and the registers are restored anyway. */
static void test_wrong_trap(void **state)
{
	(void)state;
	script_save(16, 7);
	script_setup_amd64(8);
	x_reply("c", "S05");
	get_reg(16, TRAP + 1);
	read_mem(TRAP, 1, "90");
	script_restore();
	run("amd64", 0, NULL);
	assert_int_equal(rc, -1);
	assert_int_equal(res.outcome, DC_PROTOCOL_ERROR);
	assert_non_null(strstr(res.msg, "not the debug-call trap"));
	assert_true(res.restored);
}

/* A SIGSEGV during the call is not a trap stop. */
static void test_signal(void **state)
{
	(void)state;
	script_save(16, 7);
	script_setup_amd64(8);
	x_reply("c", "S0b");
	get_reg(16, 0x401777);
	script_restore();
	run("amd64", 0, NULL);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(res.msg, "signal 11 at pc 0x401777"));
	assert_true(res.restored);
}

/* RESULT before READY, and an unknown status. */
static void test_out_of_order(void **state)
{
	(void)state;
	script_save(16, 7);
	script_setup_amd64(8);
	script_trap_amd64(EP_DC_RESULT);
	script_restore();
	run("amd64", 0, NULL);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(res.msg, "status 1 out of order"));

	setup(NULL);
	script_save(16, 7);
	script_setup_amd64(8);
	script_trap_amd64(5);
	script_restore();
	run("amd64", 0, NULL);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(res.msg, "unknown status 5"));
}

/* The guest exits instead of trapping. */
static void test_exit(void **state)
{
	(void)state;
	script_save(16, 7);
	script_setup_amd64(8);
	x_reply("c", "W02");
	run("amd64", 0, NULL);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(res.msg, "exited with status 2"));
	assert_false(res.restored);
}

/* arm64: LR saved at SP-16, LR = PC, size at SP-32; BRK at the stop PC,
   the status in x20, PC advanced by 4 after each handled trap. */
static void script_trap_arm64(uint64_t at, unsigned status)
{
	char insn[9];

	snprintf(insn, sizeof insn, "%.8s", le64(EP_DC_TRAP_ARM64));
	x_reply("c", "S05");
	get_reg(32, at);
	read_mem(at, 4, insn);
	get_reg(20, status);
}

static void test_arm64_refused(void **state)
{
	(void)state;
	r_pc = 32;
	r_sp = 31;
	script_save(32, 31);
	get_reg(30, LR0);
	write64(SP0 - 16, LR0);
	write64(SP0 - 8, 0);
	set_reg(30, PC0);
	write64(SP0 - 32, 8);
	set_reg(31, SP0 - 16);
	set_reg(32, ENTRY);
	script_trap_arm64(TRAP, EP_DC_ERROR);
	script_msg(SP0 - 400, EP_DC_REASON_RUNTIME);
	set_reg(32, TRAP + 4);
	script_trap_arm64(TRAP + 8, EP_DC_RESTORE);
	script_restore();
	run("arm64", 0, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(res.outcome, DC_REFUSED);
	assert_string_equal(res.msg, "call from within the Go runtime");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_result, setup),
	    cmocka_unit_test_setup(test_refused, setup),
	    cmocka_unit_test_setup(test_other_stop, setup),
	    cmocka_unit_test_setup(test_panic, setup),
	    cmocka_unit_test_setup(test_stub_dies, setup),
	    cmocka_unit_test_setup(test_wrong_trap, setup),
	    cmocka_unit_test_setup(test_signal, setup),
	    cmocka_unit_test_setup(test_out_of_order, setup),
	    cmocka_unit_test_setup(test_exit, setup),
	    cmocka_unit_test_setup(test_arm64_refused, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
