/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-worker.c - web/worker.c, the per-thread reader of the index: it
 * follows a re-index once per request, so what a request borrowed from
 * the searcher (schema, vocabulary, kind names) stays valid while an
 * index run publishes new generations; the next request reads the new
 * one.  (A request that looked up its record kind twice, with a
 * re-index in between, once read freed memory and answered an empty
 * 200.)
 */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../web/worker.h"
#include "kb_corpus.h"
#include "kb_index.h"
#include "testutil.h"

#define OK(call) TU_OK(call, err)

static char tmp[PATH_MAX], db[PATH_MAX];

static void setup(void) {
  tu_scratch_dir(tmp, sizeof tmp, "worker");
  tu_path(db, sizeof db, tmp, "index");
  tu_build_fixture_index(db);
}

static void teardown(void) { tu_remove_tree(tmp); }

/* Publishes a new generation of the fixture corpus at `db`. */
static void reindex(void) {
  char fixture[PATH_MAX];
  char *err = NULL;
  kb_corpus *corpus = NULL;
  kb_diags diags;
  kb_diags_init(&diags);
  tu_fixture_dir(fixture, sizeof fixture);
  ck_assert_int_eq(kb_corpus_load(fixture, &corpus, &diags), KB_OK);
  OK(kb_index_update(corpus, db, true, NULL, NULL, NULL, &err));
  kb_corpus_free(corpus);
  kb_diags_release(&diags);
}

static char *current(void) {
  char *gen = NULL, *err = NULL;
  OK(kb_index_current(db, &gen, &err));
  return gen;
}

START_TEST(one_generation_per_request) {
  server_config cfg = {.db = db, .zero_log_fd = -1};
  ck_assert(worker_setup());
  worker *w = worker_for_thread();
  ck_assert_ptr_nonnull(w);
  worker_reset(w);
  char *err = NULL;
  kb_searcher *s = worker_searcher(w, &cfg, &err);
  ck_assert_msg(s != NULL, "%s", err ? err : "");
  const kb_vocab *v = kb_searcher_vocab(s);
  char *before = current();

  /* A re-index in the middle of the request: the request goes on with
   * the generation it began with, and what it borrowed is untouched. */
  reindex();
  char *after = current();
  ck_assert_str_ne(before, after);
  ck_assert_ptr_eq(worker_searcher(w, &cfg, NULL), s);
  ck_assert_ptr_eq(kb_searcher_vocab(s), v);
  ck_assert_uint_gt(v->schema->nkinds, 0);
  ck_assert_str_eq(v->schema->kinds[0].name, "artikel");

  /* The next request reads the new generation. */
  worker_reset(w);
  ck_assert_ptr_eq(worker_searcher(w, &cfg, NULL), s);
  ck_assert_ptr_ne(kb_searcher_vocab(s), v);
  ck_assert_int_eq(w->index_st, KB_OK);
  free(before);
  free(after);
}
END_TEST

START_TEST(damage_is_seen_after_a_failed_request) {
  server_config cfg = {.db = db, .zero_log_fd = -1};
  ck_assert(worker_setup());
  worker *w = worker_for_thread();
  worker_reset(w);
  ck_assert_ptr_nonnull(worker_searcher(w, &cfg, NULL));
  ck_assert(!worker_index_damaged(w, &cfg));
  /* A file of the generation open changes (same inode, new size). */
  char *gen = current(), path[PATH_MAX];
  tu_path(path, sizeof path, gen, "termlist.glass");
  FILE *f = fopen(path, "ab");
  ck_assert_ptr_nonnull(f);
  fputs("damage", f);
  fclose(f);
  ck_assert(worker_index_damaged(w, &cfg));
  /* And every later request is refused. */
  worker_reset(w);
  char *err = NULL;
  ck_assert_ptr_null(worker_searcher(w, &cfg, &err));
  ck_assert_ptr_nonnull(err);
  free(err);
  free(gen);
}
END_TEST

static Suite *worker_suite(void) {
  Suite *s = suite_create("worker");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, one_generation_per_request);
  tcase_add_test(tc, damage_is_seen_after_a_failed_request);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run_suite(worker_suite()); }
