/*
 * gen.c -- gosub-gen: a random program of gosub's Go subset for a seed
 * (issue 13 item 2), built to be compared with `go run` on every arch
 * (tests/gen/gen_test.sh) and swept by the rig: many pointer locals live
 * at once with no call between their uses (beyond every arch's variable
 * registers), pointer-heavy structs and arrays, interior pointers, stack
 * objects pointing to stack objects and to the heap, a local holding a
 * pointer to a local, deep and mutual recursion, goroutines and
 * channels, runtime.GC() calls and small int functions (injK) for
 * injected calls. The program ends with println("gen", SEED, digest).
 *
 * The program's parts, each emitted by one function below: the fixed
 * helpers (node, link, mix, push, sumList, sumLinks, deep), struct types
 * S0.. with their builder mkSi and hash hashSi, injection targets, pressure
 * functions (the random straight-line code), stack-object functions,
 * recursive functions, goroutine workers and a pipeline, and main, which
 * calls everything with constant arguments and mixes each result into the
 * digest.
 *
 * Invariants:
 *   GEN-1 Deterministic: the output is a function of the seed and
 *         --favour alone (the
 *         PRNG is splitmix64 over uint64_t; no rand(), time, address or
 *         host property is read). C leaves the order in which a call's
 *         arguments are evaluated unspecified (gcc evaluates them right to
 *         left on x86-64, left to right on arm64 and riscv64, as clang
 *         does), so no call takes two draws as arguments: they are drawn
 *         into locals first (draw2, then draw1: the order the programs
 *         checked in were made with, on x86-64).
 *   GEN-2 Valid and terminating Go: every local declared is read; every
 *         loop has a constant trip count (or one passed down as a
 *         constant argument: splice0's d) or walks an acyclic list (a
 *         node's next only ever points to an older node: push, or
 *         pX.next = pY with Y created before X; splice0 alone moves a node
 *         to the front of bhead's list, after unlinking it, which keeps
 *         that list acyclic and its length constant); recursion depth is a
 *         constant that decreases by one per call; every goroutine sends
 *         once on a channel main receives from as many times as it started
 *         goroutines. Only non-nil pointers are dereferenced (locals made
 *         by new, push or mkSi; mkSi's node and refs fields, never
 *         overwritten with nil); sK fields are read behind a nil test.
 *         Indexes are constants below the length or LOOPVAR % LEN with a
 *         non-negative loop variable; division and modulo only by positive
 *         constants; constants stay small so that Go's constant folding
 *         never overflows.
 *   GEN-3 Within gosub's subset on every arch: only the constructs of
 *         scenarios/workloads/ (*.go), and expressions within amd64's 4
 *         temporaries (the smallest set): an atom needs at most 2 (a
 *         variable-indexed element), a chain of atoms is left-deep (at
 *         most 1 + 2), and a store's place at most 2 beside its value.
 *   GEN-4 Output identical under go run and gosub: the digest depends on
 *         values only (no address, no scheduling order: workers write
 *         their own slot of a global array, main sums what it receives);
 *         int arithmetic wraps the same in both.
 *   GEN-5 --favour (the rig's coverage feedback, everypc sweep
 *         --generate) changes only what it names, and without it not one
 *         random draw differs: a seed's program is what it was before
 *         --favour existed. pressure: two more pressure functions, 12..20
 *         pointer locals each; interior: half the fresh locals become
 *         interior pointers; stackobj: two more stack-object functions;
 *         conservative: holdK/ownerK, a callee that clears its argument
 *         slot so only its own frame points at its caller's stack object,
 *         and staleK, called first by main: a stack object dead before a
 *         collection that frees what it points to, while a dead word of
 *         the frame still holds its address. temps: tempsK, whose
 *         pointer parameters (the first is its first variable) each
 *         reach a node through an expression nested as deep as amd64's
 *         4 temporaries, so every temporary and the first variable
 *         register in turn hold the only stack reference to a node;
 *         temps6: the same six deep, which only arm64 and riscv64 have
 *         (gosub refuses it on amd64: the one favour outside GEN-3, for
 *         sweeps that name those arches); wake: a goroutine blocked on a
 *         global channel for all of main, and pokeK, an injection target
 *         that sends it a value it ignores (wake.go, generated);
 *         barrier: splice0 and relay0, a node unlinked from a global
 *         list and an escaped local's object moved to a global while only
 *         a local holds them and the program allocates (splice.go,
 *         relay.go, generated), emitted after main.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXSTRUCT 4
#define MAXFIELD 8
#define MAXVAR 40

/* ---- output buffer ------------------------------------------------------ */

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			fprintf(stderr, "gosub-gen: out of memory\n");
			exit(1);
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void buf_vf(struct buf *b, const char *fmt, va_list ap)
{
	char tmp[1024];
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(tmp))
		n = (int)sizeof(tmp) - 1;
	buf_add(b, tmp, (size_t)n);
}

static void buf_f(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vf(b, fmt, ap);
	va_end(ap);
}

/* ---- the generator's state ---------------------------------------------- */

enum fkind { FK_INT, FK_ARR, FK_NODE, FK_REFS, FK_SPTR };

struct field {
	enum fkind kind;
	int len;    /* FK_ARR, FK_REFS */
	int target; /* FK_SPTR: struct index */
	char name[8];
};

struct sty {
	int nfield;
	struct field f[MAXFIELD];
};

/* A variable of the function being generated: ty is T_INT, T_NODE, T_IPTR
   (an interior *int) or a struct index (a *Si). */
enum { T_INT = -1, T_NODE = -2, T_IPTR = -3 };

struct var {
	char name[12];
	int ty;
	int dead; /* kept alive only by an interior pointer: not read */
};

struct scope {
	struct var v[MAXVAR];
	int n;
	const char *loopvar; /* innermost constant-bound loop's variable */
};

/* What the program contains (the header comment; --help explains). */
struct feat {
	int structs, press, maxlive, stackobj, chainlinks, interior, localptr,
	    recurse, mutual, workers, pipeline, gc, gosched, inj, stmts;
};

/* --favour: what the rig's coverage feedback asks for (GEN-5). */
enum {
	FAV_PRESSURE = 1 << 0,	   /* more pressure functions, more locals */
	FAV_INTERIOR = 1 << 1,	   /* interior pointers more often */
	FAV_STACKOBJ = 1 << 2,	   /* more stack-object functions */
	FAV_CONSERVATIVE = 1 << 3, /* holdK: a callee clears its argument */
	FAV_TEMPS = 1 << 4,	   /* tempsK: 4 temporaries, pointer params */
	FAV_TEMPS6 = 1 << 5,	   /* 6 temporaries: arm64, riscv64 only */
	FAV_WAKE = 1 << 6,	   /* pokeK wakes a blocked goroutine */
	FAV_BARRIER = 1 << 7,	   /* pointers moved while a cycle marks */
};
static const char *const fav_names[] = {"pressure",	"interior", "stackobj",
					"conservative", "temps",    "temps6",
					"wake",		"barrier"};
