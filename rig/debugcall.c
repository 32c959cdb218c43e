/*
 * debugcall.c -- the debugger's half of debug-call injection (debugcall.h,
 * RDC-n; protocol everypc/debugcall.h, DC-n): set-up, the trap loop with
 * its checks, reading results and messages, the restore; and dc_rsp_ops,
 * the target interface over an RSP client.
 */
#include "debugcall.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "everypc/debugcall.h"
#include "rspclient.h"

const struct dc_arch *dc_arch_find(const char *name)
{
	const struct rig_regs *rr = rig_regs_find(name);
	return rr ? &rr->dc : NULL;
}

const char *dc_outcome_name(enum dc_outcome o)
{
	switch (o) {
	case DC_RESULT:
		return "result";
	case DC_REFUSED:
		return "refused";
	case DC_PANICKED:
		return "panicked";
	case DC_PROTOCOL_ERROR:
		return "protocol-error";
	}
	return "?";
}

/* ---- one injection ---- */

enum phase {
	PH_INJECTED, /* waiting for READY or ERROR */
	PH_CALLING,  /* READY answered: waiting for RESULT or PANIC */
	PH_FINISHED, /* an outcome is known: waiting for RESTORE */
};

struct run {
	const struct dc_arch *a;
	const struct dc_ops *ops;
	void *ctx;
	const struct dc_call *call;
	struct dc_result *r;
	enum phase phase;
	int alive;	 /* the target still answers */
	int saved;	 /* regs and scratch hold the state before injection */
	unsigned nother; /* stops the caller claimed (RDC-3) */
	uint64_t pc0, sp0;
	size_t nregs;
	uint8_t regs[DC_MAX_REGBYTES];
	uint8_t scratch[EP_DC_SCRATCH];
};

static int fail(struct run *u, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct run *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->r->msg, sizeof u->r->msg, fmt, ap);
	va_end(ap);
	u->r->outcome = DC_PROTOCOL_ERROR;
	return -1;
}

/* A failed target operation: fail with what and the target's reason. */
static int tfail(struct run *u, const char *what)
{
	const char *why = u->ops->errmsg ? u->ops->errmsg(u->ctx) : NULL;

	return fail(u, "%s: %s", what, why && *why ? why : "target error");
}

static void put64(uint8_t *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *b)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static int write64(struct run *u, uint64_t addr, uint64_t v)
{
	uint8_t b[8];

	put64(b, v);
	if (u->ops->write(u->ctx, addr, b, 8) < 0)
		return tfail(u, "writing guest memory");
	return 0;
}

static int read64(struct run *u, uint64_t addr, uint64_t *v)
{
	uint8_t b[8];

	if (u->ops->read(u->ctx, addr, b, 8) < 0)
		return tfail(u, "reading guest memory");
	*v = get64(b);
	return 0;
}

static int reg(struct run *u, int n, uint64_t *v)
{
	if (u->ops->get_reg(u->ctx, n, v) < 0)
		return tfail(u, "reading a register");
	return 0;
}

static int setreg(struct run *u, int n, uint64_t v)
{
	if (u->ops->set_reg(u->ctx, n, v) < 0)
		return tfail(u, "writing a register");
	return 0;
}

/* Save every register and the scratch below SP (DC-1, RDC-2). */
static int save(struct run *u)
{
	if (u->ops->save_regs(u->ctx, u->regs, sizeof u->regs, &u->nregs) < 0)
		return tfail(u, "saving the registers");
	if (reg(u, u->a->pc, &u->pc0) < 0 || reg(u, u->a->sp, &u->sp0) < 0)
		return -1;
	if (u->sp0 < EP_DC_SCRATCH)
		return fail(u, "SP 0x%llx leaves no room below it",
			    (unsigned long long)u->sp0);
	if (u->ops->read(u->ctx, u->sp0 - EP_DC_SCRATCH, u->scratch,
			 EP_DC_SCRATCH) < 0)
		return tfail(u, "saving the stack below SP");
	u->saved = 1;
	return 0;
}

