/*
 * irprogs.c -- hand-built IR programs exercising every IR op, the frame and
 * calling convention (ABI-1, ABI-2), the prologue's stack check (ABI-3), the
 * inline allocation and hand-written liveness, with expected output.
 *
 * Programs only use abstract registers 0..8 (amd64 has 9) and spill what
 * they need across calls, as lower.c would (ABI-1). Each output line has a
 * description in `cases`, so a failing line can be traced to its IR.
 */
#include "irprogs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bld {
	struct ir_program *p;
	struct ir_func *f;
	struct irprog *out;
	size_t explen, caslen;
	int line;
};

/* ---- builder ------------------------------------------------------------ */

static void *xcalloc(size_t n, size_t s)
{
	void *p = calloc(n ? n : 1, s);
	if (!p) {
		fprintf(stderr, "irprogs: out of memory\n");
		exit(2);
	}
	return p;
}

static void append(char **buf, size_t *len, const char *fmt, va_list ap)
{
	char tmp[256];
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	*buf = realloc(*buf, *len + (size_t)n + 1);
	if (!*buf)
		exit(2);
	memcpy(*buf + *len, tmp, (size_t)n + 1);
	*len += (size_t)n;
}

static void expect(struct bld *b, const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	append(&b->out->expected, &b->explen, fmt, ap);
	va_end(ap);
	char *cas = b->out->cases;
	size_t n = b->caslen;
	cas = realloc(cas, n + strlen(b->f->name) + strlen(what) + 16);
	if (!cas)
		exit(2);
	n += (size_t)sprintf(cas + n, "%s line %d: %s\n", b->f->name, b->line,
			     what);
	b->out->cases = cas;
	b->caslen = n;
}

static struct ir_func *func(struct bld *b, const char *name, int nparams,
			    int has_result, int frame_words, int nout)
{
	struct ir_program *p = b->p;
	p->funcs =
	    realloc(p->funcs, (size_t)(p->nfuncs + 1) * sizeof *p->funcs);
	if (!p->funcs)
		exit(2);
	struct ir_func *f = &p->funcs[p->nfuncs++];
	memset(f, 0, sizeof *f);
	f->name = name;
	f->line = ++b->line;
	f->nparams = nparams;
	f->has_result = has_result;
	f->frame_words = frame_words;
	f->nout = nout;
	b->f = f;
	return f;
}

static struct ir_insn *op(struct bld *b, int o, int dst, int a, int r2,
			  int64_t imm)
{
	struct ir_func *f = b->f;
	if (f->ncode == f->capcode) {
		f->capcode = f->capcode ? 2 * f->capcode : 64;
		f->code =
		    realloc(f->code, (size_t)f->capcode * sizeof *f->code);
		if (!f->code)
			exit(2);
	}
	struct ir_insn *in = &f->code[f->ncode++];
	memset(in, 0, sizeof *in);
	in->op = (uint8_t)o;
	in->dst = (ir_reg)dst;
	in->a = (ir_reg)a;
	in->b = (ir_reg)r2;
	in->imm = imm;
	in->line = ++b->line;
	in->col = 2;
	return in;
}

static struct ir_insn *opi(struct bld *b, int o, int dst, int a, int64_t imm)
{
	struct ir_insn *in = op(b, o, dst, a, -1, imm);
	in->bimm = 1;
	return in;
}

static int label(struct bld *b) { return b->f->nlabels++; }

static void place(struct bld *b, int l) { op(b, IR_LABEL, -1, -1, -1, l); }

static struct ir_insn *call(struct bld *b, const char *sym)
{
	struct ir_insn *in = op(b, IR_CALL, -1, -1, -1, 0);
	in->sym = sym;
	return in;
}

static uint8_t *wordmask(const struct ir_func *f, int w)
{
	uint8_t *m = xcalloc((size_t)(f->frame_words + 7) / 8, 1);
	if (w >= 0)
		m[w / 8] |= (uint8_t)(1u << (w % 8));
	return m;
}

/* Print register r (clobbers every register, ABI-1). */
static void print_reg(struct bld *b, int r)
{
	op(b, IR_STFRAME, -1, r, -1, 0);
	call(b, "runtime.printint");
	call(b, "runtime.printnl");
}

