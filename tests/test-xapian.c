/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-xapian.c - the Xapian wall, tested from C through kb_xapian.h only:
 * error mapping (missing, locked, existing databases), writing and
 * reopening, lookups, query operators, sorting, facet counting, spelling,
 * synonyms, wildcards, snippets, stemming and shards.
 *
 * Each test gets its own scratch directory under $TEILHABE_TEST_TMP (or
 * /tmp), removed again afterwards.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb_xapian.h"
#include "testutil.h"

/* Value slots of the test corpus. */
enum { SLOT_DATE, SLOT_TOPICS, SLOT_AUDIENCE, SLOT_ID };

static char tmpdir[PATH_MAX];
static char *err; /* reterr_msg of the call under test */

#define OK(call) TU_OK(call, err)

/* A fresh error slot: frees the last message. */
static void clear_err(void) {
  free(err);
  err = NULL;
}

static void setup(void) {
  tu_scratch_dir(tmpdir, sizeof tmpdir, "test-xapian");
  err = NULL;
}

static void teardown(void) {
  tu_remove_tree(tmpdir);
  clear_err();
}

/* tmpdir/name into a static buffer (one at a time is enough here). */
static const char *path_in(const char *name, char *buf, size_t cap) {
  return tu_path(buf, cap, tmpdir, name);
}

/* ---- corpus ---------------------------------------------------------- */

struct article {
  const char *id;       /* unique term is "Q" + id */
  const char *text;     /* lowercase words, one posting each */
  const char *audience; /* boolean term "XA" + audience, value slot */
  const char *date;     /* value slot, NULL for none */
  const char *topics[3];
};

static const struct article corpus[] = {
    {"a1",
     "der schutz bei kündigung",
     "arbeitnehmer",
     "2024-01-05",
     {"bem", "kuendigung", NULL}},
    {"a2",
     "kündigung ohne schutz",
     "arbeitgeber",
     "2023-06-01",
     {"kuendigung", NULL, NULL}},
    {"a3",
     "betriebliches eingliederungsmanagement bem",
     "arbeitnehmer",
     "2025-02-10",
     {"bem", "bem", NULL}}, /* listed twice, counted once */
    {"a4", "schutz schutz schutz", "betriebsrat", NULL, {NULL, NULL, NULL}},
};
#define NCORPUS (sizeof corpus / sizeof corpus[0])

static void make_doc(const struct article *a, kbx_doc **ret) {
  kbx_doc *doc = NULL;
  OK(kbx_doc_new(&doc, &err));
  char buf[256];
  snprintf(buf, sizeof buf, "%s", a->text);
  uint32_t pos = 1;
  for (char *w = buf; *w != '\0';) {
    char *sp = strchr(w, ' ');
    if (sp != NULL)
      *sp = '\0';
    OK(kbx_doc_add_posting(doc, w, pos++, 1, &err));
    if (sp == NULL)
      break;
    w = sp + 1;
  }
  char term[64];
  snprintf(term, sizeof term, "Q%s", a->id);
  OK(kbx_doc_add_boolean_term(doc, term, &err));
  snprintf(term, sizeof term, "XA%s", a->audience);
  OK(kbx_doc_add_boolean_term(doc, term, &err));
  OK(kbx_doc_add_term(doc, "Xall", 1, &err));
  if (a->date != NULL)
    OK(kbx_doc_set_value(doc, SLOT_DATE, a->date, strlen(a->date), &err));
  size_t ntopics = 0;
  while (ntopics < 3 && a->topics[ntopics] != NULL)
    ntopics++;
  if (ntopics > 0) {
    char *list = NULL;
    size_t len = 0;
    OK(kbx_serialise_list(a->topics, ntopics, &list, &len, &err));
    OK(kbx_doc_set_value(doc, SLOT_TOPICS, list, len, &err));
    free(list);
  }
  OK(kbx_doc_set_value(doc, SLOT_AUDIENCE, a->audience, strlen(a->audience),
                       &err));
  OK(kbx_doc_set_value(doc, SLOT_ID, a->id, strlen(a->id), &err));
  char data[64];
  snprintf(data, sizeof data, "doc %s", a->id);
  OK(kbx_doc_set_data(doc, data, strlen(data), &err));
  *ret = doc;
}

static void add_article(kbx_wdb *w, const struct article *a) {
  kbx_doc *doc = NULL;
  make_doc(a, &doc);
  char term[64];
  snprintf(term, sizeof term, "Q%s", a->id);
  OK(kbx_wdb_replace(w, term, doc, &err));
  kbx_doc_free(doc);
}

/* Commits and closes `w`, written at `path`, and opens it for reading. */
static kbx_db *commit_and_open(kbx_wdb *w, const char *path) {
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);
  kbx_db *db = NULL;
  OK(kbx_db_open(path, &db, &err));
  return db;
}

/* Builds the corpus at tmpdir/name and opens it for reading. */
static kbx_db *corpus_db(const char *name) {
  char path[PATH_MAX];
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(path_in(name, path, sizeof path), KBX_CREATE, &w, &err));
  for (size_t i = 0; i < NCORPUS; i++)
    add_article(w, &corpus[i]);
  return commit_and_open(w, path);
}

static kbx_query *term(const char *t) {
  kbx_query *q = NULL;
  OK(kbx_query_term(t, 1, 0, &q, &err));
  return q;
}

static kbx_query *combine2(enum kbx_op op, kbx_query *a, kbx_query *b,
                           unsigned window) {
  kbx_query *subs[2] = {a, b};
  kbx_query *q = NULL;
  OK(kbx_query_combine(op, subs, 2, window, &q, &err));
  kbx_query_free(a);
  kbx_query_free(b);
  return q;
}

/*
 * Runs `q` (taken over) and writes the ids of all matches, space
 * separated, into out.  sort_by_id gives set semantics a fixed order.
 */
static void ids(kbx_db *db, kbx_query *q, bool sort_by_id, char *out,
                size_t cap) {
  kbx_enquire *enq = NULL;
  kbx_mset *m = NULL;
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_set_query(enq, q, &err));
  if (sort_by_id)
    kbx_enquire_sort_value(enq, SLOT_ID, false);
  OK(kbx_enquire_mset(enq, 0, 100, 100, &m, &err));
  out[0] = '\0';
  for (uint32_t i = 0; i < kbx_mset_size(m); i++) {
    kbx_docid id = 0;
    OK(kbx_mset_docid(m, i, &id, &err));
    char *v = NULL;
    OK(kbx_db_value(db, id, SLOT_ID, &v, NULL, &err));
    size_t used = strlen(out);
    snprintf(out + used, cap - used, "%s%s", used ? " " : "", v);
    free(v);
  }
  kbx_mset_free(m);
  kbx_enquire_free(enq);
  kbx_query_free(q);
}

/* Collects callback strings, comma separated. */
struct collect {
  char s[1024];
  size_t calls;
  size_t stop_after; /* 0 = never stop */
};

static bool collect_str(const char *s, size_t len, void *ctx) {
  struct collect *c = ctx;
  size_t used = strlen(c->s);
  snprintf(c->s + used, sizeof c->s - used, "%s%.*s", used ? "," : "", (int)len,
           s);
  c->calls++;
  return c->stop_after == 0 || c->calls < c->stop_after;
}

static bool collect_count(const char *s, size_t len, uint64_t count,
                          void *ctx) {
  struct collect *c = ctx;
  size_t used = strlen(c->s);
  snprintf(c->s + used, sizeof c->s - used, "%s%.*s=%llu", used ? "," : "",
           len > 20 ? 20 : (int)len, s, (unsigned long long)count);
  c->calls++;
  return true;
}

/* ---- errors: missing, locked, existing ------------------------------- */

START_TEST(open_missing_is_db_opening) {
  char path[PATH_MAX];
  path_in("no-such-index", path, sizeof path);
  kbx_db *db = (kbx_db *)&db; /* a sentinel: must stay untouched */
  kbx_db *const sentinel = db;
  ck_assert_int_eq(kbx_db_open(path, &db, &err), KB_ERR_DB_OPENING);
  ck_assert_ptr_eq(db, sentinel);
  ck_assert_ptr_nonnull(err);
  ck_assert_msg(strstr(err, path) != NULL, "message does not name path: %s",
                err);
  ck_assert_msg(strncmp(err, "cannot open index", 17) == 0, "%s", err);
  clear_err();
  /* Without an error slot it still fails cleanly. */
  ck_assert_int_eq(kbx_db_open(path, &db, NULL), KB_ERR_DB_OPENING);
  /* An empty directory is no database either. */
  ck_assert_int_eq(kbx_db_open(tmpdir, &db, &err), KB_ERR_DB_OPENING);
  ck_assert_ptr_eq(db, sentinel);
}
END_TEST

START_TEST(second_writer_is_locked) {
  char path[PATH_MAX];
  path_in("locked", path, sizeof path);
  kbx_wdb *w1 = NULL;
  OK(kbx_wdb_open(path, KBX_CREATE_OR_OPEN, &w1, &err));
  kbx_wdb *w2 = NULL;
  ck_assert_int_eq(kbx_wdb_open(path, KBX_CREATE_OR_OPEN, &w2, &err),
                   KB_ERR_DB_LOCKED);
  ck_assert_ptr_null(w2);
  ck_assert_ptr_nonnull(err);
  ck_assert_msg(strstr(err, path) != NULL, "%s", err);
  clear_err();
  /* Readers are not blocked by the writer. */
  kbx_db *db = NULL;
  OK(kbx_db_open(path, &db, &err));
  kbx_db_close(db);
  /* Closing the first writer releases the lock. */
  kbx_wdb_close(w1);
  OK(kbx_wdb_open(path, KBX_CREATE_OR_OPEN, &w2, &err));
  kbx_wdb_close(w2);
}
END_TEST

START_TEST(create_existing_is_exists) {
  char path[PATH_MAX];
  path_in("exists", path, sizeof path);
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(path, KBX_CREATE, &w, &err));
  kbx_wdb_close(w);
  w = NULL;
  ck_assert_int_eq(kbx_wdb_open(path, KBX_CREATE, &w, &err), KB_ERR_EXISTS);
  ck_assert_ptr_null(w);
  ck_assert_ptr_nonnull(strstr(err, path));
  clear_err();
  ck_assert_int_eq(kbx_wdb_open(path, (enum kbx_wdb_mode)42, &w, &err),
                   KB_ERR_INVALID);
  clear_err();
  /* CREATE_OR_REPLACE empties it. */
  OK(kbx_wdb_open(path, KBX_CREATE_OR_OPEN, &w, &err));
  add_article(w, &corpus[0]);
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);
  OK(kbx_wdb_open(path, KBX_CREATE_OR_REPLACE, &w, &err));
  uint64_t n = 99;
  OK(kbx_wdb_doccount(w, &n, &err));
  ck_assert_uint_eq(n, 0);
  kbx_wdb_close(w);
}
END_TEST

START_TEST(null_arguments_are_invalid) {
  kbx_db *db = NULL;
  ck_assert_int_eq(kbx_db_open(NULL, &db, &err), KB_ERR_INVALID);
  ck_assert_ptr_nonnull(err);
  clear_err();
  ck_assert_int_eq(kbx_db_open_shards(NULL, 1, &db, &err), KB_ERR_INVALID);
  clear_err();
  const char *none[1] = {tmpdir};
  ck_assert_int_eq(kbx_db_open_shards(none, 0, &db, &err), KB_ERR_INVALID);
  ck_assert_ptr_null(db);
  /* Every destructor takes NULL. */
  kbx_db_close(NULL);
  kbx_wdb_close(NULL);
  kbx_doc_free(NULL);
  kbx_stem_free(NULL);
  kbx_query_free(NULL);
  kbx_enquire_free(NULL);
  kbx_mset_free(NULL);
  kbx_spy_free(NULL);
  ck_assert_uint_eq(kbx_mset_size(NULL), 0);
  ck_assert_uint_eq(kbx_spy_total(NULL), 0);
}
END_TEST

/* ---- writing and reading --------------------------------------------- */

START_TEST(commit_then_reopen_sees_new_revision) {
  char path[PATH_MAX];
  path_in("rev", path, sizeof path);
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(path, KBX_CREATE, &w, &err));
  add_article(w, &corpus[0]);
  add_article(w, &corpus[1]);
  OK(kbx_wdb_commit(w, &err));

  kbx_db *db = NULL;
  OK(kbx_db_open(path, &db, &err));
  uint64_t n = 0, rev1 = 0, rev2 = 0;
  OK(kbx_db_doccount(db, &n, &err));
  ck_assert_uint_eq(n, 2);
  OK(kbx_db_revision(db, &rev1, &err));
  ck_assert_uint_gt(rev1, 0);

  add_article(w, &corpus[2]);
  OK(kbx_wdb_set_metadata(w, "built", "2026-01-01", 10, &err));
  OK(kbx_wdb_commit(w, &err));
  /* The reader keeps its snapshot until reopened. */
  OK(kbx_db_doccount(db, &n, &err));
  ck_assert_uint_eq(n, 2);
  bool changed = false;
  OK(kbx_db_reopen(db, &changed, &err));
  ck_assert(changed);
  OK(kbx_db_doccount(db, &n, &err));
  ck_assert_uint_eq(n, 3);
  OK(kbx_db_revision(db, &rev2, &err));
  ck_assert_uint_gt(rev2, rev1);
  char *meta = NULL;
  size_t len = 0;
  OK(kbx_db_metadata(db, "built", &meta, &len, &err));
  ck_assert_str_eq(meta, "2026-01-01");
  ck_assert_uint_eq(len, 10);
  free(meta);
  OK(kbx_db_metadata(db, "unset", &meta, &len, &err));
  ck_assert_str_eq(meta, "");
  ck_assert_uint_eq(len, 0);
  free(meta);

  /* Nothing new: reopen says so. */
  changed = true;
  OK(kbx_db_reopen(db, &changed, &err));
  ck_assert(!changed);
  OK(kbx_db_reopen(db, NULL, &err));
  kbx_db_close(db);
  kbx_wdb_close(w);
}
END_TEST

