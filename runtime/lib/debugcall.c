/*
 * debugcall.c -- the runtime's half of debug-call injection (the protocol is
 * everypc/debugcall.h, DC-n; the frame and internals dcall.h, DCI-n): the
 * safety check with Go's reasons, the dispatch by frame-size class, the call
 * goroutine, the freeze of every other goroutine, and the way back.
 *
 * Flow: the debugger redirects a stopped goroutine to runtime.debugCallV2
 * (arch/<arch>/sys.S), which saves every register in its entry frame and, when
 * the goroutine register and SP say a user goroutine was running, switches
 * to g0 and calls rt_e_debugcall. A refusal resumes the goroutine at
 * rt_dc_refuse on its own stack (trap ERROR, then RESTORE). An accepted call
 * parks the goroutine asynchronously (DC-5), starts a new goroutine at
 * runtime.debugCall<class> (trap READY, call, trap RESULT) and, when that
 * finishes (rt_e_debugcall_done), resumes the interrupted goroutine at
 * rt_dc_restore (trap RESTORE) without passing through the scheduler.
 *
 * Mutants (one #ifdef each, where the bug bends the code):
 *   EP_MUTANT_DEBUGCALL_SAME_GOROUTINE  the call runs on the interrupted
 *       goroutine's own stack, below the entry frame, which is then not
 *       parked: its frames are not scanned and a stack growth moves them
 *       unadjusted (Go before 1.18).
 *   EP_MUTANT_DEBUGCALL_NO_FREEZE  the run queue is not set aside, nor are
 *       the goroutines the call wakes: other goroutines run during the call.
 *   EP_MUTANT_DEBUGCALL_ACCEPT_UNSAFE  no unsafe-range check.
 */
#include <stddef.h>

#include "dcall.h"
#include "everypc/debugcall.h"

_Static_assert(offsetof(struct rt_dcstate, msg_ptr) == DCS_MSG_PTR, "dcall");
_Static_assert(offsetof(struct rt_dcstate, msg_len) == DCS_MSG_LEN, "dcall");
_Static_assert(offsetof(struct rt_dcstate, entry) == DCS_ENTRY, "dcall");
_Static_assert(offsetof(struct rt_dcstate, frame) == DCS_FRAME, "dcall");
_Static_assert(sizeof EP_DC_REASON_RUNTIME - 1 == DC_REASON_RUNTIME_LEN,
	       "dcall");

struct rt_dcstate rt_dcstate;

/* Linker-provided bounds of the executable's code (GNU ld). */
extern char rt_exec_start[] __asm__("__executable_start");
extern char rt_etext[] __asm__("etext");

#define DC_GOID_BASE EP_DC_GOID_BASE

int rt_dc_pc(uint64_t pc)
{
	return pc >= (uint64_t)rt_dc_text_start &&
	       pc < (uint64_t)rt_dc_text_end;
}

static void set_msg(const char *s, uint64_t len)
{
	rt_dcstate.msg_ptr = (uint64_t)s;
	rt_dcstate.msg_len = len;
}

/* ---- debugCallCheck (DC-4) ---- */

static const char *check_pc(const struct rt_g *g, uint64_t pc)
{
	if (rt_dcstate.active && rt_dcstate.iteration != rt_iteration)
		rt_dcstate.active = 0; /* an iteration ended inside a call */
	if (g == &rt_g0 || g->status != RT_G_RUNNING || rt_dcstate.active)
		return EP_DC_REASON_RUNTIME;
	if (!rt_findfunc(pc)) {
		if (pc >= (uint64_t)rt_exec_start && pc < (uint64_t)rt_etext)
			return EP_DC_REASON_RUNTIME;
		return EP_DC_REASON_UNKNOWN;
	}
#ifndef EP_MUTANT_DEBUGCALL_ACCEPT_UNSAFE
	if (rt_findunsafe(pc))
		return EP_DC_REASON_UNSAFE; /* META-5 */
#endif
	return NULL;
}

/* The frame-size class (DC-6) and its code, or 0. */
static uint64_t frame_class(uint64_t size, uint64_t *entry)
{
	static const struct {
		uint64_t size;
		const char *code;
	} classes[] = {
	    {32, rt_dc_call32},
	    {64, rt_dc_call64},
	    {128, rt_dc_call128},
	    {256, rt_dc_call256},
	};

	for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
		if (size <= classes[i].size) {
			*entry = (uint64_t)classes[i].code;
			return classes[i].size;
		}
	return 0;
}

static RT_NORETURN void refuse(struct rt_g *g, const char *reason)
{
	set_msg(reason, rt_strlen(reason));
	rt_dc_resume(g, rt_dcstate.entry, (uint64_t)rt_dc_refuse);
}

/* ---- the call goroutine ---- */

#ifndef EP_MUTANT_DEBUGCALL_SAME_GOROUTINE
/* A g struct for the call: the previous call's slot when it is still ours
   (dead, with a call id), else a fresh slot of the pool. proc.c's free
   list is never touched, so the program's own goroutines are numbered and
   placed exactly as without the call. */
static struct rt_g *callg_alloc(void)
{
	struct rt_g *g = NULL;
	uint32_t s = rt_dcstate.slot;

	if (s && s <= rt_nallg && rt_allg[s - 1].status == RT_G_DEAD &&
	    rt_allg[s - 1].id >= DC_GOID_BASE)
		g = &rt_allg[s - 1];
	if (!g) {
		if (rt_nallg == RT_MAX_G)
			rt_throw("too many goroutines (RT_MAX_G)");
		g = &rt_allg[rt_nallg++];
		rt_dcstate.slot = (uint32_t)rt_nallg;
	}
	rt_memset(g, 0, sizeof *g);
	g->sig = RT_G_SIG;
	g->id = DC_GOID_BASE + rt_dcstate.ncalls;
	rt_stack_alloc(g, EP_STACK_MIN);
	return g;
}
#endif

