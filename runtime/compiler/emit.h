/*
 * emit.h -- gosub's arch-neutral emitter and the interface of the per-arch
 * back ends (amd64.c, arm64.c, riscv64.c), QBE style: every back end is one
 * file with the same shape, exporting one struct be_arch of hooks.
 *
 * The emitter (emit.c) walks the IR program and owns everything that is not
 * an instruction encoding: labels, sections, .loc lines, the everypc_meta
 * tables (meta.h), the .everypc_oracle section, globals and strings. A back
 * end only writes machine instructions through be_ins().
 *
 * INVARIANTS (cited as "EMIT-n"):
 *
 * EMIT-1 The emitter puts a local label before every IR instruction and after
 *        the last one, so [label_k, label_k+1) is the whole expansion of
 *        instruction k. Hooks must not switch sections and must not emit
 *        anything that is not part of that expansion.
 * EMIT-2 IR_CALL's expansion ends with the call instruction itself, so the
 *        label after it is the return address (call-site map key, META-3).
 * EMIT-3 The prologue hook emits, in order, the stack check (branching to the
 *        morestack label), the frame set-up, and nothing else; the epilogue
 *        hook emits the frame tear-down and the return (IR_RET); the
 *        morestack hook emits the block that calls runtime.morestack and
 *        jumps back to the entry label. All three are unsafe ranges with
 *        empty oracle records (META-5, META-6).
 * EMIT-4 Hooks only see IR the emitter has already validated: register
 *        numbers, labels, frame words and size classes are in range.
 * EMIT-5 Every machine instruction gets its own oracle record (META-6,
 *        META-8): the emitter buffers an expansion, has the back end
 *        describe each instruction (describe: registers read and written,
 *        control flow) and computes the registers live before each one and
 *        which of them hold pointers (mlive.c). An instruction a back end
 *        cannot describe is an internal error.
 */
#ifndef GOSUB_EMIT_H
#define GOSUB_EMIT_H

#include <stdio.h>

#include "ir.h"

struct emit; /* emitter state, opaque to back ends */

/* One machine instruction as its back end describes it (EMIT-5). */
enum be_kind {
	BE_M_OTHER, /* writes def from uses some other way */
	BE_M_COPY,  /* def = src, a register copy */
	BE_M_CONST, /* def = a constant or a symbol's address */
	BE_M_ADD,   /* def = a use plus or minus something (derived pointer) */
};
enum be_flow {
	BE_F_NEXT,   /* falls through */
	BE_F_BRANCH, /* to target or falls through */
	BE_F_JUMP,   /* to target only */
	BE_F_RET,    /* leaves the function */
};
struct be_minfo {
	uint64_t def, use; /* GDB registers written and read */
	int kind;	   /* enum be_kind */
	int src;	   /* BE_M_COPY: GDB register copied */
	int flow;	   /* enum be_flow; a call falls through */
	char target[64];   /* BE_F_BRANCH, BE_F_JUMP: the label */
};

struct be_arch {
	const struct ir_target *target;
	const char *regname[IR_MAX_REGS]; /* abstract register -> asm name */
	const char *const *gdbname;	  /* GDB register n -> name (META-6) */
	int ngdb;
	/* Per-arch directives at the top of the file (may be NULL). */
	void (*preamble)(struct emit *e);
	void (*prologue)(struct emit *e, const struct ir_func *f,
			 const char *morestack);
	/* One IR instruction other than IR_LABEL and IR_RET. */
	void (*insn)(struct emit *e, const struct ir_func *f,
		     const struct ir_insn *in);
	void (*epilogue)(struct emit *e, const struct ir_func *f);
	void (*morestack)(struct emit *e, const struct ir_func *f,
			  const char *entry);
	/* Describe one instruction this back end writes (EMIT-5): 0, or -1
	   when it is not one the back end knows. */
	int (*describe)(const char *text, struct be_minfo *mi);
	uint64_t scratch; /* GDB registers of the private scratch (ABI-4) */
};

extern const struct be_arch be_amd64, be_arm64, be_riscv64;

/* Emit prog for arch a (the body of every ir_target.emit). */
int emit_program(const struct be_arch *a, const struct ir_program *prog,
		 FILE *out);

/* The back end of an enum ep_arch value, or NULL. */
const struct be_arch *be_by_arch(int arch);

/* Write one machine instruction ("\t" fmt "\n"). */
void be_ins(struct emit *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Write a raw line (a local numeric label such as "1:"). */
void be_raw(struct emit *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The assembler name of IR label n of the function being emitted. */
const char *be_label(struct emit *e, int n);

/* Frame size F in bytes of f (ABI-2). */
long be_frame_size(const struct ir_func *f);

/* Byte size of size class c (abi.h EP_SIZE_CLASSES). */
long be_class_size(int c);

#endif
