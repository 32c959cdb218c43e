/*
 * mlive.c -- liveness of every machine instruction of one expansion
 * (EMIT-5): what emit.c's oracle records say, instruction by instruction.
 *
 * The IR liveness (live.c, IR-6) knows which abstract registers are live
 * before and after each IR instruction; inside its expansion the back end's
 * private scratch registers and the operands it has already consumed, or
 * the result it has already written, make the live set differ from both.
 * So the expansion is analysed as machine code: the back end describes each
 * instruction it wrote (be_arch.describe: the GDB registers it reads and
 * writes, where control goes), and a backward fixpoint over the expansion's
 * own control flow (local labels "1:", branches out to IR labels, whose
 * live-in registers the IR liveness gives) yields the registers live before
 * each instruction. Pointer-ness follows forwards: the IR's live-in pointer
 * registers at the start, then each write makes its register a pointer when
 * it copies one, adds to one (a derived pointer), or is the expansion's last
 * write of the IR result, typed by dst_ptr.
 *
 * An instruction the back end cannot describe is an internal error: an
 * unknown instruction must never be taken as touching nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "mlive.h"

static uint64_t abstract_to_gdb(const struct be_arch *a, uint32_t m)
{
	uint64_t g = 0;
	const struct ir_target *t = a->target;
	for (int r = 0; r < t->ntemps + t->nvars; r++)
		if (m & (1u << r))
			g |= 1ull << t->gdbreg[r];
	return g;
}

uint64_t ml_clobber_mask(const struct be_arch *a)
{
	return abstract_to_gdb(a, ~0u) | a->scratch;
}

/* Index of the entry after local label "N:" that target "Nf"/"Nb" names
   from entry i, or -1. */
static int local_target(const struct ml_expansion *x, int i, const char *t)
{
	size_t n = strlen(t);
	char want[16];
	if (n < 2 || n > 8 || (t[n - 1] != 'f' && t[n - 1] != 'b'))
		return -1;
	for (size_t k = 0; k + 1 < n; k++)
		if (t[k] < '0' || t[k] > '9')
			return -1;
	memcpy(want, t, n - 1);
	want[n - 1] = ':';
	want[n] = 0;
	if (t[n - 1] == 'f') {
		for (int k = i + 1; k < x->n; k++)
			if (x->e[k].raw && !strcmp(x->e[k].text, want))
				return k;
	} else {
		for (int k = i; k >= 0; k--)
			if (x->e[k].raw && !strcmp(x->e[k].text, want))
				return k;
	}
	return -2; /* a local label that is not there */
}

/* The registers live where a branch of entry i lands; -1 on error. */
static int branch_live(const struct ml_expansion *x, int i,
		       const uint64_t *before, uint64_t *out)
{
	const char *t = x->e[i].mi.target;
	int k = local_target(x, i, t);
	if (k == -2)
		return -1;
	if (k >= 0) {
		*out = k + 1 < x->n ? before[k + 1] : x->exit_live;
		return 0;
	}
	*out = x->label_live ? x->label_live(x->ctx, t) : 0;
	return 0;
}

