/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * api.c - the JSON API: /api/search and /api/articles/<id>.
 * Shapes: docs/api.md.  Everything goes through jansson.
 */
#include <stdlib.h>
#include <string.h>

#include "kb_json.h"
#include "web.h"

static void send_json(worker *w, json_t *j, reply *rep) {
  char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  rep->content_type = "application/json; charset=utf-8";
  if (s == NULL) {
    rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    kb_buf_adds(&w->out, "{\"error\":\"out of memory\"}");
    return;
  }
  kb_buf_adds(&w->out, s);
  kb_buf_addc(&w->out, '\n');
  free(s);
}

void api_error(worker *w, unsigned status, const char *msg, reply *rep) {
  rep->status = status;
  send_json(w, json_pack("{s:s}", "error", msg), rep);
}

static bool open_index(worker *w, const server_config *cfg, reply *rep) {
  char *err = NULL;
  if (web_searcher(w, cfg, &err) == NULL) {
    api_error(w, MHD_HTTP_SERVICE_UNAVAILABLE,
              "the search index is not available", rep);
    free(err);
    return false;
  }
  return true;
}

void api_search(struct MHD_Connection *conn, worker *w,
                const server_config *cfg, reply *rep) {
  kb_search_request req;
  const char *msg = NULL;
  if (!web_parse_search(conn, w, true, &req, &msg)) {
    api_error(w, MHD_HTTP_BAD_REQUEST, msg, rep);
    return;
  }
  if (!open_index(w, cfg, rep))
    return;
  kb_search_result *r = NULL;
  char *err = NULL;
  kb_status st = kb_search(w->searcher, &req, &r, &err);
  if (st == KB_ERR_INVALID || st == KB_ERR_LIMIT) {
    api_error(w, MHD_HTTP_BAD_REQUEST, err ? err : kb_status_str(st), rep);
  } else if (st != KB_OK) {
    api_error(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "the search failed", rep);
  } else {
    if (r->total == 0)
      web_log_zero_result(w, cfg, req.query);
    send_json(w, kb_json_search_result(r), rep);
  }
  free(err);
  kb_search_result_free(r);
}

void api_article(worker *w, const server_config *cfg, const char *id,
                 reply *rep) {
  if (!open_index(w, cfg, rep))
    return;
  json_t *rec = NULL;
  char *err = NULL;
  kb_status st = kb_searcher_article(w->searcher, id, &rec, &err);
  if (st == KB_ERR_NOT_FOUND) {
    api_error(w, MHD_HTTP_NOT_FOUND, "no article with this id", rep);
  } else if (st != KB_OK) {
    api_error(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "the article cannot be read",
              rep);
  } else {
    send_json(w, kb_json_article(rec, kb_searcher_vocab(w->searcher)), rep);
  }
  json_decref(rec);
  free(err);
}
