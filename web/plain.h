/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plain.h - the small fixed answers (plain.c): the embedded stylesheet
 * and script, /robots.txt, /healthz and the preview's /vorschau
 * redirect.
 *
 * Every handler has the route table's shape (routes.c); `rest` is unused.
 *
 * Depends on worker.h, reply.h, preview.h and the library.
 */
#ifndef TEILHABE_WEB_PLAIN_H
#define TEILHABE_WEB_PLAIN_H

#include <microhttpd.h>

#include "config.h"
#include "reply.h"
#include "worker.h"

/* GET /static/style.css and /static/suggest.js. */
void plain_style_css(struct MHD_Connection *conn, worker *w,
                     const server_config *cfg, const char *rest, reply *rep);
void plain_suggest_js(struct MHD_Connection *conn, worker *w,
                      const server_config *cfg, const char *rest, reply *rep);
/* GET /robots.txt: everything but the API may be crawled. */
void plain_robots(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, const char *rest, reply *rep);
/* GET /healthz: "ok", or 503 when the index cannot be opened. */
void plain_healthz(struct MHD_Connection *conn, worker *w,
                   const server_config *cfg, const char *rest, reply *rep);
/* GET /vorschau (preview only): 303 to the article saved last, or to the
 * start page before the first change. */
void plain_preview_last(struct MHD_Connection *conn, worker *w,
                        const server_config *cfg, const char *rest, reply *rep);

#endif
