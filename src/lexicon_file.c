/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lexicon_file.c - reading word lists into a kb_lexicon_builder
 * (kb_compound.h): wngerman's plain list and the curated domain list
 * (hunspell dictionaries are read by lexicon_hunspell.c).
 *
 * Every word is normalised here with ICU's NFKC_Casefold, the same
 * normaliser kb_normalize uses, so dictionary words and analysed text
 * meet; the case of the original decides whether a word is a noun.  The
 * analysis module is not used, so it can depend on this one.
 */
#include "kb_compound.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unistd.h>

#include "kb_text.h"
#include "lexicon_internal.h"

enum { LINE_MAX_BYTES = 1024, U16_CAP = 2 * KB_COMPOUND_WORD_MAX + 64 };

/* Normalises one word into out (KB_COMPOUND_WORD_MAX + 1 bytes); false
 * if it is invalid or does not fit. */
bool kbi_lex_normalise(const char *s, size_t n, char *out, size_t *ret_len) {
  if (n == 0 || n > 4 * KB_COMPOUND_WORD_MAX || !kb_utf8_valid(s, n))
    return false;
  UChar in16[U16_CAP], out16[U16_CAP];
  UErrorCode err = U_ZERO_ERROR;
  int32_t n16 = 0;
  u_strFromUTF8(in16, U16_CAP, &n16, s, (int32_t)n, &err);
  if (U_FAILURE(err))
    return false;
  const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
  if (U_FAILURE(err))
    return false;
  int32_t m = unorm2_normalize(nfkc_cf, in16, n16, out16, U16_CAP, &err);
  if (U_FAILURE(err))
    return false;
  int32_t n8 = 0;
  u_strToUTF8(out, KB_COMPOUND_WORD_MAX + 1, &n8, out16, m, &err);
  if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING || n8 == 0 ||
      n8 > KB_COMPOUND_WORD_MAX)
    return false;
  *ret_len = (size_t)n8;
  return true;
}

/* Noun: starts with a capital and is not an all-capital abbreviation. */
bool kbi_lex_looks_like_noun(const char *s, size_t n) {
  int32_t i = 0, len = (int32_t)n;
  unsigned upper = 0, letters = 0;
  UChar32 c;
  U8_NEXT(s, i, len, c);
  if (c < 0 || !u_isupper(c))
    return false;
  for (i = 0; i < len;) {
    U8_NEXT(s, i, len, c);
    if (c < 0)
      return false;
    letters += u_isalpha(c) != 0;
    upper += u_isupper(c) != 0;
  }
  return upper == 1 || (letters > 0 && upper * 2 <= letters);
}

/* Reads one line into buf (LINE_MAX_BYTES + 2); returns its length
 * without the line end, -1 at the end, -2 if it was too long (the rest is
 * skipped). */
static long read_line(FILE *f, char *buf) {
  if (fgets(buf, LINE_MAX_BYTES + 2, f) == NULL)
    return -1;
  size_t n = strlen(buf);
  if (n > 0 && buf[n - 1] == '\n')
    buf[--n] = '\0';
  else if (n > LINE_MAX_BYTES) {
    int c;
    while ((c = fgetc(f)) != EOF && c != '\n')
      ;
    return -2;
  }
  if (n > 0 && buf[n - 1] == '\r')
    buf[--n] = '\0';
  return (long)n;
}

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Trims ASCII white space from both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n) {
  while (*n > 0 && is_space(**s)) {
    (*s)++;
    (*n)--;
  }
  while (*n > 0 && is_space((*s)[*n - 1]))
    (*n)--;
}

kb_status kbi_lex_add_plain(kb_lexicon_builder *b, const char *w, size_t n,
                            unsigned flags, char **reterr_msg) {
  char norm[KB_COMPOUND_WORD_MAX + 1];
  size_t len;
  if (!kbi_lex_normalise(w, n, norm, &len))
    return KB_OK; /* too long or not UTF-8: not a word anyone looks up */
  kb_status st = kb_lexicon_builder_add(b, norm, len, 0, flags, reterr_msg);
  return st == KB_ERR_INVALID ? KB_OK : st;
}

/* A wngerman line: one word as written. */
static kb_status wordlist_line(kb_lexicon_builder *b, const char *s, size_t n,
                               char **reterr_msg) {
  trim(&s, &n);
  if (n == 0 || s[0] == '#')
    return KB_OK;
  unsigned flags =
      KB_LEX_WORD | (kbi_lex_looks_like_noun(s, n) ? KB_LEX_NOUN : 0);
  return kbi_lex_add_plain(b, s, n, flags, reterr_msg);
}

static kb_status domain_fail(char **reterr_msg, const char *path, unsigned line,
                             const char *what) {
  return kb_fail(KB_ERR_PARSE, reterr_msg, "%s:%u: %s", path, line, what);
}

