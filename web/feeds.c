/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * feeds.c - the machine-readable pages: /opensearch.xml (adds the site to
 * a browser's search bar, with suggestions), /sitemap.xml (every article
 * with its Stand) and /feed.xml, an Atom feed of any search.
 *
 * /feed.xml takes the parameters of /suche (q, type, audience,
 * disability, norm, per_page) and always lists newest Stand first, so an
 * SBV can subscribe to "new or changed articles on BEM".  Without
 * parameters it is every recently updated article.  An entry's id is the
 * article's URL and its <updated> the Stand, so a feed reader shows an
 * updated article again.
 *
 * XML text goes through xml_text (the HTML escaper, minus the control
 * characters XML 1.0 forbids).  Absolute URLs start with
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

/* Appends `s` escaped for XML text and attributes, dropping the control
 * characters XML 1.0 does not allow. */
static void xml_text(kb_buf *b, const char *s) {
  if (s == NULL)
    return;
  const char *run = s;
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      kb_html_escape(b, run, (size_t)(p - run));
      run = p + 1;
    }
  }
  kb_html_escapes(b, run);
}

/* "2026-11-22" -> "2026-11-22T00:00:00Z" (RFC 3339, as Atom wants). */
static void atom_date(kb_buf *b, const char *iso) {
  xml_text(b, iso);
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
  xml_text(b, u);
  kb_buf_adds(b, "/suche?q={searchTerms}\"/>\n"
                 "<Url type=\"application/atom+xml\" template=\"");
  xml_text(b, u);
  kb_buf_adds(b, "/feed.xml?q={searchTerms}\"/>\n"
                 "<Url type=\"application/x-suggestions+json\" template=\"");
  xml_text(b, u);
  kb_buf_adds(b, "/api/suggest?q={searchTerms}&amp;format=opensearch\"/>\n"
                 "<Url type=\"application/opensearchdescription+xml\" "
                 "rel=\"self\" template=\"");
  xml_text(b, u);
  kb_buf_adds(b, "/opensearch.xml\"/>\n</OpenSearchDescription>\n");
  kb_buf_release(&base);
  rep->content_type = "application/opensearchdescription+xml; charset=utf-8";
  rep->cache = "public, max-age=86400";
}

/* The pages the schema declares per kind: A-Z lists and finders. */
static void sitemap_kind_pages(kb_buf *b, const kb_schema *sc,
                               const char *base) {
  for (size_t i = 0; i < sc->nkinds; i++) {
    const char *paths[2] = {sc->kinds[i].index_path, sc->kinds[i].finder_path};
    for (int k = 0; k < 2; k++) {
      if (paths[k] == NULL)
        continue;
      kb_buf_adds(b, "<url><loc>");
      xml_text(b, base);
      kb_buf_addc(b, '/');
      xml_text(b, paths[k]);
      kb_buf_adds(b, "</loc></url>\n");
    }
  }
}