START_TEST(close_without_commit_discards) {
  char path[PATH_MAX];
  path_in("discard", path, sizeof path);
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(path, KBX_CREATE, &w, &err));
  add_article(w, &corpus[0]);
  OK(kbx_wdb_commit(w, &err));
  add_article(w, &corpus[1]); /* never committed */
  kbx_wdb_close(w);

  kbx_db *db = NULL;
  uint64_t n = 0;
  OK(kbx_db_open(path, &db, &err));
  OK(kbx_db_doccount(db, &n, &err));
  ck_assert_uint_eq(n, 1);
  kbx_db_close(db);
}
END_TEST

START_TEST(transactions_commit_or_cancel) {
  char path[PATH_MAX];
  path_in("txn", path, sizeof path);
  kbx_wdb *w = NULL;
  uint64_t n = 99;
  OK(kbx_wdb_open(path, KBX_CREATE, &w, &err));
  ck_assert_int_eq(kbx_wdb_end(w, true, &err), KB_ERR_INVALID);
  clear_err();

  OK(kbx_wdb_begin(w, &err));
  ck_assert_int_eq(kbx_wdb_begin(w, &err), KB_ERR_INVALID); /* no nesting */
  clear_err();
  add_article(w, &corpus[0]);
  OK(kbx_wdb_end(w, false, &err));
  OK(kbx_wdb_doccount(w, &n, &err));
  ck_assert_uint_eq(n, 0);

  OK(kbx_wdb_begin(w, &err));
  add_article(w, &corpus[1]);
  OK(kbx_wdb_end(w, true, &err));
  kbx_wdb_close(w); /* a committed transaction survives close */

  kbx_db *db = NULL;
  kbx_docid id = 0;
  OK(kbx_db_open(path, &db, &err));
  OK(kbx_db_doccount(db, &n, &err));
  ck_assert_uint_eq(n, 1);
  OK(kbx_db_find(db, "Qa2", &id, &err));
  kbx_db_close(db);
}
END_TEST

/* Rewrites n documents "Qm<i>" with ~1.5 kB of data naming `rev`. */
static void rewrite_all(kbx_wdb *w, int n, int rev) {
  for (int i = 0; i < n; i++) {
    char id[32], data[1600];
    kbx_doc *doc = NULL;
    snprintf(id, sizeof id, "Qm%d", i);
    snprintf(data, sizeof data, "rev %d %01500d", rev, i);
    OK(kbx_doc_new(&doc, &err));
    OK(kbx_doc_add_boolean_term(doc, id, &err));
    OK(kbx_doc_set_data(doc, data, strlen(data), &err));
    OK(kbx_wdb_replace(w, id, doc, &err));
    kbx_doc_free(doc);
  }
  OK(kbx_wdb_commit(w, &err));
}

START_TEST(stale_reader_is_db_modified) {
  char path[PATH_MAX];
  path_in("modified", path, sizeof path);
  kbx_wdb *w = NULL;
  kbx_db *db = NULL;
  OK(kbx_wdb_open(path, KBX_CREATE, &w, &err));
  rewrite_all(w, 2000, 0);
  OK(kbx_db_open(path, &db, &err));
  /* Glass keeps the previous revision only; after a few rewrites the
   * reader's blocks are reused and it must reopen. */
  for (int rev = 1; rev <= 4; rev++)
    rewrite_all(w, 2000, rev);
  kbx_wdb_close(w);
  char *data = NULL;
  ck_assert_int_eq(kbx_db_data(db, 1, &data, NULL, &err), KB_ERR_DB_MODIFIED);
  ck_assert_ptr_null(data);
  ck_assert_msg(strstr(err, "reopen") != NULL, "%s", err);
  clear_err();
  bool changed = false;
  OK(kbx_db_reopen(db, &changed, &err));
  ck_assert(changed);
  OK(kbx_db_data(db, 1, &data, NULL, &err));
  ck_assert_msg(strncmp(data, "rev 4 ", 6) == 0, "%.10s", data);
  free(data);
  kbx_db_close(db);
}
END_TEST

START_TEST(find_by_unique_term_and_read) {
  kbx_db *db = corpus_db("find");
  kbx_docid id = 0;
  OK(kbx_db_find(db, "Qa2", &id, &err));
  ck_assert_uint_gt(id, 0);
  char *data = NULL;
  size_t len = 0;
  OK(kbx_db_data(db, id, &data, &len, &err));
  ck_assert_str_eq(data, "doc a2");
  ck_assert_uint_eq(len, 6);
  free(data);
  char *v = NULL;
  OK(kbx_db_value(db, id, SLOT_DATE, &v, &len, &err));
  ck_assert_str_eq(v, "2023-06-01");
  free(v);
  OK(kbx_db_value(db, id, 77, &v, &len, &err)); /* unset slot */
  ck_assert_str_eq(v, "");
  ck_assert_uint_eq(len, 0);
  free(v);
  /* Several values joined in the order asked (how a stored record too
   * long for one value is read); an unset slot adds nothing. */
  const kbx_slot order[] = {SLOT_ID, 77, SLOT_DATE};
  OK(kbx_db_values_joined(db, id, order, 3, &v, &len, &err));
  ck_assert_str_eq(v, "a22023-06-01");
  ck_assert_uint_eq(len, 12);
  free(v);
  OK(kbx_db_values_joined(db, id, order + 2, 1, &v, NULL, &err));
  ck_assert_str_eq(v, "2023-06-01");
  free(v);
  v = NULL;
  ck_assert_int_eq(kbx_db_values_joined(db, 999, order, 3, &v, NULL, &err),
                   KB_ERR_NOT_FOUND);
  ck_assert_ptr_null(v);
  clear_err();
  ck_assert_int_eq(kbx_db_values_joined(db, id, NULL, 2, &v, NULL, &err),
                   KB_ERR_INVALID);
  clear_err();

  kbx_docid untouched = 12345;
  ck_assert_int_eq(kbx_db_find(db, "Qnope", &untouched, &err),
                   KB_ERR_NOT_FOUND);
  ck_assert_uint_eq(untouched, 12345);
  ck_assert_ptr_nonnull(strstr(err, "'Qnope'"));
  clear_err();
  data = NULL;
  ck_assert_int_eq(kbx_db_data(db, 999, &data, NULL, &err), KB_ERR_NOT_FOUND);
  ck_assert_ptr_null(data);
  ck_assert_ptr_nonnull(err);
  clear_err();
  ck_assert_int_eq(kbx_db_data(db, 0, &data, NULL, &err), KB_ERR_NOT_FOUND);
  clear_err();

  uint64_t freq = 0;
  OK(kbx_db_termfreq(db, "XAarbeitnehmer", &freq, &err));
  ck_assert_uint_eq(freq, 2);
  OK(kbx_db_termfreq(db, "absent", &freq, &err));
  ck_assert_uint_eq(freq, 0);

  /* The document's terms, restricted to a prefix. */
  struct collect c = {0};
  OK(kbx_db_doc_terms(db, id, "X", collect_str, &c, &err));
  ck_assert_str_eq(c.s, "XAarbeitgeber,Xall");
  memset(&c, 0, sizeof c);
  ck_assert_int_eq(kbx_db_doc_terms(db, 999, "", collect_str, &c, &err),
                   KB_ERR_NOT_FOUND);
  ck_assert_uint_eq(c.calls, 0);
  clear_err();

  /* All terms with a prefix, in byte order, with a cap and early stop. */
  memset(&c, 0, sizeof c);
  OK(kbx_db_allterms(db, "Q", 0, collect_str, &c, &err));
  ck_assert_str_eq(c.s, "Qa1,Qa2,Qa3,Qa4");
  memset(&c, 0, sizeof c);
  OK(kbx_db_allterms(db, "Q", 2, collect_str, &c, &err));
  ck_assert_str_eq(c.s, "Qa1,Qa2");
  memset(&c, 0, sizeof c);
  c.stop_after = 3;
  OK(kbx_db_allterms(db, "Q", 0, collect_str, &c, &err));
  ck_assert_str_eq(c.s, "Qa1,Qa2,Qa3");
  memset(&c, 0, sizeof c);
  OK(kbx_db_allterms_freq(db, "XA", 0, collect_count, &c, &err));
  ck_assert_str_eq(c.s, "XAarbeitgeber=1,XAarbeitnehmer=2,XAbetriebsrat=1");
  kbx_db_close(db);
}
END_TEST

START_TEST(replace_and_delete_by_unique_term) {
  char path[PATH_MAX];
  path_in("replace", path, sizeof path);
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(path, KBX_CREATE, &w, &err));
  for (size_t i = 0; i < NCORPUS; i++)
    add_article(w, &corpus[i]);
  /* Same unique term, new data: replaced, not added. */
  struct article changed = corpus[0];
  changed.text = "ganz neuer text";
  add_article(w, &changed);
  uint64_t n = 0;
  OK(kbx_wdb_doccount(w, &n, &err));
  ck_assert_uint_eq(n, NCORPUS);
  /* Pathological input: empty and over-long terms are refused. */
  kbx_doc *bad = NULL;
  OK(kbx_doc_new(&bad, &err));
  ck_assert_int_eq(kbx_doc_add_term(bad, "", 1, &err), KB_ERR_INVALID);
  clear_err();
  char huge[300];
  memset(huge, 'h', sizeof huge - 1);
  huge[sizeof huge - 1] = '\0';
  /* Caught up front: were it left to Xapian, storing the document would
   * fail and cancel every uncommitted change of this writer. */
  ck_assert_int_eq(kbx_doc_add_term(bad, huge, 1, &err), KB_ERR_LIMIT);
  ck_assert_msg(strstr(err, "299 bytes") != NULL, "%s", err);
  clear_err();
  ck_assert_int_eq(kbx_doc_add_posting(bad, huge, 1, 1, &err), KB_ERR_LIMIT);
  clear_err();
  ck_assert_int_eq(kbx_doc_add_boolean_term(bad, huge, &err), KB_ERR_LIMIT);
  clear_err();
  ck_assert_int_eq(kbx_wdb_replace(w, huge, bad, &err), KB_ERR_LIMIT);
  clear_err();
  kbx_doc_free(bad);
  OK(kbx_wdb_delete(w, "Qa4", &err));
  OK(kbx_wdb_delete(w, "Qnever", &err)); /* absent: nothing to do */
  ck_assert_int_eq(kbx_wdb_delete(w, "", &err), KB_ERR_INVALID);
  clear_err();
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);

  kbx_db *db = NULL;
  kbx_docid id = 0;
  uint64_t freq = 0;
  OK(kbx_db_open(path, &db, &err));
  OK(kbx_db_doccount(db, &n, &err));
  ck_assert_uint_eq(n, NCORPUS - 1);
  ck_assert_int_eq(kbx_db_find(db, "Qa4", &id, &err), KB_ERR_NOT_FOUND);
  clear_err();
  OK(kbx_db_termfreq(db, "neuer", &freq, &err));
  ck_assert_uint_eq(freq, 1);
  OK(kbx_db_termfreq(db, "bei", &freq, &err)); /* the old text is gone */
  ck_assert_uint_eq(freq, 0);
  kbx_db_close(db);
}
END_TEST

/* A term's frequency, remembered by the handle, follows the handle to
 * a new revision. */
START_TEST(termfreq_follows_a_new_revision) {
  char path[PATH_MAX];
  path_in("termfreq", path, sizeof path);
  kbx_db *db = NULL;
  uint64_t freq = 0;
  for (int round = 0; round < 3; round++) {
    kbx_wdb *w = NULL;
    kbx_doc *doc = NULL;
    char id[16];
    OK(kbx_wdb_open(path, KBX_CREATE_OR_OPEN, &w, &err));
    OK(kbx_doc_new(&doc, &err));
    OK(kbx_doc_add_term(doc, "neu", 1, &err));
    snprintf(id, sizeof id, "Q%d", round);
    OK(kbx_wdb_replace(w, id, doc, &err));
    kbx_doc_free(doc);
    OK(kbx_wdb_commit(w, &err));
    kbx_wdb_close(w);
    bool changed = false;
    if (db == NULL)
      OK(kbx_db_open(path, &db, &err));
    else
      OK(kbx_db_reopen(db, &changed, &err));
    ck_assert(changed == (round > 0));
    for (int ask = 0; ask < 2; ask++) {
      OK(kbx_db_termfreq(db, "neu", &freq, &err));
      ck_assert_uint_eq(freq, (uint64_t)round + 1);
    }
  }
  OK(kbx_db_termfreq(db, "alt", &freq, &err));
  ck_assert_uint_eq(freq, 0);
  kbx_db_close(db);
}
END_TEST

