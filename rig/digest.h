/*
 * digest.h -- the failures as people act on them: grouped by arch,
 * workload, mutant, function and failing oracle, each group with its first
 * case spelt out (PC, source line, action, the oracle's detail, the command
 * that replays it). The digest printed at the end of a sweep or a replay
 * and the report's failure section use the same groups (ev_fail_groups).
 *
 * Invariants:
 * DIG-1 Groups come in the order of their first case in rows; a group's
 *       first case is its first in rows. Only failing rows are grouped.
 * DIG-2 One offset notation wherever a person reads one: "func+N", N the
 *       decimal byte offset from the function's entry (as the journal's
 *       "offset", the scenario names, JUnit and `everypc list`); the
 *       absolute PC is hex, "0x401a2c".
 * DIG-3 The output depends only on the rows, the directory and the
 *       program name given (no clock, no host address).
 */
#ifndef EVERYPC_DIGEST_H
#define EVERYPC_DIGEST_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

struct ev_fail_group {
	size_t first; /* index in rows of the group's first case */
	size_t count; /* its failing cases */
};

/* DIG-1: the groups of rows[0..n) into g (room for n); returns how many.
   group_of (NULL, or room for n): each row's group, (size_t)-1 for a
   passing row. */
size_t ev_fail_groups(const struct ev_report_row *rows, size_t n,
		      struct ev_fail_group *g, size_t *group_of);

/* The replay command of failing row r, shell-quoted where needed:
   "everypc replay DIR/SCENARIO" (dir NULL: the scenario path as is). */
void ev_replay_command(const struct ev_report_row *r, const char *dir,
		       char *buf, size_t n);

/* The digest of rows[0..n) to f: a line counting the failing cases and
   groups, then per group (at most max_groups) its count, its first case's
   function+offset, PC, source file:line and text, action and hit, the
   oracle's detail and the replay command (when it has a scenario); then "and N
   more groups (M cases)". Nothing without failures. dir: where the scenarios'
   paths are relative to (NULL: as is). */
void ev_digest_print(FILE *f, const struct ev_report_row *rows, size_t n,
		     const char *dir, size_t max_groups);

/* The digest of one case r (everypc replay): its scenario file as given,
   the source text read from workload when r's line is one of its own. */
void ev_digest_one(FILE *f, const struct ev_result *r, const char *scenario,
		   const char *workload);

#endif
