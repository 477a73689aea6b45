/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-cite.c - legal citations: the forms people write ("§ 167 Abs. 2
 * SGB IX", "§167 SGB IX", "§§ 168 ff. SGB IX", "Art. 9 Abs. 2 DSGVO",
 * "Anlage 4 FeV", "SGB 9"), their canonical display form and index
 * terms, offsets in running text, the bare form for queries, and junk
 * that must not be taken for a citation.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "kb_cite.h"
#include "testutil.h"

/* Scans a NUL-terminated text. */
static size_t scan(const char *text, bool bare, kb_cite *out, size_t max) {
  return kb_cite_scan(text, strlen(text), bare, out, max);
}

/* Parses `s`, expecting exactly one citation, and returns it. */
static kb_cite parse1(const char *s) {
  kb_cite c[4];
  memset(c, 0, sizeof c);
  size_t n = kb_cite_parse(s, c, 4);
  ck_assert_msg(n == 1, "'%s': %zu citations", s, n);
  return c[0];
}

static void fmt_eq(const kb_cite *c, const char *want) {
  char buf[96];
  kb_cite_format(c, buf, sizeof buf);
  ck_assert_str_eq(buf, want);
}

static void term_eq(const kb_cite *c, bool with_abs, const char *want) {
  char buf[96];
  bool ok = kb_cite_term(c, with_abs, buf, sizeof buf);
  if (want == NULL) {
    ck_assert(!ok);
  } else {
    ck_assert(ok);
    ck_assert_str_eq(buf, want);
  }
}

START_TEST(paragraph_with_absatz) {
  kb_cite c = parse1("§ 167 Abs. 2 SGB IX");
  ck_assert_int_eq(c.kind, KB_CITE_PARA);
  ck_assert_str_eq(c.law, "SGB IX");
  ck_assert_str_eq(c.para, "167");
  ck_assert_str_eq(c.abs, "2");
  ck_assert_str_eq(c.satz, "");
  ck_assert(!c.ff);
  fmt_eq(&c, "§ 167 Abs. 2 SGB IX");
  term_eq(&c, false, "XCsgb ix§167");
  term_eq(&c, true, "XCsgb ix§167.2");
}
END_TEST

START_TEST(no_space_after_sign) {
  kb_cite c = parse1("§167 SGB IX");
  ck_assert_str_eq(c.law, "SGB IX");
  ck_assert_str_eq(c.para, "167");
  ck_assert_str_eq(c.abs, "");
  fmt_eq(&c, "§ 167 SGB IX");
  /* The same paragraph term as the spaced form: both find each other. */
  term_eq(&c, false, "XCsgb ix§167");
  term_eq(&c, true, NULL); /* no Absatz given */
}
END_TEST

START_TEST(spelled_out_and_nbsp) {
  kb_cite c = parse1("§ 167 Absatz 2 Satz 1 SGB IX");
  ck_assert_str_eq(c.abs, "2");
  ck_assert_str_eq(c.satz, "1");
  fmt_eq(&c, "§ 167 Abs. 2 Satz 1 SGB IX");
  /* No-break spaces, as word processors put them after "§". */
  c = parse1("§\xC2\xA0"
             "167 Abs.\xC2\xA0"
             "2 SGB IX");
  ck_assert_str_eq(c.law, "SGB IX");
  ck_assert_str_eq(c.abs, "2");
  c = parse1("§\xE2\x80\xAF"
             "45 SGB V"); /* narrow no-break space */
  ck_assert_str_eq(c.law, "SGB V");
  c = parse1("Art.\xC2\xA0"
             "9 DSGVO");
  ck_assert_str_eq(c.law, "DSGVO");
}
END_TEST

/* Fixed bug, kept as a regression test: a no-break space between "SGB" and its
 * book ("SGB&nbsp;IX", as Word and many legal web sites write it) is not
 * recognised: the scanner skips U+00A0 after "§" and "Abs.", but kb_cite_law's
 * word_len counts bytes >= 0x80 as letters, so "SGB\xC2\xA0IX" is read as one
 * unknown word and kb_cite_parse("§ 167 SGB\xC2\xA0IX") returns 0. */
