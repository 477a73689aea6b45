/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-index_shard.c - sharded indexes: which shard holds a record is
 * a stable hash of its id; a sharded generation has its shards, its
 * local database and its stub, all stamped, and damage to a shard's file
 * is noticed; records keep the document ids a single database gives
 * them, so ties order alike; the searcher on a sharded generation finds
 * what the single one finds; a stub file names its local database with a
 * comment line and is reopened by path when it changes; a single
 * database built in parts and merged is the one written at once.
 *
 * Indexes are built under $TEILHABE_TEST_TMP (or /tmp) and removed
 * afterwards.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kb_index.h"
#include "kb_layout.h"
#include "kb_search.h"
#include "kb_xapian.h"
#include "testutil.h"

static char fixture[1024];
static char tmpdir[1024];
static char single[1100], sharded[1100];
static kb_corpus *corpus;
static kb_diags diags;
static char *err;

#define OK(call) TU_OK(call, err)

static void setup(void) {
  tu_fixture_dir(fixture, sizeof fixture);
  tu_scratch_dir(tmpdir, sizeof tmpdir, "test-index_shard");
  tu_path(single, sizeof single, tmpdir, "single");
  tu_path(sharded, sizeof sharded, tmpdir, "sharded");
  err = NULL;
  kb_diags_init(&diags);
  corpus = NULL;
  ck_assert_int_eq(kb_corpus_load(fixture, &corpus, &diags), KB_OK);
}

static void teardown(void) {
  tu_remove_tree(tmpdir);
  kb_corpus_free(corpus);
  kb_diags_release(&diags);
  free(err);
  err = NULL;
}

static bool exists(const char *dir, const char *name) {
  char p[1400];
  struct stat sb;
  return stat(tu_path(p, sizeof p, dir, name), &sb) == 0;
}

START_TEST(shard_of_is_a_stable_hash) {
  /* FNV-1a of the id: the same numbers in tests/e2e/e2e_shards.py. */
  ck_assert_uint_eq(kb_index_shard_of("sbv", 2), 0);
  ck_assert_uint_eq(kb_index_shard_of("sbv", 3), 1);
  ck_assert_uint_eq(kb_index_shard_of("bem-grundlagen", 16), 3);
  ck_assert_uint_eq(kb_index_shard_of("hoergeraet", 16), 11);
  ck_assert_uint_eq(kb_index_shard_of("sbv", 1), 0);
  ck_assert_uint_eq(kb_index_shard_of("sbv", 0), 0);
  /* Spread: 1000 ids over 4 shards, none far from a quarter. */
  unsigned n[4] = {0};
  for (int i = 0; i < 1000; i++) {
    char id[32];
    snprintf(id, sizeof id, "artikel-%d", i);
    n[kb_index_shard_of(id, 4)]++;
  }
  for (int k = 0; k < 4; k++)
    ck_assert_uint_gt(n[k], 200);
}
END_TEST

START_TEST(sharded_generation_layout_and_stamp) {
  char *gen = NULL;
  OK(kb_index_build_shards(corpus, sharded, 3, NULL, NULL, &gen, &err));
  ck_assert(exists(gen, "shard-0/iamglass"));
  ck_assert(exists(gen, "shard-2/iamglass"));
  ck_assert(!exists(gen, "shard-3"));
  ck_assert(exists(gen, "aux/spelling.glass"));
  ck_assert(exists(gen, "aux/synonym.glass"));
  ck_assert(exists(gen, KB_SHARD_STUB));
  ck_assert(!exists(gen, "iamglass")); /* no single database beside */
  OK(kb_index_stamp_verify(gen, &err));
  kb_index_stamp st;
  OK(kb_index_stamp_take(gen, &st, &err));
  ck_assert_uint_ge(st.n, 3 * 4 + 4 + 1);
  /* Damage inside a shard's folder is noticed, by content and by stat. */
  char p[1400];
  tu_path(p, sizeof p, gen, "shard-1/postlist.glass");
  int fd = open(p, O_WRONLY | O_APPEND);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, "x", 1), 1);
  close(fd);
  ck_assert_int_eq(kb_index_stamp_check(gen, &st, &err), KB_ERR_DB_CORRUPT);
  ck_assert_ptr_nonnull(strstr(err, "shard-1/postlist.glass"));
  free(err);
  err = NULL;
  ck_assert_int_eq(kb_index_stamp_verify(gen, &err), KB_ERR_DB_CORRUPT);
  /* A shard count out of range is refused with the range. */
  ck_assert_int_eq(
      kb_index_build_shards(corpus, sharded, 17, NULL, NULL, NULL, &err),
      KB_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(err, "1 to 16"));
  free(gen);
}
END_TEST

