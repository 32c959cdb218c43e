/*
 * report.h -- the sweep's HTML report: one self-contained page (inline CSS,
 * no script, no external resource; readable without JavaScript) with a
 * header saying what ran, the totals per arch, the failures grouped as the
 * digest groups them (digest.h), the functions, each with its overview
 * strip (one cell per PC x (action, hit), coloured by verdict, a link to
 * the PC's row), then one table per (arch, workload, mutant, function) with
 * one row per PC (offset, pc, source line and its text, safety,
 * disassembly), one cell per (action, hit) column holding the observed
 * verdict, and the failing cells' oracle and detail. Offsets are "+N",
 * decimal (DIG-2).
 *
 * The module knows nothing of the sweep: it takes an array of rows, one per
 * case, in the sweep's canonical order (SWP-1).
 *
 * Invariants:
 * RPT-1 The page depends only on the title and the rows (no clock, no host
 *       path, no address): the same rows give a byte-identical file.
 * RPT-2 Every string taken from a row or the title is escaped (& < > " ')
 *       wherever it lands, text or attribute; a byte that is not valid
 *       UTF-8, or a control character, becomes U+FFFD; a link's target is
 *       percent-encoded, so it is always a relative path.
 * RPT-3 Rows group by consecutive equal keys only: consecutive rows with
 *       the same (arch, workload, mutant, func) form one section, and within
 *       it consecutive rows with the same pc form one table row. Nothing
 *       else is assumed of the order; a section's columns are the distinct
 *       (action, hit) pairs of its rows, sorted. The work is O(n log n),
 *       but for the failures: O(failures x groups).
 * RPT-4 The page is written to PATH.tmp, flushed to disk, then renamed over
 *       PATH: a crash leaves the old report or the new one, never half of
 *       one. On any error the temporary file is removed.
 */
#ifndef EVERYPC_REPORT_H
#define EVERYPC_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "journal.h"

struct ev_report_row {
	struct ev_result res; /* the case's journalled result */
	const char *disasm;   /* objdump text, e.g. "mov x0, x9" */
	const char *safety;   /* "safe" or the unsafe kind, e.g. "prologue" */
	const char *scenario; /* the failure's scenario file, relative to the
				 report's directory, or NULL */
	const char *source;   /* the text of the source line, or NULL */
};

/* Write the report of rows[0..n) to path (RPT-4). title: the page's
   title, then one "key: value" line per fact of its header (after the
   arches and the number of cases, counted here). Any string may be NULL
   (shown empty). Returns 0, or -1 with err = "FILE: reason". */
int ev_report_write_html(const char *path, const char *title,
			 const struct ev_report_row *rows, size_t n, char *err,
			 size_t errlen);

#endif