START_TEST(nbsp_inside_law_name) {
  kb_cite c = parse1("§ 167 SGB\xC2\xA0IX");
  ck_assert_str_eq(c.law, "SGB IX");
  kb_cite s[2];
  const char *text = "nach § 45 SGB\xC2\xA0V gilt";
  ck_assert_uint_eq(scan(text, false, s, 2), 1);
  ck_assert_str_eq(s[0].law, "SGB V");
  c = parse1("§ 2 BITV\xC2\xA0"
             "2.0");
  ck_assert_str_eq(c.law, "BITV 2.0");
}
END_TEST

START_TEST(following_paragraphs) {
  kb_cite c = parse1("§§ 168 ff. SGB IX");
  ck_assert_str_eq(c.para, "168");
  ck_assert(c.ff);
  ck_assert_str_eq(c.law, "SGB IX");
  fmt_eq(&c, "§ 168 ff. SGB IX");
  term_eq(&c, false, "XCsgb ix§168");
  c = parse1("§ 164 f. SGB IX");
  ck_assert(c.ff);
}
END_TEST

START_TEST(list_of_paragraphs) {
  kb_cite c[4];
  ck_assert_uint_eq(kb_cite_parse("§§ 154, 160 SGB IX", c, 4), 2);
  ck_assert_str_eq(c[0].para, "154");
  ck_assert_str_eq(c[1].para, "160");
  /* The law at the end applies to every number. */
  ck_assert_str_eq(c[0].law, "SGB IX");
  ck_assert_str_eq(c[1].law, "SGB IX");
  fmt_eq(&c[0], "§ 154 SGB IX");
  fmt_eq(&c[1], "§ 160 SGB IX");
  ck_assert_uint_eq(kb_cite_parse("§§ 1 und 2 AGG", c, 4), 2);
  ck_assert_str_eq(c[1].law, "AGG");
  /* max bounds what is written. */
  ck_assert_uint_eq(kb_cite_parse("§§ 1, 2, 3 AGG", c, 2), 2);
}
END_TEST

START_TEST(article_of_regulation) {
  kb_cite c = parse1("Art. 9 Abs. 2 DSGVO");
  ck_assert_int_eq(c.kind, KB_CITE_ART);
  ck_assert_str_eq(c.law, "DSGVO");
  ck_assert_str_eq(c.para, "9");
  ck_assert_str_eq(c.abs, "2");
  fmt_eq(&c, "Art. 9 Abs. 2 DSGVO");
  term_eq(&c, false, "XCdsgvoart9");
  term_eq(&c, true, "XCdsgvoart9.2");
  /* "DS-GVO" and "Artikel" are the same thing. */
  c = parse1("Artikel 9 DS-GVO");
  ck_assert_int_eq(c.kind, KB_CITE_ART);
  ck_assert_str_eq(c.law, "DSGVO");
  term_eq(&c, false, "XCdsgvoart9");
}
END_TEST

START_TEST(annex) {
  kb_cite c = parse1("Anlage 4 FeV");
  ck_assert_int_eq(c.kind, KB_CITE_ANNEX);
  ck_assert_str_eq(c.law, "FeV");
  ck_assert_str_eq(c.para, "4");
  fmt_eq(&c, "Anlage 4 FeV");
  term_eq(&c, false, "XCfevanl4");
}
END_TEST

START_TEST(sgb_books_distinct) {
  kb_cite v = parse1("§ 45 SGB V");
  kb_cite vii = parse1("§ 45 SGB VII");
  ck_assert_str_eq(v.law, "SGB V");
  ck_assert_str_eq(vii.law, "SGB VII");
  char a[96], b[96];
  kb_cite_term(&v, false, a, sizeof a);
  kb_cite_term(&vii, false, b, sizeof b);
  ck_assert_str_ne(a, b);
  ck_assert_str_eq(a, "XCsgb v§45");
  ck_assert_str_eq(b, "XCsgb vii§45");
  /* Law terms (under a norm facet's prefix) differ as well. */
  kb_cite_law_term(v.law, "XFNORM:", a, sizeof a);
  kb_cite_law_term(vii.law, "XFNORM:", b, sizeof b);
  ck_assert_str_eq(a, "XFNORM:sgb v");
  ck_assert_str_eq(b, "XFNORM:sgb vii");
}
END_TEST