#define NFAV (sizeof fav_names / sizeof fav_names[0])

struct gen {
	uint64_t seed, s;
	unsigned fav;
	char favline[128]; /* "// favour: a,b\n", or "" */
	struct buf out;
	int ind;
	int nstruct;
	struct sty st[MAXSTRUCT];
	int ninj, npress, nstack, ndeep, nmutual;
	int nworker, wcount[4], wrounds[4];
	int pipe;
	struct feat f;
};

/* GEN-1: splitmix64. */
static uint64_t next64(struct gen *g)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static int rnd(struct gen *g, int n) { return (int)(next64(g) % (uint64_t)n); }

/* A number in [lo, hi]. */
static int range(struct gen *g, int lo, int hi)
{
	return lo + rnd(g, hi - lo + 1);
}

static void line(struct gen *g, const char *fmt, ...)
{
	for (int i = 0; i < g->ind; i++)
		buf_add(&g->out, "\t", 1);
	va_list ap;
	va_start(ap, fmt);
	buf_vf(&g->out, fmt, ap);
	va_end(ap);
	buf_add(&g->out, "\n", 1);
}

static void begin(struct gen *g, const char *fmt, ...)
{
	for (int i = 0; i < g->ind; i++)
		buf_add(&g->out, "\t", 1);
	va_list ap;
	va_start(ap, fmt);
	buf_vf(&g->out, fmt, ap);
	va_end(ap);
	buf_add(&g->out, " {\n", 3);
	g->ind++;
}

static void end(struct gen *g)
{
	g->ind--;
	line(g, "}");
}

/* ---- struct types -------------------------------------------------------- */

static void gen_types(struct gen *g)
{
	g->nstruct = range(g, 2, MAXSTRUCT);
	g->f.structs = g->nstruct;
	for (int i = 0; i < g->nstruct; i++) {
		struct sty *t = &g->st[i];
		int nf = range(g, 3, MAXFIELD - 1);
		t->f[0] = (struct field){FK_INT, 0, 0, "n"};
		t->nfield = 1;
		for (int j = 1; j < nf; j++) {
			struct field *f = &t->f[t->nfield++];
			/* at least one node pointer and one int array */
			f->kind = j == 1   ? FK_NODE
				  : j == 2 ? FK_ARR
					   : (enum fkind)rnd(g, 5);
			f->len = f->kind == FK_REFS ? range(g, 2, 5)
						    : range(g, 2, 9);
			f->target = rnd(g, g->nstruct);
			snprintf(f->name, sizeof(f->name), "%c%d",
				 "iaprs"[f->kind], j);
		}
		begin(g, "type S%d struct", i);
		for (int j = 0; j < t->nfield; j++) {
			struct field *f = &t->f[j];
			switch (f->kind) {
			case FK_INT:
				line(g, "%s int", f->name);
				break;
			case FK_ARR:
				line(g, "%s [%d]int", f->name, f->len);
				break;
			case FK_NODE:
				line(g, "%s *node", f->name);
				break;
			case FK_REFS:
				line(g, "%s [%d]*node", f->name, f->len);
				break;
			case FK_SPTR:
				line(g, "%s *S%d", f->name, f->target);
				break;
			}
		}
		end(g);
		line(g, "");
	}
}

/* mkSi builds a value whose node and refs fields are all set (GEN-2);
   hashSi reads every field. */
static void gen_struct_funcs(struct gen *g, int i)
{
	struct sty *t = &g->st[i];
	begin(g, "func mkS%d(k int) *S%d", i, i);
	line(g, "t := new(S%d)", i);
	{
		int draw2 = rnd(g, 100), draw1 = range(g, 1, 9);
		line(g, "t.n = k*%d + %d", draw1, draw2);
	}
	for (int j = 1; j < t->nfield; j++) {
		struct field *f = &t->f[j];
		switch (f->kind) {
		case FK_INT:
			line(g, "t.%s = k + %d", f->name, rnd(g, 1000));
			break;
		case FK_ARR:
			begin(g, "for j := 0; j < %d; j++", f->len);
			line(g, "t.%s[j] = k*j + %d", f->name, rnd(g, 50));
			end(g);
			break;
		case FK_NODE:
			line(g, "t.%s = push(push(nil, k), %d)", f->name,
			     rnd(g, 100));
			break;
		case FK_REFS:
			begin(g, "for j := 0; j < %d; j++", f->len);
			line(g, "t.%s[j] = push(nil, k+j*%d)", f->name,
			     range(g, 1, 9));
			end(g);
			break;
		case FK_SPTR:
			break;
		}
	}
	line(g, "return t");
	end(g);
	line(g, "");
	begin(g, "func hashS%d(t *S%d) int", i, i);
	line(g, "h := t.n");
	for (int j = 1; j < t->nfield; j++) {
		struct field *f = &t->f[j];
		switch (f->kind) {
		case FK_INT:
			line(g, "h = mix(h, t.%s)", f->name);
			break;
		case FK_ARR:
			begin(g, "for j := 0; j < %d; j++", f->len);
			line(g, "h = mix(h, t.%s[j])", f->name);
			end(g);
			break;
		case FK_NODE:
			line(g, "h = mix(h, sumList(t.%s))", f->name);
			break;
		case FK_REFS:
			begin(g, "for j := 0; j < %d; j++", f->len);
			line(g, "h = mix(h, sumList(t.%s[j]))", f->name);
			end(g);
			break;
		case FK_SPTR:
			begin(g, "if t.%s != nil", f->name);
			line(g, "h = mix(h, t.%s.n)", f->name);
			end(g);
			break;
		}
	}
	line(g, "return h");
	end(g);
	line(g, "");
}

static void gen_helpers(struct gen *g)
{
	static const char *const text =
	    "type node struct {\n"
	    "\tval  int\n"
	    "\tnext *node\n"
	    "}\n"
	    "\n"
	    "type link struct {\n"
	    "\tnext *link\n"
	    "\tobj  *node\n"
	    "\tval  int\n"
	    "\tpad  [4]int\n"
	    "}\n"
	    "\n"
	    "func mix(h int, v int) int {\n"
	    "\treturn h*31 + v\n"
	    "}\n"
	    "\n"
	    "func push(head *node, v int) *node {\n"
	    "\tn := new(node)\n"
	    "\tn.val = v\n"
	    "\tn.next = head\n"
	    "\treturn n\n"
	    "}\n"
	    "\n"
	    "func sumList(p *node) int {\n"
	    "\ts := 0\n"
	    "\tfor p != nil {\n"
	    "\t\ts = s*7 + p.val\n"
	    "\t\tp = p.next\n"
	    "\t}\n"
	    "\treturn s\n"
	    "}\n"
	    "\n"
	    "func sumLinks(a *link) int {\n"
	    "\ts := 0\n"
	    "\tfor p := a; p != nil; p = p.next {\n"
	    "\t\ts = s*3 + p.val + p.pad[1]\n"
	    "\t\tif p.obj != nil {\n"
	    "\t\t\ts += sumList(p.obj)\n"
	    "\t\t}\n"
	    "\t}\n"
	    "\treturn s\n"
	    "}\n"
	    "\n"
	    "func addTo(pp **node, v int) {\n"
	    "\t*pp = push(*pp, v)\n"
	    "}\n"
	    "\n"
	    "// deep: recursion that grows the stack by copying.\n"
	    "func deep(n int) int {\n"
	    "\tvar pad [16]int\n"
	    "\tpad[n%16] = n\n"
	    "\tif n == 0 {\n"
	    "\t\treturn 0\n"
	    "\t}\n"
	    "\treturn deep(n-1) + pad[n%16] - n + 1\n"
	    "}\n"
	    "\n";
	buf_add(&g->out, text, strlen(text));
}

