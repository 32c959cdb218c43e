/*
 * parse.h -- the parser's internals, shared by parse.c (tokens, helpers,
 * declarations, the file), parse_expr.c (types and expressions) and
 * parse_stmt.c (statements and blocks). Its entry point, parse_file(), is
 * in ast.h.
 */
#ifndef GOSUB_PARSE_H
#define GOSUB_PARSE_H

#include "ast.h"

struct parser {
	struct fe_ctx *fx;
	struct lexer lx;
	struct token tok;  /* current */
	struct token peek; /* one token of lookahead when has_peek */
	int has_peek;
	int nolit; /* > 0: in an if/for header, '{' starts the block */
	int depth;
};

struct nlist {
	struct node **v;
	int n, cap;
};

/* parse.c: tokens, nodes, declarations */
void ps_next(struct parser *p);
_Noreturn void ps_syntax(struct parser *p, const char *want);
_Noreturn void ps_unsup(struct parser *p, int line, int col, const char *what);
void ps_expect(struct parser *p, int kind);
int ps_accept(struct parser *p, int kind);
void ps_enter(struct parser *p);
void ps_leave(struct parser *p);
struct node *ps_mk(struct parser *p, int kind, int line, int col);
struct node *ps_mk_here(struct parser *p, int kind);
void ps_push(struct parser *p, struct nlist *l, struct node *n);
const char *ps_ident(struct parser *p);
void parse_var_decl(struct parser *p, struct nlist *out, int kind);

/* parse_expr.c: types and expressions */
struct node *parse_type(struct parser *p);
struct node *parse_expr(struct parser *p);
struct nlist parse_expr_list(struct parser *p);

/* parse_stmt.c: statements */
struct node *parse_block(struct parser *p);

#endif
