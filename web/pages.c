/*
 * pages.c - the German HTML pages: start, results, article, errors.
 *
 * Every page is complete without JavaScript: filters, sorting and paging
 * are plain links, so every state has a shareable URL.  Landmarks,
 * headings, labels and the live result count follow WCAG 2.1 AA.
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "kb_escape.h"
#include "web.h"

#define ESC(b, s) kb_html_escapes((b), (s))

void page_error(worker *w, unsigned status, const char *title,
                const char *text, reply *rep) {
  kb_buf *b = &w->out;
  kb_buf_reset(b);
  rep->status = status;
  rep->content_type = "text/html; charset=utf-8";
  html_begin(b, title, "", false);
  kb_buf_adds(b, "<h1>");
  ESC(b, title);
  kb_buf_adds(b, "</h1>\n<p>");
  ESC(b, text);
  kb_buf_adds(b, "</p>\n<p><a href=\"/\">Zur Startseite</a></p>\n");
  html_end(b);
}

static kb_searcher *searcher_or_error(worker *w, const server_config *cfg,
                                      reply *rep) {
  char *err = NULL;
  kb_searcher *s = web_searcher(w, cfg, &err);
  free(err);
  if (s == NULL)
    page_error(w, MHD_HTTP_SERVICE_UNAVAILABLE, "Suche nicht verfügbar",
               "Der Suchindex kann gerade nicht gelesen werden. Bitte "
               "versuchen Sie es in einigen Minuten erneut.",
               rep);
  return s;
}

/* "1 Artikel" / "23 Artikel gefunden" */
static void count_words(kb_buf *b, uint64_t n) {
  if (n == 0)
    kb_buf_adds(b, "Kein Artikel gefunden");
  else
    kb_buf_addf(b, "%llu Artikel gefunden", (unsigned long long)n);
}

static void search_form(kb_buf *b, const char *q, const char *id) {
  kb_buf_addf(b,
              "<form class=\"search big\" role=\"search\" action=\"/suche\" "
              "method=\"get\">\n<label for=\"%s\">Wonach suchen Sie?</label>\n"
              "<div class=\"row\"><input id=\"%s\" type=\"search\" "
              "name=\"q\" value=\"",
              id, id);
  ESC(b, q);
  kb_buf_adds(b, "\" maxlength=\"500\" autocomplete=\"off\" "
                 "aria-describedby=\"");
  kb_buf_adds(b, id);
  kb_buf_adds(b, "-hint\">\n<button type=\"submit\">Suchen</button></div>\n"
                 "<p class=\"hint\" id=\"");
  kb_buf_adds(b, id);
  kb_buf_adds(b, "-hint\">Zum Beispiel: <i>BEM Datenschutz</i>, "
                 "<i>Hörbehinderung Telefon</i>, <i>§ 167 SGB IX</i></p>\n"
                 "</form>\n");
}

/* ---- start page -------------------------------------------------------- */

static void facet_links(kb_buf *b, const kb_facet_list *fl, kb_facet f) {
  kb_buf_adds(b, "<ul class=\"tiles\">\n");
  for (size_t i = 0; i < fl->n; i++) {
    kb_buf_adds(b, "<li><a href=\"/suche?");
    kb_buf_adds(b, kb_facet_name(f));
    kb_buf_addc(b, '=');
    kb_url_encodes(b, fl->values[i].value);
    kb_buf_adds(b, "\">");
    ESC(b, fl->values[i].label);
    kb_buf_addf(b, " <span class=\"count\">(%llu)</span></a></li>\n",
                (unsigned long long)fl->values[i].count);
  }
  kb_buf_adds(b, "</ul>\n");
}