/* ---- injection targets --------------------------------------------------- */

static void gen_inj(struct gen *g)
{
	g->ninj = range(g, 2, 4);
	g->f.inj = g->ninj;
	for (int i = 0; i < g->ninj; i++) {
		begin(g, "func inj%d(a int, b int) int", i);
		if (rnd(g, 2)) {
			int draw2 = rnd(g, 100), draw1 = range(g, 2, 40);
			line(g, "return a*%d + b - %d", draw1, draw2);
		} else {
			line(g, "s := a");
			begin(g, "for i := 0; i < %d; i++", range(g, 2, 8));
			line(g, "s = s*%d + b + i", range(g, 2, 9));
			end(g);
			line(g, "return s %% %d", range(g, 100, 100000));
		}
		end(g);
		line(g, "");
	}
}

/* ---- expressions (GEN-3) ------------------------------------------------- */

/* A field of struct type ti of the given kind, or NULL. */
static const struct field *pick_field(struct gen *g, int ti, enum fkind k)
{
	const struct sty *t = &g->st[ti];
	int n = 0;
	for (int j = 0; j < t->nfield; j++)
		n += t->f[j].kind == k;
	if (!n)
		return NULL;
	int w = rnd(g, n);
	for (int j = 0; j < t->nfield; j++)
		if (t->f[j].kind == k && w-- == 0)
			return &t->f[j];
	return NULL;
}

/* A live variable of type ty (T_NODE, T_INT, T_IPTR, or -4 any struct),
   or NULL. */
static const struct var *pick_var(struct gen *g, const struct scope *sc, int ty)
{
	int n = 0;
	for (int i = 0; i < sc->n; i++)
		n += !sc->v[i].dead &&
		     (sc->v[i].ty == ty || (ty == -4 && sc->v[i].ty >= 0));
	if (!n)
		return NULL;
	int w = rnd(g, n);
	for (int i = 0; i < sc->n; i++)
		if (!sc->v[i].dead &&
		    (sc->v[i].ty == ty || (ty == -4 && sc->v[i].ty >= 0)) &&
		    w-- == 0)
			return &sc->v[i];
	return NULL;
}

/* An index below len: a constant, or the loop variable modulo len. */
static void index_of(struct gen *g, const struct scope *sc, int len,
		     struct buf *e)
{
	if (sc->loopvar && rnd(g, 2))
		buf_f(e, "[%s%%%d]", sc->loopvar, len);
	else
		buf_f(e, "[%d]", rnd(g, len));
}

/* An int atom: at most 2 temporaries. */
static void atom(struct gen *g, const struct scope *sc, struct buf *e)
{
	for (int tries = 0; tries < 8; tries++) {
		const struct var *v;
		const struct field *f;
		switch (rnd(g, 9)) {
		case 0:
			buf_f(e, "%d", rnd(g, 100));
			return;
		case 1:
		case 2:
			if ((v = pick_var(g, sc, T_INT))) {
				buf_f(e, "%s", v->name);
				return;
			}
			break;
		case 3:
			if (sc->loopvar) {
				buf_f(e, "%s", sc->loopvar);
				return;
			}
			break;
		case 4:
			if ((v = pick_var(g, sc, T_NODE))) {
				buf_f(e, "%s.val", v->name);
				return;
			}
			break;
		case 5:
			if ((v = pick_var(g, sc, -4))) {
				f = pick_field(g, v->ty, FK_INT);
				buf_f(e, "%s.%s", v->name, f ? f->name : "n");
				return;
			}
			break;
		case 6:
			if ((v = pick_var(g, sc, -4)) &&
			    (f = pick_field(g, v->ty, FK_ARR))) {
				buf_f(e, "%s.%s", v->name, f->name);
				index_of(g, sc, f->len, e);
				return;
			}
			break;
		case 7:
			if ((v = pick_var(g, sc, -4))) {
				if ((f = pick_field(g, v->ty, FK_REFS))) {
					buf_f(e, "%s.%s[%d].val", v->name,
					      f->name, rnd(g, f->len));
					return;
				}
				f = pick_field(g, v->ty, FK_NODE);
				buf_f(e, "%s.%s.val", v->name, f->name);
				return;
			}
			break;
		case 8:
			if ((v = pick_var(g, sc, T_IPTR))) {
				buf_f(e, "*%s", v->name);
				return;
			}
			break;
		}
	}
	buf_f(e, "%d", rnd(g, 100));
}

/* A left-deep chain of 1 to 3 atoms (at most 3 temporaries): the prefix
   is parenthesised before a * or %, whose precedence would otherwise make
   the tree right-deep (a - b*c needs a, b and c's 2 at once). */
static void chain(struct gen *g, const struct scope *sc, struct buf *e)
{
	struct buf c = {0};
	atom(g, sc, &c);
	int n = rnd(g, 3), ops = 0;
	for (int i = 0; i <= n; i++) {
		char op = i < n ? "+-*+"[rnd(g, 4)] : (rnd(g, 4) ? 0 : '%');
		if (!op)
			break;
		if ((op == '*' || op == '%') && ops) {
			struct buf w = {0};
			buf_f(&w, "(%s)", c.p);
			free(c.p);
			c = w;
		}
		if (op == '%') {
			buf_f(&c, " %% %d", range(g, 2, 997));
		} else {
			buf_f(&c, " %c ", op);
			atom(g, sc, &c);
		}
		ops++;
	}
	buf_f(e, "%s", c.p);
	free(c.p);
}

/* ---- statements ---------------------------------------------------------- */

static void stmt(struct gen *g, struct scope *sc, int depth);

