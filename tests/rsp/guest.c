/*
 * guest.c -- the tiny guest the RSP integration test drives under each
 * QEMU (static, libc). The test breaks at ep_break_here, steps, reads
 * ep_marker, continues with GDB signal 16 (SIGURG) and expects the handler
 * to have run by ep_after_signal; the exit status says so too:
 * 42 = one SIGURG seen, 7 = none. ep_loop runs ep_tick `argv[1]` times for
 * the round-trip benchmark.
 */
#include <signal.h>
#include <stdlib.h>

volatile unsigned long ep_marker = 0x1122334455667788ul;
volatile int ep_urg_count;
volatile unsigned char ep_scratch[8192];

static void on_urg(int sig)
{
	(void)sig;
	ep_urg_count++;
}

__attribute__((noinline)) int ep_break_here(int x)
{
	return x * 3 + (int)ep_marker;
}

__attribute__((noinline)) void ep_after_signal(void)
{
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void ep_tick(int i)
{
	ep_scratch[i & 4095] = (unsigned char)i;
}

int main(int argc, char **argv)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_urg;
	sigaction(SIGURG, &sa, 0);
	ep_break_here(13);
	ep_after_signal();
	int n = argc > 1 ? atoi(argv[1]) : 0;
	for (int i = 0; i < n; i++)
		ep_tick(i);
	return ep_urg_count == 1 ? 42 : 7;
}
