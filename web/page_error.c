/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_error.c - the error page (404, 400, 503 ...): the site's layout,
 * a heading, one sentence in plain German and the way back.  Error pages
 * are not for search engines (noindex).
 */
#include "page_error.h"

#include "html.h"

void render_error_page(kb_buf *b, const char *title, const char *text) {
  html_page p = {.title = title, .query = "", .noindex = true};
  html_begin_page(b, &p);
  html_f(b,
         "<h1>%s</h1>\n"
         "<p>%s</p>\n"
         "<p><a href=\"/\">Zur Startseite</a></p>\n",
         title, text);
  html_end(b);
}
