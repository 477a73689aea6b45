/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * doc.cc - the documents and stemmers of kb_xapian.h: building a
 * Xapian::Document term by term (with the term-length check that the
 * writer in db.cc shares) and Snowball stemming into a caller's buffer,
 * through a bounded cache of the words already stemmed.
 *
 * Each function checks its pointer arguments, does its Xapian work inside
 * one try block and hands any exception to kbxi_translate() (error.cc).
 * Outputs are assigned last, so a failure leaves them untouched.
 *
 * Depends on Xapian, libc and status.c only.
 */
#include "kbx_internal.h"

#include <cstring>
#include <string>
#include <unordered_map>

namespace {

/*
 * Longest term the glass backend stores.  Xapian only notices an
 * over-long term when the document is stored, and then cancels every
 * uncommitted change of the writer, so the kbx_doc_add_* calls refuse one
 * up front.
 */
constexpr size_t MAX_TERM = KBX_TERM_MAX;

/*
 * A Snowball stemmer that remembers what it stemmed.  A stem depends on
 * the word alone, so the answers are the stemmer's; only the work is
 * saved.  It matters for snippets: Xapian stems every word of every
 * hit's snippet window, and that was most of a search's time, while the
 * same words recur from hit to hit and search to search.  A kbx_stem
 * belongs to one thread (kb_analyzer), so the cache needs no lock.  At
 * STEM_CACHE_MAX words (about 2 MiB) it starts afresh.
 */
constexpr size_t STEM_CACHE_MAX = 16384;
constexpr size_t STEM_CACHE_WORD_MAX = 64; /* longer words are not kept */

class CachedStem : public Xapian::StemImplementation {
  Xapian::Stem inner;
  std::unordered_map<std::string, std::string> seen;

public:
  explicit CachedStem(const std::string &language) : inner(language) {}

  std::string operator()(const std::string &word) override {
    auto it = seen.find(word);
    if (it != seen.end())
      return it->second;
    std::string out = inner(word);
    if (word.size() <= STEM_CACHE_WORD_MAX) {
      if (seen.size() >= STEM_CACHE_MAX)
        seen.clear();
      seen.emplace(word, out);
    }
    return out;
  }

  std::string get_description() const override {
    return inner.get_description();
  }
};

} // namespace

kb_status kbxi_check_term(const char *term, char **reterr_msg) {
  const size_t len = std::strlen(term);
  if (len == 0)
    return kb_fail(KB_ERR_INVALID, reterr_msg, "empty term");
  if (len > MAX_TERM)
    return kb_fail(KB_ERR_LIMIT, reterr_msg,
                   "term '%.40s...' is %zu bytes long, the index takes at "
                   "most %zu",
                   term, len, MAX_TERM);
  return KB_OK;
}

/* ---- documents ------------------------------------------------------- */

kb_status kbx_doc_new(kbx_doc **ret_doc, char **reterr_msg) KBX_NOEXCEPT {
  if (ret_doc == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_doc");
  try {
    *ret_doc = new kbx_doc{};
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg);
  }
}

void kbx_doc_free(kbx_doc *doc) KBX_NOEXCEPT { delete doc; }

kb_status kbx_doc_add_term(kbx_doc *doc, const char *term, unsigned wdfinc,
                           char **reterr_msg) KBX_NOEXCEPT {
  if (doc == nullptr)
    return kbxi_null(reterr_msg, __func__, "doc");
  if (term == nullptr)
    return kbxi_null(reterr_msg, __func__, "term");
  const kb_status st = kbxi_check_term(term, reterr_msg);
  if (st != KB_OK)
    return st;
  try {
    doc->doc.add_term(term, wdfinc);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot add term", term);
  }
}

kb_status kbx_doc_add_posting(kbx_doc *doc, const char *term, uint32_t pos,
                              unsigned wdfinc, char **reterr_msg) KBX_NOEXCEPT {
  if (doc == nullptr)
    return kbxi_null(reterr_msg, __func__, "doc");
  if (term == nullptr)
    return kbxi_null(reterr_msg, __func__, "term");
  const kb_status st = kbxi_check_term(term, reterr_msg);
  if (st != KB_OK)
    return st;
  try {
    doc->doc.add_posting(term, pos, wdfinc);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot add term", term);
  }
}

