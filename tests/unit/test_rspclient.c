/*
 * test_rspclient.c -- unit tests of rig/rspclient.c against the scripted
 * fake stub (fakestub.h): normal flows in ack and no-ack mode, splitting to
 * the packet size, qXfer, stop replies, and a stub that closes mid-packet,
 * stalls, sends garbage, bad checksums or naks.
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
#include <time.h>

#include "fakestub.h"
#include "rspclient.h"
#include "targetxml.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct fakestub *stub;
static struct rsp_client *cl;
static struct rsp_error err;
static struct rsp_stop st;
static char tracebuf[8192];
static size_t tracelen;

static void trace_mem(void *ctx, char dir, const char *data, size_t n)
{
	(void)ctx;
	int k = snprintf(tracebuf + tracelen, sizeof tracebuf - tracelen,
			 "%c%.*s\n", dir, (int)n, data);
	if (k > 0 && tracelen + (size_t)k < sizeof tracebuf)
		tracelen += (size_t)k;
}

static void start(const struct fs_step *steps, size_t n, int timeout_ms)
{
	int fd;
	stub = fakestub_start(steps, n, &fd);
	assert_non_null(stub);
	struct rsp_client_opts o = {.timeout_ms = timeout_ms,
				    .resume_timeout_ms = timeout_ms,
				    .trace = trace_mem};
	tracelen = 0;
	tracebuf[0] = 0;
	cl = rsp_client_new(fd, &o, &err);
	assert_non_null(cl);
}

static void finish(void)
{
	rsp_client_close(cl);
	const char *why = fakestub_finish(stub);
	if (why)
		fail_msg("%s", why);
}

#define OK(call)                                                               \
	do {                                                                   \
		if ((call) < 0)                                                \
			fail_msg("%s", err.msg);                               \
	} while (0)

#define HANDSHAKE(features)                                                    \
	FS_X("qSupported:swbreak+"), FS_R(features), FS_X("QStartNoAckMode"),  \
	    FS_R("")

static void test_handshake_ack_mode(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000;qXfer:features:read+;vContSupported+"),
	};
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	assert_int_equal(rsp_client_packet_size(cl), 4096);
	assert_false(rsp_client_noack(cl));
	assert_true(rsp_client_supports(cl, "qXfer:features:read"));
	assert_true(rsp_client_supports(cl, "PacketSize"));
	assert_false(rsp_client_supports(cl, "qXfer"));
	assert_false(rsp_client_supports(cl, "multiprocess"));
	assert_non_null(strstr(tracebuf, ">qSupported:swbreak+\n"));
	assert_non_null(strstr(tracebuf, "<PacketSize=1000;"));
	finish();
}

static void test_handshake_noack_then_registers(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    FS_X("qSupported:swbreak+"),
	    FS_R("PacketSize=20000"),
	    FS_X("QStartNoAckMode"),
	    FS_R("OK"),
	    {FS_NOACK, NULL, 0},
	    FS_X("g"),
	    FS_R("0011223344556677xx"),
	    FS_X("G00ff"),
	    FS_R("OK"),
	    FS_X("p10"),
	    FS_R("8877665544332211"),
	    FS_X("P10=0100000000000000"),
	    FS_R("OK"),
	};
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	assert_true(rsp_client_noack(cl));
	assert_int_equal(rsp_client_packet_size(cl), RSP_PACKET_MAX);
	uint8_t b[16];
	size_t n;
	OK(rsp_client_read_regs(cl, b, sizeof b, &n, &err));
	assert_int_equal(n, 9);
	assert_true(rsp_le_load(b, 8) == 0x7766554433221100ull);
	assert_int_equal(b[8], 0); /* "xx": unavailable */
	OK(rsp_client_write_regs(cl, (const uint8_t *)"\x00\xff", 2, &err));
	OK(rsp_client_read_reg(cl, 16, b, sizeof b, &n, &err));
	assert_int_equal(n, 8);
	assert_true(rsp_le_load(b, 8) == 0x1122334455667788ull);
	uint8_t one[8] = {1};
	OK(rsp_client_write_reg(cl, 16, one, 8, &err));
	finish();
}

/* RSPC-2: the '+' for a reply goes out with the next request, in one
   write; before a wait for another packet it goes alone (vKill's OK, then
   the exit), and a settle or close pays what is owed. */
