/*
 * cli.c -- argument parsing for everypc (cli.h).
 */
#include "cli.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char ev_cli_usage[] =
    "usage:\n"
    "  everypc sweep [SUITE.json] [options]   preempt/inject at every PC and "
    "check\n"
    "  everypc replay FILE                    reproduce a recorded scenario\n"
    "  everypc list FILE.go|ELF [--func NAME] [--arch A]\n"
    "                                         functions, PCs and metadata per "
    "PC\n"
    "  everypc merge DIR... --out DIR [--junit FILE]\n"
    "                                         join the output directories of "
    "a\n"
    "                                         sharded sweep's shards\n"
    "  everypc chance FILE.go --inject 'main.f(1)' [--arch A] [--mutant M]\n"
    "         [--runs N] [--seed N] [--attempts N]\n"
    "                                         the by-chance baseline: "
    "interrupt at\n"
    "                                         random moments, inject, compare "
    "output\n"
    "\n"
    "sweep options:\n"
    "  --workload FILE.go|ELF --func NAME[,NAME...]  sweep these instead of a "
    "suite\n"
    "  --arch amd64,arm64,riscv64    target arches (default: the suite's, or "
    "all)\n"
    "  --action LIST                 preempt, preempt-gc, preempt-gc-shrink,\n"
    "                                inject, inject-gc, inject-freeze\n"
    "  --hits 1,2                    stop at the N-th execution of each PC\n"
    "  --inject 'main.f(1,2)'        the function the inject actions call\n"
    "  --mutant NAME                 run against a runtime with a planted bug\n"
    "  --mode persistent|isolated    one QEMU per worker (default) or per "
    "case\n"
    "  --jobs N                      parallel workers (default: core count)\n"
    "  --out DIR                     journal, scenarios, report (default "
    "everypc-out)\n"
    "  --junit FILE                  JUnit XML for CI\n"
    "  --resume                      skip cases already in DIR/journal.jsonl\n"
    "  --trace-rsp FILE              log every RSP packet\n"
    "  --timeout SECONDS             a stop taking longer is a hang (default "
    "20)\n"
    "  --no-progress                 no progress bar\n"
    "  --shard I/N                   run the I-th of N shares of the cases "
    "(also\n"
    "                                from CI_NODE_INDEX/CI_NODE_TOTAL, "
    "TEST_SHARD_INDEX/\n"
    "                                TEST_TOTAL_SHARDS, GTEST_SHARD_INDEX/"
    "GTEST_TOTAL_SHARDS,\n"
    "                                BUILDKITE_PARALLEL_JOB/_COUNT); then "
    "everypc merge\n"
    "\n"
    "environment (each overrides what is found beside the everypc "
    "executable,\n"
    "SELF; nothing of the build tree is compiled in):\n"
    "  EVERYPC_GOSUB         the workload compiler (else SELF/gosub, else "
    "$PATH)\n"
    "  EVERYPC_RUNTIME_DIR   the runtime libraries, <dir>/<arch>/libeprt*.a "
    "(else\n"
    "                        SELF/runtime, SELF/../lib/everypc/runtime; "
    "passed on\n"
    "                        to gosub)\n"
    "  EVERYPC_SOURCE_DIR    the tree of scenarios/ and workloads named "
    "relatively\n"
    "                        (else SELF/share/everypc, "
    "SELF/../share/everypc)\n"
    "  EVERYPC_QEMU_AMD64, _ARM64, _RISCV64\n"
    "                        QEMU user mode (else qemu-x86_64, "
    "qemu-aarch64,\n"
    "                        qemu-riscv64 in $PATH)\n"
    "  EVERYPC_OBJDUMP_AMD64, _ARM64, _RISCV64\n"
    "                        objdump (else <triple>-objdump in $PATH; for "
    "the\n"
    "                        rig's own arch, objdump)\n"
    "  EVERYPC_CC_AMD64, _ARM64, _RISCV64  read by gosub: the guest C "
    "compiler\n"
    "  TMPDIR                where private scratch directories are made\n"
    "  SOURCE_DATE_EPOCH     the timestamp of --junit (reproducible "
    "reports)\n"
    "\n"
    "examples:\n"
    "  everypc sweep                                   the default suite\n"
    "  everypc sweep scenarios/default.json --arch arm64 --jobs 2\n"
    "  everypc sweep --workload scenarios/workloads/list.go --func main.push "
    "\\\n"
    "      --action preempt-gc --arch riscv64\n"
    "  everypc sweep --mutant no-register-scan --out /tmp/m1\n"
    "  everypc replay everypc-out/scenarios/fail-0001.json\n"
    "  everypc list scenarios/workloads/list.go --func main.push --arch "
    "amd64\n";

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int bad(char *err, size_t errlen, const char *opt, const char *val,
	       const char *why)
{
	return fail(err, errlen, "%s '%s': %s", opt, val ? val : "", why);
}

