/*
 * rsp.h -- a pure codec for the GDB Remote Serial Protocol: bytes in,
 * packets out. No sockets, no clocks, no allocation; the transport lives in
 * rspclient.h.
 *
 * INVARIANTS (cited as "RSP-n"):
 *
 * RSP-1  Framing. A packet is `$body#cc` (or `%body#cc`, a notification)
 *        where cc is two hex digits, the modulo-256 sum of the body bytes as
 *        transmitted. In the body `}` escapes the next byte (sent XOR 0x20)
 *        and `X*n` repeats the previous decoded byte n-29 more times (n is a
 *        printable count byte, never '#' or '$'). Outside packets the bytes
 *        '+' (ack), '-' (nak) and 0x03 (interrupt) are events; every other
 *        byte is garbage: skipped, counted, never an error by itself.
 *
 * RSP-2  Size. A decoded body never exceeds RSP_PACKET_MAX bytes; every
 *        append is checked. The number: QEMU 7.2 advertises PacketSize=1000
 *        (hex, 4096) -- the size of its *incoming* line buffer, so every
 *        packet we send is kept below 4096 bytes. QEMU builds its replies
 *        in growable strings, so replies are bounded only by what we ask
 *        for: `m` of at most PacketSize/2 bytes is PacketSize hex digits,
 *        qXfer chunks are requested at most PacketSize bytes, and the
 *        longest `g` reply of our targets is amd64's 608 bytes (1216
 *        digits; arm64 268, riscv64 264). RSP_PACKET_MAX = 4 * 4096 accepts all
 * of these and a stub advertising up to 16 KiB; the client clamps a larger
 * PacketSize to it. An oversized packet is consumed to its end (so the stream
 * stays in sync) and reported as one error event.
 *
 * RSP-3  Errors are values: a struct rsp_error whose message names the
 *        stream byte offset (decoder) or payload offset (parsers) and what
 *        was expected there. A bad packet resets the decoder to idle; no
 *        input can make it read or write out of bounds.
 *
 * RSP-4  Targets are little-endian. Register and memory bytes are decoded
 *        with rsp_le_load, never by casting host memory.
 */
#ifndef EVERYPC_RSP_H
#define EVERYPC_RSP_H

#include <stddef.h>
#include <stdint.h>

#define RSP_PACKET_MAX 16384 /* RSP-2 */
#define RSP_QEMU_PACKET_SIZE 4096

/* Error kinds; the message says the rest. */
enum rsp_error_kind {
	RSP_OK = 0,
	RSP_E_PROTO,	   /* malformed bytes or reply */
	RSP_E_TIMEOUT,	   /* the stub stalled */
	RSP_E_CLOSED,	   /* the stub closed the connection */
	RSP_E_IO,	   /* a system call failed */
	RSP_E_STUB,	   /* the stub answered Exx */
	RSP_E_UNSUPPORTED, /* the stub answered with an empty packet */
	RSP_E_ARG,	   /* the caller asked for something impossible */
};

struct rsp_error {
	enum rsp_error_kind kind;
	char msg[256];
};

/* Fill err (may be NULL) and return -1, for `return rsp_fail(...)`. */
int rsp_fail(struct rsp_error *err, enum rsp_error_kind kind, const char *fmt,
	     ...) __attribute__((format(printf, 3, 4)));

/* ---- decoder ---------------------------------------------------------- */

enum rsp_event_kind {
	RSP_EV_NONE,	  /* input consumed, nothing complete yet */
	RSP_EV_PACKET,	  /* a good packet: data/len */
	RSP_EV_NOTIFY,	  /* a good notification packet (%...) */
	RSP_EV_BAD,	  /* a complete but bad packet: err */
	RSP_EV_ACK,	  /* '+' */
	RSP_EV_NAK,	  /* '-' */
	RSP_EV_INTERRUPT, /* 0x03 */
};

struct rsp_event {
	enum rsp_event_kind kind;
	const char *data; /* PACKET/NOTIFY: NUL-terminated body, valid until
			     the next rsp_decode call */
	size_t len;
	struct rsp_error err; /* BAD */
};

enum rsp_dec_state {
	RSP_DS_IDLE,
	RSP_DS_BODY,
	RSP_DS_ESCAPE,
	RSP_DS_RLE,
	RSP_DS_CSUM1,
	RSP_DS_CSUM2,
};

