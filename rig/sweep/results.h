/*
 * results.h -- a case's result as the journal records it (journal.h), the
 * scenario file of a failing case, and the end of a sweep: the journal
 * rewritten in canonical order with the HTML report made from the same
 * records (SWP-1, RPT).
 */
#ifndef EVERYPC_SWEEP_RESULTS_H
#define EVERYPC_SWEEP_RESULTS_H

#include "case.h"
#include "journal.h"
#include "sweep.h"

/* r from case c and what it observed (v); file receives the source path
   r->file points to. A verdict box with EV_NOVERDICT gives the case's
   journal key (JRN-3). */
void fill_result(const struct ev_case *c, const struct verdictbox *v,
		 struct ev_result *r, char *file, size_t filelen);
/* OUT/scenarios/<name>.json for a failing case (replayable). */
void write_scenario(const struct ev_case *c, const struct ev_result *r,
		    const struct ev_sweep_opts *o);

/* idx[] gets the indices of the cases without a result in OUT's journal,
   in canonical order; returns how many, or -1 with err. */
long missing_cases(const struct caselist *cl, const char *out, size_t *idx,
		   char *err, size_t errlen);

/* One planned case as the results know it: its journal key (JRN-3), and
   what the report shows of its instruction. Made from a case (plan_of) or
   read back from a shard's plan (shard.h). */
struct planned {
	struct ev_result key;
	const char *disasm; /* objdump's text */
	const char *safety; /* "safe" or the unsafe range's kind */
	const char *source; /* the text of the key's line, or NULL */
	int shard;	    /* 1-based (shard.h, SHD-1) */
};
/* p[i] for every case of cl (the strings point into cl's targets and into
   srcs, which gives the source text of lines of the workload itself; file
   buffers are not kept: the key has no file). NULL on OOM. */
struct ev_sources;
struct planned *plan_of(const struct caselist *cl, struct ev_sources *srcs);

/* SWP-1: rewrite OUT's journal in the order of p[0..n) and write
   OUT/report.html from the same records; *missing counts the cases without
   a result (the first few are named on stderr); *digest (when digest is
   not NULL) gets the failure digest of the same rows (digest.h; malloc'ed,
   NULL without failures). title: the report's title, then one "key: value"
   line per fact of its header (report.h). 0, or -1 with err (nothing
   half-written is left: the temporary file is removed). */
int canonical_journal(const struct planned *p, size_t n, const char *title,
		      const char *out, size_t *missing, char **digest,
		      char *err, size_t errlen);

/* The report's title and header (canonical_journal) of a sweep of suite
   over the targets ts[0..nt) with options o: what ran (o->command), the
   commit, each target's build-id, and the time only when SOURCE_DATE_EPOCH
   gives it (RPT-1). */
struct ev_target;
void sweep_title(const char *suite, struct ev_target *const *ts, size_t nt,
		 const struct ev_sweep_opts *o, char *buf, size_t n);

/* mkdir -p: 0, or -1 with err naming the directory. */
int make_dirs(const char *path, char *err, size_t errlen);

/* SWP-5: lock OUT for this process (held until the returned descriptor is
   closed); -1 with err naming the holder's pid when another holds it. */
int lock_out(const char *out, char *err, size_t errlen);

/* The end of a sweep or a merge, from OUT's canonical journal: the summary
   table, --junit, the failure digest (from canonical_journal). 0 no failure, 1
   failures, 2 error (err). */
int finish_results(const struct ev_sweep_opts *o, long long started,
		   const char *digest, char *err, size_t errlen);

/* OUT/timing.tsv: one line per case run, its wall time (pool.c writes it,
   JUnit reads it; deliberately apart from the deterministic journal). */
#define TIMING_FILE "timing.tsv"

/* --junit: from the canonical journal j, with each case's time from
   TIMING_FILE and the sweep's start as the timestamp -- or, when
   SOURCE_DATE_EPOCH is set (the reproducible-builds convention), that
   epoch as the timestamp and every time 0, so that the file depends only
   on the results. 0, or -1 with err. */
int write_junit(const struct ev_journal *j, const struct ev_sweep_opts *o,
		long long started, char *err, size_t errlen);

#endif
