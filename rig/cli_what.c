/*
 * cli_what.c -- the command line that says what a sweep ran (cli.h), for
 * the report's header.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "suite.h"

struct buf {
	char *s;
	size_t n, len;
};

static void add(struct buf *b, const char *fmt, const char *v)
{
	size_t room = b->len < b->n ? b->n - b->len : 0;
	b->len += (size_t)snprintf(b->s + (room ? b->len : 0), room, fmt, v);
}

/* " OPT VALUE", VALUE single-quoted when it is not a plain word. */
static void add_opt(struct buf *b, const char *opt, const char *v)
{
	const char *p;

	if (!v)
		return;
	add(b, " %s ", opt);
	if (*v &&
	    strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789_./+,:=-") == strlen(v)) {
		add(b, "%s", v);
		return;
	}
	add(b, "%s", "'");
	for (p = v; *p; p++)
		add(b, "%s", *p == '\'' ? "'\\''" : (char[2]){*p, 0});
	add(b, "%s", "'");
}

/* " OPT A,B,C" from names[0..n). */
static void add_list(struct buf *b, const char *opt, const char **names,
		     size_t n)
{
	size_t i;

	if (!n)
		return;
	add(b, " %s ", opt);
	for (i = 0; i < n; i++)
		add(b, i ? ",%s" : "%s", names[i]);
}

void ev_cli_what_ran(const struct ev_cli *c, char *s, size_t n)
{
	struct buf b = {s, n, 0};
	const char *names[64];
	char hits[64][12];
	size_t i;

	add(&b, "%s", "everypc sweep");
	add_opt(&b, "--workload", c->workload);
	add_opt(&b, "--func", c->funcs);
	for (i = 0; i < c->narches; i++)
		names[i] = ev_arch_name(c->arches[i]);
	add_list(&b, "--arch", names, c->narches);
	for (i = 0; i < c->nactions; i++)
		names[i] = ev_action_name(c->actions[i]);
	add_list(&b, "--action", names, c->nactions);
	for (i = 0; i < c->nhits && i < 64; i++) {
		snprintf(hits[i], sizeof hits[i], "%d", c->hits[i]);
		names[i] = hits[i];
	}
	add_list(&b, "--hits", names, c->nhits < 64 ? c->nhits : 64);
	add_opt(&b, "--inject", c->inject);
	add_opt(&b, "--mutant", c->mutant);
	if (c->mode >= 0)
		add_opt(&b, "--mode", c->mode ? "isolated" : "persistent");
	if (c->no_clobber)
		add(&b, "%s", " --no-clobber");
	add_opt(&b, "--require-states", c->require_states);
	if (c->generate) {
		char g[64];
		snprintf(g, sizeof g, " --generate %ld --seed %ld", c->generate,
			 c->seed_given ? c->seed : 1L);
		add(&b, "%s", g);
	}
	add_opt(&b, "--", c->file);
}
