/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * listen.c - socket activation and readiness the way systemd does them
 * (see listen.h).
 */
#include "listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../src/cli/cli.h"

/* The first descriptor systemd passes (SD_LISTEN_FDS_START). */
#define LISTEN_FD_START 3

int listen_inherited(void) {
  const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
  unsigned want_pid = 0, n = 0;
  bool ours = pid && fds && cli_uint(pid, 1, 0x7fffffffu, &want_pid) &&
              (pid_t)want_pid == getpid();
  bool counted = ours && cli_uint(fds, 0, 1024, &n);
  unsetenv("LISTEN_PID");
  unsetenv("LISTEN_FDS");
  unsetenv("LISTEN_FDNAMES");
  if (!ours)
    return -1;
  if (!counted || n != 1) {
    fprintf(stderr,
            "teilhabe serve: systemd passed %s sockets; give the socket "
            "unit exactly one ListenStream=\n",
            fds);
    return -2;
  }
  int fd = LISTEN_FD_START, accepting = 0, type = 0;
  socklen_t len = sizeof accepting;
  bool listening =
      getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) == 0 &&
      accepting;
  len = sizeof type;
  if (!listening || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 ||
      type != SOCK_STREAM) {
    fprintf(stderr,
            "teilhabe serve: the socket systemd passed is not a listening "
            "stream socket (ListenStream= in the socket unit)\n");
    return -2;
  }
  int flags = fcntl(fd, F_GETFD);
  if (flags >= 0)
    fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  return fd;
}

void listen_describe(int fd, char *buf, size_t cap) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  char host[INET6_ADDRSTRLEN] = "";
  unsigned port = 0;
  if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
    if (ss.ss_family == AF_INET) {
      struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
      inet_ntop(AF_INET, &in4->sin_addr, host, sizeof host);
      port = ntohs(in4->sin_port);
    } else if (ss.ss_family == AF_INET6) {
      struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
      inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
      port = ntohs(in6->sin6_port);
    }
  }
  if (host[0] == '\0')
    snprintf(buf, cap, "the socket systemd passed");
  else if (strchr(host, ':'))
    snprintf(buf, cap, "http://[%s]:%u/", host, port);
  else
    snprintf(buf, cap, "http://%s:%u/", host, port);
}

void listen_notify(const char *state) {
  const char *path = getenv("NOTIFY_SOCKET");
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  size_t n = path ? strlen(path) : 0;
  /* A path, or "@name" for an abstract socket. */
  if (n < 2 || n >= sizeof sa.sun_path || (path[0] != '/' && path[0] != '@'))
    return;
  memcpy(sa.sun_path, path, n);
  if (path[0] == '@')
    sa.sun_path[0] = '\0';
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return;
  socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
  (void)sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa,
               len);
  close(fd);
}
