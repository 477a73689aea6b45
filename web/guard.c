/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guard.c - the connection guard (see guard.h).
 *
 * Every connection has a slot, its socket context, in one list under
 * one lock: its socket, since when it has been waiting for a request
 * and whether it still is.  The sweep thread wakes a few times a second
 * and shuts down (shutdown(2), both ways) the socket of every slot
 * waiting past the deadline; libmicrohttpd then reads the end of the
 * stream and closes the connection as if the client had.  That is safe
 * because libmicrohttpd reports a connection closed before it closes
 * its socket, and the slot leaves the list under the same lock: a
 * socket in the list is still the connection's.
 */
#include "guard.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "config.h"
#include "kb_text.h"

typedef struct slot {
  struct slot *prev, *next; /* in guard.conns */
  guard *g;
  int fd;
  /* Under guard.lock: */
  int64_t since_ms; /* opened, or its previous request completed */
  bool receiving;   /* a request is due and not yet received */
  bool in_flight;   /* a request line came and its request is not done */
  bool shut;        /* the sweep shut it down */
  /* The current request's, touched only by the loop's passes (one at a
   * time) and the job that answers it: */
  reject_reason early; /* the verdict on the raw target */
  bool checked;        /* guard_request has run */
  void *app;           /* the server's, for this request (guard_request_app) */
} slot;

struct guard {
  pthread_mutex_t lock;
  pthread_cond_t wake; /* the sweep's sleep; guard_free ends it */
  pthread_cond_t idle; /* in_flight dropped to 0 */
  slot *conns;
  unsigned in_flight;
  int64_t timeout_ms;
  /* The loop has had a chance to read what arrived before this (a pass
   * that began then is done; guard_pass_done). */
  int64_t read_until_ms;
  bool stop;
  pthread_t sweeper;
};

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct timespec at_ms(int64_t ms) {
  return (struct timespec){.tv_sec = ms / 1000,
                           .tv_nsec = (long)(ms % 1000) * 1000000};
}

/* Shuts down every connection waiting for its request past the
 * deadline, as far as the loop has read: a request that came in time
 * but waits unread while every thread is busy is not cut.  Called with
 * the lock held. */
static void sweep_once(guard *g) {
  for (slot *s = g->conns; s; s = s->next) {
    if (s->receiving && !s->shut &&
        g->read_until_ms - s->since_ms >= g->timeout_ms) {
      shutdown(s->fd, SHUT_RDWR);
      s->shut = true;
    }
  }
}

static void *sweep(void *arg) {
  guard *g = arg;
  /* A few looks per deadline: a connection is closed at most a quarter
   * of the timeout (and 250 ms) late - after the loop's next pass, which
   * comes within 100 ms when a thread is free, and after a job when
   * every thread is busy. */
  int64_t period = g->timeout_ms / 4 < 250 ? g->timeout_ms / 4 : 250;
  pthread_mutex_lock(&g->lock);
  while (!g->stop) {
    int64_t now = now_ms();
    sweep_once(g);
    struct timespec until = at_ms(now + period);
    pthread_cond_timedwait(&g->wake, &g->lock, &until);
  }
  pthread_mutex_unlock(&g->lock);
  return NULL;
}

int64_t guard_pass_start(void) { return now_ms(); }

void guard_pass_done(guard *g, int64_t started) {
  pthread_mutex_lock(&g->lock);
  if (started > g->read_until_ms)
    g->read_until_ms = started;
  pthread_mutex_unlock(&g->lock);
}

guard *guard_new(unsigned request_timeout) {
  guard *g = calloc(1, sizeof *g);
  if (g == NULL)
    return NULL;
  g->timeout_ms = (int64_t)(request_timeout ? request_timeout : 1) * 1000;
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_mutex_init(&g->lock, NULL);
  pthread_cond_init(&g->wake, &ca);
  pthread_cond_init(&g->idle, &ca);
  pthread_condattr_destroy(&ca);
  if (pthread_create(&g->sweeper, NULL, sweep, g) != 0) {
    pthread_cond_destroy(&g->idle);
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->lock);
    free(g);
    return NULL;
  }
  return g;
}

