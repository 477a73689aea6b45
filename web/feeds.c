/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * feeds.c - the machine-readable pages: /opensearch.xml (adds the site to
 * a browser's search bar, with suggestions) and /feed.xml, an Atom feed
 * of any search.
 *
 * The sitemap is sitemap.c.
 *
 * /feed.xml takes the parameters of /suche (q, type, audience,
 * disability, norm, per_page) and always lists newest Stand first, so an
 * SBV can subscribe to "new or changed articles on BEM".  Without
 * parameters it is every recently updated article.  An entry's id is the
 * article's URL and its <updated> the Stand, so a feed reader shows an
 * updated article again.
 *
 * XML text goes through html_xml_text (the HTML escaper, minus the
 * control characters XML 1.0 forbids).  Absolute URLs start with
 * request_base_url().
 */
#include <stdlib.h>
#include <string.h>

#include "feeds.h"

#include "html.h"
#include "kb_escape.h"
#include "kb_text.h"
#include "request.h"

#define FEED_PER_PAGE 20
#define URL_MAX (WEB_MAX_URL * 2)
#define BASE_MAX (WEB_BASE_URL_MAX + 64)

/* "2026-11-22" -> "2026-11-22T00:00:00Z" (RFC 3339, as Atom wants). */
static void atom_date(kb_buf *b, const char *iso) {
  html_xml_text(b, iso);
  kb_buf_adds(b, "T00:00:00Z");
}

void feed_opensearch(struct MHD_Connection *conn, worker *w,
                     const server_config *cfg, const char *rest, reply *rep) {
  (void)rest;
  kb_buf base = KB_BUF_INIT(BASE_MAX);
  request_base_url(conn, cfg, &base);
  const char *u = kb_buf_str(&base);
  kb_buf *b = &w->out;
  kb_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/"
                 "opensearch/1.1/\">\n<ShortName>teilhabe</ShortName>\n"
                 "<Description>Wissen zu Behinderung und Arbeit "
                 "durchsuchen</Description>\n<Tags>Behinderung Arbeit BEM "
                 "Teilhabe SGB-IX</Tags>\n<Language>de-DE</Language>\n"
                 "<InputEncoding>UTF-8</InputEncoding>\n"
                 "<OutputEncoding>UTF-8</OutputEncoding>\n"
                 "<Url type=\"text/html\" method=\"get\" template=\"");
  html_xml_text(b, u);
  kb_buf_adds(b, "/suche?q={searchTerms}\"/>\n"
                 "<Url type=\"application/atom+xml\" template=\"");
  html_xml_text(b, u);
  kb_buf_adds(b, "/feed.xml?q={searchTerms}\"/>\n"
                 "<Url type=\"application/x-suggestions+json\" template=\"");
  html_xml_text(b, u);
  kb_buf_adds(b, "/api/suggest?q={searchTerms}&amp;format=opensearch\"/>\n"
                 "<Url type=\"application/opensearchdescription+xml\" "
                 "rel=\"self\" template=\"");
  html_xml_text(b, u);
  kb_buf_adds(b, "/opensearch.xml\"/>\n</OpenSearchDescription>\n");
  kb_buf_release(&base);
  rep->content_type = "application/opensearchdescription+xml; charset=utf-8";
  rep->cache = "public, max-age=86400";
  if (request_base_from_headers(cfg))
    rep->vary |= REPLY_VARY_BASE;
}

/* "teilhabe: Suche „BEM“ (Schwerbehindertenvertretung)". */
static void feed_title(kb_buf *b, kb_searcher *s,
                       const kb_search_request *req) {
  const kb_vocab *v = kb_searcher_vocab(s);
  bool any = false;
  kb_buf_adds(b, "teilhabe: ");
  if (req->query && *req->query) {
    kb_buf_adds(b, "Suche „");
    html_xml_text(b, req->query);
    kb_buf_adds(b, "“");
  } else {
    kb_buf_adds(b, "neue und geänderte Einträge");
  }
  for (size_t f = 0; f < KB_SCHEMA_MAX_FACETS; f++) {
    for (size_t i = 0; i < req->nfilters[f]; i++) {
      kb_buf_adds(b, any ? ", " : " (");
      html_xml_text(b, kb_vocab_facet_label(v, f, req->filters[f][i]));
      any = true;
    }
  }
  if (any)
    kb_buf_addc(b, ')');
}

