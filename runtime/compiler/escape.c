/*
 * escape.c -- escape analysis in Go's model: decides which address-taken
 * locals must move to the heap (sym->escapes) and which stay in the frame
 * as stack objects.
 *
 * Model (flow-insensitive, as Go's escape.go): every local variable is a
 * location whose *content* C(v) is the set of objects whose address it may
 * hold. Objects are the function's variables plus, per parameter j, P_j
 * (what the caller passed) and PC_j (what that points to, any depth).
 *   - &x yields {x}; reading v yields C(v); loading through a pointer set S
 *     yields the contents of S's objects (PC_j for P_j/PC_j).
 *   - Storing into a local (also a field/element of a local composite)
 *     flows into its content; storing through a pointer, into a global,
 *     returning, sending, and passing to `go` sends the value to the heap
 *     (Go's "heap hole"), as does a flow into a variable declared at a
 *     smaller loop depth (its address would outlive the iteration).
 *   - Passing to a call flows into the callee's parameter summary:
 *     param_esc[j] (the value leaks) or param_cont_esc[j] (what it points
 *     to leaks); summaries are solved by a fixpoint over all functions.
 *   - An escaped object's content escapes too.
 * Everything only grows, so the fixpoint terminates.
 */
#include <string.h>

#include "ast.h"

struct fstate {
	struct fe_func *f;
	int nobj, nbytes;
	uint8_t **cont;	  /* per variable: content set */
	uint8_t *escaped; /* per variable */
};

struct esc {
	struct fe_ctx *fx;
	struct fe_prog *p;
	struct fstate *fs; /* per function */
	struct fstate *cur;
	int changed;
};

static int bit(const uint8_t *s, int i) { return s[i / 8] >> (i % 8) & 1; }

static void setbit(uint8_t *s, int i) { s[i / 8] |= (uint8_t)(1u << (i % 8)); }

static uint8_t *newset(struct esc *e)
{
	return fe_alloc(e->fx, (size_t)e->cur->nbytes);
}

static void set_or(struct esc *e, uint8_t *dst, const uint8_t *src)
{
	for (int i = 0; i < e->cur->nbytes; i++)
		dst[i] |= src[i];
}

static void escape_set(struct esc *e, const uint8_t *s)
{
	struct fstate *fs = e->cur;
	struct fe_func *f = fs->f;
	for (int o = 0; o < fs->nobj; o++) {
		if (!bit(s, o))
			continue;
		if (o < f->nvars) {
			if (!fs->escaped[o]) {
				fs->escaped[o] = 1;
				e->changed = 1;
			}
		} else if (o < f->nvars + f->nparams) {
			int j = o - f->nvars;
			if (!f->param_esc[j]) {
				f->param_esc[j] = 1;
				e->changed = 1;
			}
		} else {
			int j = o - f->nvars - f->nparams;
			if (!f->param_cont_esc[j]) {
				f->param_cont_esc[j] = 1;
				e->changed = 1;
			}
		}
	}
}

/* C(v) |= s; objects of a deeper loop than v escape. */
static void flow(struct esc *e, struct sym *v, const uint8_t *s)
{
	struct fstate *fs = e->cur;
	struct fe_func *f = fs->f;
	uint8_t *deep = newset(e);
	int anydeep = 0;
	for (int o = 0; o < f->nvars; o++)
		if (bit(s, o) && f->vars[o]->loopdepth > v->loopdepth) {
			setbit(deep, o);
			anydeep = 1;
		}
	if (anydeep)
		escape_set(e, deep);
	uint8_t *c = fs->cont[v->vidx];
	for (int i = 0; i < fs->nbytes; i++)
		if ((c[i] | s[i]) != c[i]) {
			c[i] |= s[i];
			e->changed = 1;
		}
}

static void load(struct esc *e, const uint8_t *s, uint8_t *out)
{
	struct fstate *fs = e->cur;
	struct fe_func *f = fs->f;
	for (int o = 0; o < fs->nobj; o++) {
		if (!bit(s, o))
			continue;
		if (o < f->nvars) {
			set_or(e, out, fs->cont[o]);
		} else {
			int j = (o - f->nvars) % f->nparams;
			setbit(out, f->nvars + f->nparams + j);
		}
	}
}