void feed_sitemap(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, const char *rest, reply *rep) {
  (void)rest;
  kb_searcher *s = worker_searcher(w, cfg, NULL);
  if (s == NULL) {
    reply_unavailable(rep, false);
    return;
  }
  rep->content_type = "application/xml; charset=utf-8";
  kb_buf base = KB_BUF_INIT(BASE_MAX);
  request_base_url(conn, cfg, &base);
  kb_buf *b = &w->out;
  rep->cache = "public, max-age=3600";
  kb_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
                 "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
                 "<url><loc>");
  xml_text(b, kb_buf_str(&base));
  kb_buf_adds(b, "/</loc></url>\n");
  sitemap_kind_pages(b, kb_searcher_vocab(s)->schema, kb_buf_str(&base));
  /* Every record of every kind, newest first, a page of the browse list at a
   * time; KB_PAGE_MAX pages of KB_PER_PAGE_MAX is the sitemap format's own
   * limit of 50,000 URLs. */
  for (unsigned page = 1; page <= KB_PAGE_MAX; page++) {
    kb_search_request req = {.schema = kb_searcher_vocab(s)->schema,
                             .page = page,
                             .per_page = KB_PER_PAGE_MAX,
                             .sort = KB_SORT_UPDATED};
    kb_search_result *r = NULL;
    if (kb_search(s, &req, &r, NULL) != KB_OK) {
      reply_plain(rep, MHD_HTTP_INTERNAL_SERVER_ERROR,
                  "the sitemap cannot be built\n");
      rep->cache = NULL;
      break;
    }
    for (size_t i = 0; i < r->nhits; i++) {
      kb_buf_adds(b, "<url><loc>");
      xml_text(b, kb_buf_str(&base));
      xml_text(b, r->hits[i].url);
      kb_buf_adds(b, "</loc><lastmod>");
      xml_text(b, r->hits[i].updated);
      kb_buf_adds(b, "</lastmod></url>\n");
    }
    bool last = (uint64_t)page * KB_PER_PAGE_MAX >= r->total;
    kb_search_result_free(r);
    if (last) {
      kb_buf_adds(b, "</urlset>\n");
      break;
    }
  }
  kb_buf_release(&base);
}

/* "teilhabe: Suche „BEM“ (Schwerbehindertenvertretung)". */
static void feed_title(kb_buf *b, kb_searcher *s,
                       const kb_search_request *req) {
  const kb_vocab *v = kb_searcher_vocab(s);
  bool any = false;
  kb_buf_adds(b, "teilhabe: ");
  if (req->query && *req->query) {
    kb_buf_adds(b, "Suche „");
    xml_text(b, req->query);
    kb_buf_adds(b, "“");
  } else {
    kb_buf_adds(b, "neue und geänderte Einträge");
  }
  for (size_t f = 0; f < KB_SCHEMA_MAX_FACETS; f++) {
    for (size_t i = 0; i < req->nfilters[f]; i++) {
      kb_buf_adds(b, any ? ", " : " (");
      xml_text(b, kb_vocab_facet_label(v, f, req->filters[f][i]));
      any = true;
    }
  }
  if (any)
    kb_buf_addc(b, ')');
}

static void atom_entry(kb_buf *b, const char *base, const kb_hit *h) {
  kb_buf_adds(b, "<entry>\n<title>");
  xml_text(b, h->title);
  kb_buf_adds(b, "</title>\n<link rel=\"alternate\" type=\"text/html\" "
                 "href=\"");
  xml_text(b, base);
  xml_text(b, h->url);
  kb_buf_adds(b, "\"/>\n<id>");
  xml_text(b, base);
  xml_text(b, h->url);
  kb_buf_adds(b, "</id>\n<updated>");
  atom_date(b, h->updated);
  kb_buf_adds(b, "</updated>\n<category term=\"");
  xml_text(b, h->kind);
  kb_buf_adds(b, "\" label=\"");
  xml_text(b, h->label);
  kb_buf_adds(b, "\"/>\n<summary>");
  xml_text(b, h->summary);
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
  xml_text(b, base);
  xml_text(b, kb_buf_str(&url));
  kb_buf_adds(b, "</id>\n<link rel=\"self\" type=\"application/atom+xml\" "
                 "href=\"");
  xml_text(b, base);
  xml_text(b, kb_buf_str(&url));
  kb_buf_adds(b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
  kb_buf_reset(&url);
  self.per_page = 0;
  html_search_url(&url, &self, KB_SCHEMA_NONE, NULL, 0, KB_SORT_UPDATED);
  xml_text(b, base);
  xml_text(b, kb_buf_str(&url));
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
  rep->cache = "public, max-age=300";
  atom_head(rep->body, s, kb_buf_str(&base), &req, r);
  for (size_t i = 0; i < r->nhits; i++)
    atom_entry(rep->body, kb_buf_str(&base), &r->hits[i]);
  kb_buf_adds(rep->body, "</feed>\n");
  kb_buf_release(&base);
  kb_search_result_free(r);
}
