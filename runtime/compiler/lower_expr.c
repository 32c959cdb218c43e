/*
 * lower_expr.c -- call-free expressions into temps: places (the storage an
 * addressable expression denotes), loads, stores and word copies, unary and
 * binary operators with the divide, shift, nil and bounds checks, IR types
 * and string literals, and new(T) (inline allocation or runtime.newobject).
 */
#include <string.h>

#include "abi.h"
#include "lower.h"

static const char *ir_type_name(struct lower *l, const struct type *t)
{
	switch (t->kind) {
	case TY_PTR:
		return fe_printf(l->fx, "*%s", ir_type_name(l, t->elem));
	case TY_ARRAY:
		return fe_printf(l->fx, "[%lld]%s", (long long)t->len,
				 ir_type_name(l, t->elem));
	case TY_STRUCT:
		return fe_printf(l->fx, "main.%s", t->name);
	}
	return type_string(l->fx, t);
}

static int type_index(struct lower *l, struct type *t)
{
	if (t->irtype >= 0)
		return t->irtype;
	struct ir_program *p = l->irp;
	struct ir_type it;
	it.name = ir_type_name(l, t);
	it.nwords = (int)t->nwords;
	it.ptrmask = fe_alloc(l->fx, (size_t)t->nwords / 8 + 1);
	memcpy(it.ptrmask, t->ptrmask, (size_t)(t->nwords + 7) / 8);
	p->types =
	    fe_grow(l->fx, p->types, sizeof(*p->types) * (size_t)p->ntypes,
		    sizeof(*p->types) * (size_t)(p->ntypes + 1));
	p->types[p->ntypes] = it;
	t->irtype = p->ntypes++;
	return t->irtype;
}

static const char *string_sym(struct lower *l, const char *s, int len)
{
	struct ir_program *p = l->irp;
	for (int i = 0; i < p->nstrings; i++)
		if (p->strings[i].len == len &&
		    !memcmp(p->strings[i].bytes, s, (size_t)len))
			return p->strings[i].sym;
	struct ir_string st;
	st.sym = fe_printf(l->fx, "gosub.str.%d", p->nstrings);
	st.bytes = s;
	st.len = len;
	p->strings = fe_grow(l->fx, p->strings,
			     sizeof(*p->strings) * (size_t)p->nstrings,
			     sizeof(*p->strings) * (size_t)(p->nstrings + 1));
	p->strings[p->nstrings++] = st;
	return st.sym;
}

/* Stores (ptr, len) of a string literal into argument words 0 and 1. */
void string_args(struct lower *l, const char *s, int len, ir_reg t)
{
	struct ir_insn *in = lw_emit(l, IR_ADDRSYM);
	in->dst = t;
	in->sym = string_sym(l, s, len);
	lw_stframe(l, 0, t, 0);
	lw_movi(l, t, len);
	lw_stframe(l, 1, t, 0);
}

/* Out-of-line panic block shared by a function; returns its label. */
static int panic_block(struct lower *l, int *lbl, const char *sym,
		       const char *msg)
{
	if (*lbl)
		return *lbl - 1;
	int lb = lw_new_label(l);
	*lbl = lb + 1;
	int save = l->fn.in_ool;
	l->fn.in_ool = 1;
	lw_label(l, lb);
	if (msg)
		string_args(l, msg, (int)strlen(msg), 0);
	lw_call(l, sym, msg ? 2 : 0, 0, 0);
	l->fn.in_ool = save;
	return lb;
}

static void nil_check(struct lower *l, ir_reg r)
{
	int lb = panic_block(l, &l->fn.lbl_nil, "runtime.panicnil", NULL);
	lw_jump(l, IR_BRZ, r, lb);
}

static void bounds_check(struct lower *l, ir_reg idx, int64_t len)
{
	int lb = lw_new_label(l);
	int mark = l->fn.sp;
	ir_reg c = lw_temp(l);
	lw_binopi(l, IR_CMPULT, c, idx, len, 0);
	lw_jump(l, IR_BRZ, c, lb);
	l->fn.sp = mark;
	int save = l->fn.in_ool;
	l->fn.in_ool = 1;
	lw_label(l, lb);
	ir_reg t = idx == 0 ? 1 : 0;
	lw_stframe(l, 0, idx, 0);
	lw_movi(l, t, len);
	lw_stframe(l, 1, t, 0);
	lw_call(l, "runtime.panicindex", 2, 0, 0);
	l->fn.in_ool = save;
}

/* new(T) into lv (a pointer variable): the inline fast path, or a call
   for large T (abi.h). */
