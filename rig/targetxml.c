/*
 * targetxml.c -- parse GDB target descriptions with expat into the register
 * list of targetxml.h (invariants TDESC-1..3 there). Includes are parsed
 * recursively by a fresh expat parser from inside the start-element
 * callback; any error stops every parser on the way out.
 */
#include "targetxml.h"
#include "rspclient.h"

#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pstate {
	tdesc_fetch_fn fetch;
	void *ctx;
	struct rsp_error *err;
	int failed;
	struct tdesc_reg *regs;
	size_t n, cap;
	unsigned next; /* regnum of the next register without one */
	char feature[TDESC_NAME_MAX];
	int in_arch;
	char arch[TDESC_NAME_MAX];
	const char *files[TDESC_MAX_DEPTH + 1]; /* the include chain */
	int depth;
};

struct pfile {
	struct pstate *ps;
	XML_Parser p;
	const char *name;
};

static int parse_file(struct pstate *ps, const char *name);

/* ==== errors ============================================================== */

static void fail_at(struct pfile *f, const char *fmt, const char *what)
{
	struct pstate *ps = f->ps;
	if (!ps->failed)
		rsp_fail(ps->err, RSP_E_PROTO, "%s:%lu:%lu: %s%s", f->name,
			 (unsigned long)XML_GetCurrentLineNumber(f->p),
			 (unsigned long)XML_GetCurrentColumnNumber(f->p) + 1,
			 fmt, what ? what : "");
	ps->failed = 1;
	XML_StopParser(f->p, XML_FALSE);
}

static const char *attr(const XML_Char **atts, const char *key)
{
	for (; atts[0]; atts += 2)
		if (strcmp(atts[0], key) == 0)
			return atts[1];
	return NULL;
}

static int copy_name(struct pfile *f, char *dst, const char *src,
		     const char *what)
{
	if (strlen(src) >= TDESC_NAME_MAX) {
		fail_at(f, "attribute too long: ", what);
		return -1;
	}
	strcpy(dst, src);
	return 0;
}

/* ==== elements
 * ================================================================ */

static int parse_uint(const char *s, unsigned *v)
{
	char *end;
	errno = 0;
	unsigned long x = strtoul(s, &end, 0);
	if (!*s || *end || errno || x > 0xffffffu || s[0] == '-')
		return -1;
	*v = (unsigned)x;
	return 0;
}

static struct tdesc_reg *new_reg(struct pfile *f)
{
	struct pstate *ps = f->ps;
	if (ps->n == TDESC_MAX_REGS) {
		fail_at(f, "more registers than the limit", NULL);
		return NULL;
	}
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? 2 * ps->cap : 64;
		struct tdesc_reg *r = realloc(ps->regs, cap * sizeof *r);
		if (!r) {
			fail_at(f, "out of memory", NULL);
			return NULL;
		}
		ps->regs = r;
		ps->cap = cap;
	}
	struct tdesc_reg *r = &ps->regs[ps->n++];
	memset(r, 0, sizeof *r);
	return r;
}

/* <reg name= bitsize= [regnum=] [type=] [group=]/> (TDESC-1) */
static void on_reg(struct pfile *f, const XML_Char **atts)
{
	const char *name = attr(atts, "name"), *bits = attr(atts, "bitsize");
	const char *num = attr(atts, "regnum");
	const char *type = attr(atts, "type"), *group = attr(atts, "group");
	if (!name || !bits) {
		fail_at(f, "<reg> needs name and bitsize", NULL);
		return;
	}
	struct tdesc_reg *r = new_reg(f);
	if (!r || copy_name(f, r->name, name, "name") < 0 ||
	    copy_name(f, r->type, type ? type : "int", "type") < 0 ||
	    copy_name(f, r->group, group ? group : "", "group") < 0)
		return;
	strcpy(r->feature, f->ps->feature);
	if (parse_uint(bits, &r->bitsize) < 0 || r->bitsize == 0 ||
	    r->bitsize % 8) {
		fail_at(f, "bitsize is not a positive multiple of 8: ", bits);
		return;
	}
	r->size = r->bitsize / 8;
	r->regnum = f->ps->next;
	if (num && parse_uint(num, &r->regnum) < 0) {
		fail_at(f, "bad regnum: ", num);
		return;
	}
	f->ps->next = r->regnum + 1;
}

