/*
 * lower_emit.c -- appending IR instructions for the function being lowered:
 * to its body or, while in_ool, to its out-of-line blocks; labels, the
 * temp stack and IR_CALL with its V-register owner snapshot (struct
 * callrec).
 */
#include <string.h>

#include "lower.h"

int lw_loc(int n) { return -1 - n; }

struct ir_insn *lw_emit(struct lower *l, int op)
{
	struct ir_insn in;
	memset(&in, 0, sizeof(in));
	in.op = (uint8_t)op;
	in.dst = in.a = in.b = IR_NOREG;
	in.line = l->fn.line;
	in.col = l->fn.col;
	if (l->fn.in_ool) {
		FE_PUSH(l->fx, l->fn.ool, l->fn.nool, l->fn.capool, in);
		return &l->fn.ool[l->fn.nool - 1];
	}
	FE_PUSH(l->fx, l->fn.code, l->fn.ncode, l->fn.capcode, in);
	return &l->fn.code[l->fn.ncode - 1];
}

int lw_new_label(struct lower *l) { return l->fn.ir->nlabels++; }

void lw_label(struct lower *l, int lb) { lw_emit(l, IR_LABEL)->imm = lb; }

void lw_jump(struct lower *l, int op, ir_reg a, int lb)
{
	struct ir_insn *in = lw_emit(l, op);
	in->a = a;
	in->imm = lb;
}

void lw_at(struct lower *l, const struct node *n)
{
	if (n) {
		l->fn.line = n->line;
		l->fn.col = n->col;
	}
}

ir_reg lw_temp(struct lower *l)
{
	if (l->fn.sp >= l->t->ntemps)
		fe_fatal(l->fx, l->fn.line, l->fn.col,
			 "expression too complex for gosub (needs more than "
			 "%d temporaries on %s)",
			 l->t->ntemps, l->t->name);
	return (ir_reg)l->fn.sp++;
}

int lw_is_temp(struct lower *l, ir_reg r) { return r >= 0 && r < l->t->ntemps; }

void lw_movi(struct lower *l, ir_reg d, int64_t v)
{
	struct ir_insn *in = lw_emit(l, IR_MOVI);
	in->dst = d;
	in->imm = v;
}

void lw_mov(struct lower *l, ir_reg d, ir_reg a, int ptr)
{
	if (d == a)
		return;
	struct ir_insn *in = lw_emit(l, IR_MOV);
	in->dst = d;
	in->a = a;
	in->dst_ptr = (uint8_t)ptr;
}

void lw_ldframe(struct lower *l, ir_reg d, int word, int ptr)
{
	struct ir_insn *in = lw_emit(l, IR_LDFRAME);
	in->dst = d;
	in->imm = word;
	in->dst_ptr = (uint8_t)ptr;
}

void lw_stframe(struct lower *l, int word, ir_reg a, int ptr)
{
	struct ir_insn *in = lw_emit(l, IR_STFRAME);
	in->a = a;
	in->imm = word;
	in->dst_ptr = (uint8_t)ptr;
}

void lw_binop(struct lower *l, int op, ir_reg d, ir_reg a, ir_reg b, int ptr)
{
	struct ir_insn *in = lw_emit(l, op);
	in->dst = d;
	in->a = a;
	in->b = b;
	in->dst_ptr = (uint8_t)ptr;
}

void lw_binopi(struct lower *l, int op, ir_reg d, ir_reg a, int64_t imm,
	       int ptr)
{
	struct ir_insn *in = lw_emit(l, op);
	in->dst = d;
	in->a = a;
	in->bimm = 1;
	in->imm = imm;
	in->dst_ptr = (uint8_t)ptr;
}

void lw_load(struct lower *l, ir_reg d, ir_reg base, int64_t off, int ptr)
{
	struct ir_insn *in = lw_emit(l, IR_LOAD);
	in->dst = d;
	in->a = base;
	in->imm = off;
	in->dst_ptr = (uint8_t)ptr;
}

void lw_store(struct lower *l, ir_reg base, int64_t off, ir_reg v, int ptr,
	      int site)
{
	struct ir_insn *in = lw_emit(l, IR_STORE);
	in->a = base;
	in->b = v;
	in->imm = off;
	in->dst_ptr = (uint8_t)ptr;
	in->wb = (uint8_t)(ptr && site != LW_STACK);
	in->wbcell = (uint8_t)(ptr && site == LW_CELL);
	in->wbstack = (uint8_t)(ptr && site == LW_STACK);
}

int place_site(const struct place *pl)
{
	return pl->onstack ? LW_STACK : pl->cell ? LW_CELL : LW_HEAP;
}

/* An IR_CALL of sym with nargs argument words already stored. */
struct ir_insn *lw_call(struct lower *l, const char *sym, int nargs,
			int has_result, int result_ptr)
{
	struct callrec rec;
	memcpy(rec.owner, l->fn.vowner, sizeof(rec.owner));
	FE_PUSH(l->fx, l->fn.calls, l->fn.ncalls, l->fn.capcalls, rec);
	struct ir_insn *in = lw_emit(l, IR_CALL);
	in->sym = sym;
	in->imm = nargs;
	in->imm2 = has_result;
	in->dst_ptr = (uint8_t)result_ptr;
	in->label = l->fn.ncalls - 1;
	if (nargs + has_result > l->fn.nout)
		l->fn.nout = nargs + has_result;
	return in;
}
