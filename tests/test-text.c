/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-text.c - the small text utilities: edit distance behind every
 * "did you mean", kb_closest, UTF-8 validation of everything read from
 * files and requests, calendar-checked ISO dates, and string vectors.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kb_text.h"
#include "testutil.h"

/* ---- edit distance --------------------------------------------------- */

START_TEST(distance_basic_edits) {
  ck_assert_uint_eq(kb_edit_distance("arbeitgeber", "arbeitgeber", 2), 0);
  /* deletion, insertion, substitution */
  ck_assert_uint_eq(kb_edit_distance("arbeitgber", "arbeitgeber", 2), 1);
  ck_assert_uint_eq(kb_edit_distance("arbeitgeberr", "arbeitgeber", 2), 1);
  ck_assert_uint_eq(kb_edit_distance("arbeitnehmer", "arbeitnahmer", 2), 1);
  ck_assert_uint_eq(kb_edit_distance("", "", 2), 0);
  ck_assert_uint_eq(kb_edit_distance("", "sbv", 3), 3);
  ck_assert_uint_eq(kb_edit_distance("sbv", "", 3), 3);
  /* Symmetric. */
  ck_assert_uint_eq(kb_edit_distance("betriebsrat", "betriebsart", 3),
                    kb_edit_distance("betriebsart", "betriebsrat", 3));
}
END_TEST

START_TEST(distance_transposition_is_one_edit) {
  /* Swapped neighbours, the commonest typo, cost one edit (OSA). */
  ck_assert_uint_eq(kb_edit_distance("arbeitgeebr", "arbeitgeber", 2), 1);
  ck_assert_uint_eq(kb_edit_distance("betriebsrta", "betriebsrat", 2), 1);
  ck_assert_uint_eq(kb_edit_distance("ab", "ba", 2), 1);
  ck_assert_uint_eq(kb_edit_distance("sbv", "bsv", 2), 1);
  /* Two separate transpositions: two edits. */
  ck_assert_uint_eq(kb_edit_distance("rabeitgeebr", "arbeitgeber", 3), 2);
  /* OSA, not full Damerau: "ca" -> "abc" is 3, not 2. */
  ck_assert_uint_eq(kb_edit_distance("ca", "abc", 5), 3);
}
END_TEST

START_TEST(distance_limit_exits_early) {
  /* Past the limit the answer is exactly limit + 1. */
  ck_assert_uint_eq(kb_edit_distance("abcdef", "uvwxyz", 2), 3);
  ck_assert_uint_eq(kb_edit_distance("abcdef", "uvwxyz", 6), 6);
  ck_assert_uint_eq(kb_edit_distance("sehbehinderung", "hoerbehinderung", 1),
                    2);
  ck_assert_uint_eq(kb_edit_distance("sehbehinderung", "hoerbehinderung", 5),
                    3);
  /* A length difference alone over the limit. */
  ck_assert_uint_eq(kb_edit_distance("bem", "eingliederungsmanagement", 2), 3);
  ck_assert_uint_eq(kb_edit_distance("x", "", 0), 1);
  ck_assert_uint_eq(kb_edit_distance("x", "x", 0), 0);
}
END_TEST

START_TEST(distance_long_input_bounded) {
  /* Over 256 bytes the work is refused, even for equal strings. */
  char a[400], b[400];
  memset(a, 'a', 399);
  a[399] = '\0';
  memcpy(b, a, sizeof b);
  ck_assert_uint_eq(kb_edit_distance(a, b, 2), 3);
  /* 256 bytes still compare. */
  a[256] = b[256] = '\0';
  ck_assert_uint_eq(kb_edit_distance(a, b, 2), 0);
  b[10] = 'b';
  ck_assert_uint_eq(kb_edit_distance(a, b, 2), 1);
}
END_TEST

START_TEST(distance_counts_bytes) {
  /* "ß" is two bytes, each replaced by an "s". */
  ck_assert_uint_eq(kb_edit_distance("strasse", "straße", 3), 2);
  ck_assert_uint_eq(kb_edit_distance("beschäftigte", "beschaeftigte", 3), 2);
}
END_TEST

