/*
 * pool.h -- the worker pool: forked workers run the cases that have no
 * result yet, each journalling its cases as they finish (JRN-1), with a
 * progress bar fed through a pipe. SWP-6 (sweep.h): a worker that dies
 * loses only the case it was running; the cases without a result run
 * again, round after round, and a case running when workers died twice is
 * journalled as the failure `worker-died`.
 *
 * POOL-3 A round's cases, in plan order, are cut into chunks, each a
 *        1/(2 x workers) share of the cases left after the chunks before
 *        it, but at least what is left spread over the chunk numbers
 *        still free (at most 255 chunks, so the last is never a large
 *        remainder) and at least 8 cases (fewer when the round cannot
 *        give every worker 8; one worker: one chunk); a free worker
 *        takes the next chunk (a byte in a
 *        pipe). So a worker keeps to a target for long at first, and the
 *        workers finish together: a worker no longer idles while another
 *        runs out a share of slow cases (before, each had a fixed n/jobs).
 *        A worker announces the chunk it takes; when it dies, the case it
 *        was running is the first without a result of that chunk. Which
 *        worker ran a case changes nothing a sweep writes (SWP-1).
 *
 * POOL-1 Without --jobs, the workers are the online cores
 *        (sysconf(_SC_NPROCESSORS_ONLN)) less the 1-minute load average
 *        (getloadavg) rounded to the nearest whole number, at least 1 and
 *        at most 256 (and never more than the cases). How many there are
 *        changes nothing a sweep writes but the last line on stderr
 *        (SWP-1).
 *
 * POOL-2 With EVERYPC_PIN=1 (Linux), each worker and the QEMUs it starts
 *        share one CPU. A case is a request-reply exchange in which the
 *        worker and its QEMU take turns, never running at once; on one
 *        CPU each hand-over is a local wake-up, not one sent to another
 *        (idle, perhaps halted) CPU. When a round has as many workers as
 *        the CPUs the sweep may run on (sched_getaffinity), worker k is
 *        pinned to the k-th; with fewer, a worker may run anywhere while
 *        it launches a QEMU, and once the QEMU is up both are pinned to
 *        the CPU the worker is on then, until the next launch. Off by
 *        default: a pinned process cannot leave a CPU that other work
 *        keeps busy, so it is for a machine the sweep has to itself. The
 *        last line on stderr says "a CPU each" or "each with its QEMU on
 *        one CPU"; nothing a sweep writes changes (SWP-1).
 *
 * POOL-3 A round's cases, in plan order, are cut into chunks, each a
 *        1/(2 x workers) share of the cases left after the chunks before
 *        it, but at least what is left spread over the chunk numbers
 *        still free (at most 255 chunks, so the last is never a large
 *        remainder) and at least 8 cases (fewer when the round cannot
 *        give every worker 8; one worker: one chunk); a free worker
 *        takes the next chunk (a byte in a
 *        pipe). So a worker keeps to a target for long at first, and the
 *        workers finish together: a worker no longer idles while another
 *        runs out a share of slow cases (before, each had a fixed n/jobs).
 *        A worker announces the chunk it takes; when it dies, the case it
 *        was running is the first without a result of that chunk. Which
 *        worker ran a case changes nothing a sweep writes (SWP-1).
 *
 * POOL-1 Without --jobs, the workers are the online cores
 *        (sysconf(_SC_NPROCESSORS_ONLN)) less the 1-minute load average
 *        (getloadavg) rounded to the nearest whole number, at least 1 and
 *        at most 256 (and never more than the cases). How many there are
 *        changes nothing a sweep writes but the last line on stderr
 *        (SWP-1).
 *
 * POOL-2 When a round has as many workers as the CPUs the sweep may run
 *        on (sched_getaffinity; Linux), worker k is pinned to the k-th of
 *        them, and so is every QEMU it starts. A case is a request-reply
 *        exchange in which the worker and its QEMU take turns, never
 *        running at once; on one CPU each hand-over is a local wake-up,
 *        not one sent to another (idle, perhaps halted) CPU. One pair a
 *        CPU loads no CPU more than another. With fewer workers than
 *        CPUs, a worker may run anywhere while it launches a QEMU; once
 *        the QEMU is up, both are pinned to the CPU the worker is on then
 *        (where the scheduler put it), until the next launch. EVERYPC_PIN=0
 *        never pins; EVERYPC_PIN=1 pins fewer workers than CPUs to the
 *        first CPUs, one each, for the whole round. Elsewhere than Linux
 *        nothing is pinned. The last line on stderr says "a CPU each" or
 *        "each with its QEMU on one CPU"; nothing a sweep writes changes
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
