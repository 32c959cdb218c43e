/*
 * live.c -- liveness over one IR function: the rig's ground truth (IR-2,
 * IR-5), so it is exact over the IR's control-flow graph, never
 * approximated.
 *
 * Locations are the abstract registers and the tracked frame words (every
 * word except composite locals and stack objects, which lower.c declares
 * untracked: composite locals are live everywhere, stack objects are found
 * through their anchors). Two dataflow problems run to a fixpoint:
 *   - backward liveness: live_in = uses + (live_out - defs);
 *   - forward pointer-ness: a location holds a pointer when its most
 *     recent definition on some path did (insn.dst_ptr; for IR_STFRAME the
 *     stored value, for IR_CALL the result word), so registers and words
 *     reused by values of different types are typed at each point.
 * An instruction's set is live_in & pointer; a call's map is what is live
 * after it (minus its result word) plus its pointer arguments, & pointer.
 *
 * IR_CALL (final pass) clobbers every register, uses its argument words
 * [0, imm) and defines its result word imm when imm2 is set. Calls of the
 * runtime's panic entry points do not return (no successor).
 */
#include <stdlib.h>
#include <string.h>

#include "ast.h"

struct live {
	struct fe_ctx *fx;
	struct ir_func *f;
	int nregs, nloc, nbytes;
	int *wordloc; /* frame word -> location, or -1 */
	int *labelpos;
	int final;
	uint8_t *sets; /* 4 sets per instruction */
};

static uint8_t *set_of(struct live *lv, int i, int k)
{
	return lv->sets + ((size_t)i * 4 + (size_t)k) * (size_t)lv->nbytes;
}
enum { LIVE_IN, LIVE_OUT, PTR_IN, PTR_OUT };

static int has(const uint8_t *s, int i) { return s[i / 8] >> (i % 8) & 1; }

