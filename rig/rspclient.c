/*
 * rspclient.c -- the RSP transport and execution commands of rspclient.h
 * over a connected fd; the data commands are in rspcmds.c. Bytes go
 * through the pure codec (rsp.c); this file owns the fd, the deadlines
 * (RSPC-1), acks (RSPC-2), garbage and close handling (RSPC-3) and
 * packet sizes (RSPC-4; rspcmds.c splits data commands to them).
 */
#include "rspclient.h"
#include "rspclient_int.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ==== trace ============================================================== */

void rsp_trace_file(void *file, char dir, const char *data, size_t n)
{
	FILE *f = file;
	fprintf(f, "rsp%c ", dir);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)data[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			fputc(ch, f);
		else
			fprintf(f, "\\x%02x", ch);
	}
	fputc('\n', f);
	fflush(f);
}

static void trace(struct rsp_client *c, char dir, const char *data, size_t n)
{
	if (c->trace)
		c->trace(c->trace_ctx, dir, data, n);
}

static void trace_note(struct rsp_client *c, const char *msg)
{
	trace(c, '!', msg, strlen(msg));
}

/* ==== deadlines and raw I/O =================================================
 */

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Start an operation (RSPC-1): its name for messages, its deadline. */
static void op_begin(struct rsp_client *c, const char *cmd, size_t n,
		     int timeout_ms)
{
	size_t m = n < sizeof c->op - 1 ? n : sizeof c->op - 1;
	for (size_t i = 0; i < m; i++)
		c->op[i] = cmd[i] >= 0x20 && cmd[i] < 0x7f ? cmd[i] : '.';
	c->op[m] = 0;
	c->deadline = now_ms() + timeout_ms;
	c->op_timeout_ms = timeout_ms;
	c->garbage0 = c->dec.garbage;
}

static int wait_fd(struct rsp_client *c, short events, struct rsp_error *err)
{
	for (;;) {
		int64_t left = c->deadline - now_ms();
		if (left <= 0)
			return rsp_fail(
			    err, RSP_E_TIMEOUT,
			    "'%s': the stub stalled: no %s within "
			    "the timeout%s",
			    c->op, events == POLLIN ? "reply" : "room",
			    c->dec.state != RSP_DS_IDLE ? " (mid-packet)" : "");
		struct pollfd p = {.fd = c->fd, .events = events};
		int r = poll(&p, 1, left > 1000000 ? 1000000 : (int)left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return rsp_fail(err, RSP_E_IO, "'%s': poll: %s", c->op,
					strerror(errno));
	}
}

#ifndef MSG_DONTWAIT /* not in POSIX.1-2008: then wait for room first */
#define MSG_DONTWAIT 0
#define RSPC_WAIT_FIRST 1
#else
#define RSPC_WAIT_FIRST 0
#endif

static int write_all(struct rsp_client *c, const char *p, size_t n,
		     struct rsp_error *err)
{
	while (n) {
		/* a few bytes into an idle socket: try first, wait for room
		   only when there is none (RSPC-1 still bounds the wait) */
		if (RSPC_WAIT_FIRST && wait_fd(c, POLLOUT, err) < 0)
			return -1;
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == ENOTSOCK) {
			if (wait_fd(c, POLLOUT, err) < 0)
				return -1;
			w = write(c->fd, p, n);
		}
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(c, POLLOUT, err) < 0)
				return -1;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EPIPE || errno == ECONNRESET))
			return rsp_fail(err, RSP_E_CLOSED,
					"'%s': the stub closed the connection",
					c->op);
		if (w < 0)
			return rsp_fail(err, RSP_E_IO, "'%s': write: %s", c->op,
					strerror(errno));
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int fill(struct rsp_client *c, struct rsp_error *err)
{
	if (wait_fd(c, POLLIN, err) < 0)
		return -1;
	ssize_t r;
	do
		r = read(c->fd, c->in, sizeof c->in);
	while (r < 0 && errno == EINTR);
	if (r == 0 || (r < 0 && errno == ECONNRESET))
		return rsp_fail(err, RSP_E_CLOSED,
				"'%s': the stub closed the connection%s", c->op,
				c->dec.state != RSP_DS_IDLE
				    ? " in the middle of a packet"
				    : " before replying");
	if (r < 0)
		return rsp_fail(err, RSP_E_IO, "'%s': read: %s", c->op,
				strerror(errno));
	c->inpos = 0;
	c->inlen = (size_t)r;
	return 0;
}

