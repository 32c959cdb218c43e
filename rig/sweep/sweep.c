/*
 * sweep.c -- the sweep driver's entry points (sweep.h): plan the cases,
 * lock the output directory, run the pool, then the canonical journal,
 * report, summary and JUnit; and one case alone, for replay.
 *
 * The per-case protocol (persistent mode; isolated mode is the same on a
 * fresh QEMU). The guest sits at everypc_hook_iter_end of the previous
 * iteration (or at start-up):
 *   1. break at the PC; from iter_end, return from the hook and continue
 *      into the next iteration without stopping at iter_start (BRK-2;
 *      from start-up the guest already stands there);
 *   2. continue until the PC's hit-th execution (stepping over earlier
 *      ones); reaching iter_end first means "unreached" (once a case of a
 *      function was found so, its instructions' executions are counted in
 *      one iteration, and its other unreached cases cost none: hits.c);
 *   3. snapshot registers, the goroutine's stack bounds and every location
 *      the oracle map says holds a live pointer; deliver the action as its
 *      entry in the action table says (action.h);
 *   4-5. judge it with the entry's oracles (SIGURG: the verdict, the async
 *      frame, liveness after the GC, the stack, the registers when the
 *      goroutine is back at the PC; an injected call: its answer, the
 *      registers, the stack, the freeze of every other goroutine);
 *   6. continue to iter_end: output hash, exit status and heap check must
 *      equal the baseline's (oracle 6). A throw, a crash or a hang anywhere
 *      is a failure naming where it happened.
 * Steps 1-2 and 6 are the worker's (worker.h).
 */
#include "sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "everypc/debugcall.h"
#include "gdbproxy.h"
#include "source.h"
#include "sweep/action.h"
#include "sweep/observe.h"
#include "sweep/plan.h"
#include "sweep/pool.h"
#include "sweep/results.h"
#include "sweep/shard.h"

static void truncate_timing(const char *out)
{
	char path[1100];
	snprintf(path, sizeof path, "%s/%s", out, TIMING_FILE);
	unlink(path);
}

/* SHD-1, SHD-2: write OUT's plan (every case, with its shard), then keep
   only this sweep's share of cl. 0, or -1 with err. */
static int take_share(struct caselist *cl, const struct ev_sweep_opts *o,
		      const char *title, struct ev_sources *srcs, char *err,
		      size_t errlen)
{
	int index = o->shard_index, count = o->shard_count;
	const char *source = "--shard";
	struct planned *all;
	size_t i, k = 0, n = cl->n;
	int rc;

	if (!count && shard_from_env(&index, &count, &source, err, errlen) < 0)
		return -1;
	if (!count)
		index = count = 1;
	if (count > 1)
		fprintf(stderr, "everypc: shard %d/%d (%s)\n", index, count,
			source);
	if (!(all = plan_of(cl, srcs))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = plan_write(o->out, index, count, title, all, n, err, errlen);
	free(all);
	for (i = 0; i < n; i++)
		if (shard_of(i, n, count) == index)
			cl->v[k++] = cl->v[i];
	cl->n = k;
	return rc;
}

/* How many cases have no result in OUT's journal, or -1. */
static long report_missing(const struct caselist *cl, const char *out)
{
	size_t *idx = malloc((cl->n ? cl->n : 1) * sizeof *idx);
	char err[256];
	long n = idx ? missing_cases(cl, out, idx, err, sizeof err) : -1;
	free(idx);
	return n;
}

int make_dirs(const char *path, char *err, size_t errlen)
{
	char buf[1024];
	size_t i, n = strlen(path);

	if (n >= sizeof buf) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != 0)
			continue;
		buf[i] = 0;
		if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "%s: %s", buf, strerror(errno));
			return -1;
		}
		buf[i] = i < n ? '/' : 0;
	}
	return 0;
}

/* SWP-5: one sweep at a time in an output directory. An advisory lock on
   OUT/.everypc.lock is held for the whole sweep (--resume included); a
   second sweep refuses at once, naming the holder. Returns the descriptor
   that holds it, or -1 with err. */