START_TEST(sgb_arabic_book) {
  kb_cite c = parse1("§ 167 SGB 9");
  ck_assert_str_eq(c.law, "SGB IX");
  term_eq(&c, false, "XCsgb ix§167");
  c = parse1("§ 45 SGB 5");
  ck_assert_str_eq(c.law, "SGB V");
  c = parse1("§ 3 SGB 12");
  ck_assert_str_eq(c.law, "SGB XII");
  char canon[24];
  ck_assert_uint_eq(kb_cite_law("SGB 9", 5, canon, sizeof canon), 5);
  ck_assert_str_eq(canon, "SGB IX");
  ck_assert_uint_eq(kb_cite_law("SGB IX ist", 10, canon, sizeof canon), 6);
  ck_assert_str_eq(canon, "SGB IX");
  /* SGB without a book, or with a book that does not exist. */
  ck_assert_uint_eq(kb_cite_law("SGB", 3, canon, sizeof canon), 0);
  ck_assert_uint_eq(kb_cite_law("SGB 15", 6, canon, sizeof canon), 0);
  ck_assert_uint_eq(kb_cite_law("SGB XV", 6, canon, sizeof canon), 0);
  ck_assert_uint_eq(kb_cite_law("SGB IXa", 7, canon, sizeof canon), 0);
}
END_TEST

START_TEST(number_and_letter_details) {
  /* Nr. with a detached letter: the paragraph stays 19, Absatz 1. */
  kb_cite c = parse1("§ 19 Abs. 1 Nr. 2 b BBiG");
  ck_assert_str_eq(c.law, "BBiG");
  ck_assert_str_eq(c.para, "19");
  ck_assert_str_eq(c.abs, "1");
  fmt_eq(&c, "§ 19 Abs. 1 BBiG");
  term_eq(&c, false, "XCbbig§19");
  term_eq(&c, true, "XCbbig§19.1");
  /* A paragraph with a letter. */
  c = parse1("§ 42q HwO");
  ck_assert_str_eq(c.para, "42q");
  ck_assert_str_eq(c.law, "HwO");
  fmt_eq(&c, "§ 42q HwO");
  term_eq(&c, false, "XChwo§42q");
  c = parse1("§ 26b SGB IX");
  ck_assert_str_eq(c.para, "26b");
  c = parse1("Art. 6 Abs. 1 lit. b DSGVO");
  ck_assert_str_eq(c.para, "6");
  ck_assert_str_eq(c.abs, "1");
}
END_TEST

START_TEST(known_and_shaped_laws) {
  kb_cite c = parse1("§ 616 BGB");
  ck_assert_str_eq(c.law, "BGB");
  c = parse1("§ 3 ArbStättV");
  ck_assert_str_eq(c.law, "ArbStättV");
  term_eq(&c, false, "XCarbstättv§3"); /* ASCII lower-cased only */
  c = parse1("§ 2 BITV 2.0");
  ck_assert_str_eq(c.law, "BITV 2.0");
  /* An unknown abbreviation shaped like a German law is accepted. */
  c = parse1("§ 5 LGBG");
  ck_assert_str_eq(c.law, "LGBG");
  /* Words that are not laws are not. */
  kb_cite out[2];
  ck_assert_uint_eq(kb_cite_parse("§ 5 Gesetz", out, 2), 0);
  ck_assert_uint_eq(kb_cite_parse("§ 5 ABC", out, 2), 0);
  ck_assert_uint_eq(kb_cite_parse("§ 5 sgb ix", out, 2), 0);
}
END_TEST