/* The next decoder event (never RSP_EV_NONE), reading as needed. */
static int next_event(struct rsp_client *c, struct rsp_event *ev,
		      struct rsp_error *err)
{
	for (;;) {
		if (c->inpos == c->inlen && fill(c, err) < 0)
			return -1;
		c->inpos += rsp_decode(&c->dec, c->in + c->inpos,
				       c->inlen - c->inpos, ev);
		if (c->dec.garbage - c->garbage0 > RSPC_GARBAGE_MAX)
			return rsp_fail(
			    err, RSP_E_PROTO,
			    "'%s': the stub sent more than %d bytes "
			    "of garbage outside packets (stream byte "
			    "%" PRIu64 ")",
			    c->op, RSPC_GARBAGE_MAX, c->dec.pos);
		if (ev->kind != RSP_EV_NONE)
			return 0;
	}
}

/* ==== packets ================================================================
 */

static int send_raw(struct rsp_client *c, const char *p, size_t n,
		    struct rsp_error *err)
{
	return write_all(c, p, n, err);
}

/* RSPC-2: the '+' owed for the last packet received, now, on its own. */
static int pay_ack(struct rsp_client *c, struct rsp_error *err)
{
	if (!c->ack_owed)
		return 0;
	c->ack_owed = 0;
	return send_raw(c, "+", 1, err);
}

static void keep_reply(struct rsp_client *c, const struct rsp_event *ev)
{
	memcpy(c->reply, ev->data, ev->len + 1);
	c->reply_len = ev->len;
	trace(c, '<', c->reply, c->reply_len);
}

/* After sending a packet in ack mode, wait for '+' (RSPC-2). */
static int wait_ack(struct rsp_client *c, size_t framed, struct rsp_error *err)
{
	int naks = 0;
	for (;;) {
		struct rsp_event ev;
		if (next_event(c, &ev, err) < 0)
			return -1;
		if (ev.kind == RSP_EV_ACK)
			return 0;
		if (ev.kind == RSP_EV_PACKET) { /* implicit ack */
			keep_reply(c, &ev);
			c->have_pending = 1;
			c->ack_owed = 1;
			return 0;
		}
		if (ev.kind == RSP_EV_NAK) {
			trace_note(c, "nak: resending");
			if (++naks > RSPC_RETRIES)
				return rsp_fail(err, RSP_E_PROTO,
						"'%s': the stub rejected the "
						"packet %d times ('-')",
						c->op, naks);
			if (send_raw(c, c->frame + 1, framed, err) < 0)
				return -1;
		}
	}
}

static int send_packet(struct rsp_client *c, const void *payload, size_t n,
		       struct rsp_error *err)
{
	if (n >= c->packet_size)
		return rsp_fail(err, RSP_E_ARG,
				"'%s': packet of %zu bytes exceeds the stub's "
				"PacketSize %zu",
				c->op, n, c->packet_size);
	/* the frame at c->frame + 1; the owed '+' before it, one write */
	size_t framed =
	    rsp_encode(c->frame + 1, sizeof c->frame - 1, payload, n);
	int owed = c->ack_owed;
	rsp_cache_sent(&c->cache, payload, n);
	trace(c, '>', payload, n);
	c->have_pending = 0;
	c->ack_owed = 0;
	c->frame[0] = '+';
	if (send_raw(c, c->frame + !owed, framed + (size_t)owed, err) < 0)
		return -1;
	return c->noack ? 0 : wait_ack(c, framed, err);
}

/* Receive one packet into c->reply, acking it (RSPC-2). */
static int recv_packet(struct rsp_client *c, struct rsp_error *err)
{
	int bad = 0;
	if (c->have_pending) {
		c->have_pending = 0;
		return 0;
	}
	for (;;) {
		struct rsp_event ev;
		/* the stub sends nothing more before its last packet's ack */
		if (pay_ack(c, err) < 0 || next_event(c, &ev, err) < 0)
			return -1;
		if (ev.kind == RSP_EV_PACKET) {
			keep_reply(c, &ev);
			c->ack_owed = !c->noack; /* sent with the next packet */
			return 0;
		}
		if (ev.kind == RSP_EV_NOTIFY)
			trace(c, '!', ev.data, ev.len);
		if (ev.kind != RSP_EV_BAD)
			continue; /* stray acks, interrupts */
		trace_note(c, ev.err.msg);
		if (c->noack || ++bad > RSPC_RETRIES)
			return rsp_fail(err, RSP_E_PROTO, "'%s': bad reply: %s",
					c->op, ev.err.msg);
		if (send_raw(c, "-", 1, err) < 0)
			return -1;
	}
}

/* ==== lifecycle
 * ================================================================= */