/* ---- queries --------------------------------------------------------- */

START_TEST(phrase_and_near) {
  kbx_db *db = corpus_db("phrase");
  char got[128];
  ids(db, combine2(KBX_OP_PHRASE, term("schutz"), term("bei"), 0), true, got,
      sizeof got);
  ck_assert_str_eq(got, "a1");
  /* Wrong order is no phrase. */
  ids(db, combine2(KBX_OP_PHRASE, term("bei"), term("schutz"), 0), true, got,
      sizeof got);
  ck_assert_str_eq(got, "");
  /* a2 is "kündigung ohne schutz": two apart, either order for NEAR. */
  ids(db, combine2(KBX_OP_NEAR, term("schutz"), term("kündigung"), 3), true,
      got, sizeof got);
  ck_assert_str_eq(got, "a1 a2");
  ids(db, combine2(KBX_OP_NEAR, term("schutz"), term("kündigung"), 2), true,
      got, sizeof got);
  ck_assert_str_eq(got, "");
  kbx_db_close(db);
}
END_TEST

START_TEST(boolean_operators) {
  kbx_db *db = corpus_db("bool");
  char got[128];
  ids(db, combine2(KBX_OP_AND, term("kündigung"), term("schutz"), 0), true, got,
      sizeof got);
  ck_assert_str_eq(got, "a1 a2");
  ids(db, combine2(KBX_OP_OR, term("bem"), term("ohne"), 0), true, got,
      sizeof got);
  ck_assert_str_eq(got, "a2 a3");
  ids(db, combine2(KBX_OP_FILTER, term("kündigung"), term("XAarbeitnehmer"), 0),
      true, got, sizeof got);
  ck_assert_str_eq(got, "a1");
  ids(db, combine2(KBX_OP_AND_NOT, term("schutz"), term("kündigung"), 0), true,
      got, sizeof got);
  ck_assert_str_eq(got, "a4");
  /* AND_MAYBE: the second part only adds weight. */
  ids(db, combine2(KBX_OP_AND_MAYBE, term("bem"), term("schutz"), 0), true, got,
      sizeof got);
  ck_assert_str_eq(got, "a3");
  ids(db, combine2(KBX_OP_SYNONYM, term("bem"), term("ohne"), 0), true, got,
      sizeof got);
  ck_assert_str_eq(got, "a2 a3");
  ids(db, combine2(KBX_OP_MAX, term("bem"), term("ohne"), 0), true, got,
      sizeof got);
  ck_assert_str_eq(got, "a2 a3");

  /* FILTER adds no weight: a1 weighs what "kündigung" alone gives it. */
  double w_plain = 0, w_filtered = 0;
  kbx_query *plain = term("kündigung");
  kbx_query *filtered =
      combine2(KBX_OP_FILTER, term("kündigung"), term("XAarbeitnehmer"), 0);
  kbx_query *qs[2] = {plain, filtered};
  double *ws[2] = {&w_plain, &w_filtered};
  kbx_docid a1 = 0;
  OK(kbx_db_find(db, "Qa1", &a1, &err));
  for (int k = 0; k < 2; k++) {
    kbx_enquire *enq = NULL;
    kbx_mset *m = NULL;
    OK(kbx_enquire_new(db, &enq, &err));
    OK(kbx_enquire_set_query(enq, qs[k], &err));
    OK(kbx_enquire_mset(enq, 0, 10, 10, &m, &err));
    for (uint32_t i = 0; i < kbx_mset_size(m); i++) {
      kbx_docid id = 0;
      OK(kbx_mset_docid(m, i, &id, &err));
      if (id == a1)
        OK(kbx_mset_weight(m, i, ws[k], &err));
    }
    kbx_mset_free(m);
    kbx_enquire_free(enq);
    kbx_query_free(qs[k]);
  }
  ck_assert_double_gt(w_plain, 0);
  ck_assert_double_eq_tol(w_plain, w_filtered, 1e-9);

  /* Scaling by 0 keeps the matches and drops the weight. */
  kbx_query *q = term("kündigung");
  kbx_query *scaled = NULL;
  OK(kbx_query_scale(q, 0.0, &scaled, &err));
  kbx_query_free(q);
  ck_assert_int_eq(kbx_query_scale(scaled, -1.0, &q, &err), KB_ERR_INVALID);
  clear_err();
  kbx_enquire *enq = NULL;
  kbx_mset *m = NULL;
  double wt = -1;
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_set_query(enq, scaled, &err));
  OK(kbx_enquire_mset(enq, 0, 10, 10, &m, &err));
  ck_assert_uint_eq(kbx_mset_size(m), 2);
  ck_assert_uint_eq(kbx_mset_matches_estimated(m), 2);
  ck_assert_uint_eq(kbx_mset_matches_lower(m), 2);
  ck_assert_uint_eq(kbx_mset_matches_upper(m), 2);
  OK(kbx_mset_weight(m, 0, &wt, &err));
  ck_assert_double_eq(wt, 0);
  ck_assert_int_eq(kbx_mset_weight(m, 2, &wt, &err), KB_ERR_INVALID);
  clear_err();
  kbx_mset_free(m);
  kbx_enquire_free(enq);
  kbx_query_free(scaled);
  kbx_db_close(db);
}
END_TEST

START_TEST(query_edge_cases) {
  kbx_query *q = (kbx_query *)&q;
  kbx_query *const sentinel = q;
  /* The empty term would match everything in Xapian: refused. */
  ck_assert_int_eq(kbx_query_term("", 1, 0, &q, &err), KB_ERR_INVALID);
  ck_assert_ptr_eq(q, sentinel);
  clear_err();
  ck_assert_int_eq(kbx_query_wildcard("", 10, &q, &err), KB_ERR_INVALID);
  clear_err();
  ck_assert_int_eq(kbx_query_combine((enum kbx_op)99, NULL, 0, 0, &q, &err),
                   KB_ERR_INVALID);
  clear_err();
  kbx_query *subs[2] = {NULL, NULL};
  ck_assert_int_eq(kbx_query_combine(KBX_OP_AND, subs, 2, 0, &q, &err),
                   KB_ERR_INVALID);
  ck_assert_ptr_eq(q, sentinel);
  clear_err();

  OK(kbx_query_match_nothing(&q, &err));
  ck_assert(kbx_query_empty(q));
  kbx_query_free(q);
  OK(kbx_query_match_all(&q, &err));
  ck_assert(!kbx_query_empty(q));
  kbx_query_free(q);
  ck_assert(kbx_query_empty(NULL));
  ck_assert_ptr_null(kbx_query_describe(NULL));

  q = combine2(KBX_OP_AND, term("kündigung"), term("schutz"), 0);
  char *d = kbx_query_describe(q);
  ck_assert_ptr_nonnull(d);
  ck_assert_msg(strstr(d, "kündigung") && strstr(d, "AND"), "%s", d);
  free(d);
  kbx_query_free(q);
}
END_TEST

START_TEST(value_sort_and_ranges) {
  kbx_db *db = corpus_db("sort");
  const char *order[2] = {"a2 a1 a3", "a3 a1 a2"};
  for (int reverse = 0; reverse < 2; reverse++) {
    kbx_query *q = NULL;
    kbx_enquire *enq = NULL;
    kbx_mset *m = NULL;
    OK(kbx_query_value_range(SLOT_DATE, "2000", "2099", &q, &err));
    OK(kbx_enquire_new(db, &enq, &err));
    OK(kbx_enquire_set_query(enq, q, &err));
    kbx_enquire_sort_value(enq, SLOT_DATE, reverse);
    OK(kbx_enquire_mset(enq, 0, 10, 10, &m, &err));
    char got[64] = "";
    for (uint32_t i = 0; i < kbx_mset_size(m); i++) {
      char *data = NULL;
      OK(kbx_mset_value(m, i, SLOT_ID, &data, NULL, &err));
      size_t used = strlen(got);
      snprintf(got + used, sizeof got - used, "%s%s", used ? " " : "", data);
      free(data);
    }
    ck_assert_str_eq(got, order[reverse]);
    /* Paging: the second item alone. */
    kbx_mset_free(m);
    OK(kbx_enquire_mset(enq, 1, 1, 10, &m, &err));
    ck_assert_uint_eq(kbx_mset_size(m), 1);
    char *data = NULL;
    size_t len = 0;
    OK(kbx_mset_value(m, 0, SLOT_ID, &data, &len, &err));
    ck_assert_str_eq(data, "a1");
    ck_assert_uint_eq(len, 2);
    free(data);
    kbx_mset_free(m);
    kbx_enquire_free(enq);
    kbx_query_free(q);
  }

  char got[64];
  kbx_query *q = NULL;
  OK(kbx_query_value_range(SLOT_DATE, "2024-01-01", "2024-12-31", &q, &err));
  ids(db, q, true, got, sizeof got);
  ck_assert_str_eq(got, "a1");
  OK(kbx_query_value_range(SLOT_DATE, "2024", NULL, &q, &err));
  ids(db, q, true, got, sizeof got);
  ck_assert_str_eq(got, "a1 a3");
  OK(kbx_query_value_range(SLOT_DATE, NULL, "2024", &q, &err));
  ids(db, q, true, got, sizeof got);
  ck_assert_str_eq(got, "a2");
  ck_assert_int_eq(kbx_query_value_range(SLOT_DATE, NULL, NULL, &q, &err),
                   KB_ERR_INVALID);
  clear_err();
  kbx_db_close(db);
}
END_TEST

/* ---- facets ---------------------------------------------------------- */

START_TEST(serialise_list_format) {
  /* Short items: one length byte each. */
  const char *items[] = {"ab", ""};
  char *buf = NULL;
  size_t len = 0;
  OK(kbx_serialise_list(items, 2, &buf, &len, &err));
  ck_assert_uint_eq(len, 4);
  ck_assert_mem_eq(buf,
                   "\x02"
                   "ab"
                   "\x00",
                   4);
  free(buf);
  /* 300 bytes: 0xff, then 300 - 255 = 45 with the end bit, 0xad. */
  char big[301];
  memset(big, 'x', 300);
  big[300] = '\0';
  const char *one[] = {big};
  OK(kbx_serialise_list(one, 1, &buf, &len, &err));
  ck_assert_uint_eq(len, 302);
  ck_assert_uint_eq((unsigned char)buf[0], 0xff);
  ck_assert_uint_eq((unsigned char)buf[1], 0xad);
  ck_assert_int_eq(buf[2], 'x');
  free(buf);
  /* 255 + 200 = 455: two 7-bit groups, 200 = 0x48 then 0x01|0x80. */
  char huge[456];
  memset(huge, 'y', 455);
  huge[455] = '\0';
  one[0] = huge;
  OK(kbx_serialise_list(one, 1, &buf, &len, &err));
  ck_assert_uint_eq(len, 458);
  ck_assert_mem_eq(buf, "\xff\x48\x81", 3);
  free(buf);
  /* Nothing to serialise is an empty payload. */
  OK(kbx_serialise_list(NULL, 0, &buf, &len, &err));
  ck_assert_uint_eq(len, 0);
  free(buf);
  const char *holes[] = {"a", NULL};
  buf = NULL;
  ck_assert_int_eq(kbx_serialise_list(holes, 2, &buf, &len, &err),
                   KB_ERR_INVALID);
  ck_assert_ptr_null(buf);
}
END_TEST

/* Runs match-all over db with spies on the audience and topics slots. */
static void facet_counts(kbx_db *db, char *single, char *multi, size_t cap,
                         uint64_t *total) {
  kbx_spy *s1 = NULL, *s2 = NULL;
  kbx_query *q = NULL;
  kbx_enquire *enq = NULL;
  kbx_mset *m = NULL;
  OK(kbx_spy_new(SLOT_AUDIENCE, false, &s1, &err));
  OK(kbx_spy_new(SLOT_TOPICS, true, &s2, &err));
  OK(kbx_query_match_all(&q, &err));
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_set_query(enq, q, &err));
  OK(kbx_enquire_add_spy(enq, s1, &err));
  OK(kbx_enquire_add_spy(enq, s2, &err));
  /* One result shown, but every document examined for the counts. */
  OK(kbx_enquire_mset(enq, 0, 1, 1000, &m, &err));
  ck_assert_uint_eq(kbx_mset_size(m), 1);
  struct collect c = {0};
  OK(kbx_spy_each(s1, collect_count, &c, &err));
  snprintf(single, cap, "%s", c.s);
  memset(&c, 0, sizeof c);
  OK(kbx_spy_each(s2, collect_count, &c, &err));
  snprintf(multi, cap, "%s", c.s);
  ck_assert_uint_eq(kbx_spy_total(s1), kbx_spy_total(s2));
  *total = kbx_spy_total(s1);
  kbx_mset_free(m);
  kbx_enquire_free(enq);
  kbx_query_free(q);
  kbx_spy_free(s1);
  kbx_spy_free(s2);
}

