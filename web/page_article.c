/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_article.c - the article page /artikel/<id>: the rendered Markdown
 * with its metadata (type, audience, disabilities, norms, Stand, sources),
 * related and similar articles, breadcrumbs, schema.org JSON-LD, and a
 * print layout that makes a clean handout (style.css, @media print).
 *
 * Breadcrumbs lead back to the search the reader came from.  Result links
 * carry referrerpolicy="same-origin", so the browser sends the results
 * page's URL as Referer (to us only; the site-wide policy stays
 * no-referrer).  The URL's parameters are decoded here, checked like any
 * search and re-encoded by html_search_url, so nothing of the Referer
 * reaches the page unchecked.
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "kb_escape.h"
#include "web.h"

#define ESC(b, s) kb_html_escapes((b), (s))

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes a query component in place ("+" is a space; a malformed "%"
 * escape stays as it is).  Returns the decoded length. */
static size_t url_decode(char *s, size_t n) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '+') {
      s[o++] = ' ';
    } else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
               hexval(s[i + 2]) >= 0) {
      s[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      s[o++] = s[i];
    }
  }
  s[o] = '\0';
  return o;
}

static bool parse_number(const char *s, unsigned max, unsigned *ret) {
  unsigned v = 0;
  if (*s == '\0')
    return false;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > max)
      return false;
    v = v * 10 + (unsigned)(*s - '0');
  }
  if (v < 1 || v > max)
    return false;
  *ret = v;
  return true;
}

/* Fills `req` from the query string `qs` (modified in place: split and
 * decoded; the request points into it).  Unknown keys are ignored, as on
 * the results page.  False for a malformed page, per_page or sort. */
static bool parse_query_string(char *qs, kb_search_request *req) {
  memset(req, 0, sizeof *req);
  size_t args = 0;
  char *p = qs;
  while (*p && args++ < WEB_MAX_ARGS) {
    char *amp = strchr(p, '&');
    char *next = amp ? amp + 1 : p + strlen(p);
    if (amp)
      *amp = '\0';
    char *eq = strchr(p, '=');
    char *val = eq ? eq + 1 : p + strlen(p);
    if (eq)
      *eq = '\0';
    url_decode(p, strlen(p));
    url_decode(val, strlen(val));
    kb_facet f = kb_facet_from_name(p);
    if (strcmp(p, "q") == 0) {
      req->query = val;
    } else if (f != KB_FACET_COUNT && *val) {
      if (req->nfilters[f] >= KB_FILTER_MAX_VALUES)
        return false;
      req->filters[f][req->nfilters[f]++] = val;
    } else if (strcmp(p, "page") == 0) {
      if (!parse_number(val, KB_PAGE_MAX, &req->page))
        return false;
    } else if (strcmp(p, "per_page") == 0) {
      if (!parse_number(val, KB_PER_PAGE_MAX, &req->per_page))
        return false;
    } else if (strcmp(p, "sort") == 0) {
      if (strcmp(val, "updated") == 0)
        req->sort = KB_SORT_UPDATED;
      else if (*val && strcmp(val, "relevance") != 0)
        return false;
    } else if (strcmp(p, "exakt") == 0) {
      req->no_correction = true;
    }
    p = next;
  }
  return true;
}

/* When the Referer is our own results page, fills `req` from its query
 * string (kept in `store`, which the request points into) and returns
 * true; otherwise false. */
static bool referring_search(struct MHD_Connection *conn, kb_searcher *s,
                             kb_buf *store, kb_search_request *req) {
  if (conn == NULL)
    return false;
  const char *ref =
      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Referer");
  const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
  if (ref == NULL || host == NULL || strlen(ref) > WEB_MAX_URL)
    return false;
  if (strncmp(ref, "http://", 7) == 0)
    ref += 7;
  else if (strncmp(ref, "https://", 8) == 0)
    ref += 8;
  else
    return false;
  size_t hl = strlen(host);
  if (strncmp(ref, host, hl) != 0)
    return false;
  ref += hl;
  if (strncmp(ref, "/suche", 6) != 0 || (ref[6] != '\0' && ref[6] != '?'))
    return false;
  memset(req, 0, sizeof *req);
  if (ref[6] == '\0' || ref[7] == '\0')
    return true; /* "/suche": browsing every article */
  kb_buf_reset(store);
  if (kb_buf_adds(store, ref + 7) != KB_OK || store->data == NULL)
    return false;
  char *qs = store->data;
  char *hash = strchr(qs, '#');
  if (hash)
    *hash = '\0';
  if (!parse_query_string(qs, req))
    return false;
  return kb_search_validate(s, req, NULL) == KB_OK;
}