/* ---- Go semantics ------------------------------------------------------- */

static int64_t go_shift(int op, int64_t a, int64_t n)
{
	if (op == IR_SHL)
		return (uint64_t)n >= 64 ? 0 : (int64_t)((uint64_t)a << n);
	if ((uint64_t)n >= 64)
		return a < 0 ? -1 : 0;
	return a < 0 ? ~(~a >> n) : a >> n; /* arithmetic, portably */
}

static int64_t go_div(int op, int64_t a, int64_t b)
{
	if (b == -1)
		return op == IR_DIV ? (int64_t)(0 - (uint64_t)a) : 0;
	return op == IR_DIV ? a / b : a % b;
}

int64_t irprog_go_eval(int op, int64_t a, int64_t b)
{
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
	switch (op) {
	case IR_ADD:
		return (int64_t)(ua + ub);
	case IR_SUB:
		return (int64_t)(ua - ub);
	case IR_MUL:
		return (int64_t)(ua * ub);
	case IR_DIV:
	case IR_MOD:
		return go_div(op, a, b);
	case IR_AND:
		return a & b;
	case IR_OR:
		return a | b;
	case IR_XOR:
		return a ^ b;
	case IR_ANDNOT:
		return a & ~b;
	case IR_SHL:
	case IR_SHR:
		return go_shift(op, a, b);
	case IR_CMPEQ:
		return a == b;
	case IR_CMPNE:
		return a != b;
	case IR_CMPLT:
		return a < b;
	case IR_CMPLE:
		return a <= b;
	case IR_CMPGT:
		return a > b;
	case IR_CMPGE:
		return a >= b;
	case IR_CMPULT:
		return ua < ub;
	}
	return 0;
}

/* ---- arith: every binary and unary op ----------------------------------- */

static const int64_t vals[] = {
    0,	       1,	   -1,		 5,    -7,    INT64_MIN,
    INT64_MAX, 0x7fffffff, 0x80000000LL, 4096, -4097, 0x123456789aLL,
};
static const int64_t divs[] = {7, -7, 2, -2, 1, -1, 3, INT64_MIN, INT64_MAX};
static const int64_t shas[] = {1, -1, 0x123456789abcdefLL, INT64_MIN, 40};
static const int64_t shns[] = {0, 1, 63, 64, 100, 1LL << 40};

/* One case: operands in registers (variant v picks dst == a, dst == b or
   distinct) or b immediate. */
static void binop_case(struct bld *b, int o, int64_t x, int64_t y, int v,
		       int bimm)
{
	static const int regs[3][3] = {{2, 0, 1}, {0, 0, 1}, {1, 0, 1}};
	const int *r = regs[v % 3];
	char what[96];
	op(b, IR_MOVI, r[1], -1, -1, x);
	if (bimm) {
		opi(b, o, r[0], r[1], y);
	} else {
		op(b, IR_MOVI, r[2], -1, -1, y);
		op(b, o, r[0], r[1], r[2], 0);
	}
	print_reg(b, r[0]);
	snprintf(what, sizeof what, "op %d %lld %lld variant %d%s", o,
		 (long long)x, (long long)y, v, bimm ? " imm" : "");
	expect(b, what, "%lld\n", (long long)irprog_go_eval(o, x, y));
}

static void arith_op(struct bld *b, int o, const int64_t *xs, int nx,
		     const int64_t *ys, int ny)
{
	int k = 0;
	for (int i = 0; i < nx; i++)
		for (int j = 0; j < ny; j++, k++) {
			if ((o == IR_DIV || o == IR_MOD) && ys[j] == 0)
				continue;
			binop_case(b, o, xs[i], ys[j], k, 0);
			binop_case(b, o, xs[i], ys[j], k + 1, 1);
		}
}