/* One page of "w" over `db` by relevance: its document ids and
 * weights; with `count_all` every match is examined (and counted by a
 * spy on the audience slot, whose counts go to `counts`). */
enum page_mode {
  PAGE_BM25,
  PAGE_BOOL,     /* every match weighs 0: the page is by document id */
  PAGE_WILDCARD, /* "w*" under a time limit: a match of unknown length,
                    which keeps Xapian's heap (kbx_enquire_mset) */
};

static void relevance_page(kbx_db *db, enum page_mode mode, uint32_t first,
                           bool count_all, kbx_docid *ids, double *weights,
                           uint32_t *n, char *counts, size_t cap) {
  kbx_spy *spy = NULL;
  kbx_enquire *enq = NULL;
  kbx_mset *m = NULL;
  kbx_query *q = NULL;
  if (mode == PAGE_WILDCARD)
    OK(kbx_query_wildcard("w", 0, &q, &err));
  else
    q = term("w");
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_set_query(enq, q, &err));
  if (mode == PAGE_BOOL)
    kbx_enquire_bool_weight(enq);
  else
    kbx_enquire_bm25(enq, 1.2, 0.75);
  if (mode == PAGE_WILDCARD)
    kbx_enquire_time_limit(enq, 5);
  if (count_all) {
    OK(kbx_spy_new(SLOT_AUDIENCE, false, &spy, &err));
    OK(kbx_enquire_add_spy(enq, spy, &err));
  }
  OK(kbx_enquire_mset(enq, first, 10, count_all ? 1000 : 0, &m, &err));
  *n = kbx_mset_size(m);
  for (uint32_t i = 0; i < *n; i++) {
    OK(kbx_mset_docid(m, i, &ids[i], &err));
    OK(kbx_mset_weight(m, i, &weights[i], &err));
  }
  if (count_all) {
    ck_assert_uint_eq(kbx_mset_matches_estimated(m), 400);
    struct collect c = {0};
    OK(kbx_spy_each(spy, collect_count, &c, &err));
    snprintf(counts, cap, "%s", c.s);
  }
  kbx_mset_free(m);
  kbx_enquire_free(enq);
  kbx_query_free(q);
  kbx_spy_free(spy);
}

/* A relevance match that examines every document for exact counts
 * (kbx_enquire_mset then keeps Xapian from pushing each into its heap
 * of the best) returns the page a match that stops early returns: the
 * same documents in the same order, ties by document id; and its spy
 * has seen every match, also those that could not enter the page. */
START_TEST(relevance_page_same_when_counting_all) {
  char path[PATH_MAX];
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(path_in("pages", path, sizeof path), KBX_CREATE, &w, &err));
  for (unsigned i = 0; i < 400; i++) {
    kbx_doc *doc = NULL;
    char id[16];
    OK(kbx_doc_new(&doc, &err));
    /* five weights of "w", each over documents of eight lengths: many
     * ties, in no order of document id */
    OK(kbx_doc_add_term(doc, "w", 1 + (i * 7) % 5, &err));
    OK(kbx_doc_add_term(doc, "f", 1 + (i * 3) % 8, &err));
    OK(kbx_doc_set_value(doc, SLOT_AUDIENCE, i % 4 ? "b" : "a", 1, &err));
    snprintf(id, sizeof id, "Q%u", i);
    OK(kbx_wdb_replace(w, id, doc, &err));
    kbx_doc_free(doc);
  }
  kbx_db *db = commit_and_open(w, path);
  static const uint32_t firsts[] = {0, 7, 45, 395};
  for (int mode = PAGE_BM25; mode <= PAGE_WILDCARD; mode++) {
    for (size_t k = 0; k < sizeof firsts / sizeof *firsts; k++) {
      kbx_docid all_ids[10], top_ids[10];
      double all_w[10], top_w[10];
      uint32_t n_all = 0, n_top = 0;
      char counts[1024] = "";
      relevance_page(db, mode, firsts[k], true, all_ids, all_w, &n_all, counts,
                     sizeof counts);
      relevance_page(db, mode, firsts[k], false, top_ids, top_w, &n_top, NULL,
                     0);
      ck_assert_uint_eq(n_all, firsts[k] == 395 ? 5 : 10);
      ck_assert_uint_eq(n_all, n_top);
      for (uint32_t i = 0; i < n_all; i++) {
        ck_assert_uint_eq(all_ids[i], top_ids[i]);
        ck_assert(all_w[i] == top_w[i]);
        if (i > 0) /* best first, equal weights by document id */
          ck_assert(all_w[i - 1] > all_w[i] ||
                    (all_w[i - 1] == all_w[i] && all_ids[i - 1] < all_ids[i]));
      }
      if (mode == PAGE_BOOL) /* all weigh 0: the first by document id */
        ck_assert_uint_eq(all_ids[0], firsts[k] + 1);
      ck_assert_str_eq(counts, "b=300,a=100");
    }
  }
  kbx_db_close(db);
}
END_TEST

/* ---- facet filters folded into one match ---------------------------- */

/* 300 documents: "w" at five weights and eight lengths (ties everywhere),
 * "x" in every third, and three facets in one combined list
 * (SLOT_TOPICS), each element behind its facet's letter, each value also
 * a boolean term "XA:a0": A one of a0 - a2 (none in every seventh), B
 * any of b0 - b2, C c0 or c1. */
static kbx_db *fold_db(void) {
  char path[PATH_MAX];
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(path_in("fold", path, sizeof path), KBX_CREATE, &w, &err));
  for (unsigned i = 0; i < 300; i++) {
    kbx_doc *doc = NULL;
    char elems[5][8], term[16], id[16];
    const char *items[5];
    size_t n = 0;
    OK(kbx_doc_new(&doc, &err));
    OK(kbx_doc_add_term(doc, "w", 1 + (i * 7) % 5, &err));
    OK(kbx_doc_add_term(doc, "f", 1 + (i * 3) % 8, &err));
    if (i % 3 == 0)
      OK(kbx_doc_add_term(doc, "x", 1 + i % 4, &err));
    if (i % 7)
      snprintf(elems[n++], sizeof elems[0], "Aa%u", i % 3);
    for (unsigned b = 0; b < 3; b++)
      if ((i / (b + 2)) % 2)
        snprintf(elems[n++], sizeof elems[0], "Bb%u", b);
    snprintf(elems[n++], sizeof elems[0], "Cc%u", i % 11 < 4 ? 1 : 0);
    for (size_t k = 0; k < n; k++) {
      snprintf(term, sizeof term, "X%c:%s", elems[k][0], elems[k] + 1);
      OK(kbx_doc_add_boolean_term(doc, term, &err));
      items[k] = elems[k];
    }
    char *list = NULL;
    size_t len = 0;
    OK(kbx_serialise_list(items, n, &list, &len, &err));
    OK(kbx_doc_set_value(doc, SLOT_TOPICS, list, len, &err));
    free(list);
    snprintf(id, sizeof id, "Q%u", i);
    OK(kbx_wdb_replace(w, id, doc, &err));
    kbx_doc_free(doc);
  }
  return commit_and_open(w, path);
}

struct fold_filter {
  char tag;
  const char *terms[3];
  size_t n;
  bool all_of;
};

/* What one match gives: its page, its total, and its spy's counts as
 * sorted "value=count" lines, only of the facets (letters) in `tags`. */
struct fold_result {
  kbx_docid ids[20];
  double weights[20];
  uint32_t n;
  uint64_t total;
  char counts[2048];
};

struct tag_lines {
  const char *tags;
  char lines[64][24];
  size_t n;
};

static bool tag_line(const char *s, size_t len, uint64_t count, void *ctx) {
  struct tag_lines *t = ctx;
  if (len > 0 && strchr(t->tags, s[0]) && t->n < 64)
    snprintf(t->lines[t->n++], sizeof t->lines[0], "%.*s=%llu", (int)len, s,
             (unsigned long long)count);
  return true;
}

static int cmp_line(const void *a, const void *b) { return strcmp(a, b); }

/* Adds the spy's counts of the facets in `tags` to r->counts, keeping
 * r->counts's lines sorted. */
static void add_counts(kbx_spy *spy, const char *tags, struct fold_result *r) {
  struct tag_lines t = {.tags = tags};
  OK(kbx_spy_each(spy, tag_line, &t, &err));
  for (const char *p = r->counts; *p && t.n < 64;) {
    const char *nl = strchr(p, '\n');
    snprintf(t.lines[t.n++], sizeof t.lines[0], "%.*s", (int)(nl - p), p);
    p = nl + 1;
  }
  qsort(t.lines, t.n, sizeof t.lines[0], cmp_line);
  r->counts[0] = '\0';
  for (size_t i = 0; i < t.n; i++) {
    size_t used = strlen(r->counts);
    snprintf(r->counts + used, sizeof r->counts - used, "%s\n", t.lines[i]);
  }
}

/* `word` filtered by every filter of `fs` but fs[skip] (-1: all). */
static kbx_query *fold_query(const char *word, const struct fold_filter *fs,
                             size_t nfs, int skip) {
  kbx_query *parts[8] = {term(word)};
  size_t n = 1;
  for (size_t k = 0; k < nfs; k++) {
    if ((int)k == skip)
      continue;
    kbx_query *t[3];
    for (size_t i = 0; i < fs[k].n; i++)
      t[i] = term(fs[k].terms[i]);
    OK(kbx_query_combine(fs[k].all_of ? KBX_OP_AND : KBX_OP_OR, t, fs[k].n, 0,
                         &parts[n++], &err));
    for (size_t i = 0; i < fs[k].n; i++)
      kbx_query_free(t[i]);
  }
  kbx_query *q = NULL;
  OK(kbx_query_combine(KBX_OP_FILTER, parts, n, 0, &q, &err));
  for (size_t i = 0; i < n; i++)
    kbx_query_free(parts[i]);
  return q;
}

/* One relevance match of `q` (taken over) examining every document,
 * with a spy on the combined list; folded with `fold` when not NULL.
 * Counts of the facets in `tags` go to r. */
static void fold_match(kbx_db *db, kbx_query *q, const kbx_fold *fold,
                       const char *tags, struct fold_result *r, bool page) {
  kbx_enquire *enq = NULL;
  kbx_spy *spy = NULL;
  kbx_mset *m = NULL;
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_set_query(enq, q, &err));
  kbx_enquire_bm25(enq, 1.2, 0.75);
  kbx_enquire_time_limit(enq, 5);
  OK(kbx_spy_new(SLOT_TOPICS, true, &spy, &err));
  OK(kbx_enquire_add_spy(enq, spy, &err));
  if (fold) {
    bool folded = false;
    OK(kbx_enquire_fold(enq, fold, &folded, &err));
    ck_assert(folded);
  }
  OK(kbx_enquire_mset(enq, 0, 20, 1000, &m, &err));
  if (page) {
    r->n = kbx_mset_size(m);
    r->total = kbx_mset_matches_estimated(m);
    ck_assert_uint_eq(kbx_mset_matches_lower(m), r->total);
    ck_assert_uint_eq(kbx_mset_matches_upper(m), r->total);
    for (uint32_t i = 0; i < r->n; i++) {
      OK(kbx_mset_docid(m, i, &r->ids[i], &err));
      OK(kbx_mset_weight(m, i, &r->weights[i], &err));
    }
    kbx_docid past = 0;
    ck_assert_int_eq(kbx_mset_docid(m, r->n, &past, &err), KB_ERR_INVALID);
    free(err);
    err = NULL;
  }
  add_counts(spy, tags, r);
  kbx_mset_free(m);
  kbx_enquire_free(enq);
  kbx_query_free(q);
  kbx_spy_free(spy);
}

/* A folded match gives what the filtered query and one match more per
 * filtered facet (without that facet's filter) give: the same page in
 * the same order with the same weights, the same total, the other
 * facets' counts over the filtered matches and each filtered facet's
 * counts over the match without its own filter. */
