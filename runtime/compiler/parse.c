/*
 * parse.c -- recursive-descent parser for the gosub subset of Go: tokens,
 * node helpers, declarations and the file (expressions: parse_expr.c,
 * statements: parse_stmt.c, shared: parse.h). Each parse function carries
 * its grammar rule. Constructs Go has and gosub does
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

#include "parse.h"

void ps_next(struct parser *p)
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

_Noreturn void ps_syntax(struct parser *p, const char *want)
{
	fe_fatal(p->fx, p->tok.line, p->tok.col,
		 "syntax error: unexpected %s, expected %s", tok_desc(p), want);
}

_Noreturn void ps_unsup(struct parser *p, int line, int col, const char *what)
{
	fe_fatal(p->fx, line, col, "%s is not supported by gosub", what);
}

void ps_expect(struct parser *p, int kind)
{
	if (p->tok.kind != kind)
		ps_syntax(p, tok_name(kind));
	ps_next(p);
}

int ps_accept(struct parser *p, int kind)
{
	if (p->tok.kind != kind)
		return 0;
	ps_next(p);
	return 1;
}

void ps_enter(struct parser *p)
{
	if (++p->depth > FE_MAX_DEPTH)
		fe_fatal(p->fx, p->tok.line, p->tok.col,
			 "nesting too deep (gosub limit is %d)", FE_MAX_DEPTH);
}

void ps_leave(struct parser *p) { p->depth--; }

struct node *ps_mk(struct parser *p, int kind, int line, int col)
{
	struct node *n = fe_alloc(p->fx, sizeof(*n));
	n->kind = kind;
	n->line = line;
	n->col = col;
	return n;
}

struct node *ps_mk_here(struct parser *p, int kind)
{
	return ps_mk(p, kind, p->tok.line, p->tok.col);
}

void ps_push(struct parser *p, struct nlist *l, struct node *n)
{
	FE_PUSH(p->fx, l->v, l->n, l->cap, n);
}

/* identifier = letter { letter | unicode_digit } . */
const char *ps_ident(struct parser *p)
{
	if (p->tok.kind != T_IDENT)
		ps_syntax(p, "name");
	const char *s = p->tok.text;
	ps_next(p);
	return s;
}

/* VarSpec = IdentList [ Type ] [ "=" ExprList ]  (also ConstSpec) */
static struct node *parse_var_spec(struct parser *p, int kind)
{
	struct node *n = ps_mk_here(p, kind);
	struct nlist names = {0};
	do {
		struct node *id = ps_mk_here(p, N_IDENT);
		id->name = ps_ident(p);
		ps_push(p, &names, id);
	} while (ps_accept(p, T_COMMA));
	n->list = names.v;
	n->nlist = names.n;
	if (p->tok.kind != T_ASSIGN && p->tok.kind != T_SEMI &&
	    p->tok.kind != T_RPAREN)
		n->a = parse_type(p);
	if (ps_accept(p, T_ASSIGN)) {
		struct nlist vals = parse_expr_list(p);
		n->list2 = vals.v;
		n->nlist2 = vals.n;
	}
	return n;
}

/* VarDecl = "var" ( VarSpec | "(" { VarSpec ";" } ")" ); pushes specs */
void parse_var_decl(struct parser *p, struct nlist *out, int kind)
{
	ps_next(p);
	if (ps_accept(p, T_LPAREN)) {
		while (p->tok.kind != T_RPAREN) {
			ps_push(p, out, parse_var_spec(p, kind));
			if (p->tok.kind != T_RPAREN)
				ps_expect(p, T_SEMI);
		}
		ps_next(p);
	} else {
		ps_push(p, out, parse_var_spec(p, kind));
	}
}

/* Parameters = "(" [ ParameterDecl { "," ParameterDecl } [ "," ] ] ")"
   ParameterDecl = [ IdentList ] Type */
