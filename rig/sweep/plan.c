/*
 * plan.c -- targets and the canonical enumeration of cases (plan.h).
 */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"

static struct ev_target *get_target(struct targets *ts, int arch,
				    const char *workload, const char *mutant,
				    const struct ev_sweep_opts *o, char *err,
				    size_t errlen)
{
	char builddir[1024];
	size_t i;
	for (i = 0; i < ts->n; i++) {
		struct ev_target *t = ts->v[i];
		if (t->arch == arch && !strcmp(t->workload, workload) &&
		    ((!t->mutant && !mutant) ||
		     (t->mutant && mutant && !strcmp(t->mutant, mutant))))
			return t;
	}
	if (ts->n == sizeof ts->v / sizeof ts->v[0]) {
		snprintf(err, errlen, "too many targets in one sweep");
		return NULL;
	}
	snprintf(builddir, sizeof builddir, "%s/build", o->out);
	ts->v[ts->n] = calloc(1, sizeof(struct ev_target));
	if (ev_target_open(ts->v[ts->n], arch, workload, mutant, builddir, err,
			   errlen) < 0) {
		free(ts->v[ts->n]);
		return NULL;
	}
	/* REF-1, here in the sweep's own process: once, before the workers */
	if (ev_reference_load(&ts->v[ts->n]->ref, workload, GO_RUN_TIMEOUT_S,
			      err, errlen) < 0) {
		ev_target_close(ts->v[ts->n]);
		free(ts->v[ts->n]);
		return NULL;
	}
	return ts->v[ts->n++];
}

struct ev_inject *parse_inject(const char *spec, struct ev_target *t, char *err,
			       size_t errlen)
{
	struct ev_inject *inj = calloc(1, sizeof *inj);
	const char *open = strchr(spec, '('), *p;
	char name[128];
	const struct elfmeta_func *f;

	if (!inj)
		return NULL;
	snprintf(inj->text, sizeof inj->text, "%s", spec);
	if (!open || (size_t)(open - spec) >= sizeof name || open == spec ||
	    spec[strlen(spec) - 1] != ')')
		goto bad;
	snprintf(name, sizeof name, "%.*s", (int)(open - spec), spec);
	f = ev_target_func(t, name);
	if (!f) {
		snprintf(err, errlen, "inject '%s': no function %s in %s", spec,
			 name, t->elf);
		free(inj);
		return NULL;
	}
	inj->fn = f->entry;
	for (p = open + 1; *p != ')';) {
		char *end;
		long long v = strtoll(p, &end, 10);
		if (end == p || inj->nargs == DC_MAX_ARGS)
			goto bad;
		inj->args[inj->nargs++] = v;
		p = end;
		while (*p == ' ')
			p++;
		if (*p == ',')
			p++;
		else if (*p != ')')
			goto bad;
	}
	if (f->args_size != 8 * (inj->nargs + 1)) {
		snprintf(err, errlen,
			 "inject '%s': %s takes %u argument words and "
			 "a result",
			 spec, name, f->args_size / 8 - 1);
		free(inj);
		return NULL;
	}
	return inj;
bad:
	snprintf(err, errlen, "inject '%s': expected main.f(INT,...)", spec);
	free(inj);
	return NULL;
}

int set_reference(struct ev_inject *inj, struct ev_target *ref, char *err,
		  size_t errlen)
{
	struct ev_inject *ri;
	if (!ref)
		return -1;
	if (!(ri = parse_inject(inj->text, ref, err, errlen)))
		return -1;
	inj->ref = ref;
	inj->ref_fn = ri->fn;
	free(ri);
	return 0;
}

/* The injected call of sweep sw in target t (NULL: none), kept in ts;
   against a mutant, with the correct build's answer as reference (SWP-4). */
static int sweep_inject(const struct ev_sweep *sw, int arch,
			struct ev_target *t, struct targets *ts,
			const struct ev_sweep_opts *o, struct ev_inject **out,
			char *err, size_t errlen)
{
	struct ev_inject *inj;

	*out = NULL;
	if (!sw->inject)
		return 0;
	inj = parse_inject(sw->inject, t, err, errlen);
	if (!inj || ts->ninj == sizeof ts->inj / sizeof ts->inj[0]) {
		free(inj);
		return -1;
	}
	ts->inj[ts->ninj++] = inj;
	*out = inj;
	if (sw->mutant &&
	    set_reference(
		inj, get_target(ts, arch, sw->workload, NULL, o, err, errlen),
		err, errlen) < 0)
		return -1;
	return 0;
}

/* Every case of function f: each instruction x action x hit, in the
   canonical order. */
static int func_cases(const struct ev_sweep *sw, struct ev_target *t,
		      const struct elfmeta_func *f, const struct ev_inject *inj,
		      int clobber, struct caselist *cl)
{
	size_t first, n, ii, xi, hi;
	int maxhit = 0;

	for (hi = 0; hi < sw->nhits; hi++)
		if (sw->hits[hi] > maxhit)
			maxhit = sw->hits[hi];
	ev_target_func_insns(t, f, &first, &n);
	for (ii = first; ii < first + n; ii++)
		for (xi = 0; xi < sw->nactions; xi++)
			for (hi = 0; hi < sw->nhits; hi++) {
				int act = sw->actions[xi];
				struct ev_case c = {t,
						    f,
						    &t->insns[ii],
						    sw->hits[hi],
						    act,
						    action_injects(act) ? inj
									: NULL,
						    clobber,
						    maxhit};
				if (push_case(cl, &c) < 0)
					return -1;
			}
	return 0;
}

int plan_enumerate(const struct ev_suite *suite, struct targets *ts,
		   struct caselist *cl, const struct ev_sweep_opts *o,
		   char *err, size_t errlen)
{
	size_t si, ai, fi;

	for (si = 0; si < suite->nsweeps; si++) {
		const struct ev_sweep *sw = &suite->sweeps[si];
		for (ai = 0; ai < suite->narches; ai++) {
			int arch = suite->arches[ai];
			if (sw->arch_mask && !(sw->arch_mask >> arch & 1))
				continue; /* the sweep's own "arches" */
			struct ev_target *t = get_target(
			    ts, arch, sw->workload, sw->mutant, o, err, errlen);
			struct ev_inject *inj;
			if (!t || sweep_inject(sw, arch, t, ts, o, &inj, err,
					       errlen) < 0)
				return -1;
			for (fi = 0; fi < sw->nfuncs; fi++) {
				const struct elfmeta_func *f =
				    ev_target_func(t, sw->funcs[fi]);
				if (!f) {
					snprintf(err, errlen,
						 "%s: no function %s in %s",
						 suite->name, sw->funcs[fi],
						 t->elf);
					return -1;
				}
				if (func_cases(sw, t, f, inj,
					       !o->no_clobber &&
						   !sw->no_clobber,
					       cl) < 0)
					return -1;
			}
		}
	}
	return 0;
}

void plan_free(struct targets *ts, struct caselist *cl)
{
	size_t i;
	for (i = 0; i < ts->n; i++) {
		ev_target_close(ts->v[i]);
		free(ts->v[i]);
	}
	for (i = 0; i < ts->ninj; i++)
		free(ts->inj[i]);
	free(cl->v);
}
