/*
 * check_expr.c -- expressions: operands, unary and binary operators,
 * selectors and indexing; assignability and the default type of untyped
 * values. Calls are check_call.c.
 */
#include <string.h>

#include "check.h"

const char *ck_describe(struct checker *c, const struct node *n)
{
	if (n->isconst && n->type->kind == TY_UNTYPED_INT)
		return fe_printf(c->fx, "%lld (untyped int constant)",
				 (long long)n->cval);
	if (n->type->kind == TY_NIL)
		return "nil";
	if (n->kind == N_IDENT && n->sym && n->sym->kind == S_VAR)
		return fe_printf(c->fx, "%s (variable of type %s)", n->name,
				 ck_ts(c, n->type));
	return fe_printf(c->fx, "value of type %s", ck_ts(c, n->type));
}

/* Is n assignable to t? Reports with `ctx` ("assignment", "argument"...)
   and converts untyped constants to t. */
int ck_assign(struct checker *c, struct node *n, struct type *t,
	      const char *ctx)
{
	struct type *s = n->type;
	if (!s || s->kind == TY_VOID) {
		if (s)
			ck_error(c, n, "%s (no value) used as value",
				 n->kind == N_CALL ? "function call"
						   : "expression");
		return 0;
	}
	int ok = 0;
	if (s == t)
		ok = 1;
	else if (t->kind == TY_INT && s->kind == TY_UNTYPED_INT)
		ok = 1;
	else if (t->kind == TY_BOOL && s->kind == TY_UNTYPED_BOOL)
		ok = 1;
	else if (type_is_ptr(t) && s->kind == TY_NIL)
		ok = 1;
	if (!ok) {
		if (s->kind == TY_STRING)
			ck_error(c, n,
				 "string values are not supported by gosub "
				 "(only literals in println and panic)");
		else
			ck_error(c, n, "cannot use %s as %s value in %s",
				 ck_describe(c, n), ck_ts(c, t), ctx);
		return 0;
	}
	if (s->kind == TY_UNTYPED_INT || s->kind == TY_UNTYPED_BOOL ||
	    s->kind == TY_NIL)
		n->type = t;
	return 1;
}

/* The type a value gets when it initialises a variable without a type. */
struct type *ck_default_type(struct checker *c, struct node *n)
{
	struct type *t = n->type;
	if (t->kind == TY_UNTYPED_INT)
		t = c->p->t_int;
	else if (t->kind == TY_UNTYPED_BOOL)
		t = c->p->t_bool;
	else if (t->kind == TY_NIL) {
		ck_error(c, n, "use of untyped nil in assignment");
		return NULL;
	} else if (t->kind == TY_VOID) {
		ck_error(c, n, "%s (no value) used as value",
			 n->kind == N_CALL ? "function call" : "expression");
		return NULL;
	} else if (t->kind == TY_STRING) {
		ck_error(c, n,
			 "string values are not supported by gosub (only "
			 "literals in println and panic)");
		return NULL;
	}
	n->type = t;
	return t;
}

/* Marks the local variable at the root of an addressable operand. */
static struct sym *root_var(struct node *n)
{
	for (;;) {
		if (n->kind == N_PAREN)
			n = n->a;
		else if (n->kind == N_SELECT && n->a->type &&
			 n->a->type->kind == TY_STRUCT)
			n = n->a;
		else if (n->kind == N_INDEX && n->a->type &&
			 n->a->type->kind == TY_ARRAY)
			n = n->a;
		else
			break;
	}
	if (n->kind == N_IDENT && n->sym && n->sym->kind == S_VAR)
		return n->sym;
	return NULL;
}

int ck_addressable(const struct node *n)
{
	switch (n->kind) {
	case N_PAREN:
		return ck_addressable(n->a);
	case N_IDENT:
		return n->sym && n->sym->kind == S_VAR;
	case N_UNARY:
		return n->op == T_MUL;
	case N_SELECT:
		return n->a->type &&
		       (n->a->type->kind == TY_PTR || ck_addressable(n->a));
	case N_INDEX:
		return n->a->type &&
		       (n->a->type->kind == TY_PTR || ck_addressable(n->a));
	}
	return 0;
}

