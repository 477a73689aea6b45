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
 * characters XML 1.0 forbids).
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "kb_escape.h"
#include "kb_text.h"
#include "web.h"

#define FEED_PER_PAGE 20
#define URL_MAX (WEB_MAX_URL * 2)
#define HOST_MAX 255

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

static bool host_ok(const char *h) {
  size_t n = strlen(h);
  if (n == 0 || n > HOST_MAX)
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = h[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' ||
          c == '[' || c == ']'))
      return false;
  }
  return true;
}

/* Written once before the daemon starts, read-only afterwards. */
static char base_url[208];

bool web_set_base_url(const char *url) {
  size_t n = strlen(url);
  while (n > 0 && url[n - 1] == '/')
    n--;
  bool http = strncmp(url, "http://", 7) == 0 && n > 7;
  bool https = strncmp(url, "https://", 8) == 0 && n > 8;
  if (!(http || https) || n > 200)
    return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)url[i];
    if (c <= ' ' || c >= 0x7F || c == '"' || c == '<' || c == '>' ||
        c == '\'' || c == '\\')
      return false;
  }
  memcpy(base_url, url, n);
  base_url[n] = '\0';
  return true;
}

void web_base_url(struct MHD_Connection *conn, kb_buf *b) {
  if (base_url[0]) {
    kb_buf_adds(b, base_url);
    return;
  }
  const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
  const char *proto =
      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
  kb_buf_adds(b, proto && strcmp(proto, "https") == 0 ? "https://" : "http://");
  kb_buf_adds(b, host && host_ok(host) ? host : "localhost");
}

/* "2026-11-22" -> "2026-11-22T00:00:00Z" (RFC 3339, as Atom wants). */
static void atom_date(kb_buf *b, const char *iso) {
  xml_text(b, iso);
  kb_buf_adds(b, "T00:00:00Z");
}