/* A domain list line: word, a|b, word = a|b, or !word. */
static kb_status domain_line(kb_lexicon_builder *b, const char *s, size_t n,
                             const char *path, unsigned line,
                             char **reterr_msg) {
  const char *hash = memchr(s, '#', n);
  if (hash)
    n = (size_t)(hash - s);
  trim(&s, &n);
  if (n == 0)
    return KB_OK;
  bool stop = s[0] == '!';
  if (stop) {
    s++;
    n--;
    trim(&s, &n);
  }
  const char *eq = memchr(s, '=', n);
  const char *parts = s;
  size_t plen = n, wlen = n;
  if (eq) {
    wlen = (size_t)(eq - s);
    parts = eq + 1;
    plen = n - wlen - 1;
    trim(&parts, &plen);
    trim(&s, &wlen);
  }
  if (stop && (eq || memchr(s, '|', n)))
    return domain_fail(reterr_msg, path, line,
                       "a '!' line names one word to never use as a part");
  char word[KB_COMPOUND_WORD_MAX + 1], split[8 * (KB_COMPOUND_WORD_MAX + 1)];
  size_t len = 0, slen = 0;
  unsigned nparts = 0;
  bool has_bar = memchr(parts, '|', plen) != NULL;
  if (eq || has_bar) {
    /* Normalise each part; without '=' the word is their concatenation. */
    for (size_t i = 0, start = 0; i <= plen; i++) {
      if (i < plen && parts[i] != '|')
        continue;
      const char *p = parts + start;
      size_t pn = i - start, nl;
      trim(&p, &pn);
      start = i + 1;
      char norm[KB_COMPOUND_WORD_MAX + 1];
      if (pn == 0 || !kbi_lex_normalise(p, pn, norm, &nl))
        return domain_fail(reterr_msg, path, line,
                           "empty, too long or invalid part in a split "
                           "(write parts as 'bildschirm|lesegerät')");
      if (++nparts > KB_COMPOUND_MAX_PARTS)
        return domain_fail(reterr_msg, path, line, "too many parts");
      if (slen > 0)
        split[slen++] = '|';
      memcpy(split + slen, norm, nl);
      slen += nl;
      if (!eq) {
        if (len + nl > KB_COMPOUND_WORD_MAX)
          return domain_fail(reterr_msg, path, line, "word too long");
        memcpy(word + len, norm, nl);
        len += nl;
      }
    }
  }
  if (eq || !has_bar) {
    if (!kbi_lex_normalise(s, wlen, word, &len))
      return domain_fail(reterr_msg, path, line,
                         "empty, too long (64 bytes at most) or invalid word");
  }
  kb_status st = kb_lexicon_builder_add(
      b, word, len, 0, stop ? KB_LEX_STOP : KB_LEX_DOMAIN, reterr_msg);
  if (st == KB_OK && nparts > 0)
    st = kb_lexicon_builder_add_split(b, word, len, split, slen, reterr_msg);
  if (st == KB_ERR_INVALID)
    return domain_fail(reterr_msg, path, line, "not a word");
  return st;
}

kb_status kb_lexicon_builder_add_file(kb_lexicon_builder *b, const char *path,
                                      kb_lexfile_format format,
                                      char **reterr_msg) {
  if (format == KB_LEXFILE_HUNSPELL)
    return kbi_lex_read_hunspell(b, path, reterr_msg);
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return kb_fail(KB_ERR_IO, reterr_msg, "cannot read '%s': %s", path,
                   strerror(errno));
  char buf[LINE_MAX_BYTES + 2];
  kb_status st = KB_OK;
  unsigned line = 0;
  long n;
  while (st == KB_OK && (n = read_line(f, buf)) != -1) {
    line++;
    if (n == -2) {
      if (format == KB_LEXFILE_DOMAIN)
        st = domain_fail(reterr_msg, path, line, "line longer than 1024 bytes");
      continue;
    }
    if (format == KB_LEXFILE_DOMAIN && !kb_utf8_valid(buf, (size_t)n))
      st = domain_fail(reterr_msg, path, line, "not valid UTF-8");
    else if (format == KB_LEXFILE_WORDLIST)
      st = wordlist_line(b, buf, (size_t)n, reterr_msg);
    else
      st = domain_line(b, buf, (size_t)n, path, line, reterr_msg);
  }
  if (st == KB_OK && ferror(f))
    st = kb_fail(KB_ERR_IO, reterr_msg, "error reading '%s'", path);
  fclose(f);
  return st;
}

kb_status kb_lexicon_builder_add_defaults(kb_lexicon_builder *b,
                                          const char *domain_path,
                                          unsigned *ret_sources,
                                          char **reterr_msg) {
  unsigned sources = 0;
  kb_status st = kb_lexicon_builder_add_file(b, KB_LEXICON_WORDLIST_PATH,
                                             KB_LEXFILE_WORDLIST, reterr_msg);
  if (st == KB_ERR_IO)
    return kb_fail(st, reterr_msg,
                   "cannot read the German word list '%s' (install the "
                   "package wngerman)",
                   KB_LEXICON_WORDLIST_PATH);
  if (st != KB_OK)
    return st;
  sources |= 1;
  if (access(KB_LEXICON_HUNSPELL_PATH, R_OK) == 0) {
    st = kb_lexicon_builder_add_file(b, KB_LEXICON_HUNSPELL_PATH,
                                     KB_LEXFILE_HUNSPELL, reterr_msg);
    if (st != KB_OK)
      return st;
    sources |= 2;
  }
  if (domain_path != NULL) {
    st = kb_lexicon_builder_add_file(b, domain_path, KB_LEXFILE_DOMAIN,
                                     reterr_msg);
    if (st != KB_OK)
      return st;
    sources |= 4;
  }
  if (ret_sources)
    *ret_sources = sources;
  return KB_OK;
}
