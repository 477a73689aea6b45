/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-analysis.c - the one analysis pipeline shared by indexer and
 * query: normalisation (case folding, "ß", soft hyphens, ligatures),
 * words and their positions, hyphenated compounds with their joined
 * form, german2 stems that let "Hörgerät" meet "Hoergeraet", limits on
 * word length, invalid UTF-8, stopwords and synonym keys.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_analysis.h"
#include "kb_buf.h"
#include "testutil.h"

static kb_analyzer *an;
static char *err;

static void setup(void) {
  err = NULL;
  ck_assert_int_eq(kb_analyzer_new(&an, &err), KB_OK);
}

static void teardown(void) {
  kb_analyzer_free(an);
  an = NULL;
  free(err);
  err = NULL;
}

/* ---- helpers ----------------------------------------------------------- */

static char *norm(const char *s) {
  kb_buf out = KB_BUF_INIT(1 << 20);
  ck_assert_int_eq(kb_normalize(an, s, strlen(s), &out, &err), KB_OK);
  return kb_buf_detach(&out, NULL);
}

#define NORM_EQ(in, want)                                                      \
  do {                                                                         \
    char *got_ = norm(in);                                                     \
    ck_assert_str_eq(got_, (want));                                            \
    free(got_);                                                                \
  } while (0)

typedef struct tok {
  char word[80];
  char stem[160];
  uint32_t pos;
  unsigned flags;
} tok;

typedef struct toks {
  tok t[64];
  size_t n;
  size_t stop_after; /* 0 = never stop */
} toks;

static bool collect(const kb_token *t, void *ctx) {
  toks *ts = ctx;
  ck_assert_uint_eq(strlen(t->word), t->len);
  ck_assert_uint_eq(strlen(t->stem), t->stem_len);
  if (ts->n < 64) {
    snprintf(ts->t[ts->n].word, sizeof ts->t[0].word, "%s", t->word);
    snprintf(ts->t[ts->n].stem, sizeof ts->t[0].stem, "%s", t->stem);
    ts->t[ts->n].pos = t->pos;
    ts->t[ts->n].flags = t->flags;
    ts->n++;
  }
  return ts->stop_after == 0 || ts->n < ts->stop_after;
}

static toks analyze_len(const char *s, size_t len, uint32_t *pos) {
  toks ts = {.n = 0};
  ck_assert_int_eq(kb_analyze(an, s, len, pos, collect, &ts, &err), KB_OK);
  return ts;
}

static toks analyze(const char *s) {
  uint32_t pos = 0;
  return analyze_len(s, strlen(s), &pos);
}

static const char *stem(const char *word) {
  static char buf[256];
  char *n = norm(word);
  size_t len = 0;
  ck_assert_int_eq(kb_stem_word(an, n, strlen(n), buf, sizeof buf, &len),
                   KB_OK);
  free(n);
  ck_assert_uint_eq(strlen(buf), len);
  return buf;
}

/* ---- normalisation ---------------------------------------------------- */

START_TEST(normalize_case_and_sharp_s) {
  NORM_EQ("Straße", "strasse");
  NORM_EQ("STRASSE", "strasse");
  NORM_EQ("ÄRZTIN", "ärztin");
  NORM_EQ("Übergänge Für Öffentliche", "übergänge für öffentliche");
  NORM_EQ("GROẞE", "grosse"); /* capital sharp s */
  NORM_EQ("", "");
}
END_TEST

START_TEST(normalize_soft_hyphen_and_ligatures) {
  /* A soft hyphen (U+00AD) from copy-and-paste does not split a word. */
  NORM_EQ("Arbeits\xC2\xADplatz", "arbeitsplatz");
  NORM_EQ("Schwer\xC2\xAD"
          "behinderten\xC2\xAD"
          "vertretung",
          "schwerbehindertenvertretung");
  /* Zero-width space and joiner are ignorable too. */
  NORM_EQ("Hör\xE2\x80\x8Bger\xC3\xA4t", "hörgerät");
  /* NFKC: ligatures, full-width letters, superscripts. */
  NORM_EQ("\xEF\xAC\x81nanzierung", "finanzierung"); /* "ﬁ" */
  NORM_EQ("Au\xEF\xAC\x80"
          "allig",
          "auffallig"); /* "ﬀ" */
  NORM_EQ("ＳＧＢ", "sgb");
  NORM_EQ("m²", "m2");
  /* Decomposed umlauts meet precomposed ones. */
  NORM_EQ("Ho\xCC\x88rgera\xCC\x88t", "hörgerät");
}
END_TEST