/* An int place to store to: at most 2 temporaries. */
static int int_place(struct gen *g, const struct scope *sc, struct buf *e)
{
	const struct var *v;
	const struct field *f;
	switch (rnd(g, 6)) {
	case 0:
	case 1:
		if ((v = pick_var(g, sc, T_INT))) {
			buf_f(e, "%s", v->name);
			return 1;
		}
		return 0;
	case 2:
		if ((v = pick_var(g, sc, T_NODE))) {
			buf_f(e, "%s.val", v->name);
			return 1;
		}
		return 0;
	case 3:
		if ((v = pick_var(g, sc, -4)) &&
		    (f = pick_field(g, v->ty, FK_ARR))) {
			buf_f(e, "%s.%s", v->name, f->name);
			index_of(g, sc, f->len, e);
			return 1;
		}
		return 0;
	case 4:
		if ((v = pick_var(g, sc, -4))) {
			f = pick_field(g, v->ty, FK_INT);
			buf_f(e, "%s.%s", v->name, f ? f->name : "n");
			return 1;
		}
		return 0;
	default:
		if ((v = pick_var(g, sc, T_IPTR))) {
			buf_f(e, "*%s", v->name);
			return 1;
		}
		return 0;
	}
}

/* A pointer store that keeps GEN-2: node fields and refs only ever get
   non-nil nodes, next only an older node, sK any value of its type. */
static int ptr_store(struct gen *g, const struct scope *sc, struct buf *e)
{
	int a = rnd(g, sc->n), b = rnd(g, sc->n);
	const struct var *x = &sc->v[a], *y = &sc->v[b];
	if (x->dead || y->dead)
		return 0;
	if (x->ty == T_NODE && y->ty == T_NODE && b < a) {
		buf_f(e, "%s.next = %s", x->name, y->name);
		return 1;
	}
	if (x->ty >= 0 && y->ty == T_NODE) {
		const struct field *f = pick_field(g, x->ty, FK_REFS);
		if (f) {
			buf_f(e, "%s.%s", x->name, f->name);
			index_of(g, sc, f->len, e);
			buf_f(e, " = %s", y->name);
		} else {
			f = pick_field(g, x->ty, FK_NODE);
			buf_f(e, "%s.%s = %s", x->name, f->name, y->name);
		}
		return 1;
	}
	if (x->ty >= 0 && y->ty >= 0) {
		const struct sty *t = &g->st[x->ty];
		for (int j = 0; j < t->nfield; j++)
			if (t->f[j].kind == FK_SPTR &&
			    t->f[j].target == y->ty) {
				buf_f(e, "%s.%s = %s", x->name, t->f[j].name,
				      y->name);
				return 1;
			}
	}
	return 0;
}

static void stmt(struct gen *g, struct scope *sc, int depth)
{
	struct buf e = {0};
	g->f.stmts++;
	for (int tries = 0; tries < 10 && !e.len; tries++) {
		int k = rnd(g, 10);
		if (k <= 3) {
			if (int_place(g, sc, &e)) {
				buf_f(&e, " = ");
				chain(g, sc, &e);
			}
		} else if (k <= 5) {
			ptr_store(g, sc, &e);
		} else if (k == 6) {
			const struct var *v = pick_var(g, sc, T_INT);
			if (v) {
				buf_f(&e, "%s += ", v->name);
				atom(g, sc, &e);
			}
		} else if (k == 7 && depth < 2 && !sc->loopvar) {
			static const char *const lv[] = {"i", "j"};
			const char *saved = sc->loopvar;
			const char *name = lv[depth];
			begin(g, "for %s := 0; %s < %d; %s++", name, name,
			      range(g, 2, 12), name);
			sc->loopvar = name;
			int n = range(g, 1, 3);
			for (int i = 0; i < n; i++)
				stmt(g, sc, depth + 1);
			sc->loopvar = saved;
			end(g);
			free(e.p);
			return;
		} else if (k == 8 && depth < 2) {
			struct buf c = {0};
			atom(g, sc, &c);
			buf_f(
			    &c, " %s ",
			    (const char *[]){"<", ">", "<=", "!="}[rnd(g, 4)]);
			atom(g, sc, &c);
			begin(g, "if %s", c.p);
			free(c.p);
			stmt(g, sc, depth + 1);
			if (rnd(g, 2)) {
				g->ind--;
				begin(g, "} else");
				stmt(g, sc, depth + 1);
			}
			end(g);
			free(e.p);
			return;
		}
	}
	if (!e.len) {
		const struct var *v = pick_var(g, sc, T_INT);
		buf_f(&e, "%s = %s + 1", v->name, v->name);
	}
	line(g, "%s", e.p);
	free(e.p);
}

static struct var *add_var(struct scope *sc, const char *pfx, int idx, int ty)
{
	struct var *v = &sc->v[sc->n++];
	snprintf(v->name, sizeof(v->name), "%s%d", pfx, idx);
	v->ty = ty;
	v->dead = 0;
	return v;
}

/* Folds every live variable into s, from the newest to the oldest (each
   stays live up to here). */
static void fold(struct gen *g, const struct scope *sc)
{
	for (int i = sc->n - 1; i >= 0; i--) {
		const struct var *v = &sc->v[i];
		if (v->dead || !strcmp(v->name, "s"))
			continue;
		switch (v->ty) {
		case T_INT:
			line(g, "s = s*3 + %s", v->name);
			break;
		case T_NODE:
			line(g, "s = s*3 + %s.val", v->name);
			break;
		case T_IPTR:
			line(g, "s = s*3 + *%s", v->name);
			break;
		default:
			line(g, "s = s*3 + %s.n", v->name);
		}
	}
}

/* ---- pressure functions -------------------------------------------------- */

/* pressK: many pointer locals made, then straight-line code with no call
   using them all, the last reads in reverse order of creation. */
static void gen_press(struct gen *g, int k)
{
	struct scope sc = {0};
	int np = (g->fav & FAV_PRESSURE) ? range(g, 12, 20) : range(g, 3, 20);
	int ni = range(g, 1, 6);
	if (np > g->f.maxlive)
		g->f.maxlive = np;
	begin(g, "func press%d(k int) int", k);
	line(g, "s := k");
	add_var(&sc, "s", 0, T_INT);
	snprintf(sc.v[0].name, sizeof(sc.v[0].name), "s");
	for (int i = 0; i < np; i++) {
		int c = rnd(g, 100);
		const struct var *old = pick_var(g, &sc, T_NODE);
		int kind = rnd(g, 5);
		if ((g->fav & FAV_INTERIOR) && kind < 2 && old && i % 2)
			kind = 4; /* GEN-5: half the fresh ones interior */
		if (kind == 0 || (kind == 1 && !old)) {
			struct var *v = add_var(&sc, "p", i, T_NODE);
			line(g, "%s := new(node)", v->name);
			line(g, "%s.val = k + %d", v->name, c);
		} else if (kind == 1) {
			struct var *v = add_var(&sc, "p", i, T_NODE);
			line(g, "%s := push(%s, k+%d)", v->name, old->name, c);
		} else if (kind == 4 && i + 1 < np) {
			/* interior pointer: its base is never read again */
			int t = rnd(g, g->nstruct);
			const struct field *f = pick_field(g, t, FK_ARR);
			const struct field *fi = pick_field(g, t, FK_INT);
			struct var *b = add_var(&sc, "r", i, t);
			line(g, "%s := mkS%d(k + %d)", b->name, t, c);
			b->dead = 1;
			struct var *v = add_var(&sc, "ip", i, T_IPTR);
			if (fi && fi != &g->st[t].f[0] && rnd(g, 2))
				line(g, "%s := &%s.%s", v->name, b->name,
				     fi->name);
			else
				line(g, "%s := &%s.%s[%d]", v->name, b->name,
				     f->name, rnd(g, f->len));
			g->f.interior++;
		} else {
			int t = rnd(g, g->nstruct);
			struct var *v = add_var(&sc, "p", i, t);
			line(g, "%s := mkS%d(k + %d)", v->name, t, c);
		}
	}
	for (int i = 0; i < ni; i++) {
		struct buf e = {0};
		atom(g, &sc, &e);
		struct var *v = add_var(&sc, "t", i, T_INT);
		line(g, "%s := %s", v->name, e.p);
		free(e.p);
	}
	line(g, "// no call from here to the GC below");
	int n = range(g, 4, 14);
	for (int i = 0; i < n; i++)
		stmt(g, &sc, 0);
	if (rnd(g, 2)) {
		line(g, "runtime.GC()");
		g->f.gc++;
		n = range(g, 1, 6);
		for (int i = 0; i < n; i++)
			stmt(g, &sc, 0);
	}
	fold(g, &sc);
	line(g, "return s");
	end(g);
	line(g, "");
}