static int restore(struct run *u)
{
	if (u->ops->write(u->ctx, u->sp0 - EP_DC_SCRATCH, u->scratch,
			  EP_DC_SCRATCH) < 0)
		return tfail(u, "restoring the stack below SP");
	if (u->ops->restore_regs(u->ctx, u->regs, u->nregs) < 0)
		return tfail(u, "restoring the registers");
	u->r->restored = 1;
	return 0;
}

/* DC-1: push the PC (amd64) or save LR and set LR = PC (LR machines). */
static int setup(struct run *u)
{
	const struct dc_arch *a = u->a;
	uint32_t fs = u->call->frame_size ? u->call->frame_size
					  : 8 * (u->call->nargs + 1);
	uint64_t sp;

	if (a->lr < 0) {
		sp = u->sp0 - 8;
		if (write64(u, sp, u->pc0) < 0)
			return -1;
	} else {
		uint64_t lr;
		sp = u->sp0 - 16;
		if (reg(u, a->lr, &lr) < 0 || write64(u, sp, lr) < 0 ||
		    write64(u, sp + 8, 0) < 0 || setreg(u, a->lr, u->pc0) < 0)
			return -1;
	}
	if (write64(u, sp - EP_DC_SIZE_BELOW, fs) < 0 ||
	    setreg(u, a->sp, sp) < 0 || setreg(u, a->pc, u->call->entry) < 0)
		return -1;
	return 0;
}

/* Is there a trap instruction at pc? */
static int at_trap(struct run *u, uint64_t pc, int *yes)
{
	uint8_t insn[4];
	uint32_t w = 0;

	if (u->ops->read(u->ctx, pc, insn, u->a->trap_len) < 0)
		return tfail(u, "reading the trap instruction");
	for (unsigned i = 0; i < u->a->trap_len; i++)
		w |= (uint32_t)insn[i] << (8 * i);
	*yes = w == u->a->trap;
	return 0;
}

/* A stop that is not a trap: the caller's (1) or an error (-1). */
static int other_stop(struct run *u, uint64_t pc, unsigned sig,
		      const char *what)
{
	const struct dc_call *c = u->call;

	if (c->other_stop && u->nother < DC_MAX_OTHER_STOPS &&
	    c->other_stop(c->other_arg, pc, sig)) {
		u->nother++;
		return 1;
	}
	if (sig != 5)
		return fail(u,
			    "stopped by signal %u at pc 0x%llx, not at a "
			    "debug-call trap",
			    sig, (unsigned long long)pc);
	return fail(u, "SIGTRAP at pc 0x%llx, which is %s",
		    (unsigned long long)pc, what);
}

/* RDC-1: 0 = a SIGTRAP at the trap instruction (*pc its address, *status
   from the status register); 1 = a stop the caller handled; -1 = error. */
static int trap_stop(struct run *u, const struct dc_stop *st, uint64_t *pc,
		     unsigned *status)
{
	const struct dc_arch *a = u->a;
	uint64_t s, raw;
	int yes = 0;

	if (st->kind == DC_STOP_GONE) {
		u->alive = 0;
		return fail(u, "the target died during the call "
			       "(connection lost)");
	}
	if (st->kind == DC_STOP_EXITED) {
		u->alive = 0;
		return fail(u,
			    "the guest exited with status %u during the "
			    "call",
			    st->code);
	}
	if (reg(u, a->pc, &raw) < 0)
		return -1;
	if (st->code != 5 /* GDB SIGTRAP */)
		return other_stop(u, raw, st->code, "");
	*pc = raw - a->stop_after;
	if (at_trap(u, *pc, &yes) < 0)
		return -1;
	if (!yes)
		return other_stop(u, raw, st->code,
				  "not the debug-call trap instruction");
	if (reg(u, a->status, &s) < 0)
		return -1;
	*status = (unsigned)s;
	if (s > 0xff)
		return fail(u, "status 0x%llx out of range at pc 0x%llx",
			    (unsigned long long)s, (unsigned long long)*pc);
	return 0;
}

