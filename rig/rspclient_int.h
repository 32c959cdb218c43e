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
};

#endif
