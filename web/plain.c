/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plain.c - the small fixed answers (see plain.h).
 *
 * The stylesheet and script are compiled in (tools/embed.py generates
 * them from web/static/), so the binary is the whole site.
 */
#include "plain.h"

#include <stdlib.h>

#include "kb_escape.h"
#include "preview.h"

/* The embedded stylesheet (generated from web/static/style.css). */
extern const char web_style_css[];
extern const unsigned web_style_css_len;
/* The embedded autocomplete script (from web/static/suggest.js). */
extern const char web_suggest_js[];
extern const unsigned web_suggest_js_len;

#define ASSET_CACHE "public, max-age=3600"
#define TEXT_TYPE "text/plain; charset=utf-8"

void plain_style_css(struct MHD_Connection *conn, worker *w,
                     const server_config *cfg, const char *rest, reply *rep) {
  (void)conn, (void)w, (void)cfg, (void)rest;
  kb_buf_add(rep->body, web_style_css, web_style_css_len);
  rep->content_type = "text/css; charset=utf-8";
  rep->cache = ASSET_CACHE;
}

void plain_suggest_js(struct MHD_Connection *conn, worker *w,
                      const server_config *cfg, const char *rest, reply *rep) {
  (void)conn, (void)w, (void)cfg, (void)rest;
  kb_buf_add(rep->body, web_suggest_js, web_suggest_js_len);
  rep->content_type = "text/javascript; charset=utf-8";
  rep->cache = ASSET_CACHE;
}

void plain_robots(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, const char *rest, reply *rep) {
  (void)conn, (void)w, (void)cfg, (void)rest;
  reply_plain(rep, MHD_HTTP_OK, "User-agent: *\nDisallow: /api/\n");
  rep->cache = "public, max-age=86400";
}

void plain_healthz(struct MHD_Connection *conn, worker *w,
                   const server_config *cfg, const char *rest, reply *rep) {
  (void)conn, (void)rest;
  /* The truth about the index on disk: it is published, its files are
   * as checked when it was, and a read from it works. */
  kb_searcher *s = worker_searcher(w, cfg, NULL);
  kb_status st = w->index_st;
  if (st == KB_OK)
    st = s ? kb_searcher_probe(s, NULL) : KB_ERR_DB_OPENING;
  if (st == KB_OK)
    reply_plain(rep, MHD_HTTP_OK, "ok\n");
  else if (st == KB_ERR_DB_OPENING)
    reply_plain(rep, MHD_HTTP_SERVICE_UNAVAILABLE,
                "index unavailable: missing\n");
  else if (st == KB_ERR_DB_CORRUPT)
    reply_plain(rep, MHD_HTTP_SERVICE_UNAVAILABLE,
                "index unavailable: damaged\n");
  else
    reply_plain(rep, MHD_HTTP_SERVICE_UNAVAILABLE,
                "index unavailable: unreadable\n");
  rep->cache = "no-store";
}

void plain_preview_last(struct MHD_Connection *conn, worker *w,
                        const server_config *cfg, const char *rest,
                        reply *rep) {
  (void)conn, (void)cfg, (void)rest;
  char id[96];
  preview_last(id, sizeof id);
  kb_buf_adds(&w->scratch, id[0] ? "/artikel/" : "/");
  kb_url_encodes(&w->scratch, id);
  reply_plain(rep, MHD_HTTP_SEE_OTHER,
              "Weiter zum zuletzt gespeicherten Artikel.\n");
  rep->location = kb_buf_str(&w->scratch);
  rep->cache = "no-store";
}
