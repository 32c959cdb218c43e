/*
 * selfdir.h -- the directory of the running executable, shared by the rig
 * (paths.c) and gosub, which both find their helpers relative to it: no
 * path of the build tree is compiled into either (issue 15).
 */
#ifndef EVERYPC_SELFDIR_H
#define EVERYPC_SELFDIR_H

#include <stddef.h>

/* The directory holding the running executable into out (no trailing
   slash), symbolic links resolved: /proc/self/exe where there is one
   (Linux; QEMU user mode emulates it for the program it runs), else argv0
   -- resolved against the current directory when it holds a slash, else
   searched through $PATH. -1 when neither tells. */
int ev_paths_self_dir(const char *argv0, char *out, size_t n);

/* name (no slash) through $PATH (unset: /usr/bin:/bin) into out, the first
   regular executable file; 0 when found. */
int ev_paths_search(const char *name, char *out, size_t n);

/* Is path a regular file we may execute? */
int ev_paths_is_exe(const char *path);

/* The runtime libraries' directory beside the executable in self into out
   (n bytes), resolved: self/runtime (the build tree: build/gosub,
   build/everypc beside build/runtime), else self/../lib/everypc/runtime (an
   install prefix: bin/ beside lib/everypc/runtime). 0 when found. */
int ev_paths_runtime_dir(const char *self, char *out, size_t n);

/* self/rel into out (n bytes), resolved, when it is a directory; 0 when
   found. self NULL: -1. */
int ev_paths_self_rel_dir(const char *self, const char *rel, char *out,
			  size_t n);

#endif
