/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_index.h - building and publishing the search index.
 *
 * An index path P (default data/index) is a symbolic link to one
 * generation directory P.gen/<name>.  A build writes a complete new
 * generation next to the current one and publishes it by atomically
 * replacing the link (rename(2)), so readers see either the old or the new
 * index, never a half-written one, and a failed build leaves the old one
 * exactly as it was.  The generation before the current one is kept (a
 * reader may still be finishing a request on it); older ones are removed.
 *
 * A published generation is never written again: an update copies the
 * current generation, changes the copy and publishes it like a build.
 * Before a generation is published it must pass Xapian's check
 * (kbx_db_check) and gets a stamp (teilhabe.stamp: each file's size and
 * content hash), so readers can tell a damaged generation from a good
 * one.  One writer at a time: kb_index_lock_take().
 *
 * A sharded index (kb_index_build_shards) is the same generation folder
 * holding N glass databases shard-0 ... shard-<N-1> (each record in the
 * shard kb_index_shard_of() names), the local database `aux` (user
 * metadata: schema, vocabulary, compound lexicon, configuration; the
 * spelling and synonym tables - what a remote shard cannot serve) and
 * the Xapian stub file index.stub naming the shards.  A record's Xapian
 * document id is the one it would have in a single database, so the
 * shards searched together order ties exactly as one database does.
 * kb_index_open() opens either layout, and any stub file.
 *
 * Depends on kb_corpus, kb_analysis, kb_xapian, kb_schema and jansson.
 */
#ifndef KB_INDEX_H
#define KB_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb_corpus.h"

/* A sharded generation's stub file and local database (see above). */
#define KB_SHARD_STUB "index.stub"
#define KB_SHARD_AUX "aux"
#define KB_SHARD_PREFIX "shard-"
#define KB_INDEX_SHARDS_MAX 16

/* The shard (0 .. n-1) that holds the record `id` among `n`: a stable
 * hash of the id (FNV-1a), the same on every machine and run. */
unsigned kb_index_shard_of(const char *id, unsigned n);

/* Opens the index at `path` for reading: a generation folder (a single
 * database, or a sharded one: its index.stub with its aux), a database
 * folder, or a stub file.  A stub file's local database is the folder
 * `aux` next to it, unless a comment line "#teilhabe-aux PATH" (relative
 * to the stub's folder) names another; a stub without either is searched
 * as it is (remote shards then give no spelling, synonyms or metadata).
 * Owned result (kbx_db_close). */
struct kbx_db;
kb_status kb_index_open(const char *path, struct kbx_db **ret_db,
                        char **reterr_msg);

/* For a stub file `path`: a hash of what names the state of it and its
 * local databases (the stub, each local database's version file, the
 * stubs xapian-replicate keeps in a replica folder), which changes when
 * the stub is replaced, a database commits or a replica switches to a
 * new copy - Database::reopen() notices only the second.  Remote shards
 * are not looked at.  A constant for anything else. */
uint64_t kb_index_fingerprint(const char *path);

/* Called after each article; return false to abort the build.  A build
 * calls it from its writer threads (of its shards or parts), one at a
 * time. */
typedef bool (*kb_index_progress)(size_t done, size_t total, void *ctx);

/* Builds a complete index of `corpus` in a new generation directory for
 * the index path `dbpath` and publishes it.  On failure nothing visible
 * changes.  *ret_gen (may be NULL) receives the new generation's path
 * (owned). */
kb_status kb_index_build(const kb_corpus *corpus, const char *dbpath,
                         kb_index_progress progress, void *ctx, char **ret_gen,
                         char **reterr_msg);

/* How many parts a full build of a single database writes at once, one
 * thread each, before merging them: 0 (the default) for one per core;
 * fewer when there are few records.  Process-wide; the index is the same
 * whatever the number. */
void kb_index_set_jobs(unsigned jobs);

/* How many distinct words each thread of a build remembers (their stems,
 * compound parts and spelling counts; about 200 bytes each): 0 (the
 * default) for 524,288.  Words past it are split again at each
 * occurrence.  Process-wide; the index is the same whatever the number. */
void kb_index_set_word_memo(size_t words);

/* Starts reading the compound dictionaries (and the corpus' own
 * compounds.txt) for a full build of the corpus in `corpus_dir` on a
 * thread of its own, while the caller loads the corpus: the next full
 * build of a corpus loaded from that same path takes them instead of
 * reading them itself (a quarter of a second at 10,000 records, on one
 * core).  Optional; at most one at a time (a second call before
 * kb_index_prefetch_release does nothing).  Not thread-safe against a
 * build running at the same time on another thread. */
void kb_index_prefetch_dictionaries(const char *corpus_dir);

