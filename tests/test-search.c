/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-search.c - the one search behind CLI, pages and API, run against
 * an index built from tests/fixtures/corpus: AND with an OR fallback,
 * facet filters and disjunctive facet counts, browsing newest first,
 * sorting and paging, request validation, synonyms, citations, spelling
 * correction, phrases, exclusions, wildcards, field prefixes, malformed
 * queries, record lookup, similar records, records of several kinds
 * (the kind facet, glossary definitions, links between records, lists
 * by kind), and following a rebuilt index without a restart.
 *
 * Indexes are built once per test case under $TEILHABE_TEST_TMP (or
 * /tmp) and removed afterwards.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kb_index.h"
#include "kb_search.h"
#include "testutil.h"

static char fixture[1024];
static char tmpdir[1024];
static char dbpath[1100]; /* the fixture corpus */
static char syndb[1100];  /* the fixture corpus plus synonym-only articles */
static kb_searcher *s;
static char *err;

#define OK(call) TU_OK(call, err)

/* ---- scratch corpora and indexes --------------------------------------- */

/* Copies the (flat) fixture corpus into `dir`. */
static void copy_fixture(const char *dir) {
  static const char *const files[] = {"schema.yaml",
                                      "vocab.yaml",
                                      "synonyms.yaml",
                                      "anpassung-arbeitsplatz.md",
                                      "bem-grundlagen.md",
                                      "bildschirmlesegeraet.md",
                                      "foerderung-eingliederung.md",
                                      "hoergeraet.md",
                                      "kinderkrankengeld.md",
                                      "leichte-sprache.md",
                                      "sbv.md"};
  ck_assert_int_eq(mkdir(dir, 0755), 0);
  for (size_t i = 0; i < sizeof files / sizeof *files; i++)
    tu_copy_file(fixture, dir, files[i]);
}

/* Articles that use only one side of a synonym group. */
static const char bem_kurz[] = "---\n"
                               "id: bem-kurz\n"
                               "title: Das erste Gespräch\n"
                               "type: bem\n"
                               "summary: Wie der Termin abläuft.\n"
                               "audience: [beschaeftigte]\n"
                               "updated: 2025-01-01\n"
                               "related: [bem-grundlagen]\n"
                               "---\n"
                               "Im BEM lädt der Betrieb zu einem Termin "
                               "ein.\n";
static const char integrationsamt[] = "---\n"
                                      "id: integrationsamt\n"
                                      "title: Hilfe vom Integrationsamt\n"
                                      "type: foerderung\n"
                                      "summary: Beratung für Betriebe.\n"
                                      "audience: [arbeitgeber]\n"
                                      "updated: 2025-02-01\n"
                                      "related: [sbv]\n"
                                      "---\n"
                                      "Das Integrationsamt zahlt "
                                      "Zuschüsse.\n";

/* An article whose one mention of a word comes after 3,400 bytes of
 * other text, capitalised: the snippet's window must move to it. */
static void write_late_mention(const char *dir) {
  static char text[8192];
  size_t n = (size_t)snprintf(text, sizeof text,
                              "---\n"
                              "id: lager-wege\n"
                              "title: Wege im Lager\n"
                              "type: anpassung\n"
                              "summary: Wie ein Betrieb seine Wege prüft.\n"
                              "audience: [arbeitgeber]\n"
                              "updated: 2025-03-01\n"
                              "---\n");
  for (int i = 0; i < 70; i++)
    n += (size_t)snprintf(text + n, sizeof text - n,
                          "Der Betrieb prüft jede Woche die Wege im Lager. ");
  snprintf(text + n, sizeof text - n,
           "\n\nDie Rampenplanung beginnt mit dem Aufmaß.\n");
  tu_write_file(dir, "lager-wege.md", text);
}

static void build_all(void) {
  tu_fixture_dir(fixture, sizeof fixture);
  tu_scratch_dir(tmpdir, sizeof tmpdir, "test-search");
  tu_path(dbpath, sizeof dbpath, tmpdir, "index");
  tu_build_index(fixture, dbpath);
  char syncorpus[1100];
  tu_path(syncorpus, sizeof syncorpus, tmpdir, "syn-corpus");
  copy_fixture(syncorpus);
  tu_write_file(syncorpus, "bem-kurz.md", bem_kurz);
  tu_write_file(syncorpus, "integrationsamt.md", integrationsamt);
  write_late_mention(syncorpus);
  tu_path(syndb, sizeof syndb, tmpdir, "syn-index");
  tu_build_index(syncorpus, syndb);
}

static void remove_all(void) { tu_remove_tree(tmpdir); }

/* ---- a corpus of two kinds --------------------------------------------- */

static char kindsdb[1100]; /* the fixture corpus plus a glossary kind */

/* Replaces the first `at` in `text` (owned) by `repl` + `at`. */
static char *insert_before(char *text, const char *at, const char *repl) {
  char *p = strstr(text, at);
  ck_assert_ptr_nonnull(p);
  size_t cap = strlen(text) + strlen(repl) + 1;
  char *out = malloc(cap);
  snprintf(out, cap, "%.*s%s%s", (int)(p - text), text, repl, p);
  free(text);
  return out;
}

/* The fixture schema with a field `auch` and a kind `begriff` looked up
 * exactly (a glossary), declared after `artikel`, which stays the
 * default. */
static void write_kinds_schema(const char *dir) {
  char path[1200];
  FILE *f = fopen(tu_path(path, sizeof path, fixture, "schema.yaml"), "rb");
  ck_assert_ptr_nonnull(f);
  char *text = calloc(1, 65536);
  size_t n = fread(text, 1, 65535, f);
  fclose(f);
  text[n] = '\0';
  text = insert_before(text, "  type: {type: enum",
                       "  auch: {type: keywords, list: true, search: 5, "
                       "label: \"Auch genannt\"}\n");
  text = insert_before(text, "\nfacets:",
                       "  begriff:\n"
                       "    label: Begriff\n"
                       "    plural: Begriffe\n"
                       "    exact: true\n"
                       "    fields:\n"
                       "      auch: optional\n"
                       "      norms: optional\n"
                       "    facts: [auch, norms]\n");
  tu_write_file(dir, "schema.yaml", text);
  free(text);
}

static const char gdb[] = "---\n"
                          "id: gdb\n"
                          "kind: begriff\n"
                          "title: Grad der Behinderung (GdB)\n"
                          "summary: Wie stark eine Behinderung die Teilhabe "
                          "einschränkt, in Zehnerstufen.\n"
                          "auch: [Behinderungsgrad]\n"
                          "norms: [\"§ 152 SGB IX\"]\n"
                          "updated: 2026-01-10\n"
                          "related: [gdb-antrag]\n"
                          "---\n"
                          "Den GdB stellt das Versorgungsamt fest.\n";
static const char gdb_antrag[] = "---\n"
                                 "id: gdb-antrag\n"
                                 "title: Den Grad der Behinderung beantragen\n"
                                 "type: recht\n"
                                 "summary: Wer den Antrag stellt und wo.\n"
                                 "audience: [beschaeftigte]\n"
                                 "norms: [\"§ 152 SGB IX\"]\n"
                                 "updated: 2026-02-10\n"
                                 "related: [gdb]\n"
                                 "---\n"
                                 "Den [GdB](/begriff/gdb) stellt auf Antrag "
                                 "das Versorgungsamt fest.\n";

static void build_kinds(void) {
  tu_fixture_dir(fixture, sizeof fixture);
  tu_scratch_dir(tmpdir, sizeof tmpdir, "test-search-kinds");
  char corpus[1100];
  tu_path(corpus, sizeof corpus, tmpdir, "kinds-corpus");
  copy_fixture(corpus);
  write_kinds_schema(corpus);
  tu_write_file(corpus, "gdb.md", gdb);
  tu_write_file(corpus, "gdb-antrag.md", gdb_antrag);
  tu_path(kindsdb, sizeof kindsdb, tmpdir, "kinds-index");
  tu_build_index(corpus, kindsdb);
}

static void open_kinds(void) {
  err = NULL;
  s = NULL;
  OK(kb_searcher_open(kindsdb, &s, &err));
}

static void open_searcher(void) {
  err = NULL;
  s = NULL;
  OK(kb_searcher_open(dbpath, &s, &err));
}

static void close_searcher(void) {
  kb_searcher_close(s);
  s = NULL;
  free(err);
  err = NULL;
}

/* ---- helpers ----------------------------------------------------------- */

static kb_search_result *run(const kb_search_request *req) {
  kb_search_result *r = NULL;
  free(err);
  err = NULL;
  kb_status st = kb_search(s, req, &r, &err);
  ck_assert_msg(st == KB_OK, "search '%s': %s (%s)",
                req->query ? req->query : "", kb_status_name(st),
                err ? err : "");
  ck_assert_ptr_nonnull(r);
  return r;
}

static kb_search_result *query(const char *q) {
  kb_search_request req = {.query = q, .per_page = 50};
  return run(&req);
}