static void dl_list(kb_buf *b, const char *term, json_t *arr, const kb_vocab *v,
                    kb_facet f, bool link) {
  if (json_array_size(arr) == 0)
    return;
  kb_buf_adds(b, "<dt>");
  ESC(b, term);
  kb_buf_adds(b, "</dt>\n<dd><ul class=\"inline\">");
  size_t i;
  json_t *it;
  json_array_foreach(arr, i, it) {
    const char *key = json_string_value(it);
    if (key == NULL)
      continue;
    const char *label = f == KB_FACET_COUNT ? key : kb_vocab_label(v, f, key);
    kb_buf_adds(b, "<li>");
    if (link) {
      kb_buf_addf(b, "<a href=\"/suche?%s=", kb_facet_name(f));
      kb_url_encodes(b, key);
      kb_buf_adds(b, "\">");
    }
    ESC(b, label ? label : key);
    kb_buf_adds(b, link ? "</a></li>" : "</li>");
  }
  kb_buf_adds(b, "</ul></dd>\n");
}

/* "Rechtsgrundlagen": each norm links to its official text when
 * gesetze.yaml names an address for its law (external, so said). */
static void norm_list(kb_buf *b, json_t *norms, const kb_vocab *v) {
  if (json_array_size(norms) == 0)
    return;
  kb_buf_adds(b, "<dt>Rechtsgrundlagen</dt>\n<dd><ul class=\"inline\">");
  size_t i;
  json_t *it;
  json_array_foreach(norms, i, it) {
    const char *norm = json_string_value(it);
    if (norm == NULL)
      continue;
    kb_cite c;
    char url[512];
    bool link = kb_cite_parse(norm, &c, 1) >= 1 &&
                kb_vocab_norm_url(v, &c, url, sizeof url);
    kb_buf_adds(b, "<li>");
    if (link) {
      kb_buf_adds(b, "<a class=\"norm\" rel=\"external\" href=\"");
      ESC(b, url);
      kb_buf_adds(b, "\">");
    }
    ESC(b, norm);
    if (link)
      kb_buf_adds(b, "<span class=\"sr\"> (amtlicher Text, "
                     "externe Seite)</span></a>");
    kb_buf_adds(b, "</li>");
  }
  kb_buf_adds(b, "</ul></dd>\n");
}

static void link_item(kb_buf *b, const char *id, const char *title) {
  kb_buf_adds(b, "<li><a href=\"/artikel/");
  kb_url_encodes(b, id);
  kb_buf_adds(b, "\">");
  ESC(b, title);
  kb_buf_adds(b, "</a></li>\n");
}

/* "Verwandte Artikel" from the article's related field, then "Ähnliche
 * Artikel" by relevance feedback on its terms, leaving out the related. */
static void article_links(kb_buf *b, kb_searcher *s, json_t *rec,
                          const char *id) {
  json_t *related = json_object_get(rec, "related");
  const char *exclude[64];
  size_t nex = 0;
  size_t i;
  json_t *it;
  if (json_array_size(related)) {
    kb_buf_adds(b, "<section aria-labelledby=\"h-rel\">\n<h2 id=\"h-rel\">"
                   "Verwandte Artikel</h2>\n<ul>\n");
    json_array_foreach(related, i, it) {
      json_t *other = NULL;
      const char *rid = json_string_value(it);
      if (rid && nex < 64)
        exclude[nex++] = rid;
      if (rid == NULL || kb_searcher_article(s, rid, &other, NULL) != KB_OK)
        continue;
      link_item(b, rid, json_string_value(json_object_get(other, "title")));
      json_decref(other);
    }
    kb_buf_adds(b, "</ul>\n</section>\n");
  }
  json_t *similar = NULL;
  if (kb_searcher_similar(s, id, 5, exclude, nex, &similar, NULL) != KB_OK)
    return;
  if (json_array_size(similar)) {
    kb_buf_adds(b, "<section aria-labelledby=\"h-sim\">\n<h2 id=\"h-sim\">"
                   "Ähnliche Artikel</h2>\n<ul>\n");
    json_array_foreach(similar, i, it) {
      link_item(b, json_string_value(json_object_get(it, "id")),
                json_string_value(json_object_get(it, "title")));
    }
    kb_buf_adds(b, "</ul>\n</section>\n");
  }
  json_decref(similar);
}

/* Labels of a vocabulary list as a JSON array of strings (new ref). */
static json_t *labels(json_t *arr, const kb_vocab *v, kb_facet f) {
  json_t *out = json_array();
  size_t i;
  json_t *it;
  json_array_foreach(arr, i, it) {
    const char *key = json_string_value(it);
    const char *label = key ? kb_vocab_label(v, f, key) : NULL;
    if (key)
      json_array_append_new(out, json_string(label ? label : key));
  }
  return out;
}

