/*
 * stackcopy.c -- the stack-pointer oracle after every stack copy (issue 12
 * item 3; the same condition that reach.c checks at every liveness check,
 * and that the runtime's checking mode throws on, STK-4): at
 * everypc_hook_stack_copied (RIG-3) the rig walks the moved goroutine's
 * frames itself, from its saved context, and every word that a precise map
 * says holds a pointer -- each frame's call-site map (META-3), the pointer
 * words of each frame's stack objects (live or not: the runtime adjusts
 * them all, as Go's adjustframe does), the arguments of the outermost frame
 * -- that points into the stack area must point into the goroutine's new
 * stack. A word left pointing into the old, freed stack (or another one)
 * is a `stackptr` failure naming the frame, the slot and the value.
 *
 * INVARIANTS (cited as "SCP-n"):
 * SCP-1 The hook's breakpoint is in place during the baseline iteration
 *       (the program's own growth) and in each case from its stop to the
 *       iteration's end (the action's copies, the injected calls'
 *       included): up to the stop, a case's iteration is the baseline's, so
 *       every copy the sweep causes is judged once. A passing copy costs
 *       one stop and three reads; it leaves no trace in the guest.
 * SCP-2 A goroutine moved while asynchronously stopped is not judged here:
 *       its innermost frame is conservative, and moving it at all is the
 *       failure that the shrink oracle names (RT-3).
 * SCP-3 The walk is the runtime's frame iteration (GCI-1, ABI-2) done on
 *       the rig's reading of the guest: a return address into managed code
 *       that is not one of its call sites, or a frame outside the stack,
 *       is a failure too (the runtime's own unwinder would throw).
 */
#include "observe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regs.h"
#include "states.h"

static unsigned char *img; /* the moved stack, [base, base + len) */
static size_t img_cap;

struct moved {
	struct worker *w;
	uint64_t id, lo, hi, old_lo, old_hi, base; /* image from base */
	size_t len;
	char *detail;
	size_t dlen;
	int in_obj; /* judging a stack object's words */
	int objptr; /* one of them points into the new stack (STA-3) */
	const unsigned char *img; /* the image */
	/* stackwalk_precise: each call-site map word goes to visit instead,
	   stack objects are left out */
	int (*visit)(void *arg, uint64_t v, const char *frame,
		     const char *slot);
	void *varg;
};

static int word_at(const struct moved *mv, uint64_t addr, uint64_t *v)
{
	if (addr < mv->base || addr - mv->base > mv->len ||
	    mv->len - (addr - mv->base) < 8)
		return -1;
	memcpy(v, mv->img + (addr - mv->base), 8);
	return 0;
}

/* The word at addr (of frame, in slot) is no pointer into the stack area
   or one into the goroutine's new stack: 1, else 0 (detail). */
static int judge_word(struct moved *mv, uint64_t addr, const char *frame,
		      const char *slot)
{
	const struct everypc_layout *L = &mv->w->L;
	uint64_t v;

	if (word_at(mv, addr, &v) < 0) {
		snprintf(mv->detail, mv->dlen,
			 "%s goroutine %llu's stack%s: %s %s at 0x%llx "
			 "lies outside its stack [0x%llx, 0x%llx)",
			 mv->visit ? "in" : "after", (unsigned long long)mv->id,
			 mv->visit ? "" : " moved", frame, slot,
			 (unsigned long long)addr, (unsigned long long)mv->lo,
			 (unsigned long long)mv->hi);
		return 0;
	}
	if (mv->visit)
		return mv->visit(mv->varg, v, frame, slot);
	if (v - mv->lo < mv->hi - mv->lo)
		mv->objptr |= mv->in_obj;
	if (v - L->stack_base >= L->stack_area || v - mv->lo < mv->hi - mv->lo)
		return 1;
	snprintf(mv->detail, mv->dlen,
		 "after goroutine %llu's stack moved from [0x%llx, 0x%llx) to "
		 "[0x%llx, 0x%llx): %s %s = 0x%llx, a precise pointer into %s",
		 (unsigned long long)mv->id, (unsigned long long)mv->old_lo,
		 (unsigned long long)mv->old_hi, (unsigned long long)mv->lo,
		 (unsigned long long)mv->hi, frame, slot, (unsigned long long)v,
		 v - mv->old_lo < mv->old_hi - mv->old_lo
		     ? "the old, freed stack (not adjusted)"
		     : "another goroutine's or a freed stack");
	return 0;
}

static int judge_mask(struct moved *mv, uint64_t base, uint32_t nwords,
		      const uint8_t *mask, const char *frame, const char *what,
		      int64_t off)
{
	char slot[96];
	mv->in_obj = what != NULL;
	for (uint32_t i = 0; i < nwords; i++) {
		if (!((mask[i / 8] >> (i % 8)) & 1))
			continue;
		if (what)
			snprintf(slot, sizeof slot, "%s at sp+%lld word %u",
				 what, (long long)off, i);
		else
			snprintf(slot, sizeof slot, "sp+%llu",
				 (unsigned long long)(8ull * i));
		if (!judge_word(mv, base + 8ull * i, frame, slot))
			return 0;
	}
	return 1;
}

