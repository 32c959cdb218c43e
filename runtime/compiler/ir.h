/*
 * ir.h -- gosub's machine-neutral IR: the one interface between the middle
 * end (lower.c: AST -> IR, escape analysis, spilling, liveness) and the three
 * back ends (amd64.c, arm64.c, riscv64.c: IR -> GNU assembler + metadata).
 *
 * The IR is already register-allocated onto an *abstract* register file that
 * each back end maps 1:1 onto machine registers (struct ir_target):
 *   T0..T(ntemps-1)  expression temporaries, allocated as an evaluation stack
 *   V0..V(nvars-1)   homes of register-allocated local variables
 * Locals live in their V register between calls and are spilled to their
 * frame home before every call they are live across and reloaded after it
 * (ABI-1 of everypc/abi.h); this is the Go model that makes a pointer live
 * only in a register at some PCs.
 *
 * INVARIANTS (cited as "IR-n"):
 *
 * IR-1  A back end expands each IR instruction into one or more machine
 *       instructions. It may use its private scratch registers (ABI-4) and,
 *       when dst is not also a source, dst itself as scratch; otherwise dst
 *       is written only by the expansion's last machine instruction. Nothing
 *       else is clobbered (IR_CALL clobbers every abstract register).
 *
 * IR-2  Every instruction carries its live-in pointer set (live_ptr_regs,
 *       live_ptr_words): the abstract registers and frame words that hold a
 *       pointer the program will still use, before it executes. A back end
 *       emits one oracle record per instruction covering all PCs of its
 *       expansion with that set (registers translated to GDB numbers).
 *
 * IR-3  Frame layout (machine-neutral, ABI-2): frame words are numbered from
 *       SP: word w is at SP + 8*w. [0, nout) is the outgoing-argument area,
 *       locals and spill homes follow, the top two words [F/8-2, F/8) are the
 *       link area (saved FP / return address) the back end fills in its
 *       prologue. frame_words = F/8 is even. Parameters are not in the frame:
 *       IR_LDPARAM / IR_STPARAM address them, and the result is parameter
 *       number nparams.
 *
 * IR-4  The prologue (stack check, frame set-up) and epilogue are generated
 *       by the back end around the body; IR_RET is the only exit. The back end
 *       records them as unsafe ranges. Instructions with `unsafe` set (the
 *       inline allocation) are a GC-atomic unsafe range.
 *
 * IR-5  Every IR_CALL has a call-site map (callmap, frame_words bits): the
 *       live pointer frame words at the call, including pointer outgoing
 *       arguments of that call. Stack-object words are never in it.
 *
 * IR-6  Every instruction also carries every live value, pointer or not:
 *       live_regs_in/out (abstract registers) and live_words (frame words
 *       read later before being written; untracked words always count), and
 *       IR_CALL callmap_all (the words live during the call). emit.c refines
 *       them to each machine instruction of the expansion (EMIT-5), and the
 *       rig overwrites everything else at a stop (META-8).
 *
 * IR-7  An IR_STORE with wb set stores a pointer somewhere other than the
 *       function's own frame and stack objects (the heap, a global, or
 *       whatever a pointer points at): the back end expands it to abi.h
 *       ABI-8's barrier sequence, flag test, runtime.gcWriteBarrier and the
 *       store, and the emitter records the whole expansion as a
 *       write-barrier unsafe range. Stores known to hit the frame or a stack
 *       object (addressed through ADDRFRAME or a stack object's anchor,
 *       also when written *&x, (&x).f or (&a)[i]) never have wb set, as in
 *       Go's compiler; a store through a pointer variable has it, wherever
 *       the pointer points.
 */
#ifndef GOSUB_IR_H
#define GOSUB_IR_H

#include <stdint.h>
#include <stdio.h>

#define IR_MAX_REGS 32 /* abstract registers: temps then vars */

/* Operand roles of an op (ir_op_uses()): which fields it reads. */
enum ir_use {
	IR_U_DST = 1,
	IR_U_A = 2,
	IR_U_B = 4,	 /* register b unless bimm */
	IR_U_LABEL = 8,	 /* imm is a label */
	IR_U_FRAME = 16, /* imm is a frame word */
	IR_U_PARAM = 32, /* imm is a parameter (or the result) */
	IR_U_SYM = 64,
	IR_U_BIMM = 128, /* bimm allowed */
	IR_U_BINARY = IR_U_DST | IR_U_A | IR_U_B | IR_U_BIMM,
};

/* The operations, from ir_ops.def (one line each, with its meaning). */
enum ir_op {
#define IR_OP(name, str, uses) IR_##name,
#include "ir_ops.def"
#undef IR_OP
	IR_NUM_OPS
};

/* The comparisons IR_CMPEQ..IR_CMPULT, for back-end tables. */
#define IR_NUM_CMP (IR_CMPULT - IR_CMPEQ + 1)
_Static_assert(IR_NUM_OPS <= 256, "an op fits ir_insn.op");

/* An abstract register number: 0..ntemps-1 temps, then vars. */
typedef int8_t ir_reg;
#define IR_NOREG ((ir_reg)-1)

