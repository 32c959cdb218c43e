/*
 * check_stmt.c -- statements and function bodies: declarations, :=, the
 * assignments, if/for scopes, break/continue placement, go, return, and
 * the missing-return rule (terminating statements, Go spec).
 */
#include <string.h>

#include "check.h"

static void check_block(struct checker *c, struct node *b, int newscope);
static void check_stmt(struct checker *c, struct node *s);

/* IdentifierList = identifier { "," identifier } . (one local name) */
static struct sym *declare_local(struct checker *c, struct node *id,
				 struct type *t)
{
	struct sym *s = ck_new_sym(c, S_VAR, id->name, id);
	s->type = t;
	id->sym = s;
	if (strcmp(id->name, "_")) {
		ck_add_local(c, s);
		ck_declare(c, s, id);
	}
	return s;
}

/* VarSpec = IdentifierList ( Type [ "=" ExpressionList ] | "=" ExpressionList )
 * . */
static void check_var(struct checker *c, struct node *spec)
{
	struct type *t = spec->a ? ck_resolve_type(c, spec->a) : NULL;
	if (t)
		ck_complete(c, t, spec->a);
	if (spec->nlist2 && spec->nlist2 != spec->nlist) {
		ck_error(c, spec,
			 "assignment mismatch: %d variables but %d values",
			 spec->nlist, spec->nlist2);
		return;
	}
	struct type **types =
	    fe_alloc(c->fx, sizeof(*types) * (size_t)spec->nlist);
	for (int i = 0; i < spec->nlist2; i++) {
		struct node *v = spec->list2[i];
		check_expr(c, v);
		if (t)
			ck_assign(c, v, t, "variable declaration");
		types[i] = t ? t : ck_default_type(c, v);
	}
	for (int i = 0; i < spec->nlist; i++) {
		struct type *vt = spec->nlist2 ? types[i] : t;
		if (!vt)
			vt = c->p->t_int;
		declare_local(c, spec->list[i], vt);
	}
}

/* ShortVarDecl = IdentifierList ":=" ExpressionList . */
static void check_define(struct checker *c, struct node *n)
{
	int nnew = 0;
	for (int i = 0; i < n->nlist; i++) {
		struct node *id = n->list[i];
		if (id->kind != N_IDENT) {
			ck_error(c, id, "non-name on left side of :=");
			return;
		}
		if (strcmp(id->name, "_") && !ck_lookup_in(c->cur, id->name))
			nnew++;
	}
	if (n->nlist != n->nlist2) {
		ck_error(c, n,
			 "assignment mismatch: %d variables but %d values",
			 n->nlist, n->nlist2);
		return;
	}
	if (!nnew) {
		ck_error(c, n, "no new variables on left side of :=");
		return;
	}
	if (n->nlist > 1 && nnew != n->nlist)
		for (int i = 0; i < n->nlist; i++)
			if (strcmp(n->list[i]->name, "_") &&
			    ck_lookup_in(c->cur, n->list[i]->name)) {
				ck_error(c, n->list[i],
					 ":= redeclaring %s in a "
					 "multiple definition is "
					 "not supported by gosub",
					 n->list[i]->name);
				return;
			}
	struct type **types =
	    fe_alloc(c->fx, sizeof(*types) * (size_t)n->nlist);
	for (int i = 0; i < n->nlist2; i++) {
		check_expr(c, n->list2[i]);
		types[i] = ck_default_type(c, n->list2[i]);
	}
	for (int i = 0; i < n->nlist; i++) {
		struct node *id = n->list[i];
		if (!strcmp(id->name, "_")) {
			id->sym = NULL;
			continue;
		}
		struct sym *old = ck_lookup_in(c->cur, id->name);
		if (old) {
			/* "x, err := ..." style reuse; single name cannot */
			id->sym = old;
			continue;
		}
		declare_local(c, id, types[i] ? types[i] : c->p->t_int);
	}
}

static int is_blank(const struct node *n)
{
	return n->kind == N_IDENT && !strcmp(n->name, "_");
}

/* Assignment = ExpressionList assign_op ExpressionList . (one left operand) */
/* An assignment target: marks nothing "used" for a bare variable name. */
static void check_lhs(struct checker *c, struct node *n)
{
	if (n->kind == N_IDENT) {
		struct sym *s = ck_lookup(c, n->name);
		if (s && s->kind == S_VAR) {
			int used = s->used;
			check_expr(c, n);
			s->used = used;
			return;
		}
	}
	check_expr(c, n);
	if (n->type->kind != TY_VOID && !ck_addressable(n))
		ck_error(c, n,
			 "cannot assign to %s (neither addressable nor a "
			 "map index expression)",
			 ck_describe(c, n));
}

