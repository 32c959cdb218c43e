/*
 * generate.c -- the suite of generated programs (generate.h, GNR-1..3).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "generate.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "launch.h"
#include "paths.h"
#include "states.h"

#define GEN_MAX_FUNCS 256

static char *dup_str(const char *s)
{
	char *d = strdup(s);
	if (!d) {
		fprintf(stderr, "everypc: out of memory\n");
		exit(2);
	}
	return d;
}

/* gosub-gen --seed SEED -o PATH [--favour LIST], its stderr into err_fd;
   the exit status, or -1 when it could not be run. */
static int run_gen(long seed, const char *favour, const char *path, int err_fd)
{
	char s[32];
	char *argv[] = {(char *)ev_tool_gosub_gen(),
			"--seed",
			s,
			"-o",
			(char *)path,
			favour && *favour ? "--favour" : NULL,
			(char *)favour,
			NULL};

	snprintf(s, sizeof s, "%ld", seed);
	return launch_run_tool(argv, NULL, -1, err_fd);
}

/* Whether main.NAME is in the comma-separated list only (NULL: all). */
static int listed(const char *only, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = only; p && *p;) {
		const char *e = strchr(p, ',');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		if (k == n && !strncmp(p, name, n))
			return 1;
		p = e ? e + 1 : p + k;
	}
	return !only;
}

/* The functions a program declares ("func NAME(" at a line's start), but
   main, as main.NAME into sw->funcs; with only, those it lists. */
static int program_funcs(const char *path, const char *only,
			 struct ev_sweep *sw, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	sw->funcs = calloc(GEN_MAX_FUNCS, sizeof *sw->funcs);
	while (sw->funcs && fgets(line, sizeof line, f)) {
		char name[256] = "main.";
		size_t k = 5;
		const char *p = line + 5;
		if (strncmp(line, "func ", 5) != 0)
			continue;
		while ((isalnum((unsigned char)*p) || *p == '_') &&
		       k + 1 < sizeof name)
			name[k++] = *p++;
		name[k] = 0;
		if (*p != '(' || k == 5 || !strcmp(name, "main.main") ||
		    !listed(only, name))
			continue;
		if (sw->nfuncs == GEN_MAX_FUNCS) {
			snprintf(err, errlen, "%s: more than %d functions",
				 path, GEN_MAX_FUNCS);
			fclose(f);
			return -1;
		}
		sw->funcs[sw->nfuncs++] = dup_str(name);
	}
	fclose(f);
	if (!sw->funcs || !sw->nfuncs) {
		snprintf(err, errlen, "%s: no function to sweep%s%s (GNR-1)",
			 path, only ? " of --func " : "", only ? only : "");
		return -1;
	}
	return 0;
}

void ev_generate_begin(struct ev_suite *s)
{
	memset(s, 0, sizeof *s);
	s->name = dup_str("generated");
	for (int a = 0; a < EV_NUM_ARCHES; a++)
		s->arches[s->narches++] = a;
}

/* Its stderr, at most n - 1 bytes without the last newline, into msg. */
static void read_log(FILE *log, char *msg, size_t n)
{
	size_t got;
	rewind(log);
	got = fread(msg, 1, n - 1, log);
	msg[got] = 0;
	if (got && msg[got - 1] == '\n')
		msg[got - 1] = 0;
	if (!got)
		snprintf(msg, n, "no message");
}

int ev_generate_add(struct ev_suite *s, long seed, const char *favour,
		    const char *only, const char *out, char *err, size_t errlen)
{
	char dir[4096], path[4200], msg[512];
	FILE *log = ev_scratch_file();
	struct ev_sweep *sw, *more;
	int rc;

	more = realloc(s->sweeps, (s->nsweeps + 1) * sizeof *s->sweeps);
	if (!log || !more) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	s->sweeps = more;
	sw = &s->sweeps[s->nsweeps];
	memset(sw, 0, sizeof *sw);
	snprintf(dir, sizeof dir, "%s/generated", out);
	if ((mkdir(out, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(dir, 0755) < 0 && errno != EEXIST)) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	snprintf(path, sizeof path, "%s/gen%ld.go", dir, seed);
	if ((rc = run_gen(seed, favour, path, fileno(log))) != 0) {
		read_log(log, msg, sizeof msg);
		snprintf(err, errlen,
			 "--generate: %s --seed %ld failed (%s): %s",
			 ev_tool_gosub_gen(), seed,
			 rc < 0 ? "cannot run it" : "exit status", msg);
		goto fail;
	}
	s->nsweeps++; /* from here ev_suite_free frees what it holds */
	if (!(sw->workload = realpath(path, NULL))) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (program_funcs(path, only, sw, err, errlen) < 0)
		goto fail;
	sw->actions[sw->nactions++] = EV_PREEMPT;
	sw->actions[sw->nactions++] = EV_PREEMPT_GC;
	sw->actions[sw->nactions++] = EV_PREEMPT_GC_SHRINK;
	if (!(sw->hits = calloc(1, sizeof *sw->hits))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	sw->hits[sw->nhits++] = 1;
	fclose(log);
	return 0;
fail:
	if (log)
		fclose(log);
	return -1;
}

/* GNR-4: what a missing state asks of the generator. */
static const struct {
	const char *state; /* a name, or a prefix ending in '.' */
	const char *favour;
} asks[] = {
    {EV_STATE_REG_PREFIX, "pressure"},
    {"interior-only", "interior"},
    {"stackobj-reg-only", "stackobj"},
    {"stackobj-stackptr", "stackobj"},
    {"grow-stackptr", "stackobj"},
    {"stackobj-conservative", "conservative"},
    {EV_STATE_REG_PREFIX, "temps"}, /* the temporaries, the first variable */
};

void ev_generate_favour(const uint64_t *missing, char *buf, size_t n)
{
	unsigned want = 0;
	size_t len = 0, k;
	char name[64];

	for (int a = 0; a < EV_NUM_ARCHES; a++)
		for (size_t i = 0; i < ev_states_ncat(a); i++) {
			if (!(missing[a] >> i & 1))
				continue;
			ev_states_cat_name(a, i, name, sizeof name);
			for (k = 0; k < sizeof asks / sizeof asks[0]; k++)
				if (!strncmp(name, asks[k].state,
					     strlen(asks[k].state)))
					want |= 1u << k;
		}
	if (n)
		buf[0] = 0;
	for (k = 0; k < sizeof asks / sizeof asks[0]; k++) {
		size_t j;
		if (!(want >> k & 1))
			continue;
		for (j = 0; j < k && strcmp(asks[j].favour, asks[k].favour);
		     j++)
			;
		if (j < k && (want >> j & 1))
			continue; /* named already */
		if (len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s",
						len ? "," : "", asks[k].favour);
	}
}
