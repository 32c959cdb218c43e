/*
 * lower.c -- checked AST -> IR (ir.h) for one target: storage of every
 * variable, call hoisting, spilling around calls, inline allocation, bounds,
 * nil, divide and shift checks, and the frame layout.
 *
 * The model (ir.h, abi.h ABI-1), decided here:
 *   - Temps T0.. are an evaluation stack (struct lower.sp); a statement
 *     starts and ends with the stack empty, and no temp is live across a
 *     call: every call (user functions, runtime entry points, new, make,
 *     <-c) is first hoisted, in lexical order, into a hidden variable
 *     (hoist()); `a && f()` with a call on the right becomes control flow.
 *   - Scalar locals that are not address-taken get a V register at their
 *     declaration while one is free (released at the end of their scope),
 *     else they stay in their frame home. Parameters' homes are their
 *     parameter slots.
 *   - Address-taken locals are heap cells when escape.c says they escape,
 *     else stack objects reached only through their anchor word (an
 *     IR_LDFRAME of the anchor precedes every access, so liveness keeps the
 *     anchor live exactly while the object is still used). Composite locals
 *     that are not address-taken are frame words, live everywhere.
 *   - Spills: each IR_CALL is emitted bare with a snapshot of which
 *     variable owns each V register (struct callrec, index in insn.label);
 *     after a first liveness pass (calls not clobbering), every V register
 *     live after the call is stored to its home before the call and
 *     reloaded after it (place_spills()).
 *   - Local frame words are numbered from 0 during lowering and encoded as
 *     -1-n; once the outgoing area size (nout) is known they become nout+n
 *     (fixup_words()), so [0, nout) is the outgoing area (IR-3).
 *   - Out-of-line code (allocation slow paths, panics) goes to a second
 *     buffer appended after the final IR_RET.
 *
 * IR_CALL fields (additive to ir.h): imm = argument words, imm2 = 1 when a
 * result word follows them, dst_ptr = the result is a pointer.
 */
#include <string.h>

#include "abi.h"
#include "ast.h"

enum storage {
	ST_REG,      /* V register, spilled to home (or its parameter slot) */
	ST_MEM,      /* frame home word only */
	ST_PARAM,    /* parameter slot only */
	ST_STACKOBJ, /* frame object at obj, reached through anchor */
	ST_HEAP,     /* heap cell pointed to by cell */
	ST_COMPOSITE /* frame words at obj, always live */
};

struct lvar {
	struct type *type;
	int storage;
	int isptr;
	ir_reg vreg;
	int home;  /* encoded local word (ST_REG non-param, ST_MEM) */
	int param; /* parameter index, or -1 */
	int obj;   /* encoded first word (ST_STACKOBJ, ST_COMPOSITE) */
	int anchor;
	struct lvar *cell;
};

struct callrec {
	struct lvar *owner[IR_MAX_REGS];
};

struct place {
	int kind; /* PL_VAR, PL_FRAME, PL_MEM */
	struct lvar *lv;
	int word;     /* PL_FRAME: encoded word of offset 0 */
	ir_reg base;  /* PL_MEM */
	int base_ptr; /* base holds a (possibly interior) pointer */
	int64_t off;  /* bytes */
};
enum { PL_VAR, PL_FRAME, PL_MEM };

struct lower {
	struct fe_ctx *fx;
	struct fe_prog *p;
	const struct ir_target *t;
	struct ir_program *irp;
	struct fe_func *fn;
	struct ir_func *f;
	struct ir_insn *code, *ool;
	int ncode, capcode, nool, capool;
	int in_ool;
	int line, col;
	int sp;
	struct lvar *vowner[IR_MAX_REGS];
	struct lvar **scoped; /* user variables by scope */
	int nscoped, capscoped;
	struct lvar **hidden; /* statement-scoped hidden variables */
	int nhidden, caphidden;
	struct callrec *calls;
	int ncalls, capcalls;
	int nlocal, nout;
	int brk[FE_MAX_DEPTH + 1], cont[FE_MAX_DEPTH + 1], nloop;
	int lbl_div, lbl_nil, lbl_shift;
	int body_start;
	uint8_t *always_ptr, *untracked; /* local-word bitmaps, grown */
	int capbits;
};

static int loc(int n)
{
	return -1 - n;
}

/* ---- emission ---- */

static struct ir_insn *emit(struct lower *l, int op)
{
	struct ir_insn in;
	memset(&in, 0, sizeof(in));
	in.op = (uint8_t)op;
	in.dst = in.a = in.b = IR_NOREG;
	in.line = l->line;
	in.col = l->col;
	if (l->in_ool) {
		FE_PUSH(l->fx, l->ool, l->nool, l->capool, in);
		return &l->ool[l->nool - 1];
	}
	FE_PUSH(l->fx, l->code, l->ncode, l->capcode, in);
	return &l->code[l->ncode - 1];
}

static int new_label(struct lower *l)
{
	return l->f->nlabels++;
}

static void label(struct lower *l, int lb)
{
	emit(l, IR_LABEL)->imm = lb;
}

static void jump(struct lower *l, int op, ir_reg a, int lb)
{
	struct ir_insn *in = emit(l, op);
	in->a = a;
	in->imm = lb;
}

static void at(struct lower *l, const struct node *n)
{
	if (n) {
		l->line = n->line;
		l->col = n->col;
	}
}

static ir_reg temp(struct lower *l)
{
	if (l->sp >= l->t->ntemps)
		fe_fatal(l->fx, l->line, l->col,
			 "expression too complex for gosub (needs more than "
			 "%d temporaries on %s)",
			 l->t->ntemps, l->t->name);
	return (ir_reg)l->sp++;
}

static int is_temp(struct lower *l, ir_reg r)
{
	return r >= 0 && r < l->t->ntemps;
}

static void movi(struct lower *l, ir_reg d, int64_t v)
{
	struct ir_insn *in = emit(l, IR_MOVI);
	in->dst = d;
	in->imm = v;
}

static void mov(struct lower *l, ir_reg d, ir_reg a, int ptr)
{
	if (d == a)
		return;
	struct ir_insn *in = emit(l, IR_MOV);
	in->dst = d;
	in->a = a;
	in->dst_ptr = (uint8_t)ptr;
}

static void ldframe(struct lower *l, ir_reg d, int word, int ptr)
{
	struct ir_insn *in = emit(l, IR_LDFRAME);
	in->dst = d;
	in->imm = word;
	in->dst_ptr = (uint8_t)ptr;
}

static void stframe(struct lower *l, int word, ir_reg a, int ptr)
{
	struct ir_insn *in = emit(l, IR_STFRAME);
	in->a = a;
	in->imm = word;
	in->dst_ptr = (uint8_t)ptr;
}

static void binop(struct lower *l, int op, ir_reg d, ir_reg a, ir_reg b,
		  int ptr)
{
	struct ir_insn *in = emit(l, op);
	in->dst = d;
	in->a = a;
	in->b = b;
	in->dst_ptr = (uint8_t)ptr;
}

