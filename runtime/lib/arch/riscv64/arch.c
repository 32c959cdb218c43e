/*
 * arch/riscv64/arch.c -- riscv64 facts for the scheduler half: frame layout
 * (ABI-2), syscall numbers (generic table) and ECALL, the signal context
 * (Linux ucontext_t: sc_regs at byte 176 = pc, x1..x31), pushCall (ABI-6)
 * and sigaction (the kernel's riscv struct sigaction has no sa_restorer:
 * the kernel/QEMU provide the return trampoline).
 */
#include "dcall.h"
#include "rt_asm.h"
#include "sched.h"

const struct rt_archinfo rt_arch = {
    .ra_push = 0,
    .ra_from_top = 8,
    .fp_from_top = 16,
    .arch = EP_ARCH_RISCV64,
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

const uint32_t rt_arch_async_frame = RT_ASYNC_FRAME_RISCV64;

/* The debug-call entry frame (dcall.h). */
const struct rt_dc_archinfo rt_dc_arch = {
    .frame_bytes = DC_FRAME_RISCV64,
    .pc_off = 0,
    .size_off = DC_SIZE_OFF_LR,
};

long rt_arch_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
		     long a5)
{
	register long a7r __asm__("a7") = nr;
	register long a0r __asm__("a0") = a0;
	register long a1r __asm__("a1") = a1;
	register long a2r __asm__("a2") = a2;
	register long a3r __asm__("a3") = a3;
	register long a4r __asm__("a4") = a4;
	register long a5r __asm__("a5") = a5;

	__asm__ volatile("ecall"
			 : "+r"(a0r)
			 : "r"(a7r), "r"(a1r), "r"(a2r), "r"(a3r), "r"(a4r),
			   "r"(a5r)
			 : "memory");
	return a0r;
}

#define UC_REGS 176 /* [0] = pc, [i] = xi */
#define REG_PC 0
#define REG_RA 1
#define REG_SP 2
#define REG_G 27

static uint64_t *reg(const void *uc, int i)
{
	return (uint64_t *)((char *)uc + UC_REGS) + i;
}

uint64_t rt_arch_ctx_pc(const void *uc) { return *reg(uc, REG_PC); }

uint64_t rt_arch_ctx_sp(const void *uc) { return *reg(uc, REG_SP); }

uint64_t rt_arch_ctx_g(const void *uc) { return *reg(uc, REG_G); }

/* ABI-6: push RA (16 bytes keep SP aligned), RA = PC, PC = target. */
void rt_arch_ctx_pushcall(void *uc, uint64_t target)
{
	uint64_t sp = *reg(uc, REG_SP) - 16;

	*(uint64_t *)sp = *reg(uc, REG_RA);
	*(uint64_t *)(sp + 8) = 0;
	*reg(uc, REG_SP) = sp;
	*reg(uc, REG_RA) = *reg(uc, REG_PC);
	*reg(uc, REG_PC) = target;
}

/* As if the interrupted PC had executed JAL ra, target. */
void rt_arch_ctx_fakecall(void *uc, uint64_t target)
{
	*reg(uc, REG_RA) = *reg(uc, REG_PC);
	*reg(uc, REG_PC) = target;
}

struct k_sigaction {
	rt_sighandler_fn handler;
	uint64_t flags;
	uint64_t mask;
};

long rt_arch_sigaction(int sig, rt_sighandler_fn h, uint64_t flags)
{
	struct k_sigaction sa = {h, flags, 0};

	return rt_arch_syscall(rt_sysnr.rt_sigaction, sig, (long)&sa, 0, 8, 0,
			       0);
}