static void test_ack_with_next_packet(void **state)
{
	(void)state;
	const struct fs_step t[] = {
	    FS_X("qSupported:swbreak+"),
	    {FS_REPLY_JOINED, "PacketSize=1000", 0},
	    FS_X("QStartNoAckMode"),
	    {FS_REPLY_JOINED, "", 0},
	    FS_X("g"),
	    {FS_REPLY_JOINED, "0011", 0},
	    FS_X("p10"),
	    FS_R("2233"), /* then settled */
	    FS_X("vKill;2a"),
	    FS_R("OK"), /* acked alone: the stub sends W only after it */
	    FS_RAWS("$W00#b7"),
	    {FS_EXPECT_ACK, NULL, 0},
	};
	uint8_t b[8];
	size_t n;
	start(t, N(t), 2000);
	OK(rsp_client_handshake(cl, &err));
	OK(rsp_client_read_regs(cl, b, sizeof b, &n, &err));
	OK(rsp_client_read_reg(cl, 16, b, sizeof b, &n, &err));
	OK(rsp_client_settle(cl, &err));
	OK(rsp_client_kill(cl, 42, &err));
	finish();
}

static void test_memory_split_to_packet_size(void **state)
{
	(void)state;
	static char r1[2 * 128 + 1], r2[2 * 72 + 1], w1[64], w2[64];
	memset(r1, 'a', 2 * 128);
	memset(r2, 'b', 2 * 72);
	/* PacketSize 0x100: m chunks of 256/2 = 128 bytes (the reply's 256
	   data characters fill PacketSize, which counts no frame) */
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=100"),
	    FS_X("m1000,80"),
	    FS_R(r1),
	    FS_X("m1080,48"),
	    FS_R(r2),
	    FS_XP("M2000,6e:"),
	    FS_R("OK"),
	    FS_XP("M206e,5a:"),
	    FS_R("OK"),
	    /* exactly this: nothing of the longer packet before it */
	    FS_X("M2000,2:aaaa"),
	    FS_R("OK"),
	    FS_X("m3000,80"), /* RSPC-5: its block of 128 */
	    FS_R("E14"),
	    FS_X("m3000,4"), /* refused: then exactly the bytes */
	    FS_R("E14"),
	};
	(void)w1;
	(void)w2;
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	uint8_t buf[200];
	OK(rsp_client_read_mem(cl, 0x1000, buf, 200, &err));
	assert_int_equal(buf[0], 0xaa);
	assert_int_equal(buf[127], 0xaa);
	assert_int_equal(buf[128], 0xbb);
	assert_int_equal(buf[199], 0xbb);
	/* M: (256 - 35 - 1) / 2 = 110 = 0x6e bytes per packet */
	OK(rsp_client_write_mem(cl, 0x2000, buf, 200, &err));
	OK(rsp_client_write_mem(cl, 0x2000, buf, 2, &err));
	assert_int_equal(rsp_client_read_mem(cl, 0x3000, buf, 4, &err), -1);
	assert_int_equal(err.kind, RSP_E_STUB);
	assert_non_null(strstr(err.msg, "E14"));
	assert_non_null(strstr(err.msg, "m3000,4"));
	finish();
}

/* RSPC-3: bytes read or written since the guest last ran are not asked
   for again; a resume, a raw M and a G forget what they may change. The
   fake stub fails the test on any packet it does not expect. */