static void on_include(struct pfile *f, const XML_Char **atts)
{
	const char *href = attr(atts, "href");
	struct pstate *ps = f->ps;
	if (!href) {
		fail_at(f, "<xi:include> without href", NULL);
		return;
	}
	for (int i = 0; i <= ps->depth; i++)
		if (strcmp(ps->files[i], href) == 0) {
			fail_at(f, "include cycle through ", href);
			return;
		}
	if (ps->depth == TDESC_MAX_DEPTH) {
		fail_at(f, "includes nested too deep at ", href);
		return;
	}
	if (parse_file(ps, href) < 0) {
		ps->failed = 1;
		XML_StopParser(f->p, XML_FALSE);
	}
}

static void XMLCALL on_start(void *ud, const XML_Char *el,
			     const XML_Char **atts)
{
	struct pfile *f = ud;
	if (strcmp(el, "reg") == 0)
		on_reg(f, atts);
	else if (strcmp(el, "xi:include") == 0)
		on_include(f, atts);
	else if (strcmp(el, "feature") == 0) {
		const char *name = attr(atts, "name");
		copy_name(f, f->ps->feature, name ? name : "", "name");
	} else if (strcmp(el, "architecture") == 0) {
		f->ps->in_arch = 1;
		f->ps->arch[0] = 0;
	}
}

static void XMLCALL on_end(void *ud, const XML_Char *el)
{
	struct pfile *f = ud;
	if (strcmp(el, "architecture") == 0)
		f->ps->in_arch = 0;
	else if (strcmp(el, "feature") == 0)
		f->ps->feature[0] = 0;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct pfile *f = ud;
	struct pstate *ps = f->ps;
	size_t have = strlen(ps->arch);
	if (!ps->in_arch)
		return;
	if (have + (size_t)len >= sizeof ps->arch) {
		fail_at(f, "<architecture> too long", NULL);
		return;
	}
	memcpy(ps->arch + have, s, (size_t)len);
	ps->arch[have + (size_t)len] = 0;
}

/* ==== files
 * ===================================================================== */

static int run_parser(struct pstate *ps, struct pfile *f, const char *data,
		      size_t len)
{
	XML_SetUserData(f->p, f);
	XML_SetElementHandler(f->p, on_start, on_end);
	XML_SetCharacterDataHandler(f->p, on_text);
	if (len > (size_t)0x7fffffff)
		return rsp_fail(ps->err, RSP_E_PROTO, "%s: too large", f->name);
	enum XML_Status st = XML_Parse(f->p, data, (int)len, XML_TRUE);
	if (ps->failed)
		return -1;
	if (st != XML_STATUS_OK) {
		rsp_fail(ps->err, RSP_E_PROTO, "%s:%lu:%lu: %s", f->name,
			 (unsigned long)XML_GetCurrentLineNumber(f->p),
			 (unsigned long)XML_GetCurrentColumnNumber(f->p) + 1,
			 XML_ErrorString(XML_GetErrorCode(f->p)));
		ps->failed = 1;
		return -1;
	}
	return 0;
}

static int parse_file(struct pstate *ps, const char *name)
{
	char *data = NULL;
	size_t len = 0;
	struct rsp_error e;
	if (ps->fetch(ps->ctx, name, &data, &len, &e) < 0) {
		rsp_fail(ps->err, e.kind, "%s: %s", name, e.msg);
		ps->failed = 1;
		return -1;
	}
	struct pfile f = {.ps = ps, .p = XML_ParserCreate(NULL), .name = name};
	if (!f.p) {
		free(data);
		return rsp_fail(ps->err, RSP_E_IO, "out of memory");
	}
	ps->files[++ps->depth] = name;
	int r = run_parser(ps, &f, data, len);
	ps->depth--;
	XML_ParserFree(f.p);
	free(data);
	return r;
}

