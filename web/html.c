/*
 * html.c - page layout and URL building (see html.h).
 */
#include "html.h"

#include <stdio.h>
#include <string.h>

#include "kb_escape.h"

void html_begin(kb_buf *b, const char *title, const char *query, bool home) {
  kb_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n"
                 "<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, "
                 "initial-scale=1\">\n<title>");
  kb_html_escapes(b, title);
  kb_buf_adds(b, home ? "" : " – teilhabe");
  kb_buf_adds(b,
              "</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
              "</head>\n<body>\n"
              "<a class=\"skip\" href=\"#inhalt\">Zum Inhalt springen</a>\n"
              "<header class=\"site\">\n<div class=\"wrap\">\n"
              "<a class=\"brand\" href=\"/\">teilhabe"
              "<span class=\"tagline\">Wissen zu Behinderung und Arbeit"
              "</span></a>\n");
  if (!home) {
    kb_buf_adds(b, "<form class=\"search\" role=\"search\" action=\"/suche\" "
                   "method=\"get\">\n<label for=\"q-top\">Suchbegriff</label>\n"
                   "<input id=\"q-top\" type=\"search\" name=\"q\" value=\"");
    kb_html_escapes(b, query ? query : "");
    kb_buf_adds(b, "\" maxlength=\"500\" autocomplete=\"off\">\n"
                   "<button type=\"submit\">Suchen</button>\n</form>\n");
  }
  kb_buf_adds(b, "</div>\n</header>\n<main id=\"inhalt\" class=\"wrap\" "
                 "tabindex=\"-1\">\n");
}

void html_end(kb_buf *b) {
  kb_buf_adds(b,
              "</main>\n<footer class=\"site\">\n<div class=\"wrap\">\n"
              "<p>teilhabe ist eine freie Wissenssammlung zu Behinderung und "
              "Arbeit. Die Artikel ersetzen keine Rechtsberatung; maßgeblich "
              "ist der jeweils angegebene Stand.</p>\n"
              "<p>Diese Seite speichert keine Suchanfragen und setzt keine "
              "Cookies.</p>\n</div>\n</footer>\n</body>\n</html>\n");
}

static void param(kb_buf *b, bool *first, const char *key, const char *v) {
  kb_buf_addc(b, *first ? '?' : '&');
  *first = false;
  kb_buf_adds(b, key);
  kb_buf_addc(b, '=');
  kb_url_encodes(b, v);
}

void html_search_url(kb_buf *b, const kb_search_request *req, kb_facet tf,
                     const char *tv, unsigned page, kb_sort sort) {
  bool first = true;
  kb_buf_adds(b, "/suche");
  if (req->query && *req->query)
    param(b, &first, "q", req->query);
  for (int f = 0; f < KB_FACET_COUNT; f++) {
    bool toggled_present = false;
    for (size_t i = 0; i < req->nfilters[f]; i++) {
      if ((int)tf == f && strcmp(req->filters[f][i], tv) == 0) {
        toggled_present = true; /* toggling removes it */
        continue;
      }
      param(b, &first, kb_facet_name((kb_facet)f), req->filters[f][i]);
    }
    if ((int)tf == f && !toggled_present)
      param(b, &first, kb_facet_name((kb_facet)f), tv);
  }
  if (sort == KB_SORT_UPDATED)
    param(b, &first, "sort", "updated");
  if (page > 1) {
    char n[16];
    snprintf(n, sizeof n, "%u", page);
    param(b, &first, "page", n);
  }
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
