/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * search.cc - the search half of kb_xapian.h: query trees, enquire
 * sessions, result pages (msets) with snippets, relevance-feedback
 * expansion, and the facet-counting match spy with the list format that
 * feeds it.
 *
 * The multi-value list format is the one Xapian's (1.1-era)
 * StringListSerialiser used and that Xapian 1.4 no longer makes public:
 * each element is its length, as Xapian's encode_length() writes it,
 * followed by its bytes.  encode_length() writes a length below 255 as one
 * byte; otherwise a 0xff byte, then (length - 255) in 7-bit groups, least
 * significant first, with the high bit set on the last group only.
 *
 * Depends on Xapian, libc and status.c only.
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

/* Serialised list format (see the file comment). */
void encode_length(std::string &out, size_t len) {
  if (len < 255) {
    out += static_cast<char>(len);
    return;
  }
  out += '\xff';
  len -= 255;
  for (;;) {
    unsigned char b = static_cast<unsigned char>(len & 0x7f);
    len >>= 7;
    if (len == 0) {
      out += static_cast<char>(b | 0x80);
      return;
    }
    out += static_cast<char>(b);
  }
}

/* Reads one length at *p (not past end); false if truncated or absurd. */
bool decode_length(const char **p, const char *end, size_t *ret_len) {
  if (*p == end)
    return false;
  unsigned char c = static_cast<unsigned char>(*(*p)++);
  if (c != 0xff) {
    *ret_len = c;
    return true;
  }
  size_t len = 0;
  for (unsigned shift = 0;; shift += 7) {
    if (*p == end || shift > 8 * sizeof(size_t) - 7)
      return false;
    c = static_cast<unsigned char>(*(*p)++);
    len |= static_cast<size_t>(c & 0x7f) << shift;
    if (c & 0x80)
      break;
  }
  if (len > SIZE_MAX - 255)
    return false;
  *ret_len = len + 255;
  return true;
}

/*
 * Splits a serialised list into views of its elements.  A malformed tail
 * (a length running past the end) is ignored: a facet count must not make
 * a search fail, and the elements before it are still good.
 */
void split_list(const std::string &s, std::vector<std::string_view> &out) {
  const char *p = s.data();
  const char *end = p + s.size();
  while (p != end) {
    size_t len;
    if (!decode_length(&p, end, &len) || len > static_cast<size_t>(end - p))
      return;
    out.emplace_back(p, len);
    p += len;
  }
}

using facet_counts = std::map<std::string, uint64_t, std::less<>>;

/* Adds `n` documents holding the value `v` to `counts`: `v` itself, or
 * when `multi` each distinct element of the list `v` (once per document,
 * however often an element is listed).  `items` is scratch space. */
void count_value(const std::string &v, bool multi, uint64_t n,
                 std::vector<std::string_view> &items, facet_counts &counts) {
  if (v.empty())
    return;
  if (!multi) {
    counts[v] += n;
    return;
  }
  items.clear();
  split_list(v, items);
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  for (std::string_view item : items) {
    auto it = counts.find(item);
    if (it != counts.end())
      it->second += n;
    else
      counts.emplace(std::string(item), n);
  }
  items.clear(); /* the views point into `v` */
}

/* A facet table is made only up to this many documents: the tables cost
 * about 120 bytes per document and worker at our schema (server RSS at
 * 10,000 articles, two workers: 29.0 -> 31.4 MB, docs/benchmarks.md);
 * beyond, each matching document's value is read as before. */
constexpr Xapian::docid TABLE_MAX_DOCS = 1000000;

/* Builds the table of `slot` (kbx_value_table): one pass over the slot's
 * value stream, the distinct values then numbered in byte order. */
