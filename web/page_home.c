/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_home.c - the start page /: the big search box, entry points by
 * audience, type and disability (each a filtered results page, with its
 * article count) and the articles updated last.
 *
 * Complete without JavaScript; landmarks and headings follow WCAG 2.1 AA.
 */
#include "html.h"
#include "pages.h"

#define RECENT_MAX 6

/* The start page's browse entry points: one link per value of facet `f`
 * with its article count. */
static void facet_tiles(kb_buf *b, const kb_facet_list *fl, kb_facet f) {
  kb_buf_adds(b, "<ul class=\"tiles\">\n");
  for (size_t i = 0; i < fl->n; i++)
    html_f(b,
           "<li><a href=\"/suche?%s=%U\">%s <span class=\"count\">(%llu)"
           "</span></a></li>\n",
           kb_facet_name(f), fl->values[i].value, fl->values[i].label,
           (unsigned long long)fl->values[i].count);
  kb_buf_adds(b, "</ul>\n");
}

/* "Für wen?": one entry page per audience - the articles written for it,
 * as a filtered results page (SBV and works councils share one). */
static const struct audience_entry {
  const char *label;
  const char *keys[2];
} audience_entries[] = {
    {"Für Arbeitgeber", {"arbeitgeber", NULL}},
    {"Für SBV und Betriebsrat", {"sbv", "betriebsrat"}},
    {"Für Beschäftigte", {"beschaeftigte", NULL}},
};

/* One audience tile, with the number of its articles when it can be
 * counted. */
static void audience_tile(kb_buf *b, kb_searcher *s,
                          const struct audience_entry *e) {
  kb_search_request req = {.per_page = 1};
  size_t n = 0;
  kb_buf_adds(b, "<li><a href=\"/suche?");
  for (; n < 2 && e->keys[n]; n++) {
    req.filters[KB_FACET_AUDIENCE][n] = e->keys[n];
    html_f(b, n ? "&amp;audience=%U" : "audience=%U", e->keys[n]);
  }
  req.nfilters[KB_FACET_AUDIENCE] = n;
  html_f(b, "\">%s", e->label);
  kb_search_result *r = NULL;
  if (kb_search(s, &req, &r, NULL) == KB_OK)
    html_f(b, " <span class=\"count\">(%llu)</span>",
           (unsigned long long)r->total);
  kb_search_result_free(r);
  kb_buf_adds(b, "</a></li>\n");
}

static void audiences(kb_buf *b, kb_searcher *s) {
  kb_buf_adds(b, "<section aria-labelledby=\"h-wer\"><h2 id=\"h-wer\">"
                 "Für wen?</h2>\n<ul class=\"tiles audiences\">\n");
  for (size_t i = 0; i < sizeof audience_entries / sizeof *audience_entries;
       i++)
    audience_tile(b, s, &audience_entries[i]);
  kb_buf_adds(b, "</ul>\n</section>\n");
}

/* "Nach Thema stöbern" and "Nach Behinderungsart", side by side. */
static void browse(kb_buf *b, const kb_search_result *r) {
  kb_buf_adds(b, "<div class=\"columns\">\n<section aria-labelledby=\"h-typ\">"
                 "<h2 id=\"h-typ\">Nach Thema stöbern</h2>\n");
  facet_tiles(b, &r->facets[KB_FACET_TYPE], KB_FACET_TYPE);
  kb_buf_adds(b, "</section>\n<section aria-labelledby=\"h-beh\">"
                 "<h2 id=\"h-beh\">Nach Behinderungsart</h2>\n");
  facet_tiles(b, &r->facets[KB_FACET_DISABILITY], KB_FACET_DISABILITY);
  kb_buf_adds(b, "</section>\n</div>\n");
}

/* "Zuletzt aktualisiert": the newest hits, and links to all and to the
 * feed. */
static void recent(kb_buf *b, const kb_search_result *r, uint64_t total) {
  kb_buf_adds(b, "<section aria-labelledby=\"h-neu\">"
                 "<h2 id=\"h-neu\">Zuletzt aktualisiert</h2>\n<ul "
                 "class=\"recent\">\n");
  for (size_t i = 0; i < r->nhits; i++) {
    const kb_hit *h = &r->hits[i];
    html_f(b,
           "<li><a href=\"/artikel/%U\">%s</a> <span class=\"meta\">%s, "
           "Stand ",
           h->id, h->title, h->type_label);
    html_date(b, h->updated);
    kb_buf_adds(b, "</span></li>\n");
  }
  kb_buf_adds(b, "</ul>\n<p class=\"more-links\"><a href=\"/suche?sort="
                 "updated\">Alle ");
  html_count(b, total);
  kb_buf_adds(b, ", neueste zuerst</a> · <a href=\"/feed.xml\">Neue und "
                 "geänderte Artikel als Feed (Atom)</a></p>\n</section>\n");
}

void page_home(struct MHD_Connection *conn, worker *w, const server_config *cfg,
               const char *rest, reply *rep) {
  (void)conn, (void)rest;
  kb_searcher *s = page_searcher(w, cfg, rep);
  if (s == NULL)
    return;
  kb_search_request req = {.per_page = RECENT_MAX, .sort = KB_SORT_UPDATED};
  kb_search_result *r = NULL;
  if (kb_search(s, &req, &r, NULL) != KB_OK) {
    page_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "Fehler",
               "Die Startseite kann gerade nicht angezeigt werden.");
    return;
  }
  kb_buf *b = rep->body;
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
  audiences(b, s);
  browse(b, r);
  recent(b, r, kb_searcher_doccount(s));
  html_end(b);
  kb_search_result_free(r);
}
