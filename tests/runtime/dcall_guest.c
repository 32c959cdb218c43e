/*
 * dcall_guest.c -- debug-call injection end to end: real QEMU, the guest
 * program dcall.go (built by gosub for one arch) and the rig's protocol
 * module (rig/debugcall.c) over a session.
 *
 *   dcall_guest QEMU ELF ARCH EXPECTED_OUTPUT [expect-fail=A,B] [panic-hook]
 *
 * Each case runs in a fresh QEMU: break at a PC, inject, check the
 * outcome, that every register came back (RDC-2), that the interrupted
 * goroutine's stack did not move and the other goroutine did not advance
 * (DC-5), then run to the end: exit status 0 and the output of dcall.out.
 * Prints one line per case and "N passed, M failed"; exits 0 when exactly
 * the cases named by expect-fail= failed (none by default: a mutant
 * runtime must fail precisely the cases that catch its bug).
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debugcall.h"
#include "elfmeta.h"
#include "everypc/debugcall.h"
#include "everypc/rig_abi.h"
#include "session.h"

static const char *qemu, *elf, *arch, *expected;
static struct elfmeta *meta;
static int npass, nfail;

enum where { AT_SAFE, AT_UNSAFE, AT_STUB, AT_C, AT_ENTRY, AT_LATE };

struct tcase {
	const char *name;
	enum where at;
	const char *fn;
	int64_t a, b;
	enum dc_outcome want;
	int64_t want_value;
	const char *want_msg;
	uint64_t fake_pc;     /* inject as if stopped there (then put back) */
	uint32_t frame_size;  /* 0: 8 * (nargs + 1) */
	int needs_panic_hook; /* the runtime's panic paths call
				 rt_debugcall_panic (print.c) */
	int repeat;	      /* inject this many times at the same stop */
};

/* Words of a goroutine slot the freeze and stack checks compare. */
struct gview {
	uint64_t stack_lo, stack_hi, sched_pc, sched_sp;
	uint32_t status;
};

static uint64_t sym(const char *name)
{
	const struct elfmeta_symbol *s = elfmeta_symbol(meta, name);

	if (!s) {
		fprintf(stderr, "dcall_guest: no symbol %s in %s\n", name, elf);
		exit(2);
	}
	return s->value;
}

static const struct elfmeta_func *func(const char *name)
{
	for (size_t i = 0; i < meta->nfuncs; i++)
		if (strcmp(meta->funcs[i].name, name) == 0)
			return &meta->funcs[i];
	fprintf(stderr, "dcall_guest: no function %s\n", name);
	exit(2);
}

/* The PC to stop at: main.main just after its 2nd call (newproc: the
   worker is runnable, not yet run), main.loop's entry (prologue), the
   runtime.printint stub (user stack) or its C half (g0), or the program's
   first instruction (_start: no goroutine yet, and on riscv64 no global
   pointer either), or at main.main's last safe call return (main.waiter is
   blocked on its channel there). */
static uint64_t stop_pc(enum where at)
{
	const struct elfmeta_func *m = func("main.main");

	switch (at) {
	case AT_SAFE:
		if (m->ncallsites < 2 ||
		    elfmeta_unsafe_at(meta, m->callsites[1].retpc)) {
			fprintf(stderr, "dcall_guest: main.main's 2nd call "
					"site is not a safe point\n");
			exit(2);
		}
		return m->callsites[1].retpc;
	case AT_UNSAFE:
		return func("main.loop")->entry;
	case AT_STUB:
		return sym("runtime.printint");
	case AT_C:
		return sym("rt_e_printint");
	case AT_ENTRY:
		return sym("_start");
	case AT_LATE: /* main.main's last safe call return: the waiter is
			 blocked on its channel */
		for (size_t i = m->ncallsites; i > 0; i--)
			if (!elfmeta_unsafe_at(meta, m->callsites[i - 1].retpc))
				return m->callsites[i - 1].retpc;
		fprintf(stderr,
			"dcall_guest: main.main has no safe call return\n");
		exit(2);
	}
	return 0;
}