void emit_new(struct lower *l, struct type *t, struct lvar *lv)
{
	int mark = l->fn.sp;
	int ti = type_index(l, t);
	int64_t size = t->nwords * 8;
	ir_reg d = lv->storage == ST_REG ? lv->vreg : lw_temp(l);
	int cls = -1;
#define EP_CLASS_PICK(c, sz)                                                   \
	if (cls < 0 && size + 8 <= (sz))                                       \
		cls = (c);
	EP_SIZE_CLASSES(EP_CLASS_PICK)
#undef EP_CLASS_PICK
	if (size > EP_MAX_SMALL_SIZE - 8)
		cls = -1;
	if (cls < 0) {
		lw_movi(l, d, ti);
		lw_stframe(l, 0, d, 0);
		lw_call(l, "runtime.newobject", 1, 1, 1);
		lw_ldframe(l, d, 1, 1);
	} else {
		int slow = lw_new_label(l), back = lw_new_label(l);
		struct ir_insn *in = lw_emit(l, IR_ALLOC);
		in->dst = d;
		in->imm = ti;
		in->imm2 = cls;
		in->label = slow;
		in->unsafe = 1;
		in->dst_ptr = 1;
		lw_label(l, back);
		int save = l->fn.in_ool;
		l->fn.in_ool = 1;
		lw_label(l, slow);
		lw_movi(l, d, ti);
		lw_stframe(l, 0, d, 0);
		lw_call(l, "runtime.newobject", 1, 1, 1);
		lw_ldframe(l, d, 1, 1);
		lw_jump(l, IR_JMP, IR_NOREG, back);
		l->fn.in_ool = save;
	}
	if (lv->storage != ST_REG)
		write_lvar(l, lv, d);
	l->fn.sp = mark;
}

int node_ptr(const struct node *n) { return n->type && type_is_ptr(n->type); }

static struct lvar *lvar_of(struct lower *l, struct sym *s)
{
	if (!s->lv)
		fe_fatal(l->fx, l->fn.line, l->fn.col,
			 "internal error: variable %s has no storage", s->name);
	return s->lv;
}

/* Turns a frame place into a memory place with a base register. */
static void to_mem(struct lower *l, struct place *pl)
{
	if (pl->kind == PL_MEM)
		return;
	if (pl->kind != PL_FRAME)
		fe_fatal(l->fx, l->fn.line, l->fn.col,
			 "internal error: address of a register variable");
	ir_reg t = lw_temp(l);
	struct ir_insn *in = lw_emit(l, IR_ADDRFRAME);
	in->dst = t;
	in->imm = pl->word;
	pl->kind = PL_MEM;
	pl->base = t;
	pl->base_ptr = 0;
	pl->onstack = 1;
}

/* PrimaryExpr = PrimaryExpr Index . Index = "[" Expression "]" . */
/* x when n is &x (in parentheses or not): a pointer the compiler knows,
   so *&x, (&x).f and (&x)[i] are x's own storage -- a stack object's,
   whose stores take no barrier (IR-7), as in Go. Else NULL. */
static struct node *address_of(struct node *n)
{
	while (n->kind == N_PAREN)
		n = n->a;
	return n->kind == N_UNARY && n->op == T_AND ? n->a : NULL;
}

static struct place place_index(struct lower *l, struct node *n)
{
	struct type *at = n->a->type;
	struct place pl;
	struct node *x;
	if (at->kind == TY_PTR && (x = address_of(n->a))) {
		at = at->elem;
		pl = place_of(l, x);
	} else if (at->kind == TY_PTR) {
		at = at->elem;
		ir_reg r = gen_expr(l, n->a);
		nil_check(l, r);
		pl = (struct place){.kind = PL_MEM, .base = r, .base_ptr = 1};
	} else {
		pl = place_of(l, n->a);
	}
	int64_t esize = at->elem->nwords * 8;
	if (n->b->isconst) {
		pl.off += n->b->cval * esize;
		return pl;
	}
	to_mem(l, &pl);
	ir_reg idx = gen_expr(l, n->b);
	bounds_check(l, idx, at->len);
	ir_reg s = lw_is_temp(l, idx) ? idx : lw_temp(l);
	if (esize && !(esize & (esize - 1))) {
		int sh = 0;
		while ((1LL << sh) < esize)
			sh++;
		lw_binopi(l, IR_SHL, s, idx, sh, 0);
	} else {
		lw_binopi(l, IR_MUL, s, idx, esize, 0);
	}
	ir_reg d = lw_is_temp(l, pl.base) ? pl.base : s;
	lw_binop(l, IR_ADD, d, pl.base, s, pl.base_ptr);
	l->fn.sp = d + 1;
	pl.base = d;
	return pl;
}

