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
 * - words are analysed as in the index (kb_analysis.h).  A keyword
 *   query needs all its topic words (AND); when fewer records than the
 *   page holds have them, records with some follow below.  A sentence or
 *   question (it has function words) needs any of its topic words, those
 *   with more and rarer words first.  If nothing has all the words, the
 *   search relaxes to any word (OR) and says so (`relaxed`).
 * - relevance order is BM25, weighed by each kind's rank and by the links
 *   among the first results (docs/search.md).
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
 *   and `corrected` is set.  A sentence matches any of its words, so a
 *   misspelt one also searches its correction (`with_suggestion`).
 *   `no_correction` reads the words as typed: neither.
 *
 * Depends on kb_xapian, kb_analysis, kb_vocab, kb_buf, kb_cite, jansson.
 */
#ifndef KB_SEARCH_H
#define KB_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "kb_buf.h"
#include "kb_record.h"
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
/* Seconds one match (the hits, or one facet's counts) counts every
 * match before its totals and facet counts become estimates
 * (kbx_enquire_time_limit): a query matching most of a huge index
 * cannot hold a worker for long. */
#define KB_MATCH_TIME_LIMIT 0.5

/* Relevance, the Stand (newest first), or KB_SORT_DECLARED + k: sort k
 * of the schema (a date field such as a decision's date, newest first). */
typedef enum kb_sort {
  KB_SORT_RELEVANCE,
  KB_SORT_UPDATED,
  KB_SORT_DECLARED
} kb_sort;

/* The name of sort `s` ("relevance", "updated", "datum"). */
const char *kb_sort_name(const kb_schema *sc, kb_sort s);

typedef struct kb_search_request {
  const kb_schema *schema; /* whose facets `filters` are indexed by (the
                              searcher's; NULL when no filter is set) */
  const char *query;       /* UTF-8; NULL or "" to browse */
  /* By facet index of the schema (kb_schema_facet). */
  const char *filters[KB_SCHEMA_MAX_FACETS][KB_FILTER_MAX_VALUES];
  size_t nfilters[KB_SCHEMA_MAX_FACETS];
  unsigned page;     /* 1-based; 0 means 1 */
  unsigned per_page; /* 0 means KB_PER_PAGE_DEFAULT */
  kb_sort sort;
  bool no_correction; /* the words as typed ("exakt"): a zero-result
                         query is not replaced by its suggestion, nor a
                         question's misspelt word also searched as
                         corrected */
} kb_search_request;

