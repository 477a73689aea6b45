/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-index.c - building and publishing the index: a plain directory in
 * the way is refused and left alone; a build publishes a generation
 * through a relative symlink; a rebuild keeps the previous generation
 * and prunes older ones; an aborted build changes nothing visible; one
 * writer at a time, and what killed runs left is removed; generations
 * are checked and stamped, and a changed one is noticed; and
 * the documents carry the terms, values, synonyms and spelling data the
 * search relies on.
 *
 * Indexes are built under $TEILHABE_TEST_TMP (or /tmp) and removed
 * afterwards.
 */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kb_index.h"
#include "kb_layout.h"
#include "kb_record.h"
#include "kb_search.h"
#include "kb_xapian.h"
#include "testutil.h"

static char fixture[1024];
static char tmpdir[1024];
static char dbpath[1100];
static kb_corpus *corpus;
static kb_diags diags;
static char *err;

#define OK(call) TU_OK(call, err)

static void setup(void) {
  tu_fixture_dir(fixture, sizeof fixture);
  tu_scratch_dir(tmpdir, sizeof tmpdir, "test-index");
  tu_path(dbpath, sizeof dbpath, tmpdir, "index");
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

/* Number of entries (not . or ..) in `dir`, or -1 if it does not exist. */
static int count_entries(const char *dir) {
  DIR *d = opendir(dir);
  if (d == NULL)
    return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(d);
  return n;
}

static bool is_dir(const char *p) {
  struct stat sb;
  return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static char *build(void) {
  char *gen = NULL;
  OK(kb_index_build(corpus, dbpath, NULL, NULL, &gen, &err));
  ck_assert_ptr_nonnull(gen);
  return gen;
}

/* ---- publishing -------------------------------------------------------- */

START_TEST(plain_directory_refused_untouched) {
  ck_assert_int_eq(mkdir(dbpath, 0755), 0);
  char keep[1200];
  snprintf(keep, sizeof keep, "%s/wichtig.txt", dbpath);
  FILE *f = fopen(keep, "w");
  fputs("nicht löschen\n", f);
  fclose(f);

  char *gen = (char *)1;
  ck_assert_int_eq(kb_index_build(corpus, dbpath, NULL, NULL, &gen, &err),
                   KB_ERR_EXISTS);
  ck_assert_ptr_eq(gen, (char *)1);
  ck_assert_ptr_nonnull(err);
  ck_assert_ptr_nonnull(strstr(err, dbpath));
  /* Untouched: still a directory with its file, no generation folder. */
  ck_assert(is_dir(dbpath));
  ck_assert_int_eq(count_entries(dbpath), 1);
  ck_assert_int_eq(access(keep, R_OK), 0);
  char gendir[1200];
  snprintf(gendir, sizeof gendir, "%s.gen", dbpath);
  ck_assert_int_eq(count_entries(gendir), -1);
}
END_TEST

START_TEST(plain_file_refused) {
  FILE *f = fopen(dbpath, "w");
  fputs("x", f);
  fclose(f);
  ck_assert_int_eq(kb_index_build(corpus, dbpath, NULL, NULL, NULL, &err),
                   KB_ERR_EXISTS);
  struct stat sb;
  ck_assert_int_eq(lstat(dbpath, &sb), 0);
  ck_assert(S_ISREG(sb.st_mode));
  ck_assert_int_eq(sb.st_size, 1);
}
END_TEST

START_TEST(build_publishes_relative_link) {
  char *gen = build();
  struct stat sb;
  ck_assert_int_eq(lstat(dbpath, &sb), 0);
  ck_assert(S_ISLNK(sb.st_mode));
  /* Relative, so the data folder can be moved or mounted elsewhere. */
  char target[PATH_MAX];
  ssize_t n = readlink(dbpath, target, sizeof target - 1);
  ck_assert_int_gt(n, 0);
  target[n] = '\0';
  ck_assert_int_ne(target[0], '/');
  ck_assert_ptr_nonnull(strstr(target, "index.gen/"));
  /* kb_index_current resolves to the generation just built. */
  char *cur = NULL;
  OK(kb_index_current(dbpath, &cur, &err));
  ck_assert_str_eq(cur, gen);
  ck_assert(is_dir(gen));
  /* No temporary link left behind. */
  ck_assert_int_eq(count_entries(tmpdir), 2); /* index, index.gen */
  free(cur);
  free(gen);
}
END_TEST

START_TEST(rebuild_keeps_previous_prunes_older) {
  char *g1 = build();
  char *g2 = build();
  ck_assert_str_ne(g1, g2);
  /* The previous generation stays for readers still using it. */
  ck_assert(is_dir(g1));
  ck_assert(is_dir(g2));
  char *g3 = build();
  ck_assert(!is_dir(g1)); /* pruned */
  ck_assert(is_dir(g2));
  ck_assert(is_dir(g3));
  char gendir[1200];
  snprintf(gendir, sizeof gendir, "%s.gen", dbpath);
  ck_assert_int_eq(count_entries(gendir), 2);
  char *cur = NULL;
  OK(kb_index_current(dbpath, &cur, &err));
  ck_assert_str_eq(cur, g3);
  /* A reader of the previous generation still finds it complete. */
  kbx_db *db = NULL;
  OK(kbx_db_open(g2, &db, &err));
  uint64_t count = 0;
  OK(kbx_db_doccount(db, &count, &err));
  ck_assert_uint_eq(count, 8);
  kbx_db_close(db);
  free(cur);
  free(g1);
  free(g2);
  free(g3);
}
END_TEST

static bool abort_at_3(size_t done, size_t total, void *ctx) {
  size_t *calls = ctx;
  (*calls)++;
  ck_assert_uint_eq(total, 8);
  ck_assert_uint_eq(done, *calls);
  return done < 3;
}

static bool count_progress(size_t done, size_t total, void *ctx) {
  size_t *calls = ctx;
  (*calls)++;
  ck_assert_uint_eq(done, *calls);
  ck_assert_uint_le(done, total);
  return true;
}

START_TEST(progress_and_abort_change_nothing) {
  size_t calls = 0;
  char *g1 = NULL;
  OK(kb_index_build(corpus, dbpath, count_progress, &calls, &g1, &err));
  ck_assert_uint_eq(calls, 8);
  char gendir[1200];
  snprintf(gendir, sizeof gendir, "%s.gen", dbpath);

  /* An aborted rebuild leaves the published index as it was ... */
  calls = 0;
  char *g2 = (char *)1;
  ck_assert_int_ne(
      kb_index_build(corpus, dbpath, abort_at_3, &calls, &g2, &err), KB_OK);
  ck_assert_uint_eq(calls, 3);
  ck_assert_ptr_eq(g2, (char *)1);
  ck_assert_ptr_nonnull(err);
  char *cur = NULL;
  OK(kb_index_current(dbpath, &cur, &err));
  ck_assert_str_eq(cur, g1);
  /* ... and its half-built generation is gone. */
  ck_assert_int_eq(count_entries(gendir), 1);
  free(cur);
  free(g1);
}
END_TEST

START_TEST(current_of_plain_and_missing) {
  char *cur = NULL;
  /* An index not managed by us (a plain directory) names itself. */
  ck_assert_int_eq(mkdir(dbpath, 0755), 0);
  OK(kb_index_current(dbpath, &cur, &err));
  ck_assert_str_eq(cur, dbpath);
  free(cur);
  char missing[1200];
  snprintf(missing, sizeof missing, "%s/nichts", tmpdir);
  cur = (char *)1;
  ck_assert_int_eq(kb_index_current(missing, &cur, &err), KB_ERR_DB_OPENING);
  ck_assert_ptr_eq(cur, (char *)1);
  ck_assert_ptr_nonnull(strstr(err, "teilhabe index"));
}
END_TEST

START_TEST(nested_db_path_created) {
  snprintf(dbpath, sizeof dbpath, "%s/daten/neu/index", tmpdir);
  char *gen = build();
  kbx_db *db = NULL;
  OK(kbx_db_open(dbpath, &db, &err));
  kbx_db_close(db);
  free(gen);
}
END_TEST

/* Fixed bug, kept as a regression test: `--db data/index/` (a trailing slash)
 * is not handled: the build creates the directory "index/" with a ".gen" folder
 * inside, then fails to rename its link over that directory - leaving a plain
 * directory that makes every later build fail with KB_ERR_EXISTS.  A failed
 * build must not change anything visible; either the slash is stripped or the
 * path refused up front. */
START_TEST(trailing_slash_changes_nothing_on_failure) {
  char slashed[1200];
  snprintf(slashed, sizeof slashed, "%s/", dbpath);
  kb_status st = kb_index_build(corpus, slashed, NULL, NULL, NULL, &err);
  if (st != KB_OK) {
    ck_assert_msg(!is_dir(dbpath), "failed build left the directory '%s'",
                  dbpath);
  } else {
    char *cur = NULL;
    OK(kb_index_current(dbpath, &cur, &err));
    free(cur);
  }
}
END_TEST

/* ---- what the documents hold ------------------------------------------ */

static uint64_t freq(kbx_db *db, const char *term) {
  uint64_t f = 0;
  OK(kbx_db_termfreq(db, term, &f, &err));
  return f;
}

typedef struct strs {
  char s[16][128];
  size_t n;
} strs;

static bool add_str(const char *s, size_t len, void *ctx) {
  strs *l = ctx;
  if (l->n < 16 && len < 128) {
    memcpy(l->s[l->n], s, len);
    l->s[l->n][len] = '\0';
    l->n++;
  }
  return true;
}

static bool has(const strs *l, const char *s) {
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->s[i], s) == 0)
      return true;
  return false;
}

