/*
 * parse.c -- recursive-descent parser for the gosub subset of Go. Each
 * parse function carries its grammar rule. Constructs Go has and gosub does
 * not are parsed far enough to be recognised and refused with
 * "<what> is not supported by gosub" at their position.
 *
 * Node layouts (ast.h struct node):
 *   N_INT ival  N_STRING str/slen  N_IDENT name  N_PAREN a
 *   N_UNARY op a   N_BINARY op a b   N_CALL a(args: list)
 *   N_SELECT a.name   N_INDEX a[b]
 *   N_TPTR *a   N_TARRAY [a]b   N_TCHAN chan a   N_TSTRUCT list of
 *   N_FIELDDECL (name, a = type)
 *   N_BLOCK list   N_VAR/N_CONST list = names, a = type, list2 = values
 *   N_DEFINE/N_ASSIGN list = lhs, list2 = rhs   N_OPASSIGN a op= b
 *   N_INCDEC a op   N_IF a init, b cond, c then, d else
 *   N_FOR a init, b cond, c post, d body   N_RETURN a   N_EXPRSTMT a
 *   N_GO a (a call)   N_SEND a <- b
 *   N_FUNC name, list2 params (N_FIELDDECL), a result type, b body
 *   N_TYPEDECL name a   N_IMPORT str   file: N_BLOCK of top-level decls
 *
 * Invariants: AST-3 (depth bounded by FE_MAX_DEPTH); every syntax error is
 * fatal (one diagnostic, AST-2), so the parser never needs to resync.
 */
#include <string.h>

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

static void next(struct parser *p)
{
	if (p->has_peek) {
		p->tok = p->peek;
		p->has_peek = 0;
	} else {
		lex_next(&p->lx, &p->tok);
	}
}

static const struct token *lookahead(struct parser *p)
{
	if (!p->has_peek) {
		lex_next(&p->lx, &p->peek);
		p->has_peek = 1;
	}
	return &p->peek;
}

static const char *tok_desc(struct parser *p)
{
	const struct token *t = &p->tok;
	if (t->kind == T_SEMI && t->implicit)
		return "newline";
	if (t->kind == T_IDENT)
		return fe_printf(p->fx, "name %s", t->text);
	if (t->kind >= T_INT && t->kind <= T_STRING)
		return "literal";
	if (t->kind == T_EOF)
		return "EOF";
	if (t->kind >= T_BREAK && t->kind <= T_VAR)
		return fe_printf(p->fx, "keyword %s", tok_name(t->kind));
	return tok_name(t->kind);
}

static _Noreturn void syntax(struct parser *p, const char *want)
{
	fe_fatal(p->fx, p->tok.line, p->tok.col,
		 "syntax error: unexpected %s, expected %s", tok_desc(p),
		 want);
}

static _Noreturn void unsup(struct parser *p, int line, int col,
			    const char *what)
{
	fe_fatal(p->fx, line, col, "%s is not supported by gosub", what);
}

static void expect(struct parser *p, int kind)
{
	if (p->tok.kind != kind)
		syntax(p, tok_name(kind));
	next(p);
}

static int accept(struct parser *p, int kind)
{
	if (p->tok.kind != kind)
		return 0;
	next(p);
	return 1;
}

static void enter(struct parser *p)
{
	if (++p->depth > FE_MAX_DEPTH)
		fe_fatal(p->fx, p->tok.line, p->tok.col,
			 "nesting too deep (gosub limit is %d)",
			 FE_MAX_DEPTH);
}

static void leave(struct parser *p)
{
	p->depth--;
}

static struct node *mk(struct parser *p, int kind, int line, int col)
{
	struct node *n = fe_alloc(p->fx, sizeof(*n));
	n->kind = kind;
	n->line = line;
	n->col = col;
	return n;
}

static struct node *mk_here(struct parser *p, int kind)
{
	return mk(p, kind, p->tok.line, p->tok.col);
}

struct nlist {
	struct node **v;
	int n, cap;
};

static void nl_push(struct parser *p, struct nlist *l, struct node *n)
{
	FE_PUSH(p->fx, l->v, l->n, l->cap, n);
}

