/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * search.cc - the search half of kb_xapian.h: query trees, enquire
 * sessions, result pages (msets) with snippets and relevance-feedback
 * expansion.  Facet counting (the match spy, its tables and the list
 * format) is in facet.cc.
 *
 * Depends on Xapian, libc, status.c and facet.cc only.
 */
#include "kbx_internal.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

kb_status bad_index(char **reterr_msg, uint32_t i, const kbx_mset &m) {
  return kb_fail(KB_ERR_INVALID, reterr_msg,
                 "result %u is out of range (this page has %u)", i,
                 static_cast<unsigned>(m.items()));
}

} // namespace

/* ---- queries --------------------------------------------------------- */

kb_status kbx_query_term(const char *term, unsigned wqf, uint32_t pos,
                         kbx_query **ret_query,
                         char **reterr_msg) KBX_NOEXCEPT {
  if (term == nullptr)
    return kbxi_null(reterr_msg, __func__, "term");
  if (ret_query == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_query");
  /* Xapian reads the empty term as "match everything"; a term that lost
   * all its characters in analysis must not widen a search to that. */
  if (*term == '\0')
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "%s: empty term (use kbx_query_match_all to match every "
                   "document)",
                   __func__);
  try {
    *ret_query = new kbx_query{Xapian::Query(term, wqf, pos)};
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot build a query for term", term,
                          true);
  }
}

kb_status kbx_query_match_all(kbx_query **ret_query,
                              char **reterr_msg) KBX_NOEXCEPT {
  if (ret_query == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_query");
  try {
    /* Not a copy of Xapian::Query::MatchAll: that object is shared by
     * the whole process and its reference count is not atomic, so
     * copying it from several threads corrupts memory.  An empty term
     * matches everything too, and is this thread's own object. */
    *ret_query = new kbx_query{Xapian::Query(std::string())};
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, nullptr, nullptr, true);
  }
}

kb_status kbx_query_match_nothing(kbx_query **ret_query,
                                  char **reterr_msg) KBX_NOEXCEPT {
  if (ret_query == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_query");
  try {
    /* A default-constructed query matches nothing and shares nothing
     * (see kbx_query_match_all for why not Query::MatchNothing). */
    *ret_query = new kbx_query{Xapian::Query()};
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, nullptr, nullptr, true);
  }
}

kb_status kbx_query_combine(enum kbx_op op, kbx_query *const *subs, size_t n,
                            unsigned window, kbx_query **ret_query,
                            char **reterr_msg) KBX_NOEXCEPT {
  if (subs == nullptr && n != 0)
    return kbxi_null(reterr_msg, __func__, "subs");
  if (ret_query == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_query");
  Xapian::Query::op xop;
  bool windowed = false;
  switch (op) {
  case KBX_OP_AND:
    xop = Xapian::Query::OP_AND;
    break;
  case KBX_OP_OR:
    xop = Xapian::Query::OP_OR;
    break;
  case KBX_OP_AND_NOT:
    xop = Xapian::Query::OP_AND_NOT;
    break;
  case KBX_OP_FILTER:
    xop = Xapian::Query::OP_FILTER;
    break;
  case KBX_OP_AND_MAYBE:
    xop = Xapian::Query::OP_AND_MAYBE;
    break;
  case KBX_OP_SYNONYM:
    xop = Xapian::Query::OP_SYNONYM;
    break;
  case KBX_OP_PHRASE:
    xop = Xapian::Query::OP_PHRASE;
    windowed = true;
    break;
  case KBX_OP_NEAR:
    xop = Xapian::Query::OP_NEAR;
    windowed = true;
    break;
  case KBX_OP_MAX:
    xop = Xapian::Query::OP_MAX;
    break;
  default:
    return kb_fail(KB_ERR_INVALID, reterr_msg, "%s: unknown operator %d",
                   __func__, static_cast<int>(op));
  }
  for (size_t i = 0; i < n; i++)
    if (subs[i] == nullptr)
      return kbxi_null(reterr_msg, __func__, "subs[i]");
  try {
    std::vector<Xapian::Query> qs;
    qs.reserve(n);
    for (size_t i = 0; i < n; i++)
      qs.push_back(subs[i]->q);
    *ret_query = new kbx_query{
        Xapian::Query(xop, qs.begin(), qs.end(), windowed ? window : 0)};
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot combine queries", nullptr, true);
  }
}

kb_status kbx_query_scale(const kbx_query *query, double factor,
                          kbx_query **ret_query,
                          char **reterr_msg) KBX_NOEXCEPT {
  if (query == nullptr)
    return kbxi_null(reterr_msg, __func__, "query");
  if (ret_query == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_query");
  try {
    *ret_query = new kbx_query{
        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query->q, factor)};
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot scale a query", nullptr, true);
  }
}

namespace {

/* The arguments of a wildcard: a prefix that is not empty (it would
 * expand to every term) and somewhere to put the query. */
kb_status check_wildcard(const char *fn, const char *prefix,
                         kbx_query **ret_query, char **reterr_msg) {
  if (prefix == nullptr)
    return kbxi_null(reterr_msg, fn, "prefix");
  if (ret_query == nullptr)
    return kbxi_null(reterr_msg, fn, "ret_query");
  if (*prefix == '\0')
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "%s: empty prefix (it would expand to every term)", fn);
  return KB_OK;
}

} // namespace

