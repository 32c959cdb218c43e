/*
 * fakestub.h -- a scripted gdbstub for the client's unit tests: a thread at
 * the other end of a socketpair replays a list of steps (expect a packet,
 * reply, send raw bytes, close, stall). Like QEMU 7.2 user mode, in ack
 * mode it acks every good packet and waits for '+' after each reply.
 * Every wait is bounded (FAKESTUB_WAIT_MS) so a broken client cannot hang
 * a test.
 */
#ifndef EVERYPC_FAKESTUB_H
#define EVERYPC_FAKESTUB_H

#include <stddef.h>

#define FAKESTUB_WAIT_MS 5000

enum fs_op {
	FS_EXPECT,	     /* read a packet; its body must equal data */
	FS_EXPECT_PREFIX,    /* ... must begin with data */
	FS_EXPECT_NAKIT,     /* read a packet equal to data, answer '-' */
	FS_REPLY,	     /* send $data#cc, then (ack mode) await '+' */
	FS_REPLY_JOINED,     /* ... a '+' that comes in one read with the
				client's next packet (RSPC-2) */
	FS_RAW,		     /* send data[0..len) as is */
	FS_EXPECT_ACK,	     /* the next event must be '+' */
	FS_EXPECT_NAK,	     /* the next event must be '-' */
	FS_EXPECT_INTERRUPT, /* the next event must be 0x03 */
	FS_NOACK,	     /* stop acking and expecting acks */
	FS_CLOSE,	     /* close the connection, end the script */
	FS_STALL,	     /* send nothing until the client closes */
	FS_SLEEP,	     /* wait data (decimal) milliseconds */
};

struct fs_step {
	enum fs_op op;
	const char *data;
	size_t len; /* FS_RAW; 0: strlen(data) */
};

#define FS_X(s)                                                                \
	{                                                                      \
		FS_EXPECT, (s), 0                                              \
	}
#define FS_XP(s)                                                               \
	{                                                                      \
		FS_EXPECT_PREFIX, (s), 0                                       \
	}
#define FS_R(s)                                                                \
	{                                                                      \
		FS_REPLY, (s), 0                                               \
	}
#define FS_RAWS(s)                                                             \
	{                                                                      \
		FS_RAW, (s), 0                                                 \
	}

struct fakestub;

/* Start the stub; *client_fd gets the client's end of the socketpair. */
struct fakestub *fakestub_start(const struct fs_step *steps, size_t n,
				int *client_fd);
/* Join the stub (the client must have closed its end or the script must
 * end by itself). NULL when every step ran as scripted, else why not; the
 * string lives until the next fakestub_start. */
const char *fakestub_finish(struct fakestub *fs);

#endif
