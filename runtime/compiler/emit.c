/*
 * emit.c -- gosub's arch-neutral emitter: IR program -> GNU assembler text
 * with code, .loc lines, the everypc_meta tables of meta.h, the globals
 * block, string literals and the .everypc_oracle section.
 *
 * Sections of this file: validation (EMIT-4), boundaries and records,
 * code walk, metadata tables, oracle section, globals and strings.
 *
 * Every PC gosub emits belongs to exactly one oracle record (META-6): the
 * prologue [entry, b0), one record per non-empty IR expansion [bk, bk+1),
 * and the morestack block [bN, end). Boundary labels bk come from EMIT-1.
 * Tables are written in address order, so funcs, unsafe ranges, call sites
 * and oracle records come out sorted without a sort (META-2, META-5).
 */
#include "emit.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "everypc/abi.h"
#include "everypc/meta.h"
#include "mlive.h"

/* The emitter writes these layouts by hand: pin them (meta.h). */
_Static_assert(sizeof(struct ep_module) == 104, "ep_module layout");
_Static_assert(sizeof(struct ep_func) == 72, "ep_func layout");
_Static_assert(offsetof(struct ep_func, args_ptrmask) == 40, "ep_func");
_Static_assert(offsetof(struct ep_func, callsites) == 56, "ep_func");
_Static_assert(sizeof(struct ep_callsite) == 16, "ep_callsite layout");
_Static_assert(sizeof(struct ep_stackobj) == 16, "ep_stackobj layout");
_Static_assert(sizeof(struct ep_unsafe) == 24, "ep_unsafe layout");
_Static_assert(sizeof(struct ep_type) == 24, "ep_type layout");
_Static_assert(sizeof(struct ep_oracle_head) == 32, "oracle head layout");
_Static_assert(sizeof(struct ep_oracle_rec) == 48, "oracle rec layout");
_Static_assert(sizeof(struct ep_oracle_call) == 16, "oracle call layout");

/* Boundary ids of a function: B_ENTRY, 0..ncode (bk), B_END. */
#define B_ENTRY (-1)
#define B_END INT_MAX
#define B_PROLOGUE_LAST (-2) /* IR_MUTANT_SHORT_PROLOGUE: its last insn */

struct orec { /* one oracle record, META-6: machine instruction m */
	int fi, m;
	uint64_t regmask;     /* GDB numbering */
	uint64_t livemask;    /* META-8 */
	const uint8_t *words; /* frame_words bits or NULL */
	const uint8_t *live;  /* frame_words bits or NULL (META-8) */
};

struct urange { /* one unsafe range, META-5 */
	int fi, from, to;
	int kind;
};

struct emit {
	const struct be_arch *a;
	const struct ir_program *prog;
	FILE *out;
	int fi;
	const struct ir_func *f;
	int ninsn;	     /* machine instructions since the last reset */
	int nm;		     /* machine instructions of the function so far */
	struct ml_entry *xb; /* the expansion being buffered (EMIT-5) */
	uint64_t *xlive, *xptr;
	int nxb, capxb;
	int *labelpos;	   /* IR label -> instruction index, this function */
	uint8_t *allwords; /* frame_words bits, all set: liveness unknown */
	uint8_t **keep;	   /* every function's allwords, for the records */
	int nkeep;
	int failed, toolong;
	char lbuf[4][48];
	int lnext;
	struct orec *orecs;
	int norecs, caporecs;
	struct urange *unsafe;
	int nunsafe, capunsafe;
	int nomem;
};

/* ---- hooks' helpers --------------------------------------------------- */

/* The next entry of the expansion buffer, or NULL (out of memory). */
static struct ml_entry *buffer_entry(struct emit *e)
{
	if (e->nxb == e->capxb) {
		int cap = e->capxb ? 2 * e->capxb : 64;
		struct ml_entry *n = realloc(e->xb, cap * sizeof *n);
		uint64_t *l = realloc(e->xlive, cap * sizeof *l);
		if (l)
			e->xlive = l;
		uint64_t *p = l ? realloc(e->xptr, cap * sizeof *p) : NULL;
		if (p)
			e->xptr = p;
		if (n)
			e->xb = n;
		if (!n || !l || !p) {
			e->nomem = 1;
			return NULL;
		}
		e->capxb = cap;
	}
	return &e->xb[e->nxb++];
}

void be_ins(struct emit *e, const char *fmt, ...)
{
	va_list ap;
	struct ml_entry *x = buffer_entry(e);
	if (!x)
		return;
	va_start(ap, fmt);
	if (vsnprintf(x->text, sizeof x->text, fmt, ap) >= (int)sizeof x->text)
		e->toolong = 1; /* never silently cut: see flush() */
	va_end(ap);
	x->raw = 0;
	e->ninsn++;
}

