/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * server.c - the HTTP daemon (see server.h).
 *
 * libmicrohttpd with an internal thread pool.  Each pool thread lazily
 * gets its own worker (worker.h); each request is handed to the route
 * table (routes.h) and its reply sent by reply.h.  Requests are GET or
 * HEAD only; URLs, argument counts and reply sizes are bounded; nothing
 * about a request (no IP, no query) is logged.
 */
#include "server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "../src/cli/cli.h"
#include "listen.h"
#include "reply.h"
#include "routes.h"
#include "worker.h"

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn,
                              const char *url, const char *method,
                              const char *version, const char *upload_data,
                              size_t *upload_size, void **req_cls) {
  (void)version, (void)upload_data;
  const server_config *cfg = cls;
  /* First call per request: headers only.  Answer on the second. */
  if (*req_cls == NULL) {
    *req_cls = (void *)1;
    return MHD_YES;
  }
  if (*upload_size) {
    *upload_size = 0; /* bodies are ignored: we only serve GET/HEAD */
    return MHD_YES;
  }
  worker *w = worker_for_thread();
  if (w == NULL)
    return MHD_NO;
  worker_reset(w);
  reply rep;
  reply_init(&rep, &w->out);
  routes_dispatch(conn, w, cfg, method, url, &rep);
  return reply_send(conn, &rep, strcmp(method, "HEAD") == 0);
}

/* Fills `ss` from cfg->bind and cfg->port; false if bind is neither an
 * IPv4 nor an IPv6 address.  Adds MHD_USE_IPv6 to *flags for IPv6. */
static bool bind_address(const server_config *cfg, struct sockaddr_storage *ss,
                         unsigned *flags) {
  struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET, cfg->bind, &in4->sin_addr) == 1) {
    in4->sin_family = AF_INET;
    in4->sin_port = htons((uint16_t)cfg->port);
    return true;
  }
  if (inet_pton(AF_INET6, cfg->bind, &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((uint16_t)cfg->port);
    *flags |= MHD_USE_IPv6;
    return true;
  }
  return false;
}

/* `lfd` is a socket systemd passed (listen.h), used instead of binding
 * `ss`, or -1. */
static struct MHD_Daemon *start(const server_config *cfg,
                                struct sockaddr_storage *ss, unsigned flags,
                                int lfd) {
  return MHD_start_daemon(
      flags, (uint16_t)cfg->port, NULL, NULL, handle, (void *)cfg,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)ss, MHD_OPTION_THREAD_POOL_SIZE,
      cfg->threads, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
      MHD_OPTION_CONNECTION_LIMIT, 1000u, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
      200u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
      MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_LISTEN_SOCKET, lfd,
      MHD_OPTION_END);
}

/* The start-up lines on stderr: what is served, and where. */
static void announce(const server_config *cfg, struct MHD_Daemon *d,
                     uint64_t docs, int lfd) {
  unsigned port = cfg->port;
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  if (info)
    port = info->port;
  fprintf(stderr, "teilhabe: serving %llu articles from %s with %u threads\n",
          (unsigned long long)docs, cfg->db, cfg->threads);
  char where[96];
  if (lfd >= 0) {
    listen_describe(lfd, where, sizeof where);
    fprintf(stderr, "teilhabe: listening on %s (passed by systemd)\n", where);
  } else if (strchr(cfg->bind, ':'))
    fprintf(stderr, "teilhabe: listening on http://[%s]:%u/\n", cfg->bind,
            port);
  else
    fprintf(stderr, "teilhabe: listening on http://%s:%u/\n", cfg->bind, port);
  if (cfg->corpus)
    fprintf(stderr,
            "teilhabe: preview of %s: saved changes show within a second; "
            "/vorschau opens the article saved last\n",
            cfg->corpus);
  fflush(stderr);
}

int server_run(const server_config *cfg, uint64_t docs) {
  struct sockaddr_storage ss = {0};
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY;
  if (!bind_address(cfg, &ss, &flags)) {
    fprintf(stderr,
            "teilhabe serve: --bind '%s' is not an IPv4 or IPv6 address\n",
            cfg->bind);
    return EXIT_USAGE;
  }
  if (!worker_setup())
    return EXIT_RUNTIME;
  /* Signals are taken by sigwait below, not by pool threads. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  int lfd = listen_inherited();
  if (lfd == -2)
    return EXIT_RUNTIME;
  struct MHD_Daemon *d = start(cfg, &ss, flags, lfd);
  if (d == NULL && lfd >= 0) {
    fprintf(stderr, "teilhabe serve: cannot serve the socket systemd passed\n");
    return EXIT_RUNTIME;
  }
  if (d == NULL) {
    fprintf(stderr,
            "teilhabe serve: cannot listen on %s port %u (in use, or not "
            "allowed)\n",
            cfg->bind, cfg->port);
    return EXIT_RUNTIME;
  }
  announce(cfg, d, docs, lfd);
  listen_notify("READY=1");
  int sig = 0;
  sigwait(&set, &sig);
  listen_notify("STOPPING=1");
  fprintf(stderr, "teilhabe: stopping\n");
  MHD_stop_daemon(d);
  return EXIT_OK;
}
