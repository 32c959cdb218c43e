/*
 * fuzz_rsp.c -- libFuzzer target for the RSP codec (rig/rsp.c): the input is
 * a byte stream from a stub.
 *
 * Checked besides the sanitizers' own reports (RSP-1..3):
 *  - decoding the stream whole and one byte at a time gives the same events
 *    (a stub's bytes arrive in any split);
 *  - a packet body is at most RSP_PACKET_MAX bytes and NUL-terminated;
 *  - every body is run through the reply parsers (stop reply, Exx, hex
 *    payload, hex number), and re-encoded with rsp_encode it decodes to
 *    the same body.
 */
#include "rsp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVENTS 4096

struct evrec {
	enum rsp_event_kind kind;
	size_t len;
	uint32_t hash; /* of the body */
};

static struct rsp_decoder dec_whole, dec_bytes, dec_round;
static struct evrec ev_whole[MAX_EVENTS], ev_bytes[MAX_EVENTS];
static char frame[2 * RSP_PACKET_MAX + 8];
static uint8_t bytes[RSP_PACKET_MAX];
static struct rsp_stop stop;

static uint32_t fnv(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 16777619u;
	return h;
}

static void check_body(const struct rsp_event *ev)
{
	struct rsp_error err;
	unsigned code;
	uint64_t v;
	size_t used;
	if (ev->len > RSP_PACKET_MAX || ev->data[ev->len] != 0)
		abort();
	rsp_parse_stop(ev->data, ev->len, &stop, &err);
	if (stop.nregs > RSP_STOP_MAX_REGS)
		abort();
	rsp_reply_is_error(ev->data, ev->len, &code);
	rsp_hex_decode(bytes, ev->data, ev->len & ~(size_t)1, 1, &err);
	rsp_hex_decode(bytes, ev->data, ev->len, 0, &err);
	if (rsp_parse_hex(ev->data, ev->len, &v, &used, &err) == 0 &&
	    (used == 0 || used > 16 || used > ev->len))
		abort();

	/* RSP-1: encode, then decode: the same body. */
	size_t n = rsp_encode(frame, sizeof frame, ev->data, ev->len);
	if (n > 2 * ev->len + 4 || n > sizeof frame)
		abort();
	struct rsp_event back;
	static int round_ready;
	if (!round_ready) { /* it ends every round trip idle: init once */
		rsp_decoder_init(&dec_round);
		round_ready = 1;
	}
	size_t used_in = rsp_decode(&dec_round, frame, n, &back);
	if (used_in != n || back.kind != RSP_EV_PACKET || back.len != ev->len ||
	    memcmp(back.data, ev->data, ev->len) != 0)
		abort();
}

static size_t decode_all(struct rsp_decoder *d, const uint8_t *in, size_t n,
			 size_t step, struct evrec *out, int check)
{
	size_t nev = 0, off = 0;
	rsp_decoder_init(d);
	while (off < n && nev < MAX_EVENTS) {
		struct rsp_event ev;
		size_t chunk = n - off < step ? n - off : step;
		size_t used = rsp_decode(d, in + off, chunk, &ev);
		if (used > chunk || used == 0 ||
		    (ev.kind == RSP_EV_NONE && used != chunk))
			abort();
		off += used;
		if (ev.kind == RSP_EV_NONE)
			continue;
		out[nev].kind = ev.kind;
		out[nev].len = 0;
		out[nev].hash = 0;
		if (ev.kind == RSP_EV_PACKET || ev.kind == RSP_EV_NOTIFY) {
			out[nev].len = ev.len;
			out[nev].hash = fnv(ev.data, ev.len);
			if (check)
				check_body(&ev);
		}
		nev++;
	}
	return nev;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t a =
	    decode_all(&dec_whole, data, size, size ? size : 1, ev_whole, 1);
	size_t b = decode_all(&dec_bytes, data, size, 1, ev_bytes, 0);
	if (a == MAX_EVENTS || b == MAX_EVENTS)
		return 0;
	if (a != b)
		abort();
	for (size_t i = 0; i < a; i++)
		if (ev_whole[i].kind != ev_bytes[i].kind ||
		    ev_whole[i].len != ev_bytes[i].len ||
		    ev_whole[i].hash != ev_bytes[i].hash)
			abort();
	return 0;
}
