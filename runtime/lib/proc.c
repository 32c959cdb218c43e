/*
 * proc.c -- start-up, goroutines, the scheduler, the runtime entry points of
 * abi.h (their C halves), iterations and persistent mode.
 *
 * Model: one OS thread. g0 is the system goroutine; all C code runs on its
 * stack (RT-1). Goroutines run managed code on their own stacks and enter
 * the runtime only through the stubs of arch/<arch>/sys.S (SCHED-1). Goroutine
 * structs live in a fixed pool (rt_allg, exported to the rig); dead ones
 * are reused in FIFO order, ids grow from 1 in creation order, and the run
 * queue is FIFO, so a program's schedule is the same on every run.
 *
 * INVARIANTS (besides SCHED-n in sched.h):
 * PROC-1 rt_curg is the goroutine that runs or has entered the runtime and
 *        not yet given up the CPU; NULL before the first goroutine runs.
 * PROC-2 Goroutine 1 runs main.main; when it returns the iteration ends
 *        with status 0, whatever other goroutines remain.
 * PROC-3 A goroutine's first frame's arguments sit at the top of its stack;
 *        below them goexit's address is the return address (ABI-2/ABI-3),
 *        so a goroutine whose function returns lands in rt_goexit.
 */
#include <stddef.h>

#include "dcall.h"
#include "rt_asm.h"
#include "sched.h"

_Static_assert(offsetof(struct rt_g, head.stack_lo) == RTG_STACK_LO, "rt_asm");
_Static_assert(offsetof(struct rt_g, head.stack_hi) == RTG_STACK_HI, "rt_asm");
_Static_assert(offsetof(struct rt_g, head.stackguard) == RTG_STACKGUARD,
	       "rt_asm");
_Static_assert(offsetof(struct rt_g, preempt_async) == RTG_PREEMPT_ASYNC,
	       "rt_asm");
_Static_assert(offsetof(struct rt_g, sched.sp) == RTG_SCHED_SP, "rt_asm");
_Static_assert(offsetof(struct rt_g, sched.pc) == RTG_SCHED_PC, "rt_asm");
_Static_assert(offsetof(struct rt_g, sched.fp) == RTG_SCHED_FP, "rt_asm");
_Static_assert(offsetof(struct rt_g, sched.lr) == RTG_SCHED_LR, "rt_asm");
_Static_assert(offsetof(struct rt_g, sched_kind) == RTG_SCHED_KIND, "rt_asm");
_Static_assert(offsetof(struct rt_g, async_pc) == RTG_ASYNC_PC, "rt_asm");
_Static_assert(offsetof(struct rt_g, async_sp) == RTG_ASYNC_SP, "rt_asm");
_Static_assert(offsetof(struct rt_g, async_regs) == RTG_ASYNC_REGS, "rt_asm");
_Static_assert(offsetof(struct rt_g, async_regs_size) == RTG_ASYNC_REGS_SIZE,
	       "rt_asm");
_Static_assert(RT_SCHED_CALL == RT_SCHED_KIND_CALL, "rt_asm");
_Static_assert(RT_SCHED_MORESTACK == RT_SCHED_KIND_MORESTACK, "rt_asm");

struct rt_g rt_g0;
struct rt_g *rt_curg;
struct rt_g rt_allg[RT_MAX_G];
uint64_t rt_nallg;
struct rt_gqueue rt_runq;
struct rt_debug rt_debug;
uint64_t rt_iteration;

static struct rt_gqueue gfree; /* dead g structs, reused FIFO */
static uint64_t next_goid;
static uint32_t started; /* an iteration has begun (for the next reset) */

#define G0_STACK_SIZE 0x100000ull
#define MAP_PROT_RW 3
#define MAP_FLAGS_FIXED 0x32	     /* MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED */
#define MAP_FLAGS_NOREPLACE 0x100022 /* ...|MAP_FIXED_NOREPLACE */

/* ---- syscalls ---- */

