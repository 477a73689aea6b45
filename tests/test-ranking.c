/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-ranking.c - how results are ordered beyond BM25 (search.c,
 * query.c, search_links.c), on a small corpus of its own: a keyword
 * query whose words all together fill no page is followed by records
 * with some of them, below; a question of two topic words needs only
 * one; a record that other results link to rises above one that matches
 * a little better, but only through links of records that are results,
 * and a barely matching hub does not climb over the records that link
 * to it; a zu-infinitive finds its infinitive; an everyday word rare
 * in the texts does not outweigh the question's topic; a facet value's
 * rank (practice examples) weighs its records' results; a compound no
 * record has finds, when nothing else is found, those with its parts; a
 * question's misspelt word also searches its correction (not when read
 * as typed), the suggestion keeps the question's punctuation, a query
 * corrected as a whole snippets the correction's words, and a German
 * word is never "corrected".
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kb_search.h"
#include "testutil.h"

static char tmpdir[1024];
static char dbpath[1100];
static kb_searcher *s;
static char *err;

#define OK(call) TU_OK(call, err)

/* One record of the fixture schema's article kind, of type `type`. */
static void write_typed(const char *dir, const char *id, const char *type,
                        const char *title, const char *body) {
  char text[8192], name[128];
  snprintf(text, sizeof text,
           "---\n"
           "id: %s\n"
           "title: %s\n"
           "type: %s\n"
           "summary: Ein Eintrag.\n"
           "audience: [arbeitgeber]\n"
           "updated: 2026-01-01\n"
           "---\n"
           "%s\n",
           id, title, type, body);
  snprintf(name, sizeof name, "%s.md", id);
  tu_write_file(dir, name, text);
}

static void write_record(const char *dir, const char *id, const char *title,
                         const char *body) {
  write_typed(dir, id, "anpassung", title, body);
}

/* The fixture schema with practice examples ranked 0.5 in the type facet. */
static void write_schema(const char *fixture, const char *corpus) {
  char path[1200], text[65536], out[66000];
  FILE *f = fopen(tu_path(path, sizeof path, fixture, "schema.yaml"), "rb");
  ck_assert_ptr_nonnull(f);
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = '\0';
  const char *facet = "query: typ}";
  char *at = strstr(text, facet);
  ck_assert_ptr_nonnull(at);
  snprintf(out, sizeof out, "%.*squery: typ, rank: {praxis: 0.5}}%s",
           (int)(at - text), text, at + strlen(facet));
  tu_write_file(corpus, "schema.yaml", out);
}