/* Waits for and frees what kb_index_prefetch_dictionaries read and no
 * build took (an update that needed no full build). */
void kb_index_prefetch_release(void);

/* kb_index_build() into `shards` shards (1 .. KB_INDEX_SHARDS_MAX; 1 is
 * a single database), written by one thread per shard. */
kb_status kb_index_build_shards(const kb_corpus *corpus, const char *dbpath,
                                unsigned shards, kb_index_progress progress,
                                void *ctx, char **ret_gen, char **reterr_msg);

/* What an update did. */
typedef struct kb_index_report {
  bool full; /* a complete new generation was built */
  size_t added, changed, removed, unchanged;
} kb_index_report;

/* Brings the index at `dbpath` up to date with `corpus`.  When an index
 * of the same schema and configuration (vocabulary, synonyms, citations)
 * exists and `full` is false, only added, changed (by content hash) and
 * removed articles are written, into a copy of the current generation
 * that is then published - readers see the old or the new revision,
 * never a mix.  Otherwise a full build into a new generation
 * (kb_index_build).  On failure nothing visible changes.  *ret_report
 * may be NULL. */
kb_status kb_index_update(const kb_corpus *corpus, const char *dbpath,
                          bool full, kb_index_progress progress, void *ctx,
                          kb_index_report *ret_report, char **reterr_msg);

/* kb_index_update() with `shards` shards (0: as many as the current
 * index has, 1 for a new one).  Another number than the current index
 * has means a full build; an update writes each changed record into the
 * shard that holds it. */
kb_status kb_index_update_shards(const kb_corpus *corpus, const char *dbpath,
                                 unsigned shards, bool full,
                                 kb_index_progress progress, void *ctx,
                                 kb_index_report *ret_report,
                                 char **reterr_msg);

/* Resolves `dbpath` to the generation directory it names right now
 * (for readers that want to notice a swap).  Owned result; for a plain
 * directory (an index not managed by us) returns that path itself. */
kb_status kb_index_current(const char *dbpath, char **ret_dir,
                           char **reterr_msg);

/* ---- one writer at a time ---------------------------------------------- */

typedef struct kb_index_lock kb_index_lock;

/* Takes the writers' lock of the index at `dbpath` (flock(2) on
 * <dbpath>.gen/.lock), waiting up to `wait_ms` milliseconds for another
 * writer to finish: KB_ERR_DB_LOCKED if it does not.  With the lock
 * held, removes what killed runs left behind: unpublished generations
 * and temporary links (never the published generation or the one before
 * it); *ret_removed (may be NULL) is the number of generations removed.
 * Every run that calls kb_index_update() or kb_index_build() where
 * another may run at the same time holds this lock.  Owned: release
 * with kb_index_lock_release() (the lock also ends with the process). */
kb_status kb_index_lock_take(const char *dbpath, unsigned wait_ms,
                             kb_index_lock **ret_lock, size_t *ret_removed,
                             char **reterr_msg);

/* Releases the lock; NULL is fine. */
void kb_index_lock_release(kb_index_lock *lock);

/* ---- noticing a changed generation ------------------------------------- */

/* A sharded generation has about 7 files per database. */
#define KB_INDEX_STAMP_FILES 128

typedef struct kb_index_stamp_file {
  char name[32];
  unsigned long long ino, size;
  long long mtime_sec;
  long mtime_nsec;
} kb_index_stamp_file;

/* What the files of a generation look like on disk now (inode, size,
 * mtime), for a reader to notice a change with a few stat(2) calls. */
typedef struct kb_index_stamp {
  size_t n;
  kb_index_stamp_file f[KB_INDEX_STAMP_FILES];
} kb_index_stamp;

/* Takes the stamp of the generation folder `gen` (caller-owned struct,
 * written only on success). */
kb_status kb_index_stamp_take(const char *gen, kb_index_stamp *ret_stamp,
                              char **reterr_msg);

/* Compares the files of `gen` with `stamp`: KB_OK if unchanged;
 * KB_ERR_DB_OPENING if a file was removed or replaced by another (a
 * reader that has it open still reads the old, intact one);
 * KB_ERR_DB_CORRUPT if a file was changed in place (nothing read from it
 * can be trusted). */
kb_status kb_index_stamp_check(const char *gen, const kb_index_stamp *stamp,
                               char **reterr_msg);

/* Reads every file of `gen` and compares it with the stamp written when
 * it was published: KB_ERR_DB_CORRUPT if any file differs.  KB_OK for a
 * generation without a stamp (older, or not made by teilhabe).  Reads the
 * whole index once (about 20 ms for 10 MB). */
kb_status kb_index_stamp_verify(const char *gen, char **reterr_msg);

#endif