/* The frequency of `term` in the index at `path`. */
static uint64_t freq_in(const char *path, const char *term) {
  kbx_db *db = NULL;
  OK(kbx_db_open(path, &db, &err));
  uint64_t f = freq(db, term);
  kbx_db_close(db);
  return f;
}

static bool put_count(const char *value, size_t len, uint64_t count,
                      void *ctx) {
  char n[32];
  snprintf(n, sizeof n, " %llu", (unsigned long long)count);
  kb_buf_add(ctx, value, len);
  kb_buf_adds(ctx, n);
  kb_buf_addc(ctx, '\n');
  return true;
}

/* Everything of an index a search can see, as text: every term with its
 * frequency, every document's terms and data, the compound lexicon. */
static void index_dump(const char *path, kb_buf *out) {
  kbx_db *db = NULL;
  OK(kbx_db_open(path, &db, &err));
  OK(kbx_db_allterms_freq(db, "", 0, put_count, out, &err));
  uint64_t n = 0;
  OK(kbx_db_doccount(db, &n, &err));
  OK(kbx_db_spellings(db, put_count, out, &err));
  for (kbx_docid did = 1; did <= n; did++) {
    OK(kbx_db_doc_wdfs(db, did, put_count, out, &err));
    static const kbx_slot slots[] = KB_RECORD_SLOTS;
    char *data = NULL;
    size_t len = 0;
    OK(kbx_db_values_joined(db, did, slots, 2, &data, &len, &err));
    kb_buf_add(out, data, len);
    free(data);
  }
  char *lex = NULL;
  size_t lexlen = 0;
  OK(kbx_db_metadata(db, KB_META_LEXICON, &lex, &lexlen, &err));
  ck_assert_uint_gt(lexlen, 0);
  kb_buf_add(out, lex, lexlen);
  free(lex);
  kbx_db_close(db);
}