void feed_opensearch(struct MHD_Connection *conn, worker *w,
                     const server_config *cfg, reply *rep) {
  (void)cfg;
  kb_buf base = KB_BUF_INIT(HOST_MAX + 16);
  web_base_url(conn, &base);
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

void feed_sitemap(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, reply *rep) {
  char *err = NULL;
  kb_searcher *s = web_searcher(w, cfg, &err);
  free(err);
  rep->content_type = "application/xml; charset=utf-8";
  if (s == NULL) {
    rep->status = MHD_HTTP_SERVICE_UNAVAILABLE;
    rep->content_type = "text/plain; charset=utf-8";
    kb_buf_adds(&w->out, "index unavailable\n");
    return;
  }
  kb_buf base = KB_BUF_INIT(HOST_MAX + 16);
  web_base_url(conn, &base);
  kb_buf *b = &w->out;
  rep->cache = "public, max-age=3600";
  kb_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
                 "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
                 "<url><loc>");
  xml_text(b, kb_buf_str(&base));
  kb_buf_adds(b, "/</loc></url>\n");
  /* Every article, newest first, a page of the browse list at a time;
   * KB_PAGE_MAX pages of KB_PER_PAGE_MAX is the sitemap format's own
   * limit of 50,000 URLs. */
  for (unsigned page = 1; page <= KB_PAGE_MAX; page++) {
    kb_search_request req = {
        .page = page, .per_page = KB_PER_PAGE_MAX, .sort = KB_SORT_UPDATED};
    kb_search_result *r = NULL;
    if (kb_search(s, &req, &r, NULL) != KB_OK) {
      kb_buf_reset(b);
      rep->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
      rep->content_type = "text/plain; charset=utf-8";
      rep->cache = NULL;
      kb_buf_adds(b, "the sitemap cannot be built\n");
      break;
    }
    for (size_t i = 0; i < r->nhits; i++) {
      kb_buf_adds(b, "<url><loc>");
      xml_text(b, kb_buf_str(&base));
      kb_buf_adds(b, "/artikel/");
      kb_url_encodes(b, r->hits[i].id);
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
    kb_buf_adds(b, "neue und geänderte Artikel");
  }
  for (int f = 0; f < KB_FACET_COUNT; f++) {
    for (size_t i = 0; i < req->nfilters[f]; i++) {
      const char *label = kb_vocab_label(v, (kb_facet)f, req->filters[f][i]);
      kb_buf_adds(b, any ? ", " : " (");
      xml_text(b, label ? label : req->filters[f][i]);
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
  kb_buf_adds(b, "/artikel/");
  kb_url_encodes(b, h->id);
  kb_buf_adds(b, "\"/>\n<id>");
  xml_text(b, base);
  kb_buf_adds(b, "/artikel/");
  kb_url_encodes(b, h->id);
  kb_buf_adds(b, "</id>\n<updated>");
  atom_date(b, h->updated);
  kb_buf_adds(b, "</updated>\n<category term=\"");
  xml_text(b, h->type);
  kb_buf_adds(b, "\" label=\"");
  xml_text(b, h->type_label);
  kb_buf_adds(b, "\"/>\n<summary>");
  xml_text(b, h->summary);
  kb_buf_adds(b, "</summary>\n</entry>\n");
}

void feed_atom(struct MHD_Connection *conn, worker *w, const server_config *cfg,
               reply *rep) {
  kb_search_request req;
  const char *msg = NULL;
  kb_buf *b = &w->out;
  rep->content_type = "text/plain; charset=utf-8";
  if (!web_parse_search(conn, w, false, &req, &msg)) {
    rep->status = MHD_HTTP_BAD_REQUEST;
    kb_buf_adds(b, msg ? msg : "invalid parameters");
    kb_buf_addc(b, '\n');
    return;
  }
  char *err = NULL;
  kb_searcher *s = web_searcher(w, cfg, &err);
  free(err);
  if (s == NULL) {
    rep->status = MHD_HTTP_SERVICE_UNAVAILABLE;
    kb_buf_adds(b, "index unavailable\n");
    return;
  }
  /* A feed is a list of changes: newest Stand first, first page only. */
  req.sort = KB_SORT_UPDATED;
  req.page = 1;
  if (req.per_page == 0)
    req.per_page = FEED_PER_PAGE;
  kb_search_result *r = NULL;
  kb_status st = kb_search(s, &req, &r, &err);
  if (st != KB_OK) {
    rep->status = st == KB_ERR_LIMIT || st == KB_ERR_INVALID
                      ? MHD_HTTP_BAD_REQUEST
                      : MHD_HTTP_INTERNAL_SERVER_ERROR;
    kb_buf_adds(b, err ? err : kb_status_str(st));
    kb_buf_addc(b, '\n');
    free(err);
    return;
  }
  kb_buf base = KB_BUF_INIT(HOST_MAX + 16);
  kb_buf url = KB_BUF_INIT(URL_MAX);
  web_base_url(conn, &base);
  const char *bu = kb_buf_str(&base);
  rep->content_type = "application/atom+xml; charset=utf-8";
  rep->cache = "public, max-age=300";
  kb_buf_adds(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed "
                 "xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\">\n"
                 "<title>");
  feed_title(b, s, &req);
  kb_buf_adds(b, "</title>\n<subtitle>Neue und geänderte Artikel, neuester "
                 "Stand zuerst</subtitle>\n<id>");
  kb_search_request self = req;
  self.per_page = req.per_page == FEED_PER_PAGE ? 0 : req.per_page;
  html_url(&url, "/feed.xml", &self, KB_FACET_COUNT, NULL, 0,
           KB_SORT_RELEVANCE);
  xml_text(b, bu);
  xml_text(b, kb_buf_str(&url));
  kb_buf_adds(b, "</id>\n<link rel=\"self\" type=\"application/atom+xml\" "
                 "href=\"");
  xml_text(b, bu);
  xml_text(b, kb_buf_str(&url));
  kb_buf_adds(b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
  kb_buf_reset(&url);
  self.per_page = 0;
  html_search_url(&url, &self, KB_FACET_COUNT, NULL, 0, KB_SORT_UPDATED);
  xml_text(b, bu);
  xml_text(b, kb_buf_str(&url));
  kb_buf_adds(b, "\"/>\n<updated>");
  char today[11];
  kb_date_today(today);
  atom_date(b, r->nhits ? r->hits[0].updated : today);
  kb_buf_adds(b, "</updated>\n<author><name>teilhabe-Redaktion</name>"
                 "</author>\n<generator>teilhabe</generator>\n<rights>"
                 "CC BY-SA 4.0</rights>\n");
  for (size_t i = 0; i < r->nhits; i++)
    atom_entry(b, bu, &r->hits[i]);
  kb_buf_adds(b, "</feed>\n");
  kb_buf_release(&base);
  kb_buf_release(&url);
  kb_search_result_free(r);
}
