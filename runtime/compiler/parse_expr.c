/*
 * parse_expr.c -- types and expressions of the gosub subset: operands,
 * primary expressions (selectors, indexing, calls), unary and binary
 * expressions by precedence (Go spec), composite literals refused.
 */
#include <string.h>

#include "parse.h"

/* StructType = "struct" "{" { IdentList Type ";" } "}" */
static struct node *parse_struct_type(struct parser *p)
{
	struct node *n = ps_mk_here(p, N_TSTRUCT);
	struct nlist fields = {0};
	ps_expect(p, T_STRUCT);
	ps_expect(p, T_LBRACE);
	while (p->tok.kind != T_RBRACE) {
		struct nlist names = {0};
		if (p->tok.kind == T_MUL)
			ps_unsup(p, p->tok.line, p->tok.col, "embedded field");
		do {
			struct node *f = ps_mk_here(p, N_FIELDDECL);
			f->name = ps_ident(p);
			ps_push(p, &names, f);
		} while (ps_accept(p, T_COMMA));
		if (p->tok.kind == T_SEMI || p->tok.kind == T_RBRACE)
			ps_unsup(p, names.v[0]->line, names.v[0]->col,
				 "embedded field");
		struct node *t = parse_type(p);
		if (p->tok.kind == T_STRING)
			ps_unsup(p, p->tok.line, p->tok.col, "struct tag");
		for (int i = 0; i < names.n; i++) {
			names.v[i]->a = t;
			ps_push(p, &fields, names.v[i]);
		}
		if (p->tok.kind != T_RBRACE)
			ps_expect(p, T_SEMI);
	}
	ps_next(p);
	n->list = fields.v;
	n->nlist = fields.n;
	return n;
}

/* Type = TypeName | "*" Type | "[" Expr "]" Type | "chan" Type
	| StructType | "(" Type ")" */
struct node *parse_type(struct parser *p)
{
	ps_enter(p);
	int line = p->tok.line, col = p->tok.col;
	struct node *n;
	switch (p->tok.kind) {
	case T_IDENT:
		n = ps_mk_here(p, N_IDENT);
		n->name = ps_ident(p);
		if (p->tok.kind == T_PERIOD)
			ps_unsup(p, line, col, "qualified type name");
		break;
	case T_MUL:
		ps_next(p);
		n = ps_mk(p, N_TPTR, line, col);
		n->a = parse_type(p);
		break;
	case T_LBRACK:
		ps_next(p);
		if (p->tok.kind == T_RBRACK)
			ps_unsup(p, line, col, "slice type");
		if (p->tok.kind == T_ELLIPSIS)
			ps_unsup(p, line, col, "[...] array type");
		n = ps_mk(p, N_TARRAY, line, col);
		p->nolit++;
		n->a = parse_expr(p);
		p->nolit--;
		ps_expect(p, T_RBRACK);
		n->b = parse_type(p);
		break;
	case T_CHAN:
		ps_next(p);
		if (p->tok.kind == T_ARROW)
			ps_unsup(p, line, col, "send-only channel type");
		n = ps_mk(p, N_TCHAN, line, col);
		n->a = parse_type(p);
		break;
	case T_ARROW:
		ps_unsup(p, line, col, "receive-only channel type");
	case T_STRUCT:
		n = parse_struct_type(p);
		break;
	case T_LPAREN:
		ps_next(p);
		n = parse_type(p);
		ps_expect(p, T_RPAREN);
		break;
	case T_MAP:
		ps_unsup(p, line, col, "map type");
	case T_FUNC:
		ps_unsup(p, line, col, "function type");
	case T_INTERFACE:
		ps_unsup(p, line, col, "interface type");
	default:
		ps_syntax(p, "type");
	}
	ps_leave(p);
	return n;
}

/* Operand = int_lit | string_lit | identifier | "(" Expr ")" | Type */
static struct node *parse_operand(struct parser *p)
{
	int line = p->tok.line, col = p->tok.col;
	struct node *n;
	switch (p->tok.kind) {
	case T_INT:
		n = ps_mk_here(p, N_INT);
		n->ival = p->tok.ival;
		n->overflow = p->tok.overflow;
		ps_next(p);
		return n;
	case T_STRING:
		n = ps_mk_here(p, N_STRING);
		n->str = p->tok.text;
		n->slen = p->tok.len;
		ps_next(p);
		return n;
	case T_FLOAT:
		ps_unsup(p, line, col, "floating-point number");
	case T_IMAG:
		ps_unsup(p, line, col, "complex number");
	case T_CHAR:
		ps_unsup(p, line, col, "rune literal");
	case T_IDENT:
		n = ps_mk_here(p, N_IDENT);
		n->name = ps_ident(p);
		return n;
	case T_LPAREN: {
		ps_next(p);
		int save = p->nolit;
		p->nolit = 0;
		n = ps_mk(p, N_PAREN, line, col);
		n->a = parse_expr(p);
		p->nolit = save;
		ps_expect(p, T_RPAREN);
		return n;
	}
	case T_FUNC:
		ps_unsup(p, line, col, "function literal");
	case T_LBRACK:
	case T_CHAN:
	case T_STRUCT:
	case T_MAP:
	case T_INTERFACE:
		return parse_type(p);
	default:
		ps_syntax(p, "expression");
	}
}

