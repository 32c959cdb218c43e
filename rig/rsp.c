/*
 * rsp.c -- the pure GDB RSP codec of rsp.h: a byte-at-a-time decoder state
 * machine, the framing encoder, hex and little-endian helpers, command
 * payload builders and the stop-reply parser. Invariants RSP-1..4 in rsp.h.
 */
#include "rsp.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int rsp_fail(struct rsp_error *err, enum rsp_error_kind kind, const char *fmt,
	     ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		err->kind = kind;
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A byte as it should appear in a message: 'c' or 0xNN. */
static const char *show(int c, char buf[8])
{
	if (c > 0x20 && c < 0x7f)
		snprintf(buf, 8, "'%c'", c);
	else
		snprintf(buf, 8, "0x%02x", (unsigned)c & 0xffu);
	return buf;
}

/* ==== decoder ============================================================ */

void rsp_decoder_init(struct rsp_decoder *d)
{
	memset(d, 0, sizeof *d);
	d->state = RSP_DS_IDLE;
}

/* Mark the current packet bad (first reason wins); decoding goes on to '#'
 * so the stream stays in sync (RSP-2). */
static void dec_bad(struct rsp_decoder *d, const char *fmt, int c)
{
	char b[8];
	if (d->bad)
		return;
	d->bad = 1;
	rsp_fail(&d->err, RSP_E_PROTO, "byte %" PRIu64 ": %s, got %s", d->pos,
		 fmt, show(c, b));
}

static void dec_append(struct rsp_decoder *d, int c)
{
	if (d->len >= RSP_PACKET_MAX) {
		if (!d->bad) {
			d->bad = 1;
			rsp_fail(&d->err, RSP_E_PROTO,
				 "byte %" PRIu64
				 ": packet started at byte %" PRIu64
				 " is longer than %d bytes",
				 d->pos, d->start, RSP_PACKET_MAX);
		}
		return;
	}
	d->buf[d->len++] = (char)c;
}

static void dec_idle(struct rsp_decoder *d, int c, struct rsp_event *ev)
{
	switch (c) {
	case '$':
	case '%':
		d->state = RSP_DS_BODY;
		d->notify = c == '%';
		d->sum = 0;
		d->len = 0;
		d->bad = 0;
		d->start = d->pos;
		return;
	case '+':
		ev->kind = RSP_EV_ACK;
		return;
	case '-':
		ev->kind = RSP_EV_NAK;
		return;
	case 0x03:
		ev->kind = RSP_EV_INTERRUPT;
		return;
	default:
		d->garbage++;
	}
}

static void dec_body(struct rsp_decoder *d, int c)
{
	if (c == '#') {
		d->state = RSP_DS_CSUM1;
		return;
	}
	d->sum += (uint8_t)c;
	if (c == '$')
		dec_bad(d, "expected packet body or '#' ('$' inside packet)",
			c);
	else if (c == '}')
		d->state = RSP_DS_ESCAPE;
	else if (c == '*')
		d->state = RSP_DS_RLE;
	else
		dec_append(d, c);
}

static void dec_escape(struct rsp_decoder *d, int c)
{
	d->state = RSP_DS_BODY;
	if (c == '#') { /* truncated escape: the packet ends here */
		dec_bad(d, "expected escaped byte after '}'", c);
		d->state = RSP_DS_CSUM1;
		return;
	}
	d->sum += (uint8_t)c;
	dec_append(d, c ^ 0x20);
}

static void dec_rle(struct rsp_decoder *d, int c)
{
	d->state = RSP_DS_BODY;
	if (c == '#') {
		dec_bad(d, "expected run-length count after '*'", c);
		d->state = RSP_DS_CSUM1;
		return;
	}
	d->sum += (uint8_t)c;
	if (c < 32 || c > 126 || c == '$' || c == '#')
		dec_bad(d,
			"expected run-length count (printable, not '#' or '$')",
			c);
	else if (d->len == 0)
		dec_bad(d, "expected a byte to repeat before '*'", '*');
	else {
		int prev = (unsigned char)d->buf[d->len - 1];
		for (int i = 0; i < c - 29; i++)
			dec_append(d, prev);
	}
}