static bool has_hit(const kb_search_result *r, const char *id) {
  for (size_t i = 0; i < r->nhits; i++)
    if (strcmp(r->hits[i].id, id) == 0)
      return true;
  return false;
}

/* Asserts that the hits are exactly `ids` (NULL-terminated), in order. */
static void hits_are(const kb_search_result *r, const char *const *ids) {
  size_t n = 0;
  while (ids[n])
    n++;
  if (r->nhits != n) {
    for (size_t i = 0; i < r->nhits; i++)
      fprintf(stderr, "  hit %zu: %s\n", i, r->hits[i].id);
  }
  ck_assert_uint_eq(r->nhits, n);
  for (size_t i = 0; i < n; i++)
    ck_assert_str_eq(r->hits[i].id, ids[i]);
}

/* The index of facet `name` in the schema of the open index. */
static size_t fx(const char *name) {
  size_t f = kb_schema_facet(kb_searcher_vocab(s)->schema, name);
  ck_assert_msg(f != KB_SCHEMA_NONE, "no facet '%s'", name);
  return f;
}

static const kb_facet_value *facet(const kb_search_result *r, size_t f,
                                   const char *value) {
  for (size_t i = 0; i < r->facets[f].n; i++)
    if (strcmp(r->facets[f].values[i].value, value) == 0)
      return &r->facets[f].values[i];
  return NULL;
}

static uint64_t count_of(const kb_search_result *r, size_t f,
                         const char *value) {
  const kb_facet_value *v = facet(r, f, value);
  return v ? v->count : 0;
}

/* The total of a query, for short checks. */
static uint64_t total(const char *q) {
  kb_search_result *r = query(q);
  uint64_t t = r->total;
  kb_search_result_free(r);
  return t;
}

/* ---- opening ------------------------------------------------------------- */

START_TEST(open_missing_index_fails) {
  char missing[1200];
  snprintf(missing, sizeof missing, "%s/gibt-es-nicht", tmpdir);
  kb_searcher *x = (kb_searcher *)1;
  char *e = NULL;
  ck_assert_int_eq(kb_searcher_open(missing, &x, &e), KB_ERR_DB_OPENING);
  ck_assert_ptr_eq(x, (kb_searcher *)1);
  ck_assert_ptr_nonnull(e);
  free(e);
  /* A folder that is no index. */
  e = NULL;
  ck_assert_int_ne(kb_searcher_open(fixture, &x, &e), KB_OK);
  ck_assert_ptr_eq(x, (kb_searcher *)1);
  free(e);
  kb_searcher_close(NULL);
}
END_TEST

START_TEST(doccount_and_vocab) {
  ck_assert_uint_eq(kb_searcher_doccount(s), 8);
  const kb_vocab *v = kb_searcher_vocab(s);
  ck_assert_ptr_nonnull(v);
  ck_assert_str_eq(kb_vocab_label(v, "type", "recht"), "Rechtliche Ansprüche");
}
END_TEST

/* ---- browsing ------------------------------------------------------------ */

static const char *const newest_first[] = {
    "kinderkrankengeld", "bem-grundlagen",           "sbv",
    "hoergeraet",        "bildschirmlesegeraet",     "anpassung-arbeitsplatz",
    "leichte-sprache",   "foerderung-eingliederung", NULL};

START_TEST(browse_newest_first) {
  kb_search_request req = {.query = NULL, .per_page = 50};
  kb_search_result *r = run(&req);
  ck_assert(r->browsing);
  ck_assert(!r->relaxed);
  ck_assert(!r->corrected);
  ck_assert_ptr_null(r->suggestion);
  ck_assert_uint_eq(r->total, 8);
  ck_assert_str_eq(r->query, "");
  hits_are(r, newest_first);
  for (size_t i = 0; i < r->nhits; i++) {
    ck_assert(r->hits[i].score == 0.0);
    ck_assert_str_eq(r->hits[i].snippet, "");
  }
  kb_search_result_free(r);
  /* An empty string and blanks are browsing too. */
  r = query("");
  ck_assert(r->browsing);
  hits_are(r, newest_first);
  kb_search_result_free(r);
  r = query("   ");
  ck_assert(r->browsing);
  ck_assert_uint_eq(r->total, 8);
  kb_search_result_free(r);
}
END_TEST

START_TEST(browse_facet_counts) {
  kb_search_result *r = query(NULL);
  ck_assert_uint_eq(count_of(r, fx("type"), "anpassung"), 3);
  ck_assert_uint_eq(count_of(r, fx("type"), "recht"), 2);
  ck_assert_uint_eq(count_of(r, fx("type"), "bem"), 1);
  ck_assert_ptr_null(facet(r, fx("type"), "behinderung")); /* unused */
  ck_assert_uint_eq(count_of(r, fx("audience"), "arbeitgeber"), 6);
  ck_assert_uint_eq(count_of(r, fx("audience"), "beschaeftigte"), 4);
  ck_assert_uint_eq(count_of(r, fx("audience"), "sbv"), 3);
  ck_assert_uint_eq(count_of(r, fx("audience"), "betriebsrat"), 2);
  ck_assert_uint_eq(count_of(r, fx("disability"), "hoerbehinderung"), 1);
  ck_assert_uint_eq(count_of(r, fx("norm"), "SGB IX"), 3);
  ck_assert_uint_eq(count_of(r, fx("norm"), "SGB V"), 1);
  ck_assert_uint_eq(count_of(r, fx("norm"), "SGB III"), 1);
  ck_assert_uint_eq(count_of(r, fx("norm"), "BGB"), 1);
  ck_assert_uint_eq(count_of(r, fx("norm"), "DSGVO"), 1);
  /* German labels, and the most frequent value first. */
  const kb_facet_value *v = facet(r, fx("type"), "anpassung");
  ck_assert_str_eq(v->label, "Arbeitsplatzgestaltung und Hilfsmittel");
  ck_assert(!v->selected);
  ck_assert_str_eq(r->facets[fx("type")].values[0].value, "anpassung");
  ck_assert_str_eq(r->facets[fx("audience")].values[0].value, "arbeitgeber");
  for (size_t f = 0; f < r->nfacets; f++)
    for (size_t i = 1; i < r->facets[f].n; i++)
      ck_assert_uint_ge(r->facets[f].values[i - 1].count,
                        r->facets[f].values[i].count);
  ck_assert_str_eq(facet(r, fx("norm"), "SGB IX")->label, "SGB IX");
  /* Every facet of schema.yaml, in its order: the kind first. */
  ck_assert_uint_eq(r->nfacets, 5);
  ck_assert_uint_eq(fx("kind"), 0);
  ck_assert_uint_eq(r->facets[0].n, 1);
  ck_assert_uint_eq(count_of(r, fx("kind"), "artikel"), 8);
  ck_assert_str_eq(facet(r, fx("kind"), "artikel")->label, "Artikel");
  kb_search_result_free(r);
}
END_TEST

/* ---- words -----------------------------------------------------------------
 */

START_TEST(and_semantics) {
  kb_search_result *r = query("Kamera Monitor");
  ck_assert(!r->relaxed);
  ck_assert(!r->browsing);
  static const char *const bild[] = {"bildschirmlesegeraet", NULL};
  hits_are(r, bild);
  kb_search_result_free(r);
  /* Every word must match: "Telefon" alone finds one article, and so
   * does "Telefon Hörgerät" - not the union with every Hörgerät. */
  r = query("Telefon Hörgerät");
  static const char *const hoer[] = {"hoergeraet", NULL};
  hits_are(r, hoer);
  ck_assert(!r->relaxed);
  kb_search_result_free(r);
}
END_TEST

START_TEST(or_fallback_sets_relaxed) {
  /* No article has both words: any word counts, and the result says so. */
  kb_search_result *r = query("Kamera Telefon");
  ck_assert(r->relaxed);
  ck_assert_uint_eq(r->total, 2);
  ck_assert(has_hit(r, "bildschirmlesegeraet"));
  ck_assert(has_hit(r, "hoergeraet"));
  kb_search_result_free(r);
  /* The user's own OR is not a relaxation. */
  r = query("Kamera OR Telefon");
  ck_assert(!r->relaxed);
  ck_assert_uint_eq(r->total, 2);
  kb_search_result_free(r);
  r = query("Kamera ODER Telefon");
  ck_assert(!r->relaxed);
  ck_assert_uint_eq(r->total, 2);
  kb_search_result_free(r);
  /* A single word that finds nothing is not relaxed into anything. */
  r = query("Quantencomputer");
  ck_assert(!r->relaxed);
  ck_assert_uint_eq(r->total, 0);
  ck_assert_uint_eq(r->nhits, 0);
  kb_search_result_free(r);
  /* Relaxing keeps the filters. */
  r = query("Kamera Telefon typ:recht");
  ck_assert_uint_eq(r->total, 0);
  kb_search_result_free(r);
}
END_TEST

