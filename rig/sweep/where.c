/*
 * where.c -- where the guest is, in the metadata's words, and unexpected
 * stops turned into failures (worker.h).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "worker.h"

void worker_where_at(struct worker *w, uint64_t pc, int exact, char *buf,
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

void worker_where(struct worker *w, uint64_t pc, char *buf, size_t n)
{
	worker_where_at(w, pc, 1, buf, n);
}

/* A backtrace of managed frames from (pc, sp) outwards, built from the
   metadata (frame sizes, ABI-2) and guest memory; sampled: pc was caught
   at a random moment, so the innermost frame is named by its function
   only. */
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
		worker_where_at(w, pc, !(sampled && depth == 0), at, sizeof at);
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
					depth ? " <- " : "", at);
		if (!f || elfmeta_unsafe_at(w->t->m, pc) ||
		    ev_session_read_u64(
			&w->s, rig_ra_slot(rr, sp, f->frame_size), &ra) < 0)
			break; /* outside a set-up managed frame */
		sp = rig_caller_sp(rr, sp, f->frame_size);
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

void worker_unexpected(struct worker *w, struct verdictbox *v, enum stopkind k,
		       uint64_t pc, const struct rsp_stop *st,
		       const char *waiting)
{
	char bt[768];
	const char *sigs = w->run.passed_signals;
	if (k == ST_ORACLE) {
		failf(v, w->run.fail_check, "%s", w->run.fail_detail);
	} else if (k == ST_ERROR && strstr(w->s.err, "timeout")) {
		char err[512];
		snprintf(err, sizeof err, "%s", w->s.err);
		hang_where(w, bt, sizeof bt);
		failf(v, "hang", "while waiting for %s: %s; guest at %s",
		      waiting, err, bt);
	} else if (k == ST_ERROR) {
		failf(v, "protocol", "while waiting for %s: %s", waiting,
		      w->s.err);
	} else if (k == ST_EXIT) {
		failf(v, "crash", "guest %s %u while waiting for %s%s",
		      st->kind == RSP_STOP_EXITED ? "exited with status"
						  : "was killed by signal",
		      st->code, waiting, sigs);
	} else if (pc == w->t->hook_throw) {
		char msg[EVERYPC_RIG_MSG_MAX + 1] = "";
		ev_session_read(&w->s, w->t->sym_rig + MAILBOX(rep_throw_msg),
				msg, EVERYPC_RIG_MSG_MAX);
		msg[EVERYPC_RIG_MSG_MAX] = 0;
		bt[0] = 0;
		if (w->run.cur_g)
			g_backtrace(w, w->run.cur_g, bt, sizeof bt);
		failf(v, "throw",
		      "runtime threw \"%s\" while waiting for %s; goroutine at "
		      "%s",
		      msg, waiting, *bt ? bt : "?");
	} else {
		struct ev_regs r;
		if (ev_session_regs(&w->s, &r) == 0)
			backtrace(w, pc, r.v[w->s.sp_num], 0, bt, sizeof bt);
		else
			worker_where(w, pc, bt, sizeof bt);
		failf(v, *sigs ? "crash" : "unexpected-stop",
		      "stopped at %s while waiting for %s%s", bt, waiting,
		      sigs);
	}
	w->run.up = 0; /* the guest is in doubt: start afresh (SWP-2) */
}