START_TEST(normalize_invalid_utf8_replaced) {
  /* Invalid input never passes through: it becomes U+FFFD. */
  char *n = norm("Gr\xFC\xDF"
                 "e");
  ck_assert_ptr_nonnull(strstr(n, "\xEF\xBF\xBD"));
  ck_assert_ptr_null(strchr(n, '\xFC'));
  free(n);
  n = norm("\xED\xA0\x80 x \xC3");
  ck_assert_ptr_nonnull(strstr(n, "x"));
  free(n);
}
END_TEST

START_TEST(normalize_replaces_output_and_bounds_input) {
  kb_buf out = KB_BUF_INIT(1 << 20);
  kb_buf_adds(&out, "alter Inhalt ");
  ck_assert_int_eq(kb_normalize(an, "Neu", 3, &out, &err), KB_OK);
  ck_assert_str_eq(kb_buf_str(&out), "neu");
  /* The output buffer's cap is respected. */
  kb_buf small = KB_BUF_INIT(4);
  ck_assert_int_ne(kb_normalize(an, "Eingliederung", 13, &small, &err), KB_OK);
  kb_buf_release(&small);
  /* Past 4 MiB analysis is refused with a message. */
  size_t n = 4 * 1024 * 1024 + 1;
  char *big = malloc(n);
  memset(big, 'a', n);
  ck_assert_int_eq(kb_normalize(an, big, n, &out, &err), KB_ERR_LIMIT);
  ck_assert_ptr_nonnull(err);
  free(big);
  kb_buf_release(&out);
}
END_TEST

/* ---- tokens ------------------------------------------------------------ */

START_TEST(tokens_and_positions) {
  toks ts = analyze("Das Hörgerät im Büro, 2026: gut!");
  static const char *const words[] = {"das",  "hörgerät", "im",
                                      "büro", "2026",     "gut"};
  ck_assert_uint_eq(ts.n, 6);
  for (size_t i = 0; i < 6; i++) {
    ck_assert_str_eq(ts.t[i].word, words[i]);
    ck_assert_uint_eq(ts.t[i].pos, i);
    ck_assert_uint_eq(ts.t[i].flags, 0);
  }
}
END_TEST

START_TEST(positions_continue_across_calls) {
  /* Several fields share one position space. */
  uint32_t pos = 100;
  toks a = analyze_len("Titel eins", 10, &pos);
  ck_assert_uint_eq(a.t[0].pos, 100);
  ck_assert_uint_eq(a.t[1].pos, 101);
  ck_assert_uint_eq(pos, 102);
  toks b = analyze_len("zwei", 4, &pos);
  ck_assert_uint_eq(b.t[0].pos, 102);
  ck_assert_uint_eq(pos, 103);
  /* Nothing to analyse leaves the position alone. */
  toks c = analyze_len("  ... !! ", 9, &pos);
  ck_assert_uint_eq(c.n, 0);
  ck_assert_uint_eq(pos, 103);
}
END_TEST

