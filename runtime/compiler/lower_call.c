/*
 * lower_call.c -- calls: every call in an expression is hoisted, in lexical
 * order, into a hidden variable before the expression is evaluated (no temp
 * is live across a call); user calls, built-ins, receives and println.
 */
#include <string.h>

#include "lower.h"

/* Receives a call's result word into a new hidden variable. */
static struct lvar *take_result(struct lower *l, int word, struct type *t)
{
	struct lvar *lv = new_hidden(l, t);
	if (lv->storage == ST_REG) {
		lw_ldframe(l, lv->vreg, word, lv->isptr);
	} else {
		int mark = l->fn.sp;
		ir_reg d = lw_temp(l);
		lw_ldframe(l, d, word, lv->isptr);
		write_lvar(l, lv, d);
		l->fn.sp = mark;
	}
	return lv;
}

void store_arg(struct lower *l, int word, struct node *a)
{
	int mark = l->fn.sp;
	ir_reg v = gen_expr(l, a);
	lw_stframe(l, word, v, node_ptr(a));
	l->fn.sp = mark;
}

/* PrimaryExpr = PrimaryExpr Arguments . (the call itself) */
/* Emits the call n (arguments already hoisted); returns the hidden
   variable holding its result, or NULL. */
struct lvar *emit_call(struct lower *l, struct node *n, int want)
{
	struct lvar *lv;
	lw_at(l, n);
	switch (n->builtin) {
	case B_NEW:
		lv = new_hidden(l, n->type);
		emit_new(l, n->type->elem, lv);
		return lv;
	case B_MAKE:
		if (n->nlist == 2) {
			store_arg(l, 0, n->list[1]);
		} else {
			int mark = l->fn.sp;
			ir_reg t = lw_temp(l);
			lw_movi(l, t, 0);
			lw_stframe(l, 0, t, 0);
			l->fn.sp = mark;
		}
		lw_call(l, "runtime.makechan", 1, 1, 1);
		return want ? take_result(l, 1, n->type) : NULL;
	case B_GC:
		lw_call(l, "runtime.GC", 0, 0, 0);
		return NULL;
	case B_GOSCHED:
		lw_call(l, "runtime.Gosched", 0, 0, 0);
		return NULL;
	}
	struct fe_func *g = n->a->sym->fn;
	for (int i = 0; i < n->nlist; i++)
		store_arg(l, i, n->list[i]);
	lw_call(l, fe_printf(l->fx, "main.%s", g->sym->name), n->nlist,
		g->result != NULL, g->result && type_is_ptr(g->result));
	if (!g->result || !want)
		return NULL;
	return take_result(l, n->nlist, g->result);
}

/* UnaryExpr = "<-" UnaryExpr . */
struct lvar *emit_recv(struct lower *l, struct node *n, int want)
{
	lw_at(l, n);
	store_arg(l, 0, n->a);
	lw_call(l, "runtime.chanrecv", 1, 1, 0);
	return want ? take_result(l, 1, l->p->t_int) : NULL;
}

static void hoist_children(struct lower *l, struct node *n)
{
	if (n->a && n->a->hascall)
		hoist(l, n->a);
	if (n->b && n->b->hascall)
		hoist(l, n->b);
	for (int i = 0; i < n->nlist; i++)
		if (n->list[i]->hascall)
			hoist(l, n->list[i]);
}

/* a && f() / a || f(): control flow into a hidden bool. */
static void hoist_logical(struct lower *l, struct node *n)
{
	if (n->a->hascall)
		hoist(l, n->a);
	struct lvar *lv = new_hidden(l, l->p->t_bool);
	int mark = l->fn.sp;
	write_lvar(l, lv, gen_expr(l, n->a));
	l->fn.sp = mark;
	int end = lw_new_label(l);
	ir_reg r = read_lvar(l, lv);
	lw_jump(l, n->op == T_LAND ? IR_BRZ : IR_BRNZ, r, end);
	l->fn.sp = mark;
	hoist(l, n->b);
	write_lvar(l, lv, gen_expr(l, n->b));
	l->fn.sp = mark;
	lw_label(l, end);
	n->hidden = lv;
}

/* Emits every call inside n, in lexical order, into hidden variables. */
void hoist(struct lower *l, struct node *n)
{
	if (!n->hascall || n->hidden)
		return;
	switch (n->kind) {
	case N_CALL:
		if (n->builtin == B_MAKE) {
			if (n->nlist == 2 && n->list[1]->hascall)
				hoist(l, n->list[1]);
		} else if (n->builtin != B_NEW) {
			for (int i = 0; i < n->nlist; i++)
				hoist(l, n->list[i]);
		}
		n->hidden = emit_call(l, n, 1);
		return;
	case N_UNARY:
		if (n->op == T_ARROW) {
			hoist(l, n->a);
			n->hidden = emit_recv(l, n, 1);
			return;
		}
		break;
	case N_BINARY:
		if ((n->op == T_LAND || n->op == T_LOR) && n->b->hascall) {
			hoist_logical(l, n);
			return;
		}
		break;
	}
	hoist_children(l, n);
}

static void print_value(struct lower *l, struct node *a, struct lvar *lv)
{
	int mark = l->fn.sp;
	ir_reg t = lw_temp(l);
	if (a->type->kind == TY_STRING) {
		struct node *s = a;
		while (s->kind == N_PAREN)
			s = s->a;
		string_args(l, s->str, s->slen, t);
		l->fn.sp = mark;
		lw_call(l, "runtime.printstr", 2, 0, 0);
		return;
	}
	l->fn.sp = mark;
	ir_reg v = lv ? read_lvar(l, lv) : gen_expr(l, a);
	lw_stframe(l, 0, v, 0);
	l->fn.sp = mark;
	lw_call(l,
		a->type->kind == TY_BOOL ? "runtime.printbool"
					 : "runtime.printint",
		1, 0, 0);
}

/* BuiltinCall = "println" Arguments . */
/* println: all arguments are evaluated before anything is printed. */
void lower_println(struct lower *l, struct node *n)
{
	struct lvar **vals =
	    fe_alloc(l->fx, sizeof(*vals) * (size_t)(n->nlist + 1));
	for (int i = 0; i < n->nlist; i++)
		if (n->list[i]->hascall)
			hoist(l, n->list[i]);
	for (int i = 0; i < n->nlist; i++) {
		struct node *a = n->list[i];
		if (a->type->kind == TY_STRING || a->isconst)
			continue;
		int mark = l->fn.sp;
		vals[i] = new_hidden(l, a->type);
		write_lvar(l, vals[i], gen_expr(l, a));
		l->fn.sp = mark;
	}
	lw_at(l, n);
	for (int i = 0; i < n->nlist; i++) {
		if (i)
			lw_call(l, "runtime.printsp", 0, 0, 0);
		print_value(l, n->list[i], vals[i]);
	}
	lw_call(l, "runtime.printnl", 0, 0, 0);
}
