/*
 * signal.c -- signal set-up and dispatch: SIGURG (rig and stress
 * preemption), SIGALRM (the stress timer), SIGSEGV/SIGBUS (nil dereference
 * in managed code becomes Go's panic; anywhere else it is a throw).
 *
 * INVARIANTS:
 * SIG-1 Handlers run on the alternate signal stack (SA_ONSTACK), never on a
 *       goroutine stack (whose every word the GC and the rig account for) and
 *       never on g0's stack (whose C frames they could be interrupting).
 * SIG-2 A handler changes the interrupted context only to start a call
 *       (asyncPreempt or runtime.panicnil) from managed code; it takes no
 *       lock and touches only the rig mailbox counters, the fault record and
 *       the context.
 */
#include "sched.h"

#define SIG_BUS 7
#define SIG_FPE 8
#define SIG_SEGV 11
#define SIG_ALRM 14
#define SIG_URG 23
#define SA_SIGINFO_F 0x4ull
#define SA_ONSTACK_F 0x08000000ull
#define SA_RESTART_F 0x10000000ull
#define ITIMER_REAL_W 0

#define SIGSTACK_SIZE 0x10000ull
#define SIGSTACK_BASE (RT_SYS_BASE + 0x100000ull)

uint64_t rt_fault_addr, rt_fault_pc;
extern char rt_panicnil_entry[] __asm__("runtime.panicnil");

struct k_stack {
	uint64_t sp;
	int32_t flags, pad;
	uint64_t size;
};

struct k_itimerval {
	int64_t isec, iusec, vsec, vusec;
};

static char fault_msg[96];

/* "unexpected fault address 0x..." style messages without libc. */
static const char *fault_text(const char *what, uint64_t v)
{
	uint64_t n = 0, i;
	char hex[18];
	int h = sizeof hex;

	while (what[n] && n < sizeof fault_msg - 20) {
		fault_msg[n] = what[n];
		n++;
	}
	do {
		hex[--h] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	fault_msg[n++] = '0';
	fault_msg[n++] = 'x';
	for (i = (uint64_t)h; i < sizeof hex; i++)
		fault_msg[n++] = hex[i];
	fault_msg[n] = 0;
	return fault_msg;
}

static void on_fault(void *info, void *uc)
{
	uint64_t pc = rt_arch_ctx_pc(uc);
	uint64_t addr = *(uint64_t *)((char *)info + 16); /* si_addr */
	struct rt_g *g = rt_curg;

	if (!g || rt_arch_ctx_g(uc) != (uint64_t)g || !rt_findfunc(pc))
		rt_throw(fault_text("unexpected signal during runtime "
				    "execution at pc=",
				    pc));
	if (addr >= 4096)
		rt_throw(fault_text("unexpected fault address ", addr));
	rt_fault_addr = addr;
	rt_fault_pc = pc;
	rt_arch_ctx_fakecall(uc, (uint64_t)rt_panicnil_entry);
}

static void handler(int sig, void *info, void *uc)
{
	switch (sig) {
	case SIG_SEGV:
	case SIG_BUS:
		on_fault(info, uc);
		return;
	case SIG_URG:
		rt_preempt_signal(uc, 0);
		return;
	case SIG_ALRM:
		rt_preempt_signal(uc, 1);
		return;
	}
	rt_throw(fault_text("unexpected signal ", (uint64_t)sig));
}

static void install(int sig)
{
	uint64_t flags = SA_SIGINFO_F | SA_ONSTACK_F | SA_RESTART_F;

	if (rt_arch_sigaction(sig, handler, flags) != 0)
		rt_throw("rt_sigaction failed");
}

void rt_signal_init(void)
{
	struct k_stack ss = {SIGSTACK_BASE, 0, 0, SIGSTACK_SIZE};

	if (rt_sys_map_fixed(SIGSTACK_BASE, SIGSTACK_SIZE) != 0)
		rt_throw("cannot map the signal stack");
	if (rt_arch_syscall(rt_sysnr.sigaltstack, (long)&ss, 0, 0, 0, 0, 0))
		rt_throw("sigaltstack failed");
	install(SIG_SEGV);
	install(SIG_BUS);
	install(SIG_FPE);
	install(SIG_URG);
	install(SIG_ALRM);
}

/* Stress mode: one SIGALRM usec microseconds of real time from now. The
   timer is one-shot, re-armed once the signal has been dealt with (refused
   in rt_preempt_signal, or after the collection of rt_e_async_park), so
   the mutator always gets usec of time between two stress preemptions: a
   periodic timer with a period shorter than a collection (under QEMU, 20
   us is) would preempt and collect for ever and never make progress. */
void rt_stress_arm(uint64_t usec)
{
	struct k_itimerval it;

	it.isec = it.iusec = 0;
	it.vsec = (int64_t)(usec / 1000000);
	it.vusec = (int64_t)(usec % 1000000);
	if (!it.vsec && !it.vusec)
		it.vusec = 1; /* zero would disarm */
	if (rt_arch_syscall(rt_sysnr.setitimer, ITIMER_REAL_W, (long)&it, 0, 0,
			    0, 0))
		rt_throw("setitimer failed");
}
