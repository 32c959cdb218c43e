/*
 * arena.c -- the front end's arena (arena.h, AST-1): 64 KiB chunks (or one
 * as large as the request), 16-byte aligned, zeroed allocations.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"

struct fe_chunk {
	struct fe_chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

#define FE_CHUNK (64 * 1024)

void fe_oom(void)
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
			fe_oom();
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

char *fe_vprintf(struct fe_ctx *fx, const char *fmt, va_list ap)
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
	char *p = fe_vprintf(fx, fmt, ap);
	va_end(ap);
	return p;
}

void fe_arena_free(struct fe_ctx *fx)
{
	struct fe_chunk *c = fx->arena;
	while (c) {
		struct fe_chunk *n = c->next;
		free(c);
		c = n;
	}
	fx->arena = NULL;
}
