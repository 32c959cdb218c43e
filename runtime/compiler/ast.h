/*
 * ast.h -- gosub front end internals: arena, diagnostics, tokens, syntax
 * tree, types and symbols, shared by lex.c, parse.c, check.c, escape.c,
 * lower.c, live.c and front.c. Nothing here crosses into the back ends; they
 * see only ir.h.
 *
 * INVARIANTS (cited as "AST-n"):
 *
 * AST-1  Everything the front end allocates lives in one arena per
 *        compilation (struct fe_ctx.arena, arena.h). On failure the arena is
 * freed whole; on success it owns the returned ir_program too, so nothing is
 * freed piecemeal and no error path leaks or double-frees.
 *
 * AST-2  Errors never return through the phases: fe_error() (diag.h) records a
 *        "line:col: message" diagnostic and, once FE_MAX_ERRORS are
 *        recorded (or on a fatal syntax error), longjmps to fe_ctx.bail.
 *        Diagnostics are printed sorted by position, at most FE_MAX_ERRORS.
 *
 * AST-3  Recursion (parser, checker, lowering) is bounded: the parser
 *        refuses nesting deeper than FE_MAX_DEPTH, and every later phase
 *        recurses only along the tree the parser built.
 *
 * AST-4  After check.c succeeds every expression node has `type` set,
 *        constants have isconst/cval, identifiers have sym, and every local
 *        variable of a function is listed in its fe_func.vars (params
 *        first), each with a distinct index `vidx`.
 */
#ifndef GOSUB_AST_H
#define GOSUB_AST_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "diag.h"
#include "ir.h"

#define FE_MAX_DEPTH 200
#define FE_MAX_TYPE_WORDS (1 << 20)  /* any type */
#define FE_MAX_LOCAL_WORDS (1 << 16) /* frame-resident composite locals */

/* ---- tokens (lex.c) ---- */

enum tok {
	T_EOF,
	T_IDENT,
	T_INT,
	T_FLOAT,
	T_IMAG,
	T_CHAR,
	T_STRING,
	/* keywords */
	T_BREAK,
	T_CASE,
	T_CHAN,
	T_CONST,
	T_CONTINUE,
	T_DEFAULT,
	T_DEFER,
	T_ELSE,
	T_FALLTHROUGH,
	T_FOR,
	T_FUNC,
	T_GO,
	T_GOTO,
	T_IF,
	T_IMPORT,
	T_INTERFACE,
	T_MAP,
	T_PACKAGE,
	T_RANGE,
	T_RETURN,
	T_SELECT,
	T_STRUCT,
	T_SWITCH,
	T_TYPE,
	T_VAR,
	/* operators */
	T_ADD,
	T_SUB,
	T_MUL,
	T_QUO,
	T_REM,
	T_AND,
	T_OR,
	T_XOR,
	T_SHL,
	T_SHR,
	T_ANDNOT,
	T_ADD_ASSIGN,
	T_SUB_ASSIGN,
	T_MUL_ASSIGN,
	T_QUO_ASSIGN,
	T_REM_ASSIGN,
	T_AND_ASSIGN,
	T_OR_ASSIGN,
	T_XOR_ASSIGN,
	T_SHL_ASSIGN,
	T_SHR_ASSIGN,
	T_ANDNOT_ASSIGN,
	T_LAND,
	T_LOR,
	T_ARROW,
	T_INC,
	T_DEC,
	T_EQL,
	T_LSS,
	T_GTR,
	T_ASSIGN,
	T_NOT,
	T_TILDE,
	T_NEQ,
	T_LEQ,
	T_GEQ,
	T_DEFINE,
	T_ELLIPSIS,
	T_LPAREN,
	T_LBRACK,
	T_LBRACE,
	T_COMMA,
	T_PERIOD,
	T_RPAREN,
	T_RBRACK,
	T_RBRACE,
	T_SEMI,
	T_COLON,
	T_NUM_TOKS
};

struct token {
	int kind;
	int line, col;
	const char *text; /* identifier or string contents (arena) */
	int len;	  /* bytes of text */
	uint64_t ival;	  /* T_INT value */
	int overflow;	  /* T_INT does not fit 64 bits */
	int implicit;	  /* T_SEMI inserted at a newline or EOF */
};

struct lexer {
	struct fe_ctx *fx;
	const char *src;
	size_t len, pos;
	int line, col;
	int last; /* kind of the previous token, for semicolon insertion */
};

void lex_init(struct lexer *lx, struct fe_ctx *fx, const char *src, size_t len);
void lex_next(struct lexer *lx, struct token *t);
const char *tok_name(int kind);

/* ---- syntax tree (parse.c) ---- */

enum node_kind {
	/* expressions */
	N_INT,
	N_STRING,
	N_IDENT,
	N_PAREN,
	N_UNARY,
	N_BINARY,
	N_CALL,
	N_SELECT, /* a.name */
	N_INDEX,
	/* type expressions (also appear as arguments of new/make) */
	N_TPTR,
	N_TARRAY,
	N_TCHAN,
	N_TSTRUCT,
	N_FIELDDECL,
	/* statements */
	N_BLOCK,
	N_VAR,
	N_CONST,
	N_DEFINE,
	N_ASSIGN,
	N_OPASSIGN,
	N_INCDEC,
	N_IF,
	N_FOR,
	N_BREAK,
	N_CONTINUE,
	N_RETURN,
	N_EXPRSTMT,
	N_GO,
	N_SEND,
	N_EMPTY,
	/* top level */
	N_FUNC,
	N_TYPEDECL,
	N_IMPORT
};

struct type;
struct sym;
struct lvar;