void page_home(worker *w, const server_config *cfg, reply *rep) {
  kb_searcher *s = searcher_or_error(w, cfg, rep);
  if (s == NULL)
    return;
  kb_search_request req = {.per_page = 5, .sort = KB_SORT_UPDATED};
  kb_search_result *r = NULL;
  if (kb_search(s, &req, &r, NULL) != KB_OK) {
    page_error(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "Fehler",
               "Die Startseite kann gerade nicht angezeigt werden.", rep);
    return;
  }
  kb_buf *b = &w->out;
  html_begin(b, "teilhabe – Wissen zu Behinderung und Arbeit", "", true);
  kb_buf_adds(b, "<h1>Wissen zu Behinderung und Arbeit</h1>\n"
                 "<p class=\"lead\">Für Arbeitgeber, Schwerbehinderten"
                 "vertretungen, Betriebsräte und Beschäftigte: "
                 "Arbeitsplatzgestaltung, Förderung, BEM und Rechte – "
                 "verständlich erklärt, mit Rechtsgrundlage und Stand.</p>\n");
  search_form(b, "", "q");
  kb_buf_adds(b, "<div class=\"columns\">\n<section aria-labelledby=\"h-typ\">"
                 "<h2 id=\"h-typ\">Nach Thema stöbern</h2>\n");
  facet_links(b, &r->facets[KB_FACET_TYPE], KB_FACET_TYPE);
  kb_buf_adds(b, "</section>\n<section aria-labelledby=\"h-beh\">"
                 "<h2 id=\"h-beh\">Nach Behinderungsart</h2>\n");
  facet_links(b, &r->facets[KB_FACET_DISABILITY], KB_FACET_DISABILITY);
  kb_buf_adds(b, "</section>\n</div>\n<section aria-labelledby=\"h-neu\">"
                 "<h2 id=\"h-neu\">Zuletzt aktualisiert</h2>\n<ul "
                 "class=\"recent\">\n");
  for (size_t i = 0; i < r->nhits; i++) {
    const kb_hit *h = &r->hits[i];
    kb_buf_adds(b, "<li><a href=\"/artikel/");
    kb_url_encodes(b, h->id);
    kb_buf_adds(b, "\">");
    ESC(b, h->title);
    kb_buf_adds(b, "</a> <span class=\"meta\">");
    ESC(b, h->type_label);
    kb_buf_adds(b, ", Stand ");
    html_date(b, h->updated);
    kb_buf_adds(b, "</span></li>\n");
  }
  kb_buf_addf(b, "</ul>\n<p><a href=\"/suche?sort=updated\">Alle %llu "
                 "Artikel, neueste zuerst</a></p>\n</section>\n",
              (unsigned long long)kb_searcher_doccount(s));
  html_end(b);
  kb_search_result_free(r);
}

/* ---- results page ------------------------------------------------------ */

static void facet_nav(kb_buf *b, const kb_search_request *req,
                      const kb_search_result *r) {
  kb_buf_adds(b, "<nav class=\"facets\" aria-labelledby=\"h-filter\">\n"
                 "<h2 id=\"h-filter\">Ergebnisse eingrenzen</h2>\n");
  for (int f = 0; f < KB_FACET_COUNT; f++) {
    const kb_facet_list *fl = &r->facets[f];
    if (fl->n == 0)
      continue;
    kb_buf_addf(b, "<section aria-labelledby=\"h-f%d\">\n<h3 id=\"h-f%d\">",
                f, f);
    ESC(b, kb_facet_label((kb_facet)f));
    kb_buf_adds(b, "</h3>\n<ul>\n");
    for (size_t i = 0; i < fl->n; i++) {
      const kb_facet_value *v = &fl->values[i];
      kb_buf_adds(b, "<li><a href=\"");
      kb_buf url = KB_BUF_INIT(WEB_MAX_URL * 2);
      html_search_url(&url, req, (kb_facet)f, v->value, 0, req->sort);
      ESC(b, kb_buf_str(&url));
      kb_buf_release(&url);
      kb_buf_adds(b, "\"");
      if (v->selected)
        kb_buf_adds(b, " class=\"on\" aria-current=\"true\"");
      kb_buf_adds(b, ">");
      if (v->selected)
        kb_buf_adds(b, "<span class=\"check\" aria-hidden=\"true\">✓</span> "
                       "<span class=\"sr\">Filter aktiv: </span>");
      ESC(b, v->label);
      kb_buf_addf(b, " <span class=\"count\">(%llu)</span></a></li>\n",
                  (unsigned long long)v->count);
    }
    kb_buf_adds(b, "</ul>\n</section>\n");
  }
  kb_buf_adds(b, "</nav>\n");
}

