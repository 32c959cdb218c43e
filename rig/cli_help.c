/*
 * cli_help.c -- everypc's commands (name, synopsis, summary, examples) and
 * the help made from them and from the option rows of cli.c: the overview
 * with EXIT STATUS and ENVIRONMENT, and each command's own help (cli.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_int.h"

/* ==== the commands ======================================================== */

const struct command ev_cli_commands[EV_CLI_NCOMMANDS] = {
    {"sweep", EV_CMD_SWEEP,
     "[SUITE.json] [OPTIONS]\n"
     "       everypc sweep --workload FILE.go|ELF --func NAME[,NAME...] "
     "[OPTIONS]",
     "preempt or inject at every PC and check",
     "  everypc sweep                                the default suite\n"
     "  everypc sweep scenarios/default.json --arch arm64 -j 2\n"
     "  everypc sweep --workload scenarios/workloads/list.go --func "
     "main.push \\\n"
     "      --action preempt-gc --arch riscv64 -o /tmp/s1\n"
     "  everypc sweep --mutant no-register-scan --out=/tmp/m1\n"},
    {"replay", EV_CMD_REPLAY,
     "FILE [--expect pass|fail | --gdb SCRIPT]\n"
     "              [--trace-rsp FILE] [--timeout SECONDS]",
     "reproduce a recorded scenario, or stop at its case for gdb",
     "  everypc replay everypc-out/scenarios/fail-0001.json\n"
     "  everypc replay --expect pass everypc-out/scenarios/fail-0001.json"
     "  after a fix\n"
     "  everypc replay --gdb /tmp/case.gdb everypc-out/scenarios/"
     "fail-0001.json\n"
     "      then, elsewhere: gdb-multiarch -x /tmp/case.gdb\n"
     "  everypc replay --trace-rsp /tmp/rsp.log -- -odd-name.json\n"},
    {"reduce", EV_CMD_REDUCE, "SCENARIO [-o DIR] [--timeout SECONDS]",
     "shrink a failing case's workload, keeping its failure",
     "  everypc reduce everypc-out/scenarios/X.json  writes "
     "everypc-out/reduced/X.go\n"
     "                                               and X.json, then:\n"
     "  everypc replay everypc-out/reduced/X.json\n"
     "  everypc reduce -o /tmp/r case.json --timeout 30\n"},
    {"list", EV_CMD_LIST, "FILE.go|ELF [--func NAME[,NAME...]] [--arch LIST]",
     "per PC: func+offset, source, instruction, safety, live pointers",
     "  everypc list scenarios/workloads/list.go --func main.push --arch "
     "amd64\n"
     "  everypc list scenarios/workloads/list.go --func main.push,main.sum "
     "\\\n"
     "      --arch arm64,riscv64\n"
     "  everypc list /tmp/list.elf                   every function, the "
     "ELF's arch\n"},
    {"check-meta", EV_CMD_CHECKMETA,
     "FILE.go|ELF [--func NAME[,NAME...]] [--arch LIST]",
     "the metadata's unsafe ranges against the machine code",
     "  everypc check-meta scenarios/workloads/list.go     every arch\n"
     "  everypc check-meta /tmp/list.elf --func main.push  the ELF's arch\n"},
    {"merge", EV_CMD_MERGE, "DIR... -o DIR [--junit FILE]",
     "join the output directories of a sharded sweep's shards",
     "  everypc merge out-1 out-2 out-3 -o everypc-out --junit junit.xml\n"},
    {"chance", EV_CMD_CHANCE,
     "FILE.go|ELF --inject 'main.f(1)' [--arch A] [--mutant M]\n"
     "              [--runs N] [--seed N] [--attempts N] [--timeout SECONDS]",
     "the by-chance baseline: interrupt at random moments, inject",
     "  everypc chance scenarios/workloads/list.go --inject 'main.push(1)' "
     "\\\n"
     "      --arch amd64 --mutant debugcall-no-freeze --runs 50\n"},
    {"help", EV_CMD_HELP, "[COMMAND]",
     "the overview, or a command's options and examples",
     "  everypc help sweep\n"},
    {"version", EV_CMD_VERSION, "(or everypc --version)",
     "print the version, commit, QEMU and compilers found",
     "  everypc --version\n"},
};

