/*
 * launch.c -- the QEMU launcher of launch.h (LAUNCH-1..4): private socket
 * directory, fork + execv with an explicit environment, connect with a
 * bounded wait, teardown on every path, and a signal-safe cleanup table.
 */
#ifdef __linux__
#define _DEFAULT_SOURCE /* syscall(SYS_close_range) */
#endif
#include "launch.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

/* ==== the cleanup table (LAUNCH-4) =========================================
 */

struct slot {
	volatile sig_atomic_t used;
	pid_t pid;
	char dir[256];
	char sock[280];
};

static struct slot table[LAUNCH_MAX];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static int slot_take(const struct launch *l)
{
	int found = -1;
	pthread_mutex_lock(&table_lock);
	for (int i = 0; i < LAUNCH_MAX && found < 0; i++)
		if (!table[i].used) {
			table[i].pid = l->pid;
			memcpy(table[i].dir, l->dir, sizeof table[i].dir);
			memcpy(table[i].sock, l->sock, sizeof table[i].sock);
			table[i].used = 1;
			found = i;
		}
	pthread_mutex_unlock(&table_lock);
	return found;
}

static void slot_release(int i)
{
	if (i >= 0)
		table[i].used = 0;
}

/* The child is dead or a zombie: its pid must not be signalled once reaped
 * (it may be reused), so forget it before reaping. */
static void slot_forget_pid(int i)
{
	if (i >= 0)
		table[i].pid = 0;
}

void launch_cleanup_all(void)
{
	for (int i = 0; i < LAUNCH_MAX; i++) {
		struct slot *s = &table[i];
		if (!s->used)
			continue;
		if (s->pid > 0)
			kill(s->pid, SIGKILL);
		unlink(s->sock);
		rmdir(s->dir);
		s->used = 0;
	}
}

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction previous[3];

