/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * search_internal.h - the kb_searcher, shared by searcher.c (its
 * lifecycle) and search.c (running searches) (not public).
 */
#ifndef KB_SEARCH_INTERNAL_H
#define KB_SEARCH_INTERNAL_H

#include <stdint.h>

#include "kb_analysis.h"
#include "kb_compound.h"
#include "kb_hits.h"
#include "kb_index.h"
#include "kb_search.h"
#include "kb_vocab.h"
#include "kb_xapian.h"

struct kb_searcher {
  char *dbpath;
  char *current; /* the generation directory open now */
  kbx_db *db;
  /* Its files as they were when opened: a change in place means Xapian
   * would read what nobody checked (damaged: never read it again). */
  kb_index_stamp stamp;
  bool damaged;
  /* Opened from a stub file given as the index (not a generation):
   * reopened by path when kb_index_fingerprint() changes. */
  bool stubfile;
  /* An inotify descriptor (-1: none) watching the folder of the index
   * link (`watch_dir`, as `watch_link`) and, as `watch_gen`, the
   * generation open now: while neither changed since the last look came
   * out clean (`clean`, at `looked_at`), a request looks at nothing on
   * disk for up to a second (searcher.c, kb_searcher_refresh). */
  int watch, watch_link, watch_gen;
  char *watch_dir;
  bool clean;
  double looked_at;
  uint64_t fingerprint;
  double reopened_at; /* CLOCK_MONOTONIC seconds of the last reopen() */
  /* The generation's hit store (kb_hits.h); NULL: read the hits'
   * values through Xapian. */
  kb_hits *hits;
  kb_analyzer *an;
  kb_vocab *vocab;
  const kb_lexicon *lex; /* shared, from lexicon_acquire; may be NULL */
  uint64_t doccount;
  /* The rank of each docid's kind (kb_schema.h), built on first use and
   * dropped when the index changes: re-weighing results by kind reads
   * no document. */
  float *kind_rank;
  size_t nkind_rank;
  /* The records each docid's body links to (search_links.c), likewise:
   * link_to[link_start[d] .. link_start[d + 1]). */
  uint32_t *link_start, *link_to;
  size_t nlink_docs;
  bool links_built;
};

/* The weight of document `did`'s results: its kind's rank times the
 * ranks of its facet values (kb_sfacet.ranks; 1 when unknown); builds
 * the table on first use. */
double kbi_kind_rank(kb_searcher *s, uint32_t did);

/* The docids of the records document `did` links to, in *ret_to
 * (borrowed, valid until the index changes), and how many; builds the
 * table on first use (search_links.c). */
size_t kbi_links(kb_searcher *s, uint32_t did, const uint32_t **ret_to);

/* Drops the link table (when the index changes or the searcher goes). */
void kbi_links_release(kb_searcher *s);

/* Sets r->definition (searcher.c) when `query` is exactly the title or a
 * keyword of a record of a kind looked up exactly (the glossary). */
kb_status kbi_definition(kb_searcher *s, const char *query, kb_search_result *r,
                         char **reterr_msg);

#endif