long rt_sys_write(int fd, const void *p, uint64_t n)
{
	return rt_arch_syscall(rt_sysnr.write, fd, (long)p, (long)n, 0, 0, 0);
}

void rt_sys_exit(int status)
{
	for (;;)
		rt_arch_syscall(rt_sysnr.exit_group, status, 0, 0, 0, 0, 0);
}

/* Map [addr, addr+len) read-write at exactly that address; refuse to
   replace an existing mapping where the kernel can tell. */
int rt_sys_map_fixed(uint64_t addr, uint64_t len)
{
	long r = rt_arch_syscall(rt_sysnr.mmap, (long)addr, (long)len,
				 MAP_PROT_RW, MAP_FLAGS_NOREPLACE, -1, 0);

	if (r == -22 /* EINVAL: an old kernel without NOREPLACE */)
		r = rt_arch_syscall(rt_sysnr.mmap, (long)addr, (long)len,
				    MAP_PROT_RW, MAP_FLAGS_FIXED, -1, 0);
	if (r < 0 && r > -4096)
		return (int)r;
	if ((uint64_t)r != addr)
		return -17; /* EEXIST: the kernel placed it elsewhere */
	return 0;
}

#define MAP_FLAGS_RESERVE 0x104022 /* PRIVATE|ANON|NORESERVE|NOREPLACE */

/* rt.h: reserve [addr, addr+len) PROT_NONE at exactly addr. */
void rt_sys_reserve(uint64_t addr, uint64_t len)
{
	long r = rt_arch_syscall(rt_sysnr.mmap, (long)addr, (long)len, 0,
				 MAP_FLAGS_RESERVE, -1, 0);

	if (r == -22)
		r = rt_arch_syscall(rt_sysnr.mmap, (long)addr, (long)len, 0,
				    MAP_FLAGS_FIXED | 0x4000, -1, 0);
	if ((uint64_t)r != addr)
		rt_throw(
		    "rt_sys_reserve: cannot reserve a fixed address range");
}

/* rt.h: make part of a reservation read-write (zero-filled). */
void rt_sys_commit(uint64_t addr, uint64_t len)
{
	long r = rt_arch_syscall(rt_sysnr.mmap, (long)addr, (long)len,
				 MAP_PROT_RW, MAP_FLAGS_FIXED, -1, 0);

	if ((uint64_t)r != addr)
		rt_throw("rt_sys_commit: mmap failed");
}

/* ---- start-up ---- */

static int prefix(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return 0;
	return 1;
}

static uint64_t parse_uint(const char *s)
{
	uint64_t v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	return v;
}

/* EVERYPC_DEBUG=gcstress,verify,stress=N,iters=N,report,gc=stw|incremental,
   markstress (comma-separated). */
static void parse_debug(const char *s)
{
	while (*s) {
		if (prefix(s, "gcstress"))
			rt_debug.gcstress = 1;
		else if (prefix(s, "gc=stw"))
			rt_debug.gc = RT_GC_STW;
		else if (prefix(s, "gc=incremental"))
			rt_debug.gc = RT_GC_INCREMENTAL;
		else if (prefix(s, "markstress"))
			rt_debug.markstress = 1;
		else if (prefix(s, "verify"))
			rt_debug.verify = 1;
		else if (prefix(s, "stress="))
			rt_debug.stress = parse_uint(s + 7);
		else if (prefix(s, "iters="))
			rt_debug.iters = parse_uint(s + 6);
		else if (prefix(s, "report"))
			rt_debug.report = 1;
		while (*s && *s != ',')
			s++;
		if (*s == ',')
			s++;
	}
}

static void parse_env(char **envp)
{
	for (; *envp; envp++)
		if (prefix(*envp, "EVERYPC_DEBUG="))
			parse_debug(*envp + 14);
}

