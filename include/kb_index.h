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
 * Depends on kb_corpus, kb_analysis, kb_xapian, kb_schema and jansson.
 */
#ifndef KB_INDEX_H
#define KB_INDEX_H

#include <stddef.h>

#include "kb_corpus.h"

/* Called after each article; return false to abort the build. */
typedef bool (*kb_index_progress)(size_t done, size_t total, void *ctx);

/* Builds a complete index of `corpus` in a new generation directory for
 * the index path `dbpath` and publishes it.  On failure nothing visible
 * changes.  *ret_gen (may be NULL) receives the new generation's path
 * (owned). */
kb_status kb_index_build(const kb_corpus *corpus, const char *dbpath,
                         kb_index_progress progress, void *ctx, char **ret_gen,
                         char **reterr_msg);

/* What an update did. */
typedef struct kb_index_report {
  bool full; /* a complete new generation was built */
  size_t added, changed, removed, unchanged;
} kb_index_report;

/* Brings the index at `dbpath` up to date with `corpus`.  When an index
 * of the same schema and configuration (vocabulary, synonyms, citations)
 * exists and `full` is false, only added, changed (by content hash) and
 * removed articles are written, in one Xapian transaction on the current
 * generation - readers see the old or the new revision, never a mix.
 * Otherwise a full build into a new generation (kb_index_build).  On
 * failure nothing visible changes.  *ret_report may be NULL. */
kb_status kb_index_update(const kb_corpus *corpus, const char *dbpath,
                          bool full, kb_index_progress progress, void *ctx,
                          kb_index_report *ret_report, char **reterr_msg);

/* Resolves `dbpath` to the generation directory it names right now
 * (for readers that want to notice a swap).  Owned result; for a plain
 * directory (an index not managed by us) returns that path itself. */
kb_status kb_index_current(const char *dbpath, char **ret_dir,
                           char **reterr_msg);

#endif
