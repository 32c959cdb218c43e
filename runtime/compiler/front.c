/*
 * front.c -- gosub_front(): runs the phases (parse, check, escape, lower +
 * liveness) over one file, owns the arena and prints the diagnostics.
 *
 * Invariants: AST-1 (one arena, freed whole on failure) and AST-2 (errors
 * unwind to the setjmp here; at most FE_MAX_ERRORS are printed, sorted by
 * position, as "path:line:col: message").
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "front.h"

struct fe_chunk {
	struct fe_chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

#define FE_CHUNK (64 * 1024)

static void oom(void)
{
	fputs("gosub: out of memory\n", stderr);
	exit(1);
}

void *fe_alloc(struct fe_ctx *fx, size_t n)
{
	struct fe_chunk *c = fx->arena;
	n = (n + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > FE_CHUNK ? n : FE_CHUNK;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			oom();
		c->next = fx->arena;
		c->used = 0;
		c->cap = cap;
		fx->arena = c;
	}
	void *p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

void *fe_grow(struct fe_ctx *fx, void *old, size_t oldn, size_t newn)
{
	void *p = fe_alloc(fx, newn);
	if (old && oldn)
		memcpy(p, old, oldn < newn ? oldn : newn);
	return p;
}

char *fe_strdup(struct fe_ctx *fx, const char *s, size_t n)
{
	char *p = fe_alloc(fx, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

static char *vformat(struct fe_ctx *fx, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	char *p = fe_alloc(fx, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *fe_printf(struct fe_ctx *fx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = vformat(fx, fmt, ap);
	va_end(ap);
	return p;
}

static void record(struct fe_ctx *fx, int line, int col, char *msg)
{
	if (fx->ndiags >= FE_MAX_ERRORS)
		longjmp(fx->bail, 1);
	struct fe_diag *d = &fx->diags[fx->ndiags];
	d->line = line;
	d->col = col;
	d->seq = fx->ndiags;
	d->msg = msg;
	fx->ndiags++;
	if (fx->ndiags >= FE_MAX_ERRORS)
		longjmp(fx->bail, 1);
}

void fe_error(struct fe_ctx *fx, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fx, fmt, ap);
	va_end(ap);
	record(fx, line, col, msg);
}

void fe_fatal(struct fe_ctx *fx, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fx, fmt, ap);
	va_end(ap);
	record(fx, line, col, msg);
	longjmp(fx->bail, 1);
}

static int diag_cmp(const void *x, const void *y)
{
	const struct fe_diag *a = x, *b = y;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq - b->seq;
}

static void print_diags(struct fe_ctx *fx, FILE *err)
{
	qsort(fx->diags, (size_t)fx->ndiags, sizeof(fx->diags[0]), diag_cmp);
	for (int i = 0; i < fx->ndiags; i++)
		fprintf(err, "%s:%d:%d: %s\n", fx->path, fx->diags[i].line,
			fx->diags[i].col, fx->diags[i].msg);
	fflush(err);
}

static void free_arena(struct fe_ctx *fx)
{
	struct fe_chunk *c = fx->arena;
	while (c) {
		struct fe_chunk *n = c->next;
		free(c);
		c = n;
	}
	fx->arena = NULL;
}

/* The phases, separated from fe_compile so that no local of the setjmp
   caller changes after setjmp. */
static struct ir_program *run_phases(struct fe_ctx *fx, const char *src,
				     size_t len, const struct ir_target *t)
{
	struct fe_prog *p = fe_alloc(fx, sizeof(*p));
	p->file = parse_file(fx, src, len);
	if (fx->ndiags)
		return NULL;
	check_program(fx, p->file, p);
	if (fx->ndiags)
		return NULL;
	escape_program(fx, p);
	struct ir_program *prog = lower_program(fx, p, t);
	if (fx->ndiags)
		return NULL;
	return prog;
}

int fe_compile(const char *path, const char *src, size_t len,
	       const struct ir_target *t, struct ir_program **out,
	       FILE *errout)
{
	struct fe_ctx *fx = calloc(1, sizeof(*fx));
	if (!fx)
		oom();
	fx->path = path ? path : "<input>";
	struct ir_program *volatile prog = NULL;
	if (!setjmp(fx->bail))
		prog = run_phases(fx, src ? src : "", src ? len : 0, t);
	if (!prog || fx->ndiags) {
		if (!fx->ndiags)
			fprintf(errout, "%s: compilation failed\n", fx->path);
		print_diags(fx, errout);
		free_arena(fx);
		free(fx);
		return 1;
	}
	prog->source_file = fe_strdup(fx, fx->path, strlen(fx->path));
	*out = prog;
	/* AST-1: the arena now belongs to the program and is never freed. */
	free(fx);
	return 0;
}

int gosub_front(const char *path, const char *src, size_t len,
		const struct ir_target *t, struct ir_program **out)
{
	return fe_compile(path, src, len, t, out, stderr);
}
