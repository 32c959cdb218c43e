/*
 * session.c -- one guest under QEMU's gdbstub (session.h).
 */
#include "session.h"

#include <stdarg.h>
#include <string.h>

static int sfail(struct ev_session *s, const char *what, const char *msg)
{
	snprintf(s->err, sizeof s->err, "%s: %s", what, msg);
	return -1;
}

int ev_session_start(struct ev_session *s, const struct rig_regs *rr,
		     const struct ev_session_opts *o)
{
	struct launch_opts lo;
	struct rsp_client_opts co = {0};
	struct rsp_error e;
	const struct tdesc_reg *pc, *sp;

	memset(s, 0, sizeof *s);
	s->rr = rr;
	launch_opts_init(&lo);
	lo.qemu = o->qemu;
	lo.prog = o->elf;
	lo.envp = o->envp;
	lo.stdout_fd = o->stdout_fd;
	lo.stderr_fd = o->stderr_fd;
	if (launch_start(&s->l, &lo, &e) < 0)
		return sfail(s, "launching QEMU", e.msg);
	s->launched = 1;
	co.timeout_ms = o->timeout_ms;
	co.resume_timeout_ms = o->resume_timeout_ms;
	if (o->trace) {
		co.trace = rsp_trace_file;
		co.trace_ctx = o->trace;
	}
	s->c = rsp_client_new(launch_take_fd(&s->l), &co, &e);
	if (!s->c) {
		ev_session_close(s);
		return sfail(s, "connecting to the gdbstub", e.msg);
	}
	if (rsp_client_handshake(s->c, &e) < 0 ||
	    tdesc_parse(&s->td, "target.xml", tdesc_fetch_rsp, s->c, &e) < 0 ||
	    rig_regs_check(rr, &s->td, &e) < 0) {
		char msg[300];
		snprintf(msg, sizeof msg, "%s", e.msg);
		ev_session_close(s);
		return sfail(s, "reading the target description", msg);
	}
	pc = tdesc_find(&s->td, rr->pc);
	sp = tdesc_find(&s->td, rr->sp);
	if (!pc || !sp || pc->regnum >= EV_MAXREGS ||
	    sp->regnum >= EV_MAXREGS) {
		ev_session_close(s);
		return sfail(s, "target description",
			     "no usable PC/SP register");
	}
	s->pc_num = (int)pc->regnum;
	s->sp_num = (int)sp->regnum;
	return 0;
}

void ev_session_close(struct ev_session *s)
{
	/* No vKill round trip: SIGKILL from launch_stop is immediate and
	   certain (LAUNCH-3). */
	if (s->c) {
		rsp_client_close(s->c);
		s->c = NULL;
	}
	if (s->launched) {
		launch_stop(&s->l, NULL);
		s->launched = 0;
	}
	tdesc_free(&s->td);
	memset(&s->td, 0, sizeof s->td);
}

/* r from a g reply of n bytes (SES-1). */
static int decode_g(struct ev_session *s, const uint8_t *g, size_t n,
		    struct ev_regs *r)
{
	size_t i;

	memset(r, 0, sizeof *r);
	for (i = 0; i < s->td.nregs; i++) {
		const struct tdesc_reg *t = &s->td.regs[i];
		if (t->regnum >= EV_MAXREGS || t->size > 8 || !tdesc_in_g(t, n))
			continue;
		r->v[t->regnum] = rsp_le_load(g + t->offset, t->size);
		r->have[t->regnum] = 1;
	}
	if (!r->have[s->pc_num] || !r->have[s->sp_num])
		return sfail(s, "reading registers", "g reply lacks PC or SP");
	return 0;
}

int ev_session_regs(struct ev_session *s, struct ev_regs *r)
{
	uint8_t g[RSP_PACKET_MAX / 2];
	size_t n;
	struct rsp_error e;

	if (rsp_client_read_regs(s->c, g, sizeof g, &n, &e) < 0)
		return sfail(s, "reading registers", e.msg);
	return decode_g(s, g, n, r);
}

int ev_session_edit_regs(struct ev_session *s, struct ev_regs *r,
			 int (*edit)(void *ctx, struct ev_regs *r), void *ctx)
{
	uint8_t g[RSP_PACKET_MAX / 2];
	size_t n, i;
	struct rsp_error e;

	if (rsp_client_read_regs(s->c, g, sizeof g, &n, &e) < 0)
		return sfail(s, "reading registers", e.msg);
	if (decode_g(s, g, n, r) < 0)
		return -1;
	if (!edit(ctx, r))
		return 0;
	for (i = 0; i < s->td.nregs; i++) {
		const struct tdesc_reg *t = &s->td.regs[i];
		if (t->regnum >= EV_MAXREGS || t->size > 8 ||
		    !tdesc_in_g(t, n) || !r->have[t->regnum])
			continue;
		rsp_le_store(g + t->offset, t->size, r->v[t->regnum]);
	}
	if (rsp_client_write_regs(s->c, g, n, &e) < 0)
		return sfail(s, "writing registers", e.msg);
	return 0;
}

