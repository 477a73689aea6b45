/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-lexicon.c - the splitter's lexicon (kb_compound.h): the builder,
 * the word list, hunspell and domain list readers, the serialised blob,
 * and what a corrupt or hostile blob does (it is refused, never trusted).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_compound.h"
#include "testutil.h"

static const char *tmp_dir(void) {
  const char *d = getenv("TEILHABE_TEST_TMP");
  return d ? d : "/tmp";
}

/* Writes text to a file named `name` in the test directory; returns its
 * path (static storage, one at a time per name slot). */
static const char *write_file(const char *name, const char *text) {
  static char paths[4][4096];
  static int slot;
  char *path = paths[slot++ % 4];
  snprintf(path, 4096, "%s/test-lexicon-%s", tmp_dir(), name);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
  return path;
}

static kb_lexicon *build_from(kb_lexicon_builder *b) {
  kb_lexicon *lex = NULL;
  ck_assert_int_eq(kb_lexicon_build(b, &lex, NULL), KB_OK);
  kb_lexicon_builder_free(b);
  return lex;
}

static unsigned flags_of(const kb_lexicon *lex, const char *w) {
  unsigned fl = 0;
  ck_assert_msg(kb_lexicon_lookup(lex, w, strlen(w), &fl, NULL), "%s", w);
  return fl;
}

START_TEST(builder_merges_and_validates) {
  kb_lexicon_builder *b = NULL;
  char *msg = NULL;
  ck_assert_int_eq(kb_lexicon_builder_new(&b, NULL), KB_OK);
  ck_assert_int_eq(kb_lexicon_builder_add(b, "haus", 4, 3, KB_LEX_NOUN, NULL),
                   KB_OK);
  ck_assert_int_eq(kb_lexicon_builder_add(b, "haus", 4, 4, KB_LEX_WORD, NULL),
                   KB_OK);
  ck_assert_int_eq(
      kb_lexicon_builder_add(b, "viel", 4, UINT32_MAX - 1, 0, NULL), KB_OK);
  ck_assert_int_eq(kb_lexicon_builder_add(b, "viel", 4, 5, 0, NULL), KB_OK);
  ck_assert_int_eq(kb_lexicon_builder_add(b, "", 0, 0, 0, &msg),
                   KB_ERR_INVALID);
  ck_assert_ptr_nonnull(msg);
  free(msg);
  ck_assert_int_eq(kb_lexicon_builder_add(b, "a|b", 3, 0, 0, NULL),
                   KB_ERR_INVALID);
  ck_assert_int_eq(kb_lexicon_builder_add(b, "a b", 3, 0, 0, NULL),
                   KB_ERR_INVALID);
  ck_assert_int_eq(kb_lexicon_builder_add(b, "\xc3", 1, 0, 0, NULL),
                   KB_ERR_INVALID);
  ck_assert_int_eq(kb_lexicon_builder_add(b, "x", 1, 0, 1u << 9, NULL),
                   KB_ERR_INVALID);
  char longw[KB_COMPOUND_WORD_MAX + 1];
  memset(longw, 'a', sizeof longw);
  ck_assert_int_eq(kb_lexicon_builder_add(b, longw, sizeof longw, 0, 0, NULL),
                   KB_ERR_LIMIT);
  ck_assert_int_eq(
      kb_lexicon_builder_add(b, longw, KB_COMPOUND_WORD_MAX, 0, 0, NULL),
      KB_OK);
  /* thousands of words force the builder's table to grow */
  for (int i = 0; i < 5000; i++) {
    char w[16];
    int n = snprintf(w, sizeof w, "w%d", i);
    ck_assert_int_eq(kb_lexicon_builder_add(b, w, (size_t)n, 1, 0, NULL),
                     KB_OK);
  }
  kb_lexicon *lex = build_from(b);
  ck_assert_uint_eq(kb_lexicon_count(lex), 5003);
  unsigned fl = 0;
  uint32_t fq = 0;
  ck_assert(kb_lexicon_lookup(lex, "haus", 4, &fl, &fq));
  ck_assert_uint_eq(fl, KB_LEX_NOUN | KB_LEX_WORD);
  ck_assert_uint_eq(fq, 7);
  ck_assert(kb_lexicon_lookup(lex, "viel", 4, NULL, &fq));
  ck_assert_uint_eq(fq, UINT32_MAX); /* saturates */
  ck_assert(kb_lexicon_lookup(lex, "w4999", 5, NULL, NULL));
  ck_assert(!kb_lexicon_lookup(lex, "hau", 3, NULL, NULL));
  ck_assert(!kb_lexicon_lookup(lex, "", 0, NULL, NULL));
  ck_assert_uint_eq(kb_lexicon_flags(lex), KB_LEX_NOUN | KB_LEX_WORD);
  ck_assert_uint_gt(kb_lexicon_memory(lex), 5003 * 5);
  kb_lexicon_free(lex);
  kb_lexicon_free(NULL);
  kb_lexicon_builder_free(NULL);
}
END_TEST

