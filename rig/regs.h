/*
 * regs.h -- the rig's per-arch knowledge, one table per target in
 * arch/<arch>.c (same file name and shape for each; the core has no arch
 * #ifdefs): the registers, and the debug-call facts (debugcall.h).
 *
 * INVARIANTS (cited as "REGS-n"):
 *
 * REGS-1 Every name in a table is a register name of QEMU 7.2's target.xml
 *        for that arch (captured in tests/rsp/<qemu arch>/; the unit test
 *        checks each table against its capture with rig_regs_check). The
 *        rig locates registers through the parsed description, never by a
 *        hard-coded g offset.
 *
 * REGS-2 gpr[] is indexed by the register numbers of the oracle maps
 *        (META-6 in meta.h), which are GDB's numbers for those registers.
 *
 * REGS-3 compare[] is the register oracle's set: every integer register,
 *        PC, SP and flags, minus the ABI-6 resume register (abi.h), which
 *        asyncPreempt is allowed to clobber. Floating-point and vector
 *        registers are not compared: managed code does not use them.
 */
#ifndef EVERYPC_REGS_H
#define EVERYPC_REGS_H

#include "rsp.h"
#include "targetxml.h"

#include <stddef.h>
#include <stdint.h>

/* The debug-call facts of an arch (debugcall.h, RDC-1). */
struct dc_arch {
	const char *name; /* "amd64", "arm64", "riscv64" */
	int pc, sp, lr;	  /* lr: -1 when CALL pushes the return address */
	int status;	  /* the status register */
	uint32_t trap;	  /* trap instruction, little-endian */
	unsigned trap_len;
	unsigned stop_after; /* stop PC - trap address (amd64 1, else 0) */
	unsigned advance;    /* PC += advance to continue (amd64 0, else 4) */
};

/* The machine-code facts check-meta needs (checkmeta.c, CM-1..4), read
   from objdump's rendering of one instruction. */
enum insn_class {
	INSN_OTHER,
	INSN_SETUP, /* builds the frame: lowers SP, saves RA or FP, sets FP */
	INSN_TEARDOWN, /* undoes any of that */
	INSN_RET,
	INSN_CALL,
	INSN_IJUMP /* a jump to an address in a register: targets unknown */
};
/* What one instruction does to one register (insn_rules.defines, CM-4). */
enum insn_def {
	DEF_NONE,  /* leaves it alone */
	DEF_ADDR,  /* sets it to base + off, without reading memory */
	DEF_LOAD,  /* loads it with the word at base + off */
	DEF_OTHER, /* writes it some other way (or part of it) */
};
struct insn_def_of {
	enum insn_def kind;
	char base[16]; /* DEF_ADDR, DEF_LOAD: as objdump names it */
	long long off;
};
struct insn_rules {
	enum insn_class (*classify)(const char *text);
	/* 1 when text loads a word from [lo, hi) into a register (its name
	   into reg); prev is the instruction before it (address formation),
	   prev_pc its address. */
	int (*loads_from)(const char *prev, uint64_t prev_pc, const char *text,
			  uint64_t lo, uint64_t hi, char *reg, size_t n);
	/* 1 when text stores through register reg (a store into the object
	   reg points to). */
	int (*stores_via)(const char *text, const char *reg);
	/* 1 when text writes register reg (other than by a load from the
	   allocator): the object's base is gone from it. */
	int (*writes)(const char *text, const char *reg);
	/* CM-4: how text sets reg (named as objdump names the full
	   register: "%rax", "x16", "t0"); any write to a part of it (eax,
	   w16) or by an implicit operand is DEF_OTHER. */
	enum insn_def (*defines)(const char *text, const char *reg,
				 struct insn_def_of *d);
	/* CM-4: 1 when text writes frame memory at [sp + *off, sp + *off +
	   8 * *nwords); src gets the register it stores when it stores one
	   whole register into one word, else "". */
	int (*frame_store)(const char *text, long long *off, int *nwords,
			   char *src, size_t n);
	const char *sp;	     /* SP as objdump names it */
	const char *wb_slot; /* ABI-8: gcWriteBarrier's slot register */
};

struct rig_regs {
	const char *arch;	/* "amd64", "arm64", "riscv64" */
	int ep_arch;		/* enum ep_arch of abi.h */
	const char *qemu;	/* QEMU user-mode binary name */
	const char *tdesc_arch; /* <architecture> of QEMU's target.xml */
	const char *pc, *sp, *fp;
	const char *lr;	    /* link register; NULL when CALL pushes it */
	const char *g;	    /* ABI-4 goroutine register */
	const char *resume; /* ABI-6 resume register; NULL on amd64 */
	/* The C ABI's first three integer argument registers: the arguments
	   of a runtime hook function at its entry (RIG-3). */
	const char *cargs[3];
	unsigned break_kind; /* Z0 kind (QEMU ignores it; GDB's value) */
	/* Managed frames (abi.h ABI-2), for the rig's backtraces: the return
	   address is at SP + F - ra_from_top, the caller's SP is
	   SP + F + ra_push. */
	unsigned ra_from_top, ra_push;
	size_t ngpr; /* REGS-2 */
	const char *const *gpr;
	/* gosub's allocatable registers (ABI-4: its temps and variables), in
	   GDB order: the ones the state catalogue counts one by one as the
	   only holder of a live pointer (states.h, STA-1). */
	size_t nalloc;
	const char *const *alloc;
	size_t ncompare; /* REGS-3 */
	const char *const *compare;
	struct dc_arch dc;
	struct insn_rules insn;
};

/* Helpers of the per-arch insn_rules (regs.c), over objdump's text with
   its runs of blanks taken as one: text begins with prefix (mnemonic and
   operands); the address objdump's comment names ("# 50b268 <sym+8>", 0
   when none); the operands, comment ("# " or "//" on) dropped, into buf
   (arm64's immediates, "#440", stay). */
int insn_starts(const char *text, const char *prefix);
uint64_t insn_comment_addr(const char *text);
const char *insn_operands(const char *text, char *buf, size_t n);
/* Split operands (insn_operands' buf) in place at the commas outside the
   pair brackets ("()" or "[]"), blanks after a comma dropped: the count
   (at most max; -1 when there are more), the operands into op. */
int insn_split(char *ops, char **op, int max, const char *brackets);
/* The last operand is a memory operand based on reg: "...,OFF(reg)". */
int insn_based_on(const char *text, const char *reg);

extern const struct rig_regs rig_regs_amd64;
extern const struct rig_regs rig_regs_arm64;
extern const struct rig_regs rig_regs_riscv64;

/* By arch name ("amd64", "arm64", "riscv64"); NULL if unknown. */
const struct rig_regs *rig_regs_find(const char *arch);

/* ABI-2: a managed frame of F bytes at sp keeps its return address at
   rig_ra_slot() and its caller's frame starts at rig_caller_sp(). The one
   unwinding step of backtraces, the reachability oracle and clobbering. */
uint64_t rig_ra_slot(const struct rig_regs *rr, uint64_t sp, uint32_t F);
uint64_t rig_caller_sp(const struct rig_regs *rr, uint64_t sp, uint32_t F);

/* REGS-1: every name of the table is in td, and td is for this arch. */
int rig_regs_check(const struct rig_regs *rr, const struct tdesc *td,
		   struct rsp_error *err);

#endif
