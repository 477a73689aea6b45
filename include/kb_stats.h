/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_stats.h - the editorial report: what the corpus holds and what needs
 * care.  Computed from a corpus folder or from an index (both give the
 * same numbers), plus, optionally, the zero-result log.
 *
 * Depends on kb_corpus, kb_vocab, kb_record, kb_buf, kb_xapian.
 */
#ifndef KB_STATS_H
#define KB_STATS_H

#include <stddef.h>

#include "kb_buf.h"
#include "kb_corpus.h"

#define KB_ZERO_LOG_MAX_BYTES (64u << 20)

typedef struct kb_stats_article {
  const char *id, *title, *kind, *updated;
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
  /* Per facet of the schema (laws have no list: NULL): every kind or
   * vocabulary value, in declared order, with its count. */
  kb_stats_count *per[KB_SCHEMA_MAX_FACETS];
  size_t nper[KB_SCHEMA_MAX_FACETS];
  const char *facet_names[KB_SCHEMA_MAX_FACETS];  /* "kind", "type" */
  const char *facet_labels[KB_SCHEMA_MAX_FACETS]; /* German headings */
  size_t nfacets;
  size_t age[KB_AGE_BUCKETS];
  kb_stats_article *stale; /* older than their kind's `stale` rule */
  size_t nstale;
  kb_stats_article *islands; /* no link in or out */
  size_t nislands;
  kb_stats_query *zero; /* most frequent zero-result queries */
  size_t nzero;
  size_t zero_total;   /* lines in the zero-result log */
  kb_stats_query *low; /* most frequent queries with one or two results */
  size_t nlow;
  size_t low_total;
} kb_stats;

/* From a loaded corpus.  `today` is "YYYY-MM-DD" (NULL: today, UTC). */
kb_status kb_stats_from_corpus(const kb_corpus *corpus, const char *today,
                               kb_stats **ret_stats, char **reterr_msg);
/* From the index at `dbpath` (see kb_index.h). */
kb_status kb_stats_from_index(const char *dbpath, const char *today,
                              kb_stats **ret_stats, char **reterr_msg);
/* Reads a zero-result log (lines "YYYY-MM-DD<TAB>query", and for queries
 * with one or two results "YYYY-MM-DD<TAB>N<TAB>query") and keeps the
 * `top` most frequent queries.  KB_ERR_NOT_FOUND if the file is absent. */
kb_status kb_stats_read_zero_log(kb_stats *stats, const char *path, size_t top,
                                 char **reterr_msg);
void kb_stats_free(kb_stats *stats);

/* The report as JSON text (owned; NULL without memory). */
char *kb_stats_json(const kb_stats *stats);

#endif
