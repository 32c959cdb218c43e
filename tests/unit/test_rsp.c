/*
 * test_rsp.c -- unit tests of the pure RSP codec (rig/rsp.c): every decoder
 * state, malformed and truncated packets, run-length and escapes, checksum
 * errors, oversized packets, the encoder, hex helpers and stop replies.
 */
/* cmocka needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rsp.h"

static struct rsp_decoder dec;

/* Feed s entirely; collect the kinds of the events (as letters) in out. */
static void feed(const char *s, size_t n, char *out, size_t cap,
		 struct rsp_event *last)
{
	size_t k = 0;
	while (n) {
		struct rsp_event ev;
		size_t used = rsp_decode(&dec, s, n, &ev);
		s += used;
		n -= used;
		if (ev.kind == RSP_EV_NONE)
			continue;
		static const char letters[] = "_PNB+-I";
		if (k + 1 < cap)
			out[k++] = letters[ev.kind];
		*last = ev;
	}
	out[k] = 0;
}

static struct rsp_event decode_one(const char *s)
{
	char kinds[64];
	struct rsp_event ev = {0};
	rsp_decoder_init(&dec);
	feed(s, strlen(s), kinds, sizeof kinds, &ev);
	assert_int_equal(strlen(kinds), 1);
	return ev;
}

static void test_plain_packet(void **state)
{
	(void)state;
	struct rsp_event ev = decode_one("$OK#9a");
	assert_int_equal(ev.kind, RSP_EV_PACKET);
	assert_int_equal(ev.len, 2);
	assert_string_equal(ev.data, "OK");
	assert_int_equal(dec.state, RSP_DS_IDLE);
}

static void test_empty_packet(void **state)
{
	(void)state;
	struct rsp_event ev = decode_one("$#00");
	assert_int_equal(ev.kind, RSP_EV_PACKET);
	assert_int_equal(ev.len, 0);
}

static void test_byte_at_a_time_states(void **state)
{
	(void)state;
	const char *s = "$a}]*\"#";
	/* body "a", escaped ']'^0x20 = '}', run "*\"" = 5 more '}' */
	enum rsp_dec_state want[] = {RSP_DS_BODY, RSP_DS_BODY, RSP_DS_ESCAPE,
				     RSP_DS_BODY, RSP_DS_RLE,  RSP_DS_BODY,
				     RSP_DS_CSUM1};
	rsp_decoder_init(&dec);
	for (size_t i = 0; i < strlen(s); i++) {
		struct rsp_event ev;
		assert_int_equal(rsp_decode(&dec, s + i, 1, &ev), 1);
		assert_int_equal(ev.kind, RSP_EV_NONE);
		assert_int_equal(dec.state, want[i]);
	}
	unsigned sum = 0;
	for (const char *p = s + 1; *p != '#'; p++)
		sum += (unsigned char)*p;
	char tail[3];
	snprintf(tail, sizeof tail, "%02x", sum & 0xff);
	struct rsp_event ev;
	rsp_decode(&dec, tail, 1, &ev);
	assert_int_equal(dec.state, RSP_DS_CSUM2);
	rsp_decode(&dec, tail + 1, 1, &ev);
	assert_int_equal(ev.kind, RSP_EV_PACKET);
	assert_string_equal(ev.data, "a}}}}}}");
}

static void test_rle(void **state)
{
	(void)state;
	/* "0* " = '0' then 3 more: "0000"; checksum over raw "0* " */
	char buf[32];
	unsigned sum = '0' + '*' + ' ';
	snprintf(buf, sizeof buf, "$0* #%02x", sum & 0xff);
	struct rsp_event ev = decode_one(buf);
	assert_int_equal(ev.kind, RSP_EV_PACKET);
	assert_string_equal(ev.data, "0000");
	/* the longest run, '~' = 126: 97 more */
	sum = 'x' + '*' + '~';
	snprintf(buf, sizeof buf, "$x*~#%02x", sum & 0xff);
	ev = decode_one(buf);
	assert_int_equal(ev.len, 98);
}

