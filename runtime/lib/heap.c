/*
 * heap.c -- the GC heap: arena and page allocator, spans of one size class
 * or one large object, allocation and mark bits, the inline fast path's
 * runs (runtime.alloc_next / runtime.alloc_limit), the allocation slow path
 * without its GC trigger (black while a cycle marks, gcinternal.h GCI-5),
 * findObject, sweep with poisoning, the heap verifier and persistent-mode
 * reset. Invariants HEAP-1..5 are in heap.h.
 *
 * Compiles freestanding for the guest and, with RT_HOSTED=1, on the host
 * for the cmocka tests (which pass the arena memory in).
 */
#include "gcinternal.h"

uint64_t rt_alloc_next[EP_NUM_SIZE_CLASSES];
uint64_t rt_alloc_limit[EP_NUM_SIZE_CLASSES];
uint64_t rt_heap_run_start[EP_NUM_SIZE_CLASSES];
uint64_t rt_heap_arena_base, rt_heap_arena_size;
uint64_t rt_heap_allocated;
struct rt_span *rt_heap_pagespan[RT_MAX_PAGES];

static struct rt_span span_pool[RT_MAX_SPANS];
static uint32_t span_pool_used;	  /* high-water mark of span_pool */
static struct rt_span *span_free; /* recycled span structs, LIFO */
static uint64_t npages_total;	  /* pages in the arena */
static uint64_t pages_hwm;	  /* pages [0, hwm) have ever been used */
static uint64_t committed;	  /* bytes of the arena committed */
static uint64_t first_free_page;  /* no free page below it */
static struct rt_span *class_head[EP_NUM_SIZE_CLASSES];
static struct rt_span *class_tail[EP_NUM_SIZE_CLASSES];
static struct rt_span *class_cur[EP_NUM_SIZE_CLASSES];
static uint32_t class_cur_slot[EP_NUM_SIZE_CLASSES];

static const uint16_t class_sizes[] = {
#define RT_CLASS_SIZE(c, s) s,
    EP_SIZE_CLASSES(RT_CLASS_SIZE)
#undef RT_CLASS_SIZE
};
_Static_assert(sizeof class_sizes / sizeof class_sizes[0] ==
		   EP_NUM_SIZE_CLASSES,
	       "EP_SIZE_CLASSES and EP_NUM_SIZE_CLASSES disagree");
_Static_assert(RT_PAGE_SIZE == 1 << RT_PAGE_SHIFT, "page shift");

/* ---- word helpers and the C library functions the compiler may call ---- */

void rt_words_fill(uint64_t addr, uint64_t bytes, uint64_t value)
{
	volatile uint64_t *p = (volatile uint64_t *)addr;
	for (uint64_t i = 0; i < bytes / EP_WORD; i++)
		p[i] = value;
}

void rt_words_move(uint64_t dst, uint64_t src, uint64_t bytes)
{
	volatile uint64_t *d = (volatile uint64_t *)dst;
	const volatile uint64_t *s = (const volatile uint64_t *)src;
	uint64_t n = bytes / EP_WORD;
	if (dst < src) {
		for (uint64_t i = 0; i < n; i++)
			d[i] = s[i];
	} else {
		for (uint64_t i = n; i > 0; i--)
			d[i - 1] = s[i - 1];
	}
}

#if !RT_HOSTED
/* Byte loops through volatile pointers, so that GCC does not turn them back
   into calls to themselves. */
void *memset(void *d, int c, size_t n)
{
	volatile unsigned char *p = d;
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)c;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	volatile unsigned char *dp = d;
	const volatile unsigned char *sp = s;
	if (dp < sp) {
		for (size_t i = 0; i < n; i++)
			dp[i] = sp[i];
	} else {
		for (size_t i = n; i > 0; i--)
			dp[i - 1] = sp[i - 1];
	}
	return d;
}

void *memcpy(void *d, const void *s, size_t n) { return memmove(d, s, n); }
#endif

/* ---- size classes ---- */

uint64_t rt_class_size(int c) { return class_sizes[c]; }

