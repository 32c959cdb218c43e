/*
 * rspclient.h -- a GDB RSP client over a connected stream fd (the unix
 * socket of QEMU's gdbstub): framing through the pure codec of rsp.h,
 * acknowledgements, timeouts, and the commands the rig needs.
 *
 * INVARIANTS (cited as "RSPC-n"):
 *
 * RSPC-1 One request is in flight at a time; every call either returns a
 *        complete, checked reply or fails with an rsp_error that names the
 *        command. Nothing blocks longer than the operation's timeout: each
 *        wait is a poll() against a deadline taken when the operation began
 *        (timeout_ms for requests, resume_timeout_ms for s/c/C/?).
 *
 * RSPC-2 Acks. In ack mode every packet received is answered '+' (or '-'
 *        when it is bad, at most RSPC_RETRIES times), and every packet sent
 *        waits for '+', resending on '-' at most RSPC_RETRIES times. The
 *        '+' for a packet received goes out with the next packet sent, in
 *        one write ("+$c#63"), or on its own before the client waits for
 *        another packet, interrupts, lends the connection
 *        (rsp_client_settle) or closes it: never later than the stub needs
 *        it, and one system call fewer per request. QEMU 7.2
 *        user mode waits for our '+' before it does anything else, so a
 *        missing ack stalls it. The handshake tries QStartNoAckMode; QEMU
 *        7.2 answers it with an empty packet and the client stays in ack
 *        mode. Stray acks outside a wait are ignored.
 *
 * RSPC-3 Garbage (bytes outside packets) is tolerated up to RSPC_GARBAGE_MAX
 *        bytes per operation, then the operation fails. A closed connection
 *        fails the operation at once (RSP_E_CLOSED), saying whether it
 *        closed mid-packet.
 *
 * RSPC-4 Packet sizes. Nothing sent is longer than the stub's PacketSize
 *        (QEMU: 4096, its line buffer, RSP-2) and no reply solicited is
 *        longer than RSP_PACKET_MAX: memory reads and writes and qXfer
 *        reads are split accordingly.
 *
 * QEMU user mode reads the socket only while the guest is stopped, so an
 * interrupt (0x03) sent while it runs is seen only at the next stop; use
 * breakpoints to regain control.
 */
#ifndef EVERYPC_RSPCLIENT_H
#define EVERYPC_RSPCLIENT_H

#include "rsp.h"

#include <stdio.h>

#define RSPC_RETRIES 3
#define RSPC_GARBAGE_MAX 4096
#define RSPC_XFER_MAX (4u << 20) /* largest qXfer object accepted */

/* dir: '>' packet sent, '<' packet received, '!' an event (nak, bad
 * packet, garbage, ack-mode change), with a human-readable text. */
typedef void (*rsp_trace_fn)(void *ctx, char dir, const char *data, size_t n);

/* A trace hook writing one line per packet to the FILE* ctx, like
 * `rsp> m4000,8` / `rsp< 0102...`; bytes outside 0x20..0x7e as \xNN. */
void rsp_trace_file(void *file, char dir, const char *data, size_t n);

struct rsp_client_opts {
	int timeout_ms;	       /* per request; 0: 5000 */
	int resume_timeout_ms; /* waiting for a stop after s/c/C; 0: 30000 */
	rsp_trace_fn trace;    /* may be NULL */
	void *trace_ctx;
};

struct rsp_client;

/* Take ownership of the connected fd (closed by rsp_client_close). */
struct rsp_client *rsp_client_new(int fd, const struct rsp_client_opts *opts,
				  struct rsp_error *err);
void rsp_client_close(struct rsp_client *c);
/* RSPC-3 off: every read asks the stub (a benchmark of round trips). */
void rsp_client_no_cache(struct rsp_client *c);

/* qSupported, then QStartNoAckMode (RSPC-2). */
int rsp_client_handshake(struct rsp_client *c, struct rsp_error *err);
size_t rsp_client_packet_size(const struct rsp_client *c);
int rsp_client_noack(const struct rsp_client *c);
/* Send the ack still owed (RSPC-2): before lending the connection. */
int rsp_client_settle(struct rsp_client *c, struct rsp_error *err);
/* The connected fd, for lending the idle connection to a debugger
   (gdbproxy.h, after rsp_client_settle); the client still owns it. */