static struct node *parse_expr(struct parser *p);
static struct node *parse_type(struct parser *p);
static struct node *parse_block(struct parser *p);
static struct node *parse_simple_stmt(struct parser *p);

static const char *ident(struct parser *p)
{
	if (p->tok.kind != T_IDENT)
		syntax(p, "name");
	const char *s = p->tok.text;
	next(p);
	return s;
}

/* ---- types ---- */

/* StructType = "struct" "{" { IdentList Type ";" } "}" */
static struct node *parse_struct_type(struct parser *p)
{
	struct node *n = mk_here(p, N_TSTRUCT);
	struct nlist fields = {0};
	expect(p, T_STRUCT);
	expect(p, T_LBRACE);
	while (p->tok.kind != T_RBRACE) {
		struct nlist names = {0};
		if (p->tok.kind == T_MUL)
			unsup(p, p->tok.line, p->tok.col, "embedded field");
		do {
			struct node *f = mk_here(p, N_FIELDDECL);
			f->name = ident(p);
			nl_push(p, &names, f);
		} while (accept(p, T_COMMA));
		if (p->tok.kind == T_SEMI || p->tok.kind == T_RBRACE)
			unsup(p, names.v[0]->line, names.v[0]->col,
			      "embedded field");
		struct node *t = parse_type(p);
		if (p->tok.kind == T_STRING)
			unsup(p, p->tok.line, p->tok.col, "struct tag");
		for (int i = 0; i < names.n; i++) {
			names.v[i]->a = t;
			nl_push(p, &fields, names.v[i]);
		}
		if (p->tok.kind != T_RBRACE)
			expect(p, T_SEMI);
	}
	next(p);
	n->list = fields.v;
	n->nlist = fields.n;
	return n;
}

/* Type = TypeName | "*" Type | "[" Expr "]" Type | "chan" Type
        | StructType | "(" Type ")" */
static struct node *parse_type(struct parser *p)
{
	enter(p);
	int line = p->tok.line, col = p->tok.col;
	struct node *n;
	switch (p->tok.kind) {
	case T_IDENT:
		n = mk_here(p, N_IDENT);
		n->name = ident(p);
		if (p->tok.kind == T_PERIOD)
			unsup(p, line, col, "qualified type name");
		break;
	case T_MUL:
		next(p);
		n = mk(p, N_TPTR, line, col);
		n->a = parse_type(p);
		break;
	case T_LBRACK:
		next(p);
		if (p->tok.kind == T_RBRACK)
			unsup(p, line, col, "slice type");
		if (p->tok.kind == T_ELLIPSIS)
			unsup(p, line, col, "[...] array type");
		n = mk(p, N_TARRAY, line, col);
		p->nolit++;
		n->a = parse_expr(p);
		p->nolit--;
		expect(p, T_RBRACK);
		n->b = parse_type(p);
		break;
	case T_CHAN:
		next(p);
		if (p->tok.kind == T_ARROW)
			unsup(p, line, col, "send-only channel type");
		n = mk(p, N_TCHAN, line, col);
		n->a = parse_type(p);
		break;
	case T_ARROW:
		unsup(p, line, col, "receive-only channel type");
	case T_STRUCT:
		n = parse_struct_type(p);
		break;
	case T_LPAREN:
		next(p);
		n = parse_type(p);
		expect(p, T_RPAREN);
		break;
	case T_MAP:
		unsup(p, line, col, "map type");
	case T_FUNC:
		unsup(p, line, col, "function type");
	case T_INTERFACE:
		unsup(p, line, col, "interface type");
	default:
		syntax(p, "type");
	}
	leave(p);
	return n;
}

/* ---- expressions ---- */

