/*
 * rsp_qemu.c -- integration test of the rig's RSP layers against real QEMU:
 *   everypc_rsp_qemu ARCH QEMU GUEST
 * Launches GUEST (tests/rsp/guest.c built for ARCH) under QEMU's gdbstub,
 * reads target.xml and checks the arch's register table against it, breaks
 * at ep_break_here (PC must equal it), steps, reads and writes memory,
 * continues with GDB signal 16 (SIGURG) and checks the guest's handler ran,
 * and runs to the exit (W2a). EVERYPC_TRACE_RSP=1 traces every packet to
 * stderr. The round-trip benchmark is tests/bench/rspbench.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemuguest.h"

static struct rsp_error err;
static struct qguest g;
static struct rsp_client *cl; /* g.cl */
static const struct rig_regs *rr;

#define die(...) qg_die(&g, "rsp_qemu", __VA_ARGS__)
#define CHECK(call) QG_CHECK(&g, "rsp_qemu", &err, call)

static uint64_t sym(const char *path, const char *name)
{
	uint64_t v = qg_sym(path, name);
	if (!v)
		die("%s: no symbol %s", path, name);
	return v;
}

/* ---- helpers --------------------------------------------------------------
 */

static uint64_t reg_from_g(const char *name)
{
	uint8_t regs[RSP_PACKET_MAX / 2];
	size_t n;
	const struct tdesc_reg *r = tdesc_find(&g.td, name);
	CHECK(rsp_client_read_regs(cl, regs, sizeof regs, &n, &err));
	if (!r || !tdesc_in_g(r, n))
		die("register %s not in the g reply (%zu bytes)", name, n);
	return rsp_le_load(regs + r->offset, r->size);
}

static uint64_t reg_from_p(const char *name)
{
	uint8_t b[64];
	size_t n;
	CHECK(rsp_client_read_reg(cl, tdesc_find(&g.td, name)->regnum, b,
				  sizeof b, &n, &err));
	return rsp_le_load(b, n);
}

static uint64_t mem64(uint64_t addr)
{
	uint8_t b[8];
	CHECK(rsp_client_read_mem(cl, addr, b, 8, &err));
	return rsp_le_load(b, 8);
}

static void expect_trap(const struct rsp_stop *st, const char *what)
{
	if (st->kind != RSP_STOP_SIGNAL || st->code != RSP_GDB_SIGTRAP)
		die("%s: expected SIGTRAP stop, got kind %d code %u", what,
		    st->kind, st->code);
}

static void start(const char *qemu, const char *guest, const char *arg)
{
	const char *const args[] = {arg, NULL};
	CHECK(qg_start(&g, qemu, guest, args, &err));
	cl = g.cl;
}

static void finish(unsigned want_status)
{
	struct rsp_stop st;
	int status;
	CHECK(rsp_client_cont(cl, &st, &err));
	if (st.kind != RSP_STOP_EXITED || st.code != want_status)
		die("expected exit %u (W), got kind %d code %u", want_status,
		    st.kind, st.code);
	rsp_client_close(cl);
	g.cl = NULL;
	CHECK(launch_wait(&g.ln, 5000, &status, &err));
	qg_stop(&g);
}

/* ---- the functional test
 * ------------------------------------------------------ */

static void functional(const char *qemu, const char *guest)
{
	uint64_t brk = sym(guest, "ep_break_here");
	uint64_t after = sym(guest, "ep_after_signal");
	uint64_t marker = sym(guest, "ep_marker");
	uint64_t urg = sym(guest, "ep_urg_count");
	uint64_t scratch = sym(guest, "ep_scratch");
	struct rsp_stop st;
	start(qemu, guest, "0");
	CHECK(rsp_client_query_stop(cl, &st, &err));
	expect_trap(&st, "initial stop");
	CHECK(rsp_client_set_break(cl, brk, rr->break_kind, &err));
	CHECK(rsp_client_cont(cl, &st, &err));
	expect_trap(&st, "breakpoint");
	if (reg_from_g(rr->pc) != brk || reg_from_p(rr->pc) != brk)
		die("PC %#llx, breakpoint at %#llx",
		    (unsigned long long)reg_from_g(rr->pc),
		    (unsigned long long)brk);
	CHECK(rsp_client_clear_break(cl, brk, rr->break_kind, &err));
	CHECK(rsp_client_step(cl, &st, &err));
	expect_trap(&st, "step");
	uint64_t pc = reg_from_g(rr->pc);
	if (pc == brk || pc - brk > 16)
		die("after one step PC is %#llx (function at %#llx)",
		    (unsigned long long)pc, (unsigned long long)brk);
	if (mem64(marker) != 0x1122334455667788ull)
		die("ep_marker reads %#llx", (unsigned long long)mem64(marker));
	static uint8_t pat[8192], back[8192];
	for (size_t i = 0; i < sizeof pat; i++)
		pat[i] = (uint8_t)(i * 7 + 3);
	CHECK(rsp_client_write_mem(cl, scratch, pat, sizeof pat, &err));
	CHECK(rsp_client_read_mem(cl, scratch, back, sizeof back, &err));
	if (memcmp(pat, back, sizeof pat) != 0)
		die("8 KiB written and read back differ");
	CHECK(rsp_client_set_break(cl, after, rr->break_kind, &err));
	CHECK(rsp_client_cont_sig(cl, RSP_GDB_SIGURG, &st, &err));
	expect_trap(&st, "breakpoint after SIGURG");
	if (reg_from_g(rr->pc) != after)
		die("stopped at %#llx, not ep_after_signal",
		    (unsigned long long)reg_from_g(rr->pc));
	uint8_t cnt[4];
	CHECK(rsp_client_read_mem(cl, urg, cnt, 4, &err));
	if (rsp_le_load(cnt, 4) != 1)
		die("the SIGURG handler ran %u times",
		    (unsigned)rsp_le_load(cnt, 4));
	CHECK(rsp_client_clear_break(cl, after, rr->break_kind, &err));
	int noack = rsp_client_noack(cl);
	size_t psize = rsp_client_packet_size(cl);
	finish(42);
	printf("rsp_qemu %s: ok (break at %#llx, step to %#llx, acks %s, "
	       "PacketSize %zu)\n",
	       rr->arch, (unsigned long long)brk, (unsigned long long)pc,
	       noack ? "off" : "on", psize);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: everypc_rsp_qemu ARCH QEMU GUEST\n");
		return 2;
	}
	rr = g.rr = rig_regs_find(argv[1]);
	if (!rr) {
		fprintf(stderr, "rsp_qemu: unknown arch %s\n", argv[1]);
		return 2;
	}
	functional(argv[2], argv[3]);
	return 0;
}
