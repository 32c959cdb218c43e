/*
 * ir.c -- IR helpers shared by the front and back ends: operation names and
 * operand roles (both from ir_ops.def) and the readable dump printed by `gosub
 * -dump-ir`.
 *
 * Dump format, one instruction per line:
 *   <index>  <operation>   ; line:col  live{<registers and words>}
 * Registers are T<n> (temps) and V<n> (variables) of the abstract register
 * file; frame words are w<n> (SP + 8n). Calls also show map{...}, their
 * call-site map (IR-5). The output depends only on the IR (deterministic).
 */
#include <string.h>

#include "ir.h"

static const char *const op_names[] = {
#define IR_OP(name, str, uses) [IR_##name] = str,
#include "ir_ops.def"
#undef IR_OP
};
_Static_assert(sizeof op_names / sizeof op_names[0] == IR_NUM_OPS,
	       "a name for every op");

static const int op_uses[] = {
#define IR_OP(name, str, uses) [IR_##name] = (uses),
#include "ir_ops.def"
#undef IR_OP
};
_Static_assert(sizeof op_uses / sizeof op_uses[0] == IR_NUM_OPS,
	       "operand roles for every op");

const char *ir_opname(int op)
{
	if (op < 0 || op >= IR_NUM_OPS || !op_names[op])
		return "?";
	return op_names[op];
}

int ir_op_uses(int op)
{
	if (op < 0 || op >= IR_NUM_OPS)
		return -1;
	return op_uses[op];
}

static void reg(char *buf, size_t n, ir_reg r, const struct ir_target *t)
{
	if (r < 0)
		snprintf(buf, n, "-");
	else if (r < t->ntemps)
		snprintf(buf, n, "T%d", r);
	else
		snprintf(buf, n, "V%d", r - t->ntemps);
}

static void operand_b(char *buf, size_t n, const struct ir_insn *in,
		      const struct ir_target *t)
{
	if (in->bimm)
		snprintf(buf, n, "$%lld", (long long)in->imm);
	else
		reg(buf, n, in->b, t);
}

/* Labels, jumps, calls, allocation and return; 0 for any other op. */
static int format_control(char *s, size_t n, const struct ir_insn *in,
			  const struct ir_target *t)
{
	char d[16], a[16];
	reg(d, sizeof d, in->dst, t);
	reg(a, sizeof a, in->a, t);
	long long imm = (long long)in->imm, imm2 = (long long)in->imm2;
	switch (in->op) {
	case IR_NOP:
		snprintf(s, n, "nop");
		return 1;
	case IR_LABEL:
		snprintf(s, n, "L%lld:", imm);
		return 1;
	case IR_JMP:
		snprintf(s, n, "jmp L%lld", imm);
		return 1;
	case IR_BRZ:
	case IR_BRNZ:
		snprintf(s, n, "%s %s, L%lld", ir_opname(in->op), a, imm);
		return 1;
	case IR_CALL:
		snprintf(s, n, "call %s args %lld%s", in->sym ? in->sym : "?",
			 imm, imm2 ? " result" : "");
		return 1;
	case IR_ALLOC:
		snprintf(s, n, "%s = alloc type %lld class %lld slow L%d", d,
			 imm, imm2, in->label);
		return 1;
	case IR_RET:
		snprintf(s, n, "ret");
		return 1;
	}
	return 0;
}

