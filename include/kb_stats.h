/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_stats.h - the editorial report: what the corpus holds and what needs
 * care.  Computed from a corpus folder or from an index (both give the
 * same numbers), plus, optionally, the zero-result log.
 *
 * Depends on kb_corpus, kb_vocab, kb_buf, kb_xapian, jansson.
 */
#ifndef KB_STATS_H
#define KB_STATS_H

#include <jansson.h>
#include <stddef.h>

#include "kb_buf.h"
#include "kb_corpus.h"

/* `recht` and `foerderung` articles older than this are stale. */
#define KB_STALE_MONTHS 12
#define KB_ZERO_LOG_MAX_BYTES (64u << 20)

typedef struct kb_stats_article {
  const char *id, *title, *type, *updated;
} kb_stats_article;

typedef struct kb_stats_count {
  const char *key, *label;
  size_t count;
} kb_stats_count;

typedef struct kb_stats_query {
  const char *query;
  size_t count;
} kb_stats_query;

/* Age buckets of `updated`, relative to `today`. */
enum { KB_AGE_6M, KB_AGE_12M, KB_AGE_24M, KB_AGE_OLDER, KB_AGE_BUCKETS };

typedef struct kb_stats {
  kb_arena arena; /* owns everything below */
  char today[11];
  size_t total;
  kb_stats_count *per[KB_VOCAB_FACETS]; /* every vocabulary value, in
                                           vocabulary order, with count */
  size_t nper[KB_VOCAB_FACETS];
  size_t age[KB_AGE_BUCKETS];
  kb_stats_article *stale; /* recht/foerderung older than 12 months */
  size_t nstale;
  kb_stats_article *islands; /* no link in or out */
  size_t nislands;
  kb_stats_query *zero; /* most frequent zero-result queries */
  size_t nzero;
  size_t zero_total; /* lines in the zero-result log */
} kb_stats;

/* From a loaded corpus.  `today` is "YYYY-MM-DD" (NULL: today, UTC). */
kb_status kb_stats_from_corpus(const kb_corpus *corpus, const char *today,
                               kb_stats **ret_stats, char **reterr_msg);
/* From the index at `dbpath` (see kb_index.h). */
kb_status kb_stats_from_index(const char *dbpath, const char *today,
                              kb_stats **ret_stats, char **reterr_msg);
/* Reads a zero-result log (lines "YYYY-MM-DD<TAB>query") and keeps the
 * `top` most frequent queries.  KB_ERR_NOT_FOUND if the file is absent. */
kb_status kb_stats_read_zero_log(kb_stats *stats, const char *path, size_t top,
                                 char **reterr_msg);
void kb_stats_free(kb_stats *stats);

/* The report as JSON (new reference). */
json_t *kb_stats_json(const kb_stats *stats);

#endif
