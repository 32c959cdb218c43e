/*
 * test_heap_support.c -- host stand-ins and helpers for the memory half's
 * tests (see test_heap_support.h). rt_throw longjmps back into th_throws()
 * when one is active and fails the test otherwise.
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS, MAP_NORESERVE */

#include "test_heap_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifdef TH_ARCH_LR
const struct rt_archinfo rt_arch = {0, 8, 16, EP_ARCH_ARM64};
#else
const struct rt_archinfo rt_arch = {8, 0, 8, EP_ARCH_AMD64};
#endif

const struct ep_module everypc_module;
struct ep_module th_module;
struct rt_debug rt_debug;
int rt_force_shrink;
struct rt_g th_g[TH_MAX_G];
int th_ng;
struct rt_g *rt_curg; /* the goroutine a write barrier runs for */
char th_throw_msg[512];
char th_print_buf[4096];

static jmp_buf throw_jmp;
static int throw_armed;
static void *arena_mem, *stack_mem;
static void metadata_reset(void);

void rt_throw(const char *msg)
{
	snprintf(th_throw_msg, sizeof th_throw_msg, "%s", msg);
	if (throw_armed) {
		throw_armed = 0;
		longjmp(throw_jmp, 1);
	}
	fail_msg("unexpected throw: %s", msg);
	abort();
}

int th_throws(void (*fn)(void *), void *arg)
{
	th_throw_msg[0] = 0;
	if (setjmp(throw_jmp)) {
		rt_gc_init(); /* the collection that threw is abandoned */
		return 1;
	}
	throw_armed = 1;
	fn(arg);
	throw_armed = 0;
	return 0;
}

static void print_append(const char *s)
{
	size_t n = strlen(th_print_buf);
	snprintf(th_print_buf + n, sizeof th_print_buf - n, "%s", s);
}

void rt_print_str(const char *s) { print_append(s); }

void rt_print_hex(uint64_t v)
{
	char b[32];
	snprintf(b, sizeof b, "0x%llx", (unsigned long long)v);
	print_append(b);
}

void rt_print_int(int64_t v)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", (long long)v);
	print_append(b);
}

void rt_g_check(const struct rt_g *g) { assert_int_equal(g->sig, RT_G_SIG); }

struct rt_g *rt_allg_first(void) { return th_ng ? &th_g[0] : NULL; }

struct rt_g *rt_allg_next(struct rt_g *g)
{
	int i = (int)(g - th_g) + 1;
	return i < th_ng ? &th_g[i] : NULL;
}

int rt_sys_map_fixed(uint64_t addr, uint64_t len)
{
	(void)addr;
	(void)len;
	return 0; /* the test mapped the areas already */
}

