/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-record_body.c - web/record_body.c, the body of a record page:
 * section anchors, a table of contents from four sections on (with the
 * headings' text, tags stripped, escapes kept), tables in labelled,
 * focusable regions named after their section, and everything else
 * copied unchanged.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../web/record_body.h"
#include "testutil.h"

static kb_buf out;

/* The page markup for the body `html` (valid until the next call). */
static const char *body(const char *html) {
  kb_buf_release(&out);
  kb_buf_init(&out, 1 << 20);
  record_body(&out, html);
  ck_assert_int_eq(kb_buf_status(&out), KB_OK);
  return kb_buf_str(&out);
}

static size_t count(const char *s, const char *needle) {
  size_t n = 0;
  for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
    n++;
  return n;
}

START_TEST(few_sections_no_contents) {
  const char *b = body("<p>Eins.</p>\n<h2>A</h2>\n<p>x</p>\n<h2>B</h2>\n"
                       "<h3>Unter</h3>\n<h2>C</h2>\n");
  ck_assert_ptr_null(strstr(b, "class=\"toc\""));
  ck_assert_str_eq(b, "<div class=\"body\">\n<p>Eins.</p>\n"
                      "<h2 id=\"abschnitt-1\">A</h2>\n<p>x</p>\n"
                      "<h2 id=\"abschnitt-2\">B</h2>\n<h3>Unter</h3>\n"
                      "<h2 id=\"abschnitt-3\">C</h2>\n</div>\n");
}
END_TEST

START_TEST(four_sections_get_contents) {
  const char *b = body("<h2>Wer <em>zahlt</em>?</h2>\n<h2>Fristen &amp; "
                       "Formen</h2>\n<h2>Siehe <a href=\"/artikel/x\">BEM"
                       "</a></h2>\n<h2><code>§ 167</code></h2>\n");
  const char *toc = strstr(b, "<nav class=\"toc\" aria-label=\"Inhalt\">");
  ck_assert_ptr_nonnull(toc);
  ck_assert(toc < strstr(b, "<div class=\"body\">"));
  ck_assert_ptr_nonnull(strstr(b, "(4 Abschnitte)"));
  ck_assert_ptr_nonnull(
      strstr(b, "<ol>\n<li><a href=\"#abschnitt-1\">Wer zahlt?</a></li>\n"
                "<li><a href=\"#abschnitt-2\">Fristen &amp; Formen</a></li>\n"
                "<li><a href=\"#abschnitt-3\">Siehe BEM</a></li>\n"
                "<li><a href=\"#abschnitt-4\">§ 167</a></li>\n</ol>"));
  /* The headings keep their markup, with an anchor each. */
  ck_assert_ptr_nonnull(
      strstr(b, "<h2 id=\"abschnitt-3\">Siehe <a href=\"/artikel/x\">BEM"));
  ck_assert_uint_eq(count(b, "<h2 id=\"abschnitt-"), 4);
}
END_TEST

START_TEST(tables_in_labelled_regions) {
  const char *b =
      body("<table>\n<tr><td>vor</td></tr>\n</table>\n<h2>Tage &quot;je"
           "&quot; Kind</h2>\n<table>\n<thead></thead>\n</table>\n");
  ck_assert_ptr_nonnull(
      strstr(b, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
                "aria-label=\"Tabelle 1\"><table>\n<tr><td>vor</td></tr>\n"
                "</table></div>"));
  ck_assert_ptr_nonnull(
      strstr(b, "aria-label=\"Tabelle 2: Tage &quot;je&quot; Kind\"><table>"));
  ck_assert_uint_eq(count(b, "<table>"), count(b, "table-wrap"));
  ck_assert_uint_eq(count(b, "</table></div>"), 2);
}
END_TEST

START_TEST(long_heading_cut_on_a_character) {
  kb_buf html = KB_BUF_INIT(4096);
  kb_buf_adds(&html, "<h2>");
  for (int i = 0; i < 200; i++)
    kb_buf_adds(&html, "ä");
  kb_buf_adds(&html, "</h2><table></table>");
  const char *b = body(kb_buf_str(&html));
  kb_buf_release(&html);
  const char *label = strstr(b, "aria-label=\"Tabelle 1: ");
  ck_assert_ptr_nonnull(label);
  label += strlen("aria-label=\"Tabelle 1: ");
  size_t n = strcspn(label, "\"");
  ck_assert_uint_le(n, 302);
  ck_assert_uint_eq(n % 2, 0); /* whole two-byte characters */
}
END_TEST

START_TEST(plain_body_unchanged) {
  ck_assert_str_eq(body(""), "<div class=\"body\">\n</div>\n");
  ck_assert_str_eq(body("<p>a &lt;h2&gt; b</p>\n"),
                   "<div class=\"body\">\n<p>a &lt;h2&gt; b</p>\n</div>\n");
}
END_TEST

int main(void) {
  Suite *s = suite_create("record_body");
  TCase *tc = tcase_create("record_body");
  tcase_add_test(tc, few_sections_no_contents);
  tcase_add_test(tc, four_sections_get_contents);
  tcase_add_test(tc, tables_in_labelled_regions);
  tcase_add_test(tc, long_heading_cut_on_a_character);
  tcase_add_test(tc, plain_body_unchanged);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
