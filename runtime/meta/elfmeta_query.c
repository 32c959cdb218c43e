/*
 * elfmeta_query.c -- what is asked of a struct elfmeta read by elfmeta.c
 * (elfmeta.h): the deeper consistency checks (EM-3), the lookups, which
 * binary-search the tables EM-2 keeps sorted, and the names of arches and
 * unsafe kinds. Nothing here reads the file: only the tables in memory.
 */
#include "elfmeta.h"

#include <stdio.h>
#include <string.h>

#include "everypc/abi.h"
#include "everypc/meta.h"

/* ---- checks (EM-3) ------------------------------------------------------- */

/* The oracle records inside f tile [entry, end); *j is the first record
   not yet consumed. */
static int check_tiling(const struct elfmeta *m, const struct elfmeta_func *f,
			size_t *j, char *err, size_t errlen)
{
	uint64_t pc = f->entry;
	if (*j < m->noracle && m->oracle[*j].start < f->entry) {
		snprintf(err, errlen,
			 "oracle record [0x%llx, 0x%llx) outside "
			 "every function",
			 (unsigned long long)m->oracle[*j].start,
			 (unsigned long long)m->oracle[*j].end);
		return -1;
	}
	while (pc < f->end) {
		const struct elfmeta_oracle *o =
		    *j < m->noracle ? &m->oracle[*j] : NULL;
		if (!o || o->start != pc || o->end > f->end) {
			snprintf(err, errlen,
				 "%s: PC 0x%llx (+0x%llx) not covered "
				 "by exactly one oracle record",
				 f->name, (unsigned long long)pc,
				 (unsigned long long)(pc - f->entry));
			return -1;
		}
		for (uint32_t k = 0; k < o->nslots + o->nlive; k++) {
			int32_t w = k < o->nslots ? o->slots[k]
						  : o->live[k - o->nslots];
			if (w < 0 || w % 8 || (uint32_t)w >= f->frame_size) {
				snprintf(err, errlen,
					 "%s: oracle slot %d at 0x%llx "
					 "outside the frame",
					 f->name, w, (unsigned long long)pc);
				return -1;
			}
		}
		pc = o->end;
		(*j)++;
	}
	return 0;
}

static int check_unsafe(const struct elfmeta *m, char *err, size_t errlen)
{
	for (size_t i = 0; i < m->nunsafe; i++) {
		const struct elfmeta_unsafe *u = &m->unsafe[i];
		const struct elfmeta_func *f = elfmeta_func_at(m, u->start);
		if (!f || u->end > f->end) {
			snprintf(err, errlen,
				 "unsafe range [0x%llx, 0x%llx) "
				 "not inside one function",
				 (unsigned long long)u->start,
				 (unsigned long long)u->end);
			return -1;
		}
	}
	for (size_t i = 0; i < m->nfuncs; i++) {
		const struct elfmeta_unsafe *u =
		    elfmeta_unsafe_at(m, m->funcs[i].entry);
		if (!u || u->kind != EP_UNSAFE_PROLOGUE) {
			snprintf(err, errlen,
				 "%s: entry not in a prologue range",
				 m->funcs[i].name);
			return -1;
		}
	}
	return 0;
}

int elfmeta_check(const struct elfmeta *m, char *err, size_t errlen)
{
	size_t j = 0;
	for (size_t i = 0; i < m->nfuncs; i++)
		if (check_tiling(m, &m->funcs[i], &j, err, errlen))
			return -1;
	if (j != m->noracle) {
		snprintf(err, errlen,
			 "oracle record at 0x%llx outside every "
			 "function",
			 (unsigned long long)m->oracle[j].start);
		return -1;
	}
	return check_unsafe(m, err, errlen);
}

/* ---- lookups ------------------------------------------------------------- */

/* Binary search over n records of stride size whose first field is the
   uint64_t start: the last one with start <= pc, or NULL. */
static const void *last_le(const void *base, size_t n, size_t size, uint64_t pc)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const uint64_t *start =
		    (const uint64_t *)((const char *)base + mid * size);
		if (*start <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? (const char *)base + (lo - 1) * size : NULL;
}

const struct elfmeta_func *elfmeta_func_at(const struct elfmeta *m, uint64_t pc)
{
	const struct elfmeta_func *f =
	    last_le(m->funcs, m->nfuncs, sizeof *f, pc);
	return f && pc < f->end ? f : NULL;
}

const struct elfmeta_oracle *elfmeta_oracle_at(const struct elfmeta *m,
					       uint64_t pc)
{
	const struct elfmeta_oracle *o =
	    last_le(m->oracle, m->noracle, sizeof *o, pc);
	return o && pc < o->end ? o : NULL;
}

const struct elfmeta_oracle_call *
elfmeta_oracle_call_at(const struct elfmeta *m, uint64_t retpc)
{
	const struct elfmeta_oracle_call *c =
	    last_le(m->calls, m->ncalls, sizeof *c, retpc);
	return c && c->retpc == retpc ? c : NULL;
}

const struct elfmeta_unsafe *elfmeta_unsafe_at(const struct elfmeta *m,
					       uint64_t pc)
{
	const struct elfmeta_unsafe *u =
	    last_le(m->unsafe, m->nunsafe, sizeof *u, pc);
	return u && pc < u->end ? u : NULL;
}

const struct elfmeta_callsite *elfmeta_callsite_at(const struct elfmeta_func *f,
						   uint64_t retpc)
{
	const struct elfmeta_callsite *c =
	    last_le(f->callsites, f->ncallsites, sizeof *c, retpc);
	return c && c->retpc == retpc ? c : NULL;
}

const struct elfmeta_symbol *elfmeta_symbol(const struct elfmeta *m,
					    const char *name)
{
	size_t lo = 0, hi = m->nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->syms[mid].name, name);
		if (c == 0)
			return &m->syms[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *elfmeta_arch_name(int arch)
{
	switch (arch) {
	case EP_ARCH_AMD64:
		return "amd64";
	case EP_ARCH_ARM64:
		return "arm64";
	case EP_ARCH_RISCV64:
		return "riscv64";
	}
	return "?";
}

const char *elfmeta_unsafe_kind_name(uint32_t kind)
{
	switch (kind) {
	case EP_UNSAFE_PROLOGUE:
		return "prologue";
	case EP_UNSAFE_EPILOGUE:
		return "epilogue";
	case EP_UNSAFE_GCATOMIC:
		return "gc-atomic";
	case EP_UNSAFE_WRITEBARRIER:
		return "write-barrier";
	}
	return "?";
}
