/*
 * tmpdir.h -- a scratch directory for a unit test file's cases: made
 * before each case (/tmp/everypc-test-<what>-XXXXXX, in `dir`) and removed
 * with everything in it after. Header-only; include once per test file.
 */
#ifndef EVERYPC_TEST_TMPDIR_H
#define EVERYPC_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];

static int tmpdir_make(const char *what)
{
	snprintf(dir, sizeof dir, "/tmp/everypc-test-%s-XXXXXX", what);
	return mkdtemp(dir) ? 0 : -1;
}

static int tmpdir_remove(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

#endif
