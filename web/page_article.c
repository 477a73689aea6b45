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
 * no-referrer).  Its parameters are read by request.c's one parser, as
 * the results page reads its own, checked like any search and re-encoded
 * by html_search_url, so nothing of the Referer reaches the page
 * unchecked.
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "kb_cite.h"
#include "kb_escape.h"
#include "kb_text.h"
#include "pages.h"
#include "request.h"

/* When the Referer is our own results page with a search the index
 * accepts, fills `from` with it (pointing into `store`). */
static bool referring_search(struct MHD_Connection *conn, kb_searcher *s,
                             kb_buf *store, kb_search_request *from) {
  return request_referring_search(conn, store, from) &&
         kb_search_validate(s, from, NULL) == KB_OK;
}

static void dl_list(kb_buf *b, const char *term, json_t *arr, const kb_vocab *v,
                    kb_facet f, bool link) {
  if (json_array_size(arr) == 0)
    return;
  html_f(b, "<dt>%s</dt>\n<dd><ul class=\"inline\">", term);
  size_t i;
  json_t *it;
  json_array_foreach(arr, i, it) {
    const char *key = json_string_value(it);
    if (key == NULL)
      continue;
    const char *label = f == KB_FACET_COUNT ? key : kb_vocab_label(v, f, key);
    if (link)
      html_f(b, "<li><a href=\"/suche?%s=%U\">%s</a></li>", kb_facet_name(f),
             key, label ? label : key);
    else
      html_f(b, "<li>%s</li>", label ? label : key);
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
    if (link)
      html_f(b,
             "<li><a class=\"norm\" rel=\"external\" href=\"%s\">%s"
             "<span class=\"sr\"> (amtlicher Text, externe Seite)</span>"
             "</a></li>",
             url, norm);
    else
      html_f(b, "<li>%s</li>", norm);
  }
  kb_buf_adds(b, "</ul></dd>\n");
}

static void link_item(kb_buf *b, const char *id, const char *title) {
  html_f(b, "<li><a href=\"/artikel/%U\">%s</a></li>\n", id, title);
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

/* Startseite > the search the reader came from (or the article's type)
 * > the article. */
static void breadcrumbs(kb_buf *b, struct MHD_Connection *conn, kb_searcher *s,
                        worker *w, const char *type, const char *type_label,
                        const char *title) {
  kb_search_request from;
  kb_buf_adds(b, "<nav class=\"crumbs\" aria-label=\"Brotkrümelnavigation\">"
                 "<ol><li><a href=\"/\">Startseite</a></li><li>");
  if (referring_search(conn, s, &w->scratch, &from)) {
    kb_buf url = KB_BUF_INIT(WEB_MAX_URL * 2);
    html_search_url(&url, &from, KB_FACET_COUNT, NULL, from.page, from.sort);
    if (from.query && *from.query)
      html_f(b, "<a class=\"back\" href=\"%s\">Suche „%s“</a>",
             kb_buf_str(&url), from.query);
    else
      html_f(b, "<a class=\"back\" href=\"%s\">Suchergebnisse</a>",
             kb_buf_str(&url));
    kb_buf_release(&url);
  } else {
    html_f(b, "<a href=\"/suche?type=%U\">%s</a>", type,
           type_label ? type_label : type);
  }
  html_f(b, "</li><li aria-current=\"page\">%s</li></ol></nav>\n", title);
}

/* "Zahlen gelten bis": when the article's figures expire; past that
 * day the reader is told plainly that they may be out of date. */
static void valid_until(kb_buf *b, const char *until) {
  if (until == NULL || until[0] == '\0')
    return;
  char today[11];
  kb_date_today(today);
  bool expired = strcmp(today, until) > 0;
  html_f(b, "<dt>Zahlen gelten bis</dt><dd><time datetime=\"%s\">", until);
  html_date(b, until);
  kb_buf_adds(b, "</time>");
  if (expired)
    kb_buf_adds(b, " <strong class=\"expired\">– abgelaufen: Die Zahlen "
                   "können veraltet sein, die Redaktion prüft sie.</strong>");
  kb_buf_adds(b, "</dd>\n");
}

/* "Quellen": the sources, as the article names them. */
static void source_list(kb_buf *b, json_t *sources) {
  if (json_array_size(sources) == 0)
    return;
  kb_buf_adds(b, "<section class=\"sources\" aria-labelledby=\"h-src\">\n"
                 "<h2 id=\"h-src\">Quellen</h2>\n<ul>\n");
  size_t i;
  json_t *it;
  json_array_foreach(sources, i, it) {
    html_f(b, "<li>%s</li>\n", json_string_value(it));
  }
  kb_buf_adds(b, "</ul>\n</section>\n");
}

/* Title, lead, the facts (type, Stand, validity, audiences,
 * disabilities, norms), the body and the sources. */
static void article_body(kb_buf *b, json_t *rec, const kb_vocab *v,
                         const char *type, const char *type_label) {
  const char *updated = json_string_value(json_object_get(rec, "updated"));
  html_f(b,
         "<article class=\"article\">\n<h1>%s</h1>\n<p class=\"lead\">%s</p>\n"
         "<dl class=\"facts\">\n"
         "<dt>Art</dt><dd><a href=\"/suche?type=%U\">%s</a></dd>\n"
         "<dt>Stand</dt><dd><time datetime=\"%s\">",
         json_string_value(json_object_get(rec, "title")),
         json_string_value(json_object_get(rec, "summary")), type,
         type_label ? type_label : type, updated);
  html_date(b, updated);
  kb_buf_adds(b, "</time></dd>\n");
  valid_until(b, json_string_value(json_object_get(rec, "gilt_bis")));
  dl_list(b, "Zielgruppe", json_object_get(rec, "audience"), v,
          KB_FACET_AUDIENCE, true);
  dl_list(b, "Behinderungsart", json_object_get(rec, "disabilities"), v,
          KB_FACET_DISABILITY, true);
  norm_list(b, json_object_get(rec, "norms"), v);
  /* Rendered by cmark-gfm in safe mode at index time: raw HTML from the
   * Markdown never gets here. */
  html_f(b, "</dl>\n<div class=\"body\">\n%R</div>\n",
         json_string_value(json_object_get(rec, "body_html")));
  source_list(b, json_object_get(rec, "sources"));
}

void page_article(struct MHD_Connection *conn, worker *w,
                  const server_config *cfg, const char *id, reply *rep) {
  kb_searcher *s = page_searcher(w, cfg, rep);
  if (s == NULL)
    return;
  json_t *rec = NULL;
  kb_status st = kb_searcher_article(s, id, &rec, NULL);
  if (st == KB_ERR_NOT_FOUND) {
    page_error(rep, MHD_HTTP_NOT_FOUND, "Artikel nicht gefunden",
               "Diesen Artikel gibt es nicht (mehr). Vielleicht finden Sie "
               "ihn über die Suche.");
    return;
  }
  if (st != KB_OK) {
    page_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "Fehler",
               "Der Artikel kann gerade nicht gelesen werden.");
    return;
  }
  const kb_vocab *v = kb_searcher_vocab(s);
  const char *title = json_string_value(json_object_get(rec, "title"));
  const char *type = json_string_value(json_object_get(rec, "type"));
  const char *type_label = type ? kb_vocab_label(v, KB_FACET_TYPE, type) : "";
  kb_buf path = KB_BUF_INIT(512), abs = KB_BUF_INIT(1024);
  kb_buf_adds(&path, "/artikel/");
  kb_url_encodes(&path, id);
  request_base_url(conn, cfg, &abs);
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
  html_text(b, kb_buf_str(&abs));
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
