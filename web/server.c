/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * server.c - the HTTP daemon (see server.h).
 *
 * libmicrohttpd without a thread of its own: its event loop is run by
 * the worker threads of pool.h (see there), one at a time, between the
 * requests they answer.  Each request is first checked by the guard
 * (guard.h) in the loop; a request it lets through is suspended there
 * and queued, and a thread that is free, with its own worker (worker.h),
 * hands it to the route table (routes.h), builds the response (reply.h)
 * and resumes the connection, in the order the requests came.  The
 * connection's next call of the handler, in the loop's next pass - run
 * by that same thread, unless another thread is in the loop then -
 * queues the response and sends it.  Requests are GET or HEAD only; URLs,
 * argument counts, headers, the time to send a request, connections (per
 * client address too) and reply sizes are bounded; nothing about a
 * request (no IP, no query) is logged.
 *
 * Signals are taken by the main thread alone (sigwait): SIGTERM and
 * SIGINT stop the server gracefully - no new connections, requests in
 * flight are answered (for at most WEB_SHUTDOWN_WAIT_MS) - SIGHUP
 * reopens the zero-result log (for log rotation; the index is followed
 * on every request anyway), SIGUSR1, SIGUSR2 and SIGALRM are logged and
 * ignored, SIGPIPE is ignored.
 */
#include "server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../src/cli/cli.h"
#include "guard.h"
#include "listen.h"
#include "pool.h"
#include "reject.h"
#include "reply.h"
#include "routes.h"
#include "worker.h"
#include "zerolog.h"

static bool is_api(const char *url) { return strncmp(url, "/api/", 5) == 0; }

/* What the handler's closure is: the configuration, the guard whose
 * callbacks run first and the pool that answers (and runs the daemon's
 * loop). */
typedef struct server {
  const server_config *cfg;
  guard *g;
  pool *pool;
} server;

/* How long a free thread waits in the loop at most, and how many
 * passes without waiting follow a pass. */
enum { POLL_WAIT_MS = 100, POLL_PASSES = 8 };

/* libmicrohttpd's loop as the pool runs it (pool_loop).  Without a
 * thread of its own, libmicrohttpd has no way to be woken when another
 * thread resumes a connection (it drops its wake-up channel), so a
 * thread waits on libmicrohttpd's epoll descriptor and an eventfd of
 * ours together. */
typedef struct loop {
  struct MHD_Daemon *d;
  guard *g; /* told what each pass has read */
  int epfd; /* watches libmicrohttpd's epoll descriptor and wake_fd */
  int wake_fd;
  /* The stop's MHD_quiesce_daemon, made by a pass, so that it never runs
   * beside one: asked for by the main thread, which waits for it. */
  atomic_bool quiesce_asked;
  pthread_mutex_t lock;
  pthread_cond_t quiesced_cond;
  bool quiesced;     /* under lock */
  MHD_socket listen; /* what MHD_quiesce_daemon returned */
} loop;

static void loop_wake(void *ctx) {
  const loop *l = ctx;
  uint64_t one = 1;
  ssize_t n = write(l->wake_fd, &one, sizeof one);
  (void)n; /* a full counter wakes as well */
}

static void quiesce_in_pass(loop *l) {
  pthread_mutex_lock(&l->lock);
  if (!l->quiesced) {
    l->listen = MHD_quiesce_daemon(l->d);
    l->quiesced = true;
    pthread_cond_broadcast(&l->quiesced_cond);
  }
  pthread_mutex_unlock(&l->lock);
}

/* A resumed connection needs two passes, one that calls the handler,
 * which queues the response, and one that sends it; so passes without
 * waiting follow while libmicrohttpd says something is ready. */
static void loop_poll(void *ctx, bool wait) {
  loop *l = ctx;
  if (wait) {
    MHD_UNSIGNED_LONG_LONG ms = POLL_WAIT_MS;
    if (MHD_get_timeout(l->d, &ms) != MHD_YES || ms > POLL_WAIT_MS)
      ms = POLL_WAIT_MS;
    struct epoll_event ev[2];
    int n = epoll_wait(l->epfd, ev, 2, (int)ms);
    uint64_t v;
    for (int i = 0; i < n; i++)
      if (ev[i].data.fd == l->wake_fd)
        (void)!read(l->wake_fd, &v, sizeof v); /* clears the counter */
  }
  if (atomic_load_explicit(&l->quiesce_asked, memory_order_acquire))
    quiesce_in_pass(l);
  int64_t started = guard_pass_start();
  MHD_run_wait(l->d, 0);
  for (int i = 0; i < POLL_PASSES; i++) {
    MHD_UNSIGNED_LONG_LONG ms = 1;
    if (MHD_get_timeout(l->d, &ms) != MHD_YES || ms != 0)
      break;
    MHD_run_wait(l->d, 0);
  }
  guard_pass_done(l->g, started);
}