/* The indexes at `a` and `b` hold the same terms, wdf, records,
 * spelling words and lexicon. */
static void assert_same_index(const char *a_path, const char *b_path) {
  kb_buf a = KB_BUF_INIT(64u << 20), b = KB_BUF_INIT(64u << 20);
  index_dump(a_path, &a);
  index_dump(b_path, &b);
  ck_assert_int_eq(kb_buf_status(&a), KB_OK);
  ck_assert_uint_gt(a.len, 10000);
  ck_assert_uint_eq(a.len, b.len);
  ck_assert_mem_eq(a.data, b.data, a.len);
  kb_buf_release(&a);
  kb_buf_release(&b);
}

/* `teilhabe index` drops the checked corpus' bodies and reads each file
 * again when it indexes it (the words for the lexicon, then the
 * documents): the index is the one built from bodies in memory. */
START_TEST(dropped_bodies_build_the_same_index) {
  char *gen = build();
  free(gen);
  kb_corpus *dropped = NULL;
  ck_assert_int_eq(kb_corpus_load_fields(fixture, &dropped, &diags), KB_OK);
  for (size_t i = 0; i < dropped->n; i++)
    ck_assert_ptr_null(dropped->articles[i]->body);
  char other[1200];
  tu_path(other, sizeof other, tmpdir, "dropped");
  /* Two parts, so the words pass and the parts run on two threads. */
  kb_index_set_jobs(2);
  kb_status built = kb_index_build(dropped, other, NULL, NULL, NULL, &err);
  kb_index_set_jobs(0);
  OK(built);
  assert_same_index(dbpath, other);
  /* Bodies are where the text comes from: a body word is indexed. */
  kbx_db *db = NULL;
  OK(kbx_db_open(other, &db, &err));
  ck_assert_uint_gt(freq(db, "Zgesprach"), 0);
  kbx_db_close(db);

  /* Shards read the texts the same way. */
  char sharded[1200];
  tu_path(sharded, sizeof sharded, tmpdir, "sharded");
  OK(kb_index_build_shards(dropped, sharded, 2, NULL, NULL, NULL, &err));
  OK(kb_index_open(sharded, &db, &err));
  ck_assert_uint_eq(freq(db, "Zgesprach"), freq_in(dbpath, "Zgesprach"));
  kbx_db_close(db);
  kb_corpus_free(dropped);
}
END_TEST

/* Dictionaries read ahead while the corpus loads make the index a build
 * makes on its own; read for another folder, they are not taken. */
START_TEST(dictionaries_read_ahead_build_the_same_index) {
  char *gen = build();
  free(gen);
  char other[1200], third[1200];
  tu_path(other, sizeof other, tmpdir, "ahead");
  kb_index_prefetch_dictionaries(corpus->dir);
  kb_status built = kb_index_build(corpus, other, NULL, NULL, NULL, &err);
  kb_index_prefetch_release(); /* nothing left: a no-op */
  OK(built);
  assert_same_index(dbpath, other);
  tu_path(third, sizeof third, tmpdir, "elsewhere");
  kb_index_prefetch_dictionaries("/nonexistent/corpus");
  OK(kb_index_build(corpus, third, NULL, NULL, NULL, &err));
  assert_same_index(dbpath, third);
  /* Released unused, as after an update that needed no full build. */
  kb_index_prefetch_dictionaries(corpus->dir);
  kb_index_prefetch_release();
}
END_TEST

/* Dictionaries read ahead are not taken when the corpus' compounds.txt
 * changed after they were read (a build may wait long for the writers'
 * lock): the index is the one the new file makes. */
START_TEST(dictionaries_read_ahead_follow_a_changed_compounds_file) {
  char dir[1200], with[1200], fresh[1200];
  tu_path(dir, sizeof dir, tmpdir, "ahead-corpus");
  ck_assert_int_eq(mkdir(dir, 0755), 0);
  for (size_t i = 0; i < corpus->n; i++)
    tu_copy_file(fixture, dir, strrchr(corpus->articles[i]->path, '/') + 1);
  static const char *const conf[] = {"vocab.yaml", "synonyms.yaml",
                                     "citations.yaml", "schema.yaml"};
  for (size_t i = 0; i < 4; i++)
    tu_copy_file(fixture, dir, conf[i]);
  kb_index_prefetch_dictionaries(dir);
  usleep(1500 * 1000); /* read by now, without compounds.txt */
  tu_write_file(dir, "compounds.txt",
                "bildschirmlesegerät = bildschirmlesegerät\n");
  kb_corpus *c = NULL;
  ck_assert_int_eq(kb_corpus_load_fields(dir, &c, &diags), KB_OK);
  tu_path(with, sizeof with, tmpdir, "ahead-with");
  tu_path(fresh, sizeof fresh, tmpdir, "ahead-fresh");
  kb_status built = kb_index_build(c, with, NULL, NULL, NULL, &err);
  kb_index_prefetch_release();
  OK(built);
  OK(kb_index_build(c, fresh, NULL, NULL, NULL, &err));
  assert_same_index(with, fresh);
  /* The word is kept whole: no term for its part. */
  ck_assert_uint_eq(freq_in(fresh, "Zlesegerat"), 0);
  kb_corpus_free(c);
}
END_TEST

