/*
 * main.c -- everypc: sweep, replay, list (list.c), chance (cli.h has the
 * synopsis).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "chance.h"
#include "cli.h"
#include "digest.h"
#include "everypc/meta.h"
#include "gdbproxy.h"
#include "generate.h"
#include "launch.h"
#include "list.h"
#include "paths.h"
#include "reduce.h"
#include "states.h"
#include "suite.h"
#include "sweep.h"
#include "target.h"
#include "version.h"

static char *xstrdup(const char *s)
{
	char *d = malloc(strlen(s) + 1);
	if (!d) {
		fprintf(stderr, "everypc: out of memory\n");
		exit(2);
	}
	return strcpy(d, s);
}

/* A path as given, or relative to the source tree (paths.h) when that
   exists. */
static char *find_file(const char *path)
{
	char buf[2048];
	const char *src = ev_path_source();
	if (path[0] == '/' || access(path, R_OK) == 0 || !src)
		return xstrdup(path);
	snprintf(buf, sizeof buf, "%s/%s", src, path);
	if (access(buf, R_OK) == 0)
		return xstrdup(buf);
	return xstrdup(path);
}

/* The scratch directory of replay, list and chance (builds, the replayed
   case's output): private to this invocation (LAUNCH-7: mkdtemp, 0700,
   named after our pid), removed at exit on every path; after a signal or
   SIGKILL, by the next start's launch_remove_stale. Never a fixed shared
   path, which another user could prepare and concurrent runs share. */
static char scratch[1024];
static pid_t scratch_owner;

static void remove_scratch(void)
{
	/* not in forked children (sweep workers, timers) that call exit */
	if (scratch[0] && getpid() == scratch_owner) {
		launch_remove_tree(scratch);
		scratch[0] = 0;
	}
}

static const char *make_scratch(const char *what)
{
	struct rsp_error e;
	if (launch_private_dir(scratch, sizeof scratch, NULL, what, &e) < 0) {
		fprintf(stderr, "everypc: scratch directory: %s\n", e.msg);
		exit(2);
	}
	scratch_owner = getpid();
	atexit(remove_scratch);
	return scratch;
}

/* --workload/--func into a one-sweep suite. */
static void suite_from_flags(const struct ev_cli *c, struct ev_suite *s)
{
	struct ev_sweep *sw = calloc(1, sizeof *sw);
	char *funcs = xstrdup(c->funcs), *tok, *save = NULL;
	size_t i;

	memset(s, 0, sizeof *s);
	s->name = xstrdup("command line");
	for (i = 0; i < EV_NUM_ARCHES; i++)
		s->arches[s->narches++] = (int)i;
	sw->workload = find_file(c->workload);
	sw->funcs = calloc(EV_CLI_MAX_FUNCS, sizeof *sw->funcs);
	for (tok = strtok_r(funcs, ",", &save);
	     tok && sw->nfuncs < EV_CLI_MAX_FUNCS;
	     tok = strtok_r(NULL, ",", &save))
		sw->funcs[sw->nfuncs++] = xstrdup(tok);
	free(funcs);
	sw->actions[sw->nactions++] = EV_PREEMPT;
	sw->actions[sw->nactions++] = EV_PREEMPT_GC;
	sw->actions[sw->nactions++] = EV_PREEMPT_GC_SHRINK;
	sw->hits = calloc(1, sizeof *sw->hits);
	sw->hits[sw->nhits++] = 1;
	s->sweeps = sw;
	s->nsweeps = 1;
}

/* Command-line overrides apply to every sweep of the suite. */
static void apply_overrides(const struct ev_cli *c, struct ev_suite *s)
{
	size_t i, k;
	if (c->narches) {
		memcpy(s->arches, c->arches, sizeof c->arches);
		s->narches = c->narches;
	}
	if (c->mode >= 0)
		s->isolated = c->mode;
	for (i = 0; i < s->nsweeps; i++) {
		struct ev_sweep *sw = &s->sweeps[i];
		if (c->nactions) {
			memcpy(sw->actions, c->actions, sizeof c->actions);
			sw->nactions = c->nactions;
		}
		if (c->nhits) {
			free(sw->hits);
			sw->hits = calloc(c->nhits, sizeof *sw->hits);
			for (k = 0; k < c->nhits; k++)
				sw->hits[k] = c->hits[k];
			sw->nhits = c->nhits;
		}
		if (c->mutant) {
			free(sw->mutant);
			sw->mutant = xstrdup(c->mutant);
		}
		if (c->inject) {
			free(sw->inject);
			sw->inject = xstrdup(c->inject);
		}
	}
}