_Static_assert(sizeof ev_cli_commands / sizeof ev_cli_commands[0] ==
		   EV_CLI_NCOMMANDS,
	       "EV_CLI_NCOMMANDS counts the rows");

const struct command *ev_cli_command_of(enum ev_cmd cmd)
{
	size_t k;
	for (k = 0; k < EV_CLI_NCOMMANDS; k++)
		if (ev_cli_commands[k].cmd == cmd)
			return &ev_cli_commands[k];
	return NULL;
}

/* ==== help ================================================================ */

static const char overview[] =
    "usage: everypc COMMAND [OPTIONS] [ARGUMENTS]\n"
    "       everypc help COMMAND | everypc COMMAND --help\n"
    "       everypc --version\n"
    "\n"
    "A deterministic test rig for a Go-like runtime under QEMU user mode: "
    "it stops a\n"
    "workload at every PC of the functions named, preempts or injects a "
    "call there,\n"
    "and checks the runtime's answer.\n"
    "\n"
    "commands:\n";

static const char overview_tail[] =
    "\n"
    "Options and arguments may come in any order after the command; '--' "
    "ends the\n"
    "options. Long options take their value as --opt=VALUE or --opt VALUE "
    "and may\n"
    "be abbreviated to a unique prefix.\n"
    "\n"
    "EXIT STATUS\n"
    "  0  success: a sweep or merge with every case passing, a replay "
    "that\n"
    "     reproduced the recorded outcome (with --expect: that passed, "
    "or failed\n"
    "     as recorded; with --gdb: the debugger is done), a reduce that "
    "wrote its\n"
    "     program, list, chance, help, version\n"
    "  1  a sweep or merge with a failing case; a replay whose outcome "
    "differs\n"
    "     from the recorded one (or from --expect; with --gdb: the case "
    "does not\n"
    "     get to its stop); a reduce whose scenario does not fail as "
    "recorded\n"
    "  2  a usage error (one line, then where to find help), or the run "
    "could\n"
    "     not be made (a missing file, a build or QEMU failure)\n"
    "\n"
    "ENVIRONMENT\n"
    "  Each EVERYPC_* path overrides what is found beside the everypc "
    "executable,\n"
    "  SELF; nothing of the build tree is compiled in.\n"
    "  EVERYPC_GOSUB         the workload compiler (else SELF/gosub, else "
    "$PATH)\n"
    "  EVERYPC_GOSUB_GEN     the program generator of sweep --generate "
    "(else\n"
    "                        SELF/gosub-gen, else $PATH)\n"
    "  EVERYPC_RUNTIME_DIR   the runtime libraries, DIR/ARCH/libeprt*.a "
    "(else\n"
    "                        SELF/runtime, SELF/../lib/everypc/runtime; "
    "passed on\n"
    "                        to gosub)\n"
    "  EVERYPC_SOURCE_DIR    the tree of scenarios/ and workloads named "
    "relatively\n"
    "                        (else SELF/share/everypc, "
    "SELF/../share/everypc)\n"
    "  EVERYPC_QEMU_AMD64, EVERYPC_QEMU_ARM64, EVERYPC_QEMU_RISCV64\n"
    "                        QEMU user mode (else qemu-x86_64, "
    "qemu-aarch64,\n"
    "                        qemu-riscv64 in $PATH)\n"
    "  EVERYPC_OBJDUMP_AMD64, EVERYPC_OBJDUMP_ARM64, EVERYPC_OBJDUMP_RISCV64\n"
    "                        objdump (else TRIPLE-objdump in $PATH; for "
    "the\n"
    "                        rig's own arch, objdump)\n"
    "  EVERYPC_CC_AMD64, EVERYPC_CC_ARM64, EVERYPC_CC_RISCV64\n"
    "                        read by gosub: the guest C compiler\n"
    "  EVERYPC_GO            the go that prints a workload's reference "
    "output when\n"
    "                        NAME.out is missing (else go in $PATH)\n"
    "  EVERYPC_CACHE_DIR     the cache of built workloads, their "
    "disassembly and\n"
    "                        go run's outputs, by content hash (else\n"
    "                        $XDG_CACHE_HOME/everypc, "
    "$HOME/.cache/everypc)\n"
    "  EVERYPC_PIN           1: each worker and its QEMU share one CPU "
    "(Linux;\n"
    "                        for a machine the sweep has to itself)\n"
    "  EVERYPC_DEBUG         the guest runtime's knobs; the rig clears it "
    "for the\n"
    "                        workloads it runs\n"
    "  EVERYPC_TEST_KILL_AT  FUNC+OFFSET: a fault for the rig's own tests "
    "(a\n"
    "                        worker dies there)\n"
    "  EVERYPC_TEST_NCPU, EVERYPC_TEST_LOADAVG\n"
    "                        stand-ins for the core count and the load "
    "average of\n"
    "                        the --jobs default, for the rig's own tests\n"
    "  EVERYPC_TEST_CLOBBER_LIVE  set: clobbering overwrites live registers "
    "too\n"
    "                        (the rig's own tests: a map bug made visible)\n"
    "  CI_NODE_INDEX, CI_NODE_TOTAL, TEST_SHARD_INDEX, TEST_TOTAL_SHARDS,\n"
    "  GTEST_SHARD_INDEX, GTEST_TOTAL_SHARDS, BUILDKITE_PARALLEL_JOB,\n"
    "  BUILDKITE_PARALLEL_JOB_COUNT\n"
    "                        the shard of sweep when --shard is not given\n"
    "  TEST_SHARD_STATUS_FILE  touched when the shard came from "
    "TEST_SHARD_INDEX\n"
    "                        (Bazel's protocol)\n"
    "  TMPDIR                where private scratch directories and files "
    "are made\n"
    "                        (else /tmp); gosub and the guest C compiler "
    "follow it;\n"
    "                        at most 71 bytes (QEMU's socket is made under "
    "it)\n"
    "  SOURCE_DATE_EPOCH     the timestamp of --junit (reproducible "
    "reports)\n"
    "\n"
    "See 'everypc help COMMAND' for a command's options and examples, and "
    "everypc(1).\n";

