/*
 * version.c -- everypc --version (version.h).
 */
#include "version.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "everypc_commit.h" /* made at build time: EVERYPC_COMMIT */
#include "paths.h"
#include "suite.h"

const char *ev_version(void) { return EVERYPC_VERSION; }

const char *ev_version_commit(void) { return EVERYPC_COMMIT; }

/* The first line argv writes to stdout into out, "" when it cannot be run
   or writes nothing; stderr is discarded. */
static void first_line(char *const argv[], char *out, size_t n)
{
	int fd[2], st;
	ssize_t got;
	size_t len = 0;
	pid_t pid;

	out[0] = 0;
	if (pipe(fd) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		close(2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	while (pid > 0 && len + 1 < n &&
	       (got = read(fd[0], out + len, n - 1 - len)) > 0)
		len += (size_t)got;
	close(fd[0]);
	out[len] = 0;
	out[strcspn(out, "\n")] = 0;
	if (pid > 0)
		waitpid(pid, &st, 0);
}

static void tool_line(FILE *f, const char *what, char *const argv[])
{
	char line[256];

	first_line(argv, line, sizeof line);
	fprintf(f, "%-16s %s: %s\n", what, argv[0],
		line[0] ? line : "not found");
}

void ev_version_print(FILE *f)
{
	const char *gosub = ev_tool_gosub();
	char what[32], cc[1024];
	int a;

	fprintf(f, "everypc %s (commit %s)\n", ev_version(),
		ev_version_commit());
	for (a = 0; a < EV_NUM_ARCHES; a++) {
		char *qemu[] = {(char *)ev_tool_qemu(a), "--version", NULL};
		char *ask[] = {(char *)gosub, "-arch", (char *)ev_arch_name(a),
			       "-print-cc", NULL};
		char *ccv[] = {cc, "--version", NULL};

		snprintf(what, sizeof what, "qemu %s", ev_arch_name(a));
		tool_line(f, what, qemu);
		snprintf(what, sizeof what, "guest cc %s", ev_arch_name(a));
		first_line(ask, cc, sizeof cc);
		if (!cc[0])
			fprintf(f,
				"%-16s not found (%s -print-cc: no answer)\n",
				what, gosub);
		else
			tool_line(f, what, ccv);
	}
}
