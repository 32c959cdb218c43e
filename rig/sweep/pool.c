/*
 * pool.c -- forked workers over the cases without a result (pool.h).
 */
#define _DEFAULT_SOURCE /* getloadavg */
#ifdef __linux__
#define _GNU_SOURCE /* sched_getaffinity, sched_setaffinity (POOL-2) */
#endif
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#ifdef __linux__
#include <sched.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "results.h"

/* POOL-3: a worker's view of its round -- the round's cases in nchunks
   chunks, taken one at a time from work_fd (a byte each: the chunk's
   number) by whichever worker is free; a chunk taken is announced on
   progress_fd as 'C', the worker's number, the chunk's. */
struct share {
	const struct ev_case *v; /* the round's cases */
	const size_t *bounds;	 /* chunk c is [bounds[c], bounds[c+1]) */
	int nchunks, k;
	int work_fd, progress_fd;
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

/* POOL-2 with fewer workers than CPUs: this worker process follows the
   scheduler. Before each launch it may run on any allowed CPU; once its
   QEMU is up, both are pinned to the CPU the worker is on then (where
   the scheduler put it while it waited for the QEMU). */
#if defined(__linux__) && defined(CPU_ISSET)
static struct {
	int on;
	cpu_set_t all;
} follow;
#endif

static int launch_pinned(struct worker *w, int persistent, char *err, size_t n)
{
#if defined(__linux__) && defined(CPU_ISSET)
	cpu_set_t one;
	int cpu, rc;

	if (!follow.on)
		return worker_launch(w, persistent, err, n);
	(void)sched_setaffinity(0, sizeof follow.all, &follow.all);
	rc = worker_launch(w, persistent, err, n);
	if (rc == 0 && (cpu = sched_getcpu()) >= 0 && cpu < CPU_SETSIZE) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		(void)sched_setaffinity(0, sizeof one, &one);
		if (w->s.l.pid > 0)
			(void)sched_setaffinity(w->s.l.pid, sizeof one, &one);
	}
	return rc;
#else
	return worker_launch(w, persistent, err, n);
#endif
}

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
	if (launch_pinned(w, !o->isolated, err, n) < 0 ||
	    (!w->base.have && worker_baseline(w, err, n) < 0))
		sr->setup_failed = 1;
	else if (c->inj && (fresh_base || w->ans.inj != c->inj) &&
		 inject_answer(w, c->inj, err, n) < 0)
		sr->setup_failed = 1;
	else if (o->isolated) {
		/* baseline ran in its own QEMU; start afresh */
		worker_down(w);
		if (launch_pinned(w, 0, err, n) < 0)
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

/* The next chunk for this worker, announced (POOL-3); -1 when none is
   left. */
static int take_chunk(struct share *sh)
{
	unsigned char c, claim[3];
	ssize_t r;

	while ((r = read(sh->work_fd, &c, 1)) < 0 && errno == EINTR)
		;
	if (r != 1 || c >= sh->nchunks)
		return -1;
	claim[0] = 'C';
	claim[1] = (unsigned char)sh->k;
	claim[2] = c;
	if (sh->progress_fd >= 0 && write(sh->progress_fd, claim, 3) != 3)
		sh->progress_fd = -1;
	return c;
}

/* The worker's next case: on in its chunk [*i, *hi), else the first of
   the next chunk it takes; NULL when none is left. */
static const struct ev_case *next_case(struct share *sh, size_t *i, size_t *hi)
{
	int ch;

	while (*i == *hi) {
		if ((ch = take_chunk(sh)) < 0)
			return NULL;
		*i = sh->bounds[ch];
		*hi = sh->bounds[ch + 1];
	}
	return &sh->v[(*i)++];
}

/* Run chunks of the round in this worker process until none is left; one
   byte per finished case to progress_fd. Exits WORKER_IOERR at the first
   failed journal write. */
static int run_share(struct share sh, const struct ev_sweep_opts *o,
		     struct ev_journal *j)
{
	struct slicer sr = {.cur = NULL};
	const char *kill_at = getenv("EVERYPC_TEST_KILL_AT");
	const struct ev_case *c;
	char tpath[1100];
	int tfd;
	size_t i = 0, hi = 0;

	sr.w.o = o;
	snprintf(tpath, sizeof tpath, "%s/%s", o->out, TIMING_FILE);
	tfd = open(tpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	while ((c = next_case(&sh, &i, &hi)) != NULL) {
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
		if (sh.progress_fd >= 0 &&
		    write(sh.progress_fd, r.pass ? "." : "F", 1) < 0)
			sh.progress_fd = -1;
	}
	worker_down(&sr.w);
	hits_reset(&sr.w);
	if (tfd >= 0)
		close(tfd);
	if (ev_journal_sync(j) < 0) { /* JRN-1: what is left since the last */
		fprintf(stderr, "everypc: %s: cannot sync: %s\n",
			ev_journal_path(j), strerror(errno));
		_exit(WORKER_IOERR);
	}
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
	int pinned; /* POOL-2: a round's workers were pinned */
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

/* A round's workers, over its cases in chunks (POOL-3). */
struct round {
	const size_t *idx; /* the round's cases, as indices into the plan */
	size_t n;
	int jobs, spawned;
	int nchunks;
	size_t bounds[257]; /* chunk c: cases [bounds[c], bounds[c+1]) */
	int taken[256];	    /* the chunk worker k took last; -1: none yet */
	pid_t pids[256];
	int status[256];
	int ncpus;  /* POOL-2: worker k runs on cpus[k]; 0: not pinned */
	int follow; /* POOL-2: fewer workers than CPUs */
	int cpus[256];
};

/* The workers' progress: a byte a finished case ('.', or 'F' failed), and
   the chunks they take ('C', worker, chunk: POOL-3), into rd->taken. */
static void read_progress(struct pool *p, struct round *rd, int fd)
{
	unsigned char buf[256], claim[2];
	ssize_t n, i;
	int inclaim = 0; /* bytes of a claim still to come */

	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < n; i++) {
			if (inclaim) {
				claim[2 - inclaim] = buf[i];
				if (--inclaim == 0 && claim[0] < rd->jobs)
					rd->taken[claim[0]] = claim[1];
			} else if (buf[i] == 'C') {
				inclaim = 2;
			} else {
				p->done++;
				p->fails += buf[i] == 'F';
			}
		}
		if (p->o->progress)
			progress_bar(p->done, p->cl->n, p->fails,
				     now_s() - p->t0);
	}
}

/* POOL-2 (pool.h): the CPUs the round's workers are pinned to, one each,
   into rd->cpus; rd->ncpus stays 0 when they are not pinned. */
static void plan_pinning(struct round *rd)
{
#if defined(__linux__) && defined(CPU_ISSET)
	const char *pin = getenv("EVERYPC_PIN");
	cpu_set_t set;
	int c, n = 0;

	/* opt-in: a pinned process cannot leave a CPU that other work
	   keeps busy (under ctest -j2, a killed worker took over half a
	   second to exit) */
	if (!pin || strcmp(pin, "1") != 0 ||
	    sched_getaffinity(0, sizeof set, &set) < 0)
		return;
	for (c = 0; c < CPU_SETSIZE && n < 256; c++)
		if (CPU_ISSET(c, &set))
			rd->cpus[n++] = c;
	if (rd->jobs == n)
		rd->ncpus = n;
	else if (rd->jobs < n)
		rd->follow = 1;
#else
	(void)rd;
#endif
}

/* In worker k: run on its CPU alone, and so does every QEMU it starts
   (children inherit the mask). A failure leaves it unpinned: speed only. */
static void pin_worker(const struct round *rd, int k)
{
#if defined(__linux__) && defined(CPU_ISSET)
	cpu_set_t set;

	if (rd->follow &&
	    sched_getaffinity(0, sizeof follow.all, &follow.all) == 0)
		follow.on = 1;
	if (!rd->ncpus)
		return;
	CPU_ZERO(&set);
	CPU_SET(rd->cpus[k], &set);
	(void)sched_setaffinity(0, sizeof set, &set);
#else
	(void)rd;
	(void)k;
#endif
}

/* POOL-3 (pool.h): the round's chunks, in plan order, each a share of
   what is left (guided scheduling): large at first, so that a worker
   keeps to one target for long, then smaller, so that the workers finish
   together. One worker: one chunk. */
static void plan_chunks(struct round *rd)
{
	size_t pos = 0, size, left, even, least;
	size_t jobs = rd->jobs > 0 ? (size_t)rd->jobs : 1;
	int c = 0;

	/* no chunk under 8 cases, unless the round is too small to give
	   every worker 8 */
	least = (rd->n + jobs - 1) / jobs;
	least = least < 8 ? (least ? least : 1) : 8;
	rd->bounds[0] = 0;
	while (pos < rd->n) {
		left = rd->n - pos;
		/* what is left spread over the chunk numbers still free, so
		   that the 255th chunk is no larger than the others */
		even = (left + (size_t)(254 - c)) / (size_t)(255 - c);
		size = jobs > 1 ? left / (2 * jobs) : left;
		if (size < even)
			size = even;
		if (size < least)
			size = least;
		pos = size < left ? pos + size : rd->n;
		rd->bounds[++c] = pos;
	}
	rd->nchunks = c;
}

/* Fork the round's workers over the journal j; they take its chunks from
   a pipe that holds their numbers (POOL-3). Their progress comes back
   through the pipe whose read end is returned (-1 with err). */
static int spawn_round(struct pool *p, struct round *rd, struct ev_case *v,
		       struct ev_journal *j, char *err, size_t errlen)
{
	unsigned char tokens[256];
	int k, pfd[2], wfd[2];

	plan_chunks(rd);
	for (k = 0; k < rd->nchunks; k++)
		tokens[k] = (unsigned char)k;
	if (pipe(pfd) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe(wfd) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	/* 255 bytes at most: within PIPE_BUF, written at once */
	if (write(wfd[1], tokens, (size_t)rd->nchunks) != rd->nchunks) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(wfd[0]);
		close(wfd[1]);
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	close(wfd[1]);
	fflush(NULL);
	for (k = 0; k < rd->jobs; k++) {
		rd->taken[k] = -1;
		rd->pids[k] = fork();
		if (rd->pids[k] == 0) {
			struct share sh = {v, rd->bounds, rd->nchunks,
					   k, wfd[0],	  pfd[1]};
			close(pfd[0]);
			pin_worker(rd, k);
			run_share(sh, p->o, j);
			_exit(0);
		}
		if (rd->pids[k] < 0) {
			snprintf(err, errlen, "fork: %s", strerror(errno));
			break;
		}
		rd->spawned++;
	}
	close(wfd[0]);
	close(pfd[1]);
	return pfd[0];
}

/* Which case was each dead worker running? The first without a result of
   the chunk it took last (a worker runs a chunk in order, and takes
   another only when it has finished it). Returns the number of dead
   workers, or -1 with err. */
static int blame_dead(struct pool *p, const struct round *rd, char *err,
		      size_t errlen)
{
	size_t *left = malloc((p->cl->n ? p->cl->n : 1) * sizeof *left);
	long nleft =
	    left ? missing_cases(p->cl, p->o->out, left, err, errlen) : -1;
	int k, died = 0;

	for (k = 0; k < rd->spawned && nleft >= 0; k++) {
		size_t lo, hi, first, m, i;
		if (WIFEXITED(rd->status[k]) && WEXITSTATUS(rd->status[k]) == 0)
			continue;
		died++;
		if (rd->taken[k] < 0) /* died before it took a chunk */
			continue;
		lo = rd->bounds[rd->taken[k]];
		hi = first = rd->bounds[rd->taken[k] + 1];
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
	static struct round rd; /* ~5 KB: not on the stack */
	memset(&rd, 0, sizeof rd);
	rd.idx = idx;
	rd.n = nmiss;
	rd.jobs = p->jobs;
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
	plan_pinning(&rd);
	p->pinned |= rd.ncpus > 0 ? 1 : rd.follow ? 2 : 0;
	if (!(j = ev_journal_open(p->o->out, 1, err, errlen)))
		goto out;
	fd = spawn_round(p, &rd, v, j, err, errlen);
	ev_journal_close(j);
	if (fd < 0)
		goto out;
	read_progress(p, &rd, fd);
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
	long nmiss, prev = -1;
	int rc = 0, died, idle = 0;

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
		/* workers that die before they take a chunk are blamed for
		   no case: rounds that finish nothing end the sweep */
		if (nmiss == prev && ++idle == 3) {
			snprintf(err, errlen,
				 "workers died three rounds in a row before "
				 "finishing a case; %ld cases have no result",
				 nmiss);
			rc = -1;
			break;
		}
		if (nmiss != prev)
			idle = 0;
		prev = nmiss;
		p.done = cl->n - (size_t)nmiss; /* journalled before: resumed */
		died = pool_round(&p, idx, (size_t)nmiss, err, errlen);
		if (died <= 0) { /* all done, or nothing more to try */
			rc = died < 0 ? -1 : 0;
			break;
		}
	}
	if (o->progress)
		fputc('\n', stderr);
	fprintf(stderr,
		"everypc: %zu cases in %.1f s (%.1f cases/s, %d jobs, %s "
		"mode%s)\n",
		p.done, now_s() - p.t0, p.done / (now_s() - p.t0 + 1e-9),
		p.jobs, o->isolated ? "isolated" : "persistent",
		p.pinned & 1   ? ", a CPU each"
		: p.pinned & 2 ? ", each with its QEMU on one CPU"
			       : "");
	free(idx);
	free(p.deaths);
	return rc;
}
