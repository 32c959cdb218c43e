/*
 * stubs.c -- stand-ins for the memory half (heap.c, gc.c, stack.c,
 * unwind.c) while those files do not exist yet, so the scheduler half can be
 * built and tested alone. CMakeLists.txt defines EP_HAVE_<FILE>_C for each
 * memory-half file present; its group of stand-ins is then compiled out.
 * The functions the scheduler half added to rt.h (rt_heap_describe,
 * rt_heap_verify, rt_stack_reset) are weak here, so a memory-half file that
 * does not define them yet still links; a strong definition replaces them.
 *
 * The stand-ins are deliberately simple: a bump allocator that never frees,
 * no collection, fixed 256 KiB stacks that never move, linear metadata
 * lookups.
 */
#include "sched.h"

#define WEAK __attribute__((weak))

WEAK void rt_heap_describe(struct rt_heap_desc *d)
{
	d->arena_base = RT_HEAP_BASE;
	d->arena_size = RT_HEAP_SIZE;
	d->page_size = RT_PAGE_SIZE;
	d->span_off_nslots = d->span_off_class = ~0u;
}

WEAK int rt_heap_verify(void) { return 0; }

#ifndef EP_HAVE_UNWIND_C
const struct ep_func *rt_findfunc(uint64_t pc)
{
	const struct ep_module *m = &everypc_module;

	for (uint64_t i = 0; i < m->nfuncs; i++)
		if (pc >= m->funcs[i].entry && pc < m->funcs[i].end)
			return &m->funcs[i];
	return NULL;
}

const struct ep_callsite *rt_findcallsite(const struct ep_func *f,
					  uint64_t retpc)
{
	for (uint32_t i = 0; i < f->ncallsites; i++)
		if (f->callsites[i].retpc == retpc)
			return &f->callsites[i];
	return NULL;
}

const struct ep_unsafe *rt_findunsafe(uint64_t pc)
{
	const struct ep_module *m = &everypc_module;

	for (uint64_t i = 0; i < m->nunsafe; i++)
		if (pc >= m->unsafe[i].start && pc < m->unsafe[i].end)
			return &m->unsafe[i];
	return NULL;
}
#endif

#ifndef EP_HAVE_HEAP_C
uint64_t rt_stub_alloc_next[EP_NUM_SIZE_CLASSES] __asm__("runtime.alloc_next");
uint64_t
    rt_stub_alloc_limit[EP_NUM_SIZE_CLASSES] __asm__("runtime.alloc_limit");
static uint64_t heap_cur = RT_HEAP_BASE, heap_mapped = RT_HEAP_BASE;

void rt_heap_init(void) {}

void rt_heap_reset(void)
{
	rt_memset((void *)RT_HEAP_BASE, 0, heap_cur - RT_HEAP_BASE);
	heap_cur = RT_HEAP_BASE;
}

void *rt_alloc_raw(uint64_t size, uint32_t typeidx)
{
	uint64_t n = (size + 8 + 15) & ~15ull;
	uint64_t p = heap_cur;

	while (p + n > heap_mapped) {
		if (rt_sys_map_fixed(heap_mapped, 0x100000))
			rt_throw("stub heap: out of memory");
		heap_mapped += 0x100000;
	}
	heap_cur += n;
	rt_memset((void *)p, 0, n);
	*(uint64_t *)p = EP_OBJ_HEADER(typeidx, EP_OBJ_ALLOCATED);
	return (void *)(p + 8);
}
#endif

#ifndef EP_HAVE_GC_C
void rt_gc(void) {}
#endif

#ifndef EP_HAVE_STACK_C
#define STUB_STACK 0x40000ull
static uint64_t stack_cur = RT_STACK_BASE;

void rt_stack_alloc(struct rt_g *g, uint64_t size)
{
	(void)size;
	if (rt_sys_map_fixed(stack_cur, STUB_STACK))
		stack_cur += 0; /* already mapped by an earlier iteration */
	g->head.stack_lo = stack_cur;
	g->head.stack_hi = stack_cur + STUB_STACK;
	g->head.stackguard = stack_cur + EP_STACK_GUARD;
	stack_cur += STUB_STACK;
}

void rt_stack_free(struct rt_g *g) { (void)g; }

void rt_morestack(struct rt_g *g, uint64_t need)
{
	(void)g;
	(void)need;
	rt_throw("stub stacks cannot grow");
}

void rt_maybe_shrink_pending(struct rt_g *g) { g->shrink_pending = 0; }

void rt_stack_reset(void) { stack_cur = RT_STACK_BASE; }
#else
WEAK void rt_stack_reset(void) {}
#endif
