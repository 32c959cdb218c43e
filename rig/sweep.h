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
 *       one iteration of main.main per case; after a failure that leaves
 *       the guest in doubt (throw, crash, hang, protocol error) the QEMU is
 *       torn down and a fresh one takes the next case. Isolated mode: a
 *       fresh QEMU per case.
 * SWP-3 Every observation is the rig's own (registers, guest memory read
 *       through the layout descriptor); the runtime's reports are used only
 *       as the iteration outcome that oracle 6 compares with the baseline.
 */
#ifndef EVERYPC_SWEEP_H
#define EVERYPC_SWEEP_H

#include <stdio.h>

#include "journal.h"
#include "suite.h"
#include "target.h"

struct ev_sweep_opts {
	int isolated;
	int jobs;
	const char *out; /* journal, scenarios, builds */
	int resume;
	FILE *trace;     /* --trace-rsp */
	int timeout_s;
	int progress;    /* progress bar on stderr */
	const char *junit;
	const char *scenario_base; /* directory scenario workload paths are
				      written relative to (NULL: absolute) */
};

/* Run the suite; prints the summary. Returns 0 when no case failed, 1 when
   some failed, 2 on an error that stopped the sweep (message in err). */
int ev_sweep_run(const struct ev_suite *suite, const struct ev_sweep_opts *o,
		 char *err, size_t errlen);

/* One case, for replay: run it isolated and fill r (strings owned by the
   caller's buffers). Returns 0, or -1 with err. */
struct ev_case_out {
	struct ev_result r;
	char check[64];
	char detail[1024];
	char file[256];
};
int ev_sweep_one(struct ev_target *t, const char *func, uint64_t pc, int hit,
		 int action, const char *inject, const struct ev_sweep_opts *o,
		 struct ev_case_out *out, char *err, size_t errlen);

#endif