int rt_size_to_class(uint64_t size)
{
	if (size > EP_MAX_SMALL_SIZE - EP_WORD)
		return -1;
	for (int c = 0; c < EP_NUM_SIZE_CLASSES; c++)
		if (class_sizes[c] >= size + EP_WORD)
			return c;
	return -1;
}

/* ---- bits ---- */

static int bit_get(const uint64_t *bits, uint32_t i)
{
	return (bits[i / 64] >> (i % 64)) & 1;
}

static void bit_set(uint64_t *bits, uint32_t i)
{
	bits[i / 64] |= 1ull << (i % 64);
}

static void bit_clear(uint64_t *bits, uint32_t i)
{
	bits[i / 64] &= ~(1ull << (i % 64));
}

/* First index >= i in [0, n) whose bit equals want, or n. */
static uint32_t bit_find(const uint64_t *bits, uint32_t i, uint32_t n, int want)
{
	while (i < n && bit_get(bits, i) != want)
		i++;
	return i;
}

/* ---- pages and spans ---- */

void rt_heap_init_at(uint64_t base, uint64_t size)
{
	if (base % RT_PAGE_SIZE || size % RT_PAGE_SIZE || size > RT_HEAP_SIZE)
		rt_throw("heap: arena not page aligned or too large");
	rt_heap_arena_base = base;
	rt_heap_arena_size = size;
	npages_total = size / RT_PAGE_SIZE;
	committed = 0;
	rt_heap_reset();
}

static void ensure_committed(uint64_t end_page)
{
	uint64_t need = end_page * RT_PAGE_SIZE;
	if (need <= committed)
		return;
	uint64_t upto = (need + RT_HEAP_COMMIT_CHUNK - 1) /
			RT_HEAP_COMMIT_CHUNK * RT_HEAP_COMMIT_CHUNK;
	if (upto > rt_heap_arena_size)
		upto = rt_heap_arena_size;
	if (rt_sys_map_fixed(rt_heap_arena_base + committed, upto - committed))
		rt_throw("out of memory: cannot map heap arena pages");
	committed = upto;
}

/* First fit from the lowest address (HEAP-5); returns the page index. */
static uint64_t pages_alloc(uint64_t n)
{
	uint64_t run = 0;
	for (uint64_t i = first_free_page; i < npages_total; i++) {
		if (rt_heap_pagespan[i]) {
			run = 0;
			continue;
		}
		if (++run < n)
			continue;
		uint64_t start = i + 1 - n;
		if (start == first_free_page)
			first_free_page = start + n;
		if (start + n > pages_hwm)
			pages_hwm = start + n;
		ensure_committed(start + n);
		return start;
	}
	rt_throw("out of memory: GC heap arena exhausted");
}

static struct rt_span *span_struct_alloc(void)
{
	struct rt_span *s = span_free;
	if (s)
		span_free = s->next;
	else if (span_pool_used < RT_MAX_SPANS)
		s = &span_pool[span_pool_used++];
	else
		rt_throw("out of memory: too many heap spans");
	rt_words_fill((uint64_t)s, sizeof *s, 0);
	return s;
}

static struct rt_span *span_new(uint64_t npages, uint32_t cls,
				uint64_t slot_size)
{
	struct rt_span *s = span_struct_alloc();
	uint64_t pg = pages_alloc(npages);
	s->base = rt_heap_arena_base + pg * RT_PAGE_SIZE;
	s->npages = (uint32_t)npages;
	s->sizeclass = cls;
	s->slot_size = slot_size;
	s->nslots = (uint32_t)(npages * RT_PAGE_SIZE / slot_size);
	s->sig = RT_SPAN_SIG;
	for (uint64_t i = 0; i < npages; i++)
		rt_heap_pagespan[pg + i] = s;
	return s;
}

static void span_release(struct rt_span *s)
{
	uint64_t pg = (s->base - rt_heap_arena_base) / RT_PAGE_SIZE;
	for (uint64_t i = 0; i < s->npages; i++)
		rt_heap_pagespan[pg + i] = 0;
	if (pg < first_free_page)
		first_free_page = pg;
	s->sig = RT_SPAN_DEAD_SIG;
	s->next = span_free;
	span_free = s;
}

