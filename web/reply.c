/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reply.c - turning a reply into an HTTP response (see reply.h).
 */
#include "reply.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page_error.h"

#define JSON_TYPE "application/json; charset=utf-8"
/* A quoted 16-digit hex tag and its NUL. */
#define REPLY_ETAG_MAX 20

void reply_init(reply *rep, kb_buf *body) {
  *rep = (reply){.body = body, .status = MHD_HTTP_OK};
}

static void add_security_headers(struct MHD_Response *r) {
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(
      r, "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data:; style-src 'self'; "
      "script-src 'self'; object-src 'none'; base-uri 'none'; "
      "frame-ancestors 'none'; form-action 'self'");
  /* The site uses no device, sensor or payment interface; nor may a page
   * it frames or a script it ever carries. */
  MHD_add_response_header(
      r, "Permissions-Policy",
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
      "browsing-topics=()");
}

/* "\"<16 hex digits>\"": 64-bit FNV-1a over the exact body.  A strong
 * tag: equal tags mean equal bytes (but for a 1 in 2^64 collision), and
 * we send no other encoding of them. */
static void body_etag(const kb_buf *body, char out[REPLY_ETAG_MAX]) {
  uint64_t h = 0xcbf29ce484222325u;
  const unsigned char *p = (const unsigned char *)kb_buf_str(body);
  for (size_t i = 0; i < body->len; i++) {
    h ^= p[i];
    h *= 0x100000001b3u;
  }
  snprintf(out, REPLY_ETAG_MAX, "\"%016llx\"", (unsigned long long)h);
}

/* Does If-None-Match (a list of entity tags, or "*") name `etag`?
 * Compared weakly, as RFC 9110 asks for If-None-Match. */
static bool none_match(const char *header, const char *etag) {
  size_t n = strlen(etag);
  const char *p = header;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == ',')
      p++;
    if (*p == '*')
      return true;
    if (strncmp(p, "W/", 2) == 0)
      p += 2;
    const char *end = p;
    while (*end && *end != ',' && *end != ' ' && *end != '\t')
      end++;
    if ((size_t)(end - p) == n && memcmp(p, etag, n) == 0)
      return true;
    p = end;
  }
  return false;
}

/* The Cache-Control to send: no-store when unset; "public…" as
 * "private…" when the URL has a query string (see reply.h). */
static const char *cache_control(struct MHD_Connection *conn, const reply *rep,
                                 char *buf, size_t cap) {
  const char *c = rep->cache ? rep->cache : "no-store";
  /* Errors and redirects may change any moment (an index coming back). */
  if (rep->status != MHD_HTTP_OK)
    return "no-store";
  if (strncmp(c, "public", 6) != 0 ||
      MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, NULL, NULL) == 0)
    return c;
  snprintf(buf, cap, "private%s", c + 6);
  return buf;
}

static void add_vary(struct MHD_Response *r, unsigned vary) {
  if (vary == (REPLY_VARY_BASE | REPLY_VARY_REFERER))
    MHD_add_response_header(r, "Vary", "Host, X-Forwarded-Proto, Referer");
  else if (vary == REPLY_VARY_BASE)
    MHD_add_response_header(r, "Vary", "Host, X-Forwarded-Proto");
  else if (vary == REPLY_VARY_REFERER)
    MHD_add_response_header(r, "Vary", "Referer");
}

/* The 500 for a body that outgrew its buffer: a truncated page must not
 * look like a good one, nor be kept by any cache. */
static struct MHD_Response *too_large(unsigned *ret_status) {
  static const char text[] = "internal error: reply too large\n";
  struct MHD_Response *r = MHD_create_response_from_buffer(
      sizeof text - 1, (void *)text, MHD_RESPMEM_PERSISTENT);
  if (r == NULL)
    return NULL;
  MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
  MHD_add_response_header(r, "Cache-Control", "no-store");
  add_security_headers(r);
  *ret_status = MHD_HTTP_INTERNAL_SERVER_ERROR;
  return r;
}

