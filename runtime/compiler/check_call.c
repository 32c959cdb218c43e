/*
 * check_call.c -- calls: of declared functions (argument assignability),
 * of the built-ins new, make, len, println, panic, and of runtime.GC and
 * runtime.Gosched; conversions are refused.
 */
#include <string.h>

#include "check.h"

/* Arguments = "(" [ ExpressionList [ "," ] ] ")" . */
static void check_args(struct checker *c, struct node *n, struct fe_func *f)
{
	if (n->nlist < f->nparams) {
		ck_error(c, n, "not enough arguments in call to %s",
			 f->sym->name);
		return;
	}
	if (n->nlist > f->nparams) {
		ck_error(c, n->list[f->nparams],
			 "too many arguments in call to %s", f->sym->name);
		return;
	}
	for (int i = 0; i < n->nlist; i++)
		ck_assign(c, n->list[i], f->params[i]->type, "argument");
}

/* BuiltinCall = "new" "(" Type ")" . */
static void check_new(struct checker *c, struct node *n)
{
	if (n->nlist != 1) {
		ck_error(c, n, "wrong number of arguments to new");
		return;
	}
	n->type = ck_ptr_to(c, ck_resolve_type(c, n->list[0]));
	ck_complete(c, n->type->elem, n);
	n->hascall = 1;
}

/* BuiltinCall = "make" "(" Type [ "," Expression ] ")" . (chan int only) */
static void check_make(struct checker *c, struct node *n)
{
	struct fe_prog *p = c->p;
	if (n->nlist < 1 || n->nlist > 2) {
		ck_error(c, n, "wrong number of arguments to make");
		return;
	}
	struct type *t = ck_resolve_type(c, n->list[0]);
	if (t->kind != TY_CHAN) {
		ck_error(c, n, "make of %s is not supported by gosub",
			 ck_ts(c, t));
		return;
	}
	if (n->nlist == 2) {
		check_expr(c, n->list[1]);
		ck_assign(c, n->list[1], p->t_int, "argument");
		if (n->list[1]->isconst && n->list[1]->cval < 0)
			ck_error(c, n->list[1],
				 "invalid argument: size "
				 "must not be negative");
	}
	n->type = t;
	n->hascall = 1;
}

/* BuiltinCall = "len" "(" Expression ")" . (arrays, a constant) */
static void check_len(struct checker *c, struct node *n)
{
	struct fe_prog *p = c->p;
	if (n->nlist != 1) {
		ck_error(c, n, "wrong number of arguments to len");
		return;
	}
	struct node *x = n->list[0];
	check_expr(c, x);
	struct type *t = x->type;
	if (t->kind == TY_PTR && t->elem->kind == TY_ARRAY)
		t = t->elem;
	if (t->kind != TY_ARRAY) {
		ck_error(c, x,
			 "len of %s is not supported by gosub (only "
			 "arrays)",
			 ck_ts(c, x->type));
		return;
	}
	if (x->hascall)
		ck_error(c, x,
			 "len of an expression with calls is not "
			 "supported by gosub");
	ck_set_const(n, p->t_int, t->len);
}

/* BuiltinCall = "println" Arguments . (int, bool, string literals) */
static void check_println(struct checker *c, struct node *n)
{
	struct fe_prog *p = c->p;
	for (int i = 0; i < n->nlist; i++) {
		struct node *a = n->list[i];
		while (a->kind == N_PAREN)
			a = a->a;
		if (a->kind == N_STRING) {
			a->type = n->list[i]->type = p->t_string;
			continue;
		}
		check_expr(c, n->list[i]);
		struct type *t = n->list[i]->type;
		n->hascall |= n->list[i]->hascall;
		if (t->kind == TY_VOID)
			ck_error(c, n->list[i],
				 "function call (no value) "
				 "used as value");
		else if (!ck_is_int(t) && !ck_is_bool(t))
			ck_error(c, n->list[i],
				 "println of %s is not supported by gosub",
				 ck_ts(c, t));
		else
			ck_default_type(c, n->list[i]);
	}
}

/* BuiltinCall = "panic" "(" string_lit ")" . */
static void check_panic(struct checker *c, struct node *n)
{
	struct fe_prog *p = c->p;
	struct node *a = n->nlist == 1 ? n->list[0] : NULL;
	while (a && a->kind == N_PAREN)
		a = a->a;
	if (!a || a->kind != N_STRING) {
		ck_error(c, n,
			 "panic with anything but a string literal is "
			 "not supported by gosub");
		return;
	}
	a->type = n->list[0]->type = p->t_string;
}

/* BuiltinCall = identifier Arguments . (and runtime.GC, runtime.Gosched) */
static void check_builtin(struct checker *c, struct node *n, int b)
{
	n->builtin = b;
	n->type = c->p->t_void;
	switch (b) {
	case B_NEW:
		check_new(c, n);
		return;
	case B_MAKE:
		check_make(c, n);
		return;
	case B_LEN:
		check_len(c, n);
		return;
	case B_PRINTLN:
		check_println(c, n);
		return;
	case B_PANIC:
		check_panic(c, n);
		return;
	case B_GC:
	case B_GOSCHED:
		if (n->nlist)
			ck_error(c, n,
				 "too many arguments in call to runtime.%s",
				 b == B_GC ? "GC" : "Gosched");
		n->hascall = 1;
		return;
	}
}

/* PrimaryExpr = PrimaryExpr Arguments . */
void check_call(struct checker *c, struct node *n)
{
	struct node *f = n->a;
	while (f->kind == N_PAREN)
		f = f->a;
	ck_bad(n, c);
	if (f->kind == N_SELECT && f->a->kind == N_IDENT) {
		struct sym *s = ck_lookup(c, f->a->name);
		if (s && s->kind == S_PKG) {
			s->used = 1;
			if (!strcmp(f->name, "GC"))
				check_builtin(c, n, B_GC);
			else if (!strcmp(f->name, "Gosched"))
				check_builtin(c, n, B_GOSCHED);
			else
				ck_error(c, f,
					 "runtime.%s is not supported by gosub",
					 f->name);
			for (int i = 0; i < n->nlist; i++)
				check_expr(c, n->list[i]);
			return;
		}
	}
	if (f->kind == N_IDENT) {
		struct sym *s = ck_lookup(c, f->name);
		if (!s) {
			ck_error(c, f, "undefined: %s", f->name);
			return;
		}
		f->sym = s;
		if (ck_unsupported(c, f, s))
			return;
		if (s->kind == S_BUILTIN) {
			check_builtin(c, n, s->builtin);
			return;
		}
		if (s->kind == S_TYPE) {
			ck_error(c, n,
				 "conversion to %s is not supported by gosub",
				 s->name);
			return;
		}
		if (s->kind == S_FUNC) {
			for (int i = 0; i < n->nlist; i++) {
				check_expr(c, n->list[i]);
				n->hascall |= n->list[i]->hascall;
			}
			check_args(c, n, s->fn);
			n->type = s->fn->result ? s->fn->result : c->p->t_void;
			n->hascall = 1;
			return;
		}
	}
	if (ck_looks_like_type(c, f)) {
		ck_error(c, n, "conversion is not supported by gosub");
		return;
	}
	check_expr(c, f);
	ck_error(c, n, "invalid operation: cannot call non-function %s",
		 ck_describe(c, f));
}
