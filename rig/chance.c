/*
 * chance.c -- interrupt at a random moment and inject a call (chance.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "chance.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "debugcall.h"
#include "paths.h"
#include "rsp.h"
#include "session.h"
#include "sweep.h"

#define GDB_SIGINT 2

struct outcome {       /* what a user sees of one run of the program */
	int exited;    /* 1: W (status), 0: X (killed by signal) or lost */
	unsigned code; /* exit status or GDB signal */
	char *out;     /* stderr */
	size_t outlen;
	char lost[512]; /* the stub went away or hung: why */
};

static unsigned long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ull +
	       (unsigned long long)ts.tv_nsec / 1000;
}

/* splitmix64: the delays of run r under seed s (CH-2). */
static uint64_t next_rand(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A fresh QEMU for t, stopped before its first instruction, its stderr
   going to *errf (a new temporary file). */
static int start(struct ev_session *s, struct ev_target *t, FILE **errf,
		 int timeout_s, char *err, size_t errlen)
{
	static const char *const envp[] = {"EVERYPC_DEBUG=", NULL};
	struct ev_session_opts so = {0};

	memset(s, 0, sizeof *s);
	if (!(*errf = ev_scratch_file())) { /* close-on-exec: LAUNCH-6 */
		snprintf(err, errlen, "scratch file in %s: %s",
			 ev_path_tmpdir(), strerror(errno));
		return -1;
	}
	so.qemu = t->qemu;
	so.elf = t->elf;
	so.envp = envp;
	so.stdout_fd = -1;
	so.stderr_fd = fileno(*errf);
	so.timeout_ms = 5000;
	so.resume_timeout_ms = 1000 * timeout_s;
	if (ev_session_start(s, t->rr, &so) < 0) {
		snprintf(err, errlen, "%s (%s): %s", t->elf,
			 ev_arch_name(t->arch), s->err);
		fclose(*errf);
		return -1;
	}
	return 0;
}

/* Continue to the end (first delivering sig, 0: none), passing the
   program's own signals on; a SIGINT from a late timer is dropped. */
static void run_out(struct ev_session *s, struct outcome *oc, unsigned sig)
{
	struct rsp_stop st;
	int n;

	for (n = 0; n < 64; n++) {
		if (ev_session_cont(s, sig, &st) < 0) {
			snprintf(oc->lost, sizeof oc->lost, "%s", s->err);
			return;
		}
		if (st.kind == RSP_STOP_EXITED ||
		    st.kind == RSP_STOP_TERMINATED) {
			oc->exited = st.kind == RSP_STOP_EXITED;
			oc->code = st.code;
			return;
		}
		sig = st.code == GDB_SIGINT ? 0 : st.code;
	}
	snprintf(oc->lost, sizeof oc->lost, "more than 64 signal stops");
}

static void read_output(FILE *f, struct outcome *oc)
{
	long n;
	fflush(f);
	if (fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) < 0)
		n = 0;
	oc->out = calloc(1, (size_t)n + 1);
	if (oc->out)
		oc->outlen = fread(oc->out, 1, (size_t)n, f);
}

/* What a void run (CH-4) prints instead of a difference. */
#define VOID_RUN                                                               \
	"void: the interrupt ended QEMU as the program ended (not a catch)"

/* A child that sends SIGINT to pid after us microseconds. */
static pid_t arm_timer(pid_t pid, unsigned long long us)
{
	pid_t c = fork();
	if (c == 0) {
		struct timespec ts = {(time_t)(us / 1000000),
				      (long)(us % 1000000) * 1000};
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		kill(pid, SIGINT);
		_exit(0);
	}
	return c;
}

static void disarm_timer(pid_t c)
{
	if (c > 0) {
		kill(c, SIGKILL);
		while (waitpid(c, NULL, 0) < 0 && errno == EINTR)
			;
	}
}

/* Where pc is, for the run's line: "main.walk+23" or "runtime". */
static void describe(const struct ev_target *t, uint64_t pc, char *buf,
		     size_t n)
{
	const struct elfmeta_func *f = elfmeta_func_at(t->m, pc);
	if (f)
		snprintf(buf, n, "%s+%llu", f->name,
			 (unsigned long long)(pc - f->entry));
	else
		snprintf(buf, n, "0x%llx (runtime)", (unsigned long long)pc);
}

