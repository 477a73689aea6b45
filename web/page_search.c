/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_search.c - the results page /suche: heading and live count, notes
 * (corrected query, spelling, relaxed matching, citations), the chosen
 * filters, sorting, the hits, paging and the feed, then the facet lists -
 * or, without hits, why nothing was found and what would find something,
 * and past the last page, a link to it (a 404).
 *
 * Complete without JavaScript: filters, sorting and paging are plain
 * links, so every state has a shareable URL.  Landmarks, headings, labels
 * and the live result count follow WCAG 2.1 AA; the count is in the
 * <title> too, skip links lead to the hits and the filters, and the hits
 * come before the filters in reading order, so the first result is a few
 * key presses from the search box.  The facet counts are the ones
 * kb_search computed, exactly as /api/search reports them for the same
 * parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "kb_escape.h"
#include "pages.h"
#include "request.h"
#include "zerolog.h"

#define URL_MAX (WEB_MAX_URL * 2)
/* Most "ohne Filter …" alternatives computed for a page without hits. */
#define ZERO_HELP_MAX 8
/* A decorative separator, not read aloud. */
#define SEP "<span aria-hidden=\"true\"> · </span>"

/* Appends ' href="<url>"' with the URL HTML-escaped; `url` is borrowed
 * and left as it is, so the caller can reset and reuse it. */
static void href(kb_buf *b, const kb_buf *url) {
  html_f(b, "href=\"%s\"", kb_buf_str(url));
}

/* The facet lists of the results page: every value a link that toggles it
 * in the current search, chosen ones marked (✓, bold, aria-current) and
 * named "Filter entfernen" for screen readers.  Counts are kb_search's. */
static void chosen_filters(kb_buf *b, const kb_search_request *req,
                           const kb_search_result *r, int level);

static void facet_nav(kb_buf *b, const kb_search_request *req,
                      const kb_search_result *r) {
  kb_buf url = KB_BUF_INIT(URL_MAX);
  kb_buf_adds(b, "<nav id=\"filter\" class=\"facets\" tabindex=\"-1\" "
                 "aria-labelledby=\"h-filter\">\n"
                 "<h2 id=\"h-filter\">Ergebnisse eingrenzen</h2>\n"
                 "<p class=\"hint\">Mehrere Werte eines Filters erweitern "
                 "die Suche (oder), verschiedene Filter grenzen sie ein "
                 "(und).</p>\n");
  chosen_filters(b, req, r, 3);
  for (size_t f = 0; f < r->nfacets; f++) {
    const kb_facet_list *fl = &r->facets[f];
    if (fl->n == 0)
      continue;
    html_f(b, "<section aria-labelledby=\"h-f%zu\">\n<h3 id=\"h-f%zu\">%s", f,
           f, req->schema->facets[f].label);
    kb_buf_adds(b, "</h3>\n<ul>\n");
    for (size_t i = 0; i < fl->n; i++) {
      const kb_facet_value *v = &fl->values[i];
      kb_buf_reset(&url);
      html_search_url(&url, req, f, v->value, 0, req->sort);
      kb_buf_adds(b, "<li><a ");
      href(b, &url);
      if (v->selected)
        kb_buf_adds(b, " class=\"on\" aria-current=\"true\">"
                       "<span class=\"check\" aria-hidden=\"true\">✓</span>"
                       "<span class=\"sr\">Filter entfernen: </span>");
      else
        kb_buf_adds(b, ">");
      html_text(b, v->label);
      kb_buf_addf(b, " <span class=\"count\">(%llu)</span></a></li>\n",
                  (unsigned long long)v->count);
    }
    kb_buf_adds(b, "</ul>\n</section>\n");
  }
  kb_buf_adds(b, "</nav>\n");
  kb_buf_release(&url);
}

/* Has any facet a value to show?  Not without hits, unless a chosen
 * filter keeps its alternatives. */
static bool any_facet(const kb_search_result *r) {
  for (size_t f = 0; f < r->nfacets; f++)
    if (r->facets[f].n > 0)
      return true;
  return false;
}

static bool any_filter(const kb_search_request *req) {
  for (size_t f = 0; f < KB_SCHEMA_MAX_FACETS; f++)
    if (req->nfilters[f])
      return true;
  return false;
}

