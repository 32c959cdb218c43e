/*
 * launch.h -- start `qemu-<arch> -g <dir>/gdb.sock [qemu args] prog [args]`
 * and connect to its gdbstub; tear it all down again.
 *
 * INVARIANTS (cited as "LAUNCH-n"):
 *
 * LAUNCH-1 The gdbstub listens on a unix socket inside a fresh directory
 *          made by mkdtemp (mode 0700, LAUNCH-7), never on a TCP port: a port
 * would listen on every interface and hand the guest to anyone on the network;
 * the directory keeps other local users out. The socket's path must fit
 * QEMU's copy of it: QEMU 7.2 copies at most sizeof(sun_path) - 2 bytes
 * (pstrcpy with a size one short) and binds what is left, so a longer path
 * binds elsewhere and the stub never accepts. launch_start refuses a
 * parent directory that could give a path longer than LAUNCH_SOCK_MAX
 * with any pid (LAUNCH_PID_DIGITS), at once and whatever our pid is.
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
 *          killed outright (the OOM killer) leaves no QEMU running on. Its
 *          socket directory stays behind until the next start removes it
 *          (LAUNCH-7).
 *
 * LAUNCH-6 The child inherits only its stdin, stdout and stderr: every
 *          other descriptor is closed between fork and exec
 *          (launch_close_fds: close_range on Linux, else a loop up to the
 *          descriptor limit, at most LAUNCH_FD_SCAN_MAX), whoever opened
 *          it and with or without FD_CLOEXEC. The rig's own descriptors
 *          are close-on-exec as well.
 *
 * LAUNCH-7 Private directories (the gdbstub's, the scratch directories of
 *          main.c) are named <tmp>/everypc-<pid>-[what-]XXXXXX, made by
 *          mkdtemp (0700), <pid> the process that made them.
 *          launch_remove_stale() removes those whose process is gone
 *          (kill(pid, 0) fails with ESRCH, or, on Linux, a zombie not
 *          yet reaped): directories only (lstat, no
 *          symlink followed, nothing inside followed either), owned by
 *          our uid. A killed rig's directories go at the next start.
 *          (A process of another pid namespace sharing the directory
 *          would look dead: such setups need a TMPDIR of their own.)
 */
#ifndef EVERYPC_LAUNCH_H
#define EVERYPC_LAUNCH_H

#include "rsp.h"

#include <sys/types.h>

#define LAUNCH_MAX 64		 /* live launches per process (LAUNCH-4) */
#define LAUNCH_FD_SCAN_MAX 65536 /* descriptors closed by a loop (LAUNCH-6) */
#define LAUNCH_DIR_PREFIX "everypc-" /* LAUNCH-7 */
#define LAUNCH_PID_DIGITS 10 /* the widest positive 32-bit pid (LAUNCH-1) */
/* The longest parent directory (TMPDIR) launch_start accepts: the socket
   path PARENT/everypc-<pid>-XXXXXX/gdb.sock must fit QEMU's copy of it,
   sizeof(sun_path) - 2 = 106 bytes on Linux (LAUNCH-1). */
size_t launch_tmpdir_max(void);

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

/* LAUNCH-6, for any fork + exec of the rig's: before fork, the limit to
   pass; after fork, in the child, close every descriptor above 2 but keep
   (-1: none). Async-signal-safe. */
int launch_fd_limit(void);
void launch_close_fds(int keep, int limit);
/* Run a helper tool (gosub, objdump, gosub-gen): argv in directory cwd
   (NULL: ours), its stdout to out_fd (-1: inherit), its stderr to err_fd,
   no other descriptor of ours (LAUNCH-6). The exit status, or -1. */
int launch_run_tool(char *const *argv, const char *cwd, int out_fd, int err_fd);

/* LAUNCH-7: make <tmpdir>/everypc-<pid>-<what>-XXXXXX (what NULL: no
   "<what>-"; tmpdir NULL: $TMPDIR or /tmp), mode 0700, into buf. */
int launch_private_dir(char *buf, size_t cap, const char *tmpdir,
		       const char *what, struct rsp_error *err);
/* Remove dir with everything in it, following no symlink; refuses a
   symlink or a directory of another uid. 0, or -1 with errno. */
int launch_remove_tree(const char *dir);
/* LAUNCH-7: remove the private directories of dead processes in tmpdir
   (NULL: $TMPDIR or /tmp). Returns how many were removed. */
int launch_remove_stale(const char *tmpdir);

/* LAUNCH-4; idempotent. */
void launch_cleanup_install(void);
/* Kill and remove everything in the table; async-signal-safe. */
void launch_cleanup_all(void);

#endif
