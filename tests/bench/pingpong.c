/*
 * pingpong.c -- what one request-reply exchange over a unix socket costs
 * when the two processes share a CPU and when they do not (POOL-2; issue
 * 16, ci/do bench). Not a test.
 *
 *   everypc_pingpong [N]
 *
 * A client and a server process exchange N messages shaped as an RSP
 * request and QEMU 7.2's answer: the client writes "+$p10#xx", the server
 * answers "+" and then "$OK#9a" in two writes; the client waits with poll
 * and reads until it has both. Printed per exchange: the median wall time
 * and the client's CPU (getrusage), first with both processes free to run
 * anywhere, then both pinned to one CPU (sched_setaffinity, Linux only);
 * then the same with the answer in one write ("-1w": what a stub costs that
 * sent its ack with its reply, or none in no-ack mode).
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static double cpu_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec +
	       ru.ru_stime.tv_sec * 1e6 + ru.ru_stime.tv_usec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One run of n exchanges, the answer in two writes ("+", then the reply,
   as QEMU 7.2 sends them) or in one (a stub that sent its ack with the
   reply, or none in no-ack mode); 0, or -1 with a message. */
static int run(int n, int pinned, int one_write, double *wall_med,
	       double *cpu_per)
{
	int sv[2], i, status;
	char buf[64];
	double *t = malloc((size_t)n * sizeof *t), c0;
	pid_t pid;

	if (!t || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		perror("pingpong: socketpair");
		free(t);
		return -1;
	}
#ifdef __linux__
	cpu_set_t one, all;
	if (sched_getaffinity(0, sizeof all, &all) < 0)
		CPU_ZERO(&all);
	if (pinned) {
		int c = 0;
		while (c < CPU_SETSIZE && !CPU_ISSET(c, &all))
			c++;
		CPU_ZERO(&one);
		CPU_SET(c < CPU_SETSIZE ? c : 0, &one);
		sched_setaffinity(0, sizeof one, &one);
	}
#else
	if (pinned) {
		fprintf(stderr, "pingpong: pinning needs Linux\n");
		free(t);
		return -1;
	}
#endif
	if ((pid = fork()) == 0) {
		close(sv[0]);
		for (i = 0; i < n; i++) {
			if (read(sv[1], buf, sizeof buf) <= 0)
				break;
			if (one_write ? write(sv[1], "+$OK#9a", 7) != 7
				      : write(sv[1], "+", 1) != 1 ||
					    write(sv[1], "$OK#9a", 6) != 6)
				break;
		}
		_exit(0);
	}
	close(sv[1]);
	c0 = cpu_us();
	for (i = 0; i < n && pid > 0; i++) {
		double t0 = now_us();
		int got = 0;
		if (write(sv[0], "+$p10#xx", 8) != 8)
			break;
		while (got < 7) {
			struct pollfd p = {sv[0], POLLIN, 0};
			ssize_t r;
			poll(&p, 1, -1);
			if ((r = read(sv[0], buf, sizeof buf)) <= 0)
				break;
			got += (int)r;
		}
		t[i] = now_us() - t0;
	}
	*cpu_per = (cpu_us() - c0) / n;
	close(sv[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
#ifdef __linux__
	if (pinned)
		sched_setaffinity(0, sizeof all, &all);
#endif
	if (i < n) {
		fprintf(stderr, "pingpong: the exchange broke off at %d\n", i);
		free(t);
		return -1;
	}
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	*wall_med = t[n / 2];
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000, pinned, one;
	double w, c;

	if (n < 1) {
		fprintf(stderr, "usage: everypc_pingpong [N]\n");
		return 2;
	}
	printf("pingpong where      median_us  client_cpu_us  (%d exchanges: "
	       "\"+$p10#xx\", then \"+\" and \"$OK#9a\" in two writes; "
	       "-1w: \"+$OK#9a\" in one)\n",
	       n);
	for (one = 0; one < 2; one++)
		for (pinned = 0; pinned < 2; pinned++) {
			if (run(n, pinned, one, &w, &c) < 0)
				return 1;
			printf("pingpong %-10s %10.1f %14.1f\n",
			       pinned ? (one ? "one-cpu-1w" : "one-cpu")
				      : (one ? "any-cpu-1w" : "any-cpu"),
			       w, c);
		}
	return 0;
}