static void unary_cases(struct bld *b)
{
	for (int i = 0; i < (int)(sizeof vals / sizeof vals[0]); i++) {
		int64_t v = vals[i];
		op(b, IR_MOVI, 3, -1, -1, v);
		op(b, IR_NEG, i % 2 ? 3 : 4, 3, -1, 0);
		print_reg(b, i % 2 ? 3 : 4);
		expect(b, "neg", "%lld\n",
		       (long long)(int64_t)(0 - (uint64_t)v));
		op(b, IR_MOVI, 3, -1, -1, v);
		op(b, IR_COM, i % 2 ? 4 : 3, 3, -1, 0);
		print_reg(b, i % 2 ? 4 : 3);
		expect(b, "com", "%lld\n", (long long)~v);
	}
	for (int v = 0; v < 2; v++) {
		op(b, IR_MOVI, 5, -1, -1, v);
		op(b, IR_NOT, v ? 5 : 6, 5, -1, 0);
		print_reg(b, v ? 5 : 6);
		expect(b, "not", "%d\n", !v);
	}
	op(b, IR_MOVI, 7, -1, -1, 1234567);
	op(b, IR_MOV, 8, 7, -1, 0);
	op(b, IR_MOV, 8, 8, -1, 0); /* empty expansion */
	op(b, IR_NOP, -1, -1, -1, 0);
	print_reg(b, 8);
	expect(b, "mov", "1234567\n");
}

static void build_arith(struct bld *b)
{
	int nv = sizeof vals / sizeof vals[0];
	func(b, "main.t_arith", 0, 0, 4, 2);
	for (int o = IR_ADD; o <= IR_CMPULT; o++) {
		if (o == IR_DIV || o == IR_MOD)
			arith_op(b, o, divs, 9, divs, 9);
		else if (o == IR_SHL || o == IR_SHR)
			arith_op(b, o, shas, 5, shns, 6);
		else
			arith_op(b, o, vals, nv, vals, nv);
	}
	unary_cases(b);
	op(b, IR_RET, -1, -1, -1, 0);
}

/* ---- mem: params, frame, globals, strings, far offsets --------------------
 */

static void build_sum3(struct bld *b)
{
	/* sum3(a, b, c) = a - b + 10*c: parameter order matters */
	func(b, "main.sum3", 3, 1, 2, 0);
	op(b, IR_LDPARAM, 0, -1, -1, 0);
	op(b, IR_LDPARAM, 1, -1, -1, 1);
	op(b, IR_SUB, 0, 0, 1, 0);
	op(b, IR_LDPARAM, 2, -1, -1, 2);
	opi(b, IR_MUL, 2, 2, 10);
	op(b, IR_ADD, 3, 0, 2, 0);
	op(b, IR_STPARAM, -1, 3, -1, 3);
	op(b, IR_RET, -1, -1, -1, 0);
}

static void mem_frame(struct bld *b)
{
	/* words 0..3 out, 4..7 a stack object, 8..31 zeroed, 32..33 link */
	op(b, IR_MOVI, 0, -1, -1, 100);
	op(b, IR_STFRAME, -1, 0, -1, 0);
	op(b, IR_MOVI, 1, -1, -1, 7);
	op(b, IR_STFRAME, -1, 1, -1, 1);
	op(b, IR_MOVI, 2, -1, -1, 3);
	op(b, IR_STFRAME, -1, 2, -1, 2);
	call(b, "main.sum3");
	op(b, IR_LDFRAME, 4, -1, -1, 3);
	print_reg(b, 4);
	expect(b, "sum3(100, 7, 3)", "123\n");
	op(b, IR_ADDRFRAME, 5, -1, -1, 4);
	op(b, IR_MOVI, 6, -1, -1, 11);
	op(b, IR_STORE, -1, 5, 6, 8);
	op(b, IR_LOAD, 7, 5, -1, 8);
	print_reg(b, 7);
	expect(b, "store/load via ADDRFRAME", "11\n");
	op(b, IR_LDFRAME, 8, -1, -1, 5);
	print_reg(b, 8);
	expect(b, "LDFRAME of stored word", "11\n");
	for (int w = 8; w < 32; w++) {
		op(b, IR_MOVI, 0, -1, -1, 1000 + w);
		op(b, IR_STFRAME, -1, 0, -1, w);
	}
	op(b, IR_ZERO, -1, -1, -1, 8)->imm2 = 20; /* loop path */
	op(b, IR_ZERO, -1, -1, -1, 4)->imm2 = 2;  /* unrolled path */
	int checks[] = {4, 5, 8, 27, 28, 31};
	for (int i = 0; i < 6; i++) {
		op(b, IR_LDFRAME, 1, -1, -1, checks[i]);
		print_reg(b, 1);
		expect(b, "after ZERO", "%d\n",
		       checks[i] >= 28 ? 1000 + checks[i] : 0);
	}
}

