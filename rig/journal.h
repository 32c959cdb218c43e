/*
 * journal.h -- results of a sweep: the JSONL journal (one object per case,
 * appended and flushed as each case ends), resuming an interrupted sweep,
 * the summary table per arch x function x action, and JUnit XML (the
 * last two in summary.c; the failure digest is digest.h's).
 *
 * Invariants:
 * JRN-1 A case is in the journal only once it has finished; each line is
 *       written with one write(2), so a killed worker or rig, or Ctrl-C,
 *       loses at most the case in progress. An append fsyncs when the
 *       last fsync is JRN_SYNC_MS old, and a worker fsyncs when it
 *       finishes, so a crash of the machine itself can also lose the lines
 *       appended since the last fsync: at most JRN_SYNC_MS of appends (if
 *       the next case hangs, they wait for its end). A torn last line (no
 *       newline) is cut off when the journal is reopened.
 * JRN-2 A line depends only on the case and its outcome (no clocks, no host
 *       addresses): the same sweep twice gives identical journals.
 * JRN-3 A case is identified by (arch, workload, mutant, func, pc, hit,
 *       action); --resume skips every case whose key is already journalled.
 * JRN-4 Every record carries "schema": EV_JOURNAL_SCHEMA first; a journal
 *       of another schema is refused, naming its file and line
 *       (docs/journal.md describes each field).
 */
#ifndef EVERYPC_JOURNAL_H
#define EVERYPC_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ev_result {
	int arch;	      /* enum ev_arch_id */
	const char *workload; /* basename, e.g. "list.go" */
	const char *mutant;   /* NULL: correct runtime */
	const char *func;
	uint64_t pc, offset;
	const char *file; /* source file of the PC, may be NULL */
	int line;
	int hit;
	int action;   /* enum ev_action */
	int verdict;  /* enum ev_verdict: observed */
	int expected; /* enum ev_verdict: from metadata */
	int pass;
	const char *check; /* failing oracle, NULL when passed */
	const char *detail;
	int clobber;	 /* dead registers and words were overwritten */
	uint64_t states; /* catalogue bits of the states created (STA-1) */
};

#define EV_JOURNAL_SCHEMA 1

struct ev_journal;

/* Open DIR/journal.jsonl for appending (creating DIR); with resume, load the
   keys already present, otherwise start empty (truncate). */
struct ev_journal *ev_journal_open(const char *dir, int resume, char *err,
				   size_t errlen);
int ev_journal_done(const struct ev_journal *j, const struct ev_result *r);
/* The journalled result with r's key (JRN-3), or NULL. */
const struct ev_result *ev_journal_find(const struct ev_journal *j,
					const struct ev_result *r);
/* 0, or -1 with errno saying why (ENOSPC for a full disk). */
int ev_journal_append(struct ev_journal *j, const struct ev_result *r);
const char *ev_journal_path(const struct ev_journal *j);
#define JRN_SYNC_MS 200

/* For a writer that makes the whole journal at once (everypc merge): no
   fsync per record (JRN-1 does not hold until ev_journal_sync). */
void ev_journal_batch(struct ev_journal *j);
int ev_journal_sync(struct ev_journal *j);
void ev_journal_close(struct ev_journal *j);
/* Number of results loaded on resume plus appended. */
size_t ev_journal_count(const struct ev_journal *j);

/* One journal line for r (malloc'ed, ends with '\n'). */
char *ev_result_line(const struct ev_result *r);

/* Where a failing case's scenario goes, relative to the output directory:
   "scenarios/<arch>-<workload>[-<mutant>]-<func>+<offset>-<action>-h<hit>.json".
 */
void ev_result_scenario_name(const struct ev_result *r, char *buf, size_t n);
/* Whether a and b have the same JRN-3 key. */
int ev_result_same_key(const struct ev_result *a, const struct ev_result *b);
/* The case of r, for messages (the one way every message names a case):
   "arm64 list.go [<mutant> ]main.push+12 preempt-gc h1". */
void ev_result_describe(const struct ev_result *r, char *buf, size_t n);

/* Summary over the whole journal (including resumed lines). */
void ev_journal_summary(const struct ev_journal *j, FILE *out);
int ev_journal_failures(const struct ev_journal *j);
/* The state coverage (states.h): per arch, how many cases created each
   catalogued state, which were created at all, and which arches have
   cases; and the table of it, with the states never created. */
void ev_journal_state_counts(const struct ev_journal *j, size_t counts[][64],
			     uint64_t *created, int *swept);
void ev_journal_states(const struct ev_journal *j, FILE *out);
/* JUnit XML (the common schema, tests/junit.xsd): one <testsuite> per arch
   x workload x mutant x function, in journal order, with its counts, time
   and timestamp; one <testcase> per record, classname "<arch>.<workload
   without .go>[.<mutant>]", name "<func>+<offset> <action> h<hit>"; an
   unreached case is <skipped>; a failure carries the oracle as its type,
   the detail, the scenario's path and the replay command. secs: each
   record's seconds (NULL: 0); timestamp: ISO 8601 UTC of the sweep, or
   NULL. Written to PATH.tmp, then renamed. */
struct ev_junit_opts {
	const double *secs;
	const char *timestamp;
	const char *out_dir; /* where the scenarios are, for the paths */
};
int ev_journal_write_junit(const struct ev_journal *j, const char *path,
			   const struct ev_junit_opts *jo, char *err,
			   size_t errlen);
/* The index of the record with r's key (JRN-3), or -1. */
long ev_journal_index(const struct ev_journal *j, const struct ev_result *r);
const struct ev_result *ev_journal_record(const struct ev_journal *j, size_t i);

#endif
