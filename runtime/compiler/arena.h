/*
 * arena.h -- the front end's arena (AST-1): everything a compilation
 * allocates lives in the chunks of struct fe_ctx.arena, zeroed, and is freed
 * whole (fe_arena_free) on failure or handed to the program on success.
 */
#ifndef GOSUB_ARENA_H
#define GOSUB_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct fe_ctx;
struct fe_chunk;

void *fe_alloc(struct fe_ctx *fx, size_t n); /* zeroed */
void *fe_grow(struct fe_ctx *fx, void *old, size_t oldn, size_t newn);
char *fe_strdup(struct fe_ctx *fx, const char *s, size_t n);
char *fe_printf(struct fe_ctx *fx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *fe_vprintf(struct fe_ctx *fx, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Frees every chunk of fx's arena. */
void fe_arena_free(struct fe_ctx *fx);
/* Prints "gosub: out of memory" and exits 1. */
_Noreturn void fe_oom(void);

/* Append a dynamic array element: *arr grows by doubling. */
#define FE_PUSH(fx, arr, n, cap, val)                                          \
	do {                                                                   \
		if ((n) == (cap)) {                                            \
			int nc_ = (cap) ? 2 * (cap) : 8;                       \
			(arr) = fe_grow((fx), (arr), sizeof(*(arr)) * (cap),   \
					sizeof(*(arr)) * nc_);                 \
			(cap) = nc_;                                           \
		}                                                              \
		(arr)[(n)++] = (val);                                          \
	} while (0)

#endif
