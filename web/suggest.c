/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * suggest.c - GET /api/suggest?q=Einglie: completions for the search box
 * (kb_suggest.h), as a JSON array of strings.  With format=opensearch the
 * answer is OpenSearch's suggestion form ["Einglie", ["…", …]] for
 * browsers' search bars (advertised in /opensearch.xml).
 *
 * Each pool thread keeps its own kb_suggester under a pthread key of this
 * file (the worker struct is shared with other modules), opened on first
 * use and refreshed like the searcher, so a request takes no lock.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kb_suggest.h"
#include "web.h"

static pthread_key_t suggester_key;
static pthread_once_t suggester_once = PTHREAD_ONCE_INIT;

static void suggester_free(void *p) { kb_suggester_close(p); }

static void make_key(void) {
  pthread_key_create(&suggester_key, suggester_free);
}

/* This thread's suggester, opened or refreshed; NULL when the index
 * cannot be read. */
static kb_suggester *thread_suggester(const server_config *cfg) {
  pthread_once(&suggester_once, make_key);
  kb_suggester *sg = pthread_getspecific(suggester_key);
  if (sg) {
    /* On failure keep answering from the index we have. */
    kb_suggester_refresh(sg, NULL);
    return sg;
  }
  if (kb_suggester_open(cfg->db, &sg, NULL) != KB_OK)
    return NULL;
  if (pthread_setspecific(suggester_key, sg) != 0) {
    kb_suggester_close(sg);
    return NULL;
  }
  return sg;
}

typedef struct suggest_args {
  const char *q;
  const char *format;
  const char *err;
} suggest_args;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value) {
  suggest_args *a = cls;
  (void)kind;
  if (strcmp(key, "q") == 0) {
    a->q = value ? value : "";
  } else if (strcmp(key, "format") == 0) {
    a->format = value ? value : "";
  } else {
    a->err = "unknown parameter (use q and format)";
    return MHD_NO;
  }
  return MHD_YES;
}

static void send_json(worker *w, json_t *j, reply *rep) {
  char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  if (s == NULL) {
    api_error(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory", rep);
    return;
  }
  kb_buf_adds(&w->out, s);
  kb_buf_addc(&w->out, '\n');
  free(s);
}

void api_suggest(struct MHD_Connection *conn, worker *w,
                 const server_config *cfg, reply *rep) {
  suggest_args a = {.q = ""};
  MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect, &a);
  bool opensearch = a.format && strcmp(a.format, "opensearch") == 0;
  if (a.err == NULL && a.format && !opensearch && strcmp(a.format, "json"))
    a.err = "format must be 'json' or 'opensearch'";
  if (a.err) {
    api_error(w, MHD_HTTP_BAD_REQUEST, a.err, rep);
    return;
  }
  kb_suggester *sg = thread_suggester(cfg);
  if (sg == NULL) {
    api_error(w, MHD_HTTP_SERVICE_UNAVAILABLE,
              "the search index is not available", rep);
    return;
  }
  kb_completions c;
  char *err = NULL;
  kb_status st = kb_suggester_complete(sg, a.q, strlen(a.q), &c, &err);
  if (st == KB_ERR_LIMIT || st == KB_ERR_INVALID) {
    api_error(w, MHD_HTTP_BAD_REQUEST, err ? err : kb_status_str(st), rep);
    free(err);
    return;
  }
  free(err);
  if (st != KB_OK) {
    api_error(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "completion failed", rep);
    return;
  }
  json_t *list = json_array();
  for (size_t i = 0; i < c.n; i++)
    json_array_append_new(list, json_string(c.text[i]));
  rep->content_type = opensearch ? "application/x-suggestions+json"
                                 : "application/json; charset=utf-8";
  /* Completions change only with the index: a short cache is safe. */
  rep->cache = "public, max-age=300";
  if (opensearch)
    send_json(w, json_pack("[s,o]", a.q, list), rep);
  else
    send_json(w, list, rep);
}
