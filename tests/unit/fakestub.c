/*
 * fakestub.c -- the scripted gdbstub of fakestub.h: a pthread replaying
 * steps over a socketpair, decoding the client's bytes with the codec.
 */
#include "fakestub.h"
#include "rsp.h"

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct fakestub {
	pthread_t thread;
	int fd;
	const struct fs_step *steps;
	size_t n;
	int noack;
	int failed;
	struct rsp_decoder dec;
	unsigned char in[4096];
	size_t inpos, inlen;
	char frame[2 * RSP_PACKET_MAX + 4];
};

static char why[512];

static int fail(struct fakestub *fs, size_t step, const char *msg,
		const char *detail)
{
	if (!fs->failed)
		snprintf(why, sizeof why, "fakestub step %zu: %s%s%.200s", step,
			 msg, detail ? ": " : "", detail ? detail : "");
	fs->failed = 1;
	return -1;
}

/* Next client event; -1 on EOF or timeout. */
static int next_event(struct fakestub *fs, struct rsp_event *ev)
{
	for (;;) {
		if (fs->inpos == fs->inlen) {
			struct pollfd p = {.fd = fs->fd, .events = POLLIN};
			if (poll(&p, 1, FAKESTUB_WAIT_MS) <= 0)
				return -1;
			ssize_t r = read(fs->fd, fs->in, sizeof fs->in);
			if (r <= 0)
				return -1;
			fs->inpos = 0;
			fs->inlen = (size_t)r;
		}
		fs->inpos += rsp_decode(&fs->dec, fs->in + fs->inpos,
					fs->inlen - fs->inpos, ev);
		if (ev->kind != RSP_EV_NONE)
			return 0;
	}
}

static int send_all(struct fakestub *fs, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fs->fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int expect_packet(struct fakestub *fs, size_t i, const struct fs_step *s)
{
	struct rsp_event ev;
	do
		if (next_event(fs, &ev) < 0)
			return fail(fs, i, "no packet from the client",
				    s->data);
	while (ev.kind == RSP_EV_ACK);
	if (ev.kind != RSP_EV_PACKET)
		return fail(fs, i, "expected a packet, got another event",
			    s->data);
	size_t k = strlen(s->data);
	int ok = s->op != FS_EXPECT_PREFIX
		     ? ev.len == k && memcmp(ev.data, s->data, k) == 0
		     : ev.len >= k && memcmp(ev.data, s->data, k) == 0;
	if (!ok)
		return fail(fs, i, "unexpected packet", ev.data);
	if (s->op == FS_EXPECT_NAKIT)
		return send_all(fs, "-", 1);
	return fs->noack ? 0 : send_all(fs, "+", 1);
}

static int reply(struct fakestub *fs, size_t i, const struct fs_step *s,
		 int joined)
{
	size_t n =
	    rsp_encode(fs->frame, sizeof fs->frame, s->data, strlen(s->data));
	for (int tries = 0; tries < 5; tries++) {
		struct rsp_event ev;
		if (send_all(fs, fs->frame, n) < 0)
			return fail(fs, i, "send failed", NULL);
		if (fs->noack)
			return 0;
		if (next_event(fs, &ev) < 0)
			return fail(fs, i, "no ack for reply", s->data);
		if (ev.kind == RSP_EV_ACK && joined &&
		    (fs->inpos == fs->inlen || fs->in[fs->inpos] != '$'))
			return fail(fs, i,
				    "the ack came alone, not with the next "
				    "packet",
				    s->data);
		if (ev.kind == RSP_EV_ACK)
			return 0;
		if (ev.kind != RSP_EV_NAK)
			return fail(fs, i, "expected '+' for reply", s->data);
	}
	return fail(fs, i, "reply rejected 5 times", s->data);
}

static int expect_event(struct fakestub *fs, size_t i, enum rsp_event_kind k)
{
	struct rsp_event ev;
	if (next_event(fs, &ev) < 0)
		return fail(fs, i, "no event from the client", NULL);
	return ev.kind == k ? 0 : fail(fs, i, "unexpected event", NULL);
}

static int stall(struct fakestub *fs)
{
	char b[256];
	struct pollfd p = {.fd = fs->fd, .events = POLLIN};
	while (poll(&p, 1, 4 * FAKESTUB_WAIT_MS) > 0)
		if (read(fs->fd, b, sizeof b) <= 0)
			break;
	return 0;
}

static int run_step(struct fakestub *fs, size_t i)
{
	const struct fs_step *s = &fs->steps[i];
	switch (s->op) {
	case FS_EXPECT:
	case FS_EXPECT_PREFIX:
	case FS_EXPECT_NAKIT:
		return expect_packet(fs, i, s);
	case FS_REPLY:
	case FS_REPLY_JOINED:
		return reply(fs, i, s, s->op == FS_REPLY_JOINED);
	case FS_RAW:
		return send_all(fs, s->data, s->len ? s->len : strlen(s->data));
	case FS_EXPECT_ACK:
		return expect_event(fs, i, RSP_EV_ACK);
	case FS_EXPECT_NAK:
		return expect_event(fs, i, RSP_EV_NAK);
	case FS_EXPECT_INTERRUPT:
		return expect_event(fs, i, RSP_EV_INTERRUPT);
	case FS_NOACK:
		fs->noack = 1;
		return 0;
	case FS_CLOSE:
		return 1;
	case FS_STALL:
		stall(fs);
		return 1;
	case FS_SLEEP: {
		long ms = strtol(s->data, NULL, 10);
		struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
		return 0;
	}
	}
	return fail(fs, i, "bad step", NULL);
}

static void *stub_main(void *arg)
{
	struct fakestub *fs = arg;
	for (size_t i = 0; i < fs->n; i++) {
		int r = run_step(fs, i);
		if (r != 0)
			break;
	}
	close(fs->fd);
	return NULL;
}

struct fakestub *fakestub_start(const struct fs_step *steps, size_t n,
				int *client_fd)
{
	int sv[2];
	struct fakestub *fs = calloc(1, sizeof *fs);
	if (!fs || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		free(fs);
		return NULL;
	}
	why[0] = 0;
	fs->fd = sv[1];
	fs->steps = steps;
	fs->n = n;
	rsp_decoder_init(&fs->dec);
	*client_fd = sv[0];
	if (pthread_create(&fs->thread, NULL, stub_main, fs) != 0) {
		close(sv[0]);
		close(sv[1]);
		free(fs);
		return NULL;
	}
	return fs;
}

const char *fakestub_finish(struct fakestub *fs)
{
	pthread_join(fs->thread, NULL);
	int failed = fs->failed;
	free(fs);
	return failed ? why : NULL;
}
