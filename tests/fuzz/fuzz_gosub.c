/*
 * fuzz_gosub.c -- libFuzzer target for gosub's front end and back ends (the
 * compiler's libraries gosub_front and gosub_back). The input is Go source:
 * it goes through gosub_front() (parse, check, escape analysis, lowering,
 * liveness) for amd64; when it compiles, it is compiled for every arch and
 * each program is emitted as assembly (to /dev/null: nothing is assembled
 * or linked).
 *
 * gosub_front() promises never to crash on any input (front.h). Errors go
 * to stderr: run with -close_fd_mask=2 to keep them out of the log.
 *
 * The front end hands its arena to the program it returns and never frees
 * it (AST-1: the driver exits after one file). So that 10 million inputs do
 * not leak 10 million arenas, the link wraps malloc, calloc, realloc and
 * free (-Wl,--wrap=...): the blocks the front end allocates during one call
 * and does not free are freed after the program is emitted. Everything else
 * passes through untouched, and leaks of the back ends are still reported.
 */
#include "emit.h"
#include "front.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);

static int tracking;
static void **held;
static size_t nheld, capheld;

static void hold(void *p)
{
	if (!p)
		return;
	if (nheld == capheld) {
		size_t cap = capheld ? 2 * capheld : 256;
		void **n = __real_realloc(held, cap * sizeof *n);
		if (!n)
			abort();
		held = n;
		capheld = cap;
	}
	held[nheld++] = p;
}

static void unhold(void *p)
{
	for (size_t i = nheld; i-- > 0;)
		if (held[i] == p) {
			held[i] = held[--nheld];
			return;
		}
}

void *__wrap_malloc(size_t n)
{
	void *p = __real_malloc(n);
	if (tracking)
		hold(p);
	return p;
}

void *__wrap_calloc(size_t k, size_t n)
{
	void *p = __real_calloc(k, n);
	if (tracking)
		hold(p);
	return p;
}

void *__wrap_realloc(void *old, size_t n)
{
	void *p = __real_realloc(old, n);
	if (tracking && p) {
		if (old)
			unhold(old);
		hold(p);
	}
	return p;
}

void __wrap_free(void *p)
{
	if (tracking && p)
		unhold(p);
	__real_free(p);
}

static void release_held(void)
{
	for (size_t i = 0; i < nheld; i++)
		__real_free(held[i]);
	nheld = 0;
}

static FILE *devnull;

static int front(const char *src, size_t len, const struct ir_target *t,
		 struct ir_program **prog)
{
	tracking = 1;
	int rc = gosub_front("in.go", src, len, t, prog);
	tracking = 0;
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ir_target *const targets[] = {
	    &ir_target_amd64, &ir_target_arm64, &ir_target_riscv64};
	struct ir_program *prog = NULL;
	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	/* the bytes as the driver reads a file: NUL-terminated */
	char *src = malloc(size + 1);
	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = 0;
	for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
		int rc = front(src, size, targets[i], &prog);
		if (rc == 0) {
			if (!prog)
				abort();
			targets[i]->emit(prog, devnull);
		}
		release_held();
		if (rc != 0)
			break; /* a program that does not check fails for all */
	}
	free(src);
	return 0;
}