START_TEST(closest_picks_nearest) {
  static const char *const audiences[] = {"arbeitgeber", "sbv", "betriebsrat",
                                          "beschaeftigte"};
  ck_assert_str_eq(kb_closest("arbeitgber", audiences, 4, 2), "arbeitgeber");
  ck_assert_str_eq(kb_closest("betriebsrta", audiences, 4, 2), "betriebsrat");
  ck_assert_str_eq(kb_closest("beschäftigte", audiences, 4, 2),
                   "beschaeftigte");
  ck_assert_str_eq(kb_closest("sbv", audiences, 4, 2), "sbv");
  /* Nothing within the limit. */
  ck_assert_ptr_null(kb_closest("personalrat", audiences, 4, 2));
  ck_assert_ptr_null(kb_closest("arbeitgber", audiences, 0, 2));
  ck_assert_ptr_null(kb_closest("arbeitgber", audiences, 4, 0));
  /* The result is one of the candidates (borrowed), not a copy. */
  ck_assert_ptr_eq(kb_closest("sbw", audiences, 4, 1), audiences[1]);
}
END_TEST

START_TEST(closest_ties_go_to_first) {
  static const char *const c[] = {"recht", "rechts", "bem"};
  ck_assert_str_eq(kb_closest("rechtx", c, 3, 2), "recht");
  static const char *const d[] = {"abd", "abc"};
  ck_assert_str_eq(kb_closest("abx", d, 2, 1), "abd");
}
END_TEST

/* ---- UTF-8 ------------------------------------------------------------ */

#define VALID(s) kb_utf8_valid((s), sizeof(s) - 1)

START_TEST(utf8_accepts_german_and_beyond) {
  ck_assert(VALID("Grüße aus Köln: Übergänge, Straße, Ärztin"));
  ck_assert(VALID("„Teilhabe“ – § 167 SGB IX, € 5"));
  ck_assert(VALID("🙂 \xF0\x9F\x91\x82")); /* four-byte forms */
  ck_assert(VALID(""));
  ck_assert(kb_utf8_valid("", 0));
  /* Edges of the valid ranges. */
  ck_assert(VALID("\x7F"));
  ck_assert(VALID("\xC2\x80"));         /* U+0080 */
  ck_assert(VALID("\xDF\xBF"));         /* U+07FF */
  ck_assert(VALID("\xE0\xA0\x80"));     /* U+0800 */
  ck_assert(VALID("\xED\x9F\xBF"));     /* U+D7FF */
  ck_assert(VALID("\xEE\x80\x80"));     /* U+E000 */
  ck_assert(VALID("\xEF\xBF\xBD"));     /* U+FFFD */
  ck_assert(VALID("\xF0\x90\x80\x80")); /* U+10000 */
  ck_assert(VALID("\xF4\x8F\xBF\xBF")); /* U+10FFFF */
  ck_assert(VALID("\xC2\xAD"));         /* soft hyphen is fine */
}
END_TEST

START_TEST(utf8_rejects_overlong) {
  ck_assert(!VALID("\xC0\xAF")); /* "/" in two bytes */
  ck_assert(!VALID("\xC1\xBF"));
  ck_assert(!VALID("\xC0\x80"));         /* "modified UTF-8" NUL */
  ck_assert(!VALID("\xE0\x80\xAF"));     /* "/" in three bytes */
  ck_assert(!VALID("\xE0\x9F\xBF"));     /* U+07FF in three bytes */
  ck_assert(!VALID("\xF0\x80\x80\xAF")); /* "/" in four bytes */
  ck_assert(!VALID("\xF0\x8F\xBF\xBF")); /* U+FFFF in four bytes */
}
END_TEST

START_TEST(utf8_rejects_surrogates) {
  ck_assert(!VALID("\xED\xA0\x80"));             /* U+D800 */
  ck_assert(!VALID("\xED\xBF\xBF"));             /* U+DFFF */
  ck_assert(!VALID("\xED\xA0\xBD\xED\xB8\x82")); /* CESU-8 pair */
  ck_assert(!VALID("Hallo \xED\xB0\x80 Welt"));
}
END_TEST