/* A build thread remembers a bounded number of words (their stems,
 * compound parts and spelling counts); past it, words are split again at
 * each occurrence and their terms added at once: the same index. */
START_TEST(word_memo_cap_builds_the_same_index) {
  char *gen = build();
  free(gen);
  char other[1200];
  tu_path(other, sizeof other, tmpdir, "capped");
  kb_index_set_jobs(2);
  kb_index_set_word_memo(5);
  kb_status built = kb_index_build(corpus, other, NULL, NULL, NULL, &err);
  kb_index_set_word_memo(0);
  kb_index_set_jobs(0);
  OK(built);
  assert_same_index(dbpath, other);
  /* A compound's part and its stem are there either way. */
  ck_assert_uint_gt(freq_in(other, "Zgerat"), 0);
}
END_TEST

/* A record edited after the corpus was checked and before its text was
 * read again: the build stops naming the file, and the index published
 * before is untouched. */
START_TEST(edited_during_build_publishes_nothing) {
  char corpus_dir[1200];
  tu_path(corpus_dir, sizeof corpus_dir, tmpdir, "corpus");
  ck_assert_int_eq(mkdir(corpus_dir, 0755), 0);
  for (size_t i = 0; i < corpus->n; i++) {
    const char *base = strrchr(corpus->articles[i]->path, '/') + 1;
    tu_copy_file(fixture, corpus_dir, base);
  }
  static const char *const conf[] = {"vocab.yaml", "synonyms.yaml",
                                     "citations.yaml", "schema.yaml"};
  for (size_t i = 0; i < 4; i++)
    tu_copy_file(fixture, corpus_dir, conf[i]);
  kb_corpus *c = NULL;
  ck_assert_int_eq(kb_corpus_load_fields(corpus_dir, &c, &diags), KB_OK);
  char *gen = NULL;
  OK(kb_index_build(c, dbpath, NULL, NULL, &gen, &err));
  char before[PATH_MAX];
  ck_assert_ptr_nonnull(realpath(dbpath, before));

  char path[1300];
  tu_path(path, sizeof path, corpus_dir, "sbv.md");
  FILE *f = fopen(path, "a");
  ck_assert_ptr_nonnull(f);
  fputs("Ein Satz, der nach der Prüfung dazukam.\n", f);
  fclose(f);
  /* A build (the lexicon's words are read first) and a full build that
   * keeps the stored lexicon (the parts read first).  (An update would
   * not read it: as checked, the record is the one stored.) */
  for (int k = 0; k < 2; k++) {
    kb_index_report rep;
    kb_status st = k == 0 ? kb_index_build(c, dbpath, NULL, NULL, NULL, &err)
                          : kb_index_update_shards(c, dbpath, 0, true, NULL,
                                                   NULL, &rep, &err);
    ck_assert_int_ne(st, KB_OK);
    ck_assert_ptr_nonnull(strstr(err, "sbv.md"));
    ck_assert_ptr_null(strstr(strstr(err, "sbv.md") + 1, "sbv.md")); /* once */
    ck_assert_ptr_nonnull(strstr(err, "changed after it was checked"));
    free(err);
    err = NULL;
  }
  char after[PATH_MAX];
  ck_assert_ptr_nonnull(realpath(dbpath, after));
  ck_assert_str_eq(after, before);
  kbx_db *db = NULL;
  OK(kbx_db_open(dbpath, &db, &err));
  ck_assert_uint_eq(freq(db, "Zdazukam"), 0);
  kbx_db_close(db);
  free(gen);
  kb_corpus_free(c);
}
END_TEST