/* ---- stack objects ------------------------------------------------------- */

/* stackK: a chain of link stack objects (a -> b -> c), heap lists hanging
   from them, a local holding a pointer to a local (hp := &h), an interior
   pointer into a stack object, the stack grown under them (deep). */
static void gen_stack(struct gen *g, int k)
{
	int nl = range(g, 2, 6);
	g->f.chainlinks += nl;
	g->f.stackobj += nl;
	begin(g, "func stack%d(k int) int", k);
	for (int i = nl - 1; i >= 0; i--) {
		line(g, "var l%d link", i);
		line(g, "l%d.val = k + %d", i, rnd(g, 50));
		if (i == nl - 1 || rnd(g, 2)) {
			int draw2 = rnd(g, 50), draw1 = range(g, 1, 9);
			line(g, "l%d.obj = push(push(nil, k*%d), %d)", i, draw1,
			     draw2);
		}
		if (i < nl - 1)
			line(g, "l%d.next = &l%d", i, i + 1);
	}
	line(g, "h := push(nil, k)");
	line(g, "hp := &h");
	g->f.localptr++;
	g->f.stackobj++;
	line(g, "addTo(hp, %d)", rnd(g, 50));
	int il = rnd(g, nl);
	line(g, "ip := &l%d.pad[%d]", il, rnd(g, 4));
	g->f.interior++;
	line(g, "*ip = *ip + k*%d", range(g, 1, 9));
	if (rnd(g, 2)) {
		line(g, "runtime.GC()");
		g->f.gc++;
	}
	/* pl (address-taken) holds a pointer to another local */
	line(g, "pl := &l%d", rnd(g, nl));
	line(g, "ppl := &pl");
	g->f.localptr++;
	line(g, "s := deep(%d)", range(g, 10, 400));
	line(g, "addTo(&h, s)");
	line(g, "s = s + sumLinks(&l0) + *ip + (*ppl).val");
	line(g, "return s*7 + sumList(h)");
	end(g);
	line(g, "");
}

/* ---- a callee holding the only pointer to its caller's stack object ---- */

/* holdK (GEN-5, --favour conservative): p comes after more int parameters
   than any arch has variable registers, so it lives in its argument slot
   in the caller's frame; once q has it and p is nil, only hold's frame
   points at ownerK's stack object l, and l's heap list is reached through
   it alone. */
static void gen_hold(struct gen *g, int k)
{
	struct buf params = {0}, sum = {0};
	for (int i = 0; i < 13; i++) {
		buf_f(&params, "x%d int, ", i);
		buf_f(&sum, "%sx%d", i ? " + " : "", i);
	}
	begin(g, "func hold%d(%sp *link) int", k, params.p);
	line(g, "q := p");
	line(g, "p = nil");
	line(g, "s := %s", sum.p);
	begin(g, "for r := 0; r < %d; r++", range(g, 2, 5));
	line(g, "s = s*%d + q.val + q.obj.val", range(g, 2, 9));
	end(g);
	begin(g, "if p != nil");
	line(g, "s = 0");
	end(g);
	line(g, "return s");
	end(g);
	line(g, "");
	begin(g, "func owner%d(k int) int", k);
	line(g, "var l link");
	line(g, "l.val = k + %d", rnd(g, 50));
	{
		int draw2 = rnd(g, 50), draw1 = range(g, 1, 9);
		line(g, "l.obj = push(push(nil, k*%d), %d)", draw1, draw2);
	}
	struct buf args = {0};
	for (int i = 0; i < 13; i++)
		buf_f(&args, "%d, ", rnd(g, 100));
	line(g, "return hold%d(%s&l)", k, args.p);
	end(g);
	line(g, "");
	g->f.stackobj++;
	free(params.p);
	free(sum.p);
	free(args.p);
}

/* staleK (GEN-5, --favour conservative): l dies once sumLinks returns and
   the collection frees the list only l pointed to, while a dead word of
   the frame still holds &l; an asynchronous collection after it finds l
   conservatively, so l's words must be scanned as conservatively as the
   frame: they point to freed objects (stale.go's afterUse, generated).
   main calls it first, before anything else is allocated, so that the
   list has pages of its own, which the collection gives back. */
static void gen_stale(struct gen *g, int k)
{
	begin(g, "func stale%d(k int) int", k);
	line(g, "var l link");
	line(g, "l.val = k + %d", rnd(g, 50));
	{
		int draw2 = rnd(g, 50), draw1 = range(g, 1, 9);
		line(g, "l.obj = push(push(nil, k*%d), %d)", draw1, draw2);
	}
	line(g, "s := sumLinks(&l)");
	line(g, "runtime.GC()");
	g->f.gc++;
	line(g, "r := 0");
	begin(g, "for i := 0; i < %d; i++", range(g, 4, 9));
	line(g, "r = r*%d + s + i", range(g, 2, 9));
	end(g);
	line(g, "return r");
	end(g);
	line(g, "");
	g->f.stackobj++;
}

/* ---- the last temporaries (GEN-5, --favour temps, temps6) --------------- */

/* tempsK(): q, its first local (and so in its first variable register:
   no parameter comes before it), alone holds the second node of a fresh
   list; p1..p<n-1> hold fresh lists; then q.val + (p1.next.val +
   (...)), nested so that when p<i>.next is loaded the i values before it
   are still held in temporaries: the load takes temporary i, the deepest
   n-1, and that temporary is the only stack reference to the node. */