/* Asks the loop to quiesce the daemon and waits for it (at most
 * WEB_SHUTDOWN_WAIT_MS): the listening socket, or MHD_INVALID_SOCKET. */
static MHD_socket loop_quiesce(loop *l) {
  atomic_store_explicit(&l->quiesce_asked, true, memory_order_release);
  loop_wake(l);
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_sec += WEB_SHUTDOWN_WAIT_MS / 1000;
  pthread_mutex_lock(&l->lock);
  while (!l->quiesced)
    if (pthread_cond_timedwait(&l->quiesced_cond, &l->lock, &until) != 0)
      break;
  MHD_socket ls = l->quiesced ? l->listen : MHD_INVALID_SOCKET;
  pthread_mutex_unlock(&l->lock);
  return ls;
}

/* False (nothing left open) when out of descriptors. */
static bool loop_open(loop *l, struct MHD_Daemon *d, guard *g) {
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(d, MHD_DAEMON_INFO_EPOLL_FD);
  l->d = d;
  l->g = g;
  l->epfd = l->wake_fd = -1;
  l->quiesced = false;
  l->listen = MHD_INVALID_SOCKET;
  atomic_init(&l->quiesce_asked, false);
  if (info == NULL)
    return false;
  l->epfd = epoll_create1(EPOLL_CLOEXEC);
  l->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  struct epoll_event mhd = {.events = EPOLLIN, .data.fd = info->epoll_fd};
  struct epoll_event wake = {.events = EPOLLIN, .data.fd = l->wake_fd};
  if (l->epfd >= 0 && l->wake_fd >= 0 &&
      epoll_ctl(l->epfd, EPOLL_CTL_ADD, info->epoll_fd, &mhd) == 0 &&
      epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->wake_fd, &wake) == 0) {
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->quiesced_cond, &ca);
    pthread_condattr_destroy(&ca);
    return true;
  }
  if (l->epfd >= 0)
    close(l->epfd);
  if (l->wake_fd >= 0)
    close(l->wake_fd);
  return false;
}

/* After loop_open succeeded and no thread polls any more. */
static void loop_close(loop *l) {
  close(l->epfd);
  close(l->wake_fd);
  pthread_cond_destroy(&l->quiesced_cond);
  pthread_mutex_destroy(&l->lock);
}

/* A request handed to the pool: what its thread needs, and what it
 * leaves for the loop's next pass. */
typedef struct answer_job {
  pool_job base; /* first: the pool hands this back */
  struct MHD_Connection *conn;
  const server_config *cfg;
  const char *method, *url;  /* libmicrohttpd's, valid for the request */
  struct MHD_Response *resp; /* NULL: out of memory */
  unsigned status;
} answer_job;

/* Routes the request and builds its response on this thread's worker;
 * owned, NULL when out of memory. */
static struct MHD_Response *answer(struct MHD_Connection *conn,
                                   const server_config *cfg, const char *method,
                                   const char *url, unsigned *ret_status) {
  worker *w = worker_for_thread();
  if (w == NULL)
    return NULL;
  worker_reset(w);
  reply rep;
  reply_init(&rep, &w->out);
  routes_dispatch(conn, w, cfg, method, url, &rep);
  return reply_response(conn, &rep, ret_status);
}

/* The 503 of a request the pool does not take (the server is stopping,
 * or out of memory): built without the index, so it never makes
 * the loop search.  Owned, NULL when out of memory. */
static struct MHD_Response *unavailable(struct MHD_Connection *conn,
                                        const char *url, unsigned *ret_status) {
  kb_buf body = KB_BUF_INIT(64 * 1024);
  reply rep;
  reply_init(&rep, &body);
  reply_unavailable(&rep, is_api(url));
  struct MHD_Response *r = reply_response(conn, &rep, ret_status);
  kb_buf_release(&body);
  return r;
}

/* A pool thread's part.  After the resume the job belongs to the loop
 * again (which may be run by another thread): nothing of it is touched
 * here. */
static void run_answer(pool_job *pj) {
  answer_job *job = (answer_job *)pj;
  job->resp = answer(job->conn, job->cfg, job->method, job->url, &job->status);
  MHD_resume_connection(job->conn);
}

/* A job the pool refused or dropped from its queue when stopping. */
static void refuse_answer(pool_job *pj) {
  answer_job *job = (answer_job *)pj;
  job->resp = unavailable(job->conn, job->url, &job->status);
  MHD_resume_connection(job->conn);
}

