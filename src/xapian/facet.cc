/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * facet.cc - facet counting behind kb_xapian.h: the match spy, the
 * per-slot tables of every document's values it counts from on one local
 * database, Xapian's ValueCountMatchSpy on a sharded one, and the list
 * format of multi-valued slots.
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

/* What a document holding the value `v` counts for, into `out` (views
 * into `v`): `v` itself, or when `multi` each distinct element of the
 * list `v` (once, however often it is listed); nothing for "". */
void distinct_values(const std::string &v, bool multi,
                     std::vector<std::string_view> &out) {
  out.clear();
  if (v.empty())
    return;
  if (!multi) {
    out.emplace_back(v);
    return;
  }
  split_list(v, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

using facet_counts = std::map<std::string, uint64_t, std::less<>>;

/* Adds `n` documents holding the value `v` to `counts` (distinct_values);
 * with `only` 0 - 255, only the elements beginning with that byte.
 * `items` is scratch space. */
void count_value(const std::string &v, bool multi, uint64_t n,
                 std::vector<std::string_view> &items, facet_counts &counts,
                 int only = -1) {
  distinct_values(v, multi, items);
  for (std::string_view item : items) {
    if (only >= 0 &&
        (item.empty() || static_cast<unsigned char>(item[0]) != only))
      continue;
    auto it = counts.find(item);
    if (it != counts.end())
      it->second += n;
    else
      counts.emplace(std::string(item), n);
  }
  items.clear(); /* the views point into `v` */
}

/* A facet table is made only up to this many documents: the tables cost
 * about 120 bytes per document and worker at our schema with ids of four
 * bytes (server RSS at 10,000 articles, two workers: 29.0 -> 31.4 MB,
 * docs/benchmarks.md), less with two (SHORT_ID_VALUES);
 * beyond, each matching document's value is read as before. */
constexpr Xapian::docid TABLE_MAX_DOCS = 1000000;
/* Up to this many distinct values an id takes two bytes, which halves
 * the ids a match reads (about 11 per document in the combined list) -
 * the reads of the ids were most of the spy's time (perf annotate). */
constexpr size_t SHORT_ID_VALUES = 65536;

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
  std::vector<uint32_t> ids; /* in order of first sight, numbered below */
  std::vector<std::string_view> items;
  Xapian::docid next = 1; /* the first docid whose start is not set */
  const Xapian::ValueIterator end = db.valuestream_end(slot);
  for (Xapian::ValueIterator it = db.valuestream_begin(slot); it != end; ++it) {
    const Xapian::docid did = it.get_docid();
    if (did > last)
      break;
    while (next <= did)
      t->start[next++] = static_cast<uint32_t>(ids.size());
    const std::string v = *it;
    distinct_values(v, multi, items);
    for (std::string_view item : items) {
      auto ins =
          seen.emplace(std::string(item), static_cast<uint32_t>(seen.size()));
      ids.push_back(ins.first->second);
    }
  }
  while (next <= last + 1)
    t->start[next++] = static_cast<uint32_t>(ids.size());
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
  if (t->names.size() <= SHORT_ID_VALUES) {
    t->ids.resize(ids.size());
    for (size_t k = 0; k < ids.size(); k++)
      t->ids[k] = static_cast<uint16_t>(rank[ids[k]]);
  } else {
    for (uint32_t &id : ids)
      id = rank[id];
    t->wide_ids = std::move(ids);
  }
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
    if (fold) {
      count_folded(doc);
      return;
    }
    if (table) {
      const Xapian::docid did = doc.get_docid();
      if (static_cast<size_t>(did) + 1 < table->start.size()) {
        const uint32_t from = table->start[did], to = table->start[did + 1];
        if (table->wide_ids.empty())
          for (uint32_t k = from; k < to; k++)
            ++by_id[table->ids[k]];
        else
          for (uint32_t k = from; k < to; k++)
            ++by_id[table->wide_ids[k]];
        return;
      }
    }
    count_value(doc.get_value(slot), multi, 1, items, counts);
  }

  /* In a folded match: a document that passes every filter counts for
   * all its values, one that fails one filter for that facet's values
   * only (as in the match without that filter), others not at all. */
  void count_folded(const Xapian::Document &doc) {
    const Xapian::docid did = doc.get_docid();
    const unsigned fails = fold->fails(did);
    int only = -1; /* the one facet failed */
    if (fails == 0)
      ++passed;
    else if ((fails & (fails - 1)) != 0)
      return;
    else
      only = __builtin_ctz(fails);
    if (table && static_cast<size_t>(did) + 1 < table->start.size()) {
      const uint32_t from = table->start[did], to = table->start[did + 1];
      /* the facet's ids: [lo, hi), as unsigned distance from lo */
      const uint32_t lo = only < 0 ? 0 : fold_lo[only];
      const uint32_t width =
          only < 0 ? UINT32_MAX : fold_hi[only] - fold_lo[only];
      if (table->wide_ids.empty()) {
        for (uint32_t k = from; k < to; k++)
          if (static_cast<uint32_t>(table->ids[k]) - lo < width)
            ++by_id[table->ids[k]];
      } else {
        for (uint32_t k = from; k < to; k++)
          if (table->wide_ids[k] - lo < width)
            ++by_id[table->wide_ids[k]];
      }
      return;
    }
    count_value(doc.get_value(slot), multi, 1, items, counts,
                only < 0 ? -1 : fold->tags[only]);
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
  /* kbx_spy_each's order of the table's counts, kept while nothing more
   * is counted: a search lists every facet from one combined spy, and
   * sorting all its values again for each facet was a sixth of the
   * listing. */
  mutable std::vector<std::pair<const std::string *, uint64_t>> listed;
  mutable uint64_t listed_total = UINT64_MAX;
  mutable const kbx_value_table *listed_table = nullptr;
  /* A folded match's filters (kbxi_spy_fold), the documents that passed
   * them all, and each filtered facet's ids in the table: [lo, hi). */
  const kbx_fold *fold = nullptr;
  uint64_t passed = 0;
  uint32_t fold_lo[KBX_FOLD_FACETS] = {0};
  uint32_t fold_hi[KBX_FOLD_FACETS] = {0};
};

/* ---- for search.cc --------------------------------------------------- */

Xapian::MatchSpy *kbxi_spy_own(kbx_spy *spy) { return spy; }

Xapian::MatchSpy *kbxi_spy_builtin(kbx_spy *spy) {
  if (spy->builtin == nullptr)
    spy->builtin.reset(new Xapian::ValueCountMatchSpy(spy->slot));
  return spy->builtin.get();
}

void kbxi_spy_use_table(kbx_spy *spy, const Xapian::Database &db,
                        kbx_table_cache &cache) {
  auto t = facet_table(db, cache, spy->slot, spy->multi);
  if (t == spy->table)
    return;
  /* What it counted from another table is kept by value. */
  for (size_t id = 0; spy->table && id < spy->by_id.size(); id++)
    if (spy->by_id[id] > 0)
      spy->counts[spy->table->names[id]] += spy->by_id[id];
  spy->table = t;
  spy->by_id.assign(t ? t->names.size() : 0, 0);
}

void kbxi_spy_fold(kbx_spy *spy, const kbx_fold *fold) {
  spy->fold = fold;
  if (fold == nullptr || spy->table == nullptr)
    return;
  /* The names are in byte order, so a facet's are one run of ids. */
  const std::vector<std::string> &names = spy->table->names;
  for (unsigned b = 0; b < fold->nfacets; b++) {
    const unsigned tag = fold->tags[b];
    auto below = [tag](const std::string &n) {
      return n.empty() || static_cast<unsigned char>(n[0]) < tag;
    };
    auto upto = [tag](const std::string &n) {
      return n.empty() || static_cast<unsigned char>(n[0]) <= tag;
    };
    spy->fold_lo[b] = static_cast<uint32_t>(
        std::partition_point(names.begin(), names.end(), below) -
        names.begin());
    spy->fold_hi[b] = static_cast<uint32_t>(
        std::partition_point(names.begin(), names.end(), upto) - names.begin());
  }
}

uint64_t kbxi_spy_passed(const kbx_spy *spy) { return spy->passed; }

/* ---- facet filters folded into one match ----------------------------- */

namespace {

/* The documents indexed with `term` in the revision `db` has open, kept
 * in db.filter_sets (see there). */
std::shared_ptr<const kbxi_docset> term_docs(kbx_db &db,
                                             const std::string &term) {
  auto it = db.filter_sets.find(term);
  if (it != db.filter_sets.end())
    return it->second;
  auto set = std::make_shared<kbxi_docset>();
  set->words.assign(static_cast<size_t>(db.db.get_lastdocid()) / 64 + 1, 0);
  const Xapian::PostingIterator end = db.db.postlist_end(term);
  for (Xapian::PostingIterator p = db.db.postlist_begin(term); p != end; ++p) {
    const Xapian::docid did = *p;
    if (did / 64 >= set->words.size())
      break;
    set->words[did / 64] |= uint64_t{1} << (did % 64);
  }
  const size_t bytes = set->words.size() * sizeof(uint64_t) + term.size();
  if (db.filter_sets_bytes + bytes > KBX_FILTER_SETS_BYTES) {
    db.filter_sets.clear();
    db.filter_sets_bytes = 0;
  }
  db.filter_sets.emplace(term, set);
  db.filter_sets_bytes += bytes;
  return set;
}

} // namespace

kb_status kbx_fold_new(kbx_db *db, kbx_fold **ret_fold,
                       char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (ret_fold == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_fold");
  *ret_fold = nullptr;
  try {
    /* Where kbx_enquire_new makes no facet tables, nothing is folded. */
    if (db->has_aux || db->db.size() != 1 ||
        db->db.get_lastdocid() >= TABLE_MAX_DOCS)
      return KB_OK;
    std::unique_ptr<kbx_fold> fold(new kbx_fold);
    fold->db = db;
    fold->revision = db->db.get_revision();
    *ret_fold = fold.release();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot prepare the facet filters");
  }
}

kb_status kbx_fold_facet(kbx_fold *fold, char tag, const char *const *terms,
                         size_t n, bool all_of,
                         char **reterr_msg) KBX_NOEXCEPT {
  if (fold == nullptr)
    return kbxi_null(reterr_msg, __func__, "fold");
  if (terms == nullptr && n != 0)
    return kbxi_null(reterr_msg, __func__, "terms");
  for (size_t i = 0; i < n; i++) {
    if (terms[i] == nullptr)
      return kbxi_null(reterr_msg, __func__, "terms[i]");
    if (*terms[i] == '\0') /* Xapian's "every document" */
      return kb_fail(KB_ERR_INVALID, reterr_msg, "%s: empty term", __func__);
  }
  if (fold->nfacets == KBX_FOLD_FACETS)
    return kb_fail(KB_ERR_LIMIT, reterr_msg,
                   "%s: at most %d facets with a filter", __func__,
                   KBX_FOLD_FACETS);
  for (unsigned b = 0; b < fold->nfacets; b++)
    if (fold->tags[b] == static_cast<unsigned char>(tag))
      return kb_fail(KB_ERR_INVALID, reterr_msg,
                     "%s: facet '%c' has a filter already", __func__, tag);
  try {
    if (fold->db->db.get_revision() != fold->revision)
      return kb_fail(KB_ERR_INVALID, reterr_msg,
                     "%s: the index moved to another revision", __func__);
    std::shared_ptr<const kbxi_docset> pass;
    if (n == 1) {
      pass = term_docs(*fold->db, terms[0]);
    } else {
      /* The union (or with all_of the intersection) of the terms' sets;
       * of none, no document. */
      auto set = std::make_shared<kbxi_docset>();
      for (size_t i = 0; i < n; i++) {
        const std::shared_ptr<const kbxi_docset> one =
            term_docs(*fold->db, terms[i]);
        if (i == 0)
          set->words = one->words;
        else if (all_of)
          for (size_t w = 0; w < set->words.size(); w++)
            set->words[w] &= w < one->words.size() ? one->words[w] : 0;
        else
          for (size_t w = 0; w < set->words.size() && w < one->words.size();
               w++)
            set->words[w] |= one->words[w];
      }
      pass = set;
    }
    fold->pass[fold->nfacets] = pass;
    fold->tags[fold->nfacets++] = static_cast<unsigned char>(tag);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot read a facet filter");
  }
}

void kbx_fold_free(kbx_fold *fold) KBX_NOEXCEPT { delete fold; }

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
    /* Most frequent first; ties are in byte order already, and a stable
     * sort keeps that order. */
    auto by_count = [](const entry &a, const entry &b) {
      return a.second > b.second;
    };
    if (spy->table && spy->counts.empty()) {
      /* The usual case: the table's ids are in byte order already. */
      if (spy->listed_total != spy->total ||
          spy->listed_table != spy->table.get()) {
        spy->listed.clear();
        for (size_t id = 0; id < spy->by_id.size(); id++)
          if (spy->by_id[id] > 0)
            spy->listed.emplace_back(&spy->table->names[id], spy->by_id[id]);
        std::stable_sort(spy->listed.begin(), spy->listed.end(), by_count);
        spy->listed_total = spy->total;
        spy->listed_table = spy->table.get();
      }
      for (const entry &e : spy->listed)
        if (!cb(e.first->c_str(), e.first->size(), e.second, ctx))
          break;
      return KB_OK;
    }
    facet_counts merged;
    if (spy->builtin) {
      builtin_counts(spy, merged);
    } else if (spy->table) {
      merged = spy->counts;
      for (size_t id = 0; id < spy->by_id.size(); id++)
        if (spy->by_id[id] > 0)
          merged[spy->table->names[id]] += spy->by_id[id];
    }
    const auto &counts = spy->builtin || spy->table ? merged : spy->counts;
    std::vector<entry> order;
    order.reserve(counts.size());
    for (const auto &kv : counts)
      order.emplace_back(&kv.first, kv.second);
    std::stable_sort(order.begin(), order.end(), by_count);
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