std::shared_ptr<const kbx_value_table>
build_table(const Xapian::Database &db, Xapian::valueno slot, bool multi) {
  const Xapian::docid last = db.get_lastdocid();
  if (last >= TABLE_MAX_DOCS)
    return nullptr;
  auto t = std::make_shared<kbx_value_table>();
  t->start.assign(static_cast<size_t>(last) + 2, 0);
  std::unordered_map<std::string, uint32_t> seen;
  std::vector<std::string_view> items;
  Xapian::docid next = 1; /* the first docid whose start is not set */
  const Xapian::ValueIterator end = db.valuestream_end(slot);
  for (Xapian::ValueIterator it = db.valuestream_begin(slot); it != end; ++it) {
    const Xapian::docid did = it.get_docid();
    if (did > last)
      break;
    while (next <= did)
      t->start[next++] = static_cast<uint32_t>(t->ids.size());
    const std::string v = *it;
    items.clear();
    if (multi) {
      split_list(v, items);
      std::sort(items.begin(), items.end());
      items.erase(std::unique(items.begin(), items.end()), items.end());
    } else if (!v.empty()) {
      items.emplace_back(v);
    }
    for (std::string_view item : items) {
      auto ins =
          seen.emplace(std::string(item), static_cast<uint32_t>(seen.size()));
      t->ids.push_back(ins.first->second);
    }
  }
  while (next <= last + 1)
    t->start[next++] = static_cast<uint32_t>(t->ids.size());
  /* Number the values in byte order, as the counts are listed. */
  t->names.resize(seen.size());
  for (auto &kv : seen)
    t->names[kv.second] = kv.first;
  std::vector<uint32_t> order(t->names.size()), rank(t->names.size());
  for (uint32_t i = 0; i < order.size(); i++)
    order[i] = i;
  std::sort(order.begin(), order.end(),
            [&t](uint32_t a, uint32_t b) { return t->names[a] < t->names[b]; });
  std::vector<std::string> names(order.size());
  for (uint32_t i = 0; i < order.size(); i++) {
    rank[order[i]] = i;
    names[i] = std::move(t->names[order[i]]);
  }
  t->names = std::move(names);
  for (uint32_t &id : t->ids)
    id = rank[id];
  return t;
}

/* The table of `slot` for the revision `db` has open, made on first use
 * and kept in `cache`; null when too large. */
std::shared_ptr<const kbx_value_table> facet_table(const Xapian::Database &db,
                                                   kbx_table_cache &cache,
                                                   Xapian::valueno slot,
                                                   bool multi) {
  const unsigned key = slot * 2 + (multi ? 1 : 0);
  auto it = cache.find(key);
  if (it != cache.end())
    return it->second;
  auto t = build_table(db, slot, multi);
  cache.emplace(key, t);
  return t;
}

kb_status bad_index(char **reterr_msg, uint32_t i, const Xapian::MSet &m) {
  return kb_fail(KB_ERR_INVALID, reterr_msg,
                 "result %u is out of range (this page has %u)", i,
                 static_cast<unsigned>(m.size()));
}

} // namespace

/*
 * The facet spy is a Xapian::MatchSpy; the C handle is the object itself.
 * Xapian borrows it (add_matchspy without release()), so its lifetime is
 * the caller's, as kb_xapian.h says.
 */
struct kbx_spy final : public Xapian::MatchSpy {
  kbx_spy(Xapian::valueno slot_, bool multi_) : slot(slot_), multi(multi_) {}

  void operator()(const Xapian::Document &doc, double) override {
    ++total;
    if (table) {
      const Xapian::docid did = doc.get_docid();
      if (static_cast<size_t>(did) + 1 < table->start.size()) {
        for (uint32_t k = table->start[did]; k < table->start[did + 1]; k++)
          ++by_id[table->ids[k]];
        return;
      }
    }
    count_value(doc.get_value(slot), multi, 1, items, counts);
  }

  Xapian::MatchSpy *clone() const override { return new kbx_spy(slot, multi); }
  std::string name() const override { return "teilhabe::FacetSpy"; }
  std::string get_description() const override {
    return "teilhabe::FacetSpy(slot " + std::to_string(slot) +
           (multi ? ", multi)" : ")");
  }

  const Xapian::valueno slot;
  const bool multi;
  /* Set when added to an enquire on a sharded index: that one counts,
   * and kbx_spy_each splits its whole-list values. */
  std::unique_ptr<Xapian::ValueCountMatchSpy> builtin;
  uint64_t total = 0;
  facet_counts counts;
  std::vector<std::string_view> items; /* scratch, reused per document */
  /* With a facet table: the counts by its ids (documents it lacks still
   * count into `counts`). */
  std::shared_ptr<const kbx_value_table> table;
  std::vector<uint64_t> by_id;
};

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