/* The storage an addressable expression denotes (may emit code). */
struct place place_of(struct lower *l, struct node *n)
{
	struct place pl = {.kind = PL_VAR, .base = IR_NOREG};
	struct node *x;
	switch (n->kind) {
	case N_PAREN:
		return place_of(l, n->a);
	case N_IDENT: {
		struct sym *s = n->sym;
		if (s->global) {
			ir_reg t = lw_temp(l);
			struct ir_insn *in = lw_emit(l, IR_ADDRSYM);
			in->dst = t;
			in->sym = fe_printf(l->fx, "main.%s", s->name);
			pl.kind = PL_MEM;
			pl.base = t;
			return pl;
		}
		struct lvar *lv = lvar_of(l, s);
		switch (lv->storage) {
		case ST_COMPOSITE:
			pl.kind = PL_FRAME;
			pl.word = lv->obj;
			return pl;
		case ST_STACKOBJ:
			pl.kind = PL_MEM;
			pl.base = lw_temp(l);
			pl.base_ptr = 1;
			pl.onstack = 1;
			lw_ldframe(l, pl.base, lv->anchor, 1);
			return pl;
		case ST_HEAP:
			pl.kind = PL_MEM;
			pl.base = read_lvar(l, lv->cell);
			pl.base_ptr = 1;
			pl.cell = 1;
			return pl;
		}
		pl.lv = lv;
		return pl;
	}
	case N_SELECT:
		if (n->a->type->kind == TY_PTR && (x = address_of(n->a))) {
			pl = place_of(l, x);
			pl.off += n->foff;
			return pl;
		}
		if (n->a->type->kind == TY_PTR) {
			ir_reg r = gen_expr(l, n->a);
			nil_check(l, r);
			return (struct place){.kind = PL_MEM,
					      .base = r,
					      .base_ptr = 1,
					      .off = n->foff};
		}
		pl = place_of(l, n->a);
		pl.off += n->foff;
		return pl;
	case N_INDEX:
		return place_index(l, n);
	case N_UNARY:
		if (n->op == T_MUL && (x = address_of(n->a)))
			return place_of(l, x);
		if (n->op == T_MUL) {
			ir_reg r = gen_expr(l, n->a);
			nil_check(l, r);
			return (struct place){
			    .kind = PL_MEM, .base = r, .base_ptr = 1};
		}
		break;
	}
	fe_fatal(l->fx, n->line, n->col, "internal error: not addressable");
}

ir_reg load_place(struct lower *l, struct place *pl, int mark, int ptr)
{
	if (pl->kind == PL_VAR) {
		l->fn.sp = mark;
		return read_lvar(l, pl->lv);
	}
	if (pl->kind == PL_FRAME) {
		l->fn.sp = mark;
		ir_reg d = lw_temp(l);
		lw_ldframe(l, d, pl->word - (int)(pl->off / 8), ptr);
		return d;
	}
	l->fn.sp = mark;
	ir_reg d = lw_temp(l);
	lw_load(l, d, pl->base, pl->off, ptr);
	return d;
}

void store_place(struct lower *l, struct place *pl, ir_reg v, int ptr)
{
	if (pl->kind == PL_VAR)
		write_lvar(l, pl->lv, v);
	else if (pl->kind == PL_FRAME)
		lw_stframe(l, pl->word - (int)(pl->off / 8), v, ptr);
	else
		lw_store(l, pl->base, pl->off, v, ptr, place_site(pl));
}

/* Copies a composite value word by word from src to dst. */
void copy_words(struct lower *l, struct place *dst, struct place *src,
		struct type *t)
{
	int mark = l->fn.sp;
	ir_reg v = lw_temp(l);
	for (int64_t w = 0; w < t->nwords; w++) {
		int ptr = lw_getbit(t->ptrmask, w);
		if (src->kind == PL_FRAME)
			lw_ldframe(l, v, src->word - (int)(src->off / 8 + w),
				   ptr);
		else
			lw_load(l, v, src->base, src->off + 8 * w, ptr);
		if (dst->kind == PL_FRAME)
			lw_stframe(l, dst->word - (int)(dst->off / 8 + w), v,
				   ptr);
		else
			lw_store(l, dst->base, dst->off + 8 * w, v, ptr,
				 place_site(dst));
	}
	l->fn.sp = mark;
}

/* Expression = Expression ( "&&" | "||" ) Expression . */
static ir_reg gen_logical(struct lower *l, struct node *n, int mark)
{
	ir_reg a = gen_expr(l, n->a);
	l->fn.sp = mark;
	ir_reg d = lw_temp(l);
	lw_mov(l, d, a, 0);
	int end = lw_new_label(l);
	lw_jump(l, n->op == T_LAND ? IR_BRZ : IR_BRNZ, d, end);
	ir_reg b = gen_expr(l, n->b);
	lw_mov(l, d, b, 0);
	lw_label(l, end);
	l->fn.sp = mark + 1;
	return d;
}

