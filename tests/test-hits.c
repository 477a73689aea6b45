/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-hits.c - the hit store: written from a database, it gives every
 * document's KB_SLOT_HIT value as Xapian does (also an empty one, a
 * deleted document's, one larger than the writer's buffer); a folder
 * without a store and a store of another revision open as none; a cut or
 * foreign file is KB_ERR_DB_CORRUPT; a store cut after it was opened is
 * KB_ERR_IO, not a crash; a sharded generation gets none.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kb_hits.h"
#include "kb_index.h"
#include "kb_layout.h"
#include "kb_xapian.h"
#include "testutil.h"

#define OK(call) TU_OK(call, err)

static char *err;
static char dir[4096];

static void setup(void) {
  err = NULL;
  tu_scratch_dir(dir, sizeof dir, "hits");
}

static void teardown(void) {
  free(err);
  tu_remove_tree(dir);
}

/* Document i's value: i copies of its letter, none for every fifth; the
 * seventh is 3 MiB (past the writer's 1 MiB buffer). */
static size_t value_of(unsigned i, char *buf, size_t cap) {
  size_t len = i % 5 == 0 ? 0 : i == 7 ? (3u << 20) : (size_t)i * 11;
  ck_assert_uint_le(len, cap);
  memset(buf, 'a' + (int)(i % 26), len);
  return len;
}

static char big[4u << 20];

/* Writes 40 documents (ids Q1..Q40) and deletes Q12 and Q40: a hole and
 * a last docid past the last document. */
static void make_db(void) {
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(dir, KBX_CREATE, &w, &err));
  for (unsigned i = 1; i <= 40; i++) {
    kbx_doc *doc = NULL;
    char id[16];
    OK(kbx_doc_new(&doc, &err));
    size_t len = value_of(i, big, sizeof big);
    if (len)
      OK(kbx_doc_set_value(doc, KB_SLOT_HIT, big, len, &err));
    OK(kbx_doc_add_term(doc, "w", 1, &err));
    snprintf(id, sizeof id, "Q%u", i);
    OK(kbx_doc_add_boolean_term(doc, id, &err));
    OK(kbx_wdb_replace(w, id, doc, &err));
    kbx_doc_free(doc);
  }
  OK(kbx_wdb_delete(w, "Q12", &err));
  OK(kbx_wdb_delete(w, "Q40", &err));
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);
}

static kb_hits *open_store(kbx_db *db) {
  kb_hits *h = NULL;
  OK(kb_hits_open(dir, db, &h, &err));
  ck_assert_ptr_nonnull(h);
  return h;
}

START_TEST(reads_what_xapian_holds) {
  make_db();
  OK(kb_hits_write(dir, &err));
  kbx_db *db = NULL;
  OK(kbx_db_open(dir, &db, &err));
  kb_hits *h = open_store(db);
  for (unsigned i = 1; i <= 40; i++) {
    char *got = NULL, *want = NULL;
    size_t glen = 0, wlen = 0;
    OK(kb_hits_read(h, i, &got, &glen, &err));
    if (i == 12 || i == 40) {
      ck_assert_uint_eq(glen, 0); /* deleted */
    } else {
      OK(kbx_db_value(db, i, KB_SLOT_HIT, &want, &wlen, &err));
      ck_assert_uint_eq(glen, value_of(i, big, sizeof big));
      ck_assert_uint_eq(glen, wlen);
      ck_assert_int_eq(memcmp(got, want, glen), 0);
    }
    ck_assert_int_eq(got[glen], '\0');
    free(got);
    free(want);
  }
  char *none = NULL;
  ck_assert_int_eq(kb_hits_read(h, 41, &none, NULL, &err), KB_ERR_NOT_FOUND);
  ck_assert_ptr_null(none);
  kb_hits_close(h);
  kbx_db_close(db);
}
END_TEST

START_TEST(no_store_is_none) {
  make_db();
  kbx_db *db = NULL;
  kb_hits *h = (kb_hits *)&h;
  OK(kbx_db_open(dir, &db, &err));
  OK(kb_hits_open(dir, db, &h, &err));
  ck_assert_ptr_null(h);
  kbx_db_close(db);
}
END_TEST

/* Opens the store of `dir` expecting KB_ERR_DB_CORRUPT. */
static void refused(const char *why) {
  kbx_db *db = NULL;
  kb_hits *h = NULL;
  OK(kbx_db_open(dir, &db, &err));
  ck_assert_int_eq(kb_hits_open(dir, db, &h, &err), KB_ERR_DB_CORRUPT);
  ck_assert_ptr_null(h);
  ck_assert_msg(err && strstr(err, why), "%s", err ? err : "no message");
  free(err);
  err = NULL;
  kbx_db_close(db);
}

START_TEST(stale_is_none_damaged_is_refused) {
  char path[4200];
  make_db();
  OK(kb_hits_write(dir, &err));
  tu_path(path, sizeof path, dir, KB_HITS_FILE);
  /* the database moved on: a store of its last revision is stale */
  kbx_wdb *w = NULL;
  kbx_doc *doc = NULL;
  OK(kbx_wdb_open(dir, KBX_CREATE_OR_OPEN, &w, &err));
  OK(kbx_doc_new(&doc, &err));
  OK(kbx_wdb_replace(w, "Q41", doc, &err));
  kbx_doc_free(doc);
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);
  kbx_db *db = NULL;
  kb_hits *h = (kb_hits *)&h;
  OK(kbx_db_open(dir, &db, &err));
  OK(kb_hits_open(dir, db, &h, &err)); /* stale: none, read through Xapian */
  ck_assert_ptr_null(h);
  kbx_db_close(db);
  OK(kb_hits_write(dir, &err));
  struct stat sb;
  ck_assert_int_eq(stat(path, &sb), 0);
  /* cut short */
  ck_assert_int_eq(truncate(path, sb.st_size - 1), 0);
  refused("not whole");
  ck_assert_int_eq(truncate(path, 40), 0);
  refused("shorter than it says");
  /* not a store */
  tu_write_file(dir, KB_HITS_FILE,
                "a file of some other program, long "
                "enough for a header\n");
  refused("not one this program writes");
}
END_TEST

START_TEST(cut_after_opening_is_an_error) {
  char path[4200];
  make_db();
  OK(kb_hits_write(dir, &err));
  kbx_db *db = NULL;
  OK(kbx_db_open(dir, &db, &err));
  kb_hits *h = open_store(db);
  tu_path(path, sizeof path, dir, KB_HITS_FILE);
  ck_assert_int_eq(truncate(path, 4096), 0);
  char *v = NULL;
  ck_assert_int_eq(kb_hits_read(h, 39, &v, NULL, &err), KB_ERR_IO);
  ck_assert_ptr_null(v);
  kb_hits_close(h);
  kbx_db_close(db);
}
END_TEST

START_TEST(sharded_generation_has_none) {
  char path[4200];
  tu_write_file(dir, KB_SHARD_STUB, "auto shard-0\n");
  OK(kb_hits_write(dir, &err));
  ck_assert_int_ne(access(tu_path(path, sizeof path, dir, KB_HITS_FILE), F_OK),
                   0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("hits");
  TCase *tc = tcase_create("store");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, reads_what_xapian_holds);
  tcase_add_test(tc, no_store_is_none);
  tcase_add_test(tc, stale_is_none_damaged_is_refused);
  tcase_add_test(tc, cut_after_opening_is_an_error);
  tcase_add_test(tc, sharded_generation_has_none);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