static FILE *open_trace(const char *path)
{
	FILE *f;
	if (!path)
		return NULL;
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "everypc: --trace-rsp %s: %s\n", path,
			strerror(errno));
		exit(2);
	}
	fcntl(fileno(f), F_SETFD, FD_CLOEXEC); /* LAUNCH-6 */
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

static int check_calls(const struct ev_suite *s);
static int sweep_generated(const struct ev_cli *c, struct ev_suite *s,
			   struct ev_sweep_opts *o, char *err, size_t errlen);

static int cmd_sweep(const struct ev_cli *c)
{
	struct ev_suite s;
	struct ev_sweep_opts o = {0};
	struct ev_states_req req = {0};
	char err[2048], what[2048];
	int rc;

	if (c->generate) { /* GNR-1: programs added one by one, below */
		ev_generate_begin(&s);
	} else if (c->workload) {
		char *path = find_file(c->workload);
		rc = access(path, R_OK);
		if (rc < 0) /* one line naming the option and the reason */
			fprintf(stderr, "everypc: --workload %s: %s\n", path,
				strerror(errno));
		free(path);
		if (rc < 0)
			return 2;
		suite_from_flags(c, &s);
	} else {
		char *path =
		    find_file(c->file ? c->file : "scenarios/default.json");
		rc = ev_suite_load(path, &s, err, sizeof err);
		free(path);
		if (rc < 0) {
			fprintf(stderr, "everypc: %s\n", err);
			return 2;
		}
	}
	apply_overrides(c, &s);
	if (check_calls(&s) < 0) {
		ev_suite_free(&s);
		return 2;
	}
	if (s.require)
		req = *s.require;
	if (c->require_states &&
	    ev_states_req_file(&req, c->require_states, err, sizeof err) < 0) {
		fprintf(stderr, "everypc: %s\n", err);
		ev_suite_free(&s);
		return 2;
	}
	o.require = req.any ? &req : NULL;
	o.isolated = s.isolated;
	o.jobs = c->jobs; /* 0: pool.h's default (POOL-1) */
	o.out = c->out;
	o.resume = c->resume;
	o.trace = open_trace(c->trace_rsp);
	o.timeout_s = c->timeout_s;
	o.progress = !c->no_progress && isatty(2);
	o.no_clobber = c->no_clobber;
	o.junit = c->junit;
	o.scenario_base = ev_path_source();
	o.shard_index = c->shard_index;
	o.shard_count = c->shard_count;
	ev_cli_what_ran(c, what, sizeof what);
	o.command = what;
	if (c->generate)
		rc = sweep_generated(c, &s, &o, err, sizeof err);
	else
		rc = ev_sweep_run(&s, &o, err, sizeof err);
	if (rc == 2)
		fprintf(stderr, "everypc: %s\n", err);
	ev_suite_free(&s);
	if (o.trace)
		fclose(o.trace);
	return rc;
}

/* Every sweep with an inject action has a call to inject; else a one-line
   error (-1). */
static int check_calls(const struct ev_suite *s)
{
	for (size_t i = 0; i < s->nsweeps; i++) /* an injected call to make */
		for (size_t k = 0; k < s->sweeps[i].nactions; k++)
			if (ev_action_is_inject(s->sweeps[i].actions[k]) &&
			    !s->sweeps[i].inject) {
				fprintf(stderr,
					"everypc: --action %s: %s has no call "
					"to inject; give --inject "
					"'main.f(...)'\n",
					ev_action_name(s->sweeps[i].actions[k]),
					s->sweeps[i].workload);
				return -1;
			}
	return 0;
}

/* GNR-4: the states still missing after the journal in out -- the
   required ones, else every state of each arch swept -- into missing[]. */
