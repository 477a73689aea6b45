/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-suggest.c - completions for the search box (kb_suggest.h) over an
 * index of tests/fixtures/corpus: the last word completed, earlier words
 * kept as typed, only whole title and keyword words, completed in the
 * context of the earlier words, capitalisation following the user,
 * the bounds (length, UTF-8, at most KB_SUGGEST_MAX), queries that give
 * nothing, and a suggester following a rebuilt index.
 *
 * The index is built once under $TEILHABE_TEST_TMP (or /tmp) and removed
 * afterwards.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb_corpus.h"
#include "kb_index.h"
#include "kb_suggest.h"
#include "testutil.h"

static char tmpdir[1024];
static char dbpath[1100];
static kb_suggester *sg;
static char *err;

#define OK(call) TU_OK(call, err)

static void build_all(void) {
  tu_scratch_dir(tmpdir, sizeof tmpdir, "test-suggest");
  tu_path(dbpath, sizeof dbpath, tmpdir, "index");
  tu_build_fixture_index(dbpath);
}

static void remove_all(void) { tu_remove_tree(tmpdir); }

static void open_suggester(void) {
  err = NULL;
  sg = NULL;
  OK(kb_suggester_open(dbpath, &sg, &err));
}

static void close_suggester(void) {
  kb_suggester_close(sg);
  sg = NULL;
  free(err);
  err = NULL;
}

static kb_completions c;

static size_t complete(const char *q) {
  OK(kb_suggester_complete(sg, q, strlen(q), &c, &err));
  return c.n;
}

static bool has(const char *text) {
  for (size_t i = 0; i < c.n; i++)
    if (strcmp(c.text[i], text) == 0)
      return true;
  return false;
}

START_TEST(completes_last_word) {
  ck_assert_uint_gt(complete("Eingl"), 0);
  ck_assert(has("Eingliederungsmanagement"));
  ck_assert(has("Eingliederungszuschuss"));
  for (size_t i = 0; i < c.n; i++)
    ck_assert_msg(strncmp(c.text[i], "Eingl", 5) == 0, "%s", c.text[i]);
}
END_TEST

START_TEST(title_words_rank_first) {
  /* "Eingliederungszuschuss" is a title; it outranks body-only words. */
  complete("eingliederungsz");
  ck_assert_uint_ge(c.n, 1);
  ck_assert_str_eq(c.text[0], "eingliederungszuschuss");
}
END_TEST

START_TEST(earlier_words_kept_as_typed) {
  complete("BEM  Eingl");
  ck_assert(has("BEM  Eingliederungsmanagement"));
  complete("§ 167 Hörger");
  ck_assert(has("§ 167 Hörgerät"));
  complete("Arbeits-Pl");
  ck_assert(has("Arbeits-Platz"));
}
END_TEST

/* Only whole words of titles and keywords are offered: not words that
 * occur only in a body (they share prefixes with everything), not the
 * parts the compound splitter indexes. */
START_TEST(only_title_and_keyword_words) {
  ck_assert_uint_eq(complete("Gespr"), 0);   /* "Gespräch": body only */
  ck_assert_uint_eq(complete("Gesundh"), 0); /* "Gesundheitsdaten": body */
  ck_assert_uint_eq(complete("Leseg"), 0);   /* a part of a compound */
  complete("Bildsch");
  ck_assert(has("Bildschirmlesegerät"));
  complete("Telef"); /* a topic of the hearing-aid article */
  ck_assert(has("Telefon"));
}
END_TEST

/* The last word is completed among the records the earlier words lead
 * to, synonyms included; words never together give nothing. */
START_TEST(context_of_earlier_words) {
  complete("Eingl");
  ck_assert(has("Eingliederungsmanagement"));
  ck_assert(has("Eingliederungszuschuss"));
  complete("BEM Eingl"); /* BEM = Betriebliches Eingliederungsmanagement */
  ck_assert(has("BEM Eingliederungsmanagement"));
  ck_assert(!has("BEM Eingliederungszuschuss"));
  complete("SBV Aufg"); /* SBV = Schwerbehindertenvertretung */
  ck_assert(has("SBV Aufgaben"));
  ck_assert_uint_eq(complete("Hörgerät Eingl"), 0);
  /* A word no title knows does not narrow anything down. */
  complete("xyzzyq Eingl");
  ck_assert(has("xyzzyq Eingliederungszuschuss"));
}
END_TEST

START_TEST(case_follows_the_user) {
  complete("hörger");
  ck_assert(has("hörgerät"));
  complete("Hörger");
  ck_assert(has("Hörgerät"));
  /* An exact word stays exactly as typed. */
  complete("BEM");
  ck_assert(has("BEM"));
  /* Umlauts at the start are capitalised too. */
  complete("Über");
  for (size_t i = 0; i < c.n; i++)
    ck_assert_msg(strncmp(c.text[i], "Über", strlen("Über")) == 0, "%s",
                  c.text[i]);
}
END_TEST

