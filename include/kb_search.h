/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_search.h - from a search request to a result: the one search
 * function behind the CLI, the HTML pages and the JSON API.
 *
 * A kb_searcher is one reader of the index, owned by one thread at a time
 * (the server keeps one per worker thread).  It notices when the indexer
 * has published a new generation or committed a new revision
 * (kb_searcher_refresh) and follows it without a restart.
 *
 * Semantics:
 * - words are analysed as in the index (kb_analysis.h); all non-stopword
 *   words must match (AND).  If that finds nothing, the search relaxes to
 *   any word (OR) and says so (`relaxed`).
 * - "phrases", -exclusions, OR, field prefixes (titel:, typ:, zielgruppe:,
 *   behinderung:, norm:, thema:), trailing * (bounded expansion) and legal
 *   citations ("§ 167 SGB IX", "167 SGB IX") are understood.  A malformed
 *   query never fails: what cannot be parsed is searched as words.
 * - synonyms from the corpus (BEM <-> Betriebliches Eingliederungsmanagement)
 *   are applied from the index's synonym table.
 * - facet filters: values of one facet OR, different facets AND.  Facet
 *   counts reflect the query and the other facets' filters, so a chosen
 *   value keeps showing its alternatives.
 * - an empty query browses: every article matching the filters, newest
 *   first.  KB_SORT_UPDATED orders by Stand, newest first.
 * - a misspelt word gets a `suggestion`; when the query finds nothing and
 *   the suggestion finds something, the suggestion's results are shown
 *   and `corrected` is set.
 *
 * Depends on kb_xapian, kb_analysis, kb_vocab, kb_buf, kb_cite, jansson.
 */
#ifndef KB_SEARCH_H
#define KB_SEARCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "kb_buf.h"
#include "kb_status.h"
#include "kb_vocab.h"

/* Bounds on a request; past them kb_search_validate fails with a
 * message that says which bound. */
#define KB_QUERY_MAX_BYTES 500
#define KB_PAGE_MAX 1000
#define KB_PER_PAGE_MAX 50
#define KB_PER_PAGE_DEFAULT 10
#define KB_FILTER_MAX_VALUES 20
#define KB_FILTER_MAX_BYTES 100

typedef enum kb_sort { KB_SORT_RELEVANCE, KB_SORT_UPDATED } kb_sort;

typedef struct kb_search_request {
  const char *query; /* UTF-8; NULL or "" to browse */
  const char *filters[KB_FACET_COUNT][KB_FILTER_MAX_VALUES];
  size_t nfilters[KB_FACET_COUNT];
  unsigned page;     /* 1-based; 0 means 1 */
  unsigned per_page; /* 0 means KB_PER_PAGE_DEFAULT */
  kb_sort sort;
  bool no_correction; /* do not replace a zero-result query by its
                         suggestion (the user said "search as typed") */
} kb_search_request;

typedef struct kb_hit {
  const char *id, *title, *type, *type_label, *summary, *updated;
  const char *snippet; /* HTML: escaped text with <mark> around matches */
  double score;        /* Xapian's weight (0 when browsing) */
  int percent;
} kb_hit;

typedef struct kb_facet_value {
  const char *value, *label;
  uint64_t count;
  bool selected;
} kb_facet_value;

typedef struct kb_facet_list {
  kb_facet_value *values;
  size_t n;
} kb_facet_list;

typedef struct kb_search_result {
  kb_arena arena; /* owns every string and array below */
  const char *query;
  uint64_t total;
  unsigned page, per_page;
  kb_sort sort;
  kb_hit *hits;
  size_t nhits;
  kb_facet_list facets[KB_FACET_COUNT];
  const char *suggestion;    /* corrected query, or NULL */
  bool corrected;            /* hits are for `suggestion`, not `query` */
  bool relaxed;              /* no article had all words; any word counted */
  const char *citation_note; /* e.g. "heute § 167 SGB IX", or NULL */
  bool browsing;             /* empty query: filters only */
} kb_search_result;

typedef struct kb_searcher kb_searcher;

/* Opens the index at `dbpath` (see kb_index.h).  Owned result. */
kb_status kb_searcher_open(const char *dbpath, kb_searcher **ret_searcher,
                           char **reterr_msg);
void kb_searcher_close(kb_searcher *s);

/* Follows a newly published generation or commit.  Cheap when nothing
 * changed (one readlink and Xapian's revision check). */
kb_status kb_searcher_refresh(kb_searcher *s, bool *ret_changed,
                              char **reterr_msg);

/* The vocabulary stored in the index (borrowed, valid until the next
 * refresh that reports a change). */
const kb_vocab *kb_searcher_vocab(const kb_searcher *s);
uint64_t kb_searcher_doccount(const kb_searcher *s);

/* The searcher's parts, for tools that analyse words exactly as the
 * search does (`teilhabe analyze`): borrowed, valid until the next
 * refresh; the lexicon may be NULL (then words are not split). */
struct kb_lexicon;
struct kb_analyzer;
struct kbx_db;
const struct kb_lexicon *kb_searcher_lexicon(const kb_searcher *s);
struct kb_analyzer *kb_searcher_analyzer(kb_searcher *s);
struct kbx_db *kb_searcher_db(kb_searcher *s);

/* Checks bounds and values of a request.  KB_ERR_INVALID or KB_ERR_LIMIT
 * with a message fit for a 400 answer. */
kb_status kb_search_validate(const kb_searcher *s, const kb_search_request *req,
                             char **reterr_msg);

/* Runs a (validated) search.  *ret_result is owned
 * (kb_search_result_free). */
kb_status kb_search(kb_searcher *s, const kb_search_request *req,
                    kb_search_result **ret_result, char **reterr_msg);
void kb_search_result_free(kb_search_result *r);

/* The stored record of article `id` as JSON (new reference: id, title,
 * type, summary, updated, audience, disabilities, topics, norms, laws,
 * sources, related, body_html, text).  KB_ERR_NOT_FOUND if no such id. */
kb_status kb_searcher_article(kb_searcher *s, const char *id,
                              json_t **ret_article, char **reterr_msg);

/* Up to `max` articles similar to `id` (relevance feedback on its own
 * terms), best first, as an array of {id, title, type, summary, updated}
 * (new reference).  The article itself and `exclude` ids are left out. */
kb_status kb_searcher_similar(kb_searcher *s, const char *id, size_t max,
                              const char *const *exclude, size_t nexclude,
                              json_t **ret_list, char **reterr_msg);

#endif