static int read_u64(struct ev_session *s, uint64_t a, uint64_t *v)
{
	return ev_session_read_u64(s, a, v);
}

/* Goroutine slot i, through the layout descriptor (RIG-2). */
static int gview(struct ev_session *s, unsigned i, struct gview *v)
{
	uint64_t lay = sym(EVERYPC_SYM_LAYOUT), base, gsize, offs, st;
	struct everypc_layout L;

	if (ev_session_read(s, lay, &L, sizeof L) < 0)
		return -1;
	base = L.allg_addr + (uint64_t)i * L.g_size;
	(void)gsize;
	(void)offs;
	if (read_u64(s, base + L.off_stack_lo, &v->stack_lo) < 0 ||
	    read_u64(s, base + L.off_stack_hi, &v->stack_hi) < 0 ||
	    read_u64(s, base + L.off_sched_pc, &v->sched_pc) < 0 ||
	    read_u64(s, base + L.off_sched_sp, &v->sched_sp) < 0 ||
	    read_u64(s, base + L.off_status, &st) < 0)
		return -1;
	v->status = (uint32_t)st;
	return 0;
}

/* How many goroutine slots were ever used (layout nallg_addr). */
static uint64_t nallg(struct ev_session *s)
{
	struct everypc_layout L;
	uint64_t n = 0;

	if (ev_session_read(s, sym(EVERYPC_SYM_LAYOUT), &L, sizeof L) < 0 ||
	    read_u64(s, L.nallg_addr, &n) < 0)
		return ~0ull;
	return n;
}

/* The one goroutine waiting on a channel (status 3, RIG-7): main.waiter. */
static int find_waiter(struct ev_session *s, unsigned *slot, struct gview *v)
{
	uint64_t n = nallg(s);
	int found = 0;

	for (unsigned i = 1; i < n && i < 64; i++) {
		struct gview g;
		if (gview(s, i, &g) < 0)
			return -1;
		if (g.status == 3) {
			*slot = i;
			*v = g;
			found++;
		}
	}
	return found == 1 ? 0 : -1;
}

static int check(int ok, const char *tc, const char *what)
{
	if (!ok)
		printf("  %s: FAIL: %s\n", tc, what);
	return ok;
}

static int output_ok(const char *path)
{
	char a[4096], b[4096];
	FILE *f = fopen(path, "r"), *g = fopen(expected, "r");
	size_t na = f ? fread(a, 1, sizeof a, f) : 0;
	size_t nb = g ? fread(b, 1, sizeof b, g) : (size_t)-1;

	if (f)
		fclose(f);
	if (g)
		fclose(g);
	return na == nb && memcmp(a, b, na) == 0;
}

static int inject_case(struct ev_session *s, const struct tcase *t,
		       struct dc_result *r)
{
	const struct elfmeta_func *fn = func(t->fn);
	struct dc_call call = {.entry = sym(EP_DEBUGCALL_ENTRY),
			       .fn = fn->entry,
			       .nargs = 2,
			       .args = {t->a, t->b},
			       .frame_size = t->frame_size};
	struct dc_rsp_ctx x = {.c = s->c};
	int ok = 1;

	dc_inject(dc_arch_find(arch), &dc_rsp_ops, &x, &call, r);
	ok &= check(r->outcome == t->want, t->name, "outcome");
	if (t->want == DC_RESULT)
		ok &= check(r->value == t->want_value, t->name, "result value");
	if (t->want_msg)
		ok &=
		    check(strcmp(r->msg, t->want_msg) == 0, t->name, "message");
	ok &= check(r->restored, t->name, "registers restored");
	if (t->repeat > 1 && ok)
		return ok;
	printf("  %s: %s value=%lld msg=\"%s\" traps=%u\n", t->name,
	       dc_outcome_name(r->outcome), (long long)r->value, r->msg,
	       r->ntraps);
	return ok;
}

/* A scratch file for QEMU's stderr in $TMPDIR (else /tmp); its name in
   out. */
static int scratch_fd(char *out, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	if ((size_t)snprintf(out, n, "%s/dcall_guest.XXXXXX",
			     tmp && *tmp ? tmp : "/tmp") >= n)
		return -1;
	return mkstemp(out);
}