/* One managed frame stopped at a call (pc its return address, sp its SP):
   the call-site map's words and the stack objects' pointer words. */
static int judge_call_frame(struct moved *mv, const struct elfmeta_func *f,
			    const struct elfmeta_callsite *cs, uint64_t pc,
			    uint64_t sp)
{
	char frame[160];
	snprintf(frame, sizeof frame, "%s+%llu", f->name,
		 (unsigned long long)(pc - f->entry));
	if (!judge_mask(mv, sp, f->frame_size / 8, cs->ptrmask, frame, NULL, 0))
		return 0;
	for (uint32_t i = 0; !mv->visit && i < f->nstackobjs; i++) {
		const struct elfmeta_stackobj *o = &f->stackobjs[i];
		if (!judge_mask(mv, sp + (uint64_t)(int64_t)o->off, o->size / 8,
				o->ptrmask, frame, "stack object", o->off))
			return 0;
	}
	return 1;
}

static int judge_args(struct moved *mv, const struct elfmeta_func *f,
		      uint64_t argp)
{
	char frame[160], slot[64];
	snprintf(frame, sizeof frame, "%s (outermost)", f->name);
	for (uint32_t i = 0; i < f->args_size / 8 && i < 64; i++) {
		snprintf(slot, sizeof slot, "argument word %u", i);
		if (((f->args_ptrmask >> i) & 1) &&
		    !judge_word(mv, argp + 8ull * i, frame, slot))
			return 0;
	}
	return 1;
}

static int unwind_fail(struct moved *mv, const char *why, uint64_t pc,
		       uint64_t sp)
{
	if (mv->visit) {
		snprintf(mv->detail, mv->dlen,
			 "goroutine %llu, stack [0x%llx, 0x%llx): cannot "
			 "unwind it (SCP-3): %s, pc 0x%llx sp 0x%llx",
			 (unsigned long long)mv->id, (unsigned long long)mv->lo,
			 (unsigned long long)mv->hi, why,
			 (unsigned long long)pc, (unsigned long long)sp);
		return 0;
	}
	snprintf(mv->detail, mv->dlen,
		 "after goroutine %llu's stack moved from [0x%llx, 0x%llx) to "
		 "[0x%llx, 0x%llx): cannot unwind it (SCP-3): %s, pc 0x%llx "
		 "sp 0x%llx",
		 (unsigned long long)mv->id, (unsigned long long)mv->old_lo,
		 (unsigned long long)mv->old_hi, (unsigned long long)mv->lo,
		 (unsigned long long)mv->hi, why, (unsigned long long)pc,
		 (unsigned long long)sp);
	return 0;
}

/* From a frame at (pc, sp) of f stopped at a call, outwards. */
static int walk(struct moved *mv, const struct elfmeta_func *f, uint64_t pc,
		uint64_t sp)
{
	const struct rig_regs *rr = mv->w->t->rr;
	const struct elfmeta *m = mv->w->t->m;
	for (;;) { /* ends: sp grows by >= 16 a frame (ABI-2) within the stack
		    */
		const struct elfmeta_callsite *cs = elfmeta_callsite_at(f, pc);
		uint64_t ra;
		if (!cs)
			return unwind_fail(mv,
					   "a return address that is no "
					   "call site",
					   pc, sp);
		if (sp < mv->lo || sp + f->frame_size > mv->hi)
			return unwind_fail(mv, "a frame outside the stack", pc,
					   sp);
		if (!judge_call_frame(mv, f, cs, pc, sp))
			return 0;
		if (word_at(mv, rig_ra_slot(rr, sp, f->frame_size), &ra) < 0)
			return unwind_fail(mv,
					   "a return address outside the "
					   "stack",
					   pc, sp);
		if (f->frame_size < 16)
			return unwind_fail(mv, "a function without a frame", pc,
					   sp);
		sp = rig_caller_sp(rr, sp, f->frame_size);
		const struct elfmeta_func *cf = elfmeta_func_at(m, ra);
		if (!cf) /* the outermost frame: its arguments */
			return judge_args(mv, f, sp);
		f = cf, pc = ra;
	}
}

/* The goroutine's innermost frame, from its saved context (RT-5). */
static int judge_moved(struct moved *mv, const unsigned char *g)
{
	const struct everypc_layout *L = &mv->w->L;
	const struct rig_regs *rr = mv->w->t->rr;
	const struct elfmeta *m = mv->w->t->m;
	uint64_t pc, sp, lr, ra;
	uint32_t kind;
	const struct elfmeta_func *f;

	memcpy(&pc, g + L->off_sched_pc, 8);
	memcpy(&sp, g + L->off_sched_sp, 8);
	memcpy(&lr, g + L->off_sched_lr, 8);
	memcpy(&kind, g + L->off_sched_kind, 4);
	if (!(f = elfmeta_func_at(m, pc)))
		return unwind_fail(mv, "a saved PC outside managed code", pc,
				   sp);
	if (kind == 0) /* RT_SCHED_CALL: stopped in a runtime call */
		return walk(mv, f, pc, sp);
	/* RT_SCHED_MORESTACK, RT_SCHED_START: f has no frame yet; its
	   return address at [sp] or in lr, its arguments at sp + ra_push */
	if (rr->ra_push ? word_at(mv, sp, &ra) < 0 : (ra = lr, 0))
		return unwind_fail(mv, "an entry SP outside the stack", pc, sp);
	sp += rr->ra_push;
	const struct elfmeta_func *cf = elfmeta_func_at(m, ra);
	return cf ? walk(mv, cf, ra, sp) : judge_args(mv, f, sp);
}