void ck_bad(struct node *n, struct checker *c) { n->type = c->p->t_int; }

/* Operand = OperandName . OperandName = identifier . */
static void check_ident(struct checker *c, struct node *n)
{
	if (!strcmp(n->name, "_")) {
		ck_error(c, n, "cannot use _ as value");
		ck_bad(n, c);
		return;
	}
	struct sym *s = ck_lookup(c, n->name);
	if (!s) {
		ck_error(c, n, "undefined: %s", n->name);
		ck_bad(n, c);
		return;
	}
	n->sym = s;
	ck_bad(n, c);
	if (ck_unsupported(c, n, s))
		return;
	switch (s->kind) {
	case S_VAR:
		s->used = 1;
		n->type = s->type;
		return;
	case S_CONST:
		ck_const_eval(c, s);
		n->type = s->type;
		n->isconst = s->type->kind != TY_NIL;
		n->cval = s->cval;
		return;
	case S_TYPE:
		ck_error(c, n, "%s (type) is not an expression", n->name);
		return;
	case S_FUNC:
		ck_error(c, n, "function value %s is not supported by gosub",
			 n->name);
		return;
	case S_BUILTIN:
		ck_error(c, n, "%s (built-in function) must be called",
			 n->name);
		return;
	case S_PKG:
		c->runtime_pkg->used = 1;
		ck_error(c, n, "use of package %s without selector", n->name);
		return;
	}
}

/* UnaryExpr = ( "+" | "-" | "^" | "!" ) UnaryExpr . */
static void check_unary_arith(struct checker *c, struct node *n)
{
	struct node *x = n->a;
	switch (n->op) {
	case T_ADD:
	case T_SUB:
	case T_XOR:
		if (!ck_is_int(x->type)) {
			ck_error(c, n,
				 "invalid operation: operator %s not defined "
				 "on %s",
				 tok_name(n->op), ck_describe(c, x));
			return;
		}
		n->type = x->type;
		if (x->isconst) {
			if (n->op == T_SUB && x->cval == INT64_MIN) {
				ck_error(c, n, "constant overflows int");
				return;
			}
			ck_set_const(n, x->type,
				     n->op == T_ADD   ? x->cval
				     : n->op == T_SUB ? -x->cval
						      : ~x->cval);
		}
		return;
	case T_NOT:
		if (!ck_is_bool(x->type)) {
			ck_error(c, n,
				 "invalid operation: operator ! not defined "
				 "on %s",
				 ck_describe(c, x));
			return;
		}
		n->type = x->type;
		if (x->isconst)
			ck_set_const(n, x->type, !x->cval);
		return;
	}
}

/* UnaryExpr = ( "*" | "&" | "<-" ) UnaryExpr . */
static void check_unary_ptr(struct checker *c, struct node *n)
{
	struct node *x = n->a;
	switch (n->op) {
	case T_MUL:
		if (x->type->kind == TY_NIL) {
			ck_error(c, n,
				 "invalid operation: cannot indirect nil");
			return;
		}
		if (x->type->kind != TY_PTR) {
			ck_error(c, n, "invalid operation: cannot indirect %s",
				 ck_describe(c, x));
			return;
		}
		n->type = x->type->elem;
		return;
	case T_AND: {
		if (!ck_addressable(x)) {
			ck_error(c, n,
				 "invalid operation: cannot take address of "
				 "%s",
				 ck_describe(c, x));
			return;
		}
		struct sym *v = root_var(x);
		if (v && !v->global)
			v->addr_taken = 1;
		n->type = ck_ptr_to(c, x->type);
		return;
	}
	case T_ARROW:
		if (x->type->kind != TY_CHAN) {
			ck_error(c, n,
				 "invalid operation: cannot receive from "
				 "non-channel %s",
				 ck_describe(c, x));
			return;
		}
		n->type = c->p->t_int;
		n->hascall = 1;
		return;
	}
}