static void job_free(answer_job *job) {
  if (job == NULL)
    return;
  if (job->resp)
    MHD_destroy_response(job->resp);
  free(job);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn,
                              const char *url, const char *method,
                              const char *version, const char *upload_data,
                              size_t *upload_size, void **req_cls) {
  (void)upload_data;
  const server *srv = cls;
  /* First call per request: headers only.  Refuse it at once, or answer
   * on the second call. */
  if (guard_first_call(*req_cls)) {
    reject_reason why = guard_request(*req_cls, conn, method, version, url);
    return why == REJECT_NONE ? MHD_YES : reject_send(conn, why, is_api(url));
  }
  if (*upload_size) {
    *upload_size = 0; /* not reached: the guard refuses bodies */
    return MHD_YES;
  }
  void **app = guard_request_app(*req_cls);
  answer_job *job = app ? *app : NULL;
  if (job) { /* called again after the resume: the answer is ready */
    enum MHD_Result ret =
        job->resp ? MHD_queue_response(conn, job->status, job->resp) : MHD_NO;
    job_free(job);
    *app = NULL;
    return ret;
  }
  job = app ? calloc(1, sizeof *job) : NULL;
  if (job == NULL) {
    unsigned status = 0;
    struct MHD_Response *r = unavailable(conn, url, &status);
    enum MHD_Result ret = r ? MHD_queue_response(conn, status, r) : MHD_NO;
    if (r)
      MHD_destroy_response(r);
    return ret;
  }
  *job = (answer_job){.base = {.run = run_answer, .cancel = refuse_answer},
                      .conn = conn,
                      .cfg = srv->cfg,
                      .method = method,
                      .url = url};
  *app = job;
  /* Suspended before it is queued: a pool thread may resume it at once. */
  MHD_suspend_connection(conn);
  if (!pool_submit(srv->pool, &job->base))
    refuse_answer(&job->base); /* stopping */
  return MHD_YES;
}

/* libmicrohttpd's end of a request: a job whose answer was never queued
 * (the client went away) is freed, then the guard is told. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe) {
  const server *srv = cls;
  void **app = guard_request_app(*req_cls);
  if (app && *app) {
    job_free(*app);
    *app = NULL;
  }
  guard_on_completed(srv->g, conn, req_cls, toe);
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

/* WEB_MAX_CONNECTIONS, or fewer if the process may not open that many
 * files: the soft limit on open files is raised to the hard one first,
 * and room is kept for the index (a few files per thread), the log and
 * the listening socket. */
static unsigned connection_limit(unsigned threads) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
    return WEB_MAX_CONNECTIONS;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  rlim_t reserve = 32 + 16 * (rlim_t)threads;
  if (rl.rlim_cur == RLIM_INFINITY ||
      rl.rlim_cur >= WEB_MAX_CONNECTIONS + reserve)
    return WEB_MAX_CONNECTIONS;
  return rl.rlim_cur > reserve + 16 ? (unsigned)(rl.rlim_cur - reserve) : 16;
}

/* `lfd` is a socket systemd passed (listen.h), used instead of binding
 * `ss`, or -1. */
static struct MHD_Daemon *start(server *srv, struct sockaddr_storage *ss,
                                unsigned flags, int lfd) {
  const server_config *cfg = srv->cfg;
  return MHD_start_daemon(
      flags, (uint16_t)cfg->port, NULL, NULL, handle, (void *)srv,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)ss,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)WEB_CONNECTION_MEMORY,
      MHD_OPTION_CONNECTION_LIMIT, connection_limit(cfg->threads),
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_per_ip,
      MHD_OPTION_CONNECTION_TIMEOUT, WEB_IDLE_TIMEOUT,
      MHD_OPTION_NOTIFY_CONNECTION, guard_on_connection, (void *)srv->g,
      MHD_OPTION_URI_LOG_CALLBACK, guard_on_uri, (void *)srv->g,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)srv,
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

/* The signals the main thread waits for. */
static void signal_set(sigset_t *set) {
  sigemptyset(set);
  sigaddset(set, SIGINT);
  sigaddset(set, SIGTERM);
  sigaddset(set, SIGHUP);
  sigaddset(set, SIGUSR1);
  sigaddset(set, SIGUSR2);
  sigaddset(set, SIGALRM);
}

void server_block_signals(void) {
  sigset_t set;
  signal_set(&set);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);
}

/* Waits for SIGTERM or SIGINT, handling the other signals of
 * signal_set() on the way. */
