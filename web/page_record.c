/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_record.c - the page of one record, /<kind>/<id> (/artikel/…,
 * /urteil/…, /begriff/…, /anlaufstelle/…, and any kind a corpus
 * declares): title, lead, the facts box its kind's schema lists (each
 * field shown by its type: vocabulary labels linking to their search,
 * norms linking to the official text, dates, addresses, phone numbers),
 * a box in Leichte Sprache (fields of type `easy`) above the rendered
 * Markdown, sources, a link to report a mistake in it
 * (/kontakt?eintrag=<kind>/<id>), the records that link here (the
 * articles citing a decision), related and similar records,
 * breadcrumbs, schema.org JSON-LD, and a print layout that makes a clean
 * handout (style.css, @media print).
 *
 * Breadcrumbs lead back to the search the reader came from.  Result links
 * carry referrerpolicy="same-origin", so the browser sends the results
 * page's URL as Referer (to us only; the site-wide policy stays
 * no-referrer).  Its parameters are read by request.c's one parser, as
 * the results page reads its own, checked like any search and re-encoded
 * by html_search_url, so nothing of the Referer reaches the page
 * unchecked.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "kb_cite.h"
#include "kb_escape.h"
#include "kb_text.h"
#include "pages.h"
#include "record_body.h"
#include "request.h"

/* What every fragment of the page reads. */
typedef struct rec_page {
  kb_searcher *s;
  const kb_vocab *v;
  const kb_schema *sc;
  const kb_skind *kind;
  const kb_record *rec;
} rec_page;

/* The facet that filters by field `field`, or KB_SCHEMA_NONE. */
static size_t facet_of(const kb_schema *sc, size_t field) {
  for (size_t f = 0; f < sc->nfacets; f++)
    if (sc->facets[f].field == field)
      return f;
  return KB_SCHEMA_NONE;
}

/* Vocabulary values, each a link to its search when the field is a
 * facet. */
static void enum_values(kb_buf *b, const rec_page *p, size_t field,
                        const kb_rvals *vals) {
  size_t f = facet_of(p->sc, field);
  kb_buf_adds(b, "<ul class=\"inline\">");
  for (size_t i = 0; i < vals->n; i++) {
    const char *label = kb_vocab_value_label(p->v, field, vals->v[i]);
    if (f != KB_SCHEMA_NONE)
      html_f(b, "<li><a href=\"/suche?%s=%U\">%s</a></li>",
             p->sc->facets[f].name, vals->v[i], label);
    else
      html_f(b, "<li>%s</li>", label);
  }
  kb_buf_adds(b, "</ul>");
}

/* Norms: each links to its official text when gesetze.yaml names an
 * address for its law (external, so said). */
static void norm_values(kb_buf *b, const kb_vocab *v, const kb_rvals *vals) {
  kb_buf_adds(b, "<ul class=\"inline\">");
  for (size_t i = 0; i < vals->n; i++) {
    kb_cite c;
    char url[512];
    bool link = kb_cite_parse(vals->v[i], &c, 1) >= 1 &&
                kb_vocab_norm_url(v, &c, url, sizeof url);
    if (link)
      html_f(b,
             "<li><a class=\"norm\" rel=\"external\" href=\"%s\">%s"
             "<span class=\"sr\"> (amtlicher Text, externe Seite)</span>"
             "</a></li>",
             url, vals->v[i]);
    else
      html_f(b, "<li>%s</li>", vals->v[i]);
  }
  kb_buf_adds(b, "</ul>");
}

/* A date until which figures hold; past it, the reader is told plainly
 * that they may be out of date. */
static void expiry_value(kb_buf *b, const char *until) {
  char today[11];
  kb_date_today(today);
  html_f(b, "<time datetime=\"%s\">", until);
  html_date(b, until);
  kb_buf_adds(b, "</time>");
  if (strcmp(today, until) > 0)
    kb_buf_adds(b, " <strong class=\"expired\">– abgelaufen: Die Zahlen "
                   "können veraltet sein, die Redaktion prüft sie.</strong>");
}

/* Other values as text, several as an inline list. */
static void plain_values(kb_buf *b, const kb_rvals *vals) {
  if (vals->n == 1) {
    html_text(b, vals->v[0]);
    return;
  }
  kb_buf_adds(b, "<ul class=\"inline\">");
  for (size_t i = 0; i < vals->n; i++)
    html_f(b, "<li>%s</li>", vals->v[i]);
  kb_buf_adds(b, "</ul>");
}

