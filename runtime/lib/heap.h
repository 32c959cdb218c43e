/*
 * heap.h -- the GC heap of the memory half: arena, pages, spans, size
 * classes, allocation bits and mark bits, the inline fast path's runs, the
 * allocation slow path, findObject, sweep, and the heap verifier.
 *
 * Geometry. The arena is [base, base + size) (RT_HEAP_BASE in the guest; any
 * mmap'ed region in host tests). It is cut into RT_PAGE_SIZE pages; a page
 * is free or belongs to exactly one span. A small span is one page of equal
 * slots of one size class (abi.h EP_SIZE_CLASSES); a large span is the run
 * of pages holding one large object. rt_heap_pagespan[i] names the span of
 * page i (NULL = free page): the per-page span table the rig reads through
 * rt_heap_describe().
 *
 * A slot is [header word][body]; the managed pointer to an object is
 * slot + 8 (its first field). Slot i of span s starts at
 * s->base + i * s->slot_size.
 *
 * INVARIANTS (cited as "HEAP-n"):
 * HEAP-1  Outside a GC, a slot is allocated iff its alloc bit is set or it
 *         lies in [rt_heap_run_start[c], runtime.alloc_next[c]) of its
 *         class c (the part of the current run the inline fast path
 *         consumed). rt_heap_commit_runs() folds the runs into the alloc
 *         bits; the GC does so first, so during a GC alloc bits are exact
 *         (an incremental cycle at its start, and its runs stay empty
 *         until termination, so they are exact while it marks: the write
 *         barrier's findObject relies on it).
 * HEAP-2  [runtime.alloc_next[c], runtime.alloc_limit[c]) is a run of free
 *         slots of one span of class c, each with a FREE header and a
 *         poisoned body (the fast path overwrites header and body). In
 *         gcstress mode, and while an incremental cycle marks (GCI-5), the
 *         run is always empty, so every allocation takes the slow path.
 * HEAP-3  A free slot (alloc bit clear, outside a run's consumed part) has
 *         header EP_OBJ_HEADER(t, EP_OBJ_FREE) and every body word equal to
 *         RT_POISON; an allocated slot has an EP_OBJ_ALLOCATED header whose
 *         type is EP_TYPE_NONE or < everypc_module.ntypes.
 * HEAP-4  Mark bits are all clear outside a GC's mark and sweep phases
 *         (rt_gc, or an incremental cycle from its start while rt_gcphase
 *         is MARK through its sweep).
 * HEAP-5  Page allocation is first-fit from the lowest address; after every
 *         sweep each class's span list is in address order (new spans are
 *         appended), and free slots are taken lowest first, so the same
 *         sequence of allocations and collections yields the same addresses.
 */
#ifndef EVERYPC_HEAP_H
#define EVERYPC_HEAP_H

#include "rt.h"

#define RT_PAGE_SHIFT 13
#define RT_MAX_PAGES (RT_HEAP_SIZE / RT_PAGE_SIZE)
#define RT_MAX_SPANS 32768
#define RT_SPAN_MAX_SLOTS (RT_PAGE_SIZE / 16)
#define RT_SPAN_BITWORDS (RT_SPAN_MAX_SLOTS / 64)
#define RT_CLASS_LARGE 0xFFu
#define RT_SPAN_SIG 0x4e415053ull /* "SPAN" */
#define RT_SPAN_DEAD_SIG 0xdead5ull
#define RT_POISON 0xdeaddeaddeaddeadull
#define RT_GC_MIN_TRIGGER (4ull << 20)		    /* first GC after 4 MiB */
#define RT_HEAP_COMMIT_CHUNK (64ull * RT_PAGE_SIZE) /* commit granule */

