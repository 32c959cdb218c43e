/*
 * tmpdir.h -- a scratch directory for a unit test file's cases: made
 * before each case ($TMPDIR/everypc-test-<what>-XXXXXX, /tmp when TMPDIR is
 * unset or empty; in `dir`) and removed with everything in it after.
 * Header-only; include once per test file.
 */
#ifndef EVERYPC_TEST_TMPDIR_H
#define EVERYPC_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[512];

/* $TMPDIR, else /tmp */
static const char *tmpdir_parent(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

static int tmpdir_make(const char *what)
{
	if ((size_t)snprintf(dir, sizeof dir, "%s/everypc-test-%s-XXXXXX",
			     tmpdir_parent(), what) >= sizeof dir)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

static int tmpdir_remove(void)
{
	char cmd[sizeof dir + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

#endif
