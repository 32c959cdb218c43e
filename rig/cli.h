/*
 * cli.h -- everypc's command line: parsing into a request, never acting.
 *
 *   everypc sweep [SUITE.json] [--workload FILE.go|ELF --func NAME[,NAME...]]
 *                 [--arch LIST] [--action LIST] [--hits LIST]
 *                 [--inject 'main.f(1,2)'] [--mutant NAME]
 *                 [--mode persistent|isolated] [--jobs N] [--out DIR]
 *                 [--junit FILE] [--resume] [--trace-rsp FILE]
 *                 [--timeout SECONDS] [--no-progress] [--shard I/N]
 *   everypc merge DIR... --out DIR [--junit FILE]
 *   everypc replay FILE [--expect pass|fail | --gdb SCRIPT] [--trace-rsp FILE]
 *   everypc list FILE.go|ELF [--func NAME[,NAME...]] [--arch LIST]
 *   everypc check-meta FILE.go|ELF [--func NAME[,NAME...]] [--arch LIST]
 *   everypc chance FILE.go|ELF --inject 'main.f(1)' [--arch A] [--mutant M]
 *                 [--runs N] [--seed N] [--attempts N] [--timeout SECONDS]
 *   everypc reduce SCENARIO [--out DIR] [--timeout SECONDS]
 *   everypc help [COMMAND] | --help | -h | COMMAND --help | COMMAND -h
 *   everypc version | --version
 *
 * Parsing is getopt_long's (GNU style): --opt=value and --opt value, the
 * short options -j N (--jobs), -o DIR (--out), -h (--help), unique prefixes
 * of long options (--work for --workload). Options and arguments may come
 * in any order after the command (git style); "--" ends the options, every
 * argument after it is a FILE or DIR even when it starts with '-'.
 *
 * Invariant CLI-1: every malformed argument is an error message naming the
 * option and the bad value; parsing never exits or prints by itself. An
 * empty value or list item, a value listed twice (--func a,a, --hits 1,1),
 * an option given twice, a mutant name that is not a plain file name
 * component and a missing command are malformed too. The message is one
 * line, with the name meant when a command, option, arch or action is near
 * a known one (didyoumean.h); main adds "Try 'everypc CMD --help'." and
 * exits 2.
 */
#ifndef EVERYPC_CLI_H
#define EVERYPC_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "suite.h"

#define EV_CLI_MAX_FUNCS 64 /* names in one --func */

enum ev_cmd {
	EV_CMD_HELP, /* first: 0 */
	EV_CMD_SWEEP,
	EV_CMD_REPLAY,
	EV_CMD_LIST,
	EV_CMD_CHANCE,
	EV_CMD_MERGE,
	EV_CMD_CHECKMETA,
	EV_CMD_REDUCE,
	EV_CMD_VERSION
};

/* replay --expect: what exit status 0 means */
enum ev_expect {
	EV_EXPECT_RECORDED, /* not given: the outcome recorded */
	EV_EXPECT_PASS,
	EV_EXPECT_FAIL
};

#define EV_CLI_MAX_DIRS 256 /* shard directories one merge takes */

struct ev_cli {
	enum ev_cmd cmd;   /* after an error: the command whose --help helps,
			      EV_CMD_HELP when none */
	enum ev_cmd topic; /* help: the command asked about, EV_CMD_HELP for
			      the overview */
	const char *file;  /* suite (sweep), scenario (replay), list target */
	const char *workload; /* --workload */
	const char *funcs;    /* --func, comma-separated */
	int arches[EV_NUM_ARCHES];
	size_t narches; /* 0: not given */
	int actions[EV_NUM_ACTIONS];
	size_t nactions;
	int hits[64];
	size_t nhits;
	const char *inject;
	const char *mutant;
	int mode;	 /* -1 not given, 0 persistent, 1 isolated */
	int jobs;	 /* 0: not given */
	const char *out; /* default "everypc-out" */
	const char *junit;
	const char *require_states; /* --require-states FILE */
	long generate;		    /* sweep --generate N; 0: not given */
	int seed_given;
	int resume;
	const char *trace_rsp;
	int timeout_s; /* 0: default */
	int no_progress;
	int no_cache; /* --no-cache (cache.h) */
	int no_clobber;
	int runs;			   /* chance: 0 not given */
	long seed;			   /* chance */
	int attempts;			   /* chance: 0 not given */
	int shard_index, shard_count;	   /* sweep --shard I/N; 0: not given */
	const char *dirs[EV_CLI_MAX_DIRS]; /* merge: the shard directories */
	size_t ndirs;
	int out_given;	 /* --out was given */
	int expect;	 /* replay: EV_EXPECT_* */
	const char *gdb; /* replay --gdb: the gdb script to write */
};

/* Returns 0, or -1 with err set (CLI-1). */
int ev_cli_parse(int argc, char **argv, struct ev_cli *cli, char *err,
		 size_t errlen);

/* The sweep c asks for as a command line (cli_what.c): the options that
   choose the cases, not those that only say where results go or how fast
   (--out, --jobs, --junit, --resume, --shard...), so that two sweeps of the
   same cases say the same. */
void ev_cli_what_ran(const struct ev_cli *c, char *s, size_t n);

/* The help of topic (EV_CMD_HELP: the overview of the commands, with
   EXIT STATUS and ENVIRONMENT; a command: its synopsis, options and
   examples), to f. */
void ev_cli_help(FILE *f, enum ev_cmd topic);

/* The name of a command ("sweep"), "" for help and version. */
const char *ev_cli_command_name(enum ev_cmd cmd);

#endif