/* Type = TypeName | "[" ... | "*" ... | "chan" ... | StructType . (starts one?)
 */
static int could_be_type(const struct node *n)
{
	return n->kind == N_IDENT || n->kind == N_TARRAY ||
	       n->kind == N_TSTRUCT || n->kind == N_SELECT;
}

/* PrimaryExpr = Operand { "." identifier | "[" Expr "]" | Arguments } */
static struct node *parse_primary(struct parser *p)
{
	struct node *n = parse_operand(p);
	for (;;) {
		int line = p->tok.line, col = p->tok.col;
		if (p->tok.kind == T_PERIOD) {
			ps_next(p);
			if (p->tok.kind == T_LPAREN)
				ps_unsup(p, line, col, "type assertion");
			struct node *s = ps_mk(p, N_SELECT, n->line, n->col);
			s->a = n;
			s->line = p->tok.line; /* Go positions selectors */
			s->col = p->tok.col;   /* at the selected name */
			s->line = n->line;
			s->col = n->col;
			s->name = ps_ident(p);
			n = s;
		} else if (p->tok.kind == T_LBRACK) {
			ps_next(p);
			int save = p->nolit;
			p->nolit = 0;
			if (p->tok.kind == T_COLON)
				ps_unsup(p, line, col, "slice expression");
			struct node *ix = ps_mk(p, N_INDEX, line, col);
			ix->a = n;
			ix->b = parse_expr(p);
			if (p->tok.kind == T_COLON)
				ps_unsup(p, line, col, "slice expression");
			if (p->tok.kind == T_COMMA)
				ps_unsup(p, line, col, "generic instantiation");
			p->nolit = save;
			ps_expect(p, T_RBRACK);
			n = ix;
		} else if (p->tok.kind == T_LPAREN) {
			ps_next(p);
			int save = p->nolit;
			p->nolit = 0;
			struct node *c = ps_mk(p, N_CALL, line, col);
			struct nlist args = {0};
			c->a = n;
			while (p->tok.kind != T_RPAREN) {
				ps_push(p, &args, parse_expr(p));
				if (p->tok.kind == T_ELLIPSIS)
					ps_unsup(p, p->tok.line, p->tok.col,
						 "variadic call");
				if (p->tok.kind != T_RPAREN)
					ps_expect(p, T_COMMA);
			}
			ps_next(p);
			p->nolit = save;
			c->list = args.v;
			c->nlist = args.n;
			n = c;
		} else if (p->tok.kind == T_LBRACE && !p->nolit &&
			   could_be_type(n)) {
			ps_unsup(p, line, col, "composite literal");
		} else {
			return n;
		}
	}
}

/* UnaryExpr = PrimaryExpr | unary_op UnaryExpr */
static struct node *parse_unary(struct parser *p)
{
	ps_enter(p);
	struct node *n;
	int k = p->tok.kind;
	if (k == T_ADD || k == T_SUB || k == T_NOT || k == T_XOR ||
	    k == T_MUL || k == T_AND || k == T_ARROW) {
		n = ps_mk_here(p, N_UNARY);
		n->op = k;
		ps_next(p);
		if (k == T_ARROW && p->tok.kind == T_CHAN)
			ps_unsup(p, n->line, n->col,
				 "receive-only channel type");
		n->a = parse_unary(p);
	} else if (k == T_TILDE) {
		fe_fatal(p->fx, p->tok.line, p->tok.col,
			 "syntax error: unexpected ~, expected expression");
	} else {
		n = parse_primary(p);
	}
	ps_leave(p);
	return n;
}

/* binary_op = "||" | "&&" | rel_op | add_op | mul_op . (precedence 1..5) */
static int precedence(int k)
{
	switch (k) {
	case T_LOR:
		return 1;
	case T_LAND:
		return 2;
	case T_EQL:
	case T_NEQ:
	case T_LSS:
	case T_LEQ:
	case T_GTR:
	case T_GEQ:
		return 3;
	case T_ADD:
	case T_SUB:
	case T_OR:
	case T_XOR:
		return 4;
	case T_MUL:
	case T_QUO:
	case T_REM:
	case T_SHL:
	case T_SHR:
	case T_AND:
	case T_ANDNOT:
		return 5;
	}
	return 0;
}

/* BinaryExpr = UnaryExpr { binary_op UnaryExpr }, by precedence */
static struct node *parse_binary(struct parser *p, int minprec)
{
	ps_enter(p);
	struct node *x = parse_unary(p);
	for (;;) {
		int prec = precedence(p->tok.kind);
		if (prec < minprec || prec == 0)
			break;
		struct node *b = ps_mk_here(p, N_BINARY);
		b->op = p->tok.kind;
		ps_next(p);
		b->a = x;
		b->b = parse_binary(p, prec + 1);
		x = b;
	}
	ps_leave(p);
	return x;
}

/* Expression = UnaryExpr | Expression binary_op Expression . */
struct node *parse_expr(struct parser *p) { return parse_binary(p, 1); }

/* ExpressionList = Expression { "," Expression } . */
struct nlist parse_expr_list(struct parser *p)
{
	struct nlist l = {0};
	do
		ps_push(p, &l, parse_expr(p));
	while (ps_accept(p, T_COMMA));
	return l;
}
