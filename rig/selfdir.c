/*
 * selfdir.c -- the directory of the running executable (selfdir.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "selfdir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

int ev_paths_is_exe(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

int ev_paths_search(const char *name, char *out, size_t n)
{
	const char *p = getenv("PATH");
	for (p = p ? p : "/usr/bin:/bin"; *p;) {
		size_t k = strcspn(p, ":");
		if (k &&
		    (size_t)snprintf(out, n, "%.*s/%s", (int)k, p, name) < n &&
		    ev_paths_is_exe(out))
			return 0;
		p += k + (p[k] == ':');
	}
	return -1;
}

/* The directory part of the resolved path into out. */
static int dir_of(const char *path, char *out, size_t n)
{
	char real[PATH_MAX];
	const char *slash;
	if (!realpath(path, real))
		return -1;
	slash = strrchr(real, '/');
	if (!slash)
		return -1;
	if (slash == real) /* an executable in / */
		slash++;
	if ((size_t)(slash - real) >= n)
		return -1;
	memcpy(out, real, (size_t)(slash - real));
	out[slash - real] = 0;
	return 0;
}

int ev_paths_self_dir(const char *argv0, char *out, size_t n)
{
	char buf[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", buf, sizeof buf - 1);

	if (len > 0) {
		buf[len] = 0;
		if (dir_of(buf, out, n) == 0)
			return 0;
	}
	if (!argv0 || !*argv0)
		return -1;
	if (strchr(argv0, '/'))
		return dir_of(argv0, out, n);
	if (ev_paths_search(argv0, buf, sizeof buf) < 0)
		return -1;
	return dir_of(buf, out, n);
}

int ev_paths_self_rel_dir(const char *self, const char *rel, char *out,
			  size_t n)
{
	char buf[PATH_MAX], real[PATH_MAX];
	struct stat st;
	if (!self ||
	    (size_t)snprintf(buf, sizeof buf, "%s/%s", self, rel) >= sizeof buf)
		return -1;
	if (stat(buf, &st) < 0 || !S_ISDIR(st.st_mode) || !realpath(buf, real))
		return -1;
	return (size_t)snprintf(out, n, "%s", real) < n ? 0 : -1;
}

int ev_paths_runtime_dir(const char *self, char *out, size_t n)
{
	return ev_paths_self_rel_dir(self, "runtime", out, n) == 0 ||
		       ev_paths_self_rel_dir(self, "../lib/everypc/runtime",
					     out, n) == 0
		   ? 0
		   : -1;
}
