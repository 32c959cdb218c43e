/*
 * everypc/meta.h -- the metadata gosub emits with every program, read by the
 * runtime (GC, stack copying, preemption) through the symbol everypc_module
 * and by the rig (sweeps, oracles) through libelf. Version EP_META_VERSION.
 *
 * INVARIANTS (cited as "META-n"):
 *
 * META-1 One program is one compilation unit: all tables are emitted by gosub
 *        into the allocated, read-only section "everypc_meta", headed by the
 *        object `everypc_module` (struct ep_module). Every pointer inside is
 *        an absolute address (static, non-PIE executables); the rig turns an
 *        address into file bytes through the section headers.
 *
 * META-2 ep_module.funcs is sorted by entry, the [entry, end) ranges are
 *        disjoint and cover every instruction gosub emitted, including the
 *        morestack block at the end of each function.
 *
 * META-3 Call-site maps: for each call instruction in a managed function the
 *        record keyed by its return address gives a bitmap of the whole frame
 *        [SP, SP+F) -- bit i set when the word at SP+8*i holds a live pointer
 *        (locals, spill slots, and the outgoing arguments of that call) at
 *        that call. Bits for stack-object words are never set: stack objects
 *        are found through pointers (META-4). A frame stopped at a call is
 *        scanned exactly with this map.
 *
 * META-4 Stack objects: address-taken locals that do not escape live in the
 *        frame at [SP+off, SP+off+size) and are zeroed in the prologue's
 *        wake (before any call or safe point that can observe them); they are
 *        scanned only when a pointer to them is found (Go's mgcstack rules),
 *        with their ptrmask -- or conservatively when that pointer was itself
 *        found conservatively.
 *
 * META-5 Unsafe ranges ([start, end), sorted, disjoint) are the PCs where an
 *        asynchronous preemption or injected call must be refused: prologue
 *        (from entry until the frame is set up, plus the morestack block),
 *        epilogue (from the first instruction tearing the frame down through
 *        the return), GC-atomic (the inline allocation fast path),
 *        write-barrier (from the load of runtime.writeBarrier to the pointer
 *        store it guards, abi.h ABI-8). Every
 *        other PC in [entry, end) is an asynchronous safe point as far as
 *        metadata goes (the runtime may still refuse for lack of stack).
 *
 * META-6 Oracle maps live in the non-allocated section ".everypc_oracle",
 *        never loaded and never read by the runtime. For every PC of every
 *        managed function exactly one record covers it; the record lists the
 *        registers and the frame words holding a pointer that the program
 *        will still use (a live pointer, possibly interior, possibly to a
 *        stack object). Registers are numbered as in GDB's g packet for the
 *        arch: amd64 rax rbx rcx rdx rsi rdi rbp rsp r8..r15 = 0..15;
 *        arm64 x0..x30 = 0..30; riscv64 x0..x31 = 0..31. Frame words are
 *        SP-relative byte offsets (SP as it is at that PC).
 *
 * META-7 Type table: heap objects carry their type index in the header
 *        (abi.h); ep_type gives their size (without header) and ptrmask.
 *
 * META-8 Exact liveness for clobbering (oracle version 2). Oracle records are
 *        per machine instruction: besides the live pointers (regmask, slots)
 *        each gives every register holding a live value at all, pointer or
 *        not (livemask, a subset of the head's clobber mask: the registers
 *        gosub allocates, temps, variables and its private scratch), and
 *        every frame word holding one (live: SP-relative offsets; composite
 *        locals, stack objects and the link area always count). For every
 *        call site, ep_oracle_call gives the words of the caller's frame
 *        live during the call (its arguments included). Everything else --
 *        a register of the clobber mask not in livemask, a word of a frame
 *        [SP, SP+F) not listed -- holds no value the program will read
 *        before writing it, so the rig may overwrite it at a stop (outside
 *        prologue and epilogue ranges for frame words, where SP does not
 *        yet or no longer delimit the frame).
 */
#ifndef EVERYPC_META_H
#define EVERYPC_META_H

#include <stdint.h>

#define EP_META_MAGIC 0x4154454d43505645ull /* "EVPCMETA" little-endian */
#define EP_META_VERSION 1
#define EP_ORACLE_MAGIC 0x4c43524f43505645ull /* "EVPCORCL" */
#define EP_ORACLE_VERSION 2
#define EP_ORACLE_HEAD 32 /* sizes of the three record kinds */
#define EP_ORACLE_REC 48
#define EP_ORACLE_CALL 16