static int is_local(const struct node *n)
{
	return n->kind == N_IDENT && n->sym && n->sym->kind == S_VAR &&
	       !n->sym->global && strcmp(n->sym->name, "_");
}

static void eval(struct esc *e, struct node *n, uint8_t *out);

static void addr(struct esc *e, struct node *n, uint8_t *out)
{
	switch (n->kind) {
	case N_PAREN:
		addr(e, n->a, out);
		return;
	case N_IDENT:
		if (is_local(n))
			setbit(out, n->sym->vidx);
		return;
	case N_SELECT:
		if (n->a->type->kind == TY_PTR)
			eval(e, n->a, out);
		else
			addr(e, n->a, out);
		return;
	case N_INDEX:
		eval(e, n->b, newset(e));
		if (n->a->type->kind == TY_PTR)
			eval(e, n->a, out);
		else
			addr(e, n->a, out);
		return;
	case N_UNARY:
		eval(e, n->a, out);
		return;
	}
}

static void call(struct esc *e, struct node *n)
{
	struct fe_func *g =
	    n->a->sym && n->a->sym->kind == S_FUNC ? n->a->sym->fn : NULL;
	for (int i = 0; i < n->nlist; i++) {
		uint8_t *s = newset(e);
		if (!n->list[i]->type || n->list[i]->type->kind == TY_STRING)
			continue;
		eval(e, n->list[i], s);
		if (!g || n->builtin)
			continue;
		if (g->param_esc[i]) {
			escape_set(e, s);
		} else if (g->param_cont_esc[i]) {
			uint8_t *c = newset(e);
			load(e, s, c);
			escape_set(e, c);
		}
	}
}

/* The objects whose address the value of n may be; visits every call. */
static void eval(struct esc *e, struct node *n, uint8_t *out)
{
	switch (n->kind) {
	case N_PAREN:
		eval(e, n->a, out);
		return;
	case N_IDENT:
		if (is_local(n))
			set_or(e, out, e->cur->cont[n->sym->vidx]);
		return;
	case N_UNARY:
		if (n->op == T_AND) {
			addr(e, n->a, out);
		} else if (n->op == T_MUL) {
			uint8_t *s = newset(e);
			eval(e, n->a, s);
			load(e, s, out);
		} else {
			eval(e, n->a, newset(e));
		}
		return;
	case N_BINARY:
		eval(e, n->a, newset(e));
		eval(e, n->b, newset(e));
		return;
	case N_CALL:
		if (n->builtin == B_NEW || n->builtin == B_LEN)
			return;
		call(e, n);
		return;
	case N_SELECT:
	case N_INDEX: {
		if (n->kind == N_INDEX)
			eval(e, n->b, newset(e));
		if (n->a->type->kind == TY_PTR) {
			uint8_t *s = newset(e);
			eval(e, n->a, s);
			load(e, s, out);
		} else {
			eval(e, n->a, out);
		}
		return;
	}
	}
}

/* Stores the value set s into the place n. */
static void assign(struct esc *e, struct node *n, const uint8_t *s)
{
	switch (n->kind) {
	case N_PAREN:
		assign(e, n->a, s);
		return;
	case N_IDENT:
		if (!strcmp(n->name, "_"))
			return;
		if (is_local(n))
			flow(e, n->sym, s);
		else
			escape_set(e, s);
		return;
	case N_SELECT:
	case N_INDEX:
		if (n->kind == N_INDEX)
			eval(e, n->b, newset(e));
		if (n->a->type->kind == TY_PTR) {
			eval(e, n->a, newset(e));
			escape_set(e, s);
		} else {
			assign(e, n->a, s);
		}
		return;
	case N_UNARY:
		eval(e, n->a, newset(e));
		escape_set(e, s);
		return;
	}
}

static void stmt(struct esc *e, struct node *s);

static void block(struct esc *e, struct node *b)
{
	for (int i = 0; i < b->nlist; i++)
		stmt(e, b->list[i]);
}