static void g0_init(void)
{
	uint64_t lo = RT_SYS_BASE;

	if (rt_sys_map_fixed(lo, G0_STACK_SIZE) != 0)
		rt_throw("cannot map the system stack at RT_SYS_BASE");
	rt_g0.head.stack_lo = lo;
	rt_g0.head.stack_hi = lo + G0_STACK_SIZE;
	rt_g0.head.stackguard = lo + EP_STACK_GUARD;
	rt_g0.sig = RT_G_SIG;
	rt_g0.status = RT_G_RUNNING;
	rt_g0.sched.sp = lo + G0_STACK_SIZE - 64; /* 16-aligned */
}

static void iter_run(void);

/* Called by _start on the process stack with the initial SP (argc). */
void rt_start(uint64_t *sp);
void rt_start(uint64_t *sp)
{
	uint64_t argc = sp[0];
	char **envp = (char **)(sp + 1 + argc + 1);

	parse_env(envp);
	rt_out_reset();
	g0_init();
	rt_heap_init();
	rt_rig_init();
	rt_signal_init();
	if (rt_debug.stress)
		rt_stress_arm(rt_debug.stress);
	rt_g0_run(iter_run);
}

/* ---- goroutines ---- */

void rt_g_check(const struct rt_g *g)
{
	if (!g || g->sig != RT_G_SIG)
		rt_throw("rt_g_check: bad g signature (RT-4)");
	if (g != &rt_g0 && (g->head.stack_lo >= g->head.stack_hi ||
			    g->head.stackguard < g->head.stack_lo))
		rt_throw("rt_g_check: bad stack bounds (RT-4)");
}

static int g_live(const struct rt_g *g)
{
	return g->status == RT_G_RUNNABLE || g->status == RT_G_RUNNING ||
	       g->status == RT_G_WAITING;
}

/* Live goroutines (runnable, running or waiting: the ones with stacks), in
   pool order. */
struct rt_g *rt_allg_next(struct rt_g *g)
{
	uint64_t i = g ? (uint64_t)(g - rt_allg) + 1 : 0;

	for (; i < rt_nallg; i++)
		if (g_live(&rt_allg[i]))
			return &rt_allg[i];
	return NULL;
}

struct rt_g *rt_allg_first(void) { return rt_allg_next(NULL); }

static struct rt_g *g_alloc(void)
{
	struct rt_g *g = rt_gq_get(&gfree);

	if (!g) {
		if (rt_nallg == RT_MAX_G)
			rt_throw("too many goroutines (RT_MAX_G)");
		g = &rt_allg[rt_nallg++];
	}
	rt_memset(g, 0, sizeof *g);
	g->sig = RT_G_SIG;
	g->id = ++next_goid;
	return g;
}

static uint64_t round16(uint64_t n) { return (n + 15) & ~15ull; }

/* Lay out a new goroutine's stack (PROC-3), tell the collector (born
   scanned while a cycle marks, gcinternal.h GCI-7) and queue it. creator:
   the goroutine whose go statement it is (NULL for main.main). */
static struct rt_g *g_start(uint64_t entry, const uint64_t *args,
			    uint64_t argbytes, const struct rt_g *creator)
{
	const struct ep_func *f = rt_findfunc(entry);
	struct rt_g *g;
	uint64_t room, sp;

	if (!f || f->entry != entry)
		rt_throw("newproc: not the entry of a managed function");
	room = round16(argbytes > f->args_size ? argbytes : f->args_size);
	if (room == 0)
		room = 16; /* keep the entry SP strictly inside the stack */
	g = g_alloc();
	rt_stack_alloc(g, EP_STACK_MIN);
	if (!g->head.stackguard)
		g->head.stackguard = g->head.stack_lo + EP_STACK_GUARD;
	sp = g->head.stack_hi - room;
	rt_memset((void *)sp, 0, room);
	if (argbytes)
		rt_memmove((void *)sp, args, argbytes);
	if (rt_arch.ra_push) {
		sp -= rt_arch.ra_push;
		*(uint64_t *)sp = (uint64_t)rt_goexit;
	}
	g->sched.sp = sp;
	g->sched.pc = entry;
	g->sched.lr = (uint64_t)rt_goexit;
	g->sched.fp = 0;
	g->sched_kind = RT_SCHED_START;
	g->entry = entry;
	rt_gc_newproc(g, creator);
	rt_ready(g);
	return g;
}