static void help_overview(FILE *f)
{
	size_t k, w = 0;

	fputs(overview, f);
	for (k = 0; k < EV_CLI_NCOMMANDS; k++)
		if (strlen(ev_cli_commands[k].name) > w)
			w = strlen(ev_cli_commands[k].name);
	for (k = 0; k < EV_CLI_NCOMMANDS; k++)
		fprintf(f, "  %-*s  %s\n", (int)w, ev_cli_commands[k].name,
			ev_cli_commands[k].summary);
	fputs(overview_tail, f);
}

/* The options of topic, one line each (a help with "\n" goes on in the
   column of the help). */
static void help_options(FILE *f, enum ev_cmd topic)
{
	const char *p;
	char head[64];
	size_t i;

	for (i = 0; i < ev_cli_noptions; i++) {
		const struct value_option *o = &ev_cli_options[i];
		if (!(o->cmds & (1u << topic)))
			continue;
		if (o->shortc)
			snprintf(head, sizeof head, "-%c, %s%s%s", o->shortc,
				 o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		else
			snprintf(head, sizeof head, "    %s%s%s", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-30s ", head);
		for (p = o->help; *p; p++)
			fputs(*p == '\n' ? "\n                                 "
					 : (char[]){*p, 0},
			      f);
		fputc('\n', f);
	}
}

void ev_cli_help(FILE *f, enum ev_cmd topic)
{
	const struct command *k = ev_cli_command_of(topic);

	if (topic == EV_CMD_HELP || !k) {
		help_overview(f);
		return;
	}
	fprintf(f, "usage: everypc %s %s\n\n%c%s.\n", k->name, k->synopsis,
		toupper((unsigned char)k->summary[0]), k->summary + 1);
	if (topic != EV_CMD_VERSION) {
		fputs("\noptions:\n", f);
		help_options(f, topic);
	}
	fprintf(f, "\nexamples:\n%s\n", k->examples);
	fputs("Exit status and environment: everypc --help; the manual: "
	      "man everypc.\n",
	      f);
}