static bool any_filter(const kb_search_request *req) {
  for (int f = 0; f < KB_FACET_COUNT; f++)
    if (req->nfilters[f])
      return true;
  return false;
}

static const char *filter_label(const kb_search_result *r, kb_facet f,
                                const char *v) {
  for (size_t i = 0; i < r->facets[f].n; i++)
    if (strcmp(r->facets[f].values[i].value, v) == 0)
      return r->facets[f].values[i].label;
  return v;
}

static void chosen_filters(kb_buf *b, const kb_search_request *req,
                           const kb_search_result *r) {
  if (!any_filter(req))
    return;
  kb_buf_adds(b, "<div class=\"chosen\"><h2 class=\"inline\">Gewählte "
                 "Filter:</h2>\n<ul>\n");
  for (int f = 0; f < KB_FACET_COUNT; f++) {
    for (size_t i = 0; i < req->nfilters[f]; i++) {
      const char *label = filter_label(r, (kb_facet)f, req->filters[f][i]);
      kb_buf url = KB_BUF_INIT(WEB_MAX_URL * 2);
      html_search_url(&url, req, (kb_facet)f, req->filters[f][i], 0,
                      req->sort);
      kb_buf_adds(b, "<li><a class=\"chip\" href=\"");
      ESC(b, kb_buf_str(&url));
      kb_buf_release(&url);
      kb_buf_adds(b, "\"><span class=\"sr\">Filter </span>");
      ESC(b, label);
      kb_buf_adds(b, "<span class=\"sr\"> entfernen</span>"
                     "<span aria-hidden=\"true\"> ×</span></a></li>\n");
    }
  }
  kb_buf_adds(b, "</ul></div>\n");
}

/* For a search without hits: how many each chosen filter's removal would
 * give, so the page can say "ohne Filter Hörbehinderung: 12 Artikel". */
static void zero_help(kb_buf *b, kb_searcher *s, const kb_search_request *req,
                      const kb_search_result *r) {
  kb_buf_adds(b, "<div class=\"zero\">\n");
  if (r->suggestion) {
    kb_search_request alt = *req;
    alt.query = r->suggestion;
    kb_buf url = KB_BUF_INIT(WEB_MAX_URL * 2);
    html_search_url(&url, &alt, KB_FACET_COUNT, NULL, 0, req->sort);
    kb_buf_adds(b, "<p>Meinten Sie <a href=\"");
    ESC(b, kb_buf_str(&url));
    kb_buf_release(&url);
    kb_buf_adds(b, "\">");
    ESC(b, r->suggestion);
    kb_buf_adds(b, "</a>?</p>\n");
  }
  if (any_filter(req)) {
    kb_buf_adds(b, "<p>So finden Sie mehr:</p>\n<ul>\n");
    for (int f = 0; f < KB_FACET_COUNT; f++) {
      for (size_t i = 0; i < req->nfilters[f]; i++) {
        kb_search_request alt = *req;
        /* The same request without this one value. */
        size_t k = 0;
        for (size_t j = 0; j < req->nfilters[f]; j++)
          if (j != i)
            alt.filters[f][k++] = req->filters[f][j];
        alt.nfilters[f] = k;
        alt.per_page = 1;
        alt.page = 1;
        kb_search_result *ar = NULL;
        if (kb_search(s, &alt, &ar, NULL) != KB_OK)
          continue;
        kb_buf url = KB_BUF_INIT(WEB_MAX_URL * 2);
        html_search_url(&url, req, (kb_facet)f, req->filters[f][i], 0,
                        req->sort);
        kb_buf_adds(b, "<li><a href=\"");
        ESC(b, kb_buf_str(&url));
        kb_buf_release(&url);
        kb_buf_adds(b, "\">ohne Filter ");
        ESC(b, filter_label(r, (kb_facet)f, req->filters[f][i]));
        kb_buf_addf(b, ": %llu Artikel</a></li>\n",
                    (unsigned long long)ar->total);
        kb_search_result_free(ar);
      }
    }
    kb_buf_adds(b, "</ul>\n");
  }
  kb_buf_adds(b, "<p>Tipps: Prüfen Sie die Schreibweise, verwenden Sie "
                 "weniger oder allgemeinere Wörter, oder stöbern Sie "
                 "<a href=\"/\">nach Thema</a>.</p>\n</div>\n");
}

