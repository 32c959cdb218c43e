/*
 * sweep.c -- the sweep driver (sweep.h): the per-case protocol with the
 * guest, the oracles that need a live guest, workers, journal, scenarios.
 *
 * The per-case protocol (persistent mode; isolated mode is the same on a
 * fresh QEMU). The guest sits at everypc_hook_iter_end of the previous
 * iteration (or at start-up):
 *   1. continue to everypc_hook_iter_start; break at the PC;
 *   2. continue until the PC's hit-th execution (stepping over earlier
 *      ones); reaching iter_end first means "unreached";
 *   3. snapshot registers, the goroutine's stack bounds and every location
 *      the oracle map says holds a live pointer; ask for the action in the
 *      mailbox; break at asyncPreempt's entry; continue with SIGURG;
 *   4. verdict (oracle 1): the next stop is asyncPreempt (accepted) or the
 *      same PC (rejected); it must match the metadata;
 *   5. accepted: at everypc_hook_parked check the async frame; after the
 *      GC (everypc_hook_gc_done, when the runtime has it) check liveness
 *      (oracle 2) and that the stack did not move (oracle 4); when the
 *      goroutine is back at the PC compare every register (oracle 3);
 *      rejected: the registers must be untouched;
 *   6. continue to iter_end: output hash, exit status and heap check must
 *      equal the baseline's (oracle 6). A throw, a crash or a hang anywhere
 *      is a failure naming where it happened.
 */
#include "sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "debugcall.h"
#include "everypc/debugcall.h"
#include "everypc/meta.h"
#include "everypc/rig_abi.h"
#include "oracle.h"
#include "report.h"
#include "session.h"

#define MAILBOX(field) offsetof(struct everypc_rig, field)

/* ---- cases --------------------------------------------------------------- */

struct ev_inject { /* "main.f(1,2)" resolved in a target */
	uint64_t fn;
	unsigned nargs;
	int64_t args[DC_MAX_ARGS];
	char text[128];
	/* SWP-4: where the expected answer comes from when the target is
	   built against a mutant: the same workload on the correct runtime
	   (NULL: the target itself is the correct build) */
	struct ev_target *ref;
	uint64_t ref_fn;
};

struct ev_case {
	struct ev_target *t;
	const struct elfmeta_func *f;
	const struct ev_insn *insn;
	int hit;
	int action;
	const struct ev_inject *inj; /* inject actions only */
};

struct caselist {
	struct ev_case *v;
	size_t n, cap;
};

static int push_case(struct caselist *cl, const struct ev_case *c)
{
	if (cl->n == cl->cap) {
		size_t nc = cl->cap ? cl->cap * 2 : 256;
		struct ev_case *nv = realloc(cl->v, nc * sizeof *nv);
		if (!nv)
			return -1;
		cl->v = nv;
		cl->cap = nc;
	}
	cl->v[cl->n++] = *c;
	return 0;
}

/* ---- the worker: one session on one target ------------------------------ */

enum stopkind { ST_BREAK, ST_EXIT, ST_ERROR };

struct worker {
	struct ev_session s;
	struct ev_target *t;
	const struct ev_sweep_opts *o;
	int up;
	struct everypc_layout L;
	uint64_t base_outcome;
	int32_t base_exit, base_heap;
	int have_base;
	const struct ev_inject *base_inj; /* the call whose answer is known */
	struct dc_result base_answer;
	int cmp[EV_MAXREGS]; /* register-oracle set by GDB number */
	int ncmp;
	char passed_signals[64];
	int at_start;     /* stopped at iter_start, the case may begin */
	uint64_t cur_g;   /* the goroutine under test, for backtraces */
	int stopped;      /* stopped at stop_pc (by a breakpoint or step) */
	uint64_t stop_pc;
};

struct verdictbox { /* what one case observed */
	int verdict;
	int failed;
	char check[64];
	char detail[1024];
};

static void failf(struct verdictbox *v, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void failf(struct verdictbox *v, const char *check, const char *fmt, ...)
{
	va_list ap;
	if (v->failed)
		return; /* the first failure is the one reported */
	v->failed = 1;
	snprintf(v->check, sizeof v->check, "%s", check);
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof v->detail, fmt, ap);
	va_end(ap);
}

static int mb_u32(struct worker *w, size_t off, uint32_t v)
{
	return ev_session_write_u32(&w->s, w->t->sym_rig + off, v);
}

static int has_break(const struct worker *w, uint64_t pc)
{
	int i;
	for (i = 0; i < w->s.nbreaks; i++)
		if (w->s.breaks[i] == pc)
			return 1;
	return 0;
}

/* Resume until a breakpoint-like stop or the end; guest signals other than
   SIGTRAP are passed on (the runtime handles them) and remembered. QEMU
   stops again at once when continued from a breakpoint's PC, so a plain
   continue from one first steps past it (as GDB does); a continue with a
   signal does not (the handler runs, and returning to the PC stops there
   again, which is what the verdict oracle observes). */
static enum stopkind resume(struct worker *w, unsigned sig, uint64_t *pc,
			    struct rsp_stop *st)
{
	for (;;) {
		int stepping = !sig && w->stopped && has_break(w, w->stop_pc);
		int rc = stepping ? ev_session_step(&w->s, st)
				  : ev_session_cont(&w->s, sig, st);
		w->stopped = 0;
		sig = 0;
		if (rc < 0)
			return ST_ERROR;
		if (st->kind == RSP_STOP_EXITED || st->kind == RSP_STOP_TERMINATED)
			return ST_EXIT;
		if (ev_session_stop_pc(&w->s, st, pc) < 0)
			return ST_ERROR;
		w->stopped = 1;
		w->stop_pc = *pc;
		if (st->code == RSP_GDB_SIGTRAP) {
			if (stepping && !has_break(w, *pc))
				continue; /* past the breakpoint: now continue */
			return ST_BREAK;
		}
		sig = st->code;
		snprintf(w->passed_signals + strlen(w->passed_signals),
			 sizeof w->passed_signals - strlen(w->passed_signals),
			 " sig%u@0x%llx", sig, (unsigned long long)*pc);
	}
}

/* "main.f+12 (line 3)", "rt_gc+40 (runtime)" or "0x..."; with exact 0,
   only the function ("main.f", "rt_gc (runtime)"): a PC sampled at a
   random moment (a hang) must not make the journal differ between runs
   (JRN-2). */
static void where_at(struct worker *w, uint64_t pc, int exact, char *buf,
		     size_t n)
{
	const struct elfmeta_func *f = elfmeta_func_at(w->t->m, pc);
	const struct elfmeta_symbol *best = NULL;
	size_t i;

	if (f && !exact) {
		snprintf(buf, n, "%s", f->name);
		return;
	}
	if (f) {
		snprintf(buf, n, "%s+%llu (line %d)", f->name,
			 (unsigned long long)(pc - f->entry),
			 ev_target_line(w->t, pc));
		return;
	}
	for (i = 0; i < w->t->m->nsyms; i++) {
		const struct elfmeta_symbol *s = &w->t->m->syms[i];
		if (s->is_func && s->value <= pc && pc < s->value + s->size)
			best = s;
	}
	if (best && !exact)
		snprintf(buf, n, "%s (runtime)", best->name);
	else if (best)
		snprintf(buf, n, "%s+%llu (runtime)", best->name,
			 (unsigned long long)(pc - best->value));
	else
		snprintf(buf, n, exact ? "0x%llx" : "(outside any function)",
			 (unsigned long long)pc);
}

static void where(struct worker *w, uint64_t pc, char *buf, size_t n)
{
	where_at(w, pc, 1, buf, n);
}

/* A backtrace of managed frames from (pc, sp), built from the metadata
   (frame sizes, ABI-2) and guest memory, into buf. */
/* Frames from (pc, sp) outwards; sampled: pc was caught at a random
   moment, so the innermost frame is named by its function only. */
static void backtrace(struct worker *w, uint64_t pc, uint64_t sp, int sampled,
		      char *buf, size_t n)
{
	size_t len = 0;
	int depth;
	const struct rig_regs *rr = w->t->rr;

	buf[0] = 0;
	for (depth = 0; depth < 16 && len < n; depth++) {
		const struct elfmeta_func *f = elfmeta_func_at(w->t->m, pc);
		char at[256];
		uint64_t ra;
		where_at(w, pc, !(sampled && depth == 0), at, sizeof at);
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
					depth ? " <- " : "", at);
		if (!f || elfmeta_unsafe_at(w->t->m, pc) ||
		    ev_session_read_u64(&w->s, sp + f->frame_size - rr->ra_from_top,
					&ra) < 0)
			break; /* outside a set-up managed frame */
		sp += f->frame_size + rr->ra_push;
		pc = ra;
	}
}

/* The goroutine's own stop state: async (interrupted pc/sp) or sync. */
static void g_backtrace(struct worker *w, uint64_t g, char *buf, size_t n)
{
	uint32_t async = 0;
	uint64_t pc = 0, sp = 0;
	ev_session_read(&w->s, g + w->L.off_preempt_async, &async, 4);
	if (async) {
		ev_session_read_u64(&w->s, g + w->L.off_async_pc, &pc);
		ev_session_read_u64(&w->s, g + w->L.off_async_sp, &sp);
	} else {
		ev_session_read_u64(&w->s, g + w->L.off_sched_pc, &pc);
		ev_session_read_u64(&w->s, g + w->L.off_sched_sp, &sp);
	}
	backtrace(w, pc, sp, 0, buf, n);
}

