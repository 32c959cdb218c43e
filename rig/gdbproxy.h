/*
 * gdbproxy.h -- replay --gdb: one debugger served on a private unix
 * socket, its packets forwarded over the gdbstub connection the rig holds.
 *
 * Why a proxy. Measured with QEMU 7.2 user mode: its gdbstub serves one
 * connection; when that client closes its socket, or sends D, the guest
 * runs on unobserved (to its end), and a second client is accepted by the
 * kernel's listen backlog but never served. So the rig, which brought the
 * guest to its stop, keeps that connection and lends it to the debugger.
 *
 * INVARIANTS (cited as "GDBP-n"):
 *
 * GDBP-1 The debugger's socket is <tmp>/everypc-<pid>-gdb-XXXXXX/gdb.sock,
 *        a private directory (LAUNCH-7, mode 0700); one connection is
 *        served, then the socket is removed. gdbproxy_close removes the
 *        directory on every path.
 *
 * GDBP-2 Bytes pass unchanged both ways (both ends stay in ack mode:
 *        QEMU 7.2 answers QStartNoAckMode with an empty packet, RSPC-2),
 *        except: the debugger's D, k and vKill packets are acknowledged and
 *        answered by the proxy (OK; nothing for k) and end the session --
 *        forwarded, they would let the guest run on, so the rig kills it
 *        instead; and the interrupt byte 0x03 becomes SIGINT to QEMU's
 *        process (user mode reads the socket only while the guest is
 *        stopped, so the byte would wait for the next stop).
 *
 * GDBP-3 The session ends when the debugger detaches, kills or closes
 *        its connection, when QEMU closes its side (the guest exited or
 *        was killed), or when SIGINT, SIGTERM or SIGHUP reaches the rig;
 *        the caller learns which, and the signal, and cleans up (the
 *        signals' previous dispositions are restored first).
 */
#ifndef EVERYPC_GDBPROXY_H
#define EVERYPC_GDBPROXY_H

#include <sys/types.h>

#include "rsp.h"

enum gdbp_end {
	GDBP_DETACHED, /* the debugger sent D */
	GDBP_KILLED,   /* the debugger sent k or vKill */
	GDBP_CLOSED,   /* the debugger closed its connection */
	GDBP_EXITED,   /* QEMU closed its side: the guest ended */
	GDBP_SIGNAL,   /* SIGINT, SIGTERM or SIGHUP reached the rig */
};

struct gdbproxy {
	int listen_fd, fd; /* -1 when closed */
	char dir[256];
	char sock[280];
};

/* GDBP-1: make the directory and listen. 0, or -1 with err. */
int gdbproxy_listen(struct gdbproxy *p, struct rsp_error *err);

/* Wait for the debugger, then forward between it and qemu_fd (the rig's
   gdbstub connection, idle: no request in flight) until the session ends
   (GDBP-3). Returns the enum gdbp_end, *signo the signal for
   GDBP_SIGNAL; or -1 with err. */
int gdbproxy_serve(struct gdbproxy *p, int qemu_fd, pid_t qemu_pid, int *signo,
		   struct rsp_error *err);

/* How the session ended, in words ("the debugger detached"). */
const char *gdbproxy_end_name(enum gdbp_end e);

/* Close both sockets and remove the directory; idempotent. */
void gdbproxy_close(struct gdbproxy *p);

#endif
