/*
 * session.h -- one guest under QEMU's gdbstub, as the sweep driver sees
 * it: launch, handshake, target description, register snapshots by GDB
 * number, memory, breakpoints, resume and stop; and the symbols and
 * metadata of the guest's ELF.
 *
 * Invariants:
 * SES-1 Registers are located through the parsed target.xml (TDESC-2) and
 *       decoded little-endian (RSP-4); a snapshot holds every register of
 *       at most 64 bits that the stub's g reply carries, indexed by GDB
 *       number, with `have` marking which ones are present.
 * SES-2 Breakpoints are tracked: setting one twice or clearing one that is
 *       not set is a no-op, and ev_session_close never leaves QEMU behind
 *       (LAUNCH-3).
 * SES-3 Every failure leaves a message in s->err naming the operation.
 */
#ifndef EVERYPC_SESSION_H
#define EVERYPC_SESSION_H

#include <stdint.h>
#include <stdio.h>

#include "elfmeta.h"
#include "launch.h"
#include "oracle.h"
#include "regs.h"
#include "rspclient.h"
#include "targetxml.h"

#define EV_MAXREGS 96
#define EV_MAXBREAKS 512

struct ev_regs {
	uint64_t v[EV_MAXREGS];
	uint8_t have[EV_MAXREGS];
};

struct ev_session {
	const struct rig_regs *rr;
	struct launch l;
	struct rsp_client *c;
	struct tdesc td;
	int launched;
	int pc_num, sp_num; /* GDB numbers of PC and SP */
	uint64_t breaks[EV_MAXBREAKS];
	int nbreaks;
	char err[512];
};

struct ev_session_opts {
	const char *qemu; /* QEMU binary (path or name) */
	const char *elf;
	const char *const *envp;  /* guest environment (NULL: empty) */
	int stdout_fd, stderr_fd; /* -1: /dev/null */
	int timeout_ms;		  /* per request */
	int resume_timeout_ms;	  /* per resume (hang detection) */
	FILE *trace;		  /* --trace-rsp, or NULL */
};

int ev_session_start(struct ev_session *s, const struct rig_regs *rr,
		     const struct ev_session_opts *o);
void ev_session_close(struct ev_session *s);

int ev_session_regs(struct ev_session *s, struct ev_regs *r);
int ev_session_set_reg(struct ev_session *s, int regnum, uint64_t v);
/* Read the registers into r, let edit change them, and when it says it
   did (non-zero), write them all back at once: one g, at most one G. */
int ev_session_edit_regs(struct ev_session *s, struct ev_regs *r,
			 int (*edit)(void *ctx, struct ev_regs *r), void *ctx);
int ev_session_read(struct ev_session *s, uint64_t addr, void *buf, size_t n);
int ev_session_write(struct ev_session *s, uint64_t addr, const void *buf,
		     size_t n);
int ev_session_read_u64(struct ev_session *s, uint64_t addr, uint64_t *v);
int ev_session_write_u32(struct ev_session *s, uint64_t addr, uint32_t v);

int ev_session_break(struct ev_session *s, uint64_t addr);
int ev_session_unbreak(struct ev_session *s, uint64_t addr);

/* Resume (gdbsig 0: plain continue) or step; *st gets the stop. */
int ev_session_cont(struct ev_session *s, unsigned gdbsig, struct rsp_stop *st);
int ev_session_step(struct ev_session *s, struct rsp_stop *st);
/* PC of the stop (from its T-packet registers, or a register read). */
int ev_session_stop_pc(struct ev_session *s, const struct rsp_stop *st,
		       uint64_t *pc);

/* An ev_mem reading through this session (for the oracle). */
struct ev_mem ev_session_mem(struct ev_session *s);

/* GDB register name of number n ("?" if none). */
const char *ev_session_regname(const struct ev_session *s, int n);

#endif