/* One entry of the facts box, by the field's declared type. */
static void fact(kb_buf *b, const rec_page *p, size_t field) {
  const kb_sfield *sf = &p->sc->fields[field];
  const kb_rvals *vals = &p->rec->values[field];
  if (vals->n == 0 || sf->type == KB_FT_CASE)
    return;
  html_f(b, "<dt>%s</dt><dd>", sf->label);
  switch (sf->type) {
  case KB_FT_ENUM:
    enum_values(b, p, field, vals);
    break;
  case KB_FT_NORM:
    norm_values(b, p->v, vals);
    break;
  case KB_FT_DATE:
    html_f(b, "<time datetime=\"%s\">", vals->v[0]);
    html_date(b, vals->v[0]);
    kb_buf_adds(b, "</time>");
    break;
  case KB_FT_EXPIRY:
    expiry_value(b, vals->v[0]);
    break;
  case KB_FT_URL:
    html_f(b,
           "<a rel=\"external\" href=\"%s\">%s<span class=\"sr\"> "
           "(externe Seite)</span></a>",
           vals->v[0], vals->v[0]);
    break;
  case KB_FT_PHONE:
    html_phone(b, vals->v[0]);
    break;
  default:
    plain_values(b, vals);
    break;
  }
  kb_buf_adds(b, "</dd>\n");
}

/* The facts in one line, under the lead: what the record is (its kind
 * unless the first, the labels of its first fact) and its Stand.  No
 * links, so it costs no key presses before the text. */
static void facts_line(kb_buf *b, const rec_page *p) {
  kb_buf_adds(b, "<p class=\"facts-line\">");
  if (p->sc->nkinds > 1 && p->kind != &p->sc->kinds[0])
    html_f(b, "%s<span aria-hidden=\"true\"> · </span>", p->kind->label);
  size_t first = p->kind->nfacts ? p->kind->facts[0] : KB_SCHEMA_NONE;
  if (first < p->sc->nfields && p->sc->fields[first].type == KB_FT_ENUM &&
      p->rec->values[first].n > 0) {
    const kb_rvals *vals = &p->rec->values[first];
    for (size_t i = 0; i < vals->n; i++)
      html_f(b, "%s%s", i ? ", " : "",
             kb_vocab_value_label(p->v, first, vals->v[i]));
    kb_buf_adds(b, "<span aria-hidden=\"true\"> · </span>");
  }
  html_f(b, "Stand <time datetime=\"%s\">", p->rec->updated);
  html_date(b, p->rec->updated);
  kb_buf_adds(b, "</time></p>\n");
}

/* The facts box: its kind's declared facts in order, the Stand after the
 * first (what it is, then how current).  Folded on small screens, so the
 * text starts on the first screen (style.css shows it open on wide
 * screens and on paper). */
static void facts(kb_buf *b, const rec_page *p) {
  kb_buf_adds(b, "<details class=\"fold facts-more\"><summary>Alle Angaben "
                 "zum Eintrag</summary>\n<dl class=\"facts\">\n");
  if (p->sc->nkinds > 1 && p->kind != &p->sc->kinds[0])
    html_f(b, "<dt>Eintrag</dt><dd>%s</dd>\n", p->kind->label);
  for (size_t i = 0; i < p->kind->nfacts; i++) {
    if (p->kind->facts[i] < p->sc->nfields)
      fact(b, p, p->kind->facts[i]);
    if (i == 0) {
      html_f(b, "<dt>Stand</dt><dd><time datetime=\"%s\">", p->rec->updated);
      html_date(b, p->rec->updated);
      kb_buf_adds(b, "</time></dd>\n");
    }
  }
  kb_buf_adds(b, "</dl>\n</details>\n");
}

/* "Quellen": the sources, as the record names them. */
static void source_list(kb_buf *b, const kb_rvals *sources) {
  if (sources->n == 0)
    return;
  kb_buf_adds(b, "<section class=\"sources\" aria-labelledby=\"h-src\">\n"
                 "<h2 id=\"h-src\">Quellen</h2>\n<ul>\n");
  for (size_t i = 0; i < sources->n; i++)
    html_f(b, "<li>%s</li>\n", sources->v[i]);
  kb_buf_adds(b, "</ul>\n</section>\n");
}

/* One linked record, with its kind when that is not the first. */
static void link_item(kb_buf *b, const rec_page *p, const kb_record *r) {
  char url[256];
  kb_record_url(r->kind, r->id, url, sizeof url);
  const kb_skind *k = kb_schema_kind(p->sc, r->kind);
  html_f(b, "<li><a href=\"%s\">%s</a>", url, r->title);
  if (k && k != &p->sc->kinds[0])
    html_f(b, " <span class=\"meta\">(%s)</span>", k->label);
  kb_buf_adds(b, "</li>\n");
}

