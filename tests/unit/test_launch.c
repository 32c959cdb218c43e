/*
 * test_launch.c -- unit tests of rig/launch.c with tests/rsp/fakeqemu as
 * the emulator: the socket lives in a fresh 0700 directory and no TCP port
 * is used, argv/env/stdio are exactly the caller's, the child runs in its
 * own process group, and on every path (normal, early exit, timeout, exec
 * failure, cleanup table, SIGINT) the child is reaped and the directory
 * removed.
 */
/* cmocka needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"

static struct rsp_error err;

static void opts(struct launch_opts *o)
{
	static const char *const env[] = {"FOO=bar", "QEMU_STRACE_NOT=1", NULL};
	launch_opts_init(o);
	o->qemu = EVERYPC_FAKEQEMU;
	o->prog = "guest-prog";
	o->envp = env;
	o->timeout_ms = 3000;
}

/* Read everything the fake sends until "end\n". */
static void read_report(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	while (n + 1 < cap) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		assert_true(poll(&p, 1, 3000) > 0);
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		assert_true(r > 0);
		n += (size_t)r;
		buf[n] = 0;
		if (strstr(buf, "\nend\n"))
			return;
	}
	fail_msg("no report");
}

static void assert_gone(const char *dir, pid_t pid)
{
	struct stat sb;
	assert_int_equal(stat(dir, &sb), -1);
	assert_int_equal(errno, ENOENT);
	if (pid > 0) { /* reaped: no longer our child */
		assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
		assert_int_equal(errno, ECHILD);
	}
}

