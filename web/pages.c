/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pages.c - the German HTML pages: start, results and errors (the article
 * page is page_article.c).
 *
 * Every page is complete without JavaScript: filters, sorting and paging
 * are plain links, so every state has a shareable URL.  Landmarks,
 * headings, labels and the live result count follow WCAG 2.1 AA.  The
 * facet counts are the ones kb_search computed, exactly as /api/search
 * reports them for the same parameters.
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "kb_escape.h"
#include "web.h"

#define ESC(b, s) kb_html_escapes((b), (s))
#define URL_MAX (WEB_MAX_URL * 2)
/* Most "ohne Filter …" alternatives computed for a page without hits. */
#define ZERO_HELP_MAX 8

void page_error(worker *w, unsigned status, const char *title, const char *text,
                reply *rep) {
  kb_buf *b = &w->out;
  kb_buf_reset(b);
  rep->status = status;
  rep->content_type = "text/html; charset=utf-8";
  html_page p = {.title = title, .query = "", .noindex = true};
  html_begin_page(b, &p);
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

/* Appends ' href="<url>"' with the URL HTML-escaped; `url` is borrowed
 * and left as it is, so the caller can reset and reuse it. */
static void href(kb_buf *b, const kb_buf *url) {
  kb_buf_adds(b, "href=\"");
  ESC(b, kb_buf_str(url));
  kb_buf_addc(b, '"');
}

/* ---- start page -------------------------------------------------------- */

/* The start page's browse entry points: one link per value of facet `f`
 * with its article count. */
static void facet_tiles(kb_buf *b, const kb_facet_list *fl, kb_facet f) {
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

/* "Für wen?": one entry page per audience - the articles written for it,
 * as a filtered results page (SBV and works councils share one). */
static void audience_entries(kb_buf *b, kb_searcher *s) {
  static const struct {
    const char *label;
    const char *keys[2];
  } entries[] = {
      {"Für Arbeitgeber", {"arbeitgeber", NULL}},
      {"Für SBV und Betriebsrat", {"sbv", "betriebsrat"}},
      {"Für Beschäftigte", {"beschaeftigte", NULL}},
  };
  kb_buf_adds(b, "<section aria-labelledby=\"h-wer\"><h2 id=\"h-wer\">"
                 "Für wen?</h2>\n<ul class=\"tiles audiences\">\n");
  for (size_t i = 0; i < sizeof entries / sizeof *entries; i++) {
    kb_search_request req = {.per_page = 1};
    size_t n = 0;
    kb_buf_adds(b, "<li><a href=\"/suche?");
    for (; n < 2 && entries[i].keys[n]; n++) {
      req.filters[KB_FACET_AUDIENCE][n] = entries[i].keys[n];
      kb_buf_adds(b, n ? "&amp;audience=" : "audience=");
      kb_url_encodes(b, entries[i].keys[n]);
    }
    req.nfilters[KB_FACET_AUDIENCE] = n;
    kb_buf_adds(b, "\">");
    ESC(b, entries[i].label);
    kb_search_result *r = NULL;
    if (kb_search(s, &req, &r, NULL) == KB_OK)
      kb_buf_addf(b, " <span class=\"count\">(%llu)</span>",
                  (unsigned long long)r->total);
    kb_search_result_free(r);
    kb_buf_adds(b, "</a></li>\n");
  }
  kb_buf_adds(b, "</ul>\n</section>\n");
}

void page_home(worker *w, const server_config *cfg, reply *rep) {
  kb_searcher *s = searcher_or_error(w, cfg, rep);
  if (s == NULL)
    return;
  kb_search_request req = {.per_page = 6, .sort = KB_SORT_UPDATED};
  kb_search_result *r = NULL;
  if (kb_search(s, &req, &r, NULL) != KB_OK) {
    page_error(w, MHD_HTTP_INTERNAL_SERVER_ERROR, "Fehler",
               "Die Startseite kann gerade nicht angezeigt werden.", rep);
    return;
  }
  kb_buf *b = &w->out;
  html_page p = {.title = "teilhabe – Wissen zu Behinderung und Arbeit",
                 .home = true,
                 .feed = "/feed.xml",
                 .canonical = "/"};
  html_begin_page(b, &p);
  kb_buf_adds(b, "<h1>Wissen zu Behinderung und Arbeit</h1>\n"
                 "<p class=\"lead\">Für Arbeitgeber, Schwerbehinderten"
                 "vertretungen, Betriebsräte und Beschäftigte: "
                 "Arbeitsplatzgestaltung, Förderung, BEM und Rechte – "
                 "verständlich erklärt, mit Rechtsgrundlage und Stand.</p>\n");
  html_search_box(b, "q", "", true);
  audience_entries(b, s);
  kb_buf_adds(b, "<div class=\"columns\">\n<section aria-labelledby=\"h-typ\">"
                 "<h2 id=\"h-typ\">Nach Thema stöbern</h2>\n");
  facet_tiles(b, &r->facets[KB_FACET_TYPE], KB_FACET_TYPE);
  kb_buf_adds(b, "</section>\n<section aria-labelledby=\"h-beh\">"
                 "<h2 id=\"h-beh\">Nach Behinderungsart</h2>\n");
  facet_tiles(b, &r->facets[KB_FACET_DISABILITY], KB_FACET_DISABILITY);
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
  kb_buf_adds(b, "</ul>\n<p class=\"more-links\"><a href=\"/suche?sort="
                 "updated\">Alle ");
  html_count(b, kb_searcher_doccount(s));
  kb_buf_adds(b, ", neueste zuerst</a> · <a href=\"/feed.xml\">Neue und "
                 "geänderte Artikel als Feed (Atom)</a></p>\n</section>\n");
  html_end(b);
  kb_search_result_free(r);
}

/* ---- results page ------------------------------------------------------ */

/* The facet lists of the results page: every value a link that toggles it
 * in the current search, chosen ones marked (✓, bold, aria-current) and
 * named "Filter entfernen" for screen readers.  Counts are kb_search's. */
static void facet_nav(kb_buf *b, const kb_search_request *req,
                      const kb_search_result *r) {
  kb_buf url = KB_BUF_INIT(URL_MAX);
  kb_buf_adds(b, "<nav class=\"facets\" aria-labelledby=\"h-filter\">\n"
                 "<h2 id=\"h-filter\">Ergebnisse eingrenzen</h2>\n"
                 "<p class=\"hint\">Mehrere Werte eines Filters erweitern "
                 "die Suche (oder), verschiedene Filter grenzen sie ein "
                 "(und).</p>\n");
  for (int f = 0; f < KB_FACET_COUNT; f++) {
    const kb_facet_list *fl = &r->facets[f];
    if (fl->n == 0)
      continue;
    kb_buf_addf(b, "<section aria-labelledby=\"h-f%d\">\n<h3 id=\"h-f%d\">", f,
                f);
    ESC(b, kb_facet_label((kb_facet)f));
    kb_buf_adds(b, "</h3>\n<ul>\n");
    for (size_t i = 0; i < fl->n; i++) {
      const kb_facet_value *v = &fl->values[i];
      kb_buf_reset(&url);
      html_search_url(&url, req, (kb_facet)f, v->value, 0, req->sort);
      kb_buf_adds(b, "<li><a ");
      href(b, &url);
      if (v->selected)
        kb_buf_adds(b, " class=\"on\" aria-current=\"true\">"
                       "<span class=\"check\" aria-hidden=\"true\">✓</span>"
                       "<span class=\"sr\">Filter entfernen: </span>");
      else
        kb_buf_adds(b, ">");
      ESC(b, v->label);
      kb_buf_addf(b, " <span class=\"count\">(%llu)</span></a></li>\n",
                  (unsigned long long)v->count);
    }
    kb_buf_adds(b, "</ul>\n</section>\n");
  }
  kb_buf_adds(b, "</nav>\n");
  kb_buf_release(&url);
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

/* The chosen filters as removable chips, and a link removing all. */
static void chosen_filters(kb_buf *b, const kb_search_request *req,
                           const kb_search_result *r) {
  if (!any_filter(req))
    return;
  kb_buf url = KB_BUF_INIT(URL_MAX);
  kb_buf_adds(b, "<div class=\"chosen\"><h2 class=\"inline\">Gewählte "
                 "Filter:</h2>\n<ul>\n");
  for (int f = 0; f < KB_FACET_COUNT; f++) {
    for (size_t i = 0; i < req->nfilters[f]; i++) {
      kb_buf_reset(&url);
      html_search_url(&url, req, (kb_facet)f, req->filters[f][i], 0, req->sort);
      kb_buf_adds(b, "<li><a class=\"chip\" ");
      href(b, &url);
      kb_buf_adds(b, "><span class=\"sr\">Filter </span>");
      ESC(b, kb_facet_label((kb_facet)f));
      kb_buf_adds(b, ": ");
      ESC(b, filter_label(r, (kb_facet)f, req->filters[f][i]));
      kb_buf_adds(b, "<span class=\"sr\"> entfernen</span>"
                     "<span class=\"x\" aria-hidden=\"true\"> ×</span>"
                     "</a></li>\n");
    }
  }
  kb_search_request none = {.query = req->query,
                            .per_page = req->per_page,
                            .no_correction = req->no_correction};
  kb_buf_reset(&url);
  html_search_url(&url, &none, KB_FACET_COUNT, NULL, 0, req->sort);
  kb_buf_adds(b, "<li><a class=\"reset\" ");
  href(b, &url);
  kb_buf_adds(b, ">Alle Filter entfernen</a></li>\n</ul></div>\n");
  kb_buf_release(&url);
}

/* For a search without hits: the spelling suggestion, and how many each
 * chosen filter's removal would give ("ohne Filter Hörbehinderung: 12
 * Artikel"), each a link to that search. */
static void zero_help(kb_buf *b, kb_searcher *s, const kb_search_request *req,
                      const kb_search_result *r) {
  kb_buf url = KB_BUF_INIT(URL_MAX);
  kb_buf_adds(b, "<div class=\"zero\">\n<h3>Warum nichts gefunden "
                 "wurde</h3>\n");
  if (r->suggestion) {
    kb_search_request alt = *req;
    alt.query = r->suggestion;
    html_search_url(&url, &alt, KB_FACET_COUNT, NULL, 0, req->sort);
    kb_buf_adds(b, "<p>Meinten Sie <a ");
    href(b, &url);
    kb_buf_adds(b, ">");
    ESC(b, r->suggestion);
    kb_buf_adds(b, "</a>?</p>\n");
  }
  if (any_filter(req)) {
    kb_buf_adds(b, "<p>So viele Artikel finden Sie, wenn Sie einen der "
                   "gewählten Filter entfernen:</p>\n<ul>\n");
    /* One search per chosen value, so at most ZERO_HELP_MAX of them. */
    size_t tried = 0;
    for (int f = 0; f < KB_FACET_COUNT; f++) {
      for (size_t i = 0; i < req->nfilters[f] && tried < ZERO_HELP_MAX;
           i++, tried++) {
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
        kb_buf_reset(&url);
        html_search_url(&url, req, (kb_facet)f, req->filters[f][i], 0,
                        req->sort);
        kb_buf_adds(b, "<li><a ");
        href(b, &url);
        kb_buf_adds(b, ">ohne Filter ");
        ESC(b, filter_label(r, (kb_facet)f, req->filters[f][i]));
        kb_buf_adds(b, ": ");
        html_count(b, ar->total);
        kb_buf_adds(b, "</a></li>\n");
        kb_search_result_free(ar);
      }
    }
    if (tried > 1) {
      /* With several filters, each alone may still exclude everything. */
      kb_search_request none = {.query = req->query,
                                .per_page = 1,
                                .no_correction = req->no_correction};
      kb_search_result *ar = NULL;
      if (kb_search(s, &none, &ar, NULL) == KB_OK) {
        none.per_page = req->per_page;
        kb_buf_reset(&url);
        html_search_url(&url, &none, KB_FACET_COUNT, NULL, 0, req->sort);
        kb_buf_adds(b, "<li><a ");
        href(b, &url);
        kb_buf_adds(b, ">ohne alle Filter: ");
        html_count(b, ar->total);
        kb_buf_adds(b, "</a></li>\n");
        kb_search_result_free(ar);
      }
    }
    kb_buf_adds(b, "</ul>\n");
  } else if (r->suggestion == NULL) {
    kb_buf_adds(b, "<p>Kein Artikel enthält diese Wörter, und wir kennen "
                   "kein ähnlich geschriebenes Wort.</p>\n");
  }
  kb_buf_adds(b, "<p>Tipps: Prüfen Sie die Schreibweise, verwenden Sie "
                 "weniger oder allgemeinere Wörter, oder stöbern Sie "
                 "<a href=\"/\">nach Thema</a>.</p>\n</div>\n");
  kb_buf_release(&url);
}

/* One pagination item linking page `p`; `url` is scratch space. */
static void page_link(kb_buf *b, kb_buf *url, const kb_search_request *req,
                      unsigned p, const char *attrs, const char *text) {
  kb_buf_reset(url);
  html_search_url(url, req, KB_FACET_COUNT, NULL, p, req->sort);
  kb_buf_adds(b, "<li><a ");
  kb_buf_adds(b, attrs);
  href(b, url);
  kb_buf_adds(b, ">");
  kb_buf_adds(b, text);
  kb_buf_adds(b, "</a></li>\n");
}

/* "Seite 2 von 5", previous/next and up to three pages either side. */
static void pagination(kb_buf *b, const kb_search_request *req,
                       const kb_search_result *r) {
  uint64_t pages = (r->total + r->per_page - 1) / r->per_page;
  if (pages > KB_PAGE_MAX)
    pages = KB_PAGE_MAX;
  if (pages <= 1)
    return;
  unsigned cur = r->page;
  unsigned lo = cur > 3 ? cur - 3 : 1;
  unsigned hi = cur + 3 < pages ? cur + 3 : (unsigned)pages;
  kb_buf url = KB_BUF_INIT(URL_MAX);
  char text[64];
  kb_buf_addf(b,
              "<nav class=\"pages\" aria-label=\"Seiten\">\n"
              "<p>Seite %u von %u</p>\n<ul>\n",
              cur, (unsigned)pages);
  if (cur > 1)
    page_link(b, &url, req, cur - 1, "rel=\"prev\" ",
              "<span aria-hidden=\"true\">« </span>Vorherige Seite");
  for (unsigned p = lo; p <= hi; p++) {
    snprintf(text, sizeof text, "<span class=\"sr\">Seite </span>%u", p);
    page_link(b, &url, req, p, p == cur ? "aria-current=\"page\" " : "", text);
  }
  if (cur < pages)
    page_link(b, &url, req, cur + 1, "rel=\"next\" ",
              "Nächste Seite<span aria-hidden=\"true\"> »</span>");
  kb_buf_release(&url);
  kb_buf_adds(b, "</ul>\n</nav>\n");
}

/* Sorting links and the feed of this search. */
static void result_tools(kb_buf *b, const kb_search_request *req,
                         const char *feed) {
  kb_buf url = KB_BUF_INIT(URL_MAX);
  kb_buf_adds(b, "<div class=\"tools\"><p class=\"sort\">Sortieren: ");
  for (int k = 0; k < 2; k++) {
    kb_sort s = k ? KB_SORT_UPDATED : KB_SORT_RELEVANCE;
    kb_buf_reset(&url);
    html_search_url(&url, req, KB_FACET_COUNT, NULL, 0, s);
    kb_buf_adds(b, k ? " · <a " : "<a ");
    href(b, &url);
    kb_buf_adds(b, req->sort == s ? " aria-current=\"true\">" : ">");
    kb_buf_adds(b, k ? "neueste zuerst" : "nach Relevanz");
    kb_buf_adds(b, "</a>");
  }
  kb_buf_adds(b, "</p>\n<p class=\"feed\"><a class=\"feed-link\" href=\"");
  ESC(b, feed);
  kb_buf_adds(b, "\">Diese Suche als Feed abonnieren<span class=\"sr\"> "
                 "(Atom)</span></a></p></div>\n");
  kb_buf_release(&url);
}

/* The hits: title link, type label, Stand, summary and the snippet with
 * the matched words in <mark>. */
static void hit_list(kb_buf *b, const kb_search_result *r) {
  kb_buf_addf(b, "<ol class=\"hits\" start=\"%u\">\n",
              (r->page - 1) * r->per_page + 1);
  for (size_t i = 0; i < r->nhits; i++) {
    const kb_hit *h = &r->hits[i];
    /* referrerpolicy: the article page learns which search led to it
     * (for its breadcrumbs); the site-wide policy stays no-referrer. */
    kb_buf_adds(b, "<li><article>\n<h3><a href=\"/artikel/");
    kb_url_encodes(b, h->id);
    kb_buf_adds(b, "\" referrerpolicy=\"same-origin\">");
    ESC(b, h->title);
    kb_buf_adds(b, "</a></h3>\n<p class=\"meta\"><span class=\"type\">");
    ESC(b, h->type_label);
    kb_buf_adds(b, "</span> · Stand <time datetime=\"");
    ESC(b, h->updated);
    kb_buf_adds(b, "\">");
    html_date(b, h->updated);
    kb_buf_adds(b, "</time></p>\n<p class=\"summary\">");
    ESC(b, h->summary);
    kb_buf_adds(b, "</p>\n");
    if (h->snippet && *h->snippet) {
      /* Xapian's snippet is already HTML-escaped; only our <mark>
       * tags are markup in it. */
      kb_buf_adds(b, "<p class=\"snippet\"><span class=\"sr\">Auszug: "
                     "</span>");
      kb_buf_adds(b, h->snippet);
      kb_buf_adds(b, "</p>\n");
    }
    kb_buf_adds(b, "</article></li>\n");
  }
  kb_buf_adds(b, "</ol>\n");
}

/* Notes above the results: corrected query, spelling hint, relaxed
 * matching, recognised citations. */
static void result_notes(kb_buf *b, const kb_search_request *req,
                         const kb_search_result *r, const char *q) {
  kb_buf url = KB_BUF_INIT(URL_MAX);
  if (r->corrected) {
    kb_search_request orig = req[0];
    orig.no_correction = true;
    html_search_url(&url, &orig, KB_FACET_COUNT, NULL, 0, req->sort);
    kb_buf_adds(b, "<p class=\"note\">Für „");
    ESC(b, q);
    kb_buf_adds(b, "“ gab es keine Treffer. Gezeigt werden Ergebnisse für "
                   "„<b>");
    ESC(b, r->suggestion);
    kb_buf_adds(b, "</b>“. <a ");
    href(b, &url);
    kb_buf_adds(b, ">Trotzdem nach „");
    ESC(b, q);
    kb_buf_adds(b, "“ suchen</a></p>\n");
  } else if (r->suggestion && r->total > 0) {
    kb_search_request alt = req[0];
    alt.query = r->suggestion;
    html_search_url(&url, &alt, KB_FACET_COUNT, NULL, 0, req->sort);
    kb_buf_adds(b, "<p class=\"note\">Meinten Sie <a ");
    href(b, &url);
    kb_buf_adds(b, ">");
    ESC(b, r->suggestion);
    kb_buf_adds(b, "</a>?</p>\n");
  }
  if (r->relaxed)
    kb_buf_adds(b, "<p class=\"note\">Kein Artikel enthält alle Suchwörter. "
                   "Gezeigt werden Artikel, die einige davon enthalten.</p>\n");
  if (r->citation_note) {
    kb_buf_adds(b, "<p class=\"note\">Gesucht nach Rechtsgrundlage: ");
    ESC(b, r->citation_note);
    kb_buf_adds(b, "</p>\n");
  }
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
  kb_buf feed = KB_BUF_INIT(URL_MAX);
  if (*q)
    kb_buf_addf(&title, "Suche: %s", q);
  else
    kb_buf_adds(&title, "Alle Artikel");
  /* The feed follows the query and filters, not the page or sorting. */
  kb_search_request freq = req;
  freq.per_page = 0;
  freq.no_correction = false;
  html_url(&feed, "/feed.xml", &freq, KB_FACET_COUNT, NULL, 0,
           KB_SORT_RELEVANCE);
  html_page p = {.title = kb_buf_str(&title),
                 .query = q,
                 .noindex = true,
                 .feed = kb_buf_str(&feed)};
  html_begin_page(b, &p);
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
  if (r->total == 0)
    kb_buf_adds(b, "Kein Artikel gefunden");
  else {
    html_count(b, r->total);
    kb_buf_adds(b, " gefunden");
  }
  kb_buf_adds(b, "</p>\n");
  result_notes(b, &req, r, q);
  chosen_filters(b, &req, r);
  /* On narrow screens the filters follow the results: a way to them. */
  kb_buf_adds(b, "<p class=\"jump\"><a href=\"#h-filter\">Zu den Filtern"
                 "</a></p>\n");
  kb_buf_adds(b, "<div class=\"results-layout\">\n");
  facet_nav(b, &req, r);
  kb_buf_adds(b, "<section class=\"results\" aria-labelledby=\"h-res\">\n"
                 "<h2 id=\"h-res\" class=\"sr\">Ergebnisliste</h2>\n");
  if (r->total == 0) {
    web_log_zero_result(w, cfg, req.query);
    zero_help(b, s, &req, r);
  } else {
    result_tools(b, &req, kb_buf_str(&feed));
    hit_list(b, r);
    pagination(b, &req, r);
  }
  kb_buf_release(&feed);
  kb_buf_adds(b, "</section>\n</div>\n");
  html_end(b);
  kb_search_result_free(r);
}
