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

#include <errno.h>
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

static void test_tmpdir_too_long(void **state)
{
	(void)state;
	struct launch_opts o;
	struct launch l;
	char tmp[200];
	memset(tmp, 'd', sizeof tmp - 1);
	tmp[0] = '/';
	tmp[sizeof tmp - 1] = 0;
	opts(&o);
	o.tmpdir = tmp;
	assert_int_equal(launch_start(&l, &o, &err), -1);
	assert_non_null(strstr(err.msg, "too long for a unix socket"));
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