static void gen_temps(struct gen *g, int k, int n)
{
	struct buf expr = {0};
	begin(g, "func temps%d() int", k);
	{
		int draw2 = rnd(g, 50), draw1 = rnd(g, 50);
		line(g, "q := push(push(nil, %d), %d).next", draw1, draw2);
	}
	for (int i = 1; i < n; i++) {
		int draw2 = rnd(g, 50), draw1 = rnd(g, 50);
		line(g, "p%d := push(push(nil, %d), %d)", i, draw1, draw2);
	}
	buf_f(&expr, "q.val");
	for (int i = 1; i < n; i++)
		buf_f(&expr, " + %sp%d.next.val", i < n - 1 ? "(" : "", i);
	for (int i = 2; i < n; i++)
		buf_f(&expr, ")");
	line(g, "s := %s", expr.p);
	line(g, "return s*%d + q.val", range(g, 2, 9));
	end(g);
	line(g, "");
	free(expr.p);
}

/* The calls of tempsK from main, with a collection after each. */
static void call_temps(struct gen *g, int k)
{
	begin(g, "for r := 0; r < %d; r++", range(g, 2, 4));
	line(g, "d = mix(d, temps%d()+r)", k);
	line(g, "runtime.GC()");
	g->f.gc++;
	end(g);
}

/* ---- an injected call that wakes a goroutine (GEN-5, --favour wake) ---- */

/* waiter blocks on wch for all of main; pokeK sends it a value it ignores
   on a channel with room to spare (or on none: wch is nil until main makes
   it), so the injected call never blocks and waiter becomes runnable.
   Nothing printed depends on whether, or where, pokeK was called. */
static void gen_wake(struct gen *g)
{
	line(g, "var wch chan int");
	line(g, "var wseen int");
	line(g, "");
	begin(g, "func waiter(done chan int)");
	begin(g, "for");
	line(g, "v := <-wch");
	begin(g, "if v < 0");
	line(g, "break");
	end(g);
	line(g, "wseen += v");
	end(g);
	line(g, "done <- wseen");
	end(g);
	line(g, "");
	begin(g, "func poke0(v int) int");
	begin(g, "if wch != nil");
	line(g, "wch <- v * 0");
	end(g);
	line(g, "return v + %d", range(g, 1, 9));
	end(g);
	line(g, "");
	g->f.workers++;
}

/* ---- pointers moved while a cycle marks (GEN-5, --favour barrier) ------ */

/* splice0 unlinks a node from deep in a list that only a global holds,
   keeps it in a local alone while bchurn allocates (each allocation may
   run a mark slice), then links it back at the front: once the
   goroutine's stack is scanned, only the barrier's deletion half, at the
   unlink, keeps the node (splice.go, generated). relay0: an escaped local
   (its address in a global, so it lives in a heap cell) is the only holder
   of an object that moves to a global after the local is overwritten:
   only the barrier on the store into the cell keeps it (relay.go,
   generated). barrier0, called by main, builds the list and runs both.
   Emitted after main, so that no draw before them changes. */
static void gen_barrier(struct gen *g)
{
	int len = range(g, 20, 60), depth = range(g, 2, 8);
	int span = range(g, 5, len - depth - 2);

	line(g, "");
	line(g, "var bhead *node");
	line(g, "var bsink *node");
	line(g, "var bchurned int");
	line(g, "var bkeep **node");
	line(g, "var bparked *node");
	line(g, "");
	begin(g, "func bchurn(k int)");
	begin(g, "for i := 0; i < k; i++");
	line(g, "p := new(node)");
	{
		int draw2 = rnd(g, 50), draw1 = range(g, 1, 9);
		line(g, "p.val = i*%d + %d", draw1, draw2);
	}
	line(g, "bsink = p");
	line(g, "bchurned += p.val");
	end(g);
	end(g);
	line(g, "");
	begin(g, "func splice0(d int, k int) int");
	line(g, "n := bhead");
	begin(g, "for i := 0; i < d; i++");
	line(g, "n = n.next");
	end(g);
	line(g, "p := n.next");
	line(g, "n.next = p.next");
	line(g, "bchurn(k)");
	line(g, "p.next = bhead");
	line(g, "bhead = p");
	line(g, "return p.val");
	end(g);
	line(g, "");
	begin(g, "func relay0(n int) int");
	line(g, "var hold *node");
	line(g, "bkeep = &hold");
	line(g, "hold = push(nil, %d)", rnd(g, 100));
	line(g, "s := 0");
	begin(g, "for i := 0; i < n; i++");
	line(g, "x := hold");
	{
		int draw2 = rnd(g, 50), draw1 = range(g, 1, 9);
		line(g, "hold = push(nil, i*%d+%d)", draw1, draw2);
	}
	line(g, "bchurn(%d)", range(g, 1, 4));
	line(g, "bparked = x");
	line(g, "bchurn(%d)", range(g, 1, 4));
	line(g, "s = mix(s, bparked.val)");
	end(g);
	line(g, "bkeep = nil");
	line(g, "return s");
	end(g);
	line(g, "");
	begin(g, "func barrier0() int");
	begin(g, "for i := 0; i < %d; i++", len);
	{
		int draw2 = rnd(g, 50), draw1 = range(g, 1, 9);
		line(g, "bhead = push(bhead, i*%d+%d)", draw1, draw2);
	}
	end(g);
	line(g, "s := 0");
	begin(g, "for i := 0; i < %d; i++", range(g, 40, 120));
	line(g, "bchurn(i %% %d)", range(g, 5, 23));
	line(g, "s = mix(s, splice0(%d+i%%%d, %d))", depth, span,
	     range(g, 50, 150));
	end(g);
	begin(g, "for r := 0; r < %d; r++", range(g, 10, 40));
	line(g, "s = mix(s, relay0(%d))", range(g, 10, 25));
	end(g);
	line(g, "return mix(mix(s, sumList(bhead)), bchurned)");
	end(g);
}

/* ---- recursion ----------------------------------------------------------- */

static void gen_deep(struct gen *g, int k)
{
	int pad = range(g, 2, 12), every = range(g, 1, 60);
	begin(g, "func rec%d(n int, acc *node) int", k);
	line(g, "var pad [%d]int", pad);
	line(g, "pad[n%%%d] = n", pad);
	line(g, "c := acc");
	begin(g, "if n%%%d == 0", every);
	line(g, "c = push(acc, n)");
	end(g);
	begin(g, "if n == 0");
	if (rnd(g, 2)) {
		line(g, "runtime.GC()");
		g->f.gc++;
	}
	line(g, "return sumList(c) %% 100003");
	end(g);
	line(g, "return rec%d(n-1, c) + pad[n%%%d] - n", k, pad);
	end(g);
	line(g, "");
	g->f.recurse++;
}

static void gen_mutual(struct gen *g, int k)
{
	const char *nm[2] = {"ping", "pong"};
	for (int w = 0; w < 2; w++) {
		int pad = range(g, 2, 8);
		begin(g, "func %s%d(n int, p *node) int", nm[w], k);
		begin(g, "if n <= 0");
		line(g, "return p.val + sumList(p)%%1000");
		end(g);
		line(g, "var pad [%d]int", pad);
		line(g, "pad[n%%%d] = n * %d", pad, range(g, 1, 9));
		line(g, "q := p");
		begin(g, "if n%%%d == 0", range(g, 2, 9));
		line(g, "q = push(p, n)");
		end(g);
		line(g, "return %s%d(n-1, q) + pad[n%%%d]", nm[1 - w], k, pad);
		end(g);
		line(g, "");
	}
	g->f.mutual++;
}

