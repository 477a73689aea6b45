/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-filenumber.c - courts' file numbers as search keys: the keys a
 * record is indexed under (every tail of the number, the year as two
 * digits, lower case without blanks), the forms people write that must
 * meet them, and the scan of a query that finds a file number in running
 * text without taking fractions, dates or short words for one.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "kb_filenumber.h"
#include "testutil.h"

/* The keys of `s` (kb_filenumber_keys must return `ok`). */
static kb_strv keys_of(const char *s, bool ok) {
  kb_strv v = {0};
  ck_assert_msg(kb_filenumber_keys(s, &v) == ok,
                "'%s' should %sbe a file number", s, ok ? "" : "not ");
  ck_assert_uint_le(v.n, 4 * KB_FILENUMBER_MAX_KEYS);
  return v;
}

static void has_key(const kb_strv *v, const char *key) {
  if (!kb_strv_contains(v, key))
    for (size_t i = 0; i < v->n; i++)
      fprintf(stderr, "  key %zu: %s\n", i, v->v[i]);
  ck_assert_msg(kb_strv_contains(v, key), "key '%s' missing", key);
}

/* Asserts that the keys of `s` are exactly `want` (NULL-terminated), in
 * order: the longest first. */
static void keys_are(const char *s, const char *const *want) {
  kb_strv v = keys_of(s, true);
  size_t n = 0;
  while (want[n])
    n++;
  if (v.n != n)
    for (size_t i = 0; i < v.n; i++)
      fprintf(stderr, "  %s: key %zu: %s\n", s, i, v.v[i]);
  ck_assert_uint_eq(v.n, n);
  for (size_t i = 0; i < n; i++)
    ck_assert_str_eq(v.v[i], want[i]);
  kb_strv_release(&v);
}

/* The first key of `s`: its full form. */
static void full_key_is(const char *s, const char *key) {
  kb_strv v = keys_of(s, true);
  ck_assert_uint_ge(v.n, 1);
  ck_assert_str_eq(v.v[0], key);
  kb_strv_release(&v);
}

/* ---- keys -------------------------------------------------------------- */

START_TEST(federal_labour_court) {
  /* Every tail a person may type: with senate, without, just the number. */
  static const char *const want[] = {"2azr716/06", "azr716/06", "716/06", NULL};
  keys_are("2 AZR 716/06", want);
}
END_TEST

START_TEST(spellings_meet) {
  /* A one-digit year is padded, a four-digit year cut, case ignored. */
  full_key_is("2 AZR 716/06", "2azr716/06");
  full_key_is("2 AZR 716/6", "2azr716/06");
  full_key_is("2 azr 716/2006", "2azr716/06");
  full_key_is("  2   AZR\t716/06 ", "2azr716/06");
  kb_strv a = keys_of("2 AZR 716/6", true), b = keys_of("2 azr 716/2006", true);
  ck_assert_uint_eq(a.n, b.n);
  for (size_t i = 0; i < a.n; i++)
    ck_assert_str_eq(a.v[i], b.v[i]);
  kb_strv_release(&a);
  kb_strv_release(&b);
  /* Written without blanks, as the header promises people do. */
  full_key_is("2AZR716/06", "2azr716/06");
}
END_TEST

START_TEST(social_court_trailing_register) {
  /* "B 5 R 2/20 R": the register letter after the number is part of it,
   * and a query may leave it out. */
  kb_strv v = keys_of("B 5 R 2/20 R", true);
  ck_assert_str_eq(v.v[0], "b5r2/20r");
  has_key(&v, "5r2/20r");
  has_key(&v, "2/20r");
  has_key(&v, "b5r2/20");
  has_key(&v, "2/20");
  kb_strv_release(&v);
}
END_TEST

START_TEST(european_court) {
  static const char *const want[] = {"c335/11", NULL};
  keys_are("C-335/11", want);
  full_key_is("c-335/11", "c335/11");
  full_key_is("C-335/2011", "c335/11");
}
END_TEST

START_TEST(administrative_court_dot) {
  /* The Federal Administrative Court writes the year after a dot. */
  static const char *const want[] = {"5c16/11", "c16/11", "16/11", NULL};
  keys_are("5 C 16.11", want);
  /* Both separators meet. */
  full_key_is("5 C 16/11", "5c16/11");
}
END_TEST

START_TEST(several_numbers_and_no_duplicates) {
  kb_strv v = keys_of("9 AZR 1/05, 9 AZR 2/06", true);
  has_key(&v, "9azr1/05");
  has_key(&v, "9azr2/06");
  has_key(&v, "2/06");
  kb_strv_release(&v);
  /* Keys are appended to what `out` holds, never twice. */
  v = keys_of("2 AZR 716/06", true);
  size_t n = v.n;
  ck_assert(kb_filenumber_keys("2 AZR 716/6", &v));
  ck_assert_uint_eq(v.n, n);
  kb_strv_release(&v);
}
END_TEST

START_TEST(not_file_numbers) {
  static const char *const bad[] = {
      "",
      "kein Aktenzeichen",
      "2 AZR",
      "2 AZR 716/",
      "/06",
      "716/",
      "716/123",
      "1 BvR 123/456",
      "1234567/06",
      "ABCDEF-1/06",
      "§ 167 SGB IX",
      "12.07.2007",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    kb_strv v = keys_of(bad[i], false);
    ck_assert_uint_eq(v.n, 0);
    kb_strv_release(&v);
  }
}
END_TEST

/* ---- scanning a query ------------------------------------------------ */