void be_raw(struct emit *e, const char *fmt, ...)
{
	va_list ap;
	struct ml_entry *x = buffer_entry(e);
	if (!x)
		return;
	va_start(ap, fmt);
	vsnprintf(x->text, sizeof x->text, fmt, ap);
	va_end(ap);
	x->raw = 1;
}

const char *be_label(struct emit *e, int n)
{
	char *b = e->lbuf[e->lnext++ % 4];
	snprintf(b, sizeof e->lbuf[0], ".Lf%d_L%d", e->fi, n);
	return b;
}

long be_frame_size(const struct ir_func *f) { return 8L * f->frame_words; }

long be_class_size(int c)
{
#define CLASS(i, size) size,
	static const long sizes[] = {EP_SIZE_CLASSES(CLASS)};
#undef CLASS
	_Static_assert(sizeof sizes / sizeof sizes[0] == EP_NUM_SIZE_CLASSES,
		       "size class table");
	return c >= 0 && c < EP_NUM_SIZE_CLASSES ? sizes[c] : -1;
}

const struct be_arch *be_by_arch(int arch)
{
	switch (arch) {
	case EP_ARCH_AMD64:
		return &be_amd64;
	case EP_ARCH_ARM64:
		return &be_arm64;
	case EP_ARCH_RISCV64:
		return &be_riscv64;
	}
	return NULL;
}

/* ---- validation (EMIT-4) ---------------------------------------------- */

