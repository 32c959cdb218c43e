/*
 * elfmeta.h -- reader of a gosub-built guest ELF (libelf): the everypc_meta
 * tables of everypc/meta.h, the .everypc_oracle section, the symbol table
 * and the GNU build-id. Used by `gosub -dump-meta` and by the rig. Plain
 * library code: it never prints; every failure is a message in err.
 * elfmeta.c reads (EM-1, EM-2), elfmeta_query.c checks (EM-3) and looks up.
 *
 * INVARIANTS of a struct elfmeta returned by elfmeta_open() (cited "EM-n"):
 *
 * EM-1 Every address and count was bounds-checked against the file: every
 *      pointer below points into the file image owned by the struct, every
 *      bitmap holds the number of bits its owner says, every string is
 *      NUL-terminated.
 * EM-2 The ordering promises of meta.h hold: funcs sorted by entry and
 *      disjoint (META-2), call sites sorted by retpc inside their function,
 *      stack objects sorted by offset inside the frame, unsafe ranges and
 *      oracle records sorted and disjoint (META-5, META-6). Input breaking
 *      them is rejected, so lookups can binary-search.
 * EM-3 Deeper consistency (every PC covered by exactly one oracle record,
 *      unsafe ranges inside functions, a prologue range at every entry) is
 *      checked separately by elfmeta_check(), so a tool can still show a
 *      file that fails it.
 */
#ifndef EVERYPC_ELFMETA_H
#define EVERYPC_ELFMETA_H

#include <stddef.h>
#include <stdint.h>

struct elfmeta_callsite {
	uint64_t retpc;
	const uint8_t *ptrmask; /* frame_size/8 bits */
};

struct elfmeta_stackobj {
	int32_t off; /* from SP */
	uint32_t size;
	const uint8_t *ptrmask; /* size/8 bits */
};

struct elfmeta_func {
	uint64_t entry, end;
	const char *name;
	uint32_t frame_size, args_size, flags, line;
	uint64_t args_ptrmask;
	uint32_t ncallsites, nstackobjs;
	struct elfmeta_callsite *callsites;
	struct elfmeta_stackobj *stackobjs;
};

struct elfmeta_unsafe {
	uint64_t start, end;
	uint32_t kind; /* enum ep_unsafe_kind */
};

struct elfmeta_type {
	uint64_t size;
	const uint8_t *ptrmask; /* size/8 bits */
	const char *name;
};

struct elfmeta_oracle {
	uint64_t start, end;
	uint64_t regmask;  /* bit n: GDB register n holds a live pointer */
	uint64_t livemask; /* bit n: GDB register n holds a live value */
	uint32_t nslots, nlive;
	const int32_t *slots; /* SP-relative byte offsets: live pointers */
	const int32_t *live;  /* SP-relative byte offsets: live values */
};

struct elfmeta_oracle_call { /* META-8: a caller's frame during a call */
	uint64_t retpc;
	uint32_t nlive;
	const int32_t *live; /* SP-relative byte offsets: live values */
};

struct elfmeta_symbol {
	const char *name;
	uint64_t value, size;
	int is_func; /* STT_FUNC */
};

struct elfmeta {
	int arch;	/* enum ep_arch */
	uint64_t entry; /* ELF entry point */
	uint64_t module_addr;
	uint8_t build_id[64];
	size_t build_id_len;
	const char *source_file;
	size_t nfuncs, ntypes, nunsafe, noracle, nsyms;
	struct elfmeta_func *funcs;
	struct elfmeta_type *types;
	struct elfmeta_unsafe *unsafe;
	struct elfmeta_oracle *oracle;
	struct elfmeta_oracle_call *calls; /* sorted by retpc */
	size_t ncalls;
	uint64_t clobber_regs;	     /* META-8: registers gosub writes */
	struct elfmeta_symbol *syms; /* sorted by name */
	uint64_t globals_start, globals_size;
	const uint8_t *globals_ptrmask; /* globals_size/8 bits */
	const uint8_t *globals_init;	/* globals_size bytes */
	void *priv_;			/* file image and buffers */
};

/* Read path. Returns 0 and sets *out, or -1 with a message in err naming
   the file and the field or address at fault. */
int elfmeta_open(const char *path, struct elfmeta **out, char *err,
		 size_t errlen);

/* The same from an in-memory image (copied); name is used in messages. */
int elfmeta_from_memory(const void *buf, size_t len, const char *name,
			struct elfmeta **out, char *err, size_t errlen);

void elfmeta_close(struct elfmeta *m);

/* EM-3 checks; 0 or -1 with a message. */
int elfmeta_check(const struct elfmeta *m, char *err, size_t errlen);

/* Lookups (binary search, NULL when none). */
const struct elfmeta_func *elfmeta_func_at(const struct elfmeta *m,
					   uint64_t pc);
const struct elfmeta_oracle *elfmeta_oracle_at(const struct elfmeta *m,
					       uint64_t pc);
const struct elfmeta_oracle_call *
elfmeta_oracle_call_at(const struct elfmeta *m, uint64_t retpc);
const struct elfmeta_unsafe *elfmeta_unsafe_at(const struct elfmeta *m,
					       uint64_t pc);
const struct elfmeta_callsite *elfmeta_callsite_at(const struct elfmeta_func *f,
						   uint64_t retpc);
const struct elfmeta_symbol *elfmeta_symbol(const struct elfmeta *m,
					    const char *name);

/* "amd64", "arm64", "riscv64" or "?"; "prologue", "epilogue",
   "gc-atomic", "write-barrier" or "?". */
const char *elfmeta_arch_name(int arch);
const char *elfmeta_unsafe_kind_name(uint32_t kind);

#endif
