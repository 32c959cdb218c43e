/*
 * launch.h -- start `qemu-<arch> -g <dir>/gdb.sock [qemu args] prog [args]`
 * and connect to its gdbstub; tear it all down again.
 *
 * INVARIANTS (cited as "LAUNCH-n"):
 *
 * LAUNCH-1 The gdbstub listens on a unix socket inside a fresh directory
 *          made by mkdtemp (mode 0700), never on a TCP port: a port would
 *          listen on every interface and hand the guest to anyone on the
 *          network; the directory keeps other local users out.
 *
 * LAUNCH-2 The child gets exactly the caller's argv, environment (envp, not
 *          ours; QEMU passes it on to the guest) and stdin/stdout/stderr
 *          (files or pipes the caller chooses, /dev/null for -1). It runs
 *          in its own process group, so a terminal's Ctrl-C reaches only
 *          the rig, which then tears the children down itself.
 *
 * LAUNCH-3 Every path ends in launch_stop: the child is killed (SIGKILL)
 *          and reaped, the socket and directory removed. launch_start
 *          cleans up itself when it fails, including when QEMU exits or
 *          the socket does not accept within the timeout.
 *
 * LAUNCH-4 Abnormal exit: every live launch is also recorded in a fixed
 *          table of plain arrays. launch_cleanup_install() registers an
 *          atexit hook and SIGINT/SIGTERM/SIGHUP handlers that walk it with
 *          async-signal-safe calls only (kill, unlink, rmdir), then chain
 *          to the previous handler or re-raise the signal with the default
 *          action. Signals are blocked between fork and recording, so a
 *          child cannot escape the table. (SIGKILL of the rig cannot be
 *          caught: see LAUNCH-5.)
 *
 * LAUNCH-5 On Linux the child asks for SIGKILL when the process that
 *          launched it dies (PR_SET_PDEATHSIG), so a rig or sweep worker
 *          killed outright (the OOM killer) leaves no QEMU running on (its
 *          socket directory stays behind).
 */
#ifndef EVERYPC_LAUNCH_H
#define EVERYPC_LAUNCH_H

#include "rsp.h"

#include <sys/types.h>

#define LAUNCH_MAX 64 /* live launches per process (LAUNCH-4) */

struct launch_opts {
	const char *qemu;	      /* path, or a name searched in $PATH */
	const char *const *qemu_args; /* before -g; NULL-terminated or NULL */
	const char *prog;	      /* the guest program */
	const char *const
	    *prog_args;		 /* its argv[1..]; NULL-terminated or NULL */
	const char *const *envp; /* the child's environment; NULL: empty */
	int stdin_fd, stdout_fd, stderr_fd; /* -1: /dev/null */
	int timeout_ms;	    /* until the stub accepts; 0: 10000 */
	const char *tmpdir; /* parent of the socket dir; NULL: $TMPDIR
			       or /tmp */
};

struct launch {
	pid_t pid;  /* 0 once reaped */
	int fd;	    /* connected socket, -1 once taken or closed */
	int slot;   /* in the cleanup table, -1 if none */
	int status; /* wait status once reaped */
	char dir[256];
	char sock[280];
};

/* Fill opts with the defaults (all fds -1, everything else 0/NULL). */
void launch_opts_init(struct launch_opts *o);

int launch_start(struct launch *l, const struct launch_opts *o,
		 struct rsp_error *err);
/* Hand the connected fd to the caller (e.g. rsp_client_new). */
int launch_take_fd(struct launch *l);
/* Wait up to timeout_ms for the child to exit by itself. */
int launch_wait(struct launch *l, int timeout_ms, int *status,
		struct rsp_error *err);
/* LAUNCH-3; idempotent. *status (may be NULL) gets the wait status. */
void launch_stop(struct launch *l, int *status);

/* LAUNCH-4; idempotent. */
void launch_cleanup_install(void);
/* Kill and remove everything in the table; async-signal-safe. */
void launch_cleanup_all(void);

#endif
