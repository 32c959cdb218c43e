/*
 * rspclient_int.h -- the RSP client's state, shared by its transport
 * (rspclient.c: fd, deadlines, acks, packets, handshake, execution) and
 * its data commands (rspcmds.c: qXfer, registers, memory, breakpoints).
 * Private to those two files.
 */
#ifndef EVERYPC_RSPCLIENT_INT_H
#define EVERYPC_RSPCLIENT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "rspclient.h"

/* RSPC-3: what the stub answered since the guest last ran. While the
   guest is stopped its memory and registers change only through our own
   writes (the runtime is one thread; QEMU's user-mode stub stops only the
   thread that trapped), so a read of bytes already read, or just written
   through rsp_client_write_mem, is answered here. Any packet that may
   change them otherwise (a resume, ?, k, an X or a raw M, Q...), an
   interrupt and lending the connection drop it; G and P drop the
   registers (what a G sets is read back, not assumed: a stub may ignore
   or mask a register).

   RSPC-5: a read of a few bytes asks for the whole aligned block that
   holds them (RSP_CACHE_BYTES, or the largest power of two a reply can
   carry), as one m: the runtime's variables that one stop reads lie
   close together (allg, the mark state, a span's bits), and a request
   costs the same for 8 bytes as for 1024 (README, "Where a case's time
   goes"). An aligned block never crosses a page, so it is readable
   whenever the bytes asked for are; should the stub refuse it all the
   same, exactly the bytes asked for are asked again. */
#define RSP_CACHE_ENTRIES 32
#define RSP_CACHE_BYTES 1024
#define RSP_CACHE_REGS 2048
struct rsp_cache {
	struct {
		uint64_t addr;
		size_t len; /* 0: unused */
		uint8_t data[RSP_CACHE_BYTES];
	} mem[RSP_CACHE_ENTRIES];
	int next;	 /* the entry a new read replaces */
	size_t regs_len; /* 0: not known */
	uint8_t regs[RSP_CACHE_REGS];
	int writing; /* rsp_client_write_mem's M: it updates the cache */
	int off;     /* rsp_client_no_cache() */
};

/* rspcmds.c */
void rsp_cache_drop(struct rsp_cache *k);
void rsp_cache_sent(struct rsp_cache *k, const char *payload, size_t n);

struct rsp_client {
	int fd;
	int timeout_ms, resume_timeout_ms;
	rsp_trace_fn trace;
	void *trace_ctx;
	int noack;
	size_t packet_size;
	char features[1024]; /* the qSupported reply */
	int64_t deadline;    /* of the operation in progress, ms */
	int op_timeout_ms;   /* its timeout */
	uint64_t garbage0;   /* decoder garbage count when it began */
	char op[40];	     /* its command, for messages */
	int have_pending;    /* a packet arrived while waiting for an ack */
	int ack_owed;	     /* RSPC-2: '+' for the last packet, not sent */
	uint8_t in[4096];    /* received, not yet decoded */
	size_t inpos, inlen;
	struct rsp_decoder dec;
	char reply[RSP_PACKET_MAX + 1];
	size_t reply_len;
	char frame[2 * RSP_PACKET_MAX + 4];
	char cmd[RSP_PACKET_MAX + 1];
	struct rsp_cache cache;
};

#endif