START_TEST(stopwords_not_required) {
  /* "der" is not in the Hörgerät article, but need not be. */
  kb_search_result *r = query("der Hörgerät");
  ck_assert(!r->relaxed);
  static const char *const hoer[] = {"hoergeraet", NULL};
  hits_are(r, hoer);
  kb_search_result_free(r);
  /* Only stopwords: then they are what is searched. */
  r = query("der");
  ck_assert(!r->browsing);
  ck_assert_uint_gt(r->total, 0);
  ck_assert_uint_lt(r->total, 8);
  kb_search_result_free(r);
}
END_TEST

START_TEST(umlaut_transcriptions_and_compounds) {
  /* "Hoergeraet" and "schwerhoerigkeit" meet the umlaut spellings. */
  kb_search_result *r = query("Hoergeraet");
  ck_assert(has_hit(r, "hoergeraet"));
  ck_assert(!r->corrected);
  kb_search_result_free(r);
  ck_assert_uint_eq(total("schwerhoerigkeit"), 1);
  /* Hyphenated and joined spellings find each other. */
  r = query("Arbeits-Platz");
  ck_assert(has_hit(r, "leichte-sprache"));
  ck_assert(has_hit(r, "hoergeraet"));
  kb_search_result_free(r);
  r = query("Hilfsmittel");
  ck_assert(has_hit(r, "leichte-sprache")); /* written "Hilfs-Mittel" */
  kb_search_result_free(r);
}
END_TEST

START_TEST(hit_fields) {
  kb_search_result *r = query("Telefon");
  ck_assert_uint_eq(r->nhits, 1);
  const kb_hit *h = &r->hits[0];
  ck_assert_str_eq(h->id, "hoergeraet");
  ck_assert_str_eq(h->title, "Das Hörgerät im Büro");
  ck_assert_str_eq(h->kind, "artikel");
  ck_assert_str_eq(h->url, "/artikel/hoergeraet");
  /* The record's header travels with the hit. */
  ck_assert_ptr_nonnull(h->rec);
  ck_assert_str_eq(h->rec->id, "hoergeraet");
  const kb_schema *sc = kb_searcher_vocab(s)->schema;
  ck_assert_str_eq(kb_record_value(h->rec, kb_schema_field(sc, "type")),
                   "anpassung");
  /* What it is: the label of the first enum of its facts box (type). */
  ck_assert_str_eq(h->label, "Arbeitsplatzgestaltung und Hilfsmittel");
  ck_assert_str_eq(h->summary, "Wie ein Hörgerät am Arbeitsplatz hilft und "
                               "wer die Kosten übernimmt.");
  ck_assert_str_eq(h->updated, "2026-03-01");
  ck_assert(h->score > 0.0);
  /* The snippet is HTML with the match marked. */
  ck_assert_ptr_nonnull(strstr(h->snippet, "<mark>Telefon</mark>"));
  kb_search_result_free(r);
}
END_TEST

/* ---- filters and facets ----------------------------------------------------
 */

START_TEST(facet_filter_or_within_and_across) {
  kb_search_request req = {.per_page = 50};
  req.filters[fx("type")][0] = "anpassung";
  req.filters[fx("type")][1] = "recht";
  req.nfilters[fx("type")] = 2;
  kb_search_result *r = run(&req);
  ck_assert_uint_eq(r->total, 5); /* 3 anpassung OR 2 recht */
  ck_assert(r->browsing);
  kb_search_result_free(r);

  req.nfilters[fx("type")] = 1; /* anpassung */
  req.filters[fx("audience")][0] = "beschaeftigte";
  req.nfilters[fx("audience")] = 1;
  r = run(&req);
  /* anpassung AND beschaeftigte */
  static const char *const both[] = {"hoergeraet", "leichte-sprache", NULL};
  hits_are(r, both);
  kb_search_result_free(r);

  /* With a query as well. */
  req.query = "Hörgerät";
  r = run(&req);
  static const char *const hoer[] = {"hoergeraet", NULL};
  hits_are(r, hoer);
  kb_search_result_free(r);

  /* Norm filters name laws in any spelling kb_cite_law knows. */
  kb_search_request nr = {.per_page = 50};
  nr.filters[fx("norm")][0] = "SGB 9";
  nr.nfilters[fx("norm")] = 1;
  r = run(&nr);
  ck_assert_uint_eq(r->total, 3);
  kb_search_result_free(r);
  nr.filters[fx("norm")][0] = "SGB V";
  r = run(&nr);
  static const char *const kind[] = {"kinderkrankengeld", NULL};
  hits_are(r, kind);
  kb_search_result_free(r);
  nr.filters[fx("norm")][0] = "SGB VII";
  r = run(&nr);
  ck_assert_uint_eq(r->total, 0);
  kb_search_result_free(r);
}
END_TEST

START_TEST(facet_counts_disjunctive) {
  kb_search_request req = {.per_page = 50};
  req.filters[fx("type")][0] = "anpassung";
  req.nfilters[fx("type")] = 1;
  kb_search_result *r = run(&req);
  ck_assert_uint_eq(r->total, 3);
  /* The chosen type keeps showing its alternatives with their counts
   * (as if it were not chosen) ... */
  const kb_facet_value *v = facet(r, fx("type"), "anpassung");
  ck_assert_ptr_nonnull(v);
  ck_assert(v->selected);
  ck_assert_uint_eq(v->count, 3);
  v = facet(r, fx("type"), "recht");
  ck_assert_ptr_nonnull(v);
  ck_assert(!v->selected);
  ck_assert_uint_eq(v->count, 2);
  ck_assert_uint_eq(count_of(r, fx("type"), "bem"), 1);
  /* ... while the other facets count within the selection. */
  ck_assert_uint_eq(count_of(r, fx("audience"), "arbeitgeber"), 2);
  ck_assert_uint_eq(count_of(r, fx("audience"), "beschaeftigte"), 2);
  ck_assert_ptr_null(facet(r, fx("audience"), "sbv"));
  kb_search_result_free(r);

  /* Two facets chosen: each counts under the other's filter. */
  req.filters[fx("audience")][0] = "beschaeftigte";
  req.nfilters[fx("audience")] = 1;
  r = run(&req);
  ck_assert_uint_eq(count_of(r, fx("type"), "anpassung"), 2);
  ck_assert_uint_eq(count_of(r, fx("type"), "recht"), 1);
  ck_assert_uint_eq(count_of(r, fx("type"), "bem"), 1);
  v = facet(r, fx("audience"), "beschaeftigte");
  ck_assert_ptr_nonnull(v);
  ck_assert(v->selected);
  ck_assert_uint_eq(count_of(r, fx("audience"), "arbeitgeber"), 2);
  kb_search_result_free(r);
}
END_TEST

START_TEST(selected_value_without_matches_listed) {
  kb_search_request req = {.per_page = 50};
  req.filters[fx("type")][0] = "behinderung"; /* no article has it */
  req.nfilters[fx("type")] = 1;
  kb_search_result *r = run(&req);
  ck_assert_uint_eq(r->total, 0);
  const kb_facet_value *v = facet(r, fx("type"), "behinderung");
  ck_assert_ptr_nonnull(v);
  ck_assert(v->selected);
  ck_assert_uint_eq(v->count, 0);
  ck_assert_str_eq(v->label, "Behinderung im Arbeitsleben");
  /* The way out is still shown. */
  ck_assert_uint_eq(count_of(r, fx("type"), "anpassung"), 3);
  kb_search_result_free(r);
}
END_TEST

/* ---- sorting and paging -----------------------------------------------------
 */

START_TEST(sort_updated) {
  kb_search_request req = {
      .query = "Hörgerät OR Bildschirmlesegerät OR Eingliederungszuschuss",
      .per_page = 50,
      .sort = KB_SORT_UPDATED};
  kb_search_result *r = run(&req);
  ck_assert_int_eq(r->sort, KB_SORT_UPDATED);
  static const char *const by_date[] = {"hoergeraet", "bildschirmlesegeraet",
                                        "foerderung-eingliederung", NULL};
  hits_are(r, by_date);
  ck_assert(!r->browsing);
  kb_search_result_free(r);
  /* Browsing with sort=updated: the same newest-first order. */
  kb_search_request b = {.per_page = 50, .sort = KB_SORT_UPDATED};
  r = run(&b);
  hits_are(r, newest_first);
  kb_search_result_free(r);
}
END_TEST