/* The instruction itself, without position and sets. */
static void format_insn(char *s, size_t n, const struct ir_insn *in,
			const struct ir_target *t)
{
	char d[16], a[16], b[32];
	reg(d, sizeof d, in->dst, t);
	reg(a, sizeof a, in->a, t);
	operand_b(b, sizeof b, in, t);
	const char *op = ir_opname(in->op);
	long long imm = (long long)in->imm, imm2 = (long long)in->imm2;
	if (format_control(s, n, in, t))
		return;
	switch (in->op) {
	case IR_MOVI:
		snprintf(s, n, "%s = %lld", d, imm);
		return;
	case IR_MOV:
		snprintf(s, n, "%s = %s", d, a);
		return;
	case IR_ADDRFRAME:
		snprintf(s, n, "%s = &w%lld", d, imm);
		return;
	case IR_ADDRSYM:
		snprintf(s, n, "%s = &%s+%lld", d, in->sym ? in->sym : "?",
			 imm);
		return;
	case IR_LOAD:
		snprintf(s, n, "%s = [%s+%lld]", d, a, imm);
		return;
	case IR_STORE: {
		char v[16];
		reg(v, sizeof v, in->b, t);
		snprintf(s, n, "[%s+%lld] = %s%s", a, imm, v,
			 in->wb ? " (wb)" : "");
		return;
	}
	case IR_LDFRAME:
		snprintf(s, n, "%s = w%lld", d, imm);
		return;
	case IR_STFRAME:
		snprintf(s, n, "w%lld = %s", imm, a);
		return;
	case IR_LDPARAM:
		snprintf(s, n, "%s = param%lld", d, imm);
		return;
	case IR_STPARAM:
		snprintf(s, n, "param%lld = %s", imm, a);
		return;
	case IR_ZERO:
		snprintf(s, n, "zero w%lld..w%lld", imm, imm + imm2 - 1);
		return;
	case IR_NEG:
	case IR_NOT:
	case IR_COM:
		snprintf(s, n, "%s = %s %s", d, op, a);
		return;
	}
	snprintf(s, n, "%s = %s %s, %s", d, op, a, b);
}

static void print_set(FILE *out, const char *name, uint32_t regs,
		      const uint8_t *words, int nwords,
		      const struct ir_target *t)
{
	fprintf(out, " %s{", name);
	const char *sep = "";
	for (int r = 0; r < IR_MAX_REGS; r++)
		if (regs >> r & 1) {
			char b[16];
			reg(b, sizeof b, (ir_reg)r, t);
			fprintf(out, "%s%s", sep, b);
			sep = " ";
		}
	for (int w = 0; words && w < nwords; w++)
		if (words[w / 8] >> (w % 8) & 1) {
			fprintf(out, "%sw%d", sep, w);
			sep = " ";
		}
	fputc('}', out);
}

void ir_dump_func(const struct ir_func *f, const struct ir_target *t, FILE *out)
{
	fprintf(out,
		"func %s line %d: params %d%s, frame %d words, out %d, "
		"params ptrmask %#llx\n",
		f->name, f->line, f->nparams, f->has_result ? " + result" : "",
		f->frame_words, f->nout, (unsigned long long)f->params_ptrmask);
	for (int i = 0; i < f->nstackobjs; i++) {
		const struct ir_stackobj *so = &f->stackobjs[i];
		fprintf(out, "  stackobj w%d..w%d ptr{", so->word,
			so->word + so->nwords - 1);
		const char *sep = "";
		for (int w = 0; w < so->nwords; w++)
			if (so->ptrmask[w / 8] >> (w % 8) & 1) {
				fprintf(out, "%s+%d", sep, w);
				sep = " ";
			}
		fputs("}\n", out);
	}
	for (int i = 0; i < f->ncode; i++) {
		const struct ir_insn *in = &f->code[i];
		char s[160];
		format_insn(s, sizeof s, in, t);
		fprintf(out, "%5d  %s%-36s ; %d:%d", i,
			in->op == IR_LABEL ? "" : "  ", s, in->line, in->col);
		if (in->unsafe)
			fputs(" unsafe", out);
		print_set(out, "live", in->live_ptr_regs, in->live_ptr_words,
			  f->frame_words, t);
		if (in->op == IR_CALL)
			print_set(out, "map", 0, in->callmap, f->frame_words,
				  t);
		fputc('\n', out);
	}
}

void ir_plant_mutants(struct ir_program *p)
{
	for (int i = 0; i < p->nfuncs; i++)
		for (int k = 0; k < p->funcs[i].ncode; k++) {
			struct ir_insn *in = &p->funcs[i].code[k];
			if (in->op != IR_STORE)
				continue;
			if ((p->mutants & IR_MUTANT_WB_ESCAPED_SKIP) &&
			    in->wbcell)
				in->wb = 0; /* as if on the stack */
			if ((p->mutants & IR_MUTANT_WB_FRAME_TAKEN) &&
			    in->wbstack)
				in->wb = 1; /* as if into the heap */
		}
}