struct rsp_decoder {
	enum rsp_dec_state state;
	int notify;   /* current packet began with '%' */
	uint8_t sum;  /* running checksum of the raw body */
	uint8_t csum; /* checksum digits received */
	int bad;      /* current packet already failed: err holds why */
	struct rsp_error err;
	uint64_t pos;	  /* stream offset of the next byte */
	uint64_t start;	  /* stream offset of the current '$' */
	uint64_t garbage; /* bytes skipped outside packets, ever */
	size_t len;	  /* decoded body length */
	char buf[RSP_PACKET_MAX + 1];
};

void rsp_decoder_init(struct rsp_decoder *d);

/*
 * Feed up to n bytes; stops after the first complete event. Returns the
 * number of bytes consumed (all n when ev->kind is RSP_EV_NONE).
 */
size_t rsp_decode(struct rsp_decoder *d, const void *in, size_t n,
		  struct rsp_event *ev);

/* ---- encoder ---------------------------------------------------------- */

/*
 * Frame payload as `$body#cc`, escaping '$', '#', '}' and '*'. Returns the
 * framed length; writes only when it fits in cap (like snprintf, no NUL).
 * The framed length is at most 2*n + 4.
 */
size_t rsp_encode(char *out, size_t cap, const void *payload, size_t n);

/* ---- payload helpers ---------------------------------------------------- */

/* Write 2*n lowercase hex digits (no NUL). */
void rsp_hex_encode(char *out, const void *bytes, size_t n);

/*
 * Decode hexlen digits into hexlen/2 bytes. allow_x: a pair "xx" (a register
 * the stub cannot read) decodes as 0. Errors name the digit offset.
 */
int rsp_hex_decode(void *out, const char *hex, size_t hexlen, int allow_x,
		   struct rsp_error *err);

/*
 * Parse a hex number at s[0..n): at least one digit, at most 16. *used gets
 * the digits consumed (may be NULL). Stops at the first non-digit.
 */
int rsp_parse_hex(const char *s, size_t n, uint64_t *v, size_t *used,
		  struct rsp_error *err);

uint64_t rsp_le_load(const uint8_t *b, size_t n);    /* n <= 8 */
void rsp_le_store(uint8_t *b, size_t n, uint64_t v); /* n <= 8 */

/* Classify a reply: 1 when it is `Exx` (code in *code), else 0. */
int rsp_reply_is_error(const char *p, size_t n, unsigned *code);

/*
 * Build command payloads into out[cap], NUL-terminated; return the payload
 * length, or -1 when it does not fit. `M` hex-encodes, `X` carries raw bytes
 * (the encoder escapes them).
 */
long rsp_build_m(char *out, size_t cap, uint64_t addr, size_t len);
long rsp_build_M(char *out, size_t cap, uint64_t addr, const void *data,
		 size_t n);
long rsp_build_X(char *out, size_t cap, uint64_t addr, const void *data,
		 size_t n);
/* Payload bytes needed for an M/X packet carrying n bytes (worst case). */
size_t rsp_M_size(uint64_t addr, size_t n);

/* ---- stop replies ---------------------------------------------------------
 */

#define RSP_STOP_MAX_REGS 16
#define RSP_STOP_MAX_REGBYTES 64

enum rsp_stop_kind {
	RSP_STOP_SIGNAL,     /* S xx / T xx ...: stopped with GDB signal */
	RSP_STOP_EXITED,     /* W xx: exited with status */
	RSP_STOP_TERMINATED, /* X xx: killed by GDB signal */
	RSP_STOP_OUTPUT,     /* O hex: console output, not a stop */
};

struct rsp_stop_reg {
	unsigned regnum;
	size_t size;
	uint8_t bytes[RSP_STOP_MAX_REGBYTES];
};

struct rsp_stop {
	enum rsp_stop_kind kind;
	unsigned code; /* signal or exit status */
	char thread[64];
	unsigned nregs;
	struct rsp_stop_reg regs[RSP_STOP_MAX_REGS];
	char reason[16]; /* "swbreak", "watch", ... when given */
	size_t outlen;	 /* OUTPUT: decoded text in out */
	char out[RSP_PACKET_MAX / 2 + 1];
};

int rsp_parse_stop(const char *p, size_t n, struct rsp_stop *st,
		   struct rsp_error *err);

/* GDB's signal numbers (not the host's). */
#define RSP_GDB_SIGINT 2
#define RSP_GDB_SIGTRAP 5
#define RSP_GDB_SIGSEGV 11
#define RSP_GDB_SIGURG 16

#endif