START_TEST(paging) {
  kb_search_request req = {.per_page = 3, .page = 1};
  kb_search_result *r = run(&req);
  ck_assert_uint_eq(r->total, 8);
  ck_assert_uint_eq(r->page, 1);
  ck_assert_uint_eq(r->per_page, 3);
  static const char *const p1[] = {"kinderkrankengeld", "bem-grundlagen", "sbv",
                                   NULL};
  hits_are(r, p1);
  kb_search_result_free(r);
  req.page = 2;
  r = run(&req);
  static const char *const p2[] = {"hoergeraet", "bildschirmlesegeraet",
                                   "anpassung-arbeitsplatz", NULL};
  hits_are(r, p2);
  kb_search_result_free(r);
  req.page = 3;
  r = run(&req);
  static const char *const p3[] = {"leichte-sprache",
                                   "foerderung-eingliederung", NULL};
  hits_are(r, p3);
  ck_assert_uint_eq(r->total, 8);
  kb_search_result_free(r);
  /* Past the end: no hits, the total still right. */
  req.page = 4;
  r = run(&req);
  ck_assert_uint_eq(r->nhits, 0);
  ck_assert_uint_eq(r->total, 8);
  kb_search_result_free(r);
  req.page = 1000;
  r = run(&req);
  ck_assert_uint_eq(r->nhits, 0);
  kb_search_result_free(r);
}
END_TEST

START_TEST(paging_defaults) {
  kb_search_request req = {.page = 0, .per_page = 0};
  kb_search_result *r = run(&req);
  ck_assert_uint_eq(r->page, 1);
  ck_assert_uint_eq(r->per_page, KB_PER_PAGE_DEFAULT);
  ck_assert_uint_eq(r->nhits, 8);
  ck_assert_int_eq(r->sort, KB_SORT_RELEVANCE);
  kb_search_result_free(r);
}
END_TEST

/* ---- validation -------------------------------------------------------------
 */

static kb_status validate(const kb_search_request *req) {
  free(err);
  err = NULL;
  kb_status st = kb_search_validate(s, req, &err);
  if (st != KB_OK) {
    ck_assert_ptr_nonnull(err);
  } else {
    ck_assert_ptr_null(err);
  }
  /* kb_search refuses the same requests, with the same status. */
  kb_search_result *r = (kb_search_result *)1;
  char *e2 = NULL;
  kb_status st2 = kb_search(s, req, &r, &e2);
  ck_assert_int_eq(st2, st);
  if (st2 == KB_OK)
    kb_search_result_free(r);
  else
    ck_assert_ptr_eq(r, (kb_search_result *)1);
  free(e2);
  return st;
}

START_TEST(validate_query_length) {
  char q[KB_QUERY_MAX_BYTES + 2];
  memset(q, 'a', KB_QUERY_MAX_BYTES);
  q[KB_QUERY_MAX_BYTES] = '\0';
  kb_search_request req = {.query = q};
  ck_assert_int_eq(validate(&req), KB_OK);
  q[KB_QUERY_MAX_BYTES] = 'a';
  q[KB_QUERY_MAX_BYTES + 1] = '\0';
  ck_assert_int_eq(validate(&req), KB_ERR_LIMIT);
  ck_assert_str_eq(err, "the query is longer than 500 bytes; shorten it");
  /* Invalid UTF-8 is refused, not searched. */
  req.query = "Gr\xFC\xDF"
              "e";
  ck_assert_int_eq(validate(&req), KB_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(err, "UTF-8"));
}
END_TEST

START_TEST(validate_page_bounds) {
  kb_search_request req = {.per_page = 50, .page = 1000};
  ck_assert_int_eq(validate(&req), KB_OK);
  req.per_page = 51;
  ck_assert_int_eq(validate(&req), KB_ERR_LIMIT);
  ck_assert_str_eq(err, "per_page must be between 1 and 50");
  req.per_page = 10;
  req.page = 1001;
  ck_assert_int_eq(validate(&req), KB_ERR_LIMIT);
  ck_assert_str_eq(err, "page must be between 1 and 1000");
  req.page = UINT32_MAX;
  ck_assert_int_eq(validate(&req), KB_ERR_LIMIT);
}
END_TEST

START_TEST(validate_unknown_values) {
  kb_search_request req = {0};
  req.filters[fx("type")][0] = "rech";
  req.nfilters[fx("type")] = 1;
  ck_assert_int_eq(validate(&req), KB_ERR_INVALID);
  ck_assert_str_eq(err, "unknown type 'rech' (did you mean 'recht'?)");
  req.filters[fx("type")][0] = "recht";
  req.filters[fx("audience")][0] = "personalvertretung";
  req.nfilters[fx("audience")] = 1;
  ck_assert_int_eq(validate(&req), KB_ERR_INVALID);
  ck_assert_str_eq(err, "unknown audience 'personalvertretung'");
  req.filters[fx("audience")][0] = "arbeitgber";
  ck_assert_int_eq(validate(&req), KB_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(err, "did you mean 'arbeitgeber'?"));
  /* Keys are exact: labels and case variants are not keys. */
  req.filters[fx("audience")][0] = "Arbeitgeber";
  ck_assert_int_eq(validate(&req), KB_ERR_INVALID);
  req.nfilters[fx("audience")] = 0;
  /* Norms have no vocabulary: a law the citation parser knows is a valid
   * filter, in any of its spellings; anything else is refused (api.md),
   * not answered with silence. */
  req.filters[fx("norm")][0] = "SGB IX";
  req.nfilters[fx("norm")] = 1;
  ck_assert_int_eq(validate(&req), KB_OK);
  req.filters[fx("norm")][0] = "SGB 9";
  ck_assert_int_eq(validate(&req), KB_OK);
  req.filters[fx("norm")][0] = "BGB";
  ck_assert_int_eq(validate(&req), KB_OK);
  req.filters[fx("norm")][0] = "foo";
  ck_assert_int_eq(validate(&req), KB_ERR_INVALID);
  ck_assert_str_eq(err, "unknown norm 'foo' (give a law, such as 'SGB IX' "
                        "or 'BGB')");
  req.filters[fx("norm")][0] = "SGB";
  ck_assert_int_eq(validate(&req), KB_ERR_INVALID);
  req.filters[fx("norm")][0] = "SGB IX und mehr";
  ck_assert_int_eq(validate(&req), KB_ERR_INVALID);
  req.filters[fx("norm")][0] = "SGB IX";
  /* The kind facet knows the kinds of schema.yaml. */
  req.filters[fx("kind")][0] = "artikel";
  req.nfilters[fx("kind")] = 1;
  ck_assert_int_eq(validate(&req), KB_OK);
  req.filters[fx("kind")][0] = "artikl";
  ck_assert_int_eq(validate(&req), KB_ERR_INVALID);
  ck_assert_str_eq(err, "unknown kind 'artikl' (did you mean 'artikel'?)");
  req.nfilters[fx("kind")] = 0;
  /* A filter on a facet the schema does not declare. */
  size_t none = kb_searcher_vocab(s)->schema->nfacets;
  req.filters[none][0] = "x";
  req.nfilters[none] = 1;
  ck_assert_int_eq(validate(&req), KB_ERR_INVALID);
}
END_TEST

START_TEST(validate_filter_limits) {
  kb_search_request req = {0};
  for (int i = 0; i < KB_FILTER_MAX_VALUES; i++)
    req.filters[fx("norm")][i] = "BGB";
  req.nfilters[fx("norm")] = KB_FILTER_MAX_VALUES;
  ck_assert_int_eq(validate(&req), KB_OK);
  req.nfilters[fx("norm")] = KB_FILTER_MAX_VALUES + 1;
  ck_assert_int_eq(kb_search_validate(s, &req, &err), KB_ERR_LIMIT);
  ck_assert_ptr_nonnull(strstr(err, "at most 20 values of 'norm'"));
  req.nfilters[fx("norm")] = 1;
  char longv[KB_FILTER_MAX_BYTES + 2];
  memset(longv, 'G', sizeof longv - 1);
  longv[sizeof longv - 1] = '\0';
  req.filters[fx("norm")][0] = longv;
  ck_assert_int_eq(validate(&req), KB_ERR_INVALID);
  req.filters[fx("norm")][0] = "SGB\xFF";
  ck_assert_int_eq(validate(&req), KB_ERR_INVALID);
}
END_TEST

/* ---- query syntax
 * ------------------------------------------------------------ */

START_TEST(synonym_sbv) {
  /* No article says "SBV"; the synonym finds the Schwerbehindertenvertretung.
   */
  kb_search_result *r = query("SBV");
  static const char *const sbv[] = {"sbv", NULL};
  hits_are(r, sbv);
  ck_assert(!r->corrected);
  ck_assert_ptr_null(r->suggestion);
  kb_search_result_free(r);
  r = query("sbv");
  hits_are(r, sbv);
  kb_search_result_free(r);
}
END_TEST

START_TEST(snippet_window_finds_a_late_mention) {
  kb_searcher *x = NULL;
  OK(kb_searcher_open(syndb, &x, &err));
  kb_search_request req = {.query = "rampenplanung"};
  kb_search_result *r = NULL;
  OK(kb_search(x, &req, &r, &err));
  ck_assert_uint_eq(r->nhits, 1);
  ck_assert_str_eq(r->hits[0].id, "lager-wege");
  ck_assert_msg(strstr(r->hits[0].snippet, "<mark>Rampenplanung</mark>"),
                "snippet: %s", r->hits[0].snippet);
  kb_search_result_free(r);
  kb_searcher_close(x);
}
END_TEST

