/*
 * diag.c -- diagnostics (diag.h, AST-2): recorded in the arena, at most
 * FE_MAX_ERRORS, printed sorted by position.
 */
#include <stdlib.h>

#include "arena.h"
#include "diag.h"

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

void fe_verror(struct fe_ctx *fx, int line, int col, const char *fmt,
	       va_list ap)
{
	record(fx, line, col, fe_vprintf(fx, fmt, ap));
}

void fe_error(struct fe_ctx *fx, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fe_verror(fx, line, col, fmt, ap);
	va_end(ap);
}

void fe_fatal(struct fe_ctx *fx, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fe_verror(fx, line, col, fmt, ap);
	va_end(ap);
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

void fe_print_diags(struct fe_ctx *fx, FILE *err)
{
	qsort(fx->diags, (size_t)fx->ndiags, sizeof(fx->diags[0]), diag_cmp);
	for (int i = 0; i < fx->ndiags; i++)
		fprintf(err, "%s:%d:%d: %s\n", fx->path, fx->diags[i].line,
			fx->diags[i].col, fx->diags[i].msg);
	fflush(err);
}
