/*
 * journal.h -- results of a sweep: the JSONL journal (one object per case,
 * appended and flushed as each case ends), resuming an interrupted sweep,
 * the summary table per arch x function x action, and JUnit XML.
 *
 * Invariants:
 * JRN-1 A case is in the journal only once it has finished; each line is
 *       written with one write(2) and fsync'ed, so a crash or Ctrl-C loses
 *       at most the case in progress. A torn last line (no newline) is cut
 *       off when the journal is reopened.
 * JRN-2 A line depends only on the case and its outcome (no clocks, no host
 *       addresses): the same sweep twice gives identical journals.
 * JRN-3 A case is identified by (arch, workload, mutant, func, pc, hit,
 *       action); --resume skips every case whose key is already journalled.
 */
#ifndef EVERYPC_JOURNAL_H
#define EVERYPC_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ev_result {
	int arch;             /* enum ev_arch_id */
	const char *workload; /* basename, e.g. "list.go" */
	const char *mutant;   /* NULL: correct runtime */
	const char *func;
	uint64_t pc, offset;
	const char *file;     /* source file of the PC, may be NULL */
	int line;
	int hit;
	int action;           /* enum ev_action */
	int verdict;          /* enum ev_verdict: observed */
	int expected;         /* enum ev_verdict: from metadata */
	int pass;
	const char *check;    /* failing oracle, NULL when passed */
	const char *detail;
};

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
void ev_journal_close(struct ev_journal *j);
/* Number of results loaded on resume plus appended. */
size_t ev_journal_count(const struct ev_journal *j);

/* One journal line for r (malloc'ed, ends with '\n'). */
char *ev_result_line(const struct ev_result *r);

/* Summary over the whole journal (including resumed lines). */
void ev_journal_summary(const struct ev_journal *j, FILE *out);
int ev_journal_failures(const struct ev_journal *j);
int ev_journal_write_junit(const struct ev_journal *j, const char *path,
			   char *err, size_t errlen);

#endif
