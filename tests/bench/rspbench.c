/*
 * rspbench.c -- what one RSP request costs against QEMU's user-mode
 * gdbstub, and whether QEMU throws its translated code away:
 *   everypc_rspbench ARCH QEMU GUEST [--reps N]
 * GUEST is tests/bench/benchguest.c built for ARCH.
 *
 * Round trips: with the guest stopped at a breakpoint in bg_tick, each
 * request kind is sent N times (default 200), each timed alone; printed as
 * the median and 90th percentile of wall µs, and QEMU's CPU per request
 * (from /proc/PID/task/×/schedstat, nanoseconds, over all N). QEMU 7.2
 * does not step over the breakpoint it stopped at: `c` there stops again
 * at once, the guest not moving. So `c` and `C10` first move the
 * breakpoint (z0 here, Z0 at the other of bg_tick and bg_tock; untimed)
 * and run a few instructions to it.
 *
 * Flush: QEMU runs the guest with HOT = 0 and with HOT = 1024 distinct
 * functions executed between bg_tick and bg_tock (and, HOT x2, twice).
 * The `c` from a stop in bg_tick through them costs the same whatever HOT
 * is if QEMU keeps its translations across a stop, and the translation of
 * HOT functions more if it has thrown them away. Two ways of leaving
 * bg_tick: moving the breakpoint to bg_tock (z0+Z0) or a single step (s),
 * N/4 times each, each `c` timed alone. after_stop = CPU(HOT) - CPU(0):
 * running HOT functions after a stop; second_pass = CPU(HOT x2) - CPU(HOT):
 * running them again in the same continue, translated.
 * Output: plain text tables, one line a row, the first word of each row
 * "rt" or "flush" (tests/bench/bench.py and the CTest check them).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qemuguest.h"

#define HOT_MAX 1024

static struct rsp_error err;
static struct qguest g;
static const char *qemu_bin, *guest_bin;

#define die(...) qg_die(&g, "rspbench", __VA_ARGS__)
#define CHECK(call) QG_CHECK(&g, "rspbench", &err, call)

static uint64_t sym(const char *name)
{
	uint64_t v = qg_sym(guest_bin, name);
	if (!v)
		die("%s: no symbol %s", guest_bin, name);
	return v;
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* QEMU's CPU time so far and its time runnable but waiting for a CPU, ns:
 * the sums over its threads' schedstat. */
static void qemu_sched(double *cpu_ns, double *wait_ns)
{
	char path[64], line[128];
	struct dirent *de;
	*cpu_ns = *wait_ns = 0;
	snprintf(path, sizeof path, "/proc/%d/task", (int)g.ln.pid);
	DIR *d = opendir(path);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/proc/%d/task/%.16s/schedstat",
			 (int)g.ln.pid, de->d_name);
		FILE *f = fopen(path, "r");
		char *end;
		if (f && fgets(line, sizeof line, f)) {
			*cpu_ns += strtod(line, &end);
			*wait_ns += strtod(end, NULL);
		}
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
}

static double qemu_cpu_ns(void)
{
	double cpu, wait;
	qemu_sched(&cpu, &wait);
	return cpu;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Percentile q (0..1) of t[0..n), sorting t. */
static double pct(double *t, int n, double q)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	return t[(int)(q * (n - 1) + 0.5)];
}

/* ---- round trips ------------------------------------------------------ */

enum rt_kind { RT_P, RT_G, RT_M8, RT_M256, RT_M4W, RT_ZZ, RT_C, RT_C10, RT_S };
static const char *const rt_name[] = {"p",     "g", "m8",  "m256", "M4",
				      "Z0+z0", "c", "C10", "s"};
static const char *const rt_what[] = {
    "one register (the PC)",
    "all registers",
    "8 bytes of memory",
    "256 bytes of memory",
    "write 4 bytes of memory",
    "set and clear a breakpoint where the guest never runs",
    "continue to the breakpoint a few instructions on",
    "continue with SIGURG: its handler, then the breakpoint",
    "one instruction"};

struct addrs {
	uint64_t tick, tock, unused, marker, scratch;
	uint64_t at; /* the one breakpoint set: tick or tock */
	unsigned pc_regnum;
};

