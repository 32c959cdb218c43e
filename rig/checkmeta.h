/*
 * checkmeta.h -- gosub's unsafe ranges and barrier decisions checked
 * against the machine code (issue 12, item 5; issue 17, item 4):
 * `everypc check-meta ELF` and, before a sweep, every function swept.
 *
 * INVARIANTS (cited as "CM-n"):
 *
 * CM-1 From the disassembly alone (objdump's text, per-arch rules of
 *      regs.h: insn_rules), each function has windows where an async
 *      preemption or injected call must be refused:
 *        prologue   from the entry until after the last instruction that
 *                   builds the frame (lowers SP to its final value, saves
 *                   the return address or the frame pointer, sets the
 *                   frame pointer), before the first call, teardown or
 *                   return;
 *        morestack  from the call to runtime.morestack to the end;
 *        epilogue   from the first of the frame-undoing instructions that
 *                   lead to each return, through the return;
 *        gc-atomic  from the load of the allocator's runtime.alloc_next
 *                   until after the last store into the object it
 *                   returned (header, zeroing) through the register it
 *                   was loaded into, before any call, return, next such
 *                   load or other write of that register;
 *        write-barrier  from the load of runtime.writeBarrier through the
 *                   instruction after the first call of
 *                   runtime.gcWriteBarrier that follows it (abi.h ABI-8:
 *                   where the flag test's two paths join, the guarded
 *                   store), when that call comes before any other call or
 *                   return.
 *      Each window is derived as small as the code allows: a PC inside one
 *      is unsafe whatever the metadata says.
 * CM-2 A PC inside a window that the metadata calls safe (no unsafe range
 *      covers it, META-5) is a `metadata` failure naming the instruction
 *      and the window. Metadata stricter than the windows is not an error.
 * CM-3 A function whose code does not look as the rules expect (no frame
 *      built before the first call) yields no prologue window: check-meta
 *      proves nothing there rather than something false.
 * CM-4 A write barrier on a store into the storing function's own frame
 *      (abi.h ABI-8: such stores take none; Go's compiler decides the
 *      same) is a `metadata` failure at the barrier's call. Evidence, from
 *      the code alone: the barrier's slot register was set, by the
 *      straight-line code before the call (no branch lands in between, no
 *      call, at most 32 instructions back), to SP plus a constant, or to a
 *      register plus a constant that was itself set from SP or loaded from
 *      an anchor: a frame word that every write in the function's body
 *      sets to such an SP-derived address (gosub's pointer to a stack
 *      object). One copy is followed, not more: a store through a pointer
 *      variable that happens to point into the frame takes the barrier
 *      legitimately (the compiler does not track where pointers point), and
 *      the rule must not call that a bug. A function that jumps through a
 *      register (branch targets unknown) is not judged.
 */
#ifndef EVERYPC_CHECKMETA_H
#define EVERYPC_CHECKMETA_H

#include <stddef.h>
#include <stdio.h>

#include "target.h"

/* CM-1, CM-2, CM-4 for f: the bad PCs (at most max into bad; the count, which
   may exceed max). */
size_t ev_checkmeta_func(const struct ev_target *t,
			 const struct elfmeta_func *f, struct cm_bad *bad,
			 size_t max);

/* CM-2 and CM-4 for one PC of t: 1 (why in detail) when the metadata
   calls it safe inside a window or it calls a barrier on the frame, else
   0. Every function of t is checked at the
   first call and the findings kept in t (a sweep's cases ask once each). */
int ev_checkmeta_pc(struct ev_target *t, uint64_t pc, char *detail, size_t n);

#endif
