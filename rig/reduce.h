/*
 * reduce.h -- `everypc reduce SCENARIO` (issue 13 item 4): shrink the
 * workload of a failing case to a small program that still fails the same
 * way, and record that case as a scenario that replays.
 *
 * INVARIANTS (cited as "RED-n"):
 *
 * RED-1 The failure kept: the scenario's arch, mutant, action, hit, inject
 *       call and clobbering, its function, its failing oracle (check) and
 *       its source statement (the text of the recorded line, the anchor).
 *       A candidate program keeps the failure when some PC of the function
 *       on the anchor's line, run alone (ev_sweep_one, as replay runs it),
 *       fails with that check. The anchor statement and the blocks around
 *       it are never removed.
 * RED-2 Delta debugging over the syntax tree (hierarchical ddmin): the
 *       program's statements and declarations form a tree by their block
 *       structure (a line opening brackets spans to the line closing them;
 *       the lines inside are its children); level by level from the top,
 *       ddmin removes as many nodes of the level as it can while the
 *       failure is kept; the levels are swept again until a whole pass
 *       removes nothing. Comment-only and blank lines are dropped first.
 * RED-3 A candidate is a valid program of the subset and of Go: what Go
 *       calls unused is repaired the way a person would (`_ = x` after a
 *       declaration whose uses were removed, an import no longer used
 *       deleted), then gosub must build it, `go run` must end within the
 *       timeout (its output is the candidate's reference, REF-1), and the
 *       function must still exist. Anything else loses the failure.
 * RED-4 The outcome depends on the test results alone: no clock, no
 *       randomness; each distinct candidate text is tested once.
 * RED-5 The result is OUT/<stem>.go (a header comment says what it was
 *       reduced from and what failure it keeps) and OUT/<stem>.json, the
 *       scenario of its failing case as a sweep writes it (workload
 *       relative to the source tree when inside it), made by running the
 *       final file itself, so `everypc replay OUT/<stem>.json` reproduces
 *       it. <stem> is the scenario file's name without ".json".
 */
#ifndef EVERYPC_REDUCE_H
#define EVERYPC_REDUCE_H

#include <stddef.h>

struct ev_scenario;
struct ev_reduce_opts {
	const char *scenario;	      /* the failing case's scenario file */
	const struct ev_scenario *sc; /* ... as loaded from it */
	const char *workload; /* its workload, found (main.c's find_file) */
	const char *out;      /* where the result goes (made when missing) */
	const char *scratch;  /* a private directory for candidates */
	int timeout_s;	      /* a stop, and go run, taking longer: lost */
};

/* o->sc is o->scenario as loaded (ev_scenario_load) and o->workload its
   workload, found. 0 reduced and written; 1 the workload does not fail as
   recorded (nothing written); 2 an error (err). Progress on stdout. */
int ev_reduce_run(const struct ev_reduce_opts *o, char *err, size_t errlen);

#endif