void guard_free(guard *g) {
  if (g == NULL)
    return;
  pthread_mutex_lock(&g->lock);
  g->stop = true;
  pthread_cond_signal(&g->wake);
  pthread_mutex_unlock(&g->lock);
  pthread_join(g->sweeper, NULL);
  while (g->conns) { /* none after MHD_stop_daemon; defensive */
    slot *s = g->conns;
    g->conns = s->next;
    free(s);
  }
  pthread_cond_destroy(&g->idle);
  pthread_cond_destroy(&g->wake);
  pthread_mutex_destroy(&g->lock);
  free(g);
}

/* Ends the request in flight on `s`, if any.  Called with the lock. */
static void request_done(guard *g, slot *s) {
  if (!s->in_flight)
    return;
  s->in_flight = false;
  if (--g->in_flight == 0)
    pthread_cond_broadcast(&g->idle);
}

static void conn_started(guard *g, struct MHD_Connection *conn,
                         void **socket_context) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
  slot *s = ci ? calloc(1, sizeof *s) : NULL;
  *socket_context = s;
  if (s == NULL)
    return; /* untracked: its requests are refused (guard_request) */
  s->g = g;
  s->fd = ci->connect_fd;
  s->receiving = true;
  pthread_mutex_lock(&g->lock);
  s->since_ms = now_ms();
  s->next = g->conns;
  if (g->conns)
    g->conns->prev = s;
  g->conns = s;
  pthread_mutex_unlock(&g->lock);
}

static void conn_closed(guard *g, slot *s) {
  if (s == NULL)
    return;
  pthread_mutex_lock(&g->lock);
  request_done(g, s);
  if (s->prev)
    s->prev->next = s->next;
  else
    g->conns = s->next;
  if (s->next)
    s->next->prev = s->prev;
  pthread_mutex_unlock(&g->lock);
  free(s);
}

void guard_on_connection(void *cls, struct MHD_Connection *conn,
                         void **socket_context,
                         enum MHD_ConnectionNotificationCode toe) {
  if (toe == MHD_CONNECTION_NOTIFY_STARTED)
    conn_started(cls, conn, socket_context);
  else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
    conn_closed(cls, *socket_context);
    *socket_context = NULL;
  }
}

static int hex_digit(unsigned char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c |= 0x20;
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The verdict on a raw request target.  In the path: no control byte,
 * raw or %-escaped, and only well-formed %-escapes.  In the query: no
 * raw control byte and no %00 (C strings would end there); a stray '%'
 * is left to the parameter's own check, as browsers send one typed in
 * the address bar as it is. */
static reject_reason check_target(const char *uri) {
  if (uri == NULL || uri[0] != '/')
    return REJECT_MALFORMED; /* "*", absolute URLs, nothing */
  if (strlen(uri) > WEB_MAX_URL)
    return REJECT_URI_TOO_LONG;
  bool query = false;
  size_t args = 0;
  for (const unsigned char *p = (const unsigned char *)uri; *p; p++) {
    if (*p < 0x20 || *p == 0x7f)
      return REJECT_BAD_TARGET;
    if (*p == '?' && !query) {
      query = true;
      args = 1;
    } else if (*p == '&' && query) {
      args++;
    } else if (*p == '%') {
      int hi = hex_digit(p[1]), lo = hi < 0 ? -1 : hex_digit(p[2]);
      if (lo < 0 && !query)
        return REJECT_BAD_TARGET;
      int c = lo < 0 ? '%' : hi * 16 + lo;
      if (c == 0 || (!query && (c < 0x20 || c == 0x7f)))
        return REJECT_BAD_TARGET;
    }
  }
  return args > WEB_MAX_ARGS ? REJECT_TOO_MANY_ARGS : REJECT_NONE;
}

void *guard_on_uri(void *cls, const char *uri, struct MHD_Connection *conn) {
  guard *g = cls;
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  slot *s = ci ? ci->socket_context : NULL;
  reject_reason early = check_target(uri);
  char *q = early != REJECT_NONE && uri ? strchr(uri, '?') : NULL;
  /* A refused target's query is not needed; hide it from libmicrohttpd,
   * which splits it right after this callback, in place, at its first
   * '?'.  With thousands of parameters that split would exhaust the
   * connection's memory and (in 0.9.75) stall the connection with no
   * answer at all.  The buffer is libmicrohttpd's read buffer, which
   * it hands us as const only to say it is not ours to keep. */
  if (q)
    q[1] = '\0';
  if (s == NULL)
    return NULL;
  s->early = early;
  s->checked = false;
  pthread_mutex_lock(&g->lock);
  if (!s->in_flight) {
    s->in_flight = true;
    g->in_flight++;
  }
  pthread_mutex_unlock(&g->lock);
  return s;
}

void guard_on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                        enum MHD_RequestTerminationCode toe) {
  (void)conn, (void)toe;
  guard *g = cls;
  slot *s = *req_cls;
  if (s == NULL)
    return;
  pthread_mutex_lock(&g->lock);
  request_done(g, s);
  s->receiving = true; /* the next request's deadline starts now */
  s->since_ms = now_ms();
  pthread_mutex_unlock(&g->lock);
}