static const char *filter_label(const kb_search_result *r, size_t f,
                                const char *v) {
  for (size_t i = 0; i < r->facets[f].n; i++)
    if (strcmp(r->facets[f].values[i].value, v) == 0)
      return r->facets[f].values[i].label;
  return v;
}

/* The chosen filters as removable chips, and a link removing all, under
 * a heading of `level` (3 in the filter panel, 2 without one). */
static void chosen_filters(kb_buf *b, const kb_search_request *req,
                           const kb_search_result *r, int level) {
  if (!any_filter(req))
    return;
  kb_buf url = KB_BUF_INIT(URL_MAX);
  kb_buf_addf(b,
              "<div class=\"chosen\"><h%d class=\"inline\">Gewählte "
              "Filter:</h%d>\n<ul>\n",
              level, level);
  for (size_t f = 0; f < r->nfacets; f++) {
    for (size_t i = 0; i < req->nfilters[f]; i++) {
      kb_buf_reset(&url);
      html_search_url(&url, req, f, req->filters[f][i], 0, req->sort);
      kb_buf_adds(b, "<li><a class=\"chip\" ");
      href(b, &url);
      kb_buf_adds(b, "><span class=\"sr\">Filter </span>");
      html_text(b, req->schema->facets[f].label);
      kb_buf_adds(b, ": ");
      html_text(b, filter_label(r, f, req->filters[f][i]));
      kb_buf_adds(b, "<span class=\"sr\"> entfernen</span>"
                     "<span class=\"x\" aria-hidden=\"true\"> ×</span>"
                     "</a></li>\n");
    }
  }
  kb_search_request none = {.schema = req->schema,
                            .query = req->query,
                            .per_page = req->per_page,
                            .no_correction = req->no_correction};
  kb_buf_reset(&url);
  html_search_url(&url, &none, KB_SCHEMA_NONE, NULL, 0, req->sort);
  kb_buf_adds(b, "<li><a class=\"reset\" ");
  href(b, &url);
  kb_buf_adds(b, ">Alle Filter entfernen</a></li>\n</ul></div>\n");
  kb_buf_release(&url);
}

/* Above the hits, the chosen filters as plain text: the links to remove
 * them are in the filter panel after the hits, so they cost no key
 * presses on the way to the first result. */
static void chosen_summary(kb_buf *b, const kb_search_request *req,
                           const kb_search_result *r) {
  if (!any_filter(req))
    return;
  kb_buf_adds(b, "<p class=\"chosen-summary\">Gefiltert nach ");
  const char *sep = "";
  for (size_t f = 0; f < r->nfacets; f++) {
    for (size_t i = 0; i < req->nfilters[f]; i++) {
      html_f(b, "%R<strong>%s: %s</strong>", sep, req->schema->facets[f].label,
             filter_label(r, f, req->filters[f][i]));
      sep = "<span aria-hidden=\"true\">;</span> ";
    }
  }
  kb_buf_adds(b, ". Ändern oder entfernen können Sie die Filter unter "
                 "„Ergebnisse eingrenzen“.</p>\n");
}

/* A list item linking `url` with `text` (escaped) and an article count. */
static void count_link(kb_buf *b, const kb_buf *url, const char *prefix,
                       const char *text, uint64_t total) {
  kb_buf_adds(b, "<li><a ");
  href(b, url);
  html_f(b, ">%s%s: ", prefix, text);
  html_count(b, total);
  kb_buf_adds(b, "</a></li>\n");
}

/* "ohne Filter Hörbehinderung: 12 Artikel" for one chosen value `i` of
 * facet `f`: the same search without it, when it can be counted. */
static void without_one(kb_buf *b, kb_buf *url, kb_searcher *s,
                        const kb_search_request *req, const kb_search_result *r,
                        size_t f, size_t i) {
  kb_search_request alt = *req;
  size_t k = 0;
  for (size_t j = 0; j < req->nfilters[f]; j++)
    if (j != i)
      alt.filters[f][k++] = req->filters[f][j];
  alt.nfilters[f] = k;
  alt.per_page = 1;
  alt.page = 1;
  kb_search_result *ar = NULL;
  if (kb_search(s, &alt, &ar, NULL) != KB_OK)
    return;
  kb_buf_reset(url);
  html_search_url(url, req, f, req->filters[f][i], 0, req->sort);
  count_link(b, url, "ohne Filter ", filter_label(r, f, req->filters[f][i]),
             ar->total);
  kb_search_result_free(ar);
}