START_TEST(normalised_like_the_index) {
  /* Upper case, and compatibility forms folded by NFKC_Casefold. */
  complete("EINGL");
  ck_assert_uint_gt(c.n, 0);
  complete("Ｅｉｎｇｌ"); /* full-width letters */
  ck_assert_uint_gt(c.n, 0);
}
END_TEST

START_TEST(nothing_to_complete) {
  ck_assert_uint_eq(complete(""), 0);
  ck_assert_uint_eq(complete("e"), 0); /* too short */
  ck_assert_uint_eq(complete("ä"), 0); /* one character, two bytes */
  ck_assert_uint_eq(complete("BEM "), 0);
  ck_assert_uint_eq(complete("!!!"), 0);
  ck_assert_uint_eq(complete("xyzzyq"), 0);
  complete("der");
  ck_assert(!has("der")); /* stopwords are no completions */
}
END_TEST

START_TEST(bounds) {
  char q[KB_SUGGEST_QUERY_MAX + 2];
  memset(q, 'a', sizeof q - 1);
  q[sizeof q - 1] = '\0';
  c.n = 99;
  ck_assert_int_eq(kb_suggester_complete(sg, q, strlen(q), &c, NULL),
                   KB_ERR_LIMIT);
  ck_assert_uint_eq(c.n, 99); /* untouched on failure */
  ck_assert_int_eq(kb_suggester_complete(sg, "ab\xff", 3, &c, &err),
                   KB_ERR_INVALID);
  ck_assert_ptr_nonnull(err);
  free(err);
  err = NULL;
  /* Exactly the limit is fine, and a long answer never overflows. */
  memset(q, 'x', KB_SUGGEST_QUERY_MAX - 3);
  memcpy(q + KB_SUGGEST_QUERY_MAX - 3, " ar", 4);
  ck_assert_uint_le(complete(q), KB_SUGGEST_MAX);
  for (size_t i = 0; i < c.n; i++)
    ck_assert_uint_lt(strlen(c.text[i]), KB_SUGGEST_TEXT_MAX);
  ck_assert_uint_le(complete("a"), KB_SUGGEST_MAX);
  ck_assert_uint_le(complete("ar"), KB_SUGGEST_MAX);
}
END_TEST

START_TEST(open_missing_index_fails) {
  kb_suggester *x = NULL;
  ck_assert_int_ne(kb_suggester_open("/nonexistent/index", &x, &err), KB_OK);
  ck_assert_ptr_null(x);
  ck_assert_ptr_nonnull(err);
  kb_suggester_close(NULL);
}
END_TEST

START_TEST(refresh_follows_new_generation) {
  char dir[1100], path[1200];
  snprintf(dir, sizeof dir, "%s/extra", tmpdir);
  char fixture[1024];
  tu_fixture_dir(fixture, sizeof fixture);
  /* A corpus of the fixture plus one article with a new title word. */
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", fixture, dir);
  ck_assert_int_eq(system(cmd), 0);
  snprintf(path, sizeof path, "%s/zebrastreifen.md", dir);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs("---\nid: zebrastreifen\ntitle: Zebrastreifen vor dem Betrieb\n"
        "type: anpassung\nsummary: Ein sicherer Weg.\n"
        "audience: [arbeitgeber]\nupdated: 2026-01-01\nrelated: [sbv]\n"
        "---\nDer Zebrastreifen hilft.\n",
        f);
  ck_assert_int_eq(fclose(f), 0);
  ck_assert_uint_eq(complete("Zebra"), 0);
  tu_build_index(dir, dbpath);
  OK(kb_suggester_refresh(sg, &err));
  complete("Zebra");
  ck_assert(has("Zebrastreifen"));
}
END_TEST

int main(void) {
  Suite *su = suite_create("suggest");
  TCase *tc = tcase_create("complete");
  tcase_add_unchecked_fixture(tc, build_all, remove_all);
  tcase_add_checked_fixture(tc, open_suggester, close_suggester);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, completes_last_word);
  tcase_add_test(tc, title_words_rank_first);
  tcase_add_test(tc, earlier_words_kept_as_typed);
  tcase_add_test(tc, only_title_and_keyword_words);
  tcase_add_test(tc, context_of_earlier_words);
  tcase_add_test(tc, case_follows_the_user);
  tcase_add_test(tc, normalised_like_the_index);
  tcase_add_test(tc, nothing_to_complete);
  tcase_add_test(tc, bounds);
  tcase_add_test(tc, open_missing_index_fails);
  tcase_add_test(tc, refresh_follows_new_generation);
  suite_add_tcase(su, tc);
  return tu_run_suite(su);
}
