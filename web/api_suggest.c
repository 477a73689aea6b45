/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * api_suggest.c - GET /api/suggest?q=Einglie: completions for the search
 * box (kb_suggest.h), as a JSON array of strings.  With format=opensearch
 * the answer is OpenSearch's suggestion form ["Einglie", ["…", …]] for
 * browsers' search bars (advertised in /opensearch.xml).
 *
 * Completions come from the worker's own searcher: kb_suggest() over its
 * database handle and analyzer (kb_searcher_db, kb_searcher_analyzer),
 * refreshed with it, so a thread holds one reader of the index, not two,
 * and a request takes no lock.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "kb_suggest.h"
#include "request.h"

void api_suggest(struct MHD_Connection *conn, worker *w,
                 const server_config *cfg, const char *rest, reply *rep) {
  (void)rest;
  const char *q = "", *msg = NULL;
  bool opensearch = false;
  if (!request_suggest(conn, &q, &opensearch, &msg)) {
    api_error(rep, MHD_HTTP_BAD_REQUEST, msg);
    return;
  }
  kb_searcher *s = worker_searcher(w, cfg, NULL);
  if (s == NULL) {
    reply_unavailable(rep, true);
    return;
  }
  kb_completions c;
  char *err = NULL;
  kb_status st = kb_suggest(kb_searcher_db(s), kb_searcher_analyzer(s), q,
                            strlen(q), &c, &err);
  if (st == KB_ERR_LIMIT || st == KB_ERR_INVALID) {
    api_error(rep, MHD_HTTP_BAD_REQUEST, err ? err : kb_status_str(st));
    free(err);
    return;
  }
  free(err);
  if (st != KB_OK) {
    api_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "completion failed");
    return;
  }
  json_t *list = json_array();
  for (size_t i = 0; i < c.n; i++)
    json_array_append_new(list, json_string(c.text[i]));
  rep->content_type = opensearch ? "application/x-suggestions+json"
                                 : "application/json; charset=utf-8";
  /* Completions change only with the index, but the URL holds what
   * someone is typing: the browser may keep it, no shared cache. */
  rep->cache = REPLY_CACHE_PRIVATE;
  send_json(rep, opensearch ? json_pack("[s,o]", q, list) : list);
}
