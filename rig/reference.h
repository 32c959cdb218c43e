/*
 * reference.h -- what a workload must print: the outcome oracle's
 * reference (issue 12, item 2).
 *
 * INVARIANTS (cited as "REF-n"):
 *
 * REF-1 The reference of a workload W.go is the file W.out beside it, the
 *       checked-in output of `go run W.go` (every byte Go's println writes
 *       to stderr; the program exits 0). Without W.out it is the output of
 *       `go run W.go` itself, run with $EVERYPC_GO (default: go in $PATH),
 *       cached by the FNV-1a hash of the source's bytes in the cache
 *       directory (cache.h, CACHE-1) as goref/<hash>.out; no go is an
 *       error that says so. A workload given as an ELF W.elf (or W) has
 *       the reference W.out beside it, or none: an error.
 *
 * REF-2 The baseline iteration's output (RIG-6: the FNV-1a hash and the
 *       byte count of everything it wrote) must equal the reference's
 *       before any case of the workload runs, with the correct runtime
 *       and with a mutant alike; otherwise every case fails as `baseline`.
 *       The reference is the program's meaning, not the same build's own
 *       run: a bug that corrupts every run alike is seen.
 *
 * REF-3 A mismatch names the first differing line. The persistent
 *       iteration's output is only hashed (req_quiet), so the rig runs the
 *       ELF once more, plainly, and compares what it prints; it says
 *       whether that plain run printed what the iteration hashed.
 */
#ifndef EVERYPC_REFERENCE_H
#define EVERYPC_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "cache.h" /* ev_fnv1a */

struct ev_reference {
	int loaded;
	char *text; /* the expected output, NUL-terminated */
	size_t len;
	uint64_t hash; /* FNV-1a of text[0..len) (RIG-6) */
	char *origin;  /* for messages: "list.out", "go run list.go" */
};

/* go run's time limit, compiling included */
#define GO_RUN_TIMEOUT_S 120

/* REF-1: load workload's reference into r (idempotent). go run gets at
   most timeout_s seconds. 0, or -1 with err. */
int ev_reference_load(struct ev_reference *r, const char *workload,
		      int timeout_s, char *err, size_t errlen);
void ev_reference_free(struct ev_reference *r);

/* REF-3: describe how got[0..n) differs from the reference, starting with
   the first differing line ("line 3: list.out has "...", ... printed
   "..."); who names what printed got. */
void ev_reference_diff(const struct ev_reference *r, const char *got, size_t n,
		       const char *who, char *out, size_t outn);

/* Run argv (argv[0] searched in $PATH) with stdin and stdout on /dev/null
   and stderr into a malloc'd buffer (*text, *len; NUL-terminated), killed
   after timeout_s seconds. envp NULL: ours. The exit status, or -1 with
   err (a timeout, or it could not run). */
int ev_capture_stderr(char *const *argv, const char *cwd, char *const *envp,
		      int timeout_s, char **text, size_t *len, char *err,
		      size_t errlen);

#endif