START_TEST(hyphenated_compound) {
  toks ts = analyze("Der Arbeits-Platz passt");
  ck_assert_uint_eq(ts.n, 5);
  ck_assert_str_eq(ts.t[0].word, "der");
  ck_assert_uint_eq(ts.t[0].pos, 0);
  /* The joined form first, at the first part's position ... */
  ck_assert_str_eq(ts.t[1].word, "arbeitsplatz");
  ck_assert_uint_eq(ts.t[1].pos, 1);
  ck_assert_uint_eq(ts.t[1].flags, KB_TOK_JOINED);
  /* ... then the parts at their own positions. */
  ck_assert_str_eq(ts.t[2].word, "arbeits");
  ck_assert_uint_eq(ts.t[2].pos, 1);
  ck_assert_uint_eq(ts.t[2].flags, KB_TOK_PART);
  ck_assert_str_eq(ts.t[3].word, "platz");
  ck_assert_uint_eq(ts.t[3].pos, 2);
  ck_assert_uint_eq(ts.t[3].flags, KB_TOK_PART);
  ck_assert_str_eq(ts.t[4].word, "passt");
  ck_assert_uint_eq(ts.t[4].pos, 3);
  /* The joined form meets the word written as one. */
  toks one = analyze("Arbeitsplatz");
  ck_assert_str_eq(one.t[0].stem, ts.t[1].stem);
}
END_TEST

START_TEST(hyphen_variants) {
  /* Three parts; U+2010 and U+2011 hyphens join like "-". */
  toks ts = analyze("Schwer\xE2\x80\x90"
                    "behinderten\xE2\x80\x91"
                    "Ausweis");
  ck_assert_uint_eq(ts.n, 4);
  ck_assert_str_eq(ts.t[0].word, "schwerbehindertenausweis");
  ck_assert_uint_eq(ts.t[0].flags, KB_TOK_JOINED);
  ck_assert_uint_eq(ts.t[3].pos, 2);
  /* A dangling or doubled hyphen, or a dash with spaces, joins nothing. */
  ts = analyze("Kranken- und Pflegeversicherung");
  ck_assert_uint_eq(ts.n, 3);
  ck_assert_str_eq(ts.t[0].word, "kranken");
  ck_assert_uint_eq(ts.t[0].flags, 0);
  ts = analyze("a--b");
  ck_assert_uint_eq(ts.n, 2);
  ck_assert_uint_eq(ts.t[1].flags, 0);
  ts = analyze("Arbeit – Leben");
  ck_assert_uint_eq(ts.n, 2);
  ck_assert_uint_eq(ts.t[0].flags, 0);
}
END_TEST

/* Fixed bug, kept as a regression test: a compound of more than eight
 * hyphenated parts loses every part after the eighth:
 * "a-b-c-d-e-f-g-h-neun-zehn" yields parts a..h and no "neun" or "zehn" at all,
 * so those words are neither indexed nor searchable (kb_analyze keeps only
 * part_start[8]/part_end[8] and emits `used = min(nparts, 8)` parts). */
START_TEST(long_compound_keeps_all_parts) {
  toks ts = analyze("eins-zwei-drei-vier-fünf-sechs-sieben-acht-neun-zehn "
                    "danach");
  bool neun = false, zehn = false;
  uint32_t last = 0;
  for (size_t i = 0; i < ts.n; i++) {
    neun |= strcmp(ts.t[i].word, "neun") == 0;
    zehn |= strcmp(ts.t[i].word, "zehn") == 0;
    if (strcmp(ts.t[i].word, "danach") == 0)
      last = ts.t[i].pos;
  }
  ck_assert_msg(neun && zehn, "parts after the eighth were dropped");
  ck_assert_uint_eq(last, 10);
}
END_TEST

START_TEST(numbers_and_marks) {
  toks ts = analyze("§ 167 SGB IX, 1.000 € und 50%");
  /* Signs vanish; digits and letters are words. */
  static const char *const words[] = {"167", "sgb", "ix", "1",
                                      "000", "und", "50"};
  ck_assert_uint_eq(ts.n, 7);
  for (size_t i = 0; i < 7; i++)
    ck_assert_str_eq(ts.t[i].word, words[i]);
}
END_TEST