START_TEST(utf8_rejects_truncated) {
  ck_assert(!VALID("\xC3"));
  ck_assert(!VALID("Gr\xC3"));
  ck_assert(!VALID("\xE2\x82"));
  ck_assert(!VALID("\xF0\x9F\x99"));
  /* A lead byte followed by ASCII instead of a continuation. */
  ck_assert(!VALID("\xC3"
                   "A"));
  ck_assert(!VALID("\xE2\x82"
                   "A"));
  /* A lone continuation byte. */
  ck_assert(!VALID("\x80"));
  ck_assert(!VALID("abc\xBF"));
  /* Valid text cut in the middle of "ü" by the length given. */
  ck_assert(!kb_utf8_valid("Bür", 2));
  ck_assert(kb_utf8_valid("Bür", 3));
}
END_TEST

START_TEST(utf8_rejects_past_max_and_bad_leads) {
  ck_assert(!VALID("\xF4\x90\x80\x80")); /* U+110000 */
  ck_assert(!VALID("\xF5\x80\x80\x80"));
  ck_assert(!VALID("\xF7\xBF\xBF\xBF"));
  ck_assert(!VALID("\xF8\x88\x80\x80\x80")); /* old five-byte form */
  ck_assert(!VALID("\xFC\x84\x80\x80\x80\x80"));
  ck_assert(!VALID("\xFE"));
  ck_assert(!VALID("\xFF"));
  /* Latin-1 "für", the usual mojibake source. */
  ck_assert(!VALID("f\xFCr"));
}
END_TEST

START_TEST(utf8_rejects_nul) {
  ck_assert(!kb_utf8_valid("a\0b", 3));
  ck_assert(!kb_utf8_valid("\0", 1));
  /* The length decides: a NUL after n is not looked at. */
  ck_assert(kb_utf8_valid("a\0b", 1));
}
END_TEST

/* ---- dates ------------------------------------------------------------ */

static bool date_ok(const char *s, const char *want) {
  char out[9] = "XXXXXXXX";
  bool ok = kb_date_parse(s, out);
  if (ok)
    ck_assert_str_eq(out, want);
  else
    ck_assert_str_eq(out, "XXXXXXXX"); /* untouched on failure */
  return ok;
}

START_TEST(date_leap_years) {
  ck_assert(date_ok("2024-02-29", "20240229"));
  ck_assert(!date_ok("2026-02-29", NULL));
  ck_assert(date_ok("2026-02-28", "20260228"));
  ck_assert(date_ok("2000-02-29", "20000229")); /* divisible by 400 */
  ck_assert(!date_ok("1900-02-29", NULL));      /* by 100, not 400 */
  ck_assert(!date_ok("2100-02-29", NULL));
  ck_assert(!date_ok("2024-02-30", NULL));
}
END_TEST

START_TEST(date_month_lengths) {
  ck_assert(date_ok("2026-01-31", "20260131"));
  ck_assert(date_ok("2026-04-30", "20260430"));
  ck_assert(!date_ok("2026-04-31", NULL));
  ck_assert(!date_ok("2026-06-31", NULL));
  ck_assert(!date_ok("2026-09-31", NULL));
  ck_assert(!date_ok("2026-11-31", NULL));
  ck_assert(date_ok("2026-12-31", "20261231"));
  ck_assert(!date_ok("2026-13-01", NULL));
  ck_assert(!date_ok("2026-00-10", NULL));
  ck_assert(!date_ok("2026-05-00", NULL));
  ck_assert(!date_ok("2026-05-32", NULL));
}
END_TEST

START_TEST(date_bad_formats) {
  ck_assert(!date_ok("", NULL));
  ck_assert(!date_ok("2026-1-01", NULL));
  ck_assert(!date_ok("2026-01-1", NULL));
  ck_assert(!date_ok("26-01-01", NULL));
  ck_assert(!date_ok("2026/01/01", NULL));
  ck_assert(!date_ok("01.02.2026", NULL)); /* German style: not ISO */
  ck_assert(!date_ok("2026-01-01T10:00", NULL));
  ck_assert(!date_ok("2026-01-01 ", NULL));
  ck_assert(!date_ok(" 2026-01-01", NULL));
  ck_assert(!date_ok("2026-01-0a", NULL));
  ck_assert(!date_ok("2026-+1-01", NULL));
  ck_assert(!date_ok("２０２６-01-01", NULL)); /* full-width digits */
  ck_assert(!date_ok("heute", NULL));
  /* Years out of the plausible range. */
  ck_assert(!date_ok("1899-12-31", NULL));
  ck_assert(date_ok("1900-01-01", "19000101"));
  ck_assert(date_ok("2999-12-31", "29991231"));
  ck_assert(!date_ok("3000-01-01", NULL));
  ck_assert(!date_ok("0000-01-01", NULL));
}
END_TEST

