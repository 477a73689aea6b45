/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_home.c - the start page /: the big search box, entry points by
 * audience, by kind of record (articles, case law, glossary, contact
 * points: each with its count and its own page where the schema gives
 * one), by type and by disability (each a filtered results page), and
 * the calculators, and the records updated last, with links to the pages
 * in Leichte Sprache and about sign language (BITV 2.0 § 4) at the top.
 * A section whose facet the corpus's schema lacks is left out.
 *
 * Complete without JavaScript; landmarks and headings follow WCAG 2.1 AA.
 */
#include <string.h>

#include "html.h"
#include "pages.h"

#define RECENT_MAX 6

/* The start page's browse entry points: one link per value of facet `f`
 * with its article count. */
static void facet_tiles(kb_buf *b, const kb_search_result *r,
                        const kb_schema *sc, size_t f) {
  const kb_facet_list *fl = &r->facets[f];
  kb_buf_adds(b, "<ul class=\"tiles\">\n");
  for (size_t i = 0; i < fl->n; i++)
    html_f(b,
           "<li><a href=\"/suche?%s=%U\">%s <span class=\"count\">(%llu)"
           "</span></a></li>\n",
           sc->facets[f].name, fl->values[i].value, fl->values[i].label,
           (unsigned long long)fl->values[i].count);
  kb_buf_adds(b, "</ul>\n");
}

/* "Was suchen Sie?": one tile per kind - its list page (the A-Z index or
 * the finder) where the schema declares one, else its results - with the
 * number of its records. */