static void pagination(kb_buf *b, const kb_search_request *req,
                       const kb_search_result *r) {
  uint64_t pages = (r->total + r->per_page - 1) / r->per_page;
  if (pages > KB_PAGE_MAX)
    pages = KB_PAGE_MAX;
  if (pages <= 1)
    return;
  kb_buf_adds(b, "<nav class=\"pages\" aria-label=\"Seiten\">\n<ul>\n");
  unsigned cur = r->page;
  unsigned lo = cur > 3 ? cur - 3 : 1;
  unsigned hi = cur + 3 < pages ? cur + 3 : (unsigned)pages;
  kb_buf url = KB_BUF_INIT(WEB_MAX_URL * 2);
  if (cur > 1) {
    html_search_url(&url, req, KB_FACET_COUNT, NULL, cur - 1, req->sort);
    kb_buf_adds(b, "<li><a rel=\"prev\" href=\"");
    ESC(b, kb_buf_str(&url));
    kb_buf_adds(b, "\">« Vorherige Seite</a></li>\n");
  }
  for (unsigned p = lo; p <= hi; p++) {
    kb_buf_reset(&url);
    html_search_url(&url, req, KB_FACET_COUNT, NULL, p, req->sort);
    if (p == cur) {
      kb_buf_addf(b, "<li><a aria-current=\"page\" href=\"");
      ESC(b, kb_buf_str(&url));
      kb_buf_addf(b, "\"><span class=\"sr\">Seite </span>%u</a></li>\n", p);
    } else {
      kb_buf_adds(b, "<li><a href=\"");
      ESC(b, kb_buf_str(&url));
      kb_buf_addf(b, "\"><span class=\"sr\">Seite </span>%u</a></li>\n", p);
    }
  }
  if (cur < pages) {
    kb_buf_reset(&url);
    html_search_url(&url, req, KB_FACET_COUNT, NULL, cur + 1, req->sort);
    kb_buf_adds(b, "<li><a rel=\"next\" href=\"");
    ESC(b, kb_buf_str(&url));
    kb_buf_adds(b, "\">Nächste Seite »</a></li>\n");
  }
  kb_buf_release(&url);
  kb_buf_adds(b, "</ul>\n</nav>\n");
}

static void sort_links(kb_buf *b, const kb_search_request *req) {
  kb_buf url = KB_BUF_INIT(WEB_MAX_URL * 2);
  kb_buf_adds(b, "<p class=\"sort\">Sortieren: ");
  for (int k = 0; k < 2; k++) {
    kb_sort s = k ? KB_SORT_UPDATED : KB_SORT_RELEVANCE;
    const char *label = k ? "neueste zuerst" : "nach Relevanz";
    kb_buf_reset(&url);
    html_search_url(&url, req, KB_FACET_COUNT, NULL, 0, s);
    kb_buf_adds(b, k ? " · <a href=\"" : "<a href=\"");
    ESC(b, kb_buf_str(&url));
    kb_buf_adds(b, req->sort == s ? "\" aria-current=\"true\">" : "\">");
    kb_buf_adds(b, label);
    kb_buf_adds(b, "</a>");
  }
  kb_buf_adds(b, "</p>\n");
  kb_buf_release(&url);
}

