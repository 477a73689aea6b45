/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_query.h - turning what a person typed into a Xapian query.
 *
 * The parser is total: every input yields a query (possibly empty), never
 * an error, because a search box must not answer "syntax error".  Syntax:
 *   word            all words must match (stopwords are not required)
 *   "a phrase"      words adjacent and in order
 *   -word, -"a b"   exclude (also NOT word)
 *   a OR b          either (also ODER)
 *   titel:word      in the title; typ:, zielgruppe:, behinderung:, norm:,
 *                   thema: filter by a facet or topic
 *   verw*           words starting with "verw" (bounded expansion)
 *   § 167 SGB IX    legal citations, also "167 SGB IX", "Art. 9 DSGVO";
 *                   renumbered ones ("§ 84 SGB IX") also find today's
 * Synonyms from the index's synonym table widen single words and phrases
 * of up to three words; a compound word also matches its parts
 * ("Arbeitsplatzanpassung" finds "Anpassung des Arbeitsplatzes"), ranked
 * below the compound itself.
 *
 * Depends on kb_xapian, kb_analysis, kb_cite, kb_text.
 */
#ifndef KB_QUERY_H
#define KB_QUERY_H

#include <stdbool.h>

#include "kb_analysis.h"
#include "kb_compound.h"
#include "kb_text.h"
#include "kb_vocab.h"
#include "kb_xapian.h"

typedef struct kb_query_plan {
  kbx_query *query;  /* weighted part; NULL when there is none */
  kbx_query *filter; /* boolean part from field prefixes; NULL if none */
  size_t positives;  /* number of required groups */
  bool explicit_or;  /* the user wrote OR */
  bool has_negation;
  /* The query with each misspelt word replaced by Xapian's suggestion,
   * or NULL when no word needed one. */
  char *suggestion;
  kb_strv citations; /* canonical forms of the citations recognised,
                        "§ 84 SGB IX (heute § 167 SGB IX)" if renumbered */
  /* How the words were read (for `teilhabe explain`): the topic words
   * searched for, the function words passed over, and how many of the
   * topic words a document must contain (graded matching). */
  kb_strv topic_words, skipped_words;
  size_t words_needed;
  /* Function words were passed over: a sentence or question, whose
   * topic words are graded (any of them) and ranked with
   * KB_BM25_K1_SENTENCE; else keywords, all of which are needed. */
  bool sentence;
  /* A word is a compound the index has neither whole nor (necessarily)
   * with all its parts: the fallback can widen it (kb_search). */
  bool unknown_compound;
  /* For a query that requires all of two or more topic words: the same
   * words graded (any of them, those with all far ahead), to fill a page
   * that too few records with all of them leave short; else NULL. */
  kbx_query *fill;
  /* A misspelt word of a sentence also searches its correction (the
   * word of `suggestion`), weighted a little below the words typed. */
  bool with_suggestion;
  /* A wildcard the query requires or offers began with fewer than
   * three letters ("Be*"): it is not expanded and matches nothing, which
   * the user is told (an excluded one, "-Be*", is not marked).  _only:
   * such wildcards are all the query asks for. */
  bool short_wildcard, short_wildcard_only;
} kb_query_plan;

/* How kb_query_build reads a query (flags, or'd). */
enum {
  /* Required groups OR'd instead of AND'd, an unknown compound's parts
   * searched alone: the fallback when nothing is found. */
  KB_QUERY_RELAXED = 1u << 0,
  /* The words as typed: a misspelt word of a sentence does not also
   * search its correction (the user asked for it, `exakt`). */
  KB_QUERY_AS_TYPED = 1u << 1,
};

/* Builds the plan for `q`, read as `flags` (KB_QUERY_*) say.  Errors are
 * only resource or backend failures. */
kb_status kb_query_build(kb_analyzer *an, kbx_db *db, const kb_vocab *vocab,
                         const kb_lexicon *lex, const char *q, unsigned flags,
                         kb_query_plan *ret_plan, char **reterr_msg);
void kb_query_plan_release(kb_query_plan *plan);

/* BM25's k1 and b for `plan` (kb_layout.h): a sentence's or keywords'. */
void kb_query_bm25(const kb_query_plan *plan, double *ret_k1, double *ret_b);

#endif
