/*
 * fuzz_elfmeta.c -- libFuzzer target for the guest ELF metadata reader
 * (runtime/meta, library everypc_meta). The input is an ELF file image.
 *
 * Checked besides the sanitizers: a refused image has a message; an accepted
 * one keeps EM-1 (every bitmap, slot list and string lies in memory the
 * reader owns: each byte is read here, so ASan reports any that does not)
 * and EM-2 (the lookups find every function, call site, unsafe range and
 * oracle record at its own address); elfmeta_check (EM-3) runs on it.
 */
#include "elfmeta.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static volatile uint8_t sink;

static void touch(const void *p, uint64_t n)
{
	const volatile uint8_t *b = p;
	uint8_t x = 0;
	for (uint64_t i = 0; i < n; i++)
		x ^= b[i];
	sink ^= x;
}

static uint64_t mask_bytes(uint64_t nbits) { return (nbits + 7) / 8; }

static void check_func(const struct elfmeta *m, const struct elfmeta_func *f)
{
	touch(f->name, strlen(f->name) + 1);
	if (f->entry < f->end && elfmeta_func_at(m, f->entry) != f)
		abort();
	for (uint32_t i = 0; i < f->ncallsites; i++) {
		const struct elfmeta_callsite *c = &f->callsites[i];
		touch(c->ptrmask, mask_bytes(f->frame_size / 8));
		if (i && c->retpc <= f->callsites[i - 1].retpc)
			abort(); /* EM-2 */
		if (elfmeta_callsite_at(f, c->retpc) != c)
			abort();
	}
	for (uint32_t i = 0; i < f->nstackobjs; i++) {
		const struct elfmeta_stackobj *s = &f->stackobjs[i];
		touch(s->ptrmask, mask_bytes(s->size / 8));
		if (i && s->off <= f->stackobjs[i - 1].off)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elfmeta *m;
	char err[512];
	if (elfmeta_from_memory(data, size, "in.elf", &m, err, sizeof err) <
	    0) {
		if (strncmp(err, "in.elf", 6) != 0)
			abort();
		return 0;
	}
	if (m->source_file)
		touch(m->source_file, strlen(m->source_file) + 1);
	touch(m->build_id, m->build_id_len);
	if (m->build_id_len > sizeof m->build_id)
		abort();
	for (size_t i = 0; i < m->nfuncs; i++) {
		if (i && m->funcs[i].entry < m->funcs[i - 1].end)
			abort(); /* EM-2: sorted, disjoint */
		check_func(m, &m->funcs[i]);
	}
	for (size_t i = 0; i < m->ntypes; i++) {
		touch(m->types[i].ptrmask, mask_bytes(m->types[i].size / 8));
		if (m->types[i].name)
			touch(m->types[i].name, strlen(m->types[i].name) + 1);
	}
	for (size_t i = 0; i < m->nunsafe; i++) {
		const struct elfmeta_unsafe *u = &m->unsafe[i];
		if (i && u->start < m->unsafe[i - 1].end)
			abort();
		if (u->start < u->end && elfmeta_unsafe_at(m, u->start) != u)
			abort();
		elfmeta_unsafe_kind_name(u->kind);
	}
	for (size_t i = 0; i < m->noracle; i++) {
		const struct elfmeta_oracle *o = &m->oracle[i];
		touch(o->slots, (uint64_t)o->nslots * sizeof *o->slots);
		if (i && o->start < m->oracle[i - 1].end)
			abort();
		if (o->start < o->end && elfmeta_oracle_at(m, o->start) != o)
			abort();
	}
	for (size_t i = 0; i < m->nsyms; i++) {
		touch(m->syms[i].name, strlen(m->syms[i].name) + 1);
		if (!elfmeta_symbol(m, m->syms[i].name))
			abort();
	}
	touch(m->globals_ptrmask, mask_bytes(m->globals_size / 8));
	touch(m->globals_init, m->globals_size);
	elfmeta_arch_name(m->arch);
	elfmeta_check(m, err, sizeof err);
	elfmeta_close(m);
	return 0;
}