START_TEST(date_today_is_parseable) {
  char today[11];
  kb_date_today(today);
  ck_assert_uint_eq(strlen(today), 10);
  char compact[9];
  ck_assert(kb_date_parse(today, compact));
  /* Compare with the C library's idea of today (UTC). */
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  char want[11];
  strftime(want, sizeof want, "%Y-%m-%d", &tm);
  ck_assert_str_eq(today, want);
}
END_TEST

/* ---- string vectors --------------------------------------------------- */

START_TEST(strv_push_contains_release) {
  kb_strv sv = {0};
  ck_assert(!kb_strv_contains(&sv, "sbv"));
  static const char *const words[] = {"arbeitgeber", "sbv", "betriebsrat",
                                      "beschaeftigte",
                                      "Schwerbehinderten"
                                      "vertretung"};
  for (int round = 0; round < 10; round++)
    for (size_t i = 0; i < 5; i++)
      ck_assert_int_eq(kb_strv_push(&sv, words[i]), KB_OK);
  ck_assert_uint_eq(sv.n, 50);
  ck_assert_uint_ge(sv.cap, 50);
  ck_assert_str_eq(sv.v[49], "Schwerbehindertenvertretung");
  ck_assert(kb_strv_contains(&sv, "sbv"));
  ck_assert(!kb_strv_contains(&sv, "SBV")); /* exact, case-sensitive */
  ck_assert(!kb_strv_contains(&sv, "sb"));
  /* Copies, not references. */
  char buf[] = "temporär";
  kb_strv_push(&sv, buf);
  buf[0] = 'X';
  ck_assert_str_eq(sv.v[50], "temporär");
  /* pushn copies exactly n bytes and terminates. */
  ck_assert_int_eq(kb_strv_pushn(&sv, "Hörgerät im Büro", 10), KB_OK);
  ck_assert_str_eq(sv.v[51], "Hörgerät");
  ck_assert_int_eq(kb_strv_pushn(&sv, "x", 0), KB_OK);
  ck_assert_str_eq(sv.v[52], "");
  kb_strv_release(&sv);
  ck_assert_uint_eq(sv.n, 0);
  ck_assert_ptr_null(sv.v);
  kb_strv_release(&sv); /* twice is fine */
}
END_TEST

int main(void) {
  Suite *s = suite_create("text");
  TCase *td = tcase_create("distance");
  tcase_add_test(td, distance_basic_edits);
  tcase_add_test(td, distance_transposition_is_one_edit);
  tcase_add_test(td, distance_limit_exits_early);
  tcase_add_test(td, distance_long_input_bounded);
  tcase_add_test(td, distance_counts_bytes);
  tcase_add_test(td, closest_picks_nearest);
  tcase_add_test(td, closest_ties_go_to_first);
  suite_add_tcase(s, td);

  TCase *tu = tcase_create("utf8");
  tcase_add_test(tu, utf8_accepts_german_and_beyond);
  tcase_add_test(tu, utf8_rejects_overlong);
  tcase_add_test(tu, utf8_rejects_surrogates);
  tcase_add_test(tu, utf8_rejects_truncated);
  tcase_add_test(tu, utf8_rejects_past_max_and_bad_leads);
  tcase_add_test(tu, utf8_rejects_nul);
  suite_add_tcase(s, tu);

  TCase *tt = tcase_create("dates");
  tcase_add_test(tt, date_leap_years);
  tcase_add_test(tt, date_month_lengths);
  tcase_add_test(tt, date_bad_formats);
  tcase_add_test(tt, date_today_is_parseable);
  suite_add_tcase(s, tt);

  TCase *tv = tcase_create("strv");
  tcase_add_test(tv, strv_push_contains_release);
  suite_add_tcase(s, tv);

  return tu_run_suite(s);
}