/* schema.org Article for search engines, serialised (html_begin_page
 * escapes it for the <script> element).  Owned string, or NULL. */
static char *article_jsonld(json_t *rec, const kb_vocab *v,
                            const char *type_label, const char *url) {
  json_t *audience =
      labels(json_object_get(rec, "audience"), v, KB_FACET_AUDIENCE);
  json_t *about =
      labels(json_object_get(rec, "disabilities"), v, KB_FACET_DISABILITY);
  json_t *j = json_pack(
      "{s:s, s:s, s:O?, s:O?, s:O?, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:b, "
      "s:{s:s, s:s}, s:O?, s:O?}",
      "@context", "https://schema.org", "@type", "Article", "headline",
      json_object_get(rec, "title"), "description",
      json_object_get(rec, "summary"), "dateModified",
      json_object_get(rec, "updated"), "inLanguage", "de", "url", url,
      "articleSection", type_label ? type_label : "", "publisher", "@type",
      "Organization", "name", "teilhabe", "license",
      "https://creativecommons.org/licenses/by/4.0/", "isAccessibleForFree", 1,
      "mainEntityOfPage", "@type", "WebPage", "@id", url, "citation",
      json_object_get(rec, "sources"), "keywords",
      json_object_get(rec, "norms"));
  if (j && json_array_size(audience))
    json_object_set_new(
        j, "audience",
        json_pack("{s:s, s:O}", "@type", "Audience", "audienceType", audience));
  if (j && json_array_size(about))
    json_object_set(j, "about", about);
  json_decref(audience);
  json_decref(about);
  char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  return s;
}

static void breadcrumbs(kb_buf *b, struct MHD_Connection *conn, kb_searcher *s,
                        worker *w, const char *type, const char *type_label,
                        const char *title) {
  kb_search_request from;
  kb_buf_adds(b, "<nav class=\"crumbs\" aria-label=\"Brotkrümelnavigation\">"
                 "<ol><li><a href=\"/\">Startseite</a></li><li>");
  if (referring_search(conn, s, &w->scratch, &from)) {
    kb_buf url = KB_BUF_INIT(WEB_MAX_URL * 2);
    html_search_url(&url, &from, KB_FACET_COUNT, NULL, from.page, from.sort);
    kb_buf_adds(b, "<a class=\"back\" href=\"");
    ESC(b, kb_buf_str(&url));
    kb_buf_release(&url);
    if (from.query && *from.query) {
      kb_buf_adds(b, "\">Suche „");
      ESC(b, from.query);
      kb_buf_adds(b, "“</a>");
    } else {
      kb_buf_adds(b, "\">Suchergebnisse</a>");
    }
  } else {
    kb_buf_adds(b, "<a href=\"/suche?type=");
    kb_url_encodes(b, type);
    kb_buf_adds(b, "\">");
    ESC(b, type_label ? type_label : type);
    kb_buf_adds(b, "</a>");
  }
  kb_buf_adds(b, "</li><li aria-current=\"page\">");
  ESC(b, title);
  kb_buf_adds(b, "</li></ol></nav>\n");
}

/* "Zahlen gelten bis": when the article's figures expire; past that
 * day the reader is told plainly that they may be out of date. */
static void valid_until(kb_buf *b, const char *until) {
  if (until == NULL || until[0] == '\0')
    return;
  char today[11];
  kb_date_today(today);
  bool expired = strcmp(today, until) > 0;
  kb_buf_adds(b, "<dt>Zahlen gelten bis</dt><dd><time datetime=\"");
  ESC(b, until);
  kb_buf_adds(b, "\">");
  html_date(b, until);
  kb_buf_adds(b, "</time>");
  if (expired)
    kb_buf_adds(b, " <strong class=\"expired\">– abgelaufen: Die Zahlen "
                   "können veraltet sein, die Redaktion prüft sie.</strong>");
  kb_buf_adds(b, "</dd>\n");
}

