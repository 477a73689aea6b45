/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * html.c - page layout, the search box and URL building (see html.h).
 */
#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kb_escape.h"

void html_xml_text(kb_buf *b, const char *s) { kb_xml_escapes(b, s); }

void html_text(kb_buf *b, const char *s) {
  if (s)
    kb_html_escapes(b, s);
}

/* One conversion of html_f at `fmt` (just after the '%'); returns the
 * rest of the format. */
static const char *convert(kb_buf *b, const char *fmt, va_list *ap) {
  if (strncmp(fmt, "zu", 2) == 0) {
    kb_buf_addf(b, "%zu", va_arg(*ap, size_t));
    return fmt + 2;
  }
  if (strncmp(fmt, "llu", 3) == 0) {
    kb_buf_addf(b, "%llu", va_arg(*ap, unsigned long long));
    return fmt + 3;
  }
  switch (*fmt) {
  case 's':
    html_text(b, va_arg(*ap, const char *));
    break;
  case 'U':
    kb_url_encodes(b, va_arg(*ap, const char *));
    break;
  case 'R': {
    const char *raw = va_arg(*ap, const char *);
    if (raw)
      kb_buf_adds(b, raw);
    break;
  }
  case 'u':
    kb_buf_addf(b, "%u", va_arg(*ap, unsigned));
    break;
  case 'd':
    kb_buf_addf(b, "%d", va_arg(*ap, int));
    break;
  case '%':
    kb_buf_addc(b, '%');
    break;
  default: /* NEVER: a format we do not know is shown, not guessed */
    kb_buf_addc(b, '%');
    return fmt;
  }
  return fmt + 1;
}

void html_f(kb_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  while (*fmt) {
    const char *pct = strchr(fmt, '%');
    if (pct == NULL) {
      kb_buf_adds(b, fmt);
      break;
    }
    kb_buf_add(b, fmt, (size_t)(pct - fmt));
    fmt = convert(b, pct + 1, &ap);
  }
  va_end(ap);
}

/* Appends serialised JSON for a <script> element: "<", ">" and "&" (which
 * only occur inside JSON strings) become \u escapes, so no "</script>" or
 * "<!--" can end or confuse the element. */
static void json_for_script(kb_buf *b, const char *json) {
  const char *run = json;
  for (const char *c = json; *c; c++) {
    const char *esc = *c == '<'   ? "\\u003c"
                      : *c == '>' ? "\\u003e"
                      : *c == '&' ? "\\u0026"
                                  : NULL;
    if (esc) {
      kb_buf_add(b, run, (size_t)(c - run));
      kb_buf_adds(b, esc);
      run = c + 1;
    }
  }
  kb_buf_adds(b, run);
}

void html_begin_page(kb_buf *b, const html_page *p) {
  kb_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n"
                 "<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, "
                 "initial-scale=1\">\n<title>");
  kb_html_escapes(b, p->title);
  kb_buf_adds(b, p->home ? "" : " – teilhabe");
  kb_buf_adds(b,
              "</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
              /* No favicon request (and no 404 in the console). */
              "<link rel=\"icon\" href=\"data:,\">\n"
              "<script src=\"/static/suggest.js\" defer></script>\n"
              "<link rel=\"search\" type=\"application/"
              "opensearchdescription+xml\" title=\"teilhabe\" "
              "href=\"/opensearch.xml\">\n");
  if (p->noindex)
    kb_buf_adds(b, "<meta name=\"robots\" content=\"noindex, follow\">\n");
  if (p->canonical) {
    kb_buf_adds(b, "<link rel=\"canonical\" href=\"");
    kb_html_escapes(b, p->canonical);
    kb_buf_adds(b, "\">\n");
  }
  if (p->feed) {
    kb_buf_adds(b, "<link rel=\"alternate\" type=\"application/atom+xml\" "
                   "title=\"Neue und geänderte Einträge (Atom)\" href=\"");
    kb_html_escapes(b, p->feed);
    kb_buf_adds(b, "\">\n");
  }
  if (p->jsonld) {
    /* Data, not script: CSP's script-src does not apply to it. */
    kb_buf_adds(b, "<script type=\"application/ld+json\">");
    json_for_script(b, p->jsonld);
    kb_buf_adds(b, "</script>\n");
  }
  kb_buf_adds(b, "</head>\n<body>\n"
                 "<a class=\"skip\" href=\"#inhalt\">Zum Inhalt springen</a>\n"
                 "<header class=\"site\">\n<div class=\"wrap\">\n"
                 "<a class=\"brand\" href=\"/\">teilhabe"
                 "<span class=\"tagline\">Wissen zu Behinderung und Arbeit"
                 "</span></a>\n");
  if (!p->home)
    html_search_box(b, "q-top", p->query, false);
  kb_buf_adds(b, "</div>\n</header>\n<main id=\"inhalt\" class=\"wrap\" "
                 "tabindex=\"-1\">\n");
}

void html_begin(kb_buf *b, const char *title, const char *query, bool home) {
  html_page p = {.title = title, .query = query, .home = home};
  html_begin_page(b, &p);
}