START_TEST(long_words_skipped) {
  char text[256];
  char longword[70];
  memset(longword, 'x', 65);
  longword[65] = '\0';
  snprintf(text, sizeof text, "vorher %s nachher", longword);
  toks ts = analyze(text);
  ck_assert_uint_eq(ts.n, 2);
  ck_assert_str_eq(ts.t[0].word, "vorher");
  ck_assert_str_eq(ts.t[1].word, "nachher");
  /* The skipped word still takes its position (phrases stay honest). */
  ck_assert_uint_eq(ts.t[1].pos, 2);
  /* Exactly 64 bytes is still a word - also in two-byte letters. */
  memset(longword, 'x', 64);
  longword[64] = '\0';
  ts = analyze(longword);
  ck_assert_uint_eq(ts.n, 1);
  char umlauts[80] = "";
  for (int i = 0; i < 33; i++)
    strcat(umlauts, "ä"); /* 66 bytes */
  ts = analyze(umlauts);
  ck_assert_uint_eq(ts.n, 0);
  /* A compound whose joined form is too long keeps its parts. */
  snprintf(text, sizeof text, "%.40s-%.40s", longword, longword);
  ts = analyze(text);
  ck_assert_uint_eq(ts.n, 2);
  ck_assert_uint_eq(ts.t[0].flags, KB_TOK_PART);
}
END_TEST

START_TEST(invalid_utf8_does_not_crash) {
  static const char *const bad[] = {
      "Gr\xFC\xDF"
      "e aus K\xF6ln",
      "\xC3",
      "\xED\xA0\x80\xED\xB0\x80",
      "\xF4\x90\x80\x80 x",
      "\xFF\xFE\xFD",
      "ab\xC3-\xC3"
      "cd",
      "\xE2\x80",
      "-\xC3\xAD-",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    toks ts = analyze(bad[i]);
    for (size_t k = 0; k < ts.n; k++) {
      ck_assert_ptr_null(strchr(ts.t[k].word, '\xFF'));
      ck_assert_uint_le(strlen(ts.t[k].word), KB_WORD_MAX);
    }
  }
  toks ts = analyze("Gr\xFC\xDF"
                    "e aus K\xF6ln");
  /* The good words survive. */
  bool aus = false;
  for (size_t k = 0; k < ts.n; k++)
    aus |= strcmp(ts.t[k].word, "aus") == 0;
  ck_assert(aus);
  /* NUL bytes inside the given length are no terminator. */
  uint32_t pos = 0;
  ts = analyze_len("vor\0nach", 8, &pos);
  ck_assert_uint_eq(ts.n, 2);
  ck_assert_str_eq(ts.t[1].word, "nach");
}
END_TEST

START_TEST(callback_can_stop) {
  toks ts = {.n = 0, .stop_after = 2};
  uint32_t pos = 0;
  ck_assert_int_eq(
      kb_analyze(an, "eins zwei drei vier", 19, &pos, collect, &ts, &err),
      KB_OK);
  ck_assert_uint_eq(ts.n, 2);
}
END_TEST

/* ---- stems -------------------------------------------------------------- */

START_TEST(stems_meet_transcriptions) {
  /* german2: "ae/oe/ue" meet "ä/ö/ü". */
  char a[256];
  snprintf(a, sizeof a, "%s", stem("Hörgerät"));
  ck_assert_str_eq(stem("Hoergeraet"), a);
  ck_assert_str_eq(stem("Hörgeräte"), a);
  snprintf(a, sizeof a, "%s", stem("Beschäftigte"));
  ck_assert_str_eq(stem("Beschaeftigte"), a);
  ck_assert_str_eq(stem("Beschäftigten"), a);
  /* Inflections share a stem; different words do not. */
  snprintf(a, sizeof a, "%s", stem("Arbeitgeber"));
  ck_assert_str_eq(stem("Arbeitgebers"), a);
  ck_assert_str_ne(stem("Arbeitnehmer"), a);
  /* Tokens carry the same stems. */
  toks ts = analyze("Hoergeraete");
  ck_assert_str_eq(ts.t[0].stem, stem("Hörgeräte"));
}
END_TEST

START_TEST(stem_word_limit) {
  char buf[4];
  size_t len = 99;
  ck_assert_int_eq(kb_stem_word(an, "eingliederung", 13, buf, sizeof buf, &len),
                   KB_ERR_LIMIT);
  ck_assert_uint_eq(len, 99);
  ck_assert_ptr_nonnull(kb_analyzer_stemmer(an));
}
END_TEST