static void build(void) {
  char fixture[1024], corpus[1100];
  tu_fixture_dir(fixture, sizeof fixture);
  tu_scratch_dir(tmpdir, sizeof tmpdir, "test-ranking");
  tu_path(corpus, sizeof corpus, tmpdir, "corpus");
  ck_assert_int_eq(mkdir(corpus, 0755), 0);
  static const char *const yaml[] = {"vocab.yaml", "synonyms.yaml"};
  for (size_t i = 0; i < sizeof yaml / sizeof *yaml; i++)
    tu_copy_file(fixture, corpus, yaml[i]);
  write_schema(fixture, corpus);
  /* Keyword filling. */
  write_record(corpus, "beide", "Nachtschicht und Pausenraum",
               "Die Nachtschicht braucht einen Pausenraum.");
  write_record(corpus, "nacht", "Nachtschicht",
               "Die Nachtschicht, die Nachtschicht, die Nachtschicht.");
  write_record(corpus, "pause", "Pausenraum", "Ein ruhiger Pausenraum.");
  write_record(corpus, "kantine", "Kantine", "Essen in der Kantine.");
  /* Links: "ziel" matches a little weaker than "stark", but two other
   * results link to it; "hub" barely matches and is linked by all. */
  write_record(corpus, "stark", "Rufbereitschaft planen",
               "Die Rufbereitschaft und noch einmal die Rufbereitschaft "
               "im Betrieb planen.");
  write_record(corpus, "ziel", "Rufbereitschaft regeln",
               "Die Rufbereitschaft im Betrieb regeln und dabei die "
               "Ruhezeit einhalten.");
  write_record(corpus, "verweis-a", "Ein Beispiel",
               "Rufbereitschaft im Lager: siehe [Regeln](/artikel/ziel) "
               "und [Übersicht](/artikel/hub).");
  write_record(corpus, "verweis-b", "Noch ein Beispiel",
               "Rufbereitschaft im Labor: siehe [Regeln](/artikel/ziel) "
               "und [Übersicht](/artikel/hub).");
  write_record(corpus, "hub", "Übersicht über alles",
               "Arbeitszeit, Urlaub, Pausen, Schichtplan, Überstunden, "
               "Teilzeit, Gleitzeit, Vertrauensarbeitszeit, Sonntagsarbeit, "
               "Feiertage, Ruhezeiten, Dienstplan, Homeoffice, Reisezeit, "
               "Bereitschaftsdienst, Kurzarbeit, Mehrarbeit, Arbeitskonto, "
               "Jahresarbeitszeit, Wochenendarbeit, Dienstreise, Zeitkonto, "
               "Arbeitszeiterfassung, Zeitausgleich, Freizeitausgleich, "
               "Einsatzplan, Abrufarbeit, Altersteilzeit "
               "und einmal Rufbereitschaft. [Stark](/artikel/stark) "
               "[Ziel](/artikel/ziel)");
  /* Everyday words: "Firma" stands for "Arbeitgeber" (laien.yaml) and is
   * in one text only, where it is incidental; the question is about
   * dismissal. */
  tu_write_file(corpus, "laien.yaml", "Firma: [Arbeitgeber]\n");
  write_record(corpus, "kuendigung", "Kündigung durch den Arbeitgeber",
               "Will der Arbeitgeber kündigen, gelten Fristen für die "
               "Kündigung.");
  write_record(corpus, "frist", "Fristen",
               "Der Arbeitgeber muss bei einer Kündigung Fristen einhalten.");
  write_record(corpus, "abmahnung", "Abmahnung",
               "Vor einer Kündigung mahnt der Arbeitgeber oft ab.");
  write_record(corpus, "feier", "Die Firma feiert",
               "Einmal im Jahr feiert die Firma mit allen.");
  for (int i = 0; i < 6; i++) {
    char id[16];
    snprintf(id, sizeof id, "ag-%d", i);
    write_record(corpus, id, "Arbeitgeber", "Der Arbeitgeber plant.");
  }
  /* A practice example that names its topic more often than the
   * article about it; its type is ranked 0.5 (write_schema). */
  write_typed(corpus, "beispiel", "praxis", "Hebehilfe im Lager",
              "Die Hebehilfe kam ins Lager. Mit der Hebehilfe hebt er "
              "wieder; die Hebehilfe steht am Tor.\n\n"
              "*Der Fall ist erfunden; Ähnlichkeiten mit realen Personen "
              "oder Betrieben sind nicht beabsichtigt.*");
  write_record(corpus, "hebehilfe", "Hilfen beim Heben",
               "Eine Hebehilfe nimmt Last ab: welche Hebehilfe passt?");
  /* "Beratung" in 3 of 26 records, more than a compound's head may
   * have to count on its own - unless the query found nothing. */
  write_record(corpus, "beratung", "Beratung",
               "Die Beratung hilft. Eine Beratung kostet nichts.");
  write_record(corpus, "beratung-2", "Noch eine Stelle",
               "Auch hier gibt es Beratung.");
  write_record(corpus, "beratung-3", "Eine dritte Stelle",
               "Beratung am Telefon.");
  /* "lesen" and "Hilfen" are there, "Lesehilfe" is not. */
  write_record(corpus, "lesen", "Am Bildschirm lesen",
               "Wer schlecht sieht, kann vergrößert lesen.");
  /* A verb in its infinitive only. */
  write_record(corpus, "verb", "Den Schreibtisch anpassen",
               "Den Schreibtisch an die Körpergröße anpassen.");
  /* A word far into its text (past the snippet's window from the
   * start). */
  char tail[4096] = "";
  for (int i = 0; i < 100; i++)
    strcat(tail, "Hier kommt viel Vorrede. ");
  strcat(tail, "Am Ende ein Stehpult.");
  write_record(corpus, "moebel", "Ein Möbel", tail);
  tu_path(dbpath, sizeof dbpath, tmpdir, "index");
  tu_build_index(corpus, dbpath);
}

static void remove_all(void) { tu_remove_tree(tmpdir); }