/* Assignment = ExpressionList "=" ExpressionList . */
static void check_assign(struct checker *c, struct node *n)
{
	if (n->nlist != n->nlist2) {
		ck_error(c, n,
			 "assignment mismatch: %d variables but %d values",
			 n->nlist, n->nlist2);
		return;
	}
	for (int i = 0; i < n->nlist; i++) {
		struct node *l = n->list[i];
		if (n->nlist > 1 && !is_blank(l) && l->kind != N_IDENT) {
			ck_error(c, l,
				 "assignment of multiple values to anything "
				 "but variables is not supported by gosub");
			return;
		}
	}
	for (int i = 0; i < n->nlist; i++) {
		struct node *l = n->list[i], *r = n->list2[i];
		check_expr(c, r);
		if (is_blank(l)) {
			ck_default_type(c, r);
			continue;
		}
		check_lhs(c, l);
		if (n->nlist > 1 && !type_is_scalar(l->type)) {
			ck_error(c, l,
				 "multiple assignment of %s values is not "
				 "supported by gosub",
				 ck_ts(c, l->type));
			continue;
		}
		ck_assign(c, r, l->type, "assignment");
	}
}

/* Assignment = Expression assign_op Expression . assign_op = [ add_op | mul_op
 * ] "=" . */
static void check_opassign(struct checker *c, struct node *n)
{
	check_lhs(c, n->a);
	struct node *l = n->a;
	if (l->kind == N_IDENT && l->sym && l->sym->kind == S_VAR)
		l->sym->used = 1;
	check_expr(c, n->b);
	if (!ck_is_int(l->type) || !ck_is_int(n->b->type)) {
		ck_error(c, n,
			 "invalid operation: operator %s not defined on %s",
			 tok_name(n->op),
			 ck_describe(c, ck_is_int(l->type) ? n->b : l));
		return;
	}
	if ((n->op == T_QUO || n->op == T_REM) && n->b->isconst &&
	    n->b->cval == 0) {
		ck_error(c, n->b, "invalid operation: division by zero");
		return;
	}
	if ((n->op == T_SHL || n->op == T_SHR) && n->b->isconst &&
	    n->b->cval < 0) {
		ck_error(c, n->b,
			 "invalid shift count %lld (must be non-negative)",
			 (long long)n->b->cval);
		return;
	}
	n->b->type = c->p->t_int;
}

/* IncDecStmt = Expression ( "++" | "--" ) . */
static void check_incdec(struct checker *c, struct node *n)
{
	check_lhs(c, n->a);
	if (n->a->kind == N_IDENT && n->a->sym && n->a->sym->kind == S_VAR)
		n->a->sym->used = 1;
	if (!ck_is_int(n->a->type))
		ck_error(c, n, "invalid operation: %s%s (non-numeric type %s)",
			 n->a->kind == N_IDENT ? n->a->name : "x",
			 tok_name(n->op), ck_ts(c, n->a->type));
}

/* Condition = Expression . (boolean) */
static void check_cond(struct checker *c, struct node *cond, const char *what)
{
	check_expr(c, cond);
	if (!ck_is_bool(cond->type))
		ck_error(c, cond, "non-boolean condition in %s statement",
			 what);
	else
		cond->type = c->p->t_bool;
}

/* ExpressionStmt = Expression . */
static void check_exprstmt(struct checker *c, struct node *n)
{
	struct node *x = n->a;
	while (x->kind == N_PAREN)
		x = x->a;
	check_expr(c, n->a);
	if (x->kind == N_CALL && x->builtin != B_NEW && x->builtin != B_MAKE &&
	    x->builtin != B_LEN)
		return;
	if (x->kind == N_UNARY && x->op == T_ARROW)
		return;
	if (n->a->type->kind == TY_VOID)
		return;
	ck_error(c, n, "%s is not used", ck_describe(c, n->a));
}

/* GoStmt = "go" Expression . */
static void check_go(struct checker *c, struct node *n)
{
	struct node *x = n->a;
	if (x->kind != N_CALL) {
		ck_error(c, x, "expression in go must be function call");
		check_expr(c, x);
		return;
	}
	check_expr(c, x);
	if (x->builtin || !x->a->sym || x->a->sym->kind != S_FUNC)
		ck_error(c, x,
			 "go statement calling anything but a declared "
			 "function is not supported by gosub");
}

/* ReturnStmt = "return" [ ExpressionList ] . */
static void check_return(struct checker *c, struct node *n)
{
	struct type *want = c->fn->result;
	if (!n->a) {
		if (want)
			ck_error(c, n,
				 "not enough return values\n\thave ()\n\twant "
				 "(%s)",
				 ck_ts(c, want));
		return;
	}
	check_expr(c, n->a);
	if (!want) {
		ck_error(c, n->a, "too many return values");
		return;
	}
	ck_assign(c, n->a, want, "return statement");
}

/* IfStmt = "if" [ SimpleStmt ";" ] Expression Block [ "else" ( IfStmt | Block )
 * ] . */
static void check_if(struct checker *c, struct node *n)
{
	ck_open_scope(c);
	if (n->a)
		check_stmt(c, n->a);
	check_cond(c, n->b, "if");
	check_block(c, n->c, 1);
	if (n->d) {
		if (n->d->kind == N_IF)
			check_if(c, n->d);
		else
			check_block(c, n->d, 1);
	}
	ck_close_scope(c);
}

