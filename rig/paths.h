/*
 * paths.h -- where the rig finds what it runs and reads: gosub, the guest
 * runtime libraries (for gosub), QEMU and objdump per target arch, and the
 * source tree (scenarios/default.json, workloads named relatively, the base
 * of recorded scenarios' workload paths).
 *
 * Nothing of the build tree is compiled into the rig (issue 10): a rig
 * copied to another directory, or built on one machine and run on another
 * (a static rig for an arm64 host), finds its helpers the same way.
 * Search order, first found wins:
 *
 *   gosub      $EVERYPC_GOSUB; SELF/gosub; `gosub` through $PATH
 *   gosub-gen  $EVERYPC_GOSUB_GEN; SELF/gosub-gen; through $PATH
 *   runtime    $EVERYPC_RUNTIME_DIR; SELF/runtime (build tree);
 *              SELF/../lib/everypc/runtime (install prefix); else none,
 *              and gosub looks the same way beside its own executable
 *              (selfdir.h). The directory found is passed to gosub as
 *              EVERYPC_RUNTIME_DIR.
 *   source     $EVERYPC_SOURCE_DIR; SELF/share/everypc (build tree: a link
 *              to the source tree that CMake makes); SELF/../share/everypc
 *              (install prefix); else none: paths are taken as given
 *   QEMU       $EVERYPC_QEMU_<ARCH>; qemu-x86_64, qemu-aarch64,
 *              qemu-riscv64 through $PATH
 *   objdump    $EVERYPC_OBJDUMP_<ARCH>; <triple>-objdump through $PATH
 *              (x86_64-linux-gnu-, aarch64-linux-gnu-, riscv64-linux-gnu-);
 *              for the rig's own arch, also plain objdump
 *
 * SELF is the directory of the running executable, symbolic links resolved:
 * /proc/self/exe where there is one (Linux; QEMU user mode emulates it for
 * the program it runs), else argv[0] -- resolved against the current
 * directory when it holds a slash, else searched through $PATH. An
 * environment variable set to the empty string counts as unset. The
 * variables are explicit overrides, so they come first; the build tree
 * (build/everypc beside build/gosub, build/runtime/, build/share/everypc)
 * and an install prefix (bin/everypc beside bin/gosub, lib/everypc/runtime/,
 * share/everypc/) are both found without any.
 *
 * Invariant PATHS-1: every answer is the same for the whole run (computed
 * once by ev_paths_init, before any worker is forked).
 */
#ifndef EVERYPC_PATHS_H
#define EVERYPC_PATHS_H

#include <stddef.h>
#include <stdio.h>

#include "selfdir.h" /* ev_paths_self_dir: SELF */

/* Resolve everything once from self_dir (NULL: no executable directory
   known; only the environment and $PATH). Exports EVERYPC_RUNTIME_DIR for
   gosub when the runtime was found and the variable is unset. */
void ev_paths_init(const char *self_dir);

const char *ev_tool_gosub(void);
const char *ev_tool_gosub_gen(void);   /* sweep --generate (generate.h) */
const char *ev_tool_qemu(int arch);    /* enum ev_arch_id */
const char *ev_tool_objdump(int arch); /* enum ev_arch_id */
const char *ev_path_runtime(void);     /* NULL: gosub's own default */
const char *ev_path_source(void);      /* NULL: none found */
/* path relative to base when it lies inside base (base NULL or "": path
   itself): how scenarios name workloads. Points into path. */
const char *ev_path_under(const char *path, const char *base);

/* The directory for scratch files and private directories: $TMPDIR, else
   /tmp (read at each call; empty counts as unset). */
const char *ev_path_tmpdir(void);

/* An anonymous scratch file, made in ev_path_tmpdir() and unlinked at once,
   open for update, close-on-exec; NULL with errno set. (tmpfile(3) will not
   do: glibc's ignores $TMPDIR.) */
FILE *ev_scratch_file(void);

#endif
