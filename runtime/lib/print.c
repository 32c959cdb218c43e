/*
 * print.c -- everything the runtime writes: println pieces, panics, fatal
 * errors and throws, byte-for-byte as Go prints them, to fd 2.
 *
 * INVARIANTS:
 * PRINT-1 Every byte goes through rt_out_bytes, which folds it into the
 *         iteration's FNV-1a hash (rig_abi.h RIG-6) before buffering it, so
 *         the outcome hash is the same whether or not req_quiet suppresses
 *         the write.
 * PRINT-2 The buffer is flushed at every newline and before the process
 *         exits, so output order is exactly the program's.
 * PRINT-3 Output contains no host addresses except in the tail of crash
 *         reports (after Go's first line, which is all the differential
 *         test compares).
 */
#include "dcall.h"
#include "sched.h"

#define FNV_BASIS 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static char outbuf[512];
static uint64_t outlen;

/* ---- the output stream ---- */

void rt_out_reset(void)
{
	outlen = 0;
	everypc_rig.rep_outcome = FNV_BASIS;
	everypc_rig.rep_output_bytes = 0;
}

void rt_out_flush(void)
{
	uint64_t done = 0;

	while (done < outlen && !everypc_rig.req_quiet) {
		long n = rt_sys_write(2, outbuf + done, outlen - done);
		if (n <= 0)
			break;
		done += (uint64_t)n;
	}
	outlen = 0;
}

void rt_out_bytes(const char *p, uint64_t n)
{
	uint64_t h = everypc_rig.rep_outcome;

	for (uint64_t i = 0; i < n; i++) {
		h = (h ^ (uint8_t)p[i]) * FNV_PRIME;
		if (outlen == sizeof outbuf)
			rt_out_flush();
		outbuf[outlen++] = p[i];
		if (p[i] == '\n')
			rt_out_flush();
	}
	everypc_rig.rep_outcome = h;
	everypc_rig.rep_output_bytes += n;
}

void rt_out_str(const char *s) { rt_out_bytes(s, rt_strlen(s)); }

void rt_out_int(int64_t v)
{
	char buf[24];
	int i = sizeof buf;
	/* Work on the negative value: -MinInt64 does not exist. */
	int64_t n = v < 0 ? v : -v;

	do {
		buf[--i] = (char)('0' - n % 10);
		n /= 10;
	} while (n);
	if (v < 0)
		buf[--i] = '-';
	rt_out_bytes(buf + i, sizeof buf - (uint64_t)i);
}