/* UnaryExpr = unary_op UnaryExpr . unary_op = "+" | "-" | "!" | "^" | "*" | "&"
 * | "<-" . */
static void check_unary(struct checker *c, struct node *n)
{
	struct node *x = n->a;
	if (n->op == T_SUB && x->kind == N_INT && !x->overflow &&
	    x->ival == (uint64_t)1 << 63) {
		ck_set_const(n, c->p->t_uint, INT64_MIN);
		x->type = c->p->t_uint;
		return;
	}
	check_expr(c, x);
	n->hascall = x->hascall;
	ck_bad(n, c);
	if (n->op == T_MUL || n->op == T_AND || n->op == T_ARROW)
		check_unary_ptr(c, n);
	else
		check_unary_arith(c, n);
}

static int is_cmp(int op)
{
	return op == T_EQL || op == T_NEQ || op == T_LSS || op == T_LEQ ||
	       op == T_GTR || op == T_GEQ;
}

/* Expression = Expression rel_op Expression . rel_op = "==" | "!=" | "<" | "<="
 * | ">" | ">=" . */
static void check_compare(struct checker *c, struct node *n)
{
	struct node *x = n->a, *y = n->b;
	struct type *tx = x->type, *ty = y->type;
	int ok;
	if (n->op == T_EQL || n->op == T_NEQ) {
		if (tx->kind == TY_STRUCT || tx->kind == TY_ARRAY) {
			ck_error(c, n,
				 "comparison of %s values is not supported "
				 "by gosub",
				 ck_ts(c, tx));
			return;
		}
		if (tx->kind == TY_NIL && ty->kind == TY_NIL) {
			ck_error(c, n,
				 "invalid operation: nil == nil (operator "
				 "== not defined on nil)");
			return;
		}
		ok = (ck_is_int(tx) && ck_is_int(ty)) ||
		     (ck_is_bool(tx) && ck_is_bool(ty)) ||
		     (type_is_ptr(tx) && (tx == ty || ty->kind == TY_NIL)) ||
		     (type_is_ptr(ty) && tx->kind == TY_NIL);
		if (ok && tx->kind == TY_INT && ty->kind == TY_INT)
			ok = 1;
	} else {
		ok = ck_is_int(tx) && ck_is_int(ty);
	}
	if (!ok) {
		ck_error(c, n, "invalid operation: mismatched types %s and %s",
			 ck_ts(c, tx), ck_ts(c, ty));
		return;
	}
	/* untyped operands take the other side's type */
	if (tx->kind == TY_UNTYPED_INT && ty->kind == TY_INT)
		x->type = ty;
	if (ty->kind == TY_UNTYPED_INT && tx->kind == TY_INT)
		y->type = tx;
	if (tx->kind == TY_UNTYPED_BOOL && ty->kind == TY_BOOL)
		x->type = ty;
	if (ty->kind == TY_UNTYPED_BOOL && tx->kind == TY_BOOL)
		y->type = tx;
	if (tx->kind == TY_NIL)
		x->type = ty;
	if (ty->kind == TY_NIL)
		y->type = tx;
	if (x->type->kind == TY_UNTYPED_INT)
		x->type = y->type = c->p->t_int;
	if (x->type->kind == TY_UNTYPED_BOOL)
		x->type = y->type = c->p->t_bool;
	n->type = c->p->t_ubool;
	if (x->isconst && y->isconst)
		ck_set_const(n, c->p->t_ubool,
			     ck_fold_cmp(n->op, x->cval, y->cval));
}