kb_status kbx_doc_add_boolean_term(kbx_doc *doc, const char *term,
                                   char **reterr_msg) KBX_NOEXCEPT {
  if (doc == nullptr)
    return kbxi_null(reterr_msg, __func__, "doc");
  if (term == nullptr)
    return kbxi_null(reterr_msg, __func__, "term");
  const kb_status st = kbxi_check_term(term, reterr_msg);
  if (st != KB_OK)
    return st;
  try {
    doc->doc.add_boolean_term(term);
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot add term", term);
  }
}

kb_status kbx_doc_set_value(kbx_doc *doc, kbx_slot slot, const char *value,
                            size_t len, char **reterr_msg) KBX_NOEXCEPT {
  if (doc == nullptr)
    return kbxi_null(reterr_msg, __func__, "doc");
  if (value == nullptr && len != 0)
    return kbxi_null(reterr_msg, __func__, "value");
  try {
    doc->doc.add_value(slot, len != 0 ? std::string(value, len) : "");
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot set a value");
  }
}

kb_status kbx_doc_set_data(kbx_doc *doc, const char *data, size_t len,
                           char **reterr_msg) KBX_NOEXCEPT {
  if (doc == nullptr)
    return kbxi_null(reterr_msg, __func__, "doc");
  if (data == nullptr && len != 0)
    return kbxi_null(reterr_msg, __func__, "data");
  try {
    doc->doc.set_data(len != 0 ? std::string(data, len) : "");
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot set document data");
  }
}

/* ---- stemming -------------------------------------------------------- */

kb_status kbx_stem_new(const char *language, kbx_stem **ret_stem,
                       char **reterr_msg) KBX_NOEXCEPT {
  if (language == nullptr)
    return kbxi_null(reterr_msg, __func__, "language");
  if (ret_stem == nullptr)
    return kbxi_null(reterr_msg, __func__, "ret_stem");
  try {
    try {
      /* "none" and unknown languages as Xapian::Stem has them; the cache
       * only for a real stemmer (the inner constructor throws first). */
      Xapian::Stem plain(language);
      if (plain.is_none()) {
        *ret_stem = new kbx_stem{plain, false};
        return KB_OK;
      }
      const bool german = std::strcmp(language, "german") == 0 ||
                          std::strcmp(language, "german2") == 0 ||
                          std::strcmp(language, "de") == 0;
      *ret_stem = new kbx_stem{Xapian::Stem(new CachedStem(language)), german};
      return KB_OK;
    } catch (const Xapian::InvalidArgumentError &) {
      return kb_fail(KB_ERR_INVALID, reterr_msg,
                     "unknown stemming language '%s' (known: none %s)",
                     language, Xapian::Stem::get_available_languages().c_str());
    }
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot create a stemmer for", language);
  }
}

void kbx_stem_free(kbx_stem *stem) KBX_NOEXCEPT { delete stem; }

kb_status kbx_stem_apply(kbx_stem *stem, const char *word, size_t len,
                         char *buf, size_t cap, size_t *ret_len,
                         char **reterr_msg) KBX_NOEXCEPT {
  if (stem == nullptr)
    return kbxi_null(reterr_msg, __func__, "stem");
  if (word == nullptr && len != 0)
    return kbxi_null(reterr_msg, __func__, "word");
  if (buf == nullptr && cap != 0)
    return kbxi_null(reterr_msg, __func__, "buf");
  try {
    /* Xapian takes and returns std::string; past the small-string size
     * both allocate.  That is Xapian's business: we copy the result
     * straight into the caller's buffer and keep nothing. */
    const std::string out =
        stem->stem(len != 0 ? std::string(word, len) : std::string());
    if (out.size() >= cap)
      return kb_fail(KB_ERR_LIMIT, reterr_msg,
                     "the stem of '%.*s' needs %zu bytes, the buffer has %zu",
                     static_cast<int>(len < 256 ? len : 256),
                     word != nullptr ? word : "", out.size() + 1, cap);
    std::memcpy(buf, out.data(), out.size());
    buf[out.size()] = '\0';
    if (ret_len != nullptr)
      *ret_len = out.size();
    return KB_OK;
  } catch (...) {
    return kbxi_translate(reterr_msg, "cannot stem");
  }
}