START_TEST(reads_word_lists) {
  const char *path = write_file("words.txt", "Haus\nhau\nABC\nStraße\n"
                                             "\xef\xbc\xa1uto\n\n  Tür  \r\n");
  kb_lexicon_builder *b = NULL;
  ck_assert_int_eq(kb_lexicon_builder_new(&b, NULL), KB_OK);
  ck_assert_int_eq(
      kb_lexicon_builder_add_file(b, path, KB_LEXFILE_WORDLIST, NULL), KB_OK);
  kb_lexicon *lex = build_from(b);
  ck_assert_uint_eq(flags_of(lex, "haus"), KB_LEX_NOUN | KB_LEX_WORD);
  ck_assert_uint_eq(flags_of(lex, "hau"), KB_LEX_WORD);
  ck_assert_uint_eq(flags_of(lex, "abc"), KB_LEX_WORD); /* abbreviation */
  ck_assert_uint_eq(flags_of(lex, "strasse"), KB_LEX_NOUN | KB_LEX_WORD);
  ck_assert_uint_eq(flags_of(lex, "auto"), KB_LEX_NOUN | KB_LEX_WORD);
  ck_assert_uint_eq(flags_of(lex, "tür"), KB_LEX_NOUN | KB_LEX_WORD);
  ck_assert_uint_eq(kb_lexicon_count(lex), 6);
  kb_lexicon_free(lex);
  char *msg = NULL;
  ck_assert_int_eq(kb_lexicon_builder_new(&b, NULL), KB_OK);
  ck_assert_int_eq(kb_lexicon_builder_add_file(b, "/nonexistent/words",
                                               KB_LEXFILE_WORDLIST, &msg),
                   KB_ERR_IO);
  ck_assert_ptr_nonnull(strstr(msg, "/nonexistent/words"));
  free(msg);
  kb_lexicon_builder_free(b);
}
END_TEST

