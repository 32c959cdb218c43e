/*
 * dcall.h -- internals of debug-call injection (debugcall.c, the
 * debugCallV2 code of arch/<arch>/sys.S, the frame facts of
 * arch/<arch>/arch.c). The protocol itself is the contract everypc/debugcall.h
 * (DC-n). Plain #defines first: this file is included by assembly.
 *
 * The entry frame (below the interrupted SP, ISP) holds every register in
 * the order of RIG-7 from its base B, so that once the interrupted
 * goroutine is parked the GC scans [B, ISP) as its async register block:
 *   amd64   (160 bytes): [0..128) rax..r15 (GDB order, rsp slot = ISP)
 *           [128] rflags [136] frame size (DC-1) [144] 0 [152] PC (pushed)
 *   arm64   (304 bytes): [0..248) x0..x30 (x30 = interrupted LR) [248] ISP
 *           [256] PC [264] NZCV [272] frame size [280] 0
 *           [288] the debugger's LR slot [296] 0
 *   riscv64 (304 bytes): [0] PC, [8*i] xi for i = 1..31 (x1 = interrupted
 *           ra, x2 = ISP) [256] 0 [264] 0 [272] frame size [280] 0
 *           [288] the debugger's RA slot [296] 0
 *
 * INVARIANTS (cited as "DCI-n"):
 * DCI-1 At most one debug call is active (rt_dcstate.active, and only in
 *       the iteration that began it: persistent mode resets goroutines); a
 *       second injection while one runs is refused as "call from within the
 *       Go runtime" (its PC is in debug-call code or its goroutine is not
 *       the running one).
 * DCI-2 The call goroutine's code (runtime.debugCallN and what follows up
 *       to rt_dc_text_end) holds no pointer into its own stack across the
 *       call of the managed function, so a stack copy never has to adjust
 *       it; before the call it has no managed frame at all (the unwinder
 *       yields no frame for a PC in that code).
 */
#ifndef EVERYPC_DCALL_H
#define EVERYPC_DCALL_H

/* struct rt_dcstate offsets used by assembly (pinned in debugcall.c). */
#define DCS_MSG_PTR 0
#define DCS_MSG_LEN 8
#define DCS_ENTRY 16
#define DCS_FRAME 24

#define DC_FRAME_AMD64 160
#define DC_FRAME_ARM64 304
#define DC_FRAME_RISCV64 304
#define DC_SIZE_OFF_AMD64 136
#define DC_SIZE_OFF_LR 272 /* arm64 and riscv64 */

#define DC_REASON_RUNTIME_LEN 31

#ifndef __ASSEMBLER__
#include <stdint.h>

#include "sched.h"

struct rt_dcstate {
	uint64_t msg_ptr, msg_len; /* reason / panic message at the trap */
	uint64_t entry;		   /* B of the latest entry (any outcome) */
	uint64_t frame;		   /* B of the active call's entry frame */
	uint32_t active;	   /* DCI-1 */
	uint32_t slot;		   /* rt_allg index of the last call g + 1 */
	struct rt_g *ig;	   /* the interrupted goroutine */
	struct rt_g *callg;	   /* the goroutine running the call */
	struct rt_gqueue stash;	   /* the run queue set aside (DC-5) */
	uint64_t ncalls;	   /* accepted calls so far */
	uint64_t iteration;	   /* rt_iteration when the call began */
};
extern struct rt_dcstate rt_dcstate;

/* Per-arch facts (arch/<arch>/arch.c). */
struct rt_dc_archinfo {
	uint32_t frame_bytes; /* the entry frame, ISP - B */
	uint32_t pc_off;      /* interrupted PC in the frame */
	uint32_t size_off;    /* the debugger's frame size in the frame */
};
extern const struct rt_dc_archinfo rt_dc_arch;

/* Assembly (arch/<arch>/sys.S). */
RT_NORETURN void rt_dc_resume(struct rt_g *g, uint64_t sp, uint64_t pc);
extern char rt_dc_refuse[] __asm__("rt_dc_refuse");
extern char rt_dc_restore[] __asm__("rt_dc_restore");
extern char rt_dc_panicked[] __asm__("rt_dc_panicked");
extern char rt_dc_text_start[] __asm__("rt_dc_text_start");
extern char rt_dc_text_end[] __asm__("rt_dc_text_end");
extern char rt_dc_call32[] __asm__("runtime.debugCall32");
extern char rt_dc_call64[] __asm__("runtime.debugCall64");
extern char rt_dc_call128[] __asm__("runtime.debugCall128");
extern char rt_dc_call256[] __asm__("runtime.debugCall256");

/* debugcall.c */
int rt_dc_pc(uint64_t pc);	/* DCI-2: pc in the call goroutine's code */
int rt_dc_hold(struct rt_g *g); /* DC-5: rt_ready during a call */
/* A panic in the goroutine running a debug call (to be called first by
   every panic path; returns only when g is not that goroutine). */
void rt_debugcall_panic(struct rt_g *g, const char *msg, uint64_t len);
#endif

#endif
