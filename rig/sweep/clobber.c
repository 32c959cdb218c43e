/*
 * clobber.c -- dead state overwritten at the stop, before the action
 * (Go's -clobberdead / -clobberdeadreg, done by the debugger): so that the
 * only copies of live pointers left are those the maps name, and a
 * collector that loses one is not saved by a stale copy.
 *
 * INVARIANTS (cited as "CLB-n"):
 *
 * CLB-1 On by default; --no-clobber turns it off. Each journal record and
 *       scenario says which ("clobber"), and replay does as recorded.
 * CLB-2 Overwritten: every register of the target's clobber mask (the
 *       registers gosub writes) that the stopped instruction's oracle record
 *       does not list as live (META-8), and -- unless the PC is in a
 *       prologue or epilogue range, where SP does not delimit the frame --
 *       every word of the stopped frame [SP, SP+F) that record does not list
 *       as live, and every word of each managed caller's frame that its call
 *       site's record does not list. Nothing else is touched: not the link
 *       area, not stack objects, not a frame of the runtime.
 * CLB-3 The poison is a recognisable non-pointer that names where it was
 *       written: CLB_REG | n for register n (GDB numbering), CLB_WORD |
 *       depth << 16 | offset for the word at SP+offset of the frame `depth`
 *       callers out (0: the stopped frame). It is above every user-mode
 *       address on the three arches, so no scan can take it for a pointer,
 *       and it depends on nothing but the case (JRN-2).
 *
 * Test hook: EVERYPC_TEST_CLOBBER_LIVE set overwrites the live registers
 * too, as a map that under-reports liveness would have the rig do.
 */
#include "observe.h"

#include <stdlib.h>
#include <string.h>

#include "everypc/meta.h"
#include "rsp.h"

#define CLB_REG 0xdeadc10b00000000ull
#define CLB_WORD 0xdeadc10b80000000ull
#define CLB_MAXSTACK (1u << 20) /* bytes of stack patched at most */
#define CLB_MAXFRAMES 256

static int listed(const int32_t *offs, uint32_t n, int32_t off)
{
	for (uint32_t i = 0; i < n; i++)
		if (offs[i] == off)
			return 1;
	return 0;
}

/* Poison the words of the frame at buf[0, size) (the frame's SP is its
   start) that offs does not list. Returns how many. */
static unsigned poison_frame(unsigned char *buf, uint32_t size,
			     const int32_t *offs, uint32_t n, unsigned depth)
{
	unsigned k = 0;
	for (uint32_t off = 0; off + 8 <= size; off += 8) {
		uint64_t v = CLB_WORD | (uint64_t)depth << 16 | off;
		if (listed(offs, n, (int32_t)off))
			continue;
		for (int b = 0; b < 8; b++)
			buf[off + b] = (unsigned char)(v >> 8 * b);
		k++;
	}
	return k;
}

/* ev_session_edit_regs' edit: the registers of *dead poisoned. */
static int poison_regs(void *ctx, struct ev_regs *r)
{
	uint64_t dead = *(const uint64_t *)ctx;
	int n, any = 0;

	for (n = 0; n < 64 && n < EV_MAXREGS; n++)
		if ((dead >> n & 1) && r->have[n]) {
			r->v[n] = CLB_REG | (uint64_t)n;
			any = 1;
		}
	return any;
}

/* The stopped frame and its managed callers, patched in one image of the
   stack [SP, hi) and written back at once. */
static int clobber_frames(struct worker *w, const struct ev_case *c,
			  const struct elfmeta_oracle *o, uint64_t sp)
{
	const struct rig_regs *rr = w->t->rr;
	const struct elfmeta *m = w->t->m;
	const struct elfmeta_func *f = c->f;
	struct ev_stack st;
	unsigned char *img;
	uint64_t g, fsp = sp, end = sp;
	size_t len;
	unsigned depth, changed = 0;
	int rc = 0;

	if (worker_read_g(w, &g) < 0 || worker_read_stack(w, g, &st) < 0)
		return -1;
	if (sp < st.lo || sp >= st.hi)
		return 0; /* not on its goroutine stack: nothing is a frame */
	len = st.hi - sp > CLB_MAXSTACK ? CLB_MAXSTACK : st.hi - sp;
	img = malloc(len);
	if (!img)
		return -1;
	if (ev_session_read(&w->s, sp, img, len) < 0) {
		free(img);
		return -1;
	}
	const int32_t *offs = o->live;
	uint32_t noffs = o->nlive;
	for (depth = 0; depth < CLB_MAXFRAMES; depth++) {
		size_t at = (size_t)(fsp - sp);
		size_t ra_at =
		    (size_t)(rig_ra_slot(rr, fsp, f->frame_size) - sp);
		if (at + f->frame_size > len)
			break;
		changed +=
		    poison_frame(img + at, f->frame_size, offs, noffs, depth);
		end = fsp + f->frame_size;
		if (ra_at + 8 > len)
			break;
		uint64_t ra = rsp_le_load(img + ra_at, 8);
		const struct elfmeta_func *cf = elfmeta_func_at(m, ra);
		const struct elfmeta_oracle_call *oc =
		    cf ? elfmeta_oracle_call_at(m, ra) : NULL;
		if (!oc)
			break; /* into the runtime: no managed caller */
		fsp = rig_caller_sp(rr, fsp, f->frame_size);
		f = cf;
		offs = oc->live;
		noffs = oc->nlive;
	}
	if (changed)
		rc = ev_session_write(&w->s, sp, img, (size_t)(end - sp));
	free(img);
	return rc;
}

int clobber_dead(struct worker *w, const struct ev_case *c,
		 struct verdictbox *v)
{
	const struct elfmeta_oracle *o =
	    elfmeta_oracle_at(w->t->m, c->insn->pc);
	const struct elfmeta_unsafe *u =
	    elfmeta_unsafe_at(w->t->m, c->insn->pc);
	/* Test hook: a map that lists nothing as live, so that tests can
	   show what a map bug becomes (a failing sweep on the correct
	   runtime); read once per process. */
	static int all_live = -1;
	struct ev_regs r;
	uint64_t dead;

	if (!o)
		return 0; /* not gosub's code: no liveness to go by */
	if (all_live < 0)
		all_live = getenv("EVERYPC_TEST_CLOBBER_LIVE") != NULL;
	dead = w->t->m->clobber_regs & (all_live ? ~0ull : ~o->livemask);
	if (ev_session_edit_regs(&w->s, &r, poison_regs, &dead) < 0 ||
	    ((!u || u->kind == EP_UNSAFE_GCATOMIC ||
	      u->kind == EP_UNSAFE_WRITEBARRIER) &&
	     clobber_frames(w, c, o, r.v[w->s.sp_num]) < 0)) {
		failf(v, "protocol", "clobbering dead state: %s", w->s.err);
		w->run.up = 0;
		return -1;
	}
	return 0;
}