struct ir_insn {
	uint8_t op;	 /* enum ir_op */
	uint8_t bimm;	 /* b is imm (binary ops) */
	uint8_t unsafe;	 /* part of a GC-atomic range */
	uint8_t dst_ptr; /* dst receives a pointer (for liveness typing) */
	uint8_t wb;	 /* IR_STORE: behind the write barrier (IR-7) */
	uint8_t wbcell;	 /* IR_STORE with wb: into an escaped local's cell */
	uint8_t wbstack; /* IR_STORE of a pointer into a stack object (no wb) */
	ir_reg dst, a, b;
	int64_t imm, imm2;
	int label;	 /* IR_ALLOC's slow-path label */
	const char *sym; /* IR_ADDRSYM, IR_CALL */
	int line, col;	 /* source position, for .loc */
	/* Filled by liveness (IR-2, IR-5). */
	uint32_t live_ptr_regs;	 /* bit r: abstract register r */
	uint8_t *live_ptr_words; /* frame_words bits, or NULL when empty */
	uint8_t *callmap;	 /* IR_CALL only: frame_words bits */
	/* Every live value, pointer or not (IR-6): the registers live before
	   and after the instruction, the frame words holding a value the
	   program still reads before it (untracked words -- composite locals,
	   stack objects, the link area -- always count), and for IR_CALL the
	   words live during the call. For the rig's clobbering (META-8). */
	uint32_t live_regs_in, live_regs_out;
	uint8_t *live_words;  /* frame_words bits, never NULL */
	uint8_t *callmap_all; /* IR_CALL only: frame_words bits */
};

struct ir_stackobj {
	int word; /* first frame word */
	int nwords;
	uint8_t *ptrmask; /* nwords bits */
};

struct ir_func {
	const char *name; /* "main.f" */
	int line;	  /* declaration line */
	int nparams;	  /* parameter words */
	int has_result;
	uint64_t params_ptrmask; /* bit i: parameter i is a pointer */
	int frame_words;	 /* F/8, even, includes the link area (IR-3) */
	int nout;		 /* outgoing-argument words */
	int nlabels;
	struct ir_insn *code;
	int ncode, capcode;
	struct ir_stackobj *stackobjs;
	int nstackobjs;
};

struct ir_type { /* a heap-allocated type, indexed by IR_ALLOC / newobject */
	const char *name;
	int nwords;
	uint8_t *ptrmask;
};

struct ir_global {
	const char *sym; /* assembler symbol, e.g. "main.head" */
	int nwords;
	uint8_t *ptrmask;
	int64_t *init; /* nwords initial values (constants only) */
};

struct ir_string { /* a string literal in .rodata */
	const char *sym;
	const char *bytes;
	int len;
};

struct ir_program {
	const char *source_file;
	struct ir_func *funcs;
	int nfuncs;
	struct ir_type *types;
	int ntypes;
	struct ir_global *globals;
	int nglobals;
	struct ir_string *strings;
	int nstrings;
	unsigned mutants; /* planted bugs, IR_MUTANT_* (gosub -mutant) */
};

/* A compiler mutant (main.c names them): the prologue's unsafe range ends
   one machine instruction early (emit.c). */
#define IR_MUTANT_SHORT_PROLOGUE 1u
/* A compiler mutant: write-barrier windows (IR-7) get no unsafe range. */
#define IR_MUTANT_WB_RANGE_UNMARKED 2u
/* A compiler mutant: stores into an escaped local's heap cell skip the
   write barrier, as if the local were on the stack (ir_plant_mutants). */
#define IR_MUTANT_WB_ESCAPED_SKIP 4u
/* A compiler mutant: pointer stores into a stack object of the storing
   function's own frame take the write barrier, as if into the heap. */
#define IR_MUTANT_WB_FRAME_TAKEN 8u
/* Apply the mutants that change IR decisions (after lowering, before the
   back end: liveness, metadata and code all see the same planted bug). */
void ir_plant_mutants(struct ir_program *p);

/* What the middle end needs to know of a target (one per back end). */
struct ir_target {
	const char *name; /* "amd64", "arm64", "riscv64" */
	int arch;	  /* enum ep_arch */
	int ntemps, nvars;
	/* GDB register number of each abstract register (META-6). */
	int gdbreg[IR_MAX_REGS];
	/* Emit the whole program as GNU assembler text: code, .loc lines,
	   everypc_meta tables and the .everypc_oracle section. Returns 0, or -1
	   after printing an error. */
	int (*emit)(const struct ir_program *prog, FILE *out);
};

extern const struct ir_target ir_target_amd64, ir_target_arm64,
    ir_target_riscv64;

/* Name of an op, for dumps and errors. */
const char *ir_opname(int op);

/* Operand roles of an op (enum ir_use bits), or -1 for an unknown op. */
int ir_op_uses(int op);

/* Print a function's IR readably (gosub -dump-ir). */
void ir_dump_func(const struct ir_func *f, const struct ir_target *t,
		  FILE *out);

#endif
