/*
 * reference.c -- a workload's expected output (reference.h: REF-1..3).
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, setpgid */
#include "reference.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "launch.h"
#include "paths.h"
#include "selfdir.h"

extern char **environ;

/* The go command: $EVERYPC_GO, else go in $PATH. */
static const char *go_cmd(void)
{
	const char *g = getenv("EVERYPC_GO");
	return g && *g ? g : "go";
}

/* In the child of ev_capture_stderr: async-signal-safe calls only. */
static void capture_child(char *const *argv, const char *cwd, char *const *envp,
			  int out_fd, int limit)
{
	int null = open("/dev/null", O_RDWR);
	setpgid(0, 0);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(out_fd, 2) < 0)
		_exit(126);
	launch_close_fds(-1, limit);
	if (cwd && chdir(cwd) < 0)
		_exit(126);
	if (envp)
		environ = (char **)envp;
	execvp(argv[0], argv);
	(void)!write(2, "cannot run ", 11);
	(void)!write(2, argv[0], strlen(argv[0]));
	(void)!write(2, "\n", 1);
	_exit(127);
}

/* Wait for pid at most timeout_s seconds (then kill its group): its wait
   status, or -1 on a timeout. */
static int wait_bounded(pid_t pid, int timeout_s)
{
	struct timespec tick = {0, 5 * 1000 * 1000};
	long waited_ms = 0;
	int st;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -1;
		if (waited_ms >= 1000L * timeout_s) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		nanosleep(&tick, NULL);
		waited_ms += 5;
	}
}

