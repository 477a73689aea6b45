/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pages.c - what the HTML page handlers share (see pages.h): getting the
 * thread's searcher, or the one German page saying the index is not
 * available.
 */
#include <stdlib.h>

#include "pages.h"

kb_searcher *page_searcher(worker *w, const server_config *cfg, reply *rep) {
  char *err = NULL;
  kb_searcher *s = worker_searcher(w, cfg, &err);
  free(err);
  if (s == NULL)
    reply_unavailable(rep, false);
  return s;
}