kb_status kbx_query_wildcard_in(kbx_db *db, const char *prefix,
                                unsigned max_expansion, kbx_query **ret_query,
                                char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr || !db->has_aux)
    return kbx_query_wildcard(prefix, max_expansion, ret_query, reterr_msg);
  const kb_status bad = check_wildcard(__func__, prefix, ret_query, reterr_msg);
  if (bad != KB_OK)
    return bad;
  try {
    /* Xapian 1.4 expands OP_WILDCARD in each shard, weighting the
     * expansion with that shard's statistics; expanded here, over all
     * shards, the terms and their weights are the single database's. */
    std::vector<std::pair<Xapian::doccount, std::string>> terms;
    const Xapian::TermIterator end = db->db.allterms_end(prefix);
    for (Xapian::TermIterator it = db->db.allterms_begin(prefix); it != end;
         ++it)
      terms.emplace_back(it.get_termfreq(), *it);
    if (max_expansion != 0 && terms.size() > max_expansion) {
      std::stable_sort(
          terms.begin(), terms.end(),
          [](const auto &a, const auto &b) { return a.first > b.first; });
      terms.resize(max_expansion);
      std::sort(terms.begin(), terms.end(), [](const auto &a, const auto &b) {
        return a.second < b.second;
      });
    }
    std::vector<Xapian::Query> qs;
    qs.reserve(terms.size());
    for (const auto &t : terms)
      qs.emplace_back(t.second);
    *ret_query = new kbx_query{
        Xapian::Query(Xapian::Query::OP_SYNONYM, qs.begin(), qs.end())};
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot build a wildcard for", prefix,
                          true);
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
      enq->enq.add_matchspy(spy);
      if (enq->tables)
        enq->table_spies.push_back(spy);
      return KB_OK;
    }
    if (spy->builtin == nullptr)
      spy->builtin.reset(new Xapian::ValueCountMatchSpy(spy->slot));
    enq->spies.push_back(spy); /* added to a match by kbx_enquire_mset */
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
    counter.add_matchspy(spy->builtin.get());
  counter.get_mset(0, 0, check_at_least);
}

} // namespace

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
        enq->enq.add_matchspy(spy->builtin.get());
      enq->spies_added = true;
    }
    for (kbx_spy *spy : enq->table_spies) {
      /* The table of the revision this match reads (a reopen may have
       * come after the spy was added); what a spy counted from another
       * table is kept by value. */
      auto t = facet_table(enq->db, *enq->tables, spy->slot, spy->multi);
      if (t == spy->table)
        continue;
      for (size_t id = 0; spy->table && id < spy->by_id.size(); id++)
        if (spy->by_id[id] > 0)
          spy->counts[spy->table->names[id]] += spy->by_id[id];
      spy->table = t;
      spy->by_id.assign(t ? t->names.size() : 0, 0);
    }
    std::unique_ptr<kbx_mset> mset(new kbx_mset{
        enq->enq.get_mset(first, max, check_at_least), enq->enq.get_query()});
    if (apart)
      count_builtin(*enq, check_at_least);
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
  return mset != nullptr ? mset->mset.size() : 0;
}

/* The three counts are stored numbers in Xapian 1.4; they do not throw. */
uint64_t kbx_mset_matches_estimated(const kbx_mset *mset) KBX_NOEXCEPT {
  return mset != nullptr ? mset->mset.get_matches_estimated() : 0;
}

uint64_t kbx_mset_matches_lower(const kbx_mset *mset) KBX_NOEXCEPT {
  return mset != nullptr ? mset->mset.get_matches_lower_bound() : 0;
}

uint64_t kbx_mset_matches_upper(const kbx_mset *mset) KBX_NOEXCEPT {
  return mset != nullptr ? mset->mset.get_matches_upper_bound() : 0;
}