static void kind_tiles(kb_buf *b, const kb_search_result *r,
                       const kb_schema *sc) {
  size_t f = kb_schema_facet(sc, "kind");
  if (f == KB_SCHEMA_NONE || sc->nkinds < 2)
    return;
  kb_buf_adds(b, "<section aria-labelledby=\"h-art\"><h2 id=\"h-art\">"
                 "Was suchen Sie?</h2>\n<ul class=\"tiles kinds\">\n");
  for (size_t k = 0; k < sc->nkinds; k++) {
    const kb_skind *kd = &sc->kinds[k];
    uint64_t n = 0;
    for (size_t i = 0; i < r->facets[f].n; i++)
      if (strcmp(r->facets[f].values[i].value, kd->name) == 0)
        n = r->facets[f].values[i].count;
    if (kd->finder_path)
      html_f(b, "<li><a href=\"/%s\">%s", kd->finder_path, kd->finder_title);
    else if (kd->index_path)
      html_f(b, "<li><a href=\"/%s\">%s A–Z", kd->index_path, kd->plural);
    else
      html_f(b, "<li><a href=\"/suche?%s=%U\">%s", sc->facets[f].name, kd->name,
             kd->plural);
    html_f(b, " <span class=\"count\">(%llu)</span></a>",
           (unsigned long long)n);
    if (kd->intro)
      html_f(b, "<p>%s</p>", kd->intro);
    kb_buf_adds(b, "</li>\n");
  }
  kb_buf_adds(b, "</ul>\n</section>\n");
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
static void audience_tile(kb_buf *b, kb_searcher *s, size_t f,
                          const struct audience_entry *e) {
  kb_search_request req = {.schema = kb_searcher_vocab(s)->schema,
                           .per_page = 1};
  size_t n = 0;
  kb_buf_adds(b, "<li><a href=\"/suche?");
  for (; n < 2 && e->keys[n]; n++) {
    req.filters[f][n] = e->keys[n];
    html_f(b, n ? "&amp;audience=%U" : "audience=%U", e->keys[n]);
  }
  req.nfilters[f] = n;
  html_f(b, "\">%s", e->label);
  kb_search_result *r = NULL;
  if (kb_search(s, &req, &r, NULL) == KB_OK)
    html_f(b, " <span class=\"count\">(%llu)</span>",
           (unsigned long long)r->total);
  kb_search_result_free(r);
  kb_buf_adds(b, "</a></li>\n");
}

static void audiences(kb_buf *b, kb_searcher *s) {
  size_t f = kb_schema_facet(kb_searcher_vocab(s)->schema, "audience");
  if (f == KB_SCHEMA_NONE)
    return;
  kb_buf_adds(b, "<section aria-labelledby=\"h-wer\"><h2 id=\"h-wer\">"
                 "Für wen?</h2>\n<ul class=\"tiles audiences\">\n");
  for (size_t i = 0; i < sizeof audience_entries / sizeof *audience_entries;
       i++)
    audience_tile(b, s, f, &audience_entries[i]);
  kb_buf_adds(b, "</ul>\n</section>\n");
}

/* "Rechner": the calculators (page_calc.c), when the index has the
 * rules they compute with. */
static void calculators(kb_buf *b, kb_searcher *s) {
  const kb_rules *rs = kb_searcher_vocab(s)->rules;
  if (rs == NULL || rs->n == 0)
    return;
  kb_buf_adds(b, "<section aria-labelledby=\"h-rechner\"><h2 id=\"h-rechner\">"
                 "<a href=\"/rechner\">Rechner</a></h2>\n<ul class=\"tiles\">\n"
                 "<li><a href=\"/rechner/ausgleichsabgabe\">Ausgleichsabgabe "
                 "und Pflichtplätze berechnen</a></li>\n<li><a "
                 "href=\"/rechner/kinderkrankentage\">Kinderkrankentage "
                 "berechnen</a></li>\n</ul>\n</section>\n");
}

/* "Nach Thema stöbern" and "Nach Behinderungsart", side by side. */
static void browse(kb_buf *b, const kb_search_result *r, const kb_schema *sc) {
  size_t ft = kb_schema_facet(sc, "type"),
         fd = kb_schema_facet(sc, "disability");
  kb_buf_adds(b, "<div class=\"columns\">\n");
  if (ft != KB_SCHEMA_NONE) {
    kb_buf_adds(b, "<section aria-labelledby=\"h-typ\">"
                   "<h2 id=\"h-typ\">Nach Thema stöbern</h2>\n");
    facet_tiles(b, r, sc, ft);
    kb_buf_adds(b, "</section>\n");
  }
  if (fd != KB_SCHEMA_NONE) {
    kb_buf_adds(b, "<section aria-labelledby=\"h-beh\">"
                   "<h2 id=\"h-beh\">Nach Behinderungsart</h2>\n");
    facet_tiles(b, r, sc, fd);
    kb_buf_adds(b, "</section>\n");
  }
  kb_buf_adds(b, "</div>\n");
}

/* "Zuletzt aktualisiert": the newest hits, and links to all and to the
 * feed. */
static void recent(kb_buf *b, const kb_search_result *r, uint64_t total) {
  kb_buf_adds(b, "<section aria-labelledby=\"h-neu\">"
                 "<h2 id=\"h-neu\">Zuletzt aktualisiert</h2>\n<ul "
                 "class=\"recent\">\n");
  for (size_t i = 0; i < r->nhits; i++) {
    const kb_hit *h = &r->hits[i];
    html_f(b, "<li><a href=\"%s\">%s</a> <span class=\"meta\">%s, Stand ",
           h->url, h->title, h->label);
    html_date(b, h->updated);
    kb_buf_adds(b, "</span></li>\n");
  }
  kb_buf_adds(b, "</ul>\n<p class=\"more-links\"><a href=\"/suche?sort="
                 "updated\">Alle ");
  html_count(b, total);
  kb_buf_adds(b, ", neueste zuerst</a> · <a href=\"/feed.xml\">Neue und "
                 "geänderte Einträge als Feed (Atom)</a></p>\n</section>\n");
}

void page_home(struct MHD_Connection *conn, worker *w, const server_config *cfg,
               const char *rest, reply *rep) {
  (void)conn, (void)rest;
  kb_searcher *s = page_searcher(w, cfg, rep);
  if (s == NULL)
    return;
  const kb_schema *sc = kb_searcher_vocab(s)->schema;
  kb_search_request req = {
      .schema = sc, .per_page = RECENT_MAX, .sort = KB_SORT_UPDATED};
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
                 "verständlich erklärt, mit Rechtsgrundlage und Stand.</p>\n"
                 "<nav class=\"easy-links\" aria-label=\"Leichte Sprache und "
                 "Gebärdensprache\"><ul>"
                 "<li><a href=\"/leichte-sprache\">Leichte Sprache</a></li>"
                 "<li><a href=\"/gebaerdensprache\">Gebärdensprache (DGS)"
                 "</a></li></ul></nav>\n");
  html_search_box(b, "q", "", true);
  kb_buf_adds(b, "<p class=\"lotse-cta\"><a href=\"/lotse\">Lotse: in drei "
                 "Fragen zu dem, was in Ihrer Lage hilft</a> · <a "
                 "href=\"/vorlagen\">Vorlagen und Checklisten zum "
                 "Ausfüllen</a></p>\n");
  audiences(b, s);
  calculators(b, s);
  kind_tiles(b, r, sc);
  browse(b, r, sc);
  recent(b, r, kb_searcher_doccount(s));
  html_end(b);
  rep->cache = REPLY_CACHE_PAGE;
  kb_search_result_free(r);
}
