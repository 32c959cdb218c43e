/*
 * rt_asm.h -- struct rt_g field offsets and constants shared by the
 * arch/<arch>/sys.S files and C (scheduler half). proc.c pins every offset with
 * a static assertion against rt.h, so the assembly cannot drift from the C
 * definition. Only plain #defines here: this file is included by assembly.
 */
#ifndef EVERYPC_RT_ASM_H
#define EVERYPC_RT_ASM_H

#define RTG_STACK_LO 0
#define RTG_STACK_HI 8
#define RTG_STACKGUARD 16
#define RTG_PREEMPT_ASYNC 44
#define RTG_SCHED_SP 48
#define RTG_SCHED_PC 56
#define RTG_SCHED_FP 64
#define RTG_SCHED_LR 72
#define RTG_SCHED_KIND 80
#define RTG_ASYNC_PC 88
#define RTG_ASYNC_SP 96
#define RTG_ASYNC_REGS 104
#define RTG_ASYNC_REGS_SIZE 112

/* Bytes asyncPreempt's frame takes below the interrupted SP, per arch
   (rig_abi.h RIG-7): amd64 16 GPRs + RFLAGS + pushed PC; arm64 and
   riscv64 34 saved words + the 16-byte pushCall slot. */
#define RT_ASYNC_FRAME_AMD64 144
#define RT_ASYNC_FRAME_ARM64 288
#define RT_ASYNC_FRAME_RISCV64 288

#define RT_SCHED_KIND_CALL 0
#define RT_SCHED_KIND_MORESTACK 1

#endif