kb_status kbx_query_wildcard(const char *prefix, unsigned max_expansion,
                             kbx_query **ret_query,
                             char **reterr_msg) KBX_NOEXCEPT {
  const kb_status bad = check_wildcard(__func__, prefix, ret_query, reterr_msg);
  if (bad != KB_OK)
    return bad;
  try {
    /* Xapian 1.4 reads a limit of 0 as "no limit" except with
     * WILDCARD_LIMIT_MOST_FREQUENT, where it keeps no terms at all. */
    const int mode = max_expansion != 0
                         ? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT
                         : Xapian::Query::WILDCARD_LIMIT_ERROR;
    *ret_query = new kbx_query{
        Xapian::Query(Xapian::Query::OP_WILDCARD, prefix, max_expansion, mode)};
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot build a wildcard for", prefix,
                          true);
  }
}

/* The OP_SYNONYM of qs[from, to) as a balanced tree of two-way synonyms
 * in term order.  Xapian estimates a synonym's frequency over a tree of
 * ORs, rounding at each node, and shapes that tree by each shard's own
 * term frequencies: of a flat synonym, two shards can estimate other
 * frequencies than the single database (and so weigh it otherwise); of
 * this fixed shape, every layout estimates the same. */
static Xapian::Query nested_synonym(const std::vector<Xapian::Query> &qs,
                                    size_t from, size_t to) {
  if (to - from == 0)
    return Xapian::Query();
  if (to - from == 1)
    return qs[from];
  const size_t mid = from + (to - from) / 2;
  const Xapian::Query two[2] = {nested_synonym(qs, from, mid),
                                nested_synonym(qs, mid, to)};
  return Xapian::Query(Xapian::Query::OP_SYNONYM, two, two + 2);
}

/* The nested synonym of `terms` (term frequency, term; sorted by term,
 * no repeats): the `max` most frequent (0 = all), and `keep` besides. */
static Xapian::Query
expansion(std::vector<std::pair<Xapian::doccount, std::string>> &terms,
          unsigned max, const std::string *keep) {
  if (max != 0 && terms.size() > max) {
    std::vector<std::pair<Xapian::doccount, std::string>> kept;
    if (keep != nullptr)
      for (const auto &t : terms)
        if (t.second == *keep)
          kept.push_back(t);
    std::stable_sort(
        terms.begin(), terms.end(),
        [](const auto &a, const auto &b) { return a.first > b.first; });
    terms.resize(max);
    for (const auto &k : kept)
      if (std::none_of(terms.begin(), terms.end(),
                       [&](const auto &t) { return t.second == k.second; }))
        terms.push_back(k);
    std::sort(terms.begin(), terms.end(),
              [](const auto &a, const auto &b) { return a.second < b.second; });
  }
  std::vector<Xapian::Query> qs;
  qs.reserve(terms.size());
  for (const auto &t : terms)
    qs.emplace_back(t.second);
  return qs.empty() ? Xapian::Query::MatchNothing
                    : nested_synonym(qs, 0, qs.size());
}

