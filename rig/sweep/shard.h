/*
 * shard.h -- a sweep spread over machines: each takes a deterministic share
 * of the enumerated cases (--shard I/N, or the sharding variables CI
 * systems and test runners set), and `everypc merge` joins the shards'
 * output directories into the directory the unsharded sweep would have
 * written, byte for byte.
 *
 * Invariants:
 * SHD-1 Shard k of N (1-based) takes the k-th of N contiguous ranges of the
 *       canonical case order (SWP-1), as equal in size as integers allow;
 *       every case is in exactly one shard, and the share depends only on
 *       the enumeration. Contiguous ranges keep a target's cases (and its
 *       build, launch and baseline) together. Cases are weighed alike:
 *       measured, the six actions cost the same within 20% per case
 *       (timing.tsv, list.go and inject.go on amd64).
 * SHD-2 Every sweep writes OUT/plan.tsv: its shard, the suite's title, and
 *       every enumerated case of every shard (key, shard, safety,
 *       disassembly, source text) in canonical order. A merge needs
 *       nothing else of the sweep: no build, no checkout.
 * SHD-3 A merge refuses shards of different sweeps (plans that differ), a
 *       shard given twice, a case journalled by two shards or by a shard it
 *       does not belong to, and a case no shard journalled, naming them.
 */
#ifndef EVERYPC_SWEEP_SHARD_H
#define EVERYPC_SWEEP_SHARD_H

#include <stddef.h>

#include "results.h"

#define PLAN_FILE "plan.tsv"

/* The shard from the environment: Bazel (TEST_SHARD_INDEX,
   TEST_TOTAL_SHARDS; TEST_SHARD_STATUS_FILE is touched), GoogleTest
   (GTEST_SHARD_INDEX, GTEST_TOTAL_SHARDS), GitLab (CI_NODE_INDEX,
   CI_NODE_TOTAL, 1-based), Buildkite (BUILDKITE_PARALLEL_JOB,
   BUILDKITE_PARALLEL_JOB_COUNT), the first set in that order. *count 0:
   none set. 0, or -1 with err naming the variable. */
int shard_from_env(int *index, int *count, const char **source, char *err,
		   size_t errlen);
/* SHD-1: the shard (1-based) of case i of n. */
int shard_of(size_t i, size_t n, int count);

/* SHD-2: write OUT/plan.tsv (atomically). 0, or -1 with err. */
int plan_write(const char *out, int index, int count, const char *title,
	       const struct planned *p, size_t n, char *err, size_t errlen);

/* A plan read back. */
struct plan_file {
	int index, count;
	char *title;
	struct planned *p;
	size_t n;
	char *text;  /* the case lines, for comparing plans */
	char **strs; /* every string the planned cases point to */
	size_t nstrs;
};
int plan_read(const char *dir, struct plan_file *pf, char *err, size_t errlen);
void plan_file_free(struct plan_file *pf);

#endif