/* Expression = Expression ( "<<" | ">>" ) Expression . */
static void check_shift(struct checker *c, struct node *n)
{
	struct node *x = n->a, *y = n->b;
	if (!ck_is_int(x->type) || !ck_is_int(y->type)) {
		ck_error(c, n, "invalid operation: shift of %s by %s",
			 ck_describe(c, x), ck_describe(c, y));
		return;
	}
	if (y->isconst && y->cval < 0) {
		ck_error(c, y,
			 "invalid shift count %lld (must be non-negative)",
			 (long long)y->cval);
		return;
	}
	if (y->type->kind == TY_UNTYPED_INT)
		y->type = c->p->t_int;
	if (x->isconst && y->isconst) {
		int64_t r;
		if (!ck_fold_int(n->op, x->cval, y->cval, &r)) {
			ck_error(c, n, "constant shift overflows int");
			return;
		}
		ck_set_const(n, x->type, r);
		return;
	}
	if (x->type->kind == TY_UNTYPED_INT)
		x->type = c->p->t_int;
	n->type = x->type;
}

/* Expression = Expression ( add_op | mul_op ) Expression . (not shifts) */
static void check_arith(struct checker *c, struct node *n)
{
	struct node *x = n->a, *y = n->b;
	struct type *tx = x->type, *ty = y->type;
	if (!ck_is_int(tx) || !ck_is_int(ty)) {
		if (tx == ty || tx->kind == TY_UNTYPED_INT ||
		    ty->kind == TY_UNTYPED_INT)
			ck_error(c, n,
				 "invalid operation: operator %s not defined "
				 "on %s",
				 tok_name(n->op),
				 ck_describe(c, ck_is_int(tx) ? y : x));
		else
			ck_error(c, n,
				 "invalid operation: mismatched types %s and "
				 "%s",
				 ck_ts(c, tx), ck_ts(c, ty));
		return;
	}
	if ((n->op == T_QUO || n->op == T_REM) && y->isconst && y->cval == 0) {
		ck_error(c, y, "invalid operation: division by zero");
		return;
	}
	struct type *t = tx->kind == TY_INT ? tx : ty;
	if (x->isconst && y->isconst) {
		int64_t r;
		if (!ck_fold_int(n->op, x->cval, y->cval, &r)) {
			ck_error(c, n, "constant overflows int");
			return;
		}
		ck_set_const(n, t, r);
		return;
	}
	x->type = y->type = n->type = c->p->t_int;
}

/* Expression = Expression binary_op Expression . */
static void check_binary(struct checker *c, struct node *n)
{
	struct node *x = n->a, *y = n->b;
	check_expr(c, x);
	check_expr(c, y);
	n->hascall = x->hascall || y->hascall;
	ck_bad(n, c);
	if (x->type->kind == TY_VOID || y->type->kind == TY_VOID) {
		ck_error(c, x->type->kind == TY_VOID ? x : y,
			 "function call (no value) used as value");
		return;
	}
	if (x->type->kind == TY_STRING || y->type->kind == TY_STRING) {
		ck_error(c, n,
			 "string values are not supported by gosub (only "
			 "literals in println and panic)");
		return;
	}
	if (n->op == T_LAND || n->op == T_LOR) {
		if (!ck_is_bool(x->type) || !ck_is_bool(y->type)) {
			ck_error(c, n,
				 "invalid operation: operator %s not defined "
				 "on %s",
				 tok_name(n->op),
				 ck_describe(c, ck_is_bool(x->type) ? y : x));
			return;
		}
		int untyped = x->type->kind == TY_UNTYPED_BOOL &&
			      y->type->kind == TY_UNTYPED_BOOL;
		n->type = untyped ? c->p->t_ubool : c->p->t_bool;
		x->type = y->type = c->p->t_bool;
		if (x->isconst && y->isconst)
			ck_set_const(n, n->type,
				     n->op == T_LAND ? x->cval && y->cval
						     : x->cval || y->cval);
		return;
	}
	if (is_cmp(n->op)) {
		check_compare(c, n);
		return;
	}
	if (n->op == T_SHL || n->op == T_SHR) {
		check_shift(c, n);
		return;
	}
	check_arith(c, n);
}