kb_status kbx_query_synonym_of(kbx_db *db, const char *const *terms, size_t n,
                               unsigned max, const char *keep,
                               kbx_query **ret_query,
                               char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (terms == nullptr && n != 0)
    return kbxi_null(reterr_msg, __func__, "terms");
  if (ret_query == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_query");
  *ret_query = nullptr;
  try {
    std::vector<std::string> names;
    names.reserve(n);
    for (size_t i = 0; i < n; i++)
      if (terms[i] != nullptr && terms[i][0] != '\0')
        names.emplace_back(terms[i]);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    for (std::string &t : names) {
      const Xapian::doccount f = db->db.get_termfreq(t);
      if (f != 0)
        found.emplace_back(f, std::move(t));
    }
    const std::string k = keep != nullptr ? keep : "";
    *ret_query = new kbx_query{expansion(found, max, keep ? &k : nullptr)};
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot build an expansion");
  }
}

kb_status kbx_query_value_range(kbx_slot slot, const char *lo, const char *hi,
                                kbx_query **ret_query,
                                char **reterr_msg) KBX_NOEXCEPT {
  if (ret_query == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_query");
  if (lo == nullptr && hi == nullptr)
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "%s: a range needs at least one bound", __func__);
  try {
    Xapian::Query q;
    if (lo == nullptr)
      q = Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi);
    else if (hi == nullptr)
      q = Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
    else
      q = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
    *ret_query = new kbx_query{q};
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot build a value range", nullptr,
                          true);
  }
}

bool kbx_query_empty(const kbx_query *query) KBX_NOEXCEPT {
  return query == nullptr || query->q.empty();
}

char *kbx_query_describe(const kbx_query *query) KBX_NOEXCEPT {
  if (query == nullptr)
    return nullptr;
  try {
    return kbxi_dup(query->q.get_description());
  } catch (...) {
    return nullptr;
  }
}

void kbx_query_free(kbx_query *query) KBX_NOEXCEPT { delete query; }

/* ---- searching ------------------------------------------------------- */