START_TEST(fold_same_as_a_match_per_facet) {
  kbx_db *db = fold_db();
  static const struct {
    const char *word;
    struct fold_filter fs[3];
    size_t nfs;
  } cases[] = {
      {"w", {{'A', {"XA:a0"}, 1, false}}, 1},
      {"w", {{'B', {"XB:b0", "XB:b1"}, 2, false}}, 1},
      {"w", {{'B', {"XB:b0", "XB:b1", "XB:b0"}, 3, true}}, 1},
      {"w", {{'A', {"XA:a1"}, 1, false}, {'B', {"XB:b2"}, 1, false}}, 2},
      {"w",
       {{'A', {"XA:a0", "XA:a2"}, 2, false},
        {'B', {"XB:b1"}, 1, false},
        {'C', {"XC:c1"}, 1, false}},
       3},
      {"x", {{'C', {"XC:c0"}, 1, false}, {'A', {"XA:a0"}, 1, false}}, 2},
      /* a value no document has: nothing passes, the others count on */
      {"w", {{'A', {"XA:zz"}, 1, false}, {'C', {"XC:c0"}, 1, false}}, 2},
  };
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
    const struct fold_filter *fs = cases[c].fs;
    size_t nfs = cases[c].nfs;
    char filtered_tags[4] = "", other_tags[4] = "";
    for (char t = 'A'; t <= 'C'; t++) {
      bool has = false;
      for (size_t k = 0; k < nfs; k++)
        has = has || fs[k].tag == t;
      strncat(has ? filtered_tags : other_tags, &t, 1);
    }
    struct fold_result want = {0}, got = {0};
    fold_match(db, fold_query(cases[c].word, fs, nfs, -1), NULL, other_tags,
               &want, true);
    for (size_t k = 0; k < nfs; k++) {
      char tag[2] = {fs[k].tag, '\0'};
      fold_match(db, fold_query(cases[c].word, fs, nfs, (int)k), NULL, tag,
                 &want, false);
    }
    kbx_fold *fold = NULL;
    OK(kbx_fold_new(db, &fold, &err));
    ck_assert_ptr_nonnull(fold);
    for (size_t k = 0; k < nfs; k++)
      OK(kbx_fold_facet(fold, fs[k].tag, fs[k].terms, fs[k].n, fs[k].all_of,
                        &err));
    fold_match(db, term(cases[c].word), fold, "ABC", &got, true);
    kbx_fold_free(fold);
    ck_assert_uint_eq(got.total, want.total);
    ck_assert_uint_eq(got.n, want.n);
    for (uint32_t i = 0; i < got.n; i++) {
      ck_assert_uint_eq(got.ids[i], want.ids[i]);
      ck_assert(got.weights[i] == want.weights[i]);
    }
    ck_assert_str_eq(got.counts, want.counts);
    ck_assert(strlen(got.counts) > 0);
    if (c == 6)
      ck_assert_uint_eq(got.total, 0);
    else
      ck_assert_uint_gt(got.total, 0);
  }
  kbx_db_close(db);
}
END_TEST

/* Where folding would change an answer it does not happen: a match that
 * may run into its time limit (a wildcard), one sorted by value; a new
 * query drops the fold; a folded match must examine every document. */
START_TEST(fold_only_where_it_keeps_the_answer) {
  kbx_db *db = fold_db();
  kbx_fold *fold = NULL;
  const char *a0[] = {"XA:a0"};
  OK(kbx_fold_new(db, &fold, &err));
  OK(kbx_fold_facet(fold, 'A', a0, 1, false, &err));
  ck_assert_int_eq(kbx_fold_facet(fold, 'A', a0, 1, false, &err),
                   KB_ERR_INVALID); /* one filter per facet */
  free(err);
  err = NULL;
  kbx_enquire *enq = NULL;
  kbx_spy *spy = NULL;
  kbx_mset *m = NULL;
  kbx_query *wild = NULL, *w = term("w");
  bool folded = true;
  OK(kbx_query_wildcard("w", 0, &wild, &err));
  OK(kbx_spy_new(SLOT_TOPICS, true, &spy, &err));
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_add_spy(enq, spy, &err));
  OK(kbx_enquire_set_query(enq, wild, &err));
  kbx_enquire_time_limit(enq, 5);
  OK(kbx_enquire_fold(enq, fold, &folded, &err));
  ck_assert(!folded);
  OK(kbx_enquire_set_query(enq, w, &err));
  kbx_enquire_sort_value(enq, SLOT_ID, false);
  OK(kbx_enquire_fold(enq, fold, &folded, &err));
  ck_assert(!folded);
  kbx_enquire_sort_relevance(enq);
  OK(kbx_enquire_fold(enq, fold, &folded, &err));
  ck_assert(folded);
  ck_assert_int_eq(kbx_enquire_mset(enq, 0, 10, 100, &m, &err),
                   KB_ERR_INVALID); /* not every document examined */
  free(err);
  err = NULL;
  OK(kbx_enquire_mset(enq, 0, 10, 300, &m, &err));
  uint64_t passed = kbx_mset_matches_estimated(m);
  ck_assert_uint_gt(passed, 0);
  ck_assert_uint_lt(passed, 300);
  kbx_mset_free(m);
  /* the same query set again: no fold, every match */
  OK(kbx_enquire_set_query(enq, w, &err));
  OK(kbx_enquire_mset(enq, 0, 10, 300, &m, &err));
  ck_assert_uint_eq(kbx_mset_matches_estimated(m), 300);
  kbx_mset_free(m);
  kbx_enquire_free(enq);
  kbx_spy_free(spy);
  kbx_query_free(wild);
  kbx_query_free(w);
  kbx_fold_free(fold);
  kbx_db_close(db);
}
END_TEST

/* A facet table numbers up to 65,536 distinct values in two bytes, more
 * in four: either way every value is counted right.  One document's list
 * holds them all, a second one the first of them. */
static void count_many_values(int nvalues) {
  char path[PATH_MAX], name[32];
  snprintf(name, sizeof name, "values-%d", nvalues);
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(path_in(name, path, sizeof path), KBX_CREATE, &w, &err));
  static char names[70000][8];
  static const char *items[70000];
  ck_assert_int_le(nvalues, 70000);
  for (int i = 0; i < nvalues; i++) {
    snprintf(names[i], sizeof names[i], "v%05d", i);
    items[i] = names[i];
  }
  for (int d = 0; d < 2; d++) {
    char *list = NULL;
    size_t len = 0;
    kbx_doc *doc = NULL;
    OK(kbx_serialise_list(items, d == 0 ? (size_t)nvalues : 1, &list, &len,
                          &err));
    OK(kbx_doc_new(&doc, &err));
    OK(kbx_doc_set_value(doc, SLOT_TOPICS, list, len, &err));
    OK(kbx_doc_add_term(doc, "w", 1, &err));
    OK(kbx_wdb_replace(w, d == 0 ? "Qa" : "Qb", doc, &err));
    kbx_doc_free(doc);
    free(list);
  }
  kbx_db *db = commit_and_open(w, path);
  kbx_spy *spy = NULL;
  kbx_enquire *enq = NULL;
  kbx_mset *m = NULL;
  kbx_query *q = term("w");
  OK(kbx_spy_new(SLOT_TOPICS, true, &spy, &err));
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_set_query(enq, q, &err));
  OK(kbx_enquire_add_spy(enq, spy, &err));
  OK(kbx_enquire_mset(enq, 0, 1, 10, &m, &err));
  struct collect c = {0};
  OK(kbx_spy_each(spy, collect_count, &c, &err));
  ck_assert_uint_eq(c.calls, (size_t)nvalues); /* each value once */
  ck_assert_int_eq(strncmp(c.s, "v00000=2,v00001=1,v00002=1,", 27), 0);
  ck_assert_uint_eq(kbx_spy_total(spy), 2);
  kbx_mset_free(m);
  kbx_enquire_free(enq);
  kbx_query_free(q);
  kbx_spy_free(spy);
  kbx_db_close(db);
}

START_TEST(facet_spy_counts_past_two_byte_ids) {
  count_many_values(65536); /* the most in two bytes */
  count_many_values(65537); /* one more: four */
}
END_TEST

/* A spy lists what it has counted so far: asked twice, the same list;
 * after it has counted a second match, the sums of both. */
START_TEST(facet_spy_lists_its_latest_counts) {
  kbx_db *db = corpus_db("spy-again");
  kbx_spy *spy = NULL;
  kbx_query *q = NULL;
  OK(kbx_spy_new(SLOT_AUDIENCE, false, &spy, &err));
  OK(kbx_query_match_all(&q, &err));
  char lists[3][1024];
  for (int round = 0; round < 2; round++) {
    kbx_enquire *enq = NULL;
    kbx_mset *m = NULL;
    OK(kbx_enquire_new(db, &enq, &err));
    OK(kbx_enquire_set_query(enq, q, &err));
    OK(kbx_enquire_add_spy(enq, spy, &err));
    OK(kbx_enquire_mset(enq, 0, 1, 1000, &m, &err));
    for (int ask = 0; ask < (round ? 1 : 2); ask++) {
      struct collect c = {0};
      OK(kbx_spy_each(spy, collect_count, &c, &err));
      snprintf(lists[round ? 2 : ask], sizeof lists[0], "%s", c.s);
    }
    kbx_mset_free(m);
    kbx_enquire_free(enq);
  }
  ck_assert_str_eq(lists[0], lists[1]);
  ck_assert_uint_eq(kbx_spy_total(spy), 2 * NCORPUS);
  /* every count doubled: "a=2,b=1" -> "a=4,b=2" */
  char doubled[1024] = "";
  for (const char *p = lists[0]; *p;) {
    const char *eq = strchr(p, '=');
    ck_assert_ptr_nonnull(eq);
    char *end = NULL;
    unsigned long n = strtoul(eq + 1, &end, 10);
    size_t used = strlen(doubled);
    snprintf(doubled + used, sizeof doubled - used, "%.*s=%lu%s", (int)(eq - p),
             p, 2 * n, *end ? "," : "");
    p = *end ? end + 1 : end;
  }
  ck_assert_str_eq(lists[2], doubled);
  kbx_query_free(q);
  kbx_spy_free(spy);
  kbx_db_close(db);
}
END_TEST

START_TEST(facet_spy_counts) {
  char path[PATH_MAX];
  path_in("facets", path, sizeof path);
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(path, KBX_CREATE, &w, &err));
  for (size_t i = 0; i < NCORPUS; i++)
    add_article(w, &corpus[i]);
  /* A fifth document whose list has a 300-byte element and then a
   * malformed tail (length 9, 2 bytes left): the element counts, the
   * tail is ignored. */
  char big[301];
  memset(big, 'z', 300);
  big[300] = '\0';
  const char *items[] = {big, "bem"};
  char *list = NULL;
  size_t len = 0;
  OK(kbx_serialise_list(items, 2, &list, &len, &err));
  char payload[400];
  ck_assert_uint_lt(len + 3, sizeof payload);
  memcpy(payload, list, len);
  memcpy(payload + len, "\x09zz", 3);
  free(list);
  kbx_doc *doc = NULL;
  OK(kbx_doc_new(&doc, &err));
  OK(kbx_doc_add_boolean_term(doc, "Qa5", &err));
  OK(kbx_doc_set_value(doc, SLOT_TOPICS, payload, len + 3, &err));
  OK(kbx_doc_set_value(doc, SLOT_AUDIENCE, "arbeitnehmer", 12, &err));
  OK(kbx_wdb_replace(w, "Qa5", doc, &err));
  kbx_doc_free(doc);
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);

  kbx_db *db = NULL;
  OK(kbx_db_open(path, &db, &err));
  char single[1024], multi[1024];
  uint64_t total = 0;
  facet_counts(db, single, multi, sizeof single, &total);
  ck_assert_uint_eq(total, 5);
  /* Most frequent first, ties bytewise. */
  ck_assert_str_eq(single, "arbeitnehmer=3,arbeitgeber=1,betriebsrat=1");
  /* a3 lists "bem" twice but counts once; a4 has no list. */
  ck_assert_str_eq(multi, "bem=3,kuendigung=2,zzzzzzzzzzzzzzzzzzzz=1");
  /* Counted again, now from the tables the first count made. */
  facet_counts(db, single, multi, sizeof single, &total);
  ck_assert_str_eq(single, "arbeitnehmer=3,arbeitgeber=1,betriebsrat=1");
  ck_assert_str_eq(multi, "bem=3,kuendigung=2,zzzzzzzzzzzzzzzzzzzz=1");
  /* A new revision: a5 for the works council, a sixth document.  The
   * reopened handle counts what it now shows, not its old tables. */
  OK(kbx_wdb_open(path, KBX_CREATE_OR_OPEN, &w, &err));
  OK(kbx_doc_new(&doc, &err));
  OK(kbx_doc_add_boolean_term(doc, "Qa5", &err));
  OK(kbx_doc_set_value(doc, SLOT_AUDIENCE, "betriebsrat", 11, &err));
  OK(kbx_wdb_replace(w, "Qa5", doc, &err));
  kbx_doc_free(doc);
  OK(kbx_doc_new(&doc, &err));
  OK(kbx_doc_add_boolean_term(doc, "Qa6", &err));
  OK(kbx_doc_set_value(doc, SLOT_AUDIENCE, "betriebsrat", 11, &err));
  OK(kbx_wdb_replace(w, "Qa6", doc, &err));
  kbx_doc_free(doc);
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);
  bool changed = false;
  OK(kbx_db_reopen(db, &changed, &err));
  ck_assert(changed);
  facet_counts(db, single, multi, sizeof single, &total);
  ck_assert_uint_eq(total, 6);
  ck_assert_str_eq(single, "betriebsrat=3,arbeitnehmer=2,arbeitgeber=1");
  ck_assert_str_eq(multi, "bem=2,kuendigung=2");

  /* A reopen between adding a spy and the match: the match reads the
   * new revision, and so does the spy.  The enquire is also used after
   * its handle is closed (kbx_db_close allows that). */
  kbx_spy *spy = NULL;
  kbx_query *all = NULL;
  kbx_enquire *enq = NULL;
  kbx_mset *m = NULL;
  OK(kbx_spy_new(SLOT_AUDIENCE, false, &spy, &err));
  OK(kbx_query_match_all(&all, &err));
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_set_query(enq, all, &err));
  OK(kbx_enquire_add_spy(enq, spy, &err));
  OK(kbx_wdb_open(path, KBX_CREATE_OR_OPEN, &w, &err));
  OK(kbx_doc_new(&doc, &err));
  OK(kbx_doc_add_boolean_term(doc, "Qa6", &err));
  OK(kbx_doc_set_value(doc, SLOT_AUDIENCE, "sbv", 3, &err));
  OK(kbx_wdb_replace(w, "Qa6", doc, &err));
  kbx_doc_free(doc);
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);
  OK(kbx_db_reopen(db, &changed, &err));
  ck_assert(changed);
  kbx_db_close(db);
  OK(kbx_enquire_mset(enq, 0, 1, 1000, &m, &err));
  struct collect c = {0};
  OK(kbx_spy_each(spy, collect_count, &c, &err));
  ck_assert_str_eq(c.s, "arbeitnehmer=2,betriebsrat=2,arbeitgeber=1,sbv=1");
  ck_assert_uint_eq(kbx_spy_total(spy), 6);
  kbx_mset_free(m);
  kbx_enquire_free(enq);
  kbx_query_free(all);
  kbx_spy_free(spy);
}
END_TEST

