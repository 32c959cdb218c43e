/*
 * sweep.h -- the sweep driver: for each target, function, static PC,
 * action and hit number, run the guest to that PC, act, observe, check the
 * oracles and journal the case.
 *
 * Invariants:
 * SWP-1 Cases are enumerated in one canonical order (suite sweep, arch,
 *       function, PC, action, hit); the final journal is rewritten in that
 *       order, so the same sweep gives the same journal whatever --jobs is.
 * SWP-2 Persistent mode: one QEMU per worker and target serves every case,
 *       one iteration of main.main per case; after any failed case (the
 *       guest may be corrupted: a freed live object, a moved stack) the
 *       QEMU is torn down and a fresh one takes the next case. Isolated
 *       mode: a fresh QEMU per case.
 * SWP-3 Every observation is the rig's own (registers, guest memory read
 *       through the layout descriptor); the runtime's reports are used only
 *       as the iteration outcome that oracle 6 compares with the baseline.
 * SWP-4 The expected answer of an injected call is learnt from a call at
 *       main.main in the correct runtime's build of the same workload, also
 *       when the target is built against a mutant: a mutant's own answer is
 *       never the truth it is judged by.
 * SWP-5 One sweep at a time writes an output directory: an advisory lock on
 *       OUT/.everypc.lock is held for the whole sweep, --resume included; a
 *       second sweep into it refuses at once, naming the holder's pid.
 * SWP-6 No case is lost: a worker that dies loses only the case it was
 *       running; every case without a result runs again on a fresh worker,
 *       and a case running when workers died twice is journalled as the
 *       failure `worker-died`. The sweep ends by checking that every
 *       enumerated case has exactly one result; otherwise it says how many
 *       are missing and returns 2. A failed journal write stops the sweep
 *       at once (return 2), leaving a journal that --resume completes.
 */
#ifndef EVERYPC_SWEEP_H
#define EVERYPC_SWEEP_H

#include <stdio.h>

#include "journal.h"
#include "suite.h"
#include "target.h"

struct ev_sweep_opts {
	int isolated;
	int jobs;	 /* 0: the default of pool.h (POOL-1) */
	const char *out; /* journal, scenarios, builds */
	int resume;
	FILE *trace; /* --trace-rsp */
	int timeout_s;
	int progress; /* progress bar on stderr */
	const char *junit;
	const char *scenario_base;    /* directory scenario workload paths are
					 written relative to (NULL: absolute) */
	int shard_index, shard_count; /* --shard I/N (1-based); 0: from the
					 environment, else unsharded */
	const char *command; /* what ran, for the report (ev_cli_what_ran) */
	int no_clobber; /* --no-clobber: dead state is left as it is (CLB-1) */
	/* --require-states and the suite's "require_states" (STA-5); NULL:
	   none */
	const struct ev_states_req *require;
	/* no summary, no state table, no requirement judged: a round of
	   sweep --generate before the last (GNR-4) */
	int quiet;
};

/* Run the suite; prints the summary. Returns 0 when no case failed, 1 when
   some failed, 2 on an error that stopped the sweep (message in err). */
int ev_sweep_run(const struct ev_suite *suite, const struct ev_sweep_opts *o,
		 char *err, size_t errlen);

/* everypc merge: the shard output directories dirs[0..n) joined into
   o->out, as the unsharded sweep would have written it (sweep/shard.h:
   SHD-1..3); o->junit as for a sweep. 0 no failure, 1 failures, 2 error
   (err names the shard, case or file). */
int ev_merge_run(char *const *dirs, size_t n, const struct ev_sweep_opts *o,
		 char *err, size_t errlen);

/* One case, for replay: run it isolated and fill r (strings owned by the
   caller's buffers). ref: the same workload built against the correct
   runtime when t is a mutant's and the action injects a call (SWP-4),
   else NULL. Returns 0, or -1 with err. */
struct ev_case_out {
	struct ev_result r;
	char check[64];
	char detail[1024];
	char file[256];
};
int ev_sweep_one(struct ev_target *t, struct ev_target *ref, const char *func,
		 uint64_t pc, int hit, int action, const char *inject,
		 const struct ev_sweep_opts *o, struct ev_case_out *out,
		 char *err, size_t errlen);

/* replay --gdb: run the case isolated, as ev_sweep_one does, up to the
   moment before its action (the hit-th execution of pc), remove the rig's
   breakpoints, listen on a private socket, call ready(ctx, socket, err, errlen)
   (which tells the user how to attach; -1 with err: give up), then lend the
   connection to one debugger until it ends (gdbproxy.h). Returns the enum
   gdbp_end
   (*signo: the signal that ended it, else 0); -2 when the case does not
   reach that moment (err says what happened instead); -1 with err. */
int ev_sweep_debug(struct ev_target *t, const char *func, uint64_t pc, int hit,
		   const struct ev_sweep_opts *o,
		   int (*ready)(void *ctx, const char *sock, char *err,
				size_t errlen),
		   void *ctx, int *signo, char *err, size_t errlen);

/* An injected call "main.f(1,2)" resolved in t: debugCallV2's address,
   the function, its arguments. Returns 0, or -1 with err. */
struct dc_call;
struct dc_result;
int ev_inject_resolve(struct ev_target *t, const char *spec,
		      struct dc_call *call, char *err, size_t errlen);

/* The answer of the call spec made at the first safe PC of main.main in t
   (a fresh persistent QEMU; SWP-4's reference answer). 0, or -1 with err. */
int ev_inject_answer(struct ev_target *t, const char *spec,
		     const struct ev_sweep_opts *o, struct dc_result *res,
		     char *err, size_t errlen);

#endif