/* Move the breakpoint from where the guest stopped to the other of
 * bg_tick and bg_tock. */
static void move_break(struct addrs *a)
{
	unsigned kind = g.rr->break_kind;
	CHECK(rsp_client_clear_break(g.cl, a->at, kind, &err));
	a->at = a->at == a->tick ? a->tock : a->tick;
	CHECK(rsp_client_set_break(g.cl, a->at, kind, &err));
}

static void rt_one(enum rt_kind k, struct addrs *a)
{
	uint8_t b[RSP_PACKET_MAX / 2];
	size_t len;
	struct rsp_stop st;
	unsigned kind = g.rr->break_kind;
	switch (k) {
	case RT_P:
		CHECK(rsp_client_read_reg(g.cl, a->pc_regnum, b, sizeof b, &len,
					  &err));
		break;
	case RT_G:
		CHECK(rsp_client_read_regs(g.cl, b, sizeof b, &len, &err));
		break;
	case RT_M8:
		CHECK(rsp_client_read_mem(g.cl, a->marker, b, 8, &err));
		break;
	case RT_M256:
		CHECK(rsp_client_read_mem(g.cl, a->scratch, b, 256, &err));
		break;
	case RT_M4W:
		memset(b, 0x5a, 4);
		CHECK(rsp_client_write_mem(g.cl, a->scratch, b, 4, &err));
		break;
	case RT_ZZ:
		CHECK(rsp_client_set_break(g.cl, a->unused, kind, &err));
		CHECK(rsp_client_clear_break(g.cl, a->unused, kind, &err));
		break;
	case RT_C:
	case RT_C10:
		if (k == RT_C)
			CHECK(rsp_client_cont(g.cl, &st, &err));
		else
			CHECK(rsp_client_cont_sig(g.cl, RSP_GDB_SIGURG, &st,
						  &err));
		if (st.kind != RSP_STOP_SIGNAL)
			die("%s: no stop at a breakpoint (kind %d)", rt_name[k],
			    st.kind);
		break;
	case RT_S:
		CHECK(rsp_client_step(g.cl, &st, &err));
		break;
	}
}

static void start_guest(int rounds, int hot, int passes, struct addrs *a)
{
	char r[16], h[16], p[16];
	const char *const args[] = {r, h, p, NULL};
	struct rsp_stop st;
	snprintf(r, sizeof r, "%d", rounds);
	snprintf(h, sizeof h, "%d", hot);
	snprintf(p, sizeof p, "%d", passes);
	CHECK(qg_start(&g, qemu_bin, guest_bin, args, &err));
	rsp_client_no_cache(g.cl); /* round trips: every read asks QEMU */
	a->tick = sym("bg_tick");
	a->tock = sym("bg_tock");
	a->unused = sym("bg_unused");
	a->marker = sym("bg_marker");
	a->scratch = sym("bg_scratch");
	const struct tdesc_reg *pc = tdesc_find(&g.td, g.rr->pc);
	if (!pc)
		die("no register %s in target.xml", g.rr->pc);
	a->pc_regnum = pc->regnum;
	a->at = a->tick;
	CHECK(rsp_client_set_break(g.cl, a->tick, g.rr->break_kind, &err));
	CHECK(rsp_client_cont(g.cl, &st, &err));
	for (int i = 0; i < 4; i++) { /* a few rounds; then at bg_tick */
		move_break(a);
		CHECK(rsp_client_cont(g.cl, &st, &err));
	}
}

static void round_trips(int n)
{
	struct addrs a;
	double *t = calloc((size_t)n, sizeof *t);
	if (!t)
		die("out of memory");
	start_guest(n + 16, 0, 1, &a);
	printf("rt %-6s %9s %9s %12s  %s\n", "kind", "median_us", "p90_us",
	       "qemu_cpu_us", "what");
	for (enum rt_kind k = RT_P; k <= RT_S; k++) {
		double c0 = qemu_cpu_ns();
		for (int i = 0; i < n; i++) {
			if (k == RT_C || k == RT_C10)
				move_break(&a);
			double t0 = now_us();
			rt_one(k, &a);
			t[i] = now_us() - t0;
		}
		double cpu = (qemu_cpu_ns() - c0) / 1e3 / n;
		double med = pct(t, n, 0.5), p90 = pct(t, n, 0.9);
		printf("rt %-6s %9.1f %9.1f %12.1f  %s\n", rt_name[k], med, p90,
		       cpu, rt_what[k]);
	}
	free(t);
	qg_stop(&g);
}