START_TEST(synonyms_both_ways) {
  /* In the index with articles using one side of a group only. */
  kb_searcher *x = NULL;
  OK(kb_searcher_open(syndb, &x, &err));
  kb_search_request req = {.query = "Betriebliches Eingliederungsmanagement",
                           .per_page = 50};
  kb_search_result *r = NULL;
  OK(kb_search(x, &req, &r, &err));
  ck_assert(has_hit(r, "bem-grundlagen"));
  ck_assert(has_hit(r, "bem-kurz")); /* says only "BEM" */
  ck_assert(!r->relaxed);
  kb_search_result_free(r);
  req.query = "BEM";
  OK(kb_search(x, &req, &r, &err));
  ck_assert(has_hit(r, "bem-grundlagen"));
  ck_assert(has_hit(r, "bem-kurz"));
  kb_search_result_free(r);
  /* The newer name finds the article with the older one. */
  req.query = "Inklusionsamt";
  OK(kb_search(x, &req, &r, &err));
  ck_assert(has_hit(r, "integrationsamt"));
  ck_assert(!r->corrected);
  kb_search_result_free(r);
  kb_searcher_close(x);
}
END_TEST

START_TEST(citation_queries) {
  static const char *const bem[] = {"bem-grundlagen", NULL};
  kb_search_result *r = query("167 SGB IX");
  hits_are(r, bem);
  ck_assert_str_eq(r->citation_note, "§ 167 SGB IX");
  kb_search_result_free(r);
  r = query("§ 167 SGB IX");
  hits_are(r, bem);
  kb_search_result_free(r);
  r = query("§167 SGB 9");
  hits_are(r, bem);
  ck_assert_str_eq(r->citation_note, "§ 167 SGB IX");
  kb_search_result_free(r);
  r = query("§ 167 Abs. 2 SGB IX");
  hits_are(r, bem);
  ck_assert_str_eq(r->citation_note, "§ 167 Abs. 2 SGB IX");
  kb_search_result_free(r);
  /* SGB V and SGB VII are different books. */
  r = query("§ 45 SGB V");
  static const char *const kind[] = {"kinderkrankengeld", NULL};
  hits_are(r, kind);
  kb_search_result_free(r);
  r = query("§ 45 SGB VII");
  ck_assert_uint_eq(r->total, 0);
  ck_assert_str_eq(r->citation_note, "§ 45 SGB VII");
  kb_search_result_free(r);
  r = query("Art. 9 DSGVO");
  hits_are(r, bem);
  kb_search_result_free(r);
  /* Excluding a citation. */
  r = query("-§ 167 SGB IX");
  ck_assert_uint_eq(r->total, 7);
  ck_assert(!has_hit(r, "bem-grundlagen"));
  kb_search_result_free(r);
  /* No citation, no note. */
  r = query("Hörgerät");
  ck_assert_ptr_null(r->citation_note);
  kb_search_result_free(r);
}
END_TEST

START_TEST(misspelling_corrected) {
  kb_search_result *r = query("Eingliederungsmanagment");
  ck_assert(r->corrected);
  ck_assert_ptr_nonnull(r->suggestion);
  /* Capitalised like the word the user typed. */
  ck_assert_str_eq(r->suggestion, "Eingliederungsmanagement");
  static const char *const bem[] = {"bem-grundlagen", NULL};
  hits_are(r, bem);
  ck_assert_str_eq(r->query, "Eingliederungsmanagment"); /* as typed */
  /* The snippet marks the word as corrected, and the facets count the
   * correction's results. */
  ck_assert_ptr_nonnull(
      strstr(r->hits[0].snippet, "<mark>Eingliederungsmanagement</mark>"));
  uint64_t counted = 0;
  for (size_t i = 0; i < r->facets[fx("type")].n; i++)
    counted += r->facets[fx("type")].values[i].count;
  ck_assert_uint_ge(counted, r->total);
  kb_search_result_free(r);
  r = query("Schwerbehindertenvertretnug");
  ck_assert(r->corrected);
  static const char *const sbv[] = {"sbv", NULL};
  hits_are(r, sbv);
  kb_search_result_free(r);
  /* A known word is left alone. */
  r = query("Eingliederungsmanagement");
  ck_assert(!r->corrected);
  ck_assert_ptr_null(r->suggestion);
  kb_search_result_free(r);
}
END_TEST

/* A keyword query whose misspelt word is a function word ("nahc") is
 * corrected into a sentence: its results are ranked as if the suggestion
 * had been typed (BM25 for sentences), not as the keywords typed. */
START_TEST(correction_ranked_as_typed) {
  kb_search_result *r = query("Arbeitgeber nahc Anpassung");
  ck_assert(r->corrected);
  ck_assert_str_eq(r->suggestion, "Arbeitgeber nach Anpassung");
  kb_search_result *typed = query("Arbeitgeber nach Anpassung");
  ck_assert(!typed->corrected);
  ck_assert_uint_gt(typed->nhits, 1);
  ck_assert_uint_eq(r->nhits, typed->nhits);
  for (size_t i = 0; i < r->nhits; i++) {
    ck_assert_str_eq(r->hits[i].id, typed->hits[i].id);
    ck_assert_double_eq_tol(r->hits[i].score, typed->hits[i].score, 1e-9);
  }
  kb_search_result_free(typed);
  kb_search_result_free(r);
}
END_TEST

START_TEST(no_correction_respected) {
  kb_search_request req = {.query = "Eingliederungsmanagment",
                           .per_page = 50,
                           .no_correction = true};
  kb_search_result *r = run(&req);
  ck_assert(!r->corrected);
  ck_assert_uint_eq(r->total, 0);
  /* The suggestion is still offered. */
  ck_assert_ptr_nonnull(r->suggestion);
  ck_assert_str_eq(r->suggestion, "Eingliederungsmanagement");
  kb_search_result_free(r);
}
END_TEST

START_TEST(phrase_and_exclusion) {
  static const char *const foe[] = {"foerderung-eingliederung", NULL};
  kb_search_result *r = query("\"Agentur für Arbeit\"");
  hits_are(r, foe);
  /* The snippet marks the phrase where it stands, as one. */
  ck_assert_msg(strstr(r->hits[0].snippet, "<mark>Agentur für Arbeit</mark>"),
                "%s", r->hits[0].snippet);
  kb_search_result_free(r);
  /* ... and its words nowhere else: "mit" of "mit dem Telefon" stays. */
  r = query("\"mit Schwerhörigkeit\"");
  ck_assert_uint_eq(r->total, 1);
  ck_assert_msg(
      strstr(r->hits[0].snippet, "<mark>mit Schwerhörigkeit</mark>") &&
          !strstr(r->hits[0].snippet, "<mark>mit</mark>"),
      "%s", r->hits[0].snippet);
  kb_search_result_free(r);
  /* An excluded phrase marks none of its words in the results ("Für
   * Beschäftigte" in hoergeraet). */
  r = query("Arbeit -\"für Arbeit\"");
  ck_assert(has_hit(r, "hoergeraet"));
  for (size_t i = 0; i < r->nhits; i++)
    ck_assert_msg(!strstr(r->hits[i].snippet, "<mark>Für</mark>"), "%s",
                  r->hits[i].snippet);
  kb_search_result_free(r);
  /* Word order matters in a phrase. */
  ck_assert_uint_eq(total("\"Arbeit für Agentur\""), 0);
  ck_assert_uint_eq(total("\"Leichter Sprache\""), 1);
  /* A phrase matches stems: other endings of the same words, in the same
   * order ("Betriebliches Eingliederungsmanagement" in the text). */
  ck_assert_uint_eq(total("\"Leichte Sprache\""), 1);
  ck_assert_uint_eq(total("\"Sprache Leichte\""), 0);
  r = query("\"betriebliche Eingliederungsmanagements\"");
  static const char *const bem[] = {"bem-grundlagen", NULL};
  hits_are(r, bem);
  kb_search_result_free(r);
  /* Exclusions. */
  r = query("Beschäftigte -Kamera");
  static const char *const hoer[] = {"hoergeraet", NULL};
  hits_are(r, hoer);
  kb_search_result_free(r);
  ck_assert_uint_eq(total("Beschäftigte"), 2);
  ck_assert_uint_eq(total("Hörgerät -Telefon"), 0);
  ck_assert_uint_eq(total("-Hörgerät"), 7);
  ck_assert_uint_eq(total("Eltern -\"bezahlte Freistellung\""), 0);
  ck_assert_uint_eq(total("Beschäftigte NOT Kamera"), 1);
}
END_TEST

