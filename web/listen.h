/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * listen.h - what systemd hands a service: a listening socket (socket
 * activation, the protocol of sd_listen_fds(3)) and a socket to report
 * readiness on (the protocol of sd_notify(3)).
 *
 * Both protocols are a few environment variables and one datagram, stable
 * since systemd 209, so they are spoken here directly rather than through
 * libsystemd: one dependency less, and the same binary works without
 * systemd.  Depends on nothing but the C library; its user is server.c.
 */
#ifndef TEILHABE_WEB_LISTEN_H
#define TEILHABE_WEB_LISTEN_H

#include <stddef.h>

/* The listening socket systemd passed to this process: when $LISTEN_PID
 * is our pid and $LISTEN_FDS is 1, file descriptor 3, checked to be a
 * listening stream socket and set close-on-exec.  The variables are
 * removed either way, so nothing started later takes them for its own.
 * Returns the descriptor (owned by the caller), -1 when none was passed,
 * or -2 after printing why the one passed cannot be used. */
int listen_inherited(void);

/* Writes "http://ADDR:PORT/" (IPv6 in brackets) for the address socket
 * `fd` listens on into `buf`; "the socket systemd passed" if it has none
 * we can print (a Unix socket). */
void listen_describe(int fd, char *buf, size_t cap);

/* Sends `state` ("READY=1", "STOPPING=1", "STATUS=…") to $NOTIFY_SOCKET;
 * does nothing when it is not set, and ignores failures: readiness is a
 * courtesy to the service manager, never a reason to stop serving. */
void listen_notify(const char *state);

#endif
