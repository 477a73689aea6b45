/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * api.c - the JSON API: /api/search, /api/articles/<id> and
 * /api/version.
 * Shapes: docs/api.md.  Search results are written straight into the
 * reply (kb_json.h); small answers go through jansson.
 */
#include "api.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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
    reply_unavailable(rep, true);
  return s;
}

void api_search(struct MHD_Connection *conn, worker *w,
                const server_config *cfg, const char *rest, reply *rep) {
  (void)rest;
  kb_search_request req;
  const char *msg = NULL;
  kb_searcher *s = searcher_or_503(w, cfg, rep);
  if (s == NULL)
    return;
  if (!request_search(conn, kb_searcher_vocab(s)->schema, true, &req, &msg)) {
    api_error(rep, MHD_HTTP_BAD_REQUEST, msg);
    return;
  }
  kb_search_result *r = NULL;
  char *err = NULL;
  kb_status st = kb_search(s, &req, &r, &err);
  if (st == KB_ERR_INVALID || st == KB_ERR_LIMIT) {
    api_error(rep, MHD_HTTP_BAD_REQUEST, err ? err : kb_status_str(st));
  } else if (st != KB_OK) {
    api_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "the search failed");
  } else {
    zerolog_record(cfg, s, r);
    kb_buf *body = send_json_begin(rep);
    send_json_written(rep, kb_json_search_write(r, kb_searcher_vocab(s), body));
  }
  free(err);
  kb_search_result_free(r);
}

void api_record(struct MHD_Connection *conn, worker *w,
                const server_config *cfg, const char *rest, reply *rep) {
  (void)conn;
  kb_searcher *s = searcher_or_503(w, cfg, rep);
  if (s == NULL)
    return;
  kb_record *rec = NULL;
  kb_status st = kb_searcher_record(s, rest, &rec, NULL);
  if (st == KB_ERR_NOT_FOUND)
    api_error(rep, MHD_HTTP_NOT_FOUND, "no record with this id");
  else if (st != KB_OK)
    api_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "the record cannot be read");
  else {
    send_json_text(rep, kb_record_api_json(rec, kb_searcher_vocab(s), true));
    rep->cache = REPLY_CACHE_PAGE;
  }
  kb_record_free(rec);
}

void api_not_found(struct MHD_Connection *conn, worker *w,
                   const server_config *cfg, const char *rest, reply *rep) {
  (void)conn, (void)w, (void)cfg, (void)rest;
  api_error(rep, MHD_HTTP_NOT_FOUND, "no such API endpoint");
}

/* For monitoring, apart from /healthz (which stays a bare "ok" that
 * load balancers and the benchmarks read): which program serves which
 * index revision. */
void api_version(struct MHD_Connection *conn, worker *w,
                 const server_config *cfg, const char *rest, reply *rep) {
  (void)conn, (void)rest;
  kb_searcher *s = searcher_or_503(w, cfg, rep);
  if (s == NULL)
    return;
  const char *gen = kb_searcher_generation(s);
  const char *slash = gen ? strrchr(gen, '/') : NULL;
  json_t *j =
      json_pack("{s:s, s:{s:s, s:I, s:I}}", "version", TEILHABE_VERSION,
                "index", "generation", slash ? slash + 1 : (gen ? gen : ""),
                "revision", (json_int_t)kb_searcher_revision(s), "records",
                (json_int_t)kb_searcher_doccount(s));
  send_json(rep, j); /* not cached: the revision changes */
}
