/*
 * rig.c -- the runtime side of the rig ABI (everypc/rig_abi.h): the mailbox,
 * the layout descriptor and the hook functions.
 *
 * INVARIANTS: RIG-1..7 of rig_abi.h. The hooks are `noipa` (never inlined,
 * cloned or merged with an identical function) and each has a distinct body,
 * so each has its own address the rig can break on.
 */
#include <stddef.h>

#include "rt_asm.h"
#include "sched.h"

struct everypc_rig everypc_rig = {
    .magic = EVERYPC_RIG_MAGIC,
    .version = EVERYPC_RIG_VERSION,
    .size = sizeof(struct everypc_rig),
};

struct everypc_layout everypc_layout;

static volatile uint64_t hook_sink;

#define HOOK __attribute__((noipa, used))

HOOK void everypc_hook_iter_start(uint64_t iteration)
{
	hook_sink = iteration + 0x1000;
}

HOOK void everypc_hook_iter_end(uint64_t iteration)
{
	hook_sink = iteration + 0x2000;
}

HOOK void everypc_hook_parked(struct rt_g *g) { hook_sink = g->id + 0x3000; }

HOOK void everypc_hook_gc_done(uint64_t ngc) { hook_sink = ngc + 0x5000; }

HOOK void everypc_hook_mark_slice(uint64_t n, uint64_t left)
{
	hook_sink = n + left + 0x7000;
}

HOOK void everypc_hook_stack_copied(struct rt_g *g, uint64_t old_lo,
				    uint64_t old_hi)
{
	hook_sink = g->id + (old_hi - old_lo) + 0x6000;
}

HOOK void everypc_hook_throw(const char *msg)
{
	hook_sink = (uint64_t)msg + 0x4000;
}

static void layout_goroutines(struct everypc_layout *l)
{
	l->allg_addr = (uint64_t)rt_allg;
	l->nallg_addr = (uint64_t)&rt_nallg;
	l->nallg_max = RT_MAX_G;
	l->curg_addr = (uint64_t)&rt_curg;
	l->g0_addr = (uint64_t)&rt_g0;
	l->g_size = sizeof(struct rt_g);
	l->off_stack_lo = offsetof(struct rt_g, head.stack_lo);
	l->off_stack_hi = offsetof(struct rt_g, head.stack_hi);
	l->off_stackguard = offsetof(struct rt_g, head.stackguard);
	l->off_id = offsetof(struct rt_g, id);
	l->off_status = offsetof(struct rt_g, status);
	l->off_preempt_async = offsetof(struct rt_g, preempt_async);
	l->off_sched_sp = offsetof(struct rt_g, sched.sp);
	l->off_sched_pc = offsetof(struct rt_g, sched.pc);
	l->off_sched_fp = offsetof(struct rt_g, sched.fp);
	l->off_sched_lr = offsetof(struct rt_g, sched.lr);
	l->off_sched_kind = offsetof(struct rt_g, sched_kind);
	l->off_async_pc = offsetof(struct rt_g, async_pc);
	l->off_async_sp = offsetof(struct rt_g, async_sp);
	l->off_async_regs = offsetof(struct rt_g, async_regs);
	l->off_async_regs_size = offsetof(struct rt_g, async_regs_size);
	l->off_shrink_pending = offsetof(struct rt_g, shrink_pending);
	l->field_size_status = sizeof(uint32_t);
	l->async_preempt_entry = (uint64_t)asyncPreempt;
	l->async_frame_size = rt_arch_async_frame;
}

static void layout_heap(struct everypc_layout *l)
{
	struct rt_heap_desc d;

	rt_memset(&d, 0, sizeof d);
	rt_heap_describe(&d);
	l->arena_base = d.arena_base;
	l->arena_size = d.arena_size;
	l->page_size = d.page_size;
	l->spans_addr = d.spans_addr;
	l->nspans = d.nspans;
	l->span_entry_size = d.span_entry_size;
	l->span_entry_is_ptr = d.span_entry_is_ptr;
	l->span_off_base = d.span_off_base;
	l->span_off_slot_size = d.span_off_slot_size;
	l->span_off_nslots = d.span_off_nslots;
	l->span_off_class = d.span_off_class;
	l->header_size = EP_WORD;
	l->header_state_mask = 0xFF;
	l->header_allocated = EP_OBJ_ALLOCATED;
	l->header_free = EP_OBJ_FREE;
	l->header_type_shift = 16;
	l->stack_base = RT_STACK_BASE;
	l->stack_area = RT_STACK_AREA;
	l->pages_used_addr = d.pages_used_addr;
	l->span_off_markbits = d.span_off_markbits;
	l->off_gcscandone = offsetof(struct rt_g, gcscandone);
	l->off_waitchan = offsetof(struct rt_g, waitchan);
	rt_gc_describe(l);
}

/* RIG-2: filled once, before the first iteration starts. */
void rt_rig_init(void)
{
	struct everypc_layout *l = &everypc_layout;

	l->magic = EVERYPC_LAYOUT_MAGIC;
	l->version = EVERYPC_RIG_VERSION;
	l->arch = rt_arch.arch;
	layout_goroutines(l);
	layout_heap(l);
}
