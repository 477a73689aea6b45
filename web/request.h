/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * request.h - reading a request: the one parser of search parameters
 * (q, the facets, page, per_page, sort, exakt) used by the results page,
 * the feed, the API and the article page's breadcrumbs; the parameters
 * of /api/suggest; the referring search; and the site's base URL.
 *
 * Parameters are %-decoded by libmicrohttpd (MHD_http_unescape), whether
 * they come from the request's own URL or from a Referer.  Results point
 * into the connection's memory (or the caller's store) and are valid for
 * the request.
 *
 * Depends on libmicrohttpd, config.h and the library (kb_search, kb_buf).
 */
#ifndef TEILHABE_WEB_REQUEST_H
#define TEILHABE_WEB_REQUEST_H

#include <microhttpd.h>
#include <stdbool.h>

#include "config.h"
#include "kb_buf.h"
#include "kb_search.h"

/* Fills `req` from the request's query string.  Unknown parameters are
 * an error when `strict` (the API), ignored otherwise (pages).  Returns
 * false with an English message (static) in *err_msg; pages say it in
 * German themselves. */
/* The facets are those of schema `sc` (the searcher's). */
bool request_search(struct MHD_Connection *conn, const kb_schema *sc,
                    bool strict, kb_search_request *req, const char **err_msg);

/* When the Referer is our own results page (same Host, path /suche),
 * fills `req` from its query string, parsed as request_search does for
 * pages, and returns true; otherwise false.  The decoded text is kept in
 * `store` (reset here), which `req` points into.  The caller still
 * checks the request against the index (kb_search_validate). */
bool request_referring_search(struct MHD_Connection *conn, const kb_schema *sc,
                              kb_buf *store, kb_search_request *req);

/* The two above without a connection, for the fuzzer (fuzz-request):
 * request_search on the query string `qs` (modified in place: split at
 * '&' and '=', each part decoded by MHD_http_unescape after '+' became a
 * space; `req` points into it), and request_referring_search on the
 * header values `ref` and `host` (either may be NULL). */
bool request_search_string(char *qs, const kb_schema *sc, bool strict,
                           kb_search_request *req, const char **err_msg);
bool request_search_from_referer(const char *ref, const char *host,
                                 const kb_schema *sc, kb_buf *store,
                                 kb_search_request *req);

/* The parameters of /api/suggest: q (default "") and whether
 * format=opensearch (format=json or none is the plain list).  False with
 * a message in *err_msg for any other parameter or format. */
bool request_suggest(struct MHD_Connection *conn, const char **ret_q,
                     bool *ret_opensearch, const char **err_msg);

/* Checks `url` for --base-url (an http(s) URL of at most
 * WEB_BASE_URL_MAX plain characters) and stores it without trailing
 * slashes in cfg->base_url.  False, and cfg untouched, if unfit. */
bool request_set_base_url(server_config *cfg, const char *url);

/* Appends the site's base URL for absolute links (feeds, sitemap,
 * OpenSearch, JSON-LD): cfg->base_url if set, else "http://" + the
 * checked Host header ("https" behind a proxy that says so),
 * "localhost" if unusable. */
void request_base_url(struct MHD_Connection *conn, const server_config *cfg,
                      kb_buf *b);

/* True when request_base_url() reads the request's Host and
 * X-Forwarded-Proto (no --base-url): a reply using it must say so in
 * Vary (REPLY_VARY_BASE). */
bool request_base_from_headers(const server_config *cfg);

#endif