void page_search(struct MHD_Connection *conn, worker *w,
                 const server_config *cfg, reply *rep) {
  kb_search_request req;
  const char *msg = NULL;
  if (!web_parse_search(conn, w, false, &req, &msg)) {
    page_error(w, MHD_HTTP_BAD_REQUEST, "Ungültige Suchanfrage",
               "Die Adresse enthält ungültige Angaben (Seitenzahl, "
               "Sortierung oder zu viele Filter).",
               rep);
    return;
  }
  kb_searcher *s = searcher_or_error(w, cfg, rep);
  if (s == NULL)
    return;
  kb_search_result *r = NULL;
  char *err = NULL;
  kb_status st = kb_search(s, &req, &r, &err);
  free(err);
  if (st == KB_ERR_LIMIT || st == KB_ERR_INVALID) {
    page_error(w, MHD_HTTP_BAD_REQUEST, "Ungültige Suchanfrage",
               "Die Suche ist zu lang oder enthält einen unbekannten Filter. "
               "Bitte kürzen oder ändern Sie sie.",
               rep);
    return;
  }
  if (st != KB_OK) {
    page_error(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "Fehler bei der Suche",
               "Die Suche konnte gerade nicht ausgeführt werden. Bitte "
               "versuchen Sie es erneut.",
               rep);
    return;
  }
  kb_buf *b = &w->out;
  const char *q = req.query ? req.query : "";
  kb_buf title = KB_BUF_INIT(1024);
  if (*q)
    kb_buf_addf(&title, "Suche: %s", q);
  else
    kb_buf_adds(&title, "Alle Artikel");
  html_begin(b, kb_buf_str(&title), q, false);
  kb_buf_release(&title);
  kb_buf_adds(b, "<h1>");
  if (*q) {
    kb_buf_adds(b, "Suchergebnisse für „");
    ESC(b, q);
    kb_buf_adds(b, "“");
  } else {
    kb_buf_adds(b, "Artikel stöbern");
  }
  kb_buf_adds(b, "</h1>\n<p class=\"status\" role=\"status\">");
  count_words(b, r->total);
  kb_buf_adds(b, "</p>\n");
  if (r->corrected) {
    kb_search_request orig = req;
    orig.no_correction = true;
    kb_buf url = KB_BUF_INIT(WEB_MAX_URL * 2);
    html_search_url(&url, &orig, KB_FACET_COUNT, NULL, 0, req.sort);
    kb_buf_adds(&url, strchr(kb_buf_str(&url), '?') ? "&exakt=1" : "?exakt=1");
    kb_buf_adds(b, "<p class=\"note\">Für „");
    ESC(b, q);
    kb_buf_adds(b, "“ gab es keine Treffer. Gezeigt werden Ergebnisse für „<b>");
    ESC(b, r->suggestion);
    kb_buf_adds(b, "</b>“. <a href=\"");
    ESC(b, kb_buf_str(&url));
    kb_buf_adds(b, "\">Trotzdem nach „");
    ESC(b, q);
    kb_buf_adds(b, "“ suchen</a></p>\n");
    kb_buf_release(&url);
  } else if (r->suggestion && r->total > 0) {
    kb_search_request alt = req;
    alt.query = r->suggestion;
    kb_buf url = KB_BUF_INIT(WEB_MAX_URL * 2);
    html_search_url(&url, &alt, KB_FACET_COUNT, NULL, 0, req.sort);
    kb_buf_adds(b, "<p class=\"note\">Meinten Sie <a href=\"");
    ESC(b, kb_buf_str(&url));
    kb_buf_adds(b, "\">");
    ESC(b, r->suggestion);
    kb_buf_adds(b, "</a>?</p>\n");
    kb_buf_release(&url);
  }
  if (r->relaxed)
    kb_buf_adds(b, "<p class=\"note\">Kein Artikel enthält alle Suchwörter. "
                   "Gezeigt werden Artikel, die einige davon enthalten.</p>\n");
  if (r->citation_note) {
    kb_buf_adds(b, "<p class=\"note\">Gesucht nach Rechtsgrundlage: ");
    ESC(b, r->citation_note);
    kb_buf_adds(b, "</p>\n");
  }
  chosen_filters(b, &req, r);
  kb_buf_adds(b, "<div class=\"results-layout\">\n");
  facet_nav(b, &req, r);
  kb_buf_adds(b, "<section class=\"results\" aria-labelledby=\"h-res\">\n"
                 "<h2 id=\"h-res\" class=\"sr\">Ergebnisliste</h2>\n");
  if (r->total == 0) {
    zero_help(b, s, &req, r);
  } else {
    sort_links(b, &req);
    kb_buf_addf(b, "<ol class=\"hits\" start=\"%u\">\n",
                (r->page - 1) * r->per_page + 1);
    for (size_t i = 0; i < r->nhits; i++) {
      const kb_hit *h = &r->hits[i];
      kb_buf_adds(b, "<li><article>\n<h3><a href=\"/artikel/");
      kb_url_encodes(b, h->id);
      kb_buf_adds(b, "\">");
      ESC(b, h->title);
      kb_buf_adds(b, "</a></h3>\n<p class=\"meta\"><span class=\"type\">");
      ESC(b, h->type_label);
      kb_buf_adds(b, "</span> · Stand ");
      html_date(b, h->updated);
      kb_buf_adds(b, "</p>\n<p class=\"summary\">");
      ESC(b, h->summary);
      kb_buf_adds(b, "</p>\n");
      if (h->snippet && *h->snippet) {
        /* Xapian's snippet is already HTML-escaped; only our <mark>
         * tags are markup in it. */
        kb_buf_adds(b, "<p class=\"snippet\">");
        kb_buf_adds(b, h->snippet);
        kb_buf_adds(b, "</p>\n");
      }
      kb_buf_adds(b, "</article></li>\n");
    }
    kb_buf_adds(b, "</ol>\n");
    pagination(b, &req, r);
  }
  kb_buf_adds(b, "</section>\n</div>\n");
  html_end(b);
  kb_search_result_free(r);
}

