/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pages.h - the German HTML pages, one file each: the start page
 * (page_home.c), the results page (page_search.c), the record pages
 * (page_record.c, page_kinds.c), the calculators (page_calc.c), the
 * editorial report (page_editorial.c), the operator's legal pages
 * (page_legal.c) and the pages in Leichte Sprache and about sign language
 * (page_easy.c).
 * The error page is page_error.c, shown through page_error() in reply.h.
 *
 * Every handler has the route table's shape (routes.c): the request, this
 * thread's worker, the configuration, the rest of the URL after a prefix
 * route ("" otherwise) and the reply to fill.
 *
 * Depends on worker.h, reply.h, request.h, html.h, zerolog.h and the
 * library.
 */
#ifndef TEILHABE_WEB_PAGES_H
#define TEILHABE_WEB_PAGES_H

#include <microhttpd.h>

#include "config.h"
#include "reply.h"
#include "worker.h"

/* GET /: the start page. */
void page_home(struct MHD_Connection *conn, worker *w, const server_config *cfg,
               const char *rest, reply *rep);
/* GET /suche?q=…: results, facets, paging (request.h's parameters). */
void page_search(struct MHD_Connection *conn, worker *w,
                 const server_config *cfg, const char *rest, reply *rep);
/* GET /<kind>/<id> (page_record.c): the record `id` of kind `kind`.  A
 * visit from a results page gets breadcrumbs back to that search (from
 * the same-origin Referer the result links send) and absolute URLs in
 * its JSON-LD. */
void page_record(struct MHD_Connection *conn, worker *w,
                 const server_config *cfg, const char *kind, const char *id,
                 reply *rep);
/* GET /<anything else> (page_kinds.c): what the index's schema declares -
 * a record page for /<kind>/<id>, the A-Z page of a kind with `index:`,
 * the finder of a kind with `finder:` - or the 404 page. */
void page_schema_route(struct MHD_Connection *conn, worker *w,
                       const server_config *cfg, const char *rest, reply *rep);
/* GET /rechner, /rechner/ausgleichsabgabe?…, /rechner/kinderkrankentage?…
 * (page_calc.c): the calculators' list and forms with their results. */
void page_calc_index(struct MHD_Connection *conn, worker *w,
                     const server_config *cfg, const char *rest, reply *rep);
void page_calc_levy(struct MHD_Connection *conn, worker *w,
                    const server_config *cfg, const char *rest, reply *rep);
void page_calc_kkt(struct MHD_Connection *conn, worker *w,
                   const server_config *cfg, const char *rest, reply *rep);
/* GET /lotse (page_lotse.c): the guided path from role and situation to
 * one page of what fits, made of searches over the records' tags. */
void page_lotse(struct MHD_Connection *conn, worker *w,
                const server_config *cfg, const char *rest, reply *rep);
/* GET /vorlagen (page_vorlagen.c): the templates to fill in. */
void page_vorlagen(struct MHD_Connection *conn, worker *w,
                   const server_config *cfg, const char *rest, reply *rep);
/* GET /vorlagen/<id>[.md|.odt]: a template's page, or its download as
 * Markdown or OpenDocument text. */
void page_vorlage(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, const char *rest, reply *rep);
/* GET /redaktion: the editorial report (only with --editorial). */
void page_editorial(struct MHD_Connection *conn, worker *w,
                    const server_config *cfg, const char *rest, reply *rep);

/* The operator's pages (page_legal.c), from the [site] configuration:
 * GET /impressum, /datenschutz, /barrierefreiheit and /kontakt (with
 * ?eintrag=<kind>/<id>: "Fehler melden" for that record). */
void page_impressum(struct MHD_Connection *conn, worker *w,
                    const server_config *cfg, const char *rest, reply *rep);
void page_datenschutz(struct MHD_Connection *conn, worker *w,
                      const server_config *cfg, const char *rest, reply *rep);
void page_barrierefreiheit(struct MHD_Connection *conn, worker *w,
                           const server_config *cfg, const char *rest,
                           reply *rep);
void page_kontakt(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, const char *rest, reply *rep);
/* GET /leichte-sprache and /gebaerdensprache (page_easy.c). */
void page_leichte_sprache(struct MHD_Connection *conn, worker *w,
                          const server_config *cfg, const char *rest,
                          reply *rep);
void page_gebaerdensprache(struct MHD_Connection *conn, worker *w,
                           const server_config *cfg, const char *rest,
                           reply *rep);

/* This thread's searcher; NULL after showing the German 503 page
 * (pages.c, shared by the page handlers). */
kb_searcher *page_searcher(worker *w, const server_config *cfg, reply *rep);

/* The record `id` if it is of kind `kind` (owned: kb_record_free); false
 * after showing the German 404 page (no such record, or one of another
 * kind: its page lives under that kind's path) or 500 page. */
bool page_load_record(kb_searcher *s, const char *kind, const char *id,
                      kb_record **ret, reply *rep);

#endif
