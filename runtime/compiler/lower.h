/*
 * lower.h -- lowering's internals (checked AST -> IR for one target),
 * shared by its files: lower.c (the program and each function),
 * lower_emit.c (IR instructions), lower_var.c (variable storage),
 * lower_expr.c (expressions, places, run-time checks, allocation),
 * lower_call.c (calls and their hoisting), lower_stmt.c (statements) and
 * frame.c (frame layout, stack objects, spill placement, liveness).
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
#ifndef GOSUB_LOWER_H
#define GOSUB_LOWER_H

#include "ast.h"

enum storage {
	ST_REG,	     /* V register, spilled to home (or its parameter slot) */
	ST_MEM,	     /* frame home word only */
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
	int onstack;  /* PL_MEM: base points into this frame or one of its
			 stack objects (stores need no barrier, IR-7) */
	int cell;     /* PL_MEM: base is an escaped local's heap cell */
};
enum { PL_VAR, PL_FRAME, PL_MEM };

/* The state of the function being lowered; lower_func() zeroes it whole
   before each function. */
struct lower_fn {
	struct fe_func *src;	    /* the function being lowered */
	struct ir_func *ir;	    /* and its IR */
	struct ir_insn *code, *ool; /* main body, out-of-line blocks */
	int ncode, capcode, nool, capool;
	int in_ool;    /* emitting into ool */
	int line, col; /* position of the next instruction */
	int sp;	       /* next free temp (evaluation stack) */
	struct lvar *vowner[IR_MAX_REGS];
	struct lvar **scoped; /* user variables by scope */
	int nscoped, capscoped;
	struct lvar **hidden; /* statement-scoped hidden variables */
	int nhidden, caphidden;
	struct callrec *calls;
	int ncalls, capcalls;
	int nlocal, nout;
	int brk[FE_MAX_DEPTH + 1], cont[FE_MAX_DEPTH + 1], nloop;
	int lbl_div, lbl_nil, lbl_shift; /* shared panic blocks, label + 1 */
	int body_start;
	uint8_t *always_ptr, *untracked; /* local-word bitmaps, grown */
	int capbits;
};

/* Lowering: the program's state, then the function's. */
struct lower {
	struct fe_ctx *fx;
	struct fe_prog *p;
	const struct ir_target *t;
	struct ir_program *irp;
	struct lower_fn fn;
};

/* lower_emit.c: instructions */
int lw_loc(int n);
struct ir_insn *lw_emit(struct lower *l, int op);
int lw_new_label(struct lower *l);
void lw_label(struct lower *l, int lb);
void lw_jump(struct lower *l, int op, ir_reg a, int lb);
void lw_at(struct lower *l, const struct node *n);
ir_reg lw_temp(struct lower *l);
int lw_is_temp(struct lower *l, ir_reg r);
void lw_movi(struct lower *l, ir_reg d, int64_t v);
void lw_mov(struct lower *l, ir_reg d, ir_reg a, int ptr);
void lw_ldframe(struct lower *l, ir_reg d, int word, int ptr);
void lw_stframe(struct lower *l, int word, ir_reg a, int ptr);
void lw_binop(struct lower *l, int op, ir_reg d, ir_reg a, ir_reg b, int ptr);
void lw_binopi(struct lower *l, int op, ir_reg d, ir_reg a, int64_t imm,
	       int ptr);
void lw_load(struct lower *l, ir_reg d, ir_reg base, int64_t off, int ptr);
/* Where a store's base points (IR-7): the heap, a global or anywhere a
   pointer leads (barrier); this frame or a stack object (none); an escaped
   local's heap cell (barrier; told apart for the compiler mutant
   wb-escaped-skip, ir.h). */
enum { LW_HEAP = 0, LW_STACK = 1, LW_CELL = 2 };
/* *(base + off) = v; ptr: v is a pointer; site: LW_*. */
void lw_store(struct lower *l, ir_reg base, int64_t off, ir_reg v, int ptr,
	      int site);
/* The LW_* site of a PL_MEM place. */
int place_site(const struct place *pl);
struct ir_insn *lw_call(struct lower *l, const char *sym, int nargs,
			int has_result, int result_ptr);

/* lower_var.c: variables */
struct lvar *new_hidden(struct lower *l, struct type *t);
void release_hidden(struct lower *l, int mark);
void release_scoped(struct lower *l, int mark);
ir_reg read_lvar(struct lower *l, struct lvar *lv);
void write_lvar(struct lower *l, struct lvar *lv, ir_reg v);
void declare_var(struct lower *l, struct sym *s, struct node *val);
void param_code(struct lower *l, struct fe_func *fn);

/* lower_expr.c: expressions */
void string_args(struct lower *l, const char *s, int len, ir_reg t);
void emit_new(struct lower *l, struct type *t, struct lvar *lv);
int node_ptr(const struct node *n);
struct place place_of(struct lower *l, struct node *n);
ir_reg load_place(struct lower *l, struct place *pl, int mark, int ptr);
void store_place(struct lower *l, struct place *pl, ir_reg v, int ptr);
void copy_words(struct lower *l, struct place *dst, struct place *src,
		struct type *t);
ir_reg lw_arith(struct lower *l, int tok, ir_reg a, struct node *y, int mark);
ir_reg gen_expr(struct lower *l, struct node *n);

/* lower_call.c: calls */
void store_arg(struct lower *l, int word, struct node *a);
struct lvar *emit_call(struct lower *l, struct node *n, int want);
struct lvar *emit_recv(struct lower *l, struct node *n, int want);
void hoist(struct lower *l, struct node *n);
void lower_println(struct lower *l, struct node *n);

/* lower_stmt.c: statements */
void lower_block(struct lower *l, struct node *b);

/* frame.c: frame layout and spills */
void grow_bits(struct lower *l, int n);
int new_words(struct lower *l, int64_t n);
int lw_getbit(const uint8_t *m, int64_t i);
void layout_objects(struct lower *l, struct fe_func *fn);
void entry_code(struct lower *l, struct fe_func *fn);
void finish_func(struct lower *l);

#endif
