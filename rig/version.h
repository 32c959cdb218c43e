/*
 * version.h -- everypc --version: the rig's version and commit, and the
 * QEMU and guest compilers it would use, asked at run time. Never written
 * into a journal or JUnit (their bytes depend on the inputs only); the
 * report's header names the commit that ran the sweep.
 */
#ifndef EVERYPC_VERSION_H
#define EVERYPC_VERSION_H

#include <stdio.h>

/* The project version (CMake's project(VERSION)) and the git commit the
   build was made from ("unknown" outside a git checkout). */
const char *ev_version(void);
const char *ev_version_commit(void);

/* Everything, one line each, to f (after ev_paths_init). */
void ev_version_print(FILE *f);

#endif