/* A hang: interrupt QEMU with SIGINT (user-mode QEMU reads the socket
   only at stops, so 0x03 would not be seen) and describe where the guest
   is. */
static void hang_where(struct worker *w, char *buf, size_t n)
{
	struct rsp_stop st;
	struct rsp_error e;
	struct ev_regs r;

	snprintf(buf, n, "(guest did not stop)");
	if (!w->s.launched || kill(w->s.l.pid, SIGINT) < 0 ||
	    rsp_client_wait_stop_for(w->s.c, 2000, &st, &e) < 0 ||
	    st.kind != RSP_STOP_SIGNAL || ev_session_regs(&w->s, &r) < 0)
		return;
	backtrace(w, r.v[w->s.pc_num], r.v[w->s.sp_num], 1, buf, n);
}

/* Describe an unexpected stop as a failure. */
static void unexpected(struct worker *w, struct verdictbox *v, enum stopkind k,
		       uint64_t pc, const struct rsp_stop *st, const char *waiting)
{
	char bt[768];
	if (k == ST_ERROR && strstr(w->s.err, "timeout")) {
		char err[512];
		snprintf(err, sizeof err, "%s", w->s.err);
		hang_where(w, bt, sizeof bt);
		failf(v, "hang", "while waiting for %s: %s; guest at %s", waiting,
		      err, bt);
	} else if (k == ST_ERROR) {
		failf(v, "protocol", "while waiting for %s: %s", waiting, w->s.err);
	} else if (k == ST_EXIT) {
		failf(v, "crash", "guest %s %u while waiting for %s%s",
		      st->kind == RSP_STOP_EXITED ? "exited with status"
						  : "was killed by signal",
		      st->code, waiting, w->passed_signals);
	} else if (pc == w->t->hook_throw) {
		char msg[EVERYPC_RIG_MSG_MAX + 1] = "";
		ev_session_read(&w->s, w->t->sym_rig + MAILBOX(rep_throw_msg), msg,
				EVERYPC_RIG_MSG_MAX);
		msg[EVERYPC_RIG_MSG_MAX] = 0;
		bt[0] = 0;
		if (w->cur_g)
			g_backtrace(w, w->cur_g, bt, sizeof bt);
		failf(v, "throw",
		      "runtime threw \"%s\" while waiting for %s; goroutine at %s",
		      msg, waiting, *bt ? bt : "?");
	} else {
		struct ev_regs r;
		if (ev_session_regs(&w->s, &r) == 0)
			backtrace(w, pc, r.v[w->s.sp_num], 0, bt, sizeof bt);
		else
			where(w, pc, bt, sizeof bt);
		failf(v, *w->passed_signals ? "crash" : "unexpected-stop",
		      "stopped at %s while waiting for %s%s", bt, waiting,
		      w->passed_signals);
	}
	w->up = 0; /* the guest is in doubt: start afresh (SWP-2) */
}

static int read_layout(struct worker *w)
{
	char err[256];
	if (ev_session_read(&w->s, w->t->sym_layout, &w->L, sizeof w->L) < 0)
		return -1;
	if (ev_layout_check(&w->L, err, sizeof err) < 0) {
		snprintf(w->s.err, sizeof w->s.err, "%s", err);
		return -1;
	}
	return 0;
}

static void compare_set(struct worker *w)
{
	size_t i;
	w->ncmp = 0;
	for (i = 0; i < w->t->rr->ncompare; i++) {
		const struct tdesc_reg *r = tdesc_find(&w->s.td, w->t->rr->compare[i]);
		if (r && r->regnum < EV_MAXREGS)
			w->cmp[w->ncmp++] = (int)r->regnum;
	}
}

static void worker_down(struct worker *w)
{
	w->stopped = 0;
	if (w->s.c || w->s.launched)
		ev_session_close(&w->s);
	w->up = 0;
}

/* Start QEMU and run to the first iter_start (persistent or not). */
static int worker_launch(struct worker *w, int persistent, char *err,
			 size_t errlen)
{
	static const char *const envp[] = {"EVERYPC_DEBUG=", NULL};
	struct ev_session_opts so = {0};
	struct rsp_stop st;
	uint64_t pc;

	so.qemu = w->t->qemu;
	so.elf = w->t->elf;
	so.envp = envp;
	so.stdout_fd = so.stderr_fd = -1;
	so.timeout_ms = 5000;
	so.resume_timeout_ms = 1000 * (w->o->timeout_s ? w->o->timeout_s : 20);
	so.trace = w->o->trace;
	if (ev_session_start(&w->s, w->t->rr, &so) < 0)
		goto fail;
	compare_set(w);
	if (mb_u32(w, MAILBOX(req_persistent), (uint32_t)persistent) < 0 ||
	    mb_u32(w, MAILBOX(req_quiet), 1) < 0 ||
	    ev_session_break(&w->s, w->t->hook_start) < 0 ||
	    ev_session_break(&w->s, w->t->hook_end) < 0 ||
	    ev_session_break(&w->s, w->t->hook_throw) < 0)
		goto fail;
	w->passed_signals[0] = 0;
	if (resume(w, 0, &pc, &st) != ST_BREAK || pc != w->t->hook_start) {
		snprintf(w->s.err, sizeof w->s.err,
			 "the guest did not reach everypc_hook_iter_start");
		goto fail;
	}
	if (read_layout(w) < 0)
		goto fail;
	w->up = 1;
	w->at_start = 1;
	return 0;
fail:
	snprintf(err, errlen, "%s (%s): %s", w->t->elf, ev_arch_name(w->t->arch),
		 w->s.err);
	worker_down(w);
	return -1;
}

/* At iter_end: read the iteration's report. */
static int read_report(struct worker *w, uint64_t *outcome, int32_t *exit_status,
		       int32_t *heap)
{
	struct everypc_rig rig;
	if (ev_session_read(&w->s, w->t->sym_rig, &rig, sizeof rig) < 0)
		return -1;
	*outcome = rig.rep_outcome;
	*exit_status = rig.rep_exit_status;
	*heap = rig.rep_heap_check;
	return 0;
}

/* The baseline: one whole iteration with no action, from iter_start. */
static int baseline(struct worker *w, char *err, size_t errlen)
{
	struct rsp_stop st;
	uint64_t pc;
	enum stopkind k = resume(w, 0, &pc, &st);

	w->at_start = 0;
	if (k != ST_BREAK || pc != w->t->hook_end) {
		char at[256] = "";
		if (k == ST_BREAK)
			where(w, pc, at, sizeof at);
		snprintf(err, errlen, "%s (%s): baseline iteration did not end "
			 "cleanly (%s%s)", w->t->elf, ev_arch_name(w->t->arch),
			 k == ST_ERROR ? w->s.err : "stopped at ", at);
		worker_down(w);
		return -1;
	}
	if (read_report(w, &w->base_outcome, &w->base_exit, &w->base_heap) < 0) {
		snprintf(err, errlen, "%s", w->s.err);
		worker_down(w);
		return -1;
	}
	w->have_base = 1;
	return 0;
}

/* ---- the case ------------------------------------------------------------ */

struct snapshot {
	uint64_t pc;
	struct ev_regs regs;
	uint64_t g, stack_lo, stack_hi;
	struct ev_liveloc locs[128];
	char names[128][16];
	size_t nlocs;
};

static int read_g(struct worker *w, uint64_t *g)
{
	return ev_session_read_u64(&w->s, w->L.curg_addr, g);
}

static int take_snapshot(struct worker *w, const struct ev_case *c,
			 struct snapshot *sn)
{
	const struct elfmeta_oracle *o = elfmeta_oracle_at(w->t->m, c->insn->pc);
	uint64_t sp;
	unsigned n;
	uint32_t i;

	sn->pc = c->insn->pc;
	w->cur_g = 0;
	if (ev_session_regs(&w->s, &sn->regs) < 0 || read_g(w, &sn->g) < 0 ||
	    (w->cur_g = sn->g, 0) ||
	    ev_session_read_u64(&w->s, sn->g + w->L.off_stack_lo, &sn->stack_lo) < 0 ||
	    ev_session_read_u64(&w->s, sn->g + w->L.off_stack_hi, &sn->stack_hi) < 0)
		return -1;
	sn->nlocs = 0;
	if (!o)
		return 0;
	sp = sn->regs.v[w->s.sp_num];
	for (n = 0; n < 64 && sn->nlocs < 128; n++) {
		if (!((o->regmask >> n) & 1) || n >= EV_MAXREGS)
			continue;
		snprintf(sn->names[sn->nlocs], 16, "%s", ev_session_regname(&w->s, (int)n));
		sn->locs[sn->nlocs].what = sn->names[sn->nlocs];
		sn->locs[sn->nlocs].value = sn->regs.v[n];
		sn->nlocs++;
	}
	for (i = 0; i < o->nslots && sn->nlocs < 128; i++) {
		uint64_t v;
		if (ev_session_read_u64(&w->s, sp + (uint64_t)(int64_t)o->slots[i], &v) < 0)
			return -1;
		snprintf(sn->names[sn->nlocs], 16, "sp+%d", o->slots[i]);
		sn->locs[sn->nlocs].what = sn->names[sn->nlocs];
		sn->locs[sn->nlocs].value = v;
		sn->nlocs++;
	}
	return 0;
}