START_TEST(wildcard) {
  kb_search_result *r = query("Eingliederungs*");
  ck_assert_uint_eq(r->total, 2);
  ck_assert(has_hit(r, "bem-grundlagen"));           /* ...management */
  ck_assert(has_hit(r, "foerderung-eingliederung")); /* ...zuschuss */
  kb_search_result_free(r);
  r = query("Bildschirm*");
  ck_assert(has_hit(r, "bildschirmlesegeraet"));
  /* The index has stems: the expansion's words are marked all the same. */
  ck_assert_msg(strstr(r->hits[0].snippet, "<mark>Bildschirmlesegerät</mark>"),
                "%s", r->hits[0].snippet);
  kb_search_result_free(r);
  ck_assert_uint_eq(total("Quanten*"), 0);
  /* Umlauts as the stems fold them; "fördert" in sbv. */
  r = query("Förder*");
  static const char *const sbv[] = {"sbv", NULL};
  hits_are(r, sbv);
  kb_search_result_free(r);
  /* A whole word with a star: its own stem ("beschaftigt") is shorter than
   * the word, and still matched. */
  ck_assert_uint_eq(total("Beschäftigte*"), total("Beschäftigte"));
  ck_assert_uint_eq(total("Beschäftigte*"), 2);
  /* A prefix that ends inside an ending the stemmer takes off, and is
   * no word itself: "Arbeitszeiten" (stem "arbeitszeit") in
   * anpassung-arbeitsplatz, found through the words as written. */
  r = query("Arbeitszeite*");
  static const char *const zeit[] = {"anpassung-arbeitsplatz", NULL};
  hits_are(r, zeit);
  ck_assert(!r->short_wildcard);
  kb_search_result_free(r);
}
END_TEST

/* A wildcard with a beginning of fewer than three letters is not
 * expanded; the result says so, for the page and the API to explain the
 * empty answer, and whether it was all the query asked for. */
START_TEST(short_wildcard_is_told) {
  kb_search_result *r = query("Be*");
  ck_assert_uint_eq(r->total, 0);
  ck_assert(r->short_wildcard);
  ck_assert(r->short_wildcard_only);
  kb_search_result_free(r);
  r = query("Bem*");
  ck_assert(!r->short_wildcard);
  ck_assert_uint_gt(r->total, 0);
  kb_search_result_free(r);
  /* Beside another word the relaxed fallback finds that word alone. */
  r = query("Be* Bildschirmlesegerät");
  ck_assert(r->short_wildcard && !r->short_wildcard_only);
  ck_assert(r->relaxed);
  ck_assert(has_hit(r, "bildschirmlesegeraet"));
  kb_search_result_free(r);
  /* Beside a citation it is not all the query asked for. */
  r = query("§ 167 SGB IX Be*");
  ck_assert(r->short_wildcard && !r->short_wildcard_only);
  kb_search_result_free(r);
  /* An excluded one excludes nothing and is not what found nothing. */
  r = query("Bildschirmlesegerät -Be*");
  ck_assert(!r->short_wildcard);
  ck_assert(has_hit(r, "bildschirmlesegeraet"));
  kb_search_result_free(r);
  /* Letters, not bytes: "Öl" is two ("öl", three bytes). */
  r = query("Öl*");
  ck_assert(r->short_wildcard);
  kb_search_result_free(r);
  r = query("Förd*");
  ck_assert(!r->short_wildcard);
  ck_assert_uint_gt(r->total, 0);
  kb_search_result_free(r);
  /* No star, no note; nor for a word too long to be a beginning. */
  r = query("Be");
  ck_assert(!r->short_wildcard);
  kb_search_result_free(r);
  char long_one[128];
  memset(long_one, 'a', 100);
  strcpy(long_one + 100, "*");
  r = query(long_one);
  ck_assert_uint_eq(r->total, 0);
  ck_assert(!r->short_wildcard);
  kb_search_result_free(r);
}
END_TEST

START_TEST(field_prefixes) {
  kb_search_result *r = query("typ:recht");
  static const char *const recht[] = {"kinderkrankengeld", "sbv", NULL};
  hits_are(r, recht);
  kb_search_result_free(r);
  ck_assert_uint_eq(total("TYP:recht"), 2);
  ck_assert_uint_eq(total("type:recht"), 2);
  ck_assert_uint_eq(total("typ:Recht"), 2);
  /* titel: looks at the title only. */
  r = query("titel:Hörgerät");
  static const char *const hoer[] = {"hoergeraet", NULL};
  hits_are(r, hoer);
  kb_search_result_free(r);
  ck_assert_uint_eq(total("titel:Telefon"), 0); /* only in the body */
  ck_assert_uint_eq(total("Telefon"), 1);
  ck_assert_uint_eq(total("titel:\"Leichter Sprache\""), 1);
  /* Facets in the query, with umlauts as people type them. */
  ck_assert_uint_eq(total("zielgruppe:Beschäftigte"), 4);
  ck_assert_uint_eq(total("behinderung:Hörbehinderung"), 1);
  ck_assert_uint_eq(total("thema:Hörgerät"), 1);
  ck_assert_uint_eq(total("norm:BGB"), 1);
  ck_assert_uint_eq(total("norm:\"SGB IX\""), 3);
  r = query("norm:\"§ 167 SGB IX\"");
  static const char *const bem[] = {"bem-grundlagen", NULL};
  hits_are(r, bem);
  kb_search_result_free(r);
  /* Prefix and words together: AND. */
  ck_assert_uint_eq(total("Hörgerät typ:recht"), 0);
  ck_assert_uint_eq(total("Hörgerät typ:anpassung"), 1);
  /* Unknown prefixes are just words. */
  ck_assert_uint_eq(total("farbe:blau"), 0);
}
END_TEST

/* Fixed bug, kept as a regression test: "norm:SGB IX" - the natural way to
 * write the law - does not filter by the law: the value ends at the blank,
 * "SGB" alone is no law and the filter is silently dropped, and "IX" is
 * searched as a word.  Finds 1 article (the one whose text says "IX") instead
 * of the 3 whose norms cite SGB IX (as norm:"SGB IX" and the norm=SGB IX filter
 * do). */
START_TEST(norm_prefix_two_word_law) {
  ck_assert_uint_eq(total("norm:SGB IX"), 3);
  ck_assert_uint_eq(total("norm:SGB V"), 1);
}
END_TEST

/* Fixed bug, kept as a regression test: a norm: prefix whose value is no law is
 * dropped silently, so the query turns into browsing and returns every article:
 * "norm:Quatsch" and "norm:SGB" return all 8, where typ:quatsch correctly
 * returns 0 and the norm=Quatsch request filter returns 0 too. */
START_TEST(norm_prefix_unknown_law_matches_nothing) {
  ck_assert_uint_eq(total("typ:quatsch"), 0);
  ck_assert_uint_eq(total("norm:Quatsch"), 0);
  ck_assert_uint_eq(total("norm:SGB"), 0);
}
END_TEST

START_TEST(malformed_queries_never_fail) {
  static const char *const bad[] = {
      "\"Agentur für",
      "-",
      "OR OR",
      ":::",
      "((((",
      "*",
      "-\"\"",
      "typ:",
      "titel:\"",
      "\"\"",
      "AND",
      "NOT",
      "-OR",
      "§§§ 167",
      "Hörgerät -",
      "a OR",
      "OR a",
      "--Telefon",
      "titel:",
      "norm:",
      "\"\"\"",
      "- - -",
      "typ:recht OR",
      "Arbeit*\"",
      "§",
      "Art.",
      "\xF0\x9F\x99\x82",
      "ｓｇｂ",
      "a:b:c:d",
      "-titel:Hörgerät",
      "\\\"x\\\"",
      "*Hörgerät",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    kb_search_result *r = NULL;
    kb_search_request req = {.query = bad[i]};
    free(err);
    err = NULL;
    kb_status st = kb_search(s, &req, &r, &err);
    ck_assert_msg(st == KB_OK, "'%s' failed: %s (%s)", bad[i],
                  kb_status_name(st), err ? err : "");
    ck_assert_uint_le(r->total, 8);
    kb_search_result_free(r);
  }
  /* 500 bytes of "§", of hyphens, of quotes, of minus signs. */
  static const char *const units[] = {"§",   "a-",    "\" ",     "-x ",
                                      "OR ", "wort ", "titel:x "};
  for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
    char q[KB_QUERY_MAX_BYTES + 1] = "";
    size_t ul = strlen(units[u]);
    while (strlen(q) + ul <= KB_QUERY_MAX_BYTES)
      strcat(q, units[u]);
    kb_search_request req = {.query = q};
    kb_search_result *r = NULL;
    free(err);
    err = NULL;
    kb_status st = kb_search(s, &req, &r, &err);
    ck_assert_msg(st == KB_OK, "'%s' x n failed: %s (%s)", units[u],
                  kb_status_name(st), err ? err : "");
    kb_search_result_free(r);
  }
}
END_TEST

/* Fixed bug, kept as a regression test: two query forms make kb_search fail
 * (KB_ERR_LIMIT, and no message at all) although "a malformed query never
 * fails":
 *  - a wildcard over 256 bytes ("aaa...a*", 300 a's): the wildcard's
 *    normalisation buffer in kb_query_build is capped at 256 bytes;
 *  - thema: with a phrase key over 119 bytes (thema:"wort wort ..." with
 *    30 words): field_query's key buffer is capped at 119 bytes.
 * Both are within KB_QUERY_MAX_BYTES, so they pass validation. */