static void open_searcher(void) {
  err = NULL;
  OK(kb_searcher_open(dbpath, &s, &err));
}

static void close_searcher(void) {
  kb_searcher_close(s);
  s = NULL;
  free(err);
  err = NULL;
}

static kb_search_result *query(const char *q, unsigned per_page) {
  kb_search_request req = {.query = q, .per_page = per_page};
  kb_search_result *r = NULL;
  free(err);
  err = NULL;
  OK(kb_search(s, &req, &r, &err));
  return r;
}

/* The rank (0-based) of `id` among the hits, or -1. */
static int rank_of(const kb_search_result *r, const char *id) {
  for (size_t i = 0; i < r->nhits; i++)
    if (strcmp(r->hits[i].id, id) == 0)
      return (int)i;
  return -1;
}

START_TEST(keyword_page_filled_below_all_words) {
  kb_search_result *r = query("Nachtschicht Pausenraum", 10);
  /* The one record with both words first, however often the other
   * repeats one of them; then those with one; nothing without any. */
  ck_assert_int_eq(rank_of(r, "beide"), 0);
  ck_assert_int_gt(rank_of(r, "nacht"), 0);
  ck_assert_int_gt(rank_of(r, "pause"), 0);
  ck_assert_int_eq(rank_of(r, "kantine"), -1);
  ck_assert_uint_eq(r->total, 3);
  ck_assert(!r->relaxed);
  kb_search_result_free(r);
  /* A page that the records with all words fill gets nothing else. */
  r = query("Nachtschicht Pausenraum", 1);
  ck_assert_uint_eq(r->total, 1);
  ck_assert_uint_eq(r->nhits, 1);
  ck_assert_str_eq(r->hits[0].id, "beide");
  kb_search_result_free(r);
  /* An exclusion holds for the filling too. */
  r = query("Nachtschicht Pausenraum -ruhiger", 10);
  ck_assert_int_eq(rank_of(r, "pause"), -1);
  ck_assert_int_gt(rank_of(r, "nacht"), 0);
  kb_search_result_free(r);
}
END_TEST

START_TEST(question_of_two_words_needs_one) {
  /* "Kantine" is in no record with "Nachtschicht": as keywords they find
   * nothing together (then any word, relaxed); asked as a question, any
   * of the two counts from the start. */
  kb_search_result *r = query("Gibt es eine Kantine für die Nachtschicht?", 10);
  ck_assert(!r->relaxed);
  ck_assert_int_ge(rank_of(r, "kantine"), 0);
  ck_assert_int_ge(rank_of(r, "nacht"), 0);
  kb_search_result_free(r);
}
END_TEST

START_TEST(linked_record_rises) {
  kb_search_result *r = query("Rufbereitschaft", 10);
  /* Two results link to "ziel": it passes "stark", which has the word
   * twice. */
  ck_assert_int_ge(rank_of(r, "ziel"), 0);
  ck_assert_int_lt(rank_of(r, "ziel"), rank_of(r, "stark"));
  /* The hub, linked by three results but with the word once in a long
   * text, stays below the records that link to it. */
  ck_assert_int_gt(rank_of(r, "hub"), rank_of(r, "verweis-a"));
  ck_assert_int_gt(rank_of(r, "hub"), rank_of(r, "verweis-b"));
  kb_search_result_free(r);
  /* Only results pass weight on: without the linking records among the
   * results, "stark" is first again. */
  r = query("Rufbereitschaft -siehe", 10);
  ck_assert_int_eq(rank_of(r, "verweis-a"), -1);
  ck_assert_int_lt(rank_of(r, "stark"), rank_of(r, "ziel"));
  kb_search_result_free(r);
}
END_TEST

START_TEST(zu_infinitive_finds_infinitive) {
  /* "anzupassen" is "anpassen" with "zu" after the prefix; the text has
   * only the infinitive. */
  kb_search_result *r = query("anzupassen", 10);
  ck_assert_int_eq(rank_of(r, "verb"), 0);
  ck_assert(!r->corrected); /* found as it is, not as a misspelling */
  kb_search_result_free(r);
  r = query("Schreibtisch anzupassen", 10);
  ck_assert_int_eq(rank_of(r, "verb"), 0);
  ck_assert(!r->corrected && !r->relaxed);
  kb_search_result_free(r);
}
END_TEST

