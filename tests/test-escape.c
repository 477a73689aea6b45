/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-escape.c - the one HTML escaper and the one URL encoder: every
 * character special in HTML text or attributes is escaped, a NUL byte
 * never reaches a page, UTF-8 passes through untouched, and URL query
 * components are percent-encoded byte for byte.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "kb_escape.h"
#include "testutil.h"

/* Escapes `n` bytes of `s` into a fresh buffer; returns an owned copy. */
static char *html(const char *s, size_t n) {
  kb_buf b = KB_BUF_INIT(1 << 16);
  ck_assert_int_eq(kb_html_escape(&b, s, n), KB_OK);
  return kb_buf_detach(&b, NULL);
}

static char *url(const char *s) {
  kb_buf b = KB_BUF_INIT(1 << 16);
  ck_assert_int_eq(kb_url_encodes(&b, s), KB_OK);
  return kb_buf_detach(&b, NULL);
}

#define HTML_EQ(in, want)                                                      \
  do {                                                                         \
    char *got_ = html((in), strlen(in));                                       \
    ck_assert_str_eq(got_, (want));                                            \
    free(got_);                                                                \
  } while (0)

#define URL_EQ(in, want)                                                       \
  do {                                                                         \
    char *got_ = url(in);                                                      \
    ck_assert_str_eq(got_, (want));                                            \
    free(got_);                                                                \
  } while (0)