/* The reference run: output, exit status, duration. */
static int reference(struct ev_target *ref, const struct ev_chance_opts *o,
		     struct outcome *oc, unsigned long long *dur_us, char *err,
		     size_t errlen)
{
	struct ev_session s;
	FILE *f;
	unsigned long long t0;

	memset(oc, 0, sizeof *oc);
	if (start(&s, ref, &f, o->timeout_s, err, errlen) < 0)
		return -1;
	t0 = now_us();
	run_out(&s, oc, 0);
	*dur_us = now_us() - t0;
	ev_session_close(&s);
	read_output(f, oc);
	fclose(f);
	if (*oc->lost || !oc->exited) {
		snprintf(err, errlen,
			 "%s (%s): the reference run did not exit "
			 "normally (%s)",
			 ref->elf, ev_arch_name(ref->arch),
			 *oc->lost ? oc->lost : "killed by a signal");
		free(oc->out);
		return -1;
	}
	return 0;
}

/* What every run is compared with: the call, the reference's answer to it
   (SWP-4) and the reference run. */
struct expected {
	struct dc_call call; /* resolved in the target */
	struct dc_result answer;
	struct outcome out;
	unsigned long long dur_us;
};

/* One run's program and what it showed so far. */
struct run {
	struct ev_session s;
	struct outcome oc;
	FILE *f;		/* its stderr */
	unsigned sig;		/* the program's own signal, passed on */
	int own_signals;	/* stops at its own signals */
	unsigned long long ran; /* us the program has run so far */
	char *line; /* " main.walk+23:refused main.walk+40:result" */
	size_t linelen, len;
};

/* What one attempt came to. */
enum attempt_end { RUN_ENDED, OWN_SIGNAL, CALL_REFUSED, CALL_ACCEPTED };

/* Let the program run for a delay drawn uniformly from what is left of
   the reference run's duration, then interrupt it. */
static int run_until_interrupt(struct run *r, unsigned long long dur_us,
			       uint64_t *rng, struct rsp_stop *stop)
{
	unsigned long long left =
	    r->ran + 1 < dur_us ? dur_us - r->ran : dur_us / 8 + 1;
	unsigned long long us = next_rand(rng) % left, t0 = now_us();
	pid_t timer = arm_timer(r->s.l.pid, us);
	int rc = ev_session_cont(&r->s, r->sig, stop);

	r->sig = 0;
	r->ran += now_us() - t0;
	disarm_timer(timer);
	return rc;
}

/* One attempt: interrupt, and where our SIGINT stopped the program, inject
   the call (*res) at *at. RUN_ENDED: the program ended or the stub was lost
   (r->oc says which). */
static enum attempt_end attempt(struct run *r, struct ev_target *t,
				const struct expected *x, uint64_t *rng,
				struct dc_result *res, char *at, size_t atlen)
{
	struct rsp_stop stop;
	struct dc_rsp_ctx ctx;
	uint64_t pc;

	if (run_until_interrupt(r, x->dur_us, rng, &stop) < 0) {
		snprintf(r->oc.lost, sizeof r->oc.lost, "%s", r->s.err);
		return RUN_ENDED;
	}
	if (stop.kind == RSP_STOP_EXITED || stop.kind == RSP_STOP_TERMINATED) {
		r->oc.exited = stop.kind == RSP_STOP_EXITED;
		r->oc.code = stop.code;
		return RUN_ENDED;
	}
	if (stop.code != GDB_SIGINT) {
		/* the program's own signal: delivered with the next resume;
		   not an attempt of ours */
		if (++r->own_signals > 64) {
			snprintf(r->oc.lost, sizeof r->oc.lost,
				 "more than 64 signal stops");
			return RUN_ENDED;
		}
		r->sig = stop.code;
		return OWN_SIGNAL;
	}
	if (ev_session_stop_pc(&r->s, &stop, &pc) < 0) {
		snprintf(r->oc.lost, sizeof r->oc.lost, "%s", r->s.err);
		return RUN_ENDED;
	}
	ctx = (struct dc_rsp_ctx){.c = r->s.c};
	dc_inject(dc_arch_find(t->rr->arch), &dc_rsp_ops, &ctx, &x->call, res);
	describe(t, pc, at, atlen);
	return res->outcome == DC_REFUSED ? CALL_REFUSED : CALL_ACCEPTED;
}