typedef struct docids {
  kbx_docid v[64];
  size_t n;
} docids;

/* The document id of each record of the corpus in `db`, in corpus order. */
static void ids_of(kbx_db *db, docids *out) {
  out->n = 0;
  for (size_t i = 0; i < corpus->n && i < 64; i++) {
    char term[128];
    snprintf(term, sizeof term, "%s%s", KB_PREFIX_ID, corpus->articles[i]->id);
    OK(kbx_db_find(db, term, &out->v[out->n++], &err));
  }
}

START_TEST(docids_order_as_in_a_single_database) {
  tu_build_index(fixture, single);
  OK(kb_index_build_shards(corpus, sharded, 2, NULL, NULL, NULL, &err));
  kbx_db *a = NULL, *b = NULL;
  char *gen = NULL;
  OK(kb_index_current(sharded, &gen, &err));
  OK(kb_index_open(single, &a, &err));
  OK(kb_index_open(gen, &b, &err));
  docids da, db;
  ids_of(a, &da);
  ids_of(b, &db);
  ck_assert_uint_eq(da.n, corpus->n);
  for (size_t i = 0; i < da.n; i++) {
    /* Xapian interleaves the shards: (local - 1) * n + shard + 1, and
     * the local id is the single database's. */
    unsigned k = kb_index_shard_of(corpus->articles[i]->id, 2);
    ck_assert_uint_eq(db.v[i], (da.v[i] - 1) * 2 + k + 1);
    for (size_t j = 0; j < i; j++)
      ck_assert_int_eq(da.v[j] < da.v[i], db.v[j] < db.v[i]);
  }
  /* The local database answers for metadata, spelling and synonyms. */
  char *schema = NULL, *fix = NULL;
  OK(kbx_db_metadata(b, KB_META_SCHEMA, &schema, NULL, &err));
  ck_assert_str_eq(schema, KB_SCHEMA_VERSION);
  OK(kbx_db_spelling(b, "hörgerat", 2, &fix, &err));
  ck_assert_ptr_nonnull(fix);
  uint64_t n = 0;
  OK(kbx_db_doccount(b, &n, &err));
  ck_assert_uint_eq(n, corpus->n);
  free(schema);
  free(fix);
  free(gen);
  kbx_db_close(a);
  kbx_db_close(b);
}
END_TEST

/* Search results as "id id id ... | total | facet counts". */
static void answer(const char *db, const char *q, kb_sort sort, char *buf,
                   size_t cap) {
  kb_searcher *s = NULL;
  OK(kb_searcher_open(db, &s, &err));
  kb_search_request req = {.query = q, .per_page = 50, .sort = sort};
  kb_search_result *r = NULL;
  OK(kb_search(s, &req, &r, &err));
  size_t len = 0;
  for (size_t i = 0; i < r->nhits; i++)
    len += (size_t)snprintf(buf + len, cap - len, "%s:%s ", r->hits[i].id,
                            r->hits[i].snippet ? r->hits[i].snippet : "");
  len += (size_t)snprintf(buf + len, cap - len, "| %llu |",
                          (unsigned long long)r->total);
  for (size_t f = 0; f < r->nfacets; f++)
    for (size_t v = 0; v < r->facets[f].n; v++)
      len += (size_t)snprintf(buf + len, cap - len, " %s=%llu",
                              r->facets[f].values[v].value,
                              (unsigned long long)r->facets[f].values[v].count);
  snprintf(buf + len, cap - len, " | %s", r->suggestion ? r->suggestion : "");
  kb_search_result_free(r);
  kb_searcher_close(s);
}

START_TEST(searcher_on_shards_answers_as_single) {
  tu_build_index(fixture, single);
  OK(kb_index_build_shards(corpus, sharded, 2, NULL, NULL, NULL, &err));
  const char *queries[] = {"Hörgerät",  "BEM", "Arbeitsplatz anpassen",
                           "Hoergerat", "",    "§ 167 SGB IX"};
  static char a[65536], b[65536];
  for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
    for (int sort = 0; sort < 2; sort++) {
      answer(single, queries[i], (kb_sort)sort, a, sizeof a);
      answer(sharded, queries[i], (kb_sort)sort, b, sizeof b);
      ck_assert_msg(strcmp(a, b) == 0, "%s:\n%s\n%s", queries[i], a, b);
    }
  }
  ck_assert_ptr_null(strstr(a, "| 0 |")); /* the citation found records */
}
END_TEST

