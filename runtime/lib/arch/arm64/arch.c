/*
 * arch/arm64/arch.c -- arm64 facts for the scheduler half: frame layout
 * (ABI-2), syscall numbers (generic table) and SVC, the signal context (Linux
 * ucontext_t: sigcontext regs[31] at byte 184, sp 432, pc 440), pushCall
 * (ABI-6) and sigaction (with SA_RESTORER: our own sigreturn trampoline, so
 * nothing depends on a vDSO).
 */
#include "dcall.h"
#include "rt_asm.h"
#include "sched.h"

const struct rt_archinfo rt_arch = {
    .ra_push = 0,
    .ra_from_top = 8,
    .fp_from_top = 16,
    .arch = EP_ARCH_ARM64,
};

const struct rt_sysnums rt_sysnr = {
    .write = 64,
    .exit_group = 94,
    .mmap = 222,
    .munmap = 215,
    .rt_sigaction = 134,
    .rt_sigprocmask = 135,
    .sigaltstack = 132,
    .setitimer = 103,
};

const uint32_t rt_arch_async_frame = RT_ASYNC_FRAME_ARM64;

/* The debug-call entry frame (dcall.h). */
const struct rt_dc_archinfo rt_dc_arch = {
    .frame_bytes = DC_FRAME_ARM64,
    .pc_off = 256,
    .size_off = DC_SIZE_OFF_LR,
};

long rt_arch_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
		     long a5)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;
	register long x3 __asm__("x3") = a3;
	register long x4 __asm__("x4") = a4;
	register long x5 __asm__("x5") = a5;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}

#define UC_REGS 184
#define UC_SP 432
#define UC_PC 440
#define REG_G 28
#define REG_LR 30

static uint64_t *reg(const void *uc, int off)
{
	return (uint64_t *)((char *)uc + off);
}

uint64_t rt_arch_ctx_pc(const void *uc) { return *reg(uc, UC_PC); }

uint64_t rt_arch_ctx_sp(const void *uc) { return *reg(uc, UC_SP); }

uint64_t rt_arch_ctx_g(const void *uc) { return *reg(uc, UC_REGS + 8 * REG_G); }

/* ABI-6: push LR (16 bytes keep SP aligned), LR = PC, PC = target. */
void rt_arch_ctx_pushcall(void *uc, uint64_t target)
{
	uint64_t *lr = reg(uc, UC_REGS + 8 * REG_LR);
	uint64_t sp = *reg(uc, UC_SP) - 16;

	*(uint64_t *)sp = *lr;
	*(uint64_t *)(sp + 8) = 0;
	*reg(uc, UC_SP) = sp;
	*lr = *reg(uc, UC_PC);
	*reg(uc, UC_PC) = target;
}

/* As if the interrupted PC had executed BL target. */
void rt_arch_ctx_fakecall(void *uc, uint64_t target)
{
	*reg(uc, UC_REGS + 8 * REG_LR) = *reg(uc, UC_PC);
	*reg(uc, UC_PC) = target;
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