static void test_rle_errors(void **state)
{
	(void)state;
	char buf[32];
	snprintf(buf, sizeof buf, "$*!#%02x", ('*' + '!') & 0xff);
	struct rsp_event ev = decode_one(buf);
	assert_int_equal(ev.kind, RSP_EV_BAD);
	assert_non_null(strstr(ev.err.msg, "byte to repeat"));
	snprintf(buf, sizeof buf, "$a*\x01#%02x", ('a' + '*' + 1) & 0xff);
	ev = decode_one(buf);
	assert_int_equal(ev.kind, RSP_EV_BAD);
	assert_non_null(strstr(ev.err.msg, "run-length count"));
	assert_non_null(strstr(ev.err.msg, "byte 3"));
	ev = decode_one("$a*#00"); /* truncated run */
	assert_int_equal(ev.kind, RSP_EV_BAD);
	assert_non_null(strstr(ev.err.msg, "after '*'"));
}

static void test_escape_and_truncated_escape(void **state)
{
	(void)state;
	char buf[32];
	/* }\x03 -> '#', }\x04 -> '$' */
	snprintf(buf, sizeof buf, "$}\x03}\x04#%02x",
		 ('}' + 3 + '}' + 4) & 0xff);
	struct rsp_event ev = decode_one(buf);
	assert_int_equal(ev.kind, RSP_EV_PACKET);
	assert_string_equal(ev.data, "#$");
	ev = decode_one("$ab}#00");
	assert_int_equal(ev.kind, RSP_EV_BAD);
	assert_non_null(strstr(ev.err.msg, "escaped byte"));
}

static void test_checksum_errors(void **state)
{
	(void)state;
	struct rsp_event ev = decode_one("$OK#9b");
	assert_int_equal(ev.kind, RSP_EV_BAD);
	assert_non_null(strstr(ev.err.msg, "checksum mismatch"));
	assert_non_null(strstr(ev.err.msg, "9b"));
	ev = decode_one("$OK#9z");
	assert_int_equal(ev.kind, RSP_EV_BAD);
	assert_non_null(strstr(ev.err.msg, "byte 5"));
	assert_non_null(strstr(ev.err.msg, "hex checksum digit"));
	/* the decoder recovers: the next packet is fine */
	char kinds[8];
	feed("$OK#9a", 6, kinds, sizeof kinds, &ev);
	assert_string_equal(kinds, "P");
}

static void test_dollar_inside_packet(void **state)
{
	(void)state;
	struct rsp_event ev = decode_one("$a$b#00");
	assert_int_equal(ev.kind, RSP_EV_BAD);
	assert_non_null(strstr(ev.err.msg, "'$' inside packet"));
}

static void test_acks_interrupt_garbage(void **state)
{
	(void)state;
	char kinds[16];
	struct rsp_event ev;
	rsp_decoder_init(&dec);
	static const char in[] = "xx+-\x03zz$OK#9a%Stop:T05;#00";
	feed(in, sizeof in - 1, kinds, sizeof kinds, &ev);
	assert_string_equal(kinds, "+-IPB");
	assert_int_equal(dec.garbage, 4);
	unsigned sum = 0;
	for (const char *p = "Stop:T05;"; *p; p++)
		sum += (unsigned char)*p;
	char buf[32];
	snprintf(buf, sizeof buf, "%%Stop:T05;#%02x", sum & 0xff);
	feed(buf, strlen(buf), kinds, sizeof kinds, &ev);
	assert_string_equal(kinds, "N");
	assert_string_equal(ev.data, "Stop:T05;");
}

static void test_truncated_packet_waits(void **state)
{
	(void)state;
	char kinds[8];
	struct rsp_event ev = {0};
	rsp_decoder_init(&dec);
	feed("$OK#9", 5, kinds, sizeof kinds, &ev);
	assert_string_equal(kinds, "");
	assert_int_equal(dec.state, RSP_DS_CSUM2);
	feed("a", 1, kinds, sizeof kinds, &ev);
	assert_string_equal(kinds, "P");
}