START_TEST(document_terms_and_values) {
  char *gen = build();
  kbx_db *db = NULL;
  OK(kbx_db_open(dbpath, &db, &err));
  uint64_t count = 0;
  OK(kbx_db_doccount(db, &count, &err));
  ck_assert_uint_eq(count, 8);
  /* One id term per article. */
  ck_assert_uint_eq(freq(db, "Qbem-grundlagen"), 1);
  ck_assert_uint_eq(freq(db, "Qgibt-es-nicht"), 0);
  /* Facet terms: "XF" + the facet's name + ":" + the value, for every
   * facet schema.yaml declares, the kind included. */
  ck_assert_uint_eq(freq(db, "XFKIND:artikel"), 8);
  ck_assert_uint_eq(freq(db, "XFTYPE:anpassung"), 3);
  ck_assert_uint_eq(freq(db, "XFTYPE:recht"), 2);
  ck_assert_uint_eq(freq(db, "XFAUDIENCE:arbeitgeber"), 6);
  ck_assert_uint_eq(freq(db, "XFDISABILITY:hoerbehinderung"), 1);
  /* The facet is named by the facet, not by its field "disabilities". */
  ck_assert_uint_eq(freq(db, "XFDISABILITIES:hoerbehinderung"), 0);
  /* Every record carries its kind. */
  ck_assert_uint_eq(freq(db, "XKartikel"), 8);
  /* The norm facet's values are laws from `norms`, lower case: SGB V
   * and SGB VII are different laws. */
  ck_assert_uint_eq(freq(db, "XFNORM:sgb ix"), 3);
  ck_assert_uint_eq(freq(db, "XFNORM:sgb v"), 1);
  ck_assert_uint_eq(freq(db, "XFNORM:sgb vii"), 0);
  ck_assert_uint_eq(freq(db, "XFNORM:sgb iii"), 1);
  /* Citation terms at paragraph and Absatz level. */
  ck_assert_uint_eq(freq(db, "XCsgb ix§167"), 1);
  ck_assert_uint_eq(freq(db, "XCsgb ix§167.2"), 1);
  ck_assert_uint_eq(freq(db, "XCdsgvoart9"), 1);
  ck_assert_uint_eq(freq(db, "XCsgb v§45"), 1);
  /* Words are indexed as their stems, with positions, under Z, and
   * title words also under ZS; not as written. */
  ck_assert_uint_eq(freq(db, "ZSeingliederungsmanagement"), 1);
  ck_assert_uint_eq(freq(db, "Seingliederungsmanagement"), 0);
  ck_assert_uint_eq(freq(db, "eingliederungsmanagement"), 0);
  ck_assert_uint_gt(freq(db, "Zarbeitgeb"), 0);
  /* Topics as normalised keywords. */
  ck_assert_uint_eq(freq(db, "Khörgerät"), 1);
  ck_assert_uint_eq(freq(db, "Kvergrösserung"), 1); /* "ß" folded */
  ck_assert_uint_eq(freq(db, "Kvergrößerung"), 0);
  /* Hyphenated spellings meet the joined ones: "Arbeits-Platz" in
   * leichte-sprache is indexed as "arbeitsplatz" too. */
  ck_assert_uint_eq(freq(db, "Zarbeitsplatz"), 3);
  kbx_docid ls = 0;
  OK(kbx_db_find(db, "Qleichte-sprache", &ls, &err));
  strs t = {.n = 0};
  OK(kbx_db_doc_terms(db, ls, "Zarbeit", add_str, &t, &err));
  ck_assert(has(&t, "Zarbeitsplatz"));
  ck_assert(has(&t, "Zarbeit"));

  /* The Stand value sorts; the record is JSON with the rendered body. */
  kbx_docid did = 0;
  OK(kbx_db_find(db, "Qbem-grundlagen", &did, &err));
  char *val = NULL;
  size_t vlen = 0;
  OK(kbx_db_value(db, did, KB_SLOT_UPDATED, &val, &vlen, &err));
  ck_assert_str_eq(val, "20260501");
  free(val);
  /* Facet i keeps its values, as a serialised list, in slot
   * KB_SLOT_FACET0 + i. */
  const kb_schema *sc = corpus->vocab->schema;
  size_t type = kb_schema_facet(sc, "type");
  ck_assert_uint_eq(sc->facets[type].slot, KB_SLOT_FACET0 + type);
  const char *const bem[] = {"bem"};
  char *want = NULL;
  size_t wlen = 0;
  OK(kbx_serialise_list(bem, 1, &want, &wlen, &err));
  OK(kbx_db_value(db, did, sc->facets[type].slot, &val, &vlen, &err));
  ck_assert_uint_eq(vlen, wlen);
  ck_assert_mem_eq(val, want, wlen);
  free(val);
  free(want);
  const char *const four[] = {"arbeitgeber", "sbv", "betriebsrat",
                              "beschaeftigte"};
  OK(kbx_serialise_list(four, 4, &want, &wlen, &err));
  OK(kbx_db_value(db, did, sc->facets[kb_schema_facet(sc, "audience")].slot,
                  &val, &vlen, &err));
  ck_assert_uint_eq(vlen, wlen);
  ck_assert_mem_eq(val, want, wlen);
  free(val);
  free(want);
  /* The record: a binary header, the plain text, NUL, the body HTML,
   * in the values KB_RECORD_SLOTS; the document data is empty (Xapian
   * would deflate it).  The text is read in place (a result list's
   * snippet source). */
  static const kbx_slot slots[] = KB_RECORD_SLOTS;
  char *data = NULL;
  size_t dlen = 0;
  OK(kbx_db_data(db, did, &data, &dlen, &err));
  ck_assert_uint_eq(dlen, 0);
  free(data);
  OK(kbx_db_values_joined(db, did, slots, 2, &data, &dlen, &err));
  size_t tlen = 0;
  const char *text = kb_record_text(data, dlen, &tlen);
  ck_assert_uint_gt(tlen, 0);
  ck_assert(text > data && text + tlen < data + dlen);
  const char *html = text + tlen + 1;
  ck_assert_ptr_nonnull(strstr(html, "<p>"));
  ck_assert_ptr_nonnull(strstr(text, "Gespräch"));
  ck_assert_ptr_null(strstr(text, "<p>")); /* the HTML is not in the text */
  /* A result list's part, uncompressed in its slot: the same bytes up to
   * the end of the text. */
  char *hit = NULL;
  size_t hitlen = 0;
  OK(kbx_db_value(db, did, KB_SLOT_HIT, &hit, &hitlen, &err));
  ck_assert_uint_eq(hitlen, (size_t)(text + tlen + 1 - data));
  ck_assert_mem_eq(hit, data, hitlen);
  free(hit);
  free(data);

  /* Readers go through the one codec (kb_record.h). */
  OK(kbx_db_values_joined(db, did, slots, 2, &data, &dlen, &err));
  kb_record *r = NULL;
  OK(kb_record_decode(sc, data, dlen, true, &r, &err));
  free(data);
  ck_assert_str_eq(r->id, "bem-grundlagen");
  ck_assert_str_eq(r->kind, "artikel");
  ck_assert_str_eq(r->title, "Betriebliches Eingliederungsmanagement");
  ck_assert_str_eq(r->updated, "2026-05-01");
  ck_assert_uint_eq(strlen(r->hash), 16);
  ck_assert_str_eq(kb_record_value(r, kb_schema_field(sc, "type")), "bem");
  ck_assert_uint_eq(r->values[kb_schema_field(sc, "audience")].n, 4);
  ck_assert_uint_eq(r->laws.n, 2);
  ck_assert_str_eq(r->laws.v[0], "SGB IX");
  ck_assert_str_eq(r->laws.v[1], "DSGVO");
  ck_assert_str_eq(r->related.v[0], "sbv");
  ck_assert_ptr_nonnull(strstr(r->text, "Gespräch"));
  ck_assert_ptr_nonnull(strstr(r->html, "<p>"));
  kb_record_free(r);

  kbx_db_close(db);
  free(gen);
}
END_TEST

