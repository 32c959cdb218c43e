/*
 * lex.c -- the Go lexer of gosub: bytes in, tokens out, with Go's automatic
 * semicolon insertion. Positions are 1-based line and byte column.
 *
 * Invariants: every byte of the input is consumed by exactly one token,
 * comment or white space, so the lexer always advances and ends at T_EOF;
 * any byte sequence that is not Go (NUL, non-ASCII outside literals and
 * comments, unterminated literals/comments) is a fatal diagnostic (AST-2).
 * Literals that Go has but gosub does not (floats, imaginary, runes) are
 * still lexed as tokens so that the parser can name them in its error.
 */
#include <string.h>

#include "ast.h"

static const char *const tok_names[T_NUM_TOKS] = {
    [T_EOF] = "EOF",
    [T_IDENT] = "name",
    [T_INT] = "literal",
    [T_FLOAT] = "literal",
    [T_IMAG] = "literal",
    [T_CHAR] = "literal",
    [T_STRING] = "literal",
    [T_BREAK] = "break",
    [T_CASE] = "case",
    [T_CHAN] = "chan",
    [T_CONST] = "const",
    [T_CONTINUE] = "continue",
    [T_DEFAULT] = "default",
    [T_DEFER] = "defer",
    [T_ELSE] = "else",
    [T_FALLTHROUGH] = "fallthrough",
    [T_FOR] = "for",
    [T_FUNC] = "func",
    [T_GO] = "go",
    [T_GOTO] = "goto",
    [T_IF] = "if",
    [T_IMPORT] = "import",
    [T_INTERFACE] = "interface",
    [T_MAP] = "map",
    [T_PACKAGE] = "package",
    [T_RANGE] = "range",
    [T_RETURN] = "return",
    [T_SELECT] = "select",
    [T_STRUCT] = "struct",
    [T_SWITCH] = "switch",
    [T_TYPE] = "type",
    [T_VAR] = "var",
    [T_ADD] = "+",
    [T_SUB] = "-",
    [T_MUL] = "*",
    [T_QUO] = "/",
    [T_REM] = "%",
    [T_AND] = "&",
    [T_OR] = "|",
    [T_XOR] = "^",
    [T_SHL] = "<<",
    [T_SHR] = ">>",
    [T_ANDNOT] = "&^",
    [T_ADD_ASSIGN] = "+=",
    [T_SUB_ASSIGN] = "-=",
    [T_MUL_ASSIGN] = "*=",
    [T_QUO_ASSIGN] = "/=",
    [T_REM_ASSIGN] = "%=",
    [T_AND_ASSIGN] = "&=",
    [T_OR_ASSIGN] = "|=",
    [T_XOR_ASSIGN] = "^=",
    [T_SHL_ASSIGN] = "<<=",
    [T_SHR_ASSIGN] = ">>=",
    [T_ANDNOT_ASSIGN] = "&^=",
    [T_LAND] = "&&",
    [T_LOR] = "||",
    [T_ARROW] = "<-",
    [T_INC] = "++",
    [T_DEC] = "--",
    [T_EQL] = "==",
    [T_LSS] = "<",
    [T_GTR] = ">",
    [T_ASSIGN] = "=",
    [T_NOT] = "!",
    [T_TILDE] = "~",
    [T_NEQ] = "!=",
    [T_LEQ] = "<=",
    [T_GEQ] = ">=",
    [T_DEFINE] = ":=",
    [T_ELLIPSIS] = "...",
    [T_LPAREN] = "(",
    [T_LBRACK] = "[",
    [T_LBRACE] = "{",
    [T_COMMA] = ",",
    [T_PERIOD] = ".",
    [T_RPAREN] = ")",
    [T_RBRACK] = "]",
    [T_RBRACE] = "}",
    [T_SEMI] = ";",
    [T_COLON] = ":",
};

const char *tok_name(int kind)
{
	if (kind < 0 || kind >= T_NUM_TOKS || !tok_names[kind])
		return "?";
	return tok_names[kind];
}

void lex_init(struct lexer *lx, struct fe_ctx *fx, const char *src, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->fx = fx;
	lx->src = src;
	lx->len = len;
	lx->line = 1;
	lx->col = 1;
	lx->last = T_SEMI;
}

