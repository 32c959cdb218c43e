/*
 * diag.h -- the compilation context of the front end (struct fe_ctx: the
 * file, its arena, the diagnostics and the bail-out point) and diagnostics
 * (AST-2): fe_error() records a "line:col: message" and, once
 * FE_MAX_ERRORS are recorded, longjmps to fe_ctx.bail; fe_fatal() always
 * does. fe_print_diags() prints them sorted by position.
 */
#ifndef GOSUB_DIAG_H
#define GOSUB_DIAG_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>

#define FE_MAX_ERRORS 10

struct fe_chunk;

struct fe_diag {
	int line, col, seq;
	char *msg;
};

struct fe_ctx {
	const char *path;
	struct fe_chunk *arena;
	jmp_buf bail;
	struct fe_diag diags[FE_MAX_ERRORS];
	int ndiags;
};

void fe_error(struct fe_ctx *fx, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void fe_verror(struct fe_ctx *fx, int line, int col, const char *fmt,
	       va_list ap) __attribute__((format(printf, 4, 0)));
/* Report and stop at once (syntax errors, internal limits). */
_Noreturn void fe_fatal(struct fe_ctx *fx, int line, int col, const char *fmt,
			...) __attribute__((format(printf, 4, 5)));
/* Print the diagnostics to err as "path:line:col: message", sorted by
   position (the order of recording among equal positions). */
void fe_print_diags(struct fe_ctx *fx, FILE *err);

#endif