static void record_list(kb_buf *b, const rec_page *p, const char *hid,
                        const char *heading, const kb_record_list *l) {
  if (l->n == 0)
    return;
  html_f(b, "<section aria-labelledby=\"%s\">\n<h2 id=\"%s\">%s</h2>\n<ul>\n",
         hid, hid, heading);
  for (size_t i = 0; i < l->n; i++)
    link_item(b, p, l->v[i]);
  kb_buf_adds(b, "</ul>\n</section>\n");
}

/* Removes from `l` the records that `other` holds too. */
static void drop_listed(kb_record_list *l, const kb_record_list *other) {
  size_t k = 0;
  for (size_t i = 0; i < l->n; i++) {
    bool listed = false;
    for (size_t j = 0; j < other->n && !listed; j++)
      listed = strcmp(l->v[i]->id, other->v[j]->id) == 0;
    if (listed)
      kb_record_free(l->v[i]);
    else
      l->v[k++] = l->v[i];
  }
  l->n = k;
}

/* "Verwandte Einträge" from the related field, "Zitiert in" (the
 * records whose text links here: the articles citing a decision), then
 * "Ähnliche Einträge" by relevance feedback, leaving out the related. */
static void more_links(kb_buf *b, const rec_page *p) {
  const kb_rvals *rel = &p->rec->related;
  kb_record_list related = {0}, citing = {0}, similar = {0};
  for (size_t i = 0; i < rel->n; i++) {
    kb_record *r = NULL;
    kb_record **v = realloc(related.v, (related.n + 1) * sizeof *v);
    if (v == NULL)
      break;
    related.v = v;
    if (kb_searcher_record(p->s, rel->v[i], &r, NULL) == KB_OK)
      related.v[related.n++] = r;
  }
  /* A record that cites this one is listed as citing it, not twice. */
  if (kb_searcher_linking(p->s, p->rec->id, 30, &citing, NULL) != KB_OK)
    citing.n = 0;
  drop_listed(&related, &citing);
  record_list(b, p, "h-rel", "Verwandte Einträge", &related);
  record_list(b, p, "h-cit", "Zitiert in", &citing);
  if (kb_searcher_similar(p->s, p->rec->id, 5, rel->v, rel->n, &similar,
                          NULL) == KB_OK)
    record_list(b, p, "h-sim", "Ähnliche Einträge", &similar);
  kb_record_list_free(&related);
  kb_record_list_free(&citing);
  kb_record_list_free(&similar);
}

/* When the Referer is our own results page with a search the index
 * accepts, fills `from` with it (pointing into `store`). */
static bool referring_search(struct MHD_Connection *conn, const rec_page *p,
                             kb_buf *store, kb_search_request *from) {
  return request_referring_search(conn, p->sc, store, from) &&
         kb_search_validate(p->s, from, NULL) == KB_OK;
}

/* Where the record sits when no search led here: its kind's list page
 * (finder, A-Z index) or its first fact's search or its kind's search. */
static void crumb_home_of(kb_buf *b, const rec_page *p) {
  const kb_skind *k = p->kind;
  size_t first = k->nfacts ? k->facts[0] : KB_SCHEMA_NONE;
  size_t f = first < p->sc->nfields ? facet_of(p->sc, first) : KB_SCHEMA_NONE;
  const char *v =
      first < p->sc->nfields ? kb_record_value(p->rec, first) : NULL;
  size_t fk = kb_schema_facet(p->sc, "kind");
  if (k->finder_path)
    html_f(b, "<a href=\"/%s\">%s</a>", k->finder_path, k->finder_title);
  else if (k->index_path)
    html_f(b, "<a href=\"/%s\">%s A–Z</a>", k->index_path, k->plural);
  else if (f != KB_SCHEMA_NONE && v && p->sc->fields[first].type == KB_FT_ENUM)
    html_f(b, "<a href=\"/suche?%s=%U\">%s</a>", p->sc->facets[f].name, v,
           kb_vocab_value_label(p->v, first, v));
  else if (fk != KB_SCHEMA_NONE)
    html_f(b, "<a href=\"/suche?%s=%U\">%s</a>", p->sc->facets[fk].name,
           k->name, k->plural);
  else
    html_f(b, "<a href=\"/suche\">%s</a>", k->plural);
}

/* Startseite > the search the reader came from (or where the record
 * sits) > the record.  True when it shows the referring search. */