/* A build's analyzer remembers stems (it stems every word of every
 * record); past the memo's size it takes no more words (a text's next
 * token starts it afresh) and still answers what the stemmer answers. */
START_TEST(stem_memo_keeps_the_answers) {
  char want[256];
  snprintf(want, sizeof want, "%s", stem("Hörgeräte"));
  kb_analyzer_remember_stems(an);
  ck_assert_str_eq(stem("Hörgeräte"), want);
  kb_analyzer *fresh = NULL; /* does not remember */
  ck_assert_int_eq(kb_analyzer_new(&fresh, &err), KB_OK);
  for (unsigned i = 0; i < 70000; i++) {
    char w[32], a[128], b[128];
    size_t al = 0, bl = 0;
    int n = snprintf(w, sizeof w, "arbeitsplätze%u", i);
    ck_assert_int_eq(kb_stem_word(an, w, (size_t)n, a, sizeof a, &al), KB_OK);
    if (i % 997 == 0) { /* a second analyzer stems it for the first time */
      ck_assert_int_eq(kb_stem_word(fresh, w, (size_t)n, b, sizeof b, &bl),
                       KB_OK);
      ck_assert_str_eq(a, b);
      ck_assert_uint_eq(al, bl);
    }
  }
  ck_assert_str_eq(stem("Hörgeräte"), want);
  toks ts = analyze("Hörgeräte");
  ck_assert_str_eq(ts.t[0].stem, want);
  /* Without stems (a build's count of the corpus' words) the stem is the
   * word itself; with them again, the stem. */
  kb_analyzer_no_stems(an, true);
  ts = analyze("Hörgeräte");
  ck_assert_str_eq(ts.t[0].stem, "hörgeräte");
  kb_analyzer_no_stems(an, false);
  ts = analyze("Hörgeräte");
  ck_assert_str_eq(ts.t[0].stem, want);
  kb_analyzer_free(fresh);
}
END_TEST

/* kb_token.memo: one place per distinct word for the caller (a build
 * keeps its compound parts and counts there), NULL unless the analyzer
 * remembers stems, found again for the same word in later texts, cleared
 * by kb_analyzer_clear_memo and when the memo starts afresh. */
enum { SEEN_MAX = 8 };
typedef struct memo_seen {
  void **slot[SEEN_MAX];
  void *val[SEEN_MAX]; /* what the place held when the token came */
  size_t n;
} memo_seen;

static bool see_memo(const kb_token *t, void *ctx) {
  memo_seen *m = ctx;
  if (m->n == SEEN_MAX)
    return false;
  m->slot[m->n] = t->memo;
  m->val[m->n] = t->memo ? *t->memo : NULL;
  if (t->memo && *t->memo == NULL)
    *t->memo = (void *)(m->slot + m->n); /* any address of ours */
  m->n++;
  return true;
}

static memo_seen seen(const char *text) {
  memo_seen m = {0};
  uint32_t pos = 0;
  ck_assert_int_eq(kb_analyze(an, text, strlen(text), &pos, see_memo, &m, &err),
                   KB_OK);
  return m;
}

static bool mark_all(const kb_token *t, void *ctx) {
  size_t *n = ctx;
  ck_assert_ptr_nonnull(t->memo);
  *t->memo = n; /* written while the token is handled: must be valid */
  (*n)++;
  return true;
}