START_TEST(metadata_synonyms_spelling) {
  char *gen = build();
  kbx_db *db = NULL;
  OK(kbx_db_open(dbpath, &db, &err));
  char *v = NULL;
  OK(kbx_db_metadata(db, KB_META_SCHEMA, &v, NULL, &err));
  ck_assert_str_eq(v, KB_SCHEMA_VERSION);
  free(v);
  OK(kbx_db_metadata(db, KB_META_BUILT, &v, NULL, &err));
  ck_assert_uint_eq(strlen(v), 20); /* 2026-11-22T10:00:00Z */
  ck_assert_int_eq(v[19], 'Z');
  free(v);
  OK(kbx_db_metadata(db, KB_META_VOCAB, &v, NULL, &err));
  json_t *vj = json_loads(v, 0, NULL);
  free(v);
  kb_vocab *voc = NULL;
  OK(kb_vocab_from_json(vj, &voc, &err));
  json_decref(vj);
  ck_assert_str_eq(kb_vocab_label(voc, "audience", "sbv"),
                   "Schwerbehindertenvertretung");
  /* The schema the index was built with is stored with it. */
  ck_assert_ptr_nonnull(voc->schema);
  ck_assert_str_eq(voc->schema->source, corpus->vocab->schema->source);
  kb_vocab_free(voc);

  /* Synonyms under normalised keys, both ways, and under the stem. */
  strs l = {.n = 0};
  OK(kbx_db_synonyms(db, "bem", add_str, &l, &err));
  ck_assert(has(&l, "betriebliches eingliederungsmanagement"));
  l.n = 0;
  OK(kbx_db_synonyms(db, "betriebliches eingliederungsmanagement", add_str, &l,
                     &err));
  ck_assert(has(&l, "bem"));
  l.n = 0;
  OK(kbx_db_synonyms(db, "sbv", add_str, &l, &err));
  ck_assert(has(&l, "schwerbehindertenvertretung"));
  l.n = 0;
  OK(kbx_db_synonyms(db, "BEM", add_str, &l, &err));
  ck_assert_uint_eq(l.n, 0); /* keys are stored normalised only */

  /* Spelling data from the words of the corpus. */
  char *fix = NULL;
  OK(kbx_db_spelling(db, "eingliederungsmanagment", 2, &fix, &err));
  ck_assert_ptr_nonnull(fix);
  ck_assert_str_eq(fix, "eingliederungsmanagement");
  free(fix);
  kbx_db_close(db);
  free(gen);
}
END_TEST

/* ---- one writer, leftovers, checked and stamped generations ------------ */

static double seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(lock_excludes_second_writer) {
  kb_index_lock *a = NULL, *b = NULL;
  OK(kb_index_lock_take(dbpath, 0, &a, NULL, &err));
  ck_assert_int_eq(kb_index_lock_take(dbpath, 0, &b, NULL, &err),
                   KB_ERR_DB_LOCKED);
  ck_assert_ptr_null(b);
  ck_assert_ptr_nonnull(strstr(err, "another 'teilhabe index' is writing"));
  free(err);
  err = NULL;
  double t0 = seconds();
  ck_assert_int_eq(kb_index_lock_take(dbpath, 300, &b, NULL, &err),
                   KB_ERR_DB_LOCKED);
  ck_assert(seconds() - t0 >= 0.29);
  free(err);
  err = NULL;
  kb_index_lock_release(a);
  OK(kb_index_lock_take(dbpath, 0, &b, NULL, &err));
  kb_index_lock_release(b);
  kb_index_lock_release(NULL);
}
END_TEST

START_TEST(lock_removes_leftovers_only) {
  char *g1 = build();
  char *g2 = build();
  char gendir[1200], p[1400];
  snprintf(gendir, sizeof gendir, "%s.gen", dbpath);
  /* A killed build's generation (newer than the published one), an old
   * one (older than the previous), a folder that is not ours, a link
   * made but never renamed. */
  const char *left[] = {"29991231T000000.000000000-1",
                        "20000101T000000.000000000-2", "not-a-generation"};
  for (int i = 0; i < 3; i++) {
    tu_path(p, sizeof p, gendir, left[i]);
    ck_assert_int_eq(mkdir(p, 0755), 0);
    tu_write_file(p, "postlist.glass", "half");
  }
  snprintf(p, sizeof p, "%s.tmp-99", dbpath);
  ck_assert_int_eq(symlink("index.gen/x", p), 0);
  kb_index_lock *lock = NULL;
  size_t removed = 0;
  OK(kb_index_lock_take(dbpath, 0, &lock, &removed, &err));
  ck_assert_uint_eq(removed, 2);
  ck_assert(is_dir(g1)); /* the one before the published one */
  ck_assert(is_dir(g2)); /* the published one */
  tu_path(p, sizeof p, gendir, left[2]);
  ck_assert(is_dir(p));
  ck_assert_int_eq(count_entries(gendir), 4); /* g1, g2, not ours, .lock */
  snprintf(p, sizeof p, "%s.tmp-99", dbpath);
  struct stat sb;
  ck_assert_int_ne(lstat(p, &sb), 0);
  kb_index_lock_release(lock);
  free(g1);
  free(g2);
}
END_TEST