/* HEAP-3 for a slot that is (now) free. */
static void slot_poison(uint64_t slot, uint64_t slot_size, uint32_t type)
{
	*(uint64_t *)slot = EP_OBJ_HEADER(type, EP_OBJ_FREE);
	rt_words_fill(slot + EP_WORD, slot_size - EP_WORD, RT_POISON);
}

static void slot_init(uint64_t slot, uint64_t slot_size, uint32_t type)
{
	*(uint64_t *)slot = EP_OBJ_HEADER(type, EP_OBJ_ALLOCATED);
	rt_words_fill(slot + EP_WORD, slot_size - EP_WORD, 0);
}

static struct rt_span *class_span_new(int c)
{
	uint64_t ss = class_sizes[c];
	struct rt_span *s = span_new(1, (uint32_t)c, ss);
	for (uint32_t i = 0; i < s->nslots; i++)
		slot_poison(s->base + i * ss, ss, EP_TYPE_NONE);
	if (class_tail[c])
		class_tail[c]->next = s;
	else
		class_head[c] = s;
	class_tail[c] = s;
	return s;
}

/* ---- object lookup and mark bits ---- */

struct rt_span *rt_heap_spanof(uint64_t p)
{
	if (!rt_in_arena(p))
		return 0;
	return rt_heap_pagespan[(p - rt_heap_arena_base) >> RT_PAGE_SHIFT];
}

/* Slot index of p in s, or -1 when p is past the last slot. */
static int64_t slot_index(const struct rt_span *s, uint64_t p)
{
	uint64_t idx = (p - s->base) / s->slot_size;
	return idx < s->nslots ? (int64_t)idx : -1;
}

uint64_t rt_findobject(uint64_t p)
{
	struct rt_span *s = rt_heap_spanof(p);
	if (!s)
		return 0;
	int64_t idx = slot_index(s, p);
	if (idx < 0 || !bit_get(s->allocbits, (uint32_t)idx))
		return 0;
	uint64_t slot = s->base + (uint64_t)idx * s->slot_size;
	if (p - slot < EP_WORD)
		return 0; /* the header word is not part of the object */
	return slot + EP_WORD;
}

int rt_heap_mark(uint64_t obj)
{
	struct rt_span *s = rt_heap_spanof(obj);
	uint32_t idx = (uint32_t)slot_index(s, obj);
	if (bit_get(s->markbits, idx))
		return 0;
	bit_set(s->markbits, idx);
	return 1;
}

int rt_heap_is_marked(uint64_t obj)
{
	struct rt_span *s = rt_heap_spanof(obj);
	return s && bit_get(s->markbits, (uint32_t)slot_index(s, obj));
}

/* Calls fn for every span in use, in address order; fn may release it. */
static void foreach_span(void (*fn)(struct rt_span *s, void *arg), void *arg)
{
	uint64_t pg = 0;
	while (pg < pages_hwm) {
		struct rt_span *s = rt_heap_pagespan[pg];
		if (!s) {
			pg++;
			continue;
		}
		pg += s->npages;
		fn(s, arg);
	}
}

static void span_clear_marks(struct rt_span *s, void *arg)
{
	(void)arg;
	for (int i = 0; i < RT_SPAN_BITWORDS; i++)
		s->markbits[i] = 0;
}

void rt_heap_clear_marks(void) { foreach_span(span_clear_marks, 0); }

/* ---- allocation ---- */

