/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reply.h - the reply being built, and the one place that turns it into
 * an HTTP response: status, content type, caching, the security headers
 * every answer carries, and the error answers of pages (German HTML) and
 * the API (English JSON).
 *
 * Depends on libmicrohttpd, jansson, kb_buf and the error page's markup
 * (page_error.h); nothing else of web/.
 */
#ifndef TEILHABE_WEB_REPLY_H
#define TEILHABE_WEB_REPLY_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>

#include "kb_buf.h"

/* Cache-Control of pages built from the index alone (they change with a
 * re-index) and of those that are for one reader. */
#define REPLY_CACHE_PAGE "public, max-age=300"
#define REPLY_CACHE_PRIVATE "private, max-age=300"

/* What a reply's body depends on besides the URL: named in Vary. */
enum reply_vary {
  REPLY_VARY_BASE = 1u << 0,    /* Host, X-Forwarded-Proto (request_base_url
                                   without --base-url) */
  REPLY_VARY_REFERER = 1u << 1, /* breadcrumbs from the referring search */
};

typedef struct reply {
  kb_buf *body; /* borrowed: the worker's output buffer */
  unsigned status;
  const char *content_type; /* NULL: HTML */
  /* Cache-Control value; NULL: no-store.  A "public" one becomes
   * "private" when the URL has a query string (reply_send). */
  const char *cache;
  unsigned vary;           /* reply_vary bits */
  const char *allow;       /* for 405 */
  const char *location;    /* for redirects */
  const char *retry_after; /* seconds, for a 503 */
} reply;

/* A 200 reply writing into `body` (borrowed; emptied by the caller). */
void reply_init(reply *rep, kb_buf *body);

/* Queues `rep` on `conn` with the security headers (CSP, nosniff,
 * no-referrer, DENY, Permissions-Policy); the body is copied, so it may be
 * reused at once.  A HEAD request (`head`) gets the same headers as GET,
 * its Content-Length included: the body is built and counted, and
 * libmicrohttpd leaves it out.
 *
 * Caching: a cacheable 200 (Cache-Control other than no-store) carries a
 * strong ETag, a hash of the exact body, and an If-None-Match naming it
 * is answered 304 with the same ETag, Cache-Control and Vary.  A
 * "public" Cache-Control on a URL with a query string (a search, or
 * anything else someone typed) is sent as "private", so no shared cache
 * keeps what people searched for.
 *
 * A body that overflowed its cap is never sent as it is: the answer is a
 * 500 "reply too large" with no-store. */
enum MHD_Result reply_send(struct MHD_Connection *conn, const reply *rep,
                           bool head);

/* reply_send's response, not queued: for a job that answers outside
 * libmicrohttpd's loop, while `conn` is suspended (its headers are read,
 * not changed).  Owned (MHD_destroy_response), with the status to queue it
 * with in *ret_status; NULL when out of memory. */
struct MHD_Response *reply_response(struct MHD_Connection *conn,
                                    const reply *rep, unsigned *ret_status);

/* Replaces the body with the German error page (`title`, `text` are
 * escaped) and sets `status`. */
void page_error(reply *rep, unsigned status, const char *title,
                const char *text);

/* Replaces the body with {"error": msg} as JSON and sets `status`. */
void api_error(reply *rep, unsigned status, const char *msg);

/* The 503 when the index cannot be read: the German page, or JSON for
 * the API (`api`); never cached. */
void reply_unavailable(reply *rep, bool api);

/* Appends `j` (taken over, may be NULL) compactly serialised with a
 * newline.  The content type stays as the caller set it, JSON if unset.
 * Out of memory (or NULL) gives a 500 {"error":"out of memory"}. */
void send_json(reply *rep, json_t *j);

/* The same for JSON the library serialised: `text` is taken over (freed
 * here); NULL gives the 500. */
void send_json_text(reply *rep, char *text);

/* The buffer to write JSON into, straight: the body, with the content
 * type set as send_json sets it.  Then call send_json_written with the
 * writer's status; a writer's failure stays the body's error, which the
 * server answers with a 500 like any reply too large. */
kb_buf *send_json_begin(reply *rep);
void send_json_written(reply *rep, kb_status st);

/* Replaces the body with `text` as text/plain and sets `status`. */
void reply_plain(reply *rep, unsigned status, const char *text);

#endif
