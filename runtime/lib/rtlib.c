/*
 * rtlib.c -- the few libc routines a freestanding runtime needs: gcc may emit
 * calls to memset/memcpy/memmove/memcmp for struct copies even with
 * -fno-builtin. heap.c (memory half) defines memset/memcpy/memmove; the
 * copies here stand in only while heap.c is absent (EP_HAVE_HEAP_C, see
 * stubs.c). memcmp and the rt_ wrappers are always here (rt.h).
 */
#include "sched.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#ifndef EP_HAVE_HEAP_C
void *memset(void *dst, int c, size_t n)
{
	volatile unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	return memmove(dst, src, n);
}
#endif

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