/* Operand = int_lit | string_lit | identifier | "(" Expr ")" | Type */
static struct node *parse_operand(struct parser *p)
{
	int line = p->tok.line, col = p->tok.col;
	struct node *n;
	switch (p->tok.kind) {
	case T_INT:
		n = mk_here(p, N_INT);
		n->ival = p->tok.ival;
		n->overflow = p->tok.overflow;
		next(p);
		return n;
	case T_STRING:
		n = mk_here(p, N_STRING);
		n->str = p->tok.text;
		n->slen = p->tok.len;
		next(p);
		return n;
	case T_FLOAT:
		unsup(p, line, col, "floating-point number");
	case T_IMAG:
		unsup(p, line, col, "complex number");
	case T_CHAR:
		unsup(p, line, col, "rune literal");
	case T_IDENT:
		n = mk_here(p, N_IDENT);
		n->name = ident(p);
		return n;
	case T_LPAREN: {
		next(p);
		int save = p->nolit;
		p->nolit = 0;
		n = mk(p, N_PAREN, line, col);
		n->a = parse_expr(p);
		p->nolit = save;
		expect(p, T_RPAREN);
		return n;
	}
	case T_FUNC:
		unsup(p, line, col, "function literal");
	case T_LBRACK: case T_CHAN: case T_STRUCT: case T_MAP:
	case T_INTERFACE:
		return parse_type(p);
	default:
		syntax(p, "expression");
	}
}

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
			next(p);
			if (p->tok.kind == T_LPAREN)
				unsup(p, line, col, "type assertion");
			struct node *s = mk(p, N_SELECT, n->line, n->col);
			s->a = n;
			s->line = p->tok.line; /* Go positions selectors */
			s->col = p->tok.col;   /* at the selected name */
			s->line = n->line;
			s->col = n->col;
			s->name = ident(p);
			n = s;
		} else if (p->tok.kind == T_LBRACK) {
			next(p);
			int save = p->nolit;
			p->nolit = 0;
			if (p->tok.kind == T_COLON)
				unsup(p, line, col, "slice expression");
			struct node *ix = mk(p, N_INDEX, line, col);
			ix->a = n;
			ix->b = parse_expr(p);
			if (p->tok.kind == T_COLON)
				unsup(p, line, col, "slice expression");
			if (p->tok.kind == T_COMMA)
				unsup(p, line, col, "generic instantiation");
			p->nolit = save;
			expect(p, T_RBRACK);
			n = ix;
		} else if (p->tok.kind == T_LPAREN) {
			next(p);
			int save = p->nolit;
			p->nolit = 0;
			struct node *c = mk(p, N_CALL, line, col);
			struct nlist args = {0};
			c->a = n;
			while (p->tok.kind != T_RPAREN) {
				nl_push(p, &args, parse_expr(p));
				if (p->tok.kind == T_ELLIPSIS)
					unsup(p, p->tok.line, p->tok.col,
					      "variadic call");
				if (p->tok.kind != T_RPAREN)
					expect(p, T_COMMA);
			}
			next(p);
			p->nolit = save;
			c->list = args.v;
			c->nlist = args.n;
			n = c;
		} else if (p->tok.kind == T_LBRACE && !p->nolit &&
			   could_be_type(n)) {
			unsup(p, line, col, "composite literal");
		} else {
			return n;
		}
	}
}

/* UnaryExpr = PrimaryExpr | unary_op UnaryExpr */
static struct node *parse_unary(struct parser *p)
{
	enter(p);
	struct node *n;
	int k = p->tok.kind;
	if (k == T_ADD || k == T_SUB || k == T_NOT || k == T_XOR ||
	    k == T_MUL || k == T_AND || k == T_ARROW) {
		n = mk_here(p, N_UNARY);
		n->op = k;
		next(p);
		if (k == T_ARROW && p->tok.kind == T_CHAN)
			unsup(p, n->line, n->col, "receive-only channel type");
		n->a = parse_unary(p);
	} else if (k == T_TILDE) {
		fe_fatal(p->fx, p->tok.line, p->tok.col,
			 "syntax error: unexpected ~, expected expression");
	} else {
		n = parse_primary(p);
	}
	leave(p);
	return n;
}

