/*
 * fakeqemu.c -- a stand-in for qemu-<arch> in the launcher's unit test.
 * Usage like QEMU: fakeqemu [opts] -g SOCKET PROG [ARGS]. It listens on
 * SOCKET, accepts one connection and writes to it, one per line: its argv,
 * then "env:" + each environment entry, then "pgid-is-pid:" 0/1, then
 * "end". It then waits until the peer closes (or reads "x") and exits 0.
 * Options: "--die" exits 3 before listening; "--no-listen" sleeps without
 * listening (the launcher must time out).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void say(FILE *f, int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		fprintf(f, "arg:%s\n", argv[i]);
	for (char **e = environ; *e; e++)
		fprintf(f, "env:%s\n", *e);
	fprintf(f, "pgid-is-pid:%d\nend\n", getpgrp() == getpid());
	fflush(f);
}

int main(int argc, char **argv)
{
	const char *sock = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--die") == 0)
			return 3;
		if (strcmp(argv[i], "--no-listen") == 0) {
			struct timespec ts = {30, 0};
			nanosleep(&ts, NULL);
			return 0;
		}
		if (strcmp(argv[i], "-g") == 0 && i + 1 < argc)
			sock = argv[i + 1];
	}
	if (!sock)
		return 2;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    listen(l, 1) < 0)
		return 4;
	int c = accept(l, NULL, NULL);
	if (c < 0)
		return 5;
	FILE *f = fdopen(c, "r+");
	say(f, argc, argv);
	fprintf(stderr, "fakeqemu stderr\n");
	printf("fakeqemu stdout\n");
	fflush(stdout);
	for (int ch; (ch = fgetc(f)) != EOF && ch != 'x';)
		;
	return 0;
}