static void check_regs(struct worker *w, const struct snapshot *sn,
		       struct verdictbox *v, const char *when)
{
	struct ev_regs now;
	int i;
	if (ev_session_regs(&w->s, &now) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	for (i = 0; i < w->ncmp; i++) {
		int n = w->cmp[i];
		if (!sn->regs.have[n] || !now.have[n] || sn->regs.v[n] == now.v[n])
			continue;
		failf(v, "registers",
		      "%s: %s was 0x%llx before the action, 0x%llx after", when,
		      ev_session_regname(&w->s, n), (unsigned long long)sn->regs.v[n],
		      (unsigned long long)now.v[n]);
		return;
	}
}

static void check_liveness_and_stack(struct worker *w, const struct ev_case *c,
				     const struct snapshot *sn,
				     struct verdictbox *v)
{
	struct ev_mem m = ev_session_mem(&w->s);
	struct ev_stackobj_view objs[64];
	size_t i, nobjs = 0;
	uint64_t lo, hi;
	char detail[1024];

	for (i = 0; i < c->f->nstackobjs && nobjs < 64; i++, nobjs++) {
		objs[nobjs].off = c->f->stackobjs[i].off;
		objs[nobjs].size = c->f->stackobjs[i].size;
		objs[nobjs].ptrmask = c->f->stackobjs[i].ptrmask;
	}
	switch (ev_check_liveness(&w->L, &m, sn->locs, sn->nlocs,
				  sn->regs.v[w->s.sp_num], objs, nobjs, detail,
				  sizeof detail)) {
	case 0:
		failf(v, "liveness", "%s", detail);
		break;
	case -1:
		failf(v, "protocol", "%s", detail);
		break;
	}
	if (ev_session_read_u64(&w->s, sn->g + w->L.off_stack_lo, &lo) < 0 ||
	    ev_session_read_u64(&w->s, sn->g + w->L.off_stack_hi, &hi) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	if (lo != sn->stack_lo || hi != sn->stack_hi)
		failf(v, "shrink",
		      "the stack moved while the goroutine held a conservative "
		      "frame: [0x%llx,0x%llx) became [0x%llx,0x%llx)",
		      (unsigned long long)sn->stack_lo, (unsigned long long)sn->stack_hi,
		      (unsigned long long)lo, (unsigned long long)hi);
}

/* Continue until our goroutine is back at the PC (others may pass it). */
static int wait_resumed(struct worker *w, const struct ev_case *c,
			const struct snapshot *sn, struct verdictbox *v)
{
	struct rsp_stop st;
	uint64_t pc, g;
	int guard;

	for (guard = 0; guard < 100000; guard++) {
		enum stopkind k = resume(w, 0, &pc, &st);
		if (k != ST_BREAK || pc != c->insn->pc) {
			unexpected(w, v, k, pc, &st, "the goroutine to resume at the PC");
			return -1;
		}
		if (read_g(w, &g) < 0) {
			failf(v, "protocol", "%s", w->s.err);
			return -1;
		}
		if (g == sn->g)
			return 0;
		/* another goroutine passing the PC: resume() steps past it */
	}
	failf(v, "protocol", "the PC was passed 100000 times by other goroutines");
	return -1;
}

/* Continue until goroutine g stops at one of the breakpoints in bps
   (others passing them are stepped over by resume). Returns the PC, 0 when
   the iteration ended first, or -1 (failure recorded). */
static int64_t run_g_to(struct worker *w, uint64_t g, const uint64_t *to,
			int nto, struct verdictbox *v, const char *waiting)
{
	int j;
	struct rsp_stop st;
	uint64_t pc, cur;
	int guard;

	for (guard = 0; guard < 100000; guard++) {
		enum stopkind k = resume(w, 0, &pc, &st);
		if (k == ST_BREAK && pc == w->t->hook_end)
			return 0;
		if (k != ST_BREAK || pc == w->t->hook_throw) {
			unexpected(w, v, k, pc, &st, waiting);
			return -1;
		}
		if (read_g(w, &cur) < 0) {
			failf(v, "protocol", "%s", w->s.err);
			return -1;
		}
		for (j = 0; j < nto && cur == g; j++)
			if (to[j] == pc)
				return (int64_t)pc;
	}
	failf(v, "protocol", "gave up waiting for %s", waiting);
	return -1;
}

/* Oracle 4, second half: a shrink deferred while the goroutine was stopped
   asynchronously happens at its next synchronous safe point, i.e. inside
   its next call of a runtime entry point. Observed by the rig: break at
   every runtime.* function, then at that call's return address, and
   compare the stack bounds. */
static void check_deferred_shrink(struct worker *w, const struct snapshot *sn,
				  struct verdictbox *v)
{
	const struct elfmeta *m = w->t->m;
	uint64_t set[EV_MAXBREAKS], ra = 0, lo, hi;
	int nset = 0, i;
	int64_t pc;
	char at[256];