/* ==== the register list
 * ============================================================ */

static int by_regnum(const void *a, const void *b)
{
	const struct tdesc_reg *x = a, *y = b;
	return x->regnum < y->regnum ? -1 : x->regnum > y->regnum;
}

/* Sort, reject duplicates, lay out the g packet (TDESC-1, TDESC-2). */
static int layout(struct tdesc *td, struct rsp_error *err)
{
	size_t off = 0;
	qsort(td->regs, td->nregs, sizeof *td->regs, by_regnum);
	for (size_t i = 0; i < td->nregs; i++) {
		struct tdesc_reg *r = &td->regs[i];
		if (i && r->regnum == td->regs[i - 1].regnum)
			return rsp_fail(
			    err, RSP_E_PROTO,
			    "registers '%s' and '%s' share regnum %u",
			    td->regs[i - 1].name, r->name, r->regnum);
		r->offset = off;
		off += r->size;
	}
	td->g_size = off;
	return 0;
}

int tdesc_parse(struct tdesc *td, const char *root, tdesc_fetch_fn fetch,
		void *ctx, struct rsp_error *err)
{
	struct pstate ps = {.fetch = fetch, .ctx = ctx, .err = err};
	ps.files[0] = "";
	memset(td, 0, sizeof *td);
	if (parse_file(&ps, root) < 0) {
		free(ps.regs);
		return -1;
	}
	td->regs = ps.regs;
	td->nregs = ps.n;
	strcpy(td->arch, ps.arch);
	if (td->nregs == 0) {
		tdesc_free(td);
		return rsp_fail(err, RSP_E_PROTO, "%s: no registers", root);
	}
	if (layout(td, err) < 0) {
		tdesc_free(td);
		return -1;
	}
	return 0;
}

void tdesc_free(struct tdesc *td)
{
	free(td->regs);
	memset(td, 0, sizeof *td);
}

const struct tdesc_reg *tdesc_find(const struct tdesc *td, const char *name)
{
	for (size_t i = 0; i < td->nregs; i++)
		if (strcmp(td->regs[i].name, name) == 0)
			return &td->regs[i];
	return NULL;
}

const struct tdesc_reg *tdesc_find_regnum(const struct tdesc *td,
					  unsigned regnum)
{
	size_t lo = 0, hi = td->nregs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (td->regs[mid].regnum == regnum)
			return &td->regs[mid];
		if (td->regs[mid].regnum < regnum)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int tdesc_in_g(const struct tdesc_reg *r, size_t glen)
{
	return r->offset + r->size <= glen;
}

/* ==== fetchers
 * ======================================================================== */

int tdesc_fetch_dir(void *ctx, const char *name, char **data, size_t *len,
		    struct rsp_error *err)
{
	const char *dir = ctx;
	char path[4096];
	if (strchr(name, '/') || name[0] == '.' || !name[0])
		return rsp_fail(err, RSP_E_ARG, "refusing file name '%s'",
				name);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return rsp_fail(err, RSP_E_IO, "%s: %s", path, strerror(errno));
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			char *b = cap < (16u << 20)
				      ? realloc(buf, cap ? 2 * cap : 4096)
				      : NULL;
			if (!b) {
				free(buf);
				fclose(fp);
				return rsp_fail(err, RSP_E_IO, "%s: too large",
						path);
			}
			buf = b;
			cap = cap ? 2 * cap : 4096;
		}
		size_t k = fread(buf + n, 1, cap - n, fp);
		n += k;
		if (k == 0)
			break;
	}
	fclose(fp);
	*data = buf;
	*len = n;
	return 0;
}

int tdesc_fetch_rsp(void *ctx, const char *name, char **data, size_t *len,
		    struct rsp_error *err)
{
	return rsp_client_xfer_read(ctx, "features", name, data, len, err);
}