static void article_body(kb_buf *b, json_t *rec, const kb_vocab *v,
                         const char *type, const char *type_label) {
  const char *updated = json_string_value(json_object_get(rec, "updated"));
  kb_buf_adds(b, "<article class=\"article\">\n<h1>");
  ESC(b, json_string_value(json_object_get(rec, "title")));
  kb_buf_adds(b, "</h1>\n<p class=\"lead\">");
  ESC(b, json_string_value(json_object_get(rec, "summary")));
  kb_buf_adds(b, "</p>\n<dl class=\"facts\">\n<dt>Art</dt><dd><a "
                 "href=\"/suche?type=");
  kb_url_encodes(b, type);
  kb_buf_adds(b, "\">");
  ESC(b, type_label ? type_label : type);
  kb_buf_adds(b, "</a></dd>\n<dt>Stand</dt><dd><time datetime=\"");
  ESC(b, updated);
  kb_buf_adds(b, "\">");
  html_date(b, updated);
  kb_buf_adds(b, "</time></dd>\n");
  valid_until(b, json_string_value(json_object_get(rec, "gilt_bis")));
  dl_list(b, "Zielgruppe", json_object_get(rec, "audience"), v,
          KB_FACET_AUDIENCE, true);
  dl_list(b, "Behinderungsart", json_object_get(rec, "disabilities"), v,
          KB_FACET_DISABILITY, true);
  norm_list(b, json_object_get(rec, "norms"), v);
  kb_buf_adds(b, "</dl>\n<div class=\"body\">\n");
  /* Rendered by cmark-gfm in safe mode at index time: raw HTML from the
   * Markdown never gets here. */
  kb_buf_adds(b, json_string_value(json_object_get(rec, "body_html")));
  kb_buf_adds(b, "</div>\n");
  json_t *sources = json_object_get(rec, "sources");
  if (json_array_size(sources)) {
    kb_buf_adds(b, "<section class=\"sources\" aria-labelledby=\"h-src\">\n"
                   "<h2 id=\"h-src\">Quellen</h2>\n<ul>\n");
    size_t i;
    json_t *it;
    json_array_foreach(sources, i, it) {
      kb_buf_adds(b, "<li>");
      ESC(b, json_string_value(it));
      kb_buf_adds(b, "</li>\n");
    }
    kb_buf_adds(b, "</ul>\n</section>\n");
  }
}

void page_article_req(struct MHD_Connection *conn, worker *w,
                      const server_config *cfg, const char *id, reply *rep) {
  char *err = NULL;
  kb_searcher *s = web_searcher(w, cfg, &err);
  free(err);
  if (s == NULL) {
    page_error(w, MHD_HTTP_SERVICE_UNAVAILABLE, "Suche nicht verfügbar",
               "Der Suchindex kann gerade nicht gelesen werden. Bitte "
               "versuchen Sie es in einigen Minuten erneut.",
               rep);
    return;
  }
  json_t *rec = NULL;
  kb_status st = kb_searcher_article(s, id, &rec, NULL);
  if (st == KB_ERR_NOT_FOUND) {
    page_error(w, MHD_HTTP_NOT_FOUND, "Artikel nicht gefunden",
               "Diesen Artikel gibt es nicht (mehr). Vielleicht finden Sie "
               "ihn über die Suche.",
               rep);
    return;
  }
  if (st != KB_OK) {
    page_error(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "Fehler",
               "Der Artikel kann gerade nicht gelesen werden.", rep);
    return;
  }
  const kb_vocab *v = kb_searcher_vocab(s);
  const char *title = json_string_value(json_object_get(rec, "title"));
  const char *type = json_string_value(json_object_get(rec, "type"));
  const char *type_label = type ? kb_vocab_label(v, KB_FACET_TYPE, type) : "";
  kb_buf path = KB_BUF_INIT(512), abs = KB_BUF_INIT(1024);
  kb_buf_adds(&path, "/artikel/");
  kb_url_encodes(&path, id);
  if (conn)
    web_base_url(conn, &abs);
  kb_buf_adds(&abs, kb_buf_str(&path));
  char *jsonld = article_jsonld(rec, v, type_label, kb_buf_str(&abs));

  kb_buf *b = &w->out;
  html_page p = {.title = title,
                 .query = "",
                 .canonical = kb_buf_str(&path),
                 .jsonld = jsonld};
  html_begin_page(b, &p);
  breadcrumbs(b, conn, s, w, type, type_label, title);
  kb_buf_adds(b, "<div class=\"article-layout\">\n");
  article_body(b, rec, v, type, type_label);
  /* Only on paper: where the handout comes from and how current it is. */
  kb_buf_adds(b, "<p class=\"print-only\">Ausgedruckt aus teilhabe – Wissen "
                 "zu Behinderung und Arbeit. Online: ");
  ESC(b, kb_buf_str(&abs));
  kb_buf_adds(b, " (Stand ");
  html_date(b, json_string_value(json_object_get(rec, "updated")));
  kb_buf_adds(b, "). Keine Rechtsberatung.</p>\n</article>\n"
                 "<aside class=\"more\" aria-label=\"Weitere Artikel\">\n");
  article_links(b, s, rec, id);
  kb_buf_adds(b, "</aside>\n</div>\n");
  html_end(b);
  free(jsonld);
  kb_buf_release(&path);
  kb_buf_release(&abs);
  json_decref(rec);
}

void page_article(worker *w, const server_config *cfg, const char *id,
                  reply *rep) {
  page_article_req(NULL, w, cfg, id, rep);
}
