/*
 * fuzz_suite.c -- libFuzzer target for the suite and scenario loaders
 * (rig/suite.c, over rig/json.c). The input is written to a file in a
 * private directory (the loaders read paths) and loaded both as a suite and
 * as a scenario. The directory holds `workloads`, a link to the tree's
 * scenarios/workloads, so the seeds' "workloads/list.go" resolve.
 *
 * Checked besides the sanitizers: a refused file has a message naming it
 * (SUITE-1); a scenario that loads is dumped, and the dump loads to a
 * scenario that dumps to the same bytes (SUITE-2); its own function bounds
 * pass ev_scenario_check_func.
 */
#include "suite.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FUZZ_WORKLOADS
#error "FUZZ_WORKLOADS: the tree's scenarios/workloads directory"
#endif

static char dir[256], file[300], again[300];

static void cleanup(void)
{
	char link[300];
	snprintf(link, sizeof link, "%s/workloads", dir);
	unlink(link);
	unlink(file);
	unlink(again);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* $TMPDIR; else /dev/shm (memory), else /tmp */
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof dir, "%s/fuzz_suite-XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		perror("fuzz_suite: mkdtemp");
		exit(1);
	}
	snprintf(file, sizeof file, "%s/in.json", dir);
	snprintf(again, sizeof again, "%s/again.json", dir);
	char link[300];
	snprintf(link, sizeof link, "%s/workloads", dir);
	if (symlink(FUZZ_WORKLOADS, link) < 0) {
		perror("fuzz_suite: symlink");
		exit(1);
	}
	atexit(cleanup);
	return 0;
}

static void put(const char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size)) {
		perror("fuzz_suite: write");
		exit(1);
	}
	close(fd);
}

static void named(const char *err, const char *path)
{
	if (strncmp(err, path, strlen(path)) != 0)
		abort(); /* SUITE-1: the message names the file */
}

static void scenario(const char *path)
{
	struct ev_scenario sc, back;
	char err[512];
	if (ev_scenario_load(path, &sc, err, sizeof err) < 0) {
		named(err, path);
		return;
	}
	char *dump = ev_scenario_dump(&sc);
	if (!dump)
		abort();
	put(again, dump, strlen(dump));
	if (ev_scenario_load(again, &back, err, sizeof err) < 0)
		abort(); /* SUITE-2: what is written reads back */
	char *dump2 = ev_scenario_dump(&back);
	if (!dump2 || strcmp(dump, dump2) != 0)
		abort();
	if (sc.offset <= sc.pc && sc.pc < UINT64_MAX &&
	    ev_scenario_check_func(&sc, path, 1, sc.pc - sc.offset, sc.pc + 1,
				   err, sizeof err) != 0)
		abort();
	if (ev_scenario_check_func(&sc, path, 0, 0, 0, err, sizeof err) == 0)
		abort();
	named(err, path);
	free(dump2);
	free(dump);
	ev_scenario_free(&back);
	ev_scenario_free(&sc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ev_suite s;
	char err[512];
	put(file, data, size);
	if (ev_suite_load(file, &s, err, sizeof err) == 0) {
		if (s.nsweeps == 0 && s.sweeps)
			abort();
		ev_suite_free(&s);
	} else {
		named(err, file);
	}
	scenario(file);
	return 0;
}