void **guard_request_app(void *req_cls) {
  slot *s = req_cls;
  return s ? &s->app : NULL;
}

bool guard_first_call(void *req_cls) {
  const slot *s = req_cls;
  return s == NULL || !s->checked;
}

typedef struct header_tally {
  size_t count, bytes, hosts;
  bool body;
} header_tally;

static enum MHD_Result tally(void *cls, enum MHD_ValueKind kind,
                             const char *key, const char *value) {
  (void)kind;
  header_tally *t = cls;
  if (value == NULL)
    value = "";
  t->count++;
  t->bytes += strlen(key) + strlen(value);
  if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0)
    t->hosts++;
  else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0 ||
           (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0 &&
            strcmp(value, "0") != 0))
    t->body = true;
  return MHD_YES;
}

/* The verdict once the headers are in, in the order a client can best
 * act on: the target, the method, the headers' size, Host, a body. */
static reject_reason check_request(const slot *s, struct MHD_Connection *conn,
                                   const char *method, const char *version,
                                   const char *url) {
  if (s->early != REJECT_NONE)
    return s->early;
  if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
      strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
    return REJECT_METHOD;
  if (!kb_utf8_valid(url, strlen(url)))
    return REJECT_BAD_TARGET; /* the path as libmicrohttpd decoded it */
  header_tally t = {0};
  MHD_get_connection_values(conn, MHD_HEADER_KIND, tally, &t);
  if (t.count > WEB_MAX_HEADERS || t.bytes > WEB_MAX_HEADER_BYTES)
    return REJECT_HEADERS;
  if (t.hosts > 1)
    return REJECT_MALFORMED;
  if (t.hosts == 0 && strcmp(version, MHD_HTTP_VERSION_1_0) != 0)
    return REJECT_NO_HOST;
  return t.body ? REJECT_BODY : REJECT_NONE;
}

reject_reason guard_request(void *req_cls, struct MHD_Connection *conn,
                            const char *method, const char *version,
                            const char *url) {
  slot *s = req_cls;
  if (s == NULL)
    return REJECT_MALFORMED;
  s->checked = true;
  /* Whatever the verdict, nothing more is read for this request. */
  pthread_mutex_lock(&s->g->lock);
  s->receiving = false;
  pthread_mutex_unlock(&s->g->lock);
  return check_request(s, conn, method, version, url);
}

bool guard_drain(guard *g, unsigned ms) {
  struct timespec until = at_ms(now_ms() + ms);
  pthread_mutex_lock(&g->lock);
  while (g->in_flight > 0)
    if (pthread_cond_timedwait(&g->idle, &g->lock, &until) != 0)
      break;
  bool drained = g->in_flight == 0;
  pthread_mutex_unlock(&g->lock);
  return drained;
}