/* HEAP-1: fold the consumed part of class c's run into the alloc bits. */
static void commit_run(int c)
{
	uint64_t ss = class_sizes[c];
	uint64_t start = rt_heap_run_start[c], next = rt_alloc_next[c];
	struct rt_span *s = class_cur[c]; /* every run lies in it */
	if (start) {
		for (uint64_t p = start; p < next; p += ss) {
			uint32_t idx = (uint32_t)((p - s->base) / ss);
			if (EP_OBJ_STATE(*(uint64_t *)p) != EP_OBJ_ALLOCATED)
				rt_throw("heap: consumed run slot has no "
					 "object header (HEAP-2)");
			bit_set(s->allocbits, idx);
			s->nalloc++;
		}
		rt_heap_allocated -= rt_alloc_limit[c] - next;
		/* the unconsumed rest of the run stays available */
		class_cur_slot[c] = (uint32_t)((next - s->base) / ss);
	}
	rt_heap_run_start[c] = rt_alloc_next[c] = rt_alloc_limit[c] = 0;
}

void rt_heap_commit_runs(void)
{
	for (int c = 0; c < EP_NUM_SIZE_CLASSES; c++)
		commit_run(c);
}

/* Slow path for class c: the next free slot, allocated at once; the free
   slots after it up to the next allocated one become the class's run (an
   empty run when want_run is 0: gcstress, HEAP-2). */
static uint64_t class_alloc(int c, uint32_t type, int want_run)
{
	uint64_t ss = class_sizes[c];
	commit_run(c);
	for (;;) {
		struct rt_span *s = class_cur[c];
		if (!s) {
			s = class_span_new(c);
			class_cur[c] = s;
			class_cur_slot[c] = 0;
		}
		uint32_t j =
		    bit_find(s->allocbits, class_cur_slot[c], s->nslots, 0);
		if (j == s->nslots) {
			class_cur[c] = s->next;
			class_cur_slot[c] = 0;
			if (!s->next)
				class_cur[c] = class_span_new(c);
			continue;
		}
		uint32_t k = want_run
				 ? bit_find(s->allocbits, j + 1, s->nslots, 1)
				 : j + 1;
		uint64_t slot = s->base + j * ss;
		bit_set(s->allocbits, j); /* the slow path's own object */
		s->nalloc++;
		rt_heap_run_start[c] = slot + ss;
		rt_alloc_next[c] = slot + ss;
		rt_alloc_limit[c] = s->base + k * ss;
		class_cur_slot[c] = k;
		rt_heap_allocated += (k - j) * ss;
		slot_init(slot, ss, type);
		return slot + EP_WORD;
	}
}

static uint64_t large_alloc(uint64_t size, uint32_t type)
{
	uint64_t npages = (size + EP_WORD + RT_PAGE_SIZE - 1) / RT_PAGE_SIZE;
	struct rt_span *s =
	    span_new(npages, RT_CLASS_LARGE, npages * RT_PAGE_SIZE);
	bit_set(s->allocbits, 0);
	s->nalloc = 1;
	slot_init(s->base, s->slot_size, type);
	rt_heap_allocated += s->slot_size;
	return s->base + EP_WORD;
}

void *rt_heap_alloc_nogc(uint64_t size, uint32_t typeidx)
{
	if (typeidx != EP_TYPE_NONE && typeidx >= rt_meta->ntypes)
		rt_throw("newobject: type index out of range");
	if (size > rt_heap_arena_size)
		rt_throw("out of memory: allocation larger than the arena");
	size = (size + EP_WORD - 1) / EP_WORD * EP_WORD;
	int c = rt_size_to_class(size);
	int marking = rt_gcphase == RT_GCPHASE_MARK;
	uint64_t p =
	    c < 0 ? large_alloc(size, typeidx)
		  : class_alloc(c, typeidx, !rt_debug.gcstress && !marking);
#ifndef EP_MUTANT_ALLOC_WHITE
	/* (Mutant ALLOC_WHITE: the new object stays white; reached only from
	   a scanned stack or a black object, it is freed by this cycle.) */
	if (marking)
		rt_heap_mark(p); /* GCI-5: allocated black */
#endif
	return (void *)p;
}

/* ---- sweep ---- */

struct sweep_acc {
	uint64_t live;
};

