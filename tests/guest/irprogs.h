/*
 * irprogs.h -- hand-built IR programs for gosub's back-end tests: the guest
 * tests (guestgen + run_guest.cmake) and the emitter unit test. Each program
 * carries its expected output, computed with Go semantics on the host.
 */
#ifndef GOSUB_IRPROGS_H
#define GOSUB_IRPROGS_H

#include "ir.h"

struct irprog {
	struct ir_program *prog;
	char *expected; /* stdout of the guest */
	char *cases;	/* one description per output line, for failures */
};

/* Build program "all" (every IR op and the calling convention) or one of
   its parts "arith", "mem", "calls", "alloc", "bigframe", "branch", for a
   target (it limits the registers the program may use). 0 or -1. */
int irprog_build(const char *name, const struct ir_target *t,
		 struct irprog *out);

void irprog_free(struct irprog *p);

/* Go's result of a binary IR op (IR_ADD .. IR_CMPULT). */
int64_t irprog_go_eval(int op, int64_t a, int64_t b);

#endif