START_TEST(everyday_word_does_not_outweigh_topic) {
  /* "Firma" is in one record of fourteen, "kündigen" in three: by its
   * rarity alone the party record would come first.  As an everyday
   * word it weighs at most like "Arbeitgeber", which it stands for. */
  kb_search_result *r = query("Darf die Firma mir kündigen?", 10);
  ck_assert_int_eq(rank_of(r, "kuendigung"), 0);
  ck_assert_int_gt(rank_of(r, "feier"), rank_of(r, "frist"));
  ck_assert_int_gt(rank_of(r, "feier"), rank_of(r, "abmahnung"));
  kb_search_result_free(r);
  /* Alone, the word still finds its own text first. */
  r = query("Firma", 10);
  ck_assert_int_eq(rank_of(r, "feier"), 0);
  ck_assert_int_gt(rank_of(r, "kuendigung"), 0);
  kb_search_result_free(r);
}
END_TEST

START_TEST(facet_value_rank_weighs_results) {
  /* By BM25 alone the example would come first (with the rank 1 this
   * test fails); at 0.5 the article does. */
  kb_search_result *r = query("Hebehilfe", 10);
  ck_assert_int_eq(rank_of(r, "hebehilfe"), 0);
  ck_assert_int_eq(rank_of(r, "beispiel"), 1);
  kb_search_result_free(r);
  r = query("Hebehilfe Lager", 10);
  ck_assert_int_eq(rank_of(r, "beispiel"), 0); /* the only one with both */
  kb_search_result_free(r);
}
END_TEST

START_TEST(unknown_compound_falls_back_to_its_parts) {
  /* No record has guitars: the compound's common head alone finds the
   * records on advice, marked as a partial match. */
  kb_search_result *r = query("Gitarrenberatung", 10);
  ck_assert(r->relaxed);
  ck_assert_int_eq(rank_of(r, "beratung"), 0);
  ck_assert_int_gt(rank_of(r, "beratung-3"), 0);
  kb_search_result_free(r);
  /* A compound with records of its own is not widened. */
  r = query("Pausenraum", 10);
  ck_assert(!r->relaxed);
  ck_assert_int_eq(rank_of(r, "beratung"), -1);
  kb_search_result_free(r);
}
END_TEST

START_TEST(misspelt_word_of_a_question_searches_its_correction) {
  /* Without the correction only the records with "kostet" or "Lager"
   * would match; the article on the lifting aid has neither. */
  kb_search_result *r = query("Was kostet eine Hebehlife im Lager?", 10);
  /* the two records on lifting aids first, before "kostet" alone */
  ck_assert_int_lt(rank_of(r, "hebehilfe"), 2);
  ck_assert_int_lt(rank_of(r, "beispiel"), 2);
  ck_assert_int_ge(rank_of(r, "hebehilfe"), 0);
  ck_assert_int_ge(rank_of(r, "beispiel"), 0);
  ck_assert_str_eq(r->suggestion, "Was kostet eine Hebehilfe im Lager?");
  ck_assert(r->with_suggestion); /* the page says so */
  ck_assert(!r->corrected);
  kb_search_result_free(r);
  /* As typed (exakt): the correction is offered, not searched. */
  kb_search_request req = {.query = "Was kostet eine Hebehlife im Lager?",
                           .per_page = 10,
                           .no_correction = true};
  OK(kb_search(s, &req, &r, &err));
  ck_assert_int_eq(rank_of(r, "hebehilfe"), -1);
  ck_assert_int_ge(rank_of(r, "beispiel"), 0); /* "Lager" */
  ck_assert(!r->with_suggestion);
  ck_assert_str_eq(r->suggestion, "Was kostet eine Hebehilfe im Lager?");
  kb_search_result_free(r);
  /* The question mark on the corrected word stays in the suggestion. */
  r = query("Was kostet eine Hebehlife?", 10);
  ck_assert_str_eq(r->suggestion, "Was kostet eine Hebehilfe?");
  kb_search_result_free(r);
  r = query("Hebehlife, bitte", 10);
  ck_assert_str_eq(r->suggestion, "Hebehilfe, bitte");
  kb_search_result_free(r);
  /* What the analyzer reads as part of the word is not kept beside the
   * correction (a superscript is a digit to it, a combining accent part
   * of the letter): the whole word is replaced. */
  static const char *const glued[] = {"Hebehilf\u00B2", "Hebehilfe\u0301"};
  for (size_t i = 0; i < sizeof glued / sizeof *glued; i++) {
    r = query(glued[i], 10);
    ck_assert_str_eq(r->suggestion, "Hebehilfe");
    ck_assert(r->corrected);
    ck_assert_int_ge(rank_of(r, "hebehilfe"), 0);
    kb_search_result_free(r);
  }
  /* A German word no record has is not "corrected" into one that is
   * there ("Kabine" is not a misspelt "Kantine"). */
  r = query("Kabine", 10);
  ck_assert_ptr_null(r->suggestion);
  ck_assert(!r->corrected);
  ck_assert_int_eq(rank_of(r, "kantine"), -1);
  kb_search_result_free(r);
}
END_TEST

