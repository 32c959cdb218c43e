/*
 * arch/amd64.c -- what the rig knows of amd64 (regs.h): its registers and,
 * for injected calls, its debug-call facts (debugcall.h: RDC). Names as
 * in QEMU 7.2's i386-64bit.xml; CALL pushes the return address, so there
 * is no link register, and ABI-6 needs no resume register.
 */
#include "regs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <everypc/abi.h>
#include <everypc/debugcall.h>

static const char *const gpr[] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};
_Static_assert(sizeof gpr / sizeof gpr[0] == 16, "META-6: rax..r15 = 0..15");

/* gosub ABI-4: temps and variables (runtime/compiler/arch/amd64/back.c) */
static const char *const alloc[] = {
    "rbx", "rsi", "rdi", "r8", "r9", "r10", "r12", "r13", "r15",
};

static const char *const compare[] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8",
    "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rip", "eflags",
};

/* ---- machine-code rules of check-meta (regs.h: insn_rules) ---- */

static enum insn_class classify(const char *t)
{
	if (insn_starts(t, "push %rbp") || insn_starts(t, "mov %rsp,%rbp") ||
	    (insn_starts(t, "sub $") && strstr(t, ",%rsp")))
		return INSN_SETUP;
	if (insn_starts(t, "pop %rbp") || insn_starts(t, "leave") ||
	    (insn_starts(t, "add $") && strstr(t, ",%rsp")))
		return INSN_TEARDOWN;
	if (insn_starts(t, "ret"))
		return INSN_RET;
	if (insn_starts(t, "call"))
		return INSN_CALL;
	return INSN_OTHER;
}

/* mov 0xN(%rip),%REG  # ADDR <sym+k> */
static int loads_from(const char *prev, uint64_t prev_pc, const char *t,
		      uint64_t lo, uint64_t hi, char *reg, size_t n)
{
	uint64_t a = insn_comment_addr(t);
	char ops[128];
	const char *comma;

	(void)prev, (void)prev_pc;
	if (!insn_starts(t, "mov ") || a < lo || a >= hi)
		return 0;
	insn_operands(t, ops, sizeof ops);
	comma = strrchr(ops, ',');
	if (!strstr(ops, "(%rip),") || !comma || comma[1] != '%')
		return 0;
	snprintf(reg, n, "%s", comma + 1);
	return 1;
}

/* mov... SRC,[OFF](%REG) */
static int stores_via(const char *t, const char *reg)
{
	return insn_starts(t, "mov") && insn_based_on(t, reg);
}

/* an instruction whose last operand is %REG: mov/lea/add/... into it */
static int writes(const char *t, const char *reg)
{
	char ops[128];
	const char *comma;

	if (insn_starts(t, "cmp") || insn_starts(t, "test") ||
	    insn_starts(t, "j") || insn_starts(t, "call"))
		return 0;
	insn_operands(t, ops, sizeof ops);
	comma = strrchr(ops, ',');
	return comma && !strcmp(comma + 1, reg);
}

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
    .cargs = {"rdi", "rsi", "rdx"},
    .break_kind = 1,
    .ra_from_top = 0,
    .ra_push = 8,
    .ngpr = sizeof gpr / sizeof gpr[0],
    .gpr = gpr,
    .nalloc = sizeof alloc / sizeof alloc[0],
    .alloc = alloc,
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
    .insn = {classify, loads_from, stores_via, writes},
};
