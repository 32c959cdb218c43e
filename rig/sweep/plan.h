/*
 * plan.h -- the plan of a sweep: its targets (each workload built for each
 * arch, once) and its cases, enumerated in the one canonical order of
 * SWP-1 (suite sweep, arch, function, PC, action, hit).
 */
#ifndef EVERYPC_SWEEP_PLAN_H
#define EVERYPC_SWEEP_PLAN_H

#include "case.h"
#include "suite.h"
#include "sweep.h"

struct targets {
	struct ev_target *v[256];
	size_t n;
	struct ev_inject *inj[256];
	size_t ninj;
};

int plan_enumerate(const struct ev_suite *suite, struct targets *ts,
		   struct caselist *cl, const struct ev_sweep_opts *o,
		   char *err, size_t errlen);
void plan_free(struct targets *ts, struct caselist *cl);

/* "main.f(1,-2)" -> function entry in t and integer arguments (malloc'ed). */
struct ev_inject *parse_inject(const char *spec, struct ev_target *t, char *err,
			       size_t errlen);
/* SWP-4: resolve the injected call in ref, the correct runtime's build. */
int set_reference(struct ev_inject *inj, struct ev_target *ref, char *err,
		  size_t errlen);

#endif