static void test_oversized(void **state)
{
	(void)state;
	size_t n = RSP_PACKET_MAX + 10;
	char *s = malloc(n + 8);
	s[0] = '$';
	memset(s + 1, 'a', n);
	unsigned sum = (unsigned)(n * 'a');
	snprintf(s + 1 + n, 7, "#%02x$", sum & 0xff);
	struct rsp_event ev;
	char kinds[8];
	rsp_decoder_init(&dec);
	feed(s, n + 4, kinds, sizeof kinds, &ev);
	assert_string_equal(kinds, "B");
	assert_non_null(strstr(ev.err.msg, "longer than"));
	assert_int_equal(dec.state, RSP_DS_IDLE);
	feed(s + n + 4, 1, kinds, sizeof kinds, &ev); /* the next '$' */
	assert_int_equal(dec.state, RSP_DS_BODY);
	/* exactly RSP_PACKET_MAX is fine; RLE overflowing it is not */
	s[0] = '$';
	memset(s + 1, 'a', RSP_PACKET_MAX);
	sum = (unsigned)(RSP_PACKET_MAX * 'a');
	snprintf(s + 1 + RSP_PACKET_MAX, 4, "#%02x", sum & 0xff);
	rsp_decoder_init(&dec);
	feed(s, RSP_PACKET_MAX + 4, kinds, sizeof kinds, &ev);
	assert_string_equal(kinds, "P");
	assert_int_equal(ev.len, RSP_PACKET_MAX);
	snprintf(s + RSP_PACKET_MAX - 1, 8, "*~#%02x",
		 (unsigned)((RSP_PACKET_MAX - 2) * 'a' + '*' + '~') & 0xff);
	rsp_decoder_init(&dec);
	feed(s, RSP_PACKET_MAX + 4, kinds, sizeof kinds, &ev);
	assert_string_equal(kinds, "B");
	free(s);
}

static void test_encode_roundtrip(void **state)
{
	(void)state;
	const char payload[] = "X10,4:$#}*";
	char out[64];
	size_t n = rsp_encode(out, sizeof out, payload, sizeof payload - 1);
	assert_int_equal(n, sizeof payload - 1 + 4 + 4);
	assert_memory_equal(out, "$X10,4:}\x04}\x03}]}\x0a#", n - 2);
	struct rsp_event ev;
	rsp_decoder_init(&dec);
	assert_int_equal(rsp_decode(&dec, out, n, &ev), n);
	assert_int_equal(ev.kind, RSP_EV_PACKET);
	assert_memory_equal(ev.data, payload, sizeof payload - 1);
	assert_int_equal(rsp_encode(out, 5, "abc", 3), 7); /* too small */
	assert_int_equal(rsp_encode(out, sizeof out, "OK", 2), 6);
	assert_memory_equal(out, "$OK#9a", 6);
}

static void test_hex(void **state)
{
	(void)state;
	uint8_t b[4] = {0x00, 0x7f, 0xa5, 0xff}, back[4];
	char h[8];
	struct rsp_error err;
	rsp_hex_encode(h, b, 4);
	assert_memory_equal(h, "007fa5ff", 8);
	assert_int_equal(rsp_hex_decode(back, "007FA5ff", 8, 0, &err), 0);
	assert_memory_equal(back, b, 4);
	assert_int_equal(rsp_hex_decode(back, "00g0", 4, 0, &err), -1);
	assert_non_null(strstr(err.msg, "offset 2"));
	assert_int_equal(rsp_hex_decode(back, "abc", 3, 0, &err), -1);
	assert_int_equal(rsp_hex_decode(back, "xx01", 4, 0, &err), -1);
	assert_int_equal(rsp_hex_decode(back, "xx01", 4, 1, &err), 0);
	assert_int_equal(back[0], 0);
	uint64_t v;
	size_t used;
	assert_int_equal(rsp_parse_hex("1f,3", 4, &v, &used, &err), 0);
	assert_int_equal(v, 0x1f);
	assert_int_equal(used, 2);
	assert_int_equal(rsp_parse_hex(",3", 2, &v, &used, &err), -1);
	assert_int_equal(rsp_parse_hex("11112222333344445", 17, &v, NULL, &err),
			 -1);
}

static void test_le(void **state)
{
	(void)state;
	uint8_t b[8] = {0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11};
	assert_true(rsp_le_load(b, 8) == 0x1122334455667788ull);
	assert_true(rsp_le_load(b, 4) == 0x55667788ull);
	uint8_t c[8];
	rsp_le_store(c, 8, 0x1122334455667788ull);
	assert_memory_equal(b, c, 8);
}