/* ---- spelling, synonyms, wildcards ----------------------------------- */

START_TEST(spelling_and_synonyms) {
  char path[PATH_MAX];
  path_in("spell", path, sizeof path);
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(path, KBX_CREATE, &w, &err));
  add_article(w, &corpus[0]);
  OK(kbx_wdb_add_spelling(w, "kündigung", 5, &err));
  OK(kbx_wdb_add_spelling(w, "kündigen", 1, &err));
  OK(kbx_wdb_add_synonym(w, "kündigung", "entlassung", &err));
  OK(kbx_wdb_add_synonym(w, "kündigung", "abmahnung", &err));
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);

  kbx_db *db = NULL;
  OK(kbx_db_open(path, &db, &err));
  char *s = NULL;
  OK(kbx_db_spelling(db, "kündigunk", 2, &s, &err));
  ck_assert_ptr_nonnull(s);
  ck_assert_str_eq(s, "kündigung");
  free(s);
  s = (char *)"untouched";
  OK(kbx_db_spelling(db, "zzzzqqqq", 2, &s, &err));
  ck_assert_ptr_null(s);
  /* Asked again (remembered): the same answers. */
  OK(kbx_db_spelling(db, "kündigunk", 2, &s, &err));
  ck_assert_str_eq(s, "kündigung");
  free(s);
  s = (char *)"untouched";
  OK(kbx_db_spelling(db, "zzzzqqqq", 2, &s, &err));
  ck_assert_ptr_null(s);
  /* The words a prefix begins, with their counts, in byte order: "kündig"
   * is no word of its own; "zzzz" begins none. */
  struct collect words = {0};
  OK(kbx_db_spelling_words(db, "kündig", 0, collect_count, &words, &err));
  ck_assert_str_eq(words.s, "kündigen=1,kündigung=5");
  memset(&words, 0, sizeof words);
  OK(kbx_db_spelling_words(db, "kündigung", 0, collect_count, &words, &err));
  ck_assert_str_eq(words.s, "kündigung=5");
  memset(&words, 0, sizeof words);
  OK(kbx_db_spelling_words(db, "kündig", 1, collect_count, &words, &err));
  ck_assert_str_eq(words.s, "kündigen=1"); /* at most one */
  memset(&words, 0, sizeof words);
  OK(kbx_db_spelling_words(db, "zzzz", 0, collect_count, &words, &err));
  ck_assert_str_eq(words.s, "");
  ck_assert_int_eq(
      kbx_db_spelling_words(db, NULL, 0, collect_count, &words, &err),
      KB_ERR_INVALID);
  free(err);
  err = NULL;
  struct collect c = {0};
  OK(kbx_db_synonyms(db, "kündigung", collect_str, &c, &err));
  ck_assert_str_eq(c.s, "abmahnung,entlassung");
  /* A new revision with a word one edit away and another synonym: the
   * handle on it answers from the new spelling and synonym tables, not
   * from what it remembered. */
  OK(kbx_wdb_open(path, KBX_CREATE_OR_OPEN, &w, &err));
  OK(kbx_wdb_add_spelling(w, "zzzzqqqa", 1, &err));
  OK(kbx_wdb_add_synonym(w, "kündigung", "freistellung", &err));
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);
  bool changed = false;
  OK(kbx_db_reopen(db, &changed, &err));
  ck_assert(changed);
  OK(kbx_db_spelling(db, "zzzzqqqq", 2, &s, &err));
  ck_assert_ptr_nonnull(s);
  ck_assert_str_eq(s, "zzzzqqqa");
  free(s);

  memset(&c, 0, sizeof c);
  OK(kbx_db_synonyms(db, "kündigung", collect_str, &c, &err));
  ck_assert_str_eq(c.s, "abmahnung,entlassung,freistellung");
  memset(&c, 0, sizeof c);
  OK(kbx_db_synonyms(db, "unbekannt", collect_str, &c, &err));
  ck_assert_uint_eq(c.calls, 0);
  kbx_db_close(db);
}
END_TEST

START_TEST(wildcard_keeps_most_frequent) {
  char path[PATH_MAX];
  path_in("wild", path, sizeof path);
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(path, KBX_CREATE, &w, &err));
  /* wabc in 3 documents, wabd in 2, wabe in 1. */
  const char *terms[] = {"wabc", "wabc", "wabc", "wabd", "wabd", "wabe"};
  for (int i = 0; i < 6; i++) {
    kbx_doc *doc = NULL;
    char id[16];
    snprintf(id, sizeof id, "Qw%d", i);
    OK(kbx_doc_new(&doc, &err));
    OK(kbx_doc_add_term(doc, terms[i], 1, &err));
    OK(kbx_doc_add_boolean_term(doc, id, &err));
    OK(kbx_wdb_replace(w, id, doc, &err));
    kbx_doc_free(doc);
  }
  kbx_db *db = commit_and_open(w, path);
  const unsigned limits[] = {1, 2, 0, 10};
  const uint32_t expect[] = {3, 5, 6, 6};
  for (int k = 0; k < 4; k++) {
    kbx_query *q = NULL;
    kbx_enquire *enq = NULL;
    kbx_mset *m = NULL;
    OK(kbx_query_wildcard("wab", limits[k], &q, &err));
    OK(kbx_enquire_new(db, &enq, &err));
    OK(kbx_enquire_set_query(enq, q, &err));
    OK(kbx_enquire_mset(enq, 0, 100, 100, &m, &err));
    ck_assert_msg(kbx_mset_size(m) == expect[k],
                  "limit %u: %u matches, expected %u", limits[k],
                  kbx_mset_size(m), expect[k]);
    kbx_mset_free(m);
    kbx_enquire_free(enq);
    kbx_query_free(q);
  }
  kbx_db_close(db);
}
END_TEST

/* ---- snippets, feedback, weighting ----------------------------------- */

START_TEST(snippet_escapes_and_highlights) {
  kbx_db *db = corpus_db("snippet");
  kbx_query *q = term("kündigung");
  kbx_enquire *enq = NULL;
  kbx_mset *m = NULL;
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_set_query(enq, q, &err));
  OK(kbx_enquire_mset(enq, 0, 10, 10, &m, &err));
  int pct = -1;
  OK(kbx_mset_percent(m, 0, &pct, &err));
  ck_assert_int_gt(pct, 0);
  ck_assert_int_le(pct, 100);

  const char text[] = "Wenn a < b gilt & die Kündigung kommt, hilft <script>.";
  char *snip = NULL;
  OK(kbx_mset_snippet(m, text, strlen(text), 200, NULL, "<mark>", "</mark>",
                      "…", &snip, &err));
  ck_assert_msg(strstr(snip, "a &lt; b") != NULL, "%s", snip);
  ck_assert_msg(strstr(snip, "&amp;") != NULL, "%s", snip);
  ck_assert_msg(strstr(snip, "<script>") == NULL, "%s", snip);
  ck_assert_msg(strstr(snip, "&lt;script&gt;") != NULL, "%s", snip);
  ck_assert_msg(strstr(snip, "<mark>Kündigung</mark>") != NULL, "%s", snip);
  free(snip);

  /* With a stemmer, inflected forms in the text match a stemmed query
   * term (Xapian's "Z" prefix convention). */
  kbx_stem *st = NULL;
  OK(kbx_stem_new("german2", &st, &err));
  kbx_mset_free(m);
  kbx_query_free(q);
  char stemmed[64] = "Z";
  size_t len = 0;
  OK(kbx_stem_apply(st, "häuser", strlen("häuser"), stemmed + 1,
                    sizeof stemmed - 1, &len, &err));
  q = term(stemmed);
  OK(kbx_enquire_set_query(enq, q, &err));
  OK(kbx_enquire_mset(enq, 0, 10, 10, &m, &err));
  const char text2[] = "Das Haus und die Häuser.";
  OK(kbx_mset_snippet(m, text2, strlen(text2), 200, st, NULL, NULL, NULL, &snip,
                      &err));
  ck_assert_msg(strstr(snip, "<b>Häuser</b>") != NULL, "%s", snip);
  free(snip);
  kbx_stem_free(st);
  kbx_mset_free(m);
  kbx_query_free(q);
  kbx_enquire_free(enq);
  kbx_db_close(db);
}
END_TEST

/* Our snippet generator (src/xapian/snippet.cc) gives Xapian's bytes:
 * the same words marked, the same window, the same punctuation and
 * ellipses.  Many texts made of awkward pieces - umlauts, ß, initials,
 * infixes, digits with separators, brackets and quotes, HTML
 * characters, over-long words, a stray byte - against queries of plain,
 * stemmed and phrase terms, at three lengths. */