static void has_hit_key(const kb_filenumber_hit *h, const char *key) {
  for (size_t k = 0; k < h->nkeys; k++)
    if (strcmp(h->keys[k], key) == 0)
      return;
  for (size_t k = 0; k < h->nkeys; k++)
    fprintf(stderr, "  key %zu: %s\n", k, h->keys[k]);
  ck_abort_msg("hit lacks key '%s'", key);
}

/* Scans `q` and expects one hit spanning exactly `span`. */
static kb_filenumber_hit scan_one(const char *q, const char *span) {
  kb_filenumber_hit h[4];
  size_t n = kb_filenumber_scan(q, strlen(q), h, 4);
  ck_assert_msg(n == 1, "'%s': %zu hits", q, n);
  ck_assert_uint_le(h[0].start, h[0].end);
  ck_assert_uint_le(h[0].end, strlen(q));
  char got[128];
  snprintf(got, sizeof got, "%.*s", (int)(h[0].end - h[0].start),
           q + h[0].start);
  ck_assert_str_eq(got, span);
  ck_assert_uint_ge(h[0].nkeys, 1);
  ck_assert_uint_le(h[0].nkeys, KB_FILENUMBER_MAX_KEYS);
  return h[0];
}

static void scan_none(const char *q) {
  kb_filenumber_hit h[4];
  size_t n = kb_filenumber_scan(q, strlen(q), h, 4);
  if (n)
    fprintf(stderr, "  '%s': hit '%.*s'\n", q, (int)(h[0].end - h[0].start),
            q + h[0].start);
  ck_assert_msg(n == 0, "'%s' taken for a file number", q);
}

START_TEST(scan_in_running_text) {
  const char *q = "BEM Urteil 2 AZR 716/6 Kündigung";
  kb_filenumber_hit h = scan_one(q, "2 AZR 716/6");
  ck_assert_uint_eq(h.start, 11);
  /* The keys the index holds for "2 AZR 716/06". */
  has_hit_key(&h, "2azr716/06");
  has_hit_key(&h, "azr716/06");
  has_hit_key(&h, "716/06");
  /* Lower case, after the senate number. */
  h = scan_one("urteil 2 azr 716/2006", "2 azr 716/2006");
  has_hit_key(&h, "2azr716/06");
  h = scan_one("Aktenzeichen 2AZR716/06", "2AZR716/06");
  has_hit_key(&h, "2azr716/06");
}
END_TEST

START_TEST(scan_forms) {
  kb_filenumber_hit h = scan_one("B 5 R 2/20 R", "B 5 R 2/20 R");
  has_hit_key(&h, "b5r2/20r");
  has_hit_key(&h, "b5r2/20");
  h = scan_one("Urteil B 5 R 2/20", "B 5 R 2/20");
  has_hit_key(&h, "b5r2/20"); /* indexed for "B 5 R 2/20 R" too */
  h = scan_one("Rechtssache C-335/11 Ring", "C-335/11");
  has_hit_key(&h, "c335/11");
  h = scan_one("BVerwG 5 C 16.11", "5 C 16.11");
  has_hit_key(&h, "5c16/11");
  h = scan_one("716/06", "716/06");
  has_hit_key(&h, "716/06");
}
END_TEST

START_TEST(scan_several_and_max) {
  const char *q = "Az. 2 AZR 716/06 und 9 AZR 1/05";
  kb_filenumber_hit h[4];
  ck_assert_uint_eq(kb_filenumber_scan(q, strlen(q), h, 4), 2);
  ck_assert_uint_eq(h[0].start, 4);
  ck_assert_uint_eq(h[1].start, (size_t)(strstr(q, "9 AZR") - q));
  has_hit_key(&h[1], "9azr1/05");
  /* At most `max` are written. */
  ck_assert_uint_eq(kb_filenumber_scan(q, strlen(q), h, 1), 1);
  ck_assert_uint_eq(kb_filenumber_scan(q, strlen(q), h, 0), 0);
  /* Only `len` bytes are read. */
  ck_assert_uint_eq(kb_filenumber_scan(q, 10, h, 4), 0);
}
END_TEST

START_TEST(scan_not_fractions_dates_or_words) {
  scan_none("1/2 Stelle");
  scan_none("Stand 12/2020"); /* a month, not a file number */
  scan_none("BITV 2.0");      /* a law, not a file number */
  scan_none("Seite 12/20");
  scan_none("12.07.2007");
  scan_none("16.11");
  scan_none("Urteil vom 16.11");
  scan_none("Kündigung am 12.07.2007 zugestellt");
  scan_none("2/3 der Kosten");
  scan_none("Hörgerät");
  scan_none("");
  /* A short word before a number is not a register ("ist", "und"). */
  const char *q = "Wann ist 716/06 entschieden";
  kb_filenumber_hit h = scan_one(q, "716/06");
  ck_assert_uint_eq(h.start, 9);
}
END_TEST

int main(void) {
  Suite *s = suite_create("filenumber");
  TCase *tk = tcase_create("keys");
  tcase_add_test(tk, federal_labour_court);
  tcase_add_test(tk, spellings_meet);
  tcase_add_test(tk, social_court_trailing_register);
  tcase_add_test(tk, european_court);
  tcase_add_test(tk, administrative_court_dot);
  tcase_add_test(tk, several_numbers_and_no_duplicates);
  tcase_add_test(tk, not_file_numbers);
  suite_add_tcase(s, tk);

  TCase *ts = tcase_create("scan");
  tcase_add_test(ts, scan_in_running_text);
  tcase_add_test(ts, scan_forms);
  tcase_add_test(ts, scan_several_and_max);
  tcase_add_test(ts, scan_not_fractions_dates_or_words);
  suite_add_tcase(s, ts);
  return tu_run_suite(s);
}
