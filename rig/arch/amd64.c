/*
 * arch/amd64.c -- what the rig knows of amd64 (regs.h): its registers and,
 * for injected calls, its debug-call facts (debugcall.h: RDC). Names as
 * in QEMU 7.2's i386-64bit.xml; CALL pushes the return address, so there
 * is no link register, and ABI-6 needs no resume register.
 */
#include "regs.h"

#include <everypc/abi.h>
#include <everypc/debugcall.h>

static const char *const gpr[] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};
_Static_assert(sizeof gpr / sizeof gpr[0] == 16, "META-6: rax..r15 = 0..15");

static const char *const compare[] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8",
    "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rip", "eflags",
};

const struct rig_regs rig_regs_amd64 = {
    .arch = "amd64",
    .ep_arch = EP_ARCH_AMD64,
    .qemu = "qemu-x86_64",
    .tdesc_arch = "i386:x86-64",
    .pc = "rip",
    .sp = "rsp",
    .fp = "rbp",
    .lr = NULL,
    .g = "r14",
    .resume = NULL,
    .break_kind = 1,
    .ra_from_top = 0,
    .ra_push = 8,
    .ngpr = sizeof gpr / sizeof gpr[0],
    .gpr = gpr,
    .ncompare = sizeof compare / sizeof compare[0],
    .compare = compare,
    /* debugCallV2 (everypc/debugcall.h): GDB numbers of PC, SP and the
       link register, the status register, the trap that reports */
    .dc = {.name = "amd64",
	   .pc = 16,
	   .sp = 7,
	   .lr = -1,
	   .status = EP_DC_STATUS_REG_AMD64,
	   .trap = EP_DC_TRAP_AMD64,
	   .trap_len = 1,
	   .stop_after = 1,
	   .advance = 0},
};
