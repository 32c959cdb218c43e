/*
 * support.c -- the minimal guest runtime of gosub's back-end tests: just
 * enough runtime.* entry points (through the per-arch shims in
 * support_<arch>.S, which turn ABI-1 stack calls into C calls) to run the
 * hand-built IR programs of irprogs.c without the real runtime library.
 * Freestanding: no libc; output goes through sup_write.
 *
 * Allocation: runtime.alloc_next/alloc_limit give each size class a run in
 * an arena pre-filled with 0x5a bytes, so the fast path's zeroing shows;
 * class 1's run holds only three objects, so the fourth takes the slow path
 * (runtime.newobject), which reads the type's size from everypc_module.
 *
 * Write barrier (abi.h ABI-8): runtime.writeBarrier is always set, so every
 * barrier-guarded store takes the call; runtime.gcWriteBarrier (per arch)
 * counts it in sup_wb_calls and poisons its two argument registers, so a
 * back end that relied on them after the call, or on anything the call
 * is not described to preserve, prints wrong output.
 */
#include <stdint.h>

#include "everypc/abi.h"
#include "everypc/meta.h"

long sup_write(long fd, const void *buf, long len);
void sup_exit(long code) __attribute__((noreturn));

uint64_t alloc_next[EP_NUM_SIZE_CLASSES] __asm__("runtime.alloc_next");
uint64_t alloc_limit[EP_NUM_SIZE_CLASSES] __asm__("runtime.alloc_limit");
extern const struct ep_module everypc_module;
uint32_t sup_wb_flag __asm__("runtime.writeBarrier") = 1;
long sup_wb_calls;

long sup_morestacks;
static struct ep_g_head sup_g;
static uint8_t arena[EP_NUM_SIZE_CLASSES][16384] __attribute__((aligned(16)));
static uint8_t slow[1 << 20] __attribute__((aligned(16))); /* no GC here */
static long slow_used;

#define STACK_STEP 262144 /* also in support_<arch>.S: runtime.morestack */

void sup_printstr(const char *p, long n) { sup_write(1, p, n); }

void sup_printnl(void) { sup_write(1, "\n", 1); }

void sup_printsp(void) { sup_write(1, " ", 1); }

void sup_printint(long v)
{
	char buf[24];
	int i = sizeof buf;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	do {
		buf[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[--i] = '-';
	sup_write(1, buf + i, (long)sizeof buf - i);
}

void sup_printbool(long v)
{
	if (v)
		sup_write(1, "true", 4);
	else
		sup_write(1, "false", 5);
}

void sup_nothing(void) {}

/* The panics: Go's message on stderr, exit status 2. */
void sup_panicstr(const char *p, long n)
{
	sup_write(2, "panic: ", 7);
	sup_write(2, p, n);
	sup_write(2, "\n", 1);
	sup_exit(2);
}

void sup_panicmsg(const char *msg)
{
	long n = 0;
	while (msg[n])
		n++;
	sup_panicstr(msg, n);
}

void sup_panicindex(void) { sup_panicmsg("runtime error: index out of range"); }

void sup_panicdivide(void)
{
	sup_panicmsg("runtime error: integer divide by zero");
}

void sup_panicnil(void)
{
	sup_panicmsg("runtime error: invalid memory address or nil pointer "
		     "dereference");
}

long sup_morestack_count(void) { return sup_morestacks; }

/* runtime.newobject(T): the slow path, from a separate area. */
long sup_newobject(long t)
{
	uint64_t size, *p;
	if (t < 0 || (uint64_t)t >= everypc_module.ntypes)
		sup_exit(90);
	size = everypc_module.types[t].size + 8;
	if (slow_used + (long)size > (long)sizeof slow)
		sup_exit(91);
	p = (uint64_t *)(slow + slow_used);
	slow_used += (long)((size + 15) & ~15ull);
	p[0] = EP_OBJ_HEADER(t, EP_OBJ_ALLOCATED);
	for (uint64_t i = 1; i < size / 8; i++)
		p[i] = 0;
	return (long)(p + 1);
}

/* Called by _start with its SP; returns the g for the g register. */
struct ep_g_head *sup_init(uintptr_t sp)
{
	for (int c = 0; c < EP_NUM_SIZE_CLASSES; c++) {
		for (unsigned i = 0; i < sizeof arena[c]; i++)
			arena[c][i] = 0x5a;
		alloc_next[c] = (uint64_t)(uintptr_t)arena[c];
		alloc_limit[c] = alloc_next[c] + sizeof arena[c];
	}
	alloc_limit[1] = alloc_next[1] + 3 * 32;
	if (everypc_module.magic != EP_META_MAGIC)
		sup_exit(92);
	sup_g.stack_hi = sp;
	sup_g.stackguard = sp - STACK_STEP;
	return &sup_g;
}
