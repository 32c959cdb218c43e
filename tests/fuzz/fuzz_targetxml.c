/*
 * fuzz_targetxml.c -- libFuzzer target for the target.xml parser
 * (rig/targetxml.c). The input is a set of description files: the first is
 * "target.xml", each further one starts at a line "--8<-- NAME" and is what
 * an <xi:include href="NAME"/> fetches (an unknown name is a fetch error, as
 * from a stub that has no such annex).
 *
 * Checked besides the sanitizers: a parse either fails with a message or
 * gives TDESC-1/2: registers sorted by distinct regnum, each a whole number
 * of bytes at the offset that the ones before it leave, lookups finding
 * every register.
 */
#include "targetxml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SEP "\n--8<-- "
#define MAX_FILES 16

struct files {
	const char *name[MAX_FILES];
	size_t namelen[MAX_FILES];
	const char *data[MAX_FILES];
	size_t len[MAX_FILES];
	int n;
};

/* The first SEP in [p, end), or NULL (memmem is not POSIX). */
static const char *find_sep(const char *p, const char *end)
{
	size_t n = strlen(SEP);
	for (; (size_t)(end - p) >= n; p++)
		if (memcmp(p, SEP, n) == 0)
			return p;
	return NULL;
}

static void split(struct files *fs, const char *p, size_t n)
{
	const char *end = p + n;
	fs->n = 0;
	fs->name[0] = "target.xml";
	fs->namelen[0] = strlen("target.xml");
	fs->data[0] = p;
	for (;;) {
		const char *sep = find_sep(p, end);
		int i = fs->n++;
		fs->len[i] = (size_t)((sep ? sep : end) - fs->data[i]);
		if (!sep || fs->n == MAX_FILES)
			return;
		const char *name = sep + strlen(SEP);
		const char *nl = memchr(name, '\n', (size_t)(end - name));
		fs->name[fs->n] = name;
		fs->namelen[fs->n] = (size_t)((nl ? nl : end) - name);
		fs->data[fs->n] = nl ? nl + 1 : end;
		p = fs->data[fs->n];
	}
}

static int fetch(void *ctx, const char *name, char **data, size_t *len,
		 struct rsp_error *err)
{
	const struct files *fs = ctx;
	for (int i = 0; i < fs->n; i++) {
		if (strlen(name) != fs->namelen[i] ||
		    memcmp(name, fs->name[i], fs->namelen[i]))
			continue;
		/* an exact-size copy: a read past its end is reported */
		*data = malloc(fs->len[i] ? fs->len[i] : 1);
		if (!*data)
			return rsp_fail(err, RSP_E_IO, "out of memory");
		memcpy(*data, fs->data[i], fs->len[i]);
		*len = fs->len[i];
		return 0;
	}
	return rsp_fail(err, RSP_E_UNSUPPORTED, "no annex %s", name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct files fs;
	struct tdesc td;
	struct rsp_error err;
	split(&fs, (const char *)data, size);
	err.msg[0] = 0;
	if (tdesc_parse(&td, "target.xml", fetch, &fs, &err) < 0) {
		if (!err.msg[0] || !memchr(err.msg, 0, sizeof err.msg))
			abort(); /* TDESC-3: a message */
		return 0;
	}
	size_t off = 0;
	for (size_t i = 0; i < td.nregs; i++) {
		const struct tdesc_reg *r = &td.regs[i];
		if (i && r->regnum <= td.regs[i - 1].regnum)
			abort();
		if (r->size * 8 != r->bitsize || r->size == 0 ||
		    r->offset != off)
			abort();
		off += r->size;
		if (tdesc_find_regnum(&td, r->regnum) != r)
			abort();
		const struct tdesc_reg *byname = tdesc_find(&td, r->name);
		if (!byname || strcmp(byname->name, r->name))
			abort();
		if (!tdesc_in_g(r, td.g_size))
			abort();
	}
	if (off != td.g_size)
		abort();
	tdesc_free(&td);
	return 0;
}
