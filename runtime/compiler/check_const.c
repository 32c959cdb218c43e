/*
 * check_const.c -- constants: int64 folding with overflow as an error,
 * constant comparisons, and constant declarations (evaluated lazily,
 * initialization cycles reported).
 */
#include <string.h>

#include "check.h"

static int add_ovf(int64_t a, int64_t b, int64_t *r)
{
	if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
		return 1;
	*r = a + b;
	return 0;
}

static int mul_ovf(int64_t a, int64_t b, int64_t *r)
{
	if (a == 0 || b == 0) {
		*r = 0;
		return 0;
	}
	if ((a == -1 && b == INT64_MIN) || (b == -1 && a == INT64_MIN))
		return 1;
	if (a > 0 ? (b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a)
		  : (b > 0 ? a < INT64_MIN / b : a < INT64_MAX / b))
		return 1;
	*r = a * b;
	return 0;
}

/* Folds a binary integer operation on constants; returns 0 on overflow. */
int ck_fold_int(int op, int64_t a, int64_t b, int64_t *r)
{
	switch (op) {
	case T_ADD:
		return !add_ovf(a, b, r);
	case T_SUB:
		if (b == INT64_MIN)
			return a < 0 ? (*r = a - b, 1) : 0;
		return !add_ovf(a, -b, r);
	case T_MUL:
		return !mul_ovf(a, b, r);
	case T_QUO:
		if (a == INT64_MIN && b == -1)
			return 0;
		*r = a / b;
		return 1;
	case T_REM:
		*r = (b == -1) ? 0 : a % b;
		return 1;
	case T_AND:
		*r = a & b;
		return 1;
	case T_OR:
		*r = a | b;
		return 1;
	case T_XOR:
		*r = a ^ b;
		return 1;
	case T_ANDNOT:
		*r = a & ~b;
		return 1;
	case T_SHL:
		if (a == 0) {
			*r = 0;
			return 1;
		}
		if (b >= 63)
			return 0;
		if (a > (INT64_MAX >> b) || a < (INT64_MIN >> b))
			return 0;
		*r = (int64_t)((uint64_t)a << b);
		return 1;
	case T_SHR:
		*r = b >= 63 ? (a < 0 ? -1 : 0) : a >> b;
		return 1;
	}
	return 0;
}

void ck_set_const(struct node *n, struct type *t, int64_t v)
{
	n->type = t;
	n->isconst = 1;
	n->cval = v;
}

int64_t ck_fold_cmp(int op, int64_t a, int64_t b)
{
	switch (op) {
	case T_EQL:
		return a == b;
	case T_NEQ:
		return a != b;
	case T_LSS:
		return a < b;
	case T_LEQ:
		return a <= b;
	case T_GTR:
		return a > b;
	}
	return a >= b;
}

/* ConstSpec = IdentifierList [ Type ] "=" ExpressionList . (one name, on first
 * use) */
void ck_const_eval(struct checker *c, struct sym *s)
{
	if (s->state == 2)
		return;
	if (s->state == 1) {
		fe_error(c->fx, s->line, s->col,
			 "initialization cycle or "
			 "invalid recursive constant %s",
			 s->name);
		s->type = c->p->t_uint;
		s->state = 2;
		return;
	}
	s->state = 1;
	struct node *spec = s->decl;
	struct node *val = spec->list2[s->vidx];
	struct scope *save = c->cur;
	if (s->global)
		c->cur = c->pkg;
	check_expr(c, val);
	c->cur = save;
	s->type = c->p->t_uint;
	if (!val->isconst) {
		if (val->type->kind != TY_VOID)
			ck_error(c, val, "%s is not constant",
				 ck_describe(c, val));
	} else if (spec->a) {
		struct type *t = ck_resolve_type(c, spec->a);
		if (t->kind != TY_INT && t->kind != TY_BOOL)
			ck_error(c, spec->a,
				 "constant of type %s is not supported "
				 "by gosub",
				 ck_ts(c, t));
		else if (ck_assign(c, val, t, "constant declaration"))
			s->type = t;
		s->cval = val->cval;
	} else {
		s->type = val->type;
		s->cval = val->cval;
	}
	s->state = 2;
}

/* ConstDecl = "const" ConstSpec . */
/* Declares the names of a const spec (values are evaluated lazily). */
void ck_declare_consts(struct checker *c, struct node *spec, int global)
{
	if (spec->nlist2 == 0) {
		ck_error(c, spec,
			 "const declaration without values (implicit "
			 "repetition, iota) is not supported by gosub");
		return;
	}
	if (spec->nlist != spec->nlist2) {
		ck_error(c, spec,
			 "assignment mismatch: %d constants but %d values",
			 spec->nlist, spec->nlist2);
		return;
	}
	for (int i = 0; i < spec->nlist; i++) {
		struct sym *s =
		    ck_new_sym(c, S_CONST, spec->list[i]->name, spec->list[i]);
		s->decl = spec;
		s->vidx = i;
		s->global = global;
		spec->list[i]->sym = s;
		if (!global)
			ck_const_eval(c, s);
		ck_declare(c, s, spec->list[i]);
	}
}
