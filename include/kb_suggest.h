/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_suggest.h - completions for a search box as the user types.
 *
 * "BEM Einglie" -> "BEM Eingliederungsmanagement" ...
 * The last word of the query is normalised as the index sees it
 * (kb_normalize) and completed with whole words of titles and keywords
 * fields ("XW" terms) or single-word synonym keys, each ranked by the
 * records it leads to.  With earlier words, only records those words
 * lead to count (their inflected forms and synonyms included), so
 * "rechte Hand" offers no "Handy".  The words before the last are kept
 * as typed.
 *
 * Built for the autocomplete endpoint, which must answer in well under
 * 10 ms: the query is bounded (KB_SUGGEST_QUERY_MAX bytes), each term
 * scan stops after KB_SUGGEST_SCAN_MAX terms, at most 48 candidates are
 * scored, record sets are capped, and results go into a caller-owned
 * fixed array.
 *
 * A kb_suggester is one reader of the index (like kb_searcher, it follows
 * a newly published generation on kb_suggester_refresh) and is used by one
 * thread at a time.
 *
 * Depends on kb_analysis, kb_index, kb_xapian and kb_buf.
 */
#ifndef KB_SUGGEST_H
#define KB_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "kb_analysis.h"
#include "kb_status.h"

struct kbx_db;

/* Longest query accepted, in bytes. */
#define KB_SUGGEST_QUERY_MAX 100
/* Most completions returned. */
#define KB_SUGGEST_MAX 10
/* Fewest characters of a last word that are completed. */
#define KB_SUGGEST_MIN_CHARS 2
/* Most terms read per prefix scan. */
#define KB_SUGGEST_SCAN_MAX 4000
/* Room for one completion: the query's earlier words plus one word. */
#define KB_SUGGEST_TEXT_MAX (KB_SUGGEST_QUERY_MAX + KB_WORD_MAX * 3 + 1)

/* Completions, best first; caller-owned (usually on the stack). */
typedef struct kb_completions {
  size_t n;
  char text[KB_SUGGEST_MAX][KB_SUGGEST_TEXT_MAX];
} kb_completions;

/* Completes the last word of `q` (`len` bytes, UTF-8) from the terms of
 * `db`, normalising with `an` (both borrowed).  Fills *ret with at most
 * KB_SUGGEST_MAX completions (none for an empty query, a query ending in
 * a space or a last word shorter than KB_SUGGEST_MIN_CHARS).  Fails with
 * KB_ERR_LIMIT when `len` > KB_SUGGEST_QUERY_MAX and KB_ERR_INVALID for
 * text that is not UTF-8; *ret is then untouched.  KB_ERR_NOMEM when a
 * record set cannot grow. */
kb_status kb_suggest(struct kbx_db *db, kb_analyzer *an, const char *q,
                     size_t len, kb_completions *ret, char **reterr_msg);

typedef struct kb_suggester kb_suggester;

/* Opens the index at `dbpath` (see kb_index.h) for completions.  Owned
 * result (kb_suggester_close). */
kb_status kb_suggester_open(const char *dbpath, kb_suggester **ret_sg,
                            char **reterr_msg);
/* Closes and frees; NULL is fine. */
void kb_suggester_close(kb_suggester *sg);

/* Follows a newly published generation or commit (one readlink when
 * nothing changed).  On failure the old index stays in use. */
kb_status kb_suggester_refresh(kb_suggester *sg, char **reterr_msg);

/* kb_suggest over the suggester's index and analyzer. */
kb_status kb_suggester_complete(kb_suggester *sg, const char *q, size_t len,
                                kb_completions *ret, char **reterr_msg);

#endif
