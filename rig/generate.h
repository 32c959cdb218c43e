/*
 * generate.h -- `everypc sweep --generate N [--seed S]` (issue 13 item 3):
 * sweep programs written by gosub-gen instead of a suite's workloads.
 *
 * INVARIANTS (cited as "GNR-n"):
 *
 * GNR-1 Program i (0 <= i < N) is `gosub-gen --seed S+i`, written to
 *       OUT/generated/gen<S+i>.go; the same N and S give the same programs,
 *       cases and journal on any host. A generator that fails, or writes
 *       no function, stops the sweep before any case runs, naming the seed.
 * GNR-2 Each program is a workload like any other: its reference is `go
 *       run` of its source (REF-1, cached by content), so a program whose
 *       gosub build prints anything else fails every case as `baseline`
 *       -- the generator is a differential tester of gosub and the runtime.
 * GNR-3 Every function of a program but main.main is swept (with --func,
 *       those of the list the program has), with the
 *       command line's --action, --hits, --inject, --mutant and --arch
 *       (default actions: preempt, preempt-gc, preempt-gc-shrink).
 * GNR-4 Coverage feedback: the programs are swept one by one into the same
 *       journal (--resume), and the states still missing after program i
 *       -- the required ones (--require-states, a suite's), else the whole
 *       catalogue of every arch swept -- choose what program i+1 favours
 *       (`gosub-gen --favour`: more pointer locals and pointers in every
 *       temporary of amd64's four for a reg-only state, interior pointers,
 * stack objects, a callee clearing its argument slot). States only an action
 * can create (shrink-deferred, the inject-* states) ask nothing of the program.
 * The choice depends on the journal alone, so GNR-1 holds. For the same reason
 * the sweep is never sharded (--shard is refused, CI_NODE_* ignored).
 */
#ifndef EVERYPC_GENERATE_H
#define EVERYPC_GENERATE_H

#include <stddef.h>
#include <stdint.h>

#include "suite.h"

/* An empty suite of generated programs on every arch. */
void ev_generate_begin(struct ev_suite *s);
/* Program `gosub-gen --seed SEED [--favour FAVOUR]` written under
   out/generated/, appended to s as a sweep of its functions (only: those
   of the comma-separated list it has; NULL: all); 0, or -1 with err (s
   stays valid for ev_suite_free). */
int ev_generate_add(struct ev_suite *s, long seed, const char *favour,
		    const char *only, const char *out, char *err,
		    size_t errlen);
/* GNR-4: the generator's --favour list for the states still missing
   (missing[arch]: catalogue bits), e.g. "pressure,conservative"; "" when
   no missing state is one a program's shape decides. */
void ev_generate_favour(const uint64_t *missing, char *buf, size_t n);

#endif
