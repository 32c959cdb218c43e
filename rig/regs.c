/*
 * regs.c -- lookup and validation of the per-arch register tables of
 * regs.h (REGS-1). Arch-neutral: the tables live in regs_<arch>.c.
 */
#include "regs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct rig_regs *const all[] = {
    &rig_regs_amd64,
    &rig_regs_arm64,
    &rig_regs_riscv64,
};

const struct rig_regs *rig_regs_find(const char *arch)
{
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcmp(all[i]->arch, arch) == 0)
			return all[i];
	return NULL;
}

static int need(const struct rig_regs *rr, const struct tdesc *td,
		const char *name, struct rsp_error *err)
{
	if (name && !tdesc_find(td, name))
		return rsp_fail(err, RSP_E_PROTO,
				"%s: register '%s' is not in the target "
				"description",
				rr->arch, name);
	return 0;
}

int rig_regs_check(const struct rig_regs *rr, const struct tdesc *td,
		   struct rsp_error *err)
{
	if (strcmp(td->arch, rr->tdesc_arch) != 0)
		return rsp_fail(err, RSP_E_PROTO,
				"%s: target description is for '%s', expected "
				"'%s'",
				rr->arch, td->arch, rr->tdesc_arch);
	const char *fixed[] = {rr->pc,	     rr->sp,	   rr->fp,
			       rr->lr,	     rr->g,	   rr->resume,
			       rr->cargs[0], rr->cargs[1], rr->cargs[2]};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (need(rr, td, fixed[i], err) < 0)
			return -1;
	for (size_t i = 0; i < rr->ngpr; i++) {
		const struct tdesc_reg *r = tdesc_find(td, rr->gpr[i]);
		if (!r)
			return need(rr, td, rr->gpr[i], err);
		if (r->regnum != i) /* REGS-2 */
			return rsp_fail(
			    err, RSP_E_PROTO,
			    "%s: '%s' has GDB number %u, the oracle "
			    "maps say %zu",
			    rr->arch, r->name, r->regnum, i);
	}
	for (size_t i = 0; i < rr->ncompare; i++)
		if (need(rr, td, rr->compare[i], err) < 0)
			return -1;
	for (size_t i = 0; i < rr->nalloc; i++) {
		size_t j;
		for (j = 0; j < rr->ngpr && strcmp(rr->gpr[j], rr->alloc[i]);
		     j++)
			;
		if (j == rr->ngpr)
			return rsp_fail(err, RSP_E_PROTO,
					"%s: allocatable '%s' is not a "
					"general register of the oracle maps",
					rr->arch, rr->alloc[i]);
	}
	return 0;
}

/* Compare text and prefix with every run of blanks as one space. */
int insn_starts(const char *text, const char *prefix)
{
	while (*prefix) {
		if (*prefix == ' ') {
			if (*text != ' ' && *text != '\t')
				return 0;
			while (*text == ' ' || *text == '\t')
				text++;
			prefix++;
			continue;
		}
		if (*text++ != *prefix++)
			return 0;
	}
	return 1;
}

uint64_t insn_comment_addr(const char *text)
{
	const char *c = strstr(text, "# ");
	if (!c || !strchr(c, '<'))
		return 0;
	c++;
	while (*c == ' ')
		c++;
	return strtoull(c, NULL, 16);
}

const char *insn_operands(const char *text, char *buf, size_t n)
{
	const char *p = text;
	size_t k = 0;

	while (*p && *p != ' ' && *p != '\t') /* the mnemonic */
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p && !(p[0] == '#' && p[1] == ' ') &&
	       !(p[0] == '/' && p[1] == '/') && k + 1 < n;
	     p++)
		buf[k++] = *p;
	while (k && (buf[k - 1] == ' ' || buf[k - 1] == '\t'))
		k--;
	buf[k] = 0;
	return buf;
}

int insn_split(char *ops, char **op, int max, const char *brackets)
{
	int n = 0, depth = 0;
	char *p = ops;

	if (!*ops)
		return 0;
	op[n++] = ops;
	for (; *p; p++) {
		if (*p == brackets[0])
			depth++;
		else if (*p == brackets[1])
			depth--;
		else if (*p == ',' && !depth) {
			*p = 0;
			if (n == max)
				return -1;
			while (p[1] == ' ')
				p++;
			op[n++] = p + 1;
		}
	}
	return n;
}

int insn_based_on(const char *text, const char *reg)
{
	char ops[128], want[32];
	size_t lo, lw;

	insn_operands(text, ops, sizeof ops);
	snprintf(want, sizeof want, "(%s)", reg);
	lo = strlen(ops), lw = strlen(want);
	return lo > lw && !strcmp(ops + lo - lw, want) && strchr(ops, ',');
}

uint64_t rig_ra_slot(const struct rig_regs *rr, uint64_t sp, uint32_t F)
{
	return sp + F - rr->ra_from_top;
}

uint64_t rig_caller_sp(const struct rig_regs *rr, uint64_t sp, uint32_t F)
{
	return sp + F + rr->ra_push;
}
