/* test_paths.c -- where the rig finds its helpers (rig/paths.h): the build
   tree's layout, an install prefix's, the EVERYPC_* overrides, nothing;
   scratch files in $TMPDIR. */
#define _XOPEN_SOURCE 700 /* realpath */
/* cmocka needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "suite.h"
#include "tmpdir.h"

static const char *const vars[] = {
    "EVERYPC_GOSUB",	     "EVERYPC_RUNTIME_DIR",   "EVERYPC_SOURCE_DIR",
    "EVERYPC_QEMU_AMD64",    "EVERYPC_QEMU_ARM64",    "EVERYPC_QEMU_RISCV64",
    "EVERYPC_OBJDUMP_AMD64", "EVERYPC_OBJDUMP_ARM64", "EVERYPC_OBJDUMP_RISCV64",
};
static char saved_path[8192];

static int setup(void **state)
{
	size_t i;
	const char *p = getenv("PATH");
	(void)state;
	snprintf(saved_path, sizeof saved_path, "%s", p ? p : "");
	for (i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
	return tmpdir_make("paths");
}

static int teardown(void **state)
{
	(void)state;
	setenv("PATH", saved_path, 1);
	return tmpdir_remove();
}

static const char *at(const char *rel)
{
	static char buf[8][PATH_MAX];
	static int k;
	char *b = buf[k++ % 8];
	snprintf(b, PATH_MAX, "%s/%s", dir, rel);
	return b;
}

static void make_dir(const char *rel)
{
	assert_int_equal(mkdir(at(rel), 0755), 0);
}

static void make_exe(const char *rel)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC, 0755);
	assert_true(fd >= 0);
	close(fd);
}

static const char *real(const char *rel)
{
	static char buf[PATH_MAX];
	assert_non_null(realpath(at(rel), buf));
	return buf;
}

/* build/everypc beside build/gosub, build/runtime/ and build/share/everypc,
   a link to the source tree */
static void test_build_tree(void **state)
{
	(void)state;
	make_dir("src");
	make_dir("build");
	make_exe("build/gosub");
	make_dir("build/runtime");
	make_dir("build/share");
	assert_int_equal(symlink(at("src"), at("build/share/everypc")), 0);
	ev_paths_init(at("build"));
	assert_string_equal(ev_tool_gosub(), at("build/gosub"));
	assert_string_equal(ev_path_runtime(), real("build/runtime"));
	assert_string_equal(getenv("EVERYPC_RUNTIME_DIR"),
			    real("build/runtime"));
	assert_string_equal(ev_path_source(), real("src")); /* resolved */
	assert_string_equal(ev_tool_qemu(EV_ARM64), "qemu-aarch64");
	assert_string_equal(ev_tool_qemu(EV_RISCV64), "qemu-riscv64");
	assert_string_equal(ev_tool_qemu(EV_AMD64), "qemu-x86_64");
	unsetenv("EVERYPC_RUNTIME_DIR");
}

/* PREFIX/bin/everypc, PREFIX/bin/gosub, PREFIX/lib/everypc/runtime,
   PREFIX/share/everypc */
static void test_install_prefix(void **state)
{
	(void)state;
	make_dir("bin");
	make_exe("bin/gosub");
	make_dir("lib");
	make_dir("lib/everypc");
	make_dir("lib/everypc/runtime");
	make_dir("share");
	make_dir("share/everypc");
	ev_paths_init(at("bin"));
	assert_string_equal(ev_tool_gosub(), at("bin/gosub"));
	assert_string_equal(ev_path_runtime(), real("lib/everypc/runtime"));
	assert_string_equal(ev_path_source(), real("share/everypc"));
	unsetenv("EVERYPC_RUNTIME_DIR");
}

/* The variables win over what is beside the executable; empty is unset. */
static void test_overrides(void **state)
{
	(void)state;
	make_exe("gosub");
	make_dir("runtime");
	make_dir("other");
	setenv("EVERYPC_GOSUB", "/opt/x/gosub", 1);
	setenv("EVERYPC_RUNTIME_DIR", "/opt/x/rt", 1);
	setenv("EVERYPC_SOURCE_DIR", at("other"), 1);
	setenv("EVERYPC_QEMU_ARM64", "/opt/q/qemu-aarch64", 1);
	setenv("EVERYPC_QEMU_AMD64", "", 1);
	setenv("EVERYPC_OBJDUMP_RISCV64", "/opt/b/objdump", 1);
	ev_paths_init(dir);
	assert_string_equal(ev_tool_gosub(), "/opt/x/gosub");
	assert_string_equal(ev_path_runtime(), "/opt/x/rt");
	assert_string_equal(getenv("EVERYPC_RUNTIME_DIR"), "/opt/x/rt");
	assert_string_equal(ev_path_source(), real("other"));
	assert_string_equal(ev_tool_qemu(EV_ARM64), "/opt/q/qemu-aarch64");
	assert_string_equal(ev_tool_qemu(EV_AMD64), "qemu-x86_64");
	assert_string_equal(ev_tool_objdump(EV_RISCV64), "/opt/b/objdump");
	setenv("EVERYPC_GOSUB", "", 1); /* empty: as if unset */
	ev_paths_init(dir);
	assert_string_equal(ev_tool_gosub(), at("gosub"));
}

