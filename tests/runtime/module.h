/* clang-format off */ /* assembler macros, included by .S test programs */
/*
 * module.h -- assembler macros for hand-written guest test programs: a
 * function's symbol and extent, calls with their call-site maps (META-3),
 * and the everypc_module metadata (META-1) with one ep_func record per
 * function (no stack objects, unsafe ranges, types or globals). Each test
 * file defines EP_CALL (its arch's call instruction) before including this.
 */
#define EP_ARCH_AMD64 1
#define EP_ARCH_ARM64 2
#define EP_ARCH_RISCV64 3

.macro FUNC_BEGIN name
	.pushsection everypc_meta.cs, "a"
	.balign 8
\name\()_cs:
	.popsection
	.globl \name
	.type \name, %function
\name:
.endm

.macro FUNC_END name
\name\()_end:
	.size \name, .-\name
	.pushsection everypc_meta.cs, "a"
\name\()_cs_end:
	.popsection
.endm

/* A call with its call-site map: mask = the frame words holding live
   pointers at this call (bit i = word at SP + 8*i; frames are <= 8 words). */
.macro CALLM target, mask=0
	EP_CALL \target
.Lret\@:
	.pushsection .rodata
.Lmask\@:
	.byte \mask
	.popsection
	.pushsection everypc_meta.cs, "a"
	.quad .Lret\@, .Lmask\@
	.popsection
.endm

/* An unsafe range [start, end) of kind 1 prologue, 2 epilogue (META-5);
   emit them in address order. */
.macro UNSAFE_RANGE start, end, kind
	.pushsection everypc_meta.unsafe, "a"
	.quad \start, \end
	.long \kind, 0
	.popsection
.endm
	.pushsection everypc_meta.unsafe, "a"
	.balign 8
ep_unsafe_start:
	.popsection

/* struct ep_module, then the funcs array (72-byte ep_func records). */
.macro MODULE_BEGIN arch, nfuncs
	.pushsection everypc_meta.unsafe, "a"
ep_unsafe_end:
	.popsection
	.section everypc_meta, "a"
	.balign 8
	.globl everypc_module
everypc_module:
	.quad 0x4154454d43505645
	.long 1, \arch
	.quad \nfuncs, 1f
	.quad 0, 0            /* types */
	.quad (ep_unsafe_end - ep_unsafe_start) / 24, ep_unsafe_start
	.quad 0, 0, 0, 0      /* globals */
	.quad 0               /* source_file */
1:
.endm

.macro FUNC_REC name, frame, args, args_ptrmask=0
	.quad \name, \name\()_end, 2f
	.long \frame, \args, 0, 0
	.quad \args_ptrmask
	.long (\name\()_cs_end - \name\()_cs) / 16, 0
	.quad \name\()_cs, 0
	.pushsection .rodata
2:	.asciz "\name"
	.popsection
.endm

.macro MODULE_END
	.section .note.GNU-stack, "", %progbits
.endm