void rt_out_hex(uint64_t v)
{
	char buf[18];
	int i = sizeof buf;

	do {
		buf[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	rt_out_bytes(buf + i, sizeof buf - (uint64_t)i);
}

/* rt.h names for the memory half. */
void rt_print_str(const char *s) { rt_out_str(s); }

void rt_print_hex(uint64_t v) { rt_out_hex(v); }

void rt_print_int(int64_t v) { rt_out_int(v); }

/* ---- crash reports ---- */

static const char *wait_name(uint32_t reason)
{
	switch (reason) {
	case RT_WAIT_CHAN_SEND:
		return "chan send";
	case RT_WAIT_CHAN_RECV:
		return "chan receive";
	case RT_WAIT_CHAN_SEND_NIL:
		return "chan send (nil chan)";
	case RT_WAIT_CHAN_RECV_NIL:
		return "chan receive (nil chan)";
	}
	return "running";
}

/* "goroutine N [state]:\nmain.f(...)\n" -- only the innermost frame. */
static void print_goroutine(const struct rt_g *g)
{
	const struct ep_func *f;

	if (!g)
		return;
	rt_out_str("\ngoroutine ");
	rt_out_int((int64_t)g->id);
	rt_out_str(" [");
	rt_out_str(g->status == RT_G_WAITING ? wait_name(g->waiting_reason)
					     : "running");
	rt_out_str("]:\n");
	f = rt_findfunc(g->preempt_async ? g->async_pc : g->sched.pc);
	if (f) {
		rt_out_str(f->name);
		rt_out_str("(...)\n");
	}
}

/* panic: msg [extra line] + the goroutine; ends the iteration, status 2. */
void rt_panic(struct rt_g *g, const char *msg, const char *extra)
{
	/* A panic inside an injected call goes back to the debugger (status
	   2) instead of ending the program (DC protocol). */
	rt_debugcall_panic(g, msg, rt_strlen(msg));
	rt_out_str("panic: ");
	rt_out_str(msg);
	rt_out_str("\n");
	if (extra)
		rt_out_str(extra);
	print_goroutine(g);
	rt_iter_finish(2);
}

/* fatal error: msg (deadlock and other user-visible fatal errors). */
void rt_fatal(struct rt_g *g, const char *msg)
{
	rt_out_str("fatal error: ");
	rt_out_str(msg);
	rt_out_str("\n");
	print_goroutine(g);
	rt_iter_finish(2);
}

static void copy_msg(const char *msg)
{
	uint64_t i;

	for (i = 0; msg[i] && i + 1 < EVERYPC_RIG_MSG_MAX; i++)
		everypc_rig.rep_throw_msg[i] = msg[i];
	everypc_rig.rep_throw_msg[i] = 0;
}

/* A runtime bug or broken invariant: hook, message, exit 2 (RIG-5: a throw
   always exits). Safe from a signal handler: no allocation, raw writes. */
void rt_throw(const char *msg)
{
	static int throwing;

	if (throwing++) /* a throw while throwing: just leave */
		rt_sys_exit(2);
	copy_msg(msg);
	everypc_rig.rep_exit_status = 2;
	everypc_hook_throw(msg);
	rt_out_flush();
	everypc_rig.req_quiet = 0; /* a throw is always visible */
	rt_out_str("fatal error: ");
	rt_out_str(msg);
	rt_out_str("\n");
	print_goroutine(rt_curg);
	rt_out_flush();
	rt_sys_exit(2);
}

/* ---- runtime entry points: println pieces and panics (SCHED-1) ---- */

struct rt_g *rt_e_printint(struct rt_g *g);
struct rt_g *rt_e_printint(struct rt_g *g)
{
	rt_sync_point(g);
	rt_out_int((int64_t)rt_args(g)[0]);
	return rt_run(g);
}

struct rt_g *rt_e_printbool(struct rt_g *g);
struct rt_g *rt_e_printbool(struct rt_g *g)
{
	rt_sync_point(g);
	rt_out_str(rt_args(g)[0] ? "true" : "false");
	return rt_run(g);
}

struct rt_g *rt_e_printstr(struct rt_g *g);
struct rt_g *rt_e_printstr(struct rt_g *g)
{
	uint64_t *a;

	rt_sync_point(g);
	a = rt_args(g);
	rt_out_bytes((const char *)a[0], a[1]);
	return rt_run(g);
}

struct rt_g *rt_e_printsp(struct rt_g *g);
struct rt_g *rt_e_printsp(struct rt_g *g)
{
	rt_sync_point(g);
	rt_out_bytes(" ", 1);
	return rt_run(g);
}

struct rt_g *rt_e_printnl(struct rt_g *g);
struct rt_g *rt_e_printnl(struct rt_g *g)
{
	rt_sync_point(g);
	rt_out_bytes("\n", 1);
	return rt_run(g);
}

struct rt_g *rt_e_panicstr(struct rt_g *g);
struct rt_g *rt_e_panicstr(struct rt_g *g)
{
	uint64_t *a;

	rt_sync_point(g);
	a = rt_args(g);
	rt_debugcall_panic(g, (const char *)a[0], a[1]);
	rt_out_str("panic: ");
	rt_out_bytes((const char *)a[0], a[1]);
	rt_out_str("\n");
	print_goroutine(g);
	rt_iter_finish(2);
}

/* "index out of range [i] with length n" */
struct rt_g *rt_e_panicindex(struct rt_g *g);
struct rt_g *rt_e_panicindex(struct rt_g *g)
{
	uint64_t *a;

	rt_sync_point(g);
	a = rt_args(g);
	rt_debugcall_panic(g, "runtime error: index out of range", 33);
	rt_out_str("panic: runtime error: index out of range [");
	rt_out_int((int64_t)a[0]);
	rt_out_str("] with length ");
	rt_out_int((int64_t)a[1]);
	rt_out_str("\n");
	print_goroutine(g);
	rt_iter_finish(2);
}

struct rt_g *rt_e_panicdivide(struct rt_g *g);
struct rt_g *rt_e_panicdivide(struct rt_g *g)
{
	rt_sync_point(g);
	rt_panic(g, "runtime error: integer divide by zero", NULL);
}

struct rt_g *rt_e_panicshift(struct rt_g *g);
struct rt_g *rt_e_panicshift(struct rt_g *g)
{
	rt_sync_point(g);
	rt_panic(g, "runtime error: negative shift amount", NULL);
}

/* Reached by an explicit call or from the SIGSEGV handler (signal.c), which
   fakes a call from the faulting PC and records rt_fault_addr/pc. */
struct rt_g *rt_e_panicnil(struct rt_g *g);
struct rt_g *rt_e_panicnil(struct rt_g *g)
{
	rt_sync_point(g);
	rt_debugcall_panic(g,
			   "runtime error: invalid memory address or nil "
			   "pointer dereference",
			   64);
	rt_out_str("panic: runtime error: invalid memory address or nil "
		   "pointer dereference\n[signal SIGSEGV: segmentation "
		   "violation code=0x1 addr=");
	rt_out_hex(rt_fault_addr);
	rt_out_str(" pc=");
	rt_out_hex(rt_fault_pc ? rt_fault_pc : g->sched.pc);
	rt_out_str("]\n");
	rt_fault_addr = rt_fault_pc = 0;
	print_goroutine(g);
	rt_iter_finish(2);
}