/* "ohne alle Filter: 40 Artikel". */
static void without_all(kb_buf *b, kb_buf *url, kb_searcher *s,
                        const kb_search_request *req) {
  kb_search_request none = {.schema = req->schema,
                            .query = req->query,
                            .per_page = 1,
                            .no_correction = req->no_correction};
  kb_search_result *ar = NULL;
  if (kb_search(s, &none, &ar, NULL) != KB_OK)
    return;
  none.per_page = req->per_page;
  kb_buf_reset(url);
  html_search_url(url, &none, KB_SCHEMA_NONE, NULL, 0, req->sort);
  count_link(b, url, "", "ohne alle Filter", ar->total);
  kb_search_result_free(ar);
}

/* How many each chosen filter's removal would give, each a link to that
 * search; one search per chosen value, so at most ZERO_HELP_MAX. */
static void without_filters(kb_buf *b, kb_searcher *s,
                            const kb_search_request *req,
                            const kb_search_result *r) {
  kb_buf url = KB_BUF_INIT(URL_MAX);
  kb_buf_adds(b, "<p>So viele Einträge finden Sie, wenn Sie einen der "
                 "gewählten Filter entfernen:</p>\n<ul>\n");
  size_t tried = 0;
  for (size_t f = 0; f < r->nfacets; f++)
    for (size_t i = 0; i < req->nfilters[f] && tried < ZERO_HELP_MAX;
         i++, tried++)
      without_one(b, &url, s, req, r, f, i);
  /* With several filters, each alone may still exclude everything. */
  if (tried > 1)
    without_all(b, &url, s, req);
  kb_buf_adds(b, "</ul>\n");
  kb_buf_release(&url);
}

/* For a search without hits: the spelling suggestion, and what removing
 * the chosen filters would find. */
static void zero_help(kb_buf *b, kb_searcher *s, const kb_search_request *req,
                      const kb_search_result *r) {
  kb_buf_adds(b, "<div class=\"zero\">\n<h3>Warum nichts gefunden "
                 "wurde</h3>\n");
  if (r->short_wildcard)
    kb_buf_adds(b, "<p>" KB_SHORT_WILDCARD_HINT "</p>\n");
  if (r->suggestion) {
    kb_buf url = KB_BUF_INIT(URL_MAX);
    kb_search_request alt = *req;
    alt.query = r->suggestion;
    html_search_url(&url, &alt, KB_SCHEMA_NONE, NULL, 0, req->sort);
    kb_buf_adds(b, "<p>Meinten Sie <a ");
    href(b, &url);
    html_f(b, ">%s</a>?</p>\n", r->suggestion);
    kb_buf_release(&url);
  }
  if (any_filter(req))
    without_filters(b, s, req, r);
  else if (r->suggestion == NULL && !r->short_wildcard_only)
    kb_buf_adds(b, "<p>Kein Eintrag enthält diese Wörter, und wir kennen "
                   "kein ähnlich geschriebenes Wort.</p>\n");
  kb_buf_adds(b, "<p>Tipps: Prüfen Sie die Schreibweise, verwenden Sie "
                 "weniger oder allgemeinere Wörter, oder stöbern Sie "
                 "<a href=\"/\">nach Thema</a>.</p>\n</div>\n");
}

/* One pagination item linking page `p`; `url` is scratch space. */
static void page_link(kb_buf *b, kb_buf *url, const kb_search_request *req,
                      unsigned p, const char *attrs, const char *text) {
  kb_buf_reset(url);
  html_search_url(url, req, KB_SCHEMA_NONE, NULL, p, req->sort);
  kb_buf_adds(b, "<li><a ");
  kb_buf_adds(b, attrs);
  href(b, url);
  kb_buf_adds(b, ">");
  kb_buf_adds(b, text);
  kb_buf_adds(b, "</a></li>\n");
}

