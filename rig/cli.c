/*
 * cli.c -- argument parsing for everypc (cli.h); the commands' table and
 * the help are in cli_help.c.
 */
#include "cli.h"
#include "cli_int.h"
#include "didyoumean.h"

#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* "unknown value 'x'", with the value meant when one is near, else the
   values known: name(0..nnames-1). */
static int unknown_value(const char *opt, const char *item,
			 const char *(*name)(int), int nnames, char *err,
			 size_t errlen)
{
	const char *cands[16];
	char known[256] = "";
	const char *meant;
	int i;

	for (i = 0; i < nnames && i < 16; i++) {
		cands[i] = name(i);
		snprintf(known + strlen(known), sizeof known - strlen(known),
			 "%s%s", i ? ", " : "", cands[i]);
	}
	meant = ev_did_you_mean(item, cands, (size_t)i);
	if (meant)
		return fail(err, errlen,
			    "%s: unknown value '%s'; did you mean '%s'?", opt,
			    item, meant);
	return fail(err, errlen, "%s: unknown value '%s' (%s)", opt, item,
		    known);
}

/* Split a comma list and map each item through parse; no duplicates. */
static int enum_list(const char *opt, const char *val,
		     int (*parse)(const char *), const char *(*name)(int),
		     int *out, size_t *n, size_t max, char *err, size_t errlen)
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
			return unknown_value(opt, items[i], name, (int)max, err,
					     errlen);
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

/* ==== the options ========================================================
 * One row each: its long and short name, the commands it applies to, how
 * its value is checked and stored, and its line in the command's help. The
 * row's index is its bit in "given twice". The getopt_long table, the help
 * and the man page's check (tests/e2e/cli_help_test.sh) all come from it.
 */
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
	c->seed_given = 1;
	return parse_int(o->name, val, o->lo, o->hi, &c->seed, err, errlen);
}

static int set_generate(const struct value_option *o, const char *val,
			struct ev_cli *c, char *err, size_t errlen)
{
	return parse_int(o->name, val, o->lo, o->hi, &c->generate, err, errlen);
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
	return enum_list(o->name, val, ev_arch_parse, ev_arch_name, c->arches,
			 &c->narches, EV_NUM_ARCHES, err, errlen);
}