/* [SP] = pointer, [SP+8] = length: a reason or panic message (DC-3). */
static int read_msg(struct run *u)
{
	uint64_t sp, p, n;

	if (reg(u, u->a->sp, &sp) < 0 || read64(u, sp, &p) < 0 ||
	    read64(u, sp + 8, &n) < 0)
		return -1;
	if (n > 4096)
		return fail(u, "message length %llu is not plausible",
			    (unsigned long long)n);
	if (n > DC_MSG_MAX - 1)
		n = DC_MSG_MAX - 1;
	if (n && u->ops->read(u->ctx, p, u->r->msg, n) < 0)
		return tfail(u, "reading the message");
	u->r->msg[n] = 0;
	return 0;
}

static int on_ready(struct run *u)
{
	const struct dc_call *c = u->call;
	uint64_t sp;

	if (reg(u, u->a->sp, &sp) < 0 || write64(u, sp, c->fn) < 0 ||
	    write64(u, sp + 8, 0) < 0)
		return -1;
	for (unsigned i = 0; i < c->nargs; i++)
		if (write64(u, sp + EP_DC_FRAME_OFF + 8 * i,
			    (uint64_t)c->args[i]) < 0)
			return -1;
	u->r->call_sp = sp;
	return 0;
}

static int on_result(struct run *u)
{
	uint64_t sp, v;

	if (reg(u, u->a->sp, &sp) < 0 ||
	    read64(u, sp + EP_DC_FRAME_OFF + 8 * u->call->nargs, &v) < 0)
		return -1;
	u->r->value = (int64_t)v;
	u->r->outcome = DC_RESULT;
	return 0;
}

/* One trap: check the order (RDC-1) and act. 1 = RESTORE reached. */
static int on_trap(struct run *u, unsigned status, uint64_t pc)
{
	enum phase want =
	    status == EP_DC_READY || status == EP_DC_ERROR    ? PH_INJECTED
	    : status == EP_DC_RESULT || status == EP_DC_PANIC ? PH_CALLING
							      : PH_FINISHED;
	int rc = 0;

	if (status != EP_DC_READY && status != EP_DC_RESULT &&
	    status != EP_DC_PANIC && status != EP_DC_ERROR &&
	    status != EP_DC_RESTORE)
		return fail(u, "unknown status %u at pc 0x%llx", status,
			    (unsigned long long)pc);
	if (u->phase != want)
		return fail(u, "status %u out of order at pc 0x%llx", status,
			    (unsigned long long)pc);
	switch (status) {
	case EP_DC_READY:
		rc = on_ready(u);
		u->phase = PH_CALLING;
		break;
	case EP_DC_RESULT:
		rc = on_result(u);
		u->phase = PH_FINISHED;
		break;
	case EP_DC_PANIC:
	case EP_DC_ERROR:
		rc = read_msg(u);
		u->r->outcome =
		    status == EP_DC_PANIC ? DC_PANICKED : DC_REFUSED;
		u->phase = PH_FINISHED;
		break;
	case EP_DC_RESTORE:
		return restore(u) < 0 ? -1 : 1;
	}
	if (rc < 0)
		return -1;
	if (u->a->advance && setreg(u, u->a->pc, pc + u->a->advance) < 0)
		return -1;
	return 0;
}

/* Continue, then read the stop: 0 trap, 1 the caller's stop, -1 error. */
static int next_stop(struct run *u, uint64_t *pc, unsigned *status)
{
	struct dc_stop st = {DC_STOP_GONE, 0};

	if (u->ops->cont(u->ctx, &st) < 0 && st.kind != DC_STOP_GONE) {
		u->alive = 0; /* running or hung: it cannot be restored */
		return tfail(u, "continuing");
	}
	return trap_stop(u, &st, pc, status);
}

