/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * html.h - building blocks of the HTML pages: the layout shared by every
 * page, the search box, URLs of search states, and German date and
 * number formatting, and the two ways text reaches a page: html_text and
 * the html_f template, both of which escape by default (kb_escape.h).
 * A render function of a fragment takes data, never markup, so the only
 * unescaped text is the literal markup of the templates and what html_f's
 * %R is explicitly handed.
 *
 * Pages link only same-origin assets (/static/style.css and the
 * progressive-enhancement script /static/suggest.js); no inline script or
 * style, so the strict Content-Security-Policy of reply.c holds.
 *
 * Depends on the library only (kb_buf, kb_search, kb_escape).
 */
#ifndef TEILHABE_HTML_H
#define TEILHABE_HTML_H

#include "kb_buf.h"
#include "kb_search.h"

/* Appends `s` HTML-escaped (NULL: nothing). */
void html_text(kb_buf *b, const char *s);

/* Appends `s` escaped for XML text and attributes (feeds, sitemaps),
 * dropping the control characters XML 1.0 does not allow. */
void html_xml_text(kb_buf *b, const char *s);

/* Appends `fmt` with its conversions; everything is escaped unless said:
 *   %s   a string, HTML-escaped (NULL: nothing)
 *   %U   a string, URL-encoded as one query or path component
 *   %R   trusted markup, appended as it is (our own literals only)
 *   %u %d %zu %llu  unsigned, int, size_t, unsigned long long
 *   %%   a percent sign
 * The markup of a fragment thus reads as one template, and forgetting to
 * escape a value takes writing %R. */
void html_f(kb_buf *b, const char *fmt, ...);

/* What the <head> and the site header of a page need.  All strings are
 * borrowed for the call; NULL means absent. */
typedef struct html_page {
  const char *title;     /* <title>; " – teilhabe" is added unless home */
  const char *query;     /* value of the header search box */
  bool home;             /* start page: no header search box */
  const char *feed;      /* root-relative URL of this page's Atom feed */
  const char *canonical; /* root-relative canonical URL */
  const char *jsonld;    /* serialised JSON-LD (escaped for <script> here) */
  bool noindex;          /* ask search engines not to index (result pages) */
  bool results;          /* skip link "Zu den Ergebnissen" (#ergebnisse) */
  bool filters;          /* skip link "Zu den Filtern" (#filter) */
} html_page;

/* Opens the document: <head> (stylesheet, script, OpenSearch, feed,
 * canonical and JSON-LD links), skip links, site header (with a search box
 * unless `home`), and <main id="inhalt">. */
void html_begin_page(kb_buf *b, const html_page *p);
/* The same with only a title (kept for the simple pages). */
void html_begin(kb_buf *b, const char *title, const char *query, bool home);
/* Closes <main>, adds the footer and ends the document. */
void html_end(kb_buf *b);

/* A search form: label, the combobox-ready input (`id`, value `q`) and
 * button.  `big` is the start page's form with a visible label and hint;
 * otherwise the compact header form with a visually hidden label. */
void html_search_box(kb_buf *b, const char *id, const char *q, bool big);

/* Appends `path` ("/suche", "/feed.xml") and the query string of `req`,
 * with facet `f`'s value `v` toggled (f indexes req->schema's facets;
 * KB_SCHEMA_NONE for none), at
 * `page` (0 or 1 = first) and `sort`.  per_page (when not the default)
 * and exakt are kept.  The result is a URL, not yet HTML-escaped. */
void html_url(kb_buf *b, const char *path, const kb_search_request *req,
              size_t f, const char *v, unsigned page, kb_sort sort);
/* html_url for "/suche". */
void html_search_url(kb_buf *b, const kb_search_request *req, size_t f,
                     const char *v, unsigned page, kb_sort sort);

/* "2026-11-22" -> "22.11.2026" (anything else is escaped as is). */
void html_date(kb_buf *b, const char *iso);

/* A phone number as a tel: link ("+49 211 1234" -> "tel:+492111234"),
 * shown as written. */
void html_phone(kb_buf *b, const char *phone);

/* "1 Eintrag", "23 Einträge": plain digits, as in the API's counts. */
void html_count(kb_buf *b, uint64_t n);

#endif