static void put(uint8_t *s, int i, int v)
{
	if (v)
		s[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		s[i / 8] &= (uint8_t) ~(1u << (i % 8));
}

int live_is_noreturn(const struct ir_insn *in)
{
	static const char *const nr[] = {
	    "runtime.panicstr", "runtime.panicindex", "runtime.panicdivide",
	    "runtime.panicnil"};
	if (in->op != IR_CALL || !in->sym)
		return 0;
	for (size_t i = 0; i < sizeof(nr) / sizeof(nr[0]); i++)
		if (!strcmp(in->sym, nr[i]))
			return 1;
	return 0;
}

static int word_loc(struct live *lv, int64_t w)
{
	if (w < 0 || w >= lv->f->frame_words)
		return -1;
	return lv->wordloc[w];
}

static int reg_loc(struct live *lv, ir_reg r)
{
	return r >= 0 && r < lv->nregs ? r : -1;
}

/* Calls fn(loc, is_def, ptr) for each location the instruction defines
   (first) and uses (then). */
typedef void (*visit_fn)(void *ctx, int loc, int def, int ptr);

/* IR_LDFRAME, IR_STFRAME, IR_ZERO: a register and a frame word, or the
   zeroed words. */
static void visit_frame(struct live *lv, const struct ir_insn *in, visit_fn fn,
			void *ctx)
{
	int d = reg_loc(lv, in->dst), a = reg_loc(lv, in->a);
	int w = word_loc(lv, in->imm);
	switch (in->op) {
	case IR_LDFRAME:
		if (d >= 0)
			fn(ctx, d, 1, in->dst_ptr);
		if (w >= 0)
			fn(ctx, w, 0, 0);
		return;
	case IR_STFRAME:
		if (w >= 0)
			fn(ctx, w, 1, in->dst_ptr);
		if (a >= 0)
			fn(ctx, a, 0, 0);
		return;
	}
	for (int64_t k = in->imm; k < in->imm + in->imm2; k++) {
		int l = word_loc(lv, k);
		if (l >= 0)
			fn(ctx, l, 1, 0);
	}
}

/* IR_CALL: clobbers every register (final pass), defines its result word,
   uses its argument words. */
static void visit_call(struct live *lv, const struct ir_insn *in, visit_fn fn,
		       void *ctx)
{
	if (lv->final)
		for (int r = 0; r < lv->nregs; r++)
			fn(ctx, r, 1, 0);
	if (in->imm2) {
		int w = word_loc(lv, in->imm);
		if (w >= 0)
			fn(ctx, w, 1, in->dst_ptr);
	}
	for (int64_t w = 0; w < in->imm; w++) {
		int l = word_loc(lv, w);
		if (l >= 0)
			fn(ctx, l, 0, 0);
	}
}

static void visit(struct live *lv, const struct ir_insn *in, visit_fn fn,
		  void *ctx)
{
	int d = reg_loc(lv, in->dst), a = reg_loc(lv, in->a),
	    b = reg_loc(lv, in->b);
	switch (in->op) {
	case IR_NOP:
	case IR_LABEL:
	case IR_JMP:
	case IR_RET:
		return;
	case IR_MOVI:
	case IR_ADDRFRAME:
	case IR_ADDRSYM:
	case IR_LDPARAM:
	case IR_ALLOC:
		if (d >= 0)
			fn(ctx, d, 1, in->dst_ptr);
		return;
	case IR_STORE:
		if (a >= 0)
			fn(ctx, a, 0, 0);
		if (b >= 0)
			fn(ctx, b, 0, 0);
		return;
	case IR_LDFRAME:
	case IR_STFRAME:
	case IR_ZERO:
		visit_frame(lv, in, fn, ctx);
		return;
	case IR_STPARAM:
	case IR_BRZ:
	case IR_BRNZ:
		if (a >= 0)
			fn(ctx, a, 0, 0);
		return;
	case IR_CALL:
		visit_call(lv, in, fn, ctx);
		return;
	}
	/* unary and binary operations */
	if (d >= 0)
		fn(ctx, d, 1, in->dst_ptr);
	if (a >= 0)
		fn(ctx, a, 0, 0);
	if (b >= 0 && !in->bimm)
		fn(ctx, b, 0, 0);
}

static void live_step(void *ctx, int loc, int def, int ptr)
{
	(void)ptr;
	put(ctx, loc, !def);
}

static void ptr_step(void *ctx, int loc, int def, int ptr)
{
	if (def)
		put(ctx, loc, ptr);
}

/* Successors of instruction i: up to two, -1 when absent. */
static void succs(struct live *lv, int i, int s[2])
{
	const struct ir_insn *in = &lv->f->code[i];
	int next = i + 1 < lv->f->ncode ? i + 1 : -1;
	s[0] = s[1] = -1;
	switch (in->op) {
	case IR_RET:
		return;
	case IR_JMP:
		s[0] = lv->labelpos[in->imm];
		return;
	case IR_BRZ:
	case IR_BRNZ:
		s[0] = next;
		s[1] = lv->labelpos[in->imm];
		return;
	case IR_ALLOC:
		s[0] = next;
		s[1] = lv->labelpos[in->label];
		return;
	case IR_CALL:
		if (!live_is_noreturn(in))
			s[0] = next;
		return;
	}
	s[0] = next;
}

static void set_union(struct live *lv, uint8_t *d, const uint8_t *s)
{
	for (int k = 0; k < lv->nbytes; k++)
		d[k] |= s[k];
}

static void solve_live(struct live *lv)
{
	int n = lv->f->ncode, changed;
	uint8_t *tmp = calloc(1, (size_t)lv->nbytes);
	do {
		changed = 0;
		for (int i = n - 1; i >= 0; i--) {
			int s[2];
			uint8_t *out = set_of(lv, i, LIVE_OUT);
			succs(lv, i, s);
			for (int k = 0; k < 2; k++)
				if (s[k] >= 0)
					set_union(lv, out,
						  set_of(lv, s[k], LIVE_IN));
			memcpy(tmp, out, (size_t)lv->nbytes);
			/* defs are visited before uses: kill then gen */
			visit(lv, &lv->f->code[i], live_step, tmp);
			uint8_t *in = set_of(lv, i, LIVE_IN);
			if (memcmp(tmp, in, (size_t)lv->nbytes)) {
				memcpy(in, tmp, (size_t)lv->nbytes);
				changed = 1;
			}
		}
	} while (changed);
	free(tmp);
}

static void solve_ptr(struct live *lv)
{
	int n = lv->f->ncode, changed;
	do {
		changed = 0;
		for (int i = 0; i < n; i++) {
			uint8_t *out = set_of(lv, i, PTR_OUT);
			memcpy(out, set_of(lv, i, PTR_IN), (size_t)lv->nbytes);
			visit(lv, &lv->f->code[i], ptr_step, out);
			int s[2];
			succs(lv, i, s);
			for (int k = 0; k < 2; k++) {
				if (s[k] < 0)
					continue;
				uint8_t *in = set_of(lv, s[k], PTR_IN);
				for (int b = 0; b < lv->nbytes; b++)
					if ((in[b] | out[b]) != in[b]) {
						in[b] |= out[b];
						changed = 1;
					}
			}
		}
	} while (changed);
}

static int setup(struct live *lv, const struct live_opts *o)
{
	struct ir_func *f = lv->f;
	lv->wordloc =
	    fe_alloc(lv->fx, sizeof(int) * (size_t)(f->frame_words + 1));
	lv->nloc = lv->nregs;
	for (int w = 0; w < f->frame_words; w++) {
		int untracked =
		    w >= f->frame_words - 2 ||
		    (o->untracked_words && has(o->untracked_words, w));
		lv->wordloc[w] = untracked ? -1 : lv->nloc++;
	}
	lv->nbytes = lv->nloc / 8 + 1;
	lv->labelpos = fe_alloc(lv->fx, sizeof(int) * (size_t)(f->nlabels + 1));
	for (int i = 0; i < f->nlabels; i++)
		lv->labelpos[i] = -1;
	for (int i = 0; i < f->ncode; i++) {
		const struct ir_insn *in = &f->code[i];
		if (in->op == IR_LABEL && in->imm >= 0 && in->imm < f->nlabels)
			lv->labelpos[in->imm] = i;
	}
	for (int i = 0; i < f->ncode; i++) {
		const struct ir_insn *in = &f->code[i];
		int jumps = in->op == IR_JMP || in->op == IR_BRZ ||
			    in->op == IR_BRNZ || in->op == IR_ALLOC;
		int64_t lb = in->op == IR_ALLOC ? in->label : in->imm;
		if (jumps &&
		    (lb < 0 || lb >= f->nlabels || lv->labelpos[lb] < 0)) {
			fe_error(lv->fx, in->line, in->col,
				 "internal error: %s: jump to undefined label",
				 f->name);
			return -1;
		}
	}
	size_t total = (size_t)f->ncode * 4 * (size_t)lv->nbytes;
	lv->sets = calloc(1, total ? total : 1);
	if (!lv->sets) {
		fe_error(lv->fx, f->line, 1, "out of memory in liveness");
		return -1;
	}
	return 0;
}

static uint8_t *word_bits(struct live *lv, const uint8_t *live,
			  const uint8_t *ptr, const uint8_t *always, int force)
{
	struct ir_func *f = lv->f;
	uint8_t *m = fe_alloc(lv->fx, (size_t)f->frame_words / 8 + 1);
	int any = 0;
	for (int w = 0; w < f->frame_words; w++) {
		int l = lv->wordloc[w];
		int on = (l >= 0 && has(live, l) && has(ptr, l)) ||
			 (always && has(always, w));
		if (on) {
			put(m, w, 1);
			any = 1;
		}
	}
	return any || force ? m : NULL;
}

/* IR-6: the frame words holding any value the program still reads in
   live (and in live2 when given), plus every untracked word. */
static uint8_t *all_words(struct live *lv, const uint8_t *live,
			  const uint8_t *live2)
{
	struct ir_func *f = lv->f;
	uint8_t *m = fe_alloc(lv->fx, (size_t)f->frame_words / 8 + 1);
	for (int w = 0; w < f->frame_words; w++) {
		int l = lv->wordloc[w];
		if (l < 0 || has(live, l) || (live2 && has(live2, l)))
			put(m, w, 1);
	}
	return m;
}

static uint32_t reg_bits(struct live *lv, const uint8_t *live)
{
	uint32_t m = 0;
	for (int r = 0; r < lv->nregs; r++)
		if (has(live, r))
			m |= 1u << r;
	return m;
}

static int fill(struct live *lv, const struct live_opts *o)
{
	struct ir_func *f = lv->f;
	for (int i = 0; i < f->ncode; i++) {
		struct ir_insn *in = &f->code[i];
		const uint8_t *lin = set_of(lv, i, LIVE_IN);
		const uint8_t *pin = set_of(lv, i, PTR_IN);
		const uint8_t *always =
		    i >= o->body_start ? o->always_ptr_words : NULL;
		in->live_ptr_regs = 0;
		for (int r = 0; r < lv->nregs; r++)
			if (has(lin, r) && has(pin, r))
				in->live_ptr_regs |= 1u << r;
		in->live_ptr_words = word_bits(lv, lin, pin, always, 0);
		in->live_regs_in = reg_bits(lv, lin);
		in->live_regs_out = reg_bits(lv, set_of(lv, i, LIVE_OUT));
		/* IR_ZERO may take several machine instructions: a word it
		   has zeroed is live from then on, so the whole expansion
		   counts what is live after it too. */
		in->live_words = all_words(
		    lv, lin,
		    in->op == IR_ZERO ? set_of(lv, i, LIVE_OUT) : NULL);
		for (int w = 0; always && w < f->frame_words; w++)
			if (has(always, w))
				put(in->live_words, w, 1);
		in->callmap = NULL;
		in->callmap_all = NULL;
		if (in->op != IR_CALL)
			continue;
		uint8_t *out = set_of(lv, i, LIVE_OUT);
		for (int r = 0; r < lv->nregs; r++)
			if (has(out, r)) {
				fe_error(lv->fx, in->line, in->col,
					 "internal error: %s: register %d live "
					 "across a call",
					 f->name, r);
				return -1;
			}
		uint8_t *during = fe_alloc(lv->fx, (size_t)lv->nbytes);
		memcpy(during, out, (size_t)lv->nbytes);
		if (in->imm2 && word_loc(lv, in->imm) >= 0)
			put(during, word_loc(lv, in->imm), 0);
		for (int64_t w = 0; w < in->imm; w++)
			if (word_loc(lv, w) >= 0 && has(lin, word_loc(lv, w)))
				put(during, word_loc(lv, w), 1);
		in->callmap = word_bits(lv, during, pin, always, 1);
		in->callmap_all = all_words(lv, during, NULL);
		for (int w = 0; always && w < f->frame_words; w++)
			if (has(always, w))
				put(in->callmap_all, w, 1);
	}
	const uint8_t *in0 = f->ncode ? set_of(lv, 0, LIVE_IN) : NULL;
	for (int r = 0; in0 && r < lv->nregs; r++)
		if (has(in0, r)) {
			fe_error(lv->fx, f->line, 1,
				 "internal error: %s: register %d read before "
				 "it is written",
				 f->name, r);
			return -1;
		}
	return 0;
}

int live_func(struct fe_ctx *fx, struct ir_func *f, const struct ir_target *t,
	      const struct live_opts *o)
{
	struct live lv;
	memset(&lv, 0, sizeof(lv));
	lv.fx = fx;
	lv.f = f;
	lv.nregs = t->ntemps + t->nvars;
	lv.final = o->final;
	if (setup(&lv, o))
		return -1;
	solve_live(&lv);
	int rc = 0;
	if (o->live_out_regs)
		for (int i = 0; i < f->ncode; i++) {
			uint32_t m = 0;
			const uint8_t *out = set_of(&lv, i, LIVE_OUT);
			for (int r = 0; r < lv.nregs; r++)
				if (has(out, r))
					m |= 1u << r;
			o->live_out_regs[i] = m;
		}
	if (o->final) {
		solve_ptr(&lv);
		rc = fill(&lv, o);
	}
	free(lv.sets);
	return rc;
}