START_TEST(reads_hunspell_dictionaries) {
  write_file("de.aff", "SET UTF-8\n"
                       "SFX P Y 1\nSFX P   0     en     .\n"
                       "SFX E Y 1\nSFX E   0     e      .\n"
                       "SFX J Y 2\nSFX J   en    ung    en\n"
                       "SFX J   en    ungen  en\n");
  const char *dic = write_file("de.dic", "5\n"
                                         "\tcomment line\n"
                                         "Arbeit/Pm\n"
                                         "Arbeits/hij\n"
                                         "Gerät/EPm\n"
                                         "Arbeitsgeber/dNS\n"
                                         "lesen/DIXJ\n"
                                         "schwer/ACke\n"
                                         "platz/Tozm\n");
  /* the .aff is found beside the .dic: rename to match */
  char aff[4096], dic2[4096];
  snprintf(aff, sizeof aff, "%s/test-lexicon-de.aff", tmp_dir());
  snprintf(dic2, sizeof dic2, "%s/test-lexicon-de.dic", tmp_dir());
  ck_assert_str_eq(dic, dic2);
  kb_lexicon_builder *b = NULL;
  ck_assert_int_eq(kb_lexicon_builder_new(&b, NULL), KB_OK);
  ck_assert_int_eq(
      kb_lexicon_builder_add_file(b, dic, KB_LEXFILE_HUNSPELL, NULL), KB_OK);
  kb_lexicon *lex = build_from(b);
  unsigned noun_lemma = KB_LEX_NOUN | KB_LEX_WORD | KB_LEX_LEMMA;
  ck_assert_uint_eq(flags_of(lex, "arbeit"), noun_lemma);
  ck_assert_uint_eq(flags_of(lex, "arbeiten"), KB_LEX_NOUN | KB_LEX_WORD);
  ck_assert_uint_eq(flags_of(lex, "arbeits"), KB_LEX_MODIFIER);
  ck_assert_uint_eq(flags_of(lex, "geräte"), KB_LEX_NOUN | KB_LEX_WORD);
  ck_assert_uint_eq(flags_of(lex, "geräten"), KB_LEX_NOUN | KB_LEX_WORD);
  ck_assert_uint_eq(flags_of(lex, "lesen"), KB_LEX_WORD | KB_LEX_VERB);
  ck_assert_uint_eq(flags_of(lex, "lesung"), noun_lemma);
  ck_assert_uint_eq(flags_of(lex, "lesungen"), KB_LEX_NOUN | KB_LEX_WORD);
  ck_assert_uint_eq(flags_of(lex, "schwer"),
                    KB_LEX_WORD | KB_LEX_MODIFIER | KB_LEX_ADJ);
  ck_assert_uint_eq(flags_of(lex, "platz"), noun_lemma);
  ck_assert(!kb_lexicon_lookup(lex, "arbeitsgeber", 12, NULL, NULL));
  ck_assert(!kb_lexicon_lookup(lex, "5", 1, NULL, NULL));
  kb_lexicon_free(lex);
  remove(aff);
}
END_TEST

START_TEST(reads_the_domain_list) {
  const char *path = write_file("domain.txt", "# Fachwörter\n"
                                              "Teilhabe   # ein Kommentar\n"
                                              "bildschirm|Lesegerät\n"
                                              "Arbeitsplatz = arbeit | platz\n"
                                              "urteil = urteil\n"
                                              "!mitte\n");
  kb_lexicon_builder *b = NULL;
  ck_assert_int_eq(kb_lexicon_builder_new(&b, NULL), KB_OK);
  ck_assert_int_eq(
      kb_lexicon_builder_add_file(b, path, KB_LEXFILE_DOMAIN, NULL), KB_OK);
  kb_lexicon *lex = build_from(b);
  ck_assert_uint_eq(flags_of(lex, "teilhabe"), KB_LEX_DOMAIN);
  ck_assert_uint_eq(flags_of(lex, "mitte"), KB_LEX_STOP);
  ck_assert_str_eq(kb_lexicon_split_of(lex, "bildschirmlesegerät",
                                       strlen("bildschirmlesegerät")),
                   "bildschirm|lesegerät");
  ck_assert_str_eq(kb_lexicon_split_of(lex, "arbeitsplatz", 12),
                   "arbeit|platz");
  ck_assert_str_eq(kb_lexicon_split_of(lex, "urteil", 6), "urteil");
  kb_compound_parts r;
  ck_assert_int_eq(kb_compound_split(lex, "arbeitsplatz", 12, &r), KB_OK);
  ck_assert(r.explicit_split);
  ck_assert_uint_eq(r.n, 2);
  ck_assert_uint_eq(r.top[0].surface, 0); /* forms do not spell the word */
  kb_lexicon_free(lex);

  /* Bad lines name the file and line and say what is wrong. */
  static const char *const bad[] = {
      "ok\nbildschirm||gerät\n",
      "ok\n!a|b\n",
      "ok\na|b|c|d|e|f|g|h|i\n",
      "ok\n= a|b\n",
      "ok\nab\xff\n",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    path = write_file("bad.txt", bad[i]);
    char *msg = NULL;
    ck_assert_int_eq(kb_lexicon_builder_new(&b, NULL), KB_OK);
    ck_assert_int_eq(
        kb_lexicon_builder_add_file(b, path, KB_LEXFILE_DOMAIN, &msg),
        KB_ERR_PARSE);
    ck_assert_msg(msg && strstr(msg, "bad.txt:2: "), "%zu: %s", i, msg);
    free(msg);
    kb_lexicon_builder_free(b);
  }
  /* an overlong line */
  char *longline = malloc(3000);
  memset(longline, 'a', 2999);
  longline[2999] = '\0';
  path = write_file("long.txt", longline);
  free(longline);
  ck_assert_int_eq(kb_lexicon_builder_new(&b, NULL), KB_OK);
  ck_assert_int_eq(
      kb_lexicon_builder_add_file(b, path, KB_LEXFILE_DOMAIN, NULL),
      KB_ERR_PARSE);
  kb_lexicon_builder_free(b);
}
END_TEST