static void sweep_span(struct rt_span *s, void *arg)
{
	struct sweep_acc *acc = arg;
	for (uint32_t i = 0; i < s->nslots; i++) {
		if (!bit_get(s->allocbits, i) || bit_get(s->markbits, i))
			continue;
		uint64_t slot = s->base + i * s->slot_size;
		slot_poison(slot, s->slot_size, EP_OBJ_TYPE(*(uint64_t *)slot));
		bit_clear(s->allocbits, i);
		s->nalloc--;
	}
	span_clear_marks(s, 0);
	acc->live += s->nalloc * s->slot_size;
	if (s->nalloc == 0)
		span_release(s);
}

/* HEAP-5: rebuild each class's span list in address order. */
static void relist_span(struct rt_span *s, void *arg)
{
	(void)arg;
	if (s->sizeclass == RT_CLASS_LARGE)
		return;
	int c = (int)s->sizeclass;
	s->next = 0;
	if (class_tail[c])
		class_tail[c]->next = s;
	else
		class_head[c] = s;
	class_tail[c] = s;
}

uint64_t rt_heap_sweep(void)
{
	struct sweep_acc acc = {0};
	rt_heap_commit_runs();
	foreach_span(sweep_span, &acc);
	for (int c = 0; c < EP_NUM_SIZE_CLASSES; c++)
		class_head[c] = class_tail[c] = 0;
	foreach_span(relist_span, 0);
	for (int c = 0; c < EP_NUM_SIZE_CLASSES; c++) {
		class_cur[c] = class_head[c];
		class_cur_slot[c] = 0;
	}
	rt_heap_allocated = 0;
	return acc.live;
}

/* ---- iteration, verifier ---- */

struct foreach_arg {
	rt_heap_objfn fn;
	void *arg;
};

static void foreach_obj_in_span(struct rt_span *s, void *arg)
{
	struct foreach_arg *fa = arg;
	for (uint32_t i = 0; i < s->nslots; i++) {
		if (!bit_get(s->allocbits, i))
			continue;
		uint64_t slot = s->base + i * s->slot_size;
		fa->fn(slot + EP_WORD, *(uint64_t *)slot, fa->arg);
	}
}

void rt_heap_foreach(rt_heap_objfn fn, void *arg)
{
	struct foreach_arg fa = {fn, arg};
	foreach_span(foreach_obj_in_span, &fa);
}

struct check_state {
	int problems;
};

static void check_report(struct check_state *cs, const char *what,
			 uint64_t addr)
{
	if (cs->problems++ < 8) {
		rt_print_str("heap check: ");
		rt_print_str(what);
		rt_print_str(" at ");
		rt_print_hex(addr);
		rt_print_str("\n");
	}
}

static int words_equal(uint64_t addr, uint64_t bytes, uint64_t value)
{
	for (uint64_t off = 0; off < bytes; off += EP_WORD)
		if (*(const uint64_t *)(addr + off) != value)
			return 0;
	return 1;
}

static void check_slot(struct check_state *cs, struct rt_span *s, uint32_t i)
{
	uint64_t slot = s->base + i * s->slot_size;
	uint64_t h = *(const uint64_t *)slot;
	uint32_t t = EP_OBJ_TYPE(h);
	if (bit_get(s->markbits, i) && rt_gcphase != RT_GCPHASE_MARK)
		check_report(cs, "mark bit set outside GC (HEAP-4)", slot);
	if (!bit_get(s->allocbits, i)) {
		if (EP_OBJ_STATE(h) != EP_OBJ_FREE)
			check_report(cs, "free slot without FREE header", slot);
		else if (!words_equal(slot + EP_WORD, s->slot_size - EP_WORD,
				      RT_POISON))
			check_report(cs, "free slot written after free", slot);
		return;
	}
	if (EP_OBJ_STATE(h) != EP_OBJ_ALLOCATED)
		check_report(cs, "allocated slot without ALLOCATED header",
			     slot);
	else if (t != EP_TYPE_NONE && t >= rt_meta->ntypes)
		check_report(cs, "object header with bad type index", slot);
	else if (t != EP_TYPE_NONE &&
		 rt_meta->types[t].size + EP_WORD > s->slot_size)
		check_report(cs, "object type larger than its slot", slot);
}

