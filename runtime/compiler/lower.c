/*
 * lower.c -- checked AST -> IR (ir.h) for one target: the program (globals,
 * every function) and each function's lowering from entry to liveness. The
 * model and the files of lowering: lower.h.
 */
#include <string.h>

#include "lower.h"

/* The IR function's header: name, line, parameters and their pointer mask. */
static void func_header(struct lower *l, struct fe_func *fn, struct ir_func *f)
{
	memset(f, 0, sizeof(*f));
	f->name = fe_printf(l->fx, "main.%s", fn->sym->name);
	f->line = fn->decl->line;
	f->nparams = fn->nparams;
	f->has_result = fn->result != NULL;
	for (int i = 0; i < fn->nparams && i < 64; i++)
		if (type_is_ptr(fn->params[i]->type))
			f->params_ptrmask |= 1ull << i;
	if (fn->result && type_is_ptr(fn->result) && fn->nparams < 64)
		f->params_ptrmask |= 1ull << fn->nparams;
}

/* FunctionDecl = "func" FunctionName Signature FunctionBody . */
static void lower_func(struct lower *l, struct fe_func *fn, struct ir_func *f)
{
	func_header(l, fn, f);
	l->fn = (struct lower_fn){
	    .src = fn, .ir = f, .line = fn->decl->line, .col = fn->decl->col};
	grow_bits(l, 64);
	layout_objects(l, fn);
	entry_code(l, fn);
	param_code(l, fn);
	lower_block(l, fn->decl->b);
	l->fn.line = fn->decl->b->eline;
	l->fn.col = fn->decl->b->ecol;
	finish_func(l);
}

static void lower_globals(struct lower *l)
{
	struct fe_prog *p = l->p;
	struct ir_program *irp = l->irp;
	irp->globals =
	    fe_alloc(l->fx, sizeof(*irp->globals) * (size_t)(p->nglobals + 1));
	for (int i = 0; i < p->nglobals; i++) {
		struct sym *s = p->globals[i].sym;
		struct ir_global *g = &irp->globals[irp->nglobals++];
		g->sym = fe_printf(l->fx, "main.%s", s->name);
		g->nwords = (int)s->type->nwords;
		g->ptrmask = fe_alloc(l->fx, (size_t)g->nwords / 8 + 1);
		memcpy(g->ptrmask, s->type->ptrmask,
		       (size_t)(g->nwords + 7) / 8);
		g->init =
		    fe_alloc(l->fx, sizeof(int64_t) * (size_t)(g->nwords + 1));
		if (type_is_scalar(s->type))
			g->init[0] = p->globals[i].init;
	}
}

struct ir_program *lower_program(struct fe_ctx *fx, struct fe_prog *p,
				 const struct ir_target *t)
{
	if (t->ntemps < 3 || t->nvars < 0 || t->ntemps + t->nvars > IR_MAX_REGS)
		fe_fatal(fx, 1, 1,
			 "target %s: unusable register file (%d "
			 "temps, %d vars)",
			 t->name, t->ntemps, t->nvars);
	struct lower lw, *l = &lw;
	memset(l, 0, sizeof(*l));
	l->fx = fx;
	l->p = p;
	l->t = t;
	l->irp = fe_alloc(fx, sizeof(*l->irp));
	lower_globals(l);
	l->irp->funcs =
	    fe_alloc(fx, sizeof(struct ir_func) * (size_t)(p->nfuncs + 1));
	for (int i = 0; i < p->nfuncs; i++)
		lower_func(l, p->funcs[i], &l->irp->funcs[i]);
	l->irp->nfuncs = p->nfuncs;
	return l->irp;
}
