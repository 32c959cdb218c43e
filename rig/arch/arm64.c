/*
 * arch/arm64.c -- what the rig knows of arm64 (regs.h): its registers and,
 * for injected calls, its debug-call facts (debugcall.h: RDC). Names as
 * in QEMU 7.2's aarch64-core.xml (x30 is the link register, cpsr 32 bits).
 * x27 is the ABI-6 resume register and is not compared.
 */
#include "regs.h"

#include <everypc/abi.h>
#include <everypc/debugcall.h>

static const char *const gpr[] = {
    "x0",  "x1",  "x2",	 "x3",	"x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10",
    "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",
    "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30",
};
_Static_assert(sizeof gpr / sizeof gpr[0] == 31, "META-6: x0..x30 = 0..30");

static const char *const compare[] = {
    "x0",  "x1",  "x2",	 "x3",	"x4",  "x5",   "x6",  "x7",  "x8",
    "x9",  "x10", "x11", "x12", "x13", "x14",  "x15", "x16", "x17",
    "x18", "x19", "x20", "x21", "x22", "x23",  "x24", "x25", "x26",
    "x28", "x29", "x30", "sp",	"pc",  "cpsr",
};

const struct rig_regs rig_regs_arm64 = {
    .arch = "arm64",
    .ep_arch = EP_ARCH_ARM64,
    .qemu = "qemu-aarch64",
    .tdesc_arch = "aarch64",
    .pc = "pc",
    .sp = "sp",
    .fp = "x29",
    .lr = "x30",
    .g = "x28",
    .resume = "x27",
    .break_kind = 4,
    .ra_from_top = 8,
    .ra_push = 0,
    .ngpr = sizeof gpr / sizeof gpr[0],
    .gpr = gpr,
    .ncompare = sizeof compare / sizeof compare[0],
    .compare = compare,
    /* debugCallV2 (everypc/debugcall.h): GDB numbers of PC, SP and the
       link register, the status register, the trap that reports */
    .dc = {.name = "arm64",
	   .pc = 32,
	   .sp = 31,
	   .lr = 30,
	   .status = EP_DC_STATUS_REG_ARM64,
	   .trap = EP_DC_TRAP_ARM64,
	   .trap_len = 4,
	   .stop_after = 0,
	   .advance = 4},
};