static int run_case(const struct tcase *t)
{
	struct ev_session s;
	struct ev_session_opts o = {.qemu = qemu,
				    .elf = elf,
				    .stdout_fd = -1,
				    .timeout_ms = 5000,
				    .resume_timeout_ms = 20000};
	char out[1024];
	int fd = scratch_fd(out, sizeof out), ok = 1;
	uint64_t pc = stop_pc(t->at), pc2;
	struct rsp_stop st;
	struct ev_regs before, after;
	struct gview m0, m1, w0, w1, wv0 = {0}, wv1 = {0};
	unsigned wslot = 0;
	struct dc_result r;

	o.stderr_fd = fd;
	if (fd < 0 || ev_session_start(&s, rig_regs_find(arch), &o) < 0) {
		printf("  %s: FAIL: start: %s\n", t->name, s.err);
		return 0;
	}
	if (ev_session_break(&s, pc) < 0 || ev_session_cont(&s, 0, &st) < 0 ||
	    ev_session_stop_pc(&s, &st, &pc2) < 0 || pc2 != pc ||
	    ev_session_unbreak(&s, pc) < 0) {
		printf("  %s: FAIL: reaching 0x%llx: %s\n", t->name,
		       (unsigned long long)pc, s.err);
		ev_session_close(&s);
		return 0;
	}
	if (t->fake_pc)
		ok &= check(ev_session_set_reg(&s, s.pc_num, t->fake_pc) == 0,
			    t->name, "setting a fake PC");
	ok &= check(ev_session_regs(&s, &before) == 0, t->name, "regs");
	/* at _start there are no goroutines (nor a layout descriptor) yet */
	if (t->at != AT_ENTRY)
		ok &= check(gview(&s, 0, &m0) == 0 && gview(&s, 1, &w0) == 0,
			    t->name, "goroutines");
	if (t->at == AT_LATE)
		ok &= check(find_waiter(&s, &wslot, &wv0) == 0, t->name,
			    "a goroutine blocked on a channel (main.waiter)");
	ok &= inject_case(&s, t, &r);
	if (t->repeat > 1) {
		/* the call goroutine's slot and stack are reused (DCI-1) */
		uint64_t n0 = nallg(&s);
		for (int i = 1; i < t->repeat && ok; i++)
			ok &= inject_case(&s, t, &r);
		ok &= check(nallg(&s) == n0, t->name,
			    "repeated calls reuse one goroutine slot");
	}
	ok &= check(ev_session_regs(&s, &after) == 0 &&
			memcmp(&before, &after, sizeof before) == 0,
		    t->name, "every register equal after restore");
	if (t->fake_pc)
		ok &= check(ev_session_set_reg(&s, s.pc_num, pc) == 0, t->name,
			    "putting the PC back");
	if (t->at != AT_ENTRY) {
		ok &= check(gview(&s, 0, &m1) == 0 && gview(&s, 1, &w1) == 0,
			    t->name, "goroutines after");
		ok &= check(
		    m0.stack_lo == m1.stack_lo && m0.stack_hi == m1.stack_hi,
		    t->name, "interrupted goroutine's stack did not move");
	}
	if (t->at == AT_LATE) /* woken by the call: runnable, not run */
		ok &= check(gview(&s, wslot, &wv1) == 0 && wv1.status == 1 &&
				wv1.sched_pc == wv0.sched_pc &&
				wv1.sched_sp == wv0.sched_sp,
			    t->name,
			    "the woken goroutine did not run during the call");
	else if (t->at != AT_ENTRY)
		ok &= check(memcmp(&w0, &w1, sizeof w0) == 0, t->name,
			    "the other goroutine did not advance");
	ok &= check(ev_session_cont(&s, 0, &st) == 0 &&
			st.kind == RSP_STOP_EXITED && st.code == 0,
		    t->name, "program exits with status 0");
	ev_session_close(&s);
	close(fd);
	ok &= check(output_ok(out), t->name, "output equals the baseline");
	unlink(out);
	return ok;
}