/* The run's line: what the call at `at` came to. */
static void note(struct run *r, const char *at, const char *what)
{
	r->len += (size_t)snprintf(
	    r->line + r->len, r->linelen > r->len ? r->linelen - r->len : 0,
	    " %s:%s", at, what);
}

/* Why the accepted call's answer is not the reference's (why untouched
   when it is). */
static void judge_call(const char *at, const struct dc_result *res,
		       const struct dc_result *answer, char *why, size_t whylen)
{
	if (res->outcome == DC_PROTOCOL_ERROR)
		snprintf(why, whylen, "call at %s: %s", at, res->msg);
	else if (res->outcome != answer->outcome)
		snprintf(why, whylen, "call at %s: %s (%s), expected %s", at,
			 dc_outcome_name(res->outcome), res->msg,
			 dc_outcome_name(answer->outcome));
	else if (res->outcome == DC_RESULT && res->value != answer->value)
		snprintf(why, whylen, "call at %s returned %lld, expected %lld",
			 at, (long long)res->value, (long long)answer->value);
}

/* Attempts until a call is accepted (then the program runs out) or the
   program ends; when every attempt was refused, it runs out too. */
static void make_attempts(struct run *r, struct ev_target *t,
			  const struct ev_chance_opts *o,
			  const struct expected *x, uint64_t *rng,
			  struct ev_chance_stats *st, char *why, size_t whylen)
{
	struct dc_result res;
	char at[128];
	int n;

	memset(&res, 0, sizeof res);
	for (n = 1; n <= o->max_attempts; n++) {
		enum attempt_end a = attempt(r, t, x, rng, &res, at, sizeof at);

		if (a == RUN_ENDED) {
			st->missed++;
			return;
		}
		if (a == OWN_SIGNAL) {
			n--;
			continue;
		}
		if (a == CALL_REFUSED) {
			st->refused++;
			note(r, at, "refused");
			continue;
		}
		st->accepted++;
		note(r, at, dc_outcome_name(res.outcome));
		judge_call(at, &res, &x->answer, why, whylen);
		if (res.outcome == DC_PROTOCOL_ERROR && !res.restored)
			snprintf(r->oc.lost, sizeof r->oc.lost,
				 "guest lost after the call");
		else
			run_out(&r->s, &r->oc, 0);
		return;
	}
	/* every attempt refused: let the program finish */
	run_out(&r->s, &r->oc, r->sig);
	st->missed++;
}

/* The stub went away: how did QEMU end? */
static void lost_qemu(struct run *r, struct ev_chance_stats *st, char *why,
		      size_t whylen)
{
	int status = 0;

	if (r->s.c) {
		rsp_client_close(r->s.c);
		r->s.c = NULL;
	}
	launch_stop(&r->s.l, &status);
	r->s.launched = 0;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) {
		/* CH-4: our own interrupt ended QEMU (it came as the guest
		   was leaving): the run tested nothing */
		st->void_runs++;
		r->oc.lost[0] = 0;
		snprintf(why, whylen, "%s", VOID_RUN);
	} else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL) {
		size_t n = strlen(r->oc.lost);
		snprintf(r->oc.lost + n, sizeof r->oc.lost - n,
			 " (QEMU killed by signal %d)", WTERMSIG(status));
	}
}

/* Why what the user saw differs from the reference run (CH-3: nothing
   else is compared): the stub lost, the exit status, or the first line of
   output that differs. */
static void compare(const struct outcome *oc, const struct outcome *ref,
		    char *why, size_t whylen)
{
	size_t i = 0, b;

	if (*oc->lost) {
		snprintf(why, whylen, "%s", oc->lost);
		return;
	}
	if (oc->exited != ref->exited || oc->code != ref->code) {
		snprintf(why, whylen, "%s %u, expected exit status %u",
			 oc->exited ? "exit status" : "killed by signal",
			 oc->code, ref->code);
		return;
	}
	if (oc->outlen == ref->outlen &&
	    !memcmp(oc->out ? oc->out : "", ref->out, oc->outlen))
		return;
	while (i < oc->outlen && i < ref->outlen && oc->out[i] == ref->out[i])
		i++;
	for (b = i; b > 0 && oc->out[b - 1] != '\n'; b--)
		;
	snprintf(why, whylen, "output differs: %.*s",
		 (int)strcspn(oc->out + b, "\n"), oc->out + b);
}