/* ---- goroutines ---------------------------------------------------------- */

static void gen_workers(struct gen *g)
{
	g->nworker = range(g, 1, 2);
	for (int w = 0; w < g->nworker; w++) {
		g->wcount[w] = range(g, 2, 5);
		g->wrounds[w] = range(g, 2, 12);
		g->f.workers += g->wcount[w];
		line(g, "var res%d [%d]int", w, g->wcount[w]);
		line(g, "");
		int t = rnd(g, g->nstruct);
		begin(g, "func worker%d(id int, rounds int, done chan int)", w);
		line(g, "var head *node");
		line(g, "keep := mkS%d(id)", t);
		line(g, "s := 0");
		begin(g, "for r := 0; r < rounds; r++");
		line(g, "head = push(head, id*%d+r)", range(g, 10, 1000));
		line(g, "s = mix(s, head.val)");
		begin(g, "if r%%%d == 0", range(g, 1, 4));
		line(g, "runtime.Gosched()");
		end(g);
		end(g);
		g->f.gosched++;
		if (rnd(g, 2)) {
			line(g, "runtime.GC()");
			g->f.gc++;
		}
		line(g, "res%d[id] = s + sumList(head)%%1000 + hashS%d(keep)",
		     w, t);
		line(g, "done <- id");
		end(g);
		line(g, "");
	}
	g->pipe = rnd(g, 2);
	if (g->pipe) {
		g->f.pipeline = 1;
		begin(g, "func source(out chan int, n int)");
		begin(g, "for i := 1; i <= n; i++");
		line(g, "out <- i");
		end(g);
		line(g, "out <- -1");
		end(g);
		line(g, "");
		begin(g, "func stage(in chan int, out chan int)");
		begin(g, "for");
		line(g, "v := <-in");
		begin(g, "if v < 0");
		line(g, "out <- v");
		line(g, "return");
		end(g);
		line(g, "p := push(nil, v)");
		{
			int draw2 = rnd(g, 10), draw1 = range(g, 1, 9);
			line(g, "out <- p.val*%d + %d", draw1, draw2);
		}
		end(g);
		end(g);
		line(g, "");
	}
}

/* ---- main ---------------------------------------------------------------- */

static void gen_main(struct gen *g)
{
	int t = rnd(g, g->nstruct);
	line(g, "var kept *S%d", t);
	line(g, "");
	begin(g, "func main()");
	line(g, "d := %d", rnd(g, 1000));
	if (g->fav & FAV_CONSERVATIVE)
		line(g, "d = mix(d, stale0(%d))", rnd(g, 100));
	line(g, "kept = mkS%d(%d)", t, rnd(g, 100));
	if (g->fav & FAV_WAKE) {
		line(g, "wch = make(chan int, 64)");
		line(g, "wdone := make(chan int)");
		line(g, "go waiter(wdone)");
		line(g, "runtime.Gosched()");
		g->f.gosched++;
	}
	if (g->fav & FAV_TEMPS)
		call_temps(g, 0);
	if (g->fav & FAV_TEMPS6)
		call_temps(g, 1);
	for (int i = 0; i < g->ninj; i++) {
		int draw2 = rnd(g, 100), draw1 = rnd(g, 100);
		line(g, "d = mix(d, inj%d(%d, %d))", i, draw1, draw2);
	}
	for (int i = 0; i < g->npress; i++) {
		line(g, "d = mix(d, press%d(%d))", i, rnd(g, 100));
		if (!rnd(g, 3))
			line(g, "println(\"press\", %d, d)", i);
	}
	for (int w = 0; w < g->nworker; w++) {
		line(g, "done%d := make(chan int%s)", w,
		     rnd(g, 2) ? "" : ", 4");
		begin(g, "for w := 0; w < %d; w++", g->wcount[w]);
		line(g, "go worker%d(w, %d, done%d)", w, g->wrounds[w], w);
		end(g);
	}
	for (int i = 0; i < g->nstack; i++)
		line(g, "d = mix(d, stack%d(%d))", i, rnd(g, 100));
	for (int w = 0; w < g->nworker; w++) {
		line(g, "seen%d := 0", w);
		begin(g, "for i := 0; i < %d; i++", g->wcount[w]);
		line(g, "seen%d += <-done%d", w, w);
		end(g);
		begin(g, "for i := 0; i < %d; i++", g->wcount[w]);
		line(g, "d = mix(d, res%d[i])", w);
		end(g);
		line(g, "println(\"workers\", %d, seen%d, d)", w, w);
	}
	for (int i = 0; i < g->ndeep; i++)
		line(g, "d = mix(d, rec%d(%d, nil))", i, range(g, 10, 2000));
	for (int i = 0; i < g->nmutual; i++) {
		int draw2 = rnd(g, 100), draw1 = range(g, 10, 600);
		line(g, "d = mix(d, ping%d(%d, push(nil, %d)))", i, draw1,
		     draw2);
	}
	if (g->pipe) {
		line(g, "a := make(chan int)");
		line(g, "b := make(chan int)");
		line(g, "go source(a, %d)", range(g, 3, 30));
		line(g, "go stage(a, b)");
		begin(g, "for");
		line(g, "v := <-b");
		begin(g, "if v < 0");
		line(g, "break");
		end(g);
		line(g, "d = mix(d, v)");
		end(g);
	}
	if (g->fav & FAV_CONSERVATIVE)
		line(g, "d = mix(d, owner0(%d))", rnd(g, 100));
	if (g->fav & FAV_WAKE) {
		line(g, "d = mix(d, poke0(%d))", rnd(g, 100));
		line(g, "wch <- -1");
		line(g, "d = mix(d, <-wdone)");
	}
	if (g->fav & FAV_BARRIER)
		line(g, "d = mix(d, barrier0())");
	line(g, "runtime.GC()");
	g->f.gc++;
	line(g, "d = mix(d, hashS%d(kept))", t);
	line(g, "println(\"gen\", %" PRIu64 ", d)", g->seed);
	end(g);
}

/* ---- the program ----------------------------------------------------------
 */

