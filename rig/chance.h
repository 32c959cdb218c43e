/*
 * chance.h -- the by-chance way of testing debugger-injected calls, the
 * baseline the inject sweeps are compared with: what a person at a
 * debugger does. Run the program, interrupt it at some moment (SIGINT to
 * the QEMU process, as ^C does to a native inferior: the stub reports the
 * stop), call the function wherever the program happens to be, carry on,
 * and look at what a user can see: the call's answer, the program's output
 * and its exit status.
 *
 * One run, per attempt: sleep a delay drawn uniformly from [0, T - ran)
 * (T: the duration of the reference run, below; ran: how long this run's
 * program has already run), interrupt, inject. A refused call
 * (the runtime's reasons, e.g. "call from within the Go runtime") is
 * another attempt; the run ends with the first accepted call, or with the
 * program when it exits first. The run catches the bug when the accepted
 * call's outcome or value differs from the reference answer, or when the
 * program's stderr or exit status differs from the reference run's.
 *
 * The reference: the same workload built against the correct runtime, run
 * once uninterrupted under the stub (output, exit status, duration) and
 * asked the call at main.main (the answer, SWP-4).
 *
 * Invariants:
 * CH-1 Every run gets a fresh QEMU; exactly `runs` runs are made (no early
 *      stop), so "runs that caught" is a rate over a fixed budget.
 * CH-2 Delays come from a PRNG seeded by --seed and the run number, but
 *      where the program is when the signal lands depends on real time:
 *      two invocations can differ. It is a measurement, not an oracle of
 *      the test suite.
 * CH-4 A run whose QEMU was ended by the interrupt itself (SIGINT reached
 *       it as the program was exiting, so the stub closed without a stop
 *       reply; QEMU's wait status says SIGINT) tested nothing: it is
 *       reported as void, never as a catch. Any other lost connection is a
 *       catch, with QEMU's signal named.
 * CH-3 Only what a debugger user sees is compared: no rig oracle (liveness,
 *      registers, freeze, stack) takes part, or it would not be the
 *      by-chance baseline.
 */
#ifndef EVERYPC_CHANCE_H
#define EVERYPC_CHANCE_H

#include "target.h"

struct ev_chance_opts {
	const char *inject; /* "main.f(1,2)" */
	int runs;
	unsigned long seed;
	int timeout_s;	  /* per resume: a hang */
	int max_attempts; /* interrupts per run */
	const char *out;  /* build directory */
};

struct ev_chance_stats {
	int runs, caught, first_caught; /* first_caught: run number, 0: none */
	int accepted, refused,
	    missed;    /* calls accepted, refused; runs with none */
	int void_runs; /* CH-4 */
	char first_why[512];
};

/* t: the target (maybe a mutant's build); ref: the correct runtime's build
   of the same workload (may be t). Prints one line per run on stdout.
   Returns 0, or -1 with err when the runs could not be made. */
int ev_chance_run(struct ev_target *t, struct ev_target *ref,
		  const struct ev_chance_opts *o, struct ev_chance_stats *st,
		  char *err, size_t errlen);

#endif