START_TEST(parse_rejects_trailing_and_junk) {
  kb_cite c[4];
  ck_assert_uint_eq(kb_cite_parse("§ 167 SGB IX und mehr", c, 4), 0);
  ck_assert_uint_eq(kb_cite_parse("§ 167 SGB IX.", c, 4), 0);
  ck_assert_uint_eq(kb_cite_parse("siehe § 167 SGB IX", c, 4), 0);
  ck_assert_uint_eq(kb_cite_parse("§ 167 SGB IX, § 168 SGB IX", c, 4), 0);
  ck_assert_uint_eq(kb_cite_parse("§ 167", c, 4), 0);
  ck_assert_uint_eq(kb_cite_parse("SGB IX", c, 4), 0);
  ck_assert_uint_eq(kb_cite_parse("167 SGB IX", c, 4), 0); /* needs § */
  ck_assert_uint_eq(kb_cite_parse("", c, 4), 0);
  ck_assert_uint_eq(kb_cite_parse("§§§", c, 4), 0);
  ck_assert_uint_eq(kb_cite_parse("§ abc SGB IX", c, 4), 0);
  ck_assert_uint_eq(kb_cite_parse("Art. DSGVO", c, 4), 0);
  ck_assert_uint_eq(kb_cite_parse("§ 1234567 BGB", c, 4), 0);
  ck_assert_uint_eq(kb_cite_parse("§ 167 Abs. SGB IX", c, 4), 0);
  /* Surrounding blanks are fine. */
  ck_assert_uint_eq(kb_cite_parse("  § 167 SGB IX  ", c, 4), 1);
}
END_TEST

START_TEST(scan_running_text_with_offsets) {
  const char *text = "Nach § 167 Abs. 2 SGB IX muss der Arbeitgeber das BEM "
                     "anbieten; Gesundheitsdaten schützt Art. 9 DSGVO, "
                     "das Kinderkrankengeld regelt § 45 SGB V.";
  kb_cite c[8];
  size_t n = scan(text, false, c, 8);
  ck_assert_uint_eq(n, 3);
  const char *cites[] = {"§ 167 Abs. 2 SGB IX", "Art. 9 DSGVO", "§ 45 SGB V"};
  for (size_t i = 0; i < 3; i++) {
    const char *at = strstr(text, cites[i]);
    ck_assert_ptr_nonnull(at);
    ck_assert_uint_eq(c[i].start, (size_t)(at - text));
    ck_assert_uint_eq(c[i].end, (size_t)(at - text) + strlen(cites[i]));
    fmt_eq(&c[i], cites[i]);
  }
}
END_TEST

START_TEST(scan_list_shares_offsets) {
  const char *text = "Siehe §§ 154, 160 SGB IX.";
  kb_cite c[4];
  ck_assert_uint_eq(scan(text, false, c, 4), 2);
  const char *at = strstr(text, "§§");
  ck_assert_uint_eq(c[0].start, (size_t)(at - text));
  ck_assert_uint_eq(c[1].start, c[0].start);
  ck_assert_uint_eq(c[0].end, c[1].end);
  ck_assert_int_eq(text[c[0].end], '.');
}
END_TEST

START_TEST(scan_counts_past_max) {
  const char *text = "§ 1 AGG, § 2 AGG, § 3 AGG, § 4 AGG";
  kb_cite c[2];
  memset(c, 0, sizeof c);
  /* Reports all four, writes two. */
  ck_assert_uint_eq(scan(text, false, c, 2), 4);
  ck_assert_str_eq(c[0].para, "1");
  ck_assert_str_eq(c[1].para, "2");
  ck_assert_uint_eq(scan(text, false, NULL, 0), 4);
}
END_TEST

START_TEST(bare_only_when_asked) {
  const char *q = "167 SGB IX kündigung";
  kb_cite c[2];
  ck_assert_uint_eq(scan(q, false, c, 2), 0);
  ck_assert_uint_eq(scan(q, true, c, 2), 1);
  ck_assert_str_eq(c[0].para, "167");
  ck_assert_str_eq(c[0].law, "SGB IX");
  ck_assert_int_eq(c[0].kind, KB_CITE_PARA);
  ck_assert_uint_eq(c[0].start, 0);
  ck_assert_uint_eq(c[0].end, strlen("167 SGB IX"));
  /* Bare numbers inside words or longer numbers are no citations. */
  ck_assert_uint_eq(scan("A167 SGB IX", true, c, 2), 0);
  ck_assert_uint_eq(scan("seit 2018 gilt das", true, c, 2), 0);
  ck_assert_uint_eq(scan("12 Wochen", true, c, 2), 0);
}
END_TEST

