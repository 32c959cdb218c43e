/*
 * case.c -- cases and verdict boxes (case.h).
 */
#include "case.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "journal.h"
#include "suite.h"

int push_case(struct caselist *cl, const struct ev_case *c)
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

void describe_case(const struct ev_case *c, char *buf, size_t n)
{
	struct ev_result k = {.arch = c->t->arch,
			      .workload = c->t->name,
			      .mutant = c->t->mutant,
			      .func = c->f->name,
			      .offset = c->insn->pc - c->f->entry,
			      .action = c->action,
			      .hit = c->hit};
	ev_result_describe(&k, buf, n);
}

void failf(struct verdictbox *v, const char *check, const char *fmt, ...)
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