static void test_cache_while_stopped(void **state)
{
	(void)state;
	/* PacketSize 0x44: blocks of (68 - 4) / 2 = 34, so 32 (RSPC-5) */
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=44"),
	    FS_X("m1000,20"),
	    FS_R("00112233445566778899aabbccddeeff"
		 "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"),
	    FS_X("M1004,2:a1a2"),
	    FS_R("OK"),
	    FS_X("g"),
	    FS_R("0102030405060708"),
	    FS_X("Z0,401000,1"), /* keeps both */
	    FS_R("OK"),
	    FS_X("G0102030405060709"), /* forgets the registers */
	    FS_R("OK"),
	    FS_X("g"),
	    FS_R("0102030405060709"),
	    FS_X("c"), /* forgets everything */
	    FS_R("T05thread:01;"),
	    FS_X("m1000,20"),
	    FS_R("101112131415161718191a1b1c1d1e1f"
		 "202122232425262728292a2b2c2d2e2f"),
	    FS_X("g"),
	    FS_R("1112131415161718"),
	    FS_X("m101e,4"), /* across two blocks: exactly these */
	    FS_R("2e2fffff"),
	};
	uint8_t b[16], r[8];
	size_t n;
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	OK(rsp_client_read_mem(cl, 0x1000, b, 16, &err));
	OK(rsp_client_read_mem(cl, 0x1008, b, 4, &err)); /* inside: no m */
	assert_int_equal(b[0], 0x88);
	assert_int_equal(b[3], 0xbb);
	OK(rsp_client_write_mem(cl, 0x1004, (const uint8_t *)"\xa1\xa2", 2,
				&err));
	OK(rsp_client_read_mem(cl, 0x1003, b, 4, &err)); /* patched */
	assert_int_equal(b[0], 0x33);
	assert_int_equal(b[1], 0xa1);
	assert_int_equal(b[2], 0xa2);
	assert_int_equal(b[3], 0x66);
	OK(rsp_client_read_regs(cl, r, sizeof r, &n, &err));
	OK(rsp_client_set_break(cl, 0x401000, 1, &err));
	OK(rsp_client_read_regs(cl, r, sizeof r, &n, &err)); /* no g */
	assert_int_equal(r[7], 0x08);
	OK(rsp_client_write_regs(cl, (const uint8_t *)"\1\2\3\4\5\6\7\t", 8,
				 &err));
	OK(rsp_client_read_regs(cl, r, sizeof r, &n, &err));
	assert_int_equal(r[7], 0x09);
	OK(rsp_client_read_mem(cl, 0x1000, b, 4, &err)); /* no m */
	assert_int_equal(b[0], 0x00);
	OK(rsp_client_cont(cl, &st, &err));
	OK(rsp_client_read_mem(cl, 0x1000, b, 4, &err));
	assert_int_equal(b[0], 0x10);
	OK(rsp_client_read_regs(cl, r, sizeof r, &n, &err));
	assert_int_equal(r[0], 0x11);
	OK(rsp_client_read_mem(cl, 0x1002, b, 4, &err)); /* in its block */
	assert_int_equal(b[0], 0x12);
	assert_int_equal(b[3], 0x15);
	OK(rsp_client_read_mem(cl, 0x101e, b, 4, &err));
	assert_int_equal(b[1], 0x2f);
	assert_int_equal(b[2], 0xff);
	OK(rsp_client_read_mem(cl, 0x101f, b, 2, &err)); /* kept as read */
	assert_int_equal(b[0], 0x2f);
	assert_int_equal(b[1], 0xff);
	finish();
}

/* RSPC-5: a stub that refuses a block (as it would one that crossed into
   unmapped memory) is asked for exactly the bytes; a stub that answers a
   block with fewer bytes is too; a read of the block's last bytes is
   answered from it. */
static void test_read_block_refused(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=44"),
	    FS_X("m2fe0,20"),
	    FS_R("E14"),
	    FS_X("m2ff8,8"),
	    FS_R("0001020304050607"),
	    FS_X("m4000,20"),
	    FS_R("aabb"), /* short */
	    FS_X("m4010,2"),
	    FS_R("c0c1"),
	    FS_X("m5000,20"),
	    FS_R("000102030405060708090a0b0c0d0e0f"
		 "101112131415161718191a1b1c1d1e1f"),
	};
	uint8_t b[8];
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	OK(rsp_client_read_mem(cl, 0x2ff8, b, 8, &err));
	assert_int_equal(b[7], 0x07);
	OK(rsp_client_read_mem(cl, 0x2ffc, b, 4, &err)); /* cached as read */
	assert_int_equal(b[0], 0x04);
	OK(rsp_client_read_mem(cl, 0x4010, b, 2, &err));
	assert_int_equal(b[1], 0xc1);
	OK(rsp_client_read_mem(cl, 0x5008, b, 8, &err));
	OK(rsp_client_read_mem(cl, 0x501c, b, 4, &err)); /* no m */
	assert_int_equal(b[0], 0x1c);
	assert_int_equal(b[3], 0x1f);
	finish();
}