/* A single database written in parts (one thread each) and merged is
 * the one written at once: the same document ids, answers, snippets,
 * facets and suggestions, one compacted database, no part left. */
START_TEST(parts_merge_into_the_single_database) {
  tu_build_index(fixture, single);
  kb_index_set_jobs(3);
  OK(kb_index_build(corpus, sharded, NULL, NULL, NULL, &err));
  kb_index_set_jobs(0);
  char *gen = NULL;
  OK(kb_index_current(sharded, &gen, &err));
  ck_assert(exists(gen, "postlist.glass"));
  ck_assert(!exists(gen, "part-0"));
  ck_assert(!exists(gen, "part-2"));
  ck_assert(!exists(gen, KB_SHARD_STUB));
  kbx_db *a = NULL, *b = NULL;
  OK(kb_index_open(single, &a, &err));
  OK(kb_index_open(gen, &b, &err));
  docids da, db;
  ids_of(a, &da);
  ids_of(b, &db);
  ck_assert_uint_eq(db.n, corpus->n);
  for (size_t i = 0; i < da.n; i++)
    ck_assert_uint_eq(db.v[i], da.v[i]);
  kbx_db_close(a);
  kbx_db_close(b);
  free(gen);
  const char *queries[] = {"Hörgerät",  "BEM", "Arbeitsplatz anpassen",
                           "Hoergerat", "",    "§ 167 SGB IX"};
  static char x[65536], y[65536];
  for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
    answer(single, queries[i], KB_SORT_RELEVANCE, x, sizeof x);
    answer(sharded, queries[i], KB_SORT_RELEVANCE, y, sizeof y);
    ck_assert_msg(strcmp(x, y) == 0, "%s:\n%s\n%s", queries[i], x, y);
  }
}
END_TEST

static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
}

START_TEST(stub_file_names_its_aux_and_is_followed) {
  char *gen = NULL, stub[1400], text[4096];
  OK(kb_index_build_shards(corpus, sharded, 2, NULL, NULL, &gen, &err));
  tu_path(stub, sizeof stub, tmpdir, "front.stub");
  /* Only the first shard, at first. */
  snprintf(text, sizeof text, "auto %s/shard-0\n#teilhabe-aux %s/aux\n", gen,
           gen);
  write_text(stub, text);
  uint64_t f1 = kb_index_fingerprint(stub);
  kb_searcher *s = NULL;
  OK(kb_searcher_open(stub, &s, &err));
  uint64_t n1 = kb_searcher_doccount(s);
  ck_assert_uint_gt(n1, 0);
  ck_assert_uint_lt(n1, corpus->n);
  /* Metadata from the aux line: the vocabulary is there. */
  ck_assert_ptr_nonnull(kb_searcher_vocab(s));
  bool changed = true;
  OK(kb_searcher_refresh(s, &changed, &err));
  ck_assert(!changed);
  /* The stub replaced (rename, as an editor or deploy script does):
   * the searcher reopens it by path and sees both shards. */
  char tmp[1400];
  tu_path(tmp, sizeof tmp, tmpdir, "front.stub.new");
  snprintf(text, sizeof text,
           "auto %s/shard-0\nauto %s/shard-1\n#teilhabe-aux %s/aux\n", gen, gen,
           gen);
  write_text(tmp, text);
  ck_assert_int_eq(rename(tmp, stub), 0);
  ck_assert_uint_ne(kb_index_fingerprint(stub), f1);
  OK(kb_searcher_refresh(s, &changed, &err));
  ck_assert(changed);
  ck_assert_uint_eq(kb_searcher_doccount(s), corpus->n);
  kb_searcher_close(s);
  /* Without an aux line or folder the stub is searched as it is: no
   * metadata, so the searcher says what is missing. */
  snprintf(text, sizeof text, "auto %s/shard-0\n", gen);
  write_text(stub, text);
  ck_assert_int_eq(kb_searcher_open(stub, &s, &err), KB_ERR_DB_VERSION);
  ck_assert_ptr_nonnull(strstr(err, "#teilhabe-aux"));
  free(gen);
}
END_TEST

int main(void) {
  Suite *s = suite_create("index_shard");
  TCase *tc = tcase_create("shards");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, shard_of_is_a_stable_hash);
  tcase_add_test(tc, sharded_generation_layout_and_stamp);
  tcase_add_test(tc, docids_order_as_in_a_single_database);
  tcase_add_test(tc, searcher_on_shards_answers_as_single);
  tcase_add_test(tc, parts_merge_into_the_single_database);
  tcase_add_test(tc, stub_file_names_its_aux_and_is_followed);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
