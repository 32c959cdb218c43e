/*
 * benchguest.c -- the minimal guest of the RSP cost benchmark (rspbench):
 *   benchguest ROUNDS HOT [PASSES]
 * ROUNDS times: calls bg_tick, runs the first HOT of 1024 distinct
 * straight-line functions (about 100 bytes of code each) PASSES times
 * (default 1), calls bg_tock. A continue from bg_tick to bg_tock thus
 * executes HOT pieces of code, which QEMU translates anew when it has thrown
 * its translations away since and finds translated otherwise; the second
 * pass of PASSES 2 always finds them translated. SIGURG has a handler
 * (counted in bg_urg) for the C10 round trip. bg_unused is never executed:
 * a breakpoint there changes nothing the guest runs. Exits 0.
 */
#include <signal.h>
#include <stdlib.h>

volatile unsigned long bg_marker = 0x1122334455667788ul;
volatile unsigned long bg_sink;
volatile int bg_urg;
volatile unsigned char bg_scratch[4096];

static void on_urg(int sig)
{
	(void)sig;
	bg_urg++;
}

__attribute__((noinline)) void bg_tick(int i)
{
	bg_scratch[i & 4095] = (unsigned char)i;
}

__attribute__((noinline)) void bg_tock(int i)
{
	bg_scratch[(i + 1) & 4095] = (unsigned char)i;
}

__attribute__((noinline)) void bg_unused(void) { bg_sink = 0; }

/* 1024 functions bg_hot_<n>, each distinct constants, no loops. */
#define HOT(n)                                                                 \
	__attribute__((noinline)) static unsigned long bg_hot_##n(             \
	    unsigned long x)                                                   \
	{                                                                      \
		x = x * 0x9e3779b97f4a7c15ul + n##ul;                          \
		x ^= x >> 29;                                                  \
		x = x * 0xbf58476d1ce4e5b9ul + (n##ul << 3);                   \
		x ^= x >> 31;                                                  \
		x = x * 0x94d049bb133111ebul + (n##ul ^ 0x5555ul);             \
		x ^= x >> 27;                                                  \
		return x + bg_marker;                                          \
	}
#define HOT4(n) HOT(n##0) HOT(n##1) HOT(n##2) HOT(n##3)
#define HOT16(n) HOT4(n##0) HOT4(n##1) HOT4(n##2) HOT4(n##3)
#define HOT64(n) HOT16(n##0) HOT16(n##1) HOT16(n##2) HOT16(n##3)
#define HOT256(n) HOT64(n##0) HOT64(n##1) HOT64(n##2) HOT64(n##3)
HOT256(10)
HOT256(11)
HOT256(12)
HOT256(13)

#define REF(n) bg_hot_##n,
#define REF4(n) REF(n##0) REF(n##1) REF(n##2) REF(n##3)
#define REF16(n) REF4(n##0) REF4(n##1) REF4(n##2) REF4(n##3)
#define REF64(n) REF16(n##0) REF16(n##1) REF16(n##2) REF16(n##3)
#define REF256(n) REF64(n##0) REF64(n##1) REF64(n##2) REF64(n##3)
static unsigned long (*const bg_hot[])(unsigned long) = {
    REF256(10) REF256(11) REF256(12) REF256(13)};

int main(int argc, char **argv)
{
	struct sigaction sa = {0};
	int rounds = argc > 1 ? atoi(argv[1]) : 0;
	int hot = argc > 2 ? atoi(argv[2]) : 0;
	int passes = argc > 3 ? atoi(argv[3]) : 1;
	unsigned long acc = 1;
	sa.sa_handler = on_urg;
	sigaction(SIGURG, &sa, 0);
	if (hot > (int)(sizeof bg_hot / sizeof bg_hot[0]))
		hot = (int)(sizeof bg_hot / sizeof bg_hot[0]);
	for (int i = 0; i < rounds; i++) {
		bg_tick(i);
		for (int p = 0; p < passes; p++)
			for (int k = 0; k < hot; k++)
				acc = bg_hot[k](acc);
		bg_sink = acc;
		bg_tock(i);
	}
	return 0;
}
