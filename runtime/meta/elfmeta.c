/*
 * elfmeta.c -- reads the metadata of a gosub-built guest ELF (elfmeta.h).
 *
 * The file is read whole into memory and parsed with libelf; the metadata
 * tables hold absolute addresses (META-1), turned into file bytes through the
 * allocated sections' headers by at(), which bounds-checks every access
 * (EM-1). Table words are little-endian on every target and decoded byte by
 * byte, so the reader works on any host. Input breaking EM-1 or EM-2 is
 * rejected here. Sections of this file: image and addresses, module and
 * tables, oracle, symbols and build-id, open and close. What is asked of a
 * struct elfmeta once read -- the EM-3 checks, the lookups, the names -- is
 * in elfmeta_query.c.
 */
#include "elfmeta.h"

#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "everypc/abi.h"
#include "everypc/meta.h"

#define MAX_ENTRIES (1u << 24) /* sanity bound of every table count */
#define MAX_STRING 4096

struct span { /* an allocated section with file bytes */
	uint64_t addr, size, off;
};

struct priv {
	uint8_t *image;
	size_t size;
	struct span *spans;
	size_t nspans;
	int32_t *slots;
};

struct rd {
	struct elfmeta *m;
	struct priv *p;
	Elf *elf;
	const char *name;
	char *err;
	size_t errlen;
};

