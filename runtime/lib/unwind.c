/*
 * unwind.c -- metadata lookups (function table, call-site maps, unsafe
 * ranges: bisection over the sorted tables of META-2/3/5) and the frame
 * iterator that the GC, stack copying and tracebacks share (frame kinds and
 * GCI-1 in gcinternal.h). Frame geometry comes from rt_arch (ABI-2):
 *   return address at sp + F - ra_from_top, saved FP at sp + F - fp_from_top,
 *   callerSP = sp + F + ra_push (the caller's frame base, argument 0).
 * Also the message builder used to name PCs and values in throws.
 */
#include "gcinternal.h"

const struct ep_module *rt_meta = &everypc_module;

void rt_meta_check(void)
{
	if (rt_meta->magic != EP_META_MAGIC)
		rt_throw("everypc_module: bad magic (not built by gosub?)");
	if (rt_meta->version != EP_META_VERSION)
		rt_throw("everypc_module: metadata version mismatch");
	if (rt_meta->arch != rt_arch.arch)
		rt_throw("everypc_module: program built for another arch");
}

/* ---- messages ---- */

void rt_msg_str(struct rt_msg *m, const char *s)
{
	while (*s && m->len + 1 < sizeof m->buf)
		m->buf[m->len++] = *s++;
	m->buf[m->len] = 0;
}