static int set_action(const struct value_option *o, const char *val,
		      struct ev_cli *c, char *err, size_t errlen)
{
	return enum_list(o->name, val, ev_action_parse, ev_action_name,
			 c->actions, &c->nactions, EV_NUM_ACTIONS, err, errlen);
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

static int set_expect(const struct value_option *o, const char *val,
		      struct ev_cli *c, char *err, size_t errlen)
{
	if (!strcmp(val, "pass"))
		c->expect = EV_EXPECT_PASS;
	else if (!strcmp(val, "fail"))
		c->expect = EV_EXPECT_FAIL;
	else
		return bad(err, errlen, o->name, val, "expected pass or fail");
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

static int set_flag(const struct value_option *o, const char *val,
		    struct ev_cli *c, char *err, size_t errlen)
{
	(void)val;
	(void)err;
	(void)errlen;
	*(int *)((char *)c + o->field) = 1;
	return 0;
}

#define ON_ALL                                                                 \
	(ON_SWEEP | ON_REPLAY | ON_LIST | ON_CHANCE | ON_MERGE |               \
	 ON_CHECKMETA | ON_REDUCE)

const struct value_option ev_cli_options[] = {
    {"--workload", 0, "FILE.go|ELF", ON_SWEEP, .set = set_str,
     .field = FIELD(workload),
     .help = "sweep this workload instead of a suite"},
    {"--func", 0, "NAME[,NAME...]", ON_SWEEP | ON_LIST | ON_CHECKMETA,
     .set = set_func,
     .help = "the functions (sweep: with --workload;\n"
	     "list: default all)"},
    {"--arch", 0, "LIST", ON_SWEEP | ON_LIST | ON_CHANCE | ON_CHECKMETA,
     .set = set_arch,
     .help = "amd64, arm64, riscv64 (default: the suite's,\n"
	     "or all; list of an ELF: its own; chance: one)"},
    {"--action", 0, "LIST", ON_SWEEP, .set = set_action,
     .help = "preempt, preempt-gc, preempt-gc-shrink,\n"
	     "preempt-mark, inject, inject-gc,\n"
	     "inject-freeze, inject-mark"},
    {"--hits", 0, "LIST", ON_SWEEP, .set = set_hits,
     .help = "stop at the N-th execution of each PC (1,2)"},
    {"--inject", 0, "'main.f(1,2)'", ON_SWEEP | ON_CHANCE, .set = set_str,
     .field = FIELD(inject), .help = "the function the inject actions call"},
    {"--mutant", 0, "NAME", ON_SWEEP | ON_CHANCE, .set = set_mutant,
     .help = "run against a planted bug (runtime or gosub)"},
    {"--mode", 0, "persistent|isolated", ON_SWEEP, .set = set_mode,
     .help = "one QEMU per worker (default) or per case"},
    {"--jobs", 'j', "N", ON_SWEEP, .set = set_int, .field = FIELD(jobs),
     .lo = 1, .hi = 256,
     .help = "parallel workers (default: the online cores\nless the "
	     "1-minute load average, rounded;\nat least 1)"},
    {"--out", 'o', "DIR", ON_SWEEP | ON_MERGE | ON_REDUCE, .set = set_out,
     .help = "journal, scenarios, report (default\neverypc-out); reduce: the "
	     "program and its\nscenario (default everypc-out/reduced)"},
    {"--junit", 0, "FILE", ON_SWEEP | ON_MERGE, .set = set_str,
     .field = FIELD(junit), .help = "JUnit XML for CI"},
    {"--generate", 0, "N", ON_SWEEP, .set = set_generate, .lo = 1, .hi = 100000,
     .help = "sweep N programs written by gosub-gen\n(seeds from --seed on; "
	     "every function)"},
    {"--require-states", 0, "FILE", ON_SWEEP | ON_MERGE, .set = set_str,
     .field = FIELD(require_states),
     .help = "fail unless every state FILE lists\nwas created "
	     "(docs/states.md)"},
    {"--resume", 0, NULL, ON_SWEEP, .set = set_flag, .field = FIELD(resume),
     .help = "skip the cases already in DIR/journal.jsonl"},
    {"--trace-rsp", 0, "FILE", ON_SWEEP | ON_REPLAY, .set = set_str,
     .field = FIELD(trace_rsp), .help = "log every RSP packet to FILE"},
    {"--expect", 0, "pass|fail", ON_REPLAY, .set = set_expect,
     .help = "exit 0 when the case passes, or fails as\n"
	     "recorded (default: the outcome recorded)"},
    {"--gdb", 0, "SCRIPT", ON_REPLAY, .set = set_str, .field = FIELD(gdb),
     .help = "stop before the action, write SCRIPT for\n"
	     "gdb-multiarch -x SCRIPT, wait for the debugger"},
    {"--timeout", 0, "SECONDS", ON_SWEEP | ON_REPLAY | ON_CHANCE | ON_REDUCE,
     .set = set_int, .field = FIELD(timeout_s), .lo = 1, .hi = 86400,
     .help = "a stop taking longer is a hang (default 20;\nreduce: 10, "
	     "and go run's limit)"},
    {"--no-clobber", 0, NULL, ON_SWEEP | ON_REPLAY, .set = set_flag,
     .field = FIELD(no_clobber),
     .help = "leave dead registers and frame words as\nthey are (replay: "
	     "default as recorded)"},
    {"--no-progress", 0, NULL, ON_SWEEP, .set = set_flag,
     .field = FIELD(no_progress), .help = "no progress bar"},
    {"--no-cache", 0, NULL,
     ON_SWEEP | ON_REPLAY | ON_LIST | ON_CHANCE | ON_CHECKMETA | ON_REDUCE,
     .set = set_flag, .field = FIELD(no_cache),
     .help = "build, disassemble and run go anew: read and\n"
	     "write nothing in EVERYPC_CACHE_DIR"},
    {"--shard", 0, "I/N", ON_SWEEP, .set = set_shard,
     .help = "run the I-th of N shares of the cases, then\n"
	     "everypc merge (or from CI_NODE_INDEX, ...)"},
    {"--runs", 0, "N", ON_CHANCE, .set = set_int, .field = FIELD(runs), .lo = 1,
     .hi = 100000, .help = "runs to make (default 20)"},
    {"--seed", 0, "N", ON_SWEEP | ON_CHANCE, .set = set_seed, .lo = 0,
     .hi = 2147483647L,
     .help = "chance: the random moments' seed (default\n0); sweep "
	     "--generate: the first program's\n(default 1)"},
    {"--attempts", 0, "N", ON_CHANCE, .set = set_int, .field = FIELD(attempts),
     .lo = 1, .hi = 1000, .help = "interruptions to try per run (default 16)"},
    {"--help", 'h', NULL, ON_ALL, .help = "this help"},
};

#define NUM_VALUE_OPTIONS (sizeof ev_cli_options / sizeof ev_cli_options[0])
const size_t ev_cli_noptions = NUM_VALUE_OPTIONS;
_Static_assert(NUM_VALUE_OPTIONS <= 32, "once(): a bit of unsigned per row");
#define LONG_VAL 256 /* getopt_long's val of row k: LONG_VAL + k */

/* Each option taking a value at most once: a second --arch would silently
   replace the first. */
static int once(const struct value_option *o, unsigned *seen, char *err,
		size_t errlen)
{
	unsigned bit = 1u << (o - ev_cli_options);

	if (*seen & bit)
		return fail(err, errlen, "option '%s' given twice", o->name);
	*seen |= bit;
	return 0;
}

const char *ev_cli_command_name(enum ev_cmd cmd)
{
	const struct command *k = ev_cli_command_of(cmd);
	return k && cmd != EV_CMD_HELP && cmd != EV_CMD_VERSION ? k->name : "";
}

/* "unknown command 'swep'; did you mean 'sweep'?" */
static int unknown_command(const char *a, char *err, size_t errlen)
{
	const char *names[EV_CLI_NCOMMANDS], *meant;
	size_t k;

	for (k = 0; k < EV_CLI_NCOMMANDS; k++)
		names[k] = ev_cli_commands[k].name;
	meant = ev_did_you_mean(a, names, EV_CLI_NCOMMANDS);
	if (meant)
		return fail(err, errlen,
			    "unknown command '%s'; did you mean '%s'?", a,
			    meant);
	return fail(err, errlen,
		    "unknown command '%s' (sweep, replay, reduce, list, "
		    "check-meta, merge, chance, help, version)",
		    a);
}

/* argv[1]: a command, or --help/-h/--version. */
static int parse_command(int argc, char **argv, struct ev_cli *c, char *err,
			 size_t errlen)
{
	const char *a = argv[1];
	size_t k;

	if (argc < 2)
		return fail(err, errlen,
			    "no command given (sweep, replay, list, merge, "
			    "chance)");
	if (!strcmp(a, "--help") || !strcmp(a, "-h"))
		a = "help";
	if (!strcmp(a, "--version"))
		a = "version";
	for (k = 0; k < EV_CLI_NCOMMANDS; k++)
		if (!strcmp(a, ev_cli_commands[k].name)) {
			c->cmd = ev_cli_commands[k].cmd;
			return 0;
		}
	if (a[0] == '-')
		return fail(err, errlen,
			    "unknown option '%s' (a command comes first: "
			    "sweep, replay, ...)",
			    a);
	return unknown_command(a, err, errlen);
}

/* ==== getopt_long ========================================================= */

/* The getopt_long tables of every row: the options that do not apply to
   the command are still known, for "does not apply to". optstring: "-"
   returns the arguments in order (no permutation, whatever POSIXLY_CORRECT
   says; "--" still ends the options), ":" a missing value as ':'. */
static void getopt_tables(struct option *longopts, char *shortopts)
{
	size_t k, n = 0;

	shortopts[n++] = '-';
	shortopts[n++] = ':';
	for (k = 0; k < NUM_VALUE_OPTIONS; k++) {
		const struct value_option *o = &ev_cli_options[k];
		longopts[k] = (struct option){
		    o->name + 2, o->arg ? required_argument : no_argument, NULL,
		    LONG_VAL + (int)k};
		if (o->shortc) {
			shortopts[n++] = (char)o->shortc;
			if (o->arg)
				shortopts[n++] = ':';
		}
	}
	longopts[k] = (struct option){NULL, 0, NULL, 0};
	shortopts[n] = 0;
}

/* The row of getopt_long's answer ch (a short option or LONG_VAL + k). */
static const struct value_option *row_of(int ch)
{
	size_t k;

	if (ch >= LONG_VAL && ch < LONG_VAL + (int)NUM_VALUE_OPTIONS)
		return &ev_cli_options[ch - LONG_VAL];
	for (k = 0; k < NUM_VALUE_OPTIONS; k++)
		if (ch && ev_cli_options[k].shortc == ch)
			return &ev_cli_options[k];
	return NULL;
}

static int applies(const struct value_option *o, const struct ev_cli *c)
{
	return (o->cmds & (1u << c->cmd)) != 0;
}

/* An unknown or ambiguous long option arg ("--bogus=1"), with the option
   of this command meant when one is near. */
static int unknown_long(const char *arg, const struct ev_cli *c, char *err,
			size_t errlen)
{
	const char *names[NUM_VALUE_OPTIONS], *meant;
	char name[64];
	size_t k, n = 0, nprefix = 0;

	snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
	for (k = 0; k < NUM_VALUE_OPTIONS; k++) {
		if (!strncmp(ev_cli_options[k].name, name, strlen(name)))
			nprefix++;
		if (applies(&ev_cli_options[k], c))
			names[n++] = ev_cli_options[k].name;
	}
	if (nprefix > 1)
		return fail(err, errlen, "option '%s' is ambiguous", name);
	meant = ev_did_you_mean(name, names, n);
	if (meant)
		return fail(err, errlen,
			    "unknown option '%s'; did you mean '%s'?", name,
			    meant);
	return fail(err, errlen, "unknown option '%s'", name);
}

/* getopt_long's '?' or ':' for the argument it stopped at. */
static int getopt_error(int ch, const char *arg, const struct ev_cli *c,
			char *err, size_t errlen)
{
	const struct value_option *o = row_of(optopt);

	if (o && !applies(o, c))
		return fail(err, errlen, "option '%s' does not apply to '%s'",
			    o->name, ev_cli_command_name(c->cmd));
	if (o && ch == ':')
		return fail(err, errlen, "option '%s' needs a value", o->name);
	if (o)
		return fail(err, errlen, "option '%s' takes no value", o->name);
	if (optopt)
		return fail(err, errlen, "unknown option '-%c'", optopt);
	return unknown_long(arg, c, err, errlen);
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

/* One option getopt_long recognised, with its value (NULL: a flag). */
static int option(const struct value_option *o, const char *val, unsigned *seen,
		  struct ev_cli *c, char *err, size_t errlen)
{
	if (!applies(o, c))
		return fail(err, errlen, "option '%s' does not apply to '%s'",
			    o->name, ev_cli_command_name(c->cmd));
	if (!o->arg)
		return o->set(o, val, c, err, errlen);
	if (once(o, seen, err, errlen) < 0)
		return -1;
	if (!*val)
		return bad(err, errlen, o->name, val, "empty value");
	return o->set(o, val, c, err, errlen);
}

/* What getopt_long answered, ch: 1 when it is --help (the parse stops),
   0, or -1 with err. argv is the whole command line. */
static int parse_one(int ch, char **argv, unsigned *seen, struct ev_cli *c,
		     char *err, size_t errlen)
{
	const struct value_option *o = row_of(ch);

	if (ch == 1)
		return positional(optarg, c, err, errlen);
	if (ch == '?' || ch == ':')
		return getopt_error(ch, argv[optind], c, err, errlen);
	if (o->shortc == 'h') {
		c->topic = c->cmd;
		c->cmd = EV_CMD_HELP;
		return 1;
	}
	return option(o, optarg, seen, c, err, errlen);
}

/* The options and arguments after the command, argv[2..]: getopt_long
   sees argv + 1, the command as its argv[0]. optind = 0 makes glibc start
   afresh (ev_cli_parse is called many times in one process, the unit
   tests); --help stops the parse as a request for the command's help. */
static int parse_args(int argc, char **argv, struct ev_cli *c, char *err,
		      size_t errlen)
{
	struct option longopts[NUM_VALUE_OPTIONS + 1];
	char shortopts[2 * NUM_VALUE_OPTIONS + 3];
	unsigned seen = 0;
	int ch, rc;

	getopt_tables(longopts, shortopts);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc - 1, argv + 1, shortopts, longopts,
				 NULL)) != -1)
		if ((rc = parse_one(ch, argv, &seen, c, err, errlen)) != 0)
			return rc < 0 ? -1 : 0;
	for (ch = optind + 1; ch < argc; ch++)
		if (positional(argv[ch], c, err, errlen) < 0)
			return -1;
	return 0;
}

