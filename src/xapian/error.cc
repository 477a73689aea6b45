/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * error.cc - the single place where C++ exceptions become kb_status codes.
 *
 * Every extern "C" function behind the Xapian wall ends in
 * `catch (...) { return kbxi_translate(reterr_msg, ...); }`.  The
 * translator rethrows the exception in flight and catches it again by
 * class, most specific first (DatabaseLockError and DatabaseVersionError
 * are both DatabaseOpeningErrors, so they come before it), so that callers
 * can tell "locked, try later" from "reopen" from "corrupt" instead of
 * getting notmuch's one catch-all code.
 *
 * Depends on Xapian, libc and status.c; must not depend on the rest of
 * teilhabe.
 */
#include "kbx_internal.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>

namespace {

/* Longest user value quoted in a message; longer ones are cut. */
constexpr int MAX_SUBJECT = 256;

/* Longest detail kept from an exception (Xapian quotes whole terms). */
constexpr size_t MAX_DETAIL = 512;

/* Xapian's messages start with a capital ("Couldn't stat ...") and some end
 * in a period; ours are lowercase without one.  Only a capital followed by
 * a lowercase letter or an apostrophe is lowered, so acronyms ("ICU ...")
 * survive. */
std::string house_style(std::string s) {
  if (s.size() >= 2 && s[0] >= 'A' && s[0] <= 'Z' &&
      ((s[1] >= 'a' && s[1] <= 'z') || s[1] == '\''))
    s[0] = static_cast<char>(s[0] - 'A' + 'a');
  if (!s.empty() && s.back() == '.')
    s.pop_back();
  return s;
}

/* Cuts `s` to MAX_DETAIL bytes, not inside a UTF-8 sequence. */
void cap_detail(std::string &s) {
  if (s.size() <= MAX_DETAIL)
    return;
  size_t cut = MAX_DETAIL;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xc0) == 0x80)
    cut--;
  s.resize(cut);
  s += "...";
}

/* The detail part of a message for a Xapian::Error.  With a `what` that
 * already says what was attempted, the system error string alone
 * ("No such file or directory") reads best when there is one. */
std::string xapian_detail(const Xapian::Error &e, const char *what,
                          bool with_type) {
  const char *errstr = e.get_error_string();
  if (what != nullptr && errstr != nullptr && *errstr != '\0')
    return errstr;
  std::string d;
  if (with_type) {
    d = e.get_type();
    d += ": ";
    d += e.get_msg();
  } else {
    d = house_style(e.get_msg());
  }
  if (errstr != nullptr && *errstr != '\0') {
    d += " (";
    d += errstr;
    d += ")";
  }
  return d;
}

kb_status report(kb_status st, char **reterr_msg, const char *what,
                 const char *subject, const std::string &detail) {
  if (reterr_msg == nullptr)
    return st;
  if (what != nullptr && subject != nullptr) {
    int slen = static_cast<int>(strnlen(subject, MAX_SUBJECT + 1));
    const char *cut = slen > MAX_SUBJECT ? "..." : "";
    if (slen > MAX_SUBJECT)
      slen = MAX_SUBJECT;
    return kb_fail(st, reterr_msg, "%s '%.*s%s': %s", what, slen, subject, cut,
                   detail.c_str());
  }
  if (what != nullptr)
    return kb_fail(st, reterr_msg, "%s: %s", what, detail.c_str());
  return kb_fail(st, reterr_msg, "%s", detail.c_str());
}

} // namespace

kb_status kbxi_translate(char **reterr_msg, const char *what,
                         const char *subject, bool query) noexcept {
  kb_status st = KB_ERR_INTERNAL;
  try {
    std::string detail;
    try {
      throw;
    } catch (const Xapian::DatabaseLockError &e) {
      st = KB_ERR_DB_LOCKED;
      detail = xapian_detail(e, what, false);
    } catch (const Xapian::DatabaseVersionError &e) {
      st = KB_ERR_DB_VERSION;
      detail = xapian_detail(e, what, false);
    } catch (const Xapian::DatabaseOpeningError &e) {
      /* DatabaseNotFoundError is a DatabaseOpeningError too. */
      st = KB_ERR_DB_OPENING;
      detail = xapian_detail(e, what, false);
    } catch (const Xapian::DatabaseCreateError &e) {
      st = KB_ERR_DB_OPENING;
      detail = xapian_detail(e, what, false);
    } catch (const Xapian::DatabaseModifiedError &e) {
      st = KB_ERR_DB_MODIFIED;
      detail = xapian_detail(e, what, false);
    } catch (const Xapian::DatabaseCorruptError &e) {
      st = KB_ERR_DB_CORRUPT;
      detail = xapian_detail(e, what, false);
    } catch (const Xapian::DocNotFoundError &e) {
      st = KB_ERR_NOT_FOUND;
      detail = xapian_detail(e, what, false);
    } catch (const Xapian::QueryParserError &e) {
      st = KB_ERR_QUERY;
      detail = xapian_detail(e, what, false);
    } catch (const Xapian::WildcardError &e) {
      st = KB_ERR_QUERY;
      detail = xapian_detail(e, what, false);
    } catch (const Xapian::InvalidArgumentError &e) {
      st = KB_ERR_INVALID;
      detail = xapian_detail(e, what, false);
    } catch (const Xapian::InvalidOperationError &e) {
      st = query ? KB_ERR_QUERY : KB_ERR_INVALID;
      detail = xapian_detail(e, what, false);
    } catch (const Xapian::Error &e) {
      st = KB_ERR_BACKEND;
      detail = xapian_detail(e, what, true);
    } catch (const std::bad_alloc &) {
      /* No std::string here: we are out of memory. */
      st = KB_ERR_NOMEM;
      if (what != nullptr)
        return kb_fail(st, reterr_msg, "%s: out of memory", what);
      return kb_fail(st, reterr_msg, "out of memory");
    } catch (const std::exception &e) {
      st = KB_ERR_INTERNAL;
      detail = e.what();
    } catch (...) {
      st = KB_ERR_INTERNAL;
      detail = "unknown exception";
    }
    cap_detail(detail);
    if (st == KB_ERR_DB_LOCKED)
      detail += " (another writer holds the index; try again when it is done)";
    return report(st, reterr_msg, what, subject, detail);
  } catch (...) {
    /* Building the message failed (out of memory): the code still says
     * what went wrong. */
    return st;
  }
}

char *kbxi_dup(const std::string &s) {
  char *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (p == nullptr)
    throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

kb_status kbxi_null(char **reterr_msg, const char *fn, const char *arg) {
  return kb_fail(KB_ERR_INVALID, reterr_msg, "%s: %s must not be NULL", fn,
                 arg);
}