int ml_analyse(const struct be_arch *a, struct ml_expansion *x, char *err,
	       size_t errlen)
{
	uint64_t A = ml_clobber_mask(a);
	uint64_t *before = x->live; /* x->n entries */
	int changed, guard = 0;

	for (int i = 0; i < x->n; i++) {
		struct ml_entry *en = &x->e[i];
		before[i] = 0;
		if (en->raw)
			continue;
		memset(&en->mi, 0, sizeof en->mi);
		if (a->describe(en->text, &en->mi) < 0) {
			snprintf(err, errlen,
				 "the back end cannot describe \"%s\"",
				 en->text);
			return -1;
		}
	}
	do {
		changed = 0;
		for (int i = x->n - 1; i >= 0; i--) {
			struct ml_entry *en = &x->e[i];
			uint64_t next =
			    i + 1 < x->n ? before[i + 1] : x->exit_live;
			uint64_t after = 0, b;
			if (en->raw) {
				b = next;
			} else {
				if (en->mi.flow != BE_F_JUMP &&
				    en->mi.flow != BE_F_RET)
					after = next;
				if (en->mi.flow == BE_F_JUMP ||
				    en->mi.flow == BE_F_BRANCH) {
					uint64_t t;
					if (branch_live(x, i, before, &t) < 0) {
						snprintf(err, errlen,
							 "\"%s\": no local "
							 "label %s",
							 en->text,
							 en->mi.target);
						return -1;
					}
					after |= t;
				}
				b = ((after & ~en->mi.def) | en->mi.use) & A;
			}
			if (b != before[i]) {
				before[i] = b;
				changed = 1;
			}
		}
	} while (changed && ++guard < 1000);
	if (changed) { /* monotone, so never: but not silently */
		snprintf(err, errlen, "liveness did not converge");
		return -1;
	}

	/* pointers, forwards along the text */
	int lastdef = -1;
	uint64_t dstbit = x->dst >= 0 ? 1ull << x->dst : 0;
	for (int i = 0; i < x->n; i++)
		if (!x->e[i].raw && (x->e[i].mi.def & dstbit))
			lastdef = i;
	uint64_t ptr = x->entry_ptr;
	for (int i = 0; i < x->n; i++) {
		struct ml_entry *en = &x->e[i];
		x->ptr[i] = ptr & before[i];
		if (en->raw || !en->mi.def)
			continue;
		uint64_t p = 0;
		if (en->mi.kind == BE_M_COPY && en->mi.src >= 0)
			p = (ptr >> en->mi.src) & 1 ? en->mi.def : 0;
		else if (en->mi.kind == BE_M_ADD && (ptr & en->mi.use & A))
			p = en->mi.def;
		if (i == lastdef)
			p = x->dst_ptr ? p | dstbit : p & ~dstbit;
		ptr = (ptr & ~en->mi.def) | p;
	}
	return 0;
}

/* ---- helpers for the back ends' describe hooks -------------------------- */

int ml_split(const char *text, char *mnem, size_t mn, char ops[][48],
	     int maxops)
{
	const char *p = text;
	size_t k = 0;
	int n = 0, depth = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p && *p != ' ' && *p != '\t' && k + 1 < mn)
		mnem[k++] = *p++;
	mnem[k] = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return 0;
	k = 0;
	for (;; p++) {
		if (!*p || (*p == ',' && depth == 0)) {
			while (k && ops[n][k - 1] == ' ')
				k--;
			ops[n][k] = 0;
			n++;
			if (!*p || n == maxops)
				return *p ? -1 : n;
			k = 0;
			while (p[1] == ' ')
				p++;
			continue;
		}
		if (*p == '(' || *p == '[')
			depth++;
		if (*p == ')' || *p == ']')
			depth--;
		if (k + 1 >= 48)
			return -1;
		ops[n][k++] = *p;
	}
}

int ml_describe_common(const char *text, struct be_minfo *mi, char *m,
		       size_t mn, char ops[][48], int maxops, int *n,
		       const char *call, int morestack_reg, uint64_t wb_regs)
{
	*n = ml_split(text, m, mn, ops, maxops);
	mi->src = -1;
	if (*n < 0)
		return -1;
	if (!strcmp(m, "ret") && *n == 0) {
		mi->flow = BE_F_RET;
		return 1;
	}
	if (!strcmp(m, call) && *n == 1 &&
	    !strcmp(ops[0], "runtime.gcWriteBarrier")) {
		mi->use = mi->def = wb_regs; /* ABI-8: all else preserved */
		return 1;
	}
	if (!strcmp(m, call) && *n == 1) {
		mi->def = ~0ull; /* the reserved registers are masked out */
		if (morestack_reg >= 0 && !strcmp(ops[0], "runtime.morestack"))
			mi->use = 1ull << morestack_reg;
		return 1;
	}
	return 0;
}

int ml_one_of(const char *m, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(m, *set))
			return 1;
	return 0;
}

uint64_t ml_regs_in(const char *op, int (*regnum)(const char *name))
{
	uint64_t m = 0;
	char tok[16];
	size_t k = 0;
	int sym = 0; /* the token is part of a symbol ("main.x1") */
	for (const char *p = op;; p++) {
		int word = (*p >= 'a' && *p <= 'z') ||
			   (*p >= '0' && *p <= '9') || *p == '%';
		if (word) {
			if (!k)
				sym = p > op && (p[-1] == '.' || p[-1] == '_');
			if (k + 1 < sizeof tok)
				tok[k++] = *p;
			continue;
		}
		if (k) {
			tok[k] = 0;
			int r = sym ? -1 : regnum(tok);
			if (r >= 0)
				m |= 1ull << r;
			k = 0;
		}
		if (!*p)
			return m;
	}
}
