/*
 * test_heap_support.h -- host stand-ins for what the memory half takes from
 * the scheduler half (rt_throw, printing, the goroutine list, rt_arch,
 * rt_sys_map_fixed) plus helpers to build a heap, a module and synthetic
 * goroutine stacks for the memory half's cmocka tests.
 *
 * The arch facts are amd64's unless TH_ARCH_LR is defined (then arm64's:
 * no pushed return address, RA at SP+F-8, saved FP at SP+F-16).
 */
#ifndef TEST_HEAP_SUPPORT_H
#define TEST_HEAP_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "gcinternal.h"

#define TH_ARENA_SIZE (64ull << 20)
#define TH_STACK_AREA (256ull << 20)
#define TH_MAX_G 8
#define TH_GOEXIT 0x999ull /* a return address outside managed code */

extern struct rt_g th_g[TH_MAX_G];
extern int th_ng;
extern struct ep_module th_module;
extern char th_throw_msg[512];
extern char th_print_buf[4096];

/* Map fresh arena and stack memory, point rt_meta at th_module (emptied),
   reset rt_debug, the collector's pacing, rt_curg and the goroutine list.
   Returns 0 (a cmocka setup). */
int th_setup(void **state);
int th_teardown(void **state);

/* Run fn(arg) and return 1 if it threw (message in th_throw_msg). */
int th_throws(void (*fn)(void *), void *arg);

/* A new goroutine (status RUNNABLE) with a stack of size bytes. */
struct rt_g *th_new_g(uint64_t size);

/* Lay out n frames on g's stack: fns[0] outermost (returning to TH_GOEXIT,
   with argwords argument words above it, zeroed), fns[i] called by
   fns[i-1] at return address retpcs[i-1]; the innermost is stopped at a
   call returning to retpcs[n-1] (RT_SCHED_CALL). Saved-FP slots are
   chained; sps[i] receives frame i's SP. Frames are zeroed. */
void th_build_stack(struct rt_g *g, int n, const struct ep_func *const *fns,
		    const uint64_t *retpcs, uint64_t argwords, uint64_t *sps);

/* Synthetic metadata in th_module. Functions occupy [entry, entry+0x100)
   and must be added in entry order; call sites of a function in retpc
   order, stack objects in offset order. Masks are given as words (bit i:
   word i is a pointer, up to 64 words) and stored as ep bitmaps. */
struct ep_func *th_func(const char *name, uint64_t entry, uint32_t frame_size,
			uint32_t args_size, uint64_t args_ptrmask);
void th_callsite(struct ep_func *f, uint64_t retpc, uint64_t mask);
void th_stackobj(struct ep_func *f, int32_t off, uint32_t size, uint64_t mask);
uint32_t th_type(const char *name, uint64_t size, uint64_t mask);
void th_globals(uint64_t *words, uint64_t nwords, uint64_t mask);

/* everypc_hook_mark_slice's calls (RIG-9), as n << 1 | left. */
extern uint64_t th_mark_hooks[64], th_nmark_hooks;

/* Word access. */
static inline uint64_t *th_w(uint64_t addr) { return (uint64_t *)addr; }

#endif