START_TEST(token_memo_follows_the_word) {
  memo_seen m = seen("Haus Baum Haus");
  ck_assert_uint_eq(m.n, 3);
  for (size_t i = 0; i < m.n; i++)
    ck_assert_ptr_null(m.slot[i]); /* the analyzer does not remember */

  kb_analyzer_remember_stems(an);
  m = seen("Haus Baum Haus");
  ck_assert_ptr_nonnull(m.slot[0]);
  ck_assert_ptr_eq(m.slot[0], m.slot[2]);
  ck_assert_ptr_ne(m.slot[0], m.slot[1]);
  ck_assert_ptr_null(m.val[0]);
  ck_assert_ptr_nonnull(m.val[2]); /* what the first "Haus" left there */
  void *kept = m.val[2];
  m = seen("HAUS"); /* the same word in a later text */
  ck_assert_ptr_eq(m.val[0], kept);

  kb_analyzer_clear_memo(an);
  m = seen("Haus Baum");
  ck_assert_ptr_null(m.val[0]);
  ck_assert_ptr_null(m.val[1]);

  /* More words than the memo holds: it starts afresh between tokens, so
   * each token's place stays valid while its callback runs, and what was
   * kept before is gone. */
  kb_buf text = KB_BUF_INIT(4u << 20);
  for (unsigned i = 0; i < 70000; i++) {
    char w[32];
    int n = snprintf(w, sizeof w, "wort%u ", i);
    kb_buf_add(&text, w, (size_t)n);
  }
  ck_assert_int_eq(kb_buf_status(&text), KB_OK);
  size_t marked = 0;
  uint32_t pos = 0;
  ck_assert_int_eq(
      kb_analyze(an, text.data, text.len, &pos, mark_all, &marked, &err),
      KB_OK);
  ck_assert_uint_eq(marked, 70000);
  kb_buf_release(&text);
  m = seen("Haus");
  ck_assert_ptr_nonnull(m.slot[0]);
  ck_assert_ptr_null(m.val[0]);
}
END_TEST

/* ---- stopwords and phrase keys ------------------------------------------ */

START_TEST(stopwords) {
  static const char *const yes[] = {"der", "die", "das", "und", "für", "über",
                                    "zur", "mit", "als", "eine", "fur",
                                    "dieser",
                                    /* question words people type */
                                    "wer", "was", "kann", "ich", "muss",
                                    /* particles, inflected pronouns */
                                    "beim", "schon", "überhaupt", "uberhaupt",
                                    "wegen", "unsere", "unserem", "bringt",
                                    /* both ends of the sorted list */
                                    "ab", "würden"};
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
    ck_assert_msg(kb_is_stopword(yes[i], strlen(yes[i])), "%s", yes[i]);
  /* Words that carry meaning here are no stopwords. */
  static const char *const no[] = {"nicht",  "kein",  "ohne", "bem",
                                   "sbv",    "Der",   "",     "arbeitgeber",
                                   "antrag", "zahlt", "lange"};
  for (size_t i = 0; i < sizeof no / sizeof *no; i++)
    ck_assert_msg(!kb_is_stopword(no[i], strlen(no[i])), "%s", no[i]);
  /* The list is searched with bsearch(strcmp): every entry strictly
   * after the one before, short enough for the lookup, and found. */
  static const char *const all[] = {
#include "../src/stopwords_de.inc"
  };
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
    ck_assert_msg(i == 0 || strcmp(all[i - 1], all[i]) < 0, "%s before %s",
                  i ? all[i - 1] : "", all[i]);
    ck_assert_msg(strlen(all[i]) < 16, "%s", all[i]);
    ck_assert_msg(kb_is_stopword(all[i], strlen(all[i])), "%s", all[i]);
  }
  /* Only `len` bytes count. */
  ck_assert(kb_is_stopword("derzeit", 3));
  ck_assert(!kb_is_stopword("derzeit", 7));
  /* Long input is no stopword and does not overflow. */
  char longw[300];
  memset(longw, 'a', sizeof longw);
  ck_assert(!kb_is_stopword(longw, sizeof longw));
}
END_TEST

