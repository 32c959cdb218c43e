/*
 * colours.c -- the tri-colour oracle at everypc_hook_mark_slice (RIG-9;
 * observe.h): the live words of the scanned stacks (the precise walk of
 * stackcopy.c) and the ELF's types handed to ev_check_tricolour.
 */
#include "observe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The live words of the scanned stacks (black sources). */
struct blackset {
	struct ev_liveloc *v;
	char (*what)[160];
	size_t n, cap;
	uint64_t id;
};

static int add_black(void *arg, uint64_t v, const char *frame, const char *slot)
{
	struct blackset *b = arg;
	if (b->n == b->cap) {
		size_t nc = b->cap ? 2 * b->cap : 256;
		struct ev_liveloc *nv = realloc(b->v, nc * sizeof *nv);
		char(*nw)[160] = nv ? realloc(b->what, nc * sizeof *nw) : NULL;
		if (nv)
			b->v = nv;
		if (!nw)
			return 0;
		b->what = nw;
		b->cap = nc;
	}
	snprintf(b->what[b->n], sizeof b->what[b->n],
		 "goroutine %llu's scanned stack: %s %s",
		 (unsigned long long)b->id, frame, slot);
	b->v[b->n].value = v;
	b->n++;
	return 1;
}

/* Every goroutine whose stack this cycle scanned and that is stopped
   synchronously (RT-5), walked with its precise maps (SCP-3). An
   asynchronously stopped one is left out: its innermost frame has no
   precise map. Returns 0; 1 with detail when one cannot be unwound (as
   the runtime's own scan would throw, SCP-3); -1 with detail on a read
   error. */
static int black_stacks(struct worker *w, struct blackset *b, char *detail,
			size_t dlen)
{
	const struct everypc_layout *L = &w->L;
	unsigned char *gs;
	uint64_t nallg;
	char d[512];

	if (ev_session_read_u64(&w->s, L->nallg_addr, &nallg) < 0) {
		snprintf(detail, dlen, "%s", w->s.err);
		return -1;
	}
	if (nallg > L->nallg_max)
		nallg = L->nallg_max;
	if (!(gs = malloc(nallg * L->g_size + 1)) ||
	    ev_session_read(&w->s, L->allg_addr, gs, nallg * L->g_size) < 0) {
		snprintf(detail, dlen, "%s", gs ? w->s.err : "out of memory");
		free(gs);
		return -1;
	}
	for (uint64_t i = 0; i < nallg; i++) {
		const unsigned char *g = gs + i * L->g_size;
		uint32_t status, scanned, async;
		uint64_t lo;
		memcpy(&status, g + L->off_status, 4);
		memcpy(&scanned, g + L->off_gcscandone, 4);
		memcpy(&async, g + L->off_preempt_async, 4);
		memcpy(&lo, g + L->off_stack_lo, 8);
		memcpy(&b->id, g + L->off_id, 8);
		if (status == 0 || status == 4 || lo == 0 || !scanned || async)
			continue;
		d[0] = 0;
		int rc = stackwalk_precise(w, g, add_black, b, d, sizeof d);
		if (rc < 0 || (rc == 0 && !d[0])) {
			snprintf(detail, dlen, "%s",
				 rc < 0 ? d : "out of memory");
			free(gs);
			return -1;
		}
		if (rc == 0) {
			snprintf(detail, dlen, "%s", d);
			free(gs);
			return 1;
		}
	}
	free(gs);
	for (size_t i = 0; i < b->n; i++)
		b->v[i].what = b->what[i];
	return 0;
}

int judge_colours(struct worker *w, struct verdictbox *v)
{
	const struct elfmeta *m = w->t->m;
	const struct tdesc_reg *a0 = tdesc_find(&w->s.td, w->t->rr->cargs[0]);
	const struct tdesc_reg *a1 = tdesc_find(&w->s.td, w->t->rr->cargs[1]);
	struct ev_mem mem = ev_session_mem(&w->s);
	struct ev_typeview *types;
	struct ev_tri_stats st;
	struct ev_regs r;
	char detail[1024], at[96];
	int rc;

	if (!a0 || !a1 || ev_session_regs(&w->s, &r) < 0) {
		failf(v, "protocol", "at everypc_hook_mark_slice: %s",
		      a0 && a1 ? w->s.err : "no argument registers");
		return -1;
	}
	if (!(types = calloc(m->ntypes + 1, sizeof *types))) {
		failf(v, "protocol", "out of memory");
		return -1;
	}
	for (size_t i = 0; i < m->ntypes; i++) {
		types[i].size = m->types[i].size;
		types[i].ptrmask = m->types[i].ptrmask;
		types[i].name = m->types[i].name;
	}
	struct blackset b = {0};
	rc = black_stacks(w, &b, detail, sizeof detail);
	if (rc != 0) {
		free(types);
		free(b.v);
		free(b.what);
		failf(v, rc < 0 ? "protocol" : "tricolour",
		      "at everypc_hook_mark_slice: %s", detail);
		return rc < 0 ? -1 : 0;
	}
	struct ev_tri_in in = {.types = types,
			       .ntypes = m->ntypes,
			       .globals_start = m->globals_start,
			       .globals_size = m->globals_size,
			       .globals_ptrmask = m->globals_ptrmask,
			       .black = b.v,
			       .nblack = b.n};
	rc = ev_check_tricolour(&w->L, &mem, &in, &st, detail, sizeof detail);
	free(types);
	free(b.v);
	free(b.what);
	if (r.v[a1->regnum])
		snprintf(at, sizeof at, "at the end of mark slice %llu",
			 (unsigned long long)r.v[a0->regnum]);
	else
		snprintf(at, sizeof at, "before mark termination");
	if (rc < 0) {
		failf(v, "protocol", "%s: %s", at, detail);
		return -1;
	}
	if (rc == 0)
		failf(v, "tricolour", "%s: %s", at, detail);
	return 0;
}
