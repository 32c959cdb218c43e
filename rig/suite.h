/*
 * suite.h -- sweep suites and recorded scenarios: what a sweep runs, and
 * the self-contained record of one case that `everypc replay` reproduces.
 *
 * Suite file (JSON):
 *   { "name": "default",
 *     "arches": ["amd64", "arm64", "riscv64"],        optional, default all
 *     "mode": "persistent" | "isolated",               optional
 *     "sweeps": [ { "workload": "workloads/list.go",   relative to the file
 *                   "funcs": ["main.push", ...],
 *                   "actions": ["preempt", ...],
 *                   "hits": [1, 2],                     optional, default [1]
 *                   "inject": "main.f(1,2)",            inject actions only
 *                   "mutant": "no-register-scan" } ] }  optional
 *
 * Scenario file (JSON): one case, written for every failure:
 *   { "everypc_scenario": 1, "arch", "workload", "mutant", "build_id",
 *     "func", "pc", "offset", "line", "hit", "action", "inject",
 *     "expected": { "verdict", "result" },
 *     "observed": { "verdict", "result", "check", "detail" } }
 *
 * Invariants:
 * SUITE-1 Every field is validated on load; an error names the file, the
 *         line and column of the offending value and the field's path
 *         (e.g. "sweeps[0].actions[1]").
 * SUITE-2 Writing a scenario and reading it back gives an equal struct
 *         (round trip), and the written bytes depend only on the case.
 */
#ifndef EVERYPC_SUITE_H
#define EVERYPC_SUITE_H

#include <stddef.h>
#include <stdint.h>

enum ev_action {
	EV_PREEMPT,
	EV_PREEMPT_GC,
	EV_PREEMPT_GC_SHRINK,
	EV_INJECT,
	EV_INJECT_GC,
	EV_INJECT_FREEZE,
	EV_PREEMPT_MARK, /* RIG-8: parked while a cycle marks */
	EV_INJECT_MARK,
	EV_NUM_ACTIONS
};
/* The action injects a call (its sweeps name one). */
int ev_action_is_inject(int a);

enum ev_arch_id { EV_AMD64, EV_ARM64, EV_RISCV64, EV_NUM_ARCHES };

const char *ev_action_name(int a);
int ev_action_parse(const char *s); /* -1 when unknown */
const char *ev_arch_name(int a);
int ev_arch_parse(const char *s); /* -1 when unknown */

/* A mutant name becomes part of file names (the build's ELF, scenario
   files): 1 when s is one, [A-Za-z0-9_.-]+ not starting with '.' or '-'. */
int ev_mutant_name_ok(const char *s);
#define EV_MUTANT_NAME_RULE                                                    \
	"expected a mutant name (letters, digits, '_', '-', '.'; no '/')"

struct ev_sweep {
	char *workload; /* resolved path */
	char **funcs;
	size_t nfuncs;
	int actions[EV_NUM_ACTIONS];
	size_t nactions;
	int *hits;
	size_t nhits;
	char *inject;	    /* "main.f(1,2)" or NULL */
	char *mutant;	    /* or NULL */
	int no_clobber;	    /* "clobber": false (CLB-1) */
	unsigned arch_mask; /* "arches": bit per enum ev_arch_id; 0: all */
};

struct ev_suite {
	char *name;
	int arches[EV_NUM_ARCHES];
	size_t narches;
	int isolated;
	struct ev_sweep *sweeps;
	size_t nsweeps;
	/* "require_states": the states the sweep must create (states.h);
	   NULL when the suite names none */
	struct ev_states_req *require;
};

/* Returns 0, or -1 with err = "file:line:col: field F: message". */
int ev_suite_load(const char *path, struct ev_suite *s, char *err,
		  size_t errlen);
void ev_suite_free(struct ev_suite *s);

/* Outcome of one case, as journalled and recorded. */
enum ev_verdict { EV_ACCEPTED, EV_REJECTED, EV_UNREACHED, EV_NOVERDICT };
const char *ev_verdict_name(int v);
int ev_verdict_parse(const char *s);

struct ev_scenario {
	int arch;
	char *workload; /* as given (relative to the scenario file) */
	char *mutant;	/* NULL for the correct runtime */
	char *build_id; /* hex */
	char *func;
	uint64_t pc;
	uint64_t offset;
	int line;
	int hit;
	int action;
	char *inject;
	int clobber; /* dead state overwritten at the stop (CLB-1) */
	int expected_verdict;
	int observed_verdict;
	int observed_pass; /* 1 pass, 0 fail */
	char *check;	   /* failing oracle, or NULL */
	char *detail;
	/* Where these fields are in the file the scenario was loaded from
	   (0: not loaded), so that checks made later can name them. */
	struct ev_pos {
		int line, col;
	} at_workload, at_func, at_pc, at_offset;
};

int ev_scenario_load(const char *path, struct ev_scenario *sc, char *err,
		     size_t errlen);
/* sc's func, pc and offset against the target it replays in, whose
   function func spans [entry, end) (found 0: the target has none): pc must
   lie in it and offset be pc - entry. Returns 0, or -1 with err =
   "path:line:col: field F: message" (SUITE-1). */
int ev_scenario_check_func(const struct ev_scenario *sc, const char *path,
			   int found, uint64_t entry, uint64_t end, char *err,
			   size_t errlen);
/* Serialise to a malloc'ed NUL-terminated JSON text (with a newline). */
char *ev_scenario_dump(const struct ev_scenario *sc);
void ev_scenario_free(struct ev_scenario *sc);

#endif