static void test_xfer_and_tdesc(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000;qXfer:features:read+"),
	    FS_XP("qXfer:features:read:target.xml:0,"),
	    FS_R("m<target><architecture>toy</architecture>"),
	    FS_XP("qXfer:features:read:target.xml:28,"),
	    FS_R("l<xi:include href=\"c.xml\"/></target>"),
	    FS_XP("qXfer:features:read:c.xml:0,"),
	    FS_R("l<feature name='c'><reg name='pc' bitsize='64'/></feature>"),
	    FS_XP("qXfer:features:read:missing.xml:0,"),
	    FS_R("E00"),
	};
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	struct tdesc td;
	OK(tdesc_parse(&td, "target.xml", tdesc_fetch_rsp, cl, &err));
	assert_string_equal(td.arch, "toy");
	assert_int_equal(td.nregs, 1);
	assert_string_equal(td.regs[0].name, "pc");
	tdesc_free(&td);
	char *d;
	size_t n;
	assert_int_equal(
	    rsp_client_xfer_read(cl, "features", "missing.xml", &d, &n, &err),
	    -1);
	assert_int_equal(err.kind, RSP_E_STUB);
	finish();
}

static void test_breakpoints_and_execution(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000"),
	    FS_X("Z0,401000,1"),
	    FS_R("OK"),
	    FS_X("c"),
	    FS_R("O68690a"), /* console output, then the stop */
	    FS_R("T05thread:01;10:0010400000000000;"),
	    FS_X("s"),
	    FS_R("S05"),
	    FS_X("C10"),
	    FS_R("T05thread:01;"),
	    FS_X("z0,401000,1"),
	    FS_R("OK"),
	    FS_X("Z0,0,1"),
	    FS_R(""),
	    FS_X("c"),
	    FS_R("W2a"),
	};
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	OK(rsp_client_set_break(cl, 0x401000, 1, &err));
	OK(rsp_client_cont(cl, &st, &err));
	assert_int_equal(st.kind, RSP_STOP_SIGNAL);
	assert_int_equal(st.code, RSP_GDB_SIGTRAP);
	assert_int_equal(st.nregs, 1);
	assert_true(rsp_le_load(st.regs[0].bytes, 8) == 0x401000);
	OK(rsp_client_step(cl, &st, &err));
	assert_int_equal(st.code, 5);
	OK(rsp_client_cont_sig(cl, RSP_GDB_SIGURG, &st, &err));
	OK(rsp_client_clear_break(cl, 0x401000, 1, &err));
	assert_int_equal(rsp_client_set_break(cl, 0, 1, &err), -1);
	assert_int_equal(err.kind, RSP_E_UNSUPPORTED);
	OK(rsp_client_cont(cl, &st, &err));
	assert_int_equal(st.kind, RSP_STOP_EXITED);
	assert_int_equal(st.code, 42);
	assert_non_null(strstr(tracebuf, "<O68690a\n"));
	finish();
}

static void test_interrupt_and_kill(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000"),
	    {FS_EXPECT_INTERRUPT, NULL, 0},
	    FS_R("S02"),
	    FS_X("vKill;1"),
	    FS_R("OK"),
	    {FS_CLOSE, NULL, 0},
	};
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	OK(rsp_client_interrupt(cl, &err));
	OK(rsp_client_wait_stop(cl, &st, &err));
	assert_int_equal(st.code, RSP_GDB_SIGINT);
	OK(rsp_client_kill(cl, 1, &err));
	finish();
}

static void test_kill_falls_back_to_k(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000"), FS_X("vKill;1"), FS_R(""), FS_X("k"),
	    {FS_CLOSE, NULL, 0},
	};
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	OK(rsp_client_kill(cl, 1, &err));
	finish();
}

static void test_closes_mid_packet(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000"),
	    FS_X("g"),
	    FS_RAWS("$0011"),
	    {FS_CLOSE, NULL, 0},
	};
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	uint8_t b[8];
	size_t n;
	assert_int_equal(rsp_client_read_regs(cl, b, sizeof b, &n, &err), -1);
	assert_int_equal(err.kind, RSP_E_CLOSED);
	assert_non_null(strstr(err.msg, "middle of a packet"));
	assert_non_null(strstr(err.msg, "'g'"));
	finish();
}

