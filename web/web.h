/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * web.h - what the server's parts share: the per-thread context, the
 * reply being built, and the search-request parser used by both the HTML
 * pages and the JSON API.
 *
 * Every worker thread owns one `worker` (its own Xapian reader and output
 * buffers, reused from request to request), so requests never contend for
 * a lock and steady-state requests allocate little.
 */
#ifndef TEILHABE_WEB_H
#define TEILHABE_WEB_H

#include <microhttpd.h>
#include <stdbool.h>

#include "kb_analysis.h"
#include "kb_buf.h"
#include "kb_search.h"

/* Bounds on a request beyond what kb_search checks itself. */
#define WEB_MAX_URL 2048
#define WEB_MAX_ARGS 64
#define WEB_MAX_BODY (4u << 20) /* largest page or JSON we produce */

typedef struct server_config {
  const char *db;
  const char *bind;
  unsigned port;
  unsigned threads;
  bool editorial;  /* serve /redaktion (read-only editorial report) */
  int zero_log_fd; /* --log-zero-results file (O_APPEND), or -1 */
  const char *zero_log_path;
  const char *corpus; /* preview: the corpus folder being watched, or NULL */
} server_config;

typedef struct worker {
  kb_searcher *searcher; /* NULL until the first request on this thread */
  kb_buf out;            /* the reply body */
  kb_buf scratch;        /* URLs and other small strings */
  kb_analyzer *an;       /* for normalising logged queries; lazy */
} worker;

typedef struct reply {
  unsigned status;
  const char *content_type;
  const char *cache;    /* Cache-Control value */
  const char *allow;    /* for 405 */
  const char *location; /* for redirects */
} reply;

/* The searcher for this thread, opened or refreshed as needed; NULL with
 * a message when the index cannot be used. */
kb_searcher *web_searcher(worker *w, const server_config *cfg, char **err);

/* Collects the search parameters of the request.  Unknown parameters are
 * an error when `strict` (the API), ignored otherwise (pages).  Returns
 * false with a German (pages) or English (API) message in *err_msg
 * (static or in w->scratch). */
bool web_parse_search(struct MHD_Connection *conn, worker *w, bool strict,
                      kb_search_request *req, const char **err_msg);

/* HTML pages (pages.c); each fills w->out and *rep. */
void page_home(worker *w, const server_config *cfg, reply *rep);
void page_search(struct MHD_Connection *conn, worker *w,
                 const server_config *cfg, reply *rep);
void page_article(worker *w, const server_config *cfg, const char *id,
                  reply *rep);
void page_error(worker *w, unsigned status, const char *title, const char *text,
                reply *rep);
/* The article page (page_article.c) with the request, so that a visit
 * from a results page gets breadcrumbs back to that search (from the
 * same-origin Referer the result links send) and absolute URLs in its
 * JSON-LD.  page_article is this without a request. */
void page_article_req(struct MHD_Connection *conn, worker *w,
                      const server_config *cfg, const char *id, reply *rep);

/* Machine-readable pages (feeds.c): /opensearch.xml, /sitemap.xml and the
 * Atom feed /feed.xml, which takes the parameters of /suche. */
void feed_opensearch(struct MHD_Connection *conn, worker *w,
                     const server_config *cfg, reply *rep);
void feed_sitemap(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, reply *rep);
void feed_atom(struct MHD_Connection *conn, worker *w, const server_config *cfg,
               reply *rep);
/* Appends the site's base URL for absolute links (feeds, sitemap,
 * OpenSearch, JSON-LD): the one given with --base-url, else "http://" +
 * the checked Host header ("https" behind a proxy that says so),
 * "localhost" if unusable. */
void web_base_url(struct MHD_Connection *conn, kb_buf *b);

/* Sets the --base-url once at start-up (before the server runs).  False
 * if `url` is not an http(s) URL of at most 200 plain characters. */
bool web_set_base_url(const char *url);

/* JSON API (api.c). */
void api_search(struct MHD_Connection *conn, worker *w,
                const server_config *cfg, reply *rep);
void api_article(worker *w, const server_config *cfg, const char *id,
                 reply *rep);
void api_error(worker *w, unsigned status, const char *msg, reply *rep);
/* GET /api/suggest?q=…: completions for the search box (suggest.c). */
void api_suggest(struct MHD_Connection *conn, worker *w,
                 const server_config *cfg, reply *rep);

/* Records a query that found nothing, when --log-zero-results is on:
 * only the normalised query text and the day, nothing about the person
 * (zerolog.c, docs/privacy.md). */
void web_log_zero_result(worker *w, const server_config *cfg,
                         const char *query);

/* The editorial report /redaktion (editorial.c), only with --editorial. */
void page_editorial(worker *w, const server_config *cfg, reply *rep);

/* The embedded stylesheet (generated from web/static/style.css). */
extern const char web_style_css[];
extern const unsigned web_style_css_len;
/* The embedded autocomplete script (from web/static/suggest.js). */
extern const char web_suggest_js[];
extern const unsigned web_suggest_js_len;

#endif