/* ForStmt = "for" [ Condition | ForClause ] Block . ForClause = [ InitStmt ]
 * ";" [ Condition ] ";" [ PostStmt ] . */
static void check_for(struct checker *c, struct node *n)
{
	ck_open_scope(c);
	if (n->a)
		check_stmt(c, n->a);
	if (n->b)
		check_cond(c, n->b, "for");
	if (n->c)
		check_stmt(c, n->c);
	c->loopdepth++;
	c->inloop++;
	check_block(c, n->d, 1);
	c->loopdepth--;
	c->inloop--;
	ck_close_scope(c);
}

/* SendStmt = Channel "<-" Expression . */
static void check_send(struct checker *c, struct node *s)
{
	check_expr(c, s->a);
	check_expr(c, s->b);
	if (s->a->type->kind != TY_CHAN)
		ck_error(c, s,
			 "invalid operation: cannot send to "
			 "non-channel %s",
			 ck_describe(c, s->a));
	else
		ck_assign(c, s->b, c->p->t_int, "send");
}

/* Statement = Declaration | SimpleStmt | GoStmt | ReturnStmt | BreakStmt |
 * ContinueStmt | Block | IfStmt | ForStmt . */
static void check_stmt(struct checker *c, struct node *s)
{
	switch (s->kind) {
	case N_VAR:
		check_var(c, s);
		return;
	case N_CONST:
		ck_declare_consts(c, s, 0);
		return;
	case N_DEFINE:
		check_define(c, s);
		return;
	case N_ASSIGN:
		check_assign(c, s);
		return;
	case N_OPASSIGN:
		check_opassign(c, s);
		return;
	case N_INCDEC:
		check_incdec(c, s);
		return;
	case N_IF:
		check_if(c, s);
		return;
	case N_FOR:
		check_for(c, s);
		return;
	case N_BLOCK:
		check_block(c, s, 1);
		return;
	case N_EXPRSTMT:
		check_exprstmt(c, s);
		return;
	case N_GO:
		check_go(c, s);
		return;
	case N_RETURN:
		check_return(c, s);
		return;
	case N_EMPTY:
		return;
	case N_BREAK:
		if (!c->inloop)
			ck_error(c, s,
				 "break is not in a loop, switch, or select");
		return;
	case N_CONTINUE:
		if (!c->inloop)
			ck_error(c, s, "continue is not in a loop");
		return;
	case N_SEND:
		check_send(c, s);
		return;
	}
	ck_error(c, s, "unexpected statement");
}

/* Block = "{" StatementList "}" . */
static void check_block(struct checker *c, struct node *b, int newscope)
{
	if (newscope)
		ck_open_scope(c);
	for (int i = 0; i < b->nlist; i++)
		check_stmt(c, b->list[i]);
	if (newscope)
		ck_close_scope(c);
}

/* BreakStmt = "break" . (one that ends the enclosing for) */
static int has_break(const struct node *s)
{
	if (!s)
		return 0;
	switch (s->kind) {
	case N_BREAK:
		return 1;
	case N_FOR:
		return 0; /* breaks inside refer to the inner loop */
	case N_BLOCK:
		for (int i = 0; i < s->nlist; i++)
			if (has_break(s->list[i]))
				return 1;
		return 0;
	case N_IF:
		return has_break(s->c) || has_break(s->d);
	}
	return 0;
}

/* Terminating statements (Go spec): ReturnStmt, panic(...), Block, IfStmt,
 * ForStmt . */
static int terminating(const struct node *s)
{
	if (!s)
		return 0;
	switch (s->kind) {
	case N_RETURN:
		return 1;
	case N_EXPRSTMT: {
		const struct node *x = s->a;
		while (x->kind == N_PAREN)
			x = x->a;
		return x->kind == N_CALL && x->builtin == B_PANIC;
	}
	case N_BLOCK:
		return s->nlist && terminating(s->list[s->nlist - 1]);
	case N_IF:
		return s->d && terminating(s->c) && terminating(s->d);
	case N_FOR:
		return !s->b && !has_break(s->d);
	}
	return 0;
}

/* FunctionDecl = "func" FunctionName Signature FunctionBody . */
void check_func(struct checker *c, struct fe_func *f)
{
	c->fn = f;
	c->loopdepth = 0;
	c->inloop = 0;
	ck_open_scope(c);
	for (int i = 0; i < f->nparams; i++) {
		struct sym *s = f->params[i];
		if (strcmp(s->name, "_"))
			ck_declare(c, s, f->decl->list2[i]);
		ck_add_local(c, s);
	}
	check_block(c, f->decl->b, 0);
	ck_close_scope(c);
	if (f->result && !terminating(f->decl->b)) {
		struct node at = *f->decl->b;
		at.line = at.eline;
		at.col = at.ecol;
		ck_error(c, &at, "missing return");
	}
	c->fn = NULL;
}