START_TEST(snippet_same_as_xapian) {
  kbx_db *db = corpus_db("snippet-same");
  kbx_stem *st = NULL;
  OK(kbx_stem_new("german2", &st, &err));
  static const char *const pieces[] = {
      "Kündigung", "kündigung", "Kündigungen", "schutz", "Schutz.", "der",
      "bei", "BEM", "(BEM)", "„BEM“", "U.S.A.", "AT&T", "C++", "C+++",
      "1.000,50", "§ 167", "Abs. 2", "–", "…", "a < b", "&", "Häuser", "Straße",
      "STRASSE", "don't", "e-mail", "x_y", "\n\n", ". Neu:", "? Ja!", "€ 5",
      "5 %", "-Träger", "Ärger", "Aerger", "Uebung", "übungen", "Maß", "ß",
      "ss", "dying", "ÖFFENTLICH", "schutz-bei", "Eingliederungsmanagement",
      "bem.", "!!",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      /* 64 bytes, the longest word a snippet weighs: its stem term is 65 */
      "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "w3",
      "w68", "(„BEM“)", "Ende.",
      /* words our generator reads without building them, and their
       * neighbours that it must not (snippet.cc, plain_miss) */
      "1,5", "3;4", "7.", "x.", "Fa'x", "don’t", "Ähnlich", "Über-", "naïve",
      "Œuvre", "x²", "é", "Café.", "wort“", "a×b", "a÷b", "ÄÖÜ", "_x", "Ω",
      "A.b", "1·2", "a\u200bb", "São", "Kündigungsschutz,", "kü", "Schutz—",
      "Maßnahme", "schon", "Schule", "schutzes", "Bauer", "bauen", "Bau",
      "Quelle", "quer", "Queue", "aex", "Baeume", "sch", "sc", "ab", "Abs"};
  const size_t npieces = sizeof pieces / sizeof *pieces;
  char z_kuend[64] = "Z", z_schutz[64] = "Z";
  size_t zl = 0;
  OK(kbx_stem_apply(st, "kündigung", strlen("kündigung"), z_kuend + 1,
                    sizeof z_kuend - 1, &zl, &err));
  OK(kbx_stem_apply(st, "schutz", strlen("schutz"), z_schutz + 1,
                    sizeof z_schutz - 1, &zl, &err));
  /* Stems of words that begin with an umlaut ("ärger" -> "arg"): our
   * generator stems only words whose first letter can begin a query
   * stem, ä counting as a. */
  char z_aerger[64] = "Z", z_oeff[64] = "Z", z_uebung[64] = "Z",
       z_mass[64] = "Z", z_sz[64] = "Z";
  OK(kbx_stem_apply(st, "ß", strlen("ß"), z_sz + 1, sizeof z_sz - 1, &zl,
                    &err));
  OK(kbx_stem_apply(st, "übung", strlen("übung"), z_uebung + 1,
                    sizeof z_uebung - 1, &zl, &err));
  OK(kbx_stem_apply(st, "maß", strlen("maß"), z_mass + 1, sizeof z_mass - 1,
                    &zl, &err));
  OK(kbx_stem_apply(st, "ärger", strlen("ärger"), z_aerger + 1,
                    sizeof z_aerger - 1, &zl, &err));
  OK(kbx_stem_apply(st, "öffentlich", strlen("öffentlich"), z_oeff + 1,
                    sizeof z_oeff - 1, &zl, &err));
  char z_b64[80] = "Z";
  const char *b64 = NULL;
  for (size_t i = 0; i < npieces && !b64; i++)
    b64 = strlen(pieces[i]) == 64 ? pieces[i] : NULL;
  ck_assert_ptr_nonnull(b64);
  OK(kbx_stem_apply(st, b64, 64, z_b64 + 1, sizeof z_b64 - 1, &zl, &err));
  ck_assert_uint_eq(strlen(z_b64), 65);
  /* More loose terms than the snippet's masks take (64). */
  kbx_query *many = term(z_kuend);
  for (int i = 0; i < 70; i++) {
    char w[8];
    snprintf(w, sizeof w, "w%d", i);
    many = combine2(KBX_OP_OR, many, term(w), 0);
  }
  kbx_query *queries[] = {
      term("kündigung"),
      combine2(KBX_OP_OR, term(z_b64), term("bem"), 0),
      many,
      combine2(KBX_OP_OR, term(z_kuend), term("bem"), 0),
      combine2(KBX_OP_OR, term(z_schutz), term("der"), 0),
      combine2(KBX_OP_PHRASE, term("schutz"), term("bei"), 0),
      combine2(KBX_OP_OR,
               combine2(KBX_OP_PHRASE, term("der"), term("schutz"), 0),
               term(z_kuend), 0),
      combine2(KBX_OP_AND_MAYBE, term("usa"), term("at&t"), 0),
      combine2(KBX_OP_OR, term("1.000,50"), term("c++"), 0),
      combine2(KBX_OP_OR, term(z_aerger), term(z_oeff), 0),
      combine2(KBX_OP_OR, term(z_uebung), term(z_mass), 0),
      combine2(KBX_OP_OR, term(z_sz), term("bem"), 0),
      /* stems of two and three letters, and with "ue" */
      combine2(KBX_OP_OR, combine2(KBX_OP_OR, term("Zbau"), term("Zab"), 0),
               combine2(KBX_OP_OR, term("Zquer"), term("Zsch"), 0), 0),
  };
  /* 2,000: a pipe of hundreds of words (its ring grows with its head
   * wrapped) */
  const size_t lengths[] = {240, 40, 8, 2000};
  unsigned seed = 12345;
  int compared = 0, marked = 0;
  for (size_t qi = 0; qi < sizeof queries / sizeof *queries; qi++) {
    kbx_enquire *enq = NULL;
    kbx_mset *m = NULL;
    OK(kbx_enquire_new(db, &enq, &err));
    OK(kbx_enquire_set_query(enq, queries[qi], &err));
    OK(kbx_enquire_mset(enq, 0, 10, 10, &m, &err));
    for (int t = 0; t < 150; t++) {
      char text[4096];
      size_t n = 0;
      int words = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) %
                          (t % 2 ? 60 : 600);
      for (int w = 0; w < words; w++) {
        seed = seed * 1103515245u + 12345u;
        const char *p = pieces[(seed >> 16) % npieces];
        size_t pl = strlen(p);
        if (n + pl + 2 >= sizeof text)
          break;
        memcpy(text + n, p, pl);
        n += pl;
        text[n++] = (seed >> 8) % 7 == 0 ? ',' : ' ';
      }
      text[n] = '\0';
      for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
        char *mine = NULL, *theirs = NULL;
        OK(kbx_mset_snippet(m, text, n, lengths[li], st, "<mark>", "</mark>",
                            "…", &mine, &err));
        OK(kbx_mset_snippet_xapian(m, text, n, lengths[li], st, "<mark>",
                                   "</mark>", "…", &theirs, &err));
        ck_assert_msg(strcmp(mine, theirs) == 0,
                      "query %zu, length %zu, text '%.600s':\n ours  "
                      "'%.600s'\n xapian '%.600s'",
                      qi, lengths[li], text, mine, theirs);
        marked += strstr(mine, "<mark>") != NULL;
        compared++;
        free(mine);
        free(theirs);
      }
    }
    kbx_mset_free(m);
    kbx_enquire_free(enq);
    kbx_query_free(queries[qi]);
  }
  /* The texts did exercise highlighting. */
  ck_assert_int_eq(compared, (int)(sizeof queries / sizeof *queries) * 150 *
                                 (int)(sizeof lengths / sizeof *lengths));
  ck_assert_int_gt(marked, compared / 3);
  /* A byte that is no UTF-8 is left to Xapian: still the same. */
  kbx_query *q = term("kündigung");
  kbx_enquire *enq = NULL;
  kbx_mset *m = NULL;
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_set_query(enq, q, &err));
  OK(kbx_enquire_mset(enq, 0, 10, 10, &m, &err));
  const char bad[] = "vor der \xFF Kündigung steht";
  char *mine = NULL, *theirs = NULL;
  OK(kbx_mset_snippet(m, bad, strlen(bad), 10, st, "[", "]", "~", &mine, &err));
  OK(kbx_mset_snippet_xapian(m, bad, strlen(bad), 10, st, "[", "]", "~",
                             &theirs, &err));
  ck_assert_str_eq(mine, theirs);
  ck_assert_ptr_nonnull(strstr(mine, "[Kündigung]"));
  free(mine);
  free(theirs);
  kbx_mset_free(m);
  kbx_enquire_free(enq);
  kbx_query_free(q);
  /* Another language's stemmer may change a word's first letters
   * ("dying" -> "die"): every word is stemmed, as Xapian does. */
  kbx_stem *en = NULL;
  OK(kbx_stem_new("english", &en, &err));
  q = term("Zdie");
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_set_query(enq, q, &err));
  OK(kbx_enquire_mset(enq, 0, 10, 10, &m, &err));
  const char dying[] = "a dying language";
  OK(kbx_mset_snippet(m, dying, strlen(dying), 100, en, "[", "]", "~", &mine,
                      &err));
  OK(kbx_mset_snippet_xapian(m, dying, strlen(dying), 100, en, "[", "]", "~",
                             &theirs, &err));
  ck_assert_str_eq(mine, theirs);
  free(mine);
  free(theirs);
  kbx_mset_free(m);
  kbx_enquire_free(enq);
  kbx_query_free(q);
  kbx_stem_free(en);
  kbx_stem_free(st);
  kbx_db_close(db);
}
END_TEST

START_TEST(expand_suggests_terms) {
  kbx_db *db = corpus_db("expand");
  kbx_query *q = term("schutz");
  kbx_enquire *enq = NULL;
  kbx_docid a1 = 0, a3 = 0;
  OK(kbx_db_find(db, "Qa1", &a1, &err));
  OK(kbx_db_find(db, "Qa3", &a3, &err));
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_set_query(enq, q, &err));
  kbx_docid rel[2] = {a1, a3};
  struct collect c = {0};
  OK(kbx_enquire_expand(enq, rel, 2, 50, NULL, collect_str, &c, &err));
  ck_assert_uint_gt(c.calls, 0);
  ck_assert_msg(strstr(c.s, "bem") != NULL, "%s", c.s);
  /* The query's own term is not suggested. */
  ck_assert_msg(strstr(c.s, "schutz") == NULL, "%s", c.s);
  memset(&c, 0, sizeof c);
  OK(kbx_enquire_expand(enq, rel, 2, 50, "XA", collect_str, &c, &err));
  ck_assert_str_eq(c.s, "XAarbeitnehmer");
  memset(&c, 0, sizeof c);
  OK(kbx_enquire_expand(enq, rel, 2, 1, NULL, collect_str, &c, &err));
  ck_assert_uint_eq(c.calls, 1);
  kbx_enquire_free(enq);
  kbx_query_free(q);
  kbx_db_close(db);
}
END_TEST

START_TEST(bool_weight_ranks_nothing) {
  kbx_db *db = corpus_db("boolw");
  kbx_query *q = term("schutz");
  kbx_enquire *enq = NULL;
  kbx_mset *m = NULL;
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_set_query(enq, q, &err));
  kbx_enquire_bool_weight(enq);
  OK(kbx_enquire_mset(enq, 0, 10, 10, &m, &err));
  ck_assert_uint_eq(kbx_mset_size(m), 3);
  for (uint32_t i = 0; i < kbx_mset_size(m); i++) {
    double wt = -1;
    OK(kbx_mset_weight(m, i, &wt, &err));
    ck_assert_double_eq(wt, 0);
  }
  kbx_mset_free(m);
  /* And back to BM25: a4 says "schutz" three times and wins. */
  kbx_enquire_sort_relevance(enq);
  /* (weighting stays boolean until replaced; a new enquire gets BM25) */
  kbx_enquire_free(enq);
  OK(kbx_enquire_new(db, &enq, &err));
  OK(kbx_enquire_set_query(enq, q, &err));
  OK(kbx_enquire_mset(enq, 0, 10, 10, &m, &err));
  char *data = NULL;
  OK(kbx_mset_value(m, 0, SLOT_ID, &data, NULL, &err));
  ck_assert_str_eq(data, "a4");
  free(data);
  kbx_mset_free(m);
  kbx_enquire_free(enq);
  kbx_query_free(q);
  kbx_db_close(db);
}
END_TEST

/* A time limit on matching keeps the best hits exact; only how many
 * beyond them were checked may change. */
START_TEST(time_limit_keeps_the_page) {
  kbx_db *db = corpus_db("tlimit");
  double limits[] = {0, 1e-9, 5};
  for (size_t k = 0; k < sizeof limits / sizeof *limits; k++) {
    kbx_query *q = term("schutz");
    kbx_enquire *enq = NULL;
    kbx_mset *m = NULL;
    OK(kbx_enquire_new(db, &enq, &err));
    OK(kbx_enquire_set_query(enq, q, &err));
    kbx_enquire_time_limit(enq, limits[k]);
    OK(kbx_enquire_mset(enq, 0, 1, 10, &m, &err));
    ck_assert_uint_eq(kbx_mset_size(m), 1);
    ck_assert_uint_ge(kbx_mset_matches_upper(m), 3);
    char *data = NULL;
    OK(kbx_mset_value(m, 0, SLOT_ID, &data, NULL, &err));
    ck_assert_str_eq(data, "a4");
    free(data);
    kbx_mset_free(m);
    kbx_enquire_free(enq);
    kbx_query_free(q);
  }
  kbx_enquire_time_limit(NULL, 1); /* NULL is ignored */
  kbx_db_close(db);
}
END_TEST

/* ---- stemming -------------------------------------------------------- */

START_TEST(stem_german2) {
  kbx_stem *st = NULL;
  OK(kbx_stem_new("german2", &st, &err));
  char a[32], b[32];
  size_t la = 0, lb = 0;
  OK(kbx_stem_apply(st, "häuser", strlen("häuser"), a, sizeof a, &la, &err));
  OK(kbx_stem_apply(st, "haeuser", 7, b, sizeof b, &lb, &err));
  ck_assert_str_eq(a, b);
  ck_assert_str_eq(a, "haus");
  ck_assert_uint_eq(la, 4);
  ck_assert_uint_eq(lb, 4);
  /* Exactly fits: 4 bytes and the NUL. */
  OK(kbx_stem_apply(st, "häuser", strlen("häuser"), a, 5, &la, &err));
  ck_assert_str_eq(a, "haus");

  /* Too small: KB_ERR_LIMIT, buffer and length untouched. */
  char small[4] = {'#', '#', '#', '#'};
  size_t untouched = 77;
  ck_assert_int_eq(kbx_stem_apply(st, "häuser", strlen("häuser"), small,
                                  sizeof small, &untouched, &err),
                   KB_ERR_LIMIT);
  ck_assert_mem_eq(small, "####", 4);
  ck_assert_uint_eq(untouched, 77);
  ck_assert_ptr_nonnull(err);
  clear_err();
  ck_assert_int_eq(kbx_stem_apply(st, "x", 1, NULL, 0, NULL, &err),
                   KB_ERR_LIMIT);
  clear_err();
  /* The length is honoured: only "häuser" of "häuserblock" is read. */
  OK(kbx_stem_apply(st, "häuserblock", strlen("häuser"), a, sizeof a, &la,
                    &err));
  ck_assert_str_eq(a, "haus");
  kbx_stem_free(st);

  OK(kbx_stem_new("none", &st, &err));
  OK(kbx_stem_apply(st, "häuser", strlen("häuser"), a, sizeof a, &la, &err));
  ck_assert_str_eq(a, "häuser");
  kbx_stem_free(st);
}
END_TEST

/* The stemmer remembers its answers (a bounded cache): they stay the
 * stemmer's, for words seen before, after the cache started afresh, and
 * for words too long to be kept. */
