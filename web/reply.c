/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reply.c - turning a reply into an HTTP response (see reply.h).
 */
#include "reply.h"

#include <stdlib.h>

#include "page_error.h"

#define JSON_TYPE "application/json; charset=utf-8"

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
}

enum MHD_Result reply_send(struct MHD_Connection *conn, const reply *rep,
                           bool head) {
  kb_buf *body = rep->body;
  if (kb_buf_status(body) != KB_OK) {
    kb_buf_reset(body);
    kb_buf_adds(body, "internal error: reply too large\n");
  }
  /* Copy out of the thread's reusable buffer: one memcpy instead of a
   * fresh allocation per request for building. */
  struct MHD_Response *r = MHD_create_response_from_buffer(
      head ? 0 : body->len, head ? (void *)"" : (void *)kb_buf_str(body),
      MHD_RESPMEM_MUST_COPY);
  if (r == NULL)
    return MHD_NO;
  MHD_add_response_header(r, "Content-Type",
                          rep->content_type ? rep->content_type
                                            : "text/html; charset=utf-8");
  MHD_add_response_header(r, "Cache-Control",
                          rep->cache ? rep->cache : "no-store");
  if (rep->allow)
    MHD_add_response_header(r, "Allow", rep->allow);
  if (rep->location)
    MHD_add_response_header(r, "Location", rep->location);
  add_security_headers(r);
  enum MHD_Result ret = MHD_queue_response(conn, rep->status, r);
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

void reply_plain(reply *rep, unsigned status, const char *text) {
  kb_buf_reset(rep->body);
  rep->status = status;
  rep->content_type = "text/plain; charset=utf-8";
  kb_buf_adds(rep->body, text);
}