/* Split the comma list val of option opt into buf (items[] point into it):
   no empty item, at most max items. */
static int split_list(const char *opt, const char *val, char *buf, size_t bufsz,
		      char **items, size_t max, size_t *n, char *err,
		      size_t errlen)
{
	char *p;

	if (strlen(val) >= bufsz)
		return bad(err, errlen, opt, val, "too long");
	strcpy(buf, val);
	*n = 0;
	for (p = buf;;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = 0;
		if (!*p)
			return bad(err, errlen, opt, val,
				   *val ? "empty item in the list"
					: "empty list");
		if (*n == max)
			return bad(err, errlen, opt, val, "too many values");
		items[(*n)++] = p;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static int given_twice(const char *opt, const char *item, char *err,
		       size_t errlen)
{
	return fail(err, errlen, "%s: '%s' given twice", opt, item);
}

/* Split a comma list and map each item through parse; no duplicates. */
static int enum_list(const char *opt, const char *val,
		     int (*parse)(const char *), int *out, size_t *n,
		     size_t max, char *err, size_t errlen)
{
	char buf[256], *items[16];
	size_t i, k, nitems;

	if (split_list(opt, val, buf, sizeof buf, items,
		       sizeof items / sizeof items[0], &nitems, err,
		       errlen) < 0)
		return -1;
	*n = 0;
	for (i = 0; i < nitems; i++) {
		int id = parse(items[i]);
		if (id < 0)
			return fail(err, errlen, "%s: unknown value '%s'", opt,
				    items[i]);
		for (k = 0; k < *n; k++)
			if (out[k] == id)
				return given_twice(opt, items[i], err, errlen);
		if (*n == max)
			return bad(err, errlen, opt, val, "too many values");
		out[(*n)++] = id;
	}
	return 0;
}

static int parse_int(const char *opt, const char *val, long lo, long hi,
		     long *out, char *err, size_t errlen)
{
	char *end;
	long v = strtol(val, &end, 10);
	if (!*val || *end || v < lo || v > hi) {
		char why[64];
		snprintf(why, sizeof why, "expected an integer in %ld..%ld", lo,
			 hi);
		return bad(err, errlen, opt, val, why);
	}
	*out = v;
	return 0;
}

/* ==== the options taking a value ==========================================
 * One row each: the commands it applies to and how its value is checked and
 * stored. The row's index is its bit in "given twice".
 */
struct value_option {
	const char *name;
	unsigned cmds; /* the commands it applies to: ON_* */
	int (*set)(const struct value_option *o, const char *val,
		   struct ev_cli *c, char *err, size_t errlen);
	size_t field; /* set_str, set_int: offsetof its const char * or int */
	long lo, hi;  /* set_int, set_seed: the range */
};

#define ON_SWEEP (1u << EV_CMD_SWEEP)
#define ON_REPLAY (1u << EV_CMD_REPLAY)
#define ON_LIST (1u << EV_CMD_LIST)
#define ON_CHANCE (1u << EV_CMD_CHANCE)
#define ON_MERGE (1u << EV_CMD_MERGE)
#define FIELD(m) offsetof(struct ev_cli, m)

static int set_str(const struct value_option *o, const char *val,
		   struct ev_cli *c, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	*(const char **)((char *)c + o->field) = val;
	return 0;
}

static int set_int(const struct value_option *o, const char *val,
		   struct ev_cli *c, char *err, size_t errlen)
{
	long v;

	if (parse_int(o->name, val, o->lo, o->hi, &v, err, errlen) < 0)
		return -1;
	*(int *)((char *)c + o->field) = (int)v;
	return 0;
}

static int set_seed(const struct value_option *o, const char *val,
		    struct ev_cli *c, char *err, size_t errlen)
{
	return parse_int(o->name, val, o->lo, o->hi, &c->seed, err, errlen);
}

/* --shard I/N: 1 <= I <= N. */
static int set_shard(const struct value_option *o, const char *val,
		     struct ev_cli *c, char *err, size_t errlen)
{
	const char *slash = strchr(val, '/');
	char i[32];
	long n, k;

	if (!slash || slash == val || (size_t)(slash - val) >= sizeof i)
		return bad(err, errlen, o->name, val, "expected I/N, e.g. 2/3");
	snprintf(i, sizeof i, "%.*s", (int)(slash - val), val);
	if (parse_int(o->name, slash + 1, 1, 1000000, &n, err, errlen) < 0 ||
	    parse_int(o->name, i, 1, n, &k, err, errlen) < 0)
		return -1;
	c->shard_index = (int)k;
	c->shard_count = (int)n;
	return 0;
}

static int set_hits(const struct value_option *o, const char *val,
		    struct ev_cli *c, char *err, size_t errlen)
{
	char buf[256], *items[sizeof c->hits / sizeof c->hits[0]];
	size_t i, k, nitems;
	long v;

	if (split_list(o->name, val, buf, sizeof buf, items,
		       sizeof items / sizeof items[0], &nitems, err,
		       errlen) < 0)
		return -1;
	c->nhits = 0;
	for (i = 0; i < nitems; i++) {
		if (parse_int(o->name, items[i], 1, 1000000, &v, err, errlen) <
		    0)
			return -1;
		for (k = 0; k < c->nhits; k++)
			if (c->hits[k] == v)
				return given_twice(o->name, items[i], err,
						   errlen);
		c->hits[c->nhits++] = (int)v;
	}
	return 0;
}

/* --func: a comma list of function names, none empty, none twice, at most
   EV_CLI_MAX_FUNCS. */
static int set_func(const struct value_option *o, const char *val,
		    struct ev_cli *c, char *err, size_t errlen)
{
	char buf[4096], *items[EV_CLI_MAX_FUNCS];
	size_t i, k, n;

	if (split_list(o->name, val, buf, sizeof buf, items, EV_CLI_MAX_FUNCS,
		       &n, err, errlen) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (strpbrk(items[i], " \t\n"))
			return bad(err, errlen, o->name, items[i],
				   "expected a function name such as "
				   "main.push");
		for (k = 0; k < i; k++)
			if (!strcmp(items[k], items[i]))
				return given_twice(o->name, items[i], err,
						   errlen);
	}
	c->funcs = val;
	return 0;
}

static int set_arch(const struct value_option *o, const char *val,
		    struct ev_cli *c, char *err, size_t errlen)
{
	return enum_list(o->name, val, ev_arch_parse, c->arches, &c->narches,
			 EV_NUM_ARCHES, err, errlen);
}

static int set_action(const struct value_option *o, const char *val,
		      struct ev_cli *c, char *err, size_t errlen)
{
	return enum_list(o->name, val, ev_action_parse, c->actions,
			 &c->nactions, EV_NUM_ACTIONS, err, errlen);
}

static int set_mutant(const struct value_option *o, const char *val,
		      struct ev_cli *c, char *err, size_t errlen)
{
	if (!ev_mutant_name_ok(val))
		return bad(err, errlen, o->name, val, EV_MUTANT_NAME_RULE);
	c->mutant = val;
	return 0;
}

static int set_mode(const struct value_option *o, const char *val,
		    struct ev_cli *c, char *err, size_t errlen)
{
	if (!strcmp(val, "persistent"))
		c->mode = 0;
	else if (!strcmp(val, "isolated"))
		c->mode = 1;
	else
		return bad(err, errlen, o->name, val,
			   "expected persistent or isolated");
	return 0;
}

static int set_out(const struct value_option *o, const char *val,
		   struct ev_cli *c, char *err, size_t errlen)
{
	(void)o;
	(void)err;
	(void)errlen;
	c->out = val;
	c->out_given = 1;
	return 0;
}

static const struct value_option value_options[] = {
    {"--workload", ON_SWEEP, .set = set_str, .field = FIELD(workload)},
    {"--func", ON_SWEEP | ON_LIST, .set = set_func},
    {"--inject", ON_SWEEP | ON_CHANCE, .set = set_str, .field = FIELD(inject)},
    {"--mutant", ON_SWEEP | ON_CHANCE, .set = set_mutant},
    {"--out", ON_SWEEP | ON_MERGE, .set = set_out},
    {"--junit", ON_SWEEP | ON_MERGE, .set = set_str, .field = FIELD(junit)},
    {"--trace-rsp", ON_SWEEP | ON_REPLAY, .set = set_str,
     .field = FIELD(trace_rsp)},
    {"--arch", ON_SWEEP | ON_LIST | ON_CHANCE, .set = set_arch},
    {"--action", ON_SWEEP, .set = set_action},
    {"--hits", ON_SWEEP, .set = set_hits},
    {"--mode", ON_SWEEP, .set = set_mode},
    {"--jobs", ON_SWEEP, .set = set_int, .field = FIELD(jobs), .lo = 1,
     .hi = 256},
    {"--runs", ON_CHANCE, .set = set_int, .field = FIELD(runs), .lo = 1,
     .hi = 100000},
    {"--seed", ON_CHANCE, .set = set_seed, .lo = 0, .hi = 2147483647L},
    {"--attempts", ON_CHANCE, .set = set_int, .field = FIELD(attempts), .lo = 1,
     .hi = 1000},
    {"--timeout", ON_SWEEP | ON_REPLAY | ON_CHANCE, .set = set_int,
     .field = FIELD(timeout_s), .lo = 1, .hi = 86400},
    {"--shard", ON_SWEEP, .set = set_shard},
};

#define NUM_VALUE_OPTIONS (sizeof value_options / sizeof value_options[0])
_Static_assert(NUM_VALUE_OPTIONS <= 32, "once(): a bit of unsigned per row");

static const struct value_option *find_option(const char *opt)
{
	size_t k;
	for (k = 0; k < NUM_VALUE_OPTIONS; k++)
		if (!strcmp(value_options[k].name, opt))
			return &value_options[k];
	return NULL;
}

/* Each option at most once: a second --arch would silently replace the
   first. */
static int once(const struct value_option *o, unsigned *seen, char *err,
		size_t errlen)
{
	unsigned bit = 1u << (o - value_options);

	if (*seen & bit)
		return fail(err, errlen, "option '%s' given twice", o->name);
	*seen |= bit;
	return 0;
}

/* opt and its value (NULL: opt was the last argument). An option no row
   names does not apply to the other commands; to sweep it is an unknown
   option, once it has a value that is not empty like any other. */
static int value_option(const char *opt, const char *val, const char *cmd,
			unsigned *seen, struct ev_cli *c, char *err,
			size_t errlen)
{
	const struct value_option *o = find_option(opt);

	if (o ? !(o->cmds & (1u << c->cmd)) : c->cmd != EV_CMD_SWEEP)
		return fail(err, errlen, "option '%s' does not apply to '%s'",
			    opt, cmd);
	if (!val)
		return fail(err, errlen, "option '%s' needs a value", opt);
	if (o && once(o, seen, err, errlen) < 0)
		return -1;
	if (!*val)
		return bad(err, errlen, opt, val, "empty value");
	if (!o)
		return fail(err, errlen,
			    "unknown option '%s' (see everypc --help)", opt);
	return o->set(o, val, c, err, errlen);
}

/* A FILE, or one of merge's DIRs. */
static int positional(const char *a, struct ev_cli *c, char *err, size_t errlen)
{
	if (c->cmd == EV_CMD_MERGE) {
		if (c->ndirs == EV_CLI_MAX_DIRS)
			return fail(err, errlen,
				    "more than %d directories to merge",
				    EV_CLI_MAX_DIRS);
		c->dirs[c->ndirs++] = a;
	} else if (!c->file) {
		c->file = a;
	} else {
		return fail(err, errlen, "unexpected argument '%s'", a);
	}
	return 0;
}

/* argv[i]: --help, a flag, an option with its value, or a positional
   argument. Returns how many arguments it took, or -1 with err. */
static int parse_arg(int argc, char **argv, int i, unsigned *seen,
		     struct ev_cli *c, char *err, size_t errlen)
{
	const char *a = argv[i];

	if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
		c->cmd = EV_CMD_HELP;
	} else if (!strcmp(a, "--resume") && c->cmd == EV_CMD_SWEEP) {
		c->resume = 1;
	} else if (!strcmp(a, "--no-progress") && c->cmd == EV_CMD_SWEEP) {
		c->no_progress = 1;
	} else if (!strncmp(a, "--", 2)) {
		if (value_option(a, i + 1 < argc ? argv[i + 1] : NULL, argv[1],
				 seen, c, err, errlen) < 0)
			return -1;
		return 2;
	} else if (positional(a, c, err, errlen) < 0) {
		return -1;
	}
	return 1;
}

static const struct {
	const char *name;
	enum ev_cmd cmd;
} commands[] = {
    {"--help", EV_CMD_HELP},   {"-h", EV_CMD_HELP},	  {"help", EV_CMD_HELP},
    {"sweep", EV_CMD_SWEEP},   {"replay", EV_CMD_REPLAY}, {"list", EV_CMD_LIST},
    {"chance", EV_CMD_CHANCE}, {"merge", EV_CMD_MERGE},
};

static int parse_command(int argc, char **argv, struct ev_cli *c, char *err,
			 size_t errlen)
{
	size_t k;

	if (argc < 2)
		return fail(err, errlen,
			    "no command given (sweep, replay, list, chance; "
			    "everypc --help)");
	for (k = 0; k < sizeof commands / sizeof commands[0]; k++)
		if (!strcmp(argv[1], commands[k].name)) {
			c->cmd = commands[k].cmd;
			return 0;
		}
	return fail(err, errlen,
		    "unknown command '%s' (sweep, replay, list, chance, merge)",
		    argv[1]);
}

/* What the options say together, once all are read. */
static int check_merge(const struct ev_cli *c, char *err, size_t errlen)
{
	if (!c->ndirs)
		return fail(err, errlen,
			    "merge needs the shards' output directories");
	if (!c->out_given)
		return fail(err, errlen,
			    "merge needs --out DIR (where the joined "
			    "results go)");
	return 0;
}

static int check_sweep(const struct ev_cli *c, char *err, size_t errlen)
{
	if (c->workload && !c->funcs)
		return fail(err, errlen,
			    "--workload needs --func NAME[,NAME...]");
	if (c->funcs && !c->workload)
		return fail(err, errlen, "--func needs --workload FILE");
	if (c->workload && c->file)
		return fail(err, errlen,
			    "give either a suite file or --workload, not both");
	return 0;
}

static int check_request(const struct ev_cli *c, const char *cmd, char *err,
			 size_t errlen)
{
	if (c->cmd == EV_CMD_MERGE)
		return check_merge(c, err, errlen);
	if (c->cmd != EV_CMD_SWEEP && !c->file)
		return fail(err, errlen, "'%s' needs a FILE argument", cmd);
	if (c->cmd == EV_CMD_CHANCE && !c->inject)
		return fail(err, errlen, "chance needs --inject 'main.f(...)'");
	if (c->cmd == EV_CMD_CHANCE && c->narches > 1)
		return fail(err, errlen, "chance takes one --arch");
	if (c->cmd == EV_CMD_SWEEP)
		return check_sweep(c, err, errlen);
	return 0;
}

int ev_cli_parse(int argc, char **argv, struct ev_cli *c, char *err,
		 size_t errlen)
{
	unsigned seen = 0;
	int i, n;

	memset(c, 0, sizeof *c);
	c->mode = -1;
	c->out = "everypc-out";
	if (parse_command(argc, argv, c, err, errlen) < 0)
		return -1;
	for (i = 2; i < argc && c->cmd != EV_CMD_HELP; i += n)
		if ((n = parse_arg(argc, argv, i, &seen, c, err, errlen)) < 0)
			return -1;
	if (c->cmd == EV_CMD_HELP)
		return 0;
	return check_request(c, argv[1], err, errlen);
}