/* PrimaryExpr = PrimaryExpr Selector . Selector = "." identifier . */
static void check_select(struct checker *c, struct node *n)
{
	ck_bad(n, c);
	if (n->a->kind == N_IDENT) {
		struct sym *s = ck_lookup(c, n->a->name);
		if (s && s->kind == S_PKG) {
			s->used = 1;
			ck_error(c, n,
				 "runtime.%s is not supported by gosub "
				 "(only calls of runtime.GC and "
				 "runtime.Gosched)",
				 n->name);
			return;
		}
	}
	check_expr(c, n->a);
	n->hascall = n->a->hascall;
	struct type *t = n->a->type;
	if (t->kind == TY_PTR)
		t = t->elem;
	if (t->kind != TY_STRUCT) {
		ck_error(c, n,
			 "%s.%s undefined (type %s has no field or method %s)",
			 n->a->kind == N_IDENT ? n->a->name : "x", n->name,
			 ck_ts(c, n->a->type), n->name);
		return;
	}
	ck_complete(c, t, n);
	for (int i = 0; i < t->nfields; i++)
		if (!strcmp(t->fields[i].name, n->name)) {
			n->type = t->fields[i].type;
			n->foff = t->fields[i].off;
			return;
		}
	ck_error(c, n, "%s.%s undefined (type %s has no field or method %s)",
		 n->a->kind == N_IDENT ? n->a->name : "x", n->name,
		 ck_ts(c, n->a->type), n->name);
}

/* PrimaryExpr = PrimaryExpr Index . Index = "[" Expression "]" . */
static void check_index(struct checker *c, struct node *n)
{
	check_expr(c, n->a);
	check_expr(c, n->b);
	n->hascall = n->a->hascall || n->b->hascall;
	ck_bad(n, c);
	struct type *t = n->a->type;
	if (t->kind == TY_PTR && t->elem->kind == TY_ARRAY)
		t = t->elem;
	if (t->kind != TY_ARRAY) {
		ck_error(c, n, "invalid operation: cannot index %s",
			 ck_describe(c, n->a));
		return;
	}
	ck_complete(c, t, n);
	if (!ck_is_int(n->b->type)) {
		ck_error(c, n->b, "invalid argument: index %s must be integer",
			 ck_describe(c, n->b));
		return;
	}
	if (n->b->isconst && (n->b->cval < 0 || n->b->cval >= t->len)) {
		if (n->b->cval < 0)
			ck_error(c, n->b,
				 "invalid argument: index %lld (constant of "
				 "type int) must not be negative",
				 (long long)n->b->cval);
		else
			ck_error(c, n->b,
				 "invalid argument: index %lld out of "
				 "bounds [0:%lld]",
				 (long long)n->b->cval, (long long)t->len);
		return;
	}
	n->b->type = c->p->t_int;
	n->type = t->elem;
}

/* Expression = UnaryExpr | Expression binary_op Expression . */
void check_expr(struct checker *c, struct node *n)
{
	switch (n->kind) {
	case N_INT:
		if (n->overflow || n->ival > (uint64_t)INT64_MAX) {
			ck_error(c, n,
				 "cannot use this constant as int value "
				 "(overflows)");
			ck_set_const(n, c->p->t_uint, 0);
			return;
		}
		ck_set_const(n, c->p->t_uint, (int64_t)n->ival);
		return;
	case N_STRING:
		ck_error(c, n,
			 "string values are not supported by gosub (only "
			 "literals in println and panic)");
		n->type = c->p->t_string;
		return;
	case N_IDENT:
		check_ident(c, n);
		return;
	case N_PAREN:
		check_expr(c, n->a);
		n->type = n->a->type;
		n->isconst = n->a->isconst;
		n->cval = n->a->cval;
		n->hascall = n->a->hascall;
		return;
	case N_UNARY:
		check_unary(c, n);
		return;
	case N_BINARY:
		check_binary(c, n);
		return;
	case N_CALL:
		check_call(c, n);
		return;
	case N_SELECT:
		check_select(c, n);
		return;
	case N_INDEX:
		check_index(c, n);
		return;
	}
	ck_error(c, n, "%s (type) is not an expression",
		 ck_ts(c, ck_resolve_type(c, n)));
	ck_bad(n, c);
}