static bool breadcrumbs(kb_buf *b, struct MHD_Connection *conn, worker *w,
                        const rec_page *p) {
  bool from_search = false;
  kb_search_request from;
  kb_buf_adds(b, "<nav class=\"crumbs\" aria-label=\"Brotkrümelnavigation\">"
                 "<ol><li><a href=\"/\">Startseite</a></li><li>");
  if (referring_search(conn, p, &w->scratch, &from)) {
    from_search = true;
    kb_buf url = KB_BUF_INIT(WEB_MAX_URL * 2);
    html_search_url(&url, &from, KB_SCHEMA_NONE, NULL, from.page, from.sort);
    if (from.query && *from.query)
      html_f(b, "<a class=\"back\" href=\"%s\">Suche „%s“</a>",
             kb_buf_str(&url), from.query);
    else
      html_f(b, "<a class=\"back\" href=\"%s\">Suchergebnisse</a>",
             kb_buf_str(&url));
    kb_buf_release(&url);
  } else {
    crumb_home_of(b, p);
  }
  html_f(b, "</li><li aria-current=\"page\">%s</li></ol></nav>\n",
         p->rec->title);
  return from_search;
}

static json_t *texts(const kb_rvals *v) {
  json_t *a = json_array();
  for (size_t i = 0; i < v->n; i++)
    json_array_append_new(a, json_string(v->v[i]));
  return a;
}

/* A field the schema gives a JSON-LD role: its labels as the audience
 * ("audienceType") or as what the page is about. */
static void jsonld_role(json_t *j, const rec_page *p, size_t field) {
  const kb_sfield *sf = &p->sc->fields[field];
  const kb_rvals *vals = &p->rec->values[field];
  if (sf->jsonld == NULL || vals->n == 0)
    return;
  json_t *labels = json_array();
  for (size_t i = 0; i < vals->n; i++)
    json_array_append_new(
        labels, json_string(kb_vocab_value_label(p->v, field, vals->v[i])));
  if (strcmp(sf->jsonld, "audience") == 0)
    json_object_set_new(
        j, "audience",
        json_pack("{s:s, s:o}", "@type", "Audience", "audienceType", labels));
  else
    json_object_set_new(j, "about", labels);
}

/* schema.org for search engines, serialised (html_begin_page escapes it
 * for the <script> element): an Article, a DefinedTerm for an exactly
 * looked-up kind (the glossary), else a CreativeWork.  Owned, or NULL. */
static char *record_jsonld(const rec_page *p, const char *url) {
  const char *type = p->kind == &p->sc->kinds[0] ? "Article"
                     : p->kind->exact            ? "DefinedTerm"
                                                 : "CreativeWork";
  json_t *j = json_pack(
      "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:b, "
      "s:{s:s, s:s}, s:o, s:o}",
      "@context", "https://schema.org", "@type", type,
      p->kind->exact ? "name" : "headline", p->rec->title, "description",
      p->rec->summary, "dateModified", p->rec->updated, "inLanguage", "de",
      "url", url, "genre", p->kind->label, "publisher", "@type", "Organization",
      "name", "teilhabe", "license",
      "https://creativecommons.org/licenses/by/4.0/", "isAccessibleForFree", 1,
      "mainEntityOfPage", "@type", "WebPage", "@id", url, "citation",
      texts(&p->rec->sources), "keywords", texts(&p->rec->laws));
  for (size_t i = 0; j && i < p->kind->nfields; i++)
    jsonld_role(j, p, p->kind->fields[i].field);
  char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  return s;
}

/* A kind that keeps its Markdown (templates) offers it for download, as
 * Markdown and as OpenDocument text (page_vorlagen.c serves both). */
static void downloads(kb_buf *b, const rec_page *p) {
  if (!p->kind->markdown)
    return;
  /* Two short links on one or two lines: on a phone the template's
   * text still starts on the first screen. */
  html_f(b,
         "<ul class=\"downloads\" aria-label=\"Herunterladen\">"
         "<li><a href=\"/%U/%U.odt\" download>Zum Ausfüllen (.odt, "
         "LibreOffice oder Word)</a></li>"
         "<li><a href=\"/%U/%U.md\" download>Als reiner Text (.md)</a></li>"
         "</ul>\n",
         p->kind->name, p->rec->id, p->kind->name, p->rec->id);
}

/* The record's main column: title, lead, facts, body, sources and the
 * print note. */
/* Each field of type `easy` the record fills (Leichte Sprache): a box
 * headed by the field's label, one sentence per line, above the text. */