/* One run (CH-1), on a fresh QEMU; why is empty when nothing differed. */
static int one_run(struct ev_target *t, const struct ev_chance_opts *o,
		   const struct expected *x, uint64_t *rng,
		   struct ev_chance_stats *st, char *line, size_t linelen,
		   char *why, size_t whylen, char *err, size_t errlen)
{
	struct run r;

	*why = 0;
	memset(&r, 0, sizeof r);
	r.line = line;
	r.linelen = linelen;
	if (start(&r.s, t, &r.f, o->timeout_s, err, errlen) < 0)
		return -1;
	make_attempts(&r, t, o, x, rng, st, why, whylen);
	if (*r.oc.lost && r.s.launched)
		lost_qemu(&r, st, why, whylen);
	ev_session_close(&r.s);
	read_output(r.f, &r.oc);
	fclose(r.f);
	if (!*why)
		compare(&r.oc, &x->out, why, whylen);
	free(r.oc.out);
	return 0;
}

/* The call resolved in t, the reference's answer to it (SWP-4), which
   must be one, and the reference run. */
static int learn_expected(struct ev_target *t, struct ev_target *ref,
			  const struct ev_chance_opts *o, struct expected *x,
			  char *err, size_t errlen)
{
	struct ev_sweep_opts so = {0};

	so.out = o->out;
	so.timeout_s = o->timeout_s;
	if (ev_inject_resolve(t, o->inject, &x->call, err, errlen) < 0)
		return -1;
	if (ev_inject_answer(ref, o->inject, &so, &x->answer, err, errlen) < 0)
		return -1;
	if (x->answer.outcome == DC_REFUSED ||
	    x->answer.outcome == DC_PROTOCOL_ERROR) {
		snprintf(err, errlen, "%s at main.main of the reference: %s %s",
			 o->inject, dc_outcome_name(x->answer.outcome),
			 x->answer.msg);
		return -1;
	}
	return reference(ref, o, &x->out, &x->dur_us, err, errlen);
}

/* Count run r's catch; a void run (CH-4) is none. */
static void tally(struct ev_chance_stats *st, int r, const char *why)
{
	st->runs++;
	if (!*why || strcmp(why, VOID_RUN) == 0)
		return;
	st->caught++;
	if (!st->first_caught) {
		st->first_caught = r;
		snprintf(st->first_why, sizeof st->first_why, "%s", why);
	}
}

static void print_summary(const struct ev_chance_stats *st)
{
	printf("chance: caught %d/%d runs; first at run ", st->caught,
	       st->runs);
	if (st->first_caught)
		printf("%d: %s", st->first_caught, st->first_why);
	else
		printf("-");
	printf("; calls accepted %d, refused %d; runs without an accepted call "
	       "%d; runs void (CH-4) %d\n",
	       st->accepted, st->refused, st->missed, st->void_runs);
}

int ev_chance_run(struct ev_target *t, struct ev_target *ref,
		  const struct ev_chance_opts *o, struct ev_chance_stats *st,
		  char *err, size_t errlen)
{
	struct expected x;
	int r;

	memset(st, 0, sizeof *st);
	if (learn_expected(t, ref, o, &x, err, errlen) < 0)
		return -1;
	printf("chance: %s (%s%s%s), call %s = %s %lld; reference run %llu us, "
	       "exit %u, %zu bytes of output\n",
	       t->name, ev_arch_name(t->arch), t->mutant ? ", mutant " : "",
	       t->mutant ? t->mutant : "", o->inject,
	       dc_outcome_name(x.answer.outcome), (long long)x.answer.value,
	       x.dur_us, x.out.code, x.out.outlen);
	for (r = 1; r <= o->runs; r++) {
		/* CH-2: the delays of run r under the seed */
		uint64_t rng = o->seed * 1000003ull + (uint64_t)r;
		char line[1024] = "", why[512];

		if (one_run(t, o, &x, &rng, st, line, sizeof line, why,
			    sizeof why, err, errlen) < 0) {
			free(x.out.out);
			return -1;
		}
		tally(st, r, why);
		printf("run %d:%s%s: %s\n", r, line,
		       *line ? "" : " no call made",
		       *why ? why : "nothing differs");
		fflush(stdout);
	}
	free(x.out.out);
	print_summary(st);
	return 0;
}
