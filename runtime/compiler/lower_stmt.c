/*
 * lower_stmt.c -- statements: declarations, assignments, if, for (break and
 * continue labels), go, return, send; hidden variables are released at the
 * end of each statement and scoped ones at the end of each block.
 */
#include <string.h>

#include "lower.h"

static void lower_stmt(struct lower *l, struct node *s);

/* ExpressionStmt = Expression . */
static void lower_exprstmt(struct lower *l, struct node *s)
{
	struct node *x = s->a;
	while (x->kind == N_PAREN)
		x = x->a;
	if (x->kind == N_CALL) {
		if (x->builtin == B_PRINTLN) {
			lower_println(l, x);
			return;
		}
		if (x->builtin == B_PANIC) {
			struct node *a = x->list[0];
			while (a->kind == N_PAREN)
				a = a->a;
			lw_at(l, x);
			string_args(l, a->str, a->slen, lw_temp(l));
			l->fn.sp = 0;
			lw_call(l, "runtime.panicstr", 2, 0, 0);
			return;
		}
		if (x->builtin != B_NEW && x->builtin != B_MAKE) {
			for (int i = 0; i < x->nlist; i++)
				hoist(l, x->list[i]);
			emit_call(l, x, 0);
			return;
		}
	}
	if (x->kind == N_UNARY && x->op == T_ARROW) {
		hoist(l, x->a);
		emit_recv(l, x, 0);
		return;
	}
	hoist(l, x);
}

/* Assignment = Expression "=" Expression . */
static void lower_assign1(struct lower *l, struct node *lhs, struct node *rhs)
{
	if (lhs->kind == N_IDENT && !strcmp(lhs->name, "_")) {
		hoist(l, rhs);
		lw_at(l, rhs);
		gen_expr(l, rhs);
		return;
	}
	hoist(l, lhs);
	hoist(l, rhs);
	lw_at(l, lhs);
	struct type *t = lhs->type;
	if (!type_is_scalar(t)) {
		struct place src = place_of(l, rhs);
		struct place dst = place_of(l, lhs);
		copy_words(l, &dst, &src, t);
		return;
	}
	ir_reg v = gen_expr(l, rhs);
	struct place pl = place_of(l, lhs);
	store_place(l, &pl, v, type_is_ptr(t));
}

/* Assignment = ExpressionList "=" ExpressionList . (several variables) */
/* a, b = x, y (variables only, check.c): all values first. */
static void lower_assign_multi(struct lower *l, struct node *s)
{
	struct lvar **vals = fe_alloc(l->fx, sizeof(*vals) * (size_t)s->nlist);
	for (int i = 0; i < s->nlist2; i++)
		hoist(l, s->list2[i]);
	for (int i = 0; i < s->nlist2; i++) {
		struct node *r = s->list2[i];
		lw_at(l, r);
		vals[i] = new_hidden(l, r->type);
		write_lvar(l, vals[i], gen_expr(l, r));
		l->fn.sp = 0;
	}
	for (int i = 0; i < s->nlist; i++) {
		struct node *lhs = s->list[i];
		if (lhs->kind == N_IDENT && !strcmp(lhs->name, "_"))
			continue;
		lw_at(l, lhs);
		struct place pl = place_of(l, lhs);
		store_place(l, &pl, read_lvar(l, vals[i]),
			    type_is_ptr(lhs->type));
		l->fn.sp = 0;
	}
}

/* Assignment = Expression assign_op Expression . IncDecStmt = Expression ( "++"
 * | "--" ) . */
static void lower_opassign(struct lower *l, struct node *lhs, int tok,
			   struct node *rhs)
{
	hoist(l, lhs);
	if (rhs)
		hoist(l, rhs);
	lw_at(l, lhs);
	struct place pl = place_of(l, lhs);
	int mark = l->fn.sp;
	ir_reg cur = load_place(l, &pl, mark, 0);
	if (!lw_is_temp(l, cur)) {
		ir_reg t = lw_temp(l);
		lw_mov(l, t, cur, 0);
		cur = t;
	}
	int m2 = l->fn.sp;
	ir_reg d;
	if (rhs) {
		d = lw_arith(l, tok, cur, rhs, m2 - 1);
	} else {
		d = cur;
		lw_binopi(l, tok == T_INC ? IR_ADD : IR_SUB, d, cur, 1, 0);
	}
	store_place(l, &pl, d, 0);
}

/* IfStmt = "if" [ SimpleStmt ";" ] Expression Block [ "else" ( IfStmt | Block )
 * ] . */
static void lower_if(struct lower *l, struct node *s)
{
	int smark = l->fn.nscoped;
	if (s->a)
		lower_stmt(l, s->a);
	int hmark = l->fn.nhidden;
	hoist(l, s->b);
	lw_at(l, s->b);
	int lelse = lw_new_label(l), lend = lw_new_label(l);
	ir_reg c = gen_expr(l, s->b);
	lw_jump(l, IR_BRZ, c, lelse);
	l->fn.sp = 0;
	release_hidden(l, hmark);
	lower_block(l, s->c);
	if (s->d) {
		lw_at(l, s->d);
		lw_jump(l, IR_JMP, IR_NOREG, lend);
	}
	lw_label(l, lelse);
	if (s->d) {
		if (s->d->kind == N_IF)
			lower_if(l, s->d);
		else
			lower_block(l, s->d);
		lw_label(l, lend);
	}
	release_scoped(l, smark);
}

/* ForStmt = "for" [ Condition | ForClause ] Block . ForClause = [ InitStmt ]
 * ";" [ Condition ] ";" [ PostStmt ] . */
