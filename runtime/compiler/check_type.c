/*
 * check_type.c -- types: interning (*T, [N]T, chan int exist once, so type
 * identity is pointer equality), names for messages, layouts (size and
 * pointer mask, invalid recursive types) and type expressions.
 */
#include <string.h>

#include "check.h"

struct type *ck_new_type(struct checker *c, int kind)
{
	struct type *t = fe_alloc(c->fx, sizeof(*t));
	t->kind = kind;
	t->irtype = -1;
	if (kind != TY_STRUCT && kind != TY_ARRAY) {
		t->nwords = 1;
		t->state = 2;
		t->ptrmask = fe_alloc(c->fx, 1);
		if (kind == TY_PTR || kind == TY_CHAN)
			t->ptrmask[0] = 1;
	}
	return t;
}

struct type *ck_ptr_to(struct checker *c, struct type *elem)
{
	if (!elem->ptrto) {
		elem->ptrto = ck_new_type(c, TY_PTR);
		elem->ptrto->elem = elem;
	}
	return elem->ptrto;
}

static struct type *array_of(struct checker *c, struct type *elem, int64_t len)
{
	for (struct type *t = c->p->arrays; t; t = t->next)
		if (t->elem == elem && t->len == len)
			return t;
	struct type *t = ck_new_type(c, TY_ARRAY);
	t->elem = elem;
	t->len = len;
	t->next = c->p->arrays;
	c->p->arrays = t;
	return t;
}

int type_is_scalar(const struct type *t)
{
	return t->kind == TY_INT || t->kind == TY_BOOL || t->kind == TY_PTR ||
	       t->kind == TY_CHAN;
}

int type_is_ptr(const struct type *t)
{
	return t->kind == TY_PTR || t->kind == TY_CHAN;
}

int ck_is_int(const struct type *t)
{
	return t->kind == TY_INT || t->kind == TY_UNTYPED_INT;
}

int ck_is_bool(const struct type *t)
{
	return t->kind == TY_BOOL || t->kind == TY_UNTYPED_BOOL;
}

const char *type_string(struct fe_ctx *fx, const struct type *t)
{
	switch (t->kind) {
	case TY_INT:
		return "int";
	case TY_BOOL:
		return "bool";
	case TY_UNTYPED_INT:
		return "untyped int";
	case TY_UNTYPED_BOOL:
		return "untyped bool";
	case TY_NIL:
		return "untyped nil";
	case TY_STRING:
		return "untyped string";
	case TY_VOID:
		return "no value";
	case TY_CHAN:
		return "chan int";
	case TY_PTR:
		return fe_printf(fx, "*%s", type_string(fx, t->elem));
	case TY_ARRAY:
		return fe_printf(fx, "[%lld]%s", (long long)t->len,
				 type_string(fx, t->elem));
	case TY_STRUCT:
		return t->name ? t->name : "struct{...}";
	}
	return "?";
}

const char *ck_ts(struct checker *c, const struct type *t)
{
	return type_string(c->fx, t);
}

static void layout_struct(struct checker *c, struct type *t)
{
	struct node *d = t->decl->a;
	int64_t off = 0;
	for (int i = 0; i < t->nfields; i++) {
		struct field *f = &t->fields[i];
		ck_complete(c, f->type, d->list[i]);
		f->off = off;
		off += f->type->nwords * 8;
		if (off / 8 > FE_MAX_TYPE_WORDS) {
			ck_error(c, d->list[i],
				 "type %s is too large for gosub", t->name);
			off = 8;
			break;
		}
	}
	t->nwords = off / 8;
	t->ptrmask = fe_alloc(c->fx, (size_t)(t->nwords + 8) / 8);
	for (int i = 0; i < t->nfields; i++) {
		struct field *f = &t->fields[i];
		for (int64_t w = 0; w < f->type->nwords; w++)
			if (f->off / 8 + w < t->nwords &&
			    (f->type->ptrmask[w / 8] >> (w % 8) & 1)) {
				int64_t b = f->off / 8 + w;
				t->ptrmask[b / 8] |= (uint8_t)(1u << (b % 8));
			}
	}
}

static void layout_array(struct checker *c, struct type *t,
			 const struct node *at)
{
	ck_complete(c, t->elem, at);
	int64_t ew = t->elem->nwords;
	if (ew && t->len > FE_MAX_TYPE_WORDS / ew) {
		ck_error(c, at, "array type %s is too large for gosub",
			 ck_ts(c, t));
		t->len = 1;
	}
	t->nwords = t->len * ew;
	t->ptrmask = fe_alloc(c->fx, (size_t)(t->nwords + 8) / 8);
	for (int64_t i = 0; i < t->len; i++)
		for (int64_t w = 0; w < ew; w++)
			if (t->elem->ptrmask[w / 8] >> (w % 8) & 1) {
				int64_t b = i * ew + w;
				t->ptrmask[b / 8] |= (uint8_t)(1u << (b % 8));
			}
}