START_TEST(stem_cache_keeps_the_answers) {
  enum { N = 20000 }; /* more words than the cache holds */
  kbx_stem *st = NULL;
  OK(kbx_stem_new("german2", &st, &err));
  static const char *const forms[] = {"häuser", "arbeitsplätze", "kündigungen",
                                      "schwerbehinderte"};
  static const char *const stems[] = {"haus", "arbeitsplatz", "kundig",
                                      "schwerbehindert"};
  char(*first)[48] = calloc(N, sizeof *first);
  ck_assert_ptr_nonnull(first);
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < N; i++) {
      char w[48], got[48];
      int n = snprintf(w, sizeof w, "%s%zu", forms[i % 4], i / 4);
      OK(kbx_stem_apply(st, w, (size_t)n, got, sizeof got, NULL, &err));
      if (pass == 0)
        memcpy(first[i], got, sizeof got);
      else
        ck_assert_str_eq(got, first[i]);
    }
    for (size_t k = 0; k < 4; k++) {
      char got[48];
      OK(kbx_stem_apply(st, forms[k], strlen(forms[k]), got, sizeof got, NULL,
                        &err));
      ck_assert_str_eq(got, stems[k]);
    }
  }
  free(first);
  /* A word longer than the cache keeps: stemmed each time alike. */
  char lng[200], a[200], b[200];
  memset(lng, 'a', 180);
  memcpy(lng + 180, "häuser", sizeof "häuser");
  OK(kbx_stem_apply(st, lng, strlen(lng), a, sizeof a, NULL, &err));
  OK(kbx_stem_apply(st, lng, strlen(lng), b, sizeof b, NULL, &err));
  ck_assert_str_eq(a, b);
  ck_assert_uint_lt(strlen(a), strlen(lng));
  kbx_stem_free(st);
}
END_TEST

START_TEST(stem_unknown_language_is_invalid) {
  kbx_stem *st = (kbx_stem *)&st;
  kbx_stem *const sentinel = st;
  ck_assert_int_eq(kbx_stem_new("klingon", &st, &err), KB_ERR_INVALID);
  ck_assert_ptr_eq(st, sentinel);
  ck_assert_ptr_nonnull(err);
  ck_assert_msg(strstr(err, "'klingon'") != NULL, "%s", err);
  ck_assert_msg(strstr(err, "german2") != NULL, "%s", err); /* what to use */
}
END_TEST

/* ---- shards ---------------------------------------------------------- */

START_TEST(shards_open_as_one) {
  char p1[PATH_MAX], p2[PATH_MAX], missing[PATH_MAX];
  path_in("shard1", p1, sizeof p1);
  path_in("shard2", p2, sizeof p2);
  path_in("shard-missing", missing, sizeof missing);
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(p1, KBX_CREATE, &w, &err));
  add_article(w, &corpus[0]);
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);
  OK(kbx_wdb_open(p2, KBX_CREATE, &w, &err));
  add_article(w, &corpus[1]);
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);

  const char *paths[3] = {p1, p2, missing};
  kbx_db *db = NULL;
  OK(kbx_db_open_shards(paths, 2, &db, &err));
  uint64_t n = 0, rev = 99;
  OK(kbx_db_doccount(db, &n, &err));
  ck_assert_uint_eq(n, 2);
  OK(kbx_db_revision(db, &rev, &err));
  ck_assert_uint_eq(rev, 0);
  char got[64];
  ids(db, term("kündigung"), true, got, sizeof got);
  ck_assert_str_eq(got, "a1 a2");
  kbx_docid id = 0;
  char *data = NULL;
  OK(kbx_db_find(db, "Qa2", &id, &err));
  OK(kbx_db_data(db, id, &data, NULL, &err));
  ck_assert_str_eq(data, "doc a2");
  free(data);
  kbx_db_close(db);

  /* A missing shard fails the whole open, naming the shard. */
  db = NULL;
  ck_assert_int_eq(kbx_db_open_shards(paths, 3, &db, &err), KB_ERR_DB_OPENING);
  ck_assert_ptr_null(db);
  ck_assert_msg(strstr(err, missing) != NULL, "%s", err);
}
END_TEST

/* Writes corpus[from, to) into a new database at tmpdir/name. */
static void shard_of(const char *name, size_t from, size_t to, char *path,
                     size_t cap) {
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(path_in(name, path, cap), KBX_CREATE, &w, &err));
  for (size_t i = from; i < to; i++)
    add_article(w, &corpus[i]);
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);
}

START_TEST(stub_with_aux_counts_and_spells_alike) {
  char p1[PATH_MAX], p2[PATH_MAX], aux[PATH_MAX], stub[PATH_MAX];
  shard_of("s1", 0, 2, p1, sizeof p1);
  shard_of("s2", 2, NCORPUS, p2, sizeof p2);
  kbx_wdb *w = NULL;
  OK(kbx_wdb_open(path_in("aux", aux, sizeof aux), KBX_CREATE, &w, &err));
  OK(kbx_wdb_set_metadata(w, "k", "from aux", 8, &err));
  OK(kbx_wdb_add_spelling(w, "kündigung", 3, &err));
  OK(kbx_wdb_add_synonym(w, "bem", "eingliederungsmanagement", &err));
  OK(kbx_wdb_commit(w, &err));
  kbx_wdb_close(w);
  FILE *f = fopen(path_in("x.stub", stub, sizeof stub), "w");
  ck_assert_ptr_nonnull(f);
  fprintf(f, "auto %s\nglass %s\n", p1, p2);
  fclose(f);

  kbx_db *one = corpus_db("one"), *db = NULL;
  /* Shards opened together without aux: a match spy sees each shard's
   * own document ids, so facets must not be counted from tables made
   * over the combined ids. */
  const char *both[2] = {p1, p2};
  OK(kbx_db_open_shards(both, 2, &db, &err));
  {
    char a1[256], a2[256], b1[256], b2[256];
    uint64_t ta = 0, tb = 0;
    facet_counts(one, a1, a2, sizeof a1, &ta);
    facet_counts(db, b1, b2, sizeof b1, &tb);
    ck_assert_str_eq(b1, a1);
    ck_assert_str_eq(b2, a2);
    ck_assert_uint_eq(tb, ta);
  }
  kbx_db_close(db);
  db = NULL;
  OK(kbx_db_open_stub(stub, aux, &db, &err));
  /* Facets counted by Xapian's spy and split: the single database's. */
  char a1[256], a2[256], b1[256], b2[256];
  uint64_t ta = 0, tb = 0;
  facet_counts(one, a1, a2, sizeof a1, &ta);
  facet_counts(db, b1, b2, sizeof b1, &tb);
  ck_assert_str_eq(b1, a1);
  ck_assert_str_eq(b2, a2); /* "bem" listed twice in a3: counted once */
  ck_assert_uint_eq(tb, ta);
  /* Metadata, spelling and synonyms come from aux. */
  char *v = NULL, *fix = NULL;
  OK(kbx_db_metadata(db, "k", &v, NULL, &err));
  ck_assert_str_eq(v, "from aux");
  OK(kbx_db_spelling(db, "kündigunk", 1, &fix, &err));
  ck_assert_str_eq(fix, "kündigung");
  struct collect got = {0};
  OK(kbx_db_synonyms(db, "bem", collect_str, &got, &err));
  ck_assert_str_eq(got.s, "eingliederungsmanagement");
  uint64_t rev = 0;
  OK(kbx_db_revision(db, &rev, &err));
  ck_assert_uint_eq(rev, 1); /* aux's: one commit */
  free(v);
  free(fix);
  kbx_db_close(db);
  kbx_db_close(one);

  /* A missing local database fails the open, naming it. */
  char missing[PATH_MAX];
  path_in("no-aux", missing, sizeof missing);
  db = NULL;
  ck_assert_int_eq(kbx_db_open_stub(stub, missing, &db, &err),
                   KB_ERR_DB_OPENING);
  ck_assert_ptr_null(db);
  ck_assert_msg(strstr(err, missing) != NULL, "%s", err);
}
END_TEST

/* A build writes one database in parts (scratch databases, ids kept
 * apart) and merges them: the result answers like the database written
 * at once, keeps the ids, sums spelling counts and keeps metadata. */
START_TEST(compact_merges_parts) {
  char p1[PATH_MAX], p2[PATH_MAX], out[PATH_MAX];
  path_in("part1", p1, sizeof p1);
  path_in("part2", p2, sizeof p2);
  path_in("merged", out, sizeof out);
  const char *parts[2] = {p1, p2};
  for (size_t k = 0; k < 2; k++) {
    kbx_wdb *w = NULL;
    OK(kbx_wdb_open(parts[k], KBX_CREATE_SCRATCH, &w, &err));
    size_t from = k == 0 ? 0 : 2, to = k == 0 ? 2 : NCORPUS;
    for (size_t i = from; i < to; i++) {
      kbx_doc *doc = NULL;
      make_doc(&corpus[i], &doc);
      OK(kbx_wdb_replace_at(w, (kbx_docid)(i + 1), doc, &err));
      kbx_doc_free(doc);
    }
    OK(kbx_wdb_add_spelling(w, "kündigung", 2 + (unsigned)k, &err));
    if (k == 0)
      OK(kbx_wdb_set_metadata(w, "k", "part one", 8, &err));
    OK(kbx_wdb_commit(w, &err));
    kbx_wdb_close(w);
  }
  /* A scratch database is created, never opened over an existing one. */
  kbx_wdb *again = NULL;
  ck_assert_int_eq(kbx_wdb_open(p1, KBX_CREATE_SCRATCH, &again, &err),
                   KB_ERR_EXISTS);
  clear_err();
  OK(kbx_compact(parts, 2, out, &err));

  kbx_db *db = NULL, *one = corpus_db("one");
  OK(kbx_db_open(out, &db, &err));
  uint64_t n = 0;
  OK(kbx_db_doccount(db, &n, &err));
  ck_assert_uint_eq(n, NCORPUS);
  for (size_t i = 0; i < NCORPUS; i++) {
    char q[64];
    kbx_docid id = 0;
    snprintf(q, sizeof q, "Q%s", corpus[i].id);
    OK(kbx_db_find(db, q, &id, &err));
    ck_assert_uint_eq(id, i + 1);
  }
  char a[64], b[64];
  ids(one, term("kündigung"), false, a, sizeof a);
  ids(db, term("kündigung"), false, b, sizeof b);
  ck_assert_str_eq(b, a); /* the same matches in the same (weight) order */
  char *v = NULL, *fix = NULL;
  OK(kbx_db_metadata(db, "k", &v, NULL, &err));
  ck_assert_str_eq(v, "part one");
  OK(kbx_db_spelling(db, "kündigunk", 1, &fix, &err));
  ck_assert_str_eq(fix, "kündigung");
  free(v);
  free(fix);
  kbx_db_close(db);
  kbx_db_close(one);
  OK(kbx_db_check(out, &err));

  /* Overlapping id ranges cannot be merged with the ids kept. */
  const char *twice[2] = {p1, p1};
  path_in("bad", out, sizeof out);
  ck_assert_int_ne(kbx_compact(twice, 2, out, &err), KB_OK);
  ck_assert_ptr_nonnull(err);
}
END_TEST

int main(void) {
  Suite *s = suite_create("xapian");
  TCase *errors = tcase_create("errors");
  tcase_add_checked_fixture(errors, setup, teardown);
  tcase_add_test(errors, open_missing_is_db_opening);
  tcase_add_test(errors, second_writer_is_locked);
  tcase_add_test(errors, create_existing_is_exists);
  tcase_add_test(errors, null_arguments_are_invalid);
  suite_add_tcase(s, errors);

  TCase *rw = tcase_create("read-write");
  tcase_add_checked_fixture(rw, setup, teardown);
  tcase_add_test(rw, commit_then_reopen_sees_new_revision);
  tcase_add_test(rw, close_without_commit_discards);
  tcase_add_test(rw, transactions_commit_or_cancel);
  tcase_add_test(rw, stale_reader_is_db_modified);
  tcase_add_test(rw, find_by_unique_term_and_read);
  tcase_add_test(rw, replace_and_delete_by_unique_term);
  tcase_add_test(rw, shards_open_as_one);
  tcase_add_test(rw, stub_with_aux_counts_and_spells_alike);
  tcase_add_test(rw, compact_merges_parts);
  suite_add_tcase(s, rw);

  TCase *search = tcase_create("search");
  tcase_add_checked_fixture(search, setup, teardown);
  tcase_add_test(search, phrase_and_near);
  tcase_add_test(search, boolean_operators);
  tcase_add_test(search, query_edge_cases);
  tcase_add_test(search, value_sort_and_ranges);
  tcase_add_test(search, serialise_list_format);
  tcase_add_test(search, facet_spy_counts);
  tcase_add_test(search, facet_spy_lists_its_latest_counts);
  tcase_add_test(search, facet_spy_counts_past_two_byte_ids);
  tcase_add_test(search, relevance_page_same_when_counting_all);
  tcase_add_test(search, termfreq_follows_a_new_revision);
  tcase_add_test(search, fold_same_as_a_match_per_facet);
  tcase_add_test(search, fold_only_where_it_keeps_the_answer);
  tcase_add_test(search, spelling_and_synonyms);
  tcase_add_test(search, wildcard_keeps_most_frequent);
  tcase_add_test(search, snippet_escapes_and_highlights);
  tcase_add_test(search, snippet_same_as_xapian);
  tcase_add_test(search, expand_suggests_terms);
  tcase_add_test(search, bool_weight_ranks_nothing);
  tcase_add_test(search, time_limit_keeps_the_page);
  suite_add_tcase(s, search);

  TCase *stem = tcase_create("stem");
  tcase_add_checked_fixture(stem, setup, teardown);
  tcase_add_test(stem, stem_german2);
  tcase_add_test(stem, stem_cache_keeps_the_answers);
  tcase_add_test(stem, stem_unknown_language_is_invalid);
  suite_add_tcase(s, stem);

  return tu_run_suite(s);
}
