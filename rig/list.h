/*
 * list.h -- everypc list: what `objdump -S` shows of a workload's managed
 * functions, and what no disassembler knows. Per instruction: the absolute
 * PC, func+offset (decimal, as in the journal, scenario names and the
 * digest), the source line (file:line and the workload's own text, once
 * per run of PCs on the same line), the disassembly (the target's objdump,
 * target.h), whether an asynchronous stop is safe there (else the unsafe
 * range's kind) and the live pointers there (the registers and the
 * SP-relative stack slots of the pointer map).
 *
 * Invariants:
 * LIST-1 Nothing is printed unless every arch asked for opens (built,
 *        disassembled, built for that arch) and holds every function
 *        named; otherwise one line naming the arch or the function (with
 *        the nearest known name) and exit status 2.
 * LIST-2 The output depends only on the workload, the toolchain and the
 *        request: no host address, time or directory of ours appears.
 */
#ifndef EVERYPC_LIST_H
#define EVERYPC_LIST_H

#include <stddef.h>
#include <stdio.h>

struct ev_list_request {
	const char *path;  /* the workload (.go) or ELF, as found */
	const char *shown; /* its name as the user gave it */
	const char *funcs; /* comma list; NULL: every managed function */
	const int *arches; /* enum ev_arch_id; narches 0: the default */
	size_t narches;
	const char *builddir; /* where .go workloads are built */
	int check_meta;	      /* check-meta: CM-2 instead of the listing */
};

/* The default arches: an ELF's own, else every arch. Lists req to out;
   returns 0, or 2 with one line on stderr (LIST-1). With check_meta:
   every function asked for checked against its machine code
   (checkmeta.h), one line per PC the metadata wrongly calls safe and a
   last line per arch; 0 when there is none, else 1. */
int ev_list_run(const struct ev_list_request *req, FILE *out);

#endif