static void mem_globals(struct bld *b)
{
	op(b, IR_ADDRSYM, 0, -1, -1, 8)->sym = "main.g1";
	op(b, IR_LOAD, 1, 0, -1, 0);
	print_reg(b, 1);
	expect(b, "global init word 1", "7\n");
	op(b, IR_ADDRSYM, 0, -1, -1, 0)->sym = "main.g1";
	op(b, IR_MOVI, 1, -1, -1, -55);
	op(b, IR_STORE, -1, 0, 1, 16);
	op(b, IR_ADDRSYM, 2, -1, -1, 16)->sym = "main.g1";
	op(b, IR_LOAD, 3, 2, -1, 0);
	print_reg(b, 3);
	expect(b, "global store", "-55\n");
	/* far and negative offsets from a moved base */
	int64_t offs[] = {-8, -264, 40000, -3000, 0x100000000LL};
	for (int i = 0; i < 5; i++) {
		op(b, IR_ADDRSYM, 4, -1, -1, 0)->sym = "main.g1";
		op(b, IR_MOVI, 5, -1, -1, offs[i]);
		op(b, IR_SUB, 4, 4, 5, 0);
		op(b, IR_LOAD, 6, 4, -1, offs[i]);
		opi(b, IR_ADD, 6, 6, 1);
		op(b, IR_STORE, -1, 4, 6, offs[i]);
		op(b, IR_LOAD, 7, 4, -1, offs[i]);
		print_reg(b, 7);
		expect(b, "load/store at far offset", "%d\n", 43 + i);
	}
	op(b, IR_ADDRSYM, 0, -1, -1, 0)->sym = "main..str0";
	op(b, IR_STFRAME, -1, 0, -1, 0);
	op(b, IR_MOVI, 0, -1, -1, 15);
	op(b, IR_STFRAME, -1, 0, -1, 1);
	call(b, "runtime.printstr");
	expect(b, "printstr", "hello, \"gosub\"\n");
}

static void build_mem(struct bld *b)
{
	static int64_t g1init[4] = {42, 7, 0, 0};
	static uint8_t g2mask[1] = {1};
	b->p->globals = xcalloc(2, sizeof *b->p->globals);
	b->p->globals[0] = (struct ir_global){"main.g1", 4, NULL, g1init};
	b->p->globals[1] = (struct ir_global){"main.g2", 1, g2mask, NULL};
	b->p->nglobals = 2;
	b->p->strings = xcalloc(1, sizeof *b->p->strings);
	b->p->strings[0] =
	    (struct ir_string){"main..str0", "hello, \"gosub\"\n", 15};
	b->p->nstrings = 1;
	build_sum3(b);
	func(b, "main.t_mem", 0, 0, 34, 4);
	b->f->stackobjs = xcalloc(1, sizeof *b->f->stackobjs);
	b->f->stackobjs[0] = (struct ir_stackobj){4, 4, xcalloc(1, 1)};
	b->f->nstackobjs = 1;
	mem_frame(b);
	mem_globals(b);
	op(b, IR_RET, -1, -1, -1, 0);
}

/* ---- calls: recursion, deep stacks, morestack -----------------------------
 */