/* ---- flush ------------------------------------------------------------ */

enum fl_cond { FL_BREAK, FL_STEP, FL_N };
static const char *const fl_name[] = {"z0+Z0;c", "s;c"};

struct fl_res {
	double wall, cpu, wait; /* median wall, mean CPU and wait, µs per c */
};

/* n rounds from a stop at bg_tick back to it, each timing the `c` that
 * runs the hot functions: FL_BREAK moves the breakpoint to bg_tock, times
 * the c, moves it back, continues; FL_STEP steps off bg_tick and times the
 * c back to it. */
static struct fl_res flush_cond(enum fl_cond cond, struct addrs *a, int n)
{
	double *t = calloc((size_t)n, sizeof *t), cpu_sum = 0, wait_sum = 0;
	struct fl_res r;
	if (!t)
		die("out of memory");
	for (int i = 0; i < n; i++) {
		double c0, w0, c1, w1, t0;
		if (cond == FL_BREAK)
			move_break(a);
		else
			rt_one(RT_S, a);
		t0 = now_us();
		qemu_sched(&c0, &w0);
		rt_one(RT_C, a);
		qemu_sched(&c1, &w1);
		t[i] = now_us() - t0;
		cpu_sum += c1 - c0;
		wait_sum += w1 - w0;
		if (cond == FL_BREAK) {
			move_break(a);
			rt_one(RT_C, a);
		}
	}
	r.wall = pct(t, n, 0.5);
	r.cpu = cpu_sum / 1e3 / n;
	r.wait = wait_sum / 1e3 / n;
	free(t);
	return r;
}

static void flush(int n)
{
	static const int hots[3] = {0, HOT_MAX, HOT_MAX}, passes[3] = {1, 1, 2};
	struct fl_res r[3][FL_N];
	struct addrs a;
	for (int h = 0; h < 3; h++) {
		start_guest(FL_N * n + 16, hots[h], passes[h], &a);
		for (enum fl_cond c = FL_BREAK; c < FL_N; c++)
			r[h][c] = flush_cond(c, &a, n);
		qg_stop(&g);
	}
	printf("flush %-8s %9s %9s %9s %9s %9s %9s %9s %10s %11s  (hot: %d "
	       "functions; wall: median us of the c; cpu: QEMU's, wait: QEMU "
	       "waiting for a CPU, mean us per c)\n",
	       "before_c", "wall_hot0", "wall_hot", "wall_x2", "wait_hot",
	       "cpu_hot0", "cpu_hot", "cpu_x2", "after_stop", "second_pass",
	       HOT_MAX);
	for (enum fl_cond c = FL_BREAK; c < FL_N; c++)
		printf("flush %-8s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f "
		       "%10.1f %11.1f\n",
		       fl_name[c], r[0][c].wall, r[1][c].wall, r[2][c].wall,
		       r[1][c].wait, r[0][c].cpu, r[1][c].cpu, r[2][c].cpu,
		       r[1][c].cpu - r[0][c].cpu, r[2][c].cpu - r[1][c].cpu);
}

int main(int argc, char **argv)
{
	int reps = 200;
	if (argc == 6 && !strcmp(argv[4], "--reps"))
		reps = atoi(argv[5]);
	else if (argc != 4) {
		fprintf(stderr,
			"usage: everypc_rspbench ARCH QEMU GUEST [--reps N]\n");
		return 2;
	}
	g.rr = rig_regs_find(argv[1]);
	if (!g.rr || reps < 4) {
		fprintf(stderr, "rspbench: unknown arch %s or reps < 4\n",
			argv[1]);
		return 2;
	}
	qemu_bin = argv[2];
	guest_bin = argv[3];
	printf("rspbench %s: %s, %d repetitions each\n", g.rr->arch, qemu_bin,
	       reps);
	round_trips(reps);
	flush(reps / 4 < 4 ? 4 : reps / 4);
	return 0;
}
