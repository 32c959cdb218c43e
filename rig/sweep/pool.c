/*
 * pool.c -- forked workers over the cases without a result (pool.h).
 */
#define _DEFAULT_SOURCE /* getloadavg */
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "results.h"

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

static double now_s(void);

/* A worker's state across its slice: a target's setup (launch, baseline,
   the expected answer) is done once and, when it fails, fails every case
   of that target with its reason. */
struct slicer {
	struct worker w;
	struct ev_target *cur;
	int setup_failed;
	char setup_err[1024];
};

/* Make the worker ready for case c: 0, or -1 (the reason in setup_err). */
static int ready_for(struct slicer *sr, const struct ev_case *c,
		     const struct ev_sweep_opts *o)
{
	struct worker *w = &sr->w;
	char *err = sr->setup_err;
	size_t n = sizeof sr->setup_err;
	int fresh_base;

	if (c->t != sr->cur) {
		worker_down(w);
		w->t = sr->cur = c->t;
		w->base.have = 0;
		w->base.mismatch = 0;
		w->base.oracle[0] = 0;
		w->ans.inj = NULL;
		sr->setup_failed = 0;
	}
	if (o->isolated)
		worker_down(w);
	if (w->run.up || sr->setup_failed)
		return sr->setup_failed ? -1 : 0;
	fresh_base = !w->base.have;
	if (worker_launch(w, !o->isolated, err, n) < 0 ||
	    (!w->base.have && worker_baseline(w, err, n) < 0))
		sr->setup_failed = 1;
	else if (c->inj && (fresh_base || w->ans.inj != c->inj) &&
		 inject_answer(w, c->inj, err, n) < 0)
		sr->setup_failed = 1;
	else if (o->isolated) {
		/* baseline ran in its own QEMU; start afresh */
		worker_down(w);
		if (worker_launch(w, 0, err, n) < 0)
			sr->setup_failed = 1;
	}
	return sr->setup_failed ? -1 : 0;
}

/* The case's wall time, for JUnit only (results.h: TIMING_FILE; never in
   the journal, JRN-2). Best effort: a line that cannot be written costs
   the case its time, nothing else. */
static void note_time(int fd, const struct ev_result *r, double secs)
{
	char line[600];
	int n = snprintf(
	    line, sizeof line, "%s\t%s\t%s\t%s\t0x%llx\t%d\t%s\t%.6f\n",
	    ev_arch_name(r->arch), r->workload, r->mutant ? r->mutant : "-",
	    r->func, (unsigned long long)r->pc, r->hit,
	    ev_action_name(r->action), secs);
	if (fd >= 0 && n > 0 && (size_t)n < sizeof line)
		(void)!write(fd, line, (size_t)n);
}

/* Run a slice in this worker process; one byte per finished case to
   progress_fd. Exits WORKER_IOERR at the first failed journal write. */
static int run_slice(struct slice sl, const struct ev_sweep_opts *o,
		     struct ev_journal *j, int progress_fd)
{
	struct slicer sr = {.cur = NULL};
	const char *kill_at = getenv("EVERYPC_TEST_KILL_AT");
	char tpath[1100];
	int tfd;
	size_t i;

