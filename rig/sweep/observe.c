/*
 * observe.c -- snapshots and goroutine lists read from the guest
 * (observe.h).
 */
#include "observe.h"

#include <stdio.h>

#include "action.h"
#include "everypc/debugcall.h"

int take_snapshot(struct worker *w, const struct ev_case *c,
		  struct snapshot *sn)
{
	const struct elfmeta_oracle *o =
	    elfmeta_oracle_at(w->t->m, c->insn->pc);
	uint64_t sp;
	unsigned n;
	uint32_t i;

	sn->pc = c->insn->pc;
	w->run.cur_g = 0;
	if (ev_session_regs(&w->s, &sn->regs) < 0 ||
	    worker_read_g(w, &sn->g) < 0)
		return -1;
	w->run.cur_g = sn->g;
	if (worker_read_stack(w, sn->g, &sn->stack) < 0)
		return -1;
	sn->nlocs = 0;
	sn->img_len = 0;
	if ((action_def(c->action)->oracles & OR_LIVENESS) &&
	    reach_capture(w, sn) < 0)
		return -1;
	if (!o)
		return 0;
	sp = sn->regs.v[w->s.sp_num];
	for (n = 0; n < 64 && sn->nlocs < SNAP_MAXLOCS; n++) {
		if (!((o->regmask >> n) & 1) || n >= EV_MAXREGS)
			continue;
		snprintf(sn->names[sn->nlocs], 16, "%s",
			 ev_session_regname(&w->s, (int)n));
		sn->locs[sn->nlocs].what = sn->names[sn->nlocs];
		sn->locs[sn->nlocs].value = sn->regs.v[n];
		sn->reg[sn->nlocs] = (int)n;
		sn->nlocs++;
	}
	for (i = 0; i < o->nslots && sn->nlocs < SNAP_MAXLOCS; i++) {
		uint64_t v;
		if (reach_u64(sn, sp + (uint64_t)(int64_t)o->slots[i], &v) <
			0 &&
		    ev_session_read_u64(
			&w->s, sp + (uint64_t)(int64_t)o->slots[i], &v) < 0)
			return -1;
		snprintf(sn->names[sn->nlocs], 16, "sp+%d", o->slots[i]);
		sn->locs[sn->nlocs].what = sn->names[sn->nlocs];
		sn->locs[sn->nlocs].value = v;
		sn->reg[sn->nlocs] = -1;
		sn->nlocs++;
	}
	return 0;
}

int read_goroutines(struct worker *w, uint64_t skip, struct ev_gstate *gs,
		    int max, int *n)
{
	uint64_t count, i;
	*n = 0;
	if (ev_session_read_u64(&w->s, w->L.nallg_addr, &count) < 0)
		return -1;
	for (i = 0; i < count && i < w->L.nallg_max && *n < max; i++) {
		struct ev_gstate g = {w->L.allg_addr + i * w->L.g_size, 0, 0, 0,
				      0};
		if (ev_session_read(&w->s, g.addr + w->L.off_status, &g.status,
				    4) < 0 ||
		    ev_session_read_u64(&w->s, g.addr + w->L.off_id, &g.id) <
			0 ||
		    ev_session_read_u64(&w->s, g.addr + w->L.off_sched_pc,
					&g.pc) < 0 ||
		    ev_session_read_u64(&w->s, g.addr + w->L.off_sched_sp,
					&g.sp) < 0)
			return -1;
		if (g.status == 0 || g.addr == skip || g.id >= EP_DC_GOID_BASE)
			continue;
		gs[(*n)++] = g;
	}
	return 0;
}

void judge_regs(struct worker *w, const struct snapshot *sn,
		struct verdictbox *v, const char *when)
{
	struct ev_regs now;
	char d[1024];
	if (ev_session_regs(&w->s, &now) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	if (!ev_check_regs(sn->regs.v, sn->regs.have, now.v, now.have, w->cmp,
			   (size_t)w->ncmp, when, d, sizeof d))
		failf(v, "registers", "%s", d);
}

void judge_stack_same(struct worker *w, const struct snapshot *sn,
		      struct verdictbox *v, const char *what)
{
	struct ev_stack now;
	char d[1024];
	if (worker_read_stack(w, sn->g, &now) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	if (!ev_check_stack_same(sn->stack, now, what, d, sizeof d))
		failf(v, "shrink", "%s", d);
}

void judge_liveness_and_stack(struct worker *w, const struct ev_case *c,
			      const struct snapshot *sn, unsigned oracles,
			      struct verdictbox *v)
{
	if (oracles & OR_LIVENESS)
		judge_reach(w, c, sn, v);
	if (oracles & OR_STACK)
		judge_stack_same(w, sn, v,
				 "the stack moved while the goroutine held a "
				 "conservative frame");
}
