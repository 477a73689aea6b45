/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kbx_internal.h - what the .cc files behind the Xapian wall share: the
 * definitions of the opaque kb_xapian.h handles, the one exception
 * translator and a few copy-out helpers.
 *
 * Only the .cc files in src/xapian/ include this; nothing here may leak
 * into a C header.  Every extern "C" function in those files has the shape
 *
 *   kb_status kbx_x(..., char **reterr_msg) KBX_NOEXCEPT {
 *     try { ... } catch (...) { return kbxi_translate(reterr_msg, ...); }
 *   }
 *
 * KBX_NOEXCEPT (kb_xapian.h) is noexcept in C++, so an exception that
 * escapes the catch-all anyway ends in std::terminate() instead of
 * unwinding into C frames.
 */
#ifndef KBX_INTERNAL_H
#define KBX_INTERNAL_H

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "kb_xapian.h"

/* Every document's values in one value slot as small ids, for counting
 * facets by adding up integers instead of reading and parsing each
 * matching document's value (facet.cc, facet_table).  Built from the
 * slot's value stream on first use, for the revision the handle has
 * open; a list value's elements each once. */
struct kbx_value_table {
  std::vector<uint32_t> start; /* docid d has ids[start[d] .. start[d+1]) */
  /* The ids: in two bytes each while there are at most 65,536 distinct
   * values (the reads of the ids are most of a facet count), else in
   * four; one of the two is empty. */
  std::vector<uint16_t> ids;
  std::vector<uint32_t> wide_ids;
  std::vector<std::string> names; /* id -> value; ids in byte order */
};

using kbx_table_cache =
    std::map<unsigned, std::shared_ptr<const kbx_value_table>>;

/* A set of document ids, a bit each (kbx_fold). */
struct kbxi_docset {
  std::vector<uint64_t> words;
  bool has(Xapian::docid did) const {
    const size_t i = did >> 6;
    return i < words.size() && ((words[i] >> (did & 63)) & 1) != 0;
  }
};

struct kbx_db {
  Xapian::Database db;
  size_t nshards; /* 0 when opened from a stub: Xapian does not say */
  /* A sharded index (kbx_db_open_stub): what remote shards cannot serve
   * - user metadata, spelling and synonyms - is read from this local
   * database instead of `db`; facets are counted with Xapian's own
   * ValueCountMatchSpy, which a remote server knows. */
  bool has_aux;
  Xapian::Database aux;
  /* The database metadata, spelling and synonyms come from. */
  Xapian::Database &meta() { return has_aux ? aux : db; }
  /* Facet tables by slot * 2 + (list values), cleared in place when the
   * handle moves to another revision; shared with the enquires made from
   * it, which may outlive the handle.  Only for one local database. */
  std::shared_ptr<kbx_table_cache> tables = std::make_shared<kbx_table_cache>();
  /* Spelling suggestions this revision gave, by word and edit distance
   * ("" for none).  Xapian's look-up reads the spelling lists of every
   * trigram of the word - most of a misspelt query's time (about 4 of
   * 7 ms at 10,000 articles) - and people make the same mistakes, also
   * twice in one search (the query and its fallback).  Cleared with a
   * new revision and when it holds KBX_SPELLING_MEMO entries. */
  std::unordered_map<std::string, std::string> spellings{};
  /* Term frequencies this revision gave: building a query looks up
   * several forms of each word (B-tree reads: about a twentieth of a
   * served search), and the same words come again and again.  Cleared
   * with a new revision and when it holds KBX_TERMFREQ_MEMO terms. */
  std::unordered_map<std::string, Xapian::doccount> termfreqs{};
  /* The synonym table of this revision, read whole on first use: a
   * search looks up each of its words and their forms (about ten block
   * reads of the table per search at 10,000 articles) in a table of a
   * few thousand entries.  Not kept when it has more than
   * KBX_SYNONYM_KEYS_MAX keys or KBX_SYNONYM_BYTES_MAX bytes of text
   * (then Xapian's table is read, as before); cleared with a new
   * revision. */
  enum class synonym_state {
    unread,
    held,
    too_large
  } synonyms_read = synonym_state::unread;
  std::unordered_map<std::string, std::vector<std::string>> synonyms{};
  /* The documents of each facet filter's term in this revision
   * (kbx_fold_facet): a facet value's posting list read once, not at
   * every search filtered by it.  Cleared with a new revision and when
   * the sets would take more than KBX_FILTER_SETS_BYTES. */
  std::unordered_map<std::string, std::shared_ptr<const kbxi_docset>>
      filter_sets{};
  size_t filter_sets_bytes = 0;
};

constexpr size_t KBX_SPELLING_MEMO = 4096;
constexpr size_t KBX_TERMFREQ_MEMO = 16384;
constexpr size_t KBX_SYNONYM_KEYS_MAX = 65536;
constexpr size_t KBX_SYNONYM_BYTES_MAX = 4u << 20; /* keys and synonyms */
constexpr size_t KBX_FILTER_SETS_BYTES = 8u << 20;

struct kbx_wdb {
  Xapian::WritableDatabase db;
};

struct kbx_doc {
  Xapian::Document doc;
};

