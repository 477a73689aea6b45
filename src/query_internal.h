/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * query_internal.h - what query.c (lexing, fields, spelling, assembling
 * the plan) and query_words.c (one word's query: synonyms, everyday
 * words, compound and hyphen parts, derivations, prefixes) share; not
 * public.
 */
#ifndef KB_QUERY_INTERNAL_H
#define KB_QUERY_INTERNAL_H

#include "kb_analysis.h"
#include "kb_query.h"
#include "kb_xapian.h"

/* NFKC can grow text about elevenfold (U+FDFA becomes 33 bytes), so a
 * 500-byte query item can normalise to several KiB: buffers allow for
 * that, and anything longer than a term matches nothing, never fails. */
#define NORMALIZED_MAX (16 * 1024)

enum {
  MAX_ITEMS = 48,
  MAX_WORDS = 64,
  MAX_CITES = 8,
  MAX_SYNONYMS = 16,
  WILDCARD_MAX_EXPANSION = 40,
  /* A wildcard's beginning needs this many letters to be expanded: a
   * shorter one fits too many words ("Be*"). */
  WILDCARD_MIN_LETTERS = 3,
  SYN_SPAN = 3,
  /* Groups of a query: up to MAX_CITES citations, as many file numbers
   * and MAX_ITEMS items (before, 56 slots held 64 - fuzz-query). */
  MAX_GROUPS = MAX_ITEMS + 2 * MAX_CITES
};

typedef enum item_kind { IT_TEXT, IT_PHRASE, IT_WILDCARD, IT_FIELD } item_kind;

typedef struct item {
  item_kind kind;
  const char *s; /* the item's text inside the query copy */
  size_t len;
  size_t start; /* offset in the original query */
  int field;    /* QF_*: which field a "name:value" item names */
  size_t fidx;  /* the facet or keywords field of the schema */
  bool neg;
  bool or_next; /* "a OR b": this item OR the next */
} item;

typedef struct word {
  char w[KB_WORD_MAX + 1];
  char stem[KB_WORD_MAX * 2 + 8];
  /* A hyphenated word ("BEM-Erstgespräch") is searched joined and as its
   * parts: their stems, space-separated. */
  char hyphen_parts[KB_WORD_MAX * 2 + 8];
  int item;      /* index of the item it came from */
  bool single;   /* the item's only word (spelling may replace the item) */
  bool consumed; /* merged into a synonym span */
  kbx_query *q;  /* the group query, or NULL for a skipped stopword */
  /* The spelling table's correction of a word the index does not know
   * (query.c: spelling_fix), looked up once: "" when there is none. */
  char fix[KB_WORD_MAX + 1];
  bool fix_tried;
} word;

typedef struct builder {
  kb_analyzer *an;
  kbx_db *db;
  const kb_vocab *vocab;
  const kb_lexicon *lex;
  char **reterr_msg;
  kb_status st;
  item items[MAX_ITEMS];
  size_t nitems;
  word words[MAX_WORDS];
  size_t nwords;
  int cur_item;
  bool cur_single_done;
  /* The fallback when the query found nothing: groups OR'd, and an
   * unknown compound's parts each on their own (parts_query). */
  bool relaxed;
  bool unknown_compound; /* a word is a compound the index lacks */
} builder;

typedef struct collect {
  builder *b;
  int item;
  size_t count;    /* words (not parts) seen in this item */
  bool want_parts; /* phrases want the parts, text wants joined forms */
  kbx_query *phrase[MAX_WORDS];
  size_t nphrase;
  const char *prefix;
} collect;

/* Small query helpers (query.c): a term; a combination of `n` subqueries
 * (one copied as it is); freeing a list.  On failure b->st is set and
 * NULL returned. */
kbx_query *kbi_qterm(builder *b, const char *t);
/* The query of the words beginning with `prefix` (normalised; at most
 * `max` stems, the most frequent), as `prefix*` asks. */
kbx_query *kbi_prefix_query(builder *b, const char *prefix, unsigned max);
/* kbi_prefix_query for an addition to a query: a failure leaves the
 * query without it (NULL) instead of failing the search. */
kbx_query *kbi_prefix_query_quiet(builder *b, const char *prefix, unsigned max);
kbx_query *kbi_qcombine(builder *b, enum kbx_op op, kbx_query **subs, size_t n,
                        unsigned window);
void kbi_qfree_all(kbx_query **qs, size_t n);

/* query_words.c: analysis callbacks collecting a text item's words, or a
 * phrase's terms with c->prefix. */
bool kbi_collect_word(const kb_token *t, void *ctx);
bool kbi_collect_phrase(const kb_token *t, void *ctx);
/* Whether the synonym table has entries under `key`. */
bool kbi_has_synonyms(builder *b, const char *key);
/* Runs of 2-3 words with synonyms or everyday-word entries become one
 * group each. */
void kbi_phrase_synonyms(builder *b);
/* The group query of one word (see query_words.c). */
kbx_query *kbi_word_query(builder *b, word *w);

/* `base` OR `extra` weighted `f`; takes both (either may be NULL). */
kbx_query *kbi_or_weighted(builder *b, kbx_query *base, kbx_query *extra,
                           double f);

#endif
