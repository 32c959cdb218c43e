/*
 * frame.c -- the frame of the function being lowered: local frame words
 * (numbered from 0, encoded -1-n until nout is known, IR-3), stack objects
 * and composite locals zeroed and anchored at entry, the final layout, and
 * the spills and reloads around calls placed from a first liveness pass
 * before the final one (IR-2, IR-5).
 */
#include <string.h>

#include "lower.h"

void grow_bits(struct lower *l, int n)
{
	if (n <= l->fn.capbits)
		return;
	int nc = l->fn.capbits ? l->fn.capbits : 64;
	while (nc < n)
		nc *= 2;
	l->fn.always_ptr = fe_grow(l->fx, l->fn.always_ptr,
				   (size_t)l->fn.capbits / 8, (size_t)nc / 8);
	l->fn.untracked = fe_grow(l->fx, l->fn.untracked,
				  (size_t)l->fn.capbits / 8, (size_t)nc / 8);
	l->fn.capbits = nc;
}

int new_words(struct lower *l, int64_t n)
{
	if (l->fn.nlocal + n > FE_MAX_LOCAL_WORDS)
		fe_fatal(l->fx, l->fn.line, l->fn.col,
			 "frame of %s is too large for gosub",
			 l->fn.src->sym->name);
	int w = l->fn.nlocal;
	l->fn.nlocal += (int)n;
	grow_bits(l, l->fn.nlocal);
	return w;
}

static void setbit(uint8_t *m, int i) { m[i / 8] |= (uint8_t)(1u << (i % 8)); }

int lw_getbit(const uint8_t *m, int64_t i) { return m[i / 8] >> (i % 8) & 1; }

/* Frame objects of address-taken and composite locals, decided before the
   body so that they can be zeroed and anchored at entry. */
void layout_objects(struct lower *l, struct fe_func *fn)
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
		lv->obj = lw_loc(w);
		for (int64_t k = 0; k < s->type->nwords; k++) {
			setbit(l->fn.untracked, w + (int)k);
			if (lv->storage == ST_COMPOSITE &&
			    lw_getbit(s->type->ptrmask, k))
				setbit(l->fn.always_ptr, w + (int)k);
		}
	}
}

void entry_code(struct lower *l, struct fe_func *fn)
{
	int first = -1, last = -1;
	for (int i = 0; i < fn->nvars; i++) {
		struct lvar *lv = fn->vars[i]->lv;
		if (!lv ||
		    (lv->storage != ST_STACKOBJ && lv->storage != ST_COMPOSITE))
			continue;
		int w = -1 - lv->obj;
		if (first < 0)
			first = w;
		last = w + (int)lv->type->nwords;
	}
	if (first >= 0) {
		struct ir_insn *z = lw_emit(l, IR_ZERO);
		z->imm = lw_loc(first);
		z->imm2 = last - first;
	}
	for (int i = 0; i < fn->nvars; i++) {
		struct lvar *lv = fn->vars[i]->lv;
		if (!lv || lv->storage != ST_STACKOBJ)
			continue;
		lv->anchor = lw_loc(new_words(l, 1));
		struct ir_insn *in = lw_emit(l, IR_ADDRFRAME);
		in->dst = 0;
		in->imm = lv->obj;
		in->dst_ptr = 1;
		lw_stframe(l, lv->anchor, 0, 1);
		struct ir_stackobj so;
		so.word = lv->obj; /* fixed up later */
		so.nwords = (int)lv->type->nwords;
		so.ptrmask = fe_alloc(l->fx, (size_t)so.nwords / 8 + 1);
		memcpy(so.ptrmask, lv->type->ptrmask,
		       (size_t)(so.nwords + 7) / 8);
		l->fn.ir->stackobjs =
		    fe_grow(l->fx, l->fn.ir->stackobjs,
			    sizeof(so) * (size_t)l->fn.ir->nstackobjs,
			    sizeof(so) * (size_t)(l->fn.ir->nstackobjs + 1));
		l->fn.ir->stackobjs[l->fn.ir->nstackobjs++] = so;
	}
	l->fn.body_start = l->fn.ncode;
}

static int fix(int w, int nout) { return w < 0 ? nout + (-1 - w) : w; }

/* Local words -1-n become nout+n (IR-3). */
static void fixup_words(struct lower *l)
{
	struct ir_func *f = l->fn.ir;
	for (int i = 0; i < f->ncode; i++) {
		struct ir_insn *in = &f->code[i];
		if (in->op == IR_LDFRAME || in->op == IR_STFRAME ||
		    in->op == IR_ADDRFRAME || in->op == IR_ZERO)
			in->imm = fix((int)in->imm, l->fn.nout);
	}
	for (int i = 0; i < f->nstackobjs; i++)
		f->stackobjs[i].word = fix(f->stackobjs[i].word, l->fn.nout);
}

static uint8_t *frame_bits(struct lower *l, const uint8_t *local)
{
	uint8_t *m = fe_alloc(l->fx, (size_t)l->fn.ir->frame_words / 8 + 1);
	for (int w = 0; w < l->fn.nlocal; w++)
		if (lw_getbit(local, w))
			setbit(m, l->fn.nout + w);
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
		out->imm = fix(lv->home, l->fn.nout);
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
	struct ir_func *f = l->fn.ir;
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
			fe_fatal(
			    l->fx, in->line, in->col,
			    "internal error: temporary live across a call");
		struct callrec *rec = &l->fn.calls[in->label];
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

void finish_func(struct lower *l)
{
	struct ir_func *f = l->fn.ir;
	/* main body, final return, then out-of-line blocks */
	lw_emit(l, IR_RET);
	for (int i = 0; i < l->fn.nool; i++)
		FE_PUSH(l->fx, l->fn.code, l->fn.ncode, l->fn.capcode,
			l->fn.ool[i]);
	f->code = l->fn.code;
	f->ncode = l->fn.ncode;
	f->capcode = l->fn.capcode;
	f->nout = l->fn.nout;
	int words = l->fn.nout + l->fn.nlocal;
	if (words % 2)
		words++;
	f->frame_words = words + 2;
	grow_bits(l, l->fn.nlocal + 1);
	fixup_words(l);
	uint8_t *always = frame_bits(l, l->fn.always_ptr);
	uint8_t *untracked = frame_bits(l, l->fn.untracked);
	uint32_t *live_out =
	    fe_alloc(l->fx, sizeof(uint32_t) * (size_t)(f->ncode + 1));
	struct live_opts o = {0, always, untracked, l->fn.body_start, live_out};
	if (live_func(l->fx, f, l->t, &o))
		return;
	place_spills(l, live_out);
	o.final = 1;
	o.live_out_regs = NULL;
	live_func(l->fx, f, l->t, &o);
}
