/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * db.cc - the database half of kb_xapian.h: opening indexes for reading
 * (one or several shards) and for writing, transactions, user metadata,
 * synonyms, spelling and term lists.  The documents that go in and the
 * stemmers are in doc.cc.
 *
 * Each function checks its pointer arguments, does its Xapian work inside
 * one try block and hands any exception to kbxi_translate() (error.cc).
 * Outputs are assigned last, so a failure leaves them untouched.
 *
 * Depends on Xapian, libc and status.c only.
 */
#include "kbx_internal.h"

#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>

namespace {

/* Copies `s` out as an owned, NUL-terminated buffer; throws bad_alloc. */
void copy_out(const std::string &s, char **ret, size_t *ret_len) {
  *ret = kbxi_dup(s);
  if (ret_len != nullptr)
    *ret_len = s.size();
}

kb_status no_doc(char **reterr_msg) {
  return kb_fail(KB_ERR_NOT_FOUND, reterr_msg,
                 "document 0 not found (docids start at 1)");
}

bool path_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

bool has_prefix(const std::string &s, const char *prefix, size_t plen) {
  return s.size() >= plen && std::memcmp(s.data(), prefix, plen) == 0;
}

} // namespace

/* ---- reading --------------------------------------------------------- */

kb_status kbx_db_open(const char *path, kbx_db **ret_db,
                      char **reterr_msg) KBX_NOEXCEPT {
  if (path == nullptr)
    return kbxi_null(reterr_msg, __func__, "path");
  if (ret_db == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_db");
  try {
    *ret_db = new kbx_db{Xapian::Database(path), 1, false, Xapian::Database()};
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot open index", path);
  }
}

kb_status kbx_db_open_shards(const char *const *paths, size_t n,
                             kbx_db **ret_db, char **reterr_msg) KBX_NOEXCEPT {
  if (paths == nullptr)
    return kbxi_null(reterr_msg, __func__, "paths");
  if (ret_db == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_db");
  if (n == 0)
    return kb_fail(KB_ERR_INVALID, reterr_msg,
                   "%s: at least one shard is needed", __func__);
  const char *cur = nullptr; /* the shard being opened, for the message */
  try {
    std::unique_ptr<kbx_db> db(
        new kbx_db{Xapian::Database(), 0, false, Xapian::Database()});
    for (size_t i = 0; i < n; i++) {
      cur = paths[i];
      if (cur == nullptr)
        return kbxi_null(reterr_msg, __func__, "paths[i]");
      db->db.add_database(Xapian::Database(cur));
      db->nshards++;
    }
    *ret_db = db.release();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot open index", cur);
  }
}

kb_status kbx_db_open_stub(const char *stub, const char *aux, kbx_db **ret_db,
                           char **reterr_msg) KBX_NOEXCEPT {
  if (stub == nullptr)
    return kbxi_null(reterr_msg, __func__, "stub");
  if (aux == nullptr)
    return kbxi_null(reterr_msg, __func__, "aux");
  if (ret_db == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_db");
  const char *cur = stub;
  try {
    /* Xapian reads the stub itself: auto, glass and remote lines. */
    Xapian::Database shards(stub, Xapian::DB_BACKEND_STUB);
    cur = aux;
    Xapian::Database meta(aux);
    *ret_db = new kbx_db{shards, 0, true, meta};
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot open index", cur);
  }
}

void kbx_db_close(kbx_db *db) KBX_NOEXCEPT {
  /* No Database::close(): enquires and msets made from this handle share
   * its internals and stay usable; the last of them closes the files. */
  delete db;
}

/* Drops what the handle keeps of the revision it had open. */
static void forget_revision(kbx_db &db) {
  db.tables->clear();
  db.spellings.clear();
  db.synonyms.clear();
  db.synonyms_read = kbx_db::synonym_state::unread;
  db.filter_sets.clear();
  db.filter_sets_bytes = 0;
  db.termfreqs.clear();
}

kb_status kbx_db_reopen(kbx_db *db, bool *ret_changed,
                        char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  try {
    bool changed = db->db.reopen();
    if (db->has_aux)
      changed = db->aux.reopen() || changed;
    if (changed)
      forget_revision(*db);
    if (ret_changed != nullptr)
      *ret_changed = changed;
    return KB_OK;
  } catch (...) {
    /* Some tables or shards may have moved on already. */
    forget_revision(*db);
    return kbxi_translate(reterr_msg, "cannot reopen index");
  }
}

/* GCC says __SANITIZE_ADDRESS__; clang 14 (the fuzz build) only answers
 * __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define KBX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KBX_ASAN 1
#endif
#endif

#if defined(KBX_ASAN)
/* Xapian 1.4's check deletes a GlassTableCheck through an
 * AutoPtr<GlassTable> (glass_dbcheck.cc:91; GlassTable's destructor is
 * not virtual): AddressSanitizer reports the sized delete as a
 * new-delete-type-mismatch and aborts.  The derived class only adds a
 * pointer, so nothing leaks; the sanitizer build tolerates this one kind
 * of report rather than lose the check.  ASAN_OPTIONS may still set it. */
extern "C" __attribute__((visibility("default"))) const char *
__asan_default_options(void);
extern "C" const char *__asan_default_options(void) {
  return "new_delete_type_mismatch=0";
}
#endif

kb_status kbx_db_check(const char *path, char **reterr_msg) KBX_NOEXCEPT {
  if (path == nullptr)
    return kbxi_null(reterr_msg, __func__, "path");
  try {
    std::ostringstream out;
    size_t errors = Xapian::Database::check(path, 0, &out);
    if (errors == 0)
      return KB_OK;
    /* The report lists every table; the first line that is not "... OK"
     * names the problem. */
    std::istringstream lines(out.str());
    std::string line, first;
    while (first.empty() && std::getline(lines, line))
      if (!line.empty() && line.find(" OK") == std::string::npos)
        first = line;
    if (first.size() > 200)
      first.resize(200);
    return kb_fail(KB_ERR_DB_CORRUPT, reterr_msg,
                   "index '%s' fails its check with %zu %s: %s", path, errors,
                   errors == 1 ? "error" : "errors", first.c_str());
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot check index", path);
  }
}

kb_status kbx_compact(const char *const *src, size_t n, const char *dest,
                      char **reterr_msg) KBX_NOEXCEPT {
  if (src == nullptr || n == 0)
    return kbxi_null(reterr_msg, __func__, "src");
  if (dest == nullptr)
    return kbxi_null(reterr_msg, __func__, "dest");
  try {
    Xapian::Database all;
    for (size_t i = 0; i < n; i++)
      all.add_database(Xapian::Database(src[i]));
    all.compact(dest, Xapian::DBCOMPACT_NO_RENUMBER);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot merge into index", dest);
  }
}

kb_status kbx_db_revision(kbx_db *db, uint64_t *ret_rev,
                          char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (ret_rev == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_rev");
  try {
    /* Xapian throws for anything but exactly one shard; a sharded index
     * is named by its local database, written with every shard. */
    uint64_t rev = db->has_aux        ? db->aux.get_revision()
                   : db->nshards == 1 ? db->db.get_revision()
                                      : 0;
    *ret_rev = rev;
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot read the index revision");
  }
}

kb_status kbx_db_lastdocid(kbx_db *db, kbx_docid *ret_docid,
                           char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (ret_docid == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_docid");
  try {
    *ret_docid = db->db.get_lastdocid();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

kb_status kbx_db_values(kbx_db *db, kbx_slot slot, kbx_value_cb cb, void *ctx,
                        char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (cb == nullptr)
    return kbxi_null(reterr_msg, __func__, "cb");
  try {
    const Xapian::ValueIterator end = db->db.valuestream_end(slot);
    for (Xapian::ValueIterator it = db->db.valuestream_begin(slot); it != end;
         ++it) {
      const std::string v = *it;
      if (!cb(it.get_docid(), v.data(), v.size(), ctx))
        break;
    }
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot read a value stream");
  }
}

kb_status kbx_db_doccount(kbx_db *db, uint64_t *ret_count,
                          char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (ret_count == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_count");
  try {
    *ret_count = db->db.get_doccount();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot count documents");
  }
}

kb_status kbx_db_termfreq(kbx_db *db, const char *term, uint64_t *ret_freq,
                          char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (term == nullptr)
    return kbxi_null(reterr_msg, __func__, "term");
  if (ret_freq == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_freq");
  try {
    std::string t(term);
    auto it = db->termfreqs.find(t);
    if (it != db->termfreqs.end()) {
      *ret_freq = it->second;
      return KB_OK;
    }
    const Xapian::doccount f = db->db.get_termfreq(t);
    if (db->termfreqs.size() >= KBX_TERMFREQ_MEMO)
      db->termfreqs.clear();
    db->termfreqs.emplace(std::move(t), f);
    *ret_freq = f;
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot look up term", term);
  }
}

kb_status kbx_db_find(kbx_db *db, const char *term, kbx_docid *ret_docid,
                      char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (term == nullptr)
    return kbxi_null(reterr_msg, __func__, "term");
  if (ret_docid == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_docid");
  if (*term == '\0') /* Xapian's "" posting list is every document */
    return kb_fail(KB_ERR_INVALID, reterr_msg, "%s: empty term", __func__);
  try {
    Xapian::PostingIterator it = db->db.postlist_begin(term);
    if (it == db->db.postlist_end(term))
      return kb_fail(KB_ERR_NOT_FOUND, reterr_msg,
                     "no document is indexed by '%s'", term);
    *ret_docid = *it;
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot look up term", term);
  }
}

kb_status kbx_db_data(kbx_db *db, kbx_docid docid, char **ret_data,
                      size_t *ret_len, char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (ret_data == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_data");
  if (docid == 0)
    return no_doc(reterr_msg);
  try {
    copy_out(db->db.get_document(docid).get_data(), ret_data, ret_len);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

kb_status kbx_db_value(kbx_db *db, kbx_docid docid, kbx_slot slot,
                       char **ret_value, size_t *ret_len,
                       char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (ret_value == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_value");
  if (docid == 0)
    return no_doc(reterr_msg);
  try {
    copy_out(db->db.get_document(docid).get_value(slot), ret_value, ret_len);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

kb_status kbx_db_values_joined(kbx_db *db, kbx_docid docid,
                               const kbx_slot *slots, size_t n,
                               char **ret_value, size_t *ret_len,
                               char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (slots == nullptr && n > 0)
    return kbxi_null(reterr_msg, __func__, "slots");
  if (ret_value == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_value");
  if (docid == 0)
    return no_doc(reterr_msg);
  try {
    const Xapian::Document doc = db->db.get_document(docid);
    std::string all;
    for (size_t i = 0; i < n; i++)
      all += doc.get_value(slots[i]);
    copy_out(all, ret_value, ret_len);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

kb_status kbx_db_metadata(kbx_db *db, const char *key, char **ret_value,
                          size_t *ret_len, char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (key == nullptr)
    return kbxi_null(reterr_msg, __func__, "key");
  if (ret_value == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_value");
  try {
    copy_out(db->meta().get_metadata(key), ret_value, ret_len);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot read metadata", key);
  }
}

/* Walks the keys starting with `prefix` of one of the database's key
 * lists - its terms (synonyms: false) or its synonym table's keys - at
 * most `max` (0: all), calling `visit(key, iterator)` until it returns
 * false. */
template <typename Visit>
static kb_status each_key(kbx_db *db, const char *prefix, bool synonyms,
                          size_t max, Visit visit, char **reterr_msg) noexcept {
  const char *p = prefix != nullptr ? prefix : "";
  try {
    size_t seen = 0;
    Xapian::TermIterator it =
        synonyms ? db->meta().synonym_keys_begin(p) : db->db.allterms_begin(p);
    const Xapian::TermIterator end =
        synonyms ? db->meta().synonym_keys_end(p) : db->db.allterms_end(p);
    for (; it != end; ++it) {
      const std::string key = *it;
      if (!visit(key, it))
        break;
      if (max != 0 && ++seen >= max)
        break;
    }
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg,
                          synonyms ? "cannot list synonym keys with prefix"
                                   : "cannot list terms with prefix",
                          p);
  }
}

/* each_key over the terms. */
template <typename Visit>
static kb_status each_term(kbx_db *db, const char *prefix, size_t max,
                           Visit visit, char **reterr_msg) noexcept {
  return each_key(db, prefix, false, max, visit, reterr_msg);
}

/* kbx_db_allterms and kbx_db_synonym_keys: each key to a C callback. */
static kb_status keys_to(kbx_db *db, const char *fn, const char *prefix,
                         bool synonyms, size_t max, kbx_str_cb cb, void *ctx,
                         char **reterr_msg) noexcept {
  if (db == nullptr)
    return kbxi_null(reterr_msg, fn, "db");
  if (cb == nullptr)
    return kbxi_null(reterr_msg, fn, "cb");
  return each_key(
      db, prefix, synonyms, max,
      [&](const std::string &key, const Xapian::TermIterator &) {
        return cb(key.c_str(), key.size(), ctx);
      },
      reterr_msg);
}

kb_status kbx_db_allterms(kbx_db *db, const char *prefix, size_t max,
                          kbx_str_cb cb, void *ctx,
                          char **reterr_msg) KBX_NOEXCEPT {
  return keys_to(db, __func__, prefix, false, max, cb, ctx, reterr_msg);
}

kb_status kbx_db_postlist(kbx_db *db, const char *term, kbx_docid_cb cb,
                          void *ctx, char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (cb == nullptr || term == nullptr)
    return kbxi_null(reterr_msg, __func__, "cb or term");
  try {
    for (auto it = db->db.postlist_begin(term); it != db->db.postlist_end(term);
         ++it)
      if (!cb(*it, ctx))
        break;
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

kb_status kbx_db_allterms_freq(kbx_db *db, const char *prefix, size_t max,
                               kbx_count_cb cb, void *ctx,
                               char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (cb == nullptr)
    return kbxi_null(reterr_msg, __func__, "cb");
  return each_term(
      db, prefix, max,
      [&](const std::string &term, const Xapian::TermIterator &it) {
        return cb(term.c_str(), term.size(), it.get_termfreq(), ctx);
      },
      reterr_msg);
}

/* Calls fn(term, iterator) for the terms of document `docid` starting
 * with `prefix`, in byte order, until it returns false. */
template <typename Fn>
static kb_status each_doc_term(kbx_db *db, kbx_docid docid, const char *prefix,
                               Fn fn, char **reterr_msg) {
  if (docid == 0)
    return no_doc(reterr_msg);
  const char *p = prefix != nullptr ? prefix : "";
  const size_t plen = std::strlen(p);
  try {
    Xapian::TermIterator it = db->db.termlist_begin(docid);
    const Xapian::TermIterator end = db->db.termlist_end(docid);
    if (plen != 0)
      it.skip_to(p);
    for (; it != end; ++it) {
      const std::string term = *it;
      if (!has_prefix(term, p, plen)) /* terms come sorted: we are past */
        break;
      if (!fn(term, it))
        break;
    }
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

kb_status kbx_db_doc_terms(kbx_db *db, kbx_docid docid, const char *prefix,
                           kbx_str_cb cb, void *ctx,
                           char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (cb == nullptr)
    return kbxi_null(reterr_msg, __func__, "cb");
  return each_doc_term(
      db, docid, prefix,
      [&](const std::string &term, const Xapian::TermIterator &) {
        return cb(term.c_str(), term.size(), ctx);
      },
      reterr_msg);
}

kb_status kbx_db_doc_wdfs(kbx_db *db, kbx_docid docid, kbx_count_cb cb,
                          void *ctx, char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (cb == nullptr)
    return kbxi_null(reterr_msg, __func__, "cb");
  return each_doc_term(
      db, docid, "",
      [&](const std::string &term, const Xapian::TermIterator &it) {
        return cb(term.c_str(), term.size(), it.get_wdf(), ctx);
      },
      reterr_msg);
}

kb_status kbx_db_spellings(kbx_db *db, kbx_count_cb cb, void *ctx,
                           char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (cb == nullptr)
    return kbxi_null(reterr_msg, __func__, "cb");
  try {
    for (Xapian::TermIterator it = db->db.spellings_begin();
         it != db->db.spellings_end(); ++it) {
      const std::string word = *it;
      if (!cb(word.c_str(), word.size(), it.get_termfreq(), ctx))
        break;
    }
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

kb_status kbx_db_spelling_words(kbx_db *db, const char *prefix, size_t max,
                                kbx_count_cb cb, void *ctx,
                                char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (prefix == nullptr)
    return kbxi_null(reterr_msg, __func__, "prefix");
  if (cb == nullptr)
    return kbxi_null(reterr_msg, __func__, "cb");
  try {
    const size_t plen = std::strlen(prefix);
    Xapian::TermIterator it = db->meta().spellings_begin();
    const Xapian::TermIterator end = db->meta().spellings_end();
    it.skip_to(prefix);
    for (size_t n = 0; it != end && (max == 0 || n < max); ++it, n++) {
      const std::string word = *it;
      if (word.compare(0, plen, prefix) != 0)
        break;
      if (!cb(word.c_str(), word.size(), it.get_termfreq(), ctx))
        break;
    }
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

/* Reads the whole synonym table into db.synonyms (see kbx_db); throws
 * what Xapian throws, leaving it unread. */
static void read_synonyms(kbx_db &db) {
  std::unordered_map<std::string, std::vector<std::string>> all;
  size_t bytes = 0;
  for (Xapian::TermIterator k = db.meta().synonym_keys_begin();
       k != db.meta().synonym_keys_end(); ++k) {
    const std::string key = *k;
    std::vector<std::string> &syns = all[key];
    bytes += key.size();
    for (Xapian::TermIterator it = db.meta().synonyms_begin(key);
         it != db.meta().synonyms_end(key); ++it) {
      syns.push_back(*it);
      bytes += syns.back().size();
    }
    if (all.size() > KBX_SYNONYM_KEYS_MAX || bytes > KBX_SYNONYM_BYTES_MAX) {
      db.synonyms_read = kbx_db::synonym_state::too_large;
      return;
    }
  }
  db.synonyms = std::move(all);
  db.synonyms_read = kbx_db::synonym_state::held;
}

kb_status kbx_db_synonyms(kbx_db *db, const char *key, kbx_str_cb cb, void *ctx,
                          char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (key == nullptr)
    return kbxi_null(reterr_msg, __func__, "key");
  if (cb == nullptr)
    return kbxi_null(reterr_msg, __func__, "cb");
  try {
    using state = kbx_db::synonym_state;
    if (db->synonyms_read == state::unread)
      read_synonyms(*db);
    if (db->synonyms_read == state::held) {
      auto it = db->synonyms.find(key);
      if (it != db->synonyms.end())
        for (const std::string &syn : it->second)
          if (!cb(syn.c_str(), syn.size(), ctx))
            break;
      return KB_OK;
    }
    for (Xapian::TermIterator it = db->meta().synonyms_begin(key),
                              end = db->meta().synonyms_end(key);
         it != end; ++it) {
      const std::string syn = *it;
      if (!cb(syn.c_str(), syn.size(), ctx))
        break;
    }
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot read synonyms of", key);
  }
}

kb_status kbx_db_synonym_keys(kbx_db *db, const char *prefix, size_t max,
                              kbx_str_cb cb, void *ctx,
                              char **reterr_msg) KBX_NOEXCEPT {
  return keys_to(db, __func__, prefix, true, max, cb, ctx, reterr_msg);
}

kb_status kbx_db_spelling(kbx_db *db, const char *word, unsigned max_edit,
                          char **ret_suggestion,
                          char **reterr_msg) KBX_NOEXCEPT {
  if (db == nullptr)
    return kbxi_null(reterr_msg, __func__, "db");
  if (word == nullptr)
    return kbxi_null(reterr_msg, __func__, "word");
  if (ret_suggestion == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_suggestion");
  try {
    std::string key(word);
    key += '\0';
    key += std::to_string(max_edit);
    auto memo = db->spellings.find(key);
    if (memo == db->spellings.end()) {
      const std::string s = db->meta().get_spelling_suggestion(word, max_edit);
      if (db->spellings.size() >= KBX_SPELLING_MEMO)
        db->spellings.clear();
      memo = db->spellings.emplace(std::move(key), s).first;
    }
    const std::string &s = memo->second;
    *ret_suggestion = s.empty() ? nullptr : kbxi_dup(s);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot suggest a spelling for", word);
  }
}

/* ---- writing --------------------------------------------------------- */

kb_status kbx_wdb_open(const char *path, enum kbx_wdb_mode mode,
                       kbx_wdb **ret_wdb, char **reterr_msg) KBX_NOEXCEPT {
  if (path == nullptr)
    return kbxi_null(reterr_msg, __func__, "path");
  if (ret_wdb == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_wdb");
  int action;
  switch (mode) {
  case KBX_CREATE:
    action = Xapian::DB_CREATE;
    break;
  case KBX_CREATE_OR_OPEN:
    action = Xapian::DB_CREATE_OR_OPEN;
    break;
  case KBX_CREATE_OR_REPLACE:
    action = Xapian::DB_CREATE_OR_OVERWRITE;
    break;
  case KBX_CREATE_SCRATCH:
    action = Xapian::DB_CREATE | Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS;
    break;
  default:
    return kb_fail(KB_ERR_INVALID, reterr_msg, "%s: unknown mode %d", __func__,
                   static_cast<int>(mode));
  }
  try {
    try {
      *ret_wdb = new kbx_wdb{Xapian::WritableDatabase(path, action)};
      return KB_OK;
    } catch (const Xapian::DatabaseCreateError &) {
      /* Xapian says "create error" both for "exists" and for "cannot
       * mkdir"; only the first is KB_ERR_EXISTS. */
      if ((mode == KBX_CREATE || mode == KBX_CREATE_SCRATCH) &&
          path_exists(path))
        return kb_fail(KB_ERR_EXISTS, reterr_msg,
                       "index '%s' already exists (remove it or open it "
                       "instead of creating it)",
                       path);
      throw;
    }
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot write to index", path);
  }
}

void kbx_wdb_close(kbx_wdb *wdb) KBX_NOEXCEPT {
  if (wdb == nullptr)
    return;
  /* Xapian commits pending changes when a writer closes, unless a
   * transaction is active, in which case it cancels back to the last
   * commit.  An unflushed transaction commits nothing on begin, so
   * starting one makes close() discard everything uncommitted.  If one is
   * already active, begin throws and close() cancels it just the same. */
  try {
    wdb->db.begin_transaction(false);
  } catch (...) {
  }
  try {
    wdb->db.close();
  } catch (...) {
  }
  delete wdb;
}

kb_status kbx_wdb_commit(kbx_wdb *wdb, char **reterr_msg) KBX_NOEXCEPT {
  if (wdb == nullptr)
    return kbxi_null(reterr_msg, __func__, "wdb");
  try {
    wdb->db.commit();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot commit");
  }
}

kb_status kbx_wdb_begin(kbx_wdb *wdb, char **reterr_msg) KBX_NOEXCEPT {
  if (wdb == nullptr)
    return kbxi_null(reterr_msg, __func__, "wdb");
  try {
    wdb->db.begin_transaction();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot begin a transaction");
  }
}

kb_status kbx_wdb_end(kbx_wdb *wdb, bool commit,
                      char **reterr_msg) KBX_NOEXCEPT {
  if (wdb == nullptr)
    return kbxi_null(reterr_msg, __func__, "wdb");
  try {
    if (commit)
      wdb->db.commit_transaction();
    else
      wdb->db.cancel_transaction();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, commit ? "cannot commit the transaction"
                                             : "cannot cancel the transaction");
  }
}

kb_status kbx_wdb_replace(kbx_wdb *wdb, const char *unique_term,
                          const kbx_doc *doc, char **reterr_msg) KBX_NOEXCEPT {
  if (wdb == nullptr)
    return kbxi_null(reterr_msg, __func__, "wdb");
  if (unique_term == nullptr)
    return kbxi_null(reterr_msg, __func__, "unique_term");
  if (doc == nullptr)
    return kbxi_null(reterr_msg, __func__, "doc");
  const kb_status st = kbxi_check_term(unique_term, reterr_msg);
  if (st != KB_OK)
    return st;
  try {
    wdb->db.replace_document(unique_term, doc->doc);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot store document", unique_term);
  }
}

kb_status kbx_wdb_replace_at(kbx_wdb *wdb, kbx_docid docid, const kbx_doc *doc,
                             char **reterr_msg) KBX_NOEXCEPT {
  if (wdb == nullptr)
    return kbxi_null(reterr_msg, __func__, "wdb");
  if (doc == nullptr)
    return kbxi_null(reterr_msg, __func__, "doc");
  if (docid == 0)
    return no_doc(reterr_msg);
  try {
    wdb->db.replace_document(docid, doc->doc);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot store document");
  }
}

kb_status kbx_wdb_lastdocid(kbx_wdb *wdb, kbx_docid *ret_docid,
                            char **reterr_msg) KBX_NOEXCEPT {
  if (wdb == nullptr)
    return kbxi_null(reterr_msg, __func__, "wdb");
  if (ret_docid == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_docid");
  try {
    *ret_docid = wdb->db.get_lastdocid();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot read the last document id");
  }
}

kb_status kbx_wdb_delete(kbx_wdb *wdb, const char *unique_term,
                         char **reterr_msg) KBX_NOEXCEPT {
  if (wdb == nullptr)
    return kbxi_null(reterr_msg, __func__, "wdb");
  if (unique_term == nullptr)
    return kbxi_null(reterr_msg, __func__, "unique_term");
  if (*unique_term == '\0')
    return kb_fail(KB_ERR_INVALID, reterr_msg, "%s: empty unique term",
                   __func__);
  try {
    wdb->db.delete_document(unique_term);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot delete document", unique_term);
  }
}

kb_status kbx_wdb_add_spelling(kbx_wdb *wdb, const char *word, unsigned freqinc,
                               char **reterr_msg) KBX_NOEXCEPT {
  if (wdb == nullptr)
    return kbxi_null(reterr_msg, __func__, "wdb");
  if (word == nullptr)
    return kbxi_null(reterr_msg, __func__, "word");
  try {
    wdb->db.add_spelling(word, freqinc);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot add spelling word", word);
  }
}

kb_status kbx_wdb_remove_spelling(kbx_wdb *wdb, const char *word,
                                  unsigned freqdec,
                                  char **reterr_msg) KBX_NOEXCEPT {
  if (wdb == nullptr)
    return kbxi_null(reterr_msg, __func__, "wdb");
  if (word == nullptr)
    return kbxi_null(reterr_msg, __func__, "word");
  try {
    wdb->db.remove_spelling(word, freqdec);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot remove spelling word", word);
  }
}

kb_status kbx_wdb_add_synonym(kbx_wdb *wdb, const char *key,
                              const char *synonym,
                              char **reterr_msg) KBX_NOEXCEPT {
  if (wdb == nullptr)
    return kbxi_null(reterr_msg, __func__, "wdb");
  if (key == nullptr)
    return kbxi_null(reterr_msg, __func__, "key");
  if (synonym == nullptr)
    return kbxi_null(reterr_msg, __func__, "synonym");
  try {
    wdb->db.add_synonym(key, synonym);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot add a synonym for", key);
  }
}

kb_status kbx_wdb_set_metadata(kbx_wdb *wdb, const char *key, const char *value,
                               size_t len, char **reterr_msg) KBX_NOEXCEPT {
  if (wdb == nullptr)
    return kbxi_null(reterr_msg, __func__, "wdb");
  if (key == nullptr)
    return kbxi_null(reterr_msg, __func__, "key");
  if (value == nullptr && len != 0)
    return kbxi_null(reterr_msg, __func__, "value");
  try {
    wdb->db.set_metadata(key, len != 0 ? std::string(value, len) : "");
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot set metadata", key);
  }
}

kb_status kbx_wdb_doccount(kbx_wdb *wdb, uint64_t *ret_count,
                           char **reterr_msg) KBX_NOEXCEPT {
  if (wdb == nullptr)
    return kbxi_null(reterr_msg, __func__, "wdb");
  if (ret_count == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_count");
  try {
    *ret_count = wdb->db.get_doccount();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot count documents");
  }
}