static void lower_for(struct lower *l, struct node *s)
{
	int smark = l->fn.nscoped;
	if (s->a)
		lower_stmt(l, s->a);
	int lhead = lw_new_label(l), lcont = lw_new_label(l),
	    lend = lw_new_label(l);
	lw_label(l, lhead);
	if (s->b) {
		int hmark = l->fn.nhidden;
		hoist(l, s->b);
		lw_at(l, s->b);
		ir_reg c = gen_expr(l, s->b);
		lw_jump(l, IR_BRZ, c, lend);
		l->fn.sp = 0;
		release_hidden(l, hmark);
	}
	if (l->fn.nloop > FE_MAX_DEPTH)
		fe_fatal(l->fx, s->line, s->col, "loops nested too deeply");
	l->fn.brk[l->fn.nloop] = lend;
	l->fn.cont[l->fn.nloop] = lcont;
	l->fn.nloop++;
	lower_block(l, s->d);
	l->fn.nloop--;
	lw_label(l, lcont);
	if (s->c)
		lower_stmt(l, s->c);
	lw_at(l, s);
	lw_jump(l, IR_JMP, IR_NOREG, lhead);
	lw_label(l, lend);
	release_scoped(l, smark);
}

/* GoStmt = "go" Expression . */
static void lower_go(struct lower *l, struct node *s)
{
	struct node *c = s->a;
	struct fe_func *g = c->a->sym->fn;
	for (int i = 0; i < c->nlist; i++)
		hoist(l, c->list[i]);
	lw_at(l, s);
	ir_reg t = lw_temp(l);
	struct ir_insn *in = lw_emit(l, IR_ADDRSYM);
	in->dst = t;
	in->sym = fe_printf(l->fx, "main.%s", g->sym->name);
	lw_stframe(l, 0, t, 0);
	int nwords = g->nparams + (g->result != NULL);
	lw_movi(l, t, 8 * nwords);
	lw_stframe(l, 1, t, 0);
	l->fn.sp = 0;
	for (int i = 0; i < c->nlist; i++)
		store_arg(l, 2 + i, c->list[i]);
	if (g->result) {
		t = lw_temp(l);
		lw_movi(l, t, 0);
		lw_stframe(l, 2 + g->nparams, t, 0);
		l->fn.sp = 0;
	}
	lw_call(l, "runtime.newproc", 2 + nwords, 0, 0);
}

/* VarSpec = IdentifierList ( Type [ "=" ExpressionList ] | "=" ExpressionList )
 * . ShortVarDecl = IdentifierList ":=" ExpressionList . */
static void lower_define(struct lower *l, struct node *s)
{
	for (int i = 0; i < s->nlist; i++) {
		struct node *id = s->list[i];
		struct node *v =
		    s->kind == N_VAR && !s->nlist2 ? NULL : s->list2[i];
		if (!id->sym || !strcmp(id->name, "_")) {
			if (v) {
				hoist(l, v);
				lw_at(l, v);
				gen_expr(l, v);
				l->fn.sp = 0;
			}
			continue;
		}
		declare_var(l, id->sym, v);
		l->fn.sp = 0;
	}
}

/* ReturnStmt = "return" [ Expression ] . */
static void lower_return(struct lower *l, struct node *s)
{
	if (s->a) {
		hoist(l, s->a);
		lw_at(l, s);
		ir_reg v = gen_expr(l, s->a);
		struct ir_insn *in = lw_emit(l, IR_STPARAM);
		in->a = v;
		in->imm = l->fn.src->nparams;
		in->dst_ptr = (uint8_t)node_ptr(s->a);
	}
	lw_emit(l, IR_RET);
}

/* SendStmt = Channel "<-" Expression . */
static void lower_send(struct lower *l, struct node *s)
{
	hoist(l, s->a);
	hoist(l, s->b);
	lw_at(l, s);
	store_arg(l, 0, s->a);
	store_arg(l, 1, s->b);
	lw_call(l, "runtime.chansend", 2, 0, 0);
}

/* Statement = Declaration | SimpleStmt | GoStmt | ReturnStmt | BreakStmt |
 * ContinueStmt | Block | IfStmt | ForStmt . */
static void lower_stmt(struct lower *l, struct node *s)
{
	int hmark = l->fn.nhidden;
	lw_at(l, s);
	switch (s->kind) {
	case N_VAR:
	case N_DEFINE:
		lower_define(l, s);
		break;
	case N_CONST:
	case N_EMPTY:
		break;
	case N_ASSIGN:
		if (s->nlist == 1)
			lower_assign1(l, s->list[0], s->list2[0]);
		else
			lower_assign_multi(l, s);
		break;
	case N_OPASSIGN:
		lower_opassign(l, s->a, s->op, s->b);
		break;
	case N_INCDEC:
		lower_opassign(l, s->a, s->op, NULL);
		break;
	case N_IF:
		lower_if(l, s);
		break;
	case N_FOR:
		lower_for(l, s);
		break;
	case N_BLOCK:
		lower_block(l, s);
		break;
	case N_BREAK:
		lw_jump(l, IR_JMP, IR_NOREG, l->fn.brk[l->fn.nloop - 1]);
		break;
	case N_CONTINUE:
		lw_jump(l, IR_JMP, IR_NOREG, l->fn.cont[l->fn.nloop - 1]);
		break;
	case N_RETURN:
		lower_return(l, s);
		break;
	case N_EXPRSTMT:
		lower_exprstmt(l, s);
		break;
	case N_GO:
		lower_go(l, s);
		break;
	case N_SEND:
		lower_send(l, s);
		break;
	}
	l->fn.sp = 0;
	release_hidden(l, hmark);
}

/* Block = "{" StatementList "}" . */
void lower_block(struct lower *l, struct node *b)
{
	int smark = l->fn.nscoped;
	for (int i = 0; i < b->nlist; i++)
		lower_stmt(l, b->list[i]);
	release_scoped(l, smark);
}
