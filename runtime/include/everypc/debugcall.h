/*
 * everypc/debugcall.h -- the debug-call injection protocol between a
 * debugger (the rig, rig/debugcall.c) and the runtime (runtime/lib/
 * debugcall.c + arch/<arch>/sys.S). Version EP_DEBUGCALL_VERSION. The model is
 * Go's debugCallV2 (runtime/debugcall.go, asm_amd64.s, asm_arm64.s),
 * extended to riscv64, which Go does not support.
 *
 * INVARIANTS (cited as "DC-n"):
 *
 * DC-1  Injection. With the goroutine stopped at PC, SP (and LR/RA), the
 *       debugger first saves every register and the DC_SCRATCH bytes below
 *       SP (the entry frame and, when the PC is in C runtime code, that
 *       code's red zone are overwritten), then:
 *         amd64:   SP' = SP - 8; [SP'] = PC            (a pushed return PC)
 *         arm64,   SP' = SP - 16; [SP'] = LR; [SP'+8] = 0;
 *         riscv64:    LR (x30) / RA (x1) = PC          (a pushCall, ABI-6)
 *       and on every arch writes the argument-frame size (bytes, the
 *       callee's args_size of meta.h: 8 * (nparams + 1)) at [SP' - 16],
 *       sets SP = SP' and PC = the entry EP_DEBUGCALL_ENTRY, and continues.
 *
 * DC-2  Traps. The runtime talks back by putting a status (enum
 *       ep_dc_status) in the status register and executing the trap
 *       instruction:
 *         amd64:   R12 (GDB 12),  INT3 0xCC; the stop PC is after it.
 *         arm64:   x20 (GDB 20),  BRK #0xdc0 (0xd421b800);
 *                  the stop PC is the BRK.
 *         riscv64: t5 = x30 (GDB 30), EBREAK 0x00100073 (never compressed);
 *                  the stop PC is the EBREAK.
 *       riscv64's choice: t5 is a temporary the runtime's C code may use
 *       but that nothing needs across the trap; it is neither the g
 *       register (s11), the resume register (t6, ABI-6), a backend scratch
 *       (t0..t2, ABI-4) nor an argument register, so a status is never
 *       mistaken for a live value and the debugger does not need it. EBREAK
 *       is the one trap that QEMU and Linux turn into SIGTRAP without a
 *       side effect, as INT3 and BRK are on the other two.
 *       The debugger MUST check, at each SIGTRAP stop, that the instruction
 *       at the trap address is the trap instruction above; anything else is
 *       a protocol error (a crash, a stray breakpoint). To continue after a
 *       trap it leaves the PC alone on amd64 and adds 4 on arm64/riscv64.
 *
 * DC-3  Status values (Go's meanings), SP meaning the SP at the trap:
 *       EP_DC_READY    the call frame is open on a NEW goroutine: the debugger
 *                      writes the entry PC of a managed function at [SP] and
 *                      the argument words at [SP + 16 + 8*i] (ABI-1: the
 *                      result slot follows the arguments), then continues.
 *                      The runtime calls the function (ABI-1) from there.
 *       EP_DC_RESULT   the function returned: its result word is at
 *                      [SP + 16 + 8*nparams]; the debugger reads, continues.
 *       EP_DC_PANIC    the function panicked: [SP] = pointer, [SP+8] = length
 *                      of the panic message; the debugger continues.
 *       EP_DC_ERROR    the call was refused: [SP] = pointer, [SP+8] = length
 *                      of the reason (EP_DC_REASON_*); the debugger continues.
 *       EP_DC_RESTORE  the last trap: the debugger restores every register
 *                      and the DC_SCRATCH bytes it saved and so resumes the
 *                      goroutine at the original PC. (Were it to continue
 *                      instead, the runtime restores the registers itself,
 *                      all but the ABI-6 resume register on arm64/riscv64.)
 *       A refused call goes ERROR, RESTORE; an accepted one READY, then
 *       RESULT or PANIC, then RESTORE.
 *
 * DC-4  Refusal (debugCallCheck), in this order: the goroutine register is
 *       not the running user goroutine or SP is not on its stack, or PC is
 *       in runtime code (inside the executable, outside every managed
 *       function) -> EP_DC_REASON_RUNTIME; PC outside the executable ->
 *       EP_DC_REASON_UNKNOWN; PC in an unsafe range (META-5) ->
 *       EP_DC_REASON_UNSAFE; a frame size above the largest class ->
 *       EP_DC_REASON_TOO_LARGE.
 *
 * DC-5  Accepted calls run on a new goroutine whose stack may grow by
 *       copying. The interrupted goroutine is parked the way asyncPreempt
 *       parks one (RT-2, RIG-7: preempt_async = 1, async_pc/async_sp, and
 *       the saved registers as its async_regs block) and waiting (status 3),
 *       so the GC scans its inner frame and registers conservatively and
 *       never copies or shrinks its stack (RT-3). Until RESTORE no other
 *       user goroutine is scheduled: the run queue is set aside while the
 *       call runs, and a goroutine the call wakes (status 3 -> 1) joins it
 *       there, runnable but not run.
 *
 * DC-6  Frame-size classes (Go's debugCall32...): 32, 64, 128, 256 bytes.
 */
#ifndef EVERYPC_DEBUGCALL_H
#define EVERYPC_DEBUGCALL_H

#define EP_DEBUGCALL_VERSION 1
#define EP_DEBUGCALL_ENTRY "runtime.debugCallV2"

enum ep_dc_status {
	EP_DC_READY = 0,
	EP_DC_RESULT = 1,
	EP_DC_PANIC = 2,
	EP_DC_ERROR = 8,
	EP_DC_RESTORE = 16,
};

#define EP_DC_REASON_RUNTIME "call from within the Go runtime"
#define EP_DC_REASON_UNSAFE "call not at safe point"
#define EP_DC_REASON_UNKNOWN "call from unknown function"
#define EP_DC_REASON_TOO_LARGE "call frame too large"

/* Ids of call goroutines: EP_DC_GOID_BASE + n for the n-th accepted call
   (the program's own goroutines keep their ids; a rig comparing goroutines
   before and after a call skips these). */
#define EP_DC_GOID_BASE 0xdc000000ull

#define EP_DC_MAX_FRAME 256 /* the largest class (DC-6) */
#define EP_DC_FRAME_OFF 16  /* arguments at SP + 16 at READY (DC-3) */
#define EP_DC_SIZE_BELOW 16 /* frame size at SP' - 16 (DC-1) */
#define EP_DC_SCRATCH 512   /* bytes below SP the debugger saves (DC-1) */

/* Trap instructions (DC-2), little-endian words. */
#define EP_DC_TRAP_AMD64 0xCCu
#define EP_DC_TRAP_ARM64 0xd421b800u /* BRK #0xdc0 */
#define EP_DC_TRAP_RISCV64 0x00100073u

/* Status registers (DC-2), GDB numbers. */
#define EP_DC_STATUS_REG_AMD64 12
#define EP_DC_STATUS_REG_ARM64 20
#define EP_DC_STATUS_REG_RISCV64 30

#endif