static void states_missing(const char *out, const struct ev_states_req *req,
			   uint64_t *missing)
{
	size_t counts[EV_NUM_ARCHES][64];
	uint64_t created[EV_NUM_ARCHES];
	int swept[EV_NUM_ARCHES];
	char err[512];
	struct ev_journal *j = ev_journal_open(out, 1, err, sizeof err);

	memset(missing, 0, EV_NUM_ARCHES * sizeof *missing);
	if (!j)
		return;
	ev_journal_state_counts(j, counts, created, swept);
	ev_journal_close(j);
	for (int a = 0; a < EV_NUM_ARCHES; a++)
		missing[a] = ev_states_req_want(req, a, swept[a]) & ~created[a];
}

/* sweep --generate N: program after program into one journal, each chosen
   by what the earlier ones left missing (GNR-1..4). */
static int sweep_generated(const struct ev_cli *c, struct ev_suite *s,
			   struct ev_sweep_opts *o, char *err, size_t errlen)
{
	long seed = c->seed_given ? c->seed : 1, i;
	uint64_t missing[EV_NUM_ARCHES];
	char favour[256] = "";
	int rc = 0, resume = o->resume;

	if (!o->shard_count) /* GNR-4: not from CI_NODE_INDEX either */
		o->shard_index = o->shard_count = 1;
	for (i = 0; i < c->generate; i++) {
		if (ev_generate_add(s, seed + i, favour, c->funcs, c->out, err,
				    errlen) < 0)
			return 2;
		apply_overrides(c, s);
		if (check_calls(s) < 0)
			return 2;
		fprintf(stderr, "everypc: program %ld of %ld: gen%ld.go%s%s\n",
			i + 1, c->generate, seed + i,
			*favour ? ", favouring " : "", favour);
		o->resume = resume || i > 0;
		o->quiet = i + 1 < c->generate;
		rc = ev_sweep_run(s, o, err, errlen);
		if (rc == 2)
			return rc;
		states_missing(c->out, o->require, missing);
		ev_generate_favour(missing, favour, sizeof favour);
	}
	return rc;
}

static int cmd_merge(const struct ev_cli *c)
{
	struct ev_sweep_opts o = {0};
	struct ev_states_req req = {0};
	char err[2048];
	int rc;

	o.out = c->out;
	o.junit = c->junit;
	if (c->require_states) {
		if (ev_states_req_file(&req, c->require_states, err,
				       sizeof err) < 0) {
			fprintf(stderr, "everypc: %s\n", err);
			return 2;
		}
		o.require = &req;
	}
	rc =
	    ev_merge_run((char *const *)c->dirs, c->ndirs, &o, err, sizeof err);
	if (rc == 2)
		fprintf(stderr, "everypc: merge: %s\n", err);
	return rc;
}

/* t: the scenario's build, the one recorded (build-id), with its function,
   pc and offset. 0, or -1 with t closed and the reason printed. */
static int open_recorded(const struct ev_cli *c, const struct ev_scenario *sc,
			 const char *workload, const char *dir,
			 struct ev_target *t)
{
	const struct elfmeta_func *f;
	char err[2048];

	if (ev_target_open(t, sc->arch, workload, sc->mutant, dir, err,
			   sizeof err) < 0) {
		fprintf(stderr, "everypc: %s\n", err);
		return -1;
	}
	if (strcmp(t->build_id, sc->build_id) != 0) {
		fprintf(stderr,
			"everypc: %s: build-id %s differs from the recorded "
			"%s: the workload, compiler or runtime changed since "
			"the scenario was recorded\n",
			c->file, t->build_id, sc->build_id);
		ev_target_close(t);
		return -1;
	}
	f = ev_target_func(t, sc->func);
	if (ev_scenario_check_func(sc, c->file, f != NULL, f ? f->entry : 0,
				   f ? f->end : 0, err, sizeof err) < 0) {
		fprintf(stderr, "everypc: %s\n", err);
		ev_target_close(t);
		return -1;
	}
	return 0;
}

/* The exit status of a replay (--expect): 0 when the outcome is what was
   asked for -- the recorded one (same), a pass, or a failure with the
   recorded check -- else 1. */