void rt_ready(struct rt_g *g)
{
	g->status = RT_G_RUNNABLE;
	g->waiting_reason = RT_WAIT_NONE;
	g->waitchan = NULL;
	if (!rt_dc_hold(g)) /* DC-5: nobody else runs during a debug call */
		rt_gq_put(&rt_runq, g);
}

void rt_park(struct rt_g *g, uint32_t reason)
{
	g->status = RT_G_WAITING;
	g->waiting_reason = reason;
}

uint64_t *rt_args(struct rt_g *g) { return (uint64_t *)g->sched.sp; }

void rt_set_result(struct rt_g *g, uint32_t slot, int64_t v)
{
	g->ret_val = v;
	g->ret_off = slot * EP_WORD;
	g->ret_pending = 1;
}

/* SCHED-2: the last step before a goroutine runs again. */
struct rt_g *rt_run(struct rt_g *g)
{
	rt_g_check(g);
	if (g->ret_pending) {
		*(int64_t *)(g->sched.sp + g->ret_off) = g->ret_val;
		g->ret_pending = 0;
	}
	g->preempt_async = 0;
	g->status = RT_G_RUNNING;
	rt_curg = g;
	return g;
}

/* The next goroutine to run; all asleep is Go's deadlock error. Every
   goroutine is stopped here, so while a cycle marks each switch runs one
   mark slice first (gcinternal.h GCI-9). */
struct rt_g *rt_schedule(void)
{
	struct rt_g *g;

	rt_gc_sched_slice();
	g = rt_gq_get(&rt_runq);
	if (!g)
		rt_fatal(&rt_allg[0], "all goroutines are asleep - deadlock!");
	return rt_run(g);
}

/* ---- iterations (persistent mode, RIG-5) ---- */

static void globals_reset(void)
{
	const struct ep_module *m = &everypc_module;

	if (m->globals_init && m->globals_size)
		rt_memmove((void *)m->globals_start, m->globals_init,
			   m->globals_size);
}

static void goroutines_reset(void)
{
	for (uint64_t i = 0; i < rt_nallg; i++) {
		struct rt_g *g = &rt_allg[i];
		if (g_live(g))
			rt_stack_free(g);
	}
	rt_memset(rt_allg, 0, sizeof(struct rt_g) * rt_nallg);
	rt_nallg = 0;
	next_goid = 0;
	rt_runq.head = rt_runq.tail = NULL;
	gfree.head = gfree.tail = NULL;
	rt_curg = NULL;
}

static void iter_reset(void)
{
	goroutines_reset();
	rt_stack_reset();
	rt_heap_reset();
	globals_reset();
}

/* Runs on a fresh g0 stack: reset, hook, start main.main. */
static void iter_run(void)
{
	if (started)
		iter_reset();
	else
		globals_reset();
	started = 1;
	rt_out_reset();
	everypc_rig.rep_iteration = rt_iteration;
	everypc_rig.rep_exit_status = 0;
	everypc_rig.rep_heap_check = 0;
	everypc_rig.rep_preempt_accepted = 0;
	everypc_rig.rep_preempt_rejected = 0;
	everypc_hook_iter_start(rt_iteration);
	g_start((uint64_t)rt_main_main, NULL, 0, NULL);
	rt_gogo(rt_schedule());
}

static int persistent(void)
{
	return everypc_rig.req_persistent || rt_debug.iters;
}

static int stop_now(void)
{
	if (everypc_rig.req_stop)
		return 1;
	return rt_debug.iters && rt_iteration + 1 >= rt_debug.iters;
}

static void put_num(const char *label, uint64_t v)
{
	char buf[24];
	int i = sizeof buf;

	rt_sys_write(1, label, rt_strlen(label));
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	rt_sys_write(1, buf + i, sizeof buf - (uint64_t)i);
}

/* EVERYPC_DEBUG=report: one line of counters on stdout (never stderr, the
   program's output) for each iteration. */
