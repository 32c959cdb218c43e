/*
 * parse_stmt.c -- statements: simple statements (expression, send, ++/--,
 * assignment, :=), if, for, go, return, break, continue, blocks; the
 * statements Go has and gosub does not are refused at their keyword.
 */
#include <string.h>

#include "parse.h"

/* assign_op = [ add_op | mul_op ] "=" . */
static int is_assign_op(int k)
{
	return k >= T_ADD_ASSIGN && k <= T_ANDNOT_ASSIGN;
}

/* assign_op = [ add_op | mul_op ] "=" . (its binary operator) */
static int assign_to_binop(int k) { return T_ADD + (k - T_ADD_ASSIGN); }

/* SimpleStmt = ExprStmt | SendStmt | IncDecStmt | Assignment | ShortVarDecl */
static struct node *parse_simple_stmt(struct parser *p)
{
	int line = p->tok.line, col = p->tok.col;
	struct nlist lhs = parse_expr_list(p);
	int k = p->tok.kind;
	struct node *n;
	if (k == T_DEFINE || k == T_ASSIGN) {
		int oline = p->tok.line, ocol = p->tok.col;
		ps_next(p);
		if (p->tok.kind == T_RANGE)
			ps_unsup(p, p->tok.line, p->tok.col, "range clause");
		struct nlist rhs = parse_expr_list(p);
		n = ps_mk(p, k == T_DEFINE ? N_DEFINE : N_ASSIGN, oline, ocol);
		n->list = lhs.v;
		n->nlist = lhs.n;
		n->list2 = rhs.v;
		n->nlist2 = rhs.n;
		return n;
	}
	if (lhs.n > 1)
		ps_syntax(p, ":= or = or comma");
	if (is_assign_op(k)) {
		n = ps_mk_here(p, N_OPASSIGN);
		n->op = assign_to_binop(k);
		ps_next(p);
		n->a = lhs.v[0];
		n->b = parse_expr(p);
		return n;
	}
	if (k == T_INC || k == T_DEC) {
		n = ps_mk_here(p, N_INCDEC);
		n->op = k;
		ps_next(p);
		n->a = lhs.v[0];
		return n;
	}
	if (k == T_ARROW) {
		n = ps_mk_here(p, N_SEND);
		ps_next(p);
		n->a = lhs.v[0];
		n->b = parse_expr(p);
		return n;
	}
	if (k == T_COLON && lhs.v[0]->kind == N_IDENT)
		ps_unsup(p, line, col, "label");
	n = ps_mk(p, N_EXPRSTMT, line, col);
	n->a = lhs.v[0];
	return n;
}

/* IfStmt = "if" [ SimpleStmt ";" ] Expr Block [ "else" ( IfStmt | Block ) ] */
static struct node *parse_if(struct parser *p)
{
	struct node *n = ps_mk_here(p, N_IF);
	ps_next(p);
	p->nolit++;
	if (p->tok.kind == T_LBRACE)
		fe_fatal(p->fx, n->line, n->col,
			 "missing condition in if statement");
	struct node *s = p->tok.kind == T_SEMI ? NULL : parse_simple_stmt(p);
	if (ps_accept(p, T_SEMI)) {
		n->a = s;
		if (p->tok.kind == T_LBRACE)
			fe_fatal(p->fx, n->line, n->col,
				 "missing condition in if statement");
		s = parse_simple_stmt(p);
	}
	p->nolit--;
	if (!s || s->kind != N_EXPRSTMT)
		fe_fatal(p->fx, s ? s->line : n->line, s ? s->col : n->col,
			 "cannot use statement as value");
	n->b = s->a;
	n->c = parse_block(p);
	if (ps_accept(p, T_ELSE)) {
		if (p->tok.kind == T_IF)
			n->d = parse_if(p);
		else if (p->tok.kind == T_LBRACE)
			n->d = parse_block(p);
		else
			ps_syntax(p, "if statement or block");
	}
	return n;
}