int rsp_client_fd(const struct rsp_client *c);
/* 1 when qSupported listed "name+" (or "name=..."). */
int rsp_client_supports(const struct rsp_client *c, const char *name);
/* Total garbage bytes skipped on this connection (RSP-1). */
uint64_t rsp_client_garbage(const struct rsp_client *c);

/*
 * Send one command and wait for its reply. *reply points into the client
 * (valid until the next call), NUL-terminated. An Exx reply is returned as
 * a reply, not an error; use rsp_client_command for that.
 */
int rsp_client_request(struct rsp_client *c, const void *cmd, size_t n,
		       const char **reply, size_t *len, struct rsp_error *err);
/* Like request, but Exx is RSP_E_STUB and an empty reply RSP_E_UNSUPPORTED;
 * expect_ok: anything but "OK" is an error. */
int rsp_client_command(struct rsp_client *c, const char *cmd, int expect_ok,
		       const char **reply, size_t *len, struct rsp_error *err);

/* qXfer:OBJECT:read:ANNEX in chunks; *data is malloc'd, NUL-terminated. */
int rsp_client_xfer_read(struct rsp_client *c, const char *object,
			 const char *annex, char **data, size_t *len,
			 struct rsp_error *err);

/* Registers, as raw target-order bytes. */
int rsp_client_read_regs(struct rsp_client *c, uint8_t *buf, size_t cap,
			 size_t *len, struct rsp_error *err);
int rsp_client_write_regs(struct rsp_client *c, const uint8_t *buf, size_t n,
			  struct rsp_error *err);
int rsp_client_read_reg(struct rsp_client *c, unsigned regnum, uint8_t *buf,
			size_t cap, size_t *len, struct rsp_error *err);
int rsp_client_write_reg(struct rsp_client *c, unsigned regnum,
			 const uint8_t *buf, size_t n, struct rsp_error *err);

/* Memory, split to the packet size (RSPC-4). */
int rsp_client_read_mem(struct rsp_client *c, uint64_t addr, void *buf,
			size_t n, struct rsp_error *err);
int rsp_client_write_mem(struct rsp_client *c, uint64_t addr, const void *buf,
			 size_t n, struct rsp_error *err);

/* Z0/z0 software breakpoints; kind is the arch's breakpoint length. */
int rsp_client_set_break(struct rsp_client *c, uint64_t addr, unsigned kind,
			 struct rsp_error *err);
int rsp_client_clear_break(struct rsp_client *c, uint64_t addr, unsigned kind,
			   struct rsp_error *err);

/* Resume and wait for the next stop (console output packets are traced and
 * skipped). cont_sig takes a GDB signal number (RSP_GDB_SIGURG = 16). */
int rsp_client_query_stop(struct rsp_client *c, struct rsp_stop *st,
			  struct rsp_error *err);
int rsp_client_step(struct rsp_client *c, struct rsp_stop *st,
		    struct rsp_error *err);
int rsp_client_cont(struct rsp_client *c, struct rsp_stop *st,
		    struct rsp_error *err);
int rsp_client_cont_sig(struct rsp_client *c, unsigned gdbsig,
			struct rsp_stop *st, struct rsp_error *err);
/* Wait for a stop the stub owes us from outside any request -- e.g. after
 * a signal sent to QEMU's process (QEMU user mode reads no 0x03 while the
 * guest runs) -- with a deadline of its own, not the failed request's. */
int rsp_client_wait_stop_for(struct rsp_client *c, int timeout_ms,
			     struct rsp_stop *st, struct rsp_error *err);
/* Send 0x03; then rsp_client_wait_stop. */
int rsp_client_interrupt(struct rsp_client *c, struct rsp_error *err);
int rsp_client_wait_stop(struct rsp_client *c, struct rsp_stop *st,
			 struct rsp_error *err);

/* vKill;pid (or `k` when vKill is unsupported); succeeds once the stub has
 * acknowledged or closed the connection. */
int rsp_client_kill(struct rsp_client *c, unsigned pid, struct rsp_error *err);

#endif
