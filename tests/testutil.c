/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * testutil.c - scaffolding shared by the unit tests; see testutil.h.
 */
#include "testutil.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "kb_corpus.h"
#include "kb_index.h"

#ifndef TEST_SOURCE_ROOT
#define TEST_SOURCE_ROOT "."
#endif

void tu_fixture_dir(char *buf, size_t cap) {
  const char *root = getenv("TEILHABE_SOURCE_ROOT");
  if (root == NULL || *root == '\0')
    root = TEST_SOURCE_ROOT;
  int n = snprintf(buf, cap, "%s/tests/fixtures/corpus", root);
  ck_assert(n > 0 && (size_t)n < cap);
}

void tu_scratch_dir(char *buf, size_t cap, const char *prefix) {
  const char *base = getenv("TEILHABE_TEST_TMP");
  if (base == NULL || *base == '\0')
    base = "/tmp";
  int n = snprintf(buf, cap, "%s/%s-XXXXXX", base, prefix);
  ck_assert(n > 0 && (size_t)n < cap);
  ck_assert_ptr_nonnull(mkdtemp(buf));
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

void tu_remove_tree(const char *dir) {
  nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *tu_path(char *buf, size_t cap, const char *dir, const char *name) {
  int n = snprintf(buf, cap, "%s/%s", dir, name);
  ck_assert(n > 0 && (size_t)n < cap);
  return buf;
}

void tu_write_file(const char *dir, const char *name, const char *text) {
  char path[4096];
  FILE *f = fopen(tu_path(path, sizeof path, dir, name), "wb");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  ck_assert_int_eq(fclose(f), 0);
}

void tu_copy_file(const char *src_dir, const char *dst_dir, const char *name) {
  char src[4096];
  FILE *f = fopen(tu_path(src, sizeof src, src_dir, name), "rb");
  ck_assert_ptr_nonnull(f);
  static char buf[65536];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  tu_write_file(dst_dir, name, buf);
}

void tu_copy_schema(const char *dst_dir) {
  char fixture[4096];
  tu_fixture_dir(fixture, sizeof fixture);
  tu_copy_file(fixture, dst_dir, "schema.yaml");
}

void tu_build_index(const char *corpus_dir, const char *db) {
  kb_diags d;
  kb_diags_init(&d);
  kb_corpus *c = NULL;
  kb_status st = kb_corpus_load(corpus_dir, &c, &d);
  ck_assert_msg(st == KB_OK, "corpus %s: %zu errors, first: %s", corpus_dir,
                d.errors, d.n ? d.items[0].message : "-");
  char *e = NULL;
  st = kb_index_build(c, db, NULL, NULL, NULL, &e);
  ck_assert_msg(st == KB_OK, "index build: %s", e ? e : kb_status_name(st));
  free(e);
  kb_corpus_free(c);
  kb_diags_release(&d);
}

void tu_build_fixture_index(const char *db) {
  char fixture[4096];
  tu_fixture_dir(fixture, sizeof fixture);
  tu_build_index(fixture, db);
}

int tu_run_suite(Suite *s) {
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