static int trap_loop(struct run *u)
{
	while (u->r->ntraps < DC_MAX_TRAPS) {
		uint64_t pc = 0;
		unsigned status = 0;
		int rc = next_stop(u, &pc, &status);

		if (rc < 0)
			return -1;
		if (rc > 0)
			continue; /* the caller's stop (RDC-3) */
		u->r->status[u->r->ntraps++] = status;
		rc = on_trap(u, status, pc);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	return fail(u, "no RESTORE after %d traps", DC_MAX_TRAPS);
}

int dc_inject(const struct dc_arch *a, const struct dc_ops *ops, void *ctx,
	      const struct dc_call *call, struct dc_result *r)
{
	struct run u;

	memset(&u, 0, sizeof u);
	memset(r, 0, sizeof *r);
	u.a = a;
	u.ops = ops;
	u.ctx = ctx;
	u.call = call;
	u.r = r;
	u.alive = 1;
	u.phase = PH_INJECTED;
	if (call->nargs > DC_MAX_ARGS ||
	    (call->frame_size && call->frame_size < 8 * (call->nargs + 1)))
		return fail(&u, "%u arguments do not fit the call frame",
			    call->nargs);
	if (save(&u) < 0)
		return -1;
	if (setup(&u) == 0 && trap_loop(&u) == 0)
		return 0;
	/* RDC-2: put the goroutine back as found when the target answers. */
	if (u.alive && u.saved) {
		char msg[DC_MSG_MAX], also[DC_MSG_MAX];
		memcpy(msg, r->msg, sizeof msg);
		if (restore(&u) < 0) {
			memcpy(also, r->msg, sizeof also);
			snprintf(r->msg, sizeof r->msg, "%.120s (and %.120s)",
				 msg, also);
		} else {
			memcpy(r->msg, msg, sizeof msg);
		}
		r->outcome = DC_PROTOCOL_ERROR;
	}
	return -1;
}

/* ---- dc_ops over an RSP client ---- */

static int rsp_err(struct dc_rsp_ctx *x, const struct rsp_error *e)
{
	snprintf(x->err, sizeof x->err, "%s", e->msg);
	return -1;
}

static int r_get_reg(void *ctx, int n, uint64_t *v)
{
	struct dc_rsp_ctx *x = ctx;
	struct rsp_error e;
	uint8_t b[64];
	size_t len;

	if (rsp_client_read_reg(x->c, (unsigned)n, b, sizeof b, &len, &e) < 0)
		return rsp_err(x, &e);
	*v = rsp_le_load(b, len < 8 ? len : 8);
	return 0;
}

static int r_set_reg(void *ctx, int n, uint64_t v)
{
	struct dc_rsp_ctx *x = ctx;
	struct rsp_error e;
	uint8_t b[8];

	put64(b, v);
	if (rsp_client_write_reg(x->c, (unsigned)n, b, 8, &e) < 0)
		return rsp_err(x, &e);
	return 0;
}

static int r_read(void *ctx, uint64_t addr, void *buf, size_t n)
{
	struct dc_rsp_ctx *x = ctx;
	struct rsp_error e;

	if (rsp_client_read_mem(x->c, addr, buf, n, &e) < 0)
		return rsp_err(x, &e);
	return 0;
}

static int r_write(void *ctx, uint64_t addr, const void *buf, size_t n)
{
	struct dc_rsp_ctx *x = ctx;
	struct rsp_error e;

	if (rsp_client_write_mem(x->c, addr, buf, n, &e) < 0)
		return rsp_err(x, &e);
	return 0;
}

static int r_save(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	struct dc_rsp_ctx *x = ctx;
	struct rsp_error e;

	if (rsp_client_read_regs(x->c, buf, cap, len, &e) < 0)
		return rsp_err(x, &e);
	return 0;
}

static int r_restore(void *ctx, const uint8_t *buf, size_t len)
{
	struct dc_rsp_ctx *x = ctx;
	struct rsp_error e;

	if (rsp_client_write_regs(x->c, buf, len, &e) < 0)
		return rsp_err(x, &e);
	return 0;
}

static int r_cont(void *ctx, struct dc_stop *st)
{
	struct dc_rsp_ctx *x = ctx;
	struct rsp_error e;
	struct rsp_stop s;

	if (rsp_client_cont(x->c, &s, &e) < 0) {
		st->kind =
		    e.kind == RSP_E_CLOSED ? DC_STOP_GONE : DC_STOP_SIGNAL;
		return rsp_err(x, &e);
	}
	st->code = s.code;
	st->kind = s.kind == RSP_STOP_SIGNAL ? DC_STOP_SIGNAL : DC_STOP_EXITED;
	return 0;
}

static const char *r_errmsg(void *ctx)
{
	return ((struct dc_rsp_ctx *)ctx)->err;
}

const struct dc_ops dc_rsp_ops = {
    r_get_reg, r_set_reg, r_read, r_write, r_save, r_restore, r_cont, r_errmsg,
};