struct node {
	int kind;
	int line, col;
	int eline, ecol; /* N_BLOCK: closing brace */
	int op;		 /* operator token (unary, binary, op=, ++/--) */
	struct node *a, *b, *c, *d; /* see parse.c for each kind */
	struct node **list; /* call args, block stmts, lhs, names, fields */
	int nlist;
	struct node **list2; /* rhs of assignments/definitions, params */
	int nlist2;
	const char *name; /* identifier, selector or declared name */
	const char *str;  /* string literal bytes */
	int slen;
	uint64_t ival; /* integer literal */
	int overflow;  /* literal exceeds 64 bits */
	/* set by check.c */
	struct type *type;
	int isconst;
	int64_t cval;
	struct sym *sym;    /* N_IDENT, declared names */
	int builtin;	    /* N_CALL: enum builtin */
	int64_t foff;	    /* N_SELECT: field offset in bytes */
	int hascall;	    /* subtree contains a call/receive */
	struct fe_func *fn; /* N_FUNC */
	/* set by lower.c: the hidden variable holding a hoisted value */
	struct lvar *hidden;
};

struct node *parse_file(struct fe_ctx *fx, const char *src, size_t len);

/* ---- types and symbols (check.c) ---- */

enum type_kind {
	TY_INT,
	TY_BOOL,
	TY_PTR,
	TY_STRUCT,
	TY_ARRAY,
	TY_CHAN,
	TY_UNTYPED_INT,
	TY_UNTYPED_BOOL,
	TY_NIL,
	TY_STRING,
	TY_VOID
};

struct field {
	const char *name;
	struct type *type;
	int64_t off; /* bytes */
};

struct type {
	int kind;
	struct type *elem; /* PTR, ARRAY, CHAN */
	int64_t len;	   /* ARRAY */
	struct field *fields;
	int nfields;
	const char *name; /* named struct: "node" */
	int64_t nwords;
	uint8_t *ptrmask;   /* nwords bits */
	int state;	    /* 0 unresolved, 1 resolving, 2 done */
	struct node *decl;  /* named struct declaration */
	struct type *ptrto; /* interned *T */
	struct type *next;  /* interned array list */
	int irtype;	    /* index in ir_program.types, or -1 */
};

enum sym_kind { S_VAR, S_CONST, S_TYPE, S_FUNC, S_BUILTIN, S_PKG };
enum builtin {
	B_NONE,
	B_NEW,
	B_MAKE,
	B_PRINTLN,
	B_PANIC,
	B_LEN,
	B_GC,
	B_GOSCHED
};

struct sym {
	int kind;
	const char *name;
	int line, col;
	struct type *type;
	int64_t cval;	    /* S_CONST */
	int builtin;	    /* S_BUILTIN */
	struct fe_func *fn; /* S_FUNC */
	struct node *decl;  /* S_CONST/S_TYPE/global S_VAR: its declaration */
	int state;	    /* const/type resolution: 0, 1 resolving, 2 done */
	/* S_VAR */
	int global;
	int param; /* parameter index, or -1 */
	int used;
	int addr_taken;
	int escapes; /* set by escape.c */
	int loopdepth;
	int vidx;	 /* index in fe_func.vars */
	struct lvar *lv; /* lower.c */
};

struct fe_func {
	struct sym *sym;
	struct node *decl;
	struct sym **params;
	int nparams;
	struct type *result; /* NULL when none */
	struct sym **vars;   /* params first, then locals (AST-4) */
	int nvars, capvars;
	/* escape summaries (escape.c) */
	uint8_t *param_esc;	 /* the parameter value reaches the heap */
	uint8_t *param_cont_esc; /* what it points to reaches the heap */
	int index;		 /* in program order */
};

struct fe_global {
	struct sym *sym;
	int64_t init; /* scalar constant initialiser */
};

struct fe_prog {
	struct node *file;
	struct fe_func **funcs;
	int nfuncs, capfuncs;
	struct fe_global *globals;
	int nglobals, capglobals;
	struct type *t_int, *t_bool, *t_uint, *t_ubool, *t_nil, *t_string,
	    *t_void, *t_chan;
	struct type *arrays; /* interned array types */
	int uses_runtime;
};

int check_program(struct fe_ctx *fx, struct node *file, struct fe_prog *p);
int type_is_scalar(const struct type *t);
int type_is_ptr(const struct type *t); /* holds a pointer word: PTR, CHAN */
const char *type_string(struct fe_ctx *fx, const struct type *t);

/* ---- escape analysis (escape.c) ---- */
void escape_program(struct fe_ctx *fx, struct fe_prog *p);

/* ---- lowering (lower.c) and liveness (live.c) ---- */
struct ir_program *lower_program(struct fe_ctx *fx, struct fe_prog *p,
				 const struct ir_target *t);

/* Liveness over one function (live.c). When `final` is 0 calls do not
   clobber registers (the first pass, used to place spills) and only
   live_out_regs is computed; when 1 the IR-2/IR-5 sets are filled.
   Untracked words (composite locals, stack objects) take no part in the
   dataflow; always_ptr_words are added to every set from body_start on.
   Returns 0, or -1 after reporting an internal error through fx. */
struct live_opts {
	int final;
	const uint8_t *always_ptr_words; /* frame_words bits, or NULL */
	const uint8_t *untracked_words;	 /* composite/stack-object words */
	int body_start; /* always_ptr_words hold from this instruction on */
	uint32_t *live_out_regs; /* out: per instruction, or NULL */
};
int live_func(struct fe_ctx *fx, struct ir_func *f, const struct ir_target *t,
	      const struct live_opts *o);
int live_is_noreturn(const struct ir_insn *in);

/* The whole front end with a chosen diagnostics stream (front.c). */
int fe_compile(const char *path, const char *src, size_t len,
	       const struct ir_target *t, struct ir_program **out,
	       FILE *errout);

#endif