int ev_session_set_reg(struct ev_session *s, int regnum, uint64_t v)
{
	const struct tdesc_reg *t = tdesc_find_regnum(&s->td, (unsigned)regnum);
	uint8_t b[8];
	struct rsp_error e;
	size_t i;

	if (!t || t->size > 8)
		return sfail(s, "writing a register", "no such register");
	for (i = 0; i < t->size; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	if (rsp_client_write_reg(s->c, (unsigned)regnum, b, t->size, &e) < 0)
		return sfail(s, "writing a register", e.msg);
	return 0;
}

int ev_session_read(struct ev_session *s, uint64_t addr, void *buf, size_t n)
{
	struct rsp_error e;
	if (rsp_client_read_mem(s->c, addr, buf, n, &e) < 0) {
		char what[64];
		snprintf(what, sizeof what, "reading %zu bytes at 0x%llx", n,
			 (unsigned long long)addr);
		return sfail(s, what, e.msg);
	}
	return 0;
}

int ev_session_write(struct ev_session *s, uint64_t addr, const void *buf,
		     size_t n)
{
	struct rsp_error e;
	if (rsp_client_write_mem(s->c, addr, buf, n, &e) < 0) {
		char what[64];
		snprintf(what, sizeof what, "writing %zu bytes at 0x%llx", n,
			 (unsigned long long)addr);
		return sfail(s, what, e.msg);
	}
	return 0;
}

int ev_session_read_u64(struct ev_session *s, uint64_t addr, uint64_t *v)
{
	uint8_t b[8];
	if (ev_session_read(s, addr, b, 8) < 0)
		return -1;
	*v = rsp_le_load(b, 8);
	return 0;
}

int ev_session_write_u32(struct ev_session *s, uint64_t addr, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			(uint8_t)(v >> 24)};
	return ev_session_write(s, addr, b, 4);
}

int ev_session_break(struct ev_session *s, uint64_t addr)
{
	struct rsp_error e;
	int i;
	for (i = 0; i < s->nbreaks; i++)
		if (s->breaks[i] == addr)
			return 0;
	if (s->nbreaks == EV_MAXBREAKS)
		return sfail(s, "setting a breakpoint", "too many breakpoints");
	if (rsp_client_set_break(s->c, addr, s->rr->break_kind, &e) < 0)
		return sfail(s, "setting a breakpoint", e.msg);
	s->breaks[s->nbreaks++] = addr;
	return 0;
}

int ev_session_unbreak(struct ev_session *s, uint64_t addr)
{
	struct rsp_error e;
	int i;
	for (i = 0; i < s->nbreaks && s->breaks[i] != addr; i++)
		;
	if (i == s->nbreaks)
		return 0;
	if (rsp_client_clear_break(s->c, addr, s->rr->break_kind, &e) < 0)
		return sfail(s, "clearing a breakpoint", e.msg);
	s->breaks[i] = s->breaks[--s->nbreaks];
	return 0;
}

int ev_session_cont(struct ev_session *s, unsigned gdbsig, struct rsp_stop *st)
{
	struct rsp_error e;
	int rc = gdbsig ? rsp_client_cont_sig(s->c, gdbsig, st, &e)
			: rsp_client_cont(s->c, st, &e);
	if (rc < 0)
		return sfail(s,
			     gdbsig ? "continuing with a signal" : "continuing",
			     e.msg);
	return 0;
}

int ev_session_step(struct ev_session *s, struct rsp_stop *st)
{
	struct rsp_error e;
	if (rsp_client_step(s->c, st, &e) < 0)
		return sfail(s, "single-stepping", e.msg);
	return 0;
}

int ev_session_stop_pc(struct ev_session *s, const struct rsp_stop *st,
		       uint64_t *pc)
{
	unsigned i;
	uint8_t b[16];
	size_t n;
	struct rsp_error e;

	for (i = 0; i < st->nregs; i++)
		if ((int)st->regs[i].regnum == s->pc_num) {
			*pc = rsp_le_load(st->regs[i].bytes, st->regs[i].size);
			return 0;
		}
	/* All the registers, not p: a request costs the same, and the
	   register file is what most stops read next (kept by RSPC-3) */
	if (s->pc_num >= 0 && s->pc_num < EV_MAXREGS) {
		struct ev_regs r;
		if (ev_session_regs(s, &r) == 0 && r.have[s->pc_num]) {
			*pc = r.v[s->pc_num];
			return 0;
		}
		/* a g this session cannot use: ask for the PC alone */
	}
	if (rsp_client_read_reg(s->c, (unsigned)s->pc_num, b, sizeof b, &n,
				&e) < 0)
		return sfail(s, "reading the PC", e.msg);
	*pc = rsp_le_load(b, n);
	return 0;
}

static int mem_read(void *ctx, uint64_t addr, void *buf, size_t n)
{
	return ev_session_read(ctx, addr, buf, n);
}

struct ev_mem ev_session_mem(struct ev_session *s)
{
	struct ev_mem m = {mem_read, s};
	return m;
}

const char *ev_session_regname(const struct ev_session *s, int n)
{
	const struct tdesc_reg *t = tdesc_find_regnum(&s->td, (unsigned)n);
	return t ? t->name : "?";
}
