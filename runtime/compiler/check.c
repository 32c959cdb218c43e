/*
 * check.c -- gosub's type checker: the program (top-level declarations,
 * globals, signatures, then every function body). The checker as a whole
 * (check.h) does scopes, name resolution, types and layouts, constant
 * folding (int64, overflow is an error), Go's own compile errors for the
 * subset (unused variables and imports, missing return, assignability,
 * break outside loops, ...) and the "not supported by gosub" errors that
 * need types to decide: check_scope.c, check_type.c, check_const.c,
 * check_expr.c, check_call.c, check_stmt.c.
 *
 * Invariants: AST-4 on success. A program this file accepts is valid Go
 * (it may reject some valid Go, never accept invalid Go). Types are
 * interned: *T, [N]T and chan int exist once each, so type identity is
 * pointer equality.
 */
#include <string.h>

#include "check.h"

/* VarDecl = "var" VarSpec . (package level) */
static void check_global_var(struct checker *c, struct node *spec)
{
	struct type *t = spec->a ? ck_resolve_type(c, spec->a) : NULL;
	if (spec->nlist2 && spec->nlist2 != spec->nlist) {
		ck_error(c, spec,
			 "assignment mismatch: %d variables but %d values",
			 spec->nlist, spec->nlist2);
		return;
	}
	for (int i = 0; i < spec->nlist; i++) {
		struct node *id = spec->list[i];
		struct sym *s = id->sym;
		struct type *vt = t;
		int64_t init = 0;
		if (spec->nlist2) {
			struct node *v = spec->list2[i];
			check_expr(c, v);
			if (!v->isconst && v->type->kind != TY_NIL) {
				ck_error(c, v,
					 "global variable initialised with "
					 "a non-constant value is not "
					 "supported by gosub");
				continue;
			}
			if (vt)
				ck_assign(c, v, vt, "variable declaration");
			else
				vt = ck_default_type(c, v);
			init = v->cval;
		}
		if (!vt)
			continue;
		ck_complete(c, vt, id);
		s->type = vt;
		if (strcmp(s->name, "_")) {
			struct fe_global g = {s, init};
			FE_PUSH(c->fx, c->p->globals, c->p->nglobals,
				c->p->capglobals, g);
		}
	}
}

/* Signature = Parameters [ Result ] . */
static void check_signature(struct checker *c, struct fe_func *f)
{
	struct node *d = f->decl;
	f->nparams = d->nlist2;
	f->params =
	    fe_alloc(c->fx, sizeof(*f->params) * (size_t)(f->nparams + 1));
	for (int i = 0; i < d->nlist2; i++) {
		struct node *pd = d->list2[i];
		struct sym *s =
		    ck_new_sym(c, S_VAR, pd->name ? pd->name : "_", pd);
		s->type = ck_param_type(c, pd->a, "parameter");
		s->param = i;
		s->used = 1;
		f->params[i] = s;
	}
	if (d->a)
		f->result = ck_param_type(c, d->a, "result");
	if (!strcmp(f->sym->name, "main") && (f->nparams || f->result))
		ck_error(c, d,
			 "func main must have no arguments and no return "
			 "values");
}

/* TopLevelDecl = Declaration | FunctionDecl | ImportDecl . */
static void declare_top(struct checker *c, struct node *d)
{
	struct sym *s;
	switch (d->kind) {
	case N_IMPORT:
		if (c->runtime_pkg) {
			ck_error(c, d, "runtime redeclared in this block");
			return;
		}
		s = ck_new_sym(c, S_PKG, "runtime", d);
		c->runtime_pkg = s;
		ck_declare(c, s, d);
		return;
	case N_TYPEDECL:
		s = ck_new_sym(c, S_TYPE, d->name, d);
		if (d->a->kind != N_TSTRUCT) {
			ck_error(c, d,
				 "type declaration of a non-struct type is "
				 "not supported by gosub");
			s->type = c->p->t_int;
		} else {
			s->type = ck_new_type(c, TY_STRUCT);
			s->type->name = d->name;
			s->type->decl = d;
		}
		ck_declare(c, s, d);
		return;
	case N_CONST:
		ck_declare_consts(c, d, 1);
		return;
	case N_VAR:
		for (int i = 0; i < d->nlist; i++) {
			s = ck_new_sym(c, S_VAR, d->list[i]->name, d->list[i]);
			s->global = 1;
			s->used = 1;
			s->type = c->p->t_int;
			d->list[i]->sym = s;
			ck_declare(c, s, d->list[i]);
		}
		return;
	case N_FUNC: {
		s = ck_new_sym(c, S_FUNC, d->name, d);
		if (!strcmp(d->name, "init")) {
			ck_error(c, d, "func init is not supported by gosub");
			return;
		}
		if (!strcmp(d->name, "_"))
			return;
		struct fe_func *f = fe_alloc(c->fx, sizeof(*f));
		f->sym = s;
		f->decl = d;
		f->index = c->p->nfuncs;
		s->fn = f;
		d->fn = f;
		FE_PUSH(c->fx, c->p->funcs, c->p->nfuncs, c->p->capfuncs, f);
		ck_declare(c, s, d);
		return;
	}
	}
}

/* SourceFile = PackageClause ";" { ImportDecl ";" } { TopLevelDecl ";" } . */
int check_program(struct fe_ctx *fx, struct node *file, struct fe_prog *p)
{
	struct checker ck, *c = &ck;
	memset(c, 0, sizeof(*c));
	c->fx = fx;
	c->p = p;
	ck_universe(c);
	for (int i = 0; i < file->nlist; i++)
		declare_top(c, file->list[i]);
	for (int i = 0; i < c->pkg->n; i++) {
		struct sym *s = c->pkg->syms[i];
		if (s->kind == S_TYPE && s->type->kind == TY_STRUCT)
			ck_struct_fields(c, s->type);
	}
	for (int i = 0; i < c->pkg->n; i++) {
		struct sym *s = c->pkg->syms[i];
		if (s->kind == S_TYPE && s->type->kind == TY_STRUCT)
			ck_complete(c, s->type, s->type->decl);
		if (s->kind == S_CONST)
			ck_const_eval(c, s);
	}
	for (int i = 0; i < file->nlist; i++)
		if (file->list[i]->kind == N_VAR)
			check_global_var(c, file->list[i]);
	for (int i = 0; i < p->nfuncs; i++)
		check_signature(c, p->funcs[i]);
	struct sym *m = ck_lookup_in(c->pkg, "main");
	if (!m || m->kind != S_FUNC)
		fe_error(fx, 1, 1,
			 "function main is undeclared in the main "
			 "package");
	for (int i = 0; i < p->nfuncs; i++)
		check_func(c, p->funcs[i]);
	if (c->runtime_pkg && !c->runtime_pkg->used)
		fe_error(fx, c->runtime_pkg->line, c->runtime_pkg->col,
			 "\"runtime\" imported and not used");
	p->uses_runtime = c->runtime_pkg != NULL;
	return fx->ndiags ? -1 : 0;
}
