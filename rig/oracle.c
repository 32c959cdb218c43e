/*
 * oracle.c -- heap view and connection-free oracle checks (oracle.h).
 */
#include "oracle.h"

#include "suite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ev_layout_check(const struct everypc_layout *L, char *err, size_t errlen)
{
	if (L->magic != EVERYPC_LAYOUT_MAGIC) {
		snprintf(err, errlen, "everypc_layout: bad magic 0x%llx",
			 (unsigned long long)L->magic);
		return -1;
	}
	if (L->version != EVERYPC_RIG_VERSION) {
		snprintf(err, errlen,
			 "everypc_layout: version %u, the rig speaks %u",
			 L->version, EVERYPC_RIG_VERSION);
		return -1;
	}
	if (L->page_size == 0 || (L->page_size & (L->page_size - 1)) ||
	    L->arena_size == 0 || L->nspans != L->arena_size / L->page_size ||
	    L->span_entry_size == 0 || L->header_size != 8) {
		snprintf(
		    err, errlen,
		    "everypc_layout: inconsistent heap geometry (page %llu, "
		    "arena %llu, spans %llu)",
		    (unsigned long long)L->page_size,
		    (unsigned long long)L->arena_size,
		    (unsigned long long)L->nspans);
		return -1;
	}
	return 0;
}

static int read_u64(const struct ev_mem *m, uint64_t addr, uint64_t *v)
{
	uint8_t b[8];
	int i;
	if (m->read(m->ctx, addr, b, 8) < 0)
		return -1;
	*v = 0;
	for (i = 7; i >= 0; i--) /* targets are little-endian */
		*v = *v << 8 | b[i];
	return 0;
}

static int read_u32(const struct ev_mem *m, uint64_t addr, uint32_t *v)
{
	uint8_t b[4];
	if (m->read(m->ctx, addr, b, 4) < 0)
		return -1;
	*v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	     (uint32_t)b[3] << 24;
	return 0;
}

/* Read the span entry of page pg: base and slot size (0 = no span). */
static int read_span(const struct everypc_layout *L, const struct ev_mem *m,
		     uint64_t pg, uint64_t *base, uint64_t *slot)
{
	uint64_t e = L->spans_addr + pg * L->span_entry_size;
	uint32_t s32;

	if (L->span_entry_is_ptr) {
		if (read_u64(m, e, &e) < 0)
			return -1;
		if (e == 0) {
			*base = *slot = 0;
			return 0;
		}
	}
	if (read_u64(m, e + L->span_off_base, base) < 0)
		return -1;
	if (read_u32(m, e + L->span_off_slot_size, &s32) < 0)
		return -1;
	*slot = s32;
	return 0;
}

int ev_classify(const struct everypc_layout *L, const struct ev_mem *m,
		uint64_t v, enum ev_ptr_kind *kind, struct ev_objinfo *info)
{
	uint64_t base, slot, obj, state;

	memset(info, 0, sizeof *info);
	*kind = EV_PTR_NONE;
	if (v >= L->stack_base && v - L->stack_base < L->stack_area) {
		*kind = EV_PTR_STACK;
		return 0;
	}
	if (v < L->arena_base || v - L->arena_base >= L->arena_size)
		return 0;
	if (read_span(L, m, (v - L->arena_base) / L->page_size, &base, &slot) <
	    0)
		return -1;
	if (slot == 0 || v < base) {
		*kind = EV_PTR_HEAP_NOSPAN;
		return 0;
	}
	obj = base + (v - base) / slot * slot;
	if (L->span_off_nslots != ~0u) {
		uint64_t e = L->spans_addr + (v - L->arena_base) /
						 L->page_size *
						 L->span_entry_size;
		uint32_t nslots;
		if (L->span_entry_is_ptr && read_u64(m, e, &e) < 0)
			return -1;
		if (read_u32(m, e + L->span_off_nslots, &nslots) < 0)
			return -1;
		if ((v - base) / slot >= nslots) {
			*kind = EV_PTR_HEAP_BAD;
			return 0;
		}
	}
	info->base = obj;
	info->size = slot;
	if (read_u64(m, obj, &info->header) < 0)
		return -1;
	if (v < obj + L->header_size) { /* points at the header itself */
		*kind = EV_PTR_HEAP_BAD;
		return 0;
	}
	state = info->header & L->header_state_mask;
	if (state == L->header_allocated)
		*kind = EV_PTR_HEAP_LIVE;
	else if (state == L->header_free)
		*kind = EV_PTR_HEAP_FREE;
	else
		*kind = EV_PTR_HEAP_BAD;
	return 0;
}