void rt_msg_hex(struct rt_msg *m, uint64_t v)
{
	char tmp[19];
	int n = 18;
	tmp[n] = 0;
	do {
		tmp[--n] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	tmp[--n] = 'x';
	tmp[--n] = '0';
	rt_msg_str(m, tmp + n);
}

void rt_msg_int(struct rt_msg *m, int64_t v)
{
	char tmp[22];
	int n = 21;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	tmp[n] = 0;
	do {
		tmp[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--n] = '-';
	rt_msg_str(m, tmp + n);
}

static void __attribute__((noreturn))
throw_pc(const char *what, uint64_t pc, const struct ep_func *fn)
{
	static struct rt_msg m;
	m.len = 0;
	rt_msg_str(&m, what);
	rt_msg_str(&m, " at PC ");
	rt_msg_hex(&m, pc);
	if (fn) {
		rt_msg_str(&m, " in ");
		rt_msg_str(&m, fn->name);
	}
	rt_throw(m.buf);
}

/* ---- lookups ---- */

const struct ep_func *rt_findfunc(uint64_t pc)
{
	const struct ep_func *f = rt_meta->funcs;
	uint64_t lo = 0, hi = rt_meta->nfuncs;
	while (lo < hi) { /* lo = number of functions with entry <= pc */
		uint64_t mid = lo + (hi - lo) / 2;
		if (f[mid].entry <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || pc >= f[lo - 1].end)
		return 0;
	return &f[lo - 1];
}

const struct ep_callsite *rt_findcallsite(const struct ep_func *f,
					  uint64_t retpc)
{
	uint32_t lo = 0, hi = f->ncallsites;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint64_t r = f->callsites[mid].retpc;
		if (r == retpc)
			return &f->callsites[mid];
		if (r < retpc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

const struct ep_unsafe *rt_findunsafe(uint64_t pc)
{
	const struct ep_unsafe *u = rt_meta->unsafe;
	uint64_t lo = 0, hi = rt_meta->nunsafe;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (u[mid].start <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || pc >= u[lo - 1].end)
		return 0;
	return &u[lo - 1];
}

/* ---- frames ---- */

uint64_t rt_frame_bytes(const struct rt_frame *fr)
{
	return fr->kind == RT_FRAME_ENTRY ? 0 : fr->fn->frame_size;
}

uint64_t rt_frame_fpslot(const struct rt_frame *fr)
{
	if (fr->kind == RT_FRAME_ENTRY)
		return 0;
	return fr->sp + fr->fn->frame_size - rt_arch.fp_from_top;
}

const uint8_t *rt_frame_callmap(const struct rt_frame *fr)
{
	const struct ep_callsite *cs = rt_findcallsite(fr->fn, fr->pc);
	if (fr->kind != RT_FRAME_CALL || !cs)
		throw_pc("missing stack map", fr->pc, fr->fn);
	return cs->ptrmask;
}

/* Fill in retpc, argp and outermost for u->fr (fn, pc, sp, kind set; for
   ENTRY frames retpc and argp set too) and check GCI-1. */
static void frame_finish(struct rt_unwinder *u)
{
	struct rt_frame *fr = &u->fr;
	if (!fr->fn)
		throw_pc("unwind: return address outside managed code", fr->pc,
			 0);
	if (fr->sp < u->lo || fr->sp >= u->hi)
		throw_pc("unwind: frame SP outside the goroutine stack", fr->pc,
			 fr->fn);
	if (fr->kind != RT_FRAME_ENTRY) {
		uint64_t f = fr->fn->frame_size;
		if (f < 2 * EP_WORD) /* ABI-2: every function has a frame */
			throw_pc("unwind: function without a frame", fr->pc,
				 fr->fn);
		if (fr->sp + f + rt_arch.ra_push > u->hi)
			throw_pc("unwind: frame runs past the stack top",
				 fr->pc, fr->fn);
		fr->retpc =
		    *(const uint64_t *)(fr->sp + f - rt_arch.ra_from_top);
		fr->argp = fr->sp + f + rt_arch.ra_push;
	}
	fr->outermost = rt_findfunc(fr->retpc) == 0;
	if (fr->outermost && fr->argp + fr->fn->args_size > u->hi)
		throw_pc(
		    "unwind: arguments of the first frame past the stack top",
		    fr->pc, fr->fn);
}

/* debugcall.c (weak: absent from hosted tests of the memory half). */
int rt_dc_pc(uint64_t pc) __attribute__((weak));

void rt_unwind_start(struct rt_unwinder *u, const struct rt_g *g)
{
	struct rt_frame *fr = &u->fr;
	u->lo = g->head.stack_lo;
	u->hi = g->head.stack_hi;
	u->valid = 1;
	fr->outermost = 0;
	if (g->preempt_async) {
		fr->kind = RT_FRAME_ASYNC;
		fr->pc = g->async_pc;
		fr->sp = g->async_sp;
	} else if (g->sched_kind == RT_SCHED_CALL) {
		fr->kind = RT_FRAME_CALL;
		fr->pc = g->sched.pc;
		fr->sp = g->sched.sp;
	} else {
		fr->kind = RT_FRAME_ENTRY;
		fr->pc = g->sched.pc;
		fr->sp = g->sched.sp;
		if (fr->sp < u->lo || fr->sp >= u->hi)
			throw_pc("unwind: entry SP outside the goroutine stack",
				 fr->pc, 0);
		fr->retpc =
		    rt_arch.ra_push ? *(const uint64_t *)fr->sp : g->sched.lr;
		fr->argp = fr->sp + rt_arch.ra_push;
	}
	fr->fn = rt_findfunc(fr->pc);
	if (!fr->fn && rt_dc_pc && rt_dc_pc(fr->pc)) {
		u->valid =
		    0; /* a debug-call goroutine before its call (DCI-2) */
		return;
	}
	frame_finish(u);
}

void rt_unwind_next(struct rt_unwinder *u)
{
	struct rt_frame *fr = &u->fr;
	if (!u->valid || fr->outermost) {
		u->valid = 0;
		return;
	}
	uint64_t oldsp = fr->sp;
	fr->pc = fr->retpc;
	fr->sp = fr->argp;
	fr->kind = RT_FRAME_CALL;
	fr->fn = rt_findfunc(fr->pc);
	if (fr->sp < oldsp)
		throw_pc("unwind: frames out of order", fr->pc, fr->fn);
	frame_finish(u);
}
