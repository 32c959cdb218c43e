/*
 * gdbproxy.c -- one debugger lent the rig's gdbstub connection
 * (gdbproxy.h).
 */
#include "gdbproxy.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "launch.h"

/* ==== signals: a self-pipe, so poll sees them (GDBP-3) ================== */

static const int end_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIG_END (sizeof end_signals / sizeof end_signals[0])

static int sig_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int saved = errno;
	if (write(sig_pipe[1], &b, 1) < 0) { /* full: one is enough */
	}
	errno = saved;
}

static int catch_signals(struct sigaction *old, struct rsp_error *err)
{
	struct sigaction sa;
	size_t i;

	if (pipe(sig_pipe) < 0)
		return rsp_fail(err, RSP_E_IO, "pipe: %s", strerror(errno));
	for (i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
		fcntl(sig_pipe[i], F_SETFL, O_NONBLOCK);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIG_END; i++)
		sigaction(end_signals[i], &sa, &old[i]);
	return 0;
}

static void restore_signals(const struct sigaction *old)
{
	size_t i;
	for (i = 0; i < NSIG_END; i++)
		sigaction(end_signals[i], &old[i], NULL);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
}

/* ==== sockets ============================================================ */

int gdbproxy_listen(struct gdbproxy *p, struct rsp_error *err)
{
	struct sockaddr_un a;

	p->listen_fd = p->fd = -1;
	p->sock[0] = 0;
	if (launch_private_dir(p->dir, sizeof p->dir, NULL, "gdb", err) < 0)
		return -1;
	snprintf(p->sock, sizeof p->sock, "%s/gdb.sock", p->dir);
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	if (strlen(p->sock) >= sizeof a.sun_path) {
		rsp_fail(err, RSP_E_ARG, "%s: path too long for a socket",
			 p->sock);
		gdbproxy_close(p);
		return -1;
	}
	memcpy(a.sun_path, p->sock, strlen(p->sock) + 1);
	p->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (p->listen_fd < 0 || fcntl(p->listen_fd, F_SETFD, FD_CLOEXEC) < 0 ||
	    bind(p->listen_fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    listen(p->listen_fd, 1) < 0) {
		rsp_fail(err, RSP_E_IO, "listening on %s: %s", p->sock,
			 strerror(errno));
		gdbproxy_close(p);
		return -1;
	}
	return 0;
}

void gdbproxy_close(struct gdbproxy *p)
{
	if (p->fd >= 0)
		close(p->fd);
	if (p->listen_fd >= 0)
		close(p->listen_fd);
	p->fd = p->listen_fd = -1;
	if (p->dir[0])
		launch_remove_tree(p->dir);
	p->dir[0] = 0;
}

const char *gdbproxy_end_name(enum gdbp_end e)
{
	switch (e) {
	case GDBP_DETACHED:
		return "the debugger detached";
	case GDBP_KILLED:
		return "the debugger killed the guest";
	case GDBP_CLOSED:
		return "the debugger closed its connection";
	case GDBP_EXITED:
		return "the guest ended";
	case GDBP_SIGNAL:
		return "interrupted";
	}
	return "?";
}

/* All n bytes to fd; never SIGPIPE (a closed debugger is an end, not a
   death). 0, or -1. */
static int send_all(int fd, const void *buf, size_t n)
{
	const char *b = buf;
	while (n) {
		ssize_t k = send(fd, b, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Wait until fd, QEMU's connection or the signal pipe has something to
   read: fds[0..3) with their revents. 0, or -1 with err. */
static int wait_any(int fd, int qemu_fd, struct pollfd *fds,
		    struct rsp_error *err)
{
	fds[0] = (struct pollfd){fd, POLLIN, 0};
	fds[1] = (struct pollfd){qemu_fd, POLLIN, 0};
	fds[2] = (struct pollfd){sig_pipe[0], POLLIN, 0};
	while (poll(fds, 3, -1) < 0)
		if (errno != EINTR)
			return rsp_fail(err, RSP_E_IO, "poll: %s",
					strerror(errno));
	return 0;
}

/* Wait for the debugger (or QEMU's end, or a signal): 1 connected, 0 the
   session ended before (*end), -1 err. */
static int wait_debugger(struct gdbproxy *p, int qemu_fd, int *end,
			 struct rsp_error *err)
{
	struct pollfd fds[3];
	for (;;) {
		if (wait_any(p->listen_fd, qemu_fd, fds, err) < 0)
			return -1;
		if (fds[2].revents) {
			*end = GDBP_SIGNAL;
			return 0;
		}
		if (fds[1].revents) { /* QEMU said something unasked: gone */
			*end = GDBP_EXITED;
			return 0;
		}
		if (fds[0].revents)
			break;
	}
	p->fd = accept(p->listen_fd, NULL, NULL);
	if (p->fd < 0)
		return rsp_fail(err, RSP_E_IO, "accepting on %s: %s", p->sock,
				strerror(errno));
	fcntl(p->fd, F_SETFD, FD_CLOEXEC);
	close(p->listen_fd); /* GDBP-1: one connection */
	p->listen_fd = -1;
	unlink(p->sock);
	return 1;
}

/* ==== the debugger's packets (GDBP-2) ==================================== */

struct from_gdb {
	struct rsp_decoder dec;
	char pend[2 * RSP_PACKET_MAX + 8]; /* raw bytes not forwarded yet */
	size_t npend;
};

/* A packet that ends the session, answered here: the end, else -1. */
static int ending_packet(const char *body)
{
	if (body[0] == 'D' && (!body[1] || body[1] == ';'))
		return GDBP_DETACHED;
	if (!strcmp(body, "k") || !strncmp(body, "vKill", 5))
		return GDBP_KILLED;
	return -1;
}

/* One chunk from the debugger: forwarded, or the session's end (>= 0).
   -1: keep going; -2: QEMU's connection failed. */
static int from_debugger(struct from_gdb *g, const char *in, size_t n,
			 int qemu_fd, pid_t qemu_pid, int gdb_fd)
{
	while (n) {
		struct rsp_event ev;
		size_t used = rsp_decode(&g->dec, in, n, &ev);
		int end;
		if (g->npend + used > sizeof g->pend) { /* no D: pass on */
			if (send_all(qemu_fd, g->pend, g->npend) < 0)
				return -2;
			g->npend = 0;
		}
		memcpy(g->pend + g->npend, in, used);
		g->npend += used;
		in += used;
		n -= used;
		if (ev.kind == RSP_EV_PACKET &&
		    (end = ending_packet(ev.data)) >= 0) {
			send_all(gdb_fd, "+", 1);
			if (strcmp(ev.data, "k"))
				send_all(gdb_fd, "$OK#9a", 6);
			return end;
		}
		if (ev.kind == RSP_EV_INTERRUPT) {
			g->npend--; /* the 0x03 itself */
			kill(qemu_pid, SIGINT);
		}
		if (ev.kind != RSP_EV_NONE || g->dec.state == RSP_DS_IDLE) {
			if (send_all(qemu_fd, g->pend, g->npend) < 0)
				return -2;
			g->npend = 0;
		}
	}
	return -1;
}

/* After answering D or vKill: the debugger acknowledges the answer, then
   closes; closing first would make it report a broken pipe. Read until
   it closes, for at most 2 s. */
static void linger(int fd)
{
	struct pollfd pfd = {fd, POLLIN, 0};
	char buf[256];
	while (poll(&pfd, 1, 2000) > 0 && read(fd, buf, sizeof buf) > 0)
		;
}

/* Forward until the session ends (GDBP-3): its end, or -1 with err. */
static int forward(struct gdbproxy *p, int qemu_fd, pid_t qemu_pid,
		   struct from_gdb *g, struct rsp_error *err)
{
	struct pollfd fds[3];
	char buf[4096];
	ssize_t k;
	int end;

	for (;;) {
		if (wait_any(p->fd, qemu_fd, fds, err) < 0)
			return -1;
		if (fds[2].revents)
			return GDBP_SIGNAL;
		if (fds[1].revents) {
			k = read(qemu_fd, buf, sizeof buf);
			if (k <= 0)
				return GDBP_EXITED;
			if (send_all(p->fd, buf, (size_t)k) < 0)
				return GDBP_CLOSED;
		}
		if (fds[0].revents) {
			k = read(p->fd, buf, sizeof buf);
			if (k <= 0)
				return GDBP_CLOSED;
			end = from_debugger(g, buf, (size_t)k, qemu_fd,
					    qemu_pid, p->fd);
			if (end == -2)
				return GDBP_EXITED;
			if (end >= 0) {
				linger(p->fd);
				return end;
			}
		}
	}
}

int gdbproxy_serve(struct gdbproxy *p, int qemu_fd, pid_t qemu_pid, int *signo,
		   struct rsp_error *err)
{
	static struct from_gdb g; /* large; one session at a time */
	struct sigaction old[NSIG_END];
	unsigned char s = 0;
	int end = -1, rc;

	*signo = 0;
	if (catch_signals(old, err) < 0)
		return -1;
	rc = wait_debugger(p, qemu_fd, &end, err);
	if (rc > 0) {
		memset(&g, 0, sizeof g);
		rsp_decoder_init(&g.dec);
		end = forward(p, qemu_fd, qemu_pid, &g, err);
	}
	if (end == GDBP_SIGNAL && read(sig_pipe[0], &s, 1) == 1)
		*signo = s;
	restore_signals(old);
	return rc < 0 ? -1 : end;
}