static void test_closes_before_reply(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000"),
	    FS_X("c"),
	    {FS_CLOSE, NULL, 0},
	};
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	assert_int_equal(rsp_client_cont(cl, &st, &err), -1);
	assert_int_equal(err.kind, RSP_E_CLOSED);
	assert_non_null(strstr(err.msg, "before replying"));
	finish();
}

static long elapsed_ms(struct timespec a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
}

static void test_stall_times_out(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000"),
	    FS_X("m1000,400"), /* the block (RSPC-5) */
	    FS_RAWS("$00"),    /* then nothing */
	    {FS_STALL, NULL, 0},
	};
	start(s, N(s), 300);
	OK(rsp_client_handshake(cl, &err));
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint8_t b[8];
	assert_int_equal(rsp_client_read_mem(cl, 0x1000, b, 8, &err), -1);
	long ms = elapsed_ms(t0);
	assert_int_equal(err.kind, RSP_E_TIMEOUT);
	assert_non_null(strstr(err.msg, "stalled"));
	assert_non_null(strstr(err.msg, "mid-packet"));
	assert_true(ms >= 250 && ms < 3000);
	finish();
}

/* rsp_client_no_cache: every read asks the stub (rspbench's round trips). */
static void test_no_cache(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000"),
	    FS_X("m1000,1"),
	    FS_R("01"),
	    FS_X("m1000,1"),
	    FS_R("02"),
	    FS_X("g"),
	    FS_R("03"),
	    FS_X("g"),
	    FS_R("04"),
	};
	uint8_t b[1];
	size_t n;
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	rsp_client_no_cache(cl);
	OK(rsp_client_read_mem(cl, 0x1000, b, 1, &err));
	OK(rsp_client_read_mem(cl, 0x1000, b, 1, &err));
	assert_int_equal(b[0], 2);
	OK(rsp_client_read_regs(cl, b, 1, &n, &err));
	OK(rsp_client_read_regs(cl, b, 1, &n, &err));
	assert_int_equal(b[0], 4);
	finish();
}

/* A resume that timed out (a hang), then a stop the stub reports later
   (QEMU stopped by a signal sent to its process): wait_stop_for gets it
   with a deadline of its own. */
static void test_stop_after_a_timed_out_resume(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000"), FS_X("c"),
	    {FS_SLEEP, "400", 0},	  FS_R("T02thread:01;"),
	    {FS_CLOSE, NULL, 0},
	};
	start(s, N(s), 200);
	OK(rsp_client_handshake(cl, &err));
	assert_int_equal(rsp_client_cont(cl, &st, &err), -1);
	assert_int_equal(err.kind, RSP_E_TIMEOUT);
	/* nothing came back to a resume: the guest runs on (a hang), the
	   stub did not stall */
	assert_string_equal(err.msg, "'c': the guest did not stop within the "
				     "timeout (200 ms)");
	/* the failed request's deadline has passed: a plain wait fails */
	assert_int_equal(rsp_client_wait_stop(cl, &st, &err), -1);
	assert_int_equal(err.kind, RSP_E_TIMEOUT);
	OK(rsp_client_wait_stop_for(cl, 2000, &st, &err));
	assert_int_equal(st.kind, RSP_STOP_SIGNAL);
	assert_int_equal(st.code, RSP_GDB_SIGINT);
	finish();
}

static void test_stall_without_ack(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    FS_XP("qSupported"), /* acked by the stub, then silence */
	    {FS_STALL, NULL, 0},
	};
	start(s, N(s), 200);
	assert_int_equal(rsp_client_handshake(cl, &err), -1);
	assert_int_equal(err.kind, RSP_E_TIMEOUT);
	finish();
}

