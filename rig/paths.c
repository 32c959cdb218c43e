/*
 * paths.c -- where the rig finds its helpers (paths.h has the search order).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "selfdir.h"
#include "suite.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* Per arch (enum ev_arch_id): the variables, QEMU's name, the objdump
   prefix. */
static const struct {
	const char *qemu_env, *qemu, *objdump_env, *triple;
} arch_tools[EV_NUM_ARCHES] = {
    {"EVERYPC_QEMU_AMD64", "qemu-x86_64", "EVERYPC_OBJDUMP_AMD64",
     "x86_64-linux-gnu"},
    {"EVERYPC_QEMU_ARM64", "qemu-aarch64", "EVERYPC_OBJDUMP_ARM64",
     "aarch64-linux-gnu"},
    {"EVERYPC_QEMU_RISCV64", "qemu-riscv64", "EVERYPC_OBJDUMP_RISCV64",
     "riscv64-linux-gnu"},
};

/* The arch the rig itself was compiled for (-1: none of the targets). */
#if defined(__x86_64__)
#define SELF_ARCH EV_AMD64
#elif defined(__aarch64__)
#define SELF_ARCH EV_ARM64
#elif defined(__riscv) && __riscv_xlen == 64
#define SELF_ARCH EV_RISCV64
#else
#define SELF_ARCH (-1)
#endif

static struct {
	char gosub[PATH_MAX];
	char gosub_gen[PATH_MAX];
	char runtime[PATH_MAX];
	char source[PATH_MAX];
	char qemu[EV_NUM_ARCHES][PATH_MAX];
	char objdump[EV_NUM_ARCHES][PATH_MAX];
	int have_runtime, have_source, ready;
} P;

static const char *env(const char *var)
{
	const char *v = getenv(var);
	return v && *v ? v : NULL;
}

static void set(char *dst, const char *src)
{
	snprintf(dst, PATH_MAX, "%s", src);
}

/* A tool of ours: $VAR; SELF/NAME; NAME through $PATH. */
static void find_tool(char *dst, const char *var, const char *name,
		      const char *self)
{
	char buf[PATH_MAX];
	const char *v = env(var);

	if (v)
		set(dst, v);
	else if (self &&
		 (size_t)snprintf(buf, sizeof buf, "%s/%s", self, name) <
		     sizeof buf &&
		 ev_paths_is_exe(buf))
		set(dst, buf);
	else
		set(dst, name);
}

void ev_paths_init(const char *self)
{
	char buf[PATH_MAX];
	const char *v;
	int a;

	memset(&P, 0, sizeof P);
	find_tool(P.gosub, "EVERYPC_GOSUB", "gosub", self);
	find_tool(P.gosub_gen, "EVERYPC_GOSUB_GEN", "gosub-gen", self);
	/* the runtime libraries gosub links */
	if ((v = env("EVERYPC_RUNTIME_DIR"))) {
		set(P.runtime, v);
		P.have_runtime = 1;
	} else if (ev_paths_runtime_dir(self, P.runtime, PATH_MAX) == 0) {
		P.have_runtime = 1;
		setenv("EVERYPC_RUNTIME_DIR", P.runtime, 0);
	}
	/* the source tree */
	if ((v = env("EVERYPC_SOURCE_DIR"))) {
		if (!realpath(v, P.source)) /* named but missing: as given */
			set(P.source, v);
		P.have_source = 1;
	} else if (ev_paths_self_rel_dir(self, "share/everypc", P.source,
					 PATH_MAX) == 0 ||
		   ev_paths_self_rel_dir(self, "../share/everypc", P.source,
					 PATH_MAX) == 0)
		P.have_source = 1;
	/* QEMU and objdump per arch */
	for (a = 0; a < EV_NUM_ARCHES; a++) {
		if ((v = env(arch_tools[a].qemu_env)))
			set(P.qemu[a], v);
		else
			set(P.qemu[a], arch_tools[a].qemu);
		snprintf(P.objdump[a], PATH_MAX, "%s-objdump",
			 arch_tools[a].triple);
		if ((v = env(arch_tools[a].objdump_env)))
			set(P.objdump[a], v);
		else if (a == SELF_ARCH &&
			 ev_paths_search(P.objdump[a], buf, sizeof buf) < 0)
			set(P.objdump[a], "objdump");
	}
	P.ready = 1;
}

static void ready(void)
{
	if (!P.ready)
		ev_paths_init(NULL);
}

const char *ev_tool_gosub(void)
{
	ready();
	return P.gosub;
}

const char *ev_tool_gosub_gen(void)
{
	ready();
	return P.gosub_gen;
}

const char *ev_tool_qemu(int arch)
{
	ready();
	return arch >= 0 && arch < EV_NUM_ARCHES ? P.qemu[arch] : "";
}

const char *ev_tool_objdump(int arch)
{
	ready();
	return arch >= 0 && arch < EV_NUM_ARCHES ? P.objdump[arch] : "";
}

const char *ev_path_runtime(void)
{
	ready();
	return P.have_runtime ? P.runtime : NULL;
}

const char *ev_path_source(void)
{
	ready();
	return P.have_source ? P.source : NULL;
}

const char *ev_path_under(const char *path, const char *base)
{
	size_t n = base ? strlen(base) : 0;
	if (n && !strncmp(path, base, n) && path[n] == '/')
		return path + n + 1;
	return path;
}

const char *ev_path_tmpdir(void)
{
	const char *t = env("TMPDIR");
	return t ? t : "/tmp";
}

FILE *ev_scratch_file(void)
{
	char path[PATH_MAX];
	FILE *f;
	int fd, e;

	if ((size_t)snprintf(path, sizeof path, "%s/everypc-scratch-XXXXXX",
			     ev_path_tmpdir()) >= sizeof path) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if ((fd = mkstemp(path)) < 0)
		return NULL;
	unlink(path);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 || !(f = fdopen(fd, "w+"))) {
		e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	return f;
}