typedef struct kb_hit {
  const kb_record *rec; /* the stored record's header (owned by the result) */
  const char *id, *kind, *title, *summary, *updated; /* from rec */
  const char *url;                                   /* "/<kind>/<id>" */
  const char *label;   /* what it is: the first enum of its facts box
                          ("Rechtliche Ansprüche", "Bundesarbeitsgericht"),
                          else its kind ("Begriff") */
  const char *snippet; /* HTML: escaped text with <mark> around matches */
  double score;        /* Xapian's weight (0 when browsing) */
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

/* What to tell a person whose search has short_wildcard set: the rule
 * and what to type instead (German; plain text without HTML specials,
 * so the page, the command line and any other client use it as is). */
#define KB_SHORT_WILDCARD_HINT                                                  \
  "Ein Sternchen (*) ergänzt nur Wortanfänge ab drei Buchstaben, etwa "       \
  "„Arb*“ für Arbeit, Arbeitgeber und Arbeitsplatz. Ein kürzerer Anfang " \
  "passt auf zu viele Wörter und wird nicht gesucht. Bitte geben Sie "         \
  "mindestens drei Buchstaben vor dem Sternchen ein."

typedef struct kb_search_result {
  kb_arena arena; /* owns every string and array below */
  const char *query;
  uint64_t total;
  unsigned page, per_page;
  kb_sort sort;
  kb_hit *hits;
  size_t nhits;
  kb_facet_list facets[KB_SCHEMA_MAX_FACETS]; /* by schema facet */
  size_t nfacets;
  const kb_record *definition; /* a record whose kind is looked up exactly
                                  (the glossary) and whose title or
                                  keywords equal the query, or NULL */
  const char *suggestion;      /* corrected query, or NULL */
  bool corrected;              /* hits are for `suggestion`, not `query` */
  bool with_suggestion;        /* a misspelt word of a sentence was also
                                  searched as spelt in `suggestion` */
  bool relaxed;                /* no article had all words; any word counted */
  bool short_wildcard;         /* a wildcard began with fewer than three
                                  letters ("Be*") and matched nothing */
  bool short_wildcard_only;    /* ... and was all the query asked for */
  const char *citation_note;   /* e.g. "heute § 167 SGB IX", or NULL */
  bool browsing;               /* empty query: filters only */
  kb_record **owned;           /* the hits' records, freed with the result */
  size_t nowned, capowned;
} kb_search_result;

typedef struct kb_searcher kb_searcher;

/* Opens the index at `dbpath` (see kb_index.h).  Owned result. */
kb_status kb_searcher_open(const char *dbpath, kb_searcher **ret_searcher,
                           char **reterr_msg);
void kb_searcher_close(kb_searcher *s);

/* Follows a newly published generation and checks that the files of
 * the one open are as they were published.  Cheap: one readlink and a
 * stat(2) per file.  KB_OK when the searcher reads the published index;
 * KB_ERR_DB_OPENING when the index is gone or replaced by one that cannot
 * be opened (the searcher still reads the generation it has open);
 * KB_ERR_DB_CORRUPT when files of the open generation were changed in
 * place - then kb_searcher_damaged() is true until a new generation is
 * published and opened. */
kb_status kb_searcher_refresh(kb_searcher *s, bool *ret_changed,
                              char **reterr_msg);

/* True when the generation open now was changed after it was published:
 * nothing may be read through this searcher (Xapian could read garbage,
 * and Xapian 1.4 does not bounds-check all of it). */
bool kb_searcher_damaged(const kb_searcher *s);

/* After a failed request: for a searcher on a stub file, asks its
 * databases at once whether they are still there (a remote shard's
 * server may have gone away) and opens the stub again if not; true when
 * that fails too - then kb_searcher_damaged() is true and stays so until
 * a kb_searcher_refresh() opens it again.  Otherwise the same as
 * kb_searcher_damaged(). */
bool kb_searcher_lost(kb_searcher *s);

/* Reads from the index (one metadata entry) as a health check. */
kb_status kb_searcher_probe(kb_searcher *s, char **reterr_msg);

/* The vocabulary stored in the index (borrowed, valid until the next
 * refresh that reports a change). */
const kb_vocab *kb_searcher_vocab(const kb_searcher *s);
uint64_t kb_searcher_doccount(const kb_searcher *s);

/* Writes what names the state of the index this searcher reads - its
 * generation and Xapian revision, "<generation dir>@<revision>" - to
 * `buf` (`cap` bytes).  Anything derived from the index alone may be
 * cached under it: a re-index changes it.  False (buf untouched) when the
 * revision cannot be read or `cap` is too small. */
bool kb_searcher_version(kb_searcher *s, char *buf, size_t cap);

/* Which index is open, for monitoring (/api/version): the generation
 * directory (borrowed, valid until the next refresh that reports a
 * change) and its committed Xapian revision (0 if it cannot be read). */
const char *kb_searcher_generation(const kb_searcher *s);
uint64_t kb_searcher_revision(kb_searcher *s);

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

/* The stored record `id` of any kind, with its body.  Owned
 * (kb_record_free); KB_ERR_NOT_FOUND if no such id. */
kb_status kb_searcher_record(kb_searcher *s, const char *id,
                             kb_record **ret_record, char **reterr_msg);

/* A list of records (kb_record_list_free frees them all). */
typedef struct kb_record_list {
  kb_record **v;
  size_t n;
} kb_record_list;
void kb_record_list_free(kb_record_list *l);

/* Up to `max` records similar to `id` (relevance feedback on its own
 * terms), best first, headers only.  The record itself and `exclude` ids
 * are left out. */
kb_status kb_searcher_similar(kb_searcher *s, const char *id, size_t max,
                              const char *const *exclude, size_t nexclude,
                              kb_record_list *ret_list, char **reterr_msg);

/* Up to `max` records whose body links to `id`, newest first (headers
 * only): the articles that cite a decision. */
kb_status kb_searcher_linking(kb_searcher *s, const char *id, size_t max,
                              kb_record_list *ret_list, char **reterr_msg);

/* Every record of kind `kind`, by title (headers only; at most `max`). */
kb_status kb_searcher_kind(kb_searcher *s, const char *kind, size_t max,
                           kb_record_list *ret_list, char **reterr_msg);

#endif