static void test_start_report_stop(void **state)
{
	(void)state;
	struct launch_opts o;
	struct launch l;
	int out[2];
	assert_int_equal(pipe(out), 0);
	opts(&o);
	static const char *const qargs[] = {"-cpu", "max", NULL};
	static const char *const pargs[] = {"one", "two words", NULL};
	o.qemu_args = qargs;
	o.prog_args = pargs;
	o.stdout_fd = out[1];
	if (launch_start(&l, &o, &err) < 0)
		fail_msg("%s", err.msg);
	close(out[1]);
	struct stat sb;
	assert_int_equal(stat(l.dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(stat(l.sock, &sb), 0);
	assert_true(S_ISSOCK(sb.st_mode));
	assert_int_equal(strncmp(l.sock, l.dir, strlen(l.dir)), 0);
	char rep[4096];
	read_report(l.fd, rep, sizeof rep);
	char want[1024];
	snprintf(want, sizeof want,
		 "arg:%s\narg:-cpu\narg:max\narg:-g\narg:%s\narg:guest-prog\n"
		 "arg:one\narg:two words\nenv:FOO=bar\nenv:QEMU_STRACE_NOT=1\n"
		 "pgid-is-pid:1\nend\n",
		 EVERYPC_FAKEQEMU, l.sock);
	assert_string_equal(rep, want); /* exact env; -g takes a path */
	char line[64] = {0};
	struct pollfd p = {.fd = out[0], .events = POLLIN};
	assert_true(poll(&p, 1, 3000) > 0);
	assert_true(read(out[0], line, sizeof line - 1) > 0);
	assert_string_equal(line, "fakeqemu stdout\n");
	char dir[256];
	strcpy(dir, l.dir);
	pid_t pid = l.pid;
	int status;
	launch_stop(&l, &status);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_gone(dir, pid);
	launch_stop(&l, NULL); /* idempotent */
	close(out[0]);
}

static void test_wait_for_natural_exit(void **state)
{
	(void)state;
	struct launch_opts o;
	struct launch l;
	opts(&o);
	if (launch_start(&l, &o, &err) < 0)
		fail_msg("%s", err.msg);
	int fd = launch_take_fd(&l);
	assert_int_equal(l.fd, -1);
	assert_int_equal(write(fd, "x", 1), 1);
	int st;
	if (launch_wait(&l, 3000, &st, &err) < 0)
		fail_msg("%s", err.msg);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(l.pid, 0);
	char dir[256];
	strcpy(dir, l.dir);
	launch_stop(&l, &st);
	assert_true(WIFEXITED(st));
	assert_gone(dir, 0);
	close(fd);
}

static void test_early_exit(void **state)
{
	(void)state;
	struct launch_opts o;
	struct launch l;
	static const char *const qargs[] = {"--die", NULL};
	opts(&o);
	o.qemu_args = qargs;
	assert_int_equal(launch_start(&l, &o, &err), -1);
	assert_int_equal(err.kind, RSP_E_CLOSED);
	assert_non_null(strstr(err.msg, "exit status 3"));
	assert_int_equal(l.pid, 0);
	assert_int_equal(l.dir[0], 0);
}

static void test_timeout(void **state)
{
	(void)state;
	struct launch_opts o;
	struct launch l;
	static const char *const qargs[] = {"--no-listen", NULL};
	opts(&o);
	o.qemu_args = qargs;
	o.timeout_ms = 200;
	assert_int_equal(launch_start(&l, &o, &err), -1);
	assert_int_equal(err.kind, RSP_E_TIMEOUT);
	assert_non_null(strstr(err.msg, "within 200 ms"));
	assert_int_equal(l.pid, 0);
	assert_int_equal(l.dir[0], 0);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1); /* nothing left */
}

static void test_exec_failure(void **state)
{
	(void)state;
	struct launch_opts o;
	struct launch l;
	opts(&o);
	o.qemu = "/nonexistent/qemu-none";
	assert_int_equal(launch_start(&l, &o, &err), -1);
	assert_non_null(strstr(err.msg, "cannot run /nonexistent/qemu-none"));
	assert_int_equal(l.dir[0], 0);
	o.qemu = "everypc-no-such-qemu";
	assert_int_equal(launch_start(&l, &o, &err), -1);
	assert_non_null(strstr(err.msg, "not found in $PATH"));
}

/* LAUNCH-1: a parent of launch_tmpdir_max() bytes works (QEMU 7.2 would
   cut a longer socket path and bind elsewhere); one byte more is refused at
   once, whatever our pid. */
static void test_tmpdir_too_long(void **state)
{
	(void)state;
	struct launch_opts o;
	struct launch l;
	const char *parent = getenv("TMPDIR");
	size_t max = launch_tmpdir_max();
	char tmp[256];

	assert_int_equal(max, 106 - 35); /* Linux: sun_path is 108 bytes */
	int n = snprintf(tmp, sizeof tmp, "%s/everypc-test-long-XXXXXX",
			 parent && *parent ? parent : "/tmp");
	assert_true(n > 0 && (size_t)n < max);
	assert_non_null(mkdtemp(tmp));
	char *base = strdup(tmp);
	strcat(tmp, "/");
	while (strlen(tmp) < max)
		strcat(tmp, "d");
	assert_int_equal(mkdir(tmp, 0700), 0);
	opts(&o);
	o.tmpdir = tmp;
	if (launch_start(&l, &o, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(strlen(l.sock),
			 (size_t)snprintf(NULL, 0,
					  "%s/everypc-%ld-XXXXXX/gdb.sock", tmp,
					  (long)getpid()));
	assert_true(strlen(l.sock) <= 106);
	launch_stop(&l, NULL);
	assert_int_equal(rmdir(tmp), 0);

	strcat(tmp, "d");
	assert_int_equal(mkdir(tmp, 0700), 0);
	assert_int_equal(launch_start(&l, &o, &err), -1);
	assert_non_null(strstr(err.msg, "too long for a unix socket"));
	assert_non_null(strstr(err.msg, "at most 71"));
	assert_int_equal(rmdir(tmp), 0);
	assert_int_equal(rmdir(base), 0);
	free(base);
}

static void test_cleanup_all(void **state)
{
	(void)state;
	struct launch_opts o;
	struct launch a, b;
	opts(&o);
	if (launch_start(&a, &o, &err) < 0 || launch_start(&b, &o, &err) < 0)
		fail_msg("%s", err.msg);
	pid_t pa = a.pid, pb = b.pid;
	launch_cleanup_all();
	int st;
	assert_int_equal(waitpid(pa, &st, 0), pa);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(waitpid(pb, &st, 0), pb);
	struct stat sb;
	assert_int_equal(stat(a.dir, &sb), -1);
	assert_int_equal(stat(b.dir, &sb), -1);
	a.pid = b.pid = 0; /* reaped above */
	launch_stop(&a, NULL);
	launch_stop(&b, NULL);
}

/* A rig process killed by SIGINT leaves no QEMU and no directory. */
static void test_sigint_cleans_up(void **state)
{
	(void)state;
	int out[2], info[2];
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(info), 0);
	pid_t rig = fork();
	assert_true(rig >= 0);
	if (rig == 0) {
		struct launch_opts o;
		struct launch l;
		close(out[0]);
		close(info[0]);
		launch_cleanup_install();
		opts(&o);
		o.stdout_fd = out[1];
		if (launch_start(&l, &o, &err) < 0)
			_exit(1);
		close(out[1]);
		(void)!write(info[1], l.dir, sizeof l.dir);
		raise(SIGINT);
		_exit(2);
	}
	close(out[1]);
	close(info[1]);
	char dir[256] = {0};
	assert_int_equal(read(info[0], dir, sizeof dir), (ssize_t)sizeof dir);
	int st;
	assert_int_equal(waitpid(rig, &st, 0), rig);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
	struct stat sb;
	assert_int_equal(stat(dir, &sb), -1);
	/* fakeqemu's stdout pipe reaches EOF only when it is dead */
	char buf[256];
	ssize_t r;
	for (;;) {
		struct pollfd p = {.fd = out[0], .events = POLLIN};
		assert_true(poll(&p, 1, 3000) > 0);
		r = read(out[0], buf, sizeof buf);
		if (r <= 0)
			break;
	}
	assert_int_equal(r, 0);
	close(out[0]);
	close(info[0]);
}

#ifdef __linux__
/* LAUNCH-6: descriptors the launching process holds without FD_CLOEXEC
   (as code outside launch.c may open them) do not reach the child, which
   has its stdio and its own sockets only. */
static void test_child_inherits_stdio_only(void **state)
{
	(void)state;
	struct launch_opts o;
	struct launch l;
	int leak[2], nul = open("/dev/null", O_RDONLY), ok = 1;
	char path[64], target[256], got[2048] = "";
	assert_int_equal(pipe(leak), 0); /* no O_CLOEXEC, deliberately */
	assert_true(nul >= 0);
	opts(&o);
	if (launch_start(&l, &o, &err) < 0)
		fail_msg("%s", err.msg);
	snprintf(path, sizeof path, "/proc/%ld/fd", (long)l.pid);
	DIR *d = opendir(path);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char link[384];
		snprintf(link, sizeof link, "%s/%s", path, e->d_name);
		ssize_t n = readlink(link, target, sizeof target - 1);
		target[n > 0 ? n : 0] = 0;
		int fd = atoi(e->d_name);
		size_t len = strlen(got);
		snprintf(got + len, sizeof got - len, " %d->%s", fd, target);
		if (fd > 2 && strncmp(target, "socket:", 7) != 0)
			ok = 0;
	}
	closedir(d);
	launch_stop(&l, NULL);
	close(leak[0]);
	close(leak[1]);
	close(nul);
	if (!ok)
		fail_msg("the child holds more than stdio and sockets:%s", got);
}
#endif

/* Make a directory (mode 0700) at dir/name. */
static void mkdir_at(const char *base, const char *name, char *out, size_t cap)
{
	snprintf(out, cap, "%s/%s", base, name);
	assert_int_equal(mkdir(out, 0700), 0);
}

static void touch(const char *dir, const char *name)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
}

