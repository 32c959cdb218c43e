/*
 * mlive.h -- machine-level liveness of one IR expansion (EMIT-5, mlive.c),
 * and the helpers the back ends' describe hooks share.
 */
#ifndef GOSUB_MLIVE_H
#define GOSUB_MLIVE_H

#include <stddef.h>
#include <stdint.h>

#include "emit.h"

#define ML_TEXT 160

struct ml_entry {
	char text[ML_TEXT]; /* instruction (no tab), or a raw line "1:" */
	int raw;
	struct be_minfo mi; /* filled by ml_analyse for instructions */
};

struct ml_expansion {
	struct ml_entry *e;
	int n;
	uint64_t *live; /* out, n entries: GDB registers live before entry i */
	uint64_t *ptr;	/* out, n entries: of those, the pointers */
	uint64_t exit_live; /* live after the expansion's last instruction */
	uint64_t entry_ptr; /* pointer registers live before it */
	int dst;	    /* GDB register of the IR result, or -1 */
	int dst_ptr;
	/* Live registers at a branch target that is not a local label (an
	   IR label, the morestack block, the entry): NULL or a lookup. */
	uint64_t (*label_live)(void *ctx, const char *label);
	void *ctx;
};

/* The registers a stop may overwrite when dead: the allocatable ones and
   the back end's private scratch (GDB numbering). */
uint64_t ml_clobber_mask(const struct be_arch *a);

/* Describe every instruction and solve; 0, or -1 with a message. */
int ml_analyse(const struct be_arch *a, struct ml_expansion *x, char *err,
	       size_t errlen);

/* "mnem op, op(..,..), [a, b]": the mnemonic and up to maxops operands
   split at top-level commas; the operand count, or -1. */
int ml_split(const char *text, char *mnem, size_t mn, char ops[][48],
	     int maxops);

/* The start every describe hook shares: split text into m and ops (*n
   operands) and describe `ret` and the call mnemonic `call` (every register
   written; a call of runtime.morestack reads morestack_reg, where ABI-3
   passes the function's return address, unless it is -1; a call of
   runtime.gcWriteBarrier reads and writes only wb_regs, its two scratch
   arguments, abi.h ABI-8). 1: mi is complete; 0: the caller describes the
   rest; -1: text does not split. */
int ml_describe_common(const char *text, struct be_minfo *mi, char *m,
		       size_t mn, char ops[][48], int maxops, int *n,
		       const char *call, int morestack_reg, uint64_t wb_regs);

/* 1 when m is one of the NULL-terminated set. */
int ml_one_of(const char *m, const char *const *set);

/* Every register regnum() knows among the words of an operand (a register,
   a memory operand, an immediate), symbols' parts excepted. */
uint64_t ml_regs_in(const char *op, int (*regnum)(const char *name));

#endif
