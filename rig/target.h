/*
 * target.h -- one program the rig sweeps: a workload built by gosub for
 * one arch (and, optionally, against one mutant runtime), with its
 * metadata (elfmeta), line table, hook symbols, build-id and the static
 * instruction list of its managed functions.
 *
 * Invariants:
 * TGT-1 insns lists every instruction start of every managed function, in
 *       address order, as the target's own objdump decodes the ELF: the
 *       sweep's static PC list, independent of whether a PC is reached;
 *       each text as objdump prints it but for the offsets of its symbol
 *       references, decimal as everywhere in the rig ("<main.push+184>").
 * TGT-2 Every hook and mailbox symbol of rig_abi.h is resolved, or opening
 *       fails naming the missing symbol.
 */
#ifndef EVERYPC_TARGET_H
#define EVERYPC_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "elfmeta.h"
#include "lines.h"
#include "reference.h"
#include "regs.h"

struct ev_insn {
	uint64_t pc;
	char *text; /* objdump's rendering, e.g. "mov x0, x9" */
};

/* One PC the metadata calls safe inside an unsafe window of the machine
   code (checkmeta.h, CM-2). */
struct cm_bad {
	uint64_t pc;
	char detail[320];
};

struct ev_target {
	int arch; /* enum ev_arch_id */
	const struct rig_regs *rr;
	const char *qemu;
	char *workload; /* as given */
	char *name;	/* basename of the workload */
	char *mutant;	/* NULL: the correct runtime */
	char *elf;
	struct elfmeta *m;
	struct ev_lines *lines;
	char build_id[2 * 64 + 1];
	struct ev_insn *insns;
	size_t ninsns;
	uint64_t sym_rig, sym_layout, hook_start, hook_end, hook_parked,
	    hook_throw, async_preempt;
	uint64_t hook_gc_done; /* 0 when the runtime has none */
	uint64_t hook_stack_copied;
	uint64_t hook_mark_slice; /* RIG-9 */
	struct ev_reference ref;  /* its expected output, once loaded (REF-1) */
	struct cm_bad *meta_bad;  /* check-meta's findings, once checked */
	size_t nmeta_bad;
	int meta_checked;
};

/* Build (when workload ends in .go) with gosub, disassemble with objdump
   (both found as paths.h says) into builddir, and open. */
int ev_target_open(struct ev_target *t, int arch, const char *workload,
		   const char *mutant, const char *builddir, char *err,
		   size_t errlen);
void ev_target_close(struct ev_target *t);

const struct elfmeta_func *ev_target_func(const struct ev_target *t,
					  const char *name);
/* Instructions of f: *first index into t->insns and *n. */
void ev_target_func_insns(const struct ev_target *t,
			  const struct elfmeta_func *f, size_t *first,
			  size_t *n);
/* Line of pc (0 when unknown). */
int ev_target_line(const struct ev_target *t, uint64_t pc);

#endif
