/*
 * suite.c -- loading suites and scenarios with field-level errors
 * (SUITE-1), writing scenarios deterministically (SUITE-2).
 */
#include "suite.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "states.h"

static const char *const action_names[EV_NUM_ACTIONS] = {
    "preempt",	 "preempt-gc",	  "preempt-gc-shrink", "inject",
    "inject-gc", "inject-freeze", "preempt-mark",      "inject-mark",
};
static const char *const arch_names[EV_NUM_ARCHES] = {"amd64", "arm64",
						      "riscv64"};
static const char *const verdict_names[] = {"accepted", "rejected", "unreached",
					    "none"};

static int lookup(const char *const *names, int n, const char *s)
{
	int i;
	for (i = 0; i < n; i++)
		if (s && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *ev_action_name(int a)
{
	return a >= 0 && a < EV_NUM_ACTIONS ? action_names[a] : "?";
}
int ev_action_is_inject(int a)
{
	return a == EV_INJECT || a == EV_INJECT_GC || a == EV_INJECT_FREEZE ||
	       a == EV_INJECT_MARK;
}
int ev_action_parse(const char *s)
{
	return lookup(action_names, EV_NUM_ACTIONS, s);
}
const char *ev_arch_name(int a)
{
	return a >= 0 && a < EV_NUM_ARCHES ? arch_names[a] : "?";
}
int ev_arch_parse(const char *s)
{
	return lookup(arch_names, EV_NUM_ARCHES, s);
}
int ev_mutant_name_ok(const char *s)
{
	const char *p;
	if (!s || !*s || *s == '.' || *s == '-')
		return 0;
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_-.", *p))
			return 0;
	return 1;
}
const char *ev_verdict_name(int v)
{
	return v >= 0 && v <= EV_NOVERDICT ? verdict_names[v] : "?";
}
int ev_verdict_parse(const char *s)
{
	return lookup(verdict_names, EV_NOVERDICT + 1, s);
}

/* Validation context: the file, and an error buffer. */
struct vctx {
	const char *file;
	char *err;
	size_t errlen;
};

static int verr(struct vctx *c, const struct jv *at, const char *field,
		const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->err, c->errlen, "%s:%d:%d: field %s: ", c->file,
			 at ? at->line : 1, at ? at->col : 1, field);
	if (n >= 0 && (size_t)n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Member `key` of obj of the given kind; missing is an error when req. */
static int member(struct vctx *c, const struct jv *obj, const char *path,
		  const char *key, enum jv_kind kind, int req,
		  const struct jv **out)
{
	const struct jv *v = jv_get(obj, key);
	char field[256];

	snprintf(field, sizeof field, "%s%s%s", path, *path ? "." : "", key);
	*out = NULL;
	if (!v || (v->kind == JV_NULL && !req)) {
		if (req)
			return verr(c, obj, field, "missing (required)");
		return 0;
	}
	if (v->kind != kind)
		return verr(c, v, field, "expected %s, found %s",
			    jv_kind_name(kind), jv_kind_name(v->kind));
	*out = v;
	return 0;
}

/* Reject members not in `known` (a typo must not be silently ignored). */
static int no_unknown(struct vctx *c, const struct jv *obj, const char *path,
		      const char *const *known)
{
	size_t i;
	for (i = 0; i < obj->n; i++) {
		const char *const *k;
		for (k = known; *k; k++)
			if (strcmp(*k, obj->keys[i]) == 0)
				break;
		if (!*k) {
			char field[256];
			snprintf(field, sizeof field, "%s%s%s", path,
				 *path ? "." : "", obj->keys[i]);
			return verr(c, obj->items[i], field, "unknown field");
		}
	}
	return 0;
}

static char *xstrdup(const char *s)
{
	char *d = s ? malloc(strlen(s) + 1) : NULL;
	if (d)
		strcpy(d, s);
	return d;
}

/* Resolve rel against the directory of file. */
static char *resolve(const char *file, const char *rel)
{
	const char *slash = strrchr(file, '/');
	size_t dlen = slash ? (size_t)(slash - file) + 1 : 0;
	char *out;

	if (rel[0] == '/' || dlen == 0)
		return xstrdup(rel);
	out = malloc(dlen + strlen(rel) + 1);
	if (out) {
		memcpy(out, file, dlen);
		strcpy(out + dlen, rel);
	}
	return out;
}

static int enum_list(struct vctx *c, const struct jv *arr, const char *field,
		     int (*parse)(const char *), const char *const *names,
		     int nnames, int *out, size_t *nout)
{
	size_t i;
	char f[256];

	if (arr->n == 0)
		return verr(c, arr, field, "must not be empty");
	for (i = 0; i < arr->n; i++) {
		const struct jv *v = arr->items[i];
		int id, j;
		snprintf(f, sizeof f, "%s[%zu]", field, i);
		if (v->kind != JV_STR)
			return verr(c, v, f, "expected a string, found %s",
				    jv_kind_name(v->kind));
		if ((id = parse(v->s)) < 0) {
			char list[256] = "";
			for (j = 0; j < nnames; j++) {
				strncat(list, names[j],
					sizeof list - strlen(list) - 1);
				if (j + 1 < nnames)
					strncat(list, ", ",
						sizeof list - strlen(list) - 1);
			}
			return verr(c, v, f,
				    "unknown value \"%s\" (one of: %s)", v->s,
				    list);
		}
		for (j = 0; j < (int)*nout; j++)
			if (out[j] == id)
				return verr(c, v, f, "\"%s\" listed twice",
					    v->s);
		out[(*nout)++] = id;
	}
	return 0;
}

/* "workload": a readable file, named relative to the suite's directory. */
static int load_workload(struct vctx *c, const struct jv *o, const char *path,
			 struct ev_sweep *sw)
{
	const struct jv *v;
	char field[256];

	if (member(c, o, path, "workload", JV_STR, 1, &v) < 0)
		return -1;
	sw->workload = resolve(c->file, v->s);
	snprintf(field, sizeof field, "%s.workload", path);
	if (!sw->workload || access(sw->workload, R_OK) < 0)
		return verr(c, v, field, "%s: %s",
			    sw->workload ? sw->workload : v->s,
			    strerror(sw->workload ? errno : ENOMEM));
	return 0;
}

/* "funcs": function names, at least one, none empty, none twice. */
static int load_funcs(struct vctx *c, const struct jv *o, const char *path,
		      struct ev_sweep *sw)
{
	const struct jv *v;
	char field[256];
	size_t i, k;

	if (member(c, o, path, "funcs", JV_ARR, 1, &v) < 0)
		return -1;
	snprintf(field, sizeof field, "%s.funcs", path);
	if (v->n == 0)
		return verr(c, v, field, "must not be empty");
	if (!(sw->funcs = calloc(v->n, sizeof *sw->funcs)))
		return verr(c, v, field, "out of memory");
	for (i = 0; i < v->n; i++) {
		const struct jv *f = v->items[i];

		snprintf(field, sizeof field, "%s.funcs[%zu]", path, i);
		if (f->kind != JV_STR || !f->s[0])
			return verr(
			    c, f, field,
			    "expected a function name such as \"main.f\"");
		for (k = 0; k < sw->nfuncs; k++)
			if (!strcmp(sw->funcs[k], f->s))
				return verr(c, f, field, "\"%s\" listed twice",
					    f->s);
		sw->funcs[sw->nfuncs++] = xstrdup(f->s);
	}
	return 0;
}

static int load_actions(struct vctx *c, const struct jv *o, const char *path,
			struct ev_sweep *sw)
{
	const struct jv *v;
	char field[256];

	if (member(c, o, path, "actions", JV_ARR, 1, &v) < 0)
		return -1;
	snprintf(field, sizeof field, "%s.actions", path);
	return enum_list(c, v, field, ev_action_parse, action_names,
			 EV_NUM_ACTIONS, sw->actions, &sw->nactions);
}

/* "hits": the executions of each PC to stop at, none twice; absent: the
   first. */
static int load_hits(struct vctx *c, const struct jv *o, const char *path,
		     struct ev_sweep *sw)
{
	const struct jv *v;
	char field[256];
	size_t i, k;

	if (member(c, o, path, "hits", JV_ARR, 0, &v) < 0)
		return -1;
	sw->hits = calloc(v ? (v->n ? v->n : 1) : 1, sizeof *sw->hits);
	if (!sw->hits)
		return verr(c, v ? v : o, path, "out of memory");
	if (!v) {
		sw->hits[sw->nhits++] = 1;
		return 0;
	}
	snprintf(field, sizeof field, "%s.hits", path);
	if (v->n == 0)
		return verr(c, v, field, "must not be empty");
	for (i = 0; i < v->n; i++) {
		const struct jv *h = v->items[i];

		snprintf(field, sizeof field, "%s.hits[%zu]", path, i);
		if (h->kind != JV_INT || h->i < 1 || h->i > 1000000)
			return verr(c, h, field,
				    "expected an integer in 1..1000000");
		for (k = 0; k < sw->nhits; k++)
			if (sw->hits[k] == h->i)
				return verr(c, h, field, "%lld listed twice",
					    (long long)h->i);
		sw->hits[sw->nhits++] = (int)h->i;
	}
	return 0;
}

/* "inject", the call the inject actions make, and "mutant". */
static int load_call_mutant(struct vctx *c, const struct jv *o,
			    const char *path, struct ev_sweep *sw)
{
	const struct jv *v;
	char field[256];

	if (member(c, o, path, "inject", JV_STR, 0, &v) < 0)
		return -1;
	sw->inject = v ? xstrdup(v->s) : NULL;
	if (member(c, o, path, "mutant", JV_STR, 0, &v) < 0)
		return -1;
	if (v && !ev_mutant_name_ok(v->s)) {
		snprintf(field, sizeof field, "%s.mutant", path);
		return verr(c, v, field, "\"%s\": %s", v->s,
			    EV_MUTANT_NAME_RULE);
	}
	sw->mutant = v ? xstrdup(v->s) : NULL;
	/* "clobber": false for a sweep whose point is stale state (CLB-1) */
	if (member(c, o, path, "clobber", JV_BOOL, 0, &v) < 0)
		return -1;
	sw->no_clobber = v && !v->i;
	return 0;
}

/* An inject action needs the call to make: blamed on the sweep object. */
static int check_inject(struct vctx *c, const struct jv *o, const char *path,
			const struct ev_sweep *sw)
{
	char field[256];
	size_t i;

	for (i = 0; i < sw->nactions; i++)
		if (ev_action_is_inject(sw->actions[i]) && !sw->inject) {
			snprintf(field, sizeof field, "%s.inject", path);
			return verr(
			    c, o, field,
			    "required by action \"%s\" (e.g. \"main.f(1,2)\")",
			    ev_action_name(sw->actions[i]));
		}
	return 0;
}

/* "arches" of one sweep: the suite's arches it runs on (a workload that
   gosub builds for some arches only); absent: all of them. */
static int load_sweep_arches(struct vctx *c, const struct jv *o,
			     const char *path, struct ev_sweep *sw)
{
	const struct jv *v;
	int ids[EV_NUM_ARCHES];
	size_t n = 0;
	char field[256];

	if (member(c, o, path, "arches", JV_ARR, 0, &v) < 0)
		return -1;
	if (!v)
		return 0;
	snprintf(field, sizeof field, "%s.arches", path);
	if (v->n > EV_NUM_ARCHES)
		return verr(c, v, field, "more than %d arches", EV_NUM_ARCHES);
	if (enum_list(c, v, field, ev_arch_parse, arch_names, EV_NUM_ARCHES,
		      ids, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		sw->arch_mask |= 1u << ids[i];
	return 0;
}

/* One sweep object, its fields in the order they are checked. */
static int load_sweep(struct vctx *c, const struct jv *o, const char *path,
		      struct ev_sweep *sw)
{
	static const char *const known[] = {"workload", "funcs",  "actions",
					    "hits",	"inject", "mutant",
					    "clobber",	"arches", NULL};

	if (no_unknown(c, o, path, known) < 0 ||
	    load_sweep_arches(c, o, path, sw) < 0 ||
	    load_workload(c, o, path, sw) < 0 ||
	    load_funcs(c, o, path, sw) < 0 ||
	    load_actions(c, o, path, sw) < 0 || load_hits(c, o, path, sw) < 0 ||
	    load_call_mutant(c, o, path, sw) < 0)
		return -1;
	return check_inject(c, o, path, sw);
}

/* "require_states": ["[ARCH] STATE" or "all", ...] (STA-5). */
static int load_require(struct vctx *c, const struct jv *root,
			struct ev_suite *s)
{
	const struct jv *v;
	char where[1200], field[64], msg[1024];

	if (member(c, root, "", "require_states", JV_ARR, 0, &v) < 0)
		return -1;
	if (!v)
		return 0;
	if (!(s->require = calloc(1, sizeof *s->require)))
		return verr(c, v, "require_states", "out of memory");
	for (size_t i = 0; i < v->n; i++) {
		const struct jv *it = v->items[i];
		snprintf(field, sizeof field, "require_states[%zu]", i);
		if (it->kind != JV_STR)
			return verr(c, it, field, "expected string, found %s",
				    jv_kind_name(it->kind));
		snprintf(where, sizeof where, "%s:%d:%d", c->file, it->line,
			 it->col);
		if (ev_states_req_add(s->require, it->s, where, msg,
				      sizeof msg) < 0) {
			snprintf(c->err, c->errlen, "%s", msg);
			return -1;
		}
	}
	return 0;
}

static int load_suite_top(struct vctx *c, const struct jv *root,
			  struct ev_suite *s)
{
	static const char *const known[] = {"name",   "arches",		"mode",
					    "sweeps", "require_states", NULL};
	const struct jv *v;
	size_t i;

	if (root->kind != JV_OBJ)
		return verr(c, root, "(top)", "expected an object");
	if (no_unknown(c, root, "", known) < 0)
		return -1;
	if (member(c, root, "", "name", JV_STR, 0, &v) < 0)
		return -1;
	s->name = xstrdup(v ? v->s : "suite");
	if (member(c, root, "", "arches", JV_ARR, 0, &v) < 0)
		return -1;
	if (v) {
		if (enum_list(c, v, "arches", ev_arch_parse, arch_names,
			      EV_NUM_ARCHES, s->arches, &s->narches) < 0)
			return -1;
	} else {
		for (i = 0; i < EV_NUM_ARCHES; i++)
			s->arches[s->narches++] = (int)i;
	}
	if (member(c, root, "", "mode", JV_STR, 0, &v) < 0)
		return -1;
	if (v) {
		if (strcmp(v->s, "isolated") == 0)
			s->isolated = 1;
		else if (strcmp(v->s, "persistent") != 0)
			return verr(
			    c, v, "mode",
			    "unknown value \"%s\" (persistent or isolated)",
			    v->s);
	}
	if (load_require(c, root, s) < 0)
		return -1;
	if (member(c, root, "", "sweeps", JV_ARR, 1, &v) < 0)
		return -1;
	if (v->n == 0)
		return verr(c, v, "sweeps", "must not be empty");
	if (!(s->sweeps = calloc(v->n, sizeof *s->sweeps)))
		return verr(c, v, "sweeps", "out of memory");
	for (i = 0; i < v->n; i++) {
		char path[64];
		snprintf(path, sizeof path, "sweeps[%zu]", i);
		if (v->items[i]->kind != JV_OBJ)
			return verr(c, v->items[i], path, "expected an object");
		s->nsweeps++;
		if (load_sweep(c, v->items[i], path, &s->sweeps[i]) < 0)
			return -1;
	}
	return 0;
}

int ev_suite_load(const char *path, struct ev_suite *s, char *err,
		  size_t errlen)
{
	struct vctx c = {path, err, errlen};
	struct jv *root = jv_parse_file(path, err, errlen);
	int rc;

	memset(s, 0, sizeof *s);
	if (!root)
		return -1;
	rc = load_suite_top(&c, root, s);
	jv_free(root);
	if (rc < 0)
		ev_suite_free(s);
	return rc;
}

void ev_suite_free(struct ev_suite *s)
{
	size_t i, j;
	for (i = 0; i < s->nsweeps; i++) {
		struct ev_sweep *sw = &s->sweeps[i];
		free(sw->workload);
		for (j = 0; j < sw->nfuncs; j++)
			free(sw->funcs[j]);
		free(sw->funcs);
		free(sw->hits);
		free(sw->inject);
		free(sw->mutant);
	}
	free(s->require);
	s->require = NULL;
	free(s->sweeps);
	free(s->name);
	memset(s, 0, sizeof *s);
}

/* ---- scenarios ---- */

static int get_str(struct vctx *c, const struct jv *o, const char *path,
		   const char *key, int req, char **out)
{
	const struct jv *v;
	if (member(c, o, path, key, JV_STR, req, &v) < 0)
		return -1;
	*out = v ? xstrdup(v->s) : NULL;
	return 0;
}

static int get_int(struct vctx *c, const struct jv *o, const char *key,
		   int64_t lo, int64_t hi, int64_t *out)
{
	const struct jv *v;
	if (member(c, o, "", key, JV_INT, 1, &v) < 0)
		return -1;
	if (v->i < lo || v->i > hi)
		return verr(c, v, key, "out of range %lld..%lld", (long long)lo,
			    (long long)hi);
	*out = v->i;
	return 0;
}

static int get_enum(struct vctx *c, const struct jv *o, const char *path,
		    const char *key, int (*parse)(const char *), int *out)
{
	const struct jv *v;
	char field[128];
	if (member(c, o, path, key, JV_STR, 1, &v) < 0)
		return -1;
	if ((*out = parse(v->s)) < 0) {
		snprintf(field, sizeof field, "%s%s%s", path, *path ? "." : "",
			 key);
		return verr(c, v, field, "unknown value \"%s\"", v->s);
	}
	return 0;
}

static int get_hex(struct vctx *c, const struct jv *o, const char *key,
		   uint64_t *out)
{
	const struct jv *v;
	char *end;
	if (member(c, o, "", key, JV_STR, 1, &v) < 0)
		return -1;
	if (strncmp(v->s, "0x", 2) != 0 || !v->s[2])
		return verr(c, v, key, "expected a hex string \"0x...\"");
	*out = strtoull(v->s + 2, &end, 16);
	if (*end)
		return verr(c, v, key, "expected a hex string \"0x...\"");
	return 0;
}

static void pos(struct ev_pos *p, const struct jv *v)
{
	p->line = v ? v->line : 0;
	p->col = v ? v->col : 0;
}

/* The case: where (arch, build, function, pc, hit) and what (action). */
static int load_case(struct vctx *c, const struct jv *root,
		     struct ev_scenario *sc)
{
	static const char *const known[] = {"everypc_scenario",
					    "arch",
					    "workload",
					    "mutant",
					    "build_id",
					    "func",
					    "pc",
					    "offset",
					    "line",
					    "hit",
					    "action",
					    "inject",
					    "clobber",
					    "expected",
					    "observed",
					    NULL};
	int64_t n;

	if (no_unknown(c, root, "", known) < 0 ||
	    get_int(c, root, "everypc_scenario", 1, 1, &n) < 0 ||
	    get_enum(c, root, "", "arch", ev_arch_parse, &sc->arch) < 0 ||
	    get_str(c, root, "", "workload", 1, &sc->workload) < 0 ||
	    get_str(c, root, "", "mutant", 0, &sc->mutant) < 0 ||
	    get_str(c, root, "", "build_id", 1, &sc->build_id) < 0 ||
	    get_str(c, root, "", "func", 1, &sc->func) < 0 ||
	    get_hex(c, root, "pc", &sc->pc) < 0 ||
	    get_int(c, root, "offset", 0, 1 << 30, &n) < 0)
		return -1;
	sc->offset = (uint64_t)n;
	if (get_int(c, root, "line", 0, 1 << 30, &n) < 0)
		return -1;
	sc->line = (int)n;
	if (get_int(c, root, "hit", 1, 1000000, &n) < 0)
		return -1;
	sc->hit = (int)n;
	if (get_enum(c, root, "", "action", ev_action_parse, &sc->action) < 0 ||
	    get_str(c, root, "", "inject", 0, &sc->inject) < 0)
		return -1;
	/* absent in scenarios recorded before clobbering existed: off */
	const struct jv *cl;
	if (member(c, root, "", "clobber", JV_BOOL, 0, &cl) < 0)
		return -1;
	sc->clobber = cl ? (int)cl->i : 0;
	return 0;
}

/* The verdict expected, and what was observed. */
static int load_outcome(struct vctx *c, const struct jv *root,
			struct ev_scenario *sc)
{
	static const char *const known_obs[] = {"verdict", "result", "check",
						"detail", NULL};
	static const char *const known_exp[] = {"verdict", NULL};
	const struct jv *e, *o;
	char *res = NULL;

	if (member(c, root, "", "expected", JV_OBJ, 1, &e) < 0 ||
	    no_unknown(c, e, "expected", known_exp) < 0 ||
	    get_enum(c, e, "expected", "verdict", ev_verdict_parse,
		     &sc->expected_verdict) < 0 ||
	    member(c, root, "", "observed", JV_OBJ, 1, &o) < 0 ||
	    no_unknown(c, o, "observed", known_obs) < 0 ||
	    get_enum(c, o, "observed", "verdict", ev_verdict_parse,
		     &sc->observed_verdict) < 0 ||
	    get_str(c, o, "observed", "result", 1, &res) < 0 ||
	    get_str(c, o, "observed", "check", 0, &sc->check) < 0 ||
	    get_str(c, o, "observed", "detail", 0, &sc->detail) < 0) {
		free(res);
		return -1;
	}
	if (strcmp(res, "pass") != 0 && strcmp(res, "fail") != 0) {
		free(res);
		return verr(c, jv_get(o, "result"), "observed.result",
			    "expected \"pass\" or \"fail\"");
	}
	sc->observed_pass = strcmp(res, "pass") == 0;
	free(res);
	return 0;
}

static int load_scenario_top(struct vctx *c, const struct jv *root,
			     struct ev_scenario *sc)
{
	if (root->kind != JV_OBJ)
		return verr(c, root, "(top)", "expected an object");
	if (load_case(c, root, sc) < 0 || load_outcome(c, root, sc) < 0)
		return -1;
	if (!*sc->workload)
		return verr(c, jv_get(root, "workload"), "workload",
			    "must not be empty");
	if (!*sc->func)
		return verr(c, jv_get(root, "func"), "func",
			    "must not be empty");
	if (sc->mutant && !ev_mutant_name_ok(sc->mutant))
		return verr(c, jv_get(root, "mutant"), "mutant", "\"%s\": %s",
			    sc->mutant, EV_MUTANT_NAME_RULE);
	/* for ev_scenario_check_func's errors, once the build is known */
	pos(&sc->at_workload, jv_get(root, "workload"));
	pos(&sc->at_func, jv_get(root, "func"));
	pos(&sc->at_pc, jv_get(root, "pc"));
	pos(&sc->at_offset, jv_get(root, "offset"));
	return 0;
}

int ev_scenario_check_func(const struct ev_scenario *sc, const char *path,
			   int found, uint64_t entry, uint64_t end, char *err,
			   size_t errlen)
{
	const struct ev_pos *at;
	const char *field;
	int n;

	if (!found) {
		at = &sc->at_func;
		field = "func";
	} else if (sc->pc < entry || sc->pc >= end) {
		at = &sc->at_pc;
		field = "pc";
	} else if (sc->offset != sc->pc - entry) {
		at = &sc->at_offset;
		field = "offset";
	} else {
		*err = 0;
		return 0;
	}
	n = snprintf(err, errlen, "%s:%d:%d: field %s: ", path,
		     at->line ? at->line : 1, at->col ? at->col : 1, field);
	if (n < 0 || (size_t)n >= errlen)
		return -1;
	if (!found)
		snprintf(err + n, errlen - n,
			 "no function %s in the workload's build", sc->func);
	else if (at == &sc->at_pc)
		snprintf(err + n, errlen - n,
			 "0x%llx lies outside %s (0x%llx..0x%llx)",
			 (unsigned long long)sc->pc, sc->func,
			 (unsigned long long)entry, (unsigned long long)end);
	else
		snprintf(err + n, errlen - n,
			 "%llu disagrees with pc 0x%llx (function entry "
			 "0x%llx + %llu)",
			 (unsigned long long)sc->offset,
			 (unsigned long long)sc->pc, (unsigned long long)entry,
			 (unsigned long long)(sc->pc - entry));
	return -1;
}

int ev_scenario_load(const char *path, struct ev_scenario *sc, char *err,
		     size_t errlen)
{
	struct vctx c = {path, err, errlen};
	struct jv *root = jv_parse_file(path, err, errlen);
	int rc;

	memset(sc, 0, sizeof *sc);
	if (!root)
		return -1;
	rc = load_scenario_top(&c, root, sc);
	jv_free(root);
	if (rc < 0)
		ev_scenario_free(sc);
	return rc;
}

static void str_or_null(struct jw *w, const char *key, const char *s)
{
	if (s)
		jw_str(w, key, s);
	else
		jw_null(w, key);
}

char *ev_scenario_dump(const struct ev_scenario *sc)
{
	struct jw w;
	char *out;

	jw_init(&w);
	jw_obj_begin(&w);
	jw_int(&w, "everypc_scenario", 1);
	jw_str(&w, "arch", ev_arch_name(sc->arch));
	jw_str(&w, "workload", sc->workload);
	str_or_null(&w, "mutant", sc->mutant);
	jw_str(&w, "build_id", sc->build_id);
	jw_str(&w, "func", sc->func);
	jw_hex(&w, "pc", sc->pc);
	jw_int(&w, "offset", (int64_t)sc->offset);
	jw_int(&w, "line", sc->line);
	jw_int(&w, "hit", sc->hit);
	jw_str(&w, "action", ev_action_name(sc->action));
	str_or_null(&w, "inject", sc->inject);
	jw_bool(&w, "clobber", sc->clobber);
	jw_key_obj(&w, "expected");
	jw_str(&w, "verdict", ev_verdict_name(sc->expected_verdict));
	jw_obj_end(&w);
	jw_key_obj(&w, "observed");
	jw_str(&w, "verdict", ev_verdict_name(sc->observed_verdict));
	jw_str(&w, "result", sc->observed_pass ? "pass" : "fail");
	str_or_null(&w, "check", sc->check);
	str_or_null(&w, "detail", sc->detail);
	jw_obj_end(&w);
	jw_obj_end(&w);
	if (w.oom) {
		jw_free(&w);
		return NULL;
	}
	out = malloc(w.len + 2);
	if (out) {
		memcpy(out, w.buf, w.len);
		out[w.len] = '\n';
		out[w.len + 1] = 0;
	}
	jw_free(&w);
	return out;
}

void ev_scenario_free(struct ev_scenario *sc)
{
	free(sc->workload);
	free(sc->mutant);
	free(sc->build_id);
	free(sc->func);
	free(sc->inject);
	free(sc->check);
	free(sc->detail);
	memset(sc, 0, sizeof *sc);
}