static int peekc(struct lexer *lx, size_t k)
{
	return lx->pos + k < lx->len ? (unsigned char)lx->src[lx->pos + k] : -1;
}

static void adv(struct lexer *lx)
{
	if (lx->pos >= lx->len)
		return;
	if (lx->src[lx->pos] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->pos++;
}

static int is_letter(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

static int needs_semi(int kind)
{
	switch (kind) {
	case T_IDENT:
	case T_INT:
	case T_FLOAT:
	case T_IMAG:
	case T_CHAR:
	case T_STRING:
	case T_BREAK:
	case T_CONTINUE:
	case T_FALLTHROUGH:
	case T_RETURN:
	case T_INC:
	case T_DEC:
	case T_RPAREN:
	case T_RBRACK:
	case T_RBRACE:
		return 1;
	}
	return 0;
}

/* Skips blanks and comments; returns 1 when a newline (or a comment
   spanning one) was crossed. */
static int skip_space(struct lexer *lx)
{
	int nl = 0;
	for (;;) {
		int c = peekc(lx, 0);
		if (c == ' ' || c == '\t' || c == '\r') {
			adv(lx);
		} else if (c == '\n') {
			nl = 1;
			if (needs_semi(lx->last))
				return 1;
			adv(lx);
		} else if (c == '/' && peekc(lx, 1) == '/') {
			while (peekc(lx, 0) != '\n' && peekc(lx, 0) != -1) {
				if (peekc(lx, 0) == 0)
					fe_fatal(lx->fx, lx->line, lx->col,
						 "invalid NUL character");
				adv(lx);
			}
		} else if (c == '/' && peekc(lx, 1) == '*') {
			int line = lx->line, col = lx->col;
			adv(lx);
			adv(lx);
			for (;;) {
				int d = peekc(lx, 0);
				if (d == -1)
					fe_fatal(lx->fx, line, col,
						 "comment not terminated");
				if (d == 0)
					fe_fatal(lx->fx, lx->line, lx->col,
						 "invalid NUL character");
				if (d == '*' && peekc(lx, 1) == '/')
					break;
				if (d == '\n')
					nl = 1;
				adv(lx);
			}
			adv(lx);
			adv(lx);
			if (nl && needs_semi(lx->last))
				return 1;
		} else {
			return nl;
		}
	}
}

static const struct {
	const char *w;
	int k;
} keywords[] = {
    {"break", T_BREAK},
    {"case", T_CASE},
    {"chan", T_CHAN},
    {"const", T_CONST},
    {"continue", T_CONTINUE},
    {"default", T_DEFAULT},
    {"defer", T_DEFER},
    {"else", T_ELSE},
    {"fallthrough", T_FALLTHROUGH},
    {"for", T_FOR},
    {"func", T_FUNC},
    {"go", T_GO},
    {"goto", T_GOTO},
    {"if", T_IF},
    {"import", T_IMPORT},
    {"interface", T_INTERFACE},
    {"map", T_MAP},
    {"package", T_PACKAGE},
    {"range", T_RANGE},
    {"return", T_RETURN},
    {"select", T_SELECT},
    {"struct", T_STRUCT},
    {"switch", T_SWITCH},
    {"type", T_TYPE},
    {"var", T_VAR},
};

static void lex_ident(struct lexer *lx, struct token *t)
{
	size_t start = lx->pos;
	while (is_letter(peekc(lx, 0)) || is_digit(peekc(lx, 0)))
		adv(lx);
	size_t n = lx->pos - start;
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].w) == n &&
		    !memcmp(keywords[i].w, lx->src + start, n)) {
			t->kind = keywords[i].k;
			return;
		}
	t->kind = T_IDENT;
	t->text = fe_strdup(lx->fx, lx->src + start, n);
	t->len = (int)n;
}