/* Nothing beside the executable and an empty $PATH: names for $PATH, no
   runtime (gosub's own), no source tree (paths as given); the rig's own
   arch falls back to plain objdump. */
static void test_nothing(void **state)
{
	int a;
	(void)state;
	setenv("PATH", dir, 1);
	ev_paths_init(dir);
	assert_string_equal(ev_tool_gosub(), "gosub");
	assert_null(ev_path_runtime());
	assert_null(getenv("EVERYPC_RUNTIME_DIR"));
	assert_null(ev_path_source());
	ev_paths_init(NULL);
	assert_string_equal(ev_tool_gosub(), "gosub");
	for (a = 0; a < EV_NUM_ARCHES; a++) {
		const char *o = ev_tool_objdump(a);
		assert_true(strcmp(o, "objdump") == 0 ||
			    strstr(o, "-linux-gnu-objdump") != NULL);
	}
#if defined(__x86_64__)
	assert_string_equal(ev_tool_objdump(EV_AMD64), "objdump");
	assert_string_equal(ev_tool_objdump(EV_ARM64),
			    "aarch64-linux-gnu-objdump");
#endif
	/* a <triple>-objdump in $PATH is preferred for every arch */
	make_exe("x86_64-linux-gnu-objdump");
	ev_paths_init(NULL);
	assert_string_equal(ev_tool_objdump(EV_AMD64),
			    "x86_64-linux-gnu-objdump");
}

/* The executable's directory: this test program's, from /proc/self/exe
   or argv[0] (with a slash: as a path; without: through $PATH). */
static void test_self_dir(void **state)
{
	char got[PATH_MAX], exe[PATH_MAX];
	ssize_t n;
	(void)state;
	assert_int_equal(ev_paths_self_dir("ignored", got, sizeof got), 0);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		*strrchr(exe, '/') = 0;
		assert_string_equal(got, exe);
	}
}

/* Scratch files follow $TMPDIR (empty or unset: /tmp); each is unlinked at
   once and close-on-exec. */
static void test_scratch_file(void **state)
{
	char saved[PATH_MAX], fdpath[64], name[PATH_MAX];
	const char *t = getenv("TMPDIR");
	int had = t != NULL, left = 0;
	struct dirent *e;
	ssize_t n;
	DIR *d;
	FILE *f;
	(void)state;
	snprintf(saved, sizeof saved, "%s", t ? t : "");
	setenv("TMPDIR", "", 1);
	assert_string_equal(ev_path_tmpdir(), "/tmp");
	unsetenv("TMPDIR");
	assert_string_equal(ev_path_tmpdir(), "/tmp");
	setenv("TMPDIR", at("missing"), 1); /* not /tmp as a fallback */
	errno = 0;
	assert_null(ev_scratch_file());
	assert_int_equal(errno, ENOENT);
	setenv("TMPDIR", dir, 1);
	assert_string_equal(ev_path_tmpdir(), dir);
	assert_non_null(f = ev_scratch_file());
	assert_true(fcntl(fileno(f), F_GETFD) & FD_CLOEXEC);
	assert_true(fputs("scratch", f) >= 0 && fflush(f) == 0);
	rewind(f);
	assert_int_equal(fgetc(f), 's');
	snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fileno(f));
	if ((n = readlink(fdpath, name, sizeof name - 1)) > 0) { /* Linux */
		name[n] = 0;
		assert_ptr_equal(strstr(name, dir), name);
		assert_non_null(strstr(name, "/everypc-scratch-"));
	}
	assert_non_null(d = opendir(dir)); /* unlinked: nothing left */
	while ((e = readdir(d)))
		left += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	assert_int_equal(left, 0);
	fclose(f);
	if (had)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_build_tree, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_install_prefix, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_overrides, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_self_dir, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scratch_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
