/*
 * chance.c -- interrupt at a random moment and inject a call (chance.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "chance.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "debugcall.h"
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
	if (!(*errf = tmpfile())) {
		snprintf(err, errlen, "tmpfile: %s", strerror(errno));
		return -1;
	}
	fcntl(fileno(*errf), F_SETFD, FD_CLOEXEC); /* LAUNCH-6 */
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

/* One run (CH-1); why is empty when nothing differed. */
static int one_run(struct ev_target *t, const struct ev_chance_opts *o,
		   const struct dc_call *call, const struct dc_result *answer,
		   const struct outcome *refout, unsigned long long dur_us,
		   uint64_t *rng, struct ev_chance_stats *st, char *line,
		   size_t linelen, char *why, size_t whylen, char *err,
		   size_t errlen)
{
	struct ev_session s;
	struct outcome oc;
	struct dc_result res;
	FILE *f;
	int attempt, accepted = 0, ended = 0, own_signals = 0;
	unsigned sig = 0; /* the program's own signal, passed on */
	size_t len = 0;
	unsigned long long ran = 0; /* us the program has run so far */

	*why = 0;
	memset(&oc, 0, sizeof oc);
	memset(&res, 0, sizeof res);
	if (start(&s, t, &f, o->timeout_s, err, errlen) < 0)
		return -1;
	for (attempt = 1; attempt <= o->max_attempts && !accepted; attempt++) {
		struct rsp_stop stop;
		/* uniform over what is left of the reference run's duration */
		unsigned long long left =
		    ran + 1 < dur_us ? dur_us - ran : dur_us / 8 + 1;
		unsigned long long us = next_rand(rng) % left, t0 = now_us();
		pid_t timer = arm_timer(s.l.pid, us);
		int rc = ev_session_cont(&s, sig, &stop);
		uint64_t pc;
		char at[128];

		sig = 0;
		ran += now_us() - t0;
		disarm_timer(timer);
		ended = 1;
		if (rc < 0) {
			snprintf(oc.lost, sizeof oc.lost, "%s", s.err);
			break;
		}
		if (stop.kind == RSP_STOP_EXITED ||
		    stop.kind == RSP_STOP_TERMINATED) {
			oc.exited = stop.kind == RSP_STOP_EXITED;
			oc.code = stop.code;
			break;
		}
		if (stop.code != GDB_SIGINT) {
			/* the program's own signal: delivered with the next
			   resume; not an attempt of ours */
			if (++own_signals > 64) {
				snprintf(oc.lost, sizeof oc.lost,
					 "more than 64 signal stops");
				break;
			}
			sig = stop.code;
			attempt--;
			ended = 0;
			continue;
		}
		if (ev_session_stop_pc(&s, &stop, &pc) < 0) {
			snprintf(oc.lost, sizeof oc.lost, "%s", s.err);
			break;
		}
		{
			struct dc_rsp_ctx rc_ctx = {.c = s.c};
			dc_inject(dc_arch_find(t->rr->arch), &dc_rsp_ops,
				  &rc_ctx, call, &res);
		}
		describe(t, pc, at, sizeof at);
		if (res.outcome == DC_REFUSED) {
			ended = 0;
			st->refused++;
			len += (size_t)snprintf(
			    line + len, linelen > len ? linelen - len : 0,
			    " %s:refused", at);
			continue;
		}
		accepted = 1;
		st->accepted++;
		len += (size_t)snprintf(
		    line + len, linelen > len ? linelen - len : 0, " %s:%s", at,
		    dc_outcome_name(res.outcome));
		if (res.outcome == DC_PROTOCOL_ERROR)
			snprintf(why, whylen, "call at %s: %s", at, res.msg);
		else if (res.outcome != answer->outcome)
			snprintf(why, whylen,
				 "call at %s: %s (%s), expected %s", at,
				 dc_outcome_name(res.outcome), res.msg,
				 dc_outcome_name(answer->outcome));
		else if (res.outcome == DC_RESULT && res.value != answer->value)
			snprintf(why, whylen,
				 "call at %s returned %lld, expected %lld", at,
				 (long long)res.value,
				 (long long)answer->value);
		if (res.outcome == DC_PROTOCOL_ERROR && !res.restored)
			snprintf(oc.lost, sizeof oc.lost,
				 "guest lost after the call");
		else
			run_out(&s, &oc, 0);
	}
	if (!ended) /* every attempt refused: let the program finish */
		run_out(&s, &oc, sig);
	if (!accepted)
		st->missed++;
	if (*oc.lost && s.launched) {
		/* The stub went away: how did QEMU end? */
		int status = 0;
		if (s.c) {
			rsp_client_close(s.c);
			s.c = NULL;
		}
		launch_stop(&s.l, &status);
		s.launched = 0;
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) {
			/* CH-4: our own interrupt ended QEMU (it came as the
			   guest was leaving): the run tested nothing */
			st->void_runs++;
			oc.lost[0] = 0;
			snprintf(why, whylen, "%s", VOID_RUN);
		} else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL) {
			size_t n = strlen(oc.lost);
			snprintf(oc.lost + n, sizeof oc.lost - n,
				 " (QEMU killed by signal %d)",
				 WTERMSIG(status));
		}
	}
	ev_session_close(&s);
	read_output(f, &oc);
	fclose(f);
	if (!*why && *oc.lost)
		snprintf(why, whylen, "%s", oc.lost);
	else if (!*why &&
		 (oc.exited != refout->exited || oc.code != refout->code))
		snprintf(why, whylen, "%s %u, expected exit status %u",
			 oc.exited ? "exit status" : "killed by signal",
			 oc.code, refout->code);
	else if (!*why &&
		 (oc.outlen != refout->outlen ||
		  memcmp(oc.out ? oc.out : "", refout->out, oc.outlen))) {
		size_t i = 0, b;
		while (i < oc.outlen && i < refout->outlen &&
		       oc.out[i] == refout->out[i])
			i++;
		for (b = i; b > 0 && oc.out[b - 1] != '\n'; b--)
			;
		snprintf(why, whylen, "output differs: %.*s",
			 (int)strcspn(oc.out + b, "\n"), oc.out + b);
	}
	free(oc.out);
	return 0;
}

