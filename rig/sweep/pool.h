/*
 * pool.h -- the worker pool: forked workers run the cases that have no
 * result yet, each journalling its cases as they finish (JRN-1), with a
 * progress bar fed through a pipe. SWP-6 (sweep.h): a worker that dies
 * loses only the case it was running; the cases without a result run
 * again, round after round, and a case running when workers died twice is
 * journalled as the failure `worker-died`.
 *
 * POOL-1 Without --jobs, the workers are the online cores
 *        (sysconf(_SC_NPROCESSORS_ONLN)) less the 1-minute load average
 *        (getloadavg) rounded to the nearest whole number, at least 1 and
 *        at most 256 (and never more than the cases). How many there are
 *        changes nothing a sweep writes but the last line on stderr
 *        (SWP-1).
 */
#ifndef EVERYPC_SWEEP_POOL_H
#define EVERYPC_SWEEP_POOL_H

#include "case.h"
#include "sweep.h"

/* Run every case of cl that has no result in OUT's journal. 0, or -1 with
   err when the sweep had to stop (the results so far stay journalled). */
int run_pool(const struct caselist *cl, const struct ev_sweep_opts *o,
	     char *err, size_t errlen);

#endif