static void build_fib(struct bld *b)
{
	/* words: 0 arg, 1 result, 2 n, 3 fib(n-1), 4..5 link */
	func(b, "main.fib", 1, 1, 6, 2);
	int l = label(b);
	op(b, IR_LDPARAM, 4, -1, -1, 0);
	opi(b, IR_CMPLT, 0, 4, 2);
	op(b, IR_BRZ, -1, 0, -1, l);
	op(b, IR_STPARAM, -1, 4, -1, 1);
	op(b, IR_RET, -1, -1, -1, 0);
	place(b, l);
	op(b, IR_STFRAME, -1, 4, -1, 2);
	opi(b, IR_SUB, 0, 4, 1);
	op(b, IR_STFRAME, -1, 0, -1, 0);
	call(b, "main.fib");
	op(b, IR_LDFRAME, 0, -1, -1, 1);
	op(b, IR_STFRAME, -1, 0, -1, 3);
	op(b, IR_LDFRAME, 4, -1, -1, 2);
	opi(b, IR_SUB, 4, 4, 2);
	op(b, IR_STFRAME, -1, 4, -1, 0);
	call(b, "main.fib");
	op(b, IR_LDFRAME, 1, -1, -1, 1);
	op(b, IR_LDFRAME, 2, -1, -1, 3);
	op(b, IR_ADD, 1, 1, 2, 0);
	op(b, IR_STPARAM, -1, 1, -1, 1);
	op(b, IR_RET, -1, -1, -1, 0);
}

static void build_deep(struct bld *b)
{
	/* deep(n) = n == 0 ? 0 : deep(n-1) + 2 */
	func(b, "main.deep", 1, 1, 4, 2);
	int l = label(b);
	op(b, IR_LDPARAM, 0, -1, -1, 0);
	op(b, IR_BRNZ, -1, 0, -1, l);
	op(b, IR_STPARAM, -1, 0, -1, 1);
	op(b, IR_RET, -1, -1, -1, 0);
	place(b, l);
	opi(b, IR_SUB, 0, 0, 1);
	op(b, IR_STFRAME, -1, 0, -1, 0);
	call(b, "main.deep");
	op(b, IR_LDFRAME, 0, -1, -1, 1);
	opi(b, IR_ADD, 0, 0, 2);
	op(b, IR_STPARAM, -1, 0, -1, 1);
	op(b, IR_RET, -1, -1, -1, 0);
}

static void call1(struct bld *b, const char *fn, int64_t arg)
{
	op(b, IR_MOVI, 0, -1, -1, arg);
	op(b, IR_STFRAME, -1, 0, -1, 0);
	call(b, fn);
	op(b, IR_LDFRAME, 1, -1, -1, 1);
	print_reg(b, 1);
}

static void build_calls(struct bld *b)
{
	build_fib(b);
	build_deep(b);
	func(b, "main.t_calls", 0, 0, 4, 2);
	call1(b, "main.fib", 20);
	expect(b, "fib(20)", "6765\n");
	call1(b, "main.deep", 40000);
	expect(b, "deep(40000)", "80000\n");
	call(b, "runtime.morestackcount");
	op(b, IR_LDFRAME, 0, -1, -1, 0);
	opi(b, IR_CMPGE, 1, 0, 3);
	print_reg(b, 1);
	expect(b, "morestack called at least 3 times", "1\n");
	op(b, IR_RET, -1, -1, -1, 0);
}

/* ---- alloc: fast path, exhaustion, zeroing, liveness ----------------------
 */

/* p (in register 4, a pointer) is spilled to word 2 across every call:
   hand-written liveness as lower.c would compute it (IR-2, IR-5). */
static struct ir_insn *live(struct bld *b, struct ir_insn *in, int reg,
			    int word)
{
	in->live_ptr_regs = reg >= 0 ? 1u << reg : 0;
	in->live_ptr_words = word >= 0 ? wordmask(b->f, word) : NULL;
	return in;
}

static void print_field(struct bld *b, int64_t off, const char *what,
			long long want)
{
	live(b, op(b, IR_LDFRAME, 4, -1, -1, 2), -1, 2);
	live(b, op(b, IR_LOAD, 1, 4, -1, off), 4, 2);
	live(b, op(b, IR_STFRAME, -1, 1, -1, 0), -1, 2);
	live(b, call(b, "runtime.printint"), -1, 2)->callmap =
	    wordmask(b->f, 2);
	live(b, call(b, "runtime.printnl"), -1, 2)->callmap = wordmask(b->f, 2);
	expect(b, what, "%lld\n", want);
}

