/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * api.c - the JSON API: /api/search and /api/articles/<id>.
 * Shapes: docs/api.md.  Everything goes through jansson (kb_json.h).
 */
#include "api.h"

#include <stdlib.h>

#include "kb_json.h"
#include "request.h"
#include "zerolog.h"

/* This thread's searcher, or NULL after answering 503. */
static kb_searcher *searcher_or_503(worker *w, const server_config *cfg,
                                    reply *rep) {
  char *err = NULL;
  kb_searcher *s = worker_searcher(w, cfg, &err);
  free(err);
  if (s == NULL)
    api_error(rep, MHD_HTTP_SERVICE_UNAVAILABLE,
              "the search index is not available");
  return s;
}

void api_search(struct MHD_Connection *conn, worker *w,
                const server_config *cfg, const char *rest, reply *rep) {
  (void)rest;
  kb_search_request req;
  const char *msg = NULL;
  if (!request_search(conn, true, &req, &msg)) {
    api_error(rep, MHD_HTTP_BAD_REQUEST, msg);
    return;
  }
  kb_searcher *s = searcher_or_503(w, cfg, rep);
  if (s == NULL)
    return;
  kb_search_result *r = NULL;
  char *err = NULL;
  kb_status st = kb_search(s, &req, &r, &err);
  if (st == KB_ERR_INVALID || st == KB_ERR_LIMIT) {
    api_error(rep, MHD_HTTP_BAD_REQUEST, err ? err : kb_status_str(st));
  } else if (st != KB_OK) {
    api_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "the search failed");
  } else {
    if (r->total == 0)
      zerolog_record(cfg, s, req.query);
    send_json(rep, kb_json_search_result(r));
  }
  free(err);
  kb_search_result_free(r);
}

void api_article(struct MHD_Connection *conn, worker *w,
                 const server_config *cfg, const char *rest, reply *rep) {
  (void)conn;
  kb_searcher *s = searcher_or_503(w, cfg, rep);
  if (s == NULL)
    return;
  json_t *rec = NULL;
  char *err = NULL;
  kb_status st = kb_searcher_article(s, rest, &rec, &err);
  if (st == KB_ERR_NOT_FOUND) {
    api_error(rep, MHD_HTTP_NOT_FOUND, "no article with this id");
  } else if (st != KB_OK) {
    api_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR,
              "the article cannot be read");
  } else {
    send_json(rep, kb_json_article(rec, kb_searcher_vocab(s)));
  }
  json_decref(rec);
  free(err);
}