START_TEST(phrase_keys) {
  kb_buf out = KB_BUF_INIT(1024);
  ck_assert_int_eq(kb_phrase_key(an,
                                 "Betriebliches   Eingliederungs"
                                 "management",
                                 strlen("Betriebliches   Eingliederungs"
                                        "management"),
                                 &out, &err),
                   KB_OK);
  ck_assert_str_eq(kb_buf_str(&out), "betriebliches eingliederungsmanagement");
  /* Hyphenated words contribute their parts, not the joined form. */
  ck_assert_int_eq(kb_phrase_key(an, "Arbeits-Platz", 13, &out, &err), KB_OK);
  ck_assert_str_eq(kb_buf_str(&out), "arbeits platz");
  ck_assert_int_eq(kb_phrase_key(an, "GdB", 3, &out, &err), KB_OK);
  ck_assert_str_eq(kb_buf_str(&out), "gdb");
  ck_assert_int_eq(kb_phrase_key(an, "Grad der Behinderung!", 21, &out, &err),
                   KB_OK);
  ck_assert_str_eq(kb_buf_str(&out), "grad der behinderung");
  /* Nothing but marks: an empty key. */
  ck_assert_int_eq(kb_phrase_key(an, " - ", 3, &out, &err), KB_OK);
  ck_assert_str_eq(kb_buf_str(&out), "");
  kb_buf_release(&out);
  /* A key past the buffer's cap is an error, not a cut-off key. */
  kb_buf small = KB_BUF_INIT(8);
  ck_assert_int_eq(
      kb_phrase_key(an, "Schwerbehindertenvertretung", 27, &small, &err),
      KB_ERR_LIMIT);
  kb_buf_release(&small);
}
END_TEST

START_TEST(analyzer_lifecycle) {
  kb_analyzer *b = NULL;
  ck_assert_int_eq(kb_analyzer_new(&b, &err), KB_OK);
  kb_analyzer_free(b);
  kb_analyzer_free(NULL);
  /* An analyzer is reusable for text of any size after a large one. */
  size_t n = 100000;
  char *big = malloc(n + 1);
  for (size_t i = 0; i < n; i++)
    big[i] = i % 10 == 9 ? ' ' : 'a';
  big[n] = '\0';
  toks ts = {.n = 0};
  uint32_t pos = 0;
  ck_assert_int_eq(kb_analyze(an, big, n, &pos, collect, &ts, &err), KB_OK);
  ck_assert_uint_eq(pos, 10000);
  free(big);
  ts = analyze("klein");
  ck_assert_uint_eq(ts.n, 1);
  ck_assert_str_eq(ts.t[0].word, "klein");
}
END_TEST

int main(void) {
  Suite *s = suite_create("analysis");
  TCase *tn = tcase_create("normalize");
  tcase_add_checked_fixture(tn, setup, teardown);
  tcase_add_test(tn, normalize_case_and_sharp_s);
  tcase_add_test(tn, normalize_soft_hyphen_and_ligatures);
  tcase_add_test(tn, normalize_invalid_utf8_replaced);
  tcase_add_test(tn, normalize_replaces_output_and_bounds_input);
  suite_add_tcase(s, tn);

  TCase *tt = tcase_create("tokens");
  tcase_add_checked_fixture(tt, setup, teardown);
  tcase_add_test(tt, tokens_and_positions);
  tcase_add_test(tt, positions_continue_across_calls);
  tcase_add_test(tt, hyphenated_compound);
  tcase_add_test(tt, hyphen_variants);
  /* Fixed bug, kept as a regression test: parts after the eighth of a
   * hyphenated chain are dropped. */
  tcase_add_test(tt, long_compound_keeps_all_parts);
  tcase_add_test(tt, numbers_and_marks);
  tcase_add_test(tt, long_words_skipped);
  tcase_add_test(tt, invalid_utf8_does_not_crash);
  tcase_add_test(tt, callback_can_stop);
  tcase_add_test(tt, analyzer_lifecycle);
  suite_add_tcase(s, tt);

  TCase *ts = tcase_create("stems");
  tcase_add_checked_fixture(ts, setup, teardown);
  tcase_add_test(ts, stems_meet_transcriptions);
  tcase_add_test(ts, stem_word_limit);
  tcase_add_test(ts, stem_memo_keeps_the_answers);
  tcase_add_test(ts, token_memo_follows_the_word);
  tcase_add_test(ts, stopwords);
  tcase_add_test(ts, phrase_keys);
  suite_add_tcase(s, ts);

  return tu_run_suite(s);
}