int lock_out(const char *out, char *err, size_t errlen)
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
		if ((e == EACCES || e == EAGAIN) &&
		    fcntl(fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK)
			snprintf(err, errlen,
				 "%s is in use by another sweep (pid %ld); "
				 "wait for it to end or choose another --out",
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

/* The journal truncated, or kept for --resume; so is the timing file. */
static int start_journal(const struct ev_sweep_opts *o, char *err,
			 size_t errlen)
{
	struct ev_journal *j = ev_journal_open(o->out, o->resume, err, errlen);
	if (!j)
		return -1;
	ev_journal_close(j);
	if (!o->resume)
		truncate_timing(o->out);
	return 0;
}

/* The pool stopped early (a failed write, an interrupt): keep what
   finished, in canonical order if we can, and say what --resume runs. */
static void keep_finished(const struct planned *planned,
			  const struct caselist *cl, const char *title,
			  const char *out)
{
	char stoperr[256];
	size_t missing = 0;
	long left;

	canonical_journal(planned, cl->n, title, out, &missing, NULL, stoperr,
			  sizeof stoperr);
	left = report_missing(cl, out);
	if (left >= 0)
		fprintf(stderr,
			"everypc: %ld of %zu cases have no result; "
			"--resume runs them\n",
			left, cl->n);
}

int ev_sweep_run(const struct ev_suite *suite, const struct ev_sweep_opts *o,
		 char *err, size_t errlen)
{
	struct targets ts = {0};
	struct caselist cl = {0};
	struct planned *planned = NULL;
	int rc = 2, lockfd, stopped;
	long long started = (long long)time(NULL);
	size_t missing = 0;
	char title[8192], *digest = NULL;
	struct ev_sources *srcs = NULL;

	if (make_dirs(o->out, err, errlen) < 0)
		return 2;
	if ((lockfd = lock_out(o->out, err, errlen)) < 0)
		return 2;
	if (!(srcs = ev_sources_new()))
		snprintf(err, errlen, "out of memory");
	if (!srcs || plan_enumerate(suite, &ts, &cl, o, err, errlen) < 0)
		goto out;
	sweep_title(suite->name, ts.v, ts.n, o, title, sizeof title);
	if (take_share(&cl, o, title, srcs, err, errlen) < 0)
		goto out;
	if (start_journal(o, err, errlen) < 0)
		goto out;
	fprintf(stderr, "everypc: %zu cases on %zu targets\n", cl.n, ts.n);
	stopped = run_pool(&cl, o, err, errlen) < 0;
	if (!(planned = plan_of(&cl, srcs))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (stopped) {
		keep_finished(planned, &cl, title, o->out);
		goto out;
	}
	if (canonical_journal(planned, cl.n, title, o->out, &missing, &digest,
			      err, errlen) < 0)
		goto out;
	if (missing) { /* every enumerated case must have its result */
		snprintf(err, errlen,
			 "%zu of %zu enumerated cases have no result (--resume "
			 "runs them)",
			 missing, cl.n);
		goto out;
	}
	rc = finish_results(o, started, digest, err, errlen);
out:
	free(digest);
	free(planned);
	ev_sources_free(srcs);
	plan_free(&ts, &cl);
	close(lockfd); /* releases the lock */
	return rc;
}

int ev_inject_resolve(struct ev_target *t, const char *spec,
		      struct dc_call *call, char *err, size_t errlen)
{
	const struct elfmeta_symbol *entry =
	    elfmeta_symbol(t->m, EP_DEBUGCALL_ENTRY);
	struct ev_inject *inj;

	if (!entry) {
		snprintf(err, errlen, "%s has no %s", t->elf,
			 EP_DEBUGCALL_ENTRY);
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

/* The case at (func, pc) of t: 0, or -1 with err. */
static int find_case(struct ev_target *t, const char *func, uint64_t pc,
		     struct ev_case *c, char *err, size_t errlen)
{
	size_t first, n, i;

	c->t = t;
	if (!(c->f = ev_target_func(t, func))) {
		snprintf(err, errlen, "no function %s in %s", func, t->elf);
		return -1;
	}
	ev_target_func_insns(t, c->f, &first, &n);
	for (i = first; i < first + n; i++)
		if (t->insns[i].pc == pc)
			c->insn = &t->insns[i];
	if (!c->insn) {
		snprintf(err, errlen,
			 "0x%llx is not an instruction of %s in %s",
			 (unsigned long long)pc, func, t->elf);
		return -1;
	}
	return 0;
}

/* Run c alone, isolated, as a sweep would have (its baseline and expected
   answer first, each in a QEMU of its own). 0, or -1 with err. */
static int run_alone(struct worker *w, const struct ev_case *c,
		     struct verdictbox *v, char *err, size_t errlen)
{
	int rc = 0;

	w->base.mismatch = 0;
	w->base.oracle[0] = 0;
	if (worker_launch(w, c->inj != NULL, err, errlen) < 0 ||
	    worker_baseline(w, err, errlen) < 0) {
		worker_down(w);
		if (!w->base.mismatch && !*w->base.oracle)
			return -1;
		/* as in a sweep: the case fails as `baseline` (REF-2) or as
		   the oracle that failed in the baseline */
		v->failed = 1;
		snprintf(v->check, sizeof v->check, "%s",
			 worker_baseline_check(w));
		snprintf(v->detail, sizeof v->detail, "%s", err);
		return 0;
	}
	if (c->inj &&
	    inject_answer(w, c->inj, v->detail, sizeof v->detail) < 0) {
		/* as in a sweep: the case fails with the baseline call's
		   failure (run_slice) */
		v->failed = 1;
		snprintf(v->check, sizeof v->check, "setup");
	} else {
		worker_down(w);
		if (worker_launch(w, 0, err, errlen) < 0)
			rc = -1;
		else
			run_case(w, c, v);
	}
	worker_down(w);
	return rc;
}

int ev_sweep_one(struct ev_target *t, struct ev_target *ref, const char *func,
		 uint64_t pc, int hit, int action, const char *inject,
		 const struct ev_sweep_opts *o, struct ev_case_out *out,
		 char *err, size_t errlen)
{
	struct worker w;
	struct verdictbox v = {.verdict = EV_NOVERDICT};
	struct ev_inject *inj = NULL;
	struct ev_case c = {
	    .hit = hit, .action = action, .clobber = !o->no_clobber};
	int rc = -1;

	if (find_case(t, func, pc, &c, err, errlen) < 0)
		return -1;
	if (action_injects(action)) {
		if (!inject) {
			snprintf(err, errlen, "action %s needs an inject call",
				 ev_action_name(action));
			return -1;
		}
		if (!(inj = parse_inject(inject, t, err, errlen)) ||
		    (ref && set_reference(inj, ref, err, errlen) < 0))
			goto out;
		c.inj = inj;
	}
	memset(&w, 0, sizeof w);
	w.o = o;
	w.t = t;
	if (run_alone(&w, &c, &v, err, errlen) < 0)
		goto out;
	fill_result(&c, &v, &out->r, out->file, sizeof out->file);
	snprintf(out->check, sizeof out->check, "%s", v.check);
	snprintf(out->detail, sizeof out->detail, "%s", v.detail);
	out->r.check = v.failed ? out->check : NULL;
	out->r.detail = out->detail;
	if (out->r.file)
		out->r.file = out->file;
	rc = 0;
out:
	free(inj);
	return rc;
}

/* The case's QEMU at the moment before its action, without the rig's
   breakpoints: 0, -2 when the case does not get there (err says what
   happened instead), -1 with err. */
static int stop_before_action(struct worker *w, const struct ev_case *c,
			      char *err, size_t errlen)
{
	struct verdictbox v = {.verdict = EV_NOVERDICT};
	int reached;

	if (worker_launch(w, 0, err, errlen) < 0)
		return -1;
	reached = worker_run_to_pc(w, c, &v);
	if (reached <= 0) {
		if (reached == 0)
			snprintf(err, errlen,
				 "the iteration ended before execution %d of "
				 "the PC (unreached)",
				 c->hit);
		else
			snprintf(err, errlen, "%s: %s", v.check, v.detail);
		return -2;
	}
	/* the debugger sees the state the action would have met (CLB-1) */
	if (c->clobber && clobber_dead(w, c, &v) < 0) {
		snprintf(err, errlen, "%s", v.detail);
		return -1;
	}
	while (w->s.nbreaks)
		if (ev_session_unbreak(&w->s, w->s.breaks[0]) < 0) {
			snprintf(err, errlen, "%s", w->s.err);
			return -1;
		}
	return 0;
}

int ev_sweep_debug(struct ev_target *t, const char *func, uint64_t pc, int hit,
		   const struct ev_sweep_opts *o,
		   int (*ready)(void *ctx, const char *sock, char *err,
				size_t errlen),
		   void *ctx, int *signo, char *err, size_t errlen)
{
	struct worker w;
	struct ev_case c = {.hit = hit, .clobber = !o->no_clobber};
	struct gdbproxy p = {.listen_fd = -1, .fd = -1};
	struct rsp_error e;
	int rc;

	*signo = 0;
	if (find_case(t, func, pc, &c, err, errlen) < 0)
		return -1;
	memset(&w, 0, sizeof w);
	w.o = o;
	w.t = t;
	rc = stop_before_action(&w, &c, err, errlen);
	if (rc == 0 &&
	    (rsp_client_settle(w.s.c, &e) < 0 || gdbproxy_listen(&p, &e) < 0)) {
		snprintf(err, errlen, "%s", e.msg);
		rc = -1;
	}
	if (rc == 0 && (rc = ready(ctx, p.sock, err, errlen)) >= 0) {
		rc = gdbproxy_serve(&p, rsp_client_fd(w.s.c), w.s.l.pid, signo,
				    &e);
		if (rc < 0)
			snprintf(err, errlen, "%s", e.msg);
	}
	gdbproxy_close(&p);
	worker_down(&w);
	return rc;
}