/* Overwrites `len` bytes of gen/file at `off` with 0x5a, keeping its
 * size and (when `keep_mtime`) its mtime. */
static void scribble(const char *gen, const char *file, off_t off, size_t len,
                     bool keep_mtime) {
  char p[1400];
  tu_path(p, sizeof p, gen, file);
  struct stat sb;
  ck_assert_int_eq(stat(p, &sb), 0);
  int fd = open(p, O_WRONLY);
  ck_assert_int_ge(fd, 0);
  char buf[4096];
  memset(buf, 0x5a, sizeof buf);
  ck_assert_int_eq(pwrite(fd, buf, len, off), (ssize_t)len);
  if (keep_mtime) {
    struct timespec t[2] = {sb.st_atim, sb.st_mtim};
    ck_assert_int_eq(futimens(fd, t), 0);
  }
  close(fd);
}

START_TEST(generation_checked_and_stamped) {
  char *gen = build();
  char p[1400];
  tu_path(p, sizeof p, gen, "teilhabe.stamp");
  struct stat sb;
  ck_assert_int_eq(stat(p, &sb), 0);
  OK(kbx_db_check(gen, &err));
  OK(kb_index_stamp_verify(gen, &err));
  kb_index_stamp st;
  OK(kb_index_stamp_take(gen, &st, &err));
  ck_assert_uint_ge(st.n, 6);
  OK(kb_index_stamp_check(gen, &st, &err));
  /* Same size, same mtime: only the content hash notices. */
  scribble(gen, "postlist.glass", 8192, 100, true);
  OK(kb_index_stamp_check(gen, &st, &err));
  ck_assert_int_eq(kb_index_stamp_verify(gen, &err), KB_ERR_DB_CORRUPT);
  ck_assert_ptr_nonnull(strstr(err, "content changed"));
  free(err);
  err = NULL;
  /* A write the cheap check sees. */
  scribble(gen, "termlist.glass", 0, 10, false);
  ck_assert_int_eq(kb_index_stamp_check(gen, &st, &err), KB_ERR_DB_CORRUPT);
  free(err);
  err = NULL;
  /* A removed file: whoever has it open still reads the old one. */
  tu_path(p, sizeof p, gen, "synonym.glass");
  ck_assert_int_eq(unlink(p), 0);
  kb_index_stamp st2;
  OK(kb_index_stamp_take(gen, &st2, &err));
  ck_assert_int_eq(kb_index_stamp_check(gen, &st, &err), KB_ERR_DB_OPENING);
  free(gen);
}
END_TEST

START_TEST(check_refuses_garbage) {
  char *gen = build();
  char p[1400];
  tu_path(p, sizeof p, gen, "postlist.glass");
  struct stat sb;
  ck_assert_int_eq(stat(p, &sb), 0);
  for (off_t off = 0; off < sb.st_size; off += 4096)
    scribble(gen, "postlist.glass", off, 4096, false);
  ck_assert_int_ne(kbx_db_check(gen, &err), KB_OK);
  ck_assert_ptr_nonnull(err);
  free(gen);
}
END_TEST

START_TEST(searcher_stops_reading_a_changed_generation) {
  char *g1 = build();
  kb_searcher *s = NULL;
  OK(kb_searcher_open(dbpath, &s, &err));
  /* Clean looks: the next ones need not look again until something
   * changes (an inotify watch), and must notice this change at once. */
  for (int i = 0; i < 3; i++)
    OK(kb_searcher_refresh(s, NULL, &err));
  ck_assert(!kb_searcher_damaged(s));
  OK(kb_searcher_probe(s, &err));
  scribble(g1, "postlist.glass", 0, 64, false);
  ck_assert_int_eq(kb_searcher_refresh(s, NULL, &err), KB_ERR_DB_CORRUPT);
  free(err);
  err = NULL;
  ck_assert(kb_searcher_damaged(s));
  ck_assert_int_eq(kb_searcher_probe(s, NULL), KB_ERR_DB_CORRUPT);
  /* A damaged generation does not open at all. */
  kb_searcher *t = NULL;
  ck_assert_int_eq(kb_searcher_open(dbpath, &t, &err), KB_ERR_DB_CORRUPT);
  free(err);
  err = NULL;
  /* A new index, and the searcher reads again. */
  char *g2 = build();
  bool changed = false;
  OK(kb_searcher_refresh(s, &changed, &err));
  ck_assert(changed);
  ck_assert(!kb_searcher_damaged(s));
  ck_assert_uint_eq(kb_searcher_doccount(s), 8);
  /* A file replaced under a clean searcher (renamed over) is noticed at
   * once too. */
  for (int i = 0; i < 3; i++)
    OK(kb_searcher_refresh(s, NULL, &err));
  char from[1400], to[1400];
  tu_path(to, sizeof to, g2, "termlist.glass");
  tu_path(from, sizeof from, g2, "termlist.new");
  tu_write_file(g2, "termlist.new", "not a table");
  ck_assert_int_eq(rename(from, to), 0);
  ck_assert_int_ne(kb_searcher_refresh(s, NULL, &err), KB_OK);
  free(err);
  err = NULL;
  kb_searcher_close(s);
  free(g1);
  free(g2);
}
END_TEST