static int digit_val(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* number: decimal, 0x, 0o, 0b, legacy octal, with '_' separators;
   floats and imaginaries are recognised only to be refused. */
/* The base of a number literal from its prefix ("0x", "0o", "0b"; a leading
   0 alone may be a legacy octal literal), the prefix consumed. */
static int number_base(struct lexer *lx, int *legacy_octal)
{
	int base = 10;
	if (peekc(lx, 0) == '0') {
		int c = peekc(lx, 1);
		if (c == 'x' || c == 'X')
			base = 16;
		else if (c == 'o' || c == 'O')
			base = 8;
		else if (c == 'b' || c == 'B')
			base = 2;
		if (base != 10) {
			adv(lx);
			adv(lx);
		} else {
			*legacy_octal = 1;
		}
	}
	return base;
}

/* The digits (and '_') of an integer literal in base into *v, counting
   them; *bad is the last digit too large for base, t->overflow is set when
   *v exceeds 64 bits. */
static void scan_digits(struct lexer *lx, struct token *t, int base,
			uint64_t *v, int *ndig, int *bad)
{
	for (;;) {
		int c = peekc(lx, 0);
		if (c == '_') {
			adv(lx);
			continue;
		}
		int d = digit_val(c);
		if (d >= 16 || (base != 16 && d >= 10))
			break;
		if (d >= base)
			*bad = c;
		if (*v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			t->overflow = 1;
		*v = *v * (uint64_t)base + (uint64_t)d;
		(*ndig)++;
		adv(lx);
	}
}

/* float_lit: skips the fraction and exponent of a floating-point literal
   after its integer digits; 1 when there was one. */
static int skip_float_tail(struct lexer *lx, int base)
{
	int c = peekc(lx, 0);
	if (base == 10 && (c == '.' || c == 'e' || c == 'E')) {
		adv(lx);
		while (is_digit(peekc(lx, 0)) || peekc(lx, 0) == '_' ||
		       peekc(lx, 0) == 'e' || peekc(lx, 0) == 'E' ||
		       ((peekc(lx, 0) == '+' || peekc(lx, 0) == '-') &&
			(lx->src[lx->pos - 1] == 'e' ||
			 lx->src[lx->pos - 1] == 'E')))
			adv(lx);
		return 1;
	}
	if (base == 16 && (c == '.' || c == 'p' || c == 'P')) {
		while (digit_val(peekc(lx, 0)) < 16 || peekc(lx, 0) == '.' ||
		       peekc(lx, 0) == 'p' || peekc(lx, 0) == 'P' ||
		       peekc(lx, 0) == '+' || peekc(lx, 0) == '-')
			adv(lx);
		return 1;
	}
	return 0;
}

/* Re-reads the decimal digits just scanned as octal: "0777". */
static void reread_octal(struct lexer *lx, struct token *t, uint64_t *v,
			 int *bad)
{
	*v = 0;
	t->overflow = 0;
	*bad = 0;
	size_t i = lx->pos;
	while (i > 0 && (is_digit(lx->src[i - 1]) || lx->src[i - 1] == '_'))
		i--;
	for (; i < lx->pos; i++) {
		int d = lx->src[i];
		if (d == '_')
			continue;
		if (d - '0' >= 8)
			*bad = d;
		if (*v > (UINT64_MAX - (uint64_t)(d - '0')) / 8)
			t->overflow = 1;
		*v = *v * 8 + (uint64_t)(d - '0');
	}
}

/* int_lit = decimal_lit | binary_lit | octal_lit | hex_lit . (float_lit
   and imaginary_lit are recognised, to be refused by the parser) */
static void lex_number(struct lexer *lx, struct token *t)
{
	int legacy_octal = 0;
	int base = number_base(lx, &legacy_octal);
	uint64_t v = 0;
	int ndig = 0, bad = 0;
	scan_digits(lx, t, base, &v, &ndig, &bad);
	int isfloat = skip_float_tail(lx, base);
	if (peekc(lx, 0) == 'i') {
		adv(lx);
		t->kind = T_IMAG;
		return;
	}
	if (isfloat) {
		t->kind = T_FLOAT;
		return;
	}
	if (legacy_octal && ndig > 1) {
		base = 8;
		reread_octal(lx, t, &v, &bad);
	}
	if (bad)
		fe_fatal(lx->fx, t->line, t->col,
			 "invalid digit '%c' in %s literal", bad,
			 base == 16  ? "hexadecimal"
			 : base == 8 ? "octal"
			 : base == 2 ? "binary"
				     : "decimal");
	if (ndig == 0)
		fe_fatal(lx->fx, t->line, t->col, "literal has no digits");
	if (is_letter(peekc(lx, 0)))
		fe_fatal(lx->fx, lx->line, lx->col,
			 "invalid character '%c' after number", peekc(lx, 0));
	t->kind = T_INT;
	t->ival = v;
}

static void put_utf8(char *buf, int *n, uint32_t r)
{
	if (r < 0x80) {
		buf[(*n)++] = (char)r;
	} else if (r < 0x800) {
		buf[(*n)++] = (char)(0xC0 | (r >> 6));
		buf[(*n)++] = (char)(0x80 | (r & 0x3F));
	} else if (r < 0x10000) {
		buf[(*n)++] = (char)(0xE0 | (r >> 12));
		buf[(*n)++] = (char)(0x80 | ((r >> 6) & 0x3F));
		buf[(*n)++] = (char)(0x80 | (r & 0x3F));
	} else {
		buf[(*n)++] = (char)(0xF0 | (r >> 18));
		buf[(*n)++] = (char)(0x80 | ((r >> 12) & 0x3F));
		buf[(*n)++] = (char)(0x80 | ((r >> 6) & 0x3F));
		buf[(*n)++] = (char)(0x80 | (r & 0x3F));
	}
}

/* One escape after the backslash; appends its bytes to buf. */
static void lex_escape(struct lexer *lx, char *buf, int *n)
{
	int line = lx->line, col = lx->col - 1;
	int c = peekc(lx, 0);
	const char *simple = "abfnrtv\\\"";
	const char *vals = "\a\b\f\n\r\t\v\\\"";
	const char *p = c > 0 ? strchr(simple, c) : NULL;
	if (p) {
		adv(lx);
		buf[(*n)++] = vals[p - simple];
		return;
	}
	int ndig = 0, base = 0;
	if (c >= '0' && c <= '7') {
		ndig = 3;
		base = 8;
	} else if (c == 'x') {
		ndig = 2;
		base = 16;
	} else if (c == 'u') {
		ndig = 4;
		base = 16;
	} else if (c == 'U') {
		ndig = 8;
		base = 16;
	} else {
		fe_fatal(lx->fx, line, col, "unknown escape sequence");
	}
	if (base == 16)
		adv(lx);
	uint32_t v = 0;
	for (int i = 0; i < ndig; i++) {
		int d = digit_val(peekc(lx, 0));
		if (d >= base)
			fe_fatal(lx->fx, line, col, "invalid escape sequence");
		v = v * (uint32_t)base + (uint32_t)d;
		adv(lx);
	}
	if ((c == 'u' || c == 'U') &&
	    (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)))
		fe_fatal(lx->fx, line, col,
			 "escape sequence is invalid Unicode code point");
	if (base == 8 && v > 255)
		fe_fatal(lx->fx, line, col, "octal escape value > 255");
	if (c == 'u' || c == 'U')
		put_utf8(buf, n, v);
	else
		buf[(*n)++] = (char)v;
}

static void lex_string(struct lexer *lx, struct token *t)
{
	int raw = peekc(lx, 0) == '`';
	adv(lx);
	/* the decoded string is never longer than the source bytes */
	char *buf = fe_alloc(lx->fx, lx->len - lx->pos + 8);
	int n = 0;
	for (;;) {
		int c = peekc(lx, 0);
		if (c == -1 || (!raw && c == '\n'))
			fe_fatal(lx->fx, t->line, t->col,
				 raw ? "raw string literal not terminated"
				     : "newline in string");
		if (c == 0)
			fe_fatal(lx->fx, lx->line, lx->col,
				 "invalid NUL character");
		adv(lx);
		if (c == (raw ? '`' : '"'))
			break;
		if (!raw && c == '\\') {
			lex_escape(lx, buf, &n);
			continue;
		}
		if (raw && c == '\r')
			continue;
		buf[n++] = (char)c;
	}
	t->kind = T_STRING;
	t->text = buf;
	t->len = n;
}

static void lex_char(struct lexer *lx, struct token *t)
{
	adv(lx);
	while (peekc(lx, 0) != '\'') {
		int c = peekc(lx, 0);
		if (c == -1 || c == '\n')
			fe_fatal(lx->fx, t->line, t->col,
				 "rune literal not terminated");
		if (c == 0)
			fe_fatal(lx->fx, lx->line, lx->col,
				 "invalid NUL character");
		if (c == '\\')
			adv(lx);
		adv(lx);
	}
	adv(lx);
	t->kind = T_CHAR;
}

/* Operators, longest match first. */
static const struct {
	const char *s;
	int k;
} ops[] = {
    {"<<=", T_SHL_ASSIGN}, {">>=", T_SHR_ASSIGN}, {"&^=", T_ANDNOT_ASSIGN},
    {"...", T_ELLIPSIS},   {"+=", T_ADD_ASSIGN},  {"-=", T_SUB_ASSIGN},
    {"*=", T_MUL_ASSIGN},  {"/=", T_QUO_ASSIGN},  {"%=", T_REM_ASSIGN},
    {"&=", T_AND_ASSIGN},  {"|=", T_OR_ASSIGN},	  {"^=", T_XOR_ASSIGN},
    {"<<", T_SHL},	   {">>", T_SHR},	  {"&^", T_ANDNOT},
    {"&&", T_LAND},	   {"||", T_LOR},	  {"<-", T_ARROW},
    {"++", T_INC},	   {"--", T_DEC},	  {"==", T_EQL},
    {"!=", T_NEQ},	   {"<=", T_LEQ},	  {">=", T_GEQ},
    {":=", T_DEFINE},	   {"+", T_ADD},	  {"-", T_SUB},
    {"*", T_MUL},	   {"/", T_QUO},	  {"%", T_REM},
    {"&", T_AND},	   {"|", T_OR},		  {"^", T_XOR},
    {"<", T_LSS},	   {">", T_GTR},	  {"=", T_ASSIGN},
    {"!", T_NOT},	   {"~", T_TILDE},	  {"(", T_LPAREN},
    {"[", T_LBRACK},	   {"{", T_LBRACE},	  {",", T_COMMA},
    {".", T_PERIOD},	   {")", T_RPAREN},	  {"]", T_RBRACK},
    {"}", T_RBRACE},	   {";", T_SEMI},	  {":", T_COLON},
};

static void lex_op(struct lexer *lx, struct token *t)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].s);
		if (lx->len - lx->pos >= n &&
		    !memcmp(lx->src + lx->pos, ops[i].s, n)) {
			for (size_t j = 0; j < n; j++)
				adv(lx);
			t->kind = ops[i].k;
			return;
		}
	}
	int c = peekc(lx, 0);
	if (c == 0)
		fe_fatal(lx->fx, lx->line, lx->col, "invalid NUL character");
	if (c >= 0x80)
		fe_fatal(lx->fx, lx->line, lx->col,
			 "invalid character 0x%02x (non-ASCII source is not "
			 "supported by gosub)",
			 c);
	fe_fatal(lx->fx, lx->line, lx->col, "invalid character '%c'", c);
}

void lex_next(struct lexer *lx, struct token *t)
{
	memset(t, 0, sizeof(*t));
	int nl = skip_space(lx);
	t->line = lx->line;
	t->col = lx->col;
	if (nl && needs_semi(lx->last)) {
		/* the newline itself is consumed by the next call */
		t->kind = T_SEMI;
		t->implicit = 1;
		lx->last = T_SEMI;
		return;
	}
	int c = peekc(lx, 0);
	if (c == -1) {
		if (needs_semi(lx->last)) {
			t->kind = T_SEMI;
			t->implicit = 1;
		} else {
			t->kind = T_EOF;
		}
		lx->last = t->kind;
		return;
	}
	if (is_letter(c))
		lex_ident(lx, t);
	else if (is_digit(c) || (c == '.' && is_digit(peekc(lx, 1))))
		lex_number(lx, t);
	else if (c == '"' || c == '`')
		lex_string(lx, t);
	else if (c == '\'')
		lex_char(lx, t);
	else
		lex_op(lx, t);
	lx->last = t->kind;
}