void html_end(kb_buf *b) {
  kb_buf_adds(b,
              "</main>\n<footer class=\"site\">\n<div class=\"wrap\">\n"
              "<p>teilhabe ist eine freie Wissenssammlung zu Behinderung und "
              "Arbeit. Die Einträge ersetzen keine Rechtsberatung; maßgeblich "
              "ist der jeweils angegebene Stand.</p>\n"
              "<p>Diese Seite speichert keine Suchanfragen und setzt keine "
              "Cookies.</p>\n<ul class=\"inline links\">"
              "<li><a href=\"/suche?sort=updated\">Alle Einträge</a></li>"
              "<li><a href=\"/feed.xml\">Neue Einträge als Feed (Atom)</a></li>"
              "</ul>\n"
              "</div>\n</footer>\n</body>\n</html>\n");
}

void html_search_box(kb_buf *b, const char *id, const char *q, bool big) {
  /* The input works as a plain text field; suggest.js turns it into an
   * ARIA 1.2 combobox (role, aria-expanded, listbox) when it runs. */
  kb_buf_adds(b, big ? "<form class=\"search big\" role=\"search\" "
                       "action=\"/suche\" method=\"get\">\n<label for=\""
                     : "<form class=\"search\" role=\"search\" "
                       "action=\"/suche\" method=\"get\">\n<label for=\"");
  kb_html_escapes(b, id);
  kb_buf_adds(b, big ? "\">Wonach suchen Sie?</label>\n<div class=\"row\">"
                     : "\" class=\"sr\">Suchbegriff</label>\n");
  kb_buf_adds(b, "<div class=\"combo\"><input id=\"");
  kb_html_escapes(b, id);
  kb_buf_adds(b, "\" type=\"search\" name=\"q\" value=\"");
  kb_html_escapes(b, q ? q : "");
  kb_buf_adds(b, "\" maxlength=\"500\" autocomplete=\"off\" "
                 "spellcheck=\"false\" data-suggest");
  if (big) {
    kb_buf_adds(b, " aria-describedby=\"");
    kb_html_escapes(b, id);
    kb_buf_adds(b, "-hint\"");
  }
  kb_buf_adds(b, "></div>\n<button type=\"submit\">Suchen</button>\n");
  if (big) {
    kb_buf_adds(b, "</div>\n<p class=\"hint\" id=\"");
    kb_html_escapes(b, id);
    kb_buf_adds(b, "-hint\">Zum Beispiel: <i>BEM Datenschutz</i>, "
                   "<i>Hörbehinderung Telefon</i>, <i>§ 167 SGB IX</i></p>\n");
  }
  kb_buf_adds(b, "</form>\n");
}

static void param(kb_buf *b, bool *first, const char *key, const char *v) {
  kb_buf_addc(b, *first ? '?' : '&');
  *first = false;
  kb_buf_adds(b, key);
  kb_buf_addc(b, '=');
  kb_url_encodes(b, v);
}

void html_url(kb_buf *b, const char *path, const kb_search_request *req,
              size_t tf, const char *tv, unsigned page, kb_sort sort) {
  bool first = true;
  char n[16];
  kb_buf_adds(b, path);
  if (req->query && *req->query)
    param(b, &first, "q", req->query);
  const kb_schema *sc = req->schema;
  for (size_t f = 0; sc && f < sc->nfacets; f++) {
    bool toggled_present = false;
    for (size_t i = 0; i < req->nfilters[f]; i++) {
      if (tf == f && strcmp(req->filters[f][i], tv) == 0) {
        toggled_present = true; /* toggling removes it */
        continue;
      }
      param(b, &first, sc->facets[f].name, req->filters[f][i]);
    }
    if (tf == f && !toggled_present)
      param(b, &first, sc->facets[f].name, tv);
  }
  if (sort != KB_SORT_RELEVANCE)
    param(b, &first, "sort", kb_sort_name(sc, sort));
  if (req->per_page && req->per_page != KB_PER_PAGE_DEFAULT) {
    snprintf(n, sizeof n, "%u", req->per_page);
    param(b, &first, "per_page", n);
  }
  if (req->no_correction)
    param(b, &first, "exakt", "1");
  if (page > 1) {
    snprintf(n, sizeof n, "%u", page);
    param(b, &first, "page", n);
  }
}

void html_search_url(kb_buf *b, const kb_search_request *req, size_t tf,
                     const char *tv, unsigned page, kb_sort sort) {
  html_url(b, "/suche", req, tf, tv, page, sort);
}

void html_date(kb_buf *b, const char *iso) {
  if (iso && strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-') {
    kb_buf_add(b, iso + 8, 2);
    kb_buf_addc(b, '.');
    kb_buf_add(b, iso + 5, 2);
    kb_buf_addc(b, '.');
    kb_buf_add(b, iso, 4);
  } else {
    kb_html_escapes(b, iso);
  }
}

void html_count(kb_buf *b, uint64_t n) {
  kb_buf_addf(b, "%llu %s", (unsigned long long)n,
              n == 1 ? "Eintrag" : "Einträge");
}
