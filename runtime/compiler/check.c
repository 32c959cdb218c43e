/*
 * check.c -- gosub's type checker: scopes, name resolution, types and
 * layouts, constant folding (int64, overflow is an error), Go's own compile
 * errors for the subset (unused variables and imports, missing return,
 * assignability, break outside loops, ...) and the "not supported by gosub"
 * errors that need types to decide.
 *
 * Invariants: AST-4 on success. A program this file accepts is valid Go
 * (it may reject some valid Go, never accept invalid Go). Types are
 * interned: *T, [N]T and chan int exist once each, so type identity is
 * pointer equality.
 */
#include <string.h>

#include "ast.h"

struct scope {
	struct scope *up;
	struct sym **syms;
	int n, cap;
};

struct checker {
	struct fe_ctx *fx;
	struct fe_prog *p;
	struct scope *universe, *pkg, *cur;
	struct fe_func *fn; /* function being checked */
	int loopdepth;
	int inloop;
	struct sym *runtime_pkg;
};

static void err(struct checker *c, const struct node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void err(struct checker *c, const struct node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fe_verror(c->fx, n->line, n->col, fmt, ap);
	va_end(ap);
}

/* ---- types ---- */

static struct type *new_type(struct checker *c, int kind)
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

static struct type *ptr_to(struct checker *c, struct type *elem)
{
	if (!elem->ptrto) {
		elem->ptrto = new_type(c, TY_PTR);
		elem->ptrto->elem = elem;
	}
	return elem->ptrto;
}

static struct type *array_of(struct checker *c, struct type *elem, int64_t len)
{
	for (struct type *t = c->p->arrays; t; t = t->next)
		if (t->elem == elem && t->len == len)
			return t;
	struct type *t = new_type(c, TY_ARRAY);
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

static int is_int(const struct type *t)
{
	return t->kind == TY_INT || t->kind == TY_UNTYPED_INT;
}

static int is_bool(const struct type *t)
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

static const char *ts(struct checker *c, const struct type *t)
{
	return type_string(c->fx, t);
}

static void complete_type(struct checker *c, struct type *t,
			  const struct node *at);

static void layout_struct(struct checker *c, struct type *t)
{
	struct node *d = t->decl->a;
	int64_t off = 0;
	for (int i = 0; i < t->nfields; i++) {
		struct field *f = &t->fields[i];
		complete_type(c, f->type, d->list[i]);
		f->off = off;
		off += f->type->nwords * 8;
		if (off / 8 > FE_MAX_TYPE_WORDS) {
			err(c, d->list[i], "type %s is too large for gosub",
			    t->name);
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
	complete_type(c, t->elem, at);
	int64_t ew = t->elem->nwords;
	if (ew && t->len > FE_MAX_TYPE_WORDS / ew) {
		err(c, at, "array type %s is too large for gosub", ts(c, t));
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
static void complete_type(struct checker *c, struct type *t,
			  const struct node *at)
{
	if (t->state == 2)
		return;
	if (t->state == 1) {
		err(c, at, "invalid recursive type %s", ts(c, t));
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

/* ---- scopes ---- */

static struct sym *lookup_in(struct scope *s, const char *name)
{
	for (int i = s->n - 1; i >= 0; i--)
		if (!strcmp(s->syms[i]->name, name))
			return s->syms[i];
	return NULL;
}

static struct sym *lookup(struct checker *c, const char *name)
{
	for (struct scope *s = c->cur; s; s = s->up) {
		struct sym *y = lookup_in(s, name);
		if (y)
			return y;
	}
	return NULL;
}

static struct sym *new_sym(struct checker *c, int kind, const char *name,
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

static void declare(struct checker *c, struct sym *s, const struct node *at)
{
	if (!strcmp(s->name, "_"))
		return;
	struct sym *old = lookup_in(c->cur, s->name);
	if (old) {
		err(c, at, "%s redeclared in this block", s->name);
		return;
	}
	FE_PUSH(c->fx, c->cur->syms, c->cur->n, c->cur->cap, s);
}

static void open_scope(struct checker *c)
{
	struct scope *s = fe_alloc(c->fx, sizeof(*s));
	s->up = c->cur;
	c->cur = s;
}

static void close_scope(struct checker *c)
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

static void add_local(struct checker *c, struct sym *s)
{
	struct fe_func *f = c->fn;
	s->vidx = f->nvars;
	s->loopdepth = c->loopdepth;
	FE_PUSH(c->fx, f->vars, f->nvars, f->capvars, s);
}

static void setup_universe(struct checker *c)
{
	struct fe_prog *p = c->p;
	p->t_int = new_type(c, TY_INT);
	p->t_bool = new_type(c, TY_BOOL);
	p->t_uint = new_type(c, TY_UNTYPED_INT);
	p->t_ubool = new_type(c, TY_UNTYPED_BOOL);
	p->t_nil = new_type(c, TY_NIL);
	p->t_string = new_type(c, TY_STRING);
	p->t_void = new_type(c, TY_VOID);
	p->t_chan = new_type(c, TY_CHAN);
	p->t_chan->elem = p->t_int;
	p->t_int->name = "int";
	p->t_bool->name = "bool";
	open_scope(c);
	c->universe = c->cur;
	struct sym *s;
	s = new_sym(c, S_TYPE, "int", NULL);
	s->type = p->t_int;
	declare(c, s, NULL);
	s = new_sym(c, S_TYPE, "bool", NULL);
	s->type = p->t_bool;
	declare(c, s, NULL);
	const char *bools[] = {"false", "true"};
	for (int i = 0; i < 2; i++) {
		s = new_sym(c, S_CONST, bools[i], NULL);
		s->type = p->t_ubool;
		s->cval = i;
		s->state = 2;
		declare(c, s, NULL);
	}
	s = new_sym(c, S_CONST, "nil", NULL);
	s->type = p->t_nil;
	s->state = 2;
	declare(c, s, NULL);
	static const struct {
		const char *n;
		int b;
	} bi[] = {{"new", B_NEW},
		  {"make", B_MAKE},
		  {"println", B_PRINTLN},
		  {"panic", B_PANIC},
		  {"len", B_LEN}};
	for (size_t i = 0; i < sizeof(bi) / sizeof(bi[0]); i++) {
		s = new_sym(c, S_BUILTIN, bi[i].n, NULL);
		s->builtin = bi[i].b;
		declare(c, s, NULL);
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
		s = new_sym(c, S_BUILTIN, unsupported[i], NULL);
		s->builtin = B_NONE;
		declare(c, s, NULL);
	}
	open_scope(c);
	c->pkg = c->cur;
}

static int unsupported_name(struct checker *c, const struct node *n,
			    const struct sym *s)
{
	if (s->kind == S_BUILTIN && s->builtin == B_NONE) {
		err(c, n, "%s is not supported by gosub", s->name);
		return 1;
	}
	return 0;
}

/* ---- type expressions ---- */

static void check_expr(struct checker *c, struct node *n);
static void const_eval(struct checker *c, struct sym *s);

static int64_t const_int(struct checker *c, struct node *n, int64_t dflt)
{
	check_expr(c, n);
	if (!n->isconst || !is_int(n->type)) {
		if (n->type && n->type->kind != TY_VOID)
			err(c, n, "array length must be a constant integer");
		return dflt;
	}
	return n->cval;
}

static struct type *resolve_type(struct checker *c, struct node *n)
{
	switch (n->kind) {
	case N_IDENT: {
		struct sym *s = lookup(c, n->name);
		if (!s) {
			err(c, n, "undefined: %s", n->name);
			return c->p->t_int;
		}
		if (unsupported_name(c, n, s))
			return c->p->t_int;
		if (s->kind != S_TYPE) {
			err(c, n, "%s is not a type", n->name);
			return c->p->t_int;
		}
		return s->type;
	}
	case N_PAREN:
		return resolve_type(c, n->a);
	case N_TPTR:
		return ptr_to(c, resolve_type(c, n->a));
	case N_UNARY:
		if (n->op == T_MUL)
			return ptr_to(c, resolve_type(c, n->a));
		break;
	case N_TARRAY: {
		int64_t len = const_int(c, n->a, 1);
		if (len < 0) {
			err(c, n->a, "invalid array length %lld",
			    (long long)len);
			len = 1;
		}
		struct type *t = array_of(c, resolve_type(c, n->b), len);
		return t;
	}
	case N_TCHAN: {
		struct type *e = resolve_type(c, n->a);
		if (e->kind != TY_INT)
			err(c, n,
			    "chan %s is not supported by gosub (only "
			    "chan int)",
			    ts(c, e));
		return c->p->t_chan;
	}
	case N_TSTRUCT:
		err(c, n, "anonymous struct type is not supported by gosub");
		return c->p->t_int;
	case N_SELECT:
		err(c, n, "qualified type is not supported by gosub");
		return c->p->t_int;
	}
	err(c, n, "expression is not a type");
	return c->p->t_int;
}

static int looks_like_type(struct checker *c, const struct node *n)
{
	switch (n->kind) {
	case N_TPTR:
	case N_TARRAY:
	case N_TCHAN:
	case N_TSTRUCT:
		return 1;
	case N_PAREN:
		return looks_like_type(c, n->a);
	case N_UNARY:
		return n->op == T_MUL && looks_like_type(c, n->a);
	case N_IDENT: {
		struct sym *s = lookup(c, n->name);
		return s && s->kind == S_TYPE;
	}
	}
	return 0;
}

/* ---- constants ---- */

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
static int fold_int(int op, int64_t a, int64_t b, int64_t *r)
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

static void set_const(struct node *n, struct type *t, int64_t v)
{
	n->type = t;
	n->isconst = 1;
	n->cval = v;
}

/* ---- expressions ---- */

static const char *describe(struct checker *c, const struct node *n)
{
	if (n->isconst && n->type->kind == TY_UNTYPED_INT)
		return fe_printf(c->fx, "%lld (untyped int constant)",
				 (long long)n->cval);
	if (n->type->kind == TY_NIL)
		return "nil";
	if (n->kind == N_IDENT && n->sym && n->sym->kind == S_VAR)
		return fe_printf(c->fx, "%s (variable of type %s)", n->name,
				 ts(c, n->type));
	return fe_printf(c->fx, "value of type %s", ts(c, n->type));
}

/* Is n assignable to t? Reports with `ctx` ("assignment", "argument"...)
   and converts untyped constants to t. */
static int assign_check(struct checker *c, struct node *n, struct type *t,
			const char *ctx)
{
	struct type *s = n->type;
	if (!s || s->kind == TY_VOID) {
		if (s)
			err(c, n, "%s (no value) used as value",
			    n->kind == N_CALL ? "function call" : "expression");
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
			err(c, n,
			    "string values are not supported by gosub "
			    "(only literals in println and panic)");
		else
			err(c, n, "cannot use %s as %s value in %s",
			    describe(c, n), ts(c, t), ctx);
		return 0;
	}
	if (s->kind == TY_UNTYPED_INT || s->kind == TY_UNTYPED_BOOL ||
	    s->kind == TY_NIL)
		n->type = t;
	return 1;
}

/* The type a value gets when it initialises a variable without a type. */
static struct type *default_type(struct checker *c, struct node *n)
{
	struct type *t = n->type;
	if (t->kind == TY_UNTYPED_INT)
		t = c->p->t_int;
	else if (t->kind == TY_UNTYPED_BOOL)
		t = c->p->t_bool;
	else if (t->kind == TY_NIL) {
		err(c, n, "use of untyped nil in assignment");
		return NULL;
	} else if (t->kind == TY_VOID) {
		err(c, n, "%s (no value) used as value",
		    n->kind == N_CALL ? "function call" : "expression");
		return NULL;
	} else if (t->kind == TY_STRING) {
		err(c, n,
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

static int addressable(const struct node *n)
{
	switch (n->kind) {
	case N_PAREN:
		return addressable(n->a);
	case N_IDENT:
		return n->sym && n->sym->kind == S_VAR;
	case N_UNARY:
		return n->op == T_MUL;
	case N_SELECT:
		return n->a->type &&
		       (n->a->type->kind == TY_PTR || addressable(n->a));
	case N_INDEX:
		return n->a->type &&
		       (n->a->type->kind == TY_PTR || addressable(n->a));
	}
	return 0;
}

static void bad(struct node *n, struct checker *c) { n->type = c->p->t_int; }

static void check_ident(struct checker *c, struct node *n)
{
	if (!strcmp(n->name, "_")) {
		err(c, n, "cannot use _ as value");
		bad(n, c);
		return;
	}
	struct sym *s = lookup(c, n->name);
	if (!s) {
		err(c, n, "undefined: %s", n->name);
		bad(n, c);
		return;
	}
	n->sym = s;
	bad(n, c);
	if (unsupported_name(c, n, s))
		return;
	switch (s->kind) {
	case S_VAR:
		s->used = 1;
		n->type = s->type;
		return;
	case S_CONST:
		const_eval(c, s);
		n->type = s->type;
		n->isconst = s->type->kind != TY_NIL;
		n->cval = s->cval;
		return;
	case S_TYPE:
		err(c, n, "%s (type) is not an expression", n->name);
		return;
	case S_FUNC:
		err(c, n, "function value %s is not supported by gosub",
		    n->name);
		return;
	case S_BUILTIN:
		err(c, n, "%s (built-in function) must be called", n->name);
		return;
	case S_PKG:
		c->runtime_pkg->used = 1;
		err(c, n, "use of package %s without selector", n->name);
		return;
	}
}

static void check_unary(struct checker *c, struct node *n)
{
	struct node *x = n->a;
	if (n->op == T_SUB && x->kind == N_INT && !x->overflow &&
	    x->ival == (uint64_t)1 << 63) {
		set_const(n, c->p->t_uint, INT64_MIN);
		x->type = c->p->t_uint;
		return;
	}
	check_expr(c, x);
	n->hascall = x->hascall;
	bad(n, c);
	switch (n->op) {
	case T_ADD:
	case T_SUB:
	case T_XOR:
		if (!is_int(x->type)) {
			err(c, n,
			    "invalid operation: operator %s not defined "
			    "on %s",
			    tok_name(n->op), describe(c, x));
			return;
		}
		n->type = x->type;
		if (x->isconst) {
			if (n->op == T_SUB && x->cval == INT64_MIN) {
				err(c, n, "constant overflows int");
				return;
			}
			set_const(n, x->type,
				  n->op == T_ADD   ? x->cval
				  : n->op == T_SUB ? -x->cval
						   : ~x->cval);
		}
		return;
	case T_NOT:
		if (!is_bool(x->type)) {
			err(c, n,
			    "invalid operation: operator ! not defined "
			    "on %s",
			    describe(c, x));
			return;
		}
		n->type = x->type;
		if (x->isconst)
			set_const(n, x->type, !x->cval);
		return;
	case T_MUL:
		if (x->type->kind == TY_NIL) {
			err(c, n, "invalid operation: cannot indirect nil");
			return;
		}
		if (x->type->kind != TY_PTR) {
			err(c, n, "invalid operation: cannot indirect %s",
			    describe(c, x));
			return;
		}
		n->type = x->type->elem;
		return;
	case T_AND: {
		if (!addressable(x)) {
			err(c, n,
			    "invalid operation: cannot take address of "
			    "%s",
			    describe(c, x));
			return;
		}
		struct sym *v = root_var(x);
		if (v && !v->global)
			v->addr_taken = 1;
		n->type = ptr_to(c, x->type);
		return;
	}
	case T_ARROW:
		if (x->type->kind != TY_CHAN) {
			err(c, n,
			    "invalid operation: cannot receive from "
			    "non-channel %s",
			    describe(c, x));
			return;
		}
		n->type = c->p->t_int;
		n->hascall = 1;
		return;
	}
}

static int is_cmp(int op)
{
	return op == T_EQL || op == T_NEQ || op == T_LSS || op == T_LEQ ||
	       op == T_GTR || op == T_GEQ;
}

static int64_t compare(int op, int64_t a, int64_t b)
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

static void check_compare(struct checker *c, struct node *n)
{
	struct node *x = n->a, *y = n->b;
	struct type *tx = x->type, *ty = y->type;
	int ok;
	if (n->op == T_EQL || n->op == T_NEQ) {
		if (tx->kind == TY_STRUCT || tx->kind == TY_ARRAY) {
			err(c, n,
			    "comparison of %s values is not supported "
			    "by gosub",
			    ts(c, tx));
			return;
		}
		if (tx->kind == TY_NIL && ty->kind == TY_NIL) {
			err(c, n,
			    "invalid operation: nil == nil (operator "
			    "== not defined on nil)");
			return;
		}
		ok = (is_int(tx) && is_int(ty)) ||
		     (is_bool(tx) && is_bool(ty)) ||
		     (type_is_ptr(tx) && (tx == ty || ty->kind == TY_NIL)) ||
		     (type_is_ptr(ty) && tx->kind == TY_NIL);
		if (ok && tx->kind == TY_INT && ty->kind == TY_INT)
			ok = 1;
	} else {
		ok = is_int(tx) && is_int(ty);
	}
	if (!ok) {
		err(c, n, "invalid operation: mismatched types %s and %s",
		    ts(c, tx), ts(c, ty));
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
		set_const(n, c->p->t_ubool, compare(n->op, x->cval, y->cval));
}

static void check_shift(struct checker *c, struct node *n)
{
	struct node *x = n->a, *y = n->b;
	if (!is_int(x->type) || !is_int(y->type)) {
		err(c, n, "invalid operation: shift of %s by %s",
		    describe(c, x), describe(c, y));
		return;
	}
	if (y->isconst && y->cval < 0) {
		err(c, y, "invalid shift count %lld (must be non-negative)",
		    (long long)y->cval);
		return;
	}
	if (y->type->kind == TY_UNTYPED_INT)
		y->type = c->p->t_int;
	if (x->isconst && y->isconst) {
		int64_t r;
		if (!fold_int(n->op, x->cval, y->cval, &r)) {
			err(c, n, "constant shift overflows int");
			return;
		}
		set_const(n, x->type, r);
		return;
	}
	if (x->type->kind == TY_UNTYPED_INT)
		x->type = c->p->t_int;
	n->type = x->type;
}

static void check_arith(struct checker *c, struct node *n)
{
	struct node *x = n->a, *y = n->b;
	struct type *tx = x->type, *ty = y->type;
	if (!is_int(tx) || !is_int(ty)) {
		if (tx == ty || tx->kind == TY_UNTYPED_INT ||
		    ty->kind == TY_UNTYPED_INT)
			err(c, n,
			    "invalid operation: operator %s not defined "
			    "on %s",
			    tok_name(n->op), describe(c, is_int(tx) ? y : x));
		else
			err(c, n,
			    "invalid operation: mismatched types %s and "
			    "%s",
			    ts(c, tx), ts(c, ty));
		return;
	}
	if ((n->op == T_QUO || n->op == T_REM) && y->isconst && y->cval == 0) {
		err(c, y, "invalid operation: division by zero");
		return;
	}
	struct type *t = tx->kind == TY_INT ? tx : ty;
	if (x->isconst && y->isconst) {
		int64_t r;
		if (!fold_int(n->op, x->cval, y->cval, &r)) {
			err(c, n, "constant overflows int");
			return;
		}
		set_const(n, t, r);
		return;
	}
	x->type = y->type = n->type = c->p->t_int;
}

static void check_binary(struct checker *c, struct node *n)
{
	struct node *x = n->a, *y = n->b;
	check_expr(c, x);
	check_expr(c, y);
	n->hascall = x->hascall || y->hascall;
	bad(n, c);
	if (x->type->kind == TY_VOID || y->type->kind == TY_VOID) {
		err(c, x->type->kind == TY_VOID ? x : y,
		    "function call (no value) used as value");
		return;
	}
	if (x->type->kind == TY_STRING || y->type->kind == TY_STRING) {
		err(c, n,
		    "string values are not supported by gosub (only "
		    "literals in println and panic)");
		return;
	}
	if (n->op == T_LAND || n->op == T_LOR) {
		if (!is_bool(x->type) || !is_bool(y->type)) {
			err(c, n,
			    "invalid operation: operator %s not defined "
			    "on %s",
			    tok_name(n->op),
			    describe(c, is_bool(x->type) ? y : x));
			return;
		}
		int untyped = x->type->kind == TY_UNTYPED_BOOL &&
			      y->type->kind == TY_UNTYPED_BOOL;
		n->type = untyped ? c->p->t_ubool : c->p->t_bool;
		x->type = y->type = c->p->t_bool;
		if (x->isconst && y->isconst)
			set_const(n, n->type,
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

static void check_args(struct checker *c, struct node *n, struct fe_func *f)
{
	if (n->nlist < f->nparams) {
		err(c, n, "not enough arguments in call to %s", f->sym->name);
		return;
	}
	if (n->nlist > f->nparams) {
		err(c, n->list[f->nparams], "too many arguments in call to %s",
		    f->sym->name);
		return;
	}
	for (int i = 0; i < n->nlist; i++)
		assign_check(c, n->list[i], f->params[i]->type, "argument");
}

static void check_builtin(struct checker *c, struct node *n, int b)
{
	struct fe_prog *p = c->p;
	n->builtin = b;
	n->type = p->t_void;
	switch (b) {
	case B_NEW:
		if (n->nlist != 1) {
			err(c, n, "wrong number of arguments to new");
			return;
		}
		n->type = ptr_to(c, resolve_type(c, n->list[0]));
		complete_type(c, n->type->elem, n);
		n->hascall = 1;
		return;
	case B_MAKE: {
		if (n->nlist < 1 || n->nlist > 2) {
			err(c, n, "wrong number of arguments to make");
			return;
		}
		struct type *t = resolve_type(c, n->list[0]);
		if (t->kind != TY_CHAN) {
			err(c, n, "make of %s is not supported by gosub",
			    ts(c, t));
			return;
		}
		if (n->nlist == 2) {
			check_expr(c, n->list[1]);
			assign_check(c, n->list[1], p->t_int, "argument");
			if (n->list[1]->isconst && n->list[1]->cval < 0)
				err(c, n->list[1],
				    "invalid argument: size "
				    "must not be negative");
		}
		n->type = t;
		n->hascall = 1;
		return;
	}
	case B_LEN: {
		if (n->nlist != 1) {
			err(c, n, "wrong number of arguments to len");
			return;
		}
		struct node *x = n->list[0];
		check_expr(c, x);
		struct type *t = x->type;
		if (t->kind == TY_PTR && t->elem->kind == TY_ARRAY)
			t = t->elem;
		if (t->kind != TY_ARRAY) {
			err(c, x,
			    "len of %s is not supported by gosub (only "
			    "arrays)",
			    ts(c, x->type));
			return;
		}
		if (x->hascall)
			err(c, x,
			    "len of an expression with calls is not "
			    "supported by gosub");
		set_const(n, p->t_int, t->len);
		return;
	}
	case B_PRINTLN:
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
				err(c, n->list[i],
				    "function call (no value) "
				    "used as value");
			else if (!is_int(t) && !is_bool(t))
				err(c, n->list[i],
				    "println of %s is not supported by gosub",
				    ts(c, t));
			else
				default_type(c, n->list[i]);
		}
		return;
	case B_PANIC: {
		struct node *a = n->nlist == 1 ? n->list[0] : NULL;
		while (a && a->kind == N_PAREN)
			a = a->a;
		if (!a || a->kind != N_STRING) {
			err(c, n,
			    "panic with anything but a string literal is "
			    "not supported by gosub");
			return;
		}
		a->type = n->list[0]->type = p->t_string;
		return;
	}
	case B_GC:
	case B_GOSCHED:
		if (n->nlist)
			err(c, n, "too many arguments in call to runtime.%s",
			    b == B_GC ? "GC" : "Gosched");
		n->hascall = 1;
		return;
	}
}

static void check_call(struct checker *c, struct node *n)
{
	struct node *f = n->a;
	while (f->kind == N_PAREN)
		f = f->a;
	bad(n, c);
	if (f->kind == N_SELECT && f->a->kind == N_IDENT) {
		struct sym *s = lookup(c, f->a->name);
		if (s && s->kind == S_PKG) {
			s->used = 1;
			if (!strcmp(f->name, "GC"))
				check_builtin(c, n, B_GC);
			else if (!strcmp(f->name, "Gosched"))
				check_builtin(c, n, B_GOSCHED);
			else
				err(c, f,
				    "runtime.%s is not supported by gosub",
				    f->name);
			for (int i = 0; i < n->nlist; i++)
				check_expr(c, n->list[i]);
			return;
		}
	}
	if (f->kind == N_IDENT) {
		struct sym *s = lookup(c, f->name);
		if (!s) {
			err(c, f, "undefined: %s", f->name);
			return;
		}
		f->sym = s;
		if (unsupported_name(c, f, s))
			return;
		if (s->kind == S_BUILTIN) {
			check_builtin(c, n, s->builtin);
			return;
		}
		if (s->kind == S_TYPE) {
			err(c, n, "conversion to %s is not supported by gosub",
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
	if (looks_like_type(c, f)) {
		err(c, n, "conversion is not supported by gosub");
		return;
	}
	check_expr(c, f);
	err(c, n, "invalid operation: cannot call non-function %s",
	    describe(c, f));
}

static void check_select(struct checker *c, struct node *n)
{
	bad(n, c);
	if (n->a->kind == N_IDENT) {
		struct sym *s = lookup(c, n->a->name);
		if (s && s->kind == S_PKG) {
			s->used = 1;
			err(c, n,
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
		err(c, n, "%s.%s undefined (type %s has no field or method %s)",
		    n->a->kind == N_IDENT ? n->a->name : "x", n->name,
		    ts(c, n->a->type), n->name);
		return;
	}
	complete_type(c, t, n);
	for (int i = 0; i < t->nfields; i++)
		if (!strcmp(t->fields[i].name, n->name)) {
			n->type = t->fields[i].type;
			n->foff = t->fields[i].off;
			return;
		}
	err(c, n, "%s.%s undefined (type %s has no field or method %s)",
	    n->a->kind == N_IDENT ? n->a->name : "x", n->name,
	    ts(c, n->a->type), n->name);
}

static void check_index(struct checker *c, struct node *n)
{
	check_expr(c, n->a);
	check_expr(c, n->b);
	n->hascall = n->a->hascall || n->b->hascall;
	bad(n, c);
	struct type *t = n->a->type;
	if (t->kind == TY_PTR && t->elem->kind == TY_ARRAY)
		t = t->elem;
	if (t->kind != TY_ARRAY) {
		err(c, n, "invalid operation: cannot index %s",
		    describe(c, n->a));
		return;
	}
	complete_type(c, t, n);
	if (!is_int(n->b->type)) {
		err(c, n->b, "invalid argument: index %s must be integer",
		    describe(c, n->b));
		return;
	}
	if (n->b->isconst && (n->b->cval < 0 || n->b->cval >= t->len)) {
		if (n->b->cval < 0)
			err(c, n->b,
			    "invalid argument: index %lld (constant of "
			    "type int) must not be negative",
			    (long long)n->b->cval);
		else
			err(c, n->b,
			    "invalid argument: index %lld out of "
			    "bounds [0:%lld]",
			    (long long)n->b->cval, (long long)t->len);
		return;
	}
	n->b->type = c->p->t_int;
	n->type = t->elem;
}

static void check_expr(struct checker *c, struct node *n)
{
	switch (n->kind) {
	case N_INT:
		if (n->overflow || n->ival > (uint64_t)INT64_MAX) {
			err(c, n,
			    "cannot use this constant as int value "
			    "(overflows)");
			set_const(n, c->p->t_uint, 0);
			return;
		}
		set_const(n, c->p->t_uint, (int64_t)n->ival);
		return;
	case N_STRING:
		err(c, n,
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
	err(c, n, "%s (type) is not an expression", ts(c, resolve_type(c, n)));
	bad(n, c);
}

/* ---- declarations ---- */

static void const_eval(struct checker *c, struct sym *s)
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
			err(c, val, "%s is not constant", describe(c, val));
	} else if (spec->a) {
		struct type *t = resolve_type(c, spec->a);
		if (t->kind != TY_INT && t->kind != TY_BOOL)
			err(c, spec->a,
			    "constant of type %s is not supported "
			    "by gosub",
			    ts(c, t));
		else if (assign_check(c, val, t, "constant declaration"))
			s->type = t;
		s->cval = val->cval;
	} else {
		s->type = val->type;
		s->cval = val->cval;
	}
	s->state = 2;
}

/* Declares the names of a const spec (values are evaluated lazily). */
static void declare_consts(struct checker *c, struct node *spec, int global)
{
	if (spec->nlist2 == 0) {
		err(c, spec,
		    "const declaration without values (implicit "
		    "repetition, iota) is not supported by gosub");
		return;
	}
	if (spec->nlist != spec->nlist2) {
		err(c, spec, "assignment mismatch: %d constants but %d values",
		    spec->nlist, spec->nlist2);
		return;
	}
	for (int i = 0; i < spec->nlist; i++) {
		struct sym *s =
		    new_sym(c, S_CONST, spec->list[i]->name, spec->list[i]);
		s->decl = spec;
		s->vidx = i;
		s->global = global;
		spec->list[i]->sym = s;
		if (!global)
			const_eval(c, s);
		declare(c, s, spec->list[i]);
	}
}

static void check_global_var(struct checker *c, struct node *spec)
{
	struct type *t = spec->a ? resolve_type(c, spec->a) : NULL;
	if (spec->nlist2 && spec->nlist2 != spec->nlist) {
		err(c, spec, "assignment mismatch: %d variables but %d values",
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
				err(c, v,
				    "global variable initialised with "
				    "a non-constant value is not "
				    "supported by gosub");
				continue;
			}
			if (vt)
				assign_check(c, v, vt, "variable declaration");
			else
				vt = default_type(c, v);
			init = v->cval;
		}
		if (!vt)
			continue;
		complete_type(c, vt, id);
		s->type = vt;
		if (strcmp(s->name, "_")) {
			struct fe_global g = {s, init};
			FE_PUSH(c->fx, c->p->globals, c->p->nglobals,
				c->p->capglobals, g);
		}
	}
}

static struct type *param_type(struct checker *c, struct node *tn,
			       const char *what)
{
	struct type *t = resolve_type(c, tn);
	if (!type_is_scalar(t)) {
		err(c, tn,
		    "%s of type %s is not supported by gosub (only int, "
		    "bool, pointers and chan int)",
		    what, ts(c, t));
		return c->p->t_int;
	}
	return t;
}

static void check_signature(struct checker *c, struct fe_func *f)
{
	struct node *d = f->decl;
	f->nparams = d->nlist2;
	f->params =
	    fe_alloc(c->fx, sizeof(*f->params) * (size_t)(f->nparams + 1));
	for (int i = 0; i < d->nlist2; i++) {
		struct node *pd = d->list2[i];
		struct sym *s =
		    new_sym(c, S_VAR, pd->name ? pd->name : "_", pd);
		s->type = param_type(c, pd->a, "parameter");
		s->param = i;
		s->used = 1;
		f->params[i] = s;
	}
	if (d->a)
		f->result = param_type(c, d->a, "result");
	if (!strcmp(f->sym->name, "main") && (f->nparams || f->result))
		err(c, d,
		    "func main must have no arguments and no return "
		    "values");
}

/* ---- statements ---- */

static void check_block(struct checker *c, struct node *b, int newscope);
static void check_stmt(struct checker *c, struct node *s);

static struct sym *declare_local(struct checker *c, struct node *id,
				 struct type *t)
{
	struct sym *s = new_sym(c, S_VAR, id->name, id);
	s->type = t;
	id->sym = s;
	if (strcmp(id->name, "_")) {
		add_local(c, s);
		declare(c, s, id);
	}
	return s;
}

static void check_var(struct checker *c, struct node *spec)
{
	struct type *t = spec->a ? resolve_type(c, spec->a) : NULL;
	if (t)
		complete_type(c, t, spec->a);
	if (spec->nlist2 && spec->nlist2 != spec->nlist) {
		err(c, spec, "assignment mismatch: %d variables but %d values",
		    spec->nlist, spec->nlist2);
		return;
	}
	struct type **types =
	    fe_alloc(c->fx, sizeof(*types) * (size_t)spec->nlist);
	for (int i = 0; i < spec->nlist2; i++) {
		struct node *v = spec->list2[i];
		check_expr(c, v);
		if (t)
			assign_check(c, v, t, "variable declaration");
		types[i] = t ? t : default_type(c, v);
	}
	for (int i = 0; i < spec->nlist; i++) {
		struct type *vt = spec->nlist2 ? types[i] : t;
		if (!vt)
			vt = c->p->t_int;
		declare_local(c, spec->list[i], vt);
	}
}

static void check_define(struct checker *c, struct node *n)
{
	int nnew = 0;
	for (int i = 0; i < n->nlist; i++) {
		struct node *id = n->list[i];
		if (id->kind != N_IDENT) {
			err(c, id, "non-name on left side of :=");
			return;
		}
		if (strcmp(id->name, "_") && !lookup_in(c->cur, id->name))
			nnew++;
	}
	if (n->nlist != n->nlist2) {
		err(c, n, "assignment mismatch: %d variables but %d values",
		    n->nlist, n->nlist2);
		return;
	}
	if (!nnew) {
		err(c, n, "no new variables on left side of :=");
		return;
	}
	if (n->nlist > 1 && nnew != n->nlist)
		for (int i = 0; i < n->nlist; i++)
			if (strcmp(n->list[i]->name, "_") &&
			    lookup_in(c->cur, n->list[i]->name)) {
				err(c, n->list[i],
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
		types[i] = default_type(c, n->list2[i]);
	}
	for (int i = 0; i < n->nlist; i++) {
		struct node *id = n->list[i];
		if (!strcmp(id->name, "_")) {
			id->sym = NULL;
			continue;
		}
		struct sym *old = lookup_in(c->cur, id->name);
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

/* An assignment target: marks nothing "used" for a bare variable name. */
static void check_lhs(struct checker *c, struct node *n)
{
	if (n->kind == N_IDENT) {
		struct sym *s = lookup(c, n->name);
		if (s && s->kind == S_VAR) {
			int used = s->used;
			check_expr(c, n);
			s->used = used;
			return;
		}
	}
	check_expr(c, n);
	if (n->type->kind != TY_VOID && !addressable(n))
		err(c, n,
		    "cannot assign to %s (neither addressable nor a "
		    "map index expression)",
		    describe(c, n));
}

static void check_assign(struct checker *c, struct node *n)
{
	if (n->nlist != n->nlist2) {
		err(c, n, "assignment mismatch: %d variables but %d values",
		    n->nlist, n->nlist2);
		return;
	}
	for (int i = 0; i < n->nlist; i++) {
		struct node *l = n->list[i];
		if (n->nlist > 1 && !is_blank(l) && l->kind != N_IDENT) {
			err(c, l,
			    "assignment of multiple values to anything "
			    "but variables is not supported by gosub");
			return;
		}
	}
	for (int i = 0; i < n->nlist; i++) {
		struct node *l = n->list[i], *r = n->list2[i];
		check_expr(c, r);
		if (is_blank(l)) {
			default_type(c, r);
			continue;
		}
		check_lhs(c, l);
		if (n->nlist > 1 && !type_is_scalar(l->type)) {
			err(c, l,
			    "multiple assignment of %s values is not "
			    "supported by gosub",
			    ts(c, l->type));
			continue;
		}
		assign_check(c, r, l->type, "assignment");
	}
}

static void check_opassign(struct checker *c, struct node *n)
{
	check_lhs(c, n->a);
	struct node *l = n->a;
	if (l->kind == N_IDENT && l->sym && l->sym->kind == S_VAR)
		l->sym->used = 1;
	check_expr(c, n->b);
	if (!is_int(l->type) || !is_int(n->b->type)) {
		err(c, n, "invalid operation: operator %s not defined on %s",
		    tok_name(n->op), describe(c, is_int(l->type) ? n->b : l));
		return;
	}
	if ((n->op == T_QUO || n->op == T_REM) && n->b->isconst &&
	    n->b->cval == 0) {
		err(c, n->b, "invalid operation: division by zero");
		return;
	}
	if ((n->op == T_SHL || n->op == T_SHR) && n->b->isconst &&
	    n->b->cval < 0) {
		err(c, n->b, "invalid shift count %lld (must be non-negative)",
		    (long long)n->b->cval);
		return;
	}
	n->b->type = c->p->t_int;
}

static void check_incdec(struct checker *c, struct node *n)
{
	check_lhs(c, n->a);
	if (n->a->kind == N_IDENT && n->a->sym && n->a->sym->kind == S_VAR)
		n->a->sym->used = 1;
	if (!is_int(n->a->type))
		err(c, n, "invalid operation: %s%s (non-numeric type %s)",
		    n->a->kind == N_IDENT ? n->a->name : "x", tok_name(n->op),
		    ts(c, n->a->type));
}

static void check_cond(struct checker *c, struct node *cond, const char *what)
{
	check_expr(c, cond);
	if (!is_bool(cond->type))
		err(c, cond, "non-boolean condition in %s statement", what);
	else
		cond->type = c->p->t_bool;
}

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
	err(c, n, "%s is not used", describe(c, n->a));
}

static void check_go(struct checker *c, struct node *n)
{
	struct node *x = n->a;
	if (x->kind != N_CALL) {
		err(c, x, "expression in go must be function call");
		check_expr(c, x);
		return;
	}
	check_expr(c, x);
	if (x->builtin || !x->a->sym || x->a->sym->kind != S_FUNC)
		err(c, x,
		    "go statement calling anything but a declared "
		    "function is not supported by gosub");
}

static void check_return(struct checker *c, struct node *n)
{
	struct type *want = c->fn->result;
	if (!n->a) {
		if (want)
			err(c, n,
			    "not enough return values\n\thave ()\n\twant "
			    "(%s)",
			    ts(c, want));
		return;
	}
	check_expr(c, n->a);
	if (!want) {
		err(c, n->a, "too many return values");
		return;
	}
	assign_check(c, n->a, want, "return statement");
}

static void check_if(struct checker *c, struct node *n)
{
	open_scope(c);
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
	close_scope(c);
}

static void check_for(struct checker *c, struct node *n)
{
	open_scope(c);
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
	close_scope(c);
}

static void check_stmt(struct checker *c, struct node *s)
{
	switch (s->kind) {
	case N_VAR:
		check_var(c, s);
		return;
	case N_CONST:
		declare_consts(c, s, 0);
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
			err(c, s, "break is not in a loop, switch, or select");
		return;
	case N_CONTINUE:
		if (!c->inloop)
			err(c, s, "continue is not in a loop");
		return;
	case N_SEND:
		check_expr(c, s->a);
		check_expr(c, s->b);
		if (s->a->type->kind != TY_CHAN)
			err(c, s,
			    "invalid operation: cannot send to "
			    "non-channel %s",
			    describe(c, s->a));
		else
			assign_check(c, s->b, c->p->t_int, "send");
		return;
	}
	err(c, s, "unexpected statement");
}

static void check_block(struct checker *c, struct node *b, int newscope)
{
	if (newscope)
		open_scope(c);
	for (int i = 0; i < b->nlist; i++)
		check_stmt(c, b->list[i]);
	if (newscope)
		close_scope(c);
}

/* ---- terminating statements (Go spec) ---- */

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

static void check_func(struct checker *c, struct fe_func *f)
{
	c->fn = f;
	c->loopdepth = 0;
	c->inloop = 0;
	open_scope(c);
	for (int i = 0; i < f->nparams; i++) {
		struct sym *s = f->params[i];
		if (strcmp(s->name, "_"))
			declare(c, s, f->decl->list2[i]);
		add_local(c, s);
	}
	check_block(c, f->decl->b, 0);
	close_scope(c);
	if (f->result && !terminating(f->decl->b)) {
		struct node at = *f->decl->b;
		at.line = at.eline;
		at.col = at.ecol;
		err(c, &at, "missing return");
	}
	c->fn = NULL;
}

/* ---- program ---- */

static void declare_top(struct checker *c, struct node *d)
{
	struct sym *s;
	switch (d->kind) {
	case N_IMPORT:
		if (c->runtime_pkg) {
			err(c, d, "runtime redeclared in this block");
			return;
		}
		s = new_sym(c, S_PKG, "runtime", d);
		c->runtime_pkg = s;
		declare(c, s, d);
		return;
	case N_TYPEDECL:
		s = new_sym(c, S_TYPE, d->name, d);
		if (d->a->kind != N_TSTRUCT) {
			err(c, d,
			    "type declaration of a non-struct type is "
			    "not supported by gosub");
			s->type = c->p->t_int;
		} else {
			s->type = new_type(c, TY_STRUCT);
			s->type->name = d->name;
			s->type->decl = d;
		}
		declare(c, s, d);
		return;
	case N_CONST:
		declare_consts(c, d, 1);
		return;
	case N_VAR:
		for (int i = 0; i < d->nlist; i++) {
			s = new_sym(c, S_VAR, d->list[i]->name, d->list[i]);
			s->global = 1;
			s->used = 1;
			s->type = c->p->t_int;
			d->list[i]->sym = s;
			declare(c, s, d->list[i]);
		}
		return;
	case N_FUNC: {
		s = new_sym(c, S_FUNC, d->name, d);
		if (!strcmp(d->name, "init")) {
			err(c, d, "func init is not supported by gosub");
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
		declare(c, s, d);
		return;
	}
	}
}

/* Resolves the fields of a named struct (sizes come later). */
static void resolve_struct_fields(struct checker *c, struct type *t)
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
				err(c, fd, "%s redeclared", fd->name);
		t->fields[i].name = fd->name;
		t->fields[i].type = resolve_type(c, fd->a);
	}
}

int check_program(struct fe_ctx *fx, struct node *file, struct fe_prog *p)
{
	struct checker ck, *c = &ck;
	memset(c, 0, sizeof(*c));
	c->fx = fx;
	c->p = p;
	setup_universe(c);
	for (int i = 0; i < file->nlist; i++)
		declare_top(c, file->list[i]);
	for (int i = 0; i < c->pkg->n; i++) {
		struct sym *s = c->pkg->syms[i];
		if (s->kind == S_TYPE && s->type->kind == TY_STRUCT)
			resolve_struct_fields(c, s->type);
	}
	for (int i = 0; i < c->pkg->n; i++) {
		struct sym *s = c->pkg->syms[i];
		if (s->kind == S_TYPE && s->type->kind == TY_STRUCT)
			complete_type(c, s->type, s->type->decl);
		if (s->kind == S_CONST)
			const_eval(c, s);
	}
	for (int i = 0; i < file->nlist; i++)
		if (file->list[i]->kind == N_VAR)
			check_global_var(c, file->list[i]);
	for (int i = 0; i < p->nfuncs; i++)
		check_signature(c, p->funcs[i]);
	struct sym *m = lookup_in(c->pkg, "main");
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