static void generate(struct gen *g)
{
	gen_helpers(g);
	gen_types(g);
	for (int i = 0; i < g->nstruct; i++)
		gen_struct_funcs(g, i);
	gen_inj(g);
	g->npress = range(g, 2, 5) + ((g->fav & FAV_PRESSURE) ? 2 : 0);
	g->f.press = g->npress;
	for (int i = 0; i < g->npress; i++)
		gen_press(g, i);
	g->nstack = range(g, 1, 2) + ((g->fav & FAV_STACKOBJ) ? 2 : 0);
	for (int i = 0; i < g->nstack; i++)
		gen_stack(g, i);
	if (g->fav & FAV_CONSERVATIVE) {
		gen_hold(g, 0);
		gen_stale(g, 0);
	}
	if (g->fav & FAV_TEMPS)
		gen_temps(g, 0, 4);
	if (g->fav & FAV_TEMPS6)
		gen_temps(g, 1, 6);
	if (g->fav & FAV_WAKE)
		gen_wake(g);
	g->ndeep = range(g, 1, 2);
	for (int i = 0; i < g->ndeep; i++)
		gen_deep(g, i);
	g->nmutual = rnd(g, 2) + 1;
	for (int i = 0; i < g->nmutual; i++)
		gen_mutual(g, i);
	gen_workers(g);
	gen_main(g);
	if (g->fav & FAV_BARRIER)
		gen_barrier(g);
}

static void header(const struct gen *g, FILE *f)
{
	const struct feat *x = &g->f;
	fprintf(
	    f,
	    "// Generated by gosub-gen --seed %" PRIu64 ": do not edit.\n"
	    "// features: structs=%d pressure-funcs=%d max-pointer-locals=%d"
	    " stack-objects=%d chain-links=%d interior-ptrs=%d\n"
	    "//   local-ptr-to-local=%d recursive=%d mutual=%d "
	    "goroutines=%d pipeline=%d gc-calls=%d gosched=%d inj-funcs=%d"
	    " random-stmts=%d\n"
	    "%s"
	    "package main\n\nimport \"runtime\"\n\n",
	    g->seed, x->structs, x->press, x->maxlive, x->stackobj,
	    x->chainlinks, x->interior, x->localptr, x->recurse, x->mutual,
	    x->workers, x->pipeline, x->gc, x->gosched, x->inj, x->stmts,
	    g->favline);
}

/* ---- command line -------------------------------------------------------- */

#define USAGE "usage: gosub-gen --seed N [--favour LIST] [-o FILE]\n"

static void help(void)
{
	fputs(
	    USAGE
	    "\n"
	    "Writes a random program of gosub's Go subset, the same bytes for "
	    "a seed on\n"
	    "any host, to stdout (or FILE). The program terminates quickly "
	    "and prints\n"
	    "`gen SEED DIGEST` last; `go run` and the gosub-built ELF print "
	    "the same.\n"
	    "It holds many pointer locals live at once, pointer-heavy "
	    "structs, interior\n"
	    "pointers, chained stack objects, deep and mutual recursion, "
	    "goroutines and\n"
	    "channels, runtime.GC() calls and injK(a int, b int) int "
	    "targets; its header\n"
	    "comment counts them.\n"
	    "\n"
	    "  --seed N   the seed, a decimal number below 2^64 (required)\n"
	    "  --favour LIST  comma-separated: pressure (more pointer locals "
	    "live at\n"
	    "             once), interior (more interior pointers), stackobj "
	    "(more\n"
	    "             stack-object functions), conservative (a callee "
	    "holding the\n"
	    "             only pointer to its caller's stack object, and one "
	    "whose\n"
	    "             dead stack object points to freed objects), temps "
	    "(pointers\n"
	    "             in every one of amd64's 4 expression temporaries "
	    "and in the\n"
	    "             first variable register), temps6 (six temporaries "
	    "deep: arm64\n"
	    "             and riscv64 only, gosub refuses it on amd64), wake "
	    "(an\n"
	    "             injection target, poke0, that wakes a blocked "
	    "goroutine),\n"
	    "             barrier (a node unlinked from a global list and an "
	    "escaped\n"
	    "             local's object moved to a global while only a local "
	    "holds\n"
	    "             them and the program allocates: what the write "
	    "barrier keeps);\n"
	    "             the rig's coverage feedback chooses them (everypc "
	    "sweep\n"
	    "             --generate)\n"
	    "  -o FILE    write to FILE instead of stdout\n"
	    "  --help     this text\n",
	    stdout);
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "gosub-gen: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (gosub-gen --help)\n");
	return 2;
}

/* "a,b" of fav_names into *fav; -1 on an unknown or empty name. */
static int parse_favour(const char *s, unsigned *fav)
{
	while (*s) {
		size_t n = strcspn(s, ","), k;
		for (k = 0; k < NFAV; k++)
			if (n == strlen(fav_names[k]) &&
			    !strncmp(s, fav_names[k], n))
				break;
		if (k == NFAV)
			return -1;
		*fav |= 1u << k;
		s += n;
		if (*s == ',' && !*++s)
			return -1;
	}
	return *fav ? 0 : -1;
}

static int parse_seed(const char *s, uint64_t *out)
{
	if (!s || !*s || *s < '0' || *s > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	const char *outpath = NULL;
	uint64_t seed = 0;
	unsigned fav = 0;
	int have_seed = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			help();
			return 0;
		}
		if (!strcmp(a, "--seed") || !strcmp(a, "-seed")) {
			if (i + 1 >= argc)
				return bad("%s needs a number", a);
			if (parse_seed(argv[++i], &seed))
				return bad("--seed: not a number below 2^64: "
					   "'%s'",
					   argv[i]);
			have_seed = 1;
		} else if (!strcmp(a, "--favour")) {
			if (i + 1 >= argc)
				return bad("%s needs a list", a);
			if (parse_favour(argv[++i], &fav) < 0)
				return bad("--favour: '%s': expected a list of "
					   "pressure, interior, stackobj, "
					   "conservative, temps, temps6, wake",
					   argv[i]);
		} else if (!strcmp(a, "-o")) {
			if (i + 1 >= argc)
				return bad("%s needs a file name", a);
			outpath = argv[++i];
		} else {
			return bad("unexpected argument '%s'", a);
		}
	}
	if (!have_seed)
		return bad("--seed is required%s", "");
	struct gen *g = calloc(1, sizeof(*g));
	if (!g) {
		fprintf(stderr, "gosub-gen: out of memory\n");
		return 1;
	}
	g->seed = seed;
	g->s = seed;
	g->fav = fav;
	if (fav) {
		size_t len = (size_t)snprintf(g->favline, sizeof g->favline,
					      "// favour: ");
		for (size_t k = 0; k < NFAV; k++)
			if (fav >> k & 1)
				len += (size_t)snprintf(
				    g->favline + len, sizeof g->favline - len,
				    "%s%s", len > 11 ? "," : "", fav_names[k]);
		snprintf(g->favline + len, sizeof g->favline - len, "\n");
	}
	generate(g);
	FILE *f = outpath ? fopen(outpath, "w") : stdout;
	if (!f) {
		fprintf(stderr, "gosub-gen: %s: %s\n", outpath,
			strerror(errno));
		return 1;
	}
	header(g, f);
	fputs(g->out.p, f);
	if (fflush(f) || ferror(f) || (outpath && fclose(f))) {
		fprintf(stderr, "gosub-gen: %s: write error\n",
			outpath ? outpath : "stdout");
		return 1;
	}
	free(g->out.p);
	free(g);
	return 0;
}