static int exists(const char *p)
{
	struct stat sb;
	return lstat(p, &sb) == 0;
}

/* LAUNCH-7: private directories of dead processes are removed (with all
   they hold) at the next start; those of live processes, other names,
   symlinks and what they point to stay. */
static void test_remove_stale(void **state)
{
	(void)state;
	const char *parent = getenv("TMPDIR");
	char tmp[128];
	char name[64], dead_dir[256], live_dir[256], own_dir[256], other[256],
	    outside[256], link[512], sub[512], linkdir[256];
	assert_true(
	    (size_t)snprintf(tmp, sizeof tmp, "%s/everypc-test-stale-XXXXXX",
			     parent && *parent ? parent : "/tmp") < sizeof tmp);
	assert_non_null(mkdtemp(tmp));
	pid_t dead = fork(); /* a pid nobody has once reaped */
	assert_true(dead >= 0);
	if (dead == 0)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);

	snprintf(name, sizeof name, "everypc-%ld-list-AbC123", (long)dead);
	mkdir_at(tmp, name, dead_dir, sizeof dead_dir);
	touch(dead_dir, "gdb.sock");
	mkdir_at(dead_dir, "amd64", sub, sizeof sub);
	touch(sub, "list.elf");
	mkdir_at(tmp, "outside", outside, sizeof outside);
	touch(outside, "keep");
	snprintf(link, sizeof link, "%s/tolink", dead_dir); /* inside: */
	assert_int_equal(symlink(outside, link), 0);	    /* not followed */
	snprintf(name, sizeof name, "everypc-%ld-XyZ789", (long)dead);
	snprintf(linkdir, sizeof linkdir, "%s/%s", tmp, name);
	assert_int_equal(symlink(outside, linkdir), 0); /* a planted symlink */
	snprintf(name, sizeof name, "everypc-%ld-AbC123", (long)getppid());
	mkdir_at(tmp, name, live_dir, sizeof live_dir);
	snprintf(name, sizeof name, "everypc-%ld-AbC123", (long)getpid());
	mkdir_at(tmp, name, own_dir, sizeof own_dir);
	mkdir_at(tmp, "everypc-AbC123", other, sizeof other); /* old style */

	int want = 1;