/* help [COMMAND], version: the topic; nothing else. */
static int parse_help(int argc, char **argv, struct ev_cli *c, char *err,
		      size_t errlen)
{
	size_t k;

	c->topic = EV_CMD_HELP;
	if (argc == 3 && c->cmd == EV_CMD_VERSION &&
	    (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
		c->cmd = EV_CMD_HELP;
		c->topic = EV_CMD_VERSION;
		return 0;
	}
	if (argc > 3 || (argc == 3 && c->cmd == EV_CMD_VERSION))
		return fail(err, errlen, "unexpected argument '%s'",
			    argv[argc - 1]);
	if (argc < 3 || !strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))
		return 0;
	for (k = 0; k < EV_CLI_NCOMMANDS; k++)
		if (!strcmp(argv[2], ev_cli_commands[k].name)) {
			c->topic = ev_cli_commands[k].cmd;
			return 0;
		}
	return unknown_command(argv[2], err, errlen);
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
	if (c->generate && (c->workload || c->file))
		return fail(err, errlen,
			    "give one of a suite file, --workload or "
			    "--generate");
	if (c->generate && c->shard_count > 1)
		return fail(err, errlen,
			    "--generate cannot be sharded: each program "
			    "depends on the states the earlier ones created");
	if (c->seed_given && !c->generate)
		return fail(err, errlen,
			    "sweep takes --seed with --generate N only");
	if (c->workload && !c->funcs)
		return fail(err, errlen,
			    "--workload needs --func NAME[,NAME...]");
	if (c->funcs && !c->workload && !c->generate)
		return fail(err, errlen,
			    "--func needs --workload FILE (or --generate N)");
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
	if (c->gdb && c->expect != EV_EXPECT_RECORDED)
		return fail(err, errlen,
			    "give either --gdb or --expect, not both (a "
			    "debugged case has no outcome)");
	if (c->cmd == EV_CMD_SWEEP)
		return check_sweep(c, err, errlen);
	return 0;
}

int ev_cli_parse(int argc, char **argv, struct ev_cli *c, char *err,
		 size_t errlen)
{
	memset(c, 0, sizeof *c);
	c->cmd = EV_CMD_HELP;
	c->topic = EV_CMD_HELP;
	c->mode = -1;
	c->out = "everypc-out";
	if (parse_command(argc, argv, c, err, errlen) < 0)
		return -1;
	if (c->cmd == EV_CMD_HELP || c->cmd == EV_CMD_VERSION)
		return parse_help(argc, argv, c, err, errlen);
	if (parse_args(argc, argv, c, err, errlen) < 0)
		return -1;
	if (c->cmd == EV_CMD_HELP)
		return 0;
	return check_request(c, argv[1], err, errlen);
}