static void alloc_one(struct bld *b, int i)
{
	int slow = label(b), got = label(b);
	struct ir_insn *in = op(b, IR_ALLOC, 4, -1, -1, 0);
	in->imm2 = 1;
	in->label = slow;
	in->unsafe = 1;
	in->dst_ptr = 1;
	op(b, IR_JMP, -1, -1, -1, got);
	place(b, slow);
	op(b, IR_MOVI, 0, -1, -1, 0);
	op(b, IR_STFRAME, -1, 0, -1, 0);
	call(b, "runtime.newobject");
	op(b, IR_LDFRAME, 4, -1, -1, 1)->dst_ptr = 1;
	live(b, op(b, IR_STFRAME, -1, 4, -1, 2), 4, -1);
	op(b, IR_MOVI, 0, -1, -1, 777);
	print_reg(b, 0); /* expected once, for the 4th object */
	live(b, op(b, IR_LDFRAME, 4, -1, -1, 2), -1, 2);
	place(b, got);
	live(b, op(b, IR_STFRAME, -1, 4, -1, 2), 4, -1);
	print_field(b, -8, "header of main.pair", 0xA1);
	print_field(b, 0, "field 0 zeroed", 0);
	print_field(b, 8, "field 1 zeroed", 0);
	live(b, op(b, IR_LDFRAME, 4, -1, -1, 2), -1, 2);
	live(b, op(b, IR_MOVI, 1, -1, -1, 5 + i), 4, -1);
	live(b, op(b, IR_STORE, -1, 4, 1, 8), 4, -1);
	print_field(b, 8, "field 1 stored", 5 + i);
	if (i == 2)
		expect(b, "slow path marker (4th object)", "777\n");
}

static void build_alloc(struct bld *b)
{
	static uint8_t pairmask[1] = {2};
	b->p->types = xcalloc(2, sizeof *b->p->types);
	b->p->types[0] = (struct ir_type){"main.pair", 2, pairmask};
	b->p->types[1] = (struct ir_type){"[200]int", 200, xcalloc(25, 1)};
	b->p->ntypes = 2;
	func(b, "main.t_alloc", 0, 0, 6, 2);
	for (int i = 0; i < 4; i++)
		alloc_one(b, i);
	int slow = label(b), got = label(b);
	struct ir_insn *in = op(b, IR_ALLOC, 4, -1, -1, 1);
	in->imm2 = 11;
	in->label = slow;
	in->unsafe = 1;
	op(b, IR_JMP, -1, -1, -1, got);
	place(b, slow);
	op(b, IR_MOVI, 0, -1, -1, -1);
	print_reg(b, 0); /* never expected */
	place(b, got);
	live(b, op(b, IR_STFRAME, -1, 4, -1, 2), 4, -1);
	print_field(b, -8, "header of [200]int", 0x100A1);
	print_field(b, 8 * 199, "last word zeroed", 0);
	op(b, IR_RET, -1, -1, -1, 0);
}

/* ---- bigframe: frames past every immediate range ------------------------- */

static void build_bigframe(struct bld *b)
{
	/* bigframe(n) = n == 0 ? 0 : n + bigframe(n-1), with 12000-byte
	   frames: words 0..1 out, 1400 n, 1300 object, 1000..1299 zeroed */
	func(b, "main.bigframe", 1, 1, 1500, 2);
	int l = label(b);
	op(b, IR_LDPARAM, 0, -1, -1, 0);
	op(b, IR_STFRAME, -1, 0, -1, 1400);
	op(b, IR_MOVI, 1, -1, -1, 99);
	op(b, IR_STFRAME, -1, 1, -1, 1200);
	op(b, IR_ZERO, -1, -1, -1, 1000)->imm2 = 300;
	op(b, IR_ADDRFRAME, 2, -1, -1, 1300);
	op(b, IR_STORE, -1, 2, 0, 0);
	op(b, IR_LDFRAME, 3, -1, -1, 1200);
	op(b, IR_ADD, 0, 0, 3, 0); /* + 0 unless ZERO missed word 1200 */
	op(b, IR_BRNZ, -1, 0, -1, l);
	op(b, IR_STPARAM, -1, 0, -1, 1);
	op(b, IR_RET, -1, -1, -1, 0);
	place(b, l);
	opi(b, IR_SUB, 0, 0, 1);
	op(b, IR_STFRAME, -1, 0, -1, 0);
	call(b, "main.bigframe");
	op(b, IR_LDFRAME, 0, -1, -1, 1);
	op(b, IR_LDFRAME, 1, -1, -1, 1300);
	op(b, IR_ADD, 0, 0, 1, 0);
	op(b, IR_STPARAM, -1, 0, -1, 1);
	op(b, IR_RET, -1, -1, -1, 0);
	func(b, "main.t_bigframe", 0, 0, 4, 2);
	call1(b, "main.bigframe", 60);
	expect(b, "bigframe(60)", "1830\n");
	op(b, IR_RET, -1, -1, -1, 0);
}

