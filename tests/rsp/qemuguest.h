/*
 * qemuguest.h -- a small static guest under QEMU's gdbstub, for the
 * programs that drive real QEMU from tests (rsp_qemu.c, the integration
 * test; tests/bench/rspbench.c, the round-trip benchmark): look up the
 * guest's symbols, launch it on a private socket, handshake and check the
 * arch's register table against QEMU's target.xml.
 */
#ifndef EVERYPC_QEMUGUEST_H
#define EVERYPC_QEMUGUEST_H

#include <stdint.h>

#include "launch.h"
#include "regs.h"
#include "rspclient.h"
#include "targetxml.h"

struct qguest {
	const struct rig_regs *rr;
	struct launch ln;
	struct rsp_client *cl;
	struct tdesc td;
};

/* The value of symbol NAME in the ELF file PATH; 0 when absent. */
uint64_t qg_sym(const char *path, const char *name);

/* Launch GUEST with ARGS (NULL-terminated) under QEMU for g->rr's arch
 * (set by the caller), stopped at its entry; EVERYPC_TRACE_RSP=1 traces
 * every packet to stderr. */
int qg_start(struct qguest *g, const char *qemu, const char *guest,
	     const char *const *args, struct rsp_error *err);

/* Close the connection, kill QEMU, free the target description. */
void qg_stop(struct qguest *g);

/* Print "PROG: ARCH: message" to stderr, kill g's QEMU and exit 1. */
__attribute__((noreturn, format(printf, 3, 4))) void
qg_die(struct qguest *g, const char *prog, const char *fmt, ...);

/* Die when call (an int function taking err) fails, naming it. */
#define QG_CHECK(g, prog, err, call)                                           \
	do {                                                                   \
		if ((call) < 0)                                                \
			qg_die(g, prog, "%s: %s", #call, (err)->msg);          \
	} while (0)

#endif