static void stmt(struct esc *e, struct node *s)
{
	uint8_t *v;
	switch (s->kind) {
	case N_VAR:
	case N_DEFINE:
	case N_ASSIGN:
		for (int i = 0; i < s->nlist2; i++) {
			v = newset(e);
			eval(e, s->list2[i], v);
			assign(e, s->list[i], v);
		}
		return;
	case N_OPASSIGN:
		eval(e, s->a, newset(e));
		eval(e, s->b, newset(e));
		return;
	case N_INCDEC:
	case N_EXPRSTMT:
		eval(e, s->a, newset(e));
		return;
	case N_IF:
		if (s->a)
			stmt(e, s->a);
		eval(e, s->b, newset(e));
		block(e, s->c);
		if (s->d)
			stmt(e, s->d);
		return;
	case N_FOR:
		if (s->a)
			stmt(e, s->a);
		if (s->b)
			eval(e, s->b, newset(e));
		if (s->c)
			stmt(e, s->c);
		block(e, s->d);
		return;
	case N_BLOCK:
		block(e, s);
		return;
	case N_RETURN:
	case N_SEND:
		v = newset(e);
		if (s->kind == N_SEND)
			eval(e, s->a, newset(e));
		if (s->kind == N_SEND ? s->b != NULL : s->a != NULL)
			eval(e, s->kind == N_SEND ? s->b : s->a, v);
		escape_set(e, v);
		return;
	case N_GO:
		for (int i = 0; i < s->a->nlist; i++) {
			v = newset(e);
			eval(e, s->a->list[i], v);
			escape_set(e, v);
		}
		return;
	}
}

/* Escaped objects leak their contents; a leaking parameter leaks what it
   points to. */
static void propagate(struct esc *e)
{
	struct fstate *fs = e->cur;
	struct fe_func *f = fs->f;
	for (int o = 0; o < f->nvars; o++)
		if (fs->escaped[o])
			escape_set(e, fs->cont[o]);
	for (int j = 0; j < f->nparams; j++)
		if (f->param_esc[j] && !f->param_cont_esc[j]) {
			f->param_cont_esc[j] = 1;
			e->changed = 1;
		}
}

static void init_func(struct esc *e, struct fstate *fs, struct fe_func *f)
{
	fs->f = f;
	fs->nobj = f->nvars + 2 * f->nparams;
	fs->nbytes = fs->nobj / 8 + 1;
	fs->cont = fe_alloc(e->fx, sizeof(*fs->cont) * (size_t)(f->nvars + 1));
	fs->escaped = fe_alloc(e->fx, (size_t)f->nvars + 1);
	e->cur = fs;
	for (int o = 0; o < f->nvars; o++)
		fs->cont[o] = newset(e);
	for (int j = 0; j < f->nparams; j++)
		setbit(fs->cont[j], f->nvars + j); /* params are vars 0.. */
	f->param_esc = fe_alloc(e->fx, (size_t)f->nparams + 1);
	f->param_cont_esc = fe_alloc(e->fx, (size_t)f->nparams + 1);
}

void escape_program(struct fe_ctx *fx, struct fe_prog *p)
{
	struct esc es, *e = &es;
	memset(e, 0, sizeof(*e));
	e->fx = fx;
	e->p = p;
	e->fs = fe_alloc(fx, sizeof(*e->fs) * (size_t)(p->nfuncs + 1));
	for (int i = 0; i < p->nfuncs; i++)
		init_func(e, &e->fs[i], p->funcs[i]);
	do {
		e->changed = 0;
		for (int i = 0; i < p->nfuncs; i++) {
			e->cur = &e->fs[i];
			block(e, p->funcs[i]->decl->b);
			propagate(e);
		}
	} while (e->changed);
	for (int i = 0; i < p->nfuncs; i++) {
		struct fstate *fs = &e->fs[i];
		for (int o = 0; o < fs->f->nvars; o++)
			fs->f->vars[o]->escapes =
			    fs->escaped[o] && fs->f->vars[o]->addr_taken;
	}
}