struct rsp_client *rsp_client_new(int fd, const struct rsp_client_opts *opts,
				  struct rsp_error *err)
{
	struct rsp_client *c = calloc(1, sizeof *c);
	if (!c) {
		rsp_fail(err, RSP_E_IO, "out of memory");
		return NULL;
	}
	c->fd = fd;
	c->timeout_ms = opts && opts->timeout_ms ? opts->timeout_ms : 5000;
	c->resume_timeout_ms =
	    opts && opts->resume_timeout_ms ? opts->resume_timeout_ms : 30000;
	c->trace = opts ? opts->trace : NULL;
	c->trace_ctx = opts ? opts->trace_ctx : NULL;
	c->packet_size = RSP_QEMU_PACKET_SIZE; /* until qSupported says */
	rsp_decoder_init(&c->dec);
	return c;
}

void rsp_client_close(struct rsp_client *c)
{
	struct rsp_error e;
	if (!c)
		return;
	if (c->fd >= 0) {
		(void)pay_ack(c, &e); /* best effort: the stub may be gone */
		close(c->fd);
	}
	free(c);
}

size_t rsp_client_packet_size(const struct rsp_client *c)
{
	return c->packet_size;
}

int rsp_client_noack(const struct rsp_client *c) { return c->noack; }

int rsp_client_settle(struct rsp_client *c, struct rsp_error *err)
{
	rsp_cache_drop(&c->cache); /* the connection is lent */
	op_begin(c, "+", 1, c->timeout_ms);
	return pay_ack(c, err);
}

int rsp_client_fd(const struct rsp_client *c) { return c->fd; }

uint64_t rsp_client_garbage(const struct rsp_client *c)
{
	return c->dec.garbage;
}

/* ==== requests
 * ==================================================================== */

int rsp_client_request(struct rsp_client *c, const void *cmd, size_t n,
		       const char **reply, size_t *len, struct rsp_error *err)
{
	op_begin(c, cmd, n, c->timeout_ms);
	if (send_packet(c, cmd, n, err) < 0 || recv_packet(c, err) < 0)
		return -1;
	if (reply)
		*reply = c->reply;
	if (len)
		*len = c->reply_len;
	return 0;
}

int rsp_client_command(struct rsp_client *c, const char *cmd, int expect_ok,
		       const char **reply, size_t *len, struct rsp_error *err)
{
	const char *r;
	size_t n;
	unsigned code;
	if (rsp_client_request(c, cmd, strlen(cmd), &r, &n, err) < 0)
		return -1;
	if (rsp_reply_is_error(r, n, &code))
		return rsp_fail(err, RSP_E_STUB,
				"'%s': the stub answered E%02x", c->op, code);
	if (n == 0)
		return rsp_fail(err, RSP_E_UNSUPPORTED,
				"'%s': the stub does not support it (empty "
				"reply)",
				c->op);
	if (expect_ok && strcmp(r, "OK") != 0)
		return rsp_fail(err, RSP_E_PROTO,
				"'%s': expected 'OK', got '%.40s'", c->op, r);
	if (reply)
		*reply = r;
	if (len)
		*len = n;
	return 0;
}

/* ==== handshake
 * ==================================================================== */

int rsp_client_supports(const struct rsp_client *c, const char *name)
{
	size_t k = strlen(name);
	const char *p = c->features;
	while (*p) {
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n > k && strncmp(p, name, k) == 0 &&
		    (p[k] == '+' || p[k] == '='))
			return 1;
		p += n + (end ? 1 : 0);
	}
	return 0;
}

static int parse_packet_size(struct rsp_client *c, struct rsp_error *err)
{
	const char *p = strstr(c->features, "PacketSize=");
	uint64_t v;
	if (!p)
		return 0; /* keep the default */
	p += strlen("PacketSize=");
	if (rsp_parse_hex(p, strcspn(p, ";"), &v, NULL, err) < 0 || v < 64)
		return rsp_fail(err, RSP_E_PROTO,
				"qSupported: bad PacketSize in '%.60s'",
				c->features);
	c->packet_size = v > RSP_PACKET_MAX ? RSP_PACKET_MAX : (size_t)v;
	return 0;
}

int rsp_client_handshake(struct rsp_client *c, struct rsp_error *err)
{
	const char *r;
	size_t n;
	if (rsp_client_command(c, "qSupported:swbreak+", 0, &r, &n, err) < 0)
		return -1;
	size_t m = n < sizeof c->features - 1 ? n : sizeof c->features - 1;
	memcpy(c->features, r, m);
	c->features[m] = 0;
	if (parse_packet_size(c, err) < 0)
		return -1;
	if (rsp_client_request(c, "QStartNoAckMode", 15, &r, &n, err) < 0)
		return -1;
	if (strcmp(r, "OK") == 0) {
		c->noack = 1;
		trace_note(c, "no-ack mode");
	} else {
		trace_note(c, "ack mode (QStartNoAckMode refused)");
	}
	return 0;
}