static void easy_boxes(kb_buf *b, const rec_page *p) {
  for (size_t i = 0; i < p->kind->nfields; i++) {
    size_t f = p->kind->fields[i].field;
    const kb_rvals *vals = &p->rec->values[f];
    if (f >= p->sc->nfields || p->sc->fields[f].type != KB_FT_EASY ||
        vals->n == 0)
      continue;
    html_f(b,
           "<section class=\"easy-box\" aria-labelledby=\"h-easy-%zu\">\n"
           "<h2 id=\"h-easy-%zu\">%s</h2>\n<p>",
           f, f, p->sc->fields[f].label);
    for (size_t k = 0; k < vals->n; k++)
      html_f(b, k + 1 < vals->n ? "%s<br>\n" : "%s", vals->v[k]);
    kb_buf_adds(b, "</p>\n</section>\n");
  }
}

/* The way to report a mistake in this record (page_legal.c's /kontakt,
 * which prepares an e-mail and stores nothing). */
static void report_link(kb_buf *b, const rec_page *p) {
  html_f(b,
         "<p class=\"report-link\"><a href=\"/kontakt?eintrag=%U/%U\">"
         "Fehler in diesem Eintrag melden</a></p>\n",
         p->rec->kind, p->rec->id);
}

/* The record's main column: title, lead, facts, the Leichte Sprache box
 * right above the body, the body, sources, the report link and the print
 * note. */
static void record_main(kb_buf *b, const rec_page *p, const char *abs) {
  html_f(b,
         "<article class=\"article kind-%s\">\n<h1>%s</h1>\n<p "
         "class=\"lead\">%s</p>\n",
         p->kind->name, p->rec->title, p->rec->summary);
  facts_line(b, p);
  facts(b, p);
  downloads(b, p);
  easy_boxes(b, p);
  /* Rendered by cmark-gfm in safe mode at index time: raw HTML from the
   * Markdown never gets here. */
  record_body(b, p->rec->html);
  source_list(b, &p->rec->sources);
  report_link(b, p);
  /* Only on paper: where the handout comes from and how current it is. */
  html_f(b,
         "<p class=\"print-only\">Ausgedruckt aus teilhabe – Wissen zu "
         "Behinderung und Arbeit. Online: %s (Stand ",
         abs);
  html_date(b, p->rec->updated);
  kb_buf_adds(b, "). Keine Rechtsberatung.</p>\n</article>\n");
}

void page_record(struct MHD_Connection *conn, worker *w,
                 const server_config *cfg, const char *kind, const char *id,
                 reply *rep) {
  rec_page p = {.s = page_searcher(w, cfg, rep)};
  kb_record *rec = NULL;
  if (p.s == NULL)
    return;
  p.v = kb_searcher_vocab(p.s);
  p.sc = p.v->schema;
  p.kind = kb_schema_kind(p.sc, kind);
  /* A kind the schema lacks matches no record: its page is the 404. */
  if (!page_load_record(p.s, p.kind ? kind : "", id, &rec, rep))
    return;
  p.rec = rec;
  kb_buf path = KB_BUF_INIT(512), abs = KB_BUF_INIT(1024);
  html_f(&path, "/%U/%U", kind, id);
  request_base_url(conn, cfg, &abs);
  kb_buf_adds(&abs, kb_buf_str(&path));
  char *jsonld = record_jsonld(&p, kb_buf_str(&abs));
  kb_buf *b = &w->out;
  html_page hp = {.title = rec->title,
                  .query = "",
                  .canonical = kb_buf_str(&path),
                  .jsonld = jsonld};
  html_begin_page(b, &hp);
  /* The page depends on the Referer (breadcrumbs) and, in its JSON-LD,
   * on the base URL.  One that names a search is for this reader only. */
  bool from_search = breadcrumbs(b, conn, w, &p);
  rep->cache = from_search ? REPLY_CACHE_PRIVATE : REPLY_CACHE_PAGE;
  rep->vary = REPLY_VARY_REFERER |
              (request_base_from_headers(cfg) ? REPLY_VARY_BASE : 0);
  kb_buf_adds(b, "<div class=\"article-layout\">\n");
  record_main(b, &p, kb_buf_str(&abs));
  kb_buf_adds(b, "<aside class=\"more\" aria-label=\"Weitere Einträge\">\n");
  more_links(b, &p);
  kb_buf_adds(b, "</aside>\n</div>\n");
  html_end(b);
  free(jsonld);
  kb_buf_release(&path);
  kb_buf_release(&abs);
  kb_record_free(rec);
}