/* ForStmt = "for" [ Expr | SimpleStmt ";" [ Expr ] ";" SimpleStmt ] Block */
static struct node *parse_for(struct parser *p)
{
	struct node *n = ps_mk_here(p, N_FOR);
	ps_next(p);
	p->nolit++;
	if (p->tok.kind == T_RANGE)
		ps_unsup(p, p->tok.line, p->tok.col, "range clause");
	if (p->tok.kind != T_LBRACE) {
		struct node *s =
		    p->tok.kind == T_SEMI ? NULL : parse_simple_stmt(p);
		if (p->tok.kind == T_SEMI) {
			ps_next(p);
			n->a = s;
			if (p->tok.kind != T_SEMI) {
				struct node *c = parse_simple_stmt(p);
				if (c->kind != N_EXPRSTMT)
					fe_fatal(p->fx, c->line, c->col,
						 "cannot use statement as "
						 "value");
				n->b = c->a;
			}
			ps_expect(p, T_SEMI);
			if (p->tok.kind != T_LBRACE) {
				n->c = parse_simple_stmt(p);
				if (n->c->kind == N_DEFINE)
					fe_fatal(p->fx, n->c->line, n->c->col,
						 "cannot declare in post "
						 "statement of for loop");
			}
		} else {
			if (!s || s->kind != N_EXPRSTMT)
				fe_fatal(p->fx, n->line, n->col,
					 "expected for loop condition");
			n->b = s->a;
		}
	}
	p->nolit--;
	n->d = parse_block(p);
	return n;
}

/* SwitchStmt | SelectStmt | DeferStmt | GotoStmt | FallthroughStmt |
 * LabeledStmt (refused) */
static const char *unsupported_stmt(int k)
{
	switch (k) {
	case T_SWITCH:
		return "switch statement";
	case T_SELECT:
		return "select statement";
	case T_DEFER:
		return "defer statement";
	case T_GOTO:
		return "goto statement";
	case T_FALLTHROUGH:
		return "fallthrough statement";
	case T_TYPE:
		return "local type declaration";
	case T_FUNC:
		return "nested function";
	case T_CASE:
		return "case clause";
	case T_DEFAULT:
		return "default clause";
	}
	return NULL;
}

/* Statement = Declaration | SimpleStmt | GoStmt | ReturnStmt | BreakStmt
	     | ContinueStmt | Block | IfStmt | ForStmt | (empty) */
static struct node *parse_stmt(struct parser *p, struct nlist *out)
{
	int line = p->tok.line, col = p->tok.col;
	struct node *n = NULL;
	const char *u = unsupported_stmt(p->tok.kind);
	if (u)
		ps_unsup(p, line, col, u);
	ps_enter(p);
	switch (p->tok.kind) {
	case T_VAR:
	case T_CONST:
		parse_var_decl(p, out, p->tok.kind == T_VAR ? N_VAR : N_CONST);
		ps_leave(p);
		return NULL;
	case T_IF:
		n = parse_if(p);
		break;
	case T_FOR:
		n = parse_for(p);
		break;
	case T_LBRACE:
		n = parse_block(p);
		break;
	case T_BREAK:
	case T_CONTINUE:
		n = ps_mk_here(p,
			       p->tok.kind == T_BREAK ? N_BREAK : N_CONTINUE);
		ps_next(p);
		if (p->tok.kind == T_IDENT)
			ps_unsup(p, p->tok.line, p->tok.col,
				 "labeled "
				 "branch");
		break;
	case T_RETURN:
		n = ps_mk_here(p, N_RETURN);
		ps_next(p);
		if (p->tok.kind != T_SEMI && p->tok.kind != T_RBRACE) {
			n->a = parse_expr(p);
			if (p->tok.kind == T_COMMA)
				ps_unsup(p, p->tok.line, p->tok.col,
					 "multiple return value");
		}
		break;
	case T_GO:
		n = ps_mk_here(p, N_GO);
		ps_next(p);
		n->a = parse_expr(p);
		break;
	case T_SEMI:
	case T_RBRACE:
		n = ps_mk_here(p, N_EMPTY);
		break;
	default:
		n = parse_simple_stmt(p);
		break;
	}
	ps_leave(p);
	return n;
}

/* Block = "{" { Statement ";" } "}" */
struct node *parse_block(struct parser *p)
{
	struct node *b = ps_mk_here(p, N_BLOCK);
	struct nlist stmts = {0};
	ps_expect(p, T_LBRACE);
	ps_enter(p);
	while (p->tok.kind != T_RBRACE) {
		if (p->tok.kind == T_EOF)
			ps_syntax(p, "}");
		struct node *s = parse_stmt(p, &stmts);
		if (s && s->kind != N_EMPTY)
			ps_push(p, &stmts, s);
		if (p->tok.kind == T_RBRACE)
			break;
		if (p->tok.kind != T_SEMI)
			ps_syntax(p, "semicolon, newline, or }");
		ps_next(p);
	}
	ps_leave(p);
	b->eline = p->tok.line;
	b->ecol = p->tok.col;
	ps_next(p);
	b->list = stmts.v;
	b->nlist = stmts.n;
	return b;
}
