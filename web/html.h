/*
 * html.h - building blocks of the HTML pages: the layout shared by every
 * page, URLs of search states, and German date formatting.  Every dynamic
 * string goes through kb_html_escape (kb_escape.h).
 */
#ifndef TEILHABE_HTML_H
#define TEILHABE_HTML_H

#include "kb_buf.h"
#include "kb_search.h"

/* Opens the document: <head>, skip link, site header (with a search box
 * unless `home`), and <main id="inhalt">. */
void html_begin(kb_buf *b, const char *title, const char *query, bool home);
/* Closes <main>, adds the footer and ends the document. */
void html_end(kb_buf *b);

/* Appends "/suche?..." for `req`, with facet `f`'s value `v` toggled (pass
 * KB_FACET_COUNT for none), at `page` (0 = first) and `sort`. */
void html_search_url(kb_buf *b, const kb_search_request *req, kb_facet f,
                     const char *v, unsigned page, kb_sort sort);

/* "2026-11-22" -> "22.11.2026" (anything else is escaped as is). */
void html_date(kb_buf *b, const char *iso);

#endif