/* Function flags. */
#define EP_FUNC_MAIN_MAIN 0x1 /* main.main */

struct ep_callsite {
	uint64_t retpc;		/* address after the call instruction */
	const uint8_t *ptrmask; /* frame_size/8 bits, LSB first */
};

struct ep_stackobj {
	int32_t off;		/* from SP, bytes */
	uint32_t size;		/* bytes, a multiple of 8 */
	const uint8_t *ptrmask; /* size/8 bits */
};

struct ep_func {
	uint64_t entry, end;   /* [entry, end) */
	const char *name;      /* "main.f", NUL-terminated */
	uint32_t frame_size;   /* F of abi.h ABI-2 */
	uint32_t args_size;    /* 8*(nparams + has_result) */
	uint32_t flags;	       /* EP_FUNC_* */
	uint32_t line;	       /* source line of the declaration */
	uint64_t args_ptrmask; /* bit i: argument word i is a pointer */
	uint32_t ncallsites;   /* sorted by retpc */
	uint32_t nstackobjs;   /* sorted by off */
	const struct ep_callsite *callsites;
	const struct ep_stackobj *stackobjs;
};

enum ep_unsafe_kind {
	EP_UNSAFE_PROLOGUE = 1,
	EP_UNSAFE_EPILOGUE = 2,
	EP_UNSAFE_GCATOMIC = 3,
	EP_UNSAFE_WRITEBARRIER = 4,
};

struct ep_unsafe {
	uint64_t start, end; /* [start, end) */
	uint32_t kind;	     /* enum ep_unsafe_kind */
	uint32_t pad;
};

struct ep_type {
	uint64_t size;		/* bytes without the header, a multiple of 8 */
	const uint8_t *ptrmask; /* size/8 bits */
	const char *name;	/* Go spelling, e.g. "main.node" or "[4]int" */
};

struct ep_module {
	uint64_t magic;	  /* EP_META_MAGIC */
	uint32_t version; /* EP_META_VERSION */
	uint32_t arch;	  /* enum ep_arch (abi.h) */
	uint64_t nfuncs;
	const struct ep_func *funcs; /* sorted by entry */
	uint64_t ntypes;
	const struct ep_type *types;
	uint64_t nunsafe;
	const struct ep_unsafe *unsafe; /* sorted by start */
	uint64_t globals_start; /* workload globals: [start, start+size) */
	uint64_t globals_size;
	const uint8_t *globals_ptrmask; /* globals_size/8 bits */
	const uint8_t *globals_init;	/* initial image of the globals, for
					   persistent-mode reset (same size) */
	const char *source_file;	/* path as given to gosub */
};

/*
 * .everypc_oracle layout: an ep_oracle_head, then nrecs ep_oracle_rec sorted
 * by start, then ncalls ep_oracle_call sorted by retpc, then the offset
 * arrays. slots_off and live_off are byte offsets from the start of the
 * section to int32 SP-relative offsets (nslots, nlive of them).
 */
struct ep_oracle_head {
	uint64_t magic;	  /* EP_ORACLE_MAGIC */
	uint32_t version; /* EP_ORACLE_VERSION */
	uint32_t nrecs;
	uint32_t ncalls;
	uint32_t pad;
	uint64_t clobber_regs; /* GDB registers gosub writes (META-8) */
};

struct ep_oracle_rec {
	uint64_t start, end; /* [start, end) */
	uint64_t regmask;    /* bit n: GDB register n holds a live pointer */
	uint64_t livemask;   /* bit n: GDB register n holds a live value */
	uint32_t slots_off;  /* frame words holding a live pointer */
	uint32_t nslots;
	uint32_t live_off; /* frame words holding a live value (META-8) */
	uint32_t nlive;
};

struct ep_oracle_call { /* META-8: a caller's frame during the call */
	uint64_t retpc;
	uint32_t live_off;
	uint32_t nlive;
};

/* Bitmap helper shared by every reader. */
static inline int ep_bit(const uint8_t *mask, uint64_t i)
{
	return (mask[i / 8] >> (i % 8)) & 1;
}

#endif