static const char *kind_name(enum ev_ptr_kind k)
{
	switch (k) {
	case EV_PTR_HEAP_FREE:
		return "freed";
	case EV_PTR_HEAP_BAD:
		return "not an object";
	case EV_PTR_HEAP_NOSPAN:
		return "in a page with no span (freed)";
	default:
		return "?";
	}
}

/* Check one heap-or-nil word; 1 ok, 0 fail (detail), -1 read error. */
static int check_word(const struct everypc_layout *L, const struct ev_mem *m,
		      const char *what, uint64_t v, char *detail, size_t dlen)
{
	enum ev_ptr_kind k;
	struct ev_objinfo oi;

	if (ev_classify(L, m, v, &k, &oi) < 0) {
		snprintf(detail, dlen, "%s = 0x%llx: cannot read its header",
			 what, (unsigned long long)v);
		return -1;
	}
	if (k == EV_PTR_HEAP_NOSPAN) {
		snprintf(
		    detail, dlen,
		    "%s = 0x%llx: live pointer into a heap page with no span "
		    "after the GC (its object was freed)",
		    what, (unsigned long long)v);
		return 0;
	}
	if (k == EV_PTR_HEAP_FREE || k == EV_PTR_HEAP_BAD) {
		snprintf(detail, dlen,
			 "%s = 0x%llx: live pointer to an object that is %s "
			 "after the GC (header 0x%llx at 0x%llx)",
			 what, (unsigned long long)v, kind_name(k),
			 (unsigned long long)oi.header,
			 (unsigned long long)oi.base);
		return 0;
	}
	return 1;
}

/* The walk of ev_check_reach: r and where it has been. */
struct reach_walk {
	const struct everypc_layout *L;
	const struct ev_mem *m;
	const struct ev_reach *r;
	unsigned char *seen; /* per object of every frame */
	const char *check;
	char *detail;
	size_t dlen;
};

/* The stack object of some frame that v points into: its frame (*fi) and
   its index over all frames (*gi), or NULL. */
static const struct ev_stackobj_view *
reach_object(const struct reach_walk *rw, uint64_t v, size_t *fi, size_t *gi)
{
	size_t f, i, g = 0;
	for (f = 0; f < rw->r->nframes; f++) {
		const struct ev_frame_view *fr = &rw->r->frames[f];
		for (i = 0; i < fr->nobjs; i++, g++) {
			uint64_t lo = fr->sp + (uint64_t)fr->objs[i].off;
			if (v >= lo && v - lo < fr->objs[i].size) {
				*fi = f, *gi = g;
				return &fr->objs[i];
			}
		}
	}
	return NULL;
}

static int reach_value(struct reach_walk *rw, const char *what, uint64_t v);

/* Every pointer word of stack object o (of frame f), followed. */
static int reach_object_words(struct reach_walk *rw, const char *what, size_t f,
			      const struct ev_stackobj_view *o)
{
	const struct ev_frame_view *fr = &rw->r->frames[f];
	char where[256];
	uint32_t w;

	for (w = 0; w < o->size / 8; w++) {
		uint64_t v, at = fr->sp + (uint64_t)o->off + 8ull * w;
		int rc;
		if (!((o->ptrmask[w / 8] >> (w % 8)) & 1))
			continue;
		if (read_u64(rw->m, at, &v) < 0) {
			snprintf(rw->detail, rw->dlen,
				 "cannot read stack object of %s at sp+%lld",
				 fr->func, (long long)o->off);
			return -1;
		}
		snprintf(where, sizeof where,
			 "%.120s -> stack object of %s at sp+%lld word %u",
			 what, fr->func, (long long)o->off, w);
		if ((rc = reach_value(rw, where, v)) != 1)
			return rc;
	}
	return 1;
}