static void dec_finish(struct rsp_decoder *d, struct rsp_event *ev)
{
	d->state = RSP_DS_IDLE;
	if (!d->bad && d->csum != d->sum) {
		d->bad = 1;
		rsp_fail(&d->err, RSP_E_PROTO,
			 "byte %" PRIu64
			 ": checksum mismatch: packet at byte %" PRIu64
			 " says %02x, body sums to %02x",
			 d->pos, d->start, d->csum, d->sum);
	}
	if (d->bad) {
		ev->kind = RSP_EV_BAD;
		ev->err = d->err;
		return;
	}
	d->buf[d->len] = 0;
	ev->kind = d->notify ? RSP_EV_NOTIFY : RSP_EV_PACKET;
	ev->data = d->buf;
	ev->len = d->len;
}

static void dec_csum(struct rsp_decoder *d, int c, struct rsp_event *ev)
{
	int v = hexval(c);
	if (v < 0) {
		dec_bad(d, "expected hex checksum digit", c);
		v = 0;
	}
	if (d->state == RSP_DS_CSUM1) {
		d->csum = (uint8_t)(v << 4);
		d->state = RSP_DS_CSUM2;
		return;
	}
	d->csum |= (uint8_t)v;
	dec_finish(d, ev);
}

static void dec_byte(struct rsp_decoder *d, int c, struct rsp_event *ev)
{
	switch (d->state) {
	case RSP_DS_IDLE:
		dec_idle(d, c, ev);
		break;
	case RSP_DS_BODY:
		dec_body(d, c);
		break;
	case RSP_DS_ESCAPE:
		dec_escape(d, c);
		break;
	case RSP_DS_RLE:
		dec_rle(d, c);
		break;
	case RSP_DS_CSUM1:
	case RSP_DS_CSUM2:
		dec_csum(d, c, ev);
		break;
	}
	d->pos++;
}

size_t rsp_decode(struct rsp_decoder *d, const void *in, size_t n,
		  struct rsp_event *ev)
{
	const uint8_t *p = in;
	ev->kind = RSP_EV_NONE;
	ev->data = NULL;
	ev->len = 0;
	for (size_t i = 0; i < n; i++) {
		if (d->state == RSP_DS_BODY) { /* a run of plain body bytes */
			size_t k = i, room = RSP_PACKET_MAX - d->len;
			uint8_t sum = d->sum;
			while (k < n && k - i < room && p[k] != '#' &&
			       p[k] != '$' && p[k] != '}' && p[k] != '*')
				sum += p[k++];
			if (k > i) {
				memcpy(d->buf + d->len, p + i, k - i);
				d->len += k - i;
				d->sum = sum;
				d->pos += k - i;
				if (k == n)
					return n;
				i = k;
			}
		}
		dec_byte(d, p[i], ev);
		if (ev->kind != RSP_EV_NONE)
			return i + 1;
	}
	return n;
}

/* ==== encoder ============================================================ */

static int needs_escape(int c)
{
	return c == '$' || c == '#' || c == '}' || c == '*';
}

size_t rsp_encode(char *out, size_t cap, const void *payload, size_t n)
{
	const uint8_t *p = payload;
	size_t need = 4;
	for (size_t i = 0; i < n; i++)
		need += needs_escape(p[i]) ? 2 : 1;
	if (need > cap)
		return need;
	uint8_t sum = 0;
	size_t o = 0;
	out[o++] = '$';
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (needs_escape(c)) {
			out[o++] = '}';
			sum += '}';
			c ^= 0x20;
		}
		out[o++] = (char)c;
		sum += c;
	}
	static const char digits[] = "0123456789abcdef";
	out[o++] = '#';
	out[o++] = digits[sum >> 4];
	out[o++] = digits[sum & 15];
	return o;
}

/* ==== payload helpers ======================================================
 */

void rsp_hex_encode(char *out, const void *bytes, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *b = bytes;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
}