static int replay_status(const struct ev_cli *c, const struct ev_scenario *sc,
			 const struct ev_case_out *out, int same)
{
	int met;
	if (c->expect == EV_EXPECT_RECORDED)
		return same ? 0 : 1;
	met = c->expect == EV_EXPECT_PASS
		  ? out->r.pass
		  : !out->r.pass && (sc->observed_pass ||
				     !strcmp(out->r.check ? out->r.check : "",
					     sc->check ? sc->check : ""));
	printf("expected %s%s: %s\n",
	       c->expect == EV_EXPECT_PASS ? "pass" : "fail",
	       c->expect == EV_EXPECT_FAIL && !sc->observed_pass
		   ? " as recorded"
		   : "",
	       met ? "met" : "NOT met");
	return met ? 0 : 1;
}

/* The recorded outcome against the observed one; the exit status. */
static int print_replay(const struct ev_cli *c, const struct ev_scenario *sc,
			const struct ev_case_out *out)
{
	int same = out->r.pass == sc->observed_pass &&
		   out->r.verdict == sc->observed_verdict &&
		   !strcmp(out->r.check ? out->r.check : "",
			   sc->check ? sc->check : "") &&
		   !strcmp(out->r.detail ? out->r.detail : "",
			   sc->detail ? sc->detail : "");

	printf("replay %s: %s %s+%llu hit %d %s on %s%s%s\n", c->file,
	       ev_arch_name(sc->arch), sc->func, (unsigned long long)sc->offset,
	       sc->hit, ev_action_name(sc->action), sc->workload,
	       sc->mutant ? " mutant " : "", sc->mutant ? sc->mutant : "");
	printf("  recorded: %s %s%s%s\n", ev_verdict_name(sc->observed_verdict),
	       sc->observed_pass ? "pass" : "fail", sc->check ? " " : "",
	       sc->check ? sc->check : "");
	printf("  observed: %s %s%s%s\n", ev_verdict_name(out->r.verdict),
	       out->r.pass ? "pass" : "fail", out->r.check ? " " : "",
	       out->r.check ? out->r.check : "");
	if (out->r.detail && *out->r.detail)
		printf("  detail:   %s\n", out->r.detail);
	printf("%s\n", same ? "identical outcome" : "DIFFERENT outcome");
	return replay_status(c, sc, out, same);
}

struct gdb_ctx {
	const struct ev_cli *c;
	const struct ev_scenario *sc;
	const struct ev_target *t;
	char srcdir[4096]; /* the workload's directory, for its source */
};

/* replay --gdb, the case stopped: the script, and how to attach. */
static int gdb_ready(void *ctx, const char *sock, char *err, size_t errlen)
{
	const struct gdb_ctx *g = ctx;
	const struct ev_scenario *sc = g->sc;
	FILE *f = fopen(g->c->gdb, "w");

	if (!f ||
	    fprintf(f,
		    "# everypc replay --gdb: %s, stopped before %s\n"
		    "set architecture %s\nfile %s\ndirectory %s\n"
		    "target remote %s\n",
		    g->c->file, ev_action_name(sc->action),
		    g->t->rr->tdesc_arch, g->t->elf, g->srcdir, sock) < 0 ||
	    fclose(f) != 0) {
		snprintf(err, errlen, "--gdb %s: %s", g->c->gdb,
			 strerror(errno));
		return -1;
	}
	printf("replay %s: %s %s+%llu (0x%llx, line %d) hit %d: stopped "
	       "before %s\n"
	       "attach:  gdb-multiarch -x %s\n"
	       "    or:  gdb-multiarch %s -ex 'target remote %s'\n"
	       "waiting for the debugger (its detach or kill, or Ctrl-C, "
	       "ends the replay)\n",
	       g->c->file, ev_arch_name(sc->arch), sc->func,
	       (unsigned long long)sc->offset, (unsigned long long)sc->pc,
	       sc->line, sc->hit, ev_action_name(sc->action), g->c->gdb,
	       g->t->elf, sock);
	return fflush(stdout) ? -1 : 0;
}

/* replay --gdb: 0 once the debugger is done, 1 when the case does not
   get to its stop, 2 on an error; a SIGINT, SIGTERM or SIGHUP that ended
   the wait is raised again once everything is removed. */
