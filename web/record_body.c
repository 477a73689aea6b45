/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record_body.c - the rendered Markdown of a record page, made to read on
 * a phone (see record_body.h): sections get anchors and, past three, a
 * table of contents; tables sit in a labelled, keyboard-scrollable box.
 *
 * The HTML is cmark-gfm's, rendered in safe mode at index time: text in
 * it is escaped, so "<h2>", "</h2>", "<table>" and "</table>" occur only
 * as the tags cmark-gfm wrote (without attributes: no sourcepos).  This
 * file adds attributes and wrappers around them and copies everything
 * else as it is; the only text it takes out of the body (heading text
 * for the contents and the table labels) is stripped of tags, which
 * leaves escaped text.
 */
#include "record_body.h"

#include <string.h>

/* Sections a record needs before it gets a table of contents. */
#define TOC_MIN 4
/* Bytes of a section heading used in the contents and table labels. */
#define HEADING_MAX 300

static const char H2[] = "<h2>", H2_END[] = "</h2>";
static const char TABLE[] = "<table>", TABLE_END[] = "</table>";

/* Appends the `n` bytes of HTML at `s` without its tags (escaped text
 * stays escaped), at most HEADING_MAX of them, cut at a character. */
static void text_of(kb_buf *b, const char *s, size_t n) {
  bool in_tag = false;
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '<')
      in_tag = true;
    else if (s[i] == '>')
      in_tag = false;
    else if (!in_tag) {
      if (kept >= HEADING_MAX && ((unsigned char)s[i] & 0xC0) != 0x80)
        break;
      kb_buf_addc(b, s[i]);
      kept++;
    }
  }
}

/* The number of <h2> sections in `html`. */
static size_t count_sections(const char *html) {
  size_t n = 0;
  for (const char *p = strstr(html, H2); p; p = strstr(p + 1, H2))
    n++;
  return n;
}

/* The table of contents: a link to every section, folded on small
 * screens (style.css shows it open on wide ones and on paper). */
static void contents(kb_buf *b, const char *html, size_t n) {
  kb_buf_addf(b,
              "<nav class=\"toc\" aria-label=\"Inhalt\">\n"
              "<details class=\"fold\"><summary>Inhalt "
              "<span class=\"count\">(%zu Abschnitte)</span></summary>\n"
              "<p class=\"toc-head\" aria-hidden=\"true\">Inhalt</p>\n<ol>\n",
              n);
  size_t i = 0;
  for (const char *p = strstr(html, H2); p; p = strstr(p, H2)) {
    p += sizeof H2 - 1;
    const char *end = strstr(p, H2_END);
    if (end == NULL)
      break;
    kb_buf_addf(b, "<li><a href=\"#abschnitt-%zu\">", ++i);
    text_of(b, p, (size_t)(end - p));
    kb_buf_adds(b, "</a></li>\n");
    p = end;
  }
  kb_buf_adds(b, "</ol>\n</details>\n</nav>\n");
}

void record_body(kb_buf *b, const char *html) {
  size_t sections = count_sections(html);
  if (sections >= TOC_MIN)
    contents(b, html, sections);
  kb_buf_adds(b, "<div class=\"body\">\n");
  size_t section = 0, table = 0;
  const char *heading = NULL, *heading_end = NULL;
  const char *p = html;
  for (;;) {
    const char *h = strstr(p, H2), *t = strstr(p, TABLE);
    const char *next = h && (t == NULL || h < t) ? h : t;
    if (next == NULL)
      break;
    kb_buf_add(b, p, (size_t)(next - p));
    if (next == h) {
      kb_buf_addf(b, "<h2 id=\"abschnitt-%zu\">", ++section);
      heading = h + sizeof H2 - 1;
      heading_end = strstr(heading, H2_END);
      p = heading;
      continue;
    }
    const char *end = strstr(t, TABLE_END);
    if (end == NULL)
      break; /* NEVER: cmark-gfm closes what it opens */
    end += sizeof TABLE_END - 1;
    /* A box the keyboard can scroll (focusable), named for screen
     * readers after its section. */
    kb_buf_addf(b,
                "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
                "aria-label=\"Tabelle %zu",
                ++table);
    if (heading && heading_end) {
      kb_buf_adds(b, ": ");
      text_of(b, heading, (size_t)(heading_end - heading));
    }
    kb_buf_adds(b, "\">");
    kb_buf_add(b, t, (size_t)(end - t));
    kb_buf_adds(b, "</div>");
    p = end;
  }
  kb_buf_adds(b, p);
  kb_buf_adds(b, "</div>\n");
}