int rsp_hex_decode(void *out, const char *hex, size_t hexlen, int allow_x,
		   struct rsp_error *err)
{
	uint8_t *o = out;
	char b[8];
	if (hexlen % 2)
		return rsp_fail(err, RSP_E_PROTO,
				"offset %zu: expected an even number of hex "
				"digits, got %zu",
				hexlen, hexlen);
	for (size_t i = 0; i < hexlen; i += 2) {
		if (allow_x && hex[i] == 'x' && hex[i + 1] == 'x') {
			o[i / 2] = 0;
			continue;
		}
		int hi = hexval((unsigned char)hex[i]);
		int lo = hexval((unsigned char)hex[i + 1]);
		if (hi < 0 || lo < 0) {
			size_t at = hi < 0 ? i : i + 1;
			return rsp_fail(
			    err, RSP_E_PROTO,
			    "offset %zu: expected hex digit, got %s", at,
			    show((unsigned char)hex[at], b));
		}
		o[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int rsp_parse_hex(const char *s, size_t n, uint64_t *v, size_t *used,
		  struct rsp_error *err)
{
	uint64_t x = 0;
	size_t i = 0;
	char b[8];
	for (; i < n && hexval((unsigned char)s[i]) >= 0; i++) {
		if (i == 16)
			return rsp_fail(err, RSP_E_PROTO,
					"offset %zu: hex number longer than 16 "
					"digits",
					i);
		x = x << 4 | (uint64_t)hexval((unsigned char)s[i]);
	}
	if (i == 0)
		return rsp_fail(err, RSP_E_PROTO,
				"offset 0: expected hex number, got %s",
				n ? show((unsigned char)s[0], b) : "end");
	*v = x;
	if (used)
		*used = i;
	return 0;
}

uint64_t rsp_le_load(const uint8_t *b, size_t n)
{
	uint64_t v = 0;
	for (size_t i = n > 8 ? 8 : n; i > 0; i--)
		v = v << 8 | b[i - 1];
	return v;
}

void rsp_le_store(uint8_t *b, size_t n, uint64_t v)
{
	for (size_t i = 0; i < n && i < 8; i++, v >>= 8)
		b[i] = (uint8_t)v;
}

int rsp_reply_is_error(const char *p, size_t n, unsigned *code)
{
	if (n != 3 || p[0] != 'E' || hexval((unsigned char)p[1]) < 0 ||
	    hexval((unsigned char)p[2]) < 0)
		return 0;
	if (code)
		*code = (unsigned)(hexval((unsigned char)p[1]) << 4 |
				   hexval((unsigned char)p[2]));
	return 1;
}

long rsp_build_m(char *out, size_t cap, uint64_t addr, size_t len)
{
	int n = snprintf(out, cap, "m%" PRIx64 ",%zx", addr, len);
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

size_t rsp_M_size(uint64_t addr, size_t n)
{
	(void)addr;
	return 1 + 16 + 1 + 16 + 1 + 2 * n; /* "Maddr,len:" + data, worst */
}

static long build_mem(char *out, size_t cap, char cmd, uint64_t addr,
		      const void *data, size_t n, int hex)
{
	int h = snprintf(out, cap, "%c%" PRIx64 ",%zx:", cmd, addr, n);
	size_t body = hex ? 2 * n : n;
	if (h < 0 || (size_t)h + body >= cap)
		return -1;
	if (hex)
		rsp_hex_encode(out + h, data, n);
	else if (n)
		memcpy(out + h, data, n);
	out[h + body] = 0; /* a caller may send it by strlen ('M') */
	return (long)((size_t)h + body);
}

long rsp_build_M(char *out, size_t cap, uint64_t addr, const void *data,
		 size_t n)
{
	return build_mem(out, cap, 'M', addr, data, n, 1);
}

long rsp_build_X(char *out, size_t cap, uint64_t addr, const void *data,
		 size_t n)
{
	return build_mem(out, cap, 'X', addr, data, n, 0);
}

/* ==== stop replies =========================================================
 */

static int stop_code(const char *p, size_t n, struct rsp_stop *st,
		     struct rsp_error *err)
{
	char b[8];
	for (size_t i = 1; i < 3; i++)
		if (i >= n || hexval((unsigned char)p[i]) < 0)
			return rsp_fail(err, RSP_E_PROTO,
					"offset %zu: expected hex digit of the "
					"'%c' code, got %s",
					i, p[0],
					i >= n ? "end"
					       : show((unsigned char)p[i], b));
	st->code = (unsigned)(hexval((unsigned char)p[1]) << 4 |
			      hexval((unsigned char)p[2]));
	return 0;
}

/* One "key:value" pair of a T reply at p[0..n), n excluding the ';'. */
static int stop_pair(const char *p, size_t n, size_t base, struct rsp_stop *st,
		     struct rsp_error *err)
{
	const char *colon = memchr(p, ':', n);
	if (!colon)
		return rsp_fail(
		    err, RSP_E_PROTO,
		    "offset %zu: expected 'name:value' in stop reply", base);
	size_t klen = (size_t)(colon - p), vlen = n - klen - 1;
	const char *val = colon + 1;
	uint64_t regnum;
	size_t used;
	if (klen && rsp_parse_hex(p, klen, &regnum, &used, NULL) == 0 &&
	    used == klen) {
		if (st->nregs == RSP_STOP_MAX_REGS)
			return 0; /* more than we keep: ignore, read with p */
		struct rsp_stop_reg *r = &st->regs[st->nregs];
		if (vlen / 2 > RSP_STOP_MAX_REGBYTES)
			return rsp_fail(err, RSP_E_PROTO,
					"offset %zu: register %" PRIx64
					" value longer than %d bytes",
					base, regnum, RSP_STOP_MAX_REGBYTES);
		struct rsp_error e;
		if (rsp_hex_decode(r->bytes, val, vlen, 1, &e) < 0)
			return rsp_fail(err, RSP_E_PROTO,
					"offset %zu: register %" PRIx64 ": %s",
					base + klen + 1, regnum, e.msg);
		r->regnum = (unsigned)regnum;
		r->size = vlen / 2;
		st->nregs++;
	} else if (klen == 6 && memcmp(p, "thread", 6) == 0) {
		size_t m =
		    vlen < sizeof st->thread - 1 ? vlen : sizeof st->thread - 1;
		memcpy(st->thread, val, m);
		st->thread[m] = 0;
	} else if (klen < sizeof st->reason) {
		memcpy(st->reason, p, klen); /* swbreak, watch, core, ... */
		st->reason[klen] = 0;
	}
	return 0;
}

static int stop_pairs(const char *p, size_t n, struct rsp_stop *st,
		      struct rsp_error *err)
{
	size_t i = 3;
	while (i < n) {
		const char *semi = memchr(p + i, ';', n - i);
		size_t end = semi ? (size_t)(semi - p) : n;
		if (stop_pair(p + i, end - i, i, st, err) < 0)
			return -1;
		i = end + 1;
	}
	return 0;
}

int rsp_parse_stop(const char *p, size_t n, struct rsp_stop *st,
		   struct rsp_error *err)
{
	char b[8];
	memset(st, 0, offsetof(struct rsp_stop, out));
	st->out[0] = 0;
	if (n == 0)
		return rsp_fail(
		    err, RSP_E_PROTO,
		    "offset 0: expected stop reply, got empty packet");
	switch (p[0]) {
	case 'S':
	case 'T':
		st->kind = RSP_STOP_SIGNAL;
		if (stop_code(p, n, st, err) < 0)
			return -1;
		if (p[0] == 'S' && n != 3)
			return rsp_fail(err, RSP_E_PROTO,
					"offset 3: expected end of 'S' reply");
		return p[0] == 'T' ? stop_pairs(p, n, st, err) : 0;
	case 'W':
	case 'X':
		st->kind = p[0] == 'W' ? RSP_STOP_EXITED : RSP_STOP_TERMINATED;
		return stop_code(p, n, st, err); /* ";process:pid" ignored */
	case 'O':
		st->kind = RSP_STOP_OUTPUT;
		if (n - 1 > 2 * (sizeof st->out - 1))
			return rsp_fail(err, RSP_E_PROTO,
					"offset 1: console output longer than "
					"%zu bytes",
					sizeof st->out - 1);
		if (rsp_hex_decode(st->out, p + 1, n - 1, 0, err) < 0)
			return -1;
		st->outlen = (n - 1) / 2;
		st->out[st->outlen] = 0;
		return 0;
	default:
		return rsp_fail(
		    err, RSP_E_PROTO,
		    "offset 0: expected stop reply (S, T, W, X or O), "
		    "got %s",
		    show((unsigned char)p[0], b));
	}
}
