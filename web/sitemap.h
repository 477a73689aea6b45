/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sitemap.h - the sitemap (sitemap.c): /sitemap.xml, a sitemap index,
 * and the files it lists, /sitemap-1.xml, /sitemap-2.xml, ... with every
 * page a search engine should know: the start page, the A-Z pages and
 * finders, and every record with its Stand.
 *
 * Every handler has the route table's shape (routes.c).
 *
 * Depends on worker.h, reply.h, request.h, html.h, cache.h and the
 * library.
 */
#ifndef TEILHABE_WEB_SITEMAP_H
#define TEILHABE_WEB_SITEMAP_H

#include <microhttpd.h>

#include "config.h"
#include "reply.h"
#include "worker.h"

/* The sitemap protocol's limit of URLs in one file.  Fewer with the
 * environment variable TEILHABE_SITEMAP_URLS (tests: many files from a
 * small corpus). */
#define SITEMAP_URLS_MAX 50000

/* GET /sitemap.xml: the sitemap index. */
void sitemap_index(struct MHD_Connection *conn, worker *w,
                   const server_config *cfg, const char *rest, reply *rep);
/* GET /sitemap-<n>.xml (`rest` is "<n>.xml"): one file of URLs, 404 for
 * a file the index does not list. */
void sitemap_part(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, const char *rest, reply *rep);

#endif