static void wait_for_stop(const server_config *cfg) {
  sigset_t set;
  signal_set(&set);
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0 || sig == SIGTERM || sig == SIGINT)
      return;
    if (sig == SIGHUP && cfg->zero_log_fd >= 0) {
      bool ok = zerolog_reopen(cfg);
      fprintf(stderr, "teilhabe: SIGHUP: %s the zero-result log %s\n",
              ok ? "reopened" : "could not reopen", cfg->zero_log_path);
    } else if (sig == SIGHUP) {
      fprintf(stderr, "teilhabe: SIGHUP: nothing to reopen (a new index "
                      "is picked up on the next request)\n");
    } else {
      fprintf(stderr, "teilhabe: SIG%s ignored\n", sigabbrev_np(sig));
    }
    fflush(stderr);
  }
}

/* Stops gracefully: no new connections, the requests in flight are
 * answered (for at most WEB_SHUTDOWN_WAIT_MS), then the daemon ends -
 * after the pool, which resumes every connection it holds (the daemon
 * must have none suspended when it stops). */
static void stop(struct MHD_Daemon *d, server *srv, loop *lp) {
  fprintf(stderr, "teilhabe: stopping\n");
  fflush(stderr);
  MHD_socket ls = loop_quiesce(lp);
  /* The socket stays open until the daemon has stopped (libmicrohttpd's
   * rule); shutting it down refuses new connections now. */
  if (ls != MHD_INVALID_SOCKET)
    shutdown(ls, SHUT_RDWR);
  bool drained = guard_drain(srv->g, WEB_SHUTDOWN_WAIT_MS);
  if (!drained)
    fprintf(stderr,
            "teilhabe: requests still unanswered after %u s; they "
            "are cut off\n",
            WEB_SHUTDOWN_WAIT_MS / 1000);
  /* After a timeout, requests still queued are not searched any more:
   * they are resumed with a 503, which the loop's last pass, on this
   * thread, sends if the client reads it. */
  pool_stop(srv->pool, drained);
  MHD_stop_daemon(d); /* no thread runs its loop any more */
  if (ls == MHD_INVALID_SOCKET && lp->quiesced)
    ls = lp->listen; /* quiesced late, by a last pass */
  if (ls != MHD_INVALID_SOCKET)
    close(ls);
}

/* Frees what server_run made before the daemon (NULL members fine). */
static int give_up(server *srv, int code) {
  pool_free(srv->pool);
  guard_free(srv->g);
  return code;
}

int server_run(const server_config *cfg, uint64_t docs) {
  struct sockaddr_storage ss = {0};
  /* No thread of libmicrohttpd's own: the loop is the pool's (loop_poll),
   * and libmicrohttpd then keeps no wake-up channel (loop_wake is ours). */
  unsigned flags = MHD_USE_EPOLL_LINUX_ONLY | MHD_ALLOW_SUSPEND_RESUME;
  if (!bind_address(cfg, &ss, &flags)) {
    fprintf(stderr,
            "teilhabe serve: --bind '%s' is not an IPv4 or IPv6 address\n",
            cfg->bind);
    return EXIT_USAGE;
  }
  /* Before any thread starts, so that all inherit the mask. */
  server_block_signals();
  if (!worker_setup())
    return EXIT_RUNTIME;
  server srv = {.cfg = cfg,
                .g = guard_new(cfg->request_timeout),
                .pool = pool_new(cfg->threads)};
  if (srv.g == NULL || srv.pool == NULL) {
    fprintf(stderr, "teilhabe serve: out of memory or threads\n");
    return give_up(&srv, EXIT_RUNTIME);
  }
  int lfd = listen_inherited();
  if (lfd == -2)
    return give_up(&srv, EXIT_RUNTIME);
  struct MHD_Daemon *d = start(&srv, &ss, flags, lfd);
  if (d == NULL && lfd >= 0) {
    fprintf(stderr, "teilhabe serve: cannot serve the socket systemd passed\n");
    return give_up(&srv, EXIT_RUNTIME);
  }
  if (d == NULL) {
    fprintf(stderr,
            "teilhabe serve: cannot listen on %s port %u (in use, or not "
            "allowed)\n",
            cfg->bind, cfg->port);
    return give_up(&srv, EXIT_RUNTIME);
  }
  loop lp;
  if (!loop_open(&lp, d, srv.g)) {
    fprintf(stderr, "teilhabe serve: out of file descriptors\n");
    MHD_stop_daemon(d);
    return give_up(&srv, EXIT_RUNTIME);
  }
  pool_set_loop(srv.pool,
                &(pool_loop){.poll = loop_poll, .wake = loop_wake, .ctx = &lp});
  announce(cfg, d, docs, lfd);
  listen_notify("READY=1");
  wait_for_stop(cfg);
  listen_notify("STOPPING=1");
  stop(d, &srv, &lp);
  loop_close(&lp);
  return give_up(&srv, EXIT_OK);
}
