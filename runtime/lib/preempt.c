/*
 * preempt.c -- asynchronous preemption: the safe-point decision made in the
 * signal handler, and the C half of asyncPreempt that parks the goroutine.
 *
 * INVARIANTS:
 * PRE-1 The handler rewrites the context (per-arch pushCall, ABI-6) only when
 *       rt_is_async_safe_point() holds; otherwise it returns with the context
 *       untouched and the request stays pending (RIG-4).
 * PRE-2 When rt_e_async_park runs, every register of the goroutine is saved
 *       in its asyncPreempt frame and preempt_async is set (RT-2); the
 *       goroutine is then runnable at the tail of the run queue and resumes
 *       through asyncPreempt's restore path (rt_run clears preempt_async).
 *
 * Mutant ACCEPT_UNSAFE_POINTS (-DEP_MUTANT_ACCEPT_UNSAFE_POINTS): the
 * unsafe-range check is skipped, so prologues, epilogues and GC-atomic
 * sequences are preempted as if they were safe.
 */
#include "sched.h"

int rt_force_shrink; /* rt.h; defined here, read by stack.c */

int rt_is_async_safe_point(struct rt_g *g, uint64_t pc, uint64_t sp)
{
	if (!g || g == &rt_g0 || g->status != RT_G_RUNNING)
		return 0; /* not a user goroutine running managed code */
	if (!rt_findfunc(pc))
		return 0; /* runtime, assembly or unknown code */
#ifndef EP_MUTANT_ACCEPT_UNSAFE_POINTS
	if (rt_findunsafe(pc))
		return 0; /* META-5 */
#endif
	if (sp > g->head.stack_hi ||
	    sp < g->head.stack_lo + rt_arch_async_frame)
		return 0; /* no room for asyncPreempt's frame */
	return 1;
}

/* Called from the SIGURG/SIGALRM handler (SIG-2). */
void rt_preempt_signal(void *uc, int timer)
{
	struct rt_g *g = rt_curg;

	if (!everypc_rig.req_preempt && !(timer && rt_debug.stress))
		return;
	if (!g || rt_arch_ctx_g(uc) != (uint64_t)g ||
	    !rt_is_async_safe_point(g, rt_arch_ctx_pc(uc),
				    rt_arch_ctx_sp(uc))) {
		everypc_rig.rep_preempt_rejected++;
		if (timer && rt_debug.stress)
			rt_stress_arm(rt_debug.stress); /* try again later */
		return;
	}
	rt_arch_ctx_pushcall(uc, (uint64_t)asyncPreempt);
	everypc_rig.req_preempt = 0;
	everypc_rig.rep_preempt_accepted++;
}

void rt_mark_request(struct rt_g *g)
{
	uint32_t n = everypc_rig.req_mark_slices;
	everypc_rig.req_mark_slices = 0;
	rt_gc_mark_parked(g, n);
}

/* asyncPreempt saved everything and switched to g0 (PRE-2). */
struct rt_g *rt_e_async_park(struct rt_g *g);
struct rt_g *rt_e_async_park(struct rt_g *g)
{
	rt_g_check(g);
	if (!g->preempt_async)
		rt_throw("asyncPreempt: preempt_async not set (PRE-2)");
	g->status = RT_G_RUNNABLE;
	everypc_rig.rep_parked_g = g->id;
	everypc_hook_parked(g);
	rt_mark_request(g);
	if (everypc_rig.req_gc_after_preempt || rt_debug.stress) {
		rt_force_shrink = (int)everypc_rig.req_shrink;
		rt_gc();
		rt_force_shrink = 0;
	}
	if (rt_debug.stress) /* the next stress signal, from now (signal.c) */
		rt_stress_arm(rt_debug.stress);
	rt_ready(g);
	return rt_schedule();
}