int stackcopy_judge(struct worker *w)
{
	const struct everypc_layout *L = &w->L;
	char *check = w->run.fail_check, *detail = w->run.fail_detail;
	size_t clen = sizeof w->run.fail_check,
	       dlen = sizeof w->run.fail_detail;
	unsigned char g[4096];
	struct ev_regs r;
	struct moved mv = {.w = w, .detail = detail, .dlen = dlen};
	int rc;
	uint64_t sp;
	uint32_t async;
	const struct tdesc_reg *a[3];
	int i;

	snprintf(check, clen, "protocol");
	w->run.copy_grew = 0;
	for (i = 0; i < 3; i++)
		if (!(a[i] = tdesc_find(&w->s.td, w->t->rr->cargs[i]))) {
			snprintf(detail, dlen, "no register %s",
				 w->t->rr->cargs[i]);
			return -1;
		}
	if (L->g_size > sizeof g || ev_session_regs(&w->s, &r) < 0 ||
	    ev_session_read(&w->s, r.v[a[0]->regnum], g, L->g_size) < 0) {
		snprintf(detail, dlen, "at everypc_hook_stack_copied: %s",
			 L->g_size > sizeof g ? "g too large" : w->s.err);
		return -1;
	}
	mv.old_lo = r.v[a[1]->regnum];
	mv.old_hi = r.v[a[2]->regnum];
	memcpy(&mv.id, g + L->off_id, 8);
	memcpy(&mv.lo, g + L->off_stack_lo, 8);
	memcpy(&mv.hi, g + L->off_stack_hi, 8);
	memcpy(&async, g + L->off_preempt_async, 4);
	memcpy(&sp, g + L->off_sched_sp, 8);
	if (async) /* SCP-2 */
		return 1;
	snprintf(check, clen, "stackptr");
	if (sp < mv.lo || sp >= mv.hi)
		return unwind_fail(&mv, "a saved SP outside the new stack", 0,
				   sp);
	mv.base = sp;
	mv.len = (size_t)(mv.hi - sp);
	if (mv.len > img_cap) {
		unsigned char *p = realloc(img, mv.len);
		if (!p) {
			snprintf(check, clen, "protocol");
			snprintf(detail, dlen, "out of memory");
			return -1;
		}
		img = p, img_cap = mv.len;
	}
	mv.img = img;
	if (ev_session_read(&w->s, mv.base, img, mv.len) < 0) {
		snprintf(check, clen, "protocol");
		snprintf(detail, dlen, "reading the moved stack: %s", w->s.err);
		return -1;
	}
	rc = judge_moved(&mv, g);
	w->run.copy_grew = rc == 1 && mv.hi - mv.lo > mv.old_hi - mv.old_lo;
	if (w->run.copy_grew && mv.objptr) /* STA-3 */
		w->run.states |= 1ull << EV_ST_GROW_STACKPTR;
	return rc;
}

int stackwalk_precise(struct worker *w, const unsigned char *g,
		      int (*visit)(void *arg, uint64_t v, const char *frame,
				   const char *slot),
		      void *arg, char *detail, size_t dlen)
{
	const struct everypc_layout *L = &w->L;
	struct moved mv = {.w = w,
			   .detail = detail,
			   .dlen = dlen,
			   .visit = visit,
			   .varg = arg};
	unsigned char *buf;
	uint64_t sp;
	int rc;

	memcpy(&mv.id, g + L->off_id, 8);
	memcpy(&mv.lo, g + L->off_stack_lo, 8);
	memcpy(&mv.hi, g + L->off_stack_hi, 8);
	memcpy(&sp, g + L->off_sched_sp, 8);
	if (sp < mv.lo || sp >= mv.hi || mv.hi - sp > L->stack_area)
		return unwind_fail(&mv, "a saved SP outside its stack", 0, sp);
	mv.base = sp;
	mv.len = (size_t)(mv.hi - sp);
	if (!(buf = malloc(mv.len))) {
		snprintf(detail, dlen, "out of memory");
		return -1;
	}
	if (ev_session_read(&w->s, mv.base, buf, mv.len) < 0) {
		snprintf(detail, dlen, "reading goroutine %llu's stack: %s",
			 (unsigned long long)mv.id, w->s.err);
		free(buf);
		return -1;
	}
	mv.img = buf;
	rc = judge_moved(&mv, g);
	free(buf);
	return rc;
}