static int fail(struct rd *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct rd *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, r->errlen, "%s: ", r->name);
	if (n < 0 || (size_t)n >= r->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static uint64_t le64(const uint8_t *b)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

/* ---- image and addresses ---------------------------------------------- */

/* File bytes of [addr, addr+len) inside one allocated section, or NULL. */
static const uint8_t *at(const struct rd *r, uint64_t addr, uint64_t len)
{
	for (size_t i = 0; i < r->p->nspans; i++) {
		const struct span *s = &r->p->spans[i];
		if (addr < s->addr || addr - s->addr > s->size ||
		    len > s->size - (addr - s->addr))
			continue;
		return r->p->image + s->off + (addr - s->addr);
	}
	return NULL;
}

static int need(struct rd *r, const uint8_t **out, uint64_t addr, uint64_t len,
		const char *what)
{
	static const uint8_t none[1];
	*out = len ? at(r, addr, len) : none; /* empty tables may be NULL */
	if (!*out)
		return fail(r, "%s: %llu bytes at 0x%llx are outside the file",
			    what, (unsigned long long)len,
			    (unsigned long long)addr);
	return 0;
}

static int need_string(struct rd *r, const char **out, uint64_t addr,
		       const char *what)
{
	for (uint64_t n = 1; n <= MAX_STRING; n++) {
		const uint8_t *b = at(r, addr, n);
		if (!b)
			break;
		if (b[n - 1] == 0) {
			*out = (const char *)b;
			return 0;
		}
	}
	return fail(r, "%s: no NUL-terminated string at 0x%llx", what,
		    (unsigned long long)addr);
}

static int need_mask(struct rd *r, const uint8_t **out, uint64_t addr,
		     uint64_t nbits, const char *what)
{
	static const uint8_t none[1];
	if (nbits == 0) {
		*out = none;
		return 0;
	}
	return need(r, out, addr, (nbits + 7) / 8, what);
}

static int machine_arch(int machine)
{
	switch (machine) {
	case EM_X86_64:
		return EP_ARCH_AMD64;
	case EM_AARCH64:
		return EP_ARCH_ARM64;
	case EM_RISCV:
		return EP_ARCH_RISCV64;
	}
	return 0;
}

static int collect_spans(struct rd *r)
{
	Elf_Scn *scn = NULL;
	size_t n = 0;
	if (elf_getshdrnum(r->elf, &n) || n > MAX_ENTRIES)
		return fail(r, "bad section header table: %s", elf_errmsg(-1));
	r->p->spans = calloc(n ? n : 1, sizeof *r->p->spans);
	if (!r->p->spans)
		return fail(r, "out of memory");
	while ((scn = elf_nextscn(r->elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			return fail(r, "bad section header: %s",
				    elf_errmsg(-1));
		if (sh.sh_type == SHT_NOBITS || sh.sh_type == SHT_NULL)
			continue;
		if (sh.sh_offset > r->p->size ||
		    sh.sh_size > r->p->size - sh.sh_offset)
			return fail(
			    r, "section %zu extends past the end of the file",
			    elf_ndxscn(scn));
		if (!(sh.sh_flags & SHF_ALLOC))
			continue;
		r->p->spans[r->p->nspans++] =
		    (struct span){sh.sh_addr, sh.sh_size, sh.sh_offset};
	}
	return 0;
}

/* The section named name (file bytes checked by collect_spans). */
static Elf_Scn *find_section(struct rd *r, const char *name, GElf_Shdr *sh)
{
	size_t strndx;
	Elf_Scn *scn = NULL;
	if (elf_getshdrstrndx(r->elf, &strndx))
		return NULL;
	while ((scn = elf_nextscn(r->elf, scn))) {
		const char *n;
		if (!gelf_getshdr(scn, sh))
			return NULL;
		n = elf_strptr(r->elf, strndx, sh->sh_name);
		if (n && !strcmp(n, name))
			return scn;
	}
	return NULL;
}

static int check_header(struct rd *r)
{
	GElf_Ehdr eh;
	const char *id;
	if (elf_kind(r->elf) != ELF_K_ELF)
		return fail(r, "not an ELF file");
	id = elf_getident(r->elf, NULL);
	if (!id || id[EI_CLASS] != ELFCLASS64 || id[EI_DATA] != ELFDATA2LSB)
		return fail(r, "not a 64-bit little-endian ELF file");
	if (!gelf_getehdr(r->elf, &eh))
		return fail(r, "bad ELF header: %s", elf_errmsg(-1));
	r->m->arch = machine_arch(eh.e_machine);
	if (!r->m->arch)
		return fail(r, "unsupported machine %d", eh.e_machine);
	r->m->entry = eh.e_entry;
	return 0;
}

/* ---- module and tables ------------------------------------------------- */

static int read_callsites(struct rd *r, struct elfmeta_func *f, uint64_t addr)
{
	const uint8_t *b;
	if (f->ncallsites > MAX_ENTRIES)
		return fail(r, "%s: too many call sites", f->name);
	if (need(r, &b, addr, 16ull * f->ncallsites, "call-site table"))
		return -1;
	f->callsites = calloc(f->ncallsites + 1, sizeof *f->callsites);
	if (!f->callsites)
		return fail(r, "out of memory");
	for (uint32_t i = 0; i < f->ncallsites; i++, b += 16) {
		struct elfmeta_callsite *c = &f->callsites[i];
		c->retpc = le64(b);
		if (c->retpc <= f->entry || c->retpc > f->end)
			return fail(r,
				    "%s: call site 0x%llx outside the function",
				    f->name, (unsigned long long)c->retpc);
		if (i && c->retpc <= f->callsites[i - 1].retpc)
			return fail(r, "%s: call sites not sorted at 0x%llx",
				    f->name, (unsigned long long)c->retpc);
		if (need_mask(r, &c->ptrmask, le64(b + 8), f->frame_size / 8,
			      "call-site map"))
			return -1;
	}
	return 0;
}

static int read_stackobjs(struct rd *r, struct elfmeta_func *f, uint64_t addr)
{
	const uint8_t *b;
	if (f->nstackobjs > MAX_ENTRIES)
		return fail(r, "%s: too many stack objects", f->name);
	if (need(r, &b, addr, 16ull * f->nstackobjs, "stack object table"))
		return -1;
	f->stackobjs = calloc(f->nstackobjs + 1, sizeof *f->stackobjs);
	if (!f->stackobjs)
		return fail(r, "out of memory");
	for (uint32_t i = 0; i < f->nstackobjs; i++, b += 16) {
		struct elfmeta_stackobj *s = &f->stackobjs[i];
		s->off = (int32_t)le32(b);
		s->size = le32(b + 4);
		if (s->off < 0 || s->off % 8 || s->size == 0 || s->size % 8 ||
		    (uint64_t)s->off + s->size > f->frame_size)
			return fail(r,
				    "%s: stack object %u (off %d size %u) "
				    "outside the frame",
				    f->name, i, s->off, s->size);
		if (i && s->off <= f->stackobjs[i - 1].off)
			return fail(r, "%s: stack objects not sorted", f->name);
		if (need_mask(r, &s->ptrmask, le64(b + 8), s->size / 8,
			      "stack object mask"))
			return -1;
	}
	return 0;
}

static int read_func(struct rd *r, struct elfmeta_func *f, const uint8_t *b)
{
	f->entry = le64(b);
	f->end = le64(b + 8);
	if (need_string(r, &f->name, le64(b + 16), "function name"))
		return -1;
	f->frame_size = le32(b + 24);
	f->args_size = le32(b + 28);
	f->flags = le32(b + 32);
	f->line = le32(b + 36);
	f->args_ptrmask = le64(b + 40);
	f->ncallsites = le32(b + 48);
	f->nstackobjs = le32(b + 52);
	if (f->entry >= f->end)
		return fail(r, "%s: empty range [0x%llx, 0x%llx)", f->name,
			    (unsigned long long)f->entry,
			    (unsigned long long)f->end);
	if (f->frame_size < 16 || f->frame_size % 16 || f->args_size % 8 ||
	    f->args_size > 8 * 64)
		return fail(r, "%s: bad frame size %u or argument size %u",
			    f->name, f->frame_size, f->args_size);
	if (read_callsites(r, f, le64(b + 56)))
		return -1;
	return read_stackobjs(r, f, le64(b + 64));
}

static int read_funcs(struct rd *r, uint64_t n, uint64_t addr)
{
	const uint8_t *b;
	struct elfmeta *m = r->m;
	if (n > MAX_ENTRIES)
		return fail(r, "function count %llu too large",
			    (unsigned long long)n);
	if (need(r, &b, addr, 72 * n, "function table"))
		return -1;
	m->funcs = calloc(n + 1, sizeof *m->funcs);
	if (!m->funcs)
		return fail(r, "out of memory");
	for (m->nfuncs = 0; m->nfuncs < n; m->nfuncs++, b += 72) {
		struct elfmeta_func *f = &m->funcs[m->nfuncs];
		if (read_func(r, f, b))
			return -1;
		if (m->nfuncs && f->entry < f[-1].end)
			return fail(r,
				    "functions not sorted or overlapping at "
				    "%s",
				    f->name);
	}
	return 0;
}

static int read_unsafe(struct rd *r, uint64_t n, uint64_t addr)
{
	const uint8_t *b;
	struct elfmeta *m = r->m;
	if (n > MAX_ENTRIES)
		return fail(r, "unsafe range count too large");
	if (need(r, &b, addr, 24 * n, "unsafe table"))
		return -1;
	m->unsafe = calloc(n + 1, sizeof *m->unsafe);
	if (!m->unsafe)
		return fail(r, "out of memory");
	for (m->nunsafe = 0; m->nunsafe < n; m->nunsafe++, b += 24) {
		struct elfmeta_unsafe *u = &m->unsafe[m->nunsafe];
		u->start = le64(b);
		u->end = le64(b + 8);
		u->kind = le32(b + 16);
		if (u->start >= u->end || u->kind < EP_UNSAFE_PROLOGUE ||
		    u->kind > EP_UNSAFE_WRITEBARRIER)
			return fail(r, "unsafe range %zu: bad range or kind %u",
				    m->nunsafe, u->kind);
		if (m->nunsafe && u->start < u[-1].end)
			return fail(r,
				    "unsafe ranges not sorted or overlapping "
				    "at 0x%llx",
				    (unsigned long long)u->start);
	}
	return 0;
}

static int read_types(struct rd *r, uint64_t n, uint64_t addr)
{
	const uint8_t *b;
	struct elfmeta *m = r->m;
	if (n > MAX_ENTRIES)
		return fail(r, "type count too large");
	if (need(r, &b, addr, 24 * n, "type table"))
		return -1;
	m->types = calloc(n + 1, sizeof *m->types);
	if (!m->types)
		return fail(r, "out of memory");
	for (m->ntypes = 0; m->ntypes < n; m->ntypes++, b += 24) {
		struct elfmeta_type *t = &m->types[m->ntypes];
		t->size = le64(b);
		if (t->size % 8 || t->size > (1ull << 32))
			return fail(r, "type %zu: bad size %llu", m->ntypes,
				    (unsigned long long)t->size);
		if (need_mask(r, &t->ptrmask, le64(b + 8), t->size / 8,
			      "type mask") ||
		    need_string(r, &t->name, le64(b + 16), "type name"))
			return -1;
	}
	return 0;
}

static int read_globals(struct rd *r, const uint8_t *mod)
{
	struct elfmeta *m = r->m;
	m->globals_start = le64(mod + 64);
	m->globals_size = le64(mod + 72);
	if (m->globals_size % 8 || m->globals_size > (1ull << 32))
		return fail(r, "bad globals size %llu",
			    (unsigned long long)m->globals_size);
	if (need_mask(r, &m->globals_ptrmask, le64(mod + 80),
		      m->globals_size / 8, "globals mask"))
		return -1;
	if (m->globals_size == 0) {
		m->globals_init = m->globals_ptrmask;
		return 0;
	}
	return need(r, &m->globals_init, le64(mod + 88), m->globals_size,
		    "globals init image");
}

static uint64_t module_address(struct rd *r)
{
	const struct elfmeta_symbol *s = elfmeta_symbol(r->m, "everypc_module");
	GElf_Shdr sh;
	if (s)
		return s->value;
	return find_section(r, "everypc_meta", &sh) ? sh.sh_addr : 0;
}

static int read_module(struct rd *r)
{
	const uint8_t *b;
	struct elfmeta *m = r->m;
	m->module_addr = module_address(r);
	if (!m->module_addr)
		return fail(r, "no everypc_module (not built by gosub?)");
	if (need(r, &b, m->module_addr, 104, "everypc_module"))
		return -1;
	if (le64(b) != EP_META_MAGIC)
		return fail(r, "everypc_module: bad magic 0x%llx",
			    (unsigned long long)le64(b));
	if (le32(b + 8) != EP_META_VERSION)
		return fail(r, "everypc_module: version %u, expected %d",
			    le32(b + 8), EP_META_VERSION);
	if ((int)le32(b + 12) != m->arch)
		return fail(r,
			    "everypc_module: arch %u does not match the ELF "
			    "machine (%s)",
			    le32(b + 12), elfmeta_arch_name(m->arch));
	if (read_funcs(r, le64(b + 16), le64(b + 24)) ||
	    read_types(r, le64(b + 32), le64(b + 40)) ||
	    read_unsafe(r, le64(b + 48), le64(b + 56)) || read_globals(r, b))
		return -1;
	return need_string(r, &m->source_file, le64(b + 96), "source file");
}

/* ---- oracle ------------------------------------------------------------- */

/* An offsets array of the section: n int32 at byte off, served from the
   section decoded once as int32 words (records share arrays: EM-1 holds
   for each without a copy). */
static int oracle_array(struct rd *r, uint64_t size, uint32_t off, uint32_t n,
			const int32_t **out, const char *what, size_t i)
{
	*out = NULL;
	if (!n)
		return 0;
	if (off % 4 || off > size || n > (size - off) / 4)
		return fail(r, "oracle %s %zu: array at %u outside the section",
			    what, i, off);
	*out = r->p->slots + off / 4;
	return 0;
}

static int read_oracle_rec(struct rd *r, const uint8_t *sec, uint64_t size,
			   size_t i)
{
	const uint8_t *b = sec + EP_ORACLE_HEAD + EP_ORACLE_REC * i;
	struct elfmeta_oracle *o = &r->m->oracle[i];
	o->start = le64(b);
	o->end = le64(b + 8);
	o->regmask = le64(b + 16);
	o->livemask = le64(b + 24);
	o->nslots = le32(b + 36);
	o->nlive = le32(b + 44);
	if (o->start >= o->end)
		return fail(r, "oracle record %zu: empty range", i);
	if (i && o->start < o[-1].end)
		return fail(r,
			    "oracle records not sorted or overlapping at "
			    "0x%llx",
			    (unsigned long long)o->start);
	if (o->livemask & ~r->m->clobber_regs)
		return fail(r,
			    "oracle record %zu: live registers 0x%llx outside "
			    "the clobber mask 0x%llx",
			    i, (unsigned long long)o->livemask,
			    (unsigned long long)r->m->clobber_regs);
	return oracle_array(r, size, le32(b + 32), o->nslots, &o->slots,
			    "record", i) ||
	       oracle_array(r, size, le32(b + 40), o->nlive, &o->live, "record",
			    i);
}

static int read_oracle_call(struct rd *r, const uint8_t *sec, uint64_t size,
			    size_t i)
{
	const uint8_t *b = sec + EP_ORACLE_HEAD +
			   EP_ORACLE_REC * (uint64_t)r->m->noracle +
			   EP_ORACLE_CALL * i;
	struct elfmeta_oracle_call *c = &r->m->calls[i];
	c->retpc = le64(b);
	c->nlive = le32(b + 12);
	if (i && c->retpc <= c[-1].retpc)
		return fail(r, "oracle call sites not sorted at 0x%llx",
			    (unsigned long long)c->retpc);
	return oracle_array(r, size, le32(b + 8), c->nlive, &c->live,
			    "call site", i);
}

static int read_oracle(struct rd *r)
{
	GElf_Shdr sh;
	const uint8_t *sec;
	uint32_t n, nc;
	if (!find_section(r, ".everypc_oracle", &sh))
		return fail(r, "no .everypc_oracle section");
	/* collect_spans checked the file bytes of every section but the
	   SHT_NOBITS and SHT_NULL ones, which have none */
	if (sh.sh_type == SHT_NOBITS || sh.sh_type == SHT_NULL)
		return fail(r, ".everypc_oracle: no file bytes");
	if (sh.sh_size < EP_ORACLE_HEAD)
		return fail(r, ".everypc_oracle: truncated header");
	sec = r->p->image + sh.sh_offset;
	if (le64(sec) != EP_ORACLE_MAGIC)
		return fail(r, ".everypc_oracle: bad magic");
	if (le32(sec + 8) != EP_ORACLE_VERSION)
		return fail(r, ".everypc_oracle: version %u, expected %d",
			    le32(sec + 8), EP_ORACLE_VERSION);
	n = le32(sec + 12);
	nc = le32(sec + 16);
	r->m->clobber_regs = le64(sec + 24);
	if (n > (sh.sh_size - EP_ORACLE_HEAD) / EP_ORACLE_REC ||
	    nc > (sh.sh_size - EP_ORACLE_HEAD - (uint64_t)n * EP_ORACLE_REC) /
		     EP_ORACLE_CALL)
		return fail(r,
			    ".everypc_oracle: %u records and %u call sites "
			    "do not fit",
			    n, nc);
	r->m->oracle = calloc(n + 1, sizeof *r->m->oracle);
	r->m->calls = calloc(nc + 1, sizeof *r->m->calls);
	r->p->slots = calloc(sh.sh_size / 4 + 1, sizeof *r->p->slots);
	if (!r->m->oracle || !r->m->calls || !r->p->slots)
		return fail(r, "out of memory");
	for (uint64_t k = 0; k < sh.sh_size / 4; k++)
		r->p->slots[k] = (int32_t)le32(sec + 4 * k);
	for (size_t i = 0; i < n; i++) {
		if (read_oracle_rec(r, sec, sh.sh_size, i))
			return -1;
		r->m->noracle = i + 1;
	}
	for (size_t i = 0; i < nc; i++) {
		if (read_oracle_call(r, sec, sh.sh_size, i))
			return -1;
		r->m->ncalls = i + 1;
	}
	return 0;
}

/* ---- symbols and build-id ------------------------------------------------ */

static int cmp_sym(const void *a, const void *b)
{
	const struct elfmeta_symbol *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->value < y->value ? -1 : x->value > y->value;
}

static int read_symbols(struct rd *r)
{
	GElf_Shdr sh;
	Elf_Scn *scn = find_section(r, ".symtab", &sh);
	Elf_Data *d;
	size_t n;
	if (!scn)
		return 0; /* stripped: lookups find nothing */
	d = elf_getdata(scn, NULL);
	if (!d || !sh.sh_entsize)
		return fail(r, ".symtab: unreadable");
	n = sh.sh_size / sh.sh_entsize;
	r->m->syms = calloc(n + 1, sizeof *r->m->syms);
	if (!r->m->syms)
		return fail(r, "out of memory");
	for (size_t i = 0; i < n; i++) {
		GElf_Sym s;
		const char *name;
		if (!gelf_getsym(d, (int)i, &s))
			return fail(r, ".symtab: bad symbol %zu", i);
		name = elf_strptr(r->elf, sh.sh_link, s.st_name);
		if (!name || !name[0] ||
		    GELF_ST_TYPE(s.st_info) == STT_SECTION ||
		    GELF_ST_TYPE(s.st_info) == STT_FILE)
			continue;
		r->m->syms[r->m->nsyms++] = (struct elfmeta_symbol){
		    name, s.st_value, s.st_size,
		    GELF_ST_TYPE(s.st_info) == STT_FUNC};
	}
	qsort(r->m->syms, r->m->nsyms, sizeof *r->m->syms, cmp_sym);
	return 0;
}

static void read_note_section(struct rd *r, Elf_Scn *scn)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;
	while (d && off < d->d_size &&
	       (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    !memcmp((char *)d->d_buf + name_off, "GNU", 4) &&
		    nh.n_descsz <= sizeof r->m->build_id) {
			memcpy(r->m->build_id, (char *)d->d_buf + desc_off,
			       nh.n_descsz);
			r->m->build_id_len = nh.n_descsz;
		}
		off = next;
	}
}

static void read_build_id(struct rd *r)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(r->elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_NOTE)
			read_note_section(r, scn);
}

/* ---- open and close ------------------------------------------------------ */

static int parse(struct rd *r)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(r, "libelf too old");
	r->elf = elf_memory((char *)r->p->image, r->p->size);
	if (!r->elf)
		return fail(r, "not an ELF file: %s", elf_errmsg(-1));
	if (check_header(r) || collect_spans(r) || read_symbols(r))
		return -1;
	read_build_id(r);
	if (read_module(r))
		return -1;
	return read_oracle(r);
}

