/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * worker.c - the per-thread worker context (see worker.h).
 *
 * One kb_searcher per thread is the only reader of the index a thread
 * holds: completions (api_suggest.c) use its database handle and
 * analyzer through kb_suggest(), and the zero-result log its analyzer,
 * instead of opening a second reader and analyzer of their own.
 */
#include "worker.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_key_t worker_key;
static size_t out_cap = WEB_MAX_BODY;

/* TEILHABE_MAX_REPLY (bytes) lowers the reply buffer's cap, so a test
 * can make a reply too large without a corpus of 4 MiB; it never raises
 * it. */
static void read_out_cap(void) {
  const char *e = getenv("TEILHABE_MAX_REPLY");
  char *end = NULL;
  unsigned long long v = e ? strtoull(e, &end, 10) : 0;
  if (e && *e && *end == '\0' && v >= 1 && v < WEB_MAX_BODY)
    out_cap = (size_t)v;
}

static void worker_free(void *p) {
  worker *w = p;
  if (w == NULL)
    return;
  kb_searcher_close(w->searcher);
  kb_buf_release(&w->out);
  kb_buf_release(&w->scratch);
  free(w);
}

bool worker_setup(void) {
  read_out_cap();
  return pthread_key_create(&worker_key, worker_free) == 0;
}

worker *worker_for_thread(void) {
  worker *w = pthread_getspecific(worker_key);
  if (w)
    return w;
  w = calloc(1, sizeof *w);
  if (w == NULL)
    return NULL;
  kb_buf_init(&w->out, out_cap);
  kb_buf_init(&w->scratch, 64 * 1024);
  if (pthread_setspecific(worker_key, w) != 0) {
    worker_free(w);
    return NULL;
  }
  return w;
}

void worker_reset(worker *w) {
  w->followed = false;
  kb_buf_reset(&w->out);
  kb_buf_reset(&w->scratch);
}

/* Refreshes the searcher: follows a re-index and compares the
 * generation open with its stamp. */
static void follow(worker *w, const server_config *cfg, char **why) {
  w->followed = true;
  if (w->searcher == NULL)
    w->index_st = kb_searcher_open(cfg->db, &w->searcher, why);
  else
    w->index_st = kb_searcher_refresh(w->searcher, NULL, why);
}

kb_searcher *worker_searcher(worker *w, const server_config *cfg, char **err) {
  /* Follow a re-index: a new generation is picked up here, at the first
   * use in a request, without a restart.  If the new one cannot be
   * opened, keep serving the old one - unless its files were changed
   * since it was published: then nothing more is read from it. */
  char *why = NULL;
  if (!w->followed)
    follow(w, cfg, &why);
  if (w->searcher && !kb_searcher_damaged(w->searcher)) {
    free(why);
    return w->searcher;
  }
  if (why == NULL && w->searcher)
    why = strdup("the index open now was changed after it was published");
  if (err)
    *err = why;
  else
    free(why);
  return NULL;
}

bool worker_index_damaged(worker *w, const server_config *cfg) {
  char *why = NULL;
  follow(w, cfg, &why);
  free(why);
  return w->searcher == NULL || kb_searcher_lost(w->searcher);
}