static void *map_aligned(uint64_t size)
{
	void *p = mmap(NULL, size + RT_PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(p != MAP_FAILED);
	return p;
}

static uint64_t page_up(void *p)
{
	return ((uint64_t)p + RT_PAGE_SIZE - 1) & ~(uint64_t)(RT_PAGE_SIZE - 1);
}

int th_setup(void **state)
{
	(void)state;
	arena_mem = map_aligned(TH_ARENA_SIZE);
	stack_mem = map_aligned(TH_STACK_AREA);
	memset(&th_module, 0, sizeof th_module);
	th_module.magic = EP_META_MAGIC;
	th_module.version = EP_META_VERSION;
	th_module.arch = rt_arch.arch;
	metadata_reset();
	rt_meta = &th_module;
	memset(&rt_debug, 0, sizeof rt_debug);
	memset(&rt_memstats, 0, sizeof rt_memstats);
	memset(th_g, 0, sizeof th_g);
	th_ng = 0;
	rt_curg = NULL;
	rt_force_shrink = 0;
	rt_gc_slice_work = RT_GC_SLICE_WORK;
	rt_gc_assist_ratio = RT_GC_ASSIST_RATIO;
	th_print_buf[0] = 0;
	rt_heap_init_at(page_up(arena_mem), TH_ARENA_SIZE);
	rt_stack_init_at(page_up(stack_mem), TH_STACK_AREA);
	return 0;
}

int th_teardown(void **state)
{
	(void)state;
	munmap(arena_mem, TH_ARENA_SIZE + RT_PAGE_SIZE);
	munmap(stack_mem, TH_STACK_AREA + RT_PAGE_SIZE);
	return 0;
}

struct rt_g *th_new_g(uint64_t size)
{
	assert_true(th_ng < TH_MAX_G);
	struct rt_g *g = &th_g[th_ng++];
	memset(g, 0, sizeof *g);
	g->sig = RT_G_SIG;
	g->id = (uint64_t)th_ng;
	g->status = RT_G_RUNNABLE;
	rt_stack_alloc(g, size);
	return g;
}

void th_build_stack(struct rt_g *g, int n, const struct ep_func *const *fns,
		    const uint64_t *retpcs, uint64_t argwords, uint64_t *sps)
{
	uint64_t argp = g->head.stack_hi - 8 * (argwords + 2);
	uint64_t ra = TH_GOEXIT, fp = 0;
	for (int i = 0; i < n; i++) {
		uint64_t f = fns[i]->frame_size;
		uint64_t sp = argp - rt_arch.ra_push - f;
		memset((void *)sp, 0, f);
		*th_w(sp + f - rt_arch.ra_from_top) = ra;
		*th_w(sp + f - rt_arch.fp_from_top) = fp;
		fp = sp + f - rt_arch.fp_from_top;
		sps[i] = sp;
		ra = retpcs[i];
		argp = sp;
	}
	g->sched_kind = RT_SCHED_CALL;
	g->sched.sp = sps[n - 1];
	g->sched.pc = retpcs[n - 1];
	g->sched.fp = fp;
}

/* ---- synthetic metadata ---- */

#define TH_MAX_FUNCS 16
#define TH_MAX_PER 8
static struct ep_func funcs[TH_MAX_FUNCS];
static struct ep_callsite callsites[TH_MAX_FUNCS][TH_MAX_PER];
static struct ep_stackobj stackobjs[TH_MAX_FUNCS][TH_MAX_PER];
static struct ep_type types[TH_MAX_FUNCS];
static uint8_t masks[256][8];
static int nmasks;

static const uint8_t *mask_bytes(uint64_t mask)
{
	assert_true(nmasks < 256);
	uint8_t *m = masks[nmasks++];
	for (int i = 0; i < 8; i++)
		m[i] = (uint8_t)(mask >> (8 * i));
	return m;
}

static void metadata_reset(void)
{
	memset(funcs, 0, sizeof funcs);
	nmasks = 0;
	th_module.funcs = funcs;
	th_module.nfuncs = 0;
	th_module.types = types;
	th_module.ntypes = 0;
}

struct ep_func *th_func(const char *name, uint64_t entry, uint32_t frame_size,
			uint32_t args_size, uint64_t args_ptrmask)
{
	assert_true(th_module.nfuncs < TH_MAX_FUNCS);
	int i = (int)th_module.nfuncs++;
	struct ep_func *f = &funcs[i];
	f->entry = entry;
	f->end = entry + 0x100;
	f->name = name;
	f->frame_size = frame_size;
	f->args_size = args_size;
	f->args_ptrmask = args_ptrmask;
	f->callsites = callsites[i];
	f->stackobjs = stackobjs[i];
	return f;
}

void th_callsite(struct ep_func *f, uint64_t retpc, uint64_t mask)
{
	assert_true(f->ncallsites < TH_MAX_PER);
	struct ep_callsite *cs = &callsites[f - funcs][f->ncallsites++];
	cs->retpc = retpc;
	cs->ptrmask = mask_bytes(mask);
}

void th_stackobj(struct ep_func *f, int32_t off, uint32_t size, uint64_t mask)
{
	assert_true(f->nstackobjs < TH_MAX_PER);
	struct ep_stackobj *so = &stackobjs[f - funcs][f->nstackobjs++];
	so->off = off;
	so->size = size;
	so->ptrmask = mask_bytes(mask);
}

uint32_t th_type(const char *name, uint64_t size, uint64_t mask)
{
	assert_true(th_module.ntypes < TH_MAX_FUNCS);
	struct ep_type *t = &types[th_module.ntypes];
	t->name = name;
	t->size = size;
	t->ptrmask = mask_bytes(mask);
	return (uint32_t)th_module.ntypes++;
}

void th_globals(uint64_t *words, uint64_t nwords, uint64_t mask)
{
	th_module.globals_start = (uint64_t)words;
	th_module.globals_size = nwords * 8;
	th_module.globals_ptrmask = mask_bytes(mask);
}

/* The rig's end-of-GC hook (rig.c in the guest): nothing to do here. */
void everypc_hook_gc_done(uint64_t ngc) { (void)ngc; }

/* The rig's mark-slice hook (RIG-9): its calls are recorded. */
uint64_t th_mark_hooks[64], th_nmark_hooks;
void everypc_hook_mark_slice(uint64_t n, uint64_t left)
{
	if (th_nmark_hooks < 64)
		th_mark_hooks[th_nmark_hooks++] = n << 1 | left;
}

/* The rig's stack-copy hook (rig.c in the guest): nothing to do here. */
void everypc_hook_stack_copied(struct rt_g *g, uint64_t old_lo, uint64_t old_hi)
{
	(void)g, (void)old_lo, (void)old_hi;
}