static int precedence(int k)
{
	switch (k) {
	case T_LOR:
		return 1;
	case T_LAND:
		return 2;
	case T_EQL: case T_NEQ: case T_LSS: case T_LEQ: case T_GTR:
	case T_GEQ:
		return 3;
	case T_ADD: case T_SUB: case T_OR: case T_XOR:
		return 4;
	case T_MUL: case T_QUO: case T_REM: case T_SHL: case T_SHR:
	case T_AND: case T_ANDNOT:
		return 5;
	}
	return 0;
}

/* BinaryExpr = UnaryExpr { binary_op UnaryExpr }, by precedence */
static struct node *parse_binary(struct parser *p, int minprec)
{
	enter(p);
	struct node *x = parse_unary(p);
	for (;;) {
		int prec = precedence(p->tok.kind);
		if (prec < minprec || prec == 0)
			break;
		struct node *b = mk_here(p, N_BINARY);
		b->op = p->tok.kind;
		next(p);
		b->a = x;
		b->b = parse_binary(p, prec + 1);
		x = b;
	}
	leave(p);
	return x;
}

static struct node *parse_expr(struct parser *p)
{
	return parse_binary(p, 1);
}

static struct nlist parse_expr_list(struct parser *p)
{
	struct nlist l = {0};
	do
		nl_push(p, &l, parse_expr(p));
	while (accept(p, T_COMMA));
	return l;
}

/* ---- statements ---- */

static int is_assign_op(int k)
{
	return k >= T_ADD_ASSIGN && k <= T_ANDNOT_ASSIGN;
}

static int assign_to_binop(int k)
{
	return T_ADD + (k - T_ADD_ASSIGN);
}

/* SimpleStmt = ExprStmt | SendStmt | IncDecStmt | Assignment | ShortVarDecl */
static struct node *parse_simple_stmt(struct parser *p)
{
	int line = p->tok.line, col = p->tok.col;
	struct nlist lhs = parse_expr_list(p);
	int k = p->tok.kind;
	struct node *n;
	if (k == T_DEFINE || k == T_ASSIGN) {
		int oline = p->tok.line, ocol = p->tok.col;
		next(p);
		if (p->tok.kind == T_RANGE)
			unsup(p, p->tok.line, p->tok.col, "range clause");
		struct nlist rhs = parse_expr_list(p);
		n = mk(p, k == T_DEFINE ? N_DEFINE : N_ASSIGN, oline, ocol);
		n->list = lhs.v;
		n->nlist = lhs.n;
		n->list2 = rhs.v;
		n->nlist2 = rhs.n;
		return n;
	}
	if (lhs.n > 1)
		syntax(p, ":= or = or comma");
	if (is_assign_op(k)) {
		n = mk_here(p, N_OPASSIGN);
		n->op = assign_to_binop(k);
		next(p);
		n->a = lhs.v[0];
		n->b = parse_expr(p);
		return n;
	}
	if (k == T_INC || k == T_DEC) {
		n = mk_here(p, N_INCDEC);
		n->op = k;
		next(p);
		n->a = lhs.v[0];
		return n;
	}
	if (k == T_ARROW) {
		n = mk_here(p, N_SEND);
		next(p);
		n->a = lhs.v[0];
		n->b = parse_expr(p);
		return n;
	}
	if (k == T_COLON && lhs.v[0]->kind == N_IDENT)
		unsup(p, line, col, "label");
	n = mk(p, N_EXPRSTMT, line, col);
	n->a = lhs.v[0];
	return n;
}

/* VarSpec = IdentList [ Type ] [ "=" ExprList ]  (also ConstSpec) */
static struct node *parse_var_spec(struct parser *p, int kind)
{
	struct node *n = mk_here(p, kind);
	struct nlist names = {0};
	do {
		struct node *id = mk_here(p, N_IDENT);
		id->name = ident(p);
		nl_push(p, &names, id);
	} while (accept(p, T_COMMA));
	n->list = names.v;
	n->nlist = names.n;
	if (p->tok.kind != T_ASSIGN && p->tok.kind != T_SEMI &&
	    p->tok.kind != T_RPAREN)
		n->a = parse_type(p);
	if (accept(p, T_ASSIGN)) {
		struct nlist vals = parse_expr_list(p);
		n->list2 = vals.v;
		n->nlist2 = vals.n;
	}
	return n;
}

