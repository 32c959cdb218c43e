/*
 * lower_var.c -- where variables live (enum storage): V registers while one
 * is free, frame homes, parameter slots, stack objects through their
 * anchor, heap cells; reading, writing, declaring and releasing them.
 */
#include <string.h>

#include "lower.h"

static ir_reg alloc_vreg(struct lower *l, struct lvar *lv)
{
	for (int i = 0; i < l->t->nvars; i++) {
		int r = l->t->ntemps + i;
		if (!l->fn.vowner[r]) {
			l->fn.vowner[r] = lv;
			return (ir_reg)r;
		}
	}
	return IR_NOREG;
}

static void release(struct lower *l, struct lvar *lv)
{
	if (lv->storage == ST_REG && l->fn.vowner[lv->vreg] == lv)
		l->fn.vowner[lv->vreg] = NULL;
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
			lv->home = lw_loc(new_words(l, 1));
	} else if (param >= 0) {
		lv->storage = ST_PARAM;
	} else {
		lv->storage = ST_MEM;
		lv->home = lw_loc(new_words(l, 1));
	}
	return lv;
}

struct lvar *new_hidden(struct lower *l, struct type *t)
{
	struct lvar *lv = new_scalar(l, t, -1);
	FE_PUSH(l->fx, l->fn.hidden, l->fn.nhidden, l->fn.caphidden, lv);
	return lv;
}

void release_hidden(struct lower *l, int mark)
{
	while (l->fn.nhidden > mark)
		release(l, l->fn.hidden[--l->fn.nhidden]);
}

void release_scoped(struct lower *l, int mark)
{
	while (l->fn.nscoped > mark)
		release(l, l->fn.scoped[--l->fn.nscoped]);
}

ir_reg read_lvar(struct lower *l, struct lvar *lv)
{
	ir_reg t, r;
	switch (lv->storage) {
	case ST_REG:
		return lv->vreg;
	case ST_MEM:
		t = lw_temp(l);
		lw_ldframe(l, t, lv->home, lv->isptr);
		return t;
	case ST_PARAM: {
		t = lw_temp(l);
		struct ir_insn *in = lw_emit(l, IR_LDPARAM);
		in->dst = t;
		in->imm = lv->param;
		in->dst_ptr = (uint8_t)lv->isptr;
		return t;
	}
	case ST_STACKOBJ:
		t = lw_temp(l);
		lw_ldframe(l, t, lv->anchor, 1);
		lw_load(l, t, t, 0, lv->isptr);
		return t;
	case ST_HEAP: {
		int mark = l->fn.sp;
		r = read_lvar(l, lv->cell);
		l->fn.sp = mark;
		t = lw_temp(l);
		lw_load(l, t, r, 0, lv->isptr);
		return t;
	}
	}
	fe_fatal(l->fx, l->fn.line, l->fn.col,
		 "internal error: read of composite");
}

void write_lvar(struct lower *l, struct lvar *lv, ir_reg v)
{
	int mark = l->fn.sp;
	ir_reg t;
	switch (lv->storage) {
	case ST_REG:
		lw_mov(l, lv->vreg, v, lv->isptr);
		break;
	case ST_MEM:
		lw_stframe(l, lv->home, v, lv->isptr);
		break;
	case ST_PARAM: {
		struct ir_insn *in = lw_emit(l, IR_STPARAM);
		in->a = v;
		in->imm = lv->param;
		in->dst_ptr = (uint8_t)lv->isptr;
		break;
	}
	case ST_STACKOBJ:
		t = lw_temp(l);
		lw_ldframe(l, t, lv->anchor, 1);
		lw_store(l, t, 0, v, lv->isptr, LW_STACK);
		break;
	case ST_HEAP:
		t = read_lvar(l, lv->cell);
		lw_store(l, t, 0, v, lv->isptr, LW_CELL);
		break;
	default:
		fe_fatal(l->fx, l->fn.line, l->fn.col,
			 "internal error: write of composite");
	}
	l->fn.sp = mark;
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
void declare_var(struct lower *l, struct sym *s, struct node *val)
{
	if (val)
		hoist(l, val);
	struct lvar *lv = s->lv;
	lw_at(l, val);
	if (!lv) { /* scalar, not address-taken: decided now */
		lv = new_scalar(l, s->type, -1);
		s->lv = lv;
	}
	FE_PUSH(l->fx, l->fn.scoped, l->fn.nscoped, l->fn.capscoped, lv);
	int mark = l->fn.sp;
	struct type *t = s->type;
	if (lv->storage == ST_HEAP) {
		lv->cell = new_scalar(l, ptr_type_of(l, t), -1);
		emit_new(l, t, lv->cell);
		if (!val)
			return;
	} else if (lv->storage == ST_COMPOSITE ||
		   (lv->storage == ST_STACKOBJ && !type_is_scalar(t))) {
		struct ir_insn *z = lw_emit(l, IR_ZERO);
		z->imm = lv->obj;
		z->imm2 = t->nwords;
	}
	if (!type_is_scalar(t)) {
		if (val) {
			struct place src = place_of(l, val);
			struct place dst = place_of(
			    l, &(struct node){
				   .kind = N_IDENT, .sym = s, .type = t});
			copy_words(l, &dst, &src, t);
		}
		l->fn.sp = mark;
		return;
	}
	ir_reg v;
	if (val) {
		v = gen_expr(l, val);
	} else {
		v = lw_temp(l);
		lw_movi(l, v, 0);
	}
	write_lvar(l, lv, v);
	l->fn.sp = mark;
}

void param_code(struct lower *l, struct fe_func *fn)
{
	for (int i = 0; i < fn->nparams; i++) {
		struct sym *s = fn->params[i];
		if (!s->lv) {
			s->lv = new_scalar(l, s->type, i);
			if (s->lv->storage == ST_REG) {
				struct ir_insn *in = lw_emit(l, IR_LDPARAM);
				in->dst = s->lv->vreg;
				in->imm = i;
				in->dst_ptr = (uint8_t)s->lv->isptr;
			}
			FE_PUSH(l->fx, l->fn.scoped, l->fn.nscoped,
				l->fn.capscoped, s->lv);
			continue;
		}
		struct lvar *lv = s->lv;
		if (lv->storage == ST_HEAP) {
			lv->cell = new_scalar(l, ptr_type_of(l, s->type), -1);
			emit_new(l, s->type, lv->cell);
		}
		FE_PUSH(l->fx, l->fn.scoped, l->fn.nscoped, l->fn.capscoped,
			lv);
		ir_reg t = lw_temp(l);
		struct ir_insn *in = lw_emit(l, IR_LDPARAM);
		in->dst = t;
		in->imm = i;
		in->dst_ptr = (uint8_t)lv->isptr;
		write_lvar(l, lv, t);
		l->fn.sp = 0;
	}
}