struct MHD_Response *reply_response(struct MHD_Connection *conn,
                                    const reply *rep, unsigned *ret_status) {
  kb_buf *body = rep->body;
  if (kb_buf_status(body) != KB_OK)
    return too_large(ret_status);
  char cc[128], etag[REPLY_ETAG_MAX] = "";
  const char *cache = cache_control(conn, rep, cc, sizeof cc);
  if (rep->status == MHD_HTTP_OK && strcmp(cache, "no-store") != 0)
    body_etag(body, etag);
  const char *inm =
      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
  bool not_modified = etag[0] && inm && none_match(inm, etag);
  /* Copy out of the thread's reusable buffer: one memcpy instead of a
   * fresh allocation per request for building.  The whole body even for
   * HEAD, so its Content-Length is GET's. */
  struct MHD_Response *r = MHD_create_response_from_buffer(
      not_modified ? 0 : body->len,
      not_modified ? (void *)"" : (void *)kb_buf_str(body),
      MHD_RESPMEM_MUST_COPY);
  if (r == NULL)
    return NULL;
  /* A 304 has no Content-Type; libmicrohttpd 0.9.75 adds
   * "Content-Length: 0" to it whatever we say (later versions leave it
   * out). */
  if (!not_modified) {
    MHD_add_response_header(r, "Content-Type",
                            rep->content_type ? rep->content_type
                                              : "text/html; charset=utf-8");
  }
  MHD_add_response_header(r, "Cache-Control", cache);
  if (etag[0])
    MHD_add_response_header(r, "ETag", etag);
  add_vary(r, rep->vary);
  if (rep->allow)
    MHD_add_response_header(r, "Allow", rep->allow);
  if (rep->location)
    MHD_add_response_header(r, "Location", rep->location);
  if (rep->retry_after)
    MHD_add_response_header(r, "Retry-After", rep->retry_after);
  add_security_headers(r);
  *ret_status = not_modified ? MHD_HTTP_NOT_MODIFIED : rep->status;
  return r;
}

enum MHD_Result reply_send(struct MHD_Connection *conn, const reply *rep,
                           bool head) {
  (void)head; /* libmicrohttpd sends a HEAD answer's headers only */
  unsigned status = 0;
  struct MHD_Response *r = reply_response(conn, rep, &status);
  if (r == NULL)
    return MHD_NO;
  enum MHD_Result ret = MHD_queue_response(conn, status, r);
  MHD_destroy_response(r);
  return ret;
}

void page_error(reply *rep, unsigned status, const char *title,
                const char *text) {
  kb_buf_reset(rep->body);
  rep->status = status;
  rep->content_type = "text/html; charset=utf-8";
  render_error_page(rep->body, title, text);
}

void api_error(reply *rep, unsigned status, const char *msg) {
  kb_buf_reset(rep->body);
  rep->status = status;
  rep->content_type = JSON_TYPE;
  send_json(rep, json_pack("{s:s}", "error", msg));
}

void reply_unavailable(reply *rep, bool api) {
  if (api)
    api_error(rep, MHD_HTTP_SERVICE_UNAVAILABLE,
              "the search index is not available; try again in a few minutes");
  else
    page_error(rep, MHD_HTTP_SERVICE_UNAVAILABLE, "Suche nicht verfügbar",
               "Der Suchindex kann gerade nicht gelesen werden. Bitte "
               "versuchen Sie es in einigen Minuten erneut.");
  rep->cache = "no-store";
}

void send_json(reply *rep, json_t *j) {
  char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  send_json_text(rep, s);
}

void send_json_text(reply *rep, char *text) {
  if (rep->content_type == NULL)
    rep->content_type = JSON_TYPE;
  if (text == NULL) {
    kb_buf_reset(rep->body);
    rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    rep->content_type = JSON_TYPE;
    kb_buf_adds(rep->body, "{\"error\":\"out of memory\"}");
    return;
  }
  kb_buf_adds(rep->body, text);
  kb_buf_addc(rep->body, '\n');
  free(text);
}

kb_buf *send_json_begin(reply *rep) {
  if (rep->content_type == NULL)
    rep->content_type = JSON_TYPE;
  return rep->body;
}

void send_json_written(reply *rep, kb_status st) {
  /* A failure is the body's sticky error: the server answers it as it
   * answers any reply that did not fit (server.c). */
  if (st == KB_OK)
    kb_buf_addc(rep->body, '\n');
}

void reply_plain(reply *rep, unsigned status, const char *text) {
  kb_buf_reset(rep->body);
  rep->status = status;
  rep->content_type = "text/plain; charset=utf-8";
  kb_buf_adds(rep->body, text);
}