static void parse_params(struct parser *p, struct node *fn)
{
	struct nlist items = {0};
	ps_expect(p, T_LPAREN);
	int named = 0;
	while (p->tok.kind != T_RPAREN) {
		struct node *it = ps_mk_here(p, N_FIELDDECL);
		if (p->tok.kind == T_ELLIPSIS)
			ps_unsup(p, p->tok.line, p->tok.col,
				 "variadic parameter");
		if (p->tok.kind == T_IDENT) {
			const struct token *la = lookahead(p);
			if (la->kind != T_COMMA && la->kind != T_RPAREN &&
			    la->kind != T_PERIOD) {
				it->name = ps_ident(p);
				if (p->tok.kind == T_ELLIPSIS)
					ps_unsup(p, p->tok.line, p->tok.col,
						 "variadic parameter");
				it->a = parse_type(p);
				named = 1;
			} else {
				it->b = parse_type(p); /* name or type */
			}
		} else {
			it->b = parse_type(p);
		}
		ps_push(p, &items, it);
		if (p->tok.kind != T_RPAREN)
			ps_expect(p, T_COMMA);
	}
	ps_next(p);
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
	struct node *fn = ps_mk_here(p, N_FUNC);
	ps_next(p);
	if (p->tok.kind == T_LPAREN)
		ps_unsup(p, fn->line, fn->col, "method");
	fn->line = p->tok.line;
	fn->col = p->tok.col;
	fn->name = ps_ident(p);
	if (p->tok.kind == T_LBRACK)
		ps_unsup(p, p->tok.line, p->tok.col, "generic function");
	parse_params(p, fn);
	if (p->tok.kind == T_LPAREN) {
		int line = p->tok.line, col = p->tok.col;
		ps_next(p);
		if (p->tok.kind == T_IDENT) {
			const struct token *la = lookahead(p);
			if (la->kind == T_COMMA)
				ps_unsup(p, line, col, "multiple result");
			if (la->kind != T_RPAREN && la->kind != T_PERIOD)
				ps_unsup(p, line, col, "named result");
		}
		fn->a = parse_type(p);
		if (p->tok.kind != T_RPAREN)
			ps_unsup(p, line, col, "multiple result");
		ps_next(p);
	} else if (p->tok.kind != T_LBRACE && p->tok.kind != T_SEMI) {
		fn->a = parse_type(p);
	}
	if (p->tok.kind != T_LBRACE)
		fe_fatal(p->fx, fn->line, fn->col, "missing function body");
	fn->b = parse_block(p);
	return fn;
}

/* ImportSpec = string_lit . (only "runtime") */
static void parse_import_spec(struct parser *p, struct nlist *out)
{
	if (p->tok.kind == T_IDENT || p->tok.kind == T_PERIOD)
		ps_unsup(p, p->tok.line, p->tok.col, "import alias");
	if (p->tok.kind != T_STRING)
		ps_syntax(p, "import path");
	struct node *n = ps_mk_here(p, N_IMPORT);
	n->str = p->tok.text;
	n->slen = p->tok.len;
	if (strlen(n->str) != (size_t)n->slen || strcmp(n->str, "runtime"))
		fe_fatal(p->fx, n->line, n->col,
			 "import of \"%s\" is not supported by gosub (only "
			 "\"runtime\")",
			 n->str);
	ps_next(p);
	ps_push(p, out, n);
}

/* TypeSpec = identifier Type . */
static void parse_type_spec(struct parser *p, struct nlist *out)
{
	struct node *n = ps_mk_here(p, N_TYPEDECL);
	n->name = ps_ident(p);
	if (p->tok.kind == T_ASSIGN)
		ps_unsup(p, p->tok.line, p->tok.col, "type alias");
	if (p->tok.kind == T_LBRACK)
		ps_unsup(p, p->tok.line, p->tok.col, "generic type");
	n->a = parse_type(p);
	ps_push(p, out, n);
}

/* Decl = keyword ( Spec | "(" { Spec ";" } ")" ) . */
static void parse_grouped(struct parser *p, struct nlist *out,
			  void (*spec)(struct parser *, struct nlist *))
{
	ps_next(p);
	if (ps_accept(p, T_LPAREN)) {
		while (p->tok.kind != T_RPAREN) {
			spec(p, out);
			if (p->tok.kind != T_RPAREN)
				ps_expect(p, T_SEMI);
		}
		ps_next(p);
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
	ps_next(p);
	struct node *file = ps_mk_here(p, N_BLOCK);
	struct nlist decls = {0};
	if (p->tok.kind != T_PACKAGE)
		fe_fatal(fx, p->tok.line, p->tok.col,
			 "syntax error: package statement must be first");
	ps_next(p);
	int line = p->tok.line, col = p->tok.col;
	const char *pkg = ps_ident(p);
	if (strcmp(pkg, "main"))
		fe_fatal(fx, line, col,
			 "package %s is not supported by gosub (only main)",
			 pkg);
	ps_expect(p, T_SEMI);
	while (p->tok.kind == T_IMPORT) {
		parse_grouped(p, &decls, parse_import_spec);
		if (p->tok.kind != T_EOF)
			ps_expect(p, T_SEMI);
	}
	while (p->tok.kind != T_EOF) {
		switch (p->tok.kind) {
		case T_FUNC:
			ps_push(p, &decls, parse_func(p));
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
			ps_syntax(p, "declaration");
		}
		if (p->tok.kind != T_EOF && p->tok.kind != T_SEMI)
			ps_syntax(p, "semicolon or newline after declaration");
		if (p->tok.kind == T_SEMI)
			ps_next(p);
	}
	file->list = decls.v;
	file->nlist = decls.n;
	return file;
}