struct kbx_stem {
  Xapian::Stem stem;
  /* A German Snowball stemmer: it keeps a word's first two letters as
   * the snippet generator's filter assumes (snippet.cc, start_key). */
  bool german = false;
};

struct kbx_query {
  Xapian::Query q;
};

struct kbx_spy;

struct kbx_enquire {
  Xapian::Enquire enq;
  /* On a sharded index (see kbx_db.has_aux) facets are counted by
   * Xapian's ValueCountMatchSpy; with a remote shard and a sort by value
   * Xapian 1.4 shows such a spy some matches twice, so then they count
   * in a match of their own, unsorted (kbx_enquire_mset). */
  bool builtin_spies;
  Xapian::Database db;
  bool by_value;
  double time_limit;
  std::vector<kbx_spy *> spies;
  bool spies_added; /* to `enq` itself, for a match not sorted by value */
  /* The handle's facet tables (null for a sharded index) and the spies
   * that count from them: each gets its table when a match runs, for
   * the revision that match sees. */
  std::shared_ptr<kbx_table_cache> tables;
  std::vector<kbx_spy *> table_spies;
  /* Facet filters its matches apply themselves (kbx_enquire_fold);
   * cleared by a new query. */
  const kbx_fold *fold = nullptr;
};

/* Which documents pass each facet filter of a fold (kb_xapian.h,
 * kbx_fold_new), for the revision it was made of. */
struct kbx_fold {
  kbx_db *db; /* borrowed: its sets of the filter terms' documents */
  Xapian::rev revision;
  unsigned nfacets = 0;
  unsigned char tags[KBX_FOLD_FACETS] = {0};
  /* Facet b's filter (in the order added) passes the documents in
   * pass[b]. */
  std::shared_ptr<const kbxi_docset> pass[KBX_FOLD_FACETS];
  /* The facets whose filter document `did` fails, as bits b. */
  unsigned fails(Xapian::docid did) const {
    unsigned f = 0;
    for (unsigned b = 0; b < nfacets; b++)
      if (!pass[b]->has(did))
        f |= 1u << b;
    return f;
  }
};

/* facet.cc, for search.cc: the spy as Xapian's MatchSpy; its built-in
 * ValueCountMatchSpy (made on first call), for a sharded index; and,
 * before a match on one local database, the table of the revision `db`
 * has open, from `cache`. */
Xapian::MatchSpy *kbxi_spy_own(kbx_spy *spy);
Xapian::MatchSpy *kbxi_spy_builtin(kbx_spy *spy);
void kbxi_spy_use_table(kbx_spy *spy, const Xapian::Database &db,
                        kbx_table_cache &cache);
/* Makes the spy count a folded match (null: an ordinary one), after
 * kbxi_spy_use_table; and how many documents it saw pass every filter. */
void kbxi_spy_fold(kbx_spy *spy, const kbx_fold *fold);
uint64_t kbxi_spy_passed(const kbx_spy *spy);

/* What the snippets of one mset share: its query's terms and weights,
 * read once for all its hits (snippet.cc). */
struct kbxi_snip_plan;

struct kbx_mset {
  Xapian::MSet mset;
  Xapian::Query query; /* what it answers: the snippets' terms */
  /* Made by the first snippet, used by the others (a cache: the snippet
   * functions take the mset as const). */
  mutable std::shared_ptr<kbxi_snip_plan> snip;
  /* A folded match (kbx_enquire_fold): the documents that pass its
   * filters come first in `mset`, and `passed` of them matched; the
   * others are not results. */
  bool folded = false;
  uint32_t first = 0;
  uint64_t passed = 0;
  /* The results: all of `mset`, or its items that passed. */
  uint32_t items() const {
    if (!folded)
      return mset.size();
    const uint64_t left = passed > first ? passed - first : 0;
    return left < mset.size() ? static_cast<uint32_t>(left) : mset.size();
  }
};

/*
 * Call only from inside a catch (...) handler: rethrows the exception in
 * flight, maps its class to a kb_status and, if reterr_msg is non-NULL,
 * stores a malloc'd message there.
 *
 * `what` (may be NULL) says what failed ("cannot open index"); `subject`
 * (may be NULL) is the user value it failed on and is quoted after it.
 * `query` says the failing call was running or building a query, where
 * Xapian::InvalidOperationError means KB_ERR_QUERY (elsewhere it means
 * KB_ERR_INVALID).  Never throws.
 */
kb_status kbxi_translate(char **reterr_msg, const char *what = nullptr,
                         const char *subject = nullptr,
                         bool query = false) noexcept;

/*
 * Copies `s` into a new malloc'd, NUL-terminated buffer.  Throws
 * std::bad_alloc when malloc fails, so callers can stay inside their try
 * block.  The result is the caller's (free()).
 */
char *kbxi_dup(const std::string &s);

/* Reports a NULL where `fn` needs argument `arg`: KB_ERR_INVALID. */
kb_status kbxi_null(char **reterr_msg, const char *fn, const char *arg);

/* Checks a term before it goes into a document or names one: empty is
 * KB_ERR_INVALID, longer than the glass backend stores is KB_ERR_LIMIT
 * (Xapian would only notice when storing, and then drop every uncommitted
 * change).  `term` must not be NULL.  Defined in doc.cc. */
kb_status kbxi_check_term(const char *term, char **reterr_msg);

#endif