START_TEST(html_every_special_char) {
  HTML_EQ("&", "&amp;");
  HTML_EQ("<", "&lt;");
  HTML_EQ(">", "&gt;");
  HTML_EQ("\"", "&quot;");
  HTML_EQ("'", "&#39;");
  HTML_EQ("<script>alert('x')</script>",
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  /* An attribute value cannot be broken out of with either quote. */
  HTML_EQ("\" onmouseover=\"alert(1)", "&quot; onmouseover=&quot;alert(1)");
  HTML_EQ("' onfocus='x", "&#39; onfocus=&#39;x");
}
END_TEST

START_TEST(html_text_runs_kept) {
  HTML_EQ("", "");
  HTML_EQ("Betriebliches Eingliederungsmanagement",
          "Betriebliches Eingliederungsmanagement");
  HTML_EQ("Arbeitgeber & SBV <gemeinsam>",
          "Arbeitgeber &amp; SBV &lt;gemeinsam&gt;");
  /* Escaping is applied once: an entity in the data is shown as typed. */
  HTML_EQ("&amp; &lt;", "&amp;amp; &amp;lt;");
  HTML_EQ("<<>>&&", "&lt;&lt;&gt;&gt;&amp;&amp;");
}
END_TEST

START_TEST(html_nul_replaced) {
  char *got = html("a\0b", 3);
  ck_assert_str_eq(got, "a\xEF\xBF\xBD"
                        "b"); /* U+FFFD */
  ck_assert_uint_eq(strlen(got), 5);
  free(got);
  got = html("\0\0", 2);
  ck_assert_str_eq(got, "\xEF\xBF\xBD\xEF\xBF\xBD");
  free(got);
}
END_TEST

START_TEST(html_utf8_unchanged) {
  const char *s = "Übergänge für Ärztinnen: Straße, Größe, € 5, "
                  "„Teilhabe“ – § 167 SGB IX 🙂";
  HTML_EQ(s, s);
  /* Bytes that are not valid UTF-8 are not the escaper's business, but
   * they must not be dropped or change the escaping of what follows. */
  char *got = html("\xC3<", 2);
  ck_assert_str_eq(got, "\xC3&lt;");
  free(got);
}
END_TEST

START_TEST(html_length_is_respected) {
  /* Only n bytes are read, even without a NUL at n. */
  char *got = html("<b>fett</b>", 3);
  ck_assert_str_eq(got, "&lt;b&gt;");
  free(got);
}
END_TEST

START_TEST(html_escapes_null_and_string) {
  kb_buf b = KB_BUF_INIT(64);
  ck_assert_int_eq(kb_html_escapes(&b, NULL), KB_OK);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_int_eq(kb_html_escapes(&b, "a<b"), KB_OK);
  ck_assert_int_eq(kb_html_escapes(&b, NULL), KB_OK);
  ck_assert_str_eq(kb_buf_str(&b), "a&lt;b");
  kb_buf_release(&b);
}
END_TEST

START_TEST(html_respects_buffer_cap) {
  kb_buf b = KB_BUF_INIT(6);
  /* "&lt;" fits, the second does not: the error is reported. */
  ck_assert_int_eq(kb_html_escape(&b, "<<", 2), KB_ERR_LIMIT);
  ck_assert_int_eq(kb_buf_status(&b), KB_ERR_LIMIT);
  /* Never a partial entity at the end. */
  ck_assert_str_eq(kb_buf_str(&b), "&lt;");
  kb_buf_release(&b);
  /* Appends after an earlier error report it too. */
  kb_buf c = KB_BUF_INIT(2);
  kb_buf_adds(&c, "abc");
  ck_assert_int_eq(kb_html_escapes(&c, "x"), KB_ERR_LIMIT);
  ck_assert_int_eq(kb_html_escapes(&c, NULL), KB_ERR_LIMIT);
  kb_buf_release(&c);
}
END_TEST

START_TEST(url_umlauts_and_spaces) {
  URL_EQ("Hörgerät am Arbeitsplatz", "H%C3%B6rger%C3%A4t+am+Arbeitsplatz");
  URL_EQ("Straße", "Stra%C3%9Fe");
  URL_EQ("§ 167 SGB IX", "%C2%A7+167+SGB+IX");
  URL_EQ("", "");
}
END_TEST

START_TEST(url_delimiters_encoded) {
  /* Characters that would end or split a query component. */
  URL_EQ("a&b=c#d", "a%26b%3Dc%23d");
  URL_EQ("typ=recht&seite=2", "typ%3Drecht%26seite%3D2");
  URL_EQ("1+1", "1%2B1"); /* a literal plus is not a space */
  URL_EQ("50%", "50%25");
  URL_EQ("a/b?c", "a%2Fb%3Fc");
  URL_EQ("\"<>'", "%22%3C%3E%27");
  URL_EQ("a\tb\nc", "a%09b%0Ac");
}
END_TEST

START_TEST(url_unreserved_kept) {
  URL_EQ("AZaz09-_.~", "AZaz09-_.~");
  URL_EQ("psychische-erkrankung", "psychische-erkrankung");
}
END_TEST

START_TEST(url_binary_and_null) {
  kb_buf b = KB_BUF_INIT(64);
  ck_assert_int_eq(kb_url_encode(&b, "a\0\xFF", 3), KB_OK);
  ck_assert_str_eq(kb_buf_str(&b), "a%00%FF");
  ck_assert_int_eq(kb_url_encodes(&b, NULL), KB_OK);
  ck_assert_str_eq(kb_buf_str(&b), "a%00%FF");
  kb_buf_release(&b);
}
END_TEST

START_TEST(url_respects_buffer_cap) {
  kb_buf b = KB_BUF_INIT(4);
  ck_assert_int_eq(kb_url_encodes(&b, "ää"), KB_ERR_LIMIT);
  ck_assert_uint_le(b.len, 4);
  kb_buf_release(&b);
}
END_TEST

/* XML text: escaped like HTML, control characters XML 1.0 forbids
 * dropped, tab and newline kept. */
START_TEST(xml_drops_control_characters) {
  kb_buf b = KB_BUF_INIT(1 << 16);
  ck_assert_int_eq(kb_xml_escapes(&b, "a\x01<b>\x1f\t&\n\"c\""), KB_OK);
  ck_assert_str_eq(kb_buf_str(&b), "a&lt;b&gt;\t&amp;\n&quot;c&quot;");
  ck_assert_int_eq(kb_xml_escapes(&b, NULL), KB_OK);
  kb_buf_release(&b);
}
END_TEST

int main(void) {
  Suite *s = suite_create("escape");
  TCase *th = tcase_create("html");
  tcase_add_test(th, html_every_special_char);
  tcase_add_test(th, html_text_runs_kept);
  tcase_add_test(th, html_nul_replaced);
  tcase_add_test(th, html_utf8_unchanged);
  tcase_add_test(th, html_length_is_respected);
  tcase_add_test(th, html_escapes_null_and_string);
  tcase_add_test(th, html_respects_buffer_cap);
  tcase_add_test(th, xml_drops_control_characters);
  suite_add_tcase(s, th);

  TCase *tu = tcase_create("url");
  tcase_add_test(tu, url_umlauts_and_spaces);
  tcase_add_test(tu, url_delimiters_encoded);
  tcase_add_test(tu, url_unreserved_kept);
  tcase_add_test(tu, url_binary_and_null);
  tcase_add_test(tu, url_respects_buffer_cap);
  suite_add_tcase(s, tu);

  return tu_run_suite(s);
}