kb_status kbx_mset_docid(const kbx_mset *mset, uint32_t i, kbx_docid *ret_docid,
                         char **reterr_msg) KBX_NOEXCEPT {
  if (mset == nullptr)
    return kbxi_null(reterr_msg, __func__, "mset");
  if (ret_docid == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_docid");
  if (i >= mset->mset.size())
    return bad_index(reterr_msg, i, mset->mset);
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
  if (i >= mset->mset.size())
    return bad_index(reterr_msg, i, mset->mset);
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
  if (i >= mset->mset.size())
    return bad_index(reterr_msg, i, mset->mset);
  try {
    *ret_pct = mset->mset[i].get_percent();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

kb_status kbx_mset_data(const kbx_mset *mset, uint32_t i, char **ret_data,
                        size_t *ret_len, char **reterr_msg) KBX_NOEXCEPT {
  if (mset == nullptr)
    return kbxi_null(reterr_msg, __func__, "mset");
  if (ret_data == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_data");
  if (i >= mset->mset.size())
    return bad_index(reterr_msg, i, mset->mset);
  try {
    const std::string data = mset->mset[i].get_document().get_data();
    char *copy = kbxi_dup(data);
    *ret_data = copy;
    if (ret_len != nullptr)
      *ret_len = data.size();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot read a result's data");
  }
}

kb_status kbx_mset_value(const kbx_mset *mset, uint32_t i, kbx_slot slot,
                         char **ret_value, size_t *ret_len,
                         char **reterr_msg) KBX_NOEXCEPT {
  if (mset == nullptr)
    return kbxi_null(reterr_msg, __func__, "mset");
  if (ret_value == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_value");
  if (i >= mset->mset.size())
    return bad_index(reterr_msg, i, mset->mset);
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

/* ---- facet counting -------------------------------------------------- */

bool kbx_db_counts_whole_values(const kbx_db *db) KBX_NOEXCEPT {
  return db != nullptr && db->has_aux;
}

kb_status kbx_spy_new(kbx_slot slot, bool multi, kbx_spy **ret_spy,
                      char **reterr_msg) KBX_NOEXCEPT {
  if (ret_spy == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_spy");
  try {
    *ret_spy = new kbx_spy(slot, multi);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

void kbx_spy_free(kbx_spy *spy) KBX_NOEXCEPT { delete spy; }

uint64_t kbx_spy_total(const kbx_spy *spy) KBX_NOEXCEPT {
  if (spy == nullptr)
    return 0;
  return spy->builtin ? spy->builtin->get_total() : spy->total;
}

namespace {

/* The counts of a spy that ran as Xapian's ValueCountMatchSpy: each
 * distinct whole value with the number of documents holding it; a list
 * adds that number to each of its distinct elements, as kbx_spy's own
 * operator() does per document. */
void builtin_counts(const kbx_spy *spy, facet_counts &out) {
  std::vector<std::string_view> items;
  const Xapian::TermIterator end = spy->builtin->values_end();
  for (Xapian::TermIterator it = spy->builtin->values_begin(); it != end;
       ++it) {
    count_value(*it, spy->multi, it.get_termfreq(), items, out);
  }
}

} // namespace

kb_status kbx_spy_each(const kbx_spy *spy, kbx_count_cb cb, void *ctx,
                       char **reterr_msg) KBX_NOEXCEPT {
  if (spy == nullptr)
    return kbxi_null(reterr_msg, __func__, "spy");
  if (cb == nullptr)
    return kbxi_null(reterr_msg, __func__, "cb");
  try {
    using entry = std::pair<const std::string *, uint64_t>;
    std::vector<entry> order;
    facet_counts merged;
    if (spy->table && spy->counts.empty()) {
      /* The usual case: the table's ids are in byte order already. */
      for (size_t id = 0; id < spy->by_id.size(); id++)
        if (spy->by_id[id] > 0)
          order.emplace_back(&spy->table->names[id], spy->by_id[id]);
    } else {
      if (spy->builtin) {
        builtin_counts(spy, merged);
      } else if (spy->table) {
        merged = spy->counts;
        for (size_t id = 0; id < spy->by_id.size(); id++)
          if (spy->by_id[id] > 0)
            merged[spy->table->names[id]] += spy->by_id[id];
      }
      const auto &counts = spy->builtin || spy->table ? merged : spy->counts;
      order.reserve(counts.size());
      for (const auto &kv : counts)
        order.emplace_back(&kv.first, kv.second);
    }
    /* Most frequent first; ties are in byte order already, and a stable
     * sort keeps that order. */
    std::stable_sort(
        order.begin(), order.end(),
        [](const entry &a, const entry &b) { return a.second > b.second; });
    for (const entry &e : order)
      if (!cb(e.first->c_str(), e.first->size(), e.second, ctx))
        break;
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot list facet counts");
  }
}

kb_status kbx_serialise_list(const char *const *items, size_t n, char **ret_buf,
                             size_t *ret_len, char **reterr_msg) KBX_NOEXCEPT {
  if (items == nullptr && n != 0)
    return kbxi_null(reterr_msg, __func__, "items");
  if (ret_buf == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_buf");
  for (size_t i = 0; i < n; i++)
    if (items[i] == nullptr)
      return kbxi_null(reterr_msg, __func__, "items[i]");
  try {
    std::string out;
    for (size_t i = 0; i < n; i++) {
      const size_t len = std::strlen(items[i]);
      encode_length(out, len);
      out.append(items[i], len);
    }
    char *buf = kbxi_dup(out);
    *ret_buf = buf;
    if (ret_len != nullptr)
      *ret_len = out.size();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot serialise a list");
  }
}
