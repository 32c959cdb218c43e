/*
 * debugcall.h -- the debugger's half of debug-call injection (the protocol
 * is runtime/include/everypc/debugcall.h, DC-n): a state machine over a
 * small target interface -- registers by GDB number, memory, save/restore
 * of every register, continue-and-stop -- so that it runs the same against
 * QEMU's gdbstub (dc_rsp_ops) and a scripted fake stub in unit tests.
 *
 * INVARIANTS (cited as "RDC-n"):
 * RDC-1 Every stop is checked before it is believed: it must be a SIGTRAP,
 *       and the instruction at the trap address must be the arch's trap
 *       instruction (DC-2); the status must come in protocol order (ERROR
 *       or READY first; RESULT/PANIC only after READY; RESTORE last).
 *       Anything else is DC_PROTOCOL_ERROR with a message naming the PC,
 *       the status or the stop.
 * RDC-2 Whenever the target is still alive, dc_inject leaves it as it found
 *       it: every register and the EP_DC_SCRATCH bytes below SP are
 *       restored (after RESTORE, and also after a protocol error while the
 *       guest still answers), so the goroutine continues at the original PC.
 * RDC-3 At most DC_MAX_TRAPS trap stops per call (and DC_MAX_OTHER_STOPS
 *       stops the caller claims, dc_other_stop_fn); a guest that keeps
 *       trapping is a protocol error, never a hang (the stub's resume
 *       timeout bounds each wait).
 *
 * Sweep integration (the lead's side): stop the guest at the PC, then
 *   struct dc_rsp_ctx x = {.c = session->c};
 *   struct dc_call call = {.entry = <symbol EP_DEBUGCALL_ENTRY>,
 *                          .fn = <entry of main.f>, .nargs = 2,
 *                          .args = {1, 2}};
 *   dc_inject(dc_arch_find("amd64"), &dc_rsp_ops, &x, &call, &res);
 * and read res.outcome / res.value / res.msg; the guest is then stopped at
 * the original PC again with every register as before (RDC-2).
 */
#ifndef EVERYPC_RIG_DEBUGCALL_H
#define EVERYPC_RIG_DEBUGCALL_H

#include <stddef.h>
#include <stdint.h>

#include "regs.h"

#define DC_MAX_ARGS 30
#define DC_MAX_TRAPS 16
#define DC_MSG_MAX 256
#define DC_MAX_REGBYTES 4096

/* Per-arch protocol facts (DC-1, DC-2): struct dc_arch in regs.h, one in
   each arch/<arch>.c table. */

const struct dc_arch *dc_arch_find(const char *name);

enum dc_stop_kind { DC_STOP_SIGNAL, DC_STOP_EXITED, DC_STOP_GONE };
struct dc_stop {
	enum dc_stop_kind kind;
	unsigned code; /* GDB signal or exit status */
};

/* The target. Each returns 0 or -1 (then errmsg says why). */
struct dc_ops {
	int (*get_reg)(void *ctx, int regnum, uint64_t *v);
	int (*set_reg)(void *ctx, int regnum, uint64_t v);
	int (*read)(void *ctx, uint64_t addr, void *buf, size_t n);
	int (*write)(void *ctx, uint64_t addr, const void *buf, size_t n);
	int (*save_regs)(void *ctx, uint8_t *buf, size_t cap, size_t *len);
	int (*restore_regs)(void *ctx, const uint8_t *buf, size_t len);
	/* resume; a lost connection is DC_STOP_GONE with return 0 or -1 */
	int (*cont)(void *ctx, struct dc_stop *st);
	const char *(*errmsg)(void *ctx);
};

/* A stop during the call that is not a debug-call trap (RDC-1), e.g. the
   caller's own breakpoint on everypc_hook_gc_done to check liveness while
   the injected function collects: return 1 when it was the caller's and is
   handled (the call goes on; at most DC_MAX_OTHER_STOPS), 0 to fail the
   call as a protocol error. pc is the stop's PC as the stub reports it. */
typedef int (*dc_other_stop_fn)(void *arg, uint64_t pc, unsigned gdbsig);
#define DC_MAX_OTHER_STOPS 100000

struct dc_call {
	dc_other_stop_fn other_stop; /* NULL: every other stop is an error */
	void *other_arg;
	uint64_t entry; /* address of EP_DEBUGCALL_ENTRY */
	uint64_t fn;	/* entry of the managed function to call */
	unsigned nargs;
	int64_t args[DC_MAX_ARGS];
	uint32_t frame_size; /* 0: 8 * (nargs + 1), ABI-1 */
};

enum dc_outcome {
	DC_RESULT = 1,	       /* value holds the function's result */
	DC_REFUSED = 2,	       /* msg holds the runtime's reason */
	DC_PANICKED = 3,       /* msg holds the panic message */
	DC_PROTOCOL_ERROR = 4, /* msg says what went wrong */
};

struct dc_result {
	enum dc_outcome outcome;
	int64_t value;
	char msg[DC_MSG_MAX];
	unsigned ntraps;
	unsigned status[DC_MAX_TRAPS]; /* statuses in order */
	uint64_t call_sp;	       /* SP of the call frame at READY */
	int restored;		       /* RDC-2 done */
};

/* Inject call into the goroutine the target is stopped in (RDC-1..3).
   0 when the protocol ran to RESTORE (outcome RESULT, REFUSED or
   PANICKED), -1 with outcome DC_PROTOCOL_ERROR. */
int dc_inject(const struct dc_arch *a, const struct dc_ops *ops, void *ctx,
	      const struct dc_call *call, struct dc_result *r);

const char *dc_outcome_name(enum dc_outcome o);

/* dc_ops over an RSP client (QEMU's gdbstub or a fake stub). */
struct rsp_client;
struct dc_rsp_ctx {
	struct rsp_client *c;
	char err[DC_MSG_MAX];
};
extern const struct dc_ops dc_rsp_ops;

#endif