static int bad(const struct emit *e, const struct ir_insn *in, int k,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int bad(const struct emit *e, const struct ir_insn *in, int k,
	       const char *fmt, ...)
{
	va_list ap;
	const char *file = e->prog->source_file ? e->prog->source_file : "?";
	if (in)
		fprintf(stderr,
			"%s:%d:%d: gosub internal error: %s insn %d: ", file,
			in->line, in->col, e->f->name, k);
	else
		fprintf(stderr, "%s:%d: gosub internal error: %s: ", file,
			e->f ? e->f->line : 0, e->f ? e->f->name : "program");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static int reg_ok(const struct emit *e, ir_reg r)
{
	const struct ir_target *t = e->a->target;
	return r >= 0 && r < t->ntemps + t->nvars;
}

static int check_operands(const struct emit *e, const struct ir_insn *in, int k)
{
	const struct ir_func *f = e->f;
	int u = ir_op_uses(in->op);
	int slots = f->frame_words - 2; /* words below the link area (IR-3) */
	if (u < 0)
		return bad(e, in, k, "unknown op %d", in->op);
	if ((u & IR_U_DST) && !reg_ok(e, in->dst))
		return bad(e, in, k, "bad dst register %d", in->dst);
	if ((u & IR_U_A) && !reg_ok(e, in->a))
		return bad(e, in, k, "bad a register %d", in->a);
	if (in->bimm && !(u & IR_U_BIMM))
		return bad(e, in, k, "immediate b not allowed for op %d",
			   in->op);
	if ((u & IR_U_B) && !in->bimm && !reg_ok(e, in->b))
		return bad(e, in, k, "bad b register %d", in->b);
	if ((u & IR_U_LABEL) && (in->imm < 0 || in->imm >= f->nlabels))
		return bad(e, in, k, "label %lld out of range",
			   (long long)in->imm);
	if ((u & IR_U_SYM) && (!in->sym || !in->sym[0]))
		return bad(e, in, k, "missing symbol");
	if ((u & IR_U_PARAM) &&
	    (in->imm < 0 || in->imm >= f->nparams + f->has_result))
		return bad(e, in, k, "parameter %lld out of range",
			   (long long)in->imm);
	if (in->op == IR_ZERO) {
		if (in->imm < 0 || in->imm2 < 0 || in->imm > slots ||
		    in->imm2 > slots - in->imm)
			return bad(e, in, k, "zeroed words out of the frame");
	} else if ((u & IR_U_FRAME) && (in->imm < 0 || in->imm >= slots)) {
		return bad(e, in, k, "frame word %lld out of range",
			   (long long)in->imm);
	}
	return 0;
}

static int check_alloc(const struct emit *e, const struct ir_insn *in, int k)
{
	long cs = be_class_size((int)in->imm2);
	if (in->label < 0 || in->label >= e->f->nlabels)
		return bad(e, in, k, "alloc slow-path label %d out of range",
			   in->label);
	if (in->imm2 < 0 || cs < 0)
		return bad(e, in, k, "size class %lld out of range",
			   (long long)in->imm2);
	if (in->imm < 0 || in->imm >= e->prog->ntypes)
		return bad(e, in, k, "type %lld out of range",
			   (long long)in->imm);
	if (8L * e->prog->types[in->imm].nwords + 8 > cs)
		return bad(e, in, k, "type %lld does not fit class %lld",
			   (long long)in->imm, (long long)in->imm2);
	return 0;
}

static int check_frame(const struct emit *e)
{
	const struct ir_func *f = e->f;
	if (!f->name || !f->name[0])
		return bad(e, NULL, 0, "function without a name");
	if (f->frame_words < 2 || f->frame_words % 2 ||
	    f->frame_words > (1 << 26))
		return bad(e, NULL, 0, "bad frame_words %d", f->frame_words);
	if (f->nout < 0 || f->nout > f->frame_words - 2)
		return bad(e, NULL, 0, "bad nout %d", f->nout);
	if (f->nparams < 0 || f->nparams + !!f->has_result > 64)
		return bad(e, NULL, 0, "bad nparams %d", f->nparams);
	if (f->nlabels < 0 || f->ncode < 0 || (f->ncode && !f->code))
		return bad(e, NULL, 0, "bad code or labels");
	for (int i = 0; i < f->nstackobjs; i++) {
		const struct ir_stackobj *s = &f->stackobjs[i];
		if (s->word < 0 || s->nwords <= 0 ||
		    s->nwords > f->frame_words - 2 - s->word)
			return bad(e, NULL, 0, "stack object %d out of frame",
				   i);
		if (i > 0 && s->word <= f->stackobjs[i - 1].word)
			return bad(e, NULL, 0, "stack objects not sorted");
	}
	return 0;
}

static int check_func(struct emit *e)
{
	const struct ir_func *f = e->f;
	if (check_frame(e))
		return -1;
	for (int k = 0; k < f->ncode; k++) {
		const struct ir_insn *in = &f->code[k];
		if (check_operands(e, in, k))
			return -1;
		if (in->op == IR_ALLOC && check_alloc(e, in, k))
			return -1;
	}
	/* IR-4: IR_RET is the only exit. Out-of-line blocks (slow paths,
	   panics) may follow the last one. */
	for (int k = 0; k < f->ncode; k++)
		if (f->code[k].op == IR_RET)
			return 0;
	return bad(e, NULL, 0, "function without IR_RET");
}

static int check_program(struct emit *e)
{
	const struct ir_program *p = e->prog;
	e->f = NULL;
	if (p->nfuncs < 0 || p->ntypes < 0 || p->nglobals < 0 ||
	    p->nstrings < 0)
		return bad(e, NULL, 0, "negative table size");
	for (int i = 0; i < p->ntypes; i++)
		if (!p->types[i].name || p->types[i].nwords < 0)
			return bad(e, NULL, 0, "bad type %d", i);
	for (int i = 0; i < p->nglobals; i++)
		if (!p->globals[i].sym || p->globals[i].nwords < 0)
			return bad(e, NULL, 0, "bad global %d", i);
	for (int i = 0; i < p->nstrings; i++)
		if (!p->strings[i].sym || p->strings[i].len < 0 ||
		    (p->strings[i].len && !p->strings[i].bytes))
			return bad(e, NULL, 0, "bad string %d", i);
	for (e->fi = 0; e->fi < p->nfuncs; e->fi++) {
		e->f = &p->funcs[e->fi];
		if (check_func(e))
			return -1;
	}
	return 0;
}

/* ---- boundaries and records ------------------------------------------- */

/* Name of boundary id b of function fi (static buffer ring). */
static const char *bname(const struct ir_program *p, int fi, int b)
{
	static char buf[4][48];
	static int next;
	char *s = buf[next++ % 4];
	if (b == B_ENTRY)
		snprintf(s, sizeof buf[0], "%s", p->funcs[fi].name);
	else if (b == B_END)
		snprintf(s, sizeof buf[0], ".Lf%d_end", fi);
	else if (b == B_PROLOGUE_LAST)
		snprintf(s, sizeof buf[0], ".Lf%d_plast", fi);
	else
		snprintf(s, sizeof buf[0], ".Lf%d_b%d", fi, b);
	return s;
}

static void add_orec(struct emit *e, int m, uint64_t regs, uint64_t live,
		     const uint8_t *words, const uint8_t *livewords)
{
	if (e->norecs == e->caporecs) {
		int cap = e->caporecs ? 2 * e->caporecs : 64;
		struct orec *n = realloc(e->orecs, cap * sizeof *n);
		if (!n) {
			e->nomem = 1;
			return;
		}
		e->orecs = n;
		e->caporecs = cap;
	}
	e->orecs[e->norecs++] =
	    (struct orec){e->fi, m, regs, live, words, livewords};
}

static void add_unsafe(struct emit *e, int from, int to, int kind)
{
	struct urange *last = e->nunsafe ? &e->unsafe[e->nunsafe - 1] : NULL;
	if (last && last->fi == e->fi && last->to == from &&
	    last->kind == kind && kind == EP_UNSAFE_GCATOMIC) {
		last->to = to;
		return;
	}
	if (e->nunsafe == e->capunsafe) {
		int cap = e->capunsafe ? 2 * e->capunsafe : 64;
		struct urange *n = realloc(e->unsafe, cap * sizeof *n);
		if (!n) {
			e->nomem = 1;
			return;
		}
		e->unsafe = n;
		e->capunsafe = cap;
	}
	e->unsafe[e->nunsafe++] = (struct urange){e->fi, from, to, kind};
}

static uint64_t gdb_regmask(const struct emit *e, uint32_t abstract)
{
	uint64_t m = 0;
	const struct ir_target *t = e->a->target;
	for (int r = 0; r < t->ntemps + t->nvars; r++)
		if (abstract & (1u << r))
			m |= 1ull << t->gdbreg[r];
	return m;
}

/* ---- expansions (EMIT-5) ------------------------------------------------ */

static uint64_t ir_label_live(void *ctx, const char *label)
{
	struct emit *e = ctx;
	int fi, n;
	char tail;
	if (sscanf(label, ".Lf%d_L%d%c", &fi, &n, &tail) != 2 || fi != e->fi ||
	    n < 0 || n >= e->f->nlabels || e->labelpos[n] < 0)
		return 0; /* the morestack block or the entry: nothing live */
	return gdb_regmask(e, e->f->code[e->labelpos[n]].live_regs_in);
}

/* Write the buffered expansion of in (NULL: prologue, morestack) with a
   label and an oracle record per machine instruction. The epilogue (in is
   IR_RET) and the blocks without IR have no frame words to offer. */
static void flush(struct emit *e, const struct ir_insn *in)
{
	struct ml_expansion x = {
	    .e = e->xb, .n = e->nxb, .live = e->xlive, .ptr = e->xptr};
	int body = in && in->op != IR_RET;
	char err[256];
	if (e->nomem || e->failed)
		return;
	if (e->toolong) {
		bad(e, in, 0, "an instruction longer than %d bytes", ML_TEXT);
		e->failed = 1;
		return;
	}
	x.dst = -1;
	if (body) {
		x.exit_live = gdb_regmask(e, in->live_regs_out);
		x.entry_ptr = gdb_regmask(e, in->live_ptr_regs);
		if ((ir_op_uses(in->op) & IR_U_DST) && reg_ok(e, in->dst))
			x.dst = e->a->target->gdbreg[in->dst];
		x.dst_ptr = in->dst_ptr;
	}
	x.label_live = ir_label_live;
	x.ctx = e;
	if (ml_analyse(e->a, &x, err, sizeof err) < 0) {
		bad(e, in, 0, "%s", err);
		e->failed = 1;
		return;
	}
	for (int i = 0; i < x.n; i++) {
		uint64_t live = x.live[i], ptr = x.ptr[i];
		if (x.e[i].raw) {
			fprintf(e->out, "%s\n", x.e[i].text);
			continue;
		}
		fprintf(e->out, ".Lf%d_m%d:\n\t%s\n", e->fi, e->nm,
			x.e[i].text);
		if (body && !in->live_words) {
			/* hand-built IR without IR-6: nothing may be
			   overwritten, pointers as the IR says */
			live = ml_clobber_mask(e->a);
			ptr = x.entry_ptr;
		}
		add_orec(e, e->nm++, ptr, live,
			 body ? in->live_ptr_words : NULL,
			 !body		  ? NULL
			 : in->live_words ? in->live_words
					  : e->allwords);
	}
	e->nxb = 0;
}

static int setup_func(struct emit *e)
{
	const struct ir_func *f = e->f;
	uint8_t **keep =
	    realloc(e->keep, sizeof *keep * (size_t)(e->nkeep + 1));
	free(e->labelpos);
	if (keep)
		e->keep = keep;
	e->labelpos = malloc(sizeof(int) * (size_t)(f->nlabels + 1));
	e->allwords = malloc((size_t)f->frame_words / 8 + 1);
	if (!keep || !e->labelpos || !e->allwords) {
		free(e->allwords);
		e->nomem = 1;
		return -1;
	}
	e->keep[e->nkeep++] = e->allwords; /* records point into it */
	memset(e->allwords, 0xff, (size_t)f->frame_words / 8 + 1);
	for (int i = 0; i < f->nlabels; i++)
		e->labelpos[i] = -1;
	for (int k = 0; k < f->ncode; k++)
		if (f->code[k].op == IR_LABEL)
			e->labelpos[f->code[k].imm] = k;
	e->nm = 0;
	e->nxb = 0;
	return 0;
}

/* ---- code walk ---------------------------------------------------------- */

static void put_quoted(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 32 || c >= 127)
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void emit_loc(struct emit *e, int line, int col)
{
	if (line > 0)
		fprintf(e->out, "\t.loc 1 %d %d\n", line, col > 0 ? col : 0);
}

static void emit_insn(struct emit *e, int k)
{
	const struct ir_insn *in = &e->f->code[k];
	fprintf(e->out, "%s:\n", bname(e->prog, e->fi, k));
	if (in->op == IR_LABEL) {
		fprintf(e->out, "%s:\n", be_label(e, (int)in->imm));
		return;
	}
	emit_loc(e, in->line, in->col);
	e->ninsn = 0;
	if (in->op == IR_RET)
		e->a->epilogue(e, e->f);
	else
		e->a->insn(e, e->f, in);
	flush(e, in);
	if (e->ninsn == 0)
		return;
	if (in->op == IR_RET) {
		add_unsafe(e, k, k + 1, EP_UNSAFE_EPILOGUE);
		return;
	}
	if (in->unsafe || in->op == IR_ALLOC)
		add_unsafe(e, k, k + 1, EP_UNSAFE_GCATOMIC);
	else if (in->op == IR_STORE && in->wb &&
		 !(e->prog->mutants & IR_MUTANT_WB_RANGE_UNMARKED))
		add_unsafe(e, k, k + 1, EP_UNSAFE_WRITEBARRIER); /* IR-7 */
}

static void emit_func(struct emit *e)
{
	const struct ir_func *f = e->f;
	const char *name = f->name;
	fprintf(e->out, "\n\t.text\n\t.globl %s\n\t.type %s, %%function\n%s:\n",
		name, name, name);
	emit_loc(e, f->line, 1);
	if (setup_func(e))
		return;
	e->a->prologue(e, f, bname(e->prog, e->fi, f->ncode));
	flush(e, NULL);
	if (e->prog->mutants & IR_MUTANT_SHORT_PROLOGUE) {
		/* the mutant: the range ends at the prologue's last insn */
		add_unsafe(e, B_ENTRY, B_PROLOGUE_LAST, EP_UNSAFE_PROLOGUE);
		fprintf(e->out, "\t.set .Lf%d_plast, .Lf%d_m%d\n", e->fi, e->fi,
			e->nm - 1);
	} else {
		add_unsafe(e, B_ENTRY, 0, EP_UNSAFE_PROLOGUE);
	}
	for (int k = 0; k < f->ncode; k++)
		emit_insn(e, k);
	fprintf(e->out, "%s:\n", bname(e->prog, e->fi, f->ncode));
	emit_loc(e, f->line, 1);
	e->a->morestack(e, f, name);
	flush(e, NULL);
	add_unsafe(e, f->ncode, B_END, EP_UNSAFE_PROLOGUE);
	fprintf(e->out, ".Lf%d_m%d:\n%s:\n\t.size %s, .-%s\n", e->fi, e->nm,
		bname(e->prog, e->fi, B_END), name, name);
}

/* ---- metadata tables (META-1) ------------------------------------------ */

static void put_mask(FILE *out, const char *label, const uint8_t *mask,
		     long nbits)
{
	long n = (nbits + 7) / 8;
	fprintf(out, "%s:", label);
	for (long i = 0; i < n; i++)
		fprintf(out, "%s%u", i % 16 ? ", " : "\n\t.byte ",
			mask ? mask[i] : 0);
	fputc('\n', out);
}

static int count_calls(const struct ir_func *f)
{
	int n = 0;
	for (int k = 0; k < f->ncode; k++)
		n += f->code[k].op == IR_CALL;
	return n;
}

static void emit_func_entry(struct emit *e, int fi)
{
	const struct ir_func *f = &e->prog->funcs[fi];
	int ncs = count_calls(f);
	fprintf(e->out, "\t.quad %s, %s, .Lm_name%d\n",
		bname(e->prog, fi, B_ENTRY), bname(e->prog, fi, B_END), fi);
	fprintf(e->out, "\t.long %ld, %d, %d, %d\n", be_frame_size(f),
		8 * (f->nparams + !!f->has_result),
		strcmp(f->name, "main.main") ? 0 : EP_FUNC_MAIN_MAIN, f->line);
	fprintf(e->out, "\t.quad %llu\n\t.long %d, %d\n",
		(unsigned long long)f->params_ptrmask, ncs, f->nstackobjs);
	if (ncs)
		fprintf(e->out, "\t.quad .Lm_cs%d\n", fi);
	else
		fprintf(e->out, "\t.quad 0\n");
	if (f->nstackobjs)
		fprintf(e->out, "\t.quad .Lm_so%d\n", fi);
	else
		fprintf(e->out, "\t.quad 0\n");
}

static void emit_func_tables(struct emit *e, int fi)
{
	const struct ir_func *f = &e->prog->funcs[fi];
	char lab[64];
	fprintf(e->out, ".Lm_name%d:\n\t.asciz ", fi);
	put_quoted(e->out, f->name, strlen(f->name));
	fprintf(e->out, "\n\t.balign 8\n.Lm_cs%d:\n", fi);
	for (int k = 0; k < f->ncode; k++)
		if (f->code[k].op == IR_CALL)
			fprintf(e->out, "\t.quad %s, .Lm_cm%d_%d\n",
				bname(e->prog, fi, k + 1), fi, k);
	fprintf(e->out, ".Lm_so%d:\n", fi);
	for (int i = 0; i < f->nstackobjs; i++)
		fprintf(e->out, "\t.long %d, %d\n\t.quad .Lm_som%d_%d\n",
			8 * f->stackobjs[i].word, 8 * f->stackobjs[i].nwords,
			fi, i);
	for (int k = 0; k < f->ncode; k++) {
		if (f->code[k].op != IR_CALL)
			continue;
		snprintf(lab, sizeof lab, ".Lm_cm%d_%d", fi, k);
		put_mask(e->out, lab, f->code[k].callmap, f->frame_words);
	}
	for (int i = 0; i < f->nstackobjs; i++) {
		snprintf(lab, sizeof lab, ".Lm_som%d_%d", fi, i);
		put_mask(e->out, lab, f->stackobjs[i].ptrmask,
			 f->stackobjs[i].nwords);
	}
	fprintf(e->out, "\t.balign 8\n");
}

static void emit_types(struct emit *e)
{
	const struct ir_program *p = e->prog;
	char lab[64];
	fprintf(e->out, "\t.balign 8\n.Lm_types:\n");
	for (int i = 0; i < p->ntypes; i++)
		fprintf(e->out, "\t.quad %d, .Lm_tm%d, .Lm_tn%d\n",
			8 * p->types[i].nwords, i, i);
	for (int i = 0; i < p->ntypes; i++) {
		snprintf(lab, sizeof lab, ".Lm_tm%d", i);
		put_mask(e->out, lab, p->types[i].ptrmask, p->types[i].nwords);
		fprintf(e->out, ".Lm_tn%d:\n\t.asciz ", i);
		put_quoted(e->out, p->types[i].name, strlen(p->types[i].name));
		fputc('\n', e->out);
	}
}

static void emit_unsafe_table(struct emit *e)
{
	fprintf(e->out, "\t.balign 8\n.Lm_unsafe:\n");
	for (int i = 0; i < e->nunsafe; i++) {
		const struct urange *u = &e->unsafe[i];
		fprintf(e->out, "\t.quad %s, %s\n\t.long %d, 0\n",
			bname(e->prog, u->fi, u->from),
			bname(e->prog, u->fi, u->to), u->kind);
	}
}

static long globals_words(const struct ir_program *p)
{
	long n = 0;
	for (int i = 0; i < p->nglobals; i++)
		n += p->globals[i].nwords;
	return n;
}

/* The globals' pointer mask and init image, both in everypc_meta. */
static void emit_globals_meta(struct emit *e)
{
	const struct ir_program *p = e->prog;
	long n = globals_words(p), w = 0;
	uint8_t *mask = calloc((size_t)(n + 7) / 8 + 1, 1);
	if (!mask) {
		e->nomem = 1;
		return;
	}
	for (int i = 0; i < p->nglobals; i++)
		for (int j = 0; j < p->globals[i].nwords; j++, w++)
			if (p->globals[i].ptrmask &&
			    ep_bit(p->globals[i].ptrmask, j))
				mask[w / 8] |= (uint8_t)(1u << (w % 8));
	put_mask(e->out, ".Lm_gmask", mask, n);
	free(mask);
	fprintf(e->out, "\t.balign 8\n.Lm_ginit:\n");
	for (int i = 0; i < p->nglobals; i++)
		for (int j = 0; j < p->globals[i].nwords; j++)
			fprintf(e->out, "\t.quad %lld\n",
				p->globals[i].init
				    ? (long long)p->globals[i].init[j]
				    : 0LL);
}

static void emit_module(struct emit *e)
{
	const struct ir_program *p = e->prog;
	fprintf(e->out, "\n\t.section everypc_meta,\"a\"\n\t.balign 8\n"
			"\t.globl everypc_module\n"
			"\t.type everypc_module, %%object\n"
			"everypc_module:\n");
	fprintf(e->out, "\t.quad %llu\n\t.long %d, %d\n",
		(unsigned long long)EP_META_MAGIC, EP_META_VERSION,
		e->a->target->arch);
	fprintf(e->out, "\t.quad %d, .Lm_funcs\n\t.quad %d, .Lm_types\n",
		p->nfuncs, p->ntypes);
	fprintf(e->out, "\t.quad %d, .Lm_unsafe\n", e->nunsafe);
	fprintf(e->out, "\t.quad .Lglobals, %ld, .Lm_gmask, .Lm_ginit\n",
		8 * globals_words(p));
	fprintf(e->out, "\t.quad .Lm_src\n"
			"\t.size everypc_module, .-everypc_module\n");
	fprintf(e->out, ".Lm_funcs:\n");
	for (int fi = 0; fi < p->nfuncs; fi++)
		emit_func_entry(e, fi);
	emit_unsafe_table(e);
	for (int fi = 0; fi < p->nfuncs; fi++)
		emit_func_tables(e, fi);
	emit_types(e);
	emit_globals_meta(e);
	fprintf(e->out, ".Lm_src:\n\t.asciz ");
	put_quoted(e->out, p->source_file ? p->source_file : "",
		   p->source_file ? strlen(p->source_file) : 0);
	fputc('\n', e->out);
}

/* ---- oracle section (META-6) -------------------------------------------- */

static int count_bits(const uint8_t *m, int n)
{
	int c = 0;
	for (int i = 0; m && i < n; i++)
		c += ep_bit(m, i);
	return c;
}

/* The offsets array of bitmap m (frame_words bits) under label .Lo_<t><i>,
   unless it is empty. */
static void put_offsets(FILE *out, char t, int i, const uint8_t *m, int fw)
{
	if (!count_bits(m, fw))
		return;
	fprintf(out, ".Lo_%c%d:\n", t, i);
	for (int w = 0; w < fw; w++)
		if (ep_bit(m, w))
			fprintf(out, "\t.long %d\n", 8 * w);
}

/* The label index under which bitmap m of record i is written: records of
   one expansion share their bitmaps, written once. */
static int shared(const struct orec *r, int i, int which)
{
	while (
	    i > 0 && r[i - 1].fi == r[i].fi &&
	    (which ? r[i - 1].live == r[i].live : r[i - 1].words == r[i].words))
		i--;
	return i;
}

static void put_ref(FILE *out, char t, int i, const uint8_t *m, int fw)
{
	int n = count_bits(m, fw);
	if (n)
		fprintf(out, "\t.long .Lo_%c%d - .Lo_start, %d\n", t, i, n);
	else
		fprintf(out, "\t.long 0, 0\n");
}

static void emit_oracle(struct emit *e)
{
	const struct ir_program *p = e->prog;
	int ncalls = 0;
	for (int fi = 0; fi < p->nfuncs; fi++)
		ncalls += count_calls(&p->funcs[fi]);
	fprintf(e->out, "\n\t.section .everypc_oracle,\"\",%%progbits\n"
			"\t.balign 8\n.Lo_start:\n");
	fprintf(e->out, "\t.quad %llu\n\t.long %d, %d, %d, 0\n\t.quad %llu\n",
		(unsigned long long)EP_ORACLE_MAGIC, EP_ORACLE_VERSION,
		e->norecs, ncalls, (unsigned long long)ml_clobber_mask(e->a));
	for (int i = 0; i < e->norecs; i++) {
		const struct orec *r = &e->orecs[i];
		int fw = p->funcs[r->fi].frame_words;
		fprintf(e->out, "\t.quad .Lf%d_m%d, .Lf%d_m%d, %llu, %llu\n",
			r->fi, r->m, r->fi, r->m + 1,
			(unsigned long long)r->regmask,
			(unsigned long long)r->livemask);
		put_ref(e->out, 's', shared(e->orecs, i, 0), r->words, fw);
		put_ref(e->out, 'l', shared(e->orecs, i, 1), r->live, fw);
	}
	for (int fi = 0; fi < p->nfuncs; fi++)
		for (int k = 0; k < p->funcs[fi].ncode; k++) {
			const struct ir_insn *in = &p->funcs[fi].code[k];
			if (in->op != IR_CALL)
				continue;
			fprintf(e->out, "\t.quad %s\n", bname(p, fi, k + 1));
			if (in->callmap_all)
				fprintf(e->out,
					"\t.long .Lo_c%d_%d - .Lo_start, "
					"%d\n",
					fi, k,
					count_bits(in->callmap_all,
						   p->funcs[fi].frame_words));
			else
				fprintf(e->out,
					"\t.long .Lo_a%d - .Lo_start, "
					"%d\n",
					fi, p->funcs[fi].frame_words);
		}
	for (int i = 0; i < e->norecs; i++) {
		const struct orec *r = &e->orecs[i];
		int fw = p->funcs[r->fi].frame_words;
		if (shared(e->orecs, i, 0) == i)
			put_offsets(e->out, 's', i, r->words, fw);
		if (shared(e->orecs, i, 1) == i)
			put_offsets(e->out, 'l', i, r->live, fw);
	}
	for (int fi = 0; fi < p->nfuncs; fi++) {
		const struct ir_func *f = &p->funcs[fi];
		fprintf(e->out, ".Lo_a%d:\n", fi); /* liveness unknown: all */
		for (int w = 0; w < f->frame_words; w++)
			fprintf(e->out, "\t.long %d\n", 8 * w);
		for (int k = 0; k < f->ncode; k++)
			if (f->code[k].op == IR_CALL &&
			    f->code[k].callmap_all) {
				fprintf(e->out, ".Lo_c%d_%d:\n", fi, k);
				for (int w = 0; w < f->frame_words; w++)
					if (ep_bit(f->code[k].callmap_all, w))
						fprintf(e->out, "\t.long %d\n",
							8 * w);
			}
	}
}

/* ---- globals and strings ------------------------------------------------ */

static void emit_data(struct emit *e)
{
	const struct ir_program *p = e->prog;
	fprintf(e->out, "\n\t.data\n\t.balign 16\n.Lglobals:\n");
	for (int i = 0; i < p->nglobals; i++) {
		const struct ir_global *g = &p->globals[i];
		fprintf(e->out, "\t.type %s, %%object\n%s:\n", g->sym, g->sym);
		for (int j = 0; j < g->nwords; j++)
			fprintf(e->out, "\t.quad %lld\n",
				g->init ? (long long)g->init[j] : 0LL);
		fprintf(e->out, "\t.size %s, .-%s\n", g->sym, g->sym);
	}
	fprintf(e->out, "\n\t.section .rodata\n");
	for (int i = 0; i < p->nstrings; i++) {
		fprintf(e->out, "%s:\n\t.ascii ", p->strings[i].sym);
		put_quoted(e->out, p->strings[i].bytes,
			   (size_t)p->strings[i].len);
		fputc('\n', e->out);
	}
}

int emit_program(const struct be_arch *a, const struct ir_program *prog,
		 FILE *out)
{
	struct emit e = {.a = a, .prog = prog, .out = out};
	int rc = 0;
	if (check_program(&e))
		return -1;
	fprintf(out, "# generated by gosub for %s\n\t.file 1 ",
		a->target->name);
	put_quoted(out, prog->source_file ? prog->source_file : "",
		   prog->source_file ? strlen(prog->source_file) : 0);
	fputc('\n', out);
	if (a->preamble) {
		a->preamble(&e);
		for (int i = 0; i < e.nxb; i++) /* directives only */
			fprintf(out, "%s\n", e.xb[i].text);
		e.nxb = 0;
	}
	for (e.fi = 0; e.fi < prog->nfuncs; e.fi++) {
		e.f = &prog->funcs[e.fi];
		emit_func(&e);
	}
	emit_data(&e);
	emit_module(&e);
	emit_oracle(&e);
	fprintf(out, "\n\t.section .note.GNU-stack,\"\",%%progbits\n");
	if (e.nomem) {
		fprintf(stderr, "gosub: out of memory\n");
		rc = -1;
	}
	if (ferror(out)) {
		fprintf(stderr, "gosub: write error on the assembly output\n");
		rc = -1;
	}
	if (e.failed)
		rc = -1;
	free(e.orecs);
	free(e.unsafe);
	free(e.xb);
	free(e.xlive);
	free(e.xptr);
	free(e.labelpos);
	for (int i = 0; i < e.nkeep; i++)
		free(e.keep[i]);
	free(e.keep);
	return rc;
}
