/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kb_schema.h - how articles are laid out in the Xapian index.
 *
 * One place for term prefixes and value slots, shared by the indexer and
 * the search, so the two cannot disagree.  Prefixes follow Omega's
 * conventions where one exists (Q unique id, S title, K keyword, Z stem);
 * our own start with X.  Bump KB_SCHEMA_VERSION when any of this changes:
 * a server refuses an index built with another version.
 */
#ifndef KB_SCHEMA_H
#define KB_SCHEMA_H

#define KB_SCHEMA_VERSION "3"

#define KB_PREFIX_ID "Q"          /* Q<id>: one per article, boolean */
#define KB_PREFIX_TITLE "S"       /* S<word>: title words, positional */
#define KB_PREFIX_TOPIC "K"       /* K<topic>: topics keywords, boolean */
#define KB_PREFIX_STEM "Z"        /* Z<stem>, ZS<stem>: stems */
#define KB_PREFIX_TYPE "XT"       /* XT<type key>, boolean */
#define KB_PREFIX_AUDIENCE "XA"   /* XA<audience key>, boolean */
#define KB_PREFIX_DISABILITY "XD" /* XD<disability key>, boolean */
#define KB_PREFIX_LAW "XL"        /* XL<law, lower case>, boolean: norm facet */
#define KB_PREFIX_CITE "XC"       /* XC<law>§<para>[.<abs>], weighted */

enum kb_slot {
  KB_SLOT_UPDATED = 0,    /* "YYYYMMDD": sort by Stand */
  KB_SLOT_TYPE = 1,       /* type key: facet */
  KB_SLOT_AUDIENCE = 2,   /* serialised list: facet */
  KB_SLOT_DISABILITY = 3, /* serialised list: facet */
  KB_SLOT_LAW = 4,        /* serialised list of laws cited in norms: facet */
  KB_SLOT_HASH = 5,       /* 16 hex digits: the file's FNV-1a, for updates */
};

/* Document data: a compact JSON header (id, title, type, summary,
 * updated, audience, disabilities, topics, norms, laws, sources, related,
 * links, hash), a NUL byte, the article's plain text (for snippets), a
 * NUL byte, and its body HTML.  Readers that need only the header parse
 * up to the first NUL. */

/* Metadata keys. */
#define KB_META_SCHEMA "teilhabe.schema"
#define KB_META_VOCAB "teilhabe.vocab"
#define KB_META_BUILT "teilhabe.built"
#define KB_META_CONFIG "teilhabe.config"   /* hash of vocabulary & co. */
#define KB_META_LEXICON "teilhabe.lexicon" /* compound lexicon blob */

/* Word positions: fields are kept apart so a phrase never spans two. */
#define KB_POS_GAP 100

/* Within-document frequency boosts per field. */
#define KB_WDF_TITLE 5
#define KB_WDF_SUMMARY 2
#define KB_WDF_TOPIC 3
#define KB_WDF_BODY 1
#define KB_WDF_NORM 5

#endif
