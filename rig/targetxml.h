/*
 * targetxml.h -- GDB target descriptions (QEMU's target.xml and the files
 * it includes) parsed with expat into a register list.
 *
 * INVARIANTS (cited as "TDESC-n"):
 *
 * TDESC-1 Registers are numbered as GDB numbers them: a <reg> with a regnum
 *         attribute takes it, any other takes one more than the register
 *         before it in document order, with <xi:include> expanded in place
 *         (depth at most TDESC_MAX_DEPTH; a file including itself is an
 *         error). Two registers with one number are an error.
 *
 * TDESC-2 regs[] is sorted by regnum. offset is the register's byte offset
 *         in a `g` packet that holds every register in regnum order, each
 *         bitsize/8 bytes. A stub may send a shorter `g` (QEMU sends only
 *         its core registers on arm64 and riscv64): a register lies in a g
 *         reply of n bytes only when offset + size <= n; read others with
 *         `p` (tdesc_in_g).
 *
 * TDESC-3 Bad input (malformed XML, a missing attribute, a bitsize that is
 *         not a positive multiple of 8, an unknown include) gives an error
 *         naming file:line:col, never a crash.
 */
#ifndef EVERYPC_TARGETXML_H
#define EVERYPC_TARGETXML_H

#include "rsp.h"

#include <stddef.h>

#define TDESC_MAX_DEPTH 8
#define TDESC_MAX_REGS 4096
#define TDESC_NAME_MAX 64

struct tdesc_reg {
	char name[TDESC_NAME_MAX];
	char type[TDESC_NAME_MAX];    /* "int", "code_ptr", "uint64", ... */
	char group[TDESC_NAME_MAX];   /* "general", "float", "" ... */
	char feature[TDESC_NAME_MAX]; /* "org.gnu.gdb.i386.core" */
	unsigned bitsize;
	unsigned regnum;
	size_t offset; /* TDESC-2 */
	size_t size;   /* bitsize / 8 */
};

struct tdesc {
	char arch[TDESC_NAME_MAX]; /* <architecture>, "" if absent */
	struct tdesc_reg *regs;	   /* sorted by regnum (TDESC-2) */
	size_t nregs;
	size_t g_size; /* every register: last offset + size */
};

/*
 * Fetch one description file by name ("target.xml", an href): *data is
 * malloc'd (freed by the parser), *len its length.
 */
typedef int (*tdesc_fetch_fn)(void *ctx, const char *name, char **data,
			      size_t *len, struct rsp_error *err);

/* ctx: a NUL-terminated directory path; files are read from it. */
int tdesc_fetch_dir(void *ctx, const char *name, char **data, size_t *len,
		    struct rsp_error *err);
/* ctx: a struct rsp_client *; qXfer:features:read. */
int tdesc_fetch_rsp(void *ctx, const char *name, char **data, size_t *len,
		    struct rsp_error *err);

int tdesc_parse(struct tdesc *td, const char *root, tdesc_fetch_fn fetch,
		void *ctx, struct rsp_error *err);
void tdesc_free(struct tdesc *td);

const struct tdesc_reg *tdesc_find(const struct tdesc *td, const char *name);
const struct tdesc_reg *tdesc_find_regnum(const struct tdesc *td,
					  unsigned regnum);
/* 1 when r lies inside a g reply of glen bytes (TDESC-2). */
int tdesc_in_g(const struct tdesc_reg *r, size_t glen);

#endif