	sr.w.o = o;
	snprintf(tpath, sizeof tpath, "%s/%s", o->out, TIMING_FILE);
	tfd = open(tpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	for (i = 0; i < sl.n; i++) {
		const struct ev_case *c = &sl.v[i];
		struct verdictbox v = {.verdict = EV_NOVERDICT};
		struct ev_result r;
		char file[256];

		fill_result(c, &v, &r, file, sizeof file);
		if (!ev_journal_done(j, &r)) {
			double t0 = now_s();
			if (kill_at && test_kill_here(c, kill_at))
				raise(SIGKILL);
			/* HIT-1: c's function's counts, once; HIT-3: a
			   failed learning iteration leaves them unknown and
			   the worker down, to be launched again */
			int rc = ready_for(&sr, c, o);
			if (rc == 0 && hits_wanted(&sr.w, c) &&
			    hits_learn(&sr.w, c) < 0)
				rc = ready_for(&sr, c, o);
			if (rc < 0) {
				failf(&v, worker_baseline_check(&sr.w), "%s",
				      sr.setup_err);
			} else {
				run_case(&sr.w, c, &v);
				/* A failed case may have corrupted the guest (a
				   freed live object, a moved stack): the next
				   case starts on a fresh QEMU, so every case is
				   independent (SWP-2). */
				if (v.failed)
					worker_down(&sr.w);
			}
			fill_result(c, &v, &r, file, sizeof file);
			if (ev_journal_append(j, &r) < 0) {
				fprintf(stderr,
					"everypc: %s: cannot append: %s\n",
					ev_journal_path(j), strerror(errno));
				worker_down(&sr.w);
				_exit(WORKER_IOERR);
			}
			if (!r.pass)
				write_scenario(c, &r, o);
			note_time(tfd, &r, now_s() - t0);
		}
		if (progress_fd >= 0 &&
		    write(progress_fd, r.pass ? "." : "F", 1) < 0)
			progress_fd = -1;
	}
	worker_down(&sr.w);
	hits_reset(&sr.w);
	if (tfd >= 0)
		close(tfd);
	return 0;
}

static void progress_bar(size_t done, size_t total, size_t fails,
			 double elapsed)
{
	double rate = elapsed > 0 ? (double)done / elapsed : 0;
	double eta = rate > 0 ? (double)(total - done) / rate : 0;
	int width = 30, filled = total ? (int)(width * done / total) : width;
	fprintf(
	    stderr,
	    "\r[%.*s%*s] %zu/%zu cases, %zu failed, %.1f cases/s, ETA %.0fs ",
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
		fprintf(stderr,
			"\neverypc: a worker %s while running %s; its %zu "
			"unfinished cases run again\n",
			what, where, unfinished);
		return 0;
	}
	fprintf(stderr,
		"\neverypc: a worker %s while running %s, for the second time: "
		"recorded as a failure (worker-died)\n",
		what, where);
	failf(&v, "worker-died",
	      "the worker running this case died twice, the last time %s",
	      what);
	fill_result(c, &v, &r, file, sizeof file);
	if (!(j = ev_journal_open(p->o->out, 1, err, errlen)))
		return -1;
	if (ev_journal_append(j, &r) < 0) {
		snprintf(err, errlen, "%s: cannot append: %s",
			 ev_journal_path(j), strerror(errno));
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
			progress_bar(p->done, p->cl->n, p->fails,
				     now_s() - p->t0);
	}
}

/* A round's workers: worker k runs cases [lo(k), hi(k)) of the round. */
struct round {
	const size_t *idx; /* the round's cases, as indices into the plan */
	size_t n;
	int jobs, spawned;
	pid_t pids[256];
	int status[256];
};

static size_t round_lo(const struct round *rd, int k)
{
	return rd->n * (size_t)k / (size_t)rd->jobs;
}

/* Fork the round's workers over the journal j; their progress comes back
   through the pipe whose read end is returned (-1 with err). */
static int spawn_round(struct pool *p, struct round *rd, struct ev_case *v,
		       struct ev_journal *j, char *err, size_t errlen)
{
	int k, pfd[2];

