/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_xapian.h - a C API over the parts of Xapian that teilhabe uses.
 *
 * This is the wall between C and C++: everything behind it lives in the
 * C++ files of src/xapian/, and no C++ exception ever crosses it.  The
 * pattern is leveldb's c.h: opaque handles, create/free pairs, a kb_status
 * result and an optional `char **reterr_msg` last argument that is set
 * (malloc'd, caller frees) only on failure.  Outputs (`ret_*`) are written only
 * on success.  Every *_free/_close accepts NULL.
 *
 * Xapian exceptions map to specific codes: DatabaseLockError ->
 * KB_ERR_DB_LOCKED, DatabaseModifiedError -> KB_ERR_DB_MODIFIED,
 * DatabaseNotFoundError / DatabaseOpeningError -> KB_ERR_DB_OPENING,
 * DatabaseCorruptError -> KB_ERR_DB_CORRUPT, DatabaseVersionError ->
 * KB_ERR_DB_VERSION, DocNotFoundError -> KB_ERR_NOT_FOUND, QueryParserError
 * / InvalidOperationError on queries -> KB_ERR_QUERY, InvalidArgumentError
 * -> KB_ERR_INVALID, std::bad_alloc -> KB_ERR_NOMEM, any other
 * Xapian::Error -> KB_ERR_BACKEND, anything else -> KB_ERR_INTERNAL.
 *
 * Thread safety: as Xapian's.  A handle may be used by one thread at a
 * time; the server gives each worker thread its own kbx_db.
 *
 * This header must not depend on anything but kb_status.h and libc.
 */
#ifndef KB_XAPIAN_H
#define KB_XAPIAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb_status.h"

/* Every function below is noexcept to C++ callers and to the C++ files
 * that define them: nothing may throw across the wall. */
#ifdef __cplusplus
#define KBX_NOEXCEPT noexcept
#else
#define KBX_NOEXCEPT
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kbx_db kbx_db;           /* a database opened for reading */
typedef struct kbx_wdb kbx_wdb;         /* a database opened for writing */
typedef struct kbx_doc kbx_doc;         /* a document being built */
typedef struct kbx_stem kbx_stem;       /* a Snowball stemmer */
typedef struct kbx_query kbx_query;     /* an immutable query tree */
typedef struct kbx_enquire kbx_enquire; /* one search session on a kbx_db */
typedef struct kbx_mset kbx_mset;       /* one page of results */
typedef struct kbx_spy kbx_spy;         /* counts facet values over matches */
typedef struct kbx_fold kbx_fold;       /* facet filters a match applies */

typedef uint32_t kbx_docid;
typedef uint32_t kbx_slot;

/*
 * Called once per string by iterating functions; `s` is borrowed for the
 * duration of the call and is not NUL-terminated inside Xapian's buffers
 * (a NUL-terminated copy is passed, but use `len` for binary data).
 * Return false to stop the iteration early.
 */
typedef bool (*kbx_str_cb)(const char *s, size_t len, void *ctx);

/* Called once per (value, count) pair by kbx_spy_each(). */
typedef bool (*kbx_count_cb)(const char *value, size_t len, uint64_t count,
                             void *ctx);

/* ---- reading --------------------------------------------------------- */

/* Opens the database at `path` (a directory, stub file or symlink) for
 * reading.  On success *ret_db is owned by the caller (kbx_db_close). */
kb_status kbx_db_open(const char *path, kbx_db **ret_db,
                      char **reterr_msg) KBX_NOEXCEPT;

/* Opens several shards as one database (Xapian's add_database); docids
 * interleave as Xapian documents.  `n` must be at least 1. */
kb_status kbx_db_open_shards(const char *const *paths, size_t n,
                             kbx_db **ret_db, char **reterr_msg) KBX_NOEXCEPT;

/* Opens a sharded index: the stub database file `stub` (Xapian 1.4
 * syntax: lines "auto PATH", "glass PATH", "remote HOST:PORT" or
 * "remote :PROGRAM ARGS", paths relative to the stub's folder) for
 * searching, and the local database `aux` for what remote shards cannot
 * serve: user metadata, spelling and synonyms are read from it.  Facet
 * spies on such a handle count with Xapian's own ValueCountMatchSpy,
 * which a remote server can run (kbx_spy_new).  Docids interleave as
 * Xapian documents; map them to records through the stored data. */
kb_status kbx_db_open_stub(const char *stub, const char *aux, kbx_db **ret_db,
                           char **reterr_msg) KBX_NOEXCEPT;

/* True for a sharded index (kbx_db_open_stub): its facet spies run as
 * Xapian's ValueCountMatchSpy, which counts whole values (a list is one
 * value) before kbx_spy_each splits them. */
bool kbx_db_counts_whole_values(const kbx_db *db) KBX_NOEXCEPT;

/* Closes and frees; NULL is fine. */
void kbx_db_close(kbx_db *db) KBX_NOEXCEPT;

/* Brings the handle up to the latest committed revision.  *ret_changed
 * (may be NULL) says whether anything changed. */
kb_status kbx_db_reopen(kbx_db *db, bool *ret_changed,
                        char **reterr_msg) KBX_NOEXCEPT;

/* Checks the structure of every table of the database at `path` as
 * xapian-check does (Xapian::Database::check): KB_OK if it is sound,
 * KB_ERR_DB_CORRUPT with the first problem found otherwise.  Reads every
 * block once; for a database nobody is writing to. */
kb_status kbx_db_check(const char *path, char **reterr_msg) KBX_NOEXCEPT;

/* Merges the databases `src[0..n)` (closed, nobody writing) into a new
 * compacted database at `dest` (a folder that may exist but holds no
 * database): postings, positions, records, values, spelling, synonyms
 * and metadata.  Document ids are kept as they are (Xapian's
 * DBCOMPACT_NO_RENUMBER), so the sources' id ranges must not overlap. */
kb_status kbx_compact(const char *const *src, size_t n, const char *dest,
                      char **reterr_msg) KBX_NOEXCEPT;

/* The committed revision of a single-shard database, of the local
 * database of one opened with kbx_db_open_stub (0 for other shards). */
kb_status kbx_db_revision(kbx_db *db, uint64_t *ret_rev,
                          char **reterr_msg) KBX_NOEXCEPT;

/* Number of documents. */
kb_status kbx_db_doccount(kbx_db *db, uint64_t *ret_count,
                          char **reterr_msg) KBX_NOEXCEPT;

/* The highest document id in use (0 in an empty database). */
kb_status kbx_db_lastdocid(kbx_db *db, kbx_docid *ret_docid,
                           char **reterr_msg) KBX_NOEXCEPT;

/* Calls `cb` for each document with a value in `slot`, in ascending
 * docid order, with the value (borrowed for the call); stops when cb
 * returns false.  One pass over the slot's value stream. */
typedef bool (*kbx_value_cb)(kbx_docid docid, const char *value, size_t len,
                             void *ctx);
kb_status kbx_db_values(kbx_db *db, kbx_slot slot, kbx_value_cb cb, void *ctx,
                        char **reterr_msg) KBX_NOEXCEPT;

/* Number of documents indexed by `term` (0 if the term is absent).
 * Remembered by the handle until it opens another revision (at most
 * 16,384 terms). */
kb_status kbx_db_termfreq(kbx_db *db, const char *term, uint64_t *ret_freq,
                          char **reterr_msg) KBX_NOEXCEPT;

/* The docid of the first document indexed by `term` (for unique id terms);
 * KB_ERR_NOT_FOUND if none. */
kb_status kbx_db_find(kbx_db *db, const char *term, kbx_docid *ret_docid,
                      char **reterr_msg) KBX_NOEXCEPT;

/* The document's data blob.  *ret_data is malloc'd and NUL-terminated,
 * *ret_len (may be NULL) excludes the NUL.  KB_ERR_NOT_FOUND if no such
 * document. */
kb_status kbx_db_data(kbx_db *db, kbx_docid docid, char **ret_data,
                      size_t *ret_len, char **reterr_msg) KBX_NOEXCEPT;

/* The value in `slot` of a document (empty string if unset); owned. */
kb_status kbx_db_value(kbx_db *db, kbx_docid docid, kbx_slot slot,
                       char **ret_value, size_t *ret_len,
                       char **reterr_msg) KBX_NOEXCEPT;

/* The values in `slots[0 .. n - 1]` of a document, one after the other
 * in that order (an unset one adds nothing), from one look-up of the
 * document; *ret_value is malloc'd and NUL-terminated, *ret_len (may be
 * NULL) excludes the NUL.  KB_ERR_NOT_FOUND if no such document. */
kb_status kbx_db_values_joined(kbx_db *db, kbx_docid docid,
                               const kbx_slot *slots, size_t n,
                               char **ret_value, size_t *ret_len,
                               char **reterr_msg) KBX_NOEXCEPT;

/* A user-metadata entry ("" if unset); *ret_value is owned. */
kb_status kbx_db_metadata(kbx_db *db, const char *key, char **ret_value,
                          size_t *ret_len, char **reterr_msg) KBX_NOEXCEPT;

/* Calls `cb` for each term starting with `prefix`, in byte order; stops
 * after `max` terms (0 = no limit) or when cb returns false. */
kb_status kbx_db_allterms(kbx_db *db, const char *prefix, size_t max,
                          kbx_str_cb cb, void *ctx,
                          char **reterr_msg) KBX_NOEXCEPT;

/* Calls `cb` with each docid indexed by `term`, ascending; stops when cb
 * returns false.  An absent term calls nothing. */
typedef bool (*kbx_docid_cb)(kbx_docid docid, void *ctx);
kb_status kbx_db_postlist(kbx_db *db, const char *term, kbx_docid_cb cb,
                          void *ctx, char **reterr_msg) KBX_NOEXCEPT;

/* As kbx_db_allterms, reporting each term with its term frequency. */
kb_status kbx_db_allterms_freq(kbx_db *db, const char *prefix, size_t max,
                               kbx_count_cb cb, void *ctx,
                               char **reterr_msg) KBX_NOEXCEPT;

/* Calls `cb` for every term of document `docid` starting with `prefix`. */
kb_status kbx_db_doc_terms(kbx_db *db, kbx_docid docid, const char *prefix,
                           kbx_str_cb cb, void *ctx,
                           char **reterr_msg) KBX_NOEXCEPT;

/* Calls `cb` for every term of document `docid` with its wdf (within-
 * document frequency), in byte order; stops when cb returns false. */
kb_status kbx_db_doc_wdfs(kbx_db *db, kbx_docid docid, kbx_count_cb cb,
                          void *ctx, char **reterr_msg) KBX_NOEXCEPT;

/* Calls `cb` for every word of the spelling table with its frequency, in
 * byte order; stops when cb returns false. */
kb_status kbx_db_spellings(kbx_db *db, kbx_count_cb cb, void *ctx,
                           char **reterr_msg) KBX_NOEXCEPT;

/* Calls `cb` for each word of the spelling table that begins with
 * `prefix`, with its frequency, in byte order; stops after `max` words
 * (0 = no limit) or when cb returns false. */
kb_status kbx_db_spelling_words(kbx_db *db, const char *prefix, size_t max,
                                kbx_count_cb cb, void *ctx,
                                char **reterr_msg) KBX_NOEXCEPT;

/* Calls `cb` for each synonym stored for `key`. */
kb_status kbx_db_synonyms(kbx_db *db, const char *key, kbx_str_cb cb, void *ctx,
                          char **reterr_msg) KBX_NOEXCEPT;

/* Calls `cb` for each key of the synonym table starting with `prefix`,
 * in byte order; stops after `max` keys (0 = no limit) or when cb
 * returns false. */
kb_status kbx_db_synonym_keys(kbx_db *db, const char *prefix, size_t max,
                              kbx_str_cb cb, void *ctx,
                              char **reterr_msg) KBX_NOEXCEPT;

/* Xapian's spelling suggestion for `word` within `max_edit` edits, or
 * *ret_suggestion = NULL when there is none.  Owned.  Remembered by the
 * handle until it opens another revision (at most 4,096 words). */
kb_status kbx_db_spelling(kbx_db *db, const char *word, unsigned max_edit,
                          char **ret_suggestion,
                          char **reterr_msg) KBX_NOEXCEPT;

/* ---- writing --------------------------------------------------------- */

enum kbx_wdb_mode {
  KBX_CREATE,            /* create; fail with KB_ERR_EXISTS if present */
  KBX_CREATE_OR_OPEN,    /* open, or create if absent */
  KBX_CREATE_OR_REPLACE, /* create, replacing any existing database */
  KBX_CREATE_SCRATCH     /* create a database nobody reads while it is
                            written and a crash may lose (a build's parts):
                            no fsync, blocks changed in place */
};

/* Opens `path` for writing; takes Xapian's writer lock, so a second
 * writer gets KB_ERR_DB_LOCKED. */
kb_status kbx_wdb_open(const char *path, enum kbx_wdb_mode mode,
                       kbx_wdb **ret_wdb, char **reterr_msg) KBX_NOEXCEPT;

/* Releases the lock WITHOUT committing pending changes; NULL is fine. */
void kbx_wdb_close(kbx_wdb *wdb) KBX_NOEXCEPT;

kb_status kbx_wdb_commit(kbx_wdb *wdb, char **reterr_msg) KBX_NOEXCEPT;
kb_status kbx_wdb_begin(kbx_wdb *wdb,
                        char **reterr_msg) KBX_NOEXCEPT; /* transaction */
kb_status kbx_wdb_end(kbx_wdb *wdb, bool commit,
                      char **reterr_msg) KBX_NOEXCEPT;

/* Replaces the document indexed by `unique_term` (adds it if absent).
 * Beware: when Xapian fails to store a document it cancels every change
 * since the last commit, so a failure here means re-adding those too. */
kb_status kbx_wdb_replace(kbx_wdb *wdb, const char *unique_term,
                          const kbx_doc *doc, char **reterr_msg) KBX_NOEXCEPT;
/* Stores `doc` as document `docid` (1 or more), replacing any document
 * with that id: for shards whose ids follow one order across shards. */
kb_status kbx_wdb_replace_at(kbx_wdb *wdb, kbx_docid docid, const kbx_doc *doc,
                             char **reterr_msg) KBX_NOEXCEPT;
/* The highest document id ever used in the database (0 if none). */
kb_status kbx_wdb_lastdocid(kbx_wdb *wdb, kbx_docid *ret_docid,
                            char **reterr_msg) KBX_NOEXCEPT;
kb_status kbx_wdb_delete(kbx_wdb *wdb, const char *unique_term,
                         char **reterr_msg) KBX_NOEXCEPT;
kb_status kbx_wdb_add_spelling(kbx_wdb *wdb, const char *word, unsigned freqinc,
                               char **reterr_msg) KBX_NOEXCEPT;
/* Lowers `word`'s spelling frequency by `freqdec`; at zero the word is no
 * longer suggested.  A word that is not there is not an error. */
kb_status kbx_wdb_remove_spelling(kbx_wdb *wdb, const char *word,
                                  unsigned freqdec,
                                  char **reterr_msg) KBX_NOEXCEPT;
kb_status kbx_wdb_add_synonym(kbx_wdb *wdb, const char *key,
                              const char *synonym,
                              char **reterr_msg) KBX_NOEXCEPT;
kb_status kbx_wdb_set_metadata(kbx_wdb *wdb, const char *key, const char *value,
                               size_t len, char **reterr_msg) KBX_NOEXCEPT;
kb_status kbx_wdb_doccount(kbx_wdb *wdb, uint64_t *ret_count,
                           char **reterr_msg) KBX_NOEXCEPT;

/* ---- documents ------------------------------------------------------- */

kb_status kbx_doc_new(kbx_doc **ret_doc, char **reterr_msg) KBX_NOEXCEPT;
void kbx_doc_free(kbx_doc *doc) KBX_NOEXCEPT;
/* The longest term the glass backend stores. */
#define KBX_TERM_MAX 245
/* Terms are 1 to KBX_TERM_MAX bytes: longer is KB_ERR_LIMIT,
 * empty is KB_ERR_INVALID, caught here rather than when stored.
 * Adds `term` with its within-document frequency raised by `wdfinc`. */
kb_status kbx_doc_add_term(kbx_doc *doc, const char *term, unsigned wdfinc,
                           char **reterr_msg) KBX_NOEXCEPT;
/* Adds `term` at word position `pos` (for phrase search). */
kb_status kbx_doc_add_posting(kbx_doc *doc, const char *term, uint32_t pos,
                              unsigned wdfinc, char **reterr_msg) KBX_NOEXCEPT;
/* Adds a filter term with wdf 0 (does not affect ranking). */
kb_status kbx_doc_add_boolean_term(kbx_doc *doc, const char *term,
                                   char **reterr_msg) KBX_NOEXCEPT;
kb_status kbx_doc_set_value(kbx_doc *doc, kbx_slot slot, const char *value,
                            size_t len, char **reterr_msg) KBX_NOEXCEPT;
kb_status kbx_doc_set_data(kbx_doc *doc, const char *data, size_t len,
                           char **reterr_msg) KBX_NOEXCEPT;

/* ---- stemming -------------------------------------------------------- */

/* A stemmer for `language` ("german2", "none", ...); KB_ERR_INVALID for an
 * unknown language.  It remembers the words it stemmed (a bounded cache),
 * so one stemmer is for one thread at a time. */
kb_status kbx_stem_new(const char *language, kbx_stem **ret_stem,
                       char **reterr_msg) KBX_NOEXCEPT;
void kbx_stem_free(kbx_stem *stem) KBX_NOEXCEPT;
/* Stems the UTF-8 `word` (lower case) into `buf` of `cap` bytes, NUL
 * terminated; *ret_len (may be NULL) is the stem's length.  KB_ERR_LIMIT if
 * it does not fit (buf untouched).  Nothing is left allocated when the stem
 * fits (Xapian's own std::string temporaries aside). */
kb_status kbx_stem_apply(kbx_stem *stem, const char *word, size_t len,
                         char *buf, size_t cap, size_t *ret_len,
                         char **reterr_msg) KBX_NOEXCEPT;

/* ---- queries --------------------------------------------------------- */

enum kbx_op {
  KBX_OP_AND,
  KBX_OP_OR,
  KBX_OP_AND_NOT,   /* first subquery minus the rest */
  KBX_OP_FILTER,    /* first subquery, filtered by the rest (no weight) */
  KBX_OP_AND_MAYBE, /* first subquery; the rest only add weight */
  KBX_OP_SYNONYM,   /* OR, weighted as one term */
  KBX_OP_PHRASE,    /* subqueries adjacent and in order */
  KBX_OP_NEAR,      /* within `window` positions */
  KBX_OP_MAX        /* OR, weight of the best subquery */
};

/* Every constructor returns a new, owned handle; combining functions copy
 * what they need, so subqueries stay owned by the caller.  Query handles
 * are immutable and cheap (Xapian::Query is reference counted).  An empty
 * term is KB_ERR_INVALID: Xapian would read it as "match everything". */
kb_status kbx_query_term(const char *term, unsigned wqf, uint32_t pos,
                         kbx_query **ret_query, char **reterr_msg) KBX_NOEXCEPT;
kb_status kbx_query_match_all(kbx_query **ret_query,
                              char **reterr_msg) KBX_NOEXCEPT;
kb_status kbx_query_match_nothing(kbx_query **ret_query,
                                  char **reterr_msg) KBX_NOEXCEPT;
/* `window` matters for PHRASE/NEAR only (0 = number of subqueries). */
kb_status kbx_query_combine(enum kbx_op op, kbx_query *const *subs, size_t n,
                            unsigned window, kbx_query **ret_query,
                            char **reterr_msg) KBX_NOEXCEPT;
kb_status kbx_query_scale(const kbx_query *query, double factor,
                          kbx_query **ret_query,
                          char **reterr_msg) KBX_NOEXCEPT;
/* Terms starting with `prefix`, OR'd as a synonym; expansion stops after
 * `max_expansion` terms (the most frequent ones are kept; 0 = no limit).
 * An empty prefix is KB_ERR_INVALID. */
kb_status kbx_query_wildcard(const char *prefix, unsigned max_expansion,
                             kbx_query **ret_query,
                             char **reterr_msg) KBX_NOEXCEPT;
/* The OP_SYNONYM of those of `terms` (n of them, repeats allowed) that
 * `db` has - at most `max` (0 = no limit), the most frequent, and
 * `keep` (may be NULL) whatever its frequency; a query matching nothing
 * when none is left.  An expansion the caller gathers (a prefix's
 * words): over all shards of a sharded index, so that it and its
 * weights are what a single database gives (Xapian 1.4 expands and
 * weighs OP_WILDCARD in each shard alone), shaped as a balanced tree of
 * two-way synonyms, which every layout estimates alike. */
kb_status kbx_query_synonym_of(kbx_db *db, const char *const *terms, size_t n,
                               unsigned max, const char *keep,
                               kbx_query **ret_query,
                               char **reterr_msg) KBX_NOEXCEPT;

/* Documents whose value in `slot` is >= lo and <= hi (bytewise).  A NULL
 * bound leaves that end open; both NULL is KB_ERR_INVALID. */
kb_status kbx_query_value_range(kbx_slot slot, const char *lo, const char *hi,
                                kbx_query **ret_query,
                                char **reterr_msg) KBX_NOEXCEPT;
bool kbx_query_empty(const kbx_query *query) KBX_NOEXCEPT;
/* Xapian's description, for tests and debugging; owned. */
char *kbx_query_describe(const kbx_query *query) KBX_NOEXCEPT;
void kbx_query_free(kbx_query *query) KBX_NOEXCEPT;

/* ---- searching ------------------------------------------------------- */

kb_status kbx_enquire_new(kbx_db *db, kbx_enquire **ret_enq,
                          char **reterr_msg) KBX_NOEXCEPT;
void kbx_enquire_free(kbx_enquire *enq) KBX_NOEXCEPT;
kb_status kbx_enquire_set_query(kbx_enquire *enq, const kbx_query *query,
                                char **reterr_msg) KBX_NOEXCEPT;
/* Ranks by relevance (BM25) - the default. */
void kbx_enquire_sort_relevance(kbx_enquire *enq) KBX_NOEXCEPT;
/* Sorts by the value in `slot`, descending if `reverse`, then relevance. */
void kbx_enquire_sort_value(kbx_enquire *enq, kbx_slot slot,
                            bool reverse) KBX_NOEXCEPT;
/* BM25 with term-frequency saturation k1 and length normalisation b
 * (Xapian's defaults are 1 and 0.5). */
void kbx_enquire_bm25(kbx_enquire *enq, double k1, double b) KBX_NOEXCEPT;
/* Pure boolean matching: every match weighs 0 (for browsing). */
void kbx_enquire_bool_weight(kbx_enquire *enq) KBX_NOEXCEPT;
/* After `seconds` of matching, stops checking matches beyond those the
 * result page needs (Xapian's set_time_limit: check_at_least is dropped),
 * so counts and facet counts become estimates instead of the request
 * running on.  0: no limit. */
void kbx_enquire_time_limit(kbx_enquire *enq, double seconds) KBX_NOEXCEPT;
/* Registers a spy (borrowed; must outlive every get_mset call). */
kb_status kbx_enquire_add_spy(kbx_enquire *enq, kbx_spy *spy,
                              char **reterr_msg) KBX_NOEXCEPT;
/* Runs the search: items [first, first+max) and at least `check_at_least`
 * matches examined (spies see every examined match).  Owned result. */
kb_status kbx_enquire_mset(kbx_enquire *enq, uint32_t first, uint32_t max,
                           uint32_t check_at_least, kbx_mset **ret_mset,
                           char **reterr_msg) KBX_NOEXCEPT;
/* Relevance feedback: the `max` best expansion terms for the documents
 * `docids`, restricted to terms starting with `prefix` when non-NULL. */
kb_status kbx_enquire_expand(kbx_enquire *enq, const kbx_docid *docids,
                             size_t n, size_t max, const char *prefix,
                             kbx_str_cb cb, void *ctx,
                             char **reterr_msg) KBX_NOEXCEPT;

void kbx_mset_free(kbx_mset *mset) KBX_NOEXCEPT;
uint32_t kbx_mset_size(const kbx_mset *mset) KBX_NOEXCEPT;
/* Exact when check_at_least covered the whole database. */
uint64_t kbx_mset_matches_estimated(const kbx_mset *mset) KBX_NOEXCEPT;
uint64_t kbx_mset_matches_lower(const kbx_mset *mset) KBX_NOEXCEPT;
uint64_t kbx_mset_matches_upper(const kbx_mset *mset) KBX_NOEXCEPT;
kb_status kbx_mset_docid(const kbx_mset *mset, uint32_t i, kbx_docid *ret_docid,
                         char **reterr_msg) KBX_NOEXCEPT;
kb_status kbx_mset_weight(const kbx_mset *mset, uint32_t i, double *ret_weight,
                          char **reterr_msg) KBX_NOEXCEPT;
/* Percentage score (0-100) as Xapian computes it: relative to the best
 * document the match examined, which in a folded match (kbx_enquire_fold)
 * may be one that fails the filters; nothing in teilhabe shows it. */
kb_status kbx_mset_percent(const kbx_mset *mset, uint32_t i, int *ret_pct,
                           char **reterr_msg) KBX_NOEXCEPT;
/* The value in `slot` of item i (empty string if unset); owned. */
kb_status kbx_mset_value(const kbx_mset *mset, uint32_t i, kbx_slot slot,
                         char **ret_value, size_t *ret_len,
                         char **reterr_msg) KBX_NOEXCEPT;
/* Xapian's snippet of `text` for this mset's query: HTML-escaped, with
 * matches wrapped in hi_start/hi_end.  Owned.  NULL `stem` means no
 * stemming; NULL hi_start/hi_end/omit mean Xapian's "<b>", "</b>", "...". */
kb_status kbx_mset_snippet(const kbx_mset *mset, const char *text, size_t len,
                           size_t length, kbx_stem *stem, const char *hi_start,
                           const char *hi_end, const char *omit,
                           char **ret_snippet, char **reterr_msg) KBX_NOEXCEPT;
/* Xapian's own generator (MSet::snippet), which kbx_mset_snippet
 * (src/xapian/snippet.cc) reproduces byte for byte at a fraction of the
 * cost; kept for what that one hands over and to test it against. */
kb_status kbx_mset_snippet_xapian(const kbx_mset *mset, const char *text,
                                  size_t len, size_t length, kbx_stem *stem,
                                  const char *hi_start, const char *hi_end,
                                  const char *omit, char **ret_snippet,
                                  char **reterr_msg) KBX_NOEXCEPT;

/* ---- facet counting -------------------------------------------------- */

/* Counts the values in `slot` over all examined matches.  When `multi`,
 * the slot holds a list of values serialised by kbx_serialise_list() and
 * each element is counted once per document.  On a single database it
 * runs as our own match spy; on one opened with kbx_db_open_stub, as
 * Xapian's ValueCountMatchSpy over the whole lists, split afterwards -
 * the same counts, by a spy that remote shards know.  One spy serves
 * one enquire. */
kb_status kbx_spy_new(kbx_slot slot, bool multi, kbx_spy **ret_spy,
                      char **reterr_msg) KBX_NOEXCEPT;
void kbx_spy_free(kbx_spy *spy) KBX_NOEXCEPT;
/* Number of documents the spy has seen. */
uint64_t kbx_spy_total(const kbx_spy *spy) KBX_NOEXCEPT;
/* Calls `cb` for each value, most frequent first (ties: bytewise).  It
 * keeps that order in the spy until the spy counts again, so like the
 * spy's counting it is for one thread at a time. */
kb_status kbx_spy_each(const kbx_spy *spy, kbx_count_cb cb, void *ctx,
                       char **reterr_msg) KBX_NOEXCEPT;

/* ---- facet filters folded into one match ---------------------------
 *
 * A search with facet filters needs its results and, for each filtered
 * facet, the counts without that facet's own filter (so a user sees what
 * choosing another value would give): one match per filtered facet more.
 * On one local database a fold does all of it in one match of the query
 * without the facet filters.  It marks the documents that pass each
 * filter (read from the filter terms' posting lists); in the match, the
 * combined spy counts a document that passes every filter for all its
 * values, one that fails exactly one filter for that facet's values
 * only, and the results hold only the documents that pass every filter,
 * in the order and with the weights the filtered query gives them.  The
 * facets are told apart by the first byte of their elements in the
 * combined list (`tag`). */

/* At most this many facets with a filter in one fold. */
#define KBX_FOLD_FACETS 16

/* A fold over the revision `db` has open, passing every document until
 * filters are added.  *ret_fold is NULL (and KB_OK returned) where a
 * fold cannot be used: a sharded index, or one past the facet tables'
 * size (about a million documents). */
kb_status kbx_fold_new(kbx_db *db, kbx_fold **ret_fold,
                       char **reterr_msg) KBX_NOEXCEPT;
/* Adds the filter of the facet whose elements begin with `tag`: a
 * document passes when it is indexed with any of the `n` terms (with
 * `all_of`, with every one).  A facet may be added once. */
kb_status kbx_fold_facet(kbx_fold *fold, char tag, const char *const *terms,
                         size_t n, bool all_of, char **reterr_msg) KBX_NOEXCEPT;
void kbx_fold_free(kbx_fold *fold) KBX_NOEXCEPT;
/* Folds `fold` (borrowed; must outlive the enquire's matches) into
 * `enq`'s matches, whose spies must all count the combined list.  Sets
 * *ret_folded to false, changing nothing, where it cannot: on a sharded
 * index, sorted by value, for another revision than the fold's, or for
 * a query that may run into the time limit (kbx_enquire_time_limit; set
 * it and the query first).  A folded match must examine every document
 * (check_at_least at least the document count); its mset holds only the
 * documents that pass, its counts are theirs. */
kb_status kbx_enquire_fold(kbx_enquire *enq, const kbx_fold *fold,
                           bool *ret_folded, char **reterr_msg) KBX_NOEXCEPT;

/* Serialises `n` strings into one value-slot payload (Xapian's
 * StringListSerialiser format: each element as a length-prefixed string).
 * *ret_buf is owned. */
kb_status kbx_serialise_list(const char *const *items, size_t n, char **ret_buf,
                             size_t *ret_len, char **reterr_msg) KBX_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
