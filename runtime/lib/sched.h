/*
 * sched.h -- internal interfaces of the runtime's scheduler half (proc.c,
 * runq.c, chan.c, print.c, signal.c, preempt.c, rig.c, arch/<arch>/arch.c,
 * arch/<arch>/sys.S). The memory half sees only rt.h.
 *
 * INVARIANTS (cited as "SCHED-n"):
 * SCHED-1 Every runtime entry point (arch/<arch>/sys.S) saves the caller's
 *         synchronous context in g->sched, switches to the top of g0's stack
 *         and calls a C function `struct rt_g *rt_e_<name>(struct rt_g *g)`
 *         that returns the goroutine to resume; the stub then jumps to
 *         rt_gogo. g0's C frames never survive a switch to a goroutine, so
 *         each entry starts on an empty g0 stack.
 * SCHED-2 Every C entry returns through rt_run(), which writes a pending
 *         result (g->ret_pending) into the caller's result slot computed
 *         from g->sched.sp at that moment -- after any GC or stack move.
 * SCHED-3 The run queue is FIFO through g->schedlink; a g is on at most one
 *         queue (run queue or one channel wait queue) at a time.
 * SCHED-4 Arguments of an entry point are read from g->sched.sp only after
 *         rt_maybe_shrink_pending() (RT-3), which may move the stack.
 */
#ifndef EVERYPC_SCHED_H
#define EVERYPC_SCHED_H

#include "everypc/rig_abi.h"
#include "rt.h"

#define RT_NORETURN __attribute__((noreturn))

/* ---- per-arch (arch/<arch>/arch.c) ---- */
struct rt_sysnums {
	long write, exit_group, mmap, munmap, rt_sigaction, rt_sigprocmask,
	    sigaltstack, setitimer;
};
extern const struct rt_sysnums rt_sysnr;
extern const uint32_t rt_arch_async_frame; /* asyncPreempt frame bytes */
long rt_arch_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
		     long a5);
uint64_t rt_arch_ctx_pc(const void *uc);
uint64_t rt_arch_ctx_sp(const void *uc);
uint64_t rt_arch_ctx_g(const void *uc); /* the g register */
/* Rewrite the context to call target from the interrupted PC the way
   Go's pushCall does (ABI-6): the call returns to the interrupted PC. */
void rt_arch_ctx_pushcall(void *uc, uint64_t target);
/* Rewrite the context as if the interrupted PC had called target (a call
   that never returns: the PC becomes its return address). */
void rt_arch_ctx_fakecall(void *uc, uint64_t target);
typedef void (*rt_sighandler_fn)(int, void *, void *);
long rt_arch_sigaction(int sig, rt_sighandler_fn h, uint64_t flags);

/* ---- assembly (arch/<arch>/sys.S) ---- */
RT_NORETURN void rt_gogo(struct rt_g *g);
RT_NORETURN void rt_g0_run(void (*fn)(void)); /* fresh g0 stack, call fn */
extern char rt_goexit[] __asm__("rt_goexit");
extern char asyncPreempt[] __asm__("asyncPreempt");
extern char rt_sigreturn_tramp[] __asm__("rt_sigreturn_tramp");
extern char rt_main_main[] __asm__("main.main");

/* ---- syscalls (proc.c) ---- */
long rt_sys_write(int fd, const void *p, uint64_t n);
RT_NORETURN void rt_sys_exit(int status);
int rt_sys_map_fixed(uint64_t addr, uint64_t len); /* 0 or -errno */

/* ---- run queue (runq.c) ---- */
struct rt_gqueue {
	struct rt_g *head, *tail;
};
void rt_gq_put(struct rt_gqueue *q, struct rt_g *g);
struct rt_g *rt_gq_get(struct rt_gqueue *q);
int rt_gq_remove(struct rt_gqueue *q, struct rt_g *g);
extern struct rt_gqueue rt_runq;
void rt_ready(struct rt_g *g); /* make runnable, append to rt_runq */

/* ---- scheduler (proc.c) ---- */
enum rt_waitreason {
	RT_WAIT_NONE = 0,
	RT_WAIT_CHAN_SEND,
	RT_WAIT_CHAN_RECV,
	RT_WAIT_CHAN_SEND_NIL,
	RT_WAIT_CHAN_RECV_NIL,
};
struct rt_g *rt_run(struct rt_g *g); /* SCHED-2: resume g */
/* next runnable g, or deadlock; first a mark slice while a cycle marks */
struct rt_g *rt_schedule(void);
void rt_park(struct rt_g *g, uint32_t reason); /* g blocks (not queued) */
void rt_set_result(struct rt_g *g, uint32_t slot, int64_t v);
uint64_t *rt_args(struct rt_g *g); /* argument words at g->sched.sp */
/* First step of every entry: check g, do a pending shrink (RT-3, SCHED-4). */
void rt_sync_point(struct rt_g *g);
RT_NORETURN void rt_iter_finish(int status);
extern uint64_t rt_iteration;

/* ---- channels (chan.c) ---- */
struct rt_hchan;
struct rt_hchan *rt_chan_make(int64_t cap);
/* 0: done (recv: *v set); 1: g must block (it is queued on the channel) */
int rt_chan_send(struct rt_hchan *c, struct rt_g *g, int64_t v);
int rt_chan_recv(struct rt_hchan *c, struct rt_g *g, int64_t *v);

/* ---- output and errors (print.c) ---- */
void rt_out_reset(void);
void rt_out_bytes(const char *p, uint64_t n);
void rt_out_flush(void);
void rt_out_str(const char *s);
void rt_out_int(int64_t v);
void rt_out_hex(uint64_t v);
RT_NORETURN void rt_panic(struct rt_g *g, const char *msg, const char *extra);
RT_NORETURN void rt_fatal(struct rt_g *g, const char *msg); /* "fatal error" */
uint64_t rt_strlen(const char *s);
void rt_memmove(void *dst, const void *src, uint64_t n);
void rt_memset(void *dst, int c, uint64_t n);

/* ---- signals and preemption (signal.c, preempt.c) ---- */
void rt_signal_init(void);
void rt_stress_arm(uint64_t usec);
int rt_is_async_safe_point(struct rt_g *g, uint64_t pc, uint64_t sp);
void rt_preempt_signal(void *uc, int timer);
/* RIG-8: the rig's req_mark_slices, taken (cleared) and acted on for g,
   which was just parked asynchronously (rt_gc_mark_parked). */
void rt_mark_request(struct rt_g *g);
extern uint64_t rt_fault_addr, rt_fault_pc;

/* ---- rig ABI (rig.c) ---- */
extern struct everypc_rig everypc_rig;
extern struct everypc_layout everypc_layout;
void rt_rig_init(void);
void everypc_hook_iter_start(uint64_t iteration);
void everypc_hook_iter_end(uint64_t iteration);
void everypc_hook_parked(struct rt_g *g);
void everypc_hook_throw(const char *msg);
void everypc_hook_gc_done(uint64_t ngc);
void everypc_hook_mark_slice(uint64_t n, uint64_t left);

/* The g pool (proc.c), exported through the layout descriptor. */
#define RT_MAX_G 4096
extern struct rt_g rt_allg[RT_MAX_G];
extern uint64_t rt_nallg;

#endif