/* How many pages the hits fill (at most KB_PAGE_MAX). */
static unsigned page_count(const kb_search_result *r) {
  uint64_t pages = (r->total + r->per_page - 1) / r->per_page;
  return pages > KB_PAGE_MAX ? KB_PAGE_MAX : (unsigned)pages;
}

/* "Seite 2 von 5", previous/next and up to three pages either side. */
static void pagination(kb_buf *b, const kb_search_request *req,
                       const kb_search_result *r) {
  unsigned pages = page_count(r);
  if (pages <= 1)
    return;
  unsigned cur = r->page;
  unsigned lo = cur > 3 ? cur - 3 : 1;
  unsigned hi = cur + 3 < pages ? cur + 3 : pages;
  kb_buf url = KB_BUF_INIT(URL_MAX);
  char text[64];
  kb_buf_addf(b,
              "<nav class=\"pages\" aria-label=\"Seiten\">\n"
              "<p>Seite %u von %u</p>\n<ul>\n",
              cur, pages);
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

/* Does sort k of the schema fit this search: the kind filter chooses
 * only kinds that have its date field (decisions by their date)? */
static bool sort_fits(const kb_search_request *req, size_t k) {
  const kb_schema *sc = req->schema;
  size_t fk = kb_schema_facet(sc, "kind");
  size_t field = sc->sorts[k].field;
  if (field == KB_SF_UPDATED || fk == KB_SCHEMA_NONE || req->nfilters[fk] == 0)
    return false;
  for (size_t i = 0; i < req->nfilters[fk]; i++) {
    const kb_skind *kd = kb_schema_kind(sc, req->filters[fk][i]);
    if (kd == NULL || kb_skind_field(kd, field) == NULL)
      return false;
  }
  return true;
}

/* One sorting choice: a link, or for the current one a placeholder link
 * (no href: marked, but no key press on the way to the results). */
static void sort_link(kb_buf *b, kb_buf *url, const kb_search_request *req,
                      kb_sort s, const char *text, bool first) {
  kb_buf_adds(b, first ? "" : SEP);
  if (req->sort == s) {
    kb_buf_adds(b, "<a aria-current=\"true\">");
  } else {
    kb_buf_reset(url);
    html_search_url(url, req, KB_SCHEMA_NONE, NULL, 0, s);
    kb_buf_adds(b, "<a ");
    href(b, url);
    kb_buf_adds(b, ">");
  }
  html_text(b, text);
  kb_buf_adds(b, "</a>");
}

/* The sorting links, above the hits: two key presses at most between
 * the search box and the first result. */
static void result_tools(kb_buf *b, const kb_search_request *req) {
  kb_buf url = KB_BUF_INIT(URL_MAX);
  kb_buf_adds(b, "<div class=\"tools\"><p class=\"sort\">Sortieren: ");
  sort_link(b, &url, req, KB_SORT_RELEVANCE, "nach Relevanz", true);
  sort_link(b, &url, req, KB_SORT_UPDATED, "neueste zuerst", false);
  for (size_t k = 0; k < req->schema->nsorts; k++)
    if (sort_fits(req, k))
      sort_link(b, &url, req, (kb_sort)(KB_SORT_DECLARED + k),
                req->schema->sorts[k].label, false);
  kb_buf_adds(b, "</p></div>\n");
  kb_buf_release(&url);
}

/* The feed of this search, below the hits. */
static void feed_link(kb_buf *b, const char *feed) {
  html_f(b,
         "<p class=\"feed\"><a class=\"feed-link\" href=\"%s\">Diese Suche "
         "als Feed abonnieren<span class=\"sr\"> (Atom)</span></a></p>\n",
         feed);
}

/* The hits: title link, what it is (its label; the kind too when that is
 * not an article), Stand, summary and the snippet with the matched words
 * in <mark>. */
static void hit(kb_buf *b, const kb_search_request *req, const kb_hit *h) {
  /* referrerpolicy: the record page learns which search led to it (for
   * its breadcrumbs); the site-wide policy stays no-referrer. */
  const kb_skind *k = kb_schema_kind(req->schema, h->kind);
  bool first_kind = k == &req->schema->kinds[0];
  html_f(b,
         "<li><article>\n<h3><a href=\"%s\" "
         "referrerpolicy=\"same-origin\">%s</a></h3>\n"
         "<p class=\"meta\">",
         h->url, h->title);
  if (k && !first_kind && strcmp(k->label, h->label) != 0)
    html_f(b, "<span class=\"kind\">%s</span>" SEP, k->label);
  html_f(b, "<span class=\"type\">%s</span>" SEP "Stand <time datetime=\"%s\">",
         h->label, h->updated);
  html_date(b, h->updated);
  html_f(b, "</time></p>\n<p class=\"summary\">%s</p>\n", h->summary);
  /* Xapian's snippet is already HTML-escaped; only our <mark> tags are
   * markup in it. */
  if (h->snippet && *h->snippet)
    html_f(b, "<p class=\"snippet\"><span class=\"sr\">Auszug: </span>%R</p>\n",
           h->snippet);
  kb_buf_adds(b, "</article></li>\n");
}

static void hit_list(kb_buf *b, const kb_search_request *req,
                     const kb_search_result *r) {
  html_f(b, "<ol class=\"hits\" start=\"%u\">\n",
         (r->page - 1) * r->per_page + 1);
  for (size_t i = 0; i < r->nhits; i++)
    hit(b, req, &r->hits[i]);
  kb_buf_adds(b, "</ol>\n");
}

/* The note on results that used the spelling correction - instead of
 * the query (`corrected`) or beside a question's misspelt word
 * (`with_suggestion`) - with a link to the words as typed (exakt). */
static void as_typed_note(kb_buf *b, kb_buf *url, const kb_search_request *req,
                          const kb_search_result *r, const char *q) {
  kb_search_request orig = req[0];
  orig.no_correction = true;
  html_search_url(url, &orig, KB_SCHEMA_NONE, NULL, 0, req->sort);
  if (r->corrected) {
    kb_buf_adds(b, "<p class=\"note\">Für „");
    html_text(b, q);
    kb_buf_adds(b, "“ gab es keine Treffer. Gezeigt werden Ergebnisse für "
                   "„<b>");
  } else {
    kb_buf_adds(b, "<p class=\"note\">Auch gesucht nach „<b>");
  }
  html_text(b, r->suggestion);
  kb_buf_adds(b, "</b>“. <a ");
  href(b, url);
  kb_buf_adds(b, r->corrected ? ">Trotzdem nach „" : ">Nur nach „");
  html_text(b, q);
  kb_buf_adds(b, "“ suchen</a></p>\n");
}

/* Notes above the results: corrected query, spelling hint, relaxed
 * matching, recognised citations. */
static void result_notes(kb_buf *b, const kb_search_request *req,
                         const kb_search_result *r, const char *q) {
  kb_buf url = KB_BUF_INIT(URL_MAX);
  if (r->corrected || (r->with_suggestion && r->suggestion)) {
    as_typed_note(b, &url, req, r, q);
  } else if (r->suggestion && r->total > 0) {
    kb_search_request alt = req[0];
    alt.query = r->suggestion;
    html_search_url(&url, &alt, KB_SCHEMA_NONE, NULL, 0, req->sort);
    kb_buf_adds(b, "<p class=\"note\">Meinten Sie <a ");
    href(b, &url);
    kb_buf_adds(b, ">");
    html_text(b, r->suggestion);
    kb_buf_adds(b, "</a>?</p>\n");
  }
  if (r->short_wildcard && r->total > 0)
    kb_buf_adds(b, "<p class=\"note\">" KB_SHORT_WILDCARD_HINT "</p>\n");
  if (r->relaxed)
    kb_buf_adds(b, "<p class=\"note\">Kein Eintrag enthält alle Suchwörter "
                   "oder Wortteile. Gezeigt werden Einträge, die einen Teil "
                   "davon enthalten.</p>\n");
  if (r->citation_note) {
    kb_buf_adds(b, "<p class=\"note\">Gesucht nach Rechtsgrundlage: ");
    html_text(b, r->citation_note);
    kb_buf_adds(b, "</p>\n");
  }
  kb_buf_release(&url);
}

/* The <title> with the count ("BEM – 12 Treffer", what a screen reader
 * says first when the page loads) and the feed URL of this search; the
 * feed follows the query and filters, not the page or sorting. */
static void search_head(kb_buf *title, kb_buf *feed,
                        const kb_search_request *req, const kb_search_result *r,
                        const char *q) {
  kb_buf_adds(title, *q ? q : "Alle Einträge");
  if (r->total == 0)
    kb_buf_adds(title, " – keine Treffer");
  else
    kb_buf_addf(title, " – %llu Treffer", (unsigned long long)r->total);
  if (r->total > 0 && r->nhits == 0)
    kb_buf_addf(title, " – Seite %u gibt es nicht", r->page);
  else if (r->page > 1)
    kb_buf_addf(title, ", Seite %u", r->page);
  kb_search_request freq = *req;
  freq.per_page = 0;
  freq.no_correction = false;
  html_url(feed, "/feed.xml", &freq, KB_SCHEMA_NONE, NULL, 0,
           KB_SORT_RELEVANCE);
}

/* The heading and the live count ("23 Einträge gefunden"). */
static void heading(kb_buf *b, const kb_search_result *r, const char *q) {
  if (*q)
    html_f(b, "<h1>Suchergebnisse für „%s“</h1>\n", q);
  else
    kb_buf_adds(b, "<h1>Stöbern</h1>\n");
  kb_buf_adds(b, "<p class=\"status\" role=\"status\" aria-live=\"polite\">");
  if (r->total == 0) {
    kb_buf_adds(b, "Kein Eintrag gefunden");
  } else {
    html_count(b, r->total);
    kb_buf_adds(b, " gefunden");
  }
  kb_buf_adds(b, "</p>\n");
}

/* A query that is exactly a glossary term: its definition first. */
static void definition_box(kb_buf *b, const kb_record *d) {
  char url[256];
  kb_record_url(d->kind, d->id, url, sizeof url);
  html_f(b,
         "<aside class=\"definition\" aria-labelledby=\"h-def\">\n"
         "<h2 id=\"h-def\"><span class=\"sr\">Begriff: </span>%s</h2>\n"
         "<div class=\"body\">%R</div>\n"
         "<p><a href=\"%s\">Mehr zum Begriff „%s“</a></p>\n</aside>\n",
         d->title, d->html, url, d->title);
}

/* A page number past the last page of hits: what there is instead. */
static void past_end(kb_buf *b, const kb_search_request *req,
                     const kb_search_result *r) {
  unsigned last = page_count(r);
  kb_buf url = KB_BUF_INIT(URL_MAX);
  html_search_url(&url, req, KB_SCHEMA_NONE, NULL, last, req->sort);
  kb_buf_addf(b,
              "<div class=\"zero\">\n<h3>Seite %u gibt es nicht</h3>\n"
              "<p>Die Treffer dieser Suche passen auf %u %s.</p>\n<p><a ",
              r->page, last, last == 1 ? "Seite" : "Seiten");
  href(b, &url);
  kb_buf_addf(b, ">Zur letzten Seite (Seite %u)</a></p>\n</div>\n", last);
  kb_buf_release(&url);
}

/* Everything between the site header and footer.  The hits come before
 * the filters in reading order (and on small screens on screen too), so
 * the first result is two or three key presses after the search box. */
static void results_main(kb_buf *b, const server_config *cfg, kb_searcher *s,
                         const kb_search_request *req,
                         const kb_search_result *r, const char *feed) {
  const char *q = req->query ? req->query : "";
  heading(b, r, q);
  if (r->definition)
    definition_box(b, r->definition);
  result_notes(b, req, r, q);
  chosen_summary(b, req, r);
  kb_buf_adds(b, "<div class=\"results-layout\">\n");
  kb_buf_adds(b, "<section id=\"ergebnisse\" class=\"results\" tabindex=\"-1\" "
                 "aria-labelledby=\"h-res\">\n"
                 "<h2 id=\"h-res\" class=\"sr\">Ergebnisliste</h2>\n");
  zerolog_record(cfg, s, r);
  if (r->total == 0) {
    zero_help(b, s, req, r);
  } else if (r->nhits == 0) {
    past_end(b, req, r);
  } else {
    result_tools(b, req);
    hit_list(b, req, r);
    pagination(b, req, r);
    feed_link(b, feed);
  }
  kb_buf_adds(b, "</section>\n");
  /* No empty panel: without hits only a chosen filter's alternatives. */
  if (any_facet(r))
    facet_nav(b, req, r);
  else
    chosen_filters(b, req, r, 2);
  kb_buf_adds(b, "</div>\n");
}

/* When a filter value of `req` is one the index does not know (a typed
 * or outdated address), the 400 page names it; true if it did. */
static bool unknown_filter(kb_searcher *s, const kb_search_request *req,
                           reply *rep) {
  for (size_t f = 0; f < KB_SCHEMA_MAX_FACETS; f++) {
    for (size_t i = 0; i < req->nfilters[f]; i++) {
      kb_search_request one = {.schema = req->schema};
      one.filters[f][0] = req->filters[f][i];
      one.nfilters[f] = 1;
      if (f >= req->schema->nfacets ||
          kb_search_validate(s, &one, NULL) == KB_OK)
        continue;
      kb_buf text = KB_BUF_INIT(1024);
      kb_buf_addf(&text,
                  "Den Filter „%s: %s“ gibt es nicht. Bitte wählen Sie "
                  "die Filter aus der Liste neben den Ergebnissen oder "
                  "suchen Sie ohne diesen Filter.",
                  req->schema->facets[f].label, req->filters[f][i]);
      page_error(rep, MHD_HTTP_BAD_REQUEST, "Unbekannter Filter",
                 kb_buf_str(&text));
      kb_buf_release(&text);
      return true;
    }
  }
  return false;
}

/* Runs the search; NULL after showing the error page. */
static kb_search_result *run_search(kb_searcher *s,
                                    const kb_search_request *req, reply *rep) {
  kb_search_result *r = NULL;
  char *err = NULL;
  kb_status st = kb_search(s, req, &r, &err);
  free(err);
  if (st == KB_ERR_INVALID && unknown_filter(s, req, rep))
    return NULL;
  if (st == KB_ERR_LIMIT || st == KB_ERR_INVALID)
    page_error(rep, MHD_HTTP_BAD_REQUEST, "Ungültige Suchanfrage",
               "Die Suche ist zu lang oder enthält ungültigen Text. "
               "Bitte kürzen oder ändern Sie sie.");
  else if (st != KB_OK)
    page_error(rep, MHD_HTTP_INTERNAL_SERVER_ERROR, "Fehler bei der Suche",
               "Die Suche konnte gerade nicht ausgeführt werden. Bitte "
               "versuchen Sie es erneut.");
  return st == KB_OK ? r : NULL;
}

void page_search(struct MHD_Connection *conn, worker *w,
                 const server_config *cfg, const char *rest, reply *rep) {
  (void)rest;
  kb_search_request req;
  const char *msg = NULL;
  kb_searcher *s = page_searcher(w, cfg, rep);
  if (s == NULL)
    return;
  if (!request_search(conn, kb_searcher_vocab(s)->schema, false, &req, &msg)) {
    page_error(rep, MHD_HTTP_BAD_REQUEST, "Ungültige Suchanfrage",
               "Die Adresse enthält ungültige Angaben (Seitenzahl, "
               "Sortierung oder zu viele Filter).");
    return;
  }
  kb_search_result *r = run_search(s, &req, rep);
  if (r == NULL)
    return;
  const char *q = req.query ? req.query : "";
  kb_buf title = KB_BUF_INIT(1024);
  kb_buf feed = KB_BUF_INIT(URL_MAX);
  search_head(&title, &feed, &req, r, q);
  html_page p = {.title = kb_buf_str(&title),
                 .query = q,
                 .noindex = true,
                 .feed = kb_buf_str(&feed),
                 .results = true,
                 .filters = any_facet(r)};
  /* A page past the last is not there: 404, with the way back. */
  if (r->total > 0 && r->nhits == 0)
    rep->status = MHD_HTTP_NOT_FOUND;
  html_begin_page(rep->body, &p);
  results_main(rep->body, cfg, s, &req, r, kb_buf_str(&feed));
  html_end(rep->body);
  kb_buf_release(&title);
  kb_buf_release(&feed);
  kb_search_result_free(r);
}