static void on_signal(int sig)
{
	launch_cleanup_all();
	for (int i = 0; i < 3; i++) {
		if (cleanup_signals[i] != sig)
			continue;
		void (*h)(int) = previous[i].sa_handler;
		if (!(previous[i].sa_flags & SA_SIGINFO) && h != SIG_DFL &&
		    h != SIG_IGN) {
			h(sig);
			return;
		}
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void launch_cleanup_install(void)
{
	static int installed;
	if (installed)
		return;
	installed = 1;
	atexit(launch_cleanup_all);
	for (int i = 0; i < 3; i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(cleanup_signals[i], &sa, &previous[i]);
	}
}

/* ==== helpers ================================================================
 */

void launch_opts_init(struct launch_opts *o)
{
	memset(o, 0, sizeof *o);
	o->stdin_fd = o->stdout_fd = o->stderr_fd = -1;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap_ms(long ms)
{
	struct timespec ts = {.tv_sec = 0, .tv_nsec = ms * 1000000L};
	nanosleep(&ts, NULL);
}

static void cloexec(int fd)
{
	fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
}

/* Resolve a binary name through $PATH (before fork: execv needs a path). */
static int find_binary(const char *name, char *out, size_t cap,
		       struct rsp_error *err)
{
	if (strchr(name, '/')) {
		snprintf(out, cap, "%s", name);
		return 0;
	}
	const char *path = getenv("PATH");
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(out, cap, "%.*s/%s", (int)n, p, name);
		if (n && access(out, X_OK) == 0)
			return 0;
		p += n + (p[n] == ':');
	}
	return rsp_fail(err, RSP_E_IO, "%s: not found in $PATH", name);
}

static size_t count(const char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

/* argv: qemu [qemu_args] -g sock prog [prog_args] NULL */
static char **build_argv(const struct launch_opts *o, const char *bin,
			 const char *sock)
{
	size_t nq = count(o->qemu_args), np = count(o->prog_args), k = 0;
	char **argv = calloc(nq + np + 5, sizeof *argv);
	if (!argv)
		return NULL;
	argv[k++] = (char *)bin;
	for (size_t i = 0; i < nq; i++)
		argv[k++] = (char *)o->qemu_args[i];
	argv[k++] = "-g";
	argv[k++] = (char *)sock;
	argv[k++] = (char *)o->prog;
	for (size_t i = 0; i < np; i++)
		argv[k++] = (char *)o->prog_args[i];
	return argv;
}

/* ==== private directories (LAUNCH-1, LAUNCH-7) ===============================
 */

static const char *tmp_parent(const char *tmpdir)
{
	const char *tmp = tmpdir ? tmpdir : getenv("TMPDIR");
	return tmp && *tmp ? tmp : "/tmp";
}

int launch_private_dir(char *buf, size_t cap, const char *tmpdir,
		       const char *what, struct rsp_error *err)
{
	const char *tmp = tmp_parent(tmpdir);
	int n =
	    snprintf(buf, cap, "%s/" LAUNCH_DIR_PREFIX "%ld-%s%sXXXXXX", tmp,
		     (long)getpid(), what ? what : "", what ? "-" : "");
	if (n < 0 || (size_t)n >= cap) {
		if (cap)
			buf[0] = 0;
		return rsp_fail(err, RSP_E_ARG, "%s: path too long", tmp);
	}
	if (!mkdtemp(buf)) {
		int e = errno;
		buf[0] = 0;
		return rsp_fail(err, RSP_E_IO, "mkdtemp in %s: %s", tmp,
				strerror(e));
	}
	chmod(buf, 0700); /* mkdtemp already does; say it (LAUNCH-1) */
	return 0;
}

/* Remove everything in the directory open as fd (closed here), without
   following symlinks: a link is removed, never its target. */
static int empty_dir(int fd)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat sb;
		int sub;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (!S_ISDIR(sb.st_mode)) {
			if (unlinkat(dirfd(d), e->d_name, 0) < 0)
				rc = -1;
			continue;
		}
		sub = openat(dirfd(d), e->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0 || empty_dir(sub) < 0 ||
		    unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) < 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

/* Remove name, a directory in the directory open as parent, with all it
   holds; a symlink or a directory not ours (uid) is left alone. */
static int remove_tree_at(int parent, const char *name)
{
	struct stat sb, sb2;
	int fd;

	if (fstatat(parent, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if (!S_ISDIR(sb.st_mode) || sb.st_uid != geteuid()) {
		errno = EPERM;
		return -1;
	}
	fd = openat(parent, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* the same directory lstat saw, not one swapped in since */
	if (fstat(fd, &sb2) < 0 || sb2.st_dev != sb.st_dev ||
	    sb2.st_ino != sb.st_ino) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	if (empty_dir(fd) < 0)
		return -1;
	return unlinkat(parent, name, AT_REMOVEDIR);
}

int launch_remove_tree(const char *dir)
{
	char parent[4096];
	const char *slash = strrchr(dir, '/');
	int pfd, rc;

	if (!slash) {
		snprintf(parent, sizeof parent, ".");
		slash = dir - 1;
	} else {
		snprintf(parent, sizeof parent, "%.*s",
			 slash == dir ? 1 : (int)(slash - dir), dir);
	}
	pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return -1;
	rc = remove_tree_at(pfd, slash + 1);
	close(pfd);
	return rc;
}

/* The pid in a name LAUNCH_DIR_PREFIX "<pid>-...", or 0. */
static long dir_pid(const char *name)
{
	size_t n = strlen(LAUNCH_DIR_PREFIX);
	char *end;
	long pid;

	if (strncmp(name, LAUNCH_DIR_PREFIX, n) != 0 ||
	    !isdigit((unsigned char)name[n]))
		return 0;
	pid = strtol(name + n, &end, 10);
	return *end == '-' && pid > 0 ? pid : 0;
}

/* Can process pid still use its directories? Not when there is none
   (ESRCH; EPERM: alive, another user's), nor when it is a zombie waiting
   to be reaped (Linux: state Z in /proc/<pid>/stat). */
static int alive(long pid)
{
	if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		return 0;
#ifdef __linux__
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n > 0) {
			buf[n] = 0;
			char *p = strrchr(buf, ')'); /* the name may hold ')' */
			if (p && p[1] == ' ' && p[2] == 'Z')
				return 0;
		}
	}
#endif
	return 1;
}

int launch_remove_stale(const char *tmpdir)
{
	const char *tmp = tmp_parent(tmpdir);
	int fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC), removed = 0;
	DIR *d;
	struct dirent *e;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		long pid = dir_pid(e->d_name);
		if (pid <= 0 || pid == (long)getpid() || alive(pid))
			continue;
		if (remove_tree_at(dirfd(d), e->d_name) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

/* QEMU 7.2's gdbserver_open_socket copies the path with
   pstrcpy(sun_path, sizeof sun_path - 1, path): at most sizeof - 2 bytes
   and the terminator (LAUNCH-1). */
static size_t sock_max(void)
{
	return sizeof(((struct sockaddr_un *)0)->sun_path) - 2;
}

size_t launch_tmpdir_max(void)
{
	size_t fixed = strlen("/" LAUNCH_DIR_PREFIX) + LAUNCH_PID_DIGITS +
		       strlen("-XXXXXX/gdb.sock");
	return sock_max() - fixed;
}

static int make_dir(struct launch *l, const struct launch_opts *o,
		    struct rsp_error *err)
{
	const char *tmp = tmp_parent(o->tmpdir);
	size_t n = strlen(tmp);
	if (n > launch_tmpdir_max())
		return rsp_fail(err, RSP_E_ARG,
				"%s: temporary directory path too long for a "
				"unix socket (%zu bytes, at most %zu: set "
				"TMPDIR to a shorter directory)",
				tmp, n, launch_tmpdir_max());
	if (launch_private_dir(l->dir, sizeof l->dir, tmp, NULL, err) < 0)
		return -1;
	snprintf(l->sock, sizeof l->sock, "%s/gdb.sock", l->dir);
	return 0;
}

/* ==== the child
 * ================================================================ */

int launch_fd_limit(void)
{
	long max = sysconf(_SC_OPEN_MAX);
	return max < 0 || max > LAUNCH_FD_SCAN_MAX ? LAUNCH_FD_SCAN_MAX
						   : (int)max;
}

/* Async-signal-safe (LAUNCH-6). */
void launch_close_fds(int keep, int limit)
{
#if defined(__linux__) && defined(SYS_close_range)
	/* one call instead of a loop (Linux 5.9); older kernels: ENOSYS */
	if (keep < 3 ||
	    syscall(SYS_close_range, 3u, (unsigned)keep - 1, 0u) == 0)
		if (syscall(SYS_close_range, keep < 3 ? 3u : (unsigned)keep + 1,
			    ~0u, 0u) == 0)
			return;
#endif
	for (int fd = 3; fd < limit; fd++)
		if (fd != keep)
			close(fd);
}

static int open_null(int fd, int flags)
{
	return fd >= 0 ? fd : open("/dev/null", flags | O_CLOEXEC);
}

/* Close the /dev/null descriptors open_null opened. */
static void close_nulls(const struct launch_opts *o, const int fds[3])
{
	const int given[3] = {o->stdin_fd, o->stdout_fd, o->stderr_fd};
	for (int i = 0; i < 3; i++)
		if (given[i] < 0 && fds[i] >= 0)
			close(fds[i]);
}

/* After fork: async-signal-safe calls only. */
static void child(char **argv, char *const *envp, const int fds[3], int errpipe,
		  int fd_limit, const sigset_t *mask, pid_t parent)
{
	setpgid(0, 0); /* LAUNCH-2 */
#ifdef __linux__
	/* LAUNCH-5: a rig process that dies without its cleanup (SIGKILL, as
	   the OOM killer would) takes its QEMU with it, which would otherwise
	   run on unattended; checked after the call, as the parent may already
	   be gone. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		goto fail;
#else
	(void)parent;
#endif
	for (int i = 0; i < 3; i++)
		if (fds[i] != i && dup2(fds[i], i) < 0)
			goto fail;
		else if (fds[i] == i)
			fcntl(i, F_SETFD, 0); /* the caller's, maybe CLOEXEC */
	/* LAUNCH-6: nothing else of ours (journal, pipes to workers, other
	   QEMUs' sockets) reaches QEMU; the error pipe closes on exec */
	launch_close_fds(errpipe, fd_limit);
	pthread_sigmask(SIG_SETMASK, mask, NULL);
	execve(argv[0], argv, envp);
fail:;
	int e = errno;
	(void)!write(errpipe, &e, sizeof e);
	_exit(127);
}

/* Did exec succeed? The pipe closes on exec, or carries errno. */
static int exec_result(int rd, const char *bin, struct rsp_error *err)
{
	int e;
	ssize_t n;
	do
		n = read(rd, &e, sizeof e);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof e)
		return rsp_fail(err, RSP_E_IO, "cannot run %s: %s", bin,
				strerror(e));
	return 0;
}

static int spawn(struct launch *l, const struct launch_opts *o,
		 struct rsp_error *err)
{
	char bin[4096];
	int p[2], fds[3];
	if (find_binary(o->qemu, bin, sizeof bin, err) < 0)
		return -1;
	static const char *const empty[] = {NULL};
	char *const *envp = (char *const *)(o->envp ? o->envp : empty);
	char **argv = build_argv(o, bin, l->sock);
	fds[0] = open_null(o->stdin_fd, O_RDONLY);
	fds[1] = open_null(o->stdout_fd, O_WRONLY);
	fds[2] = open_null(o->stderr_fd, O_WRONLY);
	if (!argv || fds[0] < 0 || fds[1] < 0 || fds[2] < 0 || pipe(p) < 0) {
		int e = errno;
		free(argv);
		close_nulls(o, fds);
		return rsp_fail(err, RSP_E_IO, "launch: %s", strerror(e));
	}
	cloexec(p[0]);
	cloexec(p[1]);
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old); /* LAUNCH-4 */
	pid_t parent = getpid();
	int fd_limit = launch_fd_limit();
	l->pid = fork();
	if (l->pid == 0)
		child(argv, envp, fds, p[1], fd_limit, &old, parent);
	int fork_errno = errno;
	if (l->pid > 0)
		l->slot = slot_take(l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	free(argv);
	close(p[1]);
	close_nulls(o, fds);
	int r = 0;
	if (l->pid < 0) {
		l->pid = 0;
		r = rsp_fail(err, RSP_E_IO, "fork: %s", strerror(fork_errno));
	} else {
		r = exec_result(p[0], bin, err);
	}
	close(p[0]);
	return r;
}

/* ==== connecting
 * ================================================================== */

static int try_connect(const struct launch *l)
{
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	size_t n = strlen(l->sock);
	if (n > sock_max()) /* make_dir checked; stay safe */
		return -2;
	memcpy(sa.sun_path, l->sock, n + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return -2;
	cloexec(fd);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
		return fd;
	close(fd);
	return -1;
}

static int reap_nohang(struct launch *l)
{
	int st;
	siginfo_t si;
	memset(&si, 0, sizeof si);
	if (l->pid <= 0 ||
	    waitid(P_PID, (id_t)l->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 ||
	    si.si_pid != l->pid)
		return 0;
	slot_forget_pid(l->slot);
	if (waitpid(l->pid, &st, 0) == l->pid) {
		l->pid = 0;
		l->status = st;
		return 1;
	}
	return 0;
}

static int describe_status(char *buf, size_t cap, int st)
{
	if (WIFEXITED(st))
		return snprintf(buf, cap, "exit status %d", WEXITSTATUS(st));
	if (WIFSIGNALED(st))
		return snprintf(buf, cap, "signal %d", WTERMSIG(st));
	return snprintf(buf, cap, "wait status %d", st);
}

static int wait_accept(struct launch *l, int timeout_ms, struct rsp_error *err)
{
	int64_t deadline = now_ms() + timeout_ms;
	char why[64];
	for (;;) {
		int fd = try_connect(l);
		if (fd >= 0) {
			l->fd = fd;
			return 0;
		}
		if (fd == -2)
			return rsp_fail(err, RSP_E_IO, "socket: %s",
					strerror(errno));
		if (reap_nohang(l)) {
			describe_status(why, sizeof why, l->status);
			return rsp_fail(err, RSP_E_CLOSED,
					"qemu exited (%s) before its gdbstub "
					"accepted on %s",
					why, l->sock);
		}
		if (now_ms() >= deadline)
			return rsp_fail(err, RSP_E_TIMEOUT,
					"qemu's gdbstub did not accept on %s "
					"within %d ms",
					l->sock, timeout_ms);
		nap_ms(5);
	}
}

int launch_start(struct launch *l, const struct launch_opts *o,
		 struct rsp_error *err)
{
	memset(l, 0, sizeof *l);
	l->fd = -1;
	l->slot = -1;
	if (!o->qemu || !o->prog)
		return rsp_fail(err, RSP_E_ARG, "launch: qemu and prog needed");
	if (make_dir(l, o, err) < 0)
		return -1;
	if (spawn(l, o, err) < 0 ||
	    wait_accept(l, o->timeout_ms > 0 ? o->timeout_ms : 10000, err) <
		0) {
		launch_stop(l, NULL); /* LAUNCH-3 */
		return -1;
	}
	return 0;
}

int launch_take_fd(struct launch *l)
{
	int fd = l->fd;
	l->fd = -1;
	return fd;
}

int launch_wait(struct launch *l, int timeout_ms, int *status,
		struct rsp_error *err)
{
	int64_t deadline = now_ms() + timeout_ms;
	while (l->pid > 0 && !reap_nohang(l)) {
		if (now_ms() >= deadline)
			return rsp_fail(
			    err, RSP_E_TIMEOUT,
			    "qemu (pid %ld) still running after %d ms",
			    (long)l->pid, timeout_ms);
		nap_ms(2);
	}
	if (status)
		*status = l->status;
	return 0;
}

void launch_stop(struct launch *l, int *status)
{
	/* kill before closing the socket: a child that exits when its peer
	   goes away must not race the SIGKILL (the status says "killed") */
	if (l->pid > 0)
		kill(l->pid, SIGKILL);
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	if (l->pid > 0) {
		int st;
		slot_forget_pid(l->slot);
		while (waitpid(l->pid, &st, 0) < 0 && errno == EINTR)
			;
		l->status = st;
		l->pid = 0;
	}
	slot_release(l->slot);
	l->slot = -1;
	if (l->sock[0])
		unlink(l->sock);
	if (l->dir[0])
		rmdir(l->dir);
	l->sock[0] = l->dir[0] = 0;
	if (status)
		*status = l->status;
}

/* In a child: write the strings a and b and a newline to stderr
   (async-signal-safe). */
static void child_say(const char *a, const char *b)
{
	(void)!write(2, a, strlen(a));
	(void)!write(2, b, strlen(b));
	(void)!write(2, "\n", 1);
}

int launch_run_tool(char *const *argv, const char *cwd, int out_fd, int err_fd)
{
	int limit = launch_fd_limit(), st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if ((out_fd >= 0 && dup2(out_fd, 1) < 0) || dup2(err_fd, 2) < 0)
			_exit(126);
		launch_close_fds(-1, limit);
		if (cwd && chdir(cwd) < 0) {
			child_say("cannot enter directory ", cwd);
			_exit(126);
		}
		execvp(argv[0], argv);
		child_say("cannot run ", argv[0]);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