static void binopi(struct lower *l, int op, ir_reg d, ir_reg a, int64_t imm,
		   int ptr)
{
	struct ir_insn *in = emit(l, op);
	in->dst = d;
	in->a = a;
	in->bimm = 1;
	in->imm = imm;
	in->dst_ptr = (uint8_t)ptr;
}

static void load_mem(struct lower *l, ir_reg d, ir_reg base, int64_t off,
		     int ptr)
{
	struct ir_insn *in = emit(l, IR_LOAD);
	in->dst = d;
	in->a = base;
	in->imm = off;
	in->dst_ptr = (uint8_t)ptr;
}

static void store_mem(struct lower *l, ir_reg base, int64_t off, ir_reg v,
		      int ptr)
{
	struct ir_insn *in = emit(l, IR_STORE);
	in->a = base;
	in->b = v;
	in->imm = off;
	in->dst_ptr = (uint8_t)ptr;
}

/* An IR_CALL of sym with nargs argument words already stored. */
static struct ir_insn *call(struct lower *l, const char *sym, int nargs,
			    int has_result, int result_ptr)
{
	struct callrec rec;
	memcpy(rec.owner, l->vowner, sizeof(rec.owner));
	FE_PUSH(l->fx, l->calls, l->ncalls, l->capcalls, rec);
	struct ir_insn *in = emit(l, IR_CALL);
	in->sym = sym;
	in->imm = nargs;
	in->imm2 = has_result;
	in->dst_ptr = (uint8_t)result_ptr;
	in->label = l->ncalls - 1;
	if (nargs + has_result > l->nout)
		l->nout = nargs + has_result;
	return in;
}

/* ---- frame words ---- */

static void grow_bits(struct lower *l, int n)
{
	if (n <= l->capbits)
		return;
	int nc = l->capbits ? l->capbits : 64;
	while (nc < n)
		nc *= 2;
	l->always_ptr = fe_grow(l->fx, l->always_ptr, (size_t)l->capbits / 8,
				(size_t)nc / 8);
	l->untracked = fe_grow(l->fx, l->untracked, (size_t)l->capbits / 8,
			       (size_t)nc / 8);
	l->capbits = nc;
}

static int new_words(struct lower *l, int64_t n)
{
	if (l->nlocal + n > FE_MAX_LOCAL_WORDS)
		fe_fatal(l->fx, l->line, l->col,
			 "frame of %s is too large for gosub",
			 l->fn->sym->name);
	int w = l->nlocal;
	l->nlocal += (int)n;
	grow_bits(l, l->nlocal);
	return w;
}

static void setbit(uint8_t *m, int i)
{
	m[i / 8] |= (uint8_t)(1u << (i % 8));
}

static int getbit(const uint8_t *m, int64_t i)
{
	return m[i / 8] >> (i % 8) & 1;
}

/* ---- variables ---- */

static ir_reg alloc_vreg(struct lower *l, struct lvar *lv)
{
	for (int i = 0; i < l->t->nvars; i++) {
		int r = l->t->ntemps + i;
		if (!l->vowner[r]) {
			l->vowner[r] = lv;
			return (ir_reg)r;
		}
	}
	return IR_NOREG;
}

static void release(struct lower *l, struct lvar *lv)
{
	if (lv->storage == ST_REG && l->vowner[lv->vreg] == lv)
		l->vowner[lv->vreg] = NULL;
	if (lv->storage == ST_HEAP)
		release(l, lv->cell);
}

/* A scalar register-or-memory variable (user, hidden or heap cell). */
static struct lvar *new_scalar(struct lower *l, struct type *t, int param)
{
	struct lvar *lv = fe_alloc(l->fx, sizeof(*lv));
	lv->type = t;
	lv->isptr = type_is_ptr(t);
	lv->param = param;
	lv->vreg = alloc_vreg(l, lv);
	if (lv->vreg != IR_NOREG) {
		lv->storage = ST_REG;
		if (param < 0)
			lv->home = loc(new_words(l, 1));
	} else if (param >= 0) {
		lv->storage = ST_PARAM;
	} else {
		lv->storage = ST_MEM;
		lv->home = loc(new_words(l, 1));
	}
	return lv;
}

static struct lvar *new_hidden(struct lower *l, struct type *t)
{
	struct lvar *lv = new_scalar(l, t, -1);
	FE_PUSH(l->fx, l->hidden, l->nhidden, l->caphidden, lv);
	return lv;
}

static void release_hidden(struct lower *l, int mark)
{
	while (l->nhidden > mark)
		release(l, l->hidden[--l->nhidden]);
}

static void release_scoped(struct lower *l, int mark)
{
	while (l->nscoped > mark)
		release(l, l->scoped[--l->nscoped]);
}

static ir_reg read_lvar(struct lower *l, struct lvar *lv)
{
	ir_reg t, r;
	switch (lv->storage) {
	case ST_REG:
		return lv->vreg;
	case ST_MEM:
		t = temp(l);
		ldframe(l, t, lv->home, lv->isptr);
		return t;
	case ST_PARAM: {
		t = temp(l);
		struct ir_insn *in = emit(l, IR_LDPARAM);
		in->dst = t;
		in->imm = lv->param;
		in->dst_ptr = (uint8_t)lv->isptr;
		return t;
	}
	case ST_STACKOBJ:
		t = temp(l);
		ldframe(l, t, lv->anchor, 1);
		load_mem(l, t, t, 0, lv->isptr);
		return t;
	case ST_HEAP: {
		int mark = l->sp;
		r = read_lvar(l, lv->cell);
		l->sp = mark;
		t = temp(l);
		load_mem(l, t, r, 0, lv->isptr);
		return t;
	}
	}
	fe_fatal(l->fx, l->line, l->col, "internal error: read of composite");
}

static void write_lvar(struct lower *l, struct lvar *lv, ir_reg v)
{
	int mark = l->sp;
	ir_reg t;
	switch (lv->storage) {
	case ST_REG:
		mov(l, lv->vreg, v, lv->isptr);
		break;
	case ST_MEM:
		stframe(l, lv->home, v, lv->isptr);
		break;
	case ST_PARAM: {
		struct ir_insn *in = emit(l, IR_STPARAM);
		in->a = v;
		in->imm = lv->param;
		in->dst_ptr = (uint8_t)lv->isptr;
		break;
	}
	case ST_STACKOBJ:
		t = temp(l);
		ldframe(l, t, lv->anchor, 1);
		store_mem(l, t, 0, v, lv->isptr);
		break;
	case ST_HEAP:
		t = read_lvar(l, lv->cell);
		store_mem(l, t, 0, v, lv->isptr);
		break;
	default:
		fe_fatal(l->fx, l->line, l->col,
			 "internal error: write of composite");
	}
	l->sp = mark;
}

