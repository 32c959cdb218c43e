/*
 * check_scope.c -- the checker's scopes (universe, package, blocks): name
 * lookup and declaration, unused-variable errors when a block closes, the
 * function's variable list (AST-4), and the checker's error helper.
 */
#include <stdarg.h>
#include <string.h>

#include "check.h"

void ck_error(struct checker *c, const struct node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fe_verror(c->fx, n->line, n->col, fmt, ap);
	va_end(ap);
}

struct sym *ck_lookup_in(struct scope *s, const char *name)
{
	for (int i = s->n - 1; i >= 0; i--)
		if (!strcmp(s->syms[i]->name, name))
			return s->syms[i];
	return NULL;
}

struct sym *ck_lookup(struct checker *c, const char *name)
{
	for (struct scope *s = c->cur; s; s = s->up) {
		struct sym *y = ck_lookup_in(s, name);
		if (y)
			return y;
	}
	return NULL;
}

struct sym *ck_new_sym(struct checker *c, int kind, const char *name,
		       const struct node *at)
{
	struct sym *s = fe_alloc(c->fx, sizeof(*s));
	s->kind = kind;
	s->name = name;
	s->line = at ? at->line : 0;
	s->col = at ? at->col : 0;
	s->param = -1;
	return s;
}

/* Declaration = ConstDecl | TypeDecl | VarDecl . (one name into the current
 * scope) */
void ck_declare(struct checker *c, struct sym *s, const struct node *at)
{
	if (!strcmp(s->name, "_"))
		return;
	struct sym *old = ck_lookup_in(c->cur, s->name);
	if (old) {
		ck_error(c, at, "%s redeclared in this block", s->name);
		return;
	}
	FE_PUSH(c->fx, c->cur->syms, c->cur->n, c->cur->cap, s);
}

void ck_open_scope(struct checker *c)
{
	struct scope *s = fe_alloc(c->fx, sizeof(*s));
	s->up = c->cur;
	c->cur = s;
}

void ck_close_scope(struct checker *c)
{
	struct scope *s = c->cur;
	for (int i = 0; i < s->n; i++) {
		struct sym *y = s->syms[i];
		if (y->kind == S_VAR && !y->global && y->param < 0 && !y->used)
			fe_error(c->fx, y->line, y->col,
				 "%s declared but not used", y->name);
	}
	c->cur = s->up;
}

void ck_add_local(struct checker *c, struct sym *s)
{
	struct fe_func *f = c->fn;
	s->vidx = f->nvars;
	s->loopdepth = c->loopdepth;
	FE_PUSH(c->fx, f->vars, f->nvars, f->capvars, s);
}

/* The built-in functions gosub has, and the predeclared names of Go it
   does not (their use is "not supported by gosub"). */
static void declare_builtins(struct checker *c)
{
	struct sym *s;
	static const struct {
		const char *n;
		int b;
	} bi[] = {{"new", B_NEW},
		  {"make", B_MAKE},
		  {"println", B_PRINTLN},
		  {"panic", B_PANIC},
		  {"len", B_LEN}};
	for (size_t i = 0; i < sizeof(bi) / sizeof(bi[0]); i++) {
		s = ck_new_sym(c, S_BUILTIN, bi[i].n, NULL);
		s->builtin = bi[i].b;
		ck_declare(c, s, NULL);
	}
	static const char *const unsupported[] = {
	    "string",	  "byte",    "rune",	"uint",	   "uint8",
	    "uint16",	  "uint32",  "uint64",	"int8",	   "int16",
	    "int32",	  "int64",   "float32", "float64", "complex64",
	    "complex128", "uintptr", "error",	"any",	   "comparable",
	    "append",	  "cap",     "copy",	"delete",  "print",
	    "close",	  "complex", "real",	"imag",	   "recover",
	    "iota"};
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]);
	     i++) {
		s = ck_new_sym(c, S_BUILTIN, unsupported[i], NULL);
		s->builtin = B_NONE;
		ck_declare(c, s, NULL);
	}
}

void ck_universe(struct checker *c)
{
	struct fe_prog *p = c->p;
	p->t_int = ck_new_type(c, TY_INT);
	p->t_bool = ck_new_type(c, TY_BOOL);
	p->t_uint = ck_new_type(c, TY_UNTYPED_INT);
	p->t_ubool = ck_new_type(c, TY_UNTYPED_BOOL);
	p->t_nil = ck_new_type(c, TY_NIL);
	p->t_string = ck_new_type(c, TY_STRING);
	p->t_void = ck_new_type(c, TY_VOID);
	p->t_chan = ck_new_type(c, TY_CHAN);
	p->t_chan->elem = p->t_int;
	p->t_int->name = "int";
	p->t_bool->name = "bool";
	ck_open_scope(c);
	c->universe = c->cur;
	struct sym *s;
	s = ck_new_sym(c, S_TYPE, "int", NULL);
	s->type = p->t_int;
	ck_declare(c, s, NULL);
	s = ck_new_sym(c, S_TYPE, "bool", NULL);
	s->type = p->t_bool;
	ck_declare(c, s, NULL);
	const char *bools[] = {"false", "true"};
	for (int i = 0; i < 2; i++) {
		s = ck_new_sym(c, S_CONST, bools[i], NULL);
		s->type = p->t_ubool;
		s->cval = i;
		s->state = 2;
		ck_declare(c, s, NULL);
	}
	s = ck_new_sym(c, S_CONST, "nil", NULL);
	s->type = p->t_nil;
	s->state = 2;
	ck_declare(c, s, NULL);
	declare_builtins(c);
	ck_open_scope(c);
	c->pkg = c->cur;
}

int ck_unsupported(struct checker *c, const struct node *n, const struct sym *s)
{
	if (s->kind == S_BUILTIN && s->builtin == B_NONE) {
		ck_error(c, n, "%s is not supported by gosub", s->name);
		return 1;
	}
	return 0;
}