	if (ev_session_unbreak(&w->s, sn->pc) < 0) { /* the case's own PC */
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	for (i = 0; (size_t)i < m->nsyms && w->s.nbreaks < EV_MAXBREAKS - 2; i++)
		if (m->syms[i].is_func && !strncmp(m->syms[i].name, "runtime.", 8) &&
		    strcmp(m->syms[i].name, "runtime.goexit") != 0 &&
		    !has_break(w, m->syms[i].value) &&
		    ev_session_break(&w->s, m->syms[i].value) == 0)
			set[nset++] = m->syms[i].value;
	pc = run_g_to(w, sn->g, set, nset, v, "the goroutine's next runtime call");
	for (i = 0; i < nset; i++)
		ev_session_unbreak(&w->s, set[i]);
	if (pc <= 0)
		return; /* failure recorded, or no safe point before the end */
	where(w, (uint64_t)pc, at, sizeof at);
	if (w->t->rr->lr) {
		const struct tdesc_reg *lr = tdesc_find(&w->s.td, w->t->rr->lr);
		struct ev_regs r;
		if (!lr || ev_session_regs(&w->s, &r) < 0) {
			failf(v, "protocol", "cannot read the link register");
			return;
		}
		ra = r.v[lr->regnum];
	} else {
		struct ev_regs r;
		if (ev_session_regs(&w->s, &r) < 0 ||
		    ev_session_read_u64(&w->s, r.v[w->s.sp_num], &ra) < 0) {
			failf(v, "protocol", "%s", w->s.err);
			return;
		}
	}
	if (ev_session_break(&w->s, ra) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	pc = run_g_to(w, sn->g, &ra, 1, v, "the return from the runtime call");
	ev_session_unbreak(&w->s, ra);
	if (pc <= 0)
		return;
	if (ev_session_read_u64(&w->s, sn->g + w->L.off_stack_lo, &lo) < 0 ||
	    ev_session_read_u64(&w->s, sn->g + w->L.off_stack_hi, &hi) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	if (hi - lo >= sn->stack_hi - sn->stack_lo)
		failf(v, "shrink",
		      "a shrink deferred while stopped asynchronously did not "
		      "happen at the next synchronous safe point (%s): stack "
		      "still [0x%llx,0x%llx)",
		      at, (unsigned long long)lo, (unsigned long long)hi);
}

static void act_accepted(struct worker *w, const struct ev_case *c,
			 const struct snapshot *sn, struct verdictbox *v)
{
	struct rsp_stop st;
	uint64_t pc, async_pc = 0, async_sp = 0;
	uint32_t pending = 0;
	int gc = c->action == EV_PREEMPT_GC || c->action == EV_PREEMPT_GC_SHRINK;

	if (ev_session_unbreak(&w->s, w->t->async_preempt) < 0 ||
	    ev_session_break(&w->s, w->t->hook_parked) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	enum stopkind k = resume(w, 0, &pc, &st);
	if (k != ST_BREAK || pc != w->t->hook_parked) {
		unexpected(w, v, k, pc, &st, "everypc_hook_parked");
		return;
	}
	ev_session_unbreak(&w->s, w->t->hook_parked);
	if (ev_session_read_u64(&w->s, sn->g + w->L.off_async_pc, &async_pc) < 0 ||
	    ev_session_read_u64(&w->s, sn->g + w->L.off_async_sp, &async_sp) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	if (async_pc != c->insn->pc || async_sp != sn->regs.v[w->s.sp_num])
		failf(v, "verdict",
		      "parked with async pc 0x%llx sp 0x%llx, interrupted at pc "
		      "0x%llx sp 0x%llx",
		      (unsigned long long)async_pc, (unsigned long long)async_sp,
		      (unsigned long long)c->insn->pc,
		      (unsigned long long)sn->regs.v[w->s.sp_num]);
	if (v->failed)
		return;
	if (gc && w->t->hook_gc_done) {
		ev_session_break(&w->s, w->t->hook_gc_done);
		k = resume(w, 0, &pc, &st);
		ev_session_unbreak(&w->s, w->t->hook_gc_done);
		if (k != ST_BREAK || pc != w->t->hook_gc_done) {
			unexpected(w, v, k, pc, &st, "the GC to finish");
			return;
		}
		check_liveness_and_stack(w, c, sn, v);
		if (v->failed)
			return;
	}
	if (c->action == EV_PREEMPT_GC_SHRINK &&
	    ev_session_read(&w->s, sn->g + w->L.off_shrink_pending, &pending,
			    4) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	if (wait_resumed(w, c, sn, v) < 0)
		return;
	if (gc && !w->t->hook_gc_done)
		check_liveness_and_stack(w, c, sn, v);
	check_regs(w, sn, v, "resumed at the PC");
	if (!v->failed && pending)
		check_deferred_shrink(w, sn, v);
}

/* Steps 3-5 of the protocol, at the hit-th stop at the PC. */
static void act(struct worker *w, const struct ev_case *c, struct verdictbox *v)
{
	struct snapshot sn;
	struct rsp_stop st;
	uint64_t pc;
	const struct elfmeta_unsafe *u = elfmeta_unsafe_at(w->t->m, c->insn->pc);
	int expected = u ? EV_REJECTED : EV_ACCEPTED;
	int gc = c->action == EV_PREEMPT_GC || c->action == EV_PREEMPT_GC_SHRINK;
	enum stopkind k;

	if (take_snapshot(w, c, &sn) < 0 ||
	    mb_u32(w, MAILBOX(req_preempt), 1) < 0 ||
	    mb_u32(w, MAILBOX(req_gc_after_preempt), (uint32_t)gc) < 0 ||
	    mb_u32(w, MAILBOX(req_shrink), c->action == EV_PREEMPT_GC_SHRINK) < 0 ||
	    ev_session_break(&w->s, w->t->async_preempt) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		w->up = 0;
		return;
	}
	k = resume(w, RSP_GDB_SIGURG, &pc, &st);
	if (k == ST_BREAK && pc == w->t->async_preempt)
		v->verdict = EV_ACCEPTED;
	else if (k == ST_BREAK && pc == c->insn->pc)
		v->verdict = EV_REJECTED;
	else {
		unexpected(w, v, k, pc, &st, "asyncPreempt or the PC");
		return;
	}
	if (v->verdict != expected) {
		/* The first failure is the case's outcome; the guest is in
		   doubt from here on and will be replaced (SWP-2). */
		failf(v, "verdict", "%s at a PC the metadata calls %s%s",
		      v->verdict == EV_ACCEPTED ? "accepted" : "rejected",
		      u ? "unsafe: " : "an asynchronous safe point",
		      u ? elfmeta_unsafe_kind_name(u->kind) : "");
		return;
	}
	if (v->verdict == EV_REJECTED) {
		ev_session_unbreak(&w->s, w->t->async_preempt);
		check_regs(w, &sn, v, "rejected");
	} else {
		act_accepted(w, c, &sn, v);
	}
	if (w->up)
		mb_u32(w, MAILBOX(req_preempt), 0);
}

/* ---- injected calls (issue 5; protocol: rig/debugcall.h) ------------- */

struct gstate { /* one goroutine as the freeze oracle compares it */
	uint64_t addr, id, pc, sp;
	uint32_t status;
};

/* Every live user goroutine but `skip` and the debugger's call goroutines. */
static int read_goroutines(struct worker *w, uint64_t skip, struct gstate *gs,
			   int max, int *n)
{
	uint64_t count, i;
	*n = 0;
	if (ev_session_read_u64(&w->s, w->L.nallg_addr, &count) < 0)
		return -1;
	for (i = 0; i < count && i < w->L.nallg_max && *n < max; i++) {
		struct gstate g = {w->L.allg_addr + i * w->L.g_size, 0, 0, 0, 0};
		if (ev_session_read(&w->s, g.addr + w->L.off_status, &g.status, 4) < 0 ||
		    ev_session_read_u64(&w->s, g.addr + w->L.off_id, &g.id) < 0 ||
		    ev_session_read_u64(&w->s, g.addr + w->L.off_sched_pc, &g.pc) < 0 ||
		    ev_session_read_u64(&w->s, g.addr + w->L.off_sched_sp, &g.sp) < 0)
			return -1;
		if (g.status == 0 || g.addr == skip || g.id >= EP_DC_GOID_BASE)
			continue;
		gs[(*n)++] = g;
	}
	return 0;
}

struct inject_ctx {
	struct worker *w;
	const struct ev_case *c;
	const struct snapshot *sn;
	struct verdictbox *v;
	int gc_checked;
};

/* Stops during the call that are ours: the end of the GC the injected
   function runs (liveness of the interrupted frame, stack not moved). */
static int inject_other_stop(void *arg, uint64_t pc, unsigned sig)
{
	struct inject_ctx *x = arg;
	if (sig != RSP_GDB_SIGTRAP || pc != x->w->t->hook_gc_done)
		return 0;
	if (!x->gc_checked)
		check_liveness_and_stack(x->w, x->c, x->sn, x->v);
	x->gc_checked = 1;
	ev_session_unbreak(&x->w->s, pc); /* one check is enough */
	x->w->stopped = 0;
	return 1;
}

static int do_inject(struct worker *w, const struct ev_inject *inj,
		     struct inject_ctx *x, struct dc_result *res)
{
	struct dc_rsp_ctx rc = {.c = w->s.c};
	struct dc_call call = {0};
	const struct elfmeta_symbol *entry = elfmeta_symbol(w->t->m, EP_DEBUGCALL_ENTRY);
	int rcode;

	memset(res, 0, sizeof *res);
	if (!entry) {
		snprintf(res->msg, sizeof res->msg, "%s has no %s", w->t->elf,
			 EP_DEBUGCALL_ENTRY);
		res->outcome = DC_PROTOCOL_ERROR;
		return -1;
	}
	call.entry = entry->value;
	call.fn = inj->fn;
	call.nargs = inj->nargs;
	memcpy(call.args, inj->args, sizeof call.args);
	call.other_stop = x ? inject_other_stop : NULL;
	call.other_arg = x;
	rcode = dc_inject(dc_arch_find(w->t->rr->arch), &dc_rsp_ops, &rc, &call, res);
	w->stopped = 0; /* at the original PC, but not by a breakpoint stop */
	return rcode;
}

/* The freeze oracle's status rule (DC-5, RIG-7): unchanged, or waiting (3)
   become runnable (1) -- woken by the call, held until it ends, not run. */
static int same_or_woken(uint32_t before, uint32_t after)
{
	return after == before || (before == 3 && after == 1);
}

static void inject_case(struct worker *w, const struct ev_case *c,
			struct verdictbox *v)
{
	struct snapshot sn;
	struct gstate before[256], after[256];
	int nb = 0, na = 0, i, j;
	struct dc_result res;
	struct inject_ctx x = {w, c, &sn, v, 0};
	const struct elfmeta_unsafe *u = elfmeta_unsafe_at(w->t->m, c->insn->pc);
	uint64_t lo, hi;

	if (take_snapshot(w, c, &sn) < 0 ||
	    read_goroutines(w, 0, before, 256, &nb) < 0 ||
	    ev_session_unbreak(&w->s, c->insn->pc) < 0 ||
	    (c->action == EV_INJECT_GC && w->t->hook_gc_done &&
	     ev_session_break(&w->s, w->t->hook_gc_done) < 0)) {
		failf(v, "protocol", "%s", w->s.err);
		w->up = 0;
		return;
	}
	if (do_inject(w, c->inj, &x, &res) < 0) {
		failf(v, "inject", "protocol: %s", res.msg);
		w->up = 0;
		return;
	}
	ev_session_unbreak(&w->s, w->t->hook_gc_done);
	v->verdict = res.outcome == DC_REFUSED ? EV_REJECTED : EV_ACCEPTED;
	if (u && res.outcome != DC_REFUSED)
		failf(v, "inject", "call %s at a PC the metadata calls unsafe (%s) "
		      "was not refused: %s %lld", c->inj->text,
		      elfmeta_unsafe_kind_name(u->kind), dc_outcome_name(res.outcome),
		      (long long)res.value);
	else if (u && strcmp(res.msg, EP_DC_REASON_UNSAFE) != 0)
		failf(v, "inject", "refused with \"%s\", expected \"%s\"", res.msg,
		      EP_DC_REASON_UNSAFE);
	else if (!u && res.outcome != w->base_answer.outcome)
		failf(v, "inject", "call %s: %s (%s), the baseline call gave %s",
		      c->inj->text, dc_outcome_name(res.outcome), res.msg,
		      dc_outcome_name(w->base_answer.outcome));
	else if (!u && res.outcome == DC_RESULT && res.value != w->base_answer.value)
		failf(v, "inject", "call %s returned %lld, the baseline call %lld",
		      c->inj->text, (long long)res.value,
		      (long long)w->base_answer.value);
	if (v->failed)
		return;
	check_regs(w, &sn, v, "after the injected call");
	if (ev_session_read_u64(&w->s, sn.g + w->L.off_stack_lo, &lo) < 0 ||
	    ev_session_read_u64(&w->s, sn.g + w->L.off_stack_hi, &hi) < 0 ||
	    read_goroutines(w, 0, after, 256, &na) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		return;
	}
	if (lo != sn.stack_lo || hi != sn.stack_hi)
		failf(v, "shrink", "the interrupted goroutine's stack moved during "
		      "the injected call: [0x%llx,0x%llx) became [0x%llx,0x%llx)",
		      (unsigned long long)sn.stack_lo, (unsigned long long)sn.stack_hi,
		      (unsigned long long)lo, (unsigned long long)hi);
	for (i = 0; i < nb && !v->failed; i++) {
		for (j = 0; j < na && after[j].addr != before[i].addr; j++)
			;
		if (before[i].addr == sn.g)
			continue;
		if (j == na || after[j].id != before[i].id ||
		    !same_or_woken(before[i].status, after[j].status) ||
		    after[j].pc != before[i].pc || after[j].sp != before[i].sp)
			failf(v, "freeze", "goroutine %llu advanced during the "
			      "injected call (status %u pc 0x%llx -> %u 0x%llx)",
			      (unsigned long long)before[i].id, before[i].status,
			      (unsigned long long)before[i].pc,
			      j < na ? after[j].status : 0,
			      j < na ? (unsigned long long)after[j].pc : 0ull);
	}
}

/* The answer of the injected function, learnt from a call at the first
   safe PC of main.main in an iteration of its own (not from the suite). */
static int inject_baseline(struct worker *w, const struct ev_inject *inj,
			   char *err, size_t errlen)
{
	const struct elfmeta_symbol *mm = elfmeta_symbol(w->t->m, "main.main");
	const struct elfmeta_func *f = mm ? elfmeta_func_at(w->t->m, mm->value) : NULL;
	struct rsp_stop st;
	uint64_t pc, at = 0;
	size_t first, n, i;
	enum stopkind k;

	if (!f) {
		snprintf(err, errlen, "%s: no main.main", w->t->elf);
		return -1;
	}
	ev_target_func_insns(w->t, f, &first, &n);
	for (i = first; i < first + n && !at; i++)
		if (!elfmeta_unsafe_at(w->t->m, w->t->insns[i].pc))
			at = w->t->insns[i].pc;
	if (!at || ev_session_break(&w->s, at) < 0 ||
	    (!w->at_start && (resume(w, 0, &pc, &st) != ST_BREAK ||
			      pc != w->t->hook_start)) ||
	    resume(w, 0, &pc, &st) != ST_BREAK || pc != at) {
		snprintf(err, errlen, "%s: cannot reach a safe PC of main.main for "
			 "the baseline call", w->t->elf);
		return -1;
	}
	w->at_start = 0;
	ev_session_unbreak(&w->s, at);
	if (do_inject(w, inj, NULL, &w->base_answer) < 0 ||
	    w->base_answer.outcome == DC_REFUSED) {
		snprintf(err, errlen, "baseline call %s at main.main: %s %s", inj->text,
			 dc_outcome_name(w->base_answer.outcome), w->base_answer.msg);
		return -1;
	}
	k = resume(w, 0, &pc, &st);
	if (k != ST_BREAK || pc != w->t->hook_end) {
		struct verdictbox v = {0};
		unexpected(w, &v, k, pc, &st, "the end of the iteration");
		snprintf(err, errlen, "baseline call %s at main.main: %.700s",
			 inj->text, v.detail);
		return -1;
	}
	w->base_inj = inj;
	return 0;
}

/* The answer of inj called at main.main of t, in a QEMU of its own. */
static int answer_in(struct ev_target *t, const struct ev_inject *inj,
		     const struct ev_sweep_opts *o, struct dc_result *res,
		     char *err, size_t errlen)
{
	struct worker w;
	int rc;

	memset(&w, 0, sizeof w);
	w.o = o;
	w.t = t;
	rc = worker_launch(&w, 1, err, errlen) < 0 ||
	     inject_baseline(&w, inj, err, errlen) < 0 ? -1 : 0;
	worker_down(&w);
	*res = w.base_answer;
	return rc;
}

/* The expected answer of the injected call (SWP-4): from the correct
   runtime's build when the target is a mutant's, so a mutant that breaks
   every call (or every answer) is caught by each case rather than taken
   for the truth; from the target itself otherwise. */
static int inject_answer(struct worker *w, const struct ev_inject *inj,
			 char *err, size_t errlen)
{
	struct ev_inject ri;

	if (!inj->ref)
		return inject_baseline(w, inj, err, errlen);
	ri = *inj;
	ri.fn = inj->ref_fn;
	ri.ref = NULL;
	if (answer_in(inj->ref, &ri, w->o, &w->base_answer, err, errlen) < 0)
		return -1;
	w->base_inj = inj;
	return 0;
}

/* Steps 1-2: to the hit-th execution of the PC. 1 reached, 0 unreached,
   -1 failure (recorded in v). */
static int run_to_pc(struct worker *w, const struct ev_case *c,
		     struct verdictbox *v)
{
	struct rsp_stop st;
	uint64_t pc;
	int hits = 0;
	enum stopkind k;

	if (!w->at_start) { /* at the previous iteration's end */
		k = resume(w, 0, &pc, &st);
		if (k != ST_BREAK || pc != w->t->hook_start) {
			unexpected(w, v, k, pc, &st, "everypc_hook_iter_start");
			return -1;
		}
	}
	w->at_start = 0;
	if (ev_session_break(&w->s, c->insn->pc) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		w->up = 0;
		return -1;
	}
	for (;;) {
		k = resume(w, 0, &pc, &st);
		if (k == ST_BREAK && pc == c->insn->pc) {
			if (++hits == c->hit)
				return 1;
			continue; /* resume() steps past it */
		}
		if (k == ST_BREAK && pc == w->t->hook_end) {
			ev_session_unbreak(&w->s, c->insn->pc);
			return 0;
		}
		unexpected(w, v, k, pc, &st, "the PC");
		return -1;
	}
}

/* Step 6: to iter_end, compare with the baseline. */
static void finish_iteration(struct worker *w, struct verdictbox *v,
			     int at_end)
{
	struct rsp_stop st;
	uint64_t pc, outcome;
	int32_t exit_status, heap;

	if (!at_end) {
		enum stopkind k = resume(w, 0, &pc, &st);
		if (k != ST_BREAK || pc != w->t->hook_end) {
			unexpected(w, v, k, pc, &st, "the end of the iteration");
			return;
		}
	}
	if (read_report(w, &outcome, &exit_status, &heap) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		w->up = 0;
		return;
	}
	if (outcome != w->base_outcome || exit_status != w->base_exit ||
	    heap != w->base_heap)
		failf(v, "outcome",
		      "iteration ended with output hash %016llx, status %d, heap "
		      "check %d; the baseline had %016llx, %d, %d%s",
		      (unsigned long long)outcome, exit_status, heap,
		      (unsigned long long)w->base_outcome, w->base_exit,
		      w->base_heap, w->passed_signals);
}

static void run_case(struct worker *w, const struct ev_case *c,
		     struct verdictbox *v)
{
	int reached;

	memset(v, 0, sizeof *v);
	v->verdict = EV_NOVERDICT;
	w->passed_signals[0] = 0;
	reached = run_to_pc(w, c, v);
	if (reached < 0)
		return;
	if (reached == 0) {
		v->verdict = EV_UNREACHED;
		finish_iteration(w, v, 1);
		return;
	}
	if (c->action >= EV_INJECT)
		inject_case(w, c, v);
	else
		act(w, c, v);
	if (v->failed)
		return; /* the guest is replaced before the next case */
	if (w->up && ev_session_unbreak(&w->s, c->insn->pc) < 0) {
		failf(v, "protocol", "%s", w->s.err);
		w->up = 0;
	}
	if (w->up)
		finish_iteration(w, v, 0);
}

/* ---- results ------------------------------------------------------------- */

static void fill_result(const struct ev_case *c, const struct verdictbox *v,
			struct ev_result *r, char *file, size_t filelen)
{
	const char *src = NULL;
	int line = 0;

	memset(r, 0, sizeof *r);
	r->arch = c->t->arch;
	r->workload = c->t->name;
	r->mutant = c->t->mutant;
	r->func = c->f->name;
	r->pc = c->insn->pc;
	r->offset = c->insn->pc - c->f->entry;
	if (ev_lines_lookup(c->t->lines, c->insn->pc, &src, &line) == 0) {
		snprintf(file, filelen, "%s", src);
		r->file = file;
	}
	r->line = line;
	r->hit = c->hit;
	r->action = c->action;
	r->verdict = v->verdict;
	r->expected = v->verdict == EV_UNREACHED ? EV_UNREACHED
		      : elfmeta_unsafe_at(c->t->m, c->insn->pc) ? EV_REJECTED
							       : EV_ACCEPTED;
	r->pass = !v->failed;
	r->check = v->failed ? v->check : NULL;
	r->detail = v->detail;
}

/* Path of c's workload as a scenario names it. */
static const char *scenario_workload(const struct ev_case *c,
				     const struct ev_sweep_opts *o)
{
	size_t n = o->scenario_base ? strlen(o->scenario_base) : 0;
	if (n && strncmp(c->t->workload, o->scenario_base, n) == 0 &&
	    c->t->workload[n] == '/')
		return c->t->workload + n + 1;
	return c->t->workload;
}

/* "scenarios/<arch>-<workload>[-<mutant>]-<func>+<offset>-<action>-h<hit>.json":
   where a failing case's scenario goes, relative to the output directory. */
static void scenario_name(const struct ev_result *r, char *buf, size_t n)
{
	snprintf(buf, n, "scenarios/%s-%s%s%s-%s+%llu-%s-h%d.json",
		 ev_arch_name(r->arch), r->workload, r->mutant ? "-" : "",
		 r->mutant ? r->mutant : "", r->func,
		 (unsigned long long)r->offset, ev_action_name(r->action), r->hit);
}

static void write_scenario(const struct ev_case *c, const struct ev_result *r,
			   const struct ev_sweep_opts *o)
{
	struct ev_scenario sc = {0};
	char dir[1024], name[512], path[1600], *text;
	FILE *f;

	snprintf(dir, sizeof dir, "%s/scenarios", o->out);
	mkdir(dir, 0755);
	scenario_name(r, name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", o->out, name);
	sc.arch = r->arch;
	sc.workload = (char *)scenario_workload(c, o);
	sc.mutant = (char *)r->mutant;
	sc.build_id = c->t->build_id;
	sc.func = (char *)r->func;
	sc.pc = r->pc;
	sc.offset = r->offset;
	sc.line = r->line;
	sc.hit = r->hit;
	sc.action = r->action;
	sc.inject = c->inj ? (char *)c->inj->text : NULL;
	sc.expected_verdict = r->expected;
	sc.observed_verdict = r->verdict;
	sc.observed_pass = r->pass;
	sc.check = (char *)r->check;
	sc.detail = (char *)r->detail;
	text = ev_scenario_dump(&sc);
	if (text && (f = fopen(path, "w"))) {
		fputs(text, f);
		fclose(f);
	}
	free(text);
}

/* ---- workers over a slice of cases ---------------------------------------- */

struct slice {
	const struct ev_case *v;
	size_t n;
};

/* A worker's exit status when the journal could not be written: the sweep
   stops (re-running the cases would meet the same full disk). */
enum { WORKER_IOERR = 3 };

/* EVERYPC_TEST_KILL_AT=FUNC+OFFSET, a fault for the rig's own tests: the
   worker kills itself (SIGKILL) when it starts a case at that PC, as the
   OOM killer would. */
static int test_kill_here(const struct ev_case *c, const char *spec)
{
	size_t n = strlen(c->f->name);
	char *end;
	unsigned long long off;

	if (strncmp(spec, c->f->name, n) != 0 || spec[n] != '+')
		return 0;
	off = strtoull(spec + n + 1, &end, 10);
	return *end == 0 && off == c->insn->pc - c->f->entry;
}

/* Run a slice in this worker process; one byte per finished case to
   progress_fd. Exits WORKER_IOERR at the first failed journal write. */
static int run_slice(struct slice sl, const struct ev_sweep_opts *o,
		     struct ev_journal *j, int progress_fd)
{
	struct worker w;
	struct ev_target *cur = NULL;
	size_t i;
	int setup_failed = 0;
	char setup_err[1024] = "";
	const char *kill_at = getenv("EVERYPC_TEST_KILL_AT");

	memset(&w, 0, sizeof w);
	w.o = o;
	for (i = 0; i < sl.n; i++) {
		const struct ev_case *c = &sl.v[i];
		struct verdictbox v;
		struct ev_result r;
		char file[256];

		fill_result(c, &(struct verdictbox){.verdict = EV_NOVERDICT}, &r,
			    file, sizeof file);
		if (ev_journal_done(j, &r))
			goto progress;
		if (kill_at && test_kill_here(c, kill_at))
			raise(SIGKILL);
		if (c->t != cur) {
			worker_down(&w);
			w.t = cur = c->t;
			w.have_base = 0;
			w.base_inj = NULL;
			setup_failed = 0;
		}
		if (o->isolated)
			worker_down(&w);
		if (!w.up && !setup_failed) {
			int fresh_base = !w.have_base;
			if (worker_launch(&w, !o->isolated, setup_err, sizeof setup_err) < 0 ||
			    (!w.have_base && baseline(&w, setup_err, sizeof setup_err) < 0))
				setup_failed = 1;
			else if (c->inj && (fresh_base || w.base_inj != c->inj) &&
				 inject_answer(&w, c->inj, setup_err,
						 sizeof setup_err) < 0)
				setup_failed = 1;
			else if (o->isolated) {
				/* baseline ran in its own QEMU; start afresh */
				worker_down(&w);
				if (worker_launch(&w, 0, setup_err, sizeof setup_err) < 0)
					setup_failed = 1;
			}
		}
		if (setup_failed) {
			memset(&v, 0, sizeof v);
			v.verdict = EV_NOVERDICT;
			failf(&v, "setup", "%s", setup_err);
		} else {
			run_case(&w, c, &v);
			/* A failed case may have corrupted the guest (a freed
			   live object, a moved stack): the next case starts on a
			   fresh QEMU, so every case is independent (SWP-2). */
			if (v.failed)
				worker_down(&w);
		}
		fill_result(c, &v, &r, file, sizeof file);
		if (ev_journal_append(j, &r) < 0) {
			fprintf(stderr, "everypc: %s: cannot append: %s\n",
				ev_journal_path(j), strerror(errno));
			worker_down(&w);
			_exit(WORKER_IOERR);
		}
		if (!r.pass)
			write_scenario(c, &r, o);
	progress:
		if (progress_fd >= 0 && write(progress_fd, r.pass ? "." : "F", 1) < 0)
			progress_fd = -1;
	}
	worker_down(&w);
	return 0;
}

/* ---- the sweep ----------------------------------------------------------- */

struct targets {
	struct ev_target *v[256];
	size_t n;
	struct ev_inject *inj[256];
	size_t ninj;
};

static struct ev_target *get_target(struct targets *ts, int arch,
				    const char *workload, const char *mutant,
				    const struct ev_sweep_opts *o, char *err,
				    size_t errlen)
{
	char builddir[1024];
	size_t i;
	for (i = 0; i < ts->n; i++) {
		struct ev_target *t = ts->v[i];
		if (t->arch == arch && !strcmp(t->workload, workload) &&
		    ((!t->mutant && !mutant) ||
		     (t->mutant && mutant && !strcmp(t->mutant, mutant))))
			return t;
	}
	if (ts->n == sizeof ts->v / sizeof ts->v[0]) {
		snprintf(err, errlen, "too many targets in one sweep");
		return NULL;
	}
	snprintf(builddir, sizeof builddir, "%s/build", o->out);
	ts->v[ts->n] = calloc(1, sizeof(struct ev_target));
	if (ev_target_open(ts->v[ts->n], arch, workload, mutant, builddir, err,
			   errlen) < 0) {
		free(ts->v[ts->n]);
		return NULL;
	}
	return ts->v[ts->n++];
}

/* "main.f(1,-2)" -> function entry in t and integer arguments. */
static struct ev_inject *parse_inject(const char *spec, struct ev_target *t,
				      char *err, size_t errlen)
{
	struct ev_inject *inj = calloc(1, sizeof *inj);
	const char *open = strchr(spec, '('), *p;
	char name[128];
	const struct elfmeta_func *f;

	if (!inj)
		return NULL;
	snprintf(inj->text, sizeof inj->text, "%s", spec);
	if (!open || (size_t)(open - spec) >= sizeof name || open == spec ||
	    spec[strlen(spec) - 1] != ')')
		goto bad;
	snprintf(name, sizeof name, "%.*s", (int)(open - spec), spec);
	f = ev_target_func(t, name);
	if (!f) {
		snprintf(err, errlen, "inject '%s': no function %s in %s", spec, name,
			 t->elf);
		free(inj);
		return NULL;
	}
	inj->fn = f->entry;
	for (p = open + 1; *p != ')';) {
		char *end;
		long long v = strtoll(p, &end, 10);
		if (end == p || inj->nargs == DC_MAX_ARGS)
			goto bad;
		inj->args[inj->nargs++] = v;
		p = end;
		while (*p == ' ')
			p++;
		if (*p == ',')
			p++;
		else if (*p != ')')
			goto bad;
	}
	if (f->args_size != 8 * (inj->nargs + 1)) {
		snprintf(err, errlen, "inject '%s': %s takes %u argument words and "
			 "a result", spec, name, f->args_size / 8 - 1);
		free(inj);
		return NULL;
	}
	return inj;
bad:
	snprintf(err, errlen, "inject '%s': expected main.f(INT,...)", spec);
	free(inj);
	return NULL;
}

/* SWP-4: resolve the injected call in ref, the correct runtime's build. */
static int set_reference(struct ev_inject *inj, struct ev_target *ref,
			 char *err, size_t errlen)
{
	struct ev_inject *ri;
	if (!ref)
		return -1;
	if (!(ri = parse_inject(inj->text, ref, err, errlen)))
		return -1;
	inj->ref = ref;
	inj->ref_fn = ri->fn;
	free(ri);
	return 0;
}

static int enumerate(const struct ev_suite *suite, struct targets *ts,
		     struct caselist *cl, const struct ev_sweep_opts *o,
		     char *err, size_t errlen)
{
	size_t si, ai, fi, ii, xi, hi;

	for (si = 0; si < suite->nsweeps; si++) {
		const struct ev_sweep *sw = &suite->sweeps[si];
		for (ai = 0; ai < suite->narches; ai++) {
			struct ev_target *t = get_target(ts, suite->arches[ai],
							 sw->workload, sw->mutant,
							 o, err, errlen);
			struct ev_inject *inj = NULL;
			if (!t)
				return -1;
			if (sw->inject) {
				inj = parse_inject(sw->inject, t, err, errlen);
				if (!inj || ts->ninj == sizeof ts->inj / sizeof ts->inj[0]) {
					free(inj);
					return -1;
				}
				ts->inj[ts->ninj++] = inj;
				if (sw->mutant && set_reference(inj, get_target(
					    ts, suite->arches[ai], sw->workload, NULL, o,
					    err, errlen), err, errlen) < 0)
					return -1;
			}
			for (fi = 0; fi < sw->nfuncs; fi++) {
				const struct elfmeta_func *f = ev_target_func(t, sw->funcs[fi]);
				size_t first, n;
				if (!f) {
					snprintf(err, errlen, "%s: no function %s in %s",
						 suite->name, sw->funcs[fi], t->elf);
					return -1;
				}
				ev_target_func_insns(t, f, &first, &n);
				for (ii = first; ii < first + n; ii++)
					for (xi = 0; xi < sw->nactions; xi++)
						for (hi = 0; hi < sw->nhits; hi++) {
							struct ev_case c = {t, f, &t->insns[ii],
									    sw->hits[hi],
									    sw->actions[xi],
									    sw->actions[xi] >= EV_INJECT ? inj : NULL};
							if (push_case(cl, &c) < 0)
								return -1;
						}
			}
		}
	}
	return 0;
}

static void progress_bar(size_t done, size_t total, size_t fails,
			 double elapsed)
{
	double rate = elapsed > 0 ? (double)done / elapsed : 0;
	double eta = rate > 0 ? (double)(total - done) / rate : 0;
	int width = 30, filled = total ? (int)(width * done / total) : width;
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu cases, %zu failed, %.1f cases/s, ETA %.0fs ",
		filled, "##############################", width - filled, "", done,
		total, fails, rate, eta);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The pool. Workers are forked over the cases that have no result yet;
   each journals its cases as they finish (JRN-1). A worker that dies (a
   signal, as from the OOM killer, or an unexpected exit status) loses only
   the case it was running: the first of its slice without a result. The
   cases still without a result then run again on fresh workers, round
   after round, until all have one; a case that was running when a worker
   died twice is journalled as a failure of its own, `worker-died`. */
struct pool {
	const struct caselist *cl;
	const struct ev_sweep_opts *o;
	unsigned char *deaths; /* per case: workers that died running it */
	size_t done, fails;    /* progress bytes, all rounds */
	double t0;
	int jobs;
};

/* idx[] gets the indices of the cases without a result in OUT's journal,
   in canonical order; returns how many, or -1 with err. */
static long missing_cases(const struct caselist *cl, const char *out,
			  size_t *idx, char *err, size_t errlen)
{
	struct ev_journal *all = ev_journal_open(out, 1, err, errlen);
	size_t i, n = 0;

	if (!all)
		return -1;
	for (i = 0; i < cl->n; i++) {
		struct ev_result key;
		char file[256];
		fill_result(&cl->v[i], &(struct verdictbox){.verdict = EV_NOVERDICT},
			    &key, file, sizeof file);
		if (!ev_journal_find(all, &key))
			idx[n++] = i;
	}
	ev_journal_close(all);
	return (long)n;
}

static void describe_case(const struct ev_case *c, char *buf, size_t n)
{
	snprintf(buf, n, "%s %s %s+%llu %s h%d", ev_arch_name(c->t->arch),
		 c->t->name, c->f->name,
		 (unsigned long long)(c->insn->pc - c->f->entry),
		 ev_action_name(c->action), c->hit);
}

static void death_text(int status, char *buf, size_t n)
{
	if (WIFSIGNALED(status))
		snprintf(buf, n, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, n, "exited with status %d", WEXITSTATUS(status));
}

/* A worker died while running case i: a second death makes it a failure. */
static int worker_died(struct pool *p, size_t i, int status, size_t unfinished,
		       char *err, size_t errlen)
{
	const struct ev_case *c = &p->cl->v[i];
	struct verdictbox v = {.verdict = EV_NOVERDICT};
	struct ev_result r;
	struct ev_journal *j;
	char what[128], where[256], file[256];

	death_text(status, what, sizeof what);
	describe_case(c, where, sizeof where);
	if (++p->deaths[i] < 2) {
		fprintf(stderr, "\neverypc: a worker %s while running %s; its %zu unfinished cases run again\n",
			what, where, unfinished);
		return 0;
	}
	fprintf(stderr, "\neverypc: a worker %s while running %s, for the second time: recorded as a failure (worker-died)\n",
		what, where);
	failf(&v, "worker-died",
	      "the worker running this case died twice, the last time %s", what);
	fill_result(c, &v, &r, file, sizeof file);
	if (!(j = ev_journal_open(p->o->out, 1, err, errlen)))
		return -1;
	if (ev_journal_append(j, &r) < 0) {
		snprintf(err, errlen, "%s: cannot append: %s", ev_journal_path(j),
			 strerror(errno));
		ev_journal_close(j);
		return -1;
	}
	ev_journal_close(j);
	write_scenario(c, &r, p->o);
	p->done++;
	p->fails++;
	return 0;
}

static void read_progress(struct pool *p, int fd)
{
	char buf[256];
	ssize_t n, i;

	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < n; i++) {
			p->done++;
			p->fails += buf[i] == 'F';
		}
		if (p->o->progress)
			progress_bar(p->done, p->cl->n, p->fails, now_s() - p->t0);
	}
}

/* One round over the nmiss cases idx[]: fork the workers, collect their
   progress, reap them. Returns the number of workers that died, or -1
   with err (a fork failed, the journal could not be written). */
static int pool_round(struct pool *p, const size_t *idx, size_t nmiss,
		      char *err, size_t errlen)
{
	int jobs = p->jobs, k, pfd[2], died = 0, ioerr = 0, spawned = 0;
	pid_t pids[256];
	int status[256];
	struct ev_case *v = malloc(nmiss * sizeof *v);
	struct ev_journal *j = NULL;
	size_t i, *left = NULL;
	long nleft;

	if (!v)
		return snprintf(err, errlen, "out of memory"), -1;
	for (i = 0; i < nmiss; i++)
		v[i] = p->cl->v[idx[i]];
	if ((size_t)jobs > nmiss)
		jobs = (int)nmiss;
	if (!(j = ev_journal_open(p->o->out, 1, err, errlen)) || pipe(pfd) < 0) {
		if (j)
			snprintf(err, errlen, "pipe: %s", strerror(errno));
		ev_journal_close(j);
		free(v);
		return -1;
	}
	fflush(NULL);
	for (k = 0; k < jobs; k++) {
		size_t lo = nmiss * (size_t)k / (size_t)jobs;
		size_t hi = nmiss * (size_t)(k + 1) / (size_t)jobs;
		pids[k] = fork();
		if (pids[k] == 0) {
			struct slice sl = {v + lo, hi - lo};
			close(pfd[0]);
			run_slice(sl, p->o, j, pfd[1]);
			_exit(0);
		}
		if (pids[k] < 0) {
			snprintf(err, errlen, "fork: %s", strerror(errno));
			break;
		}
		spawned++;
	}
	close(pfd[1]);
	read_progress(p, pfd[0]);
	close(pfd[0]);
	ev_journal_close(j);
	for (k = 0; k < spawned; k++) {
		while (waitpid(pids[k], &status[k], 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status[k]) && WEXITSTATUS(status[k]) == WORKER_IOERR)
			ioerr = 1;
	}
	if (spawned < jobs || ioerr) {
		if (ioerr)
			snprintf(err, errlen, "the journal could not be written (see above): the sweep stops");
		free(v);
		return -1;
	}
	/* Which case was each dead worker running? The first of its slice
	   without a result (a worker runs its slice in order). */
	left = malloc(p->cl->n * sizeof *left);
	nleft = left ? missing_cases(p->cl, p->o->out, left, err, errlen) : -1;
	for (k = 0; k < spawned && nleft >= 0; k++) {
		size_t lo = nmiss * (size_t)k / (size_t)jobs;
		size_t hi = nmiss * (size_t)(k + 1) / (size_t)jobs, first = hi, m;
		if (WIFEXITED(status[k]) && WEXITSTATUS(status[k]) == 0)
			continue;
		died++;
		for (m = 0; m < (size_t)nleft && first == hi; m++)
			for (i = lo; i < hi && first == hi; i++)
				if (idx[i] == left[m])
					first = i;
		if (first < hi &&
		    worker_died(p, idx[first], status[k], hi - first, err,
				errlen) < 0)
			nleft = -1;
	}
	free(left);
	free(v);
	return nleft < 0 ? -1 : died;
}

/* Run every case that has no result yet. -1 with err when the sweep had to
   stop (the results so far stay in the journal). */
static int run_pool(struct caselist *cl, const struct ev_sweep_opts *o,
		    char *err, size_t errlen)
{
	struct pool p = {.cl = cl, .o = o, .t0 = now_s()};
	size_t *idx = malloc((cl->n ? cl->n : 1) * sizeof *idx);
	long nmiss;
	int rc = 0, died;

	p.deaths = calloc(cl->n ? cl->n : 1, 1);
	p.jobs = o->jobs > 0 ? (o->jobs > 256 ? 256 : o->jobs) : 1;
	if (!idx || !p.deaths) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	while (rc == 0) {
		nmiss = missing_cases(cl, o->out, idx, err, errlen);
		if (nmiss <= 0) {
			rc = nmiss < 0 ? -1 : 0;
			break;
		}
		p.done = cl->n - (size_t)nmiss; /* journalled before: resumed */
		died = pool_round(&p, idx, (size_t)nmiss, err, errlen);
		if (died <= 0) { /* all done, or nothing more to try */
			rc = died < 0 ? -1 : 0;
			break;
		}
	}
	if (o->progress)
		fputc('\n', stderr);
	fprintf(stderr, "everypc: %zu cases in %.1f s (%.1f cases/s, %d jobs, %s mode)\n",
		p.done, now_s() - p.t0, p.done / (now_s() - p.t0 + 1e-9), p.jobs,
		o->isolated ? "isolated" : "persistent");
	free(idx);
	free(p.deaths);
	return rc;
}

/* Rewrite the journal in canonical case order (SWP-1). */
/* One report row for case c, whose journalled result is r (RPT). */
static void report_row(const struct ev_case *c, const struct ev_result *r,
		       struct ev_report_row *row, char **scenario)
{
	const struct elfmeta_unsafe *u = elfmeta_unsafe_at(c->t->m, c->insn->pc);
	char name[512];

	memset(row, 0, sizeof *row);
	row->arch = r->arch;
	row->workload = r->workload;
	row->mutant = r->mutant;
	row->func = r->func;
	row->pc = r->pc;
	row->offset = r->offset;
	row->line = r->line;
	row->disasm = c->insn->text;
	row->safety = u ? elfmeta_unsafe_kind_name(u->kind) : "safe";
	row->hit = r->hit;
	row->action = r->action;
	row->verdict = r->verdict;
	row->expected = r->expected;
	row->pass = r->pass;
	row->check = r->check;
	row->detail = r->detail;
	*scenario = NULL;
	if (!r->pass) {
		scenario_name(r, name, sizeof name);
		if ((*scenario = malloc(strlen(name) + 1)))
			strcpy(*scenario, name);
		row->scenario = *scenario;
	}
}

/* SWP-1: rewrite the journal in canonical order, and write OUT/report.html
   from the same rows. */
static int canonical_journal(const struct caselist *cl, const char *title,
			     const struct ev_sweep_opts *o, size_t *missing,
			     char *err, size_t errlen)
{
	struct ev_journal *all = ev_journal_open(o->out, 1, err, errlen);
	struct ev_report_row *rows = calloc(cl->n ? cl->n : 1, sizeof *rows);
	char **names = calloc(cl->n ? cl->n : 1, sizeof *names);
	char path[1024], tmp[1100];
	FILE *f = NULL;
	size_t i, nrows = 0;
	int rc = -1;

	if (!all || !rows || !names) {
		if (all)
			snprintf(err, errlen, "out of memory");
		goto out;
	}
	snprintf(path, sizeof path, "%s/journal.jsonl", o->out);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	for (i = 0; i < cl->n; i++) {
		struct ev_result key;
		char file[256];
		const struct ev_result *r;
		fill_result(&cl->v[i], &(struct verdictbox){.verdict = EV_NOVERDICT},
			    &key, file, sizeof file);
		r = ev_journal_find(all, &key);
		if (r) {
			char *line = ev_result_line(r);
			if (line)
				fputs(line, f);
			free(line);
			report_row(&cl->v[i], r, &rows[nrows], &names[nrows]);
			nrows++;
		} else if (++*missing <= 5) {
			char what[256];
			describe_case(&cl->v[i], what, sizeof what);
			fprintf(stderr, "everypc: no result for %s\n", what);
		}
	}
	if (ferror(f) | (fclose(f) != 0) || rename(tmp, path) < 0) {
		f = NULL;
		snprintf(err, errlen, "%s: cannot rewrite: %s", path,
			 strerror(errno));
		unlink(tmp);
		goto out;
	}
	f = NULL;
	snprintf(path, sizeof path, "%s/report.html", o->out);
	if (ev_report_write_html(path, title, rows, nrows, err, errlen) < 0)
		goto out;
	rc = 0;
out:
	if (f)
		fclose(f);
	for (i = 0; i < nrows; i++)
		free(names[i]);
	free(names);
	free(rows);
	ev_journal_close(all);
	return rc;
}

/* SWP-5: one sweep at a time in an output directory. An advisory lock on
   OUT/.everypc.lock is held for the whole sweep (--resume included); a
   second sweep refuses at once, naming the holder. Returns the descriptor
   that holds it, or -1 with err. */
static int lock_out(const char *out, char *err, size_t errlen)
{
	char path[1100], pid[32];
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	int fd;

	snprintf(path, sizeof path, "%s/.everypc.lock", out);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fcntl(fd, F_SETLK, &fl) < 0) {
		int e = errno;
		struct flock who = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
		if ((e == EACCES || e == EAGAIN) && fcntl(fd, F_GETLK, &who) == 0 &&
		    who.l_type != F_UNLCK)
			snprintf(err, errlen, "%s is in use by another sweep (pid %ld); wait for it to end or choose another --out",
				 out, (long)who.l_pid);
		else
			snprintf(err, errlen, "%s: cannot lock: %s", path,
				 strerror(e));
		close(fd);
		return -1;
	}
	snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || write(fd, pid, strlen(pid)) < 0) {
		/* the pid in the file is for people; the lock is what counts */
	}
	return fd;
}

int ev_sweep_run(const struct ev_suite *suite, const struct ev_sweep_opts *o,
		 char *err, size_t errlen)
{
	struct targets ts = {0};
	struct caselist cl = {0};
	struct ev_journal *j;
	int rc = 2, lockfd, stopped;
	size_t i, missing = 0;
	char title[300], stoperr[256];

	if (mkdir(o->out, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", o->out, strerror(errno));
		return 2;
	}
	if ((lockfd = lock_out(o->out, err, errlen)) < 0)
		return 2;
	if (enumerate(suite, &ts, &cl, o, err, errlen) < 0)
		goto out;
	j = ev_journal_open(o->out, o->resume, err, errlen);
	if (!j)
		goto out;
	ev_journal_close(j); /* truncated unless resuming */
	fprintf(stderr, "everypc: %zu cases on %zu targets\n", cl.n, ts.n);
	stopped = run_pool(&cl, o, err, errlen) < 0;
	snprintf(title, sizeof title, "everypc sweep: %s", suite->name);
	if (stopped) { /* keep what finished, in canonical order */
		canonical_journal(&cl, title, o, &missing, stoperr,
				  sizeof stoperr);
		fprintf(stderr, "everypc: %zu of %zu cases have no result; --resume runs them\n",
			missing, cl.n);
		goto out;
	}
	if (canonical_journal(&cl, title, o, &missing, err, errlen) < 0)
		goto out;
	if (missing) { /* every enumerated case must have its result */
		snprintf(err, errlen, "%zu of %zu enumerated cases have no result (--resume runs them)",
			 missing, cl.n);
		goto out;
	}
	j = ev_journal_open(o->out, 1, err, errlen);
	if (!j)
		goto out;
	ev_journal_summary(j, stdout);
	if (o->junit && ev_journal_write_junit(j, o->junit, err, errlen) < 0) {
		ev_journal_close(j);
		goto out;
	}
	rc = ev_journal_failures(j) ? 1 : 0;
	if (rc)
		printf("%d failing cases: scenarios in %s/scenarios/\n",
		       ev_journal_failures(j), o->out);
	ev_journal_close(j);
out:
	for (i = 0; i < ts.n; i++) {
		ev_target_close(ts.v[i]);
		free(ts.v[i]);
	}
	for (i = 0; i < ts.ninj; i++)
		free(ts.inj[i]);
	free(cl.v);
	close(lockfd); /* releases the lock */
	return rc;
}

int ev_inject_resolve(struct ev_target *t, const char *spec,
		      struct dc_call *call, char *err, size_t errlen)
{
	const struct elfmeta_symbol *entry = elfmeta_symbol(t->m, EP_DEBUGCALL_ENTRY);
	struct ev_inject *inj;

	if (!entry) {
		snprintf(err, errlen, "%s has no %s", t->elf, EP_DEBUGCALL_ENTRY);
		return -1;
	}
	if (!(inj = parse_inject(spec, t, err, errlen)))
		return -1;
	memset(call, 0, sizeof *call);
	call->entry = entry->value;
	call->fn = inj->fn;
	call->nargs = inj->nargs;
	memcpy(call->args, inj->args, sizeof call->args);
	free(inj);
	return 0;
}

int ev_inject_answer(struct ev_target *t, const char *spec,
		     const struct ev_sweep_opts *o, struct dc_result *res,
		     char *err, size_t errlen)
{
	struct ev_inject *inj = parse_inject(spec, t, err, errlen);
	int rc;

	if (!inj)
		return -1;
	rc = answer_in(t, inj, o, res, err, errlen);
	free(inj);
	return rc;
}

int ev_sweep_one(struct ev_target *t, struct ev_target *ref, const char *func,
		 uint64_t pc, int hit, int action, const char *inject,
		 const struct ev_sweep_opts *o, struct ev_case_out *out,
		 char *err, size_t errlen)
{
	struct worker w;
	struct verdictbox v;
	struct ev_inject *inj = NULL;
	struct ev_case c = {t, ev_target_func(t, func), NULL, hit, action, NULL};

	if (action >= EV_INJECT) {
		if (!inject) {
			snprintf(err, errlen, "action %s needs an inject call",
				 ev_action_name(action));
			return -1;
		}
		if (!(inj = parse_inject(inject, t, err, errlen)))
			return -1;
		if (ref && set_reference(inj, ref, err, errlen) < 0) {
			free(inj);
			return -1;
		}
		c.inj = inj;
	}
	size_t first, n, i;

	if (!c.f) {
		snprintf(err, errlen, "no function %s in %s", func, t->elf);
		return -1;
	}
	ev_target_func_insns(t, c.f, &first, &n);
	for (i = first; i < first + n; i++)
		if (t->insns[i].pc == pc)
			c.insn = &t->insns[i];
	if (!c.insn) {
		snprintf(err, errlen, "0x%llx is not an instruction of %s in %s",
			 (unsigned long long)pc, func, t->elf);
		return -1;
	}
	memset(&w, 0, sizeof w);
	w.o = o;
	w.t = t;
	if (worker_launch(&w, inj != NULL, err, errlen) < 0 ||
	    baseline(&w, err, errlen) < 0) {
		worker_down(&w);
		free(inj);
		return -1;
	}
	memset(&v, 0, sizeof v);
	v.verdict = EV_NOVERDICT;
	if (inj && inject_answer(&w, inj, v.detail, sizeof v.detail) < 0) {
		/* as in a sweep: the case fails with the baseline call's
		   failure (run_slice) */
		v.failed = 1;
		snprintf(v.check, sizeof v.check, "setup");
		worker_down(&w);
	} else {
		worker_down(&w);
		if (worker_launch(&w, 0, err, errlen) < 0) {
			free(inj);
			return -1;
		}
		run_case(&w, &c, &v);
		worker_down(&w);
	}
	free(inj);
	fill_result(&c, &v, &out->r, out->file, sizeof out->file);
	snprintf(out->check, sizeof out->check, "%s", v.check);
	snprintf(out->detail, sizeof out->detail, "%s", v.detail);
	out->r.check = v.failed ? out->check : NULL;
	out->r.detail = out->detail;
	if (out->r.file)
		out->r.file = out->file;
	return 0;
}