/* ---- types, strings, runtime checks ---- */

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
	p->types = fe_grow(l->fx, p->types, sizeof(*p->types) * (size_t)p->ntypes,
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
static void string_args(struct lower *l, const char *s, int len, ir_reg t)
{
	struct ir_insn *in = emit(l, IR_ADDRSYM);
	in->dst = t;
	in->sym = string_sym(l, s, len);
	stframe(l, 0, t, 0);
	movi(l, t, len);
	stframe(l, 1, t, 0);
}

/* Out-of-line panic block shared by a function; returns its label. */
static int panic_block(struct lower *l, int *lbl, const char *sym,
		       const char *msg)
{
	if (*lbl)
		return *lbl - 1;
	int lb = new_label(l);
	*lbl = lb + 1;
	int save = l->in_ool;
	l->in_ool = 1;
	label(l, lb);
	if (msg)
		string_args(l, msg, (int)strlen(msg), 0);
	call(l, sym, msg ? 2 : 0, 0, 0);
	l->in_ool = save;
	return lb;
}

static void nil_check(struct lower *l, ir_reg r)
{
	int lb = panic_block(l, &l->lbl_nil, "runtime.panicnil", NULL);
	jump(l, IR_BRZ, r, lb);
}

static void bounds_check(struct lower *l, ir_reg idx, int64_t len)
{
	int lb = new_label(l);
	int mark = l->sp;
	ir_reg c = temp(l);
	binopi(l, IR_CMPULT, c, idx, len, 0);
	jump(l, IR_BRZ, c, lb);
	l->sp = mark;
	int save = l->in_ool;
	l->in_ool = 1;
	label(l, lb);
	ir_reg t = idx == 0 ? 1 : 0;
	stframe(l, 0, idx, 0);
	movi(l, t, len);
	stframe(l, 1, t, 0);
	call(l, "runtime.panicindex", 2, 0, 0);
	l->in_ool = save;
}

/* new(T) into lv (a pointer variable): the inline fast path, or a call
   for large T (abi.h). */
static void emit_new(struct lower *l, struct type *t, struct lvar *lv)
{
	int mark = l->sp;
	int ti = type_index(l, t);
	int64_t size = t->nwords * 8;
	ir_reg d = lv->storage == ST_REG ? lv->vreg : temp(l);
	int cls = -1;
#define EP_CLASS_PICK(c, sz)                                                   \
	if (cls < 0 && size + 8 <= (sz))                                       \
		cls = (c);
	EP_SIZE_CLASSES(EP_CLASS_PICK)
#undef EP_CLASS_PICK
	if (size > EP_MAX_SMALL_SIZE - 8)
		cls = -1;
	if (cls < 0) {
		movi(l, d, ti);
		stframe(l, 0, d, 0);
		call(l, "runtime.newobject", 1, 1, 1);
		ldframe(l, d, 1, 1);
	} else {
		int slow = new_label(l), back = new_label(l);
		struct ir_insn *in = emit(l, IR_ALLOC);
		in->dst = d;
		in->imm = ti;
		in->imm2 = cls;
		in->label = slow;
		in->unsafe = 1;
		in->dst_ptr = 1;
		label(l, back);
		int save = l->in_ool;
		l->in_ool = 1;
		label(l, slow);
		movi(l, d, ti);
		stframe(l, 0, d, 0);
		call(l, "runtime.newobject", 1, 1, 1);
		ldframe(l, d, 1, 1);
		jump(l, IR_JMP, IR_NOREG, back);
		l->in_ool = save;
	}
	if (lv->storage != ST_REG)
		write_lvar(l, lv, d);
	l->sp = mark;
}

/* ---- expressions ---- */

static ir_reg gen(struct lower *l, struct node *n);
static void hoist(struct lower *l, struct node *n);

static int node_ptr(const struct node *n)
{
	return n->type && type_is_ptr(n->type);
}

static struct lvar *lvar_of(struct lower *l, struct sym *s)
{
	if (!s->lv)
		fe_fatal(l->fx, l->line, l->col,
			 "internal error: variable %s has no storage", s->name);
	return s->lv;
}

static struct place place_of(struct lower *l, struct node *n);

/* Turns a frame place into a memory place with a base register. */
static void to_mem(struct lower *l, struct place *pl)
{
	if (pl->kind == PL_MEM)
		return;
	if (pl->kind != PL_FRAME)
		fe_fatal(l->fx, l->line, l->col,
			 "internal error: address of a register variable");
	ir_reg t = temp(l);
	struct ir_insn *in = emit(l, IR_ADDRFRAME);
	in->dst = t;
	in->imm = pl->word;
	pl->kind = PL_MEM;
	pl->base = t;
	pl->base_ptr = 0;
}

static struct place place_index(struct lower *l, struct node *n)
{
	struct type *at = n->a->type;
	struct place pl;
	if (at->kind == TY_PTR) {
		at = at->elem;
		ir_reg r = gen(l, n->a);
		nil_check(l, r);
		pl = (struct place){PL_MEM, NULL, 0, r, 1, 0};
	} else {
		pl = place_of(l, n->a);
	}
	int64_t esize = at->elem->nwords * 8;
	if (n->b->isconst) {
		pl.off += n->b->cval * esize;
		return pl;
	}
	to_mem(l, &pl);
	ir_reg idx = gen(l, n->b);
	bounds_check(l, idx, at->len);
	ir_reg s = is_temp(l, idx) ? idx : temp(l);
	if (esize && !(esize & (esize - 1))) {
		int sh = 0;
		while ((1LL << sh) < esize)
			sh++;
		binopi(l, IR_SHL, s, idx, sh, 0);
	} else {
		binopi(l, IR_MUL, s, idx, esize, 0);
	}
	ir_reg d = is_temp(l, pl.base) ? pl.base : s;
	binop(l, IR_ADD, d, pl.base, s, pl.base_ptr);
	l->sp = d + 1;
	pl.base = d;
	return pl;
}

/* The storage an addressable expression denotes (may emit code). */
static struct place place_of(struct lower *l, struct node *n)
{
	struct place pl = {PL_VAR, NULL, 0, IR_NOREG, 0, 0};
	switch (n->kind) {
	case N_PAREN:
		return place_of(l, n->a);
	case N_IDENT: {
		struct sym *s = n->sym;
		if (s->global) {
			ir_reg t = temp(l);
			struct ir_insn *in = emit(l, IR_ADDRSYM);
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
			pl.base = temp(l);
			pl.base_ptr = 1;
			ldframe(l, pl.base, lv->anchor, 1);
			return pl;
		case ST_HEAP:
			pl.kind = PL_MEM;
			pl.base = read_lvar(l, lv->cell);
			pl.base_ptr = 1;
			return pl;
		}
		pl.lv = lv;
		return pl;
	}
	case N_SELECT:
		if (n->a->type->kind == TY_PTR) {
			ir_reg r = gen(l, n->a);
			nil_check(l, r);
			return (struct place){PL_MEM, NULL, 0, r, 1, n->foff};
		}
		pl = place_of(l, n->a);
		pl.off += n->foff;
		return pl;
	case N_INDEX:
		return place_index(l, n);
	case N_UNARY:
		if (n->op == T_MUL) {
			ir_reg r = gen(l, n->a);
			nil_check(l, r);
			return (struct place){PL_MEM, NULL, 0, r, 1, 0};
		}
		break;
	}
	fe_fatal(l->fx, n->line, n->col, "internal error: not addressable");
}

static ir_reg load_place(struct lower *l, struct place *pl, int mark,
			 int ptr)
{
	if (pl->kind == PL_VAR) {
		l->sp = mark;
		return read_lvar(l, pl->lv);
	}
	if (pl->kind == PL_FRAME) {
		l->sp = mark;
		ir_reg d = temp(l);
		ldframe(l, d, pl->word - (int)(pl->off / 8), ptr);
		return d;
	}
	l->sp = mark;
	ir_reg d = temp(l);
	load_mem(l, d, pl->base, pl->off, ptr);
	return d;
}

static void store_place(struct lower *l, struct place *pl, ir_reg v, int ptr)
{
	if (pl->kind == PL_VAR)
		write_lvar(l, pl->lv, v);
	else if (pl->kind == PL_FRAME)
		stframe(l, pl->word - (int)(pl->off / 8), v, ptr);
	else
		store_mem(l, pl->base, pl->off, v, ptr);
}

/* Copies a composite value word by word from src to dst. */
static void copy_words(struct lower *l, struct place *dst, struct place *src,
		       struct type *t)
{
	int mark = l->sp;
	ir_reg v = temp(l);
	for (int64_t w = 0; w < t->nwords; w++) {
		int ptr = getbit(t->ptrmask, w);
		if (src->kind == PL_FRAME)
			ldframe(l, v, src->word - (int)(src->off / 8 + w), ptr);
		else
			load_mem(l, v, src->base, src->off + 8 * w, ptr);
		if (dst->kind == PL_FRAME)
			stframe(l, dst->word - (int)(dst->off / 8 + w), v, ptr);
		else
			store_mem(l, dst->base, dst->off + 8 * w, v, ptr);
	}
	l->sp = mark;
}

static ir_reg gen_logical(struct lower *l, struct node *n, int mark)
{
	ir_reg a = gen(l, n->a);
	l->sp = mark;
	ir_reg d = temp(l);
	mov(l, d, a, 0);
	int end = new_label(l);
	jump(l, n->op == T_LAND ? IR_BRZ : IR_BRNZ, d, end);
	ir_reg b = gen(l, n->b);
	mov(l, d, b, 0);
	label(l, end);
	l->sp = mark + 1;
	return d;
}

static int binop_ir(int tok)
{
	switch (tok) {
	case T_ADD: return IR_ADD;
	case T_SUB: return IR_SUB;
	case T_MUL: return IR_MUL;
	case T_QUO: return IR_DIV;
	case T_REM: return IR_MOD;
	case T_AND: return IR_AND;
	case T_OR: return IR_OR;
	case T_XOR: return IR_XOR;
	case T_ANDNOT: return IR_ANDNOT;
	case T_SHL: return IR_SHL;
	case T_SHR: return IR_SHR;
	case T_EQL: return IR_CMPEQ;
	case T_NEQ: return IR_CMPNE;
	case T_LSS: return IR_CMPLT;
	case T_LEQ: return IR_CMPLE;
	case T_GTR: return IR_CMPGT;
	case T_GEQ: return IR_CMPGE;
	}
	return IR_NOP;
}

/* dst = a OP y, with the divide-by-zero and negative-shift checks. */
static ir_reg arith(struct lower *l, int tok, ir_reg a, struct node *y,
		    int mark)
{
	int op = binop_ir(tok);
	if (y->isconst) {
		l->sp = mark;
		ir_reg d = temp(l);
		binopi(l, op, d, a, y->cval, 0);
		return d;
	}
	ir_reg b = gen(l, y);
	if (op == IR_DIV || op == IR_MOD) {
		jump(l, IR_BRZ, b,
		     panic_block(l, &l->lbl_div, "runtime.panicdivide", NULL));
	} else if (op == IR_SHL || op == IR_SHR) {
		int lb = panic_block(l, &l->lbl_shift, "runtime.panicstr",
				     "runtime error: negative shift amount");
		int m2 = l->sp;
		ir_reg c = temp(l);
		binopi(l, IR_CMPLT, c, b, 0, 0);
		jump(l, IR_BRNZ, c, lb);
		l->sp = m2;
	}
	l->sp = mark;
	ir_reg d = temp(l);
	binop(l, op, d, a, b, 0);
	return d;
}

static ir_reg gen_binary(struct lower *l, struct node *n, int mark)
{
	if (n->op == T_LAND || n->op == T_LOR)
		return gen_logical(l, n, mark);
	ir_reg a = gen(l, n->a);
	return arith(l, n->op, a, n->b, mark);
}

static ir_reg gen_unary(struct lower *l, struct node *n, int mark)
{
	ir_reg a, d;
	struct place pl;
	switch (n->op) {
	case T_ADD:
		return gen(l, n->a);
	case T_SUB: case T_XOR: case T_NOT:
		a = gen(l, n->a);
		l->sp = mark;
		d = temp(l);
		struct ir_insn *in = emit(l, n->op == T_SUB   ? IR_NEG
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
		l->sp = mark;
		d = temp(l);
		binopi(l, IR_ADD, d, pl.base, pl.off, pl.base_ptr);
		return d;
	}
	fe_fatal(l->fx, n->line, n->col, "internal error: unary operator");
}

/* Evaluates a call-free (hoisted) expression into a register. */
static ir_reg gen(struct lower *l, struct node *n)
{
	int mark = l->sp;
	if (n->hidden)
		return read_lvar(l, n->hidden);
	if (n->isconst) {
		ir_reg d = temp(l);
		movi(l, d, n->cval);
		return d;
	}
	struct place pl;
	switch (n->kind) {
	case N_PAREN:
		return gen(l, n->a);
	case N_IDENT:
		if (n->sym->kind == S_CONST) { /* nil */
			ir_reg d = temp(l);
			movi(l, d, 0);
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

/* ---- calls ---- */

/* Receives a call's result word into a new hidden variable. */
static struct lvar *take_result(struct lower *l, int word, struct type *t)
{
	struct lvar *lv = new_hidden(l, t);
	if (lv->storage == ST_REG) {
		ldframe(l, lv->vreg, word, lv->isptr);
	} else {
		int mark = l->sp;
		ir_reg d = temp(l);
		ldframe(l, d, word, lv->isptr);
		write_lvar(l, lv, d);
		l->sp = mark;
	}
	return lv;
}

static void store_arg(struct lower *l, int word, struct node *a)
{
	int mark = l->sp;
	ir_reg v = gen(l, a);
	stframe(l, word, v, node_ptr(a));
	l->sp = mark;
}

/* Emits the call n (arguments already hoisted); returns the hidden
   variable holding its result, or NULL. */
static struct lvar *emit_call(struct lower *l, struct node *n, int want)
{
	struct lvar *lv;
	at(l, n);
	switch (n->builtin) {
	case B_NEW:
		lv = new_hidden(l, n->type);
		emit_new(l, n->type->elem, lv);
		return lv;
	case B_MAKE:
		if (n->nlist == 2) {
			store_arg(l, 0, n->list[1]);
		} else {
			int mark = l->sp;
			ir_reg t = temp(l);
			movi(l, t, 0);
			stframe(l, 0, t, 0);
			l->sp = mark;
		}
		call(l, "runtime.makechan", 1, 1, 1);
		return want ? take_result(l, 1, n->type) : NULL;
	case B_GC:
		call(l, "runtime.GC", 0, 0, 0);
		return NULL;
	case B_GOSCHED:
		call(l, "runtime.Gosched", 0, 0, 0);
		return NULL;
	}
	struct fe_func *g = n->a->sym->fn;
	for (int i = 0; i < n->nlist; i++)
		store_arg(l, i, n->list[i]);
	call(l, fe_printf(l->fx, "main.%s", g->sym->name), n->nlist,
	     g->result != NULL, g->result && type_is_ptr(g->result));
	if (!g->result || !want)
		return NULL;
	return take_result(l, n->nlist, g->result);
}

static struct lvar *emit_recv(struct lower *l, struct node *n, int want)
{
	at(l, n);
	store_arg(l, 0, n->a);
	call(l, "runtime.chanrecv", 1, 1, 0);
	return want ? take_result(l, 1, l->p->t_int) : NULL;
}

static void hoist_children(struct lower *l, struct node *n)
{
	if (n->a && n->a->hascall)
		hoist(l, n->a);
	if (n->b && n->b->hascall)
		hoist(l, n->b);
	for (int i = 0; i < n->nlist; i++)
		if (n->list[i]->hascall)
			hoist(l, n->list[i]);
}

/* a && f() / a || f(): control flow into a hidden bool. */
static void hoist_logical(struct lower *l, struct node *n)
{
	if (n->a->hascall)
		hoist(l, n->a);
	struct lvar *lv = new_hidden(l, l->p->t_bool);
	int mark = l->sp;
	write_lvar(l, lv, gen(l, n->a));
	l->sp = mark;
	int end = new_label(l);
	ir_reg r = read_lvar(l, lv);
	jump(l, n->op == T_LAND ? IR_BRZ : IR_BRNZ, r, end);
	l->sp = mark;
	hoist(l, n->b);
	write_lvar(l, lv, gen(l, n->b));
	l->sp = mark;
	label(l, end);
	n->hidden = lv;
}

/* Emits every call inside n, in lexical order, into hidden variables. */
static void hoist(struct lower *l, struct node *n)
{
	if (!n->hascall || n->hidden)
		return;
	switch (n->kind) {
	case N_CALL:
		if (n->builtin == B_MAKE) {
			if (n->nlist == 2 && n->list[1]->hascall)
				hoist(l, n->list[1]);
		} else if (n->builtin != B_NEW) {
			for (int i = 0; i < n->nlist; i++)
				hoist(l, n->list[i]);
		}
		n->hidden = emit_call(l, n, 1);
		return;
	case N_UNARY:
		if (n->op == T_ARROW) {
			hoist(l, n->a);
			n->hidden = emit_recv(l, n, 1);
			return;
		}
		break;
	case N_BINARY:
		if ((n->op == T_LAND || n->op == T_LOR) && n->b->hascall) {
			hoist_logical(l, n);
			return;
		}
		break;
	}
	hoist_children(l, n);
}

/* ---- statements ---- */

static void lower_stmt(struct lower *l, struct node *s);
static void lower_block(struct lower *l, struct node *b);

static void print_value(struct lower *l, struct node *a, struct lvar *lv)
{
	int mark = l->sp;
	ir_reg t = temp(l);
	if (a->type->kind == TY_STRING) {
		struct node *s = a;
		while (s->kind == N_PAREN)
			s = s->a;
		string_args(l, s->str, s->slen, t);
		l->sp = mark;
		call(l, "runtime.printstr", 2, 0, 0);
		return;
	}
	l->sp = mark;
	ir_reg v = lv ? read_lvar(l, lv) : gen(l, a);
	stframe(l, 0, v, 0);
	l->sp = mark;
	call(l, a->type->kind == TY_BOOL ? "runtime.printbool"
					 : "runtime.printint",
	     1, 0, 0);
}

/* println: all arguments are evaluated before anything is printed. */
static void lower_println(struct lower *l, struct node *n)
{
	struct lvar **vals = fe_alloc(l->fx, sizeof(*vals) * (size_t)(n->nlist + 1));
	for (int i = 0; i < n->nlist; i++)
		if (n->list[i]->hascall)
			hoist(l, n->list[i]);
	for (int i = 0; i < n->nlist; i++) {
		struct node *a = n->list[i];
		if (a->type->kind == TY_STRING || a->isconst)
			continue;
		int mark = l->sp;
		vals[i] = new_hidden(l, a->type);
		write_lvar(l, vals[i], gen(l, a));
		l->sp = mark;
	}
	at(l, n);
	for (int i = 0; i < n->nlist; i++) {
		if (i)
			call(l, "runtime.printsp", 0, 0, 0);
		print_value(l, n->list[i], vals[i]);
	}
	call(l, "runtime.printnl", 0, 0, 0);
}

static void lower_exprstmt(struct lower *l, struct node *s)
{
	struct node *x = s->a;
	while (x->kind == N_PAREN)
		x = x->a;
	if (x->kind == N_CALL) {
		if (x->builtin == B_PRINTLN) {
			lower_println(l, x);
			return;
		}
		if (x->builtin == B_PANIC) {
			struct node *a = x->list[0];
			while (a->kind == N_PAREN)
				a = a->a;
			at(l, x);
			string_args(l, a->str, a->slen, temp(l));
			l->sp = 0;
			call(l, "runtime.panicstr", 2, 0, 0);
			return;
		}
		if (x->builtin != B_NEW && x->builtin != B_MAKE) {
			for (int i = 0; i < x->nlist; i++)
				hoist(l, x->list[i]);
			emit_call(l, x, 0);
			return;
		}
	}
	if (x->kind == N_UNARY && x->op == T_ARROW) {
		hoist(l, x->a);
		emit_recv(l, x, 0);
		return;
	}
	hoist(l, x);
}

/* A pointer type for heap cells (only its kind matters downstream). */
static struct type *ptr_type_of(struct lower *l, struct type *elem)
{
	struct type *t = fe_alloc(l->fx, sizeof(*t));
	t->kind = TY_PTR;
	t->elem = elem;
	t->nwords = 1;
	t->state = 2;
	t->irtype = -1;
	t->ptrmask = fe_alloc(l->fx, 1);
	t->ptrmask[0] = 1;
	return t;
}

/* Chooses and initialises the storage of a declared local variable. */
static void declare_var(struct lower *l, struct sym *s, struct node *val)
{
	if (val)
		hoist(l, val);
	struct lvar *lv = s->lv;
	at(l, val);
	if (!lv) { /* scalar, not address-taken: decided now */
		lv = new_scalar(l, s->type, -1);
		s->lv = lv;
	}
	FE_PUSH(l->fx, l->scoped, l->nscoped, l->capscoped, lv);
	int mark = l->sp;
	struct type *t = s->type;
	if (lv->storage == ST_HEAP) {
		lv->cell = new_scalar(l, ptr_type_of(l, t), -1);
		emit_new(l, t, lv->cell);
		if (!val)
			return;
	} else if (lv->storage == ST_COMPOSITE ||
		   (lv->storage == ST_STACKOBJ && !type_is_scalar(t))) {
		struct ir_insn *z = emit(l, IR_ZERO);
		z->imm = lv->obj;
		z->imm2 = t->nwords;
	}
	if (!type_is_scalar(t)) {
		if (val) {
			struct place src = place_of(l, val);
			struct place dst = place_of(l, &(struct node){
				.kind = N_IDENT, .sym = s, .type = t});
			copy_words(l, &dst, &src, t);
		}
		l->sp = mark;
		return;
	}
	ir_reg v;
	if (val) {
		v = gen(l, val);
	} else {
		v = temp(l);
		movi(l, v, 0);
	}
	write_lvar(l, lv, v);
	l->sp = mark;
}

static void lower_assign1(struct lower *l, struct node *lhs, struct node *rhs)
{
	if (lhs->kind == N_IDENT && !strcmp(lhs->name, "_")) {
		hoist(l, rhs);
		at(l, rhs);
		gen(l, rhs);
		return;
	}
	hoist(l, lhs);
	hoist(l, rhs);
	at(l, lhs);
	struct type *t = lhs->type;
	if (!type_is_scalar(t)) {
		struct place src = place_of(l, rhs);
		struct place dst = place_of(l, lhs);
		copy_words(l, &dst, &src, t);
		return;
	}
	ir_reg v = gen(l, rhs);
	struct place pl = place_of(l, lhs);
	store_place(l, &pl, v, type_is_ptr(t));
}

/* a, b = x, y (variables only, check.c): all values first. */
static void lower_assign_multi(struct lower *l, struct node *s)
{
	struct lvar **vals = fe_alloc(l->fx, sizeof(*vals) * (size_t)s->nlist);
	for (int i = 0; i < s->nlist2; i++)
		hoist(l, s->list2[i]);
	for (int i = 0; i < s->nlist2; i++) {
		struct node *r = s->list2[i];
		at(l, r);
		vals[i] = new_hidden(l, r->type);
		write_lvar(l, vals[i], gen(l, r));
		l->sp = 0;
	}
	for (int i = 0; i < s->nlist; i++) {
		struct node *lhs = s->list[i];
		if (lhs->kind == N_IDENT && !strcmp(lhs->name, "_"))
			continue;
		at(l, lhs);
		struct place pl = place_of(l, lhs);
		store_place(l, &pl, read_lvar(l, vals[i]),
			    type_is_ptr(lhs->type));
		l->sp = 0;
	}
}

static void lower_opassign(struct lower *l, struct node *lhs, int tok,
			   struct node *rhs)
{
	hoist(l, lhs);
	if (rhs)
		hoist(l, rhs);
	at(l, lhs);
	struct place pl = place_of(l, lhs);
	int mark = l->sp;
	ir_reg cur = load_place(l, &pl, mark, 0);
	if (!is_temp(l, cur)) {
		ir_reg t = temp(l);
		mov(l, t, cur, 0);
		cur = t;
	}
	int m2 = l->sp;
	ir_reg d;
	if (rhs) {
		d = arith(l, tok, cur, rhs, m2 - 1);
	} else {
		d = cur;
		binopi(l, tok == T_INC ? IR_ADD : IR_SUB, d, cur, 1, 0);
	}
	store_place(l, &pl, d, 0);
}

static void lower_if(struct lower *l, struct node *s)
{
	int smark = l->nscoped;
	if (s->a)
		lower_stmt(l, s->a);
	int hmark = l->nhidden;
	hoist(l, s->b);
	at(l, s->b);
	int lelse = new_label(l), lend = new_label(l);
	ir_reg c = gen(l, s->b);
	jump(l, IR_BRZ, c, lelse);
	l->sp = 0;
	release_hidden(l, hmark);
	lower_block(l, s->c);
	if (s->d) {
		at(l, s->d);
		jump(l, IR_JMP, IR_NOREG, lend);
	}
	label(l, lelse);
	if (s->d) {
		if (s->d->kind == N_IF)
			lower_if(l, s->d);
		else
			lower_block(l, s->d);
		label(l, lend);
	}
	release_scoped(l, smark);
}

static void lower_for(struct lower *l, struct node *s)
{
	int smark = l->nscoped;
	if (s->a)
		lower_stmt(l, s->a);
	int lhead = new_label(l), lcont = new_label(l), lend = new_label(l);
	label(l, lhead);
	if (s->b) {
		int hmark = l->nhidden;
		hoist(l, s->b);
		at(l, s->b);
		ir_reg c = gen(l, s->b);
		jump(l, IR_BRZ, c, lend);
		l->sp = 0;
		release_hidden(l, hmark);
	}
	if (l->nloop > FE_MAX_DEPTH)
		fe_fatal(l->fx, s->line, s->col, "loops nested too deeply");
	l->brk[l->nloop] = lend;
	l->cont[l->nloop] = lcont;
	l->nloop++;
	lower_block(l, s->d);
	l->nloop--;
	label(l, lcont);
	if (s->c)
		lower_stmt(l, s->c);
	at(l, s);
	jump(l, IR_JMP, IR_NOREG, lhead);
	label(l, lend);
	release_scoped(l, smark);
}

static void lower_go(struct lower *l, struct node *s)
{
	struct node *c = s->a;
	struct fe_func *g = c->a->sym->fn;
	for (int i = 0; i < c->nlist; i++)
		hoist(l, c->list[i]);
	at(l, s);
	ir_reg t = temp(l);
	struct ir_insn *in = emit(l, IR_ADDRSYM);
	in->dst = t;
	in->sym = fe_printf(l->fx, "main.%s", g->sym->name);
	stframe(l, 0, t, 0);
	int nwords = g->nparams + (g->result != NULL);
	movi(l, t, 8 * nwords);
	stframe(l, 1, t, 0);
	l->sp = 0;
	for (int i = 0; i < c->nlist; i++)
		store_arg(l, 2 + i, c->list[i]);
	if (g->result) {
		t = temp(l);
		movi(l, t, 0);
		stframe(l, 2 + g->nparams, t, 0);
		l->sp = 0;
	}
	call(l, "runtime.newproc", 2 + nwords, 0, 0);
}

static void lower_define(struct lower *l, struct node *s)
{
	for (int i = 0; i < s->nlist; i++) {
		struct node *id = s->list[i];
		struct node *v = s->kind == N_VAR && !s->nlist2 ? NULL
								: s->list2[i];
		if (!id->sym || !strcmp(id->name, "_")) {
			if (v) {
				hoist(l, v);
				at(l, v);
				gen(l, v);
				l->sp = 0;
			}
			continue;
		}
		declare_var(l, id->sym, v);
		l->sp = 0;
	}
}

static void lower_stmt(struct lower *l, struct node *s)
{
	int hmark = l->nhidden;
	at(l, s);
	switch (s->kind) {
	case N_VAR:
	case N_DEFINE:
		lower_define(l, s);
		break;
	case N_CONST:
	case N_EMPTY:
		break;
	case N_ASSIGN:
		if (s->nlist == 1)
			lower_assign1(l, s->list[0], s->list2[0]);
		else
			lower_assign_multi(l, s);
		break;
	case N_OPASSIGN:
		lower_opassign(l, s->a, s->op, s->b);
		break;
	case N_INCDEC:
		lower_opassign(l, s->a, s->op, NULL);
		break;
	case N_IF:
		lower_if(l, s);
		break;
	case N_FOR:
		lower_for(l, s);
		break;
	case N_BLOCK:
		lower_block(l, s);
		break;
	case N_BREAK:
		jump(l, IR_JMP, IR_NOREG, l->brk[l->nloop - 1]);
		break;
	case N_CONTINUE:
		jump(l, IR_JMP, IR_NOREG, l->cont[l->nloop - 1]);
		break;
	case N_RETURN:
		if (s->a) {
			hoist(l, s->a);
			at(l, s);
			ir_reg v = gen(l, s->a);
			struct ir_insn *in = emit(l, IR_STPARAM);
			in->a = v;
			in->imm = l->fn->nparams;
			in->dst_ptr = (uint8_t)node_ptr(s->a);
		}
		emit(l, IR_RET);
		break;
	case N_EXPRSTMT:
		lower_exprstmt(l, s);
		break;
	case N_GO:
		lower_go(l, s);
		break;
	case N_SEND:
		hoist(l, s->a);
		hoist(l, s->b);
		at(l, s);
		store_arg(l, 0, s->a);
		store_arg(l, 1, s->b);
		call(l, "runtime.chansend", 2, 0, 0);
		break;
	}
	l->sp = 0;
	release_hidden(l, hmark);
}

static void lower_block(struct lower *l, struct node *b)
{
	int smark = l->nscoped;
	for (int i = 0; i < b->nlist; i++)
		lower_stmt(l, b->list[i]);
	release_scoped(l, smark);
}

/* ---- functions ---- */

/* Frame objects of address-taken and composite locals, decided before the
   body so that they can be zeroed and anchored at entry. */
static void layout_objects(struct lower *l, struct fe_func *fn)
{
	for (int i = 0; i < fn->nvars; i++) {
		struct sym *s = fn->vars[i];
		s->lv = NULL;
		int composite = !type_is_scalar(s->type);
		if (!s->addr_taken && !composite)
			continue;
		struct lvar *lv = fe_alloc(l->fx, sizeof(*lv));
		lv->type = s->type;
		lv->isptr = type_is_ptr(s->type);
		lv->vreg = IR_NOREG;
		lv->param = s->param;
		s->lv = lv;
		if (s->addr_taken && s->escapes) {
			lv->storage = ST_HEAP;
			continue;
		}
		lv->storage = s->addr_taken ? ST_STACKOBJ : ST_COMPOSITE;
		int w = new_words(l, s->type->nwords);
		lv->obj = loc(w);
		for (int64_t k = 0; k < s->type->nwords; k++) {
			setbit(l->untracked, w + (int)k);
			if (lv->storage == ST_COMPOSITE &&
			    getbit(s->type->ptrmask, k))
				setbit(l->always_ptr, w + (int)k);
		}
	}
}

static void entry_code(struct lower *l, struct fe_func *fn)
{
	int first = -1, last = -1;
	for (int i = 0; i < fn->nvars; i++) {
		struct lvar *lv = fn->vars[i]->lv;
		if (!lv || (lv->storage != ST_STACKOBJ &&
			    lv->storage != ST_COMPOSITE))
			continue;
		int w = -1 - lv->obj;
		if (first < 0)
			first = w;
		last = w + (int)lv->type->nwords;
	}
	if (first >= 0) {
		struct ir_insn *z = emit(l, IR_ZERO);
		z->imm = loc(first);
		z->imm2 = last - first;
	}
	for (int i = 0; i < fn->nvars; i++) {
		struct lvar *lv = fn->vars[i]->lv;
		if (!lv || lv->storage != ST_STACKOBJ)
			continue;
		lv->anchor = loc(new_words(l, 1));
		struct ir_insn *in = emit(l, IR_ADDRFRAME);
		in->dst = 0;
		in->imm = lv->obj;
		in->dst_ptr = 1;
		stframe(l, lv->anchor, 0, 1);
		struct ir_stackobj so;
		so.word = lv->obj; /* fixed up later */
		so.nwords = (int)lv->type->nwords;
		so.ptrmask = fe_alloc(l->fx, (size_t)so.nwords / 8 + 1);
		memcpy(so.ptrmask, lv->type->ptrmask, (size_t)(so.nwords + 7) / 8);
		l->f->stackobjs = fe_grow(
			l->fx, l->f->stackobjs,
			sizeof(so) * (size_t)l->f->nstackobjs,
			sizeof(so) * (size_t)(l->f->nstackobjs + 1));
		l->f->stackobjs[l->f->nstackobjs++] = so;
	}
	l->body_start = l->ncode;
}

static void param_code(struct lower *l, struct fe_func *fn)
{
	for (int i = 0; i < fn->nparams; i++) {
		struct sym *s = fn->params[i];
		if (!s->lv) {
			s->lv = new_scalar(l, s->type, i);
			if (s->lv->storage == ST_REG) {
				struct ir_insn *in = emit(l, IR_LDPARAM);
				in->dst = s->lv->vreg;
				in->imm = i;
				in->dst_ptr = (uint8_t)s->lv->isptr;
			}
			FE_PUSH(l->fx, l->scoped, l->nscoped, l->capscoped,
				s->lv);
			continue;
		}
		struct lvar *lv = s->lv;
		if (lv->storage == ST_HEAP) {
			lv->cell = new_scalar(l, ptr_type_of(l, s->type), -1);
			emit_new(l, s->type, lv->cell);
		}
		FE_PUSH(l->fx, l->scoped, l->nscoped, l->capscoped, lv);
		ir_reg t = temp(l);
		struct ir_insn *in = emit(l, IR_LDPARAM);
		in->dst = t;
		in->imm = i;
		in->dst_ptr = (uint8_t)lv->isptr;
		write_lvar(l, lv, t);
		l->sp = 0;
	}
}

static int fix(int w, int nout)
{
	return w < 0 ? nout + (-1 - w) : w;
}

/* Local words -1-n become nout+n (IR-3). */
static void fixup_words(struct lower *l)
{
	struct ir_func *f = l->f;
	for (int i = 0; i < f->ncode; i++) {
		struct ir_insn *in = &f->code[i];
		if (in->op == IR_LDFRAME || in->op == IR_STFRAME ||
		    in->op == IR_ADDRFRAME || in->op == IR_ZERO)
			in->imm = fix((int)in->imm, l->nout);
	}
	for (int i = 0; i < f->nstackobjs; i++)
		f->stackobjs[i].word = fix(f->stackobjs[i].word, l->nout);
}

static uint8_t *frame_bits(struct lower *l, const uint8_t *local)
{
	uint8_t *m = fe_alloc(l->fx, (size_t)l->f->frame_words / 8 + 1);
	for (int w = 0; w < l->nlocal; w++)
		if (getbit(local, w))
			setbit(m, l->nout + w);
	return m;
}

static void spill_insn(struct lower *l, struct lvar *lv, int store,
		       const struct ir_insn *callin, struct ir_insn *out)
{
	memset(out, 0, sizeof(*out));
	out->dst = out->a = out->b = IR_NOREG;
	out->line = callin->line;
	out->col = callin->col;
	out->dst_ptr = (uint8_t)lv->isptr;
	if (lv->param >= 0) {
		out->op = store ? IR_STPARAM : IR_LDPARAM;
		out->imm = lv->param;
	} else {
		out->op = store ? IR_STFRAME : IR_LDFRAME;
		out->imm = fix(lv->home, l->nout);
	}
	if (store)
		out->a = lv->vreg;
	else
		out->dst = lv->vreg;
}

/* Inserts, around every call, the spill and reload of each V register
   live after it (first liveness pass). */
static void place_spills(struct lower *l, const uint32_t *live_out)
{
	struct ir_func *f = l->f;
	int nv = l->t->nvars, nt = l->t->ntemps;
	struct ir_insn *code = NULL;
	int n = 0, cap = 0;
	for (int i = 0; i < f->ncode; i++) {
		struct ir_insn *in = &f->code[i];
		if (in->op != IR_CALL) {
			FE_PUSH(l->fx, code, n, cap, *in);
			continue;
		}
		if (live_out[i] & ((1u << nt) - 1))
			fe_fatal(l->fx, in->line, in->col,
				 "internal error: temporary live across a call");
		struct callrec *rec = &l->calls[in->label];
		struct ir_insn sp;
		for (int r = nt; r < nt + nv; r++)
			if (live_out[i] >> r & 1) {
				if (!rec->owner[r])
					fe_fatal(l->fx, in->line, in->col,
						 "internal error: live "
						 "register without owner");
				spill_insn(l, rec->owner[r], 1, in, &sp);
				FE_PUSH(l->fx, code, n, cap, sp);
			}
		struct ir_insn c = *in;
		c.label = 0;
		FE_PUSH(l->fx, code, n, cap, c);
		for (int r = nt; r < nt + nv; r++)
			if (live_out[i] >> r & 1) {
				spill_insn(l, rec->owner[r], 0, in, &sp);
				FE_PUSH(l->fx, code, n, cap, sp);
			}
	}
	f->code = code;
	f->ncode = f->capcode = n;
}

static void finish_func(struct lower *l)
{
	struct ir_func *f = l->f;
	/* main body, final return, then out-of-line blocks */
	emit(l, IR_RET);
	for (int i = 0; i < l->nool; i++)
		FE_PUSH(l->fx, l->code, l->ncode, l->capcode, l->ool[i]);
	f->code = l->code;
	f->ncode = l->ncode;
	f->capcode = l->capcode;
	f->nout = l->nout;
	int words = l->nout + l->nlocal;
	if (words % 2)
		words++;
	f->frame_words = words + 2;
	grow_bits(l, l->nlocal + 1);
	fixup_words(l);
	uint8_t *always = frame_bits(l, l->always_ptr);
	uint8_t *untracked = frame_bits(l, l->untracked);
	uint32_t *live_out = fe_alloc(l->fx, sizeof(uint32_t) * (size_t)(f->ncode + 1));
	struct live_opts o = {0, always, untracked, l->body_start, live_out};
	if (live_func(l->fx, f, l->t, &o))
		return;
	place_spills(l, live_out);
	o.final = 1;
	o.live_out_regs = NULL;
	live_func(l->fx, f, l->t, &o);
}

static void lower_func(struct lower *l, struct fe_func *fn,
		       struct ir_func *f)
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
	l->fn = fn;
	l->f = f;
	l->code = l->ool = NULL;
	l->ncode = l->capcode = l->nool = l->capool = 0;
	l->in_ool = 0;
	l->sp = 0;
	memset(l->vowner, 0, sizeof(l->vowner));
	l->nscoped = l->nhidden = l->ncalls = 0;
	l->nlocal = l->nout = 0;
	l->nloop = 0;
	l->lbl_div = l->lbl_nil = l->lbl_shift = 0;
	l->always_ptr = l->untracked = NULL;
	l->capbits = 0;
	l->line = fn->decl->line;
	l->col = fn->decl->col;
	grow_bits(l, 64);
	layout_objects(l, fn);
	entry_code(l, fn);
	param_code(l, fn);
	lower_block(l, fn->decl->b);
	l->line = fn->decl->b->eline;
	l->col = fn->decl->b->ecol;
	finish_func(l);
}

static void lower_globals(struct lower *l)
{
	struct fe_prog *p = l->p;
	struct ir_program *irp = l->irp;
	irp->globals = fe_alloc(l->fx, sizeof(*irp->globals) * (size_t)(p->nglobals + 1));
	for (int i = 0; i < p->nglobals; i++) {
		struct sym *s = p->globals[i].sym;
		struct ir_global *g = &irp->globals[irp->nglobals++];
		g->sym = fe_printf(l->fx, "main.%s", s->name);
		g->nwords = (int)s->type->nwords;
		g->ptrmask = fe_alloc(l->fx, (size_t)g->nwords / 8 + 1);
		memcpy(g->ptrmask, s->type->ptrmask, (size_t)(g->nwords + 7) / 8);
		g->init = fe_alloc(l->fx, sizeof(int64_t) * (size_t)(g->nwords + 1));
		if (type_is_scalar(s->type))
			g->init[0] = p->globals[i].init;
	}
}

struct ir_program *lower_program(struct fe_ctx *fx, struct fe_prog *p,
				 const struct ir_target *t)
{
	if (t->ntemps < 3 || t->nvars < 0 || t->ntemps + t->nvars > IR_MAX_REGS)
		fe_fatal(fx, 1, 1, "target %s: unusable register file (%d "
				   "temps, %d vars)",
			 t->name, t->ntemps, t->nvars);
	struct lower lw, *l = &lw;
	memset(l, 0, sizeof(*l));
	l->fx = fx;
	l->p = p;
	l->t = t;
	l->irp = fe_alloc(fx, sizeof(*l->irp));
	lower_globals(l);
	l->irp->funcs = fe_alloc(fx, sizeof(struct ir_func) * (size_t)(p->nfuncs + 1));
	for (int i = 0; i < p->nfuncs; i++)
		lower_func(l, p->funcs[i], &l->irp->funcs[i]);
	l->irp->nfuncs = p->nfuncs;
	return l->irp;
}