	if (pipe(pfd) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	for (k = 0; k < rd->jobs; k++) {
		size_t lo = round_lo(rd, k), hi = round_lo(rd, k + 1);
		rd->pids[k] = fork();
		if (rd->pids[k] == 0) {
			struct slice sl = {v + lo, hi - lo};
			close(pfd[0]);
			run_slice(sl, p->o, j, pfd[1]);
			_exit(0);
		}
		if (rd->pids[k] < 0) {
			snprintf(err, errlen, "fork: %s", strerror(errno));
			break;
		}
		rd->spawned++;
	}
	close(pfd[1]);
	return pfd[0];
}

/* Which case was each dead worker running? The first of its share without
   a result (a worker runs its share in order). Returns the number of dead
   workers, or -1 with err. */
static int blame_dead(struct pool *p, const struct round *rd, char *err,
		      size_t errlen)
{
	size_t *left = malloc((p->cl->n ? p->cl->n : 1) * sizeof *left);
	long nleft =
	    left ? missing_cases(p->cl, p->o->out, left, err, errlen) : -1;
	int k, died = 0;

	for (k = 0; k < rd->spawned && nleft >= 0; k++) {
		size_t lo = round_lo(rd, k), hi = round_lo(rd, k + 1),
		       first = hi;
		size_t m, i;
		if (WIFEXITED(rd->status[k]) && WEXITSTATUS(rd->status[k]) == 0)
			continue;
		died++;
		for (m = 0; m < (size_t)nleft && first == hi; m++)
			for (i = lo; i < hi && first == hi; i++)
				if (rd->idx[i] == left[m])
					first = i;
		if (first < hi && worker_died(p, rd->idx[first], rd->status[k],
					      hi - first, err, errlen) < 0)
			nleft = -1;
	}
	free(left);
	return nleft < 0 ? -1 : died;
}

/* One round over the nmiss cases idx[]: fork the workers, collect their
   progress, reap them. Returns the number of workers that died, or -1
   with err (a fork failed, the journal could not be written). */
static int pool_round(struct pool *p, const size_t *idx, size_t nmiss,
		      char *err, size_t errlen)
{
	struct round rd = {idx, nmiss, p->jobs, 0, {0}, {0}};
	struct ev_case *v = malloc(nmiss * sizeof *v);
	struct ev_journal *j = NULL;
	int k, fd, ioerr = 0, rc = -1;
	size_t i;

	if (!v)
		return snprintf(err, errlen, "out of memory"), -1;
	for (i = 0; i < nmiss; i++)
		v[i] = p->cl->v[idx[i]];
	if ((size_t)rd.jobs > nmiss)
		rd.jobs = (int)nmiss;
	if (!(j = ev_journal_open(p->o->out, 1, err, errlen)))
		goto out;
	fd = spawn_round(p, &rd, v, j, err, errlen);
	ev_journal_close(j);
	if (fd < 0)
		goto out;
	read_progress(p, fd);
	close(fd);
	for (k = 0; k < rd.spawned; k++) {
		while (waitpid(rd.pids[k], &rd.status[k], 0) < 0 &&
		       errno == EINTR)
			;
		if (WIFEXITED(rd.status[k]) &&
		    WEXITSTATUS(rd.status[k]) == WORKER_IOERR)
			ioerr = 1;
	}
	if (ioerr)
		snprintf(err, errlen,
			 "the journal could not be written (see above): the "
			 "sweep stops");
	else if (rd.spawned == rd.jobs)
		rc = blame_dead(p, &rd, err, errlen);
out:
	free(v);
	return rc;
}

/* A number from the environment variable var (a test hook), else dflt. */
static double test_hook(const char *var, double dflt)
{
	const char *v = getenv(var);
	char *end;
	double x;

	if (!v || !*v)
		return dflt;
	x = strtod(v, &end);
	return *end == 0 && x >= 0 && x < 1e6 ? x : dflt;
}

/* The default of --jobs (POOL-1, pool.h): the online cores less the
   1-minute load average, rounded to the nearest whole number, and at
   least 1. EVERYPC_TEST_NCPU and EVERYPC_TEST_LOADAVG stand in for the
   machine's two figures (test hooks). */
static int default_jobs(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double load[1] = {0};
	long cores, busy, jobs;

	if (getloadavg(load, 1) < 1)
		load[0] = 0;
	cores =
	    (long)test_hook("EVERYPC_TEST_NCPU", ncpu > 0 ? (double)ncpu : 1);
	busy = (long)(test_hook("EVERYPC_TEST_LOADAVG", load[0]) + 0.5);
	jobs = cores - busy;
	return jobs < 1 ? 1 : jobs > 256 ? 256 : (int)jobs;
}

int run_pool(const struct caselist *cl, const struct ev_sweep_opts *o,
	     char *err, size_t errlen)
{
	struct pool p = {.cl = cl, .o = o, .t0 = now_s()};
	size_t *idx = malloc((cl->n ? cl->n : 1) * sizeof *idx);
	long nmiss;
	int rc = 0, died;

	p.deaths = calloc(cl->n ? cl->n : 1, 1);
	p.jobs = o->jobs > 0 ? (o->jobs > 256 ? 256 : o->jobs) : default_jobs();
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
	fprintf(
	    stderr,
	    "everypc: %zu cases in %.1f s (%.1f cases/s, %d jobs, %s mode)\n",
	    p.done, now_s() - p.t0, p.done / (now_s() - p.t0 + 1e-9), p.jobs,
	    o->isolated ? "isolated" : "persistent");
	free(idx);
	free(p.deaths);
	return rc;
}
