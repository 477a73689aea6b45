/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pages.c - what the HTML page handlers share (see pages.h): getting the
 * thread's searcher, or the one German page saying the index is not
 * available, and reading one record, or the page saying it is not there.
 */
#include <stdlib.h>
#include <string.h>

#include "pages.h"

kb_searcher *page_searcher(worker *w, const server_config *cfg, reply *rep) {
  char *err = NULL;
  kb_searcher *s = worker_searcher(w, cfg, &err);
  free(err);
  if (s == NULL)
    reply_unavailable(rep, false);
  return s;
}

bool page_load_record(kb_searcher *s, const char *kind, const char *id,
                      kb_record **ret, reply *rep) {
  kb_status st = kb_searcher_record(s, id, ret, NULL);
  if (st == KB_OK && strcmp((*ret)->kind, kind) != 0) {
    kb_record_free(*ret);
    *ret = NULL;
    st = KB_ERR_NOT_FOUND;
  }
  if (st == KB_ERR_NOT_FOUND)
    page_error(rep, MHD_HTTP_NOT_FOUND, "Eintrag nicht gefunden",
               "Diesen Eintrag gibt es nicht (mehr). Vielleicht finden Sie "
               "ihn über die Suche.");
  else if (st != KB_OK)
    page_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "Fehler",
               "Der Eintrag kann gerade nicht gelesen werden.");
  return st == KB_OK;
}