/* ==== execution
 * ===========================================================================
 */

int rsp_client_wait_stop(struct rsp_client *c, struct rsp_stop *st,
			 struct rsp_error *err)
{
	for (;;) {
		struct rsp_error e;
		if (recv_packet(c, err) < 0) {
			/* Nothing at all within the time: the stub answers a
			   resume only when the guest stops, so it is the guest
			   that did not stop (a hang), not the stub that
			   stalled. */
			if (err->kind == RSP_E_TIMEOUT &&
			    c->dec.state == RSP_DS_IDLE)
				rsp_fail(
				    err, RSP_E_TIMEOUT,
				    "'%s': the guest did not stop within the "
				    "timeout (%d ms)",
				    c->op, c->op_timeout_ms);
			return -1;
		}
		if (rsp_parse_stop(c->reply, c->reply_len, st, &e) < 0)
			return rsp_fail(err, RSP_E_PROTO,
					"'%s': bad stop reply '%.40s': %s",
					c->op, c->reply, e.msg);
		if (st->kind != RSP_STOP_OUTPUT)
			return 0;
	}
}

int rsp_client_wait_stop_for(struct rsp_client *c, int timeout_ms,
			     struct rsp_stop *st, struct rsp_error *err)
{
	op_begin(c, "(stop)", 6, timeout_ms);
	return rsp_client_wait_stop(c, st, err);
}

static int resume(struct rsp_client *c, const char *cmd, struct rsp_stop *st,
		  struct rsp_error *err)
{
	op_begin(c, cmd, strlen(cmd), c->resume_timeout_ms);
	if (send_packet(c, cmd, strlen(cmd), err) < 0)
		return -1;
	return rsp_client_wait_stop(c, st, err);
}

int rsp_client_query_stop(struct rsp_client *c, struct rsp_stop *st,
			  struct rsp_error *err)
{
	return resume(c, "?", st, err);
}

int rsp_client_step(struct rsp_client *c, struct rsp_stop *st,
		    struct rsp_error *err)
{
	return resume(c, "s", st, err);
}

int rsp_client_cont(struct rsp_client *c, struct rsp_stop *st,
		    struct rsp_error *err)
{
	return resume(c, "c", st, err);
}

int rsp_client_cont_sig(struct rsp_client *c, unsigned gdbsig,
			struct rsp_stop *st, struct rsp_error *err)
{
	char cmd[8];
	if (gdbsig > 0xff)
		return rsp_fail(err, RSP_E_ARG, "C: signal %u out of range",
				gdbsig);
	snprintf(cmd, sizeof cmd, "C%02x", gdbsig);
	return resume(c, cmd, st, err);
}

int rsp_client_interrupt(struct rsp_client *c, struct rsp_error *err)
{
	rsp_cache_drop(&c->cache);
	op_begin(c, "\\x03", 4, c->resume_timeout_ms);
	trace(c, '>', "\x03", 1);
	return pay_ack(c, err) < 0 ? -1 : send_raw(c, "\x03", 1, err);
}

/* Wait until the stub closes or reports the end; the close is success. */
static int wait_gone(struct rsp_client *c, struct rsp_error *err)
{
	struct rsp_error e;
	for (;;) {
		if (recv_packet(c, &e) < 0)
			return e.kind == RSP_E_CLOSED
				   ? 0
				   : rsp_fail(err, e.kind, "%s", e.msg);
		if (c->reply[0] == 'W' || c->reply[0] == 'X')
			return 0;
	}
}

int rsp_client_kill(struct rsp_client *c, unsigned pid, struct rsp_error *err)
{
	char cmd[32];
	const char *r;
	size_t n;
	struct rsp_error e;
	snprintf(cmd, sizeof cmd, "vKill;%x", pid);
	if (rsp_client_request(c, cmd, strlen(cmd), &r, &n, &e) < 0)
		return e.kind == RSP_E_CLOSED
			   ? 0
			   : rsp_fail(err, e.kind, "%s", e.msg);
	if (strcmp(r, "OK") == 0)
		return wait_gone(c, err);
	op_begin(c, "k", 1, c->timeout_ms);
	if (send_packet(c, "k", 1, &e) < 0)
		return e.kind == RSP_E_CLOSED
			   ? 0
			   : rsp_fail(err, e.kind, "%s", e.msg);
	return wait_gone(c, err);
}
