/*
 * cli_int.h -- what cli.c (parsing) and cli_help.c (the commands' table
 * and the help) share: the option rows and the command rows. Private to
 * those two files.
 */
#ifndef EVERYPC_CLI_INT_H
#define EVERYPC_CLI_INT_H

#include <stddef.h>

#include "cli.h"

struct value_option {
	const char *name;
	int shortc;	 /* 'j' for -j, 0: none */
	const char *arg; /* the value's name in the help; NULL: a flag */
	unsigned cmds;	 /* the commands it applies to: ON_* */
	int (*set)(const struct value_option *o, const char *val,
		   struct ev_cli *c, char *err, size_t errlen);
	size_t field; /* set_str, set_int: offsetof its const char * or int */
	long lo, hi;  /* set_int, set_seed: the range */
	const char *help; /* one line */
};

#define ON_SWEEP (1u << EV_CMD_SWEEP)
#define ON_REPLAY (1u << EV_CMD_REPLAY)
#define ON_LIST (1u << EV_CMD_LIST)
#define ON_CHANCE (1u << EV_CMD_CHANCE)
#define ON_MERGE (1u << EV_CMD_MERGE)
#define ON_CHECKMETA (1u << EV_CMD_CHECKMETA)
#define ON_REDUCE (1u << EV_CMD_REDUCE)

extern const struct value_option ev_cli_options[];
extern const size_t ev_cli_noptions;

struct command {
	const char *name;
	enum ev_cmd cmd;
	const char *synopsis; /* after "everypc NAME" */
	const char *summary;  /* one line */
	const char *examples;
};

#define EV_CLI_NCOMMANDS 9
extern const struct command ev_cli_commands[EV_CLI_NCOMMANDS];
const struct command *ev_cli_command_of(enum ev_cmd cmd);

#endif