START_TEST(junk_not_matched) {
  kb_cite c[4];
  static const char *const junk[] = {
      "§§§",     "§ abc",       "Art. DSGVO", "§",
      "§ ",      "§§ , SGB IX", "Art.9",      "Startseite Art. x",
      "§ 5 abc", "\xC2",        "§ 167 SGB",
  };
  for (size_t i = 0; i < sizeof junk / sizeof *junk; i++) {
    ck_assert_msg(scan(junk[i], false, c, 4) == 0, "'%s' matched", junk[i]);
    ck_assert_msg(scan(junk[i], true, c, 4) == 0, "'%s' matched bare", junk[i]);
  }
  /* Words that merely start like a marker are no marker; with `bare`
   * the number and law behind them still count. */
  ck_assert_uint_eq(scan("Anlagen 4 FeV", false, c, 4), 0);
  ck_assert_uint_eq(scan("Abs. 2 SGB IX", false, c, 4), 0);
  ck_assert_uint_eq(scan("Artikelserie 9 DSGVO", false, c, 4), 0);
  ck_assert_uint_eq(scan("Anlagen 4 FeV", true, c, 4), 1);
  ck_assert_int_eq(c[0].kind, KB_CITE_PARA);
  /* Many section signs in a row: no match, and no runaway. */
  char many[1001];
  for (int i = 0; i < 500; i++)
    memcpy(many + 2 * i, "§", 2);
  many[1000] = '\0';
  ck_assert_uint_eq(scan(many, true, c, 4), 0);
}
END_TEST

START_TEST(junk_then_real_citation) {
  /* A failed start does not swallow the real citation behind it. */
  const char *text = "§§§ § abc § 167 SGB IX";
  kb_cite c[2];
  ck_assert_uint_eq(scan(text, false, c, 2), 1);
  ck_assert_str_eq(c[0].para, "167");
  ck_assert_uint_eq(c[0].start, (size_t)(strstr(text, "§ 167") - text));
}
END_TEST

START_TEST(format_fits_small_buffers) {
  kb_cite c = parse1("§ 167 Abs. 2 Satz 1 SGB IX");
  char small[8];
  kb_cite_format(&c, small, sizeof small);
  ck_assert_uint_lt(strlen(small), sizeof small);
  char tiny[4];
  kb_cite_term(&c, false, tiny, sizeof tiny);
  ck_assert_str_eq(tiny, "XCs");
}
END_TEST

int main(void) {
  Suite *s = suite_create("cite");
  TCase *tp = tcase_create("parse");
  tcase_add_test(tp, paragraph_with_absatz);
  tcase_add_test(tp, no_space_after_sign);
  tcase_add_test(tp, spelled_out_and_nbsp);
  /* Fixed bug, kept as a regression test: "SGB\xC2\xA0IX" (no-break space
   * inside the law name) is not recognised; see the test. */
  tcase_add_test(tp, nbsp_inside_law_name);
  tcase_add_test(tp, following_paragraphs);
  tcase_add_test(tp, list_of_paragraphs);
  tcase_add_test(tp, article_of_regulation);
  tcase_add_test(tp, annex);
  tcase_add_test(tp, sgb_books_distinct);
  tcase_add_test(tp, sgb_arabic_book);
  tcase_add_test(tp, number_and_letter_details);
  tcase_add_test(tp, known_and_shaped_laws);
  tcase_add_test(tp, parse_rejects_trailing_and_junk);
  tcase_add_test(tp, format_fits_small_buffers);
  suite_add_tcase(s, tp);

  TCase *ts = tcase_create("scan");
  tcase_add_test(ts, scan_running_text_with_offsets);
  tcase_add_test(ts, scan_list_shares_offsets);
  tcase_add_test(ts, scan_counts_past_max);
  tcase_add_test(ts, bare_only_when_asked);
  tcase_add_test(ts, junk_not_matched);
  tcase_add_test(ts, junk_then_real_citation);
  suite_add_tcase(s, ts);

  return tu_run_suite(s);
}