START_TEST(long_field_values_never_fail) {
  char q[KB_QUERY_MAX_BYTES + 1];
  memset(q, 'a', 300);
  q[300] = '*';
  q[301] = '\0';
  kb_search_request req = {.query = q};
  kb_search_result *r = NULL;
  free(err);
  err = NULL;
  kb_status st = kb_search(s, &req, &r, &err);
  ck_assert_msg(st == KB_OK, "long wildcard: %s (%s)", kb_status_name(st),
                err ? err : "no message");
  kb_search_result_free(r);
  strcpy(q, "thema:\"");
  for (int i = 0; i < 30; i++)
    strcat(q, "wort ");
  strcat(q, "\"");
  req.query = q;
  r = NULL;
  st = kb_search(s, &req, &r, &err);
  ck_assert_msg(st == KB_OK, "long thema: %s (%s)", kb_status_name(st),
                err ? err : "no message");
  ck_assert_uint_eq(r->total, 0);
  kb_search_result_free(r);
}
END_TEST

/* ---- articles
 * ----------------------------------------------------------------- */

START_TEST(record_found) {
  kb_record *a = NULL;
  OK(kb_searcher_record(s, "bem-grundlagen", &a, &err));
  const kb_schema *sc = kb_searcher_vocab(s)->schema;
  ck_assert_str_eq(a->id, "bem-grundlagen");
  ck_assert_str_eq(a->kind, "artikel");
  ck_assert_str_eq(a->title, "Betriebliches Eingliederungsmanagement");
  ck_assert_str_eq(a->updated, "2026-05-01");
  ck_assert_uint_eq(a->values[kb_schema_field(sc, "audience")].n, 4);
  ck_assert_str_eq(a->values[kb_schema_field(sc, "norms")].v[0],
                   "§ 167 Abs. 2 SGB IX");
  ck_assert_uint_eq(a->laws.n, 2);
  /* With its body: the HTML and the plain text. */
  ck_assert_ptr_nonnull(strstr(a->html, "<p>Das Eingliederungsmanagement"));
  ck_assert_ptr_nonnull(strstr(a->text, "Gespräch"));
  kb_record_free(a);
}
END_TEST

START_TEST(record_not_found) {
  static const char *const ids[] = {"gibt-es-nicht",  "",
                                    "../etc/passwd",  "BEM-GRUNDLAGEN",
                                    "bem grundlagen", "x"};
  for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
    kb_record *a = (kb_record *)1;
    free(err);
    err = NULL;
    ck_assert_int_eq(kb_searcher_record(s, ids[i], &a, &err), KB_ERR_NOT_FOUND);
    ck_assert_ptr_eq(a, (kb_record *)1);
    ck_assert_ptr_nonnull(err);
  }
  ck_assert_str_eq(err, "no record 'x'");
}
END_TEST

START_TEST(similar_excludes_itself) {
  kb_record_list list = {0};
  OK(kb_searcher_similar(s, "bem-grundlagen", 5, NULL, 0, &list, &err));
  ck_assert_uint_gt(list.n, 0);
  ck_assert_uint_le(list.n, 5);
  for (size_t i = 0; i < list.n; i++) {
    const kb_record *it = list.v[i];
    ck_assert_str_ne(it->id, "bem-grundlagen");
    ck_assert_str_eq(it->kind, "artikel");
    ck_assert_str_ne(it->title, "");
    ck_assert_str_ne(it->summary, "");
    ck_assert_uint_eq(strlen(it->updated), 10);
    /* Headers only. */
    ck_assert_str_eq(it->html, "");
  }
  /* Excluded ids are left out and max is honoured. */
  const char *excl[] = {list.v[0]->id};
  kb_record_list list2 = {0};
  OK(kb_searcher_similar(s, "bem-grundlagen", 2, excl, 1, &list2, &err));
  ck_assert_uint_le(list2.n, 2);
  for (size_t i = 0; i < list2.n; i++)
    ck_assert_str_ne(list2.v[i]->id, excl[0]);
  kb_record_list_free(&list2);
  kb_record_list_free(&list);
  ck_assert_uint_eq(list.n, 0); /* freeing empties it */
  /* max 0: an empty list. */
  OK(kb_searcher_similar(s, "hoergeraet", 0, NULL, 0, &list, &err));
  ck_assert_uint_eq(list.n, 0);
  kb_record_list_free(&list);
  kb_record_list_free(NULL);
}
END_TEST

START_TEST(similar_unknown_id) {
  kb_record_list list = {.n = 99};
  ck_assert_int_eq(
      kb_searcher_similar(s, "gibt-es-nicht", 5, NULL, 0, &list, &err),
      KB_ERR_NOT_FOUND);
  ck_assert_uint_eq(list.n, 99); /* untouched */
}
END_TEST

/* ---- records of several kinds ------------------------------------------ */

START_TEST(kinds_are_facets) {
  ck_assert_uint_eq(kb_searcher_doccount(s), 10);
  kb_search_result *r = query(NULL);
  ck_assert_uint_eq(count_of(r, fx("kind"), "artikel"), 9);
  ck_assert_uint_eq(count_of(r, fx("kind"), "begriff"), 1);
  ck_assert_str_eq(facet(r, fx("kind"), "begriff")->label, "Begriff");
  kb_search_result_free(r);
  kb_search_request req = {.per_page = 50};
  req.filters[fx("kind")][0] = "begriff";
  req.nfilters[fx("kind")] = 1;
  r = run(&req);
  static const char *const only[] = {"gdb", NULL};
  hits_are(r, only);
  /* A record of another kind: its own address, and its kind's label when
   * its facts box has no enum to say what it is. */
  const kb_hit *h = &r->hits[0];
  ck_assert_str_eq(h->kind, "begriff");
  ck_assert_str_eq(h->url, "/begriff/gdb");
  ck_assert_str_eq(h->label, "Begriff");
  kb_search_result_free(r);
  ck_assert_uint_eq(total("eintrag:begriff"), 1);
  ck_assert_uint_eq(total("eintrag:artikel"), 9);
}
END_TEST

/* A query equal to the title (with or without its abbreviation) or a
 * keyword of a kind looked up exactly shows that record above the
 * results. */
START_TEST(definition_of_exact_kind) {
  static const char *const hits[] = {
      "Grad der Behinderung", "grad der behinderung (gdb)", "Behinderungsgrad"};
  for (size_t i = 0; i < sizeof hits / sizeof *hits; i++) {
    kb_search_result *r = query(hits[i]);
    ck_assert_msg(r->definition != NULL, "no definition for '%s'", hits[i]);
    ck_assert_str_eq(r->definition->id, "gdb");
    ck_assert_ptr_nonnull(strstr(r->definition->html, "Versorgungsamt"));
    kb_search_result_free(r);
  }
  /* More than the term, or an article's title: no definition. */
  static const char *const none[] = {"Grad der Behinderung beantragen",
                                     "Den Grad der Behinderung beantragen",
                                     "Kinderkrankengeld", "Hörgerät"};
  for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
    kb_search_result *r = query(none[i]);
    ck_assert_msg(r->definition == NULL, "definition for '%s'", none[i]);
    kb_search_result_free(r);
  }
  kb_search_result *r = query(NULL);
  ck_assert_ptr_null(r->definition);
  kb_search_result_free(r);
}
END_TEST

START_TEST(linking_records) {
  kb_record_list l = {0};
  OK(kb_searcher_linking(s, "gdb", 10, &l, &err));
  ck_assert_uint_eq(l.n, 1);
  ck_assert_str_eq(l.v[0]->id, "gdb-antrag");
  ck_assert_str_eq(l.v[0]->html, ""); /* headers only */
  kb_record_list_free(&l);
  /* `related` is no link in the body. */
  OK(kb_searcher_linking(s, "gdb-antrag", 10, &l, &err));
  ck_assert_uint_eq(l.n, 0);
  kb_record_list_free(&l);
  OK(kb_searcher_linking(s, "gibt-es-nicht", 10, &l, &err));
  ck_assert_uint_eq(l.n, 0);
  kb_record_list_free(&l);
  OK(kb_searcher_linking(s, "gdb", 0, &l, &err));
  ck_assert_uint_eq(l.n, 0);
  kb_record_list_free(&l);
}
END_TEST