int ev_chance_run(struct ev_target *t, struct ev_target *ref,
		  const struct ev_chance_opts *o, struct ev_chance_stats *st,
		  char *err, size_t errlen)
{
	struct ev_sweep_opts so = {0};
	struct dc_call call;
	struct dc_result answer;
	struct outcome refout;
	unsigned long long dur;
	int r;

	memset(st, 0, sizeof *st);
	so.out = o->out;
	so.timeout_s = o->timeout_s;
	if (ev_inject_resolve(t, o->inject, &call, err, errlen) < 0)
		return -1;
	if (ev_inject_answer(ref, o->inject, &so, &answer, err, errlen) < 0)
		return -1;
	if (answer.outcome == DC_REFUSED ||
	    answer.outcome == DC_PROTOCOL_ERROR) {
		snprintf(err, errlen, "%s at main.main of the reference: %s %s",
			 o->inject, dc_outcome_name(answer.outcome),
			 answer.msg);
		return -1;
	}
	if (reference(ref, o, &refout, &dur, err, errlen) < 0)
		return -1;
	printf("chance: %s (%s%s%s), call %s = %s %lld; reference run %llu us, "
	       "exit %u, %zu bytes of output\n",
	       t->name, ev_arch_name(t->arch), t->mutant ? ", mutant " : "",
	       t->mutant ? t->mutant : "", o->inject,
	       dc_outcome_name(answer.outcome), (long long)answer.value, dur,
	       refout.code, refout.outlen);
	for (r = 1; r <= o->runs; r++) {
		uint64_t rng = o->seed * 1000003ull + (uint64_t)r;
		char line[1024] = "", why[512];
		if (one_run(t, o, &call, &answer, &refout, dur, &rng, st, line,
			    sizeof line, why, sizeof why, err, errlen) < 0) {
			free(refout.out);
			return -1;
		}
		st->runs++;
		if (*why && strcmp(why, VOID_RUN) != 0) {
			st->caught++;
			if (!st->first_caught) {
				st->first_caught = r;
				snprintf(st->first_why, sizeof st->first_why,
					 "%s", why);
			}
		}
		printf("run %d:%s%s: %s\n", r, line,
		       *line ? "" : " no call made",
		       *why ? why : "nothing differs");
		fflush(stdout);
	}
	free(refout.out);
	printf("chance: caught %d/%d runs; first at run ", st->caught,
	       st->runs);
	if (st->first_caught)
		printf("%d: %s", st->first_caught, st->first_why);
	else
		printf("-");
	printf("; calls accepted %d, refused %d; runs without an accepted call "
	       "%d; runs void (CH-4) %d\n",
	       st->accepted, st->refused, st->missed, st->void_runs);
	return 0;
}