/* Computes size and pointer mask; reports invalid recursive types. */
void ck_complete(struct checker *c, struct type *t, const struct node *at)
{
	if (t->state == 2)
		return;
	if (t->state == 1) {
		ck_error(c, at, "invalid recursive type %s", ck_ts(c, t));
		t->nwords = 1;
		t->ptrmask = fe_alloc(c->fx, 1);
		t->state = 2;
		return;
	}
	t->state = 1;
	if (t->kind == TY_STRUCT)
		layout_struct(c, t);
	else
		layout_array(c, t, at);
	if (t->state == 1)
		t->state = 2;
}

/* ArrayLength = Expression . (constant integer) */
static int64_t const_int(struct checker *c, struct node *n, int64_t dflt)
{
	check_expr(c, n);
	if (!n->isconst || !ck_is_int(n->type)) {
		if (n->type && n->type->kind != TY_VOID)
			ck_error(c, n,
				 "array length must be a constant integer");
		return dflt;
	}
	return n->cval;
}

/* Type = TypeName | "(" Type ")" | "*" Type | "[" ArrayLength "]" Type | "chan"
 * Type . */
struct type *ck_resolve_type(struct checker *c, struct node *n)
{
	switch (n->kind) {
	case N_IDENT: {
		struct sym *s = ck_lookup(c, n->name);
		if (!s) {
			ck_error(c, n, "undefined: %s", n->name);
			return c->p->t_int;
		}
		if (ck_unsupported(c, n, s))
			return c->p->t_int;
		if (s->kind != S_TYPE) {
			ck_error(c, n, "%s is not a type", n->name);
			return c->p->t_int;
		}
		return s->type;
	}
	case N_PAREN:
		return ck_resolve_type(c, n->a);
	case N_TPTR:
		return ck_ptr_to(c, ck_resolve_type(c, n->a));
	case N_UNARY:
		if (n->op == T_MUL)
			return ck_ptr_to(c, ck_resolve_type(c, n->a));
		break;
	case N_TARRAY: {
		int64_t len = const_int(c, n->a, 1);
		if (len < 0) {
			ck_error(c, n->a, "invalid array length %lld",
				 (long long)len);
			len = 1;
		}
		struct type *t = array_of(c, ck_resolve_type(c, n->b), len);
		return t;
	}
	case N_TCHAN: {
		struct type *e = ck_resolve_type(c, n->a);
		if (e->kind != TY_INT)
			ck_error(c, n,
				 "chan %s is not supported by gosub (only "
				 "chan int)",
				 ck_ts(c, e));
		return c->p->t_chan;
	}
	case N_TSTRUCT:
		ck_error(c, n,
			 "anonymous struct type is not supported by gosub");
		return c->p->t_int;
	case N_SELECT:
		ck_error(c, n, "qualified type is not supported by gosub");
		return c->p->t_int;
	}
	ck_error(c, n, "expression is not a type");
	return c->p->t_int;
}

/* Conversion = Type "(" Expression ")" . (is the callee a Type?) */
int ck_looks_like_type(struct checker *c, const struct node *n)
{
	switch (n->kind) {
	case N_TPTR:
	case N_TARRAY:
	case N_TCHAN:
	case N_TSTRUCT:
		return 1;
	case N_PAREN:
		return ck_looks_like_type(c, n->a);
	case N_UNARY:
		return n->op == T_MUL && ck_looks_like_type(c, n->a);
	case N_IDENT: {
		struct sym *s = ck_lookup(c, n->name);
		return s && s->kind == S_TYPE;
	}
	}
	return 0;
}

/* ParameterDecl = [ IdentifierList ] Type . (scalar Type) */
struct type *ck_param_type(struct checker *c, struct node *tn, const char *what)
{
	struct type *t = ck_resolve_type(c, tn);
	if (!type_is_scalar(t)) {
		ck_error(c, tn,
			 "%s of type %s is not supported by gosub (only int, "
			 "bool, pointers and chan int)",
			 what, ck_ts(c, t));
		return c->p->t_int;
	}
	return t;
}

/* StructType = "struct" "{" { FieldDecl ";" } "}" . FieldDecl = IdentifierList
 * Type . */
/* Resolves the fields of a named struct (sizes come later). */
void ck_struct_fields(struct checker *c, struct type *t)
{
	struct node *st = t->decl->a;
	t->nfields = st->nlist;
	t->fields =
	    fe_alloc(c->fx, sizeof(*t->fields) * (size_t)(st->nlist + 1));
	for (int i = 0; i < st->nlist; i++) {
		struct node *fd = st->list[i];
		for (int j = 0; j < i; j++)
			if (strcmp(fd->name, "_") &&
			    !strcmp(st->list[j]->name, fd->name))
				ck_error(c, fd, "%s redeclared", fd->name);
		t->fields[i].name = fd->name;
		t->fields[i].type = ck_resolve_type(c, fd->a);
	}
}