/* ---- branch: loops with every branch kind -------------------------------- */

static void build_branch(struct bld *b)
{
	func(b, "main.t_branch", 0, 0, 4, 2);
	int top = label(b), out = label(b), skip = label(b);
	op(b, IR_MOVI, 4, -1, -1, 0); /* sum */
	op(b, IR_MOVI, 5, -1, -1, 1); /* i */
	place(b, top);
	opi(b, IR_CMPGT, 0, 5, 100);
	op(b, IR_BRNZ, -1, 0, -1, out);
	opi(b, IR_AND, 1, 5, 1);
	op(b, IR_BRZ, -1, 1, -1, skip); /* odd i count twice */
	op(b, IR_ADD, 4, 4, 5, 0);
	place(b, skip);
	op(b, IR_ADD, 4, 4, 5, 0);
	opi(b, IR_ADD, 5, 5, 1);
	op(b, IR_JMP, -1, -1, -1, top);
	place(b, out);
	print_reg(b, 4);
	expect(b, "loop sum", "7550\n");
	op(b, IR_MOVI, 6, -1, -1, -1);
	opi(b, IR_CMPULT, 7, 6, 5);
	print_reg(b, 7);
	expect(b, "-1 <u 5", "0\n");
	op(b, IR_RET, -1, -1, -1, 0);
}

/* ---- programs ------------------------------------------------------------ */

static void build_main(struct bld *b, const char *const *parts, int n)
{
	static char names[8][32];
	func(b, "main.main", 0, 0, 2, 0);
	for (int i = 0; i < n; i++) {
		snprintf(names[i], sizeof names[i], "main.t_%s", parts[i]);
		call(b, names[i]);
	}
	op(b, IR_RET, -1, -1, -1, 0);
}

int irprog_build(const char *name, const struct ir_target *t,
		 struct irprog *out)
{
	static const char *const all[] = {"arith", "mem",      "calls",
					  "alloc", "bigframe", "branch"};
	static void (*const fns[])(struct bld *) = {
	    build_arith, build_mem,	 build_calls,
	    build_alloc, build_bigframe, build_branch};
	struct bld b = {0};
	int lo = 0, hi = 6;
	if (t->ntemps + t->nvars < 9)
		return -1;
	memset(out, 0, sizeof *out);
	if (strcmp(name, "all")) {
		for (lo = 0; lo < 6 && strcmp(all[lo], name); lo++)
			;
		if (lo == 6)
			return -1;
		hi = lo + 1;
	}
	b.p = xcalloc(1, sizeof *b.p);
	b.p->source_file = "irprogs.go";
	b.out = out;
	out->prog = b.p;
	out->expected = xcalloc(1, 1);
	out->cases = xcalloc(1, 1);
	for (int i = lo; i < hi; i++)
		fns[i](&b);
	build_main(&b, all + lo, hi - lo);
	return 0;
}

void irprog_free(struct irprog *p)
{
	struct ir_program *prog = p->prog;
	for (int i = 0; prog && i < prog->nfuncs; i++) {
		struct ir_func *f = &prog->funcs[i];
		for (int k = 0; k < f->ncode; k++) {
			free(f->code[k].live_ptr_words);
			free(f->code[k].callmap);
		}
		for (int k = 0; k < f->nstackobjs; k++)
			free(f->stackobjs[k].ptrmask);
		free(f->stackobjs);
		free(f->code);
	}
	if (prog) {
		for (int i = 0; i < prog->ntypes; i++)
			if (i == 1)
				free(prog->types[i].ptrmask);
		free(prog->types);
		free(prog->globals);
		free(prog->strings);
		free(prog->funcs);
		free(prog);
	}
	free(p->expected);
	free(p->cases);
	memset(p, 0, sizeof *p);
}