static void test_garbage(void **state)
{
	(void)state;
	static char lots[RSPC_GARBAGE_MAX + 100];
	memset(lots, 'g', sizeof lots - 1);
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000"),
	    FS_X("p0"),
	    FS_RAWS("junk\r\n"), /* a little garbage is skipped */
	    FS_R("0100"),
	    FS_X("p1"),
	    FS_RAWS(lots),
	    {FS_STALL, NULL, 0},
	};
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	uint8_t b[8];
	size_t n;
	OK(rsp_client_read_reg(cl, 0, b, sizeof b, &n, &err));
	assert_int_equal(n, 2);
	assert_int_equal(rsp_client_garbage(cl), 6);
	assert_int_equal(rsp_client_read_reg(cl, 1, b, sizeof b, &n, &err), -1);
	assert_int_equal(err.kind, RSP_E_PROTO);
	assert_non_null(strstr(err.msg, "garbage"));
	finish();
}

static void test_bad_checksum_is_naked_and_resent(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000"),
	    FS_X("Z0,10,1"),
	    FS_RAWS("$OK#00"),
	    {FS_EXPECT_NAK, NULL, 0},
	    FS_R("OK"),
	    FS_X("Z0,20,1"),
	    FS_RAWS("$OK#00$OK#01$OK#02$OK#03"),
	    {FS_EXPECT_NAK, NULL, 0},
	    {FS_EXPECT_NAK, NULL, 0},
	    {FS_EXPECT_NAK, NULL, 0},
	    {FS_STALL, NULL, 0},
	};
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	OK(rsp_client_set_break(cl, 0x10, 1, &err));
	assert_int_equal(rsp_client_set_break(cl, 0x20, 1, &err), -1);
	assert_int_equal(err.kind, RSP_E_PROTO);
	assert_non_null(strstr(err.msg, "checksum mismatch"));
	finish();
}

static void test_stub_naks_our_packet(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000"),
	    {FS_EXPECT_NAKIT, "s", 0},
	    FS_X("s"), /* resent */
	    FS_R("S05"),
	    {FS_EXPECT_NAKIT, "c", 0},
	    {FS_EXPECT_NAKIT, "c", 0},
	    {FS_EXPECT_NAKIT, "c", 0},
	    {FS_EXPECT_NAKIT, "c", 0},
	    {FS_STALL, NULL, 0},
	};
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	OK(rsp_client_step(cl, &st, &err));
	assert_int_equal(rsp_client_cont(cl, &st, &err), -1);
	assert_non_null(strstr(err.msg, "rejected the packet"));
	finish();
}

static void test_bad_stop_reply(void **state)
{
	(void)state;
	const struct fs_step s[] = {
	    HANDSHAKE("PacketSize=1000"),
	    FS_X("c"),
	    FS_R("Q05"),
	};
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	assert_int_equal(rsp_client_cont(cl, &st, &err), -1);
	assert_int_equal(err.kind, RSP_E_PROTO);
	assert_non_null(strstr(err.msg, "bad stop reply"));
	finish();
}

static void test_oversized_command_refused(void **state)
{
	(void)state;
	const struct fs_step s[] = {HANDSHAKE("PacketSize=40")};
	start(s, N(s), 2000);
	OK(rsp_client_handshake(cl, &err));
	uint8_t regs[64] = {0};
	assert_int_equal(rsp_client_write_regs(cl, regs, sizeof regs, &err),
			 -1);
	assert_int_equal(err.kind, RSP_E_ARG);
	finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_handshake_ack_mode),
	    cmocka_unit_test(test_handshake_noack_then_registers),
	    cmocka_unit_test(test_ack_with_next_packet),
	    cmocka_unit_test(test_memory_split_to_packet_size),
	    cmocka_unit_test(test_cache_while_stopped),
	    cmocka_unit_test(test_read_block_refused),
	    cmocka_unit_test(test_no_cache),
	    cmocka_unit_test(test_xfer_and_tdesc),
	    cmocka_unit_test(test_breakpoints_and_execution),
	    cmocka_unit_test(test_interrupt_and_kill),
	    cmocka_unit_test(test_kill_falls_back_to_k),
	    cmocka_unit_test(test_closes_mid_packet),
	    cmocka_unit_test(test_closes_before_reply),
	    cmocka_unit_test(test_stall_times_out),
	    cmocka_unit_test(test_stop_after_a_timed_out_resume),
	    cmocka_unit_test(test_stall_without_ack),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_bad_checksum_is_naked_and_resent),
	    cmocka_unit_test(test_stub_naks_our_packet),
	    cmocka_unit_test(test_bad_stop_reply),
	    cmocka_unit_test(test_oversized_command_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