/* A searcher whose looks came out clean follows a new generation at the
 * next refresh - also one given the index with a trailing slash - and
 * again after the folder holding the link was replaced. */
START_TEST(clean_searcher_follows_a_publish) {
  char *g1 = build();
  char slashed[1200], moved[1200];
  snprintf(slashed, sizeof slashed, "%s/", dbpath);
  kb_searcher *s = NULL, *t = NULL;
  OK(kb_searcher_open(dbpath, &s, &err));
  OK(kb_searcher_open(slashed, &t, &err));
  bool changed = true;
  for (int i = 0; i < 3; i++) {
    OK(kb_searcher_refresh(s, &changed, &err));
    ck_assert(!changed);
    OK(kb_searcher_refresh(t, &changed, &err));
    ck_assert(!changed);
  }
  char *g2 = build();
  OK(kb_searcher_refresh(s, &changed, &err));
  ck_assert(changed);
  OK(kb_searcher_refresh(t, &changed, &err));
  ck_assert(changed);
  /* The folder of the link is replaced by another one holding the same
   * (a new inode, which the old watch does not see); the next publish is
   * followed at once too. */
  snprintf(moved, sizeof moved, "%s.moved", tmpdir);
  ck_assert_int_eq(rename(tmpdir, moved), 0);
  ck_assert_int_eq(mkdir(tmpdir, 0755), 0);
  DIR *d = opendir(moved);
  ck_assert_ptr_nonnull(d);
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    char from[1400], to[1400];
    ck_assert_int_eq(rename(tu_path(from, sizeof from, moved, e->d_name),
                            tu_path(to, sizeof to, tmpdir, e->d_name)),
                     0);
  }
  closedir(d);
  ck_assert_int_eq(rmdir(moved), 0);
  OK(kb_searcher_refresh(s, &changed, &err));
  ck_assert(!changed);
  char *g3 = build();
  OK(kb_searcher_refresh(s, &changed, &err));
  ck_assert(changed);
  kb_searcher_close(s);
  kb_searcher_close(t);
  free(g1);
  free(g2);
  free(g3);
}
END_TEST

START_TEST(update_publishes_a_copy) {
  char *g1 = build();
  kb_index_report rep;
  /* Nothing changed: nothing is written or published. */
  OK(kb_index_update(corpus, dbpath, false, NULL, NULL, &rep, &err));
  ck_assert_uint_eq(rep.unchanged, 8);
  char *cur = NULL;
  OK(kb_index_current(dbpath, &cur, &err));
  ck_assert_str_eq(cur, g1);
  free(cur);
  /* One record changed: a new generation; the old one is untouched. */
  corpus->articles[0]->hash ^= 1;
  OK(kb_index_update(corpus, dbpath, false, NULL, NULL, &rep, &err));
  ck_assert(!rep.full);
  ck_assert_uint_eq(rep.changed, 1);
  OK(kb_index_current(dbpath, &cur, &err));
  ck_assert_str_ne(cur, g1);
  OK(kb_index_stamp_verify(g1, &err));
  OK(kb_index_stamp_verify(cur, &err));
  OK(kbx_db_check(cur, &err));
  free(cur);
  free(g1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("index");
  TCase *tp = tcase_create("publish");
  tcase_add_checked_fixture(tp, setup, teardown);
  tcase_set_timeout(tp, 120);
  tcase_add_test(tp, plain_directory_refused_untouched);
  tcase_add_test(tp, plain_file_refused);
  tcase_add_test(tp, build_publishes_relative_link);
  tcase_add_test(tp, rebuild_keeps_previous_prunes_older);
  tcase_add_test(tp, progress_and_abort_change_nothing);
  tcase_add_test(tp, current_of_plain_and_missing);
  tcase_add_test(tp, nested_db_path_created);
  /* Fixed bug, kept as a regression test: a db path with a trailing slash
   * leaves a directory behind that blocks every later build; see the test. */
  tcase_add_test(tp, trailing_slash_changes_nothing_on_failure);
  suite_add_tcase(s, tp);

  TCase *tg = tcase_create("generations");
  tcase_add_checked_fixture(tg, setup, teardown);
  tcase_set_timeout(tg, 120);
  tcase_add_test(tg, lock_excludes_second_writer);
  tcase_add_test(tg, lock_removes_leftovers_only);
  tcase_add_test(tg, generation_checked_and_stamped);
  tcase_add_test(tg, check_refuses_garbage);
  tcase_add_test(tg, searcher_stops_reading_a_changed_generation);
  tcase_add_test(tg, clean_searcher_follows_a_publish);
  tcase_add_test(tg, update_publishes_a_copy);
  suite_add_tcase(s, tg);

  TCase *td = tcase_create("documents");
  tcase_add_checked_fixture(td, setup, teardown);
  tcase_set_timeout(td, 120);
  tcase_add_test(td, document_terms_and_values);
  tcase_add_test(td, dropped_bodies_build_the_same_index);
  tcase_add_test(td, word_memo_cap_builds_the_same_index);
  tcase_add_test(td, dictionaries_read_ahead_build_the_same_index);
  tcase_add_test(td, dictionaries_read_ahead_follow_a_changed_compounds_file);
  tcase_add_test(td, edited_during_build_publishes_nothing);
  tcase_add_test(td, metadata_synonyms_spelling);
  suite_add_tcase(s, td);

  return tu_run_suite(s);
}
