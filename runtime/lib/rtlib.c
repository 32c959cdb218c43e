/*
 * rtlib.c -- the few libc routines a freestanding runtime needs: gcc may emit
 * calls to memset/memcpy/memmove/memcmp for struct copies even with
 * -fno-builtin. heap.c (memory half) defines memset/memcpy/memmove; memcmp
 * and the rt_ wrappers are here (rt.h).
 */
#include "sched.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

void rt_memmove(void *dst, const void *src, uint64_t n)
{
	memmove(dst, src, n);
}

void rt_memset(void *dst, int c, uint64_t n) { memset(dst, c, n); }

uint64_t rt_strlen(const char *s)
{
	uint64_t n = 0;

	while (s[n])
		n++;
	return n;
}