static int binop_ir(int tok)
{
	switch (tok) {
	case T_ADD:
		return IR_ADD;
	case T_SUB:
		return IR_SUB;
	case T_MUL:
		return IR_MUL;
	case T_QUO:
		return IR_DIV;
	case T_REM:
		return IR_MOD;
	case T_AND:
		return IR_AND;
	case T_OR:
		return IR_OR;
	case T_XOR:
		return IR_XOR;
	case T_ANDNOT:
		return IR_ANDNOT;
	case T_SHL:
		return IR_SHL;
	case T_SHR:
		return IR_SHR;
	case T_EQL:
		return IR_CMPEQ;
	case T_NEQ:
		return IR_CMPNE;
	case T_LSS:
		return IR_CMPLT;
	case T_LEQ:
		return IR_CMPLE;
	case T_GTR:
		return IR_CMPGT;
	case T_GEQ:
		return IR_CMPGE;
	}
	return IR_NOP;
}

/* dst = a OP y, with the divide-by-zero and negative-shift checks. */
ir_reg lw_arith(struct lower *l, int tok, ir_reg a, struct node *y, int mark)
{
	int op = binop_ir(tok);
	if (y->isconst) {
		l->fn.sp = mark;
		ir_reg d = lw_temp(l);
		lw_binopi(l, op, d, a, y->cval, 0);
		return d;
	}
	ir_reg b = gen_expr(l, y);
	if (op == IR_DIV || op == IR_MOD) {
		lw_jump(l, IR_BRZ, b,
			panic_block(l, &l->fn.lbl_div, "runtime.panicdivide",
				    NULL));
	} else if (op == IR_SHL || op == IR_SHR) {
		int lb = panic_block(l, &l->fn.lbl_shift, "runtime.panicstr",
				     "runtime error: negative shift amount");
		int m2 = l->fn.sp;
		ir_reg c = lw_temp(l);
		lw_binopi(l, IR_CMPLT, c, b, 0, 0);
		lw_jump(l, IR_BRNZ, c, lb);
		l->fn.sp = m2;
	}
	l->fn.sp = mark;
	ir_reg d = lw_temp(l);
	lw_binop(l, op, d, a, b, 0);
	return d;
}

/* Expression = Expression binary_op Expression . */
static ir_reg gen_binary(struct lower *l, struct node *n, int mark)
{
	if (n->op == T_LAND || n->op == T_LOR)
		return gen_logical(l, n, mark);
	ir_reg a = gen_expr(l, n->a);
	return lw_arith(l, n->op, a, n->b, mark);
}

/* UnaryExpr = unary_op UnaryExpr . */
static ir_reg gen_unary(struct lower *l, struct node *n, int mark)
{
	ir_reg a, d;
	struct place pl;
	switch (n->op) {
	case T_ADD:
		return gen_expr(l, n->a);
	case T_SUB:
	case T_XOR:
	case T_NOT:
		a = gen_expr(l, n->a);
		l->fn.sp = mark;
		d = lw_temp(l);
		struct ir_insn *in = lw_emit(l, n->op == T_SUB	 ? IR_NEG
						: n->op == T_XOR ? IR_COM
								 : IR_NOT);
		in->dst = d;
		in->a = a;
		return d;
	case T_MUL:
		pl = place_of(l, n);
		return load_place(l, &pl, mark, node_ptr(n));
	case T_AND:
		pl = place_of(l, n->a);
		to_mem(l, &pl);
		if (!pl.off)
			return pl.base;
		l->fn.sp = mark;
		d = lw_temp(l);
		lw_binopi(l, IR_ADD, d, pl.base, pl.off, pl.base_ptr);
		return d;
	}
	fe_fatal(l->fx, n->line, n->col, "internal error: unary operator");
}

/* Evaluates a call-free (hoisted) expression into a register. */
ir_reg gen_expr(struct lower *l, struct node *n)
{
	int mark = l->fn.sp;
	if (n->hidden)
		return read_lvar(l, n->hidden);
	if (n->isconst) {
		ir_reg d = lw_temp(l);
		lw_movi(l, d, n->cval);
		return d;
	}
	struct place pl;
	switch (n->kind) {
	case N_PAREN:
		return gen_expr(l, n->a);
	case N_IDENT:
		if (n->sym->kind == S_CONST) { /* nil */
			ir_reg d = lw_temp(l);
			lw_movi(l, d, 0);
			return d;
		}
		/* fall through */
	case N_SELECT:
	case N_INDEX:
		pl = place_of(l, n);
		return load_place(l, &pl, mark, node_ptr(n));
	case N_UNARY:
		return gen_unary(l, n, mark);
	case N_BINARY:
		return gen_binary(l, n, mark);
	}
	fe_fatal(l->fx, n->line, n->col,
		 "internal error: expression not lowered");
}