START_TEST(records_of_a_kind_by_title) {
  kb_record_list l = {0};
  OK(kb_searcher_kind(s, "begriff", 10, &l, &err));
  ck_assert_uint_eq(l.n, 1);
  ck_assert_str_eq(l.v[0]->id, "gdb");
  kb_record_list_free(&l);
  OK(kb_searcher_kind(s, "artikel", 50, &l, &err));
  ck_assert_uint_eq(l.n, 9);
  for (size_t i = 0; i < l.n; i++)
    ck_assert_str_eq(l.v[i]->kind, "artikel");
  static const char *const by_title[] = {
      "Anpassung des Arbeitsplatzes nach einem Unfall",
      "Aufgaben der Schwerbehindertenvertretung",
      "Betriebliches Eingliederungsmanagement",
      "Das Hörgerät im Büro",
      "Den Grad der Behinderung beantragen",
      "Der Arbeits-Platz in Leichter Sprache",
      "Ein Bildschirmlesegerät für die Sachbearbeitung",
      "Eingliederungszuschuss",
      "Kinderkrankengeld"};
  for (size_t i = 0; i < l.n; i++)
    ck_assert_str_eq(l.v[i]->title, by_title[i]);
  kb_record_list_free(&l);
  /* At most `max`: the first by title. */
  OK(kb_searcher_kind(s, "artikel", 2, &l, &err));
  ck_assert_uint_eq(l.n, 2);
  ck_assert_str_eq(l.v[0]->title, by_title[0]);
  ck_assert_str_eq(l.v[1]->title, by_title[1]);
  kb_record_list_free(&l);
  OK(kb_searcher_kind(s, "urteil", 10, &l, &err));
  ck_assert_uint_eq(l.n, 0);
  kb_record_list_free(&l);
}
END_TEST

/* ---- following a rebuild
 * -------------------------------------------------------- */

START_TEST(refresh_unchanged) {
  bool changed = true;
  OK(kb_searcher_refresh(s, &changed, &err));
  ck_assert(!changed);
  OK(kb_searcher_refresh(s, NULL, &err));
  ck_assert_uint_eq(kb_searcher_doccount(s), 8);
}
END_TEST

static const char ninth[] = "---\n"
                            "id: arbeitsassistenz\n"
                            "title: Arbeitsassistenz\n"
                            "type: foerderung\n"
                            "summary: Das Integrationsamt zahlt eine "
                            "Assistenz am Arbeitsplatz.\n"
                            "audience: [beschaeftigte]\n"
                            "disabilities: [sehbehinderung]\n"
                            "norms: [\"§ 185 Abs. 5 SGB IX\"]\n"
                            "updated: 2026-07-01\n"
                            "related: [hoergeraet]\n"
                            "---\n"
                            "Eine Arbeitsassistenz liest Post vor.\n";

START_TEST(refresh_follows_new_generation) {
  char corpus[1200], db[1200];
  snprintf(corpus, sizeof corpus, "%s/refresh-corpus-%d", tmpdir,
           (int)getpid());
  snprintf(db, sizeof db, "%s/refresh-index-%d", tmpdir, (int)getpid());
  copy_fixture(corpus);
  tu_build_index(corpus, db);
  kb_searcher *x = NULL;
  OK(kb_searcher_open(db, &x, &err));
  ck_assert_uint_eq(kb_searcher_doccount(x), 8);

  /* A second build into the same path, with a ninth article. */
  tu_write_file(corpus, "arbeitsassistenz.md", ninth);
  tu_build_index(corpus, db);
  /* Until refreshed, the searcher keeps answering from the old one
   * (which knows the word only as the parts of a compound). */
  kb_search_request req = {.query = "Arbeitsassistenz"};
  kb_search_result *r = NULL;
  OK(kb_search(x, &req, &r, &err));
  ck_assert(r->total == 0 || r->relaxed);
  for (size_t i = 0; i < r->nhits; i++)
    ck_assert_str_ne(r->hits[i].id, "arbeitsassistenz");
  kb_search_result_free(r);

  bool changed = false;
  OK(kb_searcher_refresh(x, &changed, &err));
  ck_assert(changed);
  ck_assert_uint_eq(kb_searcher_doccount(x), 9);
  OK(kb_search(x, &req, &r, &err));
  ck_assert_uint_eq(r->total, 1);
  ck_assert_str_eq(r->hits[0].id, "arbeitsassistenz");
  kb_search_result_free(r);
  /* Browsing shows it first (newest), and the article can be opened. */
  kb_search_request b = {0};
  OK(kb_search(x, &b, &r, &err));
  ck_assert_str_eq(r->hits[0].id, "arbeitsassistenz");
  kb_search_result_free(r);
  kb_record *a = NULL;
  OK(kb_searcher_record(x, "arbeitsassistenz", &a, &err));
  kb_record_free(a);
  /* A second refresh has nothing new. */
  OK(kb_searcher_refresh(x, &changed, &err));
  ck_assert(!changed);
  /* A third build prunes the generation the searcher first opened; the
   * searcher follows again. */
  tu_build_index(corpus, db);
  OK(kb_searcher_refresh(x, &changed, &err));
  ck_assert(changed);
  ck_assert_uint_eq(kb_searcher_doccount(x), 9);
  kb_searcher_close(x);
}
END_TEST

int main(void) {
  Suite *su = suite_create("search");
  TCase *tb = tcase_create("basics");
  tcase_add_unchecked_fixture(tb, build_all, remove_all);
  tcase_add_checked_fixture(tb, open_searcher, close_searcher);
  tcase_set_timeout(tb, 120);
  tcase_add_test(tb, open_missing_index_fails);
  tcase_add_test(tb, doccount_and_vocab);
  tcase_add_test(tb, browse_newest_first);
  tcase_add_test(tb, browse_facet_counts);
  tcase_add_test(tb, and_semantics);
  tcase_add_test(tb, or_fallback_sets_relaxed);
  tcase_add_test(tb, stopwords_not_required);
  tcase_add_test(tb, umlaut_transcriptions_and_compounds);
  tcase_add_test(tb, hit_fields);
  suite_add_tcase(su, tb);

  TCase *tf = tcase_create("filters");
  tcase_add_unchecked_fixture(tf, build_all, remove_all);
  tcase_add_checked_fixture(tf, open_searcher, close_searcher);
  tcase_set_timeout(tf, 120);
  tcase_add_test(tf, facet_filter_or_within_and_across);
  tcase_add_test(tf, facet_counts_disjunctive);
  tcase_add_test(tf, selected_value_without_matches_listed);
  tcase_add_test(tf, sort_updated);
  tcase_add_test(tf, paging);
  tcase_add_test(tf, paging_defaults);
  tcase_add_test(tf, validate_query_length);
  tcase_add_test(tf, validate_page_bounds);
  tcase_add_test(tf, validate_unknown_values);
  tcase_add_test(tf, validate_filter_limits);
  suite_add_tcase(su, tf);

  TCase *tq = tcase_create("query");
  tcase_add_unchecked_fixture(tq, build_all, remove_all);
  tcase_add_checked_fixture(tq, open_searcher, close_searcher);
  tcase_set_timeout(tq, 120);
  tcase_add_test(tq, synonym_sbv);
  tcase_add_test(tq, synonyms_both_ways);
  tcase_add_test(tq, snippet_window_finds_a_late_mention);
  tcase_add_test(tq, citation_queries);
  tcase_add_test(tq, misspelling_corrected);
  tcase_add_test(tq, correction_ranked_as_typed);
  tcase_add_test(tq, no_correction_respected);
  tcase_add_test(tq, phrase_and_exclusion);
  tcase_add_test(tq, wildcard);
  tcase_add_test(tq, short_wildcard_is_told);
  tcase_add_test(tq, field_prefixes);
  /* Fixed bug, kept as a regression test: "norm:SGB IX" does not filter by SGB
   * IX; see the test. */
  tcase_add_test(tq, norm_prefix_two_word_law);
  /* Fixed bug, kept as a regression test: "norm:Quatsch" returns every article;
   * see the test. */
  tcase_add_test(tq, norm_prefix_unknown_law_matches_nothing);
  tcase_add_test(tq, malformed_queries_never_fail);
  /* Fixed bug, kept as a regression test: a 300-byte wildcard and a long thema:
   * phrase fail the search. */
  tcase_add_test(tq, long_field_values_never_fail);
  suite_add_tcase(su, tq);

  TCase *tk = tcase_create("kinds");
  tcase_add_unchecked_fixture(tk, build_kinds, remove_all);
  tcase_add_checked_fixture(tk, open_kinds, close_searcher);
  tcase_set_timeout(tk, 120);
  tcase_add_test(tk, kinds_are_facets);
  tcase_add_test(tk, definition_of_exact_kind);
  tcase_add_test(tk, linking_records);
  tcase_add_test(tk, records_of_a_kind_by_title);
  suite_add_tcase(su, tk);

  TCase *ta = tcase_create("articles");
  tcase_add_unchecked_fixture(ta, build_all, remove_all);
  tcase_add_checked_fixture(ta, open_searcher, close_searcher);
  tcase_set_timeout(ta, 120);
  tcase_add_test(ta, record_found);
  tcase_add_test(ta, record_not_found);
  tcase_add_test(ta, similar_excludes_itself);
  tcase_add_test(ta, similar_unknown_id);
  tcase_add_test(ta, refresh_unchanged);
  tcase_add_test(ta, refresh_follows_new_generation);
  suite_add_tcase(su, ta);

  return tu_run_suite(su);
}