struct rt_span {
	uint64_t base;	    /* first slot (page aligned) */
	uint64_t slot_size; /* bytes per slot, header included */
	uint32_t nslots;
	uint32_t npages;
	uint32_t sizeclass;   /* EP class index, or RT_CLASS_LARGE */
	uint32_t nalloc;      /* slots with the alloc bit set */
	uint64_t sig;	      /* RT_SPAN_SIG while in use */
	struct rt_span *next; /* class list (address order) / free list */
	uint64_t allocbits[RT_SPAN_BITWORDS];
	uint64_t markbits[RT_SPAN_BITWORDS];
};

extern struct rt_span *rt_heap_pagespan[RT_MAX_PAGES];
/* The inline fast path's cursors (abi.h), defined here under their asm
   names; HEAP-1/HEAP-2. */
extern uint64_t
    rt_alloc_next[EP_NUM_SIZE_CLASSES] __asm__("runtime.alloc_next");
extern uint64_t
    rt_alloc_limit[EP_NUM_SIZE_CLASSES] __asm__("runtime.alloc_limit");
extern uint64_t rt_heap_run_start[EP_NUM_SIZE_CLASSES];

/* Size classes (abi.h): slot size of class c; class for a body of size
   bytes (header excluded), or -1 when the object is large. */
uint64_t rt_class_size(int c);
int rt_size_to_class(uint64_t size);

/* Set up the heap over [base, base + size) (page aligned, at most
   RT_HEAP_SIZE); the guest's rt_heap_init() reserves RT_HEAP_BASE and calls
   this. Host tests pass memory that is already readable and writable. */
void rt_heap_init_at(uint64_t base, uint64_t size);
extern uint64_t rt_heap_arena_base, rt_heap_arena_size;

/* Allocation without the GC trigger (the trigger and the assists live in
   rt_alloc_raw); while a cycle marks the object is allocated black and the
   class's run stays empty (GCI-5). */
void *rt_heap_alloc_nogc(uint64_t size, uint32_t typeidx);

/* HEAP-1: fold every class's consumed run into the alloc bits and empty
   the runs (the next allocation of each class takes the slow path). */
void rt_heap_commit_runs(void);

/* Object lookup: the span of p (NULL when p is not in a span), and the
   object base (first field) of the allocated object containing p, or 0.
   A pointer at a slot's header word is not in the object. Exact only when
   the runs are committed (HEAP-1). */
struct rt_span *rt_heap_spanof(uint64_t p);
uint64_t rt_findobject(uint64_t p);

/* Mark bits (during a GC). rt_heap_mark returns 1 when obj (an object base
   from rt_findobject) was not marked before. */
int rt_heap_mark(uint64_t obj);
int rt_heap_is_marked(uint64_t obj);
void rt_heap_clear_marks(void);

/* Sweep: every allocated, unmarked object becomes free (header FREE, body
   poisoned, HEAP-3); emptied spans return their pages; mark bits cleared.
   Returns the bytes (slot sizes) still allocated. */
uint64_t rt_heap_sweep(void);

/* Heap consistency (HEAP-1..4 and every pointer field of an allocated
   object pointing to an allocated object). Returns the number of problems
   found, printing the first few; 0 = sane. Commits runs first. */
int rt_heap_check(void);

/* Iterate allocated objects (after commit), in address order. */
typedef void (*rt_heap_objfn)(uint64_t obj, uint64_t header, void *arg);
void rt_heap_foreach(rt_heap_objfn fn, void *arg);

/* Word helpers shared by the memory half. */
void rt_words_fill(uint64_t addr, uint64_t bytes, uint64_t value);
void rt_words_move(uint64_t dst, uint64_t src, uint64_t bytes);

/* The module the memory half reads (everypc_module in the guest; host
   tests point it at their own). */
extern const struct ep_module *rt_meta;

/* Heap bookkeeping used by rt_alloc_raw's trigger (heap.c). */
extern uint64_t rt_heap_allocated; /* bytes handed out since the last GC */

/* p lies in the reserved arena (whether or not in an object). */
static inline int rt_in_arena(uint64_t p)
{
	return p - rt_heap_arena_base < rt_heap_arena_size;
}

#endif
