/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_layout.h - how records are laid out in the Xapian index.
 *
 * One place for term prefixes and value slots, shared by the indexer and
 * the search, so the two cannot disagree.  Prefixes follow Omega's
 * conventions where one exists (Q unique id, S title, K keyword, Z stem);
 * our own start with X.  Bump KB_SCHEMA_VERSION when any of this changes:
 * a server refuses an index built with another version.
 */
#ifndef KB_LAYOUT_H
#define KB_LAYOUT_H

#define KB_SCHEMA_VERSION "9"

/* Bump when the terms or weights a record gets change in a way an index
 * of the same format can still be read with (e.g. citations in titles
 * weighted like titles, 2026-12-06): the next `teilhabe index` then
 * rebuilds every record instead of only the changed files. */
#define KB_TERMS_VERSION "2"

#define KB_PREFIX_ID "Q"    /* Q<id>: one per record, boolean */
#define KB_PREFIX_TITLE "S" /* ZS<stem>: title stems (no S<word> terms) */
#define KB_PREFIX_TOPIC "K" /* K<topic>: topics keywords, boolean */
/* Z<stem>, ZS<stem>: stems, positional.  Words are indexed only as their
 * stems (and a compound also as its parts' stems, at its position);
 * phrases match stems. */
#define KB_PREFIX_STEM "Z"
/* Facets: "XF" + the facet's name in upper case + ":" + value, boolean
 * (kb_sfacet.prefix); a norm facet's values are the laws, lower case. */
#define KB_PREFIX_CITE "XC"        /* XC<law>§<para>[.<abs>], weighted */
#define KB_PREFIX_FILENUMBER "XAZ" /* XAZ<key> (kb_filenumber.h), boolean */
#define KB_PREFIX_LINK "XR"        /* XR<id>: the body links to <id> */
#define KB_PREFIX_KIND "XK"        /* XK<kind>: every record, boolean */
/* XW<word>: a whole word of the title or of a keywords field (topics,
 * other names), boolean: what autocomplete offers (kb_suggest.h). */
#define KB_PREFIX_SUGGEST "XW"
/* Synonym-table keys of everyday words (laien.yaml): "L" + the normalised
 * word or phrase, "LZ" + the stem of a single word; one way. */
#define KB_PREFIX_LAY "L"
#define KB_PREFIX_EXACT                                                        \
  "XEX" /* XEX<phrase key>: title and keywords of                              \
           a kind looked up exactly */

enum kb_slot {
  KB_SLOT_UPDATED = 0, /* "YYYYMMDD": sort by Stand */
  KB_SLOT_HASH = 5,    /* 16 hex digits: the file's hash, for updates */
  /* The stored record (kb_record.h) is kept in two values, not in the
   * document data: Xapian deflates document data at every write (a tenth
   * of a build's CPU; docs/benchmarks.md) and at every read, values
   * neither.  KB_SLOT_HIT holds what a result list reads, the record up
   * to the end of its plain text (kb_record_hit_len); KB_SLOT_HTML the
   * rest, the body HTML.  Joined they are the record (KB_RECORD_SLOTS). */
  KB_SLOT_HIT = 6,
  KB_SLOT_HTML = 8,
  /* Every facet's values in one list, each element the facet's letter
   * (KB_FACET_TAG(i)) and the value: a search counts all facets with one
   * value read per match instead of one per facet. */
  KB_SLOT_FACETS = 7,
  KB_SLOT_FACET0 = 10, /* facet i: serialised list of its values */
  KB_SLOT_SORT0 = 30,  /* sort j on a date field: "YYYYMMDD" */
};

/* The first byte of facet i's elements in KB_SLOT_FACETS. */
#define KB_FACET_TAG(i) ((char)('A' + (i)))

/* The values that, joined in this order, are a document's stored record
 * (kb_record.h, its one codec); the document data is empty. */
#define KB_RECORD_SLOTS                                                        \
  { KB_SLOT_HIT, KB_SLOT_HTML }

/* Metadata keys. */
#define KB_META_SCHEMA "teilhabe.schema"
#define KB_META_VOCAB "teilhabe.vocab"
#define KB_META_BUILT "teilhabe.built"
#define KB_META_CONFIG "teilhabe.config"   /* hash of vocabulary & co. */
#define KB_META_LEXICON "teilhabe.lexicon" /* compound lexicon blob */

/* BM25's parameters, chosen on tests/relevance (docs/benchmarks.md).
 * For keywords, the defaults: a few words, each of which matters, and a
 * record that has one in its title or summary (boosted below) should
 * not be passed by one that repeats it more often ("BEM": the overview
 * before the articles on BEM agreements and BEM data). */
#define KB_BM25_K1 2.0
#define KB_BM25_B 0.75
/* For a sentence or question (kb_query_plan.sentence): a higher k1 keeps
 * counting a topic word's repetitions, so the record about the topic
 * passes those that share more of the question's everyday words once
 * each; a lower b punishes the long articles that explain a topic
 * less. */
#define KB_BM25_K1_SENTENCE 4.0
#define KB_BM25_B_SENTENCE 0.6

/* Word positions: fields are kept apart so a phrase never spans two. */
#define KB_POS_GAP 100

/* Within-document frequency boosts per field. */
#define KB_WDF_TITLE 5
#define KB_WDF_SUMMARY 2
#define KB_WDF_TOPIC 3
#define KB_WDF_BODY 1
#define KB_WDF_NORM 5

#endif
