/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guard.h - the connection guard: the limits a public server needs that
 * libmicrohttpd 0.9.75 does not keep itself, checked before it or any
 * handler spends work on a request.
 *
 * - A deadline for the whole request: a connection must deliver a
 *   complete request within the request timeout of being opened or of
 *   its previous answer, however slowly it trickles (libmicrohttpd's
 *   idle timeout restarts with every byte).  A sweep thread shuts down
 *   connections past it - judged by what the event loop has read, which
 *   it reports after each pass, so a request that waits unread while
 *   every thread is busy is not held against its client.
 * - The raw request target, seen before libmicrohttpd splits it: over
 *   WEB_MAX_URL bytes is 414, over WEB_MAX_ARGS parameters 400 - and the
 *   query is then hidden from libmicrohttpd, which would otherwise spend
 *   the connection's memory on thousands of parameters and stall.
 *   Control bytes, bad %-escapes and invalid UTF-8 in the path, and NUL
 *   anywhere, are 400.
 * - Once the headers are in: only GET and HEAD (405), a Host header
 *   for HTTP/1.1 (400), no body (413), at most WEB_MAX_HEADERS header
 *   fields of WEB_MAX_HEADER_BYTES (431).
 * - The number of requests in flight, for a graceful stop.
 *
 * Depends on reject.h (the reasons) and libmicrohttpd.
 */
#ifndef TEILHABE_WEB_GUARD_H
#define TEILHABE_WEB_GUARD_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "reject.h"

typedef struct guard guard;

/* A guard whose sweep closes connections that take longer than
 * `request_timeout` seconds (at least 1) for a request.  Starts the
 * sweep thread; NULL when out of memory or threads.  Free with
 * guard_free() after the daemon has stopped. */
guard *guard_new(unsigned request_timeout);

/* Stops the sweep and frees `g` (NULL is fine).  All connections must
 * be closed (MHD_stop_daemon has returned). */
void guard_free(guard *g);

/* libmicrohttpd's callbacks, registered with `g` as their closure:
 * MHD_OPTION_NOTIFY_CONNECTION, MHD_OPTION_URI_LOG_CALLBACK (its
 * result becomes the request's *req_cls) and
 * MHD_OPTION_NOTIFY_COMPLETED. */
void guard_on_connection(void *g, struct MHD_Connection *conn,
                         void **socket_context,
                         enum MHD_ConnectionNotificationCode toe);
void *guard_on_uri(void *g, const char *uri, struct MHD_Connection *conn);
void guard_on_completed(void *g, struct MHD_Connection *conn, void **req_cls,
                        enum MHD_RequestTerminationCode toe);

/* Whether the access handler is called for the first time for the
 * request of `req_cls` (its *req_cls): the headers are in, nothing of
 * a body has been read.  True for NULL. */
bool guard_first_call(void *req_cls);

/* A pointer the server keeps with the request of `req_cls` - NULL when
 * the request begins, and the server's to clear (and free) by the time
 * libmicrohttpd reports the request completed; NULL for a NULL
 * `req_cls`.  Touched only by the request's handler and by what it
 * hands the request to. */
void **guard_request_app(void *req_cls);

/* On that first call: whether the request is refused, and why.  The
 * request counts as received (we take no body), so its deadline no
 * longer applies.  A NULL `req_cls` (the connection could not be
 * tracked, out of memory) is refused as malformed. */
reject_reason guard_request(void *req_cls, struct MHD_Connection *conn,
                            const char *method, const char *version,
                            const char *url);

/* The event loop's passes (server.c): call guard_pass_start before a
 * pass and guard_pass_done with its result after it, one pass at a
 * time.  Until a pass is done, the sweep cuts nothing. */
int64_t guard_pass_start(void);
void guard_pass_done(guard *g, int64_t started);

/* Waits until no request is in flight or `ms` milliseconds have
 * passed; true if none is left. */
bool guard_drain(guard *g, unsigned ms);

#endif