/* VarDecl = "var" ( VarSpec | "(" { VarSpec ";" } ")" ); pushes specs */
static void parse_var_decl(struct parser *p, struct nlist *out, int kind)
{
	next(p);
	if (accept(p, T_LPAREN)) {
		while (p->tok.kind != T_RPAREN) {
			nl_push(p, out, parse_var_spec(p, kind));
			if (p->tok.kind != T_RPAREN)
				expect(p, T_SEMI);
		}
		next(p);
	} else {
		nl_push(p, out, parse_var_spec(p, kind));
	}
}

static struct node *parse_stmt(struct parser *p, struct nlist *out);

/* IfStmt = "if" [ SimpleStmt ";" ] Expr Block [ "else" ( IfStmt | Block ) ] */
static struct node *parse_if(struct parser *p)
{
	struct node *n = mk_here(p, N_IF);
	next(p);
	p->nolit++;
	if (p->tok.kind == T_LBRACE)
		fe_fatal(p->fx, n->line, n->col, "missing condition in if statement");
	struct node *s = p->tok.kind == T_SEMI ? NULL : parse_simple_stmt(p);
	if (accept(p, T_SEMI)) {
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
	if (accept(p, T_ELSE)) {
		if (p->tok.kind == T_IF)
			n->d = parse_if(p);
		else if (p->tok.kind == T_LBRACE)
			n->d = parse_block(p);
		else
			syntax(p, "if statement or block");
	}
	return n;
}

/* ForStmt = "for" [ Expr | SimpleStmt ";" [ Expr ] ";" SimpleStmt ] Block */
static struct node *parse_for(struct parser *p)
{
	struct node *n = mk_here(p, N_FOR);
	next(p);
	p->nolit++;
	if (p->tok.kind == T_RANGE)
		unsup(p, p->tok.line, p->tok.col, "range clause");
	if (p->tok.kind != T_LBRACE) {
		struct node *s = p->tok.kind == T_SEMI ? NULL
						       : parse_simple_stmt(p);
		if (p->tok.kind == T_SEMI) {
			next(p);
			n->a = s;
			if (p->tok.kind != T_SEMI) {
				struct node *c = parse_simple_stmt(p);
				if (c->kind != N_EXPRSTMT)
					fe_fatal(p->fx, c->line, c->col,
						 "cannot use statement as "
						 "value");
				n->b = c->a;
			}
			expect(p, T_SEMI);
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

static const char *unsupported_stmt(int k)
{
	switch (k) {
	case T_SWITCH: return "switch statement";
	case T_SELECT: return "select statement";
	case T_DEFER: return "defer statement";
	case T_GOTO: return "goto statement";
	case T_FALLTHROUGH: return "fallthrough statement";
	case T_TYPE: return "local type declaration";
	case T_FUNC: return "nested function";
	case T_CASE: return "case clause";
	case T_DEFAULT: return "default clause";
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
		unsup(p, line, col, u);
	enter(p);
	switch (p->tok.kind) {
	case T_VAR:
	case T_CONST:
		parse_var_decl(p, out, p->tok.kind == T_VAR ? N_VAR : N_CONST);
		leave(p);
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
		n = mk_here(p, p->tok.kind == T_BREAK ? N_BREAK : N_CONTINUE);
		next(p);
		if (p->tok.kind == T_IDENT)
			unsup(p, p->tok.line, p->tok.col, "labeled " "branch");
		break;
	case T_RETURN:
		n = mk_here(p, N_RETURN);
		next(p);
		if (p->tok.kind != T_SEMI && p->tok.kind != T_RBRACE) {
			n->a = parse_expr(p);
			if (p->tok.kind == T_COMMA)
				unsup(p, p->tok.line, p->tok.col,
				      "multiple return value");
		}
		break;
	case T_GO:
		n = mk_here(p, N_GO);
		next(p);
		n->a = parse_expr(p);
		break;
	case T_SEMI:
	case T_RBRACE:
		n = mk_here(p, N_EMPTY);
		break;
	default:
		n = parse_simple_stmt(p);
		break;
	}
	leave(p);
	return n;
}

/* Block = "{" { Statement ";" } "}" */
static struct node *parse_block(struct parser *p)
{
	struct node *b = mk_here(p, N_BLOCK);
	struct nlist stmts = {0};
	expect(p, T_LBRACE);
	enter(p);
	while (p->tok.kind != T_RBRACE) {
		if (p->tok.kind == T_EOF)
			syntax(p, "}");
		struct node *s = parse_stmt(p, &stmts);
		if (s && s->kind != N_EMPTY)
			nl_push(p, &stmts, s);
		if (p->tok.kind == T_RBRACE)
			break;
		if (p->tok.kind != T_SEMI)
			syntax(p, "semicolon, newline, or }");
		next(p);
	}
	leave(p);
	b->eline = p->tok.line;
	b->ecol = p->tok.col;
	next(p);
	b->list = stmts.v;
	b->nlist = stmts.n;
	return b;
}

/* ---- top level ---- */

/* Parameters = "(" [ ParameterDecl { "," ParameterDecl } [ "," ] ] ")"
   ParameterDecl = [ IdentList ] Type */
static void parse_params(struct parser *p, struct node *fn)
{
	struct nlist items = {0};
	expect(p, T_LPAREN);
	int named = 0;
	while (p->tok.kind != T_RPAREN) {
		struct node *it = mk_here(p, N_FIELDDECL);
		if (p->tok.kind == T_ELLIPSIS)
			unsup(p, p->tok.line, p->tok.col, "variadic parameter");
		if (p->tok.kind == T_IDENT) {
			const struct token *la = lookahead(p);
			if (la->kind != T_COMMA && la->kind != T_RPAREN &&
			    la->kind != T_PERIOD) {
				it->name = ident(p);
				if (p->tok.kind == T_ELLIPSIS)
					unsup(p, p->tok.line, p->tok.col,
					      "variadic parameter");
				it->a = parse_type(p);
				named = 1;
			} else {
				it->b = parse_type(p); /* name or type */
			}
		} else {
			it->b = parse_type(p);
		}
		nl_push(p, &items, it);
		if (p->tok.kind != T_RPAREN)
			expect(p, T_COMMA);
	}
	next(p);
	/* "a, b int": bare names take the type of the next named item */
	struct node *t = NULL;
	for (int i = items.n - 1; i >= 0; i--) {
		struct node *it = items.v[i];
		if (!named) {
			it->a = it->b;
			continue;
		}
		if (it->a) {
			t = it->a;
			continue;
		}
		if (it->b->kind != N_IDENT || !t)
			fe_fatal(p->fx, it->line, it->col,
				 "syntax error: mixed named and unnamed "
				 "parameters");
		it->name = it->b->name;
		it->a = t;
	}
	fn->list2 = items.v;
	fn->nlist2 = items.n;
}

/* FunctionDecl = "func" FunctionName Signature [ FunctionBody ]
   Signature = Parameters [ Type | "(" Type ")" ] */
static struct node *parse_func(struct parser *p)
{
	struct node *fn = mk_here(p, N_FUNC);
	next(p);
	if (p->tok.kind == T_LPAREN)
		unsup(p, fn->line, fn->col, "method");
	fn->line = p->tok.line;
	fn->col = p->tok.col;
	fn->name = ident(p);
	if (p->tok.kind == T_LBRACK)
		unsup(p, p->tok.line, p->tok.col, "generic function");
	parse_params(p, fn);
	if (p->tok.kind == T_LPAREN) {
		int line = p->tok.line, col = p->tok.col;
		next(p);
		if (p->tok.kind == T_IDENT) {
			const struct token *la = lookahead(p);
			if (la->kind == T_COMMA)
				unsup(p, line, col, "multiple result");
			if (la->kind != T_RPAREN && la->kind != T_PERIOD)
				unsup(p, line, col, "named result");
		}
		fn->a = parse_type(p);
		if (p->tok.kind != T_RPAREN)
			unsup(p, line, col, "multiple result");
		next(p);
	} else if (p->tok.kind != T_LBRACE && p->tok.kind != T_SEMI) {
		fn->a = parse_type(p);
	}
	if (p->tok.kind != T_LBRACE)
		fe_fatal(p->fx, fn->line, fn->col,
			 "missing function body");
	fn->b = parse_block(p);
	return fn;
}

static void parse_import_spec(struct parser *p, struct nlist *out)
{
	if (p->tok.kind == T_IDENT || p->tok.kind == T_PERIOD)
		unsup(p, p->tok.line, p->tok.col, "import alias");
	if (p->tok.kind != T_STRING)
		syntax(p, "import path");
	struct node *n = mk_here(p, N_IMPORT);
	n->str = p->tok.text;
	n->slen = p->tok.len;
	if (strlen(n->str) != (size_t)n->slen || strcmp(n->str, "runtime"))
		fe_fatal(p->fx, n->line, n->col,
			 "import of \"%s\" is not supported by gosub (only "
			 "\"runtime\")",
			 n->str);
	next(p);
	nl_push(p, out, n);
}

static void parse_type_spec(struct parser *p, struct nlist *out)
{
	struct node *n = mk_here(p, N_TYPEDECL);
	n->name = ident(p);
	if (p->tok.kind == T_ASSIGN)
		unsup(p, p->tok.line, p->tok.col, "type alias");
	if (p->tok.kind == T_LBRACK)
		unsup(p, p->tok.line, p->tok.col, "generic type");
	n->a = parse_type(p);
	nl_push(p, out, n);
}

static void parse_grouped(struct parser *p, struct nlist *out,
			  void (*spec)(struct parser *, struct nlist *))
{
	next(p);
	if (accept(p, T_LPAREN)) {
		while (p->tok.kind != T_RPAREN) {
			spec(p, out);
			if (p->tok.kind != T_RPAREN)
				expect(p, T_SEMI);
		}
		next(p);
	} else {
		spec(p, out);
	}
}

/* SourceFile = PackageClause ";" { ImportDecl ";" } { TopLevelDecl ";" } */
struct node *parse_file(struct fe_ctx *fx, const char *src, size_t len)
{
	struct parser ps, *p = &ps;
	memset(p, 0, sizeof(*p));
	p->fx = fx;
	lex_init(&p->lx, fx, src, len);
	next(p);
	struct node *file = mk_here(p, N_BLOCK);
	struct nlist decls = {0};
	if (p->tok.kind != T_PACKAGE)
		fe_fatal(fx, p->tok.line, p->tok.col,
			 "syntax error: package statement must be first");
	next(p);
	int line = p->tok.line, col = p->tok.col;
	const char *pkg = ident(p);
	if (strcmp(pkg, "main"))
		fe_fatal(fx, line, col,
			 "package %s is not supported by gosub (only main)",
			 pkg);
	expect(p, T_SEMI);
	while (p->tok.kind == T_IMPORT) {
		parse_grouped(p, &decls, parse_import_spec);
		if (p->tok.kind != T_EOF)
			expect(p, T_SEMI);
	}
	while (p->tok.kind != T_EOF) {
		switch (p->tok.kind) {
		case T_FUNC:
			nl_push(p, &decls, parse_func(p));
			break;
		case T_VAR:
			parse_var_decl(p, &decls, N_VAR);
			break;
		case T_CONST:
			parse_var_decl(p, &decls, N_CONST);
			break;
		case T_TYPE:
			parse_grouped(p, &decls, parse_type_spec);
			break;
		case T_IMPORT:
			fe_fatal(fx, p->tok.line, p->tok.col,
				 "syntax error: imports must appear before "
				 "other declarations");
		default:
			syntax(p, "declaration");
		}
		if (p->tok.kind != T_EOF && p->tok.kind != T_SEMI)
			syntax(p, "semicolon or newline after declaration");
		if (p->tok.kind == T_SEMI)
			next(p);
	}
	file->list = decls.v;
	file->nlist = decls.n;
	return file;
}