static void check_span(struct rt_span *s, void *arg)
{
	struct check_state *cs = arg;
	uint32_t n = 0;
	if (s->sig != RT_SPAN_SIG)
		check_report(cs, "span signature", s->base);
	for (uint32_t i = 0; i < s->nslots; i++) {
		n += (uint32_t)bit_get(s->allocbits, i);
		check_slot(cs, s, i);
	}
	if (n != s->nalloc)
		check_report(cs, "span allocation count", s->base);
}

static void check_pointer(struct check_state *cs, uint64_t v, uint64_t where)
{
	if (rt_in_arena(v) && !rt_findobject(v))
		check_report(cs, "pointer to a free or unallocated slot",
			     where);
}

static void check_obj_fields(uint64_t obj, uint64_t h, void *arg)
{
	uint32_t t = EP_OBJ_TYPE(h);
	if (t == EP_TYPE_NONE || t >= rt_meta->ntypes)
		return;
	const struct ep_type *ty = &rt_meta->types[t];
	for (uint64_t w = 0; w < ty->size / EP_WORD; w++)
		if (ep_bit(ty->ptrmask, w))
			check_pointer(arg, *(uint64_t *)(obj + w * EP_WORD),
				      obj + w * EP_WORD);
}

static void check_globals(struct check_state *cs)
{
	const struct ep_module *m = rt_meta;
	for (uint64_t w = 0; w < m->globals_size / EP_WORD; w++) {
		uint64_t a = m->globals_start + w * EP_WORD;
		if (ep_bit(m->globals_ptrmask, w))
			check_pointer(cs, *(uint64_t *)a, a);
	}
}

int rt_heap_check(void)
{
	struct check_state cs = {0};
	rt_heap_commit_runs();
	foreach_span(check_span, &cs);
	rt_heap_foreach(check_obj_fields, &cs);
	check_globals(&cs);
	return cs.problems;
}

int rt_heap_verify(void) { return rt_heap_check(); }

/* ---- reset, description ---- */

void rt_heap_reset(void)
{
	/* Back to a fresh process's zeroed arena (see rt_stack_reset); a
	   cycle in progress is abandoned (GCI-4). */
	rt_gc_init();
	memset((void *)rt_heap_arena_base, 0, pages_hwm * RT_PAGE_SIZE);
	for (uint64_t pg = 0; pg < pages_hwm; pg++)
		rt_heap_pagespan[pg] = 0;
	pages_hwm = first_free_page = 0;
	span_pool_used = 0;
	span_free = 0;
	for (int c = 0; c < EP_NUM_SIZE_CLASSES; c++) {
		class_head[c] = class_tail[c] = class_cur[c] = 0;
		class_cur_slot[c] = 0;
		rt_heap_run_start[c] = rt_alloc_next[c] = rt_alloc_limit[c] = 0;
	}
	rt_heap_allocated = 0;
	rt_memstats.heap_live = 0;
	rt_memstats.next_gc = RT_GC_MIN_TRIGGER;
}

void rt_heap_describe(struct rt_heap_desc *d)
{
	d->arena_base = rt_heap_arena_base;
	d->arena_size = rt_heap_arena_size;
	d->page_size = RT_PAGE_SIZE;
	d->spans_addr = (uint64_t)rt_heap_pagespan;
	d->nspans = npages_total;
	d->span_entry_size = sizeof(struct rt_span *);
	d->span_entry_is_ptr = 1;
	d->span_off_base = __builtin_offsetof(struct rt_span, base);
	d->span_off_slot_size = __builtin_offsetof(struct rt_span, slot_size);
	d->span_off_nslots = __builtin_offsetof(struct rt_span, nslots);
	d->span_off_class = __builtin_offsetof(struct rt_span, sizeclass);
	d->pages_used_addr = (uint64_t)&pages_hwm;
	d->span_off_markbits = __builtin_offsetof(struct rt_span, markbits);
}

void rt_heap_init(void)
{
	rt_meta_check();
	rt_heap_init_at(RT_HEAP_BASE, RT_HEAP_SIZE);
	rt_stack_init_at(RT_STACK_BASE, RT_STACK_AREA);
}
