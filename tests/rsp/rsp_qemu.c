/*
 * rsp_qemu.c -- integration test of the rig's RSP layers against real QEMU:
 *   everypc_rsp_qemu ARCH QEMU GUEST [--bench N]
 * Launches GUEST (tests/rsp/guest.c built for ARCH) under QEMU's gdbstub,
 * reads target.xml and checks the arch's register table against it, breaks
 * at ep_break_here (PC must equal it), steps, reads and writes memory,
 * continues with GDB signal 16 (SIGURG) and checks the guest's handler ran,
 * and runs to the exit (W2a). --bench N times m, g, p, s and Z0+c round
 * trips. EVERYPC_TRACE_RSP=1 traces every packet to stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "launch.h"
#include "regs.h"
#include "rspclient.h"
#include "targetxml.h"

static struct rsp_error err;
static struct rsp_client *cl;
static struct tdesc td;
static const struct rig_regs *rr;
static struct launch ln;

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "rsp_qemu: %s: ", rr ? rr->arch : "?");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	launch_stop(&ln, NULL);
	exit(1);
}

#define CHECK(call)                                                            \
	do {                                                                   \
		if ((call) < 0)                                                \
			die("%s: %s", #call, err.msg);                         \
	} while (0)

/* ---- guest symbols (libelf) ---------------------------------------------- */

static uint64_t sym(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY);
	elf_version(EV_CURRENT);
	Elf *e = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	Elf_Scn *scn = NULL;
	uint64_t v = 0;
	while (e && !v && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		gelf_getshdr(scn, &sh);
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		for (size_t i = 0; d && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			gelf_getsym(d, (int)i, &s);
			if (!strcmp(elf_strptr(e, sh.sh_link, s.st_name), name))
				v = s.st_value;
		}
	}
	if (e)
		elf_end(e);
	if (fd >= 0)
		close(fd);
	if (!v)
		die("%s: no symbol %s", path, name);
	return v;
}

/* ---- helpers --------------------------------------------------------------
 */

static uint64_t reg_from_g(const char *name)
{
	uint8_t g[RSP_PACKET_MAX / 2];
	size_t n;
	const struct tdesc_reg *r = tdesc_find(&td, name);
	CHECK(rsp_client_read_regs(cl, g, sizeof g, &n, &err));
	if (!r || !tdesc_in_g(r, n))
		die("register %s not in the g reply (%zu bytes)", name, n);
	return rsp_le_load(g + r->offset, r->size);
}

static uint64_t reg_from_p(const char *name)
{
	uint8_t b[64];
	size_t n;
	CHECK(rsp_client_read_reg(cl, tdesc_find(&td, name)->regnum, b,
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
	struct launch_opts o;
	const char *const args[] = {arg, NULL};
	launch_opts_init(&o);
	o.qemu = qemu;
	o.prog = guest;
	o.prog_args = args;
	o.stderr_fd = 2;
	launch_cleanup_install();
	CHECK(launch_start(&ln, &o, &err));
	struct rsp_client_opts co = {0};
	if (getenv("EVERYPC_TRACE_RSP")) {
		co.trace = rsp_trace_file;
		co.trace_ctx = stderr;
	}
	cl = rsp_client_new(launch_take_fd(&ln), &co, &err);
	if (!cl)
		die("%s", err.msg);
	CHECK(rsp_client_handshake(cl, &err));
	CHECK(tdesc_parse(&td, "target.xml", tdesc_fetch_rsp, cl, &err));
	CHECK(rig_regs_check(rr, &td, &err));
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
	CHECK(launch_wait(&ln, 5000, &status, &err));
	launch_stop(&ln, NULL);
	tdesc_free(&td);
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

/* ---- round-trip benchmark
 * ---------------------------------------------------------- */

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void bench(const char *qemu, const char *guest, int n)
{
	char arg[16];
	struct rsp_stop st;
	uint8_t b[RSP_PACKET_MAX];
	size_t len;
	uint64_t tick = sym(guest, "ep_tick"), marker = sym(guest, "ep_marker");
	snprintf(arg, sizeof arg, "%d", 2 * n + 10);
	start(qemu, guest, arg);
	CHECK(rsp_client_set_break(cl, tick, rr->break_kind, &err));
	CHECK(rsp_client_cont(cl, &st, &err));
	double t0 = now_us();
	for (int i = 0; i < n; i++)
		CHECK(rsp_client_read_mem(cl, marker, b, 8, &err));
	double t1 = now_us();
	for (int i = 0; i < n; i++)
		CHECK(rsp_client_read_regs(cl, b, sizeof b, &len, &err));
	double t2 = now_us();
	for (int i = 0; i < n; i++)
		CHECK(rsp_client_read_reg(cl, 0, b, sizeof b, &len, &err));
	double t3 = now_us();
	for (int i = 0; i < n; i++) /* stays at the breakpoint: c hits it */
		CHECK(rsp_client_cont(cl, &st, &err));
	double t4 = now_us();
	CHECK(rsp_client_clear_break(cl, tick, rr->break_kind, &err));
	for (int i = 0; i < n; i++) {
		CHECK(rsp_client_set_break(cl, tick, rr->break_kind, &err));
		CHECK(rsp_client_cont(cl, &st, &err));
		CHECK(rsp_client_clear_break(cl, tick, rr->break_kind, &err));
	}
	double t5 = now_us();
	for (int i = 0; i < n; i++)
		CHECK(rsp_client_step(cl, &st, &err));
	double t6 = now_us();
	printf("rsp_qemu %s bench (%d each, us/call): m8 %.1f  g %.1f  p %.1f  "
	       "c-to-bp %.1f  Z0+c+z0 %.1f  s %.1f\n",
	       rr->arch, n, (t1 - t0) / n, (t2 - t1) / n, (t3 - t2) / n,
	       (t4 - t3) / n, (t5 - t4) / n, (t6 - t5) / n);
	CHECK(rsp_client_kill(cl, 1, &err));
	rsp_client_close(cl);
	launch_stop(&ln, NULL);
	tdesc_free(&td);
}

int main(int argc, char **argv)
{
	if (argc != 4 && !(argc == 6 && !strcmp(argv[4], "--bench"))) {
		fprintf(
		    stderr,
		    "usage: everypc_rsp_qemu ARCH QEMU GUEST [--bench N]\n");
		return 2;
	}
	rr = rig_regs_find(argv[1]);
	if (!rr) {
		fprintf(stderr, "rsp_qemu: unknown arch %s\n", argv[1]);
		return 2;
	}
	if (argc == 6)
		bench(argv[2], argv[3], atoi(argv[4 + 1]));
	else
		functional(argv[2], argv[3]);
	return 0;
}