int ev_capture_stderr(char *const *argv, const char *cwd, char *const *envp,
		      int timeout_s, char **text, size_t *len, char *err,
		      size_t errlen)
{
	FILE *f = ev_scratch_file();
	int fd, limit = launch_fd_limit(), st;
	pid_t pid;

	if (!f || (fd = dup(fileno(f))) < 0) {
		snprintf(err, errlen, "a scratch file in %s: %s",
			 ev_path_tmpdir(), strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (pid == 0)
		capture_child(argv, cwd, envp, fd, limit);
	st = wait_bounded(pid, timeout_s);
	if (st == -1) {
		snprintf(err, errlen, "%s did not finish in %d s", argv[0],
			 timeout_s);
		close(fd);
		return -1;
	}
	if (ev_read_fd(fd, text, len) < 0) {
		snprintf(err, errlen, "reading the output of %s: %s", argv[0],
			 strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char *dup_str(const char *s)
{
	char *d = malloc(strlen(s) + 1);
	if (d)
		strcpy(d, s);
	return d;
}

static int write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t done = 0;
	ssize_t w;

	if (fd < 0)
		return -1;
	while (done < len) {
		w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)w;
	}
	return close(fd);
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
		    struct FTW *ftw)
{
	(void)sb, (void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* The environment of go run: ours, GO111MODULE=off and GOCACHE=gocache. */
static char **go_env(const char *gocache)
{
	size_t n = 0, k = 0, i;
	char **env;

	while (environ[n])
		n++;
	if (!(env = calloc(n + 3, sizeof *env)))
		return NULL;
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "GO111MODULE=", 12) &&
		    strncmp(environ[i], "GOCACHE=", 8) &&
		    strncmp(environ[i], "GOFLAGS=", 8))
			env[k++] = environ[i];
	env[k++] = "GO111MODULE=off";
	if (!(env[k] = malloc(strlen(gocache) + 9))) {
		free(env);
		return NULL;
	}
	sprintf(env[k], "GOCACHE=%s", gocache);
	return env;
}

static void free_env(char **env)
{
	size_t n = 0;
	if (!env)
		return;
	while (env[n])
		n++;
	if (n)
		free(env[n - 1]); /* GOCACHE=, the one go_env made */
	free(env);
}

/* go run of src (its text) in a private directory: the output, or -1. */
static int go_run(const char *name, const char *src, size_t srclen,
		  const char *cache, int timeout_s, char **text, size_t *len,
		  char *err, size_t errlen)
{
	char dir[1100], file[1200], gocache[1200];
	char *argv[] = {(char *)go_cmd(), "run", "main.go", NULL}, **env;
	int st;

	snprintf(dir, sizeof dir, "%s/" LAUNCH_DIR_PREFIX "%ld-goref-XXXXXX",
		 ev_path_tmpdir(), (long)getpid());
	if (!mkdtemp(dir)) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(file, sizeof file, "%s/main.go", dir);
	snprintf(gocache, sizeof gocache, "%s/gocache", cache ? cache : dir);
	env = go_env(gocache);
	if (!env || write_file(file, src, srclen) < 0) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		st = -1;
	} else {
		st = ev_capture_stderr(argv, dir, env, timeout_s, text, len,
				       err, errlen);
	}
	if (st > 0) {
		char *nl = strchr(*text, '\n');
		snprintf(err, errlen, "go run %s exited with status %d: %.*s",
			 name, st, nl ? (int)(nl - *text) : 200, *text);
		free(*text);
		*text = NULL; /* the caller's reference stays unloaded */
		*len = 0;
		st = -1;
	}
	free_env(env);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return st;
}

/* Whether cmd (a path, or a name searched in $PATH) can be run. */
static int in_path(const char *cmd)
{
	char buf[1100];
	return strchr(cmd, '/') ? ev_paths_is_exe(cmd)
				: ev_paths_search(cmd, buf, sizeof buf) == 0;
}

/* REF-1 for W.go without W.out: go run, through the cache. */
static int go_reference(struct ev_reference *r, const char *workload,
			int timeout_s, char *err, size_t errlen)
{
	const char *slash = strrchr(workload, '/');
	const char *name = slash ? slash + 1 : workload;
	char cache[1024], path[1200], *src;
	size_t srclen;
	int have_cache;

	if (ev_read_file(workload, &src, &srclen) < 0) {
		snprintf(err, errlen, "%s: %s", workload, strerror(errno));
		return -1;
	}
	have_cache = ev_cache_dir(cache, sizeof cache);
	snprintf(path, sizeof path, "%s/goref/%016llx.out", cache,
		 (unsigned long long)ev_fnv1a(src, srclen));
	if (!have_cache || ev_read_file(path, &r->text, &r->len) < 0) {
		if (!in_path(go_cmd())) {
			snprintf(
			    err, errlen,
			    "%s: no reference output: neither %.*s.out nor "
			    "%s to run it (install Go, or check in the "
			    "output of `go run` as %.*s.out)",
			    workload, (int)(strlen(workload) - 3), workload,
			    getenv("EVERYPC_GO") && *getenv("EVERYPC_GO")
				? getenv("EVERYPC_GO")
				: "go in PATH",
			    (int)(strlen(workload) - 3), workload);
			free(src);
			return -1;
		}
		if (go_run(name, src, srclen, have_cache ? cache : NULL,
			   timeout_s, &r->text, &r->len, err, errlen) < 0) {
			free(src);
			return -1;
		}
		if (have_cache) { /* atomically: CACHE-3 */
			char dir[1100];
			snprintf(dir, sizeof dir, "%s/goref", cache);
			mkdir(dir, 0755);
			ev_write_atomic(path, r->text, r->len, 0644);
		}
	}
	free(src);
	snprintf(path, sizeof path, "go run %s", name);
	r->origin = dup_str(path);
	return 0;
}

int ev_reference_load(struct ev_reference *r, const char *workload,
		      int timeout_s, char *err, size_t errlen)
{
	size_t n = strlen(workload), stem = n;
	char path[1100];
	int is_go = n > 3 && !strcmp(workload + n - 3, ".go");

	if (r->loaded)
		return 0;
	if (is_go || (n > 4 && !strcmp(workload + n - 4, ".elf")))
		stem = n - (is_go ? 3 : 4);
	snprintf(path, sizeof path, "%.*s.out", (int)stem, workload);
	if (ev_read_file(path, &r->text, &r->len) == 0) {
		const char *slash = strrchr(path, '/');
		r->origin = dup_str(slash ? slash + 1 : path);
	} else if (errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	} else if (!is_go) {
		snprintf(err, errlen,
			 "%s: no reference output: %s does not exist (sweep "
			 "the .go source, or put its go run output there)",
			 workload, path);
		return -1;
	} else if (go_reference(r, workload, timeout_s, err, errlen) < 0) {
		return -1;
	}
	r->hash = ev_fnv1a(r->text, r->len);
	r->loaded = 1;
	return 0;
}

void ev_reference_free(struct ev_reference *r)
{
	free(r->text);
	free(r->origin);
	memset(r, 0, sizeof *r);
}

/* The line starting at s as a quoted, shortened C string into buf. */
static void quote_line(const char *s, const char *end, char *buf, size_t n)
{
	size_t k = 0;
	const char *p;

	if (n < 8)
		return;
	buf[k++] = '"';
	for (p = s; p < end && *p != '\n' && k + 6 < n; p++) {
		unsigned char c = (unsigned char)*p;
		if (p - s >= 100) {
			k += (size_t)snprintf(buf + k, n - k, "...");
			break;
		}
		if (c == '"' || c == '\\')
			buf[k++] = '\\';
		if (c < 0x20 || c >= 0x7f)
			k += (size_t)snprintf(buf + k, n - k, "\\x%02x", c);
		else
			buf[k++] = (char)c;
	}
	buf[k++] = '"';
	buf[k] = 0;
}

void ev_reference_diff(const struct ev_reference *r, const char *got, size_t n,
		       const char *who, char *out, size_t outn)
{
	const char *a = r->text, *ae = r->text + r->len, *b = got,
		   *be = got + n;
	const char *origin = r->origin ? r->origin : "the reference";
	char qa[160], qb[160];
	int line = 1;

	while (a < ae && b < be && *a == *b) {
		if (*a == '\n')
			line++;
		a++, b++;
	}
	if (a == ae && b == be) {
		snprintf(out, outn, "%s printed %s exactly", who, origin);
		return;
	}
	while (a > r->text && a[-1] != '\n') /* back to the line's start */
		a--, b--;
	if (a == ae) {
		quote_line(b, be, qb, sizeof qb);
		snprintf(out, outn,
			 "line %d: %s ends after line %d, %s printed %s", line,
			 origin, line - 1, who, qb);
	} else if (b == be) {
		quote_line(a, ae, qa, sizeof qa);
		snprintf(out, outn,
			 "line %d: %s has %s, %s printed nothing more", line,
			 origin, qa, who);
	} else {
		quote_line(a, ae, qa, sizeof qa);
		quote_line(b, be, qb, sizeof qb);
		snprintf(out, outn, "line %d: %s has %s, %s printed %s", line,
			 origin, qa, who, qb);
	}
}