/* ---- article page ------------------------------------------------------ */

static void dl_list(kb_buf *b, const char *term, json_t *arr,
                    const kb_vocab *v, kb_facet f, bool link) {
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

static void article_links(kb_buf *b, kb_searcher *s, json_t *rec,
                          const char *id) {
  json_t *related = json_object_get(rec, "related");
  if (json_array_size(related)) {
    kb_buf_adds(b, "<section aria-labelledby=\"h-rel\">\n<h2 id=\"h-rel\">"
                   "Verwandte Artikel</h2>\n<ul>\n");
    size_t i;
    json_t *it;
    json_array_foreach(related, i, it) {
      json_t *other = NULL;
      const char *rid = json_string_value(it);
      if (rid == NULL ||
          kb_searcher_article(s, rid, &other, NULL) != KB_OK)
        continue;
      kb_buf_adds(b, "<li><a href=\"/artikel/");
      kb_url_encodes(b, rid);
      kb_buf_adds(b, "\">");
      ESC(b, json_string_value(json_object_get(other, "title")));
      kb_buf_adds(b, "</a></li>\n");
      json_decref(other);
    }
    kb_buf_adds(b, "</ul>\n</section>\n");
  }
  /* "Ähnliche Artikel": relevance feedback on this article's terms,
   * leaving out what is already listed. */
  const char *exclude[64];
  size_t nex = 0;
  size_t i;
  json_t *it;
  json_array_foreach(related, i, it) {
    if (nex < 64 && json_string_value(it))
      exclude[nex++] = json_string_value(it);
  }
  json_t *similar = NULL;
  if (kb_searcher_similar(s, id, 5, exclude, nex, &similar, NULL) != KB_OK)
    return;
  if (json_array_size(similar)) {
    kb_buf_adds(b, "<section aria-labelledby=\"h-sim\">\n<h2 id=\"h-sim\">"
                   "Ähnliche Artikel</h2>\n<ul>\n");
    json_array_foreach(similar, i, it) {
      kb_buf_adds(b, "<li><a href=\"/artikel/");
      kb_url_encodes(b, json_string_value(json_object_get(it, "id")));
      kb_buf_adds(b, "\">");
      ESC(b, json_string_value(json_object_get(it, "title")));
      kb_buf_adds(b, "</a></li>\n");
    }
    kb_buf_adds(b, "</ul>\n</section>\n");
  }
  json_decref(similar);
}

void page_article(worker *w, const server_config *cfg, const char *id,
                  reply *rep) {
  kb_searcher *s = searcher_or_error(w, cfg, rep);
  if (s == NULL)
    return;
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
  kb_buf *b = &w->out;
  html_begin(b, title, "", false);
  kb_buf_adds(b, "<nav class=\"crumbs\" aria-label=\"Brotkrümelnavigation\">"
                 "<ol><li><a href=\"/\">Startseite</a></li><li><a "
                 "href=\"/suche?type=");
  kb_url_encodes(b, type);
  kb_buf_adds(b, "\">");
  ESC(b, type_label ? type_label : type);
  kb_buf_adds(b, "</a></li><li aria-current=\"page\">");
  ESC(b, title);
  kb_buf_adds(b, "</li></ol></nav>\n<article class=\"article\">\n<h1>");
  ESC(b, title);
  kb_buf_adds(b, "</h1>\n<p class=\"lead\">");
  ESC(b, json_string_value(json_object_get(rec, "summary")));
  kb_buf_adds(b, "</p>\n<dl class=\"facts\">\n<dt>Art</dt><dd>");
  ESC(b, type_label ? type_label : type);
  kb_buf_adds(b, "</dd>\n<dt>Stand</dt><dd>");
  html_date(b, json_string_value(json_object_get(rec, "updated")));
  kb_buf_adds(b, "</dd>\n");
  dl_list(b, "Zielgruppe", json_object_get(rec, "audience"), v,
          KB_FACET_AUDIENCE, true);
  dl_list(b, "Behinderungsart", json_object_get(rec, "disabilities"), v,
          KB_FACET_DISABILITY, true);
  dl_list(b, "Rechtsgrundlagen", json_object_get(rec, "norms"), v,
          KB_FACET_COUNT, false);
  kb_buf_adds(b, "</dl>\n<div class=\"body\">\n");
  /* Rendered by cmark-gfm in safe mode at index time: raw HTML from the
   * Markdown never gets here. */
  kb_buf_adds(b, json_string_value(json_object_get(rec, "body_html")));
  kb_buf_adds(b, "</div>\n");
  json_t *sources = json_object_get(rec, "sources");
  if (json_array_size(sources)) {
    kb_buf_adds(b, "<section aria-labelledby=\"h-src\">\n<h2 id=\"h-src\">"
                   "Quellen</h2>\n<ul>\n");
    size_t i;
    json_t *it;
    json_array_foreach(sources, i, it) {
      kb_buf_adds(b, "<li>");
      ESC(b, json_string_value(it));
      kb_buf_adds(b, "</li>\n");
    }
    kb_buf_adds(b, "</ul>\n</section>\n");
  }
  kb_buf_adds(b, "</article>\n<aside class=\"more\" aria-label=\"Weitere "
                 "Artikel\">\n");
  article_links(b, s, rec, id);
  kb_buf_adds(b, "</aside>\n");
  html_end(b);
  json_decref(rec);
}
