/*
 * cli.c -- argument parsing for everypc (cli.h).
 */
#include "cli.h"

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

static int bad(char *err, size_t errlen, const char *opt, const char *val,
	       const char *why)
{
	snprintf(err, errlen, "%s '%s': %s", opt, val ? val : "", why);
	return -1;
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
	snprintf(err, errlen, "%s: '%s' given twice", opt, item);
	return -1;
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
		if (id < 0) {
			snprintf(err, errlen, "%s: unknown value '%s'", opt,
				 items[i]);
			return -1;
		}
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

/* --shard I/N: 1 <= I <= N. */
static int parse_shard(const char *val, struct ev_cli *c, char *err,
		       size_t errlen)
{
	const char *slash = strchr(val, '/');
	char i[32];
	long n, k;

	if (!slash || slash == val || (size_t)(slash - val) >= sizeof i)
		return bad(err, errlen, "--shard", val,
			   "expected I/N, e.g. 2/3");
	snprintf(i, sizeof i, "%.*s", (int)(slash - val), val);
	if (parse_int("--shard", slash + 1, 1, 1000000, &n, err, errlen) < 0 ||
	    parse_int("--shard", i, 1, n, &k, err, errlen) < 0)
		return -1;
	c->shard_index = (int)k;
	c->shard_count = (int)n;
	return 0;
}

static int parse_hits(const char *val, struct ev_cli *c, char *err,
		      size_t errlen)
{
	char buf[256], *items[sizeof c->hits / sizeof c->hits[0]];
	size_t i, k, nitems;
	long v;

	if (split_list("--hits", val, buf, sizeof buf, items,
		       sizeof items / sizeof items[0], &nitems, err,
		       errlen) < 0)
		return -1;
	c->nhits = 0;
	for (i = 0; i < nitems; i++) {
		if (parse_int("--hits", items[i], 1, 1000000, &v, err, errlen) <
		    0)
			return -1;
		for (k = 0; k < c->nhits; k++)
			if (c->hits[k] == v)
				return given_twice("--hits", items[i], err,
						   errlen);
		c->hits[c->nhits++] = (int)v;
	}
	return 0;
}

/* --func: a comma list of function names, none empty, none twice, at most
   EV_CLI_MAX_FUNCS. */
static int check_funcs(const char *val, char *err, size_t errlen)
{
	char buf[4096], *items[EV_CLI_MAX_FUNCS];
	size_t i, k, n;

	if (split_list("--func", val, buf, sizeof buf, items, EV_CLI_MAX_FUNCS,
		       &n, err, errlen) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (strpbrk(items[i], " \t\n"))
			return bad(err, errlen, "--func", items[i],
				   "expected a function name such as "
				   "main.push");
		for (k = 0; k < i; k++)
			if (!strcmp(items[k], items[i]))
				return given_twice("--func", items[i], err,
						   errlen);
	}
	return 0;
}

/* Options taking a value: name, and where/how to store it. */
static int sweep_option(const char *opt, const char *val, struct ev_cli *c,
			char *err, size_t errlen)
{
	long v;

	if (!*val)
		return bad(err, errlen, opt, val, "empty value");
	if (!strcmp(opt, "--workload"))
		c->workload = val;
	else if (!strcmp(opt, "--func")) {
		if (check_funcs(val, err, errlen) < 0)
			return -1;
		c->funcs = val;
	} else if (!strcmp(opt, "--inject"))
		c->inject = val;
	else if (!strcmp(opt, "--mutant")) {
		if (!ev_mutant_name_ok(val))
			return bad(err, errlen, opt, val, EV_MUTANT_NAME_RULE);
		c->mutant = val;
	} else if (!strcmp(opt, "--shard")) {
		return parse_shard(val, c, err, errlen);
	} else if (!strcmp(opt, "--out")) {
		c->out = val;
		c->out_given = 1;
	} else if (!strcmp(opt, "--junit"))
		c->junit = val;
	else if (!strcmp(opt, "--trace-rsp"))
		c->trace_rsp = val;
	else if (!strcmp(opt, "--arch"))
		return enum_list(opt, val, ev_arch_parse, c->arches,
				 &c->narches, EV_NUM_ARCHES, err, errlen);
	else if (!strcmp(opt, "--action"))
		return enum_list(opt, val, ev_action_parse, c->actions,
				 &c->nactions, EV_NUM_ACTIONS, err, errlen);
	else if (!strcmp(opt, "--hits"))
		return parse_hits(val, c, err, errlen);
	else if (!strcmp(opt, "--mode")) {
		if (!strcmp(val, "persistent"))
			c->mode = 0;
		else if (!strcmp(val, "isolated"))
			c->mode = 1;
		else
			return bad(err, errlen, opt, val,
				   "expected persistent or isolated");
	} else if (!strcmp(opt, "--jobs")) {
		if (parse_int(opt, val, 1, 256, &v, err, errlen) < 0)
			return -1;
		c->jobs = (int)v;
	} else if (!strcmp(opt, "--runs")) {
		if (parse_int(opt, val, 1, 100000, &v, err, errlen) < 0)
			return -1;
		c->runs = (int)v;
	} else if (!strcmp(opt, "--seed")) {
		if (parse_int(opt, val, 0, 2147483647L, &v, err, errlen) < 0)
			return -1;
		c->seed = v;
	} else if (!strcmp(opt, "--attempts")) {
		if (parse_int(opt, val, 1, 1000, &v, err, errlen) < 0)
			return -1;
		c->attempts = (int)v;
	} else if (!strcmp(opt, "--timeout")) {
		if (parse_int(opt, val, 1, 86400, &v, err, errlen) < 0)
			return -1;
		c->timeout_s = (int)v;
	} else {
		snprintf(err, errlen,
			 "unknown option '%s' (see everypc --help)", opt);
		return -1;
	}
	return 0;
}

static int allowed(enum ev_cmd cmd, const char *opt)
{
	static const char *const chance[] = {
	    "--inject", "--arch",     "--mutant",  "--runs",
	    "--seed",	"--attempts", "--timeout", NULL};
	size_t i;
	if (cmd == EV_CMD_SWEEP)
		return strcmp(opt, "--runs") && strcmp(opt, "--seed") &&
		       strcmp(opt, "--attempts");
	if (cmd == EV_CMD_MERGE)
		return !strcmp(opt, "--out") || !strcmp(opt, "--junit");
	if (cmd == EV_CMD_CHANCE) {
		for (i = 0; chance[i]; i++)
			if (!strcmp(opt, chance[i]))
				return 1;
		return 0;
	}
	if (cmd == EV_CMD_REPLAY)
		return !strcmp(opt, "--trace-rsp") || !strcmp(opt, "--timeout");
	return !strcmp(opt, "--func") || !strcmp(opt, "--arch");
}

/* The options taking a value, for "given twice". */
static const char *const value_options[] = {
    "--workload",  "--func", "--inject",   "--mutant",	"--out",   "--junit",
    "--trace-rsp", "--arch", "--action",   "--hits",	"--mode",  "--jobs",
    "--runs",	   "--seed", "--attempts", "--timeout", "--shard", NULL};

/* Each option at most once: a second --arch would silently replace the
   first. */
static int once(const char *opt, unsigned *seen, char *err, size_t errlen)
{
	unsigned k;
	for (k = 0; value_options[k]; k++)
		if (!strcmp(value_options[k], opt)) {
			if (*seen & (1u << k)) {
				snprintf(err, errlen, "option '%s' given twice",
					 opt);
				return -1;
			}
			*seen |= 1u << k;
		}
	return 0;
}

int ev_cli_parse(int argc, char **argv, struct ev_cli *c, char *err,
		 size_t errlen)
{
	unsigned seen = 0;
	int i;

	memset(c, 0, sizeof *c);
	c->mode = -1;
	c->out = "everypc-out";
	if (argc < 2) {
		snprintf(err, errlen,
			 "no command given (sweep, replay, list, chance; "
			 "everypc --help)");
		return -1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		c->cmd = EV_CMD_HELP;
		return 0;
	}
	if (!strcmp(argv[1], "sweep"))
		c->cmd = EV_CMD_SWEEP;
	else if (!strcmp(argv[1], "replay"))
		c->cmd = EV_CMD_REPLAY;
	else if (!strcmp(argv[1], "list"))
		c->cmd = EV_CMD_LIST;
	else if (!strcmp(argv[1], "chance"))
		c->cmd = EV_CMD_CHANCE;
	else if (!strcmp(argv[1], "merge"))
		c->cmd = EV_CMD_MERGE;
	else {
		snprintf(
		    err, errlen,
		    "unknown command '%s' (sweep, replay, list, chance, merge)",
		    argv[1]);
		return -1;
	}
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			c->cmd = EV_CMD_HELP;
			return 0;
		}
		if (!strcmp(a, "--resume") && c->cmd == EV_CMD_SWEEP) {
			c->resume = 1;
		} else if (!strcmp(a, "--no-progress") &&
			   c->cmd == EV_CMD_SWEEP) {
			c->no_progress = 1;
		} else if (!strncmp(a, "--", 2)) {
			if (!allowed(c->cmd, a)) {
				snprintf(err, errlen,
					 "option '%s' does not apply to '%s'",
					 a, argv[1]);
				return -1;
			}
			if (i + 1 >= argc) {
				snprintf(err, errlen,
					 "option '%s' needs a value", a);
				return -1;
			}
			if (once(a, &seen, err, errlen) < 0 ||
			    sweep_option(a, argv[++i], c, err, errlen) < 0)
				return -1;
		} else if (c->cmd == EV_CMD_MERGE) {
			if (c->ndirs == EV_CLI_MAX_DIRS) {
				snprintf(err, errlen,
					 "more than %d directories to merge",
					 EV_CLI_MAX_DIRS);
				return -1;
			}
			c->dirs[c->ndirs++] = a;
		} else if (!c->file) {
			c->file = a;
		} else {
			snprintf(err, errlen, "unexpected argument '%s'", a);
			return -1;
		}
	}
	if (c->cmd == EV_CMD_MERGE) {
		if (!c->ndirs) {
			snprintf(err, errlen,
				 "merge needs the shards' output directories");
			return -1;
		}
		if (!c->out_given) {
			snprintf(err, errlen,
				 "merge needs --out DIR (where the joined "
				 "results go)");
			return -1;
		}
		return 0;
	}
	if (c->cmd != EV_CMD_SWEEP && !c->file) {
		snprintf(err, errlen, "'%s' needs a FILE argument", argv[1]);
		return -1;
	}
	if (c->cmd == EV_CMD_CHANCE && !c->inject) {
		snprintf(err, errlen, "chance needs --inject 'main.f(...)'");
		return -1;
	}
	if (c->cmd == EV_CMD_CHANCE && c->narches > 1) {
		snprintf(err, errlen, "chance takes one --arch");
		return -1;
	}
	if (c->cmd == EV_CMD_SWEEP) {
		if (c->workload && !c->funcs) {
			snprintf(err, errlen,
				 "--workload needs --func NAME[,NAME...]");
			return -1;
		}
		if (c->funcs && !c->workload) {
			snprintf(err, errlen, "--func needs --workload FILE");
			return -1;
		}
		if (c->workload && c->file) {
			snprintf(
			    err, errlen,
			    "give either a suite file or --workload, not both");
			return -1;
		}
	}
	return 0;
}