int elfmeta_from_memory(const void *buf, size_t len, const char *name,
			struct elfmeta **out, char *err, size_t errlen)
{
	struct elfmeta *m = calloc(1, sizeof *m);
	struct priv *p = calloc(1, sizeof *p);
	struct rd r = {m, p, NULL, name ? name : "(memory)", err, errlen};
	int rc;
	*out = NULL;
	if (errlen)
		err[0] = 0;
	if (!m || !p || !(p->image = malloc(len ? len : 1))) {
		free(m);
		free(p);
		snprintf(err, errlen, "%s: out of memory", r.name);
		return -1;
	}
	memcpy(p->image, buf, len);
	p->size = len;
	m->priv_ = p;
	rc = parse(&r);
	if (r.elf)
		elf_end(r.elf);
	if (rc) {
		elfmeta_close(m);
		return -1;
	}
	*out = m;
	return 0;
}

int elfmeta_open(const char *path, struct elfmeta **out, char *err,
		 size_t errlen)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc;
	*out = NULL;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			uint8_t *nb =
			    realloc(buf, cap = cap ? 2 * cap : 1 << 16);
			if (!nb) {
				free(buf);
				fclose(f);
				snprintf(err, errlen, "%s: out of memory",
					 path);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	rc = ferror(f);
	fclose(f);
	if (rc) {
		free(buf);
		snprintf(err, errlen, "%s: read error", path);
		return -1;
	}
	rc = elfmeta_from_memory(buf, len, path, out, err, errlen);
	free(buf);
	return rc;
}

void elfmeta_close(struct elfmeta *m)
{
	struct priv *p;
	if (!m)
		return;
	p = m->priv_;
	for (size_t i = 0; m->funcs && i <= m->nfuncs; i++) {
		free(m->funcs[i].callsites);
		free(m->funcs[i].stackobjs);
	}
	free(m->funcs);
	free(m->types);
	free(m->unsafe);
	free(m->oracle);
	free(m->calls);
	free(m->syms);
	if (p) {
		free(p->image);
		free(p->spans);
		free(p->slots);
		free(p);
	}
	free(m);
}