static kb_lexicon *sample(void) {
  kb_lexicon_builder *b = NULL;
  ck_assert_int_eq(kb_lexicon_builder_new(&b, NULL), KB_OK);
  static const char *const w[] = {"arbeit",  "platz",  "gerät", "lesen",
                                  "arbeits", "zimmer", "kind"};
  for (size_t i = 0; i < sizeof w / sizeof *w; i++)
    ck_assert_int_eq(kb_lexicon_builder_add(b, w[i], strlen(w[i]),
                                            (uint32_t)(i * 1000),
                                            KB_LEX_NOUN | KB_LEX_WORD, NULL),
                     KB_OK);
  ck_assert_int_eq(kb_lexicon_builder_add_split(b, "kinderzimmer", 12,
                                                "kind|zimmer", 11, NULL),
                   KB_OK);
  return build_from(b);
}

START_TEST(blob_round_trip) {
  kb_lexicon *lex = sample();
  char *blob = NULL, *blob2 = NULL;
  size_t len = 0, len2 = 0;
  ck_assert_int_eq(kb_lexicon_serialise(lex, &blob, &len, NULL), KB_OK);
  kb_lexicon *back = NULL;
  ck_assert_int_eq(kb_lexicon_load(blob, len, &back, NULL), KB_OK);
  ck_assert_int_eq(kb_lexicon_serialise(back, &blob2, &len2, NULL), KB_OK);
  ck_assert_uint_eq(len, len2);
  ck_assert_int_eq(memcmp(blob, blob2, len), 0);
  ck_assert_uint_eq(kb_lexicon_count(back), kb_lexicon_count(lex));
  uint32_t fq = 0;
  ck_assert(kb_lexicon_lookup(back, "zimmer", 6, NULL, &fq));
  ck_assert_uint_eq(fq, 5000);
  ck_assert_str_eq(kb_lexicon_split_of(back, "kinderzimmer", 12),
                   "kind|zimmer");
  kb_compound_parts a, c;
  ck_assert_int_eq(kb_compound_split(lex, "arbeitsplatz", 12, &a), KB_OK);
  ck_assert_int_eq(kb_compound_split(back, "arbeitsplatz", 12, &c), KB_OK);
  ck_assert_int_eq(memcmp(&a, &c, sizeof a), 0);
  free(blob2);
  /* An empty lexicon round-trips too. */
  kb_lexicon_builder *b = NULL;
  ck_assert_int_eq(kb_lexicon_builder_new(&b, NULL), KB_OK);
  kb_lexicon *empty = build_from(b);
  ck_assert_int_eq(kb_lexicon_serialise(empty, &blob2, &len2, NULL), KB_OK);
  kb_lexicon *empty2 = NULL;
  ck_assert_int_eq(kb_lexicon_load(blob2, len2, &empty2, NULL), KB_OK);
  ck_assert_uint_eq(kb_lexicon_count(empty2), 0);
  ck_assert(!kb_lexicon_lookup(empty2, "a", 1, NULL, NULL));
  ck_assert_int_eq(kb_compound_split(empty2, "haus", 4, &a), KB_OK);
  ck_assert_uint_eq(a.n, 1);
  free(blob2);
  kb_lexicon_free(empty);
  kb_lexicon_free(empty2);
  kb_lexicon_free(back);
  kb_lexicon_free(lex);
  free(blob);
}
END_TEST

