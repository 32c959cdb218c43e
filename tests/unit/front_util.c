/*
 * front_util.c -- see front_util.h.
 */
#include <stdlib.h>
#include <string.h>

#include "front_util.h"

const struct ir_target fu_target = {
    .name = "test",
    .arch = 0,
    .ntemps = 4,
    .nvars = 5,
    .emit = NULL,
};

static char *errbuf;

int fu_compile_n(const char *src, size_t len, const struct ir_target *t,
		 struct ir_program **out, const char **errs)
{
	size_t n = 0;
	free(errbuf);
	errbuf = NULL;
	FILE *f = open_memstream(&errbuf, &n);
	struct ir_program *p = NULL;
	int rc = fe_compile("t.go", src, len, t, &p, f);
	fclose(f);
	if (out)
		*out = p;
	if (errs)
		*errs = errbuf;
	return rc;
}

int fu_compile(const char *src, struct ir_program **out, const char **errs)
{
	return fu_compile_n(src, strlen(src), &fu_target, out, errs);
}

struct ir_func *fu_func(struct ir_program *p, const char *name)
{
	for (int i = 0; p && i < p->nfuncs; i++)
		if (!strcmp(p->funcs[i].name, name))
			return &p->funcs[i];
	return NULL;
}

static char *dumpbuf;

const char *fu_dump(const struct ir_func *f)
{
	size_t n = 0;
	free(dumpbuf);
	dumpbuf = NULL;
	FILE *o = open_memstream(&dumpbuf, &n);
	ir_dump_func(f, &fu_target, o);
	fclose(o);
	return dumpbuf;
}
