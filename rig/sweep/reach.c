/*
 * reach.c -- the goroutine as the reachability oracle sees it (observe.h):
 * an image of its stack taken with the snapshot, its frames from the
 * stopped one outwards, and the roots that the precise maps name (the
 * stopped frame's oracle map, each caller's call-site map, META-3). The
 * check itself is oracle.c's ev_check_reach.
 *
 * The image is taken before the action, so a stack that a bug moves or
 * frees during it is still judged by what the goroutine held (the stack
 * oracle names the move). One snapshot is judged at a time per process
 * (a worker runs one case), so the image lives in one static buffer.
 */
#include "observe.h"

#include "states.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMG_MAX (1u << 20) /* bytes of stack imaged: deeper is not judged */
#define REACH_MAXFRAMES 256
#define REACH_MAXROOTS 1024
#define REACH_MAXOBJS 2048

static unsigned char img[IMG_MAX];

int reach_capture(struct worker *w, struct snapshot *sn)
{
	uint64_t sp = sn->regs.v[w->s.sp_num];

	sn->img_base = sp;
	sn->img_len = 0;
	if (sp < sn->stack.lo || sp >= sn->stack.hi)
		return 0; /* not on its stack: nothing to image */
	sn->img_len = (size_t)(sn->stack.hi - sp);
	if (sn->img_len > IMG_MAX)
		sn->img_len = IMG_MAX;
	return ev_session_read(&w->s, sp, img, sn->img_len);
}

/* Guest memory, the imaged stack served from the image. */
struct img_mem {
	const struct snapshot *sn;
	struct ev_mem inner;
};

static int img_read(void *ctx, uint64_t addr, void *buf, size_t n)
{
	const struct img_mem *im = ctx;
	const struct snapshot *sn = im->sn;

	if (addr >= sn->img_base && addr - sn->img_base <= sn->img_len &&
	    n <= sn->img_len - (addr - sn->img_base)) {
		memcpy(buf, img + (addr - sn->img_base), n);
		return 0;
	}
	return im->inner.read(im->inner.ctx, addr, buf, n);
}

int reach_u64(const struct snapshot *sn, uint64_t addr, uint64_t *v)
{
	if (addr < sn->img_base || addr - sn->img_base + 8 > sn->img_len)
		return -1;
	memcpy(v, img + (addr - sn->img_base), 8);
	return 0;
}

struct reach_build {
	struct ev_frame_view frames[REACH_MAXFRAMES];
	struct ev_stackobj_view objs[REACH_MAXOBJS];
	struct ev_liveloc roots[REACH_MAXROOTS];
	char names[REACH_MAXROOTS][48];
	size_t nframes, nobjs, nroots;
};

static void add_frame(struct reach_build *b, const struct elfmeta_func *f,
		      uint64_t sp)
{
	struct ev_frame_view *fr = &b->frames[b->nframes++];
	uint32_t i;

	fr->func = f->name;
	fr->sp = sp;
	fr->objs = &b->objs[b->nobjs];
	fr->nobjs = 0;
	for (i = 0; i < f->nstackobjs && b->nobjs < REACH_MAXOBJS; i++) {
		struct ev_stackobj_view *o = &b->objs[b->nobjs++];
		o->off = f->stackobjs[i].off;
		o->size = f->stackobjs[i].size;
		o->ptrmask = f->stackobjs[i].ptrmask;
		fr->nobjs++;
	}
}

static void add_root(struct reach_build *b, uint64_t v, const char *fmt,
		     const char *func, uint64_t a, uint64_t c)
{
	if (b->nroots == REACH_MAXROOTS)
		return;
	snprintf(b->names[b->nroots], sizeof b->names[0], fmt, func,
		 (unsigned long long)a, (unsigned long long)c);
	b->roots[b->nroots].what = b->names[b->nroots];
	b->roots[b->nroots].value = v;
	b->nroots++;
}

/* The callers of the stopped frame (f at sp), from the image: each one's
   frame and the words its call-site map names. */
static void add_callers(struct worker *w, const struct snapshot *sn,
			struct reach_build *b, const struct elfmeta_func *f,
			uint64_t sp)
{
	const struct rig_regs *rr = w->t->rr;
	uint64_t ra, v;

	while (b->nframes < REACH_MAXFRAMES &&
	       !reach_u64(sn, rig_ra_slot(rr, sp, f->frame_size), &ra)) {
		const struct elfmeta_func *cf = elfmeta_func_at(w->t->m, ra);
		const struct elfmeta_callsite *cs =
		    cf ? elfmeta_callsite_at(cf, ra) : NULL;
		uint32_t i;

		sp = rig_caller_sp(rr, sp, f->frame_size);
		if (!cs)
			break; /* into the runtime: no managed caller */
		add_frame(b, cf, sp);
		for (i = 0; i < cf->frame_size / 8; i++)
			if (((cs->ptrmask[i / 8] >> (i % 8)) & 1) &&
			    !reach_u64(sn, sp + 8ull * i, &v))
				add_root(b, v, "%s+%llu sp+%llu", cf->name,
					 ra - cf->entry, 8ull * i);
		f = cf;
	}
}

/* The view ev_check_reach and ev_stop_states take: the snapshot's roots
   (the stopped frame's), then the callers' frames and call-site words. */
static struct reach_build *build(struct worker *w, const struct ev_case *c,
				 const struct snapshot *sn, struct ev_reach *r)
{
	struct reach_build *b = calloc(1, sizeof *b);
	size_t i;

	if (!b)
		return NULL;
	for (i = 0; i < sn->nlocs && b->nroots < REACH_MAXROOTS; i++)
		b->roots[b->nroots++] = sn->locs[i];
	add_frame(b, c->f, sn->regs.v[w->s.sp_num]);
	add_callers(w, sn, b, c->f, sn->regs.v[w->s.sp_num]);
	r->roots = b->roots, r->nroots = b->nroots;
	r->frames = b->frames, r->nframes = b->nframes;
	r->stack_lo = sn->stack.lo, r->stack_hi = sn->stack.hi;
	return b;
}

void judge_reach(struct worker *w, const struct ev_case *c,
		 const struct snapshot *sn, struct verdictbox *v)
{
	struct img_mem im = {sn, ev_session_mem(&w->s)};
	struct ev_mem m = {img_read, &im};
	struct ev_reach r;
	struct reach_build *b = build(w, c, sn, &r);
	const char *check;
	char detail[1024];

	if (!b) {
		failf(v, "protocol", "out of memory");
		return;
	}
	switch (ev_check_reach(&w->L, &m, &r, &check, detail, sizeof detail)) {
	case 0:
		failf(v, check, "%s", detail);
		break;
	case -1:
		failf(v, "protocol", "%s", detail);
		break;
	}
	free(b);
}

int reach_states(struct worker *w, const struct ev_case *c,
		 const struct snapshot *sn, uint64_t *states,
		 struct verdictbox *v)
{
	struct img_mem im = {sn, ev_session_mem(&w->s)};
	struct ev_mem m = {img_read, &im};
	struct ev_reach r;
	struct reach_build *b = build(w, c, sn, &r);
	struct ev_stop_view sv = {c->t->arch, &r, sn->nlocs, sn->reg};
	char detail[1024];
	int rc;

	if (!b) {
		failf(v, "protocol", "out of memory");
		return -1;
	}
	rc = ev_stop_states(&w->L, &m, &sv, states, detail, sizeof detail);
	if (rc < 0)
		failf(v, "protocol", "%s", detail);
	free(b);
	return rc;
}
