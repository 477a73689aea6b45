/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * feeds.h - the machine-readable pages (feeds.c): /opensearch.xml and
 * the Atom feed /feed.xml, which takes the parameters of /suche.
 *
 * Every handler has the route table's shape (routes.c); `rest` is unused.
 *
 * Depends on worker.h, reply.h, request.h, html.h and the library.
 */
#ifndef TEILHABE_WEB_FEEDS_H
#define TEILHABE_WEB_FEEDS_H

#include <microhttpd.h>

#include "config.h"
#include "reply.h"
#include "worker.h"

void feed_opensearch(struct MHD_Connection *conn, worker *w,
                     const server_config *cfg, const char *rest, reply *rep);
void feed_atom(struct MHD_Connection *conn, worker *w, const server_config *cfg,
               const char *rest, reply *rep);

#endif