static void atom_entry(kb_buf *b, const char *base, const kb_hit *h) {
  kb_buf_adds(b, "<entry>\n<title>");
  html_xml_text(b, h->title);
  kb_buf_adds(b, "</title>\n<link rel=\"alternate\" type=\"text/html\" "
                 "href=\"");
  html_xml_text(b, base);
  html_xml_text(b, h->url);
  kb_buf_adds(b, "\"/>\n<id>");
  html_xml_text(b, base);
  html_xml_text(b, h->url);
  kb_buf_adds(b, "</id>\n<updated>");
  atom_date(b, h->updated);
  kb_buf_adds(b, "</updated>\n<category term=\"");
  html_xml_text(b, h->kind);
  kb_buf_adds(b, "\" label=\"");
  html_xml_text(b, h->label);
  kb_buf_adds(b, "\"/>\n<summary>");
  html_xml_text(b, h->summary);
  kb_buf_adds(b, "</summary>\n</entry>\n");
}

/* The feed's own elements: title, subtitle, id and self link (this
 * feed's URL), the results page it follows, <updated> (the newest
 * Stand) and who writes it. */
static void atom_head(kb_buf *b, kb_searcher *s, const char *base,
                      const kb_search_request *req, const kb_search_result *r) {
  kb_buf url = KB_BUF_INIT(URL_MAX);
  kb_buf_adds(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "
                 "xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\">\n"
                 "<title>");
  feed_title(b, s, req);
  kb_buf_adds(b, "</title>\n<subtitle>Neue und geänderte Einträge, neuester "
                 "Stand zuerst</subtitle>\n<id>");
  kb_search_request self = *req;
  self.per_page = req->per_page == FEED_PER_PAGE ? 0 : req->per_page;
  html_url(&url, "/feed.xml", &self, KB_SCHEMA_NONE, NULL, 0,
           KB_SORT_RELEVANCE);
  html_xml_text(b, base);
  html_xml_text(b, kb_buf_str(&url));
  kb_buf_adds(b, "</id>\n<link rel=\"self\" type=\"application/atom+xml\" "
                 "href=\"");
  html_xml_text(b, base);
  html_xml_text(b, kb_buf_str(&url));
  kb_buf_adds(b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
  kb_buf_reset(&url);
  self.per_page = 0;
  html_search_url(&url, &self, KB_SCHEMA_NONE, NULL, 0, KB_SORT_UPDATED);
  html_xml_text(b, base);
  html_xml_text(b, kb_buf_str(&url));
  kb_buf_adds(b, "\"/>\n<updated>");
  char today[11];
  kb_date_today(today);
  atom_date(b, r->nhits ? r->hits[0].updated : today);
  kb_buf_adds(b, "</updated>\n<author><name>teilhabe-Redaktion</name>"
                 "</author>\n<generator>teilhabe</generator>\n<rights>"
                 "CC BY 4.0</rights>\n");
  kb_buf_release(&url);
}

/* Runs the feed's search: newest Stand first, first page only.  NULL
 * after a plain-text error reply. */
static kb_search_result *feed_search(kb_searcher *s, kb_search_request *req,
                                     reply *rep) {
  req->sort = KB_SORT_UPDATED;
  req->page = 1;
  if (req->per_page == 0)
    req->per_page = FEED_PER_PAGE;
  kb_search_result *r = NULL;
  char *err = NULL;
  kb_status st = kb_search(s, req, &r, &err);
  if (st != KB_OK) {
    reply_plain(rep,
                st == KB_ERR_LIMIT || st == KB_ERR_INVALID
                    ? MHD_HTTP_BAD_REQUEST
                    : MHD_HTTP_INTERNAL_SERVER_ERROR,
                err ? err : kb_status_str(st));
    kb_buf_addc(rep->body, '\n');
  }
  free(err);
  return st == KB_OK ? r : NULL;
}

void feed_atom(struct MHD_Connection *conn, worker *w, const server_config *cfg,
               const char *rest, reply *rep) {
  (void)rest;
  kb_search_request req;
  const char *msg = NULL;
  kb_searcher *s = worker_searcher(w, cfg, NULL);
  if (s == NULL) {
    reply_unavailable(rep, false);
    return;
  }
  if (!request_search(conn, kb_searcher_vocab(s)->schema, false, &req, &msg)) {
    reply_plain(rep, MHD_HTTP_BAD_REQUEST, msg ? msg : "invalid parameters");
    kb_buf_addc(rep->body, '\n');
    return;
  }
  kb_search_result *r = feed_search(s, &req, rep);
  if (r == NULL)
    return;
  kb_buf base = KB_BUF_INIT(BASE_MAX);
  request_base_url(conn, cfg, &base);
  rep->content_type = "application/atom+xml; charset=utf-8";
  /* private when it follows a search (reply_send) */
  rep->cache = REPLY_CACHE_PAGE;
  if (request_base_from_headers(cfg))
    rep->vary |= REPLY_VARY_BASE;
  atom_head(rep->body, s, kb_buf_str(&base), &req, r);
  for (size_t i = 0; i < r->nhits; i++)
    atom_entry(rep->body, kb_buf_str(&base), &r->hits[i]);
  kb_buf_adds(rep->body, "</feed>\n");
  kb_buf_release(&base);
  kb_search_result_free(r);
}