static int replay_gdb(const struct ev_cli *c, const struct ev_scenario *sc,
		      const char *workload, struct ev_target *t,
		      const struct ev_sweep_opts *o)
{
	struct gdb_ctx g = {c, sc, t, "."};
	char err[2048], *slash;
	int signo, rc;

	if (realpath(workload, g.srcdir) && (slash = strrchr(g.srcdir, '/')))
		*slash = 0;
	rc = ev_sweep_debug(t, sc->func, sc->pc, sc->hit, o, gdb_ready, &g,
			    &signo, err, sizeof err);

	if (rc == -2) {
		fprintf(stderr,
			"everypc: %s: the case does not stop before "
			"its action: %s\n",
			c->file, err);
		return 1;
	}
	if (rc < 0) {
		fprintf(stderr, "everypc: %s\n", err);
		return 2;
	}
	printf("replay %s: %s; QEMU stopped\n", c->file,
	       gdbproxy_end_name((enum gdbp_end)rc));
	if (rc == GDBP_SIGNAL) { /* QEMU is gone: die of it, as asked */
		fflush(stdout);
		remove_scratch();
		signal(signo, SIG_DFL);
		raise(signo);
	}
	return 0;
}

/* replay, reduce: c->file's scenario into sc and its workload, found
   (find_file) and readable, as the return value; NULL after the reason
   was printed (sc freed). */
static char *load_scenario(const struct ev_cli *c, struct ev_scenario *sc)
{
	char err[2048], *workload;

	if (ev_scenario_load(c->file, sc, err, sizeof err) < 0) {
		fprintf(stderr, "everypc: %s\n", err);
		return NULL;
	}
	workload = find_file(sc->workload);
	if (access(workload, R_OK) < 0) {
		fprintf(stderr, "everypc: %s:%d:%d: field workload: %s: %s\n",
			c->file, sc->at_workload.line, sc->at_workload.col,
			sc->workload, strerror(errno));
		ev_scenario_free(sc);
		free(workload);
		return NULL;
	}
	return workload;
}

static int cmd_replay(const struct ev_cli *c)
{
	struct ev_scenario sc;
	struct ev_target t, ref;
	struct ev_sweep_opts o = {0};
	struct ev_case_out out;
	char err[2048], *workload = NULL;
	int have_t = 0, have_ref = 0, rc = 2;

	if (!(workload = load_scenario(c, &sc)))
		return 2;
	o.out = make_scratch("replay");
	if (open_recorded(c, &sc, workload, o.out, &t) < 0)
		goto out;
	have_t = 1;
	o.trace = open_trace(c->trace_rsp);
	o.timeout_s = c->timeout_s;
	o.no_clobber = c->no_clobber || !sc.clobber; /* as recorded */
	if (c->gdb) {
		rc = replay_gdb(c, &sc, workload, &t, &o);
		goto out;
	}
	/* SWP-4: a mutant's injected call is judged by the correct build */
	if (sc.mutant && sc.inject) {
		if (ev_target_open(&ref, sc.arch, workload, NULL, o.out, err,
				   sizeof err) < 0) {
			fprintf(stderr, "everypc: %s\n", err);
			goto out;
		}
		have_ref = 1;
	}
	if (ev_sweep_one(&t, have_ref ? &ref : NULL, sc.func, sc.pc, sc.hit,
			 sc.action, sc.inject, &o, &out, err, sizeof err) < 0) {
		fprintf(stderr, "everypc: %s\n", err);
		goto out;
	}
	rc = print_replay(c, &sc, &out);
	ev_digest_one(stdout, &out.r, c->file, workload);
out:
	if (have_ref)
		ev_target_close(&ref);
	if (have_t)
		ev_target_close(&t);
	ev_scenario_free(&sc);
	free(workload);
	if (o.trace)
		fclose(o.trace);
	return rc;
}

/* everypc reduce SCENARIO (reduce.h) */
static int cmd_reduce(const struct ev_cli *c)
{
	struct ev_reduce_opts o = {0};
	struct ev_scenario sc;
	char err[4096], out[4096], *workload;
	int rc = 2;

	if (!(workload = load_scenario(c, &sc)))
		return 2;
	/* default: everypc-out/reduced */
	snprintf(out, sizeof out, "%s%s", c->out,
		 c->out_given ? "" : "/reduced");
	if (!c->out_given && mkdir(c->out, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "everypc: %s: %s\n", c->out, strerror(errno));
		goto done;
	}
	o.scenario = c->file;
	o.sc = &sc;
	o.workload = workload;
	o.out = out;
	o.scratch = make_scratch("reduce");
	o.timeout_s = c->timeout_s ? c->timeout_s : 10;
	rc = ev_reduce_run(&o, err, sizeof err);
	if (rc == 2)
		fprintf(stderr, "everypc: reduce: %s\n", err);
done:
	ev_scenario_free(&sc);
	free(workload);
	return rc;
}