static const struct tcase cases[] = {
    {"safe", AT_SAFE, "main.f", 1, 2, DC_RESULT, 12, NULL, 0, 0, 0, 0},
    {"unsafe", AT_UNSAFE, "main.f", 1, 2, DC_REFUSED, 0, EP_DC_REASON_UNSAFE, 0,
     0, 0, 0},
    {"runtime-stub", AT_STUB, "main.f", 1, 2, DC_REFUSED, 0,
     EP_DC_REASON_RUNTIME, 0, 0, 0, 0},
    {"runtime-c", AT_C, "main.f", 1, 2, DC_REFUSED, 0, EP_DC_REASON_RUNTIME, 0,
     0, 0, 0},
    {"entry", AT_ENTRY, "main.f", 1, 2, DC_REFUSED, 0, EP_DC_REASON_RUNTIME, 0,
     0, 0, 0},
    {"wake", AT_LATE, "main.poke", 7, 2, DC_RESULT, 2, NULL, 0, 0, 0, 0},
    {"unknown", AT_SAFE, "main.f", 1, 2, DC_REFUSED, 0, EP_DC_REASON_UNKNOWN,
     0x10, 0, 0, 0},
    {"too-large", AT_SAFE, "main.f", 1, 2, DC_REFUSED, 0,
     EP_DC_REASON_TOO_LARGE, 0, 512, 0, 0},
    {"gc-deep", AT_SAFE, "main.g", 1, 2, DC_RESULT, 1500, NULL, 0, 0, 0, 0},
    {"no-panic", AT_SAFE, "main.p", 2, 5, DC_RESULT, 5, NULL, 0, 0, 0, 0},
    {"panic", AT_SAFE, "main.p", 1, 5, DC_PANICKED, 0, "boom", 0, 0, 1, 0},
    {"repeat", AT_SAFE, "main.g", 1, 2, DC_RESULT, 1500, NULL, 0, 0, 0, 20},
};

/* Is name in the comma-separated list? */
static int listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		if (k == n && strncmp(p, name, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* dcall_guest QEMU ELF ARCH EXPECTED [OPTION...]
 *   expect-fail=a,b  pass iff exactly cases a and b fail (mutants)
 *   panic-hook       also run the cases needing rt_debugcall_panic */
int main(int argc, char **argv)
{
	const char *expect_fail = "";
	int panic_hook = 0, bad = 0;
	char err[512];

	if (argc < 5) {
		fprintf(stderr, "usage: dcall_guest QEMU ELF ARCH EXPECTED "
				"[expect-fail=CASE,...] [panic-hook]\n");
		return 2;
	}
	qemu = argv[1];
	elf = argv[2];
	arch = argv[3];
	expected = argv[4];
	for (int i = 5; i < argc; i++) {
		if (strncmp(argv[i], "expect-fail=", 12) == 0)
			expect_fail = argv[i] + 12;
		else if (strcmp(argv[i], "panic-hook") == 0)
			panic_hook = 1;
		else {
			fprintf(stderr, "dcall_guest: bad option %s\n",
				argv[i]);
			return 2;
		}
	}
	if (!dc_arch_find(arch) || !rig_regs_find(arch)) {
		fprintf(stderr, "dcall_guest: unknown arch %s\n", arch);
		return 2;
	}
	if (elfmeta_open(elf, &meta, err, sizeof err) < 0) {
		fprintf(stderr, "dcall_guest: %s\n", err);
		return 2;
	}
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct tcase *t = &cases[i];
		int ok, want_fail = listed(expect_fail, t->name);
		if (t->needs_panic_hook && !panic_hook) {
			printf("skip %s (needs the panic hook)\n", t->name);
			continue;
		}
		ok = run_case(t);
		printf("%s %s%s\n", ok ? "ok" : "FAILED", t->name,
		       want_fail ? " (expected to fail)" : "");
		ok ? npass++ : nfail++;
		bad += ok == want_fail;
	}
	elfmeta_close(meta);
	printf("%d passed, %d failed\n", npass, nfail);
	if (*expect_fail)
		printf("%s\n", bad ? "the failures are not the expected ones"
				   : "exactly the expected cases failed");
	return bad ? 1 : 0;
}
