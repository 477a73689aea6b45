/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * api.h - the JSON API (docs/api.md): /api/search, /api/articles/<id>,
 * /api/version (api.c), /api/suggest (api_suggest.c) and the calculators
 * /api/rechner/… (api_calc.c).
 *
 * Every handler has the route table's shape (routes.c): the request, this
 * thread's worker, the configuration, the rest of the URL after a prefix
 * route ("" otherwise) and the reply to fill.  Errors are English JSON
 * {"error": "..."} (reply.h).
 *
 * Depends on worker.h, reply.h, request.h, zerolog.h and the library.
 */
#ifndef TEILHABE_WEB_API_H
#define TEILHABE_WEB_API_H

#include <microhttpd.h>

#include "config.h"
#include "reply.h"
#include "worker.h"

/* GET /api/search?q=…&type=…: results with facets and counts. */
void api_search(struct MHD_Connection *conn, worker *w,
                const server_config *cfg, const char *rest, reply *rep);
/* GET /api/records/<id> and /api/articles/<id>: any record with its kind
 * and declared fields (kb_record_api_json); `rest` is the id. */
void api_record(struct MHD_Connection *conn, worker *w,
                const server_config *cfg, const char *rest, reply *rep);
/* GET /api/version: {"version", "index": {"generation", "revision",
 * "records"}} for monitoring. */
void api_version(struct MHD_Connection *conn, worker *w,
                 const server_config *cfg, const char *rest, reply *rep);
/* Any other /api/ address: 404 as JSON. */
void api_not_found(struct MHD_Connection *conn, worker *w,
                   const server_config *cfg, const char *rest, reply *rep);
/* GET /api/rechner/ausgleichsabgabe?jahr=&arbeitsplaetze=&schwerbehinderte=
 * and /api/rechner/kinderkrankentage?jahr=&kinder=&alleinerziehend=
 * (api_calc.c): the calculators with the rules they used. */
void api_calc_levy(struct MHD_Connection *conn, worker *w,
                   const server_config *cfg, const char *rest, reply *rep);
void api_calc_kkt(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, const char *rest, reply *rep);
/* GET /api/suggest?q=…[&format=opensearch]: completions. */
void api_suggest(struct MHD_Connection *conn, worker *w,
                 const server_config *cfg, const char *rest, reply *rep);

#endif