static void test_builders(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(rsp_build_m(out, sizeof out, 0x400000, 16), 10);
	assert_string_equal(out, "m400000,10");
	uint8_t d[3] = {1, '#', 0xff};
	memset(out, 'x', sizeof out);
	long n = rsp_build_M(out, sizeof out, 0x10, d, 3);
	assert_int_equal(n, 12);
	assert_string_equal(out, "M10,3:0123ff"); /* terminated */
	n = rsp_build_X(out, sizeof out, 0x10, d, 3);
	assert_int_equal(n, 9);
	assert_memory_equal(out + 6, d, 3);
	assert_int_equal(rsp_build_M(out, 10, 0x10, d, 3), -1);
	unsigned code;
	assert_true(rsp_reply_is_error("E16", 3, &code));
	assert_int_equal(code, 0x16);
	assert_false(rsp_reply_is_error("OK", 2, &code));
	assert_false(rsp_reply_is_error("E1", 2, &code));
}

static struct rsp_stop st;

static void test_stop_replies(void **state)
{
	(void)state;
	struct rsp_error err;
	const char *t = "T05thread:p1.2a;10:8877665544332211;swbreak:;";
	assert_int_equal(rsp_parse_stop(t, strlen(t), &st, &err), 0);
	assert_int_equal(st.kind, RSP_STOP_SIGNAL);
	assert_int_equal(st.code, 5);
	assert_string_equal(st.thread, "p1.2a");
	assert_int_equal(st.nregs, 1);
	assert_int_equal(st.regs[0].regnum, 0x10);
	assert_true(rsp_le_load(st.regs[0].bytes, 8) == 0x1122334455667788ull);
	assert_string_equal(st.reason, "swbreak");
	assert_int_equal(rsp_parse_stop("S0b", 3, &st, &err), 0);
	assert_int_equal(st.code, 11);
	assert_int_equal(rsp_parse_stop("W2a", 3, &st, &err), 0);
	assert_int_equal(st.kind, RSP_STOP_EXITED);
	assert_int_equal(st.code, 42);
	assert_int_equal(rsp_parse_stop("X09;process:1", 13, &st, &err), 0);
	assert_int_equal(st.kind, RSP_STOP_TERMINATED);
	assert_int_equal(rsp_parse_stop("O6869", 5, &st, &err), 0);
	assert_int_equal(st.kind, RSP_STOP_OUTPUT);
	assert_string_equal(st.out, "hi");
}

static void test_stop_errors(void **state)
{
	(void)state;
	struct rsp_error err;
	assert_int_equal(rsp_parse_stop("", 0, &st, &err), -1);
	assert_int_equal(rsp_parse_stop("T0", 2, &st, &err), -1);
	assert_non_null(strstr(err.msg, "offset 2"));
	assert_int_equal(rsp_parse_stop("Tz5", 3, &st, &err), -1);
	assert_non_null(strstr(err.msg, "offset 1"));
	assert_int_equal(rsp_parse_stop("T05thread", 9, &st, &err), -1);
	assert_non_null(strstr(err.msg, "offset 3"));
	assert_int_equal(rsp_parse_stop("T0510:zz;", 9, &st, &err), -1);
	assert_int_equal(rsp_parse_stop("S05x", 4, &st, &err), -1);
	assert_int_equal(rsp_parse_stop("Q", 1, &st, &err), -1);
	assert_non_null(strstr(err.msg, "'Q'"));
	assert_int_equal(rsp_parse_stop("O6", 2, &st, &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_packet),
	    cmocka_unit_test(test_empty_packet),
	    cmocka_unit_test(test_byte_at_a_time_states),
	    cmocka_unit_test(test_rle),
	    cmocka_unit_test(test_rle_errors),
	    cmocka_unit_test(test_escape_and_truncated_escape),
	    cmocka_unit_test(test_checksum_errors),
	    cmocka_unit_test(test_dollar_inside_packet),
	    cmocka_unit_test(test_acks_interrupt_garbage),
	    cmocka_unit_test(test_truncated_packet_waits),
	    cmocka_unit_test(test_oversized),
	    cmocka_unit_test(test_encode_roundtrip),
	    cmocka_unit_test(test_hex),
	    cmocka_unit_test(test_le),
	    cmocka_unit_test(test_builders),
	    cmocka_unit_test(test_stop_replies),
	    cmocka_unit_test(test_stop_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