static int reach_value(struct reach_walk *rw, const char *what, uint64_t v)
{
	const struct everypc_layout *L = rw->L;
	const struct ev_stackobj_view *o;
	size_t f, g;

	if (v < L->stack_base || v - L->stack_base >= L->stack_area) {
		rw->check = "liveness";
		return check_word(L, rw->m, what, v, rw->detail, rw->dlen);
	}
	if (v < rw->r->stack_lo || v >= rw->r->stack_hi) {
		rw->check = "stackptr";
		snprintf(rw->detail, rw->dlen,
			 "%s = 0x%llx: a pointer into the stack area, but not "
			 "into the goroutine's stack [0x%llx, 0x%llx) (a stale "
			 "pointer into a freed or another goroutine's stack)",
			 what, (unsigned long long)v,
			 (unsigned long long)rw->r->stack_lo,
			 (unsigned long long)rw->r->stack_hi);
		return 0;
	}
	if (!(o = reach_object(rw, v, &f, &g)) || rw->seen[g])
		return 1; /* a frame word, not an object; or done already */
	rw->seen[g] = 1;
	return reach_object_words(rw, what, f, o);
}

int ev_check_reach(const struct everypc_layout *L, const struct ev_mem *m,
		   const struct ev_reach *r, const char **check, char *detail,
		   size_t dlen)
{
	struct reach_walk rw = {L, m, r, NULL, "liveness", detail, dlen};
	size_t i, nobjs = 0;
	int rc = 1;

	for (i = 0; i < r->nframes; i++)
		nobjs += r->frames[i].nobjs;
	if (!(rw.seen = calloc(nobjs + 1, 1))) {
		snprintf(detail, dlen, "out of memory");
		*check = "liveness";
		return -1;
	}
	for (i = 0; i < r->nroots && rc == 1; i++)
		rc = reach_value(&rw, r->roots[i].what, r->roots[i].value);
	free(rw.seen);
	*check = rw.check;
	return rc;
}

int ev_check_regs(const uint64_t *before, const uint8_t *have_before,
		  const uint64_t *after, const uint8_t *have_after,
		  const struct ev_regcmp *cmp, size_t ncmp, const char *when,
		  char *detail, size_t dlen)
{
	for (size_t i = 0; i < ncmp; i++) {
		int n = cmp[i].num;
		if (!have_before[n] || !have_after[n] || before[n] == after[n])
			continue;
		snprintf(detail, dlen,
			 "%s: %s was 0x%llx before the action, 0x%llx after",
			 when, cmp[i].name, (unsigned long long)before[n],
			 (unsigned long long)after[n]);
		return 0;
	}
	return 1;
}

int ev_check_stack_same(struct ev_stack before, struct ev_stack after,
			const char *what, char *detail, size_t dlen)
{
	if (before.lo == after.lo && before.hi == after.hi)
		return 1;
	snprintf(detail, dlen, "%s: [0x%llx,0x%llx) became [0x%llx,0x%llx)",
		 what, (unsigned long long)before.lo,
		 (unsigned long long)before.hi, (unsigned long long)after.lo,
		 (unsigned long long)after.hi);
	return 0;
}

int ev_check_deferred_shrink(struct ev_stack before, struct ev_stack now,
			     const char *at, char *detail, size_t dlen)
{
	if (now.hi - now.lo < before.hi - before.lo)
		return 1;
	snprintf(detail, dlen,
		 "a shrink deferred while stopped asynchronously did not "
		 "happen at the next synchronous safe point (%s): stack "
		 "still [0x%llx,0x%llx)",
		 at, (unsigned long long)now.lo, (unsigned long long)now.hi);
	return 0;
}