static void report_line(void)
{
	put_num("everypc: iteration ", rt_iteration);
	put_num(" preempt accepted ", everypc_rig.rep_preempt_accepted);
	put_num(" rejected ", everypc_rig.rep_preempt_rejected);
	put_num(" goroutines ", next_goid);
	put_num(" gc ", rt_memstats.ngc);
	put_num(" slices ", rt_memstats.nslices);
	put_num(" barriers ", rt_memstats.nwbarrier);
	rt_sys_write(1, "\n", 1);
}

/* End the iteration with status: report, hook, then exit or go again. */
void rt_iter_finish(int status)
{
	rt_out_flush();
	rt_gc_cycle_finish(); /* RIG-8: a cycle never spans iterations */
	everypc_rig.rep_exit_status = status;
	/* under the rig (req_quiet) in either mode, so isolated cases and
	   replays judge the heap as persistent ones do */
	if (persistent() || rt_debug.verify || everypc_rig.req_quiet)
		everypc_rig.rep_heap_check = rt_heap_verify();
	everypc_hook_iter_end(rt_iteration);
	if (rt_debug.report)
		report_line();
	if (!persistent() || stop_now())
		rt_sys_exit(status);
	rt_iteration++;
	rt_g0_run(iter_run);
}

/* ---- runtime entry points (SCHED-1), C halves ---- */

/* RT-3: the first thing at every synchronous safe point; SCHED-4. */
void rt_sync_point(struct rt_g *g)
{
	rt_g_check(g);
	if (g->shrink_pending)
		rt_maybe_shrink_pending(g);
}

struct rt_g *rt_e_newobject(struct rt_g *g);
struct rt_g *rt_e_newobject(struct rt_g *g)
{
	uint64_t t;
	void *p;

	rt_sync_point(g);
	t = rt_args(g)[0];
	if (t >= everypc_module.ntypes)
		rt_throw("newobject: bad type index");
	p = rt_alloc_raw(everypc_module.types[t].size, (uint32_t)t);
	rt_set_result(g, 1, (int64_t)(uint64_t)p);
	return rt_run(g);
}

struct rt_g *rt_e_newproc(struct rt_g *g);
struct rt_g *rt_e_newproc(struct rt_g *g)
{
	uint64_t *a;

	rt_sync_point(g);
	a = rt_args(g);
	if (a[1] % EP_WORD || a[1] > 8 * 64)
		rt_throw("newproc: bad argument size");
	g_start(a[0], a + 2, a[1], g);
	return rt_run(g);
}

struct rt_g *rt_e_gosched(struct rt_g *g);
struct rt_g *rt_e_gosched(struct rt_g *g)
{
	rt_sync_point(g);
	rt_ready(g);
	return rt_schedule();
}

struct rt_g *rt_e_gc(struct rt_g *g);
struct rt_g *rt_e_gc(struct rt_g *g)
{
	rt_sync_point(g);
	rt_gc();
	return rt_run(g);
}

/* ABI-3: grow the stack so the interrupted function's frame fits, then
   re-run its entry (gogo to the morestack block, which jumps there). */
struct rt_g *rt_e_morestack(struct rt_g *g);
struct rt_g *rt_e_morestack(struct rt_g *g)
{
	const struct ep_func *f;

	rt_g_check(g);
	f = rt_findfunc(g->sched.pc);
	if (!f)
		rt_throw("morestack: call from an unknown function");
	rt_morestack(g, f->frame_size + EP_STACK_GUARD);
	return rt_run(g);
}

/* A goroutine's function returned into rt_goexit (PROC-2, PROC-3). */
struct rt_g *rt_e_goexit(struct rt_g *g);
struct rt_g *rt_e_goexit(struct rt_g *g)
{
	rt_g_check(g);
	if (g->id == 1)
		rt_iter_finish(0);
	rt_stack_free(g);
	g->status = RT_G_DEAD;
	g->sig = RT_G_DEAD_SIG;
	rt_gq_put(&gfree, g);
	rt_curg = NULL;
	return rt_schedule();
}