static uint32_t fnv(const unsigned char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}

/* Re-signs a modified blob so that only its structure can reject it. */
static void resign(unsigned char *b, size_t len) {
  uint32_t h = fnv(b + 24, len - 24);
  for (int i = 0; i < 4; i++)
    b[20 + i] = (unsigned char)(h >> (8 * i));
}

static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

static void expect_refused(const unsigned char *b, size_t len) {
  kb_lexicon *lex = NULL;
  char *msg = NULL;
  kb_status st = kb_lexicon_load(b, len, &lex, &msg);
  ck_assert_msg(st == KB_ERR_PARSE || st == KB_ERR_LIMIT, "status %s",
                kb_status_name(st));
  ck_assert_ptr_null(lex);
  ck_assert_ptr_nonnull(msg);
  free(msg);
}

START_TEST(corrupt_blobs_are_refused) {
  kb_lexicon *lex = sample();
  char *blob = NULL;
  size_t len = 0;
  ck_assert_int_eq(kb_lexicon_serialise(lex, &blob, &len, NULL), KB_OK);
  kb_lexicon_free(lex);
  unsigned char *b = malloc(len);
  /* every truncation */
  for (size_t n = 0; n < len; n++) {
    memcpy(b, blob, n);
    expect_refused(b, n);
  }
  ck_assert_int_eq(kb_lexicon_load(NULL, 0, &lex, NULL), KB_ERR_PARSE);
  /* every single flipped bit (the checksum or the structure catches it) */
  for (size_t i = 0; i < len; i++)
    for (int bit = 0; bit < 8; bit++) {
      memcpy(b, blob, len);
      b[i] ^= (unsigned char)(1u << bit);
      expect_refused(b, len);
    }
  /* hostile but correctly signed: huge counts, bad order, bad flags */
  memcpy(b, blob, len);
  put32(b + 8, 0xffffffffu);
  resign(b, len);
  expect_refused(b, len);
  memcpy(b, blob, len);
  put32(b + 8, 2); /* fewer words than the text holds */
  resign(b, len);
  expect_refused(b, len);
  memcpy(b, blob, len);
  put32(b + 12, 5); /* more splits than there are */
  resign(b, len);
  expect_refused(b, len);
  memcpy(b, blob, len);
  put32(b + 16, (uint32_t)len); /* text longer than the blob */
  resign(b, len);
  expect_refused(b, len);
  memcpy(b, blob, len);
  b[24] = 'z'; /* "arbeit" -> "zrbeit": out of order */
  resign(b, len);
  expect_refused(b, len);
  memcpy(b, blob, len);
  b[24] = '|'; /* a separator inside a word */
  resign(b, len);
  expect_refused(b, len);
  memcpy(b, blob, len);
  put32(b + len - 4, 99); /* split of a word that does not exist */
  resign(b, len);
  expect_refused(b, len);
  memcpy(b, blob, len);
  put32(b + 4, 2); /* another version */
  resign(b, len);
  expect_refused(b, len);
  /* a frequency varint that runs off the end */
  memcpy(b, blob, len);
  memset(b + len - 4 - 7, 0xff, 7);
  resign(b, len);
  expect_refused(b, len);
  /* random garbage with a valid header */
  srand(7);
  for (int k = 0; k < 200; k++) {
    memcpy(b, blob, 24);
    for (size_t i = 24; i < len; i++)
      b[i] = (unsigned char)rand();
    resign(b, len);
    expect_refused(b, len);
  }
  free(b);
  free(blob);
}
END_TEST

int main(void) {
  Suite *s = suite_create("lexicon");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, builder_merges_and_validates);
  tcase_add_test(tc, reads_word_lists);
  tcase_add_test(tc, reads_hunspell_dictionaries);
  tcase_add_test(tc, reads_the_domain_list);
  tcase_add_test(tc, blob_round_trip);
  tcase_add_test(tc, corrupt_blobs_are_refused);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
