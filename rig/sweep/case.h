/*
 * case.h -- what a sweep is made of: cases (one target, function, PC, hit
 * and action), the injected call a case may carry, and the verdict box in
 * which one case's observations and first failure are collected.
 *
 * The sweep's data flow one way: plan (enumerate cases) -> pool (workers
 * over the cases) -> worker + action table (run one case, observe, judge
 * with the oracles) -> results (journal, scenarios, report).
 */
#ifndef EVERYPC_SWEEP_CASE_H
#define EVERYPC_SWEEP_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "debugcall.h"
#include "target.h"

struct ev_inject { /* "main.f(1,2)" resolved in a target */
	uint64_t fn;
	unsigned nargs;
	int64_t args[DC_MAX_ARGS];
	char text[128];
	/* SWP-4: where the expected answer comes from when the target is
	   built against a mutant: the same workload on the correct runtime
	   (NULL: the target itself is the correct build) */
	struct ev_target *ref;
	uint64_t ref_fn;
};

struct ev_case {
	struct ev_target *t;
	const struct elfmeta_func *f;
	const struct ev_insn *insn;
	int hit;
	int action;
	const struct ev_inject *inj; /* inject actions only */
	int clobber; /* dead state overwritten at the stop (clobber.c) */
	int maxhit;  /* the largest hit of f's cases (hits.c); 0: unknown */
};

struct caselist {
	struct ev_case *v;
	size_t n, cap;
};

int push_case(struct caselist *cl, const struct ev_case *c);

/* "arm64 list.go main.push+12 preempt-gc h1": for messages. */
void describe_case(const struct ev_case *c, char *buf, size_t n);

struct verdictbox { /* what one case observed */
	int verdict;
	int failed;
	char check[64];
	char detail[1024];
	uint64_t states; /* the catalogue's states the case created (STA-1) */
};

/* Record a failure of oracle `check`; the first failure is the one kept. */
void failf(struct verdictbox *v, const char *check, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