static int cmd_list(const struct ev_cli *c)
{
	struct ev_list_request r = {0};
	char *path = find_file(c->file);
	int rc;

	r.path = path;
	r.shown = c->file;
	r.funcs = c->funcs;
	r.arches = c->arches;
	r.narches = c->narches;
	r.builddir = make_scratch("list");
	r.check_meta = c->cmd == EV_CMD_CHECKMETA;
	rc = ev_list_run(&r, stdout);
	free(path);
	if (fflush(stdout) != 0 && rc == 0)
		rc = 2;
	return rc;
}

static int cmd_chance(const struct ev_cli *c)
{
	struct ev_target t, ref;
	struct ev_chance_opts o = {0};
	struct ev_chance_stats st;
	char err[2048], *path = find_file(c->file);
	const char *builddir = make_scratch("chance");
	int arch = c->narches ? c->arches[0] : EV_AMD64, rc;

	if (ev_target_open(&t, arch, path, c->mutant, builddir, err,
			   sizeof err) < 0) {
		fprintf(stderr, "everypc: %s\n", err);
		free(path);
		return 2;
	}
	if (c->mutant && ev_target_open(&ref, arch, path, NULL, builddir, err,
					sizeof err) < 0) {
		fprintf(stderr, "everypc: %s\n", err);
		ev_target_close(&t);
		free(path);
		return 2;
	}
	o.inject = c->inject;
	o.runs = c->runs ? c->runs : 20;
	o.seed = (unsigned long)c->seed;
	o.timeout_s = c->timeout_s ? c->timeout_s : 20;
	o.max_attempts = c->attempts ? c->attempts : 16;
	o.out = builddir;
	rc = ev_chance_run(&t, c->mutant ? &ref : &t, &o, &st, err, sizeof err);
	if (rc < 0)
		fprintf(stderr, "everypc: %s\n", err);
	if (c->mutant)
		ev_target_close(&ref);
	ev_target_close(&t);
	free(path);
	return rc < 0 ? 2 : 0;
}

int main(int argc, char **argv)
{
	struct ev_cli c;
	char err[512], self[4096];

	if (ev_cli_parse(argc, argv, &c, err, sizeof err) < 0) {
		/* one line (CLI-1), then where the help is, never the help */
		const char *cmd = ev_cli_command_name(c.cmd);
		fprintf(stderr, "everypc: %s\nTry 'everypc %s%s--help'.\n", err,
			cmd, *cmd ? " " : "");
		return 2;
	}
	if (c.cmd == EV_CMD_HELP) {
		ev_cli_help(stdout, c.topic);
		return fflush(stdout) ? 2 : 0;
	}
	/* helpers relative to this executable, before any fork (PATHS-1) */
	ev_paths_init(
	    ev_paths_self_dir(argv[0], self, sizeof self) == 0 ? self : NULL);
	if (c.no_cache)
		ev_cache_disable(); /* CACHE-1 */
	launch_cleanup_install();
	launch_remove_stale(NULL); /* LAUNCH-7: what killed rigs left */
	switch (c.cmd) {
	case EV_CMD_HELP:
		return 2; /* answered above */
	case EV_CMD_VERSION:
		ev_version_print(stdout);
		return fflush(stdout) ? 2 : 0;
	case EV_CMD_SWEEP:
		return cmd_sweep(&c);
	case EV_CMD_REPLAY:
		return cmd_replay(&c);
	case EV_CMD_CHANCE:
		return cmd_chance(&c);
	case EV_CMD_LIST:
	case EV_CMD_CHECKMETA: /* list.c: checkmeta.h */
		return cmd_list(&c);
	case EV_CMD_MERGE:
		return cmd_merge(&c);
	case EV_CMD_REDUCE:
		return cmd_reduce(&c);
	}
	return 2;
}