kb_status kbx_enquire_new(kbx_db *db, kbx_enquire **ret_enq,
                          char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (ret_enq == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_enq");
  try {
    /* Tables only for one local database: with several shards a spy
     * sees each shard's own document ids. */
    std::shared_ptr<kbx_table_cache> tables;
    if (!db->has_aux && db->db.size() == 1)
      tables = db->tables;
    *ret_enq = new kbx_enquire{Xapian::Enquire(db->db),
                               db->has_aux,
                               db->db,
                               false,
                               0.0,
                               {},
                               false,
                               tables,
                               {}};
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot start a search", nullptr, true);
  }
}

void kbx_enquire_free(kbx_enquire *enq) KBX_NOEXCEPT { delete enq; }

kb_status kbx_enquire_set_query(kbx_enquire *enq, const kbx_query *query,
                                char **reterr_msg) KBX_NOEXCEPT {
  if (enq == nullptr)
    return kbxi_null(reterr_msg, __func__, "enq");
  if (query == nullptr)
    return kbxi_null(reterr_msg, __func__, "query");
  try {
    enq->enq.set_query(query->q);
    enq->fold = nullptr; /* made for the query it had */
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot set the query", nullptr, true);
  }
}

/* The setters below cannot fail in Xapian 1.4 short of a broken heap; the
 * catch-alls only keep exceptions from reaching C. */
void kbx_enquire_sort_relevance(kbx_enquire *enq) KBX_NOEXCEPT {
  if (enq == nullptr)
    return;
  try {
    enq->enq.set_sort_by_relevance();
    enq->by_value = false;
  } catch (...) {
  }
}

void kbx_enquire_sort_value(kbx_enquire *enq, kbx_slot slot,
                            bool reverse) KBX_NOEXCEPT {
  if (enq == nullptr)
    return;
  try {
    enq->enq.set_sort_by_value_then_relevance(slot, reverse);
    enq->by_value = true;
  } catch (...) {
  }
}

void kbx_enquire_bm25(kbx_enquire *enq, double k1, double b) KBX_NOEXCEPT {
  if (enq == nullptr)
    return;
  try {
    enq->enq.set_weighting_scheme(Xapian::BM25Weight(k1, 0, 1, b, 0.5));
  } catch (...) {
  }
}

void kbx_enquire_time_limit(kbx_enquire *enq, double seconds) KBX_NOEXCEPT {
  if (enq == nullptr)
    return;
  try {
    enq->enq.set_time_limit(seconds);
    enq->time_limit = seconds;
  } catch (...) {
  }
}

void kbx_enquire_bool_weight(kbx_enquire *enq) KBX_NOEXCEPT {
  if (enq == nullptr)
    return;
  try {
    enq->enq.set_weighting_scheme(Xapian::BoolWeight());
  } catch (...) {
  }
}

kb_status kbx_enquire_add_spy(kbx_enquire *enq, kbx_spy *spy,
                              char **reterr_msg) KBX_NOEXCEPT {
  if (enq == nullptr)
    return kbxi_null(reterr_msg, __func__, "enq");
  if (spy == nullptr)
    return kbxi_null(reterr_msg, __func__, "spy");
  try {
    if (!enq->builtin_spies) {
      enq->enq.add_matchspy(kbxi_spy_own(spy));
      if (enq->tables)
        enq->table_spies.push_back(spy);
      return KB_OK;
    }
    kbxi_spy_builtin(spy); /* made now: added to a match by kbx_enquire_mset */
    enq->spies.push_back(spy);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot add a facet counter");
  }
}

namespace {

/* Runs the built-in spies of a sharded index's enquire sorted by value
 * over its query: a match that returns no documents, sorted by nothing
 * (the counts do not depend on the order; see kbx_enquire for why not
 * the main match), weighing nothing, examining `check_at_least` matches
 * as that did. */
void count_builtin(kbx_enquire &e, uint32_t check_at_least) {
  Xapian::Enquire counter(e.db);
  counter.set_query(e.enq.get_query());
  counter.set_weighting_scheme(Xapian::BoolWeight());
  if (e.time_limit > 0)
    counter.set_time_limit(e.time_limit);
  for (kbx_spy *spy : e.spies)
    counter.add_matchspy(kbxi_spy_builtin(spy));
  counter.get_mset(0, 0, check_at_least);
}

/* The same key for every document: see heap_free_order. */
class NoKey : public Xapian::KeyMaker {
public:
  std::string operator()(const Xapian::Document &) const override {
    return std::string();
  }
};

/* A folded match's order (kbx_enquire_fold): the documents that pass
 * every filter first, by relevance, then document id, as the filtered
 * query orders them; the others after them. */
class FoldKey : public Xapian::KeyMaker {
public:
  explicit FoldKey(const kbx_fold &fold_) : fold(fold_) {}
  std::string operator()(const Xapian::Document &doc) const override {
    return fold.fails(doc.get_docid()) == 0 ? std::string(1, '\1')
                                            : std::string();
  }

private:
  const kbx_fold &fold;
};

/* Postings a match may read and still end well within its time limit
 * (KB_MATCH_TIME_LIMIT, 0.5 s): at 100,000 articles the slowest searches
 * of the benchmark's stream, a few hundred thousand postings each, take
 * about 14 ms in process (docs/benchmarks.md). */
constexpr uint64_t SHORT_MATCH_POSTINGS = 2000000;

/* How many posting lists (or value streams) `q` reads, each at most one
 * entry per document; false for a query that expands when it runs (a
 * wildcard), whose count is unknown. */
bool count_lists(const Xapian::Query &q, uint64_t &lists) {
  const Xapian::Query::op op = q.get_type();
  if (op == Xapian::Query::OP_WILDCARD)
    return false;
  const size_t n = q.get_num_subqueries();
  if (n == 0) {
    lists++;
    return true;
  }
  for (size_t i = 0; i < n; i++)
    if (!count_lists(q.get_subquery(i), lists))
      return false;
  return true;
}

/* True when `e`'s query cannot come near its time limit: it reads at
 * most SHORT_MATCH_POSTINGS postings (the documents times the lists the
 * query reads), and it is no wildcard. */
bool short_match(kbx_enquire &e) {
  if (e.time_limit <= 0)
    return true;
  uint64_t lists = 0;
  return count_lists(e.enq.get_query(), lists) &&
         lists * e.db.get_doccount() <= SHORT_MATCH_POSTINGS;
}

/* Makes a relevance match that must examine more documents than it
 * returns (exact totals and facet counts) skip Xapian's heap for the
 * documents that cannot enter it.  Sorted by relevance alone, Xapian
 * 1.4's matcher pushes every such document into its heap of the best
 * `first + max` and pops the worst again (it raises its minimum weight
 * only after `check_at_least` documents); sorted by relevance then a
 * key, it first compares the document with the worst it holds and only
 * counts one that sorts lower (matcher/multimatch.cc).  With the same
 * empty key for every document the order is relevance, then document
 * id, as before.
 *
 * Only where nothing else changes:
 *  - on one local database: a remote shard cannot take our KeyMaker;
 *  - for a match that cannot come near a time limit (`short_one`,
 *    short_match): once the limit has passed, Xapian stops counting
 *    only on its heap's path, so a long match keeps that path and its
 *    bound.
 * True when it changed the order setting. */
bool heap_free_order(kbx_enquire &e, uint32_t first, uint32_t max,
                     uint32_t check_at_least, bool short_one) {
  static NoKey no_key; /* stateless: shared by every thread */
  if (!e.tables || e.by_value || max == 0 || check_at_least <= first + max ||
      !short_one)
    return false;
  e.enq.set_sort_by_relevance_then_key(&no_key, true);
  return true;
}

/* Puts back what one match set aside, also when it throws: the
 * relevance order (heap_free_order, a fold) and the time limit, which
 * a short match does without - Xapian arms a timer for it, three
 * system calls per match. */
struct SettingsAgain {
  kbx_enquire &e;
  bool keyed;
  bool timed;
  ~SettingsAgain() {
    if (keyed)
      e.enq.set_sort_by_relevance();
    if (timed)
      e.enq.set_time_limit(e.time_limit);
  }
};

} // namespace

kb_status kbx_enquire_fold(kbx_enquire *enq, const kbx_fold *fold,
                           bool *ret_folded, char **reterr_msg) KBX_NOEXCEPT {
  if (enq == nullptr)
    return kbxi_null(reterr_msg, __func__, "enq");
  if (fold == nullptr)
    return kbxi_null(reterr_msg, __func__, "fold");
  if (ret_folded == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_folded");
  *ret_folded = false;
  try {
    /* The fold's order replaces the heap-free one, so it needs what that
     * one needs: one local database and a match that cannot run into
     * the time limit, which Xapian's matcher heeds only on its heap's
     * path. */
    if (!enq->tables || enq->by_value ||
        enq->db.get_revision() != fold->revision || !short_match(*enq))
      return KB_OK;
    enq->fold = fold;
    *ret_folded = true;
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot fold the facet filters");
  }
}

kb_status kbx_enquire_mset(kbx_enquire *enq, uint32_t first, uint32_t max,
                           uint32_t check_at_least, kbx_mset **ret_mset,
                           char **reterr_msg) KBX_NOEXCEPT {
  if (enq == nullptr)
    return kbxi_null(reterr_msg, __func__, "enq");
  if (ret_mset == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_mset");
  try {
    const bool apart = !enq->spies.empty() && enq->by_value;
    if (apart && enq->spies_added) {
      enq->enq.clear_matchspies();
      enq->spies_added = false;
    } else if (!apart && !enq->spies.empty() && !enq->spies_added) {
      for (kbx_spy *spy : enq->spies)
        enq->enq.add_matchspy(kbxi_spy_builtin(spy));
      enq->spies_added = true;
    }
    const kbx_fold *fold = enq->fold;
    const bool short_one = short_match(*enq);
    /* What kbx_enquire_fold found may have changed since (a reopen, a
     * time limit set after it): a fold that does not hold fails rather
     * than give unfiltered results. */
    if (fold && (enq->by_value || enq->table_spies.empty() || !short_one ||
                 enq->db.get_revision() != fold->revision ||
                 check_at_least < enq->db.get_doccount()))
      return kb_fail(KB_ERR_INVALID, reterr_msg,
                     "%s: a folded match needs a facet spy, the relevance "
                     "order, the fold's revision, a short match and every "
                     "document examined",
                     __func__);
    /* Each table spy counts from the table of the revision this match
     * reads (a reopen may have come after it was added). */
    for (kbx_spy *spy : enq->table_spies) {
      kbxi_spy_use_table(spy, enq->db, *enq->tables);
      kbxi_spy_fold(spy, fold);
    }
    /* The key outlives the guard, which takes it out of the enquire. */
    std::unique_ptr<FoldKey> fold_key(fold ? new FoldKey(*fold) : nullptr);
    SettingsAgain again{*enq, false, false};
    if (fold) {
      again.keyed = true;
      enq->enq.set_sort_by_key_then_relevance(fold_key.get(), true);
    } else {
      again.keyed =
          heap_free_order(*enq, first, max, check_at_least, short_one);
    }
    if (short_one && enq->time_limit > 0 && enq->tables) {
      again.timed = true;
      enq->enq.set_time_limit(0);
    }
    /* A spy counts on over several matches: this one's are the rest. */
    const uint64_t passed_before =
        fold ? kbxi_spy_passed(enq->table_spies.front()) : 0;
    std::unique_ptr<kbx_mset> mset(
        new kbx_mset{enq->enq.get_mset(first, max, check_at_least),
                     enq->enq.get_query(), nullptr});
    if (apart)
      count_builtin(*enq, check_at_least);
    if (fold) {
      mset->folded = true;
      mset->first = first;
      mset->passed = kbxi_spy_passed(enq->table_spies.front()) - passed_before;
    }
    *ret_mset = mset.release();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot run the search", nullptr, true);
  }
}

kb_status kbx_enquire_expand(kbx_enquire *enq, const kbx_docid *docids,
                             size_t n, size_t max, const char *prefix,
                             kbx_str_cb cb, void *ctx,
                             char **reterr_msg) KBX_NOEXCEPT {
  if (enq == nullptr)
    return kbxi_null(reterr_msg, __func__, "enq");
  if (docids == nullptr && n != 0)
    return kbxi_null(reterr_msg, __func__, "docids");
  if (cb == nullptr)
    return kbxi_null(reterr_msg, __func__, "cb");
  if (n == 0 || max == 0)
    return KB_OK; /* no relevant documents, no suggestions */
  try {
    Xapian::RSet rset;
    for (size_t i = 0; i < n; i++)
      rset.add_document(docids[i]);
    std::unique_ptr<Xapian::ExpandDecider> decider;
    if (prefix != nullptr && *prefix != '\0')
      decider.reset(new Xapian::ExpandDeciderFilterPrefix(prefix));
    const Xapian::termcount limit = max > Xapian::termcount(-1)
                                        ? Xapian::termcount(-1)
                                        : static_cast<Xapian::termcount>(max);
    /* Xapian approximates term frequencies over several shards unless
     * told otherwise: exact ones give a single database's terms. */
    const int flags =
        enq->builtin_spies ? Xapian::Enquire::USE_EXACT_TERMFREQ : 0;
    const Xapian::ESet eset =
        enq->enq.get_eset(limit, rset, flags, decider.get());
    for (Xapian::ESetIterator it = eset.begin(); it != eset.end(); ++it) {
      const std::string term = *it;
      if (!cb(term.c_str(), term.size(), ctx))
        break;
    }
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot suggest expansion terms", nullptr,
                          true);
  }
}

void kbx_mset_free(kbx_mset *mset) KBX_NOEXCEPT { delete mset; }

uint32_t kbx_mset_size(const kbx_mset *mset) KBX_NOEXCEPT {
  return mset != nullptr ? mset->items() : 0;
}

/* The three counts are stored numbers in Xapian 1.4; they do not throw. */
uint64_t kbx_mset_matches_estimated(const kbx_mset *mset) KBX_NOEXCEPT {
  if (mset == nullptr)
    return 0;
  return mset->folded ? mset->passed : mset->mset.get_matches_estimated();
}

uint64_t kbx_mset_matches_lower(const kbx_mset *mset) KBX_NOEXCEPT {
  if (mset == nullptr)
    return 0;
  return mset->folded ? mset->passed : mset->mset.get_matches_lower_bound();
}

uint64_t kbx_mset_matches_upper(const kbx_mset *mset) KBX_NOEXCEPT {
  if (mset == nullptr)
    return 0;
  return mset->folded ? mset->passed : mset->mset.get_matches_upper_bound();
}

kb_status kbx_mset_docid(const kbx_mset *mset, uint32_t i, kbx_docid *ret_docid,
                         char **reterr_msg) KBX_NOEXCEPT {
  if (mset == nullptr)
    return kbxi_null(reterr_msg, __func__, "mset");
  if (ret_docid == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_docid");
  if (i >= mset->items())
    return bad_index(reterr_msg, i, *mset);
  try {
    *ret_docid = *mset->mset[i];
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

kb_status kbx_mset_weight(const kbx_mset *mset, uint32_t i, double *ret_weight,
                          char **reterr_msg) KBX_NOEXCEPT {
  if (mset == nullptr)
    return kbxi_null(reterr_msg, __func__, "mset");
  if (ret_weight == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_weight");
  if (i >= mset->items())
    return bad_index(reterr_msg, i, *mset);
  try {
    *ret_weight = mset->mset[i].get_weight();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

kb_status kbx_mset_percent(const kbx_mset *mset, uint32_t i, int *ret_pct,
                           char **reterr_msg) KBX_NOEXCEPT {
  if (mset == nullptr)
    return kbxi_null(reterr_msg, __func__, "mset");
  if (ret_pct == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_pct");
  if (i >= mset->items())
    return bad_index(reterr_msg, i, *mset);
  try {
    *ret_pct = mset->mset[i].get_percent();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

kb_status kbx_mset_value(const kbx_mset *mset, uint32_t i, kbx_slot slot,
                         char **ret_value, size_t *ret_len,
                         char **reterr_msg) KBX_NOEXCEPT {
  if (mset == nullptr)
    return kbxi_null(reterr_msg, __func__, "mset");
  if (ret_value == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_value");
  if (i >= mset->items())
    return bad_index(reterr_msg, i, *mset);
  try {
    const std::string v = mset->mset[i].get_document().get_value(slot);
    char *copy = kbxi_dup(v);
    *ret_value = copy;
    if (ret_len != nullptr)
      *ret_len = v.size();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot read a result's value");
  }
}

kb_status kbx_mset_snippet_xapian(const kbx_mset *mset, const char *text,
                                  size_t len, size_t length, kbx_stem *stem,
                                  const char *hi_start, const char *hi_end,
                                  const char *omit, char **ret_snippet,
                                  char **reterr_msg) KBX_NOEXCEPT {
  if (mset == nullptr)
    return kbxi_null(reterr_msg, __func__, "mset");
  if (text == nullptr && len != 0)
    return kbxi_null(reterr_msg, __func__, "text");
  if (ret_snippet == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_snippet");
  try {
    const std::string s = mset->mset.snippet(
        len != 0 ? std::string(text, len) : std::string(), length,
        stem != nullptr ? stem->stem : Xapian::Stem(),
        /* No background model: it looks up the frequency of every word
         * of the text, which made a results page cost ~20 ms. */
        Xapian::MSet::SNIPPET_EXHAUSTIVE,
        hi_start != nullptr ? hi_start : "<b>",
        hi_end != nullptr ? hi_end : "</b>", omit != nullptr ? omit : "...");
    *ret_snippet = kbxi_dup(s);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot make a snippet", nullptr, true);
  }
}