#ifdef __linux__
	/* a zombie (not yet reaped) is as dead as a reaped process */
	char zombie_dir[256];
	pid_t zombie = fork();
	assert_true(zombie >= 0);
	if (zombie == 0)
		_exit(0);
	siginfo_t si;
	assert_int_equal(waitid(P_PID, (id_t)zombie, &si, WEXITED | WNOWAIT),
			 0);
	snprintf(name, sizeof name, "everypc-%ld-ZzZ000", (long)zombie);
	mkdir_at(tmp, name, zombie_dir, sizeof zombie_dir);
	want = 2;
#endif
	assert_int_equal(launch_remove_stale(tmp), want);
#ifdef __linux__
	assert_false(exists(zombie_dir));
	assert_int_equal(waitpid(zombie, NULL, 0), zombie);
#endif
	assert_false(exists(dead_dir));
	assert_true(exists(linkdir)); /* a symlink is never a private dir */
	assert_true(exists(live_dir));
	assert_true(exists(own_dir));
	assert_true(exists(other));
	char keep[512];
	snprintf(keep, sizeof keep, "%s/keep", outside);
	assert_true(exists(keep));

	/* remove_tree refuses a symlink, removes a tree */
	assert_int_equal(launch_remove_tree(linkdir), -1);
	assert_true(exists(keep));
	unlink(linkdir);
	rmdir(live_dir);
	rmdir(own_dir);
	rmdir(other);
	assert_int_equal(launch_remove_tree(tmp), 0);
	assert_false(exists(tmp));
}

/* LAUNCH-7: the socket directory and launch_private_dir's are named after
   the process that made them, mode 0700. */
static void test_private_dir_names(void **state)
{
	(void)state;
	struct launch_opts o;
	struct launch l;
	char want[64], buf[256];
	struct stat sb;
	snprintf(want, sizeof want, "/everypc-%ld-", (long)getpid());
	opts(&o);
	if (launch_start(&l, &o, &err) < 0)
		fail_msg("%s", err.msg);
	assert_non_null(strstr(l.dir, want));
	launch_stop(&l, NULL);
	assert_int_equal(
	    launch_private_dir(buf, sizeof buf, NULL, "list", &err), 0);
	assert_non_null(strstr(buf, want));
	assert_non_null(strstr(buf, "-list-"));
	assert_int_equal(lstat(buf, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0700);
	touch(buf, "x");
	assert_int_equal(launch_remove_tree(buf), 0);
	assert_false(exists(buf));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_start_report_stop),
	    cmocka_unit_test(test_wait_for_natural_exit),
	    cmocka_unit_test(test_early_exit),
	    cmocka_unit_test(test_timeout),
	    cmocka_unit_test(test_exec_failure),
	    cmocka_unit_test(test_tmpdir_too_long),
	    cmocka_unit_test(test_cleanup_all),
	    cmocka_unit_test(test_sigint_cleans_up),
#ifdef __linux__
	    cmocka_unit_test(test_child_inherits_stdio_only),
#endif
	    cmocka_unit_test(test_remove_stale),
	    cmocka_unit_test(test_private_dir_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