/* g starts at code (runtime.debugCallN) with an empty 16-byte-aligned
   stack top; debugCallN opens the frame itself. */
static void callg_start(struct rt_g *g, uint64_t top, uint64_t code)
{
	g->sched.sp = (top - 16) & ~15ull;
	g->sched.pc = code;
	g->sched.fp = 0;
	g->sched.lr = 0;
	g->sched_kind = RT_SCHED_START;
	g->entry = code;
}

/* DC-5: every runnable goroutine leaves the run queue until the call ends */
static void freeze(void)
{
	struct rt_g *g;

	rt_dcstate.stash.head = rt_dcstate.stash.tail = NULL;
#ifndef EP_MUTANT_DEBUGCALL_NO_FREEZE
	while ((g = rt_gq_get(&rt_runq)) != NULL)
		rt_gq_put(&rt_dcstate.stash, g);
#else
	(void)g;
#endif
}

/* DC-5, while a call runs: a goroutine the call wakes (a channel handoff)
   joins the set-aside queue instead of the run queue, so it cannot run
   before RESTORE either. 1 when g was held. */
int rt_dc_hold(struct rt_g *g)
{
#ifndef EP_MUTANT_DEBUGCALL_NO_FREEZE
	if (rt_dcstate.active && rt_dcstate.iteration == rt_iteration &&
	    g != rt_dcstate.callg) {
		rt_gq_put(&rt_dcstate.stash, g);
		return 1;
	}
#else
	(void)g;
#endif
	return 0;
}

/* The set-aside queue goes back first, then whatever became runnable. */
static void thaw(void)
{
	struct rt_g *g;

	while ((g = rt_gq_get(&rt_runq)) != NULL)
		rt_gq_put(&rt_dcstate.stash, g);
	rt_runq = rt_dcstate.stash;
	rt_dcstate.stash.head = rt_dcstate.stash.tail = NULL;
}

/* DC-5: g is parked like an asynchronously preempted goroutine. */
static void park_interrupted(struct rt_g *g, uint64_t pc)
{
	uint64_t b = rt_dcstate.frame;

	g->async_pc = pc;
	g->async_sp = b + rt_dc_arch.frame_bytes;
	g->async_regs = b;
	g->async_regs_size = rt_dc_arch.frame_bytes;
	g->preempt_async = 1;
	rt_park(g, RT_WAIT_NONE);
}

/* The C half of runtime.debugCallV2 (on g0; registers saved in the frame
   at rt_dcstate.entry; g is the running user goroutine per the entry). */
struct rt_g *rt_e_debugcall(struct rt_g *g);
struct rt_g *rt_e_debugcall(struct rt_g *g)
{
	uint64_t b = rt_dcstate.entry, pc, size, code, cls;
	const char *why;
	struct rt_g *cg;

	rt_g_check(g);
	pc = *(const uint64_t *)(b + rt_dc_arch.pc_off);
	size = *(const uint64_t *)(b + rt_dc_arch.size_off);
	why = check_pc(g, pc);
	if (why)
		refuse(g, why);
	cls = frame_class(size, &code);
	if (!cls)
		refuse(g, EP_DC_REASON_TOO_LARGE);
	rt_dcstate.active = 1;
	rt_dcstate.iteration = rt_iteration;
	rt_dcstate.frame = b;
	rt_dcstate.ig = g;
	rt_dcstate.ncalls++;
	park_interrupted(g, pc);
	rt_mark_request(g); /* before the call goroutine exists */
#ifdef EP_MUTANT_DEBUGCALL_SAME_GOROUTINE
	cg = g; /* below the entry frame, on the same stack */
	callg_start(cg, b, code);
#else
	cg = callg_alloc();
	callg_start(cg, cg->head.stack_hi, code);
#endif
	rt_dcstate.callg = cg;
	freeze();
	rt_ready(cg);
	return rt_schedule();
}

/* The call goroutine is finished (after RESULT or PANIC): end it, give the
   other goroutines their queue back and resume the interrupted goroutine at
   the RESTORE trap, on its entry frame. */
struct rt_g *rt_e_debugcall_done(struct rt_g *g);
struct rt_g *rt_e_debugcall_done(struct rt_g *g)
{
	struct rt_g *ig = rt_dcstate.ig;

	rt_g_check(g);
	if (!rt_dcstate.active || g != rt_dcstate.callg)
		rt_throw("debugcall: done from a goroutine not running a "
			 "debug call (DCI-1)");
	if (g != ig) {
		rt_stack_free(g);
		g->status = RT_G_DEAD;
		g->sig = RT_G_DEAD_SIG;
	}
	thaw();
	rt_dcstate.active = 0;
	rt_dcstate.callg = rt_dcstate.ig = NULL;
	rt_g_check(ig);
	ig->preempt_async = 0;
	ig->status = RT_G_RUNNING;
	ig->waiting_reason = RT_WAIT_NONE;
	rt_curg = ig;
	rt_dc_resume(ig, rt_dcstate.frame, (uint64_t)rt_dc_restore);
}

void rt_debugcall_panic(struct rt_g *g, const char *msg, uint64_t len)
{
	if (!rt_dcstate.active || g != rt_dcstate.callg)
		return;
	set_msg(msg, len);
	/* The call's frames are abandoned: trap on the top of its stack. */
	rt_dc_resume(g, (g->head.stack_hi - 64) & ~15ull,
		     (uint64_t)rt_dc_panicked);
}
