/*
 * arch/amd64/arch.c -- amd64 facts for the scheduler half: frame layout
 * (ABI-2), syscall numbers and instruction, the signal context (Linux
 * ucontext_t: mcontext gregs at byte 40), pushCall (ABI-6) and sigaction.
 */
#include "dcall.h"
#include "rt_asm.h"
#include "sched.h"

const struct rt_archinfo rt_arch = {
    .ra_push = 8,
    .ra_from_top = 0,
    .fp_from_top = 8,
    .arch = EP_ARCH_AMD64,
};

const struct rt_sysnums rt_sysnr = {
    .write = 1,
    .exit_group = 231,
    .mmap = 9,
    .munmap = 11,
    .rt_sigaction = 13,
    .rt_sigprocmask = 14,
    .sigaltstack = 131,
    .setitimer = 38,
};

const uint32_t rt_arch_async_frame = RT_ASYNC_FRAME_AMD64;

/* The debug-call entry frame (dcall.h). */
const struct rt_dc_archinfo rt_dc_arch = {
    .frame_bytes = DC_FRAME_AMD64,
    .pc_off = 152,
    .size_off = DC_SIZE_OFF_AMD64,
};

long rt_arch_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
		     long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* gregs indices (sys/ucontext.h REG_*) */
#define UC_GREGS 40
#define REG_R14 6
#define REG_RSP 15
#define REG_RIP 16

static uint64_t *gregs(const void *uc)
{
	return (uint64_t *)((char *)uc + UC_GREGS);
}

uint64_t rt_arch_ctx_pc(const void *uc) { return gregs(uc)[REG_RIP]; }

uint64_t rt_arch_ctx_sp(const void *uc) { return gregs(uc)[REG_RSP]; }

uint64_t rt_arch_ctx_g(const void *uc) { return gregs(uc)[REG_R14]; }

/* ABI-6: push the interrupted PC, continue at target. */
void rt_arch_ctx_pushcall(void *uc, uint64_t target)
{
	uint64_t *r = gregs(uc);
	uint64_t sp = r[REG_RSP] - 8;

	*(uint64_t *)sp = r[REG_RIP];
	r[REG_RSP] = sp;
	r[REG_RIP] = target;
}

/* A CALL from the interrupted PC is the same push on amd64. */
void rt_arch_ctx_fakecall(void *uc, uint64_t target)
{
	rt_arch_ctx_pushcall(uc, target);
}

struct k_sigaction {
	rt_sighandler_fn handler;
	uint64_t flags;
	void *restorer;
	uint64_t mask;
};

#define SA_RESTORER_F 0x04000000ull

long rt_arch_sigaction(int sig, rt_sighandler_fn h, uint64_t flags)
{
	struct k_sigaction sa = {h, flags | SA_RESTORER_F, rt_sigreturn_tramp,
				 0};

	return rt_arch_syscall(rt_sysnr.rt_sigaction, sig, (long)&sa, 0, 8, 0,
			       0);
}