int ev_check_verdict(int observed, const char *unsafe, char *detail,
		     size_t dlen)
{
	int expected = unsafe ? EV_REJECTED : EV_ACCEPTED;
	if (observed == expected)
		return 1;
	snprintf(detail, dlen, "%s at a PC the metadata calls %s%s",
		 observed == EV_ACCEPTED ? "accepted" : "rejected",
		 unsafe ? "unsafe: " : "an asynchronous safe point",
		 unsafe ? unsafe : "");
	return 0;
}

int ev_check_async_frame(uint64_t async_pc, uint64_t async_sp, uint64_t pc,
			 uint64_t sp, char *detail, size_t dlen)
{
	if (async_pc == pc && async_sp == sp)
		return 1;
	snprintf(detail, dlen,
		 "parked with async pc 0x%llx sp 0x%llx, interrupted at pc "
		 "0x%llx sp 0x%llx",
		 (unsigned long long)async_pc, (unsigned long long)async_sp,
		 (unsigned long long)pc, (unsigned long long)sp);
	return 0;
}

int ev_check_answer(const char *call, const char *unsafe, const char *reason,
		    const struct ev_answer *got, const struct ev_answer *want,
		    char *detail, size_t dlen)
{
	if (unsafe && !got->refused)
		snprintf(detail, dlen,
			 "call %s at a PC the metadata calls unsafe (%s) "
			 "was not refused: %s %lld",
			 call, unsafe, got->name, (long long)got->value);
	else if (unsafe && strcmp(got->msg, reason) != 0)
		snprintf(detail, dlen, "refused with \"%s\", expected \"%s\"",
			 got->msg, reason);
	else if (!unsafe && got->outcome != want->outcome)
		snprintf(detail, dlen,
			 "call %s: %s (%s), the baseline call gave %s", call,
			 got->name, got->msg, want->name);
	else if (!unsafe && got->result && got->value != want->value)
		snprintf(detail, dlen,
			 "call %s returned %lld, the baseline call %lld", call,
			 (long long)got->value, (long long)want->value);
	else
		return 1;
	return 0;
}

static int same_or_woken(uint32_t before, uint32_t after)
{
	return after == before || (before == 3 && after == 1);
}

int ev_check_freeze(const struct ev_gstate *before, size_t nb,
		    const struct ev_gstate *after, size_t na, uint64_t skip,
		    char *detail, size_t dlen)
{
	for (size_t i = 0; i < nb; i++) {
		size_t j;
		for (j = 0; j < na && after[j].addr != before[i].addr; j++)
			;
		if (before[i].addr == skip)
			continue;
		if (j < na && after[j].id == before[i].id &&
		    same_or_woken(before[i].status, after[j].status) &&
		    after[j].pc == before[i].pc && after[j].sp == before[i].sp)
			continue;
		snprintf(detail, dlen,
			 "goroutine %llu advanced during the "
			 "injected call (status %u pc 0x%llx -> %u 0x%llx)",
			 (unsigned long long)before[i].id, before[i].status,
			 (unsigned long long)before[i].pc,
			 j < na ? after[j].status : 0,
			 j < na ? (unsigned long long)after[j].pc : 0ull);
		return 0;
	}
	return 1;
}

int ev_check_outcome(struct ev_outcome got, struct ev_outcome base,
		     const char *extra, char *detail, size_t dlen)
{
	if (got.hash == base.hash && got.exit_status == base.exit_status &&
	    got.heap == base.heap)
		return 1;
	snprintf(detail, dlen,
		 "iteration ended with output hash %016llx, status %d, heap "
		 "check %d; the baseline had %016llx, %d, %d%s",
		 (unsigned long long)got.hash, got.exit_status, got.heap,
		 (unsigned long long)base.hash, base.exit_status, base.heap,
		 extra);
	return 0;
}