/* A query corrected as a whole (it found nothing) shows snippets of
 * the correction's words, found where they are in the text. */
START_TEST(corrected_query_snippets_its_words) {
  kb_search_result *r = query("Sthepult", 10);
  ck_assert(r->corrected);
  ck_assert_str_eq(r->suggestion, "Stehpult");
  ck_assert_int_eq(rank_of(r, "moebel"), 0);
  ck_assert_ptr_nonnull(strstr(r->hits[0].snippet, "<mark>Stehpult</mark>"));
  kb_search_result_free(r);
}
END_TEST

START_TEST(compound_of_german_words_is_not_corrected) {
  /* No record has "Lesehilfe", but it is reading + aid, spelt right
   * and both parts are in records: neither suggested nor searched as the
   * lifting aid two letters away. */
  kb_search_result *r = query("Was kostet eine Lesehilfe?", 10);
  ck_assert_ptr_null(r->suggestion);
  kb_search_result_free(r);
  r = query("Lesehilfe", 10);
  ck_assert_ptr_null(r->suggestion);
  ck_assert(!r->corrected);
  kb_search_result_free(r);
  /* A compound with a linking element left out is still corrected: the
   * correction has the same parts. */
  r = query("Pauseraum", 10);
  ck_assert_ptr_nonnull(r->suggestion);
  ck_assert_str_eq(r->suggestion, "Pausenraum");
  kb_search_result_free(r);
}
END_TEST

START_TEST(misspelt_function_word_searches_no_filler) {
  /* "nohc" is "noch", a function word the question, typed right, passes
   * over: its correction must not bring in the records that have only
   * "noch" (and would not have been found for the question typed
   * right). */
  kb_search_result *r = query("Was kostet nohc eine Hebehilfe?", 30);
  ck_assert_str_eq(r->suggestion, "Was kostet noch eine Hebehilfe?");
  kb_search_result *typed = query("Was kostet noch eine Hebehilfe?", 30);
  ck_assert_int_eq(rank_of(typed, "beratung-2"), -1);
  ck_assert_int_eq(rank_of(r, "beratung-2"), -1);
  ck_assert_int_eq(rank_of(r, "stark"), -1);
  ck_assert_uint_eq(r->total, typed->total);
  kb_search_result_free(typed);
  kb_search_result_free(r);
}
END_TEST

static Suite *ranking_suite(void) {
  Suite *su = suite_create("ranking");
  TCase *tc = tcase_create("ranking");
  tcase_add_unchecked_fixture(tc, build, remove_all);
  tcase_add_checked_fixture(tc, open_searcher, close_searcher);
  tcase_add_test(tc, keyword_page_filled_below_all_words);
  tcase_add_test(tc, question_of_two_words_needs_one);
  tcase_add_test(tc, linked_record_rises);
  tcase_add_test(tc, zu_infinitive_finds_infinitive);
  tcase_add_test(tc, everyday_word_does_not_outweigh_topic);
  tcase_add_test(tc, facet_value_rank_weighs_results);
  tcase_add_test(tc, unknown_compound_falls_back_to_its_parts);
  tcase_add_test(tc, misspelt_word_of_a_question_searches_its_correction);
  tcase_add_test(tc, misspelt_function_word_searches_no_filler);
  tcase_add_test(tc, compound_of_german_words_is_not_corrected);
  tcase_add_test(tc, corrected_query_snippets_its_words);
  suite_add_tcase(su, tc);
  return su;
}

int main(void) { return tu_run_suite(ranking_suite()); }
